//! Error types.

use std::error::Error as StdError;
use std::fmt;

use crate::response::ErrorMetadata;
use crate::soap::SoapFault;
use crate::token::AuthError;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Errors of an operation call.
///
/// `E` is what an error *response* becomes. A generated crate names this type through its own
/// alias, `pub type Error<B = serde_json::Value> = sdkwright_runtime::Error<ApiError<B>>`, where
/// `B` is the operation's typed error body; so users write `petstore::Error<petstore::types::Error>`
/// (or `petstore::Error` for an operation without declared error bodies) and match:
///
/// ```
/// use sdkwright_runtime::{ApiError, Error};
///
/// fn explain(err: &Error<ApiError<serde_json::Value>>) -> String {
///     match err {
///         Error::Api(e) => format!("HTTP {} (request id {:?}): {:?}", e.status(), e.request_id(), e.server_message()),
///         Error::GraphQl(e) => format!("{} GraphQL errors, partial data: {}", e.errors().len(), e.data().is_some()),
///         Error::Timeout(_) => "timed out".to_owned(),
///         Error::Transport(t) => format!("network: {t}"),
///         Error::Decode(d) => format!("unexpected response at {:?}: {d}", d.path()),
///         other => other.to_string(),
///     }
/// }
/// ```
///
/// `Display` prints one level; the causes are reachable through
/// [`std::error::Error::source`] and no message is repeated along the chain (so `anyhow`'s
/// `{:#}` and other chain printers show each cause once).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ApiError> {
    /// The API answered with an error status (or, for SOAP, a Fault): status, headers, request
    /// id, raw body and the typed body ([`ApiError`]).
    Api(E),
    /// A GraphQL response carried `errors` (with or without partial `data`), whatever its HTTP
    /// status (servers answer validation errors with 400).
    GraphQl(GraphQlErrors),
    /// The client's timeout elapsed (connect to end of body, each attempt).
    Timeout(TransportError),
    /// Connection failed, was reset, or the body could not be read; a redirect was refused.
    Transport(TransportError),
    /// The response body did not match its declared type: where ([`DecodeError::path`]), why,
    /// and the response (status, headers, raw body).
    Decode(DecodeError),
    /// The request could not be built (bad URL, unserializable value, unknown or missing
    /// parameter, invalid header value).
    Request(RequestError),
    /// A successful (2xx) SOAP response whose body was a `Fault`, for crates generated before
    /// contract 4 (newer crates get [`Error::Api`] with the fault as its typed body).
    SoapFault(SoapFault),
    /// No access token could be obtained (the OAuth 2.0 token endpoint failed or refused, or
    /// a [`crate::TokenProvider`] failed): the request was not sent (or, after a `401`, not
    /// sent again).
    Auth(AuthError),
}

impl<E> Error<E> {
    /// The API error, if this is [`Error::Api`].
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
    /// Whether the client's timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_)) || matches!(self, Error::Transport(t) if t.is_timeout())
    }
    /// A transport failure, as [`Error::Timeout`] when it is one.
    pub(crate) fn transport(e: TransportError) -> Self {
        if e.is_timeout() {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        }
    }
}

impl<B> Error<ApiError<B>> {
    /// The response this error is about, when there was one (API, GraphQL and decode errors):
    /// status, headers, raw body.
    pub fn response(&self) -> Option<&ErrorMetadata> {
        match self {
            Error::Api(e) => Some(e.response()),
            Error::GraphQl(e) => Some(e.response()),
            Error::Decode(d) => d.response(),
            _ => None,
        }
    }
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Timeout(t) | Error::Transport(t) => t.status(),
            Error::Auth(a) => a.status(),
            _ => self.response().map(|r| r.status),
        }
    }
    /// The request id the server gave the response (see [`ErrorMetadata::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.response().and_then(ErrorMetadata::request_id)
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::GraphQl(e) => e.fmt(f),
            Error::Timeout(e) | Error::Transport(e) => e.fmt(f),
            Error::Request(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::SoapFault(fault) => fault.fmt(f),
            Error::Auth(e) => e.fmt(f),
        }
    }
}

