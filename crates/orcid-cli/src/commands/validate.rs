//! `orcid validate`: the XSD and ORCID's server rules, before sending.

use std::fs;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orcid_model::Root;
use orcid_validate::{validate_str, Context, Diagnostic, Location, Operation, Report, Severity};
use rayon::prelude::*;

use crate::cli::{ReportFormat, ValidateArgs};
use crate::error::{CliError, EXIT_INVALID, EXIT_USAGE_OR_IO};
use crate::io;
use crate::render::{self, FileResult, Outcome, Summary};

/// More files than this get a progress bar (on a terminal).
const PROGRESS_THRESHOLD: usize = 20;

/// A file (or standard input) to check.
enum Input {
    /// Standard input, already read.
    Stdin(Vec<u8>),
    /// A file found on the command line or under a directory.
    File(PathBuf),
    /// A directory that could not be listed.
    Unlistable(PathBuf, String),
}

/// Runs `orcid validate`.
pub fn run(args: ValidateArgs) -> Result<(), CliError> {
    let operation = Operation::from(args.op);
    if operation != Operation::Update {
        for (given, flag) in [
            (args.put_code.is_some(), "--put-code"),
            (args.stored_visibility.is_some(), "--stored-visibility"),
        ] {
            if given {
                return Err(CliError::Usage(format!(
                    "`{flag}` describes the item being updated: add `--op update`"
                )));
            }
        }
    }
    let ctx = Context {
        operation,
        url_put_code: args.put_code,
        stored_visibility: args.stored_visibility.map(Into::into),
    };
    let inputs = collect(&args.inputs)?;

    let human = render::human::Style {
        color: args.format == ReportFormat::Human && color_wanted(),
        quiet: args.quiet,
    };
    let progress = progress_bar(inputs.len());
    let check = |input: &Input| {
        let result = check_one(input, args.root, &ctx);
        let rendered = match args.format {
            ReportFormat::Human => render::human::file(&result.file, &result.text, &human),
            ReportFormat::Json | ReportFormat::Sarif => String::new(),
        };
        if let Some(pb) = &progress {
            pb.inc(1);
        }
        (result.file, rendered)
    };
    let checked: Vec<(FileResult, String)> = match args.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.get())
            .build()
            .map_err(|e| CliError::Io(format!("orcid: cannot start {n} threads: {e}")))?
            .install(|| inputs.par_iter().map(check).collect()),
        None => inputs.par_iter().map(check).collect(),
    };
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }

    let (files, rendered): (Vec<FileResult>, Vec<String>) = checked.into_iter().unzip();
    let summary = Summary::of(&files);
    for file in &files {
        if let Outcome::Unreadable(msg) = &file.outcome {
            eprintln!("orcid: {msg}");
        }
    }
    let out = match args.format {
        ReportFormat::Human => {
            let mut out: String = rendered.concat();
            out.push_str(&render::human::summary_line(&summary, human.color));
            out.push('\n');
            out
        }
        ReportFormat::Json => render::json::document(&files, &summary),
        ReportFormat::Sarif => render::sarif::document(&files),
    };
    io::write_stdout(&out)?;

    if summary.unreadable > 0 {
        Err(CliError::Reported(EXIT_USAGE_OR_IO))
    } else if summary.invalid > 0 {
        Err(CliError::Reported(EXIT_INVALID))
    } else {
        Ok(())
    }
}

/// Colours for the human format: standard output is a terminal and
/// `NO_COLOR` is not set (<https://no-color.org>).
fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A progress bar on standard error, for many files on a terminal.
fn progress_bar(files: usize) -> Option<ProgressBar> {
    if files <= PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} validating {pos}/{len} files {wide_bar} {eta}")
    {
        pb.set_style(style);
    }
    Some(pb)
}

/// The inputs, in command-line order, directories expanded in name order.
/// A missing path or a second `-` is an error before anything is checked.
fn collect(paths: &[PathBuf]) -> Result<Vec<Input>, CliError> {
    if paths.is_empty() {
        return Ok(vec![Input::Stdin(read_stdin()?)]);
    }
    let mut inputs = Vec::new();
    let mut stdin_seen = false;
    for p in paths {
        if p.as_os_str() == "-" {
            if stdin_seen {
                return Err(CliError::Usage(
                    "standard input (`-`) can be given only once".into(),
                ));
            }
            stdin_seen = true;
            inputs.push(Input::Stdin(read_stdin()?));
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let before = inputs.len();
                walk(p, &mut inputs);
                if inputs.len() == before {
                    eprintln!("orcid: no .xml or .json files under `{}`", p.display());
                }
            }
            Ok(_) => inputs.push(Input::File(p.clone())),
            Err(e) => {
                return Err(CliError::Io(format!(
                    "orcid: cannot read `{}`: {e}",
                    p.display()
                )))
            }
        }
    }
    Ok(inputs)
}

fn read_stdin() -> Result<Vec<u8>, CliError> {
    if std::io::stdin().is_terminal() {
        eprintln!("orcid: reading standard input (end with Ctrl-D; see `orcid validate --help`)");
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Io(format!("orcid: cannot read standard input: {e}")))?;
    Ok(bytes)
}

/// Adds the `.xml` and `.json` files under `dir`, in name order. Symbolic
/// links to directories are not followed.
fn walk(dir: &Path, inputs: &mut Vec<Input>) {
    let entries = fs::read_dir(dir).and_then(|rd| rd.collect::<Result<Vec<_>, _>>());
    let mut entries = match entries {
        Ok(entries) => entries,
        Err(e) => {
            inputs.push(Input::Unlistable(
                dir.to_path_buf(),
                format!("cannot read directory `{}`: {e}", dir.display()),
            ));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&path, inputs);
        } else if has_document_extension(&path) && path.is_file() {
            inputs.push(Input::File(path));
        }
    }
}

fn has_document_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("json"))
}

/// A checked input and its text (for the human format's source lines).
struct Checked {
    file: FileResult,
    text: String,
}

fn check_one(input: &Input, root: Option<Root>, ctx: &Context) -> Checked {
    let (path, bytes) = match input {
        Input::Stdin(bytes) => (io::STDIN_NAME.to_string(), Ok(bytes.as_slice().into())),
        Input::File(p) => (
            p.display().to_string(),
            fs::read(p)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| format!("cannot read `{}`: {e}", p.display())),
        ),
        Input::Unlistable(p, msg) => (p.display().to_string(), Err(msg.clone())),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(msg) => {
            return Checked {
                file: FileResult {
                    path,
                    outcome: Outcome::Unreadable(msg),
                },
                text: String::new(),
            }
        }
    };
    let (text, report) = match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            (text.to_string(), validate_str(text, root, ctx))
        }
        Err(e) => (
            String::from_utf8_lossy(&bytes).into_owned(),
            not_utf8(&bytes, e.valid_up_to()),
        ),
    };
    Checked {
        file: FileResult {
            path,
            outcome: Outcome::Checked(report),
        },
        text,
    }
}

/// The report of an input that is not UTF-8.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Report {
    let (line, column) = orcid_model::xml::line_col(bytes, valid_up_to);
    Report {
        format: None,
        root: None,
        diagnostics: vec![Diagnostic {
            code: "syntax".into(),
            severity: Severity::Error,
            message: format!("input is not valid UTF-8 (byte offset {valid_up_to})"),
            location: Some(Location {
                line,
                column,
                path: String::new(),
            }),
            node: None,
            orcid_error: None,
            hint: Some("ORCID reads messages as UTF-8: save the file as UTF-8".into()),
        }],
    }
}
