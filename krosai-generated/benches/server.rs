//! Throughput and latency of the generated router with the reference
//! implementation, next to a hand-written axum router doing the same work
//! over the same store, measured in the same run.
//!
//! Run with
//!
//! ```sh
//! cargo bench -p krosai-generated --all-features --bench server
//! ```
//!
//! Two servers listen on 127.0.0.1 (port 0), both nested under `/v1`:
//!
//! - **generated**: `krosai_generated::server::router(DemoCalls, DemoKeys)`,
//!   i.e. the generated credential extraction, parameter parsing and
//!   validation, the `Authenticator` and `CallsApi` traits, and the
//!   generated response encoding;
//! - **hand-written**: a plain `axum::Router` with `Query` / `Path`
//!   extractors, a bearer-key check (with the same `x-organization-id`
//!   membership rule as `DemoKeys`), a `limit`/`page` range check, then
//!   `store.matching(…)` / `store.get(…)` and `Json(…)`. It uses the crate's
//!   data types (the store hands them out) but none of its generated
//!   routing or validation code.
//!
//! Both share one `demo::Store` (read-only here). Before measuring, the
//! bench checks that both answer each request with the same status and the
//! same bytes.
//!
//! Load: 64 HTTP/1.1 keep-alive connections (a `hyper` client connection
//! each, opened before the clock starts), each sending a bounded number of
//! requests back to back, all in the same process and the same
//! multi-thread tokio runtime as the servers (so on a 2-core machine the
//! client's CPU cost is included, alike for both sides). Per endpoint, each
//! side gets a short warm-up, then [`ROUNDS`] measured rounds, alternating
//! which side goes first. Reported per side: the median over the rounds of
//! requests per second (requests / wall time of the round), and of the
//! round's p50 and p99 latency (send to last body byte, at 64 concurrent
//! connections), with the range of the rounds' rps. The ratio
//! `generated rps / hand-written rps` (the issue's target: **≥ 0.95**) is
//! given two ways: the median of the per-round ratios (the two sides of a
//! round run back to back, so this one is the least disturbed by other
//! load on the machine), and the ratio of the two medians.
//!
//! Endpoints: `GET /v1/calls?limit=20` (a 20-call page out of the 300 of
//! organization alpha: the store filters, clones and sorts all 300) and
//! `GET /v1/calls/{id}` (one `CallDetail` with 3 events), authenticated
//! with `Authorization: Bearer <ALPHA_KEY>`.
//!
//! Then, to separate the servers' own cost from the sockets and the
//! client's, the same requests go through each router in process
//! (`tower::ServiceExt::oneshot`, one at a time, body read in full), in
//! [`IN_PROCESS_ROUNDS`] interleaved rounds: the median time per request and
//! the ratio `generated / hand-written` (lower is better for the generated
//! side here).
//!
//! Run without `--bench` (`cargo test --benches`), it only checks that the
//! two servers answer alike.
//!
//! Total time: 15–20 s on a 2-core machine (after the build); every
//! load round stops after [`ROUND_DEADLINE`] at most.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use krosai_generated::demo::{DemoCalls, DemoKeys, Store, ALPHA_KEY, ALPHA_ORG};
use tokio::net::TcpListener;

/// Concurrent connections (one task each).
const CONNECTIONS: usize = 64;
/// Measured rounds per side and endpoint.
const ROUNDS: usize = 15;
/// Rounds of the in-process (no socket) comparison.
const IN_PROCESS_ROUNDS: usize = 31;
/// The longest a round may last, whatever its request count.
const ROUND_DEADLINE: Duration = Duration::from_secs(4);

/// One endpoint to load.
struct Endpoint {
    name: &'static str,
    /// Path and query, under `/v1`.
    path: String,
    /// Requests per connection in a measured round.
    per_connection: usize,
    /// Requests per in-process round.
    in_process: u32,
}

/// The two servers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Generated,
    Handwritten,
}

/// What one round measured.
struct Round {
    requests: usize,
    elapsed: Duration,
    /// Sorted.
    latencies: Vec<Duration>,
}

impl Round {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let last = self.latencies.len().saturating_sub(1);
        let index = ((last as f64) * p).round() as usize;
        self.latencies.get(index).copied().unwrap_or_default()
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // `cargo bench` passes `--bench`. Without it (`cargo test --benches`,
    // `--all-targets`), only check that both servers answer alike.
    let measure = std::env::args().any(|a| a == "--bench");
    runtime.block_on(run(measure));
}

