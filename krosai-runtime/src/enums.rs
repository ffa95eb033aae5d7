//! String and integer enums: everything but the list of values.
//!
//! A generated enum is declared by [`string_enum!`](crate::string_enum) (or
//! [`integer_enum!`](crate::integer_enum)) from its variants and their wire
//! values; the macro writes `ALL` and `as_str` (or `value`) and implements
//! `Display`, `FromStr`, `Serialize` and `Deserialize` through the generic
//! functions of this module. Those functions never name an associated item of the enum
//! itself, so a variant called `Err`, `Error`, `Output` or `Item` cannot make
//! a path ambiguous.
//!
//! # Open and closed enums
//!
//! An enum is *open* when its declaration ends with an `#[unknown]`
//! variant: a value the spec does not list then decodes into that variant,
//! which keeps the text (an [`UnknownValue`]) or the integer (an
//! [`UnknownInteger`]) and writes it back unchanged. A client generated
//! from one version of a spec so keeps working when the server adds a
//! value. An open enum is `#[non_exhaustive]`: downstream `match`es keep a
//! `_` arm, and a later version's new variant breaks no code.
//!
//! A *closed* enum (no `#[unknown]` variant) refuses any other value.
//!
//! Servers stay strict with open enums too: what they decode inside
//! [`strictly`] refuses values the spec does not list, and their parameter
//! parsers accept only the listed ones.

use std::cell::Cell;
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

/// A value of an open string enum that the spec does not list, kept as it
/// was received. Only decoding makes one, so it never holds a listed value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// The text as it was received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value of an open integer enum that the spec does not list, kept as it
/// was received. Only decoding makes one, so it never holds a listed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownInteger(i64);

impl UnknownInteger {
    /// The integer as it was received.
    pub const fn value(&self) -> i64 {
        self.0
    }
}

