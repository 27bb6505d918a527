//! The docs of a type the document names but does not describe: where it is defined and what
//! uses it (as progenitor documents a method by its HTTP method and path), instead of a filler
//! such as "Object `X` of the … API.".
//!
//! Read from the IR alone, so every format gets the same: the definition's place in its document
//! (the JSON pointer or XSD path after the `#` of [`ir::TypeDef::origin`]; the file is left out,
//! its path depends on the machine), then the first few uses in document order: operations
//! (request body, parameter, response or error body with its status, typed response or SOAP
//! header), then other types (a struct field, the additional properties, a union alternative, an
//! alias), then webhooks.

use crate::ir::{self, TypeRef};

use super::docs::code_span as code;
use super::Ctx;

/// Most uses named in one type's docs; the rest are counted.
const MAX_USES: usize = 3;

/// One place a type is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Use {
    /// The request body (or one of its alternatives) of an operation.
    Body(usize),
    /// Parameter `p` of operation `op`.
    Param(usize, usize),
    /// Response `r` of operation `op`.
    Response(usize, usize),
    /// Typed response header `h` of operation `op`.
    Header(usize, usize),
    /// A SOAP header of operation `op`'s request or response.
    SoapHeader(usize),
    /// Field `k` of struct `t`.
    Field(usize, usize),
    /// The additional properties of struct `t`.
    Extra(usize),
    /// An alternative of union `t`.
    Variant(usize),
    /// Alias `t`.
    Alias(usize),
    /// The payload of webhook `w`.
    Webhook(usize),
}

/// Per type, the doc text that replaces a filler doc: `Some` for every type the document names
/// ([`ir::Name::Given`]) without a description, `None` for the others.
pub(super) fn notes(ctx: &Ctx<'_>) -> Vec<Option<String>> {
    let api = ctx.api;
    let need: Vec<bool> = api
        .types
        .iter()
        .map(|d| {
            matches!(d.name, ir::Name::Given(_))
                && d.docs.as_deref().is_none_or(|t| t.trim().is_empty())
        })
        .collect();
    if !need.contains(&true) {
        return vec![None; api.types.len()];
    }
    let mut uses: Vec<(Vec<Use>, usize)> = vec![(Vec::new(), 0); api.types.len()];
    // Each use once (a body offered in several media types is one use).
    let mut seen: std::collections::HashSet<(usize, Use)> = std::collections::HashSet::new();
    let mut add = |t: &TypeRef, u: Use| {
        let mut ids = ir::prune::named_in(t);
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if !need.get(id).copied().unwrap_or(false) || !seen.insert((id, u)) {
                continue;
            }
            let (list, count) = &mut uses[id];
            *count += 1;
            if list.len() < MAX_USES {
                list.push(u);
            }
        }
    };
    for (o, op) in api.operations.iter().enumerate() {
        let bodies = op
            .body
            .iter()
            .chain(api.body_alternatives.get(&o).into_iter().flatten());
        for b in bodies {
            add(&b.ty, Use::Body(o));
            for h in soap_headers(&b.encoding) {
                add(h, Use::SoapHeader(o));
            }
        }
        for (p, param) in op.params.iter().enumerate() {
            add(&param.ty, Use::Param(o, p));
        }
        // By status (codes, then ranges, then `default`), not in the document's order, which
        // an in-memory document (`Generator::from_openapi`) does not keep for `default`.
        let mut by_status: Vec<(usize, &ir::Response)> = op.responses.iter().enumerate().collect();
        by_status.sort_by_key(|(_, r)| match r.status {
            ir::StatusMatch::Code(c) => (0, c),
            ir::StatusMatch::Range(c) => (1, u16::from(c)),
            ir::StatusMatch::Default => (2, 0),
        });
        for (r, resp) in by_status {
            if let Some(ty) = &resp.ty {
                add(ty, Use::Response(o, r));
            }
            for h in soap_headers(&resp.encoding) {
                add(h, Use::SoapHeader(o));
            }
        }
        for (h, header) in api
            .response_headers
            .get(&o)
            .into_iter()
            .flatten()
            .enumerate()
        {
            add(&header.ty, Use::Header(o, h));
        }
    }
    for (t, def) in api.types.iter().enumerate() {
        match &def.kind {
            ir::TypeKind::Struct(s) => {
                for (k, f) in s.fields.iter().enumerate() {
                    add(&f.ty, Use::Field(t, k));
                }
                if let Some(extra) = &s.additional {
                    add(extra, Use::Extra(t));
                }
            }
            ir::TypeKind::Union(u) => {
                for v in &u.variants {
                    add(&v.ty, Use::Variant(t));
                }
            }
            ir::TypeKind::Alias(ty) => add(ty, Use::Alias(t)),
            ir::TypeKind::Enum(_) => {}
        }
    }
    for (w, hook) in api.webhooks.iter().enumerate() {
        add(&hook.payload, Use::Webhook(w));
    }
    api.types
        .iter()
        .zip(need)
        .zip(uses)
        .map(|((def, need), (list, count))| need.then(|| note(ctx, def, &list, count)))
        .collect()
}

