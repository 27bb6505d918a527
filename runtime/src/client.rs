//! [`ClientBuilder`] and [`Client`]: transport, auth, retries and response classification.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use tracing::field::Empty;
use tracing::Instrument;

use crate::auth;
use crate::body::Payload;
use crate::call::CallOptions;
use crate::error::{
    BuildError, DecodeError, Error, RequestError, TransportError, TransportErrorKind,
};
use crate::interceptor::{AfterResponse, BeforeSend, Interceptor, Interceptors, OnRetry};
use crate::request::Request;
use crate::response::{ErrorMetadata, ErrorResponse, FromErrorResponse, Headers, Response};
use crate::retry::{classify, may_resend, server_wait, Outcome, RetryPolicy, RetryReason};
use crate::spec::{Method, OperationSpec, ResponseFormat};
use crate::time::{SharedSleep, SharedTimeSource, Sleep, SystemClock, TimeSource, TokioSleep};
use crate::token::AuthError;
use crate::transport::{SharedTransport, Transport};
use crate::types::{basic_auth_value, Credential, Secret};

/// Characters that cannot appear in a cookie value (commas are kept: lists are comma-joined).
const COOKIE_VALUE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b';').add(b'\\').add(b'%');

/// The runtime's own User-Agent product token.
pub const RUNTIME_USER_AGENT: &str = concat!("sdkwright-runtime/", env!("CARGO_PKG_VERSION"));

/// The default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default maximum size of a response body (64 MiB).
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// The default maximum number of redirects followed for one request.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;

/// The default idempotency header ([`ClientBuilder::idempotency_header`]).
pub const DEFAULT_IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// `transport_kind` of a client given to [`ClientBuilder::http_client`].
const REQWEST_CLIENT: &str = "reqwest::Client";
/// `transport_kind` of the client the runtime builds.
const REQWEST_DEFAULT: &str = "reqwest (default)";

/// The `reqwest::Client` the runtime builds itself: built without redirects, so no check that
/// the response's URL is the request's (one URL copy less per request than the `Transport`
/// impl for any `reqwest::Client`).
struct OwnReqwest(reqwest::Client);

impl Transport for OwnReqwest {
    fn send(&self, request: reqwest::Request) -> crate::transport::TransportFuture<'_> {
        let pending = self.0.execute(request);
        Box::pin(async move { pending.await.map_err(TransportError::from_reqwest) })
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    user_agent: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
    credentials: BTreeMap<String, Credential>,
    max_body_size: usize,
    max_redirects: u32,
    sleep: SharedSleep,
    time_source: SharedTimeSource,
    interceptors: Interceptors,
    idempotency_keys: bool,
    idempotency_header: String,
    transport: Option<(SharedTransport, &'static str)>,
    /// Name, value, sensitive; checked by `build`.
    default_headers: Vec<(String, String, bool)>,
    /// WS-Security header of SOAP requests.
    ws_security: Option<crate::soap::UsernameToken>,
    /// GraphQL: GET queries, persisted queries, subscriptions (`graphql.rs`).
    pub(crate) graphql: crate::graphql::GraphQlSettings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .default_headers
            .iter()
            .map(|(k, v, s)| (k.as_str(), if *s { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("credentials", &self.credentials)
            .field("max_body_size", &self.max_body_size)
            .field("max_redirects", &self.max_redirects)
            .field("transport", &self.transport.as_ref().map(|(_, k)| *k))
            .field("default_headers", &headers)
            .field("interceptors", &self.interceptors)
            .field("idempotency_keys", &self.idempotency_keys)
            .field("idempotency_header", &self.idempotency_header)
            .field("ws_security", &self.ws_security)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with this base URL, the default retry policy, a 30 s timeout, a 64 MiB
    /// maximum body size and at most 10 redirects.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            user_agent: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            credentials: BTreeMap::new(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            sleep: Arc::new(TokioSleep),
            time_source: Arc::new(SystemClock),
            interceptors: Interceptors::default(),
            idempotency_keys: false,
            idempotency_header: DEFAULT_IDEMPOTENCY_HEADER.to_owned(),
            transport: None,
            default_headers: Vec::new(),
            ws_security: None,
            graphql: crate::graphql::GraphQlSettings::default(),
        }
    }
    /// Overrides the base URL.
    ///
    /// A user name and password in it (`https://user:pass@host/`) are taken out of the URL and
    /// sent as `Authorization: Basic` (unless the operation's own auth sets `Authorization`);
    /// they never show in `Debug` output or in errors.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// User-Agent product token of the generated crate (`name/version`); the runtime appends
    /// its own (`sdkwright-runtime/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }
    /// Per-request timeout (connect to end of body, each attempt, redirects included).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// Retry policy.
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
        self
    }
    /// Registers the credential for the security scheme named `scheme` (replacing any earlier).
    pub fn credential(mut self, scheme: &str, c: Credential) -> Self {
        self.credentials.insert(scheme.to_owned(), c);
        self
    }
    /// The largest response body read, in bytes (default [`DEFAULT_MAX_BODY_SIZE`], 64 MiB).
    /// The body is read in chunks and reading stops as soon as it goes past this size (or as
    /// soon as `Content-Length` announces more), with a [`crate::TransportError`] of kind
    /// [`crate::TransportErrorKind::BodyTooLarge`].
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }
    /// The most redirects (301, 302, 303, 307, 308 with a `Location`) followed for one request
    /// (default [`DEFAULT_MAX_REDIRECTS`]); one more is an error. `0`: redirects are not
    /// followed, a 3xx response is an error response like any other.
    ///
    /// Whatever the limit, a redirect to another origin (scheme, host, port) carries no
    /// credential (no `Authorization`, API-key header or query key, cookie, nor any header
    /// parameter), a redirect from `https` to `http` is refused, and a request body is never
    /// sent to another origin: 303 (and 301/302 after a POST) continue as a GET without body,
    /// 307/308 re-send the body only to the same origin and are refused otherwise. The next
    /// URL is the `Location` as sent: query parameters (an API key in the query included) are
    /// not added to it.
    pub fn max_redirects(mut self, n: u32) -> Self {
        self.max_redirects = n;
        self
    }
    /// How the client waits between attempts (default [`TokioSleep`]): replace it to test
    /// retries without waiting.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Arc::new(sleep);
        self
    }
    /// Where the client reads the time (default [`SystemClock`]): for `Retry-After` dates,
    /// rate-limit resets and [`RetryPolicy::max_elapsed`].
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time_source = Arc::new(time);
        self
    }
    /// Adds an [`Interceptor`]; interceptors run in the order they were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.0.push(Arc::new(interceptor));
        self
    }
    /// Whether every POST and PATCH request gets an idempotency key (a random UUID v4, the same
    /// on every attempt, in [`idempotency_header`](Self::idempotency_header)), which makes it
    /// retryable (default `false`). Operations whose API declares an idempotency header always
    /// get one; a key the caller gives wins.
    pub fn idempotency_keys(mut self, enabled: bool) -> Self {
        self.idempotency_keys = enabled;
        self
    }
    /// The header carrying idempotency keys for operations whose API declares none (default
    /// [`DEFAULT_IDEMPOTENCY_HEADER`], `Idempotency-Key`).
    pub fn idempotency_header(mut self, name: impl Into<String>) -> Self {
        self.idempotency_header = name.into();
        self
    }
    /// Sends every request through this reqwest client (proxies, custom TLS roots, connection
    /// pool settings, HTTP/2 options of your own) instead of one the runtime builds.
    ///
    /// **Build it with `.redirect(reqwest::redirect::Policy::none())`.** The runtime follows
    /// redirects itself so that credentials, header parameters and bodies never go to another
    /// origin ([`ClientBuilder::max_redirects`]); a client that follows them on its own sends
    /// the call's headers (API keys included) to wherever the server points. reqwest offers no
    /// way to read a client's redirect policy, so this cannot be checked here: instead a
    /// response whose URL is not the one requested (the client followed a redirect) fails the
    /// call with a [`TransportErrorKind::Redirect`] error, after that first hop was made. Build
    /// it with `.referer(false)` too (reqwest only sends `Referer` while following redirects).
    ///
    /// The runtime sets on every request its `User-Agent` and its timeout
    /// ([`ClientBuilder::timeout`], or a call's own), which replaces the client's total
    /// `timeout`; the client's `connect_timeout` and `read_timeout` still apply. The client is
    /// also used for OAuth 2.0 token requests. `reqwest` is re-exported as
    /// [`sdkwright_runtime::reqwest`](crate::reqwest), so the versions always match.
    ///
    /// ```
    /// use sdkwright_runtime::{reqwest, ClientBuilder};
    ///
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none()) // required
    ///     .referer(false)
    ///     .no_proxy()
    ///     .pool_max_idle_per_host(4)
    ///     .build()?;
    /// let client = ClientBuilder::new("https://api.example.com").http_client(http).build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some((Arc::new(client), REQWEST_CLIENT));
        self
    }
    /// Sends every request through `transport` (see [`Transport`]): a wrapper around a
    /// `reqwest::Client`, another HTTP stack, or a test double such as `FakeTransport`
    /// (feature `test-util`). Replaces [`ClientBuilder::http_client`]; the last one set wins.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some((Arc::new(transport), "custom"));
        self
    }
    /// A header sent with every request of this client, unless the operation sets the same
    /// header itself (a parameter, auth, `Accept`, `Content-Type`) or the call does
    /// ([`CallOptions::header`]). Like every header of a call, it is not sent on a redirect to
    /// another origin. An invalid name or value makes [`ClientBuilder::build`] fail.
    ///
    /// ```
    /// use sdkwright_runtime::ClientBuilder;
    ///
    /// let client = ClientBuilder::new("https://api.example.com")
    ///     .default_header("x-tenant", "acme")
    ///     .default_secret_header("x-api-secret", "s3cr3t")
    ///     .build()?;
    /// assert!(!format!("{client:?}").contains("s3cr3t"));
    /// # Ok::<(), sdkwright_runtime::BuildError>(())
    /// ```
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers
            .push((name.into(), value.into(), false));
        self
    }
    /// A default header holding a secret: as [`ClientBuilder::default_header`], and its value
    /// never shows in `Debug` output (it is also marked sensitive for HTTP/2 header
    /// compression).
    pub fn default_secret_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.default_headers.push((name.into(), value.into(), true));
        self
    }
    /// Sends this WS-Security `UsernameToken` in the `Header` of every SOAP request (see
    /// [`UsernameToken`](crate::UsernameToken)); other requests are unchanged.
    pub fn ws_security(mut self, token: crate::soap::UsernameToken) -> Self {
        self.ws_security = Some(token);
        self
    }
    /// Builds the client. Fails if the base URL is not an absolute `http(s)` URL, a default
    /// header is invalid, or the HTTP client cannot be initialized.
    pub fn build(self) -> Result<Client, BuildError> {
        let shown = redact_url(&self.base_url);
        let mut url = Url::parse(&self.base_url)
            .map_err(|e| BuildError::with_source(format!("invalid base URL `{shown}`"), e))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BuildError::new(format!(
                "base URL `{shown}` is not http(s)"
            )));
        }
        let idempotency_header = HeaderName::from_bytes(self.idempotency_header.as_bytes())
            .map_err(|e| {
                BuildError::with_source(
                    format!("invalid idempotency header `{}`", self.idempotency_header),
                    e,
                )
            })?;
        let url_credential = take_userinfo(&mut url);
        let base_url = match url_credential {
            Some(_) => url.as_str().to_owned(),
            None => self.base_url,
        };
        // Parsed once: each request's URL is this one with its path set (`build_url`), when
        // the base URL has no query or fragment that the joined text would have moved.
        let base_parsed = (url.query().is_none() && url.fragment().is_none()).then_some(url);
        let user_agent = match &self.user_agent {
            Some(ua) if !ua.trim().is_empty() => format!("{} {RUNTIME_USER_AGENT}", ua.trim()),
            _ => RUNTIME_USER_AGENT.to_owned(),
        };
        let mut default_headers = HeaderMap::new();
        for (name, value, sensitive) in &self.default_headers {
            insert(&mut default_headers, name, value, *sensitive)
                .map_err(|e| BuildError::new(format!("default header: {}", e.message())))?;
        }
        let mut own = None;
        let (transport, transport_kind) = match self.transport {
            Some(t) => t,
            None => {
                let http = reqwest::Client::builder()
                    .user_agent(user_agent.clone())
                    .timeout(self.timeout)
                    // Redirects are followed by `Client::send_following`, which knows which
                    // headers are credentials; no `Referer` either (it would carry query keys
                    // to the next origin).
                    .redirect(reqwest::redirect::Policy::none())
                    .referer(false)
                    .build()
                    .map_err(|e| BuildError::with_source("cannot initialize the HTTP client", e))?;
                own = Some(http.clone());
                (
                    Arc::new(OwnReqwest(http)) as SharedTransport,
                    REQWEST_DEFAULT,
                )
            }
        };
        let user_agent_value = HeaderValue::from_str(&user_agent)
            .map_err(|e| BuildError::with_source("invalid User-Agent", e))?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                own,
                transport_times_out: matches!(transport_kind, REQWEST_CLIENT | REQWEST_DEFAULT),
                transport_kind,
                default_headers,
                user_agent_value,
                base_url,
                base_parsed,
                url_credential,
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
                credentials: self
                    .credentials
                    .into_iter()
                    .map(|(scheme, c)| (scheme, auth::Stored::new(c)))
                    .collect(),
                max_body_size: self.max_body_size,
                max_redirects: self.max_redirects,
                sleep: self.sleep,
                time_source: self.time_source,
                interceptors: self.interceptors,
                idempotency_keys: self.idempotency_keys,
                idempotency_header,
                ws_security: self.ws_security,
                graphql: self.graphql,
            }),
        })
    }
}

