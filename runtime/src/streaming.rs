//! Streaming responses: [`ByteStream`] (a download read chunk by chunk, never buffered whole) and
//! [`EventStream`] (`text/event-stream`, server-sent events, decoded one event at a time).
//!
//! Both start once the response headers arrive: retries, redirects and error classification
//! happen before (an error status is an error of the call, its body read within
//! `max_body_size`), nothing is retried mid-stream, and `max_body_size` does not apply to the
//! stream itself. The client's timeout still covers the whole exchange, body included: raise it
//! ([`crate::ClientBuilder::timeout`]) for long downloads or event streams.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::error::{DecodeError, Error, TransportError, TransportErrorKind};
use crate::request::Request;
use crate::response::FromErrorResponse;

/// The default longest line of an event stream, and the most `data` one event may gather
/// (1 MiB); see [`EventStream::max_event_size`].
pub const DEFAULT_MAX_EVENT_SIZE: usize = 1024 * 1024;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// A response body read as it arrives: a [`Stream`] of chunks. What a binary download returns.
///
/// The body is never held whole unless [`ByteStream::collect_bytes`] is asked to (with a limit);
/// [`ByteStream::into_async_read`] turns it into a `tokio::io::AsyncRead` (for
/// `tokio::io::copy` into a file). The first error ends the stream.
///
/// ```no_run
/// # async fn run(download: sdkwright_runtime::ByteStream) -> Result<(), Box<dyn std::error::Error>> {
/// // Any `tokio::io::AsyncWrite`: a `tokio::fs::File`, a socket, a buffer.
/// let mut out: Vec<u8> = Vec::new();
/// tokio::io::copy(&mut download.into_async_read(), &mut out).await?;
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct ByteStream {
    status: u16,
    headers: Vec<(String, String)>,
    content_length: Option<u64>,
    chunks: Chunks,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(
        status: u16,
        headers: Vec<(String, String)>,
        resp: reqwest::Response,
    ) -> Self {
        let content_length = resp.content_length();
        let chunks = futures_util::stream::unfold(Some(resp), move |resp| async move {
            let mut resp = resp?;
            match resp.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(resp))),
                Ok(None) => None,
                Err(e) => Some((Err(TransportError::from_reqwest(e).at_status(status)), None)),
            }
        });
        ByteStream {
            status,
            headers,
            content_length,
            chunks: Box::pin(chunks),
        }
    }

    /// A stream over chunks from anywhere (tests, adapters).
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
    {
        ByteStream {
            status: 200,
            headers: Vec::new(),
            content_length: None,
            chunks: Box::pin(stream),
        }
    }

    /// The response status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (lower-case names).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The size the server announced (`Content-Length`), if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the whole body into memory, failing with
    /// [`TransportErrorKind::BodyTooLarge`] as soon as it exceeds `limit` bytes.
    pub async fn collect_bytes(mut self, limit: usize) -> Result<Bytes, TransportError> {
        let too_large = || {
            TransportError::new(
                TransportErrorKind::BodyTooLarge,
                format!("more than {limit} bytes (ByteStream::collect_bytes)"),
            )
        };
        if self.content_length.is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut buf = bytes::BytesMut::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut self).await {
            let chunk = chunk?;
            if chunk.len() > limit - buf.len() {
                return Err(too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf.freeze())
    }

    /// The body as a `tokio::io::AsyncRead`; a transport error becomes an `io::Error` whose
    /// inner error is the [`TransportError`].
    pub fn into_async_read(self) -> impl tokio::io::AsyncRead + Send + Unpin {
        AsyncReader {
            stream: self,
            current: Bytes::new(),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

struct AsyncReader {
    stream: ByteStream,
    current: Bytes,
}

impl tokio::io::AsyncRead for AsyncReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        while this.current.is_empty() {
            match Pin::new(&mut this.stream).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(io::Error::other(e))),
                Poll::Ready(Some(Ok(chunk))) => this.current = chunk,
            }
        }
        let n = this.current.len().min(buf.remaining());
        buf.put_slice(&this.current.split_to(n));
        Poll::Ready(Ok(()))
    }
}

