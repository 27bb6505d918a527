//! `types.rs` of a generated crate: one item per IR [`ir::TypeDef`].

use std::rc::Rc;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_toks, doc_toks_if};
use super::naming::ident;
use super::tokens::str_lit;
use super::toks::{toks, toks_into, Id, Put, Str, Toks};
use super::{Ctx, Scope};
use crate::diag::Diagnostic;
use crate::ir;

/// `serde` through the runtime's re-export, imported by [`head`] (a short path keeps each
/// `#[derive]` on one line).
fn serde_derives() -> TokenStream {
    quote!(serde::Serialize, serde::Deserialize)
}

/// The item before the types: `use ::sdkwright_runtime::serde;` for the derives. No generated
/// item of `types` is named `serde` (types are UpperCamelCase, the XML table SCREAMING_CASE).
pub(super) fn head(ctx: Ctx<'_>) -> Option<Toks> {
    (!ctx.api.types.is_empty()).then(|| {
        toks! {
            #[allow(unused_imports)]
            use ::sdkwright_runtime::serde;
        }
    })
}

/// Most values a string enum may have to become a Rust `enum`. rustc's cost for an enum is
/// quadratic in its size in more than one place (the exhaustiveness check of the `match` on
/// the wire strings, type-relative variant paths, MIR building of large aggregates): 10,000
/// values check in about 2 s, 100,000 took more than 15 minutes. A larger enum is generated as
/// `String` with a `rust::enum_too_large` warning (docs/generated-code.md).
pub(crate) const MAX_ENUM_VALUES: usize = 10_000;

/// Warnings about the types: enums too large for a Rust enum.
pub(super) fn diagnostics(ctx: &Ctx<'_>, diags: &mut Vec<Diagnostic>) {
    for def in &ctx.api.types {
        if let ir::TypeKind::Enum(e) = &def.kind {
            if e.values.len() > MAX_ENUM_VALUES {
                diags.push(
                    Diagnostic::warning(
                        "rust::enum_too_large",
                        format!(
                            "enum `{}` has {} values, more than {MAX_ENUM_VALUES}: generated as `String` (a Rust enum this large takes rustc too long to compile)",
                            def.name.display(),
                            e.values.len()
                        ),
                    )
                    .at_origin(&def.origin)
                    .help("the values are not checked; split the enum or accept any string"),
                );
            }
        }
    }
}

/// Every named type, in TypeId order, one item (with its impls) at a time; then the webhook
/// enum, when the API has webhooks; then the XML names table, for a SOAP API.
pub(super) fn items(ctx: Ctx<'_>) -> impl Iterator<Item = Toks> + '_ {
    let hooks = (!ctx.api.webhooks.is_empty()).then(|| webhook_item(&ctx));
    let names = is_soap(ctx.api).then(|| Toks::from(xml_names_item(&ctx)));
    head(ctx)
        .into_iter()
        .chain(type_items(ctx))
        .chain(hooks)
        .chain(names)
}

/// How many items [`items_in`] yields (after [`head`]): one per type, plus the webhook enum, plus
/// the XML names.
pub(super) fn count(ctx: Ctx<'_>) -> usize {
    ctx.api.types.len() + usize::from(!ctx.api.webhooks.is_empty()) + usize::from(is_soap(ctx.api))
}

/// Whether the API is a SOAP one: its models read XSD date/time lexical forms (`xs:date` with
/// an offset, `xs:dateTime` without one) through the runtime's `xsd` deserializers, and their
/// XML names come from a table ([`xml_names_item`]), not from their serde names.
fn is_soap(api: &ir::Api) -> bool {
    api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|b| matches!(b.encoding, ir::BodyEncoding::Soap { .. }))
    })
}

/// What the items of `types` need to know about the whole API, computed once for all parts.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// [`recursive_aliases`].
    recursive: Vec<bool>,
    /// [`twins`].
    twins: Vec<Option<usize>>,
    /// Whether structs and untagged unions get their serde impls from the runtime's
    /// `json_struct!`/`json_union!` macros rather than serde's derives: every API whose bodies
    /// are all JSON (or form, multipart, text). An API with XML bodies keeps the derives, whose
    /// per-field renames the XML writer and reader rely on.
    json: bool,
    /// Per type, the docs of a type the document names without describing it
    /// ([`super::uses::notes`]).
    notes: Vec<Option<String>>,
}

impl Plan {
    /// Per type, the type it is written as an alias of ([`twins`]).
    pub(crate) fn twins(&self) -> &[Option<usize>] {
        &self.twins
    }
}

/// The [`Plan`] of the API.
pub(super) fn plan(ctx: &Ctx<'_>) -> Plan {
    Plan {
        recursive: recursive_aliases(ctx.api),
        twins: twins(ctx),
        json: !has_xml(ctx.api),
        notes: super::uses::notes(ctx),
    }
}

/// Per type, the first type (those the document names first, then in order) that it is
/// identical to: a string enum with the same wire values, variant names and variant docs, a
/// struct with the same fields (names, Rust names, types, docs, attributes) and the same
/// additional properties, or a union with the same alternatives; neither deprecated. The
/// type is then written as an alias of that one instead of a copy. Documents repeat types a lot
/// (Stripe 2023-09: 2,270 string enums with 433 distinct value lists, 638 of them `[""]`; 528
/// of 2,615 structs repeat an earlier one), and each copy is compiled. Structs and unions are not
/// merged in an API with XML bodies, where operations implement `XmlShape` per struct.
fn twins(ctx: &Ctx<'_>) -> Vec<Option<usize>> {
    use std::collections::hash_map::{Entry, HashMap};
    type Key<'k> = Vec<(&'k str, Option<&'k str>, &'k str)>;
    let mut twins = vec![None; ctx.api.types.len()];
    // The types the document names come first, so that a named type is the one written out and
    // the made-up names are its aliases.
    let given = |def: &ir::TypeDef| matches!(def.name, ir::Name::Given(_));
    let order = || {
        [true, false].into_iter().flat_map(move |named| {
            let types = ctx.api.types.iter().enumerate();
            types.filter(move |&(idx, def)| {
                given(def) == named && !ctx.api.deprecated_types.contains(&ir::TypeId(idx as u32))
            })
        })
    };
    // String enums first: struct and union keys name their fields' types through the twins.
    let mut first: HashMap<Key<'_>, usize> = HashMap::with_capacity(ctx.api.types.len());
    for (idx, def) in order() {
        let ir::TypeKind::Enum(e) = &def.kind else {
            continue;
        };
        if e.kind != ir::EnumKind::String || e.values.len() > MAX_ENUM_VALUES {
            continue;
        }
        let Some(variants) = ctx.names.variants.get(idx) else {
            continue;
        };
        let key: Key<'_> = e
            .values
            .iter()
            .zip(variants)
            .map(|(v, rust)| (v.wire.as_str(), v.docs.as_deref(), rust.as_str()))
            .collect();
        match first.entry(key) {
            Entry::Occupied(o) => twins[idx] = Some(*o.get()),
            Entry::Vacant(v) => {
                v.insert(idx);
            }
        }
    }
    if has_xml(ctx.api) {
        return twins;
    }
    // Structs and unions: their keys are the IR's own text form (every attribute that reaches
    // the output) with the types they name replaced by the first of their twins from the
    // round before. A round can only merge more (two structs that use two twin structs merge
    // in the round after those did); every twin names the first of its kind in the same round,
    // so no alias names another alias. Few rounds are needed; they are capped.
    //
    // The shape is made once per type, with every type it names (its slots: a field's type,
    // the additional properties', an alternative's) written as
    // `TypeId(0)`, and the ids in those slots kept aside in order: two types with their
    // slots rewritten are equal exactly when their shapes with the slots zeroed are equal and
    // their slots name the same types. A round then compares the interned shape and the slots'
    // ids (formatting every type's text each round was a sixth of Stripe's generation; the
    // shape compares the parts themselves, where formatting them once was still 4 % of it).
    // Sized up front: growing rehashes every shape.
    let mut texts: HashMap<Shape<'_>, u32> = HashMap::with_capacity(ctx.api.types.len());
    // (type, its interned shape, the type each slot names, or NO_TYPE), in `order()`.
    let mut shapes: Vec<(usize, u32, Vec<u32>)> = Vec::new();
    for (idx, def) in order() {
        let mut slots = Vec::new();
        let shape = match &def.kind {
            ir::TypeKind::Struct(st) => {
                // Destructured, so that a part added to the IR is a compile error here.
                let ir::StructDef {
                    fields,
                    additional: additional_ty,
                    xml_namespace,
                    flatten,
                } = st;
                let (Some(names), additional) =
                    (ctx.names.fields.get(idx), ctx.names.additional.get(idx))
                else {
                    continue;
                };
                let fields = fields
                    .iter()
                    .map(|f| {
                        let (ty, slot) = slot_shape(&f.ty);
                        slots.push(slot);
                        FieldShape {
                            field: f,
                            ty,
                            default: f.default.as_ref().map(|v| format!("{v:?}")),
                        }
                    })
                    .collect();
                let additional_ty = additional_ty.as_ref().map(|t| {
                    let (ty, slot) = slot_shape(t);
                    slots.push(slot);
                    ty
                });
                Shape::Struct {
                    fields,
                    additional_ty,
                    xml_namespace: xml_namespace.as_deref(),
                    flatten,
                    names,
                    additional: additional.map(String::as_str),
                }
            }
            ir::TypeKind::Union(u) => {
                let ir::UnionDef {
                    variants,
                    discriminator,
                    fallback,
                } = u;
                let Some(names) = ctx.names.variants.get(idx) else {
                    continue;
                };
                let variants = variants
                    .iter()
                    .map(|v| {
                        let (ty, slot) = slot_shape(&v.ty);
                        slots.push(slot);
                        VariantShape { variant: v, ty }
                    })
                    .collect();
                Shape::Union {
                    variants,
                    discriminator: discriminator.as_deref(),
                    fallback: *fallback,
                    names,
                }
            }
            _ => continue,
        };
        let next = texts.len() as u32;
        let text = *texts.entry(shape).or_insert(next);
        shapes.push((idx, text, slots));
    }
    drop(texts);
    for _round in 0..6 {
        let previous = twins.clone();
        let canonical = |id: u32| match previous.get(id as usize) {
            Some(Some(first)) => *first as u32,
            _ => id,
        };
        let mut first: HashMap<(u32, Vec<u32>), usize> = HashMap::with_capacity(shapes.len());
        let mut changed = false;
        for (idx, text, slots) in &shapes {
            let ids = slots
                .iter()
                .map(|&id| {
                    if id == NO_TYPE {
                        NO_TYPE
                    } else {
                        canonical(id)
                    }
                })
                .collect();
            let twin = match first.entry((*text, ids)) {
                Entry::Occupied(o) => Some(*o.get()),
                Entry::Vacant(v) => {
                    v.insert(*idx);
                    None
                }
            };
            if twins[*idx] != twin {
                twins[*idx] = twin;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    twins
}

/// A slot of [`twins`]'s shapes that names no type.
const NO_TYPE: u32 = u32::MAX;

/// The type `ty` names (itself or as the item of a list, map or nullable), or [`NO_TYPE`];
/// that name is replaced by `TypeId(0)` in `ty`.
fn take_slot(ty: &mut ir::TypeRef) -> u32 {
    let mut t = ty;
    loop {
        match t {
            ir::TypeRef::Named(id) => return std::mem::replace(id, ir::TypeId(0)).0,
            ir::TypeRef::List(inner) | ir::TypeRef::Map(inner) | ir::TypeRef::Nullable(inner) => {
                t = inner
            }
            ir::TypeRef::Primitive(_) | ir::TypeRef::Any | ir::TypeRef::External(_) => {
                return NO_TYPE
            }
        }
    }
}

/// `ty` with the type it names replaced by `TypeId(0)` (borrowed when it names none, or names
/// it directly), and the type it named ([`take_slot`]).
fn slot_shape(ty: &ir::TypeRef) -> (std::borrow::Cow<'_, ir::TypeRef>, u32) {
    use std::borrow::Cow;
    static ZERO: ir::TypeRef = ir::TypeRef::Named(ir::TypeId(0));
    match ty {
        ir::TypeRef::Named(id) => (Cow::Borrowed(&ZERO), id.0),
        ir::TypeRef::Primitive(_) | ir::TypeRef::Any | ir::TypeRef::External(_) => {
            (Cow::Borrowed(ty), NO_TYPE)
        }
        _ => {
            let mut owned = ty.clone();
            let slot = take_slot(&mut owned);
            (Cow::Owned(owned), slot)
        }
    }
}

/// What [`twins`] compares of a struct or union, the types it names aside (its slots, each
/// `TypeId(0)` here): every part of the IR's definition that reaches the output, and the Rust
/// names of its members. Two shapes are equal exactly when the IR's `Debug` texts of the two
/// definitions (slots zeroed) and of their names are (the key this replaces): the parts are
/// compared with `==`, which for strings, flags, indexes and [`ir::TypeRef`] is the equality
/// of their `Debug` texts, and a field's default, a JSON value, by its `Debug` text.
#[derive(PartialEq, Eq, Hash)]
enum Shape<'a> {
    Struct {
        fields: Vec<FieldShape<'a>>,
        additional_ty: Option<std::borrow::Cow<'a, ir::TypeRef>>,
        xml_namespace: Option<&'a str>,
        flatten: &'a [usize],
        names: &'a [String],
        additional: Option<&'a str>,
    },
    Union {
        variants: Vec<VariantShape<'a>>,
        discriminator: Option<&'a str>,
        fallback: bool,
        names: &'a [String],
    },
}

/// A field of a [`Shape`]: the field's parts but its type, which is `ty`.
struct FieldShape<'a> {
    field: &'a ir::Field,
    ty: std::borrow::Cow<'a, ir::TypeRef>,
    /// The `Debug` text of the field's default.
    default: Option<String>,
}

