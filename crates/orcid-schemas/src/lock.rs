//! The lock file: which upstream commit is pinned and the SHA-256 of every file.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::LockError;
use crate::{sha256_hex, DEFAULT_FOLDER, DEFAULT_REPOSITORY};

/// Comment written at the top of every lock file.
pub const LOCK_HEADER: &str = "\
# Managed by `cargo xtask sync-schemas`: do not edit by hand.
# Pins the ORCID API v2.1 schema files of ORCID/orcid-model to one commit.
# Sync the cache:  cargo xtask sync-schemas
# Move the pin:    cargo xtask sync-schemas --update --commit <SHA> [--from <DIR>]
";

/// The parsed contents of `schemas/orcid-model.lock`.
///
/// Files are kept sorted by path and unique; every path is a relative,
/// `/`-separated path below [`Lock::folder`] with no `.`/`..` components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// GitHub repository, `owner/name` (normally `ORCID/orcid-model`).
    pub repository: String,
    /// Full 40-hex-digit commit the files are pinned to.
    pub commit: String,
    /// Folder of the repository the paths are relative to.
    pub folder: String,
    /// The pinned files, sorted by path.
    #[serde(rename = "file", default)]
    pub files: Vec<LockedFile>,
}

/// One pinned file of the lock.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedFile {
    /// Path relative to the lock's folder, `/`-separated (e.g. `record_2.1/work-2.1.xsd`).
    pub path: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl Lock {
    /// Creates a lock for `commit` of the default repository and folder.
    ///
    /// The files are sorted and checked like a parsed lock.
    pub fn new(commit: &str, files: Vec<LockedFile>) -> Result<Self, LockError> {
        Self {
            repository: DEFAULT_REPOSITORY.to_owned(),
            commit: commit.to_owned(),
            folder: DEFAULT_FOLDER.to_owned(),
            files,
        }
        .normalized()
    }

    /// Parses a lock from TOML text and validates it.
    pub fn parse(text: &str) -> Result<Self, LockError> {
        let lock: Lock =
            toml::from_str(text).map_err(|e| LockError::Toml(e.message().to_owned()))?;
        lock.normalized()
    }

    /// Reads and parses the lock file at `path`.
    pub fn load(path: &Path) -> Result<Self, LockError> {
        let text = fs::read_to_string(path).map_err(|source| LockError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text).map_err(|e| LockError::InFile {
            path: path.to_path_buf(),
            source: Box::new(e),
        })
    }

    /// Renders the lock as TOML, header comment included.
    pub fn to_toml_string(&self) -> Result<String, LockError> {
        let lock = self.clone().normalized()?;
        let body = toml::to_string(&lock).map_err(|e| LockError::Toml(e.to_string()))?;
        Ok(format!("{LOCK_HEADER}\n{body}"))
    }

    /// Writes the lock to `path` atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), LockError> {
        let text = self.to_toml_string()?;
        let write_err = |source| LockError::Write {
            path: path.to_path_buf(),
            source,
        };
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(write_err)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&parent).map_err(write_err)?;
        tmp.write_all(text.as_bytes()).map_err(write_err)?;
        tmp.as_file().sync_all().map_err(write_err)?;
        tmp.persist(path).map_err(|e| write_err(e.error))?;
        Ok(())
    }

    /// Builds a lock by hashing every covered file (see [`is_covered`](crate::is_covered)) of a
    /// local checkout of the upstream folder (a mirror of `src/main/resources`).
    pub fn from_dir(dir: &Path, commit: &str) -> Result<Self, LockError> {
        let paths = crate::source::list_dir(dir).map_err(|source| LockError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let full = dir.join(&path);
            let bytes = fs::read(&full).map_err(|source| LockError::Read { path: full, source })?;
            files.push(LockedFile {
                sha256: sha256_hex(&bytes),
                path,
            });
        }
        Self::new(commit, files)
    }

    /// Looks up a pinned file by path.
    pub fn get(&self, path: &str) -> Option<&LockedFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// The first 7 digits of the commit, for messages.
    pub fn short_commit(&self) -> &str {
        short_commit(&self.commit)
    }

    /// Validates every field and sorts the files by path.
    pub(crate) fn normalized(mut self) -> Result<Self, LockError> {
        let repo_ok = {
            let mut parts = self.repository.split('/');
            matches!((parts.next(), parts.next(), parts.next()),
                (Some(o), Some(n), None) if !o.is_empty() && !n.is_empty())
        };
        if !repo_ok {
            return Err(LockError::Invalid(format!(
                "repository {:?} is not of the form owner/name",
                self.repository
            )));
        }
        validate_commit(&self.commit)?;
        if self.folder.is_empty() || validate_rel_path(&self.folder).is_err() {
            return Err(LockError::Invalid(format!(
                "folder {:?} is not a relative path",
                self.folder
            )));
        }
        for f in &self.files {
            validate_rel_path(&f.path)
                .map_err(|reason| LockError::Invalid(format!("path {:?}: {reason}", f.path)))?;
            if !is_sha256_hex(&f.sha256) {
                return Err(LockError::Invalid(format!(
                    "{}: sha256 {:?} is not 64 lowercase hex digits",
                    f.path, f.sha256
                )));
            }
        }
        self.files.sort();
        let mut seen = BTreeSet::new();
        for f in &self.files {
            if !seen.insert(f.path.as_str()) {
                return Err(LockError::Invalid(format!("duplicate path {:?}", f.path)));
            }
        }
        Ok(self)
    }
}

impl fmt::Display for Lock {
    /// `ORCID/orcid-model@0f61fa6 (84 files)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}@{} ({} files)",
            self.repository,
            self.short_commit(),
            self.files.len()
        )
    }
}

/// Checks that `commit` is a full 40-digit lowercase hex SHA-1.
pub fn validate_commit(commit: &str) -> Result<(), LockError> {
    if commit.len() == 40
        && commit
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(LockError::Invalid(format!(
            "commit {commit:?} is not a full 40-digit lowercase hex SHA"
        )))
    }
}

/// The first 7 characters of a commit id.
pub(crate) fn short_commit(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks that a lock path is relative, `/`-separated and cannot escape its
/// base directory.
pub(crate) fn validate_rel_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty path".into());
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err("must be a relative path with `/` separators".into());
    }
    if path.bytes().any(|b| b.is_ascii_control()) {
        return Err("contains control characters".into());
    }
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err("must not contain empty, `.` or `..` components".into());
        }
    }
    Ok(())
}
