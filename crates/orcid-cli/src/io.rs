//! Reading inputs and writing outputs (atomically, or spilling to a
//! temporary file when they grow).
//!
//! A document read whole is bounded: at most `--max-input-size` bytes
//! ([`DEFAULT_MAX_INPUT_SIZE`] unless given), and refused as soon as its
//! first byte that is not blank (after a byte order mark) cannot start XML
//! (`<`) or JSON (`{`, `[`), so that `orcid convert < /dev/zero` stops after
//! a few bytes. An output is never one of the inputs ([`Inputs`]).

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tempfile::NamedTempFile;

use crate::error::CliError;

/// Display name of standard input in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Default of `--max-input-size`, the largest document read whole (and the
/// largest work of a streamed bulk): 256 MiB. ORCID's own API takes far
/// smaller messages, and reading a document whole takes several times its
/// size in memory (a 1 GB text node took 4-5 GB).
pub const DEFAULT_MAX_INPUT_SIZE: Size = Size(256 << 20);

/// The flag that sets the limit, as messages name it.
pub const MAX_INPUT_SIZE_FLAG: &str = "--max-input-size";

/// Bytes read at a time while the start of an input is not yet known.
const SNIFF_CHUNK: u64 = 64 * 1024;

/// What a bulk reader may read beyond a work before it hands the work out:
/// the prologue it looks through for the root (at most 1 MiB) and a chunk
/// of read-ahead (256 KiB), with room to spare.
const READ_AHEAD: u64 = 2 << 20;

/// A number of bytes, as `--max-input-size` takes it: `1048576`, `64KiB`,
/// `256MiB`, `1GiB` (`K`, `M`, `G` alike; binary multiples).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub u64);

impl FromStr for Size {
    type Err = String;

    fn from_str(text: &str) -> Result<Size, String> {
        let t = text.trim();
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (number, unit) = t.split_at(digits);
        let shift = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" | "bytes" => 0,
            "k" | "kib" => 10,
            "m" | "mib" => 20,
            "g" | "gib" => 30,
            _ => {
                return Err(format!(
                    "`{text}` is not a size: say e.g. 1048576, 64KiB, 256MiB or 1GiB"
                ))
            }
        };
        let n: u64 = number.parse().map_err(|_| {
            format!("`{text}` is not a size: say e.g. 1048576, 64KiB, 256MiB or 1GiB")
        })?;
        match n.checked_mul(1 << shift) {
            Some(0) => Err("the size must be at least 1 byte".into()),
            Some(bytes) => Ok(Size(bytes)),
            None => Err(format!("`{text}` is too large")),
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
            if self.0 >= 1 << shift && self.0.is_multiple_of(1 << shift) {
                return write!(f, "{}{unit}", self.0 >> shift);
            }
        }
        write!(f, "{} bytes", self.0)
    }
}

/// Why an input is not read.
#[derive(Debug)]
pub enum Refused {
    /// It is longer than the limit.
    TooLarge(Size),
    /// Its first byte that is not blank cannot start XML or JSON.
    NotADocument,
    /// It could not be read.
    Io(io::Error),
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Refused {
        Refused::Io(e)
    }
}

impl Refused {
    /// The error of the input called `name` (exit 2 for the limit and I/O,
    /// exit 1 for what is not a document).
    pub fn into_error(self, name: &str) -> CliError {
        match self {
            Refused::TooLarge(limit) => CliError::Io(format!("orcid: {}", too_large(name, limit))),
            Refused::NotADocument => CliError::Invalid(crate::diag::describe(
                name,
                &orcid_model::Error::UnknownFormat,
            )),
            Refused::Io(e) => CliError::Io(format!("orcid: cannot read `{name}`: {e}")),
        }
    }
}

/// Why an input (or a work of a bulk, or a member of an archive) over the
/// limit is refused (without the `orcid: ` of a message).
pub fn too_large(name: &str, limit: Size) -> String {
    format!(
        "`{name}` is larger than the input limit of {limit}: raise it with \
         `{MAX_INPUT_SIZE_FLAG} SIZE` (e.g. `{MAX_INPUT_SIZE_FLAG} 1GiB`)"
    )
}

