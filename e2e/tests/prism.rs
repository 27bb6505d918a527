//! Every operation of the generated petstore client against Prism.
//!
//! Prism (started on `specs/petstore.yaml` with `--errors`) validates each request against the
//! document (path, query, headers, credentials, body) and answers 4xx when one is wrong, so a
//! passing call proves the bytes on the wire match the spec; the typed results prove the client
//! decodes the spec's examples. Needs `npm ci` first (see `scripts/test.sh`).
//!
//! Generated names used here follow docs/generated-code.md; see the list in e2e/README.md.

use petstore::types::{
    Animal, ListPetsStatus, NewPet, Pet, PetForm, PetStatus, SearchResult, TaskState,
};
use petstore::Client;
use sdkwright_e2e::Prism;
use serde_json::json;
use std::fmt::Debug;

/// The `Rex` example of the spec (components/examples/Rex), as JSON.
fn rex_json() -> serde_json::Value {
    json!({
        "id": 42,
        "name": "Rex",
        "tag": "dog",
        "nickname": null,
        "status": "available",
        "category": { "id": 1, "name": "Dogs" },
        "tags": [{ "id": 7, "name": "good-boy" }],
        "photoUrls": ["http://img.example.com/rex.png"],
        "birthDate": "2020-02-29",
        "createdAt": "2024-01-02T03:04:05Z",
        "chipId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "weight": 12.5,
        "price": 199.99,
        "avatar": "AAEC/w==",
        "type": "mammal",
        "self": "http://petstore.example.com/v1/pets/42",
        "owner-email": "alice@example.com",
        "owner": { "name": "Alice", "phone": "+1-555-0100" },
        "attributes": { "color": "brown", "size": "large" }
    })
}

/// Field by field, then the whole value back to JSON (dates, uuid, base64, renames, `null`).
fn assert_rex(pet: &Pet) {
    assert_eq!(pet.id, 42);
    assert_eq!(pet.name, "Rex");
    assert_eq!(pet.tag.as_deref(), Some("dog"));
    assert_eq!(pet.nickname, None);
    assert_eq!(pet.status, Some(PetStatus::Available));
    assert_eq!(
        pet.category.as_ref().and_then(|c| c.name.as_deref()),
        Some("Dogs")
    );
    assert_eq!(pet.tags.as_ref().map(|t| t.len()), Some(1));
    assert_eq!(
        pet.photo_urls,
        vec!["http://img.example.com/rex.png".to_owned()]
    );
    assert_eq!(
        serde_json::to_value(pet.birth_date).unwrap(),
        json!("2020-02-29")
    );
    assert_eq!(
        serde_json::to_value(pet.created_at).unwrap(),
        json!("2024-01-02T03:04:05Z")
    );
    assert_eq!(
        serde_json::to_value(pet.chip_id).unwrap(),
        json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    );
    assert_eq!(pet.weight, Some(12.5));
    assert_eq!(pet.price, Some(199.99));
    assert_eq!(
        serde_json::to_value(&pet.avatar).unwrap(),
        json!("AAEC/w==")
    );
    assert_eq!(pet.r#type.as_deref(), Some("mammal"));
    assert_eq!(
        pet.self_.as_deref(),
        Some("http://petstore.example.com/v1/pets/42")
    );
    assert_eq!(pet.owner_email.as_deref(), Some("alice@example.com"));
    assert_eq!(
        pet.owner.as_ref().and_then(|o| o.name.as_deref()),
        Some("Alice")
    );
    assert_eq!(
        pet.attributes
            .as_ref()
            .and_then(|a| a.get("color"))
            .map(String::as_str),
        Some("brown")
    );
    assert_eq!(
        serde_json::to_value(pet).unwrap(),
        rex_json(),
        "Pet does not round-trip"
    );
}

/// Unwraps a call's result; on failure shows the error and Prism's log (its validation messages
/// say what was wrong with the request).
fn ok<T: Debug, E: Debug>(prism: &Prism, what: &str, res: Result<T, E>) -> T {
    match res {
        Ok(v) => {
            let decoded = format!("{v:?}");
            let name: String = decoded
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let decoded = match name.as_str() {
                "" | "Ok" => "yes".to_owned(),
                _ => format!("yes: {name}"),
            };
            sdkwright_e2e::record(
                "petstore (specs/petstore.yaml)",
                what,
                stresses(what),
                "accepted",
                &decoded,
            );
            v
        }
        Err(e) => panic!("{what} failed: {e:?}\n{}", prism.log_text()),
    }
}

/// What each call of `every_operation_succeeds_against_prism` stresses (the Prism results
/// table, `scripts/prism-results.sh`).
fn stresses(what: &str) -> &'static str {
    match what {
        "listPets" => "exploded array, enum and int32 query parameters, a header parameter",
        "listPets (bare)" => "no optional parameter at all",
        "addPet" => "required JSON body, 201",
        "getPetById" => "int64 path parameter, optional query parameter",
        "updatePet" => "required-but-nullable field sent as `null`",
        "deletePet" => "bearer auth only, 204 without a body",
        "GET /pets/{petId}/toys" => "operation without an operationId",
        "downloadPetPhoto" => "`application/octet-stream` response as bytes",
        "updatePetWithForm" => "`application/x-www-form-urlencoded` body",
        "searchPets" => "required query parameter, untagged union response",
        "getOwner" => "basic auth, path parameter needing percent-encoding (`/`, `é`, `?`, `#`)",
        "getInventory" => "map response, cookie parameter",
        "addAnimal" => "tagged union as body and response",
        "getAnimal" => "tagged union response",
        "getTree" => "recursive type",
        "getServiceStatus" => "public operation (`security: []`), enum with awkward values",
        "getLegacyStatus" => "deprecated operation, parameter, schema and property",
        _ => "",
    }
}

