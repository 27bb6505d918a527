//! Responses: [`Response`] (2xx) and [`ErrorResponse`] (anything else).

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::call::ApiResponse;
use crate::error::{ApiError, DecodeError, Error, GraphQlError, GraphQlErrors, Problem};
use crate::soap::{self, SoapBody, SoapFault};
use crate::spec::{ErrorCase, OperationSpec, ResponseFormat};

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Response headers as received, turned into `(name, value)` text pairs (lower-case names,
/// values as lossy UTF-8, in the order of the `HeaderMap`) only when someone asks for the list:
/// a call whose caller never looks at the headers copies none of them.
#[derive(Clone, Default)]
pub(crate) struct Headers {
    map: reqwest::header::HeaderMap,
    list: std::sync::OnceLock<Vec<(String, String)>>,
}

impl Headers {
    /// The headers of a response.
    pub(crate) fn new(map: reqwest::header::HeaderMap) -> Self {
        Headers {
            map,
            list: std::sync::OnceLock::new(),
        }
    }

    /// Headers given as text pairs (tests, fuzzing).
    pub(crate) fn from_list(list: Vec<(String, String)>) -> Self {
        Headers {
            map: reqwest::header::HeaderMap::new(),
            list: std::sync::OnceLock::from(list),
        }
    }

    fn materialize(map: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
        map.iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    }

    /// Every header, in order (a name sent twice appears twice).
    pub(crate) fn list(&self) -> &[(String, String)] {
        self.list.get_or_init(|| Self::materialize(&self.map))
    }

    /// The first value of `name` (case-insensitive): read from the map without copying when
    /// it is visible ASCII (what the lossy text would be too), else from the list.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        if let Some(list) = self.list.get() {
            return find_header(list, name);
        }
        match self.map.get(name)?.to_str() {
            Ok(v) => Some(v),
            Err(_) => find_header(self.list(), name),
        }
    }

    /// The list, by value.
    pub(crate) fn into_vec(self) -> Vec<(String, String)> {
        match self.list.into_inner() {
            Some(list) => list,
            None => Self::materialize(&self.map),
        }
    }
}

impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.list().fmt(f)
    }
}

fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return value_as(&Value::Null).map_err(empty_json_body);
    }
    serde_json::from_slice(body).map_err(|e| json_error(body, e))
}

/// An empty body that does not read as the declared type.
fn empty_json_body(e: serde_json::Error) -> DecodeError {
    DecodeError::json("empty body does not match the declared type", &e, b"", None)
}

/// The error of a JSON body that did not read as `T`, with the path where it failed (not
/// generic: compiled once).
///
/// Located only on failure (no cost on success), without reading `T` again: a data error by
/// walking the text up to where serde_json stopped ([`crate::json_path`]), so that each model
/// is compiled for one deserializer only, serde_json's over bytes; a body that is not JSON by
/// reading it as a `Value`.
#[inline(never)]
fn json_error(body: &[u8], e: serde_json::Error) -> DecodeError {
    let path = if e.is_syntax() || e.is_eof() {
        let mut de = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize::<_, Value>(&mut de)
            .err()
            .map(|pe| pe.path().to_string())
    } else {
        crate::json_path::path_of_error(body, &e)
    };
    DecodeError::json("JSON body does not match the declared type", &e, body, path)
}

/// `T` read from `value`: the one way the runtime reads a `T` from JSON it holds (an empty
/// body, text, GraphQL subscription data, XML shaped as JSON, page items). Through the value's
/// text and serde_json's reader of bytes, as bodies are read, so that a generated model is
/// compiled for that one deserializer (every other deserializer would compile every model
/// reachable from `T` once more in a release build). The error has no position (the text is
/// the runtime's).
pub(crate) fn value_as<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_slice(&value_text(value)).map_err(crate::json_path::without_position)
}

/// The JSON text of `value` (not generic: compiled once).
pub(crate) fn value_text(value: &Value) -> Vec<u8> {
    // A `Value` always writes (its keys are strings); an empty text would fail to read.
    serde_json::to_vec(value).unwrap_or_default()
}

/// `value` decoded as `T`, a failure located by its path (prefixed with `prefix`).
pub(crate) fn from_value<T: DeserializeOwned>(
    value: &Value,
    what: &str,
    prefix: &str,
) -> Result<T, DecodeError> {
    let text = value_text(value);
    serde_json::from_slice::<T>(&text).map_err(|e| located(&text, e, what, prefix))
}

/// [`from_value`]'s error (not generic: compiled once): the message without the position in
/// the value's text, the path where it failed.
fn located(text: &[u8], e: serde_json::Error, what: &str, prefix: &str) -> DecodeError {
    let path = crate::json_path::path_of_error(text, &e).unwrap_or_else(|| ".".to_owned());
    let e = crate::json_path::without_position(e);
    let path = if path == "." {
        prefix.to_owned()
    } else if prefix.is_empty() {
        path
    } else {
        format!("{prefix}.{path}")
    };
    DecodeError::new(crate::error::bounded(format!("{what}: {e}"), 1024)).with_path(path)
}

