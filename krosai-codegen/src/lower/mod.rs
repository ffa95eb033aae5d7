//! Lowering: the checked document → the [`model`](crate::model).
//!
//! Every problem is collected as a located [`Diagnostic`]; lowering goes on
//! past an error (with a placeholder type) so that one run reports them all.

mod operation;
mod post;
mod schema;

use std::collections::{HashMap, VecDeque};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Diagnostic, Error, Pointer};
use crate::model::{
    Api, Operation, SecurityKind, SecurityScheme, Server, Tag, TypeId, TypeKind, TypeRef,
};
use schema::{Draft, EnumTable};

/// State of one lowering run.
pub(crate) struct Lowering<'a> {
    raw: &'a Value,
    drafts: Vec<Draft>,
    /// `$ref` targets → their type.
    named: HashMap<Pointer, TypeId>,
    /// Inline schemas already lowered, by pointer: one node, one type.
    inline: HashMap<Pointer, TypeRef>,
    inline_enums: EnumTable,
    /// Named schemas registered but not lowered yet, first in first out.
    pending: VecDeque<TypeId>,
    diagnostics: Vec<Diagnostic>,
    /// Where each `$ref` chain followed so far ends (every node on it is
    /// recorded), so that resolving is linear in the number of schemas
    /// however long the chains.
    resolved: std::cell::RefCell<HashMap<Pointer, Pointer>>,
    /// The fields of the structs lowered so far, against
    /// `schema::MAX_TOTAL_FIELDS`.
    struct_fields: usize,
    /// The nodes looked up so far, by pointer: lowering asks for the same
    /// schema several times (its type, whether it is nullable, its object),
    /// and a lookup from the root hashes every key on the way.
    nodes: std::cell::RefCell<HashMap<Pointer, Option<&'a Value>>>,
}

/// Lowers a document that `openapiv3` has parsed; `raw` is the same
/// document as JSON (schemas are read from it by pointer), `served` the
/// document as written, as compact JSON.
pub(crate) fn lower(doc: &OpenAPI, raw: &Value, served: String) -> Result<Api, Error> {
    let mut lowering = Lowering {
        raw,
        drafts: Vec::new(),
        named: HashMap::new(),
        inline: HashMap::new(),
        inline_enums: EnumTable::new(),
        pending: VecDeque::new(),
        diagnostics: Vec::new(),
        resolved: std::cell::RefCell::new(HashMap::new()),
        struct_fields: 0,
        nodes: std::cell::RefCell::new(HashMap::new()),
    };
    // Component schemas first, in spec order: they own their names.
    if let Some(components) = &doc.components {
        for name in components.schemas.keys() {
            let at = Pointer::root()
                .push("components")
                .push("schemas")
                .push(name);
            lowering.named_schema(&at);
        }
    }
    lowering.drain_pending();
    let mut operations: Vec<Operation> = Vec::new();
    let top_security = doc
        .security
        .as_ref()
        .map(|s| security_alternatives(s))
        .unwrap_or_default();
    for (path, item) in doc.paths.paths.iter() {
        let item_at = Pointer::root().push("paths").push(path);
        let (item_at, item) = match item {
            openapiv3::ReferenceOr::Item(item) => (item_at, item.clone()),
            openapiv3::ReferenceOr::Reference { reference } => {
                match lowering
                    .resolve_typed::<openapiv3::PathItem>(reference, &item_at.push("$ref"))
                {
                    Ok(resolved) => resolved,
                    Err(d) => {
                        lowering.diagnostics.push(d);
                        continue;
                    }
                }
            }
        };
        for (method, operation) in operation::methods(&item) {
            if let Some(op) =
                lowering.lower_operation(path, method, operation, &item, &item_at, &top_security)
            {
                operations.push(op);
            }
            lowering.drain_pending();
        }
    }
    lowering.webhooks(&mut operations);
    let servers = doc
        .servers
        .iter()
        .map(|s| Server {
            url: s.url.clone(),
            description: s.description.clone(),
        })
        .collect();
    let security_schemes = doc
        .components
        .as_ref()
        .map(|c| lowering.security_schemes(c))
        .unwrap_or_default();
    let mut tags: Vec<Tag> = doc
        .tags
        .iter()
        .map(|t| Tag {
            wire: t.name.clone(),
            description: t.description.clone(),
        })
        .collect();
    for op in &operations {
        for tag in &op.tags {
            if !tags.iter().any(|t| t.wire == *tag) {
                tags.push(Tag {
                    wire: tag.clone(),
                    description: None,
                });
            }
        }
    }
    let Lowering {
        drafts,
        diagnostics,
        ..
    } = lowering;
    if !diagnostics.is_empty() {
        return Err(Error::Spec(diagnostics));
    }
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        summary: info_text(raw, "/info/summary"),
        license: info_text(raw, "/info/license/identifier"),
        servers,
        types: Vec::new(),
        operations,
        security_schemes,
        security: top_security,
        tags,
        document: served,
        notes: Vec::new(),
        client_defaults: Vec::new(),
        server_traits: Vec::new(),
        shared_responses: Vec::new(),
        prelude_shadowed: false,
        server_defaults: true,
    };
    let required_names: Vec<bool> = drafts.iter().map(|d| d.required_name).collect();
    api.types = schema::finish(drafts);
    // A parameter too deep makes its parameter struct too deep: one error.
    let mut too_deep = deep_parameters(&api);
    if too_deep.is_empty() {
        too_deep.extend(deep_types(&api));
    }
    if !too_deep.is_empty() {
        return Err(Error::Spec(too_deep));
    }
    post::finish(&mut api, &required_names);
    Ok(api)
}

