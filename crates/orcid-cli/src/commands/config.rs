//! `orcid config show`: the settings of the commands that talk to ORCID,
//! where each comes from, secrets masked.

use orcid_client::WireFormat;

use crate::cli::{ConfigArgs, ConfigCommand};
use crate::config::{masked_url, readable_by_others, Settings, Source};
use crate::error::CliError;
use crate::io;

/// What a secret is shown as.
const MASK: &str = "********";

/// Runs `orcid config`.
pub fn run(args: ConfigArgs) -> Result<(), CliError> {
    match args.command {
        ConfigCommand::Show => show(&Settings::load(args.file.config.as_deref())?),
    }
}

fn show(s: &Settings) -> Result<(), CliError> {
    let mut out = String::new();
    let mut line = |key: &str, value: &str, source: Option<&Source>| {
        out.push_str(&format!("{key:<14} {value}"));
        if let Some(src) = source {
            out.push_str(&format!("  [{src}]"));
        }
        out.push('\n');
    };
    let file = match &s.file {
        Some(f) => format!(
            "{}{}",
            f.display(),
            if s.file_found { "" } else { " (not found)" }
        ),
        None => "(no configuration directory on this platform)".into(),
    };
    line("config file", &file, Some(&s.file_source));
    match &s.client_id {
        Some(id) => line("client id", &id.value, Some(&id.source)),
        None => line("client id", "(not set)", None),
    }
    match &s.client_secret {
        Some(secret) => line("client secret", MASK, Some(&secret.source)),
        None => line("client secret", "(not set)", None),
    }
    let env = s.environment.value.environment();
    line(
        "environment",
        &format!(
            "{} (OAuth {}, member API {}/v{})",
            s.environment.value.shown(),
            masked_url(env.oauth_base()),
            masked_url(env.api_base()),
            s.api_version.value
        ),
        Some(&s.environment.source),
    );
    line(
        "api version",
        s.api_version.value.as_str(),
        Some(&s.api_version.source),
    );
    line(
        "format",
        &format!(
            "{} ({})",
            match s.format.value {
                WireFormat::Xml => "xml",
                WireFormat::Json => "json",
            },
            s.format.value.media_type()
        ),
        Some(&s.format.source),
    );
    line(
        "validate",
        if s.validate.value { "on" } else { "off" },
        Some(&s.validate.source),
    );
    line(
        "store",
        &s.store.value.display().to_string(),
        Some(&s.store.source),
    );
    if let (Some(f), Some(secret)) = (&s.file, &s.client_secret) {
        if secret.source == Source::File && readable_by_others(f) {
            out.push_str(&format!(
                "warning: {} holds the client secret and can be read by others: chmod 600 it\n",
                f.display()
            ));
        }
    }
    io::write_stdout(&out)
}
