//! String and integer enums: everything but the list of values.
//!
//! A generated enum is declared by [`string_enum!`](crate::string_enum) (or
//! [`integer_enum!`](crate::integer_enum)) from its variants and their wire
//! values; the macro writes `ALL` and `as_str` (or `value`) and implements
//! `Display`, `FromStr`, `Serialize` and `Deserialize` through the generic
//! functions of this module. Those functions never name an associated item of the enum
//! itself, so a variant called `Err`, `Error`, `Output` or `Item` cannot make
//! a path ambiguous.

use std::fmt;
use std::marker::PhantomData;

/// The error returned when text is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    type_name: &'static str,
    value: String,
}

impl ParseEnumError {
    /// The error for `value`, which is not a value of the enum `type_name`.
    pub fn new(type_name: &'static str, value: &str) -> Self {
        Self {
            type_name,
            value: value.to_owned(),
        }
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

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid {} value",
            self.value, self.type_name
        )
    }
}

impl std::error::Error for ParseEnumError {}

/// An enum whose values are strings on the wire.
pub trait StringEnum: Sized + Copy + 'static {
    /// The Rust name of the enum, for error messages.
    const NAME: &'static str;

    /// Every value, in the order the spec lists them.
    fn all() -> &'static [Self];

    /// The value as it is written on the wire.
    fn wire(&self) -> &'static str;
}

/// An enum whose values are integers on the wire.
pub trait IntegerEnum: Sized + Copy + 'static {
    /// The Rust name of the enum, for error messages.
    const NAME: &'static str;

    /// Every value, in the order the spec lists them.
    fn all() -> &'static [Self];

    /// The value as it is written on the wire.
    fn wire(&self) -> i64;

    /// The variant for a wire value, if there is one.
    fn from_wire(value: i64) -> Option<Self>;
}

/// The variant whose wire text is `text`.
pub fn parse_str<E: StringEnum>(text: &str) -> Result<E, ParseEnumError> {
    E::all()
        .iter()
        .find(|variant| variant.wire() == text)
        .copied()
        .ok_or_else(|| ParseEnumError::new(E::NAME, text))
}

/// The variant whose wire value is the integer `text` holds.
pub fn parse_integer<E: IntegerEnum>(text: &str) -> Result<E, ParseEnumError> {
    text.parse::<i64>()
        .ok()
        .and_then(E::from_wire)
        .ok_or_else(|| ParseEnumError::new(E::NAME, text))
}

/// Decodes a string enum from a JSON string (borrowed or not).
pub fn deserialize_str<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: StringEnum,
    D: serde::Deserializer<'de>,
{
    struct Visitor<E>(PhantomData<E>);

    impl<E: StringEnum> serde::de::Visitor<'_> for Visitor<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} value", E::NAME)
        }

        fn visit_str<Error: serde::de::Error>(self, text: &str) -> Result<E, Error> {
            // serde's own wording for derived enums, listing the values.
            parse_str(text).map_err(|_| {
                let expected: Vec<String> = E::all()
                    .iter()
                    .map(|variant| format!("`{}`", variant.wire()))
                    .collect();
                Error::custom(format_args!(
                    "unknown variant `{text}` of {}, expected one of {}",
                    E::NAME,
                    expected.join(", ")
                ))
            })
        }
    }

    deserializer.deserialize_str(Visitor(PhantomData))
}

/// Decodes an integer enum from a JSON integer.
pub fn deserialize_integer<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: IntegerEnum,
    D: serde::Deserializer<'de>,
{
    let value = <i64 as serde::Deserialize>::deserialize(deserializer)?;
    E::from_wire(value)
        .ok_or_else(|| serde::de::Error::custom(ParseEnumError::new(E::NAME, &value.to_string())))
}

/// Declares a string enum from its variants and their wire texts, with
/// `ALL`, `as_str`, `Display`, `FromStr`, `Serialize`, `Deserialize` and
/// [`StringEnum`].
///
/// ```
/// krosai_runtime::string_enum! {
///     /// How a call went.
///     pub enum CallStatus {
///         Completed = "completed",
///         NoAnswer = "no_answer",
///     }
/// }
///
/// assert_eq!(CallStatus::NoAnswer.to_string(), "no_answer");
/// assert_eq!("completed".parse(), Ok(CallStatus::Completed));
/// assert_eq!(CallStatus::ALL.len(), 2);
/// ```
///
/// Each variant is documented with its wire text; attributes before the
/// enum (docs, `#[deprecated]`) are kept.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($variant:ident = $wire:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                #[doc = ::core::concat!("`", $wire, "`")]
                $variant,
            )*
        }

        impl $name {
            /// Every value, in the order the spec lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it is written on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)*
                }
            }
        }

        impl $crate::enums::StringEnum for $name {
            const NAME: &'static str = ::core::stringify!($name);

            fn all() -> &'static [Self] {
                $name::ALL
            }

            fn wire(&self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($name::as_str(self))
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::ParseEnumError;

            fn from_str(text: &str) -> ::core::result::Result<$name, $crate::ParseEnumError> {
                $crate::enums::parse_str(text)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($name::as_str(self))
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<$name, D::Error> {
                $crate::enums::deserialize_str(deserializer)
            }
        }
    };
}

