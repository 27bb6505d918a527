//! An index of a GraphQL schema (SDL): every named type with its fields, in document order.
//!
//! Only what lowering operations needs is kept: field types (still as GraphQL type expressions),
//! descriptions, deprecation, enum values, input fields, interface implementations and union
//! members. Type extensions (`extend type …`) are merged into the extended type.

use graphql_parser::schema::{self as s, Definition, TypeDefinition, TypeExtension};
use indexmap::IndexMap;

/// A GraphQL type expression with owned names.
pub(super) type GqlType = s::Type<'static, String>;

/// What kind of named type a [`TypeInfo`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A scalar (built-in or custom).
    Scalar,
    /// An object type.
    Object,
    /// An interface.
    Interface,
    /// A union.
    Union,
    /// An enum.
    Enum,
    /// An input object.
    Input,
}

/// A field of an object or interface type.
#[derive(Debug, Clone)]
pub(super) struct FieldInfo {
    /// The field's type expression.
    pub(super) ty: GqlType,
    /// Description.
    pub(super) docs: Option<String>,
    /// Marked `@deprecated`.
    pub(super) deprecated: bool,
}

/// A field of an input object.
#[derive(Debug, Clone)]
pub(super) struct InputInfo {
    /// Field name.
    pub(super) name: String,
    /// The field's type expression.
    pub(super) ty: GqlType,
    /// Position in the schema file.
    pub(super) pos: graphql_parser::Pos,
    /// Has a default value (so it may be omitted even when non-null).
    pub(super) has_default: bool,
    /// Description.
    pub(super) docs: Option<String>,
    /// Marked `@deprecated`.
    pub(super) deprecated: bool,
}

/// A named type of the schema.
#[derive(Debug, Clone)]
pub(super) struct TypeInfo {
    /// What it is.
    pub(super) kind: Kind,
    /// Description.
    pub(super) docs: Option<String>,
    /// Fields of objects and interfaces, by name, document order.
    pub(super) fields: IndexMap<String, FieldInfo>,
    /// Fields of input objects, document order.
    pub(super) inputs: Vec<InputInfo>,
    /// Values of enums with their descriptions, document order.
    pub(super) values: IndexMap<String, Option<String>>,
    /// Interfaces an object or interface implements.
    pub(super) interfaces: Vec<String>,
    /// Members of a union.
    pub(super) members: Vec<String>,
}

impl TypeInfo {
    fn new(kind: Kind, docs: Option<String>) -> Self {
        TypeInfo {
            kind,
            docs,
            fields: IndexMap::new(),
            inputs: Vec::new(),
            values: IndexMap::new(),
            interfaces: Vec::new(),
            members: Vec::new(),
        }
    }
}

/// The built-in scalars every schema has.
pub(super) const BUILTIN_SCALARS: [&str; 5] = ["Int", "Float", "String", "Boolean", "ID"];

/// A whole schema.
#[derive(Debug, Clone)]
pub(super) struct Schema {
    /// Named types by name, document order (built-in scalars first).
    pub(super) types: IndexMap<String, TypeInfo>,
    /// Name of the query root type.
    pub(super) query: String,
    /// Name of the mutation root type.
    pub(super) mutation: String,
    /// Name of the subscription root type.
    pub(super) subscription: String,
}

impl Schema {
    /// Builds the index from a parsed SDL document.
    pub(super) fn build(doc: &s::Document<'static, String>) -> Schema {
        let mut schema = Schema {
            types: IndexMap::new(),
            query: "Query".to_owned(),
            mutation: "Mutation".to_owned(),
            subscription: "Subscription".to_owned(),
        };
        for name in BUILTIN_SCALARS {
            schema
                .types
                .insert(name.to_owned(), TypeInfo::new(Kind::Scalar, None));
        }
        // Definitions first, then extensions, so an extension may precede its type in the file.
        for def in &doc.definitions {
            match def {
                Definition::SchemaDefinition(sd) => {
                    if let Some(q) = &sd.query {
                        schema.query = q.clone();
                    }
                    if let Some(m) = &sd.mutation {
                        schema.mutation = m.clone();
                    }
                    if let Some(s) = &sd.subscription {
                        schema.subscription = s.clone();
                    }
                }
                Definition::TypeDefinition(td) => schema.add_definition(td),
                Definition::TypeExtension(_) | Definition::DirectiveDefinition(_) => {}
            }
        }
        for def in &doc.definitions {
            if let Definition::TypeExtension(ext) = def {
                schema.add_extension(ext);
            }
        }
        schema
    }

