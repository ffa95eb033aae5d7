//! What generated routers share: finding credentials, reading parameters
//! from the path, query, headers and cookies, and recording every broken
//! rule as a [`Violation`] for the `400` answer.
//!
//! Generated handlers describe each parameter as a [`Param`] and read it
//! with one call on the request's [`Input`]; what the answers look like
//! (the spec's `Error` schema) is the generated [`ErrorResponse`] function,
//! which the router's own answers are written with.

use axum::http::request::Parts;
use serde::Serialize;

mod answer;
mod input;
mod limits;
mod serve;

pub use crate::Operation;
pub use answer::{
    bad_request, empty, json as json_response, limit_time, method_not_allowed, missing_credentials,
    not_found, not_implemented, refuse, rejected, status, ErrorResponse, Refused,
};
pub use input::{
    boolean, bytes, double, float, from_text, int32, integer, integer_enum, json, string_enum,
    text, Input, Items, Location, Object, Param, Parse, MAX_PARAMETER_LENGTH,
};
pub use limits::{within, Limits};
pub use serve::{serve, ServeLimits};

/// What every handler of a generated router shares: the API's
/// implementation, the authenticator, and the limits (a router without
/// secured operations never reads the authenticator, one without bodies
/// never reads the limits).
#[derive(Debug)]
pub struct Shared<Api, Auth> {
    /// The implementation of the API's traits.
    pub api: Api,
    /// What resolves credentials into a principal.
    pub authenticator: Auth,
    /// The limits on bodies and time.
    pub limits: Limits,
}

/// How a generated handler receives [`Shared`].
pub type SharedState<Api, Auth> = axum::extract::State<std::sync::Arc<Shared<Api, Auth>>>;

/// Runs the handler of `operation`, whose early answers (a refused
/// credential, a bad request) are its `Err`s. With the `tracing` feature,
/// in an `INFO` span `krosai.request` (fields `operation_id`,
/// `http.request.method`, `http.route`, then `http.response.status_code`
/// and `latency_ms`; no credentials, parameter values or bodies).
pub async fn traced<F>(operation: Operation, handler: F) -> axum::response::Response
where
    F: std::future::Future<Output = Result<axum::response::Response, axum::response::Response>>,
{
    let answer = async move {
        let (Ok(response) | Err(response)) = handler.await;
        response
    };
    #[cfg(feature = "tracing")]
    let answer = crate::trace::server(&operation, answer);
    #[cfg(not(feature = "tracing"))]
    let _ = operation;
    answer.await
}

/// The text pairs of a query string, a cookie header or matched path
/// parameters, decoded, in order.
pub type Pairs = Vec<(String, String)>;

/// One broken rule of a request, listed in a `400` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The parameter's name on the wire.
    pub parameter: String,
    /// Where it travels (`path`, `query`, `header`, `cookie`, `body`).
    #[serde(rename = "in")]
    pub location: &'static str,
    /// The rule it breaks.
    pub rule: String,
}

impl Violation {
    /// The violation of `rule` by the parameter `name` in `location`.
    pub fn new(name: &str, location: &'static str, rule: impl Into<String>) -> Self {
        Self {
            parameter: name.to_owned(),
            location,
            rule: rule.into(),
        }
    }
}

/// Why credentials were refused (what a generated `Authenticator` answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Missing, unknown or expired credentials: `401`.
    Unauthorized(String),
    /// Valid credentials that may not do this (for example act for another
    /// organization): `403`.
    Forbidden(String),
}

/// What a handler knows about the request besides its typed parameters.
#[derive(Debug)]
pub struct RequestContext<P> {
    /// The authenticated principal (`()` for operations the spec does not
    /// secure).
    pub principal: P,
    /// The raw request head (method, URI, headers): an escape hatch for what
    /// the spec does not model.
    pub parts: Parts,
}

/// Where a security scheme's credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <token>` (the token as sent).
    Basic,
    /// A header of this name.
    Header(&'static str),
    /// A query parameter of this name.
    Query(&'static str),
    /// A cookie of this name.
    Cookie(&'static str),
}

/// A place to look for a credential, and how to wrap what is found there
/// (a variant of the API's `Credentials` enum).
pub type CredentialSource<C> = (Source, fn(String) -> C);

/// The token of an `Authorization: <scheme> <token>` header (the scheme
/// compared without case).
pub(crate) fn authorization(parts: &Parts, scheme: &str) -> Option<String> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (given, token) = value.split_once(' ')?;
    let token = token.trim();
    (given.eq_ignore_ascii_case(scheme) && !token.is_empty()).then(|| token.to_owned())
}

/// The first credential the request carries among `sources`, in order.
pub fn find_credentials<C>(parts: &Parts, sources: &[CredentialSource<C>]) -> Option<C> {
    sources.iter().find_map(|(source, make)| {
        let found = match source {
            Source::Bearer => authorization(parts, "bearer"),
            Source::Basic => authorization(parts, "basic"),
            Source::Header(name) => parts
                .headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
            Source::Query(name) => first_non_empty(query_pairs(parts), name),
            Source::Cookie(name) => first_non_empty(cookie_pairs(parts), name),
        };
        found.map(make)
    })
}

fn first_non_empty(pairs: Pairs, name: &str) -> Option<String> {
    pairs
        .into_iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v)
}

