//! Lowering of operations (selection sets and variables) against a [`Schema`] index.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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

/// Most types the operations may produce. Every variant of a union or interface enum repeats
/// the fields selected on the abstract type, so nested abstract selections multiply: a short
/// hostile document could otherwise ask for exponentially many types.
pub(super) const MAX_TYPES: usize = 50_000;
/// How deep selections may nest, fragments included. The parser bounds the nesting of one
/// definition, but fragments stack: a chain of fragments each selecting one level deeper nests
/// without bound, and a fragment that spreads itself inside a field nests forever (the response
/// type grew until memory ran out). Real operations nest a dozen levels.
const MAX_SELECTION_DEPTH: usize = 64;

/// Most response fields one operation may produce. Fragments spread twice per level double the
/// response shape at each level (`fragment F0 on Q { a { ...F1 } b: a { ...F1 } }` …): the types
/// would grow exponentially with the document. Real operations select hundreds of fields.
const MAX_RESPONSE_FIELDS: usize = 20_000;

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
    /// Operation names already lowered in the current file, to report duplicates.
    op_names: BTreeSet<String>,
    /// Operation names defined in more than one file: qualified with the file stem.
    pub(super) ambiguous: BTreeSet<String>,
    /// User mappings of custom scalars to Rust types (`--scalar NAME=TYPE`).
    scalars: BTreeMap<String, String>,
    /// `MAX_TYPES` was reached (reported once).
    too_many_types: bool,
    /// Byte offsets (just after a `{`) in the current document where `__typename` is inserted
    /// into the text sent: selection sets on unions and interfaces that are decoded by type.
    typename_at: BTreeSet<usize>,
    /// Response fields produced by the operation being lowered (see [`MAX_RESPONSE_FIELDS`]).
    op_fields: usize,
    /// The operation being lowered was refused as too deep or too large (reported once).
    op_refused: bool,
    /// Named fragments of the current document lowered to their own type so far (`None`: the
    /// fragment could not be lowered, already reported).
    frag_types: HashMap<String, Option<TypeRef>>,
    /// Fragments whose type is being lowered, outermost first (cycle check and depth).
    frag_stack: Vec<String>,
    /// Fragment types of all documents by fragment name: the text of the fragment and of every
    /// fragment it spreads (a document whose fragment has the same text shares the type), and
    /// the type.
    shared_frags: HashMap<String, Vec<(Option<String>, TypeRef)>>,
    /// Fragment type names given so far, normalised (see [`norm`]), for clash checks.
    frag_names: HashSet<String>,
    /// Nesting of [`Builder::lower_struct`] calls (fragments start their own paths).
    nesting: usize,
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
    /// The document's text (for byte offsets of selection sets).
    text: &'d str,
    /// Query, mutation or subscription.
    kind: ir::GraphQlKind,
    /// The text of each fragment definition (empty when the document does not split into
    /// definitions: fragments are then never shared with other documents).
    frag_text: &'d HashMap<&'d str, &'d str>,
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
            ambiguous: BTreeSet::new(),
            scalars: BTreeMap::new(),
            typename_at: BTreeSet::new(),
            too_many_types: false,
            op_fields: 0,
            op_refused: false,
            frag_types: HashMap::new(),
            frag_stack: Vec::new(),
            shared_frags: HashMap::new(),
            frag_names: HashSet::new(),
            nesting: 0,
        }
    }

    /// Sets the user's custom scalar mappings (already validated).
    pub(super) fn with_scalars(mut self, scalars: BTreeMap<String, String>) -> Self {
        self.scalars = scalars;
        self
    }

    /// How many diagnostics there are so far.
    pub(super) fn diagnostic_count(&self) -> usize {
        self.diagnostics.len()
    }

    /// Adds the validation errors of the document just lowered, except those lowering already
    /// reported: an error on the same line naming the same thing (`Missing` in "fragment
    /// `Missing` is not defined").
    pub(super) fn add_validation(&mut self, since: usize, found: Vec<Diagnostic>) {
        fn ticked(message: &str) -> BTreeSet<&str> {
            message.split('`').skip(1).step_by(2).collect()
        }
        let known: Vec<_> = self.diagnostics[since..]
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| {
                let l = d.location.as_ref()?;
                Some((l.file.clone(), l.line, ticked(&d.message)))
            })
            .collect();
        let repeated = |d: &Diagnostic| {
            let Some(l) = d.location.as_ref() else {
                return false;
            };
            let names = ticked(&d.message);
            known
                .iter()
                .any(|(f, line, k)| *f == l.file && *line == l.line && !k.is_disjoint(&names))
        };
        let fresh: Vec<_> = found.into_iter().filter(|d| !repeated(d)).collect();
        self.diagnostics.extend(fresh);
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
        self.op_names.clear();
        self.typename_at.clear();
        self.frag_types.clear();
        let mut frag_text = HashMap::new();
        if let Some(ranges) =
            super::document::definition_ranges(text).filter(|r| r.len() == doc.definitions.len())
        {
            for (def, (start, end)) in doc.definitions.iter().zip(ranges) {
                if let (Definition::Fragment(f), Some(t)) = (def, text.get(start..end)) {
                    frag_text.insert(f.name.as_str(), t);
                }
            }
        }
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
                OperationDefinition::Subscription(o) => (
                    "subscription",
                    o.position,
                    o.name.as_deref(),
                    &o.variable_definitions[..],
                    &o.selection_set,
                ),
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
                        format!("operation `{name}` is defined more than once in this file"),
                    )
                    .at_line(file, format!("/{name}"), pos.line as u32, pos.column as u32)
                    .help("operation names must be unique within an operation document"),
                );
                continue;
            }
            // The same name in another file: both are qualified with their file's stem.
            let qualified = self.ambiguous.contains(name).then(|| {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.diagnostics.push(
                    Diagnostic::warning(
                        "graphql::qualified_operation",
                        format!(
                            "operation `{name}` is defined in several operation documents: its client method is named after `{stem}_{name}`"
                        ),
                    )
                    .at_line(file, format!("/{name}"), pos.line as u32, pos.column as u32)
                    .help("rename one of the operations to choose the method names yourself"),
                );
                vec![stem, name.to_owned()]
            });
            let root = match kind {
                "mutation" => self.schema.mutation.clone(),
                "subscription" => self.schema.subscription.clone(),
                _ => self.schema.query.clone(),
            };
            let ctx = OpCtx {
                file,
                fragments: fragments.clone(),
                op: name,
                wire_name,
                text,
                kind: match kind {
                    "mutation" => ir::GraphQlKind::Mutation,
                    "subscription" => ir::GraphQlKind::Subscription,
                    _ => ir::GraphQlKind::Query,
                },
                frag_text: &frag_text,
            };
            self.lower_operation(&ctx, doc, index, qualified, &root, pos, vars, set);
        }
    }

    /// The text sent for the operation at `index`: its own text and its fragments', with
    /// `__typename` added where the result is decoded by type.
    fn operation_document(&self, text: &str, doc: &Doc, index: usize) -> String {
        let mut with_typename = String::with_capacity(text.len());
        let mut last = 0;
        for &at in &self.typename_at {
            if at > text.len() || !text.is_char_boundary(at) {
                continue;
            }
            with_typename.push_str(&text[last..at]);
            with_typename.push_str(" __typename");
            last = at;
        }
        with_typename.push_str(&text[last..]);
        let ranges = super::document::definition_ranges(&with_typename);
        super::document::operation_document(&with_typename, doc, ranges.as_deref(), index)
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        ctx: &OpCtx<'_>,
        doc: &Doc,
        index: usize,
        qualified: Option<Vec<String>>,
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
        let base: Vec<String> = qualified.clone().unwrap_or_else(|| vec![name.to_owned()]);
        let derived = |last: &str| {
            let mut parts = base.clone();
            parts.push(last.to_owned());
            Name::Derived(parts)
        };
        self.op_fields = 0;
        self.op_refused = false;

        // Variables.
        let mut fields = Vec::new();
        for v in vars {
            let ty = self.input_ref(
                ctx.file,
                &format!("/{name}/${}", v.name),
                v.position,
                &v.var_type,
            );
            fields.push(input_field(
                &v.name,
                ty,
                &v.var_type,
                v.default_value.is_some(),
            ));
        }
        let vars_id = self.api.add_type(TypeDef {
            name: derived("Variables"),
            docs: Some(format!("Variables of the `{name}` operation.")),
            origin: origin.clone(),
            kind: TypeKind::Struct(StructDef {
                fields,
                ..StructDef::default()
            }),
        });

        // Result.
        let data_id = self.lower_struct(ctx, derived("Data"), &base, root, &[set], &origin, None);

        let document = self.operation_document(ctx.text, doc, index);
        let enc = super::encoding(&document, ctx.wire_name, ctx.kind);
        self.api.operations.push(ir::Operation {
            server: None,
            name: match qualified {
                Some(parts) => Name::Derived(parts),
                None => Name::Given(name.to_owned()),
            },
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
    #[allow(clippy::too_many_arguments)]
    fn lower_struct(
        &mut self,
        ctx: &OpCtx<'_>,
        name: Name,
        path: &[String],
        on: &str,
        subsets: &[&SelectionSet],
        origin: &str,
        concrete: Option<&str>,
    ) -> TypeId {
        let mut groups: IndexMap<String, Group<'_>> = IndexMap::new();
        let mut spreads = Spreads::default();
        let mut flats = Vec::new();
        self.nesting += 1;
        for set in subsets {
            self.collect(
                ctx,
                on,
                set,
                false,
                &mut groups,
                &mut spreads,
                &mut flats,
                concrete,
            );
        }
        let id = self.api.add_type(TypeDef {
            name,
            docs: self.schema.types.get(on).and_then(|t| t.docs.clone()),
            origin: origin.to_owned(),
            kind: TypeKind::Struct(StructDef::default()),
        });
        let mut fields = Vec::new();
        // A member of a union enum reads its tag: `__typename` is in the text sent.
        if concrete.is_some() && !groups.contains_key("__typename") {
            fields.push(field(
                "__typename",
                TypeRef::Primitive(Primitive::String),
                true,
                false,
            ));
        }
        self.op_fields += groups.len();
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
        // Named fragments spread here: their shared types, flattened beside the own fields.
        let mut flatten = Vec::new();
        for (fragment, ty) in flats {
            flatten.push(fields.len());
            let mut f = field(&fragment, ty, true, false);
            f.docs = Some(format!("The fields of fragment `{fragment}`."));
            fields.push(f);
        }
        self.nesting -= 1;
        if let TypeKind::Struct(s) = &mut self.api.ty_mut(id).kind {
            s.fields = fields;
            s.flatten = flatten;
        }
        id
    }

    /// The shared type of named fragment `name` of the current document, lowered on first use:
    /// a struct of its selection on its type condition (an enum tagged on `__typename` when the
    /// condition is an interface or union and the selection names member types). A fragment
    /// whose text, and that of every fragment it spreads, is the same as in a document lowered
    /// before shares that document's type. `None` (reported) for a cycle or a fragment nested
    /// too deep.
    fn fragment_type(&mut self, ctx: &OpCtx<'_>, name: &str, pos: Pos) -> Option<TypeRef> {
        if let Some(known) = self.frag_types.get(name) {
            return known.clone();
        }
        let frag = *ctx.fragments.get(name)?;
        if self.frag_stack.iter().any(|f| f == name) || self.frag_stack.len() >= MAX_FRAGMENT_DEPTH
        {
            let message = if self.frag_stack.iter().any(|f| f == name) {
                format!("fragment `{name}` spreads itself")
            } else {
                format!("fragment spreads nest more than {MAX_FRAGMENT_DEPTH} deep at `{name}`")
            };
            self.diagnostics.push(
                Diagnostic::error("graphql::fragment_cycle", message).at_line(
                    ctx.file,
                    format!("/{}", ctx.op),
                    pos.line as u32,
                    pos.column as u32,
                ),
            );
            return None;
        }
        let q::TypeCondition::On(on) = &frag.type_condition;
        let kind = self.schema.types.get(on).map(|t| t.kind);
        if !matches!(kind, Some(Kind::Object | Kind::Interface | Kind::Union)) {
            // An unknown type condition or one on a scalar: the validation reports it.
            self.frag_types.insert(name.to_owned(), None);
            return None;
        }
        let closure = fragment_closure(ctx, frag);
        let mark = self.api.types.len();
        let origin = format!("{}#/{name}", ctx.file.display());
        let path = vec![name.to_owned()];
        let set = &frag.selection_set;
        self.frag_stack.push(name.to_owned());
        let enum_id = if matches!(kind, Some(Kind::Interface | Kind::Union)) {
            self.abstract_enum(ctx, &path, on, &[set], &origin)
        } else {
            None
        };
        let id = match enum_id {
            Some(id) => id,
            None => self.lower_struct(
                ctx,
                Name::Derived(path.clone()),
                &path,
                on,
                &[set],
                &origin,
                None,
            ),
        };
        self.frag_stack.pop();
        let earlier = self.shared_frags.get(name);
        // The same fragment (and the same fragments under it) in an earlier document: its type.
        if let Some(ty) = closure.as_ref().and_then(|c| {
            earlier?
                .iter()
                .find(|(text, _)| text.as_ref() == Some(c))
                .map(|(_, ty)| ty.clone())
        }) {
            // Everything lowered for this copy is unreachable: drop it (types registered by
            // name during it, enums and input objects, are dropped from the index too).
            self.api.types.truncate(mark);
            self.named.retain(|_, t| (t.0 as usize) < mark);
            self.frag_types.insert(name.to_owned(), Some(ty.clone()));
            return Some(ty);
        }
        let at = |d: Diagnostic| {
            d.at_line(
                ctx.file,
                format!("/{name}"),
                frag.position.line as u32,
                frag.position.column as u32,
            )
        };
        let type_name = if earlier.is_some_and(|e| !e.is_empty()) {
            let stem = ctx
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let renamed = Name::Derived(vec![stem, name.to_owned()]);
            self.diagnostics.push(at(Diagnostic::warning(
                "graphql::fragment_renamed",
                format!(
                    "fragment `{name}` differs from the fragment of the same name in another operation document: its type is named `{}`",
                    renamed.display()
                ),
            ))
            .help("give fragments that select different fields different names, or make their text the same to share one type"));
            renamed
        } else if self.name_taken(name) {
            let renamed = Name::Derived(vec![name.to_owned(), "Fragment".to_owned()]);
            self.diagnostics.push(at(Diagnostic::warning(
                "graphql::fragment_renamed",
                format!(
                    "fragment `{name}` has the name of a type of the schema or of another fragment: its type is named `{}`",
                    renamed.display()
                ),
            ))
            .help("rename the fragment to choose its type's name"));
            renamed
        } else {
            Name::Given(name.to_owned())
        };
        self.frag_names.insert(norm(&type_name.display()));
        let on_docs = self
            .schema
            .types
            .get(on.as_str())
            .and_then(|t| t.docs.clone());
        let def = self.api.ty_mut(id);
        def.name = type_name;
        def.docs = Some(match on_docs {
            Some(d) => format!("Fragment `{name}` on `{on}`.\n\n{d}"),
            None => format!("Fragment `{name}` on `{on}`."),
        });
        let ty = TypeRef::Named(id);
        self.shared_frags
            .entry(name.to_owned())
            .or_default()
            .push((closure, ty.clone()));
        self.frag_types.insert(name.to_owned(), Some(ty.clone()));
        Some(ty)
    }

    /// Whether a fragment type named `name` would clash with a type the schema names (enums
    /// and input objects keep their schema names), another fragment's type, or a type name the
    /// generated code uses unqualified.
    fn name_taken(&self, name: &str) -> bool {
        const RESERVED: &[&str] = &[
            "Option", "Some", "None", "String", "Vec", "Box", "Result", "Ok", "Err", "BTreeMap",
            "From", "Into", "ToString",
        ];
        let n = norm(name);
        self.frag_names.contains(&n)
            || RESERVED.iter().any(|r| norm(r) == n)
            || self
                .schema
                .types
                .iter()
                .any(|(t, info)| matches!(info.kind, Kind::Enum | Kind::Input) && norm(t) == n)
    }

    /// Flattens fields, fragment spreads and inline fragments into response-key groups.
    #[allow(clippy::too_many_arguments)]
    fn collect<'d>(
        &mut self,
        ctx: &OpCtx<'d>,
        on: &str,
        set: &'d SelectionSet,
        conditional: bool,
        groups: &mut IndexMap<String, Group<'d>>,
        spreads: &mut Spreads<'d>,
        flats: &mut Vec<(String, TypeRef)>,
        concrete: Option<&str>,
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
                    let cycle = spreads.active.contains(&s.fragment_name.as_str())
                        || self.frag_stack.contains(&s.fragment_name);
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
                    if concrete.is_some_and(|c| !self.schema.always_applies(cond_ty, c)) {
                        continue;
                    }
                    let cond = conditional
                        || is_conditional(&s.directives)
                        || (concrete.is_none() && !self.schema.always_applies(cond_ty, on));
                    // Spreading a fragment again into the same fields adds nothing; without
                    // this, fragments spreading the next one twice cost 2^depth.
                    if !spreads.done.insert((s.fragment_name.as_str(), cond)) {
                        continue;
                    }
                    // A spread that always applies: the fragment's own type, flattened.
                    if !cond {
                        if let Some(ty) = self.fragment_type(ctx, &s.fragment_name, s.position) {
                            flats.push((s.fragment_name.clone(), ty));
                        }
                        continue;
                    }
                    spreads.active.push(s.fragment_name.as_str());
                    self.collect(
                        ctx,
                        cond_ty,
                        &frag.selection_set,
                        cond,
                        groups,
                        spreads,
                        flats,
                        concrete,
                    );
                    spreads.active.pop();
                }
                Selection::InlineFragment(i) => {
                    let cond_ty = match &i.type_condition {
                        Some(q::TypeCondition::On(t)) => t.as_str(),
                        None => on,
                    };
                    if concrete.is_some_and(|c| !self.schema.always_applies(cond_ty, c)) {
                        continue;
                    }
                    let cond = conditional
                        || is_conditional(&i.directives)
                        || (concrete.is_none() && !self.schema.always_applies(cond_ty, on));
                    let cond_ty = cond_ty.to_owned();
                    self.collect(
                        ctx,
                        &cond_ty,
                        &i.selection_set,
                        cond,
                        groups,
                        spreads,
                        flats,
                        concrete,
                    );
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
            q::Type::ListType(inner) => {
                let item = self.output_ref(ctx, path, pointer, g, inner, origin);
                TypeRef::List(Box::new(nullable_item(inner, item)))
            }
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
                        let too_deep =
                            path.len() > MAX_SELECTION_DEPTH || self.nesting > MAX_SELECTION_DEPTH;
                        if too_deep || self.op_fields > MAX_RESPONSE_FIELDS {
                            if !self.op_refused {
                                self.op_refused = true;
                                let message = if too_deep {
                                    format!("selections of operation `{}` nest more than {MAX_SELECTION_DEPTH} levels deep", ctx.op)
                                } else {
                                    format!("operation `{}` selects more than {MAX_RESPONSE_FIELDS} response fields", ctx.op)
                                };
                                self.diagnostics.push(
                                    Diagnostic::error("graphql::selection_too_large", message)
                                        .at_line(ctx.file, pointer, g.pos.line as u32, g.pos.column as u32)
                                        .help("a fragment must not spread itself, directly or inside its fields; fragments spread several times per level multiply the response"),
                                );
                            }
                            return TypeRef::Any;
                        }
                        if self.api.types.len() >= MAX_TYPES {
                            if !self.too_many_types {
                                self.too_many_types = true;
                                self.diagnostics.push(
                                    Diagnostic::error(
                                        "graphql::too_many_types",
                                        format!("the operations need more than {MAX_TYPES} result types"),
                                    )
                                    .at_line(ctx.file, pointer, g.pos.line as u32, g.pos.column as u32)
                                    .help("split the operations, or select fields of unions and interfaces inside the fragments rather than beside them"),
                                );
                            }
                            return TypeRef::Any;
                        }
                        // `{ ...F }` and nothing else: the fragment's type itself.
                        if let Some((spread, frag)) = sole_spread(ctx, &g.subsets) {
                            let q::TypeCondition::On(cond) = &frag.type_condition;
                            if self.schema.always_applies(cond, n) {
                                if let Some(ty) = self.fragment_type(ctx, spread, g.pos) {
                                    return ty;
                                }
                            }
                        }
                        let subsets = g.subsets.clone();
                        if matches!(kind, Some(Kind::Interface | Kind::Union)) {
                            if let Some(id) = self.abstract_enum(ctx, path, n, &subsets, origin) {
                                return TypeRef::Named(id);
                            }
                        }
                        let id = self.lower_struct(
                            ctx,
                            Name::Derived(path.to_vec()),
                            path,
                            n,
                            &subsets,
                            origin,
                            None,
                        );
                        TypeRef::Named(id)
                    }
                    _ => self.leaf_ref(ctx.file, pointer, g.pos, n),
                }
            }
        }
    }

    /// A union or interface field whose selection picks out object types with fragments: an enum
    /// tagged on `__typename` with one variant per object type selected and an `Other`
    /// fallback (the fields selected on the abstract type itself). `None` when no fragment names
    /// an object type (a plain struct of the common fields is then the whole answer).
    fn abstract_enum(
        &mut self,
        ctx: &OpCtx<'_>,
        path: &[String],
        on: &str,
        subsets: &[&SelectionSet],
        origin: &str,
    ) -> Option<TypeId> {
        let possible = self.schema.possible_types(on);
        let mut members: Vec<String> = Vec::new();
        for set in subsets {
            self.type_conditions(ctx, set, &possible, &mut members, 0);
        }
        if members.is_empty() {
            return None;
        }
        // `__typename` goes into the text sent, right after each `{` of these selections.
        for set in subsets {
            let direct = set.items.iter().any(
                |s| matches!(s, Selection::Field(f) if f.name == "__typename" && f.alias.is_none()),
            );
            if !direct {
                let (line, column) = (set.span.0.line, set.span.0.column);
                if let Some(at) = offset_of(ctx.text, line, column)
                    .filter(|&at| ctx.text.as_bytes().get(at) == Some(&b'{'))
                {
                    self.typename_at.insert(at + 1);
                }
            }
        }
        let id = self.api.add_type(TypeDef {
            name: Name::Derived(path.to_vec()),
            docs: self.schema.types.get(on).and_then(|t| t.docs.clone()),
            origin: origin.to_owned(),
            kind: TypeKind::Union(ir::UnionDef::default()),
        });
        let mut variants = Vec::new();
        for (member, wire) in members
            .iter()
            .map(|m| (m.clone(), Some(m.clone())))
            .chain(std::iter::once(("Other".to_owned(), None)))
        {
            let concrete = wire.as_deref().unwrap_or(on);
            let mut sub = path.to_vec();
            sub.push(member.clone());
            let ty = self.lower_struct(
                ctx,
                Name::Derived(sub.clone()),
                // Types nested in a variant are named after it: `[op, field, Issue, author]`.
                &sub,
                concrete,
                subsets,
                origin,
                Some(concrete),
            );
            let docs = match &wire {
                Some(m) => format!("A `{m}`."),
                None => format!(
                    "Any other type (one this selection names no fragment for, or one added to the schema later): the fields selected on `{on}` itself."
                ),
            };
            variants.push(ir::UnionVariant {
                name: member,
                tag: wire,
                ty: TypeRef::Named(ty),
                docs: Some(docs),
                boxed: false,
            });
        }
        if let TypeKind::Union(u) = &mut self.api.ty_mut(id).kind {
            u.variants = variants;
            u.discriminator = Some("__typename".to_owned());
            u.fallback = true;
        }
        Some(id)
    }

    /// Adds to `out` (once each, in order of appearance) the object types of `possible` named as
    /// type conditions of fragments in `set` (following fragment spreads, not fields).
    fn type_conditions(
        &self,
        ctx: &OpCtx<'_>,
        set: &SelectionSet,
        possible: &[String],
        out: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > MAX_FRAGMENT_DEPTH {
            return;
        }
        for item in &set.items {
            let (cond, inner) = match item {
                Selection::Field(_) => continue,
                Selection::InlineFragment(i) => (
                    i.type_condition
                        .as_ref()
                        .map(|q::TypeCondition::On(t)| t.as_str()),
                    &i.selection_set,
                ),
                Selection::FragmentSpread(s) => {
                    let Some(frag) = ctx.fragments.get(s.fragment_name.as_str()) else {
                        continue;
                    };
                    let q::TypeCondition::On(t) = &frag.type_condition;
                    (Some(t.as_str()), &frag.selection_set)
                }
            };
            if let Some(c) = cond {
                if possible.iter().any(|p| p == c) && !out.iter().any(|o| o == c) {
                    out.push(c.to_owned());
                }
            }
            self.type_conditions(ctx, inner, possible, out, depth + 1);
        }
    }

    /// The type of a variable or input field.
    fn input_ref(&mut self, file: &Path, pointer: &str, pos: Pos, ty: &GqlType) -> TypeRef {
        match ty {
            q::Type::NonNullType(inner) => self.input_ref(file, pointer, pos, inner),
            q::Type::ListType(inner) => {
                let item = self.input_ref(file, pointer, pos, inner);
                TypeRef::List(Box::new(nullable_item(inner, item)))
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
                if let Some(rust) = self.scalars.get(name) {
                    return TypeRef::External(rust.clone());
                }
                if let Some(known) = super::well_known_scalar(name) {
                    return known;
                }
                if self.warned_scalars.insert(name.to_owned()) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "graphql::custom_scalar",
                            format!("custom scalar `{name}` is typed as any JSON value"),
                        )
                        .help(format!("map it to a Rust type with `--scalar {name}=TYPE` (e.g. `--scalar {name}=String`)"))
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
            kind: TypeKind::Enum(ir::EnumDef {
                values,
                ..Default::default()
            }),
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
            let file = self.schema_file.clone();
            let ty = self.input_ref(
                &file,
                &format!("/{name}/{}", input.name),
                input.pos,
                &input.ty,
            );
            let mut f = input_field(&input.name, ty, &input.ty, input.has_default);
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

/// A list item of GraphQL type `item`: nullable unless `item` is `T!`.
fn nullable_item(item: &GqlType, ty: TypeRef) -> TypeRef {
    match item {
        q::Type::NonNullType(_) => ty,
        _ => TypeRef::Nullable(Box::new(ty)),
    }
}

/// A variable or input field: non-null without default is required; non-null with a default
/// may be omitted (`Option`); nullable may be omitted or sent as `null` (tri-state).
fn input_field(name: &str, ty: TypeRef, gql: &GqlType, has_default: bool) -> Field {
    match gql {
        q::Type::NonNullType(_) => field(name, ty, !has_default, false),
        _ => field(name, TypeRef::Nullable(Box::new(ty)), false, false),
    }
}

/// Byte offset of 1-based `line` and character `column` in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut l = 1;
    let mut start = 0;
    if line > 1 {
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                l += 1;
                if l == line {
                    start = i + 1;
                    break;
                }
            }
        }
        if l != line {
            return None;
        }
    }
    let rest = &text[start..];
    let (i, _) = rest.char_indices().nth(column.checked_sub(1)?)?;
    Some(start + i)
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
        nullable,
        ..Field::new(name, ty, required)
    }
}