/// One server-sent event: its `data` decoded, with the `event`, `id` and `retry` fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event` field (the event type); `None` means the default, `message`.
    pub event: Option<String>,
    /// The last event id the stream set (`id`), as the SSE specification carries it over.
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry`), if this event set one.
    pub retry: Option<Duration>,
    /// The `data` lines joined with `\n`, decoded as JSON (or, for a string type, taken as is).
    pub data: T,
}

/// An event before its data is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) event: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) retry: Option<u64>,
    pub(crate) data: String,
}

/// The `text/event-stream` line parser (WHATWG HTML, "Server-sent events", §9.2.6): lines end
/// with CRLF, LF or CR; a blank line dispatches; `:` starts a comment. Lines and the data of one
/// event are bounded.
#[derive(Debug)]
pub(crate) struct SseParser {
    max: usize,
    line: Vec<u8>,
    /// The previous chunk ended with CR: a LF starting this one belongs to it.
    after_cr: bool,
    /// The current line is too long: it is skipped to its end.
    skipping: bool,
    started: bool,
    /// The current event had a bad line: it is dropped at its end.
    skipping_event: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    retry: Option<u64>,
    last_id: Option<String>,
}

impl SseParser {
    pub(crate) fn new(max: usize) -> Self {
        SseParser {
            max,
            line: Vec::new(),
            after_cr: false,
            skipping: false,
            started: false,
            skipping_event: false,
            event: None,
            data: String::new(),
            has_data: false,
            retry: None,
            last_id: None,
        }
    }

    /// Feeds a chunk; complete events (or errors about them) are pushed to `out`.
    pub(crate) fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<Result<RawEvent, String>>) {
        if chunk.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = chunk.strip_prefix(b"\n") {
                chunk = rest;
            }
        }
        while !chunk.is_empty() {
            match chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => {
                    self.push(chunk, out);
                    return;
                }
                Some(i) => {
                    self.push(&chunk[..i], out);
                    let cr = chunk[i] == b'\r';
                    chunk = &chunk[i + 1..];
                    if cr {
                        match chunk.first() {
                            Some(b'\n') => chunk = &chunk[1..],
                            None => self.after_cr = true,
                            _ => {}
                        }
                    }
                    self.end_line(out);
                }
            }
        }
    }

    fn push(&mut self, part: &[u8], out: &mut VecDeque<Result<RawEvent, String>>) {
        if self.skipping {
            return;
        }
        if self.line.len() + part.len() > self.max {
            self.skipping = true;
            self.line.clear();
            out.push_back(Err(format!(
                "an event-stream line is longer than {} bytes; the line is skipped",
                self.max
            )));
            return;
        }
        self.line.extend_from_slice(part);
    }

    fn end_line(&mut self, out: &mut VecDeque<Result<RawEvent, String>>) {
        if std::mem::take(&mut self.skipping) {
            // The event the long line belonged to is dropped with it.
            self.reset_event();
            self.skipping_event = true;
            return;
        }
        let mut line = std::mem::take(&mut self.line);
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix("\u{feff}".as_bytes()) {
                line = rest.to_vec();
            }
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            out.push_back(Err(
                "an event-stream line is not UTF-8; its event is skipped".into(),
            ));
            self.reset_event();
            self.skipping_event = true;
            return;
        };
        if text.starts_with(':') {
            return;
        }
        let (field, value) = match text.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (text, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => {
                if self.data.len() + value.len() + 1 > self.max {
                    out.push_back(Err(format!(
                        "an event's data is longer than {} bytes; the event is skipped",
                        self.max
                    )));
                    self.reset_event();
                    self.skipping_event = true;
                    return;
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
    }

    fn reset_event(&mut self) {
        self.event = None;
        self.data.clear();
        self.has_data = false;
        self.retry = None;
    }

    fn dispatch(&mut self, out: &mut VecDeque<Result<RawEvent, String>>) {
        if std::mem::take(&mut self.skipping_event) || !self.has_data {
            self.reset_event();
            return;
        }
        out.push_back(Ok(RawEvent {
            event: self.event.take(),
            id: self.last_id.clone(),
            retry: self.retry.take(),
            data: std::mem::take(&mut self.data),
        }));
        self.has_data = false;
    }
}

/// Decodes an event's data: JSON, or (for a type that takes a string) the text itself.
pub(crate) fn decode_data<T: DeserializeOwned>(data: &str) -> Result<T, DecodeError> {
    match serde_json::from_slice::<T>(data.as_bytes()) {
        Ok(v) => Ok(v),
        Err(e) => crate::response::value_as(&Value::String(data.to_owned())).map_err(|_| {
            DecodeError::with_source("an event's data does not match the declared type", e)
                .at_response(200, data.as_bytes())
        }),
    }
}

/// A `text/event-stream` response as a [`Stream`] of typed [`Event`]s, decoded as the chunks
/// arrive (an event split across chunks is joined). An event whose data does not decode, or a
/// line past [`EventStream::max_event_size`], is an error item and the stream goes on; a
/// transport error ends it.
///
/// ```no_run
/// # async fn run(mut events: sdkwright_runtime::EventStream<serde_json::Value, sdkwright_runtime::ErrorMetadata>)
/// # -> Result<(), sdkwright_runtime::Error<sdkwright_runtime::ErrorMetadata>> {
/// use futures_util::TryStreamExt;
/// while let Some(ev) = events.try_next().await? {
///     println!("{:?} {:?}: {}", ev.event, ev.id, ev.data);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<T, E> {
    bytes: Option<ByteStream>,
    parser: SseParser,
    ready: VecDeque<Result<RawEvent, String>>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

