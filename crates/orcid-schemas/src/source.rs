//! Where pinned files come from: a local mirror directory or HTTPS.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{BoxError, SyncError};
use crate::{is_covered, DEFAULT_BASE_URL};

/// Largest file accepted over HTTP (the biggest upstream XSD is well under 1 MiB).
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// Overall time limit of one HTTP request.
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Time limit to establish a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Deepest directory nesting walked in a mirror (guards against symlink loops).
const MAX_DEPTH: usize = 16;

/// Where the files of a commit are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A local mirror of the upstream folder (`src/main/resources`): the
    /// file `record_2.1/work-2.1.xsd` is read from `DIR/record_2.1/work-2.1.xsd`.
    Dir(PathBuf),
    /// Raw files over HTTP(S): `{base_url}/{commit}/{folder}/{path}`.
    ///
    /// `base_url` is repository-scoped, e.g. [`DEFAULT_BASE_URL`]
    /// (`https://raw.githubusercontent.com/ORCID/orcid-model`).
    Https {
        /// Base URL, without trailing slash.
        base_url: String,
    },
}

impl Source {
    /// The upstream GitHub raw-file source ([`DEFAULT_BASE_URL`]).
    pub fn github() -> Self {
        Source::Https {
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }

    /// URL of `path` at `commit` for an HTTPS source (`None` for a directory).
    pub fn file_url(&self, commit: &str, folder: &str, path: &str) -> Option<String> {
        match self {
            Source::Dir(_) => None,
            Source::Https { base_url } => Some(format!(
                "{}/{commit}/{}/{path}",
                base_url.trim_end_matches('/'),
                folder.trim_matches('/')
            )),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Dir(dir) => write!(f, "local mirror {}", dir.display()),
            Source::Https { base_url } => write!(f, "{base_url}"),
        }
    }
}

/// Reads files from a [`Source`], creating the HTTP agent only when needed.
pub(crate) struct Fetcher<'a> {
    source: &'a Source,
    agent: Option<ureq::Agent>,
}

impl<'a> Fetcher<'a> {
    pub(crate) fn new(source: &'a Source) -> Self {
        Fetcher {
            source,
            agent: None,
        }
    }

    /// Fails early if a directory source does not exist.
    pub(crate) fn check(&self) -> Result<(), SyncError> {
        match self.source {
            Source::Dir(dir) if !dir.is_dir() => Err(SyncError::MirrorMissing { dir: dir.clone() }),
            _ => Ok(()),
        }
    }

    /// Reads `path` at `commit`; returns the bytes and a description of where they came from.
    pub(crate) fn fetch(
        &mut self,
        commit: &str,
        folder: &str,
        path: &str,
    ) -> Result<(Vec<u8>, String), SyncError> {
        match self.source {
            Source::Dir(dir) => {
                let file = dir.join(path);
                match fs::read(&file) {
                    Ok(bytes) => Ok((bytes, file.display().to_string())),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        Err(SyncError::MissingInMirror {
                            path: path.to_owned(),
                            mirror: dir.clone(),
                            file,
                        })
                    }
                    Err(source) => Err(SyncError::ReadSource {
                        path: path.to_owned(),
                        file,
                        source,
                    }),
                }
            }
            Source::Https { .. } => {
                let url = self
                    .source
                    .file_url(commit, folder, path)
                    .unwrap_or_default();
                let bytes = self.get(path, &url, None)?;
                Ok((bytes, url))
            }
        }
    }

    /// GET `url` and return the body of a 200 answer.
    pub(crate) fn get(
        &mut self,
        what: &str,
        url: &str,
        accept: Option<&str>,
    ) -> Result<Vec<u8>, SyncError> {
        let agent = self.agent.get_or_insert_with(new_agent);
        http_get(agent, what, url, accept)
    }
}

fn new_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(HTTP_TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!(
            "orcid-schemas/",
            env!("CARGO_PKG_VERSION"),
            " (cargo xtask sync-schemas)"
        ))
        .build()
        .into()
}

fn http_get(
    agent: &ureq::Agent,
    what: &str,
    url: &str,
    accept: Option<&str>,
) -> Result<Vec<u8>, SyncError> {
    let transport = |source: BoxError| SyncError::Http {
        path: what.to_owned(),
        url: url.to_owned(),
        source,
    };
    let mut request = agent.get(url);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let mut response = request.call().map_err(|e| transport(Box::new(e)))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(SyncError::HttpStatus {
            path: what.to_owned(),
            url: url.to_owned(),
            status,
        });
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES)
        .read_to_vec()
        .map_err(|e| transport(Box::new(e)))
}

/// Lists the covered files (see [`crate::is_covered`]) of a mirror directory, as
/// sorted `/`-separated relative paths.
pub(crate) fn list_dir(dir: &Path) -> io::Result<Vec<String>> {
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "directory does not exist",
        ));
    }
    let mut out = Vec::new();
    walk(dir, "", 0, &mut out)?;
    out.retain(|p| is_covered(p));
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<String>) -> io::Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue; // not UTF-8: cannot be a covered upstream file
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        // Only descend where covered files can live.
        let meta = fs::metadata(entry.path())?;
        if meta.is_dir() {
            if depth > 0 || crate::COVERED_DIRS.contains(&name.as_str()) {
                walk(&entry.path(), &rel, depth + 1, out)?;
            }
        } else if meta.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}
