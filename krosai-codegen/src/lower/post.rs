//! Passes over the whole model once every type exists: names, recursive
//! types, and the JSON shapes that `oneOf` deserialisation relies on.

use crate::ident::{Case, Scope};
use crate::model::{Api, Primitive, Shape, TypeId, TypeKind, TypeRef};

/// Type names the generated `types` module defines itself.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &["ParseEnumError"];

pub(super) fn finish(api: &mut Api, required_names: &[bool]) {
    name_types(api, required_names);
    name_members(api);
    name_operations(api);
    name_client_defaults(api);
    name_server_items(api);
    name_security_schemes(api);
    make_recursive_aliases_newtypes(api);
    box_cycles(api);
    compute_shapes(api);
    detect_pagination(api);
    api.prelude_shadowed = shadows_prelude(api);
}

/// Names of Rust's prelude that generated code uses unqualified when no
/// generated item takes them.
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
];

/// Whether any generated type name (schemas, request builders, shared
/// responses) is a prelude name.
fn shadows_prelude(api: &Api) -> bool {
    let components = api
        .operations
        .iter()
        .flat_map(|op| op.responses.iter())
        .filter_map(|r| r.component.as_deref())
        .map(|c| {
            crate::model::Name::from_source(&crate::ident::sanitize(c, Case::Type))
                .as_str()
                .to_owned()
        });
    api.types
        .iter()
        .map(|t| t.name.as_str().to_owned())
        .chain(
            api.operations
                .iter()
                .map(|op| op.builder_name.as_str().to_owned()),
        )
        .chain(components)
        .any(|name| PRELUDE.contains(&name.trim_end_matches('_')))
}

/// Recognises page-number pagination: an integer `page` query parameter,
/// and a success body (or one variant of it) that is a struct with an
/// array of items (`data`, `items` or `results`) and `total_pages`.
fn detect_pagination(api: &mut Api) {
    use crate::model::{Pagination, ParameterLocation, StatusSpec};
    let mut found = Vec::new();
    for (op_index, op) in api.operations.iter().enumerate() {
        let Some(page_parameter) = op.parameters.iter().position(|p| {
            p.location == ParameterLocation::Query
                && p.wire == "page"
                && matches!(
                    api.resolve(&p.ty),
                    TypeRef::Primitive(Primitive::I32 | Primitive::I64)
                )
        }) else {
            continue;
        };
        let success = op.responses.iter().find(|r| match r.status {
            StatusSpec::Code(code) => (200..300).contains(&code),
            StatusSpec::Range(2) => true,
            _ => false,
        });
        let Some(body) = success.and_then(|r| r.body.as_ref()) else {
            continue;
        };
        // Candidates: the body itself, or each variant of a union body.
        let mut candidates: Vec<(Option<usize>, TypeId)> = Vec::new();
        if let Some(id) = api.resolve(&body.ty).direct_named() {
            match &api.ty(id).kind {
                TypeKind::Struct(_) => candidates.push((None, id)),
                TypeKind::OneOf(o) => {
                    for (index, variant) in o.variants.iter().enumerate() {
                        if let Some(v) = api.resolve(&variant.ty).direct_named() {
                            candidates.push((Some(index), v));
                        }
                    }
                }
                _ => {}
            }
        }
        for (variant, page_type) in candidates {
            let TypeKind::Struct(s) = &api.ty(page_type).kind else {
                continue;
            };
            let items = s.fields.iter().position(|f| {
                ["data", "items", "results"].contains(&f.wire.as_str())
                    && matches!(api.resolve(&f.ty), TypeRef::Array(_))
            });
            let total = s.fields.iter().position(|f| {
                f.wire == "total_pages"
                    && matches!(
                        api.resolve(&f.ty),
                        TypeRef::Primitive(Primitive::I32 | Primitive::I64)
                    )
            });
            if let (Some(items_field), Some(total_pages_field)) = (items, total) {
                let TypeRef::Array(item) = api.resolve(&s.fields[items_field].ty) else {
                    continue;
                };
                let constraints = &op.parameters[page_parameter].constraints;
                let first_page = constraints
                    .default
                    .as_ref()
                    .and_then(serde_json::Value::as_i64)
                    .or(constraints.minimum.map(|b| b.value as i64))
                    .unwrap_or(1);
                found.push((
                    op_index,
                    Pagination {
                        page_parameter,
                        first_page,
                        page_type,
                        variant,
                        items_field,
                        total_pages_field,
                        item: (**item).clone(),
                        stream_name: crate::model::Name::default(),
                    },
                ));
                break;
            }
        }
    }
    let mut methods = Scope::with_reserved(RESERVED_CLIENT_METHODS.iter().copied());
    for op in &api.operations {
        methods.claim_sanitized(op.name.to_string(), Case::Snake);
    }
    for (op_index, mut pagination) in found {
        let base = format!("{}_stream", api.operations[op_index].name.as_str());
        pagination.stream_name = methods.claim(&base, Case::Snake);
        api.operations[op_index].pagination = Some(pagination);
    }
}

