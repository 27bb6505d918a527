//! Criterion benchmark (not a test): the per-request overhead of a call through the generated
//! petstore client against the same request written by hand with reqwest, on loopback, with the
//! allocations each makes per request.
//!
//! ```sh
//! cargo bench -p sdkwright-runtime --bench request_overhead
//! ```
//!
//! Both sides send the same bytes, `GET /pets/42` with `Accept: application/json`, the `X-API-Key`
//! header and the generated client's `User-Agent` (`BENCH_DUMP=1` of `examples/bench_rps.rs` shows
//! both requests as received), to an in-process axum server (its own runtime, on another thread)
//! and decode the body into the same `petstore::types::Pet`. The client side runs on a
//! current-thread tokio runtime on the benchmark's thread, so the connection's tasks run there
//! too, and a counting global allocator (`allocation_counter`, which counts per thread) counts
//! that thread's allocations alone (the server's are not counted). The counting allocator is in
//! place for the timings too, for both sides alike. After criterion's own output, the summary
//! prints each side's median time per request (criterion's estimate), the ratio (issue 10's goal:
//! the generated call at most 5 % slower at the median), the client thread's CPU time per request
//! of each side (median of alternating batches, read from `/proc/thread-self/schedstat`: what to
//! judge the goal by on a shared machine, where waiting for a core moves the wall clock;
//! docs/benchmarks.md), the wall clock per request measured in pairs of back-to-back batches
//! (the median of the pairs' ratios: the goal's wall-clock median without the drift of load
//! between criterion's two measuring windows) and the allocations per request.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use criterion::Criterion;
use sdkwright_runtime::reqwest;

const PET: &str = r#"{"id":42,"name":"Rex","photoUrls":["https://example.com/rex.jpg"],"nickname":null,"tag":"dog","status":"available"}"#;

/// The two sides: one request each, the same on the wire.
struct Sides {
    generated: petstore::Client,
    http: reqwest::Client,
    url: Arc<str>,
}

impl Sides {
    async fn generated(&self) {
        let pet = self.generated.get_pet_by_id(42).send().await.unwrap();
        assert_eq!(pet.id, 42);
    }

    async fn by_hand(&self) {
        let resp = self
            .http
            .get(&*self.url)
            .header("accept", "application/json")
            .header("x-api-key", "secret")
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
        let bytes = resp.bytes().await.unwrap();
        let pet: petstore::types::Pet = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(pet.id, 42);
    }
}