/// Declares an integer enum from its variants and their wire values, with
/// `ALL`, `value`, `from_value`, `Display`, `FromStr`, `Serialize`,
/// `Deserialize` and [`IntegerEnum`].
///
/// ```
/// krosai_runtime::integer_enum! {
///     /// A priority.
///     pub enum Priority {
///         Low = 1,
///         Below = -1,
///     }
/// }
///
/// assert_eq!(Priority::Below.value(), -1);
/// assert_eq!(Priority::from_value(1), Some(Priority::Low));
/// assert_eq!(serde_json::to_string(&Priority::Low).unwrap(), "1");
/// ```
#[macro_export]
macro_rules! integer_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($variant:ident = $value:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                #[doc = ::core::concat!("`", ::core::stringify!($value), "`")]
                $variant,
            )*
        }

        impl $name {
            /// Every value, in the order the spec lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it is written on the wire.
            pub const fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                }
            }

            /// The variant for a wire value, if there is one.
            pub const fn from_value(value: i64) -> ::core::option::Option<Self> {
                match value {
                    $($value => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $crate::enums::IntegerEnum for $name {
            const NAME: &'static str = ::core::stringify!($name);

            fn all() -> &'static [Self] {
                $name::ALL
            }

            fn wire(&self) -> i64 {
                $name::value(self)
            }

            fn from_wire(value: i64) -> ::core::option::Option<$name> {
                $name::from_value(value)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&$name::value(self), f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::ParseEnumError;

            fn from_str(text: &str) -> ::core::result::Result<$name, $crate::ParseEnumError> {
                $crate::enums::parse_integer(text)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64($name::value(self))
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<$name, D::Error> {
                $crate::enums::deserialize_integer(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    // Variant names that are associated items of the traits implemented:
    // the macro must not make `Self::Err` (or the like) ambiguous.
    crate::string_enum! {
        enum Hostile {
            Err = "Err",
            Error = "error",
            Ok = "ok",
            Output = "Output",
            Item = "item",
            Target = "TARGET",
        }
    }

    crate::integer_enum! {
        enum Level {
            Low = 1,
            High = 10,
            Below = -3,
        }
    }

    #[test]
    fn string_enums_round_trip_their_wire_text() {
        for variant in Hostile::ALL {
            let text = variant.to_string();
            assert_eq!(text.parse::<Hostile>(), Ok(*variant));
            let json = serde_json::to_string(variant).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Hostile>(&json).unwrap(), *variant);
        }
    }

    #[test]
    fn an_unknown_string_is_an_error_naming_the_enum() {
        let error = "nope".parse::<Hostile>().unwrap_err();
        assert_eq!(error.type_name(), "Hostile");
        assert_eq!(error.value(), "nope");
        assert_eq!(error.to_string(), "`nope` is not a valid Hostile value");
        let json = serde_json::from_str::<Hostile>("\"nope\"").unwrap_err();
        assert!(
            json.to_string().starts_with(
                "unknown variant `nope` of Hostile, expected one of `Err`, `error`, `ok`,"
            ),
            "{json}"
        );
        assert!(serde_json::from_str::<Hostile>("1").is_err());
    }

    #[test]
    fn integer_enums_round_trip_their_values() {
        assert_eq!(serde_json::to_string(&Level::High).unwrap(), "10");
        assert_eq!(serde_json::from_str::<Level>("1").unwrap(), Level::Low);
        assert_eq!("10".parse::<Level>(), Ok(Level::High));
        assert_eq!(Level::Low.to_string(), "1");
        assert_eq!("-3".parse::<Level>(), Ok(Level::Below));
        assert_eq!(Level::ALL, [Level::Low, Level::High, Level::Below]);
        assert_eq!(serde_json::to_string(&Level::Below).unwrap(), "-3");
        assert!("2".parse::<Level>().is_err());
        let error = serde_json::from_str::<Level>("2").unwrap_err();
        assert!(
            error.to_string().contains("`2` is not a valid Level value"),
            "{error}"
        );
    }
}
