//! Streamed uploads against a loopback server that hashes what it receives: a file body is sent
//! with `Content-Length` and re-sent from its start on a retry; a stream body is sent chunked
//! and never re-sent once read from; multipart file parts stream too.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::Router;
use futures_util::StreamExt;
use sdkwright_runtime::__private as rt;
use sdkwright_runtime::serde_json::{json, Value};
use sdkwright_runtime::FilePart;

/// What the server received, per request.
#[derive(Debug, Clone)]
struct Received {
    sha256: String,
    len: u64,
    content_length: Option<String>,
    chunked: bool,
    content_type: Option<String>,
}

#[derive(Clone, Default)]
struct Server {
    log: Arc<Mutex<Vec<Received>>>,
    /// Requests to `/flaky` answered 503 so far.
    failed: Arc<AtomicUsize>,
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(parts: &[&[u8]]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for p in parts {
        ctx.update(p);
    }
    hex(ctx.finish().as_ref())
}

/// Reads the whole body, hashing it as it comes, and records it.
async fn receive(s: &Server, headers: &HeaderMap, body: Body) -> Result<Received, String> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut len = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| e.to_string())?;
        len += chunk.len() as u64;
        ctx.update(&chunk);
    }
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let r = Received {
        sha256: hex(ctx.finish().as_ref()),
        len,
        content_length: h("content-length"),
        chunked: h("transfer-encoding").is_some_and(|t| t.contains("chunked")),
        content_type: h("content-type"),
    };
    s.log.lock().unwrap().push(r.clone());
    Ok(r)
}

async fn upload(State(s): State<Server>, headers: HeaderMap, body: Body) -> Response {
    match receive(&s, &headers, body).await {
        Ok(r) => axum::Json(json!({"sha256": r.sha256, "len": r.len})).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e).into_response(),
    }
}

/// Reads the whole body, then answers 503 the first time and 200 after.
async fn flaky(State(s): State<Server>, headers: HeaderMap, body: Body) -> Response {
    if let Err(e) = receive(&s, &headers, body).await {
        return (StatusCode::BAD_REQUEST, e).into_response();
    }
    if s.failed.fetch_add(1, Ordering::SeqCst) == 0 {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "0")],
            "busy",
        )
            .into_response();
    }
    axum::Json(json!({"ok": true})).into_response()
}

async fn serve() -> (String, Server) {
    let s = Server::default();
    let app = Router::new()
        .route("/upload", put(upload).post(upload))
        .route("/flaky", put(flaky))
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), s)
}

static UPLOAD: rt::OperationSpec = rt::put("upload", "/upload")
    .body(rt::BodyFormat::Binary("*/*"))
    .response(rt::ResponseFormat::Json);
static FLAKY: rt::OperationSpec = rt::put("flaky", "/flaky")
    .body(rt::BodyFormat::Binary("application/octet-stream"))
    .response(rt::ResponseFormat::Json);
static FIELDS: [rt::FieldEncoding; 0] = [];
static MULTIPART: rt::OperationSpec = rt::post("multipart", "/upload")
    .body(rt::BodyFormat::multipart(&FIELDS))
    .response(rt::ResponseFormat::Json);

