//! `orcid record get [SECTION [PUT-CODE]]`: reads a researcher's record,
//! a section, or one item, with the stored token.

use orcid_client::{Section, WireFormat};
use orcid_model::ItemSection;
use orcid_model::{Document, Format};

use crate::cli::{RecordArgs, RecordCommand, RecordGetArgs};
use crate::config::{client_error, parse_orcid, select_token, Settings};
use crate::error::CliError;
use crate::io;

/// Runs `orcid record`.
pub fn run(args: RecordArgs) -> Result<(), CliError> {
    let settings = Settings::load(args.file.config.as_deref())?;
    match args.command {
        RecordCommand::Get(a) => get(&settings, a),
    }
}

/// What `orcid record get` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Section(Section),
    Item(ItemSection),
}

/// The section named `name`: an item section in any spelling
/// ([`ItemSection::parse`]), or a whole section by its path segment or its
/// root element's local name (`email`, `emails`, `activities-summary`).
fn section_named(name: &str) -> Option<Section> {
    let n = name.trim().to_ascii_lowercase();
    ItemSection::parse(&n)
        .map(Section::List)
        .or_else(|| Section::all().find(|s| s.path_segment() == n || s.root().local_name() == n))
}

fn target(section: Option<&str>, with_put_code: bool) -> Result<Target, CliError> {
    let Some(name) = section else {
        return Ok(Target::Section(Section::Record));
    };
    if with_put_code {
        let n = name.trim().to_ascii_lowercase();
        return ItemSection::parse(&n).map(Target::Item).ok_or_else(|| {
            CliError::Usage(format!(
                "`{name}` has no items to read by put-code; say one of: {}",
                ItemSection::ALL
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        });
    }
    section_named(name).map(Target::Section).ok_or_else(|| {
        CliError::Usage(format!(
            "`{name}` is not a section of a record; say one of: {}",
            Section::all()
                .map(|s| s.path_segment())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

fn get(s: &Settings, a: RecordGetArgs) -> Result<(), CliError> {
    let what = target(a.section.as_deref(), a.put_code.is_some())?;
    let format: WireFormat = a.format.map(Format::from).unwrap_or(s.format.value);
    let client_id = s.client_id()?.to_string();
    let client = s.client(Some(format), false)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let api = client.member(&token.access_token);
    let doc: Document = match (what, a.put_code) {
        (Target::Item(kind), Some(pc)) => api
            .read_item(&orcid, kind, pc)
            .map_err(|e| client_error(&format!("reading {kind} {pc} of {}", orcid.0), &e))?,
        (Target::Section(section), _) => api
            .read_section(&orcid, section)
            .map_err(|e| client_error(&format!("reading {section} of {}", orcid.0), &e))?,
        (Target::Item(_), None) => unreachable!("an item target has a put-code"),
    };
    let mut text = match format {
        Format::Xml => doc.to_xml(true),
        Format::Json => doc
            .to_json(true)
            .map_err(|e| CliError::Invalid(format!("orcid: cannot write the answer: {e}")))?,
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    io::write_stdout(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            target(None, false).unwrap(),
            Target::Section(Section::Record)
        );
        assert_eq!(
            target(Some("works"), false).unwrap(),
            Target::Section(Section::List(ItemSection::Work))
        );
        assert_eq!(
            target(Some("work"), false).unwrap(),
            Target::Section(Section::List(ItemSection::Work))
        );
        assert_eq!(
            target(Some("work"), true).unwrap(),
            Target::Item(ItemSection::Work)
        );
        assert_eq!(
            target(Some("researcher-url"), true).unwrap(),
            Target::Item(ItemSection::ResearcherUrl)
        );
        assert_eq!(
            target(Some("keywords"), true).unwrap(),
            Target::Item(ItemSection::Keyword)
        );
        assert_eq!(
            target(Some("email"), false).unwrap(),
            Target::Section(Section::Emails)
        );
        assert!(target(Some("biography"), true).is_err());
        assert!(target(Some("nonsense"), false).is_err());
    }
}
