//! The generated petstore client against an in-process axum server that records every request
//! and answers from a per-test script: credentials per operation, the wire form of parameters
//! and bodies, typed and undeclared error responses, the retry policy, idempotency keys and
//! interceptors.
//!
//! Generated names used here follow docs/generated-code.md; see the list in e2e/README.md.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use petstore::types::{Adoption, ListPetsStatus, NewPet, PetForm};
use petstore::{Client, RetryPolicy};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path exactly as sent (still percent-encoded).
    path: String,
    /// Raw query string, if any.
    query: Option<String>,
    /// Header names lower-case.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Query pairs, form-decoded.
    fn query_pairs(&self) -> Vec<(String, String)> {
        form_decode(self.query.as_deref().unwrap_or(""))
    }
}

/// A canned answer.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, value: serde_json::Value) -> Answer {
        Answer {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: serde_json::to_vec(&value).unwrap(),
        }
    }
    fn empty(status: u16) -> Answer {
        Answer {
            status,
            headers: vec![],
            body: vec![],
        }
    }
    fn header(mut self, name: &'static str, value: &str) -> Answer {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// Given a request and how many requests came before it, what to answer.
type Script = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

#[derive(Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Script>,
}

async fn record(State(rec): State<Recorder>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap().to_vec();
    let seen = Seen {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let n = {
        let mut all = rec.seen.lock().unwrap();
        all.push(seen.clone());
        all.len() - 1
    };
    let answer = (rec.script)(&seen, n);
    let mut res = Response::builder().status(StatusCode::from_u16(answer.status).unwrap());
    for (name, value) in &answer.headers {
        res = res.header(*name, value);
    }
    res.body(Body::from(answer.body)).unwrap()
}

/// An axum server on 127.0.0.1:0 that records requests; stops with the test's runtime.
struct Server {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(script: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> Server {
        let rec = Recorder {
            seen: Arc::default(),
            script: Arc::new(script),
        };
        let seen = rec.seen.clone();
        let app = Router::new().fallback(record).with_state(rec);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        // A base path, to check that operation paths are appended to it.
        Server {
            base_url: format!("http://{addr}/v1"),
            seen,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn client(&self) -> Client {
        Client::builder()
            .base_url(&self.base_url)
            .api_key("key-1")
            .bearer_auth("token-1")
            .basic_auth("alice", "s3cret")
            .retry_policy(fast_retries())
            .build()
            .unwrap()
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(20))
}

fn pet_json(id: i64) -> serde_json::Value {
    json!({ "id": id, "name": "Rex", "nickname": null, "photoUrls": [] })
}

/// Percent-decodes (and, for forms, turns `+` into a space).
fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).expect("valid percent escape"));
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("percent-decoded UTF-8")
}

fn form_decode(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn credentials_follow_each_operations_security() {
    let server = Server::start(|seen, _| match (seen.method.as_str(), seen.path.as_str()) {
        ("GET", "/v1/pets/42") => Answer::json(200, pet_json(42)),
        ("DELETE", "/v1/pets/42") => Answer::empty(204),
        ("GET", "/v1/owners/alice") => Answer::json(200, json!({ "name": "alice" })),
        ("GET", "/v1/status") => Answer::json(200, json!({ "state": "done", "version": "1.0" })),
        _ => Answer::empty(500),
    })
    .await;
    let c = server.client();

    c.get_pet_by_id(42).send().await.unwrap();
    c.delete_pet(42).send().await.unwrap();
    c.get_owner("alice").send().await.unwrap();
    c.get_service_status().send().await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 4, "{seen:#?}");
    // Default security (api_key in the X-API-Key header).
    assert_eq!(seen[0].header("x-api-key"), Some("key-1"));
    assert_eq!(seen[0].header("authorization"), None);
    // deletePet: bearer only.
    assert_eq!(seen[1].header("authorization"), Some("Bearer token-1"));
    assert_eq!(seen[1].header("x-api-key"), None);
    // getOwner: basic only; base64("alice:s3cret").
    assert_eq!(
        seen[2].header("authorization"),
        Some("Basic YWxpY2U6czNjcmV0")
    );
    assert_eq!(seen[2].header("x-api-key"), None);
    // getServiceStatus: `security: []`.
    assert_eq!(seen[3].header("authorization"), None);
    assert_eq!(seen[3].header("x-api-key"), None);
}

#[tokio::test]
async fn parameters_and_bodies_on_the_wire() {
    let server = Server::start(|seen, _| match (seen.method.as_str(), seen.path.as_str()) {
        ("GET", "/v1/pets") => Answer::json(200, json!([pet_json(1)])),
        ("GET", "/v1/store/inventory") => Answer::json(200, json!({ "sold": 1 })),
        ("POST", "/v1/pets") => Answer::json(201, pet_json(2)),
        ("PUT", "/v1/pets/2") => Answer::json(200, pet_json(2)),
        ("POST", "/v1/pets/2/form") => Answer::json(200, pet_json(2)),
        _ => Answer::empty(500),
    })
    .await;
    let c = server.client();

    let pets = c
        .list_pets()
        .tags(vec!["a".to_owned(), "b c&d".to_owned()])
        .status(ListPetsStatus::Pending)
        .limit(5)
        .x_request_id("req-9")
        .send()
        .await
        .unwrap();
    assert_eq!(pets[0].id, 1);
    let inventory = c.get_inventory().session("s-1").send().await.unwrap();
    assert_eq!(inventory.get("sold"), Some(&1));
    let created = c.add_pet(NewPet::new("Rex")).send().await.unwrap();
    let mut pet = created.clone();
    pet.nickname = None;
    c.update_pet(2, pet).send().await.unwrap();
    let mut form = PetForm::new("Rex Jr.");
    form.age = Some(3);
    c.update_pet_with_form(2, form).send().await.unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 5, "{seen:#?}");

    // Exploded form array, enum as its wire string, int32; the header parameter.
    let mut q = seen[0].query_pairs();
    q.sort();
    assert_eq!(
        q,
        pairs(&[
            ("limit", "5"),
            ("status", "pending"),
            ("tags", "a"),
            ("tags", "b c&d")
        ])
    );
    assert_eq!(seen[0].header("x-request-id"), Some("req-9"));
    assert!(seen[0]
        .header("accept")
        .unwrap_or("")
        .contains("application/json"));

    // Cookie parameter.
    let cookie = seen[1].header("cookie").unwrap_or("");
    assert!(
        cookie.split("; ").any(|c| c == "session=s-1"),
        "cookie header: {cookie:?}"
    );

    // JSON body: optional fields left out.
    assert!(seen[2]
        .header("content-type")
        .unwrap_or("")
        .starts_with("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&seen[2].body).unwrap();
    assert_eq!(body, json!({ "name": "Rex" }));

    // Required + nullable field goes out as `null`; optional `None` fields are left out.
    let body: serde_json::Value = serde_json::from_slice(&seen[3].body).unwrap();
    assert_eq!(body, pet_json(2));

    // Form body.
    assert!(seen[4]
        .header("content-type")
        .unwrap_or("")
        .starts_with("application/x-www-form-urlencoded"));
    let mut form = form_decode(std::str::from_utf8(&seen[4].body).unwrap());
    form.sort();
    assert_eq!(form, pairs(&[("age", "3"), ("name", "Rex Jr.")]));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = Server::start(|_, _| Answer::json(200, json!({ "name": "x" }))).await;
    let c = server.client();
    let name = "a/b c?d#é%";
    c.get_owner(name).send().await.unwrap();
    let seen = server.seen();
    let segment = seen[0]
        .path
        .strip_prefix("/v1/owners/")
        .expect("path under /v1/owners/");
    // One segment: `/`, space, `?`, `#` and non-ASCII never appear raw.
    for raw in ['/', ' ', '?', '#', 'é'] {
        assert!(!segment.contains(raw), "{raw:?} not encoded in {segment:?}");
    }
    assert!(
        segment.starts_with("a%2Fb%20c%3Fd%23%C3%A9%25"),
        "got {segment:?}"
    );
    assert_eq!(percent_decode(segment, false), name);
}

#[tokio::test]
async fn declared_error_statuses_decode_into_their_variants() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/v1/pets/404" => Answer::json(404, json!({ "code": 404, "message": "no pet 404" })),
        "/v1/pets/409" => Answer::json(409, json!({ "code": 409, "message": "conflict" })),
        "/v1/pets/500" => Answer::json(500, json!({ "code": 500, "message": "boom" })),
        _ => Answer::empty(200),
    })
    .await;
    let c = server.client();

    // getPetById declares `types::Error` for 404, 4XX and default: one typed body for all.
    match c.get_pet_by_id(404).send().await {
        Err(petstore::Error::Api(e)) if e.status() == 404 => {
            let body: &petstore::types::Error = e.body().expect("typed");
            assert_eq!(body.code, 404);
            assert_eq!(body.message, "no pet 404");
            assert_eq!(e.to_string(), "getPetById: HTTP 404 Not Found: no pet 404");
        }
        other => panic!("expected 404: {other:?}"),
    }
    match c.get_pet_by_id(409).send().await {
        Err(petstore::Error::Api(e)) => {
            assert_eq!(
                (e.status(), e.body().map(|b| b.message.as_str())),
                (409, Some("conflict"))
            )
        }
        other => panic!("expected 409: {other:?}"),
    }
    match c.get_pet_by_id(500).send().await {
        Err(err @ petstore::Error::Api(_)) => {
            assert_eq!(err.status(), Some(500));
            assert_eq!(
                err.to_string(),
                "getPetById: HTTP 500 Internal Server Error: boom"
            );
        }
        other => panic!("expected 500: {other:?}"),
    }
}

