//! SOAP 1.1 / 1.2: request envelopes and response / fault parsing.
//!
//! Request bodies are serialized through `serde_json::Value` into XML: object fields become child
//! elements (in field order), lists become repeated elements, `None` fields are omitted,
//! fields named `@name` become attributes and a field named `$text` or `$value` becomes text
//! content; a `null` field (a required nillable element) becomes an empty element marked
//! `xsi:nil="true"`. A field named `name` is an unqualified element (no namespace); a field named in Clark
//! notation, `{uri}name`, is an element in namespace `uri` (generated code names the fields of
//! types from an `elementFormDefault="qualified"` schema so, for serialization only). Responses
//! are read in one streaming pass that copies out the first child of `Body` with namespace
//! prefixes stripped and elements marked `xsi:nil="true"` dropped (so they read as `None`);
//! that copy is deserialized with quick-xml's serde support (a Fault, and a fault's detail, are
//! read into a small element tree). Nesting past [`MAX_XML_DEPTH`] is refused.

use std::fmt;

use quick_xml::events::Event;
use quick_xml::Reader;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::DecodeError;
use crate::spec::SoapVersion;

/// The deepest element nesting a response may have (the envelope's own two levels included):
/// deeper documents are refused with a [`DecodeError`] before anything recurses over them, so
/// every walk of the tree (writing, deserializing, dropping) stays far from the stack's limit.
pub const MAX_XML_DEPTH: usize = 256;

const NS_11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const NS_12: &str = "http://www.w3.org/2003/05/soap-envelope";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A SOAP Fault (1.1 or 1.2), normalized.
///
/// A fault in a successful response is [`crate::Error::SoapFault`]; one in an error response
/// (SOAP 1.1 servers answer faults with status 500) is read with
/// [`crate::ErrorMetadata::soap_fault`], and its detail with [`SoapFault::detail_as`].
///
/// `#[non_exhaustive]`: read its fields; make one with [`SoapFault::new`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct SoapFault {
    /// `faultcode` (1.1) or `Code/Value` (1.2), as sent (e.g. `soap:Client`, `env:Sender`).
    pub code: String,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2).
    pub reason: String,
    /// The XML content of `detail` (1.1) / `Detail` (1.2), namespace prefixes stripped.
    #[serde(default)]
    pub detail: Option<String>,
}

impl SoapFault {
    /// A fault with this code and reason and no detail.
    ///
    /// ```
    /// let f = sdkwright_runtime::SoapFault::new("soap:Client", "bad symbol").with_detail("<e>x</e>");
    /// assert_eq!(f.to_string(), "SOAP fault soap:Client: bad symbol");
    /// ```
    pub fn new(code: impl Into<String>, reason: impl Into<String>) -> Self {
        SoapFault {
            code: code.into(),
            reason: reason.into(),
            detail: None,
        }
    }
    /// This XML as the fault's detail.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    /// Deserializes the first element inside the fault detail into `T`.
    pub fn detail_as<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let detail = self
            .detail
            .as_deref()
            .ok_or_else(|| DecodeError::new("SOAP fault has no detail"))?;
        let root = parse(&format!("<detail>{detail}</detail>"))?;
        let first = root
            .elements()
            .next()
            .ok_or_else(|| DecodeError::new("SOAP fault detail has no element"))?;
        from_node(first)
    }
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::write_bounded(
            f,
            crate::error::MESSAGE_LIMIT,
            format_args!("SOAP fault {}: {}", self.code, self.reason),
        )
    }
}

impl std::error::Error for SoapFault {}

/// The key under which a [`SoapMessage`] serializes (a name no schema field can have).
const MESSAGE_KEY: &str = "\u{0}sdkwright:soap-message";

/// A SOAP request body plus the elements of its envelope's `Header` (the operation's
/// `soap:header` parts), as generated code passes it to
/// [`Request::body`](crate::__private::Request::body).
///
/// It serializes to a private shape the envelope writer recognizes; headers left `None` are not
/// sent.
#[derive(Debug)]
pub struct SoapMessage<'a, B: ?Sized> {
    body: &'a B,
    headers: Vec<(&'static str, &'static str, Result<Value, String>)>,
}

