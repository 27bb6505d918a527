//! The crates generated from the hostile-but-valid documents of `e2e/adversarial/` (OpenAPI,
//! GraphQL, WSDL): nothing from a document can run as a doctest, and the strange names
//! (keywords, std prelude items, non-ASCII, digits-first, names colliding after case conversion,
//! bidi characters) travel unchanged on the wire against an in-process axum server.
//!
//! The crates themselves are workspace members, so the workspace's clippy and rustdoc runs (with
//! warnings denied) cover them too; `scripts/adversarial-doctests.sh` runs `cargo test --doc` on
//! them and checks that rustdoc finds no doctest and that no marker file appears.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use serde_json::{json, Value};

/// The bidi-wrapped wire name the documents use (`\u{202E}evil\u{202C}`).
const EVIL: &str = "\u{202e}evil\u{202c}";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

// ---------------------------------------------------------------------------------------------
// Nothing runs: every doc comment, read as rustdoc reads it, holds only `text` code blocks.

/// Doc comment blocks (`///` or `//!` runs) of a Rust source file, as rustdoc joins them: one
/// string per block, the common indentation removed.
fn doc_blocks(source: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut kind = "";
    for line in source.lines() {
        let t = line.trim_start();
        let k = if t.starts_with("///") {
            "///"
        } else if t.starts_with("//!") {
            "//!"
        } else {
            ""
        };
        if k != kind && !current.is_empty() {
            blocks.push(unindent(&current));
            current.clear();
        }
        kind = k;
        if !k.is_empty() {
            current.push(&t[3..]);
        }
    }
    if !current.is_empty() {
        blocks.push(unindent(&current));
    }
    blocks
}

fn unindent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// rustdoc's Markdown options (`main_body_opts`).
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

