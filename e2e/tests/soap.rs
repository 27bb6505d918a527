//! The generated SOAP client (`calculator`, from `specs/calculator.wsdl`) on the wire:
//!
//! - against an in-process axum server that parses every envelope it receives (Content-Type,
//!   SOAPAction, body element QName, child element QNames) and answers like the service would,
//!   faults included;
//! - against a real spyne 2.14 server (`e2e/soap/spyne_server.py`), whose own published WSDL the
//!   generator must also read;
//! - next to zeep 4.3, the reference Python SOAP client (`e2e/soap/zeep_client.py`): for the same
//!   calls both clients must send equivalent envelopes.
//!
//! The Python peers live in a virtualenv made by `scripts/python-env.sh` (`target/pyenv`, or the
//! interpreter named by `SDKWRIGHT_PYTHON`); without it these tests fail, they never skip.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use calculator::operations::{AddErrorBody, GetQuoteErrorBody};
use calculator::types::{
    Add, AddOverflow, ClientInfo, Currency, Multiply, QuoteRequest, UnknownSymbol,
};
use calculator::{Client, Error};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// The repository root. Taken from this file's own crate rather than `sdkwright_e2e::repo_root`:
/// with a target directory shared between work trees, the e2e library may have been compiled
/// from another one.
fn repo_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

const TNS: &str = "http://example.com/calculator";
/// The namespace of the rpc/literal wrappers of the `CalculatorAdmin` binding.
const ADMIN: &str = "http://example.com/calculator/admin";
const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

// ---------------------------------------------------------------------------------------------
// Envelopes as element trees

/// An element: namespace URI, local name, attributes (no namespace declarations), trimmed text,
/// child elements. Prefixes are gone, so two envelopes compare by what they mean.
#[derive(Debug, Clone, PartialEq)]
struct Elem {
    ns: Option<String>,
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Elem>,
}

impl Elem {
    fn of(node: roxmltree::Node<'_, '_>) -> Elem {
        Elem {
            ns: node.tag_name().namespace().map(str::to_owned),
            name: node.tag_name().name().to_owned(),
            attrs: node
                .attributes()
                .map(|a| (a.name().to_owned(), a.value().to_owned()))
                .collect(),
            text: node
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect::<String>()
                .trim()
                .to_owned(),
            children: node
                .children()
                .filter(|c| c.is_element())
                .map(Elem::of)
                .collect(),
        }
    }

    fn child(&self, name: &str) -> Option<&Elem> {
        self.children.iter().find(|c| c.name == name)
    }

    fn texts(&self, name: &str) -> Vec<&str> {
        self.children
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.text.as_str())
            .collect()
    }
}

/// The first element of `Envelope/Body` of a SOAP 1.1 envelope.
fn body_element(xml: &[u8]) -> Result<Elem, String> {
    let text = std::str::from_utf8(xml).map_err(|e| format!("not UTF-8: {e}"))?;
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not XML: {e}"))?;
    let env = doc.root_element();
    if env.tag_name().namespace() != Some(SOAP11) || env.tag_name().name() != "Envelope" {
        return Err(format!(
            "root is {:?}, not a SOAP 1.1 Envelope",
            env.tag_name()
        ));
    }
    let body = env
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "Body")
        .filter(|b| b.tag_name().namespace() == Some(SOAP11))
        .ok_or("no soap:Body")?;
    body.children()
        .find(|c| c.is_element())
        .map(Elem::of)
        .ok_or_else(|| "empty soap:Body".to_owned())
}

/// The elements of `Envelope/Header` of a SOAP 1.1 envelope (none without a Header).
fn header_elements(xml: &[u8]) -> Result<Vec<Elem>, String> {
    let text = std::str::from_utf8(xml).map_err(|e| format!("not UTF-8: {e}"))?;
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not XML: {e}"))?;
    Ok(doc
        .root_element()
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "Header")
        .filter(|h| h.tag_name().namespace() == Some(SOAP11))
        .map(|h| {
            h.children()
                .filter(|c| c.is_element())
                .map(Elem::of)
                .collect()
        })
        .unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------
// The in-process service

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    content_type: Option<String>,
    soap_action: Option<String>,
    authorization: Option<String>,
    body: Vec<u8>,
}

