//! OpenAPI front end: lowers OpenAPI 3.0 documents into the IR.
//!
//! The front end walks the parsed [`serde_json::Value`] itself instead of deserializing into
//! `openapiv3` types: every piece is read through its JSON pointer, so a malformed part becomes a
//! located warning plus a documented fallback (usually [`TypeRef::Any`]) instead of an opaque
//! "did not match any variant" abort of the whole document.
//!
//! Swagger 2.0 documents are converted to 3.0 first ([`swagger2`]), with an
//! `openapi::swagger_2_converted` warning; diagnostics are mapped back to the 2.0 source.
//! OpenAPI 3.1 documents are read as 3.1: type lists (`[T, "null"]`, several types as an
//! untagged union), `const`, `$defs`, `$ref` with siblings, `prefixItems` (a list when every
//! position has one type), `contentEncoding`/`contentMediaType`, `webhooks` (payload types and a
//! decoder); the JSON Schema keywords that are not lowered are reported where they appear.
//!
//! Fallbacks (each with a warning):
//! - `not`, `if`/`then`/`else` and unknown `type`s are ignored; a schema left without type is `Any`;
//! - non-string `enum`s become their primitive;
//! - `allOf` members that are not objects are ignored when merging properties;
//! - multipart request bodies become raw bytes;
//! - unsupported parameter styles use the location's default style;
//! - unsupported security schemes are dropped.

mod operation;
mod paging;
mod schema;
mod security;
mod swagger2;
mod xml;

use crate::load::{AtPointer, FastMap, FastSet, Members};
use std::collections::HashSet;
use std::path::Path;

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::ir::defaults::json_kind;
use crate::ir::{Api, Name, SchemeId, Server, TypeId, TypeKind, TypeRef};
use crate::load::confine::Confinement;
use crate::load::refs::{DocSet, FileId, RefError, Target};
use crate::load::{self, child};
use crate::lowered::Lowered;

use schema::SchemaOut;

/// Loads and lowers the OpenAPI document at `path`; references may name files in its folder.
#[cfg(test)]
pub(crate) fn lower(path: &Path) -> Lowered {
    lower_confined(path, &Confinement::default_for(path))
}

/// Loads and lowers the OpenAPI document at `path`; references may name the files
/// `confinement` accepts.
pub(crate) fn lower_confined(path: &Path, confinement: &Confinement) -> Lowered {
    lower_mapped(path, confinement, &[])
}

/// [`lower_confined`] with type mappings: a schema whose `format` is the first of a pair is
/// lowered as the Rust type named by the second (`--format-type`).
pub(crate) fn lower_mapped(
    path: &Path,
    confinement: &Confinement,
    formats: &[(String, String)],
) -> Lowered {
    lower_loaded(
        path,
        load::load_trusted(path, confinement),
        confinement,
        formats,
    )
}

/// Lowers the OpenAPI document `text`, read from `path` by the caller (the in-memory entry point
/// used by the fuzz targets and property tests); references may name the files `confinement`
/// accepts.
pub(crate) fn lower_text(
    path: &Path,
    text: &str,
    confinement: &Confinement,
    formats: &[(String, String)],
) -> Lowered {
    lower_loaded(
        path,
        load::parse(path, text.to_owned()),
        confinement,
        formats,
    )
}

/// Lowers what loading the root document at `path` gave: the document, or only the diagnostics
/// that say why there is none.
fn lower_loaded(
    path: &Path,
    (doc, diagnostics): (Option<load::Document>, Vec<Diagnostic>),
    confinement: &Confinement,
    formats: &[(String, String)],
) -> Lowered {
    let Some(doc) = doc else {
        return Lowered {
            api: Api::default(),
            diagnostics,
            files_read: vec![path.to_path_buf()],
            strict: None,
            documents: None,
        };
    };
    lower_with(doc, diagnostics, confinement.clone(), formats)
}

/// Lowers an already parsed root document (`diagnostics` are those of loading it); references
/// may name files in its folder.
#[cfg(test)]
pub(crate) fn lower_document(doc: load::Document, diagnostics: Vec<Diagnostic>) -> Lowered {
    lower_counting(doc, diagnostics).0
}

/// [`lower_document`], plus the number of places `$ref` resolution looked at (tests check that
/// it grows linearly with the document).
#[cfg(test)]
fn lower_counting(doc: load::Document, diagnostics: Vec<Diagnostic>) -> (Lowered, usize) {
    let confinement = Confinement::default_for(&doc.path);
    lower_with_counting(doc, diagnostics, confinement, &[])
}

fn lower_with(
    doc: load::Document,
    diagnostics: Vec<Diagnostic>,
    confinement: Confinement,
    formats: &[(String, String)],
) -> Lowered {
    lower_with_counting(doc, diagnostics, confinement, formats).0
}

