//! The generated ticker client (specs/ticker.graphql) against real servers on loopback:
//!
//! - async-graphql with async-graphql-axum's `GraphQLWebSocket` (the `graphql-transport-ws`
//!   protocol of graphql-ws and Apollo) for subscriptions, and its request extractor for queries
//!   sent as POST or GET, with the `ApolloPersistedQueries` extension; the handler records every
//!   HTTP request, upgrade header and `connection_init` payload it saw;
//! - small hand-written WebSocket servers (axum) for what async-graphql never does: closing with
//!   `4401`, sending an `error` message or a `ping`, never answering, and for watching the client's
//!   `complete` when the stream is dropped.
//!
//! Every test is bounded by a timeout: nothing may hang.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, LruCacheStorage,
};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Context, Data, Object, Schema, Subscription};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::{Stream, StreamExt};
use sdkwright_runtime::{Error, Nullable, WebSocketClosed};
use serde_json::{json, Value};
use ticker::types::{
    CountdownCountdown, CountdownData, CountdownVariables, HelloVariables, SetGreetingVariables,
};
use ticker::Client;

/// Bounds every test.
async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the test did not finish within 20 s")
}

// ---------------------------------------------------------------------------------------------
// The async-graphql server.

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// HTTP GraphQL requests: method, whether the query text was sent, the persisted-query
    /// hash sent (if any).
    requests: Vec<(Method, bool, Option<String>)>,
    /// `authorization` of each WebSocket upgrade request.
    upgrade_auth: Vec<Option<String>>,
    /// Each `connection_init` payload.
    init_payloads: Vec<Value>,
    /// Countdown streams the server dropped (the client completed or went away).
    dropped: usize,
}

type Shared = Arc<Mutex<Seen>>;

struct Query;

#[Object]
impl Query {
    /// A greeting for `name`.
    async fn hello(&self, name: String) -> String {
        format!("Hello, {name}!")
    }
}

struct Mutation;

#[Object]
impl Mutation {
    /// Replaces the greeting's word; returns the new one.
    async fn set_greeting(&self, word: String) -> String {
        word
    }
}

struct Tick {
    n: i32,
    fail: bool,
}

#[Object]
impl Tick {
    async fn n(&self) -> i32 {
        self.n
    }
    async fn label(&self) -> async_graphql::Result<Option<String>> {
        if self.fail {
            Err("the label of this tick failed".into())
        } else {
            Ok(Some(format!("T-{}", self.n)))
        }
    }
}

/// Counts the countdown streams the server dropped.
struct DropGuard(Shared);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.lock().unwrap().dropped += 1;
    }
}

/// The `authorization` of the connection's `connection_init` payload.
struct Who(Option<String>);

struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// Counts down from `from` to 1, 10 ms apart, then completes.
    async fn countdown(
        &self,
        ctx: &Context<'_>,
        from: i32,
        fail_at: Option<i32>,
    ) -> impl Stream<Item = Tick> {
        let guard = DropGuard(ctx.data_unchecked::<Shared>().clone());
        futures_util::stream::unfold((from, guard), move |(n, guard)| async move {
            if n < 1 {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
            let tick = Tick {
                n,
                fail: fail_at == Some(n),
            };
            Some((tick, (n - 1, guard)))
        })
    }

    /// The `authorization` member of the connection_init payload, once.
    async fn whoami(&self, ctx: &Context<'_>) -> impl Stream<Item = Option<String>> {
        let who = ctx.data_opt::<Who>().and_then(|w| w.0.clone());
        futures_util::stream::once(async move { who })
    }
}

type TickerSchema = Schema<Query, Mutation, SubscriptionRoot>;

#[derive(Clone)]
struct App {
    schema: TickerSchema,
    seen: Shared,
}

