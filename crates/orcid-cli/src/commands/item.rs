//! `orcid item add|update|delete`: writes one item of a researcher's record
//! with the stored token, and keeps the store's put-code registry (and its
//! journal of write intents) up to date.

use std::path::Path;

use orcid_client::{put_code_of, Deleted};
use orcid_model::scalar::PutCode;
use orcid_model::ItemSection;
use orcid_model::{detect_format, Document, Format};
use orcid_push::{content_hash, derived_key, failure_result, set_put_code};
use orcid_store::{IntentId, Store, WriteOp};

use crate::cli::{ItemAddArgs, ItemArgs, ItemCommand, ItemDeleteArgs, ItemUpdateArgs};
use crate::config::{client_error, client_error_text, parse_orcid, select_token, Settings};
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

/// Reads FILE as an item of `kind`, in either format.
fn read_item(path: &Path, kind: ItemSection, limit: io::Size) -> Result<Document, CliError> {
    let text = io::read_file(path, limit)?;
    let name = path.display().to_string();
    let doc = match detect_format(&text) {
        Some(Format::Xml) => Document::from_xml(&text),
        Some(Format::Json) => Document::from_json(&text, Some(kind.root())),
        None => Err(orcid_model::Error::UnknownFormat),
    }
    .map_err(|e| CliError::Invalid(diag::describe(&name, &e)))?;
    if doc.root() != kind.root() {
        return Err(CliError::Invalid(format!(
            "{name}: the document is a `{}`, not a `{}` as SECTION `{kind}` says",
            doc.root().qualified_name(),
            kind.root().qualified_name(),
        )));
    }
    Ok(doc)
}

/// The registry key of an item when `--key` is not given: what identifies
/// it on the record (a self identifier, the URL, the keyword, the
/// organisation and role), else the file name.
fn default_key(doc: &Document, kind: ItemSection, file: &Path) -> String {
    derived_key(doc, kind).unwrap_or_else(|| {
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
    let doc = read_item(&a.file, kind, a.input.max_input_size)?;
    let client_id = s.client_id()?.to_string();
    let client = s.client(a.format.map(Format::from), a.no_validate)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let section = kind;
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
            &content_hash(&doc),
        )
        .map_err(store_error)?;
    match client.member(&token.access_token).add(&orcid, &doc) {
        Ok(pc) => {
            complete(&store, intent, "created", Some(pc.0));
            eprintln!(
                "orcid: added {kind} {pc} to the record of {} (registry key `{key}`)",
                orcid.0
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
            complete(&store, intent, &failure_result(&e), None);
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
    let mut doc = read_item(&a.file, kind, a.input.max_input_size)?;
    let client_id = s.client_id()?.to_string();
    let client = s.client(a.format.map(Format::from), a.no_validate)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let section = kind;
    let key = a
        .key
        .clone()
        .unwrap_or_else(|| default_key(&doc, kind, &a.file));
    let in_body = put_code_of(&doc);
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
        set_put_code(&mut doc, Some(pc));
    }
    let intent = store
        .begin_intent(
            &orcid.0,
            section,
            &key,
            WriteOp::Update,
            &content_hash(&doc),
        )
        .map_err(store_error)?;
    match client.member(&token.access_token).update(&orcid, pc, &doc) {
        Ok(_) => {
            complete(&store, intent, "updated", Some(pc.0));
            eprintln!(
                "orcid: updated {kind} {pc} of the record of {} (registry key `{key}`)",
                orcid.0
            );
            io::write_stdout(&format!("{pc}\n"))
        }
        Err(e) => {
            complete(&store, intent, &failure_result(&e), None);
            Err(client_error(&format!("updating {kind} {pc}"), &e))
        }
    }
}

fn delete(s: &Settings, a: ItemDeleteArgs) -> Result<(), CliError> {
    let kind = a.section.0;
    let pc = a.put_code;
    let client_id = s.client_id()?.to_string();
    let client = s.client(None, false)?;
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    let orcid = parse_orcid(&token.orcid)?;
    let section = kind;
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
                    section,
                    &e.local_key,
                    WriteOp::Delete,
                    &e.content_hash,
                )
                .map_err(store_error)?,
        );
    }
    match client.member(&token.access_token).delete(&orcid, kind, pc) {
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

    #[test]
    fn the_default_key_falls_back_to_the_file_name() {
        let doc = Document::from_xml(
            r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword"><keyword:content>metadata</keyword:content></keyword:keyword>"#,
        )
        .unwrap();
        assert_eq!(
            default_key(&doc, ItemSection::Keyword, Path::new("k.xml")),
            "metadata"
        );
        let work = Document::from_xml(
            r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common"><work:title><common:title>T</common:title></work:title><work:type>report</work:type></work:work>"#,
        )
        .unwrap();
        assert_eq!(
            default_key(&work, ItemSection::Work, Path::new("dir/w.xml")),
            "file:w.xml"
        );
    }
}
