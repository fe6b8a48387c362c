//! `orcid item add|update|delete`: writes one item of a researcher's record
//! with the stored token, and keeps the store's put-code registry (and its
//! journal of write intents) up to date.

use std::path::Path;

use orcid_client::{put_code_of_any, Deleted};
use orcid_model::scalar::PutCode;
use orcid_model::v3_0::section::ItemSection;
use orcid_model::{AnyDocument, AnyRoot, Format, Version, VersionChoice};
use orcid_push::{content_hash_any, derived_key_v3, failure_result, set_put_code_any};
use orcid_store::{IntentId, Section, Store, WriteOp};

use crate::cli::{ItemAddArgs, ItemArgs, ItemCommand, ItemDeleteArgs, ItemUpdateArgs};
use crate::config::{client_error, client_error_text, parse_orcid, select_token, Settings, Source};
use crate::error::CliError;
use crate::{diag, io};

/// Runs `orcid item`.
pub fn run(args: ItemArgs) -> Result<(), CliError> {
    let settings = Settings::load(args.file.config.as_deref())?;
    match args.command {
        ItemCommand::Add(a) => add(&settings, a),
        ItemCommand::Update(a) => update(&settings, a),
        ItemCommand::Delete(a) => delete(&settings, a),
    }
}

fn store_error(e: orcid_store::Error) -> CliError {
    CliError::Io(format!("orcid: store: {e}"))
}

/// Reads FILE as an item of `kind`, in either format, in API version
/// `flag` (`--api`), else the one its content shows, else v3.0 for a
/// section only v3.0 has, else the configured one (with a note when that
/// is only the default).
fn read_item(
    s: &Settings,
    path: &Path,
    kind: ItemSection,
    flag: Option<Version>,
    limit: io::Size,
) -> Result<AnyDocument, CliError> {
    let text = io::read_file(path, limit)?;
    let name = path.display().to_string();
    let fallback = s.api(None);
    let describe = |e: orcid_model::Error| CliError::Invalid(diag::describe(&name, &e));
    let root = AnyRoot::from_name(&kind.root().qualified_name()).map_err(describe)?;
    // A section only v3.0 has is read as v3.0 unless `--api` says otherwise.
    let v3_only = root.v2_1.is_none();
    let otherwise = if v3_only {
        Version::V3_0
    } else {
        fallback.value
    };
    let (doc, _, choice) =
        AnyDocument::read(&text, Some(root), flag, otherwise).map_err(describe)?;
    let expected = kind.root().qualified_name();
    if doc.root_name() != expected {
        return Err(CliError::Invalid(format!(
            "{name}: the document is a `{}`, not a `{expected}` as SECTION `{kind}` says",
            doc.root_name(),
        )));
    }
    if choice == VersionChoice::Fallback && fallback.source == Source::Default && !v3_only {
        eprintln!(
            "orcid: note: {name} shows no API version; sent as v{} (say `--api 2.1|3.0`)",
            fallback.value
        );
    }
    Ok(doc)
}

/// The section the put-code registry keeps `kind` under: its name, the
/// same in both versions, so that an item is one entry whichever version
/// wrote it (the sections only v3.0 has are kept too).
fn registry_section(kind: ItemSection) -> Section {
    Section::from(kind)
}

/// The registry key of an item when `--key` is not given: what identifies
/// it on the record (a self identifier, the URL, the keyword, the
/// organisation and role), else the file name.
fn default_key(doc: &AnyDocument, kind: ItemSection, file: &Path) -> String {
    derived_key_v3(doc, kind).unwrap_or_else(|| {
        format!(
            "file:{}",
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.display().to_string())
        )
    })
}

/// Records the outcome of `intent` (a journal failure is only a warning:
/// ORCID has already answered).
fn complete(store: &Store, intent: IntentId, result: &str, pc: Option<i64>) {
    if let Err(e) = store.complete_intent(intent, result, pc) {
        eprintln!("orcid: warning: the put-code registry was not updated: {e}");
    }
}

