//! Reading inputs and writing outputs (atomically).

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".orcid-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    // Temporary files are private (0600); give the output ordinary
    // permissions, or keep those of the file being replaced.
    let perms = match fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(perms) = perms {
        tmp.as_file().set_permissions(perms)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
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
