//! `test_util::FakeTransport` (feature `test-util`): scripted answers, recorded requests, and
//! the proof that it records what a real server receives.

use crate::common;

use std::time::Duration;

use common::{Reply, TestServer};
use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde_json::{json, Value};
use sdkwright_runtime::test_util::{FakeResponse, FakeTransport, RecordedRequest};
use sdkwright_runtime::*;

const fn p(name: &'static str, location: Location) -> ParamSpec {
    ParamSpec::new(name, location, Style::FormExploded)
}

static KEY_HEADER: SecurityScheme =
    SecurityScheme::new("key_header", AuthKind::ApiKeyHeader("X-Api-Key"));
static KEY_QUERY: SecurityScheme =
    SecurityScheme::new("key_query", AuthKind::ApiKeyQuery("api_key"));
static OAUTH: SecurityScheme = SecurityScheme::oauth2("oauth")
    .flows(&[OAuthFlow::client_credentials("/oauth/token")])
    .scopes(&["read"]);

static GET_THING: OperationSpec = OperationSpec::new("getThing", Method::Get, "/things/{id}")
    .params(&[p("id", Location::Path), p("q", Location::Query)])
    .response(ResponseFormat::Json);

static POST_THING: OperationSpec = OperationSpec::new("postThing", Method::Post, "/things/{id}")
    .params(&[
        p("id", Location::Path),
        p("q", Location::Query),
        p("X-Trace", Location::Header),
        p("session", Location::Cookie),
    ])
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json)
    .security(&[&[&KEY_HEADER, &KEY_QUERY]]);

static GET_OAUTH: OperationSpec = OperationSpec::new("getOauth", Method::Get, "/private")
    .response(ResponseFormat::Json)
    .security(&[&[&OAUTH]]);

fn fast_retries(n: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(n)
        .with_backoff(Duration::ZERO, Duration::ZERO)
}

fn client(fake: &FakeTransport) -> ClientBuilder {
    ClientBuilder::new("https://api.example.com/v1")
        .transport(fake.clone())
        .retry_policy(fast_retries(3))
}

fn get(id: &str) -> Request {
    Request::new(&GET_THING).param("id", id)
}

async fn json_of(c: &Client, req: Request) -> Result<Value, Error<ErrorMetadata>> {
    c.execute::<ErrorMetadata>(req).await?.decode()
}

/// The same call, with everything a call can carry.
fn full_call() -> Request {
    Request::new(&POST_THING)
        .param("id", "a b/7")
        .param("q", "x&y")
        .param("X-Trace", "t-1")
        .param("session", "s 1")
        .body(&json!({"name": "Rex", "tags": ["a", "b"]}))
        .options(
            CallOptions::new()
                .header("x-call", "yes")
                .timeout(Duration::from_secs(7)),
        )
}

fn full_client(base: &str) -> ClientBuilder {
    ClientBuilder::new(base)
        .user_agent("app/2")
        .default_header("x-tenant", "acme")
        .default_secret_header("x-sig", "hunter2")
        .credential("key_header", Credential::api_key("hk"))
        .credential("key_query", Credential::api_key("qk"))
}

#[tokio::test]
async fn records_exactly_what_a_server_receives() {
    let server = TestServer::fixed(Reply::json(200, r#"{"id":1}"#)).await;
    let real = full_client(&server.url).build().unwrap();
    assert_eq!(json_of(&real, full_call()).await.unwrap(), json!({"id": 1}));
    let seen = server.last();

    let fake = FakeTransport::new().reply(FakeResponse::json(200, json!({"id": 1})));
    let c = full_client(&server.url)
        .transport(fake.clone())
        .build()
        .unwrap();
    assert_eq!(json_of(&c, full_call()).await.unwrap(), json!({"id": 1}));
    let rec = fake.last_request().unwrap();

    assert_eq!(rec.method.as_str(), seen.method);
    assert_eq!(rec.path(), seen.path);
    assert_eq!(rec.url.query(), seen.query.as_deref());
    assert_eq!(rec.body.as_ref(), seen.body.as_slice());
    // Every header the server got, but those the HTTP client adds on the wire.
    let mut on_wire: Vec<(String, String)> = seen
        .headers
        .iter()
        .filter(|(k, _)| k != "host" && k != "content-length")
        .cloned()
        .collect();
    let mut recorded: Vec<(String, String)> = rec
        .headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    on_wire.sort();
    recorded.sort();
    assert_eq!(recorded, on_wire);
    assert_eq!(
        rec.header("x-sig"),
        Some("hunter2"),
        "readable in the record"
    );
    assert!(!format!("{rec:?}").contains("hunter2"), "not in its Debug");
    // What is left of the call's timeout.
    let left = rec.timeout.unwrap();
    assert!(
        left <= Duration::from_secs(7) && left > Duration::from_secs(6),
        "{left:?}"
    );
    assert_eq!(
        rec.query_pairs(),
        [("q".into(), "x&y".into()), ("api_key".into(), "qk".into())]
    );
    assert_eq!(
        rec.body_json(),
        Some(json!({"name": "Rex", "tags": ["a", "b"]}))
    );
}

#[tokio::test]
async fn answers_in_order_and_retries_as_against_a_server() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::new(503).header("retry-after", "0"))
        .reply(FakeResponse::connection_refused())
        .reply(FakeResponse::json(200, json!({"ok": true})).header("etag", "\"x\""));
    let c = client(&fake).build().unwrap();
    let res = c
        .execute::<ErrorMetadata>(get("1"))
        .await
        .unwrap()
        .with_response(Response::decode::<Value, ErrorMetadata>)
        .unwrap();
    assert_eq!(res.body(), &json!({"ok": true}));
    assert_eq!(res.header("etag"), Some("\"x\""));
    let sent = fake.requests();
    assert_eq!(sent.len(), 3, "three attempts");
    assert!(sent
        .iter()
        .all(|r| r.url.as_str() == "https://api.example.com/v1/things/1"));
    assert_eq!(fake.remaining(), 0);

    // Nothing scripted any more: a clear error, not a hang.
    let err = json_of(&c, get("2")).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("no response scripted for request GET /v1/things/2"),
        "{err}"
    );
}

