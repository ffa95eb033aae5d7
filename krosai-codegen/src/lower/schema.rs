//! Schemas → types.
//!
//! Schemas are read from the JSON document by pointer rather than through
//! `openapiv3::Schema`: a pointer is both the identity of a schema (the
//! same node lowered twice is one type) and the location in every error.
//! `openapiv3` has already checked the document's structure by then.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::Lowering;
use crate::error::{Diagnostic, Pointer};
use crate::model::{
    Bound, Constraints, Enum, EnumRepr, EnumVariant, Field, OneOf, OneOfVariant, Primitive,
    SelectionRule, Shape, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};

/// A type under construction: the naming pass turns `name_hint` into the
/// final name.
#[derive(Debug)]
pub(super) struct Draft {
    /// The raw name: a component name (`required`) or a suggestion built
    /// from the context (`CallDetail` + `quality_metrics`).
    pub name_hint: String,
    /// Component names win over suggested names when they collide.
    pub required_name: bool,
    pub origin: Pointer,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// `None` while the type is being lowered (or failed to lower).
    pub kind: Option<TypeKind>,
}

/// How deep `allOf` parts may nest under one schema.
pub(super) const MAX_ALL_OF_DEPTH: usize = 64;

/// How many fields one struct (a schema with its `allOf` parts) may have.
pub(super) const MAX_STRUCT_FIELDS: usize = 5_000;

/// How many fields all structs together may have (Stripe's have about
/// 13,500): a bound on the size of the output that `allOf` chains would
/// otherwise make quadratic.
pub(super) const MAX_TOTAL_FIELDS: usize = 250_000;

/// A struct field before the naming pass.
#[derive(Debug)]
struct PendingField {
    wire: String,
    schema: Pointer,
    /// The name of the schema that declares the property, for the names of
    /// inline types it holds (`Call` + `status` even inside `CallDetail`).
    owner: String,
}

/// What a flattened `allOf` (or a plain object) collects.
#[derive(Debug, Default)]
struct ObjectParts {
    fields: Vec<PendingField>,
    /// The wire names of `fields`.
    field_names: HashSet<String>,
    required: HashSet<String>,
    additional: Option<Additional>,
    closed: bool,
    /// `oneOf`/`anyOf` parts of an `allOf`, flattened into the struct.
    flattened: Vec<(Pointer, String)>,
}

#[derive(Debug)]
enum Additional {
    Any,
    Schema(Pointer, String),
}

/// The JSON object of a schema (`node` is what `at` designates), or an
/// error if the node is not one.
fn object_at<'a>(
    node: Option<&'a Value>,
    at: &Pointer,
) -> Result<&'a Map<String, Value>, Diagnostic> {
    match node {
        Some(Value::Object(map)) => Ok(map),
        // `true`/`false` schemas are JSON Schema, not OpenAPI 3.0; treat
        // `true` as "anything" by handing back an empty object.
        Some(Value::Bool(true)) => Ok(empty_object()),
        Some(_) => Err(Diagnostic::at(at.to_string(), "a schema must be an object")),
        None => Err(Diagnostic::at(at.to_string(), "no schema at this location")),
    }
}

fn empty_object() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

fn str_of<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

