//! The generated server and the reference implementation: the trait called
//! directly, the router through `tower::ServiceExt::oneshot`, and the
//! generated client against the reference server over real TCP.
#![cfg(all(feature = "server", feature = "client"))]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::TryStreamExt as _;
use krosai_generated::client::{AuthScheme, Client, ClientError};
use krosai_generated::demo::{
    DemoCalls, DemoKeys, Principal, ALPHA_KEY, ALPHA_ORG, BETA_KEY, BETA_ORG, CALLS_PER_ORG,
};
use krosai_generated::server::{
    router, CallsApi, DeleteCallRequest, DeleteCallResponse, GetCallRequest, GetCallResponse,
    ListCallsRequest, ListCallsResponse, RequestContext,
};
use krosai_generated::types::{CallDirection, CallStatus, ListCallsAction, ListCallsOk};
use serde_json::Value;
use tower::ServiceExt as _;
use uuid::Uuid;

fn context(organization: Uuid) -> RequestContext<Principal> {
    RequestContext {
        principal: Principal { organization },
        parts: Request::new(()).into_parts().0,
    }
}

fn list_request() -> ListCallsRequest {
    // The spec's defaults: page 1, limit 20.
    let request = ListCallsRequest::default();
    assert_eq!((request.page, request.limit), (1, 20));
    request
}

// ---------------------------------------------------------------- the trait

#[tokio::test]
async fn the_trait_paginates_one_indexed_with_total_pages() {
    let api = DemoCalls::demo();
    let mut request = list_request();
    request.limit = 7;
    request.page = 3;
    let Ok(ListCallsResponse::Ok(ListCallsOk::CallsListResponse(page))) =
        api.list_calls(&context(ALPHA_ORG), request).await
    else {
        panic!("not a list");
    };
    assert_eq!(page.total, CALLS_PER_ORG as i64);
    assert_eq!(page.total_pages, (CALLS_PER_ORG as i64 + 6) / 7);
    assert_eq!((page.page, page.limit, page.data.len()), (3, 7, 7));
    assert!(page
        .data
        .iter()
        .all(|c| c.organization_id == Some(ALPHA_ORG)));
}

#[tokio::test]
async fn the_trait_hides_other_tenants_calls() {
    let api = DemoCalls::demo();
    let Ok(ListCallsResponse::Ok(ListCallsOk::CallsListResponse(page))) =
        api.list_calls(&context(ALPHA_ORG), list_request()).await
    else {
        panic!("not a list");
    };
    let alpha_call = page.data[0].id.expect("id");
    let as_beta = api
        .get_call(&context(BETA_ORG), GetCallRequest::new(alpha_call))
        .await;
    assert!(
        matches!(as_beta, Err(GetCallResponse::NotFound(_))),
        "{as_beta:?}"
    );
    let deleted = api
        .delete_call(&context(BETA_ORG), DeleteCallRequest::new(alpha_call))
        .await;
    assert!(matches!(deleted, Err(DeleteCallResponse::NotFound(_))));
    let still_there = api
        .get_call(&context(ALPHA_ORG), GetCallRequest::new(alpha_call))
        .await;
    assert!(matches!(still_there, Ok(GetCallResponse::Ok(_))));
}

#[tokio::test]
async fn the_trait_deletes_once() {
    let api = DemoCalls::demo();
    let Ok(ListCallsResponse::Ok(ListCallsOk::CallsListResponse(page))) =
        api.list_calls(&context(BETA_ORG), list_request()).await
    else {
        panic!("not a list");
    };
    let id = page.data[0].id.expect("id");
    let request = || DeleteCallRequest::new(id);
    assert_eq!(
        api.delete_call(&context(BETA_ORG), request()).await,
        Ok(DeleteCallResponse::NoContent)
    );
    let again = api.delete_call(&context(BETA_ORG), request()).await;
    let Err(DeleteCallResponse::NotFound(error)) = again else {
        panic!("{again:?}");
    };
    assert_eq!(error.code.as_deref(), Some("not_found"));
}

// --------------------------------------------------------------- the router

async fn call(request: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let app = router(DemoCalls::demo(), DemoKeys);
    let response = app.oneshot(request).await.expect("infallible");
    let status = response.status();
    let allow = response
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {bytes:?}"))
    };
    (status, allow, body)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header("authorization", format!("Bearer {ALPHA_KEY}"))
        .body(Body::empty())
        .expect("request")
}

/// Asserts an `Error`-schema body: a string `error`, a string `code`.
fn assert_error(body: &Value, code: &str) {
    assert!(body["error"].is_string(), "{body}");
    assert_eq!(body["code"], code, "{body}");
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert!(
        keys.iter()
            .all(|k| ["error", "code", "details"].contains(&k.as_str())),
        "{body}"
    );
}