/// What [`Response::read`] found a 2xx body is read from.
enum Read {
    /// The body's bytes, as JSON.
    Json,
    /// A value, a failure described with this text ([`DecodeError::with_source`]).
    Plain(Value, &'static str),
    /// A value, a failure located by its path ([`from_value`]'s `what` and `prefix`).
    Located(Value, &'static str, &'static str),
    /// JSON text cut from the body (GraphQL `data`), read as it is: a failure located by its
    /// path, as for [`Read::Located`].
    LocatedText(GraphQlData, &'static str, &'static str),
    /// The body's bytes, as a sequence.
    Binary,
    /// A SOAP envelope.
    Soap,
}

/// Why [`Response::read`] or [`read_as`] stopped: what becomes the `Error<E>` of any `E`.
enum Stop {
    Decode(DecodeError),
    GraphQl(GraphQlErrors),
    /// A SOAP Fault where a value was expected.
    Fault(SoapFault),
}

impl From<DecodeError> for Stop {
    fn from(e: DecodeError) -> Self {
        Stop::Decode(e)
    }
}

impl Stop {
    fn into_error<E>(self) -> Error<E> {
        match self {
            Stop::Decode(d) => Error::Decode(d),
            Stop::GraphQl(g) => Error::GraphQl(g),
            Stop::Fault(f) => Error::SoapFault(f),
        }
    }
}

/// `T` read from what [`Response::read`] found in `body`, and for SOAP the envelope's
/// `Header`: the one function generic in the response type (per `D`), every error built
/// outside it. Every format but SOAP is read as JSON text with serde_json's reader of bytes
/// (one call, one deserializer for every model): the body, or the text of the value found.
fn read_as<T: DeserializeOwned, D: Decoding>(
    read: Read,
    body: &[u8],
) -> Result<(T, Option<String>), Stop> {
    if let Read::Soap = read {
        return match D::soap(body)? {
            (SoapBody::Value(v), header) => Ok((v, header)),
            (SoapBody::Fault(f), _) => Err(Stop::Fault(f)),
        };
    }
    let text = text_of(&read, body);
    match serde_json::from_slice::<T>(&text) {
        Ok(v) => Ok((v, None)),
        Err(e) => Err(read_failure(&read, body, &text, e)),
    }
}

/// The JSON text [`read_as`] reads (not generic: compiled once): the body (`null` when
/// blank), a value's text, or a binary body as the array of its bytes.
fn text_of<'a>(read: &'a Read, body: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    use std::borrow::Cow;
    match read {
        Read::Json if body.iter().all(u8::is_ascii_whitespace) => Cow::Borrowed(b"null"),
        Read::Json | Read::Soap => Cow::Borrowed(body),
        Read::Plain(v, _) | Read::Located(v, _, _) => Cow::Owned(value_text(v)),
        Read::LocatedText(data, _, _) => Cow::Borrowed(data.text()),
        Read::Binary => {
            let mut text = Vec::with_capacity(body.len() * 4 + 2);
            text.push(b'[');
            for (i, &b) in body.iter().enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                // A byte's decimal digits, without a `String` per byte.
                if b >= 100 {
                    text.push(b'0' + b / 100);
                }
                if b >= 10 {
                    text.push(b'0' + b / 10 % 10);
                }
                text.push(b'0' + b % 10);
            }
            text.push(b']');
            Cow::Owned(text)
        }
    }
}

/// Why [`read_as`] failed (not generic: compiled once).
#[inline(never)]
fn read_failure(read: &Read, body: &[u8], text: &[u8], e: serde_json::Error) -> Stop {
    use crate::json_path::without_position;
    Stop::Decode(match read {
        Read::Json if body.iter().all(u8::is_ascii_whitespace) => {
            empty_json_body(without_position(e))
        }
        Read::Json | Read::Soap => json_error(body, e),
        Read::Plain(_, what) => described(what, without_position(e)),
        Read::Located(_, what, prefix) | Read::LocatedText(_, what, prefix) => {
            located(text, e, what, prefix)
        }
        Read::Binary => binary_mismatch(without_position(e)),
    })
}

/// A value that did not read, described by `what` (not generic: compiled once).
fn described(what: &'static str, e: serde_json::Error) -> DecodeError {
    DecodeError::with_source(what, e)
}

/// A binary body that did not read.
fn binary_mismatch(e: serde_json::Error) -> DecodeError {
    DecodeError::with_source("binary body does not match", e)
}

/// The `errors` of a GraphQL response body, leniently: an entry that is not an error object
/// becomes an error whose message is the entry's JSON text. `None` when the body is not a JSON
/// object with a non-empty `errors` list.
fn graphql_parts(body: &[u8]) -> Result<(GraphQlData, Option<Vec<GraphQlError>>), DecodeError> {
    #[derive(serde::Deserialize)]
    struct GraphQlResponse {
        // Kept as text: a success reads `T` from it with the one reader of bytes, without
        // building a `Value` first.
        #[serde(default)]
        data: Option<Box<RawValue>>,
        #[serde(default)]
        errors: Option<Vec<Value>>,
    }
    let r: GraphQlResponse = serde_json::from_slice(body)
        .map_err(|e| DecodeError::json("GraphQL response is not a JSON object", &e, body, None))?;
    let errors = r.errors.filter(|e| !e.is_empty()).map(|errs| {
        errs.into_iter()
            .map(|v| {
                serde_json::from_value::<GraphQlError>(v.clone()).unwrap_or_else(|_| {
                    GraphQlError::new(crate::error::bounded(v.to_string(), 1024))
                })
            })
            .collect()
    });
    Ok((GraphQlData(r.data), errors))
}

