//! Which schema defaults are applied: [`ir::Field::default_applied`].
//!
//! A default is what the server takes for a value the client leaves out, so a client has two
//! uses for it. In what it receives, an absent field *is* its default: the field is read as the
//! default and generated as a plain value instead of an `Option` (as typify does with
//! `#[serde(default = "…")]`). In what it sends, leaving the field out already means the
//! default, and sending the default would not always be the same (an update would overwrite
//! the stored value with it): the field stays optional and the default is only documented.
//! One generated type serves both directions, so a default is applied only in types no request
//! reaches (through a parameter, a request body or one of its alternatives, a SOAP header).
//!
//! Applied only where the Rust back end can write the value: strings, booleans, integers,
//! numbers (not one rustc's clippy would take for an approximate constant), values of enums,
//! and lists of those (an empty list or map too); a field with any other default stays optional.

use crate::ir::{self, TypeKind, TypeRef};
use serde_json::Value;

/// Marks every field whose default is applied (see the module docs). Run after pruning.
pub(crate) fn apply(api: &mut ir::Api) {
    api.sent = sent_types(api);
    let sent = &api.sent;
    let mut applied: Vec<(usize, usize)> = Vec::new();
    for (i, def) in api.types.iter().enumerate() {
        if sent.get(i).copied().unwrap_or(true) {
            continue;
        }
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (k, f) in s.fields.iter().enumerate() {
            let Some(value) = &f.default else { continue };
            if f.required || f.nullable || s.flatten.contains(&k) {
                continue;
            }
            if matches!(f.ty, TypeRef::Nullable(_)) {
                continue;
            }
            if representable(api, &f.ty, value) {
                applied.push((i, k));
            }
        }
    }
    for (i, k) in applied {
        if let TypeKind::Struct(s) = &mut api.types[i].kind {
            if let Some(f) = s.fields.get_mut(k) {
                f.default_applied = true;
            }
        }
    }
}

/// Per type, whether a request reaches it (a parameter, a request body or an alternative of
/// one, a SOAP request header, and every type those contain).
pub(crate) fn sent_types(api: &ir::Api) -> Vec<bool> {
    let mut sent = vec![false; api.types.len()];
    let mut todo: Vec<usize> = Vec::new();
    let mut roots: Vec<&TypeRef> = Vec::new();
    for op in &api.operations {
        roots.extend(op.params.iter().map(|p| &p.ty));
        if let Some(b) = &op.body {
            roots.push(&b.ty);
            if let ir::BodyEncoding::Soap { headers, .. } = &b.encoding {
                roots.extend(headers.iter().map(|h| &h.ty));
            }
        }
    }
    roots.extend(api.body_alternatives.values().flatten().map(|b| &b.ty));
    for t in roots {
        todo.extend(ir::prune::named_in(t));
    }
    while let Some(i) = todo.pop() {
        match sent.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        todo.extend(ir::prune::named_in_kind(&api.types[i].kind));
    }
    sent
}

/// Most items of a list default written out.
const MAX_LIST_ITEMS: usize = 64;