fn client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(prism.base_url())
        .api_key("secret-key")
        .bearer_auth("secret-token")
        .basic_auth("alice", "secret-password")
        .build()
        .expect("build the client")
}

#[tokio::test]
async fn every_operation_succeeds_against_prism() {
    let prism = Prism::petstore();
    let c = client(&prism);

    // GET /pets: exploded array, enum, int32 query parameters and a header parameter.
    let pets = ok(
        &prism,
        "listPets",
        c.list_pets()
            .tags(vec!["good-boy".to_owned(), "has space".to_owned()])
            .status(ListPetsStatus::Available)
            .limit(10)
            .x_request_id("req-1")
            .send()
            .await,
    );
    assert_eq!(pets.len(), 1);
    assert_rex(&pets[0]);
    // ... and with no optional parameter at all.
    let pets = ok(&prism, "listPets (bare)", c.list_pets().send().await);
    assert_eq!(pets.len(), 1);

    // POST /pets: required JSON body, 201.
    let mut new_pet = NewPet::new("Rex");
    new_pet.tag = Some("dog".to_owned());
    new_pet.photo_urls = Some(vec!["http://img.example.com/rex.png".to_owned()]);
    let created = ok(&prism, "addPet", c.add_pet(new_pet).send().await);
    assert_rex(&created);

    // GET /pets/{petId}: int64 path parameter and an optional query parameter.
    let pet = ok(
        &prism,
        "getPetById",
        c.get_pet_by_id(42).verbose(true).send().await,
    );
    assert_rex(&pet);

    // PUT /pets/{petId}: the body carries the required-but-null `nickname` as `null` (Prism
    // rejects the body if the field is left out).
    let mut changed = pet.clone();
    changed.name = "Rexy".to_owned();
    changed.nickname = None;
    let updated = ok(&prism, "updatePet", c.update_pet(42, changed).send().await);
    assert_rex(&updated);

    // DELETE /pets/{petId}: bearer auth only, 204 without a body.
    ok(&prism, "deletePet", c.delete_pet(42).send().await);

    // GET /pets/{petId}/toys: no operationId.
    let toys = ok(
        &prism,
        "GET /pets/{petId}/toys",
        c.get_pets_pet_id_toys(42).send().await,
    );
    assert_eq!(toys, vec!["ball".to_owned(), "rope".to_owned()]);

    // GET /pets/{petId}/photo: application/octet-stream.
    let photo = ok(
        &prism,
        "downloadPetPhoto",
        c.download_pet_photo(42).send().await,
    );
    assert_eq!(photo, b"PHOTO-BYTES".to_vec());

    // POST /pets/{petId}/form: application/x-www-form-urlencoded body.
    let mut form = PetForm::new("Rex");
    form.status = Some("sold".to_owned());
    form.age = Some(3);
    let pet = ok(
        &prism,
        "updatePetWithForm",
        c.update_pet_with_form(42, form).send().await,
    );
    assert_rex(&pet);

    // GET /search: a required query parameter; an untagged union in the response.
    let results = ok(&prism, "searchPets", c.search_pets("rex & co").send().await);
    assert_eq!(results.len(), 2);
    match &results[0] {
        SearchResult::Pet(p) => assert_rex(p),
        other => panic!("first search result should be a Pet: {other:?}"),
    }
    match &results[1] {
        SearchResult::Category(cat) => assert_eq!(cat.name.as_deref(), Some("Dogs")),
        other => panic!("second search result should be a Category: {other:?}"),
    }

    // GET /owners/{ownerName}: basic auth only; a path parameter that needs percent-encoding.
    let owner = ok(
        &prism,
        "getOwner",
        c.get_owner("Alice / Bob é?#").send().await,
    );
    assert_eq!(owner.name, "Alice");
    assert_eq!(owner.pet_ids, Some(vec![42]));

    // GET /store/inventory: a map response; a cookie parameter.
    let inventory = ok(
        &prism,
        "getInventory",
        c.get_inventory().session("s-1").send().await,
    );
    assert_eq!(inventory.get("available"), Some(&3));
    assert_eq!(inventory.get("sold"), Some(&7));
    assert_eq!(inventory.len(), 3);

    // POST /animals: a tagged union as the body (Prism checks `petType` and the oneOf), and as
    // the response. Built from JSON so the test does not depend on the variant structs' fields.
    let dog: Animal =
        serde_json::from_value(json!({ "petType": "dog", "name": "Fido", "packSize": 2 })).unwrap();
    assert_eq!(
        serde_json::to_value(&dog).unwrap(),
        json!({ "petType": "dog", "name": "Fido", "packSize": 2 })
    );
    match ok(&prism, "addAnimal", c.add_animal(dog).send().await) {
        Animal::Cat(cat) => assert_eq!(cat.name, "Tom"),
        other => panic!("addAnimal's example is a cat: {other:?}"),
    }

    // GET /animals/{animalId}
    match ok(&prism, "getAnimal", c.get_animal(1).send().await) {
        Animal::Dog(dog) => assert_eq!(dog.name, "Fido"),
        other => panic!("getAnimal's example is a dog: {other:?}"),
    }

    // GET /trees/{treeId}: a recursive type.
    let tree = ok(&prism, "getTree", c.get_tree("t-1").send().await);
    assert_eq!(tree.name, "root");
    let children = tree.children.as_ref().expect("root has children");
    assert_eq!(children.len(), 2);
    assert_eq!(
        children[0].parent.as_ref().map(|p| p.name.as_str()),
        Some("root")
    );
    let grandchildren = children[1].children.as_ref().expect("right has children");
    assert_eq!(grandchildren[0].name, "leaf");

    // GET /status: public (`security: []`), so a client without any credential may call it;
    // an enum with awkward values.
    let anonymous = Client::builder()
        .base_url(prism.base_url())
        .build()
        .unwrap();
    let status = ok(
        &prism,
        "getServiceStatus",
        anonymous.get_service_status().send().await,
    );
    assert_eq!(status.state, TaskState::InProgress);
    assert_eq!(status.version, "1.0");
    assert_eq!(status.uptime_seconds, Some(12345));

    // GET /status/legacy: a deprecated operation, parameter, schema and property (`#[deprecated]`
    // warns the caller; the calls still work).
    #[allow(deprecated)]
    let legacy = ok(
        &prism,
        "getLegacyStatus",
        anonymous.get_legacy_status().verbose(true).send().await,
    );
    #[allow(deprecated)]
    let (up, code) = (legacy.up, legacy.code);
    assert!(up);
    assert_eq!(code, Some(7));
}

