//! The authorizations under way, without keeping anything per visitor.
//!
//! A `state` is valid once, before it expires, and only in the browser that
//! started it. `/connect/start` gives the browser a random binding in a
//! cookie and hands out a state that carries its own proof: when it was
//! issued, a random nonce, and two HMAC-SHA256 tags under a key random to
//! this process, one saying the page issued it, one binding it to the
//! browser's binding. The page keeps nothing when it hands one out, so no
//! number of visits can fill a table and lock others out.
//!
//! What it keeps is the states that connected a researcher, until they
//! expire, to refuse them a second time. A state is claimed while its code is
//! exchanged and released when that does not connect anyone (a denial, an
//! error, a refused code): only real authorizations at ORCID are kept, at
//! most one per researcher who connected within one lifetime.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a returned `state` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateProblem {
    /// Never handed out here (forged, or the app restarted since).
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

/// Bytes of a state: issued (ms, big-endian), nonce, the two tags.
const ISSUED: usize = 8;
const NONCE: usize = 8;
const ISSUED_TAG: usize = 8;
const BOUND_TAG: usize = 16;
const STATE_BYTES: usize = ISSUED + NONCE + ISSUED_TAG + BOUND_TAG;

/// The states handed out: their key and clock, and the ones used.
pub(crate) struct Pending {
    key: [u8; 32],
    epoch: Instant,
    ttl_ms: u64,
    used: Mutex<Used>,
}

/// The states that connected someone (or are being exchanged), with the
/// time (ms since the epoch) they expire.
#[derive(Default)]
struct Used {
    /// By the state's bytes: its hex in capitals is the same state.
    expires: HashMap<[u8; STATE_BYTES], u64>,
    /// Forget the expired ones when the map reaches this size (amortized:
    /// each pass at least halves what is left to the next one).
    prune_at: usize,
}

