//! Output formats of `orcid validate`: human, JSON and SARIF.

pub mod human;
pub mod json;
pub mod lines;
pub mod sarif;

use orcid_validate::{Report, Severity};

/// What became of one input.
#[derive(Debug)]
pub struct FileResult {
    /// The input's name as given (`<stdin>` for standard input).
    pub path: String,
    /// Its report, or why it could not be read.
    pub outcome: Outcome,
}

/// A report, or an input that could not be read.
#[derive(Debug)]
pub enum Outcome {
    /// The input was checked.
    Checked(Report),
    /// The input could not be read (the message says why, e.g. "cannot
    /// read `x.xml`: Permission denied").
    Unreadable(String),
}

/// Counts over every input.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Inputs (readable or not).
    pub files: usize,
    /// Inputs without error-level findings.
    pub valid: usize,
    /// Inputs with at least one error-level finding.
    pub invalid: usize,
    /// Inputs that could not be read (neither valid nor invalid).
    pub unreadable: usize,
    /// Error-level findings, over all inputs.
    pub errors: usize,
    /// Warning-level findings, over all inputs.
    pub warnings: usize,
}

impl Summary {
    /// Counts `files`.
    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for f in files {
            match &f.outcome {
                Outcome::Checked(r) => {
                    if r.is_valid() {
                        s.valid += 1;
                    } else {
                        s.invalid += 1;
                    }
                    s.errors += count(r, Severity::Error);
                    s.warnings += count(r, Severity::Warning);
                }
                Outcome::Unreadable(_) => s.unreadable += 1,
            }
        }
        s
    }
}

/// Findings of a severity in a report.
pub fn count(report: &Report, severity: Severity) -> usize {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// `error` or `warning`.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `N thing` or `N things`.
pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("{n} {what}")
    } else {
        format!("{n} {what}s")
    }
}
