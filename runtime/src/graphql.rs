//! GraphQL over HTTP beyond a plain POST: queries sent as GET (the GraphQL-over-HTTP spec's URL
//! parameters), automatic persisted queries (Apollo's APQ: the document's SHA-256 first, the
//! text only when the server asks for it), and the client settings of subscriptions
//! (`graphql_ws.rs`, feature `graphql-ws`).
//!
//! Both act on a request of a contract 5 crate (`BodyFormat::graphql_operation`, which carries
//! the operation's kind and hash) after it is prepared like any other ([`shape`]), so auth,
//! retries, redirects and interceptors are those of every call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::body::Payload;
use crate::client::{Client, Failure, Prepared, Raw};
use crate::error::RequestError;
use crate::request::Request;
use crate::spec::{BodyFormat, GraphQlKind, ResponseFormat};
use crate::ClientBuilder;

/// What one request of an automatic persisted query sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Persisted {
    /// A plain request: the query text, no `extensions`.
    Off,
    /// The hash in `extensions.persistedQuery`, no query text.
    HashOnly,
    /// The hash and the query text (after `PersistedQueryNotFound`: the server stores it).
    WithQuery,
}

/// The client's GraphQL settings ([`ClientBuilder::graphql_get_queries`] and the others).
#[derive(Debug, Default)]
pub(crate) struct GraphQlSettings {
    /// Send queries as GET.
    pub(crate) get_queries: bool,
    /// Send persisted-query hashes first.
    pub(crate) persisted: bool,
    /// The server answered `PersistedQueryNotSupported`: hashes are no longer sent.
    pub(crate) persisted_unsupported: AtomicBool,
    /// The subscriptions' WebSocket URL, when not derived from the base URL.
    pub(crate) ws_url: Option<String>,
    /// The `connection_init` payload, when not the credentials.
    pub(crate) ws_init_payload: Option<Value>,
    /// Silence after which a ping is sent on a subscription's WebSocket.
    pub(crate) ws_keepalive: Option<Duration>,
}

impl ClientBuilder {
    /// GraphQL: sends queries (never mutations) as HTTP GET, with `query`, `variables`
    /// (JSON), `operationName` and `extensions` (JSON) as URL parameters, as the
    /// GraphQL-over-HTTP spec says, so that caches and CDNs can keep them and they are retried
    /// like any idempotent request. Default: POST. A call can choose for itself with
    /// [`CallOptions::graphql_get`](crate::CallOptions::graphql_get). Only crates generated
    /// for contract 5 or later say which operations are queries; older ones always POST.
    pub fn graphql_get_queries(mut self, get: bool) -> Self {
        self.graphql.get_queries = get;
        self
    }

    /// GraphQL: automatic persisted queries (Apollo's APQ). Each query and mutation is first
    /// sent with only the SHA-256 of its document (`extensions.persistedQuery`, computed when
    /// the crate was generated); when the server answers `PersistedQueryNotFound`, it is sent
    /// again with its text, which the server then keeps. With
    /// [`graphql_get_queries`](Self::graphql_get_queries), the hashed queries are short GET
    /// URLs a CDN can cache. A server answering `PersistedQueryNotSupported` gets the text
    /// from then on. Default: off.
    pub fn graphql_persisted_queries(mut self, enabled: bool) -> Self {
        self.graphql.persisted = enabled;
        self
    }

    /// GraphQL subscriptions (feature `graphql-ws`): the WebSocket URL (`ws://` or `wss://`).
    /// Default: the base URL with `http` replaced by `ws` and `https` by `wss`.
    pub fn graphql_ws_url(mut self, url: impl Into<String>) -> Self {
        self.graphql.ws_url = Some(url.into());
        self
    }

    /// GraphQL subscriptions (feature `graphql-ws`): the payload of the `connection_init`
    /// message. Default: the credentials of the call (the headers the client marks as
    /// secret: `authorization` for a bearer token or basic auth, an API key header, secret
    /// default headers), as an object of lowercase header names to values, or no payload
    /// without any. They are also sent as headers of the upgrade request, whatever the payload.
    pub fn graphql_ws_init_payload(mut self, payload: serde_json::Value) -> Self {
        self.graphql.ws_init_payload = Some(payload);
        self
    }

    /// GraphQL subscriptions (feature `graphql-ws`): after this long without a message from
    /// the server, the client sends a `ping`; without an answer within the client's timeout the
    /// subscription ends with a timeout error. Default: 30 seconds.
    pub fn graphql_ws_keepalive(mut self, interval: Duration) -> Self {
        self.graphql.ws_keepalive = Some(interval);
        self
    }
}

/// The hash of a request's operation, when it is sent as a persisted query.
pub(crate) fn persisted_hash(client: &Client, req: &Request) -> Option<&'static str> {
    let settings = &client.inner.graphql;
    let Some(BodyFormat::GraphQl { sha256, kind, .. }) = req.spec.body else {
        return None;
    };
    let on = settings.persisted
        && !sha256.is_empty()
        && kind != GraphQlKind::Subscription
        && req.error.is_none()
        && !settings.persisted_unsupported.load(Ordering::Relaxed);
    on.then_some(sha256)
}

