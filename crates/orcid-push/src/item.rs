//! Local items: reading them from files, their registry keys and the hash
//! of their content.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0::section::ItemSection as V3Section;
use orcid_model::ItemSection;
use orcid_model::Version;
use orcid_model::{detect_format, detect_version, v3_0, AnyDocument, Detected, Document, Format};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How the local key of an item file is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyMode {
    /// The file's path below the folder given, without its extension
    /// (`works/paper-1` for `works/paper-1.xml`): the same key whichever
    /// format the file is in.
    #[default]
    File,
    /// What identifies the item on the record ([`derived_key`]): its
    /// `self` external identifier (`doi:10.1/x`), URL, keyword,
    /// organisation and role…; the file key when it has none.
    ExternalId,
}

/// One item to keep on a record, read from a file.
#[derive(Debug, Clone)]
pub struct LocalItem {
    /// The integration's key of the item (unique in a push).
    pub key: String,
    /// What it is: the section the put-code registry keeps it under (named
    /// alike in v2.1 and v3.0; the sections only v3.0 has are v3.0 items).
    pub kind: V3Section,
    /// The item, without a put-code, in the API version it is sent in.
    pub doc: AnyDocument,
    /// [`content_hash_any`] of `doc`.
    pub hash: String,
    /// The file it was read from.
    pub file: PathBuf,
}

/// A file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct LoadError {
    /// The file (or folder).
    pub file: PathBuf,
    /// Why.
    pub message: String,
}

impl LoadError {
    fn new(file: &Path, message: impl Into<String>) -> LoadError {
        LoadError {
            file: file.to_path_buf(),
            message: message.into(),
        }
    }
}

/// Whether `path` names an item file (`.xml` or `.json`, not hidden).
fn is_item_file(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !hidden && matches!(ext.as_deref(), Some("xml" | "json"))
}

/// The files below `dir`, sorted, recursively.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<LoadError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(LoadError::new(dir, format!("cannot read the folder: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                walk(&p, out, errors);
            }
        } else if is_item_file(&p) {
            out.push(p);
        }
    }
}

/// Serialises a section as its name (`work`, `distinction`), as v2.1's
/// sections serialise.
pub(crate) fn section_name<S: serde::Serializer>(k: &V3Section, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.name())
}

