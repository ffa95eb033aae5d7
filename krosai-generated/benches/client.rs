//! The cost of the generated client, each figure next to a hand-written
//! baseline measured in the same run, so that results read as ratios
//! (`generated / baseline`; the issue's targets are **≤ 1.1** for decoding
//! and for request overhead).
//!
//! Run with
//!
//! ```sh
//! cargo bench -p krosai-generated --all-features --bench client
//! ```
//!
//! divan prints one tree; after it, the bench prints a table of ratios
//! measured by interleaving the two sides of each pair (A, B, B, A, …) so
//! that drift on a busy machine hits both alike (median of the rounds). The
//! table is the figure to read on a shared machine: divan's medians of two
//! sides measured seconds apart can differ by more than the effect. It
//! takes about 2 s and runs even when a divan filter is given. The whole
//! binary runs in under 10 s after the build.
//!
//! Groups:
//!
//! - `decode_list_page`: a 100-call page of the demo data (`GET /calls`
//!   answer, about 45 kB of JSON, serialized once outside the timed part)
//!   decoded with `serde_json::from_slice` into
//!   - `generated_struct`: `types::CallsListResponse`, the page type itself;
//!   - `generated_union`: `types::ListCallsOk`, the `oneOf` of the 200
//!     answer, through `ListCallsOk::from_json_slice`, which is what the
//!     client decodes for `GET /calls`: the variant declaring the first key
//!     is decoded straight from the text while its keys are recorded, and
//!     kept because they rank it first (one pass);
//!   - `generated_union_via_value`: the same through its `Deserialize` impl
//!     (what `serde_json::from_slice` and a union nested in another type
//!     get), which picks the variant by the JSON's shape, so it first
//!     buffers the whole body into a `serde_json::Value`, ranks the
//!     variants, then decodes the chosen one from that `Value`;
//!   - `handwritten`: structs written by hand in this file, with the same
//!     fields (plain `#[derive(Deserialize)]`, `Option`s, `uuid::Uuid`,
//!     `chrono::DateTime<FixedOffset>`).
//! - `union_steps`: the steps of `generated_union_via_value`, to show where its
//!   extra time goes: `to_value` (bytes → `serde_json::Value`),
//!   `from_value` (`Value` → `CallsListResponse`) and `drop_value` (freeing
//!   the intermediate `Value`). What is left of `generated_union_via_value` after
//!   these three is the variant ranking.
//! - `decode_call_detail`: a `CallDetail` with 50 events (`GET /calls/{id}`
//!   answer), generated type versus hand-written structs.
//! - `request`: whole requests against an in-process axum server on
//!   127.0.0.1 that answers fixed bodies (so that the server's cost is the
//!   same for both sides): the generated `client.get_call(id).await` and
//!   `client.list_calls().limit(20).await` versus a bare `reqwest` call with
//!   the same URL and `Authorization` header, `bytes()`, then
//!   `serde_json::from_slice`. For the list, `bare_union` decodes into the
//!   same type as the generated client (`ListCallsOk`: the difference is the
//!   client's own machinery) and `bare_struct` into `CallsListResponse`
//!   (what a hand-written client would do: the difference also includes
//!   the union's decoding). The client and the server share one
//!   multi-thread tokio runtime, created once; each iteration is one
//!   `block_on`. The bodies are the demo data's: a `CallDetail` with its 3
//!   events (about 1 kB), and a 20-call page (about 9 kB). The
//!   `CallDetail` of `decode_call_detail` is about 9 kB.

use std::hint::black_box;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use divan::counter::BytesCount;
use divan::Bencher;
use krosai_generated::client::Client;
use krosai_generated::demo::{Store, ALPHA_KEY, ALPHA_ORG};
use krosai_generated::server::ListCallsRequest;
use krosai_generated::types::{CallDetail, CallEvent, CallStatus, CallsListResponse, ListCallsOk};
use uuid::Uuid;

fn main() {
    divan::main();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then divan runs each benchmark once as a test: no summary.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        summary();
    }
}

