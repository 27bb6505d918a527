//! `--only`: keeps the named operations and the types they reach, drops everything else; and
//! [`retain`], which partial generation past broken references uses too.

use std::collections::HashSet;

use super::{Api, TypeId, TypeKind, TypeRef};

/// Keeps the operations whose name (`operationId`, or the derived name joined with `_`) is in
/// `names`, in document order, and the types they reach (renumbered, in their old order).
/// Returns the names that matched no operation.
pub(crate) fn keep_operations(api: &mut Api, names: &[String]) -> Vec<String> {
    let wanted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let found: HashSet<String> = api
        .operations
        .iter()
        .map(|o| o.name.display())
        .filter(|n| wanted.contains(n.as_str()))
        .collect();
    let keep_ops: Vec<bool> = api
        .operations
        .iter()
        .map(|o| wanted.contains(o.name.display().as_str()))
        .collect();
    // Only the named operations: no webhook decoder (its payload types are not kept).
    api.webhooks.clear();

    // Reachable types, without recursion (an explicit stack).
    let mut keep = vec![false; api.types.len()];
    let mut stack: Vec<&TypeRef> = Vec::new();
    for (i, _) in keep_ops.iter().enumerate().filter(|(_, k)| **k) {
        stack.extend(operation_roots(api, i));
    }
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(id) => {
                let i = id.0 as usize;
                if keep.get(i).copied() != Some(false) {
                    continue;
                }
                keep[i] = true;
                match &api.types[i].kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional.iter());
                    }
                    TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(inner) => stack.push(inner),
                    TypeKind::Enum(_) => {}
                }
            }
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(inner)
            }
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::External(_) => {}
        }
    }
    retain(api, &keep_ops, &keep);

    let mut missing: Vec<String> = names
        .iter()
        .filter(|n| !found.contains(n.as_str()))
        .cloned()
        .collect();
    missing.dedup();
    missing
}

/// Keeps the operations and types whose flag is set (a missing flag keeps), renumbering the
/// types and everything keyed by operation index (pagination, event types). Nothing kept may
/// name a dropped type; webhooks are left to the caller.
pub(crate) fn retain(api: &mut Api, keep_ops: &[bool], keep_types: &[bool]) {
    let kept_op = |i: usize| keep_ops.get(i).copied().unwrap_or(true);
    let mut new_op = vec![usize::MAX; api.operations.len()];
    let mut next = 0;
    for (i, slot) in new_op.iter_mut().enumerate() {
        if kept_op(i) {
            *slot = next;
            next += 1;
        }
    }
    let renumber = |i: usize| new_op.get(i).copied().filter(|n| *n != usize::MAX);
    api.paging = std::mem::take(&mut api.paging)
        .into_iter()
        .filter_map(|(i, p)| Some((renumber(i)?, p)))
        .collect();
    api.events = std::mem::take(&mut api.events)
        .into_iter()
        .filter_map(|(i, t)| Some((renumber(i)?, t)))
        .collect();
    api.response_headers = std::mem::take(&mut api.response_headers)
        .into_iter()
        .filter_map(|(i, t)| Some((renumber(i)?, t)))
        .collect();
    api.body_alternatives = std::mem::take(&mut api.body_alternatives)
        .into_iter()
        .filter_map(|(i, t)| Some((renumber(i)?, t)))
        .collect();
    api.response_alternatives = std::mem::take(&mut api.response_alternatives)
        .into_iter()
        .filter_map(|(i, t)| Some((renumber(i)?, t)))
        .collect();
    api.error_alternatives = std::mem::take(&mut api.error_alternatives)
        .into_iter()
        .filter_map(|((i, s), t)| Some(((renumber(i)?, s), t)))
        .collect();
    let mut i = 0;
    api.operations.retain(|_| {
        i += 1;
        kept_op(i - 1)
    });

    let kept_ty = |i: usize| keep_types.get(i).copied().unwrap_or(true);
    let mut new_id = vec![u32::MAX; api.types.len()];
    let mut next = 0u32;
    for (i, slot) in new_id.iter_mut().enumerate() {
        if kept_ty(i) {
            *slot = next;
            next += 1;
        }
    }
    let mut i = 0;
    api.types.retain(|_| {
        i += 1;
        kept_ty(i - 1)
    });
    let remap = |t: &mut TypeRef| remap(t, &new_id);
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| remap(&mut f.ty));
                s.additional.iter_mut().for_each(remap);
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| remap(&mut v.ty)),
            TypeKind::Alias(inner) => remap(inner),
            TypeKind::Enum(_) => {}
        }
    }
    for op in &mut api.operations {
        op.params.iter_mut().for_each(|p| remap(&mut p.ty));
        op.body.iter_mut().for_each(|b| remap(&mut b.ty));
        op.responses
            .iter_mut()
            .filter_map(|r| r.ty.as_mut())
            .for_each(remap);
        let encodings = op
            .body
            .iter_mut()
            .map(|b| &mut b.encoding)
            .chain(op.responses.iter_mut().map(|r| &mut r.encoding));
        for e in encodings {
            if let super::BodyEncoding::Soap { headers, .. } = e {
                headers.iter_mut().for_each(|h| remap(&mut h.ty));
            }
        }
    }
    api.events.values_mut().for_each(remap);
    for h in api.response_headers.values_mut().flatten() {
        remap(&mut h.ty);
    }
    for b in api.body_alternatives.values_mut().flatten() {
        remap(&mut b.ty);
    }
    api.xml_fields = std::mem::take(&mut api.xml_fields)
        .into_iter()
        .filter_map(|((id, f), node)| {
            let n = *new_id.get(id.0 as usize)?;
            (n != u32::MAX).then_some(((TypeId(n), f), node))
        })
        .collect();
    api.deprecated_types = std::mem::take(&mut api.deprecated_types)
        .into_iter()
        .filter_map(|id| {
            let n = *new_id.get(id.0 as usize)?;
            (n != u32::MAX).then_some(TypeId(n))
        })
        .collect();
    let kept = |id: &TypeId| {
        let n = *new_id.get(id.0 as usize)?;
        (n != u32::MAX).then_some(TypeId(n))
    };
    api.xsd.element_unions = std::mem::take(&mut api.xsd.element_unions)
        .into_iter()
        .filter_map(|(id, els)| Some((kept(&id)?, els)))
        .collect();
    api.xsd.xsi_unions = std::mem::take(&mut api.xsd.xsi_unions)
        .into_iter()
        .filter_map(|(id, tys)| Some((kept(&id)?, tys)))
        .collect();
    api.xsd.lists = std::mem::take(&mut api.xsd.lists)
        .iter()
        .filter_map(kept)
        .collect();
    api.xsd.text_content = std::mem::take(&mut api.xsd.text_content)
        .iter()
        .filter_map(kept)
        .collect();
    api.webhooks.iter_mut().for_each(|w| remap(&mut w.payload));
}