/// Component names are claimed first, in spec order, so that an inline
/// type never takes a component's name; inline types follow in the order
/// they were met.
fn name_types(api: &mut Api, required_names: &[bool]) {
    let mut scope = Scope::with_reserved(RESERVED_TYPE_NAMES.iter().copied());
    for pass in [true, false] {
        for (index, ty) in api.types.iter_mut().enumerate() {
            if required_names.get(index).copied().unwrap_or(false) == pass {
                ty.name = scope.claim(ty.name.as_str(), Case::Type);
            }
        }
    }
}

fn name_members(api: &mut Api) {
    let names: Vec<String> = api
        .types
        .iter()
        .map(|t| t.name.as_str().to_owned())
        .collect();
    for ty in &mut api.types {
        match &mut ty.kind {
            TypeKind::Struct(s) => {
                let mut scope = Scope::new();
                for field in &mut s.fields {
                    field.name = if field.flatten {
                        scope.claim(field.name.as_str(), Case::Snake)
                    } else {
                        scope.claim(&field.wire, Case::Snake)
                    };
                }
                if s.additional.is_some() {
                    s.additional_name = scope.claim("additional_properties", Case::Snake);
                }
            }
            TypeKind::Enum(e) => {
                let mut scope = Scope::new();
                for variant in &mut e.variants {
                    variant.name = scope.claim(&variant.wire, Case::Variant);
                }
                e.unknown = Some(claim_unknown(&mut scope));
            }
            TypeKind::OneOf(o) => {
                let mut scope = Scope::new();
                for variant in &mut o.variants {
                    variant.name = scope.claim(&variant_name(&variant.ty, &names), Case::Variant);
                }
                o.unknown = Some(claim_unknown(&mut scope));
            }
            TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Tuple(_) => {}
        }
    }
}

/// The variant of an open enum or union that keeps other values: `Unknown`,
/// or `UnknownValue` when a listed value already takes `Unknown`. Named
/// whether or not the enums are generated open, so that the other names do
/// not depend on that choice.
fn claim_unknown(scope: &mut Scope) -> crate::model::Name {
    let base = if scope.is_taken("Unknown") {
        "UnknownValue"
    } else {
        "Unknown"
    };
    scope.claim(base, Case::Variant)
}

/// A variant of a union is named after the type it holds.
fn variant_name(ty: &TypeRef, names: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => names.get(id.0).cloned().unwrap_or_default(),
        TypeRef::Nullable(inner) => variant_name(inner, names),
        TypeRef::Array(inner) => format!("{}List", variant_name(inner, names)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner, names)),
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "Boolean",
            Primitive::I32 | Primitive::I64 => "Integer",
            Primitive::F32 | Primitive::F64 => "Number",
            Primitive::Uuid => "Uuid",
            Primitive::DateTime => "DateTime",
            Primitive::Date => "Date",
            Primitive::Bytes => "Bytes",
            Primitive::Json => "Value",
            Primitive::JsonObject => "Object",
        }
        .to_owned(),
    }
}

/// Methods of the generated `Client` that operations must not shadow.
pub(crate) const RESERVED_CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "http_client",
    "url",
    "call",
    "authorize",
    "authorize_url",
];

/// Types the generated `client` module defines itself.
pub(crate) const RESERVED_CLIENT_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "ClientError",
    "Response",
    "AuthScheme",
    "Violation",
    "Secret",
    "RetryPolicy",
    "RequestOptions",
];

