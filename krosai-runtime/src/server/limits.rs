//! What one request may cost a generated server: the size of its body and
//! the time until it is answered.

use std::future::Future;
use std::time::Duration;

/// Limits on one request, set on the router (`router_with`): a body larger
/// than [`Limits::max_body_bytes`] is answered `413`, and a request not
/// answered within [`Limits::request_timeout`] (slow clients included: a
/// body trickled in) `408`, both in the spec's error schema. A head
/// trickled in never reaches the router: [`serve`](super::serve) cuts it
/// off ([`ServeLimits`](super::ServeLimits)).
///
/// ```
/// use std::time::Duration;
/// use krosai_runtime::server::Limits;
///
/// let limits = Limits::new().body_bytes(1 << 20).timeout(Duration::from_secs(5));
/// assert_eq!(limits.max_body_bytes(), 1 << 20);
/// assert_eq!(Limits::default().request_timeout(), Some(Duration::from_secs(30)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    body_bytes: usize,
    timeout: Option<Duration>,
}

impl Limits {
    /// The defaults: bodies up to 16 MiB, answered within 30 s.
    pub const fn new() -> Self {
        Limits {
            body_bytes: 16 * 1024 * 1024,
            timeout: Some(Duration::from_secs(30)),
        }
    }

    /// Bodies larger than `bytes` are refused with `413`.
    pub const fn body_bytes(mut self, bytes: usize) -> Self {
        self.body_bytes = bytes;
        self
    }

    /// Requests not answered within `timeout` get `408`.
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No time limit (a server behind a proxy that has one, say).
    pub const fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The largest body read.
    pub const fn max_body_bytes(&self) -> usize {
        self.body_bytes
    }

    /// The time a request has to be answered, if limited.
    pub const fn request_timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new()
    }
}

/// Runs `answer` within the time `limits` allow: `None` when it took
/// longer (it is then dropped, which cancels it).
pub async fn within<F: Future>(limits: Limits, answer: F) -> Option<F::Output> {
    match limits.timeout {
        Some(limit) => tokio::time::timeout(limit, answer).await.ok(),
        None => Some(answer.await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_late_is_none() {
        let limits = Limits::new().timeout(Duration::from_millis(10));
        let late = within(limits, async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            1
        });
        assert_eq!(late.await, None);
        assert_eq!(within(limits, async { 2 }).await, Some(2));
        let unlimited = Limits::new().no_timeout();
        assert_eq!(within(unlimited, async { 3 }).await, Some(3));
    }
}