#[test]
fn no_doc_comment_holds_a_runnable_code_block_html_or_bad_link() {
    let mut files = 0;
    let mut blocks = 0;
    let mut text_fences = 0;
    for krate in [
        "adversarial-openapi",
        "adversarial-graphql",
        "adversarial-wsdl",
    ] {
        let src = repo().join("generated-examples").join(krate).join("src");
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            files += 1;
            assert!(
                !source.contains(
                    |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                ),
                "{}: raw bidi character",
                path.display()
            );
            for doc in doc_blocks(&source) {
                blocks += 1;
                for event in Parser::new_ext(&doc, rustdoc_options()) {
                    match event {
                        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                            if &*info == "text" =>
                        {
                            text_fences += 1
                        }
                        Event::Start(Tag::CodeBlock(kind)) => {
                            panic!("{}: runnable code block {kind:?} in\n{doc}", path.display())
                        }
                        Event::Html(h) | Event::InlineHtml(h) => {
                            panic!("{}: raw HTML {h:?} in\n{doc}", path.display())
                        }
                        Event::Start(Tag::Image { dest_url, .. }) => {
                            panic!("{}: image {dest_url} in\n{doc}", path.display())
                        }
                        Event::Start(Tag::Link { dest_url, .. }) => {
                            let ok = ["http://", "https://", "mailto:"]
                                .iter()
                                .any(|p| dest_url.starts_with(p))
                                // sdkwright's own intra-doc links (`super::Client::x`).
                                || (!dest_url.replace("::", "").contains(':')
                                    && dest_url
                                        .chars()
                                        .all(|c| c.is_ascii_alphanumeric() || "_:#".contains(c)));
                            assert!(ok, "{}: link to {dest_url}", path.display());
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    // The documents' code blocks are all there, as text: 13 per hostile description, and the
    // descriptions are repeated across the three crates.
    assert!(files >= 12, "{files}");
    assert!(blocks > 100, "{blocks}");
    assert!(text_fences > 100, "{text_fences}");
}

// ---------------------------------------------------------------------------------------------
// Strange names on the wire.

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query exactly as sent (still percent-encoded).
    uri: String,
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
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

type Answer = (u16, &'static str, Vec<u8>);
type Script = dyn Fn(&Seen) -> Answer + Send + Sync;

#[derive(Clone)]
struct Server {
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Script>,
}

async fn handle(State(server): State<Server>, req: Request) -> Response {
    let method = req.method().to_string();
    let uri = req.uri().to_string();
    let headers = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap()
        .to_vec();
    let seen = Seen {
        method,
        uri,
        headers,
        body,
    };
    let (status, content_type, body) = (server.script)(&seen);
    server.seen.lock().unwrap().push(seen);
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap()
}

/// Starts a server answering with `script`; returns its base URL and the request log.
async fn serve(
    script: impl Fn(&Seen) -> Answer + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let server = Server {
        seen: Arc::default(),
        script: Arc::new(script),
    };
    let seen = server.seen.clone();
    let app = Router::new().fallback(handle).with_state(server);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn json_answer(value: &Value) -> Answer {
    (200, "application/json", serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn openapi_strange_names_round_trip() {
    use adversarial_openapi::types::{
        Box2, Err2, HashMap, Ok2, Option2, Result2, Self_, Strange, String2,
    };
    use adversarial_openapi::Client;

    // Echo JSON bodies; canned answers for the rest.
    let (url, seen) =
        serve(
            |s: &Seen| match (s.method.as_str(), s.uri.split('?').next().unwrap_or("")) {
                ("POST", _) | ("PUT", _) => (200, "application/json", s.body.clone()),
                ("GET", "/self") => {
                    json_answer(&json!({"self": {"Self": "inner"}, "Self": "outer"}))
                }
                ("GET", _) => json_answer(&json!({
                    "value": "v",
                    "inner": {"value": "in", "inner": {"value": "deeper"}},
                    "items": [{"value": "i0"}]
                })),
                ("DELETE", _) => {
                    json_answer(&json!({"message": "gone", "cause": {"message": "why"}}))
                        .clone_with_status(404)
                }
                _ => (500, "text/plain", b"unexpected".to_vec()),
            },
        )
        .await;
    let client = Client::builder().base_url(&url).build().unwrap();

    // Path, query and header parameters named `type`, `self`, `ü-name`, `1st`, bidi, `X-Type`
    // (operation `getThing`, renamed `get_thing3`: `get_thing` is another operation's).
    let got: Box2 = client
        .get_thing3("a/b ü")
        .self_("s")
        .name("n")
        ._1st(5)
        .evil("e")
        .x_type("t")
        .send()
        .await
        .unwrap();
    assert_eq!(got.value.as_deref(), Some("v"));
    let inner = got.inner.unwrap();
    assert_eq!(inner.inner.unwrap().value.as_deref(), Some("deeper"));
    assert_eq!(got.items.unwrap()[0].value.as_deref(), Some("i0"));
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(req.method, "GET");
    let (path, query) = req.uri.split_once('?').unwrap();
    assert_eq!(path, "/things/a%2Fb%20%C3%BC");
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            "%C3%BC-name=n",
            "%E2%80%AEevil%E2%80%AC=e",
            "1st=5",
            "self=s"
        ]
    );
    assert_eq!(req.header("x-type"), Some("t"));

    // A body whose every property name is strange, echoed back: same JSON both ways.
    let mut map = std::collections::BTreeMap::new();
    map.insert(
        "k".to_string(),
        HashMap(std::collections::BTreeMap::from([(
            "deep".to_string(),
            HashMap(Default::default()),
        )])),
    );
    let mut strange = Strange::new("t");
    strange.self3 = Some("lower self".into());
    strange.self_ = Some("upper Self".into());
    strange.super_ = Some(1);
    strange.crate_ = Some(true);
    strange._1st = Some(2);
    strange.value = Some("u umlaut".into());
    strange.value2 = Some("sigma".into());
    strange.pet_name = Some("snake".into());
    strange.pet_name2 = Some("kebab".into());
    strange.pet_name3 = Some("camel".into());
    strange.evil = Some("bidi".into());
    strange.additional_properties = Some("a real property".into());
    strange.kind = Some(Ok2::Evil);
    strange.map = Some(HashMap(map));
    // Boxed: `Strange` is over 256 bytes (analysis/size.rs).
    strange.self2 = Some(Box::new(Self_ {
        self2: Some(Box::new(Self_ {
            self2: None,
            self_: Some("x".into()),
        })),
        self_: None,
    }));
    strange.string = Some(Box::new(String2 {
        next: Some(Box::new(String2::new("n"))),
        text: "t".into(),
    }));
    strange.r#box = Some(Box::new(Box2 {
        inner: Some(Box::new(Box2::new())),
        items: Some(vec![]),
        value: Some("b".into()),
    }));
    strange
        .additional_properties2
        .insert("extra".into(), "flattened".into());
    let echoed = client.get_thing(strange.clone()).send().await.unwrap();
    assert_eq!(echoed, strange);
    let sent = seen.lock().unwrap()[1].json();
    let mut keys: Vec<&str> = sent
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    let mut expected = vec![
        "type",
        "self",
        "Self",
        "super",
        "crate",
        "1st",
        "\u{fc}",
        "\u{3a3}",
        "pet_name",
        "pet-name",
        "petName",
        EVIL,
        "additional_properties",
        "kind",
        "map",
        "Self_",
        "string",
        "box",
        "extra",
    ];
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(sent["kind"], json!(EVIL));
    assert_eq!(sent["map"], json!({"k": {"deep": {}}}));
    assert_eq!(sent["Self_"], json!({"self": {"Self": "x"}}));

    // `GetThing` (renamed `get_thing2`): a path parameter named `self` and a body of std names.
    let result = Result2 {
        ok: Some(Ok2::Self_),
        err: Some(Err2 {
            message: Some("m".into()),
            cause: Some(Box::new(Err2::new())),
        }),
    };
    let back = client
        .get_thing2("me", result.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(back, result);
    let req = seen.lock().unwrap()[2].clone();
    assert_eq!(
        (req.method.as_str(), req.uri.as_str()),
        ("PUT", "/results/me")
    );
    assert_eq!(
        req.json(),
        json!({"ok": "self", "err": {"message": "m", "cause": {}}})
    );

    // Operations named `self`, `Box` and `type`.
    let me = client.self_().send().await.unwrap();
    assert_eq!(me.self_.as_deref(), Some("outer"));
    assert_eq!(me.self2.unwrap().self_.as_deref(), Some("inner"));
    let opt = Option2 {
        some: Some(Box::new(Option2::new())),
        none: Some(false),
    };
    assert_eq!(client.r#box(opt.clone()).send().await.unwrap(), opt);
    match client.r#type().send().await {
        Err(adversarial_openapi::Error::Api(e)) if e.status() == 404 => {
            let e = e.into_body().expect("the declared 404 body");
            assert_eq!(e.message.as_deref(), Some("gone"));
            assert_eq!(e.cause.unwrap().message.as_deref(), Some("why"));
        }
        other => panic!("{other:?}"),
    }
}

/// An answer with another status.
trait WithStatus {
    fn clone_with_status(self, status: u16) -> Answer;
}

impl WithStatus for Answer {
    fn clone_with_status(self, status: u16) -> Answer {
        (status, self.1, self.2)
    }
}

#[tokio::test]
async fn graphql_strange_names_round_trip() {
    use adversarial_graphql::types::{GetThingVariables, GetThingVariables3, Ok2, Vec2};
    use adversarial_graphql::Client;

    let (url, seen) = serve(|s: &Seen| {
        let query = s.json()["query"].as_str().unwrap_or("").to_string();
        if query.contains("strange(") {
            json_answer(&json!({"data": {"strange": {
                "type": "t", "self": "s", "Self": "S", "super": 1, "crate": true, "fn": "f",
                "_1st": 1, "pet_name": "snake", "petName": "camel", "PetName": "Pascal",
                "kind": "self", "box": {"value": "b", "inner": {"value": "i"}}
            }}}))
        } else if query.contains("put(") {
            json_answer(&json!({"data": {"put": {"ok": "_1", "err": null}}}))
        } else {
            json_answer(&json!({"data": {"self": {"Self": "S", "self": {"Self": "inner"}}}}))
        }
    })
    .await;
    let client = Client::builder().base_url(&url).build().unwrap();

    let mut vars = GetThingVariables::new("t");
    vars.self_ = Some("s".into()).into();
    vars._1st = Some(7).into();
    let data = client.get_thing3(vars).send().await.unwrap();
    let strange = data.strange;
    assert_eq!(strange.r#type, "t");
    assert_eq!(strange.self2.as_deref(), Some("s"));
    assert_eq!(strange.self_.as_deref(), Some("S"));
    assert_eq!(strange.r#fn.as_deref(), Some("f"));
    assert_eq!(strange.pet_name.as_deref(), Some("snake"));
    assert_eq!(strange.pet_name3.as_deref(), Some("camel"));
    assert_eq!(strange.pet_name2.as_deref(), Some("Pascal"));
    assert_eq!(strange.kind, Some(Ok2::Self_));
    assert_eq!(
        strange.r#box.unwrap().inner.unwrap().value.as_deref(),
        Some("i")
    );
    let req = seen.lock().unwrap()[0].json();
    assert_eq!(req["operationName"], json!("getThing"));
    assert_eq!(
        req["variables"],
        json!({"type": "t", "self": "s", "_1st": 7})
    );

    let data = client.get_thing().send().await.unwrap();
    let me = data.self_.unwrap();
    assert_eq!(me.self2.unwrap().self_.as_deref(), Some("inner"));
    assert_eq!(
        seen.lock().unwrap()[1].json()["operationName"],
        json!("get_thing")
    );

    // A block string with non-ASCII text and an escaped triple quote is sent byte for byte.
    let data = client.block().send().await.unwrap();
    assert_eq!(data.strange.r#type, "t");
    let query = seen.lock().unwrap()[2].json()["query"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        query.contains("\"\"\"\u{fc} block \u{201e}string\u{201c} \\\"\"\" \u{2713}\"\"\""),
        "{query}"
    );
    assert!(query.starts_with("query Block"), "{query}");

    let mut vec = Vec2::new("t");
    vec.pet_name = Some("snake".into()).into();
    vec.pet_name2 = Some("camel".into()).into();
    vec.kind = Some(Ok2::Type).into();
    vec.next = Some(Box::new(Vec2::new("n"))).into();
    let data = client
        .get_thing2(GetThingVariables3 { vec })
        .send()
        .await
        .unwrap();
    assert!(data.put.err.is_none());
    let req = seen.lock().unwrap()[3].json();
    assert_eq!(req["operationName"], json!("GetThing"));
    assert_eq!(
        req["variables"]["vec"],
        json!({"type": "t", "pet_name": "snake", "petName": "camel", "kind": "type",
               "next": {"type": "n"}})
    );
}

#[tokio::test]
async fn wsdl_strange_names_round_trip() {
    use adversarial_wsdl::types::{Box2, Ok2, Type};
    use adversarial_wsdl::Client;

    let (url, seen) = serve(|_s: &Seen| {
        let xml = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r:Result xmlns:r="http://example.com/adversarial"><r:Self>me</r:Self><r:Option>{EVIL}</r:Option><r:Box><r:value>outer</r:value><r:inner><r:value>inner</r:value></r:inner></r:Box></r:Result></soap:Body></soap:Envelope>"#
        );
        (200, "text/xml; charset=utf-8", xml.into_bytes())
    })
    .await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let mut req = Type::new("s", "ü", "kebab", "snake", "camel", 1, Ok2::Ber, "c");
    req.r#box = Some(Box2::new("b"));
    let res = client.get_thing2(req).send().await.unwrap();
    assert_eq!(res.self_, "me");
    assert_eq!(res.option, Ok2::Evil);
    assert_eq!(res.r#box.inner.unwrap().value, "inner");

    let sent = seen.lock().unwrap()[0].clone();
    assert_eq!(sent.header("soapaction"), Some("\"urn:getThing\u{202e}\""));
    let body = sent.text();
    for element in [
        ">s</",
        "über>ü</",
        "pet-name>kebab</",
        "pet_name>snake</",
        "petName>camel</",
        "_1st>1</",
        "kind>über</",
        "crate=\"c\"",
    ] {
        assert!(body.contains(element), "{element} missing in {body}");
    }
    assert!(body.contains(":type") || body.contains("<type"), "{body}");
}