/// The types operation `idx` names itself: parameters, bodies and their alternatives, responses,
/// SOAP header parts (request and responses), its event type and its typed response headers.
/// `--only` keeps what these reach, and the per-tag feature gates (`rust::features`) start from
/// them too, so both agree on what an operation needs.
pub(crate) fn operation_roots(api: &Api, idx: usize) -> Vec<&TypeRef> {
    let Some(op) = api.operations.get(idx) else {
        return Vec::new();
    };
    let mut roots: Vec<&TypeRef> = Vec::new();
    roots.extend(op.params.iter().map(|p| &p.ty));
    roots.extend(op.body.iter().map(|b| &b.ty));
    roots.extend(op.responses.iter().filter_map(|r| r.ty.as_ref()));
    let encodings = op
        .body
        .iter()
        .map(|b| &b.encoding)
        .chain(op.responses.iter().map(|r| &r.encoding));
    for e in encodings {
        if let super::BodyEncoding::Soap { headers, .. } = e {
            roots.extend(headers.iter().map(|h| &h.ty));
        }
    }
    roots.extend(api.events.get(&idx));
    roots.extend(
        api.response_headers
            .get(&idx)
            .into_iter()
            .flatten()
            .map(|h| &h.ty),
    );
    roots.extend(
        api.body_alternatives
            .get(&idx)
            .into_iter()
            .flatten()
            .map(|b| &b.ty),
    );
    roots
}

/// The types (by index) a type expression names.
pub(crate) fn named_in(t: &TypeRef) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(id) => out.push(id.0 as usize),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(inner)
            }
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::External(_) => {}
        }
    }
    out
}

/// The types (by index) a type definition names directly.
pub(crate) fn named_in_kind(kind: &TypeKind) -> Vec<usize> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.iter())
            .flat_map(named_in)
            .collect(),
        TypeKind::Union(u) => u.variants.iter().flat_map(|v| named_in(&v.ty)).collect(),
        TypeKind::Alias(inner) => named_in(inner),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Rewrites the type ids in `t` (kept types only are reachable from kept items).
fn remap(t: &mut TypeRef, new_id: &[u32]) {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(id) => {
                if let Some(&n) = new_id.get(id.0 as usize) {
                    *id = TypeId(n);
                }
            }
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                stack.push(inner)
            }
            _ => {}
        }
    }
}
