//! Streaming responses against a loopback server: a large download streams in bounded memory,
//! server-sent events decode across chunk boundaries, a malformed event is an error item.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use sdkwright_runtime::__private as rt;
use sdkwright_runtime::serde_json::Value;
use sdkwright_runtime::TransportErrorKind;
use tokio::io::AsyncReadExt;

const CHUNK: usize = 64 * 1024;

/// The byte at offset `i` of every download: a pattern that catches lost or repeated chunks.
fn pattern(i: u64) -> u8 {
    (i % 251) as u8
}

#[derive(sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Size {
    bytes: u64,
}

/// `bytes` bytes of the pattern, generated chunk by chunk (never held whole by the server).
async fn download(Query(q): Query<Size>) -> Response {
    let total = q.bytes;
    let chunks = futures_util::stream::unfold(0u64, move |at| async move {
        if at >= total {
            return None;
        }
        let n = (total - at).min(CHUNK as u64);
        let chunk: Vec<u8> = (at..at + n).map(pattern).collect();
        Some((Ok::<_, Infallible>(Bytes::from(chunk)), at + n))
    });
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from_stream(chunks),
    )
        .into_response()
}

/// The event-stream text, sent in 7-byte chunks with pauses (so chunks arrive separately).
const EVENTS: &str = "retry: 1500\n\
: a comment\n\
event: greeting\n\
id: 1\n\
data: {\"text\": \"hello\",\n\
data:  \"n\": 1}\n\
\n\
data: {\"text\": \"not json\"\n\
\n\
id: 3\r\n\
data: {\"text\": \"bye\", \"n\": 3}\r\n\
\r\n\
data: {\"text\": \"unterminated\", \"n\": 4}\n";

async fn events(headers: axum::http::HeaderMap) -> Response {
    assert_eq!(headers["accept"], "text/event-stream");
    let chunks: Vec<Bytes> = EVENTS
        .as_bytes()
        .chunks(7)
        .map(Bytes::copy_from_slice)
        .collect();
    let stream = futures_util::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_millis(2)).await;
        Ok::<_, Infallible>(c)
    });
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn long_line() -> Response {
    let text = format!("data: \"{}\"\n\ndata: \"ok\"\n\n", "x".repeat(5000));
    ([(header::CONTENT_TYPE, "text/event-stream")], text).into_response()
}

/// 503 on every odd request, a 100-byte download on the others.
async fn flaky(axum::extract::State(n): axum::extract::State<Arc<AtomicUsize>>) -> Response {
    if n.fetch_add(1, Ordering::SeqCst) % 2 == 0 {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    }
    vec![7u8; 100].into_response()
}

async fn missing() -> Response {
    (StatusCode::NOT_FOUND, "no such file").into_response()
}

/// 404 with a JSON error body and a request id; 409 (undeclared) with the same.
async fn gone(Query(q): Query<std::collections::HashMap<String, String>>) -> Response {
    let status = if q.contains_key("conflict") {
        StatusCode::CONFLICT
    } else {
        StatusCode::NOT_FOUND
    };
    (
        status,
        [
            ("x-request-id", "req-9"),
            ("content-type", "application/json"),
        ],
        r#"{"code":"gone"}"#,
    )
        .into_response()
}

