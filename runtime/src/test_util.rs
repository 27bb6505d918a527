//! A fake [`Transport`] for unit tests of code that uses a generated client: scripted
//! responses, recorded requests, no server (feature `test-util`).
//!
//! ```toml
//! [dev-dependencies]
//! sdkwright-runtime = { version = "0.1", features = ["test-util"] }
//! ```
//!
//! The client does everything it does against a server (auth, default and per-call headers,
//! retries, redirects, timeouts, decoding); only the network is replaced. Each request is
//! recorded as the transport received it, and answered with the next scripted
//! [`FakeResponse`] (then with [`FakeTransport::from_fn`]'s function, if any).
//!
//! ```
//! use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
//! use sdkwright_runtime::{__private as rt, serde_json::json, ClientBuilder, RetryPolicy};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = FakeTransport::new()
//!     .reply(FakeResponse::new(503)) // retried (a GET)
//!     .reply(FakeResponse::json(200, json!({"id": 7, "name": "Rex"})));
//! let client = ClientBuilder::new("https://api.example.com/v1")
//!     .transport(fake.clone())
//!     .retry_policy(RetryPolicy::default().with_backoff(std::time::Duration::ZERO, std::time::Duration::ZERO))
//!     .default_header("x-tenant", "acme")
//!     .build()?;
//! # static GET_PET: rt::OperationSpec = rt::get("getPet", "/pets/{id}")
//! #     .params(&[rt::path("id")]).response(rt::ResponseFormat::Json);
//! # let req = rt::Request::new(&GET_PET).param("id", &7);
//! // With a generated client: `let pet = petstore_client.get_pet_by_id(7).send().await?;`
//! let pet: sdkwright_runtime::serde_json::Value = client.execute::<rt::ErrorMetadata>(req).await?.decode::<_, rt::ErrorMetadata>()?;
//! assert_eq!(pet["name"], "Rex");
//!
//! let sent = fake.requests();
//! assert_eq!(sent.len(), 2);
//! assert_eq!(sent[1].method, "GET");
//! assert_eq!(sent[1].url.as_str(), "https://api.example.com/v1/pets/7");
//! assert_eq!(sent[1].header("x-tenant"), Some("acme"));
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, ResponseBuilderExt, Url};

use crate::error::{TransportError, TransportErrorKind};
use crate::transport::{Transport, TransportFuture};

/// One request as the transport received it: exactly what would have gone on the wire
/// (a server also sees `Host`, `Content-Length` and the like, which the HTTP client adds).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// Every header (sensitive values are hidden in `Debug` output, readable here).
    pub headers: HeaderMap,
    /// The body (empty when there is none, or when it was a stream).
    pub body: Bytes,
    /// What was left of the call's timeout when it was sent.
    pub timeout: Option<Duration>,
}

impl RecordedRequest {
    fn from_request(r: &reqwest::Request) -> Self {
        RecordedRequest {
            method: r.method().clone(),
            url: r.url().clone(),
            headers: r.headers().clone(),
            body: r
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(Bytes::copy_from_slice)
                .unwrap_or_default(),
            timeout: r.timeout().copied(),
        }
    }

    /// The first value of header `name` (case-insensitive), if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of header `name`, as text.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// The URL's path (still percent-encoded).
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// The decoded query pairs, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[derive(Debug, Clone)]
enum Answer {
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        chunks: Vec<Bytes>,
        reset_mid_body: bool,
    },
    Fail(TransportErrorKind, &'static str),
}

/// A scripted answer of a [`FakeTransport`]: a response (status, headers, body, whole or in
/// chunks) or a transport failure, optionally after a delay.
///
/// ```
/// use sdkwright_runtime::test_util::FakeResponse;
/// use sdkwright_runtime::serde_json::json;
///
/// let created = FakeResponse::json(201, json!({"id": 1})).header("location", "/pets/1");
/// let throttled = FakeResponse::new(429).header("retry-after", "0");
/// let cut = FakeResponse::new(200).chunks(["[1,", "2,"]).reset_mid_body();
/// let down = FakeResponse::connection_refused();
/// ```
#[derive(Debug, Clone)]
pub struct FakeResponse {
    answer: Answer,
    delay: Duration,
}

impl FakeResponse {
    /// A response with this status, no header and an empty body.
    pub fn new(status: u16) -> Self {
        FakeResponse {
            answer: Answer::Http {
                status,
                headers: Vec::new(),
                chunks: Vec::new(),
                reset_mid_body: false,
            },
            delay: Duration::ZERO,
        }
    }