/// Sends `req` (the one request of every call, or the one or two of a persisted query).
pub(crate) async fn send(client: &Client, mut req: Request) -> Result<Raw, Failure> {
    if persisted_hash(client, &req).is_none() {
        return client.send_once(req).await;
    }
    let mut full = req.for_page();
    full.persisted = Persisted::WithQuery;
    req.persisted = Persisted::HashOnly;
    let raw = client.send_once(req).await?;
    match persisted_answer(&raw) {
        None => Ok(raw),
        Some(PersistedAnswer::NotFound) => client.send_once(full).await,
        Some(PersistedAnswer::NotSupported) => {
            client
                .inner
                .graphql
                .persisted_unsupported
                .store(true, Ordering::Relaxed);
            full.persisted = Persisted::Off;
            client.send_once(full).await
        }
    }
}

/// What a server said about a persisted query's hash.
#[derive(Debug, PartialEq, Eq)]
enum PersistedAnswer {
    /// It does not know the hash: send the text.
    NotFound,
    /// It does not do persisted queries.
    NotSupported,
}

/// Whether `raw` is the answer to an unknown hash (Apollo Server and async-graphql say
/// `PersistedQueryNotFound` in the message, Apollo also `PERSISTED_QUERY_NOT_FOUND` in
/// `extensions.code`) or to a server without persisted queries.
fn persisted_answer(raw: &Raw) -> Option<PersistedAnswer> {
    if raw.format != ResponseFormat::GraphQl {
        return None;
    }
    let body = &raw.body[..];
    let mentions = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    if !mentions(b"PersistedQueryNot") && !mentions(b"PERSISTED_QUERY_NOT") {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        errors: Vec<Value>,
    }
    let parsed: Body = serde_json::from_slice(body).ok()?;
    let says = |message: &str, code: &str| {
        parsed.errors.iter().any(|e| {
            e.get("message").and_then(Value::as_str) == Some(message)
                || e.pointer("/extensions/code").and_then(Value::as_str) == Some(code)
        })
    };
    if says("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND") {
        Some(PersistedAnswer::NotFound)
    } else if says(
        "PersistedQueryNotSupported",
        "PERSISTED_QUERY_NOT_SUPPORTED",
    ) {
        Some(PersistedAnswer::NotSupported)
    } else {
        None
    }
}

/// Turns a prepared GraphQL POST into what the settings ask for: a persisted query's
/// `extensions` (without the text for [`Persisted::HashOnly`]), and a query as GET with its
/// members as URL parameters. Anything else is left as it is.
pub(crate) fn shape(
    req: &Request,
    settings: &GraphQlSettings,
    prepared: &mut Prepared,
) -> Result<(), RequestError> {
    let Some(BodyFormat::GraphQl { kind, sha256, .. }) = req.spec.body else {
        return Ok(());
    };
    let get = kind == GraphQlKind::Query
        && req
            .options
            .get_graphql_get()
            .unwrap_or(settings.get_queries);
    if !get && req.persisted == Persisted::Off {
        return Ok(());
    }
    let internal = |e: serde_json::Error| {
        RequestError::with_source(format!("the GraphQL request of `{}`", req.spec.name), e)
    };
    let mut map: Map<String, Value> = match &prepared.body {
        Some(Payload::Bytes(b)) => serde_json::from_slice(b).map_err(internal)?,
        // Not the JSON body this GraphQL request encodes (never made by generated code).
        Some(_) => return Ok(()),
        None => Map::new(),
    };
    if req.persisted != Persisted::Off {
        if req.persisted == Persisted::HashOnly {
            map.remove("query");
        }
        let mut pq = Map::new();
        pq.insert("version".into(), Value::from(1));
        pq.insert("sha256Hash".into(), Value::from(sha256));
        let mut ext = Map::new();
        ext.insert("persistedQuery".into(), Value::Object(pq));
        map.insert("extensions".into(), Value::Object(ext));
    }
    if get {
        prepared.method = reqwest::Method::GET;
        {
            let mut q = prepared.url.query_pairs_mut();
            for key in ["query", "operationName"] {
                if let Some(Value::String(s)) = map.get(key) {
                    q.append_pair(key, s);
                }
            }
            for key in ["variables", "extensions"] {
                if let Some(v) = map.get(key) {
                    q.append_pair(key, &v.to_string());
                }
            }
        }
        prepared.body = None;
        for h in prepared.body_headers.drain(..) {
            prepared.headers.remove(h);
        }
    } else {
        prepared.body = Some(Payload::Bytes(
            serde_json::to_vec(&map).map_err(internal)?.into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: &str) -> Raw {
        Raw {
            status: 200,
            headers: Default::default(),
            body: bytes::Bytes::from(body.to_owned()),
            format: ResponseFormat::GraphQl,
        }
    }

    #[test]
    fn persisted_answers() {
        let not_found = r#"{"errors":[{"message":"PersistedQueryNotFound"}]}"#;
        assert_eq!(
            persisted_answer(&raw(not_found)),
            Some(PersistedAnswer::NotFound)
        );
        let apollo =
            r#"{"errors":[{"message":"x","extensions":{"code":"PERSISTED_QUERY_NOT_SUPPORTED"}}]}"#;
        assert_eq!(
            persisted_answer(&raw(apollo)),
            Some(PersistedAnswer::NotSupported)
        );
        // A data field that merely mentions the words is no answer.
        let data = r#"{"data":{"text":"PersistedQueryNotFound"}}"#;
        assert_eq!(persisted_answer(&raw(data)), None);
        assert_eq!(persisted_answer(&raw("not json PersistedQueryNot")), None);
    }
}