/// Methods of a request builder that parameter setters must not shadow
/// (generated locals never take a parameter's name).
pub(crate) const RESERVED_PARAMETER_NAMES: &[&str] = &[
    "send",
    "into_future",
    "into_stream",
    "body",
    "options",
    "request",
    "answer",
];

/// Methods of the generated `ClientBuilder` that default setters must not
/// shadow.
pub(crate) const RESERVED_BUILDER_METHODS: &[&str] = &[
    "api_key",
    "api_key_with",
    "timeout",
    "user_agent",
    "http_client",
    "build",
    "retry",
    "service",
];

/// Finds the header parameters every operation has (same name, any case,
/// and same type) and names the client builder's setter for each.
fn name_client_defaults(api: &mut Api) {
    use crate::model::ParameterLocation;
    let Some(first) = api.called().next() else {
        return;
    };
    let mut setters = Scope::with_reserved(RESERVED_BUILDER_METHODS.iter().copied());
    let mut defaults = Vec::new();
    for (index, p) in first.parameters.iter().enumerate() {
        if p.location != ParameterLocation::Header {
            continue;
        }
        let everywhere = api.called().all(|op| {
            op.parameters.iter().any(|q| {
                q.location == ParameterLocation::Header
                    && q.wire.eq_ignore_ascii_case(&p.wire)
                    && q.ty == p.ty
            })
        });
        if !everywhere {
            continue;
        }
        let name = p.name.as_str();
        let stripped = name
            .strip_prefix("x_")
            .filter(|s| !s.is_empty())
            .unwrap_or(name);
        defaults.push(crate::model::ClientDefault {
            wire: p.wire.clone(),
            parameter: index,
            setter: setters.claim(stripped, Case::Snake),
            field: crate::model::Name::from_source(&format!("default_{name}")),
        });
    }
    api.client_defaults = defaults;
}

/// Names the security schemes' variants (`api-key` and `api_key` are
/// `ApiKey` and `ApiKey2`).
fn name_security_schemes(api: &mut Api) {
    let mut scope = Scope::new();
    for scheme in &mut api.security_schemes {
        scheme.name = scope.claim(&scheme.wire, Case::Variant);
    }
}

/// Type names the generated `server` module defines itself.
pub(crate) const RESERVED_SERVER_TYPES: &[&str] = &[
    "Authenticator",
    "NoAuthentication",
    "Credentials",
    "Rejection",
    "RequestContext",
    "Violation",
    "Limits",
];

/// Function names the generated `server` module defines itself.
pub(crate) const RESERVED_SERVER_FUNCTIONS: &[&str] = &[
    "router",
    "router_with",
    "webhooks_router",
    "webhooks_router_with",
    "limit_time",
    "authenticate",
    "error_response",
    "bad_request",
    "not_found",
    "method_not_allowed",
    "json_response",
    "parse_uuid",
    "parse_date",
    "parse_date_time",
];

