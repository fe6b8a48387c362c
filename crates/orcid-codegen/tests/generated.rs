//! The checked-in generated code is what the generator produces now, and a
//! readable summary of the mapping decisions is snapshot-tested.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use orcid_codegen::ir::{Body, FieldKind, FieldValue, JsonShape, Occurs, ValueType};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn schema_dir() -> PathBuf {
    let dir = root().join(orcid_codegen::SCHEMA_DIR);
    assert!(
        dir.join("record_2.1/record-2.1.xsd").is_file(),
        "run `cargo xtask sync-schemas` first"
    );
    dir
}

#[test]
fn generated_code_is_fresh() {
    schema_dir();
    let stale = orcid_codegen::stale_files(&root()).unwrap();
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask codegen`: {stale:?}"
    );
}

#[test]
fn generated_code_carries_no_upstream_prose() {
    // Doc comments name XSD items; no xs:documentation text is copied.
    let files = orcid_codegen::generate(&schema_dir(), "test").unwrap();
    for (name, text) in &files {
        for line in text.lines() {
            let l = line.trim_start();
            if let Some(doc) = l.strip_prefix("///").or_else(|| l.strip_prefix("//!")) {
                let doc = doc.trim();
                assert!(
                    doc.is_empty()
                        || doc.starts_with("XSD ")
                        || doc.starts_with("Text content")
                        || doc.starts_with('`')
                        || doc.starts_with("XML `")
                        || doc.starts_with("A value of `")
                        || doc.starts_with("Element `")
                        || doc.starts_with("One item of")
                        || doc.starts_with("The repeated choice")
                        || doc.starts_with("Types of the XML namespace")
                        || doc.starts_with("The ORCID v2.1 message model")
                        || doc.starts_with("One module per XML namespace")
                        || doc.starts_with("Facets of the v2.1")
                        || doc.starts_with("Every ")
                        || doc.starts_with("The ")
                        || doc.starts_with("Parses ")
                        || doc.starts_with("Matches `")
                        || doc.starts_with("Namespaces to declare")
                        || doc.starts_with("Which root")
                        || doc.starts_with("Any v2.1 document")
                        || doc.starts_with("A root element of")
                        || doc.starts_with("Every value"),
                    "{name}: doc comment is not generator text: {doc}"
                );
            }
        }
    }
}

/// One line per struct field: XML name, occurrence, Rust value, JSON shape.
fn summary() -> String {
    let m = orcid_codegen::model(&schema_dir()).unwrap();
    let mut out = String::new();
    for s in &m.structs {
        writeln!(
            out,
            "{} {} ({})",
            m.namespaces[s.ns].module, s.rust_name, s.key
        )
        .unwrap();
        let mut fields: Vec<_> = s.attributes.iter().collect();
        match &s.body {
            Body::Elements(f) => fields.extend(f.iter()),
            Body::Text(f) => fields.push(f),
            Body::ChoiceList(c) => {
                let alts: Vec<_> = c.alternatives.iter().map(|a| a.1.as_str()).collect();
                writeln!(out, "  list `{}` of {}", c.json_key, alts.join(" | ")).unwrap();
            }
        }
        for f in fields {
            let kind = match f.kind {
                FieldKind::Attribute => "@",
                FieldKind::Element => "",
                FieldKind::Text => "#",
            };
            let occ = match f.occurs {
                Occurs::Required => "1".to_string(),
                Occurs::Optional => "?".to_string(),
                Occurs::Many { min, max } => {
                    format!("{min}..{}", max.map_or("*".to_string(), |m| m.to_string()))
                }
            };
            let val = match &f.value {
                FieldValue::Struct(i) => m.structs[*i].rust_name.clone(),
                FieldValue::Simple(ValueType::Scalar { scalar, simple }) => {
                    format!(
                        "{scalar:?}{}",
                        simple
                            .as_ref()
                            .map(|s| format!("<{s}>"))
                            .unwrap_or_default()
                    )
                }
                FieldValue::Simple(ValueType::Enum(e)) => format!("enum {}", m.enums[*e].rust_name),
                FieldValue::Simple(ValueType::Union(u)) => {
                    format!("union {}", m.unions[*u].rust_name)
                }
            };
            let json = match f.json {
                JsonShape::Skip => " json:skip",
                JsonShape::Plain => "",
                JsonShape::Wrapped => " json:{value}",
                JsonShape::NumberFromString => " json:number",
                JsonShape::XmlSpelling => " json:xml-spelling",
            };
            writeln!(out, "  {kind}{} [{occ}] {val}{json}", f.local).unwrap();
        }
    }
    for e in &m.enums {
        let odd: Vec<_> = e
            .variants
            .iter()
            .filter(|v| v.1.to_ascii_uppercase().replace('-', "_") != v.2)
            .map(|v| format!("{}={}", v.1, v.2))
            .collect();
        writeln!(
            out,
            "enum {} ({} values){}",
            e.xsd_name,
            e.variants.len(),
            if odd.is_empty() {
                String::new()
            } else {
                format!(" json: {}", odd.join(", "))
            }
        )
        .unwrap();
    }
    for r in &m.roots {
        writeln!(out, "root {}:{}", m.namespaces[r.ns].prefix, r.local).unwrap();
    }
    out
}

#[test]
fn mapping_summary_snapshot() {
    insta::assert_snapshot!(summary());
}
