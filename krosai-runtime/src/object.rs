//! Structs for JSON objects, declared with [`object!`](crate::object!): the
//! struct as written, plus `Serialize` and `Deserialize` impls that do what
//! `serde`'s derives do for these structs (wire names, optional fields left
//! out when unset, `null` for required nullable ones, unknown keys ignored,
//! a missing or repeated key refused) in a fraction of the code: one map
//! written, one map read, no field enum, no sequence form. For an API with
//! thousands of structs that halves what the compiler checks.
//!
//! Each field carries its wire name and how it travels, in a `#[json]`
//! attribute written after its doc comment and before any other attribute:
//!
//! | attribute | Rust type | written | read when missing |
//! |---|---|---|---|
//! | `#[json("name")]` | `T` | always | an error |
//! | `#[json("name", optional)]` | `Option<T>` | when `Some` | `None` |
//! | `#[json("name", nullable)]` | `Option<T>` | always (`null` for `None`) | `None` |
//! | `#[json("name", bytes)]` (and `optional_bytes`, `nullable_bytes`) | `Vec<u8>` (`Option<Vec<u8>>`) | as a string ([`binary`](crate::binary)) | as above |
//!
//! A `#[new(field: Type, ..)]` attribute, first, also writes
//! `pub fn new(field: Type, ..) -> Self`: its arguments are the fields
//! written with neither kind nor a kind but `bytes` (the ones the struct
//! cannot do without), and the others start as `None`. This is how code
//! outside the crate builds a `#[non_exhaustive]` struct.
//!
//! ```
//! krosai_runtime::object! {
//!     #[new(id: u64)]
//!     /// A call.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Call {
//!         #[json("id")]
//!         pub id: u64,
//!         /// Who called.
//!         #[json("from_number", optional)]
//!         pub from: Option<String>,
//!         #[json("ended_at", nullable)]
//!         pub ended_at: Option<String>,
//!     }
//! }
//!
//! let call: Call = serde_json::from_str(r#"{"id": 7, "from_number": "+33", "extra": 1}"#).unwrap();
//! assert_eq!(call, Call { id: 7, from: Some("+33".into()), ended_at: None });
//! assert_eq!(
//!     serde_json::to_string(&Call { id: 7, from: None, ended_at: None }).unwrap(),
//!     r#"{"id":7,"ended_at":null}"#
//! );
//! assert!(serde_json::from_str::<Call>(r#"{"from_number": "+33"}"#).is_err());
//! assert_eq!(Call::new(8), Call { id: 8, from: None, ended_at: None });
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::de::{Error as _, MapAccess};
use serde::Deserialize;

/// Declares a struct for a JSON object, with `Serialize` and `Deserialize`
/// impls written from its fields' `#[json]` attributes (see the
/// [module](mod@crate::object)).
#[macro_export]
macro_rules! object {
    (
        #[new($($new:tt)*)]
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($fields:tt)* }
    ) => {
        $crate::object! { @new [$($new)*] $(#[$meta])* $vis struct $name { $($fields)* } }
    };
    (
        $(@new [$($new:tt)*])?
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:expr])*
                #[json($wire:literal $(, $kind:ident)?)]
                $(#[$field_meta:meta])*
                $field_vis:vis $field:ident : $type:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[doc = $doc])*
                $(#[$field_meta])*
                $field_vis $field: $type,
            )*
        }

        impl $crate::object::Object for $name {
            const FIELDS: &'static [(&'static str, bool)] =
                &[$(($wire, $crate::__object_field!(required $($kind)?))),*];
        }

        #[allow(deprecated)]
        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #[allow(unused_mut)]
                let mut map = $crate::serde::Serializer::serialize_map(
                    serializer,
                    ::core::option::Option::None,
                )?;
                $($crate::__object_field!(write map $wire &self.$field, $($kind)?);)*
                $crate::serde::ser::SerializeMap::end(map)
            }
        }

        #[allow(deprecated)]
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                struct __Visitor;

                impl<'de> $crate::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("an object ", ::core::stringify!($name)))
                    }

                    fn visit_map<__A: $crate::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::core::result::Result<$name, __A::Error> {
                        struct __Slots {
                            $($field: ::core::option::Option<$type>,)*
                        }
                        #[allow(unused_mut, unused_variables)]
                        let mut slots = __Slots { $($field: ::core::option::Option::None,)* };
                        while let ::core::option::Option::Some(key) =
                            $crate::serde::de::MapAccess::next_key::<$crate::object::Key<'de>>(&mut map)?
                        {
                            match key.as_str() {
                                $($wire => $crate::__object_field!(read map $wire slots.$field, $($kind)?),)*
                                _ => $crate::object::skip(&mut map),
                            }?;
                        }
                        ::core::result::Result::Ok($name {
                            $($field: $crate::__object_field!(finish $wire slots.$field, $($kind)?),)*
                        })
                    }
                }

                $crate::serde::Deserializer::deserialize_map(deserializer, __Visitor)
            }
        }

        $crate::__object_new! { [$($($new)*)?] $name { $($field $($kind)?),* } }
    };
}

