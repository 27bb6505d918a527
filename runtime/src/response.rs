//! Responses: [`Response`] (2xx) and [`ErrorResponse`] (anything else).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{DecodeError, Error};
use crate::soap::{self, SoapBody, SoapFault};
use crate::spec::ResponseFormat;

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return T::deserialize(Value::Null).map_err(|e| {
            DecodeError::with_source("empty body does not match the declared type", e)
        });
    }
    serde_json::from_slice(body)
        .map_err(|e| DecodeError::with_source("JSON body does not match the declared type", e))
}

/// A successful (2xx) response, to be decoded per the operation's [`ResponseFormat`].
#[derive(Debug)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
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
        &self.headers
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
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
        match self.decode_inner() {
            Err(Error::Decode(d)) => Err(Error::Decode(d.at_response(self.status, &self.body))),
            r => r,
        }
    }

    fn decode_inner<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        match self.format {
            ResponseFormat::Json => Ok(json(&self.body)?),
            ResponseFormat::Empty => T::deserialize(Value::Null)
                .map_err(|e| Error::Decode(DecodeError::with_source("expected no body", e))),
            ResponseFormat::Text => {
                let s = std::str::from_utf8(&self.body)
                    .map_err(|e| DecodeError::with_source("text body is not UTF-8", e))?;
                T::deserialize(Value::String(s.to_owned())).map_err(|e| {
                    Error::Decode(DecodeError::with_source("text body does not match", e))
                })
            }
            ResponseFormat::Binary => {
                let de = serde::de::value::SeqDeserializer::<_, serde::de::value::Error>::new(
                    self.body.iter().copied(),
                );
                T::deserialize(de).map_err(|e| {
                    Error::Decode(DecodeError::with_source("binary body does not match", e))
                })
            }
            ResponseFormat::GraphQl => {
                #[derive(serde::Deserialize)]
                struct GraphQlResponse {
                    #[serde(default)]
                    data: Value,
                    #[serde(default)]
                    errors: Option<Vec<Value>>,
                }
                let r: GraphQlResponse = serde_json::from_slice(&self.body).map_err(|e| {
                    DecodeError::with_source("GraphQL response is not a JSON object", e)
                })?;
                if let Some(errors) = r.errors.filter(|e| !e.is_empty()) {
                    return Err(Error::GraphQl(errors));
                }
                serde_json::from_value(r.data).map_err(|e| {
                    Error::Decode(DecodeError::with_source(
                        "GraphQL data does not match the declared type",
                        e,
                    ))
                })
            }
            ResponseFormat::Soap => match soap::decode_body(&self.body)? {
                SoapBody::Value(v) => Ok(v),
                SoapBody::Fault(f) => Err(Error::SoapFault(f)),
            },
        }
    }

    /// The raw body.
    pub fn bytes<E>(self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body.to_vec())
    }
}

/// A non-2xx response, handed to [`FromErrorResponse`].
#[derive(Debug)]
pub struct ErrorResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: bytes::Bytes,
    pub(crate) format: ResponseFormat,
}

impl ErrorResponse {
    /// Status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the body per the operation's format: JSON (an empty body decodes as `null`), or,
    /// for SOAP operations, the Fault normalized as `{code, reason, detail}` (see [`SoapFault`];
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
            return serde_json::from_value(v).map_err(|e| {
                DecodeError::with_source("SOAP fault does not match the declared type", e)
            });
        }
        json(&self.body)
    }

    /// The SOAP Fault in the body.
    pub fn soap_fault(&self) -> Result<SoapFault, DecodeError> {
        soap::fault(&self.body).map_err(|e| e.at_response(self.status, &self.body))
    }

    /// Status, headers and raw body, for the `Unknown` variant.
    pub fn metadata(&self) -> ErrorMetadata {
        ErrorMetadata {
            status: self.status,
            headers: self.headers.clone(),
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

impl std::fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP status {}", self.status)?;
        let snippet = crate::error::snippet(&self.body, 800);
        let short: String = snippet.chars().take(200).collect();
        if !short.trim().is_empty() {
            write!(f, ": {}", short.trim())?;
            if short.len() < self.body.len() {
                f.write_str("…")?;
            }
        }
        if let Some(d) = &self.decode_error {
            f.write_str(" (the body did not match the declared error type: ")?;
            crate::error::write_bounded(f, crate::error::MESSAGE_LIMIT, format_args!("{d}"))?;
            f.write_str(")")?;
        }
        Ok(())
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
