//! Project automation: `cargo xtask <command>`.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

mod bench;
mod bench_corpus;
mod identifiers;
mod sync;

/// Automation tasks of the orcid-toolkit workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill schemas/cache/ with the pinned ORCID/orcid-model files (hash-verified),
    /// or move the pin with --update --commit SHA.
    ///
    /// Files come from the first of: --from DIR, $ORCID_MODEL_MIRROR,
    /// ../shared/orcid-model next to the workspace, then HTTPS
    /// (--base-url / $ORCID_MODEL_BASE_URL). Files already in the cache with
    /// the locked SHA-256 are not fetched again. With --update, the new
    /// commit's files come from --from DIR or, without it, from the GitHub
    /// tree API (--api-url / $ORCID_MODEL_API_URL) and the raw-file base URL.
    SyncSchemas(sync::SyncArgs),
    /// Run every test: sync the schemas (offline first, hash-checked), then
    /// `cargo test --workspace` (which also checks that generated code is
    /// fresh). Extra arguments go to `cargo test`.
    Test {
        /// Arguments passed on to `cargo test`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        cargo_args: Vec<String>,
    },
    /// Refresh ORCID's external-identifier type list
    /// (crates/orcid-validate/data/identifier-types.txt) from the public
    /// `/v2.1/identifiers` endpoint.
    Identifiers {
        /// Public API base URL [env: ORCID_PUB_BASE_URL] [default: https://pub.orcid.org].
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Generate the model code from the cached schemas.
    Codegen {
        /// Check that the generated code is up to date instead of writing it.
        #[arg(long)]
        check: bool,
    },
    /// Write the deterministic benchmark corpus (outside the repository,
    /// default target/bench-corpus/): a ~50 MB bulk, 5,000 record files and
    /// their tar.gz, 10,000 work payloads; all schema-valid.
    BenchCorpus(bench_corpus::CorpusArgs),
    /// Run the `orcid` CLI (release) and the installed peers (xmllint, the
    /// raw quick-xml ceiling) on the corpus and print the table of
    /// docs/performance.md.
    Bench(bench::BenchArgs),
}

fn test(cargo_args: &[String]) -> Result<()> {
    sync::run(sync::SyncArgs::default())?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["test", "--workspace"])
        .args(cargo_args)
        .status()?;
    anyhow::ensure!(status.success(), "cargo test failed ({status})");
    Ok(())
}

fn main() -> ExitCode {
    let result: Result<()> = match Cli::parse().command {
        Command::SyncSchemas(args) => sync::run(args),
        Command::Codegen { check } => orcid_codegen::run_cli(check),
        Command::BenchCorpus(args) => bench_corpus::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Test { cargo_args } => test(&cargo_args),
        Command::Identifiers { base_url } => identifiers::run(base_url),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
