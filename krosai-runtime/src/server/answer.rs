//! The answers a generated router writes on its own (a `400` listing
//! violations, `401`/`403` for credentials, `404`, `405`, `408`, a `500`
//! for a body that cannot be encoded), each in the spec's error schema
//! through the generated [`ErrorResponse`] function.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Limits, Rejection, Violation};

/// Writes an error answer in the spec's error schema: the status, a
/// machine code (`invalid_request`, `not_found`, …), the message, and
/// details (a schema without room for the code or the details leaves them
/// out). Each generated server has one.
pub type ErrorResponse = fn(u16, &str, String, Option<Map<String, Value>>) -> Response;

/// A future ready at once with `Err(make())`: what a trait method a
/// server leaves out returns (its answer is `501 Not Implemented`). It
/// holds only the function, so it is `Send` whatever the answer type is
/// (an answer's own `Send` may take the compiler deep into a large spec's
/// types).
#[derive(Debug, Clone, Copy)]
#[must_use = "futures do nothing unless polled"]
pub struct Refused<T>(fn() -> T);

/// The future ready at once with `Err(make())`.
pub fn refuse<T>(make: fn() -> T) -> Refused<T> {
    Refused(make)
}

impl<T> std::future::Future for Refused<T> {
    type Output = Result<T, T>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<T, T>> {
        std::task::Poll::Ready(Err((self.0)()))
    }
}

/// A JSON answer with `status`; a `500` in the error schema if `body`
/// cannot be encoded.
pub fn json<T: Serialize + ?Sized>(status: u16, body: &T, error: ErrorResponse) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => error(
            500,
            "internal_error",
            "the response could not be encoded".to_owned(),
            None,
        ),
    }
}

/// The status of a documented answer (the spec's status codes are checked
/// when generating; one out of range would be `200`).
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

/// An answer without a body.
pub fn empty(code: u16) -> Response {
    status(code).into_response()
}

/// The `400` answer listing every violation (see
/// [`bad_request_parts`](super::bad_request_parts)).
pub fn bad_request(violations: &[Violation], error: ErrorResponse) -> Response {
    let (message, details) = super::bad_request_parts(violations);
    error(400, "invalid_request", message, Some(details))
}

/// The `501` answer of an operation the server does not implement.
pub fn not_implemented(operation_id: &str, error: ErrorResponse) -> Response {
    error(
        501,
        "not_implemented",
        format!("`{operation_id}` is not implemented by this server"),
        None,
    )
}

/// The `401` answer for a request without credentials.
pub fn missing_credentials(error: ErrorResponse) -> Response {
    error(401, "unauthorized", "missing credentials".to_owned(), None)
}

/// The `401` or `403` answer for credentials the authenticator refused.
pub fn rejected(rejection: Rejection, error: ErrorResponse) -> Response {
    match rejection {
        Rejection::Unauthorized(message) => error(401, "unauthorized", message, None),
        Rejection::Forbidden(message) => error(403, "forbidden", message, None),
    }
}

/// The answer for a route that does not exist: `404`.
pub fn not_found(error: ErrorResponse) -> Response {
    error(404, "not_found", "no such resource".to_owned(), None)
}

/// The answer for a method the route does not have: `405` (axum adds the
/// `Allow` header).
pub fn method_not_allowed(error: ErrorResponse) -> Response {
    error(
        405,
        "method_not_allowed",
        "method not allowed".to_owned(),
        None,
    )
}

/// Middleware (for `axum::middleware::from_fn_with_state`) answering `408`
/// for a request not answered within `limits` (reading a trickled body
/// included).
pub async fn limit_time(
    State((limits, error)): State<(Limits, ErrorResponse)>,
    request: Request,
    next: Next,
) -> Response {
    match super::within(limits, next.run(request)).await {
        Some(response) => response,
        None => {
            let seconds = limits
                .request_timeout()
                .map(|t| t.as_secs_f64())
                .unwrap_or_default();
            error(
                408,
                "request_timeout",
                format!("the request was not answered within {seconds} s"),
                None,
            )
        }
    }
}

/// Converts an operation's shared responses (a generated tuple struct
/// around the body, or a unit struct for one without a body) into its
/// response enum, so that `?` works on them in a handler: one `From` impl
/// per `Shared => Variant(0)` (the body moves into the variant) or
/// `Shared => Variant` (a variant without a body).
///
/// ```
/// pub struct NotFound(pub String);
/// pub struct Gone;
///
/// pub enum GetCallResponse {
///     Ok(u32),
///     NotFound(String),
///     Gone,
/// }
///
/// krosai_runtime::from_shared!(GetCallResponse { NotFound => NotFound(0), Gone => Gone });
///
/// fn get_call(id: u32) -> Result<GetCallResponse, GetCallResponse> {
///     match id {
///         0 => Err(NotFound("no call 0".to_owned()))?,
///         1 => Err(Gone)?,
///         id => Ok(GetCallResponse::Ok(id)),
///     }
/// }
///
/// assert!(matches!(get_call(0), Err(GetCallResponse::NotFound(m)) if m == "no call 0"));
/// assert!(matches!(get_call(1), Err(GetCallResponse::Gone)));
/// assert!(matches!(get_call(2), Ok(GetCallResponse::Ok(2))));
/// ```
#[macro_export]
macro_rules! from_shared {
    ($target:ident { $($shared:ident => $variant:ident $(($field:tt))?),* $(,)? }) => {
        $(
            impl ::core::convert::From<$shared> for $target {
                fn from(response: $shared) -> Self {
                    let _ = &response;
                    Self::$variant $((response.$field))?
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(
        status: u16,
        code: &str,
        message: String,
        details: Option<Map<String, Value>>,
    ) -> Response {
        let body = serde_json::json!({"error": message, "code": code, "details": details});
        json(status, &body, plain)
    }

    async fn body(response: Response) -> (u16, Value) {
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn each_answer_is_in_the_error_schema_with_its_status() {
        let (status, value) = body(not_found(plain)).await;
        assert_eq!((status, value["code"].as_str()), (404, Some("not_found")));
        let (status, value) = body(method_not_allowed(plain)).await;
        assert_eq!(
            (status, value["code"].as_str()),
            (405, Some("method_not_allowed"))
        );
        let (status, value) = body(missing_credentials(plain)).await;
        assert_eq!(
            (status, value["code"].as_str()),
            (401, Some("unauthorized"))
        );
        let (status, value) = body(rejected(Rejection::Forbidden("not yours".into()), plain)).await;
        assert_eq!((status, value["error"].as_str()), (403, Some("not yours")));
        let (status, value) = body(not_implemented("getCall", plain)).await;
        assert_eq!(status, 501);
        assert!(value["error"].as_str().unwrap().contains("`getCall`"));
        assert_eq!(empty(204).status(), StatusCode::NO_CONTENT);
        assert_eq!(refuse(|| 7).await, Err(7));
    }

    #[tokio::test]
    async fn a_body_that_cannot_be_encoded_is_a_500() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let (status, value) = body(json(200, &Broken, plain)).await;
        assert_eq!(
            (status, value["code"].as_str()),
            (500, Some("internal_error"))
        );
    }
}
