//! One handler per operation: authenticate, read parameters and body, call the trait.

use super::*;
use crate::emit::prelude::{ERR, OK, OPTION, SEND, SOME, VEC, VEC_MACRO};

pub(super) fn emit_handler(
    api: &Api,
    op: &Operation,
    (request, _response, trait_index): &(Name, Name, usize),
    names: &Names,
    security_set: Option<usize>,
) -> TokenStream {
    let handler = to_ident(&op.handler_name);
    let operation = crate::emit::operation_descriptor(op);
    let trait_ident = to_ident(&names.traits[*trait_index]);
    let method = to_ident(&op.name);
    let request_ident = to_ident(request);
    let authenticate = match security_set {
        Some(set) => {
            let sources = format_ident!("SECURITY_{}", set);
            quote! {
                let principal = authenticate(&shared.authenticator, &parts, #sources).await?;
            }
        }
        None => quote!(let principal = ();),
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
            let #mutable path_params = runtime::path_pairs(&mut parts)
                .await
                .map_err(|violation| bad_request(#VEC_MACRO![violation]))?;
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
        quote!(let #local: #OPTION<#ty> = #read;)
    });
    let fields = op.parameters.iter().enumerate().map(|(index, p)| {
        let field = to_ident(&p.name);
        let local = &locals[index];
        match (!p.required).then(|| default_expr(api, p)).flatten() {
            Some(default) => quote!(#field: #local.unwrap_or(#default),),
            None => quote!(#field: #local,),
        }
    });
    // Required values are checked above (a missing one is a violation),
    // and taken out of their `Option` in one `let … else`.
    let mut required: Vec<TokenStream> = op
        .parameters
        .iter()
        .zip(&locals)
        .filter(|(p, _)| p.required)
        .map(|(_, local)| quote!(#local))
        .collect();
    let body = op.request_body.as_ref().map(|b| {
        let ty = request_body_type(api, b);
        if let (BodyEncoding::Multipart, Some(s)) =
            (&b.encoding, crate::emit::multipart_struct(api, &b.ty))
        {
            let read = multipart_read(api, &ty, s, b.required);
            return quote!(let body_value = #read;);
        }
        let decode = match b.encoding {
            BodyEncoding::Text => quote!(runtime::text_body),
            BodyEncoding::Binary | BodyEncoding::Multipart => quote!(runtime::binary_body),
            BodyEncoding::Form => quote!(runtime::form_body::<#ty>),
            BodyEncoding::Json => quote!(runtime::json_body::<#ty>),
        };
        let read = if b.required {
            quote!(runtime::required_body)
        } else {
            quote!(runtime::optional_body)
        };
        quote! {
            let bytes = runtime::body_bytes(body, shared.limits.max_body_bytes(), error_response).await?;
            let body_value = #read(&bytes, &mut violations, #decode);
        }
    });
    if body.is_some() {
        required.push(quote!(body_value));
    }
    let body_field = body.is_some().then(|| quote!(body: body_value,));
    let read_body = body.unwrap_or_else(|| quote!(let _ = body;));
    let take_required = match required.as_slice() {
        [] => None,
        [one] => Some(quote! {
            let #SOME(#one) = #one else {
                return #ERR(bad_request(violations));
            };
        }),
        many => {
            let somes = many.iter().map(|v| quote!(#SOME(#v)));
            Some(quote! {
                let (#(#somes),*) = (#(#many),*) else {
                    return #ERR(bad_request(violations));
                };
            })
        }
    };
    let needs_violations = op.has_input();
    // The body's violations are added to the parameters'.
    let mutable = op.request_body.is_some().then(|| quote!(mut));
    let violations = if op.parameters.is_empty() {
        needs_violations.then(|| quote!(let mut violations: #VEC<Violation> = #VEC::new();))
    } else {
        Some(quote!(let #mutable violations = input.into_violations();))
    };
    let input = (!op.parameters.is_empty()).then(|| {
        let path = if has_path {
            quote!(path_params)
        } else {
            quote!(#VEC::new())
        };
        quote!(let mut input = runtime::Input::new(&parts, #path);)
    });
    let check = needs_violations.then(|| {
        quote! {
            if !violations.is_empty() {
                return #ERR(bad_request(violations));
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
        // Not an `async fn`: the one state machine is the block below.
        fn #handler<__Api, __Auth>(
            ::axum::extract::State(shared): runtime::SharedState<__Api, __Auth>,
            request: ::axum::extract::Request,
        ) -> impl ::std::future::Future<Output = ::axum::response::Response> + #SEND
        where
            __Api: #trait_ident<Principal = __Auth::Principal>,
            __Auth: Authenticator,
        {
            runtime::traced(#operation, async move {
                let (#parts_mut parts, body) = request.into_parts();
                #authenticate
                #path_params
                #input
                #(#parse)*
                #violations
                #read_body
                #check
                #take_required
                let request = #request_ident {
                    #(#fields)*
                    #body_field
                };
                let context = RequestContext { principal, parts };
                let (#OK(response) | #ERR(response)) =
                    shared.api.#method(&context, request).await;
                #OK(response.into_response())
            })
        }
    }
}

/// The Rust type of a request body in the server's request struct.
pub(super) fn request_body_type(api: &Api, b: &crate::model::RequestBody) -> TokenStream {
    match b.encoding {
        // A multipart body whose schema is not a plain object stays raw
        // (the boundary is in `RequestContext::parts`' `Content-Type`).
        BodyEncoding::Multipart if crate::emit::multipart_struct(api, &b.ty).is_none() => {
            quote!(#VEC<u8>)
        }
        _ => rust_type(api, &b.ty, TypeScope::Sibling),
    }
}
