//! Pagination and streaming responses through the generated petstore client, against an
//! in-process axum server: `items()`/`pages()` of a cursor-paged, a Link-paged and an
//! `x-ms-pageable` operation, `stream()` of the photo download, `events()` of the event stream.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::{StreamExt, TryStreamExt};
use petstore::types::PetEventKind;
use petstore::Client;
use serde_json::{json, Value};

const PETS: i64 = 23;

type Q = Query<HashMap<String, String>>;

#[derive(Clone, Default)]
struct Counts(Arc<AtomicUsize>);

fn pet(id: i64) -> Value {
    json!({"id": id, "name": format!("pet{id}"), "nickname": null, "photoUrls": []})
}

async fn pets_paged(State(c): State<Counts>, headers: HeaderMap, Query(q): Q) -> Json<Value> {
    c.0.fetch_add(1, Ordering::SeqCst);
    assert_eq!(
        headers["x-api-key"], "key-1",
        "every page carries the credential"
    );
    let traced = headers
        .get("x-trace")
        .map(|v| v.to_str().unwrap().to_owned());
    if let Some(t) = traced {
        assert_eq!(t, "on", "per-call headers ride on every page");
        c.0.fetch_add(1000, Ordering::SeqCst);
    }
    let from: i64 = q.get("cursor").map_or(0, |c| c.parse().unwrap());
    let limit: i64 = q.get("limit").map_or(10, |l| l.parse().unwrap());
    let end = (from + limit).min(PETS);
    let next = (end < PETS).then(|| end.to_string());
    Json(json!({"data": (from..end).map(pet).collect::<Vec<_>>(), "next_cursor": next}))
}

async fn owners(State(c): State<Counts>, headers: HeaderMap, Query(q): Q) -> Response {
    c.0.fetch_add(1, Ordering::SeqCst);
    let page: usize = q.get("page").map_or(1, |p| p.parse().unwrap());
    let names = ["ann", "bob", "cy", "di", "ed"];
    let body: Vec<Value> = names
        .iter()
        .skip((page - 1) * 2)
        .take(2)
        .map(|n| json!({"name": n}))
        .collect();
    let mut resp = Json(body).into_response();
    if page * 2 < names.len() {
        let host = headers["host"].to_str().unwrap();
        let link = format!(
            "<http://{host}/v1/owners?page={}&per_page=2>; rel=\"next\"",
            page + 1
        );
        resp.headers_mut()
            .insert(header::LINK, link.parse().unwrap());
    }
    resp
}

async fn visits(State(c): State<Counts>, Query(q): Q) -> Json<Value> {
    c.0.fetch_add(1, Ordering::SeqCst);
    let skip: i64 = q.get("skip").map_or(0, |s| s.parse().unwrap());
    let value: Vec<Value> = (skip..(skip + 4).min(10))
        .map(|i| json!({"id": i, "note": "ok"}))
        .collect();
    let next = (skip + 4 < 10).then(|| format!("/v1/visits?skip={}", skip + 4));
    Json(json!({"value": value, "nextLink": next}))
}

async fn photo(Query(q): Q) -> Response {
    let size: u64 = q.get("size").map_or(1 << 20, |s| s.parse().unwrap());
    let chunks = futures_util::stream::unfold(0u64, move |at| async move {
        (at < size).then(|| {
            let n = (size - at).min(32 * 1024);
            let chunk: Vec<u8> = (at..at + n).map(|i| (i % 253) as u8).collect();
            (Ok::<_, Infallible>(Bytes::from(chunk)), at + n)
        })
    });
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from_stream(chunks),
    )
        .into_response()
}

async fn events() -> Response {
    let text = "event: pet\nid: 1\ndata: {\"kind\": \"added\", \"petId\": 7}\n\n\
                data: {\"kind\": \"sold\"\n\n\
                : keep-alive\n\n\
                event: pet\nid: 2\ndata: {\"kind\": \"sold\",\ndata: \"petId\": 7}\n\n";
    let chunks: Vec<Result<Bytes, Infallible>> = text
        .as_bytes()
        .chunks(5)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let stream = futures_util::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        c
    });
    (
        [(header::CONTENT_TYPE, "text/event-stream")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn start() -> (Client, Counts) {
    let c = Counts::default();
    let app = Router::new()
        .route("/v1/pets/paged", get(pets_paged))
        .route("/v1/owners", get(owners))
        .route("/v1/visits", get(visits))
        .route("/v1/pets/{id}/photo", get(photo))
        .route("/v1/pets/events", get(events))
        .with_state(c.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .api_key("key-1")
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    (client, c)
}

fn requests(c: &Counts) -> usize {
    c.0.swap(0, Ordering::SeqCst)
}

#[tokio::test]
async fn cursor_pages_yield_each_pet_once() {
    let (client, c) = start().await;
    let ids: Vec<i64> = client
        .list_pets_paged()
        .limit(5)
        .items()
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (0..PETS).collect::<Vec<_>>());
    assert_eq!(requests(&c), 5);

    let sizes: Vec<usize> = client
        .list_pets_paged()
        .pages()
        .map_ok(|page| page.data.len())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sizes, [10, 10, 3]);
    assert_eq!(requests(&c), 3);

    let first_two = client
        .list_pets_paged()
        .limit(4)
        .items()
        .max_pages(2)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(first_two.len(), 8);
    assert_eq!(requests(&c), 2);

    // Per-call options (`customize`) apply to every page.
    let n = client
        .list_pets_paged()
        .customize(|o| o.header("x-trace", "on"))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len();
    assert_eq!((n, requests(&c)), (PETS as usize, 3 * 1001));
}

#[tokio::test]
async fn link_header_and_next_link_pages() {
    let (client, c) = start().await;
    let owners: Vec<String> = client
        .list_owners()
        .per_page(2)
        .items()
        .map_ok(|o| o.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(owners, ["ann", "bob", "cy", "di", "ed"]);
    assert_eq!(requests(&c), 3);

    let visits: Vec<i64> = client
        .list_visits()
        .items()
        .map_ok(|v| v.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(visits, (0..10).collect::<Vec<_>>());
    assert_eq!(requests(&c), 3);
}

#[tokio::test]
async fn a_download_streams_past_max_body_size() {
    let (client, _) = start().await;
    // 1 MiB photo, a 64 KiB max_body_size: `send()` refuses it, `stream()` does not buffer it.
    let err = client.download_pet_photo(1).send().await.unwrap_err();
    assert!(err.to_string().contains("bytes"), "{err}");
    let mut stream = client.download_pet_photo(1).stream().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut at = 0u64;
    while let Some(chunk) = stream.try_next().await.unwrap() {
        assert!(chunk
            .iter()
            .enumerate()
            .all(|(i, b)| *b == ((at + i as u64) % 253) as u8));
        at += chunk.len() as u64;
    }
    assert_eq!(at, 1 << 20);
}

#[tokio::test]
async fn events_decode_into_the_documented_type() {
    let (client, _) = start().await;
    let events: Vec<_> = client
        .stream_pet_events()
        .events()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(events.len(), 3, "{events:?}");
    let first = events[0].as_ref().unwrap();
    assert_eq!(first.data.kind, PetEventKind::Added);
    assert_eq!(
        (
            first.data.pet_id,
            first.event.as_deref(),
            first.id.as_deref()
        ),
        (7, Some("pet"), Some("1"))
    );
    // The malformed event is an error item; the stream goes on.
    assert!(events[1].is_err());
    let last = events[2].as_ref().unwrap();
    assert_eq!(
        (&last.data.kind, last.id.as_deref()),
        (&PetEventKind::Sold, Some("2"))
    );
}
