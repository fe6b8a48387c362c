//! Command-line syntax: the `orcid` app and its subcommands.
//!
//! New subcommands (`auth`, `item`, …) are added as a variant of
//! [`Command`] with their own `Args` struct and a module in `commands/`.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use std::sync::LazyLock;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0::section::ItemSection;
use orcid_model::{AnyRoot, Format, Version};
use orcid_validate::Operation;

const APP_ABOUT: &str = "Tools for ORCID API v2.1 messages (vnd.orcid+xml and vnd.orcid+json)";

const APP_LONG_ABOUT: &str = "\
Tools for ORCID API v2.1 messages.

ORCID exchanges every message (record, work, funding, person, ...) in two wire
formats: application/vnd.orcid+xml and application/vnd.orcid+json. `orcid`
reads and writes both exactly as ORCID's server does, using the typed model
generated from ORCID's v2.1 XSDs.";

const APP_AFTER_HELP: &str = "\
Exit status:
  0  success
  1  an input is malformed, invalid, or cannot be converted
  2  usage error, or a file that cannot be read or written

Run `orcid help <COMMAND>` or `orcid <COMMAND> --help` for details.";

/// The `orcid` command line.
#[derive(Debug, Parser)]
#[command(
    name = "orcid",
    bin_name = "orcid",
    version,
    about = APP_ABOUT,
    long_about = APP_LONG_ABOUT,
    after_help = APP_AFTER_HELP,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// More log lines on standard error (-v debug, -vv trace); `RUST_LOG`
    /// overrides both
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Fewer log lines (-q errors only, -qq none); `orcid validate -q` also
    /// prints nothing for valid files, only counts them
    #[arg(short = 'q', long, global = true, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,

    /// The format of log lines on standard error
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The format of the log lines (`--log-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line of text per event
    Text,
    /// One JSON object per line (for log collectors)
    Json,
}

/// The XSD engine of `orcid validate --engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// The built-in validator (every check, every format)
    Rust,
    /// ORCID's XSDs through libxml2 (XML files only; schema checks only)
    Libxml2,
    /// Both on each XML file; where their verdicts differ is reported
    Both,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert messages between vnd.orcid+xml and vnd.orcid+json
    #[command(
        long_about = CONVERT_LONG_ABOUT,
        after_help = CONVERT_AFTER_HELP,
    )]
    Convert(ConvertArgs),

    /// Check messages as ORCID's server would, before sending them
    #[command(
        long_about = VALIDATE_LONG_ABOUT,
        after_help = VALIDATE_AFTER_HELP,
    )]
    Validate(ValidateArgs),

    /// Print the JSON Schema of vnd.orcid+json messages
    #[command(
        long_about = SCHEMA_LONG_ABOUT,
        after_help = SCHEMA_AFTER_HELP,
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Schema(SchemaArgs),

    /// Explain an ORCID error code or a diagnostic code of `orcid validate`
    #[command(
        long_about = EXPLAIN_LONG_ABOUT,
        after_help = EXPLAIN_AFTER_HELP,
    )]
    Explain(ExplainArgs),

    /// Connect researchers: sign in at ORCID, list, refresh and revoke tokens
    #[command(
        long_about = AUTH_LONG_ABOUT,
        after_help = AUTH_AFTER_HELP,
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Auth(AuthArgs),

    /// Read a researcher's record, a section or one item
    #[command(
        after_help = RECORD_AFTER_HELP,
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Record(RecordArgs),

    /// Add, update or delete an item of a researcher's record
    #[command(
        long_about = ITEM_LONG_ABOUT,
        after_help = ITEM_AFTER_HELP,
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Item(ItemArgs),

    /// Keep folders of items in step with researchers' records (plan, apply, status)
    #[command(
        long_about = PUSH_LONG_ABOUT,
        after_help = PUSH_AFTER_HELP,
        args_conflicts_with_subcommands = true
    )]
    Push(PushArgs),

    /// Show the configuration: client, environment, format, store
    #[command(
        long_about = CONFIG_LONG_ABOUT,
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Config(ConfigArgs),

    /// Run a local server that behaves like ORCID (OAuth and the member API v2.1 and v3.0)
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Mock(MockArgs),

    /// Run a "Connect your ORCID iD" page for researchers
    #[command(
        long_about = crate::commands::connect::CONNECT_LONG_ABOUT,
        subcommand_required = true,
        arg_required_else_help = true
    )]
    Connect(crate::commands::connect::ConnectArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell)
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions(CompletionsArgs),

    /// Write the manual pages: `orcid.1` on standard output, or one page per
    /// command and subcommand into a directory with -o
    Man(ManArgs),
}

const COMPLETIONS_AFTER_HELP: &str = "\
Examples:
  orcid completions bash > ~/.local/share/bash-completion/completions/orcid
  orcid completions zsh > ~/.zfunc/_orcid
  orcid completions fish > ~/.config/fish/completions/orcid.fish";

/// Arguments of `orcid completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `orcid man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `orcid.1` and one page per subcommand (`orcid-validate.1`, …)
    /// into this directory (created if missing)
    #[arg(short = 'o', long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

