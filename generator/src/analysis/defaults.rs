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
//! Applied where the Rust back end can write the value: strings, booleans, integers, numbers,
//! dates, date-times and UUIDs (in the forms the runtime reads), values of enums, lists and
//! maps of those, any JSON value, objects of struct types (a struct expression: every required
//! property given, each property's value itself writable, absent ones at their own default or
//! `None`) and values of unions with a fallback variant (decoded as a response would be; a
//! value no alternative takes is the fallback). A default that cannot be written, or whose
//! expansion would contain itself (an absent field whose default is of its own struct type),
//! stays optional with an `analysis::default_not_applied` warning at the default.
//!
//! A nullable field with a default other than `null` is applied the same way: absent reads as
//! the default, an explicit `null` as `None`, a value as itself, so the field is an `Option`
//! (the IR field becomes [`ir::Field::nullable`] of the inner type, no longer
//! [`TypeRef::Nullable`], whose third state, absent, is gone). A nullable field whose default
//! is `null` keeps its states: absent and `null` already mean the same there.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::ir::{self, TypeKind, TypeRef};
use serde_json::Value;

/// Marks every field whose default is applied (see the module docs). Run after pruning.
pub(crate) fn apply(api: &mut ir::Api) -> Vec<Diagnostic> {
    api.sent = sent_types(api);
    let sent = &api.sent;
    let mut diags = Vec::new();
    let mut applied: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (i, def) in api.types.iter().enumerate() {
        if sent.get(i).copied().unwrap_or(true) {
            continue;
        }
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (k, f) in s.fields.iter().enumerate() {
            let Some(value) = &f.default else { continue };
            if f.required || s.flatten.contains(&k) {
                continue;
            }
            // A nullable field whose default is `null`: absent and `null` read the same, and
            // the field keeps both (`Nullable::Absent`, `Nullable::Null`); nothing to apply.
            let nullable = f.nullable || matches!(f.ty, TypeRef::Nullable(_));
            if nullable && value.is_null() {
                continue;
            }
            let ty = match &f.ty {
                TypeRef::Nullable(inner) => &**inner,
                ty => ty,
            };
            match why_not(api, ty, value) {
                None => {
                    applied.insert((i, k));
                }
                Some(why) => diags.push(not_applied(api, i, k, &why)),
            }
        }
    }
    // A default whose value leaves out a field that is itself read as its default expands
    // that one too; one that comes back to itself would never end (`{}` for a field of its own
    // type whose default is `{}`): those are not applied.
    loop {
        let cyclic: Vec<(usize, usize)> = applied
            .iter()
            .copied()
            .filter(|&start| !expansion_ends(api, &applied, start))
            .collect();
        if cyclic.is_empty() {
            break;
        }
        for (i, k) in cyclic {
            applied.remove(&(i, k));
            diags.push(not_applied(
                api,
                i,
                k,
                "its value leaves out a field whose default contains it again",
            ));
        }
    }
    for (i, k) in applied {
        if let TypeKind::Struct(s) = &mut api.types[i].kind {
            if let Some(f) = s.fields.get_mut(k) {
                f.default_applied = true;
                // Nullable: absent is the default, `null` is `null` and a value is itself, so
                // the field has two states left, not three (`Option<T>`, read as `Some` of
                // the default when absent).
                if let TypeRef::Nullable(inner) = &mut f.ty {
                    f.ty = std::mem::replace(&mut **inner, TypeRef::Any);
                    f.nullable = true;
                }
            }
        }
    }
    diags
}

/// `analysis::default_not_applied` for field `k` of struct `i`, at its `default` (assumed
/// under the struct's `properties`; the struct's schema when the document puts it elsewhere).
fn not_applied(api: &ir::Api, i: usize, k: usize, why: &str) -> Diagnostic {
    let def = &api.types[i];
    let field = match &def.kind {
        TypeKind::Struct(s) => s.fields.get(k),
        _ => None,
    };
    let name = field.map_or("", |f| f.name.as_str());
    // A nullable field keeps absent apart from `null`.
    let absent = if field.is_some_and(|f| matches!(f.ty, TypeRef::Nullable(_))) {
        "stays absent"
    } else {
        "reads as `None`"
    };
    let escaped = name.replace('~', "~0").replace('/', "~1");
    let origin = if def.origin.contains('#') {
        format!("{}/properties/{escaped}/default", def.origin)
    } else {
        def.origin.clone()
    };
    Diagnostic::warning(
        "analysis::default_not_applied",
        format!(
            "the default of `{name}` in `{}` is not applied ({why}): the field stays optional and an absent value {absent}",
            def.name.display()
        ),
    )
    .at_origin(&origin)
    .help("the default is still documented on the field")
}

