//! The `server` module: one trait per tag, typed requests and responses,
//! and an `axum::Router` that does all the HTTP work.
//!
//! The router authenticates, parses and validates every parameter (listing
//! all violations in one `400` with the spec's error schema), applies
//! defaults, calls the trait, and turns the typed response into HTTP. A
//! handler never sees axum types, so it is tested as plain async Rust.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, rust_type, Scope as TypeScope};
use crate::ident::{to_ident, Case, Scope};
use crate::model::{
    Api, BodyEncoding, EnumRepr, Field, Method, Operation, Parameter, ParameterLocation,
    ParameterStyle, Primitive, Response, SecurityKind, StatusSpec, Struct, TypeId, TypeKind,
    TypeRef,
};

/// The longest parameter value accepted when the spec sets no `maxLength`.
/// Names chosen for the server module.
struct Names {
    /// Per operation: (request type, response enum, trait index).
    ops: Vec<(String, String, usize)>,
    /// Trait names, one per tag that has operations.
    traits: Vec<String>,
    /// Shared response components: (component name, Rust name, body type).
    shared: Vec<(String, String, Option<TypeRef>)>,
    /// The routes, in spec order.
    routes: Vec<Route>,
    /// Operations the router cannot serve, with the reason (their requests
    /// get 404 or 405 like any unknown route).
    unrouted: Vec<(usize, String)>,
    /// The spec has its own `GET /openapi.json`: the router does not add
    /// one.
    spec_serves_openapi_json: bool,
}

/// An axum path and the operations it serves: (method, operation index).
type Route = (String, Vec<(Method, usize)>);

/// Groups operations by axum path, in spec order, checking every path with
/// axum's own matcher. Two templates that differ only in parameter names
/// are one route: a method they both declare goes to the first operation.
fn route_table(api: &Api) -> (Vec<Route>, Vec<(usize, String)>) {
    let mut routes: Vec<Route> = Vec::new();
    let mut unrouted = Vec::new();
    let mut matcher: matchit::Router<()> = matchit::Router::new();
    for (index, op) in api.operations.iter().enumerate() {
        let path = axum_path(op);
        match routes.iter_mut().find(|(p, _)| *p == path) {
            Some((_, methods)) => match methods.iter().find(|(m, _)| *m == op.method) {
                Some((_, first)) => unrouted.push((
                    index,
                    format!(
                        "`{} {}` is the same route as `{}`",
                        op.method.as_str(),
                        op.path,
                        api.operations[*first].path
                    ),
                )),
                None => methods.push((op.method, index)),
            },
            None => match matcher.insert(path.as_str(), ()) {
                Ok(()) => routes.push((path, vec![(op.method, index)])),
                Err(error) => unrouted.push((
                    index,
                    format!(
                        "`{} {}` cannot be routed by axum: {error}",
                        op.method.as_str(),
                        op.path
                    ),
                )),
            },
        }
    }
    (routes, unrouted)
}

/// The server module's names, as lowering decided them, with the routes.
fn names(api: &Api) -> Names {
    let ops = api
        .operations
        .iter()
        .map(|op| {
            (
                op.request_name.clone(),
                op.response_name.clone(),
                op.server_trait,
            )
        })
        .collect();
    let traits = api.server_traits.iter().map(|t| t.name.clone()).collect();
    let shared = api
        .shared_responses
        .iter()
        .map(|s| (s.component.clone(), s.name.clone(), s.body.clone()))
        .collect();
    let (routes, unrouted) = route_table(api);
    let spec_serves_openapi_json = routes.iter().any(|(path, methods)| {
        path == "/openapi.json" && methods.iter().any(|(m, _)| *m == Method::Get)
    });
    Names {
        ops,
        traits,
        shared,
        routes,
        unrouted,
        spec_serves_openapi_json,
    }
}

/// How to fill the spec's error schema: which properties carry the
/// message, the machine code and the details.
struct ErrorShape {
    ty: TypeId,
    message: usize,
    code: Option<usize>,
    details: Option<usize>,
}

fn resolve(api: &Api, ty: &TypeRef) -> TypeRef {
    api.resolve(ty).clone()
}

fn is_string(api: &Api, ty: &TypeRef) -> bool {
    matches!(resolve(api, ty), TypeRef::Primitive(Primitive::String))
}

/// Whether a field can hold any JSON object (an error's `details`).
fn holds_json_object(api: &Api, ty: &TypeRef) -> bool {
    matches!(
        resolve(api, ty),
        TypeRef::Primitive(Primitive::JsonObject | Primitive::Json) | TypeRef::Map(_)
    )
}

/// Recognises an error schema the server can fill: a struct with a string
/// message property (`error`, `message`, `detail`, `title`, or the only
/// required string), optionally a string `code` and an object `details`,
/// and no other required property.
fn error_shape(api: &Api, ty: &TypeRef) -> Option<ErrorShape> {
    let id = resolve(api, ty).direct_named()?;
    let TypeKind::Struct(s) = &api.ty(id).kind else {
        return None;
    };
    let find = |names: &[&str], pred: &dyn Fn(&Field) -> bool| {
        s.fields
            .iter()
            .position(|f| !f.flatten && names.contains(&f.wire.as_str()) && pred(f))
    };
    let message = find(
        &["error", "message", "detail", "title", "error_message"],
        &|f| is_string(api, &f.ty),
    )
    .or_else(|| {
        let required: Vec<usize> = s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.required && is_string(api, &f.ty))
            .map(|(i, _)| i)
            .collect();
        (required.len() == 1).then(|| required[0])
    })?;
    let code =
        find(&["code", "error_code", "type"], &|f| is_string(api, &f.ty)).filter(|i| *i != message);
    let details = find(&["details", "errors", "meta"], &|f| {
        holds_json_object(api, &f.ty)
    });
    let fillable = s.fields.iter().enumerate().all(|(i, f)| {
        !f.required || f.nullable || i == message || Some(i) == code || Some(i) == details
    }) && s.fields.iter().all(|f| !f.flatten);
    fillable.then_some(ErrorShape {
        ty: id,
        message,
        code,
        details,
    })
}

/// The error schema the router answers bad requests with: the body of the
/// spec's 400 responses, else 401, else any 4xx, as long as it can be
/// filled.
fn api_error_shape(api: &Api) -> Option<ErrorShape> {
    let bodies = |pred: &dyn Fn(StatusSpec) -> bool| -> Vec<TypeRef> {
        api.operations
            .iter()
            .flat_map(|op| op.responses.iter())
            .filter(|r| pred(r.status))
            .filter_map(|r| r.body.as_ref())
            .filter(|b| b.encoding == BodyEncoding::Json)
            .map(|b| b.ty.clone())
            .collect()
    };
    let candidates = [
        bodies(&|s| s == StatusSpec::Code(400)),
        bodies(&|s| s == StatusSpec::Code(401)),
        bodies(&|s| matches!(s, StatusSpec::Code(400..=499) | StatusSpec::Range(4))),
        bodies(&|s| s == StatusSpec::Default),
    ];
    candidates
        .iter()
        .flatten()
        .find_map(|ty| error_shape(api, ty))
}