/// The file key of `file` below `base`: relative path, `/`-separated,
/// without the extension.
fn file_key(file: &Path, base: Option<&Path>) -> String {
    let rel = base
        .and_then(|b| file.strip_prefix(b).ok())
        .unwrap_or_else(|| Path::new(file.file_name().unwrap_or(file.as_os_str())));
    let mut rel = rel.with_extension("");
    if declared_kind(file).is_some() {
        rel = rel.with_extension("");
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the items of `inputs` (folders, read recursively for `.xml` and
/// `.json` files, or single files) as API v2.1 items: [`load_as`] at v2.1.
pub fn load(inputs: &[PathBuf], mode: KeyMode) -> Result<Vec<LocalItem>, Vec<LoadError>> {
    load_as(inputs, mode, Version::V2_1)
}

/// Reads the items of `inputs` (folders, read recursively for `.xml` and
/// `.json` files, or single files) as items of API `version`: under v3.0 a
/// file whose content shows v2.1 is upgraded (nothing is lost), others are
/// read as v3.0; under v2.1 every file is read as v2.1.
///
/// Every problem is reported, and any problem fails the whole set: a file
/// left out by mistake would otherwise look deleted to `--prune`. The
/// sections only v3.0 has are items of v3.0 only: under v2.1 their files
/// fail to load.
pub fn load_as(
    inputs: &[PathBuf],
    mode: KeyMode,
    version: Version,
) -> Result<Vec<LocalItem>, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut files: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found, &mut errors);
            files.extend(found.into_iter().map(|f| (f, Some(input.clone()))));
        } else if input.exists() {
            files.push((input.clone(), None));
        } else {
            errors.push(LoadError::new(input, "no such file or folder"));
        }
    }
    let mut items = Vec::with_capacity(files.len());
    let mut seen: HashMap<(V3Section, String), PathBuf> = HashMap::new();
    for (file, base) in files {
        match read_item(&file, version) {
            Ok(doc) => {
                let kind = match item_kind(&doc) {
                    Ok(k) => k,
                    Err(message) => {
                        errors.push(LoadError::new(&file, message));
                        continue;
                    }
                };
                let fallback = file_key(&file, base.as_deref());
                let key = match mode {
                    KeyMode::File => fallback,
                    KeyMode::ExternalId => derived_key_v3(&doc, kind).unwrap_or(fallback),
                };
                if let Some(other) = seen.get(&(kind, key.clone())) {
                    errors.push(LoadError::new(
                        &file,
                        format!(
                            "its key `{key}` is also the key of {} ({kind}); keys must be unique",
                            other.display()
                        ),
                    ));
                    continue;
                }
                seen.insert((kind, key.clone()), file.clone());
                let mut doc = doc;
                set_put_code_any(&mut doc, None);
                let hash = content_hash_any(&doc);
                items.push(LocalItem {
                    key,
                    kind,
                    doc,
                    hash,
                    file,
                });
            }
            Err(message) => errors.push(LoadError::new(&file, message)),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// The kind a file name declares with a second extension
/// (`paper.work.json`, `post.employment.xml`).
fn declared_kind(path: &Path) -> Option<V3Section> {
    let stem = Path::new(path.file_stem()?);
    let ext = stem.extension()?.to_str()?;
    V3Section::ALL
        .iter()
        .copied()
        .find(|k| k.root().local_name() == ext)
}

/// The registry section of an item document, or why it cannot be pushed.
fn item_kind(doc: &AnyDocument) -> Result<V3Section, String> {
    let kind = match doc {
        AnyDocument::V2_1(d) => {
            ItemSection::of_root(d.root()).and_then(|k| V3Section::from_name(k.name()))
        }
        AnyDocument::V3_0(d) => V3Section::of_root(d.root()),
    };
    kind.ok_or_else(|| {
        format!(
            "a `{}` is not an item that can be pushed (work, funding, peer-review, an \
             affiliation or a person item)",
            doc.root_name()
        )
    })
}

fn read_item(path: &Path, version: Version) -> Result<AnyDocument, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    parse_item_as(&bytes, declared_kind(path), version)
}

/// Reads the bytes of an item file as an item of API `version` (see
/// [`load_as`]); `declared` as in [`parse_item`].
pub fn parse_item_as(
    bytes: &[u8],
    declared: Option<V3Section>,
    version: Version,
) -> Result<AnyDocument, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    let shown = detect_format(text).map(|f| detect_version(text, f));
    let declared_v2 = declared.and_then(|k| ItemSection::from_name(k.name()));
    match version {
        Version::V2_1 => parse_item(bytes, declared_v2).map(AnyDocument::V2_1),
        Version::V3_0 => match shown {
            Some(Detected::Certain {
                version: Version::V2_1,
                ..
            }) => {
                let doc = parse_item(bytes, declared_v2)?;
                orcid_model::convert::upgrade(&doc)
                    .map(AnyDocument::V3_0)
                    .map_err(|e| format!("cannot upgrade the v2.1 item to v3.0: {e}"))
            }
            _ => parse_v3_item(text, declared).map(AnyDocument::V3_0),
        },
    }
}

/// A v3.0 item in either format: a JSON item is of the kind `declared`,
/// else of the one kind its keys fit.
fn parse_v3_item(text: &str, declared: Option<V3Section>) -> Result<v3_0::Document, String> {
    match detect_format(text) {
        Some(Format::Xml) => v3_0::Document::from_xml(text).map_err(|e| e.to_string()),
        Some(Format::Json) => match declared {
            Some(kind) => {
                v3_0::Document::from_json(text, Some(kind.root())).map_err(|e| e.to_string())
            }
            None => {
                let inferred = match v3_0::Document::from_json(text, None) {
                    Ok(doc) => return Ok(doc),
                    Err(e) => e,
                };
                let mut fits: Vec<(&'static str, v3_0::Document)> = v3_0::section::ItemSection::ALL
                    .iter()
                    .filter_map(|&k| {
                        v3_0::Document::from_json(text, Some(k.root()))
                            .ok()
                            .map(|d| (k.name(), d))
                    })
                    .collect();
                match fits.len() {
                    0 => Err(inferred.to_string()),
                    1 => Ok(fits.remove(0).1),
                    _ => Err(format!(
                        "the JSON could be any of {}: say which in the file name, e.g. `name.{}.json`",
                        fits.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", "),
                        fits[0].0
                    )),
                }
            }
        },
        None => Err(orcid_model::Error::UnknownFormat.to_string()),
    }
}

