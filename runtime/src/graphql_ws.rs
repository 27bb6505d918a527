//! GraphQL subscriptions over a WebSocket with the `graphql-transport-ws` protocol (the one of
//! the graphql-ws library and Apollo; <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>),
//! feature `graphql-ws`.
//!
//! One connection per subscription: the upgrade request carries the call's headers and
//! credentials, `connection_init` the payload ([`ClientBuilder::graphql_ws_init_payload`],
//! default the credentials), then one `subscribe`. A task drives the socket (answers `ping`,
//! sends its own after [`ClientBuilder::graphql_ws_keepalive`] of silence) and hands each
//! message to the [`Subscription`] stream, which decodes it as the operation's data type.
//! Dropping the stream sends `complete` and closes the connection. Every wait on the socket
//! has a deadline (the client's timeout) or ends when the server closes it.
//!
//! [`ClientBuilder::graphql_ws_init_payload`]: crate::ClientBuilder::graphql_ws_init_payload
//! [`ClientBuilder::graphql_ws_keepalive`]: crate::ClientBuilder::graphql_ws_keepalive

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};

use crate::auth;
use crate::client::Client;
use crate::error::{
    ApiError, Error, GraphQlError, GraphQlErrors, RequestError, TransportError, TransportErrorKind,
};
use crate::request::Request;
use crate::response::{ErrorBody, ErrorMetadata};
use crate::spec::OperationSpec;

/// The WebSocket subprotocol.
const PROTOCOL: &str = "graphql-transport-ws";
/// The id of the one subscription of a connection.
const ID: &str = "1";
/// The default [`crate::ClientBuilder::graphql_ws_keepalive`].
const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(30);
/// Longest wait for the closing handshake after `complete`.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// Messages decoded ahead of the consumer.
const BUFFER: usize = 16;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The close frame of a subscription's WebSocket: the [`std::error::Error::source`] of the
/// transport error a server's close becomes (`4401` unauthorized, `4403` forbidden, `4400`
/// invalid message, `4409` duplicate subscriber, `4429` too many initialisation requests,
/// `4499` terminated, `4500` internal error, or a WebSocket code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSocketClosed {
    code: u16,
    reason: String,
}

impl WebSocketClosed {
    /// The close code.
    pub fn code(&self) -> u16 {
        self.code
    }
    /// The reason the server gave (may be empty).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for WebSocketClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebSocket closed with {}", self.code)?;
        if !self.reason.is_empty() {
            crate::error::write_bounded(f, 256, format_args!(": {}", self.reason))?;
        }
        Ok(())
    }
}

impl std::error::Error for WebSocketClosed {}

/// The meaning of a `graphql-transport-ws` (or WebSocket) close code, and what to do about it.
fn close_meaning(code: u16) -> (&'static str, &'static str) {
    match code {
        4400 => ("invalid message", ""),
        4401 => (
            "unauthorized",
            ": check the client's credentials (sent in the upgrade request and in the connection_init payload)",
        ),
        4403 => (
            "forbidden",
            ": the server refused the connection_init payload; check the client's credentials or graphql_ws_init_payload",
        ),
        4406 => ("subprotocol not acceptable", ""),
        4408 => ("connection initialisation timeout", ""),
        4409 => ("subscriber already exists", ""),
        4429 => ("too many initialisation requests", ""),
        4499 => ("terminated", ""),
        4500 => ("internal server error", ""),
        1000 => ("normal closure before the subscription completed", ""),
        1001 => ("going away", ""),
        1011 => ("internal server error", ""),
        _ => ("", ""),
    }
}

/// The error of a connection the server closed.
fn closed(op: &str, frame: Option<&CloseFrame>) -> TransportError {
    let (code, reason) = match frame {
        Some(f) => (u16::from(f.code), f.reason.as_str().to_owned()),
        None => (1005, String::new()),
    };
    let (meaning, hint) = close_meaning(code);
    let meaning = if meaning.is_empty() {
        String::new()
    } else {
        format!(" ({meaning})")
    };
    let reason = crate::error::bounded(reason, 256);
    let said = if reason.is_empty() {
        String::new()
    } else {
        format!(": \"{reason}\"")
    };
    TransportError::with_source(
        TransportErrorKind::Other,
        format!("`{op}`: the GraphQL server closed the subscription's WebSocket with {code}{meaning}{said}{hint}"),
        WebSocketClosed { code, reason },
    )
}

