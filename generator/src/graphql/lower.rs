//! Lowering of operations (selection sets and variables) against a [`Schema`] index.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use graphql_parser::query::{self as q, Definition, OperationDefinition, Selection};
use graphql_parser::Pos;
use indexmap::IndexMap;

use super::schema::{GqlType, Kind, Schema};
use crate::diag::Diagnostic;
use crate::ir::{
    self, Field, Method, Name, Primitive, RequestBody, Response, StatusMatch, StructDef, TypeDef,
    TypeId, TypeKind, TypeRef,
};

/// How deep fragment spreads may nest (a cycle is reported as such before this).
const MAX_FRAGMENT_DEPTH: usize = 32;

/// Fragment spreads met while collecting one selection's fields.
#[derive(Default)]
struct Spreads<'d> {
    /// Fragments being expanded, outermost first (a cycle check and the nesting depth).
    active: Vec<&'d str>,
    /// (fragment, conditional) already spread into these fields.
    done: HashSet<(&'d str, bool)>,
}

type Doc = q::Document<'static, String>;
type SelectionSet = q::SelectionSet<'static, String>;
type Fragment = q::FragmentDefinition<'static, String>;

/// Accumulates the IR of all operation documents lowered against one schema.
pub(super) struct Builder<'s> {
    schema: &'s Schema,
    /// The schema file, for origins and diagnostics of schema-defined types.
    schema_file: PathBuf,
    api: ir::Api,
    diagnostics: Vec<Diagnostic>,
    /// Shared types (enums, input objects) by GraphQL name; only looked up, never iterated.
    named: HashMap<String, TypeId>,
    /// Custom scalars already warned about.
    warned_scalars: BTreeSet<String>,
    /// Operation names already lowered, to report duplicates.
    op_names: BTreeSet<String>,
}

/// One response key of a selection set, merged over all selections that share it.
struct Group<'d> {
    /// Schema field name (`__typename` for the meta field).
    field: &'d str,
    /// Type the field is looked up on (the fragment's type condition, or the parent type).
    on: String,
    /// Position of the first selection, for diagnostics.
    pos: Pos,
    /// Every selection with this key is conditional (fragment that may not apply, `@skip`).
    conditional: bool,
    /// Sub-selections of every occurrence.
    subsets: Vec<&'d SelectionSet>,
}

/// Per-operation context.
struct OpCtx<'d> {
    file: &'d Path,
    fragments: HashMap<&'d str, &'d Fragment>,
    /// JSON-pointer-like path for diagnostics (`/Op/field/field`).
    op: &'d str,
    /// The name sent as `operationName`; empty for a lone anonymous operation.
    wire_name: &'d str,
}

impl<'s> Builder<'s> {
    pub(super) fn new(schema: &'s Schema, schema_file: &Path) -> Self {
        Builder {
            schema,
            schema_file: schema_file.to_path_buf(),
            api: ir::Api::default(),
            diagnostics: Vec::new(),
            named: HashMap::new(),
            warned_scalars: BTreeSet::new(),
            op_names: BTreeSet::new(),
        }
    }

    /// The types and operations built so far, and the diagnostics.
    pub(super) fn finish(self) -> (ir::Api, Vec<Diagnostic>) {
        (self.api, self.diagnostics)
    }

