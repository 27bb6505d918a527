//! The transport seam (your own reqwest client, default headers), per-call options and
//! `with_response`, against a real server on loopback.

use crate::common;

use std::time::{Duration, Instant};

use common::{Reply, Seen, TestServer};
use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde_json::{json, Value};
use sdkwright_runtime::*;

const fn p(name: &'static str, location: Location) -> ParamSpec {
    ParamSpec::new(name, location, Style::FormExploded)
}

static KEY_HEADER: SecurityScheme =
    SecurityScheme::new("key_header", AuthKind::ApiKeyHeader("X-Api-Key"));

static GET_THING: OperationSpec = OperationSpec::new("getThing", Method::Get, "/things/{id}")
    .params(&[
        p("id", Location::Path),
        p("q", Location::Query),
        p("X-Trace", Location::Header),
    ])
    .response(ResponseFormat::Json)
    .security(&[&[&KEY_HEADER]]);

static POST_THING: OperationSpec = OperationSpec::new("postThing", Method::Post, "/things")
    .params(&[
        p("X-Trace", Location::Header),
        p("session", Location::Cookie),
    ])
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json)
    .security(&[&[&KEY_HEADER]]);

fn get(id: &str) -> Request {
    Request::new(&GET_THING).param("id", id)
}

async fn json_of(c: &Client, req: Request) -> Result<Value, Error<ErrorMetadata>> {
    c.execute::<ErrorMetadata>(req).await?.decode()
}

fn no_redirects() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

// ---------------------------------------------------------------------------------------------
// Bring your own reqwest client

