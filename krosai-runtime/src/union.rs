//! Choosing the variant of a `oneOf`/`anyOf` union.
//!
//! A generated union describes each variant's JSON shape in a [`Variants`]
//! constant and hands this module one decoder per variant; the rules (which
//! variants can hold a value, in which order they are tried, what error is
//! reported when none fits) live here.
//!
//! The variant is chosen by the shape of the JSON value, not by trying the
//! variants in order: a variant whose JSON type differs from the value's is
//! never chosen; among objects, a variant whose required properties are
//! missing, or that forbids a property the value has, is left out, and the
//! rest are ranked by how many of the value's keys they declare, then by how
//! few they do not. Ties keep the spec's order. The best-ranked variant that
//! decodes wins. With a discriminator, its value picks the variant first.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::object::Key;

/// Declares a union (a `oneOf`/`anyOf`): the enum as written, plus the
/// [`Variants`] that tell its variants apart, `from_json_slice` (decoding
/// straight from JSON text), and `Deserialize` and `Serialize` impls (a
/// value is written as its variant's value, untagged).
///
/// Each variant holds one value and carries its JSON shape in a `#[json]`
/// attribute written after its doc comment: `string`, `integer`, `number`,
/// `boolean`, `array`, `any`, `fields(T)` (the keys of the struct `T`
/// declared by [`object!`](crate::object!)), `object(["a", "b"], ["a"])`
/// (known keys, then required ones), `closed_fields(T)` and
/// `closed_object(..)` for objects that forbid other keys; `, nullable`
/// after the shape when the variant also admits `null`. An open union ends
/// with a variant marked `#[unknown]`, without a type: it holds, as a
/// [`serde_json::Value`], a value no other variant holds. A discriminator
/// is a `#[tag("property", "value" = index, ..)]` attribute before the
/// enum's other attributes.
///
/// ```
/// krosai_runtime::object! {
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Page {
///         #[json("data")]
///         pub data: Vec<i64>,
///     }
/// }
///
/// krosai_runtime::union! {
///     /// A page, or a count.
///     #[derive(Debug, Clone, PartialEq)]
///     pub enum Answer {
///         #[json(fields(Page))]
///         Page(Page),
///         #[json(integer, nullable)]
///         Count(Option<i64>),
///         #[unknown]
///         Unknown,
///     }
/// }
///
/// assert_eq!(Answer::from_json_slice(b"7").unwrap(), Answer::Count(Some(7)));
/// assert_eq!(Answer::from_json_slice(br#"{"data": [1]}"#).unwrap(), Answer::Page(Page { data: vec![1] }));
/// assert_eq!(Answer::from_json_slice(b"true").unwrap(), Answer::Unknown(serde_json::json!(true)));
/// assert_eq!(serde_json::to_string(&Answer::Count(None)).unwrap(), "null");
/// ```
#[macro_export]
macro_rules! union {
    (
        #[tag($property:literal $(, $value:literal = $index:literal)* $(,)?)]
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $($body:tt)* }
    ) => {
        $crate::__union! {
            @define [$(#[$meta])*] $vis $name
            [::core::option::Option::Some($crate::union::Tag {
                property: $property,
                mapping: &[$(($value, $index)),*],
            })]
            tagged
            { $($body)* }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $($body:tt)* }
    ) => {
        $crate::__union! {
            @define [$(#[$meta])*] $vis $name [::core::option::Option::None] untagged { $($body)* }
        }
    };
}

/// The parts of what [`union!`](crate::union!) writes.
#[doc(hidden)]
#[macro_export]
macro_rules! __union {
    // An open union: the last variant keeps what the others do not hold.
    (
        @define [$($meta:tt)*] $vis:vis $name:ident [$tag:expr] $rule:ident {
            $(
                $(#[doc = $doc:literal])*
                #[json($kind:ident $(($($args:tt)*))? $(, $nullable:ident)?)]
                $variant:ident($type:ty $(,)?),
            )*
            #[unknown]
            $unknown:ident $(,)?
        }
    ) => {
        $($meta)*
        #[doc = ""]
        #[doc = $crate::__union!(@rules)]
        #[doc = ::core::concat!(
            "A value that no variant holds is kept in [`Self::",
            ::core::stringify!($unknown),
            "`]."
        )]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        $vis enum $name {
            $($(#[doc = $doc])* $variant($type),)*
            /// A value none of the other variants holds (from a newer
            /// version of the API, say), kept as JSON and written back
            /// unchanged.
            $unknown($crate::serde_json::Value),
        }

        $crate::__union! {
            @impls $name [$tag] $rule
            [::core::option::Option::Some(Self::$unknown)]
            [$($variant [$kind $(($($args)*))?] [$($nullable)?])*]
            [$($variant)* $unknown]
        }
    };
    // A closed union.
    (
        @define [$($meta:tt)*] $vis:vis $name:ident [$tag:expr] $rule:ident {
            $(
                $(#[doc = $doc:literal])*
                #[json($kind:ident $(($($args:tt)*))? $(, $nullable:ident)?)]
                $variant:ident($type:ty $(,)?),
            )*
        }
    ) => {
        $($meta)*
        #[doc = ""]
        #[doc = $crate::__union!(@rules)]
        #[allow(clippy::large_enum_variant)]
        $vis enum $name {
            $($(#[doc = $doc])* $variant($type),)*
        }

        $crate::__union! {
            @impls $name [$tag] $rule
            [::core::option::Option::None]
            [$($variant [$kind $(($($args)*))?] [$($nullable)?])*]
            [$($variant)*]
        }
    };
    (@rules) => {
        "The variant is chosen by the shape of the JSON value, not by trying the \
         variants in order: a variant whose JSON type (object, array, string, \
         number, boolean) differs from the value's is never chosen; among objects, \
         a variant whose required properties are missing, or that forbids a \
         property the value has, is left out, and the rest are ranked by how many \
         of the value's keys they declare, then by how few they do not. Ties keep \
         the spec's order. The best-ranked variant that decodes wins, values the \
         spec's enums list being preferred to others."
    };
    (
        @impls $name:ident [$tag:expr] $rule:ident [$keep:expr]
        [$($variant:ident [$($shape:tt)*] [$($nullable:ident)?])*]
        [$($written:ident)*]
    ) => {
        #[allow(deprecated)]
        impl $name {
            /// What each variant's JSON looks like, and whether it admits `null`.
            const VARIANTS: $crate::union::Variants = $crate::union::Variants {
                name: ::core::stringify!($name),
                shapes: &[$((
                    $crate::__union!(@shape $($shape)*),
                    $crate::__union!(@nullable $($nullable)?),
                )),*],
                tag: $tag,
            };

            $crate::__union!(@from_json_slice $rule [$keep] $($variant)*);
        }

        #[allow(deprecated)]
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                Self::VARIANTS.deserialize(
                    deserializer,
                    &[$(|value| $crate::serde::Deserialize::deserialize(value).map(Self::$variant)),*],
                    $keep,
                )
            }
        }

        #[allow(deprecated)]
        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                match self {
                    $(Self::$written(value) => $crate::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }
    };
    (@from_json_slice untagged [$keep:expr] $($variant:ident)*) => {
        /// Decodes JSON text, choosing the variant as the `Deserialize`
        /// impl does, but straight from the text (no `serde_json::Value`
        /// in between).
        pub fn from_json_slice(
            bytes: &[u8],
        ) -> ::core::result::Result<Self, $crate::serde_json::Error> {
            Self::VARIANTS.from_slice(
                bytes,
                &[$(|d| $crate::serde::Deserialize::deserialize(d).map(Self::$variant)),*],
                $keep,
            )
        }
    };
    (@from_json_slice tagged [$keep:expr] $($variant:ident)*) => {
        /// Decodes JSON text (through the `Deserialize` impl: the
        /// discriminator needs the value).
        pub fn from_json_slice(
            bytes: &[u8],
        ) -> ::core::result::Result<Self, $crate::serde_json::Error> {
            $crate::serde_json::from_slice(bytes)
        }
    };
    (@shape string) => { $crate::union::Shape::String };
    (@shape integer) => { $crate::union::Shape::Integer };
    (@shape number) => { $crate::union::Shape::Number };
    (@shape boolean) => { $crate::union::Shape::Boolean };
    (@shape array) => { $crate::union::Shape::Array };
    (@shape any) => { $crate::union::Shape::Any };
    (@shape fields($type:ty)) => {
        $crate::union::Shape::Fields {
            fields: <$type as $crate::object::Object>::FIELDS,
            closed: false,
        }
    };
    (@shape closed_fields($type:ty)) => {
        $crate::union::Shape::Fields {
            fields: <$type as $crate::object::Object>::FIELDS,
            closed: true,
        }
    };
    (@shape object([$($known:literal),* $(,)?], [$($required:literal),* $(,)?])) => {
        $crate::union::Shape::Object {
            known: &[$($known),*],
            required: &[$($required),*],
            closed: false,
        }
    };
    (@shape closed_object([$($known:literal),* $(,)?], [$($required:literal),* $(,)?])) => {
        $crate::union::Shape::Object {
            known: &[$($known),*],
            required: &[$($required),*],
            closed: true,
        }
    };
    (@nullable) => { false };
    (@nullable nullable) => { true };
}

/// What the JSON values of one variant look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An object.
    Object {
        /// The properties the variant declares.
        known: &'static [&'static str],
        /// The properties it requires.
        required: &'static [&'static str],
        /// Whether it forbids other properties (`additionalProperties: false`).
        closed: bool,
    },
    /// An object whose keys are those of a struct declared by
    /// [`object!`](crate::object!): its
    /// [`Object::FIELDS`](crate::object::Object::FIELDS).
    Fields {
        /// Each property's wire name, and whether it is required.
        fields: &'static [(&'static str, bool)],
        /// Whether it forbids other properties (`additionalProperties: false`).
        closed: bool,
    },
    /// An array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A number (an integer fits too, ranked after an integer variant).
    Number,
    /// A boolean.
    Boolean,
    /// Any value: tried last.
    Any,
}

/// A discriminator: the property whose string value names the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// The property's wire name.
    pub property: &'static str,
    /// Each known value, with the index of the variant it selects.
    pub mapping: &'static [(&'static str, usize)],
}