impl Command {
    /// The subcommand's name as typed on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Convert(_) => "convert",
            Command::Push(_) => "push",
            Command::Validate(_) => "validate",
            Command::Schema(_) => "schema",
            Command::Explain(_) => "explain",
            Command::Auth(_) => "auth",
            Command::Record(_) => "record",
            Command::Item(_) => "item",
            Command::Config(_) => "config",
            Command::Mock(_) => "mock",
            Command::Connect(_) => "connect",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
        }
    }
}

const CONVERT_LONG_ABOUT: &str = "\
Convert ORCID v2.1 messages between vnd.orcid+xml and vnd.orcid+json.

The input format is detected from the content (`<` starts XML, `{` starts
JSON), not from the file name. By default the output is the other format (XML
becomes JSON, JSON becomes XML); `--to` picks it explicitly, and converting to
the input's own format re-writes it canonically (ORCID's prefixes, element
order and spellings).

JSON does not carry the name of its root element. `--root NAME` says what a
JSON input is (e.g. `work`, `record`, `work:work`); without it the root is
inferred from the top-level keys, and when that is ambiguous the error asks
for `--root`. XML inputs name their own root element and ignore `--root`.

Inputs and outputs:
  * no input, or `-`, reads standard input; output goes to standard output
    unless `-o OUT` is given;
  * one FILE with `-o OUT` writes OUT (or OUT/NAME.EXT if OUT is an existing
    directory);
  * several FILEs need `-o OUTDIR`: each becomes OUTDIR/NAME.EXT;
  * a DIR converts every file under it whose name ends in .xml or .json
    (recursively; other files are skipped) into `-o OUTDIR`, mirroring
    relative paths and changing the extension to the target format's. Bad
    files are reported one by one and the others are still converted;
  * an ARCHIVE (.tar, .tar.gz or .tgz, e.g. ORCID's public data file) is
    read as a stream, without extracting it: its .xml and .json members
    are converted into `-o OUTDIR` at their paths in the archive;
  * `--jsonl` writes every input (files, directories, archives) as JSON
    Lines instead, one line per document in input order, to standard output
    or `-o FILE`: {\"path\": …, \"root\": \"record:record\", \"document\": {…}},
    or {\"path\": …, \"error\": \"…\"} for an input that cannot be converted.
Collections are converted on all cores (`--jobs` limits that) and come out
in input order; a progress bar with the throughput is shown on standard
error when it is a terminal. A <bulk:bulk> on its way to JSON is converted
work by work as it is read, so its size does not matter; any other document
is read whole, up to `--max-input-size` (256MiB unless given; also the limit
of one work of a bulk), and an input whose first character is not `<`, `{`
or `[` is refused at once.
Output files are written atomically: a failed conversion never leaves a
half-written file behind, and an output is never one of the inputs
(whatever path names it): `-o` onto an input is refused (exit 2).

Errors in an input are reported as `FILE:LINE:COLUMN: message`, followed by
the XML element path or the JSON pointer of the offending value.";

const CONVERT_AFTER_HELP: &str = "\
Exit status:
  0  every input was converted
  1  an input is malformed, or its root element cannot be inferred
  2  usage error, or a file that cannot be read or written

Examples:
  orcid convert work.xml                      XML to pretty JSON on stdout
  orcid convert --root work work.json -o work.xml
  orcid convert --compact < record.xml        stdin to compact JSON on stdout
  curl -sH 'Accept: application/vnd.orcid+xml' \
      https://pub.orcid.org/v2.1/0000-0003-0902-4386/record | orcid convert -
  orcid convert --to xml messy.xml            re-write XML canonically
  orcid convert samples/ -o out/              convert a whole tree
  orcid convert --jsonl ORCID_2023_10_summaries.tar.gz > summaries.jsonl";

/// Options of `orcid convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Output format [default: the other format than the input's]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Option<TargetFormat>,

    /// Indent the output (the default); `--pretty` and `--compact` override
    /// each other, the last one wins
    #[arg(long, overrides_with = "compact")]
    pub pretty: bool,

    /// Write the output without indentation: a single line
    #[arg(long, overrides_with = "pretty")]
    pub compact: bool,

    /// Root element of JSON inputs, e.g. `work`, `record` or `work:work`
    /// [default: inferred from the JSON keys]
    #[arg(long, value_name = "NAME", value_parser = parse_any_root)]
    pub root: Option<AnyRoot>,

    #[command(flatten)]
    pub api: ApiArg,

    /// Convert to this API version (`2.1` or `3.0`): an upgrade keeps every
    /// field; a downgrade warns on stderr about each thing 2.1 cannot hold
    #[arg(long = "to-api", value_name = "VERSION", value_parser = parse_version)]
    pub to_api: Option<Version>,

    /// With `--to-api`: any loss is an error (exit 1, nothing written)
    #[arg(long, requires = "to_api")]
    pub strict: bool,

    /// Write to OUT instead of standard output; a directory for DIR, an
    /// archive or several inputs (created if missing)
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Write JSON Lines: one compact vnd.orcid+json document per line, in
    /// input order, with its path and root
    #[arg(long)]
    pub jsonl: bool,

    /// Number of documents converted at once [default: the number of cores]
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    #[command(flatten)]
    pub input: InputLimitArg,

    /// Input files, directories or archives (.tar, .tar.gz, .tgz); `-` (or
    /// nothing) reads standard input
    #[arg(value_name = "FILE|DIR|ARCHIVE|-")]
    pub inputs: Vec<PathBuf>,
}

impl ConvertArgs {
    /// Whether to indent the output.
    pub fn pretty(&self) -> bool {
        !self.compact
    }
}

/// A target format for `--to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetFormat {
    /// application/vnd.orcid+json
    Json,
    /// application/vnd.orcid+xml
    Xml,
}

impl From<TargetFormat> for Format {
    fn from(t: TargetFormat) -> Format {
        match t {
            TargetFormat::Json => Format::Json,
            TargetFormat::Xml => Format::Xml,
        }
    }
}

const VALIDATE_LONG_ABOUT: &str = "\
Check ORCID v2.1 messages as ORCID's server would, before sending them.

Two layers are checked, for vnd.orcid+xml and vnd.orcid+json alike:
  1. ORCID's v2.1 XSD, completely (codes `xsd.*`; JSON that ORCID cannot
     even read gets `json.*`; malformed input gets `syntax`);
  2. the rules ORCID's server enforces beyond the XSD (codes `orcid.*`):
     put-codes, required titles and identifiers, identifier types, dates, ...