#[tokio::test]
async fn a_post_is_sent_once_whatever_fails() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::connection_reset())
        .reply(FakeResponse::json(200, json!({})));
    let c = client(&fake).build().unwrap();
    let req = Request::new(&POST_THING).param("id", "1").body(&json!({}));
    let err = c.execute::<ErrorMetadata>(req).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Other),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 1);
    assert_eq!(fake.remaining(), 1);
}

#[tokio::test]
async fn a_function_answers_per_request() {
    let fake = FakeTransport::from_fn(|req: &RecordedRequest| match req.path() {
        "/v1/things/1" => FakeResponse::json(200, json!({"id": 1})),
        _ => FakeResponse::json(404, json!({"message": "no such thing"})),
    });
    let c = client(&fake).build().unwrap();
    assert_eq!(json_of(&c, get("1")).await.unwrap(), json!({"id": 1}));
    let err = json_of(&c, get("2")).await.unwrap_err();
    assert!(matches!(&err, Error::Api(m) if m.status == 404), "{err:?}");
    // Queued replies come first.
    fake.push_reply(FakeResponse::text(200, "\"queued\""));
    assert_eq!(json_of(&c, get("2")).await.unwrap(), json!("queued"));
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn bodies_in_chunks_and_resets_mid_body() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::new(200).chunks(["[1,", "2,", "3]"]))
        .reply(
            FakeResponse::new(200)
                .chunks(["[1,", "2,"])
                .reset_mid_body(),
        )
        .reply(
            FakeResponse::new(200)
                .chunks(["[1,", "2,"])
                .reset_mid_body(),
        );
    let c = client(&fake)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(json_of(&c, get("1")).await.unwrap(), json!([1, 2, 3]));
    let err = json_of(&c, get("1")).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.status(), Some(200), "the status is kept: {err}");

    // The body limit applies to streamed bodies as to a server's.
    let fake = FakeTransport::new().reply(FakeResponse::new(200).chunks(["12345", "67890"]));
    let c = client(&fake).max_body_size(8).build().unwrap();
    let err = json_of(&c, get("1")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn delays_meet_the_timeout_without_waiting() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::json(200, json!({})).delay(Duration::from_secs(60)))
        .reply(FakeResponse::json(200, json!({})).delay(Duration::from_secs(60)));
    let c = client(&fake)
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = json_of(&c, get("1")).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // A call's own timeout is longer.
    let call = CallOptions::new().timeout(Duration::from_secs(90));
    assert_eq!(
        json_of(&c, get("1").options(call)).await.unwrap(),
        json!({})
    );
    assert_eq!(fake.requests()[1].timeout, Some(Duration::from_secs(90)));
}

#[tokio::test]
async fn redirects_are_followed_by_the_runtime_through_the_fake() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::new(302).header("location", "https://cdn.example.net/x"))
        .reply(FakeResponse::json(200, json!({"moved": true})));
    let c = client(&fake)
        .default_header("x-tenant", "acme")
        .build()
        .unwrap();
    assert_eq!(json_of(&c, get("1")).await.unwrap(), json!({"moved": true}));
    let sent = fake.requests();
    assert_eq!(sent[0].header("x-tenant"), Some("acme"));
    assert_eq!(sent[1].url.as_str(), "https://cdn.example.net/x");
    assert_eq!(
        sent[1].header("x-tenant"),
        None,
        "not sent to another origin"
    );
}

#[tokio::test]
async fn oauth_token_requests_go_through_the_transport() {
    let fake = FakeTransport::from_fn(|req: &RecordedRequest| {
        if req.path() == "/oauth/token" {
            FakeResponse::json(
                200,
                json!({"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}),
            )
        } else {
            FakeResponse::json(200, json!({"private": true}))
        }
    });
    let c = ClientBuilder::new("https://api.example.com")
        .transport(fake.clone())
        .credential(
            "oauth",
            Credential::token_provider(OAuth2::client_credentials("id", "secret")),
        )
        .build()
        .unwrap();
    for _ in 0..2 {
        let v = json_of(&c, Request::new(&GET_OAUTH)).await.unwrap();
        assert_eq!(v, json!({"private": true}));
    }
    let sent = fake.requests();
    assert_eq!(sent.len(), 3, "one token request, two calls: {sent:?}");
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].url.as_str(), "https://api.example.com/oauth/token");
    assert!(sent[0]
        .body_text()
        .contains("grant_type=client_credentials"));
    assert!(sent[0].body_text().contains("scope=read"));
    for s in &sent[1..] {
        assert_eq!(s.header("authorization"), Some("Bearer tok-1"));
    }
}

#[tokio::test]
async fn malformed_scripts_fail_cleanly() {
    let fake = FakeTransport::new()
        .reply(FakeResponse::new(1000))
        .reply(FakeResponse::new(200).header("bad name", "x"));
    let c = client(&fake)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for _ in 0..2 {
        let err = json_of(&c, get("1")).await.unwrap_err();
        assert!(err.to_string().contains("fake response"), "{err}");
    }
}