/// Transparent: `Display` is the variant's own, so `source` is the variant's source (returning
/// the variant itself would print its message twice in a chain).
impl<E: StdError + 'static> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Api(e) => e.source(),
            Error::GraphQl(e) => e.source(),
            Error::Timeout(e) | Error::Transport(e) => e.source(),
            Error::Request(e) => e.source(),
            Error::Decode(e) => e.source(),
            Error::SoapFault(e) => e.source(),
            Error::Auth(e) => e.source(),
        }
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(e: RequestError) -> Self {
        Error::Request(e)
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(e: AuthError) -> Self {
        Error::Auth(e)
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        Error::transport(e)
    }
}

/// An error response from the API (any status but 2xx, or a SOAP Fault): the operation, the
/// response ([`ErrorMetadata`]: status, headers, raw body) and its typed body `B` when it
/// decoded as the type the operation declares for that status.
///
/// `B` is the operation's error body type: one generated model (`ApiError<types::Error>`),
/// a generated enum with one variant per status when the operation declares several error body
/// types, [`SoapFault`] for SOAP operations, and `serde_json::Value` (any JSON body) for
/// operations that declare none. A status the operation does not declare, or a body that does
/// not match its declared type (an HTML 500 from a proxy), keeps the status and raw body with
/// [`ApiError::body`] `None` (and [`ApiError::decode_error`] saying why, for a declared one).
///
/// `Display` shows the operation, the status, the server's own message when the body has one
/// (`message`, `error`, `error_description`, `detail`, RFC 7807 problem+json, a SOAP fault
/// string) and the request id:
///
/// ```
/// use sdkwright_runtime::{ApiError, ErrorMetadata};
///
/// let meta = ErrorMetadata::new(404)
///     .with_header("x-request-id", "req-7")
///     .with_body(r#"{"code": 404, "message": "no pet 7"}"#);
/// let e: ApiError<serde_json::Value> = ApiError::new("getPetById", meta, None);
/// assert_eq!(e.to_string(), "getPetById: HTTP 404 Not Found: no pet 7 (request id req-7)");
/// assert_eq!((e.status(), e.request_id()), (404, Some("req-7")));
/// ```
pub struct ApiError<B = serde_json::Value>(Box<ApiErrorInner<B>>);

struct ApiErrorInner<B> {
    operation: &'static str,
    response: ErrorMetadata,
    body: Option<B>,
}

impl<B> ApiError<B> {
    /// An API error of `operation` for this response, with its typed body if it decoded (for
    /// tests of your own error handling).
    pub fn new(operation: &'static str, response: ErrorMetadata, body: Option<B>) -> Self {
        ApiError(Box::new(ApiErrorInner {
            operation,
            response,
            body,
        }))
    }
    /// The operation's identifier in the API document.
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.response.status
    }
    /// The response headers (lower-case names).
    pub fn headers(&self) -> &[(String, String)] {
        &self.0.response.headers
    }
    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.0.response.header(name)
    }
    /// The request id the server gave the response (see [`ErrorMetadata::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.0.response.request_id()
    }
    /// The raw body.
    pub fn raw_body(&self) -> &[u8] {
        &self.0.response.body
    }
    /// The typed body: `None` when the operation declares no body for this status, or when the
    /// body did not match the declared type ([`ApiError::decode_error`] says why).
    pub fn body(&self) -> Option<&B> {
        self.0.body.as_ref()
    }
    /// The typed body, by value.
    pub fn into_body(self) -> Option<B> {
        self.0.body
    }
    /// Why the body did not decode as the type declared for its status, if it did not.
    pub fn decode_error(&self) -> Option<&str> {
        self.0.response.decode_error.as_deref()
    }
    /// The server's own message, when the body has one (see [`ErrorMetadata::server_message`]).
    pub fn server_message(&self) -> Option<String> {
        self.0.response.server_message()
    }
    /// The body as an RFC 7807 / RFC 9457 problem, when it is one.
    pub fn problem(&self) -> Option<Problem> {
        self.0.response.problem()
    }
    /// Status, headers, raw body.
    pub fn response(&self) -> &ErrorMetadata {
        &self.0.response
    }
    /// Status, headers and raw body, by value.
    pub fn into_response(self) -> ErrorMetadata {
        self.0.response
    }
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.0.operation)
            .field("status", &self.0.response.status)
            .field("request_id", &self.request_id())
            .field("body", &self.0.body)
            .field("raw_body", &self.0.response.body_snippet())
            .field("decode_error", &self.0.response.decode_error)
            .finish_non_exhaustive()
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.operation.is_empty() {
            write!(f, "{}: ", self.0.operation)?;
        }
        self.0.response.describe(f)
    }
}

