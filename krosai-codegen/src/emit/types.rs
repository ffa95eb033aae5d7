//! The `types` module: one Rust type per named or inline schema and per
//! parameter set.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::prelude::{BOX, DEFAULT, NONE, OPTION, STRING};
use super::{doc_attrs, rust_type, Scope};
use crate::ident::to_ident;
use crate::model::{
    Api, Enum, EnumRepr, Field, OneOf, SelectionRule, Shape, Struct, TypeDef, TypeKind, TypeRef,
};

/// The `types` module: its shell (doc and inner attributes) and its items,
/// one unit per type, formatted one at a time.
pub(super) fn types_module(api: &Api) -> super::Module<'_> {
    // Properties the spec leaves undescribed are not given filler docs; a
    // crate that denies `missing_docs` still builds.
    let undocumented = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|field| !field.flatten && field_doc_text(field).is_empty()),
        _ => false,
    });
    let allow_undocumented = undocumented.then(|| quote!(#![allow(missing_docs)]));
    let shell = quote! {
        /// The data types of the API: one per schema of the spec, per inline
        /// schema that needs a name of its own, and per operation's
        /// parameter set.
        pub mod types {
            // Deprecated items of the spec stay usable from the rest of the
            // generated code; users still get the warning.
            #![allow(deprecated)]
            #allow_undocumented
        }
    };
    let has_enums = api
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::Enum(_)));
    let mut units: Vec<super::Unit<'_>> = Vec::with_capacity(api.types.len() + 2);
    if has_enums {
        units.push(super::Unit::tokens(|| {
            quote! {
                pub use ::krosai_runtime::ParseEnumError;
            }
        }));
    }
    for ty in &api.types {
        units.push(super::Unit::tokens(move || emit_type(api, ty)));
    }
    super::Module { shell, units }
}

fn type_doc(ty: &TypeDef) -> TokenStream {
    // The description is made safe on its own (an unclosed fence closed)
    // before the footer is added, so the footer is never inside a block.
    let mut lines = ty
        .doc
        .as_deref()
        .map(super::doc::doc_lines)
        .unwrap_or_default();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Generated from `{}`.", ty.origin));
    doc_attrs(&lines.join("\n"))
}

fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

