//! Request bodies in every encoding, through the generated client and the
//! generated server together: what the client encodes, the server must
//! decode into the same typed value.

mod common;

use krosai_fixtures::bodies::client::Client;
use krosai_fixtures::bodies::server::{self, RequestContext};
use krosai_fixtures::bodies::types::*;

/// Echoes every body back.
struct Echo;

impl server::DefaultApi for Echo {
    type Principal = ();

    async fn create_note(
        &self,
        _: &RequestContext<()>,
        request: server::CreateNoteRequest,
    ) -> Result<server::CreateNoteResponse, server::CreateNoteResponse> {
        Ok(server::CreateNoteResponse::Created(request.body))
    }

    async fn touch_notes(
        &self,
        _: &RequestContext<()>,
        request: server::TouchNotesRequest,
    ) -> Result<server::TouchNotesResponse, server::TouchNotesResponse> {
        // Only the absent body is expected here (see the test).
        assert_eq!(request.body, None);
        Ok(server::TouchNotesResponse::NoContent)
    }

    async fn create_customer(
        &self,
        _: &RequestContext<()>,
        request: server::CreateCustomerRequest,
    ) -> Result<server::CreateCustomerResponse, server::CreateCustomerResponse> {
        Ok(server::CreateCustomerResponse::Ok(request.body))
    }

    async fn upload_file(
        &self,
        _: &RequestContext<()>,
        request: server::UploadFileRequest,
    ) -> Result<server::UploadFileResponse, server::UploadFileResponse> {
        let upload = request.body;
        let mut receipt = UploadReceipt::new(
            upload.file.len() as i64,
            upload.attachments.map_or(0, |a| a.len() as i64),
            upload.title,
        );
        receipt.copies = upload.copies.map(i64::from);
        receipt.visibility = upload.visibility.map(|v| v.to_string());
        receipt.source = upload.meta.and_then(|m| m.source);
        Ok(server::UploadFileResponse::Ok(receipt))
    }

    async fn upload_avatar(
        &self,
        _: &RequestContext<()>,
        _: server::UploadAvatarRequest,
    ) -> Result<server::UploadAvatarResponse, server::UploadAvatarResponse> {
        Ok(server::UploadAvatarResponse::NoContent)
    }

    async fn upload_attachment(
        &self,
        _: &RequestContext<()>,
        request: server::UploadAttachmentRequest,
    ) -> Result<server::UploadAttachmentResponse, server::UploadAttachmentResponse> {
        // Without a schema the server gets the raw multipart bytes.
        // (A failed assertion here fails the request, and so the test.)
        let text = String::from_utf8_lossy(&request.body);
        assert!(
            text.contains("name=\"note\"") && text.contains("kept as sent"),
            "{text}"
        );
        Ok(server::UploadAttachmentResponse::NoContent)
    }

    async fn put_blob(
        &self,
        _: &RequestContext<()>,
        request: server::PutBlobRequest,
    ) -> Result<server::PutBlobResponse, server::PutBlobResponse> {
        Ok(server::PutBlobResponse::Ok(request.body))
    }

    async fn echo_text(
        &self,
        _: &RequestContext<()>,
        request: server::EchoTextRequest,
    ) -> Result<server::EchoTextResponse, server::EchoTextResponse> {
        Ok(server::EchoTextResponse::Ok(
            request.body.unwrap_or_default(),
        ))
    }
}

fn address(city: Option<&str>, zip: Option<&str>) -> CustomerFormAddress {
    let mut address = CustomerFormAddress::default();
    address.city = city.map(str::to_owned);
    address.zip = zip.map(str::to_owned);
    address
}

async fn client() -> Client {
    let base = common::serve(server::router(Echo, server::NoAuthentication)).await;
    Client::new(base).expect("valid base URL")
}

#[tokio::test]
async fn json_bodies_required_and_optional() {
    let client = client().await;
    let mut note = Note::new("hello".to_owned());
    note.pinned = Some(true);
    note.colour = None;
    let created = client.create_note(note.clone()).await.expect("created");
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(*created, note);
    // The optional body left out: the server sees `None`.
    let touched = client.touch_notes().await.expect("no body is fine");
    assert_eq!(touched.status().as_u16(), 204);
    // Set, it travels as JSON under the spec's media type.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("PATCH"))
        .and(wiremock::matchers::header(
            "content-type",
            "application/merge-patch+json",
        ))
        .and(wiremock::matchers::body_json(
            serde_json::json!({"text": "hello", "pinned": true}),
        ))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("valid base URL");
    let sent = client.touch_notes().body(note).await;
    assert!(sent.is_ok(), "the body did not match: {sent:?}");
}

#[tokio::test]
async fn form_bodies_carry_arrays_and_nested_objects() {
    let client = client().await;
    let mut customer = CustomerForm::new("Ada & Co".to_owned());
    customer.age = Some(36);
    customer.tags = Some(vec!["a b".to_owned(), "c=d".to_owned()]);
    customer.address = Some(address(Some("Zürich"), Some("8001")));
    customer.kind = Some(CustomerFormKind::Company);
    let echoed = client
        .create_customer(customer.clone())
        .await
        .expect("decoded");
    assert_eq!(*echoed, customer);
}

