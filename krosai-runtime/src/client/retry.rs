//! When a request is sent again, and how long the client waits first.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// When a request is sent again: after a connection error or a timeout,
/// and on `408`, `429`, `502`, `503` and `504`, with exponential backoff
/// and jitter, honouring `Retry-After` (seconds or an HTTP date, capped).
/// Only idempotent requests are retried (`GET`, `HEAD`, `PUT`, `DELETE`,
/// `OPTIONS`, `TRACE`, and `POST`/`PATCH` carrying an idempotency key the
/// spec declares), unless [`RetryPolicy::non_idempotent`] says otherwise.
///
/// ```
/// use std::time::Duration;
/// use krosai_runtime::client::RetryPolicy;
///
/// let policy = RetryPolicy::new().attempts(5).initial_backoff(Duration::from_millis(50));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    initial: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    non_idempotent: bool,
}

impl RetryPolicy {
    /// The default: three attempts in all (two retries), backoff from
    /// 200 ms up to 5 s, `Retry-After` waits of up to 30 s.
    pub const fn new() -> Self {
        RetryPolicy {
            attempts: 3,
            initial: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            non_idempotent: false,
        }
    }

    /// Never send a request twice.
    pub const fn none() -> Self {
        RetryPolicy::new().attempts(1)
    }

    /// At most this many attempts in all (at least one).
    pub const fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The wait before the first retry; each next one doubles it.
    pub const fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial = wait;
        self
    }

    /// The longest wait between attempts, without `Retry-After`.
    pub const fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` honoured: a longer one ends the retries.
    pub const fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Retry requests that are not idempotent too (`POST` and `PATCH`
    /// without an idempotency key): only where sending twice is harmless.
    pub const fn non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// Whether a request may be sent again: when it is idempotent, or
    /// the policy retries everything.
    pub(super) const fn allows(&self, idempotent: bool) -> bool {
        idempotent || self.non_idempotent
    }

    /// The most attempts a request gets.
    pub const fn max_attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait before attempt `attempt + 1` (`attempt` ≥ 1 made so far),
    /// given the last answer's headers; `None` when a `Retry-After` asks
    /// for more than the policy waits.
    pub(super) fn wait(&self, attempt: u32, headers: Option<&HeaderMap>) -> Option<Duration> {
        if let Some(after) = headers.and_then(retry_after) {
            return (after <= self.max_retry_after).then_some(after);
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let full = self
            .initial
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        // Jitter: between half and all of the backoff.
        let fraction = 0.5 + 0.5 * unit_random();
        Some(full.mul_f64(fraction))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new()
    }
}

/// A number in `[0, 1)`, different on every call (for jitter only).
fn unit_random() -> f64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Whether an answer with this status is worth another attempt.
pub(super) fn retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

#[cfg(test)]
mod retry_tests {
    use super::*;

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date() {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        headers.insert(
            reqwest::header::RETRY_AFTER,
            httpdate::fmt_http_date(later).parse().unwrap(),
        );
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_its_cap_and_long_retry_afters_end_it() {
        let policy = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(300));
        for (attempt, full) in [(1, 100), (2, 200), (3, 300), (10, 300)] {
            let wait = policy.wait(attempt, None).unwrap();
            let full = Duration::from_millis(full);
            assert!(
                wait >= full / 2 && wait <= full,
                "attempt {attempt}: {wait:?}"
            );
        }
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(policy.wait(1, Some(&headers)), None);
        assert!(
            retryable(StatusCode::SERVICE_UNAVAILABLE)
                && !retryable(StatusCode::INTERNAL_SERVER_ERROR)
        );
    }
}
