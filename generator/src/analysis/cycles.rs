//! Breaks cycles of by-value containment by boxing struct fields.
//!
//! A type contains another by value through a struct field of a named type (required or
//! optional: `Option<T>` is as large as `T`), an alias of a named type, or a union alternative of
//! a named type. `Vec` and `BTreeMap` already put their elements on the heap, so lists and maps
//! never close a cycle. Rust needs an indirection on every such cycle; this pass finds cycles by
//! depth-first search in [`ir::TypeId`] order (edges in document order) and boxes the struct field
//! that closes each cycle, or the last struct field on the cycle when the closing edge is a union
//! alternative or an alias. The result only depends on the IR, so it is deterministic, and
//! self-recursive and mutually recursive types get exactly one boxed field per cycle found.

use std::collections::HashSet;

use crate::diag::Diagnostic;
use crate::ir;

/// One by-value edge of the containment graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Edge {
    to: usize,
    /// The struct field this edge goes through (`None`: union alternative or alias).
    field: Option<usize>,
}

fn named(ty: &ir::TypeRef) -> Option<usize> {
    match ty {
        ir::TypeRef::Named(id) => Some(id.0 as usize),
        // `Nullable<T>` (GraphQL's tri-state input fields) holds `T` by value too.
        ir::TypeRef::Nullable(inner) => named(inner),
        _ => None,
    }
}

/// By-value edges of `def`, skipping fields already boxed.
fn edges(def: &ir::TypeDef) -> Vec<Edge> {
    match &def.kind {
        ir::TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.boxed)
            .filter_map(|(i, f)| named(&f.ty).map(|to| Edge { to, field: Some(i) }))
            .collect(),
        ir::TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| named(&v.ty))
            .map(|to| Edge { to, field: None })
            .collect(),
        ir::TypeKind::Alias(ty) => named(ty)
            .map(|to| Edge { to, field: None })
            .into_iter()
            .collect(),
        ir::TypeKind::Enum(_) => Vec::new(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    New,
    OnStack,
    Done,
}

/// One node on the depth-first search stack.
struct Frame {
    node: usize,
    /// Its live edges, in document order.
    out: Vec<Edge>,
    /// Index of the next edge to take.
    next: usize,
    /// How many nodes had been discovered when the current edge (`out[next - 1]`) was taken.
    mark: usize,
}