#[tokio::test]
async fn form_bodies_are_sent_as_the_spec_writes_them() {
    // The wire form: repeated keys for arrays, brackets for objects.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::header(
            "content-type",
            "application/x-www-form-urlencoded",
        ))
        .and(wiremock::matchers::body_string(
            "name=Ada&tags=x&tags=y&address%5Bcity%5D=Bern",
        ))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "ok"})),
        )
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("valid base URL");
    let mut customer = CustomerForm::new("Ada".to_owned());
    customer.age = None;
    customer.tags = Some(vec!["x".to_owned(), "y".to_owned()]);
    customer.address = Some(address(Some("Bern"), None));
    customer.kind = None;
    let sent = client.create_customer(customer).await;
    assert!(sent.is_ok(), "the body did not match: {sent:?}");
}

#[tokio::test]
async fn multipart_bodies_carry_files_text_numbers_enums_and_json() {
    let client = client().await;
    // Not UTF-8: a file part is bytes.
    let file = vec![0u8, 159, 146, 150, 255];
    let mut upload = Upload::new(file.clone(), "scan".to_owned());
    upload.attachments = Some(vec![vec![1, 2], vec![3]]);
    upload.copies = Some(3);
    upload.visibility = Some(UploadVisibility::Private);
    let mut meta = UploadMeta::default();
    meta.source = Some("scanner".to_owned());
    upload.meta = Some(meta);
    let receipt = client.upload_file(upload).await.expect("uploaded");
    let mut expected = UploadReceipt::new(5, 2, "scan".to_owned());
    expected.copies = Some(3);
    expected.visibility = Some("private".to_owned());
    expected.source = Some("scanner".to_owned());
    assert_eq!(*receipt, expected);
}

#[tokio::test]
async fn multipart_bodies_missing_a_required_part_are_a_400() {
    let base = common::serve(server::router(Echo, server::NoAuthentication)).await;
    let form = reqwest::multipart::Form::new().text("copies", "two");
    let response = reqwest::Client::new()
        .post(format!("{base}/files"))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.expect("a body");
    // Every problem is listed: both missing parts and the bad number.
    for needle in ["\"file\"", "\"title\"", "\"copies\""] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
}

#[tokio::test]
async fn binary_and_text_bodies_travel_untouched() {
    let client = client().await;
    let blob = vec![0u8, 1, 2, 255, 254];
    let echoed = client.put_blob(blob.clone()).await.expect("echoed");
    assert_eq!(*echoed, blob);
    let text = client
        .echo_text()
        .body("héllo\nworld".to_owned())
        .await
        .expect("echoed");
    assert_eq!(text.as_str(), "héllo\nworld");
}

