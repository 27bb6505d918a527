//! OpenAPI front end: lowers OpenAPI 3.0 documents into the IR.
//!
//! The front end walks the parsed [`serde_json::Value`] itself instead of deserializing into
//! `openapiv3` types: every piece is read through its JSON pointer, so a malformed part becomes a
//! located warning plus a documented fallback (usually [`TypeRef::Any`]) instead of an opaque
//! "did not match any variant" abort of the whole document.
//!
//! Swagger 2.0 documents are converted to 3.0 first ([`swagger2`]), with an
//! `openapi::swagger_2_converted` warning; diagnostics are mapped back to the 2.0 source. OpenAPI 3.1 documents are lowered with the 3.0 rules plus
//! the 3.1 constructs that matter for types (`type: [T, "null"]`, `const`), with an
//! `openapi::version_3_1` warning; webhooks and other JSON Schema 2020-12 keywords are ignored.
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

use std::collections::{HashMap, HashSet};
use std::path::Path;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use crate::diag::Diagnostic;
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
        .get("swagger")
        .and_then(scalar_string)
        .is_some_and(|v| v.starts_with("2."));
    if is_swagger_2 {
        if let Some(root) = doc.value.as_object() {
            let converted = swagger2::convert(root);
            doc.value = converted.value;
            swagger = Some(swagger2::Converted {
                value: Value::Null,
                remap: converted.remap,
            });
        }
    }
    let mut cx = Cx {
        docs: DocSet::confined(doc, confinement),
        api: Api::default(),
        diags: diagnostics,
        named: HashMap::new(),
        inline: HashMap::new(),
        nullable_defs: HashSet::new(),
        used_names: HashSet::new(),
        schemes: HashMap::new(),
        dropped_schemes: HashSet::new(),
        swagger,
        nesting: 0,
        pending: Default::default(),
        formats: formats.to_vec(),
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
    pub(crate) named: HashMap<Target, TypeId>,
    /// Results of inline schemas already lowered, so a shared location lowers once.
    pub(crate) inline: HashMap<Target, SchemaOut>,
    /// Named schemas that are themselves nullable.
    pub(crate) nullable_defs: HashSet<TypeId>,
    /// Upper-camel-cased names in use, to keep derived names unique.
    pub(crate) used_names: HashSet<String>,
    /// Security schemes by document name.
    pub(crate) schemes: HashMap<String, SchemeId>,
    /// Security schemes dropped as unsupported (already reported).
    pub(crate) dropped_schemes: HashSet<String>,
    /// Set when the root was converted from Swagger 2.0: maps pointers back to the source.
    swagger: Option<swagger2::Converted>,
    /// Schemas being lowered inside one another right now (inline and by `$ref`): bounds the
    /// recursion, see [`schema::MAX_NESTING`].
    pub(crate) nesting: usize,
    /// Referenced schemas registered but not lowered yet because [`Cx::nesting`] was at its
    /// bound; lowered in this order by [`Cx::fill_pending`].
    pub(crate) pending: std::collections::VecDeque<(TypeId, Target)>,
    /// `--format-type` mappings: a `format` lowered as a Rust type of the user's choosing.
    pub(crate) formats: Vec<(String, String)>,
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
        if let Some(sec) = root.get("security") {
            self.api.default_security = self.security_requirements(0, "/security", sec);
        }
        self.lower_paths();
        self.fill_pending();
        self.break_alias_cycles();
        self.fill_xml_names();
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
        if root.contains_key("swagger") {
            self.error(
                0,
                "/swagger",
                "openapi::unsupported_version",
                "only Swagger 2.0 and OpenAPI 3.0/3.1 documents are supported",
                "convert the document to OpenAPI 3.0 first",
            );
            return false;
        }
        match root.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.0") => true,
            Some(Value::String(v)) if v.starts_with("3.1") => {
                self.warn(
                    0,
                    "/openapi",
                    "openapi::version_3_1",
                    format!("OpenAPI {v} is lowered with 3.0 rules"),
                    "type lists with `null`, `const` and `$ref` siblings are understood; webhooks and other JSON Schema 2020-12 keywords are ignored",
                );
                true
            }
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
        let info = self.object_at(0, "/info", root.get("info"), true);
        let title = info.and_then(|i| i.get("title")).and_then(Value::as_str);
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
        self.api.version = info.and_then(|i| i.get("version")).and_then(scalar_string);
        self.api.docs = info.and_then(|i| text(i, "description"));
    }

    fn lower_servers(&mut self, root: &Map<String, Value>) {
        let Some(servers) = self.array_at(0, "/servers", root.get("servers")) else {
            return;
        };
        for (i, s) in servers.iter().enumerate() {
            let ptr = format!("/servers/{i}");
            let Some(s) = self.object_at(0, &ptr, Some(s), false) else {
                continue;
            };
            let Some(url) = s.get("url").and_then(Value::as_str) else {
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
            if let Some(vars) = s.get("variables").and_then(Value::as_object) {
                for (name, var) in vars {
                    if let Some(default) = var.get("default").and_then(scalar_string) {
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
                let msg = format!("expected a mapping, found {}", kind_of(other));
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
                    format!("expected a list, found {}; ignored", kind_of(other)),
                    "see the OpenAPI 3.0 specification for the shape of this field",
                );
                None
            }
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
                        kind_of(other)
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
        let start = Target {
            file,
            pointer: pointer.to_owned(),
        };
        match self.docs.follow(start) {
            Ok(t) => Some(t),
            Err((at, msg)) => {
                self.dangling(at, msg);
                None
            }
        }
    }

    /// Reports a dangling or cyclic reference at `at` (the pointer of the `$ref`), or a file
    /// the confinement refused (with its own code and hint).
    pub(crate) fn dangling(&mut self, at: Target, err: RefError) {
        if let Some(refusal) = err.refusal.filter(|r| r.code != "load::not_found") {
            self.error(
                at.file,
                &at.pointer,
                refusal.code,
                refusal.message,
                refusal.help,
            );
            return;
        }
        self.error(
            at.file,
            &at.pointer,
            "openapi::dangling_ref",
            format!("unresolvable reference: {}", err.message),
            "check the spelling of the reference and that the target exists (local references look like `#/components/schemas/Name`, external ones `file.yaml#/Name` relative to this file)",
        );
    }

    /// A unique derived name from `parts` (a numeric part is added on collision).
    pub(crate) fn derived_name(&mut self, parts: &[String]) -> Name {
        let mut parts = parts.to_vec();
        if parts.is_empty() {
            parts.push("anonymous".into());
        }
        let base = parts.join("_").to_upper_camel_case();
        if self.used_names.insert(base.clone()) {
            return Name::Derived(parts);
        }
        for n in 2.. {
            if self.used_names.insert(format!("{base}{n}")) {
                parts.push(n.to_string());
                break;
            }
        }
        Name::Derived(parts)
    }

    /// `file#/pointer` for `origin` fields.
    pub(crate) fn origin(&self, file: FileId, pointer: &str) -> String {
        format!("{}#{}", self.docs.doc(file).path.display(), pointer)
    }

    /// Fills line/column of every diagnostic and packs the result.
    fn finish(mut self) -> Lowered {
        self.diags
            .extend(std::mem::take(&mut self.docs.diagnostics));
        if let Some(conv) = &self.swagger {
            // Point back into the Swagger 2.0 source.
            let root = self.docs.doc(0).path.clone();
            for d in &mut self.diags {
                if let Some(loc) = d.location.as_mut().filter(|l| l.file == root) {
                    loc.pointer = conv.source_pointer(&loc.pointer);
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
        Lowered {
            files_read: self.docs.files_read(),
            api: self.api,
            diagnostics: self.diags,
        }
    }
}

/// `map[key]` as an owned string, if it is a non-empty string.
pub(crate) fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
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

/// Human name of a JSON value's kind, for messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Shorthand for [`child`].
pub(crate) fn ptr(base: &str, token: &str) -> String {
    child(base, token)
}

#[cfg(test)]
mod tests;
