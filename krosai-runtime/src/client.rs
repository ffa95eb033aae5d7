//! What generated clients share: the response wrapper, parameter
//! violations, credentials kept out of logs, URL building, sending a request
//! and reading its answer, and the text of parameter values.
//!
//! The API-specific parts (`Client`, its builder, `ClientError` with one
//! variant per documented error status, one request builder per operation)
//! are generated and call into these.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};

pub use crate::bounds::Bounds;

/// A successful answer: the decoded body, with the status and headers.
/// Dereferences to the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// The answer with this status, these headers and this decoded body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, by value.
    pub fn into_inner(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// A parameter value the spec does not allow (found before sending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The parameter's name on the wire.
    pub parameter: &'static str,
    /// The rule it breaks, as the spec states it (`maximum 100`).
    pub rule: String,
    /// The value given.
    pub value: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` = {} breaks `{}`",
            self.parameter, self.value, self.rule
        )
    }
}

/// A credential: kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a key.
    pub fn new(key: String) -> Self {
        Self(key)
    }

    /// The key itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Parses a client's base URL: absolute, and able to have path segments
/// appended (`https://api.example.com/v1`). The error is the message for
/// the client's configuration error.
pub fn base_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("invalid base URL `{text}`: {e}"))?;
    if url.cannot_be_a_base() {
        return Err(format!("invalid base URL `{text}`: not a base URL"));
    }
    Ok(url)
}

/// A `reqwest::Client` with these settings.
pub fn http_client(
    timeout: Option<Duration>,
    user_agent: Option<String>,
) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder();
    if let Some(timeout) = timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(user_agent) = user_agent {
        builder = builder.user_agent(user_agent);
    }
    builder
        .build()
        .map_err(|e| format!("cannot create the HTTP client: {e}"))
}

/// `base` with `segments` appended to its path, each percent-encoded (an
/// empty last segment of the base, its trailing `/`, is dropped first).
pub fn join_path(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    // `base_url` checked that the URL can be a base.
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// Sends a request and reads the whole answer: its status, headers and
/// body.
pub async fn read(
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, HeaderMap, Vec<u8>), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    // Free when the buffer is not shared, which it is not here.
    Ok((status, headers, Vec::from(bytes)))
}