/// Sets [`ir::Field::boxed`] on the fields that close by-value cycles. Returns an error
/// diagnostic for a cycle with no struct field on it (e.g. aliases of each other), which no
/// boxing can break.
///
/// The result is that of a search restarted from the first type after every fix (the first
/// cycle in DFS order, fixed, then the next first cycle, …), computed in one resumed search:
/// a restart would replay the same steps up to the edge just removed, so the search instead
/// rewinds to that edge, forgets the types discovered through it, and goes on. (Restarting
/// made n self-referencing types cost n² steps: 20,000 of them took 10 s.)
pub(crate) fn box_cycles(api: &mut ir::Api) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let n = api.types.len();
    let mut ignored: HashSet<(usize, Edge)> = HashSet::new();
    let mut state = vec![State::New; n];
    let mut discovered: Vec<usize> = Vec::new();
    let live = |api: &ir::Api, ignored: &HashSet<(usize, Edge)>, node: usize| -> Vec<Edge> {
        edges(&api.types[node])
            .into_iter()
            .filter(|e| e.to < n && !ignored.contains(&(node, *e)))
            .collect()
    };
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnStack;
        discovered.push(root);
        let mut stack = vec![Frame {
            node: root,
            out: live(api, &ignored, root),
            next: 0,
            mark: 0,
        }];
        while let Some(top) = stack.last_mut() {
            if top.next == top.out.len() {
                state[top.node] = State::Done;
                stack.pop();
                continue;
            }
            let edge = top.out[top.next];
            top.next += 1;
            if ignored.contains(&(top.node, edge)) {
                // An identical edge (a union listing the same type twice) was ignored since
                // this list was made.
                continue;
            }
            top.mark = discovered.len();
            match state[edge.to] {
                State::New => {
                    state[edge.to] = State::OnStack;
                    discovered.push(edge.to);
                    let out = live(api, &ignored, edge.to);
                    stack.push(Frame {
                        node: edge.to,
                        out,
                        next: 0,
                        mark: 0,
                    });
                }
                State::Done => {}
                State::OnStack => {
                    // The cycle: the stack from `edge.to` up, each frame by its current edge.
                    let start = stack.iter().position(|f| f.node == edge.to).unwrap_or(0);
                    let boxed = (start..stack.len()).rev().find(|&i| {
                        stack[i]
                            .out
                            .get(stack[i].next - 1)
                            .is_some_and(|e| e.field.is_some())
                    });
                    match boxed {
                        Some(i) => {
                            let frame = &stack[i];
                            let ty = frame.node;
                            let f = frame.out[frame.next - 1].field.unwrap_or_default();
                            if let ir::TypeKind::Struct(s) = &mut api.types[ty].kind {
                                s.fields[f].boxed = true;
                            }
                            // Rewind to just after the boxed edge was taken, without it.
                            let mark = frame.mark;
                            for node in discovered.drain(mark..) {
                                state[node] = State::New;
                            }
                            stack.truncate(i + 1);
                        }
                        None => {
                            // The closing edge was just taken and discovered nothing: skip it.
                            let ty = stack.last().map_or(root, |f| f.node);
                            let def = &api.types[ty];
                            diags.push(
                                Diagnostic::error(
                                    "analysis::infinite_type",
                                    format!(
                                        "type `{}` contains itself with no field to box",
                                        def.name.display()
                                    ),
                                )
                                .at_origin(&def.origin)
                                .help("break the cycle with an array or an optional property"),
                            );
                            ignored.insert((ty, edge));
                        }
                    }
                }
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_util::strukt;
    use crate::ir::*;

    fn boxed(api: &Api) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for t in &api.types {
            if let TypeKind::Struct(s) = &t.kind {
                for f in s.fields.iter().filter(|f| f.boxed) {
                    out.push((t.name.display(), f.name.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn self_recursive() {
        let mut api = Api::default();
        let node = TypeRef::Named(TypeId(0));
        api.add_type(strukt(
            "Node",
            vec![
                Field::new("value", TypeRef::Primitive(Primitive::I32), true),
                Field::new("next", node, false),
            ],
        ));
        assert!(box_cycles(&mut api).is_empty());
        assert_eq!(boxed(&api), [("Node".to_string(), "next".to_string())]);
    }

    #[test]
    fn self_recursive_through_nullable() {
        // A GraphQL input object whose optional field is itself: `Nullable<Node>` by value.
        let mut api = Api::default();
        let node = TypeRef::Nullable(Box::new(TypeRef::Named(TypeId(0))));
        api.add_type(strukt("Node", vec![Field::new("next", node, false)]));
        assert!(box_cycles(&mut api).is_empty());
        assert_eq!(boxed(&api), [("Node".to_string(), "next".to_string())]);
    }

    #[test]
    fn mutual_recursion_boxes_one_field() {
        let mut api = Api::default();
        api.add_type(strukt(
            "A",
            vec![Field::new("b", TypeRef::Named(TypeId(1)), true)],
        ));
        api.add_type(strukt(
            "B",
            vec![Field::new("a", TypeRef::Named(TypeId(0)), false)],
        ));
        assert!(box_cycles(&mut api).is_empty());
        assert_eq!(boxed(&api), [("B".to_string(), "a".to_string())]);
        // Running again changes nothing.
        box_cycles(&mut api);
        assert_eq!(boxed(&api).len(), 1);
    }

    #[test]
    fn recursion_through_vec_and_map_is_not_boxed() {
        let mut api = Api::default();
        let me = TypeRef::Named(TypeId(0));
        api.add_type(strukt(
            "Tree",
            vec![
                Field::new("children", TypeRef::List(Box::new(me.clone())), true),
                Field::new("by_name", TypeRef::Map(Box::new(me)), false),
            ],
        ));
        assert!(box_cycles(&mut api).is_empty());
        assert!(boxed(&api).is_empty());
    }

    #[test]
    fn cycle_through_union_boxes_the_struct_field() {
        let mut api = Api::default();
        api.add_type(TypeDef {
            name: Name::Given("Expr".into()),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Union(UnionDef {
                variants: vec![UnionVariant {
                    name: "Neg".into(),
                    tag: None,
                    ty: TypeRef::Named(TypeId(1)),
                    docs: None,
                    boxed: false,
                }],
                discriminator: None,
                fallback: false,
            }),
        });
        api.add_type(strukt(
            "Neg",
            vec![Field::new("inner", TypeRef::Named(TypeId(0)), true)],
        ));
        assert!(box_cycles(&mut api).is_empty());
        assert_eq!(boxed(&api), [("Neg".to_string(), "inner".to_string())]);
    }

    #[test]
    fn alias_cycle_is_reported() {
        let mut api = Api::default();
        for (name, to) in [("A", 1), ("B", 0)] {
            api.add_type(TypeDef {
                name: Name::Given(name.into()),
                docs: None,
                origin: "t.yaml#/x".into(),
                kind: TypeKind::Alias(TypeRef::Named(TypeId(to))),
            });
        }
        let diags = box_cycles(&mut api);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "analysis::infinite_type");
    }

    // The search as it was before it resumed: restarted from the first type after every fix.
    // `box_cycles` must give exactly its result.
    /// Finds the first cycle in DFS order: the path of (type, edge) steps from the cycle's first
    /// type back to it.
    fn naive_find_cycle(api: &ir::Api, ignored: &[(usize, Edge)]) -> Option<Vec<(usize, Edge)>> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            OnStack,
            Done,
        }
        let n = api.types.len();
        let mut state = vec![State::New; n];
        for root in 0..n {
            if state[root] != State::New {
                continue;
            }
            // Iterative DFS: stack of (node, its edges, next edge index).
            let mut stack: Vec<(usize, Vec<Edge>, usize)> = Vec::new();
            let live = |node: usize| -> Vec<Edge> {
                edges(&api.types[node])
                    .into_iter()
                    .filter(|e| e.to < n && !ignored.contains(&(node, *e)))
                    .collect()
            };
            state[root] = State::OnStack;
            stack.push((root, live(root), 0));
            while let Some((node, out, next)) = stack.last_mut() {
                let node = *node;
                if *next == out.len() {
                    state[node] = State::Done;
                    stack.pop();
                    continue;
                }
                let edge = out[*next];
                *next += 1;
                match state[edge.to] {
                    State::New => {
                        state[edge.to] = State::OnStack;
                        let e = live(edge.to);
                        stack.push((edge.to, e, 0));
                    }
                    State::OnStack => {
                        let start = stack
                            .iter()
                            .position(|(t, _, _)| *t == edge.to)
                            .unwrap_or(0);
                        let mut path: Vec<(usize, Edge)> = stack[start..]
                            .iter()
                            .map(|(t, out, next)| (*t, out[*next - 1]))
                            .collect();
                        // The last step is the edge just taken.
                        if let Some(last) = path.last_mut() {
                            last.1 = edge;
                        }
                        return Some(path);
                    }
                    State::Done => {}
                }
            }
        }
        None
    }

    fn naive_box_cycles(api: &mut ir::Api) -> usize {
        let mut errors = 0;
        let mut ignored: Vec<(usize, Edge)> = Vec::new();
        while let Some(path) = naive_find_cycle(api, &ignored) {
            match path.iter().rev().find(|(_, e)| e.field.is_some()) {
                Some(&(ty, Edge { field: Some(f), .. })) => {
                    if let ir::TypeKind::Struct(s) = &mut api.types[ty].kind {
                        s.fields[f].boxed = true;
                    }
                }
                _ => {
                    errors += 1;
                    ignored.push(*path.last().expect("an edge"));
                }
            }
        }
        errors
    }

    /// A random graph of structs, unions and aliases (a small linear congruential generator:
    /// reproducible without a dependency).
    fn random_api(seed: u64) -> Api {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let n = 1 + next(12) as usize;
        let mut api = Api::default();
        for i in 0..n {
            let named = |k: u64| TypeRef::Named(TypeId(k as u32));
            let kind = next(6);
            let def = match kind {
                0 => TypeDef {
                    kind: TypeKind::Alias(named(next(n as u64))),
                    ..strukt(&format!("T{i}"), vec![])
                },
                1 => TypeDef {
                    kind: TypeKind::Union(UnionDef {
                        variants: (0..1 + next(3))
                            .map(|v| UnionVariant {
                                name: format!("V{v}"),
                                tag: None,
                                ty: named(next(n as u64)),
                                docs: None,
                                boxed: false,
                            })
                            .collect(),
                        discriminator: None,
                        fallback: false,
                    }),
                    ..strukt(&format!("T{i}"), vec![])
                },
                _ => strukt(
                    &format!("T{i}"),
                    (0..next(4))
                        .map(|f| {
                            let ty = match next(4) {
                                0 => TypeRef::List(Box::new(named(next(n as u64)))),
                                1 => TypeRef::Primitive(Primitive::I32),
                                _ => named(next(n as u64)),
                            };
                            Field::new(format!("f{f}"), ty, next(2) == 0)
                        })
                        .collect(),
                ),
            };
            api.add_type(def);
        }
        api
    }

    #[test]
    fn resumed_search_boxes_what_restarted_searches_boxed() {
        for seed in 0..3_000 {
            let mut fast = random_api(seed);
            let mut slow = fast.clone();
            let errors = box_cycles(&mut fast).len();
            let slow_errors = naive_box_cycles(&mut slow);
            assert_eq!(boxed(&fast), boxed(&slow), "seed {seed}");
            assert_eq!(
                errors,
                slow_errors,
                "seed {seed}: {:#?}",
                slow.types
                    .iter()
                    .map(|t| (&t.name, &t.kind))
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn many_self_referencing_types_are_boxed_in_one_search() {
        // 20,000 restarts of a 20,000-type search took 10 s in release, minutes in debug.
        let mut api = Api::default();
        for i in 0..20_000u32 {
            api.add_type(strukt(
                &format!("N{i}"),
                vec![Field::new("me", TypeRef::Named(TypeId(i)), false)],
            ));
        }
        assert!(box_cycles(&mut api).is_empty());
        assert_eq!(boxed(&api).len(), 20_000);
    }
}
