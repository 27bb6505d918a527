//! Interceptors (request signing, hook order, refusals) and the `tracing` spans of a call,
//! against the recording loopback server.

use crate::common;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::{Reply, Seen, TestServer};
use ring::hmac;
use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde_json::{json, Value};
use sdkwright_runtime::{
    AfterResponse, BeforeSend, Credential, Interceptor, InterceptorError, OnRetry, RetryReason,
    Sleep, SleepFuture, TimeSource,
};

/// The tests of this file run one at a time: tracing caches each callsite's interest globally, and
/// a call made on another test's thread (no subscriber) while the capturing subscriber of
/// `tracing_spans_…` registers could leave a span disabled (seen once as a flaky failure).
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

static CREATE: OperationSpec = post("createOrder", "/shops/{shop}/orders")
    .params(&[path("shop"), query("dry_run")])
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json);

static KEY: SecurityScheme = SecurityScheme::api_key_query("key", "api_key");
static TOKEN: SecurityScheme = SecurityScheme::api_key_header("token", "X-Token");
static GET_SECRET: OperationSpec = get("getOrder", "/orders/{id}")
    .params(&[path("id"), query("q")])
    .response(ResponseFormat::Json)
    .security(&[&[&KEY, &TOKEN]]);

/// Sleeps return at once; the clock stands still.
#[derive(Debug)]
struct NoWait;
impl Sleep for NoWait {
    fn sleep(&self, _: Duration) -> SleepFuture {
        Box::pin(async {})
    }
}
impl TimeSource for NoWait {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH
    }
}

fn builder(url: &str) -> ClientBuilder {
    ClientBuilder::new(url)
        .sleep(NoWait)
        .time_source(NoWait)
        .retry_policy(RetryPolicy::default().with_max_attempts(3))
}