/// Decodes a variant from a decoded JSON value.
pub type ValueDecoder<T> = fn(&Value) -> Result<T, serde_json::Error>;

/// Decodes a variant straight from JSON text, through a [`Recording`]
/// deserializer (`|d| Deserialize::deserialize(d).map(Union::Variant)`).
pub type TextDecoder<T> = for<'a, 'de> fn(Recording<'a, 'de>) -> Result<T, serde_json::Error>;

/// How a union's variants are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variants {
    /// The union's Rust name, for error messages.
    pub name: &'static str,
    /// Each variant's shape, and whether it also admits `null`, in
    /// declaration order.
    pub shapes: &'static [(Shape, bool)],
    /// The discriminator, if the union has one.
    pub tag: Option<Tag>,
}

/// Wraps a value that no variant holds into the variant of an open union
/// that keeps it (`None` for a closed union).
pub type Keep<T> = Option<fn(Value) -> T>;

impl Variants {
    /// Decodes a union through `serde` (via a [`serde_json::Value`]);
    /// `decoders` holds one decoder per variant, in declaration order, and
    /// `keep` the variant of an open union that keeps other values.
    pub fn deserialize<'de, T, D>(
        &self,
        deserializer: D,
        decoders: &[ValueDecoder<T>],
        keep: Keep<T>,
    ) -> Result<T, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
        let keep = keep.filter(|_| !crate::enums::is_strict());
        match self.choose(&value, decoders, keep.is_some()) {
            Ok(decoded) => Ok(decoded),
            Err(error) => keep
                .map(|keep| keep(value))
                .ok_or_else(|| serde::de::Error::custom(error)),
        }
    }

    /// Decodes a union from a JSON value. Variants are first tried with
    /// the spec's enums closed ([`strictly`](crate::enums::strictly)), so
    /// that a value the spec describes picks the variant the spec means;
    /// then, unless the caller is strict, with open enums; and an open
    /// union (`keep`) finally keeps the value as it is.
    pub fn from_value<T>(
        &self,
        value: &Value,
        decoders: &[ValueDecoder<T>],
        keep: Keep<T>,
    ) -> Result<T, NoVariant> {
        let keep = keep.filter(|_| !crate::enums::is_strict());
        match self.choose(value, decoders, keep.is_some()) {
            Ok(decoded) => Ok(decoded),
            Err(error) => keep.map(|keep| keep(value.clone())).ok_or(error),
        }
    }

    /// The variant that holds `value`; with `open`, a discriminator value
    /// the mapping does not know selects none (the caller keeps the value).
    fn choose<T>(
        &self,
        value: &Value,
        decoders: &[ValueDecoder<T>],
        open: bool,
    ) -> Result<T, NoVariant> {
        let tag = self
            .tag
            .and_then(|tag| Some((tag, value.get(tag.property)?.as_str()?)));
        let order = match tag.map(|(tag, name)| tag.index_of(name)) {
            Some(Some(index)) => vec![index],
            // A discriminator value this version does not know.
            Some(None) if open => vec![],
            _ => rank(&Probe::of(value), self.shapes),
        };
        let attempt = |decode: &ValueDecoder<T>| decode(value);
        self.first_fit(&order, crate::enums::is_strict(), attempt, decoders)
    }

    /// Decodes a union straight from JSON text, without building a
    /// [`serde_json::Value`], choosing the variant [`Variants::from_value`]
    /// would choose:
    ///
    /// - when the first byte's JSON type fits one variant only, that one is
    ///   decoded;
    /// - for an object, the variant that declares its first key is decoded
    ///   first (enums closed), recording the object's keys as it goes: when
    ///   those keys rank it first, it is the answer, read in one pass;
    /// - otherwise a first pass reads only the top-level keys (values are
    ///   skipped), then the best-ranked variants are decoded from the text.
    ///
    /// Unions with a discriminator go through [`Variants::from_value`].
    pub fn from_slice<T>(
        &self,
        bytes: &[u8],
        decoders: &[TextDecoder<T>],
        keep: Keep<T>,
    ) -> Result<T, serde_json::Error> {
        let strict = crate::enums::is_strict();
        let order = match sole_variant(bytes, self.shapes) {
            Some(index) => vec![index],
            None => {
                if let Some(decoded) = self.first_guess(bytes, decoders) {
                    return Ok(decoded);
                }
                let probe: Probe<'_> = serde_json::from_slice(bytes)?;
                rank(&probe, self.shapes)
            }
        };
        let attempt = |decode: &TextDecoder<T>| decode_text(bytes, *decode, &mut Vec::new());
        match self.first_fit(&order, strict, attempt, decoders) {
            Ok(decoded) => Ok(decoded),
            Err(error) => match keep.filter(|_| !strict) {
                Some(keep) => serde_json::from_slice(bytes).map(keep),
                None => Err(serde::de::Error::custom(error)),
            },
        }
    }

    /// The object variant that declares the first key of the object
    /// `bytes` holds (the first object variant when none does), decoded
    /// with enums closed, when the keys it read rank it first: then the
    /// full choice would pick it too (it is tried first, with enums
    /// closed, and decodes). `None` otherwise: the caller chooses from
    /// scratch.
    fn first_guess<T>(&self, bytes: &[u8], decoders: &[TextDecoder<T>]) -> Option<T> {
        let guess = object_guess(bytes, self.shapes)?;
        let decode = decoders.get(guess)?;
        let mut keys = Vec::new();
        let decoded = crate::enums::strictly(|| decode_text(bytes, *decode, &mut keys)).ok()?;
        let best = rank(&Probe::Object(keys), self.shapes).first().copied();
        (best == Some(guess)).then_some(decoded)
    }

    /// The first variant in `order` that decodes: with enums closed, then
    /// (unless `strict`) open.
    fn first_fit<T, F>(
        &self,
        order: &[usize],
        strict: bool,
        attempt: impl Fn(&F) -> Result<T, serde_json::Error>,
        decoders: &[F],
    ) -> Result<T, NoVariant> {
        let mut first_error = None;
        let mut pass = || {
            for index in order {
                let Some(decode) = decoders.get(*index) else {
                    continue;
                };
                match attempt(decode) {
                    Ok(decoded) => return Some(decoded),
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            None
        };
        if let Some(decoded) = crate::enums::strictly(&mut pass) {
            return Ok(decoded);
        }
        if !strict {
            if let Some(decoded) = pass() {
                return Ok(decoded);
            }
        }
        Err(NoVariant {
            name: self.name,
            error: first_error,
        })
    }
}

impl Tag {
    /// The variant the value's discriminator selects, if it has one the
    /// mapping knows.
    pub fn select(&self, value: &Value) -> Option<usize> {
        self.index_of(value.get(self.property)?.as_str()?)
    }

    /// The variant a discriminator value selects, if the mapping knows it.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.mapping
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, index)| *index)
    }
}