fn lower_with_counting(
    mut doc: load::Document,
    diagnostics: Vec<Diagnostic>,
    confinement: Confinement,
    formats: &[(String, String)],
) -> (Lowered, usize) {
    let mut swagger = None;
    let is_swagger_2 = doc
        .value
        .field("swagger")
        .and_then(scalar_string)
        .is_some_and(|v| v.starts_with("2."))
        && doc.value.is_object();
    let source = is_swagger_2.then(|| std::mem::take(&mut doc.value));
    let mut docs = DocSet::confined(doc, confinement);
    if let Some(Value::Object(root)) = source {
        // External parameters are read (through the confinement) while converting: a body or
        // form parameter in another file becomes part of the request body.
        let converted = swagger2::convert(&root, &mut |r: &str| {
            let t = docs.resolve(0, r).ok()?;
            let v = docs.doc(t.file).value.at_pointer(&t.pointer).cloned()?;
            Some(swagger2::rebase(v, r.split('#').next().unwrap_or_default()))
        });
        docs.edit(0, |v| *v = converted.value);
        // The parts of other files the document references, converted as what they are used for.
        swagger2::convert_external(&mut docs, &root);
        swagger = Some(swagger2::Converted {
            value: Value::Null,
            remap: converted.remap,
        });
    }
    let mut cx = Cx {
        docs,
        api: Api::default(),
        diags: diagnostics,
        named: Default::default(),
        inline: Default::default(),
        nullable_defs: Default::default(),
        schemes: Default::default(),
        dropped_schemes: Default::default(),
        swagger,
        nesting: 0,
        pending: Default::default(),
        broken: Vec::new(),
        broken_reported: Default::default(),
        broken_why: Default::default(),
        strict_only: Vec::new(),
        nothing_left: false,
        media_reported: Default::default(),
        json_patch_reported: Default::default(),
        inline_broken: Default::default(),
        type_broken: Default::default(),
        op_broken: Default::default(),
        webhook_broken: Default::default(),
        formats: formats.to_vec(),
        defaults: Vec::new(),
    };
    if cx.swagger.is_some() {
        cx.warn(
            0,
            "/openapi",
            "openapi::swagger_2_converted",
            "Swagger 2.0 document converted to OpenAPI 3.0 before lowering",
            "diagnostics point into the original document; convert it once (e.g. with swagger2openapi) to review the result",
        );
    }
    cx.lower_root();
    let hops = cx.docs.hops;
    (cx.finish(), hops)
}

/// Lowering state.
pub(crate) struct Cx {
    /// Every document read.
    pub(crate) docs: DocSet,
    /// The API being built.
    pub(crate) api: Api,
    /// Diagnostics, in emission order (positions filled at the end).
    pub(crate) diags: Vec<Diagnostic>,
    /// TypeDefs created for a schema location (components and `$ref` targets).
    pub(crate) named: FastMap<Target, TypeId>,
    /// Results of inline schemas already lowered, so a shared location lowers once.
    pub(crate) inline: FastMap<Target, SchemaOut>,
    /// Named schemas that are themselves nullable.
    pub(crate) nullable_defs: FastSet<TypeId>,
    /// Security schemes by document name.
    pub(crate) schemes: FastMap<String, SchemeId>,
    /// Security schemes dropped as unsupported (already reported).
    pub(crate) dropped_schemes: FastSet<String>,
    /// Set when the root was converted from Swagger 2.0: maps pointers back to the source.
    swagger: Option<swagger2::Converted>,
    /// Schemas being lowered inside one another right now (inline and by `$ref`): bounds the
    /// recursion, see [`schema::MAX_NESTING`].
    pub(crate) nesting: usize,
    /// Referenced schemas registered but not lowered yet because [`Cx::nesting`] was at its
    /// bound; lowered in this order by [`Cx::fill_pending`].
    pub(crate) pending: std::collections::VecDeque<(TypeId, Target)>,
    /// Every broken `$ref` met (the pointer of the `$ref`), in the order met, repeated each time
    /// a lowering goes through it: a lowering that makes this list grow depends on it.
    pub(crate) broken: Vec<Target>,
    /// Broken references already reported.
    broken_reported: FastSet<Target>,
    /// Why each broken reference (by the pointer of its `$ref`) cannot be followed.
    broken_why: FastMap<Target, RefError>,
    /// The errors `--strict` reports for references to files that are not read (refused by the
    /// confinement, missing, unparsable), one per reference; without it they are summarised by
    /// `openapi::broken_refs` and named by each skipped item.
    strict_only: Vec<Diagnostic>,
    /// Every operation (or, without operations, every schema) depended on a broken reference.
    nothing_left: bool,
    /// Response `content` maps whose undecoded media types are already reported (a shared
    /// `components/responses` entry is reported once).
    pub(crate) media_reported: FastSet<Target>,
    /// Schemas given to `application/json-patch+json` bodies that are not arrays, already
    /// reported (Kubernetes gives one `Patch` object schema to every patch operation).
    pub(crate) json_patch_reported: FastSet<Target>,
    /// Inline schemas (memoised in [`Cx::inline`]) that went through a broken reference, and the
    /// first one: a later use of the memo depends on it too.
    pub(crate) inline_broken: FastMap<Target, Target>,
    /// Types whose own definition goes through a broken reference, and the first one.
    pub(crate) type_broken: FastMap<TypeId, Target>,
    /// Operations (by index) whose own definition goes through a broken reference.
    op_broken: FastMap<usize, Target>,
    /// Webhooks (by index) whose own definition goes through a broken reference.
    webhook_broken: FastMap<usize, Target>,
    /// `--format-type` mappings: a `format` lowered as a Rust type of the user's choosing.
    pub(crate) formats: Vec<(String, String)>,
    /// Every `default` read for a field or parameter: where it is written, the type it must
    /// fit, and the value; checked by [`Cx::check_defaults`] once every type is lowered.
    pub(crate) defaults: Vec<(Target, TypeRef, Value)>,
}

impl Cx {
    fn lower_root(&mut self) {
        let doc = self.docs.doc(0);
        let Some(root) = doc.value.as_object() else {
            self.error(
                0,
                "",
                "openapi::invalid_document",
                "the document is not an object",
                "an OpenAPI document is a mapping with `openapi`, `info` and `paths`",
            );
            return;
        };
        if !self.check_version(root) {
            return;
        }
        self.lower_info(root);
        self.lower_servers(root);
        self.lower_security_schemes();
        self.register_components();
        if let Some(sec) = root.field("security") {
            self.api.default_security = self.security_requirements(0, "/security", sec);
        }
        self.lower_paths();
        self.lower_webhooks(root);
        self.fill_pending();
        self.break_alias_cycles();
        self.check_defaults();
        self.fill_xml_names();
        self.drop_broken();
    }

