//! Request encoding, auth, retries, timeouts and error classification against a real server.

use crate::common;

use std::time::{Duration, Instant};

use common::{Reply, TestServer};
use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde_json::json;
use sdkwright_runtime::*;

// ---------------------------------------------------------------------------------------------
// Specs

const fn p(name: &'static str, location: Location, style: Style) -> ParamSpec {
    ParamSpec::new(name, location, style)
}

static GET_THING: OperationSpec =
    OperationSpec::new("getThing", Method::Get, "/things/{id}/parts/{part}")
        .params(&[
            p("id", Location::Path, Style::FormExploded),
            p("part", Location::Path, Style::FormExploded),
            p("limit", Location::Query, Style::FormExploded),
            p("verbose", Location::Query, Style::FormExploded),
            p("tags", Location::Query, Style::FormExploded),
            p("ids", Location::Query, Style::Comma),
            p("filter", Location::Query, Style::DeepObject),
            p("status", Location::Query, Style::FormExploded),
            p("X-Trace", Location::Header, Style::FormExploded),
            p("X-List", Location::Header, Style::FormExploded),
            p("session", Location::Cookie, Style::FormExploded),
            p("prefs", Location::Cookie, Style::FormExploded),
        ])
        .response(ResponseFormat::Json);

static PUT_JSON: OperationSpec = OperationSpec::new("putJson", Method::Put, "items")
    .body(BodyFormat::Json("application/merge-patch+json"));

static POST_FORM: OperationSpec = OperationSpec::new("postForm", Method::Post, "/form")
    .body(BodyFormat::Form)
    .response(ResponseFormat::Text);

static POST_TEXT: OperationSpec = OperationSpec::new("postText", Method::Post, "/text")
    .body(BodyFormat::Text("text/plain; charset=utf-8"))
    .response(ResponseFormat::Text);

static POST_BINARY: OperationSpec = OperationSpec::new("postBinary", Method::Post, "/upload")
    .body(BodyFormat::Binary("image/png"))
    .response(ResponseFormat::Binary);

static GET_ROOT: OperationSpec =
    OperationSpec::new("getRoot", Method::Get, "").response(ResponseFormat::Json);

static POST_ROOT: OperationSpec = OperationSpec::new("postRoot", Method::Post, "/submit");

static API_KEY_HEADER: SecurityScheme =
    SecurityScheme::new("api_key", AuthKind::ApiKeyHeader("X-API-Key"));
static API_KEY_QUERY: SecurityScheme =
    SecurityScheme::new("key_query", AuthKind::ApiKeyQuery("api_key"));
static API_KEY_COOKIE: SecurityScheme =
    SecurityScheme::new("key_cookie", AuthKind::ApiKeyCookie("SESSION"));
static BEARER: SecurityScheme = SecurityScheme::new("bearerAuth", AuthKind::Bearer);
static BASIC: SecurityScheme = SecurityScheme::new("basicAuth", AuthKind::Basic);

static SECURED: OperationSpec = OperationSpec::new("secured", Method::Get, "/secure").security(&[
    &[&BEARER],
    &[&BASIC],
    &[&API_KEY_HEADER, &API_KEY_QUERY],
    &[&API_KEY_COOKIE],
    &[&API_KEY_HEADER],
]);

