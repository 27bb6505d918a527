//! Pagination against a loopback server that pages in every supported style and counts the
//! requests it receives.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::StreamExt;
use sdkwright_runtime::__private as rt;
use sdkwright_runtime::serde_json::{json, Value};

/// The server's items: ids 0..TOTAL.
const TOTAL: u64 = 25;
const PAGE: u64 = 10;

#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

type Q = Query<HashMap<String, String>>;

fn num(q: &HashMap<String, String>, k: &str, default: u64) -> u64 {
    q.get(k).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn items(from: u64, n: u64) -> Vec<Value> {
    (from..(from + n).min(TOTAL))
        .map(|i| json!({"id": format!("it{i:02}"), "n": i}))
        .collect()
}

fn count(c: &Counter) {
    c.0.fetch_add(1, Ordering::SeqCst);
}

async fn cursor(State(c): State<Counter>, Query(q): Q) -> Json<Value> {
    count(&c);
    let from = q.get("cursor").map_or(0, |v| v[1..].parse().unwrap_or(0));
    let page = items(from, num(&q, "limit", PAGE));
    let next = from + page.len() as u64;
    let next = (next < TOTAL).then(|| format!("c{next}"));
    Json(json!({"meta": {"next_cursor": next}, "data": page}))
}

async fn stripe(State(c): State<Counter>, Query(q): Q) -> Json<Value> {
    count(&c);
    let from = q
        .get("starting_after")
        .map_or(0, |v| v[2..].parse::<u64>().unwrap_or(0) + 1);
    let page = items(from, PAGE);
    Json(json!({"object": "list", "data": page, "has_more": from + PAGE < TOTAL}))
}

async fn link(State(c): State<Counter>, headers: HeaderMap, Query(q): Q) -> Response {
    count(&c);
    let page = num(&q, "page", 1);
    let per = num(&q, "per_page", PAGE);
    let body = items((page - 1) * per, per);
    let host = headers["host"].to_str().unwrap().to_owned();
    let mut links = vec![format!("<http://{host}/link?page=1>; rel=\"first\"")];
    if page * per < TOTAL {
        links.push(format!(
            "<http://{host}/link?page={}&per_page={per}>; rel=\"next\"",
            page + 1
        ));
    }
    let mut resp = Json(body).into_response();
    let v = HeaderValue::from_str(&links.join(", ")).unwrap();
    resp.headers_mut().insert("link", v);
    resp
}

async fn offset(State(c): State<Counter>, Query(q): Q) -> Json<Value> {
    count(&c);
    Json(json!({"items": items(num(&q, "offset", 0), num(&q, "limit", PAGE))}))
}

async fn pages(State(c): State<Counter>, Query(q): Q) -> Json<Value> {
    count(&c);
    let page = num(&q, "page", 1);
    Json(json!(items((page - 1) * PAGE, PAGE)))
}

async fn next_url(State(c): State<Counter>, Query(q): Q) -> Json<Value> {
    count(&c);
    let skip = num(&q, "skip", 0);
    let next = (skip + PAGE < TOTAL).then(|| format!("/next-url?skip={}", skip + PAGE));
    Json(json!({"value": items(skip, PAGE), "nextLink": next}))
}

async fn looping(State(c): State<Counter>) -> Json<Value> {
    count(&c);
    Json(json!({"data": items(0, 2), "meta": {"next_cursor": "again"}}))
}

async fn endless(State(c): State<Counter>, Query(q): Q) -> Json<Value> {
    count(&c);
    let from = q.get("cursor").map_or(0, |v| v[1..].parse().unwrap_or(0));
    Json(
        json!({"data": [{"id": from, "n": from}], "meta": {"next_cursor": format!("c{}", from + 1)}}),
    )
}

async fn foreign(State(c): State<Counter>) -> Json<Value> {
    count(&c);
    Json(json!({"value": items(0, 2), "nextLink": "http://attacker.example/steal"}))
}

async fn failing(State(c): State<Counter>, Query(q): Q) -> Response {
    count(&c);
    if q.contains_key("cursor") {
        return (axum::http::StatusCode::NOT_FOUND, "gone").into_response();
    }
    Json(json!({"data": items(0, 3), "meta": {"next_cursor": "c3"}})).into_response()
}

/// A first page whose next cursor the server then refuses: 404 with a JSON error body and a
/// request id; `cursor=teapot` from the start is an undeclared 418 with the same body.
async fn typed_errors(State(c): State<Counter>, Query(q): Q) -> Response {
    count(&c);
    let status = match q.get("cursor").map(String::as_str) {
        None => {
            return Json(json!({"data": items(0, 2), "meta": {"next_cursor": "gone"}}))
                .into_response()
        }
        Some("teapot") => axum::http::StatusCode::IM_A_TEAPOT,
        Some(_) => axum::http::StatusCode::NOT_FOUND,
    };
    (
        status,
        [
            ("x-request-id", "req-7"),
            ("content-type", "application/json"),
        ],
        r#"{"code":"gone","message":"no such page"}"#,
    )
        .into_response()
}

async fn serve() -> (String, Counter) {
    let c = Counter::default();
    let app = Router::new()
        .route("/cursor", get(cursor))
        .route("/stripe", get(stripe))
        .route("/link", get(link))
        .route("/offset", get(offset))
        .route("/pages", get(pages))
        .route("/next-url", get(next_url))
        .route("/loop", get(looping))
        .route("/endless", get(endless))
        .route("/foreign", get(foreign))
        .route("/failing", get(failing))
        .route("/typed", get(typed_errors))
        .with_state(c.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), c)
}