/// Takes the user name and password out of `url` (percent-decoded).
fn take_userinfo(url: &mut Url) -> Option<(String, Secret)> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let user = decode(url.username());
    let password = Secret::new(decode(url.password().unwrap_or("")));
    // Cannot fail for an http(s) URL with a host, which `build` checked.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some((user, password))
}

/// `url` with the password of its user information (if any) replaced by `***`, for messages.
fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let auth_start = scheme_end + 3;
    let rest = &url[auth_start..];
    let auth_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..auth_len];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    let user = userinfo.split(':').next().unwrap_or("");
    format!(
        "{}{user}:***{}",
        &url[..auth_start],
        &url[auth_start + at..]
    )
}

pub(crate) struct Inner {
    transport: SharedTransport,
    /// The `reqwest::Client` the runtime built (no transport given), also in `transport`:
    /// a call's first hop awaits its future directly, not boxed behind the `Transport` trait.
    own: Option<reqwest::Client>,
    /// The transport is a `reqwest::Client`, which applies each request's timeout itself (the
    /// runtime then sets no timer of its own around it).
    transport_times_out: bool,
    /// For `Debug`: which transport.
    transport_kind: &'static str,
    default_headers: HeaderMap,
    user_agent_value: HeaderValue,
    base_url: String,
    /// `base_url` parsed, unless it has a query or fragment.
    base_parsed: Option<Url>,
    url_credential: Option<(String, Secret)>,
    user_agent: String,
    timeout: Duration,
    retry: RetryPolicy,
    credentials: BTreeMap<String, auth::Stored>,
    pub(crate) max_body_size: usize,
    max_redirects: u32,
    sleep: SharedSleep,
    time_source: SharedTimeSource,
    interceptors: Interceptors,
    idempotency_keys: bool,
    idempotency_header: HeaderName,
    ws_security: Option<crate::soap::UsernameToken>,
    pub(crate) graphql: crate::graphql::GraphQlSettings,
}

/// A configured HTTP client shared by all operations of a generated crate. Cheap to clone.
///
/// Its `Debug` output shows the configuration with credential values redacted (a password from
/// the base URL included).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url_user = self.inner.url_credential.as_ref().map(|(u, _)| u);
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("base_url_user", &url_user)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("credentials", &self.inner.credentials)
            .field("max_body_size", &self.inner.max_body_size)
            .field("max_redirects", &self.inner.max_redirects)
            .field("interceptors", &self.inner.interceptors)
            .field("idempotency_keys", &self.inner.idempotency_keys)
            .field("idempotency_header", &self.inner.idempotency_header)
            .field("transport", &self.inner.transport_kind)
            .field("default_headers", &self.inner.default_headers)
            .field("ws_security", &self.inner.ws_security)
            .finish_non_exhaustive()
    }
}

fn to_reqwest(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Put => reqwest::Method::PUT,
        Method::Post => reqwest::Method::POST,
        Method::Delete => reqwest::Method::DELETE,
        Method::Options => reqwest::Method::OPTIONS,
        Method::Head => reqwest::Method::HEAD,
        Method::Patch => reqwest::Method::PATCH,
        Method::Trace => reqwest::Method::TRACE,
    }
}

/// A request ready to be sent (and re-sent on retry).
#[derive(Clone)]
pub(crate) struct Prepared {
    name: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Payload>,
    /// Headers that describe the body (`Content-Type`, `SOAPAction`): dropped with it.
    pub(crate) body_headers: Vec<HeaderName>,
    /// The timeout of each attempt: the call's own, else the client's.
    pub(crate) timeout: Duration,
}

/// The future of [`Client::send_traced`]: boxed.
pub(crate) type SendFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Failure>> + Send + 'a>>;

/// The future of [`Client::redirects_boxed`]: the final response, or the failure and the
/// number of redirects followed before it.
type RedirectFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<reqwest::Response, (Failure, u32)>> + Send + 'a>,
>;

/// What [`Client::prepare_again`] needs to make a call's prepared request again.
#[derive(Clone, Copy)]
struct Again<'a> {
    req: &'a Request,
    auth: &'a auth::Authorization,
    key: Option<&'a (HeaderName, HeaderValue)>,
    payload: Option<&'a Payload>,
}

/// A response with its body read, before classification.
pub(crate) struct Raw {
    pub(crate) status: u16,
    pub(crate) headers: Headers,
    pub(crate) body: bytes::Bytes,
    pub(crate) format: ResponseFormat,
}

/// A response whose headers arrived and whose body is not read yet.
pub(crate) struct Head {
    pub(crate) status: u16,
    pub(crate) headers: Headers,
    pub(crate) resp: reqwest::Response,
    pub(crate) format: ResponseFormat,
}

/// What the retry loop returns: a response read whole, or (streaming) its head.
pub(crate) enum Sent {
    Read(Raw),
    Head(Head),
}

impl Sent {
    /// The response read whole (what the loop returns unless asked to stream).
    pub(crate) fn into_raw(self) -> Result<Raw, Failure> {
        match self {
            Sent::Read(raw) => Ok(raw),
            Sent::Head(head) => Err(Failure::Transport(TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "internal: the body of a {} response was not read",
                    head.status
                ),
            ))),
        }
    }
}

/// What the redirects after a call's first hop go on with (`Client::follow_redirects`).
struct Redirects {
    name: &'static str,
    method: reqwest::Method,
    body: Option<Payload>,
    body_headers: Vec<HeaderName>,
    timeout: Duration,
    deadline: tokio::time::Instant,
}

/// The future of the runtime's own `reqwest::Client` (`execute`'s, not nameable).
trait OwnFuture:
    std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + Unpin
{
}

impl<F> OwnFuture for F where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + Unpin
{
}

/// The future of an attempt's first hop ([`Client::sending`]): one type, so that the retry
/// loop's future has room for one of them.
enum Sending<'a, F> {
    /// The runtime's own `reqwest::Client`: its future (`reqwest::Client::execute`), unboxed.
    Own(F),
    /// A `Transport` that applies the request's timeout itself (a user's `reqwest::Client`).
    Transport(crate::transport::TransportFuture<'a>),
    /// Any other `Transport`, with the runtime's timer around it.
    /// (The operation and the timeout, for the error.)
    Timed(
        std::pin::Pin<Box<tokio::time::Timeout<crate::transport::TransportFuture<'a>>>>,
        &'static str,
        Duration,
    ),
    /// Not sent: no time left.
    Failed(Option<TransportError>),
}

