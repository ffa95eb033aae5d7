//! `fixtures/nullable.yaml`: `nullable: true` on properties, references,
//! array items and map values.

mod common;

use std::collections::BTreeMap;

use common::{decode_error, round_trip};
use krosai_fixtures::nullable::types::{Holder, HolderMood, Inner, MaybeText};
use serde_json::json;

fn minimal() -> Holder {
    let mut holder = Holder::new("plain".to_owned(), vec![], BTreeMap::new());
    holder.required_nullable = None;
    holder.optional_nullable = None;
    holder.optional_plain = None;
    holder.required_ref_nullable = None;
    holder.required_all_of_nullable = None;
    holder.mood = None;
    holder.inners = None;
    holder
}

#[test]
fn the_types_carry_the_nullability() {
    // These bindings would not compile if a nullable were not an Option, or
    // a non-nullable required property were one.
    let h = minimal();
    let _: Option<String> = h.required_nullable;
    let _: String = h.required_plain;
    let _: Option<i64> = h.optional_nullable;
    let _: Option<MaybeText> = h.required_ref_nullable;
    let _: Option<Inner> = h.required_all_of_nullable;
    let _: Option<Inner> = h.any_of_one;
    let _: Vec<Option<String>> = h.items;
    let _: BTreeMap<String, Option<i64>> = h.values;
    let _: Option<HolderMood> = h.mood;
    let _: Option<Vec<Option<Inner>>> = h.inners;
}

#[test]
fn required_nullable_none_is_sent_as_null_and_optional_none_is_left_out() {
    let json = serde_json::to_value(minimal()).unwrap();
    assert_eq!(
        json,
        json!({
            "required_nullable": null,
            "required_plain": "plain",
            "required_ref_nullable": null,
            "required_all_of_nullable": null,
            "items": [],
            "values": {}
        })
    );
    let object = json.as_object().unwrap();
    for skipped in ["optional_nullable", "optional_plain", "mood", "inners"] {
        assert!(!object.contains_key(skipped), "{skipped} was sent");
    }
}

#[test]
fn nulls_round_trip_where_they_are_allowed() {
    let holder: Holder = round_trip(json!({
        "required_nullable": null,
        "required_plain": "x",
        "required_ref_nullable": null,
        "required_all_of_nullable": null,
        "items": [null, "a", null],
        "values": {"a": null, "b": 2},
        "inners": [null, {"n": 1}]
    }));
    let mut expected = minimal();
    expected.required_plain = "x".to_owned();
    expected.items = vec![None, Some("a".to_owned()), None];
    expected.values = BTreeMap::from([("a".to_owned(), None), ("b".to_owned(), Some(2))]);
    expected.inners = Some(vec![None, Some(Inner::new(1))]);
    assert_eq!(holder, expected);
}

#[test]
fn values_round_trip_where_null_was_allowed() {
    let holder: Holder = round_trip(json!({
        "required_nullable": "here",
        "required_plain": "x",
        "optional_nullable": 3,
        "optional_plain": 4,
        "required_ref_nullable": "text",
        "required_all_of_nullable": {"n": 5},
        "items": ["a"],
        "values": {"b": 2},
        "mood": "happy"
    }));
    assert_eq!(holder.required_nullable.as_deref(), Some("here"));
    assert_eq!(holder.optional_nullable, Some(3));
    assert_eq!(holder.required_ref_nullable.as_deref(), Some("text"));
    assert_eq!(holder.required_all_of_nullable, Some(Inner::new(5)));
    assert_eq!(holder.mood, Some(HolderMood::Happy));
}

#[test]
fn optional_nullable_accepts_an_explicit_null() {
    let holder: Holder = serde_json::from_value(json!({
        "required_nullable": null,
        "required_plain": "x",
        "optional_nullable": null,
        "required_ref_nullable": null,
        "required_all_of_nullable": null,
        "items": [],
        "values": {},
        "mood": null
    }))
    .expect("decodes");
    assert_eq!(holder.optional_nullable, None);
    assert_eq!(holder.mood, None);
}

#[test]
fn null_is_rejected_where_it_is_not_allowed() {
    let base = json!({
        "required_nullable": null,
        "required_plain": "x",
        "required_ref_nullable": null,
        "required_all_of_nullable": null,
        "items": [],
        "values": {}
    });
    let mut plain_null = base.clone();
    plain_null["required_plain"] = json!(null);
    decode_error::<Holder>(plain_null);
    // Inner's own `n` is not nullable.
    let mut inner_null = base.clone();
    inner_null["required_all_of_nullable"] = json!({"n": null});
    decode_error::<Holder>(inner_null);
}

#[test]
fn the_null_of_a_nullable_enum_is_not_a_variant() {
    assert_eq!(HolderMood::ALL, [HolderMood::Happy, HolderMood::Sad]);
}
