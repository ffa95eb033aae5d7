//! The `types` module: one Rust type per named or inline schema and per
//! parameter set.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, rust_type, Scope};
use crate::ident::to_ident;
use crate::model::{
    Api, Enum, EnumRepr, Field, OneOf, SelectionRule, Shape, Struct, TypeDef, TypeKind, TypeRef,
};

/// The `types` module: its shell (doc and inner attributes) and its items,
/// one unit per type, formatted one at a time.
pub(super) fn types_module(api: &Api) -> super::Module<'_> {
    let shell = quote! {
        /// The data types of the API: one per schema of the spec, per inline
        /// schema that needs a name of its own, and per operation's
        /// parameter set.
        pub mod types {
            // Deprecated items of the spec stay usable from the rest of the
            // generated code; users still get the warning.
            #![allow(deprecated)]
        }
    };
    let has_enums = api
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::Enum(_)));
    let needs_support = api
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::OneOf(_)));
    let needs_discriminator = api.types.iter().any(|t| {
        matches!(&t.kind, TypeKind::OneOf(o) if matches!(o.rule, SelectionRule::Discriminator { .. }))
    });
    let mut units: Vec<super::Unit<'_>> = Vec::with_capacity(api.types.len() + 2);
    if has_enums {
        units.push(Box::new(parse_enum_error));
    }
    for ty in &api.types {
        units.push(Box::new(move || emit_type(api, ty)));
    }
    if needs_support {
        units.push(Box::new(move || support_module(needs_discriminator)));
    }
    if api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => s.fields.iter().any(is_binary),
        _ => false,
    }) {
        units.push(Box::new(binary_modules));
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
        super::box_of(api, inner)
    } else {
        inner
    };
    if field.is_optional() {
        super::option_of(api, inner)
    } else {
        inner
    }
}

fn field_doc(field: &Field) -> TokenStream {
    let mut text = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.wire));
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
    if !notes.is_empty() {
        text.push_str(&format!("\n\n({})", notes.join("; ")));
    }
    doc_attrs(&text)
}

