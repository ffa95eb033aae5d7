//! [`client_error!`](crate::client_error!): the `ClientError` of a
//! generated client.

/// Declares a generated client's `ClientError`: the variants the spec
/// documents (written in the call, each after a `#[status(CODE)]`
/// attribute, or `#[any_status]` for a range or `default` answer, whose
/// variant holds `{ status, body }`), plus those every client has
/// (`InvalidRequest`, `UnexpectedStatus`, `Decode`, `UnexpectedBody`,
/// `Timeout`, `Transport`, `Config`), its `status()`, `Display` and
/// `Error` impls, and the decoding helpers the request builders call
/// (`decode_json`, `decode_json_or_null`, `ClientError::decode`,
/// `ClientError::unexpected`, `ClientError::transport`).
///
/// ```
/// mod client {
///     krosai_runtime::client_error! {
///         pub enum ClientError {
///             #[status(404)]
///             /// The server answered 404.
///             NotFound(String),
///             #[any_status]
///             /// Any 5XX.
///             ServerError {
///                 /// The status.
///                 status: reqwest::StatusCode,
///                 /// The decoded body.
///                 body: serde_json::Value,
///             },
///         }
///     }
///
///     pub fn not_found() -> ClientError {
///         ClientError::NotFound(decode_json(reqwest::StatusCode::NOT_FOUND, br#""gone""#).unwrap())
///     }
/// }
///
/// let error = client::not_found();
/// assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
/// assert_eq!(error.to_string(), r#"the server answered 404 NotFound: "gone""#);
/// ```
#[macro_export]
macro_rules! client_error {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                #[status($code:literal)]
                $(#[doc = $doc:literal])*
                $variant:ident($body:ty $(,)?),
            )*
            $(
                #[any_status]
                $(#[doc = $any_doc:literal])*
                $any_variant:ident {
                    $(#[doc = $status_doc:literal])*
                    status: $status:ty,
                    $(#[doc = $body_doc:literal])*
                    body: $any_body:ty $(,)?
                },
            )*
        }
    ) => {
        $(#[$meta])*
        /// Why a request failed.
        #[derive(Debug)]
        #[non_exhaustive]
        // Error bodies are as large as the spec's error schema; boxing
        // them would change every `match` for a cost paid only on errors.
        #[allow(clippy::large_enum_variant)]
        $vis enum $name {
            /// Parameters break the spec's rules; nothing was sent. Every
            /// violation is listed.
            InvalidRequest(::std::vec::Vec<$crate::client::Violation>),
            $($(#[doc = $doc])* $variant($body),)*
            $(
                $(#[doc = $any_doc])*
                $any_variant {
                    $(#[doc = $status_doc])*
                    status: $status,
                    $(#[doc = $body_doc])*
                    body: $any_body,
                },
            )*
            /// The server answered a status this operation does not
            /// document.
            UnexpectedStatus {
                /// The status.
                status: $crate::client::StatusCode,
                /// The raw body.
                body: ::std::string::String,
            },
            /// The body does not match the schema the spec documents.
            Decode {
                /// The status.
                status: $crate::client::StatusCode,
                /// The raw body.
                body: ::std::string::String,
                /// Why decoding failed.
                source: $crate::serde_json::Error,
            },
            /// The body decoded, but is not the kind this call expects (a
            /// page of a list, for example, when the server sent another
            /// variant of the union).
            UnexpectedBody {
                /// The status.
                status: $crate::client::StatusCode,
                /// What was expected instead.
                expected: &'static str,
            },
            /// The request timed out (on every attempt the retry policy
            /// allowed).
            Timeout {
                /// The last attempt's error: a `reqwest::Error` (without
                /// its URL), or [`krosai_runtime::client::TimedOut`] with a
                /// custom `ClientBuilder::service`.
                source: $crate::client::BoxError,
                /// How many attempts were made.
                attempts: u32,
            },
            /// Connecting, sending or receiving failed (on every attempt
            /// the retry policy allowed).
            Transport {
                /// The last attempt's error: a `reqwest::Error` (without
                /// its URL), or a custom `ClientBuilder::service`'s.
                source: $crate::client::BoxError,
                /// How many attempts were made.
                attempts: u32,
            },
            /// The client could not be built.
            Config(::std::string::String),
        }

        impl $name {
            /// The HTTP status, when the server answered.
            pub fn status(&self) -> ::core::option::Option<$crate::client::StatusCode> {
                match self {
                    $(Self::$variant(_) => $crate::client::StatusCode::from_u16($code).ok(),)*
                    $(Self::$any_variant { status, .. } => ::core::option::Option::Some(*status),)*
                    Self::UnexpectedStatus { status, .. }
                    | Self::Decode { status, .. }
                    | Self::UnexpectedBody { status, .. } => ::core::option::Option::Some(*status),
                    Self::InvalidRequest(_)
                    | Self::Timeout { .. }
                    | Self::Transport { .. }
                    | Self::Config(_) => ::core::option::Option::None,
                }
            }

            #[allow(dead_code)]
            fn transport(error: $crate::client::SendError) -> Self {
                let attempts = error.attempts();
                if error.is_timeout() {
                    Self::Timeout { source: error.into_source(), attempts }
                } else {
                    Self::Transport { source: error.into_source(), attempts }
                }
            }

            // Unused by APIs whose answers have no JSON body.
            #[allow(dead_code)]
            fn decode(
                status: $crate::client::StatusCode,
                bytes: &[u8],
                source: $crate::serde_json::Error,
            ) -> Self {
                Self::Decode {
                    status,
                    body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                    source,
                }
            }

            #[allow(dead_code)]
            fn unexpected(status: $crate::client::StatusCode, bytes: &[u8]) -> Self {
                Self::UnexpectedStatus {
                    status,
                    body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    Self::InvalidRequest(violations) => {
                        f.write_str("invalid request, nothing was sent: ")?;
                        $crate::client::write_violations(f, violations)
                    }
                    $(Self::$variant(body) => ::core::write!(
                        f,
                        ::core::concat!(
                            "the server answered ",
                            ::core::stringify!($code),
                            " ",
                            ::core::stringify!($variant),
                            ": {:?}"
                        ),
                        body
                    ),)*
                    $(Self::$any_variant { status, body } => {
                        ::core::write!(f, "the server answered {}: {:?}", status, body)
                    })*
                    Self::UnexpectedStatus { status, body } => ::core::write!(
                        f,
                        "the server answered {status}, which this operation does not document: {body}"
                    ),
                    Self::Decode { status, source, .. } => {
                        ::core::write!(f, "the {status} body does not match the schema: {source}")
                    }
                    Self::UnexpectedBody { status, expected } => {
                        ::core::write!(f, "the {status} body is not {expected}")
                    }
                    Self::Timeout { source, attempts } => {
                        ::core::write!(f, "the request timed out ({attempts} attempts): {source}")
                    }
                    Self::Transport { source, attempts } => {
                        ::core::write!(f, "the request failed ({attempts} attempts): {source}")
                    }
                    Self::Config(message) => f.write_str(message),
                }
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Decode { source, .. } => ::core::option::Option::Some(source),
                    Self::Timeout { source, .. } | Self::Transport { source, .. } => {
                        ::core::option::Option::Some(&**source)
                    }
                    _ => ::core::option::Option::None,
                }
            }
        }

        /// Decodes a JSON body, keeping the raw text when it does not
        /// match.
        #[allow(dead_code)]
        fn decode_json<T: $crate::serde::de::DeserializeOwned>(
            status: $crate::client::StatusCode,
            bytes: &[u8],
        ) -> ::core::result::Result<T, $name> {
            $crate::serde_json::from_slice(bytes).map_err(|source| $name::decode(status, bytes, source))
        }

        /// A successful answer with a JSON body.
        #[allow(dead_code)]
        fn ok_json<T: $crate::serde::de::DeserializeOwned>(
            status: $crate::client::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            bytes: &[u8],
        ) -> ::core::result::Result<$crate::client::Response<T>, $name> {
            decode_json(status, bytes).map(|body| $crate::client::Response::new(status, headers, body))
        }

        /// Decodes a body kept as raw JSON (`null` when empty).
        #[allow(dead_code)]
        fn decode_json_or_null(
            status: $crate::client::StatusCode,
            bytes: &[u8],
        ) -> ::core::result::Result<$crate::serde_json::Value, $name> {
            if bytes.is_empty() {
                ::core::result::Result::Ok($crate::serde_json::Value::Null)
            } else {
                decode_json(status, bytes)
            }
        }
    };
}