fn protocol_error(op: &str, what: impl fmt::Display) -> TransportError {
    TransportError::new(
        TransportErrorKind::Other,
        format!("`{op}`: graphql-transport-ws protocol error: {what}"),
    )
}

fn socket_error(op: &str, e: tungstenite::Error) -> TransportError {
    let kind = match &e {
        tungstenite::Error::Io(_) | tungstenite::Error::Tls(_) | tungstenite::Error::Url(_) => {
            TransportErrorKind::Connect
        }
        tungstenite::Error::Capacity(_) => TransportErrorKind::BodyTooLarge,
        _ => TransportErrorKind::Other,
    };
    TransportError::with_source(kind, format!("`{op}`: WebSocket error"), e)
}

fn timed_out(op: &str, what: &str, after: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        format!("`{op}`: {what} within {after:?}"),
    )
}

/// One message of the protocol, as received.
#[derive(serde::Deserialize)]
struct Incoming {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    payload: Value,
}

/// Sends one text message, within `wait`.
async fn send_text(
    ws: &mut Socket,
    op: &str,
    text: String,
    wait: Duration,
) -> Result<(), TransportError> {
    match tokio::time::timeout(wait, ws.send(Message::text(text))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(socket_error(op, e)),
        Err(_) => Err(timed_out(op, "a WebSocket message could not be sent", wait)),
    }
}

/// The WebSocket URL: the one set, or the request's URL (the base URL, auth query parameters
/// included) with `ws`/`wss` for `http`/`https`.
fn ws_url(set: Option<&str>, http: &reqwest::Url) -> Result<reqwest::Url, RequestError> {
    if let Some(set) = set {
        let url = reqwest::Url::parse(set).map_err(|e| {
            RequestError::with_source("invalid GraphQL WebSocket URL (graphql_ws_url)", e)
        })?;
        if !matches!(url.scheme(), "ws" | "wss") {
            return Err(RequestError::new(format!(
                "the GraphQL WebSocket URL must be ws:// or wss://, not {}://",
                url.scheme()
            )));
        }
        return Ok(url);
    }
    let mut url = http.clone();
    let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
    url.set_scheme(scheme).map_err(|()| {
        RequestError::new("the base URL cannot be turned into a WebSocket URL: set graphql_ws_url")
    })?;
    Ok(url)
}

