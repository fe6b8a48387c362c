//! vnd.orcid+json: serde `Serialize`/`Deserialize` for every struct, the
//! item enum of a repeated choice, enums and unions, following each field's
//! [`JsonShape`].

use super::{esc, list, Renderer};
use crate::ir::{Body, ChoiceList, Enum, Field, JsonShape, Occurs, Struct, Union};

/// Start of a `Deserialize` impl for `name`, up to its function body.
fn deserialize_head(out: &mut String, name: &str, arg: &str) {
    emit!(out, "impl<'de> serde::Deserialize<'de> for {name} {{");
    emit!(
        out,
        "fn deserialize<D: serde::Deserializer<'de>>({arg}: D) -> Result<Self, D::Error> {{"
    );
}

/// A map visitor `V` producing `value`, up to the body of `visit_map`.
fn visitor_head(out: &mut String, value: &str, expecting: &str, returns: &str) {
    emit!(out, "struct V;");
    emit!(out, "impl<'de> serde::de::Visitor<'de> for V {{");
    emit!(out, "type Value = {value};");
    emit!(out, "fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{ f.write_str({}) }}", esc(expecting));
    emit!(out, "fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<{returns}, A::Error> {{");
    emit!(out, "use serde::de::Error as _;");
}

/// Closes `visit_map`, the visitor and `deserialize`, which drives it.
fn visitor_tail(out: &mut String) {
    emit!(out, "}}");
    emit!(out, "}}");
    emit!(out, "deserializer.deserialize_map(V)");
    emit!(out, "}}");
    emit!(out, "}}");
}

/// A match arm that reads the value of `key` into `local`, refusing a
/// repeated key.
fn key_arm(out: &mut String, key: &str, local: &str, read: &str) {
    let key = esc(key);
    emit!(out, "{key} => {{ if {local}.is_some() {{ return Err(A::Error::duplicate_field({key})); }} {local} = Some({read}); }}");
}

