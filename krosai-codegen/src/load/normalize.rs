//! OpenAPI 3.1 and 3.2 (and a few things `openapiv3` cannot take in 3.0)
//! → the form the rest of the loader reads.
//!
//! Lowering reads schemas from the JSON document by pointer and checks the
//! document's structure with `openapiv3`, which knows OpenAPI 3.0 only. A
//! 3.1 document is therefore rewritten in place, node by node, into 3.0 with
//! the meaning of its JSON Schema 2020-12 keywords kept: `type` lists become
//! `type` + `nullable` (or a union of the types), `type: "null"` `enum:
//! [null]` (which lowering reads, as an alternative of a union, as the
//! union being nullable), `const` a one-value `enum`, numeric
//! `exclusiveMinimum`/`exclusiveMaximum` the 3.0 boolean form, `examples`
//! the first `example`, `contentEncoding: base64` the `byte` format. Nodes
//! keep their pointers wherever the rewrite allows, so that errors still
//! point into the user's document. Keywords that do not change a Rust type
//! are left for the parser to ignore; what cannot be mapped is dropped with
//! a located note.
//!
//! The rewritten document is only read by the generator: `bundle` and the
//! served `/openapi.json` keep the document as written.

use serde_json::{Map, Value};

use crate::error::{Diagnostic, Pointer};

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// OpenAPI 3.0.x: read as it is.
    V3_0,
    /// OpenAPI 3.1.x: JSON Schema 2020-12 schemas, webhooks.
    V3_1,
    /// OpenAPI 3.2.x: 3.1 plus what [`normalize`] notes as unsupported.
    V3_2,
}

/// The methods of a path item that `openapiv3` reads.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords that only say something about one JSON type, moved into that
/// type's alternative when a `type` list becomes a union.
const STRING_KEYWORDS: [&str; 6] = [
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "contentEncoding",
    "contentMediaType",
];
const NUMBER_KEYWORDS: [&str; 6] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "format",
];
const ARRAY_KEYWORDS: [&str; 5] = [
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
];
const OBJECT_KEYWORDS: [&str; 7] = [
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "discriminator",
];

/// What [`normalize`] could not keep, each note at its node.
pub(crate) type Notes = Vec<Diagnostic>;

/// Rewrites `document` (of `version`) in place into the form the loader
/// reads, returning what it had to drop.
pub(crate) fn normalize(document: &mut Value, version: Version) -> Notes {
    let mut walk = Walk {
        version,
        notes: Vec::new(),
    };
    let Some(top) = document.as_object_mut() else {
        return walk.notes;
    };
    let root = Pointer::root();
    if version != Version::V3_0 {
        top.insert("openapi".into(), Value::String("3.0.3".into()));
        // `paths` is optional from 3.1 on (a document of webhooks only).
        top.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Some(Value::Object(paths)) = top.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = root.push("paths").push(path);
            walk.stray_path_parameters(item, path, &at);
            walk.path_item(item, &at);
        }
    }
    if let Some(Value::Object(webhooks)) = top.get_mut("webhooks") {
        for (name, item) in webhooks.iter_mut() {
            walk.path_item(item, &root.push("webhooks").push(name));
        }
    }
    if let Some(Value::Object(components)) = top.get_mut("components") {
        walk.components(components, &root.push("components"));
    }
    walk.notes
}

struct Walk {
    version: Version,
    notes: Notes,
}

impl Walk {
    fn note(&mut self, at: &Pointer, message: impl Into<String>) {
        self.notes.push(Diagnostic::at(at.to_string(), message));
    }

