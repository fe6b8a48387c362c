//! `orcid validate`: the XSD and ORCID's server rules, before sending.
//!
//! Inputs (files, directories, archives, standard input) run on `--jobs`
//! threads in bounded batches and are reported in input order; the human
//! format is printed as it goes. A `<bulk:bulk>` is checked work by work
//! as it is read (see [`check_bulk`]), so its size does not matter.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self as stdio, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use orcid_batch::{documents_under, ArchiveKind, DocumentFile, Walk, Weight};
use orcid_model::stream::{open_bulk, BulkPart, BulkReader, Item, Opened, StreamError};
use orcid_model::v2_1::bulk::BulkItem;
use orcid_model::v2_1::common::ExternalId;
use orcid_model::{
    detect_format, detect_version, AnyRoot, Detected, Document, Format, Root, Version,
};
use orcid_validate::rules::BulkCheck;
use orcid_validate::{
    validate_text, Context, Diagnostic, Location, NodePath, Positions, Report, SchemaCode,
    Severity, Step,
};

use crate::cli::{ReportFormat, ValidateArgs};
use crate::commands::Cut;
use crate::error::{CliError, EXIT_INVALID, EXIT_USAGE_OR_IO};
use crate::io;
use crate::progress::{self, Progress, Ticker};
use crate::render::lines::SourceLines;
use crate::render::{self, FileResult, Outcome, Summary};

/// More files than this get a progress bar (on a terminal).
const PROGRESS_THRESHOLD: usize = 20;

/// An input as given on the command line, with the files under it.
enum Source {
    Stdin,
    Files(Vec<Unit>),
    Archive(PathBuf, ArchiveKind),
}

/// A file, a member of an archive or standard input, to check.
enum Unit {
    /// Standard input.
    Stdin,
    /// A file found on the command line or under a directory.
    File(PathBuf, u64),
    /// A member of an archive (named ARCHIVE/MEMBER).
    Member(String, Vec<u8>),
    /// Something that could not be read: its name and why.
    Unreadable(String, String),
}

impl Weight for Unit {
    fn weight(&self) -> u64 {
        match self {
            Unit::File(_, size) => *size,
            Unit::Member(_, bytes) => bytes.len() as u64,
            Unit::Stdin | Unit::Unreadable(..) => 0,
        }
    }
}

/// Runs `orcid validate`.
pub fn run(args: ValidateArgs) -> Result<(), CliError> {
    if args.engine != crate::cli::Engine::Rust {
        return crate::commands::engine::run(&args);
    }
    let ctx = context(&args)?;
    let fallback = crate::config::api_version(None)?.value;
    let sources = collect(&args.inputs)?;
    let jobs = orcid_batch::jobs(args.jobs);
    let pool = orcid_batch::pool(jobs)?;

    let human = render::human::Style {
        color: args.format == ReportFormat::Human && color_wanted(),
        quiet: args.quiet,
        max_findings: args.max_findings,
    };
    let mut progress = progress_for(&sources);
    let ticker = progress.ticker();
    let read = Arc::new(AtomicU64::new(0));
    let mut archive_done = 0;

    let mut summary = Summary::default();
    let mut files: Vec<FileResult> = Vec::new();
    let mut out = BufWriter::with_capacity(1 << 16, stdio::stdout().lock());
    let mut write_failed: Option<stdio::Error> = None;
    let checking = Checking {
        root: args.root,
        api: args.api.api,
        fallback,
        guessed: std::sync::atomic::AtomicBool::new(false),
        ctx: &ctx,
        threads: jobs,
        lines: (args.format == ReportFormat::Human).then_some(args.max_findings),
        limit: args.input.max_input_size,
        ticker: &ticker,
    };
    orcid_batch::ordered(
        &pool,
        |give| produce(sources, &read, args.input.max_input_size, give),
        |unit: Unit| {
            let weight = match &unit {
                Unit::File(_, size) => *size,
                _ => 0,
            };
            let checked = check_unit(unit, &checking);
            let rendered = match args.format {
                ReportFormat::Human => render::human::file(&checked.file, &checked.lines, &human),
                ReportFormat::Json | ReportFormat::Sarif => String::new(),
            };
            (
                weight.saturating_sub(checked.streamed),
                checked.file,
                rendered,
            )
        },
        |(weight, file, rendered)| {
            let archived = read.load(Ordering::Relaxed);
            progress.add_bytes(weight + archived - archive_done);
            archive_done = archived;
            progress.add_docs(1);
            add(&mut summary, &Summary::of(std::slice::from_ref(&file)));
            if let Outcome::Unreadable(msg) = &file.outcome {
                progress.suspend(|| eprintln!("orcid: {msg}"));
            }
            if args.format == ReportFormat::Human {
                if write_failed.is_none() && !rendered.is_empty() {
                    let written = progress.suspend(|| {
                        out.write_all(rendered.as_bytes()).and_then(|()| {
                            if progress.shown() {
                                out.flush()
                            } else {
                                Ok(())
                            }
                        })
                    });
                    if let Err(e) = written {
                        write_failed = Some(e);
                    }
                }
            } else {
                files.push(file);
            }
            true
        },
    );
    progress.finish();
    if !args.quiet {
        checking.note_guess();
    }

    let tail = match args.format {
        ReportFormat::Human => {
            let mut line = render::human::summary_line(&summary, human.color);
            line.push('\n');
            line
        }
        ReportFormat::Json => render::json::document(&files, &summary),
        ReportFormat::Sarif => render::sarif::document(&files),
    };
    finish_output(&mut out, write_failed, &tail)?;

    if summary.unreadable > 0 {
        Err(CliError::Reported(EXIT_USAGE_OR_IO))
    } else if summary.invalid > 0 {
        Err(CliError::Reported(EXIT_INVALID))
    } else {
        Ok(())
    }
}