/// No variant of a union holds the value.
#[derive(Debug)]
pub struct NoVariant {
    name: &'static str,
    error: Option<serde_json::Error>,
}

impl fmt::Display for NoVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Some(error) => write!(f, "no variant of {} matches: {error}", self.name),
            None => write!(f, "the value has none of the JSON shapes of {}", self.name),
        }
    }
}

impl std::error::Error for NoVariant {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

/// The JSON type of a value and, for an object, its top-level keys: all that
/// the shapes need, read without building the value.
enum Probe<'a> {
    Object(Vec<Cow<'a, str>>),
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Null,
}

impl<'a> Probe<'a> {
    fn of(value: &'a Value) -> Self {
        match value {
            Value::Object(map) => {
                Probe::Object(map.keys().map(|k| Cow::Borrowed(k.as_str())).collect())
            }
            Value::Array(_) => Probe::Array,
            Value::String(_) => Probe::String,
            Value::Number(n) if n.is_i64() || n.is_u64() => Probe::Integer,
            Value::Number(_) => Probe::Number,
            Value::Bool(_) => Probe::Boolean,
            Value::Null => Probe::Null,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Probe<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> serde::de::Visitor<'de> for ProbeVisitor {
    type Value = Probe<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Probe<'de>, E> {
        Ok(Probe::Boolean)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Probe<'de>, E> {
        Ok(Probe::Integer)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Probe<'de>, E> {
        Ok(Probe::Integer)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Probe<'de>, E> {
        Ok(Probe::Number)
    }

    fn visit_str<E>(self, _: &str) -> Result<Probe<'de>, E> {
        Ok(Probe::String)
    }

