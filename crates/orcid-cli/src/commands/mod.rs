//! One module per subcommand.

pub mod auth;
pub mod config;
pub mod connect;
pub mod convert;
pub mod docs;
pub mod engine;
pub mod explain;
pub mod item;
pub mod mock;
pub mod push;
pub mod record;
pub mod schema;
pub mod validate;

use orcid_batch::Weight;
use orcid_model::stream::{Item, StreamError};

use crate::cli::Command;
use crate::error::CliError;

/// An item cut from a bulk (or why it could not be), for
/// [`orcid_batch::ordered_iter`]: it weighs its size.
pub struct Cut(pub Result<Item, StreamError>);

impl Weight for Cut {
    fn weight(&self) -> u64 {
        self.0.as_ref().map_or(0, |i| i.text.len() as u64)
    }
}

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
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args),
        Command::Push(args) => push::run(args),
    }
}
