//! Running `orcid` in a test and keeping what it printed, checked: it
//! exited on its own (no signal), printed UTF-8, and did not panic.

use std::process::Output;

use assert_cmd::Command;

/// What one run of `orcid` gave.
pub struct Run {
    /// Its exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `cmd` and checks it did not panic.
pub fn run(cmd: &mut Command) -> Run {
    finish(cmd.output().expect("runs"))
}

/// The checked [`Run`] of a finished process.
pub fn finish(out: Output) -> Run {
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    };
    assert!(!run.stderr.contains("panicked"), "panicked: {}", run.stderr);
    run
}