/// The `data` of a GraphQL response, as its JSON text (`None`: absent or `null`).
pub(crate) struct GraphQlData(Option<Box<RawValue>>);

impl GraphQlData {
    /// The data as a value (for errors that keep partial data).
    fn value(&self) -> Value {
        self.0
            .as_ref()
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or(Value::Null)
    }

    /// The data as text to read a `T` from (`null` when absent).
    fn text(&self) -> &[u8] {
        self.0.as_ref().map_or(b"null", |raw| raw.get().as_bytes())
    }
}

/// A successful (2xx) response, to be decoded per the operation's [`ResponseFormat`].
#[derive(Debug)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Headers,
    pub(crate) body: bytes::Bytes,
    pub(crate) format: ResponseFormat,
}

impl Response {
    /// Status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers (lower-case names).
    pub fn headers(&self) -> &[(String, String)] {
        self.headers.list()
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Decodes the body per the spec's response format:
    /// - `Json`: the body as JSON (an empty body decodes as `null`, so `()`/`Option` work);
    /// - `Empty`: the body is ignored and `null` is decoded (so `T = ()`);
    /// - `Text`: the body as a string;
    /// - `Binary`: the bytes (for `T = Vec<u8>`);
    /// - `GraphQl`: the `data` member; non-empty `errors` → [`Error::GraphQl`];
    /// - `Soap`: the first child of `Body`; a Fault → [`Error::SoapFault`].
    ///
    /// A decode error keeps the status and the start of the body
    /// ([`DecodeError::status`], [`DecodeError::body_snippet`]).
    pub fn decode<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        self.decode_in::<T, E, AnyFormat>()
    }

    /// [`Response::decode`] with the [`Decoding`] `D` (pages: [`JsonOnly`]).
    pub(crate) fn decode_in<T: DeserializeOwned, E, D: Decoding>(self) -> Result<T, Error<E>> {
        match self.decode_inner::<T, D>() {
            Ok(v) => Ok(v),
            Err(stop) => Err(self.stopped(stop).into_error()),
        }
    }

    /// A decode error of this response with its status, headers and body.
    fn stopped(&self, stop: Stop) -> Stop {
        match stop {
            Stop::Decode(d) => Stop::Decode(d.in_response("", self.metadata())),
            s => s,
        }
    }

    fn metadata(&self) -> ErrorMetadata {
        ErrorMetadata {
            status: self.status,
            headers: self.headers.list().to_vec(),
            body: self.body.to_vec(),
            decode_error: None,
        }
    }

    /// What the body is read from, found without `T`: this part is compiled once, not once per
    /// response type (a GraphQL response with `errors` is the error).
    fn read(&self) -> Result<Read, Stop> {
        let format = match self.format {
            // Only a negotiated format depends on the content type.
            f @ ResponseFormat::Negotiate(_) => {
                f.for_content_type(self.headers.get("content-type"))
            }
            f => f,
        };
        Ok(match format {
            ResponseFormat::Json => Read::Json,
            ResponseFormat::Empty => Read::Plain(Value::Null, "expected no body"),
            ResponseFormat::Text => {
                let s = std::str::from_utf8(&self.body)
                    .map_err(|e| DecodeError::with_source("text body is not UTF-8", e))?;
                Read::Plain(Value::String(s.to_owned()), "text body does not match")
            }
            ResponseFormat::Binary => Read::Binary,
            ResponseFormat::GraphQl => {
                let (data, errors) = graphql_parts(&self.body)?;
                if let Some(errors) = errors {
                    let meta = self.metadata();
                    return Err(Stop::GraphQl(GraphQlErrors::new(
                        "",
                        errors,
                        Some(data.value()),
                        meta,
                    )));
                }
                Read::LocatedText(
                    data,
                    "GraphQL data does not match the declared type",
                    "data",
                )
            }
            ResponseFormat::Soap => Read::Soap,
            ResponseFormat::Xml(body) => {
                if self.body.iter().all(u8::is_ascii_whitespace) {
                    Read::Plain(Value::Null, "expected an XML body")
                } else {
                    let v = crate::xml::decode(body, &self.body)?;
                    Read::Located(v, "XML body does not match the declared type", "")
                }
            }
            // `for_content_type` never returns a negotiated format.
            ResponseFormat::Negotiate(_) => Read::Json,
        })
    }

    fn decode_inner<T: DeserializeOwned, D: Decoding>(&self) -> Result<T, Stop> {
        read_as::<T, D>(self.read()?, &self.body).map(|(v, _)| v)
    }

    /// The raw body.
    pub fn bytes<E>(self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body.to_vec())
    }
}

