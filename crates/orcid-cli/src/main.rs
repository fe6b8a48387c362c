//! `orcid`: a command line for ORCID API v2.1 messages.
//!
//! The binary stays thin: argument parsing ([`cli`]), file handling
//! ([`io`]) and messages ([`diag`]); reading, converting and writing
//! documents is `orcid_model`'s work; reading collections (directories,
//! archives) and running them on every core in input order is
//! `orcid_batch`'s; talking to ORCID is `orcid_client`'s and keeping iDs,
//! tokens and put-codes is `orcid_store`'s ([`config`] finds the settings).

mod cli;
mod commands;
mod config;
mod diag;
mod error;
mod io;
mod logging;
mod progress;
mod render;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::error::CliError;

/// mimalloc: faster than the system allocator for the many small
/// allocations of reading and validating, on every thread (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes mimalloc (the global allocator above) for bounded memory and for
/// threads: arena memory is committed as it is used, freed memory goes back
/// to the system after 100 ms, and mimalloc is built without transparent
/// huge pages (the `no_thp` feature, Cargo.toml).
///
/// Returning memory at once, with huge pages, kept RSS low but cost two
/// threads 15-20% of their time: every purge is an `madvise` that flushes
/// the other thread's TLB, and every reuse a page fault that zeroes a 2 MB
/// page. mimalloc's default delay (10 ms) still purged often enough to
/// double the page faults of two threads. With 100 ms and no huge pages, a
/// gigabyte bulk on two threads peaks at 47 MB (validate) and 44 MB
/// (convert); see docs/performance.md.
fn tune_allocator() {
    // Option numbers in `enum mi_option_e` (mimalloc.h, the same in the 2.x
    // and 3.x sources bundled by libmimalloc-sys 0.1): arena_eager_commit =
    // 4, purge_delay = 15.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is always allowed; these two only change
    // when memory is committed and returned.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let mut cli = cli::Cli::parse();
    logging::init(cli.verbose, cli.quiet, cli.log_format);
    if let cli::Command::Validate(a) = &mut cli.command {
        a.quiet = cli.quiet > 0;
    }
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
            sub.error(
                clap::error::ErrorKind::ArgumentConflict,
                config::scrub_user_info(&msg),
            )
            .exit()
        }
        Err(e) => {
            if let Some(msg) = e.message() {
                // No password of a URL, whatever the error quotes.
                eprintln!("{}", config::scrub_user_info(msg));
            }
            ExitCode::from(e.exit_code())
        }
    }
}