/// Names the server module's types in one scope: the traits (one per first
/// tag, in declared tag order), the shared response components, then per
/// operation its request type and response enum.
fn name_server_items(api: &mut Api) {
    let mut scope = Scope::with_reserved(RESERVED_SERVER_TYPES.iter().copied());
    // Webhooks have traits of their own, after the operations' traits.
    let mut tags: Vec<(bool, String)> = Vec::new();
    for op in &api.operations {
        let key = (op.webhook, op.trait_tag());
        if !tags.contains(&key) {
            tags.push(key);
        }
    }
    tags.sort_by_key(|(webhook, t)| {
        (
            *webhook,
            api.tags
                .iter()
                .position(|d| d.wire == *t)
                .unwrap_or(usize::MAX),
        )
    });
    api.server_traits = tags
        .iter()
        .map(|(webhooks, tag)| crate::model::ServerTrait {
            tag: tag.clone(),
            webhooks: *webhooks,
            name: if *webhooks {
                // `default` alone is `Webhooks`, as it is `DefaultApi`.
                let stem = if tag == "default" { "" } else { tag.as_str() };
                scope.claim(&format!("{stem} webhooks"), Case::Type)
            } else {
                scope.claim(&format!("{tag} api"), Case::Type)
            },
        })
        .collect();
    let mut shared: Vec<crate::model::SharedResponse> = Vec::new();
    for r in api.operations.iter().flat_map(|op| &op.responses) {
        // A shared response with headers is built per operation.
        if let (Some(component), None) = (&r.component, r.headers_type) {
            if !shared.iter().any(|s| s.component == *component) {
                shared.push(crate::model::SharedResponse {
                    component: component.clone(),
                    name: scope.claim(component, Case::Type),
                    body: r.body.as_ref().map(|b| b.ty.clone()),
                });
            }
        }
    }
    api.shared_responses = shared;
    // Handlers are functions: their own scope, next to the module's fixed
    // functions.
    let mut functions = Scope::with_reserved(RESERVED_SERVER_FUNCTIONS.iter().copied());
    for op in &mut api.operations {
        op.handler_name = functions.claim(&format!("handle {}", op.operation_id), Case::Snake);
        op.request_name = scope.claim(&format!("{} request", op.type_stem), Case::Type);
        op.response_name = scope.claim(&format!("{} response", op.type_stem), Case::Type);
        let key = (op.webhook, op.trait_tag());
        op.server_trait = tags.iter().position(|t| *t == key).unwrap_or(0);
    }
}

fn name_operations(api: &mut Api) {
    let mut scope = Scope::with_reserved(RESERVED_CLIENT_METHODS.iter().copied());
    let mut builders = Scope::with_reserved(RESERVED_CLIENT_TYPES.iter().copied());
    for op in &mut api.operations {
        op.name = scope.claim(&op.operation_id, Case::Snake);
        op.builder_name = builders.claim(&op.type_stem, Case::Type);
        let mut params = Scope::with_reserved(RESERVED_PARAMETER_NAMES.iter().copied());
        for parameter in &mut op.parameters {
            parameter.name = params.claim(&parameter.wire, Case::Snake);
        }
        // The parameter struct's fields are the parameters, in the same
        // order: they get the same names.
        if let Some(id) = op.params_type {
            if let Some(TypeKind::Struct(s)) = api.types.get_mut(id.0).map(|t| &mut t.kind) {
                for (field, parameter) in s.fields.iter_mut().zip(&op.parameters) {
                    field.name = parameter.name.clone();
                }
            }
        }
        for response in &mut op.responses {
            let mut scope = Scope::new();
            for header in &mut response.headers {
                header.name = scope.claim(&header.wire, Case::Snake);
            }
        }
    }
    // After every builder, so that a builder keeps its plain name.
    for op in &mut api.operations {
        op.success_name = builders.claim(&format!("{} success", op.type_stem), Case::Type);
    }
}

/// Named types referred to from `ty`, through any container.
fn mentions(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mentions(inner, out)
        }
        TypeRef::Primitive(_) => {}
    }
}

/// A `type` alias cannot refer to itself, even through `Vec`; such an alias
/// becomes a newtype struct.
fn make_recursive_aliases_newtypes(api: &mut Api) {
    let count = api.types.len();
    for start in 0..count {
        let TypeKind::Alias(target) = &api.types[start].kind else {
            continue;
        };
        let mut stack = Vec::new();
        mentions(target, &mut stack);
        let mut seen = vec![false; count];
        let mut recursive = false;
        while let Some(id) = stack.pop() {
            if id.0 == start {
                recursive = true;
                break;
            }
            if id.0 >= count || seen[id.0] {
                continue;
            }
            seen[id.0] = true;
            if let TypeKind::Alias(next) = &api.types[id.0].kind {
                mentions(next, &mut stack);
            }
        }
        if recursive {
            if let TypeKind::Alias(target) = &api.types[start].kind {
                api.types[start].kind = TypeKind::Newtype(target.clone());
            }
        }
    }
}

/// Edges "contains by value" (no `Vec` or map in between): the types that
/// must be boxed somewhere in a cycle of these to have a finite size.
fn by_value_edges(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| f.ty.direct_named())
            .collect(),
        TypeKind::OneOf(o) => o
            .variants
            .iter()
            .filter_map(|v| v.ty.direct_named())
            .collect(),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => t.direct_named().into_iter().collect(),
        TypeKind::Tuple(items) => items.iter().filter_map(|i| i.ty.direct_named()).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Boxes every by-value reference between two types of the same strongly
