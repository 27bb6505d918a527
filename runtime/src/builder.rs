//! What every generated request builder shares, written once here instead of once per
//! operation (contract 6): the client and per-call options a builder holds ([`Call`]), the
//! request it makes ([`Prepared`]) and the future its `send()` and `send_with_response()`
//! return ([`ResponseFuture`]).
//!
//! A generated builder is a struct of its parameters plus a `client: rt::Call` field (`client`
//! is a name no parameter gets), with an inherent `fn rt_request(self) -> rt::Prepared` that
//! turns the parameters into the operation's [`Request`]; `customize` is the same in every
//! builder (the `customize!` macro writes it), and each other method is one call:
//!
//! ```text
//! rt::customize!();
//!
//! pub fn send(self) -> rt::ResponseFuture<types::Pet, types::Error> {
//!     self.rt_request().send()
//! }
//!
//! fn rt_request(self) -> rt::Prepared {
//!     let req = rt::Request::new(&GET_PET_BY_ID).param("petId", &self.pet_id);
//!     self.client.prepare(req)
//! }
//! ```
//!
//! Neither the builder nor this module has an `async fn` per operation: the request is sent
//! by one boxed, non-generic future (`Client::send`: auth, retries, redirects, reading the
//! body), and the only per-operation generic code is the decoding of the success and error
//! bodies, a plain function called when that future completes.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::call::{ApiResponse, CallOptions};
use crate::client::{Client, Raw, SendFuture, Sent};
use crate::error::{ApiError, Error};
use crate::paging::Paged;
use crate::request::Request;
use crate::response::ErrorBody;
use crate::spec::OperationSpec;
use crate::streaming::{ByteStream, EventStream};