    fn visit_unit<E>(self) -> Result<Probe<'de>, E> {
        Ok(Probe::Null)
    }

    fn visit_none<E>(self) -> Result<Probe<'de>, E> {
        Ok(Probe::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Probe<'de>, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Probe::Array)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Probe<'de>, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            map.next_value::<serde::de::IgnoredAny>()?;
            keys.push(key.0);
        }
        Ok(Probe::Object(keys))
    }
}

/// A deserializer of JSON text that records the keys of the object at its
/// top level (if the text is one) as they are read, so that a union
/// decoded through it learns, in the same pass, what ranks its variants.
/// Everything else is `serde_json`'s own deserializer.
pub struct Recording<'a, 'de> {
    de: &'a mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
    keys: &'a mut Vec<Cow<'de, str>>,
}

/// Decodes a whole JSON text with `decode`, recording its top-level keys
/// into `keys`.
fn decode_text<'de, T>(
    bytes: &'de [u8],
    decode: TextDecoder<T>,
    keys: &mut Vec<Cow<'de, str>>,
) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = decode(Recording { de: &mut de, keys })?;
    de.end()?;
    Ok(value)
}

/// Forwards `deserialize_*` methods to `serde_json`'s deserializer.
macro_rules! forward {
    ($($method:ident($($argument:ident: $type:ty),*);)*) => {
        $(
            fn $method<V: serde::de::Visitor<'de>>(
                self,
                $($argument: $type,)*
                visitor: V,
            ) -> Result<V::Value, serde_json::Error> {
                self.de.$method($($argument,)* visitor)
            }
        )*
    };
}

