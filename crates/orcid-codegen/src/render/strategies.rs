//! The generated `arbitrary.rs`: proptest `Arbitrary` for every struct and
//! for `Document` (test builds only), so that property tests cover the
//! whole model.

use super::{list, Renderer};
use crate::ir::{Body, Field, FieldValue, JsonShape, Occurs, Scalar, Struct, ValueType};

/// `impl Arbitrary for {ty}` whose strategy is `strategy`.
fn arbitrary_impl(out: &mut String, ty: &str, strategy: &str) {
    emit!(out, "impl Arbitrary for {ty} {{");
    emit!(out, "type Parameters = ();");
    emit!(out, "type Strategy = BoxedStrategy<Self>;");
    emit!(out, "fn arbitrary_with(_: ()) -> Self::Strategy {{");
    emit!(out, "{strategy}");
    emit!(out, "}}");
    emit!(out, "}}");
}

impl Renderer<'_> {
    /// The text of `arbitrary.rs`.
    pub(super) fn arbitrary(&self) -> String {
        let mut out = String::new();
        emit!(
            out,
            "//! proptest strategies for every generated type (test builds only)."
        );
        emit!(
            out,
            "#![allow(clippy::all, clippy::pedantic, unused_parens)]"
        );
        emit!(out, "use proptest::prelude::*;");
        emit!(
            out,
            "/// XML-safe text, including markup characters and non-ASCII."
        );
        emit!(
            out,
            "{}",
            r#"fn text() -> impl Strategy<Value = String> { "[a-zA-Z0-9 <>&'\"\t\n\r\u{e9}\u{4e2d}\u{1f600}-]{0,12}" }"#
        );
        for (i, s) in self.m.structs.iter().enumerate() {
            arbitrary_impl(&mut out, &self.struct_path(i), &self.struct_strategy(i, s));
        }
        let arms = list(&self.m.roots, |r| {
            format!(
                "any::<{}>().prop_map(|x| crate::{}::Document::{}(Box::new(x))).boxed()",
                self.struct_path(r.struct_idx),
                self.module,
                r.variant
            )
        });
        arbitrary_impl(
            &mut out,
            &format!("crate::{}::Document", self.module),
            &format!("proptest::strategy::Union::new(vec![{arms}]).boxed()"),
        );
        out
    }

    /// A struct from a strategy per field (and one for its choice list).
    fn struct_strategy(&self, idx: usize, s: &Struct) -> String {
        let path = self.struct_path(idx);
        let mut names: Vec<String> = Vec::new();
        let mut strategies: Vec<String> = Vec::new();
        if let Body::ChoiceList(c) = &s.body {
            let item_enum = self.type_path(s.ns, &c.item_enum);
            let arms = list(&c.alternatives, |(v, _, _, si)| {
                format!(
                    "any::<{}>().prop_map(|x| {item_enum}::{v}(Box::new(x)))",
                    self.struct_path(*si)
                )
            });
            names.push(c.rust_name.clone());
            strategies.push(format!(
                "proptest::collection::vec(prop_oneof![{arms}], 0..=3)"
            ));
        }
        for f in s.fields() {
            names.push(f.rust_name.clone());
            strategies.push(self.arb_field(f));
        }
        if names.is_empty() {
            return format!("Just({path} {{}}).boxed()");
        }
        // proptest tuples go up to 12: nest chunks of 8.
        let tuples = |items: &[String]| list(items.chunks(8), |c| format!("({},)", c.join(", ")));
        format!(
            "({},).prop_map(|({},)| {path} {{ {} }}).boxed()",
            tuples(&strategies),
            tuples(&names),
            names.join(", ")
        )
    }

    fn arb_field(&self, f: &Field) -> String {
        let inner = match &f.value {
            FieldValue::Struct(i) => format!("any::<{}>()", self.struct_path(*i)),
            FieldValue::Simple(v) => self.arb_value(v, f.json),
        };
        match f.occurs {
            Occurs::Required => inner,
            // What the XSD requires is always generated, so that every
            // generated document is valid under the XSD.
            Occurs::Lenient => format!("({inner}).prop_map(Some)"),
            Occurs::Optional => format!("proptest::option::of({inner})"),
            Occurs::Many { min, max } => {
                let hi = max.map_or(min + 2, |m| m.min(min + 2));
                format!("proptest::collection::vec({inner}, {min}..={hi})")
            }
        }
    }

    fn arb_value(&self, v: &ValueType, json: JsonShape) -> String {
        if json == JsonShape::NumberFromString {
            return "\"[0-9]{1,4}\"".into();
        }
        match v {
            ValueType::Scalar { scalar, .. } => arb_scalar(*scalar).into(),
            ValueType::Enum(e) => format!("proptest::sample::select({}::ALL)", self.enum_path(*e)),
            ValueType::Union(u) => {
                let arms = list(&self.m.unions[*u].members, |(v, e)| {
                    format!(
                        "proptest::sample::select({}::ALL).prop_map({}::{v})",
                        self.enum_path(*e),
                        self.union_path(*u)
                    )
                });
                format!("prop_oneof![{arms}]")
            }
        }
    }
}

fn arb_scalar(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "text()",
        Scalar::Decimal => "\"[0-9]{1,6}(\\\\.[0-9]{1,2})?\"",
        Scalar::DateTime => "(-2_000_000_000_000i64..4_000_000_000_000i64).prop_map(crate::scalar::DateTime::from_epoch_millis)",
        Scalar::Uri => "\"https://[a-z]{1,8}\\\\.org/[a-z0-9]{0,8}\".prop_map(|s: String| crate::scalar::Uri(s))",
        Scalar::Integer => "any::<i64>()",
        Scalar::Bool => "any::<bool>()",
        Scalar::PutCode => "(0i64..i64::MAX).prop_map(crate::scalar::PutCode)",
        Scalar::Year => "(1900i32..=2100).prop_map(crate::scalar::Year::new)",
        Scalar::Month => "(1i32..=12).prop_map(crate::scalar::Month::new)",
        Scalar::Day => "(1i32..=28).prop_map(crate::scalar::Day::new)",
        Scalar::OrcidId => "\"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]\".prop_map(|s: String| crate::scalar::OrcidId(s))",
    }
}