impl Seen {
    fn element(&self) -> Elem {
        body_element(&self.body).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&self.body));
        })
    }
}

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>{body}</soap:Body></soap:Envelope>"#
    )
}

fn fault(code: &str, reason: &str, detail: &str) -> (u16, String) {
    (
        500,
        envelope(&format!(
            "<soap:Fault><faultcode>{code}</faultcode><faultstring>{reason}</faultstring>{detail}</soap:Fault>"
        )),
    )
}

/// Checks a request the way a strict document/literal server would, and answers it: a
/// `soap:Client` fault naming the first problem, or the operation's response.
fn answer(seen: &Seen, nonces: &Mutex<HashSet<String>>) -> (u16, String) {
    if let Err(problem) = check_security(seen, nonces) {
        return fault(
            "soap:Client",
            &format!("sdkwright e2e server: WS-Security: {problem}"),
            "",
        );
    }
    match check_and_answer(seen) {
        Ok(reply) => reply,
        Err(problem) => fault(
            "soap:Client",
            &format!("sdkwright e2e server: {problem}"),
            "",
        ),
    }
}

/// Verifies a WS-Security `UsernameToken` header, when the request has one, the way a server
/// does: user `ann`, password `s3cret`, as text or as a digest
/// (Base64(SHA-1(nonce + created + password)), recomputed here from the Nonce and Created
/// received) whose nonce was not seen before.
fn check_security(seen: &Seen, nonces: &Mutex<HashSet<String>>) -> Result<(), String> {
    use base64::Engine as _;
    let headers = header_elements(&seen.body)?;
    let Some(sec) = headers.iter().find(|h| h.name == "Security") else {
        return Ok(());
    };
    if sec.ns.as_deref() != Some(WSSE) {
        return Err(format!("Security in namespace {:?}", sec.ns));
    }
    let token = sec.child("UsernameToken").ok_or("no UsernameToken")?;
    let text = |name: &str| {
        token
            .child(name)
            .filter(|c| c.ns.as_deref() == Some(if name == "Created" { WSU } else { WSSE }))
            .map(|c| c.text.clone())
            .ok_or(format!("no wsse:{name}"))
    };
    if text("Username")? != "ann" {
        return Err("unknown user".into());
    }
    let password = token.child("Password").ok_or("no Password")?;
    let kind = password
        .attrs
        .iter()
        .find(|(k, _)| k == "Type")
        .and_then(|(_, v)| v.rsplit_once('#'))
        .map(|(_, k)| k.to_owned())
        .unwrap_or_default();
    match kind.as_str() {
        "PasswordText" if password.text == "s3cret" => Ok(()),
        "PasswordText" => Err("wrong password".into()),
        "PasswordDigest" => {
            let nonce_b64 = text("Nonce")?;
            let created = text("Created")?;
            let b64 = base64::engine::general_purpose::STANDARD;
            let nonce = b64.decode(&nonce_b64).map_err(|e| format!("Nonce: {e}"))?;
            let mut ctx = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
            ctx.update(&nonce);
            ctx.update(created.as_bytes());
            ctx.update(b"s3cret");
            if b64.encode(ctx.finish().as_ref()) != password.text {
                return Err("wrong password digest".into());
            }
            if !nonces.lock().unwrap().insert(nonce_b64) {
                return Err("nonce replayed".into());
            }
            Ok(())
        }
        other => Err(format!("password type {other:?}")),
    }
}

