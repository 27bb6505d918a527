//! `--only`: keeps the named operations and the types they reach, drops everything else.

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
    // Pagination is keyed by operation index: renumber it with the operations.
    let kept: Vec<usize> = (0..api.operations.len())
        .filter(|&i| wanted.contains(api.operations[i].name.display().as_str()))
        .collect();
    let paging = std::mem::take(&mut api.paging);
    api.paging = kept
        .iter()
        .enumerate()
        .filter_map(|(new, old)| paging.get(old).map(|p| (new, p.clone())))
        .collect();
    renumber(&mut api.response_headers, &kept);
    renumber(&mut api.body_alternatives, &kept);
    renumber(&mut api.response_alternatives, &kept);
    api.operations
        .retain(|o| wanted.contains(o.name.display().as_str()));

    // Reachable types, without recursion (an explicit stack).
    let mut keep = vec![false; api.types.len()];
    let mut stack: Vec<&TypeRef> = Vec::new();
    stack.extend(api.response_headers.values().flatten().map(|h| &h.ty));
    stack.extend(api.body_alternatives.values().flatten().map(|b| &b.ty));
    for op in &api.operations {
        stack.extend(op.params.iter().map(|p| &p.ty));
        stack.extend(op.body.iter().map(|b| &b.ty));
        stack.extend(op.responses.iter().filter_map(|r| r.ty.as_ref()));
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

    // Renumber.
    let mut new_id = vec![u32::MAX; api.types.len()];
    let mut next = 0u32;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_id[i] = next;
            next += 1;
        }
    }
    let mut i = 0;
    api.types.retain(|_| {
        i += 1;
        keep[i - 1]
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
    }

    for h in api.response_headers.values_mut().flatten() {
        remap(&mut h.ty);
    }
    for b in api.body_alternatives.values_mut().flatten() {
        remap(&mut b.ty);
    }
    let xml = std::mem::take(&mut api.xml_fields);
    api.xml_fields = xml
        .into_iter()
        .filter_map(|((id, i), node)| {
            let n = *new_id.get(id.0 as usize)?;
            (n != u32::MAX).then_some(((TypeId(n), i), node))
        })
        .collect();

    let mut missing: Vec<String> = names
        .iter()
        .filter(|n| !found.contains(n.as_str()))
        .cloned()
        .collect();
    missing.dedup();
    missing
}

/// Renumbers a table keyed by operation index to the kept operations (`kept`: old indices).
fn renumber<V>(map: &mut std::collections::BTreeMap<usize, V>, kept: &[usize]) {
    let mut old = std::mem::take(map);
    *map = kept
        .iter()
        .enumerate()
        .filter_map(|(new, o)| old.remove(o).map(|v| (new, v)))
        .collect();
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