async fn serve(app: axum::Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

async fn run(measure: bool) {
    let started = Instant::now();
    let store = Store::demo();
    let generated_app = axum::Router::new().nest(
        "/v1",
        krosai_generated::server::router(
            DemoCalls {
                store: store.clone(),
            },
            DemoKeys,
        ),
    );
    let handwritten_app = axum::Router::new().nest("/v1", hand::router(store.clone()));
    let generated = serve(generated_app.clone()).await;
    let handwritten = serve(handwritten_app.clone()).await;
    let addr = |side| match side {
        Side::Generated => generated,
        Side::Handwritten => handwritten,
    };

    let id = {
        let mut request = hand::list_request(1, 1);
        request.limit = 1;
        store.matching(ALPHA_ORG, &request)[0]
            .id
            .expect("a demo call")
    };
    let endpoints = [
        Endpoint {
            name: "GET /v1/calls?limit=20",
            path: "/v1/calls?limit=20".to_owned(),
            per_connection: 60,
            in_process: 50,
        },
        Endpoint {
            name: "GET /v1/calls/{id}",
            path: format!("/v1/calls/{id}"),
            per_connection: 250,
            in_process: 200,
        },
    ];

    // Both servers give the same answer.
    let check = reqwest::Client::new();
    for endpoint in &endpoints {
        let mut answers = Vec::new();
        for side in [Side::Generated, Side::Handwritten] {
            let response = check
                .get(format!("http://{}{}", addr(side), endpoint.path))
                .bearer_auth(ALPHA_KEY)
                .send()
                .await
                .expect("answers");
            let status = response.status();
            let content_type = response.headers().get("content-type").cloned();
            let body = response.bytes().await.expect("body");
            answers.push((status, content_type, body));
        }
        assert_eq!(answers[0].0, 200, "{}", endpoint.name);
        assert_eq!(
            answers[0], answers[1],
            "{}: the servers differ",
            endpoint.name
        );
    }
    if !measure {
        println!("both servers answer alike; run with `cargo bench` to measure");
        return;
    }

    println!(
        "{CONNECTIONS} connections, {ROUNDS} rounds per side, {} worker threads",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<24} {:<13} {:>9} {:>15} {:>9} {:>9}",
        "endpoint", "server", "rps", "rps min–max", "p50", "p99"
    );
    for endpoint in &endpoints {
        let path: Arc<str> = endpoint.path.as_str().into();
        for side in [Side::Generated, Side::Handwritten] {
            load(addr(side), path.clone(), endpoint.per_connection / 4).await;
        }
        let mut rounds: [Vec<Round>; 2] = [Vec::new(), Vec::new()];
        for round in 0..ROUNDS {
            let order = if round % 2 == 0 {
                [Side::Generated, Side::Handwritten]
            } else {
                [Side::Handwritten, Side::Generated]
            };
            for side in order {
                let result = load(addr(side), path.clone(), endpoint.per_connection).await;
                rounds[side as usize].push(result);
            }
        }
        let mut rps = [0.0; 2];
        for side in [Side::Generated, Side::Handwritten] {
            let results = &rounds[side as usize];
            let all: Vec<f64> = results.iter().map(Round::rps).collect();
            rps[side as usize] = median(all.clone());
            let p50 = median(
                results
                    .iter()
                    .map(|r| r.percentile(0.50).as_secs_f64())
                    .collect(),
            );
            let p99 = median(
                results
                    .iter()
                    .map(|r| r.percentile(0.99).as_secs_f64())
                    .collect(),
            );
            println!(
                "{:<24} {:<13} {:>9.0} {:>15} {:>9} {:>9}",
                endpoint.name,
                match side {
                    Side::Generated => "generated",
                    Side::Handwritten => "hand-written",
                },
                rps[side as usize],
                format!(
                    "{:.0}–{:.0}",
                    all.iter().copied().fold(f64::INFINITY, f64::min),
                    all.iter().copied().fold(0.0, f64::max)
                ),
                format!("{:.2?}", Duration::from_secs_f64(p50)),
                format!("{:.2?}", Duration::from_secs_f64(p99)),
            );
        }
        // Each round's two measurements are adjacent in time: their ratio
        // is the least disturbed by load from elsewhere on the machine.
        let paired: Vec<f64> = rounds[Side::Generated as usize]
            .iter()
            .zip(&rounds[Side::Handwritten as usize])
            .map(|(g, h)| g.rps() / h.rps())
            .collect();
        println!(
            "{:<24} generated / hand-written rps: {:.3} median of paired rounds \
             (range {:.3}–{:.3}), {:.3} ratio of medians (target ≥ 0.95)",
            endpoint.name,
            median(paired.clone()),
            paired.iter().copied().fold(f64::INFINITY, f64::min),
            paired.iter().copied().fold(0.0, f64::max),
            rps[Side::Generated as usize] / rps[Side::Handwritten as usize]
        );
    }
    // The servers' own cost per request, without sockets or a client.
    let apps = [generated_app, handwritten_app];
    println!();
    println!(
        "in process (tower `oneshot`, one request at a time, median of {IN_PROCESS_ROUNDS} interleaved rounds)"
    );
    println!(
        "{:<24} {:>11} {:>13}   generated / hand-written time",
        "endpoint", "generated", "hand-written"
    );
    for endpoint in &endpoints {
        let iterations = endpoint.in_process;
        let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        for round in 0..IN_PROCESS_ROUNDS {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for side in order {
                let start = Instant::now();
                for _ in 0..iterations {
                    oneshot(&apps[side], &endpoint.path).await;
                }
                times[side].push(start.elapsed() / iterations);
            }
        }
        let [generated, handwritten] = times.map(|mut t| {
            t.sort();
            t[t.len() / 2]
        });
        println!(
            "{:<24} {:>11} {:>13}   {:.3}",
            endpoint.name,
            format!("{generated:.2?}"),
            format!("{handwritten:.2?}"),
            generated.as_secs_f64() / handwritten.as_secs_f64()
        );
    }
    println!("total time {:.1?}", started.elapsed());
}

