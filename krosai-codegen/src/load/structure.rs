//! Locating structural errors precisely.
//!
//! Deserializing a whole document with `openapiv3` stops at the first error
//! and, where the types are untagged (`$ref` or inline), reports it at the
//! enclosing node. When that happens, this module walks the document and
//! deserializes its parts one by one (path items, operations, parameters,
//! request bodies, responses, components), so that every broken node is
//! reported, each at its own pointer.

use openapiv3::{Components, Header, Operation, Parameter, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::typed;
use crate::error::{Diagnostic, Pointer};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every structural problem found in the parts of `document`.
pub(crate) fn problems(document: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let root = Pointer::root();
    let Some(top) = document.as_object() else {
        out.push(Diagnostic::at("#", "the document is not an object"));
        return out;
    };
    // The top level without the big parts, checked on their own below.
    let mut shell = top.clone();
    shell.insert("paths".into(), Value::Object(Map::new()));
    shell.remove("components");
    if let Err(d) = typed::<openapiv3::OpenAPI>(&Value::Object(shell), &root) {
        out.push(d);
    }
    if let Some(paths) = top.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            path_item(item, &root.push("paths").push(path), &mut out);
        }
    }
    if let Some(components) = top.get("components") {
        self::components(components, &root.push("components"), &mut out);
    }
    out
}

/// Deserializes `node` as `T`; on failure records the error and returns
/// false.
fn check<T: DeserializeOwned>(node: &Value, at: &Pointer, out: &mut Vec<Diagnostic>) -> bool {
    match typed::<T>(node, at) {
        Ok(_) => true,
        Err(d) => {
            out.push(d);
            false
        }
    }
}

/// A `$ref` object is checked where it points; anything else as `T`.
fn check_ref_or<T: DeserializeOwned>(node: &Value, at: &Pointer, out: &mut Vec<Diagnostic>) {
    if node.get("$ref").is_some() {
        if !node.get("$ref").is_some_and(Value::is_string) {
            out.push(Diagnostic::at(
                at.push("$ref").to_string(),
                "`$ref` must be a string",
            ));
        }
        return;
    }
    check::<T>(node, at, out);
}

