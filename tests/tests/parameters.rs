//! Parameters in every location and style, through the generated client
//! and server together (what the client sends, the server must read back
//! as the same values), and on the wire against the OpenAPI style tables.

mod common;

use std::sync::Mutex;

use krosai_fixtures::parameters::client::Client;
use krosai_fixtures::parameters::server::{self, RequestContext};
use krosai_fixtures::parameters::types::*;

/// Keeps the last request of each operation.
#[derive(Default)]
struct Recorder {
    arrays: Mutex<Option<server::PathArraysRequest>>,
    objects: Mutex<Option<server::PathObjectsRequest>>,
    scalars: Mutex<Option<server::PathScalarsRequest>>,
    query: Mutex<Option<server::QueryStylesRequest>>,
    form: Mutex<Option<server::FormObjectRequest>>,
    file: Mutex<Option<server::GetFileRequest>>,
    compare: Mutex<Option<server::CompareRequest>>,
}

fn keep<T>(slot: &Mutex<Option<T>>, value: T) {
    *slot.lock().expect("not poisoned") = Some(value);
}

fn take<T>(slot: &Mutex<Option<T>>) -> T {
    slot.lock()
        .expect("not poisoned")
        .take()
        .expect("the server saw the request")
}

impl server::DefaultApi for &'static Recorder {
    type Principal = ();

    async fn path_arrays(
        &self,
        _: &RequestContext<()>,
        request: server::PathArraysRequest,
    ) -> Result<server::PathArraysResponse, server::PathArraysResponse> {
        keep(&self.arrays, request);
        Ok(server::PathArraysResponse::NoContent)
    }

    async fn path_objects(
        &self,
        _: &RequestContext<()>,
        request: server::PathObjectsRequest,
    ) -> Result<server::PathObjectsResponse, server::PathObjectsResponse> {
        keep(&self.objects, request);
        Ok(server::PathObjectsResponse::NoContent)
    }

    async fn path_scalars(
        &self,
        _: &RequestContext<()>,
        request: server::PathScalarsRequest,
    ) -> Result<server::PathScalarsResponse, server::PathScalarsResponse> {
        keep(&self.scalars, request);
        Ok(server::PathScalarsResponse::NoContent)
    }

    async fn query_styles(
        &self,
        _: &RequestContext<()>,
        request: server::QueryStylesRequest,
    ) -> Result<server::QueryStylesResponse, server::QueryStylesResponse> {
        keep(&self.query, request);
        Ok(server::QueryStylesResponse::NoContent)
    }

    async fn form_object(
        &self,
        _: &RequestContext<()>,
        request: server::FormObjectRequest,
    ) -> Result<server::FormObjectResponse, server::FormObjectResponse> {
        keep(&self.form, request);
        Ok(server::FormObjectResponse::NoContent)
    }

    async fn get_file(
        &self,
        _: &RequestContext<()>,
        request: server::GetFileRequest,
    ) -> Result<server::GetFileResponse, server::GetFileResponse> {
        keep(&self.file, request);
        Ok(server::GetFileResponse::NoContent)
    }

    async fn compare(
        &self,
        _: &RequestContext<()>,
        request: server::CompareRequest,
    ) -> Result<server::CompareResponse, server::CompareResponse> {
        keep(&self.compare, request);
        Ok(server::CompareResponse::NoContent)
    }
}

async fn setup() -> (&'static Recorder, Client) {
    let recorder: &'static Recorder = Box::leak(Box::default());
    let base = common::serve(server::router(recorder, server::NoAuthentication)).await;
    (recorder, Client::new(base).expect("valid base URL"))
}

fn color(r: i64, g: i64, name: Option<&str>) -> Color {
    let mut color = Color::new(r, g);
    color.name = name.map(str::to_owned);
    color
}

fn filter(status: Option<&str>, min_age: Option<i64>) -> Filter {
    let mut filter = Filter::default();
    filter.status = status.map(str::to_owned);
    filter.min_age = min_age;
    filter
}

fn paging(offset: Option<i64>, limit: Option<i64>) -> Paging {
    let mut paging = Paging::default();
    paging.offset = offset;
    paging.limit = limit;
    paging
}