/// Reads the bytes of an item file, in either format: a JSON item is of
/// the kind `declared` (which its file name says, as in `paper.work.json`),
/// else of the one kind its keys fit. The message says what is wrong.
pub fn parse_item(bytes: &[u8], declared: Option<ItemSection>) -> Result<Document, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    match detect_format(text) {
        Some(Format::Xml) => Document::from_xml(text).map_err(|e| e.to_string()),
        Some(Format::Json) => match declared {
            Some(kind) => Document::from_json(text, Some(kind.root())).map_err(|e| e.to_string()),
            None => read_json_item(text),
        },
        None => Err(orcid_model::Error::UnknownFormat.to_string()),
    }
}

/// A JSON item without a declared kind: inferred from its keys, preferring
/// items over their summaries (which are never pushed).
fn read_json_item(text: &str) -> Result<Document, String> {
    let inferred = match Document::from_json(text, None) {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    let mut fits: Vec<(ItemSection, Document)> = ItemSection::ALL
        .iter()
        .filter_map(|&k| {
            Document::from_json(text, Some(k.root()))
                .ok()
                .map(|d| (k, d))
        })
        .collect();
    if fits.len() == 1 {
        if let Some((_, doc)) = fits.pop() {
            return Ok(doc);
        }
    }
    match fits.len() {
        0 => Err(inferred.to_string()),
        _ => Err(format!(
            "the JSON could be any of {}: say which in the file name, e.g. `name.{}.json`",
            fits.iter()
                .map(|(k, _)| k.root().local_name())
                .collect::<Vec<_>>()
                .join(", "),
            fits[0].0.root().local_name()
        )),
    }
}

/// Sets (or with `None` removes) the put-code of an item document; other
/// documents are left as they are.
pub fn set_put_code(doc: &mut Document, pc: Option<PutCode>) {
    if let Some(x) = doc.item_envelope_mut() {
        *x.put_code = pc;
    }
}

/// [`set_put_code`] for a document of either version.
pub fn set_put_code_any(doc: &mut AnyDocument, pc: Option<PutCode>) {
    match doc {
        AnyDocument::V2_1(d) => set_put_code(d, pc),
        AnyDocument::V3_0(d) => {
            if let Some(x) = d.item_envelope_mut() {
                *x.put_code = pc;
            }
        }
    }
}

/// `sha256:<hex>` of the item's canonical XML without its put-code, so the
/// same content hashes alike in either format, before and after creation.
pub fn content_hash(doc: &Document) -> String {
    let mut d = doc.clone();
    set_put_code(&mut d, None);
    format!("sha256:{}", hex::encode(Sha256::digest(d.to_xml(false))))
}

/// The document without what v3.0 reads add to external ids
/// (`external-id-normalized` and its error: transient, computed by ORCID
/// from the value, ignored when sent).
fn without_transient(doc: &AnyDocument) -> AnyDocument {
    let mut d = doc.clone();
    if let AnyDocument::V3_0(v3) = &mut d {
        orcid_model::identifiers::clear_normalized(v3);
    }
    d
}

/// [`content_hash`] of a document of either version (of its XML in that
/// version: a v2.1 item and its v3.0 upgrade hash differently).
pub fn content_hash_any(doc: &AnyDocument) -> String {
    let mut d = without_transient(doc);
    set_put_code_any(&mut d, None);
    format!("sha256:{}", hex::encode(Sha256::digest(d.to_xml(false))))
}

/// The body of [`sent_hashes`] for one version's document and visibility
/// type.
macro_rules! sent_hashes_of {
    ($stored:expr, $visibility:ty, $hash:expr) => {{
        let mut base = $stored.clone();
        let index = base.item_envelope_mut().and_then(|x| {
            *x.put_code = None;
            *x.source = None;
            *x.created_date = None;
            *x.last_modified_date = None;
            *x.path = None;
            x.display_index.take()
        });
        let visibilities =
            std::iter::once(None).chain(<$visibility>::ALL.iter().copied().map(Some));
        let mut out = Vec::new();
        for visibility in visibilities {
            for display_index in [None, index.clone()] {
                let mut d = base.clone();
                if let Some(x) = d.item_envelope_mut() {
                    *x.visibility = visibility;
                    *x.display_index = display_index.clone();
                }
                let h = $hash(d);
                if !out.contains(&h) {
                    out.push(h);
                }
            }
        }
        out
    }};
}

/// The [`content_hash`]es a payload may have had for ORCID to store it as
/// `stored` (an item read from the record): the copy without what ORCID
/// always sets (put-code, source, created and last-modified dates, path),
/// with no visibility or any of them (ORCID may replace the one sent), and
/// with its display index or none. At most ten hashes; an interrupted
/// create is recognised on the record by the hash it journaled being one
/// of them.
pub fn sent_hashes(stored: &Document) -> Vec<String> {
    sent_hashes_of!(stored, Visibility, |d: Document| content_hash(&d))
}

/// [`sent_hashes`] of an item of either version, as [`content_hash_any`]es.
pub fn sent_hashes_any(stored: &AnyDocument) -> Vec<String> {
    match stored {
        AnyDocument::V2_1(d) => sent_hashes(d),
        AnyDocument::V3_0(d) => {
            let mut d = d.clone();
            orcid_model::identifiers::clear_normalized(&mut d);
            sent_hashes_of!(d, v3_0::common::Visibility, |d| {
                content_hash_any(&AnyDocument::V3_0(d))
            })
        }
    }
}

/// A JSON string, or the `value` of a `{"value": …}` wrapper, at `path`.
fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    match cur {
        Value::String(s) => Some(s.as_str()),
        Value::Object(m) => m.get("value")?.as_str(),
        _ => None,
    }
    .map(str::trim)
    .filter(|s| !s.is_empty())
}