impl Renderer<'_> {
    /// `impl Serialize` of a struct (and of its choice item enum): a map
    /// with every JSON key, XML-only fields left out.
    pub(super) fn serialize_struct(&self, out: &mut String, s: &Struct) {
        emit!(out, "impl serde::Serialize for {} {{", s.rust_name);
        emit!(out, "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{");
        emit!(out, "use serde::ser::SerializeMap as _;");
        emit!(out, "let mut map = serializer.serialize_map(None)?;");
        if let Body::ChoiceList(c) = &s.body {
            emit!(
                out,
                "map.serialize_entry({}, &self.{})?;",
                esc(&c.json_key),
                c.rust_name
            );
        }
        for f in s.fields() {
            if f.json == JsonShape::Unwrapped {
                let inner = &self.unwrapped_inner(f).rust_name;
                let expr = match f.occurs.held() {
                    Occurs::Optional | Occurs::Lenient => {
                        format!("&self.{}.as_ref().map(|w| &w.{inner})", f.rust_name)
                    }
                    _ => format!("&self.{}.{inner}", f.rust_name),
                };
                emit!(
                    out,
                    "map.serialize_entry({}, {expr})?;",
                    esc(&self.json_key(f))
                );
            } else if let Some(expr) = serialize_expr(f) {
                emit!(out, "map.serialize_entry({}, {expr})?;", esc(&f.local));
            }
        }
        if let Some(key) = self.choice_array_key(s) {
            serialize_choice_array(out, s, key);
        }
        for k in self.json_only_keys(s) {
            emit!(out, "map.serialize_entry({}, &())?;", esc(k));
        }
        emit!(out, "map.end()");
        emit!(out, "}}");
        emit!(out, "}}");
        if let Body::ChoiceList(c) = &s.body {
            serialize_item_enum(out, c);
        }
    }

    /// `impl Deserialize` of a struct (and of its choice item enum): a map
    /// visitor that accepts exactly the JSON keys of the class.
    pub(super) fn deserialize_struct(&self, out: &mut String, s: &Struct) {
        let name = &s.rust_name;
        let (fields, skipped): (Vec<&Field>, Vec<&Field>) =
            s.fields().partition(|f| f.json != JsonShape::Skip);
        deserialize_head(out, name, "deserializer");
        emit!(
            out,
            "const FIELDS: &[&str] = &[{}];",
            list(self.json_keys(s), |k| esc(&k))
        );
        visitor_head(
            out,
            name,
            &format!("a JSON object for `{}`", s.xsd_name),
            name,
        );
        self.json_locals(out, s, &fields);
        self.read_json_keys(out, s, &fields);
        emit!(out, "Ok({name} {{");
        if let Body::ChoiceList(c) = &s.body {
            emit!(out, "{}: {}.unwrap_or_default(),", c.rust_name, c.rust_name);
        }
        for f in &fields {
            json_field_value(out, f);
        }
        for f in &skipped {
            xml_only_field_value(out, f);
        }
        emit!(out, "}})");
        visitor_tail(out);
        if let Body::ChoiceList(c) = &s.body {
            self.deserialize_item_enum(out, c);
        }
        if self.choice_array_key(s).is_some() {
            self.choice_array_item_enum(out, s);
        }
    }

    /// The JSON key of a struct's choice array, if its rules give it one.
    pub(super) fn choice_array_key(&self, s: &Struct) -> Option<&'static str> {
        self.m.rules.choice_array_key(&s.xsd_name)
    }

    /// The fields whose items go into the struct's choice array.
    pub(super) fn choice_array_fields<'s>(&self, s: &'s Struct) -> Vec<&'s Field> {
        s.fields()
            .filter(|f| f.json == JsonShape::InChoiceArray)
            .collect()
    }

    /// The private enum one item of a choice array is read into: a one-key
    /// object, keyed by the element name.
    fn choice_array_item_enum(&self, out: &mut String, s: &Struct) {
        let name = choice_array_enum(s);
        let fields = self.choice_array_fields(s);
        emit!(out, "#[doc(hidden)] pub enum {name} {{");
        for f in &fields {
            emit!(out, "{}(Box<{}>),", variant_of(f), self.field_inner(f));
        }
        emit!(out, "}}");
        deserialize_head(out, &name, "deserializer");
        emit!(
            out,
            "const VARIANTS: &[&str] = &[{}];",
            list(&fields, |f| esc(&f.local))
        );
        let keys = list(&fields, |f| f.local.clone());
        visitor_head(
            out,
            &name,
            &format!("an object with one key, one of: {keys}"),
            "Self::Value",
        );
        emit!(out, "let Some(key) = map.next_key::<crate::json::Key<'de>>()? else {{ return Err(A::Error::invalid_length(0, &self)); }};");
        emit!(out, "let item = match key.as_str() {{");
        for f in &fields {
            emit!(
                out,
                "{} => {name}::{}(Box::new(map.next_value::<{}>()?)),",
                esc(&f.local),
                variant_of(f),
                self.field_inner(f)
            );
        }
        emit!(
            out,
            "other => return Err(A::Error::unknown_variant(other, VARIANTS)),"
        );
        emit!(out, "}};");
        emit!(out, "if let Some(extra) = map.next_key::<crate::json::Key<'de>>()? {{ return Err(A::Error::custom(format_args!(\"an item of `{}` has exactly one key; unexpected second key `{{}}`\", extra.as_str()))); }}", self.choice_array_key(s).unwrap_or_default());
        emit!(out, "Ok(item)");
        visitor_tail(out);
    }

    /// One `Option` per JSON key, `None` until the key is seen.
    fn json_locals(&self, out: &mut String, s: &Struct, fields: &[&Field]) {
        if let Body::ChoiceList(c) = &s.body {
            emit!(
                out,
                "let mut {}: Option<Vec<{}>> = None;",
                c.rust_name,
                c.item_enum
            );
        }
        for f in fields {
            let inner = self.field_inner(f);
            let seen = match f.occurs.held() {
                Occurs::Many { .. } => format!("Vec<{inner}>"),
                _ => format!("Option<{inner}>"),
            };
            emit!(out, "let mut {}: Option<{seen}> = None;", f.rust_name);
        }
    }

    /// The loop over the object's keys, reading each by its JSON shape.
    fn read_json_keys(&self, out: &mut String, s: &Struct, fields: &[&Field]) {
        emit!(
            out,
            "while let Some(key) = map.next_key::<crate::json::Key<'de>>()? {{"
        );
        emit!(out, "match key.as_str() {{");
        if let Body::ChoiceList(c) = &s.body {
            let read = format!(
                "map.next_value::<crate::json::OneOrMany<{}>>()?.0",
                c.item_enum
            );
            key_arm(out, &c.json_key, &c.rust_name, &read);
        }
        for f in fields.iter().filter(|f| f.json != JsonShape::InChoiceArray) {
            key_arm(
                out,
                &self.json_key(f),
                &f.rust_name,
                &self.deserialize_expr(f),
            );
        }
        if let Some(key) = self.choice_array_key(s) {
            let enum_name = choice_array_enum(s);
            emit!(out, "{} => {{", esc(key));
            emit!(out, "for item in map.next_value::<Option<crate::json::OneOrMany<{enum_name}>>>()?.map(|l| l.0).unwrap_or_default() {{");
            emit!(out, "match item {{");
            for f in self.choice_array_fields(s) {
                emit!(
                    out,
                    "{enum_name}::{}(v) => {}.get_or_insert_with(Vec::new).push(*v),",
                    variant_of(f),
                    f.rust_name
                );
            }
            emit!(out, "}}");
            emit!(out, "}}");
            emit!(out, "}}");
        }
        for k in self.json_only_keys(s) {
            emit!(
                out,
                "{} => {{ map.next_value::<serde::de::IgnoredAny>()?; }}",
                esc(k)
            );
        }
        emit!(
            out,
            "other => return Err(A::Error::unknown_field(other, FIELDS)),"
        );
        emit!(out, "}}");
        emit!(out, "}}");
    }

    /// How the value of a field's key is read, by its JSON shape.
    fn deserialize_expr(&self, f: &Field) -> String {
        let inner = self.field_inner(f);
        if f.json == JsonShape::Unwrapped {
            let list = self.unwrapped_inner(f);
            return format!(
                "map.next_value::<Option<crate::json::OneOrMany<{}>>>()?.map(|l| {inner} {{ {}: l.0 }})",
                self.field_inner(list),
                list.rust_name
            );
        }
        match (f.json, f.occurs.held()) {
            (JsonShape::Wrapped, Occurs::Many { .. }) => format!("map.next_value::<crate::json::OneOrMany<crate::json::Wrapped<{inner}>>>()?.0.into_iter().filter_map(|w| w.0).collect()"),
            (_, Occurs::Many { .. }) => format!("map.next_value::<crate::json::OneOrMany<{inner}>>()?.0"),
            (JsonShape::Wrapped, _) => format!("map.next_value::<Option<crate::json::Wrapped<{inner}>>>()?.and_then(|w| w.0)"),
            (JsonShape::NumberFromString, _) => "map.next_value::<Option<crate::json::NumberOrString>>()?.map(|n| n.0)".to_string(),
            (JsonShape::XmlSpelling, _) => format!("map.next_value::<Option<crate::json::XmlSpelledOwned<{inner}>>>()?.map(|n| n.0)"),
            // Text reads numbers and booleans as their text, as Jackson
            // coerces scalars (`crate::json::Coerced`).
            _ if inner == "String" => {
                "map.next_value::<Option<crate::json::Coerced<String>>>()?.map(|c| c.0)".to_string()
            }
            _ => format!("map.next_value::<Option<{inner}>>()?"),
        }
    }

    fn deserialize_item_enum(&self, out: &mut String, c: &ChoiceList) {
        deserialize_head(out, &c.item_enum, "deserializer");
        emit!(
            out,
            "const VARIANTS: &[&str] = &[{}];",
            list(&c.alternatives, |a| esc(&a.1))
        );
        let keys = list(&c.alternatives, |a| a.1.clone());
        visitor_head(
            out,
            &c.item_enum,
            &format!("an object with one key, one of: {keys}"),
            "Self::Value",
        );
        emit!(out, "let Some(key) = map.next_key::<crate::json::Key<'de>>()? else {{ return Err(A::Error::invalid_length(0, &self)); }};");
        emit!(out, "let item = match key.as_str() {{");
        for (variant, local, _, sidx) in &c.alternatives {
            emit!(
                out,
                "{} => {}::{variant}(Box::new(map.next_value::<{}>()?)),",
                esc(local),
                c.item_enum,
                self.struct_path(*sidx)
            );
        }
        emit!(
            out,
            "other => return Err(A::Error::unknown_variant(other, VARIANTS)),"
        );
        emit!(out, "}};");
        emit!(out, "if let Some(extra) = map.next_key::<crate::json::Key<'de>>()? {{ return Err(A::Error::custom(format_args!(\"a bulk item has exactly one key; unexpected second key `{{}}`\", extra.as_str()))); }}");
        emit!(out, "Ok(item)");
        visitor_tail(out);
    }
}

