//! A reference implementation of [`CallsApi`] over an in-memory store,
//! seeded with deterministic demo data: the `calls_server` example serves
//! it, and the tests and benchmarks use it.
//!
//! Two organizations, `alpha` and `beta`, each with its own demo key
//! ([`ALPHA_KEY`], [`BETA_KEY`]) and 300 calls spread over 60 days, every
//! status and direction, with events, quality metrics and transcripts.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeZone as _, Utc};
use uuid::Uuid;

use crate::server::{
    Authenticator, BadRequest, CallsApi, Credentials, DeleteCallRequest, DeleteCallResponse,
    GetCallRequest, GetCallResponse, ListCallsRequest, ListCallsResponse, NotFound, Rejection,
    RequestContext,
};
use crate::types::{
    Call, CallDetail, CallDetailQualityMetrics, CallDirection, CallEvent, CallStats, CallStatus,
    CallTrendsItem, CallsListResponse, ListCallsAction, ListCallsOk,
};

/// The demo key of organization alpha.
pub const ALPHA_KEY: &str = "kros_test_alpha";
/// The demo key of organization beta.
pub const BETA_KEY: &str = "kros_test_beta";
/// Organization alpha.
pub const ALPHA_ORG: Uuid = Uuid::from_u128(0x0a1f_a000_0000_4000_8000_0000_0000_0001);
/// Organization beta.
pub const BETA_ORG: Uuid = Uuid::from_u128(0x0be7_a000_0000_4000_8000_0000_0000_0002);
/// Calls seeded per organization.
pub const CALLS_PER_ORG: usize = 300;
/// The days the demo calls span, ending on [`last_day`].
pub const DAYS: u64 = 60;

/// The last day with demo calls.
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

/// The calls of both organizations, with their events. Cheap to clone:
/// clones share the data.
#[derive(Debug, Clone, Default)]
pub struct Store {
    calls: Arc<RwLock<BTreeMap<Uuid, CallDetail>>>,
}

/// A small deterministic generator (SplitMix64), so that the demo data is
/// the same on every start.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn at(day: NaiveDate, seconds: u64) -> DateTime<FixedOffset> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Utc.from_utc_datetime(&midnight).fixed_offset() + chrono::Duration::seconds(seconds as i64)
}

impl Store {
    /// The deterministic demo data set.
    pub fn demo() -> Self {
        let mut calls = BTreeMap::new();
        let mut seq = Seq(0x4B52_4F53);
        let first = last_day()
            .checked_sub_days(Days::new(DAYS - 1))
            .unwrap_or_default();
        for (org_index, org) in [ALPHA_ORG, BETA_ORG].into_iter().enumerate() {
            let phones: Vec<Uuid> = (0..3)
                .map(|n| Uuid::from_u128(0x9000 + (org_index as u128) * 16 + n))
                .collect();
            for n in 0..CALLS_PER_ORG {
                let id =
                    Uuid::from_u64_pair(0x0ca1_1000_0000_4000 | org_index as u64, n as u64 + 1);
                // Every status and direction appear, in a fixed rotation.
                let status = CallStatus::ALL[n % CallStatus::ALL.len()].clone();
                let direction = CallDirection::ALL[(n / 5) % 2].clone();
                let day = first
                    .checked_add_days(Days::new(seq.below(DAYS)))
                    .unwrap_or(first);
                let created = at(day, seq.below(86_000));
                let answered = matches!(status, CallStatus::Completed | CallStatus::InProgress)
                    .then(|| created + chrono::Duration::seconds(3 + seq.below(10) as i64));
                let duration = if status == CallStatus::Completed {
                    30 + seq.below(600) as i64
                } else {
                    0
                };
                let completed = (status == CallStatus::Completed)
                    .then(|| created + chrono::Duration::seconds(duration + 5));
                let events = [
                    ("call.initiated", 0),
                    ("call.ringing", 1),
                    ("call.ended", duration + 5),
                ]
                .iter()
                .enumerate()
                .map(|(e, (kind, offset))| CallEvent {
                    id: Some(Uuid::from_u64_pair(id.as_u64_pair().1, e as u64 + 1)),
                    event_type: Some((*kind).to_owned()),
                    event_data: Some(
                        [("sequence".to_owned(), serde_json::json!(e))]
                            .into_iter()
                            .collect(),
                    ),
                    created_at: Some(created + chrono::Duration::seconds(*offset)),
                })
                .collect();
                let detail = CallDetail {
                    id: Some(id),
                    from_number: Some(format!("+2348{:09}", seq.below(1_000_000_000))),
                    to_number: Some(format!("+2347{:09}", seq.below(1_000_000_000))),
                    direction: Some(direction),
                    status: Some(status.clone()),
                    duration: Some(duration),
                    cost: Some(duration as f32 * 0.25),
                    latency_ms: Some(40 + seq.below(300) as i64),
                    phone_number_id: Some(phones[n % phones.len()]),
                    endpoint_id: (n % 4 != 0).then(|| Uuid::from_u128(0xe000 + n as u128 % 7)),
                    recording_url: (status == CallStatus::Completed)
                        .then(|| format!("https://recordings.example.com/{id}.wav")),
                    hangup_cause: (status != CallStatus::InProgress).then(|| {
                        match status {
                            CallStatus::Completed => "normal_clearing",
                            CallStatus::Busy => "user_busy",
                            CallStatus::NoAnswer => "no_answer",
                            _ => "network_error",
                        }
                        .to_owned()
                    }),
                    organization_id: Some(org),
                    created_at: Some(created),
                    answered_at: answered,
                    completed_at: completed,
                    quality_metrics: Some(CallDetailQualityMetrics {
                        mos: Some(3.0 + (seq.below(20) as f32) / 10.0),
                        jitter_ms: Some(seq.below(40) as i64),
                        packet_loss: Some((seq.below(50) as f32) / 10.0),
                    }),
                    events: Some(events),
                    transcript: (status == CallStatus::Completed).then(|| {
                        format!("Agent: Hello, this is KrosAI. How can I help? (call {n})")
                    }),
                };
                calls.insert(id, detail);
            }
        }
        Store {
            calls: Arc::new(RwLock::new(calls)),
        }
    }