impl<F> std::future::Future for Sending<'_, F>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Unpin,
{
    type Output = Result<reqwest::Response, TransportError>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        match self.get_mut() {
            Sending::Own(f) => std::pin::Pin::new(f)
                .poll(cx)
                .map_err(TransportError::from_reqwest),
            Sending::Transport(f) => f.as_mut().poll(cx),
            Sending::Timed(f, name, timeout) => match f.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Ok(r)) => Poll::Ready(r),
                Poll::Ready(Err(_)) => Poll::Ready(Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no response to `{name}` within {timeout:?}"),
                ))),
            },
            Sending::Failed(e) => Poll::Ready(Err(e.take().unwrap_or_else(|| {
                TransportError::new(TransportErrorKind::Other, "internal: polled again")
            }))),
        }
    }
}

/// What an attempt's first hop leaves for the redirects after it ([`Client::first_hop`]).
struct FirstHop {
    /// When the redirects' time is up (the timeout counts from the first hop).
    deadline: tokio::time::Instant,
    /// The URL and headers sent, when an interceptor changed them (boxed: rare).
    kept: Option<Box<(Url, HeaderMap)>>,
}

/// Why a request failed before any response could be classified.
pub(crate) enum Failure {
    Request(RequestError),
    Transport(TransportError),
    Auth(AuthError),
}

impl<E> From<Failure> for Error<E> {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Request(e) => Error::Request(e),
            Failure::Transport(e) => Error::transport(e),
            Failure::Auth(e) => Error::Auth(e),
        }
    }
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        Failure::Auth(e)
    }
}

impl From<RequestError> for Failure {
    fn from(e: RequestError) -> Self {
        Failure::Request(e)
    }
}

impl Client {
    /// A builder with this base URL.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL (without any user name or password it was given with).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The User-Agent sent.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The maximum response body size, in bytes.
    pub fn max_body_size(&self) -> usize {
        self.inner.max_body_size
    }

    /// Sends the request (auth, retries, redirects, timeout) and classifies the response: a 2xx
    /// is returned as [`Response`] for decoding; any other status becomes
    /// `Error::Api(E::from_response(..))`. If the error body does not decode as the type
    /// declared for its status, the result is `Error::Api(E::unknown(..))` (status, headers,
    /// body and the reason), or `Error::Decode` with the status and a body snippet for error
    /// types without an `unknown` variant.
    ///
    /// Only the classification is generic: sending, retrying, following redirects and reading
    /// the body happen in one non-generic function shared by every operation.
    #[doc(hidden)]
    pub async fn execute<E: FromErrorResponse>(&self, req: Request) -> Result<Response, Error<E>> {
        self.execute_raw(req).await.map_err(Rejected::into_error)
    }

    /// [`Client::execute`] up to the error's type: what is not a 2xx [`Response`] is kept
    /// as [`Rejected`], typed by the caller (this part is compiled once, not once per error
    /// type).
    pub(crate) async fn execute_raw(&self, req: Request) -> Result<Response, Rejected> {
        let spec = req.spec;
        let raw = self.send(req).await.map_err(Rejected::Failure)?;
        if raw.format == ResponseFormat::GraphQl && !(200..300).contains(&raw.status) {
            // GraphQL errors in an error status (validation errors as 400): typed, not `Api`.
            if let Some(g) =
                crate::response::graphql_errors_of(spec.name, raw.status, &raw.headers, &raw.body)
            {
                return Err(Rejected::GraphQl(g));
            }
        }
        if (200..300).contains(&raw.status) {
            return Ok(Response {
                status: raw.status,
                headers: raw.headers,
                body: raw.body,
                format: raw.format,
            });
        }
        Err(Rejected::Api(spec, raw))
    }

    /// Sends the request as [`Client::execute`] does (auth, retries, redirects) but returns a
    /// 2xx response as soon as its headers arrive, its body unread: retries stop there, the body
    /// is the caller's to stream, and `max_body_size` does not apply to it (an error response's
    /// body is read, bounded, and classified as `execute` does).
    pub(crate) async fn execute_head<E: FromErrorResponse>(
        &self,
        req: Request,
    ) -> Result<Head, Error<E>> {
        let spec = req.spec;
        let head = self.send_head(req).await?;
        if (200..300).contains(&head.status) {
            return Ok(head);
        }
        let status = head.status;
        let body = read_body(head.resp, self.inner.max_body_size)
            .await
            .map_err(|e| Error::transport(e.at_status(status)))?;
        if head.format == ResponseFormat::GraphQl {
            if let Some(g) =
                crate::response::graphql_errors_of(spec.name, status, &head.headers, &body)
            {
                return Err(Error::GraphQl(g));
            }
        }
        Err(api_error(
            spec,
            Raw {
                status,
                headers: head.headers,
                body,
                format: head.format,
            },
        ))
    }

    /// Sends the request (auth, retries, redirects, timeout) and decodes the response
    /// (contract 4): a 2xx body as `T`; any other status (a GraphQL response with `errors`, a
    /// SOAP Fault) as [`Error::Api`] / [`Error::GraphQl`] with the status, headers, raw body and,
    /// when it decodes as the type the operation declares for that status, the typed error body
    /// `B`.
    #[doc(hidden)]
    pub async fn call<T, B>(&self, req: Request) -> Result<T, Error<crate::ApiError<B>>>
    where
        T: serde::de::DeserializeOwned,
        B: crate::response::ErrorBody,
    {
        let spec = req.spec;
        let raw = self.send(req).await?;
        crate::response::finish(spec, raw.status, raw.headers, raw.body)
    }

    /// [`Client::call`], with the response's status and headers beside the body (generated
    /// `send_with_response()`).
    #[doc(hidden)]
    pub async fn call_with_response<T, B>(
        &self,
        req: Request,
    ) -> Result<crate::ApiResponse<T>, Error<crate::ApiError<B>>>
    where
        T: serde::de::DeserializeOwned,
        B: crate::response::ErrorBody,
    {
        let spec = req.spec;
        let raw = self.send(req).await?;
        crate::response::finish_with_headers(spec, raw.status, raw.headers, raw.body)
    }

    /// [`Client::call_bytes`], with the response's status and headers beside the bytes.
    #[doc(hidden)]
    pub async fn call_bytes_with_response<B>(
        &self,
        req: Request,
    ) -> Result<crate::ApiResponse<Vec<u8>>, Error<crate::ApiError<B>>>
    where
        B: crate::response::ErrorBody,
    {
        let spec = req.spec;
        let raw = self.send(req).await?;
        if (200..300).contains(&raw.status) {
            return Ok(crate::ApiResponse::new(
                raw.status,
                raw.headers,
                raw.body.into(),
            ));
        }
        crate::response::finish::<(), B>(spec, raw.status, raw.headers, raw.body)
            .map(|()| crate::ApiResponse::new(raw.status, Headers::default(), Vec::new()))
    }

    /// [`Client::call`] for a binary (2xx) response: its bytes.
    #[doc(hidden)]
    pub async fn call_bytes<B>(&self, req: Request) -> Result<Vec<u8>, Error<crate::ApiError<B>>>
    where
        B: crate::response::ErrorBody,
    {
        let spec = req.spec;
        let raw = self.send(req).await?;
        if (200..300).contains(&raw.status) {
            return Ok(raw.body.into());
        }
        crate::response::finish::<(), B>(spec, raw.status, raw.headers, raw.body)
            .map(|()| Vec::new())
    }

    /// Builds, sends (retrying per the policy), follows redirects and reads the body, in a
    /// `tracing` span per call and one per attempt.
    pub(crate) async fn send(&self, req: Request) -> Result<Raw, Failure> {
        // GraphQL automatic persisted queries may send a request twice.
        crate::graphql::send(self, req).await
    }

    /// [`Client::send`], one request (of a GraphQL persisted query's two).
    pub(crate) async fn send_once(&self, req: Request) -> Result<Raw, Failure> {
        self.send_traced(req, false).await?.into_raw()
    }

    /// Builds, sends (retrying per the policy) and follows redirects, up to the response
    /// headers: the body is not read, and nothing is retried once the headers arrived.
    async fn send_head(&self, req: Request) -> Result<Head, Failure> {
        match self.send_traced(req, true).await? {
            Sent::Head(head) => Ok(head),
            Sent::Read(raw) => Err(Failure::Transport(TransportError::new(
                TransportErrorKind::Other,
                format!("internal: the body of a {} response was read", raw.status),
            ))),
        }
    }

