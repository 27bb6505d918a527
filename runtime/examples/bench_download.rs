//! Benchmark (not a test), run by scripts/bench-download.sh: a download of N bytes (default
//! 1 GiB) generated on the fly by a loopback server, read through `Client::execute_stream`
//! (or, with `buffered`, through `execute` with a `max_body_size` that admits it, for contrast);
//! prints the throughput and the process's peak RSS (VmHWM) before and after.
//!
//! `cargo run --release -p sdkwright-runtime --example bench_download -- [BYTES] [stream|buffered]`

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use sdkwright_runtime::__private as rt;

static DOWNLOAD: rt::OperationSpec = rt::get("download", "/download")
    .params(&[rt::query("bytes")])
    .response(rt::ResponseFormat::Binary);

#[derive(serde::Deserialize)]
struct Size {
    bytes: u64,
}

async fn download(Query(q): Query<Size>) -> Body {
    let chunk = Bytes::from(vec![0x5a_u8; 256 * 1024]);
    let total = q.bytes;
    Body::from_stream(futures_util::stream::unfold(0u64, move |at| {
        let chunk = chunk.clone();
        async move {
            (at < total).then(|| {
                let n = (total - at).min(chunk.len() as u64) as usize;
                (Ok::<_, Infallible>(chunk.slice(..n)), at + n as u64)
            })
        }
    }))
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let bytes: u64 = args.next().map_or(Ok(1 << 30), |a| a.parse())?;
    let buffered = args.next().as_deref() == Some("buffered");

    let app = Router::new().route("/download", get(download));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = rt::ClientBuilder::new(format!("http://{addr}"))
        .timeout(Duration::from_secs(3600))
        .max_body_size(usize::try_from(bytes + 1).unwrap_or(usize::MAX))
        .build()?;

    // Warm-up: connection, allocator.
    let warm = rt::Request::new(&DOWNLOAD).param("bytes", &1024);
    client
        .execute_stream::<rt::ErrorMetadata>(warm)
        .await?
        .collect_bytes(4096)
        .await?;
    let before = peak_rss_mib();
    let start = Instant::now();
    let req = rt::Request::new(&DOWNLOAD).param("bytes", &bytes);
    let got = if buffered {
        client
            .execute::<rt::ErrorMetadata>(req)
            .await?
            .bytes::<rt::ErrorMetadata>()?
            .len() as u64
    } else {
        let mut s = client.execute_stream::<rt::ErrorMetadata>(req).await?;
        let mut n = 0u64;
        while let Some(chunk) = s.next().await {
            n += chunk?.len() as u64;
        }
        n
    };
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(got, bytes, "short download");
    println!(
        "{} {:.0} MiB in {secs:.2} s ({:.0} MiB/s); peak RSS {before:.1} MiB before, {:.1} MiB after",
        if buffered { "buffered" } else { "streamed" },
        bytes as f64 / (1 << 20) as f64,
        bytes as f64 / (1 << 20) as f64 / secs,
        peak_rss_mib()
    );
    Ok(())
}
