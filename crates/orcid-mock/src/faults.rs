//! Rate-limit emulation (`docs/orcid-api.md` §6: 24 requests/s, burst 40,
//! then 503) and fault injection (latency, dropped connections, 5xx for the
//! next N requests).

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::{FaultConfig, RateLimitConfig};
use crate::MockState;

/// Marker put on a response whose connection the server must drop without
/// answering (a router embedded elsewhere answers an empty 500 instead).
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// Faults and the rate limiter's bucket.
#[derive(Debug, Clone)]
pub struct FaultState {
    /// Active faults.
    pub faults: FaultConfig,
    /// Rate-limit settings.
    pub rate: RateLimitConfig,
    tokens: f64,
    last: Instant,
}

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Pass,
    RateLimited,
    Drop,
    Fail(u16),
}

impl FaultState {
    /// A full bucket.
    pub fn new(faults: FaultConfig, rate: RateLimitConfig) -> FaultState {
        FaultState {
            tokens: rate.burst as f64,
            faults,
            rate,
            last: Instant::now(),
        }
    }

    /// Replaces the rate-limit settings and refills the bucket.
    pub fn set_rate(&mut self, rate: RateLimitConfig) {
        self.tokens = rate.burst as f64;
        self.last = Instant::now();
        self.rate = rate;
    }

    fn decide(&mut self) -> Decision {
        if self.rate.enabled {
            let now = Instant::now();
            let elapsed = now.duration_since(self.last).as_secs_f64();
            self.last = now;
            self.tokens =
                (self.tokens + elapsed * self.rate.per_second).min(self.rate.burst as f64);
            if self.tokens < 1.0 {
                return Decision::RateLimited;
            }
            self.tokens -= 1.0;
        }
        if self.faults.drop_next > 0 {
            self.faults.drop_next -= 1;
            return Decision::Drop;
        }
        if self.faults.fail_next > 0 {
            self.faults.fail_next -= 1;
            return Decision::Fail(self.faults.fail_status.unwrap_or(503));
        }
        Decision::Pass
    }
}

/// The middleware in front of the OAuth and API routes.
pub async fn gate(State(state): State<MockState>, req: Request, next: Next) -> Response {
    let (decision, latency, retry_after) = {
        let mut f = state.inner.faults.lock().unwrap_or_else(|e| e.into_inner());
        let d = f.decide();
        (d, f.faults.latency_ms, f.rate.retry_after_secs)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match decision {
        Decision::Pass => next.run(req).await,
        Decision::RateLimited => {
            tracing::info!(path = %req.uri().path(), "rate limit: 503");
            let mut r = (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><head><title>503 Service Temporarily Unavailable</title></head>\
                 <body><h1>503 Service Temporarily Unavailable</h1></body></html>",
            )
                .into_response();
            if let Some(s) = retry_after {
                if let Ok(v) = s.to_string().parse() {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            r
        }
        Decision::Drop => {
            tracing::info!(path = %req.uri().path(), "fault: dropping the connection");
            let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            r.extensions_mut().insert(DropConnection);
            r
        }
        Decision::Fail(status) => {
            tracing::info!(path = %req.uri().path(), status, "fault: injected failure");
            let s = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            (
                s,
                [(header::CONTENT_TYPE, "text/plain")],
                format!(
                    "{} {} (injected fault)",
                    s.as_u16(),
                    s.canonical_reason().unwrap_or("")
                ),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket() {
        let mut f = FaultState::new(
            FaultConfig::default(),
            RateLimitConfig {
                enabled: true,
                per_second: 0.001,
                burst: 3,
                retry_after_secs: None,
            },
        );
        assert_eq!(f.decide(), Decision::Pass);
        assert_eq!(f.decide(), Decision::Pass);
        assert_eq!(f.decide(), Decision::Pass);
        assert_eq!(f.decide(), Decision::RateLimited);
        f.set_rate(RateLimitConfig {
            enabled: false,
            ..f.rate.clone()
        });
        f.faults.fail_next = 1;
        f.faults.drop_next = 1;
        assert_eq!(f.decide(), Decision::Drop);
        assert_eq!(f.decide(), Decision::Fail(503));
        assert_eq!(f.decide(), Decision::Pass);
    }
}
