//! Small helpers: time, randomness, ORCID iD check digits, redaction.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    if getrandom::fill(&mut b).is_err() {
        // Fall back on the clock and a counter: unique, not secret.
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(1);
        let seed = (now_ms() as u64) ^ COUNTER.fetch_add(1, Ordering::Relaxed).rotate_left(32);
        for (i, x) in b.iter_mut().enumerate() {
            *x = (seed.rotate_left((i as u32 * 7) % 64) & 0xff) as u8 ^ i as u8;
        }
    }
    b
}

/// A random UUID (v4), the form of ORCID's access and refresh tokens.
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = random_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A random string of `n` mixed-case alphanumerics (authorization codes are 6).
pub fn random_code(n: usize) -> String {
    let bytes: [u8; 32] = random_bytes();
    bytes
        .iter()
        .take(n.min(32))
        .map(|b| BASE62[(*b as usize) % BASE62.len()] as char)
        .collect()
}

/// The ISO 7064 11,2 check character of 15 digits.
pub fn orcid_check_char(digits15: &str) -> char {
    let mut total: u32 = 0;
    for c in digits15.chars().filter(|c| c.is_ascii_digit()) {
        total = (total + c.to_digit(10).unwrap_or(0)) * 2;
    }
    let result = (12 - total % 11) % 11;
    if result == 10 {
        'X'
    } else {
        char::from_digit(result, 10).unwrap_or('0')
    }
}

/// The `n`-th minted iD, in the `0009-0000-…` block ORCID now issues.
pub fn mint_orcid(n: u64) -> String {
    let digits = format!("00090000{:07}", n % 10_000_000);
    let check = orcid_check_char(&digits);
    format!(
        "{}-{}-{}-{}{}",
        &digits[0..4],
        &digits[4..8],
        &digits[8..12],
        &digits[12..15],
        check
    )
}

/// A secret shown in logs: its first four characters and an ellipsis.
pub fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        assert_eq!(orcid_check_char("000000021825009"), '7');
        assert_eq!(orcid_check_char("000000015109370"), '0');
        let id = mint_orcid(42);
        assert!(orcid_model::scalar::OrcidId(id.clone()).is_valid(), "{id}");
    }

    #[test]
    fn tokens() {
        let t = uuid_v4();
        assert_eq!(t.len(), 36);
        assert_ne!(t, uuid_v4());
        assert_eq!(random_code(6).len(), 6);
        assert_eq!(redact("abcdefgh"), "abcd…");
    }
}