// ------------------------------------------------------------------ data

/// A `listCalls` request with no filters.
fn list_request(limit: i64) -> ListCallsRequest {
    let mut request = ListCallsRequest::default();
    request.limit = limit;
    request
}

/// The JSON bodies the decoding benchmarks read, built once from the demo
/// data.
struct Bodies {
    /// A `CallsListResponse` of 100 demo calls.
    list_page: Vec<u8>,
    /// A `CallDetail` (a completed demo call) with 50 events.
    detail: Vec<u8>,
}

static BODIES: LazyLock<Bodies> = LazyLock::new(|| {
    let store = Store::demo();
    let calls = store.matching(ALPHA_ORG, &list_request(100));
    let page = CallsListResponse::new(
        calls[..100].to_vec(),
        calls.len() as i64,
        1,
        100,
        (calls.len() as i64 + 99) / 100,
    );
    let completed = calls
        .iter()
        .find(|c| c.status == Some(CallStatus::Completed))
        .and_then(|c| c.id)
        .expect("a completed demo call");
    let mut detail = store.get(ALPHA_ORG, completed).expect("the call");
    let created = detail.created_at.expect("created_at");
    let kinds = [
        "call.initiated",
        "call.ringing",
        "call.answered",
        "dtmf.received",
        "transcript.partial",
        "call.ended",
    ];
    detail.events = Some(
        (0..50u64)
            .map(|e| {
                let mut event = CallEvent::default();
                event.id = Some(Uuid::from_u64_pair(0xe7e7, e + 1));
                event.event_type = Some(kinds[e as usize % kinds.len()].to_owned());
                event.event_data = Some(
                    [
                        ("sequence".to_owned(), serde_json::json!(e)),
                        ("source".to_owned(), serde_json::json!("sip")),
                        ("latency_ms".to_owned(), serde_json::json!(40 + e)),
                    ]
                    .into_iter()
                    .collect(),
                );
                event.created_at = Some(created + chrono::Duration::seconds(e as i64));
                event
            })
            .collect(),
    );
    let bodies = Bodies {
        list_page: serde_json::to_vec(&page).expect("serializes"),
        detail: serde_json::to_vec(&detail).expect("serializes"),
    };
    // The bodies decode, identically, on every side.
    let generated: CallsListResponse = serde_json::from_slice(&bodies.list_page).expect("page");
    assert_eq!(generated, page);
    let union: ListCallsOk = serde_json::from_slice(&bodies.list_page).expect("union");
    assert_eq!(union, ListCallsOk::CallsListResponse(page));
    let hand: hand::CallsListResponse = serde_json::from_slice(&bodies.list_page).expect("hand");
    assert_eq!(hand.data.len(), 100);
    let generated: CallDetail = serde_json::from_slice(&bodies.detail).expect("detail");
    assert_eq!(generated, detail);
    let hand: hand::CallDetail = serde_json::from_slice(&bodies.detail).expect("hand");
    assert_eq!(hand.events.map(|e| e.len()), Some(50));
    bodies
});

