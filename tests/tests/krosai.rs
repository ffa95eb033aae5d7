//! The real KrosAI spec as published upstream (`spec/openapi.yaml`, without
//! `spec/overlay.yaml`): no property of the three `GET /calls` bodies is
//! required and none of them is closed, yet each body decodes to its own
//! variant of `ListCallsOk`.

mod common;

use common::round_trip;
use krosai_fixtures::krosai_seed::types::{
    CallStats, CallTrendsItem, CallsListResponse, ListCallsOk,
};
use serde_json::json;

#[test]
fn list_body_is_calls_list_response() {
    let body: ListCallsOk = round_trip(json!({
        "data": [],
        "total": 0,
        "page": 1,
        "limit": 20,
        "total_pages": 0
    }));
    let mut page = CallsListResponse::default();
    page.data = Some(vec![]);
    page.total = Some(0);
    page.page = Some(1);
    page.limit = Some(20);
    page.total_pages = Some(0);
    assert_eq!(body, ListCallsOk::CallsListResponse(page));
}

#[test]
fn list_body_with_calls_is_calls_list_response() {
    let body: ListCallsOk = round_trip(json!({
        "data": [{
            "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "from_number": "+2348000000000",
            "to_number": "+2348000000001",
            "direction": "outbound",
            "status": "in_progress",
            "duration": 12,
            "created_at": "2026-11-01T10:30:00Z"
        }],
        "total": 1,
        "page": 1,
        "limit": 20,
        "total_pages": 1
    }));
    let ListCallsOk::CallsListResponse(page) = body else {
        panic!("not a list: {body:?}");
    };
    assert_eq!(page.data.map(|d| d.len()), Some(1));
}

#[test]
fn stats_body_is_call_stats() {
    let body: ListCallsOk = round_trip(json!({"completed": 5, "failed": 1}));
    let mut stats = CallStats::default();
    stats.completed = Some(5);
    stats.failed = Some(1);
    assert_eq!(body, ListCallsOk::CallStats(stats));
    let body: ListCallsOk = round_trip(json!({
        "completed": 5,
        "failed": 1,
        "in_progress": 0,
        "no_answer": 2,
        "busy": 0
    }));
    assert!(matches!(body, ListCallsOk::CallStats(_)), "{body:?}");
}

#[test]
fn trends_body_is_call_trends() {
    let body: ListCallsOk = round_trip(json!([{"date": "2026-11-01", "completed": 3}]));
    let mut item = CallTrendsItem::default();
    item.date = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    item.completed = Some(3);
    assert_eq!(body, ListCallsOk::CallTrends(vec![item]));
}

#[test]
fn empty_object_is_the_first_declared_variant() {
    let body: ListCallsOk = round_trip(json!({}));
    assert_eq!(
        body,
        ListCallsOk::CallsListResponse(CallsListResponse::default())
    );
}

/// `from_json_slice` (what the generated client uses: no intermediate JSON
/// value) picks the same variant as `Deserialize` for every body shape,
/// including bodies that fit no variant.
#[test]
fn decoding_from_text_agrees_with_deserialize() {
    let bodies = [
        r#"{"data":[],"total":0,"page":1,"limit":20,"total_pages":0}"#,
        r#"{"completed":5,"failed":1}"#,
        r#"[{"date":"2026-11-01","completed":3}]"#,
        r#"{}"#,
        r#"{"data":[{"id":"67e55044-10b1-426f-9247-bb680e5fe0c8"}],"total":1}"#,
        r#"{"completed":"five"}"#,
        r#""a string""#,
        r#"[{"date":"not a date"}]"#,
        r#"{"da\u0074a":[]}"#,
    ];
    for body in bodies {
        let via_value = serde_json::from_str::<ListCallsOk>(body);
        let via_text = ListCallsOk::from_json_slice(body.as_bytes());
        match (via_value, via_text) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{body}"),
            (Err(_), Err(e)) => assert!(e.to_string().contains("ListCallsOk"), "{body}: {e}"),
            (a, b) => panic!("{body}: Deserialize gave {a:?}, from_json_slice gave {b:?}"),
        }
    }
}