#[tokio::test]
async fn several_error_body_types_are_an_error_body_enum() {
    use petstore::operations::ReservePetErrorBody;
    let server = Server::start(|_, n| match n {
        0 => Answer::json(409, json!({ "owner": "Ann" })),
        1 => Answer::json(500, json!({ "code": 500, "message": "boom" })),
        _ => Answer {
            status: 502,
            headers: vec![("content-type", "text/html".to_owned())],
            body: b"<html>bad gateway</html>".to_vec(),
        },
    })
    .await;
    let c = server.client();
    let err = c.reserve_pet(1).send().await.unwrap_err();
    match err.api().and_then(|e| e.body()) {
        Some(ReservePetErrorBody::Conflict(c)) => assert_eq!(c.owner, "Ann"),
        other => panic!("expected Conflict: {other:?} in {err:?}"),
    }
    let err = c.reserve_pet(1).send().await.unwrap_err();
    assert!(
        matches!(err.api().and_then(|e| e.body()), Some(ReservePetErrorBody::Default(e)) if e.code == 500),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "reservePet: HTTP 500 Internal Server Error: boom"
    );
    // `default` is declared, but an HTML page is not its type: status and raw body kept.
    let err = c.reserve_pet(1).send().await.unwrap_err();
    let e = err.api().expect("an API error");
    assert_eq!((e.status(), e.body().is_none()), (502, true));
    assert_eq!(e.raw_body(), b"<html>bad gateway</html>");
    assert!(e.decode_error().is_some());
}

