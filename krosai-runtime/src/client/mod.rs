//! What generated clients share: the response wrapper, parameter
//! violations, credentials kept out of logs, URL building, the text of
//! parameter values, and sending requests ([`Transport`]: over the network
//! or through any `tower::Service`, with retries ([`RetryPolicy`]) and
//! per-request settings ([`RequestOptions`])).
//!
//! The API-specific parts (`Client`, its builder, `ClientError` with one
//! variant per documented error status, one request builder per operation)
//! are generated and call into these.

mod error;
mod macros;
mod options;
mod retry;
pub(crate) mod transport;

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Url;

/// The HTTP status of an answer (`reqwest`'s, which is `http`'s).
pub use reqwest::StatusCode;

pub use crate::bounds::Bounds;
pub use crate::Operation;
pub use options::RequestOptions;
pub use retry::RetryPolicy;
pub use transport::{
    Answer, BoxError, HttpClient, HttpRequest, HttpService, SendError, Service, TimedOut, Transport,
};

/// Decodes an answer (status, headers, body) into an operation's result:
/// each generated request builder has one, and hands it to the client's
/// one `async` body, which sends the request.
pub type Decode<T, E> = fn(StatusCode, HeaderMap, Vec<u8>) -> Result<Response<T>, E>;

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

/// Writes violations separated by `; ` (what `ClientError`'s `Display`
/// says of an invalid request).
pub fn write_violations(f: &mut fmt::Formatter<'_>, violations: &[Violation]) -> fmt::Result {
    for (index, violation) in violations.iter().enumerate() {
        if index > 0 {
            f.write_str("; ")?;
        }
        fmt::Display::fmt(violation, f)?;
    }
    Ok(())
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

/// `request` with `body`, when set, as its JSON body of media type
/// `media`. The error is the message for the client's configuration error.
pub fn json_body<T: serde::Serialize>(
    request: reqwest::RequestBuilder,
    media: &str,
    body: Option<&T>,
) -> Result<reqwest::RequestBuilder, String> {
    let Some(body) = body else {
        return Ok(request);
    };
    let bytes = serde_json::to_vec(body).map_err(unencodable)?;
    Ok(request
        .header(reqwest::header::CONTENT_TYPE, media)
        .body(bytes))
}

/// `request` with `body`, when set, as `application/x-www-form-urlencoded`:
/// nested objects as `key[property]`, arrays as repeated keys (`form`,
/// exploded, the spec's default). The error is the message for the
/// client's configuration error.
pub fn form_body<T: serde::Serialize>(
    request: reqwest::RequestBuilder,
    body: Option<&T>,
) -> Result<reqwest::RequestBuilder, String> {
    let Some(body) = body else {
        return Ok(request);
    };
    let text = serde_qs::Config::new()
        .use_form_encoding(true)
        .array_format(serde_qs::ArrayFormat::Unindexed)
        .serialize_string(body)
        .map_err(unencodable)?;
    Ok(request
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(text))
}

/// The configuration error of a body that cannot be encoded.
fn unencodable(error: impl fmt::Display) -> String {
    format!("cannot encode the request body: {error}")
}

/// `request` with `body`, when set, as it is (text or bytes), of media type
/// `media`.
pub fn raw_body<B: Into<reqwest::Body>>(
    request: reqwest::RequestBuilder,
    media: &str,
    body: Option<B>,
) -> reqwest::RequestBuilder {
    match body {
        Some(body) => request
            .header(reqwest::header::CONTENT_TYPE, media)
            .body(body),
        None => request,
    }
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
