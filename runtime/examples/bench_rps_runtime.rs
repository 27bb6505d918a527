//! Benchmark (not a test): requests per second through the runtime (`Client::call_with_response`,
//! what a generated `send()` calls) with the petstore's `getPetById` spec, beside the same request
//! by hand with reqwest, on loopback; for profiling the runtime without building the generated
//! crates (`scripts/bench-rps.sh` measures the generated client itself).
//!
//! `cargo run --release -p sdkwright-runtime --example bench_rps_runtime` (`BENCH_REQUESTS`,
//! `BENCH_ROUNDS`, `BENCH_CONCURRENCY`, `BENCH_ONLY=runtime|hand` as in bench_rps).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use sdkwright_runtime::__private as rt;
use sdkwright_runtime::{reqwest, Credential};

const PET: &str = r#"{"id":42,"name":"Rex","photoUrls":["https://example.com/rex.jpg"],"nickname":null,"tag":"dog","status":"available"}"#;

static API_KEY: rt::SecurityScheme = rt::SecurityScheme::api_key_header("api_key", "X-API-Key");
static GET_PET_BY_ID: rt::OperationSpec = rt::get("getPetById", "/pets/{petId}")
    .params(&[rt::path("petId"), rt::query("verbose")])
    .response(rt::ResponseFormat::Json)
    .security(&[&[&API_KEY]])
    .errors(&[rt::any_status()]);

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Pet {
    id: i64,
    name: String,
    #[serde(default)]
    tag: Option<String>,
    nickname: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(rename = "photoUrls")]
    photo_urls: Vec<String>,
}

#[derive(serde::Deserialize, Debug)]
struct ApiErr {}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let requests = env("BENCH_REQUESTS", 20_000);
    let rounds = env("BENCH_ROUNDS", 5);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let levels: Vec<usize> = match std::env::var("BENCH_CONCURRENCY") {
        Ok(v) => v.split(',').filter_map(|c| c.parse().ok()).collect(),
        Err(_) => vec![1, 32],
    };
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
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
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    });
    let base = format!("http://{addr}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    for concurrency in levels {
        let (mut best_rt, mut best_hand) = (0f64, 0f64);
        for _ in 0..rounds {
            if only != "hand" {
                best_rt = best_rt.max(rt.block_on(runtime(&base, requests, concurrency)));
            }
            if only != "runtime" {
                best_hand = best_hand.max(rt.block_on(by_hand(&base, requests, concurrency)));
            }
        }
        println!(
            "concurrency {concurrency:>2}: runtime {best_rt:>8.0} req/s, hand-written reqwest {best_hand:>8.0} req/s, ratio {:.3} ({requests} requests, best of {rounds} rounds)",
            best_rt / best_hand
        );
    }
}

async fn runtime(base: &str, requests: usize, concurrency: usize) -> f64 {
    let client = rt::ClientBuilder::new(base)
        .credential("api_key", Credential::api_key("secret"))
        .build()
        .unwrap();
    let started = Instant::now();
    let per_task = requests / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    let req = rt::Request::new(&GET_PET_BY_ID)
                        .options(rt::CallOptions::new())
                        .param("petId", &42i64)
                        .param("verbose", &None::<bool>);
                    let pet = client
                        .call_with_response::<Pet, ApiErr>(req)
                        .await
                        .unwrap()
                        .into_body();
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

async fn by_hand(base: &str, requests: usize, concurrency: usize) -> f64 {
    let http = reqwest::Client::builder()
        // The User-Agent the other side sends: the same request on the wire.
        .user_agent(concat!("sdkwright-runtime/", env!("CARGO_PKG_VERSION")))
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
                    let pet: Pet = serde_json::from_slice(&bytes).unwrap();
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

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}