/// How a field is written, by its JSON shape; `None` for XML-only fields.
fn serialize_expr(f: &Field) -> Option<String> {
    let name = &f.rust_name;
    Some(match (f.json, f.occurs.held()) {
        (JsonShape::Skip, _) => return None,
        (JsonShape::Plain, _) => format!("&self.{name}"),
        (JsonShape::Wrapped, Occurs::Required) => format!("&crate::json::Wrap(&self.{name})"),
        (JsonShape::Wrapped, Occurs::Optional | Occurs::Lenient) => {
            format!("&self.{name}.as_ref().map(crate::json::Wrap)")
        }
        (JsonShape::Wrapped, Occurs::Many { .. }) => {
            format!("&self.{name}.iter().map(crate::json::Wrap).collect::<Vec<_>>()")
        }
        (JsonShape::NumberFromString, Occurs::Optional | Occurs::Lenient) => {
            format!("&self.{name}.as_deref().map(crate::json::NumberFromString)")
        }
        (JsonShape::NumberFromString, _) => format!("&crate::json::NumberFromString(&self.{name})"),
        (JsonShape::XmlSpelling, Occurs::Optional | Occurs::Lenient) => {
            format!("&self.{name}.as_ref().map(crate::json::XmlSpelled)")
        }
        (JsonShape::XmlSpelling, _) => format!("&crate::json::XmlSpelled(&self.{name})"),
        (JsonShape::InChoiceArray | JsonShape::Unwrapped, _) => return None,
    })
}