    fn components(&mut self, components: &mut Map<String, Value>, at: &Pointer) {
        type Visit = fn(&mut Walk, &mut Value, &Pointer);
        let kinds: [(&str, Visit); 7] = [
            ("schemas", Walk::schema),
            ("parameters", Walk::header),
            ("headers", Walk::header),
            ("requestBodies", Walk::content_holder),
            ("responses", Walk::response),
            ("pathItems", Walk::path_item),
            ("callbacks", Walk::callback),
        ];
        for (key, visit) in kinds {
            if let Some(Value::Object(entries)) = components.get_mut(key) {
                for (name, node) in entries.iter_mut() {
                    visit(self, node, &at.push(key).push(name));
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &Pointer) {
        let Some(map) = item.as_object_mut() else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(Value::Array(parameters)) = map.get_mut("parameters") {
            self.parameters(parameters, &at.push("parameters"));
        }
        for method in METHODS {
            if let Some(operation) = map.get_mut(method) {
                self.operation(operation, &at.push(method));
            }
        }
        if self.version == Version::V3_2 {
            if map.remove("query").is_some() {
                self.note(
                    &at.push("query"),
                    "the OpenAPI 3.2 `QUERY` method is not supported yet; this operation is left out",
                );
            }
            if let Some(Value::Object(more)) = map.remove("additionalOperations") {
                for method in more.keys() {
                    self.note(
                        &at.push("additionalOperations").push(method),
                        format!("the `{method}` method (OpenAPI 3.2 `additionalOperations`) is not supported yet; this operation is left out"),
                    );
                }
            }
        }
    }

    /// A parameter declared `in: path` that the path template does not
    /// use cannot be sent in the path; servers written from such specs
    /// (a known utoipa mistake) read it from the query, so it is read as a
    /// query parameter, with a note. Only parameters written in place: a
    /// shared (`$ref`) one is left to the error that names it.
    fn stray_path_parameters(&mut self, item: &mut Value, template: &str, at: &Pointer) {
        let Some(map) = item.as_object_mut() else {
            return;
        };
        let mut lists: Vec<(Pointer, &mut Value)> = Vec::new();
        for (key, node) in map.iter_mut() {
            if key == "parameters" {
                lists.push((at.push("parameters"), node));
            } else if METHODS.contains(&key.as_str()) {
                if let Some(parameters) = node.get_mut("parameters") {
                    lists.push((at.push(key).push("parameters"), parameters));
                }
            }
        }
        for (list_at, parameters) in lists {
            let Some(parameters) = parameters.as_array_mut() else {
                continue;
            };
            for (index, parameter) in parameters.iter_mut().enumerate() {
                let Some(parameter) = parameter.as_object_mut() else {
                    continue;
                };
                let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if parameter.get("in").and_then(Value::as_str) != Some("path")
                    || template_uses(template, name)
                {
                    continue;
                }
                self.notes.push(Diagnostic::at(
                    list_at.push(index).to_string(),
                    format!("path parameter `{name}` does not appear in the path template `{template}`; it is read as a query parameter"),
                ));
                parameter.insert("in".into(), Value::String("query".into()));
            }
        }
    }

    fn operation(&mut self, operation: &mut Value, at: &Pointer) {
        let Some(map) = operation.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(parameters)) = map.get_mut("parameters") {
            self.parameters(parameters, &at.push("parameters"));
        }
        if let Some(body) = map.get_mut("requestBody") {
            self.content_holder(body, &at.push("requestBody"));
        }
        if let Some(Value::Object(responses)) = map.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                self.response(response, &at.push("responses").push(status));
            }
        }
        // Callbacks do not change the generated code; `openapiv3` reads a
        // callback given by `$ref` as a malformed path item, so those are
        // left out of what it is given.
        if let Some(Value::Object(callbacks)) = map.get_mut("callbacks") {
            callbacks.retain(|_, callback| callback.get("$ref").is_none());
            for (name, callback) in callbacks.iter_mut() {
                self.callback(callback, &at.push("callbacks").push(name));
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &Pointer) {
        if let Some(map) = callback.as_object_mut() {
            if map.contains_key("$ref") {
                return;
            }
            for (expression, item) in map.iter_mut() {
                self.path_item(item, &at.push(expression));
            }
        }
    }

    fn parameters(&mut self, parameters: &mut Vec<Value>, at: &Pointer) {
        if self.version == Version::V3_2 {
            let mut index = 0;
            parameters.retain(|p| {
                let keep = p.get("in").and_then(Value::as_str) != Some("querystring");
                if !keep {
                    self.notes.push(Diagnostic::at(
                        at.push(index).to_string(),
                        "`in: querystring` (OpenAPI 3.2) is not supported yet; this parameter is left out",
                    ));
                }
                index += 1;
                keep
            });
        }
        for (index, parameter) in parameters.iter_mut().enumerate() {
            self.header(parameter, &at.push(index));
        }
    }

    /// A header or parameter: a `schema` or a `content`.
    fn header(&mut self, node: &mut Value, at: &Pointer) {
        let Some(map) = node.as_object_mut() else {
            return;
        };
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &at.push("schema"));
        }
        if let Some(Value::Object(content)) = map.get_mut("content") {
            for (media, item) in content.iter_mut() {
                self.media(item, &at.push("content").push(media));
            }
        }
    }

    /// A request body, or anything else with a `content` map.
    fn content_holder(&mut self, node: &mut Value, at: &Pointer) {
        if let Some(Value::Object(content)) = node.get_mut("content") {
            for (media, item) in content.iter_mut() {
                self.media(item, &at.push("content").push(media));
            }
        }
    }