#[tokio::test]
async fn prism_rejections_surface_as_typed_errors() {
    let prism = Prism::petstore();
    let c = client(&prism);

    // An enum value outside the spec, sent through the enum's open `Unknown` fallback: Prism
    // answers 422 with the operation's `default` response.
    let res = c
        .list_pets()
        .status(ListPetsStatus::from("bogus"))
        .send()
        .await;
    match res {
        Err(petstore::Error::Api(e)) => {
            // Prism answers the invalid request with 422 and the spec's example error body.
            assert_eq!((e.status(), e.body().map(|b| b.code)), (422, Some(500)))
        }
        other => panic!(
            "expected the `default` error, got {other:?}\n{}",
            prism.log_text()
        ),
    }

    // No credential at all: Prism answers 401 with the `4XX` response of getPetById.
    let anonymous = Client::builder()
        .base_url(prism.base_url())
        .build()
        .unwrap();
    match anonymous.get_pet_by_id(42).send().await {
        Err(petstore::Error::Api(e)) => {
            assert_eq!((e.status(), e.body().map(|b| b.code)), (401, Some(400)))
        }
        other => panic!(
            "expected the `4XX` error, got {other:?}\n{}",
            prism.log_text()
        ),
    }

    // deletePet accepts only a bearer token; the API key does not do. Prism answers 401 with its
    // own problem+json body, which is not declared: no typed body, the status and the raw body.
    let key_only = Client::builder()
        .base_url(prism.base_url())
        .api_key("secret-key")
        .build()
        .unwrap();
    match key_only.delete_pet(42).send().await {
        Err(petstore::Error::Api(e)) => {
            assert_eq!((e.status(), e.body().is_none()), (401, true));
            let body = String::from_utf8_lossy(e.raw_body());
            assert!(body.contains("UNAUTHORIZED"), "body: {body}");
            assert!(e.problem().is_some(), "problem+json: {body}");
        }
        other => panic!(
            "expected an undeclared 401, got {other:?}\n{}",
            prism.log_text()
        ),
    }
}