fn client(url: &str) -> Client {
    ClientBuilder::new(url).build().unwrap()
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

// ---------------------------------------------------------------------------------------------
// Parameters

#[derive(sdkwright_runtime::serde::Serialize)]
#[serde(crate = "sdkwright_runtime::serde")]
enum Status {
    #[serde(rename = "in-progress")]
    InProgress,
}

#[tokio::test]
async fn path_query_header_cookie_params() {
    let server = TestServer::fixed(Reply::json(200, r#"{"ok":true}"#)).await;
    let c = client(&format!("{}/api/", server.url));
    let none: Option<i32> = None;
    let req = Request::new(&GET_THING)
        .param("id", "a/b c")
        .param("part", &7)
        .param("limit", &10)
        .param("verbose", &none)
        .param("tags", &["x", "y z"])
        .param("ids", &[1, 2, 3])
        .param("filter", &json!({"color": "red", "size": {"min": 1}}))
        .param("status", &Status::InProgress)
        .param("X-Trace", "abc")
        .param("X-List", &vec![1, 2])
        .param("session", "s1")
        .param("prefs", &["a", "b"]);
    let v: serde_json::Value = c
        .execute::<ErrorMetadata>(req)
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(v, json!({"ok": true}));

    let seen = server.last();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/api/things/a%2Fb%20c/parts/7");
    let q = seen.query_pairs();
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        q,
        vec![
            ("limit", "10"),
            ("tags", "x"),
            ("tags", "y z"),
            ("ids", "1,2,3"),
            ("filter[color]", "red"),
            ("filter[size][min]", "1"),
            ("status", "in-progress"),
        ]
    );
    assert!(!seen.query.as_deref().unwrap().contains("verbose"));
    assert_eq!(seen.header("x-trace"), Some("abc"));
    assert_eq!(seen.header("x-list"), Some("1,2"));
    assert_eq!(seen.header("cookie"), Some("session=s1; prefs=a,b"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    let ua = seen.header("user-agent").unwrap();
    assert!(ua.starts_with("sdkwright-runtime/"), "{ua}");
}

#[tokio::test]
async fn base_url_join_and_user_agent() {
    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    for base in [server.url.clone(), format!("{}/", server.url)] {
        let c = ClientBuilder::new("http://unused.invalid")
            .base_url(base)
            .user_agent("petstore/1.2.3")
            .build()
            .unwrap();
        c.execute::<ErrorMetadata>(Request::new(&PUT_JSON).body(&json!({})))
            .await
            .unwrap();
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.path, "/items");
        assert_eq!(
            s.header("user-agent").unwrap(),
            format!(
                "petstore/1.2.3 sdkwright-runtime/{}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
    // empty path: the base URL itself
    let c = client(&format!("{}/v2/root", server.url));
    c.execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap();
    assert_eq!(server.last().path, "/v2/root");
}

#[tokio::test]
async fn build_errors_are_returned_not_panicked() {
    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    let c = client(&server.url);

    // unknown parameter name
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_THING).param("nope", &1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Request(e) if e.message().contains("nope")),
        "{err:?}"
    );

    // missing path parameter
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_THING).param("id", "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Request(e) if e.message().contains("part")),
        "{err:?}"
    );

    // unserializable value (map with non-string keys)
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], 1);
    let err = c
        .execute::<ErrorMetadata>(Request::new(&PUT_JSON).body(&bad))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Request(_)), "{err:?}");
    assert!(std::error::Error::source(match &err {
        Error::Request(e) => e,
        _ => unreachable!(),
    })
    .is_some());

    // a text body that is not a string
    let err = c
        .execute::<ErrorMetadata>(Request::new(&POST_TEXT).body(&json!({"a": 1})))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Request(_)), "{err:?}");

    // invalid header value
    let err = c
        .execute::<ErrorMetadata>(
            Request::new(&GET_THING)
                .param("id", "1")
                .param("part", "2")
                .param("X-Trace", "a\nb"),
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Request(_)), "{err:?}");

    assert!(server.seen().is_empty());

    // bad base URL
    assert!(ClientBuilder::new("not a url").build().is_err());
    assert!(ClientBuilder::new("ftp://x").build().is_err());
}

// ---------------------------------------------------------------------------------------------
// Bodies