/// One request through `app` without a socket: build it, call the router,
/// read the whole body.
async fn oneshot(app: &axum::Router, path: &str) {
    use tower::ServiceExt as _;
    let request = axum::http::Request::get(path)
        .header(axum::http::header::AUTHORIZATION, const_format_bearer())
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    black_box(body);
}

/// `Bearer <ALPHA_KEY>`.
fn const_format_bearer() -> axum::http::HeaderValue {
    static VALUE: std::sync::LazyLock<axum::http::HeaderValue> = std::sync::LazyLock::new(|| {
        axum::http::HeaderValue::from_str(&format!("Bearer {ALPHA_KEY}")).expect("header value")
    });
    VALUE.clone()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// One round: [`CONNECTIONS`] connections, opened first, then each sends
/// `per_connection` requests to `path` back to back (or until
/// [`ROUND_DEADLINE`]).
async fn load(addr: SocketAddr, path: Arc<str>, per_connection: usize) -> Round {
    let barrier = Arc::new(tokio::sync::Barrier::new(CONNECTIONS + 1));
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            tokio::spawn(connection(
                addr,
                path.clone(),
                per_connection,
                barrier.clone(),
            ))
        })
        .collect();
    barrier.wait().await;
    let start = Instant::now();
    let mut latencies = Vec::with_capacity(CONNECTIONS * per_connection);
    for task in tasks {
        latencies.extend(task.await.expect("the connection task"));
    }
    let elapsed = start.elapsed();
    latencies.sort();
    Round {
        requests: latencies.len(),
        elapsed,
        latencies,
    }
}

/// One keep-alive connection's requests; their latencies.
async fn connection(
    addr: SocketAddr,
    path: Arc<str>,
    requests: usize,
    barrier: Arc<tokio::sync::Barrier>,
) -> Vec<Duration> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, connection) = http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
        .await
        .expect("handshake");
    let driver = tokio::spawn(connection);
    let authorization = format!("Bearer {ALPHA_KEY}");
    barrier.wait().await;
    let start = Instant::now();
    let mut latencies = Vec::with_capacity(requests);
    for _ in 0..requests {
        if start.elapsed() > ROUND_DEADLINE {
            break;
        }
        let request = hyper::Request::get(&*path)
            .header(hyper::header::HOST, "127.0.0.1")
            .header(hyper::header::AUTHORIZATION, authorization.as_str())
            .body(Empty::new())
            .expect("request");
        let sent = Instant::now();
        sender.ready().await.expect("connection ready");
        let response = sender.send_request(request).await.expect("answers");
        assert_eq!(response.status(), 200);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        black_box(body);
        latencies.push(sent.elapsed());
    }
    drop(sender);
    let _ = driver.await;
    latencies
}

