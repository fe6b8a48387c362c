//! Tests that need something outside the workspace (a program, a Python
//! package, shared data): skipped with a note where it is missing, a
//! failure where CI says it is required (`<VAR>=require`).

use std::process::Command;

/// Reports that what a test needs is missing (`why`): panics when the
/// environment variable `require_var` is `require`, else prints a
/// "skipped" note on stderr and returns, for the test to return early.
pub fn missing(require_var: &str, why: &str) {
    if std::env::var(require_var).as_deref() == Ok("require") {
        panic!("{why}; {require_var}=require makes this a failure");
    }
    eprintln!("skipped: {why}; set {require_var}=require to make this a failure");
}

/// A Python that runs `probe` (e.g. `import pyorcid`): `$python_var`,
/// else `python3`. `None`, after [`missing`], when it cannot.
pub fn python_with(python_var: &str, require_var: &str, probe: &str) -> Option<String> {
    let python = std::env::var(python_var).unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", probe])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    missing(
        require_var,
        &format!("{python} cannot run `{probe}` (set {python_var})"),
    );
    None
}
