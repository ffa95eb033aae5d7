//! Settings of one request: a timeout, extra headers, a retry policy.

use std::fmt;
use std::time::Duration;

use super::RetryPolicy;

/// Settings of one request that override the client's: a timeout, extra
/// headers (tracing ids, say), and the retry policy. Set on any request
/// builder with `.options(...)`.
///
/// ```
/// use std::time::Duration;
/// use krosai_runtime::client::{RequestOptions, RetryPolicy};
/// use reqwest::header::{HeaderName, HeaderValue};
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(2))
///     .header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("42"))
///     .retry(RetryPolicy::none());
/// assert_eq!(options.retry_policy(&RetryPolicy::new()), RetryPolicy::none());
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    retry: Option<RetryPolicy>,
}

impl RequestOptions {
    /// No overrides: the client's settings.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// A timeout for this request (each attempt), instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// One more header on this request (after the ones the operation sets,
    /// so it can replace them).
    pub fn header(
        mut self,
        name: reqwest::header::HeaderName,
        value: reqwest::header::HeaderValue,
    ) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The retry policy for this request, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The policy this request is sent with.
    pub fn retry_policy(&self, client: &RetryPolicy) -> RetryPolicy {
        self.retry.unwrap_or(*client)
    }

    /// The request with the timeout and the headers applied.
    pub fn apply(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request
    }
}

/// Header values can be credentials: only their names are shown.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("headers", &names)
            .field("retry", &self.retry)
            .finish()
    }
}
