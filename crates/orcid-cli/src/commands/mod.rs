//! One module per subcommand.

pub mod convert;
pub mod explain;
pub mod schema;
pub mod validate;

use crate::cli::Command;
use crate::error::CliError;

/// Runs a subcommand.
pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Convert(args) => convert::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
    }
}