impl<T, E> EventStream<T, E> {
    /// Events parsed from a byte stream.
    pub fn from_bytes(bytes: ByteStream) -> Self {
        EventStream {
            bytes: Some(bytes),
            parser: SseParser::new(DEFAULT_MAX_EVENT_SIZE),
            ready: VecDeque::new(),
            _types: PhantomData,
        }
    }

    /// The longest line, and the most data one event may gather (default
    /// [`DEFAULT_MAX_EVENT_SIZE`]); past it, the event is skipped with an error item.
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.parser.max = bytes.max(1);
        self
    }

    /// The response status (`None` once the stream ended).
    pub fn status(&self) -> Option<u16> {
        self.bytes.as_ref().map(ByteStream::status)
    }

    /// The first value of the response header `name` (`None` once the stream ended).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.bytes.as_ref().and_then(|b| b.header(name))
    }
}

impl<T: DeserializeOwned, E> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(raw) = this.ready.pop_front() {
                let item = raw
                    .map_err(|m| Error::Decode(DecodeError::new(m)))
                    .and_then(|raw| {
                        Ok(Event {
                            data: decode_data::<T>(&raw.data)?,
                            event: raw.event,
                            id: raw.id,
                            retry: raw.retry.map(Duration::from_millis),
                        })
                    });
                return Poll::Ready(Some(item));
            }
            let Some(bytes) = &mut this.bytes else {
                return Poll::Ready(None);
            };
            match Pin::new(bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(e))) => {
                    this.bytes = None;
                    return Poll::Ready(Some(Err(Error::Transport(e))));
                }
                // An event without its closing blank line is dropped (the specification's rule).
                Poll::Ready(None) => this.bytes = None,
            }
        }
    }
}

impl Client {
    /// Sends the request and returns the 2xx response's body as a [`ByteStream`]; retries stop
    /// once the headers arrive, and `max_body_size` does not apply to the stream. An error
    /// status is classified as [`Client::execute`] does.
    #[doc(hidden)]
    pub async fn execute_stream<E: FromErrorResponse>(
        &self,
        req: Request,
    ) -> Result<ByteStream, Error<E>> {
        let head = self.execute_head::<E>(req).await?;
        Ok(ByteStream::new(
            head.status,
            head.headers.into_vec(),
            head.resp,
        ))
    }

    /// Sends the request and returns the 2xx `text/event-stream` response as an
    /// [`EventStream`] of events whose data decodes as `T`.
    #[doc(hidden)]
    pub async fn execute_events<T: DeserializeOwned, E: FromErrorResponse>(
        &self,
        req: Request,
    ) -> Result<EventStream<T, E>, Error<E>> {
        let mut req = req;
        if !req
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"))
        {
            req.headers
                .push(("accept".to_owned(), "text/event-stream".to_owned()));
        }
        Ok(EventStream::from_bytes(
            self.execute_stream::<E>(req).await?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]], max: usize) -> Vec<Result<RawEvent, String>> {
        let mut p = SseParser::new(max);
        let mut out = VecDeque::new();
        for c in chunks {
            p.feed(c, &mut out);
        }
        out.into_iter().collect()
    }

    fn ev(data: &str, event: Option<&str>, id: Option<&str>) -> Result<RawEvent, String> {
        Ok(RawEvent {
            event: event.map(str::to_owned),
            id: id.map(str::to_owned),
            retry: None,
            data: data.to_owned(),
        })
    }

    #[test]
    fn fields_comments_and_line_endings() {
        let out = parse(
            &[b"\xEF\xBB\xBF: hi\r\nevent: a\rdata: 1\ndata:2\r\n\r\nid: 7\ndata\n\n"],
            100,
        );
        assert_eq!(
            out,
            vec![ev("1\n2", Some("a"), None), ev("", None, Some("7"))]
        );
    }

    #[test]
    fn every_split_point_gives_the_same_events() {
        let text: &[u8] = b"event: up\r\nid: 1\r\ndata: {\"a\":1}\r\n\r\nretry: 50\ndata: x\n\n";
        let whole = parse(&[text], 100);
        assert_eq!(whole.len(), 2);
        for i in 0..text.len() {
            for j in i..text.len() {
                assert_eq!(
                    parse(&[&text[..i], &text[i..j], &text[j..]], 100),
                    whole,
                    "{i} {j}"
                );
            }
        }
    }

    #[test]
    fn long_lines_are_skipped_with_an_error() {
        let out = parse(&[b"data: 0123456789abcdef\n\n", b"data: ok\n\n"], 8);
        assert!(out[0].is_err());
        assert_eq!(out[1], ev("ok", None, None));
        assert_eq!(out.len(), 2);
        let out = parse(&[b"data:12345\ndata:12345\n\ndata: ok\n\n"], 10);
        assert!(out[0].is_err());
        assert_eq!(out[1..], [ev("ok", None, None)]);
    }
}
