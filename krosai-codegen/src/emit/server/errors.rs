//! The spec's error schema: how the router fills it for its own answers (400, 401, 404, ...).

use super::*;
use crate::emit::prelude::{DEFAULT, NONE, OPTION, SOME, STRING, VEC};

/// How to fill the spec's error schema: which properties carry the
/// message, the machine code and the details.
pub(super) struct ErrorShape {
    ty: TypeId,
    message: usize,
    code: Option<usize>,
    details: Option<usize>,
}

pub(super) fn is_string(api: &Api, ty: &TypeRef) -> bool {
    matches!(resolve(api, ty), TypeRef::Primitive(Primitive::String))
}

/// Whether a field can hold any JSON object (an error's `details`).
pub(super) fn holds_json_object(api: &Api, ty: &TypeRef) -> bool {
    matches!(
        resolve(api, ty),
        TypeRef::Primitive(Primitive::JsonObject | Primitive::Json) | TypeRef::Map(_)
    )
}

/// Recognises an error schema the server can fill: a struct with a string
/// message property (`error`, `message`, `detail`, `title`, or the only
/// required string), optionally a string `code` and an object `details`,
/// and no other required property.
pub(super) fn error_shape(api: &Api, ty: &TypeRef) -> Option<ErrorShape> {
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
pub(super) fn api_error_shape(api: &Api) -> Option<ErrorShape> {
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
pub(super) fn error_literal(
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
                quote!(#SOME(#message))
            } else {
                message.clone()
            }
        } else if Some(i) == shape.code {
            if f.is_optional() {
                quote!(#SOME(#code))
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
            quote!(#NONE)
        };
        quote!(#name: #value,)
    });
    let additional = s.additional.as_ref().map(|_| {
        let name = to_ident(&s.additional_name);
        quote!(#name: #DEFAULT::default(),)
    });
    quote!(super::types::#ty { #(#fields)* #additional })
}

/// Converts `details` (an `Option<serde_json::Map>` expression) into the
/// details field's type, as an `Option`.
pub(super) fn details_value(api: &Api, ty: &TypeRef, details: TokenStream) -> TokenStream {
    match resolve(api, ty) {
        TypeRef::Primitive(Primitive::JsonObject) => details,
        TypeRef::Primitive(Primitive::Json) => quote!(#details.map(::serde_json::Value::Object)),
        TypeRef::Map(_) => {
            quote!(#details.and_then(|m| ::serde_json::from_value(::serde_json::Value::Object(m)).ok()))
        }
        _ => quote!(#NONE),
    }
}

/// `error_response(status, code, message, details)`: the spec's error
/// schema, or a plain `{"error", "code", "details"}` object when the spec
/// has none the server can fill.
pub(super) fn emit_error_fn(api: &Api, shape: Option<&ErrorShape>) -> TokenStream {
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
            if let #SOME(extra) = extra {
                body.insert("details".to_owned(), ::serde_json::Value::Object(extra));
            }
            json_response(status, &body)
        },
    };
    // A schema without room for the code or the details leaves them out.
    let code = match shape {
        Some(shape) if shape.code.is_none() => quote!(_code),
        _ => quote!(code),
    };
    let extra = match shape {
        Some(shape) if shape.details.is_none() => quote!(_extra),
        _ => quote!(extra),
    };
    // Only handlers that read parameters or a body answer `400`.
    let bad_request = api.operations.iter().any(Operation::has_input).then(|| {
        quote! {
            /// The `400` answer listing every violation.
            fn bad_request(violations: #VEC<Violation>) -> ::axum::response::Response {
                runtime::bad_request(&violations, error_response)
            }
        }
    });
    quote! {
        /// An error answer in the spec's error schema (a schema without
        /// room for the code or the details leaves them out).
        fn error_response(
            status: u16,
            #code: &str,
            message: #STRING,
            #extra: #OPTION<::serde_json::Map<#STRING, ::serde_json::Value>>,
        ) -> ::axum::response::Response {
            #body
        }

        #bad_request
    }
}

pub(super) fn machine_code(status: u16) -> String {
    StatusSpec::Code(status).machine_code()
}