impl<B: fmt::Debug> StdError for ApiError<B> {}

/// An RFC 7807 / RFC 9457 problem details body (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// `type`: a URI naming the problem type.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// `title`: a short summary of the problem type.
    #[serde(default)]
    pub title: Option<String>,
    /// `status`: the HTTP status the server meant.
    #[serde(default)]
    pub status: Option<u16>,
    /// `detail`: what happened this time.
    #[serde(default)]
    pub detail: Option<String>,
    /// `instance`: a URI naming this occurrence.
    #[serde(default)]
    pub instance: Option<String>,
}

/// One GraphQL error, as the GraphQL specification's "Errors" section defines it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct GraphQlError {
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// Where in the operation document (1-based line and column).
    #[serde(default)]
    pub locations: Vec<GraphQlLocation>,
    /// Where in the response: field names and list indices from the root of `data`.
    #[serde(default)]
    pub path: Vec<GraphQlPathSegment>,
    /// Server-specific details (`code` and the like).
    #[serde(default)]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

impl GraphQlError {
    /// An error with this message (for tests of your own error handling).
    pub fn new(message: impl Into<String>) -> Self {
        GraphQlError {
            message: message.into(),
            locations: Vec::new(),
            path: Vec::new(),
            extensions: None,
        }
    }
    /// `extensions.code`, the convention most servers follow (`BAD_USER_INPUT`, …).
    pub fn code(&self) -> Option<&str> {
        self.extensions.as_ref()?.get("code")?.as_str()
    }
}

/// A position in a GraphQL operation document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct GraphQlLocation {
    /// 1-based line.
    #[serde(default)]
    pub line: u32,
    /// 1-based column.
    #[serde(default)]
    pub column: u32,
}

/// One step of a GraphQL error's `path`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum GraphQlPathSegment {
    /// A field (its response key: the alias if there is one).
    Field(String),
    /// A list index.
    Index(u64),
}

impl fmt::Display for GraphQlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_bounded(f, MESSAGE_LIMIT, format_args!("{}", self.message))?;
        if !self.path.is_empty() {
            f.write_str(" (at ")?;
            for (i, p) in self.path.iter().take(32).enumerate() {
                match p {
                    GraphQlPathSegment::Field(s) if i == 0 => {
                        write_bounded(f, 128, format_args!("{s}"))?
                    }
                    GraphQlPathSegment::Field(s) => write_bounded(f, 128, format_args!(".{s}"))?,
                    GraphQlPathSegment::Index(n) => write!(f, "[{n}]")?,
                }
            }
            f.write_str(")")?;
        } else if let Some(l) = self.locations.first() {
            write!(f, " (line {}, column {})", l.line, l.column)?;
        }
        if let Some(code) = self.code() {
            write_bounded(f, 128, format_args!(" [{code}]"))?;
        }
        Ok(())
    }
}

impl StdError for GraphQlError {}

/// The `errors` of a GraphQL response, with the partial `data` that came with them (if any) and
/// the response (status, headers, raw body).
///
/// A response with `errors` is an error even when it has `data`: `?` never lets a field error
/// pass unseen, and nothing is lost: [`GraphQlErrors::data`] is the partial data as JSON and
/// [`GraphQlErrors::decode_data`] decodes it as the operation's data type (every field that
/// failed is `null`, which the generated types allow for nullable fields).
#[derive(Debug)]
pub struct GraphQlErrors(Box<GraphQlErrorsInner>);

#[derive(Debug)]
struct GraphQlErrorsInner {
    operation: &'static str,
    errors: Vec<GraphQlError>,
    data: Option<serde_json::Value>,
    response: ErrorMetadata,
}

