//! Keeps generated types small by boxing struct fields and union alternatives.
//!
//! Without this pass only cycles are boxed, and a type holds every type it names by value: a
//! Stripe `PaymentIntent` was 890 KB, and a program calling one Stripe operation overflowed the
//! 2 MiB stack of a thread before sending anything. This pass estimates the size each generated
//! type will have (the layout rules of rustc on a 64-bit target, approximated from above: see
//! [`Layout`]) bottom-up over the by-value containment graph, which `cycles` has made acyclic,
//! and then:
//!
//! - boxes every union alternative whose payload is larger than [`MAX_INLINE_VARIANT`] bytes (a
//!   union is as large as its largest alternative, and clippy's `large_enum_variant` asks for
//!   the same), so `oneOf: [string, Customer]` (Stripe's expandable fields, plus the fallback
//!   `Unknown(serde_json::Value)`, 80 bytes) stays 32 bytes;
//! - in a struct larger than [`MAX_TYPE_SIZE`] bytes, boxes fields of struct or union type or
//!   of type `serde_json::Value` (required or optional, through `Option`/`Nullable`), largest
//!   type first (ties in document order), every field of that type in the struct alike, until
//!   the struct fits or no such field is left.
//!
//! A struct made only of many scalar and string fields can stay above the bound (each `String`
//! is 24 bytes): it is left so, since boxing strings would cost every user an indirection for
//! little; the `size_of` test over the generated examples and `scripts/type-sizes.sh` report
//! the largest types. The pass is linear in the IR (one iterative post-order walk, no
//! recursion), and its result depends only on the IR, so output stays deterministic.

use std::collections::HashMap;

use crate::ir;

/// The size (bytes) above which a struct gets fields boxed.
pub(crate) const MAX_TYPE_SIZE: u64 = 256;

/// The payload size (bytes) above which a union alternative is boxed.
pub(crate) const MAX_INLINE_VARIANT: u64 = 64;

/// An estimate of a Rust type's layout on a 64-bit target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Size in bytes (a multiple of `align`).
    pub(crate) size: u64,
    /// Alignment in bytes.
    pub(crate) align: u64,
    /// How many invalid bit patterns (at most [`MANY`]) rustc can use to store the
    /// discriminant of an enum around it for free: one in a `Box` (null) or chrono's dates
    /// (a `NonZeroI32`), many in a `String`/`Vec` (capacities over `isize::MAX`), a `bool` or an
    /// enum's tag, none in integers and floats.
    pub(crate) niche: u8,
}

/// "Many" spare bit patterns: more than any wrapper here needs.
const MANY: u8 = u8::MAX;

impl Layout {
    const fn new(size: u64, align: u64, niche: u8) -> Self {
        Layout { size, align, niche }
    }
    const POINTER: Layout = Layout::new(8, 8, 1);
    const VEC: Layout = Layout::new(24, 8, MANY);

    /// `Option<Self>` (also [`ir::TypeRef::Nullable`]): one more state.
    fn optional(self) -> Layout {
        self.with_states(1)
    }

    /// The runtime's `Nullable<Self>`: two more states (`Absent`, `Null`).
    fn tri_state(self) -> Layout {
        self.with_states(2)
    }

    /// An enum of `Self` and `extra` unit variants: free when the niche has room, else a tag
    /// (padded to the alignment) with room to spare.
    fn with_states(self, extra: u8) -> Layout {
        if self.niche >= extra {
            Layout::new(self.size, self.align, self.niche - extra)
        } else {
            Layout::new(round_up(self.size + 1, self.align), self.align, MANY)
        }
    }
}

fn round_up(size: u64, align: u64) -> u64 {
    size.div_ceil(align.max(1)) * align.max(1)
}

/// `serde_json::Value` with `preserve_order` (an `IndexMap` object): 80 bytes.
const JSON_VALUE: Layout = Layout::new(80, 8, MANY);

fn primitive(p: ir::Primitive) -> Layout {
    match p {
        ir::Primitive::String | ir::Primitive::Base64 | ir::Primitive::Binary => Layout::VEC,
        ir::Primitive::Bool => Layout::new(1, 1, MANY),
        ir::Primitive::I32 | ir::Primitive::F32 => Layout::new(4, 4, 0),
        ir::Primitive::I64 | ir::Primitive::F64 => Layout::new(8, 8, 0),
        // chrono's `DateTime<Utc>` (a `NaiveDateTime`: date and time, 12 bytes) and `NaiveDate`.
        ir::Primitive::DateTime => Layout::new(12, 4, 1),
        ir::Primitive::Date => Layout::new(4, 4, 1),
        ir::Primitive::Uuid => Layout::new(16, 1, 0),
        // `FilePart`: `bytes::Bytes` (4 words) and two `Option<String>`.
        ir::Primitive::File => Layout::new(80, 8, MANY),
    }
}