#[tokio::test]
async fn json_body() {
    let server = TestServer::fixed(Reply::new(204)).await;
    let c = client(&server.url);
    let resp = c
        .execute::<ErrorMetadata>(Request::new(&PUT_JSON).body(&json!({"name": "Rex", "age": 3})))
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let () = resp.decode::<(), ErrorMetadata>().unwrap();
    let seen = server.last();
    assert_eq!(seen.method, "PUT");
    assert_eq!(
        seen.header("content-type"),
        Some("application/merge-patch+json")
    );
    let body: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(body, json!({"name": "Rex", "age": 3}));
}

#[tokio::test]
async fn form_body() {
    let server = TestServer::fixed(Reply::new(200).body("done")).await;
    let c = client(&server.url);
    let body = json!({"name": "a b&c", "tags": ["x", "y"], "owner": {"id": 1, "nick": null}, "skip": null});
    let text: String = c
        .execute::<ErrorMetadata>(Request::new(&POST_FORM).body(&body))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(text, "done");
    let seen = server.last();
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        seen.body_text(),
        "name=a+b%26c&tags=x&tags=y&owner%5Bid%5D=1"
    );
}

#[tokio::test]
async fn text_and_binary_bodies() {
    let server = TestServer::start(|_, s| Reply::new(200).body(s.body.clone())).await;
    let c = client(&server.url);

    let echoed: String = c
        .execute::<ErrorMetadata>(Request::new(&POST_TEXT).body("héllo"))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(echoed, "héllo");
    assert_eq!(
        server.last().header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(server.last().body_text(), "héllo");

    let bytes = vec![0u8, 1, 2, 255, 137];
    let resp = c
        .execute::<ErrorMetadata>(Request::new(&POST_BINARY).body_bytes(bytes.clone()))
        .await
        .unwrap();
    let got: Vec<u8> = resp.decode::<_, ErrorMetadata>().unwrap();
    assert_eq!(got, bytes);
    assert_eq!(server.last().header("content-type"), Some("image/png"));
    assert_eq!(server.last().body, bytes);

    let resp = c
        .execute::<ErrorMetadata>(Request::new(&POST_BINARY).body_bytes(vec![9u8]))
        .await
        .unwrap();
    assert_eq!(resp.bytes::<ErrorMetadata>().unwrap(), vec![9u8]);
}

// ---------------------------------------------------------------------------------------------
// Auth

async fn auth_seen(creds: Vec<(&str, Credential)>) -> common::Seen {
    let server = TestServer::fixed(Reply::new(204)).await;
    let mut b = ClientBuilder::new(&server.url);
    for (s, c) in creds {
        b = b.credential(s, c);
    }
    b.build()
        .unwrap()
        .execute::<ErrorMetadata>(Request::new(&SECURED))
        .await
        .unwrap();
    server.last()
}

#[tokio::test]
async fn auth_bearer() {
    let s = auth_seen(vec![("bearerAuth", Credential::bearer("tok123"))]).await;
    assert_eq!(s.header("authorization"), Some("Bearer tok123"));
}

#[tokio::test]
async fn auth_basic() {
    let s = auth_seen(vec![("basicAuth", Credential::basic("alice", "s3cret"))]).await;
    // base64("alice:s3cret")
    assert_eq!(s.header("authorization"), Some("Basic YWxpY2U6czNjcmV0"));
}

#[tokio::test]
async fn auth_api_key_header_and_query_alternative() {
    let s = auth_seen(vec![
        ("api_key", Credential::api_key("hk")),
        ("key_query", Credential::api_key("qk")),
    ])
    .await;
    assert_eq!(s.header("x-api-key"), Some("hk"));
    assert_eq!(
        s.query_pairs(),
        vec![("api_key".to_owned(), "qk".to_owned())]
    );
    assert_eq!(s.header("authorization"), None);
}

#[tokio::test]
async fn auth_api_key_header_alone() {
    let s = auth_seen(vec![("api_key", Credential::api_key("hk"))]).await;
    assert_eq!(s.header("x-api-key"), Some("hk"));
    assert_eq!(s.query, None);
}

#[tokio::test]
async fn auth_api_key_cookie() {
    let s = auth_seen(vec![("key_cookie", Credential::api_key("ck"))]).await;
    assert_eq!(s.header("cookie"), Some("SESSION=ck"));
}

#[tokio::test]
async fn auth_first_matching_alternative_wins() {
    let s = auth_seen(vec![
        ("api_key", Credential::api_key("hk")),
        ("bearerAuth", Credential::bearer("tok")),
    ])
    .await;
    assert_eq!(s.header("authorization"), Some("Bearer tok"));
    assert_eq!(s.header("x-api-key"), None);
}

#[tokio::test]
async fn auth_absent_without_credential() {
    let s = auth_seen(vec![("unrelated", Credential::bearer("tok"))]).await;
    assert_eq!(s.header("authorization"), None);
    assert_eq!(s.header("x-api-key"), None);
    assert_eq!(s.header("cookie"), None);
    assert_eq!(s.query, None);
    // a credential of the wrong kind does not satisfy Basic
    let s = auth_seen(vec![("basicAuth", Credential::bearer("tok"))]).await;
    assert_eq!(s.header("authorization"), None);
}

#[test]
fn debug_never_shows_secrets() {
    let c = ClientBuilder::new("http://localhost")
        .credential("bearerAuth", Credential::bearer("TOPSECRET1"))
        .credential("basicAuth", Credential::basic("bob", "TOPSECRET2"))
        .credential("api_key", Credential::ApiKey(Secret::new("TOPSECRET3")));
    let builder_dbg = format!("{c:?}");
    let client = c.build().unwrap();
    for dbg in [builder_dbg, format!("{client:?}"), format!("{client:#?}")] {
        assert!(!dbg.contains("TOPSECRET"), "{dbg}");
        assert!(dbg.contains("***"), "{dbg}");
    }
    assert_eq!(format!("{:?}", Secret::new("x")), "Secret(\"***\")");
}

// ---------------------------------------------------------------------------------------------
// Retries and timeouts

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = TestServer::start(|n, _| {
        if n == 0 {
            Reply::new(503)
        } else {
            Reply::json(200, r#"{"n":2}"#)
        }
    })
    .await;
    let c = ClientBuilder::new(&server.url)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let v: serde_json::Value = c
        .execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(v, json!({"n": 2}));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn retries_429_with_retry_after_zero() {
    let server = TestServer::start(|n, _| {
        if n < 2 {
            Reply::new(429).header("retry-after", "0")
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    // big backoff: only Retry-After: 0 keeps this fast
    let c = ClientBuilder::new(&server.url)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_secs(20), Duration::from_secs(20)),
        )
        .build()
        .unwrap();
    let start = Instant::now();
    c.execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts() {
    let server = TestServer::fixed(Reply::new(503).body("busy")).await;
    let c = ClientBuilder::new(&server.url)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap_err();
    match err {
        Error::Api(m) => {
            assert_eq!(m.status, 503);
            assert_eq!(m.body, b"busy");
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn post_is_not_retried() {
    let server = TestServer::fixed(Reply::new(503)).await;
    let c = ClientBuilder::new(&server.url)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&POST_ROOT))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(ErrorMetadata { status: 503, .. })));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn no_retry_policy_means_one_attempt() {
    let server = TestServer::fixed(Reply::new(503)).await;
    let c = ClientBuilder::new(&server.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    c.execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap_err();
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn timeout_is_a_transport_error() {
    let server = TestServer::fixed(Reply::json(200, "{}").delay_ms(3000)).await;
    let c = ClientBuilder::new(&server.url)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(err.is_timeout(), "{err:?}");
    match &err {
        Error::Timeout(t) => {
            assert_eq!(t.kind(), TransportErrorKind::Timeout);
            assert!(std::error::Error::source(t).is_some());
        }
        e => panic!("{e:?}"),
    }
    // A GET that timed out is retried: every attempt per the policy (3).
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn connection_refused_is_retried_then_transport_error() {
    // bind and drop to get a port nobody listens on
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = ClientBuilder::new(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&POST_ROOT))
        .await
        .unwrap_err();
    match err {
        Error::Transport(t) => assert!(t.is_connect(), "{t:?}"),
        e => panic!("{e:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Typed errors

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct ApiError {
    code: i32,
    message: String,
}

#[derive(Debug)]
enum GetThingError {
    NotFound(ApiError),
    Unknown(ErrorMetadata),
}

impl FromErrorResponse for GetThingError {
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError> {
        match resp.status() {
            404 => Ok(GetThingError::NotFound(resp.decode()?)),
            _ => Ok(GetThingError::Unknown(resp.metadata())),
        }
    }
}

#[tokio::test]
async fn typed_error_responses() {
    let server = TestServer::start(|_, s| match s.path.as_str() {
        "/404" => Reply::json(404, r#"{"code": 7, "message": "no such thing"}"#),
        "/bad404" => Reply::json(404, r#"{"unexpected": true}"#),
        _ => Reply::new(418)
            .header("x-teapot", "yes")
            .body("short and stout"),
    })
    .await;

    static AT: OperationSpec = OperationSpec::new("at", Method::Get, "/{p}")
        .params(&[p("p", Location::Path, Style::FormExploded)])
        .response(ResponseFormat::Json);
    let c = client(&server.url);

    let err = c
        .execute::<GetThingError>(Request::new(&AT).param("p", "404"))
        .await
        .unwrap_err();
    match err {
        Error::Api(GetThingError::NotFound(e)) => assert_eq!(
            e,
            ApiError {
                code: 7,
                message: "no such thing".into()
            }
        ),
        e => panic!("{e:?}"),
    }

    let err = c
        .execute::<GetThingError>(Request::new(&AT).param("p", "418"))
        .await
        .unwrap_err();
    match err {
        Error::Api(GetThingError::Unknown(m)) => {
            assert_eq!(m.status, 418);
            assert_eq!(m.body, b"short and stout");
            assert_eq!(m.header("X-Teapot"), Some("yes"));
            assert!(m.headers.iter().any(|(k, v)| k == "x-teapot" && v == "yes"));
        }
        e => panic!("{e:?}"),
    }

    let err = c
        .execute::<GetThingError>(Request::new(&AT).param("p", "bad404"))
        .await
        .unwrap_err();
    // `GetThingError` has no `unknown`: a decode error that keeps the status and the body.
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.status(), Some(404));
            assert_eq!(d.body_snippet(), Some(r#"{"unexpected": true}"#));
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn success_body_that_does_not_match_is_a_decode_error() {
    let server = TestServer::fixed(Reply::json(200, r#"{"code": "x"}"#)).await;
    let c = client(&server.url);
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_ROOT))
        .await
        .unwrap()
        .decode::<ApiError, ErrorMetadata>()
        .unwrap_err();
    match &err {
        // serde's message is part of the error's own (not repeated as a source), with the path.
        Error::Decode(d) => {
            assert!(std::error::Error::source(d).is_none());
            assert_eq!(d.path(), Some("code"), "{d}");
            assert!(d.message().contains("invalid type"), "{d}");
        }
        e => panic!("{e:?}"),
    }
    // Display works for the whole error
    assert!(
        err.to_string()
            .contains("cannot decode the response (HTTP 200) at `code`"),
        "{err}"
    );
}

#[test]
fn execute_future_and_errors_are_send_and_sync() {
    fn send<T: Send>(_: &T) {}
    fn send_sync<T: Send + Sync + 'static>() {}
    let c = client("http://127.0.0.1:1");
    let fut = c.execute::<GetThingError>(Request::new(&GET_ROOT));
    send(&fut);
    send_sync::<Client>();
    send_sync::<Request>();
    send_sync::<Error<ErrorMetadata>>();
    send_sync::<Response>();
}
