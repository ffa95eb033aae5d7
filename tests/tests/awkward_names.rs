//! `fixtures/awkward_names.yaml`: hostile names get valid, distinct Rust
//! names, and the original names stay on the wire.

mod common;

use common::round_trip;
use krosai_fixtures::awkward_names::types;
use krosai_fixtures::awkward_names::{API_TITLE, API_VERSION};
use serde_json::json;

#[test]
fn info_strings_are_kept_verbatim() {
    assert_eq!(API_TITLE, r#"awkward "names" */ fixture"#);
    assert_eq!(API_VERSION, r#"1.0 */ " \"#);
}

#[test]
fn schemas_named_like_std_types_shadow_nothing() {
    let option: types::Option = round_trip(json!({
        "result": {"ok": true, "err": "e"},
        "boxed": {"inner": {"inner": {}}},
        "string": "s",
        "vec": ["a", "b"],
        "maybe": "m"
    }));
    let result: types::Result = option.result;
    assert!(result.ok);
    assert_eq!(result.err.as_deref(), Some("e"));
    let boxed: types::Box = option.boxed;
    let inner: std::boxed::Box<types::Box> = boxed.inner.expect("inner");
    let mut expected = types::Box::default();
    expected.inner = Some(std::boxed::Box::default());
    assert_eq!(*inner, expected);
    // `String` and `Vec` are aliases of the std types.
    let string: types::String = option.string;
    let _: String = string;
    let vec: types::Vec = option.vec;
    let _: Vec<String> = vec;
    let maybe: Option<types::String> = option.maybe;
    assert_eq!(maybe.as_deref(), Some("m"));
}

#[test]
fn a_newtype_named_some_does_not_break_the_prelude() {
    let some: types::Some = round_trip(json!([[], [[]]]));
    assert_eq!(some.0.len(), 2);
    assert_eq!(some.0[1], types::Some(vec![types::Some(vec![])]));
}

#[test]
fn keyword_and_reserved_schema_names_get_suffixes() {
    let self_: types::Self_ = round_trip(json!({"self": "me"}));
    assert_eq!(self_.self_.as_deref(), Some("me"));
    let type_: types::Type = round_trip(json!({"type": "t"}));
    assert_eq!(type_.r#type.as_deref(), Some("t"));
    // The spec's ParseEnumError is not the generated one.
    let spec_error: types::ParseEnumError2 = round_trip(json!({"message": "m"}));
    assert_eq!(spec_error.message.as_deref(), Some("m"));
    let generated: types::ParseEnumError = "nope".parse::<types::AssociatedNumbers>().unwrap_err();
    assert_eq!(generated.type_name(), "AssociatedNumbers");
    // `D` and `E` as plain structs.
    let d: types::D = round_trip(json!({"d": 1}));
    let e: types::E = round_trip(json!({"e": 2}));
    assert_eq!((d.d, e.e), (1, 2));
}

#[test]
fn names_that_are_not_identifiers_are_sanitized_and_distinct() {
    let two_fa: types::Type2fa = round_trip(json!({"code": "123456"}));
    assert_eq!(two_fa.code.as_deref(), Some("123456"));
    // `a-b` and `a.b` both case to `AB`: the second one is numbered.
    let a_b: types::AB = round_trip(json!({"a": "dash"}));
    let a_dot_b: types::AB2 = round_trip(json!({"b": "dot"}));
    assert_eq!(a_b.a.as_deref(), Some("dash"));
    assert_eq!(a_dot_b.b.as_deref(), Some("dot"));
    // Unicode is spelled out, so `café` and `cafe` stay apart.
    let namae: types::U540dU524d = round_trip(json!({"名前": "taro"}));
    assert_eq!(namae.u540d_u524d.as_deref(), Some("taro"));
    let cafe_accent: types::CafU00e9 = round_trip(json!({"café": "au lait"}));
    assert_eq!(cafe_accent.caf_u00e9.as_deref(), Some("au lait"));
    let cafe: types::Cafe = round_trip(json!({"cafe": "noir"}));
    assert_eq!(cafe.cafe.as_deref(), Some("noir"));
}

#[test]
fn enum_values_that_are_keywords_or_prelude_names() {
    use types::Keywords;
    let expected = [
        (Keywords::Self_, "self"),
        (Keywords::Type, "type"),
        (Keywords::Match, "match"),
        (Keywords::None, "None"),
        (Keywords::Some, "Some"),
    ];
    assert_eq!(
        Keywords::ALL,
        expected.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()
    );
    for (value, wire) in expected {
        assert_eq!(round_trip::<Keywords>(json!(wire)), value);
        assert_eq!(value.to_string(), wire);
        assert_eq!(wire.parse::<Keywords>(), Ok(value));
    }
}

#[test]
fn property_names_keep_their_wire_names() {
    let json = json!({
        "type": "t",
        "self": "s",
        "match": "m",
        "async": true,
        "$ref": "#/r",
        "@id": "i",
        "x-foo": 3,
        "fooBar": "camel",
        "foo_bar": "snake",
        "super": "sup",
        "crate": "cr",
        "r#type": "raw",
        "_": "underscore",
        "": "empty"
    });
    let props: types::Props = round_trip(json);
    assert_eq!(props.r#type, "t");
    assert_eq!(props.self_, "s");
    assert_eq!(props.r#match, "m");
    assert!(props.r#async);
    assert_eq!(props.r#ref, "#/r");
    assert_eq!(props.id, "i");
    assert_eq!(props.x_foo, 3);
    // `fooBar` and `foo_bar` collide once cased: the second is numbered.
    assert_eq!(props.foo_bar, "camel");
    assert_eq!(props.foo_bar_2, "snake");
    assert_eq!(props.super_.as_deref(), Some("sup"));
    assert_eq!(props.crate_.as_deref(), Some("cr"));
    assert_eq!(props.r_type.as_deref(), Some("raw"));
    assert_eq!(props.underscore.as_deref(), Some("underscore"));
    assert_eq!(props.unnamed.as_deref(), Some("empty"));
}

#[test]
fn hostile_descriptions_do_not_change_the_type() {
    let documented: types::Documented = round_trip(json!({
        "field": {"any": ["json"]},
        "other": "\\"
    }));
    assert_eq!(documented.other.as_deref(), Some("\\"));
    assert_eq!(
        round_trip::<types::Documented>(json!({})),
        types::Documented::default()
    );
}

#[test]
fn keyword_operation_ids_name_their_parameter_structs() {
    // operationId `type` → TypeParams; `self` → SelfParams.
    let mut params = types::TypeParams::new("path".to_owned());
    params.self_ = Some("s".to_owned());
    params.r#match = Some(1);
    params.foo_bar = Some(true);
    params.foo_bar_2 = Some(false);
    params.x_foo = None;
    assert_eq!(params.r#type, "path");
    let mut params = types::SelfParams::default();
    params.r#async = Some("a".to_owned());
    assert_eq!(params.r#async.as_deref(), Some("a"));
    assert_eq!(types::SelfParams::default().r#async, None);
}

#[test]
fn enum_values_named_like_associated_items_compile_and_round_trip() {
    use types::AssociatedNames;
    let wire = [
        "Err", "Error", "Ok", "Output", "Target", "Item", "Self", "ALL", "as_str",
    ];
    assert_eq!(AssociatedNames::ALL.len(), wire.len());
    for (variant, text) in AssociatedNames::ALL.iter().zip(wire) {
        assert_eq!(variant.as_str(), text);
        assert_eq!(variant.to_string(), text);
        assert_eq!(text.parse::<AssociatedNames>().as_ref(), Ok(variant));
    }
    let value: types::HasAssociated = round_trip(json!({"names": wire, "either": "Err"}));
    assert_eq!(value.names.len(), wire.len());
    assert!(matches!(
        value.either,
        Some(types::HasAssociatedEither::AssociatedNames(
            AssociatedNames::Err
        ))
    ));
    let value: types::HasAssociated = round_trip(json!({"names": [], "either": 1}));
    assert!(matches!(
        value.either,
        Some(types::HasAssociatedEither::AssociatedNumbers(_))
    ));
    // Text the spec does not list is kept in the catch-all variant.
    assert!(matches!(
        "Unknown".parse::<AssociatedNames>(),
        Ok(AssociatedNames::Unknown(value)) if value.as_str() == "Unknown"
    ));
}

/// An operation `call` with parameters `request` and `answer`: the names
/// of the client's and the request builder's own methods. Its `409` is a
/// shared response named `Shared`, like the runtime's state of every
/// handler.
struct Calls;

impl krosai_fixtures::awkward_names::server::DefaultApi for Calls {
    type Principal = ();

    async fn call_2(
        &self,
        _context: &krosai_fixtures::awkward_names::server::RequestContext<()>,
        request: krosai_fixtures::awkward_names::server::CallRequest,
    ) -> Result<
        krosai_fixtures::awkward_names::server::CallResponse,
        krosai_fixtures::awkward_names::server::CallResponse,
    > {
        if request.answer_2 == Some(409) {
            Err(krosai_fixtures::awkward_names::server::Shared::new("taken"))?;
        }
        assert_eq!(request.request_2.as_deref(), Some("r"));
        assert_eq!(request.answer_2, Some(42));
        Ok(krosai_fixtures::awkward_names::server::CallResponse::NoContent)
    }
}

/// A client served in process by [`Calls`].
fn calls_client() -> krosai_fixtures::awkward_names::client::Client {
    use krosai_fixtures::awkward_names::{client, server};
    client::Client::builder("http://api.test")
        .service(server::router(Calls, server::NoAuthentication))
        .build()
        .unwrap()
}

#[tokio::test]
async fn operations_named_like_client_methods_take_other_names() {
    let response = calls_client()
        .call_2()
        .request_2("r".to_owned())
        .answer_2(42)
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn a_shared_response_named_shared_is_the_specs_own() {
    use krosai_fixtures::awkward_names::client::ClientError;
    match calls_client().call_2().answer_2(409).await {
        Err(ClientError::Conflict(body)) => assert_eq!(body.reason, "taken"),
        other => panic!("expected the 409, got {other:?}"),
    }
}
