//! `fixtures/enums.yaml`: string and integer enums.

mod common;

use std::str::FromStr;

use common::{decode_error, round_trip};
use krosai_fixtures::enums::types::{
    Awkward, Job, JobRetries, JobStatus, ListJobsParams, ParseEnumError, Priority, Repeated,
    StatusClass,
};
use serde_json::json;

/// Display then FromStr gives back every value, and Display is the wire text.
fn display_from_str_round_trip<T>(all: &[T])
where
    T: std::fmt::Display
        + FromStr<Err = ParseEnumError>
        + serde::Serialize
        + PartialEq
        + std::fmt::Debug,
{
    for value in all {
        let text = value.to_string();
        assert_eq!(&T::from_str(&text).expect("parses"), value);
        // Display is what goes on the wire (a string, or the integer).
        let wire = serde_json::to_value(value).unwrap();
        match wire {
            serde_json::Value::String(s) => assert_eq!(s, text),
            serde_json::Value::Number(n) => assert_eq!(n.to_string(), text),
            other => panic!("{value:?} encodes as {other}"),
        }
    }
}

#[test]
fn every_enum_round_trips_through_display_and_from_str() {
    display_from_str_round_trip(Awkward::ALL);
    display_from_str_round_trip(StatusClass::ALL);
    display_from_str_round_trip(Priority::ALL);
    display_from_str_round_trip(Repeated::ALL);
    display_from_str_round_trip(JobStatus::ALL);
    display_from_str_round_trip(JobRetries::ALL);
}

#[test]
fn awkward_values_keep_their_wire_text() {
    let expected = [
        (Awkward::InProgress, "in_progress"),
        (Awkward::Value2xx, "2xx"),
        (Awkward::Empty, ""),
        (Awkward::Plus, "+"),
        (Awkward::AB, "a b"),
        (Awkward::FooBar, "fooBar"),
        (Awkward::FooBar2, "foo_bar"),
    ];
    // ALL lists every value once, in spec order.
    assert_eq!(
        Awkward::ALL,
        expected.iter().map(|(v, _)| *v).collect::<Vec<_>>()
    );
    for (value, wire) in expected {
        assert_eq!(value.as_str(), wire);
        assert_eq!(value.to_string(), wire);
        assert_eq!(Awkward::from_str(wire), Ok(value));
        assert_eq!(round_trip::<Awkward>(json!(wire)), value);
    }
}

#[test]
fn integer_enums_are_json_integers() {
    let wires: Vec<i64> = Priority::ALL.iter().map(Priority::value).collect();
    assert_eq!(wires, [0, 1, 5, 10, -1]);
    for (value, wire) in Priority::ALL.iter().zip(wires) {
        assert_eq!(round_trip::<Priority>(json!(wire)), *value);
        assert_eq!(Priority::from_value(wire), Some(*value));
        assert_eq!(value.to_string(), wire.to_string());
    }
    assert_eq!(Priority::from_value(2), None);
    // A string holding the number is not the integer.
    decode_error::<Priority>(json!("5"));
    let wires: Vec<i64> = JobRetries::ALL.iter().map(JobRetries::value).collect();
    assert_eq!(wires, [0, 1, 2, 3]);
}

#[test]
fn duplicate_values_are_kept_once() {
    assert_eq!(Repeated::ALL, [Repeated::A, Repeated::B]);
}

#[test]
fn unknown_text_is_an_error_naming_the_type() {
    let error = Awkward::from_str("nope").unwrap_err();
    assert_eq!(error.type_name(), "Awkward");
    assert_eq!(error.value(), "nope");
    let message = error.to_string();
    assert!(
        message.contains("Awkward") && message.contains("nope"),
        "{message}"
    );
    // Case matters: wire values are exact.
    assert_eq!(
        JobStatus::from_str("Queued").unwrap_err().type_name(),
        "JobStatus"
    );
    let error = Priority::from_str("7").unwrap_err();
    assert_eq!(error.type_name(), "Priority");
    assert_eq!(error.value(), "7");
    assert_eq!(Priority::from_str("x").unwrap_err().value(), "x");
    // ParseEnumError is a std error.
    let _: &dyn std::error::Error = &error;
}

#[test]
fn unknown_wire_values_fail_to_decode() {
    let error = decode_error::<Priority>(json!(7));
    assert!(error.contains("Priority"), "{error}");
    let error = decode_error::<Awkward>(json!("nope"));
    assert!(error.contains("nope"), "{error}");
    // Inside a struct, too.
    decode_error::<Job>(json!({"id": 1, "status": "lost"}));
    decode_error::<Job>(json!({"id": 1, "status": "done", "retries": 9}));
}

#[test]
fn inline_enums_with_the_same_values_are_one_type() {
    // The `status` property, the `previous_status` property and the `status`
    // query parameter all hold a JobStatus (this would not compile otherwise).
    let job: Job = round_trip(json!({
        "id": 1,
        "status": "in_progress",
        "previous_status": "queued",
        "priority": 10,
        "awkward": "a b",
        "retries": 3
    }));
    let status: JobStatus = job.status;
    let previous: Option<JobStatus> = job.previous_status;
    let params = ListJobsParams {
        status: previous,
        class: Some(StatusClass::Value2xx),
    };
    let filter: Option<JobStatus> = params.status;
    assert_eq!(status, JobStatus::InProgress);
    assert_eq!(filter, Some(JobStatus::Queued));
    assert_eq!(job.priority, Some(Priority::Value10));
    assert_eq!(job.awkward, Some(Awkward::AB));
    assert_eq!(job.retries, Some(JobRetries::Value3));
}

/// String enums decode with a message (in serde's wording) that lists every
/// accepted wire value (`FromStr` names the type instead, see above).
#[test]
fn string_enum_decode_error_lists_the_values() {
    let error = decode_error::<Awkward>(json!("nope"));
    assert!(error.contains("unknown variant `nope`"), "{error}");
    assert!(error.contains("a b"), "{error}");
}
