//! The generated client over a `tower::Service` instead of the network:
//! against the generated router in process (a typed fake of the API, no
//! socket), through layers that change every request (signing), and
//! against test doubles (retries and timeouts still apply).
#![cfg(all(feature = "server", feature = "client"))]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt as _;
use krosai_generated::client::{AuthScheme, Client, ClientError, RequestOptions, RetryPolicy};
use krosai_generated::demo::{DemoCalls, DemoKeys, ALPHA_KEY, ALPHA_ORG, BETA_KEY, CALLS_PER_ORG};
use krosai_generated::server::router;
use krosai_generated::types::{CallStatus, ListCallsOk};
use krosai_runtime::client::{HttpClient, HttpRequest, TimedOut};
use uuid::Uuid;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client of the demo server's router, called in process.
fn in_process(key: &str) -> Client {
    Client::builder("http://krosai.test/")
        .api_key(key)
        .service(router(DemoCalls::demo(), DemoKeys))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn the_client_calls_the_generated_router_without_a_socket() {
    let alpha = in_process(ALPHA_KEY);
    let calls: Vec<_> = alpha
        .list_calls()
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(calls.len(), CALLS_PER_ORG);
    assert!(calls.iter().all(|c| c.organization_id == Some(ALPHA_ORG)));

    let stats = alpha.call_stats().await.expect("stats");
    let completed = calls
        .iter()
        .filter(|c| c.status == Some(CallStatus::Completed))
        .count();
    assert_eq!(stats.completed, Some(completed as i64));

    let id = calls[0].id.expect("id");
    let detail = alpha.get_call(id).await.expect("detail");
    assert_eq!(detail.id, Some(id));
    assert_eq!(detail.status().as_u16(), 200);
}

#[tokio::test]
async fn the_routers_answers_reach_the_client_as_typed_errors() {
    let alpha = in_process(ALPHA_KEY);
    let page = alpha.list_calls().limit(1).await.expect("a page");
    let ListCallsOk::CallsListResponse(page) = page.into_inner() else {
        panic!("not a page");
    };
    let id = page.data[0].id.expect("id");

    // Another tenant's call does not exist for beta, and is not deleted.
    let beta = in_process(BETA_KEY);
    assert!(matches!(
        beta.get_call(id).await,
        Err(ClientError::NotFound(_))
    ));
    // Each client has its own fake: deleting twice in one answers 404.
    alpha.delete_call(id).await.expect("deleted");
    match alpha.delete_call(id).await {
        Err(ClientError::NotFound(body)) => assert_eq!(body.code.as_deref(), Some("not_found")),
        other => panic!("expected NotFound, got {other:?}"),
    }

    // Credentials, in either scheme, are checked by the router.
    assert!(matches!(
        in_process("kros_test_nobody").list_calls().await,
        Err(ClientError::Unauthorized(_))
    ));
    let by_header = Client::builder("http://krosai.test")
        .api_key_with(AuthScheme::ApiKeyAuth, ALPHA_KEY)
        .service(router(DemoCalls::demo(), DemoKeys))
        .build()
        .expect("client builds");
    by_header.list_calls().await.expect("x-api-key accepted");

    // A foreign organization header is refused by the router.
    let forbidden = alpha
        .list_calls()
        .x_organization_id(Uuid::from_u128(7))
        .await;
    assert!(
        matches!(forbidden, Err(ClientError::Forbidden(_))),
        "{forbidden:?}"
    );
}

#[tokio::test]
async fn bounds_are_still_checked_before_the_service_is_called() {
    let calls = Arc::new(AtomicU32::new(0));
    let counted = {
        let calls = calls.clone();
        tower::ServiceBuilder::new()
            .map_request(move |request: HttpRequest| {
                calls.fetch_add(1, Ordering::SeqCst);
                request
            })
            .service(router(DemoCalls::demo(), DemoKeys))
    };
    let client = Client::builder("http://krosai.test")
        .api_key(ALPHA_KEY)
        .service(counted)
        .build()
        .expect("client builds");
    let error = client.list_calls().limit(500).await.expect_err("refused");
    assert!(matches!(error, ClientError::InvalidRequest(_)), "{error:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    client.list_calls().limit(5).await.expect("sent");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_layer_around_the_http_client_signs_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/calls/{}", Uuid::nil())))
        .and(header(
            "x-signature",
            "DELETE /calls/00000000-0000-0000-0000-000000000000",
        ))
        .and(header(
            "authorization",
            format!("Bearer {ALPHA_KEY}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let signed = tower::ServiceBuilder::new()
        .map_request(|mut request: HttpRequest| {
            let signature = format!("{} {}", request.method(), request.uri().path());
            let value = signature.parse().expect("a header value");
            request.headers_mut().insert("x-signature", value);
            request
        })
        .service(HttpClient::new(reqwest::Client::new()));
    let client = Client::builder(server.uri())
        .api_key(ALPHA_KEY)
        .service(signed)
        .build()
        .expect("client builds");
    client
        .delete_call(Uuid::nil())
        .await
        .expect("signed and sent");
    // Connection errors through the HTTP client are retried as without a
    // layer.
    let unreachable = Client::builder("http://127.0.0.1:9")
        .service(HttpClient::new(reqwest::Client::new()))
        .build()
        .expect("client builds");
    let error = unreachable.list_calls().await.expect_err("no server");
    assert!(
        matches!(error, ClientError::Transport { attempts: 3, .. }),
        "{error:?}"
    );
}

/// A test double that answers `503` until its `n`th call, then a page.
fn flaky(failures: u32, calls: Arc<AtomicU32>) -> impl krosai_runtime::client::HttpService {
    tower::service_fn(move |_: HttpRequest| {
        let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            let (status, body) = if call <= failures {
                (503, r#"{"error": "busy"}"#)
            } else {
                (
                    200,
                    r#"{"data": [], "total": 0, "page": 1, "limit": 20, "total_pages": 0}"#,
                )
            };
            axum::http::Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(String::from(body))
        }
    })
}

#[tokio::test]
async fn retries_and_timeouts_apply_to_custom_services() {
    let calls = Arc::new(AtomicU32::new(0));
    let client = Client::builder("http://double.test")
        .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
        .service(flaky(2, calls.clone()))
        .build()
        .expect("client builds");
    let page = client.list_calls().await.expect("third attempt");
    assert!(matches!(
        page.into_inner(),
        ListCallsOk::CallsListResponse(_)
    ));
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    // A service that never answers: each attempt ends at the timeout.
    let hangs = tower::service_fn(|_: HttpRequest| async {
        std::future::pending::<Result<axum::http::Response<String>, std::convert::Infallible>>()
            .await
    });
    let client = Client::builder("http://double.test")
        .timeout(Duration::from_millis(20))
        .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
        .service(hangs)
        .build()
        .expect("client builds");
    match client.list_calls().await {
        Err(ClientError::Timeout { source, attempts }) => {
            assert_eq!(attempts, 3);
            let timed_out = source.downcast_ref::<TimedOut>().expect("a TimedOut");
            assert_eq!(timed_out.0, Duration::from_millis(20));
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    // A request's own timeout and policy win over the client's.
    let error = client
        .get_call(Uuid::nil())
        .options(
            RequestOptions::new()
                .timeout(Duration::from_millis(5))
                .retry(RetryPolicy::none()),
        )
        .await
        .expect_err("times out");
    assert!(
        matches!(error, ClientError::Timeout { attempts: 1, .. }),
        "{error:?}"
    );

    // A service's own error is final, and kept.
    let refuses = tower::service_fn(|_: HttpRequest| async {
        Err::<axum::http::Response<String>, _>(std::io::Error::other("refused by the double"))
    });
    let client = Client::builder("http://double.test")
        .service(refuses)
        .build()
        .expect("client builds");
    match client.list_calls().await {
        Err(ClientError::Transport { source, attempts }) => {
            assert_eq!(attempts, 1);
            assert_eq!(source.to_string(), "refused by the double");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}
