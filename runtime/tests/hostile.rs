//! The runtime against hostile or broken servers on loopback: redirects that try to collect
//! credentials or bodies, responses nested deep enough to overflow a stack, endless bodies,
//! HTML error pages. Every case must end in a clean error, and the process must survive.

use crate::common;

use std::future::Future;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{Reply, Seen, TestServer};
use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde::Deserialize;
use sdkwright_runtime::serde_json::{self, json, Value};
use sdkwright_runtime::*;

// ---------------------------------------------------------------------------------------------
// Specs and helpers

const fn p(name: &'static str, location: Location) -> ParamSpec {
    ParamSpec::new(name, location, Style::FormExploded)
}

static BEARER: SecurityScheme = SecurityScheme::new("bearer", AuthKind::Bearer);
static KEY_HEADER: SecurityScheme =
    SecurityScheme::new("key_header", AuthKind::ApiKeyHeader("X-Api-Key"));
static KEY_QUERY: SecurityScheme =
    SecurityScheme::new("key_query", AuthKind::ApiKeyQuery("api_key"));
static KEY_COOKIE: SecurityScheme =
    SecurityScheme::new("key_cookie", AuthKind::ApiKeyCookie("SESSION"));
static BASIC: SecurityScheme = SecurityScheme::new("basic", AuthKind::Basic);

const PARAMS: &[ParamSpec] = &[
    p("id", Location::Path),
    p("q", Location::Query),
    p("X-Trace", Location::Header),
    p("prefs", Location::Cookie),
];

/// Every kind of credential at once (one security requirement), plus header and cookie
/// parameters.
static GET_ALL: OperationSpec = OperationSpec::new("getAll", Method::Get, "/things/{id}")
    .params(PARAMS)
    .response(ResponseFormat::Json)
    .security(&[&[&BEARER, &KEY_HEADER, &KEY_QUERY, &KEY_COOKIE]]);

static POST_ALL: OperationSpec = OperationSpec::new("postAll", Method::Post, "/things/{id}")
    .params(PARAMS)
    .body(BodyFormat::Json("application/json"))
    .response(ResponseFormat::Json)
    .security(&[&[&BEARER, &KEY_HEADER, &KEY_QUERY, &KEY_COOKIE]]);

static GET_BASIC: OperationSpec = OperationSpec::new("getBasic", Method::Get, "/basic")
    .response(ResponseFormat::Json)
    .security(&[&[&BASIC]]);

static GET_JSON: OperationSpec =
    OperationSpec::new("getJson", Method::Get, "/json").response(ResponseFormat::Json);

static GET_GRAPHQL: OperationSpec = OperationSpec::new("getGraphQl", Method::Post, "/graphql")
    .body(BodyFormat::graphql("{ a }", ""))
    .response(ResponseFormat::GraphQl);

static SOAP_OP: OperationSpec = OperationSpec::new("soapOp", Method::Post, "/soap")
    .body(BodyFormat::soap(SoapVersion::V11, "urn:op", "urn:x", "Op"))
    .response(ResponseFormat::Soap);

const SECRETS: &[&str] = &[
    "bearer-secret",
    "header-secret",
    "query-secret",
    "cookie-secret",
];

fn all_creds(url: &str) -> ClientBuilder {
    ClientBuilder::new(url)
        .retry_policy(RetryPolicy::none())
        .credential("bearer", Credential::bearer("bearer-secret"))
        .credential("key_header", Credential::api_key("header-secret"))
        .credential("key_query", Credential::api_key("query-secret"))
        .credential("key_cookie", Credential::api_key("cookie-secret"))
}

fn all_params(spec: &'static OperationSpec) -> Request {
    Request::new(spec)
        .param("id", "7")
        .param("q", "query-param")
        .param("X-Trace", "trace-param")
        .param("prefs", "cookie-param")
}

/// Everything a request carried, as one string, to search for secrets.
fn everything(s: &Seen) -> String {
    let mut all = format!(
        "{} {}?{}\n",
        s.method,
        s.path,
        s.query.clone().unwrap_or_default()
    );
    for (k, v) in &s.headers {
        all.push_str(&format!("{k}: {v}\n"));
    }
    all.push_str(&String::from_utf8_lossy(&s.body));
    all
}

