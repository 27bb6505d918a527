//! Pagination: [`Pagination`] (how an operation's responses page, a static part of its
//! `OperationSpec`) and [`Paged`], the stream of items or pages that follows it.
//!
//! The loop is written once, here, and is not generic: fetching a page (through
//! [`Client::execute`], so with auth, retries and the body limit), finding its items and the
//! next cursor or URL, and the guards. Only the classification of error responses and the
//! decoding of items or pages are generic.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{Client, Rejected};
use crate::error::{DecodeError, Error, RequestError};
use crate::request::Request;
use crate::response::{FromErrorResponse, JsonOnly, Response};

/// Without [`Paged::max_pages`], a stream that reaches this many pages ends with an error: a
/// server whose cursors never repeat but never end is a bug, not a data set.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// How the next page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageStyle {
    /// A cursor in the body (`next_cursor`, `nextPageToken`, …) sent back as a query parameter.
    Cursor,
    /// The last item's id sent back as a query parameter while the body says there is more
    /// (Stripe: `has_more`, `starting_after`).
    LastItemId,
    /// A next-page URL in the body (`x-ms-pageable`'s `nextLink`, `next`).
    NextUrl,
    /// A `Link: <…>; rel="next"` response header (GitHub, RFC 8288).
    LinkHeader,
    /// An offset query parameter advanced by the number of items received.
    Offset,
    /// A page number query parameter advanced by one.
    PageNumber,
}

/// How an operation's responses page: a static part of its `OperationSpec`
/// ([`crate::__private::OperationSpec::paginate`]), built by `const fn`s.
///
/// Locations in the body are JSON pointers (`/data`, `/meta/next_cursor`; `""` is the body
/// itself).
///
/// ```
/// # use sdkwright_runtime::__private as rt;
/// static LIST: rt::OperationSpec = rt::get("listThings", "/things")
///     .response(rt::ResponseFormat::Json)
///     .paginate(rt::Pagination::cursor("page_token", "/next_page").items("/items"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pagination {
    pub(crate) style: PageStyle,
    /// Where the items are (JSON pointer; `""`: the body is the array).
    pub(crate) items: &'static str,
    /// The query parameter that carries the cursor, id, offset or page number.
    pub(crate) param: &'static str,
    /// Where the next cursor or URL is (`Cursor`, `NextUrl`), or the id within an item
    /// (`LastItemId`).
    pub(crate) source: &'static str,
    /// Where a "there is more" boolean is; `false` there ends the stream. Empty: none.
    pub(crate) has_more: &'static str,
    /// The page-size query parameter (`limit`, `per_page`): a page with fewer items than it
    /// asked for is the last one. Empty: none.
    pub(crate) limit_param: &'static str,
    /// The first page number (`PageNumber`).
    pub(crate) start: u64,
}

impl Pagination {
    const fn new(style: PageStyle) -> Self {
        Pagination {
            style,
            items: "",
            param: "",
            source: "",
            has_more: "",
            limit_param: "",
            start: 1,
        }
    }
    /// A cursor found at `next` in the body, sent back as the query parameter `param`; a missing,
    /// `null` or empty cursor ends the stream.
    pub const fn cursor(param: &'static str, next: &'static str) -> Self {
        let mut p = Self::new(PageStyle::Cursor);
        p.param = param;
        p.source = next;
        p
    }
    /// The last item's id (at `id` within the item) sent back as the query parameter `param`
    /// while `/has_more` is true (Stripe's `starting_after`).
    pub const fn last_item_id(param: &'static str, id: &'static str) -> Self {
        let mut p = Self::new(PageStyle::LastItemId);
        p.param = param;
        p.source = id;
        p.has_more = "/has_more";
        p
    }
    /// A next-page URL found at `next` in the body (absolute, or relative to the base URL).
    pub const fn next_url(next: &'static str) -> Self {
        let mut p = Self::new(PageStyle::NextUrl);
        p.source = next;
        p
    }
    /// The `rel="next"` URL of the `Link` response header.
    pub const fn link_header() -> Self {
        Self::new(PageStyle::LinkHeader)
    }
    /// An offset in the query parameter `param`, advanced by the number of items received; an
    /// empty page ends the stream.
    pub const fn offset(param: &'static str) -> Self {
        let mut p = Self::new(PageStyle::Offset);
        p.param = param;
        p
    }
    /// A page number in the query parameter `param` (first page: 1, see
    /// [`Pagination::start`]); an empty page ends the stream.
    pub const fn page_number(param: &'static str) -> Self {
        let mut p = Self::new(PageStyle::PageNumber);
        p.param = param;
        p
    }
    /// Where the items are in the body (default `""`: the body is the array).
    pub const fn items(mut self, pointer: &'static str) -> Self {
        self.items = pointer;
        self
    }
    /// Where a "there is more" boolean is in the body; `false` ends the stream.
    pub const fn has_more(mut self, pointer: &'static str) -> Self {
        self.has_more = pointer;
        self
    }
    /// The page-size query parameter: a page shorter than the size asked for is the last.
    pub const fn limit_param(mut self, param: &'static str) -> Self {
        self.limit_param = param;
        self
    }
    /// The first page number (`page_number`; default 1).
    pub const fn start(mut self, first: u64) -> Self {
        self.start = first;
        self
    }
    /// The style.
    pub const fn style(&self) -> PageStyle {
        self.style
    }
}

