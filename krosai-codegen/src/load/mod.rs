//! Loading: text (YAML or JSON, told apart by content) → a JSON document →
//! the overlay applied → the version checked → OpenAPI 3.1/3.2 rewritten
//! into the form the generator reads → `openapiv3` types, with every error
//! located.

mod normalize;
mod overlay;
mod structure;

pub(crate) use normalize::{normalize, Version};

use serde_json::{Map, Number, Value};

use crate::error::{Diagnostic, Error, Location, Pointer};

/// Parses a spec or overlay, YAML or JSON: a file named `*.json` is JSON, one
/// named `*.yaml`/`*.yml` YAML (of which JSON is a part); otherwise text
/// that starts with `{` or `[` is JSON, unless it only parses as YAML
/// (flow style: `{openapi: 3.0.3, ...}`) and does not look like JSON (a
/// quoted first key), and anything else is YAML.
pub(crate) fn parse_text(name: &str, text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let json_like = trimmed.starts_with('{') || trimmed.starts_with('[');
    match extension.as_deref() {
        Some("json") => return parse_json(trimmed),
        Some("yaml" | "yml") => return parse_yaml(text),
        _ if !json_like => return parse_yaml(text),
        _ => {}
    }
    let json_error = match parse_json(trimmed) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let quoted = trimmed
        .get(1..)
        .unwrap_or_default()
        .trim_start()
        .starts_with('"');
    if quoted {
        return Err(json_error);
    }
    parse_yaml(text).map_err(|_| json_error)
}

fn parse_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| {
        Error::from(Diagnostic {
            file: String::new(),
            location: Location::Text {
                line: e.line(),
                column: e.column(),
            },
            message: format!("invalid JSON: {e}"),
            hint: None,
        })
    })
}

/// Parses YAML (merge keys applied) into JSON.
///
/// Nearly every document is read straight into JSON ([`Direct`]); one that
/// uses merge keys (`<<`), or that JSON cannot hold (a mapping as a key,
/// NaN), or that is not valid YAML, is read again through
/// `serde_yaml::Value`, which applies the merges exactly as `serde_yaml`
/// does and locates each problem.
fn parse_yaml(text: &str) -> Result<Value, Error> {
    match serde_yaml::from_str::<Direct>(text) {
        Ok(Direct(value)) => Ok(value),
        Err(_) => parse_yaml_value(text),
    }
}

/// [`parse_yaml`] through a `serde_yaml::Value`.
fn parse_yaml_value(text: &str) -> Result<Value, Error> {
    let yaml: Lenient = serde_yaml::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| Location::Text {
                line: l.line(),
                column: l.column(),
            })
            .unwrap_or(Location::File);
        Error::from(Diagnostic {
            file: String::new(),
            location,
            message: format!("invalid YAML: {e}"),
            hint: None,
        })
    })?;
    let mut yaml = yaml.0;
    yaml.apply_merge().map_err(|e| {
        Error::from(Diagnostic {
            file: String::new(),
            location: Location::File,
            message: format!("invalid YAML merge key: {e}"),
            hint: None,
        })
    })?;
    yaml_to_json(yaml, &Pointer::root()).map_err(Error::from)
}

/// A YAML value read like `serde_yaml::Value`, except that integers beyond
/// 64 bits (`minimum: -9223372036854776000`, valid YAML) become the nearest
/// `f64` instead of failing the whole document, as they do in JSON.
struct Lenient(serde_yaml::Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = serde_yaml::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(u.into()))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Self::Value, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(serde_yaml::Value::Number((i as f64).into()))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Self::Value, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(serde_yaml::Value::Number((u as f64).into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(f.into()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        serde::Deserialize::deserialize(d).map(|Lenient(v)| v)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Lenient(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_yaml::Value::Sequence(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut mapping = serde_yaml::Mapping::new();
        while let Some((Lenient(key), Lenient(value))) = map.next_entry()? {
            mapping.insert(key, value);
        }
        Ok(serde_yaml::Value::Mapping(mapping))
    }

    /// A tagged node (`!Tag value`): the tag is dropped, as JSON has none.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, contents): (String, _) = data.variant()?;
        contents.newtype_variant::<Lenient>().map(|Lenient(v)| v)
    }
}

/// A YAML document read straight into JSON, as [`yaml_to_json`] converts
/// a [`Lenient`] value: tags dropped, scalar keys as strings (written as
/// `serde_yaml` writes them), integers beyond 64 bits as the nearest `f64`.
/// Whatever it does not read that way (a merge key, a key that is a
/// sequence or mapping, a number JSON has no room for) is an error, and the
/// document is read the longer way.
struct Direct(Value);

impl<'de> serde::Deserialize<'de> for Direct {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DirectVisitor).map(Direct)
    }
}

struct DirectVisitor;

