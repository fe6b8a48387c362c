//! `orcid`: a command line for ORCID API v2.1 messages.
//!
//! The binary stays thin: argument parsing ([`cli`]), file handling
//! ([`io`]) and messages ([`diag`]); reading, converting and writing
//! documents is `orcid_model`'s work.

mod cli;
mod codes;
mod commands;
mod diag;
mod error;
mod io;
mod render;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::error::CliError;

fn main() -> ExitCode {
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