impl fmt::Display for UnknownInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` with open enums and unions closed: on this thread, until
/// it returns, a value the spec does not list is an error instead of an
/// `Unknown` variant. Generated servers decode requests this way, so that
/// a request is held to the spec exactly.
pub fn strictly<T>(decode: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRICT.with(|strict| strict.set(self.0));
        }
    }
    let _restore = Restore(STRICT.with(|strict| strict.replace(true)));
    decode()
}

/// Whether this thread is inside [`strictly`].
pub fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// An enum whose values are strings on the wire.
pub trait StringEnum: Sized + Clone + 'static {
    /// The Rust name of the enum, for error messages.
    const NAME: &'static str;

    /// Every value the spec lists, in its order.
    fn all() -> &'static [Self];

    /// The value as it is written on the wire.
    fn wire(&self) -> &str;

    /// The variant that keeps a value the spec does not list; `None` for a
    /// closed enum.
    fn unknown(value: UnknownValue) -> Option<Self>;
}

/// An enum whose values are integers on the wire.
pub trait IntegerEnum: Sized + Copy + 'static {
    /// The Rust name of the enum, for error messages.
    const NAME: &'static str;

    /// Every value the spec lists, in its order.
    fn all() -> &'static [Self];

    /// The value as it is written on the wire.
    fn wire(&self) -> i64;

    /// The listed variant for a wire value, if there is one.
    fn from_wire(value: i64) -> Option<Self>;

    /// The variant that keeps a value the spec does not list; `None` for a
    /// closed enum.
    fn unknown(value: UnknownInteger) -> Option<Self>;
}

/// The listed variant whose wire text is `text`.
pub fn parse_known<E: StringEnum>(text: &str) -> Option<E> {
    E::all()
        .iter()
        .find(|variant| variant.wire() == text)
        .cloned()
}

/// The variant whose wire text is `text`: a listed one, or for an open
/// enum the one that keeps other values.
pub fn parse_str<E: StringEnum>(text: &str) -> Result<E, ParseEnumError> {
    parse_known(text)
        .or_else(|| E::unknown(UnknownValue(text.into())))
        .ok_or_else(|| ParseEnumError::new(E::NAME, text))
}

/// The variant for the integer `text` holds: a listed one, or for an open
/// enum the one that keeps other values.
pub fn parse_integer<E: IntegerEnum>(text: &str) -> Result<E, ParseEnumError> {
    text.parse::<i64>()
        .ok()
        .and_then(|value| E::from_wire(value).or_else(|| E::unknown(UnknownInteger(value))))
        .ok_or_else(|| ParseEnumError::new(E::NAME, text))
}

/// Decodes a string enum from a JSON string (borrowed or not); outside
/// [`strictly`], an open enum keeps a value the spec does not list.
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
            if let Some(known) = parse_known(text) {
                return Ok(known);
            }
            if !is_strict() {
                if let Some(kept) = E::unknown(UnknownValue(text.into())) {
                    return Ok(kept);
                }
            }
            // serde's own wording for derived enums, listing the values.
            let expected: Vec<String> = E::all()
                .iter()
                .map(|variant| format!("`{}`", variant.wire()))
                .collect();
            Err(Error::custom(format_args!(
                "unknown variant `{text}` of {}, expected one of {}",
                E::NAME,
                expected.join(", ")
            )))
        }
    }

    deserializer.deserialize_str(Visitor(PhantomData))
}

/// Decodes an integer enum from a JSON integer; outside [`strictly`], an
/// open enum keeps a value the spec does not list.
pub fn deserialize_integer<'de, E, D>(deserializer: D) -> Result<E, D::Error>
where
    E: IntegerEnum,
    D: serde::Deserializer<'de>,
{
    let value = <i64 as serde::Deserialize>::deserialize(deserializer)?;
    E::from_wire(value)
        .or_else(|| {
            if is_strict() {
                None
            } else {
                E::unknown(UnknownInteger(value))
            }
        })
        .ok_or_else(|| serde::de::Error::custom(ParseEnumError::new(E::NAME, &value.to_string())))
}

/// Declares a string enum from its variants and their wire texts, with
/// `ALL`, `as_str`, `Display`, `FromStr`, `Serialize`, `Deserialize` and
/// [`StringEnum`].
///
/// A last variant marked `#[unknown]` makes the enum open (see the
/// [module docs](crate::enums)): it holds an [`UnknownValue`], the enum is
/// `#[non_exhaustive]` and no longer `Copy`.
///
/// ```
/// krosai_runtime::string_enum! {
///     /// How a call went.
///     pub enum CallStatus {
///         Completed = "completed",
///         NoAnswer = "no_answer",
///         #[unknown]
///         Unknown,
///     }
/// }
///
/// assert_eq!(CallStatus::NoAnswer.to_string(), "no_answer");
/// assert_eq!("completed".parse(), Ok(CallStatus::Completed));
/// let later: CallStatus = serde_json::from_str("\"voicemail\"").unwrap();
/// assert!(matches!(&later, CallStatus::Unknown(value) if value.as_str() == "voicemail"));
/// assert_eq!(serde_json::to_string(&later).unwrap(), "\"voicemail\"");
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
            $($variant:ident = $wire:literal,)*
            #[unknown]
            $unknown:ident $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                #[doc = ::core::concat!("`", $wire, "`")]
                $variant,
            )*
            /// A value the spec does not list, kept as received and written
            /// back unchanged.
            $unknown($crate::enums::UnknownValue),
        }

        impl $name {
            /// Every value the spec lists, in its order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !::core::matches!(self, Self::$unknown(_))
            }
        }

        impl $crate::enums::StringEnum for $name {
            const NAME: &'static str = ::core::stringify!($name);

            fn all() -> &'static [Self] {
                $name::ALL
            }

            fn wire(&self) -> &str {
                $name::as_str(self)
            }

            fn unknown(value: $crate::enums::UnknownValue) -> ::core::option::Option<$name> {
                ::core::option::Option::Some($name::$unknown(value))
            }
        }

        $crate::string_enum!(@impls $name);
    };
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
            /// Every value the spec lists, in its order.
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

            fn wire(&self) -> &str {
                $name::as_str(self)
            }

            fn unknown(_: $crate::enums::UnknownValue) -> ::core::option::Option<$name> {
                ::core::option::Option::None
            }
        }

        $crate::string_enum!(@impls $name);
    };
    (@impls $name:ident) => {
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
/// A last variant marked `#[unknown]` makes the enum open (see the
/// [module docs](crate::enums)): it holds an [`UnknownInteger`] and the
/// enum is `#[non_exhaustive]`.
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
            $($variant:ident = $value:literal,)*
            #[unknown]
            $unknown:ident $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                #[doc = ::core::concat!("`", ::core::stringify!($value), "`")]
                $variant,
            )*
            /// A value the spec does not list, kept as received and written
            /// back unchanged.
            $unknown($crate::enums::UnknownInteger),
        }

        impl $name {
            /// Every value the spec lists, in its order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it is written on the wire.
            pub const fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$unknown(value) => value.value(),
                }
            }

            /// The listed variant for a wire value, if there is one.
            pub const fn from_value(value: i64) -> ::core::option::Option<Self> {
                match value {
                    $($value => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !::core::matches!(self, Self::$unknown(_))
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

            fn unknown(value: $crate::enums::UnknownInteger) -> ::core::option::Option<$name> {
                ::core::option::Option::Some($name::$unknown(value))
            }
        }

        $crate::integer_enum!(@impls $name);
    };
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
            /// Every value the spec lists, in its order.
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

            fn unknown(_: $crate::enums::UnknownInteger) -> ::core::option::Option<$name> {
                ::core::option::Option::None
            }
        }

        $crate::integer_enum!(@impls $name);
    };
    (@impls $name:ident) => {
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
    use super::{is_strict, parse_known, strictly};

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

    // Open enums, with hostile names for the variant that keeps the rest.
    crate::string_enum! {
        enum Status {
            Done = "done",
            Err = "Err",
            #[unknown]
            Output,
        }
    }

    crate::integer_enum! {
        enum Code {
            One = 1,
            #[unknown]
            Unknown,
        }
    }

    #[test]
    fn open_string_enums_keep_values_the_spec_does_not_list() {
        let later: Status = serde_json::from_str("\"voicemail\"").unwrap();
        assert!(!later.is_known());
        assert_eq!(later.as_str(), "voicemail");
        assert_eq!(later.to_string(), "voicemail");
        assert_eq!(serde_json::to_string(&later).unwrap(), "\"voicemail\"");
        assert_eq!("voicemail".parse::<Status>(), Ok(later.clone()));
        assert!(matches!(&later, Status::Output(value) if value.as_str() == "voicemail"));
        // Listed values never become the catch-all, whichever way they come.
        assert_eq!("Err".parse::<Status>(), Ok(Status::Err));
        assert_eq!(
            serde_json::from_str::<Status>("\"done\"").unwrap(),
            Status::Done
        );
        assert!(Status::Done.is_known());
        assert_eq!(Status::ALL, [Status::Done, Status::Err]);
        assert_eq!(parse_known::<Status>("voicemail"), None);
        assert!(serde_json::from_str::<Status>("1").is_err());
    }

    #[test]
    fn open_integer_enums_keep_values_the_spec_does_not_list() {
        let later: Code = serde_json::from_str("7").unwrap();
        assert!(matches!(later, Code::Unknown(value) if value.value() == 7));
        assert_eq!(later.value(), 7);
        assert_eq!(serde_json::to_string(&later).unwrap(), "7");
        assert_eq!("7".parse::<Code>(), Ok(later));
        assert_eq!(Code::from_value(7), None);
        assert_eq!(Code::ALL, [Code::One]);
        assert!(!later.is_known() && Code::One.is_known());
        assert!("seven".parse::<Code>().is_err());
    }

    #[test]
    fn strictly_refuses_what_open_enums_would_keep() {
        let refused = strictly(|| serde_json::from_str::<Status>("\"voicemail\""));
        let error = refused.unwrap_err().to_string();
        assert!(
            error.starts_with("unknown variant `voicemail` of Status"),
            "{error}"
        );
        assert!(strictly(|| serde_json::from_str::<Code>("7")).is_err());
        assert_eq!(
            strictly(|| serde_json::from_str::<Code>("1")).unwrap(),
            Code::One
        );
        // The flag is restored afterwards, also when nested.
        strictly(|| strictly(|| ()));
        assert!(!is_strict());
        assert!(serde_json::from_str::<Status>("\"voicemail\"").is_ok());
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