/// The hand-written baseline types: the same fields as the generated ones,
/// with nothing but a derived `Deserialize`.
#[allow(dead_code)] // The fields are decoded, never read.
mod hand {
    use chrono::{DateTime, FixedOffset};
    use serde::Deserialize;
    use uuid::Uuid;

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Direction {
        Inbound,
        Outbound,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Status {
        Completed,
        Failed,
        InProgress,
        NoAnswer,
        Busy,
    }

    #[derive(Deserialize)]
    pub struct Call {
        pub id: Option<Uuid>,
        pub from_number: Option<String>,
        pub to_number: Option<String>,
        pub direction: Option<Direction>,
        pub status: Option<Status>,
        pub duration: Option<i64>,
        pub cost: Option<f32>,
        pub latency_ms: Option<i64>,
        pub phone_number_id: Option<Uuid>,
        pub endpoint_id: Option<Uuid>,
        pub recording_url: Option<String>,
        pub hangup_cause: Option<String>,
        pub organization_id: Option<Uuid>,
        pub created_at: Option<DateTime<FixedOffset>>,
        pub answered_at: Option<DateTime<FixedOffset>>,
        pub completed_at: Option<DateTime<FixedOffset>>,
    }

    #[derive(Deserialize)]
    pub struct CallsListResponse {
        pub data: Vec<Call>,
        pub total: i64,
        pub page: i64,
        pub limit: i64,
        pub total_pages: i64,
    }

    #[derive(Deserialize)]
    pub struct QualityMetrics {
        pub mos: Option<f32>,
        pub jitter_ms: Option<i64>,
        pub packet_loss: Option<f32>,
    }

    #[derive(Deserialize)]
    pub struct CallEvent {
        pub id: Option<Uuid>,
        pub event_type: Option<String>,
        pub event_data: Option<serde_json::Map<String, serde_json::Value>>,
        pub created_at: Option<DateTime<FixedOffset>>,
    }

    #[derive(Deserialize)]
    pub struct CallDetail {
        pub id: Option<Uuid>,
        pub from_number: Option<String>,
        pub to_number: Option<String>,
        pub direction: Option<Direction>,
        pub status: Option<Status>,
        pub duration: Option<i64>,
        pub cost: Option<f32>,
        pub latency_ms: Option<i64>,
        pub phone_number_id: Option<Uuid>,
        pub endpoint_id: Option<Uuid>,
        pub recording_url: Option<String>,
        pub hangup_cause: Option<String>,
        pub organization_id: Option<Uuid>,
        pub created_at: Option<DateTime<FixedOffset>>,
        pub answered_at: Option<DateTime<FixedOffset>>,
        pub completed_at: Option<DateTime<FixedOffset>>,
        pub quality_metrics: Option<QualityMetrics>,
        pub events: Option<Vec<CallEvent>>,
        pub transcript: Option<String>,
    }
}

// ------------------------------------------------------- decode functions

fn decode_page_struct(body: &[u8]) -> CallsListResponse {
    serde_json::from_slice(black_box(body)).expect("decodes")
}

/// As the generated client decodes the union: from the text, variant
/// chosen by a first pass over the top-level keys.
fn decode_page_union(body: &[u8]) -> ListCallsOk {
    ListCallsOk::from_json_slice(black_box(body)).expect("decodes")
}

/// Through the union's `Deserialize` impl (any deserializer), which buffers
/// the value in a `serde_json::Value` first.
fn decode_page_union_via_value(body: &[u8]) -> ListCallsOk {
    serde_json::from_slice(black_box(body)).expect("decodes")
}

fn decode_page_hand(body: &[u8]) -> hand::CallsListResponse {
    serde_json::from_slice(black_box(body)).expect("decodes")
}

fn decode_detail(body: &[u8]) -> CallDetail {
    serde_json::from_slice(black_box(body)).expect("decodes")
}

fn decode_detail_hand(body: &[u8]) -> hand::CallDetail {
    serde_json::from_slice(black_box(body)).expect("decodes")
}

/// Decoding a 100-call page (`GET /calls`).
#[divan::bench_group(sample_count = 500)]
mod decode_list_page {
    use super::*;

    /// Into the generated `CallsListResponse` directly.
    #[divan::bench]
    fn generated_struct(b: Bencher) {
        let body = &BODIES.list_page;
        b.counter(BytesCount::of_slice(body))
            .bench(|| decode_page_struct(body));
    }

    /// Into the generated union `ListCallsOk`, as the client does.
    #[divan::bench]
    fn generated_union(b: Bencher) {
        let body = &BODIES.list_page;
        b.counter(BytesCount::of_slice(body))
            .bench(|| decode_page_union(body));
    }

