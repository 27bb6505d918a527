//! Benchmark (not a test), run by scripts/bench-upload.sh: uploads a file of N bytes (default
//! 256 MiB; a sparse file made in a temporary folder) to a loopback server that counts what it
//! receives, as a binary body streamed from the path (`FilePart::from_path`), from a reader
//! (`FilePart::from_reader`: a one-shot stream), or inside a multipart body; with `buffered`,
//! the file read whole first (`FilePart::new(std::fs::read(..))`), for contrast. Prints the
//! throughput and the process's peak RSS (VmHWM) before and after.
//!
//! `cargo run --release -p sdkwright-runtime --example bench_upload -- [BYTES] [file|reader|multipart|buffered]`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use futures_util::StreamExt;
use sdkwright_runtime::__private as rt;
use sdkwright_runtime::FilePart;

static UPLOAD: rt::OperationSpec = rt::post("upload", "/upload")
    .body(rt::BodyFormat::Binary("application/octet-stream"))
    .response(rt::ResponseFormat::Text);
static FIELDS: [rt::FieldEncoding; 0] = [];
static MULTIPART: rt::OperationSpec = rt::post("multipart", "/upload")
    .body(rt::BodyFormat::multipart(&FIELDS))
    .response(rt::ResponseFormat::Text);

/// Counts the bytes of each body as they arrive (never holding one).
async fn upload(State(total): State<Arc<AtomicU64>>, body: Body) -> String {
    let mut n = 0u64;
    let mut s = body.into_data_stream();
    while let Some(chunk) = s.next().await {
        match chunk {
            Ok(c) => n += c.len() as u64,
            Err(e) => return format!("error after {n} bytes: {e}"),
        }
    }
    total.store(n, Ordering::SeqCst);
    n.to_string()
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

#[derive(serde::Serialize)]
struct Form {
    file: FilePart,
    purpose: &'static str,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let bytes: u64 = args.next().map_or(Ok(256 << 20), |a| a.parse())?;
    let mode = args.next().unwrap_or_else(|| "file".to_owned());

    let total = Arc::new(AtomicU64::new(0));
    let app = Router::new()
        .route("/upload", post(upload))
        .with_state(total.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = rt::ClientBuilder::new(format!("http://{addr}"))
        .timeout(Duration::from_secs(3600))
        .build()?;

    // A sparse file: no disk written, reads return zeros.
    let path = std::env::temp_dir().join(format!("sdkwright-bench-upload-{}", std::process::id()));
    std::fs::File::create(&path)?.set_len(bytes)?;
    struct Remove(std::path::PathBuf);
    impl Drop for Remove {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    let _remove = Remove(path.clone());

    // Warm-up: connection, allocator.
    let warm = rt::Request::new(&UPLOAD).body_bytes(vec![1u8; 1024]);
    client.execute::<rt::ErrorMetadata>(warm).await?;
    let before = peak_rss_mib();
    let start = Instant::now();
    let req = match mode.as_str() {
        "file" => rt::Request::new(&UPLOAD).body_file(FilePart::from_path(&path)?),
        "reader" => rt::Request::new(&UPLOAD)
            .body_file(FilePart::from_reader(tokio::fs::File::open(&path).await?)),
        "multipart" => rt::Request::new(&MULTIPART).body(&Form {
            file: FilePart::from_path(&path)?,
            purpose: "bench",
        }),
        "buffered" => rt::Request::new(&UPLOAD).body_file(FilePart::new(std::fs::read(&path)?)),
        other => return Err(format!("unknown mode `{other}`").into()),
    };
    let answer = client.execute::<rt::ErrorMetadata>(req).await?;
    let text: String = answer.decode::<String, rt::ErrorMetadata>()?;
    let secs = start.elapsed().as_secs_f64();
    let got = total.load(Ordering::SeqCst);
    if mode == "multipart" {
        assert!(got > bytes, "short upload: {text}");
    } else {
        assert_eq!(got, bytes, "short upload: {text}");
    }
    println!(
        "{mode}: {:.0} MiB uploaded in {secs:.2} s ({:.0} MiB/s); peak RSS {before:.1} MiB before, {:.1} MiB after",
        bytes as f64 / (1 << 20) as f64,
        bytes as f64 / (1 << 20) as f64 / secs,
        peak_rss_mib()
    );
    Ok(())
}
