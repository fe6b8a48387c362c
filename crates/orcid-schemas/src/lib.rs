//! Pinned ORCID API v2.1 schema files from [`ORCID/orcid-model`].
//!
//! The XSDs (and their XML/JSON samples) that the rest of the toolkit reads
//! are not committed: a lock file, `schemas/orcid-model.lock` ([`LOCK_PATH`]),
//! records the upstream commit and the SHA-256 of every file, and [`sync`]
//! fills the ignored cache `schemas/cache/` ([`DEFAULT_CACHE_DIR`]) from a
//! local mirror or over HTTPS, verifying every hash. [`update`] moves the pin
//! to a new commit and reports a [`SchemaDiff`] (files, element names and
//! enumeration values added and removed).
//!
//! The covered files are those of the v2.1 folders ([`COVERED_DIRS`]) and
//! `xml.xsd` with extension `.xsd`, `.xml` or `.json` (see [`is_covered`]).
//!
//! `cargo xtask sync-schemas` is the command-line front end.
//!
//! # Example
//!
//! ```no_run
//! use std::path::Path;
//! use orcid_schemas::{sync, Lock, Source, DEFAULT_CACHE_DIR, LOCK_PATH};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let lock = Lock::load(Path::new(LOCK_PATH))?;
//! // Offline from a local mirror of `src/main/resources`…
//! let source = Source::Dir("../shared/orcid-model".into());
//! // …or over HTTPS: `Source::github()`.
//! let report = sync(&lock, &source, Path::new(DEFAULT_CACHE_DIR))?;
//! println!("{report}"); // orcid-model@0f61fa6: 84 files verified, 84 fetched, from …
//! # Ok(())
//! # }
//! ```
//!
//! [`ORCID/orcid-model`]: https://github.com/ORCID/orcid-model

#![warn(missing_docs)]

mod error;
mod lock;
mod source;
mod sync;
mod update;
mod xsd;

use sha2::{Digest, Sha256};

pub use error::{BoxError, LockError, SyncError, UpdateError};
pub use lock::{validate_commit, Lock, LockedFile, LOCK_HEADER};
pub use source::Source;
pub use sync::{sync, SyncReport};
pub use update::{update, ChangeKind, FileChange, SchemaDiff, Update, UpdateOptions};
pub use xsd::{summarize_xsd, XsdChanges, XsdError, XsdSummary};

/// Default cache directory, relative to the workspace root (git-ignored).
pub const DEFAULT_CACHE_DIR: &str = "schemas/cache";
/// Lock file path, relative to the workspace root.
pub const LOCK_PATH: &str = "schemas/orcid-model.lock";
/// Upstream repository.
pub const DEFAULT_REPOSITORY: &str = "ORCID/orcid-model";
/// Folder of the upstream repository the schema paths are relative to.
pub const DEFAULT_FOLDER: &str = "src/main/resources";
/// Repository-scoped raw-file base URL; files are at `{base}/{commit}/{folder}/{path}`.
pub const DEFAULT_BASE_URL: &str = "https://raw.githubusercontent.com/ORCID/orcid-model";
/// Repository-scoped GitHub API base URL; trees are at `{base}/git/trees/{sha}?recursive=1`.
pub const DEFAULT_API_URL: &str = "https://api.github.com/repos/ORCID/orcid-model";
/// Top-level folders whose files are pinned.
pub const COVERED_DIRS: &[&str] = &[
    "client_2.1",
    "common_2.1",
    "group-id-2.1",
    "notification_2.1",
    "record_2.1",
    "client_3.0",
    "common_3.0",
    "group-id-3.0",
    "notification_3.0",
    "record_3.0",
    "summary_3.0",
];
/// Top-level files that are pinned.
pub const COVERED_ROOT_FILES: &[&str] = &["xml.xsd"];
/// Extensions (lowercase) of pinned files.
pub const COVERED_EXTENSIONS: &[&str] = &["xsd", "xml", "json"];