impl<'de> serde::Deserializer<'de> for Recording<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        self.de.deserialize_any(KeysOf {
            visitor,
            keys: self.keys,
        })
    }

    fn deserialize_map<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        self.de.deserialize_map(KeysOf {
            visitor,
            keys: self.keys,
        })
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        let visitor = KeysOf {
            visitor,
            keys: self.keys,
        };
        self.de.deserialize_struct(name, fields, visitor)
    }

    forward! {
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }
}

/// A visitor that hands an object's entries on to `visitor`, recording
/// their keys.
struct KeysOf<'a, 'de, V> {
    visitor: V,
    keys: &'a mut Vec<Cow<'de, str>>,
}

/// Forwards `visit_*` methods of one value argument to the inner visitor.
macro_rules! forward_visits {
    ($($method:ident($type:ty);)*) => {
        $(
            fn $method<E: serde::de::Error>(self, value: $type) -> Result<V::Value, E> {
                self.visitor.$method(value)
            }
        )*
    };
}

impl<'de, V: serde::de::Visitor<'de>> serde::de::Visitor<'de> for KeysOf<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(RecordedMap {
            map,
            keys: self.keys,
        })
    }

    forward_visits! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, value: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(value)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        value: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(value)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(data)
    }
}

/// An object's entries, each key recorded as it is read.
struct RecordedMap<'a, 'de, A> {
    map: A,
    keys: &'a mut Vec<Cow<'de, str>>,
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::MapAccess<'de> for RecordedMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
        let Some(Key(key)) = self.map.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        let value = match &key {
            Cow::Borrowed(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
            Cow::Owned(text) => seed.deserialize(StrDeserializer::new(text)),
        }?;
        self.keys.push(key);
        Ok(Some(value))
    }

