//! `orcid completions` and `orcid man`: shell completion scripts and
//! manual pages, generated from the command line's own definition.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::CliError;

/// Prints the completion script of `args.shell` on standard output.
pub fn completions(args: CompletionsArgs) -> Result<(), CliError> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "orcid", &mut out);
    let text = String::from_utf8(out)
        .map_err(|e| CliError::Io(format!("orcid: completion script: {e}")))?;
    crate::io::write_stdout(&text)
}

/// Writes `orcid.1` on standard output, or every page into `args.out_dir`.
pub fn man(args: ManArgs) -> Result<(), CliError> {
    let cmd = Cli::command();
    match args.out_dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| CliError::Io(format!("orcid: manual page: {e}")))?;
            crate::io::write_stdout(&String::from_utf8_lossy(&out))
        }
        Some(dir) => {
            let fail = |e: std::io::Error| {
                CliError::Io(format!("orcid: cannot write to `{}`: {e}", dir.display()))
            };
            std::fs::create_dir_all(&dir).map_err(fail)?;
            clap_mangen::generate_to(cmd, &dir).map_err(fail)?;
            Ok(())
        }
    }
}