/// Where the first byte that is not blank is in `bytes[from..]`, after a
/// byte order mark at the very start: `Ok(true)` when it can start a
/// document, `Ok(false)` when every byte so far is blank.
fn starts_a_document(bytes: &[u8], from: usize) -> Result<bool, Refused> {
    let skip = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let from = from.max(skip);
    // A byte order mark cut by a read is not yet known to be one.
    if bytes.len() < 3 && b"\xEF\xBB\xBF".starts_with(bytes) && !bytes.is_empty() {
        return Ok(false);
    }
    match bytes
        .get(from..)
        .unwrap_or_default()
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        None => Ok(false),
        Some(b'<' | b'{' | b'[') => Ok(true),
        Some(_) => Err(Refused::NotADocument),
    }
}

/// Reads a document whole: `head` (already read) and the rest of `rest`,
/// refused as soon as it is longer than `limit` or starts with a byte that
/// cannot start XML or JSON.
pub fn read_whole<R: Read>(
    mut head: Vec<u8>,
    mut rest: R,
    limit: Size,
) -> Result<Vec<u8>, Refused> {
    let mut known = false;
    let mut scanned = 0;
    loop {
        if !known {
            known = starts_a_document(&head, scanned)?;
            scanned = head.len();
        }
        if head.len() as u64 > limit.0 {
            return Err(Refused::TooLarge(limit));
        }
        let room = limit.0 + 1 - head.len() as u64;
        let want = if known { room } else { room.min(SNIFF_CHUNK) };
        let got = (&mut rest).take(want).read_to_end(&mut head)?;
        if (got as u64) < want {
            if !known {
                starts_a_document(&head, scanned)?;
            }
            return Ok(head);
        }
    }
}

/// Reads all of standard input as UTF-8 text (at most `limit` bytes).
pub fn read_stdin(limit: Size) -> Result<String, CliError> {
    let bytes =
        read_whole(Vec::new(), io::stdin().lock(), limit).map_err(|e| e.into_error(STDIN_NAME))?;
    into_text(STDIN_NAME, bytes)
}

/// Reads a file as UTF-8 text (at most `limit` bytes).
pub fn read_file(path: &Path, limit: Size) -> Result<String, CliError> {
    let name = path.display().to_string();
    let refused = |e: Refused| e.into_error(&name);
    let file = File::open(path).map_err(|e| refused(e.into()))?;
    // A file known to be too large is not read at all.
    if file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() > limit.0)
    {
        return Err(refused(Refused::TooLarge(limit)));
    }
    let bytes = read_whole(Vec::new(), io::BufReader::new(file), limit).map_err(refused)?;
    into_text(&name, bytes)
}

/// A reader that fails once more than `limit` bytes (and the bulk reader's
/// read-ahead, [`READ_AHEAD`]) have been read since the last
/// [`Budget::renew`]: a bulk is streamed work by work, whatever its size,
/// but each work is read whole and must stay under the limit.
pub struct Bounded<R> {
    inner: R,
    budget: Budget,
}

/// The bytes a [`Bounded`] reader has read since the last work.
#[derive(Clone)]
pub struct Budget {
    used: Arc<AtomicU64>,
    limit: Size,
}

impl Budget {
    /// A budget of `limit` bytes per work.
    pub fn new(limit: Size) -> Budget {
        Budget {
            used: Arc::new(AtomicU64::new(0)),
            limit,
        }
    }

    /// A work was taken: the next one starts afresh.
    pub fn renew(&self) {
        self.used.store(0, Ordering::Relaxed);
    }

    /// `inner`, counted against this budget.
    pub fn wrap<R: Read>(&self, inner: R) -> Bounded<R> {
        Bounded {
            inner,
            budget: self.clone(),
        }
    }
}

/// The error a [`Bounded`] reader gives past its limit: its message names
/// the limit and the flag.
#[derive(Debug)]
pub struct WorkTooLarge(pub Size);

impl fmt::Display for WorkTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a work of the bulk is larger than the input limit of {}: raise it with \
             `{MAX_INPUT_SIZE_FLAG} SIZE` (e.g. `{MAX_INPUT_SIZE_FLAG} 1GiB`)",
            self.0
        )
    }
}

