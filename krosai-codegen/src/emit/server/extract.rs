//! Request types, and reading each parameter from its static description.

use super::*;
use crate::emit::prelude::{DEFAULT, NONE, OPTION, RESULT, SOME, STRING, VEC, VEC_MACRO};

/// The Rust type of a parameter in a request: defaulted parameters are not
/// optional.
pub(super) fn has_usable_default(api: &Api, p: &Parameter) -> bool {
    default_expr(api, p).is_some()
}

/// The spec's default as a Rust expression, when it has a simple one.
pub(super) fn default_expr(api: &Api, p: &Parameter) -> Option<TokenStream> {
    let default = p.constraints.default.as_ref()?;
    match (&resolve(api, &p.ty), default) {
        (TypeRef::Primitive(Primitive::I64), serde_json::Value::Number(n)) => n.as_i64().map(|v| {
            let v = Literal::i64_suffixed(v);
            quote!(#v)
        }),
        (TypeRef::Primitive(Primitive::I32), serde_json::Value::Number(n)) => {
            n.as_i64().and_then(|v| i32::try_from(v).ok()).map(|v| {
                let v = Literal::i32_suffixed(v);
                quote!(#v)
            })
        }
        (TypeRef::Primitive(Primitive::F64), serde_json::Value::Number(n)) => n.as_f64().map(|v| {
            let v = Literal::f64_suffixed(v);
            quote!(#v)
        }),
        (TypeRef::Primitive(Primitive::F32), serde_json::Value::Number(n)) => n.as_f64().map(|v| {
            let v = Literal::f32_suffixed(v as f32);
            quote!(#v)
        }),
        (TypeRef::Primitive(Primitive::Bool), serde_json::Value::Bool(b)) => Some(quote!(#b)),
        (TypeRef::Primitive(Primitive::String), serde_json::Value::String(s)) => {
            Some(quote!(#s.to_owned()))
        }
        (TypeRef::Named(id), serde_json::Value::String(s)) => match &api.ty(*id).kind {
            TypeKind::Enum(e) if e.repr == EnumRepr::String => {
                e.variants.iter().find(|v| v.wire == *s).map(|v| {
                    let ty = to_ident(&api.ty(*id).name);
                    let variant = to_ident(&v.name);
                    quote!(super::types::#ty::#variant)
                })
            }
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn emit_request(api: &Api, op: &Operation, name: &Name) -> TokenStream {
    let ident = to_ident(name);
    let fields = op.parameters.iter().map(|p| {
        let field = to_ident(&p.name);
        let ty = rust_type(api, &p.ty, TypeScope::Sibling);
        let ty = if p.required || has_usable_default(api, p) {
            ty
        } else {
            quote!(#OPTION<#ty>)
        };
        let mut text = p.doc.clone().map(|doc| doc + "\n\n").unwrap_or_default();
        let location = match p.location {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        };
        text.push_str(&format!("({location} parameter `{}`", p.wire));
        if let Some(d) = &p.constraints.default {
            if has_usable_default(api, p) {
                text.push_str(&format!("; `{d}` when absent"));
            }
        }
        text.push(')');
        let doc = doc_attrs(&text);
        quote!(#doc pub #field: #ty,)
    });
    let body = op.request_body.as_ref().map(|b| {
        let ty = request_body_type(api, b);
        let ty = if b.required { ty } else { quote!(#OPTION<#ty>) };
        let doc = doc_attrs(b.doc.as_deref().unwrap_or("The request body."));
        quote!(#doc pub body: #ty,)
    });
    let doc = doc_attrs(&format!(
        "The parsed, validated and defaulted request of `{}` (`{} {}`).",
        op.operation_id,
        op.method.as_str(),
        op.path
    ));
    // Without a required parameter or body, a request has a default: what
    // the router builds from a request that sets nothing (the spec's
    // defaults applied), handy for calling the trait directly.
    let defaultable = op.parameters.iter().all(|p| !p.required)
        && op.request_body.as_ref().is_none_or(|b| !b.required);
    let spec_defaults = op.parameters.iter().any(|p| default_expr(api, p).is_some());
    // All `None`: the derive says it best.
    let derive_default = (defaultable && !spec_defaults).then(|| quote!(Default,));
    let default = (defaultable && spec_defaults).then(|| {
        let values = op.parameters.iter().map(|p| {
            let field = to_ident(&p.name);
            let value = default_expr(api, p).unwrap_or_else(|| quote!(#NONE));
            quote!(#field: #value,)
        });
        let body = op.request_body.as_ref().map(|_| quote!(body: #NONE,));
        quote! {
            impl #DEFAULT for #ident {
                fn default() -> Self {
                    Self {
                        #(#values)*
                        #body
                    }
                }
            }
        }
    });
    // Outside the crate a request is built with `new` (or `Default`), so
    // that a new optional parameter does not break that code.
    let constructor = (!defaultable).then(|| {
        let mut required = Vec::new();
        let mut rest = Vec::new();
        for p in &op.parameters {
            let field = to_ident(&p.name);
            if p.required {
                required.push((field, rust_type(api, &p.ty, TypeScope::Sibling)));
            } else {
                let value = default_expr(api, p).unwrap_or_else(|| quote!(#NONE));
                rest.push((field, value));
            }
        }
        if let Some(b) = &op.request_body {
            let field = proc_macro2::Ident::new("body", proc_macro2::Span::call_site());
            if b.required {
                required.push((field, request_body_type(api, b)));
            } else {
                rest.push((field, quote!(#NONE)));
            }
        }
        crate::emit::constructor(&ident, &required, &rest)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            #body
        }

        #default
        #constructor
    }
}

/// Parses one parameter into a local named after it. `source` is a
/// `Vec<&str>` of the values the request carried for it.
/// The static description of a parameter (`runtime::Param`): where it
/// travels, its wire name, and the rules its value keeps.
pub(super) fn param_description(
    api: &Api,
    op: &Operation,
    index: usize,
    p: &Parameter,
) -> TokenStream {
    let wire = &p.wire;
    let mut param = match p.location {
        ParameterLocation::Path => {
            let key = axum_parameter_name(op, index).unwrap_or_default();
            quote!(runtime::Param::path(#wire, #key))
        }
        ParameterLocation::Query => quote!(runtime::Param::query(#wire)),
        ParameterLocation::Header => quote!(runtime::Param::header(#wire)),
        ParameterLocation::Cookie => quote!(runtime::Param::cookie(#wire)),
    };
    if p.required && p.location != ParameterLocation::Path {
        param = quote!(#param.required());
    }
    // `label` and `matrix` values start with `.` or `;name=`.
    match p.style {
        ParameterStyle::Label => param = quote!(#param.prefixed(".")),
        ParameterStyle::Matrix => {
            let prefix = format!(";{wire}=");
            param = quote!(#param.prefixed(#prefix));
        }
        _ => {}
    }
    let bounds = crate::emit::bound_calls(api, p);
    param = quote!(#param #(#bounds)*);
    param
}

/// The expression reading parameter `index` of `op` from `input`: an
/// `Option` of its type, every broken rule recorded.
pub(super) fn read_parameter(
    api: &Api,
    op: &Operation,
    index: usize,
    p: &Parameter,
) -> TokenStream {
    let param = param_description(api, op, index, p);
    if p.style == ParameterStyle::Content {
        return quote!(input.scalar(&#param, runtime::json));
    }
    if crate::emit::is_object(api, &p.ty) {
        let form = match (p.location, p.style, p.explode) {
            (ParameterLocation::Query, ParameterStyle::DeepObject, _) => {
                quote!(runtime::Object::DeepObject)
            }
            // Exploded `form`: the properties are parameters of their own;
            // the object is there when one of its properties is (any key,
            // for a map).
            (ParameterLocation::Query, ParameterStyle::Form, true) => {
                match crate::emit::multipart_struct(api, &p.ty) {
                    Some(s) if s.additional.is_none() => {
                        let keys = s.fields.iter().map(|f| f.wire.as_str());
                        quote!(runtime::Object::Properties(&[#(#keys),*]))
                    }
                    _ => quote!(runtime::Object::Query),
                }
            }
            (_, style, explode) => {
                let separator = match (style, explode) {
                    (ParameterStyle::Label, true) => quote!(#SOME('.')),
                    (ParameterStyle::Matrix, true) => quote!(#SOME(';')),
                    (_, true) => quote!(#SOME(',')),
                    _ => quote!(#NONE),
                };
                let flat = match style {
                    ParameterStyle::SpaceDelimited => ' ',
                    ParameterStyle::PipeDelimited => '|',
                    _ => ',',
                };
                quote!(runtime::Object::Styled { separator: #separator, flat: #flat })
            }
        };
        return quote!(input.object(&#param, #form));
    }
    if let TypeRef::Array(inner) = resolve(api, &p.ty) {
        // Repeated (`form`, exploded) or separated values.
        let items = if p.explode && p.location == ParameterLocation::Query {
            quote!(runtime::Items::Repeated)
        } else {
            let separator = match (p.style, p.explode) {
                (ParameterStyle::SpaceDelimited, false) => " ".to_owned(),
                (ParameterStyle::PipeDelimited, false) => "|".to_owned(),
                (ParameterStyle::Label, true) => ".".to_owned(),
                (ParameterStyle::Matrix, true) => format!(";{}=", p.wire),
                _ => ",".to_owned(),
            };
            quote!(runtime::Items::Separated(#separator))
        };
        let parse = parse_function(api, &inner);
        return quote!(input.list(&#param, #items, #parse));
    }
    // Only a single text value is checked against the pattern.
    let pattern = checkable_pattern(p).map(|pattern| quote!(.pattern(#pattern)));
    let parse = parse_function(api, &p.ty);
    quote!(input.scalar(&#param #pattern, #parse))
}

/// The parameter's `pattern`, if the `regex` crate accepts it. ECMA-262
/// features it lacks (look-around, back-references) leave the parameter
/// unchecked rather than failing generation.
pub(super) fn checkable_pattern(p: &Parameter) -> Option<&str> {
    let pattern = p.constraints.pattern.as_deref()?;
    regex::Regex::new(pattern).is_ok().then_some(pattern)
}

/// The module's parse functions for parameters of types from `uuid` and
/// `chrono` (the runtime depends on neither), for those the spec uses.
pub(super) fn typed_parsers(api: &Api) -> TokenStream {
    let mut used = std::collections::HashSet::new();
    for p in api.operations.iter().flat_map(|op| &op.parameters) {
        let ty = match resolve(api, &p.ty) {
            TypeRef::Array(inner) => resolve(api, &inner),
            ty => ty,
        };
        if let TypeRef::Primitive(primitive) = ty {
            used.insert(primitive);
        }
    }
    let uuid = used.contains(&Primitive::Uuid).then(|| {
        quote! {
            /// Reads a `format: uuid` parameter.
            fn parse_uuid(_: &runtime::Param, raw: &str) -> #RESULT<::uuid::Uuid, #VEC<#STRING>> {
                runtime::from_text(raw, "a UUID")
            }
        }
    });
    let date = used.contains(&Primitive::Date).then(|| {
        quote! {
            /// Reads a `format: date` parameter.
            fn parse_date(_: &runtime::Param, raw: &str) -> #RESULT<::chrono::NaiveDate, #VEC<#STRING>> {
                ::chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| #VEC_MACRO!["must be a date (YYYY-MM-DD)".to_owned()])
            }
        }
    });
    let date_time = used.contains(&Primitive::DateTime).then(|| {
        quote! {
            /// Reads a `format: date-time` parameter.
            fn parse_date_time(_: &runtime::Param, raw: &str) -> #RESULT<::chrono::DateTime<::chrono::FixedOffset>, #VEC<#STRING>> {
                ::chrono::DateTime::parse_from_rfc3339(raw)
                    .map_err(|_| #VEC_MACRO!["must be an RFC 3339 date-time".to_owned()])
            }
        }
    });
    quote!(#uuid #date #date_time)
}

/// The `runtime::Parse` function reading one text value as `ty`.
pub(super) fn parse_function(api: &Api, ty: &TypeRef) -> TokenStream {
    match resolve(api, ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::String => quote!(runtime::text),
            Primitive::I32 => quote!(runtime::int32),
            // An integer beyond 64 bits is still an integer the spec allows:
            // it saturates, and the bounds (if any) judge it.
            Primitive::I64 => quote!(runtime::integer),
            Primitive::F32 => quote!(runtime::float),
            Primitive::F64 => quote!(runtime::double),
            Primitive::Bool => quote!(runtime::boolean),
            // The types of other crates are read by the module's own
            // functions (see `typed_parsers`).
            Primitive::Uuid => quote!(parse_uuid),
            Primitive::Date => quote!(parse_date),
            Primitive::DateTime => quote!(parse_date_time),
            Primitive::Bytes => quote!(runtime::bytes),
            Primitive::Json | Primitive::JsonObject => quote!(runtime::json),
        },
        TypeRef::Named(id) => match &api.ty(id).kind {
            TypeKind::Enum(e) if e.repr == EnumRepr::String => quote!(runtime::string_enum),
            TypeKind::Enum(_) => quote!(runtime::integer_enum),
            // Structured values the spec does not give a text form for are
            // read as JSON (the documented raw form).
            _ => quote!(runtime::json),
        },
        _ => quote!(runtime::json),
    }
}
