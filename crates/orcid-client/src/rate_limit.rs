//! The client-side token bucket.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RateLimit;

/// A token bucket; [`TokenBucket::acquire`] blocks until a token is free.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    limit: RateLimit,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    pub(crate) fn new(limit: RateLimit) -> TokenBucket {
        let burst = f64::from(limit.burst.max(1));
        TokenBucket {
            limit: RateLimit {
                per_second: if limit.per_second > 0.0 {
                    limit.per_second
                } else {
                    f64::MIN_POSITIVE
                },
                burst: limit.burst.max(1),
            },
            state: Mutex::new(State {
                tokens: burst,
                last: Instant::now(),
            }),
        }
    }

    /// Takes one token, sleeping until one is available; returns how long
    /// it waited.
    pub(crate) fn acquire(&self) -> Duration {
        let mut waited = Duration::ZERO;
        loop {
            let wait = {
                let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                let elapsed = now.duration_since(s.last).as_secs_f64();
                s.tokens =
                    (s.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst));
                s.last = now;
                if s.tokens >= 1.0 {
                    s.tokens -= 1.0;
                    return waited;
                }
                Duration::from_secs_f64(((1.0 - s.tokens) / self.limit.per_second).min(3600.0))
            };
            std::thread::sleep(wait);
            waited += wait;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_is_free_then_paced() {
        let b = TokenBucket::new(RateLimit {
            per_second: 50.0,
            burst: 3,
        });
        let start = Instant::now();
        for _ in 0..3 {
            b.acquire();
        }
        assert!(start.elapsed() < Duration::from_millis(60));
        for _ in 0..5 {
            b.acquire();
        }
        // 5 more tokens at 50/s take about 100 ms.
        assert!(start.elapsed() >= Duration::from_millis(90));
    }
}