/// A non-2xx response, handed to [`FromErrorResponse`] and [`ErrorBody`].
#[derive(Debug)]
pub struct ErrorResponse {
    pub(crate) status: u16,
    pub(crate) headers: Headers,
    pub(crate) body: bytes::Bytes,
    pub(crate) format: ResponseFormat,
    /// The operation's declared error statuses ([`OperationSpec::errors`]).
    pub(crate) errors: &'static [ErrorCase],
    /// The operation's identifier (empty where unknown).
    pub(crate) operation: &'static str,
}

impl ErrorResponse {
    /// Status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the body per the operation's format: JSON (an empty body decodes as `null`), or
    /// the format the declared case for its status names ([`ErrorCase::format`]: XML shaped by
    /// the schema, text, bytes) unless the response's `Content-Type` is JSON, or, for SOAP
    /// operations, the Fault normalized as `{code, reason, detail}` (see [`SoapFault`];
    /// `decode::<SoapFault>()` works).
    ///
    /// A decode error keeps the status and the start of the body.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        self.decode_inner()
            .map_err(|e| e.at_response(self.status, &self.body))
    }

    fn decode_inner<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        if self.format == ResponseFormat::Soap {
            let fault = self.soap_fault()?;
            let v = serde_json::to_value(fault)
                .map_err(|e| DecodeError::with_source("cannot convert SOAP fault", e))?;
            return value_as(&v).map_err(|e| {
                DecodeError::with_source("SOAP fault does not match the declared type", e)
            });
        }
        // The format its declared case names (XML, text, bytes); JSON otherwise, and whenever
        // the response says it is JSON.
        let content_type = self.headers.get("content-type").unwrap_or("");
        let says_json = content_type
            .split(';')
            .next()
            .is_some_and(|e| e.trim().to_ascii_lowercase().contains("json"));
        let declared = self.declared().and_then(|c| c.body_format());
        match declared.map(|f| f.for_content_type(Some(content_type))) {
            _ if says_json => json(&self.body),
            Some(ResponseFormat::Xml(body)) => {
                if self.body.iter().all(u8::is_ascii_whitespace) {
                    return value_as(&Value::Null)
                        .map_err(|e| DecodeError::with_source("expected an XML body", e));
                }
                let v = crate::xml::decode(body, &self.body)?;
                from_value(&v, "XML body does not match the declared type", "")
            }
            Some(ResponseFormat::Text) => {
                let s = std::str::from_utf8(&self.body)
                    .map_err(|e| DecodeError::with_source("text body is not UTF-8", e))?;
                value_as(&Value::String(s.to_owned()))
                    .map_err(|e| DecodeError::with_source("text body does not match", e))
            }
            Some(ResponseFormat::Binary) => {
                let de = serde::de::value::SeqDeserializer::<_, serde::de::value::Error>::new(
                    self.body.iter().copied(),
                );
                T::deserialize(de)
                    .map_err(|e| DecodeError::with_source("binary body does not match", e))
            }
            _ => json(&self.body),
        }
    }

    /// The SOAP Fault in the body.
    pub fn soap_fault(&self) -> Result<SoapFault, DecodeError> {
        soap::fault(&self.body).map_err(|e| e.at_response(self.status, &self.body))
    }

    /// The identifier of the operation the response answers (empty where unknown).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The declared case this status falls in, if any (first match wins).
    pub fn declared(&self) -> Option<ErrorCase> {
        self.errors.iter().copied().find(|c| c.matches(self.status))
    }

    /// Status, headers and raw body, for the `Unknown` variant.
    pub fn metadata(&self) -> ErrorMetadata {
        ErrorMetadata {
            status: self.status,
            headers: self.headers.list().to_vec(),
            body: self.body.to_vec(),
            decode_error: None,
        }
    }
}

/// Status, headers and raw body of an undeclared error response, or of a declared one whose body
/// did not decode (then [`ErrorMetadata::decode_error`] says why).
///
/// `#[non_exhaustive]`: read its fields; to make one (say, to test your own error handling), use
/// [`ErrorMetadata::new`] and its `with_` methods.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorMetadata {
    /// Status code.
    pub status: u16,
    /// Response headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Raw body (at most the client's maximum body size).
    pub body: Vec<u8>,
    /// Why the body did not decode as the error type declared for this status, if it did not.
    pub decode_error: Option<String>,
}

