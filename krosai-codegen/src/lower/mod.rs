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
use crate::model::{Api, Operation, SecurityKind, SecurityScheme, Server, Tag, TypeId, TypeRef};
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
}

/// Lowers a document that `openapiv3` has parsed; `raw` is the same
/// document as JSON (schemas are read from it by pointer).
pub(crate) fn lower(doc: &OpenAPI, raw: &Value) -> Result<Api, Error> {
    let mut lowering = Lowering {
        raw,
        drafts: Vec::new(),
        named: HashMap::new(),
        inline: HashMap::new(),
        inline_enums: EnumTable::new(),
        pending: VecDeque::new(),
        diagnostics: Vec::new(),
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
        servers,
        types: Vec::new(),
        operations,
        security_schemes,
        security: top_security,
        tags,
        document: serde_json::to_string(raw).unwrap_or_default(),
        client_defaults: Vec::new(),
        server_traits: Vec::new(),
        shared_responses: Vec::new(),
        prelude_shadowed: false,
    };
    let required_names: Vec<bool> = drafts.iter().map(|d| d.required_name).collect();
    api.types = schema::finish(drafts);
    post::finish(&mut api, &required_names);
    Ok(api)
}

fn security_alternatives(requirements: &[openapiv3::SecurityRequirement]) -> Vec<Vec<String>> {
    requirements
        .iter()
        .map(|r| r.keys().cloned().collect())
        .collect()
}

impl Lowering<'_> {
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
            let node = self.raw.pointer(target.as_json_pointer()).ok_or_else(|| {
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
