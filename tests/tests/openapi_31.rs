//! `fixtures/openapi_31.yaml`: OpenAPI 3.1 constructs give the types a 3.0
//! spec would, and the client and server check 3.1 bounds as they do 3.0
//! ones.

mod common;

use common::round_trip;
use krosai_fixtures::openapi_31::client::{Client, ClientError};
use krosai_fixtures::openapi_31::server::{self, RequestContext};
use krosai_fixtures::openapi_31::types::*;
use serde_json::json;

#[test]
fn the_types_carry_the_3_1_meaning() {
    let thing: Thing = round_trip(json!({
        "id": "t-1",
        "kind": "small",
        "nickname": null,
        "version": 2,
        "size": null,
        "owner": {"name": "ann"},
        "label": "tall",
        "ratio": 0.5,
        "pair": ["a", "b"],
        "origin": {"country": "NL"},
    }));
    // Each binding fails to compile if the mapping changes: `[string,
    // null]` and `oneOf` with `null` are `Option`s, `const` an enum.
    let _: Option<String> = thing.nickname;
    let _: Option<Size> = thing.size;
    assert_eq!(thing.version, ThingVersion::Value2);
    let owner: ThingOwner = thing.owner.expect("an owner");
    assert_eq!(owner.name, "ann");
    assert_eq!(thing.label, Some(ThingLabel::String("tall".to_owned())));
    let _: Option<f64> = thing.ratio;
    assert_eq!(thing.pair, Some(ThingPair("a".to_owned(), "b".to_owned())));
    let origin: Origin = thing.origin.expect("an origin");
    assert_eq!(origin.country.as_deref(), Some("NL"));

    // The other type of the `type` list.
    let numbered: Thing = round_trip(json!({
        "id": "t-2", "kind": "large", "nickname": "n", "version": 2,
        "size": {"width": 3}, "label": 7,
    }));
    assert_eq!(numbered.label, Some(ThingLabel::Integer(7)));

    // Tuples are JSON arrays of exactly their positions.
    let tupled: Thing = round_trip(json!({
        "id": "t-4", "kind": "small", "nickname": null, "version": 2, "size": null,
        "point": [1, 2.5, null], "open_pair": ["x", 1, true],
    }));
    let point: ThingPoint = tupled.point.expect("a point");
    assert_eq!(point.0, 1);
    assert_eq!(point.2, None);
    assert_eq!(tupled.open_pair.map(|p| p.len()), Some(3));
    let long = serde_json::from_value::<ThingPair>(json!(["a", "b", "c"]));
    assert!(long.is_err(), "a pair has two items: {long:?}");
    assert_eq!(numbered.size.map(|s| s.width), Some(3));

    // Required and nullable fields are always sent, `null` when empty;
    // optional ones are left out.
    let fresh = Thing::new("t-3".into(), Kind::Small, ThingVersion::Value2);
    let sent = serde_json::to_value(&fresh).expect("encodes");
    assert_eq!(sent["nickname"], json!(null));
    assert_eq!(sent["size"], json!(null));
    assert!(sent.get("owner").is_none(), "{sent}");
}

#[test]
fn webhook_payloads_are_types() {
    let event: ThingEvent = round_trip(json!({
        "thing": {"id": "t", "kind": "small", "nickname": null, "version": 2, "size": null},
        "at": "2026-12-03T10:00:00Z",
    }));
    assert_eq!(event.thing.id, "t");
}

struct Api;

impl server::DefaultApi for Api {
    type Principal = ();

    async fn search(
        &self,
        _: &RequestContext<()>,
        request: server::SearchRequest,
    ) -> Result<server::SearchResponse, server::SearchResponse> {
        let mut thing = Thing::new(
            format!("limit {:?}", request.limit),
            Kind::Small,
            ThingVersion::Value2,
        );
        thing.nickname = request.label;
        Ok(server::SearchResponse::Ok(vec![thing]))
    }
}

