//! How a client's requests reach the server: over the network with
//! `reqwest` (the default), or through any `tower::Service` that takes an
//! `http::Request` — a generated server's router, for tests without a
//! socket; a stack of layers around [`HttpClient`] that signs, logs or
//! rewrites requests; a test double. Either way every request goes through
//! the same retries, timeouts and (with the `tracing` feature) spans.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt as _;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt as _;

use super::RetryPolicy;
use crate::Operation;

/// An error of any kind, as `tower` services report them.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a custom transport receives: the request the client would have
/// sent over the network (absolute URI, every header, the body).
pub type HttpRequest = http::Request<reqwest::Body>;

/// The whole answer to a request: its status, headers and body.
pub type Answer = (StatusCode, HeaderMap, Vec<u8>);

type Boxed = BoxCloneSyncService<HttpRequest, http::Response<Bytes>, BoxError>;

/// A `tower::Service` a client can send its requests through: it takes an
/// [`HttpRequest`] and answers an `http::Response` with any body. An
/// `axum::Router` is one (so a client can call a generated server in
/// process), [`HttpClient`] is one, and so is anything `tower`'s layers
/// make of them. Implemented for every service with these bounds.
pub trait HttpService: Clone + Send + Sync + 'static {
    /// The service behind one boxed type, its answers' bodies read whole.
    #[doc(hidden)]
    fn into_service(self) -> Service;
}

impl<S, B> HttpService for S
where
    S: tower::Service<HttpRequest, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    fn into_service(self) -> Service {
        let read_whole = |response: http::Response<B>| async move {
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(Into::into)?.to_bytes();
            Ok::<_, BoxError>(http::Response::from_parts(parts, body))
        };
        Service(BoxCloneSyncService::new(
            self.map_err(Into::into).and_then(read_whole),
        ))
    }
}

/// A custom transport, boxed: what a client builder's `service` setter
/// keeps.
#[derive(Clone)]
pub struct Service(Boxed);

impl Service {
    /// Boxes `service`.
    pub fn new(service: impl HttpService) -> Self {
        service.into_service()
    }
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Service(..)")
    }
}

/// A `reqwest::Client` as a `tower::Service` of [`HttpRequest`]s: the
/// network end of a stack of layers given to a client builder's `service`
/// setter.
///
/// ```
/// use krosai_runtime::client::{HttpClient, HttpRequest};
/// use tower::ServiceBuilder;
///
/// // Every request gets a header the spec does not know about.
/// let signed = ServiceBuilder::new()
///     .map_request(|mut request: HttpRequest| {
///         request.headers_mut().insert("x-signature", "…".parse().unwrap());
///         request
///     })
///     .service(HttpClient::new(reqwest::Client::new()));
/// # let _ = signed;
/// ```
#[derive(Debug, Clone)]
pub struct HttpClient(reqwest::Client);

impl HttpClient {
    /// Sends requests with `http`.
    pub fn new(http: reqwest::Client) -> Self {
        Self(http)
    }
}

impl tower::Service<HttpRequest> for HttpClient {
    type Response = http::Response<reqwest::Body>;
    type Error = reqwest::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let http = self.0.clone();
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            http.execute(request).await.map(http::Response::from)
        })
    }
}

/// How a generated client sends its requests. Holds the `reqwest::Client`
/// that builds them, which also sends them unless a custom [`Service`] is
/// given.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    service: Option<Service>,
    timeout: Option<Duration>,
}

impl Transport {
    /// Requests built by `http`, sent by `service` when there is one (each
    /// attempt then limited to `timeout`, unless the request has its own),
    /// by `http` otherwise (whose own settings hold the timeout).
    pub fn new(http: reqwest::Client, service: Option<Service>, timeout: Option<Duration>) -> Self {
        Self {
            http,
            service,
            timeout,
        }
    }

