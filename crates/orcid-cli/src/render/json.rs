//! The JSON format: one document, stable (`docs/validate-output.md`).
//!
//! The structs here are the format: they are written field by field rather
//! than by serializing the library's types, so that a change in
//! `orcid_validate` cannot change the output by accident.

use orcid_validate::Diagnostic;
use serde::Serialize;

use super::{severity_name, FileResult, Outcome, Summary};

/// Version of the format; raised only for an incompatible change.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: SummaryOut,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    format: Option<&'a str>,
    root: Option<&'a str>,
    valid: bool,
    error: Option<&'a str>,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    location: Option<LocationOut<'a>>,
    orcid_error: Option<OrcidErrorOut>,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    line: usize,
    column: usize,
    path: &'a str,
}

#[derive(Serialize)]
struct OrcidErrorOut {
    code: u16,
    http: u16,
}

#[derive(Serialize)]
struct SummaryOut {
    files: usize,
    valid: usize,
    invalid: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
}

/// The whole JSON document (pretty, ending in a newline).
pub fn document(files: &[FileResult], summary: &Summary) -> String {
    let doc = Document {
        version: VERSION,
        files: files.iter().map(file).collect(),
        summary: SummaryOut {
            files: summary.files,
            valid: summary.valid,
            invalid: summary.invalid,
            unreadable: summary.unreadable,
            errors: summary.errors,
            warnings: summary.warnings,
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn file(f: &FileResult) -> File<'_> {
    match &f.outcome {
        Outcome::Checked(report) => File {
            path: &f.path,
            format: report.format,
            root: report.root.as_deref(),
            valid: report.is_valid(),
            error: None,
            diagnostics: report.diagnostics.iter().map(diagnostic).collect(),
        },
        Outcome::Unreadable(msg) => File {
            path: &f.path,
            format: None,
            root: None,
            valid: false,
            error: Some(msg),
            diagnostics: Vec::new(),
        },
    }
}

fn diagnostic(d: &Diagnostic) -> DiagnosticOut<'_> {
    DiagnosticOut {
        code: d.code.as_str(),
        severity: severity_name(d.severity),
        message: &d.message,
        location: d.location.as_ref().map(|l| LocationOut {
            line: l.line,
            column: l.column,
            path: &l.path,
        }),
        orcid_error: d.orcid_error.map(|e| OrcidErrorOut {
            code: e.code,
            http: e.http,
        }),
        hint: d.hint.as_deref(),
    }
}
