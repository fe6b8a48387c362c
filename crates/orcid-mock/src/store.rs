//! The server's state: researchers, items, authorization codes, tokens and
//! the inbox; in memory, written through to SQLite when a state file is
//! configured.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use orcid_model::v2_1::common::Visibility;
use orcid_model::{convert, v3_0, Document, Version};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::config::{parse_visibility, MockConfig, ResearcherConfig};
use crate::util::{now_ms, redact};
use crate::MockError;
use orcid_model::v3_0::section::ItemSection as ItemSection3;
use orcid_model::ItemSection;

/// A researcher's record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Researcher {
    /// As configured or registered.
    pub profile: ResearcherConfig,
    /// When the record was created (epoch ms).
    pub created_ms: i64,
    /// Last change of the record (epoch ms).
    pub modified_ms: i64,
}

impl Researcher {
    /// The default visibility of new items.
    pub fn default_visibility(&self) -> Visibility {
        parse_visibility(&self.profile.default_visibility).unwrap_or(Visibility::Private)
    }
    /// Visibility of the name.
    pub fn name_visibility(&self) -> Visibility {
        parse_visibility(&self.profile.name_visibility).unwrap_or(Visibility::Public)
    }
    /// Visibility of the biography.
    pub fn biography_visibility(&self) -> Visibility {
        parse_visibility(&self.profile.biography_visibility).unwrap_or(Visibility::Public)
    }
    /// Visibility of the e-mail.
    pub fn email_visibility(&self) -> Visibility {
        parse_visibility(&self.profile.email_visibility).unwrap_or(Visibility::Private)
    }
    /// The display name: credit name, else given + family names.
    pub fn display_name(&self) -> String {
        if let Some(c) = &self.profile.credit_name {
            return c.clone();
        }
        match &self.profile.family_name {
            Some(f) => format!("{} {}", self.profile.given_names, f),
            None => self.profile.given_names.clone(),
        }
    }
    /// The name as ORCID puts it in a token response: empty unless public
    /// (`docs/orcid-api.md` §1.4).
    pub fn public_name(&self) -> String {
        if self.name_visibility() == Visibility::Public {
            self.display_name()
        } else {
            String::new()
        }
    }
}

/// An item stored on a record, as one API version sees it: `S` and `D`
/// are that version's section and document types.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<S, D> {
    /// Put-code.
    pub put_code: i64,
    /// The record.
    pub orcid: String,
    /// Its section.
    pub section: S,
    /// The client that wrote it (its source).
    pub client_id: String,
    /// The item, with the server-owned envelope set.
    pub doc: D,
}

/// An item stored on a record as the member API v2.1 sees it.
pub type StoredItem = Stored<ItemSection, Document>;

/// An item stored on a record as the member API v3.0 sees it.
pub type StoredItemV3 = Stored<ItemSection3, v3_0::Document>;

/// The section type of an API version, and where that version's view of
/// an item is kept ([`ItemSection`]: v2.1, [`ItemSection3`]: v3.0).
pub trait VersionSection: Copy + PartialEq {
    /// The version's document type.
    type Doc;
    /// The version's view of an item, if it has one.
    fn view(item: &RecordItem) -> Option<&Stored<Self, Self::Doc>>;
    /// An item written through the version.
    fn record(item: Stored<Self, Self::Doc>) -> RecordItem;
}

impl VersionSection for ItemSection {
    type Doc = Document;
    fn view(item: &RecordItem) -> Option<&StoredItem> {
        item.v2_1.as_ref()
    }
    fn record(item: StoredItem) -> RecordItem {
        RecordItem::from_v2_1(item)
    }
}

impl VersionSection for ItemSection3 {
    type Doc = v3_0::Document;
    fn view(item: &RecordItem) -> Option<&StoredItemV3> {
        item.v3_0.as_ref()
    }
    fn record(item: StoredItemV3) -> RecordItem {
        RecordItem::from_v3_0(item)
    }
}

/// An item on a record: kept in the API version it was last written in,
/// with the view of each version computed once on write. v2.1 readers see
/// what ORCID shows them ([`convert::downgrade`]: v3-only sections hidden,
/// new work types as `other`, …); v3.0 readers see v2.1 items upgraded
/// ([`convert::upgrade`], lossless). One put-code for both.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordItem {
    /// Put-code.
    pub put_code: i64,
    /// The record.
    pub orcid: String,
    /// Its section (v3.0's, the superset).
    pub section: ItemSection3,
    /// The client that wrote it (its source).
    pub client_id: String,
    /// The API version of the last write.
    pub written: Version,
    /// What a v2.1 reader sees; `None` for the v3-only sections and items
    /// v2.1 cannot hold.
    pub v2_1: Option<StoredItem>,
    /// What a v3.0 reader sees; `None` if the item does not upgrade.
    pub v3_0: Option<StoredItemV3>,
}

