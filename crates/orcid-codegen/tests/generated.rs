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

/// Every run of five words in the XSDs' `xs:documentation` text.
fn documentation_shingles() -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut stack = vec![schema_dir()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "xsd") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for chunk in text.split("<xs:documentation").skip(1) {
                let body = chunk.split("</xs:documentation>").next().unwrap_or("");
                let body = body.split_once('>').map_or("", |(_, b)| b);
                out.extend(shingles(body));
            }
        }
    }
    out
}

fn shingles(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.windows(5).map(|w| w.join(" ")).collect()
}

#[test]
fn generated_code_carries_no_upstream_prose() {
    // Doc comments name XSD items; no xs:documentation text is copied.
    let docs = documentation_shingles();
    assert!(docs.len() > 1000, "the XSDs' documentation was not found");
    for set in orcid_codegen::SchemaSet::ALL {
        let files = orcid_codegen::generate(&schema_dir(), "test", set).unwrap();
        for (name, text) in &files {
            for line in text.lines() {
                let l = line.trim_start();
                if let Some(doc) = l.strip_prefix("///").or_else(|| l.strip_prefix("//!")) {
                    for sh in shingles(doc) {
                        assert!(
                            !docs.contains(&sh),
                            "{name}: doc comment copies XSD documentation ({sh:?}): {doc}"
                        );
                    }
                }
            }
        }
    }
}

/// One line per struct field: XML name, occurrence, Rust value, JSON shape.
fn summary(set: orcid_codegen::SchemaSet) -> String {
    let m = orcid_codegen::model(&schema_dir(), set).unwrap();
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
                Occurs::Lenient => "1~".to_string(),
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
                JsonShape::InChoiceArray => " json:in-choice-array",
                JsonShape::Unwrapped => " json:unwrapped",
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
    insta::assert_snapshot!(summary(orcid_codegen::SchemaSet::V2_1));
}

#[test]
fn mapping_summary_snapshot_v3_0() {
    insta::assert_snapshot!(summary(orcid_codegen::SchemaSet::V3_0));
}
