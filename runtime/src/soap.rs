//! SOAP 1.1 / 1.2: request envelopes and response / fault parsing.
//!
//! Request bodies are serialized through `serde_json::Value` into XML: object fields become child
//! elements (in field order), lists become repeated elements, `None` fields are omitted,
//! fields named `@name` become attributes (`@{uri}name`: a qualified attribute, with a prefix
//! declared on its element), a field named `$text` or `$value` holding a scalar becomes text
//! content, and a `$value` field holding `{"{uri}Name": content}` objects (an element union,
//! or a list of them: a repeated `xs:choice`, a substitution group) becomes those elements, in
//! order; a `null` field (a required nillable element) becomes an empty element marked
//! `xsi:nil="true"`. A field named `name` is an unqualified element (no namespace); a field named in Clark
//! notation, `{uri}name`, is an element in namespace `uri` (generated code names the fields of
//! types from an `elementFormDefault="qualified"` schema so, for serialization only). Responses
//! are read in one streaming pass that copies out the first child of `Body` with namespace
//! prefixes stripped and elements marked `xsi:nil="true"` dropped (so they read as `None`);
//! that copy is deserialized with quick-xml's serde support (a Fault, and a fault's detail, are
//! read into a small element tree). Nesting past [`MAX_XML_DEPTH`] is refused.

use std::fmt;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
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
    /// SOAP 1.2: the `Subcode/Value` chain under `Code`, outermost first, as sent (e.g.
    /// `["rpc:BadArguments"]`, ONVIF's `["ter:InvalidArgVal", "ter:NoProfile"]`); empty for 1.1.
    #[serde(default)]
    pub subcodes: Vec<String>,
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
            subcodes: Vec::new(),
            detail: None,
        }
    }
    /// This SOAP 1.2 subcode chain (outermost first).
    pub fn with_subcodes<S: Into<String>>(mut self, subcodes: impl IntoIterator<Item = S>) -> Self {
        self.subcodes = subcodes.into_iter().map(Into::into).collect();
        self
    }
    /// The local name of the first element inside the detail (namespace prefix stripped), if
    /// the fault has a detail holding an element.
    pub fn detail_element(&self) -> Option<String> {
        let detail = self.detail.as_deref()?;
        let root = parse(&format!("<detail>{detail}</detail>")).ok()?;
        let name = root.elements().next()?.name.clone();
        Some(name)
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

/// A SOAP Fault of an operation whose WSDL declares faults (`wsdl:fault`): the fault itself
/// (code, subcodes, reason, raw detail; also reachable through `Deref`) and its detail decoded
/// as the generated enum `D` of the operation's declared faults, when the detail's element is
/// one of them.
///
/// Generated operations return `Result<T, Error<rt::Fault<OpErrorBody>>>`; `e.body()` of the
/// `Error::Api` is this, whatever the HTTP status (500, 400, or 200) the fault came with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Fault<D> {
    /// The fault: code, subcodes, reason and the detail's XML.
    pub fault: SoapFault,
    /// The detail as the declared fault it holds: `None` without a detail, or when its element
    /// is none of the declared ones, or when it did not decode (then `detail_error` says why).
    pub detail: Option<D>,
    /// Why the detail did not decode as the declared fault its element names, if it did not.
    pub detail_error: Option<String>,
}

impl<D> Fault<D> {
    /// A fault with no typed detail (for tests of error handling).
    pub fn new(fault: SoapFault) -> Self {
        Fault {
            fault,
            detail: None,
            detail_error: None,
        }
    }
    /// With this typed detail.
    pub fn with_detail(mut self, detail: D) -> Self {
        self.detail = Some(detail);
        self
    }
}

impl<D> std::ops::Deref for Fault<D> {
    type Target = SoapFault;
    fn deref(&self) -> &SoapFault {
        &self.fault
    }
}

impl<D> fmt::Display for Fault<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fault.fmt(f)
    }
}

impl<D: fmt::Debug> std::error::Error for Fault<D> {}

/// The declared faults of an operation (a generated enum, one variant per fault element):
/// decodes a fault's detail as the one its first element names.
pub trait FaultDetail: Sized {
    /// `None` when the fault has no detail or its element is no declared fault; an error when
    /// it is one and does not decode.
    fn from_fault(fault: &SoapFault) -> Option<Result<Self, DecodeError>>;
}

impl<D: FaultDetail> crate::response::ErrorBody for Fault<D> {
    fn from_response(resp: &crate::response::ErrorResponse) -> Option<Result<Self, DecodeError>> {
        let fault = match resp.soap_fault() {
            Ok(f) => f,
            // Not a fault (an HTML error page, an empty 503): no typed body.
            Err(_) => return None,
        };
        let (detail, detail_error) = match D::from_fault(&fault) {
            None => (None, None),
            Some(Ok(d)) => (Some(d), None),
            Some(Err(e)) => (None, Some(e.to_string())),
        };
        Some(Ok(Fault {
            fault,
            detail,
            detail_error,
        }))
    }
}

const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const WSS_USERNAME_PROFILE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0";
const WSS_MESSAGE_SECURITY: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0";

/// A WS-Security `UsernameToken` (OASIS Web Services Security UsernameToken Profile 1.0), sent
/// in a `wsse:Security` header of every SOAP request of a client
/// ([`ClientBuilder::ws_security`](crate::ClientBuilder::ws_security); generated SOAP clients:
/// `.ws_security(user, password)` / `.ws_security_digest(user, password)`).
///
/// - [`UsernameToken::text`]: `Password Type="…#PasswordText"`, the password as it is (use it
///   over TLS only);
/// - [`UsernameToken::digest`]: `Password Type="…#PasswordDigest"` =
///   Base64(SHA-1(nonce + created + password)) with a fresh random 16-byte `Nonce` (Base64) and
///   `wsu:Created` (UTC, `2024-03-05T10:00:00Z`) per call, what ONVIF devices require.
///
/// The `Security` element carries `soap:mustUnderstand="1"` (as ONVIF's examples and most
/// servers expect; [`UsernameToken::must_understand`] turns it off). A retried request is sent
/// again as it was (same nonce). The password never shows in `Debug` output.
///
/// ```
/// use sdkwright_runtime::UsernameToken;
///
/// let t = UsernameToken::digest("admin", "s3cret");
/// assert!(!format!("{t:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct UsernameToken {
    username: String,
    password: crate::Secret,
    digest: bool,
    must_understand: bool,
    /// A fixed nonce and `Created` (tests, and comparing with another client's bytes).
    fixed: Option<(Vec<u8>, chrono::DateTime<chrono::Utc>)>,
}

impl fmt::Debug for UsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameToken")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("digest", &self.digest)
            .field("must_understand", &self.must_understand)
            .finish_non_exhaustive()
    }
}

