//! [`Interceptor`]: hooks into every call a client makes.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use crate::error::RequestError;
use crate::retry::RetryReason;

/// The error an interceptor refuses a request with: any error type.
pub type InterceptorError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Hooks into every call a client makes; every method does nothing by default.
///
/// Register interceptors with [`crate::ClientBuilder::interceptor`]: several may be, and they
/// run in the order they were added. Hooks are synchronous and run on the task making the call:
/// keep them short.
///
/// | hook | when | available | if it fails |
/// |---|---|---|---|
/// | [`before_send`](Self::before_send) | before each attempt is sent (retries and the re-send after a `401` included) | the final request: method, URL, headers (auth applied, idempotency key included), body bytes; headers can be changed | the call fails with [`crate::Error::Request`], nothing is sent |
/// | [`after_response`](Self::after_response) | when an attempt's response arrives, before its body is read (redirects already followed) | status and headers | cannot fail |
/// | [`on_retry`](Self::on_retry) | when an attempt failed and another one will be made, before the wait | attempt number, reason, wait | cannot fail |
///
/// Signing each request with HMAC-SHA256 over the method, path and body:
///
/// ```
/// use sdkwright_runtime::{BeforeSend, ClientBuilder, Interceptor, InterceptorError};
///
/// struct Sign { key: Vec<u8> }
///
/// impl Interceptor for Sign {
///     fn before_send(&self, req: &mut BeforeSend<'_>) -> Result<(), InterceptorError> {
///         let mut message = format!("{}\n{}\n", req.method(), req.path()).into_bytes();
///         message.extend_from_slice(req.body().unwrap_or_default());
///         let signature = hmac_sha256_hex(&self.key, &message); // your HMAC crate here
///         req.set_header("x-signature", &signature)?;
///         Ok(())
///     }
/// }
/// # fn hmac_sha256_hex(_: &[u8], _: &[u8]) -> String { String::new() }
///
/// let client = ClientBuilder::new("https://api.example.com")
///     .interceptor(Sign { key: b"secret".to_vec() })
///     .build()?;
/// # Ok::<(), sdkwright_runtime::BuildError>(())
/// ```
pub trait Interceptor: Send + Sync {
    /// Before each attempt is sent. The request is final: body encoded, auth applied,
    /// idempotency key set. Changes to the headers apply to this attempt only (each attempt
    /// starts from the same prepared request). An error fails the call with
    /// [`crate::Error::Request`] and nothing is sent.
    fn before_send(&self, request: &mut BeforeSend<'_>) -> Result<(), InterceptorError> {
        let _ = request;
        Ok(())
    }

    /// When an attempt's response arrives (status and headers; the body is not read yet).
    fn after_response(&self, response: &AfterResponse<'_>) {
        let _ = response;
    }

    /// When an attempt failed and another one will be made after `retry.wait()`.
    fn on_retry(&self, retry: &OnRetry) {
        let _ = retry;
    }
}

impl<T: Interceptor + ?Sized> Interceptor for Arc<T> {
    fn before_send(&self, request: &mut BeforeSend<'_>) -> Result<(), InterceptorError> {
        (**self).before_send(request)
    }
    fn after_response(&self, response: &AfterResponse<'_>) {
        (**self).after_response(response)
    }
    fn on_retry(&self, retry: &OnRetry) {
        (**self).on_retry(retry)
    }
}

/// The interceptors of a client, in order.
#[derive(Clone, Default)]
pub(crate) struct Interceptors(pub(crate) Vec<Arc<dyn Interceptor>>);

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} interceptor(s)", self.0.len())
    }
}

/// The request of one attempt, about to be sent: see [`Interceptor::before_send`].
pub struct BeforeSend<'a> {
    pub(crate) operation: &'static str,
    pub(crate) path_template: &'static str,
    pub(crate) attempt: u32,
    pub(crate) method: &'a reqwest::Method,
    pub(crate) url: &'a Url,
    pub(crate) headers: &'a mut HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
    pub(crate) streamed_body: bool,
}

impl fmt::Debug for BeforeSend<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No header values, no query: they may hold secrets.
        f.debug_struct("BeforeSend")
            .field("operation", &self.operation)
            .field("method", &self.method())
            .field("path_template", &self.path_template)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

impl BeforeSend<'_> {
    /// The operation's identifier in the API document.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
    /// The HTTP method (`"POST"`).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }
    /// The operation's path template (`/pets/{petId}`), relative to the base URL.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }
    /// The whole URL, query included.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }
    /// The URL's path, percent-encoded as sent (base URL path included).
    pub fn path(&self) -> &str {
        self.url.path()
    }
    /// The URL's query string as sent, without `?`.
    pub fn query(&self) -> Option<&str> {
        self.url.query()
    }
    /// Which attempt this is (1 for the first).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
    /// The body as sent, if it is in memory: `None` when there is no body, and when it is
    /// streamed from a file or a stream ([`crate::FilePart::from_path`],
    /// [`crate::FilePart::from_stream`]; then [`streamed_body`](Self::streamed_body) is true:
    /// a signature over the body must be computed some other way).
    pub fn body(&self) -> Option<&[u8]> {
        self.body
    }
    /// Whether the body is streamed (from a file or a stream) rather than held in memory.
    pub fn streamed_body(&self) -> bool {
        self.streamed_body
    }
    /// The first value of header `name` (any case), if it is valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// Every header as `(lower-case name, value bytes)`, in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))
    }
    /// Sets header `name` to `value`, replacing any value it had. The value is marked
    /// sensitive (never shown in `Debug` output).
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), RequestError> {
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| RequestError::with_source(format!("invalid header name `{name}`"), e))?;
        let mut v = HeaderValue::from_str(value).map_err(|e| {
            RequestError::with_source(format!("invalid value for header `{name}`"), e)
        })?;
        v.set_sensitive(true);
        self.headers.insert(n, v);
        Ok(())
    }
    /// Removes header `name` (any case).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.remove(name);
    }
}

/// The response of one attempt, before its body is read: see [`Interceptor::after_response`].
pub struct AfterResponse<'a> {
    pub(crate) operation: &'static str,
    pub(crate) attempt: u32,
    pub(crate) status: u16,
    pub(crate) headers: &'a HeaderMap,
}

impl fmt::Debug for AfterResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AfterResponse")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl AfterResponse<'_> {
    /// The operation's identifier in the API document.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
    /// Which attempt this is (1 for the first).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The first value of header `name` (any case), if it is valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// Every header as `(lower-case name, value bytes)`, in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes()))
    }
}

/// A retry about to happen: see [`Interceptor::on_retry`].
#[derive(Debug, Clone)]
pub struct OnRetry {
    pub(crate) operation: &'static str,
    pub(crate) attempt: u32,
    pub(crate) reason: RetryReason,
    pub(crate) wait: Duration,
}

impl OnRetry {
    /// The operation's identifier in the API document.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
    /// The attempt that failed (1 for the first); the next one is `attempt() + 1`.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
    /// Why it is retried.
    pub fn reason(&self) -> RetryReason {
        self.reason
    }
    /// How long the client waits before the next attempt.
    pub fn wait(&self) -> Duration {
        self.wait
    }
}