/// Classifies and decodes a read response of an operation: what is generic per operation.
type Finish<T, B> = fn(&'static OperationSpec, Raw) -> Result<T, Error<ApiError<B>>>;

/// A 2xx body's bytes, its status and headers.
type Bytes = (Vec<u8>, u16, crate::response::Headers);

/// The client a generated request builder sends with, and this call's options
/// ([`CallOptions`], set through the builder's `customize`).
#[derive(Debug, Clone)]
pub struct Call {
    client: Client,
    options: CallOptions,
}

impl Call {
    /// A call on `client` (cloned: clones share the connection pool) with no per-call
    /// overrides.
    pub fn new(client: &Client) -> Self {
        Call {
            client: client.clone(),
            options: CallOptions::new(),
        }
    }

    /// The call's options start with this timeout (`--operation-timeout`); `customize` can
    /// still change it.
    pub fn timeout_ms(mut self, ms: u64) -> Self {
        self.options = self.options.timeout(Duration::from_millis(ms));
        self
    }

    /// The builder's `customize`: `f` gets this call's options and returns the new ones.
    pub fn customize(mut self, f: impl FnOnce(CallOptions) -> CallOptions) -> Self {
        self.options = f(self.options);
        self
    }

    /// `req`, with this call's options, ready to be sent by this call's client.
    pub fn prepare(self, req: Request) -> Prepared {
        Prepared {
            client: self.client,
            req: req.options(self.options),
        }
    }
}

/// A request with its client and options applied, ready to be sent: what a generated
/// builder's `rt_request()` makes, and what each of its sending methods calls.
#[derive(Debug)]
pub struct Prepared {
    client: Client,
    req: Request,
}

impl Prepared {
    /// The client and the request (for what drives the client itself: GraphQL subscriptions,
    /// several success statuses).
    pub fn into_parts(self) -> (Client, Request) {
        (self.client, self.req)
    }

    /// Starts sending; `finish` classifies and decodes the response once it is read.
    fn start<T, B>(self, finish: Finish<T, B>) -> ResponseFuture<T, B> {
        let (raw, spec) = self.launch();
        ResponseFuture {
            raw,
            spec,
            finish,
            _types: PhantomData,
        }
    }

    /// [`Prepared::start`]'s part that is not generic: the call's future and its operation.
    fn launch(self) -> (SendFuture<'static, Sent>, &'static OperationSpec) {
        let Prepared { client, req } = self;
        let spec = req.spec();
        (client.send_boxed(req), spec)
    }

    /// `send()`: a 2xx body decoded as `T`; any other status, a GraphQL response with
    /// `errors` or a SOAP Fault as the error, its body typed as `B` when it decodes.
    pub fn send<T: DeserializeOwned, B: ErrorBody>(self) -> ResponseFuture<T, B> {
        self.start(|spec, raw| crate::response::finish(spec, raw.status, raw.headers, raw.body))
    }

    /// [`Prepared::send`] with the [`Decoding`](crate::response::Decoding) `send_methods!`
    /// picked for the operation's error body (a JSON API's operation does not compile SOAP
    /// decoding for its response type).
    #[doc(hidden)]
    pub fn send_in<T: DeserializeOwned, B: ErrorBody, D: crate::response::Decoding>(
        self,
        _: D,
    ) -> ResponseFuture<T, B> {
        self.start(|spec, raw| {
            crate::response::finish_in::<T, B, D>(spec, raw.status, raw.headers, raw.body)
        })
    }

    /// [`Prepared::send_with_response`] with the [`Decoding`](crate::response::Decoding) `D`.
    #[doc(hidden)]
    pub fn send_with_response_in<
        T: DeserializeOwned,
        B: ErrorBody,
        D: crate::response::Decoding,
    >(
        self,
        _: D,
    ) -> ResponseFuture<ApiResponse<T>, B> {
        self.start(|spec, raw| with_response_in::<T, B, D>(spec, raw))
    }

    /// `send_with_response()`: [`Prepared::send`] with the response's status and headers.
    pub fn send_with_response<T: DeserializeOwned, B: ErrorBody>(
        self,
    ) -> ResponseFuture<ApiResponse<T>, B> {
        self.start(|spec, raw| with_response(spec, raw))
    }

    /// `send_with_response()` of an operation that declares response headers: also reads
    /// them as `H`.
    pub fn send_with_headers<T, B, H>(self) -> ResponseFuture<ApiResponse<T, H>, B>
    where
        T: DeserializeOwned,
        B: ErrorBody,
        H: ResponseHeaders,
    {
        self.start(|spec, raw| with_response(spec, raw).map(|r| r.map_headers(H::from_response)))
    }

    /// [`Prepared::send_with_headers`] with the [`Decoding`](crate::response::Decoding) `D`
    /// (`send_methods!` with typed headers, contract 9).
    #[doc(hidden)]
    pub fn send_with_headers_in<T, B, H, D>(self, _: D) -> ResponseFuture<ApiResponse<T, H>, B>
    where
        T: DeserializeOwned,
        B: ErrorBody,
        H: ResponseHeaders,
        D: crate::response::Decoding,
    {
        self.start(|spec, raw| {
            with_response_in::<T, B, D>(spec, raw).map(|r| r.map_headers(H::from_response))
        })
    }

    /// `send()` of a binary response: a 2xx body's bytes.
    pub fn send_bytes<B: ErrorBody>(self) -> ResponseFuture<Vec<u8>, B> {
        self.start(|spec, raw| bytes(spec, raw).map(|(body, _, _)| body))
    }

    /// `send_with_response()` of a binary response.
    pub fn send_bytes_with_response<B: ErrorBody>(self) -> ResponseFuture<ApiResponse<Vec<u8>>, B> {
        self.start(|spec, raw| {
            bytes(spec, raw).map(|(body, status, headers)| ApiResponse::new(status, headers, body))
        })
    }

    /// `send_with_response()` of a binary response whose operation declares headers.
    pub fn send_bytes_with_headers<B, H>(self) -> ResponseFuture<ApiResponse<Vec<u8>, H>, B>
    where
        B: ErrorBody,
        H: ResponseHeaders,
    {
        self.start(|spec, raw| {
            bytes(spec, raw)
                .map(|(body, status, headers)| ApiResponse::new(status, headers, body))
                .map(|r| r.map_headers(H::from_response))
        })
    }

    /// `items()`: every item of every page.
    pub fn items<T, B>(self) -> Paged<T, ApiError<B>>
    where
        T: DeserializeOwned + Send + 'static,
        B: ErrorBody + Send + 'static,
    {
        Paged::items(self.client, self.req)
    }

    /// `pages()`: every page, each decoded whole.
    pub fn pages<T, B>(self) -> Paged<T, ApiError<B>>
    where
        T: DeserializeOwned + Send + 'static,
        B: ErrorBody + Send + 'static,
    {
        Paged::pages(self.client, self.req)
    }

    /// `stream()`: a 2xx body as a stream of chunks.
    pub fn stream<B>(self) -> impl Future<Output = Result<ByteStream, Error<ApiError<B>>>> + Send
    where
        B: ErrorBody + Send,
    {
        let Prepared { client, req } = self;
        async move { client.execute_stream(req).await }
    }

    /// `events()`: the server-sent events, each event's `data` decoded as `T`.
    pub fn events<T, B>(
        self,
    ) -> impl Future<Output = Result<EventStream<T, ApiError<B>>, Error<ApiError<B>>>> + Send
    where
        T: DeserializeOwned + Send + 'static,
        B: ErrorBody + Send + 'static,
    {
        let Prepared { client, req } = self;
        async move { client.execute_events(req).await }
    }
}

/// A decoded 2xx body with the status and headers (and a SOAP envelope's `Header`), as
/// `Client::call_with_response` gives it.
fn with_response<T: DeserializeOwned, B: ErrorBody>(
    spec: &'static OperationSpec,
    raw: Raw,
) -> Result<ApiResponse<T>, Error<ApiError<B>>> {
    with_response_in::<T, B, crate::response::AnyFormat>(spec, raw)
}

/// [`with_response`] with the [`Decoding`](crate::response::Decoding) `D`.
fn with_response_in<T: DeserializeOwned, B: ErrorBody, D: crate::response::Decoding>(
    spec: &'static OperationSpec,
    raw: Raw,
) -> Result<ApiResponse<T>, Error<ApiError<B>>> {
    crate::response::finish_with_headers_in::<T, B, D>(spec, raw.status, raw.headers, raw.body)
}

/// A 2xx body's bytes with the status and headers; any other status as the error.
fn bytes<B: ErrorBody>(
    spec: &'static OperationSpec,
    raw: Raw,
) -> Result<Bytes, Error<ApiError<B>>> {
    if (200..300).contains(&raw.status) {
        return Ok((raw.body.into(), raw.status, raw.headers));
    }
    crate::response::finish::<(), B>(spec, raw.status, raw.headers, raw.body).map(|()| {
        (
            Vec::new(),
            raw.status,
            crate::response::Headers::from_list(Vec::new()),
        )
    })
}

/// The headers an operation's success responses declare, as a generated struct: read from the
/// response by `send_with_response()` ([`ApiResponse::typed_headers`]).
pub trait ResponseHeaders: Sized {
    /// Reads the declared headers of `response` (absent or unparsable ones as `None`).
    fn from_response<T>(response: &ApiResponse<T>) -> Self;
}

/// The future a generated builder's `send()` returns: await it for
/// `Result<T, Error<ApiError<B>>>` (the generated crate's `Error<B>`), where `T` is the decoded
/// success body and `B` the operation's typed error body (`serde_json::Value` when it declares
/// none). `send_with_response()` returns a [`WithResponse`], the same future with the
/// response's status and headers beside the body.
///
/// Nothing is sent until it is first polled; dropping it cancels the call. It is `Send` and
/// `Unpin`, so it can be spawned, stored, or polled through `&mut`.
///
/// ```text
/// let pet: Pet = client.get_pet_by_id(42).send().await?;
/// let res = client.get_pet_by_id(42).send_with_response().await?;
/// let etag = res.header("etag");
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ResponseFuture<T, B = serde_json::Value> {
    /// Sending, retrying and reading the body: not generic, shared by every operation.
    raw: SendFuture<'static, Sent>,
    spec: &'static OperationSpec,
    /// Classifying and decoding: the operation's own code.
    finish: Finish<T, B>,
    _types: PhantomData<fn() -> (T, B)>,
}

/// What a generated builder's `send_with_response()` returns: a [`ResponseFuture`] of the
/// decoded body with the response's status and headers, [`ApiResponse<T, H>`] (`H`: the
/// operation's typed response headers, when it declares any).
pub type WithResponse<T, B = serde_json::Value, H = ()> = ResponseFuture<ApiResponse<T, H>, B>;

impl<T, B> fmt::Debug for ResponseFuture<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("operation", &self.spec.name)
            .finish_non_exhaustive()
    }
}

