//! `orcid`: a command line for ORCID API v2.1 messages.
//!
//! The binary stays thin: argument parsing ([`cli`]), file handling
//! ([`io`]) and messages ([`diag`]); reading, converting and writing
//! documents is `orcid_model`'s work; talking to ORCID is `orcid_client`'s
//! and keeping iDs, tokens and put-codes is `orcid_store`'s ([`config`]
//! finds the settings).

mod archive;
mod cli;
mod codes;
mod commands;
mod config;
mod diag;
mod error;
mod io;
mod render;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::error::CliError;

/// mimalloc: faster than the system allocator for the many small
/// allocations of reading and validating, on every thread (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    archive::tune_allocator();
    let cli = cli::Cli::parse();
    let subcommand = cli.command.name();
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(msg)) => {
            // Same look and exit status (2) as clap's own usage errors.
            let mut cmd = cli::Cli::command();
            cmd.build();
            let mut sub = cmd
                .find_subcommand_mut(subcommand)
                .map(|c| c.clone())
                .unwrap_or_else(cli::Cli::command);
            sub.error(clap::error::ErrorKind::ArgumentConflict, msg)
                .exit()
        }
        Err(e) => {
            if let Some(msg) = e.message() {
                eprintln!("{msg}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
