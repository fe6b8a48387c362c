//! `orcid record get [SECTION [PUT-CODE]]`: reads a researcher's record,
//! a section, or one item, with the stored token.

use orcid_client::{ApiSection, WireFormat};
use orcid_model::v3_0::section::ItemSection;
use orcid_model::{AnyDocument, Format, Version};

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
    Section(ApiSection),
    Item(ItemSection),
}

/// The section named `name`: an item section in any spelling
/// ([`ItemSection::parse`]), or a whole section by its path segment or its
/// root element's local name (`email`, `emails`, `activities-summary`).
fn section_named(name: &str) -> Option<ApiSection> {
    let n = name.trim().to_ascii_lowercase();
    ItemSection::parse(&n).map(ApiSection::List).or_else(|| {
        ApiSection::all(Version::V3_0)
            .find(|s| s.path_segment() == n || s.v3_root().local_name() == n)
    })
}

fn only_v3_0(name: &str) -> CliError {
    CliError::Usage(format!(
        "`{name}` exists in ORCID API v3.0 only; say `--api 3.0`"
    ))
}

fn target(
    section: Option<&str>,
    with_put_code: bool,
    version: Version,
) -> Result<Target, CliError> {
    let Some(name) = section else {
        return Ok(Target::Section(ApiSection::Record));
    };
    if with_put_code {
        let n = name.trim().to_ascii_lowercase();
        let kind = ItemSection::parse(&n).ok_or_else(|| {
            CliError::Usage(format!(
                "`{name}` has no items to read by put-code; say one of: {}",
                ItemSection::ALL
                    .iter()
                    .filter(|k| ApiSection::List(**k).exists_in(version))
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if !ApiSection::List(kind).exists_in(version) {
            return Err(only_v3_0(name));
        }
        return Ok(Target::Item(kind));
    }
    let section = section_named(name).ok_or_else(|| {
        CliError::Usage(format!(
            "`{name}` is not a section of a record; say one of: {}",
            ApiSection::all(version)
                .map(|s| s.path_segment())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    if !section.exists_in(version) {
        return Err(only_v3_0(name));
    }
    Ok(Target::Section(section))
}

fn get(s: &Settings, a: RecordGetArgs) -> Result<(), CliError> {
    let version = s.api(a.api.api).value;
    let what = target(a.section.as_deref(), a.put_code.is_some(), version)?;
    let format: WireFormat = a.format.map(Format::from).unwrap_or(s.format.value);
    let client_id = s.client_id()?.to_string();
    let client = s.client(Some(format), false)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let api = client.member(&token.access_token).with_version(version);
    let doc: AnyDocument = match (what, a.put_code) {
        (Target::Item(kind), Some(pc)) => api
            .read_item_any(&orcid, kind, pc)
            .map_err(|e| client_error(&format!("reading {kind} {pc} of {}", orcid.0), &e))?,
        (Target::Section(section), _) => api
            .read_section_any(&orcid, section)
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
        let v2 = Version::V2_1;
        assert_eq!(
            target(None, false, v2).unwrap(),
            Target::Section(ApiSection::Record)
        );
        assert_eq!(
            target(Some("works"), false, v2).unwrap(),
            Target::Section(ApiSection::List(ItemSection::Work))
        );
        assert_eq!(
            target(Some("work"), false, v2).unwrap(),
            Target::Section(ApiSection::List(ItemSection::Work))
        );
        assert_eq!(
            target(Some("work"), true, v2).unwrap(),
            Target::Item(ItemSection::Work)
        );
        assert_eq!(
            target(Some("researcher-url"), true, v2).unwrap(),
            Target::Item(ItemSection::ResearcherUrl)
        );
        assert_eq!(
            target(Some("keywords"), true, v2).unwrap(),
            Target::Item(ItemSection::Keyword)
        );
        assert_eq!(
            target(Some("email"), false, v2).unwrap(),
            Target::Section(ApiSection::Emails)
        );
        assert!(target(Some("biography"), true, v2).is_err());
        assert!(target(Some("nonsense"), false, v2).is_err());
    }

    #[test]
    fn v3_0_targets() {
        let v3 = Version::V3_0;
        assert_eq!(
            target(Some("distinctions"), false, v3).unwrap(),
            Target::Section(ApiSection::List(ItemSection::Distinction))
        );
        assert_eq!(
            target(Some("summary"), false, v3).unwrap(),
            Target::Section(ApiSection::Summary)
        );
        assert_eq!(
            target(Some("record-summary"), false, v3).unwrap(),
            Target::Section(ApiSection::Summary)
        );
        assert_eq!(
            target(Some("research-resource"), true, v3).unwrap(),
            Target::Item(ItemSection::ResearchResource)
        );
        let e = target(Some("distinctions"), false, Version::V2_1).unwrap_err();
        assert!(e.to_string().contains("--api 3.0"), "{e}");
        assert!(target(Some("summary"), false, Version::V2_1).is_err());
        assert!(target(Some("service"), true, Version::V2_1).is_err());
    }
}