/// What comes next.
#[derive(Debug)]
enum Next {
    First,
    Query(String),
    Url(reqwest::Url),
    Done,
}

/// The non-generic state of a pagination: the request, where it is, what it has seen.
struct Pager {
    client: Client,
    req: Request,
    pagination: Option<Pagination>,
    next: Next,
    seen: HashSet<String>,
    pages: u64,
    max_pages: Option<u64>,
    /// The next offset or page number.
    counter: u64,
    /// The page size the request asks for (its `limit_param` value), if any.
    limit: Option<u64>,
}

/// What a page gave: its response (for `pages`) and its items (for `items`).
struct Fetched {
    response: Response,
    items: Vec<Value>,
}

impl Pager {
    fn new(client: Client, req: Request) -> Self {
        let pagination = req.spec.pagination;
        let query_u64 = |name: &str| {
            (!name.is_empty())
                .then(|| req.query.iter().find(|(k, _, _)| k == name))
                .flatten()
                .and_then(|(_, v, _)| v.parse::<u64>().ok())
        };
        let (counter, limit) = match pagination {
            Some(p) => {
                let first = match p.style {
                    PageStyle::PageNumber => query_u64(p.param).unwrap_or(p.start),
                    _ => query_u64(p.param).unwrap_or(0),
                };
                (first, query_u64(p.limit_param))
            }
            None => (0, None),
        };
        Pager {
            client,
            req,
            pagination,
            next: Next::First,
            seen: HashSet::new(),
            pages: 0,
            max_pages: None,
            counter,
            limit,
        }
    }

    fn done(&self) -> bool {
        matches!(self.next, Next::Done)
    }

    /// The request for the next page.
    fn request(&mut self) -> Result<Request, RequestError> {
        if let Some(e) = self.req.error.take() {
            return Err(*e);
        }
        let mut req = self.req.for_page();
        match (&self.next, self.pagination) {
            (Next::Query(v), Some(p)) => {
                req.query.retain(|(k, _, _)| k != p.param);
                req.query.push((p.param.to_owned(), v.clone(), false));
            }
            (Next::Url(u), _) => req.next_url = Some(Box::new(u.clone())),
            _ => {}
        }
        Ok(req)
    }

    /// Fetches the next page (not generic: compiled once for every paginated operation); a
    /// failure ends the pagination. The pager is moved into the boxed future and given back.
    fn fetch(mut self: Box<Self>) -> PageFuture {
        Box::pin(async move {
            let result = self.fetch_inner().await;
            if result.is_err() {
                self.next = Next::Done;
            }
            (self, result)
        })
    }

    async fn fetch_inner(&mut self) -> Result<Fetched, Rejected> {
        let req = self.request().map_err(|e| Rejected::Failure(e.into()))?;
        let response = self.client.execute_raw(req).await?;
        let items = self.advance(&response).map_err(Rejected::Decode)?;
        Ok(Fetched { response, items })
    }