/// The path parameters axum matched, decoded; a violation when they are
/// not valid UTF-8.
pub async fn path_pairs(parts: &mut Parts) -> Result<Pairs, Violation> {
    use axum::extract::{FromRequestParts, RawPathParams};
    match RawPathParams::from_request_parts(parts, &()).await {
        Ok(raw) => Ok(raw
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()),
        Err(_) => Err(Violation::new("path", "path", "must be valid UTF-8")),
    }
}

/// The query string as decoded pairs.
pub(crate) fn query_pairs(parts: &Parts) -> Pairs {
    parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// The cookies as pairs.
pub(crate) fn cookie_pairs(parts: &Parts) -> Pairs {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// The values of a header, as text (U+FFFD for a value that is not visible
/// ASCII, which then fails whatever parse follows).
pub(crate) fn header_values<'h>(parts: &'h Parts, name: &str) -> Vec<&'h str> {
    parts
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or("\u{fffd}"))
        .collect()
}

/// The values of one query parameter (or cookie, or path parameter).
pub(crate) fn values<'q>(pairs: &'q [(String, String)], name: &str) -> Vec<&'q str> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Records that a required parameter is missing.
pub fn missing(name: &str, location: &'static str, violations: &mut Vec<Violation>) {
    violations.push(Violation::new(name, location, "required"));
}

/// Splits the value of a path segment that mixes parameters and text
/// (`{name}.{ext}`) into its parameters, appended to `pairs`; `false` when
/// the value does not have the template's shape.
pub fn split_segment(
    pairs: &mut Pairs,
    key: &str,
    pattern: Option<&regex::Regex>,
    names: &[&str],
) -> bool {
    let Some(pattern) = pattern else {
        return false;
    };
    let Some(value) = pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()) else {
        return false;
    };
    let Some(captures) = pattern.captures(&value) else {
        return false;
    };
    for (index, name) in names.iter().enumerate() {
        let Some(found) = captures.get(index + 1) else {
            return false;
        };
        pairs.push(((*name).to_owned(), found.as_str().to_owned()));
    }
    true
}

/// The `name[property]=value` pairs of a `deepObject` parameter, as
/// `(property, value)`; `None` when it has none.
pub(crate) fn deep_object_pairs(query: &[(String, String)], name: &str) -> Option<Pairs> {
    let found: Pairs = query
        .iter()
        .filter_map(|(k, v)| {
            let property = k.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
            Some((property.to_owned(), v.clone()))
        })
        .collect();
    (!found.is_empty()).then_some(found)
}

/// The query pairs that are properties of an exploded `form` object;
/// `None` when none of them is there.
pub(crate) fn form_object_pairs(query: &[(String, String)], properties: &[&str]) -> Option<Pairs> {
    let found: Pairs = query
        .iter()
        .filter(|(k, _)| properties.contains(&k.as_str()))
        .cloned()
        .collect();
    (!found.is_empty()).then_some(found)
}

/// An object's properties from its text: `k=v` items split on `separator`
/// (exploded), or `k,v,k,v` split on `flat`.
pub(crate) fn style_pairs(raw: &str, separator: Option<char>, flat: char) -> Pairs {
    match separator {
        Some(separator) => raw
            .split(separator)
            .filter(|item| !item.is_empty())
            .map(|item| match item.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (item.to_owned(), String::new()),
            })
            .collect(),
        None => {
            let items: Vec<&str> = raw.split(flat).collect();
            items
                .chunks(2)
                .map(|pair| {
                    let key = pair.first().copied().unwrap_or_default();
                    let value = pair.get(1).copied().unwrap_or_default();
                    (key.to_owned(), value.to_owned())
                })
                .collect()
        }
    }
}

/// An object parameter from its properties' texts (numbers and booleans
/// parsed as the schema says).
pub(crate) fn object_from_pairs<T: serde::de::DeserializeOwned>(
    pairs: &[(String, String)],
) -> Result<T, String> {
    let text = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    crate::enums::strictly(|| {
        serde_qs::Config::new()
            .use_form_encoding(true)
            .deserialize_str(&text)
    })
    .map_err(|e| format!("must be an object of the documented schema ({e})"))
}

