//! Messages about inputs: `FILE:LINE:COLUMN: message (at PATH)`.

use orcid_model::Error;

/// Describes a library error found in the input called `name`.
pub fn describe(name: &str, err: &Error) -> String {
    match err {
        Error::Xml(e) => format!(
            "{name}:{}:{}: {} (at XML element {})",
            e.line, e.column, e.kind, e.path
        ),
        Error::Json(e) => {
            let pointer = e.pointer.as_str();
            let at = if pointer.is_empty() {
                "the document root".to_string()
            } else {
                format!("JSON pointer {pointer}")
            };
            if e.line == 0 {
                format!("{name}: {} (at {at})", e.message)
            } else {
                format!("{name}:{}:{}: {} (at {at})", e.line, e.column, e.message)
            }
        }
        Error::UnknownFormat | Error::Root(_) | Error::Write(_) => format!("{name}: {err}"),
    }
}