Every finding names the ORCID error the server would answer with (HTTP
status and ORCID error code) and how to fix it; `orcid explain CODE` says
more about a code.

Some rules depend on the request rather than on the payload: `--op` says
whether it is sent with POST (create, the default) or PUT (update);
`--put-code` is the put-code in the URL of a PUT and `--stored-visibility`
the visibility of the item already stored (ORCID refuses to change it).

The format of each input is detected from its content (`<` starts XML, `{`
starts JSON). JSON does not carry its root element: `--root NAME` says what
it is (e.g. `work`), otherwise it is inferred from the top-level keys.

Inputs are files, directories (every .xml and .json file under them,
recursively, in name order), archives (.tar, .tar.gz, .tgz: every .xml and
.json member, in archive order, read as a stream; a member is named
ARCHIVE/MEMBER) and `-` for standard input (also the default). Files are
checked in parallel on all cores (`--jobs` limits that); results are printed
in input order. A <bulk:bulk> is checked work by work as it is read, its
works on all cores, so its size does not matter; any other document is read
whole, up to `--max-input-size` (256MiB unless given; also the limit of one
work of a bulk). A progress bar with the
throughput is shown on standard error when it is a terminal and there are
more than 20 files or an archive.

Output formats (`--format`):
  human  for each finding
           FILE:LINE:COL: error[CODE]: message
         followed by the source line with a marker under the column, and
           = path: /work:work/common:title      (XPath, or JSON Pointer)
           = ORCID would answer: 400 / error 9001
           = hint: how to fix it
         for the first 20 findings of each file (`--max-findings N`; 0
         for all); the others are counted by code, one line per code:
           N × error[CODE], first at FILE:LINE:COL
         then `FILE: valid (work:work, vnd.orcid+xml)` or `FILE: invalid
         (..., N errors)` for each file (`--quiet` leaves out the valid
         ones), and a summary line at the end:
           N files, V valid, I invalid, E errors
         (then `, W warnings` and `, U unreadable` when there are any).
         Unreadable files are reported on standard error. Colours only
         when standard output is a terminal and NO_COLOR is not set.
  json   one JSON document, a stable format (docs/validate-output.md):
           {\"version\": 1, \"files\": [{\"path\", \"format\", \"root\", \"valid\",
            \"error\", \"diagnostics\": [...]}], \"summary\": {...}}
  sarif  SARIF 2.1.0, for code-scanning tools: one run whose rules are the
         codes found; each result carries the ORCID error in `properties`.";

const VALIDATE_AFTER_HELP: &str = "\
Exit status:
  0  every input is valid (warnings allowed)
  1  an input is invalid: ORCID would reject it
  2  usage error, or a path that is missing or cannot be read (this wins
     over 1; a missing path on the command line stops before any check)

Examples:
  orcid validate work.xml
  orcid validate --root work work.json
  orcid validate --op update --put-code 1234 --stored-visibility public work.xml
  orcid validate -q outbox/                   only the invalid files and the summary
  orcid validate --format json works/ > report.json
  orcid validate --format sarif works/ > orcid.sarif
  orcid validate -q ORCID_2023_10_summaries.tar.gz   only the invalid records
  orcid convert record.xml | orcid validate --root record -";

/// Options of `orcid validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The XSD engine: `rust` (built in), `libxml2` (ORCID's XSDs through
    /// libxml2; needs a build with the cargo feature `libxml`), or `both`
    /// (reports the XML files where the two disagree)
    #[arg(long, value_enum, value_name = "ENGINE", default_value_t = Engine::Rust)]
    pub engine: Engine,

    /// Where ORCID's XSDs are, for `--engine libxml2|both`
    #[arg(long, value_name = "DIR", default_value = "schemas/cache")]
    pub schema_cache: PathBuf,

    /// How the payload is sent: `create` (POST) or `update` (PUT)
    #[arg(long, value_enum, value_name = "OP", default_value_t = OpArg::Create)]
    pub op: OpArg,

    /// The put-code in the URL of the PUT (`--op update` only); a different
    /// put-code in the payload is an error (ORCID 9019)
    #[arg(long, value_name = "N", value_parser = parse_put_code)]
    pub put_code: Option<PutCode>,

    /// Visibility of the stored item (`--op update` only); a payload that
    /// changes it is an error (ORCID 9035)
    #[arg(long, value_enum, value_name = "VISIBILITY")]
    pub stored_visibility: Option<VisibilityArg>,

    /// Root element of JSON inputs, e.g. `work`, `record` or `work:work`
    /// [default: inferred from the JSON keys]
    #[arg(long, value_name = "NAME", value_parser = parse_any_root)]
    pub root: Option<AnyRoot>,

    #[command(flatten)]
    pub api: ApiArg,

    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Number of files checked at once [default: the number of cores]
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    /// Human format: print nothing for valid files, only count them (set by
    /// the global `-q/--quiet`, see [`Cli::quiet`])
    #[arg(skip)]
    pub quiet: bool,

    /// Human format: findings drawn with their source line per input; the
    /// others are counted by code (0 draws all; JSON and SARIF list all)
    #[arg(long, value_name = "N", default_value_t = crate::render::human::DEFAULT_MAX_FINDINGS)]
    pub max_findings: usize,

    #[command(flatten)]
    pub input: InputLimitArg,

    /// Files, directories or archives (.tar, .tar.gz, .tgz) to check; `-`
    /// (or nothing) reads standard input
    #[arg(value_name = "FILE|DIR|ARCHIVE|-")]
    pub inputs: Vec<PathBuf>,
}