/// `type:value` of the first `self` identifier of an `external-ids` object
/// (else of the first one).
fn self_id(ids: &Value) -> Option<String> {
    let list: Vec<&Value> = match ids.get("external-id")? {
        Value::Array(a) => a.iter().collect(),
        one @ Value::Object(_) => vec![one],
        _ => return None,
    };
    let is_self = |id: &&&Value| {
        str_at(id, &["external-id-relationship"]).is_some_and(|r| r.eq_ignore_ascii_case("self"))
    };
    let id = list
        .iter()
        .find(is_self)
        .or_else(|| list.first())
        .copied()?;
    Some(format!(
        "{}:{}",
        str_at(id, &["external-id-type"])?,
        str_at(id, &["external-id-value"])?
    ))
}

/// What identifies an item on a record: a self external identifier
/// (`doi:10.1/x`), the URL, the keyword or other name, the country, the
/// organisation and role; `None` when it has none of these.
pub fn derived_key(doc: &Document, kind: ItemSection) -> Option<String> {
    derived_key_of(&doc.to_json(false).ok()?, kind)
}

/// [`derived_key`] of an item of either version (the fields it reads are
/// spelled alike in both), so an item keeps its key across versions.
pub fn derived_key_any(doc: &AnyDocument, kind: ItemSection) -> Option<String> {
    derived_key_of(&doc.to_json(false).ok()?, kind)
}

/// [`derived_key_any`] for a section of API v3.0, including the ones only
/// v3.0 has: a v3-only affiliation (distinction, invited position,
/// membership, qualification, service) is keyed like an education, by
/// organisation and role; a research resource by its proposal's self
/// identifier. A section both versions have gets its v2.1 key.
pub fn derived_key_v3(doc: &AnyDocument, kind: v3_0::section::ItemSection) -> Option<String> {
    use v3_0::section::ItemSection as S;
    if let Some(k) = ItemSection::from_name(kind.name()) {
        return derived_key_any(doc, k);
    }
    let v: Value = serde_json::from_str(&doc.to_json(false).ok()?).ok()?;
    match kind {
        S::ResearchResource => self_id(v.get("proposal")?.get("external-ids")?),
        _ => org_and_role(&v),
    }
}

/// `organisation|role` (or the organisation alone) of an affiliation.
fn org_and_role(v: &Value) -> Option<String> {
    let org = str_at(v, &["organization", "name"])?;
    Some(match str_at(v, &["role-title"]) {
        Some(role) => format!("{org}|{role}"),
        None => org.to_string(),
    })
}

fn derived_key_of(json: &str, kind: ItemSection) -> Option<String> {
    let v: Value = serde_json::from_str(json).ok()?;
    match kind {
        ItemSection::Work | ItemSection::Funding => self_id(v.get("external-ids")?),
        ItemSection::PeerReview => self_id(v.get("review-identifiers")?),
        ItemSection::ExternalIdentifier => Some(format!(
            "{}:{}",
            str_at(&v, &["external-id-type"])?,
            str_at(&v, &["external-id-value"])?
        )),
        ItemSection::ResearcherUrl => str_at(&v, &["url"]).map(str::to_string),
        ItemSection::Keyword | ItemSection::OtherName => {
            str_at(&v, &["content"]).map(str::to_string)
        }
        ItemSection::Address => str_at(&v, &["country"]).map(str::to_string),
        ItemSection::Education | ItemSection::Employment => org_and_role(&v),
    }
}