/// POST, GET, and the WebSocket upgrade, all on `/graphql`.
async fn graphql(State(app): State<App>, headers: HeaderMap, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    if headers.contains_key("upgrade") {
        let protocol = GraphQLProtocol::from_request_parts(&mut parts, &()).await;
        let upgrade = WebSocketUpgrade::from_request_parts(&mut parts, &()).await;
        let (Ok(protocol), Ok(upgrade)) = (protocol, upgrade) else {
            return axum::http::StatusCode::BAD_REQUEST.into_response();
        };
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        app.seen.lock().unwrap().upgrade_auth.push(auth);
        let (schema, seen) = (app.schema.clone(), app.seen.clone());
        return upgrade
            .protocols(ALL_WEBSOCKET_PROTOCOLS)
            .on_upgrade(move |socket| {
                GraphQLWebSocket::new(socket, schema, protocol)
                    .on_connection_init(move |payload| async move {
                        seen.lock().unwrap().init_payloads.push(payload.clone());
                        let who = payload
                            .get("authorization")
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                        let mut data = Data::default();
                        data.insert(Who(who));
                        Ok(data)
                    })
                    .serve()
            });
    }
    let req = Request::from_parts(parts, body);
    let method = req.method().clone();
    let gql = match GraphQLRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(
        req,
        &(),
    )
    .await
    {
        Ok(r) => r.into_inner(),
        Err(e) => return e.into_response(),
    };
    let hash = gql
        .extensions
        .get("persistedQuery")
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| {
            v.get("sha256Hash")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    app.seen
        .lock()
        .unwrap()
        .requests
        .push((method, !gql.query.is_empty(), hash));
    GraphQLResponse::from(app.schema.execute(gql).await).into_response()
}

/// Serves the schema on loopback: `(base URL of /graphql, what the server saw)`.
async fn serve() -> (String, Shared) {
    let seen = Shared::default();
    let schema = Schema::build(Query, Mutation, SubscriptionRoot)
        .data(seen.clone())
        .extension(ApolloPersistedQueries::new(LruCacheStorage::new(64)))
        .finish();
    let app = Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .with_state(App {
            schema,
            seen: seen.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/graphql"), seen)
}

fn builder(base: &str) -> ticker::ClientBuilder {
    Client::builder()
        .base_url(base)
        .timeout(Duration::from_secs(5))
}

fn tick(n: i32) -> CountdownData {
    CountdownData {
        countdown: CountdownCountdown {
            n,
            label: Some(format!("T-{n}")),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Subscriptions against async-graphql.

#[test]
fn server_schema_matches_the_spec() {
    let sdl = Schema::build(Query, Mutation, SubscriptionRoot)
        .finish()
        .sdl();
    for line in [
        "hello(name: String!): String!",
        "setGreeting(word: String!): String!",
        "countdown(from: Int!, failAt: Int): Tick!",
        "whoami: String",
        "label: String",
        "n: Int!",
    ] {
        assert!(sdl.contains(line), "{line} not in\n{sdl}");
        let spec = include_str!("../../specs/ticker.graphql");
        assert!(spec.contains(line), "{line} not in the spec");
    }
}

#[tokio::test]
async fn subscription_streams_typed_events_in_order_then_completes() {
    bounded(async {
        let (base, seen) = serve().await;
        let client = builder(&base).bearer_auth("t0ken").build().unwrap();
        let events = client
            .countdown(CountdownVariables::new(3))
            .subscribe()
            .await
            .unwrap();
        let items: Vec<_> = events.collect().await;
        let items: Vec<CountdownData> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(items, vec![tick(3), tick(2), tick(1)]);

        // The credentials went in the upgrade request and in the connection_init payload.
        let seen = seen.lock().unwrap();
        assert_eq!(seen.upgrade_auth, vec![Some("Bearer t0ken".to_owned())]);
        assert_eq!(
            seen.init_payloads,
            vec![json!({"authorization": "Bearer t0ken"})]
        );
    })
    .await;
}

#[tokio::test]
async fn field_errors_in_a_next_are_typed_errors_and_the_stream_goes_on() {
    bounded(async {
        let (base, _) = serve().await;
        let client = builder(&base).build().unwrap();
        let mut vars = CountdownVariables::new(3);
        vars.fail_at = Nullable::Value(2);
        let items: Vec<_> = client
            .countdown(vars)
            .subscribe()
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap(), &tick(3));
        let Err(Error::GraphQl(e)) = &items[1] else {
            panic!("expected GraphQL errors, got {:?}", items[1]);
        };
        assert_eq!(e.operation(), "Countdown");
        assert_eq!(e.errors()[0].message, "the label of this tick failed");
        assert!(e.to_string().contains("WebSocket"), "{e}");
        // The rest of the event is there, decoded as the operation's type.
        assert_eq!(e.errors()[0].path.len(), 2);
        // async-graphql sends `"data": null` with a subscription event's field errors (the
        // scripted server below sends partial data).
        assert!(!e.is_partial(), "{e:?}");
        // The subscription goes on after an event with errors.
        assert_eq!(items[2].as_ref().unwrap(), &tick(1));
    })
    .await;
}

#[tokio::test]
async fn init_payload_can_be_set_and_reaches_the_resolvers() {
    bounded(async {
        let (base, seen) = serve().await;
        let client = builder(&base)
            .graphql_ws_init_payload(json!({"authorization": "custom-token", "tenant": 7}))
            .build()
            .unwrap();
        let items: Vec<_> = client.who_am_i().subscribe().await.unwrap().collect().await;
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ref().unwrap().whoami.as_deref(),
            Some("custom-token")
        );
        assert_eq!(
            seen.lock().unwrap().init_payloads,
            vec![json!({"authorization": "custom-token", "tenant": 7})]
        );
    })
    .await;
}

#[tokio::test]
async fn dropping_the_stream_ends_the_subscription_on_the_server() {
    bounded(async {
        let (base, seen) = serve().await;
        let client = builder(&base).build().unwrap();
        let mut events = client
            .countdown(CountdownVariables::new(100_000))
            .subscribe()
            .await
            .unwrap();
        assert_eq!(events.next().await.unwrap().unwrap(), tick(100_000));
        assert_eq!(events.next().await.unwrap().unwrap(), tick(99_999));
        assert_eq!(seen.lock().unwrap().dropped, 0);
        drop(events);
        for _ in 0..200 {
            if seen.lock().unwrap().dropped == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the server's stream was not dropped after the client's");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Hand-written graphql-transport-ws servers: what async-graphql does not do.

/// What a scripted server does after `connection_init`.
#[derive(Clone, Copy)]
enum Script {
    /// Close with 4401 instead of acknowledging.
    Unauthorized,
    /// Acknowledge; on `subscribe`, send a `next`, a `next` with partial data and errors, a
    /// `ping`, then (after the pong) an `error`.
    NextPingError,
    /// Acknowledge, then say nothing more (not even a pong).
    Silent,
    /// Acknowledge; send a `next` every 10 ms until the client sends `complete`.
    Endless,
}

/// Text messages the scripted server received, and the close code it got.
#[derive(Default)]
struct Heard {
    texts: Vec<Value>,
    close: Option<u16>,
}

async fn scripted(mut socket: WebSocket, script: Script, heard: Arc<Mutex<Heard>>) {
    let send = |v: Value| Message::Text(v.to_string().into());
    let mut subscribed = false;
    let mut sent = 0;
    loop {
        let wait = match script {
            Script::Endless if subscribed => Duration::from_millis(10),
            _ => Duration::from_secs(30),
        };
        let msg = match tokio::time::timeout(wait, socket.recv()).await {
            Err(_) => {
                sent += 1;
                let next = json!({"id": "1", "type": "next", "payload": {"data": {"countdown": {"n": sent, "label": null}}}});
                if socket.send(send(next)).await.is_err() {
                    return;
                }
                continue;
            }
            Ok(None) | Ok(Some(Err(_))) => return,
            Ok(Some(Ok(m))) => m,
        };
        let text = match msg {
            Message::Text(t) => t.to_string(),
            Message::Close(frame) => {
                heard.lock().unwrap().close = Some(frame.map_or(1005, |f| f.code));
                return;
            }
            _ => continue,
        };
        let v: Value = serde_json::from_str(&text).unwrap();
        heard.lock().unwrap().texts.push(v.clone());
        match (v["type"].as_str().unwrap_or(""), script) {
            ("connection_init", Script::Unauthorized) => {
                let frame = CloseFrame {
                    code: 4401,
                    reason: "Unauthorized".into(),
                };
                let _ = socket.send(Message::Close(Some(frame))).await;
                return;
            }
            ("connection_init", _) => {
                let _ = socket.send(send(json!({"type": "connection_ack"}))).await;
            }
            ("subscribe", Script::NextPingError) => {
                let next = json!({"id": "1", "type": "next", "payload": {"data": {"countdown": {"n": 9, "label": "T-9"}}}});
                let _ = socket.send(send(next)).await;
                let partial = json!({"id": "1", "type": "next", "payload": {
                    "data": {"countdown": {"n": 8, "label": null}},
                    "errors": [{"message": "no label", "path": ["countdown", "label"], "locations": [{"line": 4, "column": 5}]}],
                }});
                let _ = socket.send(send(partial)).await;
                let _ = socket.send(send(json!({"type": "ping"}))).await;
            }
            ("pong", Script::NextPingError) => {
                let error = json!({"id": "1", "type": "error", "payload": [{"message": "boom", "path": ["countdown"]}]});
                let _ = socket.send(send(error)).await;
            }
            ("subscribe", _) => subscribed = true,
            _ => {}
        }
    }
}

/// Serves one scripted WebSocket endpoint: `(base URL, what it heard)`.
async fn serve_scripted(script: Script) -> (String, Arc<Mutex<Heard>>) {
    let heard = Arc::new(Mutex::new(Heard::default()));
    let h = heard.clone();
    let app = Router::new().route(
        "/graphql",
        get(move |upgrade: WebSocketUpgrade| async move {
            upgrade
                .protocols(["graphql-transport-ws"])
                .on_upgrade(move |socket| scripted(socket, script, h))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/graphql"), heard)
}

#[tokio::test]
async fn a_server_closing_with_4401_is_a_clear_error() {
    bounded(async {
        let (base, heard) = serve_scripted(Script::Unauthorized).await;
        // The WebSocket URL set explicitly this time.
        let ws = base.replacen("http://", "ws://", 1);
        let client = builder("http://127.0.0.1:9/unused")
            .graphql_ws_url(ws)
            .bearer_auth("wrong")
            .build()
            .unwrap();
        let err = client
            .countdown(CountdownVariables::new(1))
            .subscribe()
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("4401 (unauthorized)"), "{text}");
        assert!(text.contains("\"Unauthorized\""), "{text}");
        assert!(text.contains("credentials"), "{text}");
        let Error::Transport(t) = &err else {
            panic!("expected a transport error: {err:?}");
        };
        let closed = std::error::Error::source(t)
            .and_then(|s| s.downcast_ref::<WebSocketClosed>())
            .expect("the close frame is the source");
        assert_eq!(closed.code(), 4401);
        let heard = heard.lock().unwrap();
        assert_eq!(
            heard.texts,
            vec![json!({"type": "connection_init", "payload": {"authorization": "Bearer wrong"}})]
        );
    })
    .await;
}

#[tokio::test]
async fn pings_are_answered_and_an_error_message_ends_the_stream() {
    bounded(async {
        let (base, heard) = serve_scripted(Script::NextPingError).await;
        let client = builder(&base).build().unwrap();
        let items: Vec<_> = client
            .countdown(CountdownVariables::new(1))
            .subscribe()
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap(), &tick(9));
        // Errors with partial data, as for queries.
        let Err(Error::GraphQl(e)) = &items[1] else {
            panic!("expected GraphQL errors, got {:?}", items[1]);
        };
        assert_eq!(e.errors()[0].message, "no label");
        assert_eq!(e.errors()[0].locations[0].line, 4);
        let partial: CountdownData = e.decode_data().unwrap().unwrap();
        assert_eq!(
            partial,
            CountdownData {
                countdown: CountdownCountdown { n: 8, label: None }
            }
        );
        // The `error` message: the last item.
        let Err(Error::GraphQl(e)) = &items[2] else {
            panic!("expected GraphQL errors, got {:?}", items[2]);
        };
        assert_eq!(e.errors()[0].message, "boom");
        assert!(!e.is_partial());
        let heard = heard.lock().unwrap();
        let kinds: Vec<&str> = heard
            .texts
            .iter()
            .map(|t| t["type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["connection_init", "subscribe", "pong"]);
        // The subscribe message: the operation's text, name and variables.
        let sub = &heard.texts[1];
        assert_eq!(sub["id"], "1");
        assert_eq!(sub["payload"]["operationName"], "Countdown");
        assert_eq!(sub["payload"]["variables"], json!({"from": 1}));
        assert!(sub["payload"]["query"]
            .as_str()
            .unwrap()
            .starts_with("subscription Countdown("));
        // No credentials: no payload.
        assert_eq!(heard.texts[0], json!({"type": "connection_init"}));
    })
    .await;
}

#[tokio::test]
async fn a_silent_server_times_out_instead_of_hanging() {
    bounded(async {
        let (base, heard) = serve_scripted(Script::Silent).await;
        let client = builder(&base)
            .timeout(Duration::from_secs(1))
            .graphql_ws_keepalive(Duration::from_millis(100))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let items: Vec<_> = client
            .countdown(CountdownVariables::new(1))
            .subscribe()
            .await
            .unwrap()
            .collect()
            .await;
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(items.len(), 1, "{items:?}");
        let err = items[0].as_ref().unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        assert!(err.to_string().contains("no answer to a ping"), "{err}");
        let kinds: Vec<String> = heard
            .lock()
            .unwrap()
            .texts
            .iter()
            .map(|t| t["type"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(kinds, ["connection_init", "subscribe", "ping"]);
    })
    .await;
}

#[tokio::test]
async fn dropping_the_stream_sends_complete_and_closes() {
    bounded(async {
        let (base, heard) = serve_scripted(Script::Endless).await;
        let client = builder(&base).build().unwrap();
        let mut events = client
            .countdown(CountdownVariables::new(1))
            .subscribe()
            .await
            .unwrap();
        let first = events.next().await.unwrap().unwrap();
        assert_eq!(first.countdown.n, 1);
        drop(events);
        for _ in 0..300 {
            if heard.lock().unwrap().close.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let heard = heard.lock().unwrap();
        assert_eq!(heard.close, Some(1000), "the client closed normally");
        assert_eq!(
            heard.texts.last(),
            Some(&json!({"id": "1", "type": "complete"}))
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_upgrade_is_an_http_error() {
    bounded(async {
        // A plain HTTP endpoint: the upgrade gets a 405.
        let app = Router::new().route("/graphql", axum::routing::post(|| async { "no" }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let client = builder(&format!("http://{addr}/graphql")).build().unwrap();
        let err = client
            .countdown(CountdownVariables::new(1))
            .subscribe()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(405), "{err:?}");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Queries as GET, automatic persisted queries.

#[tokio::test]
async fn queries_can_be_sent_as_get_and_mutations_stay_post() {
    bounded(async {
        let (base, seen) = serve().await;
        let client = builder(&base).graphql_get_queries(true).build().unwrap();
        let hello = client
            .hello(HelloVariables {
                name: "a b&c=d".into(),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(hello.hello, "Hello, a b&c=d!");
        let set = client
            .set_greeting(SetGreetingVariables { word: "Hi".into() })
            .send()
            .await
            .unwrap();
        assert_eq!(set.set_greeting, "Hi");
        // One call as POST after all.
        client
            .hello(HelloVariables { name: "x".into() })
            .customize(|o| o.graphql_get(false))
            .send()
            .await
            .unwrap();
        let methods: Vec<Method> = seen
            .lock()
            .unwrap()
            .requests
            .iter()
            .map(|r| r.0.clone())
            .collect();
        assert_eq!(methods, [Method::GET, Method::POST, Method::POST]);

        // The other way round: POST by default, GET for one call.
        let client = builder(&base).build().unwrap();
        client
            .hello(HelloVariables { name: "y".into() })
            .customize(|o| o.graphql_get(true))
            .send()
            .await
            .unwrap();
        assert_eq!(seen.lock().unwrap().requests[3].0, Method::GET);
    })
    .await;
}

#[tokio::test]
async fn persisted_queries_send_the_hash_first_and_the_text_once() {
    bounded(async {
        let (base, seen) = serve().await;
        let client = builder(&base)
            .graphql_persisted_queries(true)
            .build()
            .unwrap();
        for name in ["a", "b", "c"] {
            let res = client
                .hello(HelloVariables { name: name.into() })
                .send()
                .await
                .unwrap();
            assert_eq!(res.hello, format!("Hello, {name}!"));
        }
        let requests = std::mem::take(&mut seen.lock().unwrap().requests);
        // First call: the hash alone (PersistedQueryNotFound), then hash and text; then the hash
        // alone is enough.
        let shape: Vec<(Method, bool, bool)> = requests
            .iter()
            .map(|(m, q, h)| (m.clone(), *q, h.is_some()))
            .collect();
        assert_eq!(
            shape,
            [
                (Method::POST, false, true),
                (Method::POST, true, true),
                (Method::POST, false, true),
                (Method::POST, false, true),
            ]
        );
        // The generated hash is the SHA-256 of the text sent (the server checks it when it
        // stores the text, so the second request would have failed otherwise).
        let hash = requests[0].2.clone().unwrap();
        assert_eq!(hash.len(), 64);
        assert!(requests
            .iter()
            .all(|r| r.2.as_deref() == Some(hash.as_str())));

        // With GET: short cacheable URLs.
        let client = builder(&base)
            .graphql_persisted_queries(true)
            .graphql_get_queries(true)
            .build()
            .unwrap();
        let set = client
            .set_greeting(SetGreetingVariables { word: "Yo".into() })
            .send()
            .await
            .unwrap();
        assert_eq!(set.set_greeting, "Yo");
        client
            .hello(HelloVariables { name: "d".into() })
            .send()
            .await
            .unwrap();
        let shape: Vec<(Method, bool, bool)> = seen
            .lock()
            .unwrap()
            .requests
            .iter()
            .map(|(m, q, h)| (m.clone(), *q, h.is_some()))
            .collect();
        assert_eq!(
            shape,
            [
                // The mutation: POSTed, hash first.
                (Method::POST, false, true),
                (Method::POST, true, true),
                // The query: already stored by the server, one GET with the hash alone.
                (Method::GET, false, true),
            ]
        );
    })
    .await;
}
