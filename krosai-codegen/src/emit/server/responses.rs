//! Response enums per operation, shared responses, and response headers.

use super::*;
use crate::emit::prelude::{INTO, NONE, STRING, VEC};

/// A shared response component: a newtype over its body that converts into
/// every operation's response enum.
pub(super) fn emit_shared(
    api: &Api,
    component: &str,
    name: &Name,
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
                    quote!(#NONE),
                );
                let doc = doc_attrs(&format!(
                    "The response with this message (and the machine code `{code}`)."
                ));
                quote! {
                    impl #ident {
                        #doc
                        pub fn new(message: impl #INTO<#STRING>) -> Self {
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

pub(super) fn response_payload(api: &Api, r: &Response) -> Option<TokenStream> {
    // Text and binary bodies were lowered to `String` and `Vec<u8>`.
    r.body
        .as_ref()
        .map(|b| rust_type(api, &b.ty, TypeScope::Sibling))
}

pub(super) fn emit_response(api: &Api, op: &Operation, name: &Name, names: &Names) -> TokenStream {
    let ident = to_ident(name);
    let variants = op.responses.iter().map(|r| {
        let variant = to_ident(&r.name);
        let doc = doc_attrs(&format!("{}: {}", r.status, r.description.trim()));
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
                    (quote!(), quote!(runtime::status(#code)), quote!(#code))
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
                            runtime::status(#code_lit),
                            [(::axum::http::header::CONTENT_TYPE, #content_type)],
                            body,
                        ).into_response(),
                    },
                    (None, _) => quote!(Self::#variant => runtime::empty(#code_lit),),
                }
            }
            _ => match (&r.body, json) {
                (Some(_), true) => quote!(Self::#variant { status, body } => json_response(status.as_u16(), &body),),
                (Some(_), false) => quote!(Self::#variant { status, body } => (status, [(::axum::http::header::CONTENT_TYPE, #content_type)], body).into_response(),),
                (None, _) => quote!(Self::#variant { status } => status.into_response(),),
            },
        }
    });
    // A shared response used for several statuses (an OAuth error for 400
    // and 401) converts into the first of them.
    let mut converted: Vec<&String> = Vec::new();
    let froms = op.responses.iter().filter_map(|r| {
        let component = r.component.as_ref().filter(|_| r.headers_type.is_none())?;
        if converted.contains(&component) {
            return None;
        }
        let (_, shared, body) = names.shared.iter().find(|(c, _, _)| c == component)?;
        if let StatusSpec::Code(_) = r.status {
        } else {
            return None;
        }
        converted.push(component);
        let shared = to_ident(shared);
        let variant = to_ident(&r.name);
        Some(match body {
            Some(_) => quote!(#shared => #variant(0)),
            None => quote!(#shared => #variant),
        })
    });
    let froms: Vec<TokenStream> = froms.collect();
    let froms = (!froms.is_empty())
        .then(|| quote!(::krosai_runtime::from_shared!(#ident { #(#froms),* });));
    let doc = doc_attrs(&format!(
        "The answers of `{}`: one variant per documented status.",
        op.operation_id
    ));
    let unimplemented = to_ident(crate::model::UNIMPLEMENTED_VARIANT);
    let operation_id = &op.operation_id;
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        // Answers are built once and moved straight into the HTTP response;
        // boxing the large success bodies would only cost an allocation.
        #[allow(clippy::large_enum_variant)]
        // New statuses of the spec are new variants.
        #[non_exhaustive]
        pub enum #ident {
            #(#variants)*
            /// 501: the server does not implement this operation (in the
            /// spec's error schema).
            #unimplemented,
        }

        impl ::axum::response::IntoResponse for #ident {
            fn into_response(self) -> ::axum::response::Response {
                match self {
                    #(#arms)*
                    Self::#unimplemented => runtime::not_implemented(#operation_id, error_response),
                }
            }
        }

        #froms
    }
}

/// A `String` expression: the header text of `value` (a `&T` for `ty`):
/// scalars by their text, lists comma-separated, anything else as JSON.
pub(super) fn header_text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match api.primitive_of(ty) {
        Some(Primitive::String) => quote!(#value.clone()),
        Some(Primitive::Bytes) => {
            quote!(#STRING::from_utf8_lossy(#value).into_owned())
        }
        Some(Primitive::DateTime) => quote!(#value.to_rfc3339()),
        Some(Primitive::Json | Primitive::JsonObject) => {
            quote!(::serde_json::to_string(#value).unwrap_or_default())
        }
        Some(_) => quote!(#value.to_string()),
        None if crate::emit::is_enum(api, ty) => quote!(#value.to_string()),
        None => match ty {
            TypeRef::Array(inner) if api.primitive_of(inner) == Some(Primitive::String) => {
                quote!(#value.join(","))
            }
            TypeRef::Array(inner) => {
                let item = header_text(api, inner, quote!(item));
                quote!(#value.iter().map(|item| #item).collect::<#VEC<_>>().join(","))
            }
            _ => quote!(::serde_json::to_string(#value).unwrap_or_default()),
        },
    }
}