/// How deep the types of a parameter may nest arrays, maps and `null`s
/// (through aliases). No parameter style serialises more than a level or
/// two; the parser and printer of the generated code recurse once per
/// level, so a deeper chain is refused instead of risking the stack.
const MAX_PARAMETER_DEPTH: usize = 16;

/// The parameters whose types nest deeper than [`MAX_PARAMETER_DEPTH`].
fn deep_parameters(api: &Api) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for op in &api.operations {
        for p in &op.parameters {
            let mut ty = &p.ty;
            let mut depth = 0;
            // Each step descends one level or follows one alias.
            for _ in 0..(2 * MAX_PARAMETER_DEPTH + 2) {
                ty = match ty {
                    TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                        depth += 1;
                        inner
                    }
                    TypeRef::Named(id) => match api.types.get(id.0).map(|t| &t.kind) {
                        Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => inner,
                        _ => break,
                    },
                    TypeRef::Primitive(_) => break,
                };
                if depth > MAX_PARAMETER_DEPTH {
                    break;
                }
            }
            if depth > MAX_PARAMETER_DEPTH {
                problems.push(
                    Diagnostic::at(
                        format!("{}/schema", p.origin),
                        format!(
                            "the type of parameter `{}` nests arrays or maps more than {MAX_PARAMETER_DEPTH} levels deep", p.wire
                        ),
                    )
                    .with_hint("no parameter style can carry that; use a request body"),
                );
            }
        }
    }
    problems
}

/// How deep generated types may nest (each struct, union, newtype, `Vec`,
/// map and `Option` is a level): the Rust compiler gives up on deeper
/// types (its recursion limit is 128), so they are refused here, at the
/// schema, instead of making a crate that does not build.
const MAX_TYPE_DEPTH: usize = 100;