/// The types of the SOAP headers of a body encoding (none for other encodings).
fn soap_headers(e: &ir::BodyEncoding) -> Vec<&TypeRef> {
    match e {
        ir::BodyEncoding::Soap { headers, .. } => headers.iter().map(|h| &h.ty).collect(),
        _ => Vec::new(),
    }
}

/// The docs of `def`: where it is defined and its first `uses` of `count`.
fn note(ctx: &Ctx<'_>, def: &ir::TypeDef, uses: &[Use], count: usize) -> String {
    let place = match def.origin.split_once('#') {
        Some((_, pointer)) if !pointer.is_empty() => format!("#{pointer}"),
        _ => def.name.display(),
    };
    let mut text = format!("Defined at {}", code(&place));
    if uses.is_empty() {
        text.push_str(" (no generated operation or type refers to it).");
        return text;
    }
    text.push_str(". Used as ");
    let parts: Vec<String> = uses.iter().map(|u| use_text(ctx, *u)).collect();
    text.push_str(&parts.join("; "));
    match count - uses.len() {
        0 => text.push('.'),
        1 => text.push_str("; and in 1 more place."),
        n => text.push_str(&format!("; and in {n} more places.")),
    }
    text
}

/// One use, in words: "the response of `Client::get_pet` (`GET /pets/{id}`, status 200)".
fn use_text(ctx: &Ctx<'_>, u: Use) -> String {
    let api = ctx.api;
    let ty = |t: usize| code(ctx.names.types[t].trim_start_matches("r#"));
    match u {
        Use::Body(o) => format!("the request body of {}", op_ref(ctx, o, None)),
        Use::Param(o, p) => format!(
            "parameter {} of {}",
            code(&api.operations[o].params[p].name),
            op_ref(ctx, o, None)
        ),
        Use::Response(o, r) => {
            let resp = &api.operations[o].responses[r];
            let what = if resp.is_success() {
                "the response"
            } else {
                "the error body"
            };
            let status = match resp.status {
                ir::StatusMatch::Code(c) => format!("status {c}"),
                ir::StatusMatch::Range(c) => format!("status {c}XX"),
                ir::StatusMatch::Default => "any other status".to_owned(),
            };
            format!("{what} of {}", op_ref(ctx, o, Some(&status)))
        }
        Use::Header(o, h) => {
            let name = api.response_headers.get(&o).and_then(|hs| hs.get(h));
            format!(
                "response header {} of {}",
                code(name.map_or("", |h| h.name.as_str())),
                op_ref(ctx, o, None)
            )
        }
        Use::SoapHeader(o) => format!("a SOAP header of {}", op_ref(ctx, o, None)),
        Use::Field(t, k) => {
            let field = ctx.names.fields[t].get(k).map_or("", String::as_str);
            format!(
                "field {} of {}",
                code(field.trim_start_matches("r#")),
                ty(t)
            )
        }
        Use::Extra(t) => format!("the undeclared properties of {}", ty(t)),
        Use::Variant(t) => format!("an alternative of {}", ty(t)),
        Use::Alias(t) => format!("part of the alias {}", ty(t)),
        Use::Webhook(w) => format!("the payload of webhook {}", code(&api.webhooks[w].name)),
    }
}

/// `Client::method` of operation `o`, with its method and path (and `extra`, a status) in
/// parentheses where it has a route ([`super::operations::route`]). Plain code, not a link: under `--tag-features` the method may be compiled out
/// where the type is not.
fn op_ref(ctx: &Ctx<'_>, o: usize, extra: Option<&str>) -> String {
    let method = &ctx.names.ops[o].method;
    let mut text = code(&format!("Client::{}", method.trim_start_matches("r#")));
    // No route (SOAP, GraphQL): one endpoint, and the status says nothing either.
    let route = super::operations::route(&ctx.api.operations[o]);
    let extra = extra.filter(|_| route.is_some());
    let inside: Vec<&str> = route.as_deref().into_iter().chain(extra).collect();
    if !inside.is_empty() {
        text.push_str(&format!(" ({})", inside.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn code_spans_fence_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code(""), "`  `");
        assert_eq!(code("a\n```\nb"), "````a ``` b````");
    }
}
