//! The `ClientError` enum: one variant per documented error status.

use super::*;
use crate::emit::prelude::STRING;

pub(super) use crate::model::{ErrorBody, ErrorVariant};

pub(super) fn emit_error_enum(api: &Api, errors: &[ErrorVariant]) -> TokenStream {
    let variant = |e: &ErrorVariant| {
        let ident = to_ident(&e.name);
        let what = match e.status {
            StatusSpec::Code(code) => format!("The server answered {code} ({})", e.name),
            StatusSpec::Range(d) => format!("The server answered a {d}XX status"),
            StatusSpec::Default => {
                "The server answered a status documented only as `default`".to_owned()
            }
        };
        let body = match &e.body {
            ErrorBody::Typed(ty) => rust_type(api, ty, Scope::Sibling),
            ErrorBody::Json => quote!(::serde_json::Value),
            ErrorBody::Text => quote!(#STRING),
        };
        let text = match &e.body {
            ErrorBody::Typed(_) => format!("{what}, with the body the spec documents for it."),
            ErrorBody::Json => format!("{what}; operations document different bodies for it, so it is kept as JSON (`null` when empty)."),
            ErrorBody::Text => format!("{what}; the body is not (always) JSON, so it is kept as text."),
        };
        (ident, body, doc_attrs(&text))
    };
    // `client_error!` takes the variants of single statuses first, then
    // those of ranges and `default`.
    let coded = errors.iter().filter_map(|e| match e.status {
        StatusSpec::Code(code) => {
            let (ident, body, doc) = variant(e);
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            Some(quote! {
                #[status(#code)]
                #doc
                #ident(#body),
            })
        }
        _ => None,
    });
    let any = errors
        .iter()
        .filter(|e| !matches!(e.status, StatusSpec::Code(_)))
        .map(|e| {
            let (ident, body, doc) = variant(e);
            quote! {
                #[any_status]
                #doc
                #ident {
                    /// The status.
                    status: ::reqwest::StatusCode,
                    /// The decoded body.
                    body: #body,
                },
            }
        });
    quote! {
        ::krosai_runtime::client_error! {
            pub enum ClientError {
                #(#coded)*
                #(#any)*
            }
        }
    }
}