#[derive(Debug, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Item {
    n: u64,
}

static CURSOR: rt::OperationSpec = rt::get("cursor", "/cursor")
    .params(&[rt::query("limit"), rt::query("cursor")])
    .response(rt::ResponseFormat::Json)
    .paginate(
        rt::Pagination::cursor("cursor", "/meta/next_cursor")
            .items("/data")
            .limit_param("limit"),
    );
static STRIPE: rt::OperationSpec = rt::get("stripe", "/stripe")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::last_item_id("starting_after", "/id").items("/data"));
static LINK: rt::OperationSpec = rt::get("link", "/link")
    .params(&[rt::query("per_page"), rt::query("page")])
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::link_header());
static OFFSET: rt::OperationSpec = rt::get("offset", "/offset")
    .params(&[rt::query("limit")])
    .response(rt::ResponseFormat::Json)
    .paginate(
        rt::Pagination::offset("offset")
            .items("/items")
            .limit_param("limit"),
    );
static PAGES: rt::OperationSpec = rt::get("pages", "/pages")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::page_number("page"));
static NEXT_URL: rt::OperationSpec = rt::get("nextUrl", "/next-url")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::next_url("/nextLink").items("/value"));
static LOOP: rt::OperationSpec = rt::get("loop", "/loop")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::cursor("cursor", "/meta/next_cursor").items("/data"));
static ENDLESS: rt::OperationSpec = rt::get("endless", "/endless")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::cursor("cursor", "/meta/next_cursor").items("/data"));
static FOREIGN: rt::OperationSpec = rt::get("foreign", "/foreign")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::next_url("/nextLink").items("/value"));
static FAILING: rt::OperationSpec = rt::get("failing", "/failing")
    .response(rt::ResponseFormat::Json)
    .paginate(rt::Pagination::cursor("cursor", "/meta/next_cursor").items("/data"));

static TYPED: rt::OperationSpec = rt::get("typedErrors", "/typed")
    .params(&[rt::query("cursor")])
    .response(rt::ResponseFormat::Json)
    .errors(&[rt::status(404)])
    .paginate(rt::Pagination::cursor("cursor", "/meta/next_cursor").items("/data"));

/// The error body `TYPED` declares for 404.
#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Gone {
    code: String,
}

type Items = rt::Paged<Item, rt::ErrorMetadata>;

/// Collects the item numbers; panics on an error item.
async fn all(stream: Items) -> Vec<u64> {
    stream.map(|r| r.expect("item").n).collect::<Vec<_>>().await
}

fn client(base: &str) -> rt::Client {
    rt::ClientBuilder::new(base).build().unwrap()
}

fn every() -> Vec<u64> {
    (0..TOTAL).collect()
}

fn requests(c: &Counter) -> usize {
    c.0.swap(0, Ordering::SeqCst)
}

