//! `orcid convert`: vnd.orcid+xml <-> vnd.orcid+json.
//!
//! Every input goes through the same path: a `<bulk:bulk>` on its way to
//! JSON is converted item by item as it is read (in bounded memory, its
//! items on every thread), anything else is read whole. Collections
//! (directories, archives, several files) run on `--jobs` threads and come
//! out in input order, as a mirrored tree (`-o OUTDIR`) or as JSON Lines
//! (`--jsonl`).

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self as stdio, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use orcid_batch::{documents_under, ArchiveKind, DocumentFile, Walk, Weight};
use orcid_model::stream::{
    bulk_items_json, open_bulk, BulkJsonWriter, BulkReader, Opened, StreamError,
};
use orcid_model::{AnyDocument, AnyRoot, Format, ReadDocument, Root, Version, VersionChoice};
use tempfile::NamedTempFile;

use crate::cli::ConvertArgs;
use crate::commands::Cut;
use crate::diag;
use crate::error::{CliError, EXIT_INVALID, EXIT_USAGE_OR_IO};
use crate::io::{self, Spill};
use crate::progress::{self, Progress, Ticker};

/// Output held in memory before it goes to standard output (so that a
/// failed conversion of a small input writes nothing), and per input of a
/// JSON Lines run before it spills to a temporary file.
const HOLD_BYTES: usize = 8 << 20;

/// How to convert.
#[derive(Debug, Clone, Copy)]
struct Options {
    to: Option<Format>,
    pretty: bool,
    root: Option<AnyRoot>,
    /// The API version given with `--api`.
    api: Option<Version>,
    /// The version of documents whose content does not show one.
    fallback: Version,
    /// Threads for the items of a bulk.
    threads: usize,
    /// The largest document read whole (and work of a bulk).
    limit: io::Size,
    /// `--to-api`: the API version to convert each document to.
    to_api: Option<Version>,
    /// `--strict`: a loss converting to `to_api` fails the document.
    strict: bool,
}

/// An input as given on the command line.
#[derive(Debug)]
enum Source {
    Stdin,
    File(PathBuf),
    Dir(PathBuf),
    Archive(PathBuf, ArchiveKind),
}

/// Runs `orcid convert`.
pub fn run(args: ConvertArgs) -> Result<(), CliError> {
    let jobs = orcid_batch::jobs(args.jobs);
    // `--api` decides alone; otherwise the configured version is the
    // fallback for documents that do not show theirs.
    let fallback = match args.api.api {
        Some(v) => v,
        None => crate::config::api_version(None)?.value,
    };
    let opts = Options {
        to: args.to.map(Format::from),
        pretty: args.pretty() && !args.jsonl,
        root: args.root,
        api: args.api.api,
        fallback,
        threads: jobs,
        limit: args.input.max_input_size,
        to_api: args.to_api,
        strict: args.strict,
    };
    let sources = classify(&args.inputs)?;
    if args.jsonl {
        if opts.to == Some(Format::Xml) {
            return Err(CliError::Usage(
                "`--jsonl` writes vnd.orcid+json; it cannot be combined with `--to xml`".into(),
            ));
        }
        if let Some(out) = &args.output {
            if out.is_dir() {
                return Err(CliError::Usage(format!(
                    "`{}` is a directory; with `--jsonl`, `-o` names the output file",
                    out.display()
                )));
            }
        }
        return convert_jsonl(&sources, args.output.as_deref(), opts, jobs);
    }
    let batch =
        sources.len() > 1 || matches!(sources.first(), Some(Source::Dir(_) | Source::Archive(..)));
    if !batch {
        let input = match sources.into_iter().next() {
            Some(Source::File(path)) => Some(path),
            _ => None,
        };
        return convert_one(input.as_deref(), args.output.as_deref(), opts);
    }
    if sources.iter().any(|s| matches!(s, Source::Stdin)) {
        return Err(CliError::Usage(
            "standard input (`-`) cannot be combined with other inputs, a directory or an archive"
                .into(),
        ));
    }
    let Some(out_dir) = args.output else {
        let what = match sources.as_slice() {
            [Source::Archive(..)] => "an archive input",
            [_] => "a directory input",
            _ => "several inputs",
        };
        return Err(CliError::Usage(format!(
            "{what} need{} an output directory: add `-o OUTDIR` (or `--jsonl`)",
            if sources.len() == 1 { "s" } else { "" }
        )));
    };
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(CliError::Usage(format!(
            "`{}` is not a directory; with several inputs, a directory or an archive, \
             `-o` names an output directory",
            out_dir.display()
        )));
    }
    convert_tree(&sources, &out_dir, opts, jobs)
}