impl Client {
    /// Starts the GraphQL subscription `req` over a WebSocket (`graphql-transport-ws`): connects
    /// (with the call's headers and credentials), initialises the connection, subscribes, and
    /// returns the stream of results. Fails when the connection cannot be made, the upgrade is
    /// refused (as [`Error::Api`] / [`Error::GraphQl`] for the HTTP response), or the server
    /// closes or errs before acknowledging the connection.
    #[doc(hidden)]
    pub async fn subscribe<T, B>(
        &self,
        mut req: Request,
    ) -> Result<Subscription<T, B>, Error<ApiError<B>>>
    where
        T: DeserializeOwned,
        B: ErrorBody,
    {
        let spec = req.spec;
        let op = spec.name;
        if let Some(e) = req.error.take() {
            return Err(Error::Request(*e));
        }
        // The socket, its timers and the driver task are tokio's: without a tokio runtime they
        // would panic, so say it first.
        let handle = tokio::runtime::Handle::try_current().map_err(|e| {
            Error::Request(RequestError::with_source(
                "a GraphQL subscription needs a tokio runtime",
                e,
            ))
        })?;
        let authorization = auth::authorize(spec, self.auth_env())
            .await
            .map_err(Error::Auth)?;
        let prepared = self.prepare(&req, &authorization)?;
        let settings = &self.inner.graphql;
        let wait = prepared.timeout;
        let url = ws_url(settings.ws_url.as_deref(), &prepared.url)?;

        // The upgrade request: the call's headers (auth, defaults, per call), not the body's.
        let mut upgrade = url.as_str().into_client_request().map_err(|e| {
            Error::Request(RequestError::with_source("invalid WebSocket request", e))
        })?;
        let mut credentials = Map::new();
        for (name, value) in &prepared.headers {
            if name == reqwest::header::CONTENT_TYPE
                || name == reqwest::header::ACCEPT
                || prepared.body_headers.contains(name)
            {
                continue;
            }
            if value.is_sensitive() {
                if let Ok(v) = value.to_str() {
                    credentials.insert(name.as_str().to_owned(), Value::from(v));
                }
            }
            upgrade.headers_mut().append(name.clone(), value.clone());
        }
        upgrade.headers_mut().insert(
            reqwest::header::SEC_WEBSOCKET_PROTOCOL,
            reqwest::header::HeaderValue::from_static(PROTOCOL),
        );
        let max = self.inner.max_body_size;
        let config = WebSocketConfig::default()
            .max_message_size(Some(max))
            .max_frame_size(Some(max));
        let connect = tokio_tungstenite::connect_async_with_config(upgrade, Some(config), true);
        let (mut ws, response) = match tokio::time::timeout(wait, connect).await {
            Err(_) => {
                return Err(Error::Timeout(timed_out(
                    op,
                    "no WebSocket connection",
                    wait,
                )))
            }
            Ok(Err(tungstenite::Error::Http(resp))) => {
                // The upgrade was refused with an HTTP response: classified as any call's.
                let status = resp.status().as_u16();
                let headers = crate::response::Headers::from_list(
                    resp.headers()
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.as_str().to_owned(),
                                String::from_utf8_lossy(v.as_bytes()).into_owned(),
                            )
                        })
                        .collect(),
                );
                let mut body = resp.into_body().unwrap_or_default();
                body.truncate(max);
                let status = if (200..300).contains(&status) {
                    502
                } else {
                    status
                };
                return Err(
                    crate::response::finish::<(), B>(spec, status, headers, body.into())
                        .err()
                        .unwrap_or_else(|| {
                            Error::Transport(protocol_error(
                                op,
                                "the WebSocket upgrade was refused",
                            ))
                        }),
                );
            }
            Ok(Err(e)) => return Err(Error::transport(socket_error(op, e))),
            Ok(Ok(pair)) => pair,
        };
        let chosen = response
            .headers()
            .get(reqwest::header::SEC_WEBSOCKET_PROTOCOL)
            .and_then(|v| v.to_str().ok());
        if chosen != Some(PROTOCOL) {
            let _ = tokio::time::timeout(CLOSE_WAIT, ws.close(None)).await;
            return Err(Error::Transport(protocol_error(
                op,
                format!("the server does not speak {PROTOCOL} (it chose {chosen:?})"),
            )));
        }

        // connection_init, then wait for connection_ack.
        let payload = match &settings.ws_init_payload {
            Some(p) => Some(p.clone()),
            None if credentials.is_empty() => None,
            None => Some(Value::Object(credentials)),
        };
        let mut init = Map::new();
        init.insert("type".into(), Value::from("connection_init"));
        if let Some(p) = payload {
            init.insert("payload".into(), p);
        }
        send_text(&mut ws, op, Value::Object(init).to_string(), wait).await?;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = match tokio::time::timeout_at(deadline, ws.next()).await {
                Err(_) => return Err(Error::Timeout(timed_out(op, "no connection_ack", wait))),
                Ok(None) => {
                    return Err(Error::Transport(protocol_error(
                        op,
                        "the server closed the connection before connection_ack",
                    )))
                }
                Ok(Some(Err(e))) => return Err(Error::transport(socket_error(op, e))),
                Ok(Some(Ok(m))) => m,
            };
            match msg {
                Message::Text(t) => {
                    let m: Incoming = serde_json::from_str(t.as_str())
                        .map_err(|e| Error::Transport(protocol_error(op, e)))?;
                    match m.kind.as_str() {
                        "connection_ack" => break,
                        "ping" => send_text(&mut ws, op, r#"{"type":"pong"}"#.into(), wait).await?,
                        "pong" => {}
                        other => {
                            let _ = close_with(&mut ws, 4400, "unexpected message").await;
                            return Err(Error::Transport(protocol_error(
                                op,
                                format!(
                                    "`{}` before connection_ack",
                                    crate::error::bounded(other.to_owned(), 64)
                                ),
                            )));
                        }
                    }
                }
                Message::Close(frame) => return Err(Error::Transport(closed(op, frame.as_ref()))),
                Message::Binary(_) => {
                    let _ = close_with(&mut ws, 4400, "binary message").await;
                    return Err(Error::Transport(protocol_error(op, "a binary message")));
                }
                _ => {}
            }
        }

        // subscribe: the request body is the payload ({query, operationName, variables}).
        let body: &[u8] = match &prepared.body {
            Some(crate::body::Payload::Bytes(b)) => b,
            _ => b"{}",
        };
        let body = std::str::from_utf8(body).map_err(|e| {
            Error::Request(RequestError::with_source("the subscription's payload", e))
        })?;
        let subscribe = format!(r#"{{"id":"{ID}","type":"subscribe","payload":{body}}}"#);
        send_text(&mut ws, op, subscribe, wait).await?;

        let (tx, rx) = mpsc::channel(BUFFER);
        let keepalive = settings.ws_keepalive.unwrap_or(DEFAULT_KEEPALIVE);
        handle.spawn(drive(ws, tx, op, wait, keepalive));
        Ok(Subscription {
            rx,
            spec,
            _types: PhantomData,
        })
    }
}