impl ErrorMetadata {
    /// Metadata of a response with this status, no headers and an empty body.
    ///
    /// ```
    /// use sdkwright_runtime::ErrorMetadata;
    ///
    /// let meta = ErrorMetadata::new(429).with_header("Retry-After", "3").with_body("slow down");
    /// assert_eq!((meta.status, meta.header("retry-after")), (429, Some("3")));
    /// assert_eq!(meta.body_text(), "slow down");
    /// ```
    pub fn new(status: u16) -> Self {
        ErrorMetadata {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            decode_error: None,
        }
    }
    /// Adds a header (the name is stored in lower case, as the runtime stores received ones).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }
    /// Replaces the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
    /// The start of the body as text: at most [`crate::SNIPPET_LIMIT`] bytes, cut on a character
    /// boundary, lossy UTF-8, control characters replaced.
    pub fn body_snippet(&self) -> String {
        crate::error::snippet(&self.body, crate::error::SNIPPET_LIMIT)
    }
    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The SOAP Fault in the body (for a SOAP operation's error status, e.g. the 500 a SOAP 1.1
    /// server answers a fault with); an error if the body holds no Fault.
    pub fn soap_fault(&self) -> Result<SoapFault, DecodeError> {
        soap::fault(&self.body)
    }
}

impl ErrorMetadata {
    /// The request id the server gave the response: the first of the usual headers present
    /// ([`crate::REQUEST_ID_HEADERS`]: `x-request-id`, `request-id`, `x-amzn-requestid`, …).
    pub fn request_id(&self) -> Option<&str> {
        crate::REQUEST_ID_HEADERS
            .iter()
            .find_map(|h| self.header(h))
            .filter(|v| !v.trim().is_empty())
    }
    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
    /// The server's own message, when the body has one: a JSON body's `message`, `error` (and
    /// `error_description`), `detail`, `title` (RFC 7807 problem+json: `title: detail`),
    /// `errors[0].message`, or `error.message` (nested); a SOAP fault string; the same child
    /// elements of an XML body; the first line of a `text/plain` body. At most 300 bytes,
    /// control characters replaced.
    pub fn server_message(&self) -> Option<String> {
        let ct = self.content_type().unwrap_or("").to_ascii_lowercase();
        let body = self.body.trim_ascii();
        let msg = if body.starts_with(b"{") || ct.contains("json") {
            let v: Value = serde_json::from_slice(body).ok()?;
            json_message(&v, 0)?
        } else if body.starts_with(b"<") && !ct.contains("html") {
            match soap::fault(body) {
                Ok(f) => f.reason,
                // Not a SOAP Fault: an XML error body's `message` (`<error><message>…`), as in
                // a JSON one.
                Err(_) => json_message(&crate::xml::untyped(body)?, 0)?,
            }
        } else if ct.starts_with("text/plain") {
            let text = crate::error::snippet(body, 600);
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())?
                .to_owned()
        } else {
            return None;
        };
        let msg = crate::error::snippet(msg.trim().as_bytes(), 300);
        (!msg.is_empty()).then_some(msg)
    }
    /// The body as an RFC 7807 / RFC 9457 problem: when the content type is
    /// `application/problem+json`, or the JSON body has a `title` or `detail` beside a `type`
    /// or `status`.
    pub fn problem(&self) -> Option<Problem> {
        let ct = self.content_type().unwrap_or("").to_ascii_lowercase();
        let v: Value = serde_json::from_slice(self.body.trim_ascii()).ok()?;
        let o = v.as_object()?;
        let shaped = (o.contains_key("title") || o.contains_key("detail"))
            && (o.contains_key("type") || o.contains_key("status"));
        if !(ct.contains("problem+json") || shaped) {
            return None;
        }
        serde_json::from_value(v).ok()
    }
    /// `HTTP 404 Not Found: <server message> (request id …)`, and what the body is when there
    /// is no message.
    pub(crate) fn describe(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(r) = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
        {
            write!(f, " {r}")?;
        }
        let mut notes = Vec::new();
        match self.server_message() {
            Some(m) => write!(f, ": {m}")?,
            None if !self.body.trim_ascii().is_empty() => {
                let ct = self
                    .content_type()
                    .map(|c| c.split(';').next().unwrap_or(c).trim());
                notes.push(match ct {
                    Some(ct) => format!(
                        "{}-byte {} body",
                        self.body.len(),
                        crate::error::snippet(ct.as_bytes(), 64)
                    ),
                    None => format!("{}-byte body", self.body.len()),
                });
            }
            None => {}
        }
        if self.decode_error.is_some() {
            notes.push("not the declared error type".into());
        }
        if let Some(id) = self.request_id() {
            notes.push(format!(
                "request id {}",
                crate::error::snippet(id.as_bytes(), 128)
            ));
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join("; "))?;
        }
        Ok(())
    }
}

/// The message of a JSON error body (see [`ErrorMetadata::server_message`]).
fn json_message(v: &Value, depth: u8) -> Option<String> {
    let o = v.as_object()?;
    let s = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if let (Some(t), Some(d)) = (s("title"), s("detail")) {
        return Some(format!("{t}: {d}"));
    }
    if let Some(m) = s("message") {
        return Some(m.to_owned());
    }
    match o.get("error") {
        Some(Value::String(e)) if !e.trim().is_empty() => {
            return Some(match s("error_description") {
                Some(d) => format!("{}: {d}", e.trim()),
                None => e.trim().to_owned(),
            })
        }
        Some(inner @ Value::Object(_)) if depth < 2 => {
            if let Some(m) = json_message(inner, depth + 1) {
                return Some(m);
            }
        }
        _ => {}
    }
    for k in [
        "error_description",
        "detail",
        "title",
        "error_message",
        "errorMessage",
        "msg",
    ] {
        if let Some(m) = s(k) {
            return Some(m.to_owned());
        }
    }
    match o.get("errors")?.as_array()?.first()? {
        Value::String(m) => Some(m.clone()),
        e if depth < 2 => json_message(e, depth + 1),
        _ => None,
    }
}

impl std::fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.describe(f)
    }
}

impl std::error::Error for ErrorMetadata {}