    /// The first broken reference met since `mark` (a length of [`Cx::broken`]), if any.
    pub(crate) fn broken_since(&self, mark: usize) -> Option<Target> {
        self.broken.get(mark).cloned()
    }

    /// Marks operation `index` as depending on the broken reference `at`.
    pub(crate) fn op_depends_on_broken(&mut self, index: usize, at: Target) {
        self.op_broken.entry(index).or_insert(at);
    }

    /// Partial generation: drops every type, operation and webhook that depends on a broken
    /// `$ref` (its own definition goes through one, or it uses a type that does), each with an
    /// `openapi::skipped_*` warning naming the reference; an error when nothing is left.
    fn drop_broken(&mut self) {
        if self.broken.is_empty() {
            return;
        }
        let n = self.api.types.len();
        // Who uses each type (reverse edges), then a walk from the broken ones.
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, def) in self.api.types.iter().enumerate() {
            for to in crate::ir::prune::named_in_kind(&def.kind) {
                if let Some(u) = users.get_mut(to) {
                    u.push(i);
                }
            }
        }
        let mut cause: Vec<Option<Target>> = vec![None; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut seeds: Vec<(&TypeId, &Target)> = self.type_broken.iter().collect();
        seeds.sort_by_key(|(id, _)| **id);
        for (id, at) in seeds {
            let i = id.0 as usize;
            if i < n && cause[i].is_none() {
                cause[i] = Some(at.clone());
                stack.push(i);
            }
        }
        while let Some(i) = stack.pop() {
            let at = cause[i].clone();
            for &u in &users[i] {
                if cause[u].is_none() {
                    cause[u] = at.clone();
                    stack.push(u);
                }
            }
        }
        let first_broken = |refs: &mut dyn Iterator<Item = &TypeRef>| -> Option<Target> {
            refs.flat_map(crate::ir::prune::named_in)
                .find_map(|to| cause.get(to).cloned().flatten())
        };
        let mut op_cause: Vec<Option<Target>> = Vec::with_capacity(self.api.operations.len());
        for (i, op) in self.api.operations.iter().enumerate() {
            let own = self.op_broken.get(&i).cloned();
            let mut refs = op
                .params
                .iter()
                .map(|p| &p.ty)
                .chain(op.body.iter().map(|b| &b.ty))
                .chain(op.responses.iter().filter_map(|r| r.ty.as_ref()))
                .chain(self.api.events.get(&i))
                .chain(
                    self.api
                        .response_headers
                        .get(&i)
                        .into_iter()
                        .flatten()
                        .map(|h| &h.ty),
                )
                .chain(
                    self.api
                        .body_alternatives
                        .get(&i)
                        .into_iter()
                        .flatten()
                        .map(|b| &b.ty),
                );
            op_cause.push(own.or_else(|| first_broken(&mut refs)));
        }
        let mut hook_cause: Vec<Option<Target>> = Vec::with_capacity(self.api.webhooks.len());
        for (i, w) in self.api.webhooks.iter().enumerate() {
            let own = self.webhook_broken.get(&i).cloned();
            hook_cause.push(own.or_else(|| first_broken(&mut std::iter::once(&w.payload))));
        }
        // Operations skipped while lowering (a path item or an operation that is itself a broken
        // reference) count too.
        let early = self
            .diags
            .iter()
            .filter(|d| d.code == "openapi::skipped_operation")
            .count();
        let had_ops = !self.api.operations.is_empty() || early > 0;
        let had_types = !self.api.types.is_empty();
        let mut skipped = Vec::new();
        for (i, at) in cause.iter().enumerate() {
            let (Some(at), Name::Given(name)) = (at, &self.api.types[i].name) else {
                continue;
            };
            let (file, pointer) = self.split_origin(&self.api.types[i].origin);
            skipped.push((
                file,
                pointer,
                "openapi::skipped_type",
                format!(
                    "schema `{name}` is not generated: it depends on the broken reference at `{}`{}",
                    self.shown(at),
                    self.broken_reason(at)
                ),
                self.skip_help(at),
            ));
        }
        for (i, at) in op_cause.iter().enumerate() {
            let Some(at) = at else { continue };
            let op = &self.api.operations[i];
            let (file, pointer) = self.split_origin(&op.origin);
            skipped.push((
                file,
                pointer,
                "openapi::skipped_operation",
                format!(
                    "operation `{}` ({} {}) is not generated: it depends on the broken reference at `{}`{}",
                    op.name.display(),
                    op.method.as_str(),
                    op.path,
                    self.shown(at),
                    self.broken_reason(at)
                ),
                self.skip_help(at),
            ));
        }
        for (i, at) in hook_cause.iter().enumerate() {
            let Some(at) = at else { continue };
            let w = &self.api.webhooks[i];
            let (file, pointer) = self.split_origin(&w.origin);
            skipped.push((
                file,
                pointer,
                "openapi::skipped_webhook",
                format!(
                    "webhook `{}` is not decoded: it depends on the broken reference at `{}`{}",
                    w.name,
                    self.shown(at),
                    self.broken_reason(at)
                ),
                self.skip_help(at),
            ));
        }
        let skipped_ops = skipped
            .iter()
            .filter(|s| s.2 == "openapi::skipped_operation")
            .count();
        let skipped_types = skipped
            .iter()
            .filter(|s| s.2 == "openapi::skipped_type")
            .count();
        self.summarise_broken(
            (skipped_ops + early, self.api.operations.len() + early),
            skipped_types,
            hook_cause.iter().flatten().count(),
        );
        for (file, pointer, code, message, help) in skipped {
            self.warn(file, &pointer, code, message, help);
        }
        let keep_types: Vec<bool> = cause.iter().map(Option::is_none).collect();
        let keep_ops: Vec<bool> = op_cause.iter().map(Option::is_none).collect();
        let mut i = 0;
        self.api.webhooks.retain(|_| {
            i += 1;
            hook_cause[i - 1].is_none()
        });
        crate::ir::prune::retain(&mut self.api, &keep_ops, &keep_types);
        let nothing_left = if had_ops {
            self.api.operations.is_empty()
        } else {
            had_types && self.api.types.is_empty() && self.api.webhooks.is_empty()
        };
        if nothing_left {
            self.nothing_left = true;
            let at = self.broken[0].clone();
            self.error(
                at.file,
                &at.pointer,
                "openapi::nothing_left",
                if had_ops {
                    "every operation depends on a broken reference: there is nothing to generate"
                } else {
                    "every schema depends on a broken reference: there is nothing to generate"
                },
                "fix the broken references (each is reported at the reference)",
            );
        }
    }

