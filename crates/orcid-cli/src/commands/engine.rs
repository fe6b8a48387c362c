//! `orcid validate --engine libxml2|both`: ORCID's XSDs through libxml2
//! (cargo feature `libxml`), and where it and the built-in validator
//! disagree. Without the feature, asking for libxml2 is a usage error.

use crate::cli::{Engine, ValidateArgs};
use crate::error::CliError;

/// The usage error of a build without the `libxml` feature.
#[cfg(not(feature = "libxml"))]
pub fn run(args: &ValidateArgs) -> Result<(), CliError> {
    Err(CliError::Usage(format!(
        "`--engine {}` needs libxml2, and this `orcid` was built without it: rebuild with \
         `cargo build -p orcid-cli --features libxml` (needs libxml2-dev and pkg-config)",
        match args.engine {
            Engine::Both => "both",
            _ => "libxml2",
        }
    )))
}

#[cfg(feature = "libxml")]
pub use with_libxml::run;

#[cfg(feature = "libxml")]
mod with_libxml {
    use std::path::Path;

    use libxml::parser::Parser;
    use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
    use orcid_model::{Format, Version};
    use orcid_schemas::SchemaSet;

    use super::*;
    use crate::cli::ReportFormat;
    use crate::error::EXIT_INVALID;

    /// libxml2 with the wrapper XSD of one API version.
    pub struct Libxml {
        ctx: SchemaValidationContext,
    }

    impl Libxml {
        /// Parses the wrapper XSD of `set` over the schemas in `cache`.
        pub fn new(set: SchemaSet, cache: &Path) -> Result<Libxml, String> {
            let xsd = orcid_schemas::wrapper_xsd_for(set, cache).map_err(|e| e.to_string())?;
            let mut parser = SchemaParserContext::from_buffer(xsd.as_bytes());
            let ctx = SchemaValidationContext::from_parser(&mut parser).map_err(|errs| {
                let first = errs.into_iter().next().and_then(|e| e.message);
                format!(
                    "libxml2 cannot read ORCID's XSDs in `{}`: {}",
                    cache.display(),
                    first.unwrap_or_default().trim()
                )
            })?;
            Ok(Libxml { ctx })
        }

        /// libxml2's errors on `text` (none: valid), as `line: message`.
        pub fn check(&mut self, text: &str) -> Vec<String> {
            let doc = match Parser::default().parse_string(text) {
                Ok(doc) => doc,
                Err(e) => return vec![format!("not well-formed XML: {e:?}")],
            };
            match self.ctx.validate_document(&doc) {
                Ok(()) => Vec::new(),
                Err(errs) => errs
                    .into_iter()
                    .map(|e| {
                        format!(
                            "line {}: {}",
                            e.line.unwrap_or(0),
                            e.message.unwrap_or_default().trim()
                        )
                    })
                    .collect(),
            }
        }
    }

    /// The version an XML text is validated in: `--api`, else what it
    /// shows, else `fallback` (as the built-in engine does).
    fn version_of(text: &str, api: Option<Version>, fallback: Version) -> Version {
        api.unwrap_or(match orcid_model::detect_version(text, Format::Xml) {
            orcid_model::Detected::Certain { version, .. } => version,
            orcid_model::Detected::Ambiguous => fallback,
        })
    }

    /// Validates each XML file of `args.inputs` with libxml2 (and, for
    /// `both`, with the built-in validator too); one line (or JSON object)
    /// per file. Exit 1 when a file is invalid (`libxml2`) or when the
    /// engines disagree on one (`both`).
    pub fn run(args: &ValidateArgs) -> Result<(), CliError> {
        let mut engines: Vec<(SchemaSet, Libxml)> = Vec::new();
        let fallback = crate::config::api_version(None)?.value;
        let ctx = orcid_validate::Context {
            operation: args.op.into(),
            url_put_code: args.put_code,
            stored_visibility: args.stored_visibility.map(Into::into),
        };
        let mut failed = false;
        let mut out = String::new();
        let mut json = Vec::new();
        for path in &args.inputs {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Io(format!("orcid: cannot read `{shown}`: {e}")))?;
            if !text.trim_start().starts_with('<') {
                return Err(CliError::Usage(format!(
                    "`--engine libxml2|both` checks XML files; `{shown}` is not XML"
                )));
            }
            let version = version_of(&text, args.api.api, fallback);
            let set = match version {
                Version::V2_1 => SchemaSet::V2_1,
                Version::V3_0 => SchemaSet::V3_0,
            };
            let i = match engines.iter().position(|(s, _)| *s == set) {
                Some(i) => i,
                None => {
                    let e = Libxml::new(set, &args.schema_cache).map_err(CliError::Io)?;
                    engines.push((set, e));
                    engines.len() - 1
                }
            };
            let libxml_errors = engines[i].1.check(&text);
            let libxml_valid = libxml_errors.is_empty();
            let rust = match args.engine {
                Engine::Both => Some(orcid_validate::validate_text(
                    &text, args.root, version, &ctx,
                )),
                _ => None,
            };
            // Only the schema layer is compared: ORCID's server rules are
            // beyond an XSD.
            let rust_valid = rust.as_ref().map(|r| {
                !r.diagnostics.iter().any(|d| {
                    d.severity == orcid_validate::Severity::Error
                        && matches!(d.code, orcid_validate::Code::Schema(_))
                })
            });
            let disagree = rust_valid.is_some_and(|v| v != libxml_valid);
            failed |= match args.engine {
                Engine::Both => disagree,
                _ => !libxml_valid,
            };
            let verdict = |v: bool| if v { "valid" } else { "invalid" };
            if args.format == ReportFormat::Json {
                json.push(serde_json::json!({
                    "path": shown,
                    "libxml2": { "valid": libxml_valid, "errors": libxml_errors },
                    "rust": rust_valid.map(|v| serde_json::json!({ "valid": v })),
                    "engine-disagreement": disagree,
                }));
                continue;
            }
            match rust_valid {
                Some(r) if disagree => out.push_str(&format!(
                    "{shown}: engine-disagreement: the built-in validator says {}, libxml2 says {}\n",
                    verdict(r),
                    verdict(libxml_valid)
                )),
                Some(_) => out.push_str(&format!(
                    "{shown}: both engines agree: {}\n",
                    verdict(libxml_valid)
                )),
                None => out.push_str(&format!("{shown}: libxml2: {}\n", verdict(libxml_valid))),
            }
            for e in &libxml_errors {
                out.push_str(&format!("  libxml2: {e}\n"));
            }
        }
        if args.format == ReportFormat::Json {
            out = format!("{}\n", serde_json::json!({ "files": json }));
        }
        crate::io::write_stdout(&out)?;
        if failed {
            Err(CliError::Reported(EXIT_INVALID))
        } else {
            Ok(())
        }
    }
}
