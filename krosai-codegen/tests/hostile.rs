//! Specs shaped to exhaust the generator: deep chains of `$ref`s, `items`
//! and `allOf`, broken nodes deep inside valid ones. Each is generated or
//! refused with a located error; none may crash or hang (a regression
//! shows as a test that does not finish).

use krosai_codegen::Generator;
use serde_json::{json, Map, Value};

fn spec(schemas: Map<String, Value>, paths: Value) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
    .to_string()
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// `S0` is an array of `S1`, ... `S{n-1}` of `S{n}`, a string.
fn items_chain(n: usize) -> Map<String, Value> {
    let mut schemas = Map::new();
    for i in 0..n {
        schemas.insert(
            format!("S{i}"),
            json!({"type": "array", "items": reference(&format!("S{}", i + 1))}),
        );
    }
    schemas.insert(format!("S{n}"), json!({"type": "string"}));
    schemas
}

fn one_get(parameters: Value, response: Value) -> Value {
    json!({"/x": {"get": {
        "parameters": parameters,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}},
    }}})
}

fn messages(error: krosai_codegen::Error) -> Vec<String> {
    error
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_parameter_nesting_arrays_beyond_the_limit_is_refused_where_it_is() {
    let paths = one_get(
        json!([{"name": "q", "in": "query", "schema": reference("S0")}]),
        json!({"type": "string"}),
    );
    let error = Generator::new()
        .generate_str(&spec(items_chain(400), paths))
        .expect_err("refused");
    let messages = messages(error);
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].starts_with(
            "#/paths/~1x/get/parameters/0/schema: the type of parameter `q` nests arrays"
        ),
        "{}",
        messages[0]
    );
    // A few levels are fine.
    let paths = one_get(
        json!([{"name": "q", "in": "query", "schema": reference("S0")}]),
        json!({"type": "string"}),
    );
    let code = Generator::new()
        .generate_str(&spec(items_chain(3), paths))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains("pub type S0 = Vec<S1>;"));
}

#[test]
fn types_nesting_deeper_than_rust_compiles_are_refused_at_the_schema() {
    // As a response, the same chain is refused only when it is deeper than
    // the Rust compiler takes (found by the fuzzer: a 500-deep chain of
    // objects generated a crate that did not build).
    let paths = one_get(json!([]), reference("S0"));
    let error = Generator::new()
        .generate_str(&spec(items_chain(2_000), paths.clone()))
        .expect_err("refused");
    let problems = messages(error);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .starts_with("#/components/schemas/S0: this schema's type nests 2000 levels deep"),
        "{}",
        problems[0]
    );
    let code = Generator::new()
        .generate_str(&spec(items_chain(90), paths))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains("pub type S89 = Vec<S90>;"));

    let mut objects = Map::new();
    for i in 0..500 {
        objects.insert(
            format!("O{i}"),
            json!({"type": "object", "properties": {"next": reference(&format!("O{}", i + 1))}}),
        );
    }
    objects.insert("O500".to_owned(), json!({"type": "string"}));
    let error = Generator::new()
        .generate_str(&spec(objects, json!({})))
        .expect_err("refused");
    assert!(messages(error)[0].starts_with("#/components/schemas/O0: this schema's type nests"));

    // A cycle is not a chain: it is boxed, and counts once.
    let mut tree = Map::new();
    tree.insert(
        "Tree".to_owned(),
        json!({"type": "object", "properties": {"children": {"type": "array", "items": reference("Tree")}}}),
    );
    Generator::new()
        .generate_str(&spec(tree, json!({})))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_long_ref_chain_generates() {
    let mut schemas = Map::new();
    let n = 10_000;
    for i in 0..n {
        schemas.insert(format!("A{i}"), reference(&format!("A{}", i + 1)));
    }
    schemas.insert(format!("A{n}"), json!({"type": "string"}));
    let code = Generator::new()
        .server(false)
        .generate_str(&spec(schemas, json!({})))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains("pub type A0 = A1;"));
    assert!(code.contains("pub type A9999 = A10000;"));
}

#[test]
fn a_broken_node_deep_inside_is_reported_at_the_node() {
    // 30 levels of properties, additionalProperties, items, allOf, oneOf
    // and not around a string where a schema belongs.
    let mut node = json!("not a schema");
    let mut pointer = Vec::new();
    for level in 0..30 {
        let (wrapped, step) = match level % 6 {
            0 => (
                json!({"type": "object", "properties": {"p": node}}),
                "properties/p",
            ),
            1 => (
                json!({"type": "object", "additionalProperties": node}),
                "additionalProperties",
            ),
            2 => (json!({"type": "array", "items": node}), "items"),
            3 => (json!({"allOf": [node]}), "allOf/0"),
            4 => (json!({"oneOf": [node]}), "oneOf/0"),
            _ => (json!({"not": node}), "not"),
        };
        node = wrapped;
        pointer.insert(0, step);
    }
    let mut schemas = Map::new();
    schemas.insert("Deep".to_owned(), node);
    // A second, shallow problem elsewhere is reported too.
    let paths = json!({"/x": {"get": {"responses": "none"}}});
    let error = Generator::new()
        .generate_str(&spec(schemas, paths))
        .expect_err("refused");
    let messages = messages(error);
    let innermost = format!(
        "#/components/schemas/Deep/{}: a schema must be an object",
        pointer.join("/")
    );
    assert!(
        messages.iter().any(|m| m.starts_with(&innermost)),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("#/paths/~1x/get/responses")),
        "{messages:#?}"
    );
}

#[test]
fn an_all_of_chain_beyond_the_limit_is_refused() {
    let chain = |n: usize| {
        let mut schemas = Map::new();
        for i in 0..n {
            schemas.insert(
                format!("C{i}"),
                json!({"allOf": [
                    reference(&format!("C{}", i + 1)),
                    {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}},
                ]}),
            );
        }
        schemas.insert(
            format!("C{n}"),
            json!({"type": "object", "properties": {"z": {"type": "string"}}}),
        );
        spec(schemas, json!({}))
    };
    let error = Generator::new()
        .generate_str(&chain(2_000))
        .expect_err("refused");
    let messages = messages(error);
    assert!(
        messages[0].starts_with("#/components/schemas/C64: `allOf` parts nest more than 64 levels"),
        "{}",
        messages[0]
    );
    // Chains of a sane length flatten as before.
    let code = Generator::new()
        .generate_str(&chain(20))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains("pub p19: Option<String>,"));
}

#[test]
fn flow_style_yaml_generates() {
    let code = Generator::new()
        .generate_str("{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}, components: {schemas: {Pet: {type: object, properties: {name: {type: string}}}}}}")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains("pub struct Pet"));
}