    /// Reads a page: its items, then where the next one is (or that there is none).
    fn advance(&mut self, resp: &Response) -> Result<Vec<Value>, DecodeError> {
        self.pages += 1;
        let Some(p) = self.pagination else {
            self.next = Next::Done;
            return Ok(Vec::new());
        };
        let body: Value = if resp.body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&resp.body).map_err(|e| {
                DecodeError::with_source("the page is not JSON", e)
                    .at_response(resp.status, &resp.body)
            })?
        };
        let items = match body.pointer(p.items) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(_) => {
                return Err(DecodeError::new(format!(
                    "pagination: the items at `{}` are not an array",
                    p.items
                ))
                .at_response(resp.status, &resp.body))
            }
        };
        let more =
            p.has_more.is_empty() || !matches!(body.pointer(p.has_more), Some(Value::Bool(false)));
        let short = self.limit.is_some_and(|l| (items.len() as u64) < l);
        let next = match p.style {
            _ if !more => Next::Done,
            PageStyle::Cursor => match scalar(body.pointer(p.source)) {
                Some(c) => Next::Query(c),
                None => Next::Done,
            },
            PageStyle::LastItemId => match items.last().and_then(|i| scalar(i.pointer(p.source))) {
                Some(id) => Next::Query(id),
                None => Next::Done,
            },
            PageStyle::NextUrl => match scalar(body.pointer(p.source)) {
                Some(u) => Next::Url(self.same_origin(&u)?),
                None => Next::Done,
            },
            PageStyle::LinkHeader => match resp.header("link").and_then(next_link) {
                Some(u) => Next::Url(self.same_origin(&u)?),
                None => Next::Done,
            },
            PageStyle::Offset | PageStyle::PageNumber if items.is_empty() || short => Next::Done,
            PageStyle::Offset => {
                self.counter = self.counter.saturating_add(items.len() as u64);
                Next::Query(self.counter.to_string())
            }
            PageStyle::PageNumber => {
                self.counter = self.counter.saturating_add(1);
                Next::Query(self.counter.to_string())
            }
        };
        let key = match &next {
            Next::Query(c) => Some(c.clone()),
            Next::Url(u) => Some(u.to_string()),
            _ => None,
        };
        self.next = next;
        if let Some(key) = key {
            if !self.seen.insert(key.clone()) {
                self.next = Next::Done;
                return Err(DecodeError::new(format!(
                    "pagination of `{}`: the server sent the next page `{}` twice; stopped \
                     (it would loop)",
                    self.req.spec.name,
                    crate::error::snippet(key.as_bytes(), 200)
                )));
            }
            match self.max_pages {
                Some(max) if self.pages >= max => self.next = Next::Done,
                None if self.pages >= DEFAULT_MAX_PAGES => {
                    self.next = Next::Done;
                    return Err(DecodeError::new(format!(
                        "pagination of `{}`: more than {DEFAULT_MAX_PAGES} pages; stopped \
                         (set Paged::max_pages to read more)",
                        self.req.spec.name
                    )));
                }
                _ => {}
            }
        }
        Ok(items)
    }

    /// `url` resolved against the base URL, refused unless it is on the base URL's origin (the
    /// request carries credentials).
    fn same_origin(&self, url: &str) -> Result<reqwest::Url, DecodeError> {
        let base = reqwest::Url::parse(self.client.base_url())
            .map_err(|e| DecodeError::with_source("pagination: invalid base URL", e))?;
        let next = base.join(url.trim()).map_err(|e| {
            DecodeError::with_source(
                format!(
                    "pagination: the next page URL `{}` is not a URL",
                    crate::error::snippet(url.as_bytes(), 200)
                ),
                e,
            )
        })?;
        if next.origin() != base.origin() {
            return Err(DecodeError::new(format!(
                "pagination: the next page URL `{}` is not on the base URL's origin; refused (the \
                 request would carry credentials there)",
                crate::error::snippet(url.as_bytes(), 200)
            )));
        }
        Ok(next)
    }
}

/// A cursor or id: a non-empty string, or a number.
fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `rel="next"` target of a `Link` header value (RFC 8288), if any.
pub(crate) fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let after = &rest[end + 1..];
        // The parameters run to the next link (a `<` after a comma) or the end.
        let params_end = after
            .find(',')
            .and_then(|c| after[c..].find('<').map(|l| c + l));
        let params = after[..params_end.unwrap_or(after.len())]
            .trim_end()
            .trim_end_matches(',');
        let is_next = params.split(';').any(|p| {
            let Some((k, v)) = p.split_once('=') else {
                return false;
            };
            k.trim().eq_ignore_ascii_case("rel")
                && v.trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.to_owned());
        }
        rest = &after[params_end?..];
    }
}

/// A page being fetched: the pager comes back with the page or why there is none.
type PageFuture = Pin<Box<dyn Future<Output = (Box<Pager>, Result<Fetched, Rejected>)> + Send>>;

/// Where a [`Paged`] stream is.
enum State {
    /// Between pages (or before the first one).
    Idle(Box<Pager>),
    /// A page is being fetched.
    Fetching(PageFuture),
    /// Ended: nothing more is yielded.
    Ended,
}

