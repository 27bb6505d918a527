//! The generated clients' seams as a user meets them: a fake transport instead of a server
//! (`sdkwright_runtime::test_util`), per-call `customize`, `send_with_response`, default headers
//! and a client of your own, for the OpenAPI (petstore), GraphQL (countries) and SOAP
//! (calculator) crates.

use std::time::Duration;

use petstore::operations::GetPetByIdError;
use petstore::types::NewPet;
use petstore::{Client, Error, RetryPolicy};
use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
use serde_json::json;

fn pet_json(id: i64) -> serde_json::Value {
    json!({ "id": id, "name": "Rex", "nickname": null, "photoUrls": [] })
}

fn petstore(fake: &FakeTransport) -> Client {
    Client::builder()
        .base_url("https://petstore.test/v1")
        .transport(fake.clone())
        .api_key("key-1")
        .default_header("x-tenant", "acme")
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::ZERO, Duration::ZERO),
        )
        .build()
        .unwrap()
}

/// The code under test: a user's function that creates a pet and returns where it lives.
async fn create_and_locate(client: &Client, name: &str) -> Result<(i64, String), String> {
    let res = client
        .add_pet(NewPet::new(name))
        .customize(|o| {
            o.idempotency_key(format!("create-{name}"))
                .header("x-source", "import")
        })
        .send_with_response()
        .await
        .map_err(|e| e.to_string())?;
    let location = res.header("location").unwrap_or("?").to_owned();
    Ok((res.into_body().id, location))
}

#[tokio::test]
async fn unit_test_of_user_code_without_a_server() {
    let fake = FakeTransport::new().reply(
        FakeResponse::json(201, pet_json(7))
            .header("location", "/v1/pets/7")
            .header("x-request-id", "r-1"),
    );
    let client = petstore(&fake);
    assert_eq!(
        create_and_locate(&client, "Rex").await.unwrap(),
        (7, "/v1/pets/7".to_owned())
    );

    let sent = fake.requests();
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url.as_str(), "https://petstore.test/v1/pets");
    assert_eq!(r.header("x-api-key"), Some("key-1"));
    assert_eq!(r.header("x-tenant"), Some("acme"));
    assert_eq!(r.header("x-source"), Some("import"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body_json(), Some(json!({"name": "Rex"})));
    assert!(r
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("petstore/")));
}

#[tokio::test]
async fn typed_errors_timeouts_and_retries_through_the_fake() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::new(503))
        .reply(FakeResponse::json(200, pet_json(1)).header("etag", "\"v3\""))
        .reply(FakeResponse::json(
            404,
            json!({"code": 404, "message": "no such pet"}),
        ));
    let client = petstore(&fake);

    // Retried after the 503, then the typed body with its response headers.
    let res = client.get_pet_by_id(1).send_with_response().await.unwrap();
    assert_eq!((res.status(), res.header("etag")), (200, Some("\"v3\"")));
    assert_eq!(res.body().name, "Rex");

    match client.get_pet_by_id(2).send().await {
        Err(Error::Api(GetPetByIdError::NotFound(e))) => assert_eq!(e.message, "no such pet"),
        other => panic!("{other:?}"),
    }

    // A per-call timeout shorter than the answer's delay; no retry for this call.
    fake.push_reply(FakeResponse::json(200, pet_json(3)).delay(Duration::from_secs(5)));
    let err = client
        .get_pet_by_id(3)
        .customize(|o| {
            o.timeout(Duration::from_millis(50))
                .retry_policy(RetryPolicy::none())
        })
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        fake.requests().len(),
        4,
        "503, 200, 404, the timed-out call once"
    );

    // The call's retry policy replaces the client's: one attempt, the 503 is the answer.
    fake.push_reply(FakeResponse::new(503));
    fake.push_reply(FakeResponse::json(200, pet_json(4)));
    let err = client
        .get_pet_by_id(4)
        .customize(|o| o.retry_policy(RetryPolicy::none()))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 503),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 5);
    assert_eq!(fake.remaining(), 1);
}

#[tokio::test]
async fn graphql_and_soap_builders_have_the_same_seams() {
    let fake = FakeTransport::new().reply(
        FakeResponse::json(
            200,
            json!({"data": {"continents": [{"code": "EU", "name": "Europe"}]}}),
        )
        .header("x-request-id", "gql-1"),
    );
    let countries = countries::Client::builder()
        .base_url("https://countries.test/graphql")
        .transport(fake.clone())
        .build()
        .unwrap();
    let res = countries
        .continents()
        .customize(|o| o.header("x-trace", "t"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(res.request_id(), Some("gql-1"));
    assert_eq!(res.body().continents[0].name, "Europe");
    let sent = fake.last_request().unwrap();
    assert_eq!(sent.header("x-trace"), Some("t"));
    assert!(sent.body_text().contains("continents"));

    let fake = FakeTransport::new().reply(
        FakeResponse::new(200)
            .header("content-type", "text/xml; charset=utf-8")
            .body(
                r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><c:AddResponse xmlns:c="http://example.com/calculator"><c:AddResult>5</c:AddResult></c:AddResponse></s:Body></s:Envelope>"#,
            ),
    );
    let calc = calculator::Client::builder()
        .base_url("https://calc.test/soap")
        .transport(fake.clone())
        .default_secret_header("x-signature", "sig")
        .build()
        .unwrap();
    let res = calc
        .add(calculator::types::Add { int_a: 2, int_b: 3 })
        .send_with_response()
        .await
        .unwrap();
    assert_eq!((res.status(), res.body().add_result), (200, 5));
    let sent = fake.last_request().unwrap();
    assert_eq!(sent.header("x-signature"), Some("sig"));
    assert!(sent.header("soapaction").is_some());
}

#[tokio::test]
async fn a_reqwest_client_of_your_own() {
    // A server that would answer, and a client whose proxy refuses connections (nothing
    // listens on port 9 of loopback): the call fails only if that client is the one used.
    let app = axum::Router::new().fallback(|| async {
        (
            [("content-type", "application/json")],
            pet_json(1).to_string(),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let reqwest_client = |proxy: bool| {
        let b = sdkwright_runtime::reqwest::Client::builder()
            .redirect(sdkwright_runtime::reqwest::redirect::Policy::none());
        let b = if proxy {
            b.proxy(sdkwright_runtime::reqwest::Proxy::all("http://127.0.0.1:9").unwrap())
        } else {
            b.no_proxy()
        };
        b.build().unwrap()
    };
    let client = |proxy| {
        Client::builder()
            .base_url(&url)
            .http_client(reqwest_client(proxy))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    };
    assert_eq!(client(false).get_pet_by_id(1).send().await.unwrap().id, 1);
    let err = client(true).get_pet_by_id(1).send().await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_connect(), "through the proxy: {err}");
}