    fn add_definition(&mut self, td: &TypeDefinition<'static, String>) {
        let (name, info) = match td {
            TypeDefinition::Scalar(t) => {
                (&t.name, TypeInfo::new(Kind::Scalar, t.description.clone()))
            }
            TypeDefinition::Object(t) => {
                let mut info = TypeInfo::new(Kind::Object, t.description.clone());
                info.interfaces = t.implements_interfaces.clone();
                add_fields(&mut info, &t.fields);
                (&t.name, info)
            }
            TypeDefinition::Interface(t) => {
                let mut info = TypeInfo::new(Kind::Interface, t.description.clone());
                info.interfaces = t.implements_interfaces.clone();
                add_fields(&mut info, &t.fields);
                (&t.name, info)
            }
            TypeDefinition::Union(t) => {
                let mut info = TypeInfo::new(Kind::Union, t.description.clone());
                info.members = t.types.clone();
                (&t.name, info)
            }
            TypeDefinition::Enum(t) => {
                let mut info = TypeInfo::new(Kind::Enum, t.description.clone());
                add_values(&mut info, &t.values);
                (&t.name, info)
            }
            TypeDefinition::InputObject(t) => {
                let mut info = TypeInfo::new(Kind::Input, t.description.clone());
                add_inputs(&mut info, &t.fields);
                (&t.name, info)
            }
        };
        self.types.insert(name.clone(), info);
    }

    fn add_extension(&mut self, ext: &TypeExtension<'static, String>) {
        let name = match ext {
            TypeExtension::Scalar(t) => &t.name,
            TypeExtension::Object(t) => &t.name,
            TypeExtension::Interface(t) => &t.name,
            TypeExtension::Union(t) => &t.name,
            TypeExtension::Enum(t) => &t.name,
            TypeExtension::InputObject(t) => &t.name,
        };
        // Extending an undefined type is a schema error; lowering then reports unknown fields.
        let Some(info) = self.types.get_mut(name) else {
            return;
        };
        match ext {
            TypeExtension::Scalar(_) => {}
            TypeExtension::Object(t) => {
                info.interfaces
                    .extend(t.implements_interfaces.iter().cloned());
                add_fields(info, &t.fields);
            }
            TypeExtension::Interface(t) => add_fields(info, &t.fields),
            TypeExtension::Union(t) => info.members.extend(t.types.iter().cloned()),
            TypeExtension::Enum(t) => add_values(info, &t.values),
            TypeExtension::InputObject(t) => add_inputs(info, &t.fields),
        }
    }

    /// The object types a value of type `name` can be: the members of a union, the objects
    /// implementing an interface (schema order), the object itself.
    pub(super) fn possible_types(&self, name: &str) -> Vec<String> {
        match self.types.get(name).map(|t| t.kind) {
            Some(Kind::Union) => self.types[name].members.clone(),
            Some(Kind::Interface) => self
                .types
                .iter()
                .filter(|(_, t)| t.kind == Kind::Object && t.interfaces.iter().any(|i| i == name))
                .map(|(n, _)| n.clone())
                .collect(),
            Some(Kind::Object) => vec![name.to_owned()],
            _ => Vec::new(),
        }
    }

    /// True when a fragment with type condition `condition` always applies to a value of type
    /// `on`: the same type, or `on` is an object implementing the interface / member of the union.
    pub(super) fn always_applies(&self, condition: &str, on: &str) -> bool {
        if condition == on {
            return true;
        }
        let (Some(c), Some(o)) = (self.types.get(condition), self.types.get(on)) else {
            return false;
        };
        match c.kind {
            Kind::Interface => o.interfaces.iter().any(|i| i == condition),
            Kind::Union => o.kind == Kind::Object && c.members.iter().any(|m| m == on),
            _ => false,
        }
    }
}

fn is_deprecated(directives: &[s::Directive<'static, String>]) -> bool {
    directives.iter().any(|d| d.name == "deprecated")
}

fn add_fields(info: &mut TypeInfo, fields: &[s::Field<'static, String>]) {
    for f in fields {
        info.fields.insert(
            f.name.clone(),
            FieldInfo {
                ty: f.field_type.clone(),
                docs: f.description.clone(),
                deprecated: is_deprecated(&f.directives),
            },
        );
    }
}

fn add_values(info: &mut TypeInfo, values: &[s::EnumValue<'static, String>]) {
    for v in values {
        info.values
            .entry(v.name.clone())
            .or_insert_with(|| v.description.clone());
    }
}

fn add_inputs(info: &mut TypeInfo, fields: &[s::InputValue<'static, String>]) {
    for f in fields {
        info.inputs.push(InputInfo {
            name: f.name.clone(),
            ty: f.value_type.clone(),
            pos: f.position,
            has_default: f.default_value.is_some(),
            docs: f.description.clone(),
            deprecated: is_deprecated(&f.directives),
        });
    }
}