/// The layout of a type expression, given the layouts of the named types computed so far
/// (`None`: not yet known, or on a cycle the `cycles` pass could not break: counted as a
/// pointer, which only matters for a type that is an error already).
fn type_ref(ty: &ir::TypeRef, named: &[Option<Layout>]) -> Layout {
    match ty {
        ir::TypeRef::Primitive(p) => primitive(*p),
        ir::TypeRef::Named(id) => named
            .get(id.0 as usize)
            .copied()
            .flatten()
            .unwrap_or(Layout::POINTER),
        ir::TypeRef::List(_) | ir::TypeRef::Map(_) => Layout::VEC,
        ir::TypeRef::Any => JSON_VALUE,
        ir::TypeRef::Nullable(inner) => type_ref(inner, named).optional(),
        // A type named by option (`--scalar`): assume a string-sized value.
        ir::TypeRef::External(_) => Layout::VEC,
    }
}

/// The layout of a field as generated (`Option`, `Nullable`, `Box`).
fn field(f: &ir::Field, named: &[Option<Layout>]) -> Layout {
    // A field both optional and `Nullable` is the runtime's `Nullable<T>` around the inner type.
    let (ty, tri_state) = match &f.ty {
        ir::TypeRef::Nullable(inner) if !f.required => (inner.as_ref(), true),
        ty => (ty, false),
    };
    let value = if f.boxed {
        Layout::POINTER
    } else {
        type_ref(ty, named)
    };
    if tri_state {
        value.tri_state()
    } else if !f.required || f.nullable {
        value.optional()
    } else {
        value
    }
}

/// Adds field layouts as rustc lays out a struct (it reorders fields, so padding is at most
/// the rounding of the total).
fn record(fields: impl Iterator<Item = Layout>) -> Layout {
    let (mut size, mut align, mut niche) = (0, 1, 0);
    for f in fields {
        size += f.size;
        align = align.max(f.align);
        niche = niche.max(f.niche);
    }
    Layout::new(round_up(size, align), align, niche)
}

/// Layout of a struct with its current boxing.
fn struct_layout(s: &ir::StructDef, named: &[Option<Layout>]) -> Layout {
    let extra = s.additional.as_ref().map(|_| Layout::VEC);
    record(s.fields.iter().map(|f| field(f, named)).chain(extra))
}

/// Layout of a union with its current boxing: the largest alternative plus a tag.
fn union_layout(u: &ir::UnionDef, named: &[Option<Layout>]) -> Layout {
    let (mut size, mut align) = (0, 1);
    for v in &u.variants {
        let l = if v.boxed {
            Layout::POINTER
        } else {
            type_ref(&v.ty, named)
        };
        size = size.max(l.size);
        align = align.max(l.align);
    }
    Layout::new(round_up(size + align, align), align, MANY)
}

/// The named type a field or alternative holds by value, if any.
fn by_value(ty: &ir::TypeRef) -> Option<usize> {
    match ty {
        ir::TypeRef::Named(id) => Some(id.0 as usize),
        ir::TypeRef::Nullable(inner) => by_value(inner),
        _ => None,
    }
}

/// `serde_json::Value` (80 bytes), possibly nullable.
fn is_any(ty: &ir::TypeRef) -> bool {
    match ty {
        ir::TypeRef::Any => true,
        ir::TypeRef::Nullable(inner) => is_any(inner),
        _ => false,
    }
}

/// True when boxing a field of this type is worth it: a struct or a union, directly or through
/// aliases (enums are a string at most, and a `Box<String>` would only add an indirection).
fn boxable(api: &ir::Api, mut id: usize) -> bool {
    for _ in 0..api.types.len() {
        match &api.types[id].kind {
            ir::TypeKind::Struct(_) | ir::TypeKind::Union(_) => return true,
            ir::TypeKind::Enum(_) => return false,
            ir::TypeKind::Alias(ty) => match by_value(ty) {
                Some(next) if next < api.types.len() => id = next,
                _ => return false,
            },
        }
    }
    false
}

/// Boxes fields and alternatives so that types stay small (see the module docs). Run after
/// `cycles::box_cycles`. Returns the estimated layout of every type, in `TypeId` order.
pub(crate) fn box_large(api: &mut ir::Api) -> Vec<Layout> {
    walk(api, true)
}