impl<'de> serde::de::Visitor<'de> for DirectVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value JSON can hold")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, i: i128) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        self.visit_f64(i as f64)
    }

    fn visit_u128<E: serde::de::Error>(self, u: u128) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        self.visit_f64(u as f64)
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Value, E> {
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Direct(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(DirectKey(key)) = map.next_key()? {
            if key == "<<" {
                return Err(serde::de::Error::custom("a merge key"));
            }
            let Direct(value) = map.next_value()?;
            // A key written twice (or as `1` and `"1"`) keeps its first
            // place and its last value, as in the longer way.
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    /// A tagged node (`!Tag value`): the tag is dropped.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, contents): (String, _) = data.variant()?;
        contents.newtype_variant::<Direct>().map(|Direct(v)| v)
    }
}

/// A mapping key read as [`yaml_to_json`] writes it: a scalar as text
/// (numbers as `serde_yaml` prints them), a sequence or mapping an error.
struct DirectKey(String);

impl<'de> serde::Deserialize<'de> for DirectKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(DirectKeyVisitor)
            .map(DirectKey)
    }
}

struct DirectKeyVisitor;

impl<'de> serde::de::Visitor<'de> for DirectKeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a scalar key")
    }

    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E>(self, i: i64) -> Result<String, E> {
        Ok(serde_yaml::Number::from(i).to_string())
    }

    fn visit_u64<E>(self, u: u64) -> Result<String, E> {
        Ok(serde_yaml::Number::from(u).to_string())
    }

    fn visit_i128<E>(self, i: i128) -> Result<String, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(serde_yaml::Number::from(i as f64).to_string())
    }

    fn visit_u128<E>(self, u: u128) -> Result<String, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(serde_yaml::Number::from(u as f64).to_string())
    }

    fn visit_f64<E>(self, f: f64) -> Result<String, E> {
        Ok(serde_yaml::Number::from(f).to_string())
    }

    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }

    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, contents): (String, _) = data.variant()?;
        contents
            .newtype_variant::<DirectKey>()
            .map(|DirectKey(k)| k)
    }
}

/// Converts YAML to JSON. YAML allows what JSON does not (non-string keys,
/// tags, NaN); keys that are scalars become strings (`200:` is the response
/// `"200"`), tags are dropped, anything else is an error at its node.
fn yaml_to_json(yaml: serde_yaml::Value, at: &Pointer) -> Result<Value, Diagnostic> {
    Ok(match yaml {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or_else(|| {
                    Diagnostic::at(
                        at.to_string(),
                        format!("number {n} cannot be represented in JSON"),
                    )
                })?)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &at.push(i)))
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    serde_yaml::Value::Null => "null".to_owned(),
                    _ => {
                        return Err(Diagnostic::at(
                            at.to_string(),
                            "a mapping key is a sequence or mapping; JSON keys must be strings",
                        ))
                    }
                };
                let value = yaml_to_json(value, &at.push(&key))?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

/// Applies an Overlay 1.0 document (already parsed) to the document.
pub(crate) fn apply_overlay(document: &mut Value, overlay: &Value) -> Result<(), Error> {
    overlay::apply(document, overlay).map_err(Error::Spec)
}

/// The document's OpenAPI version: 3.0, 3.1 or 3.2; a clear error for
/// Swagger 2.0 and anything else.
pub(crate) fn check_version(document: &Value) -> Result<Version, Error> {
    let Some(object) = document.as_object() else {
        return Err(Diagnostic::at("#", "the document is not a JSON/YAML object").into());
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(swagger_refusal(swagger.as_str().unwrap_or("2.0")).into());
    }
    match object.get("openapi") {
        None => Err(Diagnostic::at("#", "missing `openapi` version field")
            .with_hint("an OpenAPI document starts with its version, e.g. `openapi: 3.1.0`")
            .into()),
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(Version::V3_0),
        Some(Value::String(v)) if v.starts_with("3.1") => Ok(Version::V3_1),
        Some(Value::String(v)) if v.starts_with("3.2") => Ok(Version::V3_2),
        Some(other) => Err(Diagnostic::at(
            "#/openapi",
            format!("unsupported OpenAPI version {other}; 3.0.x, 3.1.x and 3.2.x are supported"),
        )
        .into()),
    }
}

fn swagger_refusal(version: &str) -> Diagnostic {
    Diagnostic::at(
        "#/swagger",
        format!("Swagger {version} is not supported; convert to OpenAPI 3.0"),
    )
    .with_hint("convert it with swagger2openapi or the Swagger Editor's 'Convert to OpenAPI 3' and generate from the result")
}