/// The name of the private item enum of a struct's choice array.
fn choice_array_enum(s: &Struct) -> String {
    format!("{}ChoiceItem", s.rust_name)
}

/// The variant of a choice-array item enum for one field.
fn variant_of(f: &Field) -> String {
    crate::ir::pascal(&f.local)
}

/// Writes the choice array: every item of every alternative, in field
/// order, each as a one-key object.
fn serialize_choice_array(out: &mut String, s: &Struct, key: &str) {
    emit!(out, "struct Items<'a>(&'a {});", s.rust_name);
    emit!(out, "impl serde::Serialize for Items<'_> {{");
    emit!(
        out,
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
    );
    emit!(out, "use serde::ser::SerializeSeq as _;");
    emit!(out, "let mut seq = serializer.serialize_seq(None)?;");
    for f in s.fields().filter(|f| f.json == JsonShape::InChoiceArray) {
        emit!(
            out,
            "for v in &self.0.{} {{ seq.serialize_element(&crate::json::OneKey({}, v))?; }}",
            f.rust_name,
            esc(&f.local)
        );
    }
    emit!(out, "seq.end()");
    emit!(out, "}}");
    emit!(out, "}}");
    emit!(out, "map.serialize_entry({}, &Items(self))?;", esc(key));
}

/// A choice item is an object with one key, the element's local name.
fn serialize_item_enum(out: &mut String, c: &ChoiceList) {
    emit!(out, "impl serde::Serialize for {} {{", c.item_enum);
    emit!(
        out,
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
    );
    emit!(out, "use serde::ser::SerializeMap as _;");
    emit!(out, "let mut map = serializer.serialize_map(Some(1))?;");
    emit!(out, "match self {{");
    for (variant, local, _, _) in &c.alternatives {
        emit!(
            out,
            "Self::{variant}(v) => map.serialize_entry({}, v)?,",
            esc(local)
        );
    }
    emit!(out, "}}");
    emit!(out, "map.end()");
    emit!(out, "}}");
    emit!(out, "}}");
}