/// The whole request body, or the `413` answer (in the error schema) when
/// it is longer than `limit` bytes or cannot be read.
pub async fn body_bytes(
    body: axum::body::Body,
    limit: usize,
    error: ErrorResponse,
) -> Result<axum::body::Bytes, axum::response::Response> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        error(
            413,
            "payload_too_large",
            format!("the body is larger than {limit} bytes, or could not be read"),
            None,
        )
    })
}

/// A required request body read by `decode` ([`json_body`],
/// [`form_body`], [`text_body`], [`binary_body`]): `None`, with the
/// violation added, when it is empty or does not decode.
pub fn required_body<T>(
    bytes: &[u8],
    violations: &mut Vec<Violation>,
    decode: fn(&[u8]) -> Result<T, String>,
) -> Option<T> {
    if bytes.is_empty() {
        violations.push(Violation::new("body", "body", "required"));
        return None;
    }
    decoded_body(bytes, violations, decode)
}

/// An optional request body read by `decode`: `Some(None)` when it is
/// empty, `None`, with the violation added, when it does not decode.
pub fn optional_body<T>(
    bytes: &[u8],
    violations: &mut Vec<Violation>,
    decode: fn(&[u8]) -> Result<T, String>,
) -> Option<Option<T>> {
    if bytes.is_empty() {
        return Some(None);
    }
    decoded_body(bytes, violations, decode).map(Some)
}

fn decoded_body<T>(
    bytes: &[u8],
    violations: &mut Vec<Violation>,
    decode: fn(&[u8]) -> Result<T, String>,
) -> Option<T> {
    match decode(bytes) {
        Ok(value) => Some(value),
        Err(rule) => {
            violations.push(Violation::new("body", "body", rule));
            None
        }
    }
}

/// A `text/*` request body: UTF-8 text.
pub fn text_body(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}

/// A binary request body, as it is.
pub fn binary_body(bytes: &[u8]) -> Result<Vec<u8>, String> {
    Ok(bytes.to_vec())
}

/// A JSON request body, held to the spec ([`strictly`](crate::enums::strictly):
/// a value its enums or unions do not list is refused); the error is the
/// rule for the `400` answer.
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    crate::enums::strictly(|| serde_json::from_slice(bytes)).map_err(|e| e.to_string())
}

/// An `application/x-www-form-urlencoded` request body (nested objects as
/// `key[prop]`), held to the spec like [`json_body`].
pub fn form_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    crate::enums::strictly(|| {
        serde_qs::Config::new()
            .use_form_encoding(true)
            .deserialize_bytes(bytes)
    })
    .map_err(|e| e.to_string())
}

/// A multipart field's value: JSON when it parses as such, else its text as
/// a JSON string (an enum, a UUID, a date); held to the spec like
/// [`json_body`].
pub fn part_value<T: serde::de::DeserializeOwned>(data: &[u8]) -> Result<T, String> {
    crate::enums::strictly(|| {
        serde_json::from_slice(data).or_else(|_| {
            let text = std::str::from_utf8(data).map_err(|_| "must be UTF-8 text".to_owned())?;
            serde_json::from_value(serde_json::Value::String(text.to_owned()))
                .map_err(|_| "must be a value of the documented schema".to_owned())
        })
    })
}

