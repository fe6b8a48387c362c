//! The human format: `FILE:LINE:COL: error[CODE]: message`, the source
//! line with a marker (drawn by ariadne), then `= path`, `= ORCID would
//! answer` and `= hint` notes.

use std::fmt::Write as _;

use ariadne::{Color, Config, IndexType, Label, Report as Drawing, ReportKind, Source as Text};
use orcid_validate::{Diagnostic, Severity};

use super::{plural, severity_name, FileResult, Outcome, Summary};

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Print nothing for valid files.
    pub quiet: bool,
}

/// Source lines longer than this (in characters) are shown in part, around
/// the column.
const MAX_LINE: usize = 120;
/// Characters shown before the column in a long line.
const BEFORE_COLUMN: usize = 40;
/// Longest marker.
const MAX_MARK: usize = 40;

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const GREEN: &str = "\x1b[1;32m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Paints `text` when colours are on.
fn paint(color: bool, ansi: &str, text: &str) -> String {
    if color {
        format!("{ansi}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// The findings of one input and its status line (`FILE: valid (…)`).
/// An unreadable input prints nothing here (its message goes to stderr).
pub fn file(result: &FileResult, text: &str, style: &Style) -> String {
    let Outcome::Checked(report) = &result.outcome else {
        return String::new();
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        diagnostic(&mut out, &result.path, text, d, style.color);
    }
    let valid = report.is_valid();
    if valid && style.quiet {
        return out;
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(root) = &report.root {
        facts.push(root.clone());
    }
    if let Some(format) = report.format {
        facts.push(format.trim_start_matches("application/").to_string());
    }
    let mut counts = Vec::new();
    let errors = super::count(report, Severity::Error);
    let warnings = super::count(report, Severity::Warning);
    if errors > 0 {
        counts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        counts.push(plural(warnings, "warning"));
    }
    let mut details = facts.join(", ");
    if !counts.is_empty() {
        if !details.is_empty() {
            details.push_str("; ");
        }
        details.push_str(&counts.join(", "));
    }
    let status = if valid {
        paint(style.color, GREEN, "valid")
    } else {
        paint(style.color, RED, "invalid")
    };
    let _ = if details.is_empty() {
        writeln!(out, "{}: {status}", result.path)
    } else {
        writeln!(out, "{}: {status} ({details})", result.path)
    };
    if !report.diagnostics.is_empty() {
        out.push('\n');
    }
    out
}

/// `N files, V valid, I invalid, E errors` (then warnings and unreadable
/// files, when there are any).
pub fn summary_line(s: &Summary, color: bool) -> String {
    let mut parts = vec![
        plural(s.files, "file"),
        format!("{} valid", s.valid),
        format!("{} invalid", s.invalid),
        plural(s.errors, "error"),
    ];
    if s.warnings > 0 {
        parts.push(plural(s.warnings, "warning"));
    }
    if s.unreadable > 0 {
        parts.push(format!("{} unreadable", s.unreadable));
    }
    let line = parts.join(", ");
    if s.invalid > 0 || s.unreadable > 0 {
        paint(color, BOLD, &line)
    } else {
        line
    }
}

/// One finding: header, source line with marker, notes, blank line.
fn diagnostic(out: &mut String, path: &str, text: &str, d: &Diagnostic, color: bool) {
    let (severity, ansi) = match d.severity {
        Severity::Error => (severity_name(d.severity), RED),
        Severity::Warning => (severity_name(d.severity), YELLOW),
    };
    let kind = paint(color, ansi, &format!("{severity}[{}]", d.code));
    let message = paint(color, BOLD, &d.message);
    let position = d.location.as_ref().filter(|l| l.line > 0);
    let _ = match position {
        Some(l) => writeln!(out, "{path}:{}:{}: {kind}: {message}", l.line, l.column),
        None => writeln!(out, "{path}: {kind}: {message}"),
    };
    let mut indent = 3;
    if let Some(l) = position {
        if let Some(drawn) = snippet(path, text, l.line, l.column, d, color) {
            out.push_str(&drawn);
            indent = l.line.to_string().len() + 2;
        }
    }
    let pad = " ".repeat(indent);
    let eq = paint(color, BLUE, "=");
    if let Some(l) = &d.location {
        if !l.path.is_empty() {
            let _ = writeln!(out, "{pad}{eq} path: {}", l.path);
        }
    }
    if let Some(e) = d.orcid_error {
        let _ = writeln!(
            out,
            "{pad}{eq} ORCID would answer: {} / error {}",
            e.http, e.code
        );
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{pad}{eq} hint: {hint}");
    }
    out.push('\n');
}

/// The source line of `line` with a marker at `column`, drawn by ariadne
/// without its header line (ours is printed instead). `None` when the line
/// is not in the text.
fn snippet(
    path: &str,
    text: &str,
    line: usize,
    column: usize,
    d: &Diagnostic,
    color: bool,
) -> Option<String> {
    let source_line = text.split('\n').nth(line - 1)?;
    let source_line = source_line.strip_suffix('\r').unwrap_or(source_line);
    let chars: Vec<char> = source_line.chars().collect();
    let col = column.saturating_sub(1).min(chars.len());
    // A long line is shown around the column, with `…` where it is cut.
    let (start, end) = if chars.len() > MAX_LINE {
        let start = col.saturating_sub(BEFORE_COLUMN);
        (start, (start + MAX_LINE).min(chars.len()))
    } else {
        (0, chars.len())
    };
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    // One blank past the end, so a column just after the text has a place.
    shown.push(' ');
    let mark_start = col - start + usize::from(start > 0);
    let mark_len = mark_length(&chars[col..end]);

    // Earlier lines are blank, so that ariadne numbers the line right.
    let mut source = "\n".repeat(line - 1);
    let span_start = source.chars().count() + mark_start;
    source.push_str(&shown);
    let span = (path, span_start..span_start + mark_len);
    let label_color = match d.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
    };
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let drawing = Drawing::build(kind, span.clone())
        .with_config(
            Config::new()
                .with_color(color)
                .with_index_type(IndexType::Char),
        )
        .with_label(
            Label::new(span)
                .with_message(d.code.label())
                .with_color(label_color),
        )
        .finish();
    let mut buf = Vec::new();
    drawing.write((path, Text::from(source)), &mut buf).ok()?;
    let drawn = String::from_utf8_lossy(&buf);
    let mut out = String::new();
    // Line 1 is ariadne's `Error: …` header: ours replaces it.
    for l in drawn.lines().skip(1) {
        out.push_str(l.trim_end());
        out.push('\n');
    }
    Some(out)
}

/// How many characters the marker covers from the column: an XML tag name
/// (`<work:title`), a quoted JSON string, or a word.
fn mark_length(rest: &[char]) -> usize {
    let n = match rest.first() {
        None => 0,
        Some('<') => {
            let skip = 1 + usize::from(rest.get(1) == Some(&'/'));
            skip + rest[skip.min(rest.len())..]
                .iter()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/' | '<'))
                .count()
        }
        // The closing quote of a key (where JSON errors about keys point).
        Some('"') if closes_string(&rest[1..]) => 1,
        Some('"') => match rest[1..].iter().position(|c| *c == '"') {
            Some(i) => i + 2,
            None => rest.len(),
        },
        Some(_) => rest
            .iter()
            .take_while(|c| {
                !c.is_whitespace() && !matches!(c, '<' | '>' | ',' | '{' | '}' | '[' | ']' | '"')
            })
            .count(),
    };
    n.clamp(1, MAX_MARK)
}

/// Whether a `"` followed by `after` ends a JSON string: what follows it
/// is `:`, `,`, `}`, `]` or the end of the line.
fn closes_string(after: &[char]) -> bool {
    after
        .iter()
        .find(|c| !c.is_whitespace())
        .is_none_or(|c| matches!(c, ':' | ',' | '}' | ']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn marks_cover_one_token() {
        assert_eq!(mark_length(&chars("<common:title>x</common:title>")), 13);
        assert_eq!(mark_length(&chars("</work:work>")), 11);
        assert_eq!(mark_length(&chars("\"title\" : 1")), 7);
        assert_eq!(mark_length(&chars("\": \"teal\"")), 1);
        assert_eq!(mark_length(&chars("abc def")), 3);
        assert_eq!(mark_length(&chars("")), 1);
        assert_eq!(mark_length(&chars(" x")), 1);
    }

    #[test]
    fn summary_line_counts() {
        let s = Summary {
            files: 3,
            valid: 1,
            invalid: 2,
            unreadable: 0,
            errors: 1,
            warnings: 0,
        };
        assert_eq!(
            summary_line(&s, false),
            "3 files, 1 valid, 2 invalid, 1 error"
        );
    }
}