/// The refusal that fits a document that did not parse but says, on a
/// top-level line of its own, that it is Swagger 2.0: told before the
/// syntax error, which the conversion will not keep.
pub(crate) fn sniff_swagger(text: &str) -> Option<Error> {
    text.lines().take(200).find_map(|line| {
        let rest = line
            .strip_prefix("swagger:")
            .or_else(|| line.strip_prefix("\"swagger\":"))
            .or_else(|| {
                line.trim_start_matches(['{', ' '])
                    .strip_prefix("\"swagger\":")
            })?;
        let version = rest.trim().trim_matches(|c| matches!(c, '"' | '\'' | ','));
        Some(swagger_refusal(version).into())
    })
}

/// Deserializes any `openapiv3` type from a JSON node, locating a failure
/// at the innermost node serde reached (`at` is the node's own pointer).
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    node: &Value,
    at: &Pointer,
) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(node).map_err(|e| {
        let mut pointer = at.clone();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => pointer = pointer.push(index),
                serde_path_to_error::Segment::Map { key } => pointer = pointer.push(key),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        Diagnostic::at(
            pointer.to_string(),
            describe_serde_error(&e.into_inner().to_string()),
        )
    })
}

/// Deserializes the whole document into `openapiv3` types. When that
/// fails, the document's parts are checked one by one so that every broken
/// node is reported at its own pointer.
pub(crate) fn document(document: &Value) -> Result<openapiv3::OpenAPI, Error> {
    // Schemas first, node by node: a broken schema deep inside would make
    // the whole-document parse backtrack for a time exponential in its
    // depth. The rest of the document is then checked with the broken
    // schemas stood in for by `{}`, so that every problem is reported.
    //
    // Meanwhile (on another thread if the document is large enough for
    // that to pay), the rest of the document is parsed without its schemas
    // (lowering reads them from the JSON; parsing them again would take
    // longer than all the rest), for use if every schema is sound.
    let parse_without_schemas = || {
        typed::<openapiv3::OpenAPI>(&structure::without_schemas(document), &Pointer::root()).ok()
    };
    let ((schema_problems, broken), without_schemas) = if is_large(document) {
        std::thread::scope(|scope| {
            let without_schemas = scope.spawn(parse_without_schemas);
            let checked = structure::schema_problems(document);
            (checked, without_schemas.join().ok().flatten())
        })
    } else {
        (
            structure::schema_problems(document),
            parse_without_schemas(),
        )
    };
    if !schema_problems.is_empty() {
        let mut blanked = document.clone();
        for root in &broken {
            if let Some(node) = blanked.pointer_mut(root.as_json_pointer()) {
                *node = Value::Object(serde_json::Map::new());
            }
        }
        let mut problems = schema_problems;
        if typed::<openapiv3::OpenAPI>(&blanked, &Pointer::root()).is_err() {
            problems.extend(structure::problems(&blanked));
        }
        return Err(Error::Spec(problems));
    }
    // Every schema is sound. If the rest did not parse without them, the
    // whole document is parsed, so that what is reported, and where, does
    // not depend on that shortcut.
    if let Some(typed) = without_schemas {
        return Ok(typed);
    }
    typed::<openapiv3::OpenAPI>(document, &Pointer::root()).map_err(|whole| {
        let mut parts = structure::problems(document);
        if parts.is_empty() {
            parts.push(whole);
        }
        Error::Spec(parts)
    })
}

/// Whether a document has enough paths and schemas (a few hundred) that
/// checking it on two threads saves more than starting one costs, on a
/// machine whose other cores may be busy (a build running beside).
fn is_large(document: &Value) -> bool {
    let count = |pointer: &str| {
        document
            .pointer(pointer)
            .and_then(Value::as_object)
            .map_or(0, Map::len)
    };
    count("/paths") + count("/components/schemas") >= 200
}

