//! Error types.

use std::error::Error as StdError;
use std::fmt;

use crate::soap::SoapFault;
use crate::token::AuthError;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Errors of an operation call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A declared (or `Unknown`) error response.
    Api(E),
    /// The request could not be built (bad URL, unserializable value, unknown or missing
    /// parameter, invalid header value).
    Request(RequestError),
    /// Connection failed, timed out, or the body could not be read.
    Transport(TransportError),
    /// The response body did not match its declared type.
    Decode(DecodeError),
    /// The GraphQL response carried `errors` (each one as sent by the server).
    GraphQl(Vec<serde_json::Value>),
    /// A successful (2xx) SOAP response whose body was a `Fault`.
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
    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(t) if t.is_timeout())
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "API error: {e}"),
            Error::Request(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::GraphQl(errs) => {
                f.write_str("GraphQL errors: ")?;
                write_bounded(f, MESSAGE_LIMIT, format_args!("{}", GraphQlMessages(errs)))
            }
            Error::SoapFault(fault) => fault.fmt(f),
            Error::Auth(e) => e.fmt(f),
        }
    }
}

/// The `message` of each GraphQL error, `; `-separated.
struct GraphQlMessages<'a>(&'a [serde_json::Value]);

impl fmt::Display for GraphQlMessages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match e.get("message").and_then(|m| m.as_str()) {
                Some(m) => f.write_str(m)?,
                None => write!(f, "{e}")?,
            }
        }
        Ok(())
    }
}

impl<E: StdError + 'static> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            Error::Request(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::Decode(e) => Some(e),
            Error::SoapFault(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::GraphQl(_) => None,
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
        Error::Transport(e)
    }
}

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
                write!(f, concat!($prefix, ": {}"), self.message)?;
                if let Some(s) = &self.source {
                    write!(f, ": {s}")?;
                }
                Ok(())
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

/// Writes ` (HTTP status N, body: "…")` for errors that know their response.
fn write_context(
    f: &mut fmt::Formatter<'_>,
    status: Option<u16>,
    snip: Option<&str>,
) -> fmt::Result {
    match (status, snip.filter(|s| !s.trim().is_empty())) {
        (None, None) => Ok(()),
        (Some(st), None) => write!(f, " (HTTP status {st})"),
        (st, Some(s)) => {
            f.write_str(" (")?;
            if let Some(st) = st {
                write!(f, "HTTP status {st}, ")?;
            }
            let short: String = s.chars().take(DISPLAY_SNIPPET_CHARS).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            write!(f, "body: {:?}{more})", short.trim())
        }
    }
}

/// A body that did not match its declared type.
///
/// When it comes from a response, it keeps the response's status and the first
/// [`SNIPPET_LIMIT`] bytes of its body.
#[derive(Debug)]
pub struct DecodeError {
    message: String,
    source: Option<BoxError>,
    status: Option<u16>,
    snippet: Option<String>,
}

impl DecodeError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            source: None,
            status: None,
            snippet: None,
        }
    }
    /// An error with this message, caused by `source`.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        DecodeError {
            source: Some(source.into()),
            ..DecodeError::new(message)
        }
    }
    /// The message (without the source's).
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The HTTP status of the response whose body did not decode.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// The start of the body that did not decode (at most [`SNIPPET_LIMIT`] bytes, lossy UTF-8).
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }
    /// The message and its source's, without the response context, at most
    /// [`MESSAGE_LIMIT`] bytes.
    pub(crate) fn describe(&self) -> String {
        let full = match &self.source {
            Some(s) => format!("{}: {s}", self.message),
            None => self.message.clone(),
        };
        bounded(full, MESSAGE_LIMIT)
    }
    /// Records the response this error is about (unless already recorded).
    pub(crate) fn at_response(mut self, status: u16, body: &[u8]) -> Self {
        if self.status.is_none() {
            self.status = Some(status);
            self.snippet = Some(snippet(body, SNIPPET_LIMIT));
        }
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("decode error: ")?;
        match &self.source {
            Some(s) => write_bounded(f, MESSAGE_LIMIT, format_args!("{}: {s}", self.message))?,
            None => write_bounded(f, MESSAGE_LIMIT, format_args!("{}", self.message))?,
        }
        write_context(f, self.status, self.snippet.as_deref())
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
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
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
        }
        write_context(f, self.status, None)
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
        assert!(shown.starts_with("decode error: bad (HTTP status 503, body: \"<html>xxx"));
        assert!(shown.len() < 300, "{shown}");
    }

    #[test]
    fn messages_from_server_data_are_bounded() {
        let huge = "ü".repeat(100_000);
        let e = DecodeError::with_source("bad", huge.clone());
        let shown = e.to_string();
        assert!(shown.len() <= MESSAGE_LIMIT + 40, "{}", shown.len());
        assert!(shown.ends_with('…'));
        assert!(e.describe().len() <= MESSAGE_LIMIT + 3);
        let g: Error<crate::ErrorMetadata> =
            Error::GraphQl(vec![serde_json::json!({ "message": huge })]);
        assert!(g.to_string().len() <= MESSAGE_LIMIT + 40);
        assert_eq!(bounded("abc".into(), 3), "abc");
        assert_eq!(bounded("abcd".into(), 3), "abc…");
    }
}
