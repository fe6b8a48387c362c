//! Moving the pin to a new commit, with a human-readable schema diff.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{SyncError, UpdateError};
use crate::lock::{short_commit, validate_commit, validate_rel_path, Lock, LockedFile};
use crate::source::{list_dir, Fetcher, Source};
use crate::sync::{has_hash, remove_if_present, target_path, write_atomic, SyncReport};
use crate::xsd::{summarize_xsd, XsdChanges, XsdSummary};
use crate::{is_covered, sha256_hex, DEFAULT_FOLDER, DEFAULT_REPOSITORY};

/// What [`update`] needs to know.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The new commit (full 40-digit hex SHA).
    pub commit: String,
    /// Where the new commit's files are read from. With [`Source::Dir`] the
    /// directory is a mirror of the new commit's folder and is listed
    /// directly; with [`Source::Https`] the file list comes from the GitHub
    /// tree API at [`UpdateOptions::api_url`].
    pub source: Source,
    /// Repository-scoped GitHub API base, e.g. [`crate::DEFAULT_API_URL`];
    /// the listing is `{api_url}/git/trees/{commit}?recursive=1`.
    pub api_url: String,
    /// Where the previously pinned files can be found for the content diff
    /// when they are not already in `dest` (optional; hashes are checked, and
    /// a file that cannot be found only loses its detailed diff).
    pub previous: Option<Source>,
    /// Cache directory synced to the new lock.
    pub dest: PathBuf,
}

/// Result of [`update`].
#[derive(Debug, Clone)]
pub struct Update {
    /// The new lock (not yet saved: see [`Lock::save`]).
    pub lock: Lock,
    /// What changed since the previous lock.
    pub diff: SchemaDiff,
    /// How `dest` was brought in line with the new lock.
    pub sync: SyncReport,
}

/// How a file differs between two locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only in the new lock.
    Added,
    /// Only in the old lock.
    Removed,
    /// In both, with different hashes.
    Changed,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        })
    }
}

/// One added, removed or changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the lock folder.
    pub path: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// For an XSD: the element and enumeration changes, when both sides could be read.
    pub xsd: Option<XsdChanges>,
    /// For an XSD without [`FileChange::xsd`]: why the detail is missing.
    pub note: Option<String>,
}

/// The difference between two locks, with XSD-level detail. Its `Display`
/// is the human report printed by `cargo xtask sync-schemas --update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDiff {
    /// Repository of the new lock.
    pub repository: String,
    /// The previously pinned commit (`None` when there was no lock).
    pub old_commit: Option<String>,
    /// The newly pinned commit.
    pub new_commit: String,
    /// Added, removed and changed files, sorted by path.
    pub files: Vec<FileChange>,
    /// Number of files with the same hash in both locks.
    pub unchanged: usize,
}

impl SchemaDiff {
    /// Paths of the files of a given kind.
    pub fn paths(&self, kind: ChangeKind) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.path.as_str())
            .collect()
    }

    /// The change of one file, if it changed.
    pub fn file(&self, path: &str) -> Option<&FileChange> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Whether no file changed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let new = short_commit(&self.new_commit);
        let Some(old) = &self.old_commit else {
            return writeln!(
                f,
                "{}: new lock at {new} with {} files (no previous lock to compare with)",
                self.repository,
                self.files.len() + self.unchanged
            );
        };
        let old = short_commit(old);
        let count = |k| self.files.iter().filter(|c| c.kind == k).count();
        if self.files.is_empty() {
            return writeln!(
                f,
                "{} {old} -> {new}: no file changed ({} files)",
                self.repository, self.unchanged
            );
        }
        writeln!(
            f,
            "{} {old} -> {new}: {} added, {} removed, {} changed, {} unchanged",
            self.repository,
            count(ChangeKind::Added),
            count(ChangeKind::Removed),
            count(ChangeKind::Changed),
            self.unchanged
        )?;
        for c in &self.files {
            writeln!(f, "  {:<8} {}", c.kind, c.path)?;
        }
        for c in &self.files {
            match (&c.xsd, &c.note) {
                (Some(x), _) => {
                    writeln!(f, "\n{} ({}):", c.path, c.kind)?;
                    if x.is_empty() {
                        writeln!(f, "  no element or enumeration change")?;
                    }
                    for e in &x.elements_added {
                        writeln!(f, "  + element {e}")?;
                    }
                    for e in &x.elements_removed {
                        writeln!(f, "  - element {e}")?;
                    }
                    write_enums(f, '+', &x.enumerations_added)?;
                    write_enums(f, '-', &x.enumerations_removed)?;
                }
                (None, Some(note)) => writeln!(f, "\n{} ({}): {note}", c.path, c.kind)?,
                (None, None) => {}
            }
        }
        Ok(())
    }
}