/// `--op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OpArg {
    /// POST: a new item (or a bulk of works)
    Create,
    /// PUT: an update of an existing item
    Update,
}

impl From<OpArg> for Operation {
    fn from(op: OpArg) -> Operation {
        match op {
            OpArg::Create => Operation::Create,
            OpArg::Update => Operation::Update,
        }
    }
}

/// `--stored-visibility`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VisibilityArg {
    /// Everyone
    Public,
    /// Trusted parties
    Limited,
    /// Signed-in ORCID users (a legacy value)
    RegisteredOnly,
    /// Only the researcher
    Private,
}

impl From<VisibilityArg> for Visibility {
    fn from(v: VisibilityArg) -> Visibility {
        match v {
            VisibilityArg::Public => Visibility::Public,
            VisibilityArg::Limited => Visibility::Limited,
            VisibilityArg::RegisteredOnly => Visibility::RegisteredOnly,
            VisibilityArg::Private => Visibility::Private,
        }
    }
}

/// `--format` of `orcid validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Findings with the source line, for people
    Human,
    /// One JSON document (stable, see docs/validate-output.md)
    Json,
    /// SARIF 2.1.0
    Sarif,
}

const SCHEMA_LONG_ABOUT: &str = "\
Print the JSON Schema (draft 2020-12) of ORCID v2.1 messages.

`orcid schema json ROOT` prints the schema of ROOT's vnd.orcid+json
documents as ORCID writes them (`{\"value\": ...}` wrappers, ORCID's enum
spellings; `null` is allowed where a property is absent).

`orcid schema json` without ROOT prints one schema for every root: its
`$defs` hold each root's schema under the root's qualified name (e.g.
`$defs/work:work`, a schema resource of its own with `$id`
`urn:orcid:v2.1:json:work:work`), and the top level is an `anyOf` of
references to all of them. Since JSON does not name its root, this accepts a
document that is any v2.1 message; validate against one root's schema
(`#/$defs/work:work`) to check a specific kind.

The schema describes the JSON shape only; `orcid validate` also checks the
XSD facets (patterns, lengths) and ORCID's server rules.";

const SCHEMA_AFTER_HELP: &str = "\
Exit status:
  0  the schema was printed
  2  usage error (e.g. an unknown root)

Examples:
  orcid schema json work > work.schema.json
  orcid schema json record
  orcid schema json > orcid-v2.1.schema.json     every root, as an anyOf";

/// Options of `orcid schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[command(subcommand)]
    pub kind: SchemaKind,
}

/// The schemas `orcid schema` prints.
#[derive(Debug, Subcommand)]
pub enum SchemaKind {
    /// JSON Schema (draft 2020-12) of vnd.orcid+json documents
    #[command(after_help = SCHEMA_AFTER_HELP)]
    Json {
        /// Root element, e.g. `work`, `record` or `work:work` [default:
        /// every root, as an `anyOf` over `$defs`]
        #[arg(value_name = "ROOT", value_parser = parse_any_root)]
        root: Option<AnyRoot>,

        /// Write the schema on a single line
        #[arg(long)]
        compact: bool,

        /// ORCID API version of the schema, 2.1 or 3.0 [default:
        /// $ORCID_API_VERSION, else the config file's `api_version`, else 3.0]
        #[arg(long = "api", value_name = "VERSION", value_parser = parse_version)]
        api: Option<Version>,
    },
}

const EXPLAIN_LONG_ABOUT: &str = "\
Explain a code: what it means, what usually causes it, the HTTP status ORCID
answers with, and which local rules of `orcid validate` predict it.

CODE is either
  * an ORCID API error code, as in ORCID's `error-code` field (e.g. 9021), or
  * a diagnostic code printed by `orcid validate`: `xsd.*` (the XSD), `json.*`
    (JSON that ORCID cannot read), `syntax`, or `orcid.*` (one of ORCID's
    server rules, e.g. orcid.work.title-required).";