fn check_and_answer(seen: &Seen) -> Result<(u16, String), String> {
    if seen.content_type.as_deref() != Some("text/xml; charset=utf-8") {
        return Err(format!("Content-Type {:?}", seen.content_type));
    }
    let el = body_element(&seen.body)?;
    if el.ns.as_deref() == Some(ADMIN) {
        return rpc_answer(seen, &el);
    }
    if el.ns.as_deref() != Some(TNS) {
        return Err(format!("body element {} in namespace {:?}", el.name, el.ns));
    }
    // elementFormDefault="qualified": every child is in the target namespace too.
    if let Some(c) = el.children.iter().find(|c| c.ns.as_deref() != Some(TNS)) {
        return Err(format!(
            "child <{}> in namespace {:?}, not {TNS}",
            c.name, c.ns
        ));
    }
    let op = match el.name.as_str() {
        "Add" => "Add",
        "QuoteRequest" => "GetQuote",
        other => return Err(format!("unknown body element {other}")),
    };
    let action = format!("\"{TNS}/{op}\"");
    if seen.soap_action.as_deref() != Some(action.as_str()) {
        return Err(format!(
            "SOAPAction {:?}, expected {action}",
            seen.soap_action
        ));
    }
    let names: Vec<&str> = el.children.iter().map(|c| c.name.as_str()).collect();
    match op {
        "Add" => {
            if names != ["intA", "intB"] {
                return Err(format!("Add children {names:?}"));
            }
            let int = |n: &str| -> Result<i32, String> {
                let t = &el.child(n).ok_or(format!("no {n}"))?.text;
                t.parse().map_err(|e| format!("{n}={t:?}: {e}"))
            };
            let (a, b) = (int("intA")?, int("intB")?);
            let Some(sum) = a.checked_add(b) else {
                // The declared `Overflow` fault, in a 200 (as some servers answer faults).
                let (_, xml) = fault(
                    "soap:Client",
                    "overflow",
                    &format!(
                        r#"<detail><c:AddOverflow xmlns:c="{TNS}"><c:intA>{a}</c:intA><c:intB>{b}</c:intB></c:AddOverflow></detail>"#
                    ),
                );
                return Ok((200, xml));
            };
            Ok((
                200,
                envelope(&format!(
                    r#"<c:AddResponse xmlns:c="{TNS}"><c:AddResult>{sum}</c:AddResult></c:AddResponse>"#
                )),
            ))
        }
        _ => {
            // The optional `client` header: `ClientInfo` with its `app` attribute and a
            // qualified `user` child.
            for h in header_elements(&seen.body)? {
                let user = h.child("user").filter(|u| u.ns.as_deref() == Some(TNS));
                if h.ns.as_deref() != Some(TNS)
                    || h.name != "ClientInfo"
                    || h.attrs != [("app".to_owned(), "e2e".to_owned())]
                    || user.is_none_or(|u| u.text != "ann")
                {
                    return Err(format!("unexpected header {h:?}"));
                }
            }
            let symbol = el.child("symbol").ok_or("no symbol")?.text.clone();
            let currency = el.child("currency").ok_or("no currency")?.text.clone();
            let tags = el.texts("tags");
            let expected: Vec<&str> = ["symbol", "currency"]
                .into_iter()
                .chain(tags.iter().map(|_| "tags"))
                .collect();
            if names != expected {
                return Err(format!("QuoteRequest children {names:?}"));
            }
            if symbol == "NOPE" || symbol == "NOPE200" {
                let status = if symbol == "NOPE" { 500 } else { 200 };
                return Ok(fault(
                    "soap:Client",
                    &format!("Unknown symbol {symbol}"),
                    &format!(
                        r#"<detail><c:UnknownSymbol xmlns:c="{TNS}"><c:symbol>{symbol}</c:symbol></c:UnknownSymbol></detail>"#
                    ),
                ))
                .map(|(_, xml)| (status, xml));
            }
            // The optional, nillable `note` echoes the tags, or is nil without them.
            let note = if tags.is_empty() {
                r#"<c:note xsi:nil="true"/>"#.to_owned()
            } else {
                format!("<c:note>{}</c:note>", tags.join(","))
            };
            // In yen, the time as .NET and Java services write it (no offset) and a date with
            // one (as VIES answers).
            let (time, day) = if currency == "JPY" {
                ("2024-02-29T13:34:56.25", "<c:day>2024-03-05+01:00</c:day>")
            } else {
                ("2024-02-29T13:34:56+01:00", "")
            };
            Ok((
                200,
                envelope(&format!(
                    r#"<c:QuoteResponse xmlns:c="{TNS}"><c:quote source="feed-{currency}"><c:price>123.25</c:price><c:time>{time}</c:time>{note}{day}</c:quote></c:QuoteResponse>"#
                )),
            ))
        }
    }
}

