//! Reading inputs and writing outputs (atomically, or spilling to a
//! temporary file when they grow).

use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::CliError;

/// Display name of standard input in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads all of standard input as UTF-8 text.
pub fn read_stdin() -> Result<String, CliError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Io(format!("orcid: cannot read standard input: {e}")))?;
    into_text(STDIN_NAME, bytes)
}

/// Reads a file as UTF-8 text.
pub fn read_file(path: &Path) -> Result<String, CliError> {
    let bytes = fs::read(path)
        .map_err(|e| CliError::Io(format!("orcid: cannot read `{}`: {e}", path.display())))?;
    into_text(&path.display().to_string(), bytes)
}

fn into_text(name: &str, bytes: Vec<u8>) -> Result<String, CliError> {
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
