//! `orcid convert`: vnd.orcid+xml <-> vnd.orcid+json.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use orcid_model::{Document, Format, Root};

use crate::cli::ConvertArgs;
use crate::diag;
use crate::error::{CliError, EXIT_INVALID, EXIT_USAGE_OR_IO};
use crate::io;

/// How to convert.
#[derive(Debug, Clone, Copy)]
struct Options {
    to: Option<Format>,
    pretty: bool,
    root: Option<Root>,
}

/// An input as given on the command line.
#[derive(Debug)]
enum Source {
    Stdin,
    File(PathBuf),
    Dir(PathBuf),
}

/// Runs `orcid convert`.
pub fn run(args: ConvertArgs) -> Result<(), CliError> {
    let opts = Options {
        to: args.to.map(Format::from),
        pretty: args.pretty(),
        root: args.root,
    };
    let sources = classify(&args.inputs)?;
    let batch = sources.len() > 1 || matches!(sources.first(), Some(Source::Dir(_)));
    if !batch {
        return match sources.into_iter().next() {
            Some(Source::File(path)) => convert_one(Some(&path), args.output.as_deref(), opts),
            _ => convert_one(None, args.output.as_deref(), opts),
        };
    }
    if sources.iter().any(|s| matches!(s, Source::Stdin)) {
        return Err(CliError::Usage(
            "standard input (`-`) cannot be combined with other inputs or a directory".into(),
        ));
    }
    let Some(out_dir) = args.output else {
        let what = if sources.len() == 1 {
            "a directory input"
        } else {
            "several inputs"
        };
        return Err(CliError::Usage(format!(
            "{what} need{} an output directory: add `-o OUTDIR`",
            if sources.len() == 1 { "s" } else { "" }
        )));
    };
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(CliError::Usage(format!(
            "`{}` is not a directory; with several inputs or a directory input, \
             `-o` names an output directory",
            out_dir.display()
        )));
    }
    convert_batch(&sources, &out_dir, opts)
}

/// Sorts the inputs into stdin, files and directories; a missing input is
/// an I/O error (exit 2) before anything is converted.
fn classify(inputs: &[PathBuf]) -> Result<Vec<Source>, CliError> {
    if inputs.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut sources = Vec::with_capacity(inputs.len());
    let mut stdin_seen = false;
    for p in inputs {
        if p.as_os_str() == "-" {
            if stdin_seen {
                return Err(CliError::Usage(
                    "standard input (`-`) can be given only once".into(),
                ));
            }
            stdin_seen = true;
            sources.push(Source::Stdin);
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => sources.push(Source::Dir(p.clone())),
            Ok(_) => sources.push(Source::File(p.clone())),
            Err(e) => {
                return Err(CliError::Io(format!(
                    "orcid: cannot read `{}`: {e}",
                    p.display()
                )))
            }
        }
    }
    Ok(sources)
}

/// Converts the text of the input called `name`; returns the output text
/// (ending in a newline) and its format.
fn convert_text(name: &str, text: &str, opts: Options) -> Result<(String, Format), CliError> {
    let invalid = |e: orcid_model::Error| CliError::Invalid(diag::describe(name, &e));
    let (doc, from) = Document::from_any(text, opts.root).map_err(invalid)?;
    let to = opts.to.unwrap_or(match from {
        Format::Xml => Format::Json,
        Format::Json => Format::Xml,
    });
    let mut out = match to {
        Format::Xml => doc.to_xml(opts.pretty),
        Format::Json => doc.to_json(opts.pretty).map_err(invalid)?,
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok((out, to))
}

/// The usual file extension of a format.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Xml => "xml",
        Format::Json => "json",
    }
}

/// One input (a file, or stdin when `None`) to stdout or to `output`.
fn convert_one(input: Option<&Path>, output: Option<&Path>, opts: Options) -> Result<(), CliError> {
    let (name, text) = match input {
        Some(path) => (path.display().to_string(), io::read_file(path)?),
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "orcid: reading standard input (end with Ctrl-D; see `orcid convert --help`)"
                );
            }
            (io::STDIN_NAME.to_string(), io::read_stdin()?)
        }
    };
    let (out, to) = convert_text(&name, &text, opts)?;
    let Some(output) = output else {
        return io::write_stdout(&out);
    };
    let target = if output.is_dir() {
        let Some(file_name) = input.and_then(Path::file_name) else {
            return Err(CliError::Usage(format!(
                "`{}` is a directory; name the output file for standard input with `-o FILE`",
                output.display()
            )));
        };
        output.join(file_name).with_extension(extension(to))
    } else {
        output.to_path_buf()
    };
    io::write_atomic(&target, out.as_bytes())
        .map_err(|e| CliError::Io(io::write_error(&target, &e)))
}