    fn response(&mut self, response: &mut Value, at: &Pointer) {
        self.content_holder(response, at);
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.header(header, &at.push("headers").push(name));
            }
        }
    }

    fn media(&mut self, media: &mut Value, at: &Pointer) {
        let Some(map) = media.as_object_mut() else {
            return;
        };
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &at.push("schema"));
        }
        if map.remove("itemSchema").is_some() {
            self.notes.push(Diagnostic::at(
                at.push("itemSchema").to_string(),
                "`itemSchema` (OpenAPI 3.2 streamed items) is not supported yet; the body is read as a whole",
            ));
        }
        if let Some(Value::Object(encoding)) = map.get_mut("encoding") {
            for (property, item) in encoding.iter_mut() {
                if let Some(Value::Object(headers)) = item.get_mut("headers") {
                    for (name, header) in headers.iter_mut() {
                        self.header(
                            header,
                            &at.push("encoding")
                                .push(property)
                                .push("headers")
                                .push(name),
                        );
                    }
                }
            }
        }
    }

    /// A schema and every schema inside it.
    fn schema(&mut self, node: &mut Value, at: &Pointer) {
        match node {
            // Boolean schemas (JSON Schema): `true` admits anything, `false`
            // nothing.
            Value::Bool(true) => *node = Value::Object(Map::new()),
            Value::Bool(false) => {
                let mut never = Map::new();
                never.insert("not".into(), Value::Object(Map::new()));
                *node = Value::Object(never);
            }
            _ => {}
        }
        let Some(map) = node.as_object_mut() else {
            return;
        };
        if self.version != Version::V3_0 {
            self.json_schema(map, at);
        }
        // After the type list is read: `[integer, "null"]` is an integer.
        clamp_integer_bounds(map);
        self.children(map, at);
    }

    /// The JSON Schema 2020-12 keywords of one schema object, in place.
    fn json_schema(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        // `examples` (a list) → the first as `example`.
        if let Some(Value::Array(examples)) = map.get("examples") {
            let first = examples.first().cloned();
            map.remove("examples");
            if let Some(first) = first {
                map.entry("example").or_insert(first);
            }
        }
        // `const` → a one-value `enum`.
        if let Some(value) = map.remove("const") {
            if !map.contains_key("enum") {
                map.insert("enum".into(), Value::Array(vec![value]));
            }
        }
        // Numeric exclusive bounds → the 3.0 boolean form.
        for (exclusive, inclusive, stricter) in [
            (
                "exclusiveMinimum",
                "minimum",
                f64::ge as fn(&f64, &f64) -> bool,
            ),
            ("exclusiveMaximum", "maximum", f64::le),
        ] {
            let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
                continue;
            };
            let replaces = match map.get(inclusive).and_then(Value::as_f64) {
                Some(current) => bound.as_f64().is_some_and(|b| stricter(&b, &current)),
                None => true,
            };
            if replaces {
                map.insert(inclusive.into(), Value::Number(bound));
                map.insert(exclusive.into(), Value::Bool(true));
            } else {
                map.remove(exclusive);
            }
        }
        // Base64 text → the `byte` format.
        if map.get("contentEncoding").and_then(Value::as_str) == Some("base64")
            && !map.contains_key("format")
        {
            map.insert("format".into(), Value::String("byte".into()));
        }
        self.type_list(map, at);
        self.prefix_items(map);
        // `propertyNames`, `patternProperties`, `if`/`then`/`else`,
        // `dependentRequired`, `unevaluatedProperties`, `$comment`,
        // `$schema`... do not change the Rust type: `openapiv3` ignores them.
    }

    /// `prefixItems`: with no item allowed after them (`items: false`, or
    /// `maxItems` no more than the positions) a tuple, which lowering reads
    /// from `prefixItems` and `maxItems`; otherwise an array of the one
    /// schema every position and further item shares, else of any JSON
    /// value. `items` is set either way, for the 3.0 parser.
    fn prefix_items(&mut self, map: &mut Map<String, Value>) {
        let Some(Value::Array(positions)) = map.get("prefixItems") else {
            return;
        };
        let count = positions.len() as u64;
        let shared = positions
            .first()
            .filter(|first| positions.iter().all(|p| p == *first))
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        let closed = map.get("items") == Some(&Value::Bool(false));
        let bounded = map
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|max| max <= count);
        if count > 0 && (closed || bounded) {
            if closed {
                map.entry("maxItems").or_insert(Value::from(count));
            }
            map.insert("items".into(), shared);
        } else {
            let items = match map.remove("items") {
                Some(rest @ Value::Object(_)) if rest != shared => Value::Object(Map::new()),
                _ => shared,
            };
            map.remove("prefixItems");
            map.insert("items".into(), items);
        }
        map.entry("type")
            .or_insert_with(|| Value::String("array".into()));
    }

    /// `type: [string, "null"]` → `type: string, nullable: true`; several
    /// types → a union (`anyOf`) of one alternative per type, each with the
    /// keywords that concern it.
    fn type_list(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        let types: Vec<String> = match map.get("type") {
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(single)) if single == "null" => vec![single.clone()],
            _ => return,
        };
        let nullable = types.iter().any(|t| t == "null");
        let mut non_null: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
        // An integer is a number: `[integer, number]` is a number.
        if non_null.iter().any(|t| t == "number") {
            non_null.retain(|t| t != "integer");
        }
        let mut seen = Vec::new();
        non_null.retain(|t| {
            let first = !seen.contains(t);
            seen.push(t.clone());
            first
        });
        if non_null.len() > 1
            && ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| map.contains_key(*k))
        {
            self.note(
                &at.push("type"),
                "a list of several types beside `oneOf`/`anyOf`/`allOf` is not supported; the value is kept as JSON",
            );
            non_null.clear();
        }
        map.remove("type");
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            // `type: "null"`: the value `null` alone, which 3.0 says as
            // `enum: [null]` (a `null` alternative of a union is read so).
            [] if nullable => {
                map.entry("enum")
                    .or_insert_with(|| Value::Array(vec![Value::Null]));
            }
            [] => {}
            [single] => {
                map.insert("type".into(), Value::String(single.clone()));
            }
            several => {
                let alternatives = several
                    .iter()
                    .map(|typ| Value::Object(alternative(map, typ)))
                    .collect();
                for keyword in STRING_KEYWORDS
                    .iter()
                    .chain(&NUMBER_KEYWORDS)
                    .chain(&ARRAY_KEYWORDS)
                    .chain(&OBJECT_KEYWORDS)
                    .chain(&["enum"])
                {
                    map.remove(*keyword);
                }
                map.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
    }

    /// Every schema directly inside `map`.
    fn children(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        for keyword in [
            "items",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
        ] {
            if let Some(child) = map.get_mut(keyword) {
                self.schema(child, &at.push(keyword));
            }
        }
        // `additionalProperties: false` stays a boolean (3.0 has it).
        if let Some(child @ Value::Object(_)) = map.get_mut("additionalProperties") {
            self.schema(child, &at.push("additionalProperties"));
        }
        for keyword in ["allOf", "oneOf", "anyOf", "prefixItems"] {
            if let Some(Value::Array(children)) = map.get_mut(keyword) {
                for (index, child) in children.iter_mut().enumerate() {
                    self.schema(child, &at.push(keyword).push(index));
                }
            }
        }
        for keyword in [
            "properties",
            "patternProperties",
            "$defs",
            "definitions",
            "dependentSchemas",
        ] {
            if let Some(Value::Object(children)) = map.get_mut(keyword) {
                for (name, child) in children.iter_mut() {
                    self.schema(child, &at.push(keyword).push(name));
                }
            }
        }
    }
}

