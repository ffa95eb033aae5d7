//! The `client` module: an async client on `reqwest`, one request builder
//! per operation.
//!
//! A user writes no URL, header, status code or JSON by hand: path, query
//! and header parameters are typed builder setters, bounds are checked
//! before anything is sent, documented error statuses decode into typed
//! [`ClientError`] variants, and page-number pagination becomes a stream.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, rust_type, Scope};
use crate::ident::to_ident;
use crate::model::{
    Api, BodyEncoding, Constraints, Operation, Parameter, ParameterLocation, ParameterStyle,
    PathSegment, Primitive, Response, SecurityKind, StatusSpec, TypeKind, TypeRef,
};

/// A documented error status shared by one or more operations, and the
/// [`ClientError`] variant that carries it.
struct ErrorVariant {
    /// The variant name (`NotFound`).
    name: String,
    /// The statuses it covers.
    status: StatusSpec,
    /// The body type, when every operation documents the same one; else
    /// the raw JSON value.
    body: ErrorBody,
}

#[derive(Clone, PartialEq)]
enum ErrorBody {
    /// JSON of this type.
    Typed(TypeRef),
    /// Any JSON (`null` when empty).
    Json,
    /// Text (a non-JSON body, or bodies that differ in kind).
    Text,
}

fn is_success(status: StatusSpec) -> bool {
    match status {
        StatusSpec::Code(code) => (200..300).contains(&code),
        StatusSpec::Range(digit) => digit == 2,
        StatusSpec::Default => false,
    }
}

/// The error variants of the whole API: one per documented non-success
/// status (in order of first appearance), typed when all operations agree
/// on its body.
fn error_variants(api: &Api) -> Vec<ErrorVariant> {
    let mut variants: Vec<ErrorVariant> = Vec::new();
    for op in &api.operations {
        for response in op.responses.iter().filter(|r| !is_success(r.status)) {
            let body = match &response.body {
                Some(b) if b.encoding == BodyEncoding::Json => ErrorBody::Typed(b.ty.clone()),
                Some(_) => ErrorBody::Text,
                None => ErrorBody::Json,
            };
            match variants.iter_mut().find(|v| v.status == response.status) {
                Some(existing) => {
                    if existing.body != body {
                        // Text holds any body; JSON any JSON body.
                        existing.body =
                            if existing.body == ErrorBody::Text || body == ErrorBody::Text {
                                ErrorBody::Text
                            } else {
                                ErrorBody::Json
                            };
                    }
                }
                None => variants.push(ErrorVariant {
                    name: response.status.reason_name(),
                    status: response.status,
                    body,
                }),
            }
        }
    }
    variants
}

/// The success type of an operation: the body of its 2xx responses when
/// they agree (`()` when none has a body), else the raw JSON value.
fn success_type(api: &Api, op: &Operation) -> TokenStream {
    match success_body(op) {
        SuccessBody::None => quote!(()),
        SuccessBody::One(response) => body_type(api, response),
        SuccessBody::Mixed => {
            let ident = to_ident(&op.success_name);
            quote!(#ident)
        }
    }
}

/// The enum of an operation's successful answers, when its 2xx responses
/// have different bodies (or some have none).
fn success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    if !matches!(success_body(op), SuccessBody::Mixed) {
        return None;
    }
    let ident = to_ident(&op.success_name);
    let variants = op
        .responses
        .iter()
        .filter(|r| is_success(r.status))
        .map(|r| {
            let variant = to_ident(&r.name);
            let status = match r.status {
                StatusSpec::Code(code) => code.to_string(),
                StatusSpec::Range(d) => format!("{d}XX"),
                StatusSpec::Default => "default".to_owned(),
            };
            let doc = doc_attrs(&format!("{status}: {}", r.description.trim()));
            match &r.body {
                Some(_) => {
                    let ty = body_type(api, r);
                    quote!(#doc #variant(#ty),)
                }
                None => quote!(#doc #variant,),
            }
        });
    let doc = doc_attrs(&format!(
        "The successful answers of `{}`: its 2xx responses differ, one variant each.",
        op.operation_id
    ));
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #ident {
            #(#variants)*
        }
    })
}

enum SuccessBody<'o> {
    None,
    One(&'o Response),
    Mixed,
}

/// An operation that documents no 2xx response but a `default` one
/// answers successes with it (the `default` response is all it says).
fn default_is_success(op: &Operation) -> Option<&Response> {
    if op.responses.iter().any(|r| is_success(r.status)) {
        return None;
    }
    op.responses
        .iter()
        .find(|r| r.status == StatusSpec::Default)
}

fn success_body(op: &Operation) -> SuccessBody<'_> {
    let successes: Vec<&Response> = match default_is_success(op) {
        Some(default) => vec![default],
        None => op
            .responses
            .iter()
            .filter(|r| is_success(r.status))
            .collect(),
    };
    let with_body: Vec<&Response> = successes
        .iter()
        .copied()
        .filter(|r| r.body.is_some())
        .collect();
    match with_body.as_slice() {
        [] => SuccessBody::None,
        [one] if successes.len() == 1 => SuccessBody::One(one),
        [first, rest @ ..] => {
            let same = rest.iter().all(|r| {
                r.body.as_ref().map(|b| (&b.ty, &b.encoding))
                    == first.body.as_ref().map(|b| (&b.ty, &b.encoding))
            });
            // 2xx responses without a body next to ones with a body would
            // have to be `Option`; keep the raw value instead.
            if same && with_body.len() == successes.len() {
                SuccessBody::One(first)
            } else {
                SuccessBody::Mixed
            }
        }
    }
}

fn body_type(api: &Api, response: &Response) -> TokenStream {
    match &response.body {
        None => quote!(()),
        // Text and binary bodies were lowered to `String` and `Vec<u8>`.
        Some(body) => rust_type(api, &body.ty, Scope::Sibling),
    }
}