/// Whether the back end can write `value` (which fits `ty`) as a Rust expression of `ty`.
pub(crate) fn representable(api: &ir::Api, ty: &TypeRef, value: &Value) -> bool {
    let mut todo: Vec<(&TypeRef, &Value, usize)> = vec![(ty, value, 0)];
    while let Some((ty, value, aliases)) = todo.pop() {
        let ok = match ty {
            TypeRef::Primitive(p) => match p {
                ir::Primitive::String | ir::Primitive::Bool => true,
                ir::Primitive::I32 | ir::Primitive::I64 => {
                    ir::defaults::as_integer(value).is_some()
                }
                ir::Primitive::F32 | ir::Primitive::F64 => value
                    .as_f64()
                    .is_some_and(|f| f.is_finite() && !near_constant(f)),
                _ => false,
            },
            TypeRef::List(inner) => match value {
                Value::Array(items) if items.len() <= MAX_LIST_ITEMS => {
                    todo.extend(items.iter().map(|v| (&**inner, v, aliases)));
                    true
                }
                _ => false,
            },
            TypeRef::Map(_) => value.as_object().is_some_and(|m| m.is_empty()),
            TypeRef::Named(id) => match api.types.get(id.0 as usize).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) if aliases < 64 && !recursive_alias(api, *id) => {
                    todo.push((inner, value, aliases + 1));
                    true
                }
                Some(TypeKind::Enum(e)) => ir::defaults::enum_wire(e.kind, value)
                    .is_some_and(|w| e.values.iter().any(|v| v.wire == w)),
                _ => false,
            },
            TypeRef::Any | TypeRef::Nullable(_) | TypeRef::External(_) => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A number clippy's `approx_constant` lint (deny by default) would take for a constant of
/// `std::f64::consts` if written as a literal.
fn near_constant(f: f64) -> bool {
    use std::f64::consts as c;
    [
        c::E,
        c::FRAC_1_PI,
        c::FRAC_1_SQRT_2,
        c::FRAC_2_PI,
        c::FRAC_2_SQRT_PI,
        c::FRAC_PI_2,
        c::FRAC_PI_3,
        c::FRAC_PI_4,
        c::FRAC_PI_6,
        c::FRAC_PI_8,
        c::LN_10,
        c::LN_2,
        c::LOG10_E,
        c::LOG2_E,
        c::LOG2_10,
        c::LOG10_2,
        c::PI,
        c::SQRT_2,
        c::TAU,
    ]
    .iter()
    .any(|k| (f - k).abs() < 0.01)
}

/// Whether the alias `id` contains itself through aliases, lists and maps only (`A = List<A>`):
/// the back end writes it as a newtype, not as an alias its inner value could be written for.
fn recursive_alias(api: &ir::Api, id: ir::TypeId) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut todo: Vec<&TypeRef> = match api.types.get(id.0 as usize).map(|d| &d.kind) {
        Some(TypeKind::Alias(inner)) => vec![inner],
        _ => return false,
    };
    while let Some(t) = todo.pop() {
        match t {
            TypeRef::Named(n) if *n == id => return true,
            TypeRef::Named(n) => {
                if seen.insert(*n) {
                    if let Some(TypeKind::Alias(inner)) =
                        api.types.get(n.0 as usize).map(|d| &d.kind)
                    {
                        todo.push(inner);
                    }
                }
            }
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                todo.push(inner)
            }
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::External(_) => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::*;
    use serde_json::json;

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: Name::Given(name.into()),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Struct(StructDef {
                fields,
                ..Default::default()
            }),
        }
    }

    fn with_default(name: &str, ty: TypeRef, value: serde_json::Value) -> Field {
        Field {
            default: Some(value),
            ..Field::new(name, ty, false)
        }
    }

    /// Applied in received types only, to optional non-nullable fields whose default can be
    /// written; a type a request reaches (even through another type) keeps its `Option`s.
    #[test]
    fn defaults_apply_to_received_types_only() {
        let mut api = Api::default();
        let int = TypeRef::Primitive(Primitive::I64);
        let inner = api.add_type(strukt(
            "Inner",
            vec![with_default("n", int.clone(), json!(1))],
        ));
        let req = api.add_type(strukt(
            "Req",
            vec![Field::new("inner", TypeRef::Named(inner), true)],
        ));
        let resp = api.add_type(strukt(
            "Resp",
            vec![
                with_default("n", int.clone(), json!(1)),
                with_default(
                    "pi",
                    TypeRef::Primitive(Primitive::F64),
                    json!(std::f64::consts::PI),
                ),
                with_default(
                    "day",
                    TypeRef::Primitive(Primitive::Date),
                    json!("2020-01-01"),
                ),
                with_default("list", TypeRef::List(Box::new(int.clone())), json!([1, 2])),
                Field {
                    nullable: true,
                    ..with_default("nul", int.clone(), json!(null))
                },
                Field {
                    required: true,
                    ..with_default("req", int.clone(), json!(2))
                },
            ],
        ));
        api.operations.push(Operation {
            name: Name::Given("op".into()),
            summary: None,
            docs: None,
            deprecated: false,
            tags: vec![],
            origin: String::new(),
            method: Method::Post,
            path: "/".into(),
            params: vec![],
            body: Some(RequestBody {
                ty: TypeRef::Named(req),
                required: true,
                encoding: BodyEncoding::Json {
                    media_type: "application/json".into(),
                },
                docs: None,
            }),
            responses: vec![Response {
                status: StatusMatch::Code(200),
                ty: Some(TypeRef::Named(resp)),
                encoding: BodyEncoding::Json {
                    media_type: "application/json".into(),
                },
                docs: None,
            }],
            security: None,
            server: None,
        });
        assert_eq!(sent_types(&api), [true, true, false]);
        apply(&mut api);
        let applied = |id: TypeId| -> Vec<(String, bool)> {
            match &api.ty(id).kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.default_applied))
                    .collect(),
                _ => unreachable!(),
            }
        };
        assert_eq!(applied(inner), [("n".to_owned(), false)]);
        let want: Vec<(String, bool)> = [
            ("n", true),
            ("pi", false),
            ("day", false),
            ("list", true),
            ("nul", false),
            ("req", false),
        ]
        .iter()
        .map(|(n, a)| ((*n).to_owned(), *a))
        .collect();
        assert_eq!(applied(resp), want);
    }
}
