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