impl FieldShape<'_> {
    /// Every part of the field but `ty` (and `default`, kept as text).
    #[allow(clippy::type_complexity)]
    fn parts(
        &self,
    ) -> (
        &str,
        Option<&str>,
        bool,
        bool,
        bool,
        bool,
        bool,
        Option<&str>,
        bool,
    ) {
        // Destructured, so that a field added to `ir::Field` is a compile error here.
        let ir::Field {
            name,
            docs,
            ty: _,
            required,
            nullable,
            deprecated,
            boxed,
            xml_attribute,
            xml_namespace,
            default: _,
            default_applied,
        } = self.field;
        (
            name,
            docs.as_deref(),
            *required,
            *nullable,
            *deprecated,
            *boxed,
            *xml_attribute,
            xml_namespace.as_deref(),
            *default_applied,
        )
    }
}

impl PartialEq for FieldShape<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts() && self.ty == other.ty && self.default == other.default
    }
}

impl Eq for FieldShape<'_> {}

impl std::hash::Hash for FieldShape<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
        self.ty.hash(state);
        self.default.hash(state);
    }
}

/// An alternative of a [`Shape`]: the alternative's parts but its type, which is `ty`.
struct VariantShape<'a> {
    variant: &'a ir::UnionVariant,
    ty: std::borrow::Cow<'a, ir::TypeRef>,
}

impl VariantShape<'_> {
    /// Every part of the alternative but `ty`.
    fn parts(&self) -> (&str, Option<&str>, Option<&str>, bool) {
        let ir::UnionVariant {
            name,
            tag,
            ty: _,
            docs,
            boxed,
        } = self.variant;
        (name, tag.as_deref(), docs.as_deref(), *boxed)
    }
}

impl PartialEq for VariantShape<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts() && self.ty == other.ty
    }
}

impl Eq for VariantShape<'_> {}

impl std::hash::Hash for VariantShape<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
        self.ty.hash(state);
    }
}

/// Whether any body or response of the API is XML (SOAP, or an OpenAPI XML media type).
fn has_xml(api: &ir::Api) -> bool {
    let xml = |e: &ir::BodyEncoding| {
        matches!(
            e,
            ir::BodyEncoding::Xml { .. } | ir::BodyEncoding::Soap { .. }
        )
    };
    api.operations.iter().any(|op| {
        op.body.iter().any(|b| xml(&b.encoding)) || op.responses.iter().any(|r| xml(&r.encoding))
    }) || api
        .body_alternatives
        .values()
        .flatten()
        .any(|a| xml(&a.encoding))
        || api.response_alternatives.values().flatten().any(xml)
        || api.error_alternatives.values().flatten().any(xml)
}

/// The items of [`items`] whose index is in `range` (a part, for printing parts in parallel);
/// `plan` is the [`Plan`] of the whole API.
pub(super) fn items_in<'a>(
    ctx: Ctx<'a>,
    plan: std::borrow::Cow<'a, Plan>,
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = Toks> + 'a {
    let n = ctx.api.types.len();
    let has_hooks = !ctx.api.webhooks.is_empty();
    let hooks = (has_hooks && range.contains(&n)).then(|| webhook_item(&ctx));
    let names_at = n + usize::from(has_hooks);
    let names =
        (is_soap(ctx.api) && range.contains(&names_at)).then(|| Toks::from(xml_names_item(&ctx)));
    let types = range.start.min(n)..range.end.min(n);
    type_items_in(ctx, plan, types).chain(hooks).chain(names)
}

/// The enum of the API's webhooks: one variant per webhook carrying its payload, a fallback
/// for a webhook this client does not know, and `parse(name, body)`.
fn webhook_item(ctx: &Ctx<'_>) -> Toks {
    let name = Id(&ctx.names.webhook);
    let hooks = &ctx.api.webhooks;
    let n = hooks.len();
    let vnames: Vec<_> = ctx.names.webhook_variants.iter().map(|v| Id(v)).collect();
    let (known, other) = vnames.split_at(n.min(vnames.len()));
    let other = other.first().copied().unwrap_or(Id("Other"));
    let mut variants = Toks::new();
    let mut parse_arms = Toks::new();
    let mut name_arms = Toks::new();
    let mut wires = Vec::with_capacity(n);
    for (w, v) in hooks.iter().zip(known) {
        let wire = Str(&w.name);
        let ty = ctx.ty_of(&w.payload, Scope::Types);
        let mut text = format!("The `{}` webhook.", w.name.replace('`', ""));
        if let Some(d) = &w.docs {
            text = format!("{text}\n\n{}", d.trim());
        }
        if w.deprecated {
            text.push_str("\n\n**Deprecated** by the API.");
        }
        let docs = doc_toks(Some(&text), "");
        toks_into!(variants; #docs);
        if w.deprecated {
            toks_into!(variants; #[deprecated(note = "deprecated by the API")]);
        }
        toks_into!(variants; #v(#ty),);
        toks_into!(parse_arms; #wire => ::sdkwright_runtime::serde_json::from_slice(body).map(Self::#v),);
        toks_into!(name_arms; Self::#v(_) => #wire,);
        wires.push(wire);
    }
    let title = super::title(ctx.api);
    let head = format!(
        " A webhook request the {title} API sends to your server, decoded: one variant per webhook of the document, carrying its JSON payload."
    );
    let head = Str(&head);
    toks! {
        #[doc = #head]
        #[doc = ""]
        #[doc = " Decode a received request body with [`Self::parse`], naming the webhook it arrived as."]
        #[derive(Debug, Clone)]
        #[allow(deprecated)]
        pub enum #name {
            #variants
            /// A webhook this client does not know (added to the API after it was generated):
            /// its name and its body as JSON.
            #other {
                /// The webhook's name.
                name: String,
                /// The body.
                payload: ::sdkwright_runtime::serde_json::Value,
            },
        }

        #[allow(deprecated)]
        impl #name {
            /// The names of the webhooks the document describes, as [`Self::parse`] takes them.
            pub const NAMES: &'static [&'static str] = &[#(#wires),*];

            /// Decodes the JSON `body` of the webhook called `name` (its key under `webhooks` in
            /// the document); a name not in [`Self::NAMES`] gives the fallback variant.
            pub fn parse(name: &str, body: &[u8]) -> Result<Self, ::sdkwright_runtime::serde_json::Error> {
                match name {
                    #parse_arms
                    _ => ::sdkwright_runtime::serde_json::from_slice(body).map(|payload| Self::#other {
                        name: name.to_owned(),
                        payload,
                    }),
                }
            }

            /// The name of the webhook this value came from.
            pub fn name(&self) -> &str {
                match self {
                    #name_arms
                    Self::#other { name, .. } => name,
                }
            }
        }
    }
}

/// Every named type, in TypeId order, one item (with its impls) at a time.
fn type_items(ctx: Ctx<'_>) -> impl Iterator<Item = Toks> + '_ {
    let all = 0..ctx.api.types.len();
    let plan = ctx.types_plan.get_or_init(|| plan(&ctx));
    type_items_in(ctx, std::borrow::Cow::Borrowed(plan), all)
}

/// [`type_items`] of the types whose index is in `range`.
fn type_items_in<'a>(
    ctx: Ctx<'a>,
    plan: std::borrow::Cow<'a, Plan>,
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = Toks> + 'a {
    let xml = is_soap(ctx.api);
    let types = ctx.api.types.iter().enumerate();
    types
        .skip(range.start)
        .take(range.len())
        .map(move |(idx, def)| {
            let ctx = &ctx;
            match &def.kind {
                _ if plan.twins[idx].is_some() => {
                    let name = Id(&ctx.names.types[idx]);
                    let (docs, dep) = type_docs_toks(ctx, idx, def);
                    let twin = plan.twins[idx].map_or(idx, |t| t);
                    let twin = Id(&ctx.names.types[twin]);
                    toks! {
                        #docs #dep
                        pub type #name = #twin;
                    }
                }
                ir::TypeKind::Struct(s) => struct_item(ctx, idx, def, s, xml, plan.json),
                ir::TypeKind::Enum(e) if e.values.len() > MAX_ENUM_VALUES => {
                    let name = Id(&ctx.names.types[idx]);
                    let (docs, dep) = type_docs_toks(ctx, idx, def);
                    let note = format!(
                        " A string: the document lists {} values, too many for a Rust enum.",
                        e.values.len()
                    );
                    let note = Str(&note);
                    toks! {
                        #docs #dep
                        #[doc = ""]
                        #[doc = #note]
                        pub type #name = String;
                    }
                }
                ir::TypeKind::Enum(e) => enum_item(ctx, idx, def, e),
                ir::TypeKind::Union(u) => union_item(ctx, idx, def, u, plan.json),
                ir::TypeKind::Alias(ty) if plan.recursive[idx] => {
                    // A type alias cannot name itself: a newtype that serializes as its content.
                    let name = Id(&ctx.names.types[idx]);
                    let (docs, dep) = type_docs_toks(ctx, idx, def);
                    let ty = ctx.ty(ty, Scope::Types);
                    let derives = serde_derives();
                    toks! {
                        #docs #dep
                        #[derive(Debug, Clone, PartialEq, #derives)]
                        #[serde(crate = "::sdkwright_runtime::serde", transparent)]
                        pub struct #name(pub #ty);
                    }
                }
                ir::TypeKind::Alias(ty) => {
                    let name = Id(&ctx.names.types[idx]);
                    let (docs, dep) = type_docs_toks(ctx, idx, def);
                    let ty = ctx.ty(ty, Scope::Types);
                    toks! {
                        #docs #dep
                        pub type #name = #ty;
                    }
                }
            }
        })
}

/// Per type, whether it is an alias that contains itself through lists and maps
/// (`HashMap = BTreeMap<String, HashMap>`, or `A = Vec<B>`, `B = Vec<A>`): the aliases on a cycle
/// of the alias-to-alias graph (strongly connected components, Kosaraju, iterative). By-value
/// alias cycles never get here: analysis::cycles refuses them.
pub(super) fn recursive_aliases(api: &ir::Api) -> Vec<bool> {
    let n = api.types.len();
    let alias_refs = |idx: usize| -> Vec<usize> {
        let mut out = Vec::new();
        let ir::TypeKind::Alias(ty) = &api.types[idx].kind else {
            return out;
        };
        let mut stack = vec![ty];
        while let Some(t) = stack.pop() {
            match t {
                ir::TypeRef::List(inner)
                | ir::TypeRef::Map(inner)
                | ir::TypeRef::Nullable(inner) => stack.push(inner),
                ir::TypeRef::Named(id) => {
                    let to = id.0 as usize;
                    if to < n && matches!(api.types[to].kind, ir::TypeKind::Alias(_)) {
                        out.push(to);
                    }
                }
                ir::TypeRef::Primitive(_) | ir::TypeRef::Any | ir::TypeRef::External(_) => {}
            }
        }
        out
    };
    let edges: Vec<Vec<usize>> = (0..n).map(alias_refs).collect();
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, tos) in edges.iter().enumerate() {
        for &to in tos {
            reverse[to].push(from);
        }
    }
    // Pass 1: finishing order.
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![(root, 0)];
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                if !seen[to] {
                    seen[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(node);
                stack.pop();
            }
        }
    }
    // Pass 2: components on the reverse graph, in reverse finishing order.
    let mut component = vec![usize::MAX; n];
    let mut sizes = Vec::new();
    for &root in order.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        let c = sizes.len();
        let mut size = 0;
        component[root] = c;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            size += 1;
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = c;
                    stack.push(from);
                }
            }
        }
        sizes.push(size);
    }
    (0..n)
        .map(|i| sizes[component[i]] > 1 || edges[i].contains(&i))
        .collect()
}