/// The deepest type, if it nests deeper than [`MAX_TYPE_DEPTH`]. Cycles
/// (which lowering boxes) count once.
fn deep_types(api: &Api) -> Option<Diagnostic> {
    const UNKNOWN: usize = usize::MAX;
    let count = api.types.len();
    let mut depth = vec![UNKNOWN; count];
    let mut on_stack = vec![false; count];
    // The depth a use of a type adds, given the depths known so far
    // (a type still on the stack closes a cycle: it adds nothing).
    let ref_depth = |ty: &TypeRef, depth: &[usize]| -> usize {
        match ty.innermost() {
            (TypeRef::Named(id), levels) => {
                let known = depth.get(id.0).copied().unwrap_or(0);
                levels + if known == UNKNOWN { 0 } else { known }
            }
            (_, levels) => levels,
        }
    };
    let uses = |id: usize| -> Vec<(&TypeRef, usize)> {
        match api.types.get(id).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .map(|f| (&f.ty, usize::from(f.is_optional()) + usize::from(f.boxed)))
                .chain(s.additional.iter().map(|a| (a, 1)))
                .collect(),
            Some(TypeKind::OneOf(o)) => o.variants.iter().map(|v| (&v.ty, 0)).collect(),
            Some(TypeKind::Alias(t) | TypeKind::Newtype(t)) => vec![(t, 0)],
            Some(TypeKind::Tuple(items)) => items
                .iter()
                .map(|i| (&i.ty, usize::from(i.boxed)))
                .collect(),
            _ => Vec::new(),
        }
    };
    for root in 0..count {
        let mut stack = vec![(root, false)];
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                let own = match api.types[id].kind {
                    TypeKind::Alias(_) => 0,
                    _ => 1,
                };
                let inner = uses(id)
                    .into_iter()
                    .map(|(ty, extra)| ref_depth(ty, &depth) + extra)
                    .max()
                    .unwrap_or(0);
                depth[id] = own + inner;
                on_stack[id] = false;
                continue;
            }
            if depth[id] != UNKNOWN || on_stack[id] {
                continue;
            }
            on_stack[id] = true;
            stack.push((id, true));
            for (ty, _) in uses(id) {
                if let (TypeRef::Named(next), _) = ty.innermost() {
                    if depth.get(next.0) == Some(&UNKNOWN) && !on_stack[next.0] {
                        stack.push((next.0, false));
                    }
                }
            }
        }
    }
    let (deepest, levels) = depth
        .iter()
        .copied()
        .enumerate()
        .max_by_key(|&(id, levels)| (levels, std::cmp::Reverse(id)))?;
    (levels > MAX_TYPE_DEPTH).then(|| {
        let ty = &api.types[deepest];
        Diagnostic::at(
            ty.origin.clone(),
            format!("this schema's type nests {levels} levels deep (fields, items, variants, `Option`s); Rust compiles at most about {MAX_TYPE_DEPTH}"),
        )
        .with_hint("break the chain with a `$ref` cycle or an untyped (`{}`) schema")
    })
}

