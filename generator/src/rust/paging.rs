//! The pagination and streaming parts of an operation: `.paginate(…)` in its `OperationSpec`,
//! and the builder methods `items()`/`pages()` (paginated operations), `stream()` (binary
//! downloads) and `events()` (`text/event-stream`), each a call into the runtime.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::naming::ident;
use super::{Ctx, Scope};
use crate::ir::{self, PageStyle};

/// A JSON pointer from property names (`["meta", "next"]` → `/meta/next`).
fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `.paginate(rt::Pagination::…)` for the spec of operation `idx`, if it pages.
pub(super) fn spec_call(ctx: &Ctx<'_>, idx: usize) -> Option<TokenStream> {
    let p = ctx.api.paging.get(&idx)?;
    let param = Literal::string(&p.param);
    let source = Literal::string(&pointer(&p.source));
    let mut call = match p.style {
        PageStyle::Cursor => quote!(rt::Pagination::cursor(#param, #source)),
        PageStyle::LastItemId => quote!(rt::Pagination::last_item_id(#param, #source)),
        PageStyle::NextUrl => quote!(rt::Pagination::next_url(#source)),
        PageStyle::LinkHeader => quote!(rt::Pagination::link_header()),
        PageStyle::Offset => quote!(rt::Pagination::offset(#param)),
        PageStyle::PageNumber => quote!(rt::Pagination::page_number(#param)),
    };
    if !p.items.is_empty() {
        let items = Literal::string(&pointer(&p.items));
        call.extend(quote!(.items(#items)));
    }
    // `last_item_id` sets `/has_more` itself.
    if let Some(h) = p
        .has_more
        .as_ref()
        .filter(|h| !(p.style == PageStyle::LastItemId && h[..] == ["has_more"]))
    {
        let h = Literal::string(&pointer(h));
        call.extend(quote!(.has_more(#h)));
    }
    if let Some(l) = &p.limit {
        let l = Literal::string(l);
        call.extend(quote!(.limit_param(#l)));
    }
    Some(quote!(.paginate(#call)))
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
fn free(name: &str, taken: &HashSet<String>) -> proc_macro2::Ident {
    if taken.contains(name) {
        ident(&format!("send_{name}"))
    } else {
        ident(name)
    }
}

/// The builder methods of operation `idx` beyond `send()`: `items()`/`pages()`, `stream()`,
/// `events()`, each a call of the `rt::Prepared` the builder's `rt_request()` makes. Empty
/// when the operation neither pages nor streams.
pub(super) fn methods(
    ctx: &Ctx<'_>,
    idx: usize,
    taken: &HashSet<String>,
    ok_ty: &TokenStream,
    error: &TokenStream,
) -> TokenStream {
    let mut out = Vec::new();
    if let Some(p) = ctx.api.paging.get(&idx) {
        let op = &ctx.api.operations[idx];
        let item = crate::paging::json_response(op)
            .and_then(|ty| crate::paging::items_type(ctx.api, ty, &p.items))
            .map_or_else(
                || quote!(rt::serde_json::Value),
                |t| ctx.ty(t, Scope::Sibling),
            );
        let items = free("items", taken);
        let pages = free("pages", taken);
        // A page is decoded as the JSON success type (not as an enum of several successes).
        let page = crate::paging::json_response(op)
            .map_or_else(|| ok_ty.clone(), |t| ctx.ty(t, Scope::Sibling));
        out.push(quote! {
            /// Every item of every page, fetched page after page as the stream is polled (see
            /// `sdkwright_runtime::Paged`; `.max_pages(n)` bounds it).
            pub fn #items(self) -> rt::Paged<#item, #error> {
                self.rt_request().items()
            }

            /// Every page, each decoded whole, fetched as the stream is polled.
            pub fn #pages(self) -> rt::Paged<#page, #error> {
                self.rt_request().pages()
            }
        });
    }
    match streaming(ctx, idx) {
        Streaming::None => {}
        Streaming::Bytes => {
            let stream = free("stream", taken);
            out.push(quote! {
                /// Sends the request and returns the body as a stream of chunks, never held whole
                /// (`max_body_size` does not apply; retries stop once the headers arrive).
                pub fn #stream(self) -> impl ::std::future::Future<Output = Result<rt::ByteStream, rt::Error<#error>>> + Send {
                    self.rt_request().stream()
                }
            });
        }
        Streaming::Events(ty) => {
            let ty = ty.map_or_else(
                || quote!(rt::serde_json::Value),
                |t| ctx.ty(t, Scope::Sibling),
            );
            let events = free("events", taken);
            out.push(quote! {
                /// Sends the request and returns the server-sent events as a stream, each
                /// event's `data` decoded.
                pub fn #events(self) -> impl ::std::future::Future<Output = Result<rt::EventStream<#ty, #error>, rt::Error<#error>>> + Send {
                    self.rt_request().events()
                }
            });
        }
    }
    quote!(#(#out)*)
}
