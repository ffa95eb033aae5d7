//! Hostile traffic against a running KrosAI server (the reference server,
//! `calls_server`, in CI), in bounded loops, while correct requests keep
//! being sent and timed:
//!
//! - **held**: many connections open at once, each served a request, then
//!   left idle until the server closes them (its head timeout);
//! - **slow heads**: request heads trickled in a byte at a time, which the
//!   server must cut off;
//! - **flood**: requests on fresh connections, many at a time;
//! - **slow bodies**, **big bodies**: bodies trickled in, or far larger
//!   than the server reads, or JSON nested beyond any parser's depth;
//! - **big heads**: a huge header, too many headers, a huge URL;
//! - **malformed**: broken percent-encoding, invalid UTF-8, bytes no HTTP
//!   allows, requests that are not HTTP;
//! - **conflicts**: repeated and conflicting parameters, headers and
//!   credentials of two tenants at once.
//!
//! It fails (exit 1) when any answer is a `5xx`, a correct request fails or
//! sees another tenant's data, a trickled head is not cut off, an answer
//! shows another tenant's data, or the server's peak memory (read from
//! `/proc/PID/status` with `--pid`) passes `--max-rss-mib`. It prints the
//! cases run per class, the connections held, the latency of the correct
//! requests during the attack and the server's peak memory.
//!
//! ```sh
//! cargo run -p krosai-generated --all-features --example calls_server -- --addr 127.0.0.1:8080 &
//! cargo run -p krosai-generated --all-features --example siege -- --url http://127.0.0.1:8080/v1 --pid $!
//! ```

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use futures_util::future::join_all;
use krosai_generated::client::{Client, ClientError};
use krosai_generated::demo::{ALPHA_KEY, ALPHA_ORG, BETA_KEY, BETA_ORG};
use krosai_generated::types::ListCallsOk;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use uuid::Uuid;

/// Hostile traffic against a running KrosAI server.
#[derive(Debug, Parser)]
struct Args {
    /// The API's base URL (`http://127.0.0.1:8080/v1`).
    #[arg(long)]
    url: String,
    /// The server's process id, to read its peak memory.
    #[arg(long)]
    pid: Option<u32>,
    /// The server's head timeout in seconds (how long to wait for it to
    /// cut slow and idle connections off).
    #[arg(long, default_value_t = 10.0)]
    head_timeout: f64,
    /// Connections held open at once.
    #[arg(long, default_value_t = 800)]
    hold: usize,
    /// Connections trickling their heads.
    #[arg(long, default_value_t = 200)]
    slow: usize,
    /// Requests of the flood.
    #[arg(long, default_value_t = 3000)]
    flood: usize,
    /// The server's peak resident memory allowed, in MiB.
    #[arg(long, default_value_t = 256)]
    max_rss_mib: u64,
    /// Print the outcomes of each case, not only of each class.
    #[arg(long)]
    verbose: bool,
}

/// What came back for one raw request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// An answer with this status (and the body, when asked for).
    Status(u16),
    /// The server closed the connection without an answer.
    Closed,
    /// Nothing within the time allowed.
    Silent,
}

/// The outcomes of one class of attack, and what broke the rules.
#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    outcomes: BTreeMap<String, usize>,
    by_case: BTreeMap<(String, String), usize>,
    violations: Vec<String>,
    longest: Duration,
}

impl Tally {
    fn record(&mut self, case: &str, outcome: &Outcome, took: Duration) {
        self.cases += 1;
        self.longest = self.longest.max(took);
        let key = match outcome {
            Outcome::Status(status) => status.to_string(),
            Outcome::Closed => "closed".to_owned(),
            Outcome::Silent => "silent".to_owned(),
        };
        *self
            .by_case
            .entry((case.to_owned(), key.clone()))
            .or_default() += 1;
        *self.outcomes.entry(key).or_default() += 1;
        if let Outcome::Status(status) = outcome {
            if *status >= 500 {
                self.violations.push(format!("{case}: answered {status}"));
            }
        }
    }
}

