//! `schemars::JsonSchema` for every struct, enum and union: the JSON
//! Schema of the vnd.orcid+json documents the serde impls accept.

use super::{esc, list, Renderer};
use crate::ir::ValueType;
use crate::ir::{Body, Enum, Field, FieldValue, JsonShape, Occurs, Scalar, Struct, Union};

impl Renderer<'_> {
    /// Start of a `JsonSchema` impl: the trait and `schema_name`
    /// (`module.Type`, unique across the model).
    fn schema_head(&self, out: &mut String, ns: usize, name: &str) {
        emit!(out, "impl schemars::JsonSchema for {name} {{");
        emit!(
            out,
            "fn schema_name() -> std::borrow::Cow<'static, str> {{ {}.into() }}",
            esc(&format!("{}.{name}", self.m.namespaces[ns].module))
        );
    }

    /// The schema of a string-valued type: one of `values`.
    fn string_enum_schema(
        &self,
        out: &mut String,
        (ns, name): (usize, &str),
        description: &str,
        values: Vec<String>,
    ) {
        self.schema_head(out, ns, name);
        emit!(out, "fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {{ crate::json_schema::string_enum({}, &[{}]) }}", esc(description), values.join(", "));
        emit!(out, "}}");
    }

    pub(super) fn enum_schema(&self, out: &mut String, e: &Enum) {
        self.string_enum_schema(
            out,
            (e.ns, &e.rust_name),
            &format!("XSD enumeration `{}` (vnd.orcid+json spelling)", e.xsd_name),
            e.variants.iter().map(|v| esc(&v.2)).collect(),
        );
    }

    pub(super) fn union_schema(&self, out: &mut String, u: &Union) {
        let values = u
            .members
            .iter()
            .flat_map(|(_, e)| self.m.enums[*e].variants.iter().map(|v| esc(&v.2)))
            .collect();
        self.string_enum_schema(
            out,
            (u.ns, &u.rust_name),
            &format!("XSD union `{}`", u.xsd_name),
            values,
        );
    }

    /// A closed object: one property per JSON key, XML-only fields left
    /// out, JSON-only keys allowed as anything.
    pub(super) fn struct_schema(&self, out: &mut String, s: &Struct) {
        self.schema_head(out, s.ns, &s.rust_name);
        emit!(
            out,
            "fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {{"
        );
        emit!(out, "let mut props = serde_json::Map::new();");
        let mut required: Vec<String> = Vec::new();
        if let Body::ChoiceList(c) = &s.body {
            let alts = list(&c.alternatives, |(_, local, _, si)| {
                format!(
                    "crate::json_schema::single_key({}, g.subschema_for::<{}>().to_value())",
                    esc(local),
                    self.struct_path(*si)
                )
            });
            emit!(out, "props.insert({}.into(), crate::json_schema::array(serde_json::json!({{\"oneOf\": [{alts}]}})));", esc(&c.json_key));
        }
        if let Some(key) = self.choice_array_key(s) {
            let alts = list(self.choice_array_fields(s), |f| {
                format!(
                    "crate::json_schema::single_key({}, g.subschema_for::<{}>().to_value())",
                    esc(&f.local),
                    self.field_inner(f)
                )
            });
            emit!(out, "props.insert({}.into(), crate::json_schema::nullable(crate::json_schema::array(serde_json::json!({{\"oneOf\": [{alts}]}}))));", esc(key));
        }
        for f in s.fields() {
            if matches!(f.json, JsonShape::Skip | JsonShape::InChoiceArray) {
                continue;
            }
            if f.json == JsonShape::Unwrapped {
                let list = self.unwrapped_inner(f);
                emit!(
                    out,
                    "props.insert({}.into(), {});",
                    esc(&list.local),
                    self.schema_value_expr(list)
                );
                continue;
            }
            emit!(
                out,
                "props.insert({}.into(), {});",
                esc(&f.local),
                self.schema_value_expr(f)
            );
            if matches!(f.occurs, Occurs::Required | Occurs::Lenient)
                || matches!(f.occurs, Occurs::Many { min, .. } if min > 0)
            {
                required.push(esc(&f.local));
            }
        }
        for k in self.json_only_keys(s) {
            emit!(
                out,
                "props.insert({}.into(), serde_json::json!({{}}));",
                esc(k)
            );
        }
        let kind = if s.is_element_type {
            "element"
        } else {
            "complex type"
        };
        emit!(
            out,
            "schemars::json_schema!({{\"type\": \"object\", \"description\": {}, \"properties\": props, \"required\": [{}], \"additionalProperties\": false}})",
            esc(&format!("XSD {kind} `{}`", s.xsd_name)),
            required.join(", ")
        );
        emit!(out, "}}");
        emit!(out, "}}");
    }

    /// The schema of one property, by the field's value, JSON shape and
    /// occurrence.
    fn schema_value_expr(&self, f: &Field) -> String {
        let inner = match (&f.value, f.json) {
            (_, JsonShape::NumberFromString) => {
                "serde_json::json!({\"type\": \"integer\"})".to_string()
            }
            (FieldValue::Simple(ValueType::Enum(e)), JsonShape::XmlSpelling) => format!(
                "crate::json_schema::string_enum(\"XML spelling (R7)\", &[{}]).to_value()",
                list(&self.m.enums[*e].variants, |v| esc(&v.1))
            ),
            (
                FieldValue::Simple(ValueType::Scalar {
                    scalar: Scalar::String,
                    simple,
                }),
                _,
            ) => format!(
                "crate::json_schema::string(crate::{}::simple_types::SIMPLE_TYPES, {})",
                self.module,
                super::option_rs(simple.as_deref().map(esc))
            ),
            (
                FieldValue::Simple(ValueType::Scalar {
                    scalar: Scalar::Decimal,
                    ..
                }),
                _,
            ) => "crate::json_schema::decimal()".to_string(),
            _ => format!("g.subschema_for::<{}>().to_value()", self.field_inner(f)),
        };
        let inner = if f.json == JsonShape::Wrapped {
            format!("crate::json_schema::wrapped({inner})")
        } else {
            inner
        };
        match f.occurs {
            Occurs::Required => inner,
            // The key is there (ORCID writes every property, R10), its
            // value may be `null` where ORCID's bean held none.
            Occurs::Lenient | Occurs::Optional => format!("crate::json_schema::nullable({inner})"),
            Occurs::Many { .. } => format!("crate::json_schema::array({inner})"),
        }
    }
}