    /// [`Client::send`] or [`Client::send_head`] (`stream`) in a `tracing` span per call: one
    /// boxed future that owns a clone of the client.
    ///
    /// Not an `async fn`: the retry loop's state (the request, the prepared request, the
    /// transport's and the body reader's futures) goes on the heap here, once, so that it is
    /// not held, and copied, again by every future that awaits it (what a generated call holds
    /// stays small, which counts when many calls are in flight).
    pub(crate) fn send_traced(&self, req: Request, stream: bool) -> SendFuture<'static, Sent> {
        boxed_send(self.clone(), req, stream)
    }

    /// What a generated call's `send()` awaits ([`crate::builder::ResponseFuture`]): the whole
    /// call (auth, retries, redirects, reading the body) as one boxed future, or, for a GraphQL
    /// persisted query that may take two requests, [`Client::send`] boxed.
    pub(crate) fn send_boxed(self, req: Request) -> SendFuture<'static, Sent> {
        if crate::graphql::persisted_hash(&self, &req).is_some() {
            return Box::pin(async move { self.send(req).await.map(Sent::Read) });
        }
        boxed_send(self, req, false)
    }

    /// The idempotency header and key of this call, if it has one: the caller's key (given per
    /// call, or as a header parameter of that name), else a new random UUID when the API
    /// declares an idempotency header for the operation, or when the client adds keys to every
    /// POST and PATCH.
    fn idempotency_key(
        &self,
        req: &Request,
        prepared: &Prepared,
    ) -> Result<Option<(HeaderName, HeaderValue)>, RequestError> {
        let spec = req.spec;
        if req.options.get_idempotency_key().is_none()
            && spec.idempotency_header.is_none()
            && spec.method.is_idempotent()
        {
            // No key of the caller's, none to add, and none needed to retry: a header parameter
            // of the idempotency header's name is sent as it is.
            return Ok(None);
        }
        self.idempotency_key_of(req, prepared)
    }

    /// [`Client::idempotency_key`] of a call that may have one (out of line: most calls are
    /// idempotent and have none).
    #[inline(never)]
    fn idempotency_key_of(
        &self,
        req: &Request,
        prepared: &Prepared,
    ) -> Result<Option<(HeaderName, HeaderValue)>, RequestError> {
        let inner = &*self.inner;
        let spec = req.spec;
        let name = match spec.idempotency_header {
            Some(h) => HeaderName::from_bytes(h.as_bytes()).map_err(|e| {
                let msg = format!("invalid idempotency header `{h}` of `{}`", spec.name);
                RequestError::with_source(msg, e)
            })?,
            None => inner.idempotency_header.clone(),
        };
        if let Some(k) = req.options.get_idempotency_key() {
            let v = HeaderValue::from_str(k).map_err(|e| {
                RequestError::with_source(format!("invalid idempotency key for `{}`", spec.name), e)
            })?;
            return Ok(Some((name, v)));
        }
        if let Some(v) = prepared.headers.get(&name) {
            return Ok(Some((name.clone(), v.clone())));
        }
        let automatic = spec.idempotency_header.is_some()
            || (inner.idempotency_keys && !spec.method.is_idempotent());
        if !automatic {
            return Ok(None);
        }
        let key = uuid::Uuid::new_v4().hyphenated().to_string();
        let v = HeaderValue::from_str(&key)
            .map_err(|e| RequestError::with_source("invalid idempotency key", e))?;
        Ok(Some((name, v)))
    }

    /// Runs the interceptors' `before_send` on this attempt's prepared request; `false` when
    /// there is none (out of line: most clients have none).
    #[cold]
    #[inline(never)]
    fn before_send(
        &self,
        spec: &OperationSpec,
        p: &mut Prepared,
        attempt: u32,
    ) -> Result<bool, Failure> {
        let interceptors = &self.inner.interceptors.0;
        if interceptors.is_empty() {
            return Ok(false);
        }
        let name = p.name;
        let mut ctx = BeforeSend {
            operation: spec.name,
            path_template: spec.path,
            attempt,
            method: &p.method,
            url: &p.url,
            headers: &mut p.headers,
            body: p.body.as_ref().and_then(Payload::as_bytes).map(|b| &b[..]),
            streamed_body: p.body.as_ref().is_some_and(|b| b.as_bytes().is_none()),
        };
        for i in interceptors {
            i.before_send(&mut ctx).map_err(|e| {
                let msg = format!("an interceptor refused the request for `{name}`");
                Failure::Request(RequestError::with_source(msg, e))
            })?;
        }
        Ok(true)
    }

    /// The prepared request of the call made again (another attempt, or a redirect's next hop
    /// when no interceptor changed the first): the same URL and headers (auth from
    /// `again.auth`, the idempotency key), and the body as first encoded.
    fn prepare_again(&self, again: &Again<'_>) -> Result<Prepared, RequestError> {
        let mut p = self.prepare(again.req, again.auth)?;
        p.body = again.payload.cloned();
        if let Some((name, value)) = again.key {
            p.headers.insert(name.clone(), value.clone());
        }
        Ok(p)
    }

    /// Tells the interceptors and `tracing`, then waits.
    async fn before_retry(
        &self,
        operation: &'static str,
        attempt: u32,
        reason: RetryReason,
        wait: Duration,
    ) {
        tracing::debug!(attempt, reason = %reason, wait_ms = wait.as_millis() as u64, "retrying");
        let info = OnRetry {
            operation,
            attempt,
            reason,
            wait,
        };
        for i in &self.inner.interceptors.0 {
            i.on_retry(&info);
        }
        self.inner.sleep.sleep(wait).await;
    }

    /// This attempt's first hop: `p` made into the `reqwest::Request` sent, with its timeout
    /// and, when in memory, its body (a streamed body is opened by the caller, an `async`
    /// step), and what the redirects after it would go on with. With `intercepted` (an
    /// interceptor changed the request), a copy of the URL and headers is kept for them;
    /// otherwise they make the request again (no copy made for the common case of no
    /// redirect).
    ///
    /// Not part of an `async` block: the retry loop's future holds, while the request is
    /// sent, only the transport's future and this small `FirstHop`, not the prepared request
    /// nor the futures of helpers that took it by value (a future keeps its arguments' room
    /// even once they are moved out).
    ///
    /// The request's timeout is set unless it is `own_timeout`, the timeout the runtime's own
    /// reqwest client was built with, which that client applies to a request that has none:
    /// setting it would allocate the request's extensions map (two allocations and a hash
    /// table insert per call) for the same timer.
    fn first_hop(
        p: Prepared,
        intercepted: bool,
        own_timeout: Option<Duration>,
    ) -> (reqwest::Request, FirstHop) {
        let kept = if intercepted {
            Some(keep(&p.url, &p.headers))
        } else {
            None
        };
        let deadline = tokio::time::Instant::now() + p.timeout;
        let mut request = reqwest::Request::new(p.method, p.url);
        *request.headers_mut() = p.headers;
        if own_timeout != Some(p.timeout) {
            *request.timeout_mut() = Some(p.timeout);
        }
        if let Some(Payload::Bytes(b)) = p.body {
            *request.body_mut() = Some(reqwest::Body::from(b));
        }
        (request, FirstHop { deadline, kept })
    }

    /// The first hop's request handed to the transport (see [`Sending`]).
    fn sending(
        &self,
        name: &'static str,
        request: reqwest::Request,
        timeout: Duration,
    ) -> Sending<'_, impl OwnFuture + use<'_>> {
        let inner = &*self.inner;
        if timeout.is_zero() {
            return Sending::Failed(Some(TransportError::new(
                TransportErrorKind::Timeout,
                "the timeout elapsed while following redirects",
            )));
        }
        match &inner.own {
            // The runtime's own client: its future as it is (one box less per call).
            Some(http) => Sending::Own(http.execute(request)),
            // A reqwest client applies the request's timeout itself: one timer, not two.
            None if inner.transport_times_out => Sending::Transport(inner.transport.send(request)),
            // The runtime enforces the timeout too: a transport that ignores it cannot make
            // the call hang.
            None => Sending::Timed(
                Box::pin(tokio::time::timeout(timeout, inner.transport.send(request))),
                name,
                timeout,
            ),
        }
    }

    /// The redirects after a call's first hop, boxed here (not in the caller: the future is
    /// made in this function's stack frame, which only a redirect pays for). They go on from
    /// the call's request made again (`again`), and from the URL and headers the first hop
    /// sent when an interceptor changed them.
    #[inline(never)]
    fn redirects_boxed<'a>(
        &'a self,
        resp: reqwest::Response,
        hop: FirstHop,
        again: Again<'a>,
    ) -> RedirectFuture<'a> {
        let p = match self.prepare_again(&again) {
            Ok(p) => p,
            Err(e) => return Box::pin(std::future::ready(Err((Failure::Request(e), 0)))),
        };
        let redirects = Redirects {
            name: p.name,
            method: p.method,
            body: p.body,
            body_headers: p.body_headers,
            timeout: p.timeout,
            deadline: hop.deadline,
        };
        let kept = match hop.kept {
            Some(kept) => *kept,
            None => (p.url, p.headers),
        };
        Box::pin(self.follow_redirects(resp, kept, redirects))
    }

    /// Whether `resp` is a redirect the client follows.
    fn follows(&self, resp: &reqwest::Response) -> bool {
        matches!(resp.status().as_u16(), 301 | 302 | 303 | 307 | 308)
            && self.inner.max_redirects > 0
            && resp.headers().contains_key(reqwest::header::LOCATION)
    }

    /// One hop: the request sent with what is left of the timeout.
    #[allow(clippy::too_many_arguments)]
    // An `async fn` would store its arguments in its future twice.
    #[allow(clippy::manual_async_fn)]
    fn hop<'a>(
        &'a self,
        name: &'static str,
        method: reqwest::Method,
        url: Url,
        headers: HeaderMap,
        body: Option<&'a Payload>,
        deadline: tokio::time::Instant,
        timeout: Duration,
    ) -> impl std::future::Future<Output = Result<reqwest::Response, Failure>> + Send + 'a {
        async move {
            let inner = &*self.inner;
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return Err(Failure::Transport(TransportError::new(
                    TransportErrorKind::Timeout,
                    "the timeout elapsed while following redirects",
                )));
            }
            let opened = match body {
                Some(b) => Some(b.open(name).await.map_err(Failure::Request)?),
                None => None,
            };
            // Made and handed over in one block: not kept in the future while it is sent.
            let sending = {
                let mut request = reqwest::Request::new(method, url);
                *request.headers_mut() = headers;
                *request.timeout_mut() = Some(left);
                *request.body_mut() = opened;
                inner.transport.send(request)
            };
            // The transport gets what is left of the timeout, and the runtime enforces it too:
            // a transport that ignores it cannot make the call hang.
            // (A reqwest client applies the request's timeout itself: one timer, not two.)
            let sent = if inner.transport_times_out {
                sending.await
            } else {
                match tokio::time::timeout(left, sending).await {
                    Ok(r) => r,
                    Err(_) => Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no response to `{name}` within {timeout:?}"),
                    )),
                }
            };
            sent.map_err(Failure::Transport)
        }
    }

    /// The redirects after the first hop's answer `resp` (a redirect [`Client::follows`]):
    /// each next hop continues from `kept` (the URL and headers of the hop that was answered
    /// by the redirect) or, without it, from the request prepared again (`rebuild`).
    async fn follow_redirects(
        &self,
        mut resp: reqwest::Response,
        kept: (Url, HeaderMap),
        r: Redirects,
    ) -> Result<reqwest::Response, (Failure, u32)> {
        let inner = &*self.inner;
        let Redirects {
            name,
            mut method,
            mut body,
            body_headers,
            timeout,
            deadline,
        } = r;
        let mut kept = Some(kept);
        let mut hops = 0u32;
        loop {
            let status = resp.status().as_u16();
            let Some(location) = resp.headers().get(reqwest::header::LOCATION) else {
                return Ok(resp);
            };
            let refuse = |msg: String| {
                let e = TransportError::new(TransportErrorKind::Redirect, msg).at_status(status);
                (Failure::Transport(e), hops)
            };
            if hops >= inner.max_redirects {
                return Err(refuse(format!(
                    "more than {} redirects (ClientBuilder::max_redirects)",
                    inner.max_redirects
                )));
            }
            let (url, mut headers) = kept
                .take()
                .ok_or_else(|| refuse("internal: no request to redirect".into()))?;
            let next = next_hop(&url, location.as_bytes(), status, &method, body.is_some())
                .map_err(refuse)?;
            if !next.drop_body && body.as_ref().is_some_and(|b| !b.replayable()) {
                return Err(refuse(format!(
                    "a {status} redirect would send the request body again, and it is a stream \
                     (sent at most once: FilePart::from_stream)"
                )));
            }
            method = next.method;
            if next.drop_body && body.take().is_some() {
                for h in &body_headers {
                    headers.remove(h);
                }
            }
            if !next.same_origin {
                // Nothing from the call goes to another origin: no credential, no header
                // parameter, no cookie (query parameters are not carried: the next URL is the
                // Location as sent).
                retain_only_safe(&mut headers);
            }
            drop(resp);
            hops += 1;
            // What the next redirect continues from.
            kept = Some((next.url.clone(), headers.clone()));
            resp = self
                .hop(
                    name,
                    method.clone(),
                    next.url,
                    headers,
                    body.as_ref(),
                    deadline,
                    timeout,
                )
                .await
                .map_err(|f| (f, hops))?;
            if !self.follows(&resp) {
                return Ok(resp);
            }
        }
    }

    pub(crate) fn auth_env(&self) -> auth::AuthEnv<'_> {
        auth::AuthEnv {
            credentials: &self.inner.credentials,
            transport: &*self.inner.transport,
            timeout: self.inner.timeout,
            base_url: &self.inner.base_url,
        }
    }

    pub(crate) fn prepare(
        &self,
        req: &Request,
        auth: &auth::Authorization,
    ) -> Result<Prepared, RequestError> {
        let spec = req.spec;
        // A next-page URL (pagination) replaces the path and the query it would build.
        let mut url = match &req.next_url {
            Some(next) => (**next).clone(),
            None => {
                let inner = &*self.inner;
                let mut url = build_url(
                    &inner.base_url,
                    inner.base_parsed.as_ref(),
                    spec,
                    &req.path_params,
                )?;
                req.append_query(&mut url);
                url
            }
        };
        let mut headers = HeaderMap::new();
        let accept = match spec.response {
            // The common case, without parsing or copying the value.
            ResponseFormat::Json | ResponseFormat::GraphQl => {
                Some(HeaderValue::from_static("application/json"))
            }
            f => other_accept(f),
        };
        if let Some(a) = accept {
            headers.insert(reqwest::header::ACCEPT, a);
        }
        // What most calls skip is out of line (`#[cold]` functions), so that the code a call
        // runs is a few cache lines, not spread over the rare branches' code.
        let mut body = match (&req.body, spec.body) {
            (None, None) => None,
            _ => req.effective_body()?,
        };
        if let (Some(_), Some(crate::spec::BodyFormat::Soap { addressing, .. })) =
            (&body, spec.body)
        {
            self.soap_headers(spec, addressing, &url, &mut body)?;
        }
        let body_headers = match &body {
            Some(b) => body_headers(&mut headers, b)?,
            None => Vec::new(),
        };
        if !req.headers.is_empty() {
            parameter_headers(&mut headers, &req.headers)?;
        }
        // Credentials: headers, query keys (after the parameters') and cookies (after the
        // parameters', below), in the order of the chosen security alternative.
        let mut auth_cookies: Vec<(&str, &str)> = Vec::new();
        for placed in auth.placed(&self.inner.credentials) {
            match placed {
                auth::Placed::Header(k, auth::AuthValue::Ready(v)) => {
                    let n = auth::header_name(k).map_err(|e| bad_header_name(k, e))?;
                    headers.append(n, v.clone());
                }
                auth::Placed::Header(k, auth::AuthValue::Text(v)) => {
                    insert(&mut headers, k, &v, true)?;
                }
                auth::Placed::Query(k, v) => append_auth_query(&mut url, k, v),
                auth::Placed::Cookie(k, v) => auth_cookies.push((k, v)),
            }
        }
        if let Some((user, password)) = &self.inner.url_credential {
            url_credential(&mut headers, user, password)?;
        }
        if !req.cookies.is_empty() || !auth_cookies.is_empty() {
            cookie_header(&mut headers, &req.cookies, &auth_cookies)?;
        }
        apply_defaults(
            &mut headers,
            &self.inner.default_headers,
            &self.inner.user_agent_value,
        );
        if !req.options.headers().is_empty() {
            apply_call_headers(&mut headers, &req.options)?;
        }
        let mut prepared = Prepared {
            name: spec.name,
            method: to_reqwest(spec.method),
            url,
            headers,
            body: body.map(|b| b.payload),
            body_headers,
            timeout: req.options.get_timeout().unwrap_or(self.inner.timeout),
        };
        // GraphQL: a query as GET, a persisted query's hash.
        if matches!(spec.body, Some(crate::spec::BodyFormat::GraphQl { .. })) {
            crate::graphql::shape(req, &self.inner.graphql, &mut prepared)?;
        }
        Ok(prepared)
    }

    /// A SOAP envelope's WS-Addressing and WS-Security headers (always in memory,
    /// `Payload::Bytes`): WS-Addressing first, then WS-Security, which goes first in the
    /// Header.
    #[cold]
    #[inline(never)]
    fn soap_headers(
        &self,
        spec: &OperationSpec,
        addressing: &str,
        url: &Url,
        body: &mut Option<crate::request::Body>,
    ) -> Result<(), RequestError> {
        let Some(crate::request::Body {
            payload: crate::body::Payload::Bytes(bytes),
            ..
        }) = body.as_mut()
        else {
            return Ok(());
        };
        if !addressing.is_empty() {
            let mut to = url.clone();
            to.set_query(None);
            let header = crate::soap::ws_addressing_headers(addressing, to.as_str());
            let with = crate::soap::with_header_element(bytes, &header).map_err(|m| {
                RequestError::new(format!("WS-Addressing for `{}`: {m}", spec.name))
            })?;
            *bytes = with.into();
        }
        if let Some(token) = &self.inner.ws_security {
            let header = token
                .header_xml(self.inner.time_source.now())
                .and_then(|h| crate::soap::with_header_element(bytes, &h))
                .map_err(|m| RequestError::new(format!("WS-Security for `{}`: {m}", spec.name)))?;
            *bytes = header.into();
        }
        Ok(())
    }
}