/// Sends `request` on a new connection and reads the answer's status
/// line (and, with `body`, the whole answer) within `wait`.
async fn raw(address: SocketAddr, request: &[u8], wait: Duration) -> (Outcome, Vec<u8>) {
    let Ok(Ok(mut stream)) = tokio::time::timeout(wait, TcpStream::connect(address)).await else {
        return (Outcome::Silent, Vec::new());
    };
    // The server may answer and close before the whole request is written
    // (a body it does not read): what it answered is what counts.
    let _ = tokio::time::timeout(wait, stream.write_all(request)).await;
    read_answer(&mut stream, wait).await
}

/// Reads one answer: its status, and its bytes until the server closes
/// or `wait` passes.
async fn read_answer(stream: &mut TcpStream, wait: Duration) -> (Outcome, Vec<u8>) {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(read)) => {
                answer.extend_from_slice(&buffer[..read]);
                if complete(&answer) {
                    break;
                }
            }
            Err(_) if answer.is_empty() => return (Outcome::Silent, answer),
            Err(_) => break,
        }
    }
    (status_of(&answer), answer)
}

/// Whether `answer` holds a whole response (head and a body of its
/// `content-length`).
fn complete(answer: &[u8]) -> bool {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    answer.len() >= end + 4 + length
}

fn status_of(answer: &[u8]) -> Outcome {
    let line = answer.split(|b| *b == b'\n').next().unwrap_or_default();
    let text = String::from_utf8_lossy(line);
    match text.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
        Some(status) if text.starts_with("HTTP/") => Outcome::Status(status),
        _ => Outcome::Closed,
    }
}

/// The body of a raw answer, as JSON.
fn json_body(answer: &[u8]) -> Option<serde_json::Value> {
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    serde_json::from_slice(&answer[end + 4..]).ok()
}

/// The organizations whose calls an answer shows.
fn organizations(body: &serde_json::Value) -> Vec<String> {
    let mut orgs: Vec<String> = match body.get("data").and_then(|d| d.as_array()) {
        Some(calls) => calls
            .iter()
            .filter_map(|c| c["organization_id"].as_str().map(str::to_owned))
            .collect(),
        None => body["organization_id"]
            .as_str()
            .map(str::to_owned)
            .into_iter()
            .collect(),
    };
    orgs.sort();
    orgs.dedup();
    orgs
}

