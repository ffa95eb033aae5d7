//! Rust types for the KrosAI Cockpit API, generated at build time from
//! `spec/openapi.yaml` (the upstream reference, unchanged) with the
//! corrections of `spec/overlay.yaml` applied.
//!
//! - [`types`]: one type per schema, inline schema and parameter set.
//! - [`API_TITLE`] and [`API_VERSION`]: what the code was generated from.
//!
//! - [`client`] (feature `client`, on by default): an async client on
//!   `reqwest`, plus the typed shortcuts `call_stats` and `call_trends`.
//! - [`server`] (feature `server`): the `CallsApi` trait, typed requests and
//!   responses, and an `axum` router; [`demo`] is a reference
//!   implementation over in-memory demo data.
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

#[cfg(feature = "server")]
pub mod demo;

/// Typed shortcuts for the KrosAI `GET /calls` actions.
///
/// `GET /calls` answers with a list, stats or trends depending on `action`,
/// so the generated method returns the union
/// [`ListCallsOk`](types::ListCallsOk). These pick the variant the action
/// asks for, and fail with [`ClientError::UnexpectedBody`] if the server
/// answers another one.
#[cfg(feature = "client")]
mod shortcuts {
    use crate::client::{Client, ClientError};
    use crate::types::{CallStats, CallTrends, ListCallsAction, ListCallsOk};

    impl Client {
        /// Call counts by status (`GET /calls?action=stats`).
        pub async fn call_stats(&self) -> Result<CallStats, ClientError> {
            let response = self.list_calls().action(ListCallsAction::Stats).await?;
            let status = response.status();
            match response.into_inner() {
                ListCallsOk::CallStats(stats) => Ok(stats),
                _ => Err(ClientError::UnexpectedBody {
                    status,
                    expected: "call stats",
                }),
            }
        }

        /// Daily call counts from `start` to `end`, inclusive
        /// (`GET /calls?action=trends&start_date=…&end_date=…`).
        pub async fn call_trends(
            &self,
            start: chrono::NaiveDate,
            end: chrono::NaiveDate,
        ) -> Result<CallTrends, ClientError> {
            let response = self
                .list_calls()
                .action(ListCallsAction::Trends)
                .start_date(start)
                .end_date(end)
                .await?;
            let status = response.status();
            match response.into_inner() {
                ListCallsOk::CallTrends(trends) => Ok(trends),
                _ => Err(ClientError::UnexpectedBody {
                    status,
                    expected: "call trends",
                }),
            }
        }
    }
}
