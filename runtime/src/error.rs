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
                for (i, e) in errs.iter().enumerate() {
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
            Error::SoapFault(fault) => fault.fmt(f),
            Error::Auth(e) => e.fmt(f),
        }
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
    /// A body that did not match its declared type.
    DecodeError,
    "decode error"
);
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

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established; the request was never sent.
    Connect,
    /// The client's timeout elapsed.
    Timeout,
    /// Anything else (connection reset, body read failure, protocol error).
    Other,
}

/// A connection failure, timeout or I/O error. The underlying HTTP client error is reachable via
/// [`std::error::Error::source`].
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: BoxError,
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
            source: Box::new(e.without_url()),
        }
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
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "request timed out",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}
