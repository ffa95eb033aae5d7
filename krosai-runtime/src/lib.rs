//! The runtime of the code that [krosai-codegen] generates: what is the same
//! for every API, written once as ordinary Rust, so that generated code is
//! only the declarative part (types, one call per operation or parameter).
//!
//! Generated code names this crate as `::krosai_runtime` and checks, at
//! compile time, that it builds against the runtime version it was generated
//! for ([`expect_version`]).
//!
//! - [`enums`]: string and integer enums (`Display`, `FromStr`, serde) from
//!   their wire values, and [`ParseEnumError`];
//! - [`object`](mod@object): structs for JSON objects ([`object!`]), serialized as
//!   `serde`'s derives would, with much less code to compile;
//! - [`union`](mod@union): unions declared by [`union!`], the variant of a
//!   `oneOf`/`anyOf` chosen by the shape of the JSON, or by its discriminator;
//! - [`binary`]: `format: binary` fields as JSON strings;
//! - [`bounds`]: `minimum`, `maximum`, `minLength`, `maxLength`, checked
//!   alike by clients and servers;
//! - `client` (feature `client`): the response wrapper, violations, URL
//!   building, parameter texts, retries and transports for generated
//!   reqwest clients;
//! - `server` (feature `server`): credentials, parameter reading and
//!   violations for generated axum routers;
//! - [`Operation`]: how generated code names an operation to the runtime.
//!
//! With the feature `tracing`, every client request and every request a
//! generated router hands to a handler runs in a `tracing` span
//! (`krosai.request`: the operation, the method, the path template, the
//! status, the attempts and the latency; never credentials, parameter
//! values or bodies). Without it, nothing of `tracing` is compiled.
//!
//! [krosai-codegen]: https://github.com/krosai/krosai-codegen

#![deny(missing_docs)]

pub mod binary;
pub mod bounds;
#[cfg(feature = "client")]
pub mod client;
pub mod enums;
pub mod object;
pub mod union;

#[cfg(feature = "server")]
pub mod server;
#[cfg(all(feature = "tracing", any(feature = "client", feature = "server")))]
mod trace;

pub use enums::ParseEnumError;

// The macros name serde through this crate, so that the generated code
// does not depend on how its crate calls serde.
#[doc(hidden)]
pub use serde;
#[doc(hidden)]
pub use serde_json;

/// An operation of the API, as generated code names it to the runtime: for
/// traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    id: &'static str,
    method: &'static str,
    path: &'static str,
}

impl Operation {
    /// The operation `id` (its `operationId`), sent with `method` to the
    /// path template `path` (`/calls/{id}`).
    pub const fn new(id: &'static str, method: &'static str, path: &'static str) -> Self {
        Self { id, method, path }
    }

    /// Its `operationId`.
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// Its HTTP method (`GET`).
    pub const fn method(&self) -> &'static str {
        self.method
    }

    /// Its path template, as the spec writes it (`/calls/{id}`).
    pub const fn path(&self) -> &'static str {
        self.path
    }
}

/// The major version of this runtime.
pub const VERSION_MAJOR: u64 = parse_u64(env!("CARGO_PKG_VERSION_MAJOR"));
/// The minor version of this runtime.
pub const VERSION_MINOR: u64 = parse_u64(env!("CARGO_PKG_VERSION_MINOR"));

/// Fails the build (in a `const` context) unless this runtime can run code
/// generated for runtime `major.minor`: the same major version (or, before
/// 1.0, the same minor one) and at least that minor version.
///
/// Every generated file starts with
/// `const _: () = ::krosai_runtime::expect_version(0, 1);`.
pub const fn expect_version(major: u64, minor: u64) {
    let compatible = if major == 0 {
        VERSION_MAJOR == 0 && VERSION_MINOR == minor
    } else {
        VERSION_MAJOR == major && VERSION_MINOR >= minor
    };
    if !compatible {
        panic!(
            "this code was generated for another version of krosai-runtime: \
             depend on the krosai-runtime that matches your krosai-codegen, or regenerate"
        );
    }
}

const fn parse_u64(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut value = 0;
    let mut index = 0;
    while index < bytes.len() {
        value = value * 10 + (bytes[index] - b'0') as u64;
        index += 1;
    }
    value
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_is_the_package_version() {
        let expected = format!("{}.{}.", super::VERSION_MAJOR, super::VERSION_MINOR);
        assert!(env!("CARGO_PKG_VERSION").starts_with(&expected));
        super::expect_version(super::VERSION_MAJOR, super::VERSION_MINOR);
    }

    #[test]
    #[should_panic(expected = "another version of krosai-runtime")]
    fn another_minor_version_before_1_0_is_refused() {
        super::expect_version(0, super::VERSION_MINOR + 1);
    }
}