#[tokio::test]
async fn path_arrays_in_simple_label_and_matrix_styles_round_trip() {
    let (recorder, client) = setup().await;
    client
        .path_arrays(
            vec![3, 4, 5],
            vec!["a".to_owned(), "b c".to_owned()],
            vec!["x".to_owned(), "y".to_owned()],
        )
        .await
        .expect("204");
    let seen = take(&recorder.arrays);
    assert_eq!(seen.simple, vec![3, 4, 5]);
    assert_eq!(seen.label, vec!["a".to_owned(), "b c".to_owned()]);
    assert_eq!(seen.matrix, vec!["x".to_owned(), "y".to_owned()]);
}

#[tokio::test]
async fn path_objects_and_scalars_round_trip() {
    let (recorder, client) = setup().await;
    client
        .path_objects(
            color(1, 2, Some("teal")),
            color(3, 4, None),
            color(5, 6, Some("red")),
        )
        .await
        .expect("204");
    let seen = take(&recorder.objects);
    assert_eq!(seen.simple, color(1, 2, Some("teal")));
    assert_eq!(seen.label, color(3, 4, None));
    assert_eq!(seen.matrix, color(5, 6, Some("red")));

    client
        .path_scalars(-7, "m n".to_owned())
        .await
        .expect("204");
    let seen = take(&recorder.scalars);
    assert_eq!((seen.label, seen.matrix.as_str()), (-7, "m n"));
}