#[tokio::test]
async fn undeclared_status_is_unknown_with_metadata() {
    let server = Server::start(|_, _| Answer {
        status: 418,
        headers: vec![
            ("x-teapot", "yes".to_owned()),
            ("content-type", "text/plain".to_owned()),
        ],
        body: b"I'm a teapot".to_vec(),
    })
    .await;
    let c = server.client();
    // getInventory declares no error body: `petstore::Error` (a JSON body would be a `Value`).
    match c.get_inventory().send().await {
        Err(petstore::Error::Api(e)) => {
            assert_eq!(e.status(), 418);
            assert_eq!(e.header("X-Teapot"), Some("yes"));
            assert_eq!(e.raw_body(), b"I'm a teapot");
            assert!(e.body().is_none());
            assert_eq!(
                e.to_string(),
                "getInventory: HTTP 418 I'm a teapot: I'm a teapot"
            );
        }
        other => panic!("expected 418: {other:?}"),
    }
    assert_eq!(server.seen().len(), 1, "418 is not retried");
}

#[tokio::test]
async fn get_is_retried_after_503() {
    let server = Server::start(|_, n| match n {
        0 => Answer::json(503, json!({ "code": 503, "message": "busy" })),
        _ => Answer::json(200, pet_json(42)),
    })
    .await;
    let pet = server.client().get_pet_by_id(42).send().await.unwrap();
    assert_eq!(pet.id, 42);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let server =
        Server::start(|_, _| Answer::json(503, json!({ "code": 503, "message": "busy" }))).await;
    match server.client().get_pet_by_id(42).send().await {
        Err(petstore::Error::Api(e)) => {
            assert_eq!((e.status(), e.body().map(|b| b.code)), (503, Some(503)))
        }
        other => panic!("expected the last 503: {other:?}"),
    }
    assert_eq!(server.seen().len(), 3, "max_attempts = 3");
}