/// The `new` of a struct declared by [`object!`](crate::object!) with
/// `#[new(..)]`: its arguments are the fields the struct cannot do without
/// (each field written with neither kind nor a kind but `bytes`); the
/// other fields start as `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_new {
    ([] $($rest:tt)*) => {};
    (
        [$($argument:ident : $argument_type:ty),+ $(,)?]
        $name:ident { $($field:ident $($kind:ident)?),* }
    ) => {
        #[allow(deprecated)]
        impl $name {
            /// Builds the value from the fields it cannot do without; the
            /// others (`Option`s, nullable ones included) start empty, and
            /// are plain fields to set.
            #[allow(clippy::too_many_arguments)]
            pub fn new($($argument: $argument_type),+) -> Self {
                Self {
                    $($field: $crate::__object_field!(initial $field $($kind)?),)*
                }
            }
        }
    };
}

/// One field's part of the impls [`object!`](crate::object!) writes.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_field {
    (write $map:ident $wire:literal $value:expr, $(nullable)?) => {
        $crate::serde::ser::SerializeMap::serialize_entry(&mut $map, $wire, $value)?
    };
    (write $map:ident $wire:literal $value:expr, optional) => {
        if let ::core::option::Option::Some(value) = $value {
            $crate::serde::ser::SerializeMap::serialize_entry(&mut $map, $wire, value)?
        }
    };
    (write $map:ident $wire:literal $value:expr, $(bytes)? $(nullable_bytes)?) => {
        $crate::serde::ser::SerializeMap::serialize_entry(
            &mut $map,
            $wire,
            &$crate::binary::Text($value),
        )?
    };
    (write $map:ident $wire:literal $value:expr, optional_bytes) => {
        if let ::core::option::Option::Some(value) = $value {
            $crate::serde::ser::SerializeMap::serialize_entry(
                &mut $map,
                $wire,
                &$crate::binary::Text(value),
            )?
        }
    };
    (read $map:ident $wire:literal $slot:expr, $(optional)? $(nullable)?) => {
        $crate::object::read(&mut $slot, &mut $map, $wire)
    };
    (read $map:ident $wire:literal $slot:expr, $($kind:ident)?) => {
        $crate::object::read_text(&mut $slot, &mut $map, $wire)
    };
    (required $(nullable)? $(bytes)? $(nullable_bytes)?) => {
        true
    };
    (required $kind:ident) => {
        false
    };
    (initial $field:ident $(bytes)?) => {
        $field
    };
    (initial $field:ident $kind:ident) => {
        ::core::option::Option::None
    };
    (finish $wire:literal $slot:expr, $(bytes)?) => {
        $crate::object::required($slot, $wire)?
    };
    (finish $wire:literal $slot:expr, $kind:ident) => {
        ::core::option::Option::unwrap_or_default($slot)
    };
}

/// A struct declared by [`object!`](crate::object!).
pub trait Object {
    /// Each property's wire name, and whether the spec requires it (a
    /// required nullable one included): what unions rank the struct's
    /// objects by.
    const FIELDS: &'static [(&'static str, bool)];
}