#[tokio::test]
async fn exclusive_bounds_are_checked_on_both_sides() {
    let base = common::serve(server::router(Api, server::NoAuthentication)).await;
    let client = Client::new(&base).expect("valid base URL");

    let found = client
        .search()
        .limit(1)
        .label("x".into())
        .await
        .expect("limit 1 is above 0");
    assert_eq!(found.body()[0].id, "limit Some(1)");
    assert_eq!(found.body()[0].nickname.as_deref(), Some("x"));

    // `exclusiveMinimum: 0` refuses 0 before anything is sent...
    match client.search().limit(0).await {
        Err(ClientError::InvalidRequest(violations)) => {
            assert_eq!(violations.len(), 1, "{violations:?}");
        }
        other => panic!("expected a refusal of limit 0, got {other:?}"),
    }
    // ...and the server refuses it too, in the Error schema.
    let response = reqwest::get(format!("{base}/search?limit=0"))
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 400);
    let inclusive = reqwest::get(format!("{base}/search?limit=100"))
        .await
        .expect("answered");
    assert_eq!(inclusive.status().as_u16(), 200, "the maximum is inclusive");

    // The operation reached through `components/pathItems` is routed; not
    // implemented here, it answers 501.
    let thing = reqwest::get(format!("{base}/things/t-1"))
        .await
        .expect("answered");
    assert_eq!(thing.status().as_u16(), 501);
}

#[test]
fn the_served_document_is_the_3_1_one() {
    let served: serde_json::Value =
        serde_json::from_str(server::OPENAPI_JSON).expect("the served document is JSON");
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(
        served["components"]["schemas"]["Thing"]["properties"]["nickname"]["type"],
        json!(["string", "null"])
    );
}

/// Receives the webhooks and keeps what it got.
#[derive(Default)]
struct Receiver {
    changed: std::sync::Mutex<Vec<String>>,
}

impl server::Webhooks for &'static Receiver {
    type Principal = ();

    async fn thing_changed(
        &self,
        _: &RequestContext<()>,
        request: server::ThingChangedRequest,
    ) -> Result<server::ThingChangedResponse, server::ThingChangedResponse> {
        self.changed
            .lock()
            .expect("not poisoned")
            .push(request.body.thing.id);
        Ok(server::ThingChangedResponse::Ok)
    }
}

/// Posts `body` as JSON to `url`; returns the status of the answer.
async fn post_json(url: String, body: serde_json::Value) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn webhooks_are_received_with_the_same_checks() {
    let receiver: &'static Receiver = Box::leak(Box::default());
    let app = axum::Router::new().nest(
        "/hooks",
        server::webhooks_router(receiver, server::NoAuthentication),
    );
    let base = common::serve(app).await;
    let thing = json!({"id": "t-9", "kind": "large", "nickname": null, "version": 2, "size": null});
    let changed = format!("{base}/hooks/thingChanged");

    assert_eq!(
        post_json(changed.clone(), json!({"thing": thing})).await,
        200
    );
    assert_eq!(*receiver.changed.lock().expect("not poisoned"), ["t-9"]);

    // A payload that does not match the schema is a 400, not a call.
    assert_eq!(post_json(changed, json!({"thing": {"id": 1}})).await, 400);
    assert_eq!(receiver.changed.lock().expect("not poisoned").len(), 1);

    // A webhook whose name is not a path segment is routed kebab-cased;
    // not implemented here, it answers 501 once its payload decodes.
    let deleted = format!("{base}/hooks/thing-deleted");
    assert_eq!(post_json(deleted.clone(), json!({"id": 5})).await, 400);
    assert_eq!(post_json(deleted, json!({"id": "t-9"})).await, 501);

    // The API's own router does not serve webhooks.
    let api = common::serve(server::router(Api, server::NoAuthentication)).await;
    assert_eq!(
        post_json(format!("{api}/thingChanged"), json!({"thing": thing})).await,
        404
    );
}