/// A copy of the URL and headers a first hop sent, for the redirects after it (when an
/// interceptor changed them: rare, out of line).
#[cold]
#[inline(never)]
fn keep(url: &Url, headers: &HeaderMap) -> Box<(Url, HeaderMap)> {
    Box::new((url.clone(), headers.clone()))
}

/// An auth query parameter (API key in the query), appended to `url`: out of line.
#[cold]
#[inline(never)]
fn append_auth_query(url: &mut Url, k: &str, v: &str) {
    url.query_pairs_mut().append_pair(k, v);
}

/// The error of a header name that is not one.
#[cold]
#[inline(never)]
fn bad_header_name(k: &str, e: reqwest::header::InvalidHeaderName) -> RequestError {
    RequestError::with_source(format!("invalid header name `{k}`"), e)
}

/// An error in a path template or parameter (out of line).
#[cold]
#[inline(never)]
fn path_error(msg: fmt::Arguments<'_>) -> RequestError {
    RequestError::new(msg.to_string())
}

/// The `Accept` header of a response format other than JSON.
#[cold]
#[inline(never)]
fn other_accept(f: ResponseFormat) -> Option<HeaderValue> {
    f.accept().and_then(|a| HeaderValue::from_str(&a).ok())
}

/// The body's `Content-Type` and extra headers (`SOAPAction`), inserted; their names.
#[inline(never)]
fn body_headers(
    headers: &mut HeaderMap,
    b: &crate::request::Body,
) -> Result<Vec<HeaderName>, RequestError> {
    let mut names = Vec::with_capacity(1 + b.headers.len());
    names.push(insert(headers, "content-type", &b.content_type, false)?);
    for (k, v) in &b.headers {
        names.push(insert(headers, k, v, false)?);
    }
    Ok(names)
}

/// Header parameters.
#[cold]
#[inline(never)]
fn parameter_headers(
    headers: &mut HeaderMap,
    params: &[(String, String)],
) -> Result<(), RequestError> {
    for (k, v) in params {
        insert(headers, k, v, false)?;
    }
    Ok(())
}

/// Basic auth from the base URL's userinfo, unless a credential set `Authorization`.
#[cold]
#[inline(never)]
fn url_credential(
    headers: &mut HeaderMap,
    user: &str,
    password: &Secret,
) -> Result<(), RequestError> {
    if !headers.contains_key(reqwest::header::AUTHORIZATION) {
        let v = basic_auth_value(user, password.expose());
        insert(headers, "authorization", &v, true)?;
    }
    Ok(())
}

/// The `Cookie` header: cookie parameters, then the credentials' (sensitive when there are).
#[cold]
#[inline(never)]
fn cookie_header(
    headers: &mut HeaderMap,
    params: &[(String, String)],
    auth_cookies: &[(&str, &str)],
) -> Result<(), RequestError> {
    let cookies: Vec<String> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(auth_cookies.iter().copied())
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, COOKIE_VALUE)))
        .collect();
    let sensitive = !auth_cookies.is_empty();
    insert(headers, "cookie", &cookies.join("; "), sensitive)?;
    Ok(())
}

