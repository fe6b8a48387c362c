//! What can go wrong while reading a collection or starting the pool.

use std::io;
use std::path::{Path, PathBuf};

/// Why a collection could not be read, or the pool not started.
///
/// The messages name the file or directory, and read as the end of a
/// sentence that the caller begins (`orcid: cannot read …`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened.
    #[error("cannot read `{}`: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// An archive is not a readable tar (or gzip) stream.
    #[error("cannot read archive `{}`: {source}", path.display())]
    Archive {
        /// The archive file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A member of an archive could not be read to its end.
    #[error("cannot read `{member}` in archive `{}`: {source}", archive.display())]
    Member {
        /// The archive file.
        archive: PathBuf,
        /// The member's path inside the archive.
        member: String,
        /// Why.
        source: io::Error,
    },
    /// A directory could not be listed.
    #[error("cannot read directory `{}`: {source}", dir.display())]
    Directory {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The threads of the pool could not be started.
    #[error("cannot start {threads} threads: {source}")]
    Threads {
        /// How many threads were asked for.
        threads: usize,
        /// Why.
        source: rayon::ThreadPoolBuildError,
    },
}

impl Error {
    /// The file or directory the error is about: the file, the archive (of
    /// a member too) or the directory; `None` for the threads.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Open { path, .. } | Error::Archive { path, .. } => Some(path),
            Error::Member { archive, .. } => Some(archive),
            Error::Directory { dir, .. } => Some(dir),
            Error::Threads { .. } => None,
        }
    }
}