    /// Into the generated union through its `Deserialize` impl (what a
    /// caller of `serde_json::from_slice` gets).
    #[divan::bench]
    fn generated_union_via_value(b: Bencher) {
        let body = &BODIES.list_page;
        b.counter(BytesCount::of_slice(body))
            .bench(|| decode_page_union_via_value(body));
    }

    /// Into the hand-written structs.
    #[divan::bench]
    fn handwritten(b: Bencher) {
        let body = &BODIES.list_page;
        b.counter(BytesCount::of_slice(body))
            .bench(|| decode_page_hand(body));
    }
}

/// The two steps of `ListCallsOk`'s decoding, timed apart.
#[divan::bench_group(sample_count = 500)]
mod union_steps {
    use super::*;

    /// Step 1: the body into a `serde_json::Value` (objects are `IndexMap`s:
    /// the workspace enables serde_json's `preserve_order`).
    #[divan::bench]
    fn to_value(b: Bencher) {
        let body = &BODIES.list_page;
        b.counter(BytesCount::of_slice(body)).bench(|| {
            serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("decodes")
        });
    }

    /// Step 2: the `Value` into `CallsListResponse` (the chosen variant).
    #[divan::bench]
    fn from_value(b: Bencher) {
        let value: serde_json::Value = serde_json::from_slice(&BODIES.list_page).expect("decodes");
        b.bench(|| {
            <CallsListResponse as serde::Deserialize>::deserialize(black_box(&value))
                .expect("decodes")
        });
    }

    /// Dropping the intermediate `Value` (part of the union's cost too).
    #[divan::bench]
    fn drop_value(b: Bencher) {
        let value: serde_json::Value = serde_json::from_slice(&BODIES.list_page).expect("decodes");
        b.with_inputs(|| value.clone()).bench_values(drop);
    }
}

/// Decoding a `CallDetail` with 50 events (`GET /calls/{id}`).
#[divan::bench_group(sample_count = 500)]
mod decode_call_detail {
    use super::*;

    /// Into the generated `CallDetail`.
    #[divan::bench]
    fn generated(b: Bencher) {
        let body = &BODIES.detail;
        b.counter(BytesCount::of_slice(body))
            .bench(|| decode_detail(body));
    }