/// The span of one call: nothing secret (the path template, never the URL, whose query may
/// hold a key; no header value). Made only when a subscriber wants debug spans: without one,
/// even a disabled span costs (with `tracing`'s `log` feature on in the build, each records its
/// fields for `log`).
fn call_span(spec: &OperationSpec) -> tracing::Span {
    if tracing::level_enabled!(tracing::Level::DEBUG) {
        tracing::debug_span!(
            "sdkwright.request",
            operation = spec.name,
            method = spec.method.as_str(),
            path = spec.path,
            attempts = Empty,
            status = Empty,
        )
    } else {
        tracing::Span::none()
    }
}

/// [`send_in`] boxed, instrumented with the call's span when it is wanted. The loop's future
/// goes into the box as it is made (one copy).
fn boxed_send(client: Client, req: Request, stream: bool) -> SendFuture<'static, Sent> {
    let span = call_span(req.spec);
    if span.is_disabled() {
        Box::pin(send_in(client, req, None, stream))
    } else {
        // Boxed in the loop's future: 8 bytes, not 40, for the calls that have none.
        let call = Some(Box::new(span.clone()));
        Box::pin(send_in(client, req, call, stream).instrument(span))
    }
}

/// [`Client::send`] inside its span: the retry loop. Each attempt is sent, classified
/// ([`classify`]: a retryable status, a transport failure, a body cut in the middle) and, if
/// the request may be sent again ([`may_resend`]), retried after the wait the policy gives,
/// until the policy says stop. With `stream`, a response that is not retried is returned with
/// its body unread ([`Sent::Head`]): retries end when the headers arrive.
///
/// Not an `async fn` (whose arguments would be stored twice in its future), and nothing large
/// is kept in a local across an `.await` that does not need it: this future is allocated and
/// moved once per call, so its size is paid on every call.
// An `async fn` would store its arguments in its future twice.
#[allow(clippy::manual_async_fn)]
fn send_in(
    client: Client,
    mut req: Request,
    span: Option<Box<tracing::Span>>,
    stream: bool,
) -> impl std::future::Future<Output = Result<Sent, Failure>> + Send {
    async move {
        let client = &client;
        if let Some(e) = req.error.take() {
            return Err(Failure::Request(*e));
        }
        let spec = req.spec;
        let inner = &*client.inner;
        let started = inner.time_source.now();
        let mut authorization = auth::choose(spec, client.auth_env());
        if authorization.wants_tokens(&inner.credentials) {
            // Boxed: most calls have no token provider, and its future is large.
            Box::pin(authorization.provide_tokens(client.auth_env())).await?;
        }
        let mut st = Attempts {
            first: true,
            key: None,
            payload: None,
            idempotent: spec.method.is_idempotent(),
            reauthorized: false,
        };
        let mut attempt = 1u32;
        'attempts: loop {
            let aspan = if span.is_none() && !tracing::level_enabled!(tracing::Level::DEBUG) {
                tracing::Span::none()
            } else {
                attempt_span(span.as_deref(), attempt)
            };
            // Nothing to record, tell or hand back before the body is read: a 2xx response then
            // needs no other look (the common case, one test).
            let quiet =
                aspan.is_disabled() && span.is_none() && !stream && inner.interceptors.0.is_empty();
            // Why and how long to wait before the next attempt (the attempt's value of a
            // labelled block, so that nothing of it is kept across the wait).
            let (reason, wait) = 'retry: {
                // How the attempt failed, for the classifier: the error, the redirects
                // followed before it, whether it was in the response body.
                let (error, hops, in_body) = 'failed: {
                    // The response, after the first hop and any redirects, in a block of its
                    // own: what they borrowed is not kept past it. A local of this `async`
                    // block keeps its room in the future at every `.await` of its block (even
                    // once moved out, if it was borrowed), and one alive at two `.await`s takes
                    // room at all of them. Each step's future is awaited here, not inside a
                    // future of its own (which would be moved, and polled, once more).
                    let mut resp = {
                        // This attempt's request, made out of line (`attempt_request`).
                        let (request, timeout, hop) =
                            client.attempt_request(&req, &authorization, &mut st, attempt)?;
                        // Files and streams are opened here (boxed: rare, and their future is
                        // large); the request goes into that box and comes back.
                        let streamed = st.payload.as_ref().is_some_and(|b| b.as_bytes().is_none());
                        let request = if streamed && !timeout.is_zero() {
                            let body = st.payload.as_ref();
                            Box::pin(with_opened_body(request, body, spec.name)).await?
                        } else {
                            request
                        };
                        let sending = client.sending(spec.name, request, timeout);
                        let resp = match traced(&aspan, sending).await {
                            Ok(resp) => resp,
                            Err(e) => break 'failed (e, 0, false),
                        };
                        if client.follows(&resp) {
                            // The redirects, boxed (`redirects_boxed`).
                            let again = st.again(&req, &authorization);
                            let redirects = client.redirects_boxed(resp, hop, again);
                            match traced(&aspan, redirects).await {
                                Ok(resp) => resp,
                                Err((Failure::Transport(e), hops)) => {
                                    break 'failed (e, hops, false)
                                }
                                Err((f, _)) => return Err(f),
                            }
                        } else {
                            resp
                        }
                    };
                    let status = resp.status().as_u16();
                    if !quiet || !(200..300).contains(&status) {
                        // Spans, interceptors, a 401, a status to retry, a stream: each out of
                        // line or behind its own test.
                        if !aspan.is_disabled() || span.is_some() {
                            record_status(&aspan, span.as_deref(), status);
                        }
                        if !inner.interceptors.0.is_empty() {
                            after_response(client, spec, attempt, status, resp.headers());
                        }
                        if status == 401 && !st.reauthorized && st.replayable() {
                            st.reauthorized = true;
                            // Boxed: only tokens from providers are renewed (a rare path).
                            let renewed = if authorization.has_provided_tokens() {
                                Box::pin(authorization.reauthorize(client.auth_env())).await?
                            } else {
                                None
                            };
                            if let Some(next) = renewed {
                                drop(resp);
                                // The next attempt is prepared again with the new credentials.
                                authorization = next;
                                continue 'attempts;
                            }
                        }
                        let outcome = Outcome::Response(status);
                        let headers = Some(resp.headers());
                        if let Some(retry) =
                            client.retry_wait(&req, &st, outcome, headers, 0, attempt, started)
                        {
                            drop(resp);
                            break 'retry retry;
                        }
                        if stream {
                            // Copied into text only if asked for (`Headers`).
                            let headers = Headers::new(std::mem::take(resp.headers_mut()));
                            return Ok(Sent::Head(Head {
                                status,
                                headers,
                                resp,
                                format: spec.response,
                            }));
                        }
                    }
                    // The body is part of the attempt: a connection lost in its middle is
                    // retried like one lost before the response. Only the header map is kept
                    // while it is read; copied into text only if asked for (`Headers`).
                    let headers = std::mem::take(resp.headers_mut());
                    match traced(&aspan, read_chunks(&mut resp, inner.max_body_size)).await {
                        Ok(body) => {
                            return Ok(Sent::Read(Raw {
                                status,
                                headers: Headers::new(headers),
                                body,
                                format: spec.response,
                            }))
                        }
                        Err(e) => (e.at_status(status), 0, true),
                    }
                };
                let outcome = Outcome::Transport {
                    kind: error.kind(),
                    in_body,
                };
                if let Some(retry) =
                    client.retry_wait(&req, &st, outcome, None, hops, attempt, started)
                {
                    break 'retry retry;
                }
                return Err(Failure::Transport(error));
            };
            client.before_retry(spec.name, attempt, reason, wait).await;
            attempt += 1;
        }
    }
}

/// What the retry loop ([`send_in`]) keeps from one attempt to the next.
struct Attempts {
    /// No attempt was prepared yet.
    first: bool,
    /// Set when the call's request is first prepared: the idempotency key (the same on every
    /// attempt; boxed: most calls have none) and the body as first encoded (every attempt and
    /// hop sends it).
    key: Option<Box<(HeaderName, HeaderValue)>>,
    payload: Option<Payload>,
    /// The method is idempotent (a GraphQL query sent as GET is too).
    idempotent: bool,
    /// A 401 with a token from a provider: one new token, one re-send (of a replayable body).
    reauthorized: bool,
}

impl Attempts {
    /// Whether the body can be sent again: a body stream of which a chunk was read cannot
    /// (checked after each attempt: one that failed before reading from it leaves it whole).
    fn replayable(&self) -> bool {
        self.payload.as_ref().is_none_or(Payload::replayable)
    }

    /// What the call's request is made again from (a retry, a redirect).
    fn again<'a>(&'a self, req: &'a Request, auth: &'a auth::Authorization) -> Again<'a> {
        Again {
            req,
            auth,
            key: self.key.as_deref(),
            payload: self.payload.as_ref(),
        }
    }
}

impl Client {
    /// An attempt's request: the first prepared from the call (its idempotency key and body
    /// kept in `st`); later ones made again from it (`prepare_again`), so that no attempt pays
    /// for a copy kept in case another follows. Then the interceptors, and the first hop
    /// ([`Client::first_hop`]). Out of the retry loop's `poll`, which stays small: this is
    /// straight-line code, run once per attempt.
    #[inline(never)]
    fn attempt_request(
        &self,
        req: &Request,
        authorization: &auth::Authorization,
        st: &mut Attempts,
        attempt: u32,
    ) -> Result<(reqwest::Request, Duration, FirstHop), Failure> {
        let inner = &*self.inner;
        let mut prepared = if st.first {
            let mut p = self.prepare(req, authorization)?;
            st.key = self.idempotency_key(req, &p)?.map(Box::new);
            if let Some((name, value)) = st.key.as_deref() {
                p.headers.insert(name.clone(), value.clone());
            }
            st.idempotent |= p.method == reqwest::Method::GET;
            st.payload = p.body.clone();
            st.first = false;
            p
        } else {
            self.prepare_again(&st.again(req, authorization))?
        };
        // Interceptors change this attempt's request (its headers) in place; a redirect then
        // continues from a copy of it rather than from the request made again.
        let intercepted = !inner.interceptors.0.is_empty()
            && self.before_send(req.spec, &mut prepared, attempt)?;
        let timeout = prepared.timeout;
        // The runtime's own client applies its timeout itself.
        let own_timeout = inner.own.as_ref().map(|_| inner.timeout);
        let (request, hop) = Client::first_hop(prepared, intercepted, own_timeout);
        Ok((request, timeout, hop))
    }