/// A file of `len` bytes of a pattern (every offset differs from its neighbours), removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, len: usize) -> (Self, Vec<u8>) {
        let data: Vec<u8> = (0..len)
            .map(|i| (i % 251) as u8 ^ (i >> 16) as u8)
            .collect();
        let path =
            std::env::temp_dir().join(format!("sdkwright-upload-{}-{name}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        (TempFile(path), data)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn client(base: &str) -> rt::Client {
    rt::ClientBuilder::new(base)
        .retry_policy(
            rt::RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

/// A stream of `data` in uneven chunks (1, 1000, 65536, … bytes).
fn chunks_of(data: &[u8]) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    let mut out = Vec::new();
    let mut at = 0;
    for size in [1usize, 1000, 65536, 7].into_iter().cycle() {
        if at >= data.len() {
            break;
        }
        let end = (at + size).min(data.len());
        out.push(Ok(data[at..end].to_vec()));
        at = end;
    }
    futures_util::stream::iter(out)
}

fn last(s: &Server) -> Vec<Received> {
    std::mem::take(&mut *s.log.lock().unwrap())
}

#[tokio::test]
async fn a_file_body_streams_with_its_length() {
    let (base, server) = serve().await;
    let (file, data) = TempFile::new("binary", 3 * 1024 * 1024 + 17);
    let part = FilePart::from_path(&file.0).unwrap();
    assert_eq!(part.len(), Some(data.len() as u64));
    assert!(part.bytes().is_empty(), "not read into memory");
    let resp = client(&base)
        .execute::<rt::ErrorMetadata>(rt::Request::new(&UPLOAD).body_file(part))
        .await
        .unwrap();
    let got: Value = resp.decode::<Value, rt::ErrorMetadata>().unwrap();
    assert_eq!(got["sha256"], sha256(&[&data]));
    let r = last(&server);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].len, data.len() as u64);
    assert_eq!(
        r[0].content_length.as_deref(),
        Some(&*data.len().to_string())
    );
    assert!(!r[0].chunked);
    assert_eq!(
        r[0].content_type.as_deref(),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn a_stream_body_is_sent_chunked() {
    let (base, server) = serve().await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let part = FilePart::from_stream(chunks_of(&data)).content_type("application/x-thing");
    client(&base)
        .execute::<rt::ErrorMetadata>(rt::Request::new(&UPLOAD).body_file(part))
        .await
        .unwrap();
    let r = last(&server);
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].len, &*r[0].sha256),
        (data.len() as u64, &*sha256(&[&data]))
    );
    assert_eq!(r[0].content_length, None);
    assert!(r[0].chunked);
    assert_eq!(r[0].content_type.as_deref(), Some("application/x-thing"));

    // From an AsyncRead (here a file opened by the caller): the same bytes, chunked.
    let (file, data) = TempFile::new("reader", 200_001);
    let reader = tokio::fs::File::open(&file.0).await.unwrap();
    client(&base)
        .execute::<rt::ErrorMetadata>(
            rt::Request::new(&UPLOAD).body_file(FilePart::from_reader(reader)),
        )
        .await
        .unwrap();
    let r = last(&server);
    assert_eq!(
        (r[0].len, &*r[0].sha256),
        (data.len() as u64, &*sha256(&[&data]))
    );
    assert!(r[0].chunked);
}

#[tokio::test]
async fn a_retry_resends_a_file_from_its_start_but_never_a_stream() {
    let (base, server) = serve().await;
    let (file, data) = TempFile::new("retry", 1024 * 1024 + 3);
    let want = sha256(&[&data]);
    client(&base)
        .execute::<rt::ErrorMetadata>(
            rt::Request::new(&FLAKY).body_file(FilePart::from_path(&file.0).unwrap()),
        )
        .await
        .unwrap();
    let r = last(&server);
    assert_eq!(r.len(), 2, "one 503, one retry: {r:?}");
    for attempt in &r {
        assert_eq!((attempt.len, &*attempt.sha256), (data.len() as u64, &*want));
        assert_eq!(
            attempt.content_length.as_deref(),
            Some(&*data.len().to_string())
        );
    }

    // The same failure with a stream body (a PUT, idempotent, with an idempotency key too):
    // sent once, the 503 is the result.
    server.failed.store(0, Ordering::SeqCst);
    let err = client(&base)
        .execute::<rt::ErrorMetadata>(
            rt::Request::new(&FLAKY)
                .idempotency_key("k-1")
                .body_file(FilePart::from_stream(chunks_of(&data))),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, rt::Error::Api(m) if m.status == 503),
        "{err:?}"
    );
    let r = last(&server);
    assert_eq!(r.len(), 1, "a stream is never re-sent: {r:?}");
    assert_eq!(r[0].sha256, want);
}