/// Sorts the inputs into stdin, files, directories and archives; a missing
/// input is an I/O error (exit 2) before anything is converted.
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
            Ok(_) => match ArchiveKind::of(p) {
                Some(kind) => sources.push(Source::Archive(p.clone(), kind)),
                None => sources.push(Source::File(p.clone())),
            },
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

/// The usual file extension of a format.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Xml => "xml",
        Format::Json => "json",
    }
}

/// Where an input's bytes come from.
enum Input {
    File(PathBuf),
    Stdin,
    Bytes(Vec<u8>),
}

/// How the output of one input is written.
#[derive(Clone, Copy)]
enum Shape<'a> {
    /// The converted document, ending in a newline.
    Plain,
    /// One JSON Lines record: `{"path": …, "root": …, "document": …}`.
    Line(&'a str),
}

/// What a conversion did.
struct Done {
    /// The output format.
    to: Format,
    /// Bytes of a bulk's works already counted on the progress bar.
    streamed: u64,
}

/// Converts the input called `name` into `out`.
fn convert_input(
    name: &str,
    input: Input,
    opts: Options,
    shape: Shape<'_>,
    out: &mut (dyn Write + Send),
    ticker: &Ticker,
) -> Result<Done, CliError> {
    let cannot_read = |e: stdio::Error| CliError::Io(format!("orcid: cannot read `{name}`: {e}"));
    let refused = |e: io::Refused| e.into_error(name);
    let streamed = |streamed| Done {
        to: Format::Json,
        streamed,
    };
    // Each work of a bulk is bounded as a document read whole is.
    let budget = io::Budget::new(opts.limit);
    // The whole input, or (for a bulk, streamed to JSON) the bytes streamed.
    let from_reader = |r: Box<dyn Read + Send>,
                       out: &mut (dyn Write + Send)|
     -> Result<Result<Vec<u8>, u64>, CliError> {
        let r = budget.wrap(stdio::BufReader::with_capacity(1 << 16, r));
        match open_bulk(r).map_err(cannot_read)? {
            Opened::Bulk(items) => {
                stream_bulk(name, items, opts, shape, out, ticker, &budget).map(Err)
            }
            Opened::Other { head, rest } => io::read_whole(head, rest, opts.limit)
                .map(Ok)
                .map_err(refused),
        }
    };
    // A bulk is streamed as v2.1 works; a v3.0 one, and one converted to
    // another version, is read whole.
    let whole = opts.to == Some(Format::Xml)
        || opts.api.unwrap_or(opts.fallback) != Version::V2_1
        || opts.to_api.is_some();
    let text = match input {
        // Re-writing XML canonically needs the whole document.
        Input::File(path) if whole => io::read_file(&path, opts.limit)?,
        Input::Stdin if whole => io::read_stdin(opts.limit)?,
        Input::File(path) => {
            let file = File::open(&path).map_err(cannot_read)?;
            match from_reader(Box::new(file), out)? {
                Ok(bytes) => io::into_text(name, bytes)?,
                Err(n) => return Ok(streamed(n)),
            }
        }
        Input::Stdin => match from_reader(Box::new(stdio::stdin()), out)? {
            Ok(bytes) => io::into_text(name, bytes)?,
            Err(n) => return Ok(streamed(n)),
        },
        Input::Bytes(bytes) => match open_bulk(bytes.as_slice()).map_err(cannot_read)? {
            Opened::Bulk(items) if !whole => {
                let n = stream_bulk(name, items, opts, shape, out, ticker, &budget)?;
                return Ok(streamed(n));
            }
            _ => {
                let bytes = io::read_whole(bytes, stdio::empty(), opts.limit).map_err(refused)?;
                io::into_text(name, bytes)?
            }
        },
    };
    let invalid = |e: orcid_model::Error| CliError::Invalid(diag::describe(name, &e));
    let ReadDocument {
        doc,
        format: from,
        choice,
        notes,
    } = AnyDocument::read_noting(&text, opts.root, opts.api, opts.fallback).map_err(invalid)?;
    warn_read_past_xsd(name, &notes);
    if choice == VersionChoice::Fallback && matches!(shape, Shape::Plain) {
        eprintln!(
            "orcid: note: `{name}` shows no API version; read as v{} (say `--api 2.1|3.0`)",
            doc.version()
        );
    }
    // Between versions the format stays unless `--to` says otherwise;
    // otherwise convert means the other format.
    let to = opts.to.unwrap_or(match (opts.to_api, from) {
        (Some(_), from) => from,
        (None, Format::Xml) => Format::Json,
        (None, Format::Json) => Format::Xml,
    });
    let doc = match opts.to_api {
        Some(to_api) => change_version(name, doc, to_api, opts.strict)?,
        None => doc,
    };
    let written = match (shape, to) {
        (Shape::Line(path), _) => {
            let json = doc.to_json(false).map_err(invalid)?;
            out.write_all(line_head(path, &doc.root_name()).as_bytes())
                .and_then(|()| out.write_all(json.as_bytes()))
                .and_then(|()| out.write_all(b"}\n"))
        }
        (Shape::Plain, _) => {
            let mut text = match to {
                Format::Xml => doc.to_xml(opts.pretty),
                Format::Json => doc.to_json(opts.pretty).map_err(invalid)?,
            };
            if !text.ends_with('\n') {
                text.push('\n');
            }
            out.write_all(text.as_bytes())
        }
    };
    written.map_err(|e| output_error(name, &e))?;
    Ok(Done { to, streamed: 0 })
}

