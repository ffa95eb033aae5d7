//! Multipart request bodies read part by part.

use super::*;

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
        quote!(let mut #local: ::std::option::Option<#value> = ::std::option::Option::None;)
    });
    let arms = s.fields.iter().zip(&locals).map(|(f, local)| {
        let wire = &f.wire;
        let one = |item: &TypeRef| -> TokenStream {
            match api.primitive_of(item) {
                Some(Primitive::Bytes) => quote!(::std::option::Option::Some(data.to_vec())),
                Some(Primitive::String) => quote! {
                    match ::std::string::String::from_utf8(data.to_vec()) {
                        ::std::result::Result::Ok(text) => ::std::option::Option::Some(text),
                        ::std::result::Result::Err(_) => {
                            violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule: "must be UTF-8 text".to_owned() });
                            ::std::option::Option::None
                        }
                    }
                },
                _ => {
                    let item_ty = rust_type(api, item, TypeScope::Sibling);
                    quote! {
                        match runtime::part_value::<#item_ty>(&data) {
                            ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                            ::std::result::Result::Err(rule) => {
                                violations.push(Violation { parameter: #wire.to_owned(), location: "body", rule });
                                ::std::option::Option::None
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
                        if let ::std::option::Option::Some(item) = #item {
                            #local.get_or_insert_with(::std::vec::Vec::new).push(item);
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
        let value = if f.boxed { quote!(::std::boxed::Box::new(v)) } else { quote!(v) };
        if f.is_optional() {
            let value = if f.boxed { quote!(#local.map(::std::boxed::Box::new)) } else { quote!(#local) };
            quote!(#field: #value,)
        } else {
            quote!(#field: match #local { ::std::option::Option::Some(v) => #value, ::std::option::Option::None => break 'build ::std::option::Option::None },)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = to_ident(&s.additional_name);
        quote!(#field: ::std::default::Default::default(),)
    });
    // Only a required field can leave the block early.
    let label = s
        .fields
        .iter()
        .any(|f| !f.is_optional())
        .then(|| quote!('build:));
    let (wrap, absent) = if required {
        (
            quote!(::std::option::Option::Some(value)),
            quote! {
                runtime::missing("body", "body", &mut violations);
                ::std::option::Option::None
            },
        )
    } else {
        (
            quote!(::std::option::Option::Some(::std::option::Option::Some(
                value
            ))),
            quote!(::std::option::Option::Some(::std::option::Option::None)),
        )
    };
    quote! {
        match multipart_body(&parts, body).await {
            ::std::option::Option::None => { #absent }
            ::std::option::Option::Some(::std::result::Result::Err(rule)) => {
                violations.push(Violation { parameter: "body".to_owned(), location: "body", rule });
                ::std::option::Option::None
            }
            ::std::option::Option::Some(::std::result::Result::Ok(mut multipart)) => {
                #(#declare)*
                loop {
                    match multipart.next_field().await {
                        ::std::result::Result::Ok(::std::option::Option::Some(field)) => {
                            let name = field.name().unwrap_or_default().to_owned();
                            let data = match field.bytes().await {
                                ::std::result::Result::Ok(data) => data,
                                ::std::result::Result::Err(error) => {
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
                        ::std::result::Result::Ok(::std::option::Option::None) => break,
                        ::std::result::Result::Err(error) => {
                            violations.push(Violation { parameter: "body".to_owned(), location: "body", rule: error.body_text() });
                            break;
                        }
                    }
                }
                #(#missing)*
                let built: ::std::option::Option<#ty> = #label {
                    ::std::option::Option::Some(#ty {
                        #(#fields)*
                        #additional
                    })
                };
                match built {
                    ::std::option::Option::Some(value) if violations.is_empty() => #wrap,
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}