async fn serve() -> String {
    let app = Router::new()
        .route("/download", get(download))
        .route("/events", get(events))
        .route("/long", get(long_line))
        .route("/missing", get(missing))
        .route("/gone", get(gone))
        .route("/flaky", get(flaky))
        .with_state(Arc::new(AtomicUsize::new(0)));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

static DOWNLOAD: rt::OperationSpec = rt::get("download", "/download")
    .params(&[rt::query("bytes")])
    .response(rt::ResponseFormat::Binary);
static EVENTS_OP: rt::OperationSpec =
    rt::get("events", "/events").response(rt::ResponseFormat::Text);
static LONG: rt::OperationSpec = rt::get("long", "/long").response(rt::ResponseFormat::Text);
static FLAKY: rt::OperationSpec = rt::get("flaky", "/flaky").response(rt::ResponseFormat::Binary);
static GONE_BYTES: rt::OperationSpec = rt::get("goneBytes", "/gone")
    .params(&[rt::query("conflict")])
    .response(rt::ResponseFormat::Binary)
    .errors(&[rt::status(404)]);
static GONE_EVENTS: rt::OperationSpec = rt::get("goneEvents", "/gone")
    .params(&[rt::query("conflict")])
    .response(rt::ResponseFormat::Text)
    .errors(&[rt::status(404)]);
static MISSING: rt::OperationSpec =
    rt::get("missing", "/missing").response(rt::ResponseFormat::Binary);

/// The process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A small `max_body_size` (1 MiB) and a long timeout: the stream is not bound by the first,
/// and the second covers the whole download.
fn client(base: &str) -> rt::Client {
    rt::ClientBuilder::new(base)
        .max_body_size(1024 * 1024)
        .timeout(Duration::from_secs(300))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_download_streams_in_bounded_memory() {
    const SIZE: u64 = 200 * 1024 * 1024;
    let base = serve().await;
    let cl = client(&base);
    // Warm up (connection pool, allocator arenas) before the baseline.
    let small = cl
        .execute_stream::<rt::ErrorMetadata>(rt::Request::new(&DOWNLOAD).param("bytes", &1000))
        .await
        .unwrap()
        .collect_bytes(10_000)
        .await
        .unwrap();
    assert_eq!(small.len(), 1000);
    let before = peak_rss_kib();

    let mut stream = cl
        .execute_stream::<rt::ErrorMetadata>(rt::Request::new(&DOWNLOAD).param("bytes", &SIZE))
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream.header("content-type"),
        Some("application/octet-stream")
    );
    let mut at = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        for (i, b) in chunk.iter().enumerate() {
            assert_eq!(*b, pattern(at + i as u64), "byte {}", at + i as u64);
        }
        at += chunk.len() as u64;
    }
    assert_eq!(at, SIZE);

    let growth_mib = (peak_rss_kib().saturating_sub(before)) / 1024;
    eprintln!("200 MiB streamed; peak RSS grew by {growth_mib} MiB");
    assert!(
        growth_mib < 40,
        "peak RSS grew by {growth_mib} MiB for a 200 MiB download"
    );
}

#[tokio::test]
async fn collect_bytes_and_async_read() {
    let base = serve().await;
    let cl = client(&base);
    let req = || rt::Request::new(&DOWNLOAD).param("bytes", &300_000);
    let s = cl.execute_stream::<rt::ErrorMetadata>(req()).await.unwrap();
    assert_eq!(s.content_length(), None);
    let err = s.collect_bytes(100_000).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);

    let s = cl.execute_stream::<rt::ErrorMetadata>(req()).await.unwrap();
    let mut read = Vec::new();
    s.into_async_read().read_to_end(&mut read).await.unwrap();
    assert_eq!(read.len(), 300_000);
    assert!(read
        .iter()
        .enumerate()
        .all(|(i, b)| *b == pattern(i as u64)));

    // An error status is an error of the call, before any stream.
    let e = cl
        .execute_stream::<rt::ErrorMetadata>(rt::Request::new(&MISSING))
        .await
        .unwrap_err();
    assert!(matches!(e, rt::Error::Api(m) if m.status == 404));
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Msg {
    text: String,
    n: u32,
}

#[tokio::test]
async fn events_decode_across_chunks_and_a_malformed_one_is_an_error_item() {
    let base = serve().await;
    let events: Vec<_> = client(&base)
        .execute_events::<Msg, rt::ErrorMetadata>(rt::Request::new(&EVENTS_OP))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(events.len(), 3, "{events:?}");
    let first = events[0].as_ref().unwrap();
    assert_eq!(
        first.data,
        Msg {
            text: "hello".into(),
            n: 1
        }
    );
    assert_eq!(first.event.as_deref(), Some("greeting"));
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, Some(Duration::from_millis(1500)));
    let err = events[1].as_ref().unwrap_err();
    assert!(matches!(err, rt::Error::Decode(_)), "{err:?}");
    let third = events[2].as_ref().unwrap();
    assert_eq!((third.data.n, third.id.as_deref()), (3, Some("3")));
    assert_eq!((third.event.as_deref(), third.retry), (None, None));
}

