//! Helpers shared by the behaviour tests.
// Not every test file uses every helper.
#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes `json` as `T` (from its text, as a client or server would), checks
/// that decoding from the `Value` agrees, encodes it back and checks that the
/// result is the same JSON. Returns the typed value for further checks.
#[track_caller]
pub fn round_trip<T>(json: Value) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let text = json.to_string();
    let typed: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{text} does not decode as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let from_value: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{text} does not decode from a Value: {e}"));
    assert_eq!(
        typed, from_value,
        "decoding from text and from a Value differ"
    );
    let back = serde_json::to_value(&typed).expect("encodes");
    assert_eq!(back, json, "{typed:?} does not encode back to the input");
    // And through text, as it would travel.
    let back_text: Value =
        serde_json::from_str(&serde_json::to_string(&typed).expect("encodes")).expect("valid JSON");
    assert_eq!(back_text, json);
    typed
}

/// Decodes `json` as `T`, which must fail; returns the error message.
#[track_caller]
pub fn decode_error<T>(json: Value) -> String
where
    T: DeserializeOwned + std::fmt::Debug,
{
    match serde_json::from_str::<T>(&json.to_string()) {
        Ok(value) => panic!("{json} decoded as {value:?}, expected an error"),
        Err(error) => error.to_string(),
    }
}

/// Serves `router` on an ephemeral local port; returns its base URL. The
/// server lives as long as the test's runtime.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds a local port");
    let address = listener.local_addr().expect("has an address");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serves");
    });
    format!("http://{address}")
}
