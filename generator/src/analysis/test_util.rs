//! What the analysis passes' unit tests share.

use crate::ir::{Field, Name, StructDef, TypeDef, TypeKind};

/// A struct type named `name` (a component of `t.yaml`) with `fields`.
pub(crate) fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
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