/// The estimated layout of every type with the boxing it has (no boxing added).
#[cfg(test)]
pub(crate) fn estimate(api: &mut ir::Api) -> Vec<Layout> {
    walk(api, false)
}

fn walk(api: &mut ir::Api, boxing: bool) -> Vec<Layout> {
    let n = api.types.len();
    let mut named: Vec<Option<Layout>> = vec![None; n];
    let children = |def: &ir::TypeDef| -> Vec<usize> {
        let mut out: Vec<usize> = match &def.kind {
            ir::TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| !f.boxed)
                .filter_map(|f| by_value(&f.ty))
                .collect(),
            ir::TypeKind::Union(u) => u.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
            ir::TypeKind::Alias(ty) => by_value(ty).into_iter().collect(),
            ir::TypeKind::Enum(_) => Vec::new(),
        };
        out.retain(|&c| c < n);
        out
    };
    // 0: new, 1: on the stack, 2: done.
    let mut state = vec![0u8; n];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack = vec![(root, children(&api.types[root]), 0usize)];
        while let Some((node, kids, next)) = stack.last_mut() {
            if let Some(&kid) = kids.get(*next) {
                *next += 1;
                if state[kid] == 0 {
                    state[kid] = 1;
                    let grandkids = children(&api.types[kid]);
                    stack.push((kid, grandkids, 0));
                }
                continue;
            }
            let node = *node;
            stack.pop();
            state[node] = 2;
            named[node] = Some(if boxing {
                settle(api, node, &named)
            } else {
                layout(&api.types[node], &named)
            });
        }
    }
    named
        .into_iter()
        .map(|l| l.unwrap_or(Layout::POINTER))
        .collect()
}

/// The layout of a type as it is boxed now.
fn layout(def: &ir::TypeDef, named: &[Option<Layout>]) -> Layout {
    match &def.kind {
        ir::TypeKind::Struct(s) => struct_layout(s, named),
        ir::TypeKind::Union(u) => union_layout(u, named),
        ir::TypeKind::Alias(ty) => type_ref(ty, named),
        ir::TypeKind::Enum(e) => enum_layout(e),
    }
}

fn enum_layout(e: &ir::EnumDef) -> Layout {
    // An `Unknown(String)` fallback (or the `String` of an enum too large), or a primitive
    // fallback and a tag.
    match e.kind {
        ir::EnumKind::String => Layout::VEC,
        ir::EnumKind::Integer | ir::EnumKind::Number => Layout::new(16, 8, MANY),
        ir::EnumKind::Boolean => Layout::new(2, 1, MANY),
    }
}