/// Asserts the request that reached the other origin carries nothing from the call.
fn assert_nothing_leaked(s: &Seen) {
    let all = everything(s);
    for secret in SECRETS
        .iter()
        .chain(&["trace-param", "cookie-param", "hunter2"])
    {
        assert!(
            !all.contains(secret),
            "`{secret}` reached the other origin:\n{all}"
        );
    }
    for h in [
        "authorization",
        "cookie",
        "x-api-key",
        "x-trace",
        "content-type",
    ] {
        assert_eq!(
            s.header(h),
            None,
            "header `{h}` reached the other origin:\n{all}"
        );
    }
    assert!(s.body.is_empty(), "a body reached the other origin:\n{all}");
}

/// Runs `f` on a fresh thread with the default 2 MiB stack and its own runtime: a deep
/// response that recursed per level would overflow it and abort the test process.
fn on_small_stack<F, Fut>(f: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(f())
        })
        .unwrap()
        .join()
        .expect("the deep-response thread panicked");
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn cross_origin_redirect_carries_no_credential_of_any_kind() {
    for status in [301, 302, 303, 307, 308] {
        // Another port on 127.0.0.1 is another origin.
        let other = TestServer::fixed(Reply::json(200, "{}")).await;
        let target = format!("{}/landing?x=1", other.url);
        let home = TestServer::fixed(Reply::new(status).header("location", &target)).await;

        let c = all_creds(&home.url).build().unwrap();
        let v: Value = c
            .execute::<ErrorMetadata>(all_params(&GET_ALL))
            .await
            .unwrap()
            .decode::<_, ErrorMetadata>()
            .unwrap();
        assert_eq!(v, json!({}));

        // Home got everything...
        let first = home.last();
        let all = everything(&first);
        for secret in SECRETS {
            assert!(
                all.contains(secret),
                "{status}: home did not get `{secret}`:\n{all}"
            );
        }
        // ...the other origin nothing.
        let seen = other.seen();
        assert_eq!(seen.len(), 1, "{status}");
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].path, "/landing");
        assert_eq!(seen[0].query.as_deref(), Some("x=1"));
        assert_nothing_leaked(&seen[0]);
    }
}

#[tokio::test]
async fn cross_origin_redirect_drops_basic_auth_and_base_url_password() {
    let other = TestServer::fixed(Reply::json(200, "{}")).await;
    let target = format!("{}/landing", other.url);
    let home = TestServer::fixed(Reply::new(302).header("location", &target)).await;

    // A password in the base URL.
    let with_password = home.url.replace("http://", "http://alice:hunter2@");
    let c = ClientBuilder::new(&with_password).build().unwrap();
    assert!(!format!("{c:?}").contains("hunter2"), "{c:?}");
    assert!(!c.base_url().contains("hunter2"));
    c.execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap();
    // base64("alice:hunter2")
    assert_eq!(
        home.last().header("authorization"),
        Some("Basic YWxpY2U6aHVudGVyMg==")
    );
    assert_nothing_leaked(&other.last());

    // A basic credential.
    let c = ClientBuilder::new(&home.url)
        .credential("basic", Credential::basic("alice", "hunter2"))
        .build()
        .unwrap();
    c.execute::<ErrorMetadata>(Request::new(&GET_BASIC))
        .await
        .unwrap();
    assert_eq!(
        home.last().header("authorization"),
        Some("Basic YWxpY2U6aHVudGVyMg==")
    );
    assert_eq!(other.seen().len(), 2);
    assert_nothing_leaked(&other.last());
}

#[test]
fn base_url_password_never_in_errors() {
    for url in ["http://alice:hunter2@[::1", "ftp://alice:hunter2@host/"] {
        let e = ClientBuilder::new(url).build().unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("alice:***@"), "{shown}");
    }
}