impl<'a, B: serde::Serialize + ?Sized> SoapMessage<'a, B> {
    /// A message with this body and no headers.
    pub fn new(body: &'a B) -> Self {
        SoapMessage {
            body,
            headers: Vec::new(),
        }
    }

    /// Adds the header element `{namespace}element` with this value, when it is set.
    pub fn header<T: serde::Serialize>(
        mut self,
        namespace: &'static str,
        element: &'static str,
        value: &Option<T>,
    ) -> Self {
        if let Some(v) = value {
            let v = serde_json::to_value(v).map_err(|e| e.to_string());
            self.headers.push((namespace, element, v));
        }
        self
    }
}

impl<B: serde::Serialize + ?Sized> serde::Serialize for SoapMessage<'_, B> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap};
        let mut headers = Vec::with_capacity(self.headers.len());
        for (ns, el, v) in &self.headers {
            let v = v
                .as_ref()
                .map_err(|e| S::Error::custom(format!("SOAP header {el}: {e}")))?;
            headers.push((ns, el, v));
        }
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(MESSAGE_KEY, &(headers, self.body))?;
        map.end()
    }
}

/// Splits a serialized [`SoapMessage`] into its headers and body; other values are a body
/// without headers.
fn split_message(value: &Value) -> (Vec<(&str, &str, &Value)>, &Value) {
    let Some(Value::Array(parts)) = value
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.get(MESSAGE_KEY))
    else {
        return (Vec::new(), value);
    };
    let (Some(Value::Array(headers)), Some(body)) = (parts.first(), parts.get(1)) else {
        return (Vec::new(), value);
    };
    let headers = headers
        .iter()
        .filter_map(|h| match h.as_array().map(Vec::as_slice) {
            Some([Value::String(ns), Value::String(el), v]) => Some((ns.as_str(), el.as_str(), v)),
            _ => None,
        })
        .collect();
    (headers, body)
}

/// What the body of a SOAP response held.
pub(crate) enum SoapBody<T> {
    Value(T),
    Fault(SoapFault),
}

/// The SOAP envelope for a request, plus its Content-Type and (1.1) SOAPAction header value.
pub(crate) struct Envelope {
    pub(crate) xml: String,
    pub(crate) content_type: String,
    pub(crate) soap_action: Option<String>,
}

pub(crate) fn envelope(
    version: SoapVersion,
    action: &str,
    namespace: &str,
    element: &str,
    value: &Value,
) -> Result<Envelope, String> {
    let env_ns = match version {
        SoapVersion::V11 => NS_11,
        SoapVersion::V12 => NS_12,
    };
    let (headers, value) = split_message(value);
    let mut xml = String::with_capacity(256);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    xml.push_str("<soap:Envelope xmlns:soap=\"");
    xml.push_str(env_ns);
    xml.push_str("\">");
    if !headers.is_empty() {
        xml.push_str("<soap:Header>");
        for (ns, el, v) in headers {
            let ctx = NsCtx {
                body_ns: "",
                default_ns: ns,
            };
            let attr = if ns.is_empty() {
                String::new()
            } else {
                format!(" xmlns=\"{}\"", escape(ns))
            };
            write_element(&mut xml, el, &attr, v, ctx);
        }
        xml.push_str("</soap:Header>");
    }
    xml.push_str("<soap:Body>");
    let name = if namespace.is_empty() {
        element.to_owned()
    } else {
        format!("ns:{element}")
    };
    let mut ns_attr = String::new();
    if !namespace.is_empty() {
        ns_attr = format!(" xmlns:ns=\"{}\"", escape(namespace));
    }
    match value {
        // A document-style operation whose input message has no part: an empty Body.
        _ if element.is_empty() => {}
        Value::Array(_) => return Err("a SOAP body must be an object or a scalar".into()),
        Value::Null => {
            xml.push_str(&format!("<{name}{ns_attr}/>"));
        }
        _ => {
            let ctx = NsCtx {
                body_ns: namespace,
                default_ns: "",
            };
            write_element(&mut xml, &name, &ns_attr, value, ctx);
        }
    }
    xml.push_str("</soap:Body></soap:Envelope>");
    let (content_type, soap_action) = match version {
        SoapVersion::V11 => (
            "text/xml; charset=utf-8".to_owned(),
            Some(format!("\"{action}\"")),
        ),
        SoapVersion::V12 if action.is_empty() => {
            ("application/soap+xml; charset=utf-8".to_owned(), None)
        }
        SoapVersion::V12 => (
            format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
            None,
        ),
    };
    Ok(Envelope {
        xml,
        content_type,
        soap_action,
    })
}