/// The hand-written baseline server.
mod hand {
    use axum::extract::{Path, Query, State};
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse as _, Response};
    use axum::routing::get;
    use axum::{Json, Router};
    use chrono::NaiveDate;
    use krosai_generated::demo::{Store, ALPHA_KEY, ALPHA_ORG, BETA_KEY, BETA_ORG};
    use krosai_generated::server::ListCallsRequest;
    use krosai_generated::types::{CallDirection, CallStatus, CallsListResponse};
    use serde::Deserialize;
    use uuid::Uuid;

    /// `GET /calls` and `GET /calls/{id}` over `store`.
    pub fn router(store: Store) -> Router {
        Router::new()
            .route("/calls", get(list_calls))
            .route("/calls/{id}", get(get_call))
            .with_state(store)
    }

    /// A `listCalls` request with no filters.
    pub fn list_request(page: i64, limit: i64) -> ListCallsRequest {
        let mut request = ListCallsRequest::default();
        request.page = page;
        request.limit = limit;
        request
    }

    /// The list's query parameters (no `action`: the baseline lists only).
    #[derive(Deserialize)]
    struct ListQuery {
        page: Option<i64>,
        limit: Option<i64>,
        status: Option<CallStatus>,
        direction: Option<CallDirection>,
        phone_number_id: Option<Uuid>,
        start_date: Option<NaiveDate>,
        end_date: Option<NaiveDate>,
    }

    fn error(status: StatusCode, code: &str) -> Response {
        (
            status,
            Json(serde_json::json!({ "error": code, "code": code })),
        )
            .into_response()
    }

    /// The organization of the request's key (bearer or `x-api-key`); an
    /// `x-organization-id` must name that organization.
    fn authenticate(headers: &HeaderMap) -> Result<Uuid, (StatusCode, &'static str)> {
        let key = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()));
        let organization = match key {
            Some(ALPHA_KEY) => ALPHA_ORG,
            Some(BETA_KEY) => BETA_ORG,
            _ => return Err((StatusCode::UNAUTHORIZED, "unauthorized")),
        };
        match headers.get("x-organization-id") {
            None => Ok(organization),
            Some(value) => match value.to_str().ok().and_then(|v| v.parse::<Uuid>().ok()) {
                Some(requested) if requested == organization => Ok(organization),
                Some(_) => Err((StatusCode::FORBIDDEN, "forbidden")),
                None => Err((StatusCode::BAD_REQUEST, "invalid_request")),
            },
        }
    }

    async fn list_calls(
        State(store): State<Store>,
        headers: HeaderMap,
        Query(query): Query<ListQuery>,
    ) -> Response {
        let organization = match authenticate(&headers) {
            Ok(organization) => organization,
            Err((status, code)) => return error(status, code),
        };
        let page = query.page.unwrap_or(1);
        let limit = query.limit.unwrap_or(20);
        if page < 1 || !(1..=100).contains(&limit) {
            return error(StatusCode::BAD_REQUEST, "invalid_request");
        }
        let mut request = list_request(page, limit);
        request.status = query.status;
        request.direction = query.direction;
        request.phone_number_id = query.phone_number_id;
        request.start_date = query.start_date;
        request.end_date = query.end_date;
        let calls = store.matching(organization, &request);
        let total = calls.len() as i64;
        let skip = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
        let data = calls
            .into_iter()
            .skip(skip)
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        Json(CallsListResponse::new(
            data,
            total,
            page,
            limit,
            (total + limit - 1) / limit,
        ))
        .into_response()
    }

    async fn get_call(
        State(store): State<Store>,
        headers: HeaderMap,
        Path(id): Path<Uuid>,
    ) -> Response {
        let organization = match authenticate(&headers) {
            Ok(organization) => organization,
            Err((status, code)) => return error(status, code),
        };
        match store.get(organization, id) {
            Some(call) => Json(call).into_response(),
            None => error(StatusCode::NOT_FOUND, "not_found"),
        }
    }
}