    /// Into the hand-written structs.
    #[divan::bench]
    fn handwritten(b: Bencher) {
        let body = &BODIES.detail;
        b.counter(BytesCount::of_slice(body))
            .bench(|| decode_detail_hand(body));
    }
}

// ---------------------------------------------------------------- requests

/// A local server answering fixed bodies, and the two clients that call it.
struct Net {
    rt: tokio::runtime::Runtime,
    /// `http://127.0.0.1:<port>`.
    base: String,
    /// The call `GET /calls/{id}` asks for.
    id: Uuid,
    generated: Client,
    bare: reqwest::Client,
}

/// The fixed answers of the local server.
#[derive(Clone)]
struct Fixed {
    /// The demo `CallDetail` of [`Net::id`].
    detail: Bytes,
    /// The first 20-call page of the demo data.
    page: Bytes,
    /// The `Authorization` value both clients must send.
    authorization: String,
}

impl Fixed {
    /// The fixed `body` if the request carries the expected key, `401`
    /// otherwise: the same small cost for both sides.
    fn answer(&self, headers: &HeaderMap, body: &Bytes) -> Response {
        let authorized = headers
            .get(header::AUTHORIZATION)
            .is_some_and(|v| v.as_bytes() == self.authorization.as_bytes());
        if !authorized {
            return (StatusCode::UNAUTHORIZED, "{\"error\":\"unauthorized\"}").into_response();
        }
        ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response()
    }
}

static NET: LazyLock<Net> = LazyLock::new(|| {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let store = Store::demo();
    let calls = store.matching(ALPHA_ORG, &list_request(20));
    let id = calls[0].id.expect("id");
    let page = CallsListResponse::new(
        calls[..20].to_vec(),
        calls.len() as i64,
        1,
        20,
        (calls.len() as i64 + 19) / 20,
    );
    let fixed = Fixed {
        detail: serde_json::to_vec(&store.get(ALPHA_ORG, id).expect("call"))
            .expect("serializes")
            .into(),
        page: serde_json::to_vec(&page).expect("serializes").into(),
        authorization: format!("Bearer {ALPHA_KEY}"),
    };
    let app = axum::Router::new()
        .route(
            "/calls",
            axum::routing::get(
                |axum::extract::State(f): axum::extract::State<Fixed>, headers: HeaderMap| async move {
                    f.answer(&headers, &f.page)
                },
            ),
        )
        .route(
            "/calls/{id}",
            axum::routing::get(
                |axum::extract::State(f): axum::extract::State<Fixed>, headers: HeaderMap| async move {
                    f.answer(&headers, &f.detail)
                },
            ),
        )
        .with_state(fixed);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    rt.spawn(async move { axum::serve(listener, app).await });
    let generated = Client::builder(base.clone())
        .api_key(ALPHA_KEY)
        .build()
        .expect("client");
    let net = Net {
        rt,
        base,
        id,
        generated,
        bare: reqwest::Client::new(),
    };
    // Both sides work, and get the same answer.
    assert_eq!(generated_get_call(&net), bare_get_call(&net));
    assert_eq!(generated_list_calls(&net), bare_list_calls_union(&net));
    net
});

fn generated_get_call(net: &Net) -> CallDetail {
    net.rt.block_on(async {
        net.generated
            .get_call(black_box(net.id))
            .await
            .expect("answers")
            .into_inner()
    })
}

/// The baseline's request: same URL, same header, whole body, then decode.
async fn bare_get(net: &Net, url: String) -> Bytes {
    let response = net
        .bare
        .get(url)
        .bearer_auth(ALPHA_KEY)
        .send()
        .await
        .expect("answers");
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.expect("body")
}

fn bare_get_call(net: &Net) -> CallDetail {
    net.rt.block_on(async {
        let url = format!("{}/calls/{}", net.base, black_box(net.id));
        let bytes = bare_get(net, url).await;
        serde_json::from_slice(&bytes).expect("decodes")
    })
}

fn generated_list_calls(net: &Net) -> ListCallsOk {
    net.rt.block_on(async {
        net.generated
            .list_calls()
            .limit(black_box(20))
            .await
            .expect("answers")
            .into_inner()
    })
}

fn bare_list_calls_union(net: &Net) -> ListCallsOk {
    net.rt.block_on(async {
        let url = format!("{}/calls?limit={}", net.base, black_box(20));
        let bytes = bare_get(net, url).await;
        ListCallsOk::from_json_slice(&bytes).expect("decodes")
    })
}

fn bare_list_calls_struct(net: &Net) -> CallsListResponse {
    net.rt.block_on(async {
        let url = format!("{}/calls?limit={}", net.base, black_box(20));
        let bytes = bare_get(net, url).await;
        serde_json::from_slice(&bytes).expect("decodes")
    })
}

/// Whole requests over loopback HTTP/1.1 (kept-alive connections).
#[divan::bench_group(sample_count = 500, max_time = 5)]
mod request {
    use super::*;

    /// `GET /calls/{id}`: the generated `client.get_call(id).await`.
    #[divan::bench]
    fn get_call_generated(b: Bencher) {
        let net = &*NET;
        b.bench(|| generated_get_call(net));
    }

    /// `GET /calls/{id}`: bare `reqwest`, decoding into `CallDetail`.
    #[divan::bench]
    fn get_call_bare(b: Bencher) {
        let net = &*NET;
        b.bench(|| bare_get_call(net));
    }

    /// `GET /calls?limit=20`: the generated
    /// `client.list_calls().limit(20).await`.
    #[divan::bench]
    fn list_calls_generated(b: Bencher) {
        let net = &*NET;
        b.bench(|| generated_list_calls(net));
    }

    /// `GET /calls?limit=20`: bare `reqwest`, decoding into the same union
    /// type as the generated client (`ListCallsOk`).
    #[divan::bench]
    fn list_calls_bare_union(b: Bencher) {
        let net = &*NET;
        b.bench(|| bare_list_calls_union(net));
    }