#[tokio::test]
async fn each_style_yields_every_item_exactly_once() {
    let (base, c) = await_server().await;
    let cl = client(&base);

    // Cursor in the body, limit 10: pages of 10, 10, 5 (the short one is the last).
    let req = rt::Request::new(&CURSOR).param("limit", &10);
    assert_eq!(all(Items::items(cl.clone(), req)).await, every());
    assert_eq!(requests(&c), 3);
    // Limit 5: exactly 5 full pages, then the server says no more (no next cursor).
    let req = rt::Request::new(&CURSOR).param("limit", &5);
    assert_eq!(all(Items::items(cl.clone(), req)).await, every());
    assert_eq!(requests(&c), 5);

    // Stripe: has_more + starting_after the last id.
    assert_eq!(
        all(Items::items(cl.clone(), rt::Request::new(&STRIPE))).await,
        every()
    );
    assert_eq!(requests(&c), 3);

    // Link header (GitHub), per_page 7: 4 pages.
    let req = rt::Request::new(&LINK).param("per_page", &7);
    assert_eq!(all(Items::items(cl.clone(), req)).await, every());
    assert_eq!(requests(&c), 4);

    // Offset/limit: 10, 10, 5 (short: last).
    let req = rt::Request::new(&OFFSET).param("limit", &10);
    assert_eq!(all(Items::items(cl.clone(), req)).await, every());
    assert_eq!(requests(&c), 3);
    // Offset without a limit: until an empty page.
    assert_eq!(
        all(Items::items(cl.clone(), rt::Request::new(&OFFSET))).await,
        every()
    );
    assert_eq!(requests(&c), 4);

    // Page numbers from 1: until an empty page.
    assert_eq!(
        all(Items::items(cl.clone(), rt::Request::new(&PAGES))).await,
        every()
    );
    assert_eq!(requests(&c), 4);

    // A next URL in the body, relative to the base URL.
    assert_eq!(
        all(Items::items(cl.clone(), rt::Request::new(&NEXT_URL))).await,
        every()
    );
    assert_eq!(requests(&c), 3);
}

#[tokio::test]
async fn pages_are_typed_pages() {
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Page {
        data: Vec<Item>,
        has_more: bool,
    }
    let (base, c) = await_server().await;
    let pages: Vec<Page> =
        rt::Paged::<Page, rt::ErrorMetadata>::pages(client(&base), rt::Request::new(&STRIPE))
            .map(|p| p.unwrap())
            .collect()
            .await;
    assert_eq!(
        pages.iter().map(|p| p.data.len()).collect::<Vec<_>>(),
        [10, 10, 5]
    );
    assert_eq!(
        pages.iter().map(|p| p.has_more).collect::<Vec<_>>(),
        [true, true, false]
    );
    assert_eq!(requests(&c), 3);
}

#[tokio::test]
async fn a_looping_cursor_stops_with_an_error() {
    let (base, c) = await_server().await;
    let out: Vec<_> = Items::items(client(&base), rt::Request::new(&LOOP))
        .collect()
        .await;
    // Page 1 (cursor "again" first seen), page 2 (cursor "again" again): its items are not
    // yielded, the stream ends with the error.
    assert_eq!(requests(&c), 2);
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(out[..2].iter().all(Result::is_ok));
    let err = out[2].as_ref().unwrap_err().to_string();
    assert!(err.contains("twice"), "{err}");
}