impl UsernameToken {
    /// A token sending the password as text (`#PasswordText`).
    pub fn text(username: impl Into<String>, password: impl Into<String>) -> Self {
        UsernameToken {
            username: username.into(),
            password: crate::Secret::new(password),
            digest: false,
            must_understand: true,
            fixed: None,
        }
    }

    /// A token sending a password digest (`#PasswordDigest`) with a nonce and a creation time.
    pub fn digest(username: impl Into<String>, password: impl Into<String>) -> Self {
        UsernameToken {
            digest: true,
            ..UsernameToken::text(username, password)
        }
    }

    /// Whether the `Security` header is marked `soap:mustUnderstand="1"` (the default).
    pub fn must_understand(mut self, yes: bool) -> Self {
        self.must_understand = yes;
        self
    }

    /// Uses this nonce and creation time instead of fresh ones for every request (for tests:
    /// a server remembers nonces and rejects a replayed one).
    pub fn with_nonce_and_created(
        mut self,
        nonce: impl Into<Vec<u8>>,
        created: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        self.fixed = Some((nonce.into(), created));
        self
    }

    /// The user name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The `wsse:Security` header element, with a fresh nonce and `Created` = `now` unless
    /// fixed.
    pub(crate) fn header_xml(&self, now: std::time::SystemTime) -> Result<String, String> {
        use base64::Engine as _;
        let mut xml = format!("<wsse:Security xmlns:wsse=\"{WSSE}\"");
        if self.must_understand {
            xml.push_str(" soap:mustUnderstand=\"1\"");
        }
        xml.push_str("><wsse:UsernameToken><wsse:Username>");
        xml.push_str(&escape(&self.username));
        xml.push_str("</wsse:Username>");
        if self.digest {
            let (nonce, created) = match &self.fixed {
                Some((n, c)) => (n.clone(), *c),
                None => {
                    let mut n = vec![0u8; 16];
                    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut n)
                        .map_err(|_| "no random bytes for the WS-Security nonce".to_owned())?;
                    (n, chrono::DateTime::<chrono::Utc>::from(now))
                }
            };
            let created = created.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let digest = password_digest(&nonce, &created, self.password.expose());
            let b64 = base64::engine::general_purpose::STANDARD;
            xml.push_str(&format!(
                "<wsse:Password Type=\"{WSS_USERNAME_PROFILE}#PasswordDigest\">{digest}</wsse:Password>\
                 <wsse:Nonce EncodingType=\"{WSS_MESSAGE_SECURITY}#Base64Binary\">{}</wsse:Nonce>\
                 <wsu:Created xmlns:wsu=\"{WSU}\">{created}</wsu:Created>",
                b64.encode(&nonce)
            ));
        } else {
            xml.push_str(&format!(
                "<wsse:Password Type=\"{WSS_USERNAME_PROFILE}#PasswordText\">{}</wsse:Password>",
                escape(self.password.expose())
            ));
        }
        xml.push_str("</wsse:UsernameToken></wsse:Security>");
        Ok(xml)
    }
}

/// `Base64(SHA-1(nonce + created + password))`, the UsernameToken profile's password digest.
pub(crate) fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    use base64::Engine as _;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(nonce);
    ctx.update(created.as_bytes());
    ctx.update(password.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(ctx.finish().as_ref())
}

/// WS-Addressing 1.0.
const WSA: &str = "http://www.w3.org/2005/08/addressing";

/// The WS-Addressing headers zeep sends (`wsa:Action`, `wsa:MessageID` with a fresh random
/// `urn:uuid:`, `wsa:To`), as one string of elements.
pub(crate) fn ws_addressing_headers(action: &str, to: &str) -> String {
    format!(
        "<wsa:Action xmlns:wsa=\"{WSA}\">{}</wsa:Action><wsa:MessageID xmlns:wsa=\"{WSA}\">urn:uuid:{}</wsa:MessageID><wsa:To xmlns:wsa=\"{WSA}\">{}</wsa:To>",
        escape(action),
        uuid::Uuid::new_v4(),
        escape(to)
    )
}

/// The envelope `xml` (as [`envelope`] writes it) with `header` as the first element of its
/// `Header` (added when it has none).
pub(crate) fn with_header_element(xml: &[u8], header: &str) -> Result<Vec<u8>, String> {
    let bad = || "internal: the SOAP envelope has an unexpected shape".to_owned();
    let text = std::str::from_utf8(xml).map_err(|_| bad())?;
    let start = text.find("<soap:Envelope ").ok_or_else(bad)?;
    let open = start + text[start..].find('>').ok_or_else(bad)? + 1;
    let rest = &text[open..];
    let mut out = String::with_capacity(text.len() + header.len() + 32);
    out.push_str(&text[..open]);
    if let Some(inner) = rest.strip_prefix("<soap:Header>") {
        out.push_str("<soap:Header>");
        out.push_str(header);
        out.push_str(inner);
    } else if rest.starts_with("<soap:Body>") {
        out.push_str("<soap:Header>");
        out.push_str(header);
        out.push_str("</soap:Header>");
        out.push_str(rest);
    } else {
        return Err(bad());
    }
    Ok(out.into_bytes())
}

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
    names: Option<&'static crate::soap_names::XmlNames>,
}

impl<'a, B: serde::Serialize + ?Sized> SoapMessage<'a, B> {
    /// A message with this body and no headers.
    pub fn new(body: &'a B) -> Self {
        SoapMessage {
            body,
            headers: Vec::new(),
            names: None,
        }
    }

    /// Serializes the body and the headers set after this with the XML names of `names`
    /// (generated models keep plain serde names; see [`XmlNames`](crate::__private::XmlNames)).
    pub fn xml_names(mut self, names: &'static crate::soap_names::XmlNames) -> Self {
        self.names = Some(names);
        self
    }

