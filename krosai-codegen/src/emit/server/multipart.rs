//! Multipart request bodies read part by part.

use super::*;
use crate::emit::prelude::{BOX, DEFAULT, ERR, NONE, OK, OPTION, SOME, STRING, VEC};

/// An expression reading a `multipart/form-data` body into the struct
/// `ty`, part by part: `Some(value)` (`Some(Option)` when the body is
/// optional), or `None` with the violations pushed.
pub(super) fn multipart_read(
    api: &Api,
    ty: &TokenStream,
    s: &Struct,
    required: bool,
) -> TokenStream {
    let mut scope = Scope::new();
    let locals: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| {
            let stem = format!("f_{}", f.name.as_str().trim_start_matches('_'));
            to_ident(&scope.claim(&stem, Case::Snake))
        })
        .collect();
    let declare = s.fields.iter().zip(&locals).map(|(f, local)| {
        let value = rust_type(api, &f.ty, TypeScope::Sibling);
        quote!(let mut #local: #OPTION<#value> = #NONE;)
    });
    let arms = s.fields.iter().zip(&locals).map(|(f, local)| {
        let wire = &f.wire;
        let one = |item: &TypeRef| -> TokenStream {
            match api.primitive_of(item) {
                Some(Primitive::Bytes) => quote!(#SOME(data.to_vec())),
                Some(Primitive::String) => quote! {
                    match #STRING::from_utf8(data.to_vec()) {
                        #OK(text) => #SOME(text),
                        #ERR(_) => {
                            violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule: "must be UTF-8 text".to_owned() });
                            #NONE
                        }
                    }
                },
                _ => {
                    let item_ty = rust_type(api, item, TypeScope::Sibling);
                    quote! {
                        match runtime::part_value::<#item_ty>(&data) {
                            #OK(value) => #SOME(value),
                            #ERR(rule) => {
                                violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule });
                                #NONE
                            }
                        }
                    }
                }
            }
        };
        match &f.ty {
            TypeRef::Array(inner) => {
                let item = one(inner);
                quote! {
                    #wire => {
                        if let #SOME(item) = #item {
                            #local.get_or_insert_with(#VEC::new).push(item);
                        }
                    }
                }
            }
            other => {
                let value = one(other);
                quote! {
                    #wire => {
                        if #local.is_some() {
                            violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule: "given more than once".to_owned() });
                        }
                        #local = #value;
                    }
                }
            }
        }
    });
    let missing = s
        .fields
        .iter()
        .zip(&locals)
        .filter(|(f, _)| f.required)
        .map(|(f, local)| {
            let wire = &f.wire;
            quote! {
                if #local.is_none() {
                    runtime::missing(#wire, "body", &mut violations);
                }
            }
        });
    let fields = s.fields.iter().zip(&locals).map(|(f, local)| {
        let field = to_ident(&f.name);
        let value = if f.boxed {
            quote!(#BOX::new(v))
        } else {
            quote!(v)
        };
        if f.is_optional() {
            let value = if f.boxed {
                quote!(#local.map(#BOX::new))
            } else {
                quote!(#local)
            };
            quote!(#field: #value,)
        } else {
            quote!(#field: match #local { #SOME(v) => #value, #NONE => break 'build #NONE },)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = to_ident(&s.additional_name);
        quote!(#field: #DEFAULT::default(),)
    });
    // Only a required field can leave the block early.
    let label = s
        .fields
        .iter()
        .any(|f| !f.is_optional())
        .then(|| quote!('build:));
    let (wrap, absent) = if required {
        (
            quote!(#SOME(value)),
            quote! {
                runtime::missing("body", "body", &mut violations);
                #NONE
            },
        )
    } else {
        (
            quote!(#SOME(#SOME(
                value
            ))),
            quote!(#SOME(#NONE)),
        )
    };
    quote! {
        match multipart_body(&parts, body).await {
            #NONE => { #absent }
            #SOME(#ERR(rule)) => {
                violations.push(Violation { parameter: "body".to_owned(), location: "body", rule });
                #NONE
            }
            #SOME(#OK(mut multipart)) => {
                #(#declare)*
                loop {
                    match multipart.next_field().await {
                        #OK(#SOME(field)) => {
                            let name = field.name().unwrap_or_default().to_owned();
                            let data = match field.bytes().await {
                                #OK(data) => data,
                                #ERR(error) => {
                                    violations.push(Violation { parameter: name, location: "body", rule: error.body_text() });
                                    break;
                                }
                            };
                            #[allow(clippy::single_match)]
                            match name.as_str() {
                                #(#arms)*
                                // Parts the schema does not declare are ignored.
                                _ => {}
                            }
                        }
                        #OK(#NONE) => break,
                        #ERR(error) => {
                            violations.push(Violation { parameter: "body".to_owned(), location: "body", rule: error.body_text() });
                            break;
                        }
                    }
                }
                #(#missing)*
                let built: #OPTION<#ty> = #label {
                    #SOME(#ty {
                        #(#fields)*
                        #additional
                    })
                };
                match built {
                    #SOME(value) if violations.is_empty() => #wrap,
                    _ => #NONE,
                }
            }
        }
    }
}
