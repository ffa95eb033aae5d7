//! The generator's output for every fixture spec under `tests/fixtures`,
//! compiled under `#![deny(warnings)]` and `#![deny(missing_docs)]`. The
//! behaviour of each is checked by the tests under `tests/tests`.
#![deny(warnings)]
#![deny(missing_docs)]

/// `fixtures/all_of.yaml`: `allOf` flattened into structs.
pub mod all_of {
    include!(concat!(env!("OUT_DIR"), "/all_of.rs"));
}

/// `fixtures/awkward_names.yaml`: hostile schema, property and operation
/// names, and descriptions that try to break doc comments.
pub mod awkward_names {
    include!(concat!(env!("OUT_DIR"), "/awkward_names.rs"));
}

/// `fixtures/bodies.yaml`: request bodies in JSON, form, multipart, binary
/// and text encodings.
pub mod bodies {
    include!(concat!(env!("OUT_DIR"), "/bodies.rs"));
}

/// A spec bump, old side: the client of `fixtures/diff/base.yaml`.
pub mod diff_old {
    include!(concat!(env!("OUT_DIR"), "/diff_old.rs"));
}

/// A spec bump, new side: the types of `fixtures/diff/base.yaml` with
/// `changes/enum_value_added.yaml` applied (`Kind` gains `bird`).
pub mod diff_enum_value_added {
    include!(concat!(env!("OUT_DIR"), "/diff_enum_value_added.rs"));
}

/// The types with `changes/response_field_added.yaml` (`Pet` gains an
/// optional `colour`).
pub mod diff_response_field_added {
    include!(concat!(env!("OUT_DIR"), "/diff_response_field_added.rs"));
}

/// The types with `changes/variant_added.yaml` (`Picture` gains `Video`).
pub mod diff_variant_added {
    include!(concat!(env!("OUT_DIR"), "/diff_variant_added.rs"));
}

/// The types with `changes/response_added.yaml` (`getPet` documents 429).
pub mod diff_response_added {
    include!(concat!(env!("OUT_DIR"), "/diff_response_added.rs"));
}

/// `fixtures/enums.yaml`: string and integer enums.
pub mod enums {
    include!(concat!(env!("OUT_DIR"), "/enums.rs"));
}

/// `fixtures/enums.yaml` generated with closed enums
/// (`Generator::closed_enums`).
pub mod enums_closed {
    include!(concat!(env!("OUT_DIR"), "/enums_closed.rs"));
}

/// `fixtures/formats.yaml`: the Rust type of every `type`/`format` pair.
pub mod formats {
    include!(concat!(env!("OUT_DIR"), "/formats.rs"));
}

/// `fixtures/maps.yaml`: `additionalProperties` in every form.
pub mod maps {
    include!(concat!(env!("OUT_DIR"), "/maps.rs"));
}

/// `fixtures/openapi_31.yaml`: OpenAPI 3.1 type lists, `const`, `null`
/// alternatives, numeric exclusive bounds, `$defs`, path items in
/// components and webhooks.
pub mod openapi_31 {
    include!(concat!(env!("OUT_DIR"), "/openapi_31.rs"));
}

/// `fixtures/nullable.yaml`: `nullable: true` on properties, references,
/// array items and map values.
pub mod nullable {
    include!(concat!(env!("OUT_DIR"), "/nullable.rs"));
}

/// `fixtures/operations.yaml`: operation naming, tags, deprecation, and
/// what is ignored (callbacks, links, examples, extensions).
pub mod operations {
    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}

/// `fixtures/parameters.yaml`: every parameter location and style.
pub mod parameters {
    include!(concat!(env!("OUT_DIR"), "/parameters.rs"));
}

/// `fixtures/responses.yaml`: several 2xx bodies, ranges, `default`,
/// non-JSON and empty bodies, response headers.
pub mod responses {
    include!(concat!(env!("OUT_DIR"), "/responses.rs"));
}

/// `fixtures/one_of.yaml`: unions chosen by shape or by a discriminator.
pub mod one_of {
    include!(concat!(env!("OUT_DIR"), "/one_of.rs"));
}

/// `fixtures/one_of.yaml` generated with closed unions and enums
/// (`Generator::closed_enums`).
pub mod one_of_closed {
    include!(concat!(env!("OUT_DIR"), "/one_of_closed.rs"));
}

/// `fixtures/routes.yaml`: paths axum would refuse as written.
pub mod routes {
    include!(concat!(env!("OUT_DIR"), "/routes.rs"));
}

/// `fixtures/schemas.yaml`: `anyOf`, mixed enums, untyped schemas,
/// deprecated schemas.
pub mod schemas {
    include!(concat!(env!("OUT_DIR"), "/schemas.rs"));
}

/// `fixtures/recursive.yaml`: self- and mutually recursive types.
pub mod recursive {
    include!(concat!(env!("OUT_DIR"), "/recursive.rs"));
}

/// `spec/openapi.yaml` as published upstream, without `spec/overlay.yaml`.
pub mod krosai_seed {
    include!(concat!(env!("OUT_DIR"), "/krosai_seed.rs"));
}