/// A non-empty text of the `info` object (`openapiv3` does not read the 3.1
/// additions), trimmed.
fn info_text(raw: &Value, pointer: &str) -> Option<String> {
    raw.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A webhook's name as one path segment: kept when it is made of
/// unreserved URL characters (`thingChanged`, `order.created`), else
/// kebab-cased (`Order Created` → `order-created`).
fn webhook_segment(name: &str) -> String {
    let unreserved = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    if !name.is_empty() && name.chars().all(unreserved) && name != "." && name != ".." {
        return name.to_owned();
    }
    let kebab = heck::ToKebabCase::to_kebab_case(name);
    let kebab: String = kebab.chars().filter(|c| unreserved(*c)).collect();
    if kebab.is_empty() {
        "webhook".to_owned()
    } else {
        kebab
    }
}

fn security_alternatives(requirements: &[openapiv3::SecurityRequirement]) -> Vec<Vec<String>> {
    requirements
        .iter()
        .map(|r| r.keys().cloned().collect())
        .collect()
}

impl<'a> Lowering<'a> {
    /// The node `at` designates in the document, if any.
    fn node(&self, at: &Pointer) -> Option<&'a Value> {
        if let Some(&node) = self.nodes.borrow().get(at) {
            return node;
        }
        let node = at.find(self.raw);
        self.nodes.borrow_mut().insert(at.clone(), node);
        node
    }

    /// Resolves a `$ref` to a non-schema component (parameter, response,
    /// request body, path item) into its `openapiv3` type.
    fn resolve_typed<T: serde::de::DeserializeOwned>(
        &self,
        reference: &str,
        at: &Pointer,
    ) -> Result<(Pointer, T), Diagnostic> {
        let mut target = self.ref_target(reference, at)?;
        // References to references are allowed; follow them, refusing loops.
        let mut seen = vec![at.clone()];
        loop {
            let node = self.node(&target).ok_or_else(|| {
                Diagnostic::at(
                    at.to_string(),
                    format!("`$ref` target `{target}` does not exist"),
                )
            })?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(next) => {
                    if seen.contains(&target) {
                        return Err(Diagnostic::at(
                            at.to_string(),
                            format!("cyclic `$ref` chain through `{target}`"),
                        ));
                    }
                    seen.push(target.clone());
                    target = self.ref_target(next, &target.push("$ref"))?;
                }
                None => {
                    let value = crate::load::typed::<T>(node, &target)?;
                    return Ok((target, value));
                }
            }
        }
    }

    /// The OpenAPI 3.1 `webhooks`, as operations the server receives at
    /// `/` + the webhook's name (made a path segment when it is not one).
    /// The top-level `security` is how the API is called, not how it calls
    /// out: a webhook is secured only by its own.
    fn webhooks(&mut self, operations: &mut Vec<Operation>) {
        let raw = self.raw;
        let Some(webhooks) = raw.get("webhooks").and_then(Value::as_object) else {
            return;
        };
        for name in webhooks.keys() {
            let item_at = Pointer::root().push("webhooks").push(name);
            let reference = webhooks[name].get("$ref").and_then(Value::as_str);
            let resolved = match reference {
                Some(reference) => {
                    self.resolve_typed::<openapiv3::PathItem>(reference, &item_at.push("$ref"))
                }
                None => crate::load::typed::<openapiv3::PathItem>(&webhooks[name], &item_at)
                    .map(|item| (item_at.clone(), item)),
            };
            let (item_at, item) = match resolved {
                Ok(resolved) => resolved,
                Err(d) => {
                    self.diagnostics.push(d);
                    continue;
                }
            };
            let path = format!("/{}", webhook_segment(name));
            let methods = operation::methods(&item);
            let several = methods.len() > 1;
            for (method, operation) in methods {
                // Without an `operationId`, a webhook is named after itself
                // (`Thing Deleted` → `thing_deleted`).
                let mut operation = operation.clone();
                if operation
                    .operation_id
                    .as_deref()
                    .is_none_or(|id| id.trim().is_empty())
                {
                    operation.operation_id = Some(if several {
                        format!("{name} {}", operation::method_key(method))
                    } else {
                        name.clone()
                    });
                }
                if let Some(mut op) =
                    self.lower_operation(&path, method, &operation, &item, &item_at, &[])
                {
                    op.webhook = true;
                    operations.push(op);
                }
                self.drain_pending();
            }
        }
    }

    fn security_schemes(&mut self, components: &openapiv3::Components) -> Vec<SecurityScheme> {
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let at = Pointer::root()
                .push("components")
                .push("securitySchemes")
                .push(name);
            let scheme = match scheme {
                openapiv3::ReferenceOr::Item(s) => s.clone(),
                openapiv3::ReferenceOr::Reference { reference } => {
                    match self
                        .resolve_typed::<openapiv3::SecurityScheme>(reference, &at.push("$ref"))
                    {
                        Ok((_, s)) => s,
                        Err(d) => {
                            self.diagnostics.push(d);
                            continue;
                        }
                    }
                }
            };
            use openapiv3::SecurityScheme as S;
            let (kind, description) = match scheme {
                S::HTTP {
                    scheme,
                    description,
                    ..
                } => (
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SecurityKind::Bearer,
                        "basic" => SecurityKind::Basic,
                        other => SecurityKind::Other(format!("http {other}")),
                    },
                    description,
                ),
                S::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    match location {
                        openapiv3::APIKeyLocation::Header => SecurityKind::ApiKeyHeader(name),
                        openapiv3::APIKeyLocation::Query => SecurityKind::ApiKeyQuery(name),
                        openapiv3::APIKeyLocation::Cookie => SecurityKind::ApiKeyCookie(name),
                    },
                    description,
                ),
                S::OAuth2 { description, .. } => {
                    (SecurityKind::Other("oauth2".into()), description)
                }
                S::OpenIDConnect { description, .. } => {
                    (SecurityKind::Other("openIdConnect".into()), description)
                }
            };
            out.push(SecurityScheme {
                wire: name.clone(),
                // Settled by the naming pass.
                name: crate::model::Name::default(),
                kind,
                description,
            });
        }
        out
    }
}
