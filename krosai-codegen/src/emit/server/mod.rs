//! The `server` module: one trait per tag, typed requests and responses,
//! and an `axum::Router` that does all the HTTP work.
//!
//! The router authenticates, parses and validates every parameter (listing
//! all violations in one `400` with the spec's error schema), applies
//! defaults, calls the trait, and turns the typed response into HTTP. A
//! handler never sees axum types, so it is tested as plain async Rust.

mod errors;
mod extract;
mod handler;
mod multipart;
mod responses;
mod routes;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, rust_type, Scope as TypeScope};
use crate::ident::{to_ident, Case, Scope};
use crate::model::{
    Api, BodyEncoding, EnumRepr, Field, Method, Name, Operation, Parameter, ParameterLocation,
    ParameterStyle, Primitive, Response, SecurityKind, StatusSpec, Struct, TypeId, TypeKind,
    TypeRef,
};

use crate::emit::prelude::{ERR, OK, OPTION, RESULT, SEND, SOME, STRING, SYNC};
use errors::*;
use extract::*;
use handler::*;
use multipart::*;
use responses::*;
use routes::*;

/// Names chosen for the server module.
struct Names {
    /// Per operation: (request type, response enum, trait index).
    ops: Vec<(Name, Name, usize)>,
    /// Trait names, one per tag that has operations.
    traits: Vec<Name>,
    /// Shared response components: (component name, Rust name, body type).
    shared: Vec<(String, Name, Option<TypeRef>)>,
    /// The routes, in spec order.
    routes: Vec<Route>,
    /// The webhooks' routes, in spec order.
    webhook_routes: Vec<Route>,
    /// Operations the router cannot serve, with the reason (their requests
    /// get 404 or 405 like any unknown route).
    unrouted: Vec<(usize, String)>,
    /// The spec has its own `GET /openapi.json`: the router does not add
    /// one.
    spec_serves_openapi_json: bool,
    /// The distinct sets of accepted schemes of secured operations, as
    /// indices into the spec's schemes, in order of first use: each is
    /// one `SECURITY_n` constant the handlers share.
    security_sets: Vec<Vec<usize>>,
    /// Per operation: its set's index in `security_sets` (its
    /// `SECURITY_n`), `None` when it is not secured.
    security_of: Vec<Option<usize>>,
}

/// An axum path and the operations it serves: (method, operation index).
type Route = (String, Vec<(Method, usize)>);