impl GraphQlErrors {
    /// The errors of `operation`'s response, with its partial data (for tests of your own error
    /// handling).
    pub fn new(
        operation: &'static str,
        errors: Vec<GraphQlError>,
        data: Option<serde_json::Value>,
        response: ErrorMetadata,
    ) -> Self {
        GraphQlErrors(Box::new(GraphQlErrorsInner {
            operation,
            errors,
            data: data.filter(|d| !d.is_null()),
            response,
        }))
    }
    /// The operation's name.
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }
    /// The errors, in the server's order (never empty when the runtime made this).
    pub fn errors(&self) -> &[GraphQlError] {
        &self.0.errors
    }
    /// The partial `data` (not `null`) that came with the errors, as JSON.
    pub fn data(&self) -> Option<&serde_json::Value> {
        self.0.data.as_ref()
    }
    /// The partial data decoded as `T` (the operation's data type); `None` without data.
    pub fn decode_data<T: serde::de::DeserializeOwned>(&self) -> Option<Result<T, DecodeError>> {
        let data = self.0.data.as_ref()?;
        Some(crate::response::value_as(data).map_err(|e| {
            DecodeError::new(format!(
                "partial GraphQL data does not match the declared type: {e}"
            ))
        }))
    }
    /// Whether partial data came with the errors.
    pub fn is_partial(&self) -> bool {
        self.0.data.is_some()
    }
    /// The HTTP status (200 for execution errors; often 400 for validation errors).
    pub fn status(&self) -> u16 {
        self.0.response.status
    }
    /// The request id the server gave the response (see [`ErrorMetadata::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.0.response.request_id()
    }
    /// Status, headers, raw body.
    pub fn response(&self) -> &ErrorMetadata {
        &self.0.response
    }
}

impl fmt::Display for GraphQlErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.errors.len();
        if !self.0.operation.is_empty() {
            write!(f, "{}: ", self.0.operation)?;
        }
        write!(f, "{n} GraphQL error{} (", if n == 1 { "" } else { "s" })?;
        match self.0.response.status {
            // A subscription's message (graphql_ws.rs): no HTTP status of its own.
            101 => f.write_str("WebSocket")?,
            status => write!(f, "HTTP {status}")?,
        }
        if self.0.data.is_some() {
            f.write_str(", partial data")?;
        }
        f.write_str("): ")?;
        let mut left = MESSAGE_LIMIT;
        for (i, e) in self.0.errors.iter().enumerate() {
            if left == 0 {
                f.write_str("; …")?;
                break;
            }
            if i > 0 {
                f.write_str("; ")?;
            }
            let one = bounded(e.to_string(), left);
            left = left.saturating_sub(one.len());
            f.write_str(&one)?;
        }
        if let Some(id) = self.0.response.request_id() {
            write_bounded(f, 128, format_args!(" (request id {id})"))?;
        }
        Ok(())
    }
}

impl StdError for GraphQlErrors {}

macro_rules! simple_error {
    ($(#[$m:meta])* $name:ident, $prefix:literal) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name {
            message: String,
            source: Option<BoxError>,
        }

        impl $name {
            /// An error with this message.
            pub fn new(message: impl Into<String>) -> Self {
                Self { message: message.into(), source: None }
            }
            /// An error with this message, caused by `source`.
            pub fn with_source(
                message: impl Into<String>,
                source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
            ) -> Self {
                Self { message: message.into(), source: Some(source.into()) }
            }
            /// The message (without the source's).
            pub fn message(&self) -> &str {
                &self.message
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The source is returned by `source()`, not printed: chain printers show it once.
                write!(f, concat!($prefix, ": {}"), self.message)
            }
        }

        impl StdError for $name {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                self.source.as_deref().map(|s| s as &(dyn StdError + 'static))
            }
        }
    };
}

simple_error!(
    /// The request could not be built.
    RequestError,
    "invalid request"
);
simple_error!(
    /// Error building a client (bad base URL, TLS backend failure).
    BuildError,
    "cannot build client"
);

/// The most bytes of a body kept as a snippet in errors ([`DecodeError::body_snippet`]).
pub const SNIPPET_LIMIT: usize = 1024;

/// How many characters of a snippet `Display` prints.
const DISPLAY_SNIPPET_CHARS: usize = 200;

/// The start of `body` as text, at most `max` bytes: invalid UTF-8 and control characters
/// other than newline and tab replaced by U+FFFD (so a snippet cannot drive a terminal), an
/// incomplete last character dropped, cut on a character boundary.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let mut cut = &body[..body.len().min(max)];
    if cut.len() < body.len() {
        if let Err(e) = std::str::from_utf8(cut) {
            if e.error_len().is_none() {
                cut = &cut[..e.valid_up_to()];
            }
        }
    }
    let mut out = String::with_capacity(cut.len());
    for c in String::from_utf8_lossy(cut).chars() {
        let c = if c.is_control() && c != '\n' && c != '\t' {
            '\u{FFFD}'
        } else {
            c
        };
        if out.len() + c.len_utf8() > max {
            break;
        }
        out.push(c);
    }
    out
}