const EXPLAIN_AFTER_HELP: &str = "\
Exit status:
  0  the code was explained
  1  the code is unknown
  2  usage error

Examples:
  orcid explain 9021
  orcid explain xsd.pattern
  orcid explain orcid.work.title-required";

/// Options of `orcid explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// An ORCID error code (e.g. `9021`) or a diagnostic code (e.g.
    /// `xsd.pattern`, `orcid.work.title-required`)
    #[arg(value_name = "CODE")]
    pub code: String,
}

const AUTH_LONG_ABOUT: &str = "\
Connect researchers to this integration with ORCID's OAuth (\"create on
demand\"), and manage the tokens they granted.

`orcid auth login` starts a listener on 127.0.0.1 for ORCID's redirect,
prints the authorize URL (and opens it in a browser when there is one), and
waits. The researcher signs in or registers at ORCID and grants access; ORCID
redirects to the listener with a one-time code and the `state` sent. The
state is checked, the code is exchanged for the iD and token at once, and
both are kept in the store (a SQLite file only its owner can read). Tokens
are never printed.

The client id, secret and ORCID environment come from the configuration (see
`orcid config show`): ORCID_CLIENT_ID, ORCID_CLIENT_SECRET, ORCID_ENVIRONMENT
(production, sandbox, or a base URL such as a mock's) and ORCID_STORE, or
the file config.toml in the platform configuration directory (or --config /
ORCID_CONFIG). The redirect URI http://127.0.0.1:PORT/callback must be
registered with the client (the mock accepts any port).";

const AUTH_AFTER_HELP: &str = "\
Exit status:
  0  success
  1  ORCID refused (the error, its ORCID code and classification are printed),
     the state did not match, or the wait timed out
  2  usage or configuration error

Examples:
  orcid auth login
  orcid auth login --scope /activities/update --scope /read-limited \\
      --given-names Sofia --family-names Garcia --email sofia@example.org
  orcid auth list
  orcid auth refresh --orcid 0000-0002-1825-0097
  orcid auth revoke --orcid 0000-0002-1825-0097";

/// The limit on documents read whole (shared by the commands that read
/// documents: `convert`, `validate`, `item add|update`).
#[derive(Debug, Clone, Args)]
pub struct InputLimitArg {
    /// Largest document read whole, and largest work of a bulk (a bulk is
    /// read work by work and may be larger): e.g. 64KiB, 256MiB, 1GiB
    #[arg(long = "max-input-size", value_name = "SIZE", default_value_t = crate::io::DEFAULT_MAX_INPUT_SIZE)]
    pub max_input_size: crate::io::Size,
}

/// The configuration file (shared by the commands that talk to ORCID).
#[derive(Debug, Clone, Args)]
pub struct ConfigFileArg {
    /// Configuration file [default: $ORCID_CONFIG, else config.toml in the
    /// platform configuration directory]
    #[arg(long = "config", value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

/// Options of `orcid auth`.
#[derive(Debug, Args)]
pub struct AuthArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,

    /// What to do.
    #[command(subcommand)]
    pub command: AuthCommand,
}

/// The subcommands of `orcid auth`.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Send a researcher to ORCID, take the code back, store the iD and token
    Login(AuthLoginArgs),
    /// List the researchers connected (never the tokens)
    List,
    /// Get a new access token with the stored refresh token
    Refresh(AuthRefreshArgs),
    /// Revoke a researcher's token at ORCID, then forget it
    Revoke(AuthRevokeArgs),
}

/// Options of `orcid auth login`.
#[derive(Debug, Args)]
pub struct AuthLoginArgs {
    /// A scope to ask for, e.g. `/activities/update` (repeatable, or
    /// space/comma separated) [default: /read-limited /activities/update
    /// /person/update]
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// Pre-fill the sign-in or registration form with this e-mail
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Pre-fill the registration form's given names (shows it first)
    #[arg(long, value_name = "NAMES")]
    pub given_names: Option<String>,

    /// Pre-fill the registration form's family names (shows it first)
    #[arg(long, value_name = "NAMES")]
    pub family_names: Option<String>,

    /// Pre-fill the sign-in form with this iD
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// Port of the loopback redirect listener (0: any free port)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,

    /// Do not open a browser; only print the URL
    #[arg(long)]
    pub no_browser: bool,

    /// Seconds to wait for ORCID's redirect
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
}

/// Options of `orcid auth refresh`.
#[derive(Debug, Args)]
pub struct AuthRefreshArgs {
    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// Keep the old access token valid (ORCID revokes it by default)
    #[arg(long)]
    pub keep_old: bool,
}

/// Options of `orcid auth revoke`.
#[derive(Debug, Args)]
pub struct AuthRevokeArgs {
    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// Only forget the token here, without calling ORCID
    #[arg(long)]
    pub local_only: bool,
}

const RECORD_AFTER_HELP: &str = "\
SECTION is one of record (the default), person, personal-details, biography,
email, other-names, researcher-urls, keywords, address, external-identifiers,
activities, works, fundings, educations, employments, peer-reviews, and in
API v3.0 also summary, distinctions, invited-positions, memberships,
qualifications, services, research-resources; with a PUT-CODE, an item: work,
funding, education, employment, peer-review, researcher-url, other-name,
keyword, address, external-identifier (v3.0 also: distinction,
invited-position, membership, qualification, service, research-resource).

