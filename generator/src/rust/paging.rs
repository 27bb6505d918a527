//! The pagination and streaming parts of an operation: `.paginate(…)` in its `OperationSpec`,
//! and the builder methods `items()`/`pages()` (paginated operations), `stream()` (binary
//! downloads) and `events()` (`text/event-stream`), each a call into the runtime.

use std::collections::HashSet;

use super::toks::{toks, toks_into, Id, Put, Str, Toks};
use super::{Ctx, Scope};
use crate::ir::{self, PageStyle};

/// A JSON pointer from property names (`["meta", "next"]` → `/meta/next`).
fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `.paginate(rt::Pagination::…)` for the spec of operation `idx`, if it pages, written into
/// `out`.
pub(super) fn spec_call(ctx: &Ctx<'_>, idx: usize, out: &mut Toks) {
    let Some(p) = ctx.api.paging.get(&idx) else {
        return;
    };
    let call = Put(|out: &mut Toks| {
        let param = Str(&p.param);
        let source = pointer(&p.source);
        let source = Str(&source);
        match p.style {
            PageStyle::Cursor => toks_into!(out; rt::Pagination::cursor(#param, #source)),
            PageStyle::LastItemId => {
                toks_into!(out; rt::Pagination::last_item_id(#param, #source))
            }
            PageStyle::NextUrl => toks_into!(out; rt::Pagination::next_url(#source)),
            PageStyle::LinkHeader => toks_into!(out; rt::Pagination::link_header()),
            PageStyle::Offset => toks_into!(out; rt::Pagination::offset(#param)),
            PageStyle::PageNumber => toks_into!(out; rt::Pagination::page_number(#param)),
        }
        if !p.items.is_empty() {
            let items = pointer(&p.items);
            let items = Str(&items);
            toks_into!(out; .items(#items));
        }
        // `last_item_id` sets `/has_more` itself.
        if let Some(h) = p
            .has_more
            .as_ref()
            .filter(|h| !(p.style == PageStyle::LastItemId && h[..] == ["has_more"]))
        {
            let h = pointer(h);
            let h = Str(&h);
            toks_into!(out; .has_more(#h));
        }
        if let Some(l) = &p.limit {
            let l = Str(l);
            toks_into!(out; .limit_param(#l));
        }
    });
    toks_into!(out; .paginate(#call));
}

/// What kind of streaming response the operation has.
enum Streaming<'a> {
    None,
    Bytes,
    Events(Option<&'a ir::TypeRef>),
}

fn streaming<'a>(ctx: &Ctx<'a>, idx: usize) -> Streaming<'a> {
    let op = &ctx.api.operations[idx];
    let Some(resp) = op
        .responses
        .iter()
        .filter(|r| r.is_success())
        .find(|r| r.ty.is_some())
    else {
        return Streaming::None;
    };
    match &resp.encoding {
        ir::BodyEncoding::Text { media_type }
            if ir::media_essence(media_type) == "text/event-stream" =>
        {
            Streaming::Events(ctx.api.events.get(&idx))
        }
        ir::BodyEncoding::Binary { .. } => Streaming::Bytes,
        _ if matches!(resp.ty, Some(ir::TypeRef::Primitive(ir::Primitive::Binary))) => {
            Streaming::Bytes
        }
        _ => Streaming::None,
    }
}

/// A method name not taken by a setter: `name`, else `send_name`.
fn free(name: &'static str, taken: &HashSet<String>) -> std::borrow::Cow<'static, str> {
    if taken.contains(name) {
        format!("send_{name}").into()
    } else {
        name.into()
    }
}

/// The builder methods of operation `idx` beyond `send()`: `items()`/`pages()`, `stream()`,
/// `events()`, each a call of the `rt::Prepared` the builder's `rt_request()` makes, written
/// into `out`. Nothing when the operation neither pages nor streams.
pub(super) fn methods(
    ctx: &Ctx<'_>,
    idx: usize,
    taken: &HashSet<String>,
    ok_ty: &Toks,
    error: &Toks,
    out: &mut Toks,
) {
    let value = || toks!(rt::serde_json::Value);
    if let Some(p) = ctx.api.paging.get(&idx) {
        let op = &ctx.api.operations[idx];
        let item = match crate::paging::json_response(op)
            .and_then(|ty| crate::paging::items_type(ctx.api, ty, &p.items))
        {
            Some(t) => {
                let t = ctx.ty_of(t, Scope::Sibling);
                toks!(#t)
            }
            None => value(),
        };
        let items = free("items", taken);
        let items = Id(&items);
        let pages = free("pages", taken);
        let pages = Id(&pages);
        // A page is decoded as the JSON success type (not as an enum of several successes).
        let page_ty = crate::paging::json_response(op).map(|t| ctx.ty_of(t, Scope::Sibling));
        let page = Put(|out: &mut Toks| match &page_ty {
            Some(t) => toks_into!(out; #t),
            None => toks_into!(out; #ok_ty),
        });
        toks_into! { out;
            /// Every item of every page, fetched page after page as the stream is polled (see
            /// `sdkwright_runtime::Paged`; `.max_pages(n)` bounds it).
            pub fn #items(self) -> rt::Paged<#item, #error> {
                self.rt_request().items()
            }

            /// Every page, each decoded whole, fetched as the stream is polled.
            pub fn #pages(self) -> rt::Paged<#page, #error> {
                self.rt_request().pages()
            }
        }
    }
    match streaming(ctx, idx) {
        Streaming::None => {}
        Streaming::Bytes => {
            let stream = free("stream", taken);
            let stream = Id(&stream);
            toks_into! { out;
                /// Sends the request and returns the body as a stream of chunks, never held whole
                /// (`max_body_size` does not apply; retries stop once the headers arrive).
                pub fn #stream(self) -> impl ::std::future::Future<Output = Result<rt::ByteStream, rt::Error<#error>>> + Send {
                    self.rt_request().stream()
                }
            }
        }
        Streaming::Events(ty) => {
            let ty = match ty {
                Some(t) => {
                    let t = ctx.ty_of(t, Scope::Sibling);
                    toks!(#t)
                }
                None => value(),
            };
            let events = free("events", taken);
            let events = Id(&events);
            toks_into! { out;
                /// Sends the request and returns the server-sent events as a stream, each
                /// event's `data` decoded.
                pub fn #events(self) -> impl ::std::future::Future<Output = Result<rt::EventStream<#ty, #error>, rt::Error<#error>>> + Send {
                    self.rt_request().events()
                }
            }
        }
    }
}