/// The message and `details` of the `400` answer listing `violations`:
/// `invalid request: a (query): rule; …` and `{"violations": [...]}`.
pub fn bad_request_parts(
    violations: &[Violation],
) -> (String, serde_json::Map<String, serde_json::Value>) {
    let message = violations
        .iter()
        .map(|v| format!("{} ({}): {}", v.parameter, v.location, v.rule))
        .collect::<Vec<_>>()
        .join("; ");
    let mut details = serde_json::Map::new();
    details.insert(
        "violations".to_owned(),
        serde_json::to_value(violations).unwrap_or(serde_json::Value::Null),
    );
    (format!("invalid request: {message}"), details)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The head of a request to `uri` with these headers.
    pub(crate) fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = axum::http::Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[derive(Debug, PartialEq)]
    enum Credentials {
        Bearer(String),
        Key(String),
        Cookie(String),
    }

    const SOURCES: &[CredentialSource<Credentials>] = &[
        (Source::Bearer, Credentials::Bearer),
        (Source::Header("x-api-key"), Credentials::Key),
        (Source::Cookie("session"), Credentials::Cookie),
    ];

    #[test]
    fn bodies_are_required_optional_or_refused() {
        let mut violations = Vec::new();
        assert_eq!(
            required_body(b"7", &mut violations, json_body::<u32>),
            Some(7)
        );
        assert_eq!(
            optional_body(b"", &mut violations, json_body::<u32>),
            Some(None)
        );
        assert_eq!(
            optional_body(b"8", &mut violations, json_body::<u32>),
            Some(Some(8))
        );
        assert!(violations.is_empty());
        assert_eq!(required_body(b"", &mut violations, json_body::<u32>), None);
        assert_eq!(optional_body(b"x", &mut violations, json_body::<u32>), None);
        assert_eq!(required_body(b"\xff", &mut violations, text_body), None);
        let rules: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| (v.location, v.rule.as_str()))
            .collect();
        assert_eq!(rules[0], ("body", "required"));
        assert!(rules[1].1.starts_with("expected value"), "{rules:?}");
        assert!(rules[2].1.contains("utf-8"), "{rules:?}");
        assert_eq!(binary_body(b"\x00\xff"), Ok(vec![0, 0xff]));
    }

    fn error_status(
        status: u16,
        _: &str,
        _: String,
        _: Option<serde_json::Map<String, serde_json::Value>>,
    ) -> axum::response::Response {
        empty(status)
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_a_413() {
        let short = body_bytes(axum::body::Body::from("abc"), 3, error_status).await;
        assert_eq!(short.unwrap(), "abc");
        let long = body_bytes(axum::body::Body::from("abcd"), 3, error_status).await;
        assert_eq!(long.unwrap_err().status(), 413);
    }

    #[test]
    fn credentials_are_looked_for_in_order() {
        let both = parts(
            "/",
            &[("authorization", "bearer  abc "), ("x-api-key", "k")],
        );
        assert_eq!(
            find_credentials(&both, SOURCES),
            Some(Credentials::Bearer("abc".into()))
        );
        let key = parts("/", &[("authorization", "Basic xyz"), ("x-api-key", " k ")]);
        assert_eq!(
            find_credentials(&key, SOURCES),
            Some(Credentials::Key("k".into()))
        );
        let cookie = parts("/", &[("cookie", "a=1; session=s")]);
        assert_eq!(
            find_credentials(&cookie, SOURCES),
            Some(Credentials::Cookie("s".into()))
        );
        let none = parts(
            "/?key=x",
            &[("x-api-key", "  "), ("authorization", "Bearer ")],
        );
        assert_eq!(find_credentials(&none, SOURCES), None);
        let query = parts("/?key=&key=q", &[]);
        let by_query: &[CredentialSource<String>] = &[(Source::Query("key"), |k| k)];
        assert_eq!(find_credentials(&query, by_query), Some("q".to_owned()));
    }

    #[test]
    fn object_styles_become_pairs() {
        assert_eq!(
            style_pairs("a=1,b=2", Some(','), ','),
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(
            style_pairs("a,1,b", None, ','),
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), String::new())
            ]
        );
        let query = query_pairs(&parts("/?f%5Bx%5D=1&f%5By%5D=2&g=3", &[]));
        assert_eq!(deep_object_pairs(&query, "f").map(|p| p.len()), Some(2));
        assert_eq!(deep_object_pairs(&query, "g"), None);
        assert_eq!(
            form_object_pairs(&query, &["g"]),
            Some(vec![("g".to_owned(), "3".to_owned())])
        );
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Point {
            x: i64,
            y: i64,
        }
        let pairs = deep_object_pairs(&query, "f").unwrap();
        assert_eq!(object_from_pairs::<Point>(&pairs), Ok(Point { x: 1, y: 2 }));
        assert!(object_from_pairs::<Point>(&pairs[..1]).is_err());
    }

    #[test]
    fn composite_segments_split_by_their_pattern() {
        let pattern = regex::Regex::new(r"^(.+)\.([^.]+)$").unwrap();
        let mut pairs = vec![("p0".to_owned(), "report.v2.pdf".to_owned())];
        assert!(split_segment(
            &mut pairs,
            "p0",
            Some(&pattern),
            &["name", "ext"]
        ));
        assert_eq!(values(&pairs, "name"), ["report.v2"]);
        assert_eq!(values(&pairs, "ext"), ["pdf"]);
        let mut pairs = vec![("p0".to_owned(), "nodot".to_owned())];
        assert!(!split_segment(
            &mut pairs,
            "p0",
            Some(&pattern),
            &["name", "ext"]
        ));
        assert!(!split_segment(&mut pairs, "p0", None, &["name"]));
    }

    #[test]
    fn headers_that_are_not_text_fail_their_parse() {
        let mut request = axum::http::Request::builder().uri("/");
        request = request.header("x-n", axum::http::HeaderValue::from_bytes(b"\xff").unwrap());
        let parts = request.body(()).unwrap().into_parts().0;
        assert_eq!(header_values(&parts, "x-n"), ["\u{fffd}"]);
    }
}
