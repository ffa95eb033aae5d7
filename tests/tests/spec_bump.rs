//! A spec bump seen from a deployed client: the client generated from the
//! old version (`fixtures/diff/base.yaml`) against a server that sends
//! bodies built with the types of a new version (one per additive change
//! of `fixtures/diff/changes`). Each body decodes, and nothing the new
//! server said is lost.

use krosai_fixtures::diff_old::client::{Client, ClientError};
use krosai_fixtures::diff_old::types as old;
use krosai_fixtures::diff_variant_added;
use krosai_fixtures::{diff_enum_value_added, diff_response_added, diff_response_field_added};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "7f0c4f9e-39a5-4c1e-9d6b-1f0d7c9a5b11";

fn id() -> uuid::Uuid {
    ID.parse().unwrap()
}

/// A server answering `GET route` with `status` and this JSON body.
async fn server(route: &str, status: u16, body: &impl serde::Serialize) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .api_key("key")
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_new_enum_value_is_kept_by_an_old_client() {
    use diff_enum_value_added::types::{Kind, Pet, PetPage};
    let mut bird = Pet::new(id(), "Tweety".to_owned());
    bird.kind = Some(Kind::Bird);
    let mut cat = Pet::new(id(), "Tom".to_owned());
    cat.kind = Some(Kind::Cat);
    let page = PetPage::new(vec![bird, cat]);
    let (_server, client) = server("/pets", 200, &page).await;

    let page = client.list_pets().await.unwrap().into_inner();
    // The whole page decodes: the known value as before, the new one kept.
    assert_eq!(page.items.len(), 2);
    let kept = page.items[0].kind.clone().unwrap();
    assert!(!kept.is_known());
    assert_eq!(kept.as_str(), "bird");
    assert_eq!(serde_json::to_value(&kept).unwrap(), "bird");
    assert_eq!(page.items[1].kind, Some(old::Kind::Cat));
}

#[tokio::test]
async fn a_new_optional_field_is_ignored_by_an_old_client() {
    use diff_response_field_added::types::Pet;
    let mut pet = Pet::new(id(), "Rex".to_owned());
    pet.colour = Some("brown".to_owned());
    pet.age = Some(3);
    let (_server, client) = server(&format!("/pets/{ID}"), 200, &pet).await;

    let decoded = client.get_pet(id()).await.unwrap().into_inner();
    assert_eq!(decoded.name, "Rex");
    assert_eq!(decoded.age, Some(3));
    assert_eq!(decoded.id, id());
}

#[tokio::test]
async fn a_new_union_variant_is_kept_as_json_by_an_old_client() {
    use diff_variant_added::types::{Picture, Video};
    let video = Picture::Video(Video::new("video".to_owned(), 12));
    let json = serde_json::to_value(&video).unwrap();
    let (_server, client) = server(&format!("/pets/{ID}/photo"), 200, &video).await;

    let decoded = client.get_photo(id()).await.unwrap().into_inner();
    match &decoded {
        old::Picture::Unknown(value) => assert_eq!(value, &json),
        other => panic!("expected the unknown variant, got {other:?}"),
    }
    // Written back, it is what the server sent.
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json);

    // The variants the old version knows still decode as themselves.
    let photo = diff_variant_added::types::Picture::Photo(diff_variant_added::types::Photo::new(
        "photo".to_owned(),
        "https://x/1.png".to_owned(),
    ));
    let (_server, client) = server(&format!("/pets/{ID}/photo"), 200, &photo).await;
    let decoded = client.get_photo(id()).await.unwrap().into_inner();
    assert!(matches!(decoded, old::Picture::Photo(p) if p.url == "https://x/1.png"));
}

#[tokio::test]
async fn a_new_error_status_reaches_an_old_client_with_its_body() {
    use diff_response_added::types::Error;
    let body = Error::new("slow down".to_owned());
    let (_server, client) = server(&format!("/pets/{ID}"), 429, &body).await;

    let error = client.get_pet(id()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    match error {
        ClientError::UnexpectedStatus { body, .. } => {
            let decoded: old::Error = serde_json::from_str(&body).unwrap();
            assert_eq!(decoded.error, "slow down");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}