/// The fields ORCID's server sets or may overwrite on an item, left out
/// when comparing a local item with the copy on the record.
const SERVER_FIELDS: &[&str] = &[
    "put-code",
    "path",
    "source",
    "created-date",
    "last-modified-date",
    "visibility",
    "display-index",
];

fn without_nulls(v: Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Object(m) => {
            let m: serde_json::Map<String, Value> = m
                .into_iter()
                .filter_map(|(k, v)| without_nulls(v).map(|v| (k, v)))
                .collect();
            (!m.is_empty()).then_some(Value::Object(m))
        }
        Value::Array(a) => {
            let a: Vec<Value> = a.into_iter().filter_map(without_nulls).collect();
            (!a.is_empty()).then_some(Value::Array(a))
        }
        other => Some(other),
    }
}

/// The item as the integration controls it: its JSON image without the
/// fields ORCID sets (put-code, path, source, dates, visibility, display
/// index) and without empty values.
fn essence(json: &str) -> Option<Value> {
    let mut v: Value = serde_json::from_str(json).ok()?;
    if let Value::Object(m) = &mut v {
        for k in SERVER_FIELDS {
            m.remove(*k);
        }
    }
    without_nulls(v)
}

/// Whether the copy of an item on the record (`stored`) carries the content
/// of `local`: equal once the fields ORCID sets are left out (v3.0: also
/// the external ids' transient normalization).
pub fn same_content(local: &Document, stored: &Document) -> bool {
    same_content_any(
        &AnyDocument::V2_1(local.clone()),
        &AnyDocument::V2_1(stored.clone()),
    )
}