/// Decodes `bytes` (a local) into the body of `response`.
fn decode_body(api: &Api, response: &Response) -> TokenStream {
    match &response.body {
        None => quote!(::std::result::Result::Ok(())),
        Some(body) => match body.encoding {
            BodyEncoding::Text => quote!(::std::result::Result::Ok(
                ::std::string::String::from_utf8_lossy(&bytes).into_owned()
            )),
            BodyEncoding::Binary => quote!(::std::result::Result::Ok(bytes)),
            // Unions decode from the text directly, with no JSON value in
            // between.
            _ if is_union(api, &body.ty) => {
                let ty = rust_type(api, &body.ty, Scope::Sibling);
                quote!(#ty::from_json_slice(&bytes).map_err(|source| ClientError::decode(status, &bytes, source)))
            }
            // The type comes from where the body goes.
            _ => quote!(decode_json(status, &bytes)),
        },
    }
}

/// Whether a type is (an alias of) a generated union.
fn is_union(api: &Api, ty: &TypeRef) -> bool {
    matches!(api.kind_of(ty), Some(TypeKind::OneOf(_)))
}

/// The schemes the client can send credentials for.
fn auth_schemes(api: &Api) -> Vec<(String, &crate::model::SecurityScheme)> {
    api.security_schemes
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SecurityKind::Bearer
                    | SecurityKind::Basic
                    | SecurityKind::ApiKeyHeader(_)
                    | SecurityKind::ApiKeyQuery(_)
                    | SecurityKind::ApiKeyCookie(_)
                    | SecurityKind::Other(_)
            )
        })
        .map(|s| (s.name.clone(), s))
        .collect()
}

/// Header parameters every operation has: the builder sets a default for
/// them once (`x-organization-id` → `.organization_id(...)`).
fn shared_headers(api: &Api) -> Vec<&Parameter> {
    api.client_defaults
        .iter()
        .filter_map(|d| api.operations.first()?.parameters.get(d.parameter))
        .collect()
}

/// The model's names for a shared header's default.
fn client_default<'a>(
    api: &'a Api,
    parameter: &Parameter,
) -> Option<&'a crate::model::ClientDefault> {
    api.client_defaults
        .iter()
        .find(|d| d.wire.eq_ignore_ascii_case(&parameter.wire))
}

/// The builder setter for a shared header's default.
fn shared_header_setter(api: &Api, parameter: &Parameter) -> Ident {
    to_ident(client_default(api, parameter).map_or("default", |d| d.setter.as_str()))
}

/// The client field holding a shared header's default.
fn shared_header_field(api: &Api, parameter: &Parameter) -> Ident {
    to_ident(client_default(api, parameter).map_or("default", |d| d.field.as_str()))
}

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
    let errors = error_variants(api);
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
    let form_text = api.uses_body(BodyEncoding::Form).then(|| {
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
    let methods = api.operations.iter().map(|op| emit_method(api, op));

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
                http: ::reqwest::Client,
                #auth_field
                #(#shared_fields)*
            }

            impl ::std::fmt::Debug for Client {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Client")
                        .field("base_url", &self.base_url.as_str())
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
                timeout: ::std::option::Option<::std::time::Duration>,
                user_agent: ::std::option::Option<::std::string::String>,
                #auth_builder_field
                #(#shared_fields)*
            }

            impl ClientBuilder {
                #auth_setters
                #(#shared_setters)*

                /// A timeout for each whole request (connect, send, receive).
                /// Ignored when a custom `reqwest::Client` is given.
                pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                    self.timeout = ::std::option::Option::Some(timeout);
                    self
                }

                /// The `User-Agent` header. Ignored when a custom
                /// `reqwest::Client` is given.
                pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.user_agent = ::std::option::Option::Some(user_agent.into());
                    self
                }

                /// A `reqwest::Client` of your own (custom TLS, proxies,
                /// middleware-free connection pool settings...).
                pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                    self.http = ::std::option::Option::Some(http);
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
                        http,
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
                        timeout: ::std::option::Option::None,
                        user_agent: ::std::option::Option::None,
                        #auth_builder_init
                        #(#shared_init)*
                    }
                }

                /// The base URL requests are sent under.
                pub fn base_url(&self) -> &str {
                    self.base_url.as_str()
                }

                /// The underlying `reqwest::Client`.
                pub fn http_client(&self) -> &::reqwest::Client {
                    &self.http
                }

                #apply_auth

                #authorize_url

                /// The URL for a path given as segments (each percent-encoded).
                fn url(&self, segments: &[&str]) -> ::reqwest::Url {
                    runtime::join_path(&self.base_url, segments)
                }

                /// Sends a request and reads the whole answer.
                async fn execute(
                    &self,
                    request: ::reqwest::RequestBuilder,
                ) -> ::std::result::Result<(::reqwest::StatusCode, ::reqwest::header::HeaderMap, ::std::vec::Vec<u8>), ClientError> {
                    runtime::read(self.authorize(request)).await.map_err(ClientError::transport)
                }

                #(#methods)*
            }

            pub use runtime::{Response, Violation};

            #error_enum

            /// Decodes a JSON body, keeping the raw text when it does not
            /// match.
            #[allow(dead_code)]
            fn decode_json<T: ::serde::de::DeserializeOwned>(
                status: ::reqwest::StatusCode,
                bytes: &[u8],
            ) -> ::std::result::Result<T, ClientError> {
                ::serde_json::from_slice(bytes).map_err(|source| ClientError::decode(status, bytes, source))
            }

            /// Decodes a body kept as raw JSON (`null` when empty).
            #[allow(dead_code)]
            fn decode_json_or_null(
                status: ::reqwest::StatusCode,
                bytes: &[u8],
            ) -> ::std::result::Result<::serde_json::Value, ClientError> {
                if bytes.is_empty() {
                    ::std::result::Result::Ok(::serde_json::Value::Null)
                } else {
                    decode_json(status, bytes)
                }
            }

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
    let errors = std::sync::Arc::new(error_variants(api));
    let mut units: Vec<super::Unit<'_>> = vec![Box::new(move || client_core(api))];
    for op in &api.operations {
        let (shared, errors) = (shared.clone(), errors.clone());
        units.push(Box::new(move || emit_operation(api, op, &shared, &errors)));
    }
    super::Module { shell, units }
}