fn emit_type(api: &Api, ty: &TypeDef) -> TokenStream {
    let name = to_ident(&ty.name);
    let doc = type_doc(ty);
    let deprecated = deprecated(ty.deprecated);
    match &ty.kind {
        TypeKind::Struct(s) => emit_struct(api, &name, &doc, &deprecated, s),
        TypeKind::Enum(e) => emit_enum(&ty.name, &doc, &deprecated, e),
        TypeKind::OneOf(o) => emit_one_of(api, &ty.name, &doc, &deprecated, o),
        TypeKind::Alias(target) => {
            let target = rust_type(api, target, Scope::Types);
            quote! {
                #doc
                #deprecated
                pub type #name = #target;
            }
        }
        TypeKind::Tuple(items) => {
            let items = items.iter().map(|item| {
                let ty = rust_type(api, &item.ty, Scope::Types);
                let ty = if item.boxed { quote!(#BOX<#ty>) } else { ty };
                quote!(pub #ty)
            });
            quote! {
                #doc
                #deprecated
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name(#(#items),*);
            }
        }
        TypeKind::Newtype(target) => {
            let target = rust_type(api, target, Scope::Types);
            quote! {
                #doc
                #deprecated
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}

/// The Rust type of a field, with the `Option` and `Box` it needs.
fn field_type(api: &Api, field: &Field) -> TokenStream {
    let inner = rust_type(api, &field.ty, Scope::Types);
    let inner = if field.boxed {
        quote!(#BOX<#inner>)
    } else {
        inner
    };
    if field.is_optional() {
        quote!(#OPTION<#inner>)
    } else {
        inner
    }
}

fn field_doc(field: &Field) -> TokenStream {
    let text = field_doc_text(field);
    if text.is_empty() {
        return TokenStream::new();
    }
    doc_attrs(&text)
}

/// A field's doc: the spec's description and notes on how it travels;
/// empty when there is nothing to say.
fn field_doc_text(field: &Field) -> String {
    let mut notes = Vec::new();
    if field.read_only {
        notes.push("read-only: sent by the server, not accepted in requests".to_owned());
    }
    if field.write_only {
        notes.push("write-only: accepted in requests, never sent back".to_owned());
    }
    if field.required && field.nullable {
        notes.push("required but nullable: `None` is sent as `null`".to_owned());
    }
    if let Some(default) = &field.constraints.default {
        notes.push(format!("default: `{default}`"));
    }
    // A property the spec does not describe gets no doc of its own: its
    // name and type already say all there is.
    let mut text = field.doc.clone().unwrap_or_default();
    if !notes.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("({})", notes.join("; ")));
    }
    text
}

fn emit_struct(
    api: &Api,
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    deprecated: &TokenStream,
    s: &Struct,
) -> TokenStream {
    let serde = !s.parameters;
    // Objects are declared through the runtime's `object!`, whose
    // (de)serialization costs the compiler a fraction of serde's derives;
    // a flattened field (an `allOf` part that is a union, or
    // `additionalProperties`) keeps the derive, which buffers the keys it
    // takes.
    let lean = declared_by_object(s);
    let fields = s.fields.iter().map(|field| {
        let ident = to_ident(&field.name);
        let ty = field_type(api, field);
        let doc = if field.flatten {
            doc_attrs(
                "The alternative this value matches (its keys are those of the object itself).",
            )
        } else {
            field_doc(field)
        };
        let deprecated = self::deprecated(field.deprecated);
        if lean {
            let json = json_attr(field);
            return quote! {
                #doc
                #json
                #deprecated
                pub #ident: #ty,
            };
        }
        let serde_attrs = if !serde {
            quote!()
        } else if field.flatten {
            quote!(#[serde(flatten)])
        } else {
            let wire = &field.wire;
            let rename =
                (field.name.as_str() != field.wire).then(|| quote!(#[serde(rename = #wire)]));
            let is_none = format!("{}::is_none", OPTION.text());
            let skip = (!field.required)
                .then(|| quote!(#[serde(default, skip_serializing_if = #is_none)]));
            // Bytes are a string in JSON, not an array of numbers.
            let with = is_binary(field).then(|| {
                if field.is_optional() {
                    quote!(#[serde(with = "::krosai_runtime::binary::option")])
                } else {
                    quote!(#[serde(with = "::krosai_runtime::binary")])
                }
            });
            quote!(#rename #skip #with)
        };
        quote! {
            #doc
            #deprecated
            #serde_attrs
            pub #ident: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|value| {
        let ident = to_ident(&s.additional_name);
        let value = rust_type(api, value, Scope::Types);
        quote! {
            /// Properties not declared by the schema (`additionalProperties`).
            #[serde(flatten)]
            pub #ident: ::std::collections::BTreeMap<#STRING, #value>,
        }
    });
    let all_optional = s.fields.iter().all(|f| f.is_optional() && !f.flatten);
    let default = all_optional.then(|| quote!(Default,));
    let derives = if serde && !lean {
        quote!(#[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, #default)])
    };
    // A struct others may build gains fields as the spec grows: code
    // outside the crate builds it with `new` (or `Default`), not a literal.
    // Its arguments are the fields it cannot do without.
    let required: Vec<_> = s
        .fields
        .iter()
        .filter(|f| !f.is_optional() || f.flatten)
        .map(|f| (to_ident(&f.name), field_type(api, f)))
        .collect();
    let constructor = (!all_optional && !lean).then(|| {
        let none = quote!(#NONE);
        let mut rest: Vec<_> = s
            .fields
            .iter()
            .filter(|f| f.is_optional() && !f.flatten)
            .map(|f| (to_ident(&f.name), none.clone()))
            .collect();
        if s.additional.is_some() {
            rest.push((to_ident(&s.additional_name), quote!(#DEFAULT::default())));
        }
        super::constructor(name, &required, &rest)
    });
    let declaration = quote! {
        #doc
        #deprecated
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
    };
    if lean {
        // `object!` writes `new` from the arguments (its fields without a
        // kind, or with `bytes`: the required ones; it has no flattened
        // field), starting the others as `None`.
        let new = (!all_optional).then(|| {
            let arguments = required.iter().map(|(field, ty)| quote!(#field: #ty));
            quote!(#[new(#(#arguments),*)])
        });
        quote! {
            ::krosai_runtime::object! {
                #new
                #declaration
            }
        }
    } else {
        quote! {
            #declaration
            #constructor
        }
    }
}

/// Whether a struct is declared through the runtime's `object!`: a plain
/// object, without a flattened field.
fn declared_by_object(s: &Struct) -> bool {
    !s.parameters && s.additional.is_none() && !s.fields.iter().any(|f| f.flatten)
}

/// The struct declared by `object!` that values of `ty` are (through
/// nullability, aliases and newtypes), if any.
fn object_struct<'a>(api: &'a Api, mut ty: &'a TypeRef) -> Option<crate::model::TypeId> {
    for _ in 0..32 {
        match api.resolve(ty) {
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Struct(s) if declared_by_object(s) => return Some(*id),
                TypeKind::Newtype(inner) => ty = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// A field's `#[json]` attribute for `object!`: its wire name, and how it
/// travels (left out when unset, `null` when unset, bytes as a string).
fn json_attr(field: &Field) -> TokenStream {
    let wire = &field.wire;
    let kind = match (is_binary(field), field.required, field.nullable) {
        (false, false, _) => Some("optional"),
        (false, true, true) => Some("nullable"),
        (false, true, false) => None,
        (true, false, _) => Some("optional_bytes"),
        (true, true, true) => Some("nullable_bytes"),
        (true, true, false) => Some("bytes"),
    };
    match kind {
        Some(kind) => {
            let kind = proc_macro2::Ident::new(kind, proc_macro2::Span::call_site());
            quote!(#[json(#wire, #kind)])
        }
        None => quote!(#[json(#wire)]),
    }
}

fn emit_enum(
    type_name: &crate::model::Name,
    doc: &TokenStream,
    deprecated: &TokenStream,
    e: &Enum,
) -> TokenStream {
    let name = to_ident(type_name);
    let idents = e.variants.iter().map(|v| to_ident(&v.name));
    // The macros take the variant that keeps other values last, marked.
    let unknown = e.unknown.as_ref().map(|unknown| {
        let unknown = to_ident(unknown);
        quote!(#[unknown] #unknown,)
    });
    match e.repr {
        EnumRepr::String => {
            let wires = e.variants.iter().map(|v| &v.wire);
            quote! {
                ::krosai_runtime::string_enum! {
                    #doc
                    #deprecated
                    pub enum #name {
                        #(#idents = #wires,)*
                        #unknown
                    }
                }
            }
        }
        EnumRepr::Integer => {
            // Wire values were checked to be integers when lowering; one that
            // is not (never expected) is written as 0 rather than failing.
            let values = e
                .variants
                .iter()
                .map(|v| Literal::i64_unsuffixed(v.wire.parse().unwrap_or(0)));
            quote! {
                ::krosai_runtime::integer_enum! {
                    #doc
                    #deprecated
                    pub enum #name {
                        #(#idents = #values,)*
                        #unknown
                    }
                }
            }
        }
    }
}

/// Explains, in the generated docs, how a value finds its variant.
fn selection_doc(o: &OneOf) -> String {
    let mut text = String::from("# Decoding\n\n");
    match &o.rule {
        SelectionRule::Discriminator { property, mapping } => {
            text.push_str(&format!(
                "The variant is chosen by the `{property}` property: "
            ));
            let pairs: Vec<String> = mapping
                .iter()
                .filter_map(|(value, index)| {
                    o.variants
                        .get(*index)
                        .map(|v| format!("`\"{value}\"` → [`Self::{}`]", v.name.as_str()))
                })
                .collect();
            text.push_str(&pairs.join(", "));
            text.push_str(match o.unknown {
                Some(_) => {
                    ". A discriminator value the spec does not list selects the variant that \
                     keeps the value; a value without a discriminator falls back to the shape \
                     rules below.\n\n"
                }
                None => ". A value without a known discriminator falls back to the shape rules below.\n\n",
            });
        }
        SelectionRule::ByShape => {}
    }
    text.push_str("Variants:\n");
    for variant in &o.variants {
        let shape = match &variant.shape {
            Shape::Object {
                known,
                required,
                closed,
            } => {
                let mut s = format!("an object with keys {}", list(known));
                if !required.is_empty() {
                    s.push_str(&format!(", requiring {}", list(required)));
                }
                if *closed {
                    s.push_str(", and no others");
                }
                s
            }
            Shape::Array => "an array".to_owned(),
            Shape::String => "a string".to_owned(),
            Shape::Integer => "an integer".to_owned(),
            Shape::Number => "a number".to_owned(),
            Shape::Boolean => "a boolean".to_owned(),
            Shape::Any => "any value (tried last)".to_owned(),
        };
        text.push_str(&format!("- [`Self::{}`]: {shape}\n", variant.name.as_str()));
    }
    text
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "of any name".to_owned();
    }
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn emit_one_of(
    api: &Api,
    type_name: &crate::model::Name,
    doc: &TokenStream,
    deprecated: &TokenStream,
    o: &OneOf,
) -> TokenStream {
    let name = to_ident(type_name);
    let selection = doc_attrs(&selection_doc(o));
    let variants = o.variants.iter().map(|v| {
        let ident = to_ident(&v.name);
        let ty = rust_type(api, &v.ty, Scope::Types);
        let ty = if v.boxed { quote!(#BOX<#ty>) } else { ty };
        let doc = match &v.ty {
            TypeRef::Named(id) => doc_attrs(&format!("A [`{}`].", api.ty(*id).name.as_str())),
            _ => doc_attrs("This alternative of the union."),
        };
        let shape = match (&v.shape, object_struct(api, &v.ty)) {
            // The struct carries its keys: name them rather than list them.
            (Shape::Object { closed, .. }, Some(id)) => {
                let ty = rust_type(api, &TypeRef::Named(id), Scope::Types);
                if *closed {
                    quote!(closed_fields(#ty))
                } else {
                    quote!(fields(#ty))
                }
            }
            (shape, _) => shape_tokens(shape),
        };
        let nullable = matches!(v.ty, TypeRef::Nullable(_)).then(|| quote!(, nullable));
        quote! {
            #doc
            #[json(#shape #nullable)]
            #ident(#ty),
        }
    });
    let tag = match &o.rule {
        SelectionRule::Discriminator { property, mapping } => {
            let values = mapping.iter().map(|(v, _)| v);
            let indices = mapping
                .iter()
                .map(|(_, i)| proc_macro2::Literal::usize_unsuffixed(*i));
            quote!(#[tag(#property, #(#values = #indices),*)])
        }
        SelectionRule::ByShape => TokenStream::new(),
    };
    let unknown = o.unknown.as_ref().map(|unknown| {
        let unknown = to_ident(unknown);
        quote!(#[unknown] #unknown,)
    });
    quote! {
        ::krosai_runtime::union! {
            #tag
            #doc
            ///
            #selection
            #deprecated
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
                #unknown
            }
        }
    }
}

/// A variant's shape, as the `#[json]` attribute of `union!` writes it.
fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Object {
            known,
            required,
            closed,
        } => {
            let kind = if *closed {
                quote!(closed_object)
            } else {
                quote!(object)
            };
            quote!(#kind([#(#known),*], [#(#required),*]))
        }
        Shape::Array => quote!(array),
        Shape::String => quote!(string),
        Shape::Integer => quote!(integer),
        Shape::Number => quote!(number),
        Shape::Boolean => quote!(boolean),
        Shape::Any => quote!(any),
    }
}

/// A field holding raw bytes (`format: binary`).
fn is_binary(field: &crate::model::Field) -> bool {
    field.ty == TypeRef::Primitive(crate::model::Primitive::Bytes) && !field.boxed
}
