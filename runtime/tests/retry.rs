//! Retries against a fault-injecting loopback server (raw TCP, so that it can drop a connection
//! before or after reading the request, stall, or cut a body), with the Sleep/TimeSource seam
//! recording every wait instead of sleeping.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde_json::{json, Value};
use sdkwright_runtime::{
    RetryReason, Sleep, SleepFuture, TimeSource, TransportErrorKind, Uuid,
    DEFAULT_IDEMPOTENCY_HEADER,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// The fault server

/// What the server does with one connection.
#[derive(Debug, Clone)]
enum Fault {
    /// Closes the connection before reading anything.
    DropBeforeRead,
    /// Reads the request (and applies it), then closes without answering.
    DropAfterRead,
    /// Reads the request (and applies it), then waits this long before answering 200.
    Stall(Duration),
    /// Answers this status with these headers (the request is not applied).
    Status(u16, Vec<(&'static str, String)>),
    /// Applies the request and answers 200 with `Content-Length: 64` but only 10 bytes.
    Truncate,
    /// As `Truncate`, then resets the connection (RST) instead of closing it.
    ResetMidBody,
    /// Applies the request and answers 200 with the JSON `{"applied": n}`.
    Ok,
}

fn status(code: u16) -> Fault {
    Fault::Status(code, Vec::new())
}

/// A request the server read completely.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Log {
    /// Connections accepted.
    connections: usize,
    /// Requests read completely.
    received: Vec<Received>,
    /// Times a request was applied (a repeated idempotency key is not applied again).
    applied: usize,
    /// Idempotency keys applied, and the `applied` count each one produced.
    keys: HashMap<String, usize>,
}

struct FaultServer {
    url: String,
    log: Arc<Mutex<Log>>,
}

impl FaultServer {
    /// Connection `n` (0-based) gets `script[n]`; connections past the script get `Ok`.
    async fn start(script: Vec<Fault>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Log::default()));
        let state = log.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let fault = {
                    let mut l = state.lock().unwrap();
                    l.connections += 1;
                    script.get(l.connections - 1).cloned().unwrap_or(Fault::Ok)
                };
                tokio::spawn(serve(sock, fault, state.clone()));
            }
        });
        FaultServer { url, log }
    }

    fn connections(&self) -> usize {
        self.log.lock().unwrap().connections
    }
    fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().received.clone()
    }
    fn applied(&self) -> usize {
        self.log.lock().unwrap().applied
    }
}

/// Reads one request: head and `Content-Length` body.
async fn read_request(sock: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    lines.next()?; // the request line
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Received { headers })
}