Exit status:
  0  the document was printed
  1  ORCID refused (the error, its ORCID code and classification are printed)
  2  usage or configuration error

Examples:
  orcid record get --orcid 0000-0002-1825-0097
  orcid record get works --orcid 0000-0002-1825-0097 --format json
  orcid record get work 1234 --orcid 0000-0002-1825-0097
  orcid record get distinctions --api 3.0 --format json";

/// Options of `orcid record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,

    /// What to do.
    #[command(subcommand)]
    pub command: RecordCommand,
}

/// The subcommands of `orcid record`.
#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// Print the record, a section, or one item (with its put-code)
    #[command(after_help = RECORD_AFTER_HELP)]
    Get(RecordGetArgs),
}

/// Options of `orcid record get`.
#[derive(Debug, Args)]
pub struct RecordGetArgs {
    /// Section or item kind [default: record]
    #[arg(value_name = "SECTION")]
    pub section: Option<String>,

    /// Put-code of one item of SECTION
    #[arg(value_name = "PUT-CODE", value_parser = parse_put_code)]
    pub put_code: Option<PutCode>,

    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// Format on the wire and of the output [default: the configured one]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TargetFormat>,

    #[command(flatten)]
    pub api: ApiCallArg,
}

const ITEM_LONG_ABOUT: &str = "\
Add, update or delete one item of a researcher's record with the token that
`orcid auth login` stored.

FILE is the item in vnd.orcid+xml or vnd.orcid+json (detected from the
content; SECTION says what a JSON file is). It is checked as ORCID's server
would before it is sent (`--no-validate` skips that). `add` prints the
put-code ORCID assigned and records it in the store's put-code registry under
`--key` (default: the item's first self external identifier, an
affiliation's organisation and role, else the file name); `update` finds the put-code in `--put-code`, the file, or that
registry.

The item goes to the member API of its version: `--api 2.1|3.0`, else what
the content shows, else $ORCID_API_VERSION, the config file's `api_version`,
or 3.0. Sections only v3.0 has (distinction, invited-position, membership,
qualification, service, research-resource) are sent as v3.0, and kept in the
put-code registry like the others.";

const ITEM_AFTER_HELP: &str = "\
Exit status:
  0  success
  1  the file is invalid, or ORCID refused (the error, its ORCID code and
     classification are printed)
  2  usage or configuration error

Examples:
  orcid item add work work.xml --orcid 0000-0002-1825-0097
  orcid item update work work.xml --orcid 0000-0002-1825-0097 --put-code 1234
  orcid item add keyword keyword.json --orcid 0000-0002-1825-0097
  orcid item delete work 1234 --orcid 0000-0002-1825-0097
  orcid item add distinction distinction.xml --api 3.0
  orcid item add work work.xml --api 2.1";

const PUSH_LONG_ABOUT: &str = "\
Keep a set of local items on a researcher's ORCID record, without duplicates
and without stale put-codes.

PATH is a folder (read recursively for .xml and .json files) or a file, one
item per file: work, funding, education, employment, peer-review,
researcher-url, other-name, keyword, address or external-identifier, and under
--api 3.0 also distinction, invited-position, membership, qualification,
service or research-resource. Each
item has a local key: its path below the folder without the extension
(`--key file`), or what identifies it on the record, e.g. its self DOI
(`--key external-id`). A JSON file whose kind cannot be told from its keys
says it in its name: `name.employment.json`.

`--plan` prints what a push would do, from the store's put-code registry and
without calling ORCID: create, update (content changed), unchanged, and with
`--prune`, delete (items a push of this set created that are no longer
local). Without `--plan` it is done: works are created in bulk, every write
is journaled in the store first, and a push that was interrupted is finished
by the next one without duplicates. A second push after a successful one
sends nothing.

`--api 2.1|3.0` (else $ORCID_API_VERSION, the config file's `api_version`,
or 3.0) is the member API the push speaks: under 3.0 the items are read as
v3.0 (a file whose content shows v2.1 is upgraded, nothing lost) and works
are created in v3.0 bulk requests; under 2.1 in v2.1 ones. The put-code
registry keys do not depend on the version: the first push with 3.0 after
one with 2.1 updates each item once, and duplicates none. The sections only v3.0 has are
pushed under 3.0 only (under 2.1 their files cannot be read).

ORCID's answers are handled: 409 (this client already added it) adopts the
existing item and updates it; 404 on an update (the researcher deleted it)
creates it again, reported as `recreated`; 401 stops the push of that
researcher and says to run `orcid auth login` again. Items of other sources,
and items added with `orcid item add`, are never touched.

`--manifest FILE` pushes several researchers (TOML):

    [[researcher]]
    orcid = \"0000-0002-1825-0097\"
    items = [\"josiah/\"]

`orcid push status` shows, per item, its put-code, last result and time, and
any write whose outcome is not known yet.";

const PUSH_AFTER_HELP: &str = "\
Exit status:
  0  every item is on the record as wanted (or, with --plan, the plan was made)
  1  some items failed, were refused, or a researcher must authorise again
  2  usage, configuration, store or unreadable input

Examples:
  orcid push --plan --orcid 0000-0002-1825-0097 items/
  orcid push --orcid 0000-0002-1825-0097 items/
  orcid push --prune --orcid 0000-0002-1825-0097 items/
  orcid push --manifest push.toml --output json
  orcid push status --orcid 0000-0002-1825-0097";

/// Options of `orcid push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,

    /// `status`: what the registry and journal say.
    #[command(subcommand)]
    pub command: Option<PushCommand>,

    /// Folders or files of items
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID", conflicts_with = "manifest")]
    pub orcid: Option<String>,

    /// Researchers and their folders, instead of --orcid and PATH
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub manifest: Option<PathBuf>,

    /// Print what would be done; change nothing
    #[arg(long)]
    pub plan: bool,

    /// Delete the items a push of this set created that are no longer local
    #[arg(long)]
    pub prune: bool,

    /// How items are keyed in the put-code registry
    #[arg(long, value_enum, value_name = "MODE", default_value = "file")]
    pub key: PushKey,

    /// Name of the push set: sets pushed to one record don't see each other
    #[arg(long, value_name = "NAME", default_value = "default")]
    pub set: String,

    /// Works per bulk request (1-100)
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub bulk_size: u16,

    /// How long to wait for another push of this set to the same researcher
    /// to end (0: give up at once)
    #[arg(long, value_name = "SECONDS", default_value_t = orcid_push::DEFAULT_LOCK_WAIT.as_secs())]
    pub wait: u64,

    /// Output for people or for programs
    #[arg(long, value_enum, value_name = "OUTPUT", default_value = "human")]
    pub output: PushOutput,

    /// Format on the wire [default: the configured one]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TargetFormat>,

    /// Send without checking items first
    #[arg(long)]
    pub no_validate: bool,

    #[command(flatten)]
    pub api: ApiCallArg,
}

/// The subcommands of `orcid push`.
#[derive(Debug, Subcommand)]
pub enum PushCommand {
    /// Per item: put-code, last result and time; writes of unknown outcome
    Status(PushStatusArgs),
}

/// Options of `orcid push status`.
#[derive(Debug, Args)]
pub struct PushStatusArgs {
    /// The researcher [default: every connected one]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// Name of the push set
    #[arg(long, value_name = "NAME", default_value = "default")]
    pub set: String,

    /// Output for people or for programs
    #[arg(long, value_enum, value_name = "OUTPUT", default_value = "human")]
    pub output: PushOutput,
}

/// `--key` of `orcid push`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PushKey {
    /// The file's path below the folder, without the extension
    File,
    /// The item's identifier on the record (self external id, URL, keyword…)
    ExternalId,
}