    /// `GET /calls?limit=20`: bare `reqwest`, decoding into
    /// `CallsListResponse` (what a hand-written client would decode).
    #[divan::bench]
    fn list_calls_bare_struct(b: Bencher) {
        let net = &*NET;
        b.bench(|| bare_list_calls_struct(net));
    }
}

// ----------------------------------------------------------------- ratios

/// The median time per call of `a` and of `b`, measured in `rounds`
/// rounds of `iterations` calls each, alternating which side goes first.
fn interleaved<A, B, OA, OB>(
    rounds: usize,
    iterations: u32,
    mut a: A,
    mut b: B,
) -> (Duration, Duration)
where
    A: FnMut() -> OA,
    B: FnMut() -> OB,
{
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        start.elapsed() / iterations
    };
    let (mut ta, mut tb) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        let mut run_a = || drop(black_box(a()));
        let mut run_b = || drop(black_box(b()));
        if round % 2 == 0 {
            ta.push(time(&mut run_a));
            tb.push(time(&mut run_b));
        } else {
            tb.push(time(&mut run_b));
            ta.push(time(&mut run_a));
        }
    }
    ta.sort();
    tb.sort();
    (ta[rounds / 2], tb[rounds / 2])
}

/// Prints `generated / baseline` for every pair, measured interleaved.
fn summary() {
    const ROUNDS: usize = 101;
    let bodies = &*BODIES;
    let net = &*NET;
    let rows: Vec<(&str, &str, (Duration, Duration))> = vec![
        (
            "decode 100-call page: CallsListResponse",
            "hand-written structs",
            interleaved(
                ROUNDS,
                20,
                || decode_page_struct(&bodies.list_page),
                || decode_page_hand(&bodies.list_page),
            ),
        ),
        (
            "decode 100-call page: ListCallsOk (union)",
            "hand-written structs",
            interleaved(
                ROUNDS,
                20,
                || decode_page_union(&bodies.list_page),
                || decode_page_hand(&bodies.list_page),
            ),
        ),
        (
            "decode 100-call page: ListCallsOk via Deserialize",
            "hand-written structs",
            interleaved(
                ROUNDS,
                20,
                || decode_page_union_via_value(&bodies.list_page),
                || decode_page_hand(&bodies.list_page),
            ),
        ),
        (
            "decode CallDetail, 50 events",
            "hand-written structs",
            interleaved(
                ROUNDS,
                50,
                || decode_detail(&bodies.detail),
                || decode_detail_hand(&bodies.detail),
            ),
        ),
        (
            "client.get_call(id)",
            "bare reqwest → CallDetail",
            interleaved(
                ROUNDS,
                50,
                || generated_get_call(net),
                || bare_get_call(net),
            ),
        ),
        (
            "client.list_calls().limit(20)",
            "bare reqwest → ListCallsOk",
            interleaved(
                ROUNDS,
                50,
                || generated_list_calls(net),
                || bare_list_calls_union(net),
            ),
        ),
        (
            "client.list_calls().limit(20)",
            "bare reqwest → CallsListResponse",
            interleaved(
                ROUNDS,
                50,
                || generated_list_calls(net),
                || bare_list_calls_struct(net),
            ),
        ),
    ];
    println!();
    println!("generated / baseline (interleaved, median of {ROUNDS} rounds; targets ≤ 1.10)");
    println!(
        "{:<44} {:>11}   {:<34} {:>11}   {:>6}",
        "generated", "time", "baseline", "time", "ratio"
    );
    for (generated, baseline, (g, b)) in rows {
        println!(
            "{:<44} {:>11}   {:<34} {:>11}   {:>6.3}",
            generated,
            format!("{g:.2?}"),
            baseline,
            format!("{b:.2?}"),
            g.as_secs_f64() / b.as_secs_f64()
        );
    }
}