async fn serve(mut sock: TcpStream, fault: Fault, log: Arc<Mutex<Log>>) {
    if let Fault::DropBeforeRead = fault {
        drop(sock);
        return;
    }
    let Some(req) = read_request(&mut sock).await else {
        return;
    };
    // Applies the request once per idempotency key; the `applied` count it produced.
    let apply = |req: &Received| {
        let mut l = log.lock().unwrap();
        l.received.push(req.clone());
        let key = req.header(DEFAULT_IDEMPOTENCY_HEADER).map(str::to_owned);
        if let Some(n) = key.as_ref().and_then(|k| l.keys.get(k)) {
            return *n;
        }
        l.applied += 1;
        let n = l.applied;
        if let Some(k) = key {
            l.keys.insert(k, n);
        }
        n
    };
    let ok = |n: usize| {
        let body = format!(r#"{{"applied":{n}}}"#);
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let reset = matches!(fault, Fault::ResetMidBody);
    let reply = match fault {
        Fault::DropBeforeRead => unreachable!(),
        Fault::DropAfterRead => {
            apply(&req);
            return;
        }
        Fault::Stall(d) => {
            let n = apply(&req);
            tokio::time::sleep(d).await;
            ok(n)
        }
        Fault::Status(code, headers) => {
            log.lock().unwrap().received.push(req);
            let mut r =
                format!("HTTP/1.1 {code} Whatever\r\ncontent-length: 2\r\nconnection: close\r\n");
            for (k, v) in headers {
                r.push_str(&format!("{k}: {v}\r\n"));
            }
            r + "\r\n{}"
        }
        Fault::Truncate | Fault::ResetMidBody => {
            apply(&req);
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\
             connection: close\r\n\r\n{\"applied\""
                .to_owned()
        }
        Fault::Ok => ok(apply(&req)),
    };
    let _ = sock.write_all(reply.as_bytes()).await;
    if reset {
        let _ = sock.flush().await;
        // Closing with a zero linger time sends RST: a reset in the middle of the body.
        let _ = sock.set_zero_linger();
        drop(sock);
        return;
    }
    let _ = sock.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// The time seam: sleeps return at once and advance a fake clock; every wait is recorded.

/// A fixed, whole-second start so that HTTP dates (second resolution) are exact.
fn epoch() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

#[derive(Debug, Default, Clone)]
struct FakeTime(Arc<Mutex<Vec<Duration>>>);

impl FakeTime {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleep for FakeTime {
    fn sleep(&self, wait: Duration) -> SleepFuture {
        self.0.lock().unwrap().push(wait);
        Box::pin(async {})
    }
}

impl TimeSource for FakeTime {
    fn now(&self) -> SystemTime {
        epoch() + self.0.lock().unwrap().iter().sum::<Duration>()
    }
}

// ---------------------------------------------------------------------------------------------
// Operations and clients

static GET_ITEM: OperationSpec = get("getItem", "/items/1").response(ResponseFormat::Json);
static POST_ITEM: OperationSpec = post("createItem", "/items")
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json);
static PATCH_ITEM: OperationSpec = patch("patchItem", "/items/1")
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json);
/// The API declares an `Idempotency-Key` header parameter.
static POST_DECLARED: OperationSpec = post("createDeclared", "/items")
    .params(&[header("Idempotency-Key")])
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json)
    .idempotency_header("Idempotency-Key");

fn s(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

/// A client of `url` with this policy and the fake time; `configure` adds to the builder.
fn client_with(
    url: &str,
    policy: RetryPolicy,
    time: &FakeTime,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Client {
    configure(
        ClientBuilder::new(url)
            .retry_policy(policy)
            // Generous: only a stall should time out, even on a loaded machine.
            .timeout(s(10))
            .sleep(time.clone())
            .time_source(time.clone()),
    )
    .build()
    .unwrap()
}

/// A stall longer than [`SHORT`], the timeout of the clients that meet stalls.
const STALL: Fault = Fault::Stall(Duration::from_secs(3));
const SHORT: Duration = Duration::from_millis(500);

/// The timeout for a client meeting `fault`: short for a stall, else the default 10 s.
fn timeout_for(fault: &Fault) -> Duration {
    if matches!(fault, Fault::Stall(_)) {
        SHORT
    } else {
        s(10)
    }
}

fn client(url: &str, policy: RetryPolicy, time: &FakeTime) -> Client {
    client_with(url, policy, time, |b| b)
}

async fn call(c: &Client, req: Request) -> Result<Value, Error<ErrorMetadata>> {
    c.execute::<ErrorMetadata>(req)
        .await?
        .decode::<Value, ErrorMetadata>()
}

fn post_req() -> Request {
    Request::new(&POST_ITEM).body(&json!({"name": "x"}))
}

/// Every fault the classifier retries, except a stall (real time: tested on its own).
fn retryable_faults() -> Vec<(&'static str, Fault)> {
    vec![
        ("drop before reading", Fault::DropBeforeRead),
        ("drop after reading", Fault::DropAfterRead),
        ("body cut", Fault::Truncate),
        ("reset mid-body", Fault::ResetMidBody),
        ("408", status(408)),
        ("429", status(429)),
        ("500", status(500)),
        ("502", status(502)),
        ("503", status(503)),
        ("504", status(504)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Attempts match the policy

#[tokio::test]
async fn get_is_retried_on_every_retryable_fault_until_it_succeeds() {
    for (what, fault) in retryable_faults() {
        let server = FaultServer::start(vec![fault.clone(), fault.clone()]).await;
        let time = FakeTime::default();
        let c = client(&server.url, RetryPolicy::default(), &time);
        let v = call(&c, Request::new(&GET_ITEM))
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        // The third attempt got the whole body; a GET has no key, so the faults that read the
        // request applied it too.
        let applied = if matches!(
            fault,
            Fault::DropAfterRead | Fault::Truncate | Fault::ResetMidBody
        ) {
            3
        } else {
            1
        };
        assert_eq!(v, json!({ "applied": applied }), "{what}");
        assert_eq!(server.connections(), 3, "{what}");
        assert_eq!(time.waits().len(), 2, "{what}");
    }
}

#[tokio::test]
async fn get_gives_up_after_max_attempts() {
    for (what, fault) in retryable_faults() {
        let server = FaultServer::start(vec![fault; 10]).await;
        let time = FakeTime::default();
        let policy = RetryPolicy::default().with_max_attempts(4);
        let err = call(&client(&server.url, policy, &time), Request::new(&GET_ITEM))
            .await
            .unwrap_err();
        assert_eq!(server.connections(), 4, "{what}");
        assert_eq!(time.waits().len(), 3, "{what}");
        match (&fault_status(what), err) {
            (Some(code), Error::Api(m)) => assert_eq!(m.status, *code, "{what}"),
            (None, Error::Transport(t)) => {
                assert_eq!(t.kind(), TransportErrorKind::Other, "{what}: {t}");
                // The cut body failed after the status arrived.
                let in_body = what.contains("body");
                assert_eq!(t.status(), in_body.then_some(200), "{what}");
            }
            (_, e) => panic!("{what}: {e:?}"),
        }
    }
}

fn fault_status(what: &str) -> Option<u16> {
    what.parse().ok()
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for code in [400, 401, 403, 404, 409, 422, 501, 505] {
        let server = FaultServer::start(vec![status(code); 3]).await;
        let time = FakeTime::default();
        let err = call(
            &client(&server.url, RetryPolicy::default(), &time),
            Request::new(&GET_ITEM),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Api(ErrorMetadata { status, .. }) if status == code));
        assert_eq!(server.connections(), 1, "{code}");
        assert!(time.waits().is_empty());
    }
}

#[tokio::test]
async fn a_timed_out_get_is_retried() {
    let server = FaultServer::start(vec![STALL, STALL]).await;
    let time = FakeTime::default();
    let c = client_with(&server.url, RetryPolicy::default(), &time, |b| {
        b.timeout(SHORT)
    });
    let v = call(&c, Request::new(&GET_ITEM)).await.unwrap();
    assert_eq!(v, json!({"applied": 3}));
    assert_eq!(server.connections(), 3);
    assert_eq!(time.waits().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_post_without_key() {
    // Bind and drop: nobody listens on this port; the request provably never left.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let time = FakeTime::default();
    let c = client(
        &format!("http://127.0.0.1:{port}"),
        RetryPolicy::default().with_max_attempts(5),
        &time,
    );
    match call(&c, post_req()).await.unwrap_err() {
        Error::Transport(t) => assert!(t.is_connect(), "{t:?}"),
        e => panic!("{e:?}"),
    }
    assert_eq!(time.waits().len(), 4);
}

#[tokio::test]
async fn a_per_call_policy_wins_over_the_client_policy() {
    let server = FaultServer::start(vec![status(503); 10]).await;
    let time = FakeTime::default();
    let c = client(&server.url, RetryPolicy::default(), &time);
    let req = Request::new(&GET_ITEM).retry_policy(RetryPolicy::default().with_max_attempts(6));
    call(&c, req).await.unwrap_err();
    assert_eq!(server.connections(), 6);
    let req = Request::new(&GET_ITEM).retry_policy(RetryPolicy::none());
    call(&c, req).await.unwrap_err();
    assert_eq!(server.connections(), 7);
}

// ---------------------------------------------------------------------------------------------
// Idempotency

#[tokio::test]
async fn a_post_or_patch_without_key_is_received_at_most_once_under_every_fault() {
    let mut faults = retryable_faults();
    faults.push(("stall past the timeout", STALL));
    for (what, fault) in faults {
        for spec in [&POST_ITEM, &PATCH_ITEM] {
            let server = FaultServer::start(vec![fault.clone(); 5]).await;
            let time = FakeTime::default();
            let policy = RetryPolicy::default().with_max_attempts(5);
            let c = client_with(&server.url, policy, &time, |b| {
                b.timeout(timeout_for(&fault))
            });
            let req = Request::new(spec).body(&json!({"name": "x"}));
            call(&c, req).await.unwrap_err();
            assert_eq!(server.connections(), 1, "{what} {}", spec.name());
            let expected = usize::from(!matches!(fault, Fault::DropBeforeRead));
            assert_eq!(server.received().len(), expected, "{what}");
            assert!(time.waits().is_empty(), "{what}");
            assert!(server
                .received()
                .iter()
                .all(|r| r.header("idempotency-key").is_none()));
        }
    }
}

#[tokio::test]
async fn a_post_with_a_key_is_applied_exactly_once_and_every_attempt_has_the_same_key() {
    let mut faults = retryable_faults();
    faults.push(("stall past the timeout", STALL));
    for (what, fault) in faults {
        let server = FaultServer::start(vec![fault.clone(), fault.clone()]).await;
        let time = FakeTime::default();
        let c = client_with(&server.url, RetryPolicy::default(), &time, |b| {
            b.idempotency_keys(true).timeout(timeout_for(&fault))
        });
        let v = call(&c, post_req())
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(v, json!({"applied": 1}), "{what}");
        assert_eq!(server.applied(), 1, "{what}");
        assert_eq!(server.connections(), 3, "{what}");
        let received = server.received();
        let keys: Vec<&str> = received
            .iter()
            .map(|r| r.header("idempotency-key").unwrap())
            .collect();
        let dropped_unread = usize::from(matches!(fault, Fault::DropBeforeRead));
        assert_eq!(keys.len(), 3 - 2 * dropped_unread, "{what}");
        assert!(keys.iter().all(|k| *k == keys[0]), "{what}: {keys:?}");
        let uuid = Uuid::parse_str(keys[0]).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
    }
}

#[tokio::test]
async fn every_call_gets_its_own_automatic_key() {
    let server = FaultServer::start(Vec::new()).await;
    let time = FakeTime::default();
    let c = client_with(&server.url, RetryPolicy::default(), &time, |b| {
        b.idempotency_keys(true)
    });
    for n in 1..=3 {
        assert_eq!(call(&c, post_req()).await.unwrap(), json!({"applied": n}));
    }
    // A GET is idempotent by itself: no key.
    call(&c, Request::new(&GET_ITEM)).await.unwrap();
    let keys: Vec<Option<String>> = server
        .received()
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_owned))
        .collect();
    assert_eq!(keys.len(), 4);
    assert!(keys[0] != keys[1] && keys[1] != keys[2] && keys[0] != keys[2]);
    assert_eq!(keys[3], None);
}

#[tokio::test]
async fn the_callers_key_wins_and_is_the_same_on_every_attempt() {
    let server = FaultServer::start(vec![status(503), Fault::DropAfterRead]).await;
    let time = FakeTime::default();
    let c = client_with(&server.url, RetryPolicy::default(), &time, |b| {
        b.idempotency_keys(true)
    });
    let v = call(&c, post_req().idempotency_key("order-42"))
        .await
        .unwrap();
    assert_eq!(v, json!({"applied": 1}));
    let keys: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["order-42"; 3]);

    // A per-call key makes a POST retryable without any client configuration.
    let server = FaultServer::start(vec![status(500)]).await;
    let c = client(&server.url, RetryPolicy::default(), &time);
    call(&c, post_req().idempotency_key("k1")).await.unwrap();
    assert_eq!(server.connections(), 2);
    // An invalid key is a request error, nothing is sent.
    let err = call(&c, post_req().idempotency_key("a\nb"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Request(_)), "{err:?}");
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn an_api_declared_idempotency_header_gets_a_key_or_the_parameters_value() {
    // Declared by the API: automatic, without client configuration.
    let server = FaultServer::start(vec![status(502), Fault::DropAfterRead]).await;
    let time = FakeTime::default();
    let c = client(&server.url, RetryPolicy::default(), &time);
    let req = Request::new(&POST_DECLARED).body(&json!({}));
    assert_eq!(call(&c, req).await.unwrap(), json!({"applied": 1}));
    let received = server.received();
    assert_eq!(received.len(), 3);
    let key = received[0].header("idempotency-key").unwrap();
    assert!(Uuid::parse_str(key).is_ok(), "{key}");
    assert!(received
        .iter()
        .all(|r| r.header("idempotency-key") == Some(key)));

    // The header parameter's value is the caller's key.
    let server = FaultServer::start(vec![Fault::DropAfterRead]).await;
    let c = client(&server.url, RetryPolicy::default(), &time);
    let req = Request::new(&POST_DECLARED)
        .param("Idempotency-Key", "mine")
        .body(&json!({}));
    assert_eq!(call(&c, req).await.unwrap(), json!({"applied": 1}));
    let keys: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["mine", "mine"]);
}

#[tokio::test]
async fn the_idempotency_header_is_configurable() {
    let server = FaultServer::start(vec![status(503)]).await;
    let time = FakeTime::default();
    let c = client_with(&server.url, RetryPolicy::default(), &time, |b| {
        b.idempotency_keys(true).idempotency_header("X-Request-Id")
    });
    call(&c, post_req()).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received[0].header("idempotency-key").is_none());
    let id = received[0].header("x-request-id").unwrap();
    assert_eq!(received[1].header("x-request-id"), Some(id));

    let err = ClientBuilder::new("http://127.0.0.1:1")
        .idempotency_header("bad header")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("idempotency header"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Waits

/// The waits of a GET answered `reply` once, then 200.
async fn waits_after(reply: Fault, policy: RetryPolicy) -> Vec<Duration> {
    let server = FaultServer::start(vec![reply]).await;
    let time = FakeTime::default();
    call(&client(&server.url, policy, &time), Request::new(&GET_ITEM))
        .await
        .unwrap();
    assert_eq!(server.connections(), 2);
    time.waits()
}

#[tokio::test]
async fn retry_after_and_rate_limit_resets_are_honoured_and_capped() {
    let p = RetryPolicy::default; // max_backoff 10 s
    let h = |code, k: &'static str, v: &str| Fault::Status(code, vec![(k, v.to_owned())]);
    let date = |secs| httpdate::fmt_http_date(epoch() + s(secs));
    let cases: Vec<(Fault, Vec<Duration>)> = vec![
        (h(503, "retry-after", "2"), vec![s(2)]),
        (h(429, "retry-after", "0"), vec![s(0)]),
        (h(503, "retry-after", &date(5)), vec![s(5)]),
        // A date in the past: no wait.
        (
            h(429, "retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
            vec![s(0)],
        ),
        // Capped by max_backoff.
        (h(503, "retry-after", "3600"), vec![s(10)]),
        (h(503, "retry-after", &date(3600)), vec![s(10)]),
        (h(429, "ratelimit-reset", "3"), vec![s(3)]),
        (h(429, "x-ratelimit-reset", "4"), vec![s(4)]),
        (h(429, "x-ratelimit-reset", "1800000007"), vec![s(7)]),
        (
            h(429, "x-ratelimit-reset-requests", "1.5s"),
            vec![Duration::from_millis(1500)],
        ),
        (h(429, "x-ratelimit-reset-requests", "6m0s"), vec![s(10)]),
        (h(408, "retry-after", "1"), vec![s(1)]),
    ];
    for (fault, expected) in cases {
        let what = format!("{fault:?}");
        assert_eq!(waits_after(fault, p()).await, expected, "{what}");
    }
    // A larger cap lets a long Retry-After through, within the elapsed bound (60 s by default).
    let long = RetryPolicy::default().with_backoff(Duration::from_millis(100), s(600));
    let server = FaultServer::start(vec![h(503, "retry-after", "120")]).await;
    let time = FakeTime::default();
    let c = client(&server.url, long.clone(), &time);
    call(&c, Request::new(&GET_ITEM)).await.unwrap_err();
    assert_eq!((server.connections(), time.waits()), (1, vec![]));
    let long = long.with_max_elapsed(s(600));
    assert_eq!(
        waits_after(h(503, "retry-after", "120"), long).await,
        [s(120)]
    );
}

#[tokio::test]
async fn backoff_is_full_jitter_under_the_exponential_ceiling() {
    let server = FaultServer::start(vec![status(500); 20]).await;
    let time = FakeTime::default();
    let policy = RetryPolicy::default()
        .with_max_attempts(6)
        .with_backoff(Duration::from_millis(100), Duration::from_millis(500))
        .with_max_elapsed(s(60));
    call(&client(&server.url, policy, &time), Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    assert_eq!(server.connections(), 6);
    let waits = time.waits();
    assert_eq!(waits.len(), 5);
    for (i, w) in waits.iter().enumerate() {
        let ceiling = Duration::from_millis(100 * (1 << i)).min(Duration::from_millis(500));
        assert!(*w <= ceiling, "wait {i}: {w:?} > {ceiling:?}");
    }
}

#[tokio::test]
async fn the_elapsed_bound_stops_retries() {
    let busy = Fault::Status(503, vec![("retry-after", "4".to_owned())]);
    let server = FaultServer::start(vec![busy; 20]).await;
    let time = FakeTime::default();
    let policy = RetryPolicy::default()
        .with_max_attempts(10)
        .with_max_elapsed(s(10));
    let err = call(&client(&server.url, policy, &time), Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(ErrorMetadata { status: 503, .. })));
    // 0 s, 4 s and 8 s: a fourth attempt would start at 12 s, past the 10 s bound.
    assert_eq!(time.waits(), [s(4), s(4)]);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_real_client_waits_for_real() {
    // Without the seam, the default tokio sleep waits out Retry-After.
    let server = FaultServer::start(vec![Fault::Status(
        503,
        vec![("retry-after", "1".to_owned())],
    )])
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    let start = std::time::Instant::now();
    call(&c, Request::new(&GET_ITEM)).await.unwrap();
    let took = start.elapsed();
    assert!(took >= s(1) && took < s(5), "{took:?}");
    assert_eq!(server.connections(), 2);
}

#[test]
fn retry_reasons_display() {
    assert_eq!(RetryReason::Status(503).to_string(), "status 503");
    assert_eq!(
        RetryReason::BodyInterrupted.to_string(),
        "connection lost in the response body"
    );
}
