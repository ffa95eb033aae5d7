//! Responses through the generated client and server together: several
//! 2xx with different bodies become one enum, declared headers a typed
//! struct, non-JSON bodies bytes or text, `default` and ranges keep their
//! status.

mod common;

use std::sync::Mutex;

use krosai_fixtures::responses::client::{Client, ClientError, SubmitJobSuccess};
use krosai_fixtures::responses::server::{self, RequestContext};
use krosai_fixtures::responses::types::*;

/// Answers `submitJob` with whatever the test queued.
struct Jobs {
    next: Mutex<Vec<server::SubmitJobResponse>>,
}

impl server::DefaultApi for Jobs {
    type Principal = ();

    async fn submit_job(
        &self,
        _: &RequestContext<()>,
        _: server::SubmitJobRequest,
    ) -> Result<server::SubmitJobResponse, server::SubmitJobResponse> {
        Ok(self.next.lock().expect("not poisoned").remove(0))
    }

    async fn get_report(
        &self,
        _: &RequestContext<()>,
        request: server::GetReportRequest,
    ) -> Result<server::GetReportResponse, server::GetReportResponse> {
        match request.id {
            500 => {
                return Err(server::GetReportResponse::InternalServerError(
                    "it broke".to_owned(),
                ))
            }
            503 => {
                return Err(server::GetReportResponse::ServerError {
                    status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    body: "later".to_owned(),
                })
            }
            _ => {}
        }
        if request.id != 7 {
            return Err(server::GetReportResponse::NotFound(format!(
                "no job {}",
                request.id
            )));
        }
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+01:00").expect("valid");
        Ok(server::GetReportResponse::Ok {
            body: b"%PDF-1.7\xff".to_vec(),
            headers: {
                let mut headers = GetReportOkHeaders::default();
                headers.x_generated_at = Some(at);
                headers
            },
        })
    }

    async fn export_jobs(
        &self,
        _: &RequestContext<()>,
        _: server::ExportJobsRequest,
    ) -> Result<server::ExportJobsResponse, server::ExportJobsResponse> {
        Ok(server::ExportJobsResponse::Success {
            status: axum::http::StatusCode::PARTIAL_CONTENT,
            body: "id,state\n1,done\n".to_owned(),
        })
    }

    async fn issue_token(
        &self,
        _: &RequestContext<()>,
        _: server::IssueTokenRequest,
    ) -> Result<server::IssueTokenResponse, server::IssueTokenResponse> {
        Ok(server::IssueTokenResponse::Ok(
            "access_token=t0k&scope=all".to_owned(),
        ))
    }

    async fn purge_jobs(
        &self,
        _: &RequestContext<()>,
        _: server::PurgeJobsRequest,
    ) -> Result<server::PurgeJobsResponse, server::PurgeJobsResponse> {
        Ok(server::PurgeJobsResponse::Default {
            status: axum::http::StatusCode::ACCEPTED,
        })
    }
}

/// The headers `submitJob`'s 202 is sent with, and read back with.
fn accepted_headers() -> SubmitJobAcceptedHeaders {
    let mut headers = SubmitJobAcceptedHeaders::default();
    headers.location = Some("/jobs/t-1".to_owned());
    headers.retry_after = Some(30);
    headers.x_job_tags = Some(vec!["fast".to_owned(), "cheap".to_owned()]);
    headers
}

async fn client(next: Vec<server::SubmitJobResponse>) -> Client {
    let api = Jobs {
        next: Mutex::new(next),
    };
    let base = common::serve(server::router(api, server::NoAuthentication)).await;
    Client::new(base).expect("valid base URL")
}

