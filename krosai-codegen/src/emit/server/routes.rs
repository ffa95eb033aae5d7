//! Routes: path templates as axum paths, mixed segments, the router.

use super::*;
use crate::emit::prelude::{ERR, OPTION, SEND, SYNC};

/// One `/`-separated segment of a path template.
pub(super) enum RouteSegment {
    /// Literal text only.
    Literal(String),
    /// Exactly one parameter (index in the operation's parameters).
    Whole(usize),
    /// Parameters mixed with text (`{name}.{ext}`, `{base}...{head}`):
    /// axum matches the whole segment, the handler splits it.
    Composite(Vec<crate::model::PathSegment>),
}

/// The path template split on `/`.
pub(super) fn route_segments(op: &Operation) -> Vec<RouteSegment> {
    use crate::model::PathSegment;
    op.path_pieces()
        .into_iter()
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
pub(super) fn axum_path(op: &Operation) -> String {
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
pub(super) fn axum_parameter_name(op: &Operation, parameter: usize) -> Option<String> {
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
pub(super) fn split_composite_segments(op: &Operation) -> TokenStream {
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
                        static SEGMENT: ::std::sync::LazyLock<#OPTION<::regex::Regex>> =
                            ::std::sync::LazyLock::new(|| ::regex::Regex::new(#pattern).ok());
                        if !runtime::split_segment(&mut path_params, #key, SEGMENT.as_ref(), &[#(#names),*]) {
                            return #ERR(runtime::not_found(error_response));
                        }
                    }
                });
            }
        }
        position += 1;
    }
    quote!(#(#out)*)
}

pub(super) fn emit_router(api: &Api, names: &Names) -> TokenStream {
    // Each router requires the traits of what it routes.
    let bound = |webhooks: bool| {
        let bounds: Vec<TokenStream> = names
            .traits
            .iter()
            .zip(&api.server_traits)
            .filter(|(_, t)| t.webhooks == webhooks)
            .map(|(name, _)| {
                let t = to_ident(name);
                quote!(#t<Principal = __Auth::Principal>)
            })
            .collect();
        if bounds.is_empty() {
            quote!(#SEND + #SYNC + 'static)
        } else {
            quote!(#(#bounds)+*)
        }
    };
    let handler_of = |index: usize| {
        let op = &api.operations[index];
        let handler = to_ident(&op.handler_name);
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
    let routes_of = |table: &[super::Route]| -> Vec<TokenStream> {
        table
            .iter()
            .map(|(path, methods)| {
                let first = handler_of(methods[0].1);
                let rest = methods[1..].iter().map(|(_, index)| handler_of(*index));
                quote!(.route(#path, ::axum::routing::#first #(.#rest)*))
            })
            .collect()
    };
    let routes = routes_of(&names.routes);
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
    let main_doc = quote! {
        /// The router for the whole API: every operation, plus the spec at
        /// `/openapi.json`. Mount it where the API lives:
        /// `axum::Router::new().nest("/v1", router(api, authenticator))`.
        ///
        /// Bad requests get `400` with the spec's error schema listing
        /// every violation; missing or refused credentials `401`/`403`;
        /// unknown routes `404`; a method the route lacks `405` with
        /// `Allow`; a body over 16 MiB `413`; a request not answered
        /// within 30 s `408` ([`Limits`]' defaults; see [`router_with`]).
        #unrouted_doc
    };
    let router = router_fns(
        &format_ident!("router"),
        main_doc,
        &bound(false),
        quote!(#(#routes)* #openapi_json),
    );
    let webhooks_router = (!names.webhook_routes.is_empty()).then(|| {
        let routes = routes_of(&names.webhook_routes);
        let doc = quote! {
            /// The router that receives the API's webhooks: each at `/`
            /// and the webhook's name. Mount it where the API is told to
            /// send them: `axum::Router::new().nest("/hooks",
            /// webhooks_router(receiver, authenticator))`.
            ///
            /// Requests are checked as the API's own are: bad ones get
            /// `400` with the spec's error schema, and the same [`Limits`]
            /// apply (see [`webhooks_router_with`]).
        };
        router_fns(
            &format_ident!("webhooks_router"),
            doc,
            &bound(true),
            quote!(#(#routes)*),
        )
    });
    quote! {
        #router

        #webhooks_router

    }
}

/// A router function `name(api, authenticator)` and its `name_with(api,
/// authenticator, limits)`, serving `routes` with the limits and the
/// fallbacks every router has.
fn router_fns(
    name: &Ident,
    doc: TokenStream,
    bound: &TokenStream,
    routes: TokenStream,
) -> TokenStream {
    let with = format_ident!("{}_with", name);
    let with_doc = doc_attrs(&format!(
        "[`{name}`] with other limits on the size of bodies and the time\na request may take."
    ));
    quote! {
        #doc
        // The type parameters have names no spec type can take.
        pub fn #name<__Api, __Auth>(api: __Api, authenticator: __Auth) -> ::axum::Router
        where
            __Api: #bound,
            __Auth: Authenticator,
        {
            #with(api, authenticator, Limits::default())
        }

        #with_doc
        pub fn #with<__Api, __Auth>(api: __Api, authenticator: __Auth, limits: Limits) -> ::axum::Router
        where
            __Api: #bound,
            __Auth: Authenticator,
        {
            let shared = ::std::sync::Arc::new(runtime::Shared { api, authenticator, limits });
            ::axum::Router::new()
                #routes
                .method_not_allowed_fallback(|| async { runtime::method_not_allowed(error_response) })
                .fallback(|| async { runtime::not_found(error_response) })
                .layer(::axum::middleware::from_fn_with_state(
                    (limits, error_response as runtime::ErrorResponse),
                    runtime::limit_time,
                ))
                .layer(::axum::extract::DefaultBodyLimit::max(limits.max_body_bytes()))
                .with_state(shared)
        }
    }
}