    /// ` (why)` for a message naming the broken reference at `at` when the file it names is not
    /// read (that reason is reported nowhere else without `--strict`); empty for a reference
    /// that dangles inside documents that were read (its `openapi::dangling_ref` warning says).
    pub(crate) fn broken_reason(&self, at: &Target) -> String {
        match self.broken_why.get(at).and_then(|e| e.refusal.as_ref()) {
            Some(r) => format!(" ({})", r.message),
            None => String::new(),
        }
    }

    /// The hint of a warning about something skipped because of the broken reference at `at`.
    pub(crate) fn skip_help(&self, at: &Target) -> String {
        let fix = match self.broken_why.get(at).and_then(|e| e.refusal.as_ref()) {
            Some(r) => format!("{};", r.help),
            None => "fix the reference (the `openapi::dangling_ref` warning shows it),".to_owned(),
        };
        format!("{fix} or pass --strict to refuse a document with a broken reference")
    }

    /// One `openapi::broken_refs` warning for all broken references, when some name files that
    /// are not read: how many, of which kind (to how many files), and what is not generated, at
    /// the first such reference. The references
    /// themselves are not reported one by one unless they dangle inside documents that were read
    /// (a document can name the same missing files hundreds of times: maxio's 680 references to
    /// files outside its folder); each skipped item names the one it depends on.
    fn summarise_broken(&mut self, (ops, of_ops): (usize, usize), types: usize, hooks: usize) {
        // Only references that are not reported one by one need it.
        let Some(first) = self
            .broken
            .iter()
            .find(|at| {
                self.broken_why
                    .get(*at)
                    .is_some_and(|e| e.refusal.is_some())
            })
            .cloned()
        else {
            return;
        };
        // Per kind: references and the distinct files they name.
        let mut kinds: std::collections::BTreeMap<&'static str, (usize, HashSet<String>)> =
            Default::default();
        for (at, err) in &self.broken_why {
            let kind = err.refusal.as_ref().map_or("", |r| r.code);
            let entry = kinds.entry(kind).or_default();
            entry.0 += 1;
            let doc = self.docs.doc(at.file);
            if let Some(r) = doc.value.at_pointer(&at.pointer).and_then(Value::as_str) {
                let file = r.split('#').next().unwrap_or_default();
                entry.1.insert(format!("{}\0{file}", at.file));
            }
        }
        let total: usize = kinds.values().map(|k| k.0).sum();
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let parts: Vec<String> = kinds
            .iter()
            .map(|(kind, (n, files))| {
                let files = files.len();
                let what = match *kind {
                    "load::outside_root" => {
                        plural(files, "file", "files")
                            + " outside the folders the document may read from"
                    }
                    "load::not_found" => {
                        plural(files, "file that does not", "files that do not") + " exist"
                    }
                    "load::remote_ref" => plural(files, "URL", "URLs") + " (never fetched)",
                    "load::special_file" => plural(files, "special file", "special files"),
                    "load::too_large" => plural(files, "file", "files") + " over the size limit",
                    "load::unreadable" => {
                        plural(files, "file that cannot", "files that cannot") + " be parsed"
                    }
                    "" => "targets that do not exist or reference cycles".to_owned(),
                    other => format!("files refused ({other})"),
                };
                format!("{n} to {what}")
            })
            .collect();
        let outside = kinds.contains_key("load::outside_root");
        self.warn(
            first.file,
            &first.pointer,
            "openapi::broken_refs",
            format!(
                "{} cannot be followed ({}): {} of {of_ops} operations, {} and {} are not generated (each is named in an `openapi::skipped_*` warning)",
                plural(total, "reference", "references"),
                parts.join(", "),
                ops,
                plural(types, "schema", "schemas"),
                plural(hooks, "webhook", "webhooks"),
            ),
            if outside {
                format!("{}; or pass --strict to refuse a document with a broken reference", crate::load::confine::ALLOW_HINT)
            } else {
                "fix the references, or pass --strict to refuse a document with a broken reference".to_owned()
            },
        );
    }

