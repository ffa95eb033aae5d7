//! The router builds (axum panics on a conflicting or malformed route) and
//! dispatches paths axum could not take as written.

mod common;

use krosai_fixtures::routes::server::{self, RequestContext};

struct Api;

impl server::DefaultApi for Api {
    type Principal = ();

    async fn own_spec(
        &self,
        _: &RequestContext<()>,
        _: server::OwnSpecRequest,
    ) -> Result<server::OwnSpecResponse, server::OwnSpecResponse> {
        Ok(server::OwnSpecResponse::Ok("the spec's own".to_owned()))
    }

    async fn first(
        &self,
        _: &RequestContext<()>,
        request: server::FirstRequest,
    ) -> Result<server::FirstResponse, server::FirstResponse> {
        Ok(server::FirstResponse::Ok(request.x))
    }

    async fn second(
        &self,
        _: &RequestContext<()>,
        _: server::SecondRequest,
    ) -> Result<server::SecondResponse, server::SecondResponse> {
        Ok(server::SecondResponse::Ok)
    }

    async fn third(
        &self,
        _: &RequestContext<()>,
        request: server::ThirdRequest,
    ) -> Result<server::ThirdResponse, server::ThirdResponse> {
        assert_eq!(request.y, "9");
        Ok(server::ThirdResponse::NoContent)
    }

    async fn fourth(
        &self,
        _: &RequestContext<()>,
        request: server::FourthRequest,
    ) -> Result<server::FourthResponse, server::FourthResponse> {
        Ok(server::FourthResponse::Ok(format!(
            "{}|{}|{}",
            request.x, request.y, request.z
        )))
    }
}

#[tokio::test]
async fn the_router_builds_and_dispatches_every_routable_operation() {
    let base = common::serve(server::router(Api, server::NoAuthentication)).await;
    let get = |path: &str| {
        let url = format!("{base}{path}");
        async move {
            let response = reqwest::get(url).await.expect("answered");
            let status = response.status().as_u16();
            (status, response.text().await.expect("a body"))
        }
    };
    // The spec's own `/openapi.json` wins over the generated one.
    assert_eq!(
        get("/openapi.json").await,
        (200, "the spec's own".to_owned())
    );
    // `/a/{y}` GET is the same route as `/a/{x}` GET: the first one serves.
    assert_eq!(get("/a/1").await, (200, "1".to_owned()));
    // Its PUT is routed on the shared path.
    let put = reqwest::Client::new()
        .put(format!("{base}/a/9"))
        .send()
        .await
        .expect("answered");
    assert_eq!(put.status().as_u16(), 204);
    // A segment mixing parameters and text.
    assert_eq!(
        get("/b/one/two.three").await,
        (200, "one|two|three".to_owned())
    );
    assert_eq!(get("/b/one/no-dot").await.0, 404);
}