/// `name` lower-cased without anything but ASCII letters and digits: two names that are equal
/// so may become the same Rust type name. Not Rust casing (`rust::naming` cases and numbers
/// every name): a conservative check that decides when a fragment's type is renamed with a
/// `graphql::fragment_renamed` warning, so that the user reads the name the type gets.
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The fragment spread that is the whole of every selection set in `subsets` (`{ ...F }`, no
/// directives, the same fragment each time), with its definition.
fn sole_spread<'d>(ctx: &OpCtx<'d>, subsets: &[&SelectionSet]) -> Option<(&'d str, &'d Fragment)> {
    let mut found: Option<&str> = None;
    for set in subsets {
        let [Selection::FragmentSpread(s)] = &set.items[..] else {
            return None;
        };
        if !s.directives.is_empty() || found.is_some_and(|f| f != s.fragment_name) {
            return None;
        }
        found = Some(&s.fragment_name);
    }
    ctx.fragments.get_key_value(found?).map(|(k, f)| (*k, *f))
}

/// The text of fragment `frag` followed by that of every fragment it spreads, directly or not,
/// in name order: two documents whose fragment has the same closure get the same type. `None`
/// when a text is not known.
fn fragment_closure(ctx: &OpCtx<'_>, frag: &Fragment) -> Option<String> {
    let mut names = BTreeSet::new();
    names.insert(frag.name.as_str());
    let mut stack = vec![&frag.selection_set];
    while let Some(set) = stack.pop() {
        for item in &set.items {
            match item {
                Selection::Field(f) => stack.push(&f.selection_set),
                Selection::InlineFragment(i) => stack.push(&i.selection_set),
                Selection::FragmentSpread(s) => {
                    if let Some(f) = ctx.fragments.get(s.fragment_name.as_str()) {
                        if names.insert(f.name.as_str()) {
                            stack.push(&f.selection_set);
                        }
                    }
                }
            }
        }
    }
    let mut out = String::new();
    for name in names {
        out.push_str(ctx.frag_text.get(name)?);
        out.push('\n');
    }
    Some(out)
}
