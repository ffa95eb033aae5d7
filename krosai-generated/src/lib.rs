//! Rust types for the KrosAI Cockpit API, generated at build time from
//! `spec/openapi.yaml` (the upstream reference, unchanged) with the
//! corrections of `spec/overlay.yaml` applied.
//!
//! - [`types`]: one type per schema, inline schema and parameter set.
//! - [`API_TITLE`] and [`API_VERSION`]: what the code was generated from.
//!
//! The `client` and `server` features are reserved for the generated async
//! client and axum server traits.
//!
//! ```
//! use krosai_generated::types::{CallStatus, ListCallsOk};
//!
//! let body = r#"{"completed": 5, "failed": 1}"#;
//! let decoded: ListCallsOk = serde_json::from_str(body).unwrap();
//! assert!(matches!(decoded, ListCallsOk::CallStats(_)));
//! assert_eq!("in_progress".parse::<CallStatus>(), Ok(CallStatus::InProgress));
//! ```
#![deny(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/krosai.rs"));