#[tokio::test]
async fn a_page_limit_is_honoured() {
    let (base, c) = await_server().await;
    let n = Items::items(client(&base), rt::Request::new(&ENDLESS))
        .max_pages(7)
        .map(|r| r.unwrap())
        .count()
        .await;
    assert_eq!((n, requests(&c)), (7, 7));
    // Pages are fetched lazily: taking 3 items of a 10-item page costs one request.
    let n = Items::items(client(&base), rt::Request::new(&CURSOR))
        .take(3)
        .count()
        .await;
    assert_eq!((n, requests(&c)), (3, 1));
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_refused() {
    let (base, c) = await_server().await;
    let out: Vec<_> = Items::items(client(&base), rt::Request::new(&FOREIGN))
        .collect()
        .await;
    assert_eq!(requests(&c), 1);
    assert_eq!(out.len(), 1);
    let err = out[0].as_ref().unwrap_err().to_string();
    assert!(err.contains("origin"), "{err}");
}

#[tokio::test]
async fn a_failed_page_is_the_last_item() {
    let (base, c) = await_server().await;
    let out: Vec<_> = Items::items(client(&base), rt::Request::new(&FAILING))
        .collect()
        .await;
    assert_eq!(requests(&c), 2);
    assert_eq!(out.len(), 4);
    assert!(matches!(&out[3], Err(rt::Error::Api(meta)) if meta.status == 404));
}

async fn await_server() -> (String, Counter) {
    serve().await
}

/// Operation, status, headers, raw body, request id.
type Seen = (String, u16, Vec<(String, String)>, Vec<u8>, Option<String>);

/// What a test compares of two API errors: all but the `date` header.
fn seen(e: &rt::ApiError<Gone>) -> Seen {
    let headers = e
        .headers()
        .iter()
        .filter(|(k, _)| k != "date")
        .cloned()
        .collect();
    let id = e.request_id().map(str::to_owned);
    (
        e.operation().to_owned(),
        e.status(),
        headers,
        e.raw_body().to_vec(),
        id,
    )
}

/// A page's error status gives the same `ApiError<B>` a single call of the operation gives:
/// operation, status, headers, raw body, request id, and the typed body where the operation
/// declares one for the status (404 here), none where it does not (418).
#[tokio::test]
async fn a_failed_page_is_the_error_a_single_call_gives() {
    let (base, _c) = await_server().await;
    let cl = client(&base);
    for (first, typed) in [(None, true), (Some("teapot"), false)] {
        let mut req = rt::Request::new(&TYPED);
        let mut single = rt::Request::new(&TYPED).param("cursor", "gone");
        if let Some(c) = first {
            req = req.param("cursor", c);
            single = rt::Request::new(&TYPED).param("cursor", c);
        }
        let out: Vec<_> = rt::Paged::<Item, rt::ApiError<Gone>>::items(cl.clone(), req)
            .collect()
            .await;
        let Some(Err(rt::Error::Api(paged))) = out.last() else {
            panic!("the last item is the API error: {out:?}");
        };
        let Err(rt::Error::Api(call)) = cl.call::<Value, Gone>(single).await else {
            panic!("a single call fails too");
        };
        assert_eq!(seen(paged), seen(&call));
        assert_eq!(paged.operation(), "typedErrors");
        assert_eq!(paged.request_id(), Some("req-7"));
        assert_eq!(paged.status(), if typed { 404 } else { 418 });
        assert_eq!(paged.body(), call.body());
        assert_eq!(paged.decode_error(), call.decode_error());
        if typed {
            assert_eq!(paged.body().map(|g| g.code.as_str()), Some("gone"));
        } else {
            assert!(paged.body().is_none(), "418 is not declared: no typed body");
        }
        // Pages of whole responses too.
        let req = match first {
            Some(c) => rt::Request::new(&TYPED).param("cursor", c),
            None => rt::Request::new(&TYPED),
        };
        let out: Vec<_> = rt::Paged::<Value, rt::ApiError<Gone>>::pages(cl.clone(), req)
            .collect()
            .await;
        let Some(Err(rt::Error::Api(page))) = out.last() else {
            panic!("the last page is the API error: {out:?}");
        };
        assert_eq!(seen(page), seen(&call));
        assert_eq!(page.body(), call.body());
    }
}

/// `pages()`: a page that does not decode as the page type is an error item in its place and
/// the next pages are still fetched; once the stream ended, polling it again yields nothing
/// and sends nothing.
#[tokio::test]
async fn a_page_that_does_not_decode_is_an_error_item_and_the_pages_go_on() {
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Strict {
        #[allow(dead_code)]
        has_more: String,
    }
    let (base, c) = await_server().await;
    let mut pages =
        rt::Paged::<Strict, rt::ErrorMetadata>::pages(client(&base), rt::Request::new(&STRIPE));
    let mut errors = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Err(rt::Error::Decode(d)) => errors.push(d.to_string()),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors.iter().all(|e| e.contains("has_more")), "{errors:?}");
    assert_eq!(requests(&c), 3);
    assert!(pages.next().await.is_none());
    assert_eq!(requests(&c), 0);
}