/// The namespaces in scope while writing: the body element's, bound to the prefix `ns` for the
/// whole body, and the default namespace (`xmlns="…"`), initially none.
#[derive(Clone, Copy)]
struct NsCtx<'a> {
    body_ns: &'a str,
    default_ns: &'a str,
}

/// Writes the child element for the field `key` (`name` or `{uri}name`) of an object.
fn write_child(out: &mut String, key: &str, v: &Value, ctx: NsCtx<'_>) {
    let (uri, local) = match key.strip_prefix('{').and_then(|k| k.split_once('}')) {
        Some((uri, local)) => (uri, local),
        None => ("", key),
    };
    if !uri.is_empty() && uri == ctx.body_ns {
        write_element(out, &format!("ns:{local}"), "", v, ctx);
    } else if uri == ctx.default_ns {
        write_element(out, local, "", v, ctx);
    } else {
        let attr = format!(" xmlns=\"{}\"", escape(uri));
        let inner = NsCtx {
            default_ns: uri,
            ..ctx
        };
        write_element(out, local, &attr, v, inner);
    }
}

fn write_element(out: &mut String, name: &str, extra_attrs: &str, v: &Value, ctx: NsCtx<'_>) {
    match v {
        // A null field is a required nillable element (optional fields left empty are not
        // serialized at all): sent as `xsi:nil="true"`, as zeep does.
        Value::Null => {
            out.push('<');
            out.push_str(name);
            out.push_str(extra_attrs);
            out.push_str(" xmlns:xsi=\"");
            out.push_str(XSI);
            out.push_str("\" xsi:nil=\"true\"/>");
        }
        Value::Array(items) => {
            for item in items.iter().filter(|i| !i.is_null()) {
                write_element(out, name, extra_attrs, item, ctx);
            }
        }
        Value::Object(map) => {
            out.push('<');
            out.push_str(name);
            out.push_str(extra_attrs);
            for (k, v) in map {
                if let Some(attr) = k.strip_prefix('@') {
                    if let Some(s) = scalar_text(v) {
                        out.push_str(&format!(" {attr}=\"{}\"", escape(&s)));
                    }
                }
            }
            out.push('>');
            for (k, v) in map {
                if k.starts_with('@') {
                    continue;
                }
                if k == "$text" || k == "$value" {
                    if let Some(s) = scalar_text(v) {
                        out.push_str(&escape(&s));
                    }
                    continue;
                }
                write_child(out, k, v, ctx);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        _ => {
            let text = scalar_text(v).unwrap_or_default();
            out.push_str(&format!("<{name}{extra_attrs}>{}</{name}>", escape(&text)));
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An XML element with namespace prefixes stripped from element and attribute names.
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    children: Vec<Child>,
}

#[derive(Debug)]
enum Child {
    Element(Node),
    Text(String),
}

impl Node {
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Child::Element(n) => Some(n),
            Child::Text(_) => None,
        })
    }
    pub(crate) fn child(&self, name: &str) -> Option<&Node> {
        self.elements().find(|n| n.name == name)
    }
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            if let Child::Text(t) = c {
                s.push_str(t);
            }
        }
        s.trim().to_owned()
    }
    /// `xsi:nil="true"` (prefixes are stripped, so any `nil` attribute): the element stands for
    /// no value and is left out when deserializing, so an `Option` field reads as `None`.
    pub(crate) fn is_nil(&self) -> bool {
        self.attrs
            .iter()
            .any(|(k, v)| k == "nil" && matches!(v.trim(), "true" | "1"))
    }
    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        self.write_inner(out);
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
    fn write_inner(&self, out: &mut String) {
        for c in &self.children {
            match c {
                Child::Element(n) if n.is_nil() => {}
                Child::Element(n) => n.write(out),
                Child::Text(t) => out.push_str(&escape(t)),
            }
        }
    }
}

