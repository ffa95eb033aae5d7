//! `fixtures/formats.yaml`: the Rust type of every `type`/`format` pair.
//!
//! The mapping (README): uuid → `uuid::Uuid`, date-time →
//! `chrono::DateTime<chrono::FixedOffset>`, date → `chrono::NaiveDate`,
//! int32 → `i32`, int64 or no format → `i64`, float → `f32`, double or no
//! format → `f64`; uri, byte and unknown formats → `String`; binary →
//! `Vec<u8>` (a string in JSON, the bytes of its text).
//! `types_are_the_documented_ones` does not compile if any of that changes.

mod common;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use common::{decode_error, round_trip};
use krosai_fixtures::formats::types::{Everything, Id, When};
use serde_json::json;

fn sample() -> serde_json::Value {
    json!({
        "uuid": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "date_time": "2026-11-01T10:30:00.250+02:00",
        "date": "2026-11-01",
        "uri": "https://example.com/a?b=c",
        "int32": -2147483648i64,
        "int64": 9007199254740993i64,
        "float": 1.5,
        "double": 0.1,
        "byte": "aGVsbG8=",
        "binary": "\u{0}raw",
        "unknown": "whatever",
        "plain_integer": -9223372036854775808i64,
        "plain_number": 1e300,
        "plain_string": "s",
        "boolean": true,
        "email": "a@b.c",
        "any": {"nested": [1, "two", null]}
    })
}

/// Compiles only if `value` has exactly type `T`.
fn exactly<T>(_: &T) {}

#[test]
fn types_are_the_documented_ones() {
    let e: Everything = serde_json::from_value(sample()).unwrap();
    exactly::<uuid::Uuid>(&e.uuid);
    exactly::<DateTime<FixedOffset>>(&e.date_time);
    exactly::<NaiveDate>(&e.date);
    exactly::<String>(&e.uri);
    exactly::<i32>(&e.int32);
    exactly::<i64>(&e.int64);
    exactly::<f32>(&e.float);
    exactly::<f64>(&e.double);
    exactly::<String>(&e.byte);
    exactly::<Vec<u8>>(&e.binary);
    exactly::<String>(&e.unknown);
    exactly::<i64>(&e.plain_integer);
    exactly::<f64>(&e.plain_number);
    exactly::<String>(&e.plain_string);
    exactly::<bool>(&e.boolean);
    exactly::<Option<String>>(&e.email);
    exactly::<Option<serde_json::Value>>(&e.any);
    // Named schemas that are only a format are aliases of the Rust type.
    let id: Id = e.uuid;
    exactly::<uuid::Uuid>(&id);
    let when: When = e.date_time;
    exactly::<DateTime<FixedOffset>>(&when);
}

#[test]
fn values_round_trip_unchanged() {
    let e: Everything = round_trip(sample());
    assert_eq!(
        e.uuid,
        uuid::Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap()
    );
    let offset = FixedOffset::east_opt(2 * 3600).unwrap();
    assert_eq!(
        e.date_time,
        offset
            .with_ymd_and_hms(2026, 11, 1, 10, 30, 0)
            .unwrap()
            .checked_add_signed(chrono::TimeDelta::milliseconds(250))
            .unwrap()
    );
    // The offset is kept, not normalised to UTC.
    assert_eq!(e.date_time.offset(), &offset);
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    assert_eq!(e.int32, i32::MIN);
    // Above 2^53: kept exactly, not through a float.
    assert_eq!(e.int64, 9_007_199_254_740_993);
    assert_eq!(e.float, 1.5f32);
    assert_eq!(e.double, 0.1f64);
    // Base64 is not decoded; the text is kept.
    assert_eq!(e.byte, "aGVsbG8=");
    assert_eq!(e.binary, b"\0raw");
    assert_eq!(e.plain_integer, i64::MIN);
    assert_eq!(e.plain_number, 1e300);
    assert_eq!(e.any, Some(json!({"nested": [1, "two", null]})));
}

#[test]
fn an_utc_timestamp_keeps_its_instant() {
    let mut json = sample();
    json["date_time"] = json!("2026-11-01T08:30:00Z");
    let e: Everything = serde_json::from_value(json).unwrap();
    assert_eq!(e.date_time.timestamp(), 1_793_521_800);
    assert_eq!(e.date_time.offset().local_minus_utc(), 0);
}

#[test]
fn a_float_that_f32_cannot_hold_exactly_travels_as_its_shortest_text() {
    let mut json = sample();
    json["float"] = json!(0.1);
    let e: Everything = serde_json::from_value(json).unwrap();
    assert_eq!(e.float, 0.1f32);
    let text = serde_json::to_string(&e).unwrap();
    assert!(text.contains(r#""float":0.1,"#), "{text}");
}

#[test]
fn malformed_values_are_rejected() {
    for (key, bad) in [
        ("uuid", json!("not-a-uuid")),
        ("date_time", json!("2026-11-01")),
        ("date_time", json!("2026-11-01T10:30:00")),
        ("date", json!("2026-13-01")),
        ("int32", json!(2147483648i64)),
        ("int64", json!(1.5)),
        ("plain_integer", json!("1")),
        ("boolean", json!("true")),
    ] {
        let mut json = sample();
        json[key] = bad.clone();
        let error = decode_error::<Everything>(json);
        assert!(!error.is_empty(), "{key} = {bad}");
    }
}
