//! The progress bar of `orcid convert` and `orcid validate` (indicatif),
//! drawn on standard error when it is a terminal.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs larger than this get a progress bar (on a terminal).
pub const PROGRESS_BYTES: u64 = 64 << 20;

/// Whether the files found under directories need their sizes: only for
/// the progress bar, which is drawn on a terminal. Not asking saves a
/// `stat` per file, which is most of listing a directory of small files.
pub fn sizes_wanted() -> bool {
    io::stderr().is_terminal()
}

/// A progress bar on standard error, with the bytes read and their rate,
/// shown only when standard error is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    docs: u64,
}

impl Progress {
    /// A bar for `total` bytes (`verb`: "validating", "converting"); none
    /// when `show` is false or standard error is not a terminal.
    pub fn new(verb: &str, total: u64, show: bool) -> Progress {
        if !show || !io::stderr().is_terminal() {
            return Progress { bar: None, docs: 0 };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template = format!(
            "{{spinner}} {verb} {{msg}} {{wide_bar}} {{binary_bytes}}/{{binary_total_bytes}} \
             {{binary_bytes_per_sec}} {{eta}}"
        );
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress {
            bar: Some(bar),
            docs: 0,
        }
    }

    /// Whether a bar is shown.
    pub fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// `n` more bytes done.
    pub fn add_bytes(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// A handle for other threads (the works of a bulk as they go).
    pub fn ticker(&self) -> Ticker {
        Ticker(self.bar.clone())
    }

    /// `n` more documents done.
    pub fn add_docs(&mut self, n: u64) {
        self.docs += n;
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} document{}",
                self.docs,
                if self.docs == 1 { "" } else { "s" }
            ));
        }
    }

    /// Runs `f` with the bar hidden (to print on a terminal).
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Counts bytes done from any thread (see [`Progress::ticker`]).
#[derive(Clone, Default)]
pub struct Ticker(Option<ProgressBar>);

impl Ticker {
    /// `n` more bytes done.
    pub fn add_bytes(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}