    /// `file#/pointer` of `at` for a message: as the source spells it when the root was
    /// converted from Swagger 2.0.
    pub(crate) fn shown(&self, at: &Target) -> String {
        match &self.swagger {
            Some(conv) if at.file == 0 => self.origin(0, &conv.source_pointer(&at.pointer)),
            _ => self.origin(at.file, &at.pointer),
        }
    }

    /// `file#/pointer` (an `origin`) as a file id and pointer.
    fn split_origin(&self, origin: &str) -> (FileId, String) {
        match origin.split_once('#') {
            Some((f, p)) => (self.docs.id_of(Path::new(f)).unwrap_or(0), p.to_owned()),
            None => (0, String::new()),
        }
    }

    /// `A: {allOf: [{$ref: A}]}` and the like make aliases that name themselves through a chain;
    /// such an alias becomes `Any` with a warning (the back end cannot emit `type A = A;`).
    /// Each alias names at most one type, so the aliases form chains: one walk over them (each
    /// type visited once) finds every cycle, and the first type of each cycle in id order is the
    /// one broken.
    fn break_alias_cycles(&mut self) {
        let n = self.api.types.len();
        let next = |types: &[crate::ir::TypeDef], i: usize| match types.get(i).map(|t| &t.kind) {
            Some(TypeKind::Alias(TypeRef::Named(to))) if (to.0 as usize) < types.len() => {
                Some(to.0 as usize)
            }
            _ => None,
        };
        // 0: not seen; walk number + 1 while on the walk that saw it.
        let mut seen_by = vec![0usize; n];
        let mut to_break = Vec::new();
        for start in 0..n {
            if seen_by[start] != 0 {
                continue;
            }
            let walk = start + 1;
            let mut cur = start;
            loop {
                seen_by[cur] = walk;
                match next(&self.api.types, cur) {
                    Some(to) if seen_by[to] == 0 => cur = to,
                    Some(to) if seen_by[to] == walk => {
                        // A new cycle through `to`: find its first type in id order.
                        let mut first = to;
                        let mut at = to;
                        while let Some(after) = next(&self.api.types, at).filter(|a| *a != to) {
                            first = first.min(after);
                            at = after;
                        }
                        to_break.push(first);
                        break;
                    }
                    _ => break,
                }
            }
        }
        to_break.sort_unstable();
        for start in to_break {
            let def = &mut self.api.types[start];
            def.kind = TypeKind::Alias(TypeRef::Any);
            let origin = def.origin.clone();
            let name = def.name.display();
            let (file, pointer) = match origin.split_once('#') {
                Some((f, p)) => (self.docs.id_of(Path::new(f)).unwrap_or(0), p.to_owned()),
                None => (0, String::new()),
            };
            self.warn(
                file,
                &pointer,
                "openapi::alias_cycle",
                format!("schema `{name}` is defined only in terms of itself; using any value"),
                "give the schema a type or properties",
            );
        }
    }

    /// Accepts 3.0.x; reports the others.
    fn check_version(&mut self, root: &Map<String, Value>) -> bool {
        if root.has_field("swagger") {
            self.error(
                0,
                "/swagger",
                "openapi::unsupported_version",
                "only Swagger 2.0 and OpenAPI 3.0/3.1 documents are supported",
                "convert the document to OpenAPI 3.0 first",
            );
            return false;
        }
        match root.field("openapi") {
            Some(Value::String(v)) if v.starts_with("3.0") => true,
            // 3.1: read as 3.1 (type lists, `const`, `$defs`, `prefixItems`, `webhooks`, …);
            // what is not lowered is reported where it appears.
            Some(Value::String(v)) if v.starts_with("3.1") => true,
            Some(v) => {
                self.error(
                    0,
                    "/openapi",
                    "openapi::unsupported_version",
                    format!("unsupported OpenAPI version {v}"),
                    "set `openapi: 3.0.3`",
                );
                false
            }
            None => {
                self.error(
                    0,
                    "",
                    "openapi::unsupported_version",
                    "the document has no `openapi` version field",
                    "add `openapi: 3.0.3` at the top level",
                );
                false
            }
        }
    }