#[tokio::test]
async fn same_origin_redirect_keeps_credentials() {
    let home = TestServer::start(|_, s| match s.path.as_str() {
        "/things/7" => Reply::new(307).header("location", "/moved?api_key=query-secret"),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let c = all_creds(&home.url).build().unwrap();
    c.execute::<ErrorMetadata>(all_params(&POST_ALL).body(&json!({"name": "rex"})))
        .await
        .unwrap();
    let seen = home.seen();
    assert_eq!(seen.len(), 2);
    let again = &seen[1];
    // 307 on the same origin: same method, same body, same credentials.
    assert_eq!(
        (again.method.as_str(), again.path.as_str()),
        ("POST", "/moved")
    );
    assert_eq!(again.body_text(), r#"{"name":"rex"}"#);
    assert_eq!(again.header("authorization"), Some("Bearer bearer-secret"));
    assert_eq!(again.header("x-api-key"), Some("header-secret"));
    assert_eq!(again.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn body_is_never_re_sent_to_another_origin() {
    for status in [307, 308] {
        let other = TestServer::fixed(Reply::json(200, "{}")).await;
        let target = format!("{}/landing", other.url);
        let home = TestServer::fixed(Reply::new(status).header("location", &target)).await;
        let c = all_creds(&home.url).build().unwrap();
        let err = c
            .execute::<ErrorMetadata>(all_params(&POST_ALL).body(&json!({"card": "4111"})))
            .await
            .unwrap_err();
        match &err {
            Error::Transport(t) => {
                assert_eq!(t.kind(), TransportErrorKind::Redirect);
                assert_eq!(t.status(), Some(status));
            }
            e => panic!("{status}: {e:?}"),
        }
        assert!(
            err.to_string().contains("re-send the request body"),
            "{err}"
        );
        assert!(
            other.seen().is_empty(),
            "{status}: the other origin was called"
        );
        assert_eq!(home.seen().len(), 1, "a refused redirect is not retried");
    }
    // 301/302/303 after a POST continue as a GET without body (nor Content-Type).
    for status in [301, 302, 303] {
        let other = TestServer::fixed(Reply::json(200, "{}")).await;
        let target = format!("{}/landing", other.url);
        let home = TestServer::fixed(Reply::new(status).header("location", &target)).await;
        let c = all_creds(&home.url).build().unwrap();
        c.execute::<ErrorMetadata>(all_params(&POST_ALL).body(&json!({"card": "4111"})))
            .await
            .unwrap();
        let seen = other.last();
        assert_eq!(seen.method, "GET", "{status}");
        assert_nothing_leaked(&seen);
    }
}

#[tokio::test]
async fn redirect_loops_and_limits() {
    let home = TestServer::fixed(Reply::new(302).header("location", "/again")).await;
    let c = ClientBuilder::new(&home.url).build().unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    match &err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Redirect),
        e => panic!("{e:?}"),
    }
    assert!(err.to_string().contains("more than 10 redirects"), "{err}");
    assert_eq!(home.seen().len(), 1 + DEFAULT_MAX_REDIRECTS as usize);

    // The timeout covers the whole chain, not each hop.
    let slow = TestServer::fixed(Reply::new(302).header("location", "/again").delay_ms(150)).await;
    let c = ClientBuilder::new(&slow.url)
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
    assert!(slow.seen().len() <= 5, "{}", slow.seen().len());

    // Not following: the 3xx is an error response like any other.
    let c = ClientBuilder::new(&home.url)
        .max_redirects(0)
        .build()
        .unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    match err {
        Error::Api(meta) => {
            assert_eq!(meta.status, 302);
            assert_eq!(meta.header("location"), Some("/again"));
        }
        e => panic!("{e:?}"),
    }

    // Locations that are not http(s) URLs.
    for location in ["javascript:alert(1)", "file:///etc/passwd", "http://[::1"] {
        let home = TestServer::fixed(Reply::new(302).header("location", location)).await;
        let err = client(&home.url)
            .execute::<ErrorMetadata>(Request::new(&GET_JSON))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Redirect),
            "{location}: {err:?}"
        );
    }
}

fn client(url: &str) -> Client {
    ClientBuilder::new(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Path and header parameters of the same name

static SAME_NAME: OperationSpec = OperationSpec::new("sameName", Method::Get, "/items/{id}")
    .params(&[p("id", Location::Path), p("id", Location::Header)]);

#[tokio::test]
async fn path_and_header_parameters_of_the_same_name_stay_apart() {
    let server = TestServer::fixed(Reply::new(204)).await;
    let c = client(&server.url);
    // In declaration order, as generated code calls them.
    c.execute::<ErrorMetadata>(
        Request::new(&SAME_NAME)
            .param("id", "in-path")
            .param("id", "in-header"),
    )
    .await
    .unwrap();
    let s = server.last();
    assert_eq!(s.path, "/items/in-path");
    assert_eq!(s.header("id"), Some("in-header"));

    // By location, in any order.
    c.execute::<ErrorMetadata>(
        Request::new(&SAME_NAME)
            .param_in(Location::Header, "id", "h2")
            .param_in(Location::Path, "id", "p2"),
    )
    .await
    .unwrap();
    let s = server.last();
    assert_eq!(s.path, "/items/p2");
    assert_eq!(s.header("id"), Some("h2"));

    // A header value alone does not fill the path.
    let err = c
        .execute::<ErrorMetadata>(Request::new(&SAME_NAME).param_in(Location::Header, "id", "h"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("missing path parameter `id`"),
        "{err}"
    );
    let err = c
        .execute::<ErrorMetadata>(Request::new(&SAME_NAME).param_in(Location::Query, "id", "q"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Request(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Deep responses

#[derive(Debug, Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Tree {
    #[serde(default)]
    a: Option<Box<Tree>>,
}

impl Tree {
    fn depth(&self) -> usize {
        let mut n = 1;
        let mut t = self;
        while let Some(next) = &t.a {
            n += 1;
            t = next;
        }
        n
    }
}

fn deep_json(depth: usize) -> String {
    format!("{}{}", r#"{"a":"#.repeat(depth), "}".repeat(depth + 1)).replacen('}', "{}", 1)
}

fn soap(inner: &str) -> String {
    format!(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{inner}</soap:Body></soap:Envelope>"#
    )
}

fn deep_xml(depth: usize) -> String {
    format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth))
}

#[test]
fn deep_json_responses_are_clean_errors() {
    on_small_stack(|| async {
        let deep = deep_json(100_000);
        let arrays = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let server = TestServer::start(move |_, s| match s.path.as_str() {
            "/json" => Reply::json(200, &deep),
            "/graphql" => Reply::json(200, &format!(r#"{{"data":{arrays}}}"#)),
            _ => Reply::json(200, &arrays),
        })
        .await;
        let c = client(&server.url);

        // A generated (recursive) type, and serde_json::Value.
        let err = c
            .execute::<ErrorMetadata>(Request::new(&GET_JSON))
            .await
            .unwrap()
            .decode::<Tree, ErrorMetadata>()
            .unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("recursion limit"), "{shown}");
        match &err {
            Error::Decode(d) => {
                assert_eq!(d.status(), Some(200));
                // The snippet is the part of the body around the failure, bounded.
                assert!(d.body_snippet().unwrap().contains(r#"{"a":{"a":"#));
                assert!(d.body_snippet().unwrap().len() <= SNIPPET_LIMIT);
                assert!(d.path().unwrap().starts_with("a.a.a"), "{:?}", d.path());
            }
            e => panic!("{e:?}"),
        }
        let err = c
            .execute::<ErrorMetadata>(Request::new(&GET_JSON))
            .await
            .unwrap()
            .decode::<Value, ErrorMetadata>()
            .unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
        let err = c
            .execute::<ErrorMetadata>(Request::new(&GET_GRAPHQL))
            .await
            .unwrap()
            .decode::<Value, ErrorMetadata>()
            .unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
    });
}

#[test]
fn json_as_deep_as_serde_json_allows_decodes_and_drops_on_a_small_stack() {
    on_small_stack(|| async {
        let server = TestServer::fixed(Reply::json(200, &deep_json(120))).await;
        let c = client(&server.url);
        let t: Tree = c
            .execute::<ErrorMetadata>(Request::new(&GET_JSON))
            .await
            .unwrap()
            .decode::<Tree, ErrorMetadata>()
            .unwrap();
        assert_eq!(t.depth(), 121);
        let v: Value = serde_json::from_str(&deep_json(120)).unwrap();
        drop((t, v));
    });
}

#[test]
fn deep_xml_responses_are_clean_errors() {
    on_small_stack(|| async {
        let deep = soap(&deep_xml(100_000));
        let deep_fault = soap(&format!(
            "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring><detail>{}</detail></soap:Fault>",
            deep_xml(100_000)
        ));
        let server = TestServer::start(move |n, _| match n {
            0 => Reply::new(200)
                .header("content-type", "text/xml")
                .body(deep.clone()),
            _ => Reply::new(500)
                .header("content-type", "text/xml")
                .body(deep_fault.clone()),
        })
        .await;
        let c = client(&server.url);
        let err = c
            .execute::<ErrorMetadata>(Request::new(&SOAP_OP))
            .await
            .unwrap()
            .decode::<Value, ErrorMetadata>()
            .unwrap_err();
        assert!(err.to_string().contains("nested deeper than 256"), "{err}");
        match &err {
            Error::Decode(d) => assert_eq!(d.status(), Some(200)),
            e => panic!("{e:?}"),
        }

        let err = c
            .execute::<ErrorMetadata>(Request::new(&SOAP_OP))
            .await
            .unwrap_err();
        let Error::Api(meta) = err else {
            panic!("{err:?}")
        };
        assert_eq!(meta.status, 500);
        let fault = meta.soap_fault().unwrap_err();
        assert!(fault.to_string().contains("nested deeper"), "{fault}");
    });
}

#[test]
fn xml_just_under_the_depth_cap_decodes_on_a_small_stack() {
    on_small_stack(|| async {
        // Envelope and Body are two levels, the response element a third.
        let body = soap(&format!("<r>{}</r>", deep_xml(MAX_XML_DEPTH - 3)));
        let server = TestServer::fixed(Reply::new(200).body(body)).await;
        let c = client(&server.url);
        let t: Tree = c
            .execute::<ErrorMetadata>(Request::new(&SOAP_OP))
            .await
            .unwrap()
            .decode::<Tree, ErrorMetadata>()
            .unwrap();
        assert_eq!(t.depth(), MAX_XML_DEPTH - 2);
        // serde_json::Value recurses deepest per level: still fine on 2 MiB in a debug build.
        let v: Value = c
            .execute::<ErrorMetadata>(Request::new(&SOAP_OP))
            .await
            .unwrap()
            .decode::<Value, ErrorMetadata>()
            .unwrap();
        drop(v);

        let over = soap(&format!("<r>{}</r>", deep_xml(MAX_XML_DEPTH - 2)));
        let server = TestServer::fixed(Reply::new(200).body(over)).await;
        let err = client(&server.url)
            .execute::<ErrorMetadata>(Request::new(&SOAP_OP))
            .await
            .unwrap()
            .decode::<Tree, ErrorMetadata>()
            .unwrap_err();
        assert!(err.to_string().contains("nested deeper"), "{err}");
    });
}

// ---------------------------------------------------------------------------------------------
// Body size

/// A raw HTTP/1.1 server on its own thread that answers every connection with these headers
/// and then `chunk` forever (chunked encoding), until the client goes away.
fn endless_server(extra_headers: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{extra_headers}\r\n"
                );
                if conn.write_all(head.as_bytes()).is_err() {
                    return;
                }
                if extra_headers.contains("content-length") {
                    // Announce a huge body, send a little, then hang.
                    let _ = conn.write_all(b"[1,2,3");
                    std::thread::sleep(Duration::from_secs(30));
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "[".repeat(0x10000));
                while conn.write_all(chunk.as_bytes()).is_ok() {}
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn endless_body_stops_at_the_limit() {
    let url = endless_server("transfer-encoding: chunked\r\n");
    for (limit, max_secs) in [(1 << 20, 5), (DEFAULT_MAX_BODY_SIZE, 30)] {
        let c = ClientBuilder::new(&url)
            .max_body_size(limit)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        assert_eq!(c.max_body_size(), limit);
        let start = Instant::now();
        let err = c
            .execute::<ErrorMetadata>(Request::new(&GET_JSON))
            .await
            .unwrap_err();
        let took = start.elapsed();
        match &err {
            Error::Transport(t) => {
                assert_eq!(t.kind(), TransportErrorKind::BodyTooLarge);
                assert_eq!(t.status(), Some(200));
            }
            e => panic!("{e:?}"),
        }
        assert!(err.to_string().contains("body too large"), "{err}");
        assert!(took < Duration::from_secs(max_secs), "{limit}: {took:?}");
        eprintln!("endless body, limit {limit} B: refused after {took:?}");
    }
}

#[tokio::test]
async fn announced_oversized_body_is_refused_before_reading() {
    let url = endless_server("content-length: 100000000000\r\n");
    let c = ClientBuilder::new(&url)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn body_at_the_limit_is_read_whole() {
    let server = TestServer::fixed(Reply::json(200, &format!("\"{}\"", "x".repeat(998)))).await;
    let c = ClientBuilder::new(&server.url)
        .max_body_size(1000)
        .build()
        .unwrap();
    let s: String = c
        .execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(s.len(), 998);
    let c = ClientBuilder::new(&server.url)
        .max_body_size(999)
        .build()
        .unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Error responses keep status, headers and a snippet

#[derive(Debug, Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Problem {
    #[allow(dead_code)]
    code: i32,
}

/// As generated code writes it.
#[derive(Debug)]
#[allow(dead_code)]
enum GenError {
    Unavailable(Problem),
    NotFound(Problem),
    Unknown(ErrorMetadata),
}

impl FromErrorResponse for GenError {
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError> {
        Ok(match resp.status() {
            503 => Self::Unavailable(resp.decode()?),
            404 => Self::NotFound(resp.decode()?),
            _ => Self::Unknown(resp.metadata()),
        })
    }
    fn unknown(meta: ErrorMetadata) -> Option<Self> {
        Some(Self::Unknown(meta))
    }
}

impl std::fmt::Display for GenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unavailable(_) => f.write_str("op: unavailable"),
            Self::NotFound(_) => f.write_str("op: not found"),
            Self::Unknown(meta) => write!(f, "op: unexpected {meta}"),
        }
    }
}

/// As code generated before `unknown` existed writes it.
#[derive(Debug)]
struct OldError(#[allow(dead_code)] Problem);

impl std::fmt::Display for OldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("old error")
    }
}

impl FromErrorResponse for OldError {
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError> {
        Ok(OldError(resp.decode()?))
    }
}

const HTML_503: &str = "<html><head><title>503 Service Unavailable</title></head>\n<body><h1>Service Unavailable</h1>ünïcödé</body></html>";

#[tokio::test]
async fn html_error_pages_keep_status_headers_and_snippet() {
    let big_html = format!("<html>{}</html>", "é".repeat(5000));
    let server = TestServer::start(move |_, s| match s.path.as_str() {
        "/json" => Reply::new(503)
            .header("content-type", "text/html")
            .header("x-request-id", "req-1")
            .body(HTML_503),
        _ => Reply::new(404)
            .header("content-type", "text/html")
            .body(big_html.clone()),
    })
    .await;
    let c = client(&server.url);
    let err = c
        .execute::<GenError>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    let shown = err.to_string();
    let Error::Api(GenError::Unknown(meta)) = err else {
        panic!("{err:?}")
    };
    assert_eq!(meta.status, 503);
    assert_eq!(meta.header("x-request-id"), Some("req-1"));
    assert_eq!(meta.header("content-type"), Some("text/html"));
    assert_eq!(meta.body_snippet(), HTML_503);
    assert!(
        meta.decode_error.as_deref().unwrap().contains("JSON body"),
        "{meta:?}"
    );
    assert!(shown.contains("503"), "{shown}");

    // An error type written before `unknown`: a decode error, with status and snippet.
    let err = c
        .execute::<OldError>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.status(), Some(503));
    assert_eq!(d.body_snippet(), Some(HTML_503));
    let shown = err.to_string();
    assert!(
        shown.contains("HTTP 503") && shown.contains("<title>503"),
        "{shown}"
    );

    // A large body: the snippet is bounded and cut on a character boundary.
    static OTHER: OperationSpec =
        OperationSpec::new("getJson", Method::Get, "/other").response(ResponseFormat::Json);
    let err = c
        .execute::<GenError>(Request::new(&OTHER))
        .await
        .unwrap_err();
    let Error::Api(GenError::Unknown(meta)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(meta.status, 404);
    let snippet = meta.body_snippet();
    assert!(snippet.len() <= SNIPPET_LIMIT && snippet.len() > SNIPPET_LIMIT - 4);
    assert!(snippet.starts_with("<html>éé"));
    assert!(err.to_string().len() < 600, "{err}");

    // A 2xx that is HTML: decode error with status and snippet.
    let ok = TestServer::fixed(Reply::new(200).body(HTML_503)).await;
    let err = client(&ok.url)
        .execute::<GenError>(Request::new(&GET_JSON))
        .await
        .unwrap()
        .decode::<Problem, GenError>()
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.status(), Some(200));
    assert_eq!(d.body_snippet(), Some(HTML_503));
}

#[tokio::test]
async fn deep_json_error_body_becomes_unknown() {
    let deep = deep_json(100_000);
    let server = TestServer::fixed(Reply::json(404, &deep)).await;
    let err = client(&server.url)
        .execute::<GenError>(Request::new(&GET_JSON))
        .await
        .unwrap_err();
    let Error::Api(GenError::Unknown(meta)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(meta.status, 404);
    // serde_json skips the unknown field without recursing, then misses `code`.
    let why = meta.decode_error.as_deref().unwrap();
    assert!(why.contains("JSON body does not match"), "{why}");
}