/// The rpc/literal `CalculatorAdmin` binding: the wrapper is named after the operation, in the
/// soap:body namespace; the parts are its unqualified children.
fn rpc_answer(seen: &Seen, el: &Elem) -> Result<(u16, String), String> {
    let action = format!("\"{TNS}/{}\"", el.name);
    if seen.soap_action.as_deref() != Some(action.as_str()) {
        return Err(format!(
            "SOAPAction {:?}, expected {action}",
            seen.soap_action
        ));
    }
    if let Some(c) = el.children.iter().find(|c| c.ns.is_some()) {
        return Err(format!("rpc part <{}> in namespace {:?}", c.name, c.ns));
    }
    let names: Vec<&str> = el.children.iter().map(|c| c.name.as_str()).collect();
    match el.name.as_str() {
        "Multiply" => {
            if names != ["a", "b"] {
                return Err(format!("Multiply children {names:?}"));
            }
            let int = |n: &str| -> Result<i64, String> {
                let t = &el.child(n).ok_or(format!("no {n}"))?.text;
                t.parse().map_err(|e| format!("{n}={t:?}: {e}"))
            };
            let product = int("a")? * int("b")?;
            Ok((
                200,
                envelope(&format!(
                    r#"<a:MultiplyResponse xmlns:a="{ADMIN}"><product>{product}</product></a:MultiplyResponse>"#
                )),
            ))
        }
        "Reset" if names.is_empty() => Ok((
            200,
            envelope(&format!(r#"<a:ResetResponse xmlns:a="{ADMIN}"/>"#)),
        )),
        other => Err(format!("unknown rpc operation {other} {names:?}")),
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;
type Nonces = Arc<Mutex<HashSet<String>>>;

async fn handle(State((log, nonces)): State<(Log, Nonces)>, req: Request) -> Response {
    let (content_type, soap_action, authorization) = {
        let header = |n: &str| {
            req.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        (
            header("content-type"),
            header("soapaction"),
            header("authorization"),
        )
    };
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .expect("read body")
        .to_vec();
    let seen = Seen {
        content_type,
        soap_action,
        authorization,
        body,
    };
    let (status, xml) = answer(&seen, &nonces);
    log.lock().unwrap().push(seen);
    Response::builder()
        .status(status)
        .header("content-type", "text/xml; charset=utf-8")
        .body(Body::from(xml))
        .unwrap()
}

struct Service {
    url: String,
    log: Log,
}

impl Service {
    async fn start() -> Service {
        let log = Log::default();
        let app = Router::new()
            .fallback(handle)
            .with_state((log.clone(), Nonces::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/calculator", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Service { url, log }
    }

    fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    fn client(&self) -> Client {
        Client::builder().base_url(&self.url).build().unwrap()
    }
}

fn add(a: i32, b: i32) -> Add {
    Add { int_a: a, int_b: b }
}

fn acme() -> QuoteRequest {
    let mut req = QuoteRequest::new("ACME", Currency::Eur);
    req.tags = Some(vec!["a".into(), "b".into()]);
    req
}

// ---------------------------------------------------------------------------------------------
// In-process

#[tokio::test]
async fn add_sends_a_qualified_document_literal_envelope() {
    let svc = Service::start().await;
    let out = svc.client().add(add(40, 2)).send().await.unwrap();
    assert_eq!(out.add_result, 42);

    let seen = svc.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].content_type.as_deref(),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(
        seen[0].soap_action.as_deref(),
        Some("\"http://example.com/calculator/Add\"")
    );
    let el = seen[0].element();
    assert_eq!((el.ns.as_deref(), el.name.as_str()), (Some(TNS), "Add"));
    let children: Vec<_> = el
        .children
        .iter()
        .map(|c| (c.ns.as_deref(), c.name.as_str(), c.text.as_str()))
        .collect();
    assert_eq!(
        children,
        [(Some(TNS), "intA", "40"), (Some(TNS), "intB", "2")]
    );
}

#[tokio::test]
async fn get_quote_round_trips_enum_list_datetime_attribute_and_optional() {
    let svc = Service::start().await;
    let client = svc.client();

    let out = client.get_quote(acme()).send().await.unwrap();
    let q = out.quote;
    assert_eq!(q.price, 123.25);
    assert_eq!(q.source, "feed-EUR", "the `source` attribute");
    assert_eq!(q.time.to_rfc3339(), "2024-02-29T12:34:56+00:00");
    assert_eq!(q.note.as_deref(), Some("a,b"));

    let el = svc.seen()[0].element();
    assert_eq!(
        (el.ns.as_deref(), el.name.as_str()),
        (Some(TNS), "QuoteRequest")
    );
    assert_eq!(el.child("currency").unwrap().text, "EUR");
    assert_eq!(el.texts("tags"), ["a", "b"]);

    // No tags: no <tags> element sent; the server's `xsi:nil` note reads as None.
    let out = client
        .get_quote(QuoteRequest::new("ACME", Currency::Jpy))
        .send()
        .await
        .unwrap();
    assert_eq!(out.quote.note, None);
    assert_eq!(out.quote.source, "feed-JPY");
    // xs:dateTime without an offset (read as UTC), xs:date with one (the date kept).
    assert_eq!(out.quote.time.to_rfc3339(), "2024-02-29T13:34:56.250+00:00");
    assert_eq!(
        out.quote.day.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
    let el = svc.seen()[1].element();
    let names: Vec<_> = el.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["symbol", "currency"]);
    assert_eq!(
        svc.seen()[1].soap_action.as_deref(),
        Some("\"http://example.com/calculator/GetQuote\"")
    );
}

#[tokio::test]
async fn a_fault_is_the_operations_error_with_typed_detail_whatever_the_status() {
    let svc = Service::start().await;
    for (symbol, status, reason) in [
        ("NOPE", 500, "Internal Server Error"),
        ("NOPE200", 200, "OK"),
    ] {
        let err = svc
            .client()
            .get_quote(QuoteRequest::new(symbol, Currency::Usd))
            .send()
            .await
            .unwrap_err();
        // Display shows the fault string.
        assert_eq!(
            err.to_string(),
            format!("GetQuote: HTTP {status} {reason}: Unknown symbol {symbol}")
        );
        let Error::Api(e) = err else {
            panic!("expected Error::Api, got {err:?}");
        };
        assert_eq!(e.status(), status);
        // The fault is the operation's typed error body: code, reason, and the declared fault
        // its detail holds.
        let fault = e.body().expect("the fault");
        assert_eq!(fault.code, "soap:Client");
        assert_eq!(fault.reason, format!("Unknown symbol {symbol}"));
        assert_eq!(
            fault.detail,
            Some(GetQuoteErrorBody::UnknownSymbol(UnknownSymbol {
                symbol: symbol.into()
            }))
        );
        assert_eq!(fault.detail_error, None);
        // The raw detail stays readable.
        let raw: UnknownSymbol = fault.detail_as().unwrap();
        assert_eq!(raw.symbol, symbol);
    }
    // Add declares its own fault (`Overflow`), answered here in a 200.
    let err = svc.client().add(add(i32::MAX, 1)).send().await.unwrap_err();
    let Error::Api(e) = err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(
        e.body().and_then(|f| f.detail.clone()),
        Some(AddErrorBody::AddOverflow(AddOverflow {
            int_a: i32::MAX,
            int_b: 1
        }))
    );
}

/// The models' serde shape is plain: JSON keys are the XML local names (no `{uri}` or `@`), and
/// a JSON round trip gives the same value; the XML names live in `types::XML_NAMES`.
#[tokio::test]
async fn models_round_trip_through_json_with_plain_names() {
    let svc = Service::start().await;
    let out = svc
        .client()
        .get_quote(QuoteRequest::new("ACME", Currency::Jpy))
        .send()
        .await
        .unwrap();
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"quote": {
            "price": 123.25,
            "time": "2024-02-29T13:34:56.250Z",
            "day": "2024-03-05",
            "source": "feed-JPY",
        }})
    );
    let back: calculator::types::QuoteResponse = serde_json::from_value(json).unwrap();
    assert_eq!(back, out);
    let info = ClientInfo {
        user: "ann".into(),
        app: "e2e".into(),
    };
    let json = serde_json::to_string(&info).unwrap();
    assert_eq!(json, r#"{"user":"ann","app":"e2e"}"#);
    assert_eq!(serde_json::from_str::<ClientInfo>(&json).unwrap(), info);
    let add = serde_json::to_string(&add(1, 2)).unwrap();
    assert_eq!(add, r#"{"intA":1,"intB":2}"#);
}

/// WS-Security UsernameToken, checked by a server that recomputes the digest from what it
/// received and refuses replayed nonces and wrong passwords.
#[tokio::test]
async fn ws_security_username_token_is_verified_by_the_server() {
    let svc = Service::start().await;
    let digest = Client::builder()
        .base_url(&svc.url)
        .ws_security_digest("ann", "s3cret")
        .build()
        .unwrap();
    assert!(!format!("{digest:?}").contains("s3cret"));
    // Two calls, two fresh nonces: both accepted.
    assert_eq!(digest.add(add(1, 2)).send().await.unwrap().add_result, 3);
    assert_eq!(digest.add(add(2, 2)).send().await.unwrap().add_result, 4);
    let text = Client::builder()
        .base_url(&svc.url)
        .ws_security("ann", "s3cret")
        .build()
        .unwrap();
    assert_eq!(text.add(add(1, 1)).send().await.unwrap().add_result, 2);
    // Refused: a wrong password (digest and text), a replayed nonce.
    for (client, why) in [
        (
            Client::builder()
                .base_url(&svc.url)
                .ws_security_digest("ann", "guess")
                .build()
                .unwrap(),
            "wrong password digest",
        ),
        (
            Client::builder()
                .base_url(&svc.url)
                .ws_security("ann", "guess")
                .build()
                .unwrap(),
            "wrong password",
        ),
    ] {
        let err = client.add(add(1, 2)).send().await.unwrap_err();
        assert!(err.to_string().ends_with(why), "{err}");
    }
    let fixed = sdkwright_runtime::UsernameToken::digest("ann", "s3cret")
        .with_nonce_and_created(*b"fixed-nonce-0001", chrono_at("2024-03-05T10:00:00Z"));
    let replaying = Client::builder()
        .base_url(&svc.url)
        .ws_security_token(fixed)
        .build()
        .unwrap();
    replaying.add(add(1, 2)).send().await.unwrap();
    let err = replaying.add(add(1, 2)).send().await.unwrap_err();
    assert!(err.to_string().ends_with("nonce replayed"), "{err}");
    // Every request carried the header, marked mustUnderstand, before the Body.
    for seen in svc.seen() {
        let headers = header_elements(&seen.body).unwrap();
        assert_eq!(headers.len(), 1);
        assert_eq!(
            headers[0].attrs,
            [("mustUnderstand".to_owned(), "1".to_owned())]
        );
    }
}

fn chrono_at(rfc3339: &str) -> sdkwright_runtime::DateTime {
    rfc3339.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Python peers

const INSTALL_HINT: &str = "run `scripts/python-env.sh` at the repository root (it creates \
    target/pyenv with the pinned spyne and zeep), or set SDKWRIGHT_PYTHON to a Python that has them";

/// The virtualenv's interpreter; panics (never skips) when it is missing.
fn python() -> PathBuf {
    let py = match std::env::var_os("SDKWRIGHT_PYTHON") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo_root().join("target/pyenv/bin/python"),
    };
    assert!(
        py.exists(),
        "the Python SOAP peers are not installed: {} is missing; {INSTALL_HINT}",
        py.display()
    );
    py
}

/// `e2e/soap/spyne_server.py` on a free port; killed on drop.
struct Spyne {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Spyne {
    fn start() -> Spyne {
        let log =
            std::env::temp_dir().join(format!("sdkwright-e2e-spyne-{}.log", std::process::id()));
        let mut child = Command::new(python())
            .arg(repo_root().join("e2e/soap/spyne_server.py"))
            .arg("0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start spyne ({e}); {INSTALL_HINT}"));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let port = line
            .trim()
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse().ok());
        let mut spyne = Spyne {
            child,
            port: 0,
            log,
        };
        match port {
            Some(p) => spyne.port = p,
            None => panic!(
                "spyne did not start (said {line:?}); {INSTALL_HINT}\n{}",
                std::fs::read_to_string(&spyne.log).unwrap_or_default()
            ),
        }
        spyne
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// GET `/?wsdl`, over a plain HTTP/1.0 connection.
    fn wsdl(&self) -> String {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /?wsdl HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        let (head, body) = resp.split_once("\r\n\r\n").expect("an HTTP response");
        assert!(
            head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"),
            "{head}"
        );
        body.to_owned()
    }
}

impl Drop for Spyne {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn spyne_adds() {
    let spyne = Spyne::start();
    let client = Client::builder().base_url(spyne.url()).build().unwrap();
    let out = client.add(add(40, 2)).send().await;
    match out {
        Ok(out) => assert_eq!(out.add_result, 42),
        Err(Error::Api(e)) => panic!(
            "spyne refused the request: {e:?}\n{}",
            std::fs::read_to_string(&spyne.log).unwrap_or_default()
        ),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn spynes_published_wsdl_generates_an_add_operation() {
    let spyne = Spyne::start();
    let wsdl = spyne.wsdl();
    let path =
        std::env::temp_dir().join(format!("sdkwright-e2e-spyne-{}.wsdl", std::process::id()));
    std::fs::write(&path, &wsdl).unwrap();
    let out = sdkwright::Generator::new(&path)
        .crate_name("spyne_calculator")
        .generate()
        .unwrap_or_else(|e| panic!("spyne's WSDL did not generate: {e}\n{wsdl}"));
    let _ = std::fs::remove_file(&path);
    let file = |name: &str| {
        out.files
            .iter()
            .find(|f| f.path == std::path::Path::new(name))
            .map(|f| f.contents.replace(char::is_whitespace, ""))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let client = file("src/client.rs");
    let ops = file("src/operations.rs");
    let types = file("src/types.rs");
    assert!(
        client.contains("pubfnadd(&self,body:types::Add)->operations::Add"),
        "{client}"
    );
    for want in [
        // The operation `Add`, POSTed; SOAP 1.1 with SOAPAction `Add`, body element
        // `{http://example.com/calculator}Add`.
        r#"rt::post("Add","")"#,
        r#"rt::BodyFormat::soap(rt::SoapVersion::V11,"Add","http://example.com/calculator","Add",)"#,
        "rt::ResponseFuture<types::AddResponse,",
    ] {
        assert!(ops.contains(want), "missing {want} in\n{ops}");
    }
    // spyne's schema is elementFormDefault="qualified": the children are sent qualified (by the
    // XML names table; the serde name stays plain).
    assert!(
        types.contains(r#"("intA","{http://example.com/calculator}intA")"#),
        "{types}"
    );
    assert!(types.contains(r#"#[serde(rename="intA")]"#), "{types}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_send_what_zeep_sends() {
    let svc = Service::start().await;
    let py = python();
    let wsdl = repo_root().join("specs/calculator.wsdl");
    let url = svc.url.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg(repo_root().join("e2e/soap/zeep_client.py"))
            .arg(wsdl)
            .arg(url)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run zeep ({e}); {INSTALL_HINT}"))
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "zeep failed ({}); {INSTALL_HINT}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["add"], 42, "zeep's own view: {said}");
    assert_eq!(said["source"], "feed-EUR", "zeep's own view: {said}");
    assert_eq!(said["product"], 42, "zeep's own view: {said}");

    let client = svc.client();
    client.add(add(40, 2)).send().await.unwrap();
    client
        .get_quote(acme())
        .client_header(ClientInfo {
            user: "ann".into(),
            app: "e2e".into(),
        })
        .send()
        .await
        .unwrap();
    let product = client
        .multiply(Multiply { a: 6, b: 7 })
        .send()
        .await
        .unwrap();
    assert_eq!(product.product, 42);
    client.reset().send().await.unwrap();

    let seen = svc.seen();
    assert_eq!(
        seen.len(),
        8,
        "zeep: Add, GetQuote, Multiply, Reset; then ours"
    );
    for i in 0..4 {
        let (zeep, ours) = (&seen[i], &seen[i + 4]);
        assert_eq!(ours.content_type, zeep.content_type);
        assert_eq!(ours.soap_action, zeep.soap_action);
        assert_eq!(
            header_elements(&ours.body).unwrap(),
            header_elements(&zeep.body).unwrap(),
            "\nzeep: {}\nours: {}",
            String::from_utf8_lossy(&zeep.body),
            String::from_utf8_lossy(&ours.body)
        );
        assert_eq!(
            ours.element(),
            zeep.element(),
            "\nzeep: {}\nours: {}",
            String::from_utf8_lossy(&zeep.body),
            String::from_utf8_lossy(&ours.body)
        );
    }
}

/// HTTP authentication for SOAP clients through the credential machinery: none by default,
/// basic or bearer when set on the builder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_basic_and_bearer_auth() {
    let svc = Service::start().await;
    svc.client().add(add(1, 2)).send().await.unwrap();
    let basic = Client::builder()
        .base_url(&svc.url)
        .basic("ann", "s3cret")
        .build()
        .unwrap();
    assert_eq!(basic.add(add(1, 2)).send().await.unwrap().add_result, 3);
    let bearer = Client::builder()
        .base_url(&svc.url)
        .bearer("tok")
        .build()
        .unwrap();
    bearer.add(add(1, 2)).send().await.unwrap();
    let auth: Vec<Option<String>> = svc.seen().into_iter().map(|s| s.authorization).collect();
    assert_eq!(
        auth,
        [
            None,
            Some("Basic YW5uOnMzY3JldA==".to_owned()),
            Some("Bearer tok".to_owned())
        ]
    );
}

/// spyne raising the fault `Add` declares: a 500 whose detail decodes as the typed fault.
#[tokio::test]
async fn spyne_raises_the_declared_fault() {
    let spyne = Spyne::start();
    let client = Client::builder().base_url(spyne.url()).build().unwrap();
    let err = client.add(add(i32::MAX, 1)).send().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Add: HTTP 500 Internal Server Error: 2147483647 + 1 does not fit a 32-bit integer"
    );
    let Error::Api(e) = err else {
        panic!(
            "expected Error::Api, got {err:?}\n{}",
            std::fs::read_to_string(&spyne.log).unwrap_or_default()
        );
    };
    assert_eq!(e.status(), 500);
    let fault = e.body().expect("the fault");
    // spyne binds the envelope namespace to `soap11env`.
    assert_eq!(fault.code, "soap11env:Client.Overflow");
    assert_eq!(
        fault.detail,
        Some(AddErrorBody::AddOverflow(AddOverflow {
            int_a: i32::MAX,
            int_b: 1
        })),
        "{fault:?}"
    );
}

/// The `wsse:Security` header is the one zeep's `UsernameToken` writes for the same token
/// (digest with a fixed nonce and time, then text); ours adds `soap:mustUnderstand="1"` unless
/// told not to (zeep never writes it; ONVIF devices expect it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_security_header_is_what_zeep_sends() {
    let (theirs, ours) = (Service::start().await, Service::start().await);
    let py = python();
    let wsdl = repo_root().join("specs/calculator.wsdl");
    let url = theirs.url.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg(repo_root().join("e2e/soap/zeep_wsse.py"))
            .arg(wsdl)
            .arg(url)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run zeep ({e}); {INSTALL_HINT}"))
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "zeep failed ({}); {INSTALL_HINT}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Our server verified zeep's digest too.
    assert_eq!(
        said["sums"],
        serde_json::json!([3, 3]),
        "zeep's own view: {said}"
    );

    let tokens = [
        sdkwright_runtime::UsernameToken::digest("ann", "s3cret")
            .with_nonce_and_created(*b"0123456789abcdef", chrono_at("2024-03-05T10:00:00Z")),
        sdkwright_runtime::UsernameToken::text("ann", "s3cret"),
    ];
    for token in tokens {
        let client = Client::builder()
            .base_url(&ours.url)
            .ws_security_token(token.must_understand(false))
            .build()
            .unwrap();
        assert_eq!(client.add(add(1, 2)).send().await.unwrap().add_result, 3);
    }
    let (theirs, ours) = (theirs.seen(), ours.seen());
    assert_eq!((theirs.len(), ours.len()), (2, 2));
    for (zeep, ours) in theirs.iter().zip(&ours) {
        let headers = header_elements(&zeep.body).unwrap();
        assert_eq!(headers.len(), 1, "{}", String::from_utf8_lossy(&zeep.body));
        assert_eq!(
            header_elements(&ours.body).unwrap(),
            headers,
            "\nzeep: {}\nours: {}",
            String::from_utf8_lossy(&zeep.body),
            String::from_utf8_lossy(&ours.body)
        );
        assert_eq!(ours.element(), zeep.element());
    }
}