impl RecordItem {
    /// An item written through the v2.1 API.
    pub fn from_v2_1(item: StoredItem) -> RecordItem {
        // Every v2.1 section is a v3.0 section of the same name.
        let section = ItemSection3::from_name(item.section.name()).unwrap_or(ItemSection3::Work);
        let v3 = {
            match convert::upgrade(&item.doc) {
                Ok(mut doc) => Some(StoredItemV3 {
                    doc: {
                        // What a v3.0 reader sees carries ORCID's normalization.
                        crate::views3::set_normalized(&mut doc);
                        doc
                    },
                    put_code: item.put_code,
                    orcid: item.orcid.clone(),
                    section,
                    client_id: item.client_id.clone(),
                }),
                Err(e) => {
                    tracing::warn!(put_code = item.put_code, error = %e, "no v3.0 view of the item");
                    None
                }
            }
        };
        RecordItem {
            put_code: item.put_code,
            orcid: item.orcid.clone(),
            section,
            client_id: item.client_id.clone(),
            written: Version::V2_1,
            v2_1: Some(item),
            v3_0: v3,
        }
    }

    /// An item written through the v3.0 API.
    pub fn from_v3_0(mut item: StoredItemV3) -> RecordItem {
        // What a v3.0 reader sees carries ORCID's normalization.
        crate::views3::set_normalized(&mut item.doc);
        let v2 = ItemSection::from_name(item.section.name()).and_then(|section| {
            match convert::downgrade(&item.doc) {
                Ok((doc, _losses)) => Some(StoredItem {
                    put_code: item.put_code,
                    orcid: item.orcid.clone(),
                    section,
                    client_id: item.client_id.clone(),
                    doc,
                }),
                Err(e) => {
                    tracing::debug!(put_code = item.put_code, error = %e, "no v2.1 view of the item");
                    None
                }
            }
        });
        RecordItem {
            put_code: item.put_code,
            orcid: item.orcid.clone(),
            section: item.section,
            client_id: item.client_id.clone(),
            written: Version::V3_0,
            v2_1: v2,
            v3_0: Some(item),
        }
    }

    /// The item as last written, in XML (what the state file keeps).
    fn written_xml(&self) -> String {
        match (self.written, &self.v2_1, &self.v3_0) {
            (Version::V2_1, Some(i), _) => i.doc.to_xml(false),
            (_, _, Some(i)) => i.doc.to_xml(false),
            (_, Some(i), None) => i.doc.to_xml(false),
            (_, None, None) => String::new(),
        }
    }
}

/// An authorization code.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct AuthCode {
    /// The code.
    pub code: String,
    /// Client it was issued to.
    pub client_id: String,
    /// Researcher who approved.
    pub orcid: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// `redirect_uri` of the authorization request.
    pub redirect_uri: Option<String>,
    /// Issue time (epoch ms).
    pub issued_ms: i64,
    /// Whether it was exchanged already.
    pub used: bool,
}

impl fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthCode")
            .field("code", &redact(&self.code))
            .field("client_id", &self.client_id)
            .field("orcid", &self.orcid)
            .field("scopes", &self.scopes)
            .field("used", &self.used)
            .finish()
    }
}

/// An access token with its refresh token.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct Token {
    /// The access token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
    /// The client.
    pub client_id: String,
    /// The researcher (`None` for client-credentials tokens).
    pub orcid: Option<String>,
    /// Granted scopes, as granted (not expanded).
    pub scopes: Vec<String>,
    /// Issue time (epoch ms).
    pub issued_ms: i64,
    /// Expiry (epoch ms).
    pub expires_ms: i64,
    /// Disabled (revoked, or its code reused, or replaced by a refresh).
    pub revoked: bool,
    /// The code it was exchanged for, if any.
    pub from_code: Option<String>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &redact(&self.access_token))
            .field("refresh_token", &redact(&self.refresh_token))
            .field("client_id", &self.client_id)
            .field("orcid", &self.orcid)
            .field("scopes", &self.scopes)
            .field("revoked", &self.revoked)
            .finish()
    }
}

impl Token {
    /// Whether it can be used now.
    pub fn is_active(&self, now: i64) -> bool {
        !self.revoked && now < self.expires_ms
    }
}

