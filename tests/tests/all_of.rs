//! `fixtures/all_of.yaml`: every part of an `allOf` is flattened into one
//! struct; `required` is the union of the parts' lists.

mod common;

use common::{decode_error, round_trip};
use krosai_fixtures::all_of::types::{
    Audited, Base, Card, NamedThing, Payment, PaymentVariant, Pet, PetKind, Transfer, Wrapper,
};
use serde_json::json;

#[test]
fn ref_and_inline_and_nested_parts_are_one_struct() {
    let json = json!({
        "id": "p1",
        "created_at": "2026-11-01T10:30:00+02:00",
        "name": "Tom",
        "nickname": "T",
        "label": "house cat",
        "kind": "cat",
        "age": 3,
        "tags": ["grey", "lazy"]
    });
    let pet: Pet = round_trip(json);
    // From Base (a `$ref` part).
    assert_eq!(pet.id, "p1");
    assert_eq!(
        pet.created_at.map(|t| t.to_rfc3339()),
        Some("2026-11-01T10:30:00+02:00".to_owned())
    );
    // From NamedThing, itself an allOf of Named and an inline part.
    assert_eq!(pet.name, "Tom");
    assert_eq!(pet.nickname.as_deref(), Some("T"));
    assert_eq!(pet.label.as_deref(), Some("house cat"));
    // From the inline part, with its inline enum.
    assert_eq!(pet.kind, PetKind::Cat);
    // From the nested inline allOf: `age` is int32 and required.
    let age: i32 = pet.age;
    assert_eq!(age, 3);
    assert_eq!(pet.tags, Some(vec!["grey".to_owned(), "lazy".to_owned()]));
}

#[test]
fn optional_fields_of_every_part_may_be_left_out() {
    let pet: Pet = round_trip(json!({"id": "p2", "name": "Rex", "kind": "dog", "age": 7}));
    assert_eq!(pet.kind, PetKind::Dog);
    assert_eq!(pet.created_at, None);
    assert_eq!(pet.nickname, None);
    assert_eq!(pet.label, None);
    assert_eq!(pet.tags, None);
}

#[test]
fn required_properties_of_every_part_are_required() {
    // Without Base's `id`, Named's `name`, the inline `kind`, the nested `age`.
    for missing in ["id", "name", "kind", "age"] {
        let mut json = json!({"id": "p", "name": "n", "kind": "cat", "age": 1});
        json.as_object_mut().unwrap().remove(missing);
        let error = decode_error::<Pet>(json);
        assert!(error.contains(missing), "{missing}: {error}");
    }
}

#[test]
fn a_part_may_make_another_parts_property_required() {
    // `created_at` is optional in Base but required in Audited: a plain
    // DateTime, not an Option (this line would not compile otherwise).
    let audited: Audited = round_trip(json!({
        "id": "a1",
        "created_at": "2026-01-02T03:04:05Z",
        "note": "checked"
    }));
    let created: chrono::DateTime<chrono::FixedOffset> = audited.created_at;
    assert_eq!(created.to_rfc3339(), "2026-01-02T03:04:05+00:00");
    let error = decode_error::<Audited>(json!({"id": "a1", "note": "checked"}));
    assert!(error.contains("created_at"), "{error}");
}

#[test]
fn a_schema_that_is_an_allof_is_a_struct_too() {
    let thing: NamedThing = round_trip(json!({"name": "x", "label": "y"}));
    assert_eq!(thing.name, "x");
    assert_eq!(thing.label.as_deref(), Some("y"));
}

#[test]
fn a_single_part_allof_is_the_referenced_type() {
    let wrapper: Wrapper = round_trip(json!({"base": {"id": "b"}}));
    // `base` is a `Base`, not a new wrapper type.
    let base: Base = wrapper.base;
    assert_eq!(base.id, "b");
    assert_eq!(base.created_at, None);
}

#[test]
fn a_oneof_part_is_flattened_into_the_struct() {
    let card: Payment = round_trip(json!({"id": "pay1", "number": "4111"}));
    assert_eq!(card.id, "pay1");
    assert_eq!(
        card.variant_0,
        PaymentVariant::Card(Card::new("4111".to_owned()))
    );
    let transfer: Payment = round_trip(json!({
        "id": "pay2",
        "created_at": "2026-11-01T00:00:00+01:00",
        "iban": "DE00"
    }));
    assert_eq!(
        transfer.variant_0,
        PaymentVariant::Transfer(Transfer::new("DE00".to_owned()))
    );
    assert!(transfer.created_at.is_some());
}