/// `--output` of `orcid push`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PushOutput {
    /// Lines for people, a summary per researcher
    Human,
    /// One JSON document
    Json,
}

/// Options of `orcid item`.
#[derive(Debug, Args)]
pub struct ItemArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,

    /// What to do.
    #[command(subcommand)]
    pub command: ItemCommand,
}

/// The subcommands of `orcid item`.
#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Add an item (POST); prints its put-code
    #[command(after_help = ITEM_AFTER_HELP)]
    Add(ItemAddArgs),
    /// Replace an item (PUT)
    #[command(after_help = ITEM_AFTER_HELP)]
    Update(ItemUpdateArgs),
    /// Delete an item (DELETE)
    #[command(after_help = ITEM_AFTER_HELP)]
    Delete(ItemDeleteArgs),
}

/// Options of `orcid item add`.
#[derive(Debug, Args)]
pub struct ItemAddArgs {
    /// What the item is
    #[arg(value_enum, value_name = "SECTION")]
    pub section: SectionArg,

    /// The item, vnd.orcid+xml or vnd.orcid+json
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// Your key of the item in the put-code registry
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,

    /// Format on the wire [default: the configured one]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TargetFormat>,

    /// Send without checking the item first
    #[arg(long)]
    pub no_validate: bool,

    #[command(flatten)]
    pub api: ApiArg,

    #[command(flatten)]
    pub input: InputLimitArg,
}

/// Options of `orcid item update`.
#[derive(Debug, Args)]
pub struct ItemUpdateArgs {
    /// What the item is
    #[arg(value_enum, value_name = "SECTION")]
    pub section: SectionArg,

    /// The item, vnd.orcid+xml or vnd.orcid+json
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    /// The item's put-code [default: the file's, else the registry's]
    #[arg(long, value_name = "N", value_parser = parse_put_code)]
    pub put_code: Option<PutCode>,

    /// Your key of the item in the put-code registry
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,

    /// Format on the wire [default: the configured one]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TargetFormat>,

    /// Send without checking the item first
    #[arg(long)]
    pub no_validate: bool,

    #[command(flatten)]
    pub api: ApiArg,

    #[command(flatten)]
    pub input: InputLimitArg,
}

/// Options of `orcid item delete`.
#[derive(Debug, Args)]
pub struct ItemDeleteArgs {
    /// What the item is
    #[arg(value_enum, value_name = "SECTION")]
    pub section: SectionArg,

    /// The item's put-code
    #[arg(value_name = "PUT-CODE", value_parser = parse_put_code)]
    pub put_code: PutCode,

    /// The researcher [default: the only one connected]
    #[arg(long, value_name = "ORCID-ID")]
    pub orcid: Option<String>,

