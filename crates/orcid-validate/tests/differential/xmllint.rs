//! libxml2's `xmllint` as the reference validator: a wrapper schema that
//! imports every entry schema of a version, and batched runs over many files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn available() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Writes the wrapper schema of `set` into `dir`; returns its path.
pub fn write_wrapper(dir: &Path, cache: &Path, set: orcid_schemas::SchemaSet) -> PathBuf {
    let p = dir.join("wrapper.xsd");
    std::fs::write(&p, orcid_schemas::wrapper_xsd_for(set, cache).unwrap()).unwrap();
    p
}

/// xmllint's verdict on one file.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub valid: bool,
    /// `(line, message)` of each diagnostic line, in output order.
    pub errors: Vec<(usize, String)>,
    /// Whether the parser (not the schema) rejected the file.
    pub parse_error: bool,
}

/// Validates `files` with `jobs` parallel xmllint processes, `batch` files
/// per process.
pub fn run(
    wrapper: &Path,
    files: &[PathBuf],
    batch: usize,
    jobs: usize,
) -> HashMap<PathBuf, Verdict> {
    let chunks: Vec<&[PathBuf]> = files.chunks(batch).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(HashMap::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(chunk) = chunks.get(i) else { break };
                let out = Command::new("xmllint")
                    .arg("--noout")
                    .arg("--schema")
                    .arg(wrapper)
                    .args(*chunk)
                    .output()
                    .expect("run xmllint");
                let parsed = parse_output(&String::from_utf8_lossy(&out.stderr), chunk);
                results.lock().unwrap().extend(parsed);
            });
        }
    });
    results.into_inner().unwrap()
}

fn parse_output(stderr: &str, files: &[PathBuf]) -> HashMap<PathBuf, Verdict> {
    let mut by_name: HashMap<String, Verdict> = files
        .iter()
        .map(|f| (f.display().to_string(), Verdict::default()))
        .collect();
    // The file whose diagnostic the current line continues (values with
    // newlines are echoed verbatim, so a message can span lines).
    let mut current: Option<String> = None;
    for line in stderr.lines() {
        if let Some(f) = line
            .strip_suffix(" validates")
            .or_else(|| line.strip_suffix(" fails to validate"))
        {
            if let Some(v) = by_name.get_mut(f) {
                v.valid = line.ends_with(" validates");
                current = None;
                continue;
            }
        }
        // `FILE:LINE: ...`
        let parsed = line.split_once(".xml:").and_then(|(f, rest)| {
            let f = format!("{f}.xml");
            let (n, msg) = rest.split_once(": ")?;
            let n: usize = n.parse().ok()?;
            by_name.contains_key(&f).then_some((f, n, msg))
        });
        match parsed {
            Some((f, n, msg)) => {
                let v = by_name.get_mut(&f).unwrap();
                if msg.starts_with("parser error") || msg.starts_with("namespace error") {
                    v.parse_error = true;
                }
                v.errors.push((n, msg.to_string()));
                current = Some(f);
            }
            None => {
                if let Some(last) = current
                    .as_ref()
                    .and_then(|f| by_name.get_mut(f))
                    .and_then(|v| v.errors.last_mut())
                {
                    last.1.push('\n');
                    last.1.push_str(line);
                }
            }
        }
    }
    files
        .iter()
        .map(|f| (f.clone(), by_name.remove(&f.display().to_string()).unwrap()))
        .collect()
}