    /// Lowers every query and mutation of one parsed operation document.
    pub(super) fn lower_document(&mut self, file: &Path, text: &str, doc: &Doc) {
        let mut fragments = HashMap::new();
        for def in &doc.definitions {
            if let Definition::Fragment(f) = def {
                fragments.insert(f.name.as_str(), f);
            }
        }
        let ranges = super::document::definition_ranges(text);
        for (index, def) in doc.definitions.iter().enumerate() {
            let Definition::Operation(op) = def else {
                continue;
            };
            let (kind, pos, name, vars, set) = match op {
                OperationDefinition::SelectionSet(set) => ("query", set.span.0, None, &[][..], set),
                OperationDefinition::Query(o) => (
                    "query",
                    o.position,
                    o.name.as_deref(),
                    &o.variable_definitions[..],
                    &o.selection_set,
                ),
                OperationDefinition::Mutation(o) => (
                    "mutation",
                    o.position,
                    o.name.as_deref(),
                    &o.variable_definitions[..],
                    &o.selection_set,
                ),
                OperationDefinition::Subscription(o) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "graphql::subscription",
                            format!(
                                "subscription `{}` skipped: subscriptions are not supported",
                                o.name.as_deref().unwrap_or("<anonymous>")
                            ),
                        )
                        .at_line(
                            file,
                            "",
                            o.position.line as u32,
                            o.position.column as u32,
                        ),
                    );
                    continue;
                }
            };
            // An anonymous operation is valid when it is the only one in its document (the
            // GraphQL spec's "lone anonymous operation"): it is named after the file, and sent
            // without an `operationName`.
            let lone = doc
                .definitions
                .iter()
                .filter(|d| matches!(d, Definition::Operation(_)))
                .count()
                == 1;
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty());
            let (name, wire_name): (String, &str) = match (name, stem) {
                (Some(name), _) => (name.to_owned(), name),
                (None, Some(stem)) if lone => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "graphql::anonymous_operation",
                            format!("anonymous {kind} named `{stem}` after its file"),
                        )
                        .at_line(file, "", pos.line as u32, pos.column as u32)
                        .help("give the operation a name to choose the client method's name"),
                    );
                    (stem, "")
                }
                (None, _) => {
                    self.diagnostics.push(
                        Diagnostic::error("graphql::anonymous_operation", format!("anonymous {kind}"))
                            .at_line(file, "", pos.line as u32, pos.column as u32)
                            .help("give the operation a name: it becomes the client method's name (only the lone operation of a document may be anonymous)"),
                    );
                    continue;
                }
            };
            let name = name.as_str();
            if !self.op_names.insert(name.to_owned()) {
                self.diagnostics.push(
                    Diagnostic::error(
                        "graphql::duplicate_operation",
                        format!("operation `{name}` is defined more than once"),
                    )
                    .at_line(file, format!("/{name}"), pos.line as u32, pos.column as u32)
                    .help("operation names must be unique across all operation documents"),
                );
                continue;
            }
            let root = if kind == "mutation" {
                self.schema.mutation.clone()
            } else {
                self.schema.query.clone()
            };
            let ctx = OpCtx {
                file,
                fragments: fragments.clone(),
                op: name,
                wire_name,
            };
            let document = super::document::operation_document(text, doc, ranges.as_deref(), index);
            self.lower_operation(&ctx, &document, &root, pos, vars, set);
        }
    }

    fn lower_operation(
        &mut self,
        ctx: &OpCtx<'_>,
        document: &str,
        root: &str,
        pos: Pos,
        vars: &[q::VariableDefinition<'static, String>],
        set: &SelectionSet,
    ) {
        let name = ctx.op;
        if !self.schema.types.contains_key(root) {
            self.diagnostics.push(
                Diagnostic::error(
                    "graphql::missing_root",
                    format!("the schema has no `{root}` root type for operation `{name}`"),
                )
                .at_line(
                    ctx.file,
                    format!("/{name}"),
                    pos.line as u32,
                    pos.column as u32,
                ),
            );
            return;
        }
        let origin = format!("{}#/{name}", ctx.file.display());

        // Variables.
        let mut fields = Vec::new();
        for v in vars {
            let non_null = matches!(v.var_type, q::Type::NonNullType(_));
            let ty = self.input_ref(
                ctx.file,
                &format!("/{name}/${}", v.name),
                v.position,
                &v.var_type,
            );
            fields.push(field(
                &v.name,
                ty,
                non_null && v.default_value.is_none(),
                false,
            ));
        }
        let vars_id = self.api.add_type(TypeDef {
            name: Name::Derived(vec![name.to_owned(), "Variables".to_owned()]),
            docs: Some(format!("Variables of the `{name}` operation.")),
            origin: origin.clone(),
            kind: TypeKind::Struct(StructDef {
                fields,
                ..StructDef::default()
            }),
        });

        // Result.
        let data_id = self.lower_struct(
            ctx,
            Name::Derived(vec![name.to_owned(), "Data".to_owned()]),
            &[name.to_owned()],
            root,
            &[set],
            &origin,
        );

        let enc = super::encoding(document, ctx.wire_name);
        self.api.operations.push(ir::Operation {
            name: Name::Given(name.to_owned()),
            summary: None,
            docs: None,
            deprecated: false,
            tags: Vec::new(),
            origin,
            method: Method::Post,
            path: String::new(),
            params: Vec::new(),
            body: Some(RequestBody {
                ty: TypeRef::Named(vars_id),
                required: true,
                encoding: enc.clone(),
                docs: None,
            }),
            responses: vec![Response {
                status: StatusMatch::Code(200),
                ty: Some(TypeRef::Named(data_id)),
                encoding: enc,
                docs: None,
            }],
            security: None,
        });
    }

    /// Builds the struct for the selection sets `subsets` on type `on`.
    fn lower_struct(
        &mut self,
        ctx: &OpCtx<'_>,
        name: Name,
        path: &[String],
        on: &str,
        subsets: &[&SelectionSet],
        origin: &str,
    ) -> TypeId {
        let mut groups: IndexMap<String, Group<'_>> = IndexMap::new();
        let mut spreads = Spreads::default();
        for set in subsets {
            self.collect(ctx, on, set, false, &mut groups, &mut spreads);
        }
        let id = self.api.add_type(TypeDef {
            name,
            docs: self.schema.types.get(on).and_then(|t| t.docs.clone()),
            origin: origin.to_owned(),
            kind: TypeKind::Struct(StructDef::default()),
        });
        let mut fields = Vec::new();
        for (key, g) in &groups {
            let pointer = format!("/{}/{key}", path.join("/"));
            if g.field == "__typename" {
                fields.push(field(
                    key,
                    TypeRef::Primitive(Primitive::String),
                    !g.conditional,
                    g.conditional,
                ));
                continue;
            }
            let Some(info) = self
                .schema
                .types
                .get(&g.on)
                .and_then(|t| t.fields.get(g.field))
            else {
                self.diagnostics.push(
                    Diagnostic::error(
                        "graphql::unknown_field",
                        format!("type `{}` has no field `{}`", g.on, g.field),
                    )
                    .at_line(ctx.file, pointer, g.pos.line as u32, g.pos.column as u32)
                    .help("check the spelling against the schema"),
                );
                continue;
            };
            let info = info.clone();
            let mut sub_path = path.to_vec();
            sub_path.push(key.clone());
            let ty = self.output_ref(ctx, &sub_path, &pointer, g, &info.ty, origin);
            let nullable = g.conditional || !matches!(info.ty, q::Type::NonNullType(_));
            let mut f = field(key, ty, !nullable, nullable);
            f.docs = info.docs;
            f.deprecated = info.deprecated;
            fields.push(f);
        }
        if let TypeKind::Struct(s) = &mut self.api.ty_mut(id).kind {
            s.fields = fields;
        }
        id
    }

    /// Flattens fields, fragment spreads and inline fragments into response-key groups.
    fn collect<'d>(
        &mut self,
        ctx: &OpCtx<'d>,
        on: &str,
        set: &'d SelectionSet,
        conditional: bool,
        groups: &mut IndexMap<String, Group<'d>>,
        spreads: &mut Spreads<'d>,
    ) {
        let depth = spreads.active.len();
        for item in &set.items {
            match item {
                Selection::Field(f) => {
                    let key = f.alias.clone().unwrap_or_else(|| f.name.clone());
                    let cond = conditional || is_conditional(&f.directives);
                    let g = groups.entry(key).or_insert_with(|| Group {
                        field: &f.name,
                        on: on.to_owned(),
                        pos: f.position,
                        conditional: cond,
                        subsets: Vec::new(),
                    });
                    g.conditional &= cond;
                    g.subsets.push(&f.selection_set);
                }
                Selection::FragmentSpread(s) => {
                    let Some(frag) = ctx.fragments.get(s.fragment_name.as_str()).copied() else {
                        self.diagnostics.push(
                            Diagnostic::error(
                                "graphql::unknown_fragment",
                                format!(
                                    "fragment `{}` is not defined in this document",
                                    s.fragment_name
                                ),
                            )
                            .at_line(
                                ctx.file,
                                format!("/{}", ctx.op),
                                s.position.line as u32,
                                s.position.column as u32,
                            ),
                        );
                        continue;
                    };
                    let cycle = spreads.active.contains(&s.fragment_name.as_str());
                    if cycle || depth >= MAX_FRAGMENT_DEPTH {
                        let message = if cycle {
                            format!("fragment `{}` spreads itself", s.fragment_name)
                        } else {
                            format!(
                                "fragment spreads nest more than {MAX_FRAGMENT_DEPTH} deep at `{}`",
                                s.fragment_name
                            )
                        };
                        self.diagnostics.push(
                            Diagnostic::error("graphql::fragment_cycle", message).at_line(
                                ctx.file,
                                format!("/{}", ctx.op),
                                s.position.line as u32,
                                s.position.column as u32,
                            ),
                        );
                        continue;
                    }
                    let q::TypeCondition::On(cond_ty) = &frag.type_condition;
                    let cond = conditional
                        || is_conditional(&s.directives)
                        || !self.schema.always_applies(cond_ty, on);
                    // Spreading a fragment again into the same fields adds nothing; without
                    // this, fragments spreading the next one twice cost 2^depth.
                    if !spreads.done.insert((s.fragment_name.as_str(), cond)) {
                        continue;
                    }
                    spreads.active.push(s.fragment_name.as_str());
                    self.collect(ctx, cond_ty, &frag.selection_set, cond, groups, spreads);
                    spreads.active.pop();
                }
                Selection::InlineFragment(i) => {
                    let cond_ty = match &i.type_condition {
                        Some(q::TypeCondition::On(t)) => t.as_str(),
                        None => on,
                    };
                    let cond = conditional
                        || is_conditional(&i.directives)
                        || !self.schema.always_applies(cond_ty, on);
                    let cond_ty = cond_ty.to_owned();
                    self.collect(ctx, &cond_ty, &i.selection_set, cond, groups, spreads);
                }
            }
        }
    }

    /// The type of a selected field: scalars and enums directly, objects as derived structs.
    fn output_ref(
        &mut self,
        ctx: &OpCtx<'_>,
        path: &[String],
        pointer: &str,
        g: &Group<'_>,
        ty: &GqlType,
        origin: &str,
    ) -> TypeRef {
        match ty {
            q::Type::NonNullType(inner) => self.output_ref(ctx, path, pointer, g, inner, origin),
            q::Type::ListType(inner) => TypeRef::List(Box::new(
                self.output_ref(ctx, path, pointer, g, inner, origin),
            )),
            q::Type::NamedType(n) => {
                let kind = self.schema.types.get(n).map(|t| t.kind);
                match kind {
                    Some(Kind::Object | Kind::Interface | Kind::Union) => {
                        if g.subsets.iter().all(|s| s.items.is_empty()) {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "graphql::missing_selection",
                                    format!(
                                        "field `{}` of type `{n}` needs a selection set",
                                        g.field
                                    ),
                                )
                                .at_line(ctx.file, pointer, g.pos.line as u32, g.pos.column as u32)
                                .help("select the sub-fields you need, e.g. `{ id }`"),
                            );
                            return TypeRef::Any;
                        }
                        let subsets = g.subsets.clone();
                        let id = self.lower_struct(
                            ctx,
                            Name::Derived(path.to_vec()),
                            path,
                            n,
                            &subsets,
                            origin,
                        );
                        TypeRef::Named(id)
                    }
                    _ => self.leaf_ref(ctx.file, pointer, g.pos, n),
                }
            }
        }
    }

    /// The type of a variable or input field.
    fn input_ref(&mut self, file: &Path, pointer: &str, pos: Pos, ty: &GqlType) -> TypeRef {
        match ty {
            q::Type::NonNullType(inner) => self.input_ref(file, pointer, pos, inner),
            q::Type::ListType(inner) => {
                TypeRef::List(Box::new(self.input_ref(file, pointer, pos, inner)))
            }
            q::Type::NamedType(n) => match self.schema.types.get(n).map(|t| t.kind) {
                Some(Kind::Input) => TypeRef::Named(self.input_object(n)),
                Some(Kind::Object | Kind::Interface | Kind::Union) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "graphql::not_input_type",
                            format!("`{n}` is an output type and cannot be used as an input"),
                        )
                        .at_line(
                            file,
                            pointer,
                            pos.line as u32,
                            pos.column as u32,
                        ),
                    );
                    TypeRef::Any
                }
                _ => self.leaf_ref(file, pointer, pos, n),
            },
        }
    }

    /// Scalars and enums (and unknown type names, reported here).
    fn leaf_ref(&mut self, file: &Path, pointer: &str, pos: Pos, name: &str) -> TypeRef {
        let prim = |p| TypeRef::Primitive(p);
        match name {
            "String" | "ID" => return prim(Primitive::String),
            "Int" => return prim(Primitive::I32),
            "Float" => return prim(Primitive::F64),
            "Boolean" => return prim(Primitive::Bool),
            _ => {}
        }
        match self.schema.types.get(name).map(|t| t.kind) {
            Some(Kind::Enum) => TypeRef::Named(self.enum_type(name)),
            Some(Kind::Scalar) => {
                if self.warned_scalars.insert(name.to_owned()) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "graphql::custom_scalar",
                            format!("custom scalar `{name}` is typed as any JSON value"),
                        )
                        .at_line(
                            file,
                            pointer,
                            pos.line as u32,
                            pos.column as u32,
                        ),
                    );
                }
                TypeRef::Any
            }
            _ => {
                self.diagnostics.push(
                    Diagnostic::error("graphql::unknown_type", format!("unknown type `{name}`"))
                        .at_line(file, pointer, pos.line as u32, pos.column as u32)
                        .help("check the spelling against the schema"),
                );
                TypeRef::Any
            }
        }
    }

    /// The shared enum type for a GraphQL enum.
    fn enum_type(&mut self, name: &str) -> TypeId {
        if let Some(id) = self.named.get(name) {
            return *id;
        }
        let info = &self.schema.types[name];
        let values = info
            .values
            .iter()
            .map(|(wire, docs)| ir::EnumValue {
                wire: wire.clone(),
                docs: docs.clone(),
            })
            .collect();
        let id = self.api.add_type(TypeDef {
            name: Name::Given(name.to_owned()),
            docs: info.docs.clone(),
            origin: schema_origin(&self.schema_file, name),
            kind: TypeKind::Enum(ir::EnumDef { values }),
        });
        self.named.insert(name.to_owned(), id);
        id
    }

    /// The shared struct for a GraphQL input object (registered before its fields, so
    /// recursive inputs terminate).
    fn input_object(&mut self, name: &str) -> TypeId {
        if let Some(id) = self.named.get(name) {
            return *id;
        }
        let info = self.schema.types[name].clone();
        let id = self.api.add_type(TypeDef {
            name: Name::Given(name.to_owned()),
            docs: info.docs.clone(),
            origin: schema_origin(&self.schema_file, name),
            kind: TypeKind::Struct(StructDef::default()),
        });
        self.named.insert(name.to_owned(), id);
        let mut fields = Vec::new();
        for input in &info.inputs {
            let non_null = matches!(input.ty, q::Type::NonNullType(_));
            let file = self.schema_file.clone();
            let ty = self.input_ref(
                &file,
                &format!("/{name}/{}", input.name),
                input.pos,
                &input.ty,
            );
            let mut f = field(&input.name, ty, non_null && !input.has_default, false);
            f.docs = input.docs.clone();
            f.deprecated = input.deprecated;
            fields.push(f);
        }
        if let TypeKind::Struct(s) = &mut self.api.ty_mut(id).kind {
            s.fields = fields;
        }
        id
    }
}

/// Origin of a type defined by the schema: `schema.graphql#/TypeName`.
fn schema_origin(file: &Path, name: &str) -> String {
    format!("{}#/{name}", file.display())
}

/// `@skip` and `@include` make a selection conditional.
fn is_conditional(directives: &[q::Directive<'static, String>]) -> bool {
    directives
        .iter()
        .any(|d| d.name == "skip" || d.name == "include")
}

/// A plain field.
fn field(name: &str, ty: TypeRef, required: bool, nullable: bool) -> Field {
    Field {
        name: name.to_owned(),
        docs: None,
        ty,
        required,
        nullable,
        deprecated: false,
        boxed: false,
        xml_attribute: false,
    }
}