    fn lower_info(&mut self, root: &Map<String, Value>) {
        let info = self.object_at(0, "/info", root.field("info"), true);
        let title = info.and_then(|i| i.field("title")).and_then(Value::as_str);
        self.api.title = match title {
            Some(t) => t.to_owned(),
            None => {
                if info.is_some() {
                    self.warn(
                        0,
                        "/info",
                        "openapi::missing_title",
                        "`info.title` is missing",
                        "add a title; the file name is used instead",
                    );
                }
                let doc = self.docs.doc(0);
                doc.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "api".into())
            }
        };
        self.api.version = info
            .and_then(|i| i.field("version"))
            .and_then(scalar_string);
        self.api.docs = info.and_then(|i| text(i, "description"));
    }

    fn lower_servers(&mut self, root: &Map<String, Value>) {
        let Some(servers) = self.array_at(0, "/servers", root.field("servers")) else {
            return;
        };
        for (i, s) in servers.iter().enumerate() {
            let ptr = format!("/servers/{i}");
            let Some(s) = self.object_at(0, &ptr, Some(s), false) else {
                continue;
            };
            let Some(url) = s.field("url").and_then(Value::as_str) else {
                self.warn(
                    0,
                    &ptr,
                    "openapi::invalid_server",
                    "server has no `url` string; ignored",
                    "give each server a `url`",
                );
                continue;
            };
            let mut url = url.to_owned();
            if let Some(vars) = s.field("variables").and_then(Value::as_object) {
                for (name, var) in vars {
                    if let Some(default) = var.field("default").and_then(scalar_string) {
                        url = url.replace(&format!("{{{name}}}"), &default);
                    }
                }
            }
            if url.contains('{') {
                self.warn(
                    0,
                    &ptr,
                    "openapi::server_variable",
                    format!("server URL `{url}` has a variable without a default"),
                    "declare every `{variable}` under `variables` with a `default`",
                );
            }
            self.api.servers.push(Server {
                url,
                docs: text(s, "description"),
            });
        }
    }

    /// OpenAPI 3.1 `webhooks`: each one's JSON request body becomes a payload type, recorded in
    /// [`Api::webhooks`] (the back end writes an enum that decodes a received body by webhook).
    fn lower_webhooks(&mut self, root: &Map<String, Value>) {
        let Some(hooks) = self.object_at(0, "/webhooks", root.field("webhooks"), false) else {
            return;
        };
        for name in hooks.keys() {
            if name.starts_with("x-") {
                continue;
            }
            let wptr = ptr("/webhooks", name);
            let mark = self.broken.len();
            let Some(t) = self.deref(0, &wptr) else {
                continue;
            };
            let doc = self.docs.doc(t.file);
            let Some(item) =
                self.object_at(t.file, &t.pointer, doc.value.at_pointer(&t.pointer), false)
            else {
                continue;
            };
            let methods: Vec<&str> = ["post", "put", "patch", "get", "delete"]
                .into_iter()
                .filter(|m| item.has_field(m))
                .collect();
            let Some(method) = methods.first().copied() else {
                self.warn(
                    t.file,
                    &t.pointer,
                    "openapi::webhook_without_operation",
                    format!("webhook `{name}` has no operation; ignored"),
                    "describe the request the API sends, e.g. `post: {requestBody: …}`",
                );
                continue;
            };
            if methods.len() > 1 {
                self.warn(
                    t.file,
                    &ptr(&t.pointer, methods[1]),
                    "openapi::webhook_several_operations",
                    format!("webhook `{name}` has several operations; only `{method}` is decoded"),
                    "give each request the API sends its own webhook name",
                );
            }
            let Some(ot) = self.deref(t.file, &ptr(&t.pointer, method)) else {
                continue;
            };
            let odoc = self.docs.doc(ot.file);
            let Some(op) = odoc
                .value
                .at_pointer(&ot.pointer)
                .and_then(Value::as_object)
            else {
                continue;
            };
            let mut docs = text(op, "summary");
            if let Some(d) = text(op, "description") {
                docs = Some(match docs {
                    Some(s) => format!("{s}\n\n{d}"),
                    None => d,
                });
            }
            let deprecated = self.bool_at(
                ot.file,
                &ptr(&ot.pointer, "deprecated"),
                op.field("deprecated"),
            );
            let payload = self.webhook_payload(ot.file, &ptr(&ot.pointer, "requestBody"), name);
            if let Some(at) = self.broken_since(mark) {
                self.webhook_broken.insert(self.api.webhooks.len(), at);
            }
            self.api.webhooks.push(crate::ir::Webhook {
                name: name.clone(),
                docs,
                payload,
                deprecated,
                origin: self.origin(ot.file, &ot.pointer),
            });
        }
    }

    /// The type of a webhook's request body at `bptr`: its JSON media type's schema; any value
    /// (with a warning) when it has none.
    fn webhook_payload(&mut self, file: FileId, bptr: &str, name: &str) -> TypeRef {
        let doc = self.docs.doc(file);
        if doc.value.at_pointer(bptr).is_none() {
            return TypeRef::Any;
        }
        let Some(t) = self.deref(file, bptr) else {
            return TypeRef::Any;
        };
        let doc = self.docs.doc(t.file);
        let content = doc
            .value
            .at_pointer(&ptr(&t.pointer, "content"))
            .and_then(Value::as_object);
        let json = content.and_then(|c| {
            c.iter().find(|(mt, _)| {
                let mt = mt.to_ascii_lowercase();
                mt.starts_with("application/json") || mt.contains("+json")
            })
        });
        match json {
            Some((mt, m)) if m.field("schema").is_some() => {
                let sptr = ptr(&ptr(&ptr(&t.pointer, "content"), mt), "schema");
                self.schema(t.file, &sptr, &[name.to_owned(), "payload".into()])
                    .ty
            }
            Some(_) => TypeRef::Any,
            None => {
                self.warn(
                    t.file,
                    &t.pointer,
                    "openapi::webhook_not_json",
                    format!("webhook `{name}` has no JSON request body; its payload is decoded as any JSON value"),
                    "describe the body under `content: {application/json: {schema: …}}`",
                );
                TypeRef::Any
            }
        }
    }

    // -- helpers ---------------------------------------------------------------------------

    /// Adds a warning at `pointer` in `file`.
    pub(crate) fn warn(
        &mut self,
        file: FileId,
        pointer: &str,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report(Diagnostic::warning(code, message), file, pointer, help);
    }

    /// Adds an error at `pointer` in `file`.
    pub(crate) fn error(
        &mut self,
        file: FileId,
        pointer: &str,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report(Diagnostic::error(code, message), file, pointer, help);
    }

    fn report(&mut self, d: Diagnostic, file: FileId, pointer: &str, help: impl Into<String>) {
        let path = self.docs.doc(file).path.clone();
        self.diags.push(d.at(path, pointer).help(help));
    }

    /// `value` as an object; a non-object is reported (an error when `required_shape`).
    pub(crate) fn object_at<'v>(
        &mut self,
        file: FileId,
        pointer: &str,
        value: Option<&'v Value>,
        required_shape: bool,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(other) => {
                let msg = format!("expected a mapping, found {}", json_kind(other));
                let help = "see the OpenAPI 3.0 specification for the shape of this field";
                if required_shape {
                    self.error(file, pointer, "openapi::wrong_type", msg, help);
                } else {
                    self.warn(
                        file,
                        pointer,
                        "openapi::wrong_type",
                        msg + "; ignored",
                        help,
                    );
                }
                None
            }
        }
    }

    /// `value` as an array; anything else is reported as a warning and ignored.
    pub(crate) fn array_at<'v>(
        &mut self,
        file: FileId,
        pointer: &str,
        value: Option<&'v Value>,
    ) -> Option<&'v Vec<Value>> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) => Some(a),
            Some(other) => {
                self.warn(
                    file,
                    pointer,
                    "openapi::wrong_type",
                    format!("expected a list, found {}; ignored", json_kind(other)),
                    "see the OpenAPI 3.0 specification for the shape of this field",
                );
                None
            }
        }
    }

    /// The member `key` of `map` (at `base`) as a boolean: [`Cx::bool_at`], with the member's
    /// pointer made only for a warning.
    pub(crate) fn bool_member(
        &mut self,
        file: FileId,
        base: &str,
        map: &Map<String, Value>,
        key: &str,
    ) -> bool {
        match map.field(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            other => self.bool_at(file, &ptr(base, key), other),
        }
    }

    /// `value` as a boolean (absent → `false`); anything else is reported.
    pub(crate) fn bool_at(&mut self, file: FileId, pointer: &str, value: Option<&Value>) -> bool {
        match value {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.warn(
                    file,
                    pointer,
                    "openapi::wrong_type",
                    format!(
                        "expected true or false, found {}; using false",
                        json_kind(other)
                    ),
                    "use a boolean",
                );
                false
            }
        }
    }

    /// Resolves a `$ref` in `value` (at `file`/`pointer`), following chains. Returns where the
    /// referenced value is (or the value itself when it is not a reference); `None` (with an error
    /// at the `$ref`) when the reference dangles.
    pub(crate) fn deref(&mut self, file: FileId, pointer: &str) -> Option<Target> {
        self.deref_read(file, pointer, None)
    }

    /// [`Cx::deref`] when the caller has already read the value at `pointer` (`known`): see
    /// [`DocSet::follow_read`].
    pub(crate) fn deref_read(
        &mut self,
        file: FileId,
        pointer: &str,
        known: Option<&Value>,
    ) -> Option<Target> {
        let start = Target {
            file,
            pointer: pointer.to_owned(),
        };
        match self.docs.follow_read(start, known) {
            Ok(t) => Some(t),
            Err((at, msg)) => {
                self.dangling(at, msg);
                None
            }
        }
    }

    /// [`Cx::deref_read`], with the value where the references end: `known` itself when it is
    /// not a reference (no look-up), else the document to look the target up in.
    pub(crate) fn deref_value<'v>(
        &mut self,
        file: FileId,
        pointer: &str,
        known: Option<&'v Value>,
    ) -> Option<(Target, Held<'v>)> {
        let t = self.deref_read(file, pointer, known)?;
        let held = match known {
            // `follow_read` ends at once at a known value without `$ref`.
            Some(v) if !v.as_object().is_some_and(|m| m.has_field("$ref")) => Held::Known(v),
            _ => Held::Doc(self.docs.doc(t.file)),
        };
        Some((t, held))
    }

    /// Records a broken reference at `at` (the pointer of the `$ref`): what depends on it is
    /// dropped by [`Cx::drop_broken`], each with a warning, and the rest is generated.
    ///
    /// A reference that dangles inside the documents read (a pointer to nothing, a cycle of
    /// references) is also a warning of its own, once. One that names a file which is not read
    /// (refused by the confinement, which never opens it; missing; unparsable) is not: such
    /// references can be hundreds, so they are summarised (`openapi::broken_refs`) and each
    /// skipped item names the one it depends on. `--strict` (`Lowered::strict`), or a document
    /// left with nothing to generate, reports each as an error here with its own code and hint.
    pub(crate) fn dangling(&mut self, at: Target, err: RefError) {
        self.broken.push(at.clone());
        if !self.broken_reported.insert(at.clone()) {
            return;
        }
        if let Some(refusal) = &err.refusal {
            let path = self.docs.doc(at.file).path.clone();
            self.strict_only.push(
                Diagnostic::error(refusal.code, refusal.message.clone())
                    .at(path, at.pointer.clone())
                    .help(refusal.help.clone()),
            );
            self.broken_why.insert(at, err);
            return;
        }
        self.broken_why.insert(at.clone(), err.clone());
        self.warn(
            at.file,
            &at.pointer,
            "openapi::dangling_ref",
            format!("unresolvable reference: {}; what depends on it is not generated", err.message),
            "check the spelling of the reference and that the target exists (local references look like `#/components/schemas/Name`, external ones `file.yaml#/Name` relative to this file)",
        );
    }

    /// A derived name from `parts` (the source names it is made of, uncased). Two derived names
    /// may be equal, or equal to a given one once cased: the back end's `rust::naming` cases
    /// every name and numbers the ones that collide (a given name first), in one place.
    pub(crate) fn derived_name(&self, parts: &[String]) -> Name {
        if parts.is_empty() {
            return Name::Derived(vec!["anonymous".into()]);
        }
        Name::Derived(parts.to_vec())
    }

    /// `file#/pointer` for `origin` fields.
    pub(crate) fn origin(&self, file: FileId, pointer: &str) -> String {
        let doc = self.docs.doc(file);
        // A path that is UTF-8 displays as itself: no lossy conversion (`Display` decodes the
        // path in chunks, for every type and operation).
        match doc.path.to_str() {
            Some(path) => {
                let mut s = String::with_capacity(path.len() + 1 + pointer.len());
                s.push_str(path);
                s.push('#');
                s.push_str(pointer);
                s
            }
            None => format!("{}#{}", doc.path.display(), pointer),
        }
    }

    /// Fills line/column of every diagnostic and packs the result.
    fn finish(mut self) -> Lowered {
        let strict_only = std::mem::take(&mut self.strict_only);
        let unreadable = std::mem::take(&mut self.docs.unreadable);
        let loaded = std::mem::take(&mut self.docs.diagnostics);
        // What `--strict` reports: no partial generation, every broken reference an error.
        let strict = (!self.broken.is_empty() || !unreadable.is_empty()).then(|| {
            let mut s: Vec<Diagnostic> = self
                .diags
                .iter()
                .filter(|d| !is_partial_generation(d.code))
                .cloned()
                .map(|mut d| {
                    if d.code == "openapi::dangling_ref" {
                        d.severity = crate::diag::Severity::Error;
                    }
                    d
                })
                .collect();
            s.extend(strict_only.iter().cloned());
            s.extend(unreadable.iter().cloned());
            s.extend(loaded.iter().cloned());
            s
        });
        if self.nothing_left {
            // Nothing is generated anyway: the references' own errors say why, first.
            let at = self
                .diags
                .iter()
                .position(|d| d.code == "openapi::nothing_left")
                .unwrap_or(self.diags.len());
            self.diags
                .splice(at..at, strict_only.into_iter().chain(unreadable));
        } else {
            // The files' errors, located in them, as warnings: what references them is skipped.
            self.diags.extend(unreadable.into_iter().map(|mut d| {
                d.severity = crate::diag::Severity::Warning;
                d.message
                    .push_str("; what references this file is not generated");
                d
            }));
        }
        self.diags.extend(loaded);
        // The strict list is located and mapped with the others, then split off again.
        let lenient = self.diags.len();
        let has_strict = strict.is_some();
        self.diags.extend(strict.into_iter().flatten());
        if let Some(conv) = &self.swagger {
            // Point back into the Swagger 2.0 source.
            let root = self.docs.doc(0).path.clone();
            for d in &mut self.diags {
                if let Some(loc) = d.location.as_mut().filter(|l| l.file == root) {
                    loc.pointer = conv.source_pointer(&loc.pointer);
                    // References quoted in the message as the source spells them.
                    d.message = swagger2::source_refs(&d.message);
                }
            }
            let prefix = format!("{}#", root.display());
            let fix = |origin: &mut String| {
                if let Some(p) = origin.strip_prefix(&prefix) {
                    *origin = format!("{prefix}{}", conv.source_pointer(p));
                }
            };
            self.api.types.iter_mut().for_each(|t| fix(&mut t.origin));
            self.api
                .operations
                .iter_mut()
                .for_each(|o| fix(&mut o.origin));
        }
        // Group diagnostics per file, then one walk per file for all its pointers.
        let mut by_file: std::collections::BTreeMap<FileId, Vec<usize>> = Default::default();
        for (i, d) in self.diags.iter().enumerate() {
            let Some(loc) = &d.location else { continue };
            if loc.line.is_some() {
                continue;
            }
            let Some(file) = self.docs.id_of(&loc.file) else {
                continue;
            };
            by_file.entry(file).or_default().push(i);
        }
        for (file, idxs) in by_file {
            let doc = self.docs.doc(file);
            let pointers: Vec<String> = idxs
                .iter()
                .filter_map(|i| self.diags.get(*i))
                .filter_map(|d| d.location.as_ref().map(|l| l.pointer.clone()))
                .collect();
            let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
            let positions = doc.locate(&refs);
            for (i, pos) in idxs.iter().zip(positions) {
                if let (Some(d), Some((line, col))) = (self.diags.get_mut(*i), pos) {
                    if let Some(loc) = d.location.as_mut() {
                        loc.line = Some(line);
                        loc.column = Some(col);
                    }
                }
            }
        }
        let strict = has_strict.then(|| self.diags.split_off(lenient));
        Lowered {
            files_read: self.docs.files_read(),
            api: self.api,
            diagnostics: self.diags,
            strict,
            documents: Some(self.docs),
        }
    }
}

