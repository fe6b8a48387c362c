//! Whole-second UTC timestamps, as stored in the database.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time with one-second resolution: seconds since the Unix epoch (UTC).
///
/// The store keeps every time as such an integer, so a value read back equals the
/// value written. [`Display`](fmt::Display) renders RFC 3339 (`2026-11-22T10:00:00Z`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// The current time, truncated to whole seconds.
    pub fn now() -> Timestamp {
        Timestamp::from(SystemTime::now())
    }

    /// The timestamp `secs` seconds after (negative: before) the Unix epoch.
    pub const fn from_unix(secs: i64) -> Timestamp {
        Timestamp(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn as_unix(self) -> i64 {
        self.0
    }

    /// This timestamp plus `secs` seconds, saturating at the largest representable time.
    pub fn saturating_add_secs(self, secs: u64) -> Timestamp {
        let secs = i64::try_from(secs).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(secs))
    }

    /// This timestamp as a [`SystemTime`].
    pub fn to_system_time(self) -> SystemTime {
        if self.0 >= 0 {
            UNIX_EPOCH + Duration::from_secs(self.0.unsigned_abs())
        } else {
            UNIX_EPOCH - Duration::from_secs(self.0.unsigned_abs())
        }
    }
}

impl From<SystemTime> for Timestamp {
    /// Truncates towards the past to whole seconds; saturates far outside ±292 billion years.
    fn from(t: SystemTime) -> Timestamp {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(e) => {
                let d = e.duration();
                let mut secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() > 0 {
                    secs = secs.saturating_add(1);
                }
                Timestamp(secs.saturating_neg())
            }
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, e.g. `2026-11-22T10:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i128, u32, u32) {
    let z = i128::from(z) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i128::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_rfc3339() {
        assert_eq!(Timestamp::UNIX_EPOCH.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(1_795_341_600).to_string(),
            "2026-11-22T10:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(Timestamp::from_unix(-1).to_string(), "1969-12-31T23:59:59Z");
        // Extremes do not panic.
        let _ = Timestamp::from_unix(i64::MAX).to_string();
        let _ = Timestamp::from_unix(i64::MIN).to_string();
    }

    #[test]
    fn system_time_round_trip() {
        let t = Timestamp::from_unix(1_700_000_000);
        assert_eq!(Timestamp::from(t.to_system_time()), t);
        let t = Timestamp::from_unix(-5);
        assert_eq!(Timestamp::from(t.to_system_time()), t);
        let sub = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(Timestamp::from(sub), Timestamp::from_unix(-2));
    }

    #[test]
    fn saturating_add() {
        assert_eq!(
            Timestamp::from_unix(10).saturating_add_secs(5),
            Timestamp::from_unix(15)
        );
        assert_eq!(
            Timestamp::from_unix(10).saturating_add_secs(u64::MAX),
            Timestamp::from_unix(i64::MAX)
        );
    }
}