    /// The calls of `organization` that pass the filters of `request`,
    /// newest first.
    pub fn matching(&self, organization: Uuid, request: &ListCallsRequest) -> Vec<Call> {
        let calls = self.calls.read().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Call> = calls
            .values()
            .filter(|c| c.organization_id == Some(organization))
            .filter(|c| request.status.is_none() || c.status == request.status)
            .filter(|c| request.direction.is_none() || c.direction == request.direction)
            .filter(|c| {
                request.phone_number_id.is_none() || c.phone_number_id == request.phone_number_id
            })
            .filter(|c| {
                let day = c.created_at.map(|t| t.date_naive());
                request
                    .start_date
                    .is_none_or(|start| day.is_some_and(|d| d >= start))
                    && request
                        .end_date
                        .is_none_or(|end| day.is_some_and(|d| d <= end))
            })
            .map(summary)
            .collect();
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        out
    }

    /// One call of `organization`, with its events.
    pub fn get(&self, organization: Uuid, id: Uuid) -> Option<CallDetail> {
        let calls = self.calls.read().unwrap_or_else(|e| e.into_inner());
        calls
            .get(&id)
            .filter(|c| c.organization_id == Some(organization))
            .cloned()
    }

    /// Removes a call of `organization` and its events; false if there was
    /// none.
    pub fn delete(&self, organization: Uuid, id: Uuid) -> bool {
        let mut calls = self.calls.write().unwrap_or_else(|e| e.into_inner());
        match calls.get(&id) {
            Some(c) if c.organization_id == Some(organization) => calls.remove(&id).is_some(),
            _ => false,
        }
    }
}

/// The `Call` part of a `CallDetail`.
pub fn summary(detail: &CallDetail) -> Call {
    Call {
        id: detail.id,
        from_number: detail.from_number.clone(),
        to_number: detail.to_number.clone(),
        direction: detail.direction.clone(),
        status: detail.status.clone(),
        duration: detail.duration,
        cost: detail.cost,
        latency_ms: detail.latency_ms,
        phone_number_id: detail.phone_number_id,
        endpoint_id: detail.endpoint_id,
        recording_url: detail.recording_url.clone(),
        hangup_cause: detail.hangup_cause.clone(),
        organization_id: detail.organization_id,
        created_at: detail.created_at,
        answered_at: detail.answered_at,
        completed_at: detail.completed_at,
    }
}

/// Counts of calls by status.
pub fn stats(calls: &[Call]) -> CallStats {
    let count = |status: CallStatus| {
        calls
            .iter()
            .filter(|c| c.status.as_ref() == Some(&status))
            .count() as i64
    };
    CallStats {
        completed: Some(count(CallStatus::Completed)),
        failed: Some(count(CallStatus::Failed)),
        in_progress: Some(count(CallStatus::InProgress)),
        no_answer: Some(count(CallStatus::NoAnswer)),
        busy: Some(count(CallStatus::Busy)),
    }
}

/// The caller of a request: the organization its key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    /// The organization the request acts for.
    pub organization: Uuid,
}

/// Accepts [`ALPHA_KEY`] and [`BETA_KEY`] (as a bearer token or in
/// `x-api-key`). A key acts for its own organization only: an
/// `x-organization-id` naming another one is refused with `403`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoKeys;

impl Authenticator for DemoKeys {
    type Principal = Principal;

