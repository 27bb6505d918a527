//! `operations.rs` of a generated crate: per operation a request builder, its `static`
//! `OperationSpec` (with its error status table) and, when it declares several error body
//! types, the enum of them.

use super::docs::doc_toks;
use super::naming::{self, Candidate};
use super::toks::{toks, toks_into, Id, Num, Put, Str, Toks};
use super::{Ctx, Scope};
use crate::ir;

/// Generates every operation, in document order.
pub(super) fn items(ctx: Ctx<'_>) -> impl Iterator<Item = Toks> + '_ {
    let all = 0..count(ctx);
    head(ctx).into_iter().chain(items_in(ctx, all))
}

/// What comes before the operations: the runtime's hidden module, once, when there is anything
/// that uses it.
pub(super) fn head(ctx: Ctx<'_>) -> Option<Toks> {
    (!ctx.api.operations.is_empty()).then(|| {
        let rt = super::runtime_import();
        let types = super::types_import();
        // With every feature off, nothing here uses the runtime.
        let allow = ctx
            .features
            .is_some()
            .then(|| toks!(#[allow(unused_imports)]));
        toks!(#allow #rt #types)
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
    ops.map(move |i| operation(&ctx, i))
        .chain(shapes.into_iter().map(move |id| xml_shape(ctx, id)))
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
fn xml_kind(ctx: &Ctx<'_>, ty: &ir::TypeRef) -> (Toks, bool) {
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
    let kind = match t {
        ir::TypeRef::Primitive(p) => match p {
            ir::Primitive::Bool => toks!(rt::XmlKind::Boolean),
            ir::Primitive::I32 | ir::Primitive::I64 => toks!(rt::XmlKind::Integer),
            ir::Primitive::F32 | ir::Primitive::F64 => toks!(rt::XmlKind::Number),
            ir::Primitive::Binary | ir::Primitive::File => toks!(rt::XmlKind::Any),
            _ => toks!(rt::XmlKind::String),
        },
        ir::TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
            ir::TypeKind::Struct(_) => {
                let path = ctx.ty_of(t, Scope::Sibling);
                toks!(rt::XmlKind::Object(<#path as rt::XmlShape>::xml_shape))
            }
            ir::TypeKind::Enum(e) => match e.kind {
                ir::EnumKind::String => toks!(rt::XmlKind::String),
                ir::EnumKind::Integer => toks!(rt::XmlKind::Integer),
                ir::EnumKind::Number => toks!(rt::XmlKind::Number),
                ir::EnumKind::Boolean => toks!(rt::XmlKind::Boolean),
            },
            _ => toks!(rt::XmlKind::Any),
        },
        _ => toks!(rt::XmlKind::Any),
    };
    (kind, list)
}

/// `rt::xml_field(key, kind)` with the calls that name it as `node` says, written into `out`.
fn xml_field(out: &mut Toks, key: &str, kind: &Toks, list: bool, node: &ir::XmlNode) {
    let key_lit = Str(key);
    toks_into!(out; rt::xml_field(#key_lit, #kind));
    if node.name != key {
        let n = Str(&node.name);
        toks_into!(out; .name(#n));
    }
    if let Some(ns) = &node.namespace {
        let ns = Str(ns);
        let p = Str(node.prefix.as_deref().unwrap_or(""));
        toks_into!(out; .namespace(#ns, #p));
    }
    if node.attribute {
        toks_into!(out; .attribute());
    }
    if list {
        let (item, ns, prefix) = node
            .item
            .clone()
            .unwrap_or_else(|| (key.to_owned(), None, None));
        let item = Str(&item);
        toks_into!(out; .list(#item));
        if node.wrapped {
            toks_into!(out; .wrapped());
        }
        if let Some(ns) = ns {
            let ns = Str(&ns);
            let p = Str(prefix.as_deref().unwrap_or(""));
            toks_into!(out; .item_namespace(#ns, #p));
        }
    }
}

/// `impl rt::XmlShape` for the struct `id` of an XML body: its fields' XML names.
fn xml_shape(ctx: Ctx<'_>, id: ir::TypeId) -> Toks {
    {
        let ir::TypeKind::Struct(s) = &ctx.api.ty(id).kind else {
            return toks!();
        };
        let fields = Put(|out: &mut Toks| {
            for (i, f) in s.fields.iter().enumerate() {
                if i > 0 {
                    out.punct(',', false);
                }
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
                xml_field(out, &f.name, &kind, list, &node);
            }
        });
        let named = ir::TypeRef::Named(id);
        let path = ctx.ty_of(&named, Scope::Sibling);
        let cfg = ctx.type_cfg(id.0 as usize);
        toks! {
            #cfg
            impl rt::XmlShape for #path {
                fn xml_shape() -> &'static rt::XmlType {
                    static SHAPE: rt::XmlType = rt::xml_type(&[#fields]);
                    &SHAPE
                }
            }
        }
    }
}

/// `&rt::xml_body(…)`: an XML body of type `ty` with this root.
fn xml_body(ctx: &Ctx<'_>, media_type: &str, root: &ir::XmlNode, ty: &ir::TypeRef) -> Toks {
    let (kind, list) = xml_kind(ctx, ty);
    let field = Put(|out: &mut Toks| xml_field(out, "", &kind, list, root));
    let mt = Str(media_type);
    toks!(&rt::xml_body(#mt, #field))
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
    pub(super) ty: Toks,
    /// `rt::ResponseFormat::…`; `None` for the spec's default, `Empty`.
    format: Option<Toks>,
    decode: Finish,
}

fn is_binary(ty: &ir::TypeRef) -> bool {
    matches!(ty, ir::TypeRef::Primitive(ir::Primitive::Binary))
}

fn response_format(ctx: &Ctx<'_>, enc: &ir::BodyEncoding, ty: &ir::TypeRef, out: &mut Toks) {
    match enc {
        _ if is_binary(ty) => toks_into!(out; rt::ResponseFormat::Binary),
        ir::BodyEncoding::Xml { media_type, root } => {
            let body = xml_body(ctx, media_type, root, ty);
            toks_into!(out; rt::ResponseFormat::xml(#body))
        }
        ir::BodyEncoding::Json { .. }
        | ir::BodyEncoding::Form
        | ir::BodyEncoding::FormDeepObject
        | ir::BodyEncoding::FormFields(_)
        | ir::BodyEncoding::Multipart(_) => toks_into!(out; rt::ResponseFormat::Json),
        ir::BodyEncoding::Text { .. } => toks_into!(out; rt::ResponseFormat::Text),
        ir::BodyEncoding::Binary { .. } => toks_into!(out; rt::ResponseFormat::Binary),
        ir::BodyEncoding::GraphQl { .. } => toks_into!(out; rt::ResponseFormat::GraphQl),
        ir::BodyEncoding::Soap { .. } => toks_into!(out; rt::ResponseFormat::Soap),
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
    out: &mut Toks,
) {
    match alternatives {
        Some(alts) if !alts.is_empty() => {
            let first = media_type_of(enc);
            let first = Str(&first);
            let format = Put(|out: &mut Toks| response_format(ctx, enc, ty, out));
            let others = Put(|out: &mut Toks| {
                for e in alts {
                    let mt = media_type_of(e);
                    let mt = Str(&mt);
                    let f = Put(|out: &mut Toks| response_format(ctx, e, ty, out));
                    toks_into!(out; , (#mt, #f));
                }
            });
            toks_into!(out; rt::ResponseFormat::negotiate(&[(#first, #format) #others]))
        }
        _ => response_format(ctx, enc, ty, out),
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
fn success_enum(ctx: &Ctx<'_>, idx: usize, succ: &[&ir::Response], error: &Toks) -> (Toks, Toks) {
    let name = Id(&ctx.names.ops[idx].success);
    let mut variants = Toks::new();
    let mut arms = Toks::new();
    for r in succ {
        let ir::StatusMatch::Code(c) = r.status else {
            continue;
        };
        let v = success_variant(c);
        let v = Id(&v);
        let lit = Num(c);
        let docs = doc_toks(r.docs.as_deref(), &format!("Status {c}."));
        match &r.ty {
            Some(ty) => {
                let ty = ctx.ty_of(ty, Scope::Sibling);
                toks_into!(variants; #docs #v(#ty),);
                toks_into!(arms; #lit => #name::#v(resp.decode::<_, #error>()?),);
            }
            None => {
                toks_into!(variants; #docs #v,);
                toks_into!(arms; #lit => #name::#v,);
            }
        }
    }
    let docs = format!(
        " The success responses of {}, by status.",
        client_method_link(&ctx.names.ops[idx].method, true)
    );
    let docs = Str(&docs);
    let item = toks! {
        #[doc = #docs]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #variants
            /// A success status the document does not declare (its body is not decoded).
            Other(u16),
        }
    };
    let decode = toks! {
        Ok(match resp.status() {
            #arms
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
        let name = Id(&ctx.names.ops[idx].success);
        return Success {
            ty: toks!(#name),
            format: Some(toks!(rt::ResponseFormat::Json)),
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
                ty: toks!(Vec<u8>),
                format: Some(toks!(rt::ResponseFormat::Binary)),
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
            let mut format = Toks::with_capacity();
            negotiated_format(
                ctx,
                &resp.encoding,
                ctx.api.response_alternatives.get(&idx),
                ty,
                &mut format,
            );
            let ty = ctx.ty_of(ty, Scope::Sibling);
            Success {
                ty: toks!(#ty),
                format: Some(format),
                decode: Finish::Decode,
            }
        }
        None => Success {
            ty: toks!(()),
            // A SOAP operation without a response value still reads the envelope: a Fault
            // answered with status 200 is an error, not a silent success.
            format: op
                .responses
                .iter()
                .find(|r| r.is_success())
                .filter(|r| matches!(r.encoding, ir::BodyEncoding::Soap { .. }))
                .map(|_| toks!(rt::ResponseFormat::Soap)),
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
fn method_ctor(m: ir::Method) -> Id<'static> {
    Id(match m {
        ir::Method::Get => "get",
        ir::Method::Put => "put",
        ir::Method::Post => "post",
        ir::Method::Delete => "delete",
        ir::Method::Options => "options",
        ir::Method::Head => "head",
        ir::Method::Patch => "patch",
        ir::Method::Trace => "trace",
    })
}

/// `rt::BodyFormat::…` of a body in `enc`, written into `out`.
fn body_format(ctx: &Ctx<'_>, enc: &ir::BodyEncoding, ty: &ir::TypeRef, out: &mut Toks) {
    match enc {
        ir::BodyEncoding::Xml { media_type, root } => {
            let body = xml_body(ctx, media_type, root, ty);
            toks_into!(out; rt::BodyFormat::xml(#body));
        }
        ir::BodyEncoding::Json { media_type } => {
            let m = Str(media_type);
            toks_into!(out; rt::BodyFormat::Json(#m));
        }
        ir::BodyEncoding::Form => toks_into!(out; rt::BodyFormat::Form),
        ir::BodyEncoding::FormDeepObject => toks_into!(out; rt::BodyFormat::form_deep_object()),
        ir::BodyEncoding::FormFields(fields) => {
            let fields = fields.iter().map(field_encoding);
            toks_into!(out; rt::BodyFormat::form(&[#(#fields),*]));
        }
        ir::BodyEncoding::Multipart(fields) => {
            let fields = fields.iter().map(field_encoding);
            toks_into!(out; rt::BodyFormat::multipart(&[#(#fields),*]));
        }
        ir::BodyEncoding::Text { media_type } => {
            let m = Str(media_type);
            toks_into!(out; rt::BodyFormat::Text(#m));
        }
        ir::BodyEncoding::Binary { media_type } => {
            let m = Str(media_type);
            toks_into!(out; rt::BodyFormat::Binary(#m));
        }
        ir::BodyEncoding::GraphQl {
            document,
            operation_name,
            kind,
        } => {
            let (q, n) = (Str(document), Str(operation_name));
            let kind = Id(match kind {
                ir::GraphQlKind::Query => "Query",
                ir::GraphQlKind::Mutation => "Mutation",
                ir::GraphQlKind::Subscription => "Subscription",
            });
            // Automatic persisted queries send this hash of the exact text first.
            let hash = graphql_hash(document);
            let hash = Str(&hash);
            toks_into!(out; rt::BodyFormat::graphql_operation(rt::GraphQlKind::#kind, #q, #n, #hash));
        }
        ir::BodyEncoding::Soap {
            version,
            action,
            element,
            addressing,
            ..
        } => {
            let version = Id(match version {
                ir::SoapVersion::V11 => "V11",
                ir::SoapVersion::V12 => "V12",
            });
            let action = Str(action);
            let ns = Str(element.namespace.as_deref().unwrap_or(""));
            let el = Str(&element.local);
            toks_into!(out; rt::BodyFormat::soap(rt::SoapVersion::#version, #action, #ns, #el));
            if let Some(wsa) = addressing {
                let wsa = Str(wsa);
                toks_into!(out; .ws_addressing(#wsa));
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
fn field_encoding(f: &ir::FieldEncoding) -> Put<impl Fn(&mut Toks) + '_> {
    Put(move |out: &mut Toks| {
        let n = Str(&f.name);
        toks_into!(out; rt::field(#n));
        if f.style != ir::ParamStyle::FormExploded {
            let style = style_tokens(f.style);
            toks_into!(out; .style(rt::Style::#style));
        }
        if let Some(ct) = &f.content_type {
            let ct = Str(ct);
            toks_into!(out; .content_type(#ct));
        }
    })
}

/// The `rt::Style` variant of a style.
fn style_tokens(s: ir::ParamStyle) -> Id<'static> {
    Id(match s {
        ir::ParamStyle::FormExploded => "FormExploded",
        ir::ParamStyle::Comma => "Comma",
        ir::ParamStyle::DeepObject => "DeepObject",
        ir::ParamStyle::SimpleExploded => "SimpleExploded",
        ir::ParamStyle::SpaceDelimited => "SpaceDelimited",
        ir::ParamStyle::PipeDelimited => "PipeDelimited",
        ir::ParamStyle::Label => "Label",
        ir::ParamStyle::LabelExploded => "LabelExploded",
        ir::ParamStyle::Matrix => "Matrix",
        ir::ParamStyle::MatrixExploded => "MatrixExploded",
    })
}

/// The `Location` variant of a parameter location.
fn location_tokens(l: ir::ParamLocation) -> Id<'static> {
    Id(match l {
        ir::ParamLocation::Path => "Path",
        ir::ParamLocation::Query => "Query",
        ir::ParamLocation::Header => "Header",
        ir::ParamLocation::Cookie => "Cookie",
    })
}

/// The `static` OperationSpec, built with the runtime's `const fn` builder: only what differs
/// from its defaults is written (no parameters, no body, an empty response, no security).
fn spec_static(
    ctx: &Ctx<'_>,
    idx: usize,
    success: &Success,
    errors: Option<&Toks>,
    out: &mut Toks,
) {
    let op = &ctx.api.operations[idx];
    let spec = Id(&ctx.names.ops[idx].spec);
    let name = op.name.display();
    let name = Str(&name);
    let ctor = method_ctor(op.method);
    let path = Str(&op.path);
    let calls = Put(|calls: &mut Toks| {
        if !op.params.is_empty() {
            let params = op.params.iter().map(param_spec);
            toks_into!(calls; .params(&[#(#params),*]));
        }
        if let Some(b) = &op.body {
            let f = Put(|out: &mut Toks| body_format(ctx, &b.encoding, &b.ty, out));
            toks_into!(calls; .body(#f));
        }
        if let Some(response) = &success.format {
            toks_into!(calls; .response(#response));
        }
        if let Some(server) = &op.server {
            let server = Str(server);
            toks_into!(calls; .server(super::client::DEFAULT_BASE_URL, #server));
        }
        super::paging::spec_call(ctx, idx, calls);
        let reqs = op.security.as_ref().unwrap_or(&ctx.api.default_security);
        if !reqs.is_empty() {
            let alternatives = reqs.iter().map(|req| {
                let schemes = req.schemes.iter().enumerate().filter_map(|(i, id)| {
                    let name = Id(&ctx.names.schemes.get(id.0 as usize)?.spec);
                    let scheme = ctx.api.security_schemes.get(id.0 as usize)?;
                    let scopes = req.scopes.get(i).filter(|s| !s.is_empty());
                    Some(Put(move |out: &mut Toks| match (&scheme.kind, scopes) {
                        (ir::SecurityKind::OAuth2 { .. }, Some(scopes)) => {
                            let scopes = scopes.iter().map(|s| Str(s));
                            toks_into!(out; &super::client::#name.scopes(&[#(#scopes),*]))
                        }
                        _ => toks_into!(out; &super::client::#name),
                    }))
                });
                Put(move |out: &mut Toks| {
                    let schemes = schemes.clone();
                    toks_into!(out; &[#(#schemes),*]);
                })
            });
            toks_into!(calls; .security(&[#(#alternatives),*]));
        }
        if let Some(h) = op.idempotency_header() {
            let h = Str(h);
            toks_into!(calls; .idempotency_header(#h));
        }
    });
    toks_into! { out;
        static #spec: rt::OperationSpec = rt::#ctor(#name, #path) #calls #errors;
    }
}

/// `rt::query("limit")`: the location's constructor, which carries OpenAPI's default style for
/// it (form exploded for query and cookie, simple for path and header), plus `.style(…)` when the
/// parameter's style differs.
fn param_spec(p: &ir::Param) -> Put<impl Fn(&mut Toks) + '_> {
    Put(move |out: &mut Toks| {
        let n = Str(&p.name);
        let (ctor, default) = match p.location {
            ir::ParamLocation::Path => (Id("path"), ir::ParamStyle::Comma),
            ir::ParamLocation::Query => (Id("query"), ir::ParamStyle::FormExploded),
            ir::ParamLocation::Header => (Id("header"), ir::ParamStyle::Comma),
            ir::ParamLocation::Cookie => (Id("cookie"), ir::ParamStyle::FormExploded),
        };
        toks_into!(out; rt::#ctor(#n));
        if p.style != default {
            let style = style_tokens(p.style);
            toks_into!(out; .style(rt::Style::#style));
        }
        if p.allow_reserved {
            toks_into!(out; .allow_reserved());
        }
    })
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
    let name = Id(&ctx.names.ops[idx].error);
    let cands: Vec<Candidate> = faults
        .iter()
        .map(|(el, _, _)| Candidate::given(naming::variant_name(el), *el))
        .collect();
    let variant_names = naming::resolve(&cands, &[]);
    let mut variants = Toks::new();
    let mut arms = Toks::new();
    for ((el, ty, docs), vname) in faults.iter().zip(&variant_names) {
        let v = Id(vname);
        let t = ctx.ty_of(ty, Scope::Sibling);
        let docs = doc_toks(*docs, &format!("The fault detail element `{el}`."));
        toks_into! { variants;
            #docs
            #v(#t),
        }
        let lit = Str(el);
        toks_into!(arms; #lit => Some(fault.detail_as().map(Self::#v)),);
    }
    let enum_docs = doc_toks(
        Some(&format!(
            "The faults `{}` declares (`wsdl:fault`), decoded from a SOAP Fault's detail: `rt::Fault::detail` of its error.",
            op.name.display().replace('`', "")
        )),
        "",
    );
    let item = toks! {
        #enum_docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #variants
        }

        impl rt::FaultDetail for #name {
            fn from_fault(fault: &rt::SoapFault) -> Option<Result<Self, rt::DecodeError>> {
                match fault.detail_element()?.as_str() {
                    #arms
                    _ => None,
                }
            }
        }
    };
    ErrorBody {
        body: Some(toks!(rt::Fault<#name>)),
        cases,
        item,
    }
}

/// The error responses of a non-SOAP operation in match order: exact codes first (a code
/// inside a declared range wins), then ranges, then `default`; and their distinct body types
/// (told apart as [`same_rust_type`] does).
fn error_responses<'a>(
    ctx: &Ctx<'_>,
    op: &'a ir::Operation,
) -> (Vec<&'a ir::Response>, Vec<&'a ir::TypeRef>) {
    let mut errors: Vec<&ir::Response> = op.responses.iter().filter(|r| !r.is_success()).collect();
    errors.sort_by_key(|r| r.status);
    let mut types: Vec<&ir::TypeRef> = Vec::new();
    for ty in errors.iter().filter_map(|r| r.ty.as_ref()) {
        if !types.iter().any(|t| same_rust_type(ctx, t, ty)) {
            types.push(ty);
        }
    }
    (errors, types)
}

/// Whether two type expressions are written as the same Rust type in a sibling module
/// ([`Ctx::ty`]'s texts equal), told from the IR without writing them: each kind of type
/// expression has a form of its own (each primitive its own type, a named type its name), so
/// the texts are equal exactly when the structures are and the names at their leaves; except
/// with a user's `External` type, whose path may spell any of them (`Vec<u8>`, `String`):
/// where either holds one, the texts are compared.
fn same_rust_type(ctx: &Ctx<'_>, a: &ir::TypeRef, b: &ir::TypeRef) -> bool {
    if has_external(a) || has_external(b) {
        return ctx.ty(a, Scope::Sibling).to_string() == ctx.ty(b, Scope::Sibling).to_string();
    }
    same_shape(ctx, a, b)
}

/// [`same_rust_type`] of two types without `External` ones.
fn same_shape(ctx: &Ctx<'_>, a: &ir::TypeRef, b: &ir::TypeRef) -> bool {
    use ir::TypeRef as T;
    match (a, b) {
        (T::Primitive(p), T::Primitive(q)) => p == q,
        (T::Named(x), T::Named(y)) => {
            ctx.names.types[x.0 as usize] == ctx.names.types[y.0 as usize]
        }
        (T::List(x), T::List(y)) | (T::Map(x), T::Map(y)) | (T::Nullable(x), T::Nullable(y)) => {
            same_shape(ctx, x, y)
        }
        (T::Any, T::Any) => true,
        _ => false,
    }
}

/// Whether `ty` is or holds an `External` type.
fn has_external(ty: &ir::TypeRef) -> bool {
    match ty {
        ir::TypeRef::External(_) => true,
        ir::TypeRef::List(t) | ir::TypeRef::Map(t) | ir::TypeRef::Nullable(t) => has_external(t),
        _ => false,
    }
}

fn is_soap_op(op: &ir::Operation) -> bool {
    let is_soap = |e: &ir::BodyEncoding| matches!(e, ir::BodyEncoding::Soap { .. });
    op.body.as_ref().is_some_and(|b| is_soap(&b.encoding))
        || op.responses.iter().any(|r| is_soap(&r.encoding))
}

/// The variants (with their docs when `docs`) and `match` arms of the error body enum of an
/// operation whose error responses declare several body types.
fn error_enum_parts(ctx: &Ctx<'_>, errors: &[&ir::Response], docs: bool) -> (Toks, Toks) {
    let pattern = |status: ir::StatusMatch| {
        Put(move |out: &mut Toks| match status {
            ir::StatusMatch::Code(c) => {
                let lit = Num(c);
                toks_into!(out; #lit)
            }
            ir::StatusMatch::Range(r) => {
                let lo = Num(u16::from(r) * 100);
                let hi = Num(u16::from(r) * 100 + 99);
                toks_into!(out; #lo..=#hi)
            }
            ir::StatusMatch::Default => toks_into!(out; _),
        })
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
    let mut variants = Toks::new();
    let mut arms = Toks::new();
    for (resp, vname) in errors.iter().zip(&variant_names) {
        let pat = pattern(resp.status);
        let Some(ty) = &resp.ty else {
            toks_into!(arms; #pat => return None,);
            continue;
        };
        let v = Id(vname);
        if docs {
            let label = match resp.status {
                ir::StatusMatch::Code(c) => format!("status {c}"),
                ir::StatusMatch::Range(r) => format!("a {r}XX status"),
                ir::StatusMatch::Default => "any other status".to_string(),
            };
            let docs = doc_toks(
                resp.docs.as_deref(),
                &format!("The body of the response with {label}."),
            );
            toks_into!(variants; #docs);
        }
        let payload = ctx.ty_of(ty, Scope::Sibling);
        toks_into!(variants; #v(#payload),);
        toks_into!(arms; #pat => resp.decode().map(Self::#v),);
    }
    if !errors.iter().any(|r| r.status == ir::StatusMatch::Default) {
        toks_into!(arms; _ => return None,);
    }
    (variants, arms)
}

/// What makes two operations' generated error body enums the same (variants, their types and
/// statuses; not their docs); `None` when the operation has no such enum. It is the list of
/// the error responses in status order, each with the text of its body type: the enum's
/// variants and `match` arms are made from that list alone, and their text tells two lists
/// apart but in one case, which the list leaves out: a last `Default` response without a body
/// writes the arm (`_ => return None,`) that an enum without a `Default` response ends with.
fn error_enum_signature<'a>(
    ctx: &Ctx<'a>,
    idx: usize,
    texts: bool,
) -> Option<Vec<(ir::StatusMatch, Option<TyKey<'a>>)>> {
    let op = &ctx.api.operations[idx];
    if is_soap_op(op) {
        return None;
    }
    let mut errors: Vec<&'a ir::Response> =
        op.responses.iter().filter(|r| !r.is_success()).collect();
    errors.sort_by_key(|r| r.status);
    let mut sig: Vec<(ir::StatusMatch, Option<TyKey<'a>>)> = errors
        .iter()
        .map(|r| (r.status, r.ty.as_ref().map(|t| ty_key(ctx, t, texts))))
        .collect();
    // As `error_responses` counts them: the enum is written for two body types or more.
    let mut types: Vec<&TyKey<'a>> = Vec::new();
    for ty in sig.iter().filter_map(|(_, t)| t.as_ref()) {
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
    let (mut errors, types) = error_responses(ctx, op);
    // A body declared in XML, text or bytes, or offered in several media types: its case in
    // the spec's table names the format.
    // Whether a case names its format, and its `.format(…)`.
    let has_format = |r: &ir::Response| {
        r.ty.as_ref().is_some_and(|ty| {
            let alternatives = ctx.api.error_alternatives.get(&(idx, r.status));
            !is_plain_json(&r.encoding, alternatives, ty)
        })
    };
    let case = |r: &ir::Response, out: &mut Toks| {
        match r.status {
            ir::StatusMatch::Code(c) => {
                let lit = Num(c);
                toks_into!(out; rt::status(#lit))
            }
            ir::StatusMatch::Range(c) => {
                let lit = Num(u16::from(c));
                toks_into!(out; rt::status_class(#lit))
            }
            ir::StatusMatch::Default => toks_into!(out; rt::any_status()),
        }
        match &r.ty {
            None => toks_into!(out; .no_body()),
            Some(ty) if has_format(r) => {
                let alternatives = ctx.api.error_alternatives.get(&(idx, r.status));
                let f = Put(|out: &mut Toks| {
                    negotiated_format(ctx, &r.encoding, alternatives, ty, out)
                });
                toks_into!(out; .format(#f))
            }
            Some(_) => {}
        }
    };
    match types.len() {
        0 => none(),
        1 => {
            let ty = ctx.ty_of(types[0], Scope::Sibling);
            // Trailing cases without a body match nothing that matters.
            while errors.last().is_some_and(|r| r.ty.is_none()) {
                errors.pop();
            }
            let any = errors.first().is_some_and(|r| r.ty.is_some())
                && errors
                    .iter()
                    .any(|r| r.ty.is_some() && r.status == ir::StatusMatch::Default)
                && errors.iter().all(|r| r.ty.is_some() && !has_format(r));
            let cases = Put(|out: &mut Toks| {
                if any {
                    toks_into!(out; rt::any_status());
                } else {
                    let cases = errors
                        .iter()
                        .map(|r| Put(move |out: &mut Toks| case(r, out)));
                    toks_into!(out; #(#cases),*);
                }
            });
            ErrorBody {
                body: Some(toks!(#ty)),
                cases: Some(toks!(.errors(&[#cases]))),
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
            let (variants, arms) = error_enum_parts(ctx, &errors, true);
            let docs = format!(
                " The typed error body of {method}, by status (the `B` of its `Error<B>`)."
            );
            let docs = Str(&docs);
            // The status table only when a body is not JSON: `resp.decode()` finds its format
            // there (the table's cases are in the arms' order).
            let cases = errors.iter().any(|r| has_format(r)).then(|| {
                let cases = errors
                    .iter()
                    .map(|r| Put(move |out: &mut Toks| case(r, out)));
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
                        #variants
                    }

                    impl rt::ErrorBody for #name {
                        fn from_response(
                            resp: &rt::ErrorResponse,
                        ) -> Option<Result<Self, rt::DecodeError>> {
                            Some(match resp.status() { #arms })
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
        // A user's `External` type may spell what another type is written as: then every type
        // is keyed by its text.
        let texts = ctx.api.operations.iter().enumerate().any(|(i, op)| {
            op.responses
                .iter()
                .filter_map(|r| r.ty.as_ref())
                .any(has_external)
                || ctx
                    .api
                    .response_headers
                    .get(&i)
                    .is_some_and(|hs| hs.iter().any(|h| has_external(&h.ty)))
                || op.responses.iter().any(|r| match &r.encoding {
                    ir::BodyEncoding::Soap { headers, .. } => {
                        headers.iter().any(|h| has_external(&h.ty))
                    }
                    _ => false,
                })
        });
        Shared {
            errors: first_of(n, |i| error_enum_signature(ctx, i, texts)),
            headers: first_of(n, |i| typed_headers_signature(ctx, i, texts)),
        }
    }
}

/// A type expression in a signature of [`Shared`]: two are equal exactly when [`Ctx::ty`]
/// writes the same text for them. Without `External` types, the IR itself (every named type
/// has a name of its own, every other kind of type its own form); with one in the API
/// (`texts`), the text.
#[derive(Debug, PartialEq, Eq, Hash)]
enum TyKey<'a> {
    Ir(&'a ir::TypeRef),
    Text(String),
}

fn ty_key<'a>(ctx: &Ctx<'_>, ty: &'a ir::TypeRef, texts: bool) -> TyKey<'a> {
    if texts {
        TyKey::Text(ctx.ty(ty, Scope::Sibling).to_string())
    } else {
        TyKey::Ir(ty)
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

    // The builder's fields, setters and the request's parameter calls, each written in place.
    let mut fields = Toks::scratch();
    let mut setters = Toks::scratch();
    let mut params = Toks::scratch();
    for (i, p) in op.params.iter().enumerate() {
        let f = Id(&names.params[i]);
        let wire = Str(&p.name);
        let is_required = required.contains(&i);
        // A required parameter of one allowed value is sent with it: no field, no argument.
        let fixed_value = fixed
            .contains(&i)
            .then(|| super::types::fixed_value(ctx, &p.ty, Scope::Sibling))
            .flatten();
        if fixed_value.is_none() {
            let ty = ctx.ty_of(&p.ty, Scope::Sibling).optional(!is_required);
            toks_into!(fields; pub(crate) #f: #ty,);
        }
        let value = Put(|out: &mut Toks| match &fixed_value {
            Some(value) => toks_into!(out; &#value),
            None => toks_into!(out; &self.#f),
        });
        // Two parameters of one name (a path `id` and a header `id`): name the location.
        if op.params.iter().filter(|q| q.name == p.name).count() > 1 {
            let loc = location_tokens(p.location);
            toks_into!(params; .param_in(rt::Location::#loc, #wire, #value));
        } else {
            toks_into!(params; .param(#wire, #value));
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
        toks_into!(setters; #docs);
        if p.deprecated {
            toks_into!(setters; #[deprecated(note = "deprecated by the API")]);
        }
        let ty = ctx.ty_of(&p.ty, Scope::Sibling);
        let string = ctx.is_string(&p.ty);
        let arg = Put(|out: &mut Toks| {
            if string {
                toks_into!(out; impl Into<String>);
            } else {
                toks_into!(out; #ty);
            }
        });
        let value = Put(|out: &mut Toks| {
            if string {
                toks_into!(out; value.into());
            } else {
                toks_into!(out; value);
            }
        });
        toks_into! { setters;
            pub fn #f(mut self, value: #arg) -> Self {
                self.#f = Some(#value);
                self
            }
        }
    }

    // `soap:header` parts: an optional typed value each, sent in the envelope's Header.
    let mut header_calls = Toks::new();
    if let Some(ir::BodyEncoding::Soap { headers, .. }) = op.body.as_ref().map(|b| &b.encoding) {
        for h in headers {
            let f = soap_header_field(names, &h.name);
            let f = Id(&f);
            let ty = ctx.ty_of(&h.ty, Scope::Sibling);
            toks_into!(fields; pub(crate) #f: Option<#ty>,);
            let docs = doc_toks(
                h.docs.as_deref(),
                &format!("Sets the `{}` SOAP header.", h.element.local),
            );
            toks_into! { setters;
                #docs
                pub fn #f(mut self, value: #ty) -> Self {
                    self.#f = Some(value);
                    self
                }
            }
            let ns = Str(h.element.namespace.as_deref().unwrap_or_default());
            let el = Str(&h.element.local);
            toks_into!(header_calls; .header(#ns, #el, &self.#f));
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
            toks!(&rt::SoapMessage::new(#body).xml_names(&super::types::XML_NAMES) #header_calls)
        } else {
            body
        }
    };

    let body_field = Id(naming::BODY_FIELD);
    let mut body_stmt = toks!();
    let mut req_mut = false;
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
        toks_into!(fields; pub(crate) #body_field: #ty,);
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
            toks_into! { setters;
                #docs
                pub fn #body_field(mut self, value: #inner) -> Self {
                    self.#body_field = Some(value);
                    self
                }
            }
            req_mut = true;
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
    let mut alt_arms = Toks::new();
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
        toks_into!(fields; pub(crate) #f: Option<#inner>,);
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
        toks_into! { setters;
            #docs
            pub fn #f(mut self, value: #inner) -> Self {
                self.#f = Some(value);
                self
            }
        }
        let format = Put(|out: &mut Toks| body_format(ctx, &a.encoding, &aty, out));
        toks_into! { alt_arms;
            if let Some(body) = &self.#f {
                static FORMAT: rt::BodyFormat = #format;
                req = req.body_in(&FORMAT, body);
            }
            else
        }
    }
    if alt_arms.is_empty() {
        if let Some(call) = &primary {
            params.append(call);
        }
    } else {
        req_mut = true;
        let fallback = match primary {
            Some(call) => toks!({ req = req #call; }),
            None => toks!({ #body_stmt }),
        };
        body_stmt = toks!(#alt_arms #fallback);
    }

    let ok_ty = &success.ty;
    let ErrorBody {
        body,
        cases,
        item: error_item,
    } = error_body(ctx, idx);
    // The `B` of `ApiError<B>`: `serde_json::Value` (the alias's default, not written) when the
    // operation declares no error body.
    let error_arg = body.as_ref().map(|b| toks!(<#b>));
    let body_ty = body.unwrap_or_else(|| toks!(rt::Value));
    let err_ty = toks!(super::Error #error_arg);
    // Pages and streams classify errors into the same `ApiError<B>` (through `execute`).
    let error = toks!(rt::ApiError #error_arg);
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
                item,
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
    let builder_doc = format!(
        " {}request builder for {}: {then} {call}.",
        route(op).map(|r| format!("{r}: ")).unwrap_or_default(),
        client_method_link(method, true)
    );
    let builder_doc = Str(&builder_doc);
    let must_use_lit = Str(must_use);
    let customize = (subscription || !plain).then(|| toks!(rt::customize!();));
    let methods = Put(|out: &mut Toks| {
        if subscription {
            toks_into! { out;
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
            toks_into!(out; #methods);
            let taken = all_setter_names(names, &required_or_fixed(op), op, alternatives);
            super::paging::methods(ctx, idx, &taken, ok_ty, &error, out);
        }
    });
    let req_mut = req_mut.then_some(Id("mut"));
    let spec_item = Put(|out: &mut Toks| {
        spec_static(ctx, idx, &success, cases.as_ref(), out);
    });
    let own = Put(|out: &mut Toks| {
        toks_into! { out;
            #spec_item

            #[doc = #builder_doc]
            #[derive(Debug, Clone)]
            #[must_use = #must_use_lit]
            pub struct #builder {
                pub(crate) client: rt::Call,
                #fields
            }

            impl #builder {
                #customize

                #setters

                #methods

                fn rt_request(self) -> rt::Prepared {
                    let #req_mut req = rt::Request::new(&#spec) #params;
                    #body_stmt
                    self.client.prepare(req)
                }
            }
        }
    });
    let mut out = Toks::scratch();
    match ctx.features {
        None => toks_into!(out; #own #success_item #headers_item #error_item),
        Some(features) => {
            // `--tag-features`: the error enum and typed-header struct later operations alias
            // are compiled for them too.
            let s = shared(ctx);
            let (error_gate, headers_gate) = features.shared(&s.errors, &s.headers, idx);
            let own = toks!(#own #success_item);
            super::features::gate_items(&ctx.op_cfg(idx), &own, &mut out);
            super::features::gate_items(
                &features.cfg(headers_gate),
                headers_item.as_ref().unwrap_or(&Toks::new()),
                &mut out,
            );
            super::features::gate_items(&features.cfg(error_gate), &error_item, &mut out);
        }
    }
    for t in [fields, setters, params] {
        t.recycle();
    }
    out
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

/// The fields of the typed-header struct of operation `idx`: declarations with docs and
/// initialisers, one per declared HTTP header, then one per `soap:header` part of a SOAP
/// output (read from the response envelope's Header).
fn typed_header_fields(ctx: &Ctx<'_>, idx: usize) -> Option<(Toks, Toks)> {
    let (headers, soap, fields) = typed_header_names(ctx, idx)?;
    let (mut decls, mut inits) = (Toks::new(), Toks::new());
    for (h, f) in headers.iter().zip(&fields) {
        let f = Id(f);
        let ty = ctx.ty_of(&h.ty, Scope::Sibling);
        let docs = doc_toks(h.docs.as_deref(), &format!("The `{}` header.", h.name));
        let wire = Str(&h.name);
        toks_into!(decls; #docs pub #f: Option<#ty>,);
        toks_into!(inits; #f: rt::header_value(r.header(#wire)),);
    }
    for (h, f) in soap.iter().zip(&fields[headers.len()..]) {
        let f = Id(f);
        let ty = ctx.ty_of(&h.ty, Scope::Sibling);
        let docs = doc_toks(
            h.docs.as_deref(),
            &format!(
                "The `{}` SOAP header of the response (element `{}`).",
                h.name, h.element.local
            ),
        );
        let wire = Str(&h.element.local);
        toks_into!(decls; #docs pub #f: Option<#ty>,);
        toks_into!(inits; #f: rt::soap_header(r, #wire),);
    }
    Some((decls, inits))
}

/// What makes two operations' typed-header structs the same (field names, header names and
/// types; not their docs): per field, whether it is a SOAP header part, its name, the header's
/// name on the wire (a SOAP part's element) and the text of its type.
#[allow(clippy::type_complexity)]
fn typed_headers_signature<'a>(
    ctx: &Ctx<'a>,
    idx: usize,
    texts: bool,
) -> Option<Vec<(bool, String, &'a str, TyKey<'a>)>> {
    let (headers, soap, fields) = typed_header_names(ctx, idx)?;
    let ty = |t: &'a ir::TypeRef| ty_key(ctx, t, texts);
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
fn typed_headers(ctx: &Ctx<'_>, idx: usize) -> Option<(Toks, Toks)> {
    let (decls, inits) = typed_header_fields(ctx, idx)?;
    let name = Id(&ctx.names.ops[idx].headers);
    let method = shared_item_method(ctx, idx, true);
    if let Some(first) = shared(ctx).headers[idx] {
        let canonical = Id(&ctx.names.ops[first].headers);
        let docs = format!(
            " The headers the success responses of {method} declare: the same as [`{}`].",
            ctx.names.ops[first].headers
        );
        let docs = Str(&docs);
        let item = toks! {
            #[doc = #docs]
            pub type #name = #canonical;
        };
        return Some((toks!(#name), item));
    }
    let docs = format!(
        " The headers the success responses of {method} declare: [`ApiResponse::typed_headers`](::sdkwright_runtime::ApiResponse::typed_headers) of its `send_with_response()`. A header that is absent, or whose value does not parse as its type, is `None`; its text stays in [`ApiResponse::header`](::sdkwright_runtime::ApiResponse::header)."
    );
    let docs = Str(&docs);
    let item = toks! {
        #[doc = #docs]
        #[derive(Debug, Clone, Default)]
        #[non_exhaustive]
        pub struct #name {
            #decls
        }

        impl rt::ResponseHeaders for #name {
            fn from_response<T>(r: &rt::ApiResponse<T>) -> Self {
                Self { #inits }
            }
        }
    };
    Some((toks!(#name), item))
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
        let (variants, arms) = error_enum_parts(ctx, &errors, false);
        Some(toks!(#variants #arms).to_stream().to_string())
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
        // Keyed by the IR and by the types' text alike.
        for texts in [false, true] {
            let keys: Vec<_> = (0..n)
                .map(|i| error_enum_signature(&ctx, i, texts))
                .collect();
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