/// Turns serde's wording into something a spec author understands.
fn describe_serde_error(message: &str) -> String {
    if message.contains("did not match any variant of untagged enum ReferenceOr") {
        "this is neither a `$ref` nor a valid inline object of the expected kind".to_owned()
    } else {
        format!("not a valid OpenAPI 3.0 node: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_keys_become_strings() {
        let doc = parse_text("", "responses:\n  200:\n    description: ok\n").expect("parses");
        assert_eq!(doc["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn json_is_told_apart_by_content() {
        let err = parse_text("", "{\"a\": }").expect_err("invalid");
        let d = &err.diagnostics()[0];
        assert_eq!(d.location, Location::Text { line: 1, column: 7 });
        assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
    }

    #[test]
    fn flow_style_yaml_is_yaml_though_it_starts_like_json() {
        let flow = "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}";
        for name in ["", "spec.yaml", "spec.YML"] {
            let doc = parse_text(name, flow).expect("flow-style YAML parses");
            assert_eq!(doc["openapi"], "3.0.3");
            assert_eq!(doc["info"]["title"], "t");
        }
        // A file named .json is JSON.
        let err = parse_text("spec.json", flow).expect_err("not JSON");
        assert!(err.diagnostics()[0].message.starts_with("invalid JSON"));
        // Text that looks like JSON gets the JSON error, though it might be
        // YAML (`{"a": }` is `{a: null}` there).
        let err = parse_text("", "{\"a\": }").expect_err("invalid");
        assert!(err.diagnostics()[0].message.starts_with("invalid JSON"));
    }

    #[test]
    fn integers_beyond_64_bits_are_read_as_numbers() {
        let doc = parse_text(
            "",
            "a: -9223372036854776000\nb: 18446744073709551616\nc: !Tag 1\n",
        )
        .expect("valid YAML");
        assert_eq!(doc["a"].as_f64(), Some(-9_223_372_036_854_776_000.0));
        assert_eq!(doc["b"].as_f64(), Some(18_446_744_073_709_551_616.0));
        assert_eq!(doc["c"], 1);
    }

    #[test]
    fn yaml_is_read_straight_into_json_as_through_yaml_values() {
        let texts = [
            "a: 1\nb: -2\nc: 1.5\nd: 1.0\ne: 18446744073709551615\nf: 1e400000\n",
            "200: x\n'200': y\n1.5: z\ntrue: t\n~: n\n.inf: i\n-.inf: j\n.nan: k\n",
            "a: 1\nb: 2\na: 3\n? !Tag key\n: !Other [1, !T {x: 2}]\n",
            "- &anchor {a: 1, b: [x, y]}\n- *anchor\n- {c: null, d: ~, e: ''}\n",
            "base: &base {a: 1, b: 2}\nmerged:\n  <<: *base\n  b: 3\n  c: 4\n",
            "many:\n  <<: [{a: 1}, {a: 2, b: 2}]\n  z: 0\n",
            "? [a, b]\n: sequence key\n",
            "n: .nan\n",
            "a: -9223372036854776000\nb: 18446744073709551616\n",
        ];
        for text in texts {
            let straight = serde_yaml::from_str::<Direct>(text).map(|Direct(v)| v);
            let through_values = parse_yaml_value(text);
            let either = parse_yaml(text);
            // Compared as text: key order counts.
            match &through_values {
                Ok(value) => {
                    let value = value.to_string();
                    assert_eq!(either.expect("valid").to_string(), value, "{text}");
                    if let Ok(straight) = straight {
                        assert_eq!(straight.to_string(), value, "{text}");
                    }
                }
                Err(error) => {
                    assert!(straight.is_err(), "{text}");
                    assert_eq!(
                        either.expect_err("the same error").to_string(),
                        error.to_string()
                    );
                }
            }
        }
        for text in [texts[1], texts[2], texts[3], texts[8]] {
            assert!(serde_yaml::from_str::<Direct>(text).is_ok(), "{text}");
        }
        // Merge keys take the longer way, and are applied.
        let merged = parse_yaml(texts[4]).expect("valid");
        assert_eq!(merged["merged"].to_string(), r#"{"c":4,"b":3,"a":1}"#);
    }

    #[test]
    fn yaml_syntax_errors_have_a_line() {
        let err = parse_text("", "a: [1, 2\nb: c\n").expect_err("invalid");
        assert!(matches!(
            err.diagnostics()[0].location,
            Location::Text { .. }
        ));
    }

    #[test]
    fn versions_are_checked() {
        let swagger = serde_json::json!({"swagger": "2.0"});
        let msg = check_version(&swagger).expect_err("2.0").to_string();
        assert!(
            msg.contains("Swagger 2.0 is not supported; convert to OpenAPI 3.0"),
            "{msg}"
        );
        for (version, expected) in [
            ("3.0.3", Version::V3_0),
            ("3.1.0", Version::V3_1),
            ("3.1.1", Version::V3_1),
            ("3.2.0", Version::V3_2),
        ] {
            let doc = serde_json::json!({ "openapi": version });
            assert_eq!(check_version(&doc).expect("supported"), expected);
        }
        let msg = check_version(&serde_json::json!({"openapi": "4.0.0"}))
            .expect_err("4.0")
            .to_string();
        assert!(msg.contains("#/openapi") && msg.contains("4.0.0"), "{msg}");
        let broken = "swagger: '2.0'\ninfo: [\n";
        assert!(parse_text("", broken).is_err());
        let msg = sniff_swagger(broken).expect("sniffed").to_string();
        assert!(msg.contains("Swagger 2.0 is not supported"), "{msg}");
        assert!(sniff_swagger("openapi: 3.0.3\n").is_none());
    }

    #[test]
    fn typed_errors_point_at_the_node() {
        let doc = serde_json::json!({"name": "x", "in": "query", "required": "yes"});
        let err = typed::<openapiv3::Parameter>(&doc, &Pointer::root().push("parameters").push(0))
            .expect_err("bad");
        assert!(err.to_string().starts_with("#/parameters/0"), "{err}");
    }
}