fn bool_of(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn list_len(map: &Map<String, Value>, key: &str) -> usize {
    map.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

/// The documentation of a schema: title and description.
pub(super) fn schema_doc(map: &Map<String, Value>) -> Option<String> {
    let title = str_of(map, "title")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = str_of(map, "description")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (title, description) {
        (Some(t), Some(d)) if d.starts_with(t) => Some(d.to_owned()),
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.to_owned()),
        (None, Some(d)) => Some(d.to_owned()),
        (None, None) => None,
    }
}

/// Reads bounds and default from a schema object.
pub(super) fn constraints_of(map: &Map<String, Value>) -> Constraints {
    let number = |key: &str| map.get(key).and_then(Value::as_f64);
    let count = |key: &str| map.get(key).and_then(Value::as_u64);
    Constraints {
        minimum: number("minimum").map(|value| Bound {
            value,
            exclusive: bool_of(map, "exclusiveMinimum"),
        }),
        maximum: number("maximum").map(|value| Bound {
            value,
            exclusive: bool_of(map, "exclusiveMaximum"),
        }),
        min_length: count("minLength"),
        max_length: count("maxLength"),
        pattern: str_of(map, "pattern").map(str::to_owned),
        min_items: count("minItems"),
        max_items: count("maxItems"),
        default: map.get("default").cloned(),
    }
}

impl<'a> Lowering<'a> {
    /// Follows `$ref`s from `at` to the schema they lead to. A chain that
    /// comes back on itself is an error; a missing target is an error at the
    /// `$ref`.
    pub(super) fn resolve_schema(
        &self,
        at: &Pointer,
    ) -> Result<(Pointer, &'a Map<String, Value>), Diagnostic> {
        let mut current = at.clone();
        let mut seen: Vec<Pointer> = Vec::new();
        let mut on_chain: std::collections::HashSet<Pointer> = std::collections::HashSet::new();
        loop {
            let known = self.resolved.borrow().get(&current).cloned();
            if let Some(end) = known {
                current = end;
            }
            let map = object_at(self.node(&current), &current)?;
            let Some(reference) = map.get("$ref") else {
                let mut resolved = self.resolved.borrow_mut();
                for node in seen {
                    resolved.insert(node, current.clone());
                }
                return Ok((current, map));
            };
            let reference_at = current.push("$ref");
            let Some(reference) = reference.as_str() else {
                return Err(Diagnostic::at(
                    reference_at.to_string(),
                    "`$ref` must be a string",
                ));
            };
            let target = self.ref_target(reference, &reference_at)?;
            on_chain.insert(current.clone());
            seen.push(current);
            if on_chain.contains(&target) {
                let chain: Vec<String> = seen.iter().map(ToString::to_string).collect();
                return Err(Diagnostic::at(
                    reference_at.to_string(),
                    format!("cyclic `$ref` chain: {} -> {target}", chain.join(" -> ")),
                )
                .with_hint("a `$ref` must eventually lead to a schema, not back to itself"));
            }
            current = target;
        }
    }

    /// The pointer a local `$ref` names, checked to exist.
    pub(super) fn ref_target(&self, reference: &str, at: &Pointer) -> Result<Pointer, Diagnostic> {
        let Some(target) = Pointer::from_ref(reference) else {
            return Err(Diagnostic::at(
                at.to_string(),
                format!("`$ref: {reference}` is not a local reference (`#/...`); external references are not supported"),
            )
            .with_hint("bundle the spec into one file first (for example with `redocly bundle`)"));
        };
        if self.node(&target).is_none() {
            return Err(Diagnostic::at(
                at.to_string(),
                format!("`$ref` target `{target}` does not exist"),
            ));
        }
        Ok(target)
    }

    /// Whether the schema at `at` (following `$ref`s and single-part
    /// `allOf`s) admits `null`.
    pub(super) fn is_nullable(&self, at: &Pointer) -> bool {
        let Ok(map) = object_at(self.node(at), at) else {
            return false;
        };
        if bool_of(map, "nullable") {
            return true;
        }
        if map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null))
        {
            return true;
        }
        if ["oneOf", "anyOf"].iter().any(|keyword| {
            map.get(*keyword)
                .and_then(Value::as_array)
                .is_some_and(|alternatives| {
                    alternatives
                        .iter()
                        .any(|a| a.as_object().is_some_and(is_null_only))
                })
        }) {
            return true;
        }
        if map.contains_key("$ref") {
            return self
                .resolve_schema(at)
                .is_ok_and(|(target, _)| target != *at && self.is_nullable(&target));
        }
        false
    }

    /// Registers a named schema (a `$ref` target) and returns its id; the
    /// type itself is lowered from the work list.
    pub(super) fn named_schema(&mut self, target: &Pointer) -> TypeId {
        if let Some(id) = self.named.get(target) {
            return *id;
        }
        let tokens = target.tokens();
        let is_component = tokens.len() == 3 && tokens[0] == "components" && tokens[1] == "schemas";
        let hint = tokens.last().cloned().unwrap_or_else(|| "Root".to_owned());
        let id = self.new_draft(hint, is_component, target.clone());
        self.named.insert(target.clone(), id);
        self.pending.push_back(id);
        id
    }

    pub(super) fn new_draft(
        &mut self,
        name_hint: String,
        required_name: bool,
        origin: Pointer,
    ) -> TypeId {
        let id = TypeId(self.drafts.len());
        self.drafts.push(Draft {
            name_hint,
            required_name,
            origin,
            doc: None,
            deprecated: false,
            kind: None,
        });
        id
    }

    /// Lowers every registered named schema that has not been lowered yet.
    pub(super) fn drain_pending(&mut self) {
        while let Some(id) = self.pending.pop_front() {
            let origin = self.drafts[id.0].origin.clone();
            let hint = self.drafts[id.0].name_hint.clone();
            match self.lower_definition(&origin, &hint) {
                Ok((kind, doc, deprecated)) => {
                    let draft = &mut self.drafts[id.0];
                    draft.kind = Some(kind);
                    draft.doc = doc;
                    draft.deprecated = deprecated;
                }
                Err(d) => {
                    self.diagnostics.push(d);
                    self.drafts[id.0].kind =
                        Some(TypeKind::Alias(TypeRef::Primitive(Primitive::Json)));
                }
            }
        }
    }

    /// The type of the schema at `at`, used in a context that suggests the
    /// name `hint` for any type it needs to create.
    pub(super) fn type_of(&mut self, at: &Pointer, hint: &str) -> TypeRef {
        match self.try_type_of(at, hint) {
            Ok(ty) => ty,
            Err(d) => {
                self.diagnostics.push(d);
                TypeRef::Primitive(Primitive::Json)
            }
        }
    }

    fn try_type_of(&mut self, at: &Pointer, hint: &str) -> Result<TypeRef, Diagnostic> {
        if let Some(ty) = self.inline.get(at) {
            return Ok(ty.clone());
        }
        let map = object_at(self.node(at), at)?;
        if let Some(reference) = map.get("$ref") {
            let reference_at = at.push("$ref");
            let reference = reference.as_str().ok_or_else(|| {
                Diagnostic::at(reference_at.to_string(), "`$ref` must be a string")
            })?;
            let target = self.ref_target(reference, &reference_at)?;
            // Resolve now so that cyclic chains are reported here.
            self.resolve_schema(&target)?;
            let ty = TypeRef::Named(self.named_schema(&target));
            return Ok(ty);
        }
        let ty = match self.classify(map) {
            Class::Primitive(p) => TypeRef::Primitive(p),
            Class::Array => {
                let items = at.push("items");
                let item = if map.contains_key("items") {
                    let item_type = self.type_of(&items, &format!("{hint} item"));
                    if self.is_nullable(&items) {
                        TypeRef::Nullable(Box::new(item_type))
                    } else {
                        item_type
                    }
                } else {
                    TypeRef::Primitive(Primitive::Json)
                };
                TypeRef::Array(Box::new(item))
            }
            Class::Map => TypeRef::Map(Box::new(self.additional_type(map, at, hint))),
            Class::FreeObject => TypeRef::Primitive(Primitive::JsonObject),
            Class::Single(keyword, part) => self.type_of(&at.push(keyword).push(part), hint),
            Class::Named => {
                let id = self.new_draft(hint.to_owned(), false, at.clone());
                // Inline enums with the same values are one type, named
                // after the first place they appear (a `status` filter and a
                // `status` property share `CallStatus`).
                let (kind, doc, deprecated) = self.lower_definition(at, hint)?;
                if let TypeKind::Enum(e) = &kind {
                    let key = enum_key(e);
                    if let Some(existing) = self.inline_enums.get(&key) {
                        // Drop the draft we just made; it is the last one.
                        if id.0 + 1 == self.drafts.len() {
                            self.drafts.pop();
                        }
                        let ty = TypeRef::Named(*existing);
                        self.inline.insert(at.clone(), ty.clone());
                        return Ok(ty);
                    }
                    self.inline_enums.insert(key, id);
                }
                let draft = &mut self.drafts[id.0];
                draft.kind = Some(kind);
                draft.doc = doc;
                draft.deprecated = deprecated;
                TypeRef::Named(id)
            }
        };
        self.inline.insert(at.clone(), ty.clone());
        Ok(ty)
    }

    fn additional_type(&mut self, map: &Map<String, Value>, at: &Pointer, hint: &str) -> TypeRef {
        match map.get("additionalProperties") {
            Some(Value::Object(_)) => {
                let value_at = at.push("additionalProperties");
                let ty = self.type_of(&value_at, &format!("{hint} value"));
                if self.is_nullable(&value_at) {
                    TypeRef::Nullable(Box::new(ty))
                } else {
                    ty
                }
            }
            _ => TypeRef::Primitive(Primitive::Json),
        }
    }

    /// How a schema object maps to Rust, before any type is made.
    fn classify(&self, map: &Map<String, Value>) -> Class {
        let has_properties = map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        for keyword in ["oneOf", "anyOf"] {
            let Some(alternatives) = map.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            if alternatives.is_empty() {
                continue;
            }
            // A `null` alternative makes the schema nullable (`is_nullable`)
            // rather than a variant, and a union of one alternative is that
            // alternative: `oneOf: [X, {type: "null"}]` (OpenAPI 3.1) and
            // `anyOf: [X], nullable: true` (Stripe's 3.0) are both `X`,
            // nullable.
            let mut others = alternatives
                .iter()
                .enumerate()
                .filter(|(_, a)| !a.as_object().is_some_and(is_null_only));
            return match (others.next(), others.next()) {
                (Some(_), None) if has_properties || list_len(map, "allOf") > 0 => Class::Named,
                (Some((index, _)), None) => Class::Single(keyword, index),
                (None, _) => Class::Primitive(Primitive::Json),
                _ => Class::Named,
            };
        }
        if list_len(map, "allOf") > 0 {
            // `allOf: [{$ref: X}]` alone (often used to attach a
            // description to a reference) is just X.
            if list_len(map, "allOf") == 1 && !has_properties {
                return Class::Single("allOf", 0);
            }
            return Class::Named;
        }
        let enum_values = map.get("enum").and_then(Value::as_array);
        if let Some(values) = enum_values {
            let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if !non_null.is_empty()
                && (non_null.iter().all(|v| v.is_string()) || non_null.iter().all(|v| v.is_i64()))
            {
                return Class::Named;
            }
        }
        if is_tuple(map) {
            return Class::Named;
        }
        let typ = str_of(map, "type");
        let format = str_of(map, "format").unwrap_or("");
        match typ {
            Some("string") => Class::Primitive(match format {
                "uuid" => Primitive::Uuid,
                "date-time" => Primitive::DateTime,
                "date" => Primitive::Date,
                // Octets: a file part of a multipart body, mostly.
                "binary" => Primitive::Bytes,
                _ => Primitive::String,
            }),
            Some("integer") => Class::Primitive(match format {
                "int32" => Primitive::I32,
                _ => Primitive::I64,
            }),
            Some("number") => Class::Primitive(match format {
                "float" => Primitive::F32,
                _ => Primitive::F64,
            }),
            Some("boolean") => Class::Primitive(Primitive::Bool),
            Some("array") => Class::Array,
            Some("object") | None if has_properties => Class::Named,
            Some("object") | None
                if map
                    .get("additionalProperties")
                    .is_some_and(Value::is_object) =>
            {
                Class::Map
            }
            Some("object") => Class::FreeObject,
            None if map.contains_key("items") => Class::Array,
            _ => Class::Primitive(Primitive::Json),
        }
    }

    /// Lowers a schema into a type definition (for a named schema, or an
    /// inline one that needs a type of its own).
    fn lower_definition(
        &mut self,
        at: &Pointer,
        hint: &str,
    ) -> Result<(TypeKind, Option<String>, bool), Diagnostic> {
        // A named schema that is only a `$ref` to another is an alias of it,
        // not a copy.
        if object_at(self.node(at), at)?.contains_key("$ref") {
            let (_, target) = self.resolve_schema(at)?;
            return Ok((
                TypeKind::Alias(self.type_of(at, hint)),
                schema_doc(target),
                bool_of(target, "deprecated"),
            ));
        }
        let (at, map) = self.resolve_schema(at)?;
        let doc = schema_doc(map);
        let deprecated = bool_of(map, "deprecated");
        let kind = match self.classify(map) {
            Class::Named => {
                if list_len(map, "oneOf") > 0 {
                    self.lower_one_of(map, &at, hint, "oneOf")?
                } else if list_len(map, "anyOf") > 0 {
                    self.lower_one_of(map, &at, hint, "anyOf")?
                } else if is_tuple(map) {
                    self.lower_tuple(map, &at, hint)
                } else if let Some(values) = map.get("enum").and_then(Value::as_array) {
                    if !map.contains_key("properties") && list_len(map, "allOf") == 0 {
                        TypeKind::Enum(lower_enum(values))
                    } else {
                        self.lower_object(&at, hint)?
                    }
                } else {
                    self.lower_object(&at, hint)?
                }
            }
            // A named schema that is not a struct, enum or union is an
            // alias of the type it describes.
            _ => TypeKind::Alias(self.type_of_unnamed(map, &at, hint)?),
        };
        Ok((kind, doc, deprecated))
    }

    /// The type of a schema that needs no type of its own (a primitive, an
    /// array, a map), bypassing the named-type check.
    fn type_of_unnamed(
        &mut self,
        map: &Map<String, Value>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        Ok(match self.classify(map) {
            Class::Primitive(p) => TypeRef::Primitive(p),
            Class::FreeObject => TypeRef::Primitive(Primitive::JsonObject),
            Class::Single(keyword, part) => self.type_of(&at.push(keyword).push(part), hint),
            Class::Map => TypeRef::Map(Box::new(self.additional_type(map, at, hint))),
            Class::Array => {
                let items = at.push("items");
                if map.contains_key("items") {
                    let item = self.type_of(&items, &format!("{hint} item"));
                    let item = if self.is_nullable(&items) {
                        TypeRef::Nullable(Box::new(item))
                    } else {
                        item
                    };
                    TypeRef::Array(Box::new(item))
                } else {
                    TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::Json)))
                }
            }
            Class::Named => self.type_of(at, hint),
        })
    }

    fn lower_one_of(
        &mut self,
        map: &Map<String, Value>,
        at: &Pointer,
        hint: &str,
        keyword: &str,
    ) -> Result<TypeKind, Diagnostic> {
        let parts = map
            .get(keyword)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let mut variants = Vec::with_capacity(parts);
        let mut targets = Vec::with_capacity(parts);
        for index in 0..parts {
            let part = at.push(keyword).push(index);
            let part_map = object_at(self.node(&part), &part)?;
            // `null` makes the union nullable; it is not a variant.
            if is_null_only(part_map) {
                continue;
            }
            let variant_hint = match str_of(part_map, "title") {
                Some(title) => format!("{hint} {title}"),
                None => format!("{hint} variant {index}"),
            };
            let ty = self.type_of(&part, &variant_hint);
            let ty = if self.is_nullable(&part) {
                TypeRef::Nullable(Box::new(ty))
            } else {
                ty
            };
            targets.push(
                part_map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
            variants.push(OneOfVariant {
                // Named by the naming pass.
                name: crate::model::Name::default(),
                ty,
                boxed: false,
                // Computed once every type is known.
                shape: Shape::Any,
            });
        }
        let rule = match map.get("discriminator").and_then(Value::as_object) {
            Some(discriminator) => {
                let Some(property) = str_of(discriminator, "propertyName") else {
                    return Err(Diagnostic::at(
                        at.push("discriminator").to_string(),
                        "a discriminator needs a `propertyName`",
                    ));
                };
                let mut mapping = Vec::new();
                if let Some(explicit) = discriminator.get("mapping").and_then(Value::as_object) {
                    for (value, target) in explicit {
                        let target = target.as_str().unwrap_or_default();
                        // A mapping value is a `$ref` or a bare schema name.
                        let target = if target.starts_with('#') {
                            target.to_owned()
                        } else {
                            format!("#/components/schemas/{target}")
                        };
                        if let Some(index) = targets
                            .iter()
                            .position(|t| t.as_deref() == Some(target.as_str()))
                        {
                            mapping.push((value.clone(), index));
                        } else {
                            return Err(Diagnostic::at(
                                at.push("discriminator").push("mapping").push(value).to_string(),
                                format!("discriminator value `{value}` maps to `{target}`, which is not one of the `{keyword}` alternatives"),
                            ));
                        }
                    }
                }
                // Alternatives without an explicit mapping are selected by
                // their schema name, as the OpenAPI specification says.
                for (index, target) in targets.iter().enumerate() {
                    if mapping.iter().any(|(_, i)| *i == index) {
                        continue;
                    }
                    if let Some(name) = target
                        .as_deref()
                        .and_then(Pointer::from_ref)
                        .and_then(|p| p.last())
                    {
                        mapping.push((name, index));
                    }
                }
                SelectionRule::Discriminator {
                    property: property.to_owned(),
                    mapping,
                }
            }
            None => SelectionRule::ByShape,
        };
        Ok(TypeKind::OneOf(OneOf {
            variants,
            rule,
            any_of: keyword == "anyOf",
            unknown: None,
        }))
    }

    /// Lowers `prefixItems` with nothing after them into a tuple.
    fn lower_tuple(&mut self, map: &Map<String, Value>, at: &Pointer, hint: &str) -> TypeKind {
        let items = (0..list_len(map, "prefixItems"))
            .map(|index| {
                let part = at.push("prefixItems").push(index);
                let ty = self.type_of(&part, &format!("{hint} {index}"));
                let ty = if self.is_nullable(&part) {
                    TypeRef::Nullable(Box::new(ty))
                } else {
                    ty
                };
                crate::model::TupleItem { ty, boxed: false }
            })
            .collect();
        TypeKind::Tuple(items)
    }

    /// Lowers an object schema or an `allOf` into a struct: the fields of
    /// every part, flattened, in the order the parts list them.
    fn lower_object(&mut self, at: &Pointer, hint: &str) -> Result<TypeKind, Diagnostic> {
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_object(at, hint, &mut parts, &mut visiting)?;
        // `allOf` copies the properties of every part into each struct: a
        // chain of parts makes output quadratic in its length.
        self.struct_fields += parts.fields.len();
        if self.struct_fields > MAX_TOTAL_FIELDS {
            return Err(Diagnostic::at(
                at.to_string(),
                format!("the structs of this spec would hold more than {MAX_TOTAL_FIELDS} fields in all (reached here)"),
            )
            .with_hint("long `allOf` chains copy every part into each struct; share the parts by composition instead"));
        }
        let mut fields = Vec::with_capacity(parts.fields.len());
        for pending in &parts.fields {
            let field_hint = format!("{} {}", pending.owner, pending.wire);
            let ty = self.type_of(&pending.schema, &field_hint);
            let property = self.resolve_schema(&pending.schema).ok().map(|(_, m)| m);
            let own = object_at(self.node(&pending.schema), &pending.schema).ok();
            // A `$ref`'d property documents itself with the property's own
            // description if any, else the target's.
            let doc = own
                .and_then(schema_doc)
                .or_else(|| property.and_then(schema_doc));
            let flags = own.or(property);
            fields.push(Field {
                wire: pending.wire.clone(),
                name: crate::model::Name::default(),
                ty,
                required: parts.required.contains(&pending.wire),
                nullable: self.is_nullable(&pending.schema),
                boxed: false,
                flatten: false,
                doc,
                deprecated: flags.is_some_and(|m| bool_of(m, "deprecated")),
                read_only: flags.is_some_and(|m| bool_of(m, "readOnly")),
                write_only: flags.is_some_and(|m| bool_of(m, "writeOnly")),
                constraints: {
                    let mut constraints = property.map(constraints_of).unwrap_or_default();
                    // A `default` beside a `$ref` (OpenAPI 3.1) is the
                    // property's own.
                    if let Some(default) = own.and_then(|m| m.get("default")) {
                        constraints.default = Some(default.clone());
                    }
                    constraints
                },
                origin: pending.schema.to_string(),
            });
        }
        for (index, (union_at, owner)) in parts.flattened.iter().enumerate() {
            let ty = self.type_of(union_at, &format!("{owner} variant"));
            fields.push(Field {
                wire: String::new(),
                name: crate::model::Name::from_source(&format!("variant_{index}")),
                ty,
                required: true,
                nullable: false,
                boxed: false,
                flatten: true,
                doc: None,
                deprecated: false,
                read_only: false,
                write_only: false,
                constraints: Constraints::default(),
                origin: union_at.to_string(),
            });
        }
        let additional = match parts.additional {
            Some(Additional::Any) => Some(TypeRef::Primitive(Primitive::Json)),
            Some(Additional::Schema(value_at, owner)) => {
                let ty = self.type_of(&value_at, &format!("{owner} value"));
                Some(if self.is_nullable(&value_at) {
                    TypeRef::Nullable(Box::new(ty))
                } else {
                    ty
                })
            }
            None => None,
        };
        Ok(TypeKind::Struct(Struct {
            fields,
            additional,
            additional_name: crate::model::Name::default(),
            closed: parts.closed,
            parameters: false,
        }))
    }

    /// Gathers the properties of an object schema and of every `allOf` part
    /// it has, recursively. The first part that declares a property decides
    /// its schema; `required` is the union of all parts.
    fn collect_object(
        &self,
        at: &Pointer,
        owner: &str,
        parts: &mut ObjectParts,
        visiting: &mut Vec<Pointer>,
    ) -> Result<(), Diagnostic> {
        let (at, map) = self.resolve_schema(at)?;
        if visiting.contains(&at) {
            return Err(Diagnostic::at(
                at.to_string(),
                "this schema includes itself through `allOf`",
            )
            .with_hint(
                "an `allOf` part cannot be the schema itself (directly or through other parts)",
            ));
        }
        if visiting.len() >= MAX_ALL_OF_DEPTH {
            return Err(Diagnostic::at(
                at.to_string(),
                format!("`allOf` parts nest more than {MAX_ALL_OF_DEPTH} levels deep here"),
            )
            .with_hint("each struct holds a copy of the properties of every part below it; share the parts by composition instead"));
        }
        visiting.push(at.clone());
        // Properties of a component are named after the component.
        let tokens = at.tokens();
        let owner = if tokens.len() == 3 && tokens[0] == "components" && tokens[1] == "schemas" {
            tokens[2].clone()
        } else {
            owner.to_owned()
        };
        if let Some(all_of) = map.get("allOf").and_then(Value::as_array) {
            for index in 0..all_of.len() {
                let part = at.push("allOf").push(index);
                self.collect_object(&part, &owner, parts, visiting)?;
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if list_len(map, keyword) > 0 && !parts.flattened.iter().any(|(p, _)| *p == at) {
                // Only reached for an `allOf` part that is a union: the
                // union becomes a flattened field of the struct.
                if visiting.len() > 1 {
                    parts.flattened.push((at.clone(), owner.clone()));
                }
            }
        }
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for key in properties.keys() {
                if !parts.field_names.insert(key.clone()) {
                    continue;
                }
                if parts.fields.len() >= MAX_STRUCT_FIELDS {
                    return Err(Diagnostic::at(
                        at.to_string(),
                        format!("a struct made of this schema and its `allOf` parts would have more than {MAX_STRUCT_FIELDS} fields"),
                    ));
                }
                parts.fields.push(PendingField {
                    wire: key.clone(),
                    schema: at.push("properties").push(key),
                    owner: owner.clone(),
                });
            }
        }
        if let Some(required) = map.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                parts.required.insert(name.to_owned());
            }
        }
        match map.get("additionalProperties") {
            Some(Value::Bool(false)) => parts.closed = true,
            Some(Value::Bool(true)) if parts.additional.is_none() => {
                parts.additional = Some(Additional::Any);
            }
            Some(Value::Object(_)) if !matches!(parts.additional, Some(Additional::Schema(..))) => {
                parts.additional = Some(Additional::Schema(
                    at.push("additionalProperties"),
                    owner.clone(),
                ));
            }
            _ => {}
        }
        visiting.pop();
        Ok(())
    }
}