/// An object key, borrowed from the input when it has no escapes.
pub struct Key<'a>(pub(crate) Cow<'a, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> serde::de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Reads the value of key `name` into `slot`; a key seen twice is an
/// error, as with `serde`'s derive.
pub fn read<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// [`read`] for bytes written as a string ([`binary`](crate::binary)).
pub fn read_text<'de, T, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    crate::binary::Text<T>: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value::<crate::binary::Text<T>>()?.0);
    Ok(())
}

/// Skips the value of a key the struct does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// The value of a required key, or the error for its absence.
pub fn required<T, E: serde::de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    crate::object! {
        #[new(id: i64, content: Vec<u8>)]
        /// Every kind of field.
        #[derive(Debug, Clone, PartialEq, Default)]
        struct Every {
            #[json("id")]
            id: i64,
            /// Renamed.
            #[json("Name", optional)]
            #[deprecated]
            name: Option<String>,
            #[json("ended", nullable)]
            ended: Option<String>,
            #[json("content", bytes)]
            content: Vec<u8>,
            #[json("thumbnail", optional_bytes)]
            thumbnail: Option<Vec<u8>>,
            #[json("preview", nullable_bytes)]
            preview: Option<Vec<u8>>,
            #[json("type", optional)]
            r#type: Option<Box<Every>>,
        }
    }

    crate::object! {
        #[derive(Debug, PartialEq)]
        struct Empty {}
    }

    #[test]
    #[allow(deprecated)] // `name`, to check the impls allow it
    fn fields_travel_as_their_attributes_say() {
        let every = Every {
            id: 1,
            content: b"hi".to_vec(),
            r#type: Some(Box::new(Every::default())),
            ..Every::default()
        };
        let text = serde_json::to_string(&every).unwrap();
        assert_eq!(
            text,
            r#"{"id":1,"ended":null,"content":"hi","preview":null,"type":{"id":0,"ended":null,"content":"","preview":null}}"#
        );
        assert_eq!(serde_json::from_str::<Every>(&text).unwrap(), every);
        // `new` takes the fields without a kind or with `bytes`.
        assert_eq!(
            Every::new(1, b"hi".to_vec()),
            Every {
                r#type: None,
                ..every.clone()
            }
        );
        let read: Every = serde_json::from_str(
            r#"{"id":2,"Name":"n","content":"c","thumbnail":"t","preview":"p","other":[1,{"a":2}]}"#,
        )
        .unwrap();
        assert_eq!(read.name.as_deref(), Some("n"));
        assert_eq!(read.thumbnail.as_deref(), Some(&b"t"[..]));
        assert_eq!(read.preview.as_deref(), Some(&b"p"[..]));
        assert_eq!(read.ended, None);
        // Also from a `Value`, as unions decode.
        let value = serde_json::json!({"id": 3, "content": "c", "Name": null});
        let from_value: Every = serde_json::from_value(value).unwrap();
        assert_eq!((from_value.id, from_value.name), (3, None));
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
        use super::Object as _;
        assert_eq!(
            Every::FIELDS,
            [
                ("id", true),
                ("Name", false),
                ("ended", true),
                ("content", true),
                ("thumbnail", false),
                ("preview", true),
                ("type", false)
            ]
        );
        assert!(Empty::FIELDS.is_empty());
        assert_eq!(
            serde_json::from_str::<Empty>(r#"{"a":1}"#).unwrap(),
            Empty {}
        );
    }

    #[test]
    fn missing_repeated_and_mistyped_keys_are_errors() {
        let error = |text: &str| serde_json::from_str::<Every>(text).unwrap_err().to_string();
        assert!(error(r#"{"content":""}"#).starts_with("missing field `id`"));
        assert!(error(r#"{"id":1,"id":2,"content":""}"#).starts_with("duplicate field `id`"));
        assert!(error(r#"{"id":"one","content":""}"#).starts_with("invalid type: string"));
        assert!(error("[1]").contains("expected an object Every"));
        assert!(error(r#"{"id":null,"content":""}"#).starts_with("invalid type: null"));
        assert!(error(r#"{"id":1,"content":null}"#).starts_with("invalid type: null"));
        assert!(error(r#"{"id":1,"content":"","Name":"a","Name":"b"}"#)
            .starts_with("duplicate field `Name`"));
    }
}