    /// The `reqwest::Client` requests are built with.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// A request to build.
    pub fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
        self.http.request(method, url)
    }

    /// Sends a request of `operation` and reads the whole answer, sending
    /// it again as `policy` says when it is `idempotent` (or the policy
    /// retries everything) and its body can be sent twice. Returns the
    /// last answer, whatever its status.
    ///
    /// With the `tracing` feature, the request runs in an `INFO` span
    /// `krosai.request` (fields `operation_id`, `http.request.method`,
    /// `url.template`, then `http.response.status_code`, `attempts` and
    /// `latency_ms`), each retry is a `DEBUG` event in it, and neither
    /// credentials nor bodies are recorded.
    pub async fn execute(
        &self,
        request: reqwest::RequestBuilder,
        operation: &Operation,
        idempotent: bool,
        policy: &RetryPolicy,
    ) -> Result<Answer, SendError> {
        #[cfg(feature = "tracing")]
        {
            crate::trace::client(operation, self.attempts(request, idempotent, policy)).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = operation;
            self.attempts(request, idempotent, policy)
                .await
                .map(|(answer, _)| answer)
        }
    }

    /// Attempts until an answer is final; the answer and the number of
    /// attempts made.
    pub(crate) async fn attempts(
        &self,
        request: reqwest::RequestBuilder,
        idempotent: bool,
        policy: &RetryPolicy,
    ) -> Result<(Answer, u32), SendError> {
        let (http, request) = request.build_split();
        let mut pending = request.map_err(|error| SendError::new(Failure::reqwest(error), 1))?;
        let retries = policy.allows(idempotent);
        let mut attempt = 1;
        loop {
            // A body that is a stream cannot be sent twice.
            let again = if retries && attempt < policy.max_attempts() {
                pending.try_clone()
            } else {
                None
            };
            let result = self.send(&http, pending).await;
            let wait = match (&again, &result) {
                (None, _) => None,
                (Some(_), Ok((status, headers, _))) if super::retry::retryable(*status) => {
                    policy.wait(attempt, Some(headers))
                }
                (Some(_), Ok(_)) => None,
                (Some(_), Err(failure)) if failure.retryable => policy.wait(attempt, None),
                (Some(_), Err(_)) => None,
            };
            let (Some(wait), Some(next)) = (wait, again) else {
                return result
                    .map(|answer| (answer, attempt))
                    .map_err(|failure| SendError::new(failure, attempt));
            };
            #[cfg(feature = "tracing")]
            crate::trace::retry(attempt, &result, wait);
            tokio::time::sleep(wait).await;
            attempt += 1;
            pending = next;
        }
    }

    /// One attempt.
    async fn send(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
    ) -> Result<Answer, Failure> {
        let Some(service) = &self.service else {
            let response = http.execute(request).await.map_err(Failure::reqwest)?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.map_err(Failure::reqwest)?;
            // Free when the buffer is not shared, which it is not here.
            return Ok((status, headers, Vec::from(bytes)));
        };
        let timeout = request.timeout().copied().or(self.timeout);
        let request = HttpRequest::try_from(request).map_err(Failure::reqwest)?;
        let call = service.0.clone().oneshot(request);
        let response = match timeout {
            Some(limit) => tokio::time::timeout(limit, call)
                .await
                .map_err(|_| Failure::timed_out(limit))?,
            None => call.await,
        }
        .map_err(Failure::service)?;
        let (parts, body) = response.into_parts();
        Ok((parts.status, parts.headers, Vec::from(body)))
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("service", &self.service)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Why one attempt got no answer, and what that means for the next.
pub(crate) struct Failure {
    error: BoxError,
    timeout: bool,
    retryable: bool,
}

impl Failure {
    /// reqwest's error, without its URL (which can hold a query-string
    /// API key): connection errors and timeouts are worth another attempt.
    fn reqwest(error: reqwest::Error) -> Self {
        let timeout = error.is_timeout();
        let retryable = timeout || error.is_connect();
        Self {
            error: Box::new(error.without_url()),
            timeout,
            retryable,
        }
    }

    /// A custom service's error: reqwest's (from [`HttpClient`]) is judged
    /// as such; any other is final.
    fn service(error: BoxError) -> Self {
        match error.downcast::<reqwest::Error>() {
            Ok(error) => Self::reqwest(*error),
            Err(error) => Self {
                error,
                timeout: false,
                retryable: false,
            },
        }
    }

    /// No answer within `limit`: worth another attempt.
    fn timed_out(limit: Duration) -> Self {
        Self {
            error: Box::new(TimedOut(limit)),
            timeout: true,
            retryable: true,
        }
    }

    /// What went wrong, for traces.
    #[cfg(feature = "tracing")]
    pub(crate) fn error(&self) -> &BoxError {
        &self.error
    }
}

/// A custom service gave no answer within the request's timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut(pub Duration);

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no answer within {:?}", self.0)
    }
}

impl std::error::Error for TimedOut {}

/// A failure to get an answer, after every attempt the retry policy
/// allowed.
#[derive(Debug)]
pub struct SendError {
    source: BoxError,
    timeout: bool,
    attempts: u32,
}

impl SendError {
    fn new(failure: Failure, attempts: u32) -> Self {
        Self {
            source: failure.error,
            timeout: failure.timeout,
            attempts,
        }
    }

    /// Whether the last attempt timed out.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What went wrong on the last attempt: a `reqwest::Error` (without
    /// its URL), a [`TimedOut`], or a custom service's own error.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} attempts)", self.source, self.attempts)
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}