fn each<'v>(node: Option<&'v Value>, at: &Pointer) -> Vec<(Pointer, &'v Value)> {
    match node {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (at.push(k), v)).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (at.push(i), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn path_item(item: &Value, at: &Pointer, out: &mut Vec<Diagnostic>) {
    let Some(map) = item.as_object() else {
        out.push(Diagnostic::at(
            at.to_string(),
            "a path item must be an object",
        ));
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    let mut shell = map.clone();
    for method in METHODS {
        shell.remove(method);
    }
    shell.remove("parameters");
    if !check::<openapiv3::PathItem>(&Value::Object(shell), at, out) {
        return;
    }
    parameters(map.get("parameters"), &at.push("parameters"), out);
    for method in METHODS {
        if let Some(op) = map.get(method) {
            operation(op, &at.push(method), out);
        }
    }
}

fn parameters(node: Option<&Value>, at: &Pointer, out: &mut Vec<Diagnostic>) {
    match node {
        None => {}
        Some(Value::Array(_)) => {
            for (p, v) in each(node, at) {
                check_ref_or::<Parameter>(v, &p, out);
            }
        }
        Some(_) => out.push(Diagnostic::at(
            at.to_string(),
            "`parameters` must be a list",
        )),
    }
}

fn operation(op: &Value, at: &Pointer, out: &mut Vec<Diagnostic>) {
    let Some(map) = op.as_object() else {
        out.push(Diagnostic::at(
            at.to_string(),
            "an operation must be an object",
        ));
        return;
    };
    let mut shell = map.clone();
    for key in ["parameters", "requestBody", "responses", "callbacks"] {
        shell.remove(key);
    }
    shell.insert("responses".into(), Value::Object(Map::new()));
    check::<Operation>(&Value::Object(shell), at, out);
    parameters(map.get("parameters"), &at.push("parameters"), out);
    if let Some(body) = map.get("requestBody") {
        check_ref_or::<RequestBody>(body, &at.push("requestBody"), out);
    }
    match map.get("responses") {
        Some(Value::Object(_)) => {
            for (p, v) in each(map.get("responses"), &at.push("responses")) {
                if p.last().is_some_and(|k| k.starts_with("x-")) {
                    continue;
                }
                check_ref_or::<Response>(v, &p, out);
            }
        }
        Some(_) => out.push(Diagnostic::at(
            at.push("responses").to_string(),
            "`responses` must be an object",
        )),
        None => out.push(Diagnostic::at(
            at.to_string(),
            "an operation needs `responses`",
        )),
    }
}

fn components(node: &Value, at: &Pointer, out: &mut Vec<Diagnostic>) {
    let Some(map) = node.as_object() else {
        out.push(Diagnostic::at(
            at.to_string(),
            "`components` must be an object",
        ));
        return;
    };
    let mut shell = map.clone();
    for key in [
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
    ] {
        shell.remove(key);
    }
    check::<Components>(&Value::Object(shell), at, out);
    for (p, v) in each(map.get("schemas"), &at.push("schemas")) {
        check_ref_or::<Schema>(v, &p, out);
    }
    for (p, v) in each(map.get("parameters"), &at.push("parameters")) {
        check_ref_or::<Parameter>(v, &p, out);
    }
    for (p, v) in each(map.get("responses"), &at.push("responses")) {
        check_ref_or::<Response>(v, &p, out);
    }
    for (p, v) in each(map.get("requestBodies"), &at.push("requestBodies")) {
        check_ref_or::<RequestBody>(v, &p, out);
    }
    for (p, v) in each(map.get("headers"), &at.push("headers")) {
        check_ref_or::<Header>(v, &p, out);
    }
}

/// Keys whose values are data, not parts of the document: never searched
/// for schemas.
const DATA_KEYS: [&str; 6] = ["example", "examples", "default", "enum", "links", "const"];

/// Every schema of `document` checked node by node, without recursion:
/// each schema object is deserialized with its subschemas replaced by `{}`,
/// so that a broken node deep inside costs one small parse per node. (The
/// whole-document parse tries every untagged alternative at every level
/// above a broken node: time exponential in its depth.) Returns the
/// problems, each at its innermost node, and the pointers of the schemas
/// that hold them (the roots: `components/schemas/*` and every `schema`).
pub(crate) fn schema_problems(document: &Value) -> (Vec<Diagnostic>, Vec<Pointer>) {
    let mut problems = Vec::new();
    let mut broken_roots = Vec::new();
    // Nodes of the document outside schemas, and schema roots found there.
    let components = document.get("components");
    let mut outside: Vec<(Pointer, &Value)> = vec![(Pointer::root(), document)];
    while let Some((at, node)) = outside.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map
                .iter()
                .filter(|(k, _)| !k.starts_with("x-") && !DATA_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        let in_components = components.is_some_and(|c| std::ptr::eq(c, node));
        for (key, child) in children {
            let child_at = at.push(&key);
            if key == "schema" && node.is_object() {
                schema_tree(child, &child_at, &mut problems, &mut broken_roots);
            } else if in_components && key == "schemas" {
                for (name, schema) in child.as_object().into_iter().flatten() {
                    schema_tree(
                        schema,
                        &child_at.push(name),
                        &mut problems,
                        &mut broken_roots,
                    );
                }
            } else {
                outside.push((child_at, child));
            }
        }
    }
    (problems, broken_roots)
}

/// Checks the schema at `root` and every schema inside it; records `root`
/// in `broken` when any of them is broken.
fn schema_tree(
    root: &Value,
    root_at: &Pointer,
    problems: &mut Vec<Diagnostic>,
    broken: &mut Vec<Pointer>,
) {
    let before = problems.len();
    let mut stack: Vec<(Pointer, &Value)> = vec![(root_at.clone(), root)];
    while let Some((at, node)) = stack.pop() {
        let Some(map) = node.as_object() else {
            problems.push(Diagnostic::at(
                at.to_string(),
                "a schema must be an object (or a `$ref`)",
            ));
            continue;
        };
        if let Some(reference) = map.get("$ref") {
            if !reference.is_string() {
                problems.push(Diagnostic::at(
                    at.push("$ref").to_string(),
                    "`$ref` must be a string",
                ));
            }
            continue;
        }
        // The node itself, its subschemas stood in for by `{}` (and never
        // copied: a copy of each node's whole subtree would make the check
        // quadratic in the depth).
        let mut shallow = Map::with_capacity(map.len());
        let empty = || Value::Object(Map::new());
        for (key, value) in map {
            let own = match (key.as_str(), value) {
                ("properties", Value::Object(properties)) => {
                    let properties_at = at.push(key);
                    for (name, property) in properties {
                        stack.push((properties_at.push(name), property));
                    }
                    Value::Object(properties.keys().map(|k| (k.clone(), empty())).collect())
                }
                ("items" | "not", _) | ("additionalProperties", Value::Object(_)) => {
                    stack.push((at.push(key), value));
                    empty()
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => {
                    let parts_at = at.push(key);
                    for (index, part) in parts.iter().enumerate() {
                        stack.push((parts_at.push(index), part));
                    }
                    Value::Array(parts.iter().map(|_| empty()).collect())
                }
                _ => value.clone(),
            };
            shallow.insert(key.clone(), own);
        }
        if let Err(d) = typed::<Schema>(&Value::Object(shallow), &at) {
            problems.push(d);
        }
    }
    if problems.len() > before {
        broken.push(root_at.clone());
    }
}

/// The parts of an OpenAPI 3.0 document that hold schemas, as `openapiv3`
/// reads them: what [`without_schemas`] walks.
#[derive(Debug, Clone, Copy)]
enum Part {
    Document,
    Components,
    PathItem,
    Operation,
    /// A parameter or a header (both have a `schema` or a `content`).
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    /// A callback: path items by expression.
    Callback,
    /// A schema, stood in for by `{}`.
    Schema,
    /// A map (or, for parameters, a list) of parts of one kind.
    Each(Collection),
}

/// The kind of part a collection holds.
#[derive(Debug, Clone, Copy)]
enum Collection {
    PathItems,
    Schemas,
    Parameters,
    RequestBodies,
    Responses,
    MediaTypes,
    Encodings,
    Callbacks,
}

impl Collection {
    fn item(self) -> Part {
        match self {
            Collection::PathItems => Part::PathItem,
            Collection::Schemas => Part::Schema,
            Collection::Parameters => Part::Parameter,
            Collection::RequestBodies => Part::RequestBody,
            Collection::Responses => Part::Response,
            Collection::MediaTypes => Part::MediaType,
            Collection::Encodings => Part::Encoding,
            Collection::Callbacks => Part::Callback,
        }
    }
}

impl Part {
    /// What the value under `key` of this part is.
    fn field(self, key: &str) -> Option<Part> {
        use Collection as C;
        let each = |collection| Some(Part::Each(collection));
        match (self, key) {
            (Part::Document, "paths") => each(C::PathItems),
            (Part::Callback, _) => Some(Part::PathItem),
            (Part::Document, "components") => Some(Part::Components),
            (Part::Components, "schemas") => each(C::Schemas),
            (Part::Components, "parameters" | "headers") => each(C::Parameters),
            (Part::Components, "responses") => each(C::Responses),
            (Part::Components, "requestBodies") => each(C::RequestBodies),
            (Part::Components | Part::Operation, "callbacks") => each(C::Callbacks),
            (Part::PathItem | Part::Operation, "parameters") => each(C::Parameters),
            (Part::PathItem, method) if METHODS.contains(&method) => Some(Part::Operation),
            (Part::Operation, "requestBody") => Some(Part::RequestBody),
            (Part::Operation, "responses") => each(C::Responses),
            (Part::Parameter | Part::MediaType, "schema") => Some(Part::Schema),
            (Part::Parameter | Part::RequestBody | Part::Response, "content") => {
                each(C::MediaTypes)
            }
            (Part::Response | Part::Encoding, "headers") => each(C::Parameters),
            (Part::MediaType, "encoding") => each(C::Encodings),
            _ => None,
        }
    }
}

/// A copy of `document` whose schemas, every one of which
/// [`schema_problems`] found sound, are stood in for by `{}`: the typed
/// parse of the whole document then reads only the rest (lowering reads
/// schemas from the JSON, by pointer). A schema [`schema_problems`] does not
/// reach (under an `x-` key or a key holding data, such as a header named
/// `x-rate-limit`) is kept, and parsed with the rest.
pub(crate) fn without_schemas(document: &Value) -> Value {
    strip(document, Part::Document)
}

fn strip(node: &Value, part: Part) -> Value {
    let unchecked = |key: &str| key.starts_with("x-") || DATA_KEYS.contains(&key);
    match (part, node) {
        (Part::Schema, _) => Value::Object(Map::new()),
        (Part::Each(collection), Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = if unchecked(key) {
                        value.clone()
                    } else {
                        strip(value, collection.item())
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        (Part::Each(collection), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| strip(item, collection.item()))
                .collect(),
        ),
        (_, Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match part.field(key) {
                        Some(inner) if !unchecked(key) => strip(value, inner),
                        _ => value.clone(),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        _ => node.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_stood_in_for_where_openapiv3_reads_them() {
        let schema = serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let with_schema = serde_json::json!({"schema": schema});
        let content = serde_json::json!({"application/json": {
            "schema": schema,
            "encoding": {"a": {"headers": {"X-A": with_schema}}},
        }});
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "x-tool": {"schema": schema},
            "paths": {"/a": {
                "parameters": [with_schema],
                "get": {
                    "parameters": [{"name": "p", "in": "query", "content": content}],
                    "requestBody": {"content": content},
                    "responses": {
                        "200": {"headers": {"Rate": with_schema, "x-id": with_schema}, "content": content},
                        "default": {"content": content},
                    },
                    "callbacks": {"done": {"{$url}": {"post": {"requestBody": {"content": content}}}}},
                },
            }},
            "components": {
                "schemas": {"A": schema, "B": {"$ref": "#/components/schemas/A"}},
                "parameters": {"p": with_schema},
                "headers": {"h": with_schema},
                "responses": {"r": {"content": content}},
                "requestBodies": {"b": {"content": content}},
                "examples": {"e": {"value": {"schema": schema}}},
            },
        });
        let stripped = without_schemas(&document);
        let empty = serde_json::json!({});
        for blank in [
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/get/parameters/0/content/application~1json/schema",
            "/paths/~1a/get/parameters/0/content/application~1json/encoding/a/headers/X-A/schema",
            "/paths/~1a/get/requestBody/content/application~1json/schema",
            "/paths/~1a/get/responses/200/headers/Rate/schema",
            "/paths/~1a/get/responses/200/content/application~1json/schema",
            "/paths/~1a/get/callbacks/done/{$url}/post/requestBody/content/application~1json/schema",
            "/components/schemas/A",
            "/components/schemas/B",
            "/components/parameters/p/schema",
            "/components/headers/h/schema",
            "/components/responses/r/content/application~1json/schema",
            "/components/requestBodies/b/content/application~1json/schema",
        ] {
            assert_eq!(stripped.pointer(blank), Some(&empty), "{blank}");
        }
        // What the node-by-node check does not reach is parsed as written.
        for kept in [
            "/x-tool/schema",
            "/paths/~1a/get/responses/200/headers/x-id/schema",
            "/paths/~1a/get/responses/default/content/application~1json/schema",
            "/components/examples/e/value/schema",
        ] {
            assert_eq!(stripped.pointer(kept), Some(&schema), "{kept}");
        }
        // Everything else is as it was.
        assert_eq!(
            stripped.pointer("/paths/~1a/get/parameters/0/name"),
            document.pointer("/paths/~1a/get/parameters/0/name")
        );
    }
}