fn local(name: &[u8]) -> String {
    let name = match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(name).into_owned()
}

fn xml_err(e: impl std::error::Error + Send + Sync + 'static) -> DecodeError {
    DecodeError::with_source("malformed XML", e)
}

fn start_node(e: &quick_xml::events::BytesStart<'_>) -> Result<Node, DecodeError> {
    let mut node = Node {
        name: local(e.name().as_ref()),
        ..Node::default()
    };
    for attr in e.attributes() {
        let attr = attr.map_err(xml_err)?;
        let key = attr.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        let value = attr.unescape_value().map_err(xml_err)?.into_owned();
        node.attrs.push((local(key), value));
    }
    Ok(node)
}

/// Parses a document into its root element (also for OpenAPI XML bodies, `xml.rs`).
pub(crate) fn parse(xml: &str) -> Result<Node, DecodeError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let ev = reader.read_event().map_err(xml_err)?;
        if matches!(ev, Event::Start(_) | Event::Empty(_)) && stack.len() > MAX_XML_DEPTH {
            // `stack` holds the document node plus every open element: the new element would
            // be at depth `stack.len()`.
            return Err(DecodeError::new(format!(
                "XML nested deeper than {MAX_XML_DEPTH} elements"
            )));
        }
        match ev {
            Event::Start(e) => stack.push(start_node(&e)?),
            Event::Empty(e) => {
                let node = start_node(&e)?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Child::Element(node));
                }
            }
            Event::End(_) => {
                let node = stack.pop().filter(|_| !stack.is_empty());
                match (node, stack.last_mut()) {
                    (Some(node), Some(top)) => top.children.push(Child::Element(node)),
                    _ => return Err(DecodeError::new("malformed XML: unbalanced end tag")),
                }
            }
            Event::Text(t) => {
                let t = t.unescape().map_err(xml_err)?;
                if !t.trim().is_empty() {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Child::Text(t.into_owned()));
                    }
                }
            }
            Event::CData(c) => {
                let t = String::from_utf8_lossy(&c.into_inner()).into_owned();
                if let Some(top) = stack.last_mut() {
                    top.children.push(Child::Text(t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(DecodeError::new("malformed XML: unclosed element"));
    }
    let doc = stack.pop().unwrap_or_default();
    doc.children
        .into_iter()
        .find_map(|c| match c {
            Child::Element(n) => Some(n),
            Child::Text(_) => None,
        })
        .ok_or_else(|| DecodeError::new("XML document has no root element"))
}

fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DecodeError> {
    let mut xml = String::new();
    node.write(&mut xml);
    quick_xml::de::from_str(&xml).map_err(|e| {
        DecodeError::with_source(format!("SOAP element <{}> did not match", node.name), e)
    })
}

/// The first element inside `Body`: its local name and its XML as deserialization reads it.
struct BodyChild {
    name: String,
    xml: String,
}

/// Finds the first element inside the `Body` of the `Envelope` in one pass over the document,
/// copying it out as it goes (prefixes stripped, `xmlns` attributes and `xsi:nil` elements
/// inside it dropped): no tree of the whole document is built, so memory stays near the size
/// of that element's text. The whole document is read, so malformed XML anywhere and nesting
/// past [`MAX_XML_DEPTH`] are errors.
fn body_child(xml: &[u8]) -> Result<BodyChild, DecodeError> {
    let text = std::str::from_utf8(xml)
        .map_err(|e| DecodeError::with_source("SOAP response is not UTF-8", e))?;
    let mut reader = Reader::from_str(text);
    // Open elements; the root is at depth 1, Body at 2, the copied element at 3.
    let mut depth = 0usize;
    let mut roots = 0u32;
    // 0: Body not reached yet, 1: inside the first Body, 2: past it.
    let mut body = 0u8;
    let mut child: Option<BodyChild> = None;
    // Copying the child: it is open (until its end at depth 3).
    let mut copying = false;
    // Inside a nil element opened at this depth: nothing is copied until it closes.
    let mut skip_from: Option<usize> = None;
    loop {
        let ev = reader.read_event().map_err(xml_err)?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(DecodeError::new(format!(
                        "XML nested deeper than {MAX_XML_DEPTH} elements"
                    )));
                }
                if depth == 1 {
                    roots = roots.saturating_add(1);
                }
                if depth == 1 && roots == 1 {
                    let name = local(e.name().as_ref());
                    if name != "Envelope" {
                        return Err(DecodeError::new(format!(
                            "expected a SOAP Envelope, got <{name}>"
                        )));
                    }
                } else if depth == 2 && roots == 1 && body == 0 {
                    if local(e.name().as_ref()) == "Body" {
                        body = if empty { 2 } else { 1 };
                    }
                } else if depth == 3 && body == 1 && child.is_none() {
                    child = Some(BodyChild {
                        name: local(e.name().as_ref()),
                        xml: String::new(),
                    });
                    copying = true;
                }
                if copying && skip_from.is_none() {
                    let node = start_node(e)?;
                    if depth > 3 && node.is_nil() {
                        if !empty {
                            skip_from = Some(depth);
                        }
                    } else if let Some(c) = child.as_mut() {
                        c.xml.push('<');
                        c.xml.push_str(&node.name);
                        for (k, v) in &node.attrs {
                            c.xml.push_str(&format!(" {k}=\"{}\"", escape(v)));
                        }
                        c.xml.push_str(if empty { "/>" } else { ">" });
                    }
                }
                if empty {
                    if depth == 3 && copying {
                        copying = false;
                    }
                    depth -= 1;
                }
            }
            Event::End(e) => {
                if depth == 0 {
                    return Err(DecodeError::new("malformed XML: unbalanced end tag"));
                }
                if copying && skip_from.is_none() {
                    if let Some(c) = child.as_mut() {
                        c.xml.push_str("</");
                        c.xml.push_str(&local(e.name().as_ref()));
                        c.xml.push('>');
                    }
                }
                if skip_from == Some(depth) {
                    skip_from = None;
                }
                if depth == 3 && copying {
                    copying = false;
                }
                if depth == 2 && body == 1 {
                    body = 2;
                }
                depth -= 1;
            }
            Event::Text(t) if copying && skip_from.is_none() => {
                let t = t.unescape().map_err(xml_err)?;
                if !t.trim().is_empty() {
                    if let Some(c) = child.as_mut() {
                        c.xml.push_str(&escape(&t));
                    }
                }
            }
            Event::CData(t) if copying && skip_from.is_none() => {
                if let Some(c) = child.as_mut() {
                    c.xml.push_str(&escape(&String::from_utf8_lossy(t)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(DecodeError::new("malformed XML: unclosed element"));
    }
    if roots == 0 {
        return Err(DecodeError::new("XML document has no root element"));
    }
    if body == 0 {
        return Err(DecodeError::new("SOAP Envelope has no Body"));
    }
    child.ok_or_else(|| DecodeError::new("SOAP Body is empty"))
}

fn fault_of(node: &Node) -> SoapFault {
    let inner = |n: &Node| {
        let mut s = String::new();
        n.write_inner(&mut s);
        s
    };
    if let Some(code) = node.child("Code") {
        // SOAP 1.2
        let code = code.child("Value").map(Node::text).unwrap_or_default();
        let reason = node
            .child("Reason")
            .and_then(|r| r.child("Text"))
            .map(Node::text)
            .unwrap_or_default();
        let detail = node.child("Detail").map(inner);
        SoapFault {
            code,
            reason,
            detail,
        }
    } else {
        SoapFault {
            code: node.child("faultcode").map(Node::text).unwrap_or_default(),
            reason: node
                .child("faultstring")
                .map(Node::text)
                .unwrap_or_default(),
            detail: node
                .child("detail")
                .or_else(|| node.child("Detail"))
                .map(inner),
        }
    }
}

/// Decodes the first child of `Body`, or the Fault it holds.
///
/// An operation without a response value (`T = ()`) accepts an empty HTTP body (a one-way
/// operation answered `202 Accepted`), an empty Body and an empty response element.
pub(crate) fn decode_body<T: DeserializeOwned>(xml: &[u8]) -> Result<SoapBody<T>, DecodeError> {
    let unit = || T::deserialize(Value::Null).ok().map(SoapBody::Value);
    if xml.iter().all(u8::is_ascii_whitespace) {
        return unit().ok_or_else(|| DecodeError::new("SOAP response is empty"));
    }
    let first = match body_child(xml) {
        Err(e) if e.to_string().contains("Body is empty") => return unit().ok_or(e),
        other => other?,
    };
    if first.name == "Fault" {
        return Ok(SoapBody::Fault(fault_of(&parse(&first.xml)?)));
    }
    quick_xml::de::from_str(&first.xml)
        .map(SoapBody::Value)
        .or_else(|e| {
            let empty = parse(&first.xml).is_ok_and(|n| n.children.is_empty());
            empty.then(unit).flatten().ok_or(e)
        })
        .map_err(|e| {
            DecodeError::with_source(format!("SOAP element <{}> did not match", first.name), e)
        })
}

/// The Fault in a SOAP response body, if it holds one.
pub(crate) fn fault(xml: &[u8]) -> Result<SoapFault, DecodeError> {
    let first = body_child(xml)?;
    if first.name == "Fault" {
        Ok(fault_of(&parse(&first.xml)?))
    } else {
        Err(DecodeError::new(format!(
            "expected a SOAP Fault, got <{}>",
            first.name
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">"#;

    fn child(body: &str) -> Result<BodyChild, DecodeError> {
        body_child(format!("{ENV}{body}</s:Envelope>").as_bytes())
    }

    #[test]
    fn copies_the_first_body_element_only() {
        let c = child(
            r#"<s:Header><x:Body xmlns:x="u"><no/></x:Body></s:Header><s:Body> <m:R xmlns:m="urn:m" m:a="1&amp;2"><m:V>a &lt; b</m:V><m:N i:nil="true"><deep/></m:N><m:E i:nil="1"/><![CDATA[<c>]]></m:R><m:Second/></s:Body>"#,
        )
        .unwrap();
        assert_eq!(c.name, "R");
        assert_eq!(c.xml, r#"<R a="1&amp;2"><V>a &lt; b</V>&lt;c&gt;</R>"#);
    }

    #[test]
    fn envelope_namespaces_per_field_and_nil() {
        let v = serde_json::json!({
            "{urn:t}a": 1,
            "{urn:o}shared": "s",
            "{}plain": "p",
            "{urn:t}inner": {"{urn:t}x": true, "{}y": null},
            "{urn:t}note": null,
            "{urn:t}list": [1, null, 2],
        });
        let env = envelope(SoapVersion::V11, "urn:op", "urn:t", "Req", &v).unwrap();
        let body = env
            .xml
            .split_once("<soap:Body>")
            .and_then(|(_, b)| b.split_once("</soap:Body>"))
            .map(|(b, _)| b)
            .unwrap();
        assert_eq!(
            body,
            concat!(
                r#"<ns:Req xmlns:ns="urn:t"><ns:a>1</ns:a><shared xmlns="urn:o">s</shared><plain>p</plain>"#,
                r#"<ns:inner><ns:x>true</ns:x><y xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></ns:inner>"#,
                r#"<ns:note xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>"#,
                r#"<ns:list>1</ns:list><ns:list>2</ns:list></ns:Req>"#
            )
        );
        assert_eq!(env.soap_action.as_deref(), Some("\"urn:op\""));
    }

    #[test]
    fn no_response_value_reads_faults_and_accepts_empty_answers() {
        let env = |body: &str| format!("{ENV}<s:Body>{body}</s:Body></s:Envelope>");
        for ok in [
            String::new(),
            " \n".to_owned(),
            format!("{ENV}<s:Body/></s:Envelope>"),
            env("<m:ResetResponse xmlns:m=\"urn:m\"/>"),
            env("<m:ResetResponse xmlns:m=\"urn:m\"></m:ResetResponse>"),
        ] {
            assert!(
                matches!(decode_body::<()>(ok.as_bytes()), Ok(SoapBody::Value(()))),
                "{ok}"
            );
        }
        let fault = env(
            "<s:Fault><faultcode>s:Server</faultcode><faultstring>busy</faultstring></s:Fault>",
        );
        let Ok(SoapBody::Fault(f)) = decode_body::<()>(fault.as_bytes()) else {
            panic!("a fault")
        };
        assert_eq!(f.reason, "busy");
        // A value type still needs its value.
        assert!(decode_body::<i64>(b"").is_err());
        assert!(decode_body::<i64>(env("<m:R xmlns:m=\"urn:m\"/>").as_bytes()).is_err());
    }

    #[test]
    fn headers_go_in_the_envelope_header() {
        #[derive(serde::Serialize)]
        struct Version {
            #[serde(rename = "@Version")]
            version: &'static str,
        }
        #[derive(serde::Serialize)]
        struct Body {
            #[serde(rename = "{urn:m}id")]
            id: u32,
        }
        let msg = SoapMessage::new(&Body { id: 7 })
            .header(
                "urn:t",
                "RequestServerVersion",
                &Some(Version {
                    version: "Exchange2016",
                }),
            )
            .header("urn:t", "Unset", &None::<u8>)
            .header("", "Plain", &Some("x"));
        let v = serde_json::to_value(&msg).unwrap();
        let env = envelope(SoapVersion::V11, "", "urn:m", "Get", &v).unwrap();
        assert!(
            env.xml.ends_with(concat!(
                r#"<soap:Header><RequestServerVersion xmlns="urn:t" Version="Exchange2016"></RequestServerVersion>"#,
                r#"<Plain>x</Plain></soap:Header>"#,
                r#"<soap:Body><ns:Get xmlns:ns="urn:m"><ns:id>7</ns:id></ns:Get></soap:Body></soap:Envelope>"#
            )),
            "{}",
            env.xml
        );
        // No body element: an empty Body.
        let env = envelope(SoapVersion::V11, "", "", "", &serde_json::json!({})).unwrap();
        assert!(
            env.xml.ends_with("<soap:Body></soap:Body></soap:Envelope>"),
            "{}",
            env.xml
        );
        // Without headers: no Header element.
        let v = serde_json::to_value(SoapMessage::new(&Body { id: 7 })).unwrap();
        let env = envelope(SoapVersion::V11, "", "urn:m", "Get", &v).unwrap();
        assert!(!env.xml.contains("Header"), "{}", env.xml);
    }

    #[test]
    fn refusals() {
        let err = |body: &str| child(body).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err("<s:Body/>").contains("Body is empty"));
        assert!(err("<s:Body></s:Body>").contains("Body is empty"));
        assert!(err("<s:Header/>").contains("no Body"));
        assert!(err("<s:Body><a></s:Body>").contains("malformed XML"));
        let e = body_child(b"<a/>").err().unwrap().to_string();
        assert!(e.contains("expected a SOAP Envelope, got <a>"), "{e}");
        assert!(body_child(b"").is_err());
        assert!(body_child(b"<s:Envelope><s:Body><a/></s:Body>").is_err());
        let second_root =
            format!("{ENV}</s:Envelope><s:Envelope><s:Body><a/></s:Body></s:Envelope>");
        assert!(body_child(second_root.as_bytes()).is_err());
        let deep = format!(
            "<s:Body>{}{}</s:Body>",
            "<a>".repeat(300),
            "</a>".repeat(300)
        );
        assert!(err(&deep).contains("nested deeper than 256"));
    }
}