#[tokio::test]
async fn post_is_not_retried() {
    let server =
        Server::start(|_, _| Answer::json(503, json!({ "code": 503, "message": "busy" }))).await;
    match server.client().add_pet(NewPet::new("Rex")).send().await {
        Err(petstore::Error::Api(e)) => {
            assert_eq!((e.status(), e.body().map(|b| b.code)), (503, Some(503)))
        }
        other => panic!("expected 503: {other:?}"),
    }
    assert_eq!(server.seen().len(), 1, "POST is not idempotent");
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let server = Server::start(|_, n| match n {
        0 => Answer::empty(429).header("retry-after", "0"),
        _ => Answer::json(200, json!({ "available": 1 })),
    })
    .await;
    let inventory = server.client().get_inventory().send().await.unwrap();
    assert_eq!(inventory.get("available"), Some(&1));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn oauth2_client_credentials_from_the_document() {
    // deletePet: bearerAuth OR petstore_auth [write:pets]; only OAuth 2.0 is configured. The
    // token endpoint is the document's relative `/oauth/token`, resolved against the base URL.
    // The API rejects the first token once: one new token, one retry.
    let server = Server::start(|seen, n| match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/oauth/token") => Answer::json(
            200,
            json!({ "access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": 3600 }),
        ),
        ("DELETE", "/v1/pets/42") if seen.header("authorization") == Some("Bearer tok-0") => {
            Answer::empty(401)
        }
        ("DELETE", "/v1/pets/42") => Answer::empty(204),
        _ => Answer::empty(500),
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base_url)
        .api_key("key-1")
        .petstore_auth_client_credentials("app", "app-secret")
        .build()
        .unwrap();
    c.delete_pet(42).send().await.unwrap();
    c.delete_pet(42).send().await.unwrap();

    let seen = server.seen();
    let summary: Vec<(&str, &str, Option<&str>)> = seen
        .iter()
        .map(|s| {
            (
                s.method.as_str(),
                s.path.as_str(),
                s.header("authorization"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("POST", "/oauth/token", Some("Basic YXBwOmFwcC1zZWNyZXQ=")), // base64("app:app-secret")
            ("DELETE", "/v1/pets/42", Some("Bearer tok-0")),
            ("POST", "/oauth/token", Some("Basic YXBwOmFwcC1zZWNyZXQ=")),
            ("DELETE", "/v1/pets/42", Some("Bearer tok-2")),
            ("DELETE", "/v1/pets/42", Some("Bearer tok-2")),
        ]
    );
    assert_eq!(
        form_decode(std::str::from_utf8(&seen[0].body).unwrap()),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("scope", "write:pets")
        ])
    );
    // The API key is not part of deletePet's requirements.
    assert!(seen[1..].iter().all(|s| s.header("x-api-key").is_none()));
}

#[tokio::test]
async fn a_declared_idempotency_key_makes_a_post_retryable_with_one_key() {
    // adoptPet declares an `Idempotency-Key` header: each call sends a random key, the same on
    // every attempt, and is retried although it is a POST.
    let adoption = json!({ "petId": 7, "adopter": "Ann" });
    let answer = adoption.clone();
    let server = Server::start(move |_, n| match n {
        0 => Answer::empty(503).header("retry-after", "0"),
        _ => Answer::json(201, answer.clone()),
    })
    .await;
    let client = server.client();
    let body = || Adoption {
        pet_id: 7,
        adopter: "Ann".into(),
    };
    let got = client.adopt_pet(body()).send().await.unwrap();
    assert_eq!((got.pet_id, got.adopter.as_str()), (7, "Ann"));
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let key = seen[0].header("idempotency-key").unwrap().to_owned();
    assert_eq!(key.len(), 36, "a UUID: {key}");
    assert_eq!(seen[1].header("idempotency-key"), Some(key.as_str()));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&seen[1].body).unwrap(),
        adoption
    );

    // The caller's key wins; another call gets another key.
    client
        .adopt_pet(body())
        .idempotency_key("adoption-7")
        .send()
        .await
        .unwrap();
    client.adopt_pet(body()).send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen[2].header("idempotency-key"), Some("adoption-7"));
    let third = seen[3].header("idempotency-key").unwrap();
    assert!(third != key && third != "adoption-7");
}

/// Counts the attempts it saw and stamps each with its number (through the generated crate's
/// re-exports: a user needs no direct dependency on the runtime for this).
#[derive(Clone, Default)]
struct Stamp(Arc<Mutex<Vec<u32>>>);

impl petstore::Interceptor for Stamp {
    fn before_send(
        &self,
        req: &mut petstore::BeforeSend<'_>,
    ) -> Result<(), petstore::InterceptorError> {
        self.0.lock().unwrap().push(req.attempt());
        req.set_header("x-attempt", &req.attempt().to_string())?;
        Ok(())
    }
}

#[tokio::test]
async fn client_wide_idempotency_keys_and_interceptors_from_the_generated_builder() {
    let server = Server::start(|_, n| match n {
        0 => Answer::json(500, json!({ "code": 500, "message": "oops" })),
        _ => Answer::json(201, pet_json(1)),
    })
    .await;
    let stamp = Stamp::default();
    let client = Client::builder()
        .base_url(&server.base_url)
        .api_key("key-1")
        .retry_policy(fast_retries())
        .idempotency_keys(true)
        .interceptor(stamp.clone())
        .build()
        .unwrap();
    client.add_pet(NewPet::new("Rex")).send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "a POST with a key is retried");
    let key = seen[0].header("idempotency-key").unwrap();
    assert_eq!(seen[1].header("idempotency-key"), Some(key));
    assert_eq!(seen[0].header("x-attempt"), Some("1"));
    assert_eq!(seen[1].header("x-attempt"), Some("2"));
    assert_eq!(*stamp.0.lock().unwrap(), [1, 2]);
}
