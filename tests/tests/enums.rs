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
        expected.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>()
    );
    for (value, wire) in expected {
        assert_eq!(value.as_str(), wire);
        assert_eq!(value.to_string(), wire);
        assert!(value.is_known());
        assert_eq!(round_trip::<Awkward>(json!(wire)), value);
        assert_eq!(Awkward::from_str(wire), Ok(value));
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

/// A value the spec does not list (a newer server's) is kept, in text and
/// JSON alike, and written back unchanged.
#[test]
fn unknown_values_are_kept_by_open_enums() {
    let later = Awkward::from_str("nope").expect("open enums take any text");
    assert!(!later.is_known());
    assert_eq!(later.as_str(), "nope");
    assert_eq!(later.to_string(), "nope");
    assert!(matches!(&later, Awkward::Unknown(value) if value.as_str() == "nope"));
    assert_eq!(round_trip::<Awkward>(json!("nope")), later);
    // ALL lists the spec's values only.
    assert!(!Awkward::ALL.contains(&later));
    // Case matters: wire values are exact, so `Queued` is not `queued`.
    assert!(!JobStatus::from_str("Queued").unwrap().is_known());
    assert_eq!(JobStatus::from_str("queued"), Ok(JobStatus::Queued));
    // Integer enums keep the integer (and stay `Copy`).
    let seven: Priority = round_trip(json!(7));
    assert_eq!(seven.value(), 7);
    assert_eq!(Priority::from_str("7"), Ok(seven));
    assert!(!seven.is_known());
    assert_eq!(Priority::from_value(7), None);
    // Text that is not an integer is no integer enum value.
    assert_eq!(Priority::from_str("x").unwrap_err().value(), "x");
    // Inside a struct, too: the rest of the object is not lost.
    let job: Job = round_trip(json!({"id": 1, "status": "lost", "retries": 9}));
    assert_eq!(job.status.as_str(), "lost");
    assert_eq!(job.retries.map(|r| r.value()), Some(9));
    // Not every JSON type is a value, though.
    decode_error::<Priority>(json!("5"));
    decode_error::<Awkward>(json!(5));
}

/// A value a spec does not list does not make a variant a user can match
/// as one it lists: a name that is a value gets `UnknownValue`.
#[test]
fn the_catch_all_variant_never_takes_a_listed_name() {
    use krosai_fixtures::enums::types::Outcome;
    assert_eq!(Outcome::from_str("unknown"), Ok(Outcome::Unknown));
    let other = Outcome::from_str("other").unwrap();
    assert!(matches!(&other, Outcome::UnknownValue(v) if v.as_str() == "other"));
}

/// With `closed_enums`, values the spec does not list are errors.
mod closed {
    use super::*;
    use krosai_fixtures::enums_closed::types::{Awkward, Job, JobStatus, ParseEnumError, Priority};

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
        let error: ParseEnumError = Priority::from_str("7").unwrap_err();
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

    /// String enums decode with a message (in serde's wording) that lists
    /// every accepted wire value (`FromStr` names the type instead).
    #[test]
    fn string_enum_decode_error_lists_the_values() {
        let error = decode_error::<Awkward>(json!("nope"));
        assert!(error.contains("unknown variant `nope`"), "{error}");
        assert!(error.contains("a b"), "{error}");
    }

    /// Closed enums are `Copy`, and can be matched without a catch-all.
    #[test]
    fn closed_enums_are_copy_and_exhaustive() {
        fn copy<T: Copy>(value: T) -> (T, T) {
            (value, value)
        }
        let (a, _) = copy(JobStatus::Queued);
        let label = match a {
            JobStatus::Queued => "queued",
            JobStatus::InProgress => "in progress",
            JobStatus::Done => "done",
        };
        assert_eq!(label, a.as_str().replace('_', " "));
    }
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
    let mut params = ListJobsParams::default();
    params.status = previous;
    params.class = Some(StatusClass::Value2xx);
    let filter: Option<JobStatus> = params.status;
    assert_eq!(status, JobStatus::InProgress);
    assert_eq!(filter, Some(JobStatus::Queued));
    assert_eq!(job.priority, Some(Priority::Value10));
    assert_eq!(job.awkward, Some(Awkward::AB));
    assert_eq!(job.retries, Some(JobRetries::Value3));
}
