//! A limit on repeated log lines, so that a flood of refused requests
//! does not write one line each.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Lets at most `burst` events through per `window`; the others are
/// counted, and the count of those held back is handed to the first event
/// let through after them (to say "and N more").
#[derive(Debug)]
pub struct LogLimiter {
    burst: u32,
    window: Duration,
    state: Mutex<LimiterState>,
}

#[derive(Debug)]
struct LimiterState {
    window_start: Option<Instant>,
    in_window: u32,
    suppressed: u64,
}

impl LogLimiter {
    /// At most `burst` events per `window`.
    pub const fn new(burst: u32, window: Duration) -> LogLimiter {
        LogLimiter {
            burst,
            window,
            state: Mutex::new(LimiterState {
                window_start: None,
                in_window: 0,
                suppressed: 0,
            }),
        }
    }

    /// Whether to log an event now: `Some(n)` when it may be logged, `n`
    /// being the number of events held back since the last one logged;
    /// `None` when it is held back.
    pub fn check(&self) -> Option<u64> {
        self.check_at(Instant::now())
    }

    fn check_at(&self, now: Instant) -> Option<u64> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = st
            .window_start
            .is_none_or(|start| now.saturating_duration_since(start) >= self.window);
        if fresh {
            st.window_start = Some(now);
            st.in_window = 0;
        }
        if st.in_window < self.burst {
            st.in_window += 1;
            Some(std::mem::take(&mut st.suppressed))
        } else {
            st.suppressed += 1;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lets_a_burst_through_then_counts_what_it_held_back() {
        let l = LogLimiter::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(l.check_at(t0), Some(0));
        assert_eq!(l.check_at(t0), Some(0));
        assert_eq!(l.check_at(t0), Some(0));
        for _ in 0..100 {
            assert_eq!(l.check_at(t0 + Duration::from_secs(1)), None);
        }
        // A new window: the first event says how many were held back.
        assert_eq!(l.check_at(t0 + Duration::from_secs(11)), Some(100));
        assert_eq!(l.check_at(t0 + Duration::from_secs(11)), Some(0));
    }
}
