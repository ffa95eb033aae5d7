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
                return quote!(#field: #text.map(::std::borrow::ToOwned::to_owned),);
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
    let form_text = api
        .called()
        .any(|o| {
            o.request_body
                .as_ref()
                .is_some_and(|b| b.encoding == BodyEncoding::Form)
        })
        .then(|| {
        quote! {
            /// A body as `application/x-www-form-urlencoded`: nested objects
            /// as `key[property]`, arrays as repeated keys (`form`, exploded,
            /// the spec's default).
            fn form_text<T: ::serde::Serialize>(body: &T) -> ::std::result::Result<::std::string::String, ClientError> {
                ::serde_qs::Config::new()
                    .use_form_encoding(true)
                    .array_format(::serde_qs::ArrayFormat::Unindexed)
                    .serialize_string(body)
                    .map_err(|e| ClientError::Config(::std::format!("cannot encode the request body: {e}")))
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
                        ::std::option::Option::Some((user, password)) => request.basic_auth(user, ::std::option::Option::Some(password)),
                        ::std::option::Option::None => request.basic_auth(key.expose(), ::std::option::Option::<&str>::None),
                    },
                },
                SecurityKind::ApiKeyCookie(cookie) => quote! {
                    AuthScheme::#ident => request.header(::reqwest::header::COOKIE, ::std::format!("{}={}", #cookie, key.expose())),
                },
                _ => quote! {
                    AuthScheme::#ident => request.bearer_auth(key.expose()),
                },
            }
        });
        quote! {
            fn authorize(&self, request: ::reqwest::RequestBuilder) -> ::reqwest::RequestBuilder {
                match &self.auth {
                    ::std::option::Option::Some((scheme, key)) => match scheme {
                        #(#arms)*
                    },
                    ::std::option::Option::None => request,
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
                    ::std::option::Option::Some((AuthScheme::#ident, key)) => {
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
    let builder_doc = if api.servers.is_empty() {
        quote!(
            /// Settings for a client of `base_url` (the API's or a test
            /// server's).
        )
    } else {
        quote!(
            /// Settings for a client of `base_url` (for example
            /// [`Client::DEFAULT_SERVER`] or a test server).
        )
    };
    let auth_field =
        (!schemes.is_empty()).then(|| quote!(auth: ::std::option::Option<(AuthScheme, Secret)>,));
    let auth_builder_field =
        (!schemes.is_empty()).then(|| quote!(auth: ::std::option::Option<(AuthScheme, Secret)>,));
    let auth_builder_init =
        (!schemes.is_empty()).then(|| quote!(auth: ::std::option::Option::None,));
    let auth_build = (!schemes.is_empty()).then(|| quote!(auth: self.auth,));
    let auth_setters = (!schemes.is_empty()).then(|| {
        quote! {
            /// The API key, sent with the default [`AuthScheme`]. It never
            /// appears in `Debug` output or error messages.
            pub fn api_key(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.api_key_with(AuthScheme::default(), key)
            }

            /// The API key, sent with the given scheme (for example in a
            /// header instead of `Authorization: Bearer`).
            pub fn api_key_with(mut self, scheme: AuthScheme, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.auth = ::std::option::Option::Some((scheme, Secret::new(key.into())));
                self
            }
        }
    });
    let auth_debug = (!schemes.is_empty())
        .then(|| quote!(.field("auth", &self.auth.as_ref().map(|(scheme, _)| scheme))));
    let secret = (!schemes.is_empty()).then(|| {
        quote!(
            use runtime::Secret;
        )
    });

    let shared_fields: Vec<TokenStream> = shared
        .iter()
        .map(|p| {
            let field = shared_header_field(api, p);
            let ty = rust_type(api, &p.ty, Scope::Sibling);
            quote!(#field: ::std::option::Option<#ty>,)
        })
        .collect();
    let shared_init: Vec<TokenStream> = shared
        .iter()
        .map(|p| {
            let field = shared_header_field(api, p);
            quote!(#field: ::std::option::Option::None,)
        })
        .collect();
    let shared_build: Vec<TokenStream> = shared
        .iter()
        .map(|p| {
            let field = shared_header_field(api, p);
            quote!(#field: self.#field,)
        })
        .collect();
    let shared_debug: Vec<TokenStream> = shared
        .iter()
        .map(|p| {
            let field = shared_header_field(api, p);
            let name = field.to_string();
            quote!(.field(#name, &self.#field))
        })
        .collect();
    let shared_setters = shared.iter().map(|p| {
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
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field = ::std::option::Option::Some(value);
                self
            }
        }
    });

    let error_enum = emit_error_enum(api, &errors);
    let methods = api.called().map(|op| emit_method(api, op));

    quote! {
            /// The servers the spec lists, in order.
            pub const SERVERS: &[&str] = &[#(#servers),*];

            #auth_enum
            // The runtime's client core, named briefly.
            use ::krosai_runtime::client as runtime;
            #secret

            /// A client for the API. Cheap to clone: clones share one
            /// connection pool.
            #[derive(Clone)]
            pub struct Client {
                base_url: ::reqwest::Url,
                http: runtime::Transport,
                retry: RetryPolicy,
                #auth_field
                #(#shared_fields)*
            }

            impl ::std::fmt::Debug for Client {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Client")
                        .field("base_url", &self.base_url.as_str())
                        .field("transport", &self.http)
                        #auth_debug
                        #(#shared_debug)*
                        .finish_non_exhaustive()
                }
            }

            /// Settings for a [`Client`].
            #[derive(Debug)]
            #[must_use = "a builder does nothing until `build` is called"]
            pub struct ClientBuilder {
                base_url: ::std::string::String,
                http: ::std::option::Option<::reqwest::Client>,
                service: ::std::option::Option<runtime::Service>,
                timeout: ::std::option::Option<::std::time::Duration>,
                user_agent: ::std::option::Option<::std::string::String>,
                retry: RetryPolicy,
                #auth_builder_field
                #(#shared_fields)*
            }

            impl ClientBuilder {
                #auth_setters
                #(#shared_setters)*

                /// A timeout for each attempt of a request (connect, send,
                /// receive). Ignored when a custom `reqwest::Client` is
                /// given (set it there).
                pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                    self.timeout = ::std::option::Option::Some(timeout);
                    self
                }

                /// When requests are sent again ([`RetryPolicy::new`] by
                /// default: idempotent requests, twice more, on connection
                /// errors, timeouts, `408`, `429`, `502`, `503` and `504`;
                /// [`RetryPolicy::none`] turns retries off).
                pub fn retry(mut self, policy: RetryPolicy) -> Self {
                    self.retry = policy;
                    self
                }

                /// The `User-Agent` header. Ignored when a custom
                /// `reqwest::Client` is given.
                pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.user_agent = ::std::option::Option::Some(user_agent.into());
                    self
                }

                /// A `reqwest::Client` of your own (custom TLS, proxies,
                /// connection pool settings...).
                pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                    self.http = ::std::option::Option::Some(http);
                    self
                }

                /// Sends requests through a `tower::Service` instead of over
                /// the network: a generated server's router (a test against a
                /// typed fake of the API, without a socket), a stack of layers
                /// around [`krosai_runtime::client::HttpClient`] that signs or
                /// logs requests, or a test double. The typed API, the checks,
                /// retries and timeouts stay as they are.
                pub fn service(mut self, service: impl runtime::HttpService) -> Self {
                    self.service = ::std::option::Option::Some(runtime::Service::new(service));
                    self
                }

                /// Builds the client. Fails if the base URL is not a valid
                /// absolute URL or the HTTP client cannot be created.
                pub fn build(self) -> ::std::result::Result<Client, ClientError> {
                    let base_url = runtime::base_url(&self.base_url).map_err(ClientError::Config)?;
                    let http = match self.http {
                        ::std::option::Option::Some(http) => http,
                        ::std::option::Option::None => runtime::http_client(self.timeout, self.user_agent)
                            .map_err(ClientError::Config)?,
                    };
                    ::std::result::Result::Ok(Client {
                        base_url,
                        http: runtime::Transport::new(http, self.service, self.timeout),
                        retry: self.retry,
                        #auth_build
                        #(#shared_build)*
                    })
                }
            }

            impl Client {
                #default_server

                /// A client for `base_url` with default settings.
                pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, ClientError> {
                    Self::builder(base_url).build()
                }

                #builder_doc
                pub fn builder(base_url: impl ::std::convert::Into<::std::string::String>) -> ClientBuilder {
                    ClientBuilder {
                        base_url: base_url.into(),
                        http: ::std::option::Option::None,
                        service: ::std::option::Option::None,
                        timeout: ::std::option::Option::None,
                        user_agent: ::std::option::Option::None,
                        retry: RetryPolicy::new(),
                        #auth_builder_init
                        #(#shared_init)*
                    }
                }

                /// The base URL requests are sent under.
                pub fn base_url(&self) -> &str {
                    self.base_url.as_str()
                }

                /// The `reqwest::Client` requests are built (and, without a
                /// custom service, sent) with.
                pub fn http_client(&self) -> &::reqwest::Client {
                    self.http.http_client()
                }

                #apply_auth

                #authorize_url

                /// The URL for a path given as segments (each percent-encoded).
                fn url(&self, segments: &[&str]) -> ::reqwest::Url {
                    runtime::join_path(&self.base_url, segments)
                }

                /// Sends a request of `operation` (unless building it failed)
                /// and decodes the answer with `answer`, sending it again as
                /// the retry policy says (`idempotent`: sending it twice is
                /// harmless). Every operation's `send` ends here: the one
                /// `async` body of the client.
                async fn call<T>(
                    &self,
                    request: ::std::result::Result<::reqwest::RequestBuilder, ClientError>,
                    operation: runtime::Operation,
                    idempotent: bool,
                    options: RequestOptions,
                    answer: runtime::Decode<T, ClientError>,
                ) -> ::std::result::Result<Response<T>, ClientError> {
                    let request = options.apply(self.authorize(request?));
                    let (status, headers, bytes) = self
                        .http
                        .execute(request, &operation, idempotent, &options.retry_policy(&self.retry))
                        .await
                        .map_err(ClientError::transport)?;
                    answer(status, headers, bytes)
                }

                #(#methods)*
            }

            pub use runtime::{RequestOptions, Response, RetryPolicy, Violation};

            #error_enum

            #form_text

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