    #[command(flatten)]
    pub api: ApiCallArg,
}

/// SECTION of `orcid item`: an [`ItemSection`] of v3.0 (every v2.1
/// section and the six only v3.0 has), named as it is (`researcher-url`)
/// or by its API path (`researcher-urls`, `works`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionArg(pub ItemSection);

impl ValueEnum for SectionArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: LazyLock<Vec<SectionArg>> =
            LazyLock::new(|| ItemSection::ALL.iter().copied().map(SectionArg).collect());
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let name = self.0.name();
        let mut aliases: Vec<&'static str> = self
            .0
            .aliases()
            .into_iter()
            .filter(|a| *a != name)
            .collect();
        aliases.dedup();
        Some(
            PossibleValue::new(name)
                .help(self.0.root().qualified_name())
                .aliases(aliases),
        )
    }
}

const CONFIG_LONG_ABOUT: &str = "\
Show the configuration of the commands that talk to ORCID, and where each
value comes from. Secrets are masked.

Each value is taken from the first of: an environment variable, the
configuration file, the default.
  client_id      ORCID_CLIENT_ID      the client id ORCID issued (APP-…)
  client_secret  ORCID_CLIENT_SECRET  its secret
  environment    ORCID_ENVIRONMENT    production (default), sandbox, or a
                                      base URL (e.g. http://127.0.0.1:8090,
                                      an `orcid mock serve`)
  format         ORCID_FORMAT         xml (default) or json on the wire
  api_version    ORCID_API_VERSION    3.0 (default) or 2.1: the member API
                                      of `item` and `record`, and the
                                      version of inputs that show none
  store          ORCID_STORE          the SQLite store of iDs, tokens and
                                      put-codes [default: store.sqlite3 in
                                      the platform data directory]
  validate                            check items before sending (true)
The file is --config FILE, else $ORCID_CONFIG, else config.toml in the
platform configuration directory (e.g. ~/.config/orcid-toolkit/), in TOML:
  client_id = \"APP-DEMO000000000000\"
  client_secret = \"demo-secret\"
  environment = \"http://127.0.0.1:8090\"
Keep a file that holds the secret private (chmod 600).";

/// Options of `orcid config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,

    /// What to do.
    #[command(subcommand)]
    pub command: ConfigCommand,
}

/// The subcommands of `orcid config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the configuration with secrets masked
    Show,
}

const MOCK_SERVE_AFTER_HELP: &str = "\
The server prints its demo client (APP-DEMO000000000000, secret demo-secret,
redirect URIs http://127.0.0.1:<any port>/<any path>) and demo researcher
(0000-0002-1825-0097), and serves /oauth/authorize, /oauth/token,
/oauth/revoke and /v2.1/... on the one address until interrupted.

Examples:
  orcid mock serve --addr 127.0.0.1:8090 --auto-approve
  ORCID_ENVIRONMENT=http://127.0.0.1:8090 ORCID_CLIENT_ID=APP-DEMO000000000000 \\
      ORCID_CLIENT_SECRET=demo-secret orcid auth login";

/// Options of `orcid mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: MockCommand,
}

/// The subcommands of `orcid mock`.
#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// Serve until interrupted
    #[command(after_help = MOCK_SERVE_AFTER_HELP)]
    Serve(MockServeArgs),
}

/// Options of `orcid mock serve`.
#[derive(Debug, Args)]
pub struct MockServeArgs {
    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8090")]
    pub addr: std::net::SocketAddr,

    /// Approve every authorization at once (no sign-in page)
    #[arg(long)]
    pub auto_approve: bool,

    /// Keep the state in this SQLite file instead of in memory
    #[arg(long, value_name = "FILE")]
    pub state_file: Option<PathBuf>,

    /// The mock's configuration (TOML: clients, researchers, switches)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Turn off the emulation of ORCID's rate limit
    #[arg(long)]
    pub no_rate_limit: bool,
}

fn parse_put_code(text: &str) -> Result<PutCode, String> {
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Ok(PutCode(n)),
        _ => Err("a put-code is a positive integer".into()),
    }
}

/// `--api`: the ORCID API version of the documents.
#[derive(Debug, Clone, Copy, Args)]
pub struct ApiArg {
    /// ORCID API version of the input, 2.1 or 3.0 [default: what the
    /// content shows (a v3-only element, v2.1's upper-case JSON enums),
    /// else $ORCID_API_VERSION, else the config file's `api_version`, else
    /// 3.0]
    #[arg(long = "api", value_name = "VERSION", value_parser = parse_version)]
    pub api: Option<Version>,
}

/// `--api` of the commands that call ORCID without an input document
/// (`orcid record get`, `orcid item delete`).
#[derive(Debug, Clone, Copy, Args)]
pub struct ApiCallArg {
    /// ORCID API version to call, 2.1 or 3.0 [default: $ORCID_API_VERSION,
    /// else the config file's `api_version`, else 3.0]
    #[arg(long = "api", value_name = "VERSION", value_parser = parse_version)]
    pub api: Option<Version>,
}

fn parse_version(text: &str) -> Result<Version, String> {
    text.parse()
        .map_err(|e: orcid_model::UnknownVersion| e.to_string())
}

fn parse_any_root(name: &str) -> Result<AnyRoot, String> {
    AnyRoot::from_name(name).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