    /// Whether and how long to wait before another attempt after `outcome` (a response's
    /// `headers` give the server's wish, `hops` the redirects followed before a failure):
    /// the classifier ([`classify`]), whether the request may be sent again ([`may_resend`])
    /// and the call's retry policy. Out of line: a call that succeeds never gets here.
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn retry_wait(
        &self,
        req: &Request,
        st: &Attempts,
        outcome: Outcome,
        headers: Option<&HeaderMap>,
        hops: u32,
        attempt: u32,
        started: std::time::SystemTime,
    ) -> Option<(RetryReason, Duration)> {
        let inner = &*self.inner;
        let again = st.replayable();
        let reason = classify(outcome)
            .filter(|r| may_resend(*r, st.idempotent, st.key.is_some(), hops, again))?;
        let hint = match (outcome, headers) {
            (Outcome::Response(status), Some(h)) => server_wait(status, h, inner.time_source.now()),
            _ => None,
        };
        let elapsed = inner
            .time_source
            .now()
            .duration_since(started)
            .unwrap_or(Duration::ZERO);
        let policy = req.options.get_retry_policy().unwrap_or(&inner.retry);
        let wait = policy.next_wait(attempt, elapsed, hint)?;
        Some((reason, wait))
    }
}

/// The span of one attempt (a child of the call's `span` when there is one, whose `attempts`
/// it records): made only when a subscriber wants debug spans, out of line.
#[cold]
#[inline(never)]
fn attempt_span(span: Option<&tracing::Span>, attempt: u32) -> tracing::Span {
    let aspan = if !tracing::level_enabled!(tracing::Level::DEBUG) {
        tracing::Span::none()
    } else if let Some(span) = span {
        tracing::debug_span!(parent: span, "sdkwright.attempt", attempt, status = Empty)
    } else {
        tracing::debug_span!(parent: None, "sdkwright.attempt", attempt, status = Empty)
    };
    if let Some(span) = span {
        span.record("attempts", attempt);
    }
    aspan
}

/// Records an attempt's status in its span and the call's (when there are spans).
#[cold]
#[inline(never)]
fn record_status(aspan: &tracing::Span, span: Option<&tracing::Span>, status: u16) {
    if !aspan.is_disabled() {
        aspan.record("status", status);
    }
    if let Some(span) = span {
        span.record("status", status);
    }
}

/// The interceptors' `after_response` (out of line: most clients have none).
#[cold]
#[inline(never)]
fn after_response(
    client: &Client,
    spec: &OperationSpec,
    attempt: u32,
    status: u16,
    headers: &reqwest::header::HeaderMap,
) {
    for i in &client.inner.interceptors.0 {
        i.after_response(&AfterResponse {
            operation: spec.name,
            attempt,
            status,
            headers,
        });
    }
}

/// The size in bytes of the retry loop's future ([`send_in`]): the one box every call
/// allocates (`benches/request_overhead.rs` prints it).
pub(crate) fn call_future_size() -> usize {
    fn size_of_output<F, R>(_: &F) -> usize
    where
        F: FnOnce(Client, Request, Option<Box<tracing::Span>>, bool) -> R,
    {
        std::mem::size_of::<R>()
    }
    size_of_output(&send_in)
}

/// `fut` inside `span`, without the `Instrument` wrapper (entered and exited on every poll) when
/// no subscriber wants the span. Not an `async fn`, which would hold `fut` twice.
fn traced<F: std::future::Future>(
    span: &tracing::Span,
    fut: F,
) -> futures_util::future::Either<tracing::instrument::Instrumented<F>, F> {
    if span.is_disabled() {
        futures_util::future::Either::Right(fut)
    } else {
        futures_util::future::Either::Left(fut.instrument(span.clone()))
    }
}

/// Why [`Client::execute_raw`] gave no 2xx [`Response`], before it is typed with the
/// operation's error type `E` ([`Rejected::into_error`]).
pub(crate) enum Rejected {
    /// Nothing to classify (request, transport, auth).
    Failure(Failure),
    /// GraphQL errors in an error status.
    GraphQl(crate::error::GraphQlErrors),
    /// A body that did not read (a page that is not JSON, a page cursor seen twice).
    Decode(crate::error::DecodeError),
    /// An error response: `Error::Api(E::from_response(..))` (or `E::unknown`, or
    /// `Error::Decode`).
    Api(&'static OperationSpec, Raw),
}

impl Rejected {
    /// The error as `execute::<E>` returns it.
    pub(crate) fn into_error<E: FromErrorResponse>(self) -> Error<E> {
        match self {
            Rejected::Failure(f) => f.into(),
            Rejected::GraphQl(g) => Error::GraphQl(g),
            Rejected::Decode(d) => Error::Decode(d),
            Rejected::Api(spec, raw) => api_error(spec, raw),
        }
    }
}

/// A non-2xx response as `Error::Api(E::from_response(..))` (or `E::unknown`, or
/// `Error::Decode`), classified with the operation's status table and name as a single call's
/// is (`response::finish`).
fn api_error<E: FromErrorResponse>(spec: &'static OperationSpec, raw: Raw) -> Error<E> {
    let er = ErrorResponse {
        status: raw.status,
        headers: raw.headers,
        body: raw.body,
        format: raw.format,
        errors: spec.errors,
        operation: spec.name,
    };
    match E::from_response(&er) {
        Ok(e) => Error::Api(e),
        Err(d) => match E::unknown(undecoded(&er, &d)) {
            Some(e) => Error::Api(e),
            None => Error::Decode(d.at_response(er.status, &er.body)),
        },
    }
}

/// The metadata of an error response whose body did not decode as its declared type.
fn undecoded(er: &ErrorResponse, d: &DecodeError) -> ErrorMetadata {
    let mut meta = er.metadata();
    meta.decode_error = Some(d.describe());
    meta
}

/// Where and how a redirect continues.
#[derive(Debug)]
pub(crate) struct Hop {
    pub(crate) url: Url,
    pub(crate) method: reqwest::Method,
    /// The body (and its headers) is not sent again.
    pub(crate) drop_body: bool,
    /// The next URL has the same scheme, host and port.
    pub(crate) same_origin: bool,
}

/// The next hop after a redirect `status` with this `Location`, or why it is refused.
pub(crate) fn next_hop(
    current: &Url,
    location: &[u8],
    status: u16,
    method: &reqwest::Method,
    has_body: bool,
) -> Result<Hop, String> {
    let url = std::str::from_utf8(location)
        .ok()
        .and_then(|l| current.join(l.trim()).ok())
        .ok_or("the Location header is not a valid URL")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("the Location header is not an http(s) URL".into());
    }
    if current.scheme() == "https" && url.scheme() == "http" {
        return Err("redirect from https to http (the request would travel unencrypted)".into());
    }
    let same_origin = current.origin() == url.origin();
    // RFC 9110 §15.4: 303 continues as GET (HEAD stays HEAD); 301 and 302 turn a POST into a
    // GET, as every browser does. The body and its headers go.
    let to_get = (status == 303 && method != reqwest::Method::HEAD)
        || (matches!(status, 301 | 302) && method == reqwest::Method::POST);
    let method = if to_get {
        reqwest::Method::GET
    } else {
        method.clone()
    };
    if has_body && !to_get && !same_origin {
        return Err(format!(
            "a {status} redirect to another origin would re-send the request body"
        ));
    }
    Ok(Hop {
        url,
        method,
        drop_body: to_get,
        same_origin,
    })
}

/// Keeps only the headers that may follow a redirect to another origin: `Accept` and
/// `User-Agent` (default headers and per-call headers go like every other).
fn retain_only_safe(headers: &mut HeaderMap) {
    let accept = headers.get(reqwest::header::ACCEPT).cloned();
    let ua = headers.get(reqwest::header::USER_AGENT).cloned();
    headers.clear();
    if let Some(a) = accept {
        headers.insert(reqwest::header::ACCEPT, a);
    }
    if let Some(ua) = ua {
        headers.insert(reqwest::header::USER_AGENT, ua);
    }
}

/// Adds the client's default headers whose name the request does not set, and its User-Agent
/// unless a default header set one.
fn apply_defaults(headers: &mut HeaderMap, defaults: &HeaderMap, user_agent: &HeaderValue) {
    for name in defaults.keys() {
        if !headers.contains_key(name) {
            for v in defaults.get_all(name) {
                headers.append(name.clone(), v.clone());
            }
        }
    }
    if !headers.contains_key(reqwest::header::USER_AGENT) {
        headers.insert(reqwest::header::USER_AGENT, user_agent.clone());
    }
}