/// The alternative of type `typ` of a schema whose `type` is a list: the
/// type and the keywords of `map` that concern it.
fn alternative(map: &Map<String, Value>, typ: &str) -> Map<String, Value> {
    let keywords: &[&str] = match typ {
        "string" => &STRING_KEYWORDS,
        "integer" | "number" => &NUMBER_KEYWORDS,
        "array" => &ARRAY_KEYWORDS,
        "object" => &OBJECT_KEYWORDS,
        _ => &[],
    };
    let mut alternative = Map::new();
    alternative.insert("type".into(), Value::String(typ.to_owned()));
    for keyword in keywords {
        if let Some(value) = map.get(*keyword) {
            alternative.insert((*keyword).to_owned(), value.clone());
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let own: Vec<Value> = values
            .iter()
            .filter(|v| is_of_type(v, typ))
            .cloned()
            .collect();
        if !own.is_empty() {
            alternative.insert("enum".into(), Value::Array(own));
        }
    }
    alternative
}

/// Whether the path template has the parameter `name` (`{name}`, or with
/// an RFC 6570 operator or explode marker: `{;name*}`).
fn template_uses(template: &str, name: &str) -> bool {
    template.split('{').skip(1).any(|rest| {
        rest.split_once('}').is_some_and(|(inner, _)| {
            inner
                .trim_start_matches(['.', ';', '?', '&', '/', '+', '#'])
                .trim_end_matches('*')
                == name
        })
    })
}

/// Whether a JSON value is of the JSON Schema type `typ`.
fn is_of_type(value: &Value, typ: &str) -> bool {
    match typ {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Integer bounds beyond 64 bits (read as the nearest `f64`, which
/// `openapiv3` refuses for an integer schema) are clamped to the `i64`
/// range: no generated integer type holds more.
fn clamp_integer_bounds(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum"] {
        let Some(Value::Number(bound)) = map.get(keyword) else {
            continue;
        };
        if bound.is_i64() {
            continue;
        }
        let value = bound.as_f64().unwrap_or(f64::MAX);
        // `as` saturates: beyond the range is the range's end.
        #[allow(clippy::cast_possible_truncation)]
        let clamped = if keyword == "minimum" {
            value.ceil() as i64
        } else {
            value.floor() as i64
        };
        map.insert(keyword.into(), Value::Number(clamped.into()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The schema `schema` becomes in a 3.1 document.
    fn normalized(schema: Value) -> Value {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": { "schemas": { "S": schema } },
        });
        let notes = normalize(&mut document, Version::V3_1);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(document["openapi"], "3.0.3");
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_lists_become_nullable_types_or_unions() {
        assert_eq!(
            normalized(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            normalized(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
        // `[integer, number]` is a number.
        assert_eq!(
            normalized(json!({"type": ["integer", "number"]})),
            json!({"type": "number"})
        );
        // Several types: one alternative each, with its own keywords.
        assert_eq!(
            normalized(json!({
                "type": ["string", "integer"], "minLength": 1, "minimum": 0,
                "enum": ["a", 1], "description": "d",
            })),
            json!({
                "description": "d",
                "anyOf": [
                    {"type": "string", "minLength": 1, "enum": ["a"]},
                    {"type": "integer", "minimum": 0, "enum": [1]},
                ],
            })
        );
    }

    #[test]
    fn exclusive_bounds_keep_the_stricter_bound() {
        assert_eq!(
            normalized(json!({"type": "number", "exclusiveMinimum": 5, "minimum": 0})),
            json!({"type": "number", "minimum": 5, "exclusiveMinimum": true})
        );
        // x > 0 and x >= 5: the inclusive 5 is stricter.
        assert_eq!(
            normalized(json!({"type": "number", "exclusiveMinimum": 0, "minimum": 5})),
            json!({"type": "number", "minimum": 5})
        );
        assert_eq!(
            normalized(json!({"type": "number", "exclusiveMaximum": 1})),
            json!({"type": "number", "maximum": 1, "exclusiveMaximum": true})
        );
    }

    #[test]
    fn const_examples_and_base64_take_their_3_0_forms() {
        assert_eq!(
            normalized(json!({"const": "on", "examples": ["x", "y"]})),
            json!({"enum": ["on"], "example": "x"})
        );
        assert_eq!(
            normalized(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "contentEncoding": "base64", "format": "byte"})
        );
    }

    #[test]
    fn prefix_items_are_tuples_only_when_nothing_may_follow() {
        let closed = normalized(json!({
            "type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false,
        }));
        assert_eq!(closed["maxItems"], 2);
        assert!(closed["prefixItems"].is_array());
        assert_eq!(closed["items"], json!({}));
        let open = normalized(json!({"prefixItems": [{"type": "string"}, {"type": "string"}]}));
        assert_eq!(open, json!({"items": {"type": "string"}, "type": "array"}));
    }

    #[test]
    fn integer_bounds_beyond_64_bits_are_clamped_after_the_type_list() {
        let schema = normalized(json!({
            "type": ["integer", "null"],
            "minimum": -1e30,
            "maximum": 18_446_744_073_709_551_615_u64,
        }));
        assert_eq!(schema["minimum"], i64::MIN);
        assert_eq!(schema["maximum"], i64::MAX);
    }

    #[test]
    fn a_path_parameter_the_template_does_not_use_is_read_from_the_query() {
        let mut document = json!({
            "openapi": "3.0.3",
            "paths": {"/a/{id}": {"get": {"parameters": [
                {"name": "id", "in": "path"},
                {"name": "other", "in": "path"},
            ]}}},
        });
        let notes = normalize(&mut document, Version::V3_0);
        let parameters = &document["paths"]["/a/{id}"]["get"]["parameters"];
        assert_eq!(parameters[0]["in"], "path");
        assert_eq!(parameters[1]["in"], "query");
        assert_eq!(notes.len(), 1);
        assert!(notes[0]
            .to_string()
            .starts_with("#/paths/~1a~1{id}/get/parameters/1"));
    }
}