#[tokio::test]
async fn a_stream_is_retried_only_if_nothing_was_read_from_it() {
    // Nothing listens: the connection fails before the body is read, so the retry may (and
    // does) send the whole stream; here every attempt fails, and the attempts are counted.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let retries = Arc::new(AtomicUsize::new(0));
    struct Count(Arc<AtomicUsize>);
    impl sdkwright_runtime::Interceptor for Count {
        fn on_retry(&self, _: &sdkwright_runtime::OnRetry) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let cl = rt::ClientBuilder::new(format!("http://{addr}"))
        .retry_policy(
            rt::RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .interceptor(Count(retries.clone()))
        .build()
        .unwrap();
    let part = FilePart::from_stream(chunks_of(b"abc"));
    let err = cl
        .execute::<rt::ErrorMetadata>(rt::Request::new(&UPLOAD).body_file(part))
        .await
        .unwrap_err();
    assert!(matches!(err, rt::Error::Transport(_)), "{err:?}");
    assert_eq!(retries.load(Ordering::SeqCst), 2);

    // A stream already sent by an earlier call is refused up front.
    let (base, server) = serve().await;
    let part = FilePart::from_stream(chunks_of(b"once"));
    let cl = client(&base);
    cl.execute::<rt::ErrorMetadata>(rt::Request::new(&UPLOAD).body_file(part.clone()))
        .await
        .unwrap();
    let err = cl
        .execute::<rt::ErrorMetadata>(rt::Request::new(&UPLOAD).body_file(part))
        .await
        .unwrap_err();
    assert!(matches!(&err, rt::Error::Request(_)), "{err:?}");
    assert!(err.to_string().contains("at most once"), "{err}");
    assert_eq!(last(&server).len(), 1);
}

#[tokio::test]
async fn a_file_that_changed_size_fails_the_call() {
    let (base, server) = serve().await;
    let (file, _) = TempFile::new("changed", 1000);
    let part = FilePart::from_path(&file.0).unwrap();
    std::fs::write(&file.0, b"shorter").unwrap();
    let err = client(&base)
        .execute::<rt::ErrorMetadata>(rt::Request::new(&UPLOAD).body_file(part))
        .await
        .unwrap_err();
    assert!(matches!(&err, rt::Error::Request(_)), "{err:?}");
    assert!(err.to_string().contains("changed size"), "{err}");
    assert!(last(&server).is_empty());
    assert!(
        FilePart::from_path(std::env::temp_dir()).is_err(),
        "a folder"
    );
}

#[derive(sdkwright_runtime::serde::Serialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Form {
    file: FilePart,
    purpose: String,
    more: FilePart,
}

#[tokio::test]
async fn multipart_file_parts_stream() {
    let (base, server) = serve().await;
    let (file, data) = TempFile::new("part.bin", 2 * 1024 * 1024 + 5);
    let streamed: Vec<u8> = b"streamed part ".repeat(5000);
    let form = Form {
        file: FilePart::from_path(&file.0).unwrap(),
        purpose: "fine-tune".into(),
        more: FilePart::from_stream(chunks_of(&streamed)).filename("more.txt"),
    };
    // The stream part makes the body's length unknown: chunked.
    client(&base)
        .execute::<rt::ErrorMetadata>(rt::Request::new(&MULTIPART).body(&form))
        .await
        .unwrap();
    let r = last(&server);
    assert_eq!(r.len(), 1);
    let ct = r[0].content_type.clone().unwrap();
    let b = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    let name = file.0.file_name().unwrap().to_str().unwrap();
    let head1 = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let mid = format!(
        "\r\n--{b}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"more\"; filename=\"more.txt\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let end = format!("\r\n--{b}--\r\n");
    let parts: [&[u8]; 5] = [
        head1.as_bytes(),
        &data,
        mid.as_bytes(),
        &streamed,
        end.as_bytes(),
    ];
    assert_eq!(r[0].sha256, sha256(&parts));
    assert!(r[0].chunked && r[0].content_length.is_none());

    // Files only: the length is known, so Content-Length is sent.
    #[derive(sdkwright_runtime::serde::Serialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct One {
        file: FilePart,
    }
    let one = One {
        file: FilePart::from_path(&file.0).unwrap().filename("a.bin"),
    };
    client(&base)
        .execute::<rt::ErrorMetadata>(rt::Request::new(&MULTIPART).body(&one))
        .await
        .unwrap();
    let r = last(&server);
    let ct = r[0].content_type.clone().unwrap();
    let b = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    let head = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let end = format!("\r\n--{b}--\r\n");
    let total = head.len() + data.len() + end.len();
    assert_eq!(r[0].content_length.as_deref(), Some(&*total.to_string()));
    assert!(!r[0].chunked);
    assert_eq!(
        r[0].sha256,
        sha256(&[head.as_bytes(), &data, end.as_bytes()])
    );
}
