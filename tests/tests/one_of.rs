//! `fixtures/one_of.yaml`: a union picks its variant by the JSON shape of
//! the value, or by its discriminator property.

mod common;

use common::{decode_error, round_trip};
use krosai_fixtures::one_of::types::{
    Animal, Breakdown, Cat, Channel, Circle, Contact, ContactPhone, ContactVariant1, Dog, Email,
    GetStatsOk, Loose, MaybeCat, Mixed, Page, Pick, SeriesItem, Shape, Sms, Square, Strict,
};
use serde_json::json;

#[test]
fn objects_with_disjoint_required_keys_pick_their_own_variant() {
    // Cat comes first in the spec, but the value lacks Cat's required `meow`:
    // Dog is chosen by the keys, not by trying Cat and falling through.
    let dog: Animal = round_trip(json!({"bark": true, "name": "Rex"}));
    let mut rex = Dog::new(true);
    rex.name = Some("Rex".to_owned());
    assert_eq!(dog, Animal::Dog(rex));
    let cat: Animal = round_trip(json!({"meow": false}));
    let mut expected = Cat::new(false);
    expected.name = None;
    assert_eq!(cat, Animal::Cat(expected));
}

#[test]
fn a_value_that_fits_no_variant_is_kept_as_json() {
    // What a newer server may send: kept whole, and written back unchanged.
    let neither = json!({"name": "neither"});
    assert_eq!(
        round_trip::<Animal>(neither.clone()),
        Animal::Unknown(neither)
    );
    assert_eq!(
        round_trip::<Animal>(json!("a string")),
        Animal::Unknown(json!("a string"))
    );
    // Straight from text too (the client's path).
    let text = br#"{"bark": "loud"}"#;
    assert_eq!(
        Animal::from_json_slice(text).unwrap(),
        Animal::Unknown(json!({"bark": "loud"}))
    );
    assert!(Animal::from_json_slice(b"not json").is_err());
}

/// With `closed_enums`, a value no variant holds is an error.
mod closed {
    use super::*;
    use krosai_fixtures::one_of_closed::types::{Animal, Channel, Mixed, Shape};

    #[test]
    fn a_value_that_fits_no_variant_is_an_error_naming_the_union() {
        let error = decode_error::<Animal>(json!({"name": "neither"}));
        assert!(error.contains("Animal"), "{error}");
        let error = decode_error::<Animal>(json!("a string"));
        assert!(error.contains("Animal"), "{error}");
        let error = decode_error::<Mixed>(json!(null));
        assert!(error.contains("Mixed"), "{error}");
    }

    #[test]
    fn unknown_discriminator_value_falls_back_to_shape() {
        let shape: Shape = round_trip(json!({"kind": "hexagon", "side": 1.0}));
        assert!(matches!(shape, Shape::Square(_)), "{shape:?}");
        let shape: Shape = round_trip(json!({"kind": "blob", "radius": 1.0}));
        assert!(matches!(shape, Shape::Circle(_)), "{shape:?}");
    }

    #[test]
    fn the_discriminator_is_the_only_candidate_tried() {
        // An Sms tag on an Email body is an error, not an Email.
        let error = decode_error::<Channel>(json!({"type": "Sms", "address": "a@b.c"}));
        assert!(error.contains("Channel"), "{error}");
    }
}

#[test]
fn json_types_pick_the_variant_of_that_type() {
    assert!(matches!(
        round_trip::<Mixed>(json!({"meow": true})),
        Mixed::Cat(Cat { meow: true, .. })
    ));
    assert_eq!(
        round_trip::<Mixed>(json!(["a", "b"])),
        Mixed::StringList(vec!["a".to_owned(), "b".to_owned()])
    );
    assert_eq!(
        round_trip::<Mixed>(json!("text")),
        Mixed::String("text".to_owned())
    );
    // An integer is an Integer, not a Number, although it is both.
    assert_eq!(round_trip::<Mixed>(json!(42)), Mixed::Integer(42));
    assert_eq!(round_trip::<Mixed>(json!(-7)), Mixed::Integer(-7));
    assert_eq!(round_trip::<Mixed>(json!(2.5)), Mixed::Number(2.5));
    assert_eq!(round_trip::<Mixed>(json!(true)), Mixed::Boolean(true));
    // `null` is none of them: kept as it is.
    assert_eq!(
        round_trip::<Mixed>(json!(null)),
        Mixed::Unknown(json!(null))
    );
}

// --- The KrosAI GET /calls case: all properties optional everywhere --------

#[test]
fn all_optional_stats_body_is_the_breakdown() {
    let body: GetStatsOk = round_trip(json!({"completed": 5, "failed": 1}));
    let mut breakdown = Breakdown::default();
    breakdown.completed = Some(5);
    breakdown.failed = Some(1);
    breakdown.in_progress = None;
    assert_eq!(body, GetStatsOk::Breakdown(breakdown));
}

#[test]
fn all_optional_series_body_is_the_array() {
    let body: GetStatsOk = round_trip(json!([{"date": "2026-11-01", "completed": 3}]));
    let mut item = SeriesItem::default();
    item.date = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    item.completed = Some(3);
    assert_eq!(body, GetStatsOk::Series(vec![item]));
    assert_eq!(
        round_trip::<GetStatsOk>(json!([])),
        GetStatsOk::Series(vec![])
    );
}

