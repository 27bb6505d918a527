//! `operations.rs` of a generated crate: per operation a request builder, its `static`
//! `OperationSpec` (with its error status table) and, when it declares several error body
//! types, the enum of them.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, doc_toks};
use super::naming::{self, ident, Candidate};
use super::tokens::{join, str_lit, Moved};
use super::toks::{toks, Id, Str, Toks};
use super::{Ctx, Scope};
use crate::ir;

/// Generates every operation, in document order.
pub(super) fn items(ctx: Ctx<'_>) -> impl Iterator<Item = Toks> + '_ {
    let all = 0..count(ctx);
    head(ctx)
        .into_iter()
        .map(Toks::from)
        .chain(items_in(ctx, all))
}

/// What comes before the operations: the runtime's hidden module, once, when there is anything
/// that uses it.
pub(super) fn head(ctx: Ctx<'_>) -> Option<TokenStream> {
    (!ctx.api.operations.is_empty()).then(|| {
        let rt = super::runtime_import();
        let types = super::types_import();
        // With every feature off, nothing here uses the runtime.
        let allow = ctx
            .features
            .is_some()
            .then(|| quote!(#[allow(unused_imports)]));
        quote!(#allow #rt #types)
    })
}

/// How many items [`items_in`] has in all: one per operation, then one `impl rt::XmlShape` per
/// struct of an XML body.
pub(super) fn count(ctx: Ctx<'_>) -> usize {
    ctx.api.operations.len() + xml_structs(&ctx).len()
}

/// The items whose index is in `range` (a part of [`items`], for printing parts in parallel):
/// operations first, then the XML shapes.
pub(super) fn items_in(
    ctx: Ctx<'_>,
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = Toks> + '_ {
    let n = ctx.api.operations.len();
    let ops = range.start.min(n)..range.end.min(n);
    let shapes: Vec<ir::TypeId> = if range.end > n {
        let from = range.start.max(n) - n;
        xml_structs(&ctx)
            .into_iter()
            .skip(from)
            .take(range.end - n - from)
            .collect()
    } else {
        Vec::new()
    };
    ops.map(move |i| operation(&ctx, i)).chain(
        shapes
            .into_iter()
            .map(move |id| Toks::from(xml_shape(ctx, id))),
    )
}

/// The types of XML bodies, in type order (every struct reachable from one).
fn xml_structs(ctx: &Ctx<'_>) -> Vec<ir::TypeId> {
    let mut queue: std::collections::VecDeque<&ir::TypeRef> = std::collections::VecDeque::new();
    for op in &ctx.api.operations {
        let bodies = op
            .body
            .iter()
            .map(|b| (&b.encoding, Some(&b.ty)))
            .chain(op.responses.iter().map(|r| (&r.encoding, r.ty.as_ref())));
        for (enc, ty) in bodies {
            if let (ir::BodyEncoding::Xml { .. }, Some(ty)) = (enc, ty) {
                queue.push_back(ty);
            }
        }
    }
    // Request bodies and responses the caller may choose or negotiate in XML.
    for a in ctx.api.body_alternatives.values().flatten() {
        if matches!(a.encoding, ir::BodyEncoding::Xml { .. }) {
            queue.push_back(&a.ty);
        }
    }
    for (i, encs) in &ctx.api.response_alternatives {
        if !encs
            .iter()
            .any(|e| matches!(e, ir::BodyEncoding::Xml { .. }))
        {
            continue;
        }
        if let Some(op) = ctx.api.operations.get(*i) {
            queue.extend(
                op.responses
                    .iter()
                    .filter(|r| r.is_success())
                    .find_map(|r| r.ty.as_ref()),
            );
        }
    }
    for ((i, status), encs) in &ctx.api.error_alternatives {
        if encs
            .iter()
            .any(|e| matches!(e, ir::BodyEncoding::Xml { .. }))
        {
            if let Some(op) = ctx.api.operations.get(*i) {
                queue.extend(
                    op.responses
                        .iter()
                        .filter(|r| r.status == *status)
                        .find_map(|r| r.ty.as_ref()),
                );
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut structs = std::collections::BTreeSet::new();
    while let Some(ty) = queue.pop_front() {
        match ty {
            ir::TypeRef::List(inner) | ir::TypeRef::Nullable(inner) => queue.push_back(inner),
            ir::TypeRef::Named(id) if seen.insert(*id) => match &ctx.api.ty(*id).kind {
                ir::TypeKind::Struct(s) => {
                    structs.insert(*id);
                    queue.extend(s.fields.iter().map(|f| &f.ty));
                }
                ir::TypeKind::Alias(t) => queue.push_back(t),
                _ => {}
            },
            _ => {}
        }
    }
    structs.into_iter().collect()
}

/// The `rt::XmlKind` of a value of type `ty` (for a list: of its items), and whether it is a
/// list.
fn xml_kind(ctx: &Ctx<'_>, ty: &ir::TypeRef) -> (TokenStream, bool) {
    let mut t = ty;
    let mut list = false;
    // Aliases are followed a bounded number of steps (alias cycles were broken by lowering).
    for _ in 0..=ctx.api.types.len() {
        match t {
            ir::TypeRef::Nullable(inner) => t = inner,
            ir::TypeRef::List(inner) if !list => {
                list = true;
                t = inner;
            }
            ir::TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
                ir::TypeKind::Alias(inner) => t = inner,
                _ => break,
            },
            _ => break,
        }
    }
    let k = quote!(rt::XmlKind);
    let kind = match t {
        ir::TypeRef::Primitive(p) => match p {
            ir::Primitive::Bool => quote!(#k::Boolean),
            ir::Primitive::I32 | ir::Primitive::I64 => quote!(#k::Integer),
            ir::Primitive::F32 | ir::Primitive::F64 => quote!(#k::Number),
            ir::Primitive::Binary | ir::Primitive::File => quote!(#k::Any),
            _ => quote!(#k::String),
        },
        ir::TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
            ir::TypeKind::Struct(_) => {
                let path = ctx.ty(t, Scope::Sibling);
                quote!(#k::Object(<#path as rt::XmlShape>::xml_shape))
            }
            ir::TypeKind::Enum(e) => match e.kind {
                ir::EnumKind::String => quote!(#k::String),
                ir::EnumKind::Integer => quote!(#k::Integer),
                ir::EnumKind::Number => quote!(#k::Number),
                ir::EnumKind::Boolean => quote!(#k::Boolean),
            },
            _ => quote!(#k::Any),
        },
        _ => quote!(#k::Any),
    };
    (kind, list)
}

/// `rt::xml_field(key, kind)` with the calls that name it as `node` says.
fn xml_field(key: &str, kind: TokenStream, list: bool, node: &ir::XmlNode) -> TokenStream {
    let key_lit = str_lit(key);
    let mut calls = Vec::new();
    if node.name != key {
        let n = str_lit(&node.name);
        calls.push(quote!(.name(#n)));
    }
    if let Some(ns) = &node.namespace {
        let ns = str_lit(ns);
        let p = str_lit(node.prefix.as_deref().unwrap_or(""));
        calls.push(quote!(.namespace(#ns, #p)));
    }
    if node.attribute {
        calls.push(quote!(.attribute()));
    }
    if list {
        let (item, ns, prefix) = node
            .item
            .clone()
            .unwrap_or_else(|| (key.to_owned(), None, None));
        let item = str_lit(&item);
        calls.push(quote!(.list(#item)));
        if node.wrapped {
            calls.push(quote!(.wrapped()));
        }
        if let Some(ns) = ns {
            let ns = str_lit(&ns);
            let p = str_lit(prefix.as_deref().unwrap_or(""));
            calls.push(quote!(.item_namespace(#ns, #p)));
        }
    }
    quote!(rt::xml_field(#key_lit, #kind) #(#calls)*)
}

/// `impl rt::XmlShape` for the struct `id` of an XML body: its fields' XML names.
fn xml_shape(ctx: Ctx<'_>, id: ir::TypeId) -> TokenStream {
    {
        let ir::TypeKind::Struct(s) = &ctx.api.ty(id).kind else {
            return quote!();
        };
        let fields = s.fields.iter().enumerate().map(|(i, f)| {
            let (kind, list) = xml_kind(&ctx, &f.ty);
            let node = ctx
                .api
                .xml_fields
                .get(&(id, i))
                .cloned()
                .unwrap_or_else(|| ir::XmlNode {
                    name: f.name.clone(),
                    ..Default::default()
                });
            xml_field(&f.name, kind, list, &node)
        });
        let path = ctx.ty(&ir::TypeRef::Named(id), Scope::Sibling);
        let cfg = ctx.type_cfg(id.0 as usize);
        quote! {
            #cfg
            impl rt::XmlShape for #path {
                fn xml_shape() -> &'static rt::XmlType {
                    static SHAPE: rt::XmlType = rt::xml_type(&[#(#fields),*]);
                    &SHAPE
                }
            }
        }
    }
}

/// `&rt::xml_body(…)`: an XML body of type `ty` with this root.
fn xml_body(ctx: &Ctx<'_>, media_type: &str, root: &ir::XmlNode, ty: &ir::TypeRef) -> TokenStream {
    let (kind, list) = xml_kind(ctx, ty);
    let field = xml_field("", kind, list, root);
    let mt = str_lit(media_type);
    quote!(&rt::xml_body(#mt, #field))
}

/// How `send()` turns the response into its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finish {
    Decode,
    Bytes,
    /// Several success statuses with different bodies: an enum, decoded by status.
    Statuses,
}

/// The success type, its response format and how `send()` decodes it.
pub(super) struct Success {
    /// Rust type (sibling scope).
    pub(super) ty: TokenStream,
    /// `rt::ResponseFormat::…`; `None` for the spec's default, `Empty`.
    format: Option<TokenStream>,
    decode: Finish,
}

fn is_binary(ty: &ir::TypeRef) -> bool {
    matches!(ty, ir::TypeRef::Primitive(ir::Primitive::Binary))
}

fn response_format(ctx: &Ctx<'_>, enc: &ir::BodyEncoding, ty: &ir::TypeRef) -> TokenStream {
    let rt = quote!(rt::ResponseFormat);
    match enc {
        _ if is_binary(ty) => quote!(#rt::Binary),
        ir::BodyEncoding::Xml { media_type, root } => {
            let body = xml_body(ctx, media_type, root, ty);
            quote!(#rt::xml(#body))
        }
        ir::BodyEncoding::Json { .. }
        | ir::BodyEncoding::Form
        | ir::BodyEncoding::FormDeepObject
        | ir::BodyEncoding::FormFields(_)
        | ir::BodyEncoding::Multipart(_) => quote!(#rt::Json),
        ir::BodyEncoding::Text { .. } => quote!(#rt::Text),
        ir::BodyEncoding::Binary { .. } => quote!(#rt::Binary),
        ir::BodyEncoding::GraphQl { .. } => quote!(#rt::GraphQl),
        ir::BodyEncoding::Soap { .. } => quote!(#rt::Soap),
    }
}

/// Whether [`negotiated_format`] of these is `rt::ResponseFormat::Json` (the default of a
/// case in the spec's error table), told without building and printing its tokens.
fn is_plain_json(
    enc: &ir::BodyEncoding,
    alternatives: Option<&Vec<ir::BodyEncoding>>,
    ty: &ir::TypeRef,
) -> bool {
    alternatives.is_none_or(|alts| alts.is_empty())
        && !is_binary(ty)
        && matches!(
            enc,
            ir::BodyEncoding::Json { .. }
                | ir::BodyEncoding::Form
                | ir::BodyEncoding::FormDeepObject
                | ir::BodyEncoding::FormFields(_)
                | ir::BodyEncoding::Multipart(_)
        )
}

/// The response format of a body in `enc`, or, when it is also offered in `alternatives`
/// (content negotiation), every media type with its format, the first preferred.
fn negotiated_format(
    ctx: &Ctx<'_>,
    enc: &ir::BodyEncoding,
    alternatives: Option<&Vec<ir::BodyEncoding>>,
    ty: &ir::TypeRef,
) -> TokenStream {
    let format = response_format(ctx, enc, ty);
    match alternatives {
        Some(alts) if !alts.is_empty() => {
            let first = str_lit(&media_type_of(enc));
            let others = alts.iter().map(|e| {
                let mt = str_lit(&media_type_of(e));
                let f = response_format(ctx, e, ty);
                quote!((#mt, #f))
            });
            quote!(rt::ResponseFormat::negotiate(&[(#first, #format), #(#others),*]))
        }
        _ => format,
    }
}

/// The success responses that become an enum: two or more exact 2xx codes whose bodies differ
/// (a 204 beside a 200 with a body included), every body JSON. `None`: one success type.
pub(super) fn success_statuses(op: &ir::Operation) -> Option<Vec<&ir::Response>> {
    let succ: Vec<&ir::Response> = op.responses.iter().filter(|r| r.is_success()).collect();
    let first = succ.first()?;
    let exact = succ
        .iter()
        .all(|r| matches!(r.status, ir::StatusMatch::Code(_)));
    let json = succ.iter().all(|r| match &r.ty {
        None => true,
        Some(ty) => {
            !is_binary(ty)
                && matches!(
                    r.encoding,
                    ir::BodyEncoding::Json { .. } | ir::BodyEncoding::Form
                )
        }
    });
    let differ = succ.iter().any(|r| r.ty != first.ty);
    (succ.len() > 1 && exact && json && differ).then_some(succ)
}

/// The variant of a 2xx status in a success enum.
fn success_variant(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritativeInformation".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        c => format!("Status{c}"),
    }
}

/// The enum of several success statuses and the `match` that decodes it.
fn success_enum(
    ctx: &Ctx<'_>,
    idx: usize,
    succ: &[&ir::Response],
    error: &TokenStream,
) -> (TokenStream, TokenStream) {
    let name = ident(&ctx.names.ops[idx].success);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in succ {
        let ir::StatusMatch::Code(c) = r.status else {
            continue;
        };
        let v = ident(&success_variant(c));
        let lit = Literal::u16_unsuffixed(c);
        let docs = doc_attrs(r.docs.as_deref(), &format!("Status {c}."));
        match &r.ty {
            Some(ty) => {
                let ty = ctx.ty(ty, Scope::Sibling);
                variants.push(quote!(#docs #v(#ty),));
                arms.push(quote!(#lit => #name::#v(resp.decode::<_, #error>()?),));
            }
            None => {
                variants.push(quote!(#docs #v,));
                arms.push(quote!(#lit => #name::#v,));
            }
        }
    }
    let docs = str_lit(&format!(
        " The success responses of {}, by status.",
        client_method_link(&ctx.names.ops[idx].method, true)
    ));
    let item = quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A success status the document does not declare (its body is not decoded).
            Other(u16),
        }
    };
    let decode = quote! {
        Ok(match resp.status() {
            #(#arms)*
            status => #name::Other(status),
        })
    };
    (item, decode)
}

/// The first 2xx response with a body type decides the success type, unless several success
/// statuses have different bodies ([`success_statuses`]: an enum).
pub(super) fn success(ctx: &Ctx<'_>, op: &ir::Operation) -> Success {
    if success_statuses(op).is_some() {
        let idx = ctx
            .api
            .operations
            .iter()
            .position(|o| std::ptr::eq(o, op))
            .unwrap_or(0);
        let name = ident(&ctx.names.ops[idx].success);
        return Success {
            ty: quote!(#name),
            format: Some(quote!(rt::ResponseFormat::Json)),
            decode: Finish::Statuses,
        };
    }
    let found = op
        .responses
        .iter()
        .filter(|r| r.is_success())
        .find_map(|r| r.ty.as_ref().map(|ty| (r, ty)));
    match found {
        Some((resp, ty))
            if is_binary(ty) || matches!(resp.encoding, ir::BodyEncoding::Binary { .. }) =>
        {
            Success {
                ty: quote!(Vec<u8>),
                format: Some(quote!(rt::ResponseFormat::Binary)),
                decode: Finish::Bytes,
            }
        }
        Some((resp, ty)) => {
            let idx = ctx
                .api
                .operations
                .iter()
                .position(|o| std::ptr::eq(o, op))
                .unwrap_or(0);
            let format = negotiated_format(
                ctx,
                &resp.encoding,
                ctx.api.response_alternatives.get(&idx),
                ty,
            );
            Success {
                ty: ctx.ty(ty, Scope::Sibling),
                format: Some(format),
                decode: Finish::Decode,
            }
        }
        None => Success {
            ty: quote!(()),
            // A SOAP operation without a response value still reads the envelope: a Fault
            // answered with status 200 is an error, not a silent success.
            format: op
                .responses
                .iter()
                .find(|r| r.is_success())
                .filter(|r| matches!(r.encoding, ir::BodyEncoding::Soap { .. }))
                .map(|_| quote!(rt::ResponseFormat::Soap)),
            decode: Finish::Decode,
        },
    }
}

/// Parameter indices in argument order: path parameters in template order, then other required
/// parameters in document order. Optional parameters are not included, nor required ones of one
/// allowed value ([`fixed_params`]: sent with it, not asked for).
pub(super) fn required_params(api: &ir::Api, op: &ir::Operation) -> Vec<usize> {
    let fixed = fixed_params(api, op);
    let mut out = required_or_fixed(op);
    out.retain(|i| !fixed.contains(i));
    out
}

/// The required (and path) parameters whose type allows one value (`const`, an `enum` of one
/// member): the builder sends that value itself, with no argument or setter.
pub(super) fn fixed_params(api: &ir::Api, op: &ir::Operation) -> Vec<usize> {
    op.params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required || p.location == ir::ParamLocation::Path)
        .filter(|(_, p)| api.one_value(&p.ty).is_some())
        .map(|(i, _)| i)
        .collect()
}

/// [`required_params`] with the [`fixed_params`] among them.
fn required_or_fixed(op: &ir::Operation) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if let Some(i) = op
            .params
            .iter()
            .position(|p| p.location == ir::ParamLocation::Path && p.name == name)
        {
            if !out.contains(&i) {
                out.push(i);
            }
        }
        rest = &rest[start + len..];
    }
    for (i, p) in op.params.iter().enumerate() {
        if (p.required || p.location == ir::ParamLocation::Path) && !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// True when the body is required (an argument of the op method). A required body whose type is
/// a struct without fields (a GraphQL operation without variables) is no argument: it is sent as
/// its `Default`.
pub(super) fn body_required(api: &ir::Api, op: &ir::Operation) -> bool {
    op.body
        .as_ref()
        .is_some_and(|b| b.required && !is_empty_struct(api, &b.ty))
}

/// A named struct with no fields and no additional properties.
fn is_empty_struct(api: &ir::Api, ty: &ir::TypeRef) -> bool {
    match ty {
        ir::TypeRef::Named(id) => matches!(
            &api.ty(*id).kind,
            ir::TypeKind::Struct(s) if s.fields.is_empty() && s.additional.is_none()
        ),
        _ => false,
    }
}

/// The runtime's `OperationSpec` constructor named after the method (`rt::get`, `rt::post`, …).
fn method_ctor(m: ir::Method) -> TokenStream {
    match m {
        ir::Method::Get => quote!(get),
        ir::Method::Put => quote!(put),
        ir::Method::Post => quote!(post),
        ir::Method::Delete => quote!(delete),
        ir::Method::Options => quote!(options),
        ir::Method::Head => quote!(head),
        ir::Method::Patch => quote!(patch),
        ir::Method::Trace => quote!(trace),
    }
}

fn body_format(ctx: &Ctx<'_>, enc: &ir::BodyEncoding, ty: &ir::TypeRef) -> TokenStream {
    let bf = quote!(rt::BodyFormat);
    match enc {
        ir::BodyEncoding::Xml { media_type, root } => {
            let body = xml_body(ctx, media_type, root, ty);
            quote!(#bf::xml(#body))
        }
        ir::BodyEncoding::Json { media_type } => {
            let m = str_lit(media_type);
            quote!(#bf::Json(#m))
        }
        ir::BodyEncoding::Form => quote!(#bf::Form),
        ir::BodyEncoding::FormDeepObject => quote!(#bf::form_deep_object()),
        ir::BodyEncoding::FormFields(fields) => {
            let fields = fields.iter().map(field_encoding);
            quote!(#bf::form(&[#(#fields),*]))
        }
        ir::BodyEncoding::Multipart(fields) => {
            let fields = fields.iter().map(field_encoding);
            quote!(#bf::multipart(&[#(#fields),*]))
        }
        ir::BodyEncoding::Text { media_type } => {
            let m = str_lit(media_type);
            quote!(#bf::Text(#m))
        }
        ir::BodyEncoding::Binary { media_type } => {
            let m = str_lit(media_type);
            quote!(#bf::Binary(#m))
        }
        ir::BodyEncoding::GraphQl {
            document,
            operation_name,
            kind,
        } => {
            let (q, n) = (str_lit(document), str_lit(operation_name));
            let kind = match kind {
                ir::GraphQlKind::Query => quote!(Query),
                ir::GraphQlKind::Mutation => quote!(Mutation),
                ir::GraphQlKind::Subscription => quote!(Subscription),
            };
            // Automatic persisted queries send this hash of the exact text first.
            let hash = str_lit(&graphql_hash(document));
            quote!(#bf::graphql_operation(rt::GraphQlKind::#kind, #q, #n, #hash))
        }
        ir::BodyEncoding::Soap {
            version,
            action,
            element,
            addressing,
            ..
        } => {
            let version = match version {
                ir::SoapVersion::V11 => quote!(rt::SoapVersion::V11),
                ir::SoapVersion::V12 => quote!(rt::SoapVersion::V12),
            };
            let action = str_lit(action);
            let ns = str_lit(element.namespace.as_deref().unwrap_or(""));
            let el = str_lit(&element.local);
            match addressing {
                Some(wsa) => {
                    let wsa = str_lit(wsa);
                    quote!(#bf::soap(#version, #action, #ns, #el).ws_addressing(#wsa))
                }
                None => quote!(#bf::soap(#version, #action, #ns, #el)),
            }
        }
    }
}

/// The lowercase hex SHA-256 of a GraphQL document: its automatic-persisted-query hash.
fn graphql_hash(document: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `op` is a GraphQL subscription (its method returns a stream).
pub(super) fn is_subscription(op: &ir::Operation) -> bool {
    matches!(
        op.body.as_ref().map(|b| &b.encoding),
        Some(ir::BodyEncoding::GraphQl {
            kind: ir::GraphQlKind::Subscription,
            ..
        })
    )
}

/// `rt::field("name")` with the style and part content type that differ from the defaults.
fn field_encoding(f: &ir::FieldEncoding) -> TokenStream {
    let n = str_lit(&f.name);
    let mut calls = Vec::new();
    if f.style != ir::ParamStyle::FormExploded {
        let style = style_tokens(f.style);
        calls.push(quote!(.style(rt::Style::#style)));
    }
    if let Some(ct) = &f.content_type {
        let ct = str_lit(ct);
        calls.push(quote!(.content_type(#ct)));
    }
    quote!(rt::field(#n) #(#calls)*)
}

/// The `rt::Style` variant of a style.
fn style_tokens(s: ir::ParamStyle) -> TokenStream {
    match s {
        ir::ParamStyle::FormExploded => quote!(FormExploded),
        ir::ParamStyle::Comma => quote!(Comma),
        ir::ParamStyle::DeepObject => quote!(DeepObject),
        ir::ParamStyle::SimpleExploded => quote!(SimpleExploded),
        ir::ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
        ir::ParamStyle::PipeDelimited => quote!(PipeDelimited),
        ir::ParamStyle::Label => quote!(Label),
        ir::ParamStyle::LabelExploded => quote!(LabelExploded),
        ir::ParamStyle::Matrix => quote!(Matrix),
        ir::ParamStyle::MatrixExploded => quote!(MatrixExploded),
    }
}

/// The `Location` variant of a parameter location.
fn location_tokens(l: ir::ParamLocation) -> TokenStream {
    match l {
        ir::ParamLocation::Path => quote!(Path),
        ir::ParamLocation::Query => quote!(Query),
        ir::ParamLocation::Header => quote!(Header),
        ir::ParamLocation::Cookie => quote!(Cookie),
    }
}

/// The `static` OperationSpec, built with the runtime's `const fn` builder: only what differs
/// from its defaults is written (no parameters, no body, an empty response, no security).
fn spec_static(ctx: &Ctx<'_>, idx: usize, success: &Success, errors: Option<&Toks>) -> Toks {
    let op = &ctx.api.operations[idx];
    let spec = Id(&ctx.names.ops[idx].spec);
    let name = op.name.display();
    let name = Str(&name);
    let ctor = method_ctor(op.method);
    let path = Str(&op.path);
    let mut calls = Vec::new();
    if !op.params.is_empty() {
        let params = op.params.iter().map(param_spec);
        calls.push(toks!(.params(&[#(#params),*])));
    }
    if let Some(b) = &op.body {
        let f = body_format(ctx, &b.encoding, &b.ty);
        calls.push(toks!(.body(#f)));
    }
    if let Some(response) = &success.format {
        calls.push(toks!(.response(#response)));
    }
    if let Some(server) = &op.server {
        let server = Str(server);
        calls.push(toks!(.server(super::client::DEFAULT_BASE_URL, #server)));
    }
    calls.extend(super::paging::spec_call(ctx, idx).map(Toks::from));
    let reqs = op.security.as_ref().unwrap_or(&ctx.api.default_security);
    if !reqs.is_empty() {
        let alternatives = reqs.iter().map(|req| {
            let schemes = req.schemes.iter().enumerate().filter_map(|(i, id)| {
                let name = Id(&ctx.names.schemes.get(id.0 as usize)?.spec);
                let scheme = ctx.api.security_schemes.get(id.0 as usize)?;
                let scopes = req.scopes.get(i).filter(|s| !s.is_empty());
                Some(match (&scheme.kind, scopes) {
                    (ir::SecurityKind::OAuth2 { .. }, Some(scopes)) => {
                        let scopes = scopes.iter().map(|s| Str(s));
                        toks!(&super::client::#name.scopes(&[#(#scopes),*]))
                    }
                    _ => toks!(&super::client::#name),
                })
            });
            toks!(&[#(#schemes),*])
        });
        calls.push(toks!(.security(&[#(#alternatives),*])));
    }
    if let Some(h) = op.idempotency_header() {
        let h = Str(h);
        calls.push(toks!(.idempotency_header(#h)));
    }
    toks! {
        static #spec: rt::OperationSpec = rt::#ctor(#name, #path) #(#calls)* #errors;
    }
}

/// `rt::query("limit")`: the location's constructor, which carries OpenAPI's default style for
/// it (form exploded for query and cookie, simple for path and header), plus `.style(…)` when the
/// parameter's style differs.
fn param_spec(p: &ir::Param) -> Toks {
    let n = Str(&p.name);
    let (ctor, default) = match p.location {
        ir::ParamLocation::Path => (toks!(path), ir::ParamStyle::Comma),
        ir::ParamLocation::Query => (toks!(query), ir::ParamStyle::FormExploded),
        ir::ParamLocation::Header => (toks!(header), ir::ParamStyle::Comma),
        ir::ParamLocation::Cookie => (toks!(cookie), ir::ParamStyle::FormExploded),
    };
    let mut calls = Vec::new();
    if p.style != default {
        let style = style_tokens(p.style);
        calls.push(toks!(.style(rt::Style::#style)));
    }
    if p.allow_reserved {
        calls.push(toks!(.allow_reserved()));
    }
    toks!(rt::#ctor(#n) #(#calls)*)
}

/// How an operation's error responses are typed: the `B` of `super::Error<B>`.
struct ErrorBody {
    /// The type argument of `super::Error` (`None`: the default, `serde_json::Value`).
    body: Option<Toks>,
    /// `.errors(&[…])` for the spec: the declared statuses of a single error body type.
    cases: Option<Toks>,
    /// The enum of several error body types, with its `rt::ErrorBody` table.
    item: Toks,
}

/// The error body of a SOAP operation: a Fault can come with any status (500 in SOAP 1.1,
/// 400/500 in 1.2, 200 from some). Without declared faults it is the runtime's `SoapFault`;
/// with some (`Default` responses typed as the fault elements' types), `rt::Fault<E>` where `E`
/// is an enum of the declared faults, one variant per detail element, chosen by the detail's
/// first element's local name.
fn soap_fault_body(ctx: &Ctx<'_>, idx: usize) -> ErrorBody {
    let op = &ctx.api.operations[idx];
    let cases = Some(toks!(.errors(&[rt::any_status()])));
    let faults: Vec<(&str, &ir::TypeRef, Option<&str>)> = op
        .responses
        .iter()
        .filter(|r| !r.is_success())
        .filter_map(|r| match (&r.ty, &r.encoding) {
            (Some(ty), ir::BodyEncoding::Soap { element, .. }) => {
                Some((element.local.as_str(), ty, r.docs.as_deref()))
            }
            _ => None,
        })
        .collect();
    if faults.is_empty() {
        return ErrorBody {
            body: Some(toks!(rt::SoapFault)),
            cases,
            item: Toks::new(),
        };
    }
    let name = ident(&ctx.names.ops[idx].error);
    let cands: Vec<Candidate> = faults
        .iter()
        .map(|(el, _, _)| Candidate::given(naming::variant_name(el), *el))
        .collect();
    let variant_names = naming::resolve(&cands, &[]);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for ((el, ty, docs), vname) in faults.iter().zip(&variant_names) {
        let v = ident(vname);
        let t = ctx.ty(ty, Scope::Sibling);
        let docs = doc_attrs(*docs, &format!("The fault detail element `{el}`."));
        variants.push(quote! {
            #docs
            #v(#t),
        });
        let lit = str_lit(el);
        arms.push(quote!(#lit => Some(fault.detail_as().map(Self::#v)),));
    }
    let enum_docs = doc_attrs(
        Some(&format!(
            "The faults `{}` declares (`wsdl:fault`), decoded from a SOAP Fault's detail: `rt::Fault::detail` of its error.",
            op.name.display().replace('`', "")
        )),
        "",
    );
    let item = quote! {
        #enum_docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl rt::FaultDetail for #name {
            fn from_fault(fault: &rt::SoapFault) -> Option<Result<Self, rt::DecodeError>> {
                match fault.detail_element()?.as_str() {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    };
    ErrorBody {
        body: Some(toks!(rt::Fault<#name>)),
        cases,
        item: Toks::from(item),
    }
}

/// The error responses of a non-SOAP operation in match order: exact codes first (a code
/// inside a declared range wins), then ranges, then `default`; and their distinct body types.
fn error_responses<'a>(
    ctx: &Ctx<'_>,
    op: &'a ir::Operation,
) -> (Vec<&'a ir::Response>, Vec<(String, TokenStream)>) {
    let mut errors: Vec<&ir::Response> = op.responses.iter().filter(|r| !r.is_success()).collect();
    errors.sort_by_key(|r| r.status);
    let mut types: Vec<(String, TokenStream)> = Vec::new();
    for ty in errors.iter().filter_map(|r| r.ty.as_ref()) {
        let t = ctx.ty(ty, Scope::Sibling);
        let key = t.to_string();
        if !types.iter().any(|(k, _)| *k == key) {
            types.push((key, t));
        }
    }
    (errors, types)
}

fn is_soap_op(op: &ir::Operation) -> bool {
    let is_soap = |e: &ir::BodyEncoding| matches!(e, ir::BodyEncoding::Soap { .. });
    op.body.as_ref().is_some_and(|b| is_soap(&b.encoding))
        || op.responses.iter().any(|r| is_soap(&r.encoding))
}

/// The variants (with their docs) and `match` arms of the error body enum of an operation whose
/// error responses declare several body types.
fn error_enum_parts(
    ctx: &Ctx<'_>,
    errors: &[&ir::Response],
) -> (Vec<(TokenStream, TokenStream)>, Vec<TokenStream>) {
    let pattern = |status: ir::StatusMatch| match status {
        ir::StatusMatch::Code(c) => {
            let lit = Literal::u16_unsuffixed(c);
            quote!(#lit)
        }
        ir::StatusMatch::Range(r) => {
            let lo = Literal::u16_unsuffixed(u16::from(r) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(r) * 100 + 99);
            quote!(#lo..=#hi)
        }
        ir::StatusMatch::Default => quote!(_),
    };
    let cands: Vec<Candidate> = errors
        .iter()
        .map(|r| {
            Candidate::given(
                naming::status_variant(r.status, false),
                format!("{:?}", r.status),
            )
        })
        .collect();
    let variant_names = naming::resolve(&cands, &[]);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for (resp, vname) in errors.iter().zip(&variant_names) {
        let pat = pattern(resp.status);
        let Some(ty) = &resp.ty else {
            arms.push(quote!(#pat => return None,));
            continue;
        };
        let v = ident(vname);
        let label = match resp.status {
            ir::StatusMatch::Code(c) => format!("status {c}"),
            ir::StatusMatch::Range(r) => format!("a {r}XX status"),
            ir::StatusMatch::Default => "any other status".to_string(),
        };
        let docs = doc_attrs(
            resp.docs.as_deref(),
            &format!("The body of the response with {label}."),
        );
        let payload = ctx.ty(ty, Scope::Sibling);
        variants.push((docs, quote!(#v(#payload),)));
        arms.push(quote!(#pat => resp.decode().map(Self::#v),));
    }
    if !errors.iter().any(|r| r.status == ir::StatusMatch::Default) {
        arms.push(quote!(_ => return None,));
    }
    (variants, arms)
}

/// What makes two operations' generated error body enums the same (variants, their types and
/// statuses; not their docs); `None` when the operation has no such enum. It is the list of
/// the error responses in status order, each with the text of its body type: the enum's
/// variants and `match` arms are made from that list alone, and their text tells two lists
/// apart but in one case, which the list leaves out: a last `Default` response without a body
/// writes the arm (`_ => return None,`) that an enum without a `Default` response ends with.
fn error_enum_signature(
    ctx: &Ctx<'_>,
    idx: usize,
) -> Option<Vec<(ir::StatusMatch, Option<String>)>> {
    let op = &ctx.api.operations[idx];
    if is_soap_op(op) {
        return None;
    }
    let mut errors: Vec<&ir::Response> = op.responses.iter().filter(|r| !r.is_success()).collect();
    errors.sort_by_key(|r| r.status);
    let mut sig: Vec<(ir::StatusMatch, Option<String>)> = errors
        .iter()
        .map(|r| {
            let ty = r.ty.as_ref().map(|t| ctx.ty(t, Scope::Sibling).to_string());
            (r.status, ty)
        })
        .collect();
    // As `error_responses` counts them: the enum is written for two body types or more.
    let mut types: Vec<&str> = Vec::new();
    for ty in sig.iter().filter_map(|(_, t)| t.as_deref()) {
        if !types.contains(&ty) {
            types.push(ty);
        }
    }
    if types.len() < 2 {
        return None;
    }
    let default = ir::StatusMatch::Default;
    if let [.., before, (last, None)] = sig.as_slice() {
        if *last == default && before.0 != default {
            sig.pop();
        }
    }
    Some(sig)
}

/// The error body of an operation: one declared type is used as is (with the status table in
/// the spec), several become an enum with one variant per status (or an alias of an earlier
/// operation's identical enum), none is the runtime's `serde_json::Value`; SOAP operations get
/// the runtime's `SoapFault`.
fn error_body(ctx: &Ctx<'_>, idx: usize) -> ErrorBody {
    let op = &ctx.api.operations[idx];
    let none = || ErrorBody {
        body: None,
        cases: None,
        item: toks!(),
    };
    if is_soap_op(op) {
        return soap_fault_body(ctx, idx);
    }
    let (mut errors, mut types) = error_responses(ctx, op);
    // A body declared in XML, text or bytes, or offered in several media types: its case in
    // the spec's table names the format.
    let format = |r: &ir::Response| {
        let ty = r.ty.as_ref()?;
        let alternatives = ctx.api.error_alternatives.get(&(idx, r.status));
        (!is_plain_json(&r.encoding, alternatives, ty)).then(|| {
            let f = negotiated_format(ctx, &r.encoding, alternatives, ty);
            toks!(.format(#f))
        })
    };
    let case = |r: &ir::Response| {
        let case = match r.status {
            ir::StatusMatch::Code(c) => {
                let lit = Literal::u16_unsuffixed(c);
                toks!(rt::status(#lit))
            }
            ir::StatusMatch::Range(c) => {
                let lit = Literal::u16_unsuffixed(u16::from(c));
                toks!(rt::status_class(#lit))
            }
            ir::StatusMatch::Default => toks!(rt::any_status()),
        };
        match (&r.ty, format(r)) {
            (None, _) => toks!(#case.no_body()),
            (Some(_), f) => toks!(#case #f),
        }
    };
    match types.len() {
        0 => none(),
        1 => {
            let ty = types.remove(0).1;
            // Trailing cases without a body match nothing that matters.
            while errors.last().is_some_and(|r| r.ty.is_none()) {
                errors.pop();
            }
            let cases: Vec<Toks> = if errors.first().is_some_and(|r| r.ty.is_some())
                && errors
                    .iter()
                    .any(|r| r.ty.is_some() && r.status == ir::StatusMatch::Default)
                && errors.iter().all(|r| r.ty.is_some() && format(r).is_none())
            {
                vec![toks!(rt::any_status())]
            } else {
                errors.iter().map(|r| case(r)).collect()
            };
            ErrorBody {
                body: Some(Toks::from(ty)),
                cases: Some(toks!(.errors(&[#(#cases),*]))),
                item: toks!(),
            }
        }
        _ => {
            let name = Id(&ctx.names.ops[idx].error);
            let method = shared_item_method(ctx, idx, false);
            if let Some(first) = shared(ctx).errors[idx] {
                let canonical = Id(&ctx.names.ops[first].error);
                let docs = format!(
                    " The typed error body of {method} (the `B` of its `Error<B>`): the same statuses and types as [`{}`].",
                    ctx.names.ops[first].error
                );
                let docs = Str(&docs);
                return ErrorBody {
                    body: Some(toks!(#name)),
                    cases: None,
                    item: toks! {
                        #[doc = #docs]
                        pub type #name = #canonical;
                    },
                };
            }
            let (variants, arms) = error_enum_parts(ctx, &errors);
            let variants = variants.iter().map(|(d, v)| toks!(#d #v));
            let docs = format!(
                " The typed error body of {method}, by status (the `B` of its `Error<B>`)."
            );
            let docs = Str(&docs);
            // The status table only when a body is not JSON: `resp.decode()` finds its format
            // there (the table's cases are in the arms' order).
            let cases = errors.iter().any(|r| format(r).is_some()).then(|| {
                let cases = errors.iter().map(|r| case(r));
                toks!(.errors(&[#(#cases),*]))
            });
            ErrorBody {
                body: Some(toks!(#name)),
                cases,
                item: toks! {
                    #[doc = #docs]
                    #[derive(Debug)]
                    #[non_exhaustive]
                    pub enum #name {
                        #(#variants)*
                    }

                    impl rt::ErrorBody for #name {
                        fn from_response(
                            resp: &rt::ErrorResponse,
                        ) -> Option<Result<Self, rt::DecodeError>> {
                            Some(match resp.status() { #(#arms)* })
                        }
                    }
                },
            }
        }
    }
}

/// Generated items that several operations would have written alike, written once: per
/// operation, the earlier operation whose error body enum (or typed-header struct) is the same,
/// whose item this one names through a type alias.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    errors: Vec<Option<usize>>,
    headers: Vec<Option<usize>>,
}

impl Shared {
    pub(crate) fn compute(ctx: &Ctx<'_>) -> Shared {
        let n = ctx.api.operations.len();
        Shared {
            errors: first_of(n, |i| error_enum_signature(ctx, i)),
            headers: first_of(n, |i| typed_headers_signature(ctx, i)),
        }
    }
}

/// Per index below `n`, the first earlier index with the same signature (`None` for the first
/// of its kind, and where `sig` gives none).
fn first_of<K: std::hash::Hash + Eq>(
    n: usize,
    sig: impl Fn(usize) -> Option<K>,
) -> Vec<Option<usize>> {
    let mut seen: std::collections::HashMap<K, usize> = Default::default();
    (0..n)
        .map(|i| {
            let s = sig(i)?;
            match seen.entry(s) {
                std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(i);
                    None
                }
            }
        })
        .collect()
}

/// The [`Shared`] items of the API (computed once, on first use).
fn shared<'a>(ctx: &Ctx<'a>) -> &'a Shared {
    ctx.shared.get_or_init(|| Shared::compute(ctx))
}

/// The builder type of a parameter or body value.
fn value_type(ctx: &Ctx<'_>, ty: &ir::TypeRef, optional: bool) -> TokenStream {
    let ty = ctx.ty(ty, Scope::Sibling);
    if optional {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The field name of a `soap:header` part in the builder: the part's name, `_header` appended
/// when a parameter or the builder already uses it.
fn soap_header_field(names: &super::naming::OpNames, part: &str) -> String {
    let name = naming::snake_name(part);
    let taken = |n: &str| {
        ["client", naming::BODY_FIELD, "send", "new", "customize"].contains(&n)
            || names.params.iter().any(|p| p == n)
    };
    if taken(&name) {
        format!("{}_header", name.trim_start_matches("r#"))
    } else {
        name
    }
}

/// The builder fields of operation `idx` that start as `None`: optional parameters, an optional
/// body, the body alternatives and the SOAP header parts (the client method writes the others
/// from its arguments).
pub(super) fn unset_fields(ctx: &Ctx<'_>, idx: usize) -> Vec<String> {
    let op = &ctx.api.operations[idx];
    let names = &ctx.names.ops[idx];
    let required = required_or_fixed(op);
    let mut out: Vec<String> = (0..op.params.len())
        .filter(|i| !required.contains(i))
        .map(|i| names.params[i].clone())
        .collect();
    if let Some(ir::BodyEncoding::Soap { headers, .. }) = op.body.as_ref().map(|b| &b.encoding) {
        out.extend(headers.iter().map(|h| soap_header_field(names, &h.name)));
    }
    if op.body.as_ref().is_some_and(|b| !b.required) {
        out.push(naming::BODY_FIELD.to_owned());
    }
    let alternatives = body_alternatives(ctx, idx);
    out.extend(alternative_setters(names, alternatives));
    out
}

/// `METHOD /path` of an HTTP operation, for docs; `None` for GraphQL and SOAP operations (their
/// method and path are the endpoint's, the same for all).
pub(super) fn route(op: &ir::Operation) -> Option<String> {
    if matches!(
        op.body.as_ref().map(|b| &b.encoding),
        Some(ir::BodyEncoding::GraphQl { .. } | ir::BodyEncoding::Soap { .. })
    ) {
        return None;
    }
    let method = format!("{:?}", op.method).to_uppercase();
    Some(format!("`{method} {}`", op.path.replace('`', "")))
}

fn operation(ctx: &Ctx<'_>, idx: usize) -> Toks {
    let op = &ctx.api.operations[idx];
    let names = &ctx.names.ops[idx];
    let builder = Id(&names.builder);
    let spec = Id(&names.spec);
    let success = success(ctx, op);
    let required = required_params(ctx.api, op);
    let fixed = fixed_params(ctx.api, op);

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut params = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        let f = Id(&names.params[i]);
        let wire = Str(&p.name);
        let is_required = required.contains(&i);
        // A required parameter of one allowed value is sent with it: no field, no argument.
        let value = match fixed
            .contains(&i)
            .then(|| super::types::fixed_value(ctx, &p.ty, Scope::Sibling))
            .flatten()
        {
            Some(value) => {
                let value = Moved::new(value);
                toks!(&#value)
            }
            None => {
                let ty = ctx.ty_of(&p.ty, Scope::Sibling).optional(!is_required);
                fields.push(toks!(pub(crate) #f: #ty,));
                toks!(&self.#f)
            }
        };
        // Two parameters of one name (a path `id` and a header `id`): name the location.
        if op.params.iter().filter(|q| q.name == p.name).count() > 1 {
            let loc = location_tokens(p.location);
            params.push(toks!(.param_in(rt::Location::#loc, #wire, #value)));
        } else {
            params.push(toks!(.param(#wire, #value)));
        }
        if is_required || fixed.contains(&i) {
            continue;
        }
        let mut text = p.docs.clone().unwrap_or_default();
        if p.deprecated {
            text = format!("**Deprecated.** {text}");
        }
        if let Some(v) = &p.default {
            // Not sent unless set: the server applies it.
            let note = super::types::default_note(v);
            text = if text.trim().is_empty() {
                format!("Sets the `{}` parameter.\n\n{note}", p.name)
            } else {
                format!("{}\n\n{note}", text.trim_end())
            };
        }
        let docs = doc_toks(Some(&text), &format!("Sets the `{}` parameter.", p.name));
        let docs = if p.deprecated {
            toks!(#docs #[deprecated(note = "deprecated by the API")])
        } else {
            toks!(#docs)
        };
        let (arg, value) = if ctx.is_string(&p.ty) {
            (toks!(impl Into<String>), toks!(value.into()))
        } else {
            {
                let ty = ctx.ty_of(&p.ty, Scope::Sibling);
                (toks!(#ty), toks!(value))
            }
        };
        setters.push(toks! {
            #docs
            pub fn #f(mut self, value: #arg) -> Self {
                self.#f = Some(#value);
                self
            }
        });
    }

    // `soap:header` parts: an optional typed value each, sent in the envelope's Header.
    let mut header_calls = Vec::new();
    if let Some(ir::BodyEncoding::Soap { headers, .. }) = op.body.as_ref().map(|b| &b.encoding) {
        for h in headers {
            let f = Id(&soap_header_field(names, &h.name));
            let ty = value_type(ctx, &h.ty, true);
            fields.push(toks!(pub(crate) #f: #ty,));
            let inner = ctx.ty(&h.ty, Scope::Sibling);
            let docs = doc_toks(
                h.docs.as_deref(),
                &format!("Sets the `{}` SOAP header.", h.element.local),
            );
            setters.push(toks! {
                #docs
                pub fn #f(mut self, value: #inner) -> Self {
                    self.#f = Some(value);
                    self
                }
            });
            let ns = Str(h.element.namespace.as_deref().unwrap_or_default());
            let el = Str(&h.element.local);
            header_calls.push(toks!(.header(#ns, #el, &self.#f)));
        }
    }
    // SOAP bodies (and headers) are serialized with the XML names of the types module's
    // `XML_NAMES` table: the models' serde names are plain.
    let is_soap_body = matches!(
        op.body.as_ref().map(|b| &b.encoding),
        Some(ir::BodyEncoding::Soap { .. })
    );
    let soap_message = |body: Toks| {
        if is_soap_body {
            toks!(&rt::SoapMessage::new(#body).xml_names(&super::types::XML_NAMES) #(#header_calls)*)
        } else {
            body
        }
    };

    let body_field = Id(naming::BODY_FIELD);
    let mut body_stmt = toks!();
    let mut req_mut = toks!();
    // The required body's call on the request (in the parameters' chain unless the caller
    // may choose another body).
    let mut primary = None;
    if let Some(b) = op
        .body
        .as_ref()
        .filter(|b| b.required && is_empty_struct(ctx.api, &b.ty))
    {
        let ty = ctx.ty_of(&b.ty, Scope::Sibling);
        let body = soap_message(toks!(&<#ty as ::std::default::Default>::default()));
        primary = Some(toks!(.body(#body)));
    } else if let Some(b) = &op.body {
        let ty = ctx.ty_of(&b.ty, Scope::Sibling).optional(!b.required);
        fields.push(toks!(pub(crate) #body_field: #ty,));
        let file = matches!(b.ty, ir::TypeRef::Primitive(ir::Primitive::File));
        let bytes = is_binary(&b.ty);
        if b.required {
            primary = Some(if file {
                toks!(.body_file(self.#body_field))
            } else if bytes {
                toks!(.body_bytes(self.#body_field))
            } else {
                let body = soap_message(toks!(&self.#body_field));
                toks!(.body(#body))
            });
        } else {
            let docs = doc_toks(b.docs.as_deref(), "Sets the request body.");
            let inner = ctx.ty_of(&b.ty, Scope::Sibling);
            setters.push(toks! {
                #docs
                pub fn #body_field(mut self, value: #inner) -> Self {
                    self.#body_field = Some(value);
                    self
                }
            });
            req_mut = toks!(mut);
            body_stmt = if file {
                toks!(if let Some(body) = self.#body_field { req = req.body_file(body); })
            } else if bytes {
                toks!(if let Some(body) = self.#body_field { req = req.body_bytes(body); })
            } else {
                toks!(if let Some(body) = &self.#body_field { req = req.body(body); })
            };
        }
    }
    // The other media types the body is offered in: a setter each, whose value is sent
    // instead.
    let alternatives = body_alternatives(ctx, idx);
    let mut alt_arms = Vec::new();
    for (a, setter) in alternatives
        .iter()
        .zip(alternative_setters(names, alternatives))
    {
        let f = Id(&setter);
        // Raw bytes travel as a byte list through `body_in`.
        let aty = match &a.ty {
            ir::TypeRef::Primitive(ir::Primitive::File) => {
                ir::TypeRef::Primitive(ir::Primitive::Binary)
            }
            t => t.clone(),
        };
        let inner = ctx.ty_of(&aty, Scope::Sibling);
        fields.push(toks!(pub(crate) #f: Option<#inner>,));
        let mt = media_type_of(&a.encoding);
        let what = if b_required(op) {
            "instead of the body given to the client method"
        } else {
            "instead of [`body`](Self::body)"
        };
        let docs = doc_toks(
            Some(&format!(
                "Sends this value as the request body, encoded as `{mt}`, {what}."
            )),
            "",
        );
        setters.push(toks! {
            #docs
            pub fn #f(mut self, value: #inner) -> Self {
                self.#f = Some(value);
                self
            }
        });
        let format = body_format(ctx, &a.encoding, &aty);
        alt_arms.push(toks! {
            if let Some(body) = &self.#f {
                static FORMAT: rt::BodyFormat = #format;
                req = req.body_in(&FORMAT, body);
            }
        });
    }
    if alt_arms.is_empty() {
        params.extend(primary);
    } else {
        req_mut = toks!(mut);
        let fallback = match primary {
            Some(call) => toks!({ req = req #call; }),
            None => toks!({ #body_stmt }),
        };
        body_stmt = toks!(#(#alt_arms else)* #fallback);
    }

    let ok_ty = &success.ty;
    let ErrorBody {
        body,
        cases,
        item: error_item,
    } = error_body(ctx, idx);
    let spec_item = spec_static(ctx, idx, &success, cases.as_ref());
    // The `B` of `ApiError<B>`: `serde_json::Value` (the alias's default, not written) when the
    // operation declares no error body.
    let error_arg = body.as_ref().map(|b| toks!(<#b>));
    let body_ty = body.unwrap_or_else(|| toks!(rt::Value));
    let err_ty = toks!(super::Error #error_arg);
    // Pages and streams classify errors into the same `ApiError<B>` (through `execute`).
    let error = quote!(rt::ApiError #error_arg);
    let taken = all_setter_names(names, &required_or_fixed(op), op, alternatives);
    let streams = super::paging::methods(ctx, idx, &taken, ok_ty, &error);
    let headers = typed_headers(ctx, idx);
    let mut headers = headers;
    let headers_item = headers.as_mut().map(|(_, item)| std::mem::take(item));
    let headers_ty = headers.as_ref().map(|(name, _)| toks!(, #name));
    // `B` is left out when it is the default, `serde_json::Value`.
    let b_arg = error_arg.as_ref().map(|_| toks!(, #body_ty));
    // Made only where written (`toks!` parses a literal's text on every call).
    let send_doc = || toks!(#[doc = " Sends the request and decodes the response."]);
    let swr_doc = || {
        if headers.is_some() {
            toks!(#[doc = " Sends the request; returns the decoded response with its status and headers, the declared ones typed ([`typed_headers`](rt::ApiResponse::typed_headers))."])
        } else {
            toks!(#[doc = " Sends the request; returns the decoded response with its status and headers."])
        }
    };
    // The common case, `send` and `send_with_response` decoding the body, through the
    // runtime's `send_methods!` (which writes `customize` too), with typed headers too
    // (contract 9): every body decoded whole goes through its choice of formats.
    let plain = success.decode == Finish::Decode;
    let (success_item, methods) = match success.decode {
        Finish::Decode => match &headers {
            Some((name, _)) => (
                toks!(),
                toks!(rt::send_methods!(#ok_ty #b_arg; headers #name);),
            ),
            None => (toks!(), toks!(rt::send_methods!(#ok_ty #b_arg);)),
        },
        Finish::Bytes => {
            let send = toks!(send_bytes);
            let with = if headers.is_some() {
                toks!(send_bytes_with_headers)
            } else {
                toks!(send_bytes_with_response)
            };
            let send_ty = toks!(rt::ResponseFuture<#ok_ty #b_arg>);
            let with_ty = match &headers_ty {
                Some(h) => toks!(rt::WithResponse<#ok_ty, #body_ty #h>),
                None => toks!(rt::WithResponse<#ok_ty #b_arg>),
            };
            let (send_doc, swr_doc) = (send_doc(), swr_doc());
            (
                toks!(),
                toks! {
                    #send_doc
                    pub fn send(self) -> #send_ty {
                        self.rt_request().#send()
                    }

                    #swr_doc
                    pub fn send_with_response(self) -> #with_ty {
                        self.rt_request().#with()
                    }
                },
            )
        }
        Finish::Statuses => {
            let succ = success_statuses(op).unwrap_or_default();
            let (item, decode) = success_enum(ctx, idx, &succ, &error);
            let finish = headers
                .as_ref()
                .map(|(name, _)| toks!(.map(|r| r.map_headers(<#name as rt::ResponseHeaders>::from_response))));
            let (send_doc, swr_doc) = (send_doc(), swr_doc());
            (
                Toks::from(item),
                toks! {
                    #send_doc
                    pub async fn send(self) -> Result<#ok_ty, #err_ty> {
                        self.send_with_response().await.map(rt::ApiResponse::into_body)
                    }

                    #swr_doc
                    pub async fn send_with_response(self) -> Result<rt::ApiResponse<#ok_ty #headers_ty>, #err_ty> {
                        let (client, req) = self.rt_request().into_parts();
                        client
                            .execute::<#error>(req)
                            .await?
                            .with_response(|resp| #decode)
                            #finish
                    }
                },
            )
        }
    };
    let method = &names.method;
    let then = if setters.is_empty() {
        "call"
    } else {
        "set optional values, then call"
    };
    let subscription = is_subscription(op);
    let (call, must_use) = if subscription {
        (
            "[`subscribe`](Self::subscribe)",
            "a subscription does nothing until it is started with `subscribe()`",
        )
    } else {
        (
            "[`send`](Self::send)",
            "a request does nothing until it is sent with `send()`",
        )
    };
    let builder_doc = Str(&format!(
        " {}request builder for {}: {then} {call}.",
        route(op).map(|r| format!("{r}: ")).unwrap_or_default(),
        client_method_link(method, true)
    ));
    let must_use_lit = Str(must_use);
    let customize = (subscription || !plain).then(|| toks!(rt::customize!();));
    let methods = if subscription {
        toks! {
            /// Connects to the server's GraphQL WebSocket (`graphql-transport-ws`: credentials
            /// in the upgrade request and the `connection_init` payload), subscribes, and
            /// returns the stream of results, one per event, each decoded as the operation's
            /// data; it ends when the server completes the subscription. Dropping the stream
            /// ends the subscription.
            pub async fn subscribe(self) -> Result<rt::Subscription<#ok_ty>, #err_ty> {
                let (client, req) = self.rt_request().into_parts();
                client.subscribe(req).await
            }
        }
    } else {
        let streams = Moved::new(streams);
        toks!(#methods #streams)
    };
    let own = toks! {
        #spec_item

        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = #must_use_lit]
        pub struct #builder {
            pub(crate) client: rt::Call,
            #(#fields)*
        }

        impl #builder {
            #customize

            #(#setters)*

            #methods

            fn rt_request(self) -> rt::Prepared {
                let #req_mut req = rt::Request::new(&#spec) #(#params)*;
                #body_stmt
                self.client.prepare(req)
            }
        }
    };
    let Some(features) = ctx.features else {
        let headers_item = Moved::new(headers_item.unwrap_or_default());
        return toks!(#own #success_item #headers_item #error_item);
    };
    // `--tag-features`: the error enum and typed-header struct later operations alias are
    // compiled for them too.
    let s = shared(ctx);
    let (error_gate, headers_gate) = features.shared(&s.errors, &s.headers, idx);
    let own = super::features::gate_items(
        &ctx.op_cfg(idx),
        join([own.to_stream(), success_item.to_stream()]),
    );
    let headers_item = super::features::gate_items(
        &features.cfg(headers_gate),
        headers_item.unwrap_or_default(),
    );
    let error_item = super::features::gate_items(&features.cfg(error_gate), error_item.to_stream());
    Toks::from(join([own, headers_item, error_item]))
}

/// The headers of the typed-header struct of operation `idx`: its declared HTTP headers, the
/// `soap:header` parts of a SOAP output, and the field name of each (HTTP headers first);
/// `None` when there are none.
fn typed_header_names<'a>(
    ctx: &Ctx<'a>,
    idx: usize,
) -> Option<(&'a [ir::ResponseHeader], &'a [ir::SoapHeader], Vec<String>)> {
    let headers: &[ir::ResponseHeader] = ctx
        .api
        .response_headers
        .get(&idx)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let soap: &[ir::SoapHeader] = ctx.api.operations[idx]
        .responses
        .iter()
        .find(|r| r.is_success())
        .and_then(|r| match &r.encoding {
            ir::BodyEncoding::Soap { headers, .. } => Some(headers.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    if headers.is_empty() && soap.is_empty() {
        return None;
    }
    let cands: Vec<Candidate> = headers
        .iter()
        .map(|h| Candidate::given(naming::snake_name(&h.name), &h.name))
        .chain(
            soap.iter()
                .map(|h| Candidate::given(naming::snake_name(&h.name), &h.name)),
        )
        .collect();
    let fields = naming::resolve(&cands, &["from_response"]);
    Some((headers, soap, fields))
}

/// The fields of the typed-header struct of operation `idx`: (declaration with docs,
/// initialiser), one per declared HTTP header, then one per `soap:header` part of a SOAP
/// output (read from the response envelope's Header).
fn typed_header_fields(ctx: &Ctx<'_>, idx: usize) -> Option<Vec<(TokenStream, TokenStream)>> {
    let (headers, soap, fields) = typed_header_names(ctx, idx)?;
    let mut out = Vec::new();
    for (h, f) in headers.iter().zip(&fields) {
        let f = ident(f);
        let ty = ctx.ty(&h.ty, Scope::Sibling);
        let docs = doc_attrs(h.docs.as_deref(), &format!("The `{}` header.", h.name));
        let wire = str_lit(&h.name);
        out.push((
            quote!(#docs pub #f: Option<#ty>,),
            quote!(#f: rt::header_value(r.header(#wire)),),
        ));
    }
    for (h, f) in soap.iter().zip(&fields[headers.len()..]) {
        let f = ident(f);
        let ty = ctx.ty(&h.ty, Scope::Sibling);
        let docs = doc_attrs(
            h.docs.as_deref(),
            &format!(
                "The `{}` SOAP header of the response (element `{}`).",
                h.name, h.element.local
            ),
        );
        let wire = str_lit(&h.element.local);
        out.push((
            quote!(#docs pub #f: Option<#ty>,),
            quote!(#f: rt::soap_header(r, #wire),),
        ));
    }
    Some(out)
}

/// What makes two operations' typed-header structs the same (field names, header names and
/// types; not their docs): per field, whether it is a SOAP header part, its name, the header's
/// name on the wire (a SOAP part's element) and the text of its type.
#[allow(clippy::type_complexity)]
fn typed_headers_signature<'a>(
    ctx: &Ctx<'a>,
    idx: usize,
) -> Option<Vec<(bool, String, &'a str, String)>> {
    let (headers, soap, fields) = typed_header_names(ctx, idx)?;
    let ty = |t: &ir::TypeRef| ctx.ty(t, Scope::Sibling).to_string();
    let http = headers.iter().map(|h| (false, h.name.as_str(), ty(&h.ty)));
    let soap = soap
        .iter()
        .map(|h| (true, h.element.local.as_str(), ty(&h.ty)));
    Some(
        http.chain(soap)
            .zip(fields)
            .map(|((soap, wire, ty), f)| (soap, f, wire, ty))
            .collect(),
    )
}

/// The struct of the headers the operation's success responses declare (or an alias of an
/// earlier operation's identical one), and its name.
fn typed_headers(ctx: &Ctx<'_>, idx: usize) -> Option<(TokenStream, TokenStream)> {
    let fields = typed_header_fields(ctx, idx)?;
    let name = ident(&ctx.names.ops[idx].headers);
    let method = shared_item_method(ctx, idx, true);
    if let Some(first) = shared(ctx).headers[idx] {
        let canonical = ident(&ctx.names.ops[first].headers);
        let docs = str_lit(&format!(
            " The headers the success responses of {method} declare: the same as [`{canonical}`]."
        ));
        let item = quote! {
            #[doc = #docs]
            pub type #name = #canonical;
        };
        return Some((quote!(#name), item));
    }
    let decls = fields.iter().map(|(d, _)| d);
    let inits = fields.iter().map(|(_, i)| i);
    let docs = str_lit(&format!(
        " The headers the success responses of {method} declare: [`ApiResponse::typed_headers`](::sdkwright_runtime::ApiResponse::typed_headers) of its `send_with_response()`. A header that is absent, or whose value does not parse as its type, is `None`; its text stays in [`ApiResponse::header`](::sdkwright_runtime::ApiResponse::header)."
    ));
    let item = quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        impl rt::ResponseHeaders for #name {
            fn from_response<T>(r: &rt::ApiResponse<T>) -> Self {
                Self { #(#inits)* }
            }
        }
    };
    Some((quote!(#name), item))
}

/// The setter names of the body alternatives: `body_` and the kind of body (`body_xml`,
/// `body_form`), kept apart from the parameters' names.
fn alternative_setters(
    names: &super::naming::OpNames,
    alternatives: &[ir::RequestBody],
) -> Vec<String> {
    alternatives
        .iter()
        .map(|a| {
            let mut n = format!("{}_{}", naming::BODY_FIELD, a.encoding.choice_key());
            while names.params.contains(&n) {
                n.push('_');
            }
            n
        })
        .collect()
}

/// True when the operation's body is an argument of its client method.
fn b_required(op: &ir::Operation) -> bool {
    op.body.as_ref().is_some_and(|b| b.required)
}

/// The media type a body encoding sends.
fn media_type_of(enc: &ir::BodyEncoding) -> String {
    match enc {
        ir::BodyEncoding::Json { media_type }
        | ir::BodyEncoding::Text { media_type }
        | ir::BodyEncoding::Binary { media_type }
        | ir::BodyEncoding::Xml { media_type, .. } => media_type.clone(),
        ir::BodyEncoding::Form
        | ir::BodyEncoding::FormDeepObject
        | ir::BodyEncoding::FormFields(_) => "application/x-www-form-urlencoded".into(),
        ir::BodyEncoding::Multipart(_) => "multipart/form-data".into(),
        ir::BodyEncoding::GraphQl { .. } => "application/json".into(),
        ir::BodyEncoding::Soap { .. } => "text/xml".into(),
    }
}

/// The names of the builder's setters (optional parameters and an optional body).
fn setters_names(
    names: &super::naming::OpNames,
    required: &[usize],
    op: &ir::Operation,
) -> std::collections::HashSet<String> {
    let mut out: std::collections::HashSet<String> = (0..op.params.len())
        .filter(|i| !required.contains(i))
        .map(|i| names.params[i].clone())
        .collect();
    out.insert(naming::BODY_FIELD.to_owned());
    out
}

/// [`setters_names`] with the body alternatives' setters.
fn all_setter_names(
    names: &super::naming::OpNames,
    required: &[usize],
    op: &ir::Operation,
    alternatives: &[ir::RequestBody],
) -> std::collections::HashSet<String> {
    let mut out = setters_names(names, required, op);
    out.extend(alternative_setters(names, alternatives));
    out
}

/// [`client_method_link`] in the docs of an item later operations may share (error enum, typed
/// headers): under `--tag-features` such an item is compiled for their features too, where the
/// method may not exist, so it is named without a link.
fn shared_item_method(ctx: &Ctx<'_>, idx: usize, qualified: bool) -> String {
    let method = &ctx.names.ops[idx].method;
    if ctx.features.is_none() {
        return client_method_link(method, qualified);
    }
    let bare = method.trim_start_matches("r#");
    if qualified {
        format!("`Client::{bare}`")
    } else {
        format!("`{bare}`")
    }
}

/// An intra-doc link to a `Client` method; rustdoc cannot resolve a raw identifier
/// (`super::Client::r#type`), so those are named without a link.
fn client_method_link(method: &str, qualified: bool) -> String {
    let bare = method.trim_start_matches("r#");
    let shown = if qualified {
        format!("Client::{bare}")
    } else {
        bare.to_string()
    };
    if method.starts_with("r#") {
        format!("`{shown}`")
    } else {
        format!("[`{shown}`](super::Client::{method})")
    }
}

/// The other media types an operation's request body is offered in (none for most).
fn body_alternatives<'a>(ctx: &Ctx<'a>, idx: usize) -> &'a [ir::RequestBody] {
    ctx.api
        .body_alternatives
        .get(&idx)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text the error enums were keyed by before `error_enum_signature`: its variants
    /// (without docs) and `match` arms, printed.
    fn printed_signature(ctx: &Ctx<'_>, idx: usize) -> Option<String> {
        let op = &ctx.api.operations[idx];
        let (errors, types) = error_responses(ctx, op);
        if types.len() < 2 {
            return None;
        }
        let (variants, arms) = error_enum_parts(ctx, &errors);
        let variants = variants.iter().map(|(_, v)| v);
        Some(quote!(#(#variants)* #(#arms)*).to_string())
    }

    /// Two operations share an error enum exactly when the printed enums were the same,
    /// a last `Default` response without a body included.
    #[test]
    fn error_enum_signatures_match_the_printed_enums() {
        use ir::StatusMatch::{Code, Default, Range};
        let mut api = super::super::tests::petstore();
        let (a, b) = (
            ir::TypeRef::Named(ir::TypeId(0)),
            ir::TypeRef::Named(ir::TypeId(1)),
        );
        let s = ir::TypeRef::Primitive(ir::Primitive::String);
        let lists: Vec<Vec<(ir::StatusMatch, Option<&ir::TypeRef>)>> = vec![
            vec![(Code(404), Some(&a)), (Code(500), Some(&b))],
            vec![
                (Code(404), Some(&a)),
                (Code(500), Some(&b)),
                (Default, None),
            ],
            vec![
                (Code(404), Some(&a)),
                (Code(500), Some(&b)),
                (Default, Some(&a)),
            ],
            vec![
                (Code(404), Some(&a)),
                (Code(500), None),
                (Default, Some(&b)),
            ],
            vec![
                (Code(404), Some(&a)),
                (Default, Some(&b)),
                (Code(500), None),
            ],
            vec![(Range(4), Some(&a)), (Range(5), Some(&b))],
            vec![(Code(404), Some(&b)), (Code(500), Some(&a))],
            vec![
                (Code(404), Some(&a)),
                (Code(500), Some(&b)),
                (Code(503), None),
            ],
            vec![
                (Code(500), Some(&b)),
                (Default, None),
                (Code(404), Some(&a)),
            ],
            vec![(Code(404), Some(&a)), (Default, Some(&s)), (Default, None)],
            vec![(Code(404), Some(&a)), (Default, Some(&s))],
            vec![(Code(404), Some(&a)), (Code(500), Some(&a))],
            vec![
                (Code(404), Some(&a)),
                (Code(409), Some(&s)),
                (Default, None),
            ],
            vec![(Code(404), Some(&a)), (Code(409), Some(&s))],
        ];
        let template = api.operations[0].clone();
        api.operations = lists
            .iter()
            .enumerate()
            .map(|(k, errors)| {
                let mut op = template.clone();
                op.name = ir::Name::Given(format!("op{k}"));
                op.responses = errors
                    .iter()
                    .map(|(status, ty)| ir::Response {
                        status: *status,
                        ty: ty.cloned(),
                        encoding: ir::BodyEncoding::Json {
                            media_type: "application/json".into(),
                        },
                        docs: None,
                    })
                    .collect();
                op
            })
            .collect();
        let names = naming::compute(&api);
        let (shared, plan) = (std::sync::OnceLock::new(), std::sync::OnceLock::new());
        let ctx = Ctx {
            api: &api,
            names: &names,
            timeouts: &[],
            shared: &shared,
            features: None,
            types_plan: &plan,
        };
        let n = api.operations.len();
        let printed: Vec<_> = (0..n).map(|i| printed_signature(&ctx, i)).collect();
        let keys: Vec<_> = (0..n).map(|i| error_enum_signature(&ctx, i)).collect();
        for i in 0..n {
            assert_eq!(printed[i].is_some(), keys[i].is_some(), "{i}");
            for j in 0..n {
                assert_eq!(
                    printed[i] == printed[j],
                    keys[i] == keys[j],
                    "{i} {j}: {:?} {:?}",
                    printed[i],
                    printed[j]
                );
            }
        }
        // The cases above that print alike do share.
        let errors = &Shared::compute(&ctx).errors;
        assert_eq!(errors[1], Some(0));
        assert_eq!(errors[8], Some(0));
        assert_eq!(errors[12], None);
        assert_eq!(errors[13], Some(12));
        assert_eq!(errors[9], None);
    }
}