    fn next_value_seed<S: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// For a JSON object, the variant to try first: the first object variant
/// that declares the object's first key (read without decoding anything),
/// else the first object variant. `None` for other JSON types.
fn object_guess(bytes: &[u8], shapes: &[(Shape, bool)]) -> Option<usize> {
    let rest = bytes
        .trim_ascii_start()
        .strip_prefix(b"{")?
        .trim_ascii_start();
    // A key with escapes is not worth reading here: no guess by key.
    let first_key = rest.strip_prefix(b"\"").and_then(|rest| {
        let end = rest.iter().position(|b| *b == b'"' || *b == b'\\')?;
        (rest[end] == b'"').then(|| &rest[..end])
    });
    let mut first_object = None;
    for (index, (shape, _)) in shapes.iter().enumerate() {
        let declares = |name: &str| first_key.is_some_and(|key| name.as_bytes() == key);
        let declared = match shape {
            Shape::Object { known, .. } => known.iter().any(|k| declares(k)),
            Shape::Fields { fields, .. } => fields.iter().any(|(k, _)| declares(k)),
            _ => continue,
        };
        if declared {
            return Some(index);
        }
        first_object.get_or_insert(index);
    }
    first_object
}

/// The one variant whose shape can hold a JSON text starting the way
/// `bytes` does (`[` an array, `"` a string...), if exactly one can; `None`
/// when the keys must be read (or the text is not JSON at all: the full
/// decode reports that).
fn sole_variant(bytes: &[u8], shapes: &[(Shape, bool)]) -> Option<usize> {
    let first = *bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    let fits = |shape: &Shape, nullable: bool| match (first, shape) {
        (_, Shape::Any) => true,
        (b'n', _) => nullable,
        (b'{', Shape::Object { .. } | Shape::Fields { .. }) => true,
        (b'[', Shape::Array) | (b'"', Shape::String) => true,
        (b't' | b'f', Shape::Boolean) => true,
        (b'-' | b'0'..=b'9', Shape::Integer | Shape::Number) => true,
        _ => false,
    };
    let mut candidates = shapes
        .iter()
        .enumerate()
        .filter(|(_, (shape, nullable))| fits(shape, *nullable));
    match (candidates.next(), candidates.next()) {
        (Some((index, _)), None) => Some(index),
        _ => None,
    }
}

/// The score of an object variant: none when it lacks a required key or
/// forbids one the value has, else by the keys it declares, then by the
/// fewest it does not.
fn object_score(
    complete: bool,
    closed: bool,
    declared: usize,
    keys: usize,
) -> Option<(u8, usize, usize)> {
    let undeclared = keys - declared;
    (complete && !(closed && undeclared > 0)).then_some((2, declared, undeclared))
}

/// The variants that can hold a value of this probe, best first; ties keep
/// declaration order (the sort is stable).
fn rank(probe: &Probe<'_>, shapes: &[(Shape, bool)]) -> Vec<usize> {
    // (index, tier, declared keys present, undeclared keys present)
    let mut scored: Vec<(usize, u8, usize, usize)> = Vec::new();
    for (index, (shape, nullable)) in shapes.iter().enumerate() {
        let score = match (shape, probe) {
            (_, Probe::Null) if *nullable => Some((2, 0, 0)),
            (Shape::Any, _) => Some((0, 0, 0)),
            (
                Shape::Object {
                    known,
                    required,
                    closed,
                },
                Probe::Object(keys),
            ) => {
                let complete = required.iter().all(|r| keys.iter().any(|k| k == r));
                let declared = keys.iter().filter(|k| known.contains(&k.as_ref())).count();
                object_score(complete, *closed, declared, keys.len())
            }
            (Shape::Fields { fields, closed }, Probe::Object(keys)) => {
                let complete = fields
                    .iter()
                    .all(|(name, required)| !required || keys.iter().any(|k| k == name));
                let declared = keys
                    .iter()
                    .filter(|k| fields.iter().any(|(name, _)| name == k))
                    .count();
                object_score(complete, *closed, declared, keys.len())
            }
            (Shape::Array, Probe::Array)
            | (Shape::String, Probe::String)
            | (Shape::Boolean, Probe::Boolean)
            | (Shape::Integer, Probe::Integer) => Some((2, 0, 0)),
            (Shape::Number, Probe::Integer | Probe::Number) => Some((1, 0, 0)),
            _ => None,
        };
        if let Some((tier, declared, undeclared)) = score {
            scored.push((index, tier, declared, undeclared));
        }
    }
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.3.cmp(&b.3)));
    scored.into_iter().map(|(index, ..)| index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Page {
        data: Vec<i64>,
        total: i64,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Stats {
        completed: Option<i64>,
    }

    #[derive(Debug, PartialEq)]
    enum Answer {
        Page(Page),
        Stats(Stats),
        Trends(Vec<i64>),
        Count(f64),
    }

    const ANSWER: Variants = Variants {
        name: "Answer",
        shapes: &[
            (
                Shape::Object {
                    known: &["data", "total"],
                    required: &["data", "total"],
                    closed: false,
                },
                false,
            ),
            (
                Shape::Object {
                    known: &["completed"],
                    required: &[],
                    closed: true,
                },
                false,
            ),
            (Shape::Array, false),
            (Shape::Number, true),
        ],
        tag: None,
    };

    /// `Answer`'s decoders from text, one per variant.
    const FROM_TEXT: &[TextDecoder<Answer>] = &[
        |d| Deserialize::deserialize(d).map(Answer::Page),
        |d| Deserialize::deserialize(d).map(Answer::Stats),
        |d| Deserialize::deserialize(d).map(Answer::Trends),
        |d| Deserialize::deserialize(d).map(Answer::Count),
    ];

    fn from_text(text: &str) -> Result<Answer, serde_json::Error> {
        ANSWER.from_slice(text.as_bytes(), FROM_TEXT, None)
    }

    fn from_value(text: &str) -> Result<Answer, NoVariant> {
        let value: Value = serde_json::from_str(text).unwrap();
        ANSWER.from_value(
            &value,
            &[
                |v| Page::deserialize(v).map(Answer::Page),
                |v| Stats::deserialize(v).map(Answer::Stats),
                |v| Vec::deserialize(v).map(Answer::Trends),
                |v| f64::deserialize(v).map(Answer::Count),
            ],
            None,
        )
    }

    crate::union! {
        /// A closed union, its variants written as a formatter wraps long
        /// ones (a trailing comma inside the parentheses).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Wrapped {
            #[json(string)]
            Text(
                String,
            ),
            #[json(closed_object(["completed"], []))]
            Stats(
                std::collections::BTreeMap<String, i64>,
            ),
        }
    }

    #[test]
    fn union_declares_a_closed_union_that_refuses_other_shapes() {
        assert_eq!(
            Wrapped::from_json_slice(br#""x""#).unwrap(),
            Wrapped::Text("x".to_owned())
        );
        let stats = Wrapped::from_json_slice(br#"{"completed": 2}"#).unwrap();
        assert_eq!(serde_json::to_string(&stats).unwrap(), r#"{"completed":2}"#);
        assert!(Wrapped::from_json_slice(b"[1]").is_err());
        assert!(serde_json::from_str::<Wrapped>(r#"{"completed": 1, "other": 2}"#).is_err());
    }

    #[test]
    fn the_shape_picks_the_variant_from_text_and_from_values() {
        let cases = [
            (
                r#"{"data": [1], "total": 1}"#,
                Answer::Page(Page {
                    data: vec![1],
                    total: 1,
                }),
            ),
            (
                r#"{"completed": 3}"#,
                Answer::Stats(Stats { completed: Some(3) }),
            ),
            ("{}", Answer::Stats(Stats { completed: None })),
            // The first key's variant (closed Stats) decodes, ignoring the
            // rest, but the keys rank Page first: Page it is.
            (
                r#"{"completed": 1, "data": [1], "total": 1}"#,
                Answer::Page(Page {
                    data: vec![1],
                    total: 1,
                }),
            ),
            // Keys with escapes are compared unescaped.
            (
                r#"{"da\u0074a": [2], "total": 2}"#,
                Answer::Page(Page {
                    data: vec![2],
                    total: 2,
                }),
            ),
            (
                r#" { "total": 3, "data": [] } "#,
                Answer::Page(Page {
                    data: vec![],
                    total: 3,
                }),
            ),
            ("[1, 2]", Answer::Trends(vec![1, 2])),
            ("2.5", Answer::Count(2.5)),
        ];
        // The same shapes, the objects given as the field tables that
        // `object!` structs carry.
        const FIELDS: Variants = Variants {
            name: "Answer",
            shapes: &[
                (
                    Shape::Fields {
                        fields: &[("data", true), ("total", true)],
                        closed: false,
                    },
                    false,
                ),
                (
                    Shape::Fields {
                        fields: &[("completed", false)],
                        closed: true,
                    },
                    false,
                ),
                (Shape::Array, false),
                (Shape::Number, true),
            ],
            tag: None,
        };
        for (text, expected) in cases {
            assert_eq!(from_text(text).unwrap(), expected, "{text}");
            assert_eq!(from_value(text).unwrap(), expected, "{text}");
            let by_fields = FIELDS.from_slice(text.as_bytes(), FROM_TEXT, None);
            assert_eq!(by_fields.unwrap(), expected, "{text}");
        }
        assert!(FIELDS
            .from_slice(br#"{"completed": 1, "other": 2}"#, FROM_TEXT, None)
            .is_err());
    }

    #[test]
    fn a_value_no_variant_holds_names_the_union() {
        // Closed Stats refuses the extra key; Page lacks its required keys.
        let error = from_text(r#"{"completed": 1, "other": 2}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the value has none of the JSON shapes of Answer"
        );
        // A fitting shape that fails to decode reports the decode error.
        let error = from_value(r#"{"data": "x", "total": 1}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("no variant of Answer matches: invalid type"),
            "{error}"
        );
        assert!(from_text("not json").is_err());
    }

    #[test]
    fn a_discriminator_picks_first() {
        const TAGGED: Variants = Variants {
            name: "Tagged",
            shapes: &[(Shape::Any, false), (Shape::Any, false)],
            tag: Some(Tag {
                property: "kind",
                mapping: &[("first", 0), ("second", 1)],
            }),
        };
        let decoders: [ValueDecoder<usize>; 2] = [|_| Ok(0), |_| Ok(1)];
        let value = serde_json::json!({"kind": "second"});
        assert_eq!(TAGGED.from_value(&value, &decoders, None).unwrap(), 1);
        // An unknown tag falls back to the shapes (declaration order here)
        // in a closed union, and is kept by an open one.
        let value = serde_json::json!({"kind": "third"});
        assert_eq!(TAGGED.from_value(&value, &decoders, None).unwrap(), 0);
        assert_eq!(
            TAGGED.from_value(&value, &decoders, Some(|_| 9)).unwrap(),
            9
        );
        let strict = crate::enums::strictly(|| TAGGED.from_value(&value, &decoders, Some(|_| 9)));
        assert_eq!(strict.unwrap(), 0);
    }

    crate::string_enum! {
        enum Kind {
            Card = "card",
            Bank = "bank",
            #[unknown]
            Unknown,
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Method {
        kind: Kind,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Transfer {
        kind: Option<Kind>,
        amount: i64,
    }

    #[derive(Debug, PartialEq)]
    enum Payment {
        Card(Method),
        Bank(Transfer),
        Other(Value),
    }

    const PAYMENT: Variants = Variants {
        name: "Payment",
        shapes: &[
            (
                Shape::Object {
                    known: &["kind"],
                    required: &["kind"],
                    closed: false,
                },
                false,
            ),
            (
                Shape::Object {
                    known: &["kind", "amount"],
                    required: &["amount"],
                    closed: false,
                },
                false,
            ),
        ],
        tag: None,
    };

    fn payment(
        text: &str,
    ) -> (
        Result<Payment, serde_json::Error>,
        Result<Payment, NoVariant>,
    ) {
        let from_text = PAYMENT.from_slice(
            text.as_bytes(),
            &[
                |d| Deserialize::deserialize(d).map(Payment::Card),
                |d| Deserialize::deserialize(d).map(Payment::Bank),
            ],
            Some(Payment::Other),
        );
        let value: Value = serde_json::from_str(text).unwrap();
        let from_value = PAYMENT.from_value(
            &value,
            &[
                |v| Method::deserialize(v).map(Payment::Card),
                |v| Transfer::deserialize(v).map(Payment::Bank),
            ],
            Some(Payment::Other),
        );
        (from_text, from_value)
    }

    #[test]
    fn an_open_union_keeps_what_no_variant_holds() {
        let (text, value) = payment(r#"{"amount": "lots"}"#);
        assert!(Kind::Card.is_known());
        let kept = Payment::Other(serde_json::json!({"amount": "lots"}));
        assert_eq!(text.unwrap(), kept);
        assert_eq!(value.unwrap(), kept);
        let (text, value) = payment("[1]");
        assert_eq!(text.unwrap(), Payment::Other(serde_json::json!([1])));
        assert_eq!(value.unwrap(), Payment::Other(serde_json::json!([1])));
        // Servers decode strictly: nothing is kept.
        let strict = crate::enums::strictly(|| payment("[1]"));
        assert!(strict.0.is_err() && strict.1.is_err());
    }

    crate::string_enum! {
        enum Wire {
            Wire = "wire",
            #[unknown]
            Unknown,
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ByWire {
        kind: Wire,
    }

    #[derive(Debug, PartialEq)]
    enum Route {
        Card(Method),
        Wire(ByWire),
        Other(Value),
    }

    fn route(text: &str) -> Route {
        const ROUTE: Variants = Variants {
            name: "Route",
            shapes: &[
                (
                    Shape::Object {
                        known: &["kind"],
                        required: &["kind"],
                        closed: false,
                    },
                    false,
                ),
                (
                    Shape::Object {
                        known: &["kind"],
                        required: &["kind"],
                        closed: false,
                    },
                    false,
                ),
            ],
            tag: None,
        };
        ROUTE
            .from_slice(
                text.as_bytes(),
                &[
                    |d| Deserialize::deserialize(d).map(Route::Card),
                    |d| Deserialize::deserialize(d).map(Route::Wire),
                ],
                Some(Route::Other),
            )
            .unwrap()
    }

    #[test]
    fn listed_enum_values_choose_the_variant_before_open_ones_do() {
        // Both variants have the same shape; only their enums tell them
        // apart, and the first would take `wire` as an unknown kind.
        let wire = route(r#"{"kind": "wire"}"#);
        assert_eq!(wire, Route::Wire(ByWire { kind: Wire::Wire }));
        assert!(matches!(&wire, Route::Wire(w) if w.kind.is_known()));
        assert_eq!(
            route(r#"{"kind": "bank"}"#),
            Route::Card(Method { kind: Kind::Bank })
        );
        // A value neither lists decodes into the first, kept in its enum.
        match route(r#"{"kind": "cash"}"#) {
            Route::Card(Method {
                kind: Kind::Unknown(other),
            }) => assert_eq!(other.as_str(), "cash"),
            other => panic!("{other:?}"),
        }
        let (strict, _) = crate::enums::strictly(|| payment(r#"{"kind": "cash"}"#));
        assert!(strict.is_err());
    }
}