/// connected component (Tarjan's algorithm, iterative so that deep specs
/// cannot overflow the stack). This may box a little more than the minimum,
/// but it is simple, deterministic and always yields finite types.
fn box_cycles(api: &mut Api) {
    let count = api.types.len();
    let edges: Vec<Vec<TypeId>> = api.types.iter().map(|t| by_value_edges(&t.kind)).collect();
    let component = strongly_connected(&edges);
    for (index, ty) in api.types.iter_mut().enumerate() {
        let same = |id: TypeId| id.0 < count && component[id.0] == component[index];
        match &mut ty.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = field.ty.direct_named().is_some_and(same);
                }
            }
            TypeKind::OneOf(o) => {
                for variant in &mut o.variants {
                    variant.boxed = variant.ty.direct_named().is_some_and(same);
                }
            }
            TypeKind::Tuple(items) => {
                for item in items {
                    item.boxed = item.ty.direct_named().is_some_and(same);
                }
            }
            // An alias or newtype in a by-value cycle is broken by the
            // struct or union on the other side of it.
            TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Enum(_) => {}
        }
    }
}

/// Tarjan's strongly connected components; returns a component number per
/// node.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0usize;
    let mut next_component = 0usize;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to visit)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(*edge).map(|t| t.0) {
                *edge += 1;
                if target >= n {
                    continue;
                }
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// What JSON values of a type look like.
pub(crate) fn shape_of(api: &Api, ty: &TypeRef, depth: usize) -> Shape {
    if depth > 32 {
        return Shape::Any;
    }
    match ty {
        TypeRef::Nullable(inner) => shape_of(api, inner, depth + 1),
        TypeRef::Array(_) => Shape::Array,
        TypeRef::Map(_) => Shape::Object {
            known: Vec::new(),
            required: Vec::new(),
            closed: false,
        },
        TypeRef::Primitive(p) => match p {
            Primitive::String
            | Primitive::Uuid
            | Primitive::DateTime
            | Primitive::Date
            | Primitive::Bytes => Shape::String,
            Primitive::I32 | Primitive::I64 => Shape::Integer,
            Primitive::F32 | Primitive::F64 => Shape::Number,
            Primitive::Bool => Shape::Boolean,
            Primitive::Json => Shape::Any,
            Primitive::JsonObject => Shape::Object {
                known: Vec::new(),
                required: Vec::new(),
                closed: false,
            },
        },
        TypeRef::Named(id) => match api.types.get(id.0).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                if s.fields.iter().any(|f| f.flatten) {
                    // The keys of a flattened union are not known here.
                    return Shape::Object {
                        known: Vec::new(),
                        required: Vec::new(),
                        closed: false,
                    };
                }
                Shape::Object {
                    known: s.fields.iter().map(|f| f.wire.clone()).collect(),
                    required: s
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.wire.clone())
                        .collect(),
                    closed: s.closed,
                }
            }
            Some(TypeKind::Enum(e)) => match e.repr {
                crate::model::EnumRepr::String => Shape::String,
                crate::model::EnumRepr::Integer => Shape::Integer,
            },
            Some(TypeKind::Alias(t)) | Some(TypeKind::Newtype(t)) => shape_of(api, t, depth + 1),
            Some(TypeKind::Tuple(_)) => Shape::Array,
            Some(TypeKind::OneOf(_)) | None => Shape::Any,
        },
    }
}

fn compute_shapes(api: &mut Api) {
    let mut shapes = Vec::new();
    for ty in &api.types {
        if let TypeKind::OneOf(o) = &ty.kind {
            shapes.push(
                o.variants
                    .iter()
                    .map(|v| shape_of(api, &v.ty, 0))
                    .collect::<Vec<_>>(),
            );
        } else {
            shapes.push(Vec::new());
        }
    }
    for (ty, shapes) in api.types.iter_mut().zip(shapes) {
        if let TypeKind::OneOf(o) = &mut ty.kind {
            for (variant, shape) in o.variants.iter_mut().zip(shapes) {
                variant.shape = shape;
            }
        }
    }
}
