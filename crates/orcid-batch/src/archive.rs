//! Tar archives of documents (`.tar`, `.tar.gz`, `.tgz`), read as a stream
//! and never extracted.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::walk::has_document_extension;
use crate::Error;

/// An archive format, told by the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// `.tar`
    Tar,
    /// `.tar.gz` or `.tgz`
    TarGz,
}

impl ArchiveKind {
    /// The archive format of `path`, if its name says it is one (in any
    /// case).
    pub fn of(path: &Path) -> Option<ArchiveKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else if name.ends_with(".tar") {
            Some(ArchiveKind::Tar)
        } else {
            None
        }
    }
}

/// A document read from an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Its path inside the archive, as the archive spells it: it may be
    /// absolute or climb out with `..` (see [`Member::relative`]).
    pub path: String,
    /// Its bytes (empty when it is [`Member::too_large`]).
    pub bytes: Vec<u8>,
    /// Its size, when it is over the walk's `max_member` and was not read.
    pub too_large: Option<u64>,
}

impl Member {
    /// Its path as one that stays inside a directory it would be written
    /// to, if it has one (see [`safe_relative`]).
    pub fn relative(&self) -> Option<PathBuf> {
        safe_relative(&self.path)
    }
}

/// A member path as a relative path that stays inside a directory: `.`
/// steps are dropped; `None` for an absolute path, one with `..`, or an
/// empty one.
pub fn safe_relative(member: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in Path::new(member).components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// A reader that counts the bytes read through it.
struct Counting<'a, R> {
    inner: R,
    count: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the `.xml` and `.json` members of the archive at `path`, in
/// archive order, and hands each to `each`, which returns `false` to stop.
/// Other members (directories, links, other files) are skipped.
///
/// A member larger than `max_member` bytes is not read: it is handed out
/// with [`Member::too_large`] set and no bytes, and the walk goes on (its
/// size is that of the tar header, and the reader stops there).
///
/// `read` counts the bytes taken from the archive file as the walk goes
/// (compressed bytes for `.tar.gz`), for a progress bar; it may be read
/// from another thread meanwhile. An error (a file that cannot be opened, a corrupt
/// archive, a member that cannot be read) ends the walk; the members before
/// it have been handed out.
pub fn for_each_member(
    path: &Path,
    kind: ArchiveKind,
    read: &AtomicU64,
    max_member: u64,
    mut each: impl FnMut(Member) -> bool,
) -> Result<(), Error> {
    let file = File::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let counted = Counting {
        inner: BufReader::with_capacity(256 * 1024, file),
        count: read,
    };
    let src: Box<dyn Read + '_> = match kind {
        ArchiveKind::Tar => Box::new(counted),
        ArchiveKind::TarGz => Box::new(flate2::read::MultiGzDecoder::new(counted)),
    };
    let corrupt = |source| Error::Archive {
        path: path.to_path_buf(),
        source,
    };
    let mut archive = tar::Archive::new(src);
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map_err(corrupt)?
            .to_string_lossy()
            .into_owned();
        if !has_document_extension(Path::new(&name)) {
            continue;
        }
        if entry.size() > max_member {
            let member = Member {
                path: name,
                bytes: Vec::new(),
                too_large: Some(entry.size()),
            };
            if !each(member) {
                break;
            }
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size().min(1 << 26) as usize);
        if let Err(source) = entry.read_to_end(&mut bytes) {
            return Err(Error::Member {
                archive: path.to_path_buf(),
                member: name,
                source,
            });
        }
        let member = Member {
            path: name,
            bytes,
            too_large: None,
        };
        if !each(member) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar with `members` (path, bytes) as regular files, plus a
    /// directory entry. Paths are written into the header as they are, so
    /// that unsafe ones can be tested.
    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        let mut dir = tar::Header::new_gnu();
        dir.set_entry_type(tar::EntryType::Directory);
        dir.set_path("works/").unwrap();
        dir.set_size(0);
        dir.set_cksum();
        builder.append(&dir, io::empty()).unwrap();
        for (path, bytes) in members {
            let mut header = tar::Header::new_gnu();
            header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_entry_type(tar::EntryType::Regular);
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append(&header, *bytes).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    fn members_of(path: &Path, kind: ArchiveKind) -> (Result<Vec<Member>, Error>, u64) {
        let read = AtomicU64::new(0);
        let mut members = Vec::new();
        let result = for_each_member(path, kind, &read, u64::MAX, |m| {
            members.push(m);
            true
        });
        (result.map(|()| members), read.into_inner())
    }

    #[test]
    fn a_member_over_the_limit_is_named_not_read_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tar");
        let big = vec![b' '; 5000];
        std::fs::write(&path, tar_of(&[("big.xml", &big), ("small.xml", b"<a/>")])).unwrap();
        let mut seen = Vec::new();
        for_each_member(&path, ArchiveKind::Tar, &AtomicU64::new(0), 4096, |m| {
            seen.push((m.path, m.bytes.len(), m.too_large));
            true
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                ("big.xml".to_string(), 0, Some(5000)),
                ("small.xml".to_string(), 4, None)
            ]
        );
    }

    const MEMBERS: &[(&str, &[u8])] = &[
        ("works/b.xml", b"<b/>"),
        ("works/notes.txt", b"not a document"),
        ("works/a.JSON", b"{}"),
    ];

    #[test]
    fn documents_come_in_archive_order() {
        let dir = tempfile::tempdir().unwrap();
        let tar = tar_of(MEMBERS);
        for (name, bytes, kind) in [
            ("works.tar", tar.clone(), ArchiveKind::Tar),
            ("works.tgz", gzip(&tar), ArchiveKind::TarGz),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(ArchiveKind::of(&path), Some(kind));
            let (members, read) = members_of(&path, kind);
            let members = members.unwrap();
            let got: Vec<(&str, &[u8])> = members
                .iter()
                .map(|m| (m.path.as_str(), m.bytes.as_slice()))
                .collect();
            assert_eq!(got, [MEMBERS[0], MEMBERS[2]], "{name}");
            // Up to the end-of-archive block, at most the whole file.
            assert!(
                read > 0 && read <= bytes.len() as u64,
                "{name}: {read} read"
            );
        }
    }

    #[test]
    fn the_walk_stops_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("works.tar");
        std::fs::write(&path, tar_of(MEMBERS)).unwrap();
        let mut seen = 0;
        for_each_member(
            &path,
            ArchiveKind::Tar,
            &AtomicU64::new(0),
            u64::MAX,
            |_| {
                seen += 1;
                false
            },
        )
        .unwrap();
        assert_eq!(seen, 1);
    }

    #[test]
    fn unsafe_member_paths_have_no_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("evil.tar");
        std::fs::write(
            &path,
            tar_of(&[
                ("../up.xml", b"<a/>"),
                ("/etc/abs.xml", b"<b/>"),
                ("./works/../../c.xml", b"<c/>"),
                ("./works/ok.xml", b"<d/>"),
            ]),
        )
        .unwrap();
        let members = members_of(&path, ArchiveKind::Tar).0.unwrap();
        let relative: Vec<Option<PathBuf>> = members.iter().map(Member::relative).collect();
        assert_eq!(
            relative,
            [None, None, None, Some(Path::new("works").join("ok.xml"))]
        );
    }

    #[test]
    fn safe_relative_paths() {
        assert_eq!(
            safe_relative("./a/b.xml"),
            Some(PathBuf::from("a").join("b.xml"))
        );
        assert_eq!(safe_relative("/etc/passwd"), None);
        assert_eq!(safe_relative("a/../../b.xml"), None);
        assert_eq!(safe_relative("a/../b.xml"), None);
        assert_eq!(safe_relative("."), None);
        assert_eq!(safe_relative(""), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(
            ArchiveKind::of(Path::new("x.TAR.GZ")),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(
            ArchiveKind::of(Path::new("x.tgz")),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(ArchiveKind::of(Path::new("x.tar")), Some(ArchiveKind::Tar));
        assert_eq!(ArchiveKind::of(Path::new("x.xml")), None);
    }

    #[test]
    fn unreadable_archives_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.tar");
        let (result, _) = members_of(&missing, ArchiveKind::Tar);
        assert!(matches!(result, Err(Error::Open { .. })));

        // A gzip header and then garbage.
        let broken = dir.path().join("broken.tar.gz");
        let mut bytes = gzip(&tar_of(MEMBERS));
        bytes.truncate(20);
        bytes.extend_from_slice(&[0xff; 64]);
        std::fs::write(&broken, bytes).unwrap();
        let (result, _) = members_of(&broken, ArchiveKind::TarGz);
        let message = result.unwrap_err().to_string();
        assert!(
            message.starts_with("cannot read ") && message.contains("broken.tar.gz"),
            "{message}"
        );
    }
}