/// Generated types keep enum values the spec does not list, but a generated
/// server holds requests to the spec: such a value in a JSON, form or
/// multipart body is a 400, whichever client sent it.
#[tokio::test]
async fn enum_values_outside_the_spec_in_request_bodies_are_a_400() {
    let base = common::serve(server::router(Echo, server::NoAuthentication)).await;
    let http = reqwest::Client::new();
    let json = |colour: &str| {
        http.post(format!("{base}/notes"))
            .header("content-type", "application/json")
            .body(serde_json::json!({"text": "t", "colour": colour}).to_string())
            .send()
    };
    assert_eq!(json("yellow").await.expect("answered").status(), 201);
    let refused = json("red").await.expect("answered");
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.expect("a body");
    assert!(text.contains("unknown variant `red`"), "{text}");
    let form = http
        .post(format!("{base}/customers"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=n&kind=robot")
        .send()
        .await
        .expect("answered");
    assert_eq!(form.status(), 400);
    let parts = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(vec![1u8]))
        .text("title", "t")
        .text("visibility", "secret");
    let multipart = http
        .post(format!("{base}/files"))
        .multipart(parts)
        .send()
        .await
        .expect("answered");
    assert_eq!(multipart.status(), 400);
    let text = multipart.text().await.expect("a body");
    assert!(text.contains("\"visibility\""), "{text}");
    // The typed client can send such a value (a newer server may take it);
    // this server answers 400, and nothing reaches the implementation.
    let client = Client::new(base).expect("valid base URL");
    let mut newer = Note::new("t".to_owned());
    newer.pinned = None;
    newer.colour = Some("red".parse().expect("open enums take any text"));
    let error = client.create_note(newer).await.expect_err("refused");
    assert!(error.to_string().contains("400"), "{error}");
}

#[tokio::test]
async fn a_malformed_form_body_is_a_400_not_a_500() {
    let base = common::serve(server::router(Echo, server::NoAuthentication)).await;
    let response = reqwest::Client::new()
        .post(format!("{base}/customers"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("age=old")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.expect("a body");
    assert!(text.contains("expected i64"), "{text}");
}

#[tokio::test]
async fn a_query_string_key_is_added_to_the_url() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/avatars"))
        .and(wiremock::matchers::query_param("access_token", "k3y"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .api_key("k3y")
        .build()
        .expect("valid base URL");
    let sent = client
        .upload_avatar()
        .body({
            let mut avatar = UploadAvatarBody::default();
            avatar.image = Some(vec![1, 2, 3]);
            avatar
        })
        .await;
    assert!(sent.is_ok(), "the key was not in the query: {sent:?}");
}

#[tokio::test]
async fn multipart_bodies_without_a_schema_are_forms_the_caller_builds() {
    let client = client().await;
    let form = reqwest::multipart::Form::new().text("note", "kept as sent");
    // The builder holds a `Form`, which is not `Clone`: it must still build.
    let request = client.upload_attachment(form);
    let sent = request.await.expect("sent");
    assert_eq!(sent.status().as_u16(), 204);
}

/// Hostile JSON bodies (nested far deeper than any parser recurses, not
/// UTF-8, truncated, or another type at the top) are 400s in the error
/// schema: never a 500 or a crashed server.
#[tokio::test]
async fn hostile_json_bodies_are_400s() {
    let base = common::serve(server::router(Echo, server::NoAuthentication)).await;
    let http = reqwest::Client::new();
    let nested_object = "{\"text\":".repeat(50_000);
    let bodies: [(&str, Vec<u8>); 5] = [
        ("nested arrays", "[".repeat(100_000).into_bytes()),
        ("nested objects", nested_object.into_bytes()),
        ("not UTF-8", b"{\"text\": \"\xff\xfe\"}".to_vec()),
        ("truncated", b"{\"text\": \"abc".to_vec()),
        ("an array", b"[{\"text\": \"a\"}]".to_vec()),
    ];
    for (name, body) in bodies {
        let answer = http
            .post(format!("{base}/notes"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status(), 400, "{name}");
        let body: serde_json::Value =
            serde_json::from_str(&answer.text().await.expect("a body")).expect("JSON");
        assert_eq!(body["code"], "invalid_request", "{name}: {body}");
    }
    // The server still answers.
    let answer = http
        .post(format!("{base}/notes"))
        .header("content-type", "application/json")
        .body(r#"{"text": "fine"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 201);
}

/// A body over the router's limit is a 413 in the spec's error schema, and
/// the same body is taken under a larger limit.
#[tokio::test]
async fn a_body_over_the_limit_is_a_413() {
    let limits = server::Limits::new().body_bytes(1024);
    let base = common::serve(server::router_with(Echo, server::NoAuthentication, limits)).await;
    let http = reqwest::Client::new();
    let note = |size: usize| {
        http.post(format!("{base}/notes"))
            .header("content-type", "application/json")
            .body(serde_json::json!({"text": "x".repeat(size)}).to_string())
            .send()
    };
    assert_eq!(note(100).await.expect("answered").status(), 201);
    let refused = note(4096).await.expect("answered");
    assert_eq!(refused.status(), 413);
    let body: serde_json::Value =
        serde_json::from_str(&refused.text().await.expect("a body")).expect("JSON");
    assert_eq!(body["code"], "payload_too_large");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("1024 bytes")),
        "{body}"
    );
}

/// A client that never finishes its body gets a 408 once the router's
/// time is up, in the spec's error schema; other requests are served
/// meanwhile.
#[tokio::test]
async fn a_trickled_body_is_a_408_when_time_is_up() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let limits = server::Limits::new().timeout(std::time::Duration::from_millis(300));
    let base = common::serve(server::router_with(Echo, server::NoAuthentication, limits)).await;
    let address = base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host and port")
        .to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    let started = std::time::Instant::now();
    slow.write_all(
        b"POST /notes HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"text\":",
    )
    .await
    .expect("writes");
    // Meanwhile, a request that is complete is answered.
    let quick = reqwest::Client::new()
        .post(format!("{base}/notes"))
        .header("content-type", "application/json")
        .body(r#"{"text":"quick"}"#)
        .send()
        .await
        .expect("answered");
    assert_eq!(quick.status(), 201);
    let mut answer = Vec::new();
    let mut chunk = [0u8; 1024];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = slow.read(&mut chunk).await.expect("reads");
        assert!(read > 0, "closed without an answer");
        answer.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    // Not before the limit: the wait is the behaviour.
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
}

/// A POST is sent again after a 503 only when it carries the idempotency
/// key the spec declares.
#[tokio::test]
async fn a_post_is_retried_only_with_an_idempotency_key() {
    use krosai_fixtures::bodies::client::RetryPolicy;
    use wiremock::matchers::{header_exists, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"text": "t"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::new().initial_backoff(std::time::Duration::from_millis(10)))
        .build()
        .expect("client builds");
    // Without a key: the 503 is the answer.
    let error = client
        .create_note(Note::new("t".to_owned()))
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 1);

    // With one: sent again, and the second attempt succeeds.
    server.reset().await;
    Mock::given(method("POST"))
        .and(header_exists("idempotency-key"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"text": "t"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let note = client
        .create_note(Note::new("t".to_owned()))
        .idempotency_key("k-1".to_owned())
        .await
        .expect("retried");
    assert_eq!(note.body().text, "t");
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 2);
}