#[tokio::test]
async fn event_lines_are_bounded() {
    let base = serve().await;
    let events: Vec<_> = client(&base)
        .execute_events::<Value, rt::ErrorMetadata>(rt::Request::new(&LONG))
        .await
        .unwrap()
        .max_event_size(1000)
        .collect()
        .await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].is_err());
    assert_eq!(events[1].as_ref().unwrap().data, Value::from("ok"));
}

#[tokio::test]
async fn retries_happen_before_the_headers_never_mid_stream() {
    // A 503 before the headers of the stream: retried (GET), then the body streams.
    let base = serve().await;
    let cl = rt::ClientBuilder::new(&base)
        .retry_policy(
            rt::RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let body = cl
        .execute_stream::<rt::ErrorMetadata>(rt::Request::new(&FLAKY))
        .await
        .unwrap()
        .collect_bytes(1000)
        .await
        .unwrap();
    assert_eq!(&body[..], &[7u8; 100][..]);

    // A connection that dies mid-body: the stream ends with an error item; nothing is re-sent.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut sock, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = tokio::io::AsyncReadExt::read(&mut sock, &mut buf).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 100000\r\n\r\n";
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(&[1u8; 1000]).await;
            let _ = sock.shutdown().await;
        }
    });
    let cl = rt::ClientBuilder::new(format!("http://{addr}"))
        .retry_policy(rt::RetryPolicy::default().with_max_attempts(5))
        .build()
        .unwrap();
    let mut s = cl
        .execute_stream::<rt::ErrorMetadata>(rt::Request::new(&FLAKY))
        .await
        .unwrap();
    let mut got = 0;
    let mut error = None;
    while let Some(item) = s.next().await {
        match item {
            Ok(chunk) => got += chunk.len(),
            Err(e) => error = Some(e),
        }
    }
    assert_eq!(got, 1000);
    assert!(error.is_some(), "a truncated body is an error item");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "not retried mid-stream");
}

/// The error body `GONE_*` declare for 404.
#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Gone {
    code: String,
}

/// An error status of a byte stream or an event stream gives the same `ApiError<B>` as a single
/// call of the operation: operation, status, headers, body, request id, and the typed body where
/// the operation declares one for the status (404), none where it does not (409).
#[tokio::test]
async fn a_stream_error_is_the_error_a_single_call_gives() {
    let base = serve().await;
    let cl = client(&base);
    type E = rt::ApiError<Gone>;
    let seen = |e: &E| {
        let headers: Vec<_> = e
            .headers()
            .iter()
            .filter(|(k, _)| k != "date")
            .cloned()
            .collect();
        (
            e.status(),
            headers,
            e.raw_body().to_vec(),
            e.request_id().map(str::to_owned),
        )
    };
    for conflict in [false, true] {
        let req = |spec| {
            let r = rt::Request::new(spec);
            if conflict {
                r.param("conflict", "1")
            } else {
                r
            }
        };
        let Err(rt::Error::Api(call)) = cl.call_bytes::<Gone>(req(&GONE_BYTES)).await else {
            panic!("the single call fails");
        };
        let Err(rt::Error::Api(bytes)) = cl.execute_stream::<E>(req(&GONE_BYTES)).await else {
            panic!("the stream fails");
        };
        let Err(rt::Error::Api(events)) = cl.execute_events::<Value, E>(req(&GONE_EVENTS)).await
        else {
            panic!("the event stream fails");
        };
        assert_eq!(seen(&bytes), seen(&call));
        assert_eq!(seen(&events), seen(&call));
        assert_eq!(bytes.operation(), "goneBytes");
        assert_eq!(events.operation(), "goneEvents");
        assert_eq!(bytes.request_id(), Some("req-9"));
        for e in [&bytes, &events] {
            assert_eq!(e.body(), call.body());
            assert_eq!(e.decode_error(), call.decode_error());
        }
        if conflict {
            assert_eq!(call.status(), 409);
            assert!(bytes.body().is_none(), "409 is not declared");
        } else {
            assert_eq!(bytes.body().map(|g| g.code.as_str()), Some("gone"));
        }
    }
}
