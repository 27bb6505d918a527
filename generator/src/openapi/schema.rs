//! Schema lowering: components and inline schemas → [`TypeDef`]s and [`TypeRef`]s.
//!
//! Every component schema gets a [`TypeDef`] up front (so `$ref` cycles resolve to ids); a `$ref`
//! to any other location gets one lazily, once. Inline objects, enums and unions become
//! [`Name::Derived`] types named after where they appear (`["Pet", "status"]`,
//! `["Pet", "tags", "item"]`).

use crate::load::{AtPointer, FastMap, FastSet, Members};

use serde_json::{Map, Value};

use super::{json_kind, ptr, text, Cx};
use crate::ir::{
    EnumDef, EnumKind, EnumValue, Field, Name, Primitive, StructDef, TypeDef, TypeId, TypeKind,
    TypeRef, UnionDef, UnionVariant,
};
use crate::load::refs::{FileId, Target};
use crate::load::unescape_token;

/// The result of lowering one schema use.
#[derive(Debug, Clone)]
pub(crate) struct SchemaOut {
    /// The type.
    pub(crate) ty: TypeRef,
    /// `null` is allowed (`nullable: true`, or a `oneOf` with a null member).
    pub(crate) nullable: bool,
}

impl SchemaOut {
    fn any() -> Self {
        SchemaOut {
            ty: TypeRef::Any,
            nullable: false,
        }
    }
}

/// What a schema turns into before it is placed: a plain type expression or a definition.
enum Shape {
    Ref(TypeRef),
    Def(TypeKind),
}

/// Keywords beside `$ref` that make an OpenAPI 3.1 schema `allOf: [{$ref}, {siblings}]`
/// ([`Cx::ref_all_of`]).
const REF_MERGED: &[&str] = &["properties", "additionalProperties", "required", "allOf"];

/// Keys that give a schema a shape (a member of `allOf` without any is just documentation).
const SHAPE_KEYS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "items",
];

/// Whether the `oneOf`/`anyOf` `members` of the object schema `m` only constrain it (each a
/// mapping with no shape of its own: `required`, `minProperties`, `not` and the like, at most a
/// `type` equal to the object's), so the union is no union of types.
fn constraints_only(m: &Map<String, Value>, members: &Value) -> bool {
    let object = m.field("type").and_then(Value::as_str) == Some("object")
        || (m.field("type").is_none() && m.has_field("properties"));
    let Some(members) = members.as_array() else {
        return false;
    };
    object
        && !members.is_empty()
        && members.iter().all(|v| {
            v.as_object().is_some_and(|o| {
                o.keys().all(|k| {
                    !SHAPE_KEYS.contains(&k.as_str())
                        && !matches!(k.as_str(), "const" | "prefixItems" | "nullable")
                        || (k == "type" && o.field("type") == Some(&Value::from("object")))
                })
            })
        })
}

/// Most schemas lowered inside one another (inline schemas and `$ref`s to schemas not lowered
/// yet) before a newly referenced schema is put aside and lowered later from the top
/// ([`Cx::fill_pending`]). Keeps the recursion shallow whatever the input: a chain of 10,000
/// references across files or inline locations would otherwise recurse 10,000 deep. The depth of
/// inline nesting alone is bounded by the parsers (serde_json and the YAML parser stop at 128).
pub(crate) const MAX_NESTING: usize = 48;

/// Most `$ref`s followed one by one to merge the siblings beside each ([`Cx::ref_hops`]); a
/// longer chain merges the siblings of its first places only, with a warning.
pub(crate) const MAX_REF_HOPS: usize = 256;

/// Accumulated fields of an `allOf` merge.
#[derive(Default)]
struct Merge {
    fields: Vec<Field>,
    index: FastMap<String, usize>,
    required: Vec<String>,
    additional: Option<TypeRef>,
    /// Properties marked `readOnly` or `writeOnly`: never required (see [`Merge::finish`]).
    one_way: FastSet<String>,
    /// Indexes into `fields` of the unions among the members (`allOf: [{anyOf: […]}, {…}]`):
    /// fields whose value sits beside the others on the wire ([`StructDef::flatten`]).
    flatten: Vec<usize>,
}

impl Cx {
    /// Creates a [`TypeDef`] for every `components/schemas` entry of the root document, then
    /// lowers them in document order.
    pub(crate) fn register_components(&mut self) {
        let doc = self.docs.doc(0);
        let comps = self.object_at(0, "/components", doc.value.field("components"), true);
        let Some(schemas) = comps.and_then(|c| c.field("schemas")) else {
            return;
        };
        let Some(schemas) = self.object_at(0, "/components/schemas", Some(schemas), true) else {
            return;
        };
        let mut todo = Vec::with_capacity(schemas.len());
        for name in schemas.keys() {
            let target = Target {
                file: 0,
                pointer: ptr("/components/schemas", name),
            };
            let id = self.register(&target, Name::Given(name.clone()));
            todo.push((id, target));
        }
        for (id, target) in todo {
            self.fill_def(id, &target);
        }
    }

    /// Lowers the schema at `pointer` in `file`. `hint` names inline types defined there.
    pub(crate) fn schema(&mut self, file: FileId, pointer: &str, hint: &[String]) -> SchemaOut {
        self.schema_read(file, pointer, None, hint)
    }

    /// [`Cx::schema_read`] with a [`Hint`].
    fn schema_in(
        &mut self,
        file: FileId,
        pointer: &str,
        known: Option<&Value>,
        hint: Hint<'_>,
    ) -> SchemaOut {
        self.nesting += 1;
        let out = self.schema_at(file, pointer, known, hint);
        self.nesting -= 1;
        out
    }

    /// [`Cx::schema`] when the caller has already read the value at `pointer` (`known`):
    /// looking a property up again from the document's root costs a lookup per token of its
    /// pointer (`/paths/~1v1~1…/properties/x`).
    pub(crate) fn schema_read(
        &mut self,
        file: FileId,
        pointer: &str,
        known: Option<&Value>,
        hint: &[String],
    ) -> SchemaOut {
        self.schema_in(file, pointer, known, Hint::Parts(hint))
    }

    fn schema_at(
        &mut self,
        file: FileId,
        pointer: &str,
        known: Option<&Value>,
        hint: Hint<'_>,
    ) -> SchemaOut {
        let target = Target {
            file,
            pointer: pointer.to_owned(),
        };
        if let Some(id) = self.named.get(&target) {
            return self.named_out(*id, false);
        }
        if let Some(out) = self.inline.get(&target) {
            let out = out.clone();
            if let Some(at) = self.inline_broken.get(&target).cloned() {
                // Whoever uses this schema depends on the broken reference inside it.
                self.broken.push(at);
            }
            return out;
        }
        let mark = self.broken.len();
        let doc = self.docs.doc(file);
        let m = match known.or_else(|| crate::load::pointer(&doc.value, pointer)) {
            Some(Value::Object(m)) => m,
            Some(Value::Bool(true)) | None => return SchemaOut::any(),
            Some(other) => {
                self.warn(
                    file,
                    pointer,
                    "openapi::invalid_schema",
                    format!(
                        "a schema must be a mapping, found {}; using any value",
                        json_kind(other)
                    ),
                    "write the schema as a mapping such as `{type: string}`",
                );
                return SchemaOut::any();
            }
        };
        if let Some(r) = m.field("$ref").filter(|_| !self.ref_merges(m)) {
            self.ref_siblings(file, pointer, m);
            let nullable = m.field("nullable") == Some(&Value::Bool(true));
            let Some(r) = r.as_str() else {
                self.dangling(
                    Target {
                        file,
                        pointer: ptr(pointer, "$ref"),
                    },
                    "`$ref` must be a string".into(),
                );
                return SchemaOut::any();
            };
            return match self.docs.resolve(file, r) {
                Ok(t) => {
                    let id = self.named_def(t);
                    self.named_out(id, nullable)
                }
                Err(msg) => {
                    self.dangling(
                        Target {
                            file,
                            pointer: ptr(pointer, "$ref"),
                        },
                        msg,
                    );
                    SchemaOut::any()
                }
            };
        }
        let (shape, nullable) = self.shape(file, pointer, m, hint);
        let out = match shape {
            Shape::Ref(ty) => SchemaOut { ty, nullable },
            Shape::Def(kind) => {
                let name = self.derived_name(&hint.to_vec());
                let id = self.api.add_type(TypeDef {
                    name,
                    docs: schema_docs(m),
                    origin: self.origin(file, pointer),
                    kind,
                });
                if let Some(at) = self.broken_since(mark) {
                    self.type_broken.insert(id, at);
                }
                if m.field("deprecated") == Some(&Value::Bool(true)) {
                    self.api.deprecated_types.insert(id);
                }
                SchemaOut {
                    ty: TypeRef::Named(id),
                    nullable,
                }
            }
        };
        if let Some(at) = self.broken_since(mark) {
            self.inline_broken.insert(target.clone(), at);
        }
        self.inline.insert(target, out.clone());
        out
    }