impl<T, B> Future for ResponseFuture<T, B> {
    type Output = Result<T, Error<ApiError<B>>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.raw.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(sent)) => Poll::Ready(match sent.into_raw() {
                Ok(raw) => (this.finish)(this.spec, raw),
                Err(failure) => Err(failure.into()),
            }),
            Poll::Ready(Err(failure)) => Poll::Ready(Err(failure.into())),
        }
    }
}

/// Writes a generated builder's `customize` method (the builder has a `client: rt::Call`
/// field): the same in every builder, so written once here.
#[doc(hidden)]
#[macro_export]
macro_rules! __customize {
    () => {
        /// Overrides the client's settings for this call: timeout, retry policy, extra
        /// headers, idempotency key (`sdkwright_runtime::CallOptions`).
        pub fn customize(
            mut self,
            f: impl ::core::ops::FnOnce($crate::CallOptions) -> $crate::CallOptions,
        ) -> Self {
            self.client = self.client.customize(f);
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::ResponseFuture;

    fn send_unpin<T: Send + Unpin + 'static>() {}

    /// Whatever the body types, the future can be spawned and polled through `&mut`: its only
    /// generic parts are a fn pointer and a marker.
    #[test]
    fn response_future_is_send_unpin_and_static_for_any_body() {
        send_unpin::<ResponseFuture<String>>();
        send_unpin::<ResponseFuture<std::rc::Rc<String>, std::cell::Cell<u8>>>();
    }
}
