//! The authorizations under way: each `state` handed out, with the browser
//! it was handed to and when it expires.
//!
//! A `state` is valid once, before it expires, and only in the browser that
//! started it: `/connect/start` gives the browser a random binding in a
//! cookie and records it with the state; the redirect must bring both back.
//! Used and expired states are kept for one more lifetime, so that the page
//! can say "already used" or "expired" rather than "unknown".

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use orcid_client::verify_state;

/// Why a returned `state` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateProblem {
    /// Never handed out here (or forgotten: too old, or the app restarted).
    Unknown,
    /// Handed out, but its lifetime is over.
    Expired,
    /// Already brought back once.
    Used,
    /// Handed out to another browser (or the cookie was lost).
    OtherBrowser,
}

impl StateProblem {
    /// A short name for logs and events.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StateProblem::Unknown => "unknown state",
            StateProblem::Expired => "expired state",
            StateProblem::Used => "state already used",
            StateProblem::OtherBrowser => "state of another browser (cookie missing or different)",
        }
    }
}

/// The book is full (too many authorizations under way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Full;

struct Entry {
    binding: String,
    expires: Instant,
    used: bool,
}

/// The states handed out.
pub(crate) struct Pending {
    ttl: Duration,
    max: usize,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Pending {
    pub(crate) fn new(ttl: Duration, max: usize) -> Pending {
        Pending {
            ttl,
            max: max.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records `state` for the browser with `binding`.
    pub(crate) fn insert(&self, state: &str, binding: &str) -> Result<(), Full> {
        let now = Instant::now();
        let mut entries = self.lock();
        // Forget what is more than one lifetime past its expiry.
        let ttl = self.ttl;
        entries.retain(|_, e| now < e.expires + ttl);
        let live = entries
            .values()
            .filter(|e| !e.used && now < e.expires)
            .count();
        if live >= self.max {
            return Err(Full);
        }
        if entries.len() >= self.max.saturating_mul(2) {
            // Only used or expired ones beyond the limit: drop them early.
            entries.retain(|_, e| !e.used && now < e.expires);
        }
        entries.insert(
            state.to_string(),
            Entry {
                binding: binding.to_string(),
                expires: now + self.ttl,
                used: false,
            },
        );
        Ok(())
    }

    /// Checks `state` as returned with the browser's `binding` (its
    /// cookie), and marks it used. A state shown by another browser is left
    /// as it is.
    pub(crate) fn take(&self, state: &str, binding: Option<&str>) -> Result<(), StateProblem> {
        let now = Instant::now();
        let mut entries = self.lock();
        let entry = entries.get_mut(state).ok_or(StateProblem::Unknown)?;
        if entry.used {
            return Err(StateProblem::Used);
        }
        if now >= entry.expires {
            return Err(StateProblem::Expired);
        }
        match binding {
            Some(b) if verify_state(&entry.binding, b).is_ok() => {}
            _ => return Err(StateProblem::OtherBrowser),
        }
        entry.used = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_and_only_in_its_browser() {
        let p = Pending::new(Duration::from_secs(60), 10);
        p.insert("s1", "b1").unwrap();
        assert_eq!(p.take("s0", Some("b1")), Err(StateProblem::Unknown));
        assert_eq!(p.take("s1", None), Err(StateProblem::OtherBrowser));
        assert_eq!(p.take("s1", Some("b2")), Err(StateProblem::OtherBrowser));
        assert_eq!(p.take("s1", Some("b1")), Ok(()));
        assert_eq!(p.take("s1", Some("b1")), Err(StateProblem::Used));
    }

    #[test]
    fn expiry_and_limit() {
        let p = Pending::new(Duration::from_millis(200), 2);
        p.insert("a", "b").unwrap();
        p.insert("c", "b").unwrap();
        assert_eq!(p.insert("d", "b"), Err(Full));
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(p.take("a", Some("b")), Err(StateProblem::Expired));
        p.insert("d", "b").unwrap();
        std::thread::sleep(Duration::from_millis(500));
        p.insert("e", "b").unwrap();
        assert_eq!(p.take("a", Some("b")), Err(StateProblem::Unknown));
        assert_eq!(p.take("e", Some("b")), Ok(()));
    }
}
