//! The error type generated code returns (contract 4: `Client::call`), against a loopback
//! server: typed error bodies, metadata on every variant, problem+json, HTML error pages,
//! decode errors with the JSON path, GraphQL errors (partial data, HTTP 400), SOAP faults, and
//! `Display` chains that print each cause once.

use crate::common;

use std::error::Error as StdError;
use std::time::Duration;

use common::{Reply, TestServer};
use sdkwright_runtime::__private as rt;
use sdkwright_runtime::serde_json::{json, Value};
use sdkwright_runtime::{
    ApiError, Error, ErrorMetadata, GraphQlPathSegment, RetryPolicy, SoapFault, TransportErrorKind,
};

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Problem {
    code: i32,
    message: String,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Validation {
    fields: Vec<String>,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Item {
    id: i64,
    name: String,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Page {
    items: Vec<Item>,
}

/// One error body type, declared for 404 and `4XX` (a 500 is undeclared).
static GET_ITEM: rt::OperationSpec = rt::get("getItem", "/items/1")
    .response(rt::ResponseFormat::Json)
    .errors(&[
        rt::status(404),
        rt::status(410).no_body(),
        rt::status_class(4),
    ]);

/// `default` with a body: every status.
static LIST_ITEMS: rt::OperationSpec = rt::get("listItems", "/items")
    .response(rt::ResponseFormat::Json)
    .errors(&[rt::any_status()]);

/// No declared error body: `serde_json::Value`, any JSON.
static DELETE_ITEM: rt::OperationSpec = rt::delete("deleteItem", "/items/1");

/// Two error body types: an enum, as the generator writes it for such an operation (this also
/// proves a downstream crate can implement `ErrorBody` beside the runtime's blanket impl).
static CREATE_ITEM: rt::OperationSpec = rt::post("createItem", "/items")
    .body(rt::BodyFormat::Json("application/json"))
    .response(rt::ResponseFormat::Json);

#[derive(Debug)]
enum CreateItemErrorBody {
    UnprocessableEntity(Validation),
    Default(Problem),
}

impl rt::ErrorBody for CreateItemErrorBody {
    fn from_response(resp: &rt::ErrorResponse) -> Option<Result<Self, rt::DecodeError>> {
        Some(match resp.status() {
            422 => resp.decode().map(Self::UnprocessableEntity),
            401 => return None,
            _ => resp.decode().map(Self::Default),
        })
    }
}

static GRAPHQL: rt::OperationSpec = rt::post("Hero", "/graphql")
    .body(rt::BodyFormat::graphql(
        "query Hero { hero { name friends { name } } }",
        "Hero",
    ))
    .response(rt::ResponseFormat::GraphQl);

static SOAP: rt::OperationSpec = rt::post("GetQuote", "/soap")
    .body(rt::BodyFormat::soap(
        rt::SoapVersion::V11,
        "urn:GetQuote",
        "urn:q",
        "GetQuote",
    ))
    .response(rt::ResponseFormat::Soap)
    .errors(&[rt::any_status()]);

fn client(url: &str) -> rt::Client {
    rt::ClientBuilder::new(url)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Every message along the `source()` chain, top first.
fn chain(e: &dyn StdError) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out
}

/// Asserts that no level of the chain repeats the message of the level below it (what
/// `anyhow`'s `{:#}` would then print twice).
fn assert_each_cause_once(e: &dyn StdError) -> Vec<String> {
    let levels = chain(e);
    for w in levels.windows(2) {
        assert!(
            !w[1].is_empty() && !w[0].contains(&w[1]),
            "a cause is printed twice: {levels:#?}"
        );
    }
    levels
}

#[tokio::test]
async fn a_declared_json_error_body_is_typed_with_all_the_metadata() {
    let server = TestServer::fixed(
        Reply::json(404, r#"{"code": 404, "message": "no item 1"}"#)
            .header("x-request-id", "req-42"),
    )
    .await;
    let err = client(&server.url)
        .call::<Item, Problem>(rt::Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    let Error::Api(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), 404);
    assert_eq!(e.operation(), "getItem");
    assert_eq!(e.request_id(), Some("req-42"));
    assert_eq!(e.header("Content-Type"), Some("application/json"));
    assert_eq!(e.raw_body(), br#"{"code": 404, "message": "no item 1"}"#);
    assert_eq!(
        e.body(),
        Some(&Problem {
            code: 404,
            message: "no item 1".into()
        })
    );
    assert_eq!(e.decode_error(), None);
    assert_eq!(
        err.to_string(),
        "getItem: HTTP 404 Not Found: no item 1 (request id req-42)"
    );
    assert_eq!(
        (err.status(), err.request_id()),
        (Some(404), Some("req-42"))
    );
    assert_eq!(err.response().map(|r| r.status), Some(404));
    assert_each_cause_once(&err);
}

#[tokio::test]
async fn statuses_follow_the_declared_table() {
    // 4XX: typed.
    let server = TestServer::fixed(Reply::json(409, r#"{"code": 9, "message": "conflict"}"#)).await;
    let err = client(&server.url)
        .call::<Item, Problem>(rt::Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    assert_eq!(err.api().and_then(|e| e.body()).map(|p| p.code), Some(9));

    // 410 is declared without a body: no typed body, and no decode error.
    let server = TestServer::fixed(Reply::json(410, r#"{"code": 9, "message": "gone"}"#)).await;
    let err = client(&server.url)
        .call::<Item, Problem>(rt::Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    let e = err.api().unwrap();
    assert_eq!((e.status(), e.body(), e.decode_error()), (410, None, None));
    assert_eq!(e.server_message().as_deref(), Some("gone"));

    // 500 is not declared: status and raw body, no typed body.
    let server = TestServer::fixed(Reply::json(500, r#"{"code": 1, "message": "boom"}"#)).await;
    let err = client(&server.url)
        .call::<Item, Problem>(rt::Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    let e = err.api().unwrap();
    assert_eq!((e.status(), e.body(), e.decode_error()), (500, None, None));
    assert_eq!(e.raw_body(), br#"{"code": 1, "message": "boom"}"#);
    assert_eq!(
        err.to_string(),
        "getItem: HTTP 500 Internal Server Error: boom"
    );
}

#[tokio::test]
async fn an_html_500_keeps_its_status_and_raw_body() {
    const HTML: &str = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = TestServer::fixed(
        Reply::new(500)
            .header("content-type", "text/html; charset=utf-8")
            .body(HTML),
    )
    .await;
    let err = client(&server.url)
        .call::<Vec<Item>, Problem>(rt::Request::new(&LIST_ITEMS))
        .await
        .unwrap_err();
    let Error::Api(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), 500);
    assert_eq!(e.raw_body(), HTML.as_bytes());
    assert!(e.body().is_none());
    assert!(
        e.decode_error().unwrap().contains("expected value"),
        "{e:?}"
    );
    assert_eq!(e.server_message(), None);
    assert_eq!(
        err.to_string(),
        format!(
            "listItems: HTTP 500 Internal Server Error ({}-byte text/html body; not the declared error type)",
            HTML.len()
        )
    );
}

#[tokio::test]
async fn problem_json_is_read() {
    let body = r#"{"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.",
        "status": 403, "detail": "Your balance is 30, but that costs 50.", "instance": "/account/12345/msgs/abc"}"#;
    let server = TestServer::fixed(
        Reply::new(403)
            .header("content-type", "application/problem+json")
            .header("x-amzn-requestid", "amz-1")
            .body(body),
    )
    .await;
    let err = client(&server.url)
        .call::<(), Value>(rt::Request::new(&DELETE_ITEM))
        .await
        .unwrap_err();
    let Error::Api(e) = &err else {
        panic!("{err:?}")
    };
    let p = e.problem().expect("a problem");
    assert_eq!(p.status, Some(403));
    assert_eq!(
        p.kind.as_deref(),
        Some("https://example.com/probs/out-of-credit")
    );
    assert_eq!(p.instance.as_deref(), Some("/account/12345/msgs/abc"));
    // No declared error body: the JSON is there as a `Value`.
    assert_eq!(e.body().and_then(|v| v["status"].as_u64()), Some(403));
    assert_eq!(
        err.to_string(),
        "deleteItem: HTTP 403 Forbidden: You do not have enough credit.: Your balance is 30, but \
         that costs 50. (request id amz-1)"
    );
}

#[tokio::test]
async fn several_error_body_types_are_an_enum() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::json(422, r#"{"fields": ["name"]}"#),
        1 => Reply::json(503, r#"{"code": 3, "message": "later"}"#),
        _ => Reply::json(
            401,
            r#"{"error": "invalid_token", "error_description": "expired"}"#,
        ),
    })
    .await;
    let c = client(&server.url);
    let send = || {
        c.call::<Item, CreateItemErrorBody>(
            rt::Request::new(&CREATE_ITEM).body(&json!({"name": "x"})),
        )
    };
    let err = send().await.unwrap_err();
    assert!(
        matches!(err.api().and_then(|e| e.body()), Some(CreateItemErrorBody::UnprocessableEntity(v)) if v.fields == ["name"]),
        "{err:?}"
    );
    let err = send().await.unwrap_err();
    assert!(
        matches!(err.api().and_then(|e| e.body()), Some(CreateItemErrorBody::Default(p)) if p.code == 3),
        "{err:?}"
    );
    let err = send().await.unwrap_err();
    let e = err.api().unwrap();
    assert!(e.body().is_none() && e.decode_error().is_none(), "{e:?}");
    assert_eq!(
        err.to_string(),
        "createItem: HTTP 401 Unauthorized: invalid_token: expired"
    );
}

#[tokio::test]
async fn truncated_and_mistyped_json_name_the_path_of_the_failure() {
    let long_name = "n".repeat(3000);
    let truncated =
        format!(r#"{{"items": [{{"id": 1, "name": "{long_name}"}}, {{"id": 2, "name": "b"#);
    let mistyped = r#"{"items": [{"id": 1, "name": "a"}, {"id": "two", "name": "b"}]}"#;
    let server = TestServer::start(move |n, _| match n {
        0 => Reply::json(200, &truncated).header("x-request-id", "t-1"),
        _ => Reply::json(200, mistyped),
    })
    .await;
    let c = client(&server.url);

    let err = c
        .call::<Page, Problem>(rt::Request::new(&LIST_ITEMS))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.path(), Some("items[1].name"), "{d}");
    assert!(d.message().contains("EOF"), "{d}");
    assert_eq!(d.operation(), Some("listItems"));
    let resp = d.response().unwrap();
    assert_eq!((resp.status, resp.request_id()), (200, Some("t-1")));
    assert!(resp.body.len() > 3000, "the whole raw body is kept");
    // The snippet is bounded and shows the failure (the end of the body), not its start.
    let snip = d.body_snippet().unwrap();
    assert!(
        snip.len() <= sdkwright_runtime::SNIPPET_LIMIT,
        "{}",
        snip.len()
    );
    assert!(snip.ends_with(r#""name": "b"#), "{snip}");
    assert_eq!(err.request_id(), Some("t-1"));
    let shown = err.to_string();
    assert!(shown.starts_with("listItems: cannot decode the response (HTTP 200) at `items[1].name`: JSON body does not match the declared type: EOF while parsing"), "{shown}");
    assert!(shown.len() < 800, "{}", shown.len());
    assert_each_cause_once(&err);

    let err = c
        .call::<Page, Problem>(rt::Request::new(&LIST_ITEMS))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.path(), Some("items[1].id"), "{d}");
    assert!(
        d.message()
            .contains(r#"invalid type: string "two", expected i64"#),
        "{d}"
    );
}

#[tokio::test]
async fn graphql_errors_with_http_400_are_typed() {
    let server = TestServer::fixed(Reply::json(
        400,
        r#"{"errors": [{"message": "Cannot query field \"gdp\" on type \"Country\".",
            "locations": [{"line": 1, "column": 21}], "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}"#,
    ))
    .await;
    let err = client(&server.url)
        .call::<Value, Value>(rt::Request::new(&GRAPHQL))
        .await
        .unwrap_err();
    let Error::GraphQl(g) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(g.status(), 400);
    assert!(!g.is_partial());
    let e = &g.errors()[0];
    assert_eq!((e.locations[0].line, e.locations[0].column), (1, 21));
    assert_eq!(e.code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert_eq!(
        err.to_string(),
        "Hero: 1 GraphQL error (HTTP 400): Cannot query field \"gdp\" on type \"Country\". \
         (line 1, column 21) [GRAPHQL_VALIDATION_FAILED]"
    );
    assert_eq!(err.response().map(|r| r.status), Some(400));

    // A 400 without GraphQL errors stays an API error with its status and body.
    let server = TestServer::fixed(Reply::new(400).body("bad request")).await;
    let err = client(&server.url)
        .call::<Value, Value>(rt::Request::new(&GRAPHQL))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 400 && e.raw_body() == b"bad request"),
        "{err:?}"
    );
}

#[tokio::test]
async fn graphql_partial_data_comes_with_the_errors() {
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Friend {
        name: String,
    }
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Hero {
        name: String,
        friends: Vec<Option<Friend>>,
    }
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct HeroData {
        hero: Hero,
    }
    let server = TestServer::fixed(Reply::json(
        200,
        r#"{"data": {"hero": {"name": "R2-D2", "friends": [{"name": "Luke"}, null]}},
            "errors": [{"message": "friend 1 is classified", "path": ["hero", "friends", 1, "name"]}, "odd"]}"#,
    ))
    .await;
    let err = client(&server.url)
        .call::<HeroData, Value>(rt::Request::new(&GRAPHQL))
        .await
        .unwrap_err();
    let Error::GraphQl(g) = &err else {
        panic!("{err:?}")
    };
    assert!(g.is_partial());
    let data: HeroData = g.decode_data().unwrap().unwrap();
    assert_eq!(data.hero.name, "R2-D2");
    assert_eq!(
        data.hero.friends[0].as_ref().map(|f| f.name.as_str()),
        Some("Luke")
    );
    assert!(data.hero.friends[1].is_none());
    assert_eq!(
        g.errors()[0].path,
        [
            GraphQlPathSegment::Field("hero".into()),
            GraphQlPathSegment::Field("friends".into()),
            GraphQlPathSegment::Index(1),
            GraphQlPathSegment::Field("name".into()),
        ]
    );
    // An entry that is not an error object is kept, as its JSON text.
    assert_eq!(g.errors()[1].message, r#""odd""#);
    assert_eq!(
        err.to_string(),
        "Hero: 2 GraphQL errors (HTTP 200, partial data): friend 1 is classified (at \
         hero.friends[1].name); \"odd\""
    );
    assert_each_cause_once(&err);
}

/// GraphQL `data` is read as `T` from its own text in the body: a success decodes, absent and
/// `null` data read as `null`, and a mismatch is located under `data`.
#[tokio::test]
async fn graphql_data_decodes_and_a_mismatch_is_located_under_data() {
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Hero {
        name: String,
        height: f64,
    }
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct HeroData {
        hero: Option<Hero>,
    }
    let server = TestServer::start(|n, _| match n {
        0 => Reply::json(
            200,
            r#"{"extensions": {"cost": 1}, "data": {"hero": {"name": "R2-D2", "height": 0.96}}}"#,
        ),
        1 => Reply::json(200, r#"{"data": null}"#),
        2 => Reply::json(200, r#"{}"#),
        _ => Reply::json(
            200,
            "{\"data\": {\"hero\": {\n  \"name\": \"R2-D2\",\n  \"height\": \"tall\"}}}",
        ),
    })
    .await;
    let c = client(&server.url);
    let data = c
        .call::<HeroData, Value>(rt::Request::new(&GRAPHQL))
        .await
        .unwrap();
    let hero = data.hero.unwrap();
    assert_eq!((hero.name.as_str(), hero.height), ("R2-D2", 0.96));
    for _ in 0..2 {
        let none = c
            .call::<Option<HeroData>, Value>(rt::Request::new(&GRAPHQL))
            .await
            .unwrap();
        assert!(none.is_none());
    }
    let err = c
        .call::<HeroData, Value>(rt::Request::new(&GRAPHQL))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.path(), Some("data.hero.height"), "{d}");
    assert!(
        d.message()
            .starts_with("GraphQL data does not match the declared type: invalid type: string"),
        "{d}"
    );
    assert_each_cause_once(&err);
}

#[tokio::test]
async fn soap_faults_are_the_typed_body() {
    let fault = |status| {
        Reply::new(status).header("content-type", "text/xml").body(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
            <faultcode>s:Client</faultcode><faultstring>Unknown symbol NOPE</faultstring>
            </s:Fault></s:Body></s:Envelope>"#,
        )
    };
    let server = TestServer::start(move |n, _| fault(if n == 0 { 500 } else { 200 })).await;
    let c = client(&server.url);
    for status in [500, 200] {
        let err = c
            .call::<Value, SoapFault>(rt::Request::new(&SOAP).body(&json!({})))
            .await
            .unwrap_err();
        let Error::Api(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.status(), status);
        let f = e.body().expect("the fault");
        assert_eq!(
            (f.code.as_str(), f.reason.as_str()),
            ("s:Client", "Unknown symbol NOPE")
        );
        assert!(err.to_string().ends_with(": Unknown symbol NOPE"), "{err}");
    }
}

#[tokio::test]
async fn transport_and_timeout_chains_print_each_cause_once() {
    // Nothing listens on this port: connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&url)
        .call::<Value, Value>(rt::Request::new(&DELETE_ITEM))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Connect),
        "{err:?}"
    );
    let levels = assert_each_cause_once(&err);
    assert!(levels.len() >= 3, "the causes are reachable: {levels:#?}");
    assert_eq!(levels[0], "connection failed");

    let server = TestServer::fixed(Reply::json(200, "{}").delay_ms(2_000)).await;
    let c = rt::ClientBuilder::new(&server.url)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = c
        .call::<Value, Value>(rt::Request::new(&DELETE_ITEM))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(_)) && err.is_timeout(),
        "{err:?}"
    );
    assert_each_cause_once(&err);
}

#[test]
fn server_messages_are_found_in_the_usual_places() {
    let msg = |ct: &str, body: &str| {
        ErrorMetadata::new(400)
            .with_header("content-type", ct)
            .with_body(body)
            .server_message()
    };
    let j = "application/json";
    assert_eq!(msg(j, r#"{"message": "m"}"#).as_deref(), Some("m"));
    assert_eq!(
        msg(
            j,
            r#"{"error": {"message": "nested", "type": "card_error"}}"#
        )
        .as_deref(),
        Some("nested")
    );
    assert_eq!(
        msg(j, r#"{"error": "e", "error_description": "d"}"#).as_deref(),
        Some("e: d")
    );
    assert_eq!(
        msg(j, r#"{"detail": "only detail"}"#).as_deref(),
        Some("only detail")
    );
    assert_eq!(
        msg(
            j,
            r#"{"errors": [{"message": "first"}, {"message": "second"}]}"#
        )
        .as_deref(),
        Some("first")
    );
    assert_eq!(msg(j, r#"{"errors": ["plain"]}"#).as_deref(), Some("plain"));
    assert_eq!(msg(j, r#"{"code": 3}"#), None);
    assert_eq!(msg(j, r#"[1, 2]"#), None);
    assert_eq!(msg(j, "not json"), None);
    assert_eq!(
        msg("text/plain", "\n  rate limited \nretry later").as_deref(),
        Some("rate limited")
    );
    assert_eq!(msg("text/html", "<html><body>x</body></html>"), None);
    // Control characters cannot reach a terminal; long messages are cut.
    assert_eq!(
        msg(j, "{\"message\": \"a\\u001b[31mb\"}").as_deref(),
        Some("a\u{FFFD}[31mb")
    );
    let long = format!(r#"{{"message": "{}"}}"#, "x".repeat(10_000));
    assert_eq!(msg(j, &long).map(|m| m.len()), Some(300));
    // Request ids from the usual headers.
    let id = |h: &str| {
        ErrorMetadata::new(500)
            .with_header(h, "id-1")
            .request_id()
            .map(str::to_owned)
    };
    for h in [
        "X-Request-Id",
        "request-id",
        "x-amzn-RequestId",
        "x-github-request-id",
    ] {
        assert_eq!(id(h).as_deref(), Some("id-1"), "{h}");
    }
    assert_eq!(id("x-other"), None);
    // An ApiError made by hand, for users' own tests.
    let e: ApiError<Value> = ApiError::new("op", ErrorMetadata::new(418), None);
    assert_eq!(e.to_string(), "op: HTTP 418 I'm a teapot");
}

#[tokio::test]
async fn execute_classifies_into_api_error_too() {
    // Code built on the older `execute` path (streams, pages) can use `ApiError<B>` as its `E`.
    let server =
        TestServer::fixed(Reply::json(404, r#"{"code": 404, "message": "no item 1"}"#)).await;
    let err = client(&server.url)
        .execute::<ApiError<Problem>>(rt::Request::new(&GET_ITEM))
        .await
        .unwrap_err();
    let Error::Api(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), 404);
    assert_eq!(e.body().map(|p| p.code), Some(404));
    // The operation is named, as in the error of a single call.
    assert_eq!(err.to_string(), "getItem: HTTP 404 Not Found: no item 1");
}