/// One item of an AMENDED notification.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AmendedItem {
    /// `CREATE`, `UPDATE` or `DELETE`.
    pub action: String,
    /// `WORK`, `FUNDING`, `EDUCATION`, `EMPLOYMENT`, `PEER_REVIEW`.
    pub item_type: String,
    /// Title of the item.
    pub item_name: String,
    /// Its put-code.
    pub put_code: i64,
    /// Its external ids as `type:value`.
    pub external_ids: Vec<String>,
}

/// A notification in a researcher's inbox.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Notification {
    /// Put-code of the notification.
    pub put_code: i64,
    /// The record.
    pub orcid: String,
    /// `AMENDED` or `PERMISSION`.
    pub notification_type: String,
    /// Client that caused or sent it.
    pub client_id: String,
    /// Its name.
    pub client_name: String,
    /// When (epoch ms).
    pub created_ms: i64,
    /// Items changed (AMENDED).
    #[serde(default)]
    pub items: Vec<AmendedItem>,
    /// The notification-permission as sent (PERMISSION), in XML.
    #[serde(default)]
    pub permission_xml: Option<String>,
    /// When it was archived (epoch ms).
    #[serde(default)]
    pub archived_ms: Option<i64>,
    /// The API version `permission_xml` is in: `3.0`, else 2.1.
    #[serde(default)]
    pub permission_version: Option<String>,
}

/// An authorization in progress (between the authorize page and the decision).
#[derive(Debug, Clone)]
pub struct PendingAuth {
    /// Client.
    pub client_id: String,
    /// Requested scopes.
    pub scopes: Vec<String>,
    /// Redirect URI.
    pub redirect_uri: String,
    /// `state`.
    pub state: Option<String>,
    /// The researcher once signed in or registered.
    pub orcid: Option<String>,
    /// Pre-fill values (`email`, `given_names`, `family_names`, `orcid`).
    pub prefill: HashMap<String, String>,
    /// Show registration first (`show_login=false`).
    pub register_first: bool,
    /// Created (epoch ms).
    pub created_ms: i64,
}

/// Counters for put-codes, notifications and minted iDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    /// Next put-code.
    pub put_code: i64,
    /// Next minted iD number.
    pub orcid: i64,
}