/// The struct field of a JSON field: missing or `null` means empty or
/// `None` (noted for one the XSD requires: `crate::json::lenient`), except
/// for the text of a simple type (`crate::json::required`).
fn json_field_value(out: &mut String, f: &Field) {
    let name = &f.rust_name;
    match f.occurs {
        Occurs::Many { .. } => emit!(out, "{name}: {name}.unwrap_or_default(),"),
        Occurs::Lenient => emit!(out, "{name}: crate::json::lenient({name}),"),
        Occurs::Optional => emit!(out, "{name}: {name}.flatten(),"),
        Occurs::Required => emit!(
            out,
            "{name}: crate::json::required({name}, {})?,",
            esc(&f.local)
        ),
    }
}

/// The struct field of an XML-only field: empty, as JSON cannot fill it.
fn xml_only_field_value(out: &mut String, f: &Field) {
    let name = &f.rust_name;
    match f.occurs.held() {
        Occurs::Many { .. } => emit!(out, "{name}: Vec::new(),"),
        Occurs::Optional | Occurs::Lenient => emit!(out, "{name}: None,"),
        // A required XML-only field cannot come from JSON; none exists
        // in v2.1, and the codegen refuses it (see `check_skips`).
        Occurs::Required => emit!(
            out,
            "{name}: return Err(A::Error::missing_field({})),",
            esc(&f.local)
        ),
    }
}

/// `impl Serialize` of an enum or union: its vnd.orcid+json spelling.
pub(super) fn serialize_as_json_str(out: &mut String, name: &str) {
    emit!(out, "impl serde::Serialize for {name} {{ fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{ s.serialize_str(self.as_json()) }} }}");
}

/// The start of an enum's or union's `Deserialize`: the key as a string.
const READ_KEY: &str = "let k = <crate::json::Key<'de> as serde::Deserialize>::deserialize(d)?;";

/// `impl Deserialize` of an enum: one of its JSON spellings.
pub(super) fn deserialize_enum(out: &mut String, e: &Enum) {
    deserialize_head(out, &e.rust_name, "d");
    emit!(
        out,
        "const VARIANTS: &[&str] = &[{}];",
        list(&e.variants, |v| esc(&v.2))
    );
    emit!(out, "{READ_KEY}");
    emit!(out, "Self::from_json(k.as_str()).ok_or_else(|| <D::Error as serde::de::Error>::unknown_variant(k.as_str(), VARIANTS))");
    emit!(out, "}}");
    emit!(out, "}}");
}

/// `impl Deserialize` of a union: a JSON spelling of one of its members.
pub(super) fn deserialize_union(out: &mut String, u: &Union) {
    deserialize_head(out, &u.rust_name, "d");
    emit!(out, "{READ_KEY}");
    emit!(out, "Self::from_json(k.as_str()).ok_or_else(|| <D::Error as serde::de::Error>::custom(format_args!(\"unknown value `{{}}` for `{}`\", k.as_str())))", u.xsd_name);
    emit!(out, "}}");
    emit!(out, "}}");
}