#[tokio::test]
async fn each_2xx_decodes_into_its_own_variant() {
    let client = client(vec![
        server::SubmitJobResponse::Ok(JobResult::new("42".to_owned())),
        server::SubmitJobResponse::Accepted {
            body: JobTicket::new("t-1".to_owned()),
            headers: accepted_headers(),
        },
        server::SubmitJobResponse::NoContent,
    ])
    .await;

    let done = client.submit_job().await.expect("200");
    assert_eq!(done.status().as_u16(), 200);
    assert_eq!(*done, SubmitJobSuccess::Ok(JobResult::new("42".to_owned())));

    let accepted = client.submit_job().await.expect("202");
    assert_eq!(accepted.status().as_u16(), 202);
    assert_eq!(
        *accepted,
        SubmitJobSuccess::Accepted(JobTicket::new("t-1".to_owned()))
    );
    // The headers the server set from its typed struct, read back typed.
    let headers = SubmitJobAcceptedHeaders::from_header_map(accepted.headers());
    assert_eq!(headers, accepted_headers());
    assert_eq!(accepted.headers()["x-job-tags"], "fast,cheap");

    let nothing = client.submit_job().await.expect("204");
    assert_eq!(*nothing, SubmitJobSuccess::NoContent);
}

#[tokio::test]
async fn default_answers_are_errors_with_their_status_and_body() {
    let client = client(vec![server::SubmitJobResponse::Default {
        status: axum::http::StatusCode::CONFLICT,
        body: Problem::new("busy".to_owned()),
    }])
    .await;
    match client.submit_job().await {
        Err(ClientError::Default { status, body }) => {
            assert_eq!(status.as_u16(), 409);
            // Not every operation's `default` has this body (purgeJobs'
            // has none), so the shared error variant keeps the raw JSON.
            assert_eq!(body, serde_json::json!({"title": "busy"}));
        }
        other => panic!("expected the default error, got {other:?}"),
    }
}

#[tokio::test]
async fn non_json_bodies_are_bytes_or_text() {
    let client = client(Vec::new()).await;
    let report = client.get_report(7).await.expect("200");
    assert_eq!(report.headers()["content-type"], "application/pdf");
    assert_eq!(*report, b"%PDF-1.7\xff".to_vec());
    let headers = GetReportOkHeaders::from_header_map(report.headers());
    assert_eq!(
        headers.x_generated_at.map(|t| t.to_rfc3339()),
        Some("2026-11-27T10:00:00+01:00".to_owned())
    );

    match client.get_report(8).await {
        Err(ClientError::NotFound(text)) => assert_eq!(text, "no job 8"),
        other => panic!("expected a text 404, got {other:?}"),
    }

    let csv = client.export_jobs().await.expect("2XX");
    assert_eq!(csv.status().as_u16(), 206);
    assert_eq!(csv.as_str(), "id,state\n1,done\n");
}

#[tokio::test]
async fn an_empty_default_answer_is_a_success_in_its_range() {
    let client = client(Vec::new()).await;
    let purged = client.purge_jobs().await.expect("202 through default");
    assert_eq!(purged.status().as_u16(), 202);
}

#[tokio::test]
async fn headers_that_do_not_parse_are_none() {
    let mut map = reqwest::header::HeaderMap::new();
    map.insert("retry-after", "soon".parse().expect("a header value"));
    map.insert("location", "/x".parse().expect("a header value"));
    let headers = SubmitJobAcceptedHeaders::from_header_map(&map);
    assert_eq!(headers.retry_after, None);
    assert_eq!(headers.location.as_deref(), Some("/x"));
    assert_eq!(headers.x_job_tags, None);
}

#[tokio::test]
async fn form_answers_are_kept_as_their_text() {
    let client = client(Vec::new()).await;
    let token = client.issue_token().await.expect("200");
    assert_eq!(
        token.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(token.as_str(), "access_token=t0k&scope=all");
}

#[test]
fn a_response_shared_by_two_statuses_converts_into_the_first() {
    let refused = server::TokenRefused(Problem::new("no".to_owned()));
    let response: server::IssueTokenResponse = refused.into();
    assert!(
        matches!(&response, server::IssueTokenResponse::BadRequest(p) if p.title == "no"),
        "{response:?}"
    );
}

#[tokio::test]
async fn a_code_is_matched_before_the_range_that_holds_it() {
    let client = client(Vec::new()).await;
    match client.get_report(500).await {
        Err(ClientError::InternalServerError(text)) => assert_eq!(text, "it broke"),
        other => panic!("expected the 500 variant, got {other:?}"),
    }
    match client.get_report(503).await {
        Err(ClientError::ServerError { status, body }) => {
            assert_eq!(status.as_u16(), 503);
            assert_eq!(body, "later");
        }
        other => panic!("expected the 5XX variant, got {other:?}"),
    }
}
