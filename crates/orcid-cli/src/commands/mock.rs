//! `orcid mock serve`: a local server that behaves like ORCID's.

use orcid_mock::{MockConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::cli::{MockArgs, MockCommand, MockServeArgs};
use crate::error::CliError;

/// Runs `orcid mock`.
pub fn run(args: MockArgs) -> Result<(), CliError> {
    match args.command {
        MockCommand::Serve(a) => serve(a),
    }
}

fn serve(args: MockServeArgs) -> Result<(), CliError> {
    let mut config = match &args.config {
        Some(path) => MockConfig::from_toml_file(path)
            .map_err(|e| CliError::Io(format!("orcid: mock configuration: {e}")))?,
        None => MockConfig::default(),
    };
    if args.auto_approve {
        config.auto_approve = true;
    }
    if let Some(f) = args.state_file {
        config.state_file = Some(f);
    }
    if args.no_rate_limit {
        config.rate_limit.enabled = false;
    }
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "orcid: warning: the mock is a test tool without real security; it now listens \
             on {}, beyond this machine",
            args.addr
        );
    }
    if args.addr.port() != 0 && !config.replace_demo {
        eprintln!(
            "To use it: export ORCID_ENVIRONMENT=http://{} ORCID_CLIENT_ID={DEMO_CLIENT_ID} \
             ORCID_CLIENT_SECRET={DEMO_CLIENT_SECRET}",
            args.addr
        );
    }
    orcid_mock::serve_blocking(args.addr, config).map_err(|e| match e {
        orcid_mock::MockError::Io(e) => {
            CliError::Io(format!("orcid: cannot serve on {}: {e}", args.addr))
        }
        other => CliError::Io(format!("orcid: mock: {other}")),
    })
}
