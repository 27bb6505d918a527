//! Requests per second through the generated petstore client against the same request written
//! by hand with reqwest, on loopback, in one run (a benchmark, not a test: `scripts/bench-rps.sh`).
//!
//! Both sides send the same bytes (`GET /pets/42` with `Accept: application/json`, the `X-API-Key`
//! header and the generated client's `User-Agent`, in that order; `BENCH_DUMP=1` prints both
//! requests as a server receives them), and decode the body into the same `petstore::types::Pet`;
//! the server is an in-process axum server on its own runtime. Rounds alternate between the two so
//! that machine noise hits both; the best round of each is printed, with the ratio (the issue's
//! goal: >= 0.95) and the load average. `BENCH_REQUESTS`, `BENCH_ROUNDS`, `BENCH_CONCURRENCY`
//! (e.g. `1,32`, the default) and `BENCH_ONLY=generated|hand` (one side alone, e.g. under
//! `valgrind --tool=callgrind`). Each side's connections are counted (accepted by the server): one
//! per concurrent task is the floor.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::serve::ListenerExt;
use sdkwright_runtime::reqwest;

const PET: &str = r#"{"id":42,"name":"Rex","photoUrls":["https://example.com/rex.jpg"],"nickname":null,"tag":"dog","status":"available"}"#;

fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let levels: Vec<usize> = match std::env::var("BENCH_CONCURRENCY") {
        Ok(v) => v.split(',').filter_map(|c| c.parse().ok()).collect(),
        Err(_) => vec![1, 32],
    };
    if std::env::var_os("BENCH_DUMP").is_some() {
        dump_requests();
        return;
    }
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(SERVER_THREAD)
        .enable_all()
        .build()
        .unwrap();
    let addr = server_rt.block_on(async {
        let app = axum::Router::new().route(
            "/pets/{id}",
            get(|| async { ([("content-type", "application/json")], PET) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Counts the connections accepted: each side should open one per concurrent task at
        // most (a connection not returned to the pool costs a handshake on both sides).
        let listener = listener.tap_io(|_| {
            ACCEPTED.fetch_add(1, Ordering::Relaxed);
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    });
    let base = format!("http://{addr}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(CLIENT_THREAD)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "boxed future of one call (the retry loop's): {} bytes",
        sdkwright_runtime::bench::call_future_size()
    );
    for concurrency in levels {
        let (mut best_gen, mut best_hand) = (0f64, 0f64);
        let (mut cpu_gen, mut cpu_hand) = (Vec::new(), Vec::new());
        let (mut conn_gen, mut conn_hand) = (0, 0);
        // Voluntary context switches of the client's thread (each time it waits for I/O): an
        // extra wake-up per call would show here.
        let (mut sw_gen, mut sw_hand) = (0, 0);
        for _ in 0..rounds {
            if only != "hand" {
                let before = cpu_ns();
                let accepted = ACCEPTED.load(Ordering::Relaxed);
                let switched = client_switches();
                best_gen = best_gen.max(rt.block_on(generated(&base, requests, concurrency)));
                cpu_gen.push(per_request(before, cpu_ns(), requests));
                conn_gen += ACCEPTED.load(Ordering::Relaxed) - accepted;
                sw_gen += client_switches() - switched;
            }
            if only != "generated" {
                let before = cpu_ns();
                let accepted = ACCEPTED.load(Ordering::Relaxed);
                let switched = client_switches();
                best_hand = best_hand.max(rt.block_on(by_hand(&base, requests, concurrency)));
                cpu_hand.push(per_request(before, cpu_ns(), requests));
                conn_hand += ACCEPTED.load(Ordering::Relaxed) - accepted;
                sw_hand += client_switches() - switched;
            }
        }
        println!(
            "concurrency {concurrency:>2}: generated client {best_gen:>8.0} req/s, hand-written reqwest {best_hand:>8.0} req/s, ratio {:.3} ({requests} requests, best of {rounds} rounds, load average {})",
            best_gen / best_hand,
            load_average()
        );
        // Each round's generated/hand ratio of client CPU (neighbouring runs, so a change of
        // the machine's load between rounds moves both): their median.
        let mut paired: Vec<f64> = cpu_gen
            .iter()
            .zip(&cpu_hand)
            .map(|(g, h)| g.0 / h.0)
            .collect();
        paired.sort_by(f64::total_cmp);
        let paired = paired.get(paired.len() / 2).copied().unwrap_or(0.0);
        let (g, h) = (median(&mut cpu_gen), median(&mut cpu_hand));
        println!(
            "              CPU per request (median of rounds): generated client thread {:.1} µs + server {:.1} µs, by hand {:.1} µs + server {:.1} µs, client ratio {:.3} (median of per-round ratios {paired:.3})",
            g.0, g.1, h.0, h.1, g.0 / h.0
        );
        println!(
            "              connections accepted (all rounds): generated {conn_gen}, by hand {conn_hand}; client thread's voluntary context switches per request: generated {:.3}, by hand {:.3}",
            sw_gen as f64 / (requests * rounds) as f64,
            sw_hand as f64 / (requests * rounds) as f64
        );
    }
}

/// Requests per second through the generated client.
async fn generated(base: &str, requests: usize, concurrency: usize) -> f64 {
    let client = petstore::Client::builder()
        .base_url(base)
        .api_key("secret")
        .build()
        .unwrap();
    let started = Instant::now();
    let per_task = requests / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    let pet = client.get_pet_by_id(42).send().await.unwrap();
                    assert_eq!(pet.id, 42);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    rate(per_task * concurrency, started.elapsed())
}

/// Requests per second for the same request written by hand with reqwest.
async fn by_hand(base: &str, requests: usize, concurrency: usize) -> f64 {
    let http = reqwest::Client::builder()
        .user_agent(user_agent())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let url: Arc<str> = format!("{base}/pets/42").into();
    let started = Instant::now();
    let per_task = requests / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let http = http.clone();
            let url = url.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    let resp = http
                        .get(&*url)
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
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    rate(per_task * concurrency, started.elapsed())
}

/// The User-Agent the generated client sends (its crate's name and version, then the
/// runtime's), sent by the hand-written side too: the same request on the wire
/// (`BENCH_DUMP=1` shows both).
fn user_agent() -> String {
    format!(
        "petstore/1.0.0 sdkwright-runtime/{}",
        env!("CARGO_PKG_VERSION")
    )
}

/// `BENCH_DUMP=1`: prints the bytes of one request of each side as a server receives them
/// (both sides must send the same request).
fn dump_requests() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let mut seen = Vec::new();
            for _ in 0..2 {
                let (mut socket, _) = listener.accept().await.unwrap();
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = socket.read(&mut buf).await.unwrap();
                    request.extend_from_slice(&buf[..n]);
                }
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{PET}",
                    PET.len()
                );
                socket.write_all(response.as_bytes()).await.unwrap();
                seen.push(String::from_utf8_lossy(&request).into_owned());
            }
            seen
        });
        generated(&base, 1, 1).await;
        by_hand(&base, 1, 1).await;
        let seen = server.await.unwrap();
        for (side, request) in ["generated", "by hand"].iter().zip(&seen) {
            println!("--- {side}:\n{}", request.replace("\r\n", "\n"));
        }
        println!("same bytes: {}", seen[0] == seen[1]);
    });
}

