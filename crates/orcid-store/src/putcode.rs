//! The registry of items this integration pushed to ORCID records, and the
//! [`Store`] methods on the `put_codes` table.

use rusqlite::types::Type;
use rusqlite::{params, Row};

use crate::error::{Error, Result};
use crate::section::Section;
use crate::time::Timestamp;
use crate::Store;

/// One item this integration pushed, keyed by `(orcid, section, local_key)`.
///
/// `local_key` is the integration's own identifier of the item (e.g. a DOI or a
/// database id); `put_code` is the identifier ORCID assigned to it, needed to
/// update or delete it later; `content_hash` is the hash of the content last sent,
/// to skip pushes that would change nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PutCodeEntry {
    /// The researcher's iD.
    pub orcid: String,
    /// Record section, of either API version; stored as its name (`work`,
    /// `researcher-url`, `distinction`).
    pub section: Section,
    /// The integration's key of the item.
    pub local_key: String,
    /// ORCID's put-code (a Java `long` on ORCID's side).
    pub put_code: i64,
    /// Hash of the content last pushed (any stable text, e.g. hex SHA-256).
    pub content_hash: String,
    /// Outcome of the last push: `created`, `updated`, `unchanged`, `error:9021`, ...
    pub last_result: String,
    /// When this entry last changed.
    pub updated_at: Timestamp,
}

// ---------------------------------------------------------------- the `put_codes` table

/// The columns [`put_code_row`] maps.
const PUT_CODE_SELECT: &str = "SELECT orcid, section, local_key, put_code, content_hash,
                                      last_result, updated_at FROM put_codes";

fn put_code_row(r: &Row<'_>) -> rusqlite::Result<PutCodeEntry> {
    Ok(PutCodeEntry {
        orcid: r.get(0)?,
        section: section_at(r, 1)?,
        local_key: r.get(2)?,
        put_code: r.get(3)?,
        content_hash: r.get(4)?,
        last_result: r.get(5)?,
        updated_at: Timestamp::from_unix(r.get(6)?),
    })
}

/// The section named in column `idx`; a name that is no [`Section`]
/// fails as a conversion failure (see [`Store::section_err`]).
pub(crate) fn section_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Section> {
    let name: String = r.get(idx)?;
    Section::from_name(&name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            Type::Text,
            format!("unknown section `{name}`").into(),
        )
    })
}

impl Store {
    /// Classifies an error of reading `table`: an unknown section name is
    /// [`Error::InvalidData`].
    pub(crate) fn section_err(&self, table: &'static str, e: rusqlite::Error) -> Error {
        match e {
            rusqlite::Error::FromSqlConversionFailure(..) => Error::InvalidData {
                table,
                column: "section",
            },
            e => self.sql(e),
        }
    }

    /// Inserts `entry`, or replaces the entry with the same `(orcid, section, local_key)`.
    pub fn upsert_put_code(&self, entry: &PutCodeEntry) -> Result<()> {
        self.execute(
            "INSERT INTO put_codes (orcid, section, local_key, put_code, content_hash,
                                    last_result, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (orcid, section, local_key) DO UPDATE SET
                 put_code = excluded.put_code,
                 content_hash = excluded.content_hash,
                 last_result = excluded.last_result,
                 updated_at = excluded.updated_at",
            params![
                entry.orcid,
                entry.section.name(),
                entry.local_key,
                entry.put_code,
                entry.content_hash,
                entry.last_result,
                entry.updated_at.as_unix()
            ],
        )?;
        Ok(())
    }

    /// The entry for `(orcid, section, local_key)`, if any.
    pub fn put_code(
        &self,
        orcid: &str,
        section: impl Into<Section>,
        local_key: &str,
    ) -> Result<Option<PutCodeEntry>> {
        let section = section.into();
        self.query_opt(
            &format!("{PUT_CODE_SELECT} WHERE orcid = ?1 AND section = ?2 AND local_key = ?3"),
            params![orcid, section.name(), local_key],
            put_code_row,
        )
        .map_err(|e| self.section_err("put_codes", e))
    }

    /// All entries of researcher `orcid`, ordered by section, then key.
    pub fn entries(&self, orcid: &str) -> Result<Vec<PutCodeEntry>> {
        self.query_all(
            &format!("{PUT_CODE_SELECT} WHERE orcid = ?1 ORDER BY section, local_key"),
            params![orcid],
            put_code_row,
        )
        .map_err(|e| self.section_err("put_codes", e))
    }

    /// Deletes the entry for `(orcid, section, local_key)`; `true` if there was one.
    pub fn delete_put_code(
        &self,
        orcid: &str,
        section: impl Into<Section>,
        local_key: &str,
    ) -> Result<bool> {
        let section = section.into();
        let n = self.execute(
            "DELETE FROM put_codes WHERE orcid = ?1 AND section = ?2 AND local_key = ?3",
            params![orcid, section.name(), local_key],
        )?;
        Ok(n > 0)
    }

    /// Records `result` as the last outcome of an existing entry, keeping its
    /// put-code and hash (a failed push changes nothing on ORCID). Used by
    /// [`Store::complete_intent`].
    pub(crate) fn set_last_result(
        &self,
        orcid: &str,
        section: Section,
        local_key: &str,
        result: &str,
        now: Timestamp,
    ) -> Result<()> {
        self.execute(
            "UPDATE put_codes SET last_result = ?4, updated_at = ?5
             WHERE orcid = ?1 AND section = ?2 AND local_key = ?3",
            params![orcid, section.name(), local_key, result, now.as_unix()],
        )?;
        Ok(())
    }
}