#[test]
fn all_optional_list_body_is_the_page() {
    let body: GetStatsOk = round_trip(json!({
        "data": [],
        "total": 0,
        "page": 1,
        "limit": 20,
        "total_pages": 0
    }));
    let mut page = Page::default();
    page.data = Some(vec![]);
    page.total = Some(0);
    page.page = Some(1);
    page.limit = Some(20);
    page.total_pages = Some(0);
    assert_eq!(body, GetStatsOk::Page(page));
    // A page with items, and one with only some of its keys.
    let body: GetStatsOk = round_trip(json!({"data": [{"x": 1}], "total_pages": 3}));
    assert!(matches!(
        body,
        GetStatsOk::Page(Page {
            total_pages: Some(3),
            ..
        })
    ));
}

#[test]
fn empty_object_is_the_first_declared_object_variant() {
    let body: GetStatsOk = round_trip(json!({}));
    assert_eq!(body, GetStatsOk::Page(Page::default()));
}

#[test]
fn the_variant_declaring_most_of_the_keys_wins() {
    // `completed` is the Breakdown's, `total` the Page's: 2 against 1.
    let body: GetStatsOk =
        serde_json::from_value(json!({"completed": 1, "failed": 2, "total": 3})).expect("decodes");
    assert!(matches!(body, GetStatsOk::Breakdown(_)), "{body:?}");
    let body: GetStatsOk =
        serde_json::from_value(json!({"completed": 1, "total": 3, "page": 1})).expect("decodes");
    assert!(matches!(body, GetStatsOk::Page(_)), "{body:?}");
}

#[test]
fn a_closed_variant_is_left_out_when_the_value_has_other_keys() {
    let mut strict = Strict::default();
    strict.a = Some(1);
    assert_eq!(round_trip::<Pick>(json!({"a": 1})), Pick::Strict(strict));
    // Strict comes first and declares `a`, but forbids `z`.
    let pick: Pick = serde_json::from_value(json!({"a": 1, "z": 2})).expect("decodes");
    let mut loose = Loose::default();
    loose.a = Some(1);
    assert_eq!(pick, Pick::Loose(loose));
}

// --- Discriminators ----------------------------------------------------------

#[test]
fn discriminator_with_mapping_selects_by_mapped_value() {
    let square: Shape = round_trip(json!({"kind": "sq", "side": 2.0}));
    let mut expected = Square::new("sq".to_owned());
    expected.side = Some(2.0);
    expected.label = None;
    assert_eq!(square, Shape::Square(expected));
    let circle: Shape = round_trip(json!({"kind": "circle", "radius": 1.5, "label": "c"}));
    assert!(matches!(circle, Shape::Circle(Circle { radius: Some(r), .. }) if r == 1.5));
}

#[test]
fn discriminator_wins_over_shape() {
    // By shape this is a Square (it declares `side`); the discriminator says
    // Circle, and Circle it is.
    let shape: Shape = serde_json::from_value(json!({"kind": "circle", "side": 3.0})).unwrap();
    assert!(matches!(shape, Shape::Circle(_)), "{shape:?}");
    // And the other way round.
    let shape: Shape = serde_json::from_value(json!({"kind": "sq", "radius": 3.0})).unwrap();
    assert!(matches!(shape, Shape::Square(_)), "{shape:?}");
}

#[test]
fn unknown_discriminator_value_is_kept() {
    // A kind a newer spec adds is not mistaken for one whose shape it has.
    let hexagon = json!({"kind": "hexagon", "side": 1.0});
    assert_eq!(
        round_trip::<Shape>(hexagon.clone()),
        Shape::Unknown(hexagon)
    );
    // A listed kind still picks its variant.
    let shape: Shape = round_trip(json!({"kind": "sq", "side": 1.0}));
    assert!(matches!(shape, Shape::Square(_)), "{shape:?}");
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    let email: Channel = round_trip(json!({"type": "Email", "address": "a@b.c"}));
    assert_eq!(
        email,
        Channel::Email(Email::new("Email".to_owned(), "a@b.c".to_owned()))
    );
    let sms: Channel = round_trip(json!({"type": "Sms", "number": "+100"}));
    assert_eq!(
        sms,
        Channel::Sms(Sms::new("Sms".to_owned(), "+100".to_owned()))
    );
    // The discriminator is the only candidate it tries: an Sms tag on an
    // Email body is not an Email (it is kept as it is).
    let odd = json!({"type": "Sms", "address": "a@b.c"});
    assert_eq!(round_trip::<Channel>(odd.clone()), Channel::Unknown(odd));
}

#[test]
fn inline_alternatives_get_named_types() {
    assert_eq!(
        round_trip::<Contact>(json!({"phone": "+1"})),
        Contact::ContactPhone(ContactPhone::new("+1".to_owned()))
    );
    assert_eq!(
        round_trip::<Contact>(json!({"url": "https://example.com"})),
        Contact::ContactVariant1(ContactVariant1::new("https://example.com".to_owned()))
    );
}

#[test]
fn a_nullable_alternative_holds_an_option() {
    assert_eq!(
        round_trip::<MaybeCat>(json!("x")),
        MaybeCat::String(Some("x".to_owned()))
    );
    assert!(matches!(
        round_trip::<MaybeCat>(json!({"meow": true})),
        MaybeCat::Cat(_)
    ));
    // `None` is encoded as `null`...
    assert_eq!(
        serde_json::to_value(MaybeCat::String(None)).unwrap(),
        json!(null)
    );
}

/// ...and reads it back: a nullable alternative's shape admits `null`.
#[test]
fn a_nullable_alternative_accepts_null() {
    assert_eq!(round_trip::<MaybeCat>(json!(null)), MaybeCat::String(None));
}