/// A file to convert in a batch.
struct Job {
    /// The file.
    input: PathBuf,
    /// Where its output goes, relative to the output directory, before the
    /// extension is set.
    relative: PathBuf,
}

/// Tally of a batch.
#[derive(Default)]
struct Outcome {
    files: usize,
    failed: usize,
    exit: u8,
}

impl Outcome {
    fn fail(&mut self, code: u8, message: &str) {
        eprintln!("{message}");
        self.failed += 1;
        self.exit = self.exit.max(code);
    }
}

/// Several files and directories into `out_dir`, past failures.
fn convert_batch(sources: &[Source], out_dir: &Path, opts: Options) -> Result<(), CliError> {
    let mut outcome = Outcome::default();
    // Never read what we are writing: skip the output directory if it is
    // inside an input directory.
    let out_canonical = fs::canonicalize(out_dir).ok();
    let mut jobs = Vec::new();
    for source in sources {
        match source {
            Source::File(path) => jobs.push(Job {
                input: path.clone(),
                relative: PathBuf::from(path.file_name().unwrap_or(path.as_os_str())),
            }),
            Source::Dir(dir) => {
                let before = jobs.len();
                walk(dir, dir, out_canonical.as_deref(), &mut jobs, &mut outcome);
                if jobs.len() == before {
                    eprintln!("orcid: no .xml or .json files under `{}`", dir.display());
                }
            }
            Source::Stdin => {}
        }
    }
    if !jobs.is_empty() {
        fs::create_dir_all(out_dir).map_err(|e| {
            CliError::Io(format!("orcid: cannot create `{}`: {e}", out_dir.display()))
        })?;
    }
    let inputs: HashSet<PathBuf> = jobs
        .iter()
        .filter_map(|j| fs::canonicalize(&j.input).ok())
        .collect();
    let mut written: HashMap<PathBuf, PathBuf> = HashMap::new();
    for job in &jobs {
        outcome.files += 1;
        let name = job.input.display().to_string();
        let converted = io::read_file(&job.input).and_then(|text| convert_text(&name, &text, opts));
        let (out, to) = match converted {
            Ok(ok) => ok,
            Err(e) => {
                outcome.fail(e.exit_code(), e.message().unwrap_or_default());
                continue;
            }
        };
        let target = out_dir.join(&job.relative).with_extension(extension(to));
        if let Some(first) = written.get(&target) {
            outcome.fail(
                EXIT_INVALID,
                &format!(
                    "{name}: not written: its output `{}` is already the output of `{}`",
                    target.display(),
                    first.display()
                ),
            );
            continue;
        }
        // An output may replace its own input (a canonical re-write) but
        // never another input: that would lose the user's file.
        let own = fs::canonicalize(&job.input).ok();
        if fs::canonicalize(&target).is_ok_and(|t| inputs.contains(&t) && Some(&t) != own.as_ref())
        {
            outcome.fail(
                EXIT_INVALID,
                &format!(
                    "{name}: not written: its output `{}` is another input",
                    target.display()
                ),
            );
            continue;
        }
        let result = match target.parent() {
            Some(parent) => fs::create_dir_all(parent),
            None => Ok(()),
        }
        .and_then(|()| io::write_atomic(&target, out.as_bytes()));
        if let Err(e) = result {
            outcome.fail(EXIT_USAGE_OR_IO, &io::write_error(&target, &e));
            continue;
        }
        written.insert(target, job.input.clone());
    }
    if outcome.failed == 0 {
        return Ok(());
    }
    eprintln!(
        "orcid: {} of {} file{} failed",
        outcome.failed,
        outcome.files,
        if outcome.files == 1 { "" } else { "s" }
    );
    Err(CliError::Reported(outcome.exit))
}

/// Collects the `.xml` and `.json` files under `dir`, in name order.
/// Symbolic links to directories are not followed.
fn walk(root: &Path, dir: &Path, skip: Option<&Path>, jobs: &mut Vec<Job>, outcome: &mut Outcome) {
    // The output directory may be the input directory itself (outputs next
    // to inputs), but a subdirectory that is the output is not read.
    if dir != root && skip.is_some() && fs::canonicalize(dir).ok().as_deref() == skip {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd.collect::<Result<Vec<_>, _>>(),
        Err(e) => Err(e),
    };
    let mut entries = match entries {
        Ok(entries) => entries,
        Err(e) => {
            outcome.files += 1;
            outcome.fail(
                EXIT_USAGE_OR_IO,
                &format!("orcid: cannot read directory `{}`: {e}", dir.display()),
            );
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            walk(root, &path, skip, jobs, outcome);
        } else if has_document_extension(&path) && path.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            jobs.push(Job {
                input: path,
                relative,
            });
        }
    }
}

fn has_document_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("json"))
}
