//! Success types and the decoding of each documented answer.

use super::*;
use crate::emit::prelude::{ERR, OK, OPTION, RESULT, SOME, STRING, VEC};

/// The success type of an operation: the body of its 2xx responses when
/// they agree (`()` when none has a body), else the raw JSON value.
pub(super) fn success_type(api: &Api, op: &Operation) -> TokenStream {
    match op.success_body() {
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
pub(super) fn success_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    if !matches!(op.success_body(), SuccessBody::Mixed) {
        return None;
    }
    let ident = to_ident(&op.success_name);
    let variants = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| {
            let variant = to_ident(&r.name);
            let doc = doc_attrs(&format!("{}: {}", r.status, r.description.trim()));
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
        #[non_exhaustive]
        pub enum #ident {
            #(#variants)*
        }
    })
}

pub(super) fn body_type(api: &Api, response: &Response) -> TokenStream {
    match &response.body {
        None => quote!(()),
        // Text and binary bodies were lowered to `String` and `Vec<u8>`.
        Some(body) => rust_type(api, &body.ty, Scope::Sibling),
    }
}

/// Whether `response` has a body that `decode_json` reads: JSON (or
/// form) that is not a union (unions decode from the text directly, with
/// no JSON value in between).
pub(super) fn plain_json(api: &Api, response: &Response) -> bool {
    response.body.as_ref().is_some_and(|body| {
        !matches!(body.encoding, BodyEncoding::Text | BodyEncoding::Binary)
            && !is_union(api, &body.ty)
    })
}

/// Decodes `bytes` (a local) into the body of `response`.
pub(super) fn decode_body(api: &Api, response: &Response) -> TokenStream {
    // The type comes from where the body goes.
    if plain_json(api, response) {
        return quote!(decode_json(status, &bytes));
    }
    match &response.body {
        None => quote!(#OK(())),
        Some(body) => match body.encoding {
            BodyEncoding::Text => quote!(#OK(
                #STRING::from_utf8_lossy(&bytes).into_owned()
            )),
            BodyEncoding::Binary => quote!(#OK(bytes)),
            _ => {
                let ty = rust_type(api, &body.ty, Scope::Sibling);
                quote!(#ty::from_json_slice(&bytes).map_err(|source| ClientError::decode(status, &bytes, source)))
            }
        },
    }
}

/// Whether a type is (an alias of) a generated union.
pub(super) fn is_union(api: &Api, ty: &TypeRef) -> bool {
    matches!(api.kind_of(ty), Some(TypeKind::OneOf(_)))
}

pub(super) fn success_type_ref(op: &Operation) -> TypeRef {
    match op.success_body() {
        SuccessBody::One(r) => r
            .body
            .as_ref()
            .map(|b| b.ty.clone())
            .unwrap_or(TypeRef::Primitive(Primitive::Json)),
        _ => TypeRef::Primitive(Primitive::Json),
    }
}

pub(super) fn resolve_body(api: &Api, op: &Operation) -> Option<crate::model::TypeId> {
    let ty = success_type_ref(op);
    match api.resolve(&ty) {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

pub(super) fn responses_text(api: &Api, op: &Operation) -> String {
    let mut lines = vec!["Answers:".to_owned()];
    for r in &op.responses {
        let status = r.status;
        let outcome = if r.status.is_success() && matches!(op.success_body(), SuccessBody::Mixed) {
            format!("`Ok` with [`{}::{}`]", op.success_name, r.name)
        } else if r.status.is_success() {
            "`Ok`".to_owned()
        } else {
            format!("[`ClientError::{}`]", r.name)
        };
        let headers = r
            .headers_type
            .map(|id| {
                format!(
                    " (headers: [`{}::from_header_map`](super::types::{0}::from_header_map))",
                    api.ty(id).name.as_str()
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

/// The match arm for one documented response.
pub(super) fn response_arm(
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
            // Codes of the range documented on their own come first; a
            // range pattern after them would overlap (clippy refuses it).
            let shadowed = op
                .responses
                .iter()
                .any(|other| matches!(other.status, StatusSpec::Code(code) if code / 100 == d));
            if shadowed {
                quote!(code if (#low..=#high).contains(&code))
            } else {
                quote!(#low..=#high)
            }
        }
        StatusSpec::Default => quote!(_),
    };
    if r.status.is_success() {
        let decode = match op.success_body() {
            SuccessBody::Mixed => {
                let success = to_ident(&op.success_name);
                let variant = to_ident(&r.name);
                return Some(match &r.body {
                    None => quote! {
                        #pattern => #OK(Response::new(status, headers, #success::#variant)),
                    },
                    Some(_) => {
                        let decode = decode_body(api, r);
                        quote! {
                            #pattern => {
                                let body = #decode?;
                                #OK(Response::new(status, headers, #success::#variant(body)))
                            }
                        }
                    }
                });
            }
            _ if r.body.is_none() => {
                return Some(quote! {
                    #pattern => #OK(Response::new(status, headers, ())),
                });
            }
            _ if plain_json(api, r) => {
                return Some(quote!(#pattern => ok_json(status, headers, &bytes),));
            }
            _ => decode_body(api, r),
        };
        return Some(quote! {
            #pattern => {
                let body = #decode?;
                #OK(Response::new(status, headers, body))
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
            #RESULT::<_, ClientError>::Ok(#STRING::from_utf8_lossy(&bytes).into_owned())
        },
    };
    Some(match r.status {
        StatusSpec::Code(_) => quote! {
            #pattern => #ERR(ClientError::#ident(#decode?)),
        },
        _ => quote! {
            #pattern => #ERR(ClientError::#ident { status, body: #decode? }),
        },
    })
}

/// An `Option<T>` expression parsing the header text `raw` (a `&str`) as
/// `ty`: scalars by their text, lists comma-separated (`simple` style),
/// anything else as JSON.
pub(super) fn header_parse(api: &Api, ty: &TypeRef, raw: TokenStream) -> TokenStream {
    match api.primitive_of(ty) {
        Some(Primitive::String) => quote!(#SOME(#raw.to_owned())),
        Some(Primitive::Bytes) => quote!(#SOME(#raw.as_bytes().to_vec())),
        Some(Primitive::Json | Primitive::JsonObject) => quote!(::serde_json::from_str(#raw).ok()),
        Some(_) => quote!(#raw.trim().parse().ok()),
        None if crate::emit::is_enum(api, ty) => quote!(#raw.trim().parse().ok()),
        None => match ty {
            TypeRef::Array(inner) => {
                let item = header_parse(api, inner, quote!(item));
                quote!(#raw.split(',').map(|item| { let item = item.trim(); #item }).collect::<#OPTION<#VEC<_>>>())
            }
            _ => quote!(::serde_json::from_str(#raw).ok()),
        },
    }
}