/// Adds the call's own headers, each replacing whatever the request had under its name.
#[cold]
#[inline(never)]
fn apply_call_headers(headers: &mut HeaderMap, options: &CallOptions) -> Result<(), RequestError> {
    if options.headers().is_empty() {
        return Ok(());
    }
    let mut extra = HeaderMap::new();
    for (name, value, sensitive) in options.headers() {
        insert(&mut extra, name, value, *sensitive)?;
    }
    for name in extra.keys() {
        headers.remove(name);
    }
    for name in extra.keys() {
        for value in extra.get_all(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    Ok(())
}

/// `request` with its streamed body (a file, a stream) opened.
async fn with_opened_body(
    mut request: reqwest::Request,
    body: Option<&Payload>,
    name: &'static str,
) -> Result<reqwest::Request, Failure> {
    if let Some(body) = body {
        *request.body_mut() = Some(body.open(name).await.map_err(Failure::Request)?);
    }
    Ok(request)
}

/// Reads the body in chunks, stopping with an error as soon as it would exceed `max` bytes.
async fn read_body(
    mut resp: reqwest::Response,
    max: usize,
) -> Result<bytes::Bytes, TransportError> {
    read_chunks(&mut resp, max).await
}

/// [`read_body`] of a response held by the caller.
async fn read_chunks(
    resp: &mut reqwest::Response,
    max: usize,
) -> Result<bytes::Bytes, TransportError> {
    let too_large = || {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("more than {max} bytes (ClientBuilder::max_body_size)"),
        )
    };
    let declared = resp.content_length();
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let mut first: Option<bytes::Bytes> = None;
    let mut buf = bytes::BytesMut::new();
    while let Some(chunk) = resp.chunk().await.map_err(TransportError::from_reqwest)? {
        let have = first.as_ref().map_or(0, bytes::Bytes::len) + buf.len();
        if chunk.len() > max - have {
            return Err(too_large());
        }
        match first.take() {
            None if buf.is_empty() => first = Some(chunk),
            None => buf.extend_from_slice(&chunk),
            Some(f) => {
                let cap = declared
                    .map_or(0, |n| n as usize)
                    .max(f.len() + chunk.len());
                buf.reserve(cap.min(max));
                buf.extend_from_slice(&f);
                buf.extend_from_slice(&chunk);
            }
        }
    }
    Ok(match first {
        Some(f) => f,
        None => buf.freeze(),
    })
}

#[inline(never)]
fn insert(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    sensitive: bool,
) -> Result<HeaderName, RequestError> {
    let n = HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| RequestError::with_source(format!("invalid header name `{name}`"), e))?;
    let mut v = HeaderValue::from_str(value)
        .map_err(|e| RequestError::with_source(format!("invalid value for header `{name}`"), e))?;
    // Credentials are sensitive whoever sets them (kept out of `Debug`, not HPACK-indexed).
    let credential = n == reqwest::header::AUTHORIZATION
        || n == reqwest::header::PROXY_AUTHORIZATION
        || n == reqwest::header::COOKIE;
    v.set_sensitive(sensitive || credential);
    headers.append(n.clone(), v);
    Ok(n)
}

/// Joins the base URL and the path template with its parameters substituted, each
/// percent-encoded as one path segment.
/// `parsed` is `base` parsed (`None`: parse the joined text): the URL is then that one with its
/// path set, which is what parsing the joined text gives, without parsing the host again.
fn build_url(
    base: &str,
    parsed: Option<&Url>,
    spec: &OperationSpec,
    params: &[(&'static str, String)],
) -> Result<Url, RequestError> {
    let base = spec.base_url(base);
    // The client's own base URL (not an operation's server).
    let parsed = parsed.filter(|_| matches!(base, std::borrow::Cow::Borrowed(_)));
    // With the parsed base URL, the path is written after its own path (so that it is the
    // joined path `set_path` wants, with no second string made); `start` is where the
    // template's part begins.
    let prefix = parsed.map_or("", |u| u.path().trim_end_matches('/'));
    let mut path = String::with_capacity(prefix.len() + spec.path.len() + 16);
    path.push_str(prefix);
    let start = path.len();
    let mut rest = spec.path;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            path_error(format_args!("unclosed `{{` in the path of `{}`", spec.name))
        })?;
        let name = &after[..close];
        let value = params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                path_error(format_args!(
                    "missing path parameter `{name}` of `{}`",
                    spec.name
                ))
            })?;
        if value == "." || value == ".." {
            return Err(path_error(format_args!(
                "path parameter `{name}` of `{}` cannot be `{value}`",
                spec.name
            )));
        }
        // Encoded by `Request` in the parameter's style (every character but the unreserved ones for a simple value).
        path.push_str(value);
        rest = &after[close + 1..];
    }
    path.push_str(rest);
    let template = &path[start..];
    if let Some(parsed) = parsed.filter(|_| !template.contains(['?', '#'])) {
        let mut url = parsed.clone();
        if !template.is_empty() {
            // `{base path}/{template without its leading slashes}`.
            let slashes = template.len() - template.trim_start_matches('/').len();
            path.replace_range(start..start + slashes, "/");
            url.set_path(&path);
        }
        return Ok(url);
    }
    let template = &path[start..];
    let joined = if template.is_empty() {
        base.into_owned()
    } else {
        format!(
            "{}/{}",
            base.trim_end_matches('/'),
            template.trim_start_matches('/')
        )
    };
    Url::parse(&joined).map_err(|e| RequestError::with_source(format!("invalid URL `{joined}`"), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::*;

    static SPEC: OperationSpec = get("op", "/a/{id}/b").response(ResponseFormat::Json);

    /// The first hop's request carries the attempt's timeout unless it is the one the
    /// runtime's own reqwest client applies anyway (no extensions map made per call).
    #[test]
    fn first_hop_sets_the_timeout_only_where_the_client_does_not() {
        let prepared = |timeout| Prepared {
            name: "op",
            method: reqwest::Method::GET,
            url: Url::parse("http://127.0.0.1/a").unwrap(),
            headers: HeaderMap::new(),
            body: None,
            body_headers: Vec::new(),
            timeout,
        };
        let s30 = Duration::from_secs(30);
        let s2 = Duration::from_secs(2);
        // The runtime's own client, built with this timeout: left to it.
        let (r, _) = Client::first_hop(prepared(s30), false, Some(s30));
        assert_eq!(r.timeout(), None);
        // A call's own timeout, another client's, or a transport of the caller's: set.
        let (r, _) = Client::first_hop(prepared(s2), false, Some(s30));
        assert_eq!(r.timeout(), Some(&s2));
        let (r, _) = Client::first_hop(prepared(s30), false, None);
        assert_eq!(r.timeout(), Some(&s30));
    }

    #[test]
    fn redirect_hops() {
        let get = reqwest::Method::GET;
        let post = reqwest::Method::POST;
        let here = Url::parse("https://api.example.com/v1/x?k=1").unwrap();
        let hop = |loc: &str, status, m: &reqwest::Method, body| {
            next_hop(&here, loc.as_bytes(), status, m, body)
        };

        let h = hop("/v2/y", 301, &get, false).unwrap();
        assert_eq!(h.url.as_str(), "https://api.example.com/v2/y");
        assert!(h.same_origin && !h.drop_body && h.method == get);

        // Another port, scheme or host is another origin.
        for other in [
            "https://api.example.com:444/",
            "https://evil.example.com/",
            "https://api.example.com.evil.net/",
        ] {
            assert!(
                !hop(other, 302, &get, false).unwrap().same_origin,
                "{other}"
            );
        }
        assert!(
            hop("https://api.example.com:443/z", 302, &get, false)
                .unwrap()
                .same_origin
        );

        // https -> http is refused, even to the same host.
        let e = hop("http://api.example.com/v1/x", 301, &get, false).unwrap_err();
        assert!(e.contains("https to http"), "{e}");
        assert!(hop("ftp://api.example.com/", 302, &get, false).is_err());
        assert!(hop("javascript:alert(1)", 302, &get, false).is_err());
        assert!(next_hop(&here, b"/\xff", 302, &get, false).is_err());

        // Bodies: 303 and POST after 301/302 become a GET without body.
        for status in [301, 302, 303] {
            let h = hop("https://other.example/", status, &post, true).unwrap();
            assert!(h.drop_body && h.method == get && !h.same_origin);
        }
        // 307/308 keep the method and body: same origin only.
        for status in [307, 308] {
            let h = hop("/again", status, &post, true).unwrap();
            assert!(!h.drop_body && h.method == post);
            let e = hop("https://other.example/", status, &post, true).unwrap_err();
            assert!(e.contains("re-send the request body"), "{e}");
            // Without a body, another origin is fine (credentials are dropped by the caller).
            assert!(hop("https://other.example/", status, &get, false).is_ok());
        }
        // A PUT with a body keeps its method on 301/302: same origin only.
        let put = reqwest::Method::PUT;
        assert!(hop("https://other.example/", 302, &put, true).is_err());
        // HEAD stays HEAD on 303.
        let head = reqwest::Method::HEAD;
        assert_eq!(hop("/h", 303, &head, false).unwrap().method, head);
    }

    #[test]
    fn url_passwords_are_redacted() {
        assert_eq!(redact_url("https://u:p@h/x@y"), "https://u:***@h/x@y");
        assert_eq!(redact_url("https://u@h/"), "https://u:***@h/");
        assert_eq!(redact_url("https://h/a@b"), "https://h/a@b");
        assert_eq!(redact_url("no url"), "no url");
        assert_eq!(redact_url("http://a:b:c@@h?q"), "http://a:***@h?q");
        let mut url = Url::parse("http://us%20er:p%40ss@h:8/x").unwrap();
        let (user, pass) = take_userinfo(&mut url).unwrap();
        assert_eq!((user.as_str(), pass.expose()), ("us er", "p@ss"));
        assert_eq!(url.as_str(), "http://h:8/x");
    }

    #[test]
    fn joins_slashes() {
        let p = [("id", "x%2Fy%20z".to_owned())];
        for base in ["http://h/api", "http://h/api/"] {
            let u = build_url(base, None, &SPEC, &p).unwrap();
            assert_eq!(u.as_str(), "http://h/api/a/x%2Fy%20z/b");
        }
        assert!(build_url("http://h", None, &SPEC, &[]).is_err());
        assert!(build_url("http://h", None, &SPEC, &[("id", "..".into())]).is_err());
    }

    /// The URL built on the parsed base URL is the one parsing the joined text gives.
    #[test]
    fn prebuilt_base_url_gives_the_same_url() {
        static ROOT: OperationSpec = get("root", "");
        static ODD: OperationSpec = get("odd", "/a b/{id}/ü/\\x/./y/../z//");
        for base in [
            "http://h",
            "http://h/",
            "http://h/api",
            "https://h:8443/api/v1/",
            "http://[::1]:9/x",
            "http://xn--bcher-kva.example/",
            "http://Bücher.example/a%20b",
        ] {
            let parsed = Url::parse(base).unwrap();
            for (spec, params) in [
                (&SPEC, vec![("id", "x%2Fy%20z".to_owned())]),
                (&SPEC, vec![("id", "%E2%82%AC".to_owned())]),
                (&ROOT, vec![]),
                (&ODD, vec![("id", "1".to_owned())]),
            ] {
                let slow = build_url(base, None, spec, &params).unwrap();
                let fast = build_url(base, Some(&parsed), spec, &params).unwrap();
                assert_eq!(fast.as_str(), slow.as_str(), "{base} {}", spec.path);
            }
        }
    }
}