fn write_enums(
    f: &mut fmt::Formatter<'_>,
    sign: char,
    groups: &BTreeMap<String, Vec<String>>,
) -> fmt::Result {
    for (group, values) in groups {
        writeln!(f, "  {sign} enumeration {group}: {}", values.join(", "))?;
    }
    Ok(())
}

/// Moves the pin to `options.commit`.
///
/// Lists and reads the covered files of the new commit from
/// `options.source`, builds the new lock (same repository and folder as
/// `old`, or the defaults), compares it with `old` (reading the previous
/// XSDs from `options.dest` or `options.previous` for the element and
/// enumeration diff), then writes the new files into `options.dest` and
/// removes the ones that left the lock. The lock itself is returned, not
/// saved.
pub fn update(old: Option<&Lock>, options: &UpdateOptions) -> Result<Update, UpdateError> {
    validate_commit(&options.commit)?;
    let repository = old.map_or(DEFAULT_REPOSITORY, |l| l.repository.as_str());
    let folder = old.map_or(DEFAULT_FOLDER, |l| l.folder.as_str());

    let mut fetcher = Fetcher::new(&options.source);
    fetcher.check()?;
    let (paths, listed_from) = match &options.source {
        Source::Dir(dir) => {
            let paths = list_dir(dir).map_err(|e| UpdateError::Listing {
                what: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            (paths, dir.display().to_string())
        }
        Source::Https { .. } => list_tree(&mut fetcher, &options.api_url, &options.commit, folder)?,
    };
    if paths.is_empty() {
        return Err(UpdateError::NoFiles { what: listed_from });
    }

    let mut contents = BTreeMap::new();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        validate_rel_path(&path).map_err(|reason| SyncError::InvalidPath {
            path: path.clone(),
            reason,
        })?;
        let (bytes, _) = fetcher.fetch(&options.commit, folder, &path)?;
        files.push(LockedFile {
            sha256: sha256_hex(&bytes),
            path: path.clone(),
        });
        contents.insert(path, bytes);
    }
    let lock = Lock {
        repository: repository.to_owned(),
        commit: options.commit.clone(),
        folder: folder.to_owned(),
        files,
    }
    .normalized()?;

    let diff = diff_locks(old, &lock, &contents, options);

    // Bring dest in line with the new lock.
    let mut written = 0;
    for file in &lock.files {
        let target = target_path(&options.dest, &file.path)?;
        if has_hash(&target, &file.sha256)? {
            continue;
        }
        let bytes = contents.get(&file.path).map_or(&[][..], Vec::as_slice);
        write_atomic(&target, bytes)?;
        written += 1;
    }
    let mut removed = 0;
    for change in diff.files.iter().filter(|c| c.kind == ChangeKind::Removed) {
        if remove_if_present(&target_path(&options.dest, &change.path)?)? {
            removed += 1;
        }
    }
    let sync = SyncReport {
        commit: lock.commit.clone(),
        verified: lock.files.len(),
        fetched: written,
        removed,
        source: options.source.to_string(),
        dest: options.dest.clone(),
    };
    Ok(Update { lock, diff, sync })
}

#[derive(Deserialize)]
struct Tree {
    tree: Vec<TreeEntry>,
    #[serde(default)]
    truncated: bool,
}

#[derive(Deserialize)]
struct TreeEntry {
    path: String,
    #[serde(rename = "type")]
    kind: String,
}

/// Lists the covered files of `commit` with the GitHub tree API.
fn list_tree(
    fetcher: &mut Fetcher<'_>,
    api_url: &str,
    commit: &str,
    folder: &str,
) -> Result<(Vec<String>, String), UpdateError> {
    let url = format!(
        "{}/git/trees/{commit}?recursive=1",
        api_url.trim_end_matches('/')
    );
    let body = fetcher.get(
        &format!("tree of {commit}"),
        &url,
        Some("application/vnd.github+json"),
    )?;
    let tree: Tree = serde_json::from_slice(&body).map_err(|e| UpdateError::Listing {
        what: url.clone(),
        reason: format!("unexpected JSON: {e}"),
    })?;
    if tree.truncated {
        return Err(UpdateError::Listing {
            what: url,
            reason: "the API truncated the recursive tree".into(),
        });
    }
    let prefix = format!("{}/", folder.trim_matches('/'));
    let mut paths: Vec<String> = tree
        .tree
        .into_iter()
        .filter(|e| e.kind == "blob")
        .filter_map(|e| e.path.strip_prefix(&prefix).map(str::to_owned))
        .filter(|p| is_covered(p))
        .collect();
    paths.sort();
    paths.dedup();
    Ok((paths, url))
}

fn is_xsd(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".xsd")
}