/// Connections the bench server accepted so far.
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);

/// The client's and the server's runtime threads (named so that their CPU time can be read).
const CLIENT_THREAD: &str = "bench-client";
const SERVER_THREAD: &str = "bench-server";

/// CPU time (ns, from `/proc/self/task/*/schedstat`) of the client's and the server's runtime
/// threads so far: a figure that the machine's load moves far less than wall-clock time.
fn cpu_ns() -> (u64, u64) {
    let (mut client, mut server) = (0, 0);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0, 0);
    };
    for task in tasks.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let ns: u64 = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
            .unwrap_or(0);
        match comm.trim() {
            CLIENT_THREAD => client += ns,
            SERVER_THREAD => server += ns,
            _ => {}
        }
    }
    (client, server)
}

/// Voluntary context switches of the client's runtime thread so far
/// (`/proc/self/task/*/status`).
fn client_switches() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    let mut n = 0;
    for task in tasks.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if comm.trim() != CLIENT_THREAD {
            continue;
        }
        let status = std::fs::read_to_string(path.join("status")).unwrap_or_default();
        n += status
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    n
}

/// CPU µs per request of each thread between two `cpu_ns` readings.
fn per_request(before: (u64, u64), after: (u64, u64), n: usize) -> (f64, f64) {
    let us = |a: u64, b: u64| b.saturating_sub(a) as f64 / 1000.0 / n as f64;
    (us(before.0, after.0), us(before.1, after.1))
}

fn median(v: &mut [(f64, f64)]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let client = v[v.len() / 2].0;
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    (client, v[v.len() / 2].1)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}