/// The most bytes of a message (made from server data) that `Display` prints or an error keeps.
pub(crate) const MESSAGE_LIMIT: usize = 1024;

/// `s` cut to at most `max` bytes on a character boundary, `…` appended when cut.
pub(crate) fn bounded(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

/// Writes `args` to `f`, at most `max` bytes (cut on a character boundary, then `…`): server
/// data inside error messages (serde's "invalid type: string …", GraphQL messages, SOAP fault
/// reasons) cannot make a message unbounded.
pub(crate) fn write_bounded(
    f: &mut fmt::Formatter<'_>,
    max: usize,
    args: fmt::Arguments<'_>,
) -> fmt::Result {
    struct Bounded<'a, 'b> {
        f: &'a mut fmt::Formatter<'b>,
        left: usize,
        cut: bool,
    }
    impl fmt::Write for Bounded<'_, '_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            if self.cut {
                return Ok(());
            }
            if s.len() <= self.left {
                self.left -= s.len();
                return self.f.write_str(s);
            }
            let mut end = self.left;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.cut = true;
            self.left = 0;
            self.f.write_str(&s[..end])
        }
    }
    let mut w = Bounded {
        f,
        left: max,
        cut: false,
    };
    fmt::write(&mut w, args)?;
    if w.cut {
        w.f.write_str("…")?;
    }
    Ok(())
}

/// A body that did not match its declared type.
///
/// When it comes from a response, it keeps the operation, the response ([`DecodeError::response`]:
/// status, headers, raw body), where in the JSON document decoding failed
/// ([`DecodeError::path`], e.g. `items[3].id`) and at most [`SNIPPET_LIMIT`] bytes of the body
/// around the failure ([`DecodeError::body_snippet`]).
#[derive(Debug)]
pub struct DecodeError(Box<DecodeErrorInner>);

/// Boxed: a `Result<T, DecodeError>` stays small.
#[derive(Debug)]
struct DecodeErrorInner {
    message: String,
    source: Option<BoxError>,
    path: Option<String>,
    /// Byte offset of the failure in the body, when known.
    offset: Option<usize>,
    operation: Option<&'static str>,
    response: Option<Box<ErrorMetadata>>,
    snippet: Option<String>,
}