#[tokio::test]
async fn own_reqwest_client_with_its_headers_and_a_proxyless_pool() {
    let server = TestServer::fixed(Reply::json(200, r#"{"ok":true}"#)).await;
    let mut own_headers = reqwest::header::HeaderMap::new();
    own_headers.insert("x-from-reqwest", "own".parse().unwrap());
    let http = no_redirects()
        .no_proxy()
        .pool_max_idle_per_host(1)
        .default_headers(own_headers)
        .build()
        .unwrap();
    let c = ClientBuilder::new(&server.url)
        .http_client(http)
        .user_agent("mine/1.0")
        .default_header("x-tenant", "acme")
        .credential("key_header", Credential::api_key("k"))
        .build()
        .unwrap();
    assert!(format!("{c:?}").contains("reqwest::Client"), "{c:?}");

    // Concurrent calls share the pool.
    let calls = (0..20).map(|i| {
        let c = c.clone();
        async move { json_of(&c, get(&i.to_string())).await }
    });
    for r in futures_join_all(calls).await {
        assert_eq!(r.unwrap(), json!({"ok": true}));
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 20);
    for s in &seen {
        assert_eq!(
            s.header("x-from-reqwest"),
            Some("own"),
            "the client's own header"
        );
        assert_eq!(
            s.header("x-tenant"),
            Some("acme"),
            "the runtime's default header"
        );
        assert_eq!(s.header("x-api-key"), Some("k"));
        assert_eq!(
            s.header("user-agent"),
            Some(format!("mine/1.0 {RUNTIME_USER_AGENT}").as_str()),
            "the runtime's User-Agent, on a client that has none"
        );
    }
}

/// Joins futures without a futures dependency: spawn each, await in order.
async fn futures_join_all<F, T>(fs: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn own_client_that_follows_redirects_is_refused() {
    let server = TestServer::start(|_, s| {
        if s.path == "/things/1" {
            Reply::new(302).header("location", "/elsewhere")
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    // reqwest's default policy follows redirects itself.
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let c = ClientBuilder::new(&server.url)
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = json_of(&c, get("1")).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Redirect);
    assert!(err.to_string().contains("Policy::none()"), "{err}");
    // The hop was made (which is why the check fails the call loudly).
    assert_eq!(server.seen().len(), 2);

    // The same client built as documented: the runtime follows the redirect.
    let c = ClientBuilder::new(&server.url)
        .http_client(no_redirects().no_proxy().build().unwrap())
        .build()
        .unwrap();
    assert_eq!(json_of(&c, get("1")).await.unwrap(), json!({}));
}

// ---------------------------------------------------------------------------------------------
// Default headers

#[tokio::test]
async fn default_headers_are_sent_and_never_cross_origins() {
    let other = TestServer::fixed(Reply::json(200, "{}")).await;
    let target = format!("{}/landing", other.url);
    let home = TestServer::start(move |_, s| {
        if s.path == "/things/1" {
            Reply::new(302).header("location", "/things/2")
        } else {
            Reply::new(307).header("location", &target)
        }
    })
    .await;
    let c = ClientBuilder::new(&home.url)
        .default_header("x-tenant", "acme")
        .default_header("x-multi", "a")
        .default_header("x-multi", "b")
        .default_secret_header("x-signing-key", "hunter2")
        .credential("key_header", Credential::api_key("k"))
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("hunter2"), "{c:?}");
    assert_eq!(json_of(&c, get("1")).await.unwrap(), json!({}));

    // Home got them on both hops (the same-origin redirect keeps them)...
    let seen = home.seen();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.header("x-tenant"), Some("acme"));
        assert_eq!(s.header("x-signing-key"), Some("hunter2"));
        let multi: Vec<_> = s.headers.iter().filter(|(k, _)| k == "x-multi").collect();
        assert_eq!(multi.len(), 2, "both values of a repeated default header");
    }
    // ...the other origin none of them, but the User-Agent.
    let landed = other.last();
    for h in ["x-tenant", "x-multi", "x-signing-key", "x-api-key"] {
        assert_eq!(landed.header(h), None, "`{h}` crossed origins: {landed:?}");
    }
    assert_eq!(landed.header("user-agent"), Some(RUNTIME_USER_AGENT));
}

#[tokio::test]
async fn the_operation_and_the_call_win_over_default_headers() {
    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    let c = ClientBuilder::new(&server.url)
        .default_header("x-trace", "default")
        .default_header("accept", "text/html")
        .default_header("x-tenant", "acme")
        .build()
        .unwrap();
    json_of(&c, get("1").param("X-Trace", "param"))
        .await
        .unwrap();
    let s = server.last();
    assert_eq!(
        headers_named(&s, "x-trace"),
        ["param"],
        "the parameter wins"
    );
    assert_eq!(headers_named(&s, "accept"), ["application/json"]);

    // A call's header replaces the parameter's and the default's.
    let call = CallOptions::new()
        .header("X-Trace", "call")
        .header("x-tenant", "other");
    json_of(&c, get("1").param("X-Trace", "param").options(call))
        .await
        .unwrap();
    let s = server.last();
    assert_eq!(headers_named(&s, "x-trace"), ["call"]);
    assert_eq!(headers_named(&s, "x-tenant"), ["other"]);

    // No parameter: the default.
    json_of(&c, get("1")).await.unwrap();
    assert_eq!(headers_named(&server.last(), "x-trace"), ["default"]);
}

fn headers_named<'a>(s: &'a Seen, name: &str) -> Vec<&'a str> {
    s.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[tokio::test]
async fn invalid_headers_fail_before_anything_is_sent() {
    let e = ClientBuilder::new("http://127.0.0.1:9")
        .default_header("bad header", "x")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("bad header"), "{e}");
    let e = ClientBuilder::new("http://127.0.0.1:9")
        .default_header("x-ok", "line\nbreak")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("x-ok"), "{e}");

    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    let call = CallOptions::new().header("x-ok", "a\r\nInjected: yes");
    let err = json_of(&c, get("1").options(call)).await.unwrap_err();
    assert!(matches!(err, Error::Request(_)), "{err:?}");
    assert!(server.seen().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Per-call options

#[tokio::test]
async fn per_call_timeout_beats_the_clients() {
    let server = TestServer::fixed(Reply::json(200, "{}").delay_ms(600)).await;
    // Shorter than the client's.
    let c = ClientBuilder::new(&server.url)
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let call = CallOptions::new().timeout(Duration::from_millis(150));
    let err = json_of(&c, get("1").options(call)).await.unwrap_err();
    let took = start.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(took < Duration::from_millis(550), "took {took:?}");

    // Longer than the client's: the call succeeds where the client's timeout would not.
    let c = ClientBuilder::new(&server.url)
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(json_of(&c, get("1")).await.unwrap_err().is_timeout());
    let call = CallOptions::new().timeout(Duration::from_secs(5));
    assert_eq!(
        json_of(&c, get("1").options(call)).await.unwrap(),
        json!({})
    );

    // The same with a client of your own, whose own timeout the call's replaces.
    let http = no_redirects()
        .no_proxy()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let c = ClientBuilder::new(&server.url)
        .http_client(http)
        .build()
        .unwrap();
    let call = CallOptions::new().timeout(Duration::from_secs(5));
    assert_eq!(
        json_of(&c, get("1").options(call)).await.unwrap(),
        json!({})
    );
}

#[tokio::test]
async fn per_call_headers_arrive_and_secrets_stay_out_of_debug() {
    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    let c = ClientBuilder::new(&server.url)
        .credential("key_header", Credential::api_key("client-key"))
        .build()
        .unwrap();
    let call = CallOptions::new()
        .header("x-request-source", "batch")
        .header("x-multi", "1")
        .header("x-multi", "2")
        .secret_header("x-api-key", "per-call-key")
        .idempotency_key("key-1")
        .retry_policy(RetryPolicy::none());
    let req = Request::new(&POST_THING)
        .body(&json!({"a": 1}))
        .options(call);
    let shown = format!("{req:?}");
    assert!(!shown.contains("per-call-key"), "{shown}");
    c.execute::<ErrorMetadata>(req).await.unwrap();
    let s = server.last();
    assert_eq!(s.header("x-request-source"), Some("batch"));
    assert_eq!(headers_named(&s, "x-multi"), ["1", "2"]);
    // A call's header replaces even the one auth sets (one token for one call).
    assert_eq!(headers_named(&s, "x-api-key"), ["per-call-key"]);
    assert_eq!(s.body_text(), r#"{"a":1}"#);
}

#[tokio::test]
async fn with_response_exposes_status_and_headers() {
    let server = TestServer::fixed(
        Reply::json(201, r#"{"id":7}"#)
            .header("location", "/things/7")
            .header("etag", "\"v1\"")
            .header("x-request-id", "req-123")
            .header("link", "</things?page=2>; rel=\"next\""),
    )
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    let req = Request::new(&POST_THING).body(&json!({}));
    let res: ApiResponse<Value> = c
        .execute::<ErrorMetadata>(req)
        .await
        .unwrap()
        .with_response(Response::decode::<Value, ErrorMetadata>)
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.header("Location"), Some("/things/7"));
    assert_eq!(res.header("etag"), Some("\"v1\""));
    assert_eq!(res.request_id(), Some("req-123"));
    assert_eq!(res.header("link"), Some("</things?page=2>; rel=\"next\""));
    assert_eq!(res.body(), &json!({"id": 7}));
    assert_eq!(res.into_body(), json!({"id": 7}));

    // A decode failure is the same error as `decode`'s.
    let server = TestServer::fixed(Reply::json(200, "not json")).await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    let err = c
        .execute::<ErrorMetadata>(get("1"))
        .await
        .unwrap()
        .with_response(Response::decode::<Value, ErrorMetadata>)
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.status() == Some(200)),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// A transport of your own

/// Refuses calls to one host, passes the others to reqwest.
struct Guard {
    inner: reqwest::Client,
    calls: std::sync::atomic::AtomicUsize,
}

impl Transport for Guard {
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if request.url().host_str() == Some("blocked.invalid") {
            let e = TransportError::with_source(
                TransportErrorKind::Connect,
                "blocked by policy",
                std::io::Error::other("egress denied"),
            );
            return Box::pin(async move { Err(e) });
        }
        self.inner.send(request)
    }
}

#[tokio::test]
async fn a_transport_of_your_own_wraps_reqwest_and_makes_its_own_errors() {
    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    let guard = std::sync::Arc::new(Guard {
        inner: no_redirects().no_proxy().build().unwrap(),
        calls: Default::default(),
    });
    let c = ClientBuilder::new(&server.url)
        .transport(guard.clone())
        .build()
        .unwrap();
    assert_eq!(json_of(&c, get("1")).await.unwrap(), json!({}));
    assert!(format!("{c:?}").contains("custom"), "{c:?}");

    let c = ClientBuilder::new("http://blocked.invalid")
        .transport(guard.clone())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = json_of(&c, get("1")).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_connect());
    assert!(err.to_string().contains("blocked by policy"), "{err}");
    let source = std::error::Error::source(t).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("egress denied"));
    assert_eq!(guard.calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(server.seen().len(), 1);
}