/// Where [`Cx::deref_value`] ended: the value the caller had read, or the document that holds
/// the target.
pub(crate) enum Held<'v> {
    /// The caller's value, which was not a reference.
    Known(&'v Value),
    /// The document of the target (reached through references).
    Doc(std::rc::Rc<load::Document>),
}

impl Held<'_> {
    /// The value at `pointer` (the target's): the known value itself, or a look-up.
    pub(crate) fn get(&self, pointer: &str) -> Option<&Value> {
        match self {
            Held::Known(v) => Some(v),
            Held::Doc(doc) => doc.value.at_pointer(pointer),
        }
    }
}

/// The codes of the warnings about generating around broken references, which `--strict` leaves
/// out (it refuses the document instead).
fn is_partial_generation(code: &str) -> bool {
    matches!(
        code,
        "openapi::skipped_operation"
            | "openapi::skipped_type"
            | "openapi::skipped_webhook"
            | "openapi::broken_refs"
            | "openapi::nothing_left"
    )
}

/// `map[key]` as an owned string, if it is a non-empty string.
pub(crate) fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.field(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// A string, number or boolean as text (YAML turns `version: 1.0` into a number).
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Shorthand for [`child`].
pub(crate) fn ptr(base: &str, token: &str) -> String {
    child(base, token)
}

#[cfg(test)]
mod tests;