/// A request Prism must reject, built with the runtime alone (so it does not depend on what the
/// generated client lets one express): a path parameter that is not an integer and a query enum
/// value outside the spec.
mod raw {
    use sdkwright_runtime::__private::{
        path, query, AuthKind, ErrorResponse, FromErrorResponse, Method, OperationSpec, Request,
        Response, ResponseFormat, SecurityScheme,
    };
    use sdkwright_runtime::{Credential, ErrorMetadata};

    #[derive(Debug)]
    pub(crate) enum RawError {
        Unknown(ErrorMetadata),
    }

    impl FromErrorResponse for RawError {
        fn from_response(resp: &ErrorResponse) -> Result<Self, sdkwright_runtime::DecodeError> {
            Ok(RawError::Unknown(resp.metadata()))
        }
    }

    static API_KEY: SecurityScheme =
        SecurityScheme::new("api_key", AuthKind::ApiKeyHeader("X-API-Key"));

    static GET_PET_BAD: OperationSpec =
        OperationSpec::new("getPetById", Method::Get, "/pets/{petId}")
            .params(&[path("petId"), query("verbose")])
            .response(ResponseFormat::Json)
            .security(&[&[&API_KEY]]);

    pub(crate) async fn call(
        base_url: &str,
    ) -> Result<Response, sdkwright_runtime::Error<RawError>> {
        let client = sdkwright_runtime::ClientBuilder::new(base_url)
            .credential("api_key", Credential::api_key("secret-key"))
            .build()
            .expect("build the runtime client");
        let req = Request::new(&GET_PET_BAD)
            .param("petId", "not-a-number")
            .param("verbose", "maybe");
        client.execute(req).await
    }
}

#[tokio::test]
async fn invalid_raw_request_is_rejected_by_prism() {
    let prism = Prism::petstore();
    match raw::call(prism.base_url()).await {
        Err(sdkwright_runtime::Error::Api(raw::RawError::Unknown(meta))) => {
            assert!((400..500).contains(&meta.status), "status {}", meta.status);
            assert!(!meta.body.is_empty());
        }
        other => panic!(
            "Prism should reject a non-integer petId: {other:?}\n{}",
            prism.log_text()
        ),
    }
}