fn add(s: &Settings, a: ItemAddArgs) -> Result<(), CliError> {
    let kind = a.section.0;
    let doc = read_item(s, &a.file, kind, a.api.api, a.input.max_input_size)?;
    let client_id = s.client_id()?.to_string();
    let client = s.client(a.format.map(Format::from), a.no_validate)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let section = registry_section(kind);
    let key = a
        .key
        .clone()
        .unwrap_or_else(|| default_key(&doc, kind, &a.file));
    if let Some(e) = store
        .put_code(&orcid.0, section, &key)
        .map_err(store_error)?
    {
        eprintln!(
            "orcid: note: `{key}` is already recorded as {kind} {} ({}); adding it again",
            e.put_code, e.last_result
        );
    }
    let intent = store
        .begin_intent(
            &orcid.0,
            section,
            &key,
            WriteOp::Create,
            &content_hash_any(&doc),
        )
        .map_err(store_error)?;
    let finish = |result: &str, pc: Option<i64>| complete(&store, intent, result, pc);
    match client.member(&token.access_token).add_any(&orcid, &doc) {
        Ok(pc) => {
            finish("created", Some(pc.0));
            eprintln!(
                "orcid: added {kind} {pc} to the record of {} (API v{}, registry key `{key}`)",
                orcid.0,
                doc.version()
            );
            io::write_stdout(&format!("{pc}\n"))
        }
        Err(orcid_client::Error::Transport(msg)) => {
            // ORCID may have created it: the intent stays pending.
            Err(CliError::Invalid(format!(
                "orcid: adding the {kind} failed: transport: {msg}\n  classification: \
                 retryable, but ORCID may have created the item before the connection broke: \
                 look for it (`orcid record get {}`) before adding it again",
                kind.root().local_name()
            )))
        }
        Err(e) => {
            finish(&failure_result(&e), None);
            let msg = client_error_text(&format!("adding the {kind}"), &e).replace(
                "orcid item update SECTION FILE",
                &format!(
                    "orcid item update {} {}",
                    kind.root().local_name(),
                    a.file.display()
                ),
            );
            Err(CliError::Invalid(msg))
        }
    }
}

fn update(s: &Settings, a: ItemUpdateArgs) -> Result<(), CliError> {
    let kind = a.section.0;
    let mut doc = read_item(s, &a.file, kind, a.api.api, a.input.max_input_size)?;
    let client_id = s.client_id()?.to_string();
    let client = s.client(a.format.map(Format::from), a.no_validate)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let section = registry_section(kind);
    let key = a
        .key
        .clone()
        .unwrap_or_else(|| default_key(&doc, kind, &a.file));
    let in_body = put_code_of_any(&doc);
    let registered = || -> Result<Option<PutCode>, CliError> {
        Ok(store
            .put_code(&orcid.0, section, &key)
            .map_err(store_error)?
            .map(|e| PutCode(e.put_code)))
    };
    let pc = match (a.put_code, in_body) {
        (Some(pc), _) | (None, Some(pc)) => pc,
        (None, None) => registered()?.ok_or_else(|| {
            CliError::Usage(format!(
                "which {kind}? give --put-code N, put the put-code in the file, or add it with \
                 `orcid item add` first (nothing is registered under `{key}`)"
            ))
        })?,
    };
    if in_body.is_none() {
        set_put_code_any(&mut doc, Some(pc));
    }
    let intent = store
        .begin_intent(
            &orcid.0,
            section,
            &key,
            WriteOp::Update,
            &content_hash_any(&doc),
        )
        .map_err(store_error)?;
    let finish = |result: &str, pc: Option<i64>| complete(&store, intent, result, pc);
    match client
        .member(&token.access_token)
        .update_any(&orcid, pc, &doc)
    {
        Ok(_) => {
            finish("updated", Some(pc.0));
            eprintln!(
                "orcid: updated {kind} {pc} of the record of {} (API v{}, registry key `{key}`)",
                orcid.0,
                doc.version()
            );
            io::write_stdout(&format!("{pc}\n"))
        }
        Err(e) => {
            finish(&failure_result(&e), None);
            Err(client_error(&format!("updating {kind} {pc}"), &e))
        }
    }
}

