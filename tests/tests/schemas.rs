//! `anyOf`, mixed enums, untyped schemas and deprecated schemas.
#![allow(deprecated)]

mod common;

use common::round_trip;
use krosai_fixtures::schemas::types::*;
use serde_json::json;

#[test]
fn any_of_objects_take_the_alternative_the_value_fits() {
    assert_eq!(
        round_trip::<NamedOrAged>(json!({"name": "Ada"})),
        NamedOrAged::Named(Named::new("Ada".to_owned()))
    );
    assert_eq!(
        round_trip::<NamedOrAged>(json!({"age": 36})),
        NamedOrAged::Aged(Aged::new(36))
    );
    // Neither required key: no alternative fits, the value is kept.
    assert_eq!(
        round_trip::<NamedOrAged>(json!({"other": 1})),
        NamedOrAged::Unknown(json!({"other": 1}))
    );
}

#[test]
fn any_of_primitives_go_by_json_type() {
    assert_eq!(
        round_trip::<TextOrNumber>(json!("7")),
        TextOrNumber::String("7".to_owned())
    );
    assert_eq!(
        round_trip::<TextOrNumber>(json!(7)),
        TextOrNumber::Integer(7)
    );
    assert_eq!(
        round_trip::<TextOrNumber>(json!(true)),
        TextOrNumber::Unknown(json!(true))
    );
}

#[test]
fn mixed_enums_and_untyped_schemas_keep_any_json() {
    let mixed: MixedEnum = round_trip(json!("two"));
    assert_eq!(mixed, json!("two"));
    let anything: Anything = round_trip(json!({"a": [1, null]}));
    assert_eq!(anything["a"][1], serde_json::Value::Null);
    let holder: Holder = round_trip(json!({"free": 1.5, "empty": [true], "old": {"value": "x"}}));
    assert_eq!(holder.free, Some(json!(1.5)));
    assert_eq!(holder.empty, Some(json!([true])));
    let mut legacy = Legacy::default();
    legacy.value = Some("x".to_owned());
    assert_eq!(holder.old, Some(legacy));
}
