//! Operation naming and grouping, through the generated client and server:
//! a missing operationId is named from method and path, a duplicate one is
//! renamed (`get_thing_2`), untagged operations land in `DefaultApi`, and
//! callbacks, links, examples and `x-` extensions change nothing.
#![allow(deprecated)]

mod common;

use krosai_fixtures::operations::client::Client;
use krosai_fixtures::operations::server::{self, DefaultApi, RequestContext, ThingsApi};
use krosai_fixtures::operations::types::Thing;

struct Things;

impl ThingsApi for Things {
    type Principal = ();

    async fn get_things(
        &self,
        _: &RequestContext<()>,
        request: server::GetThingsRequest,
    ) -> Result<server::GetThingsResponse, server::GetThingsResponse> {
        let count = request.limit.unwrap_or(2);
        Ok(server::GetThingsResponse::Ok(
            (1..=count).map(Thing::new).collect(),
        ))
    }

    async fn create_thing(
        &self,
        _: &RequestContext<()>,
        request: server::CreateThingRequest,
    ) -> Result<server::CreateThingResponse, server::CreateThingResponse> {
        assert_eq!(request.body.secret.as_deref(), Some("s3cret"));
        Ok(server::CreateThingResponse::Created)
    }

    async fn get_thing(
        &self,
        _: &RequestContext<()>,
        request: server::GetThingRequest,
    ) -> Result<server::GetThingResponse, server::GetThingResponse> {
        let mut thing = Thing::new(request.id);
        thing.legacy = Some("old".to_owned());
        Ok(server::GetThingResponse::Ok(thing))
    }
}

impl DefaultApi for Things {
    type Principal = ();

    async fn get_thing_2(
        &self,
        _: &RequestContext<()>,
        request: server::GetThingRequest2,
    ) -> Result<server::GetThingResponse2, server::GetThingResponse2> {
        assert_eq!((request.id, request.force), (9, Some(true)));
        Ok(server::GetThingResponse2::NoContent)
    }

    async fn admin_only(
        &self,
        _: &RequestContext<()>,
        _: server::AdminOnlyRequest,
    ) -> Result<server::AdminOnlyResponse, server::AdminOnlyResponse> {
        Ok(server::AdminOnlyResponse::NoContent)
    }

    async fn get_health(
        &self,
        _: &RequestContext<()>,
        _: server::GetHealthRequest,
    ) -> Result<server::GetHealthResponse, server::GetHealthResponse> {
        Ok(server::GetHealthResponse::Ok)
    }
}

#[tokio::test]
async fn every_operation_is_a_client_method_and_a_trait_method() {
    let base = common::serve(server::router(Things, server::NoAuthentication)).await;
    let client = Client::new(base).expect("valid base URL");

    // `GET /things` has no operationId: `get_things`.
    let things = client.get_things().limit(3).await.expect("200");
    assert_eq!(
        things.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );

    let mut thing = Thing::new(0);
    thing.secret = Some("s3cret".to_owned());
    let created = client.create_thing(thing).await.expect("201");
    assert_eq!(created.status().as_u16(), 201);

    let thing = client.get_thing(4).await.expect("200");
    assert_eq!(thing.id, 4);

    // The second `getThing` (a DELETE) is `get_thing_2`, and deprecated.
    let deleted = client.get_thing_2(9).force(true).await.expect("204");
    assert_eq!(deleted.status().as_u16(), 204);

    // Untagged, unnamed: `get_health` in `DefaultApi`.
    let health = client.get_health().await.expect("200");
    assert_eq!(health.status().as_u16(), 200);
}

#[tokio::test]
async fn no_authentication_refuses_secured_operations_only() {
    let base = common::serve(server::router(Things, server::NoAuthentication)).await;
    let client = Client::builder(base)
        .api_key("anything")
        .build()
        .expect("valid base URL");
    match client.admin_only().await {
        Err(krosai_fixtures::operations::client::ClientError::UnexpectedStatus {
            status, ..
        }) => {
            assert_eq!(status.as_u16(), 401)
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    assert!(client.get_health().await.is_ok());
}

/// Accepts only the key sent under the `api_key` scheme (`x-key-two`).
struct SecondKeyOnly;

impl server::Authenticator for SecondKeyOnly {
    type Principal = ();

    async fn authenticate(
        &self,
        credentials: &server::Credentials,
        _: &axum::http::request::Parts,
    ) -> Result<(), server::Rejection> {
        match credentials {
            server::Credentials::ApiKey2(key) if key == "two" => Ok(()),
            _ => Err(server::Rejection::Unauthorized(
                "not the second key".to_owned(),
            )),
        }
    }
}

#[tokio::test]
async fn schemes_whose_names_collide_once_cased_are_told_apart() {
    use krosai_fixtures::operations::client::AuthScheme;
    let base = common::serve(server::router(Things, SecondKeyOnly)).await;
    // `api-key` is `ApiKey` (x-key-one), `api_key` is `ApiKey2` (x-key-two).
    let second = Client::builder(base.clone())
        .api_key_with(AuthScheme::ApiKey2, "two")
        .build()
        .expect("valid base URL");
    assert!(second.admin_only().await.is_ok());
    let first = Client::builder(base)
        .api_key_with(AuthScheme::ApiKey, "two")
        .build()
        .expect("valid base URL");
    assert!(
        first.admin_only().await.is_err(),
        "x-key-one is not x-key-two"
    );
}