impl std::error::Error for WorkTooLarge {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let used = self.budget.used.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if used > self.budget.limit.0.saturating_add(READ_AHEAD) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                WorkTooLarge(self.budget.limit),
            ));
        }
        Ok(n)
    }
}

/// Which file a path names, whatever the path: the device and inode on
/// Unix (a symlink, `./x` and a hard link are all the file they lead to),
/// the canonical path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(
    #[cfg(unix)] (u64, u64),
    #[cfg(not(unix))] std::path::PathBuf,
);

impl FileId {
    /// The file `path` leads to, if it exists.
    pub fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = fs::metadata(path).ok()?;
            Some(FileId((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            fs::canonicalize(path).ok().map(FileId)
        }
    }

    /// The file standard input reads, when it is a regular file (`< FILE`).
    pub fn of_stdin() -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            use std::os::unix::fs::MetadataExt;
            let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
            let m = File::from(fd).metadata().ok()?;
            m.is_file().then(|| FileId((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

/// The files a command reads, so that no output replaces one of them
/// (whatever path names it), in every output mode.
#[derive(Debug, Default)]
pub struct Inputs(Vec<(FileId, String)>);

impl Inputs {
    /// Notes the input `path` (nothing if it does not exist).
    pub fn add(&mut self, path: &Path) {
        if let Some(id) = FileId::of(path) {
            self.0.push((id, path.display().to_string()));
        }
    }

    /// Notes standard input, when it reads a file.
    pub fn add_stdin(&mut self) {
        if let Some(id) = FileId::of_stdin() {
            self.0.push((id, STDIN_NAME.to_string()));
        }
    }

    /// Refuses (exit 2) an output that is one of the inputs: it would be
    /// replaced by what is made of it, or of other inputs.
    pub fn check_output(&self, output: &Path) -> Result<(), CliError> {
        let Some(id) = FileId::of(output) else {
            return Ok(());
        };
        match self.0.iter().find(|(input, _)| *input == id) {
            Some((_, name)) => Err(CliError::Usage(format!(
                "the output `{}` is an input (`{name}`): writing it would replace the input; \
                 write the output elsewhere",
                output.display()
            ))),
            None => Ok(()),
        }
    }
}

/// Bytes as UTF-8 text, without a byte order mark; `name` is the input's
/// name in the message when they are not UTF-8.
pub fn into_text(name: &str, bytes: Vec<u8>) -> Result<String, CliError> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let err = e.utf8_error();
        let (line, column) = orcid_model::xml::line_col(e.as_bytes(), err.valid_up_to());
        CliError::Invalid(format!(
            "{name}:{line}:{column}: input is not valid UTF-8 (byte offset {})",
            err.valid_up_to()
        ))
    })?;
    // A UTF-8 byte order mark is not part of the document.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Writes `text` to standard output. A closed pipe (`orcid … | head`) is
/// not an error.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Io(format!(
            "orcid: cannot write standard output: {e}"
        ))),
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, renamed over `path` once complete. On failure `path` is left
/// as it was and the temporary file is removed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut tmp = temp_in(path.parent().unwrap_or(Path::new("")))?;
    tmp.write_all(contents)?;
    persist(tmp, path)
}

