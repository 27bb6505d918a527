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

use crate::diag::Diagnostic;
use crate::ir;

/// One by-value edge of the containment graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Finds the first cycle in DFS order: the path of (type, edge) steps from the cycle's first
/// type back to it.
fn find_cycle(api: &ir::Api, ignored: &[(usize, Edge)]) -> Option<Vec<(usize, Edge)>> {
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

/// Sets [`ir::Field::boxed`] on the fields that close by-value cycles. Returns an error
/// diagnostic for a cycle with no struct field on it (e.g. aliases of each other), which no
/// boxing can break.
pub(crate) fn box_cycles(api: &mut ir::Api) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut ignored: Vec<(usize, Edge)> = Vec::new();
    while let Some(path) = find_cycle(api, &ignored) {
        match path.iter().rev().find(|(_, e)| e.field.is_some()) {
            Some(&(ty, Edge { field: Some(f), .. })) => {
                if let ir::TypeKind::Struct(s) = &mut api.types[ty].kind {
                    s.fields[f].boxed = true;
                }
            }
            _ => {
                let (ty, edge) = *path.last().expect("a cycle has at least one edge");
                let def = &api.types[ty];
                diags.push(
                    Diagnostic::error(
                        "analysis::infinite_type",
                        format!(
                            "type `{}` contains itself with no field to box",
                            def.name.display()
                        ),
                    )
                    .at(
                        def.origin.split('#').next().unwrap_or(""),
                        def.origin.split_once('#').map_or("", |(_, p)| p),
                    )
                    .help("break the cycle with an array or an optional property"),
                );
                ignored.push((ty, edge));
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::*;

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            name: name.into(),
            docs: None,
            ty,
            required,
            nullable: false,
            deprecated: false,
            boxed: false,
            xml_attribute: false,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: Name::Given(name.into()),
            docs: None,
            origin: format!("t.yaml#/components/schemas/{name}"),
            kind: TypeKind::Struct(StructDef {
                fields,
                ..Default::default()
            }),
        }
    }

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
                field("value", TypeRef::Primitive(Primitive::I32), true),
                field("next", node, false),
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
        api.add_type(strukt("Node", vec![field("next", node, false)]));
        assert!(box_cycles(&mut api).is_empty());
        assert_eq!(boxed(&api), [("Node".to_string(), "next".to_string())]);
    }

    #[test]
    fn mutual_recursion_boxes_one_field() {
        let mut api = Api::default();
        api.add_type(strukt(
            "A",
            vec![field("b", TypeRef::Named(TypeId(1)), true)],
        ));
        api.add_type(strukt(
            "B",
            vec![field("a", TypeRef::Named(TypeId(0)), false)],
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
                field("children", TypeRef::List(Box::new(me.clone())), true),
                field("by_name", TypeRef::Map(Box::new(me)), false),
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
                }],
                discriminator: None,
                fallback: false,
            }),
        });
        api.add_type(strukt(
            "Neg",
            vec![field("inner", TypeRef::Named(TypeId(0)), true)],
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
}