impl DecodeError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError(Box::new(DecodeErrorInner {
            message: message.into(),
            source: None,
            path: None,
            offset: None,
            operation: None,
            response: None,
            snippet: None,
        }))
    }
    /// An error with this message, caused by `source` (reachable through
    /// [`std::error::Error::source`]; `Display` does not repeat it).
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        let mut e = DecodeError::new(message);
        e.0.source = Some(source.into());
        e
    }
    /// A JSON body that did not decode: serde's message becomes part of this one (with its line
    /// and column, which also place the snippet), `path` is where in the document it failed.
    pub(crate) fn json(
        what: &str,
        e: &serde_json::Error,
        body: &[u8],
        path: Option<String>,
    ) -> Self {
        let offset = (e.line() > 0).then(|| line_col_offset(body, e.line(), e.column()));
        let mut d = DecodeError::new(bounded(format!("{what}: {e}"), MESSAGE_LIMIT));
        d.0.path = path.filter(|p| !p.is_empty() && p != ".");
        d.0.offset = offset;
        d
    }
    /// This error, located at `path` in the document.
    pub(crate) fn with_path(mut self, path: String) -> Self {
        self.0.path = Some(path);
        self
    }
    /// The message (without the source's).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// Where in the JSON body decoding failed (`items[3].id`), when known.
    pub fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }
    /// The operation whose response did not decode.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }
    /// The HTTP status of the response whose body did not decode.
    pub fn status(&self) -> Option<u16> {
        self.0.response.as_ref().map(|r| r.status)
    }
    /// The response whose body did not decode: status, headers, raw body.
    pub fn response(&self) -> Option<&ErrorMetadata> {
        self.0.response.as_deref()
    }
    /// At most [`SNIPPET_LIMIT`] bytes of the body (lossy UTF-8, control characters replaced):
    /// around the place decoding failed when it is known, else the start.
    pub fn body_snippet(&self) -> Option<&str> {
        self.0.snippet.as_deref()
    }
    /// The message and its source's, without the response context, at most
    /// [`MESSAGE_LIMIT`] bytes.
    pub(crate) fn describe(&self) -> String {
        let mut full = match &self.0.source {
            Some(s) => format!("{}: {s}", self.0.message),
            None => self.0.message.clone(),
        };
        if let Some(p) = &self.0.path {
            full = format!("at `{p}`: {full}");
        }
        bounded(full, MESSAGE_LIMIT)
    }
    /// Records the response this error is about (unless already recorded).
    pub(crate) fn at_response(self, status: u16, body: &[u8]) -> Self {
        self.in_response("", ErrorMetadata::new(status).with_body(body))
    }
    /// Records the operation and response this error is about (unless already recorded).
    pub(crate) fn in_response(mut self, operation: &'static str, response: ErrorMetadata) -> Self {
        if self.0.response.is_none() {
            if !operation.is_empty() {
                self.0.operation = Some(operation);
            }
            let body = &response.body;
            let start = match self.0.offset {
                Some(o) if o > SNIPPET_LIMIT / 2 => {
                    let mut s = (o - SNIPPET_LIMIT / 2).min(body.len());
                    // Not inside a UTF-8 sequence.
                    while s < body.len() && (body[s] & 0xC0) == 0x80 {
                        s += 1;
                    }
                    s
                }
                _ => 0,
            };
            self.0.snippet = Some(snippet(&body[start..], SNIPPET_LIMIT));
            self.0.response = Some(Box::new(response));
        }
        self
    }
}

/// The byte offset of a 1-based line and column (serde_json's, columns in bytes).
fn line_col_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return body.len(),
        }
    }
    (start + column.saturating_sub(1)).min(body.len())
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.0.operation {
            write!(f, "{op}: ")?;
        }
        f.write_str("cannot decode the response")?;
        if let Some(st) = self.status() {
            write!(f, " (HTTP {st})")?;
        }
        if let Some(p) = &self.0.path {
            write_bounded(f, 256, format_args!(" at `{p}`"))?;
        }
        f.write_str(": ")?;
        write_bounded(f, MESSAGE_LIMIT, format_args!("{}", self.0.message))?;
        if let Some(s) = self.0.snippet.as_deref().filter(|s| !s.trim().is_empty()) {
            let short: String = s.chars().take(DISPLAY_SNIPPET_CHARS).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            let near = if self.0.offset.is_some() {
                "near the failure"
            } else {
                "starts"
            };
            write!(f, " (body {near}: {:?}{more})", short.trim())?;
        }
        Ok(())
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established; the request was never sent.
    Connect,
    /// The client's timeout elapsed.
    Timeout,
    /// The response body was larger than the client's maximum
    /// ([`crate::ClientBuilder::max_body_size`]); reading stopped there.
    BodyTooLarge,
    /// A redirect was refused: too many hops, `https` to `http`, a `Location` that is not an
    /// `http(s)` URL, or a request body that would have been re-sent to another origin.
    Redirect,
    /// Anything else (connection reset, body read failure, protocol error).
    Other,
}

