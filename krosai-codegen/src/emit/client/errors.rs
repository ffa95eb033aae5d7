//! The `ClientError` enum: one variant per documented error status.

use super::*;

pub(super) use crate::model::{ErrorBody, ErrorVariant};

pub(super) fn emit_error_enum(api: &Api, errors: &[ErrorVariant]) -> TokenStream {
    let variants = errors.iter().map(|e| {
        let ident = to_ident(&e.name);
        let what = match e.status {
            StatusSpec::Code(code) => format!("The server answered {code} ({})", e.name),
            StatusSpec::Range(d) => format!("The server answered a {d}XX status"),
            StatusSpec::Default => "The server answered a status documented only as `default`".to_owned(),
        };
        let body = match &e.body {
            ErrorBody::Typed(ty) => rust_type(api, ty, Scope::Sibling),
            ErrorBody::Json => quote!(::serde_json::Value),
            ErrorBody::Text => quote!(::std::string::String),
        };
        let text = match &e.body {
            ErrorBody::Typed(_) => format!("{what}, with the body the spec documents for it."),
            ErrorBody::Json => format!("{what}; operations document different bodies for it, so it is kept as JSON (`null` when empty)."),
            ErrorBody::Text => format!("{what}; the body is not (always) JSON, so it is kept as text."),
        };
        let doc = doc_attrs(&text);
        match e.status {
            StatusSpec::Code(_) => quote! {
                #doc
                #ident(#body),
            },
            _ => quote! {
                #doc
                #ident {
                    /// The status.
                    status: ::reqwest::StatusCode,
                    /// The decoded body.
                    body: #body,
                },
            },
        }
    });
    let status_arms = errors.iter().map(|e| {
        let ident = to_ident(&e.name);
        match e.status {
            StatusSpec::Code(code) => quote! {
                Self::#ident(_) => ::reqwest::StatusCode::from_u16(#code).ok(),
            },
            _ => quote! {
                Self::#ident { status, .. } => ::std::option::Option::Some(*status),
            },
        }
    });
    let display_arms = errors.iter().map(|e| {
        let ident = to_ident(&e.name);
        match e.status {
            StatusSpec::Code(code) => {
                let text = format!("the server answered {code} {}: {{:?}}", e.name);
                quote!(Self::#ident(body) => write!(f, #text, body),)
            }
            _ => quote!(Self::#ident { status, body } => write!(f, "the server answered {}: {:?}", status, body),),
        }
    });
    quote! {
        /// Why a request failed.
        #[derive(Debug)]
        #[non_exhaustive]
        // Error bodies are as large as the spec's error schema; boxing
        // them would change every `match` for a cost paid only on errors.
        #[allow(clippy::large_enum_variant)]
        pub enum ClientError {
            /// Parameters break the spec's rules; nothing was sent. Every
            /// violation is listed.
            InvalidRequest(::std::vec::Vec<Violation>),
            #(#variants)*
            /// The server answered a status this operation does not
            /// document.
            UnexpectedStatus {
                /// The status.
                status: ::reqwest::StatusCode,
                /// The raw body.
                body: ::std::string::String,
            },
            /// The body does not match the schema the spec documents.
            Decode {
                /// The status.
                status: ::reqwest::StatusCode,
                /// The raw body.
                body: ::std::string::String,
                /// Why decoding failed.
                source: ::serde_json::Error,
            },
            /// The body decoded, but is not the kind this call expects (a
            /// page of a list, for example, when the server sent another
            /// variant of the union).
            UnexpectedBody {
                /// The status.
                status: ::reqwest::StatusCode,
                /// What was expected instead.
                expected: &'static str,
            },
            /// The request timed out (on every attempt the retry policy
            /// allowed).
            Timeout {
                /// The last attempt's error: a `reqwest::Error` (without
                /// its URL), or [`krosai_runtime::client::TimedOut`] with a custom
                /// [`ClientBuilder::service`].
                source: runtime::BoxError,
                /// How many attempts were made.
                attempts: u32,
            },
            /// Connecting, sending or receiving failed (on every attempt
            /// the retry policy allowed).
            Transport {
                /// The last attempt's error: a `reqwest::Error` (without
                /// its URL), or a custom [`ClientBuilder::service`]'s.
                source: runtime::BoxError,
                /// How many attempts were made.
                attempts: u32,
            },
            /// The client could not be built.
            Config(::std::string::String),
        }

        impl ClientError {
            /// The HTTP status, when the server answered.
            pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
                match self {
                    #(#status_arms)*
                    Self::UnexpectedStatus { status, .. }
                    | Self::Decode { status, .. }
                    | Self::UnexpectedBody { status, .. } => ::std::option::Option::Some(*status),
                    Self::InvalidRequest(_) | Self::Timeout { .. } | Self::Transport { .. } | Self::Config(_) => ::std::option::Option::None,
                }
            }

            fn transport(error: runtime::SendError) -> Self {
                let attempts = error.attempts();
                if error.is_timeout() {
                    Self::Timeout { source: error.into_source(), attempts }
                } else {
                    Self::Transport { source: error.into_source(), attempts }
                }
            }

            // Unused by APIs whose answers have no JSON body.
            #[allow(dead_code)]
            fn decode(status: ::reqwest::StatusCode, bytes: &[u8], source: ::serde_json::Error) -> Self {
                Self::Decode {
                    status,
                    body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                    source,
                }
            }
        }

        impl ::std::fmt::Display for ClientError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::InvalidRequest(violations) => {
                        f.write_str("invalid request, nothing was sent: ")?;
                        for (index, violation) in violations.iter().enumerate() {
                            if index > 0 {
                                f.write_str("; ")?;
                            }
                            ::std::fmt::Display::fmt(violation, f)?;
                        }
                        ::std::result::Result::Ok(())
                    }
                    #(#display_arms)*
                    Self::UnexpectedStatus { status, body } => write!(f, "the server answered {status}, which this operation does not document: {body}"),
                    Self::Decode { status, source, .. } => write!(f, "the {status} body does not match the schema: {source}"),
                    Self::UnexpectedBody { status, expected } => write!(f, "the {status} body is not {expected}"),
                    Self::Timeout { source, attempts } => write!(f, "the request timed out ({attempts} attempts): {source}"),
                    Self::Transport { source, attempts } => write!(f, "the request failed ({attempts} attempts): {source}"),
                    Self::Config(message) => f.write_str(message),
                }
            }
        }

        impl ::std::error::Error for ClientError {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Decode { source, .. } => ::std::option::Option::Some(source),
                    Self::Timeout { source, .. } | Self::Transport { source, .. } => ::std::option::Option::Some(&**source),
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}