/// The items (or pages) of a paginated operation, fetched page after page as the stream is
/// polled: `.items()` and `.pages()` of a generated request builder. Each item is yielded once;
/// the first error (a failed page, a page that is not what the document says) is the stream's
/// last item, except an item that does not decode, which is an error item in its place.
///
/// Pages are fetched with everything [`Client`] does for one call (auth, retries, body limit).
/// A server that sends the same cursor or next URL twice ends the stream with an error, as does
/// reaching [`DEFAULT_MAX_PAGES`] without [`Paged::max_pages`].
///
/// ```no_run
/// # use sdkwright_runtime::__private as rt;
/// use futures_util::TryStreamExt;
/// # static LIST: rt::OperationSpec = rt::get("list", "/things").response(rt::ResponseFormat::Json)
/// #     .paginate(rt::Pagination::cursor("cursor", "/next_cursor").items("/data"));
/// # async fn run(client: rt::Client) -> Result<(), rt::Error<rt::ErrorMetadata>> {
/// let mut items = rt::Paged::<serde_json::Value, rt::ErrorMetadata>::items(client, rt::Request::new(&LIST))
///     .max_pages(5);
/// while let Some(item) = items.try_next().await? {
///     println!("{item}");
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Paged<T, E> {
    state: State,
    pages_mode: bool,
    /// Polled at least once (then `max_pages` has no effect).
    started: bool,
    /// The items of the pages fetched, not yielded yet (`items` mode).
    buffered: VecDeque<Value>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> fmt::Debug for Paged<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged")
            .field("pages_mode", &self.pages_mode)
            .field("started", &self.started)
            .finish_non_exhaustive()
    }
}

impl<T, E> Paged<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: FromErrorResponse + Send + 'static,
{
    /// The items of every page of `req` (its operation's `Pagination` says where they are).
    #[doc(hidden)]
    pub fn items(client: Client, req: Request) -> Self {
        Self::start(client, req, false)
    }

    /// Every page of `req`, each decoded whole as `T`.
    #[doc(hidden)]
    pub fn pages(client: Client, req: Request) -> Self {
        Self::start(client, req, true)
    }

    fn start(client: Client, req: Request, pages_mode: bool) -> Self {
        Paged {
            state: State::Idle(Box::new(Pager::new(client, req))),
            pages_mode,
            started: false,
            buffered: VecDeque::new(),
            _types: PhantomData,
        }
    }

    /// Fetches at most `n` pages, then ends without error (instead of the
    /// [`DEFAULT_MAX_PAGES`] guard). Has no effect once the stream was polled.
    pub fn max_pages(mut self, n: u64) -> Self {
        if let (false, State::Idle(p)) = (self.started, &mut self.state) {
            p.max_pages = Some(n.max(1));
        }
        self
    }
}

impl<T, E> Stream for Paged<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: FromErrorResponse + Send + 'static,
{
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.started = true;
        loop {
            if let Some(v) = this.buffered.pop_front() {
                return Poll::Ready(Some(item(&v).map_err(Error::Decode)));
            }
            match poll_page(&mut this.state, cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(rejected))) => {
                    return Poll::Ready(Some(Err(rejected.into_error())))
                }
                Poll::Ready(Some(Ok(f))) if this.pages_mode => {
                    return Poll::Ready(Some(f.response.decode_in::<T, E, JsonOnly>()))
                }
                Poll::Ready(Some(Ok(f))) => this.buffered.extend(f.items),
            }
        }
    }
}

/// The next page of a pagination in `state` (not generic): `None` once it is done.
fn poll_page(state: &mut State, cx: &mut Context<'_>) -> Poll<Option<Result<Fetched, Rejected>>> {
    loop {
        match std::mem::replace(state, State::Ended) {
            State::Idle(pager) if pager.done() => return Poll::Ready(None),
            State::Idle(pager) => *state = State::Fetching(pager.fetch()),
            State::Fetching(mut page) => {
                return match page.as_mut().poll(cx) {
                    Poll::Pending => {
                        *state = State::Fetching(page);
                        Poll::Pending
                    }
                    Poll::Ready((pager, result)) => {
                        *state = State::Idle(pager);
                        Poll::Ready(Some(result))
                    }
                }
            }
            State::Ended => return Poll::Ready(None),
        }
    }
}

/// A page's item read as `T`.
fn item<T: DeserializeOwned>(v: &Value) -> Result<T, DecodeError> {
    crate::response::value_as(v).map_err(item_mismatch)
}

/// An item that did not read (not generic: compiled once).
fn item_mismatch(e: serde_json::Error) -> DecodeError {
    DecodeError::with_source("a page's item does not match the declared type", e)
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn link_header_next() {
        let h = r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/x?page=3")
        );
        assert_eq!(next_link(r#"<a>; rel="first last""#), None);
        assert_eq!(next_link("<b>; rel=next").as_deref(), Some("b"));
        assert_eq!(next_link("<b>; title=\"a, <c>\"; rel=prev"), None);
        assert_eq!(next_link("garbage <"), None);
        assert_eq!(next_link(""), None);
    }
}