/// The loopback server, on a runtime of its own (one worker thread); returns its base URL.
fn serve() -> (tokio::runtime::Runtime, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let addr = rt.block_on(async {
        let app = axum::Router::new().route(
            "/pets/{id}",
            get(|| async { ([("content-type", "application/json")], PET) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    });
    (rt, format!("http://{addr}"))
}

/// Allocations and bytes allocated per request on this thread, over `n` requests after a
/// warm-up (`allocation_counter` counts the calling thread's allocations only; a reallocation
/// counts as one).
fn allocations_per_request<F, Fut>(rt: &tokio::runtime::Runtime, n: u64, one: F) -> (f64, f64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    rt.block_on(async {
        for _ in 0..100 {
            one().await;
        }
    });
    let info = allocation_counter::measure(|| {
        rt.block_on(async {
            for _ in 0..n {
                one().await;
            }
        })
    });
    (
        info.count_total as f64 / n as f64,
        info.bytes_total as f64 / n as f64,
    )
}

/// CPU time (ns) this thread has run so far (`/proc/thread-self/schedstat`, the scheduler's
/// own sum of run time): unlike wall time, not lengthened by waiting for a core on a loaded
/// machine.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Nanoseconds of wall-clock time since the first call: [`paired_batches`]' other clock.
fn wall_ns() -> Option<u64> {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    u64::try_from(START.get_or_init(Instant::now).elapsed().as_nanos()).ok()
}

/// Both sides timed in `pairs` pairs of batches of `n` requests (after 200 requests of each to
/// warm up), the two batches of a pair back to back, which side goes first alternating from pair
/// to pair, each batch on `clock` (nanoseconds): each pair's (generated, by hand) time. Both sides
/// run on this thread's current-thread runtime, connection tasks included, so a batch is all the
/// client-side work of its requests (the server runs on another thread). Two batches of a pair
/// share their moment, so a change of the machine's load moves both; criterion measures one side
/// for seconds and then the other, so such a change lands in its ratio (docs/benchmarks.md).
fn paired_batches<G, GF, H, HF>(
    rt: &tokio::runtime::Runtime,
    pairs: usize,
    n: u64,
    generated: G,
    by_hand: H,
    clock: fn() -> Option<u64>,
) -> Option<Vec<(f64, f64)>>
where
    G: Fn() -> GF,
    GF: std::future::Future<Output = ()>,
    H: Fn() -> HF,
    HF: std::future::Future<Output = ()>,
{
    // The time of `n` requests of one side on `clock`.
    fn batch<F: std::future::Future<Output = ()>>(
        rt: &tokio::runtime::Runtime,
        n: u64,
        one: impl Fn() -> F,
        clock: fn() -> Option<u64>,
    ) -> Option<f64> {
        let before = clock()?;
        rt.block_on(async {
            for _ in 0..n {
                one().await;
            }
        });
        Some((clock()? - before) as f64)
    }
    rt.block_on(async {
        for _ in 0..200 {
            generated().await;
            by_hand().await;
        }
    });
    (0..pairs)
        .map(|pair| {
            if pair % 2 == 0 {
                let g = batch(rt, n, &generated, clock)?;
                Some((g, batch(rt, n, &by_hand, clock)?))
            } else {
                let h = batch(rt, n, &by_hand, clock)?;
                Some((batch(rt, n, &generated, clock)?, h))
            }
        })
        .collect()
}

/// The median of `v`.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_unstable_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Per request (µs), of [`paired_batches`] of `n` requests: each side's median batch, and the
/// median of the pairs' ratios, generated / by hand.
fn per_request(batches: &[(f64, f64)], n: u64) -> (f64, f64, f64) {
    let us = |ns: f64| ns / 1000.0 / n as f64;
    (
        us(median(batches.iter().map(|b| b.0).collect())),
        us(median(batches.iter().map(|b| b.1).collect())),
        median(batches.iter().map(|b| b.0 / b.1).collect()),
    )
}

/// Criterion's median estimate, in nanoseconds, of `group/function`.
fn median_ns(out: &Path, group: &str, function: &str) -> Option<f64> {
    let path = out.join(group).join(function).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.pointer("/median/point_estimate")?.as_f64()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let (_server, base) = serve();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sides = Sides {
        generated: petstore::Client::builder()
            .base_url(&base)
            .api_key("secret")
            .build()
            .unwrap(),
        http: reqwest::Client::builder()
            // The User-Agent the other side sends: the same request on the wire.
            .user_agent(format!(
                "petstore/1.0.0 sdkwright-runtime/{}",
                env!("CARGO_PKG_VERSION")
            ))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
        url: format!("{base}/pets/42").into(),
    };

    let out = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("criterion");
    let mut c = Criterion::default()
        .output_directory(&out)
        .configure_from_args();
    {
        let mut group = c.benchmark_group("request_overhead");
        // Each iteration is one request over a kept-alive loopback connection.
        group.bench_function("generated", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        sides.generated().await;
                    }
                    started.elapsed()
                })
            })
        });
        group.bench_function("by_hand", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        sides.by_hand().await;
                    }
                    started.elapsed()
                })
            })
        });
        group.finish();
    }
    c.final_summary();

    // What a caller holds (and copies, e.g. into `tokio::spawn`) per call in flight.
    let future_generated = std::mem::size_of_val(&sides.generated.get_pet_by_id(42).send());
    let future_hand = std::mem::size_of_val(&sides.by_hand());
    // The client thread's CPU time (what to judge by on a loaded machine, where waiting for a
    // core lengthens the wall clock) and the wall clock, each in alternating pairs of batches.
    let cpu = paired_batches(
        &rt,
        9,
        1_000,
        || sides.generated(),
        || sides.by_hand(),
        thread_cpu_ns,
    )
    .map(|b| per_request(&b, 1_000));
    let paired = paired_batches(
        &rt,
        41,
        500,
        || sides.generated(),
        || sides.by_hand(),
        wall_ns,
    )
    .map(|b| per_request(&b, 500));
    let n = 2_000;
    let alloc_generated = allocations_per_request(&rt, n, || sides.generated());
    let alloc_hand = allocations_per_request(&rt, n, || sides.by_hand());
    println!();
    println!("request_overhead summary (load average {})", load_average());
    match (
        median_ns(&out, "request_overhead", "generated"),
        median_ns(&out, "request_overhead", "by_hand"),
    ) {
        (Some(g), Some(h)) => println!(
            "  median per request (criterion: one side's window, then the other's; moved 0.74-1.16 between runs of one hour, docs/benchmarks.md): generated {:.1} µs, by hand {:.1} µs, generated/by hand {:.3}",
            g / 1000.0,
            h / 1000.0,
            g / h
        ),
        _ => println!("  median per request: no criterion estimates (run with `cargo bench`)"),
    }
    match paired {
        Some((g, h, ratio)) => println!(
            "  paired wall clock per request (41 pairs of back-to-back batches of 500, which side first alternating; each side's median batch): generated {g:.1} µs, by hand {h:.1} µs, median of the pairs' ratios {ratio:.3} (goal <= 1.05)"
        ),
        None => println!("  paired wall clock per request: no clock"),
    }
    match cpu {
        Some((g, h, ratio)) => println!(
            "  client-thread CPU per request (9 pairs of back-to-back batches of 1,000, which side first alternating; each side's median batch): generated {g:.1} µs, by hand {h:.1} µs, median of the pairs' ratios {ratio:.3}"
        ),
        None => println!("  client-thread CPU per request: /proc/thread-self/schedstat not readable"),
    }
    println!(
        "  size of the future of one call: generated {future_generated} bytes, by hand {future_hand} bytes"
    );
    println!(
        "  boxed future of one generated call (the retry loop's): {} bytes",
        sdkwright_runtime::bench::call_future_size()
    );
    println!(
        "  allocations per request (client thread): generated {:.1} ({:.0} bytes), by hand {:.1} ({:.0} bytes)",
        alloc_generated.0, alloc_generated.1, alloc_hand.0, alloc_hand.1
    );
}
