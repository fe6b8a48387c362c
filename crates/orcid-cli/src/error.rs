//! Errors at the CLI boundary and their exit statuses.

use std::fmt;

/// Exit status: an input could not be converted.
pub const EXIT_INVALID: u8 = 1;
/// Exit status: usage error, or an input/output that cannot be read/written.
pub const EXIT_USAGE_OR_IO: u8 = 2;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad combination of arguments (exit 2, printed with the usage line).
    Usage(String),
    /// A file or stream could not be read or written (exit 2).
    Io(String),
    /// An input is malformed or cannot be converted (exit 1).
    Invalid(String),
    /// Failures were already reported one by one; exit with this status.
    Reported(u8),
}

impl CliError {
    /// The process exit status.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Io(_) => EXIT_USAGE_OR_IO,
            CliError::Invalid(_) => EXIT_INVALID,
            CliError::Reported(code) => *code,
        }
    }

    /// The message to print on stderr, if not printed already.
    pub fn message(&self) -> Option<&str> {
        match self {
            CliError::Usage(m) | CliError::Io(m) | CliError::Invalid(m) => Some(m),
            CliError::Reported(_) => None,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message().unwrap_or("failed"))
    }
}

/// A collection that cannot be read, or threads that cannot be started
/// (exit 2).
impl From<orcid_batch::Error> for CliError {
    fn from(e: orcid_batch::Error) -> CliError {
        CliError::Io(format!("orcid: {e}"))
    }
}