fn emit_struct(
    api: &Api,
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    deprecated: &TokenStream,
    s: &Struct,
) -> TokenStream {
    let serde = !s.parameters;
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
        let serde_attrs = if !serde {
            quote!()
        } else if field.flatten {
            quote!(#[serde(flatten)])
        } else {
            let wire = &field.wire;
            let rename = (field.name.trim_start_matches("r#") != field.wire)
                .then(|| quote!(#[serde(rename = #wire)]));
            let is_none = super::is_none_path(api);
            let skip = (!field.required)
                .then(|| quote!(#[serde(default, skip_serializing_if = #is_none)]));
            // Bytes are a string in JSON, not an array of numbers.
            let with = is_binary(field).then(|| {
                if field.is_optional() {
                    quote!(#[serde(with = "binary_option")])
                } else {
                    quote!(#[serde(with = "binary")])
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
        let string = super::string(api);
        let value = rust_type(api, value, Scope::Types);
        quote! {
            /// Properties not declared by the schema (`additionalProperties`).
            #[serde(flatten)]
            pub #ident: ::std::collections::BTreeMap<#string, #value>,
        }
    });
    let all_optional = s.fields.iter().all(|f| f.is_optional() && !f.flatten);
    let default = all_optional.then(|| quote!(Default,));
    let derives = if serde {
        quote!(#[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, #default)])
    };
    quote! {
        #doc
        #deprecated
        #derives
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn emit_enum(
    type_name: &str,
    doc: &TokenStream,
    deprecated: &TokenStream,
    e: &Enum,
) -> TokenStream {
    let name = to_ident(type_name);
    let idents: Vec<_> = e.variants.iter().map(|v| to_ident(&v.name)).collect();
    let wires: Vec<&String> = e.variants.iter().map(|v| &v.wire).collect();
    let variant_docs = wires.iter().map(|wire| doc_attrs(&format!("`{wire}`")));
    let all = quote! {
        /// Every value, in the order the spec lists them.
        pub const ALL: &'static [Self] = &[#(Self::#idents),*];
    };
    match e.repr {
        EnumRepr::String => quote! {
            #doc
            #deprecated
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name {
                #(
                    #variant_docs
                    #[serde(rename = #wires)]
                    #idents,
                )*
            }

            impl #name {
                #all

                /// The value as it is written on the wire.
                pub const fn as_str(&self) -> &'static str {
                    match self {
                        #(Self::#idents => #wires,)*
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ParseEnumError;

                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    match value {
                        #(#wires => ::std::result::Result::Ok(Self::#idents),)*
                        _ => ::std::result::Result::Err(ParseEnumError::new(#type_name, value)),
                    }
                }
            }
        },
        EnumRepr::Integer => {
            // Wire values were checked to be integers when lowering; one that
            // is not (never expected) is written as 0 rather than failing.
            let values: Vec<i64> = wires.iter().map(|w| w.parse().unwrap_or(0)).collect();
            quote! {
                #doc
                #deprecated
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(
                        #variant_docs
                        #idents,
                    )*
                }

                impl #name {
                    #all

                    /// The value as it is written on the wire.
                    pub const fn value(&self) -> i64 {
                        match self {
                            #(Self::#idents => #values,)*
                        }
                    }

                    /// The variant for a wire value, if there is one.
                    pub const fn from_value(value: i64) -> ::std::option::Option<Self> {
                        match value {
                            #(#values => ::std::option::Option::Some(Self::#idents),)*
                            _ => ::std::option::Option::None,
                        }
                    }
                }

                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.value(), f)
                    }
                }

                impl ::std::str::FromStr for #name {
                    type Err = ParseEnumError;

                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        value
                            .parse::<i64>()
                            .ok()
                            .and_then(Self::from_value)
                            .ok_or_else(|| ParseEnumError::new(#type_name, value))
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<__S>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error>
                    where
                        __S: ::serde::Serializer,
                    {
                        serializer.serialize_i64(self.value())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<__D>(deserializer: __D) -> ::std::result::Result<Self, __D::Error>
                    where
                        __D: ::serde::Deserializer<'de>,
                    {
                        let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                        Self::from_value(value).ok_or_else(|| {
                            <__D::Error as ::serde::de::Error>::custom(ParseEnumError::new(#type_name, &value.to_string()))
                        })
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
                    o.variants.get(*index).map(|v| {
                        format!(
                            "`\"{value}\"` → [`Self::{}`]",
                            v.name.trim_start_matches("r#")
                        )
                    })
                })
                .collect();
            text.push_str(&pairs.join(", "));
            text.push_str(
                ". A value without a known discriminator falls back to the shape rules below.\n\n",
            );
        }
        SelectionRule::ByShape => {}
    }
    text.push_str(
        "The variant is chosen by the shape of the JSON value, not by trying the \
         variants in order: a variant whose JSON type (object, array, string, \
         number, boolean) differs from the value's is never chosen; among objects, \
         a variant whose required properties are missing, or that forbids a \
         property the value has, is left out, and the rest are ranked by how many \
         of the value's keys they declare, then by how few they do not. Ties keep \
         the spec's order. The best-ranked variant that decodes wins.\n\nVariants:\n",
    );
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
        text.push_str(&format!(
            "- [`Self::{}`]: {shape}\n",
            variant.name.trim_start_matches("r#")
        ));
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
    type_name: &str,
    doc: &TokenStream,
    deprecated: &TokenStream,
    o: &OneOf,
) -> TokenStream {
    let name = to_ident(type_name);
    let selection = doc_attrs(&selection_doc(o));
    let variants = o.variants.iter().map(|v| {
        let ident = to_ident(&v.name);
        let ty = rust_type(api, &v.ty, Scope::Types);
        let ty = if v.boxed { super::box_of(api, ty) } else { ty };
        let doc = match &v.ty {
            TypeRef::Named(id) => doc_attrs(&format!(
                "A [`{}`].",
                api.ty(*id).name.trim_start_matches("r#")
            )),
            _ => doc_attrs("This alternative of the union."),
        };
        quote! {
            #doc
            #ident(#ty),
        }
    });
    let shapes = o.variants.iter().map(|v| {
        let shape = shape_tokens(&v.shape);
        let nullable = matches!(v.ty, TypeRef::Nullable(_));
        quote!((#shape, #nullable))
    });
    let attempts = o.variants.iter().enumerate().map(|(index, v)| {
        let ident = to_ident(&v.name);
        let ty = rust_type(api, &v.ty, Scope::Types);
        let wrap = if v.boxed {
            quote!(|v| Self::#ident(::std::boxed::Box::new(v)))
        } else {
            quote!(Self::#ident)
        };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote! {
            #index => <#ty as ::serde::Deserialize>::deserialize(&value).map(#wrap),
        }
    });
    let text_attempts = o.variants.iter().enumerate().map(|(index, v)| {
        let ident = to_ident(&v.name);
        let ty = rust_type(api, &v.ty, Scope::Types);
        let wrap = if v.boxed {
            quote!(|v| Self::#ident(::std::boxed::Box::new(v)))
        } else {
            quote!(Self::#ident)
        };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote! {
            #index => ::serde_json::from_slice::<#ty>(bytes).map(#wrap),
        }
    });
    let from_json_slice = match &o.rule {
        SelectionRule::ByShape => quote! {
            /// Decodes JSON text, choosing the variant as the `Deserialize`
            /// impl does, but without building a `serde_json::Value`: a
            /// first pass reads only the JSON type and the top-level keys
            /// (values are skipped), then the chosen variant is decoded
            /// straight from the text.
            pub fn from_json_slice(bytes: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                // When the first byte's JSON type fits one variant only, no
                // probe is needed; otherwise read the top-level keys.
                let order = match support::sole_variant(bytes, Self::SHAPES) {
                    ::std::option::Option::Some(index) => ::std::vec![index],
                    ::std::option::Option::None => {
                        let probe: support::Probe<'_> = ::serde_json::from_slice(bytes)?;
                        support::rank(&probe, Self::SHAPES)
                    }
                };
                let mut first_error: ::std::option::Option<::serde_json::Error> = ::std::option::Option::None;
                for index in order {
                    let attempt = match index {
                        #(#text_attempts)*
                        _ => continue,
                    };
                    match attempt {
                        ::std::result::Result::Ok(decoded) => return ::std::result::Result::Ok(decoded),
                        ::std::result::Result::Err(error) => {
                            first_error.get_or_insert(error);
                        }
                    }
                }
                ::std::result::Result::Err(<::serde_json::Error as ::serde::de::Error>::custom(
                    support::no_variant(#type_name, first_error),
                ))
            }
        },
        SelectionRule::Discriminator { .. } => quote! {
            /// Decodes JSON text (through the `Deserialize` impl: the
            /// discriminator needs the value).
            pub fn from_json_slice(bytes: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                ::serde_json::from_slice(bytes)
            }
        },
    };
    let discriminator = match &o.rule {
        SelectionRule::Discriminator { property, mapping } => {
            let values = mapping.iter().map(|(v, _)| v);
            let indices = mapping
                .iter()
                .map(|(_, i)| proc_macro2::Literal::usize_unsuffixed(*i));
            quote! {
                let order = match support::discriminator(&value, #property, &[#((#values, #indices)),*]) {
                    ::std::option::Option::Some(index) => ::std::vec![index],
                    ::std::option::Option::None => support::rank(&support::Probe::of(&value), Self::SHAPES),
                };
            }
        }
        SelectionRule::ByShape => quote! {
            let order = support::rank(&support::Probe::of(&value), Self::SHAPES);
        },
    };
    quote! {
        #doc
        ///
        #selection
        #deprecated
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        // The variants are whatever the spec's alternatives are; boxing the
        // large ones would make every match on them clumsier.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// What each variant's JSON looks like, and whether it admits `null`.
            const SHAPES: &'static [(support::Shape, bool)] = &[#(#shapes),*];

            #from_json_slice
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            // `__D`, not `D`: a schema may be called `D`.
            fn deserialize<__D>(deserializer: __D) -> ::std::result::Result<Self, __D::Error>
            where
                __D: ::serde::Deserializer<'de>,
            {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #discriminator
                let mut first_error: ::std::option::Option<::serde_json::Error> = ::std::option::Option::None;
                for index in order {
                    let attempt = match index {
                        #(#attempts)*
                        _ => continue,
                    };
                    match attempt {
                        ::std::result::Result::Ok(decoded) => return ::std::result::Result::Ok(decoded),
                        ::std::result::Result::Err(error) => {
                            first_error.get_or_insert(error);
                        }
                    }
                }
                ::std::result::Result::Err(<__D::Error as ::serde::de::Error>::custom(
                    support::no_variant(#type_name, first_error),
                ))
            }
        }
    }
}

fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Object {
            known,
            required,
            closed,
        } => quote! {
            support::Shape::Object { known: &[#(#known),*], required: &[#(#required),*], closed: #closed }
        },
        Shape::Array => quote!(support::Shape::Array),
        Shape::String => quote!(support::Shape::String),
        Shape::Integer => quote!(support::Shape::Integer),
        Shape::Number => quote!(support::Shape::Number),
        Shape::Boolean => quote!(support::Shape::Boolean),
        Shape::Any => quote!(support::Shape::Any),
    }
}

fn parse_enum_error() -> TokenStream {
    quote! {
        /// The error returned when text is not one of an enum's values.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ParseEnumError {
            type_name: &'static str,
            value: ::std::string::String,
        }

        impl ParseEnumError {
            fn new(type_name: &'static str, value: &str) -> Self {
                Self { type_name, value: value.to_owned() }
            }

            /// The name of the enum that was parsed.
            pub fn type_name(&self) -> &'static str {
                self.type_name
            }

            /// The text that is not one of its values.
            pub fn value(&self) -> &str {
                &self.value
            }
        }

        impl ::std::fmt::Display for ParseEnumError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "`{}` is not a valid {} value", self.value, self.type_name)
            }
        }

        impl ::std::error::Error for ParseEnumError {}
    }
}

/// A field holding raw bytes (`format: binary`).
fn is_binary(field: &crate::model::Field) -> bool {
    field.ty == TypeRef::Primitive(crate::model::Primitive::Bytes) && !field.boxed
}

/// Serde adapters writing `format: binary` fields as JSON strings (the
/// bytes as text, invalid UTF-8 replaced) rather than arrays of numbers.
fn binary_modules() -> TokenStream {
    quote! {
        /// `format: binary` as a JSON string.
        #[allow(dead_code)]
        mod binary {
            pub(super) fn serialize<S: ::serde::Serializer>(bytes: &[u8], serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&::std::string::String::from_utf8_lossy(bytes))
            }

            pub(super) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<::std::vec::Vec<u8>, D::Error> {
                let text: ::std::string::String = ::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(text.into_bytes())
            }
        }

        /// An optional `format: binary` field as a JSON string.
        #[allow(dead_code)]
        mod binary_option {
            pub(super) fn serialize<S: ::serde::Serializer>(bytes: &::std::option::Option<::std::vec::Vec<u8>>, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match bytes {
                    ::std::option::Option::Some(bytes) => super::binary::serialize(bytes, serializer),
                    ::std::option::Option::None => serializer.serialize_none(),
                }
            }

            pub(super) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, D::Error> {
                let text: ::std::option::Option<::std::string::String> = ::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(text.map(::std::string::String::into_bytes))
            }
        }
    }
}

/// The helpers that union deserialisation uses; private to `types`.
fn support_module(discriminator: bool) -> TokenStream {
    let discriminator = discriminator.then(|| {
        quote! {
            /// The variant a discriminator property selects, if the value
            /// has one that the mapping knows.
            pub(super) fn discriminator(
                value: &::serde_json::Value,
                property: &str,
                mapping: &[(&str, usize)],
            ) -> ::std::option::Option<usize> {
                let tag = value.get(property)?.as_str()?;
                mapping.iter().find(|(name, _)| *name == tag).map(|(_, index)| *index)
            }
        }
    });
    quote! {
        /// Helpers for deciding which variant of a union a JSON value is.
        mod support {
            /// What the JSON values of one variant look like. An API uses
            /// only some of these shapes.
            #[allow(dead_code)]
            pub(super) enum Shape {
                Object {
                    known: &'static [&'static str],
                    required: &'static [&'static str],
                    closed: bool,
                },
                Array,
                String,
                Integer,
                Number,
                Boolean,
                Any,
            }

            /// The variants that can hold `value`, best first; ties keep
            /// declaration order (the sort is stable).
            /// The JSON type of a value and, for an object, its top-level
            /// keys: all that the shapes need, read without building the
            /// value.
            pub(super) enum Probe<'a> {
                Object(::std::vec::Vec<::std::borrow::Cow<'a, str>>),
                Array,
                String,
                Integer,
                Number,
                Boolean,
                Null,
            }

            impl<'a> Probe<'a> {
                /// The probe of a value already decoded.
                pub(super) fn of(value: &'a ::serde_json::Value) -> Self {
                    use ::serde_json::Value;
                    match value {
                        Value::Object(map) => Probe::Object(map.keys().map(|k| ::std::borrow::Cow::Borrowed(k.as_str())).collect()),
                        Value::Array(_) => Probe::Array,
                        Value::String(_) => Probe::String,
                        Value::Number(n) if n.is_i64() || n.is_u64() => Probe::Integer,
                        Value::Number(_) => Probe::Number,
                        Value::Bool(_) => Probe::Boolean,
                        Value::Null => Probe::Null,
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for Probe<'de> {
                fn deserialize<__D>(deserializer: __D) -> ::std::result::Result<Self, __D::Error>
                where
                    __D: ::serde::Deserializer<'de>,
                {
                    deserializer.deserialize_any(ProbeVisitor)
                }
            }

            struct ProbeVisitor;

            impl<'de> ::serde::de::Visitor<'de> for ProbeVisitor {
                type Value = Probe<'de>;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("any JSON value")
                }

                fn visit_bool<__E>(self, _: bool) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::Boolean)
                }

                fn visit_i64<__E>(self, _: i64) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::Integer)
                }

                fn visit_u64<__E>(self, _: u64) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::Integer)
                }

                fn visit_f64<__E>(self, _: f64) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::Number)
                }

                fn visit_str<__E>(self, _: &str) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::String)
                }

                fn visit_unit<__E>(self) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::Null)
                }

                fn visit_none<__E>(self) -> ::std::result::Result<Probe<'de>, __E> {
                    ::std::result::Result::Ok(Probe::Null)
                }

                fn visit_seq<__A>(self, mut seq: __A) -> ::std::result::Result<Probe<'de>, __A::Error>
                where
                    __A: ::serde::de::SeqAccess<'de>,
                {
                    while seq.next_element::<::serde::de::IgnoredAny>()?.is_some() {}
                    ::std::result::Result::Ok(Probe::Array)
                }

                fn visit_map<__A>(self, mut map: __A) -> ::std::result::Result<Probe<'de>, __A::Error>
                where
                    __A: ::serde::de::MapAccess<'de>,
                {
                    let mut keys = ::std::vec::Vec::new();
                    while let ::std::option::Option::Some(key) = map.next_key::<Key<'de>>()? {
                        map.next_value::<::serde::de::IgnoredAny>()?;
                        keys.push(key.0);
                    }
                    ::std::result::Result::Ok(Probe::Object(keys))
                }
            }

            /// An object key, borrowed from the input when it has no escapes.
            struct Key<'a>(::std::borrow::Cow<'a, str>);

            impl<'de> ::serde::Deserialize<'de> for Key<'de> {
                fn deserialize<__D>(deserializer: __D) -> ::std::result::Result<Self, __D::Error>
                where
                    __D: ::serde::Deserializer<'de>,
                {
                    deserializer.deserialize_str(KeyVisitor)
                }
            }

            struct KeyVisitor;

            impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("an object key")
                }

                fn visit_borrowed_str<__E>(self, key: &'de str) -> ::std::result::Result<Key<'de>, __E> {
                    ::std::result::Result::Ok(Key(::std::borrow::Cow::Borrowed(key)))
                }

                fn visit_str<__E>(self, key: &str) -> ::std::result::Result<Key<'de>, __E> {
                    ::std::result::Result::Ok(Key(::std::borrow::Cow::Owned(key.to_owned())))
                }
            }

            /// The one variant whose shape can hold a JSON text starting
            /// the way `bytes` does (`[` an array, `"` a string...), if
            /// exactly one can; `None` when the keys must be read (or the
            /// text is not JSON at all: the full decode reports that).
            // Used by unions chosen by shape; an API whose unions all have
            // a discriminator does not need it.
            #[allow(dead_code)]
            pub(super) fn sole_variant(bytes: &[u8], shapes: &[(Shape, bool)]) -> ::std::option::Option<usize> {
                let first = *bytes.iter().find(|b| !b.is_ascii_whitespace())?;
                let fits = |shape: &Shape, nullable: bool| match (first, shape) {
                    (_, Shape::Any) => true,
                    (b'n', _) => nullable,
                    (b'{', Shape::Object { .. }) | (b'[', Shape::Array) | (b'"', Shape::String) => true,
                    (b't' | b'f', Shape::Boolean) => true,
                    (b'-' | b'0'..=b'9', Shape::Integer | Shape::Number) => true,
                    _ => false,
                };
                let mut candidates = shapes.iter().enumerate().filter(|(_, (shape, nullable))| fits(shape, *nullable));
                match (candidates.next(), candidates.next()) {
                    (::std::option::Option::Some((index, _)), ::std::option::Option::None) => ::std::option::Option::Some(index),
                    _ => ::std::option::Option::None,
                }
            }

            /// The variants that can hold a value of this probe, best
            /// first; ties keep declaration order (the sort is stable). Each
            /// shape comes with whether the variant also admits `null`.
            pub(super) fn rank(probe: &Probe<'_>, shapes: &[(Shape, bool)]) -> ::std::vec::Vec<usize> {
                // (index, tier, declared keys present, undeclared keys present)
                let mut scored: ::std::vec::Vec<(usize, u8, usize, usize)> = ::std::vec::Vec::new();
                for (index, (shape, nullable)) in shapes.iter().enumerate() {
                    let score = match (shape, probe) {
                        (_, Probe::Null) if *nullable => ::std::option::Option::Some((2, 0, 0)),
                        (Shape::Any, _) => ::std::option::Option::Some((0, 0, 0)),
                        (Shape::Object { known, required, closed }, Probe::Object(keys)) => {
                            let complete = required.iter().all(|r| keys.iter().any(|k| k == r));
                            let declared = keys.iter().filter(|k| known.contains(&k.as_ref())).count();
                            let undeclared = keys.len() - declared;
                            (complete && !(*closed && undeclared > 0)).then_some((2, declared, undeclared))
                        }
                        (Shape::Array, Probe::Array)
                        | (Shape::String, Probe::String)
                        | (Shape::Boolean, Probe::Boolean)
                        | (Shape::Integer, Probe::Integer) => ::std::option::Option::Some((2, 0, 0)),
                        (Shape::Number, Probe::Integer | Probe::Number) => ::std::option::Option::Some((1, 0, 0)),
                        _ => ::std::option::Option::None,
                    };
                    if let ::std::option::Option::Some((tier, declared, undeclared)) = score {
                        scored.push((index, tier, declared, undeclared));
                    }
                }
                scored.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.3.cmp(&b.3)));
                scored.into_iter().map(|(index, ..)| index).collect()
            }

            #discriminator

            /// The message when no variant fits.
            pub(super) fn no_variant(
                type_name: &str,
                error: ::std::option::Option<::serde_json::Error>,
            ) -> ::std::string::String {
                match error {
                    ::std::option::Option::Some(error) => {
                        ::std::format!("no variant of {type_name} matches: {error}")
                    }
                    ::std::option::Option::None => {
                        ::std::format!("the value has none of the JSON shapes of {type_name}")
                    }
                }
            }
        }
    }
}
