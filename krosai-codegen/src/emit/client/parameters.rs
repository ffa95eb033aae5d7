//! Parameters on the wire: bounds checked before sending, path segments, query pairs, headers.

use super::*;
use crate::emit::prelude::{FORMAT, SOME, STRING, VEC};

pub(super) fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

pub(super) fn bounds_text(c: &Constraints) -> String {
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
pub(super) fn validation(api: &Api, p: &Parameter) -> TokenStream {
    let calls = crate::emit::bound_calls(api, p);
    if calls.is_empty() {
        return quote!();
    }
    let name = to_ident(&p.name);
    let wire = &p.wire;
    let bounds = quote!(runtime::Bounds::new() #(#calls)*);
    if api.primitive_of(&p.ty) == Some(Primitive::String) {
        let value = if p.required {
            quote!(#SOME(params.#name.as_str()))
        } else {
            quote!(params.#name.as_deref())
        };
        quote!(runtime::check_text(&mut violations, #wire, #value, #bounds);)
    } else {
        let value = if p.required {
            quote!(#SOME(params.#name))
        } else {
            quote!(params.#name)
        };
        quote!(runtime::check_number(&mut violations, #wire, #value, #bounds);)
    }
}

/// Whether a scalar of `ty` is written on the wire as its `Display` text
/// (numbers, booleans, strings, UUIDs, dates, enums).
pub(super) fn displays_as_wire(api: &Api, ty: &TypeRef) -> bool {
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
pub(super) fn scalar_to_string(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    if displays_as_wire(api, ty) {
        return quote!(runtime::wire_text(#value));
    }
    match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::DateTime => quote!(#value.to_rfc3339()),
            Primitive::Bytes => quote!(#STRING::from_utf8_lossy(#value).into_owned()),
            _ => quote!(runtime::json_text(#value)),
        },
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Alias(inner) => scalar_to_string(api, inner, value),
            _ => quote!(runtime::json_text(#value)),
        },
        TypeRef::Nullable(inner) => {
            let inner = scalar_to_string(api, inner, quote!(v));
            quote!(#value.as_ref().map(|v| #inner).unwrap_or_default())
        }
        TypeRef::Array(inner) => {
            let inner = scalar_to_string(api, inner, quote!(v));
            quote!(#value.iter().map(|v| #inner).collect::<#VEC<_>>().join(","))
        }
        TypeRef::Map(_) => quote!(runtime::json_text(#value)),
    }
}

/// The path as a list of segment expressions.
pub(super) fn path_segments(api: &Api, op: &Operation) -> Vec<TokenStream> {
    // Each segment is literal text and parameter values, joined and
    // percent-encoded as one.
    let segments = op.path_pieces().into_iter().map(|pieces| {
        pieces
            .iter()
            .map(|piece| match piece {
                PathSegment::Literal(text) => quote!(#text),
                PathSegment::Parameter(index) => {
                    let p = &op.parameters[*index];
                    let name = to_ident(&p.name);
                    let simple = matches!(p.style, ParameterStyle::Simple)
                        && !crate::emit::is_object(api, &p.ty)
                        && displays_as_wire(api, &p.ty);
                    if simple {
                        // The common case, without a block around it.
                        quote!(runtime::wire_text(&params.#name).as_str())
                    } else {
                        let value = styled_text(api, p, quote!(value));
                        quote!({ let value = &params.#name; #value }.as_str())
                    }
                }
            })
            .collect::<Vec<TokenStream>>()
    });
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

pub(super) fn query_parameter(api: &Api, p: &Parameter) -> TokenStream {
    let name = to_ident(&p.name);
    let wire = &p.wire;
    let plain = p.style != ParameterStyle::Content
        && !crate::emit::is_object(api, &p.ty)
        && displays_as_wire(api, &p.ty);
    if plain {
        let value = if p.required {
            quote!(#SOME(&params.#name))
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
    } else if crate::emit::is_object(api, &p.ty) {
        match (p.style, p.explode) {
            // `name[property]=value`.
            (ParameterStyle::DeepObject, _) => quote! {
                for (key, text) in runtime::object_pairs(value) {
                    url.query_pairs_mut().append_pair(&#FORMAT!("{}[{}]", #wire, key), &text);
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
                let flat: #VEC<#STRING> = runtime::object_pairs(value).into_iter().flat_map(|(k, v)| [k, v]).collect();
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
                    let items: #VEC<#STRING> = value.iter().map(|item| #item).collect();
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
            if let #SOME(value) = &params.#name {
                #append
            }
        }
    }
}

pub(super) fn header_parameter(api: &Api, p: &Parameter, shared: &[&Parameter]) -> TokenStream {
    let name = to_ident(&p.name);
    let wire = &p.wire;
    let text = styled_text(api, p, quote!(value));
    let default = shared
        .iter()
        .find(|s| s.wire.eq_ignore_ascii_case(&p.wire))
        .map(|s| shared_header_field(api, s));
    let value = match (p.required, default) {
        (true, _) => quote!(#SOME(&params.#name)),
        (false, Some(field)) => quote!(params.#name.as_ref().or(client.#field.as_ref())),
        (false, None) => quote!(params.#name.as_ref()),
    };
    quote! {
        if let #SOME(value) = #value {
            request = request.header(#wire, #text);
        }
    }
}

/// A `String` expression: the text of a path, header or cookie parameter
/// (`value` is a `&T`) in its `style` (RFC 6570 as OpenAPI uses it):
/// `simple` `a,b`, `label` `.a.b`, `matrix` `;id=a;id=b`, objects as
/// `key,value` pairs (or `key=value` exploded); `content` as JSON.
pub(super) fn styled_text(api: &Api, p: &Parameter, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    if p.style == ParameterStyle::Content {
        return quote!(runtime::json_text(#value));
    }
    let matrix_prefix = format!(";{wire}=");
    if crate::emit::is_object(api, &p.ty) {
        let pairs = quote!(runtime::object_pairs(#value));
        return match (p.style, p.explode) {
            (ParameterStyle::Label, true) => quote!(
                #FORMAT!(".{}", #pairs.into_iter().map(|(k, v)| #FORMAT!("{k}={v}")).collect::<#VEC<_>>().join("."))
            ),
            (ParameterStyle::Matrix, true) => {
                quote!(#pairs.into_iter().map(|(k, v)| #FORMAT!(";{k}={v}")).collect::<#STRING>())
            }
            (_, true) => {
                quote!(#pairs.into_iter().map(|(k, v)| #FORMAT!("{k}={v}")).collect::<#VEC<_>>().join(","))
            }
            (style, false) => {
                let flat = quote!(#pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<#VEC<_>>().join(","));
                match style {
                    ParameterStyle::Label => quote!(#FORMAT!(".{}", #flat)),
                    ParameterStyle::Matrix => quote!(#FORMAT!("{}{}", #matrix_prefix, #flat)),
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
                    quote!(#items.map(|item| #FORMAT!(".{item}")).collect::<#STRING>())
                }
                (ParameterStyle::Label, false) => {
                    quote!(#FORMAT!(".{}", #items.collect::<#VEC<_>>().join(",")))
                }
                (_, true) => {
                    quote!(#items.map(|item| #FORMAT!("{}{item}", #matrix_prefix)).collect::<#STRING>())
                }
                (_, false) => quote!(
                    #FORMAT!("{}{}", #matrix_prefix, #items.collect::<#VEC<_>>().join(","))
                ),
            }
        }
        (ty, ParameterStyle::Label) => {
            let text = scalar_to_string(api, ty, value);
            quote!(#FORMAT!(".{}", #text))
        }
        (ty, ParameterStyle::Matrix) => {
            let text = scalar_to_string(api, ty, value);
            quote!(#FORMAT!("{}{}", #matrix_prefix, #text))
        }
        // `simple` and `form` (a cookie): comma-separated lists.
        (ty, _) => scalar_to_string(api, ty, value),
    }
}
