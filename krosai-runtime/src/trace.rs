//! The spans and events of the `tracing` feature, for clients and servers
//! alike. They carry the operation, the method, the path template, the
//! status, the attempts and the latency: never a credential, a parameter
//! value or a body.

#[cfg(feature = "client")]
use std::time::Duration;
use std::time::Instant;

use tracing::field::Empty;

use crate::Operation;

/// Milliseconds, with microsecond precision, as traces show latencies.
fn millis(elapsed: std::time::Duration) -> f64 {
    elapsed.as_micros() as f64 / 1000.0
}

/// Runs the attempts of a client request in its span and records how it
/// ended.
#[cfg(feature = "client")]
pub(crate) async fn client<F>(
    operation: &Operation,
    attempts: F,
) -> Result<crate::client::Answer, crate::client::SendError>
where
    F: std::future::Future<Output = Result<(crate::client::Answer, u32), crate::client::SendError>>,
{
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "krosai.request",
        otel.kind = "client",
        operation_id = operation.id(),
        http.request.method = operation.method(),
        url.template = operation.path(),
        http.response.status_code = Empty,
        attempts = Empty,
        latency_ms = Empty,
        error = Empty,
    );
    let started = Instant::now();
    let result = attempts.instrument(span.clone()).await;
    let latency = millis(started.elapsed());
    span.record("latency_ms", latency);
    match &result {
        Ok(((status, _, _), attempts)) => {
            span.record("http.response.status_code", status.as_u16());
            span.record("attempts", attempts);
            tracing::debug!(
                parent: &span,
                http.response.status_code = status.as_u16(),
                attempts,
                latency_ms = latency,
                "answered"
            );
        }
        Err(error) => {
            span.record("attempts", error.attempts());
            span.record("error", tracing::field::display(error));
            tracing::debug!(parent: &span, %error, latency_ms = latency, "failed");
        }
    }
    result.map(|(answer, _)| answer)
}

/// The event of a request sent again after `wait`.
#[cfg(feature = "client")]
pub(crate) fn retry(
    attempt: u32,
    result: &Result<crate::client::Answer, crate::client::transport::Failure>,
    wait: Duration,
) {
    match result {
        Ok((status, _, _)) => tracing::debug!(
            attempt,
            http.response.status_code = status.as_u16(),
            wait_ms = millis(wait),
            "retrying"
        ),
        Err(failure) => tracing::debug!(
            attempt,
            error = %failure.error(),
            wait_ms = millis(wait),
            "retrying"
        ),
    }
}

/// Runs a server handler in its span and records the status it answered.
#[cfg(feature = "server")]
pub(crate) async fn server<F>(operation: &Operation, handler: F) -> axum::response::Response
where
    F: std::future::Future<Output = axum::response::Response>,
{
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "krosai.request",
        otel.kind = "server",
        operation_id = operation.id(),
        http.request.method = operation.method(),
        http.route = operation.path(),
        http.response.status_code = Empty,
        latency_ms = Empty,
    );
    let started = Instant::now();
    let response = handler.instrument(span.clone()).await;
    let latency = millis(started.elapsed());
    let status = response.status().as_u16();
    span.record("http.response.status_code", status);
    span.record("latency_ms", latency);
    tracing::debug!(
        parent: &span,
        http.response.status_code = status,
        latency_ms = latency,
        "answered"
    );
    response
}
