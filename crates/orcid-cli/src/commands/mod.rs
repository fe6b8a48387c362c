//! One module per subcommand.

pub mod convert;

use crate::cli::Command;
use crate::error::CliError;

/// Runs a subcommand.
pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Convert(args) => convert::run(args),
    }
}