/// The `(parameter, rule)` pairs of a 400 answer.
fn violations(body: &Value) -> Vec<(String, String)> {
    body["details"]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["parameter"].as_str().unwrap_or_default().to_owned(),
                v["rule"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_bad_request_is_a_400_in_the_error_schema_listing_every_violation() {
    let long = "x".repeat(5000);
    let table: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/calls?page=0".into(), vec![("page", "minimum 1")]),
        ("/calls?limit=101".into(), vec![("limit", "maximum 100")]),
        ("/calls?limit=0".into(), vec![("limit", "minimum 1")]),
        (
            "/calls?limit=abc".into(),
            vec![("limit", "must be an integer")],
        ),
        (
            "/calls?status=ringing".into(),
            vec![("status", "must be one of")],
        ),
        // A value the generated types would keep, refused by the server.
        (
            "/calls?status=voicemail".into(),
            vec![("status", "must be one of")],
        ),
        (
            "/calls?action=export".into(),
            vec![("action", "must be one of")],
        ),
        (
            "/calls?direction=sideways".into(),
            vec![("direction", "must be one of")],
        ),
        (
            "/calls?start_date=2026-02-30".into(),
            vec![("start_date", "must be a date")],
        ),
        (
            "/calls?end_date=yesterday".into(),
            vec![("end_date", "pattern ^20")],
        ),
        (
            "/calls?start_date=1999-12-31".into(),
            vec![("start_date", "pattern ^20")],
        ),
        (
            "/calls?phone_number_id=42".into(),
            vec![("phone_number_id", "must be a UUID")],
        ),
        ("/calls/not-a-uuid".into(), vec![("id", "must be a UUID")]),
        (
            "/calls?limit=5&limit=6".into(),
            vec![("limit", "given more than once")],
        ),
        (
            format!("/calls?status={long}"),
            vec![("status", "longer than 2048 characters")],
        ),
        (
            "/calls?page=0&limit=101&status=x&start_date=bad".into(),
            vec![
                ("page", "minimum 1"),
                ("limit", "maximum 100"),
                ("status", "must be one of"),
                ("start_date", "pattern ^20"),
            ],
        ),
    ];
    for (uri, expected) in table {
        let (status, _, body) = call(get(&uri)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_error(&body, "invalid_request");
        let found = violations(&body);
        assert_eq!(found.len(), expected.len(), "{uri}: {body}");
        for ((parameter, rule), (want_parameter, want_rule)) in found.iter().zip(&expected) {
            assert_eq!(parameter, want_parameter, "{uri}");
            assert!(rule.starts_with(want_rule), "{uri}: {rule}");
        }
    }
}

#[tokio::test]
async fn a_malformed_organization_header_is_a_400() {
    let request = Request::get("/calls")
        .header("x-api-key", ALPHA_KEY)
        .header("x-organization-id", "acme")
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = call(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        violations(&body),
        vec![("x-organization-id".to_owned(), "must be a UUID".to_owned())]
    );
}

#[tokio::test]
async fn credentials_are_checked_before_anything_else() {
    let missing = Request::get("/calls?limit=500")
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = call(missing).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&body, "unauthorized");

    let wrong = Request::get("/calls")
        .header("authorization", "Bearer kros_test_nobody")
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = call(wrong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&body, "unauthorized");

    let foreign = Request::get("/calls")
        .header("x-api-key", BETA_KEY)
        .header("x-organization-id", ALPHA_ORG.to_string())
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = call(foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_error(&body, "forbidden");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_schema() {
    let (status, _, body) = call(get("/recordings")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, "not_found");

    let put = Request::put("/calls").body(Body::empty()).expect("request");
    let (status, allow, body) = call(put).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow.as_deref(), Some("GET,HEAD"));
    assert_error(&body, "method_not_allowed");

    let post = Request::post(format!("/calls/{}", Uuid::nil()))
        .body(Body::empty())
        .expect("request");
    let (status, allow, _) = call(post).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let allow = allow.unwrap_or_default();
    assert!(allow.contains("GET") && allow.contains("DELETE"), "{allow}");
}

#[tokio::test]
async fn the_router_serves_its_spec() {
    let (status, _, body) = call(
        Request::get("/openapi.json")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["info"]["title"], krosai_generated::API_TITLE);
    assert_eq!(
        body["components"]["securitySchemes"]["ApiKeyAuth"]["name"],
        "x-api-key"
    );
}

#[tokio::test]
async fn defaults_are_applied() {
    let (status, _, body) = call(get("/calls")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["page"].as_i64(), body["limit"].as_i64()),
        (Some(1), Some(20))
    );
    assert_eq!(body["data"].as_array().map(Vec::len), Some(20));
}

// ------------------------------------- the generated client, over real TCP

struct Running {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve() -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    let app = axum::Router::new().nest("/v1", router(DemoCalls::demo(), DemoKeys));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Running { url, task }
}

fn client(server: &Running, key: &str) -> Client {
    Client::builder(&server.url)
        .api_key(key)
        .build()
        .expect("client")
}

#[tokio::test]
async fn listing_across_pages_sees_every_call_once() {
    let server = serve().await;
    let alpha = client(&server, ALPHA_KEY);
    let calls: Vec<_> = alpha
        .list_calls()
        .limit(37)
        .into_stream()
        .try_collect()
        .await
        .expect("streams");
    assert_eq!(calls.len(), CALLS_PER_ORG);
    let mut ids: Vec<Uuid> = calls.iter().filter_map(|c| c.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CALLS_PER_ORG);
    assert!(calls.iter().all(|c| c.organization_id == Some(ALPHA_ORG)));
}

#[tokio::test]
async fn filters_combine_and_stats_equal_the_list() {
    let server = serve().await;
    let alpha = client(&server, ALPHA_KEY);
    let inbound_failed: Vec<_> = alpha
        .list_calls()
        .status(CallStatus::Failed)
        .direction(CallDirection::Inbound)
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .expect("streams");
    assert!(!inbound_failed.is_empty());
    assert!(inbound_failed.iter().all(
        |c| c.status == Some(CallStatus::Failed) && c.direction == Some(CallDirection::Inbound)
    ));

    let stats = alpha.call_stats().await.expect("stats");
    let mut sum = 0;
    for (status, count) in [
        (CallStatus::Completed, stats.completed),
        (CallStatus::Failed, stats.failed),
        (CallStatus::InProgress, stats.in_progress),
        (CallStatus::NoAnswer, stats.no_answer),
        (CallStatus::Busy, stats.busy),
    ] {
        let Ok(page) = alpha.list_calls().status(status.clone()).limit(1).await else {
            panic!("list by {status}");
        };
        let ListCallsOk::CallsListResponse(page) = page.into_inner() else {
            panic!("not a list");
        };
        assert_eq!(Some(page.total), count, "{status}");
        sum += page.total;
    }
    assert_eq!(sum, CALLS_PER_ORG as i64);
    // Stats follow the filters too.
    let Ok(response) = alpha
        .list_calls()
        .action(ListCallsAction::Stats)
        .direction(CallDirection::Inbound)
        .await
    else {
        panic!("stats");
    };
    let ListCallsOk::CallStats(inbound) = response.into_inner() else {
        panic!("not stats");
    };
    let inbound_total: i64 = [
        inbound.completed,
        inbound.failed,
        inbound.in_progress,
        inbound.no_answer,
        inbound.busy,
    ]
    .iter()
    .flatten()
    .sum();
    assert!(inbound_total > 0 && inbound_total < CALLS_PER_ORG as i64);
}

#[tokio::test]
async fn trends_have_one_sorted_row_per_day_consistent_with_the_list() {
    let server = serve().await;
    let alpha = client(&server, ALPHA_KEY);
    let end = krosai_generated::demo::last_day();
    let start = end - chrono::Days::new(13);
    let trends = alpha.call_trends(start, end).await.expect("trends");
    assert_eq!(trends.len(), 14);
    let days: Vec<_> = trends.iter().filter_map(|row| row.date).collect();
    let mut sorted = days.clone();
    sorted.sort();
    assert_eq!(days, sorted);
    assert_eq!(days.first(), Some(&start));
    let listed: Vec<_> = alpha
        .list_calls()
        .start_date(start)
        .end_date(end)
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .expect("streams");
    let in_trends: i64 = trends
        .iter()
        .map(|r| {
            [r.completed, r.failed, r.in_progress, r.no_answer, r.busy]
                .iter()
                .flatten()
                .sum::<i64>()
        })
        .sum();
    assert_eq!(in_trends, listed.len() as i64);
    // Days with no calls are rows of zeros, not gaps.
    let far = end + chrono::Days::new(5);
    let empty = alpha
        .call_trends(end + chrono::Days::new(1), far)
        .await
        .expect("trends");
    assert_eq!(empty.len(), 5);
    assert!(empty
        .iter()
        .all(|r| r.completed == Some(0) && r.busy == Some(0)));
}

#[tokio::test]
async fn delete_then_404_and_tenants_never_meet() {
    let server = serve().await;
    let alpha = client(&server, ALPHA_KEY);
    let beta = Client::builder(&server.url)
        .api_key_with(AuthScheme::ApiKeyAuth, BETA_KEY)
        .build()
        .expect("client");
    let Ok(page) = alpha.list_calls().limit(1).await else {
        panic!("lists");
    };
    let ListCallsOk::CallsListResponse(page) = page.into_inner() else {
        panic!("not a list");
    };
    let id = page.data[0].id.expect("id");

    // Beta can neither see nor delete alpha's call...
    assert!(matches!(
        beta.get_call(id).await,
        Err(ClientError::NotFound(_))
    ));
    assert!(matches!(
        beta.delete_call(id).await,
        Err(ClientError::NotFound(_))
    ));
    let beta_calls: Vec<_> = beta
        .list_calls()
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .expect("streams");
    assert!(beta_calls
        .iter()
        .all(|c| c.organization_id == Some(BETA_ORG)));
    assert!(beta_calls.iter().all(|c| c.id != Some(id)));
    // ...nor act for alpha's organization.
    let error = beta
        .list_calls()
        .x_organization_id(ALPHA_ORG)
        .await
        .expect_err("forbidden");
    assert!(matches!(error, ClientError::Forbidden(_)), "{error:?}");

    // Alpha deletes it once; the second time it is gone.
    let detail = alpha.get_call(id).await.expect("exists");
    assert!(!detail.events.as_deref().unwrap_or_default().is_empty());
    assert_eq!(
        alpha
            .delete_call(id)
            .await
            .expect("deletes")
            .status()
            .as_u16(),
        204
    );
    match alpha.delete_call(id).await {
        Err(ClientError::NotFound(body)) => assert_eq!(body.code.as_deref(), Some("not_found")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        alpha.get_call(id).await,
        Err(ClientError::NotFound(_))
    ));
}

#[tokio::test]
async fn the_client_sees_server_validation_as_typed_errors() {
    let server = serve().await;
    // A bare reqwest client skips the generated client's own checks.
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/calls?limit=101&page=0", server.url))
        .bearer_auth(ALPHA_KEY)
        .send()
        .await
        .expect("sends");
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
    assert_eq!(violations(&body).len(), 2);
    // And the generated client refuses the same before sending.
    let alpha = client(&server, ALPHA_KEY);
    assert!(matches!(
        alpha.list_calls().limit(101).await,
        Err(ClientError::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn integers_beyond_64_bits_are_valid_and_saturate() {
    // `page` has no maximum: a huge page is schema-valid, just past the end.
    let (status, _, body) = call(get("/calls?page=296744489440693714944&limit=5")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"].as_array().map(Vec::len), Some(0));
    // `limit` has one: the saturated value still breaks it.
    let (status, _, body) = call(get("/calls?limit=296744489440693714944")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        vec![("limit".to_owned(), "maximum 100".to_owned())]
    );
    // And text that is no integer at all is still refused.
    let (status, _, body) = call(get("/calls?page=1e3")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        violations(&body),
        vec![("page".to_owned(), "must be an integer".to_owned())]
    );
}

// ------------------------------------------------------- partial servers

/// A server that implements one operation of the trait.
struct OnlyList;

impl CallsApi for OnlyList {
    type Principal = Principal;

    async fn list_calls(
        &self,
        _: &RequestContext<Principal>,
        _: ListCallsRequest,
    ) -> Result<ListCallsResponse, ListCallsResponse> {
        Ok(ListCallsResponse::Ok(ListCallsOk::CallStats(
            krosai_generated::types::CallStats::default(),
        )))
    }
}

#[tokio::test]
async fn a_partial_server_answers_501_for_what_it_leaves_out() {
    let app = router(OnlyList, DemoKeys);
    let request = |uri: &str, method: &str| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {ALPHA_KEY}"))
            .body(Body::empty())
            .expect("request")
    };
    let response = app
        .clone()
        .oneshot(request("/calls?action=stats", "GET"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    for (uri, method, operation) in [
        (
            "/calls/00000000-0000-0000-0000-000000000001",
            "GET",
            "getCall",
        ),
        (
            "/calls/00000000-0000-0000-0000-000000000001",
            "DELETE",
            "deleteCall",
        ),
    ] {
        let response = app
            .clone()
            .oneshot(request(uri, method))
            .await
            .expect("infallible");
        assert_eq!(
            response.status(),
            StatusCode::NOT_IMPLEMENTED,
            "{method} {uri}"
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let body: Value = serde_json::from_slice(&bytes).expect("JSON");
        assert_error(&body, "not_implemented");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains(operation)),
            "{body}"
        );
    }
    // Bad requests are still refused before the missing method.
    let response = app
        .oneshot(request("/calls/not-a-uuid", "GET"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