    /// A JSON response (`Content-Type: application/json`).
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        FakeResponse::new(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// A text response (`Content-Type: text/plain; charset=utf-8`).
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        FakeResponse::new(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(body.into())
    }

    /// Adds a header (an invalid name or value makes the call fail with a transport error).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let Answer::Http { headers, .. } = &mut self.answer {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// The whole body.
    pub fn body(self, body: impl Into<Bytes>) -> Self {
        self.chunks([body.into()])
    }

    /// The body, streamed in these chunks (the response has no `Content-Length`).
    pub fn chunks<B: Into<Bytes>>(mut self, chunks: impl IntoIterator<Item = B>) -> Self {
        if let Answer::Http { chunks: c, .. } = &mut self.answer {
            *c = chunks.into_iter().map(Into::into).collect();
        }
        self
    }

    /// After its chunks, the body fails as a connection reset mid-body would.
    pub fn reset_mid_body(mut self) -> Self {
        if let Answer::Http { reset_mid_body, .. } = &mut self.answer {
            *reset_mid_body = true;
        }
        self
    }

    /// Waits this long before answering (the client's timeout applies: use
    /// `tokio::time::pause` to test timeouts without waiting).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The connection could not be established: the request never left
    /// ([`TransportErrorKind::Connect`]).
    pub fn connection_refused() -> Self {
        Self::fail(TransportErrorKind::Connect, "connection refused (fake)")
    }

    /// The connection broke after the request was sent, before any response
    /// ([`TransportErrorKind::Other`]).
    pub fn connection_reset() -> Self {
        Self::fail(TransportErrorKind::Other, "connection reset (fake)")
    }

    /// The transport gave up waiting ([`TransportErrorKind::Timeout`]).
    pub fn timeout() -> Self {
        Self::fail(TransportErrorKind::Timeout, "timed out (fake)")
    }

    fn fail(kind: TransportErrorKind, msg: &'static str) -> Self {
        FakeResponse {
            answer: Answer::Fail(kind, msg),
            delay: Duration::ZERO,
        }
    }

    fn into_response(self, url: Url) -> Result<reqwest::Response, TransportError> {
        let (status, headers, chunks, reset) = match self.answer {
            Answer::Fail(kind, msg) => return Err(TransportError::new(kind, msg)),
            Answer::Http {
                status,
                headers,
                chunks,
                reset_mid_body,
            } => (status, headers, chunks, reset_mid_body),
        };
        let bad = |what: String| TransportError::new(TransportErrorKind::Other, what);
        let mut b = http::Response::builder().status(status).url(url);
        for (k, v) in &headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| bad(format!("fake response: invalid header name `{k}`")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| bad(format!("fake response: invalid value for `{k}`")))?;
            b = b.header(name, value);
        }
        let body = match chunks.len() {
            0 if !reset => reqwest::Body::from(Bytes::new()),
            1 if !reset => reqwest::Body::from(chunks.into_iter().next().unwrap_or_default()),
            _ => reqwest::Body::wrap(Chunks {
                chunks: chunks.into(),
                reset,
            }),
        };
        let resp = b
            .body(body)
            .map_err(|e| bad(format!("fake response: {e} (status {status})")))?;
        Ok(reqwest::Response::from(resp))
    }
}

/// A body served in chunks, optionally failing after them.
struct Chunks {
    chunks: VecDeque<Bytes>,
    reset: bool,
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        Poll::Ready(match this.chunks.pop_front() {
            Some(c) => Some(Ok(http_body::Frame::data(c))),
            None if this.reset => {
                this.reset = false;
                Some(Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "connection reset mid-body (fake)",
                )))
            }
            None => None,
        })
    }
}

type Responder = Box<dyn Fn(&RecordedRequest) -> FakeResponse + Send + Sync>;

struct Shared {
    script: Mutex<VecDeque<FakeResponse>>,
    responder: Option<Responder>,
    recorded: Mutex<Vec<RecordedRequest>>,
}

/// A [`Transport`] that answers from a script and records every request. Cheap to clone:
/// clones share the script and the record (give one to the client, keep one to assert on).
///
/// Answers are taken in order from the replies queued with [`FakeTransport::reply`]; when none
/// is left, from the function of [`FakeTransport::from_fn`]; without one, the call fails with
/// a transport error saying no response was scripted.
#[derive(Clone)]
pub struct FakeTransport {
    shared: Arc<Shared>,
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeTransport")
            .field("queued", &self.remaining())
            .field("recorded", &lock(&self.shared.recorded).len())
            .finish_non_exhaustive()
    }
}

impl Default for FakeTransport {
    fn default() -> Self {
        Self::new()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeTransport {
    /// A transport with nothing scripted yet.
    pub fn new() -> Self {
        Self::with(None)
    }

    /// A transport answering each request with `respond(request)` (after any queued replies).
    ///
    /// ```
    /// use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    ///
    /// let fake = FakeTransport::from_fn(|req| match req.path() {
    ///     "/v1/pets/1" => FakeResponse::text(200, "ok"),
    ///     _ => FakeResponse::new(404),
    /// });
    /// ```
    pub fn from_fn(
        respond: impl Fn(&RecordedRequest) -> FakeResponse + Send + Sync + 'static,
    ) -> Self {
        Self::with(Some(Box::new(respond)))
    }

    fn with(responder: Option<Responder>) -> Self {
        FakeTransport {
            shared: Arc::new(Shared {
                script: Mutex::new(VecDeque::new()),
                responder,
                recorded: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Queues the answer to the next request not answered yet.
    pub fn reply(self, response: FakeResponse) -> Self {
        self.push_reply(response);
        self
    }

    /// Queues an answer, on a transport already given to a client.
    pub fn push_reply(&self, response: FakeResponse) {
        lock(&self.shared.script).push_back(response);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.recorded).clone()
    }

    /// The last request received.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        lock(&self.shared.recorded).last().cloned()
    }

    /// How many queued replies are still unused.
    pub fn remaining(&self) -> usize {
        lock(&self.shared.script).len()
    }
}

impl Transport for FakeTransport {
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
        let recorded = RecordedRequest::from_request(&request);
        let next = lock(&self.shared.script).pop_front();
        let answer = next.or_else(|| self.shared.responder.as_ref().map(|f| f(&recorded)));
        let url = recorded.url.clone();
        let what = format!("{} {}", recorded.method, recorded.url.path());
        lock(&self.shared.recorded).push(recorded);
        Box::pin(async move {
            let Some(answer) = answer else {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("FakeTransport: no response scripted for request {what}"),
                ));
            };
            if !answer.delay.is_zero() {
                tokio::time::sleep(answer.delay).await;
            }
            answer.into_response(url)
        })
    }
}
