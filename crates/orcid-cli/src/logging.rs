//! The log of the `orcid` binary: `tracing` events written to standard
//! error as text or JSON lines, filtered by `RUST_LOG` when it is set and
//! by `-v`/`-q` otherwise.
//!
//! No event of the toolkit carries a token or a secret (the libraries
//! redact them; the request log has no query string).

use tracing_subscriber::EnvFilter;

use crate::cli::LogFormat;

/// The default filter for a verbosity (`-v` count minus `-q` count).
fn default_directive(verbosity: i16) -> &'static str {
    match verbosity {
        i16::MIN..=-2 => "off",
        -1 => "error",
        0 => "info",
        1 => "debug",
        _ => "trace",
    }
}

/// Installs the global subscriber. `RUST_LOG`, when set (and valid), wins
/// over `-v`/`-q`.
pub fn init(verbose: u8, quiet: u8, format: LogFormat) {
    let verbosity = i16::from(verbose) - i16::from(quiet);
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => {
            EnvFilter::try_new(v).unwrap_or_else(|_| EnvFilter::new(default_directive(verbosity)))
        }
        _ => EnvFilter::new(default_directive(verbosity)),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (there is none in the binary) would fail; ignore it.
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_maps_to_levels() {
        assert_eq!(default_directive(-3), "off");
        assert_eq!(default_directive(-1), "error");
        assert_eq!(default_directive(0), "info");
        assert_eq!(default_directive(1), "debug");
        assert_eq!(default_directive(5), "trace");
    }
}
