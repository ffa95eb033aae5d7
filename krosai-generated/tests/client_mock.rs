//! The generated client against an in-process HTTP mock, for what an
//! independent mock server cannot produce: timeouts, undocumented statuses,
//! malformed bodies, and exact checks of what goes on the wire.
#![cfg(feature = "client")]

use std::time::Duration;

use futures_util::TryStreamExt as _;
use krosai_generated::client::{AuthScheme, Client, ClientError, RetryPolicy};
use krosai_generated::types::{CallStatus, ListCallsOk};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "kros_test_secret_key";

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .api_key(KEY)
        .build()
        .expect("client builds")
}

fn call(n: u32) -> serde_json::Value {
    json!({
        "id": Uuid::from_u128(u128::from(n)).to_string(),
        "status": "completed",
        "direction": "inbound",
        "created_at": "2026-11-01T10:00:00Z",
        "endpoint_id": null
    })
}

fn page(numbers: std::ops::Range<u32>, page: i64, total_pages: i64) -> serde_json::Value {
    json!({
        "data": numbers.map(call).collect::<Vec<_>>(),
        "total": 5, "page": page, "limit": 2, "total_pages": total_pages
    })
}

/// A newer server: one call has a status this spec does not list, the
/// other a field it does not know. Both calls reach the caller, the unknown
/// status kept as sent.
#[tokio::test]
async fn a_page_from_a_newer_server_decodes_whole() {
    let server = MockServer::start().await;
    let mut voicemail = call(1);
    voicemail["status"] = json!("voicemail");
    let mut extra = call(2);
    extra["sentiment"] = json!({"score": 0.8});
    Mock::given(method("GET"))
        .and(path("/calls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [voicemail, extra],
            "total": 2, "page": 1, "limit": 20, "total_pages": 1
        })))
        .mount(&server)
        .await;
    let response = client(&server).list_calls().await.expect("decodes");
    let ListCallsOk::CallsListResponse(list) = response.into_inner() else {
        panic!("not a list");
    };
    assert_eq!(list.data.len(), 2);
    let status = list.data[0].status.clone().expect("a status");
    assert!(!status.is_known());
    assert!(matches!(&status, CallStatus::Unknown(value) if value.as_str() == "voicemail"));
    assert_eq!(status.to_string(), "voicemail");
    assert_eq!(list.data[1].status, Some(CallStatus::Completed));
    // Sent back (a filter, say), it is the same text.
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("voicemail"));
}