/// A temporary file in `dir` (the current directory when empty), next to
/// where an output goes, so that [`persist`] is a rename.
pub fn temp_in(dir: &Path) -> io::Result<NamedTempFile> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    tempfile::Builder::new()
        .prefix(".orcid-")
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Completes an output written to `tmp` and moves it to `target`.
/// Temporary files are private (0600): the output gets ordinary
/// permissions, or keeps those of the file it replaces.
pub fn persist(tmp: NamedTempFile, target: &Path) -> io::Result<()> {
    tmp.as_file().sync_all()?;
    let perms = match fs::metadata(target) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(perms) = perms {
        tmp.as_file().set_permissions(perms)?;
    }
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<fs::Permissions> {
    None
}

/// Describes a failure to write `path`.
pub fn write_error(path: &Path, e: &io::Error) -> String {
    format!("orcid: cannot write `{}`: {e}", path.display())
}

/// Output kept in memory up to a limit, then in an anonymous temporary
/// file, so that results can wait for their turn in bounded memory.
pub struct Spill {
    mem: Vec<u8>,
    file: Option<File>,
    limit: usize,
}

impl Spill {
    /// Keeps up to `limit` bytes in memory.
    pub fn new(limit: usize) -> Spill {
        Spill {
            mem: Vec::new(),
            file: None,
            limit,
        }
    }

    /// Everything written, to `out`.
    pub fn copy_to(mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(mut f) = self.file.take() {
            f.write_all(&self.mem)?;
            f.rewind()?;
            io::copy(&mut f, out)?;
        } else {
            out.write_all(&self.mem)?;
        }
        Ok(())
    }

    /// Whether anything was written to the temporary file.
    #[cfg(test)]
    pub fn spilled(&self) -> bool {
        self.file.is_some()
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.mem.extend_from_slice(buf);
        if self.mem.len() > self.limit {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&self.mem)?;
            self.mem.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_show_alike() {
        for (text, bytes, shown) in [
            ("1048576", 1 << 20, "1MiB"),
            ("64KiB", 64 << 10, "64KiB"),
            ("256 MiB", 256 << 20, "256MiB"),
            ("1g", 1 << 30, "1GiB"),
            ("1000", 1000, "1000 bytes"),
            ("1000 bytes", 1000, "1000 bytes"),
            ("1536k", 1536 << 10, "1536KiB"),
        ] {
            let size: Size = text.parse().unwrap();
            assert_eq!(size, Size(bytes), "{text}");
            assert_eq!(size.to_string(), shown);
            assert_eq!(shown.parse::<Size>(), Ok(size));
        }
        for bad in ["", "0", "MiB", "1.5GiB", "1TiB", "-1", "99999999999G"] {
            assert!(bad.parse::<Size>().is_err(), "{bad}");
        }
    }

    #[test]
    fn whole_reads_stop_early() {
        struct Endless(u8, usize);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(self.0);
                self.1 += buf.len();
                Ok(buf.len())
            }
        }
        let mut zeros = Endless(0, 0);
        assert!(matches!(
            read_whole(Vec::new(), &mut zeros, DEFAULT_MAX_INPUT_SIZE),
            Err(Refused::NotADocument)
        ));
        assert!(zeros.1 <= SNIFF_CHUNK as usize, "{} bytes read", zeros.1);
        let mut blanks = Endless(b' ', 0);
        assert!(matches!(
            read_whole(b"\xEF\xBB\xBF".to_vec(), &mut blanks, Size(1 << 20)),
            Err(Refused::TooLarge(Size(0x10_0000)))
        ));
        assert!(blanks.1 <= (1 << 20) + SNIFF_CHUNK as usize);
        let mut json = Endless(b'1', 0);
        assert!(matches!(
            read_whole(b" [".to_vec(), &mut json, Size(1000)),
            Err(Refused::TooLarge(_))
        ));
        assert!(json.1 <= 1000);
        for (ok, text) in [
            (true, &b"\xEF\xBB\xBF <a/>"[..]),
            (true, b"\n\t{}"),
            (true, b""),
            (true, b"   "),
            (false, b"\xEF\xBB\xBFx"),
            (false, b"  hello"),
            (true, b"\xEF\xBB"),
        ] {
            let read = read_whole(Vec::new(), text, DEFAULT_MAX_INPUT_SIZE);
            assert_eq!(read.is_ok(), ok, "{text:?}");
        }
        // A byte order mark cut between two reads.
        assert!(read_whole(b"\xEF".to_vec(), &b"\xBB\xBF<a/>"[..], Size(100)).is_ok());
    }

    #[test]
    fn spill_goes_to_a_file_past_its_limit() {
        let mut s = Spill::new(10);
        s.write_all(b"0123456789abc").unwrap();
        s.write_all(b"de").unwrap();
        assert!(s.spilled());
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        assert_eq!(out, b"0123456789abcde");
    }
}