fn delete(s: &Settings, a: ItemDeleteArgs) -> Result<(), CliError> {
    let kind = a.section.0;
    let pc = a.put_code;
    let version = s.api(a.api.api).value;
    let client_id = s.client_id()?.to_string();
    let client = s.client(None, false)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let section = registry_section(kind);
    let entries: Vec<_> = store
        .entries(&orcid.0)
        .map_err(store_error)?
        .into_iter()
        .filter(|e| e.section == section && e.put_code == pc.0)
        .collect();
    let mut intents = Vec::new();
    for e in &entries {
        intents.push(
            store
                .begin_intent(
                    &orcid.0,
                    e.section,
                    &e.local_key,
                    WriteOp::Delete,
                    &e.content_hash,
                )
                .map_err(store_error)?,
        );
    }
    match client
        .member(&token.access_token)
        .with_version(version)
        .delete_any(&orcid, kind, pc)
    {
        Ok(outcome) => {
            let result = match outcome {
                Deleted::Deleted => "deleted",
                Deleted::AlreadyGone => "gone",
            };
            for i in intents {
                complete(&store, i, result, Some(pc.0));
            }
            io::write_stdout(&match outcome {
                Deleted::Deleted => format!("Deleted {kind} {pc} of the record of {}\n", orcid.0),
                Deleted::AlreadyGone => format!(
                    "{kind} {pc} was already gone from the record of {} (ORCID answered 404)\n",
                    orcid.0
                ),
            })
        }
        Err(e) => {
            for i in intents {
                complete(&store, i, &failure_result(&e), None);
            }
            Err(client_error(&format!("deleting {kind} {pc}"), &e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2(xml: &str) -> AnyDocument {
        AnyDocument::V2_1(orcid_model::Document::from_xml(xml).unwrap())
    }

    fn v3(xml: &str) -> AnyDocument {
        AnyDocument::V3_0(orcid_model::v3_0::Document::from_xml(xml).unwrap())
    }

    const KEYWORD: &str = r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword"><keyword:content>metadata</keyword:content></keyword:keyword>"#;
    const WORK: &str = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common"><work:title><common:title>T</common:title></work:title><work:type>report</work:type></work:work>"#;

    #[test]
    fn the_default_key_falls_back_to_the_file_name() {
        assert_eq!(
            default_key(&v2(KEYWORD), ItemSection::Keyword, Path::new("k.xml")),
            "metadata"
        );
        assert_eq!(
            default_key(&v2(WORK), ItemSection::Work, Path::new("dir/w.xml")),
            "file:w.xml"
        );
    }

    #[test]
    fn a_v3_0_item_has_the_key_of_its_v2_1_twin() {
        assert_eq!(
            default_key(&v3(KEYWORD), ItemSection::Keyword, Path::new("k.xml")),
            "metadata"
        );
        let distinction = r#"<distinction:distinction xmlns:distinction="http://www.orcid.org/ns/distinction" xmlns:common="http://www.orcid.org/ns/common"><common:organization><common:name>ORCID</common:name><common:address><common:city>Bethesda</common:city><common:country>US</common:country></common:address></common:organization></distinction:distinction>"#;
        assert_eq!(
            default_key(
                &v3(distinction),
                ItemSection::Distinction,
                Path::new("d.xml")
            ),
            "ORCID"
        );
        assert_eq!(
            registry_section(ItemSection::Distinction).name(),
            "distinction"
        );
        assert_eq!(
            registry_section(ItemSection::Work),
            orcid_model::ItemSection::Work
        );
    }

    #[test]
    fn a_v3_0_hash_ignores_the_put_code() {
        let mut d = v3(KEYWORD);
        let h = content_hash_any(&d);
        set_put_code_any(&mut d, Some(PutCode(9)));
        assert_eq!(put_code_of_any(&d), Some(PutCode(9)));
        assert_eq!(content_hash_any(&d), h);
        assert_ne!(content_hash_any(&v2(WORK)), h);
    }
}