/// [`type_docs_toks`] for the builders still on `quote!`.
fn type_docs(ctx: &Ctx<'_>, idx: usize, def: &ir::TypeDef) -> TokenStream {
    let (docs, dep) = type_docs_toks(ctx, idx, def);
    toks!(#docs #dep).to_stream()
}

/// [`type_docs`] in the flat form: the docs, and the deprecation note.
fn type_docs_toks(
    ctx: &Ctx<'_>,
    idx: usize,
    def: &ir::TypeDef,
) -> (Option<Rc<Toks>>, Option<Toks>) {
    let (text, note, deprecated) = type_doc_parts(ctx, idx, def);
    let docs = match note {
        Some(note) => Some(doc_toks(text, note)),
        None => doc_toks_if(text),
    };
    (docs, deprecated.then(deprecation_note))
}

/// What a type's docs are made of: its description; the text written in its place for a type
/// the document names but does not describe (where it is defined and what uses it), `None`
/// for a made-up name, which has nothing to add to the type's own name (no filler doc); and
/// whether the API deprecates it.
fn type_doc_parts<'a>(
    ctx: &'a Ctx<'_>,
    idx: usize,
    def: &'a ir::TypeDef,
) -> (Option<&'a str>, Option<&'a str>, bool) {
    let note = match &def.name {
        ir::Name::Given(_) => {
            let plan = ctx.types_plan.get_or_init(|| plan(ctx));
            Some(
                plan.notes
                    .get(idx)
                    .and_then(Option::as_deref)
                    .unwrap_or_default(),
            )
        }
        ir::Name::Derived(_) => None,
    };
    let deprecated = ctx.api.deprecated_types.contains(&ir::TypeId(idx as u32));
    (def.docs.as_deref(), note, deprecated)
}

/// The docs and attribute of a type the API deprecates, after its own docs.
fn deprecation_note() -> Toks {
    toks! {
        #[doc = ""]
        #[doc = " **Deprecated** by the API."]
        #[deprecated(note = "deprecated by the API")]
    }
}

