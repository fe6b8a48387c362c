//! A manifest naming, for each researcher, the folders or files of the
//! items to keep on their record.
//!
//! ```toml
//! # push.toml
//! [[researcher]]
//! orcid = "0000-0002-1825-0097"
//! items = ["josiah/"]        # folders (read recursively) or files
//!
//! [[researcher]]
//! orcid = "https://orcid.org/0000-0001-5109-3700"
//! items = ["ada/works", "ada/employment.xml"]
//! ```
//!
//! Relative paths are relative to the manifest's folder.

use std::path::{Path, PathBuf};

use orcid_model::scalar::OrcidId;
use serde::Deserialize;

/// One researcher of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The researcher's iD.
    pub orcid: OrcidId,
    /// Folders or files, resolved against the manifest's folder.
    pub items: Vec<PathBuf>,
}

/// Errors of reading a manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("cannot read the manifest {}: {source}", path.display())]
    Read {
        /// The manifest.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is not a manifest.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The manifest.
        path: PathBuf,
        /// What is wrong, with its place.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    researcher: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    orcid: String,
    items: Vec<PathBuf>,
}

/// Reads a manifest file.
pub fn read_manifest(path: &Path) -> Result<Vec<ManifestEntry>, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse_manifest(&text, base).map_err(|message| ManifestError::Invalid {
        path: path.to_path_buf(),
        message,
    })
}

/// Parses a manifest's text; relative paths are resolved against `base`.
pub fn parse_manifest(text: &str, base: &Path) -> Result<Vec<ManifestEntry>, String> {
    let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
    if raw.researcher.is_empty() {
        return Err("no [[researcher]] entries".into());
    }
    let mut out: Vec<ManifestEntry> = Vec::new();
    for (n, e) in raw.researcher.into_iter().enumerate() {
        let orcid = OrcidId::parse(&e.orcid).ok_or_else(|| {
            format!(
                "researcher #{}: `{}` is not an ORCID iD (dddd-dddd-dddd-dddX with a valid \
                 check digit)",
                n + 1,
                e.orcid
            )
        })?;
        if out.iter().any(|o| o.orcid == orcid) {
            return Err(format!(
                "researcher #{}: {} is listed twice; list all its folders in one entry",
                n + 1,
                orcid.0
            ));
        }
        if e.items.is_empty() {
            return Err(format!(
                "researcher #{} ({}): `items` is empty",
                n + 1,
                orcid.0
            ));
        }
        out.push(ManifestEntry {
            orcid,
            items: e.items.into_iter().map(|p| base.join(p)).collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves() {
        let m = parse_manifest(
            "[[researcher]]\norcid = \"https://orcid.org/0000-0002-1825-0097\"\nitems = [\"a\", \"/abs/b.xml\"]\n",
            Path::new("/base"),
        )
        .unwrap();
        assert_eq!(m[0].orcid.0, "0000-0002-1825-0097");
        assert_eq!(
            m[0].items,
            vec![PathBuf::from("/base/a"), PathBuf::from("/abs/b.xml")]
        );
    }

    #[test]
    fn rejects_bad_manifests() {
        let base = Path::new(".");
        assert!(parse_manifest("", base)
            .unwrap_err()
            .contains("no [[researcher]]"));
        assert!(parse_manifest(
            "[[researcher]]\norcid = \"0000-0002-1825-0098\"\nitems = [\"a\"]\n",
            base
        )
        .unwrap_err()
        .contains("not an ORCID iD"));
        assert!(parse_manifest(
            "[[researcher]]\norcid = \"0000-0002-1825-0097\"\nitems = [\"a\"]\nextra = 1\n",
            base
        )
        .unwrap_err()
        .contains("extra"));
        let twice = "[[researcher]]\norcid = \"0000-0002-1825-0097\"\nitems = [\"a\"]\n".repeat(2);
        assert!(parse_manifest(&twice, base).unwrap_err().contains("twice"));
    }
}