/// A connection failure, timeout, I/O error, oversized body or refused redirect. The underlying
/// HTTP client error, if any, is reachable via [`std::error::Error::source`].
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: Option<String>,
    source: Option<BoxError>,
    status: Option<u16>,
}

impl TransportError {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_connect() {
            TransportErrorKind::Connect
        } else {
            TransportErrorKind::Other
        };
        TransportError {
            kind,
            message: None,
            source: Some(Box::new(e.without_url())),
            status: None,
        }
    }
    /// An error of this kind with this message (the runtime's own, or a custom
    /// [`Transport`](crate::Transport)'s).
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: Some(message.into()),
            source: None,
            status: None,
        }
    }
    /// An error of this kind with this message and underlying cause (for a custom
    /// [`Transport`](crate::Transport) wrapping another HTTP stack).
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        TransportError {
            source: Some(source.into()),
            ..TransportError::new(kind, message)
        }
    }
    /// Records the status of the response being read.
    pub(crate) fn at_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
    /// Whether the client's timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
    /// The status of the response, when the failure happened after it arrived (reading its
    /// body, following its redirect).
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "request timed out",
            TransportErrorKind::BodyTooLarge => "response body too large",
            TransportErrorKind::Redirect => "redirect refused",
            TransportErrorKind::Other => "transport error",
        };
        f.write_str(what)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        // The underlying client error is `source()`, not printed: chain printers show it once.
        if let Some(st) = self.status {
            write!(f, " (HTTP status {st})")?;
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_cut_on_a_char_boundary() {
        let body = "é".repeat(1000); // 2000 bytes
        let s = snippet(body.as_bytes(), SNIPPET_LIMIT);
        assert_eq!(s.len(), 1024);
        assert!(s.chars().all(|c| c == 'é'));
        let s = snippet("aé".as_bytes(), 2);
        assert_eq!(s, "a");
        // Replacement characters count: the snippet never exceeds `max` bytes.
        assert_eq!(snippet(&[0xff; 10], 9), "\u{FFFD}".repeat(3));
        assert_eq!(snippet(b"\x01\x02\x03\x04", 4), "\u{FFFD}");
        assert_eq!(snippet(b"a\x1b[31mb\n", 100), "a\u{FFFD}[31mb\n");
        assert_eq!(snippet(b"\xff\xfe", 100), "\u{FFFD}\u{FFFD}");
        assert_eq!(snippet(b"", 100), "");
    }

    #[test]
    fn decode_error_display_has_status_and_short_snippet() {
        let body = format!("<html>{}</html>", "x".repeat(5000));
        let e = DecodeError::new("bad").at_response(503, body.as_bytes());
        assert_eq!(e.status(), Some(503));
        assert_eq!(e.body_snippet().map(str::len), Some(SNIPPET_LIMIT));
        let shown = e.to_string();
        assert!(
            shown.starts_with(
                "cannot decode the response (HTTP 503): bad (body starts: \"<html>xxx"
            ),
            "{shown}"
        );
        assert!(shown.len() < 300, "{shown}");
    }

    #[test]
    fn messages_from_server_data_are_bounded() {
        let huge = "ü".repeat(100_000);
        let e = DecodeError::with_source("bad", huge.clone());
        assert_eq!(
            e.to_string(),
            "cannot decode the response: bad",
            "the source is not repeated"
        );
        assert!(e.describe().len() <= MESSAGE_LIMIT + 3);
        let shown = DecodeError::new(huge.clone()).to_string();
        assert!(shown.len() <= MESSAGE_LIMIT + 40, "{}", shown.len());
        assert!(shown.ends_with('…'));
        let g: Error<crate::ErrorMetadata> = Error::GraphQl(GraphQlErrors::new(
            "op",
            vec![GraphQlError::new(huge.clone()), GraphQlError::new(huge)],
            None,
            ErrorMetadata::new(200),
        ));
        assert!(
            g.to_string().len() <= MESSAGE_LIMIT + 80,
            "{}",
            g.to_string().len()
        );
        assert_eq!(bounded("abc".into(), 3), "abc");
        assert_eq!(bounded("abcd".into(), 3), "abc…");
    }
}