impl Pending {
    pub(crate) fn new(ttl: Duration) -> Pending {
        Pending {
            key: rand::random(),
            epoch: Instant::now(),
            ttl_ms: u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
            used: Mutex::new(Used::default()),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn mac(&self, label: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
        // HMAC takes a key of any length: `new_from_slice` cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        mac.update(label);
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        mac
    }

    /// A fresh state for the browser with `binding`.
    pub(crate) fn issue(&self, binding: &str) -> String {
        self.issue_at(binding, self.now_ms(), rand::random())
    }

    fn issue_at(&self, binding: &str, now_ms: u64, nonce: [u8; NONCE]) -> String {
        let issued = now_ms.to_be_bytes();
        let head = [&issued[..], &nonce[..]];
        let issued_tag = self.mac(b"issued", &head).finalize().into_bytes();
        let bound_tag = self
            .mac(b"bound", &[&issued, &nonce, binding.as_bytes()])
            .finalize()
            .into_bytes();
        let mut state = String::with_capacity(STATE_BYTES * 2);
        for b in issued
            .iter()
            .chain(&nonce)
            .chain(&issued_tag[..ISSUED_TAG])
            .chain(&bound_tag[..BOUND_TAG])
        {
            let _ = write!(state, "{b:02x}");
        }
        state
    }

    /// Checks `state` as returned with the browser's `binding` (its cookie)
    /// and claims it: a second claim is refused until it is released. A
    /// state shown by another browser is left as it is.
    pub(crate) fn claim(&self, state: &str, binding: Option<&str>) -> Result<(), StateProblem> {
        self.claim_at(state, binding, self.now_ms())
    }

    fn claim_at(
        &self,
        state: &str,
        binding: Option<&str>,
        now_ms: u64,
    ) -> Result<(), StateProblem> {
        let bytes = decode_hex(state).ok_or(StateProblem::Unknown)?;
        let (issued, rest) = bytes.split_at(ISSUED);
        let (nonce, rest) = rest.split_at(NONCE);
        let (issued_tag, bound_tag) = rest.split_at(ISSUED_TAG);
        self.mac(b"issued", &[issued, nonce])
            .verify_truncated_left(issued_tag)
            .map_err(|_| StateProblem::Unknown)?;
        let mut at = [0u8; ISSUED];
        at.copy_from_slice(issued);
        let expires = u64::from_be_bytes(at).saturating_add(self.ttl_ms);
        let mut used = self.lock();
        if used.expires.contains_key(&bytes) {
            return Err(StateProblem::Used);
        }
        if now_ms >= expires {
            return Err(StateProblem::Expired);
        }
        let binding = binding.ok_or(StateProblem::OtherBrowser)?;
        self.mac(b"bound", &[issued, nonce, binding.as_bytes()])
            .verify_truncated_left(bound_tag)
            .map_err(|_| StateProblem::OtherBrowser)?;
        used.insert(bytes, expires, now_ms);
        Ok(())
    }

    /// Forgets the claim on `state`: its redirect connected no one.
    pub(crate) fn release(&self, state: &str) {
        if let Some(bytes) = decode_hex(state) {
            self.lock().expires.remove(&bytes);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Used> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Used {
    fn insert(&mut self, state: [u8; STATE_BYTES], expires: u64, now_ms: u64) {
        if self.expires.len() >= self.prune_at {
            self.expires.retain(|_, e| now_ms < *e);
            self.prune_at = (self.expires.len() * 2).max(64);
        }
        self.expires.insert(state, expires);
    }
}

/// The bytes of a state's hex, if it is one.
fn decode_hex(text: &str) -> Option<[u8; STATE_BYTES]> {
    let text = text.as_bytes();
    if text.len() != STATE_BYTES * 2 {
        return None;
    }
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = [0u8; STATE_BYTES];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: u64 = 60_000;

    fn book() -> Pending {
        Pending::new(Duration::from_millis(MINUTE))
    }

    #[test]
    fn once_and_only_in_its_browser() {
        let p = book();
        let s1 = p.issue_at("b1", 0, [1; NONCE]);
        assert_eq!(s1.len(), STATE_BYTES * 2);
        assert_eq!(p.claim_at("s0", Some("b1"), 1), Err(StateProblem::Unknown));
        assert_eq!(p.claim_at(&s1, None, 1), Err(StateProblem::OtherBrowser));
        assert_eq!(
            p.claim_at(&s1, Some("b2"), 1),
            Err(StateProblem::OtherBrowser)
        );
        assert_eq!(p.claim_at(&s1, Some("b1"), 1), Ok(()));
        assert_eq!(p.claim_at(&s1, Some("b1"), 2), Err(StateProblem::Used));
        // Released (no one connected): it may be brought back again.
        p.release(&s1);
        assert_eq!(p.claim_at(&s1, Some("b1"), 3), Ok(()));
    }

    #[test]
    fn every_state_is_fresh_and_checked_whole() {
        let p = book();
        let a = p.issue("b");
        let b = p.issue("b");
        assert_ne!(a, b);
        // Any changed digit: not one of ours.
        for i in 0..a.len() {
            let mut forged = a.clone().into_bytes();
            forged[i] = if forged[i] == b'0' { b'1' } else { b'0' };
            let forged = String::from_utf8(forged).unwrap();
            let problem = p.claim(&forged, Some("b")).unwrap_err();
            let expected = if i < (ISSUED + NONCE + ISSUED_TAG) * 2 {
                StateProblem::Unknown
            } else {
                StateProblem::OtherBrowser
            };
            assert_eq!(problem, expected, "digit {i}");
        }
        // Another process (another key) did not issue it.
        assert_eq!(book().claim(&a, Some("b")), Err(StateProblem::Unknown));
        assert_eq!(p.claim(&a.to_uppercase(), Some("b")), Ok(()));
        assert_eq!(p.claim(&a, Some("b")), Err(StateProblem::Used));
    }

    #[test]
    fn expiry() {
        let p = book();
        let s = p.issue_at("b", 1_000, [2; NONCE]);
        assert_eq!(
            p.claim_at(&s, Some("b"), 1_000 + MINUTE),
            Err(StateProblem::Expired)
        );
        assert_eq!(p.claim_at(&s, Some("b"), 1_000 + MINUTE - 1), Ok(()));
    }

    #[test]
    fn issuing_keeps_nothing_and_used_states_are_forgotten_once_expired() {
        let p = book();
        for i in 0..10_000u64 {
            let _ = p.issue_at("b", i, [3; NONCE]);
        }
        assert!(p.lock().expires.is_empty());
        // Used states are kept until they expire, then forgotten: ten
        // connections per lifetime keep the book small however long it runs.
        for i in 0..10_000u64 {
            let at = i * MINUTE / 10;
            let s = p.issue_at("b", at, i.to_be_bytes());
            p.claim_at(&s, Some("b"), at).unwrap();
            assert!(p.lock().expires.len() <= 128, "{i}");
        }
    }
}