/// Makes a request builder `.await`able: implements `IntoFuture` for
/// `$builder<'a>`, whose `async fn send(self)` returns
/// `Result<$success, ClientError>` (`ClientError` as the calling module
/// names it), boxing the future so that it is `Send` and nameable.
#[macro_export]
macro_rules! into_future {
    ($builder:ident => $success:ty) => {
        impl<'a> ::core::future::IntoFuture for $builder<'a> {
            type Output = ::core::result::Result<$success, ClientError>;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<
                    dyn ::core::future::Future<Output = Self::Output> + ::core::marker::Send + 'a,
                >,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}

/// Records the bounds a numeric parameter's value (if set) breaks.
pub fn check_number<T: crate::bounds::Number + fmt::Display>(
    violations: &mut Vec<Violation>,
    parameter: &'static str,
    value: Option<T>,
    bounds: crate::bounds::Bounds,
) {
    if let Some(value) = value {
        let rules = bounds.number_rules(value);
        push_rules(violations, parameter, rules, || value.to_string());
    }
}

/// Records the bounds a string parameter's value (if set) breaks; the value
/// is shown quoted.
pub fn check_text(
    violations: &mut Vec<Violation>,
    parameter: &'static str,
    value: Option<&str>,
    bounds: crate::bounds::Bounds,
) {
    if let Some(value) = value {
        let rules = bounds.text_rules(value);
        push_rules(violations, parameter, rules, || format!("{value:?}"));
    }
}

fn push_rules(
    violations: &mut Vec<Violation>,
    parameter: &'static str,
    rules: Vec<String>,
    shown: impl Fn() -> String,
) {
    violations.extend(rules.into_iter().map(|rule| Violation {
        parameter,
        rule,
        value: shown(),
    }));
}

/// Appends `name=value` to the query, when the value is set.
pub fn append_query<T: fmt::Display + ?Sized>(url: &mut Url, name: &str, value: Option<&T>) {
    if let Some(value) = value {
        url.query_pairs_mut().append_pair(name, &value.to_string());
    }
}

/// The text of a scalar parameter value on the wire.
pub fn wire_text(value: &dyn fmt::Display) -> String {
    value.to_string()
}

/// A structured parameter value, sent as JSON text.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The properties of an object parameter as `(name, text)` pairs, in
/// declaration order; unset (`null`) ones left out, strings as they are,
/// other values as JSON text.
pub fn object_pairs<T: serde::Serialize + ?Sized>(value: &T) -> Vec<(String, String)> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                serde_json::Value::String(text) => (k, text),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounds::Bounds;

    #[test]
    fn bounds_are_checked_before_sending() {
        let mut violations = Vec::new();
        let bounds = Bounds::new().minimum(1.0, false).maximum(100.0, false);
        check_number(&mut violations, "limit", Some(500_i64), bounds);
        check_number(&mut violations, "limit", Some(50_i64), bounds);
        check_number(&mut violations, "limit", None::<i64>, bounds);
        check_text(
            &mut violations,
            "name",
            Some("ab"),
            Bounds::new().min_length(3),
        );
        let shown: Vec<String> = violations.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2);
        assert_eq!(violations[0].rule, "maximum 100");
        assert_eq!(violations[0].value, "500");
        assert_eq!(violations[1].value, "\"ab\"");
        let mut url = Url::parse("http://h/x").unwrap();
        append_query(&mut url, "a b", Some(&"c&d"));
        append_query(&mut url, "unset", None::<&i64>);
        assert_eq!(url.as_str(), "http://h/x?a+b=c%26d");
    }

    #[test]
    fn paths_are_appended_to_the_base_encoded() {
        for base in ["http://h/v1", "http://h/v1/"] {
            let url = join_path(&base_url(base).unwrap(), &["calls", "a b/c"]);
            assert_eq!(url.as_str(), "http://h/v1/calls/a%20b%2Fc");
        }
        assert!(base_url("mailto:x@y")
            .unwrap_err()
            .contains("not a base URL"));
        assert!(base_url("/relative")
            .unwrap_err()
            .starts_with("invalid base URL `/relative`"));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let secret = Secret::new("kros_live_123".to_owned());
        assert_eq!(format!("{secret:?}"), "Secret(..)");
        assert_eq!(secret.expose(), "kros_live_123");
    }

    #[test]
    fn parameter_texts() {
        #[derive(serde::Serialize)]
        struct Filter {
            name: &'static str,
            limit: Option<i64>,
            tags: Vec<&'static str>,
            gone: Option<i64>,
        }
        let filter = Filter {
            name: "a b",
            limit: Some(3),
            tags: vec!["x"],
            gone: None,
        };
        assert_eq!(
            object_pairs(&filter),
            [
                ("name".to_owned(), "a b".to_owned()),
                ("limit".to_owned(), "3".to_owned()),
                ("tags".to_owned(), "[\"x\"]".to_owned())
            ]
        );
        assert_eq!(json_text(&["a"]), "[\"a\"]");
        assert_eq!(wire_text(&1.5), "1.5");
        assert!(object_pairs(&5).is_empty());
        let violation = Violation {
            parameter: "limit",
            rule: "maximum 100".to_owned(),
            value: "500".to_owned(),
        };
        assert_eq!(violation.to_string(), "`limit` = 500 breaks `maximum 100`");
    }

    #[test]
    fn responses_dereference_to_their_body() {
        let response = Response::new(StatusCode::CREATED, HeaderMap::new(), vec![1, 2]);
        assert_eq!(response.len(), 2);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.into_inner(), [1, 2]);
    }
}

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

    /// The most attempts a request gets.
    pub const fn max_attempts(&self) -> u32 {
        self.attempts
    }

    /// The wait before attempt `attempt + 1` (`attempt` ≥ 1 made so far),
    /// given the last answer's headers; `None` when a `Retry-After` asks
    /// for more than the policy waits.
    fn wait(&self, attempt: u32, headers: Option<&HeaderMap>) -> Option<Duration> {
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
fn retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// A failure to get an answer, after this many attempts.
#[derive(Debug)]
pub struct SendError {
    /// What went wrong on the last attempt.
    pub source: reqwest::Error,
    /// How many attempts were made.
    pub attempts: u32,
}

/// Sends a request and reads the whole answer, as [`read`] does, sending
/// it again as `policy` says when it is `idempotent` (or the policy retries
/// everything) and its body can be sent twice. Returns the last answer
/// (whatever its status) and the number of attempts made.
pub async fn read_with_retries(
    request: reqwest::RequestBuilder,
    policy: &RetryPolicy,
    idempotent: bool,
) -> Result<((StatusCode, HeaderMap, Vec<u8>), u32), SendError> {
    let retries = idempotent || policy.non_idempotent;
    let mut attempt = 1;
    let mut pending = request;
    loop {
        // A body that is a stream cannot be sent twice.
        let again = if retries && attempt < policy.attempts {
            pending.try_clone()
        } else {
            None
        };
        let result = read(pending).await;
        let Some(next) = again else {
            return result
                .map(|answer| (answer, attempt))
                .map_err(|source| SendError {
                    source,
                    attempts: attempt,
                });
        };
        let wait = match &result {
            Ok((status, headers, _)) if retryable(*status) => policy.wait(attempt, Some(headers)),
            Ok(_) => None,
            Err(error) if error.is_connect() || error.is_timeout() => policy.wait(attempt, None),
            Err(_) => None,
        };
        let Some(wait) = wait else {
            return result
                .map(|answer| (answer, attempt))
                .map_err(|source| SendError {
                    source,
                    attempts: attempt,
                });
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
        pending = next;
    }
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