/// The whole state.
pub struct Store {
    /// Records by iD.
    pub researchers: BTreeMap<String, Researcher>,
    /// Items by put-code.
    pub items: BTreeMap<i64, RecordItem>,
    /// Tokens by access token.
    pub tokens: HashMap<String, Token>,
    /// Authorization codes.
    pub codes: HashMap<String, AuthCode>,
    /// Inbox, oldest first.
    pub notifications: Vec<Notification>,
    /// Authorizations in progress by request id (not persisted).
    pub pending: HashMap<String, PendingAuth>,
    /// Counters.
    pub counters: Counters,
    db: Option<Connection>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("researchers", &self.researchers.len())
            .field("items", &self.items.len())
            .field("tokens", &self.tokens.len())
            .field("persistent", &self.db.is_some())
            .finish()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS researchers(orcid TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(put_code INTEGER PRIMARY KEY, orcid TEXT NOT NULL,
    section TEXT NOT NULL, client_id TEXT NOT NULL, xml TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '2.1');
CREATE TABLE IF NOT EXISTS tokens(access_token TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes(code TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications(put_code INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
";

impl Store {
    /// A store with the configured researchers; loads and then writes
    /// through to `config.state_file` when set.
    pub fn open(config: &MockConfig) -> Result<Store, MockError> {
        let mut store = Store {
            researchers: BTreeMap::new(),
            items: BTreeMap::new(),
            tokens: HashMap::new(),
            codes: HashMap::new(),
            notifications: Vec::new(),
            pending: HashMap::new(),
            counters: Counters {
                put_code: 1000,
                orcid: 1,
            },
            db: None,
        };
        if let Some(path) = &config.state_file {
            store.load(path)?;
        }
        let now = now_ms();
        for r in config.all_researchers() {
            let created = store
                .researchers
                .get(&r.orcid)
                .map(|x| x.created_ms)
                .unwrap_or(now);
            let rec = Researcher {
                profile: r,
                created_ms: created,
                modified_ms: now,
            };
            store.save_researcher(rec);
        }
        Ok(store)
    }

    fn load(&mut self, path: &Path) -> Result<(), MockError> {
        // Every token is in clear in the file: owner only, as the store's.
        orcid_store::prepare_private_file(path).map_err(|e| MockError::State(e.to_string()))?;
        let conn = Connection::open(path).map_err(|e| MockError::State(e.to_string()))?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| MockError::State(e.to_string()))?;
        // State files from before v3.0 have no `version` column: their items are v2.1.
        let has_version: bool = conn
            .prepare("SELECT 1 FROM pragma_table_info('items') WHERE name = 'version'")
            .and_then(|mut q| q.exists([]))
            .map_err(|e| MockError::State(e.to_string()))?;
        if !has_version {
            conn.execute_batch("ALTER TABLE items ADD COLUMN version TEXT NOT NULL DEFAULT '2.1'")
                .map_err(|e| MockError::State(e.to_string()))?;
        }
        let st = |e: rusqlite::Error| MockError::State(e.to_string());
        {
            let mut q = conn.prepare("SELECT json FROM researchers").map_err(st)?;
            let rows = q.query_map([], |r| r.get::<_, String>(0)).map_err(st)?;
            for json in rows {
                let r: Researcher = serde_json::from_str(&json.map_err(st)?)
                    .map_err(|e| MockError::State(e.to_string()))?;
                self.researchers.insert(r.profile.orcid.clone(), r);
            }
            let mut q = conn
                .prepare("SELECT put_code, orcid, section, client_id, xml, version FROM items")
                .map_err(st)?;
            let rows = q
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })
                .map_err(st)?;
            for row in rows {
                let (put_code, orcid, section, client_id, xml, version) = row.map_err(st)?;
                let unknown = || MockError::State(format!("unknown section {section}"));
                let bad = |e: orcid_model::Error| MockError::State(format!("item {put_code}: {e}"));
                let item = if version == Version::V3_0.as_str() {
                    RecordItem::from_v3_0(StoredItemV3 {
                        put_code,
                        orcid,
                        section: ItemSection3::from_name(&section).ok_or_else(unknown)?,
                        client_id,
                        doc: v3_0::Document::from_xml(&xml).map_err(bad)?,
                    })
                } else {
                    RecordItem::from_v2_1(StoredItem {
                        put_code,
                        orcid,
                        section: ItemSection::parse(&section).ok_or_else(unknown)?,
                        client_id,
                        doc: Document::from_xml(&xml).map_err(bad)?,
                    })
                };
                self.items.insert(put_code, item);
            }
            let mut q = conn.prepare("SELECT json FROM tokens").map_err(st)?;
            let rows = q.query_map([], |r| r.get::<_, String>(0)).map_err(st)?;
            for json in rows {
                let t: Token = serde_json::from_str(&json.map_err(st)?)
                    .map_err(|e| MockError::State(e.to_string()))?;
                self.tokens.insert(t.access_token.clone(), t);
            }
            let mut q = conn.prepare("SELECT json FROM codes").map_err(st)?;
            let rows = q.query_map([], |r| r.get::<_, String>(0)).map_err(st)?;
            for json in rows {
                let c: AuthCode = serde_json::from_str(&json.map_err(st)?)
                    .map_err(|e| MockError::State(e.to_string()))?;
                self.codes.insert(c.code.clone(), c);
            }
            let mut q = conn
                .prepare("SELECT json FROM notifications ORDER BY put_code")
                .map_err(st)?;
            let rows = q.query_map([], |r| r.get::<_, String>(0)).map_err(st)?;
            for json in rows {
                let n: Notification = serde_json::from_str(&json.map_err(st)?)
                    .map_err(|e| MockError::State(e.to_string()))?;
                self.notifications.push(n);
            }
            let mut q = conn.prepare("SELECT key, value FROM meta").map_err(st)?;
            let rows = q
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                .map_err(st)?;
            for row in rows {
                match row.map_err(st)? {
                    (k, v) if k == "next_put_code" => self.counters.put_code = v,
                    (k, v) if k == "next_orcid" => self.counters.orcid = v,
                    _ => {}
                }
            }
        }
        self.db = Some(conn);
        Ok(())
    }

    /// Whether the state is kept in a file.
    pub fn is_persistent(&self) -> bool {
        self.db.is_some()
    }

    fn write(&self, what: &str, f: impl FnOnce(&Connection) -> rusqlite::Result<usize>) {
        if let Some(db) = &self.db {
            if let Err(e) = f(db) {
                tracing::warn!(what, error = %e, "could not write the state file");
            }
        }
    }

    fn save_counters(&self) {
        let c = self.counters;
        self.write("counters", |db| {
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('next_put_code', ?1), ('next_orcid', ?2)",
                params![c.put_code, c.orcid],
            )
        });
    }

    /// Allocates a put-code (global, like ORCID's database ids).
    pub fn next_put_code(&mut self) -> i64 {
        let pc = self.counters.put_code;
        self.counters.put_code += 1;
        self.save_counters();
        pc
    }

    /// Mints a new iD not in use.
    pub fn mint_orcid(&mut self) -> String {
        loop {
            let id = crate::util::mint_orcid(self.counters.orcid as u64);
            self.counters.orcid += 1;
            if !self.researchers.contains_key(&id) {
                self.save_counters();
                return id;
            }
        }
    }

    /// Adds or replaces a researcher.
    pub fn save_researcher(&mut self, r: Researcher) {
        let json = serde_json::to_string(&r).unwrap_or_default();
        let id = r.profile.orcid.clone();
        self.write("researcher", |db| {
            db.execute(
                "INSERT OR REPLACE INTO researchers(orcid, json) VALUES (?1, ?2)",
                params![id, json],
            )
        });
        self.researchers.insert(r.profile.orcid.clone(), r);
    }

    /// Adds or replaces an item written through the API version of its
    /// section type.
    pub fn save_item<S: VersionSection>(&mut self, item: Stored<S, S::Doc>) {
        self.save_record_item(S::record(item));
    }

    fn save_record_item(&mut self, item: RecordItem) {
        let xml = item.written_xml();
        self.write("item", |db| {
            db.execute(
                "INSERT OR REPLACE INTO items(put_code, orcid, section, client_id, xml, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![item.put_code, item.orcid, item.section.name(), item.client_id, xml, item.written.as_str()],
            )
        });
        self.items.insert(item.put_code, item);
    }

    /// Removes an item.
    pub fn delete_item(&mut self, put_code: i64) -> Option<RecordItem> {
        self.write("item", |db| {
            db.execute("DELETE FROM items WHERE put_code = ?1", params![put_code])
        });
        self.items.remove(&put_code)
    }

    /// An item of `orcid` in `section` as the version of `section` sees it.
    pub fn item<S: VersionSection>(
        &self,
        orcid: &str,
        section: S,
        put_code: i64,
    ) -> Option<&Stored<S, S::Doc>> {
        self.items
            .get(&put_code)
            .and_then(S::view)
            .filter(|i| i.orcid == orcid && i.section == section)
    }

    /// Adds or replaces a token.
    pub fn save_token(&mut self, t: Token) {
        let json = serde_json::to_string(&t).unwrap_or_default();
        self.write("token", |db| {
            db.execute(
                "INSERT OR REPLACE INTO tokens(access_token, json) VALUES (?1, ?2)",
                params![t.access_token, json],
            )
        });
        self.tokens.insert(t.access_token.clone(), t);
    }

    /// Disables a token (by access token).
    pub fn revoke_token(&mut self, access_token: &str) {
        if let Some(mut t) = self.tokens.get(access_token).cloned() {
            t.revoked = true;
            self.save_token(t);
        }
    }

    /// Adds or replaces an authorization code.
    pub fn save_code(&mut self, c: AuthCode) {
        let json = serde_json::to_string(&c).unwrap_or_default();
        self.write("code", |db| {
            db.execute(
                "INSERT OR REPLACE INTO codes(code, json) VALUES (?1, ?2)",
                params![c.code, json],
            )
        });
        self.codes.insert(c.code.clone(), c);
    }

    /// Adds or replaces a notification.
    pub fn save_notification(&mut self, n: Notification) {
        let json = serde_json::to_string(&n).unwrap_or_default();
        self.write("notification", |db| {
            db.execute(
                "INSERT OR REPLACE INTO notifications(put_code, json) VALUES (?1, ?2)",
                params![n.put_code, json],
            )
        });
        match self
            .notifications
            .iter_mut()
            .find(|x| x.put_code == n.put_code)
        {
            Some(slot) => *slot = n,
            None => self.notifications.push(n),
        }
    }

    /// The token with this refresh token.
    pub fn token_by_refresh(&self, refresh: &str) -> Option<&Token> {
        self.tokens.values().find(|t| t.refresh_token == refresh)
    }

    /// The items of a record in a section as the version of `section` sees
    /// them, by put-code.
    pub fn items_of<S: VersionSection>(&self, orcid: &str, section: S) -> Vec<&Stored<S, S::Doc>> {
        self.items
            .values()
            .filter_map(S::view)
            .filter(|i| i.orcid == orcid && i.section == section)
            .collect()
    }
}
