//! Command-line syntax: the `orcid` app and its subcommands.
//!
//! New subcommands (`validate`, `auth`, `item`, …) are added as a variant of
//! [`Command`] with their own `Args` struct and a module in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use orcid_model::{Format, Root};

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
  1  an input is malformed or cannot be converted
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
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
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
}

impl Command {
    /// The subcommand's name as typed on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Convert(_) => "convert",
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
    files are reported one by one and the others are still converted.
Output files are written atomically: a failed conversion never leaves a
half-written file behind.

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
  orcid convert samples/ -o out/              convert a whole tree";

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
    #[arg(long, value_name = "NAME", value_parser = parse_root)]
    pub root: Option<Root>,

    /// Write to OUT instead of standard output; a directory for DIR or
    /// several inputs (created if missing)
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Input files or directories; `-` (or nothing) reads standard input
    #[arg(value_name = "FILE|DIR|-")]
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

fn parse_root(name: &str) -> Result<Root, String> {
    Root::from_name(name).map_err(|e| e.to_string())
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
