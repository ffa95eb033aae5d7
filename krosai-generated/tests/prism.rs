//! The generated client against Prism, an independent mock server that
//! validates every request against the effective spec (seed + overlay).
//! A request Prism rejects is a client bug.
//!
//! Prism comes from the repository's pinned `package.json`
//! (`bash .ci/install-checkers prism`); the test starts it on a free
//! loopback port and stops it when done.
#![cfg(all(feature = "client", feature = "server"))]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use krosai_generated::client::{AuthScheme, Client, ClientError, Response};
use krosai_generated::types::{CallDirection, CallStatus, ListCallsAction, ListCallsOk};
use uuid::Uuid;

/// A Prism mock server, killed on drop.
struct Prism {
    child: Child,
    url: String,
    _spec: tempfile::NamedTempFile,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn prism_binary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/.bin/prism")
}

async fn start_prism() -> Prism {
    let binary = prism_binary();
    assert!(
        binary.exists(),
        "Prism is not installed: run `bash .ci/install-checkers prism` (expected {})",
        binary.display()
    );
    let mut spec = tempfile::Builder::new()
        .suffix(".json")
        .tempfile()
        .expect("temp file");
    spec.write_all(krosai_generated::server::OPENAPI_JSON.as_bytes())
        .expect("writes spec");
    // A port found free may be taken again before Prism binds it (tests
    // start their mocks in parallel), and then another test's Prism would
    // answer for this one until that test ends. So a Prism counts as up only
    // once it has said on its own output that it listens on this port; one
    // that exits first (the port was taken) is started again on another.
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut child = Command::new(&binary)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts prism");
        let url = format!("http://127.0.0.1:{port}");
        let listening = format!("Prism is listening on {url}");
        let stdout = child.stdout.take().expect("piped stdout");
        let (ready, started) = std::sync::mpsc::channel();
        // Prism logs every request: its output is read until it exits, so
        // that it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut said = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !said && line.trim_end().ends_with(&listening) {
                    said = true;
                    let _ = ready.send(true);
                }
            }
            let _ = ready.send(false);
        });
        let up = tokio::task::spawn_blocking(move || started.recv_timeout(Duration::from_secs(60)))
            .await
            .expect("waits for prism");
        match up {
            Ok(true) => {
                return Prism {
                    child,
                    url,
                    _spec: spec,
                }
            }
            Ok(false) => {}
            Err(_) => panic!("Prism did not start within 60 s"),
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("Prism did not stay up on any of 5 ports");
}

fn client(prism: &Prism) -> Client {
    Client::builder(&prism.url)
        .api_key("kros_test_alpha")
        .organization_id(Uuid::from_u128(1))
        .build()
        .expect("client")
}

/// Prism lists the spec violations it found in a request in `sl-violations`.
fn assert_accepted<T>(response: &Response<T>) {
    assert!(
        response.headers().get("sl-violations").is_none(),
        "Prism found violations: {:?}",
        response.headers().get("sl-violations")
    );
}

#[tokio::test]
async fn every_operation_is_accepted_by_prism() {
    let prism = start_prism().await;
    let client = client(&prism);

    let list = client
        .list_calls()
        .page(2)
        .limit(50)
        .status(CallStatus::NoAnswer)
        .direction(CallDirection::Outbound)
        .phone_number_id(Uuid::from_u128(9))
        .await
        .expect("list");
    assert_accepted(&list);
    // Prism answers the first `oneOf` branch, the list, whatever `action` is.
    assert!(matches!(list.body(), ListCallsOk::CallsListResponse(_)));

    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 7).expect("date");
    for action in ListCallsAction::ALL {
        let response = client
            .list_calls()
            .action(action.clone())
            .start_date(start)
            .end_date(end)
            .await
            .expect("stats or trends request");
        assert_accepted(&response);
    }

    let detail = client.get_call(Uuid::from_u128(42)).await.expect("get");
    assert_accepted(&detail);
    assert!(detail.id.is_some());

    let deleted = client
        .delete_call(Uuid::from_u128(42))
        .x_organization_id(Uuid::from_u128(2))
        .await
        .expect("delete");
    assert_accepted(&deleted);
    assert_eq!(deleted.status().as_u16(), 204);
}

#[tokio::test]
async fn the_x_api_key_scheme_is_accepted() {
    let prism = start_prism().await;
    let client = Client::builder(&prism.url)
        .api_key_with(AuthScheme::ApiKeyAuth, "kros_test_alpha")
        .build()
        .expect("client");
    let response = client.get_call(Uuid::from_u128(1)).await.expect("get");
    assert_accepted(&response);
}

#[tokio::test]
async fn a_missing_key_is_a_typed_401() {
    let prism = start_prism().await;
    let client = Client::new(&prism.url).expect("client");
    match client.list_calls().await {
        Err(ClientError::Unauthorized(body)) => assert!(!body.error.is_empty()),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}

#[tokio::test]
async fn documented_errors_decode_the_error_body() {
    let prism = start_prism().await;
    // Prism answers a documented status on request (`Prefer: code=...`).
    for (code, expect) in [(404, "NotFound"), (403, "Forbidden"), (400, "BadRequest")] {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "prefer",
            reqwest::header::HeaderValue::from_str(&format!("code={code}")).expect("header"),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("http");
        let client = Client::builder(&prism.url)
            .api_key("kros_test_alpha")
            .http_client(http)
            .build()
            .expect("client");
        let error = client
            .get_call(Uuid::from_u128(3))
            .await
            .expect_err("error status");
        let (name, body) = match &error {
            ClientError::NotFound(body) => ("NotFound", body),
            ClientError::Forbidden(body) => ("Forbidden", body),
            ClientError::BadRequest(body) => ("BadRequest", body),
            other => panic!("{code}: {other:?}"),
        };
        assert_eq!(name, expect);
        assert!(!body.error.is_empty());
        assert_eq!(error.status().map(|s| s.as_u16()), Some(code));
    }
}

#[tokio::test]
async fn out_of_bounds_parameters_never_reach_prism() {
    let prism = start_prism().await;
    let client = client(&prism);
    for (page, limit) in [(0, 20), (1, 0), (1, 101)] {
        let error = client
            .list_calls()
            .page(page)
            .limit(limit)
            .await
            .expect_err("refused");
        assert!(matches!(error, ClientError::InvalidRequest(_)), "{error:?}");
    }
    // The same values sent by hand are rejected by Prism too: the client's
    // bounds are the spec's.
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/calls?limit=101", prism.url))
        .bearer_auth("kros_test_alpha")
        .send()
        .await
        .expect("sends");
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.headers().get("sl-violations").is_some());
}