    /// Adds the header element `{namespace}element` with this value, when it is set.
    pub fn header<T: serde::Serialize>(
        mut self,
        namespace: &'static str,
        element: &'static str,
        value: &Option<T>,
    ) -> Self {
        if let Some(v) = value {
            let v = match self.names {
                Some(names) => crate::soap_names::to_xml_value(v, names),
                None => serde_json::to_value(v).map_err(|e| e.to_string()),
            };
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
        match self.names {
            Some(names) => {
                let body = crate::soap_names::to_xml_value(self.body, names)
                    .map_err(|e| S::Error::custom(format!("SOAP body: {e}")))?;
                map.serialize_entry(MESSAGE_KEY, &(headers, body))?;
            }
            None => map.serialize_entry(MESSAGE_KEY, &(headers, self.body))?,
        }
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
#[doc(hidden)]
#[allow(unreachable_pub)] // named by `Decoding`, whose module is private
pub enum SoapBody<T> {
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

/// The XML text of a [`RawXml`](crate::RawXml) value in the serialized form
/// (`{"\0raw": "<…>"}`), written verbatim.
fn raw_xml(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) if m.len() == 1 => m.get(crate::soap_raw::RAW_XML_KEY)?.as_str(),
        _ => None,
    }
}

/// Writes the child element for the field `key` (`name` or `{uri}name`) of an object.
fn write_child(out: &mut String, key: &str, v: &Value, ctx: NsCtx<'_>) {
    if key == crate::soap_raw::RAW_XML_KEY {
        out.push_str(v.as_str().unwrap_or_default());
        return;
    }
    if let Some(raw) = raw_xml(v) {
        // A field typed as raw XML holds its element whole.
        out.push_str(raw);
        return;
    }
    if let Value::Array(items) = v {
        if items.iter().any(|i| raw_xml(i).is_some()) {
            for item in items {
                match raw_xml(item) {
                    Some(raw) => out.push_str(raw),
                    None => write_child(out, key, item, ctx),
                }
            }
            return;
        }
    }
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
            let mut prefixes = 0;
            for (k, v) in map {
                if let Some(attr) = k.strip_prefix('@') {
                    if let Some(s) = scalar_text(v) {
                        write_attribute(out, attr, &s, &mut prefixes);
                    }
                }
            }
            out.push('>');
            for (k, v) in map {
                if k.starts_with('@') {
                    continue;
                }
                if k == "$value" && !matches!(v, Value::Null) && scalar_text(v).is_none() {
                    write_elements(out, v, ctx);
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

/// Writes the attribute `key` (`name`, or `{uri}name` for a qualified attribute: declared on the
/// element with prefix `a0`, `a1`…; the XML namespace keeps its reserved prefix `xml`).
fn write_attribute(out: &mut String, key: &str, value: &str, prefixes: &mut usize) {
    const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
    if key == "xsi:type" {
        // The value names a type: `{uri}Name` gets a prefix of its own.
        match value.strip_prefix('{').and_then(|v| v.split_once('}')) {
            Some((uri, local)) if !uri.is_empty() => out.push_str(&format!(
                " xmlns:xsi=\"{XSI}\" xmlns:xt=\"{}\" xsi:type=\"xt:{}\"",
                escape(uri),
                escape(local)
            )),
            Some((_, local)) => out.push_str(&format!(
                " xmlns:xsi=\"{XSI}\" xsi:type=\"{}\"",
                escape(local)
            )),
            None => out.push_str(&format!(
                " xmlns:xsi=\"{XSI}\" xsi:type=\"{}\"",
                escape(value)
            )),
        }
        return;
    }
    match key.strip_prefix('{').and_then(|k| k.split_once('}')) {
        Some((uri, local)) if uri == XML_NS => {
            out.push_str(&format!(" xml:{local}=\"{}\"", escape(value)));
        }
        Some((uri, local)) if !uri.is_empty() => {
            let p = *prefixes;
            *prefixes += 1;
            out.push_str(&format!(
                " xmlns:a{p}=\"{}\" a{p}:{local}=\"{}\"",
                escape(uri),
                escape(value)
            ));
        }
        Some((_, local)) => out.push_str(&format!(" {local}=\"{}\"", escape(value))),
        None => out.push_str(&format!(" {key}=\"{}\"", escape(value))),
    }
}

/// Writes the elements of a `$value` field: an element union's value (`{"{uri}Name": content}`,
/// the element its variant names) or a list of them, in order.
fn write_elements(out: &mut String, v: &Value, ctx: NsCtx<'_>) {
    match v {
        Value::Array(items) => {
            for item in items {
                if let Value::Object(one) = item {
                    for (k, content) in one {
                        write_child(out, k, content, ctx);
                    }
                }
            }
        }
        Value::Object(one) => {
            for (k, content) in one {
                write_child(out, k, content, ctx);
            }
        }
        // Text of mixed content.
        Value::String(text) => out.push_str(&escape(text)),
        _ => {}
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
        if key.contains(&b':') && local(key) == "type" {
            // `xsi:type` (a prefixed `type`): first, its value's prefix stripped, so that a
            // union of derived types reads it before the fields (`xsd::xsi_typed`).
            let ty = value.rsplit(':').next().unwrap_or_default().to_owned();
            node.attrs.insert(0, ("type".to_owned(), ty));
            continue;
        }
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
    /// It holds a SOAP-encoding reference (`href="#id"`): the Body's other children (the
    /// multi-reference values, `id="…"`) are copied into `refs`.
    has_href: bool,
    refs: String,
}

/// Finds the first element inside the `Body` of the `Envelope` in one pass over the document,
/// copying it out as it goes (prefixes stripped, `xmlns` attributes and `xsi:nil` elements
/// inside it dropped): no tree of the whole document is built, so memory stays near the size
/// of that element's text. The whole document is read, so malformed XML anywhere and nesting
/// past [`MAX_XML_DEPTH`] are errors.
fn body_child(xml: &[u8]) -> Result<BodyChild, DecodeError> {
    body_child_and_header(xml).map(|(c, _)| c)
}

/// [`body_child`], and the content of the envelope's `Header` (its elements, copied the same
/// way), when it has one.
fn body_child_and_header(xml: &[u8]) -> Result<(BodyChild, Option<String>), DecodeError> {
    let text = std::str::from_utf8(xml)
        .map_err(|e| DecodeError::with_source("SOAP response is not UTF-8", e))?;
    let mut reader = quick_xml::NsReader::from_str(text);
    // The namespaces of the open copied elements.
    let mut scopes: Vec<String> = Vec::new();
    // Open elements; the root is at depth 1, Body at 2, the copied element at 3.
    let mut depth = 0usize;
    let mut roots = 0u32;
    // 0: Body not reached yet, 1: inside the first Body, 2: past it.
    let mut body = 0u8;
    let mut child: Option<BodyChild> = None;
    // Copying the child: it is open (until its end at depth 3).
    let mut copying = false;
    // Copying a later child of Body (a multi-reference value).
    let mut copying_refs = false;
    // The first Header's content; `in_header` while it is open.
    let mut header: Option<String> = None;
    let mut in_header = false;
    // Inside a nil element opened at this depth: nothing is copied until it closes.
    let mut skip_from: Option<usize> = None;
    loop {
        let (resolved, ev) = reader.read_resolved_event().map_err(xml_err)?;
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
                    match local(e.name().as_ref()).as_str() {
                        "Body" => body = if empty { 2 } else { 1 },
                        "Header" if header.is_none() => {
                            header = Some(String::new());
                            in_header = !empty;
                        }
                        _ => {}
                    }
                } else if depth == 3 && body == 1 && child.is_none() {
                    child = Some(BodyChild {
                        name: local(e.name().as_ref()),
                        xml: String::new(),
                        has_href: false,
                        refs: String::new(),
                    });
                    copying = true;
                } else if depth == 3 && body == 1 && child.as_ref().is_some_and(|c| c.has_href) {
                    copying_refs = true;
                }
                let mut saw_href = false;
                let target = if copying {
                    child.as_mut().map(|c| &mut c.xml)
                } else if copying_refs {
                    child.as_mut().map(|c| &mut c.refs)
                } else if in_header && depth >= 3 {
                    header.as_mut()
                } else {
                    None
                };
                if let (Some(out), None) = (target, skip_from) {
                    let node = start_node(e)?;
                    if depth > 3 && node.is_nil() {
                        if !empty {
                            skip_from = Some(depth);
                        }
                    } else {
                        out.push('<');
                        out.push_str(&node.name);
                        for (k, v) in &node.attrs {
                            saw_href |= k == "href" && v.starts_with('#');
                            out.push_str(&format!(" {k}=\"{}\"", escape(v)));
                        }
                        // The element's namespace as a default namespace declaration (last:
                        // `xsi:type` stays first) when it has one or its parent has one, so
                        // that an element kept as raw XML (`soap_raw`, which sees only local
                        // names and attributes) is in its namespace, wherever it is cut out.
                        let ns = match &resolved {
                            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()),
                            _ => std::borrow::Cow::Borrowed(""),
                        };
                        let parent = scopes.last().map_or("", String::as_str);
                        if !ns.is_empty() || ns != parent {
                            out.push_str(&format!(" xmlns=\"{}\"", escape(&ns)));
                        }
                        if !empty {
                            scopes.push(ns.into_owned());
                        }
                        out.push_str(if empty { "/>" } else { ">" });
                    }
                }
                if saw_href && copying {
                    if let Some(c) = child.as_mut() {
                        c.has_href = true;
                    }
                }
                if empty {
                    if depth == 3 {
                        copying = false;
                        copying_refs = false;
                    }
                    depth -= 1;
                }
            }
            Event::End(e) => {
                if depth == 0 {
                    return Err(DecodeError::new("malformed XML: unbalanced end tag"));
                }
                let target = if copying {
                    child.as_mut().map(|c| &mut c.xml)
                } else if copying_refs {
                    child.as_mut().map(|c| &mut c.refs)
                } else if in_header && depth >= 3 {
                    header.as_mut()
                } else {
                    None
                };
                if let (Some(out), None) = (target, skip_from) {
                    out.push_str("</");
                    out.push_str(&local(e.name().as_ref()));
                    out.push('>');
                    scopes.pop();
                }
                if skip_from == Some(depth) {
                    skip_from = None;
                }
                if depth == 3 {
                    copying = false;
                    copying_refs = false;
                }
                if depth == 2 {
                    if body == 1 {
                        body = 2;
                    }
                    in_header = false;
                }
                depth -= 1;
            }
            Event::Text(t) if skip_from.is_none() && (copying || copying_refs || in_header) => {
                let t = t.unescape().map_err(xml_err)?;
                let target = if copying {
                    child.as_mut().map(|c| &mut c.xml)
                } else if copying_refs {
                    child.as_mut().map(|c| &mut c.refs)
                } else {
                    header.as_mut().filter(|_| depth >= 3)
                };
                if let Some(out) = target.filter(|_| !t.trim().is_empty()) {
                    out.push_str(&escape(&t));
                }
            }
            Event::CData(t) if skip_from.is_none() && (copying || copying_refs || in_header) => {
                let target = if copying {
                    child.as_mut().map(|c| &mut c.xml)
                } else if copying_refs {
                    child.as_mut().map(|c| &mut c.refs)
                } else {
                    header.as_mut().filter(|_| depth >= 3)
                };
                if let Some(out) = target {
                    out.push_str(&escape(&String::from_utf8_lossy(t)));
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
    let child = child.ok_or_else(|| DecodeError::new("SOAP Body is empty"))?;
    Ok((child, header))
}

/// The header element `local` (any namespace: prefixes are stripped) of the SOAP `Header`
/// content `header` ([`crate::ApiResponse::soap_header_xml`]) decoded as `T`; `None` when
/// there is none or it does not decode (generated typed response headers).
pub fn soap_header<T: DeserializeOwned, B, H>(
    response: &crate::ApiResponse<B, H>,
    local: &str,
) -> Option<T> {
    let header = response.soap_header_xml()?;
    let root = parse(&format!("<Header>{header}</Header>")).ok()?;
    let node = root.elements().find(|n| n.name == local)?;
    from_node(node).ok()
}

fn fault_of(node: &Node) -> SoapFault {
    let inner = |n: &Node| {
        let mut s = String::new();
        n.write_inner(&mut s);
        s
    };
    if let Some(code) = node.child("Code") {
        // SOAP 1.2
        let mut subcodes = Vec::new();
        let mut at = code.child("Subcode");
        while let Some(sub) = at {
            subcodes.push(sub.child("Value").map(Node::text).unwrap_or_default());
            at = sub.child("Subcode");
        }
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
            subcodes,
            detail,
        }
    } else {
        SoapFault {
            subcodes: Vec::new(),
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

/// The most elements a response's multi-reference values may expand to (a value referenced
/// from many places is copied into each; shared references can multiply).
const MAX_MULTIREF_NODES: usize = 1 << 20;

/// The body element `first` with every SOAP-encoding reference (`href="#id"`, as Axis 1 and
/// other rpc/encoded servers answer) replaced by the value it names: an element with that
/// `id` among the Body's other children (`refs`) or inside `first`. The referring element keeps
/// its name and gets the value's attributes (but `id`, `root`, `encodingStyle`) and content. A
/// reference to nothing, a cycle, or an expansion past [`MAX_MULTIREF_NODES`] elements or
/// [`MAX_XML_DEPTH`] levels is a [`DecodeError`].
fn resolve_multirefs(first: &str, refs: &str) -> Result<String, DecodeError> {
    let root = parse(&format!("<refs>{first}{refs}</refs>"))?;
    let mut ids: std::collections::HashMap<&str, &Node> = std::collections::HashMap::new();
    let mut stack: Vec<&Node> = root.elements().collect();
    while let Some(n) = stack.pop() {
        if let Some((_, id)) = n.attrs.iter().find(|(k, _)| k == "id") {
            ids.entry(id.as_str()).or_insert(n);
        }
        stack.extend(n.elements());
    }
    let main = root
        .elements()
        .next()
        .ok_or_else(|| DecodeError::new("SOAP Body is empty"))?;
    let mut budget = MAX_MULTIREF_NODES;
    let mut path = Vec::new();
    let resolved = expand_refs(main, &ids, &mut path, 1, &mut budget)?;
    let mut out = String::with_capacity(first.len() + refs.len());
    resolved.write(&mut out);
    Ok(out)
}

/// [`resolve_multirefs`] of one element; `path` holds the ids being expanded (a cycle check).
fn expand_refs<'a>(
    node: &'a Node,
    ids: &std::collections::HashMap<&'a str, &'a Node>,
    path: &mut Vec<&'a str>,
    depth: usize,
    budget: &mut usize,
) -> Result<Node, DecodeError> {
    if depth > MAX_XML_DEPTH {
        return Err(DecodeError::new(format!(
            "multi-reference values nested deeper than {MAX_XML_DEPTH} elements"
        )));
    }
    *budget = budget.checked_sub(1).ok_or_else(|| {
        DecodeError::new(format!(
            "multi-reference values expand past {MAX_MULTIREF_NODES} elements"
        ))
    })?;
    let href = node
        .attrs
        .iter()
        .find(|(k, v)| k == "href" && v.starts_with('#'))
        .map(|(_, v)| &v[1..]);
    let mut out = Node {
        name: node.name.clone(),
        attrs: node
            .attrs
            .iter()
            .filter(|(k, _)| k != "href" || href.is_none())
            .cloned()
            .collect(),
        children: Vec::new(),
    };
    let (source, pushed) = match href {
        Some(id) => {
            let (key, target) = ids.get_key_value(id).ok_or_else(|| {
                DecodeError::new(format!("SOAP reference href=\"#{id}\" names no element"))
            })?;
            if path.contains(key) {
                return Err(DecodeError::new(format!(
                    "SOAP reference href=\"#{id}\" is part of a cycle"
                )));
            }
            for (k, v) in &target.attrs {
                let skip = matches!(k.as_str(), "id" | "root" | "encodingStyle");
                if !skip && !out.attrs.iter().any(|(ok, _)| ok == k) {
                    if k == "type" {
                        out.attrs.insert(0, (k.clone(), v.clone()));
                    } else {
                        out.attrs.push((k.clone(), v.clone()));
                    }
                }
            }
            path.push(key);
            (*target, true)
        }
        None => (node, false),
    };
    for c in &source.children {
        out.children.push(match c {
            Child::Text(t) => Child::Text(t.clone()),
            Child::Element(e) => Child::Element(expand_refs(e, ids, path, depth + 1, budget)?),
        });
    }
    if pushed {
        path.pop();
    }
    Ok(out)
}

/// Decodes the first child of `Body`, or the Fault it holds.
///
/// An operation without a response value (`T = ()`) accepts an empty HTTP body (a one-way
/// operation answered `202 Accepted`), an empty Body and an empty response element.
#[cfg(test)]
pub(crate) fn decode_body<T: DeserializeOwned>(xml: &[u8]) -> Result<SoapBody<T>, DecodeError> {
    decode_body_and_header(xml).map(|(b, _)| b)
}

/// The first child of `Body` (or the Fault it holds), and the content of the envelope's
/// `Header`, if it has one. An operation without a response value (`T = ()`) accepts an empty
/// HTTP body (a one-way operation answered `202 Accepted`), an empty Body and an empty
/// response element.
pub(crate) fn decode_body_and_header<T: DeserializeOwned>(
    xml: &[u8],
) -> Result<(SoapBody<T>, Option<String>), DecodeError> {
    let unit = || {
        crate::response::value_as(&Value::Null)
            .ok()
            .map(SoapBody::Value)
    };
    if xml.iter().all(u8::is_ascii_whitespace) {
        return unit()
            .map(|u| (u, None))
            .ok_or_else(|| DecodeError::new("SOAP response is empty"));
    }
    let (first, header) = match body_child_and_header(xml) {
        Err(e) if e.to_string().contains("Body is empty") => {
            return unit().map(|u| (u, None)).ok_or(e)
        }
        other => other?,
    };
    if first.name == "Fault" {
        return Ok((SoapBody::Fault(fault_of(&parse(&first.xml)?)), header));
    }
    let first = if first.has_href {
        BodyChild {
            xml: resolve_multirefs(&first.xml, &first.refs)?,
            ..first
        }
    } else {
        first
    };
    quick_xml::de::from_str(&first.xml)
        .map(SoapBody::Value)
        .or_else(|e| {
            let empty = parse(&first.xml).is_ok_and(|n| n.children.is_empty());
            empty.then(unit).flatten().ok_or(e)
        })
        .map(|b| (b, header))
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

/// XSD date and time lexical forms for SOAP models: generated structs of WSDL clients read their
/// `xs:date` and `xs:dateTime` fields through these (`#[serde(deserialize_with = …)]`), so that
/// what real services send decodes:
///
/// - `xs:date` with a time-zone offset (`2024-03-05+01:00`, `2024-03-05Z`, as the EU's VIES
///   answers): [`crate::Date`] (chrono's `NaiveDate`) cannot hold the offset, so it is dropped
///   (the calendar date is kept as written);
/// - `xs:dateTime` without an offset (`2024-03-05T10:00:00`, fractions allowed, as .NET and Java
///   services send): read as UTC; with one, converted to UTC (the instant is kept).
///
/// Plain RFC 3339 forms are accepted as before, so a JSON round trip of a model works too.
pub mod xsd {
    pub use crate::soap_raw::{any_elements, choice, choices, option_choice, option_choices};
    use serde::de::{Deserialize, Deserializer, Error as _};
    use serde::ser::{Error as _, Serialize, Serializer};

    /// A type read from an XSD lexical form.
    pub trait Lexical: Sized {
        /// Parses the lexical form `s` (surrounding whitespace allowed).
        fn parse_lexical(s: &str) -> Result<Self, String>;
    }

    impl Lexical for crate::Date {
        fn parse_lexical(s: &str) -> Result<Self, String> {
            let s = s.trim();
            // The date is the text up to an optional `Z` or `±hh:mm` after the day.
            let (date, zone) = match s
                .char_indices()
                .skip(8)
                .find(|(_, c)| matches!(c, 'Z' | '+' | '-'))
            {
                Some((i, _)) => s.split_at(i),
                None => (s, ""),
            };
            let zone_ok = zone.is_empty()
                || zone == "Z"
                || (zone.len() == 6
                    && zone.as_bytes()[3] == b':'
                    && zone[1..3].bytes().all(|b| b.is_ascii_digit())
                    && zone[4..].bytes().all(|b| b.is_ascii_digit()));
            if !zone_ok {
                return Err(format!("invalid xs:date `{s}`: bad time zone `{zone}`"));
            }
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|e| format!("invalid xs:date `{s}`: {e}"))
        }
    }

    impl Lexical for crate::DateTime {
        fn parse_lexical(s: &str) -> Result<Self, String> {
            let s = s.trim();
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                return Ok(t.with_timezone(&chrono::Utc));
            }
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .map(|t| t.and_utc())
                .map_err(|e| format!("invalid xs:dateTime `{s}`: {e}"))
        }
    }

    struct Lenient<T>(T);

    impl<'de, T: Lexical> Deserialize<'de> for Lenient<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = String::deserialize(d)?;
            T::parse_lexical(&s).map(Lenient).map_err(D::Error::custom)
        }
    }

    /// A required value.
    pub fn value<'de, D: Deserializer<'de>, T: Lexical>(d: D) -> Result<T, D::Error> {
        Lenient::<T>::deserialize(d).map(|v| v.0)
    }

    /// An optional value.
    pub fn option<'de, D: Deserializer<'de>, T: Lexical>(d: D) -> Result<Option<T>, D::Error> {
        Option::<Lenient<T>>::deserialize(d).map(|v| v.map(|v| v.0))
    }

    /// A repeated value.
    pub fn list<'de, D: Deserializer<'de>, T: Lexical>(d: D) -> Result<Vec<T>, D::Error> {
        Vec::<Lenient<T>>::deserialize(d).map(|v| v.into_iter().map(|v| v.0).collect())
    }

    /// An optional repeated value.
    pub fn option_list<'de, D: Deserializer<'de>, T: Lexical>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        Option::<Vec<Lenient<T>>>::deserialize(d)
            .map(|v| v.map(|v| v.into_iter().map(|v| v.0).collect()))
    }

    /// A union of the types derived from an abstract XSD type (generated): reads the variant
    /// its element's `xsi:type` names (`@type`, which the runtime's reader puts first, prefix
    /// stripped), or, in JSON, the externally tagged form `{"Type": {…}}`.
    pub trait XsiTyped: Sized {
        /// Every key the variants' fields are read under (quick-xml needs them), `@type` first.
        const FIELDS: &'static [&'static str];
        /// The variant of type `ty` from the rest of the element's keys.
        fn from_rest<'de, M: serde::de::MapAccess<'de>>(
            ty: &str,
            rest: M,
        ) -> Result<Self, M::Error>;
        /// The variant of type `ty` from the map's next value (JSON).
        fn from_tagged<'de, M: serde::de::MapAccess<'de>>(
            ty: &str,
            map: &mut M,
        ) -> Result<Self, M::Error>;
    }

    /// `Deserialize` of an [`XsiTyped`] union.
    pub fn xsi_typed<'de, D: Deserializer<'de>, T: XsiTyped>(d: D) -> Result<T, D::Error> {
        struct Typed<T>(std::marker::PhantomData<T>);
        impl<'de, T: XsiTyped> serde::de::Visitor<'de> for Typed<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an element naming its type with xsi:type")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<T, M::Error> {
                let key: String = map
                    .next_key()?
                    .ok_or_else(|| M::Error::custom("no xsi:type names the element's type"))?;
                if key == "@type" {
                    let ty: String = map.next_value()?;
                    let local = ty.rsplit(':').next().unwrap_or_default().to_owned();
                    return T::from_rest(&local, map);
                }
                T::from_tagged(&key, &mut map)
            }
        }
        d.deserialize_struct("XsiTyped", T::FIELDS, Typed(std::marker::PhantomData))
    }

