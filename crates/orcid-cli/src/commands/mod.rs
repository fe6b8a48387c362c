//! One module per subcommand.

pub mod auth;
pub mod config;
pub mod connect;
pub mod convert;
pub mod explain;
pub mod item;
pub mod mock;
pub mod push;
pub mod record;
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
        Command::Auth(args) => auth::run(args),
        Command::Record(args) => record::run(args),
        Command::Item(args) => item::run(args),
        Command::Config(args) => config::run(args),
        Command::Mock(args) => mock::run(args),
        Command::Connect(args) => connect::run(args),
        Command::Push(args) => push::run(args),
    }
}