/// The start of a JSON Lines record, up to the document.
fn line_head(path: &str, root: &str) -> String {
    format!(
        "{{\"path\":{},\"root\":\"{}\",\"document\":",
        serde_json::Value::String(path.to_string()),
        root
    )
}

fn output_error(name: &str, e: &stdio::Error) -> CliError {
    CliError::Io(format!("orcid: cannot write the output of `{name}`: {e}"))
}

/// A `<bulk:bulk>` to vnd.orcid+json, item by item, byte for byte as the
/// whole document would be written.
fn stream_bulk<R: Read + Send>(
    name: &str,
    items: BulkReader<R>,
    opts: Options,
    shape: Shape<'_>,
    out: &mut (dyn Write + Send),
    ticker: &Ticker,
    budget: &io::Budget,
) -> Result<u64, CliError> {
    let pretty = opts.pretty && matches!(shape, Shape::Plain);
    let mut streamed = 0;
    let mut buf = Vec::with_capacity(1 << 16);
    if let Shape::Line(path) = shape {
        buf.extend_from_slice(line_head(path, &Root::BulkBulk.qualified_name()).as_bytes());
    }
    let mut json = BulkJsonWriter::new(pretty);
    json.begin(&mut buf);
    let mut failure: Option<CliError> = None;
    let convert = |item: Cut| -> Result<(u64, Option<Vec<u8>>), CliError> {
        let item = item.0.map_err(|e| stream_error(name, e))?;
        let bytes = item.text.len() as u64;
        let invalid = |e: orcid_model::Error| CliError::Invalid(diag::describe(name, &e));
        let works = item.parse().map_err(invalid)?;
        if works.is_empty() {
            return Ok((bytes, None));
        }
        let json = bulk_items_json(&works, pretty).map_err(invalid)?;
        Ok((bytes, Some(json)))
    };
    // Works are read in groups of about 64 KB: fewer, larger documents.
    let items = items.grouped(64 * 1024).map(|item| {
        budget.renew();
        Cut(item)
    });
    orcid_batch::ordered_iter(opts.threads, items, convert, |converted| match converted {
        Ok((bytes, part)) => {
            streamed += bytes;
            ticker.add_bytes(bytes);
            if let Some(part) = part {
                json.item(&part, &mut buf);
            }
            if buf.len() >= 1 << 16 {
                if let Err(e) = out.write_all(&buf) {
                    failure = Some(output_error(name, &e));
                    return false;
                }
                buf.clear();
            }
            true
        }
        Err(e) => {
            failure = Some(e);
            false
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    json.end(&mut buf);
    buf.extend_from_slice(match shape {
        Shape::Plain => b"\n",
        Shape::Line(_) => b"}\n",
    });
    out.write_all(&buf).map_err(|e| output_error(name, &e))?;
    Ok(streamed)
}

fn stream_error(name: &str, e: StreamError) -> CliError {
    match e {
        StreamError::Io(e) => CliError::Io(format!("orcid: cannot read `{name}`: {e}")),
        StreamError::NotUtf8 {
            offset,
            line,
            column,
        } => CliError::Invalid(format!(
            "{name}:{line}:{column}: input is not valid UTF-8 (byte offset {offset})"
        )),
    }
}

/// Output for standard output: held in memory up to [`HOLD_BYTES`] (so a
/// failure early on writes nothing), then written through.
struct Held<W: Write> {
    held: Vec<u8>,
    out: W,
    through: bool,
}

impl<W: Write> Held<W> {
    fn new(out: W) -> Self {
        Held {
            held: Vec::new(),
            out,
            through: false,
        }
    }

    fn finish(mut self) -> stdio::Result<()> {
        self.out.write_all(&self.held)?;
        self.out.flush()
    }
}

impl<W: Write> Write for Held<W> {
    fn write(&mut self, buf: &[u8]) -> stdio::Result<usize> {
        if self.through {
            return self.out.write(buf);
        }
        self.held.extend_from_slice(buf);
        if self.held.len() > HOLD_BYTES {
            self.through = true;
            self.out.write_all(&std::mem::take(&mut self.held))?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> stdio::Result<()> {
        Ok(())
    }
}

/// A closed pipe (`orcid … | head`) is not an error.
fn stdout_result(r: Result<(), CliError>, broken: &AtomicU64) -> Result<(), CliError> {
    if broken.load(Ordering::Relaxed) > 0 {
        return Ok(());
    }
    r
}

/// Standard output that notes a closed pipe.
struct Stdout<'a> {
    out: BufWriter<stdio::Stdout>,
    broken: &'a AtomicU64,
}

impl Write for Stdout<'_> {
    fn write(&mut self, buf: &[u8]) -> stdio::Result<usize> {
        self.out.write(buf).inspect_err(|e| {
            if e.kind() == stdio::ErrorKind::BrokenPipe {
                self.broken.fetch_add(1, Ordering::Relaxed);
            }
        })
    }

    fn flush(&mut self) -> stdio::Result<()> {
        self.out.flush().inspect_err(|e| {
            if e.kind() == stdio::ErrorKind::BrokenPipe {
                self.broken.fetch_add(1, Ordering::Relaxed);
            }
        })
    }
}

fn stdout(broken: &AtomicU64) -> Stdout<'_> {
    Stdout {
        out: BufWriter::with_capacity(1 << 16, stdio::stdout()),
        broken,
    }
}

/// The input of a single conversion, and its output when `-o` names it
/// (a file, or a directory and `--to` gives the extension): an output that
/// is the input is refused before anything is read.
fn own_input(
    input: Option<&Path>,
    output: &Path,
    to: Option<Format>,
) -> Result<io::Inputs, CliError> {
    let mut inputs = io::Inputs::default();
    match input {
        Some(path) => inputs.add(path),
        None => inputs.add_stdin(),
    }
    if !output.is_dir() {
        inputs.check_output(output)?;
    } else if let (Some(name), Some(to)) = (input.and_then(Path::file_name), to) {
        inputs.check_output(&output.join(name).with_extension(extension(to)))?;
    }
    Ok(inputs)
}

/// One input (a file, or stdin when `None`) to stdout or to `output`.
fn convert_one(input: Option<&Path>, output: Option<&Path>, opts: Options) -> Result<(), CliError> {
    let inputs = match output {
        Some(output) => own_input(input, output, opts.to)?,
        None => io::Inputs::default(),
    };
    let name = input.map_or(io::STDIN_NAME.to_string(), |p| p.display().to_string());
    let source = match input {
        Some(path) => {
            // A missing file is reported before anything else.
            File::open(path)
                .map_err(|e| CliError::Io(format!("orcid: cannot read `{name}`: {e}")))?;
            Input::File(path.to_path_buf())
        }
        None => {
            if stdio::stdin().is_terminal() {
                eprintln!(
                    "orcid: reading standard input (end with Ctrl-D; see `orcid convert --help`)"
                );
            }
            Input::Stdin
        }
    };
    // A bar for a large file (the works of a bulk, as they go).
    let size = input
        .and_then(|p| fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    let progress = Progress::new("converting", size, size > progress::PROGRESS_BYTES);
    let ticker = progress.ticker();
    let result = if opts.threads > 1 {
        // The works of a bulk go to `--jobs` threads.
        let pool = orcid_batch::pool(opts.threads)?;
        pool.install(|| write_one(&name, source, (input, &inputs), output, opts, &ticker))
    } else {
        write_one(&name, source, (input, &inputs), output, opts, &ticker)
    };
    progress.finish();
    result
}

/// Converts `source` (the file `input`, or stdin) to stdout or `output`,
/// never onto one of `inputs`.
fn write_one(
    name: &str,
    source: Input,
    (input, inputs): (Option<&Path>, &io::Inputs),
    output: Option<&Path>,
    opts: Options,
    ticker: &Ticker,
) -> Result<(), CliError> {
    let Some(output) = output else {
        let broken = AtomicU64::new(0);
        let mut out = Held::new(stdout(&broken));
        let r = convert_input(name, source, opts, Shape::Plain, &mut out, ticker).and_then(|_| {
            out.finish()
                .map_err(|e| CliError::Io(format!("orcid: cannot write standard output: {e}")))
        });
        return stdout_result(r, &broken);
    };
    let into_dir = output.is_dir();
    let file_name = input.and_then(Path::file_name);
    if into_dir && file_name.is_none() {
        return Err(CliError::Usage(format!(
            "`{}` is a directory; name the output file for standard input with `-o FILE`",
            output.display()
        )));
    }
    let dir = if into_dir {
        output
    } else {
        output.parent().unwrap_or(Path::new("."))
    };
    let mut out = ToFile {
        held: Vec::new(),
        dir,
        tmp: None,
    };
    let to = convert_input(name, source, opts, Shape::Plain, &mut out, ticker)?.to;
    let target = match file_name {
        Some(f) if into_dir => output.join(f).with_extension(extension(to)),
        _ => output.to_path_buf(),
    };
    // Into a directory without `--to`, the output's name is known now.
    inputs.check_output(&target)?;
    let written = match out.tmp {
        // Small outputs (nearly all) are written in one go.
        None => io::write_atomic(&target, &out.held),
        Some(tmp) => tmp
            .into_inner()
            .map_err(|e| stdio::Error::new(e.error().kind(), e.error().to_string()))
            .and_then(|tmp| io::persist(tmp, &target)),
    };
    written.map_err(|e| CliError::Io(io::write_error(&target, &e)))
}

/// Output for a file: held in memory up to [`HOLD_BYTES`], then streamed to
/// a temporary file in `dir`.
struct ToFile<'a> {
    held: Vec<u8>,
    dir: &'a Path,
    tmp: Option<BufWriter<NamedTempFile>>,
}

impl Write for ToFile<'_> {
    fn write(&mut self, buf: &[u8]) -> stdio::Result<usize> {
        if let Some(tmp) = &mut self.tmp {
            return tmp.write(buf);
        }
        self.held.extend_from_slice(buf);
        if self.held.len() > HOLD_BYTES {
            let mut tmp = BufWriter::with_capacity(1 << 16, io::temp_in(self.dir)?);
            tmp.write_all(&std::mem::take(&mut self.held))?;
            self.tmp = Some(tmp);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> stdio::Result<()> {
        Ok(())
    }
}

/// A document to convert in a collection.
enum Unit {
    /// A file, read by the worker.
    File {
        path: PathBuf,
        /// Where its output goes, relative to the output directory, before
        /// the extension is set.
        relative: PathBuf,
        size: u64,
    },
    /// A member of an archive.
    Member {
        name: String,
        relative: Option<PathBuf>,
        bytes: Vec<u8>,
    },
    /// Standard input (JSON Lines only).
    Stdin,
    /// Something that could not be read (a directory, an archive).
    Failed { code: u8, message: String },
}

impl Weight for Unit {
    fn weight(&self) -> u64 {
        match self {
            Unit::File { size, .. } => *size,
            Unit::Member { bytes, .. } => bytes.len() as u64,
            Unit::Stdin | Unit::Failed { .. } => 0,
        }
    }
}

/// Lists the units of `sources` that are known up front (files and the
/// files under directories), and the total size; archives are read later.
struct Plan {
    /// Per source: its files (empty for stdin and archives).
    files: Vec<Vec<Unit>>,
    bytes: u64,
    count: usize,
}

fn plan(sources: &[Source], skip: Option<&Path>) -> Plan {
    let mut files = Vec::with_capacity(sources.len());
    let mut bytes = 0;
    let mut count = 0;
    for source in sources {
        let mut units = Vec::new();
        match source {
            Source::File(path) => units.push(Unit::File {
                path: path.clone(),
                relative: PathBuf::from(path.file_name().unwrap_or(path.as_os_str())),
                size: fs::metadata(path).map_or(0, |m| m.len()),
            }),
            Source::Dir(dir) => {
                let walk = Walk {
                    sizes: progress::sizes_wanted(),
                    skip,
                };
                let found = documents_under(dir, walk).into_iter();
                units.extend(found.map(|found| file_unit(dir, found)));
                if units.is_empty() {
                    eprintln!("orcid: no .xml or .json files under `{}`", dir.display());
                }
            }
            Source::Archive(path, _) => bytes += fs::metadata(path).map_or(0, |m| m.len()),
            Source::Stdin => {}
        }
        bytes += units.iter().map(Weight::weight).sum::<u64>();
        count += units.len();
        files.push(units);
    }
    Plan {
        files,
        bytes,
        count,
    }
}

/// Hands out every unit of `sources` in order (run on the producer thread).
fn produce(
    sources: &[Source],
    files: Vec<Vec<Unit>>,
    read: &Arc<AtomicU64>,
    limit: io::Size,
    give: &mut dyn FnMut(Unit) -> bool,
) {
    for (source, units) in sources.iter().zip(files) {
        match source {
            Source::Archive(path, kind) => {
                let shown = path.display().to_string();
                let mut go = true;
                let result = orcid_batch::for_each_member(path, *kind, read, limit.0, |m| {
                    let name = format!("{shown}/{}", m.path);
                    go = give(match m.too_large {
                        Some(_) => Unit::Failed {
                            code: EXIT_USAGE_OR_IO,
                            message: format!("orcid: {}", io::too_large(&name, limit)),
                        },
                        None => Unit::Member {
                            relative: m.relative(),
                            name,
                            bytes: m.bytes,
                        },
                    });
                    go
                });
                if let Err(e) = result {
                    go = give(Unit::Failed {
                        code: EXIT_USAGE_OR_IO,
                        message: format!("orcid: {e}"),
                    });
                }
                if !go {
                    return;
                }
            }
            Source::Stdin => {
                if !give(Unit::Stdin) {
                    return;
                }
            }
            Source::File(_) | Source::Dir(_) => {
                for u in units {
                    if !give(u) {
                        return;
                    }
                }
            }
        }
    }
}

/// Tally of a collection.
#[derive(Default)]
struct Tally {
    files: usize,
    failed: usize,
    exit: u8,
}

impl Tally {
    fn fail(&mut self, code: u8, message: &str) {
        eprintln!("{message}");
        self.failed += 1;
        self.exit = self.exit.max(code);
    }

    fn result(self) -> Result<(), CliError> {
        if self.failed == 0 {
            return Ok(());
        }
        eprintln!(
            "orcid: {} of {} file{} failed",
            self.failed,
            self.files,
            if self.files == 1 { "" } else { "s" }
        );
        Err(CliError::Reported(self.exit))
    }
}

/// How a unit is called in messages.
fn unit_name(unit: &Unit) -> String {
    match unit {
        Unit::File { path, .. } => path.display().to_string(),
        Unit::Member { name, .. } => name.clone(),
        Unit::Stdin => io::STDIN_NAME.to_string(),
        Unit::Failed { .. } => String::new(),
    }
}

/// The bytes of a unit that the progress bar counts (archives count the
/// bytes read from the archive file instead).
fn file_bytes(unit: &Unit) -> u64 {
    match unit {
        Unit::File { size, .. } => *size,
        _ => 0,
    }
}

/// The name, input and relative output path of a unit.
fn open_unit(unit: Unit) -> Result<(String, Option<PathBuf>, Input), CliError> {
    match unit {
        Unit::File { path, relative, .. } => Ok((
            path.display().to_string(),
            Some(relative),
            Input::File(path),
        )),
        Unit::Member {
            name,
            relative,
            bytes,
        } => Ok((name, relative, Input::Bytes(bytes))),
        Unit::Stdin => Ok((io::STDIN_NAME.to_string(), None, Input::Stdin)),
        Unit::Failed { code, message } => Err(match code {
            EXIT_INVALID => CliError::Invalid(message),
            _ => CliError::Io(message),
        }),
    }
}

/// Every input as JSON Lines, in input order, to `output` or stdout.
fn convert_jsonl(
    sources: &[Source],
    output: Option<&Path>,
    opts: Options,
    jobs: usize,
) -> Result<(), CliError> {
    let mut tally = Tally::default();
    let plan = plan(sources, None);
    if let Some(output) = output {
        let mut inputs = io::Inputs::default();
        for source in sources {
            match source {
                Source::File(path) | Source::Archive(path, _) => inputs.add(path),
                Source::Stdin => inputs.add_stdin(),
                Source::Dir(_) => {}
            }
        }
        for unit in plan.files.iter().flatten() {
            if let Unit::File { path, .. } = unit {
                inputs.add(path);
            }
        }
        inputs.check_output(output)?;
    }
    let pool = orcid_batch::pool(jobs)?;
    let read = Arc::new(AtomicU64::new(0));
    let archives = sources.iter().any(|s| matches!(s, Source::Archive(..)));
    let mut progress = Progress::new(
        "converting",
        plan.bytes,
        plan.count > 20 || archives || plan.bytes > progress::PROGRESS_BYTES,
    );
    let ticker = progress.ticker();
    let mut archive_done = 0;
    let broken = AtomicU64::new(0);
    let mut file_out = None;
    let mut out: Box<dyn Write> = match output {
        Some(path) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let tmp = io::temp_in(dir).map_err(|e| CliError::Io(io::write_error(path, &e)))?;
            let w = BufWriter::with_capacity(
                1 << 16,
                tmp.reopen()
                    .map_err(|e| CliError::Io(io::write_error(path, &e)))?,
            );
            file_out = Some(tmp);
            Box::new(w)
        }
        None => Box::new(stdout(&broken)),
    };
    let mut write_error: Option<CliError> = None;
    let files = plan.files;
    orcid_batch::ordered(
        &pool,
        |give| produce(sources, files, &read, opts.limit, give),
        |unit: Unit| {
            let weight = file_bytes(&unit);
            let name = unit_name(&unit);
            let mut streamed = 0;
            let converted = open_unit(unit).and_then(|(_, _, input)| {
                let mut spill = Spill::new(HOLD_BYTES);
                let line = Shape::Line(&name);
                let done = convert_input(&name, input, opts, line, &mut spill, &ticker)?;
                streamed = done.streamed;
                Ok(spill)
            });
            (weight.saturating_sub(streamed), name, converted)
        },
        |(weight, name, converted)| {
            tally.files += 1;
            let archived = read.load(Ordering::Relaxed);
            progress.add_bytes(weight + archived - archive_done);
            archive_done = archived;
            progress.add_docs(1);
            let line = match converted {
                Ok(spill) => spill.copy_to(&mut out),
                Err(e) => {
                    progress.suspend(|| tally.fail(e.exit_code(), e.message().unwrap_or("")));
                    let error = serde_json::json!({ "path": name, "error": e.message() });
                    out.write_all(format!("{error}\n").as_bytes())
                }
            };
            match line {
                Ok(()) => true,
                Err(e) => {
                    write_error = Some(CliError::Io(format!("orcid: cannot write: {e}")));
                    false
                }
            }
        },
    );
    progress.finish();
    let flushed = out.flush();
    drop(out);
    if broken.load(Ordering::Relaxed) > 0 {
        return Ok(());
    }
    if let Some(e) = write_error {
        return Err(e);
    }
    flushed.map_err(|e| CliError::Io(format!("orcid: cannot write: {e}")))?;
    if let (Some(tmp), Some(path)) = (file_out, output) {
        io::persist(tmp, path).map_err(|e| CliError::Io(io::write_error(path, &e)))?;
    }
    tally.result()
}

/// What became of one input of a tree conversion.
struct TreeResult {
    name: String,
    input: Option<PathBuf>,
    relative: Option<PathBuf>,
    weight: u64,
    converted: Result<(NamedTempFile, Format), CliError>,
}

/// Several files, directories and archives into `out_dir`, past failures.
fn convert_tree(
    sources: &[Source],
    out_dir: &Path,
    opts: Options,
    jobs: usize,
) -> Result<(), CliError> {
    let mut tally = Tally::default();
    // Never read what we are writing: skip the output directory if it is
    // inside an input directory.
    let out_canonical = fs::canonicalize(out_dir).ok();
    let plan = plan(sources, out_canonical.as_deref());
    let archives = sources.iter().any(|s| matches!(s, Source::Archive(..)));
    if plan.count == 0 && !archives {
        return tally.result();
    }
    fs::create_dir_all(out_dir)
        .map_err(|e| CliError::Io(format!("orcid: cannot create `{}`: {e}", out_dir.display())))?;
    let inputs: HashSet<io::FileId> = plan
        .files
        .iter()
        .flatten()
        .filter_map(|u| match u {
            Unit::File { path, .. } => io::FileId::of(path),
            _ => None,
        })
        .collect();
    let pool = orcid_batch::pool(jobs)?;
    let read = Arc::new(AtomicU64::new(0));
    let mut progress = Progress::new(
        "converting",
        plan.bytes,
        plan.count > 20 || archives || plan.bytes > progress::PROGRESS_BYTES,
    );
    let ticker = progress.ticker();
    let mut archive_done = 0;
    let mut written: HashMap<PathBuf, String> = HashMap::new();
    let files = plan.files;
    orcid_batch::ordered(
        &pool,
        |give| produce(sources, files, &read, opts.limit, give),
        |unit: Unit| {
            let weight = file_bytes(&unit);
            let input = match &unit {
                Unit::File { path, .. } => Some(path.clone()),
                _ => None,
            };
            match open_unit(unit) {
                Ok((name, relative, reader)) => {
                    let mut streamed = 0;
                    let converted = io::temp_in(out_dir)
                        .map_err(|e| CliError::Io(io::write_error(out_dir, &e)))
                        .and_then(|tmp| {
                            let mut w = BufWriter::with_capacity(1 << 16, tmp);
                            let done =
                                convert_input(&name, reader, opts, Shape::Plain, &mut w, &ticker)?;
                            let tmp = w.into_inner().map_err(|e| output_error(&name, e.error()))?;
                            tmp.as_file()
                                .sync_all()
                                .map_err(|e| output_error(&name, &e))?;
                            streamed = done.streamed;
                            Ok((tmp, done.to))
                        });
                    TreeResult {
                        name,
                        input,
                        relative,
                        weight: weight.saturating_sub(streamed),
                        converted,
                    }
                }
                Err(e) => TreeResult {
                    name: String::new(),
                    input,
                    relative: None,
                    weight,
                    converted: Err(e),
                },
            }
        },
        |r| {
            tally.files += 1;
            let archived = read.load(Ordering::Relaxed);
            progress.add_bytes(r.weight + archived - archive_done);
            archive_done = archived;
            progress.add_docs(1);
            progress.suspend(|| place(r, out_dir, &inputs, &mut written, &mut tally));
            true
        },
    );
    progress.finish();
    tally.result()
}

/// Moves a converted output to its place, unless it would replace another
/// input or the output of an earlier input.
fn place(
    r: TreeResult,
    out_dir: &Path,
    inputs: &HashSet<io::FileId>,
    written: &mut HashMap<PathBuf, String>,
    tally: &mut Tally,
) {
    let name = r.name;
    let (tmp, to) = match r.converted {
        Ok(ok) => ok,
        Err(e) => return tally.fail(e.exit_code(), e.message().unwrap_or_default()),
    };
    let Some(relative) = r.relative else {
        return tally.fail(
            EXIT_INVALID,
            &format!("{name}: not written: its path leaves the output directory"),
        );
    };
    let target = out_dir.join(&relative).with_extension(extension(to));
    if let Some(first) = written.get(&target) {
        return tally.fail(
            EXIT_INVALID,
            &format!(
                "{name}: not written: its output `{}` is already the output of `{first}`",
                target.display(),
            ),
        );
    }
    // An output may replace its own input (a canonical re-write) but never
    // another input, whatever path names it: that would lose the user's file.
    let own = r.input.as_deref().and_then(io::FileId::of);
    if io::FileId::of(&target).is_some_and(|t| inputs.contains(&t) && Some(&t) != own.as_ref()) {
        return tally.fail(
            EXIT_INVALID,
            &format!(
                "{name}: not written: its output `{}` is another input",
                target.display()
            ),
        );
    }
    let result = match target.parent() {
        Some(parent) => fs::create_dir_all(parent),
        None => Ok(()),
    }
    .and_then(|()| io::persist(tmp, &target));
    if let Err(e) = result {
        return tally.fail(EXIT_USAGE_OR_IO, &io::write_error(&target, &e));
    }
    written.insert(target, name);
}

/// A document found under the input directory `root`, its output at the
/// same path under the output directory; or a directory that cannot be
/// read.
fn file_unit(root: &Path, found: Result<DocumentFile, orcid_batch::Error>) -> Unit {
    match found {
        Ok(DocumentFile { path, size }) => Unit::File {
            relative: path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
            path,
            size,
        },
        Err(e) => Unit::Failed {
            code: EXIT_USAGE_OR_IO,
            message: format!("orcid: {e}"),
        },
    }
}

/// `doc` in API version `to_api`: an upgrade keeps every field; each thing
/// a downgrade cannot carry is a warning on stderr, and with `strict` an
/// error (nothing is written for that document).
fn change_version(
    name: &str,
    doc: AnyDocument,
    to_api: Version,
    strict: bool,
) -> Result<AnyDocument, CliError> {
    let failed =
        |e: orcid_model::convert::ConvertError| CliError::Invalid(format!("orcid: `{name}`: {e}"));
    let (doc, losses) = orcid_model::convert::to_version(&doc, to_api).map_err(failed)?;
    for loss in &losses {
        eprintln!("orcid: warning: `{name}`: {}: {}", loss.path, loss.what);
    }
    if strict && !losses.is_empty() {
        return Err(CliError::Invalid(format!(
            "orcid: `{name}`: {} loss(es) converting to API {to_api} (`--strict`); nothing written",
            losses.len()
        )));
    }
    Ok(doc)
}

/// The most places read past the XSD's letter that one input shows.
const MAX_READ_NOTES: usize = 10;

/// Says on stderr where `name` strays from the XSD's letter in a way the
/// reader forgives because ORCID's own output does it (elements out of
/// their sequence's order): the conversion goes on, the output follows the
/// XSD, and `orcid validate` still reports it for a payload to be sent.
fn warn_read_past_xsd(name: &str, notes: &[orcid_model::xml::XmlError]) {
    for n in notes.iter().take(MAX_READ_NOTES) {
        eprintln!(
            "orcid: warning: {name}:{}:{}: {} (at {}); read anyway, and written in the schema's order",
            n.line, n.column, n.kind, n.path
        );
    }
    if notes.len() > MAX_READ_NOTES {
        eprintln!(
            "orcid: warning: {name}: {} more such places",
            notes.len() - MAX_READ_NOTES
        );
    }
}
