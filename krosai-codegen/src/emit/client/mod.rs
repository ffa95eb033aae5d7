//! The `client` module: an async client on `reqwest`, one request builder
//! per operation.
//!
//! A user writes no URL, header, status code or JSON by hand: path, query
//! and header parameters are typed builder setters, bounds are checked
//! before anything is sent, documented error statuses decode into typed
//! [`ClientError`] variants, and page-number pagination becomes a stream.

mod auth;
mod errors;
mod parameters;
mod request;
mod responses;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, rust_type, Scope};
use crate::ident::to_ident;
use crate::model::{
    Api, BodyEncoding, Constraints, Operation, Parameter, ParameterLocation, ParameterStyle,
    PathSegment, Primitive, Response, SecurityKind, StatusSpec, SuccessBody, TypeKind, TypeRef,
};

use crate::emit::prelude::{FORMAT, NONE, OPTION, SOME, TO_OWNED};
use auth::*;
use errors::*;
use parameters::*;
use request::*;
use responses::*;

/// Everything in the client module but the request builders.
fn client_core(api: &Api) -> TokenStream {
    let servers: Vec<&String> = api.servers.iter().map(|s| &s.url).collect();
    let default_server = servers.first().map(|url| {
        quote! {
            /// The first server the spec lists.
            pub const DEFAULT_SERVER: &'static str = #url;
        }
    });
    let schemes = auth_schemes(api);
    let shared = shared_headers(api);
    let errors = api.error_variants();
    let header_readers = super::header_structs(api).into_iter().map(|(id, s)| {
        let ty = rust_type(api, &TypeRef::Named(id), Scope::Sibling);
        let fields = s.fields.iter().map(|f| {
            let field = to_ident(&f.name);
            let wire = &f.wire;
            let text = quote!(headers.get(#wire).and_then(|v| v.to_str().ok()));
            if api.primitive_of(&f.ty) == Some(Primitive::String) {
                return quote!(#field: #text.map(#TO_OWNED::to_owned),);
            }
            let parse = header_parse(api, &f.ty, quote!(raw));
            quote!(#field: #text.and_then(|raw| #parse),)
        });
        quote! {
            impl #ty {
                /// Reads the declared headers from a response's headers
                /// ([`Response::headers`]): a value that is missing or does
                /// not parse is `None`.
                pub fn from_header_map(headers: &::reqwest::header::HeaderMap) -> Self {
                    Self {
                        #(#fields)*
                    }
                }
            }
        }
    });
    let auth_enum = (!schemes.is_empty()).then(|| {
        let variants = schemes.iter().map(|(name, scheme)| {
            let ident = to_ident(name);
            let how = match &scheme.kind {
                SecurityKind::Bearer | SecurityKind::Other(_) => {
                    "`Authorization: Bearer <key>`".to_owned()
                }
                SecurityKind::ApiKeyHeader(h) => format!("the `{h}` header"),
                SecurityKind::ApiKeyQuery(q) => format!("the `{q}` query parameter"),
                SecurityKind::ApiKeyCookie(c) => format!("the `{c}` cookie"),
                SecurityKind::Basic => "`Authorization: Basic`, as `user:password`".to_owned(),
            };
            let mut text = format!("`{}`: the key is sent in {how}.", scheme.wire);
            if let Some(d) = &scheme.description {
                text.push_str("\n\n");
                text.push_str(d);
            }
            let doc = doc_attrs(&text);
            quote!(#doc #ident,)
        });
        quote! {
            /// How the client sends its API key: one variant per security
            /// scheme of the spec. The default is the spec's first scheme.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
            pub enum AuthScheme {
                #[default]
                #(#variants)*
            }
        }
    });

    let apply_auth = (!schemes.is_empty()).then(|| {
        let arms = schemes.iter().map(|(name, scheme)| {
            let ident = to_ident(name);
            match &scheme.kind {
                SecurityKind::ApiKeyHeader(header) => quote! {
                    AuthScheme::#ident => request.header(#header, key.expose()),
                },
                // Added to the URL by `authorize_url`.
                SecurityKind::ApiKeyQuery(_) => quote! {
                    AuthScheme::#ident => {
                        let _ = key;
                        request
                    }
                },
                SecurityKind::Basic => quote! {
                    AuthScheme::#ident => match key.expose().split_once(':') {
                        #SOME((user, password)) => request.basic_auth(user, #SOME(password)),
                        #NONE => request.basic_auth(key.expose(), #OPTION::<&str>::None),
                    },
                },
                SecurityKind::ApiKeyCookie(cookie) => quote! {
                    AuthScheme::#ident => request.header(::reqwest::header::COOKIE, #FORMAT!("{}={}", #cookie, key.expose())),
                },
                _ => quote! {
                    AuthScheme::#ident => request.bearer_auth(key.expose()),
                },
            }
        });
        quote! {
            fn authorize(&self, request: ::reqwest::RequestBuilder) -> ::reqwest::RequestBuilder {
                match &self.auth {
                    #SOME((scheme, key)) => match scheme {
                        #(#arms)*
                    },
                    #NONE => request,
                }
            }
        }
    });
    // Without security schemes requests go out as they are.
    let apply_auth = apply_auth.unwrap_or_else(|| {
        quote! {
            fn authorize(&self, request: ::reqwest::RequestBuilder) -> ::reqwest::RequestBuilder {
                request
            }
        }
    });
    // A key in the query string goes into the URL before the request is
    // built (reqwest's `query` needs a feature the crate may not have).
    let query_arms: Vec<TokenStream> = schemes
        .iter()
        .filter_map(|(name, scheme)| match &scheme.kind {
            SecurityKind::ApiKeyQuery(query) => {
                let ident = to_ident(name);
                Some(quote! {
                    #SOME((AuthScheme::#ident, key)) => {
                        url.query_pairs_mut().append_pair(#query, key.expose());
                    }
                })
            }
            _ => None,
        })
        .collect();
    let authorize_url = (!query_arms.is_empty()).then(|| {
        quote! {
            /// Adds a query-string API key to `url`, when that is the
            /// scheme in use.
            #[allow(clippy::single_match)]
            fn authorize_url(&self, url: &mut ::reqwest::Url) {
                match &self.auth {
                    #(#query_arms)*
                    _ => {}
                }
            }
        }
    });
    let default_fields = shared.iter().map(|p| {
        let field = shared_header_field(api, p);
        let setter = shared_header_setter(api, p);
        let ty = rust_type(api, &p.ty, Scope::Sibling);
        let mut text = format!(
            "A default for the `{}` header, sent with every request that does not set its own.",
            p.wire
        );
        if let Some(d) = &p.doc {
            text.push_str("\n\n");
            text.push_str(d);
        }
        let doc = doc_attrs(&text);
        quote! {
            #doc
            #[setter(#setter)]
            #field: #ty,
        }
    });
    let auth = (!schemes.is_empty()).then(|| quote!(#[auth(AuthScheme)]));

    let error_enum = emit_error_enum(api, &errors);
    let methods = api.called().map(|op| emit_method(api, op));

    quote! {
            /// The servers the spec lists, in order.
            pub const SERVERS: &[&str] = &[#(#servers),*];

            #auth_enum
            // The runtime's client core, named briefly.
            use ::krosai_runtime::client as runtime;

            ::krosai_runtime::client! {
                #auth
                pub struct Client {
                    #(#default_fields)*
                }
            }

            impl Client {
                #default_server

                #apply_auth

                #authorize_url

                #(#methods)*
            }

            pub use runtime::{RequestOptions, Response, RetryPolicy, Violation};

            #error_enum


            #(#header_readers)*


    }
}

/// The `client` module: its shell, the client itself, and one request
/// builder per operation, each formatted on its own.
pub(super) fn client_module(api: &Api) -> super::Module<'_> {
    let shell = quote! {
        /// An async HTTP client for the API, on `reqwest`.
        ///
        /// Build a [`Client`](client::Client) with
        /// [`Client::builder`](client::Client::builder), then call one method
        /// per operation: each returns a request builder to set optional
        /// parameters on, and is sent by `.await`ing it.
        pub mod client {
            #![allow(deprecated)]
            // `ClientError` holds the spec's error bodies by value, so that
            // they can be matched on directly; a large error schema (Stripe's)
            // makes it large too, which only costs on the error path.
            #![allow(clippy::result_large_err)]
        }
    };
    let shared = std::sync::Arc::new(shared_headers(api));
    let errors = std::sync::Arc::new(api.error_variants());
    let mut units: Vec<super::Unit<'_>> = vec![super::Unit::tokens(move || client_core(api))];
    for op in api.called() {
        let (shared, errors) = (shared.clone(), errors.clone());
        units.push(super::Unit::tokens(move || {
            emit_operation(api, op, &shared, &errors)
        }));
    }
    super::Module { shell, units }
}
