//! [`Transport`]: the seam between the runtime and the network.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::{TransportError, TransportErrorKind};

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<reqwest::Response, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and returns its response: what the client calls for every request
/// (retries and each redirect hop are separate calls), OAuth 2.0 token requests included.
///
/// The default implementation is the runtime's own [`reqwest::Client`]; a client of yours is
/// plugged in with [`ClientBuilder::http_client`](crate::ClientBuilder::http_client), anything
/// else (a wrapper that logs, a test double: see `FakeTransport` behind the `test-util` feature)
/// with [`ClientBuilder::transport`](crate::ClientBuilder::transport).
///
/// The request arrives complete: URL with its query, every header (auth, default headers,
/// per-call headers, `User-Agent`), the body, and in [`reqwest::Request::timeout`] what is left
/// of the call's timeout. The runtime also bounds the whole call by that timeout itself, so a
/// transport that ignores it cannot make a call hang. A transport must not follow redirects:
/// it returns 3xx responses as they are, and the runtime follows them (dropping credentials
/// across origins).
///
/// A response for a test is built from an `http::Response` (`reqwest::Response::from`, any body
/// that is `Into<reqwest::Body>`, streamed ones included).
///
/// ```
/// use sdkwright_runtime::{reqwest, Transport, TransportFuture};
///
/// /// Counts the requests it passes on to reqwest.
/// #[derive(Default)]
/// struct Counting {
///     inner: reqwest::Client,
///     sent: std::sync::atomic::AtomicUsize,
/// }
///
/// impl Transport for Counting {
///     fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
///         self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         self.inner.send(request)
///     }
/// }
/// ```
pub trait Transport: Send + Sync {
    /// Sends `request`; a failure to get a response (connection refused or reset, timeout) is
    /// a [`TransportError`] ([`TransportError::new`] or [`TransportError::with_source`] with
    /// the [`TransportErrorKind`] that says whether the request may have left: `Connect` is
    /// retried for any method, `Other` only for idempotent ones). Response bodies are read by
    /// the runtime afterwards, in chunks.
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
        (**self).send(request)
    }
}

/// The default transport. The client must not follow redirects (build it with
/// `.redirect(reqwest::redirect::Policy::none())`): reqwest offers no way to check a client's
/// redirect policy, so a response whose URL is not the one requested (the client followed a
/// redirect itself) is refused with a [`TransportErrorKind::Redirect`] error.
impl Transport for reqwest::Client {
    fn send(&self, request: reqwest::Request) -> TransportFuture<'_> {
        let sent = request.url().clone();
        let pending = self.execute(request);
        Box::pin(async move {
            let resp = pending.await.map_err(TransportError::from_reqwest)?;
            if resp.url() != &sent {
                return Err(TransportError::new(
                    TransportErrorKind::Redirect,
                    "the HTTP client followed a redirect itself (the request's headers, \
                     credentials included, went to the next URL): build the reqwest::Client \
                     given to ClientBuilder::http_client with \
                     `.redirect(reqwest::redirect::Policy::none())`",
                )
                .at_status(resp.status().as_u16()));
            }
            Ok(resp)
        })
    }
}

/// A `Transport` as the client stores it.
pub(crate) type SharedTransport = Arc<dyn Transport>;