/// Implemented by each generated per-operation error enum: the status → type table.
pub trait FromErrorResponse: Sized {
    /// Maps a non-2xx response to a declared error variant, or `Unknown(resp.metadata())`.
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError>;

    /// The `Unknown` variant, for a response whose body did not decode as the type declared for
    /// its status (an HTML 503 from a proxy, a 404 page): [`crate::Client::execute`] then
    /// returns `Error::Api(E::unknown(meta))` with the status, headers, body and
    /// [`ErrorMetadata::decode_error`]. `None` (the default, for error types written before this
    /// method existed): `Error::Decode`, which keeps the status and a body snippet too.
    fn unknown(meta: ErrorMetadata) -> Option<Self> {
        let _ = meta;
        None
    }
}

/// The error type of an operation without declared error responses.
impl FromErrorResponse for ErrorMetadata {
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError> {
        Ok(resp.metadata())
    }
    fn unknown(meta: ErrorMetadata) -> Option<Self> {
        Some(meta)
    }
}

/// The typed body of an operation's error responses (`B` in [`ApiError<B>`]).
///
/// Any `DeserializeOwned` type is one, decoded for the statuses the operation declares with a
/// body ([`OperationSpec::errors`]; an operation without declared cases decodes any JSON body).
/// A generated enum (one variant per status, for an operation that declares several error body
/// types) implements it with its status table.
pub trait ErrorBody: Sized {
    /// The typed body of this error response: `None` when the operation declares no body for
    /// its status, an error when the body does not match the declared type.
    fn from_response(resp: &ErrorResponse) -> Option<Result<Self, DecodeError>>;
}

impl<T: DeserializeOwned> ErrorBody for T {
    fn from_response(resp: &ErrorResponse) -> Option<Result<Self, DecodeError>> {
        if resp.errors.is_empty() {
            // No declared error body (`serde_json::Value`): any JSON body, silently.
            if resp.body.trim_ascii().is_empty() {
                return None;
            }
            return resp.decode().ok().map(Ok);
        }
        match resp.declared() {
            Some(case) if case.has_body() => Some(resp.decode()),
            _ => None,
        }
    }
}

/// The GraphQL errors of a non-2xx GraphQL response, if its body has any (a server answering
/// validation errors with 400).
pub(crate) fn graphql_errors_of(
    op: &'static str,
    status: u16,
    headers: &Headers,
    body: &bytes::Bytes,
) -> Option<GraphQlErrors> {
    let (data, errors) = graphql_parts(body).ok()?;
    let meta = ErrorMetadata {
        status,
        headers: headers.list().to_vec(),
        body: body.to_vec(),
        decode_error: None,
    };
    Some(GraphQlErrors::new(op, errors?, Some(data.value()), meta))
}

