//! `orcid explain CODE`: an ORCID error code or a diagnostic code.

use std::fmt::Write as _;

use orcid_validate::orcid_codes::{self, OrcidCode};
use orcid_validate::{Code, CodeInfo, Operation, Rule, SchemaCode, Severity, RULES, SCHEMA_CODES};

use crate::cli::ExplainArgs;
use crate::error::CliError;
use crate::io;

/// Runs `orcid explain`.
pub fn run(args: ExplainArgs) -> Result<(), CliError> {
    let code = args.code.trim();
    let text = explain(code).ok_or_else(|| CliError::Invalid(unknown(code)))?;
    io::write_stdout(&text)
}

/// The explanation of `code`, or `None` when it is not a known code.
pub fn explain(code: &str) -> Option<String> {
    if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        let n: u16 = code.parse().ok()?;
        return orcid_codes::lookup(n).map(orcid_code);
    }
    match Code::parse(code)? {
        Code::Schema(c) => Some(schema_code(c.info())),
        Code::Rule(r) => Some(rule(r)),
    }
}

/// The message for a code that is not known.
fn unknown(code: &str) -> String {
    let mut msg = format!("orcid: unknown code `{code}`: ");
    if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        let known: Vec<String> = orcid_codes::ORCID_CODES
            .iter()
            .map(|c| c.code.to_string())
            .collect();
        let _ = write!(
            msg,
            "not an ORCID v2.1 error code (known: {})",
            known.join(", ")
        );
        return msg;
    }
    msg.push_str(
        "neither an ORCID error code (e.g. 9021) nor a diagnostic code of `orcid validate` \
         (`syntax`, `xsd.*`, `json.*`, `orcid.*`)",
    );
    // Close spellings first, else the codes of the same family.
    let known: Vec<&str> = SCHEMA_CODES
        .iter()
        .map(|c| c.code)
        .chain(RULES.iter().map(|r| r.id))
        .collect();
    let close: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| distance(k, code) <= 3)
        .collect();
    if !close.is_empty() {
        let _ = write!(msg, "\ndid you mean {}?", quoted(&close).join(" or "));
        return msg;
    }
    let family = match code.rsplit_once('.') {
        Some((family, _)) => family,
        None => return msg,
    };
    let similar: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| k.starts_with(family) && k[family.len()..].starts_with('.'))
        .collect();
    if !similar.is_empty() {
        let _ = write!(
            msg,
            "\nknown `{family}.*` codes: {}",
            quoted(&similar).join(", ")
        );
    }
    msg
}

fn quoted(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| format!("`{c}`")).collect()
}

/// Levenshtein distance, for typos.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn orcid_code(c: &OrcidCode) -> String {
    let mut out = format!("ORCID error {} (HTTP {}", c.code, c.http);
    for h in c.other_http {
        let _ = write!(out, " or {h}");
    }
    let _ = writeln!(out, "): {}", c.title);
    let _ = writeln!(out, "\n{}", c.meaning);
    if !c.causes.is_empty() {
        out.push_str("\nUsual causes:\n");
        for cause in c.causes {
            let _ = writeln!(out, "  - {cause}");
        }
    }
    let rules = orcid_codes::rules_for_code(c.code);
    let schema: Vec<&CodeInfo> = SchemaCode::predicting(c.code)
        .map(SchemaCode::info)
        .collect();
    if rules.is_empty() && schema.is_empty() {
        out.push_str(
            "\n`orcid validate` does not predict this error: it depends on the request or on \
             the stored record, not on the payload.\n",
        );
        return out;
    }
    out.push_str("\nPredicted by `orcid validate` as:\n");
    let width = rules
        .iter()
        .map(|r| r.id.len())
        .chain(schema.iter().map(|s| s.code.len()))
        .max()
        .unwrap_or(0);
    for r in &rules {
        let _ = write!(out, "  {:width$}  {}", r.id, r.summary);
        if !r.model_enforced.is_empty() {
            let _ = write!(
                out,
                " (in {} reported as a schema error: the model refuses such a payload)",
                versions(r.model_enforced)
            );
        }
        if r.severity == Severity::Warning {
            out.push_str(" (warning)");
        }
        out.push('\n');
    }
    for s in &schema {
        let inputs: Vec<&str> = s
            .orcid
            .iter()
            .filter(|(_, e)| e.code == c.code)
            .map(|(what, _)| *what)
            .collect();
        let _ = writeln!(
            out,
            "  {:width$}  {} ({} input)",
            s.code,
            s.summary,
            inputs.join(" and ")
        );
    }
    out.push_str("\nRun `orcid explain CODE` with one of these for details.\n");
    out
}

fn schema_code(c: &CodeInfo) -> String {
    let mut out = format!("{}: {}\n\n{}\n", c.code, c.summary, c.meaning);
    if !c.causes.is_empty() {
        out.push_str("\nUsual causes:\n");
        for cause in c.causes {
            let _ = writeln!(out, "  - {cause}");
        }
    }
    out.push_str("\nORCID answers:\n");
    for (what, e) in c.orcid {
        let title = orcid_codes::lookup(e.code).map_or("", |o| o.title);
        let _ = writeln!(
            out,
            "  {what} input: HTTP {} with error {} ({title})",
            e.http, e.code
        );
    }
    if let [(_, e), ..] = c.orcid {
        let _ = writeln!(out, "\nSee also `orcid explain {}`.", e.code);
    }
    out
}

fn rule(r: &Rule) -> String {
    let mut out = format!("{}: {}\n", r.id, r.summary);
    let title = orcid_codes::lookup(r.orcid_code).map_or("", |o| o.title);
    let answers = match r.severity {
        Severity::Error => "ORCID answers",
        Severity::Warning => "Where ORCID refuses it, it answers",
    };
    let _ = writeln!(
        out,
        "\n{answers}: HTTP {} with error {} ({title})",
        r.http, r.orcid_code
    );
    let ops: Vec<&str> = r.operations.iter().map(|o| Operation::as_str(*o)).collect();
    let sections = |names: String| {
        if names.is_empty() {
            "-".to_string()
        } else {
            names
        }
    };
    let _ = writeln!(
        out,
        "Applies to: v2.1: {}; v3.0: {} ({})",
        sections(r.section_names()),
        sections(r.section_names_v3_0()),
        ops.join(", ")
    );
    let severity = match r.severity {
        Severity::Error => "error: ORCID rejects the payload",
        Severity::Warning => {
            "warning: ORCID is not known to reject it, but it is almost certainly wrong"
        }
    };
    let _ = writeln!(out, "Severity: {severity}");
    if !r.model_enforced.is_empty() {
        let _ = writeln!(
            out,
            "Note: in {} the typed model already refuses such a payload, so `orcid validate` \
             reports it as a schema error (xsd.* or json.*).",
            versions(r.model_enforced)
        );
    }
    let _ = writeln!(out, "\nHow to fix: {}", r.hint);
    let _ = writeln!(out, "Evidence: {}", r.reference);
    let _ = writeln!(out, "\nSee also `orcid explain {}`.", r.orcid_code);
    out
}

/// `v2.1 and v3.0`.
fn versions(v: &[orcid_model::Version]) -> String {
    v.iter()
        .map(|v| format!("v{v}"))
        .collect::<Vec<_>>()
        .join(" and ")
}