/// Whether a schema is a tuple: `prefixItems` that no further item may
/// follow (`items: false`, which the loader reads as `maxItems` no more
/// than the positions).
fn is_tuple(map: &Map<String, Value>) -> bool {
    let positions = list_len(map, "prefixItems");
    positions > 0
        && map
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|max| max <= positions as u64)
}

/// Whether a schema admits `null` alone (`enum: [null]`, which is what an
/// OpenAPI 3.1 `type: "null"` is read as).
fn is_null_only(map: &Map<String, Value>) -> bool {
    !map.contains_key("$ref")
        && map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// How a schema maps to Rust.
enum Class {
    Primitive(Primitive),
    Array,
    Map,
    FreeObject,
    /// The type of one part: the only part of an `allOf`, or the only
    /// alternative of a `oneOf`/`anyOf` besides `null`.
    Single(&'static str, usize),
    /// Needs a type of its own: object, enum, union, `allOf`.
    Named,
}

fn lower_enum(values: &[Value]) -> Enum {
    let strings: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    let repr = if strings.iter().all(|v| v.is_string()) {
        EnumRepr::String
    } else {
        EnumRepr::Integer
    };
    let mut variants: Vec<EnumVariant> = Vec::new();
    for value in strings {
        let wire = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if variants.iter().any(|v| v.wire == wire) {
            continue;
        }
        variants.push(EnumVariant {
            wire,
            name: crate::model::Name::default(),
        });
    }
    Enum {
        variants,
        repr,
        unknown: None,
    }
}

fn enum_key(e: &Enum) -> (bool, Vec<String>) {
    (
        e.repr == EnumRepr::String,
        e.variants.iter().map(|v| v.wire.clone()).collect(),
    )
}

/// The inline-enum dedup table: values → the type that holds them.
pub(super) type EnumTable = HashMap<(bool, Vec<String>), TypeId>;

/// Finishes drafts into type definitions (names are filled in later).
pub(super) fn finish(drafts: Vec<Draft>) -> Vec<TypeDef> {
    drafts
        .into_iter()
        .map(|d| TypeDef {
            name: crate::model::Name::from_source(&d.name_hint),
            origin: d.origin.to_string(),
            doc: d.doc,
            deprecated: d.deprecated,
            kind: d
                .kind
                .unwrap_or(TypeKind::Alias(TypeRef::Primitive(Primitive::Json))),
        })
        .collect()
}