async fn call(c: &Client, req: Request) -> Result<Value, Error<ErrorMetadata>> {
    c.execute::<ErrorMetadata>(req)
        .await?
        .decode::<Value, ErrorMetadata>()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// What is signed: method, path, query, idempotency key, body.
fn string_to_sign(method: &str, path: &str, query: &str, key: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{method}\n{path}\n{query}\n{key}\n").into_bytes();
    m.extend_from_slice(body);
    m
}

// ---------------------------------------------------------------------------------------------
// Request signing

/// Signs each attempt with HMAC-SHA256, as a user would.
struct HmacSigner {
    key: hmac::Key,
}

impl Interceptor for HmacSigner {
    fn before_send(&self, req: &mut BeforeSend<'_>) -> Result<(), InterceptorError> {
        let idempotency = req.header("idempotency-key").unwrap_or("").to_owned();
        let message = string_to_sign(
            req.method(),
            req.path(),
            req.query().unwrap_or(""),
            &idempotency,
            req.body().unwrap_or_default(),
        );
        let tag = hmac::sign(&self.key, &message);
        req.set_header("x-signature", &hex(tag.as_ref()))?;
        req.set_header("x-signed-attempt", &req.attempt().to_string())?;
        Ok(())
    }
}

fn verify(secret: &[u8], seen: &Seen) -> bool {
    let Some(sig) = seen.header("x-signature") else {
        return false;
    };
    let message = string_to_sign(
        &seen.method,
        &seen.path,
        seen.query.as_deref().unwrap_or(""),
        seen.header("idempotency-key").unwrap_or(""),
        &seen.body,
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let Some(tag) = (0..sig.len())
        .step_by(2)
        .map(|i| {
            sig.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    hmac::verify(&key, &message, &tag).is_ok()
}

#[tokio::test]
async fn an_hmac_signing_interceptor_is_verified_by_the_server_on_every_attempt() {
    let _serial = SERIAL.lock().await;
    const SECRET: &[u8] = b"shared secret";
    // The server checks each signature; the first attempt gets a 503, then a 200 only if the
    // signature is right (401 otherwise).
    let server = TestServer::start(|n, seen| {
        if !verify(SECRET, seen) {
            Reply::json(401, r#"{"error":"bad signature"}"#)
        } else if n == 0 {
            Reply::new(503)
        } else {
            Reply::json(200, r#"{"ok":true}"#)
        }
    })
    .await;
    let c = builder(&server.url)
        .idempotency_keys(true)
        .interceptor(HmacSigner {
            key: hmac::Key::new(hmac::HMAC_SHA256, SECRET),
        })
        .build()
        .unwrap();
    let req = Request::new(&CREATE)
        .param("shop", "s 1")
        .param("dry_run", &true)
        .body(&json!({"item": "é", "qty": 2}));
    assert_eq!(call(&c, req).await.unwrap(), json!({"ok": true}));
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for (i, s) in seen.iter().enumerate() {
        assert!(verify(SECRET, s), "attempt {}", i + 1);
        // The signature covered the percent-encoded path, the query and the key.
        assert_eq!(s.path, "/shops/s%201/orders");
        assert_eq!(s.query.as_deref(), Some("dry_run=true"));
        assert!(s.header("idempotency-key").is_some());
        // Headers set by the interceptor belong to their attempt only.
        assert_eq!(s.header("x-signed-attempt"), Some(&*(i + 1).to_string()));
    }

    // A wrong key: the server refuses the signature.
    let c = builder(&server.url)
        .interceptor(HmacSigner {
            key: hmac::Key::new(hmac::HMAC_SHA256, b"wrong"),
        })
        .build()
        .unwrap();
    let req = Request::new(&CREATE).param("shop", "s").body(&json!({}));
    let err = call(&c, req).await.unwrap_err();
    assert!(
        matches!(err, Error::Api(ErrorMetadata { status: 401, .. })),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Hook order

#[derive(Clone, Default)]
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Interceptor for Recorder {
    fn before_send(&self, req: &mut BeforeSend<'_>) -> Result<(), InterceptorError> {
        let seen_before = req.header("x-order").unwrap_or("").to_owned();
        req.set_header("x-order", &format!("{seen_before}{}", self.name))?;
        self.log.lock().unwrap().push(format!(
            "{} before {} {} {} #{}",
            self.name,
            req.operation(),
            req.method(),
            req.path_template(),
            req.attempt()
        ));
        Ok(())
    }
    fn after_response(&self, resp: &AfterResponse<'_>) {
        self.log.lock().unwrap().push(format!(
            "{} after #{} {} {}",
            self.name,
            resp.attempt(),
            resp.status(),
            resp.header("x-server").unwrap_or("-")
        ));
    }
    fn on_retry(&self, retry: &OnRetry) {
        self.log.lock().unwrap().push(format!(
            "{} retry #{} {} {:?}",
            self.name,
            retry.attempt(),
            retry.reason(),
            retry.wait()
        ));
    }
}

#[tokio::test]
async fn hooks_run_in_order_on_every_attempt() {
    let _serial = SERIAL.lock().await;
    let server = TestServer::start(|n, _| match n {
        0 => Reply::new(503)
            .header("retry-after", "2")
            .header("x-server", "busy"),
        _ => Reply::json(200, "{}").header("x-server", "fine"),
    })
    .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let a = Recorder {
        name: "A",
        log: log.clone(),
    };
    let b = Recorder {
        name: "B",
        log: log.clone(),
    };
    let c = builder(&server.url)
        .interceptor(a)
        .interceptor(b)
        .build()
        .unwrap();
    let req = Request::new(&GET_SECRET).param("id", &7);
    call(&c, req).await.unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            "A before getOrder GET /orders/{id} #1",
            "B before getOrder GET /orders/{id} #1",
            "A after #1 503 busy",
            "B after #1 503 busy",
            "A retry #1 status 503 2s",
            "B retry #1 status 503 2s",
            "A before getOrder GET /orders/{id} #2",
            "B before getOrder GET /orders/{id} #2",
            "A after #2 200 fine",
            "B after #2 200 fine",
        ]
    );
    // B saw what A set.
    assert!(server
        .seen()
        .iter()
        .all(|s| s.header("x-order") == Some("AB")));
}

#[derive(Debug)]
struct Refuse;
impl Interceptor for Refuse {
    fn before_send(&self, _: &mut BeforeSend<'_>) -> Result<(), InterceptorError> {
        Err("no signing key loaded".into())
    }
}

#[tokio::test]
async fn a_refusing_interceptor_fails_the_call_before_anything_is_sent() {
    let _serial = SERIAL.lock().await;
    let server = TestServer::fixed(Reply::json(200, "{}")).await;
    let c = builder(&server.url).interceptor(Refuse).build().unwrap();
    let err = call(&c, Request::new(&GET_SECRET).param("id", &1))
        .await
        .unwrap_err();
    match &err {
        Error::Request(e) => assert!(e.message().contains("interceptor refused"), "{e}"),
        e => panic!("{e:?}"),
    }
    // The interceptor's reason is the error's source (Display prints each cause once).
    let cause = std::error::Error::source(&err).map(|s| s.to_string());
    assert_eq!(cause.as_deref(), Some("no signing key loaded"), "{err}");
    assert_eq!(server.seen().len(), 0);
}

#[tokio::test]
async fn retry_reasons_reach_on_retry() {
    let _serial = SERIAL.lock().await;
    // Connection refused: the reason is Connect.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let log = Arc::new(Mutex::new(Vec::new()));
    #[derive(Clone)]
    struct Reasons(Arc<Mutex<Vec<RetryReason>>>);
    impl Interceptor for Reasons {
        fn on_retry(&self, r: &OnRetry) {
            self.0.lock().unwrap().push(r.reason());
        }
    }
    let c = builder(&format!("http://127.0.0.1:{port}"))
        .interceptor(Reasons(log.clone()))
        .build()
        .unwrap();
    call(&c, Request::new(&GET_SECRET).param("id", &1))
        .await
        .unwrap_err();
    assert_eq!(*log.lock().unwrap(), [RetryReason::Connect; 2]);
}

// ---------------------------------------------------------------------------------------------
// tracing spans

/// A span or event the capturing subscriber saw: its name and every field recorded on it.
#[derive(Debug, Clone)]
struct Captured {
    name: String,
    target: String,
    parent: Option<u64>,
    id: u64,
    fields: Vec<(String, String)>,
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Visitor<'a>(&'a mut Vec<(String, String)>);
impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

#[derive(Default)]
struct Capture {
    next: AtomicU64,
    spans: Mutex<Vec<Captured>>,
    events: Mutex<Vec<Captured>>,
    current: Mutex<Vec<u64>>,
}

#[derive(Clone, Default)]
struct Shared(Arc<Capture>);

impl tracing::Subscriber for Shared {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.0.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Vec::new();
        attrs.record(&mut Visitor(&mut fields));
        let parent = attrs.parent().map(tracing::span::Id::into_u64).or_else(|| {
            attrs
                .is_contextual()
                .then(|| self.0.current.lock().unwrap().last().copied())
                .flatten()
        });
        self.0.spans.lock().unwrap().push(Captured {
            name: attrs.metadata().name().to_owned(),
            target: attrs.metadata().target().to_owned(),
            parent,
            id,
            fields,
        });
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.0.spans.lock().unwrap();
        if let Some(s) = spans.iter_mut().find(|s| s.id == span.into_u64()) {
            values.record(&mut Visitor(&mut s.fields));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Visitor(&mut fields));
        self.0.events.lock().unwrap().push(Captured {
            name: event.metadata().name().to_owned(),
            target: event.metadata().target().to_owned(),
            parent: self.0.current.lock().unwrap().last().copied(),
            id: 0,
            fields,
        });
    }
    fn enter(&self, span: &tracing::span::Id) {
        self.0.current.lock().unwrap().push(span.into_u64());
    }
    fn exit(&self, span: &tracing::span::Id) {
        let mut current = self.0.current.lock().unwrap();
        if let Some(i) = current.iter().rposition(|s| *s == span.into_u64()) {
            current.remove(i);
        }
    }
}

#[tokio::test]
async fn tracing_spans_carry_the_call_and_attempts_and_nothing_secret() {
    let _serial = SERIAL.lock().await;
    let capture = Shared::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    tracing::callsite::rebuild_interest_cache();
    let server = TestServer::start(|n, _| match n {
        0 => Reply::new(503).header("retry-after", "1"),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let c = builder(&server.url)
        .credential("key", Credential::api_key("query-secret-1"))
        .credential("token", Credential::api_key("header-secret-2"))
        .build()
        .unwrap();
    let req = Request::new(&GET_SECRET)
        .param("id", "id-value-3")
        .param("q", "query-value-4");
    call(&c, req).await.unwrap();
    assert_eq!(server.seen().len(), 2);
    assert_eq!(
        server.last().header("x-token"),
        Some("header-secret-2"),
        "the secret was sent"
    );

    let spans: Vec<Captured> = capture.0.spans.lock().unwrap().clone();
    let ours: Vec<&Captured> = spans
        .iter()
        .filter(|s| s.target.starts_with("sdkwright"))
        .collect();
    let names: Vec<&str> = ours.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "sdkwright.request",
            "sdkwright.attempt",
            "sdkwright.attempt"
        ]
    );
    let call_span = ours[0];
    assert_eq!(call_span.field("operation"), Some("getOrder"));
    assert_eq!(call_span.field("method"), Some("GET"));
    assert_eq!(call_span.field("path"), Some("/orders/{id}"));
    assert_eq!(call_span.field("attempts"), Some("2"));
    assert_eq!(call_span.field("status"), Some("200"));
    for (i, (attempt, status)) in [("1", "503"), ("2", "200")].iter().enumerate() {
        let s = ours[i + 1];
        assert_eq!(s.parent, Some(call_span.id), "attempt spans are children");
        assert_eq!(s.field("attempt"), Some(*attempt));
        assert_eq!(s.field("status"), Some(*status));
    }
    let events: Vec<Captured> = capture.0.events.lock().unwrap().clone();
    let retry = events
        .iter()
        .find(|e| e.field("message") == Some("retrying"))
        .expect("a retry event");
    assert_eq!(retry.field("reason"), Some("status 503"));
    assert_eq!(retry.field("wait_ms"), Some("1000"));

    // Nothing secret in any span or event of ours: no header value, no query, no path value.
    let all = ours
        .iter()
        .copied()
        .chain(events.iter().filter(|e| e.target.starts_with("sdkwright")));
    for c in all {
        for (k, v) in &c.fields {
            for secret in ["secret", "value", "api_key", "?"] {
                assert!(!v.contains(secret), "{}: {k} = {v}", c.name);
            }
        }
    }
}