    fn named_out(&self, id: TypeId, nullable: bool) -> SchemaOut {
        SchemaOut {
            ty: TypeRef::Named(id),
            nullable: nullable || self.nullable_defs.contains(&id),
        }
    }

    /// The TypeDef of the schema at `target`, creating and lowering it on first use.
    fn named_def(&mut self, target: Target) -> TypeId {
        if let Some(id) = self.named.get(&target) {
            return *id;
        }
        if let Some(SchemaOut {
            ty: TypeRef::Named(id),
            ..
        }) = self.inline.get(&target)
        {
            return *id;
        }
        let name = self.name_for_target(&target);
        let id = self.register(&target, name);
        if self.nesting >= MAX_NESTING {
            self.pending.push_back((id, target));
        } else {
            self.nesting += 1;
            self.fill_def(id, &target);
            self.nesting -= 1;
        }
        id
    }

    /// Lowers the referenced schemas put aside by [`Cx::named_def`], in the order they were met
    /// (lowering one may put more aside).
    pub(crate) fn fill_pending(&mut self) {
        while let Some((id, target)) = self.pending.pop_front() {
            self.fill_def(id, &target);
        }
    }

    /// Adds a placeholder TypeDef for `target` and records it.
    fn register(&mut self, target: &Target, name: Name) -> TypeId {
        let name = match name {
            Name::Given(n) => Name::Given(n),
            Name::Derived(parts) => self.derived_name(&parts),
        };
        let id = self.api.add_type(TypeDef {
            name,
            docs: None,
            origin: self.origin(target.file, &target.pointer),
            kind: TypeKind::Alias(TypeRef::Any),
        });
        self.named.insert(target.clone(), id);
        id
    }

    /// A name for a schema reached by `$ref` at `target`.
    fn name_for_target(&self, target: &Target) -> Name {
        let tokens: Vec<String> = target
            .pointer
            .split('/')
            .skip(1)
            .map(unescape_token)
            .collect();
        match tokens.as_slice() {
            [] => Name::Given(
                self.docs
                    .doc(target.file)
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Document".into()),
            ),
            [c, s, name] if c == "components" && s == "schemas" => Name::Given(name.clone()),
            [d, name] if d == "definitions" || d == "$defs" => Name::Given(name.clone()),
            [name] => Name::Given(name.clone()),
            _ => Name::Derived(
                tokens
                    .iter()
                    .filter(|t| {
                        !matches!(
                            t.as_str(),
                            "components" | "schemas" | "properties" | "definitions" | "$defs"
                        )
                    })
                    .map(|t| {
                        if t == "items" {
                            "item".into()
                        } else {
                            t.clone()
                        }
                    })
                    .collect(),
            ),
        }
    }

    /// Lowers the schema at `target` into the already registered TypeDef `id`.
    fn fill_def(&mut self, id: TypeId, target: &Target) {
        let mark = self.broken.len();
        self.fill_def_at(id, target);
        if let Some(at) = self.broken_since(mark) {
            self.type_broken.entry(id).or_insert(at);
        }
    }

    fn fill_def_at(&mut self, id: TypeId, target: &Target) {
        let doc = self.docs.doc(target.file);
        let hint = match &self.api.ty(id).name {
            Name::Given(n) => vec![n.clone()],
            Name::Derived(p) => p.clone(),
        };
        let value = crate::load::pointer(&doc.value, &target.pointer);
        let deprecated = value.and_then(|v| v.field("deprecated")) == Some(&Value::Bool(true));
        let (kind, docs, nullable) = match value {
            Some(Value::Object(m)) => {
                let docs = schema_docs(m);
                if let Some(r) = m.field("$ref").filter(|_| !self.ref_merges(m)) {
                    self.ref_siblings(target.file, &target.pointer, m);
                    let kind = match self.docs.follow(target.clone()) {
                        Err((at, msg)) => {
                            self.dangling(at, msg);
                            TypeKind::Alias(TypeRef::Any)
                        }
                        Ok(_) => match r.as_str().map(|r| self.docs.resolve(target.file, r)) {
                            Some(Ok(t)) => {
                                let other = self.named_def(t);
                                if other == id {
                                    TypeKind::Alias(TypeRef::Any)
                                } else {
                                    TypeKind::Alias(TypeRef::Named(other))
                                }
                            }
                            _ => TypeKind::Alias(TypeRef::Any),
                        },
                    };
                    (kind, docs, m.field("nullable") == Some(&Value::Bool(true)))
                } else {
                    let (shape, nullable) =
                        self.shape(target.file, &target.pointer, m, Hint::Parts(&hint));
                    let kind = match shape {
                        Shape::Ref(t) => TypeKind::Alias(t),
                        Shape::Def(k) => k,
                    };
                    (kind, docs, nullable)
                }
            }
            Some(Value::Bool(true)) | None => (TypeKind::Alias(TypeRef::Any), None, false),
            Some(other) => {
                self.warn(
                    target.file,
                    &target.pointer,
                    "openapi::invalid_schema",
                    format!(
                        "a schema must be a mapping, found {}; using any value",
                        json_kind(other)
                    ),
                    "write the schema as a mapping such as `{type: object, properties: {…}}`",
                );
                (TypeKind::Alias(TypeRef::Any), None, false)
            }
        };
        if nullable {
            self.nullable_defs.insert(id);
        }
        if deprecated {
            self.api.deprecated_types.insert(id);
        }
        let def = self.api.ty_mut(id);
        def.kind = kind;
        def.docs = docs;
    }