    /// The text of each item of an `xs:list` value.
    fn item_texts<T: Serialize>(items: &[T]) -> Result<Vec<String>, String> {
        items
            .iter()
            .map(
                |item| match serde_json::to_value(item).map_err(|e| e.to_string())? {
                    serde_json::Value::String(s) => Ok(s),
                    serde_json::Value::Number(n) => Ok(n.to_string()),
                    serde_json::Value::Bool(b) => Ok(b.to_string()),
                    other => Err(format!(
                        "an xs:list item must be a simple value, not {other}"
                    )),
                },
            )
            .collect()
    }

    /// An `xs:list` (`serialize_with`): one string, the items separated by single spaces (in
    /// JSON too, so a model reads back what it wrote).
    pub fn list_text<S: Serializer, T: Serialize>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
        let texts = item_texts(items).map_err(S::Error::custom)?;
        s.serialize_str(&texts.join(" "))
    }

    /// An optional `xs:list` (`serialize_with`).
    pub fn option_list_text<S: Serializer, T: Serialize>(
        items: &Option<Vec<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match items {
            Some(items) => {
                let texts = item_texts(items).map_err(S::Error::custom)?;
                s.serialize_some(&texts.join(" "))
            }
            None => s.serialize_none(),
        }
    }

    /// The items of an `xs:list` text: split on XML whitespace, each read as a string value,
    /// else as a JSON scalar (numbers, booleans).
    fn split_items<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, String> {
        text.split_ascii_whitespace()
            .map(|tok| {
                T::deserialize(serde_json::Value::String(tok.to_owned()))
                    .or_else(|_| serde_json::from_str::<T>(tok))
                    .map_err(|e| format!("invalid xs:list item `{tok}`: {e}"))
            })
            .collect()
    }

    /// An `xs:list` (`deserialize_with`) from its space-separated text.
    pub fn list_items<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        let text = String::deserialize(d)?;
        split_items(&text).map_err(D::Error::custom)
    }

    /// An optional `xs:list` (`deserialize_with`).
    pub fn option_list_items<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => split_items(&text).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
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
        // Every element in a namespace says it (`xmlns`, last), for raw XML cut out of it.
        assert_eq!(
            c.xml,
            r#"<R a="1&amp;2" xmlns="urn:m"><V xmlns="urn:m">a &lt; b</V>&lt;c&gt;</R>"#
        );
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

    /// The response envelope's Header is copied like the body (prefixes stripped, nil elements
    /// dropped) and its elements decode by local name (EWS answers `ServerVersionInfo`).
    #[test]
    fn response_header_is_kept_and_decodes() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct ServerVersionInfo {
            #[serde(rename = "@MajorVersion")]
            major: u32,
            #[serde(rename = "@Version")]
            version: String,
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Note {
            text: String,
            #[serde(default)]
            gone: Option<String>,
        }
        let x = format!(
            "{ENV}<s:Header><h:ServerVersionInfo xmlns:h=\"urn:t\" MajorVersion=\"15\" Version=\"V2017_07_11\"/><n:Note xmlns:n=\"urn:n\"><n:text>a &amp; b</n:text><n:gone i:nil=\"true\"/></n:Note></s:Header><s:Body><m:R xmlns:m=\"urn:m\"><m:v>1</m:v></m:R></s:Body></s:Envelope>"
        );
        let (body, header) = decode_body_and_header::<serde_json::Value>(x.as_bytes()).unwrap();
        assert!(matches!(body, SoapBody::Value(_)));
        let header = header.expect("a Header");
        assert_eq!(
            header,
            r#"<ServerVersionInfo MajorVersion="15" Version="V2017_07_11" xmlns="urn:t"/><Note xmlns="urn:n"><text xmlns="urn:n">a &amp; b</text></Note>"#
        );
        let resp = crate::ApiResponse::decoded(200, Default::default(), (), Some(header));
        assert_eq!(
            soap_header::<ServerVersionInfo, _, _>(&resp, "ServerVersionInfo"),
            Some(ServerVersionInfo {
                major: 15,
                version: "V2017_07_11".into()
            })
        );
        assert_eq!(
            soap_header::<Note, _, _>(&resp, "Note"),
            Some(Note {
                text: "a & b".into(),
                gone: None
            })
        );
        // Absent, or not decoding as the type: None.
        assert_eq!(soap_header::<Note, _, _>(&resp, "Missing"), None);
        assert_eq!(soap_header::<Note, _, _>(&resp, "ServerVersionInfo"), None);
        // No Header: None, and the body decodes as before.
        let x = format!("{ENV}<s:Body><m:R xmlns:m=\"urn:m\"/></s:Body></s:Envelope>");
        let (_, header) = decode_body_and_header::<serde_json::Value>(x.as_bytes()).unwrap();
        assert_eq!(header, None);
        let resp = crate::ApiResponse::new(200, Default::default(), ());
        assert_eq!(resp.soap_header_xml(), None);
        assert_eq!(soap_header::<Note, _, _>(&resp, "Note"), None);
    }

    #[test]
    fn ws_addressing_headers_have_a_fresh_message_id() {
        let a = ws_addressing_headers("urn:act&x", "http://h/p");
        let b = ws_addressing_headers("urn:act&x", "http://h/p");
        assert_ne!(a, b);
        assert!(a.starts_with(&format!(
            "<wsa:Action xmlns:wsa=\"{WSA}\">urn:act&amp;x</wsa:Action><wsa:MessageID xmlns:wsa=\"{WSA}\">urn:uuid:"
        )), "{a}");
        assert!(
            a.ends_with(&format!("<wsa:To xmlns:wsa=\"{WSA}\">http://h/p</wsa:To>")),
            "{a}"
        );
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
    fn username_token_digest_and_header_placement() {
        // Computed with Python's hashlib: Base64(SHA-1(nonce + created + password)).
        let nonce: Vec<u8> = (0u8..16).collect();
        let created = "2024-03-05T10:00:00Z";
        assert_eq!(
            password_digest(&nonce, created, "s3cret"),
            "Q/mUquWFE0H+tnnoJDppusuF9bI="
        );
        let at = chrono::DateTime::parse_from_rfc3339("2024-03-05T10:00:00+00:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let t = UsernameToken::digest("ad<min", "s3cret").with_nonce_and_created(nonce, at);
        let h = t.header_xml(std::time::SystemTime::UNIX_EPOCH).unwrap();
        assert!(h.starts_with(&format!(
            "<wsse:Security xmlns:wsse=\"{WSSE}\" soap:mustUnderstand=\"1\"><wsse:UsernameToken><wsse:Username>ad&lt;min</wsse:Username>"
        )), "{h}");
        assert!(h.contains("#PasswordDigest\">Q/mUquWFE0H+tnnoJDppusuF9bI=</wsse:Password>"));
        assert!(h.contains(">AAECAwQFBgcICQoLDA0ODw==</wsse:Nonce>"));
        assert!(h.contains(&format!(
            "<wsu:Created xmlns:wsu=\"{WSU}\">2024-03-05T10:00:00Z</wsu:Created>"
        )));
        assert!(!format!("{t:?}").contains("s3cret"));
        // Fresh nonces differ; Created is the given time.
        let fresh = UsernameToken::digest("a", "b");
        let now = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400);
        let (x, y) = (
            fresh.header_xml(now).unwrap(),
            fresh.header_xml(now).unwrap(),
        );
        assert_ne!(x, y);
        assert!(x.contains(">1970-01-02T00:00:00Z<"), "{x}");
        // Text: the password itself, no nonce; mustUnderstand off.
        let h = UsernameToken::text("u", "p&w")
            .must_understand(false)
            .header_xml(now)
            .unwrap();
        assert_eq!(
            h,
            format!("<wsse:Security xmlns:wsse=\"{WSSE}\"><wsse:UsernameToken><wsse:Username>u</wsse:Username><wsse:Password Type=\"{WSS_USERNAME_PROFILE}#PasswordText\">p&amp;w</wsse:Password></wsse:UsernameToken></wsse:Security>")
        );
        // Into an envelope without and with a Header.
        let v = serde_json::json!({"a": 1});
        let env = envelope(SoapVersion::V12, "", "urn:m", "Get", &v).unwrap();
        let out = with_header_element(env.xml.as_bytes(), "<S/>").unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\"><soap:Header><S/></soap:Header><soap:Body><ns:Get"),
            "{out}"
        );
        let msg = SoapMessage::new(&v).header("urn:t", "H", &Some(1));
        let env = envelope(
            SoapVersion::V11,
            "",
            "urn:m",
            "Get",
            &serde_json::to_value(&msg).unwrap(),
        )
        .unwrap();
        let out =
            String::from_utf8(with_header_element(env.xml.as_bytes(), "<S/>").unwrap()).unwrap();
        assert!(
            out.contains("<soap:Header><S/><H xmlns=\"urn:t\">1</H></soap:Header>"),
            "{out}"
        );
        assert!(with_header_element(b"<a/>", "<S/>").is_err());
    }

    #[test]
    fn xsd_dates_with_and_without_offsets() {
        #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
        struct R {
            #[serde(deserialize_with = "xsd::value")]
            d: crate::Date,
            #[serde(deserialize_with = "xsd::value")]
            t: crate::DateTime,
            #[serde(default, deserialize_with = "xsd::option")]
            o: Option<crate::DateTime>,
            #[serde(default, deserialize_with = "xsd::list")]
            l: Vec<crate::Date>,
        }
        let env = |body: &str| format!("{ENV}<s:Body>{body}</s:Body></s:Envelope>");
        let x = env("<m:R xmlns:m=\"urn:m\"><m:d>2024-03-05+01:00</m:d><m:t>2024-03-05T10:00:00.5</m:t><m:l>2024-01-01Z</m:l><m:l>2024-01-02-05:00</m:l></m:R>");
        let Ok(SoapBody::Value(r)) = decode_body::<R>(x.as_bytes()) else {
            panic!("decodes")
        };
        assert_eq!(r.d.to_string(), "2024-03-05");
        assert_eq!(r.t.to_rfc3339(), "2024-03-05T10:00:00.500+00:00");
        assert_eq!(r.o, None);
        assert_eq!(r.l.len(), 2);
        assert_eq!(r.l[1].to_string(), "2024-01-02");
        // With an offset: the instant, in UTC.
        let x = env("<m:R xmlns:m=\"urn:m\"><m:d>2024-03-05</m:d><m:t>2024-03-05T10:00:00+01:00</m:t><m:o>2024-03-05T10:00:00Z</m:o></m:R>");
        let Ok(SoapBody::Value(r)) = decode_body::<R>(x.as_bytes()) else {
            panic!("decodes")
        };
        assert_eq!(r.t.to_rfc3339(), "2024-03-05T09:00:00+00:00");
        assert!(r.o.is_some());
        // A JSON round trip.
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<R>(&json).unwrap(), r);
        // Refusals say what was wrong.
        use xsd::Lexical;
        for bad in [
            "2024-03-05+1",
            "2024-13-05",
            "2024-03-05+01:0x",
            "yesterday",
        ] {
            assert!(crate::Date::parse_lexical(bad).is_err(), "{bad}");
        }
        assert!(crate::DateTime::parse_lexical("2024-03-05").is_err());
    }

    #[test]
    fn soap12_fault_keeps_code_subcodes_reason_and_detail() {
        let xml = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:InvalidArgVal</env:Value><env:Subcode><env:Value>ter:NoProfile</env:Value></env:Subcode></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">No such profile</env:Text></env:Reason><env:Detail><ter:Why><ter:token>p9</ter:token></ter:Why></env:Detail></env:Fault></env:Body></env:Envelope>"#;
        let f = fault(xml.as_bytes()).unwrap();
        assert_eq!(f.code, "env:Sender");
        assert_eq!(f.subcodes, ["ter:InvalidArgVal", "ter:NoProfile"]);
        assert_eq!(f.reason, "No such profile");
        assert_eq!(f.detail_element().as_deref(), Some("Why"));
        assert_eq!(f.to_string(), "SOAP fault env:Sender: No such profile");
        // 1.1: no subcodes; no detail, no detail element.
        let f = SoapFault::new("soap:Server", "x");
        assert!(f.subcodes.is_empty() && f.detail_element().is_none());
        let f = f.with_subcodes(["a"]).with_detail("text only");
        assert_eq!((f.subcodes.len(), f.detail_element()), (1, None));
    }

    /// A checkVat answer as the EU's VIES service sends it (its `requestDate` is an `xs:date`
    /// with the time-zone offset), decoded into the struct a generated VIES client has.
    #[test]
    fn decodes_a_vies_check_vat_response() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "camelCase")]
        struct CheckVatResponse {
            country_code: String,
            vat_number: String,
            #[serde(deserialize_with = "xsd::value")]
            request_date: crate::Date,
            valid: bool,
            #[serde(default)]
            name: Option<String>,
        }
        let xml = r#"<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body><ns2:checkVatResponse xmlns:ns2="urn:ec.europa.eu:taxud:vies:services:checkVat:types"><ns2:countryCode>DE</ns2:countryCode><ns2:vatNumber>811907980</ns2:vatNumber><ns2:requestDate>2024-03-05+01:00</ns2:requestDate><ns2:valid>true</ns2:valid><ns2:name>---</ns2:name><ns2:address>---</ns2:address></ns2:checkVatResponse></env:Body></env:Envelope>"#;
        let Ok(SoapBody::Value(r)) = decode_body::<CheckVatResponse>(xml.as_bytes()) else {
            panic!("decodes")
        };
        assert_eq!(
            (r.country_code.as_str(), r.vat_number.as_str()),
            ("DE", "811907980")
        );
        assert_eq!(r.request_date.to_string(), "2024-03-05");
        assert!(r.valid);
        assert_eq!(r.name.as_deref(), Some("---"));
    }

    /// An Axis 1 style rpc/encoded answer: the return value and a nested struct are
    /// multi-reference values (`href="#id"` to later children of Body), one shared twice.
    const AXIS_MULTIREF: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" "#,
        r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"#,
        r#"<ns1:getUserResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="urn:users">"#,
        r##"<getUserReturn href="#id0"/><other href="#id1"/></ns1:getUserResponse>"##,
        r#"<multiRef id="id0" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns2:User" "#,
        r#"xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns2="urn:users">"#,
        r##"<name xsi:type="xsd:string">Ann</name><home href="#id1"/><work href="#id1"/></multiRef>"##,
        r#"<multiRef id="id1" soapenc:root="0" xsi:type="ns2:Address" xmlns:ns2="urn:users" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">"#,
        r#"<city xsi:type="xsd:string">Oslo</city></multiRef>"#,
        r#"</soapenv:Body></soapenv:Envelope>"#
    );

    #[test]
    fn multi_reference_values_are_resolved() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Address {
            city: String,
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct User {
            name: String,
            home: Address,
            work: Address,
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct GetUserResponse {
            #[serde(rename = "getUserReturn")]
            ret: User,
            other: Address,
        }
        let oslo = || Address {
            city: "Oslo".into(),
        };
        match decode_body::<GetUserResponse>(AXIS_MULTIREF.as_bytes()) {
            Ok(SoapBody::Value(v)) => assert_eq!(
                v,
                GetUserResponse {
                    ret: User {
                        name: "Ann".into(),
                        home: oslo(),
                        work: oslo(),
                    },
                    other: oslo(),
                }
            ),
            Ok(SoapBody::Fault(f)) => panic!("{f}"),
            Err(e) => panic!("{e}"),
        }
        // A reference to nothing, and a cycle, are errors naming the reference.
        let dangling =
            AXIS_MULTIREF.replace(r##"<other href="#id1"/>"##, r##"<other href="#nope"/>"##);
        let err = decode_body::<GetUserResponse>(dangling.as_bytes())
            .err()
            .expect("dangling");
        assert!(err.to_string().contains("#nope"), "{err}");
        let cycle = AXIS_MULTIREF.replace(
            r#"<city xsi:type="xsd:string">Oslo</city>"#,
            r##"<city href="#id0"/>"##,
        );
        let err = decode_body::<GetUserResponse>(cycle.as_bytes())
            .err()
            .expect("cycle");
        assert!(err.to_string().contains("cycle"), "{err}");
        // Shared references that multiply stop at the budget instead of growing without bound.
        let mut bomb = String::from(
            r##"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r><v href="#a0"/></r>"##,
        );
        for i in 0..40 {
            bomb.push_str(&format!(
                r##"<m id="a{i}"><x href="#a{n}"/><y href="#a{n}"/></m>"##,
                n = i + 1
            ));
        }
        bomb.push_str(r#"<m id="a40">end</m></s:Body></s:Envelope>"#);
        let err = decode_body::<serde_json::Value>(bomb.as_bytes())
            .err()
            .expect("too big");
        assert!(err.to_string().contains("expand past"), "{err}");
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