/// Classifies and decodes a response of `spec` (contract 4): a 2xx body as `T`; anything else
/// (and a GraphQL response with `errors`, and a SOAP Fault in a 2xx) as the error, with the
/// error body typed as `B` when it decodes.
pub(crate) fn finish<T: DeserializeOwned, B: ErrorBody>(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Result<T, Error<ApiError<B>>> {
    finish_in::<T, B, AnyFormat>(spec, status, headers, body)
}

/// [`finish`], decoding a SOAP body only if `D` does ([`Decoding`]).
pub(crate) fn finish_in<T: DeserializeOwned, B: ErrorBody, D: Decoding>(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Result<T, Error<ApiError<B>>> {
    finish_with_headers_in::<T, B, D>(spec, status, headers, body).map(ApiResponse::into_body)
}

/// [`finish`], with the response's status and headers beside the decoded body (no copy of
/// them for `send_with_response`), and for SOAP the content of the envelope's `Header`.
pub(crate) fn finish_with_headers<T: DeserializeOwned, B: ErrorBody>(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Result<ApiResponse<T>, Error<ApiError<B>>> {
    finish_with_headers_in::<T, B, AnyFormat>(spec, status, headers, body)
}

/// How a response body of type `T` may be decoded beyond JSON and what is read as JSON (XML,
/// GraphQL, text): whether SOAP's `quick_xml` deserializer is compiled for `T`. Every
/// deserializer a generic `T` is read with compiles every model `T` reaches once more in a
/// release build; the operations of a JSON API never answer SOAP, so the runtime's
/// `send_methods!` picks [`JsonOnly`] for them (by their error body type: SOAP operations'
/// is [`SoapFault`] or [`Fault`](crate::Fault), see [`SoapErrorBody`]).
#[doc(hidden)]
pub trait Decoding {
    /// The value (or Fault) in a SOAP envelope, and the envelope's `Header`.
    #[allow(clippy::type_complexity)]
    fn soap<T: DeserializeOwned>(xml: &[u8]) -> Result<(SoapBody<T>, Option<String>), DecodeError>;
}

/// Every format, SOAP included (what `send()` and the client's methods decode with).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct AnyFormat;

impl Decoding for AnyFormat {
    fn soap<T: DeserializeOwned>(xml: &[u8]) -> Result<(SoapBody<T>, Option<String>), DecodeError> {
        soap::decode_body_and_header(xml)
    }
}

/// Every format but SOAP: what `send_methods!` decodes with for an operation whose error body
/// is not a SOAP fault. A SOAP response (which such an operation does not declare) is a
/// decode error, never read silently.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct JsonOnly;

impl Decoding for JsonOnly {
    fn soap<T: DeserializeOwned>(_: &[u8]) -> Result<(SoapBody<T>, Option<String>), DecodeError> {
        Err(DecodeError::new(
            "a SOAP response to an operation generated without SOAP decoding",
        ))
    }
}

/// The error bodies of SOAP operations ([`SoapFault`], [`Fault`](crate::Fault)): with one of
/// them, `send_methods!` decodes SOAP responses ([`AnyFormat`]).
#[doc(hidden)]
pub trait SoapErrorBody {}

impl SoapErrorBody for SoapFault {}
impl<D: crate::soap::FaultDetail> SoapErrorBody for crate::soap::Fault<D> {}

/// `send_methods!`'s choice of [`Decoding`] for error body `B`, made where `B` is a concrete
/// type (autoref specialization): `(&Pick::<B>::NEW).decoding()` is [`AnyFormat`] when `B` is
/// a [`SoapErrorBody`], else [`JsonOnly`].
#[doc(hidden)]
pub struct Pick<B>(std::marker::PhantomData<fn() -> B>);

impl<B> Pick<B> {
    /// The value to call `decoding` on (by reference).
    pub const NEW: Self = Pick(std::marker::PhantomData);
}

/// [`Pick`]'s SOAP side.
#[doc(hidden)]
pub trait PickSoap {
    /// [`AnyFormat`].
    fn decoding(&self) -> AnyFormat {
        AnyFormat
    }
}

impl<B: SoapErrorBody> PickSoap for Pick<B> {}

/// [`Pick`]'s fallback.
#[doc(hidden)]
pub trait PickJson {
    /// [`JsonOnly`].
    fn decoding(&self) -> JsonOnly {
        JsonOnly
    }
}

impl<B> PickJson for &Pick<B> {}

/// [`finish_with_headers`] with the [`Decoding`] `D`: what both `send()` and
/// `send_with_response()` of an operation call (generic in the error body type only to type
/// the error).
pub(crate) fn finish_with_headers_in<T: DeserializeOwned, B: ErrorBody, D: Decoding>(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Result<ApiResponse<T>, Error<ApiError<B>>> {
    success::<T, D>(spec, status, headers, body).map_err(|f| f.into_error(spec))
}

/// How [`success`] failed: an error of any error type, or an error response to type.
enum Failed {
    Stop(Stop),
    /// Boxed: the `Err` of every decoding stays small.
    Api(Box<(u16, Headers, bytes::Bytes)>),
}

impl Failed {
    /// The error, its body typed as `B` (generic in `B` only: once per error body type).
    #[inline(never)]
    fn into_error<B: ErrorBody>(self, spec: &'static OperationSpec) -> Error<ApiError<B>> {
        match self {
            Failed::Stop(stop) => stop.into_error(),
            Failed::Api(api) => {
                let (status, headers, body) = *api;
                api_error(spec, status, headers, body)
            }
        }
    }
}

/// [`finish_with_headers_in`] but for its error body type: generic in the success type (and
/// `D`) only, so shared by the operations that answer the same type.
fn success<T: DeserializeOwned, D: Decoding>(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Result<ApiResponse<T>, Failed> {
    let (read, ctx) = prepare(spec, status, headers, body)?;
    match read_as::<T, D>(read, ctx.body()) {
        Ok((v, header)) => {
            let (headers, header) = ctx.into_headers(header);
            Ok(ApiResponse::decoded(status, headers, v, header))
        }
        Err(stop) => Err(ctx.failed(spec.name, stop)),
    }
}

/// What a 2xx body is read from, beside its response ([`prepare`]).
enum Ctx {
    /// The `data` of a GraphQL response.
    GraphQl(u16, Headers, bytes::Bytes),
    /// A body.
    Body(Response),
}

impl Ctx {
    fn body(&self) -> &[u8] {
        match self {
            Ctx::GraphQl(..) => &[],
            Ctx::Body(resp) => &resp.body,
        }
    }

    /// The headers, and the SOAP envelope's `Header` of an operation that answers SOAP (a
    /// negotiated SOAP body's is not kept).
    fn into_headers(self, header: Option<String>) -> (Headers, Option<String>) {
        match self {
            Ctx::GraphQl(_, headers, _) => (headers, None),
            Ctx::Body(resp) => {
                let header = header.filter(|_| resp.format == ResponseFormat::Soap);
                (resp.headers, header)
            }
        }
    }

    /// Why the body did not read, with the response (not generic: compiled once).
    fn failed(self, op: &'static str, stop: Stop) -> Failed {
        match (self, stop) {
            (Ctx::GraphQl(status, headers, body), Stop::Decode(d)) => Failed::Stop(Stop::Decode(
                d.in_response(op, graphql_meta(status, body, headers)),
            )),
            (Ctx::Body(resp), Stop::Decode(d)) => {
                Failed::Stop(Stop::Decode(d.in_response(op, resp.metadata())))
            }
            // A Fault in a 2xx of a SOAP operation: an error response like any other.
            (Ctx::Body(resp), Stop::Fault(_)) if resp.format == ResponseFormat::Soap => {
                Failed::Api(Box::new((resp.status, resp.headers, resp.body)))
            }
            (_, stop) => Failed::Stop(stop),
        }
    }
}

/// The response classified, and for a 2xx what its body is read from (not generic: compiled
/// once).
fn prepare(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Result<(Read, Ctx), Failed> {
    match classify(spec, status, headers, body) {
        Class::GraphQl(g) => Err(Failed::Stop(Stop::GraphQl(g))),
        Class::Decode(d) => Err(Failed::Stop(Stop::Decode(d))),
        Class::Api(headers, body) => Err(Failed::Api(Box::new((status, headers, body)))),
        Class::GraphQlData(data, headers, body) => Ok((
            Read::LocatedText(
                data,
                "GraphQL data does not match the declared type",
                "data",
            ),
            Ctx::GraphQl(status, headers, body),
        )),
        Class::Body(resp) => {
            if resp.format == ResponseFormat::Soap {
                return Ok((Read::Soap, Ctx::Body(resp)));
            }
            match resp.read() {
                Ok(read) => Ok((read, Ctx::Body(resp))),
                Err(stop) => Err(Ctx::Body(resp).failed(spec.name, stop)),
            }
        }
    }
}

/// What [`finish_with_headers_in`] does with a response, found without its type parameters
/// (compiled once, not once per operation).
enum Class {
    /// A GraphQL response with `errors` (any status).
    GraphQl(GraphQlErrors),
    /// A 2xx GraphQL body that is not a GraphQL response.
    Decode(DecodeError),
    /// The `data` of a 2xx GraphQL response without errors.
    GraphQlData(GraphQlData, Headers, bytes::Bytes),
    /// A 2xx body to decode.
    Body(Response),
    /// An error response.
    Api(Headers, bytes::Bytes),
}

fn classify(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Class {
    let format = spec.response;
    let ok = (200..300).contains(&status);
    if format == ResponseFormat::GraphQl {
        match graphql_parts(&body) {
            Ok((data, Some(errors))) => {
                return Class::GraphQl(GraphQlErrors::new(
                    spec.name,
                    errors,
                    Some(data.value()),
                    graphql_meta(status, body, headers),
                ));
            }
            Ok((data, None)) if ok => return Class::GraphQlData(data, headers, body),
            Err(d) if ok => {
                return Class::Decode(d.in_response(spec.name, graphql_meta(status, body, headers)))
            }
            _ => {}
        }
    } else if ok {
        return Class::Body(Response {
            status,
            headers,
            body,
            format,
        });
    }
    Class::Api(headers, body)
}

/// The metadata of a GraphQL response in an error.
fn graphql_meta(status: u16, body: bytes::Bytes, headers: Headers) -> ErrorMetadata {
    ErrorMetadata {
        status,
        headers: headers.into_vec(),
        body: body.into(),
        decode_error: None,
    }
}

/// The [`Error::Api`] of an error response.
fn api_error<B: ErrorBody>(
    spec: &'static OperationSpec,
    status: u16,
    headers: Headers,
    body: bytes::Bytes,
) -> Error<ApiError<B>> {
    let er = ErrorResponse {
        status,
        headers,
        body,
        format: spec.response,
        errors: spec.errors,
        operation: spec.name,
    };
    let (typed, why) = match B::from_response(&er) {
        None => (None, None),
        Some(Ok(b)) => (Some(b), None),
        Some(Err(d)) => (None, Some(d.describe())),
    };
    let meta = ErrorMetadata {
        status,
        headers: er.headers.into_vec(),
        body: er.body.into(),
        decode_error: why,
    };
    Error::Api(ApiError::new(spec.name, meta, typed))
}

/// The contract-4 error type through the older classification path (`Client::execute` and
/// what is built on it: pages, byte streams, event streams): a response of an operation whose
/// error type is `ApiError<B>` gets the same error as through [`finish`] (a single call):
/// the operation's name, status, headers, raw body, and its typed body as the operation's
/// status table ([`OperationSpec::errors`]) says, or why that did not decode.
impl<B: ErrorBody> FromErrorResponse for ApiError<B> {
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError> {
        let (typed, why) = match B::from_response(resp) {
            None => (None, None),
            Some(Ok(b)) => (Some(b), None),
            Some(Err(d)) => (None, Some(d.describe())),
        };
        let mut meta = resp.metadata();
        meta.decode_error = why;
        Ok(ApiError::new(resp.operation, meta, typed))
    }
    fn unknown(meta: ErrorMetadata) -> Option<Self> {
        Some(ApiError::new("", meta, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A binary body read as a type is the JSON array of its bytes: every byte value, in order.
    #[test]
    fn binary_text_is_the_array_of_every_byte() {
        let body: Vec<u8> = (0..=255u8).chain([0, 9, 10, 99, 100, 255]).collect();
        let text = text_of(&Read::Binary, &body);
        let back: Vec<u8> = serde_json::from_slice(&text).unwrap();
        assert_eq!(back, body);
        assert!(
            text.starts_with(b"[0,1,2,"),
            "{}",
            String::from_utf8_lossy(&text)
        );
        assert_eq!(&*text_of(&Read::Binary, &[]), b"[]");
    }
}
