//! The `tracing` feature: one span per client request and one per request
//! the router hands to a handler, with the operation, method, path
//! template, status, attempts and latency, and never a credential, a
//! parameter value or a body.
#![cfg(all(feature = "tracing", feature = "server", feature = "client"))]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use krosai_generated::client::{Client, RetryPolicy};
use krosai_generated::demo::{DemoCalls, DemoKeys, ALPHA_KEY};
use krosai_generated::server::router;
use krosai_generated::types::ListCallsOk;
use krosai_runtime::client::HttpRequest;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// A span or an event as recorded: its name and fields.
#[derive(Debug, Clone, Default)]
struct Recorded {
    name: String,
    fields: BTreeMap<String, String>,
}

impl Visit for Recorded {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields
            .insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields
            .insert(field.name().to_owned(), value.to_owned());
    }
}

/// Every span (with the fields recorded later) and every event.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<BTreeMap<u64, Recorded>>>,
    events: Arc<Mutex<Vec<Recorded>>>,
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut span = Recorded {
            name: attrs.metadata().name().to_owned(),
            ..Recorded::default()
        };
        attrs.record(&mut span);
        self.spans.lock().unwrap().insert(id.into_u64(), span);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(span) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(span);
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut recorded = Recorded {
            name: event.metadata().name().to_owned(),
            ..Recorded::default()
        };
        event.record(&mut recorded);
        self.events.lock().unwrap().push(recorded);
    }
}

impl Recorder {
    fn spans(&self, kind: &str) -> Vec<Recorded> {
        self.spans
            .lock()
            .unwrap()
            .values()
            .filter(|s| {
                s.name == "krosai.request"
                    && s.fields.get("otel.kind").map(String::as_str) == Some(kind)
            })
            .cloned()
            .collect()
    }

    /// Everything recorded, as text.
    fn text(&self) -> String {
        format!(
            "{:?} {:?}",
            self.spans.lock().unwrap(),
            self.events.lock().unwrap()
        )
    }
}

fn field<'a>(span: &'a Recorded, name: &str) -> &'a str {
    span.fields
        .get(name)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no `{name}` in {span:?}"))
}

#[tokio::test]
async fn client_and_server_requests_run_in_spans_without_secrets() {
    let recorder = Recorder::default();
    let _default =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
    let client = Client::builder("http://krosai.test")
        .api_key(ALPHA_KEY)
        .service(router(DemoCalls::demo(), DemoKeys))
        .build()
        .expect("client builds");
    let page = client.list_calls().limit(1).await.expect("a page");
    let ListCallsOk::CallsListResponse(page) = page.into_inner() else {
        panic!("not a page");
    };
    let id = page.data[0].id.expect("id");
    client.get_call(id).await.expect("found");

    let clients = recorder.spans("client");
    let servers = recorder.spans("server");
    assert_eq!(
        (clients.len(), servers.len()),
        (2, 2),
        "{}",
        recorder.text()
    );
    for spans in [&clients, &servers] {
        let get = spans
            .iter()
            .find(|s| field(s, "operation_id") == "getCall")
            .expect("a getCall span");
        assert_eq!(field(get, "http.request.method"), "GET");
        assert_eq!(field(get, "http.response.status_code"), "200");
        assert!(field(get, "latency_ms").parse::<f64>().expect("a number") >= 0.0);
        assert!(spans
            .iter()
            .any(|s| field(s, "operation_id") == "listCalls"));
    }
    let get = |spans: &[Recorded]| {
        spans
            .iter()
            .find(|s| field(s, "operation_id") == "getCall")
            .cloned()
            .expect("a getCall span")
    };
    assert_eq!(field(&get(&clients), "url.template"), "/calls/{id}");
    assert_eq!(field(&get(&clients), "attempts"), "1");
    assert_eq!(field(&get(&servers), "http.route"), "/calls/{id}");

    // No key, no parameter value, no body.
    let text = recorder.text();
    assert!(!text.contains(ALPHA_KEY), "{text}");
    assert!(!text.contains(&id.to_string()), "{text}");
    assert!(!text.contains("from_number"), "{text}");
}

#[tokio::test]
async fn retries_are_events_in_the_request_span() {
    let recorder = Recorder::default();
    let _default =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
    let calls = Arc::new(AtomicU32::new(0));
    let double = {
        let calls = calls.clone();
        tower::service_fn(move |_: HttpRequest| {
            let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                axum::http::Response::builder()
                    .status(if call < 3 { 503 } else { 204 })
                    .body(String::new())
            }
        })
    };
    let client = Client::builder("http://double.test")
        .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
        .service(double)
        .build()
        .expect("client builds");
    client
        .delete_call(uuid::Uuid::nil())
        .await
        .expect("deleted on the third attempt");
    let spans = recorder.spans("client");
    assert_eq!(spans.len(), 1, "{}", recorder.text());
    assert_eq!(field(&spans[0], "operation_id"), "deleteCall");
    assert_eq!(field(&spans[0], "attempts"), "3");
    assert_eq!(field(&spans[0], "http.response.status_code"), "204");
    let retries: Vec<Recorded> = recorder
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
        .cloned()
        .collect();
    assert_eq!(retries.len(), 2, "{}", recorder.text());
    assert_eq!(field(&retries[0], "attempt"), "1");
    assert_eq!(field(&retries[1], "http.response.status_code"), "503");
}