/// Most nested values and expansions followed from one default ([`expansion_ends`]).
const MAX_EXPANSION: usize = 256;

/// A value to write as a type, with the fields whose defaults are being written around it.
type Expansion<'a> = (&'a TypeRef, &'a Value, Vec<(usize, usize)>);

/// Whether writing the default of field `start` (one of `applied`) ends: every absent field of
/// its struct values that is itself in `applied` is written as its own default, and so on;
/// `false` if that comes back to a field already being written, or goes on past
/// [`MAX_EXPANSION`]. A union value is followed into every alternative (it is decoded).
fn expansion_ends(
    api: &ir::Api,
    applied: &BTreeSet<(usize, usize)>,
    start: (usize, usize),
) -> bool {
    // (type, value, the expansions open when it was reached)
    let Some((ty, value)) = field_default(api, start) else {
        return true;
    };
    let mut todo: Vec<Expansion<'_>> = vec![(ty, value, vec![start])];
    let mut steps = 0;
    while let Some((ty, value, path)) = todo.pop() {
        steps += 1;
        if steps > MAX_EXPANSION {
            return false;
        }
        match ty {
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => match value {
                Value::Array(items) => {
                    todo.extend(items.iter().map(|v| (&**inner, v, path.clone())))
                }
                Value::Object(m) => todo.extend(m.values().map(|v| (&**inner, v, path.clone()))),
                _ => todo.push((&**inner, value, path)),
            },
            TypeRef::Named(id) => match api.types.get(id.0 as usize).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => todo.push((inner, value, path)),
                Some(TypeKind::Union(u)) => {
                    todo.extend(u.variants.iter().map(|v| (&v.ty, value, path.clone())))
                }
                Some(TypeKind::Struct(s)) => {
                    let Value::Object(m) = value else { continue };
                    for (k, f) in s.fields.iter().enumerate() {
                        if s.flatten.contains(&k) {
                            todo.push((&f.ty, value, path.clone()));
                        } else if let Some(v) = m.get(&f.name) {
                            todo.push((&f.ty, v, path.clone()));
                        } else if applied.contains(&(id.0 as usize, k)) {
                            let here = (id.0 as usize, k);
                            if path.contains(&here) {
                                return false;
                            }
                            if let Some((t, v)) = field_default(api, here) {
                                let mut deeper = path.clone();
                                deeper.push(here);
                                todo.push((t, v, deeper));
                            }
                        }
                    }
                    if let Some(extra) = &s.additional {
                        for (key, v) in m {
                            if !s.fields.iter().any(|f| &f.name == key) {
                                todo.push((extra, v, path.clone()));
                            }
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    true
}

/// The type and default of field `k` of struct `i`.
fn field_default(api: &ir::Api, (i, k): (usize, usize)) -> Option<(&TypeRef, &Value)> {
    match &api.types.get(i)?.kind {
        TypeKind::Struct(s) => {
            let f = s.fields.get(k)?;
            Some((&f.ty, f.default.as_ref()?))
        }
        _ => None,
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

/// Most items of a list default written out (and entries of a map).
const MAX_LIST_ITEMS: usize = 64;

/// Most values (nested ones included) of one default written out.
const MAX_VALUES: usize = 256;

/// Why the back end cannot write `value` (which fits `ty`) as a Rust expression of `ty` (for
/// the warning), or `None` when it can.
pub(crate) fn why_not(api: &ir::Api, ty: &TypeRef, value: &Value) -> Option<String> {
    let short = ir::defaults::short;
    let mut todo: Vec<(&TypeRef, &Value, usize)> = vec![(ty, value, 0)];
    let mut count = 0;
    while let Some((ty, value, aliases)) = todo.pop() {
        count += 1;
        if count > MAX_VALUES {
            return Some(format!("it holds more than {MAX_VALUES} values"));
        }
        let err = match ty {
            TypeRef::Primitive(p) => match p {
                ir::Primitive::String | ir::Primitive::Bool => None,
                ir::Primitive::I32 | ir::Primitive::I64 => ir::defaults::as_integer(value)
                    .is_none()
                    .then(|| format!("{} is not an integer", short(value))),
                ir::Primitive::F32 | ir::Primitive::F64 => {
                    (!value.as_f64().is_some_and(f64::is_finite))
                        .then(|| format!("{} is not a finite number", short(value)))
                }
                ir::Primitive::Date => value
                    .as_str()
                    .and_then(ir::defaults::parse_date)
                    .is_none()
                    .then(|| format!("{} is not a date (`YYYY-MM-DD`)", short(value))),
                ir::Primitive::DateTime => {
                    (!value.as_str().is_some_and(ir::defaults::is_date_time)).then(|| {
                        format!(
                            "{} is not an RFC 3339 date-time such as `2020-01-31T08:00:00Z`",
                            short(value)
                        )
                    })
                }
                ir::Primitive::Uuid => value
                    .as_str()
                    .and_then(ir::defaults::parse_uuid)
                    .is_none()
                    .then(|| format!("{} is not a UUID", short(value))),
                ir::Primitive::Base64 | ir::Primitive::Binary | ir::Primitive::File => {
                    Some("a default of bytes is not written out".to_owned())
                }
            },
            TypeRef::List(inner) => match value {
                Value::Array(items) if items.len() <= MAX_LIST_ITEMS => {
                    todo.extend(items.iter().map(|v| (&**inner, v, aliases)));
                    None
                }
                Value::Array(_) => Some(format!("a list of more than {MAX_LIST_ITEMS} items")),
                other => Some(format!("{} is not a list", short(other))),
            },
            TypeRef::Map(inner) => match value {
                Value::Object(m) if m.len() <= MAX_LIST_ITEMS => {
                    todo.extend(m.values().map(|v| (&**inner, v, aliases)));
                    None
                }
                Value::Object(_) => Some(format!("a map of more than {MAX_LIST_ITEMS} entries")),
                other => Some(format!("{} is not an object", short(other))),
            },
            TypeRef::Any => None,
            TypeRef::Named(id) => match api.types.get(id.0 as usize).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) if aliases < 64 && !recursive_alias(api, *id) => {
                    todo.push((inner, value, aliases + 1));
                    None
                }
                Some(TypeKind::Enum(e)) => (!ir::defaults::enum_wire(e.kind, value)
                    .is_some_and(|w| e.values.iter().any(|v| v.wire == w)))
                .then(|| format!("{} is not a value of the enum", short(value))),
                Some(TypeKind::Struct(s)) => struct_value(s, value, &mut todo).err(),
                Some(TypeKind::Union(u)) => union_fallback(api, *id, u).is_none().then(|| {
                    "a union without a fallback variant is not decoded from a default".to_owned()
                }),
                _ => Some("a recursive alias is not written out".to_owned()),
            },
            TypeRef::Nullable(_) | TypeRef::External(_) => {
                Some("the field's type is not written out".to_owned())
            }
        };
        if err.is_some() {
            return err;
        }
    }
    None
}

/// Whether `value`, an object, can be written as a value of struct `s` (every required field
/// given, `null` only where the field takes it), queueing its values to be checked. Absent
/// optional fields are `None` or their own default; undeclared keys go to the additional
/// properties, or are ignored as decoding ignores them.
fn struct_value<'a>(
    s: &'a ir::StructDef,
    value: &'a Value,
    todo: &mut Vec<(&'a TypeRef, &'a Value, usize)>,
) -> Result<(), String> {
    let Value::Object(m) = value else {
        return Err(format!("{} is not an object", ir::defaults::short(value)));
    };
    for (k, f) in s.fields.iter().enumerate() {
        if s.flatten.contains(&k) {
            // Read from the whole object, beside the struct's own keys.
            todo.push((&f.ty, value, 0));
            continue;
        }
        match m.get(&f.name) {
            None if f.required => {
                return Err(format!("the required property `{}` is missing", f.name))
            }
            None => {}
            Some(Value::Null) if !(f.nullable || matches!(f.ty, TypeRef::Nullable(_))) => {
                return Err(format!("`{}` is `null` but not nullable", f.name));
            }
            Some(Value::Null) => {}
            Some(v) => {
                let ty = match &f.ty {
                    TypeRef::Nullable(inner) => &**inner,
                    ty => ty,
                };
                todo.push((ty, v, 0));
            }
        }
    }
    if let Some(extra) = &s.additional {
        for (key, v) in m {
            if !s.fields.iter().any(|f| &f.name == key) {
                todo.push((extra, v, 0));
            }
        }
    }
    Ok(())
}

/// The fallback variant of union `id` (its last one, of any JSON value) when a default of it
/// can be decoded at run time: a value no other alternative takes is kept there, so decoding
/// the default cannot fail. `None` for unions without one, and for XML unions.
pub(crate) fn union_fallback(api: &ir::Api, id: ir::TypeId, u: &ir::UnionDef) -> Option<usize> {
    if api.xsd.xsi_unions.contains_key(&id) || api.xsd.element_unions.contains_key(&id) {
        return None;
    }
    let last = u.variants.len().checked_sub(1)?;
    (u.fallback && u.variants[last].ty == TypeRef::Any).then_some(last)
}

/// A number clippy's `approx_constant` lint (deny by default) would take for a constant of
/// `std::f64::consts` if written as a literal.
pub(crate) fn near_constant(f: f64) -> bool {
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
    use crate::analysis::test_util::strukt;
    use crate::ir::*;
    use serde_json::json;

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
        assert!(apply(&mut api).is_empty());
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
            ("pi", true),
            ("day", true),
            ("list", true),
            ("nul", false),
            ("req", false),
        ]
        .iter()
        .map(|(n, a)| ((*n).to_owned(), *a))
        .collect();
        assert_eq!(applied(resp), want);
    }

    /// Object defaults of struct types are applied when every required property is given; one
    /// whose expansion comes back to itself (an absent field whose default is the same object)
    /// is not, with a warning, and neither is one missing a required property.
    #[test]
    fn struct_defaults_are_applied_unless_incomplete_or_self_containing() {
        let mut api = Api::default();
        let int = TypeRef::Primitive(Primitive::I64);
        let point = api.add_type(strukt(
            "Point",
            vec![
                Field::new("x", int.clone(), true),
                with_default("y", int.clone(), json!(0)),
            ],
        ));
        // `Node.next` defaults to `{}`, which leaves out `next`: its default again.
        let node = api.add_type(strukt("Node", vec![]));
        if let TypeKind::Struct(s) = &mut api.types[node.0 as usize].kind {
            s.fields
                .push(with_default("next", TypeRef::Named(node), json!({})));
        }
        let top = api.add_type(strukt(
            "Top",
            vec![
                with_default("at", TypeRef::Named(point), json!({"x": 1})),
                with_default("bad", TypeRef::Named(point), json!({"y": 1})),
                with_default(
                    "node",
                    TypeRef::Named(node),
                    json!({"next": {"next": null}}),
                ),
            ],
        ));
        let diags = apply(&mut api);
        let applied = |id: TypeId| -> Vec<bool> {
            match &api.ty(id).kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| f.default_applied).collect(),
                _ => unreachable!(),
            }
        };
        assert_eq!(applied(point), [false, true]);
        assert_eq!(applied(node), [false]);
        // `{"next": {"next": null}}`: `null` for a field that is not nullable.
        assert_eq!(applied(top), [true, false, false]);
        let texts: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
        assert_eq!(diags.len(), 3, "{texts:#?}");
        assert!(diags
            .iter()
            .all(|d| d.code == "analysis::default_not_applied"));
        assert!(
            texts[0].contains("the required property `x` is missing"),
            "{texts:#?}"
        );
        assert!(
            texts[1].contains("`next` is `null` but not nullable"),
            "{texts:#?}"
        );
        assert!(texts[2].contains("contains it again"), "{texts:#?}");
        let at = diags[0].location.as_ref().expect("located");
        assert_eq!(at.pointer, "/components/schemas/Top/properties/bad/default");
    }

    /// A nullable field with a default other than `null` is applied and becomes a nullable
    /// field of the inner type (an `Option`: `Some` of the default when absent); one whose
    /// default is `null` keeps its type; one whose default cannot be written is warned about,
    /// and keeps absent apart from `null`.
    #[test]
    fn nullable_defaults_are_applied_unless_null_or_unwritable() {
        let mut api = Api::default();
        let int = TypeRef::Primitive(Primitive::I64);
        let nullable = |ty: TypeRef| TypeRef::Nullable(Box::new(ty));
        let resp = api.add_type(strukt(
            "Resp",
            vec![
                Field {
                    nullable: true,
                    ..with_default("rate", nullable(int.clone()), json!(100))
                },
                Field {
                    nullable: true,
                    ..with_default("gone", nullable(int.clone()), json!(null))
                },
                Field {
                    nullable: true,
                    ..with_default(
                        "at",
                        nullable(TypeRef::Primitive(Primitive::DateTime)),
                        json!("tomorrow"),
                    )
                },
            ],
        ));
        let diags = apply(&mut api);
        let TypeKind::Struct(s) = &api.ty(resp).kind else {
            unreachable!()
        };
        let got: Vec<(bool, bool, &TypeRef)> = s
            .fields
            .iter()
            .map(|f| (f.default_applied, f.nullable, &f.ty))
            .collect();
        let (dt, int_n) = (
            nullable(TypeRef::Primitive(Primitive::DateTime)),
            nullable(int.clone()),
        );
        assert_eq!(
            got,
            [
                (true, true, &int),
                (false, true, &int_n),
                (false, true, &dt)
            ]
        );
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("an absent value stays absent"),
            "{}",
            diags[0].message
        );
    }
}
