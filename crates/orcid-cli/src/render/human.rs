//! The human format: `FILE:LINE:COL: error[CODE]: message`, the source
//! line with a marker (drawn by ariadne), then `= path`, `= ORCID would
//! answer` and `= hint` notes.
//!
//! Only the first [`Style::max_findings`] findings of an input are drawn;
//! the rest are counted by code, with where each code is first found (the
//! JSON and SARIF formats list every finding). Source lines come from a
//! [`SourceLines`], indexed once per input.

use std::collections::HashMap;
use std::fmt::Write as _;

use ariadne::{Color, Config, IndexType, Label, Report as Drawing, ReportKind, Source as Text};
use orcid_validate::{Diagnostic, Severity};

use super::lines::SourceLines;
use super::{plural, severity_name, FileResult, Outcome, Summary};

/// Findings of an input drawn with their source line unless
/// `--max-findings` says otherwise: more than a screenful of drawings is
/// not read, while the counts by code that follow them are.
pub const DEFAULT_MAX_FINDINGS: usize = 20;

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Print nothing for valid files.
    pub quiet: bool,
    /// Findings drawn per input (0: all); the others are counted by code.
    pub max_findings: usize,
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
pub fn file(result: &FileResult, lines: &SourceLines, style: &Style) -> String {
    let Outcome::Checked(report) = &result.outcome else {
        return String::new();
    };
    let mut out = String::new();
    let all = &report.diagnostics;
    let drawn = match style.max_findings {
        0 => all.len(),
        max => max.min(all.len()),
    };
    for d in &all[..drawn] {
        diagnostic(&mut out, &result.path, lines, d, style.color);
    }
    if drawn < all.len() {
        counted(&mut out, &result.path, &all[drawn..], drawn, style.color);
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

/// `error[CODE]` or `warning[CODE]`, in its colour.
fn kind(d: &Diagnostic, color: bool) -> String {
    let ansi = match d.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
    };
    paint(
        color,
        ansi,
        &format!("{}[{}]", severity_name(d.severity), d.code),
    )
}

/// The findings after the first `drawn`, counted by code (most frequent
/// first), each with where it is first found: one line per code, however
/// many findings.
fn counted(out: &mut String, path: &str, rest: &[Diagnostic], drawn: usize, color: bool) {
    let mut codes: Vec<(&Diagnostic, usize)> = Vec::new();
    let mut seen: HashMap<(bool, String), usize> = HashMap::new();
    for d in rest {
        let key = (d.severity == Severity::Error, d.code.to_string());
        match seen.get(&key) {
            Some(&i) => codes[i].1 += 1,
            None => {
                seen.insert(key, codes.len());
                codes.push((d, 1));
            }
        }
    }
    // Stable: codes as frequent as each other stay in order of appearance.
    codes.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let width = codes.first().map_or(1, |(_, n)| n.to_string().len());
    let _ = writeln!(
        out,
        "{path}: {}, by code (the first {drawn} are drawn above; `--max-findings 0` draws all, \
         `orcid explain CODE` explains a code):",
        plural(rest.len(), "more finding"),
    );
    for (d, n) in codes {
        let at = match d.location.as_ref().filter(|l| l.line > 0) {
            Some(l) => format!("{path}:{}:{}", l.line, l.column),
            None => path.to_string(),
        };
        let _ = writeln!(out, "  {n:>width$} × {}, first at {at}", kind(d, color));
    }
    out.push('\n');
}

/// One finding: header, source line with marker, notes, blank line.
fn diagnostic(out: &mut String, path: &str, lines: &SourceLines, d: &Diagnostic, color: bool) {
    let kind = kind(d, color);
    let message = paint(color, BOLD, &d.message);
    let position = d.location.as_ref().filter(|l| l.line > 0);
    let _ = match position {
        Some(l) => writeln!(out, "{path}:{}:{}: {kind}: {message}", l.line, l.column),
        None => writeln!(out, "{path}: {kind}: {message}"),
    };
    let mut indent = 3;
    if let Some(l) = position {
        if let Some(drawn) = snippet(path, lines, l.line, l.column, d, color) {
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
    lines: &SourceLines,
    line: usize,
    column: usize,
    d: &Diagnostic,
    color: bool,
) -> Option<String> {
    // A long line is shown around the column, with `…` where it is cut.
    let window = lines.window(line, column, MAX_LINE, BEFORE_COLUMN)?;
    let chars: Vec<char> = window.text.chars().collect();
    let mut shown = String::new();
    if window.cut_before {
        shown.push('…');
    }
    shown.push_str(window.text);
    if window.cut_after {
        shown.push('…');
    }
    // One blank past the end, so a column just after the text has a place.
    shown.push(' ');
    let mark_start = window.col + usize::from(window.cut_before);
    let mark_len = mark_length(&chars[window.col..]);

    // ariadne is given the one line (as line 1), and [`renumber`] puts its
    // number back: a source of all the lines before it would cost as much
    // as the input for each finding.
    let span = (path, mark_start..mark_start + mark_len);
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
    drawing.write((path, Text::from(shown)), &mut buf).ok()?;
    Some(renumber(&String::from_utf8_lossy(&buf), path, line))
}

/// A drawing of a one-line source, as drawn if the line were line `line`:
/// its number in the frame's header and its margin, every margin as wide
/// as the number. Line 1 of the drawing, ariadne's `Error: …` header, is
/// left out (ours replaces it).
fn renumber(drawn: &str, path: &str, line: usize) -> String {
    let number = line.to_string();
    let pad = " ".repeat(number.len() - 1);
    let rows: Vec<&str> = drawn.lines().skip(1).collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let row = row.trim_end();
        if i + 1 == rows.len() {
            // The frame's end: `───╯`, one `─` more per digit.
            out.push_str(&row.replacen('╯', &format!("{}╯", "─".repeat(pad.len())), 1));
        } else if i == 2 {
            // The source line: ` 1 │ text`.
            out.push_str(&row.replacen("1 │", &format!("{number} │"), 1));
        } else {
            out.push_str(&pad);
            if i == 0 {
                // The frame's header: `╭─[ PATH:1:COL ]`.
                out.push_str(&row.replacen(
                    &format!(" {path}:1:"),
                    &format!(" {path}:{number}:"),
                    1,
                ));
            } else {
                out.push_str(row);
            }
        }
        out.push('\n');
    }
    out
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
    use orcid_validate::{Location, SchemaCode};

    /// The drawing as ariadne makes it of a source with `line - 1` blank
    /// lines before the line: what [`snippet`] gives without paying for them.
    fn drawn_with_every_line(
        path: &str,
        text: &str,
        line: usize,
        column: usize,
        d: &Diagnostic,
        color: bool,
    ) -> String {
        let source_line = text.split('\n').nth(line - 1).unwrap();
        let chars: Vec<char> = source_line.chars().collect();
        let col = column.saturating_sub(1).min(chars.len());
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
        shown.push(' ');
        let mark_start = col - start + usize::from(start > 0);
        let mark_len = mark_length(&chars[col..end]);
        let mut source = "\n".repeat(line - 1);
        let span_start = source.chars().count() + mark_start;
        source.push_str(&shown);
        let span = (path, span_start..span_start + mark_len);
        let label_color = match d.severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
        };
        let drawing = Drawing::build(ReportKind::Error, span.clone())
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
        drawing.write((path, Text::from(source)), &mut buf).unwrap();
        let drawn = String::from_utf8_lossy(&buf);
        let mut out = String::new();
        for l in drawn.lines().skip(1) {
            out.push_str(l.trim_end());
            out.push('\n');
        }
        out
    }

    fn finding(severity: Severity) -> Diagnostic {
        Diagnostic {
            code: SchemaCode::Syntax.into(),
            severity,
            message: "m".into(),
            location: None,
            node: None,
            orcid_error: None,
            hint: None,
        }
    }

    #[test]
    fn drawings_are_as_if_every_line_were_given() {
        let long = format!(
            "{}<common:title>{}</common:title>",
            " ".repeat(300),
            "é".repeat(200)
        );
        let texts = [
            "  <work:title>x</work:title>",
            "\"colour\": \"teal\"",
            long.as_str(),
            "",
        ];
        for color in [false, true] {
            for severity in [Severity::Error, Severity::Warning] {
                let d = finding(severity);
                for text in texts {
                    for line in [1, 2, 9, 10, 11, 99, 100, 999, 1000, 12345] {
                        let mut all = "\n".repeat(line - 1);
                        all.push_str(text);
                        all.push('\n');
                        for column in [1, 3, 5, 16, 301, 302, 420, 600] {
                            let expected =
                                drawn_with_every_line("f.xml", &all, line, column, &d, color);
                            let lines = SourceLines::whole(all.clone());
                            let got = snippet("f.xml", &lines, line, column, &d, color).unwrap();
                            let visible = |s: &str| {
                                // Colours may sit elsewhere around the blanks of a margin.
                                let mut plain = String::new();
                                let mut escape = false;
                                for c in s.chars() {
                                    match (escape, c) {
                                        (false, '\x1b') => escape = true,
                                        (true, 'm') => escape = false,
                                        (true, _) => {}
                                        (false, c) => plain.push(c),
                                    }
                                }
                                plain
                            };
                            if color {
                                assert_eq!(
                                    visible(&got),
                                    visible(&expected),
                                    "line {line}, column {column}"
                                );
                            } else {
                                assert_eq!(got, expected, "line {line}, column {column}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn findings_past_the_limit_are_counted_by_code() {
        let mut text = String::new();
        let mut diagnostics = Vec::new();
        for i in 1..=3000 {
            text.push_str("<work:type>bogus</work:type>\n");
            let mut d = finding(if i % 3 == 0 {
                Severity::Warning
            } else {
                Severity::Error
            });
            d.location = Some(Location {
                line: i,
                column: 1,
                path: String::new(),
            });
            diagnostics.push(d);
        }
        let n = text.len();
        let result = FileResult {
            path: "w.xml".into(),
            outcome: Outcome::Checked(orcid_validate::Report {
                format: None,
                root: None,
                diagnostics,
            }),
        };
        let lines = SourceLines::whole(text);
        let style = Style {
            color: false,
            quiet: false,
            max_findings: DEFAULT_MAX_FINDINGS,
        };
        let out = file(&result, &lines, &style);
        assert_eq!(out.matches("╭─[").count(), 20);
        assert!(out.contains("w.xml: 2980 more findings, by code"), "{out}");
        assert!(
            out.contains("\n  1986 × error[syntax], first at w.xml:22:1\n"),
            "{out}"
        );
        assert!(
            out.contains("\n   994 × warning[syntax], first at w.xml:21:1\n"),
            "{out}"
        );
        // Drawing every finding reads each line once, plus the index.
        let all = Style {
            max_findings: 0,
            ..style
        };
        let lines = SourceLines::whole(lines_text(3000));
        let out = file(&result, &lines, &all);
        assert_eq!(out.matches("╭─[").count(), 3000);
        assert!(lines.work() <= 3 * n, "{} for {n} bytes", lines.work());
    }

    fn lines_text(n: usize) -> String {
        "<work:type>bogus</work:type>\n".repeat(n)
    }

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