/// [`field_type`] written when interpolated in `toks!`.
struct FieldTy<'c, 'a>(&'c Ctx<'a>, &'c ir::Field);

impl super::toks::ToToks for FieldTy<'_, '_> {
    fn to_toks(&self, out: &mut Toks) {
        let FieldTy(ctx, f) = *self;
        let (ty, outer) = match tri_state(f) {
            Some(inner) => (inner, Some("::sdkwright_runtime::Nullable")),
            None => (&f.ty, is_optional(f).then_some("Option")),
        };
        match outer {
            Some("Option") => {
                out.ident("Option");
                out.punct('<', false);
            }
            Some(_) => {
                super::toks::toks_into!(out; ::sdkwright_runtime::Nullable<);
            }
            None => {}
        }
        if f.boxed {
            out.ident("Box");
            out.punct('<', false);
        }
        ctx.ty_to(ty, Scope::Types, out);
        if f.boxed {
            out.punct('>', false);
        }
        if outer.is_some() {
            out.punct('>', false);
        }
    }
}

/// The Rust type of a struct field (with `Option` and `Box` applied).
fn field_type(ctx: &Ctx<'_>, f: &ir::Field) -> TokenStream {
    if let Some(inner) = tri_state(f) {
        let base = ctx.ty(inner, Scope::Types);
        let base = if f.boxed { quote!(Box<#base>) } else { base };
        return quote!(::sdkwright_runtime::Nullable<#base>);
    }
    let base = ctx.ty(&f.ty, Scope::Types);
    let base = if f.boxed { quote!(Box<#base>) } else { base };
    if is_optional(f) {
        quote!(Option<#base>)
    } else {
        base
    }
}

/// The value type of a field where absent and `null` differ (not required, type
/// [`ir::TypeRef::Nullable`]): generated as `::sdkwright_runtime::Nullable<T>`.
fn tri_state(f: &ir::Field) -> Option<&ir::TypeRef> {
    match &f.ty {
        ir::TypeRef::Nullable(inner) if !f.required => Some(inner),
        _ => None,
    }
}

/// `Option` in Rust: nullable, or not required (unless its default is applied: absent reads as
/// the default, [`ir::Field::default_applied`]).
fn is_optional(f: &ir::Field) -> bool {
    f.nullable || (!f.required && !f.default_applied)
}

/// Whether a missing value of the field reads as `None` (or `Nullable::Absent`): optional, and
/// not read as its default.
fn starts_none(f: &ir::Field) -> bool {
    is_optional(f) && !f.default_applied
}

/// An applied default's value (`expr`, already boxed where the field is) as the field's:
/// `Some(expr)` for a nullable field, an `Option` whose absent value is `Some` of the default
/// ([`ir::Field::default_applied`]).
fn applied_value(f: &ir::Field, expr: TokenStream) -> TokenStream {
    if f.nullable {
        quote!(Some(#expr))
    } else {
        expr
    }
}

/// A field's docs: its description, marked when deprecated, with its default (if any).
fn field_text(f: &ir::Field) -> String {
    let mut text = f.docs.clone().unwrap_or_default();
    if f.deprecated {
        text = format!("**Deprecated.** {text}");
    }
    if let Some(v) = &f.default {
        let note = default_note(v);
        text = if text.trim().is_empty() {
            note
        } else {
            format!("{}\n\n{note}", text.trim_end())
        };
    }
    text
}

/// "Default: `…`." for docs: the value as JSON (at most about 200 characters).
pub(super) fn default_note(v: &serde_json::Value) -> String {
    let mut json = v.to_string();
    if json.chars().count() > 200 {
        json = json.chars().take(200).collect::<String>() + "…";
    }
    let fence = if json.contains('`') { "`` " } else { "`" };
    let close: String = fence.chars().rev().collect();
    format!("Default: {fence}{json}{close}.")
}

/// The Rust expression of an applied default ([`ir::Field::default_applied`]): `value`, which
/// `analysis::defaults` found the back end can write, as a value of `ty`.
fn default_expr(ctx: &Ctx<'_>, ty: &ir::TypeRef, value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    let fallback = quote!(::core::default::Default::default());
    let number = |value: &Value, p: ir::Primitive| -> TokenStream {
        if matches!(p, ir::Primitive::I32 | ir::Primitive::I64) {
            let Some(i) = ir::defaults::as_integer(value) else {
                return fallback.clone();
            };
            let lit = Literal::u64_unsuffixed(i.unsigned_abs());
            return if i < 0 { quote!(-#lit) } else { quote!(#lit) };
        }
        let Some(f) = value.as_f64().filter(|f| f.is_finite()) else {
            return fallback.clone();
        };
        if crate::analysis::defaults::near_constant(f) {
            // Written as its bits: clippy's `approx_constant` (deny) takes a literal close to
            // π or e for a mistyped constant.
            return if p == ir::Primitive::F32 {
                let bits = Literal::u32_suffixed((f as f32).to_bits());
                quote!(f32::from_bits(#bits))
            } else {
                let bits = Literal::u64_suffixed(f.to_bits());
                quote!(f64::from_bits(#bits))
            };
        }
        let lit = Literal::f64_unsuffixed(f.abs());
        if f.is_sign_negative() && f != 0.0 {
            quote!(-#lit)
        } else {
            quote!(#lit)
        }
    };
    let string = |s: &str| {
        let lit = str_lit(s);
        quote!(::std::string::String::from(#lit))
    };
    match ty {
        ir::TypeRef::Primitive(p) => match (p, value) {
            (ir::Primitive::String, Value::String(s)) => string(s),
            (ir::Primitive::Bool, Value::Bool(true)) => quote!(true),
            (ir::Primitive::Bool, Value::Bool(false)) => quote!(false),
            (ir::Primitive::I32 | ir::Primitive::I64, v) => number(v, *p),
            (ir::Primitive::F32 | ir::Primitive::F64, v) => number(v, *p),
            (ir::Primitive::Date, Value::String(s)) => match ir::defaults::parse_date(s) {
                // Checked a date by the generator: `unwrap_or_default` is never taken.
                Some((y, m, d)) => {
                    let (y, m, d) = (
                        Literal::i32_unsuffixed(y),
                        Literal::u32_unsuffixed(m),
                        Literal::u32_unsuffixed(d),
                    );
                    quote!(::sdkwright_runtime::Date::from_ymd_opt(#y, #m, #d).unwrap_or_default())
                }
                None => fallback,
            },
            (ir::Primitive::DateTime, Value::String(s)) if ir::defaults::is_date_time(s) => {
                // Read as the runtime reads a date-time on the wire; the generator checked the
                // form, so `unwrap_or_default` is never taken.
                let lit = str_lit(s);
                quote!(#lit.parse::<::sdkwright_runtime::DateTime>().unwrap_or_default())
            }
            (ir::Primitive::Uuid, Value::String(s)) => match ir::defaults::parse_uuid(s) {
                Some(bits) => {
                    let lit: Literal = format!("0x{bits:032x}_u128")
                        .parse()
                        .unwrap_or_else(|_| Literal::u128_suffixed(bits));
                    quote!(::sdkwright_runtime::Uuid::from_u128(#lit))
                }
                None => fallback,
            },
            _ => fallback,
        },
        ir::TypeRef::List(inner) => match value {
            Value::Array(items) if items.is_empty() => quote!(::std::vec::Vec::new()),
            Value::Array(items) => {
                let items = items.iter().map(|v| default_expr(ctx, inner, v));
                quote!(::std::vec![#(#items),*])
            }
            _ => fallback,
        },
        ir::TypeRef::Map(inner) => match value {
            Value::Object(m) if !m.is_empty() => {
                let entries = m.iter().map(|(k, v)| {
                    let k = string(k);
                    let v = default_expr(ctx, inner, v);
                    quote!((#k, #v))
                });
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
            _ => quote!(::std::collections::BTreeMap::new()),
        },
        ir::TypeRef::Any => json_value(value),
        ir::TypeRef::Named(id) => {
            let idx = id.0 as usize;
            match &ctx.api.ty(*id).kind {
                ir::TypeKind::Alias(inner) => default_expr(ctx, inner, value),
                ir::TypeKind::Enum(e) => {
                    let Some(wire) = ir::defaults::enum_wire(e.kind, value) else {
                        return fallback;
                    };
                    if e.values.len() > MAX_ENUM_VALUES {
                        return string(&wire);
                    }
                    let pos = e.values.iter().position(|v| v.wire == wire);
                    match pos.and_then(|p| ctx.names.variants.get(idx)?.get(p)) {
                        Some(variant) => {
                            let name = ident(&ctx.names.types[idx]);
                            let variant = ident(variant);
                            quote!(#name::#variant)
                        }
                        None => fallback,
                    }
                }
                ir::TypeKind::Struct(s) => struct_default(ctx, idx, s, value),
                ir::TypeKind::Union(u) => {
                    let fallback_variant =
                        crate::analysis::defaults::union_fallback(ctx.api, *id, u).and_then(|k| {
                            Some((ctx.names.variants.get(idx)?.get(k)?, u.variants[k].boxed))
                        });
                    let Some((variant, boxed)) = fallback_variant else {
                        return fallback;
                    };
                    // Decoded as a response would be; a value no alternative takes is the
                    // fallback variant, so this cannot fail.
                    let name = ident(&ctx.names.types[idx]);
                    let variant = ident(variant);
                    let json = json_value(value);
                    let held = if boxed {
                        quote!(::std::boxed::Box::new(value))
                    } else {
                        quote!(value)
                    };
                    quote!({
                        let value = #json;
                        ::sdkwright_runtime::serde_json::from_value(value.clone())
                            .unwrap_or_else(|_| #name::#variant(#held))
                    })
                }
            }
        }
        _ => fallback,
    }
}

/// A JSON value as the expression that makes it: its text, parsed (the generator wrote it, so
/// `unwrap_or_default` is never taken).
fn json_value(value: &serde_json::Value) -> TokenStream {
    let text = str_lit(&value.to_string());
    quote!(::sdkwright_runtime::serde_json::from_str::<::sdkwright_runtime::serde_json::Value>(#text).unwrap_or_default())
}

/// An object default of struct `idx` as a struct expression: each field from the object's
/// value for it, absent ones at their own default or `None` (as decoding the object would
/// give), undeclared keys in the additional properties.
fn struct_default(
    ctx: &Ctx<'_>,
    idx: usize,
    s: &ir::StructDef,
    value: &serde_json::Value,
) -> TokenStream {
    use serde_json::Value;
    let empty = serde_json::Map::new();
    let m = value.as_object().unwrap_or(&empty);
    let names = &ctx.names.fields[idx];
    let boxed = |f: &ir::Field, e: TokenStream| {
        if f.boxed {
            quote!(::std::boxed::Box::new(#e))
        } else {
            e
        }
    };
    let mut inits = Vec::new();
    for (k, (f, rust)) in s.fields.iter().zip(names).enumerate() {
        let fname = ident(rust);
        let expr = if s.flatten.contains(&k) {
            boxed(f, default_expr(ctx, &f.ty, value))
        } else if tri_state(f).is_some() {
            match m.get(&f.name) {
                None => quote!(::sdkwright_runtime::Nullable::Absent),
                Some(Value::Null) => quote!(::sdkwright_runtime::Nullable::Null),
                Some(v) => {
                    let inner = tri_state(f).map_or(&f.ty, |t| t);
                    let e = boxed(f, default_expr(ctx, inner, v));
                    quote!(::sdkwright_runtime::Nullable::Value(#e))
                }
            }
        } else {
            match m.get(&f.name) {
                None => match f.default.as_ref().filter(|_| f.default_applied) {
                    Some(d) => applied_value(f, boxed(f, default_expr(ctx, &f.ty, d))),
                    None => quote!(None),
                },
                Some(Value::Null)
                    if is_optional(f) && !matches!(f.ty, ir::TypeRef::Nullable(_)) =>
                {
                    quote!(None)
                }
                Some(v) => {
                    let core = match (&f.ty, v) {
                        (ir::TypeRef::Nullable(_), Value::Null) => quote!(None),
                        (ir::TypeRef::Nullable(inner), v) => {
                            let e = default_expr(ctx, inner, v);
                            quote!(Some(#e))
                        }
                        (ty, v) => default_expr(ctx, ty, v),
                    };
                    let e = boxed(f, core);
                    if is_optional(f) {
                        quote!(Some(#e))
                    } else {
                        e
                    }
                }
            }
        };
        inits.push(quote!(#fname: #expr));
    }
    if let Some(extra) = &s.additional {
        let fname = ident(&ctx.names.additional[idx]);
        let entries: Vec<TokenStream> = m
            .iter()
            .filter(|(key, _)| !s.fields.iter().any(|f| &f.name == *key))
            .map(|(key, v)| {
                let key = str_lit(key);
                let v = default_expr(ctx, extra, v);
                quote!((::std::string::String::from(#key), #v))
            })
            .collect();
        let map = if entries.is_empty() {
            quote!(::std::collections::BTreeMap::new())
        } else {
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        };
        inits.push(quote!(#fname: #map));
    }
    let name = ident(&ctx.names.types[idx]);
    quote!(#name { #(#inits),* })
}

/// The one value of a type whose schema allows one (`const`, or an `enum` of one value),
/// through aliases: `Enum::Variant` (`types::Enum::Variant` in `Scope::Sibling`); `None` for
/// other types ([`ir::Api::one_value`]).
pub(super) fn fixed_value(ctx: &Ctx<'_>, ty: &ir::TypeRef, scope: Scope) -> Option<Toks> {
    let id = ctx.api.one_value(ty)?;
    let variant = Id(ctx.names.variants.get(id.0 as usize)?.first()?);
    let named = ir::TypeRef::Named(id);
    let name = ctx.ty_of(&named, scope);
    Some(toks!(#name::#variant))
}

/// The name of the associated function that returns field `rust`'s default, for serde's
/// `#[serde(default = "…")]` in the derived impls.
fn default_fn_name(rust: &str) -> String {
    format!("__default_{}", rust.trim_start_matches("r#"))
}

/// `impl Name { fn __default_field() -> T }` for each applied default of a struct whose serde
/// impls are derived (`#[serde(default = "Name::__default_field")]` reads them).
fn default_fns(ctx: &Ctx<'_>, idx: usize, s: &ir::StructDef) -> TokenStream {
    let names = &ctx.names.fields[idx];
    let fns: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(names)
        .filter(|(f, _)| f.default_applied)
        .filter_map(|(f, rust)| {
            let value = f.default.as_ref()?;
            let fname = ident(&default_fn_name(rust));
            let ty = field_type(ctx, f);
            let expr = default_expr(ctx, &f.ty, value);
            let expr = if f.boxed {
                quote!(Box::new(#expr))
            } else {
                expr
            };
            let expr = applied_value(f, expr);
            Some(quote! {
                fn #fname() -> #ty {
                    #expr
                }
            })
        })
        .collect();
    if fns.is_empty() {
        return quote!();
    }
    let name = ident(&ctx.names.types[idx]);
    quote! {
        impl #name {
            #(#fns)*
        }
    }
}

/// `#[serde(default = "Name::__default_field")]` for an applied default in a derived impl.
fn default_attr(ctx: &Ctx<'_>, idx: usize, rust: &str) -> TokenStream {
    let path = str_lit(&format!(
        "{}::{}",
        ctx.names.types[idx].trim_start_matches("r#"),
        default_fn_name(rust)
    ));
    quote!(#[serde(default = #path)])
}

/// `#[serde(rename = "…")]` when the Rust name differs from the wire name.
pub(super) fn rename_attr(rust: &str, wire: &str) -> TokenStream {
    let mut out = Toks::new();
    rename_attr_into(rust, wire, &mut out);
    out.to_stream()
}

/// [`rename_attr`] written into `out`.
fn rename_attr_into(rust: &str, wire: &str, out: &mut Toks) {
    let bare = rust.strip_prefix("r#").unwrap_or(rust);
    if bare != wire {
        let lit = Str(wire);
        toks_into!(out; #[serde(rename = #lit)]);
    }
}

/// The rename of a field of an XML (SOAP) type, in the names the runtime's envelope writer reads
/// (see `sdkwright_runtime`'s soap module): an attribute is `@name` both ways (quick-xml reads
/// attributes so too); a child element of a type whose children are namespace-qualified
/// (`elementFormDefault="qualified"`), or whose field names its own namespace, serializes as
/// `{uri}name` (`{}name` for no namespace inside a qualified type) and deserializes as `name`
/// (the runtime strips prefixes from responses). Other fields: [`rename_attr`].
pub(super) fn xml_rename_attr(
    rust: &str,
    f: &ir::Field,
    xml_namespace: Option<&str>,
) -> TokenStream {
    let key = xml_key(f, xml_namespace);
    if f.xml_attribute {
        let lit = str_lit(&key);
        return quote!(#[serde(rename = #lit)]);
    }
    if key != f.name {
        let ser = str_lit(&key);
        let de = str_lit(&f.name);
        return quote!(#[serde(rename(serialize = #ser, deserialize = #de))]);
    }
    rename_attr(rust, &f.name)
}

/// The key the runtime's envelope writer reads for a field of an XML type: `@name` for an
/// attribute (`@{uri}name` for a qualified one); `{uri}name` for an element in a namespace (its own, else its struct's children's
/// `xml_namespace`), `{}name` for an element in none inside a qualified struct, else `name`.
pub(super) fn xml_key(f: &ir::Field, xml_namespace: Option<&str>) -> String {
    if f.xml_attribute {
        // A qualified attribute (SOAP models) names its namespace: `@{uri}name`.
        return match f.xml_namespace.as_deref().filter(|ns| !ns.is_empty()) {
            Some(ns) => format!("@{{{ns}}}{}", f.name),
            None => format!("@{}", f.name),
        };
    }
    if f.xml_namespace.as_deref() == Some("") && xml_namespace.is_some_and(|ns| !ns.is_empty()) {
        return format!("{{}}{}", f.name);
    }
    match f
        .xml_namespace
        .as_deref()
        .or(xml_namespace)
        .filter(|ns| !ns.is_empty())
    {
        Some(ns) => format!("{{{ns}}}{}", f.name),
        None => f.name.clone(),
    }
}

/// The serde attributes of a field of a SOAP model: its plain wire name (so the model's JSON
/// shape is plain), and for an attribute the alias `@name` quick-xml reads attributes under, for
/// a field with a special key ([`soap_special_key`]) that key as an alias. The XML names are in
/// the `XML_NAMES` table ([`xml_names_item`]).
fn soap_rename_attr(rust: &str, f: &ir::Field, special: Option<&str>) -> TokenStream {
    if let Some(key) = special {
        let lit = str_lit(&f.name);
        let alias = str_lit(key);
        return quote!(#[serde(rename = #lit, alias = #alias)]);
    }
    if f.xml_attribute {
        let lit = str_lit(&f.name);
        let alias = str_lit(&format!("@{}", f.name));
        return quote!(#[serde(rename = #lit, alias = #alias)]);
    }
    rename_attr(rust, &f.name)
}

/// The key the runtime reads a field of SOAP struct `idx` under besides its name, if any:
/// `$value` for a field of an element union (or a list of one: its elements are named by the
/// union's variants, and quick-xml hands a `$value` field the elements no other field names),
/// `$text` for the first field of a struct with simple content (the element's text).
fn soap_special_key(ctx: &Ctx<'_>, idx: usize, k: usize, f: &ir::Field) -> Option<&'static str> {
    let t = match &f.ty {
        ir::TypeRef::List(inner) => &**inner,
        t => t,
    };
    if matches!(t, ir::TypeRef::Named(id) if ctx.api.xsd.element_unions.contains_key(id))
        || is_raw_xml(t)
    {
        return Some("$value");
    }
    (k == 0 && ctx.api.xsd.text_content.contains(&ir::TypeId(idx as u32))).then_some("$text")
}

/// The runtime's raw XML type (`xs:any` elements, mixed content).
const RAW_XML: &str = "::sdkwright_runtime::RawXml";

fn is_raw_xml(t: &ir::TypeRef) -> bool {
    matches!(t, ir::TypeRef::External(path) if path == RAW_XML)
}

/// The serde attributes of a SOAP field read from the elements no other field takes: an
/// `xs:any` field (`Vec<RawXml>`: empty when there are none, not sent when empty) and a field
/// of an element union (an element its enum does not list becomes the fallback variant);
/// `None` for other fields. Replaces the field's `default`/`skip_serializing_if`.
fn soap_value_attrs(ctx: &Ctx<'_>, f: &ir::Field) -> Option<TokenStream> {
    let (list, t) = match &f.ty {
        ir::TypeRef::List(inner) => (true, &**inner),
        t => (false, t),
    };
    if list && is_raw_xml(t) {
        let de = str_lit("::sdkwright_runtime::__private::xsd::any_elements");
        return Some(
            quote!(#[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = #de)]),
        );
    }
    if !matches!(t, ir::TypeRef::Named(id) if ctx.api.xsd.element_unions.contains_key(id))
        || tri_state(f).is_some()
    {
        return None;
    }
    let optional = is_optional(f);
    let de = match (list, optional) {
        (true, false) => "choices",
        (true, true) => "option_choices",
        (false, false) => "choice",
        (false, true) => "option_choice",
    };
    let de = str_lit(&format!("::sdkwright_runtime::__private::xsd::{de}"));
    Some(if !f.required {
        quote!(#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = #de)])
    } else if optional {
        quote!(#[serde(default, deserialize_with = #de)])
    } else {
        quote!(#[serde(deserialize_with = #de)])
    })
}

/// `#[serde(serialize_with, deserialize_with)]` for a field of an `xs:list` type (one element or
/// attribute, items separated by spaces); none for other fields.
fn xsd_list_attr(ctx: &Ctx<'_>, f: &ir::Field) -> TokenStream {
    if tri_state(f).is_some() {
        return quote!();
    }
    let ir::TypeRef::Named(id) = &f.ty else {
        return quote!();
    };
    if !ctx.api.xsd.lists.contains(id) {
        return quote!();
    }
    let (ser, de) = if is_optional(f) {
        (
            "::sdkwright_runtime::__private::xsd::option_list_text",
            "::sdkwright_runtime::__private::xsd::option_list_items",
        )
    } else {
        (
            "::sdkwright_runtime::__private::xsd::list_text",
            "::sdkwright_runtime::__private::xsd::list_items",
        )
    };
    let (ser, de) = (str_lit(ser), str_lit(de));
    quote!(#[serde(serialize_with = #ser, deserialize_with = #de)])
}

/// `pub static XML_NAMES`: per struct (sorted by Rust name), the XML keys of the fields whose
/// key differs from their serde name, and per element union the namespaced names of its
/// variants' elements, for `rt::SoapMessage::xml_names`.
fn xml_names_item(ctx: &Ctx<'_>) -> TokenStream {
    let mut rows: Vec<(&str, Vec<(String, String)>)> = Vec::new();
    for (idx, def) in ctx.api.types.iter().enumerate() {
        if let Some(types) = ctx.api.xsd.xsi_unions.get(&ir::TypeId(idx as u32)) {
            // `xsi:` marks the variants of a union of derived types: the runtime writes the
            // variant's value with `xsi:type` naming the type.
            let variants: Vec<(String, String)> = types
                .iter()
                .map(|t| {
                    let qn = match t.namespace.as_deref().filter(|ns| !ns.is_empty()) {
                        Some(ns) => format!("xsi:{{{ns}}}{}", t.local),
                        None => format!("xsi:{}", t.local),
                    };
                    (t.local.clone(), qn)
                })
                .collect();
            rows.push((ctx.names.types[idx].as_str(), variants));
            continue;
        }
        if let Some(elements) = ctx.api.xsd.element_unions.get(&ir::TypeId(idx as u32)) {
            let variants: Vec<(String, String)> = elements
                .iter()
                .filter_map(|el| {
                    let ns = el.namespace.as_deref().filter(|ns| !ns.is_empty())?;
                    Some((el.local.clone(), format!("{{{ns}}}{}", el.local)))
                })
                .collect();
            if !variants.is_empty() {
                rows.push((ctx.names.types[idx].as_str(), variants));
            }
            continue;
        }
        let ir::TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let fields: Vec<(String, String)> = s
            .fields
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let key = match soap_special_key(ctx, idx, k, f) {
                    Some(special) => special.to_owned(),
                    None => xml_key(f, s.xml_namespace.as_deref()),
                };
                (f.name.clone(), key)
            })
            .filter(|(k, x)| k != x)
            .collect();
        if !fields.is_empty() {
            rows.push((ctx.names.types[idx].as_str(), fields));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let rows = rows.iter().map(|(ty, fields)| {
        let ty = str_lit(ty.trim_start_matches("r#"));
        let fields = fields.iter().map(|(k, x)| {
            let (k, x) = (str_lit(k), str_lit(x));
            quote!((#k, #x))
        });
        quote!((#ty, &[#(#fields),*]))
    });
    quote! {
        /// The XML names of the models' fields where they differ from their serde names
        /// (namespaces, attributes), read by the runtime when it writes a SOAP envelope.
        #[doc(hidden)]
        pub static XML_NAMES: ::sdkwright_runtime::__private::XmlNames =
            ::sdkwright_runtime::__private::XmlNames::new(&[#(#rows),*]);
    }
}

/// `#[serde(deserialize_with = "…xsd::…")]` for an `xs:date`/`xs:dateTime` field (or a list
/// of them) of a SOAP model, none for other fields.
fn xsd_lexical_attr(f: &ir::Field) -> TokenStream {
    use ir::{Primitive, TypeRef};
    let time = |t: &TypeRef| matches!(t, TypeRef::Primitive(Primitive::Date | Primitive::DateTime));
    if tri_state(f).is_some() || f.boxed {
        return quote!();
    }
    let list = match &f.ty {
        t if time(t) => false,
        TypeRef::List(inner) if time(inner) => true,
        _ => return quote!(),
    };
    let path = match (is_optional(f), list) {
        (false, false) => "::sdkwright_runtime::__private::xsd::value",
        (true, false) => "::sdkwright_runtime::__private::xsd::option",
        (false, true) => "::sdkwright_runtime::__private::xsd::list",
        (true, true) => "::sdkwright_runtime::__private::xsd::option_list",
    };
    let lit = str_lit(path);
    quote!(#[serde(deserialize_with = #lit)])
}

fn struct_item(
    ctx: &Ctx<'_>,
    idx: usize,
    def: &ir::TypeDef,
    s: &ir::StructDef,
    xml: bool,
    json: bool,
) -> Toks {
    if json && s.flatten.is_empty() {
        return json_struct_item(ctx, idx, def, s);
    }
    Toks::from(serde_struct_item(ctx, idx, def, s, xml))
}

/// [`struct_item`] with serde's derives (XML, GraphQL's flattened fragments).
fn serde_struct_item(
    ctx: &Ctx<'_>,
    idx: usize,
    def: &ir::TypeDef,
    s: &ir::StructDef,
    xml: bool,
) -> TokenStream {
    let name = ident(&ctx.names.types[idx]);
    let docs = type_docs(ctx, idx, def);
    let names = &ctx.names.fields[idx];
    let all_optional = s.fields.iter().all(starts_none);
    let derives = serde_derives();
    let default = if all_optional {
        quote!(, Default)
    } else {
        quote!()
    };

    let fields = s.fields.iter().zip(names).enumerate().map(|(k, (f, rust))| {
        let fname = ident(rust);
        let ty = field_type(ctx, f);
        let text = field_text(f);
        let docs = doc_toks_if(Some(&text));
        let docs = if f.deprecated {
            quote!(#docs #[deprecated(note = "deprecated by the API")])
        } else {
            quote!(#docs)
        };
        if s.flatten.contains(&k) {
            return quote! {
                #docs
                #[serde(flatten)]
                pub #fname: #ty,
            };
        }
        let rename = if xml {
            soap_rename_attr(rust, f, soap_special_key(ctx, idx, k, f))
        } else {
            xml_rename_attr(rust, f, s.xml_namespace.as_deref())
        };
        let lexical = if xml {
            let list = xsd_list_attr(ctx, f);
            if list.is_empty() {
                xsd_lexical_attr(f)
            } else {
                list
            }
        } else {
            quote!()
        };
        let value_attrs = if xml { soap_value_attrs(ctx, f) } else { None };
        let skip = if let Some(attrs) = value_attrs {
            attrs
        } else if f.required {
            quote!()
        } else if f.default_applied {
            default_attr(ctx, idx, rust)
        } else if tri_state(f).is_some() {
            quote!(#[serde(default, skip_serializing_if = "::sdkwright_runtime::Nullable::is_absent")])
        } else {
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
        };
        quote! {
            #docs
            #rename
            #lexical
            #skip
            pub #fname: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|ty| {
        let fname = ident(&ctx.names.additional[idx]);
        let ty = ctx.ty(ty, Scope::Types);
        quote! {
            /// Properties not declared in the schema.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<String, #ty>,
        }
    });

    let fields: Vec<TokenStream> = fields.collect();
    let ctor = constructor(ctx, idx, s);
    let defaults = default_fns(ctx, idx, s);
    let ctor = quote!(#ctor #defaults);
    if !s.flatten.is_empty() {
        let de = flattening_deserialize(ctx, idx, s);
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(crate = "::sdkwright_runtime::serde")]
            pub struct #name {
                #(#fields)*
                #additional
            }
            #de
            #ctor
        };
    }
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derives #default)]
        #[serde(crate = "::sdkwright_runtime::serde")]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #ctor
    }
}

/// A struct of a JSON API: plain fields, and its serde impls from the runtime's `json_struct!`
/// (one entry per field: `req`/`opt`, the field, its wire name; `..` the additional-properties
/// map), whose expansion is a fraction of serde's derives (see `sdkwright_runtime`'s `model`
/// module). The JSON is the same: wire names, optional fields left out when absent, unknown
/// keys ignored or kept in the map.
fn json_struct_item(ctx: &Ctx<'_>, idx: usize, def: &ir::TypeDef, s: &ir::StructDef) -> Toks {
    let name = Id(&ctx.names.types[idx]);
    let (docs, dep) = type_docs_toks(ctx, idx, def);
    let names = &ctx.names.fields[idx];
    let default = if s.fields.iter().all(starts_none) {
        toks!(, Default)
    } else {
        toks!()
    };
    // The fields and the macro's entries (comma-separated), each list written in place.
    let mut fields = Toks::scratch();
    let mut entries = Toks::scratch();
    for (k, (f, rust)) in s.fields.iter().zip(names).enumerate() {
        let fname = Id(rust);
        let ty = FieldTy(ctx, f);
        let text = field_text(f);
        let docs = doc_toks_if(Some(&text));
        toks_into!(fields; #docs);
        if f.deprecated {
            toks_into!(fields; #[deprecated(note = "deprecated by the API")]);
        }
        toks_into!(fields; pub #fname: #ty,);
        if k > 0 {
            entries.punct(',', false);
        }
        let wire = Str(&f.name);
        match f.default.as_ref().filter(|_| f.default_applied) {
            Some(value) => {
                let expr = default_expr(ctx, &f.ty, value);
                let expr = if f.boxed {
                    quote!(Box::new(#expr))
                } else {
                    expr
                };
                let expr = applied_value(f, expr);
                toks_into!(entries; def #fname = #wire { #expr });
            }
            None => {
                let kind = Id(if f.required { "req" } else { "opt" });
                toks_into!(entries; #kind #fname = #wire);
            }
        }
    }
    let (additional, rest) = match &s.additional {
        Some(ty) => {
            let fname = Id(&ctx.names.additional[idx]);
            let ty = ctx.ty_of(ty, Scope::Types);
            (
                toks! {
                    /// Properties not declared in the schema.
                    pub #fname: ::std::collections::BTreeMap<String, #ty>,
                },
                toks!(, ..#fname),
            )
        }
        None => (toks!(), toks!()),
    };
    let ctor = Put(|out: &mut Toks| constructor_into(ctx, idx, s, out));
    let mut out = Toks::scratch();
    toks_into! { out;
        #docs #dep
        #[derive(Debug, Clone, PartialEq #default)]
        pub struct #name {
            #fields
            #additional
        }
        ::sdkwright_runtime::__private::json_struct!(#name { #entries #rest });
        #ctor
    }
    fields.recycle();
    entries.recycle();
    out
}

/// `Deserialize` of a struct with flattened fields (GraphQL fragment spreads): the object is
/// read once into a JSON value, then the own fields and each flattened field are read from it
/// in turn. `#[serde(flatten)]` would hand each key to one reader only, and fragments often
/// select the same key (`id`, `__typename`) as each other or as the selection around them.
fn flattening_deserialize(ctx: &Ctx<'_>, idx: usize, s: &ir::StructDef) -> TokenStream {
    let name = ident(&ctx.names.types[idx]);
    let names = &ctx.names.fields[idx];
    let serde = quote!(serde);
    let json = quote!(::sdkwright_runtime::serde_json);
    let mut own_fields = Vec::new();
    let mut inits = Vec::new();
    for (k, (f, rust)) in s.fields.iter().zip(names).enumerate() {
        let fname = ident(rust);
        let ty = field_type(ctx, f);
        if s.flatten.contains(&k) {
            let context = str_lit(&format!("{}: {{}}", f.name));
            inits.push(quote! {
                #fname: <#ty as #serde::Deserialize>::deserialize(&value)
                    .map_err(|e| __D::Error::custom(format_args!(#context, e)))?
            });
            continue;
        }
        let rename = xml_rename_attr(rust, f, s.xml_namespace.as_deref());
        let default = if f.required {
            quote!()
        } else if f.default_applied {
            default_attr(ctx, idx, rust)
        } else {
            quote!(#[serde(default)])
        };
        own_fields.push(quote!(#rename #default #fname: #ty,));
        inits.push(quote!(#fname: own.#fname));
    }
    if let Some(ty) = &s.additional {
        let fname = ident(&ctx.names.additional[idx]);
        let ty = ctx.ty(ty, Scope::Types);
        own_fields
            .push(quote!(#[serde(flatten)] #fname: ::std::collections::BTreeMap<String, #ty>,));
        inits.push(quote!(#fname: own.#fname));
    }
    let own = if own_fields.is_empty() {
        quote!()
    } else {
        quote! {
            #[derive(#serde::Deserialize)]
            #[serde(crate = "::sdkwright_runtime::serde")]
            struct __Own {
                #(#own_fields)*
            }
            let own = <__Own as #serde::Deserialize>::deserialize(&value).map_err(__D::Error::custom)?;
        }
    };
    quote! {
        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<__D: #serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                use #serde::de::Error as _;
                let value = <#json::Value as #serde::Deserialize>::deserialize(deserializer)?;
                #own
                Ok(Self {
                    #(#inits,)*
                })
            }
        }
    }
}

/// `pub fn new(required…) -> Self` when the struct has optional fields.
fn constructor(ctx: &Ctx<'_>, idx: usize, s: &ir::StructDef) -> Toks {
    let mut out = Toks::new();
    constructor_into(ctx, idx, s, &mut out);
    out
}

/// [`constructor`] written into `out`.
fn constructor_into(ctx: &Ctx<'_>, idx: usize, s: &ir::StructDef, out: &mut Toks) {
    let applied = s.fields.iter().any(|f| f.default_applied);
    let fixed: Vec<Option<Toks>> = s
        .fields
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let plain = !is_optional(f) && !f.default_applied && !s.flatten.contains(&k);
            plain
                .then(|| fixed_value(ctx, &f.ty, Scope::Types))
                .flatten()
        })
        .collect();
    let has_fixed = fixed.iter().any(Option::is_some);
    // A struct of required fields only gets a constructor for its one-value fields only when a
    // request reaches it (a received type is not built by callers; no code for nothing).
    let sent = ctx.api.sent.get(idx).copied().unwrap_or(true);
    if !(applied || (has_fixed && sent) || s.fields.iter().any(is_optional)) {
        return;
    }
    let name = Id(&ctx.names.types[idx]);
    if !applied && !has_fixed && s.fields.iter().all(is_optional) && s.flatten.is_empty() {
        // Every field optional: the struct derives `Default` (see `struct_item`).
        let doc = format!(
            " Creates a new `{}` with every field `None`.",
            ctx.names.types[idx]
        );
        let doc = Str(&doc);
        toks_into! { out;
            impl #name {
                #[doc = #doc]
                pub fn new() -> Self {
                    Self::default()
                }
            }
        }
        return;
    }
    let names = &ctx.names.fields[idx];
    // The arguments and the fields' initialisers, each list written in place, comma-separated.
    let mut args = Toks::scratch();
    let mut inits = Toks::scratch();
    let mut n_args = 0;
    for ((f, rust), fixed) in s.fields.iter().zip(names).zip(fixed) {
        let fname = Id(rust);
        if !inits.is_empty() {
            inits.punct(',', false);
        }
        if let Some(value) = fixed {
            // A required property of one allowed value (`const`, a one-value `enum`): filled
            // in, not asked for.
            if f.boxed {
                toks_into!(inits; #fname: Box::new(#value));
            } else {
                toks_into!(inits; #fname: #value);
            }
            continue;
        }
        if let Some(value) = f.default.as_ref().filter(|_| f.default_applied) {
            let expr = default_expr(ctx, &f.ty, value);
            let expr = if f.boxed {
                quote!(Box::new(#expr))
            } else {
                expr
            };
            let expr = applied_value(f, expr);
            toks_into!(inits; #fname: #expr);
            continue;
        }
        if tri_state(f).is_some() {
            toks_into!(inits; #fname: ::sdkwright_runtime::Nullable::Absent);
            continue;
        }
        if is_optional(f) {
            toks_into!(inits; #fname: None);
            continue;
        }
        let string = ctx.is_string(&f.ty) && !f.boxed;
        if n_args > 0 {
            args.punct(',', false);
        }
        n_args += 1;
        if string {
            toks_into!(args; #fname: impl Into<String>);
        } else {
            let ty = ctx.ty_of(&f.ty, Scope::Types);
            toks_into!(args; #fname: #ty);
        }
        match (string, f.boxed) {
            (true, _) => toks_into!(inits; #fname: #fname.into()),
            (false, true) => toks_into!(inits; #fname: Box::new(#fname)),
            (false, false) => toks_into!(inits; #fname),
        }
    }
    if s.additional.is_some() {
        let fname = Id(&ctx.names.additional[idx]);
        if !inits.is_empty() {
            inits.punct(',', false);
        }
        toks_into!(inits; #fname: ::std::collections::BTreeMap::new());
    }
    let allow = if n_args > 7 {
        toks!(#[allow(clippy::too_many_arguments)])
    } else {
        toks!()
    };
    let doc = format!(
        " Creates a new `{}` from its required fields; optional fields start as `None`{}{}.",
        ctx.names.types[idx],
        if applied {
            ", fields with a default at their default"
        } else {
            ""
        },
        if has_fixed {
            ", fields of one allowed value (`const`) at that value"
        } else {
            ""
        }
    );
    let doc = Str(&doc);
    toks_into! { out;
        impl #name {
            #[doc = #doc]
            #allow
            pub fn new(#args) -> Self {
                Self { #inits }
            }
        }
    }
    // No argument: `Default` is `new()` (a derived one would not start at the defaults).
    if n_args == 0 {
        toks_into! { out;
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    }
    args.recycle();
    inits.recycle();
}

fn enum_item(ctx: &Ctx<'_>, idx: usize, def: &ir::TypeDef, e: &ir::EnumDef) -> Toks {
    if e.kind != ir::EnumKind::String {
        return value_enum_item(ctx, idx, def, e);
    }
    let name = Id(&ctx.names.types[idx]);
    let (docs, dep) = type_docs_toks(ctx, idx, def);
    let variants: Vec<_> = ctx.names.variants[idx].iter().map(|v| Id(v)).collect();
    let wires: Vec<_> = e.values.iter().map(|v| Str(&v.wire)).collect();
    let variant_docs = e.values.iter().map(|v| doc_toks_if(v.docs.as_deref()));
    // The impls (`as_str`, `Display`, `From<&str>`, serde) come from the runtime's macro, which
    // reads `VALUES`: one shared, table-driven implementation instead of two matches over every
    // value per enum (most of a large crate's lines and much of its compile time).
    toks! {
        #docs #dep
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this client does not know (sent by a newer server).
            Unknown(String),
        }

        impl #name {
            /// The known values and their wire strings.
            pub const VALUES: &[(&str, Self)] = &[#( (#wires, Self::#variants), )*];
        }

        ::sdkwright_runtime::__private::string_enum!(#name);
    }
}

/// An enum of integers, numbers or booleans: like a string enum (an `Unknown` fallback keeps
/// values a newer server sends), with `value()` in place of `as_str()`.
fn value_enum_item(ctx: &Ctx<'_>, idx: usize, def: &ir::TypeDef, e: &ir::EnumDef) -> Toks {
    let name = Id(&ctx.names.types[idx]);
    let (docs, dep) = type_docs_toks(ctx, idx, def);
    let (prim, derives, serialize) = match e.kind {
        ir::EnumKind::Integer => (Id("i64"), toks!(Eq, Hash,), Id("serialize_i64")),
        ir::EnumKind::Number => (Id("f64"), toks!(), Id("serialize_f64")),
        _ => (Id("bool"), toks!(Eq, Hash,), Id("serialize_bool")),
    };
    let mut variants = Toks::new();
    let mut to_value = Toks::new();
    let mut from_value = Toks::new();
    let mut n = 0;
    for (v, rust) in e.values.iter().zip(&ctx.names.variants[idx]) {
        let lit = match e.kind {
            // As `quote!` writes an `i64` (suffixed).
            ir::EnumKind::Integer => match v.wire.parse::<i64>() {
                Ok(i) => {
                    let i = Literal::i64_suffixed(i);
                    toks!(#i)
                }
                Err(_) => continue,
            },
            ir::EnumKind::Number => match v.wire.parse::<f64>() {
                Ok(f) if f.is_finite() => {
                    let f = Literal::f64_suffixed(f);
                    toks!(#f)
                }
                _ => continue,
            },
            _ => match v.wire.as_str() {
                "true" => toks!(true),
                "false" => toks!(false),
                _ => continue,
            },
        };
        let vname = Id(rust);
        let vdoc = doc_toks_if(v.docs.as_deref());
        toks_into!(variants; #vdoc #vname,);
        toks_into!(to_value; #name::#vname => #lit,);
        // Float literals are patterns too (never NaN here: JSON has none).
        toks_into!(from_value; #lit => #name::#vname,);
        n += 1;
    }
    // `true` and `false` both listed leave `Unknown` unreachable from `from`.
    let allow =
        (e.kind == ir::EnumKind::Boolean && n == 2).then(|| toks!(#[allow(unreachable_patterns)]));
    let unknown_doc = Str(match e.kind {
        ir::EnumKind::Boolean => " The other value (one the document does not list).",
        _ => " A value this client does not know (sent by a newer server).",
    });
    toks! {
        #docs #dep
        #[derive(Debug, Clone, Copy, PartialEq, #derives)]
        #[non_exhaustive]
        pub enum #name {
            #variants
            #[doc = #unknown_doc]
            Unknown(#prim),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> #prim {
                match self {
                    #to_value
                    #name::Unknown(value) => *value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl From<#prim> for #name {
            #allow
            fn from(value: #prim) -> Self {
                match value {
                    #from_value
                    other => #name::Unknown(other),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <#prim as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    }
}

/// True when every alternative is a struct that declares the discriminator as a field (the
/// usual OpenAPI shape). `#[serde(tag)]` would then consume the tag on the way in and write it
/// twice on the way out, so such unions serialize by setting the tag on the member's output and
/// deserialize by peeking at the tag.
fn members_carry_tag(ctx: &Ctx<'_>, u: &ir::UnionDef, prop: &str) -> bool {
    // The fallback variant (last) is not dispatched on.
    let tagged = u.variants.len() - usize::from(u.fallback);
    tagged > 0
        && u.variants[..tagged].iter().all(|v| match &v.ty {
            ir::TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
                ir::TypeKind::Struct(s) => s.fields.iter().any(|f| f.name == prop),
                _ => false,
            },
            _ => false,
        })
}

/// The function that makes variant `path` from a decoded payload (`Box::new` first when the
/// variant is boxed).
fn variant_ctor(v: &ir::UnionVariant, path: TokenStream) -> TokenStream {
    if v.boxed {
        quote!(|value| #path(Box::new(value)))
    } else {
        path
    }
}

/// `Serialize` that writes each member and then sets the tag property to the variant's tag, so a
/// member whose own tag field says otherwise cannot send a contradicting tag. The fallback
/// variant is written as it is.
fn tag_writing_serialize(ctx: &Ctx<'_>, idx: usize, u: &ir::UnionDef, prop: &str) -> TokenStream {
    let name = ident(&ctx.names.types[idx]);
    let serde = quote!(serde);
    let json = quote!(::sdkwright_runtime::serde_json);
    let prop_lit = str_lit(prop);
    let tagged = u.variants.len() - usize::from(u.fallback);
    let arms = u
        .variants
        .iter()
        .zip(&ctx.names.variants[idx])
        .enumerate()
        .map(|(i, (v, rust))| {
            let vname = ident(rust);
            if i >= tagged {
                return quote!(#name::#vname(value) => return #serde::Serialize::serialize(value, serializer),);
            }
            let tag = str_lit(v.tag.as_deref().unwrap_or(&v.name));
            quote!(#name::#vname(value) => (#tag, #json::to_value(value)),)
        });
    quote! {
        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use #serde::ser::Error as _;
                let (tag, value) = match self {
                    #(#arms)*
                };
                let mut value = value.map_err(S::Error::custom)?;
                if let Some(object) = value.as_object_mut() {
                    object.insert(#prop_lit.to_owned(), #json::Value::String(tag.to_owned()));
                }
                #serde::Serialize::serialize(&value, serializer)
            }
        }
    }
}

/// `Deserialize` that dispatches on the tag without removing it from the object.
fn peeking_deserialize(ctx: &Ctx<'_>, idx: usize, u: &ir::UnionDef, prop: &str) -> TokenStream {
    let name = ident(&ctx.names.types[idx]);
    let serde = quote!(serde);
    let json = quote!(::sdkwright_runtime::serde_json);
    let prop_lit = str_lit(prop);
    let tagged = u.variants.len() - usize::from(u.fallback);
    // Members that share a tag value (OpenAI's input and output `message` items) are tried in
    // the document's order under one arm: the first that deserializes wins.
    let mut groups: Vec<(&str, Vec<TokenStream>)> = Vec::new();
    for (v, rust) in u.variants.iter().zip(&ctx.names.variants[idx]).take(tagged) {
        let vname = ident(rust);
        let tag = v.tag.as_deref().unwrap_or(&v.name);
        let wrap = variant_ctor(v, quote!(#name::#vname));
        match groups.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, wraps)) => wraps.push(wrap),
            None => groups.push((tag, vec![wrap])),
        }
    }
    let arms = groups.iter().map(|(tag, wraps)| {
        let tag = str_lit(tag);
        // Every member but the last is tried on a copy; the last takes the value.
        let (last, copies) = match wraps.split_last() {
            Some((last, copies)) => (quote!(#json::from_value(value).map(#last)), copies),
            None => (quote!(Err(#serde::de::Error::custom("no member"))), &[][..]),
        };
        let expr = copies.iter().rev().fold(
            last,
            |inner, w| quote!(#json::from_value(value.clone()).map(#w).or_else(|_| #inner)),
        );
        quote!(Some(#tag) => #expr,)
    });
    let unknown = str_lit(&format!(
        "unknown `{}` value: {{:?}}",
        prop.replace('{', "{{").replace('}', "}}")
    ));
    let other = match ctx.names.variants[idx].get(tagged).filter(|_| u.fallback) {
        Some(rust) => {
            let vname = ident(rust);
            let wrap = match u.variants.last() {
                Some(v) => variant_ctor(v, quote!(Self::#vname)),
                None => quote!(Self::#vname),
            };
            quote!(Some(_) => #json::from_value(value).map(#wrap),)
        }
        None => quote!(Some(other) => return Err(D::Error::custom(format!(#unknown, other))),),
    };
    quote! {
        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use #serde::de::Error as _;
                let value = <#json::Value as #serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#prop_lit).and_then(#json::Value::as_str).map(str::to_string);
                let result = match tag.as_deref() {
                    #(#arms)*
                    #other
                    None => return Err(D::Error::missing_field(#prop_lit)),
                };
                result.map_err(D::Error::custom)
            }
        }
    }
}

fn union_item(ctx: &Ctx<'_>, idx: usize, def: &ir::TypeDef, u: &ir::UnionDef, json: bool) -> Toks {
    if ctx.api.xsd.xsi_unions.contains_key(&ir::TypeId(idx as u32)) {
        return Toks::from(xsi_union_item(ctx, idx, def, u));
    }
    if ctx
        .api
        .xsd
        .element_unions
        .contains_key(&ir::TypeId(idx as u32))
    {
        // XML elements: externally tagged by the element's local name (`{"Folder": {…}}` in
        // JSON); the runtime reads and writes the tag as the element.
        let name = ident(&ctx.names.types[idx]);
        let docs = type_docs(ctx, idx, def);
        let derives = serde_derives();
        let variants = union_variants(ctx, idx, u, true);
        return Toks::from(quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #derives)]
            #[serde(crate = "::sdkwright_runtime::serde")]
            pub enum #name {
                #variants
            }
        });
    }
    if let Some(prop) = u
        .discriminator
        .as_deref()
        .filter(|p| members_carry_tag(ctx, u, p))
    {
        let name = ident(&ctx.names.types[idx]);
        let docs = type_docs(ctx, idx, def);
        let variants = union_variants(ctx, idx, u, false);
        let ser = tag_writing_serialize(ctx, idx, u, prop);
        let de = peeking_deserialize(ctx, idx, u, prop);
        let common = common_accessors(ctx, idx, u);
        return Toks::from(quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #variants
            }
            #ser
            #de
            #common
        });
    }
    if json && u.discriminator.is_none() {
        // Untagged: serde's derive writes it (a match), the runtime's `json_union!` reads it
        // (buffered once, members tried in order), instead of serde's per-union expansion.
        let name = Id(&ctx.names.types[idx]);
        let (docs, dep) = type_docs_toks(ctx, idx, def);
        let variants = union_variants(ctx, idx, u, false);
        let vnames = ctx.names.variants[idx].iter().map(|v| Id(v));
        return toks! {
            #docs #dep
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(crate = "::sdkwright_runtime::serde", untagged)]
            pub enum #name {
                #variants
            }
            ::sdkwright_runtime::__private::json_union!(#name { #(#vnames),* });
        };
    }
    let name = ident(&ctx.names.types[idx]);
    let docs = type_docs(ctx, idx, def);
    let derives = serde_derives();
    let tagging = match &u.discriminator {
        Some(prop) => {
            let lit = str_lit(prop);
            quote!(#[serde(tag = #lit)])
        }
        None => quote!(#[serde(untagged)]),
    };
    let variants = union_variants(ctx, idx, u, u.discriminator.is_some());
    Toks::from(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derives)]
        #[serde(crate = "::sdkwright_runtime::serde")]
        #tagging
        pub enum #name {
            #variants
        }
    })
}

/// A union of the types derived from an abstract XSD type (a SOAP model): serialized
/// externally tagged by the type's name (the runtime turns the tag into `xsi:type` through
/// `XML_NAMES`), read by `rt::xsd::xsi_typed` from the element's `xsi:type` (or JSON's tag).
fn xsi_union_item(ctx: &Ctx<'_>, idx: usize, def: &ir::TypeDef, u: &ir::UnionDef) -> TokenStream {
    let name = ident(&ctx.names.types[idx]);
    let docs = type_docs(ctx, idx, def);
    let variants = union_variants(ctx, idx, u, true);
    let serde = quote!(::sdkwright_runtime::serde);
    // Every key quick-xml may meet in the element, so that it reads the variant's fields.
    let mut fields: Vec<String> = vec!["@type".into()];
    for v in &u.variants {
        let ir::TypeRef::Named(id) = &v.ty else {
            continue;
        };
        let vi = id.0 as usize;
        let ir::TypeKind::Struct(s) = &ctx.api.types[vi].kind else {
            continue;
        };
        for (k, f) in s.fields.iter().enumerate() {
            fields.push(f.name.clone());
            if f.xml_attribute {
                fields.push(format!("@{}", f.name));
            }
            if let Some(special) = soap_special_key(ctx, vi, k, f) {
                fields.push(special.to_owned());
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    fields.retain(|f| seen.insert(f.clone()));
    let mut rest_arms = Vec::new();
    let mut tagged_arms = Vec::new();
    for (v, rust) in u.variants.iter().zip(&ctx.names.variants[idx]) {
        let vname = ident(rust);
        let tag = str_lit(v.tag.as_deref().unwrap_or(&v.name));
        let ty = ctx.ty(&v.ty, Scope::Types);
        let wrap = if v.boxed {
            quote!(|v| Self::#vname(Box::new(v)))
        } else {
            quote!(Self::#vname)
        };
        rest_arms.push(quote! {
            #tag => <#ty as #serde::Deserialize>::deserialize(
                #serde::de::value::MapAccessDeserializer::new(rest),
            ).map(#wrap),
        });
        tagged_arms.push(quote! {
            #tag => map.next_value::<#ty>().map(#wrap),
        });
    }
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #serde::Serialize)]
        #[serde(crate = "::sdkwright_runtime::serde")]
        pub enum #name {
            #variants
        }

        impl ::sdkwright_runtime::__private::xsd::XsiTyped for #name {
            const FIELDS: &'static [&'static str] = &[#(#fields),*];
            fn from_rest<'de, M: #serde::de::MapAccess<'de>>(
                ty: &str,
                rest: M,
            ) -> Result<Self, M::Error> {
                match ty {
                    #(#rest_arms)*
                    other => Err(<M::Error as #serde::de::Error>::custom(
                        format_args!("unknown xsi:type `{other}`"),
                    )),
                }
            }
            fn from_tagged<'de, M: #serde::de::MapAccess<'de>>(
                ty: &str,
                map: &mut M,
            ) -> Result<Self, M::Error> {
                match ty {
                    #(#tagged_arms)*
                    other => Err(<M::Error as #serde::de::Error>::custom(
                        format_args!("unknown type `{other}`"),
                    )),
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::sdkwright_runtime::__private::xsd::xsi_typed(deserializer)
            }
        }
    }
}

/// For a union with a fallback variant (a GraphQL union or interface): one accessor per field
/// that every variant's struct has with the same type (the fields selected on the interface
/// itself), so common fields are read without a `match`.
fn common_accessors(ctx: &Ctx<'_>, idx: usize, u: &ir::UnionDef) -> TokenStream {
    if !u.fallback {
        return quote!();
    }
    let structs: Option<Vec<(usize, &ir::StructDef)>> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            ir::TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
                ir::TypeKind::Struct(s) => Some((id.0 as usize, s)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let Some(structs) = structs else {
        return quote!();
    };
    let Some(&(fallback_idx, fallback)) = structs.last() else {
        return quote!();
    };
    let same = |a: &ir::Field, b: &ir::Field| {
        a.name == b.name
            && a.ty == b.ty
            && a.required == b.required
            && a.nullable == b.nullable
            && a.boxed == b.boxed
            && a.default_applied == b.default_applied
    };
    let mut methods = Vec::new();
    for (k, f) in fallback.fields.iter().enumerate() {
        // Per variant: the Rust name of this field in that variant's struct.
        let per_variant: Option<Vec<&String>> = structs
            .iter()
            .map(|&(sidx, s)| {
                let pos = s.fields.iter().position(|g| same(f, g))?;
                ctx.names.fields[sidx].get(pos)
            })
            .collect();
        let Some(per_variant) = per_variant else {
            continue;
        };
        let method = ident(&ctx.names.fields[fallback_idx][k]);
        let ty = field_type(ctx, f);
        let arms = ctx.names.variants[idx]
            .iter()
            .zip(&per_variant)
            .map(|(v, fname)| {
                let v = ident(v);
                let fname = ident(fname);
                quote!(Self::#v(value) => &value.#fname,)
            });
        let doc = str_lit(&format!(" The `{}` field, whichever the variant.", f.name));
        methods.push(quote! {
            #[doc = #doc]
            pub fn #method(&self) -> &#ty {
                match self {
                    #(#arms)*
                }
            }
        });
    }
    if methods.is_empty() {
        return quote!();
    }
    let name = ident(&ctx.names.types[idx]);
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// The variants of a union enum, one newtype variant per member; with `tagged`, each is renamed
/// to its discriminator value (`#[serde(tag)]` reads and writes it).
fn union_variants(ctx: &Ctx<'_>, idx: usize, u: &ir::UnionDef, tagged: bool) -> Toks {
    let mut out = Toks::new();
    for (v, rust) in u.variants.iter().zip(&ctx.names.variants[idx]) {
        let vname = Id(rust);
        let ty = ctx.ty_of(&v.ty, Scope::Types);
        let docs = doc_toks_if(v.docs.as_deref());
        toks_into!(out; #docs);
        let fallback = u.fallback && std::ptr::eq(v, u.variants.last().unwrap_or(v));
        if tagged && fallback {
            // Tried when no tag matches (serde's untagged variants of a tagged enum).
            toks_into!(out; #[serde(untagged)]);
        } else if tagged {
            rename_attr_into(rust, v.tag.as_deref().unwrap_or(&v.name), &mut out);
        }
        if v.boxed {
            toks_into!(out; #vname(Box<#ty>),);
        } else {
            toks_into!(out; #vname(#ty),);
        }
    }
    out
}