/// A struct literal of the error type, from `message`, `code` and
/// `details` expressions.
fn error_literal(
    api: &Api,
    shape: &ErrorShape,
    message: TokenStream,
    code: TokenStream,
    details: TokenStream,
) -> TokenStream {
    let ty = to_ident(&api.ty(shape.ty).name);
    let TypeKind::Struct(s) = &api.ty(shape.ty).kind else {
        return quote!();
    };
    let fields = s.fields.iter().enumerate().map(|(i, f)| {
        let name = to_ident(&f.name);
        let value = if i == shape.message {
            if f.is_optional() {
                quote!(::std::option::Option::Some(#message))
            } else {
                message.clone()
            }
        } else if Some(i) == shape.code {
            if f.is_optional() {
                quote!(::std::option::Option::Some(#code))
            } else {
                code.clone()
            }
        } else if Some(i) == shape.details {
            let value = details_value(api, &f.ty, details.clone());
            if f.is_optional() {
                quote!(#value)
            } else {
                quote!(#value.unwrap_or_default())
            }
        } else {
            quote!(::std::option::Option::None)
        };
        quote!(#name: #value,)
    });
    let additional = s.additional.as_ref().map(|_| {
        let name = to_ident(&s.additional_name);
        quote!(#name: ::std::default::Default::default(),)
    });
    quote!(super::types::#ty { #(#fields)* #additional })
}

/// Converts `details` (an `Option<serde_json::Map>` expression) into the
/// details field's type, as an `Option`.
fn details_value(api: &Api, ty: &TypeRef, details: TokenStream) -> TokenStream {
    match resolve(api, ty) {
        TypeRef::Primitive(Primitive::JsonObject) => details,
        TypeRef::Primitive(Primitive::Json) => quote!(#details.map(::serde_json::Value::Object)),
        TypeRef::Map(_) => {
            quote!(#details.and_then(|m| ::serde_json::from_value(::serde_json::Value::Object(m)).ok()))
        }
        _ => quote!(::std::option::Option::None),
    }
}

/// One `/`-separated segment of a path template.
enum RouteSegment {
    /// Literal text only.
    Literal(String),
    /// Exactly one parameter (index in the operation's parameters).
    Whole(usize),
    /// Parameters mixed with text (`{name}.{ext}`, `{base}...{head}`):
    /// axum matches the whole segment, the handler splits it.
    Composite(Vec<crate::model::PathSegment>),
}

/// The path template split on `/`.
fn route_segments(op: &Operation) -> Vec<RouteSegment> {
    use crate::model::PathSegment;
    let mut raw: Vec<Vec<PathSegment>> = vec![Vec::new()];
    for piece in &op.path_segments {
        match piece {
            PathSegment::Literal(text) => {
                for (index, part) in text.split('/').enumerate() {
                    if index > 0 {
                        raw.push(Vec::new());
                    }
                    if let (false, Some(last)) = (part.is_empty(), raw.last_mut()) {
                        last.push(PathSegment::Literal(part.to_owned()));
                    }
                }
            }
            PathSegment::Parameter(index) => {
                if let Some(last) = raw.last_mut() {
                    last.push(PathSegment::Parameter(*index));
                }
            }
        }
    }
    raw.into_iter()
        .map(|pieces| match pieces.as_slice() {
            [PathSegment::Parameter(index)] => RouteSegment::Whole(*index),
            _ if pieces.iter().all(|p| matches!(p, PathSegment::Literal(_))) => {
                RouteSegment::Literal(
                    pieces
                        .iter()
                        .map(|p| match p {
                            PathSegment::Literal(text) => text.as_str(),
                            PathSegment::Parameter(_) => "",
                        })
                        .collect(),
                )
            }
            _ => RouteSegment::Composite(pieces),
        })
        .collect()
}

/// The axum route of an operation: literal text (braces escaped), and each
/// segment holding parameters as `{p0}`, `{p1}`... by position. Positional
/// names keep routes that share a prefix consistent (axum requires one
/// name per position) and accept any spec parameter name; a segment that
/// mixes parameters and text is matched whole (axum allows one parameter
/// per segment, with nothing after it).
fn axum_path(op: &Operation) -> String {
    // axum refuses a path that does not start with `/`.
    let mut path = if op.path.starts_with('/') {
        String::new()
    } else {
        String::from("/")
    };
    let mut position = 0;
    for (index, segment) in route_segments(op).into_iter().enumerate() {
        if index > 0 {
            path.push('/');
        }
        match segment {
            RouteSegment::Literal(text) => {
                path.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            RouteSegment::Whole(_) | RouteSegment::Composite(_) => {
                path.push_str(&format!("{{p{position}}}"));
                position += 1;
            }
        }
    }
    path
}

/// The name the handler finds a path parameter's value under: `p0` for a
/// whole segment, `p0_1` for the second parameter of a mixed segment.
fn axum_parameter_name(op: &Operation, parameter: usize) -> Option<String> {
    let mut position = 0;
    for segment in route_segments(op) {
        match segment {
            RouteSegment::Literal(_) => continue,
            RouteSegment::Whole(index) if index == parameter => {
                return Some(format!("p{position}"));
            }
            RouteSegment::Composite(pieces) => {
                let inner = pieces
                    .iter()
                    .filter(|p| matches!(p, crate::model::PathSegment::Parameter(_)))
                    .position(
                        |p| matches!(p, crate::model::PathSegment::Parameter(i) if *i == parameter),
                    );
                if let Some(inner) = inner {
                    return Some(format!("p{position}_{inner}"));
                }
            }
            RouteSegment::Whole(_) => {}
        }
        position += 1;
    }
    None
}

/// Statements splitting each mixed segment's value into its parameters
/// (`p0` → `p0_0`, `p0_1`), answering 404 when it does not have the
/// template's shape.
fn split_composite_segments(op: &Operation) -> TokenStream {
    let mut position = 0;
    let mut out = Vec::new();
    for segment in route_segments(op) {
        match segment {
            RouteSegment::Literal(_) => continue,
            RouteSegment::Whole(_) => {}
            RouteSegment::Composite(pieces) => {
                let mut pattern = String::from("^");
                let mut names = Vec::new();
                for piece in &pieces {
                    match piece {
                        crate::model::PathSegment::Literal(text) => {
                            pattern.push_str(&regex::escape(text))
                        }
                        // Greedy: an ambiguous value splits at the last
                        // separator (`a.b.json` is `a.b` and `json`).
                        crate::model::PathSegment::Parameter(_) => {
                            pattern.push_str("(.+)");
                            names.push(format!("p{position}_{}", names.len()));
                        }
                    }
                }
                pattern.push('$');
                let key = format!("p{position}");
                out.push(quote! {
                    {
                        static SEGMENT: ::std::sync::LazyLock<::std::option::Option<::regex::Regex>> =
                            ::std::sync::LazyLock::new(|| ::regex::Regex::new(#pattern).ok());
                        if !runtime::split_segment(&mut path_params, #key, SEGMENT.as_ref(), &[#(#names),*]) {
                            return not_found().await;
                        }
                    }
                });
            }
        }
        position += 1;
    }
    quote!(#(#out)*)
}

/// The schemes an operation accepts, in the order of the spec's schemes.
fn allowed_schemes<'a>(
    op: &Operation,
    schemes: &[&'a crate::model::SecurityScheme],
) -> Vec<&'a str> {
    schemes
        .iter()
        .filter(|s| op.security.iter().any(|alt| alt.contains(&s.wire)))
        .map(|s| s.wire.as_str())
        .collect()
}

/// The distinct sets of accepted schemes, in order of first use: each
/// becomes one `SECURITY_n` constant the handlers share.
fn security_sets(api: &Api) -> Vec<Vec<&str>> {
    let schemes = secured_schemes(api);
    let mut sets: Vec<Vec<&str>> = Vec::new();
    for op in &api.operations {
        let set = allowed_schemes(op, &schemes);
        if !sets.contains(&set) {
            sets.push(set);
        }
    }
    sets
}

/// The security schemes the router reads credentials for.
fn secured_schemes(api: &Api) -> Vec<&crate::model::SecurityScheme> {
    api.security_schemes.iter().collect()
}

fn status_literal(status: StatusSpec) -> Option<u16> {
    match status {
        StatusSpec::Code(code) => Some(code),
        _ => None,
    }
}

/// Everything in the server module but the per-operation items.
fn server_core(api: &Api) -> TokenStream {
    let names = names(api);
    let error = api_error_shape(api);
    let schemes = secured_schemes(api);
    let credential_variants = schemes.iter().map(|s| {
        let ident = to_ident(&s.name);
        let how = match &s.kind {
            SecurityKind::ApiKeyHeader(h) => format!("the `{h}` header"),
            SecurityKind::ApiKeyQuery(q) => format!("the `{q}` query parameter"),
            SecurityKind::ApiKeyCookie(c) => format!("the `{c}` cookie"),
            SecurityKind::Basic => {
                "`Authorization: Basic` (the base64 `user:password` token, as sent)".to_owned()
            }
            _ => "`Authorization: Bearer`".to_owned(),
        };
        let doc = doc_attrs(&format!("`{}`: a key from {how}.", s.wire));
        quote!(#doc #ident(::std::string::String),)
    });
    let credentials_enum = quote! {
        /// The credentials a request carried: one variant per security
        /// scheme of the spec.
        #[derive(Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Credentials {
            #(#credential_variants)*
        }

        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                // Keys never appear in logs.
                f.write_str("Credentials(..)")
            }
        }
    };

    let security_consts = security_sets(api)
        .into_iter()
        .enumerate()
        .map(|(index, set)| {
            let name = format_ident!("SECURITY_{}", index);
            let entries = set
                .iter()
                .filter_map(|wire| schemes.iter().find(|s| s.wire == *wire))
                .map(|s| {
                    let variant = to_ident(&s.name);
                    let source = match &s.kind {
                        SecurityKind::ApiKeyHeader(h) => quote!(runtime::Source::Header(#h)),
                        SecurityKind::ApiKeyQuery(q) => quote!(runtime::Source::Query(#q)),
                        SecurityKind::ApiKeyCookie(c) => quote!(runtime::Source::Cookie(#c)),
                        SecurityKind::Basic => quote!(runtime::Source::Basic),
                        _ => quote!(runtime::Source::Bearer),
                    };
                    quote!((#source, Credentials::#variant))
                });
            let doc = doc_attrs(&format!(
                "Where the credentials of operations secured by {} are looked for, in order.",
                set.iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
            quote! {
                #doc
                #[allow(dead_code)]
                const #name: &[runtime::CredentialSource<Credentials>] = &[#(#entries),*];
            }
        });
    let error_fn = emit_error_fn(api, error.as_ref());
    let uses_multipart = api.operations.iter().any(|o| {
        o.request_body.as_ref().is_some_and(|b| {
            b.encoding == BodyEncoding::Multipart && super::multipart_struct(api, &b.ty).is_some()
        })
    });
    let header_writers = super::header_structs(api).into_iter().map(|(id, s)| {
        let ty = rust_type(api, &TypeRef::Named(id), TypeScope::Sibling);
        let fields = s.fields.iter().map(|f| {
            let field = to_ident(&f.name);
            let wire = &f.wire;
            let text = header_text(api, &f.ty, quote!(value));
            quote! {
                if let (::std::option::Option::Some(value), ::std::result::Result::Ok(name)) =
                    (&self.#field, ::axum::http::HeaderName::from_bytes(#wire.as_bytes()))
                {
                    if let ::std::result::Result::Ok(value) = ::axum::http::HeaderValue::from_str(&#text) {
                        map.insert(name, value);
                    }
                }
            }
        });
        quote! {
            impl #ty {
                /// Sets the headers that are `Some` (a value a header cannot
                /// carry is left out).
                fn write_headers(&self, map: &mut ::axum::http::HeaderMap) {
                    #(#fields)*
                }
            }
        }
    });
    let multipart_support = uses_multipart.then(|| {
        quote! {
            /// The parts of a `multipart/form-data` body; `None` when the
            /// request has no body at all.
            async fn multipart_body(
                parts: &::axum::http::request::Parts,
                body: ::axum::body::Body,
            ) -> ::std::option::Option<::std::result::Result<::axum::extract::Multipart, ::std::string::String>> {
                let content_type = parts.headers.get(::axum::http::header::CONTENT_TYPE)?;
                let mut request = ::axum::extract::Request::new(body);
                request.headers_mut().insert(::axum::http::header::CONTENT_TYPE, content_type.clone());
                ::std::option::Option::Some(
                    <::axum::extract::Multipart as ::axum::extract::FromRequest<()>>::from_request(request, &())
                        .await
                        .map_err(|rejection| rejection.body_text()),
                )
            }

            /// A multipart field's value: JSON when it parses as such,
            /// else its text as a JSON string (an enum, a UUID, a date).
            #[allow(dead_code)]
            fn part_value<T: ::serde::de::DeserializeOwned>(data: &[u8]) -> ::std::result::Result<T, ::std::string::String> {
                ::serde_json::from_slice(data).or_else(|_| {
                    let text = ::std::str::from_utf8(data).map_err(|_| "must be UTF-8 text".to_owned())?;
                    ::serde_json::from_value(::serde_json::Value::String(text.to_owned()))
                        .map_err(|_| "must be a value of the documented schema".to_owned())
                })
            }
        }
    });
    let shared_structs = names.shared.iter().map(|(component, name, body)| {
        emit_shared(api, component, name, body.as_ref(), error.as_ref())
    });
    let traits = names.traits.iter().enumerate().map(|(index, name)| {
        let ident = to_ident(name);
        let tag_wire = api
            .operations
            .iter()
            .zip(&names.ops)
            .find(|(_, (_, _, i))| *i == index)
            .map(|(op, _)| op.trait_tag())
            .unwrap_or_default();
        let description = api
            .tags
            .iter()
            .find(|t| t.wire == tag_wire)
            .and_then(|t| t.description.clone());
        let mut text = format!("The operations tagged `{tag_wire}`.");
        if let Some(d) = description {
            text.push_str("\n\n");
            text.push_str(&d);
        }
        text.push_str("\n\nImplement it for your storage and pass it to [`router`]. Each method gets a request whose parameters are already parsed, validated and defaulted, and returns the response for one documented status; `Err` carries a response too, so that `?` works on the shared error responses.");
        let doc = doc_attrs(&text);
        let methods = api
            .operations
            .iter()
            .zip(&names.ops)
            .filter(|(_, (_, _, i))| *i == index)
            .map(|(op, (request, response, _))| {
                let method = to_ident(&op.name);
                let request = to_ident(request);
                let response = to_ident(response);
                let context = if op.security.iter().any(|alt| !alt.is_empty()) {
                    quote!(RequestContext<Self::Principal>)
                } else {
                    quote!(RequestContext<()>)
                };
                let mut text = String::new();
                if let Some(s) = &op.summary {
                    text.push_str(s.trim());
                    text.push_str("\n\n");
                }
                if let Some(d) = &op.description {
                    if op.summary.as_deref().map(str::trim) != Some(d.trim()) {
                        text.push_str(d.trim());
                        text.push_str("\n\n");
                    }
                }
                text.push_str(&format!("`{} {}` (`{}`).", op.method.as_str(), op.path, op.operation_id));
                let doc = doc_attrs(&text);
                let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
                quote! {
                    #doc
                    #deprecated
                    fn #method(
                        &self,
                        context: &#context,
                        request: #request,
                    ) -> impl ::std::future::Future<Output = ::std::result::Result<#response, #response>> + ::std::marker::Send;
                }
            });
        quote! {
            #doc
            pub trait #ident: ::std::marker::Send + ::std::marker::Sync + 'static {
                /// Who is calling: what the [`Authenticator`] resolved the
                /// credentials into.
                type Principal: ::std::marker::Send + ::std::marker::Sync + 'static;

                #(#methods)*
            }
        }
    });
    let router = emit_router(api, &names, &schemes);
    let typed_parsers = typed_parsers(api);
    let document = &api.document;
    quote! {
            /// The effective OpenAPI document this code was generated from,
            /// as served at `/openapi.json`.
            pub const OPENAPI_JSON: &str = #document;

            /// The longest parameter value accepted when the spec sets no
            /// `maxLength`.
            pub use ::krosai_runtime::server::MAX_PARAMETER_LENGTH;

            // The runtime's parameter reading, named briefly.
            use ::krosai_runtime::server as runtime;

            #typed_parsers

            #credentials_enum

            #(#security_consts)*

            /// Why credentials were refused.
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub enum Rejection {
                /// Missing, unknown or expired credentials: `401`.
                Unauthorized(::std::string::String),
                /// Valid credentials that may not do this (for example act
                /// for another organization): `403`.
                Forbidden(::std::string::String),
            }

            /// Resolves credentials into a principal, before any handler
            /// runs. It sees the request's method, URI and headers, so it
            /// can also check tenant headers against what the principal may
            /// access.
            pub trait Authenticator: ::std::marker::Send + ::std::marker::Sync + 'static {
                /// What a successful authentication yields; handed to the
                /// handlers in [`RequestContext::principal`].
                type Principal: ::std::marker::Send + ::std::marker::Sync + 'static;

                /// Checks `credentials` for the request described by `parts`.
                fn authenticate(
                    &self,
                    credentials: &Credentials,
                    parts: &::axum::http::request::Parts,
                ) -> impl ::std::future::Future<Output = ::std::result::Result<Self::Principal, Rejection>> + ::std::marker::Send;
            }

            /// The authenticator of a server that accepts no credentials:
            /// the operations the spec leaves unsecured work, the secured
            /// ones answer 401. For APIs without security, and for tests.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct NoAuthentication;

            impl Authenticator for NoAuthentication {
                type Principal = ();

                async fn authenticate(
                    &self,
                    _credentials: &Credentials,
                    _parts: &::axum::http::request::Parts,
                ) -> ::std::result::Result<(), Rejection> {
                    ::std::result::Result::Err(Rejection::Unauthorized("this server accepts no credentials".to_owned()))
                }
            }

            /// What a handler knows about the request besides its typed
            /// parameters.
            #[derive(Debug)]
            pub struct RequestContext<P> {
                /// The authenticated principal (`()` for operations the spec
                /// does not secure).
                pub principal: P,
                /// The raw request head (method, URI, headers): an escape
                /// hatch for what the spec does not model.
                pub parts: ::axum::http::request::Parts,
            }

            pub use runtime::Violation;

            #error_fn
            #(#shared_structs)*
            #(#traits)*
            #router

            /// Finds the credentials and runs the authenticator: the
            /// principal, or the `401`/`403` answer.
            #[allow(dead_code)]
            async fn authenticate<__Auth: Authenticator>(
                authenticator: &__Auth,
                parts: &::axum::http::request::Parts,
                sources: &[runtime::CredentialSource<Credentials>],
            ) -> ::std::result::Result<__Auth::Principal, ::axum::response::Response> {
                let ::std::option::Option::Some(credentials) = runtime::find_credentials(parts, sources) else {
                    return ::std::result::Result::Err(error_response(401, "unauthorized", "missing credentials".to_owned(), ::std::option::Option::None));
                };
                authenticator.authenticate(&credentials, parts).await.map_err(|rejection| match rejection {
                    Rejection::Unauthorized(message) => error_response(401, "unauthorized", message, ::std::option::Option::None),
                    Rejection::Forbidden(message) => error_response(403, "forbidden", message, ::std::option::Option::None),
                })
            }

            #multipart_support


            #(#header_writers)*

            /// A JSON answer.
            fn json_response<T: ::serde::Serialize>(status: u16, body: &T) -> ::axum::response::Response {
                let status = ::axum::http::StatusCode::from_u16(status).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                match ::serde_json::to_vec(body) {
                    ::std::result::Result::Ok(bytes) => (
                        status,
                        [(::axum::http::header::CONTENT_TYPE, "application/json")],
                        bytes,
                    )
                        .into_response(),
                    ::std::result::Result::Err(_) => error_response(500, "internal_error", "the response could not be encoded".to_owned(), ::std::option::Option::None),
                }
            }

            use ::axum::response::IntoResponse as _;
    }
}

/// The `server` module: its shell, the shared machinery, and per operation
/// its request type, response enum and handler, each formatted on its own.
pub(super) fn server_module(api: &Api) -> super::Module<'_> {
    let shell = quote! {
        /// Server side of the API on `axum`: implement the trait(s), hand the
        /// implementation and an [`Authenticator`](server::Authenticator) to
        /// [`router`](server::router), and mount
        /// the router where the API lives (for example under `/v1`).
        pub mod server {
            #![allow(deprecated)]
        }
    };
    let names = std::sync::Arc::new(names(api));
    let mut units: Vec<super::Unit<'_>> = vec![Box::new(move || server_core(api))];
    for (index, op) in api.operations.iter().enumerate() {
        let names = names.clone();
        units.push(Box::new(move || {
            let op_names = &names.ops[index];
            let schemes = secured_schemes(api);
            let request = emit_request(api, op, &op_names.0);
            let response = emit_response(api, op, &op_names.1, &names);
            let handler = emit_handler(api, op, op_names, &names, &schemes);
            quote!(#request #response #handler)
        }));
    }
    super::Module { shell, units }
}

/// `error_response(status, code, message, details)`: the spec's error
/// schema, or a plain `{"error", "code", "details"}` object when the spec
/// has none the server can fill.
fn emit_error_fn(api: &Api, shape: Option<&ErrorShape>) -> TokenStream {
    let body = match shape {
        Some(shape) => {
            let literal = error_literal(
                api,
                shape,
                quote!(message),
                quote!(code.to_owned()),
                quote!(extra),
            );
            quote! {
                let body = #literal;
                json_response(status, &body)
            }
        }
        None => quote! {
            let mut body = ::serde_json::Map::new();
            body.insert("error".to_owned(), ::serde_json::Value::String(message));
            body.insert("code".to_owned(), ::serde_json::Value::String(code.to_owned()));
            if let ::std::option::Option::Some(extra) = extra {
                body.insert("details".to_owned(), ::serde_json::Value::Object(extra));
            }
            json_response(status, &body)
        },
    };
    quote! {
        /// An error answer in the spec's error schema (a schema without
        /// room for the code or the details leaves them out).
        #[allow(unused_variables)]
        fn error_response(
            status: u16,
            code: &str,
            message: ::std::string::String,
            extra: ::std::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>,
        ) -> ::axum::response::Response {
            #body
        }

        /// The `400` answer listing every violation.
        #[allow(dead_code)]
        fn bad_request(violations: ::std::vec::Vec<Violation>) -> ::axum::response::Response {
            let (message, details) = runtime::bad_request_parts(&violations);
            error_response(400, "invalid_request", message, ::std::option::Option::Some(details))
        }

        /// The answer for a route that does not exist.
        async fn not_found() -> ::axum::response::Response {
            error_response(404, "not_found", "no such resource".to_owned(), ::std::option::Option::None)
        }

        /// The answer for a method the route does not have (axum adds the
        /// `Allow` header).
        async fn method_not_allowed() -> ::axum::response::Response {
            error_response(405, "method_not_allowed", "method not allowed".to_owned(), ::std::option::Option::None)
        }
    }
}

fn machine_code(status: u16) -> String {
    StatusSpec::Code(status).machine_code()
}

/// A shared response component: a newtype over its body that converts into
/// every operation's response enum.
fn emit_shared(
    api: &Api,
    component: &str,
    name: &str,
    body: Option<&TypeRef>,
    _error: Option<&ErrorShape>,
) -> TokenStream {
    let ident = to_ident(name);
    let doc = doc_attrs(&format!(
        "The shared response `#/components/responses/{component}`: converts into the response enum of every operation that uses it, so `?` works on it."
    ));
    let status = api
        .operations
        .iter()
        .flat_map(|op| op.responses.iter())
        .find(|r| r.component.as_deref() == Some(component))
        .and_then(|r| status_literal(r.status));
    match body {
        Some(ty) => {
            let rust = rust_type(api, ty, TypeScope::Sibling);
            let constructor = error_shape(api, ty).zip(status).map(|(shape, status)| {
                let code = machine_code(status);
                let literal = error_literal(
                    api,
                    &shape,
                    quote!(message.into()),
                    quote!(#code.to_owned()),
                    quote!(::std::option::Option::None),
                );
                let doc = doc_attrs(&format!("The response with this message (and the machine code `{code}`)."));
                quote! {
                    impl #ident {
                        #doc
                        pub fn new(message: impl ::std::convert::Into<::std::string::String>) -> Self {
                            Self(#literal)
                        }
                    }
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                pub struct #ident(pub #rust);

                #constructor
            }
        }
        None => quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
            pub struct #ident;
        },
    }
}

/// The Rust type of a parameter in a request: defaulted parameters are not
/// optional.
fn has_usable_default(api: &Api, p: &Parameter) -> bool {
    default_expr(api, p).is_some()
}

/// The spec's default as a Rust expression, when it has a simple one.
fn default_expr(api: &Api, p: &Parameter) -> Option<TokenStream> {
    let default = p.constraints.default.as_ref()?;
    match (&resolve(api, &p.ty), default) {
        (TypeRef::Primitive(Primitive::I64), serde_json::Value::Number(n)) => n.as_i64().map(|v| {
            let v = Literal::i64_suffixed(v);
            quote!(#v)
        }),
        (TypeRef::Primitive(Primitive::I32), serde_json::Value::Number(n)) => {
            n.as_i64().and_then(|v| i32::try_from(v).ok()).map(|v| {
                let v = Literal::i32_suffixed(v);
                quote!(#v)
            })
        }
        (TypeRef::Primitive(Primitive::F64), serde_json::Value::Number(n)) => n.as_f64().map(|v| {
            let v = Literal::f64_suffixed(v);
            quote!(#v)
        }),
        (TypeRef::Primitive(Primitive::F32), serde_json::Value::Number(n)) => n.as_f64().map(|v| {
            let v = Literal::f32_suffixed(v as f32);
            quote!(#v)
        }),
        (TypeRef::Primitive(Primitive::Bool), serde_json::Value::Bool(b)) => Some(quote!(#b)),
        (TypeRef::Primitive(Primitive::String), serde_json::Value::String(s)) => {
            Some(quote!(#s.to_owned()))
        }
        (TypeRef::Named(id), serde_json::Value::String(s)) => match &api.ty(*id).kind {
            TypeKind::Enum(e) if e.repr == EnumRepr::String => {
                e.variants.iter().find(|v| v.wire == *s).map(|v| {
                    let ty = to_ident(&api.ty(*id).name);
                    let variant = to_ident(&v.name);
                    quote!(super::types::#ty::#variant)
                })
            }
            _ => None,
        },
        _ => None,
    }
}

fn emit_request(api: &Api, op: &Operation, name: &str) -> TokenStream {
    let ident = to_ident(name);
    let fields = op.parameters.iter().map(|p| {
        let field = to_ident(&p.name);
        let ty = rust_type(api, &p.ty, TypeScope::Sibling);
        let ty = if p.required || has_usable_default(api, p) {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let mut text = p.doc.clone().map(|doc| doc + "\n\n").unwrap_or_default();
        let location = match p.location {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        };
        text.push_str(&format!("({location} parameter `{}`", p.wire));
        if let Some(d) = &p.constraints.default {
            if has_usable_default(api, p) {
                text.push_str(&format!("; `{d}` when absent"));
            }
        }
        text.push(')');
        let doc = doc_attrs(&text);
        quote!(#doc pub #field: #ty,)
    });
    let body = op.request_body.as_ref().map(|b| {
        let ty = request_body_type(api, b);
        let ty = if b.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let doc = doc_attrs(b.doc.as_deref().unwrap_or("The request body."));
        quote!(#doc pub body: #ty,)
    });
    let doc = doc_attrs(&format!(
        "The parsed, validated and defaulted request of `{}` (`{} {}`).",
        op.operation_id,
        op.method.as_str(),
        op.path
    ));
    // Without a required parameter or body, a request has a default: what
    // the router builds from a request that sets nothing (the spec's
    // defaults applied), handy for calling the trait directly.
    let defaultable = op.parameters.iter().all(|p| !p.required)
        && op.request_body.as_ref().is_none_or(|b| !b.required);
    let spec_defaults = op.parameters.iter().any(|p| default_expr(api, p).is_some());
    // All `None`: the derive says it best.
    let derive_default = (defaultable && !spec_defaults).then(|| quote!(Default,));
    let default = (defaultable && spec_defaults).then(|| {
        let values = op.parameters.iter().map(|p| {
            let field = to_ident(&p.name);
            let value = default_expr(api, p).unwrap_or_else(|| quote!(::std::option::Option::None));
            quote!(#field: #value,)
        });
        let body = op
            .request_body
            .as_ref()
            .map(|_| quote!(body: ::std::option::Option::None,));
        quote! {
            impl ::std::default::Default for #ident {
                fn default() -> Self {
                    Self {
                        #(#values)*
                        #body
                    }
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #ident {
            #(#fields)*
            #body
        }

        #default
    }
}

fn response_payload(api: &Api, r: &Response) -> Option<TokenStream> {
    // Text and binary bodies were lowered to `String` and `Vec<u8>`.
    r.body
        .as_ref()
        .map(|b| rust_type(api, &b.ty, TypeScope::Sibling))
}

fn emit_response(api: &Api, op: &Operation, name: &str, names: &Names) -> TokenStream {
    let ident = to_ident(name);
    let variants = op.responses.iter().map(|r| {
        let variant = to_ident(&r.name);
        let status = match r.status {
            StatusSpec::Code(c) => c.to_string(),
            StatusSpec::Range(d) => format!("{d}XX"),
            StatusSpec::Default => "default".to_owned(),
        };
        let doc = doc_attrs(&format!("{status}: {}", r.description.trim()));
        let payload = response_payload(api, r);
        if let Some(id) = r.headers_type {
            let headers = rust_type(api, &TypeRef::Named(id), TypeScope::Sibling);
            let status = (!matches!(r.status, StatusSpec::Code(_))).then(|| {
                quote! {
                    /// The status to answer with.
                    status: ::axum::http::StatusCode,
                }
            });
            let body = payload.map(|p| {
                quote! {
                    /// The body.
                    body: #p,
                }
            });
            return quote! {
                #doc
                #variant {
                    #status
                    #body
                    /// The declared headers (those left `None` are not sent).
                    headers: #headers,
                },
            };
        }
        match (r.status, payload) {
            (StatusSpec::Code(_), Some(p)) => quote!(#doc #variant(#p),),
            (StatusSpec::Code(_), None) => quote!(#doc #variant,),
            (_, Some(p)) => quote! {
                #doc
                #variant {
                    /// The status to answer with.
                    status: ::axum::http::StatusCode,
                    /// The body.
                    body: #p,
                },
            },
            (_, None) => quote! {
                #doc
                #variant {
                    /// The status to answer with.
                    status: ::axum::http::StatusCode,
                },
            },
        }
    });
    let arms = op.responses.iter().map(|r| {
        let variant = to_ident(&r.name);
        let json = r.body.as_ref().is_some_and(|b| !matches!(b.encoding, BodyEncoding::Text | BodyEncoding::Binary));
        let content_type = r.body.as_ref().map(|b| b.media_type.clone()).unwrap_or_default();
        if r.headers_type.is_some() {
            let (status_binding, status, code) = match r.status {
                StatusSpec::Code(code) => {
                    let code = Literal::u16_unsuffixed(code);
                    (quote!(), quote!(::axum::http::StatusCode::from_u16(#code).unwrap_or(::axum::http::StatusCode::OK)), quote!(#code))
                }
                _ => (quote!(status,), quote!(status), quote!(status.as_u16())),
            };
            let (body_binding, response) = match (&r.body, json) {
                (Some(_), true) => (quote!(body,), quote!(json_response(#code, &body))),
                (Some(_), false) => (
                    quote!(body,),
                    quote!((#status, [(::axum::http::header::CONTENT_TYPE, #content_type)], body).into_response()),
                ),
                (None, _) => (quote!(), quote!(#status.into_response())),
            };
            return quote! {
                Self::#variant { #status_binding #body_binding headers } => {
                    let mut response = #response;
                    headers.write_headers(response.headers_mut());
                    response
                }
            };
        }
        match r.status {
            StatusSpec::Code(code) => {
                let code_lit = Literal::u16_unsuffixed(code);
                match (&r.body, json) {
                    (Some(_), true) => quote!(Self::#variant(body) => json_response(#code_lit, &body),),
                    (Some(_), false) => quote! {
                        Self::#variant(body) => (
                            ::axum::http::StatusCode::from_u16(#code_lit).unwrap_or(::axum::http::StatusCode::OK),
                            [(::axum::http::header::CONTENT_TYPE, #content_type)],
                            body,
                        ).into_response(),
                    },
                    (None, _) => quote!(Self::#variant => ::axum::http::StatusCode::from_u16(#code_lit).unwrap_or(::axum::http::StatusCode::OK).into_response(),),
                }
            }
            _ => match (&r.body, json) {
                (Some(_), true) => quote!(Self::#variant { status, body } => json_response(status.as_u16(), &body),),
                (Some(_), false) => quote!(Self::#variant { status, body } => (status, [(::axum::http::header::CONTENT_TYPE, #content_type)], body).into_response(),),
                (None, _) => quote!(Self::#variant { status } => status.into_response(),),
            },
        }
    });
    let froms = op.responses.iter().filter_map(|r| {
        let component = r.component.as_ref().filter(|_| r.headers_type.is_none())?;
        let (_, shared, body) = names.shared.iter().find(|(c, _, _)| c == component)?;
        if let StatusSpec::Code(_) = r.status {
        } else {
            return None;
        }
        let shared = to_ident(shared);
        let variant = to_ident(&r.name);
        Some(match body {
            Some(_) => quote! {
                impl ::std::convert::From<#shared> for #ident {
                    fn from(response: #shared) -> Self {
                        Self::#variant(response.0)
                    }
                }
            },
            None => quote! {
                impl ::std::convert::From<#shared> for #ident {
                    fn from(_: #shared) -> Self {
                        Self::#variant
                    }
                }
            },
        })
    });
    let doc = doc_attrs(&format!(
        "The answers of `{}`: one variant per documented status.",
        op.operation_id
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        // Answers are built once and moved straight into the HTTP response;
        // boxing the large success bodies would only cost an allocation.
        #[allow(clippy::large_enum_variant)]
        pub enum #ident {
            #(#variants)*
        }

        impl ::axum::response::IntoResponse for #ident {
            fn into_response(self) -> ::axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }

        #(#froms)*
    }
}

fn emit_router(
    api: &Api,
    names: &Names,
    _schemes: &[&crate::model::SecurityScheme],
) -> TokenStream {
    let traits: Vec<Ident> = names.traits.iter().map(|t| to_ident(t)).collect();
    let bounds = traits
        .iter()
        .map(|t| quote!(#t<Principal = __Auth::Principal>));
    let handler_of = |index: usize| {
        let op = &api.operations[index];
        let handler = format_ident!("handle_{}", op.name.trim_start_matches("r#"));
        let method = match op.method {
            Method::Get => quote!(get),
            Method::Put => quote!(put),
            Method::Post => quote!(post),
            Method::Delete => quote!(delete),
            Method::Options => quote!(options),
            Method::Head => quote!(head),
            Method::Patch => quote!(patch),
            Method::Trace => quote!(trace),
        };
        quote!(#method(#handler::<__Api, __Auth>))
    };
    let paths: Vec<(String, Vec<(Method, TokenStream)>)> = names
        .routes
        .iter()
        .map(|(path, methods)| {
            (
                path.clone(),
                methods
                    .iter()
                    .map(|(m, index)| (*m, handler_of(*index)))
                    .collect(),
            )
        })
        .collect();
    let routes = paths.iter().map(|(path, methods)| {
        let first = &methods[0].1;
        let rest = methods[1..].iter().map(|(_, route)| route);
        quote!(.route(#path, ::axum::routing::#first #(.#rest)*))
    });
    let openapi_json = (!names.spec_serves_openapi_json).then(|| {
        quote! {
            .route("/openapi.json", ::axum::routing::get(|| async {
                ([(::axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
            }))
        }
    });
    let unrouted_doc = (!names.unrouted.is_empty()).then(|| {
        let mut text = String::from("\n\nNot routed (answered like unknown routes):");
        for (_, reason) in &names.unrouted {
            text.push_str(&format!("\n- {reason}"));
        }
        doc_attrs(&text)
    });
    let api_bound = if traits.is_empty() {
        quote!(::std::marker::Send + ::std::marker::Sync + 'static)
    } else {
        quote!(#(#bounds)+*)
    };
    quote! {
        /// What every handler shares (an API without secured operations
        /// never reads the authenticator).
        #[allow(dead_code)]
        struct Shared<__Api, __Auth> {
            api: __Api,
            authenticator: __Auth,
        }

        /// The router for the whole API: every operation, plus the spec at
        /// `/openapi.json`. Mount it where the API lives:
        /// `axum::Router::new().nest("/v1", router(api, authenticator))`.
        ///
        /// Bad requests get `400` with the spec's error schema listing
        /// every violation; missing or refused credentials `401`/`403`;
        /// unknown routes `404`; a method the route lacks `405` with
        /// `Allow`.
        #unrouted_doc
        // The type parameters have names no spec type can take.
        pub fn router<__Api, __Auth>(api: __Api, authenticator: __Auth) -> ::axum::Router
        where
            __Api: #api_bound,
            __Auth: Authenticator,
        {
            let shared = ::std::sync::Arc::new(Shared { api, authenticator });
            ::axum::Router::new()
                #(#routes)*
                #openapi_json
                .method_not_allowed_fallback(method_not_allowed)
                .fallback(not_found)
                .with_state(shared)
        }
    }
}

/// Parses one parameter into a local named after it. `source` is a
/// `Vec<&str>` of the values the request carried for it.
/// The static description of a parameter (`runtime::Param`): where it
/// travels, its wire name, and the rules its value keeps.
fn param_description(api: &Api, op: &Operation, index: usize, p: &Parameter) -> TokenStream {
    let wire = &p.wire;
    let mut param = match p.location {
        ParameterLocation::Path => {
            let key = axum_parameter_name(op, index).unwrap_or_default();
            quote!(runtime::Param::path(#wire, #key))
        }
        ParameterLocation::Query => quote!(runtime::Param::query(#wire)),
        ParameterLocation::Header => quote!(runtime::Param::header(#wire)),
        ParameterLocation::Cookie => quote!(runtime::Param::cookie(#wire)),
    };
    if p.required && p.location != ParameterLocation::Path {
        param = quote!(#param.required());
    }
    // `label` and `matrix` values start with `.` or `;name=`.
    match p.style {
        ParameterStyle::Label => param = quote!(#param.prefixed(".")),
        ParameterStyle::Matrix => {
            let prefix = format!(";{wire}=");
            param = quote!(#param.prefixed(#prefix));
        }
        _ => {}
    }
    let scalar = p.style != ParameterStyle::Content
        && !super::is_object(api, &p.ty)
        && !matches!(resolve(api, &p.ty), TypeRef::Array(_));
    if scalar {
        if let Some(pattern) = checkable_pattern(p) {
            param = quote!(#param.pattern(#pattern));
        }
    }
    let bounds = super::bound_calls(api, p);
    param = quote!(#param #(#bounds)*);
    param
}

/// The expression reading parameter `index` of `op` from `input`: an
/// `Option` of its type, every broken rule recorded.
fn read_parameter(api: &Api, op: &Operation, index: usize, p: &Parameter) -> TokenStream {
    let param = param_description(api, op, index, p);
    if p.style == ParameterStyle::Content {
        return quote!(input.scalar(&#param, runtime::json));
    }
    if super::is_object(api, &p.ty) {
        let form = match (p.location, p.style, p.explode) {
            (ParameterLocation::Query, ParameterStyle::DeepObject, _) => {
                quote!(runtime::Object::DeepObject)
            }
            // Exploded `form`: the properties are parameters of their own;
            // the object is there when one of its properties is (any key,
            // for a map).
            (ParameterLocation::Query, ParameterStyle::Form, true) => {
                match super::multipart_struct(api, &p.ty) {
                    Some(s) if s.additional.is_none() => {
                        let keys = s.fields.iter().map(|f| f.wire.as_str());
                        quote!(runtime::Object::Properties(&[#(#keys),*]))
                    }
                    _ => quote!(runtime::Object::Query),
                }
            }
            (_, style, explode) => {
                let separator = match (style, explode) {
                    (ParameterStyle::Label, true) => quote!(::std::option::Option::Some('.')),
                    (ParameterStyle::Matrix, true) => quote!(::std::option::Option::Some(';')),
                    (_, true) => quote!(::std::option::Option::Some(',')),
                    _ => quote!(::std::option::Option::None),
                };
                let flat = match style {
                    ParameterStyle::SpaceDelimited => ' ',
                    ParameterStyle::PipeDelimited => '|',
                    _ => ',',
                };
                quote!(runtime::Object::Styled { separator: #separator, flat: #flat })
            }
        };
        return quote!(input.object(&#param, #form));
    }
    if let TypeRef::Array(inner) = resolve(api, &p.ty) {
        // Repeated (`form`, exploded) or separated values.
        let items = if p.explode && p.location == ParameterLocation::Query {
            quote!(runtime::Items::Repeated)
        } else {
            let separator = match (p.style, p.explode) {
                (ParameterStyle::SpaceDelimited, false) => " ".to_owned(),
                (ParameterStyle::PipeDelimited, false) => "|".to_owned(),
                (ParameterStyle::Label, true) => ".".to_owned(),
                (ParameterStyle::Matrix, true) => format!(";{}=", p.wire),
                _ => ",".to_owned(),
            };
            quote!(runtime::Items::Separated(#separator))
        };
        let parse = parse_function(api, &inner);
        return quote!(input.list(&#param, #items, #parse));
    }
    let parse = parse_function(api, &p.ty);
    quote!(input.scalar(&#param, #parse))
}

/// The parameter's `pattern`, if the `regex` crate accepts it. ECMA-262
/// features it lacks (look-around, back-references) leave the parameter
/// unchecked rather than failing generation.
fn checkable_pattern(p: &Parameter) -> Option<&str> {
    let pattern = p.constraints.pattern.as_deref()?;
    regex::Regex::new(pattern).is_ok().then_some(pattern)
}

/// The module's parse functions for parameters of types from `uuid` and
/// `chrono` (the runtime depends on neither), for those the spec uses.
fn typed_parsers(api: &Api) -> TokenStream {
    let mut used = std::collections::HashSet::new();
    for p in api.operations.iter().flat_map(|op| &op.parameters) {
        let ty = match resolve(api, &p.ty) {
            TypeRef::Array(inner) => resolve(api, &inner),
            ty => ty,
        };
        if let TypeRef::Primitive(primitive) = ty {
            used.insert(primitive);
        }
    }
    let uuid = used.contains(&Primitive::Uuid).then(|| {
        quote! {
            /// Reads a `format: uuid` parameter.
            fn parse_uuid(_: &runtime::Param, raw: &str) -> ::std::result::Result<::uuid::Uuid, ::std::vec::Vec<::std::string::String>> {
                runtime::from_text(raw, "a UUID")
            }
        }
    });
    let date = used.contains(&Primitive::Date).then(|| {
        quote! {
            /// Reads a `format: date` parameter.
            fn parse_date(_: &runtime::Param, raw: &str) -> ::std::result::Result<::chrono::NaiveDate, ::std::vec::Vec<::std::string::String>> {
                ::chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| ::std::vec!["must be a date (YYYY-MM-DD)".to_owned()])
            }
        }
    });
    let date_time = used.contains(&Primitive::DateTime).then(|| {
        quote! {
            /// Reads a `format: date-time` parameter.
            fn parse_date_time(_: &runtime::Param, raw: &str) -> ::std::result::Result<::chrono::DateTime<::chrono::FixedOffset>, ::std::vec::Vec<::std::string::String>> {
                ::chrono::DateTime::parse_from_rfc3339(raw)
                    .map_err(|_| ::std::vec!["must be an RFC 3339 date-time".to_owned()])
            }
        }
    });
    quote!(#uuid #date #date_time)
}

/// The `runtime::Parse` function reading one text value as `ty`.
fn parse_function(api: &Api, ty: &TypeRef) -> TokenStream {
    match resolve(api, ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::String => quote!(runtime::text),
            Primitive::I32 => quote!(runtime::int32),
            // An integer beyond 64 bits is still an integer the spec allows:
            // it saturates, and the bounds (if any) judge it.
            Primitive::I64 => quote!(runtime::integer),
            Primitive::F32 => quote!(runtime::float),
            Primitive::F64 => quote!(runtime::double),
            Primitive::Bool => quote!(runtime::boolean),
            // The types of other crates are read by the module's own
            // functions (see `typed_parsers`).
            Primitive::Uuid => quote!(parse_uuid),
            Primitive::Date => quote!(parse_date),
            Primitive::DateTime => quote!(parse_date_time),
            Primitive::Bytes => quote!(runtime::bytes),
            Primitive::Json | Primitive::JsonObject => quote!(runtime::json),
        },
        TypeRef::Named(id) => match &api.ty(id).kind {
            TypeKind::Enum(e) if e.repr == EnumRepr::String => quote!(runtime::string_enum),
            TypeKind::Enum(_) => quote!(runtime::integer_enum),
            // Structured values the spec does not give a text form for are
            // read as JSON (the documented raw form).
            _ => quote!(runtime::json),
        },
        _ => quote!(runtime::json),
    }
}

fn emit_handler(
    api: &Api,
    op: &Operation,
    (request, _response, trait_index): &(String, String, usize),
    names: &Names,
    schemes: &[&crate::model::SecurityScheme],
) -> TokenStream {
    let handler = format_ident!("handle_{}", op.name.trim_start_matches("r#"));
    let trait_ident = to_ident(&names.traits[*trait_index]);
    let method = to_ident(&op.name);
    let request_ident = to_ident(request);
    let secured = op.security.iter().any(|alt| !alt.is_empty());
    let security_set = security_sets(api)
        .iter()
        .position(|set| *set == allowed_schemes(op, schemes))
        .unwrap_or(0);
    let sources = format_ident!("SECURITY_{}", security_set);
    let authenticate = if secured {
        quote! {
            let principal = match authenticate(&shared.authenticator, &parts, #sources).await {
                ::std::result::Result::Ok(principal) => principal,
                ::std::result::Result::Err(response) => return response,
            };
        }
    } else {
        quote!(let principal = ();)
    };
    let has_path = op
        .parameters
        .iter()
        .any(|p| p.location == ParameterLocation::Path);
    // Matching the path parameters takes the router's extension out of
    // the request head.
    let parts_mut = has_path.then(|| quote!(mut));
    let path_params = has_path.then(|| {
        let split = split_composite_segments(op);
        let mutable = (!split.is_empty()).then(|| quote!(mut));
        quote! {
            let #mutable path_params = match runtime::path_pairs(&mut parts).await {
                ::std::result::Result::Ok(pairs) => pairs,
                ::std::result::Result::Err(violation) => return bad_request(::std::vec![violation]),
            };
            #split
        }
    });
    // Locals holding the parsed values, by position: `p0`, `p1`, ...
    let locals: Vec<Ident> = (0..op.parameters.len())
        .map(|index| format_ident!("p{index}"))
        .collect();
    let parse = op.parameters.iter().enumerate().map(|(index, p)| {
        let local = &locals[index];
        let ty = rust_type(api, &p.ty, TypeScope::Sibling);
        let read = read_parameter(api, op, index, p);
        quote!(let #local: ::std::option::Option<#ty> = #read;)
    });
    let fields = op.parameters.iter().enumerate().map(|(index, p)| {
        let field = to_ident(&p.name);
        let local = &locals[index];
        if p.required {
            // Checked above: a missing required parameter is a violation.
            quote!(#field: match #local { ::std::option::Option::Some(v) => v, ::std::option::Option::None => return bad_request(violations) },)
        } else if let Some(default) = default_expr(api, p) {
            quote!(#field: #local.unwrap_or(#default),)
        } else {
            quote!(#field: #local,)
        }
    });
    let body = op.request_body.as_ref().map(|b| {
        let ty = request_body_type(api, b);
        if let (BodyEncoding::Multipart, Some(s)) =
            (&b.encoding, super::multipart_struct(api, &b.ty))
        {
            let read = multipart_read(api, &ty, s, b.required);
            return (
                quote!(let body_value = #read;),
                quote!(body: match body_value { ::std::option::Option::Some(v) => v, ::std::option::Option::None => return bad_request(violations) },),
            );
        }
        let decode = match b.encoding {
            BodyEncoding::Text => quote!(::std::string::String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())),
            BodyEncoding::Binary | BodyEncoding::Multipart => quote!(::std::result::Result::<_, ::std::string::String>::Ok(bytes.to_vec())),
            BodyEncoding::Form => quote! {
                ::serde_qs::Config::new().use_form_encoding(true).deserialize_bytes::<#ty>(&bytes).map_err(|e| e.to_string())
            },
            BodyEncoding::Json => quote!(::serde_json::from_slice::<#ty>(&bytes).map_err(|e| e.to_string())),
        };
        let value = if b.required {
            quote! {
                if bytes.is_empty() {
                    violations.push(Violation { parameter: "body".to_owned(), location: "body", rule: "required".to_owned() });
                    ::std::option::Option::None
                } else {
                    match #decode {
                        ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                        ::std::result::Result::Err(error) => {
                            violations.push(Violation { parameter: "body".to_owned(), location: "body", rule: error });
                            ::std::option::Option::None
                        }
                    }
                }
            }
        } else {
            quote! {
                if bytes.is_empty() {
                    ::std::option::Option::Some(::std::option::Option::None)
                } else {
                    match #decode {
                        ::std::result::Result::Ok(value) => ::std::option::Option::Some(::std::option::Option::Some(value)),
                        ::std::result::Result::Err(error) => {
                            violations.push(Violation { parameter: "body".to_owned(), location: "body", rule: error });
                            ::std::option::Option::None
                        }
                    }
                }
            }
        };
        (
            quote! {
                let bytes = match ::axum::body::to_bytes(body, 16 * 1024 * 1024).await {
                    ::std::result::Result::Ok(bytes) => bytes,
                    ::std::result::Result::Err(_) => {
                        return error_response(413, "payload_too_large", "the body is too large or could not be read".to_owned(), ::std::option::Option::None);
                    }
                };
                let body_value = #value;
            },
            quote!(body: match body_value { ::std::option::Option::Some(v) => v, ::std::option::Option::None => return bad_request(violations) },),
        )
    });
    let (read_body, body_field) = match body {
        Some((read, field)) => (read, field),
        None => (quote!(let _ = body;), quote!()),
    };
    let needs_violations = !op.parameters.is_empty() || op.request_body.is_some();
    // The body's violations are added to the parameters'.
    let mutable = op.request_body.is_some().then(|| quote!(mut));
    let violations = if op.parameters.is_empty() {
        needs_violations.then(
            || quote!(let mut violations: ::std::vec::Vec<Violation> = ::std::vec::Vec::new();),
        )
    } else {
        Some(quote!(let #mutable violations = input.into_violations();))
    };
    let input = (!op.parameters.is_empty()).then(|| {
        let path = if has_path {
            quote!(path_params)
        } else {
            quote!(::std::vec::Vec::new())
        };
        quote!(let mut input = runtime::Input::new(&parts, #path);)
    });
    let check = needs_violations.then(|| {
        quote! {
            if !violations.is_empty() {
                return bad_request(violations);
            }
        }
    });
    let index = api.operations.iter().position(|o| std::ptr::eq(o, op));
    let unrouted = names
        .unrouted
        .iter()
        .any(|(i, _)| Some(*i) == index)
        .then(|| quote!(#[allow(dead_code)]));
    quote! {
        #unrouted
        async fn #handler<__Api, __Auth>(
            ::axum::extract::State(shared): ::axum::extract::State<::std::sync::Arc<Shared<__Api, __Auth>>>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response
        where
            __Api: #trait_ident<Principal = __Auth::Principal>,
            __Auth: Authenticator,
        {
            let (#parts_mut parts, body) = request.into_parts();
            #authenticate
            #path_params
            #input
            #(#parse)*
            #violations
            #read_body
            #check
            let request = #request_ident {
                #(#fields)*
                #body_field
            };
            let context = RequestContext { principal, parts };
            match shared.api.#method(&context, request).await {
                ::std::result::Result::Ok(response) | ::std::result::Result::Err(response) => response.into_response(),
            }
        }
    }
}

/// The Rust type of a request body in the server's request struct.
fn request_body_type(api: &Api, b: &crate::model::RequestBody) -> TokenStream {
    match b.encoding {
        // A multipart body whose schema is not a plain object stays raw
        // (the boundary is in `RequestContext::parts`' `Content-Type`).
        BodyEncoding::Multipart if super::multipart_struct(api, &b.ty).is_none() => {
            quote!(::std::vec::Vec<u8>)
        }
        _ => rust_type(api, &b.ty, TypeScope::Sibling),
    }
}

/// An expression reading a `multipart/form-data` body into the struct
/// `ty`, part by part: `Some(value)` (`Some(Option)` when the body is
/// optional), or `None` with the violations pushed.
fn multipart_read(api: &Api, ty: &TokenStream, s: &Struct, required: bool) -> TokenStream {
    let mut scope = Scope::new();
    let locals: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| {
            let stem = format!(
                "f_{}",
                f.name.trim_start_matches("r#").trim_start_matches('_')
            );
            to_ident(&scope.claim(&stem, Case::Snake))
        })
        .collect();
    let declare = s.fields.iter().zip(&locals).map(|(f, local)| {
        let value = rust_type(api, &f.ty, TypeScope::Sibling);
        quote!(let mut #local: ::std::option::Option<#value> = ::std::option::Option::None;)
    });
    let arms = s.fields.iter().zip(&locals).map(|(f, local)| {
        let wire = &f.wire;
        let one = |item: &TypeRef| -> TokenStream {
            match api.primitive_of(item) {
                Some(Primitive::Bytes) => quote!(::std::option::Option::Some(data.to_vec())),
                Some(Primitive::String) => quote! {
                    match ::std::string::String::from_utf8(data.to_vec()) {
                        ::std::result::Result::Ok(text) => ::std::option::Option::Some(text),
                        ::std::result::Result::Err(_) => {
                            violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule: "must be UTF-8 text".to_owned() });
                            ::std::option::Option::None
                        }
                    }
                },
                _ => {
                    let item_ty = rust_type(api, item, TypeScope::Sibling);
                    quote! {
                        match part_value::<#item_ty>(&data) {
                            ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                            ::std::result::Result::Err(rule) => {
                                violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule });
                                ::std::option::Option::None
                            }
                        }
                    }
                }
            }
        };
        match &f.ty {
            TypeRef::Array(inner) => {
                let item = one(inner);
                quote! {
                    #wire => {
                        if let ::std::option::Option::Some(item) = #item {
                            #local.get_or_insert_with(::std::vec::Vec::new).push(item);
                        }
                    }
                }
            }
            other => {
                let value = one(other);
                quote! {
                    #wire => {
                        if #local.is_some() {
                            violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule: "given more than once".to_owned() });
                        }
                        #local = #value;
                    }
                }
            }
        }
    });
    let missing = s
        .fields
        .iter()
        .zip(&locals)
        .filter(|(f, _)| f.required)
        .map(|(f, local)| {
            let wire = &f.wire;
            quote! {
                if #local.is_none() {
                    runtime::missing(#wire, "body", &mut violations);
                }
            }
        });
    let fields = s.fields.iter().zip(&locals).map(|(f, local)| {
        let field = to_ident(&f.name);
        let value = if f.boxed { quote!(::std::boxed::Box::new(v)) } else { quote!(v) };
        if f.is_optional() {
            let value = if f.boxed { quote!(#local.map(::std::boxed::Box::new)) } else { quote!(#local) };
            quote!(#field: #value,)
        } else {
            quote!(#field: match #local { ::std::option::Option::Some(v) => #value, ::std::option::Option::None => break 'build ::std::option::Option::None },)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = to_ident(&s.additional_name);
        quote!(#field: ::std::default::Default::default(),)
    });
    // Only a required field can leave the block early.
    let label = s
        .fields
        .iter()
        .any(|f| !f.is_optional())
        .then(|| quote!('build:));
    let (wrap, absent) = if required {
        (
            quote!(::std::option::Option::Some(value)),
            quote! {
                runtime::missing("body", "body", &mut violations);
                ::std::option::Option::None
            },
        )
    } else {
        (
            quote!(::std::option::Option::Some(::std::option::Option::Some(
                value
            ))),
            quote!(::std::option::Option::Some(::std::option::Option::None)),
        )
    };
    quote! {
        match multipart_body(&parts, body).await {
            ::std::option::Option::None => { #absent }
            ::std::option::Option::Some(::std::result::Result::Err(rule)) => {
                violations.push(Violation { parameter: "body".to_owned(), location: "body", rule });
                ::std::option::Option::None
            }
            ::std::option::Option::Some(::std::result::Result::Ok(mut multipart)) => {
                #(#declare)*
                loop {
                    match multipart.next_field().await {
                        ::std::result::Result::Ok(::std::option::Option::Some(field)) => {
                            let name = field.name().unwrap_or_default().to_owned();
                            let data = match field.bytes().await {
                                ::std::result::Result::Ok(data) => data,
                                ::std::result::Result::Err(error) => {
                                    violations.push(Violation { parameter: name, location: "body", rule: error.body_text() });
                                    break;
                                }
                            };
                            #[allow(clippy::single_match)]
                            match name.as_str() {
                                #(#arms)*
                                // Parts the schema does not declare are ignored.
                                _ => {}
                            }
                        }
                        ::std::result::Result::Ok(::std::option::Option::None) => break,
                        ::std::result::Result::Err(error) => {
                            violations.push(Violation { parameter: "body".to_owned(), location: "body", rule: error.body_text() });
                            break;
                        }
                    }
                }
                #(#missing)*
                let built: ::std::option::Option<#ty> = #label {
                    ::std::option::Option::Some(#ty {
                        #(#fields)*
                        #additional
                    })
                };
                match built {
                    ::std::option::Option::Some(value) if violations.is_empty() => #wrap,
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}

/// A `String` expression: the header text of `value` (a `&T` for `ty`):
/// scalars by their text, lists comma-separated, anything else as JSON.
fn header_text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match api.primitive_of(ty) {
        Some(Primitive::String) => quote!(#value.clone()),
        Some(Primitive::Bytes) => {
            quote!(::std::string::String::from_utf8_lossy(#value).into_owned())
        }
        Some(Primitive::DateTime) => quote!(#value.to_rfc3339()),
        Some(Primitive::Json | Primitive::JsonObject) => {
            quote!(::serde_json::to_string(#value).unwrap_or_default())
        }
        Some(_) => quote!(#value.to_string()),
        None if super::is_enum(api, ty) => quote!(#value.to_string()),
        None => match ty {
            TypeRef::Array(inner) if api.primitive_of(inner) == Some(Primitive::String) => {
                quote!(#value.join(","))
            }
            TypeRef::Array(inner) => {
                let item = header_text(api, inner, quote!(item));
                quote!(#value.iter().map(|item| #item).collect::<::std::vec::Vec<_>>().join(","))
            }
            _ => quote!(::serde_json::to_string(#value).unwrap_or_default()),
        },
    }
}
