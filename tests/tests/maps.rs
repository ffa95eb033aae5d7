//! `fixtures/maps.yaml`: `additionalProperties` as a map type, and as the
//! flattened `additional_properties` field of a struct that keeps the keys
//! it does not declare.

mod common;

use std::collections::BTreeMap;

use common::{decode_error, round_trip};
use krosai_fixtures::maps::types::{
    Anything, Clash, Closed, Counts, FreeForm, Holder, Labels, Layout, Nothing, Open, Point, Points,
};
use serde_json::{json, Value};

#[test]
fn the_map_types_are_the_expected_ones() {
    // Would not compile if the mapping changed.
    let _: Counts = BTreeMap::<String, i64>::new();
    let _: Points = BTreeMap::<String, Point>::new();
    let _: Anything = serde_json::Map::<String, Value>::new();
    let _: Nothing = serde_json::Map::<String, Value>::new();
    let _: FreeForm = serde_json::Map::<String, Value>::new();
    let labels: Labels = serde_json::from_value(json!({"name": "n"})).unwrap();
    let _: BTreeMap<String, String> = labels.additional_properties;
    let open: Open = serde_json::from_value(json!({"id": 1})).unwrap();
    let _: BTreeMap<String, Value> = open.additional_properties;
    let layout: Layout = serde_json::from_value(json!({"origin": {"x": 0, "y": 0}})).unwrap();
    let _: BTreeMap<String, Point> = layout.additional_properties;
}

#[test]
fn typed_maps_round_trip() {
    let counts: Counts = round_trip(json!({"a": 1, "b": -2, "": 0}));
    assert_eq!(counts.get(""), Some(&0));
    assert_eq!(counts["b"], -2);
    decode_error::<Counts>(json!({"a": "one"}));

    let points: Points = round_trip(json!({"p": {"x": 1, "y": 2}}));
    assert_eq!(points["p"], Point::new(1, 2));
    decode_error::<Points>(json!({"p": {"x": 1}}));
}

#[test]
fn free_form_objects_keep_anything() {
    let json = json!({"a": [1, {"b": null}], "c": "d", "e": 1.5, "f": false});
    let anything: Anything = round_trip(json.clone());
    assert_eq!(anything.len(), 4);
    let free: FreeForm = round_trip(json);
    assert_eq!(free["c"], json!("d"));
    let nothing: Nothing = round_trip(json!({}));
    assert!(nothing.is_empty());
    // Still objects: an array is not one.
    decode_error::<FreeForm>(json!([1]));
}

#[test]
fn extra_keys_are_kept_in_additional_properties() {
    let labels: Labels = round_trip(json!({
        "name": "bug",
        "priority": 1,
        "color": "red",
        "owner": "ada"
    }));
    assert_eq!(labels.name, "bug");
    assert_eq!(labels.priority, Some(1));
    // Declared properties do not land in the map.
    assert_eq!(
        labels.additional_properties,
        BTreeMap::from([
            ("color".to_owned(), "red".to_owned()),
            ("owner".to_owned(), "ada".to_owned()),
        ])
    );
    // With no extras the map is empty, and nothing extra is written.
    let labels: Labels = round_trip(json!({"name": "plain"}));
    assert!(labels.additional_properties.is_empty());
}

#[test]
fn extra_keys_must_have_the_declared_value_type() {
    decode_error::<Labels>(json!({"name": "bug", "count": 3}));
    decode_error::<Layout>(json!({"origin": {"x": 0, "y": 0}, "other": "here"}));
}

#[test]
fn extras_may_be_any_value_when_additional_properties_is_true() {
    let open: Open = round_trip(json!({
        "id": 7,
        "anything": {"nested": [1, 2]},
        "null": null,
        "n": 1
    }));
    assert_eq!(open.id, 7);
    assert_eq!(open.additional_properties.len(), 3);
    assert_eq!(open.additional_properties["null"], Value::Null);
}

#[test]
fn extras_of_referenced_type_are_decoded() {
    let layout: Layout = round_trip(json!({
        "origin": {"x": 0, "y": 0},
        "a": {"x": 1, "y": 1},
        "b": {"x": 2, "y": 3}
    }));
    assert_eq!(layout.origin, Point::new(0, 0));
    assert_eq!(layout.additional_properties["b"], Point::new(2, 3));
    assert!(!layout.additional_properties.contains_key("origin"));
}

#[test]
fn a_closed_struct_round_trips_without_a_map() {
    let closed: Closed = round_trip(json!({"id": 1}));
    assert_eq!(closed, Closed::new(1));
}

#[test]
fn a_property_named_additional_properties_does_not_clash_with_the_map() {
    let clash: Clash = round_trip(json!({"additional_properties": "declared", "x": 1, "y": 2}));
    assert_eq!(clash.additional_properties.as_deref(), Some("declared"));
    assert_eq!(
        clash.additional_properties_2,
        BTreeMap::from([("x".to_owned(), 1), ("y".to_owned(), 2)])
    );
    // All-optional: Default is the empty object.
    assert_eq!(round_trip::<Clash>(json!({})), Clash::default());
}

#[test]
fn maps_as_properties_round_trip() {
    let holder: Holder = round_trip(json!({
        "counts": {"a": 1},
        "nested": {"outer": {"inner": true, "other": false}, "empty": {}},
        "lists": {"l": ["x", "y"], "none": []},
        "free": {"k": [null]}
    }));
    assert!(holder.nested["outer"]["inner"]);
    assert_eq!(holder.lists["l"], ["x", "y"]);
    assert_eq!(holder.free["k"], json!([null]));
}

/// `additionalProperties: false` tells union variants apart (see
/// `one_of.rs`), but a closed struct decoded on its own is lenient by
/// design: a server that adds a key must not break existing clients, so the
/// unknown key is ignored (and not sent back).
#[test]
fn a_closed_struct_ignores_unknown_keys() {
    let value: Closed = serde_json::from_value(json!({"id": 1, "extra": 2})).expect("decodes");
    assert_eq!(
        serde_json::to_value(&value).expect("encodes"),
        json!({"id": 1})
    );
}