/// [`same_content`] of items of either version (never equal across
/// versions: their JSON differs).
pub fn same_content_any(local: &AnyDocument, stored: &AnyDocument) -> bool {
    if local.version() != stored.version() || local.root_name() != stored.root_name() {
        return false;
    }
    let image = |d: &AnyDocument| {
        without_transient(d)
            .to_json(false)
            .ok()
            .and_then(|j| essence(&j))
    };
    let wanted = image(local);
    wanted.is_some() && wanted == image(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORK: &str = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common" put-code="12">
  <work:title><common:title>T</common:title></work:title>
  <work:type>report</work:type>
  <common:external-ids>
    <common:external-id>
      <common:external-id-type>isbn</common:external-id-type>
      <common:external-id-value>978</common:external-id-value>
      <common:external-id-relationship>part-of</common:external-id-relationship>
    </common:external-id>
    <common:external-id>
      <common:external-id-type>doi</common:external-id-type>
      <common:external-id-value>10.1/x</common:external-id-value>
      <common:external-id-relationship>self</common:external-id-relationship>
    </common:external-id>
  </common:external-ids>
</work:work>"#;

    #[test]
    fn keys_and_hashes() {
        let doc = Document::from_xml(WORK).unwrap();
        assert_eq!(
            derived_key(&doc, ItemSection::Work).as_deref(),
            Some("doi:10.1/x")
        );
        let mut without = doc.clone();
        set_put_code(&mut without, None);
        assert_eq!(orcid_client::put_code_of(&without), None);
        assert_eq!(content_hash(&doc), content_hash(&without));
        assert!(content_hash(&doc).starts_with("sha256:"));
        let other = Document::from_xml(&WORK.replace(">T<", ">U<")).unwrap();
        assert_ne!(content_hash(&doc), content_hash(&other));
        let kw = Document::from_xml(
            r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword"><keyword:content>metadata</keyword:content></keyword:keyword>"#,
        )
        .unwrap();
        assert_eq!(
            derived_key(&kw, ItemSection::Keyword).as_deref(),
            Some("metadata")
        );
        let addr = Document::from_xml(
            r#"<address:address xmlns:address="http://www.orcid.org/ns/address"><address:country>NZ</address:country></address:address>"#,
        )
        .unwrap();
        assert_eq!(
            derived_key(&addr, ItemSection::Address).as_deref(),
            Some("NZ")
        );
    }

    #[test]
    fn sent_hashes_see_through_what_the_server_sets() {
        let mut sent = Document::from_xml(WORK).unwrap();
        set_put_code(&mut sent, None);
        let stored = Document::from_xml(&WORK.replace(
            "put-code=\"12\"",
            "put-code=\"99\" visibility=\"limited\" path=\"/0000-0002-1825-0097/work/99\"",
        ))
        .unwrap();
        assert!(sent_hashes(&stored).contains(&content_hash(&sent)));
        let public =
            Document::from_xml(&WORK.replace("put-code=\"12\"", "visibility=\"public\"")).unwrap();
        assert!(sent_hashes(&stored).contains(&content_hash(&public)));
        let changed = Document::from_xml(&WORK.replace(">T<", ">U<")).unwrap();
        assert!(!sent_hashes(&stored).contains(&content_hash(&changed)));
    }

    #[test]
    fn same_content_ignores_what_the_server_sets() {
        let local = Document::from_xml(WORK).unwrap();
        let stored = Document::from_xml(&WORK.replace(
            "put-code=\"12\"",
            "put-code=\"99\" visibility=\"limited\" path=\"/0000-0002-1825-0097/work/99\"",
        ))
        .unwrap();
        assert!(same_content(&local, &stored));
        let changed = Document::from_xml(&WORK.replace(">T<", ">U<")).unwrap();
        assert!(!same_content(&local, &changed));
    }

    #[test]
    fn json_items_prefer_items_over_summaries_and_name_real_ambiguity() {
        let work = r#"{"title": {"title": {"value": "T"}}, "type": "REPORT"}"#;
        let doc = read_json_item(work).unwrap();
        assert_eq!(ItemSection::of_root(doc.root()), Some(ItemSection::Work));
        let affiliation = r#"{"role-title": "Fellow", "organization": {"name": "Otago",
            "address": {"city": "Dunedin", "country": "NZ"}}}"#;
        let err = read_json_item(affiliation).unwrap_err();
        assert!(
            err.contains("education") && err.contains("employment"),
            "{err}"
        );
        assert!(err.contains(".json`"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("post.employment.json");
        std::fs::write(&file, affiliation).unwrap();
        let items = load(&[file], KeyMode::File).unwrap();
        assert_eq!(items[0].kind, V3Section::Employment);
        assert_eq!(items[0].key, "post");
    }

    #[test]
    fn file_keys_drop_the_extension_and_keep_folders() {
        assert_eq!(
            file_key(Path::new("/a/b/works/p1.xml"), Some(Path::new("/a/b"))),
            "works/p1"
        );
        assert_eq!(file_key(Path::new("/a/b/p1.json"), None), "p1");
        assert_eq!(file_key(Path::new("/a/b/p1.work.json"), None), "p1");
        assert_eq!(file_key(Path::new("/a/b/v1.2.xml"), None), "v1.2");
        assert_eq!(
            declared_kind(Path::new("x.employment.json")),
            Some(V3Section::Employment)
        );
    }

    #[test]
    fn load_reports_every_bad_file_and_duplicate_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xml"), WORK).unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        std::fs::write(dir.path().join("b.xml"), "<not-orcid/>").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let errors = load(&[dir.path().to_path_buf()], KeyMode::File).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().any(|e| e.file.ends_with("b.xml")));
        assert!(errors.iter().any(|e| e.file.ends_with("a.json")));

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xml"), WORK).unwrap();
        std::fs::write(dir.path().join("b.xml"), WORK).unwrap();
        let by_file = load(&[dir.path().to_path_buf()], KeyMode::File).unwrap();
        assert_eq!(by_file.len(), 2);
        assert_eq!(by_file[0].key, "a");
        assert_eq!(orcid_client::put_code_of_any(&by_file[0].doc), None);
        let errors = load(&[dir.path().to_path_buf()], KeyMode::ExternalId).unwrap_err();
        assert!(errors[0].message.contains("doi:10.1/x"), "{errors:?}");
    }

    #[test]
    fn v3_reads_normalized_ids_are_the_same_content() {
        let local =
            v3_0::Document::from_xml(&WORK.replace("10.1/x", "https://doi.org/10.1/X")).unwrap();
        let mut stored = local.clone();
        orcid_model::identifiers::set_normalized(&mut stored);
        assert_ne!(stored, local, "the read shows the normalization");
        let (local, stored) = (AnyDocument::V3_0(local), AnyDocument::V3_0(stored));
        assert!(same_content_any(&local, &stored));
        assert!(sent_hashes_any(&stored).contains(&content_hash_any(&local)));
    }
}