/// Boxes what type `idx` needs boxed, its by-value children being settled, and returns its
/// layout.
fn settle(api: &mut ir::Api, idx: usize, named: &[Option<Layout>]) -> Layout {
    // Fields to box, grouped by the type they hold (`None`: a JSON value), so that every field
    // of one type in one struct is boxed alike; largest type first, ties in document order.
    let groups: Vec<Vec<usize>> = match &api.types[idx].kind {
        ir::TypeKind::Struct(s) if struct_layout(s, named).size > MAX_TYPE_SIZE => {
            let mut by_type: HashMap<Option<usize>, (u64, usize, Vec<usize>)> = HashMap::new();
            for (i, f) in s.fields.iter().enumerate().filter(|(_, f)| !f.boxed) {
                let (key, size) = if is_any(&f.ty) {
                    (None, JSON_VALUE.size)
                } else {
                    let Some(to) = by_value(&f.ty) else { continue };
                    let Some(size) = named.get(to).copied().flatten().map(|l| l.size) else {
                        continue;
                    };
                    if !boxable(api, to) || size <= Layout::POINTER.size {
                        continue;
                    }
                    (Some(to), size)
                };
                by_type
                    .entry(key)
                    .or_insert((size, i, Vec::new()))
                    .2
                    .push(i);
            }
            let mut groups: Vec<(u64, usize, Vec<usize>)> = by_type.into_values().collect();
            groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            groups.into_iter().map(|g| g.2).collect()
        }
        _ => Vec::new(),
    };
    match &mut api.types[idx].kind {
        ir::TypeKind::Struct(s) => {
            // The unrounded sum of the field sizes, kept up to date as fields are boxed (one
            // pass, whatever the number of fields).
            let mut sum: u64 = s.fields.iter().map(|f| field(f, named).size).sum::<u64>()
                + s.additional.as_ref().map_or(0, |_| Layout::VEC.size);
            for group in groups {
                if sum <= MAX_TYPE_SIZE {
                    break;
                }
                for i in group {
                    let before = field(&s.fields[i], named).size;
                    s.fields[i].boxed = true;
                    sum = sum - before + field(&s.fields[i], named).size;
                }
            }
            struct_layout(s, named)
        }
        ir::TypeKind::Union(u) => {
            for v in &mut u.variants {
                if !v.boxed && type_ref(&v.ty, named).size > MAX_INLINE_VARIANT {
                    v.boxed = true;
                }
            }
            union_layout(u, named)
        }
        ir::TypeKind::Alias(ty) => type_ref(ty, named),
        ir::TypeKind::Enum(e) => enum_layout(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::strukt;
    use crate::ir::*;

    fn string() -> TypeRef {
        TypeRef::Primitive(Primitive::String)
    }

    fn boxed_fields(api: &Api, id: usize) -> Vec<String> {
        match &api.types[id].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.boxed)
                .map(|f| f.name.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn small_types_are_left_alone() {
        let mut api = Api::default();
        api.add_type(strukt(
            "Address",
            vec![
                Field::new("city", string(), false),
                Field::new("zip", string(), true),
            ],
        ));
        api.add_type(strukt(
            "Customer",
            vec![Field::new("address", TypeRef::Named(TypeId(0)), false)],
        ));
        let layouts = box_large(&mut api);
        assert_eq!(layouts[0].size, 48);
        assert_eq!(layouts[1].size, 48);
        assert!(boxed_fields(&api, 1).is_empty());
    }

    #[test]
    fn large_fields_are_boxed_largest_first_until_the_struct_fits() {
        let mut api = Api::default();
        // Big: 10 strings, 240 bytes; Medium: 5 strings, 120 bytes.
        api.add_type(strukt(
            "Big",
            (0..10)
                .map(|i| Field::new(format!("s{i}"), string(), true))
                .collect(),
        ));
        api.add_type(strukt(
            "Medium",
            (0..5)
                .map(|i| Field::new(format!("s{i}"), string(), true))
                .collect(),
        ));
        api.add_type(strukt(
            "Holder",
            vec![
                Field::new("medium", TypeRef::Named(TypeId(1)), false),
                Field::new("big", TypeRef::Named(TypeId(0)), false),
                Field::new("id", string(), true),
            ],
        ));
        let layouts = box_large(&mut api);
        // 120 + 240 + 24 = 384 > 256: boxing `big` gives 120 + 8 + 24 = 152.
        assert_eq!(boxed_fields(&api, 2), ["big"]);
        assert_eq!(layouts[2].size, 152);
    }

    #[test]
    fn option_and_nullable_use_niches_as_rustc_does() {
        // Sizes rustc gives these (64-bit): the estimate must match.
        assert_eq!(Layout::VEC.optional().size, 24); // Option<String>
        assert_eq!(Layout::VEC.tri_state().size, 24); // Nullable<String>
        assert_eq!(Layout::POINTER.optional().size, 8); // Option<Box<T>>
        assert_eq!(Layout::POINTER.tri_state().size, 16); // Nullable<Box<T>>: one niche
        assert_eq!(primitive(Primitive::I64).optional().size, 16); // Option<i64>
        assert_eq!(primitive(Primitive::Bool).tri_state().size, 1); // Nullable<bool>
        assert_eq!(primitive(Primitive::Uuid).optional().size, 17); // Option<Uuid>
    }

    #[test]
    fn fields_of_one_type_are_boxed_alike() {
        let mut api = Api::default();
        // 6 strings: 144 bytes. Two fields of it and one string: 312 > 256; boxing one field
        // would do (192), but both are boxed so the struct reads the same way throughout.
        api.add_type(strukt(
            "Filter",
            (0..6)
                .map(|i| Field::new(format!("s{i}"), string(), true))
                .collect(),
        ));
        api.add_type(strukt(
            "Query",
            vec![
                Field::new("code", TypeRef::Named(TypeId(0)), false),
                Field::new("name", string(), false),
                Field::new("currency", TypeRef::Named(TypeId(0)), false),
            ],
        ));
        let layouts = box_large(&mut api);
        assert_eq!(boxed_fields(&api, 1), ["code", "currency"]);
        assert_eq!(layouts[1].size, 40);
    }

    #[test]
    fn large_union_alternatives_are_boxed() {
        let mut api = Api::default();
        api.add_type(strukt(
            "Customer",
            (0..8)
                .map(|i| Field::new(format!("s{i}"), string(), true))
                .collect(),
        ));
        api.add_type(TypeDef {
            name: Name::Given("Expandable".into()),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Union(UnionDef {
                variants: vec![
                    UnionVariant {
                        name: "id".into(),
                        tag: None,
                        ty: string(),
                        docs: None,
                        boxed: false,
                    },
                    UnionVariant {
                        name: "Customer".into(),
                        tag: None,
                        ty: TypeRef::Named(TypeId(0)),
                        docs: None,
                        boxed: false,
                    },
                ],
                discriminator: None,
                fallback: false,
            }),
        });
        let layouts = box_large(&mut api);
        let TypeKind::Union(u) = &api.types[1].kind else {
            unreachable!()
        };
        assert!(!u.variants[0].boxed);
        assert!(u.variants[1].boxed);
        assert_eq!(layouts[1].size, 32);
    }

    #[test]
    fn scalars_and_enums_are_never_boxed() {
        let mut api = Api::default();
        api.add_type(TypeDef {
            name: Name::Given("Color".into()),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Enum(EnumDef::default()),
        });
        api.add_type(strukt(
            "Wide",
            (0..20)
                .map(|i| Field::new(format!("c{i}"), TypeRef::Named(TypeId(0)), false))
                .collect(),
        ));
        let layouts = box_large(&mut api);
        assert!(boxed_fields(&api, 1).is_empty());
        assert_eq!(layouts[1].size, 480);
    }

    /// The largest estimated types of Stripe, GitHub and Exchange EWS from the shared corpus,
    /// with only cycles boxed (as before this pass) and with this pass:
    /// `cargo test -p sdkwright --lib size::tests::corpus_report -- --ignored --nocapture`.
    #[test]
    #[ignore = "reads the shared corpus; a report, not a check"]
    fn corpus_report() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = manifest.join("../../shared/specs-corpus");
        let corpus = if corpus.is_dir() {
            corpus
        } else {
            manifest.join("../../../shared/specs-corpus")
        };
        let docs = [
            ("openapi", "openapi/stripe-spec3-2023-09-3.0.yaml"),
            (
                "openapi",
                "openapi/github-api.github.com-3.0-progenitor-snapshot.json",
            ),
            ("wsdl", "wsdl/ms-exchange-ews/services.wsdl"),
        ];
        for (format, doc) in docs {
            let path = corpus.join(doc);
            let mut api = match format {
                "openapi" => crate::openapi::lower(&path).api,
                _ => crate::wsdl::lower(&path).api,
            };
            crate::analysis::cycles::box_cycles(&mut api);
            let top = |api: &Api, layouts: &[Layout]| {
                let mut v: Vec<(u64, String)> = layouts
                    .iter()
                    .zip(&api.types)
                    .map(|(l, t)| (l.size, t.name.display()))
                    .collect();
                v.sort_by(|a, b| b.cmp(a));
                let over = v.iter().filter(|x| x.0 > MAX_TYPE_SIZE).count();
                let shown: Vec<String> = v
                    .iter()
                    .take(4)
                    .map(|(s, n)| format!("{n} {s} B"))
                    .collect();
                let picked: Vec<String> = v
                    .iter()
                    .filter(|(_, n)| ["customer", "payment_intent", "error"].contains(&n.as_str()))
                    .map(|(s, n)| format!("{n} {s} B"))
                    .collect();
                format!(
                    "{} types, {over} over {MAX_TYPE_SIZE} B; largest: {}; {}",
                    v.len(),
                    shown.join(", "),
                    picked.join(", ")
                )
            };
            let before = estimate(&mut api.clone());
            println!("{doc}\n  cycles only: {}", top(&api, &before));
            let after = box_large(&mut api);
            println!("  boxed:       {}", top(&api, &after));
        }
    }

    #[test]
    fn a_deep_chain_is_sized_without_recursion() {
        // 200,000 structs, each holding the next by value (and a string): a recursive walk
        // would overflow the stack; every type ends at most `MAX_TYPE_SIZE`.
        let mut api = Api::default();
        let n = 200_000u32;
        for i in 0..n {
            let mut fields = vec![Field::new("s", string(), true)];
            if i + 1 < n {
                fields.push(Field::new("next", TypeRef::Named(TypeId(i + 1)), true));
            }
            api.add_type(strukt(&format!("T{i}"), fields));
        }
        let layouts = box_large(&mut api);
        assert!(layouts.iter().all(|l| l.size <= MAX_TYPE_SIZE));
        let boxed = (0..n as usize)
            .filter(|&i| !boxed_fields(&api, i).is_empty())
            .count();
        // Every tenth link or so: ten strings and a pointer make 248 bytes.
        assert!(boxed > n as usize / 11 && boxed < n as usize / 9, "{boxed}");
    }
}