/// Whether a path relative to the upstream folder is pinned: a file of one of
/// [`COVERED_DIRS`] (at any depth) or one of [`COVERED_ROOT_FILES`], with one
/// of [`COVERED_EXTENSIONS`].
pub fn is_covered(path: &str) -> bool {
    let Some((top, _)) = path.split_once('/') else {
        return COVERED_ROOT_FILES.contains(&path);
    };
    let ext_ok = path
        .rsplit_once('.')
        .map(|(stem, ext)| {
            !stem.ends_with('/') && COVERED_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        })
        .unwrap_or(false);
    COVERED_DIRS.contains(&top) && ext_ok && !path.ends_with('/')
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The v2.1 schema files that together declare every member-API root
/// element, by target namespace, relative to the synced folder. The order
/// is fixed (xsd-parser's output follows it). `record-2.1.xsd` imports every
/// record section; bulk, search, group-id, notification-permission and
/// client are separate entry points. `notification-custom-2.1.xsd` is left
/// out on purpose: it declares a second `notification:notification` element
/// in the namespace of notification-permission and is not member-writable.
pub const V2_1_ENTRY_SCHEMAS: &[(&str, &str)] = &[
    (
        "http://www.orcid.org/ns/record",
        "record_2.1/record-2.1.xsd",
    ),
    ("http://www.orcid.org/ns/bulk", "record_2.1/bulk-2.1.xsd"),
    (
        "http://www.orcid.org/ns/search",
        "record_2.1/search-2.1.xsd",
    ),
    (
        "http://www.orcid.org/ns/group-id",
        "group-id-2.1/group-id-2.1.xsd",
    ),
    (
        "http://www.orcid.org/ns/notification",
        "notification_2.1/notification-permission-2.1.xsd",
    ),
    (
        "http://www.orcid.org/ns/client",
        "client_2.1/client-2.1.xsd",
    ),
];

/// The v3.0 schema files that together declare every member-API root
/// element, by target namespace, relative to the synced folder, in a fixed
/// order. `record-3.0.xsd` imports every record section (and, through
/// `activities-3.0.xsd`, research resources and the five new affiliation
/// types); bulk, search, expanded-search, the record summary, group-id,
/// notification-permission and client are separate entry points. Upstream,
/// the last three import `common-2.1.xsd` (and notification-permission
/// `activities-2.1.xsd`); readers of this set decide how to treat that.
pub const V3_0_ENTRY_SCHEMAS: &[(&str, &str)] = &[
    (
        "http://www.orcid.org/ns/record",
        "record_3.0/record-3.0.xsd",
    ),
    ("http://www.orcid.org/ns/bulk", "record_3.0/bulk-3.0.xsd"),
    (
        "http://www.orcid.org/ns/search",
        "record_3.0/search-3.0.xsd",
    ),
    (
        "http://www.orcid.org/ns/expanded-search",
        "record_3.0/expanded-search-3.0.xsd",
    ),
    (
        "http://www.orcid.org/ns/summary",
        "summary_3.0/summary-3.0.xsd",
    ),
    (
        "http://www.orcid.org/ns/group-id",
        "group-id-3.0/group-id-3.0.xsd",
    ),
    (
        "http://www.orcid.org/ns/notification",
        "notification_3.0/notification-permission-3.0.xsd",
    ),
    (
        "http://www.orcid.org/ns/client",
        "client_3.0/client-3.0.xsd",
    ),
];

/// One API version's set of entry schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaSet {
    /// ORCID API v2.1 ([`V2_1_ENTRY_SCHEMAS`]).
    V2_1,
    /// ORCID API v3.0 ([`V3_0_ENTRY_SCHEMAS`]).
    V3_0,
}

impl SchemaSet {
    /// Both sets, oldest first.
    pub const ALL: [SchemaSet; 2] = [SchemaSet::V2_1, SchemaSet::V3_0];

    /// The entry schemas of this set: (target namespace, path in the cache).
    pub fn entries(self) -> &'static [(&'static str, &'static str)] {
        match self {
            SchemaSet::V2_1 => V2_1_ENTRY_SCHEMAS,
            SchemaSet::V3_0 => V3_0_ENTRY_SCHEMAS,
        }
    }

    /// The version as ORCID spells it in paths (`2.1`, `3.0`).
    pub fn version(self) -> &'static str {
        match self {
            SchemaSet::V2_1 => "2.1",
            SchemaSet::V3_0 => "3.0",
        }
    }
}

/// A schema that imports every v2.1 entry schema (absolute locations under
/// `cache_dir`), so one `xmllint --schema` run can validate any root
/// element. Fails when an entry schema is missing (run the sync first).
pub fn wrapper_xsd(cache_dir: &std::path::Path) -> std::io::Result<String> {
    wrapper_xsd_for(SchemaSet::V2_1, cache_dir)
}

/// [`wrapper_xsd`] for any [`SchemaSet`].
pub fn wrapper_xsd_for(set: SchemaSet, cache_dir: &std::path::Path) -> std::io::Result<String> {
    let mut xsd = String::from(
        "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
         targetNamespace=\"urn:orcid-toolkit:wrapper\">\n",
    );
    for (ns, rel) in set.entries() {
        let loc = std::fs::canonicalize(cache_dir.join(rel)).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "{}: {e} (run `cargo xtask sync-schemas`)",
                    cache_dir.join(rel).display()
                ),
            )
        })?;
        xsd.push_str(&format!(
            "  <xs:import namespace=\"{ns}\" schemaLocation=\"{}\"/>\n",
            loc.display()
        ));
    }
    xsd.push_str("</xs:schema>\n");
    Ok(xsd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_rules() {
        assert!(is_covered("xml.xsd"));
        assert!(is_covered("record_2.1/work-2.1.xsd"));
        assert!(is_covered("record_2.1/samples/read_samples/work-2.1.xml"));
        assert!(is_covered(
            "record_2.1/samples/write_sample/bulk-work-2.1.json"
        ));
        assert!(!is_covered("record_2.1/README.md"));
        assert!(is_covered("record_3.0/work-3.0.xsd"));
        assert!(!is_covered("record_3.0/README.md"));
        assert!(!is_covered("record_4.0/work-4.0.xsd"));
        assert!(!is_covered("other.xsd"));
        assert!(!is_covered("record_2.1/.xsd"));
        assert!(!is_covered("record_2.1/image.png"));
    }
}