/// The request facts of `args`; `--put-code` and `--stored-visibility`
/// describe an update only.
fn context(args: &ValidateArgs) -> Result<Context, CliError> {
    let operation = orcid_validate::Operation::from(args.op);
    if operation != orcid_validate::Operation::Update {
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
    Ok(Context {
        operation,
        url_put_code: args.put_code,
        stored_visibility: args.stored_visibility.map(Into::into),
    })
}

/// The progress bar of a run over `sources`: shown for many files, an
/// archive or many bytes.
fn progress_for(sources: &[Source]) -> Progress {
    let count: usize = sources
        .iter()
        .map(|s| match s {
            Source::Files(units) => units.len(),
            _ => 1,
        })
        .sum();
    let archives = sources.iter().any(|s| matches!(s, Source::Archive(..)));
    let total: u64 = sources
        .iter()
        .map(|s| match s {
            Source::Files(units) => units.iter().map(Weight::weight).sum(),
            Source::Archive(p, _) => fs::metadata(p).map_or(0, |m| m.len()),
            Source::Stdin => 0,
        })
        .sum();
    Progress::new(
        "validating",
        total,
        count > PROGRESS_THRESHOLD || archives || total > progress::PROGRESS_BYTES,
    )
}

/// Writes `tail` after the findings, unless writing them failed; a closed
/// pipe is not an error.
fn finish_output(
    out: &mut impl Write,
    write_failed: Option<stdio::Error>,
    tail: &str,
) -> Result<(), CliError> {
    let written = match write_failed {
        Some(e) => Err(e),
        None => out.write_all(tail.as_bytes()).and_then(|()| out.flush()),
    };
    match written {
        Err(e) if e.kind() != stdio::ErrorKind::BrokenPipe => Err(CliError::Io(format!(
            "orcid: cannot write standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

/// Adds the counts of `more` to `total`.
fn add(total: &mut Summary, more: &Summary) {
    total.files += more.files;
    total.valid += more.valid;
    total.invalid += more.invalid;
    total.unreadable += more.unreadable;
    total.errors += more.errors;
    total.warnings += more.warnings;
}

/// Colours for the human format: standard output is a terminal and
/// `NO_COLOR` is not set (<https://no-color.org>).
fn color_wanted() -> bool {
    stdio::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The inputs, in command-line order, directories expanded in name order.
/// A missing path or a second `-` is an error before anything is checked.
fn collect(paths: &[PathBuf]) -> Result<Vec<Source>, CliError> {
    if paths.is_empty() {
        stdin_notice();
        return Ok(vec![Source::Stdin]);
    }
    let mut sources = Vec::new();
    let mut stdin_seen = false;
    for p in paths {
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
            Ok(m) if m.is_dir() => {
                let walk = Walk {
                    sizes: progress::sizes_wanted(),
                    skip: None,
                };
                let units: Vec<Unit> = documents_under(p, walk).into_iter().map(unit).collect();
                if units.is_empty() {
                    eprintln!("orcid: no .xml or .json files under `{}`", p.display());
                }
                sources.push(Source::Files(units));
            }
            Ok(m) => match ArchiveKind::of(p) {
                Some(kind) => sources.push(Source::Archive(p.clone(), kind)),
                None => sources.push(Source::Files(vec![Unit::File(p.clone(), m.len())])),
            },
            Err(e) => {
                return Err(CliError::Io(format!(
                    "orcid: cannot read `{}`: {e}",
                    p.display()
                )))
            }
        }
    }
    if stdin_seen {
        stdin_notice();
    }
    Ok(sources)
}

fn stdin_notice() {
    if stdio::stdin().is_terminal() {
        eprintln!("orcid: reading standard input (end with Ctrl-D; see `orcid validate --help`)");
    }
}

/// Hands out every unit in order (on the producer thread).
fn produce(
    sources: Vec<Source>,
    read: &Arc<AtomicU64>,
    limit: io::Size,
    give: &mut dyn FnMut(Unit) -> bool,
) {
    for source in sources {
        match source {
            Source::Stdin => {
                if !give(Unit::Stdin) {
                    return;
                }
            }
            Source::Files(units) => {
                for u in units {
                    if !give(u) {
                        return;
                    }
                }
            }
            Source::Archive(path, kind) => {
                let shown = path.display().to_string();
                let mut go = true;
                let result = orcid_batch::for_each_member(&path, kind, read, limit.0, |m| {
                    let name = format!("{shown}/{}", m.path);
                    go = give(match m.too_large {
                        Some(_) => {
                            let message = io::too_large(&name, limit);
                            Unit::Unreadable(name, message)
                        }
                        None => Unit::Member(name, m.bytes),
                    });
                    go
                });
                if let Err(e) = result {
                    go = give(Unit::Unreadable(shown, e.to_string()));
                }
                if !go {
                    return;
                }
            }
        }
    }
}

/// A document found under a directory, or a directory that cannot be
/// read (named by the directory).
fn unit(found: Result<DocumentFile, orcid_batch::Error>) -> Unit {
    match found {
        Ok(file) => Unit::File(file.path, file.size),
        Err(e) => Unit::Unreadable(
            e.path()
                .map_or_else(String::new, |p| p.display().to_string()),
            e.to_string(),
        ),
    }
}

/// How every input is checked.
struct Checking<'a> {
    /// `--root`.
    root: Option<AnyRoot>,
    /// `--api`.
    api: Option<Version>,
    /// The version of inputs that show none.
    fallback: Version,
    /// Whether an input was validated in `fallback` for want of a marker.
    guessed: std::sync::atomic::AtomicBool,
    /// The operation and what the update is of.
    ctx: &'a Context,
    /// Threads for the works of a bulk.
    threads: usize,
    /// Whether source lines are wanted (the human format), and for how many
    /// findings of each kind (0: all).
    lines: Option<usize>,
    /// The largest document read whole (and work of a bulk).
    limit: io::Size,
    /// The progress bar.
    ticker: &'a Ticker,
}

impl Checking<'_> {
    /// Validates `text` in `--api`, else the version it shows, else the
    /// fallback (noted in `guessed`).
    fn validate(&self, text: &str) -> Report {
        let version = self.api.unwrap_or_else(|| {
            let shown = detect_format(text).map(|f| detect_version(text, f));
            match shown {
                Some(Detected::Certain { version, .. }) => version,
                _ => {
                    self.guessed
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                    self.fallback
                }
            }
        });
        validate_text(text, self.root, version, self.ctx)
    }

    /// Says on stderr when an input was validated in the fallback version.
    fn note_guess(&self) {
        if self.guessed.load(std::sync::atomic::Ordering::Relaxed) {
            eprintln!(
                "orcid: note: some inputs show no API version; validated as v{} \
                 (say `--api 2.1|3.0`)",
                self.fallback
            );
        }
    }

    /// Whether bulks are streamed work by work: the streaming check is
    /// v2.1's, so only when v2.1 is in force.
    fn streams_bulks(&self) -> bool {
        self.api.unwrap_or(self.fallback) == Version::V2_1
    }

    /// Whether the source line of a finding is wanted when `before`
    /// findings of its kind came first.
    fn wants_line(&self, before: usize) -> bool {
        self.lines.is_some_and(|max| max == 0 || before < max)
    }
}

/// A checked input and its source lines (for the human format).
struct Checked {
    file: FileResult,
    lines: SourceLines,
    /// Bytes already counted on the progress bar (the works of a bulk).
    streamed: u64,
}

impl Checked {
    fn unreadable(path: String, msg: String) -> Checked {
        Checked {
            file: FileResult {
                path,
                outcome: Outcome::Unreadable(msg),
            },
            lines: SourceLines::none(),
            streamed: 0,
        }
    }

    fn report(path: String, report: Report, lines: SourceLines) -> Checked {
        Checked {
            file: FileResult {
                path,
                outcome: Outcome::Checked(report),
            },
            lines,
            streamed: 0,
        }
    }

    /// An input refused before it is read whole: over the limit (exit 2),
    /// or not starting as XML or JSON (the finding a whole read gives).
    fn refused(path: String, refused: io::Refused, checking: &Checking<'_>) -> Checked {
        match refused {
            io::Refused::NotADocument => {
                let report = checking.validate("");
                Checked::report(path, report, SourceLines::none())
            }
            io::Refused::TooLarge(limit) => {
                let msg = io::too_large(&path, limit);
                Checked::unreadable(path, msg)
            }
            io::Refused::Io(e) => {
                let msg = format!("cannot read `{path}`: {e}");
                Checked::unreadable(path, msg)
            }
        }
    }
}

fn check_unit(unit: Unit, checking: &Checking<'_>) -> Checked {
    let (path, reader): (String, Box<dyn Read + Send>) = match unit {
        Unit::Unreadable(path, msg) => return Checked::unreadable(path, msg),
        Unit::Member(path, bytes) => {
            if !checking.streams_bulks() {
                return match io::read_whole(bytes, stdio::empty(), checking.limit) {
                    Ok(bytes) => check_bytes(path, &bytes, checking),
                    Err(refused) => Checked::refused(path, refused, checking),
                };
            }
            return match open_bulk(bytes.as_slice()) {
                Ok(Opened::Bulk(items)) => check_bulk(path, items, checking, None),
                _ => match io::read_whole(bytes, stdio::empty(), checking.limit) {
                    Ok(bytes) => check_bytes(path, &bytes, checking),
                    Err(refused) => Checked::refused(path, refused, checking),
                },
            };
        }
        Unit::Stdin => (io::STDIN_NAME.to_string(), Box::new(stdio::stdin())),
        Unit::File(p, _) => {
            let shown = p.display().to_string();
            match File::open(&p) {
                Ok(f) => (shown, Box::new(stdio::BufReader::with_capacity(1 << 16, f))),
                Err(e) => {
                    let msg = format!("cannot read `{shown}`: {e}");
                    return Checked::unreadable(shown, msg);
                }
            }
        }
    };
    // Each work of a bulk is bounded as a document read whole is.
    let budget = io::Budget::new(checking.limit);
    if !checking.streams_bulks() {
        return match io::read_whole(Vec::new(), budget.wrap(reader), checking.limit) {
            Ok(bytes) => check_bytes(path, &bytes, checking),
            Err(refused) => Checked::refused(path, refused, checking),
        };
    }
    match open_bulk(budget.wrap(reader)) {
        Ok(Opened::Bulk(items)) => check_bulk(path, items, checking, Some(&budget)),
        Ok(Opened::Other { head, rest }) => match io::read_whole(head, rest, checking.limit) {
            Ok(bytes) => check_bytes(path, &bytes, checking),
            Err(refused) => Checked::refused(path, refused, checking),
        },
        Err(e) => {
            let msg = format!("cannot read `{path}`: {e}");
            Checked::unreadable(path, msg)
        }
    }
}

/// A whole document in memory.
fn check_bytes(path: String, bytes: &[u8], checking: &Checking<'_>) -> Checked {
    let (text, report) = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let report = checking.validate(text);
            (text.to_string(), report)
        }
        Err(e) => (
            String::from_utf8_lossy(bytes).into_owned(),
            not_utf8_at(
                orcid_model::xml::line_col(bytes, e.valid_up_to()),
                e.valid_up_to() as u64,
            ),
        ),
    };
    let lines = match checking.lines {
        Some(_) => SourceLines::whole(text),
        None => SourceLines::none(),
    };
    Checked::report(path, report, lines)
}

/// What checking one item of a bulk found.
struct ItemCheck {
    /// The item.
    item: Item,
    /// Where its elements are (to locate a duplicate id, should one be found).
    positions: Positions,
    /// Its findings, located in the whole input.
    diagnostics: Vec<Diagnostic>,
    /// The external ids of the work it holds (when the model reads it).
    ids: Vec<ExternalId>,
}

impl ItemCheck {
    /// Where the `k`-th external id of the item's work is, in the whole input.
    fn id_location(&self, k: usize) -> Option<Location> {
        let item = &self.item;
        let node = NodePath(vec![
            Step::Key("work".into()),
            Step::Index(0),
            Step::Key("external-ids".into()),
            Step::Key("external-id".into()),
            Step::Index(k),
        ]);
        let (off, path) = self.positions.get(&node)?;
        let (line, column) = orcid_model::xml::line_col(item.text.as_bytes(), off);
        let mut location = Location { line, column, path };
        relocate_location(&mut location, item);
        Some(location)
    }
}

/// Checks a `<bulk:bulk>` work by work as it is read, giving the findings
/// of the whole document: each item is validated as a bulk of its own
/// (the XSD and the rules on its work, on all threads), its findings are
/// moved to their place in the input, and the rules across works (at most
/// 100 works, duplicate external ids) are checked as the items come by, in
/// memory that grows with the works' ids, not with the document. Unlike a
/// whole-document check, a work the model cannot read does not hide the
/// rule findings of the others.
fn check_bulk<R: Read + Send>(
    path: String,
    items: BulkReader<R>,
    checking: &Checking<'_>,
    budget: Option<&io::Budget>,
) -> Checked {
    let ctx = checking.ctx;
    let (root_line, root_col) = items.root_position();
    let root_location = || Location {
        line: root_line,
        column: root_col,
        path: format!("/{}", Root::BulkBulk.qualified_name()),
    };
    let check = |cut: Cut| check_item(cut, ctx);

    let mut found = Found::default();
    let mut failure: Option<Checked> = None;
    let mut root_text: Option<String> = None;
    let mut streamed = 0u64;
    let items = items.map(|item| {
        if let Some(budget) = budget {
            budget.renew();
        }
        Cut(item)
    });
    orcid_batch::ordered_iter(checking.threads, items, check, |checked| {
        let mut c = match checked {
            Ok(c) => c,
            Err(StreamError::NotUtf8 {
                offset,
                line,
                column,
            }) => {
                // As for a document read whole: that is the only finding.
                let report = not_utf8_at((line, column), offset);
                failure = Some(Checked::report(path.clone(), report, SourceLines::none()));
                return false;
            }
            Err(StreamError::Io(e)) => {
                let msg = format!("cannot read `{path}`: {e}");
                failure = Some(Checked::unreadable(path.clone(), msg));
                return false;
            }
        };
        let bytes = c.item.text.len() as u64;
        streamed += bytes;
        checking.ticker.add_bytes(bytes);
        if checking.lines.is_some() && root_text.is_none() {
            root_text = c.item.source_line(root_line);
        }
        found.add(&mut c, checking, &root_location);
        !found.broken
    });
    if let Some(mut f) = failure {
        f.streamed = streamed;
        return f;
    }
    let mut diagnostics = found.schema;
    if !found.broken {
        for f in found.across.finish() {
            diagnostics.push(Diagnostic::of_finding(&f, Some(root_location())));
        }
        diagnostics.extend(found.rules);
        diagnostics.extend(found.duplicates);
    }
    let mut lines = found.lines;
    if let Some(t) = root_text {
        lines.entry(root_line).or_insert(t);
    }
    let report = Report {
        format: Some(Format::Xml.media_type()),
        root: Some(Root::BulkBulk.qualified_name()),
        diagnostics,
    };
    Checked {
        streamed,
        ..Checked::report(path, report, SourceLines::picked(lines))
    }
}

/// Validates one item of a bulk as a bulk of its own (the XSD and the
/// rules on its work), moves its findings to their place in the whole
/// input, and keeps its work's external ids for the rules across works.
fn check_item(cut: Cut, ctx: &Context) -> Result<ItemCheck, StreamError> {
    let item = cut.0?;
    // The model's reading of the item comes with the validation.
    let checked = orcid_validate::validate_xml_parsed(&item.text, ctx);
    let mut diagnostics = checked.report.diagnostics;
    for d in &mut diagnostics {
        relocate(d, &item);
    }
    let ids = if works_named(&item.kind) {
        let works = match checked.document {
            Some(Document::BulkBulk(bulk)) => Some(bulk.bulk),
            Some(_) => Some(Vec::new()),
            // Not read (broken XML): as the model reads it on its own.
            None => item.parse().ok(),
        };
        works
            .into_iter()
            .flatten()
            .filter_map(|it| match it {
                BulkItem::Work(w) => w.external_ids,
                BulkItem::Error(_) => None,
            })
            .flat_map(|ids| ids.external_id)
            .collect()
    } else {
        Vec::new()
    };
    Ok(ItemCheck {
        item,
        positions: checked.positions,
        diagnostics,
        ids,
    })
}

/// The findings of a bulk so far, sorted as the report gives them.
#[derive(Default)]
struct Found {
    /// Of the schema layer (and reading).
    schema: Vec<Diagnostic>,
    /// Of ORCID's rules on each work.
    rules: Vec<Diagnostic>,
    /// Of the rules across works: duplicate ids.
    duplicates: Vec<Diagnostic>,
    /// The source lines of the findings the human format may draw: the
    /// first `--max-findings` of each kind (the ones drawn are among them).
    lines: BTreeMap<usize, String>,
    /// The input cannot be read as a bulk: nothing else is checked.
    broken: bool,
    /// The rules across works.
    across: BulkCheck,
}

impl Found {
    /// Takes the findings of item `c` and checks it against the works
    /// before it.
    fn add(&mut self, c: &mut ItemCheck, checking: &Checking<'_>, root: &dyn Fn() -> Location) {
        // ORCID stores a work of a bulk only when it passes validation.
        let stored = !c.diagnostics.iter().any(|d| d.severity == Severity::Error);
        for d in std::mem::take(&mut c.diagnostics) {
            if d.code.is_rule() {
                if checking.wants_line(self.rules.len()) {
                    pick_line(&mut self.lines, &c.item, &d);
                }
                self.rules.push(d);
                continue;
            }
            if d.code.stops_checking() {
                self.broken = true;
            }
            // Text directly in the bulk is one finding of the bulk.
            let of_bulk = d.node.as_ref().is_some_and(|n| n.0.is_empty());
            if of_bulk
                && self
                    .schema
                    .iter()
                    .any(|s| s.code == d.code && s.node == d.node)
            {
                continue;
            }
            if checking.wants_line(self.schema.len()) {
                pick_line(&mut self.lines, &c.item, &d);
            }
            self.schema.push(d);
        }
        if let BulkPart::Element { index, .. } = c.item.kind {
            if works_named(&c.item.kind) {
                if let Some(f) = self.across.push_work(index, &c.ids, stored) {
                    let location = match f.node.0.last() {
                        Some(Step::Index(k)) => c.id_location(*k),
                        _ => None,
                    };
                    let location = location.unwrap_or_else(root);
                    let d = Diagnostic::of_finding(&f, Some(location));
                    if checking.wants_line(self.duplicates.len()) {
                        pick_line(&mut self.lines, &c.item, &d);
                    }
                    self.duplicates.push(d);
                }
            }
        }
    }
}

/// Keeps the source line of finding `d` of `item`, unless a line of that
/// number is kept already (a line that several items share is kept as
/// the first of them holds it).
fn pick_line(lines: &mut BTreeMap<usize, String>, item: &Item, d: &Diagnostic) {
    if let Some(l) = d.location.as_ref().filter(|l| l.line > 0) {
        if let std::collections::btree_map::Entry::Vacant(e) = lines.entry(l.line) {
            if let Some(text) = item.source_line(l.line) {
                e.insert(text);
            }
        }
    }
}

/// Whether an item is a `work` element (by its local name).
fn works_named(kind: &BulkPart) -> bool {
    matches!(kind, BulkPart::Element { name, .. } if name.rsplit(':').next() == Some("work"))
}

/// Moves a finding of an item (a bulk of one) to its place in the whole
/// bulk: line and column, the index of the item in XPaths and node paths.
fn relocate(d: &mut Diagnostic, item: &Item) {
    if let BulkPart::Element {
        index, name_index, ..
    } = item.kind
    {
        if let Some(node) = &mut d.node {
            match node.0.as_mut_slice() {
                // ORCID's rules name the item in the bulk's JSON list.
                [Step::Key(k), Step::Index(i), ..] if k == "bulk" => *i = index,
                // The XSD counts elements by name.
                [Step::Key(_), Step::Index(i), ..] => *i = name_index,
                _ => {}
            }
        }
    }
    if let Some(l) = &mut d.location {
        relocate_location(l, item);
    }
}

/// Moves a location in an item to its place in the whole bulk.
fn relocate_location(l: &mut Location, item: &Item) {
    if let BulkPart::Element { name_index, .. } = item.kind {
        l.path = reindex_xpath(&l.path, name_index);
    }
    if l.line > 0 {
        (l.line, l.column) = item.map_line_col(l.line, l.column);
    }
}

/// `/bulk:bulk/work:work[1]/…` with the item's position instead of `[1]`.
fn reindex_xpath(path: &str, name_index: usize) -> String {
    let Some(first) = path.get(1..).and_then(|p| p.find('/')) else {
        return path.to_string();
    };
    let start = first + 2;
    let end = path[start..].find('/').map_or(path.len(), |e| start + e);
    match path[start..end].strip_suffix("[1]") {
        Some(name) => format!(
            "{}{name}[{}]{}",
            &path[..start],
            name_index + 1,
            &path[end..]
        ),
        None => path.to_string(),
    }
}

/// The report of an input that is not UTF-8 at `(line, column)`.
fn not_utf8_at((line, column): (usize, usize), offset: u64) -> Report {
    Report {
        format: None,
        root: None,
        diagnostics: vec![Diagnostic {
            code: SchemaCode::Syntax.into(),
            severity: Severity::Error,
            message: format!("input is not valid UTF-8 (byte offset {offset})"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xpaths_get_the_items_position() {
        assert_eq!(
            reindex_xpath("/bulk:bulk/work:work[1]/work:title", 4),
            "/bulk:bulk/work:work[5]/work:title"
        );
        assert_eq!(
            reindex_xpath("/bulk:bulk/work:work[1]", 0),
            "/bulk:bulk/work:work[1]"
        );
        assert_eq!(reindex_xpath("/bulk:bulk", 3), "/bulk:bulk");
        assert_eq!(
            reindex_xpath("/bulk:bulk/work:work/work:title", 3),
            "/bulk:bulk/work:work/work:title"
        );
    }
}