fn diff_locks(
    old: Option<&Lock>,
    new: &Lock,
    contents: &BTreeMap<String, Vec<u8>>,
    options: &UpdateOptions,
) -> SchemaDiff {
    let mut diff = SchemaDiff {
        repository: new.repository.clone(),
        old_commit: old.map(|l| l.commit.clone()),
        new_commit: new.commit.clone(),
        files: Vec::new(),
        unchanged: 0,
    };
    let Some(old) = old else {
        diff.unchanged = new.files.len();
        return diff;
    };
    let mut previous = options.previous.as_ref().map(Fetcher::new);
    let mut old_summary = |file: &LockedFile| -> Result<XsdSummary, String> {
        let bytes = old_bytes(old, file, options, previous.as_mut())?;
        summarize_xsd(&bytes).map_err(|e| format!("previous version unreadable: {e}"))
    };
    let new_summary = |path: &str| -> Result<XsdSummary, String> {
        let bytes = contents.get(path).map_or(&[][..], Vec::as_slice);
        summarize_xsd(bytes).map_err(|e| format!("new version unreadable: {e}"))
    };

    let mut changes = Vec::new();
    for file in &new.files {
        match old.get(&file.path) {
            Some(o) if o.sha256 == file.sha256 => diff.unchanged += 1,
            Some(o) => {
                let detail = is_xsd(&file.path).then(|| {
                    let old_s = old_summary(o)?;
                    let new_s = new_summary(&file.path)?;
                    Ok(XsdChanges::between(&old_s, &new_s))
                });
                changes.push(change(&file.path, ChangeKind::Changed, detail));
            }
            None => {
                let detail = is_xsd(&file.path).then(|| {
                    let new_s = new_summary(&file.path)?;
                    Ok(XsdChanges::between(&XsdSummary::default(), &new_s))
                });
                changes.push(change(&file.path, ChangeKind::Added, detail));
            }
        }
    }
    for file in &old.files {
        if new.get(&file.path).is_none() {
            let detail = is_xsd(&file.path).then(|| {
                let old_s = old_summary(file)?;
                Ok(XsdChanges::between(&old_s, &XsdSummary::default()))
            });
            changes.push(change(&file.path, ChangeKind::Removed, detail));
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    diff.files = changes;
    diff
}

fn change(path: &str, kind: ChangeKind, detail: Option<Result<XsdChanges, String>>) -> FileChange {
    let (xsd, note) = match detail {
        None => (None, None),
        Some(Ok(x)) => (Some(x), None),
        Some(Err(note)) => (None, Some(note)),
    };
    FileChange {
        path: path.to_owned(),
        kind,
        xsd,
        note,
    }
}

/// The previously pinned bytes of `file`: from the cache, else from the
/// previous source; always hash-checked.
fn old_bytes(
    old: &Lock,
    file: &LockedFile,
    options: &UpdateOptions,
    previous: Option<&mut Fetcher<'_>>,
) -> Result<Vec<u8>, String> {
    if let Ok(target) = target_path(&options.dest, &file.path) {
        if let Ok(bytes) = std::fs::read(target) {
            if sha256_hex(&bytes) == file.sha256 {
                return Ok(bytes);
            }
        }
    }
    let unavailable = "previous version not available (not in the cache";
    let Some(fetcher) = previous else {
        return Err(format!("{unavailable}, no previous source given)"));
    };
    match fetcher.fetch(&old.commit, &old.folder, &file.path) {
        Ok((bytes, _)) if sha256_hex(&bytes) == file.sha256 => Ok(bytes),
        Ok((_, origin)) => Err(format!("{unavailable}; {origin} has other content)")),
        Err(e) => Err(format!("{unavailable}; {e})")),
    }
}