#[tokio::test]
async fn list_calls_sends_typed_parameters_and_decodes_the_list() {
    let server = MockServer::start().await;
    let org = Uuid::from_u128(7);
    Mock::given(method("GET"))
        .and(path("/calls"))
        .and(query_param("status", "no_answer"))
        .and(query_param("limit", "50"))
        .and(query_param_is_missing("page"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("x-organization-id", org.to_string().as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(0..2, 1, 1))
                .insert_header("x-request-id", "abc"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .api_key(KEY)
        .organization_id(org)
        .build()
        .expect("client builds");
    let response = client
        .list_calls()
        .status(CallStatus::NoAnswer)
        .limit(50)
        .await
        .expect("lists");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["x-request-id"], "abc");
    let ListCallsOk::CallsListResponse(list) = response.into_inner() else {
        panic!("not a list");
    };
    assert_eq!(list.data.len(), 2);
    assert_eq!(list.data[0].status, Some(CallStatus::Completed));
}

#[tokio::test]
async fn the_api_key_can_travel_in_x_api_key_and_a_call_can_override_the_organization() {
    let server = MockServer::start().await;
    let default_org = Uuid::from_u128(1);
    let other_org = Uuid::from_u128(2);
    let id = Uuid::from_u128(42);
    Mock::given(method("DELETE"))
        .and(path(format!("/calls/{id}")))
        .and(header("x-api-key", KEY))
        .and(header("x-organization-id", other_org.to_string().as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .api_key_with(AuthScheme::ApiKeyAuth, KEY)
        .organization_id(default_org)
        .build()
        .expect("client builds");
    let response = client
        .delete_call(id)
        .x_organization_id(other_org)
        .await
        .expect("deletes");
    assert_eq!(response.status().as_u16(), 204);
    let () = response.into_inner();
}

#[tokio::test]
async fn out_of_bounds_parameters_are_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let error = client(&server)
        .list_calls()
        .limit(500)
        .page(0)
        .await
        .expect_err("refused");
    let ClientError::InvalidRequest(violations) = &error else {
        panic!("{error:?}");
    };
    let rules: Vec<(&str, &str)> = violations
        .iter()
        .map(|v| (v.parameter, v.rule.as_str()))
        .collect();
    assert_eq!(rules, vec![("page", "minimum 1"), ("limit", "maximum 100")]);
    let message = error.to_string();
    assert!(
        message.contains("`limit` = 500 breaks `maximum 100`"),
        "{message}"
    );
}

#[tokio::test]
async fn a_documented_error_decodes_the_error_body() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(9);
    Mock::given(method("GET"))
        .and(path(format!("/calls/{id}")))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "Call not found", "code": "not_found"})),
        )
        .mount(&server)
        .await;
    match client(&server).get_call(id).await {
        Err(ClientError::NotFound(body)) => {
            assert_eq!(body.error, "Call not found");
            assert_eq!(body.code.as_deref(), Some("not_found"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_keeps_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("short and stout"))
        .mount(&server)
        .await;
    match client(&server).get_call(Uuid::nil()).await {
        Err(ClientError::UnexpectedStatus { status, body }) => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(body, "short and stout");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_with_the_raw_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": \"not-a-uuid\"}"))
        .mount(&server)
        .await;
    match client(&server).get_call(Uuid::nil()).await {
        Err(ClientError::Decode {
            status,
            body,
            source,
        }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, "{\"id\": \"not-a-uuid\"}");
            assert!(source.to_string().contains("UUID"), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client builds");
    let error = client.get_call(Uuid::nil()).await.expect_err("times out");
    // A GET is sent three times (the default policy) before giving up.
    assert!(
        matches!(error, ClientError::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 3);
}

#[tokio::test]
async fn keys_never_appear_in_debug_output_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "bad key"})))
        .mount(&server)
        .await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(KEY));
    let error = client.list_calls().await.expect_err("401");
    assert!(matches!(error, ClientError::Unauthorized(_)));
    assert!(!format!("{error} {error:?}").contains(KEY));
    // A transport error names no key either.
    let unreachable = Client::builder("http://127.0.0.1:9")
        .api_key(KEY)
        .build()
        .expect("client builds");
    let error = unreachable.list_calls().await.expect_err("no server");
    assert!(
        matches!(error, ClientError::Transport { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test]
async fn the_stream_walks_every_page_lazily_and_stops_at_total_pages() {
    let server = MockServer::start().await;
    for (n, range) in [(1, 0..2), (2, 2..4), (3, 4..5)] {
        Mock::given(method("GET"))
            .and(path("/calls"))
            .and(query_param("page", n.to_string().as_str()))
            .and(query_param("direction", "inbound"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(range, n, 3)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let calls: Vec<_> = client
        .list_calls()
        .direction(krosai_generated::types::CallDirection::Inbound)
        .into_stream()
        .try_collect()
        .await
        .expect("streams");
    let ids: Vec<Uuid> = calls.iter().filter_map(|c| c.id).collect();
    assert_eq!(ids, (0..5).map(Uuid::from_u128).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_stream_error_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(0..2, 1, 3)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut stream = std::pin::pin!(client.list_calls_stream(Default::default()));
    assert!(stream.try_next().await.expect("first").is_some());
    assert!(stream.try_next().await.expect("second").is_some());
    let error = stream.try_next().await.expect_err("third fails");
    assert!(
        matches!(error, ClientError::UnexpectedStatus { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn stats_and_trends_shortcuts_return_their_variant() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("action", "stats"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"completed": 5, "failed": 1})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("action", "trends"))
        .and(query_param("start_date", "2026-11-01"))
        .and(query_param("end_date", "2026-11-02"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"date": "2026-11-01", "completed": 3},
            {"date": "2026-11-02", "completed": 0}
        ])))
        .mount(&server)
        .await;
    let client = client(&server);
    let stats = client.call_stats().await.expect("stats");
    assert_eq!(
        (stats.completed, stats.failed, stats.busy),
        (Some(5), Some(1), None)
    );
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("date");
    let trends = client.call_trends(start, end).await.expect("trends");
    assert_eq!(trends.len(), 2);
    assert_eq!(trends[0].completed, Some(3));
}

// ----------------------------------------------------------------- retries

/// Answers `status` (with these headers) to the first `times` requests for
/// `path`, then `then` to the rest.
async fn flaky(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

fn one_call(id: Uuid) -> serde_json::Value {
    json!({"id": id, "status": "completed"})
}

#[tokio::test]
async fn a_get_is_retried_through_two_503s() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(7);
    flaky(
        &server,
        "GET",
        &format!("/calls/{id}"),
        ResponseTemplate::new(503),
        2,
        ResponseTemplate::new(200).set_body_json(one_call(id)),
    )
    .await;
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client builds");
    let call = client
        .get_call(id)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(call.body().id, Some(id));
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 3);
}

#[tokio::test]
async fn retry_after_is_waited_out() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(8);
    flaky(
        &server,
        "GET",
        &format!("/calls/{id}"),
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
        ResponseTemplate::new(200).set_body_json(one_call(id)),
    )
    .await;
    let client = Client::new(server.uri()).expect("client builds");
    let started = std::time::Instant::now();
    client.get_call(id).await.expect("succeeds after the wait");
    // The wait is the behaviour: at least the second the server asked for.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 2);
}

#[tokio::test]
async fn a_delete_is_retried_and_retries_can_be_turned_off() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(9);
    flaky(
        &server,
        "DELETE",
        &format!("/calls/{id}"),
        ResponseTemplate::new(502),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client builds");
    client
        .delete_call(id)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 2);

    // Without retries, the first 502 is the answer.
    let server = MockServer::start().await;
    flaky(
        &server,
        "DELETE",
        &format!("/calls/{id}"),
        ResponseTemplate::new(502),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    let error = client.delete_call(id).await.expect_err("502");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 1);
}

#[tokio::test]
async fn a_documented_error_that_is_not_transient_is_not_retried() {
    let server = MockServer::start().await;
    let id = Uuid::from_u128(10);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "no such call"})))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client builds");
    let error = client.get_call(id).await.expect_err("404");
    assert!(matches!(error, ClientError::NotFound(_)), "{error:?}");
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 1);
}

// ------------------------------------------------------ per-request options

#[tokio::test]
async fn per_request_options_override_the_client() {
    use krosai_generated::client::RequestOptions;
    use reqwest::header::{HeaderName, HeaderValue};
    let server = MockServer::start().await;
    let id = Uuid::from_u128(11);
    Mock::given(method("GET"))
        .and(path(format!("/calls/{id}")))
        .and(header("x-request-id", "r-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(one_call(id)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/calls"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client builds");
    // An extra header on one request only.
    let options = RequestOptions::new().header(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from_static("r-42"),
    );
    assert!(
        !format!("{options:?}").contains("r-42"),
        "values are not shown"
    );
    let call = client
        .get_call(id)
        .options(options)
        .await
        .expect("the mock matches only with the header");
    assert_eq!(call.body().id, Some(id));
    // A shorter timeout and no retries for one request.
    let error = client
        .list_calls()
        .options(
            RequestOptions::new()
                .timeout(Duration::from_millis(100))
                .retry(RetryPolicy::none()),
        )
        .await
        .expect_err("times out");
    assert!(
        matches!(error, ClientError::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
}