/// Closes the connection with `code`, waiting at most [`CLOSE_WAIT`] for the handshake.
async fn close_with(ws: &mut Socket, code: u16, reason: &'static str) -> Result<(), ()> {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    };
    let closing = async {
        let _ = ws.close(Some(frame)).await;
        // The server's close frame ends the handshake; anything before it is dropped.
        while let Some(Ok(_)) = ws.next().await {}
    };
    tokio::time::timeout(CLOSE_WAIT, closing)
        .await
        .map_err(|_| ())
}

/// What the driver hands to the stream.
#[derive(Debug)]
enum Event {
    /// A `next` message's payload (an execution result).
    Next(Value),
    /// An `error` message's payload (a list of GraphQL errors); the last event.
    Error(Value),
    /// The connection failed or the server closed it; the last event.
    Failed(TransportError),
}

/// Drives the socket of one subscription until it completes, fails, or the stream is dropped.
async fn drive(
    mut ws: Socket,
    tx: mpsc::Sender<Event>,
    op: &'static str,
    wait: Duration,
    keepalive: Duration,
) {
    let mut pinged = false;
    loop {
        let silence = if pinged { wait } else { keepalive };
        let next = tokio::select! {
            biased;
            () = tx.closed() => {
                // The stream was dropped: stop the subscription, close the connection.
                let complete = format!(r#"{{"id":"{ID}","type":"complete"}}"#);
                let _ = send_text(&mut ws, op, complete, CLOSE_WAIT).await;
                let _ = close_with(&mut ws, 1000, "").await;
                return;
            }
            next = tokio::time::timeout(silence, ws.next()) => next,
        };
        let event = match next {
            Err(_) if !pinged => {
                pinged = true;
                match send_text(&mut ws, op, r#"{"type":"ping"}"#.into(), wait).await {
                    Ok(()) => continue,
                    Err(e) => Event::Failed(e),
                }
            }
            Err(_) => Event::Failed(timed_out(op, "no answer to a ping", wait)),
            Ok(None) => Event::Failed(protocol_error(
                op,
                "the connection ended before the subscription completed",
            )),
            Ok(Some(Err(e))) => Event::Failed(socket_error(op, e)),
            Ok(Some(Ok(msg))) => {
                pinged = false;
                match msg {
                    Message::Text(t) => match serde_json::from_str::<Incoming>(t.as_str()) {
                        Err(e) => {
                            let _ = close_with(&mut ws, 4400, "invalid message").await;
                            Event::Failed(protocol_error(op, e))
                        }
                        Ok(m) => match (m.kind.as_str(), m.id.as_deref()) {
                            ("next", Some(ID)) => Event::Next(m.payload),
                            ("error", Some(ID)) => Event::Error(m.payload),
                            ("complete", Some(ID)) => {
                                let _ = close_with(&mut ws, 1000, "").await;
                                return;
                            }
                            ("ping", _) => {
                                match send_text(&mut ws, op, r#"{"type":"pong"}"#.into(), wait)
                                    .await
                                {
                                    Ok(()) => continue,
                                    Err(e) => Event::Failed(e),
                                }
                            }
                            ("pong" | "connection_ack", _) => continue,
                            (kind, id) => {
                                let _ = close_with(&mut ws, 4400, "unexpected message").await;
                                Event::Failed(protocol_error(
                                    op,
                                    format!(
                                        "unexpected `{}` message (id {:?})",
                                        crate::error::bounded(kind.to_owned(), 64),
                                        id.map(|i| crate::error::bounded(i.to_owned(), 64))
                                    ),
                                ))
                            }
                        },
                    },
                    Message::Close(frame) => Event::Failed(closed(op, frame.as_ref())),
                    Message::Binary(_) => {
                        let _ = close_with(&mut ws, 4400, "binary message").await;
                        Event::Failed(protocol_error(op, "a binary message"))
                    }
                    _ => continue,
                }
            }
        };
        let last = !matches!(event, Event::Next(_));
        if tx.send(event).await.is_err() {
            // Dropped while waiting: the loop's next turn would see it; do it now.
            let complete = format!(r#"{{"id":"{ID}","type":"complete"}}"#);
            let _ = send_text(&mut ws, op, complete, CLOSE_WAIT).await;
            let _ = close_with(&mut ws, 1000, "").await;
            return;
        }
        if last {
            let _ = close_with(&mut ws, 1000, "").await;
            return;
        }
    }
}

/// The results of a GraphQL subscription: a [`Stream`](futures_core::Stream) of the
/// operation's data type, one item per `next` message, ending when the server completes the
/// subscription. A `next` with `errors` is an [`Error::GraphQl`] item (with its partial data,
/// as for queries); an `error` message is an [`Error::GraphQl`] item and the last; a failed or
/// closed connection is an [`Error::Transport`] / [`Error::Timeout`] item and the last (a
/// server's close code is its source, [`WebSocketClosed`]).
///
/// Dropping it sends `complete` and closes the connection.
#[must_use = "a subscription does nothing unless its stream is polled"]
pub struct Subscription<T, B = Value> {
    rx: mpsc::Receiver<Event>,
    spec: &'static OperationSpec,
    _types: PhantomData<fn() -> (T, B)>,
}

impl<T, B> fmt::Debug for Subscription<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("operation", &self.spec.name)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned, B: ErrorBody> futures_core::Stream for Subscription<T, B> {
    type Item = Result<T, Error<ApiError<B>>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.rx.poll_recv(cx) {
            Poll::Ready(Some(event)) => Poll::Ready(Some(decode(this.spec.name, event))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The GraphQL errors of a payload's `errors` (or of an `error` message's list), leniently: an
/// entry that is not an error object becomes one whose message is its JSON text.
fn graphql_errors(v: Value) -> Vec<GraphQlError> {
    let items = match v {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|v| {
            serde_json::from_value::<GraphQlError>(v.clone())
                .unwrap_or_else(|_| GraphQlError::new(crate::error::bounded(v.to_string(), 1024)))
        })
        .collect()
}

/// One item of the stream.
fn decode<T: DeserializeOwned, B>(op: &'static str, event: Event) -> Result<T, Error<ApiError<B>>> {
    // A WebSocket message has no status: 101 (Switching Protocols) stands for it.
    let meta = |v: &Value| ErrorMetadata::new(101).with_body(v.to_string());
    match event {
        Event::Next(mut payload) => {
            // The raw message, for the error's metadata, before its parts are taken out.
            let m = meta(&payload);
            let errors = payload
                .get_mut("errors")
                .map(Value::take)
                .map(graphql_errors)
                .unwrap_or_default();
            let data = payload
                .get_mut("data")
                .map(Value::take)
                .unwrap_or(Value::Null);
            if !errors.is_empty() {
                return Err(Error::GraphQl(GraphQlErrors::new(
                    op,
                    errors,
                    Some(data),
                    m,
                )));
            }
            crate::response::from_value(
                &data,
                "GraphQL data does not match the declared type",
                "data",
            )
            .map_err(|d| Error::Decode(d.in_response(op, meta(&data))))
        }
        Event::Error(payload) => {
            let m = meta(&payload);
            let mut errors = graphql_errors(payload);
            if errors.is_empty() {
                errors.push(GraphQlError::new(
                    "the server ended the subscription with an error",
                ));
            }
            Err(Error::GraphQl(GraphQlErrors::new(op, errors, None, m)))
        }
        Event::Failed(e) => Err(Error::transport(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_urls() {
        let http = reqwest::Url::parse("https://api.example.com/graphql?key=1").unwrap();
        assert_eq!(
            ws_url(None, &http).unwrap().as_str(),
            "wss://api.example.com/graphql?key=1"
        );
        let http = reqwest::Url::parse("http://127.0.0.1:8080/gql").unwrap();
        assert_eq!(
            ws_url(None, &http).unwrap().as_str(),
            "ws://127.0.0.1:8080/gql"
        );
        assert_eq!(
            ws_url(Some("wss://ws.example.com/s"), &http)
                .unwrap()
                .as_str(),
            "wss://ws.example.com/s"
        );
        assert!(ws_url(Some("https://x"), &http).is_err());
        assert!(ws_url(Some("not a url"), &http).is_err());
    }

    #[test]
    fn close_codes_are_explained() {
        let frame = CloseFrame {
            code: CloseCode::from(4401),
            reason: "Unauthorized".into(),
        };
        let e = closed("OnTick", Some(&frame));
        let text = e.to_string();
        assert!(text.contains("4401 (unauthorized)"), "{text}");
        assert!(text.contains("credentials"), "{text}");
        let source = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<WebSocketClosed>())
            .unwrap();
        assert_eq!((source.code(), source.reason()), (4401, "Unauthorized"));
    }

    #[test]
    fn next_payloads_decode() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct D {
            n: i32,
        }
        let ok: Result<D, Error<ApiError<Value>>> =
            decode("Op", Event::Next(serde_json::json!({"data": {"n": 3}})));
        assert_eq!(ok.unwrap(), D { n: 3 });
        let partial: Result<D, Error<ApiError<Value>>> = decode(
            "Op",
            Event::Next(
                serde_json::json!({"data": {"n": 1}, "errors": [{"message": "m", "path": ["x"]}]}),
            ),
        );
        let Err(Error::GraphQl(g)) = partial else {
            panic!("expected GraphQL errors");
        };
        assert_eq!(g.errors()[0].message, "m");
        assert_eq!(g.decode_data::<D>().unwrap().unwrap(), D { n: 1 });
        assert!(g.to_string().contains("WebSocket"), "{g}");
        let bad: Result<D, Error<ApiError<Value>>> =
            decode("Op", Event::Next(serde_json::json!({"data": {"n": "x"}})));
        assert!(matches!(bad, Err(Error::Decode(_))));
        let err: Result<D, Error<ApiError<Value>>> =
            decode("Op", Event::Error(serde_json::json!([{"message": "boom"}])));
        let Err(Error::GraphQl(g)) = err else {
            panic!("expected GraphQL errors");
        };
        assert_eq!(g.errors()[0].message, "boom");
    }
}