fn emit_error_enum(api: &Api, errors: &[ErrorVariant]) -> TokenStream {
    let variants = errors.iter().map(|e| {
        let ident = to_ident(&e.name);
        let what = match e.status {
            StatusSpec::Code(code) => format!("The server answered {code} ({})", e.name),
            StatusSpec::Range(d) => format!("The server answered a {d}XX status"),
            StatusSpec::Default => "The server answered a status documented only as `default`".to_owned(),
        };
        let body = match &e.body {
            ErrorBody::Typed(ty) => rust_type(api, ty, Scope::Sibling),
            ErrorBody::Json => quote!(::serde_json::Value),
            ErrorBody::Text => quote!(::std::string::String),
        };
        let text = match &e.body {
            ErrorBody::Typed(_) => format!("{what}, with the body the spec documents for it."),
            ErrorBody::Json => format!("{what}; operations document different bodies for it, so it is kept as JSON (`null` when empty)."),
            ErrorBody::Text => format!("{what}; the body is not (always) JSON, so it is kept as text."),
        };
        let doc = doc_attrs(&text);
        match e.status {
            StatusSpec::Code(_) => quote! {
                #doc
                #ident(#body),
            },
            _ => quote! {
                #doc
                #ident {
                    /// The status.
                    status: ::reqwest::StatusCode,
                    /// The decoded body.
                    body: #body,
                },
            },
        }
    });
    let status_arms = errors.iter().map(|e| {
        let ident = to_ident(&e.name);
        match e.status {
            StatusSpec::Code(code) => quote! {
                Self::#ident(_) => ::reqwest::StatusCode::from_u16(#code).ok(),
            },
            _ => quote! {
                Self::#ident { status, .. } => ::std::option::Option::Some(*status),
            },
        }
    });
    let display_arms = errors.iter().map(|e| {
        let ident = to_ident(&e.name);
        match e.status {
            StatusSpec::Code(code) => {
                let text = format!("the server answered {code} {}: {{:?}}", e.name);
                quote!(Self::#ident(body) => write!(f, #text, body),)
            }
            _ => quote!(Self::#ident { status, body } => write!(f, "the server answered {}: {:?}", status, body),),
        }
    });
    quote! {
        /// Why a request failed.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum ClientError {
            /// Parameters break the spec's rules; nothing was sent. Every
            /// violation is listed.
            InvalidRequest(::std::vec::Vec<Violation>),
            #(#variants)*
            /// The server answered a status this operation does not
            /// document.
            UnexpectedStatus {
                /// The status.
                status: ::reqwest::StatusCode,
                /// The raw body.
                body: ::std::string::String,
            },
            /// The body does not match the schema the spec documents.
            Decode {
                /// The status.
                status: ::reqwest::StatusCode,
                /// The raw body.
                body: ::std::string::String,
                /// Why decoding failed.
                source: ::serde_json::Error,
            },
            /// The body decoded, but is not the kind this call expects (a
            /// page of a list, for example, when the server sent another
            /// variant of the union).
            UnexpectedBody {
                /// The status.
                status: ::reqwest::StatusCode,
                /// What was expected instead.
                expected: &'static str,
            },
            /// The request timed out.
            Timeout(::reqwest::Error),
            /// Connecting, sending or receiving failed.
            Transport(::reqwest::Error),
            /// The client could not be built.
            Config(::std::string::String),
        }

        impl ClientError {
            /// The HTTP status, when the server answered.
            pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
                match self {
                    #(#status_arms)*
                    Self::UnexpectedStatus { status, .. }
                    | Self::Decode { status, .. }
                    | Self::UnexpectedBody { status, .. } => ::std::option::Option::Some(*status),
                    Self::InvalidRequest(_) | Self::Timeout(_) | Self::Transport(_) | Self::Config(_) => ::std::option::Option::None,
                }
            }

            fn transport(error: ::reqwest::Error) -> Self {
                // The URL can hold a query-string credential: never keep it.
                let error = error.without_url();
                if error.is_timeout() {
                    Self::Timeout(error)
                } else {
                    Self::Transport(error)
                }
            }

            // Unused by APIs whose answers have no JSON body.
            #[allow(dead_code)]
            fn decode(status: ::reqwest::StatusCode, bytes: &[u8], source: ::serde_json::Error) -> Self {
                Self::Decode {
                    status,
                    body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                    source,
                }
            }
        }

        impl ::std::fmt::Display for ClientError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::InvalidRequest(violations) => {
                        f.write_str("invalid request, nothing was sent: ")?;
                        for (index, violation) in violations.iter().enumerate() {
                            if index > 0 {
                                f.write_str("; ")?;
                            }
                            ::std::fmt::Display::fmt(violation, f)?;
                        }
                        ::std::result::Result::Ok(())
                    }
                    #(#display_arms)*
                    Self::UnexpectedStatus { status, body } => write!(f, "the server answered {status}, which this operation does not document: {body}"),
                    Self::Decode { status, source, .. } => write!(f, "the {status} body does not match the schema: {source}"),
                    Self::UnexpectedBody { status, expected } => write!(f, "the {status} body is not {expected}"),
                    Self::Timeout(error) => write!(f, "the request timed out: {error}"),
                    Self::Transport(error) => write!(f, "the request failed: {error}"),
                    Self::Config(message) => f.write_str(message),
                }
            }
        }

        impl ::std::error::Error for ClientError {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Decode { source, .. } => ::std::option::Option::Some(source),
                    Self::Timeout(error) | Self::Transport(error) => ::std::option::Option::Some(error),
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}

/// The Rust method on `Client` that starts a request.
fn emit_method(api: &Api, op: &Operation) -> TokenStream {
    let method = to_ident(&op.name);
    let builder = to_ident(&op.builder_name);
    let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = to_ident(&p.name);
        let ty = rust_type(api, &p.ty, Scope::Sibling);
        quote!(#name: #ty)
    });
    let body_arg = op.request_body.as_ref().filter(|b| b.required).map(|b| {
        let ty = request_body_type(api, b);
        quote!(body: #ty,)
    });
    let body_init = match &op.request_body {
        Some(b) if b.required => quote!(body: ::std::option::Option::Some(body),),
        Some(_) => quote!(body: ::std::option::Option::None,),
        None => quote!(),
    };
    let params_init = op.params_type.map(|id| {
        let ty = to_ident(&api.ty(id).name);
        let fields = op.parameters.iter().map(|p| {
            let name = to_ident(&p.name);
            if p.required {
                quote!(#name,)
            } else {
                quote!(#name: ::std::option::Option::None,)
            }
        });
        quote!(params: super::types::#ty { #(#fields)* },)
    });
    let doc = operation_doc(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let pagination = op.pagination.as_ref().filter(|_| !has_raw_form(api, op));
    let stream = pagination.zip(op.params_type).map(|(p, params)| {
        let stream = to_ident(&p.stream_name);
        let params = to_ident(&api.ty(params).name);
        let item = rust_type(api, &p.item, Scope::Sibling);
        let text = format!(
            "Every item of every page of `{}`, fetched lazily one page at a time from the first page, stopping after the last one (`total_pages`). `params.page` is ignored; an error ends the stream.",
            op.operation_id
        );
        let doc = doc_attrs(&text);
        quote! {
            #doc
            pub fn #stream(&self, params: super::types::#params) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item, ClientError>> + '_ {
                #builder { client: self, params, #body_init }.into_stream()
            }
        }
    });
    let stream = if required.is_empty() && op.request_body.as_ref().is_none_or(|b| !b.required) {
        stream
    } else {
        None
    };
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args,)* #body_arg) -> #builder<'_> {
            #builder {
                client: self,
                #params_init
                #body_init
            }
        }

        #stream
    }
}