/// A request head for `path` under the API, with `headers`.
fn request(method: &str, base: &str, path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut text =
        format!("{method} {base}{path} HTTP/1.1\r\nhost: siege\r\nconnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

/// Correct requests, sent one after the other until `stop`: each must
/// succeed and show only its own tenant's calls.
struct Probes {
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

async fn probe(url: String, beta_call: Uuid, stop: Arc<AtomicBool>) -> Probes {
    let client = |key: &str| {
        Client::builder(&url)
            .api_key(key)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client")
    };
    let (alpha, beta) = (client(ALPHA_KEY), client(BETA_KEY));
    let mut probes = Probes {
        latencies: Vec::new(),
        failures: Vec::new(),
    };
    let mut turn = 0u64;
    while !stop.load(Ordering::Relaxed) {
        turn += 1;
        let started = Instant::now();
        let failure = match turn % 3 {
            0 => match alpha.list_calls().limit(20).await.map(|r| r.into_inner()) {
                Ok(ListCallsOk::CallsListResponse(page))
                    if page
                        .data
                        .iter()
                        .all(|c| c.organization_id == Some(ALPHA_ORG)) =>
                {
                    None
                }
                other => Some(format!("alpha list: {other:?}")),
            },
            1 => match beta.get_call(beta_call).await {
                Ok(call) if call.organization_id == Some(BETA_ORG) => None,
                other => Some(format!("beta get: {other:?}")),
            },
            _ => match alpha.get_call(beta_call).await {
                Err(ClientError::NotFound(_)) => None,
                other => Some(format!("alpha sees beta's call: {other:?}")),
            },
        };
        probes.latencies.push(started.elapsed());
        probes.failures.extend(failure);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    probes
}

/// Connections opened at once, each served one request, then idle until
/// the server closes them. Returns how many were open at once.
async fn held(
    address: SocketAddr,
    base: &str,
    count: usize,
    timeout: Duration,
    tally: &Mutex<Tally>,
) -> usize {
    let keep_alive = format!("GET {base}/calls?limit=1 HTTP/1.1\r\nhost: siege\r\nauthorization: Bearer {ALPHA_KEY}\r\n\r\n");
    let opened = join_all((0..count).map(|_| TcpStream::connect(address))).await;
    let mut streams: Vec<TcpStream> = opened.into_iter().filter_map(Result::ok).collect();
    let answers = join_all(streams.iter_mut().map(|stream| async {
        let started = Instant::now();
        if stream.write_all(keep_alive.as_bytes()).await.is_err() {
            return (Outcome::Closed, started.elapsed());
        }
        let (outcome, _) = read_answer(stream, timeout * 3).await;
        (outcome, started.elapsed())
    }))
    .await;
    let served = answers
        .iter()
        .filter(|(o, _)| *o == Outcome::Status(200))
        .count();
    {
        let mut tally = tally.lock().unwrap();
        for (outcome, took) in &answers {
            tally.record("held: a request on a held connection", outcome, *took);
        }
        if served < streams.len() {
            tally.violations.push(format!(
                "held: {} of {} connections served",
                served,
                streams.len()
            ));
        }
    }
    // Idle now: the server must close each within its head timeout.
    let closed = join_all(streams.iter_mut().map(|stream| async {
        let mut byte = [0u8; 1];
        matches!(
            tokio::time::timeout(timeout * 2 + Duration::from_secs(5), stream.read(&mut byte))
                .await,
            Ok(Ok(0) | Err(_))
        )
    }))
    .await;
    let still_open = closed.iter().filter(|c| !**c).count();
    if still_open > 0 {
        tally
            .lock()
            .unwrap()
            .violations
            .push(format!("held: {still_open} idle connections never closed"));
    }
    served
}

/// Heads trickled in a byte every 100 ms: each must be cut off.
async fn slow_heads(
    address: SocketAddr,
    base: &str,
    count: usize,
    timeout: Duration,
    tally: &Mutex<Tally>,
) {
    let head = format!(
        "GET {base}/calls HTTP/1.1\r\nhost: siege\r\nauthorization: Bearer {ALPHA_KEY}\r\nx-slow: {}\r\n\r\n",
        "a".repeat(400)
    );
    let outcomes = join_all((0..count).map(|_| async {
        let started = Instant::now();
        let Ok(mut stream) = TcpStream::connect(address).await else {
            return (Outcome::Silent, started.elapsed(), false);
        };
        for byte in head.as_bytes() {
            if stream.write_all(&[*byte]).await.is_err() {
                return (Outcome::Closed, started.elapsed(), true);
            }
            let mut answer = [0u8; 256];
            match tokio::time::timeout(Duration::from_millis(100), stream.read(&mut answer)).await {
                Ok(Ok(0) | Err(_)) => return (Outcome::Closed, started.elapsed(), true),
                Ok(Ok(read)) => return (status_of(&answer[..read]), started.elapsed(), true),
                Err(_) => {}
            }
            if started.elapsed() > timeout * 2 + Duration::from_secs(5) {
                break;
            }
        }
        (Outcome::Silent, started.elapsed(), false)
    }))
    .await;
    let mut tally = tally.lock().unwrap();
    for (outcome, took, cut) in outcomes {
        tally.record("slow head", &outcome, took);
        if !cut {
            tally.violations.push("slow head: never cut off".to_owned());
        }
    }
}

/// Runs `cases` (name, request) with `parallel` at a time.
async fn cases(
    address: SocketAddr,
    cases: Vec<(String, Vec<u8>)>,
    parallel: usize,
    tally: &Mutex<Tally>,
    check: impl Fn(&str, &Outcome, &[u8]) -> Option<String>,
) {
    for chunk in cases.chunks(parallel) {
        let outcomes = join_all(chunk.iter().map(|(name, bytes)| async move {
            let started = Instant::now();
            let (outcome, answer) = raw(address, bytes, Duration::from_secs(40)).await;
            (name, outcome, answer, started.elapsed())
        }))
        .await;
        let mut tally = tally.lock().unwrap();
        for (name, outcome, answer, took) in outcomes {
            tally.record(name, &outcome, took);
            if outcome == Outcome::Silent {
                tally.violations.push(format!("{name}: no answer"));
            }
            if let Some(violation) = check(name, &outcome, &answer) {
                tally.violations.push(violation);
            }
        }
    }
}

/// The requests of the malformed class.
fn malformed(base: &str) -> Vec<(String, Vec<u8>)> {
    let auth = bearer(ALPHA_KEY);
    let auth = auth.as_str();
    let mut list = vec![
        ("bad percent-encoding in the query", request("GET", base, "/calls?limit=%ZZ", &[("authorization", auth)])),
        ("invalid UTF-8 in the query", request("GET", base, "/calls?status=%FF%FE", &[("authorization", auth)])),
        ("overlong UTF-8 in the path", request("GET", base, "/calls/%C0%AF", &[("authorization", auth)])),
        ("a path that is not a UUID", request("GET", base, "/calls/..%2F..%2Fetc%2Fpasswd", &[("authorization", auth)])),
        ("NUL in the query", request("GET", base, "/calls?direction=in%00bound", &[("authorization", auth)])),
        ("a non-UTF-8 organization header", {
            let mut r = request("GET", base, "/calls", &[("authorization", auth)]);
            let at = r.len() - 2;
            r.splice(at..at, b"x-organization-id: \xff\xfe\r\n".iter().copied());
            r
        }),
        ("raw bytes in the path", {
            let mut r = format!("GET {base}/calls/").into_bytes();
            r.extend_from_slice(b"\xff\xc0 HTTP/1.1\r\nhost: siege\r\nconnection: close\r\n\r\n");
            r
        }),
        ("a control byte in a header", format!("GET {base}/calls HTTP/1.1\r\nhost: siege\r\nauthorization: Bearer \x01\x02\r\n\r\n").into_bytes()),
        ("not HTTP", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n".to_vec()),
        ("HTTP/0.9", format!("GET {base}/calls\r\n\r\n").into_bytes()),
        ("no request line", b"\r\n\r\n\r\n".to_vec()),
        ("a huge method", format!("{} {base}/calls HTTP/1.1\r\nhost: siege\r\n\r\n", "G".repeat(5000)).into_bytes()),
        ("negative content-length", request("GET", base, "/calls", &[("authorization", auth), ("content-length", "-5")])),
        ("two content-lengths", request("GET", base, "/calls", &[("authorization", auth), ("content-length", "5"), ("content-length", "7")])),
        ("a bad chunked body", {
            let mut r = request("GET", base, "/calls", &[("authorization", auth), ("transfer-encoding", "chunked")]);
            r.extend_from_slice(b"zz\r\nhello\r\n0\r\n\r\n");
            r
        }),
    ];
    // A limit far beyond 64 bits, and a page of 300 digits.
    let huge = "9".repeat(300);
    list.push((
        "a 300-digit page",
        request(
            "GET",
            base,
            &format!("/calls?page={huge}&limit={huge}"),
            &[("authorization", auth)],
        ),
    ));
    list.into_iter().map(|(n, r)| (n.to_owned(), r)).collect()
}

/// The requests of the conflicts class, each with the organizations its
/// answer may show (none: it must not be a `200` with calls).
fn conflicts(base: &str) -> Vec<(String, Vec<u8>)> {
    let alpha = bearer(ALPHA_KEY);
    let beta = bearer(BETA_KEY);
    let (alpha_org, beta_org) = (ALPHA_ORG.to_string(), BETA_ORG.to_string());
    let list: Vec<(&str, Vec<u8>)> = vec![
        (
            "a repeated limit",
            request(
                "GET",
                base,
                "/calls?limit=5&limit=6",
                &[("authorization", &alpha)],
            ),
        ),
        (
            "a repeated page, one invalid",
            request(
                "GET",
                base,
                "/calls?page=1&page=two",
                &[("authorization", &alpha)],
            ),
        ),
        (
            "a repeated status",
            request(
                "GET",
                base,
                "/calls?status=failed&status=completed",
                &[("authorization", &alpha)],
            ),
        ),
        (
            "two bearer keys",
            request(
                "GET",
                base,
                "/calls",
                &[("authorization", &alpha), ("authorization", &beta)],
            ),
        ),
        (
            "a bearer key and an x-api-key of two tenants",
            request(
                "GET",
                base,
                "/calls",
                &[("authorization", &alpha), ("x-api-key", BETA_KEY)],
            ),
        ),
        (
            "the other tenant's organization",
            request(
                "GET",
                base,
                "/calls",
                &[("authorization", &alpha), ("x-organization-id", &beta_org)],
            ),
        ),
        (
            "two organizations",
            request(
                "GET",
                base,
                "/calls",
                &[
                    ("authorization", &alpha),
                    ("x-organization-id", &alpha_org),
                    ("x-organization-id", &beta_org),
                ],
            ),
        ),
        (
            "two organizations, the other first",
            request(
                "GET",
                base,
                "/calls",
                &[
                    ("authorization", &beta),
                    ("x-organization-id", &alpha_org),
                    ("x-organization-id", &beta_org),
                ],
            ),
        ),
        (
            "an organization in the query",
            request(
                "GET",
                base,
                &format!("/calls?x-organization-id={beta_org}"),
                &[("authorization", &alpha)],
            ),
        ),
        (
            "a lowercase bearer of the other tenant",
            request(
                "GET",
                base,
                "/calls",
                &[
                    ("authorization", &format!("bearer {BETA_KEY}")),
                    ("x-organization-id", &alpha_org),
                ],
            ),
        ),
        (
            "an action twice",
            request(
                "GET",
                base,
                "/calls?action=stats&action=trends",
                &[("authorization", &alpha)],
            ),
        ),
        (
            "an empty key",
            request("GET", base, "/calls", &[("authorization", "Bearer ")]),
        ),
    ];
    list.into_iter().map(|(n, r)| (n.to_owned(), r)).collect()
}

/// Which organizations a conflicting request may see: the keys it carries
/// belong to these, and no request may mix them or see a third.
fn conflict_check(name: &str, outcome: &Outcome, answer: &[u8]) -> Option<String> {
    if *outcome != Outcome::Status(200) {
        return None;
    }
    let orgs = json_body(answer)
        .map(|b| organizations(&b))
        .unwrap_or_default();
    let (alpha, beta) = (ALPHA_ORG.to_string(), BETA_ORG.to_string());
    let allowed: &[&String] = match name {
        "two bearer keys" | "a bearer key and an x-api-key of two tenants" => &[&alpha, &beta],
        "the other tenant's organization"
        | "two organizations"
        | "two organizations, the other first"
        | "an empty key" => &[],
        "a lowercase bearer of the other tenant" => &[&beta],
        _ => &[&alpha],
    };
    if orgs.len() > 1 {
        return Some(format!(
            "{name}: one answer shows calls of {} organizations",
            orgs.len()
        ));
    }
    match orgs.first() {
        Some(org) if !allowed.contains(&org) => {
            Some(format!("{name}: answered with calls of {org}"))
        }
        _ => None,
    }
}

/// The server's peak and current resident memory, in KiB.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let url = reqwest::Url::parse(&args.url).expect("a base URL");
    let address = url
        .socket_addrs(|| Some(80))
        .ok()
        .and_then(|a| a.into_iter().next())
        .expect("an address");
    let base = url.path().trim_end_matches('/').to_owned();
    let timeout = Duration::from_secs_f64(args.head_timeout);
    let started = Instant::now();
    let before = args.pid.and_then(memory);

    // One of beta's calls, for the probes.
    let beta = Client::builder(url.as_str())
        .api_key(BETA_KEY)
        .build()
        .expect("a client");
    let ListCallsOk::CallsListResponse(page) = beta
        .list_calls()
        .limit(1)
        .await
        .expect("the server answers")
        .into_inner()
    else {
        panic!("not a page");
    };
    let beta_call = page.data[0].id.expect("an id");

    let stop = Arc::new(AtomicBool::new(false));
    let probes = tokio::spawn(probe(url.to_string(), beta_call, stop.clone()));
    let mut report = Vec::new();

    // Held connections and trickled heads at the same time.
    let held_tally = Mutex::new(Tally::default());
    let slow_tally = Mutex::new(Tally::default());
    let (held_at_once, ()) = tokio::join!(
        held(address, &base, args.hold, timeout, &held_tally),
        slow_heads(address, &base, args.slow, timeout, &slow_tally),
    );
    report.push(("held (then idle)", held_tally.into_inner().unwrap()));
    report.push(("slow heads", slow_tally.into_inner().unwrap()));

    let flood = Mutex::new(Tally::default());
    let auth = bearer(ALPHA_KEY);
    let one = request("GET", &base, "/calls?limit=5", &[("authorization", &auth)]);
    let list: Vec<(String, Vec<u8>)> = (0..args.flood)
        .map(|_| ("flood".to_owned(), one.clone()))
        .collect();
    cases(address, list, 64, &flood, |_, outcome, answer| {
        let orgs = json_body(answer)
            .map(|b| organizations(&b))
            .unwrap_or_default();
        (*outcome != Outcome::Status(200) || orgs != [ALPHA_ORG.to_string()])
            .then(|| format!("flood: {outcome:?} showing {orgs:?}"))
    })
    .await;
    report.push(("flood", flood.into_inner().unwrap()));

    // Bodies: trickled, huge (with and without a length), nested deep.
    let bodies = Mutex::new(Tally::default());
    let mut list = Vec::new();
    let huge = vec![b'x'; 20 << 20];
    let nested = "[".repeat(100_000);
    for (name, length, body) in [
        ("a 20 MiB body", Some(huge.len()), huge.as_slice()),
        (
            "JSON nested 100,000 deep",
            Some(nested.len()),
            nested.as_bytes(),
        ),
        (
            "a body longer than its length",
            Some(10),
            b"0123456789 and more bytes than declared".as_slice(),
        ),
    ] {
        for _ in 0..5 {
            let mut r = format!("GET {base}/calls HTTP/1.1\r\nhost: siege\r\nconnection: close\r\nauthorization: {auth}\r\ncontent-type: application/json\r\n").into_bytes();
            if let Some(length) = length {
                r.extend_from_slice(format!("content-length: {length}\r\n").as_bytes());
            }
            r.extend_from_slice(b"\r\n");
            r.extend_from_slice(body);
            list.push((name.to_owned(), r));
        }
    }
    let mut chunked = format!("DELETE {base}/calls/{} HTTP/1.1\r\nhost: siege\r\nconnection: close\r\nauthorization: {}\r\ntransfer-encoding: chunked\r\n\r\n", Uuid::nil(), bearer(ALPHA_KEY)).into_bytes();
    for _ in 0..(4 << 10) {
        chunked.extend_from_slice(b"1000\r\n");
        chunked.extend_from_slice(&[b'['; 4096]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    for _ in 0..5 {
        list.push(("a 16 MiB chunked body".to_owned(), chunked.clone()));
    }
    cases(address, list, 5, &bodies, |_, _, _| None).await;
    // Bodies trickled in after a complete head.
    let trickled = join_all((0..50).map(|_| async {
        let started = Instant::now();
        let Ok(mut stream) = TcpStream::connect(address).await else {
            return (Outcome::Silent, started.elapsed());
        };
        let head = format!("GET {base}/calls?limit=1 HTTP/1.1\r\nhost: siege\r\nauthorization: {auth}\r\ncontent-length: 100000\r\n\r\n");
        let _ = stream.write_all(head.as_bytes()).await;
        for _ in 0..20 {
            if stream.write_all(b"[").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (outcome, _) = read_answer(&mut stream, timeout * 4).await;
        (outcome, started.elapsed())
    }))
    .await;
    {
        let mut tally = bodies.lock().unwrap();
        for (outcome, took) in trickled {
            tally.record("a trickled body", &outcome, took);
        }
    }
    report.push(("bodies", bodies.into_inner().unwrap()));

    // Heads past the limits.
    let heads = Mutex::new(Tally::default());
    let mut list = Vec::new();
    let big = "b".repeat(100 << 10);
    let many: Vec<(String, String)> = (0..300)
        .map(|i| (format!("x-h{i}"), "1".to_owned()))
        .collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    for _ in 0..20 {
        list.push((
            "a 100 KiB header".to_owned(),
            request(
                "GET",
                &base,
                "/calls",
                &[("authorization", &auth), ("x-big", &big)],
            ),
        ));
        list.push((
            "300 headers".to_owned(),
            request(
                "GET",
                &base,
                "/calls",
                &[("authorization", auth.as_str())]
                    .into_iter()
                    .chain(many.iter().copied())
                    .collect::<Vec<_>>(),
            ),
        ));
        list.push((
            "a 100 KiB URL".to_owned(),
            request(
                "GET",
                &base,
                &format!("/calls?limit=1&x={big}"),
                &[("authorization", &auth)],
            ),
        ));
    }
    cases(address, list, 20, &heads, |name, outcome, _| {
        matches!(outcome, Outcome::Status(200)).then(|| format!("{name}: accepted"))
    })
    .await;
    report.push(("big heads", heads.into_inner().unwrap()));

    let bad = Mutex::new(Tally::default());
    let list: Vec<(String, Vec<u8>)> = (0..5).flat_map(|_| malformed(&base)).collect();
    cases(address, list, 32, &bad, |_, _, _| None).await;
    report.push(("malformed", bad.into_inner().unwrap()));

    let conflicting = Mutex::new(Tally::default());
    let list: Vec<(String, Vec<u8>)> = (0..5).flat_map(|_| conflicts(&base)).collect();
    cases(address, list, 32, &conflicting, conflict_check).await;
    report.push(("conflicts", conflicting.into_inner().unwrap()));

    stop.store(true, Ordering::Relaxed);
    let probes = probes.await.expect("the probes ran");
    let after = args.pid.and_then(memory);

    // The report.
    println!("class               cases  longest   outcomes");
    let mut violations = Vec::new();
    let mut total = 0;
    for (class, tally) in &report {
        total += tally.cases;
        let outcomes: Vec<String> = tally
            .outcomes
            .iter()
            .map(|(k, v)| format!("{k}×{v}"))
            .collect();
        println!(
            "{class:<18} {:>6} {:>7.2}s   {}",
            tally.cases,
            tally.longest.as_secs_f64(),
            outcomes.join(" ")
        );
        if args.verbose {
            for ((case, outcome), count) in &tally.by_case {
                println!("    {case}: {outcome}×{count}");
            }
        }
        violations.extend(tally.violations.iter().cloned());
    }
    let mut latencies = probes.latencies.clone();
    latencies.sort();
    println!(
        "{total} hostile requests in {:.1} s; {held_at_once} connections served and held at once",
        started.elapsed().as_secs_f64()
    );
    println!(
        "correct requests during the attack: {} (p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms), {} failed",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        probes.failures.len()
    );
    violations.extend(probes.failures.iter().take(5).cloned());
    if latencies.is_empty() {
        violations.push("no correct request was answered during the attack".to_owned());
    }
    if let (Some((_, rss_before)), Some((peak, rss_after))) = (before, after) {
        println!(
            "server memory: {:.1} MiB before, peak {:.1} MiB, {:.1} MiB after (limit {} MiB)",
            rss_before as f64 / 1024.0,
            peak as f64 / 1024.0,
            rss_after as f64 / 1024.0,
            args.max_rss_mib
        );
        if peak > args.max_rss_mib * 1024 {
            violations.push(format!("server memory peaked at {} KiB", peak));
        }
    }
    // The server still answers correctly after the attack.
    match beta.get_call(beta_call).await {
        Ok(call) if call.organization_id == Some(BETA_ORG) => {}
        other => violations.push(format!("after the attack: {other:?}")),
    }
    if violations.is_empty() {
        println!("siege: no violation");
    } else {
        for violation in violations.iter().take(40) {
            eprintln!("violation: {violation}");
        }
        eprintln!("siege: {} violations", violations.len());
        std::process::exit(1);
    }
}