#[tokio::test]
async fn query_header_and_cookie_styles_round_trip() {
    let (recorder, client) = setup().await;
    let open_adults = filter(Some("open"), Some(18));
    client
        .query_styles()
        .lang("pt-BR".to_owned())
        .ids(vec![1, 2])
        .tags(vec!["t1".to_owned(), "t2".to_owned()])
        .words(vec!["hello".to_owned(), "world".to_owned()])
        .codes(vec![7, 8, 9])
        .filter(open_adults.clone())
        .r#where(filter(Some("a|b"), None))
        .x_trace("abc".to_owned())
        .x_ids(vec![10, 11])
        .x_color(color(9, 8, None))
        .session("s1".to_owned())
        .prefs(vec!["dark".to_owned(), "compact".to_owned()])
        .theme(color(0, 255, Some("lime")))
        .await
        .expect("204");
    let seen = take(&recorder.query);
    let mut expected = server::QueryStylesRequest::default();
    expected.lang = Some("pt-BR".to_owned());
    expected.ids = Some(vec![1, 2]);
    expected.tags = Some(vec!["t1".to_owned(), "t2".to_owned()]);
    expected.words = Some(vec!["hello".to_owned(), "world".to_owned()]);
    expected.codes = Some(vec![7, 8, 9]);
    expected.filter = Some(open_adults);
    expected.r#where = Some(filter(Some("a|b"), None));
    expected.x_trace = Some("abc".to_owned());
    expected.x_ids = Some(vec![10, 11]);
    expected.x_color = Some(color(9, 8, None));
    expected.session = Some("s1".to_owned());
    expected.prefs = Some(vec!["dark".to_owned(), "compact".to_owned()]);
    expected.theme = Some(color(0, 255, Some("lime")));
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn exploded_form_objects_spread_over_the_query() {
    let (recorder, client) = setup().await;
    client
        .form_object()
        .paging(paging(Some(20), Some(10)))
        .point(color(1, 2, None))
        .await
        .expect("204");
    let seen = take(&recorder.form);
    assert_eq!(seen.paging, Some(paging(Some(20), Some(10))));
    assert_eq!(seen.point, Some(color(1, 2, None)));
    // `origin` shares the query with `paging`, but none of its properties
    // was sent: it is absent, not a broken object.
    assert_eq!(seen.origin, None);

    client
        .form_object()
        .origin(color(7, 8, Some("o")))
        .await
        .expect("204");
    let seen = take(&recorder.form);
    assert_eq!(seen.origin, Some(color(7, 8, Some("o"))));
    assert_eq!(seen.paging, None);
}

#[tokio::test]
async fn the_wire_follows_the_style_tables() {
    use wiremock::matchers::{method, path, query_param};
    let mock = wiremock::MockServer::start().await;
    let ok = wiremock::ResponseTemplate::new(204);
    // simple `3,4`, label exploded `.a.b`, matrix `;matrix=x,y`.
    wiremock::Mock::given(method("GET"))
        .and(path("/arrays/3,4/.a.b/;matrix=x,y"))
        .respond_with(ok.clone())
        .mount(&mock)
        .await;
    // Objects: simple exploded `r=1,g=2`, label `.r,3,g,4`, matrix exploded `;r=5;g=6`.
    wiremock::Mock::given(method("GET"))
        .and(path("/objects/r=1,g=2/.r,3,g,4/;r=5;g=6"))
        .respond_with(ok.clone())
        .mount(&mock)
        .await;
    wiremock::Mock::given(method("GET"))
        .and(path("/query"))
        .and(query_param("tags", "t1,t2"))
        .and(query_param("words", "hello world"))
        .and(query_param("codes", "7|8"))
        .and(query_param("filter[status]", "open"))
        .and(query_param("where", r#"{"min_age":3}"#))
        // Raw values: wiremock's header matcher would split on commas.
        .and(|request: &wiremock::Request| {
            let raw = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
            raw("x-ids") == Some("10,11")
                && raw("x-color") == Some("r=9,g=8")
                && raw("cookie") == Some("prefs=dark,compact")
        })
        .respond_with(ok.clone())
        .mount(&mock)
        .await;
    let client = Client::new(mock.uri()).expect("valid base URL");
    client
        .path_arrays(
            vec![3, 4],
            vec!["a".to_owned(), "b".to_owned()],
            vec!["x".to_owned(), "y".to_owned()],
        )
        .await
        .expect("the path arrays match the style table");
    client
        .path_objects(color(1, 2, None), color(3, 4, None), color(5, 6, None))
        .await
        .expect("the path objects match the style table");
    let sent = client
        .query_styles()
        .tags(vec!["t1".to_owned(), "t2".to_owned()])
        .words(vec!["hello".to_owned(), "world".to_owned()])
        .codes(vec![7, 8])
        .filter(filter(Some("open"), None))
        .r#where(filter(None, Some(3)))
        .x_ids(vec![10, 11])
        .x_color(color(9, 8, None))
        .prefs(vec!["dark".to_owned(), "compact".to_owned()])
        .await;
    let received = mock.received_requests().await.unwrap_or_default();
    let last = received
        .last()
        .map(|r| format!("{} {:?}", r.url, r.headers));
    assert!(
        sent.is_ok(),
        "the query, headers and cookie do not match the style tables: {last:?}"
    );
}

#[tokio::test]
async fn a_malformed_styled_value_is_a_400() {
    let (_, client) = setup().await;
    let base = client.base_url().trim_end_matches('/').to_owned();
    for url in [
        // `r` is not an integer.
        format!("{base}/objects/r=x,g=2/.r,3,g,4/;r=5;g=6"),
        // A deepObject property of the wrong type.
        format!("{base}/query?filter%5Bmin_age%5D=old"),
        // Not JSON in a `content` parameter.
        format!("{base}/query?where=%7Bnope"),
    ] {
        let response = reqwest::get(&url).await.expect("answered");
        assert_eq!(response.status().as_u16(), 400, "{url}");
    }
}

#[tokio::test]
async fn parameters_sharing_a_segment_with_text_are_split() {
    let (recorder, client) = setup().await;
    client
        .get_file("report.final".to_owned(), GetFileExt::Csv)
        .await
        .expect("204");
    let seen = take(&recorder.file);
    assert_eq!(
        (seen.name.as_str(), seen.ext),
        ("report.final", GetFileExt::Csv)
    );

    client.compare("v1.2".to_owned(), 7).await.expect("204");
    let seen = take(&recorder.compare);
    assert_eq!((seen.base.as_str(), seen.head), ("v1.2", 7));

    let base = client.base_url().trim_end_matches('/').to_owned();
    // Not the template's shape: no such resource.
    let response = reqwest::get(format!("{base}/compare/nothing-to-split"))
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 404);
    // The shape, but a bad value: a 400 naming the parameter.
    let response = reqwest::get(format!("{base}/files/a.pdf"))
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().await.expect("a body").contains("ext"));
}