fn operation_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            text.push_str(description.trim());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!(
        "`{} {}` (`{}`).",
        op.method.as_str(),
        op.path,
        op.operation_id
    ));
    doc_attrs(&text)
}

/// Whether an operation's body is a caller-built `reqwest::multipart::Form`
/// (a multipart schema that is not a plain object). A form cannot be
/// cloned, so neither can such a request builder, and it has no
/// pagination stream (which clones the request for every page).
fn has_raw_form(api: &Api, op: &Operation) -> bool {
    op.request_body.as_ref().is_some_and(|b| {
        b.encoding == BodyEncoding::Multipart && super::multipart_struct(api, &b.ty).is_none()
    })
}

fn request_body_type(api: &Api, body: &crate::model::RequestBody) -> TokenStream {
    match body.encoding {
        // A multipart body whose schema is not a plain object: the caller
        // builds the form (the documented raw form).
        BodyEncoding::Multipart if super::multipart_struct(api, &body.ty).is_none() => {
            quote!(::reqwest::multipart::Form)
        }
        _ => rust_type(api, &body.ty, Scope::Sibling),
    }
}

/// Statements turning `body` (an owned struct) into `form`, a
/// `reqwest::multipart::Form` with one part per set field: binary fields as
/// file parts, scalars as text, anything else as a JSON part.
fn multipart_form(api: &Api, s: &crate::model::Struct) -> TokenStream {
    let parts = s.fields.iter().map(|f| {
        let field = to_ident(&f.name);
        let wire = &f.wire;
        let append_one = |ty: &TypeRef, value: TokenStream| -> TokenStream {
            match api.primitive_of(ty) {
                Some(Primitive::Bytes) => quote! {
                    form = form.part(#wire, ::reqwest::multipart::Part::bytes(#value).file_name(#wire));
                },
                Some(Primitive::String) => quote!(form = form.text(#wire, #value);),
                Some(Primitive::Json | Primitive::JsonObject) | None if !super::is_enum(api, ty) => quote! {
                    let part = ::reqwest::multipart::Part::text(runtime::json_text(&#value))
                        .mime_str("application/json")
                        .map_err(|e| ClientError::Config(::std::format!("cannot encode the request body: {e}")))?;
                    form = form.part(#wire, part);
                },
                _ => {
                    let text = scalar_to_string(api, ty, quote!(v));
                    quote!(form = form.text(#wire, { let v = &#value; #text });)
                }
            }
        };
        let append = match &f.ty {
            TypeRef::Array(inner) => {
                let one = append_one(inner, quote!(item));
                quote! {
                    for item in value {
                        #one
                    }
                }
            }
            // Only structs and unions are ever boxed, and they go as JSON.
            ty => append_one(ty, quote!(value)),
        };
        if f.is_optional() {
            quote! {
                if let ::std::option::Option::Some(value) = body.#field {
                    #append
                }
            }
        } else {
            quote! {
                {
                    let value = body.#field;
                    #append
                }
            }
        }
    });
    let extra = s.additional.as_ref().map(|_| {
        let field = to_ident(&s.additional_name);
        quote! {
            for (key, value) in body.#field {
                form = form.text(key, runtime::json_text(&value));
            }
        }
    });
    quote! {
        let mut form = ::reqwest::multipart::Form::new();
        #(#parts)*
        #extra
    }
}

/// The request builder of one operation and the code that sends it.
fn emit_operation(
    api: &Api,
    op: &Operation,
    shared: &[&Parameter],
    errors: &[ErrorVariant],
) -> TokenStream {
    let builder = to_ident(&op.builder_name);
    let success = success_type(api, op);
    let params_field = op.params_type.map(|id| {
        let ty = to_ident(&api.ty(id).name);
        quote!(params: super::types::#ty,)
    });
    let body_field = op.request_body.as_ref().map(|b| {
        let ty = request_body_type(api, b);
        quote!(body: ::std::option::Option<#ty>,)
    });
    let setters = op.parameters.iter().filter(|p| !p.required).map(|p| {
        let name = to_ident(&p.name);
        let ty = rust_type(api, &p.ty, Scope::Sibling);
        let mut text = p.doc.clone().map(|doc| doc + "\n\n").unwrap_or_default();
        text.push_str(&format!(
            "({} parameter `{}`{})",
            location_name(p.location),
            p.wire,
            bounds_text(&p.constraints)
        ));
        let doc = doc_attrs(&text);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #doc
            #deprecated
            pub fn #name(mut self, value: #ty) -> Self {
                self.params.#name = ::std::option::Option::Some(value);
                self
            }
        }
    });
    let body_setter = op.request_body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = request_body_type(api, b);
        quote! {
            /// The request body (optional for this operation).
            pub fn body(mut self, body: #ty) -> Self {
                self.body = ::std::option::Option::Some(body);
                self
            }
        }
    });
    let validations: Vec<TokenStream> = op
        .parameters
        .iter()
        .map(|p| validation(api, p))
        .filter(|v| !v.is_empty())
        .collect();
    let validate = (!validations.is_empty()).then(|| {
        quote! {
            let mut violations: ::std::vec::Vec<Violation> = ::std::vec::Vec::new();
            #(#validations)*
            if !violations.is_empty() {
                return ::std::result::Result::Err(ClientError::InvalidRequest(violations));
            }
        }
    });
    let method = match op.method {
        crate::model::Method::Get => quote!(GET),
        crate::model::Method::Put => quote!(PUT),
        crate::model::Method::Post => quote!(POST),
        crate::model::Method::Delete => quote!(DELETE),
        crate::model::Method::Options => quote!(OPTIONS),
        crate::model::Method::Head => quote!(HEAD),
        crate::model::Method::Patch => quote!(PATCH),
        crate::model::Method::Trace => quote!(TRACE),
    };
    let segments = path_segments(api, op);
    let authorize_url_call = api
        .security_schemes
        .iter()
        .any(|s| matches!(s.kind, SecurityKind::ApiKeyQuery(_)))
        .then(|| quote!(client.authorize_url(&mut url);));
    let query = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .map(|p| query_parameter(api, p));
    let headers = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Header)
        .map(|p| header_parameter(api, p, shared));
    let cookies: Vec<&Parameter> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Cookie)
        .collect();
    let has = |location| op.parameters.iter().any(|p| p.location == location);
    let url_mut =
        (has(ParameterLocation::Query) || authorize_url_call.is_some()).then(|| quote!(mut));
    let request_mut =
        (has(ParameterLocation::Header) || !cookies.is_empty() || op.request_body.is_some())
            .then(|| quote!(mut));
    let cookie = (!cookies.is_empty()).then(|| {
        let parts = cookies.iter().map(|p| {
            let name = to_ident(&p.name);
            let wire = &p.wire;
            let value = styled_text(api, p, quote!(value));
            if p.required {
                quote!(cookies.push(::std::format!("{}={}", #wire, { let value = &params.#name; #value }));)
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = &params.#name {
                        cookies.push(::std::format!("{}={}", #wire, #value));
                    }
                }
            }
        });
        quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#parts)*
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    });
    let body = op.request_body.as_ref().map(|b| {
        let media = &b.media_type;
        match b.encoding {
            BodyEncoding::Text => quote! {
                if let ::std::option::Option::Some(body) = body {
                    request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(body);
                }
            },
            BodyEncoding::Binary => quote! {
                if let ::std::option::Option::Some(body) = body {
                    request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(body);
                }
            },
            BodyEncoding::Form => quote! {
                if let ::std::option::Option::Some(body) = body {
                    let text = form_text(&body)?;
                    request = request.header(::reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(text);
                }
            },
            BodyEncoding::Multipart => match super::multipart_struct(api, &b.ty) {
                Some(s) => {
                    let build = multipart_form(api, s);
                    quote! {
                        if let ::std::option::Option::Some(body) = body {
                            #build
                            request = request.multipart(form);
                        }
                    }
                }
                None => quote! {
                    if let ::std::option::Option::Some(form) = body {
                        request = request.multipart(form);
                    }
                },
            },
            BodyEncoding::Json => {
                // A wildcard says nothing about the body: send JSON as such.
                let media = if media.contains('*') { "application/json" } else { media.as_str() };
                quote! {
                    if let ::std::option::Option::Some(body) = body {
                        let bytes = ::serde_json::to_vec(&body)
                            .map_err(|e| ClientError::Config(::std::format!("cannot encode the request body: {e}")))?;
                        request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(bytes);
                    }
                }
            }
        }
    });
    let status_arms = op
        .responses
        .iter()
        .filter_map(|r| response_arm(api, op, r, errors));
    // With only a `default` response, a 2xx answer is a success in its shape.
    let default_success = default_is_success(op).map(|r| {
        if r.body.is_none() {
            return quote! {
                200..=299 => ::std::result::Result::Ok(Response::new(status, headers, ())),
            };
        }
        let decode = decode_body(api, r);
        quote! {
            200..=299 => {
                let body = #decode?;
                ::std::result::Result::Ok(Response::new(status, headers, body))
            }
        }
    });
    let has_default = op.responses.iter().any(|r| r.status == StatusSpec::Default);
    let fallback = if has_default {
        quote!()
    } else {
        quote! {
            _ => ::std::result::Result::Err(ClientError::UnexpectedStatus {
                status,
                body: ::std::string::String::from_utf8_lossy(&bytes).into_owned(),
            }),
        }
    };
    let params_binding = if op.params_type.is_some() {
        quote!(let params = self.params;)
    } else {
        quote!()
    };
    let body_binding = if op.request_body.is_some() {
        quote!(let body = self.body;)
    } else {
        quote!()
    };
    let into_stream = op.pagination.as_ref().filter(|_| !has_raw_form(api, op)).map(|p| {
        let item = rust_type(api, &p.item, Scope::Sibling);
        let page = to_ident(&op.parameters[p.page_parameter].name);
        let first = Literal::i64_unsuffixed(p.first_page);
        let page_struct = match &api.ty(p.page_type).kind {
            TypeKind::Struct(s) => s,
            _ => unreachable_struct(),
        };
        let items_field = &page_struct.fields[p.items_field];
        let total_field = &page_struct.fields[p.total_pages_field];
        let items_ident = to_ident(&items_field.name);
        let total_ident = to_ident(&total_field.name);
        let take_page = match p.variant {
            None => quote!(let page_body = body;),
            Some(index) => {
                let TypeKind::OneOf(o) = &api.ty(match resolve_body(api, op) { Some(id) => id, None => p.page_type }).kind else {
                    return quote!();
                };
                let union = rust_type(api, &success_type_ref(op), Scope::Sibling);
                let variant = to_ident(&o.variants[index].name);
                let expected = format!("a page of {}", api.ty(p.page_type).name);
                let value = if o.variants[index].boxed { quote!(*page) } else { quote!(page) };
                quote! {
                    let page_body = match body {
                        #union::#variant(page) => #value,
                        _ => return ::std::result::Result::Err(ClientError::UnexpectedBody { status, expected: #expected }),
                    };
                }
            }
        };
        let items = if items_field.is_optional() {
            quote!(page_body.#items_ident.unwrap_or_default())
        } else {
            quote!(page_body.#items_ident)
        };
        let total = if total_field.is_optional() {
            quote!(page_body.#total_ident)
        } else {
            quote!(::std::option::Option::Some(page_body.#total_ident))
        };
        let page_ty = rust_type(api, &op.parameters[p.page_parameter].ty, Scope::Sibling);
        quote! {
            /// Every item of every page, fetched lazily one page at a time
            /// from the first page (whatever `page` was set to), stopping
            /// after the last one (`total_pages`). An error ends the stream.
            pub fn into_stream(self) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item, ClientError>> + 'a {
                use ::futures_util::{StreamExt as _, TryStreamExt as _};
                let start: ::std::option::Option<#page_ty> = ::std::option::Option::Some(#first);
                ::futures_util::stream::try_unfold((self, start), |(request, next)| async move {
                    let ::std::option::Option::Some(page_number) = next else {
                        return ::std::result::Result::Ok(::std::option::Option::None);
                    };
                    let mut this_page = request.clone();
                    this_page.params.#page = ::std::option::Option::Some(page_number);
                    let response = this_page.send().await?;
                    let status = response.status();
                    let body = response.into_inner();
                    #take_page
                    let total_pages: ::std::option::Option<#page_ty> = #total;
                    let items: ::std::vec::Vec<#item> = #items;
                    let more = !items.is_empty() && total_pages.is_none_or(|total| page_number < total);
                    let next = if more { page_number.checked_add(1) } else { ::std::option::Option::None };
                    ::std::result::Result::Ok(::std::option::Option::Some((items, (request, next))))
                })
                .map_ok(|items| ::futures_util::stream::iter(items.into_iter().map(::std::result::Result::Ok)))
                .try_flatten()
                .boxed()
            }
        }
    });
    let doc = doc_attrs(&format!(
        "A `{}` request (`{} {}`): set optional parameters, then `.await` it (or call [`{}::send`]).",
        op.operation_id,
        op.method.as_str(),
        op.path,
        op.builder_name.trim_start_matches("r#")
    ));
    let send_doc = doc_attrs(&format!(
        "Checks the parameters against the spec, sends the request and decodes the answer.\n\n{}",
        responses_text(api, op)
    ));
    let success_enum = success_enum(api, op);
    let derives = if has_raw_form(api, op) {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone)])
    };
    quote! {
        #success_enum

        #doc
        #derives
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder<'a> {
            client: &'a Client,
            #params_field
            #body_field
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter

            #send_doc
            pub async fn send(self) -> ::std::result::Result<Response<#success>, ClientError> {
                let client = self.client;
                #params_binding
                #body_binding
                #validate
                let #url_mut url = client.url(&[#(#segments),*]);
                #(#query)*
                #authorize_url_call
                let #request_mut request = client.http.request(::reqwest::Method::#method, url);
                #(#headers)*
                #cookie
                #body
                let (status, headers, bytes) = client.execute(request).await?;
                // Only successful answers keep the headers.
                let _ = &headers;
                match status.as_u16() {
                    #default_success
                    #(#status_arms)*
                    #fallback
                }
            }

            #into_stream
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<Response<#success>, ClientError>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

fn unreachable_struct() -> &'static crate::model::Struct {
    static EMPTY: std::sync::OnceLock<crate::model::Struct> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| crate::model::Struct {
        fields: Vec::new(),
        additional: None,
        additional_name: String::new(),
        closed: false,
        parameters: false,
    })
}

fn success_type_ref(op: &Operation) -> TypeRef {
    match success_body(op) {
        SuccessBody::One(r) => r
            .body
            .as_ref()
            .map(|b| b.ty.clone())
            .unwrap_or(TypeRef::Primitive(Primitive::Json)),
        _ => TypeRef::Primitive(Primitive::Json),
    }
}

fn resolve_body(api: &Api, op: &Operation) -> Option<crate::model::TypeId> {
    let ty = success_type_ref(op);
    match api.resolve(&ty) {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

fn responses_text(api: &Api, op: &Operation) -> String {
    let mut lines = vec!["Answers:".to_owned()];
    for r in &op.responses {
        let status = match r.status {
            StatusSpec::Code(code) => code.to_string(),
            StatusSpec::Range(d) => format!("{d}XX"),
            StatusSpec::Default => "default".to_owned(),
        };
        let outcome = if is_success(r.status) && matches!(success_body(op), SuccessBody::Mixed) {
            format!("`Ok` with [`{}::{}`]", op.success_name, r.name)
        } else if is_success(r.status) {
            "`Ok`".to_owned()
        } else {
            format!("[`ClientError::{}`]", r.name)
        };
        let headers = r
            .headers_type
            .map(|id| {
                format!(
                    " (headers: [`{}::from_header_map`](super::types::{0}::from_header_map))",
                    api.ty(id).name.trim_start_matches("r#")
                )
            })
            .unwrap_or_default();
        lines.push(format!(
            "- {status} → {outcome}: {}{headers}",
            r.description.trim().replace('\n', " ")
        ));
    }
    lines.join("\n")
}

fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

fn bounds_text(c: &Constraints) -> String {
    let mut parts = Vec::new();
    if let Some(min) = c.minimum {
        parts.push(format!(
            "{} {}",
            if min.exclusive {
                "exclusive minimum"
            } else {
                "minimum"
            },
            min.value
        ));
    }
    if let Some(max) = c.maximum {
        parts.push(format!(
            "{} {}",
            if max.exclusive {
                "exclusive maximum"
            } else {
                "maximum"
            },
            max.value
        ));
    }
    if let Some(n) = c.min_length {
        parts.push(format!("minLength {n}"));
    }
    if let Some(n) = c.max_length {
        parts.push(format!("maxLength {n}"));
    }
    if let Some(n) = c.min_items {
        parts.push(format!("minItems {n}"));
    }
    if let Some(n) = c.max_items {
        parts.push(format!("maxItems {n}"));
    }
    if let Some(d) = &c.default {
        parts.push(format!("default {d}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {}", parts.join(", "))
    }
}

/// Checks a parameter's bounds, pushing every violation.
fn validation(api: &Api, p: &Parameter) -> TokenStream {
    let calls = super::bound_calls(api, p);
    if calls.is_empty() {
        return quote!();
    }
    let name = to_ident(&p.name);
    let wire = &p.wire;
    let bounds = quote!(runtime::Bounds::new() #(#calls)*);
    if api.primitive_of(&p.ty) == Some(Primitive::String) {
        let value = if p.required {
            quote!(::std::option::Option::Some(params.#name.as_str()))
        } else {
            quote!(params.#name.as_deref())
        };
        quote!(runtime::check_text(&mut violations, #wire, #value, #bounds);)
    } else {
        let value = if p.required {
            quote!(::std::option::Option::Some(params.#name))
        } else {
            quote!(params.#name)
        };
        quote!(runtime::check_number(&mut violations, #wire, #value, #bounds);)
    }
}

/// Whether a scalar of `ty` is written on the wire as its `Display` text
/// (numbers, booleans, strings, UUIDs, dates, enums).
fn displays_as_wire(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(p) => !matches!(
            p,
            Primitive::DateTime | Primitive::Json | Primitive::JsonObject | Primitive::Bytes
        ),
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => displays_as_wire(api, inner),
            _ => false,
        },
        _ => false,
    }
}

/// An expression turning `value` (an expression of type `&T` for a
/// scalar `T`) into its text on the wire, as a `String`.
fn scalar_to_string(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::DateTime => quote!(#value.to_rfc3339()),
            Primitive::Json | Primitive::JsonObject => {
                quote!(runtime::json_text(#value))
            }
            Primitive::Bytes => quote!(::std::string::String::from_utf8_lossy(#value).into_owned()),
            // Numbers, booleans, strings, UUIDs and dates print as the
            // spec writes them.
            _ => quote!(runtime::wire_text(#value)),
        },
        TypeRef::Named(id) => match &api.ty(*id).kind {
            // Enums print their wire values.
            TypeKind::Enum(_) => quote!(runtime::wire_text(#value)),
            TypeKind::Alias(inner) => scalar_to_string(api, inner, value),
            _ => quote!(runtime::json_text(#value)),
        },
        TypeRef::Nullable(inner) => {
            let inner = scalar_to_string(api, inner, quote!(v));
            quote!(#value.as_ref().map(|v| #inner).unwrap_or_default())
        }
        TypeRef::Array(inner) => {
            let inner = scalar_to_string(api, inner, quote!(v));
            quote!(#value.iter().map(|v| #inner).collect::<::std::vec::Vec<_>>().join(","))
        }
        TypeRef::Map(_) => quote!(runtime::json_text(#value)),
    }
}

/// The path as a list of segment expressions.
fn path_segments(api: &Api, op: &Operation) -> Vec<TokenStream> {
    // Rebuild the template text, then split it on `/`: each segment is
    // literal text and parameter values, joined and percent-encoded as one.
    let mut segments: Vec<Vec<TokenStream>> = vec![Vec::new()];
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => {
                for (index, piece) in text.split('/').enumerate() {
                    if index > 0 {
                        segments.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        if let Some(last) = segments.last_mut() {
                            last.push(quote!(#piece));
                        }
                    }
                }
            }
            PathSegment::Parameter(index) => {
                let p = &op.parameters[*index];
                let name = to_ident(&p.name);
                let value = styled_text(api, p, quote!(value));
                if let Some(last) = segments.last_mut() {
                    last.push(quote!({ let value = &params.#name; #value }.as_str()));
                }
            }
        }
    }
    segments
        .into_iter()
        .filter(|parts| !parts.is_empty())
        .map(|parts| {
            if parts.len() == 1 {
                let part = &parts[0];
                quote!(#part)
            } else {
                quote!([#(#parts),*].concat().as_str())
            }
        })
        .collect()
}

fn query_parameter(api: &Api, p: &Parameter) -> TokenStream {
    let name = to_ident(&p.name);
    let wire = &p.wire;
    let plain = p.style != ParameterStyle::Content
        && !super::is_object(api, &p.ty)
        && displays_as_wire(api, &p.ty);
    if plain {
        let value = if p.required {
            quote!(::std::option::Option::Some(&params.#name))
        } else {
            quote!(params.#name.as_ref())
        };
        return quote!(runtime::append_query(&mut url, #wire, #value););
    }
    let separator = match p.style {
        ParameterStyle::SpaceDelimited => " ",
        ParameterStyle::PipeDelimited => "|",
        _ => ",",
    };
    let append = if p.style == ParameterStyle::Content {
        quote!(url.query_pairs_mut().append_pair(#wire, &runtime::json_text(value));)
    } else if super::is_object(api, &p.ty) {
        match (p.style, p.explode) {
            // `name[property]=value`.
            (ParameterStyle::DeepObject, _) => quote! {
                for (key, text) in runtime::object_pairs(value) {
                    url.query_pairs_mut().append_pair(&::std::format!("{}[{}]", #wire, key), &text);
                }
            },
            // Each property a parameter of its own.
            (_, true) => quote! {
                for (key, text) in runtime::object_pairs(value) {
                    url.query_pairs_mut().append_pair(&key, &text);
                }
            },
            // `name=property,value,property,value`.
            (_, false) => quote! {
                let flat: ::std::vec::Vec<::std::string::String> = runtime::object_pairs(value).into_iter().flat_map(|(k, v)| [k, v]).collect();
                url.query_pairs_mut().append_pair(#wire, &flat.join(#separator));
            },
        }
    } else {
        match &p.ty {
            TypeRef::Array(inner) if p.explode => {
                let item = scalar_to_string(api, inner, quote!(item));
                quote! {
                    for item in value.iter() {
                        url.query_pairs_mut().append_pair(#wire, &#item);
                    }
                }
            }
            TypeRef::Array(inner) => {
                let item = scalar_to_string(api, inner, quote!(item));
                quote! {
                    let items: ::std::vec::Vec<::std::string::String> = value.iter().map(|item| #item).collect();
                    url.query_pairs_mut().append_pair(#wire, &items.join(#separator));
                }
            }
            ty => {
                let text = scalar_to_string(api, ty, quote!(value));
                quote!(url.query_pairs_mut().append_pair(#wire, &#text);)
            }
        }
    };
    if p.required {
        quote! {
            {
                let value = &params.#name;
                #append
            }
        }
    } else {
        quote! {
            if let ::std::option::Option::Some(value) = &params.#name {
                #append
            }
        }
    }
}

fn header_parameter(api: &Api, p: &Parameter, shared: &[&Parameter]) -> TokenStream {
    let name = to_ident(&p.name);
    let wire = &p.wire;
    let text = styled_text(api, p, quote!(value));
    let default = shared
        .iter()
        .find(|s| s.wire.eq_ignore_ascii_case(&p.wire))
        .map(|s| shared_header_field(api, s));
    let value = match (p.required, default) {
        (true, _) => quote!(::std::option::Option::Some(&params.#name)),
        (false, Some(field)) => quote!(params.#name.as_ref().or(client.#field.as_ref())),
        (false, None) => quote!(params.#name.as_ref()),
    };
    quote! {
        if let ::std::option::Option::Some(value) = #value {
            request = request.header(#wire, #text);
        }
    }
}

/// The match arm for one documented response.
fn response_arm(
    api: &Api,
    op: &Operation,
    r: &Response,
    errors: &[ErrorVariant],
) -> Option<TokenStream> {
    let pattern = match r.status {
        StatusSpec::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusSpec::Range(d) => {
            let low = Literal::u16_unsuffixed(d * 100);
            let high = Literal::u16_unsuffixed(d * 100 + 99);
            quote!(#low..=#high)
        }
        StatusSpec::Default => quote!(_),
    };
    if is_success(r.status) {
        let decode = match success_body(op) {
            SuccessBody::Mixed => {
                let success = to_ident(&op.success_name);
                let variant = to_ident(&r.name);
                return Some(match &r.body {
                    None => quote! {
                        #pattern => ::std::result::Result::Ok(Response::new(status, headers, #success::#variant)),
                    },
                    Some(_) => {
                        let decode = decode_body(api, r);
                        quote! {
                            #pattern => {
                                let body = #decode?;
                                ::std::result::Result::Ok(Response::new(status, headers, #success::#variant(body)))
                            }
                        }
                    }
                });
            }
            _ if r.body.is_none() => {
                return Some(quote! {
                    #pattern => ::std::result::Result::Ok(Response::new(status, headers, ())),
                });
            }
            _ => decode_body(api, r),
        };
        return Some(quote! {
            #pattern => {
                let body = #decode?;
                ::std::result::Result::Ok(Response::new(status, headers, body))
            }
        });
    }
    let variant = errors.iter().find(|e| e.status == r.status)?;
    let ident = to_ident(&variant.name);
    let decode = match &variant.body {
        ErrorBody::Typed(_) => decode_body(api, r),
        ErrorBody::Json => quote! {
            decode_json_or_null(status, &bytes)
        },
        ErrorBody::Text => quote! {
            ::std::result::Result::<_, ClientError>::Ok(::std::string::String::from_utf8_lossy(&bytes).into_owned())
        },
    };
    Some(match r.status {
        StatusSpec::Code(_) => quote! {
            #pattern => ::std::result::Result::Err(ClientError::#ident(#decode?)),
        },
        _ => quote! {
            #pattern => ::std::result::Result::Err(ClientError::#ident { status, body: #decode? }),
        },
    })
}

/// An `Option<T>` expression parsing the header text `raw` (a `&str`) as
/// `ty`: scalars by their text, lists comma-separated (`simple` style),
/// anything else as JSON.
fn header_parse(api: &Api, ty: &TypeRef, raw: TokenStream) -> TokenStream {
    match api.primitive_of(ty) {
        Some(Primitive::String) => quote!(::std::option::Option::Some(#raw.to_owned())),
        Some(Primitive::Bytes) => quote!(::std::option::Option::Some(#raw.as_bytes().to_vec())),
        Some(Primitive::Json | Primitive::JsonObject) => quote!(::serde_json::from_str(#raw).ok()),
        Some(_) => quote!(#raw.trim().parse().ok()),
        None if super::is_enum(api, ty) => quote!(#raw.trim().parse().ok()),
        None => match ty {
            TypeRef::Array(inner) => {
                let item = header_parse(api, inner, quote!(item));
                quote!(#raw.split(',').map(|item| { let item = item.trim(); #item }).collect::<::std::option::Option<::std::vec::Vec<_>>>())
            }
            _ => quote!(::serde_json::from_str(#raw).ok()),
        },
    }
}

/// A `String` expression: the text of a path, header or cookie parameter
/// (`value` is a `&T`) in its `style` (RFC 6570 as OpenAPI uses it):
/// `simple` `a,b`, `label` `.a.b`, `matrix` `;id=a;id=b`, objects as
/// `key,value` pairs (or `key=value` exploded); `content` as JSON.
fn styled_text(api: &Api, p: &Parameter, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    if p.style == ParameterStyle::Content {
        return quote!(runtime::json_text(#value));
    }
    let matrix_prefix = format!(";{wire}=");
    if super::is_object(api, &p.ty) {
        let pairs = quote!(runtime::object_pairs(#value));
        return match (p.style, p.explode) {
            (ParameterStyle::Label, true) => quote!(
                ::std::format!(".{}", #pairs.into_iter().map(|(k, v)| ::std::format!("{k}={v}")).collect::<::std::vec::Vec<_>>().join("."))
            ),
            (ParameterStyle::Matrix, true) => {
                quote!(#pairs.into_iter().map(|(k, v)| ::std::format!(";{k}={v}")).collect::<::std::string::String>())
            }
            (_, true) => {
                quote!(#pairs.into_iter().map(|(k, v)| ::std::format!("{k}={v}")).collect::<::std::vec::Vec<_>>().join(","))
            }
            (style, false) => {
                let flat = quote!(#pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<::std::vec::Vec<_>>().join(","));
                match style {
                    ParameterStyle::Label => quote!(::std::format!(".{}", #flat)),
                    ParameterStyle::Matrix => quote!(::std::format!("{}{}", #matrix_prefix, #flat)),
                    _ => flat,
                }
            }
        };
    }
    match (&p.ty, p.style) {
        (TypeRef::Array(inner), ParameterStyle::Label | ParameterStyle::Matrix) => {
            let item = scalar_to_string(api, inner, quote!(item));
            let items = quote!(#value.iter().map(|item| #item));
            match (p.style, p.explode) {
                (ParameterStyle::Label, true) => {
                    quote!(#items.map(|item| ::std::format!(".{item}")).collect::<::std::string::String>())
                }
                (ParameterStyle::Label, false) => {
                    quote!(::std::format!(".{}", #items.collect::<::std::vec::Vec<_>>().join(",")))
                }
                (_, true) => {
                    quote!(#items.map(|item| ::std::format!("{}{item}", #matrix_prefix)).collect::<::std::string::String>())
                }
                (_, false) => quote!(
                    ::std::format!("{}{}", #matrix_prefix, #items.collect::<::std::vec::Vec<_>>().join(","))
                ),
            }
        }
        (ty, ParameterStyle::Label) => {
            let text = scalar_to_string(api, ty, value);
            quote!(::std::format!(".{}", #text))
        }
        (ty, ParameterStyle::Matrix) => {
            let text = scalar_to_string(api, ty, value);
            quote!(::std::format!("{}{}", #matrix_prefix, #text))
        }
        // `simple` and `form` (a cookie): comma-separated lists.
        (ty, _) => scalar_to_string(api, ty, value),
    }
}