    async fn authenticate(
        &self,
        credentials: &Credentials,
        parts: &axum::http::request::Parts,
    ) -> Result<Principal, Rejection> {
        let (Credentials::BearerAuth(key) | Credentials::ApiKeyAuth(key)) = credentials;
        let organization = match key.as_str() {
            ALPHA_KEY => ALPHA_ORG,
            BETA_KEY => BETA_ORG,
            _ => return Err(Rejection::Unauthorized("invalid API key".to_owned())),
        };
        // The router validates the header's format; here only membership
        // matters. An unparsable value is left for the router to reject.
        let requested = parts
            .headers
            .get("x-organization-id")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<Uuid>().ok());
        match requested {
            Some(requested) if requested != organization => Err(Rejection::Forbidden(
                "this API key does not belong to the requested organization".to_owned(),
            )),
            _ => Ok(Principal { organization }),
        }
    }
}

/// The reference [`CallsApi`]: the spec's behaviour over a [`Store`].
#[derive(Debug, Clone, Default)]
pub struct DemoCalls {
    /// The data.
    pub store: Store,
}

impl DemoCalls {
    /// Over the demo data set.
    pub fn demo() -> Self {
        DemoCalls {
            store: Store::demo(),
        }
    }
}

impl CallsApi for DemoCalls {
    type Principal = Principal;

    async fn list_calls(
        &self,
        context: &RequestContext<Principal>,
        request: ListCallsRequest,
    ) -> Result<ListCallsResponse, ListCallsResponse> {
        let organization = context.principal.organization;
        // A range that ends before it starts holds no calls (and no days):
        // the answers below are empty, not an error.
        match request.action {
            None => {
                let calls = self.store.matching(organization, &request);
                let total = calls.len() as i64;
                let total_pages = (total + request.limit - 1) / request.limit;
                let skip = usize::try_from((request.page - 1).saturating_mul(request.limit))
                    .unwrap_or(usize::MAX);
                let data = calls
                    .into_iter()
                    .skip(skip)
                    .take(usize::try_from(request.limit).unwrap_or(0))
                    .collect();
                Ok(ListCallsResponse::Ok(ListCallsOk::CallsListResponse(
                    CallsListResponse {
                        data,
                        total,
                        page: request.page,
                        limit: request.limit,
                        total_pages,
                    },
                )))
            }
            Some(ListCallsAction::Stats) => {
                let calls = self.store.matching(organization, &request);
                Ok(ListCallsResponse::Ok(ListCallsOk::CallStats(stats(&calls))))
            }
            Some(ListCallsAction::Trends) => {
                let end = request.end_date.unwrap_or_else(last_day);
                let start = match request.start_date {
                    Some(start) => start,
                    None => end.checked_sub_days(Days::new(29)).unwrap_or(end),
                };
                let mut filter = request.clone();
                filter.start_date = Some(start);
                filter.end_date = Some(end);
                // One pass over the calls, then one row per day: the spec's
                // date pattern bounds a range to 100 years.
                let mut by_day: BTreeMap<NaiveDate, Vec<Call>> = BTreeMap::new();
                for call in self.store.matching(organization, &filter) {
                    if let Some(day) = call.created_at.map(|t| t.date_naive()) {
                        by_day.entry(day).or_default().push(call);
                    }
                }
                let mut rows = Vec::new();
                for day in start.iter_days().take_while(|day| *day <= end) {
                    let counts = stats(by_day.get(&day).map_or(&[][..], Vec::as_slice));
                    rows.push(CallTrendsItem {
                        date: Some(day),
                        completed: counts.completed,
                        failed: counts.failed,
                        in_progress: counts.in_progress,
                        no_answer: counts.no_answer,
                        busy: counts.busy,
                    });
                }
                Ok(ListCallsResponse::Ok(ListCallsOk::CallTrends(rows)))
            }
            // The router only lets the spec's actions through; an action a
            // later spec adds is not one this server knows.
            Some(other) => Err(BadRequest::new(format!("unknown action `{other}`")).into()),
        }
    }

    async fn get_call(
        &self,
        context: &RequestContext<Principal>,
        request: GetCallRequest,
    ) -> Result<GetCallResponse, GetCallResponse> {
        let call = self
            .store
            .get(context.principal.organization, request.id)
            .ok_or_else(|| NotFound::new("call not found"))?;
        Ok(GetCallResponse::Ok(call))
    }

    async fn delete_call(
        &self,
        context: &RequestContext<Principal>,
        request: DeleteCallRequest,
    ) -> Result<DeleteCallResponse, DeleteCallResponse> {
        if self
            .store
            .delete(context.principal.organization, request.id)
        {
            Ok(DeleteCallResponse::NoContent)
        } else {
            Err(NotFound::new("call not found").into())
        }
    }
}