    /// The shape of a schema mapping that is not a `$ref`, and whether it is nullable.
    fn shape(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        hint: Hint<'_>,
    ) -> (Shape, bool) {
        let mut nullable = m.field("nullable") == Some(&Value::Bool(true));
        if m.has_field("$ref") {
            // OpenAPI 3.1 with `properties`, `required`, … beside the reference
            // ([`Cx::ref_merges`]): `allOf: [{$ref}, {siblings}]`.
            return (self.ref_all_of(file, pointer, m, hint), nullable);
        }
        // One pass over the members finds whether any keyword is unsupported (most schemas have
        // none), rather than a look-up of each keyword.
        let unsupported = m.keys().any(|k| UNSUPPORTED_KEYWORDS.contains(&k.as_str()));
        for key in UNSUPPORTED_KEYWORDS.iter().filter(|_| unsupported) {
            if m.has_field(key) {
                self.warn(
                    file,
                    &ptr(pointer, key),
                    "openapi::unsupported_keyword",
                    format!("`{key}` is not supported and is ignored"),
                    "the generated type may accept more values than the schema allows",
                );
            }
        }
        if let Some(members) = m.field("allOf") {
            return self.all_of(file, pointer, m, members, hint, nullable);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = m.field(key) {
                if constraints_only(m, members) {
                    // `anyOf: [{required: [a]}, {required: [b]}]` beside `properties` (GitHub's
                    // gist update, OpenAI's vector store batches): which properties must be
                    // present, not alternative shapes; the object's type covers every valid
                    // value, like the other validation keywords that are not enforced.
                    continue;
                }
                return self.union(file, pointer, key, m, members, hint, nullable);
            }
        }
        if let Some(c) = m.field("const").filter(|c| !c.is_null()) {
            // JSON Schema `const` (OpenAPI 3.1): a one-value enum.
            let one = std::slice::from_ref(c);
            if let Some(kind) = self.value_enum(file, (pointer, "const"), m, one, &mut nullable) {
                return (Shape::Def(kind), nullable);
            }
        }
        if let Some(values) = m.field("enum") {
            // The pointer of `enum` is made only for a warning.
            let values = match values {
                Value::Array(values) => Some(values),
                other => self.array_at(file, &ptr(pointer, "enum"), Some(other)),
            };
            if let Some(values) = values {
                if let Some(kind) =
                    self.value_enum(file, (pointer, "enum"), m, values, &mut nullable)
                {
                    return (Shape::Def(kind), nullable);
                }
            }
        }
        let ty = match m.field("type") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(Value::Array(types)) => {
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                if names.contains(&"null") {
                    nullable = true;
                }
                let mut rest: Vec<&str> = Vec::new();
                for t in names {
                    if t != "null" && !rest.contains(&t) {
                        rest.push(t);
                    }
                }
                match rest.as_slice() {
                    [] => Some("null"),
                    [one] => Some(*one),
                    // `number` takes every integer too.
                    ["integer", "number"] | ["number", "integer"] => Some("number"),
                    _ => return (self.type_union(file, pointer, m, &rest, hint), nullable),
                }
            }
            Some(other) => {
                self.warn(
                    file,
                    &ptr(pointer, "type"),
                    "openapi::wrong_type",
                    format!(
                        "`type` must be a string, found {}; ignored",
                        json_kind(other)
                    ),
                    "use one of string, integer, number, boolean, array, object",
                );
                None
            }
        };
        let shape = match ty {
            Some("null") => {
                nullable = true;
                Shape::Ref(TypeRef::Any)
            }
            Some(t) => self.typed(file, pointer, m, t, hint),
            None if m.has_field("properties") || m.has_field("additionalProperties") => {
                self.object(file, pointer, m, hint)
            }
            None if m.has_field("items") || m.has_field("prefixItems") => {
                Shape::Ref(self.items(file, pointer, m, hint))
            }
            None => Shape::Ref(TypeRef::Any),
        };
        (shape, nullable)
    }

    /// Whether the root document is OpenAPI 3.1 (JSON Schema 2020-12: `$ref` is one keyword
    /// among the others of its schema).
    pub(crate) fn is_v31(&self) -> bool {
        self.docs
            .doc(0)
            .value
            .field("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.1"))
    }

    /// Whether the schema `m`, which has a `$ref`, is lowered as `allOf: [{$ref}, {siblings}]`:
    /// in an OpenAPI 3.1 document, where the reference applies beside the other keywords, when
    /// a sibling adds to an object ([`REF_MERGED`]). In 3.0 the siblings of `$ref` are ignored.
    pub(crate) fn ref_merges(&self, m: &Map<String, Value>) -> bool {
        m.has_field("$ref") && REF_MERGED.iter().any(|k| m.has_field(k)) && self.is_v31()
    }

    /// `{$ref: X, properties: …, required: …, additionalProperties: …, allOf: […]}` in OpenAPI
    /// 3.1, read as `allOf: [{$ref: X}, {the siblings}]`: the properties of the referenced
    /// schema and of the siblings merged into one struct, as [`Cx::all_of`] merges members
    /// (`{$ref: Pet, required: [id]}` is `Pet` with `id` required). Other shaping siblings
    /// (`oneOf`, `enum`, …) are reported as not merged.
    fn ref_all_of(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        hint: Hint<'_>,
    ) -> Shape {
        self.ref_siblings_except(file, pointer, m, REF_MERGED);
        let mut merge = Merge::default();
        let mut visited = Vec::new();
        // `merge_member` follows the `$ref` of the schema at `pointer`, merges the referenced
        // schema, then the siblings; when the reference is broken (reported there), only the
        // siblings are merged.
        let at = Target {
            file,
            pointer: pointer.to_owned(),
        };
        let resolves = self.docs.follow(at.clone()).is_ok();
        self.merge_member(at, hint, &mut merge, &mut visited, 0);
        if !resolves {
            let all = m
                .field("allOf")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..all {
                let member = Target {
                    file,
                    pointer: ptr(&ptr(pointer, "allOf"), &i.to_string()),
                };
                self.merge_member(member, hint, &mut merge, &mut visited, 0);
            }
            self.merge_object(file, pointer, m, hint, &mut merge);
        }
        Shape::Def(TypeKind::Struct(merge.finish()))
    }

    /// `$ref` beside keywords that shape a value (`properties`, `type`, `allOf`, …): OpenAPI 3.1
    /// applies both, 3.0 ignores the siblings; here only the reference is lowered, which
    /// is reported. Documentation, `nullable`, `deprecated` and the like are honoured or
    /// harmless and pass silently. (In 3.1, object siblings are merged: [`Cx::ref_all_of`].)
    fn ref_siblings(&mut self, file: FileId, pointer: &str, m: &Map<String, Value>) {
        self.ref_siblings_except(file, pointer, m, &[]);
    }

    /// [`Cx::ref_siblings`], leaving out the keywords `merged`.
    fn ref_siblings_except(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        merged: &[&str],
    ) {
        // A `type` the referenced schema has too changes nothing (Twilio's and Pinterest's
        // `{$ref: …enum, type: string}`).
        let same_type = m.has_field("type")
            && m.field("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.docs.resolve(file, r).ok())
                .and_then(|t| {
                    let doc = self.docs.doc(t.file);
                    let ty = doc.value.at_pointer(&t.pointer)?.field("type");
                    Some(ty.is_some() && ty == m.field("type"))
                })
                == Some(true);
        let shaping: Vec<&str> = SHAPE_KEYS
            .iter()
            .chain(&["required", "const"])
            .copied()
            .filter(|k| *k != "$ref" && m.contains_key(*k) && !merged.contains(k))
            .filter(|k| !(same_type && *k == "type"))
            // `type: object` beside merged properties says nothing more.
            .filter(|k| {
                !(*k == "type"
                    && !merged.is_empty()
                    && m.field("type") == Some(&Value::from("object")))
            })
            .collect();
        if let Some(first) = shaping.first() {
            self.warn(
                file,
                &ptr(pointer, first),
                "openapi::ref_siblings_ignored",
                format!(
                    "`{}` beside `$ref` {} not merged into the referenced schema",
                    shaping.join("`, `"),
                    if shaping.len() == 1 { "is" } else { "are" }
                ),
                "wrap both in `allOf: [{$ref: …}, {…}]` to combine them",
            );
        }
    }

    /// The `default` of the schema at `pointer` (its own, else that of the schema its `$ref`
    /// leads to: a default written on a component applies wherever it is used), recorded to be
    /// checked against `ty`, the type lowered for it, by [`Cx::check_defaults`]. A `default`
    /// beside `$ref` is read in 3.0 documents too: like `description`, it only annotates.
    /// `schema` is the value at `pointer`, which the caller has already read (looking it up
    /// again from the document's root was 12 M instructions of GitHub's lowering, 32 M of
    /// Stripe's); `ty` makes the type, only when there is a default.
    pub(crate) fn schema_default(
        &mut self,
        file: FileId,
        pointer: &str,
        schema: Option<&Value>,
        ty: impl FnOnce() -> TypeRef,
    ) -> Option<Value> {
        let mut at = Target {
            file,
            pointer: pointer.to_owned(),
        };
        // A chain of references is followed by `follow`; one more step reads past a
        // referenced schema that is itself only a `$ref` with a default of its own.
        for step in 0..2 {
            let (default, has_ref) = {
                let doc = self.docs.doc(at.file);
                let m = if step == 0 {
                    schema?.as_object()?
                } else {
                    doc.value.at_pointer(&at.pointer)?.as_object()?
                };
                (m.field("default").cloned(), m.has_field("$ref"))
            };
            if let Some(value) = default {
                let target = Target {
                    file: at.file,
                    pointer: ptr(&at.pointer, "default"),
                };
                self.defaults.push((target, ty(), value.clone()));
                return Some(value);
            }
            if !has_ref {
                return None;
            }
            let next = self.docs.follow(at.clone()).ok()?;
            if next == at {
                return None;
            }
            at = next;
        }
        None
    }

    /// Checks every `default` read ([`Cx::schema_default`]) against the type it belongs to, now
    /// that every type is lowered: one that does not fit (another JSON type, not one of the
    /// enum's values, an integer out of range) is an `openapi::default_mismatch` warning where
    /// it is written and is dropped from the fields and parameters that carry it.
    pub(crate) fn check_defaults(&mut self) {
        let records = std::mem::take(&mut self.defaults);
        let mut reported: FastSet<Target> = FastSet::default();
        for (at, ty, value) in &records {
            if let Err(why) = crate::ir::default_fits(&self.api, ty, value) {
                if reported.insert(at.clone()) {
                    self.warn(
                        at.file,
                        &at.pointer,
                        "openapi::default_mismatch",
                        format!("`default` is not a value of the schema: expected {why}; ignored"),
                        "give a default of the schema's type (an enum's default must be one of its values)",
                    );
                }
            }
        }
        let api = &self.api;
        let mut misfits: Vec<(usize, usize)> = Vec::new();
        for (i, def) in api.types.iter().enumerate() {
            if let TypeKind::Struct(s) = &def.kind {
                for (k, f) in s.fields.iter().enumerate() {
                    let Some(value) = &f.default else { continue };
                    let ty = match (&f.ty, f.nullable) {
                        (TypeRef::Nullable(_), _) | (_, false) => f.ty.clone(),
                        (t, true) => TypeRef::Nullable(Box::new(t.clone())),
                    };
                    if crate::ir::default_fits(api, &ty, value).is_err() {
                        misfits.push((i, k));
                    }
                }
            }
        }
        for (i, k) in misfits {
            if let TypeKind::Struct(s) = &mut self.api.types[i].kind {
                if let Some(f) = s.fields.get_mut(k) {
                    f.default = None;
                }
            }
        }
        let mut params: Vec<(usize, usize)> = Vec::new();
        for (o, op) in self.api.operations.iter().enumerate() {
            for (k, p) in op.params.iter().enumerate() {
                if let Some(value) = &p.default {
                    if crate::ir::default_fits(&self.api, &p.ty, value).is_err() {
                        params.push((o, k));
                    }
                }
            }
        }
        for (o, k) in params {
            if let Some(p) = self.api.operations[o].params.get_mut(k) {
                p.default = None;
            }
        }
    }

    /// The shape of a schema whose `type` is `ty` (not `null`).
    fn typed(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        ty: &str,
        hint: Hint<'_>,
    ) -> Shape {
        let format = m.field("format").and_then(Value::as_str);
        // `--format-type`: the user's type for this format (strings, integers, numbers).
        if matches!(ty, "string" | "integer" | "number") {
            if let Some((_, t)) = format.and_then(|f| self.formats.iter().find(|(k, _)| k == f)) {
                return Shape::Ref(TypeRef::External(t.clone()));
            }
        }
        match ty {
            "string" => Shape::Ref(TypeRef::Primitive(string_primitive(m, format))),
            "integer" => Shape::Ref(TypeRef::Primitive(match format {
                Some("int32") => Primitive::I32,
                _ => Primitive::I64,
            })),
            "number" => Shape::Ref(TypeRef::Primitive(match format {
                Some("float") => Primitive::F32,
                _ => Primitive::F64,
            })),
            "boolean" => Shape::Ref(TypeRef::Primitive(Primitive::Bool)),
            "array" => Shape::Ref(self.items(file, pointer, m, hint)),
            "object" => self.object(file, pointer, m, hint),
            other => {
                self.warn(
                    file,
                    &ptr(pointer, "type"),
                    "openapi::unknown_type",
                    format!("unknown type `{other}`; using any value"),
                    "use one of string, integer, number, boolean, array, object",
                );
                Shape::Ref(TypeRef::Any)
            }
        }
    }

    /// `type: [string, integer, …]` (OpenAPI 3.1, several types besides `null`): an untagged
    /// union with one alternative per type (the other keywords apply to each), integers tried
    /// before other numbers, and the usual fallback for a value of none of them.
    fn type_union(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        types: &[&str],
        hint: Hint<'_>,
    ) -> Shape {
        let mut order: Vec<&str> = types.to_vec();
        // An integer also parses as a number: try `integer` first.
        order.sort_by_key(|t| usize::from(*t == "number"));
        let mut variants = Vec::with_capacity(order.len() + 1);
        for t in order {
            let ty = match self.typed(file, pointer, m, t, Hint::More(&hint, t)) {
                Shape::Ref(ty) => ty,
                Shape::Def(kind) => {
                    let name = self.derived_name(&Hint::More(&hint, t).to_vec());
                    TypeRef::Named(self.api.add_type(TypeDef {
                        name,
                        docs: None,
                        origin: self.origin(file, pointer),
                        kind,
                    }))
                }
            };
            variants.push(UnionVariant {
                name: t.to_owned(),
                tag: None,
                ty,
                docs: None,
                boxed: false,
            });
        }
        variants.push(UnionVariant {
            name: "Unknown".into(),
            tag: None,
            ty: TypeRef::Any,
            docs: Some("A value of none of the types above, kept as JSON.".into()),
            boxed: false,
        });
        Shape::Def(TypeKind::Union(UnionDef {
            variants,
            discriminator: None,
            fallback: true,
        }))
    }

    /// `List(items)`.
    fn items(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        hint: Hint<'_>,
    ) -> TypeRef {
        if let Some(prefix) = m.field("prefixItems") {
            return self.tuple(file, pointer, m, prefix, hint);
        }
        let item = match m.field("items") {
            Some(items @ (Value::Object(_) | Value::Bool(_))) => {
                self.schema_in(
                    file,
                    &ptr(pointer, "items"),
                    Some(items),
                    Hint::More(&hint, "item"),
                )
                .ty
            }
            None => TypeRef::Any,
            Some(other) => {
                self.warn(
                    file,
                    &ptr(pointer, "items"),
                    "openapi::wrong_type",
                    format!(
                        "`items` must be a schema, found {}; using any value",
                        json_kind(other)
                    ),
                    "tuple-style `items` lists are not supported by OpenAPI 3.0",
                );
                TypeRef::Any
            }
        };
        TypeRef::List(Box::new(item))
    }

    /// `prefixItems` (OpenAPI 3.1, a tuple): a list of the items' type when every position
    /// (and `items`, for the rest) has the same type; otherwise a list of any value, with a
    /// warning (the generated types have no tuples).
    fn tuple(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        prefix: &Value,
        hint: Hint<'_>,
    ) -> TypeRef {
        let pptr = ptr(pointer, "prefixItems");
        let Some(list) = self.array_at(file, &pptr, Some(prefix)) else {
            return TypeRef::List(Box::new(TypeRef::Any));
        };
        let mut types: Vec<TypeRef> = Vec::with_capacity(list.len() + 1);
        for i in 0..list.len() {
            let at = ptr(&pptr, &i.to_string());
            types.push(
                self.schema_in(file, &at, None, Hint::More(&hint, "item"))
                    .ty,
            );
        }
        if matches!(
            m.field("items"),
            Some(Value::Object(_)) | Some(Value::Bool(true))
        ) {
            types.push(
                self.schema_in(
                    file,
                    &ptr(pointer, "items"),
                    None,
                    Hint::More(&hint, "item"),
                )
                .ty,
            );
        }
        match types.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => {
                TypeRef::List(Box::new(first.clone()))
            }
            Some(_) => {
                self.warn(
                    file,
                    &pptr,
                    "openapi::tuple_as_list",
                    "`prefixItems` (a tuple) of different item types is read as a list of any value",
                    "the position of each item's type is not enforced; give every position the same type to get a typed list",
                );
                TypeRef::List(Box::new(TypeRef::Any))
            }
            None => TypeRef::List(Box::new(TypeRef::Any)),
        }
    }

    /// An object schema: a struct, or a map when it has no properties.
    fn object(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        hint: Hint<'_>,
    ) -> Shape {
        let mut merge = Merge::default();
        let additional = self.merge_object(file, pointer, m, hint, &mut merge);
        if merge.fields.is_empty() {
            return match additional {
                Some(Some(t)) => Shape::Ref(TypeRef::Map(Box::new(t))),
                Some(None) => Shape::Def(TypeKind::Struct(StructDef::default())),
                None => Shape::Ref(TypeRef::Map(Box::new(TypeRef::Any))),
            };
        }
        Shape::Def(TypeKind::Struct(merge.finish()))
    }

    /// Adds the properties, required list and additionalProperties of `m` to `merge`. Returns
    /// `additionalProperties`: `None` if absent, `Some(None)` if false, else its type.
    fn merge_object(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        hint: Hint<'_>,
        merge: &mut Merge,
    ) -> Option<Option<TypeRef>> {
        let outer_file = file;
        let req_ptr = ptr(pointer, "required");
        match m.field("required") {
            None => {}
            Some(Value::Array(names)) => {
                for n in names {
                    match n.as_str() {
                        Some(n) => merge.required.push(n.to_owned()),
                        None => self.warn(
                            file,
                            &req_ptr,
                            "openapi::wrong_type",
                            format!(
                                "`required` entries must be strings, found {}; ignored",
                                json_kind(n)
                            ),
                            "list property names, e.g. `required: [id, name]`",
                        ),
                    }
                }
            }
            Some(other) => self.warn(
                file,
                &req_ptr,
                "openapi::wrong_type",
                format!(
                    "`required` must be a list of property names, found {}; ignored",
                    json_kind(other)
                ),
                "list property names, e.g. `required: [id, name]`",
            ),
        }
        let mut props_ptr = ptr(pointer, "properties");
        let mut props_file = file;
        let mut props_doc = None;
        if let Some(Value::Object(p)) = m.field("properties") {
            if p.len() == 1 && p.field("$ref").is_some_and(Value::is_string) {
                // The whole map is a reference (DigitalOcean's multi-file document:
                // `properties: {$ref: 'attributes.yml#/load_balancer_droplet_ids'}`): followed
                // as a JSON Reference, as its bundler does, not read as a property named `$ref`.
                if let Some(t) = self.deref(file, &props_ptr) {
                    props_doc = Some(self.docs.doc(t.file));
                    (props_file, props_ptr) = (t.file, t.pointer);
                }
            }
        }
        let props_value = match &props_doc {
            Some(doc) => doc.value.at_pointer(&props_ptr),
            None => m.field("properties"),
        };
        let file = props_file;
        if let Some(props) = self.object_at(file, &props_ptr, props_value, false) {
            for (name, prop) in props {
                let pptr = ptr(&props_ptr, name);
                let out = self.schema_in(file, &pptr, Some(prop), Hint::More(&hint, name));
                let pm = prop.as_object();
                let deprecated = match pm {
                    Some(pm) => self.bool_member(file, &pptr, pm, "deprecated"),
                    None => false,
                };
                let one_way = pm.is_some_and(|pm| {
                    ["readOnly", "writeOnly"]
                        .iter()
                        .any(|k| pm.field(k) == Some(&Value::Bool(true)))
                });
                if one_way {
                    merge.one_way.insert(name.clone());
                } else {
                    merge.one_way.remove(name);
                }
                let default = self.schema_default(file, &pptr, Some(prop), || {
                    if out.nullable {
                        TypeRef::Nullable(Box::new(out.ty.clone()))
                    } else {
                        out.ty.clone()
                    }
                });
                let field = Field {
                    name: name.clone(),
                    docs: pm.and_then(schema_docs),
                    ty: out.ty,
                    required: false,
                    nullable: out.nullable,
                    deprecated,
                    boxed: false,
                    xml_attribute: false,
                    xml_namespace: None,
                    default,
                    default_applied: false,
                };
                merge.yield_name(name);
                match merge.index.get(name) {
                    Some(i) => {
                        if let Some(slot) = merge.fields.get_mut(*i) {
                            *slot = field;
                        }
                    }
                    None => {
                        merge.index.insert(name.clone(), merge.fields.len());
                        merge.fields.push(field);
                    }
                }
            }
        }
        let file = outer_file;
        let add_ptr = ptr(pointer, "additionalProperties");
        let additional = match m.field("additionalProperties") {
            None => None,
            Some(Value::Bool(false)) => Some(None),
            Some(Value::Bool(true)) => Some(Some(TypeRef::Any)),
            Some(Value::Object(o)) if o.is_empty() => Some(Some(TypeRef::Any)),
            Some(Value::Object(_)) => Some(Some(
                self.schema_in(file, &add_ptr, None, Hint::More(&hint, "value"))
                    .ty,
            )),
            Some(other) => {
                self.warn(
                    file,
                    &add_ptr,
                    "openapi::wrong_type",
                    format!(
                        "`additionalProperties` must be a boolean or a schema, found {}; ignored",
                        json_kind(other)
                    ),
                    "use `true`, `false` or a schema",
                );
                None
            }
        };
        if let Some(Some(t)) = &additional {
            merge.additional = Some(t.clone());
        }
        additional
    }

    /// `allOf`: one meaningful member is that member; otherwise the properties of all members
    /// (references followed, nested `allOf`s flattened) merge into one struct.
    fn all_of(
        &mut self,
        file: FileId,
        pointer: &str,
        m: &Map<String, Value>,
        members: &Value,
        hint: Hint<'_>,
        nullable: bool,
    ) -> (Shape, bool) {
        let all_ptr = ptr(pointer, "allOf");
        let Some(members) = self.array_at(file, &all_ptr, Some(members)) else {
            return (Shape::Ref(TypeRef::Any), nullable);
        };
        let meaningful: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                v.as_object()
                    .is_none_or(|o| SHAPE_KEYS.iter().any(|k| o.contains_key(*k)))
            })
            .map(|(i, _)| i)
            .collect();
        let own = m.has_field("properties") || m.has_field("additionalProperties");
        if !own {
            match meaningful.as_slice() {
                [] => return (Shape::Ref(TypeRef::Any), nullable),
                [one] => {
                    let out = self.schema_in(file, &ptr(&all_ptr, &one.to_string()), None, hint);
                    return (Shape::Ref(out.ty), nullable || out.nullable);
                }
                _ => {}
            }
        }
        if !own {
            // No object member (e.g. `allOf: [{type: string}, {$ref: SomeEnum}]`): the
            // intersection is the most specific member, a reference if there is one.
            let mut objects = 0;
            let mut first_ref = None;
            for i in &meaningful {
                let start = Target {
                    file,
                    pointer: ptr(&all_ptr, &i.to_string()),
                };
                let is_ref = members.get(*i).and_then(|v| v.field("$ref")).is_some();
                if is_ref && first_ref.is_none() {
                    first_ref = Some(*i);
                }
                if let Ok(t) = self.docs.follow(start) {
                    if self
                        .docs
                        .doc(t.file)
                        .value
                        .at_pointer(&t.pointer)
                        .is_some_and(is_object_like)
                    {
                        objects += 1;
                    }
                }
            }
            if objects == 0 {
                let pick = first_ref.or(meaningful.first().copied()).unwrap_or(0);
                let out = self.schema_in(file, &ptr(&all_ptr, &pick.to_string()), None, hint);
                return (Shape::Ref(out.ty), nullable || out.nullable);
            }
        }
        let mut merge = Merge::default();
        let mut visited = Vec::new();
        for i in meaningful {
            let at = Target {
                file,
                pointer: ptr(&all_ptr, &i.to_string()),
            };
            self.merge_member(at, hint, &mut merge, &mut visited, 0);
        }
        if own {
            self.merge_object(file, pointer, m, hint, &mut merge);
        }
        (Shape::Def(TypeKind::Struct(merge.finish())), nullable)
    }

    fn merge_member(
        &mut self,
        at: Target,
        hint: Hint<'_>,
        merge: &mut Merge,
        visited: &mut Vec<Target>,
        depth: usize,
    ) {
        let Some(t) = self.deref(at.file, &at.pointer) else {
            return;
        };
        if depth > 32 || visited.contains(&t) {
            return;
        }
        visited.push(t.clone());
        // Inline properties of a referenced component are named after that component.
        let hint: Vec<String> = match self.named.get(&t).map(|id| self.api.ty(*id).name.clone()) {
            Some(Name::Given(n)) if t != at => vec![n],
            _ => hint.to_vec(),
        };
        let doc = self.docs.doc(t.file);
        let Some(mm) = doc.value.at_pointer(&t.pointer).and_then(Value::as_object) else {
            self.warn(
                at.file,
                &at.pointer,
                "openapi::allof_non_object",
                "`allOf` member is not a mapping; ignored",
                "every `allOf` member must be a schema",
            );
            return;
        };
        if let Some(subs) = mm.field("allOf").and_then(Value::as_array) {
            for i in 0..subs.len() {
                let sub = Target {
                    file: t.file,
                    pointer: ptr(&ptr(&t.pointer, "allOf"), &i.to_string()),
                };
                self.merge_member(sub, Hint::Parts(&hint), merge, visited, depth + 1);
            }
        }
        let is_object = mm.has_field("properties")
            || mm.has_field("additionalProperties")
            || mm.field("type").and_then(Value::as_str) == Some("object");
        // A union member (OpenAI's `allOf: [{anyOf: [50 events]}, {properties: {stream_id}}]`):
        // the value is one of its alternatives with the other members' properties beside it,
        // a field of the union's type flattened into the struct.
        let union = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| mm.get(*k).is_some_and(|v| !constraints_only(mm, v)));
        if let Some(key) = union {
            let flattened = self.union_member(&at, &t, key, mm, Hint::Parts(&hint));
            if let Some((name, ty)) = flattened {
                merge.add_flattened(&name, ty, mm);
            } else {
                self.warn(
                    at.file,
                    &at.pointer,
                    "openapi::allof_non_object",
                    format!("`allOf` member's `{key}` has alternatives that are not objects; not merged"),
                    "`allOf` is lowered by merging object members and flattening unions of objects",
                );
            }
        }
        // A member with just `required` adds to the required list.
        let merged = if is_object || mm.has_field("required") {
            self.merge_object(t.file, &t.pointer, mm, Hint::Parts(&hint), merge);
            true
        } else {
            false
        };
        // OpenAPI 3.1: the keywords beside each `$ref` on the way from `at` to `t` apply too
        // (`Cat: {$ref: Dog, properties: …}` with `Dog: {$ref: Pet, properties: …}`), the
        // innermost first, so that the outer ones add to what the inner ones made.
        if t != at {
            let hops = self.ref_hops(&at, &t);
            let mut any = false;
            for h in hops.iter().rev() {
                let own = self.docs.doc(h.file);
                let Some(om) = own.value.at_pointer(&h.pointer).and_then(Value::as_object) else {
                    continue;
                };
                if !self.ref_merges(om) {
                    continue;
                }
                any = true;
                // An intermediate component's inline properties are named after it; `at`'s
                // as before, after the component it leads to.
                let hop_hint: Vec<String> =
                    match self.named.get(h).map(|id| self.api.ty(*id).name.clone()) {
                        Some(Name::Given(n)) if *h != at => vec![n],
                        _ => hint.clone(),
                    };
                let subs = om
                    .field("allOf")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                for i in 0..subs {
                    let sub = Target {
                        file: h.file,
                        pointer: ptr(&ptr(&h.pointer, "allOf"), &i.to_string()),
                    };
                    self.merge_member(sub, Hint::Parts(&hop_hint), merge, visited, depth + 1);
                }
                self.merge_object(h.file, &h.pointer, om, Hint::Parts(&hop_hint), merge);
            }
            if any {
                return;
            }
        }
        if !merged && !mm.has_field("allOf") && union.is_none() {
            self.warn(
                at.file,
                &at.pointer,
                "openapi::allof_non_object",
                "`allOf` member is not an object schema; its constraints are not merged",
                "`allOf` is lowered by merging the properties of object members",
            );
        }
    }

    /// The places a chain of `$ref`s passes through from `at` to its end `t` (which
    /// [`Cx::deref`] found, so the chain has no cycle), `at` first and `t` left out. Bounded
    /// all the same: a place seen twice ends the list, and a chain longer than
    /// [`MAX_REF_HOPS`] does too, with a warning.
    fn ref_hops(&mut self, at: &Target, t: &Target) -> Vec<Target> {
        let mut hops: Vec<Target> = Vec::new();
        let mut cur = at.clone();
        while cur != *t && hops.len() < MAX_REF_HOPS && !hops.contains(&cur) {
            let doc = self.docs.doc(cur.file);
            let Some(r) = crate::load::pointer(&doc.value, &cur.pointer)
                .and_then(|v| v.field("$ref"))
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                break;
            };
            let Ok(next) = self.docs.resolve(cur.file, &r) else {
                break;
            };
            hops.push(std::mem::replace(&mut cur, next));
        }
        if cur != *t && hops.len() >= MAX_REF_HOPS {
            self.warn(
                at.file,
                &at.pointer,
                "openapi::ref_chain_too_long",
                format!(
                    "a chain of more than {MAX_REF_HOPS} `$ref`s; the keywords beside the later ones are not merged"
                ),
                "reference the schema at the end of the chain directly",
            );
        }
        hops
    }

    /// The union of an `allOf` member `at` (resolved: `t`, the mapping `mm`) with a `oneOf` or
    /// `anyOf` (`key`), to be flattened beside the other members' properties: its field name
    /// (the referenced schema's name, else `variant`) and type. A member with nothing else of
    /// shape is lowered as itself (a reference names its type); beside `properties` (merged by
    /// the caller) only its alternatives are. `None` when the result cannot sit beside
    /// properties (an alternative is a string, a number or a list).
    fn union_member(
        &mut self,
        at: &Target,
        t: &Target,
        key: &str,
        mm: &Map<String, Value>,
        hint: Hint<'_>,
    ) -> Option<(String, TypeRef)> {
        let own = mm.has_field("properties") || mm.has_field("additionalProperties");
        let name = if at != t && !own {
            last_token(&t.pointer).unwrap_or_else(|| "variant".into())
        } else {
            "variant".into()
        };
        let ty = if own {
            // Only the alternatives, once per member (a location no schema has, as the key).
            let key_at = Target {
                file: t.file,
                pointer: ptr(&t.pointer, key),
            };
            match self.inline.get(&key_at) {
                Some(out) => out.ty.clone(),
                None => {
                    let mut only: Map<String, Value> = Map::new();
                    for k in [key, "discriminator"] {
                        if let Some(v) = mm.get(k) {
                            only.insert(k.to_owned(), v.clone());
                        }
                    }
                    let members = mm.get(key).cloned().unwrap_or(Value::Null);
                    let sub = Hint::More(&hint, "variant").to_vec();
                    let (shape, _) = self.union(
                        t.file,
                        &t.pointer,
                        key,
                        &only,
                        &members,
                        Hint::Parts(&sub),
                        false,
                    );
                    let ty = match shape {
                        Shape::Ref(ty) => ty,
                        Shape::Def(kind) => {
                            let name = self.derived_name(&sub);
                            TypeRef::Named(self.api.add_type(TypeDef {
                                name,
                                docs: None,
                                origin: self.origin(t.file, &key_at.pointer),
                                kind,
                            }))
                        }
                    };
                    let out = SchemaOut {
                        ty: ty.clone(),
                        nullable: false,
                    };
                    self.inline.insert(key_at, out);
                    ty
                }
            }
        } else {
            self.schema_in(at.file, &at.pointer, None, Hint::More(&hint, "variant"))
                .ty
        };
        let TypeRef::Named(id) = ty else {
            return None;
        };
        // Objects sit beside properties; strings and lists cannot (a referenced union not
        // lowered yet is still a placeholder alias of any value).
        let object = |kind: &TypeKind| {
            matches!(
                kind,
                TypeKind::Struct(_)
                    | TypeKind::Union(_)
                    | TypeKind::Alias(TypeRef::Any | TypeRef::Map(_))
            )
        };
        let objects = match &self.api.ty(id).kind {
            TypeKind::Union(u) => u.variants.iter().all(|v| match &v.ty {
                TypeRef::Named(v) => object(&self.api.ty(*v).kind),
                TypeRef::Map(_) | TypeRef::Any => true,
                _ => false,
            }),
            kind => object(kind),
        };
        objects.then_some((name, ty))
    }

    /// `oneOf`/`anyOf` → a union (or the single non-null member, nullable).
    #[allow(clippy::too_many_arguments)]
    fn union(
        &mut self,
        file: FileId,
        pointer: &str,
        key: &str,
        m: &Map<String, Value>,
        members: &Value,
        hint: Hint<'_>,
        nullable: bool,
    ) -> (Shape, bool) {
        let list_ptr = ptr(pointer, key);
        let Some(members) = self.array_at(file, &list_ptr, Some(members)) else {
            return (Shape::Ref(TypeRef::Any), nullable);
        };
        let mut has_null = false;
        let mut rest = Vec::new();
        for (i, v) in members.iter().enumerate() {
            if is_null_schema(v) {
                has_null = true;
            } else {
                rest.push((i, v));
            }
        }
        let nullable = nullable || has_null;
        match rest.as_slice() {
            [] => return (Shape::Ref(TypeRef::Any), true),
            [(i, v)] => {
                let out = self.schema_in(file, &ptr(&list_ptr, &i.to_string()), Some(*v), hint);
                return (Shape::Ref(out.ty), nullable || out.nullable);
            }
            _ => {}
        }
        let disc_prop = m
            .field("discriminator")
            .and_then(|d| d.field("propertyName"))
            .and_then(Value::as_str);
        let only_discriminator = m
            .field("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.keys().all(|k| Some(k.as_str()) == disc_prop));
        if m.has_field("properties") && !only_discriminator {
            self.warn(
                file,
                &ptr(pointer, "properties"),
                "openapi::union_properties",
                format!("`properties` next to `{key}` are ignored"),
                format!("move the shared properties into each `{key}` member"),
            );
        }
        let disc = m.field("discriminator").and_then(Value::as_object);
        let discriminator = disc
            .and_then(|d| d.field("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        // No discriminator, but every member pins one required property to a string of its
        // own (OpenAI's stream events, `type: {enum: [response.audio.delta]}`): that property
        // tags the union, as exactly as a declared discriminator would (members tried in order
        // would take an event for the first member whose other fields it has).
        let discriminator = match discriminator {
            Some(d) => Some(d),
            None => self.implicit_tag(file, &list_ptr, &rest),
        };
        let mut mapping: Vec<(String, Target)> = Vec::new();
        if let Some(map) = disc
            .and_then(|d| d.field("mapping"))
            .and_then(Value::as_object)
        {
            for (tag, v) in map {
                let Some(r) = v.as_str() else { continue };
                let r = if r.contains('#') || r.contains('/') || r.contains('.') {
                    r.to_owned()
                } else {
                    format!("#/components/schemas/{r}")
                };
                match self.docs.resolve(file, &r) {
                    Ok(t) => mapping.push((tag.clone(), t)),
                    // A file that is not read (refused, missing, unparsable) is a broken
                    // reference wherever it is named: the union depends on it.
                    Err(err) if err.refusal.as_ref().is_some_and(|r| r.code != "load::not_found") => {
                        self.dangling(
                            Target {
                                file,
                                pointer: ptr(&ptr(&ptr(pointer, "discriminator"), "mapping"), tag),
                            },
                            err,
                        );
                    }
                    // Only a tag name is lost: a warning, the schema's name is the tag.
                    Err(msg) => self.warn(
                        file,
                        &ptr(&ptr(&ptr(pointer, "discriminator"), "mapping"), tag),
                        "openapi::dangling_mapping",
                        format!("discriminator mapping `{tag}` cannot be resolved: {msg}"),
                        "fix the reference; the referenced schema's name is used as its tag meanwhile",
                    ),
                }
            }
        }
        // First tag per target, and the variant names taken so far: hash lookups keep a union
        // of many members linear.
        let mut tag_of: FastMap<&Target, &String> =
            FastMap::with_capacity_and_hasher(mapping.len(), Default::default());
        for (tag, t) in &mapping {
            tag_of.entry(t).or_insert(tag);
        }
        let mut taken: FastSet<String> =
            FastSet::with_capacity_and_hasher(rest.len(), Default::default());
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (n, (i, v)) in rest.iter().enumerate() {
            let mptr = ptr(&list_ptr, &i.to_string());
            let mv = v.as_object();
            let target = mv
                .and_then(|o| o.field("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| self.docs.resolve(file, r).ok());
            let base = match (
                &target,
                mv.and_then(|o| o.field("type")).and_then(Value::as_str),
            ) {
                (Some(t), _) => {
                    last_token(&t.pointer).unwrap_or_else(|| format!("variant{}", n + 1))
                }
                (None, Some(ty)) if ty != "object" => ty.to_owned(),
                _ => format!("variant{}", n + 1),
            };
            let mut name = base.clone();
            let mut k = 2;
            while taken.contains(&name) {
                name = format!("{base}{k}");
                k += 1;
            }
            taken.insert(name.clone());
            let out = self.schema_in(file, &mptr, Some(*v), Hint::More(&hint, &name));
            // The mapping's tag, else the value the member's own schema fixes for the tag
            // property (`enum: [function]` or `const`), else the member's schema name.
            let tag = match (&discriminator, &target) {
                (Some(prop), Some(t)) => tag_of
                    .get(t)
                    .map(|tag| (*tag).clone())
                    .or_else(|| self.own_tag(t, prop))
                    .or_else(|| last_token(&t.pointer)),
                // An inline member names its tag in its own schema.
                (Some(prop), None) => self.own_tag(
                    &Target {
                        file,
                        pointer: mptr.clone(),
                    },
                    prop,
                ),
                _ => None,
            };
            variants.push(UnionVariant {
                name,
                tag,
                ty: out.ty,
                docs: mv.and_then(schema_docs),
                boxed: false,
            });
        }
        // A value no alternative accepts (a variant added to the API later) is kept as JSON
        // rather than failing the whole response.
        let mut name = "Unknown".to_owned();
        let mut k = 2;
        while taken.contains(&name) {
            name = format!("Unknown{k}");
            k += 1;
        }
        variants.push(UnionVariant {
            name,
            tag: None,
            ty: TypeRef::Any,
            docs: Some(
                "A value none of the alternatives above accepts (one added to the API after this client was generated), kept as JSON.".into(),
            ),
            boxed: false,
        });
        (
            Shape::Def(TypeKind::Union(UnionDef {
                variants,
                discriminator,
                fallback: true,
            })),
            nullable,
        )
    }

    /// The property that tags the union members `rest` (at `list_ptr`) without a declared
    /// discriminator: one every member requires and pins to one string value (`const`, or an
    /// `enum` of one), each member its own value; the first such property of the first member.
    /// `None` unless there are two members or more, all objects with such a property.
    fn implicit_tag(
        &mut self,
        file: FileId,
        list_ptr: &str,
        rest: &[(usize, &Value)],
    ) -> Option<String> {
        if rest.len() < 2 {
            return None;
        }
        let mut candidates: Option<Vec<(String, Vec<String>)>> = None;
        for (i, _) in rest {
            let member = Target {
                file,
                pointer: ptr(list_ptr, &i.to_string()),
            };
            let pinned = self.pinned_properties(&member);
            candidates = Some(match candidates {
                None => pinned.into_iter().map(|(p, v)| (p, vec![v])).collect(),
                Some(mut c) => {
                    c.retain_mut(|(p, values)| match pinned.iter().find(|(q, _)| q == p) {
                        Some((_, v)) if !values.contains(v) => {
                            values.push(v.clone());
                            true
                        }
                        _ => false,
                    });
                    c
                }
            });
            if candidates.as_ref().is_some_and(Vec::is_empty) {
                return None;
            }
        }
        candidates?.into_iter().next().map(|(p, _)| p)
    }

    /// The properties the object schema at `member` requires and pins to one string value
    /// (`const`, or an `enum` of one), with that value, in document order; references and
    /// `allOf` members followed (at most 32 schemas).
    fn pinned_properties(&mut self, member: &Target) -> Vec<(String, String)> {
        let mut pinned: Vec<(String, String)> = Vec::new();
        let mut required: FastSet<String> = FastSet::default();
        let mut todo = vec![member.clone()];
        let mut steps = 0;
        while let Some(at) = todo.pop() {
            steps += 1;
            if steps > 32 {
                return Vec::new();
            }
            let Some(t) = self.with_siblings(at, &mut todo) else {
                return Vec::new();
            };
            let doc = self.docs.doc(t.file);
            let Some(m) = crate::load::pointer(&doc.value, &t.pointer).and_then(Value::as_object)
            else {
                return Vec::new();
            };
            if let Some(r) = m.field("required").and_then(Value::as_array) {
                required.extend(r.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            if let Some(props) = m.field("properties").and_then(Value::as_object) {
                for (name, known) in props {
                    // A property without `$ref` is its own schema (`follow` ends there).
                    let pdoc;
                    let pm = if known.as_object().is_some_and(|o| o.has_field("$ref")) {
                        let Ok(p) = self.docs.follow(Target {
                            file: t.file,
                            pointer: ptr(&ptr(&t.pointer, "properties"), name),
                        }) else {
                            continue;
                        };
                        pdoc = self.docs.doc(p.file);
                        let Some(pm) = crate::load::pointer(&pdoc.value, &p.pointer) else {
                            continue;
                        };
                        pm
                    } else {
                        known
                    };
                    let value = match (
                        pm.field("const"),
                        pm.field("enum").and_then(Value::as_array),
                    ) {
                        (Some(Value::String(c)), _) => Some(c.clone()),
                        (None, Some(e)) => match e.as_slice() {
                            [Value::String(one)] => Some(one.clone()),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(v) = value {
                        if !pinned.iter().any(|(n, _)| n == name) {
                            pinned.push((name.clone(), v));
                        }
                    }
                }
            }
            let members = m
                .field("allOf")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in (0..members).rev() {
                todo.push(Target {
                    file: t.file,
                    pointer: ptr(&ptr(&t.pointer, "allOf"), &i.to_string()),
                });
            }
        }
        pinned.retain(|(n, _)| required.contains(n));
        pinned
    }

    /// The schema to read at `at` while walking a member's properties: the one its `$ref`s
    /// lead to; or (OpenAPI 3.1, `$ref` beside object keywords, [`Cx::ref_merges`]) `at`
    /// itself, whose own keywords apply, with the referenced schema put on `todo` to be read
    /// next. `None` for a broken reference.
    fn with_siblings(&mut self, at: Target, todo: &mut Vec<Target>) -> Option<Target> {
        let (referenced, plain) = {
            let doc = self.docs.doc(at.file);
            let m = doc.value.at_pointer(&at.pointer).and_then(Value::as_object);
            match m {
                Some(m) if self.ref_merges(m) => (
                    m.field("$ref").and_then(Value::as_str).map(str::to_owned),
                    false,
                ),
                // Without `$ref`, `follow` ends where it starts: no second look-up.
                _ => (None, !m.is_some_and(|m| m.has_field("$ref"))),
            }
        };
        match referenced {
            Some(r) => {
                todo.push(self.docs.resolve(at.file, &r).ok()?);
                Some(at)
            }
            None if plain => Some(at),
            None => self.docs.follow(at).ok(),
        }
    }

    /// The one value a member schema allows for its discriminator property `prop`
    /// (`properties: {type: {enum: [function]}}` or `const`), following `$ref`s to the member
    /// and to the property's schema, and the members of an `allOf`.
    fn own_tag(&mut self, member: &Target, prop: &str) -> Option<String> {
        let mut todo = vec![member.clone()];
        let mut steps = 0;
        while let Some(at) = todo.pop() {
            steps += 1;
            if steps > 32 {
                return None;
            }
            let t = self.with_siblings(at, &mut todo)?;
            let doc = self.docs.doc(t.file);
            let m = crate::load::pointer(&doc.value, &t.pointer)?.as_object()?;
            let known = m.field("properties").and_then(|p| p.field(prop));
            let members = m
                .field("allOf")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if let Some(known) = known {
                // A property without `$ref` is its own schema (`follow` ends there).
                if !known.as_object().is_some_and(|o| o.has_field("$ref")) {
                    return match known.field("const") {
                        Some(Value::String(c)) => Some(c.clone()),
                        _ => match known.field("enum").and_then(Value::as_array)?.as_slice() {
                            [Value::String(one)] => Some(one.clone()),
                            _ => None,
                        },
                    };
                }
                let p = self
                    .docs
                    .follow(Target {
                        file: t.file,
                        pointer: ptr(&ptr(&t.pointer, "properties"), prop),
                    })
                    .ok()?;
                let doc = self.docs.doc(p.file);
                let pm = crate::load::pointer(&doc.value, &p.pointer)?;
                if let Some(Value::String(c)) = pm.field("const") {
                    return Some(c.clone());
                }
                let one = match pm.field("enum").and_then(Value::as_array)?.as_slice() {
                    [Value::String(one)] => Some(one.clone()),
                    _ => None,
                };
                return one;
            }
            for i in (0..members).rev() {
                todo.push(Target {
                    file: t.file,
                    pointer: ptr(&ptr(&t.pointer, "allOf"), &i.to_string()),
                });
            }
        }
        None
    }

    /// An `enum` (or `const`) of strings, integers, numbers or booleans → [`EnumDef`] (a `null`
    /// value makes the type nullable); `None`, with a warning at `eptr`, for values of mixed or
    /// structured types (the type is then the underlying primitive).
    fn value_enum(
        &mut self,
        file: FileId,
        (pointer, key): (&str, &str),
        m: &Map<String, Value>,
        values: &[Value],
        nullable: &mut bool,
    ) -> Option<TypeKind> {
        let first = values.iter().find(|v| !v.is_null());
        let kind = match (m.field("type").and_then(Value::as_str), first) {
            (Some("string"), _) | (None, Some(Value::String(_))) => Some(EnumKind::String),
            (Some("integer"), _) => Some(EnumKind::Integer),
            (Some("number"), _) => Some(EnumKind::Number),
            (Some("boolean"), _) | (None, Some(Value::Bool(_))) => Some(EnumKind::Boolean),
            (None, Some(Value::Number(n))) if n.is_i64() => Some(EnumKind::Integer),
            (None, Some(Value::Number(_))) => Some(EnumKind::Number),
            _ => None,
        };
        let mut out: Vec<EnumValue> = Vec::new();
        // Borrowed from the document for strings: no copy of a value to test whether it is new.
        let mut seen: FastSet<std::borrow::Cow<'_, str>> =
            FastSet::with_capacity_and_hasher(values.len(), Default::default());
        let mut mismatch = kind.is_none() && first.is_some();
        for v in values {
            let wire = match (kind, v) {
                (_, Value::Null) => {
                    *nullable = true;
                    continue;
                }
                (Some(EnumKind::String), Value::String(s)) => {
                    std::borrow::Cow::Borrowed(s.as_str())
                }
                (Some(EnumKind::Integer), Value::Number(n)) if n.is_i64() => n.to_string().into(),
                (Some(EnumKind::Number), Value::Number(n)) => match n.as_f64() {
                    // `{:?}` of an f64 is its shortest exact text, so `1` and `1.0` are one value.
                    Some(f) if f.is_finite() => format!("{f:?}").into(),
                    _ => {
                        mismatch = true;
                        continue;
                    }
                },
                (Some(EnumKind::Boolean), Value::Bool(b)) => b.to_string().into(),
                _ => {
                    mismatch = true;
                    continue;
                }
            };
            if seen.insert(wire.clone()) {
                out.push(EnumValue {
                    wire: wire.into_owned(),
                    docs: None,
                });
            }
        }
        if mismatch {
            self.warn(
                file,
                &ptr(pointer, key),
                "openapi::non_string_enum",
                "the enum's values are not all strings, all integers (within 64 bits), all numbers or all booleans of its `type`; the allowed values are not enforced",
                "the value is typed as the underlying primitive",
            );
            return None;
        }
        let kind = kind?;
        if out.is_empty() {
            return None;
        }
        Some(TypeKind::Enum(EnumDef { values: out, kind }))
    }
}

impl Merge {
    /// Adds a flattened field of type `ty` (a union member of the `allOf`, `member`), named
    /// `name` or, when a property has that name, `name2`, `name3`….
    fn add_flattened(&mut self, name: &str, ty: TypeRef, member: &Map<String, Value>) {
        let unique = self.unique_name(name);
        self.index.insert(unique.clone(), self.fields.len());
        self.flatten.push(self.fields.len());
        self.fields.push(Field {
            docs: schema_docs(member).or_else(|| {
                Some("Which of the alternatives the value is; its properties sit beside the other fields on the wire.".into())
            }),
            ..Field::new(unique, ty, true)
        });
    }

    /// A property named `name` is being merged: a flattened union's field of that name takes
    /// another (`name2`, …), so that the property does not replace it.
    fn yield_name(&mut self, name: &str) {
        let Some(&i) = self.index.get(name) else {
            return;
        };
        if !self.flatten.contains(&i) {
            return;
        }
        let unique = self.unique_name(name);
        self.index.remove(name);
        self.index.insert(unique.clone(), i);
        if let Some(f) = self.fields.get_mut(i) {
            f.name = unique;
        }
    }

    /// `name`, or `name2`, `name3`… when a field has it.
    fn unique_name(&self, name: &str) -> String {
        let mut unique = name.to_owned();
        let mut k = 2;
        while self.index.contains_key(&unique) {
            unique = format!("{name}{k}");
            k += 1;
        }
        unique
    }

    /// The struct. One type serves requests and responses, so a `readOnly` property (sent only
    /// by the server) and a `writeOnly` one (sent only by the client) are never required: each
    /// is absent in one direction. A property both optional and nullable is tri-state
    /// ([`TypeRef::Nullable`]: absent, `null`, or a value; `sdkwright_runtime::Nullable`).
    fn finish(self) -> StructDef {
        let mut fields = self.fields;
        let required: FastSet<&str> = self.required.iter().map(String::as_str).collect();
        for (k, f) in fields.iter_mut().enumerate() {
            if self.flatten.contains(&k) {
                continue;
            }
            f.required =
                required.contains(f.name.as_str()) && !self.one_way.contains(f.name.as_str());
            if !f.required && f.nullable && !matches!(f.ty, TypeRef::Nullable(_)) {
                f.ty = TypeRef::Nullable(Box::new(std::mem::replace(&mut f.ty, TypeRef::Any)));
            }
        }
        StructDef {
            fields,
            additional: self.additional,
            xml_namespace: None,
            flatten: self.flatten,
        }
    }
}

/// JSON Schema 2020-12 keywords (OpenAPI 3.1) that constrain values but are not lowered: each
/// is reported where it appears.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "$dynamicRef",
];

/// The primitive of a `type: string` schema: its `format`, else (OpenAPI 3.1) its
/// `contentEncoding` (`base64` is [`Primitive::Base64`]) or a `contentMediaType` that is not text
/// (raw bytes, as `format: binary` says in 3.0).
fn string_primitive(m: &Map<String, Value>, format: Option<&str>) -> Primitive {
    match format {
        Some("date-time") => return Primitive::DateTime,
        Some("date") => return Primitive::Date,
        Some("uuid") => return Primitive::Uuid,
        Some("byte") => return Primitive::Base64,
        Some("binary") => return Primitive::Binary,
        _ => {}
    }
    let encoding = m.field("contentEncoding").and_then(Value::as_str);
    if let Some(e) = encoding {
        if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") {
            return Primitive::Base64;
        }
    }
    let media = m.field("contentMediaType").and_then(Value::as_str);
    match media {
        Some(mt) if encoding.is_none() && is_binary_media(mt) => Primitive::Binary,
        _ => Primitive::String,
    }
}

/// A media type whose content is not text: not `text/*`, and not JSON, XML, form data,
/// JavaScript or YAML.
fn is_binary_media(mt: &str) -> bool {
    let essence = crate::ir::media_essence(mt);
    !(essence.starts_with("text/")
        || ["json", "xml", "x-www-form-urlencoded", "javascript", "yaml"]
            .iter()
            .any(|k| essence.contains(k)))
}

/// `description`, else `title`.
fn schema_docs(m: &Map<String, Value>) -> Option<String> {
    text(m, "description").or_else(|| text(m, "title"))
}

/// A schema that contributes properties to an `allOf` merge.
fn is_object_like(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.has_field("properties")
            || o.has_field("additionalProperties")
            || o.has_field("allOf")
            || o.field("type").and_then(Value::as_str) == Some("object")
    })
}

/// `{type: "null"}`, `{enum: [null]}` or `{nullable: true}` alone.
fn is_null_schema(v: &Value) -> bool {
    let Some(o) = v.as_object() else { return false };
    if o.field("type").and_then(Value::as_str) == Some("null") {
        return true;
    }
    if let Some(Value::Array(e)) = o.field("enum") {
        return e.iter().all(Value::is_null) && !e.is_empty();
    }
    o.field("nullable") == Some(&Value::Bool(true))
        && !SHAPE_KEYS.iter().any(|k| o.contains_key(*k))
}

fn last_token(pointer: &str) -> Option<String> {
    pointer
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(unescape_token)
}

/// The name parts of the inline types defined at a place: a list, or another hint and one
/// more part. Made into a list only when a type is named (most schemas name none: a copy of
/// the list per property and member was 10 M instructions of Stripe's lowering).
#[derive(Clone, Copy)]
pub(crate) enum Hint<'a> {
    /// The parts.
    Parts(&'a [String]),
    /// A hint and one more part.
    More(&'a Hint<'a>, &'a str),
}

impl Hint<'_> {
    /// The parts as a list.
    pub(crate) fn to_vec(self) -> Vec<String> {
        let mut more = Vec::new();
        let mut at = self;
        let base = loop {
            match at {
                Hint::Parts(parts) => break parts,
                Hint::More(up, part) => {
                    more.push(part);
                    at = *up;
                }
            }
        };
        let mut out = Vec::with_capacity(base.len() + more.len());
        out.extend_from_slice(base);
        out.extend(more.into_iter().rev().map(str::to_owned));
        out
    }
}

/// `hint` + one part.
pub(crate) fn extend(hint: &[String], part: &str) -> Vec<String> {
    let mut v = Vec::with_capacity(hint.len() + 1);
    v.extend_from_slice(hint);
    v.push(part.to_owned());
    v
}