/// Groups operations by axum path, in spec order, checking every path with
/// axum's own matcher. Two templates that differ only in parameter names
/// are one route: a method they both declare goes to the first operation.
fn route_table(api: &Api, webhooks: bool) -> (Vec<Route>, Vec<(usize, String)>) {
    let mut routes: Vec<Route> = Vec::new();
    let mut unrouted = Vec::new();
    let mut matcher: matchit::Router<()> = matchit::Router::new();
    let ops = api.operations.iter().enumerate();
    for (index, op) in ops.filter(|(_, op)| op.webhook == webhooks) {
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
    let (routes, mut unrouted) = route_table(api, false);
    let (webhook_routes, webhooks_unrouted) = route_table(api, true);
    unrouted.extend(webhooks_unrouted);
    let spec_serves_openapi_json = routes.iter().any(|(path, methods)| {
        path == "/openapi.json" && methods.iter().any(|(m, _)| *m == Method::Get)
    });
    let (security_sets, security_of) = security_sets(api);
    Names {
        ops,
        traits,
        shared,
        routes,
        webhook_routes,
        unrouted,
        spec_serves_openapi_json,
        security_sets,
        security_of,
    }
}

fn resolve(api: &Api, ty: &TypeRef) -> TypeRef {
    api.resolve(ty).clone()
}

/// The schemes an operation accepts, as indices into the spec's schemes,
/// in their order.
fn allowed_schemes(api: &Api, op: &Operation) -> Vec<usize> {
    api.security_schemes
        .iter()
        .enumerate()
        .filter(|(_, scheme)| op.security.iter().any(|alt| alt.contains(&scheme.wire)))
        .map(|(index, _)| index)
        .collect()
}

/// The distinct sets of accepted schemes, in order of first use, and each
/// operation's set (see [`Names::security_sets`]). Only secured
/// operations look for credentials.
fn security_sets(api: &Api) -> (Vec<Vec<usize>>, Vec<Option<usize>>) {
    let mut sets: Vec<Vec<usize>> = Vec::new();
    let of_operation = api
        .operations
        .iter()
        .map(|op| {
            if !op.is_secured() {
                return None;
            }
            let set = allowed_schemes(api, op);
            Some(match sets.iter().position(|s| *s == set) {
                Some(index) => index,
                None => {
                    sets.push(set);
                    sets.len() - 1
                }
            })
        })
        .collect();
    (sets, of_operation)
}

fn status_literal(status: StatusSpec) -> Option<u16> {
    match status {
        StatusSpec::Code(code) => Some(code),
        _ => None,
    }
}

/// Everything in the server module but the per-operation items.
/// `OPENAPI_JSON`, the effective document as served at `/openapi.json`,
/// written as `prettyplease` prints it: the document is as large as the
/// spec, and is one literal (see [`super::Unit::Text`]).
fn openapi_json(api: &Api) -> String {
    format!(
        "/// The effective OpenAPI document this code was generated from,\n\
         /// as served at `/openapi.json`.\n\
         pub const OPENAPI_JSON: &str = {};\n",
        super::string_literal_text(&api.document)
    )
}

fn server_core(api: &Api, names: &Names) -> TokenStream {
    let error = api_error_shape(api);
    let schemes = &api.security_schemes;
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
        quote!(#doc #ident(#STRING),)
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

    let security_consts = names.security_sets.iter().enumerate().map(|(index, set)| {
        let name = format_ident!("SECURITY_{}", index);
        let entries = set.iter().map(|&scheme| &schemes[scheme]).map(|s| {
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
                .map(|&scheme| format!("`{}`", schemes[scheme].wire))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
        quote! {
            #doc
            const #name: &[runtime::CredentialSource<Credentials>] = &[#(#entries),*];
        }
    });
    // Only the handlers of secured operations authenticate.
    let authenticate = api.operations.iter().any(Operation::is_secured).then(|| {
        quote! {
            /// Finds the credentials and runs the authenticator: the
            /// principal, or the `401`/`403` answer.
            async fn authenticate<__Auth: Authenticator>(
                authenticator: &__Auth,
                parts: &::axum::http::request::Parts,
                sources: &[runtime::CredentialSource<Credentials>],
            ) -> #RESULT<__Auth::Principal, ::axum::response::Response> {
                let credentials = runtime::find_credentials(parts, sources)
                    .ok_or_else(|| runtime::missing_credentials(error_response))?;
                authenticator
                    .authenticate(&credentials, parts)
                    .await
                    .map_err(|rejection| runtime::rejected(rejection, error_response))
            }
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
                if let (#SOME(value), #OK(name)) =
                    (&self.#field, ::axum::http::HeaderName::from_bytes(#wire.as_bytes()))
                {
                    if let #OK(value) = ::axum::http::HeaderValue::from_str(&#text) {
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
            ) -> #OPTION<#RESULT<::axum::extract::Multipart, #STRING>> {
                let content_type = parts.headers.get(::axum::http::header::CONTENT_TYPE)?;
                let mut request = ::axum::extract::Request::new(body);
                request.headers_mut().insert(::axum::http::header::CONTENT_TYPE, content_type.clone());
                // The router's body limit travels in the extensions.
                *request.extensions_mut() = parts.extensions.clone();
                #SOME(
                    <::axum::extract::Multipart as ::axum::extract::FromRequest<()>>::from_request(request, &())
                        .await
                        .map_err(|rejection| rejection.body_text()),
                )
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
        let webhooks = api.server_traits.get(index).is_some_and(|t| t.webhooks);
        let mut text = if webhooks {
            match tag_wire.as_str() {
                "default" => "The webhooks the API sends: requests it makes to a server of yours.".to_owned(),
                tag => format!("The webhooks tagged `{tag}`: requests the API makes to a server of yours."),
            }
        } else {
            format!("The operations tagged `{tag_wire}`.")
        };
        if let Some(d) = description {
            text.push_str("\n\n");
            text.push_str(&d);
        }
        if webhooks {
            text.push_str("\n\nImplement it and pass it to [`webhooks_router`], mounted where the API is told to send them. Each method gets the request already parsed and validated, and returns the answer for one documented status.");
        } else {
            text.push_str("\n\nImplement it for your storage and pass it to [`router`]. Each method gets a request whose parameters are already parsed, validated and defaulted, and returns the response for one documented status; `Err` carries a response too, so that `?` works on the shared error responses.");
        }
        if api.server_defaults {
            text.push_str(" A method left out answers `501 Not Implemented`.");
        }
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
                let context = if op.is_secured() {
                    quote!(RequestContext<Self::Principal>)
                } else {
                    quote!(RequestContext<()>)
                };
                let mut text = super::doc::operation_text(op);
                let body = if api.server_defaults {
                    text.push_str("\n\nUnless a server implements it, it answers `501 Not Implemented` in the spec's error schema.");
                    let unimplemented = to_ident(crate::model::UNIMPLEMENTED_VARIANT);
                    quote! {
                        {
                            let _ = (context, request);
                            // Ready at once: no state machine per operation.
                            runtime::refuse(|| #response::#unimplemented)
                        }
                    }
                } else {
                    quote!(;)
                };
                let doc = doc_attrs(&text);
                let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
                quote! {
                    #doc
                    #deprecated
                    fn #method(
                        &self,
                        context: &#context,
                        request: #request,
                    ) -> impl ::std::future::Future<Output = #RESULT<#response, #response>> + #SEND
                    #body
                }
            });
        quote! {
            #doc
            pub trait #ident: #SEND + #SYNC + 'static {
                /// Who is calling: what the [`Authenticator`] resolved the
                /// credentials into.
                type Principal: #SEND + #SYNC + 'static;

                #(#methods)*
            }
        }
    });
    let router = emit_router(api, names);
    let typed_parsers = typed_parsers(api);
    quote! {
            /// The longest parameter value accepted when the spec sets no
            /// `maxLength`.
            pub use ::krosai_runtime::server::MAX_PARAMETER_LENGTH;

            // The runtime's parameter reading, named briefly.
            use ::krosai_runtime::server as runtime;

            #typed_parsers

            #credentials_enum

            #(#security_consts)*

            /// Resolves credentials into a principal, before any handler
            /// runs. It sees the request's method, URI and headers, so it
            /// can also check tenant headers against what the principal may
            /// access.
            pub trait Authenticator: #SEND + #SYNC + 'static {
                /// What a successful authentication yields; handed to the
                /// handlers in [`RequestContext::principal`].
                type Principal: #SEND + #SYNC + 'static;

                /// Checks `credentials` for the request described by `parts`.
                fn authenticate(
                    &self,
                    credentials: &Credentials,
                    parts: &::axum::http::request::Parts,
                ) -> impl ::std::future::Future<Output = #RESULT<Self::Principal, Rejection>> + #SEND;
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
                ) -> #RESULT<(), Rejection> {
                    #ERR(Rejection::Unauthorized("this server accepts no credentials".to_owned()))
                }
            }

            pub use runtime::{Limits, Rejection, RequestContext, Violation};

            #error_fn
            #(#shared_structs)*
            #(#traits)*
            #router

            #authenticate

            #multipart_support


            #(#header_writers)*

            /// A JSON answer (a `500` in the error schema if the body
            /// cannot be encoded).
            fn json_response<T: ::serde::Serialize>(status: u16, body: &T) -> ::axum::response::Response {
                runtime::json_response(status, body, error_response)
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
    let core_names = names.clone();
    let mut units: Vec<super::Unit<'_>> = vec![
        super::Unit::Text(Box::new(move || openapi_json(api))),
        super::Unit::tokens(move || server_core(api, &core_names)),
    ];
    for (index, op) in api.operations.iter().enumerate() {
        let names = names.clone();
        units.push(super::Unit::tokens(move || {
            let op_names = &names.ops[index];
            let request = emit_request(api, op, &op_names.0);
            let response = emit_response(api, op, &op_names.1, &names);
            let handler = emit_handler(api, op, op_names, &names, names.security_of[index]);
            quote!(#request #response #handler)
        }));
    }
    super::Module { shell, units }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    /// The document's constant, written as text, is what the tokens would
    /// have been formatted into.
    #[test]
    fn openapi_json_is_written_as_prettyplease_prints_it() {
        let spec = "openapi: 3.0.3\ninfo: {title: \"T \\\"quoted\\\" \\\\ \\u00e9 \\U0001F980 \\u0301\", version: '1'}\npaths: {}\n";
        let api = crate::Generator::new()
            .model_str("spec.yaml", spec)
            .expect("a valid spec");
        let document = &api.document;
        let tokens = quote! {
            /// The effective OpenAPI document this code was generated from,
            /// as served at `/openapi.json`.
            pub const OPENAPI_JSON: &str = #document;
        };
        assert!(document.contains("\\\""), "{document}");
        assert_eq!(
            super::openapi_json(&api),
            super::super::format_tokens(tokens).expect("formats")
        );
    }
}
