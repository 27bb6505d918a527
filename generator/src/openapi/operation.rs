//! Paths and operations: parameters, request bodies and responses.

use crate::load::{AtPointer, Members};
use heck::ToSnakeCase;
use serde_json::{Map, Value};

use super::schema::extend;
use super::{json_kind, ptr, text, Cx};
use crate::ir::{
    media_essence, BodyEncoding, FieldEncoding, Method, Name, Operation, Param, ParamLocation,
    ParamStyle, Primitive, RequestBody, Response, ResponseHeader, StatusMatch, TypeKind, TypeRef,
};
use crate::load::refs::{FileId, Target};

/// Methods in the order operations of one path are emitted.
const METHODS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

/// How a chosen media type is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
    Text,
    Multipart,
    Binary,
    /// `application/xml`, `text/xml`, `+xml`.
    Xml,
}

impl Cx {
    /// Lowers `paths` of the root document into operations, in document order.
    pub(crate) fn lower_paths(&mut self) {
        let doc = self.docs.doc(0);
        let Some(paths) = doc.value.field("paths") else {
            if doc.value.field("webhooks").is_some() {
                // OpenAPI 3.1: a document of webhooks only.
                return;
            }
            self.warn(
                0,
                "",
                "openapi::no_paths",
                "the document has no `paths`; the client will have no operations",
                "add `paths: {}` if this is intended",
            );
            return;
        };
        let Some(paths) = self.object_at(0, "/paths", Some(paths), true) else {
            return;
        };
        for (path, item_value) in paths {
            if path.starts_with("x-") {
                continue;
            }
            let iptr = ptr("/paths", path);
            if !path.starts_with('/') {
                self.warn(
                    0,
                    &iptr,
                    "openapi::invalid_path",
                    format!("path `{path}` does not start with `/`"),
                    "paths are relative to the server URL and start with `/`",
                );
            }
            let Some((t, held)) = self.deref_value(0, &iptr, Some(item_value)) else {
                if let Some(at) = self.broken.last().cloned() {
                    self.warn(
                        0,
                        &iptr,
                        "openapi::skipped_operation",
                        format!(
                            "the operations of path `{path}` are not generated: the path item is the broken reference at `{}`{}",
                            self.shown(&at),
                            self.broken_reason(&at)
                        ),
                        self.skip_help(&at),
                    );
                }
                continue;
            };
            let Some(item) = self.object_at(t.file, &t.pointer, held.get(&t.pointer), true) else {
                continue;
            };
            for (mname, method) in METHODS {
                if item.has_field(mname) {
                    let mark = self.broken.len();
                    let index = self.api.operations.len();
                    self.operation(t.file, &t.pointer, item, path, mname, method);
                    let Some(at) = self.broken_since(mark) else {
                        continue;
                    };
                    if self.api.operations.len() > index {
                        self.op_depends_on_broken(index, at);
                    } else {
                        // The operation itself is a broken `$ref`.
                        self.warn(
                            t.file,
                            &ptr(&t.pointer, mname),
                            "openapi::skipped_operation",
                            format!(
                                "operation {} {path} is not generated: it is the broken reference at `{}`{}",
                                method.as_str(),
                                self.shown(&at),
                                self.broken_reason(&at)
                            ),
                            self.skip_help(&at),
                        );
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        file: FileId,
        item_ptr: &str,
        item: &Map<String, Value>,
        path: &str,
        mname: &str,
        method: Method,
    ) {
        let item_file = file;
        // Bundlers sometimes `$ref` whole operations; follow them.
        let Some((ot, held)) =
            self.deref_value(item_file, &ptr(item_ptr, mname), item.field(mname))
        else {
            return;
        };
        let (file, optr) = (ot.file, ot.pointer);
        let Some(op) = self.object_at(file, &optr, held.get(&optr), true) else {
            return;
        };
        let name = match op.field("operationId") {
            Some(Value::String(s)) if !s.trim().is_empty() => Name::Given(s.clone()),
            None => Name::Derived(derive_name(mname, path)),
            Some(other) => {
                self.warn(
                    file,
                    &ptr(&optr, "operationId"),
                    "openapi::wrong_type",
                    format!("`operationId` must be a non-empty string, found {}; a name is derived from method and path", json_kind(other)),
                    "give the operation a string `operationId`",
                );
                Name::Derived(derive_name(mname, path))
            }
        };
        let parts = match &name {
            Name::Given(s) => vec![s.clone()],
            Name::Derived(p) => p.clone(),
        };
        // The operation's `servers`, else its path's.
        let mut server = None;
        for (sfile, sptr, holder) in [(file, optr.as_str(), op), (item_file, item_ptr, item)] {
            if let Some(list) = holder.field("servers") {
                server = self.operation_server(sfile, &ptr(sptr, "servers"), list);
                break;
            }
        }
        let params = self.params((item_file, item_ptr, item), (file, &optr, op), &parts, path);
        let (body, alternatives) = match op.field("requestBody") {
            Some(b) => match self.request_body(file, &ptr(&optr, "requestBody"), b, &parts) {
                Some((b, alt)) => (Some(b), alt),
                None => (None, Vec::new()),
            },
            None => (None, Vec::new()),
        };
        let index = self.api.operations.len();
        if !alternatives.is_empty() {
            self.api.body_alternatives.insert(index, alternatives);
        }
        let (responses, headers, negotiated) = self.responses(file, &optr, op, &parts);
        if !headers.is_empty() {
            self.api.response_headers.insert(index, headers);
        }
        if !negotiated.success.is_empty() {
            self.api
                .response_alternatives
                .insert(index, negotiated.success);
        }
        for (status, alts) in negotiated.errors {
            self.api.error_alternatives.insert((index, status), alts);
        }
        let security = op
            .field("security")
            .map(|s| self.security_requirements(file, &ptr(&optr, "security"), s));
        let tags = match self.array_at(file, &ptr(&optr, "tags"), op.field("tags")) {
            Some(t) => t
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
        };
        let deprecated = self.bool_member(file, &optr, op, "deprecated");
        self.api.operations.push(Operation {
            name,
            summary: text(op, "summary"),
            docs: text(op, "description"),
            deprecated,
            tags,
            origin: self.origin(file, &optr),
            method,
            path: path.to_owned(),
            params,
            body,
            responses,
            security,
            server,
        });
        self.paging_and_events(file, &optr, op, &parts);
    }

    /// Path-level and operation-level parameters; the operation's override by name and location.
    #[allow(clippy::too_many_arguments)]
    fn params(
        &mut self,
        (item_file, item_ptr, item): (FileId, &str, &Map<String, Value>),
        (file, optr, op): (FileId, &str, &Map<String, Value>),
        parts: &[String],
        path: &str,
    ) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::new();
        let mark = self.broken.len();
        let diags = self.diags.len();
        for (lfile, base, list) in [
            (item_file, item_ptr, item.field("parameters")),
            (file, optr, op.field("parameters")),
        ] {
            let lptr = ptr(base, "parameters");
            let Some(list) = self.array_at(lfile, &lptr, list) else {
                continue;
            };
            for (i, known) in list.iter().enumerate() {
                let pptr = ptr(&lptr, &i.to_string());
                let Some(p) = self.param(lfile, &pptr, Some(known), parts) else {
                    continue;
                };
                match out
                    .iter_mut()
                    .find(|q| q.name == p.name && q.location == p.location)
                {
                    Some(slot) => *slot = p,
                    None => out.push(p),
                }
            }
        }
        // Every `{name}` of the template needs a path parameter. When a parameter is a broken
        // reference, or one to a file that is not read (maxio's
        // `$ref: ../components/parameters/…` outside the document's folder), it may be the one:
        // the operation is skipped for that reference (or the document refused with --strict),
        // and nothing more is said.
        let broken_param = self.broken.len() > mark
            || self.diags[diags.min(self.diags.len())..]
                .iter()
                .any(|d| d.is_error());
        for name in template_names(path) {
            if !out
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == name)
            {
                if !broken_param {
                    self.warn(
                    file,
                    optr,
                    "openapi::missing_path_param",
                    format!("path parameter `{name}` is not declared; assuming a string"),
                    format!("declare `{{name: {name}, in: path, required: true, schema: {{type: string}}}}`"),
                );
                }
                out.push(Param {
                    name,
                    location: ParamLocation::Path,
                    required: true,
                    ty: TypeRef::Primitive(Primitive::String),
                    docs: None,
                    deprecated: false,
                    style: ParamStyle::Comma,
                    allow_reserved: false,
                    default: None,
                });
            }
        }
        out
    }

    /// The parameter at `pptr`; `known`: the value there, when the caller has read it.
    fn param(
        &mut self,
        file: FileId,
        pptr: &str,
        known: Option<&Value>,
        parts: &[String],
    ) -> Option<Param> {
        let (t, held) = self.deref_value(file, pptr, known)?;
        let pm = self.object_at(t.file, &t.pointer, held.get(&t.pointer), false)?;
        let Some(name) = pm.field("name").and_then(Value::as_str) else {
            self.warn(
                t.file,
                &t.pointer,
                "openapi::invalid_param",
                "parameter has no `name`; ignored",
                "give every parameter a `name` and an `in`",
            );
            return None;
        };
        let location = match pm.field("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            other => {
                self.warn(
                    t.file,
                    &ptr(&t.pointer, "in"),
                    "openapi::invalid_param",
                    format!(
                        "parameter `{name}` has an invalid `in` ({}); ignored",
                        other.unwrap_or("missing")
                    ),
                    "`in` is one of path, query, header, cookie",
                );
                return None;
            }
        };
        if location == ParamLocation::Header
            && ["accept", "content-type", "authorization"]
                .contains(&name.to_ascii_lowercase().as_str())
        {
            // The specification says these are ignored (they come from other fields).
            return None;
        }
        let required =
            self.bool_member(t.file, &t.pointer, pm, "required") || location == ParamLocation::Path;
        let hint = component_name(&t.pointer)
            .map(|n| vec![n])
            .unwrap_or_else(|| extend(parts, name));
        let ty = if pm.has_field("schema") {
            self.schema(t.file, &ptr(&t.pointer, "schema"), &hint).ty
        } else if let Some(content) = pm.field("content").and_then(Value::as_object) {
            match content.iter().next() {
                Some((mt, m)) if m.field("schema").is_some() => {
                    let sptr = ptr(&ptr(&ptr(&t.pointer, "content"), mt), "schema");
                    self.schema(t.file, &sptr, &hint).ty
                }
                _ => TypeRef::Any,
            }
        } else {
            self.warn(
                t.file,
                &t.pointer,
                "openapi::param_without_schema",
                format!("parameter `{name}` has neither `schema` nor `content`; assuming a string"),
                "add `schema: {type: string}` (or the right type)",
            );
            TypeRef::Primitive(Primitive::String)
        };
        let explode = match pm.field("explode") {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        };
        let default = match location {
            ParamLocation::Query | ParamLocation::Cookie => {
                if explode.unwrap_or(true) {
                    ParamStyle::FormExploded
                } else {
                    ParamStyle::Comma
                }
            }
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Comma,
        };
        let style = match pm.field("style").and_then(Value::as_str) {
            None => default,
            Some(style) => match style_of(style, explode, location) {
                Some(s) => s,
                None => {
                    self.warn(
                        t.file,
                        &ptr(&t.pointer, "style"),
                        "openapi::param_style_unsupported",
                        format!("parameter style `{style}` is not valid for a {} parameter; using the default style for its location", location_name(location)),
                        "path: simple, label, matrix; query: form, spaceDelimited, pipeDelimited, deepObject; header: simple; cookie: form",
                    );
                    default
                }
            },
        };
        let allow_reserved = location == ParamLocation::Query
            && self.bool_member(t.file, &t.pointer, pm, "allowReserved");
        let deprecated = self.bool_member(t.file, &t.pointer, pm, "deprecated");
        let default = match pm.field("schema") {
            Some(schema) => {
                self.schema_default(t.file, &ptr(&t.pointer, "schema"), Some(schema), || {
                    ty.clone()
                })
            }
            None => None,
        };
        Some(Param {
            name: name.to_owned(),
            location,
            required,
            ty,
            docs: text(pm, "description"),
            deprecated,
            style,
            allow_reserved,
            default,
        })
    }

    /// The request body (its preferred media type) and the alternatives the caller may choose
    /// instead (every other media type it offers, one per setter).
    fn request_body(
        &mut self,
        file: FileId,
        bptr: &str,
        known: &Value,
        parts: &[String],
    ) -> Option<(RequestBody, Vec<RequestBody>)> {
        let (t, held) = self.deref_value(file, bptr, Some(known))?;
        let bm = self.object_at(t.file, &t.pointer, held.get(&t.pointer), false)?;
        let cptr = ptr(&t.pointer, "content");
        let content = self.object_at(t.file, &cptr, bm.field("content"), false);
        let Some((mt, kind)) = content.and_then(pick_media) else {
            self.warn(
                t.file,
                &t.pointer,
                "openapi::body_without_content",
                "request body has no media types; ignored",
                "add `content: {application/json: {schema: …}}`",
            );
            return None;
        };
        let others: Vec<String> = content
            .map(|c| c.keys().filter(|k| **k != mt).cloned().collect())
            .unwrap_or_default();
        let hint = component_name(&t.pointer)
            .map(|n| vec![n])
            .unwrap_or_else(|| extend(parts, "request"));
        let required = self.bool_member(t.file, &t.pointer, bm, "required");
        let docs = text(bm, "description");
        let (ty, encoding) = self.body_media(t.file, (&cptr, content), &mt, kind, &hint);
        let mut keys = vec![encoding.choice_key()];
        let mut alternatives = Vec::new();
        let mut dropped = Vec::new();
        // The others in order of preference, each once.
        let mut rest: Map<String, Value> =
            others.iter().map(|k| (k.clone(), Value::Null)).collect();
        while let Some((amt, akind)) = pick_media(&rest) {
            rest.remove(&amt);
            let ahint = extend(&hint, &amt.replace(['/', '+', '.', ';', '='], "_"));
            let (aty, aenc) = self.body_media(t.file, (&cptr, content), &amt, akind, &ahint);
            let key = aenc.choice_key();
            if keys.contains(&key) {
                dropped.push(amt);
                continue;
            }
            keys.push(key);
            alternatives.push(RequestBody {
                ty: aty,
                required,
                encoding: aenc,
                docs: docs.clone(),
            });
        }
        if !dropped.is_empty() {
            self.warn(
                t.file,
                &cptr,
                "openapi::media_type_choice",
                format!(
                    "the request body offers {} media types of the same kind; the client cannot send {}",
                    dropped.len() + 1,
                    dropped
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "one setter per kind of body (JSON, form, XML, text, multipart, binary by subtype): list the one to use first or remove the others",
            );
        }
        Some((
            RequestBody {
                ty,
                required,
                encoding,
                docs,
            },
            alternatives,
        ))
    }

    /// The type and encoding of the request body media type `mt` of `content` (at `cptr`).
    fn body_media(
        &mut self,
        file: FileId,
        (cptr, content): (&str, Option<&Map<String, Value>>),
        mt: &str,
        kind: MediaKind,
        hint: &[String],
    ) -> (TypeRef, BodyEncoding) {
        let mptr = ptr(cptr, mt);
        let m = content.and_then(|c| c.field(mt));
        let (ty, encoding) = match kind {
            MediaKind::Multipart | MediaKind::Form => {
                let ty = self.media_schema(file, &mptr, m, hint);
                let fields = self.encodings(file, &mptr, m, kind);
                if kind == MediaKind::Multipart {
                    self.mark_files(&ty);
                    (ty, BodyEncoding::Multipart(fields))
                } else if !fields.is_empty()
                    && fields.iter().all(|f| f.style == ParamStyle::DeepObject)
                {
                    (ty, BodyEncoding::FormDeepObject)
                } else if fields.iter().any(|f| f.style != ParamStyle::FormExploded) {
                    (ty, BodyEncoding::FormFields(fields))
                } else {
                    (ty, BodyEncoding::Form)
                }
            }
            _ => self.media(file, (&mptr, m), mt, kind, hint),
        };
        // A whole binary body is a file too: the caller may give its content type.
        let ty = match ty {
            TypeRef::Primitive(Primitive::Binary) => TypeRef::Primitive(Primitive::File),
            ty => ty,
        };
        (ty, encoding)
    }

    /// Whether the schema of the media type object at `mptr` (through its `$ref`s) declares a
    /// `type` that is not `array`; `false` without a schema or a `type` (it cannot be told).
    fn schema_rules_out_array(&mut self, file: FileId, mptr: &str) -> bool {
        let schema_at = ptr(mptr, "schema");
        if self.docs.doc(file).value.at_pointer(&schema_at).is_none() {
            return false;
        }
        let Some(t) = self.deref(file, &schema_at) else {
            return false;
        };
        let doc = self.docs.doc(t.file);
        let Some(schema) = doc.value.at_pointer(&t.pointer) else {
            return false;
        };
        match schema.field("type") {
            Some(Value::String(ty)) => ty != "array",
            Some(Value::Array(tys)) => !tys.iter().any(|ty| ty == "array"),
            _ => false,
        }
    }

    /// The type and encoding of the media type object `m` at `mptr` (the value there, which the
    /// caller has read: `None` for none).
    fn media(
        &mut self,
        file: FileId,
        (mptr, m): (&str, Option<&Value>),
        mt: &str,
        kind: MediaKind,
        hint: &[String],
    ) -> (TypeRef, BodyEncoding) {
        let schema_value = m.and_then(|m| m.field("schema"));
        let schema = |cx: &mut Cx| match schema_value {
            Some(s) => cx.schema_read(file, &ptr(mptr, "schema"), Some(s), hint).ty,
            None => TypeRef::Any,
        };
        // A string schema under a wildcard is raw data (GitHub's release assets: `*/*` with
        // `type: string`, "The raw file data"), not a JSON string.
        let binary_schema = schema_value.is_some_and(|s| {
            s.field("type").and_then(Value::as_str) == Some("string")
                && matches!(
                    s.field("format").and_then(Value::as_str),
                    None | Some("binary")
                )
        });
        match kind {
            // A wildcard with a binary schema is an upload of raw bytes (GitHub release assets).
            MediaKind::Json if binary_schema && mt.contains('*') => (
                TypeRef::Primitive(Primitive::Binary),
                BodyEncoding::Binary {
                    media_type: mt.to_owned(),
                },
            ),
            // RFC 6902: a JSON Patch document is an array of operations. Kubernetes offers it
            // beside merge patches with one object schema for all, which no JSON Patch fits.
            MediaKind::Json if is_json_patch(mt) && self.schema_rules_out_array(file, mptr) => {
                let schema_at = ptr(mptr, "schema");
                let target = self.deref(file, &schema_at).unwrap_or(Target {
                    file,
                    pointer: schema_at.clone(),
                });
                if self.json_patch_reported.insert(target) {
                    self.warn(
                        file,
                        &schema_at,
                        "openapi::json_patch_not_array",
                        format!(
                            "`{mt}` bodies are JSON Patch documents (RFC 6902: an array of operations), but this schema is not an array; such bodies are typed as a list of JSON values (`[{{\"op\": \"replace\", \"path\": …, \"value\": …}}]`) here and wherever this schema is given to JSON Patch"
                        ),
                        "give the JSON Patch media type its own schema: `type: array` with the operation object as `items`",
                    );
                }
                (
                    TypeRef::List(Box::new(TypeRef::Any)),
                    BodyEncoding::Json {
                        media_type: mt.to_owned(),
                    },
                )
            }
            MediaKind::Json => {
                let media_type = if mt == "*/*" { "application/json" } else { mt };
                (
                    schema(self),
                    BodyEncoding::Json {
                        media_type: media_type.to_owned(),
                    },
                )
            }
            MediaKind::Form => (schema(self), BodyEncoding::Form),
            MediaKind::Xml => {
                let ty = schema(self);
                match self.xml_root(file, mptr, &ty) {
                    Some(root) => (
                        ty,
                        BodyEncoding::Xml {
                            media_type: mt.to_owned(),
                            root,
                        },
                    ),
                    // Not an object or a list of them: the XML text as it is.
                    None => (
                        TypeRef::Primitive(Primitive::String),
                        BodyEncoding::Text {
                            media_type: mt.to_owned(),
                        },
                    ),
                }
            }
            MediaKind::Text => (
                TypeRef::Primitive(Primitive::String),
                BodyEncoding::Text {
                    media_type: mt.to_owned(),
                },
            ),
            MediaKind::Multipart | MediaKind::Binary => (
                TypeRef::Primitive(Primitive::Binary),
                BodyEncoding::Binary {
                    media_type: mt.to_owned(),
                },
            ),
        }
    }

    /// The first server of an operation's or path's `servers` (variables substituted by their
    /// defaults); others are reported.
    fn operation_server(&mut self, file: FileId, sptr: &str, list: &Value) -> Option<String> {
        let list = self.array_at(file, sptr, Some(list))?;
        let first = list.first()?;
        let url = first.field("url").and_then(Value::as_str);
        let Some(mut url) = url.map(str::to_owned) else {
            self.warn(
                file,
                &ptr(sptr, "0"),
                "openapi::invalid_server",
                "server has no `url` string; the operation uses the client's base URL",
                "give each server a `url`",
            );
            return None;
        };
        if let Some(vars) = first.field("variables").and_then(Value::as_object) {
            for (name, var) in vars {
                if let Some(default) = var.field("default").and_then(Value::as_str) {
                    url = url.replace(&format!("{{{name}}}"), default);
                }
            }
        }
        if url.contains('{') {
            self.warn(
                file,
                &ptr(sptr, "0"),
                "openapi::server_variable",
                format!("server URL `{url}` has a variable without a default; the operation uses the client's base URL"),
                "declare every `{variable}` under `variables` with a `default`",
            );
            return None;
        }
        if list.len() > 1 {
            self.warn(
                file,
                &ptr(sptr, "1"),
                "openapi::operation_servers_alternatives",
                format!(
                    "the operation has {} servers; the first, `{url}`, is used",
                    list.len()
                ),
                "list the server to use first",
            );
        }
        Some(url)
    }

    /// The type of the schema of the media type object `m` at `mptr` (`Any` without one).
    fn media_schema(
        &mut self,
        file: FileId,
        mptr: &str,
        m: Option<&Value>,
        hint: &[String],
    ) -> TypeRef {
        let schema = m.and_then(|m| m.field("schema"));
        if let Some(schema) = schema {
            self.schema_read(file, &ptr(mptr, "schema"), Some(schema), hint)
                .ty
        } else {
            TypeRef::Any
        }
    }

    /// The `encoding` map of a form or multipart media type object (`m`, at `mptr`).
    fn encodings(
        &mut self,
        file: FileId,
        mptr: &str,
        m: Option<&Value>,
        kind: MediaKind,
    ) -> Vec<FieldEncoding> {
        let eptr = ptr(mptr, "encoding");
        let Some(map) = self.object_at(file, &eptr, m.and_then(|m| m.field("encoding")), false)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, e) in map {
            let fptr = ptr(&eptr, name);
            let explode = e.field("explode").and_then(Value::as_bool);
            let style = match e.field("style").and_then(Value::as_str) {
                None => style_of("form", explode, ParamLocation::Query),
                Some(s) => style_of(s, explode, ParamLocation::Query),
            };
            let style = style.unwrap_or_else(|| {
                self.warn(
                    file,
                    &ptr(&fptr, "style"),
                    "openapi::param_style_unsupported",
                    format!("encoding style of `{name}` is not a query style; form style is used"),
                    "use form, spaceDelimited, pipeDelimited or deepObject",
                );
                ParamStyle::FormExploded
            });
            if kind == MediaKind::Multipart
                && e.field("style").is_some()
                && style != ParamStyle::DeepObject
            {
                self.warn(
                    file,
                    &ptr(&fptr, "style"),
                    "openapi::encoding_ignored",
                    format!("`style` of `{name}` is not used in a multipart body (only `deepObject` is: bracketed part names)"),
                    "remove `style`, or use `contentType`",
                );
            }
            if e.field("headers").is_some() {
                self.warn(
                    file,
                    &ptr(&fptr, "headers"),
                    "openapi::encoding_ignored",
                    format!("part headers of `{name}` are not sent"),
                    "the part's Content-Disposition and Content-Type are sent",
                );
            }
            let content_type = e
                .field("contentType")
                .and_then(Value::as_str)
                // A list of types: the first one is sent.
                .map(|c| c.split(',').next().unwrap_or("").trim().to_owned())
                .filter(|c| !c.is_empty());
            out.push(FieldEncoding {
                name: name.clone(),
                style,
                content_type,
            });
        }
        out
    }

    /// Binary properties of a multipart body's struct become file parts.
    fn mark_files(&mut self, ty: &TypeRef) {
        let TypeRef::Named(id) = ty else { return };
        let Some(def) = self.api.types.get_mut(id.0 as usize) else {
            return;
        };
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                to_file(&mut f.ty);
            }
        }
    }

    fn responses(
        &mut self,
        file: FileId,
        optr: &str,
        op: &Map<String, Value>,
        parts: &[String],
    ) -> (Vec<Response>, Vec<ResponseHeader>, Negotiated) {
        let rptr = ptr(optr, "responses");
        let Some(responses) = self.object_at(file, &rptr, op.field("responses"), false) else {
            return (Vec::new(), Vec::new(), Negotiated::default());
        };
        let mut out = Vec::new();
        let mut headers: Vec<ResponseHeader> = Vec::new();
        let mut negotiated: Option<Vec<BodyEncoding>> = None;
        let mut error_alternatives = Vec::new();
        let mut seen_success = false;
        for (code, response) in responses {
            if code.starts_with("x-") {
                continue;
            }
            let cptr = ptr(&rptr, code);
            let Some(status) = parse_status(code) else {
                self.warn(
                    file,
                    &cptr,
                    "openapi::invalid_status",
                    format!(
                        "`{code}` is not a status code, a range like `4XX`, or `default`; ignored"
                    ),
                    "use e.g. `200`, `4XX` or `default`",
                );
                continue;
            };
            let Some((t, held)) = self.deref_value(file, &cptr, Some(response)) else {
                continue;
            };
            let Some(rm) = self.object_at(t.file, &t.pointer, held.get(&t.pointer), false) else {
                continue;
            };
            let success = matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
            let hint = if let Some(n) = component_name(&t.pointer) {
                // A shared `components/responses` entry is named after itself.
                vec![n]
            } else if success && !seen_success {
                extend(parts, "response")
            } else {
                extend(&extend(parts, "response"), &code.to_ascii_lowercase())
            };
            seen_success |= success;
            if success {
                self.response_headers(
                    t.file,
                    (&ptr(&t.pointer, "headers"), rm.field("headers")),
                    parts,
                    &mut headers,
                );
            }
            let content_ptr = ptr(&t.pointer, "content");
            let content = self.object_at(t.file, &content_ptr, rm.field("content"), false);
            let (ty, encoding) = match content.and_then(pick_response_media) {
                Some((mt, kind)) => {
                    let m = content.and_then(|c| c.field(&mt));
                    let (ty, enc) =
                        self.media(t.file, (&ptr(&content_ptr, &mt), m), &mt, kind, &hint);
                    // The first success response with a body decides the success type: the
                    // other media types it offers with the same schema are negotiated. So are
                    // those of every error response (an error offered as JSON and XML decodes
                    // whichever the server sent).
                    let mut decoded = vec![mt.clone()];
                    if !success || negotiated.is_none() {
                        let others = content
                            .map(|c| self.negotiable(t.file, &content_ptr, c, &mt, &ty, &enc))
                            .unwrap_or_default();
                        decoded.extend(others.iter().filter_map(media_type));
                        if success {
                            negotiated = Some(others);
                        } else if !others.is_empty() {
                            error_alternatives.push((status, others));
                        }
                    }
                    if let Some(c) = content {
                        self.undecoded_media_types(t.file, &content_ptr, code, c, &decoded);
                    }
                    (Some(ty), enc)
                }
                None => (
                    None,
                    BodyEncoding::Json {
                        media_type: "application/json".into(),
                    },
                ),
            };
            out.push(Response {
                status,
                ty,
                encoding,
                docs: text(rm, "description"),
            });
        }
        let negotiated = Negotiated {
            success: negotiated.unwrap_or_default(),
            errors: error_alternatives,
        };
        (out, headers, negotiated)
    }

    /// Warns about the media types of a response's `content` (at `content_ptr`, status `code`)
    /// that the client does not decode: not in `decoded` (the one that types the response and
    /// those negotiated with it), not `text/event-stream` (the streaming form of a response,
    /// read by `events()`), not a wildcard.
    fn undecoded_media_types(
        &mut self,
        file: FileId,
        content_ptr: &str,
        code: &str,
        content: &Map<String, Value>,
        decoded: &[String],
    ) {
        let dropped: Vec<String> = content
            .keys()
            .filter(|k| !decoded.iter().any(|d| media_essence(d) == media_essence(k)))
            .filter(|k| !matches!(media_essence(k).as_str(), "text/event-stream" | "*/*"))
            .map(|k| format!("`{k}`"))
            .collect();
        let content_at = Target {
            file,
            pointer: content_ptr.to_owned(),
        };
        if dropped.is_empty() || !self.media_reported.insert(content_at) {
            return;
        }
        let at = ptr(
            content_ptr,
            content
                .keys()
                .find(|k| dropped.contains(&format!("`{k}`")))
                .map_or("", String::as_str),
        );
        self.warn(
            file,
            &at,
            "openapi::response_media_type_choice",
            format!(
                "the `{code}` response is decoded as {}; {} {} not decoded (a response in it keeps its status and body, with a decode error)",
                decoded
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                dropped.join(", "),
                if dropped.len() == 1 { "is" } else { "are" },
            ),
            "list the media type to decode first; the same schema under JSON, XML (or text, for a string) is negotiated by the response's Content-Type",
        );
    }

    /// The media types of a response's `content` besides `picked` that decode to the same
    /// type (the same schema, JSON or XML, or text for a string), in order of preference.
    fn negotiable(
        &mut self,
        file: FileId,
        content_ptr: &str,
        content: &Map<String, Value>,
        picked: &str,
        ty: &TypeRef,
        enc: &BodyEncoding,
    ) -> Vec<BodyEncoding> {
        if !matches!(
            enc,
            BodyEncoding::Json { .. } | BodyEncoding::Xml { .. } | BodyEncoding::Text { .. }
        ) {
            return Vec::new();
        }
        let schema_of = |k: &str| content.field(k).and_then(|m| m.field("schema"));
        let mut rest: Map<String, Value> = content
            .iter()
            .filter(|(k, _)| *k != picked && schema_of(k) == schema_of(picked))
            .map(|(k, _)| (k.clone(), Value::Null))
            .collect();
        let mut out = Vec::new();
        while let Some((mt, kind)) = pick_media(&rest) {
            rest.remove(&mt);
            let e = match kind {
                MediaKind::Json if !mt.contains('*') => BodyEncoding::Json {
                    media_type: mt.clone(),
                },
                MediaKind::Xml => match self.xml_root(file, &ptr(content_ptr, &mt), ty) {
                    Some(root) => BodyEncoding::Xml {
                        media_type: mt.clone(),
                        root,
                    },
                    None => continue,
                },
                MediaKind::Text if *ty == TypeRef::Primitive(Primitive::String) => {
                    BodyEncoding::Text {
                        media_type: mt.clone(),
                    }
                }
                _ => continue,
            };
            if !out.contains(&e) && e != *enc {
                out.push(e);
            }
        }
        out
    }

    /// The headers of the response headers map at `hptr` not in `out` yet (by name, any case).
    fn response_headers(
        &mut self,
        file: FileId,
        (hptr, known): (&str, Option<&Value>),
        parts: &[String],
        out: &mut Vec<ResponseHeader>,
    ) {
        let Some(map) = self.object_at(file, hptr, known, false) else {
            return;
        };
        for (name, header) in map {
            // The specification says a `Content-Type` response header is ignored.
            if name.eq_ignore_ascii_case("content-type")
                || out.iter().any(|h| h.name.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let Some((t, held)) = self.deref_value(file, &ptr(hptr, name), Some(header)) else {
                continue;
            };
            let Some(hm) = self.object_at(t.file, &t.pointer, held.get(&t.pointer), false) else {
                continue;
            };
            let hint = component_name(&t.pointer)
                .map(|n| vec![n])
                .unwrap_or_else(|| extend(&extend(parts, "header"), name));
            let ty = if hm.has_field("schema") {
                self.schema(t.file, &ptr(&t.pointer, "schema"), &hint).ty
            } else if let Some(content) = hm.field("content").and_then(Value::as_object) {
                match content.keys().next() {
                    Some(mt) => {
                        let mptr = ptr(&ptr(&t.pointer, "content"), mt);
                        self.media_schema(t.file, &mptr, content.field(mt), &hint)
                    }
                    None => TypeRef::Primitive(Primitive::String),
                }
            } else {
                TypeRef::Primitive(Primitive::String)
            };
            out.push(ResponseHeader {
                name: name.clone(),
                ty,
                docs: text(hm, "description"),
            });
        }
    }
}

/// The media type a negotiated encoding decodes.
fn media_type(enc: &BodyEncoding) -> Option<String> {
    match enc {
        BodyEncoding::Json { media_type }
        | BodyEncoding::Xml { media_type, .. }
        | BodyEncoding::Text { media_type }
        | BodyEncoding::Binary { media_type } => Some(media_type.clone()),
        _ => None,
    }
}

/// The media types of an operation's responses that are negotiated (besides the one each
/// response is typed by): of the success response that decides the success type, and of each
/// error response by status.
#[derive(Default)]
struct Negotiated {
    success: Vec<BodyEncoding>,
    errors: Vec<(StatusMatch, Vec<BodyEncoding>)>,
}

/// `Binary` (also in a list, or nullable) becomes `File`.
fn to_file(ty: &mut TypeRef) {
    match ty {
        TypeRef::Primitive(p @ Primitive::Binary) => *p = Primitive::File,
        TypeRef::List(inner) | TypeRef::Nullable(inner) => to_file(inner),
        _ => {}
    }
}

/// The IR style of an OpenAPI `style` with `explode` for a parameter in `location`; `None`
/// when the style is not valid there.
fn style_of(style: &str, explode: Option<bool>, location: ParamLocation) -> Option<ParamStyle> {
    use ParamLocation as L;
    let exploded = |yes, no| {
        if explode.unwrap_or(style == "form") {
            yes
        } else {
            no
        }
    };
    Some(match (style, location) {
        ("form", L::Query | L::Cookie) => exploded(ParamStyle::FormExploded, ParamStyle::Comma),
        ("simple", L::Path | L::Header) => exploded(ParamStyle::SimpleExploded, ParamStyle::Comma),
        ("spaceDelimited", L::Query) => ParamStyle::SpaceDelimited,
        ("pipeDelimited", L::Query) => ParamStyle::PipeDelimited,
        ("deepObject", L::Query) => ParamStyle::DeepObject,
        ("label", L::Path) => exploded(ParamStyle::LabelExploded, ParamStyle::Label),
        ("matrix", L::Path) => exploded(ParamStyle::MatrixExploded, ParamStyle::Matrix),
        _ => return None,
    })
}

fn location_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// For a response: `text/*` when it is offered and the schema is a plain string (Kubernetes'
/// pod logs offer `text/plain` beside `application/json`: the body is text, not a JSON
/// string); otherwise as for requests.
///
/// `text/event-stream` beside another media type is the streaming variant of the response
/// (OpenAI's speech offers it beside `application/octet-stream`): `send()` decodes the other.
fn pick_response_media(content: &Map<String, Value>) -> Option<(String, MediaKind)> {
    let is_stream = |k: &str| {
        k.trim()
            .to_ascii_lowercase()
            .starts_with("text/event-stream")
    };
    let filtered: Map<String, Value>;
    let content = if content.len() > 1 && content.keys().any(|k| is_stream(k)) {
        filtered = content
            .iter()
            .filter(|(k, _)| !is_stream(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        &filtered
    } else {
        content
    };
    let picked = pick_media(content)?;
    if picked.1 == MediaKind::Json {
        let plain_string = content
            .field(&picked.0)
            .and_then(|m| m.field("schema"))
            .is_some_and(|s| {
                s.field("type").and_then(Value::as_str) == Some("string")
                    && s.field("format").is_none()
            });
        let text = content
            .keys()
            .find(|k| k.trim().to_ascii_lowercase().starts_with("text/"));
        if let (true, Some(k)) = (plain_string, text) {
            return Some((k.clone(), MediaKind::Text));
        }
    }
    Some(picked)
}

/// `application/json-patch+json` (RFC 6902), parameters and case aside.
fn is_json_patch(mt: &str) -> bool {
    media_essence(mt) == "application/json-patch+json"
}

/// Picks the media type to use: JSON first, then form, text, multipart, `*/*` (as JSON), other.
fn pick_media(content: &Map<String, Value>) -> Option<(String, MediaKind)> {
    let find =
        |pred: &dyn Fn(&str) -> bool| content.keys().find(|k| pred(&media_essence(k))).cloned();
    // `application/json`, then other JSON types; JSON Patch (whose body is an array of
    // operations) last, since a document offering it beside merge patches (Kubernetes) gives
    // one object schema for all of them.
    if let Some(k) = find(&|e| e == "application/json")
        .or_else(|| find(&|e| e.ends_with("+json") && e != "application/json-patch+json"))
        .or_else(|| find(&|e| e.ends_with("+json")))
    {
        return Some((k, MediaKind::Json));
    }
    if let Some(k) = find(&|e| e == "application/x-www-form-urlencoded") {
        return Some((k, MediaKind::Form));
    }
    if let Some(k) = find(&is_xml) {
        return Some((k, MediaKind::Xml));
    }
    if let Some(k) = find(&|e| e.starts_with("text/")) {
        return Some((k, MediaKind::Text));
    }
    if let Some(k) = find(&|e| e.starts_with("multipart/")) {
        return Some((k, MediaKind::Multipart));
    }
    if let Some(k) = find(&|e| e == "*/*" || e == "application/*") {
        return Some((k, MediaKind::Json));
    }
    content
        .keys()
        .next()
        .map(|k| (k.clone(), MediaKind::Binary))
}

/// `application/xml`, `text/xml` and `+xml` types (an essence: lower case, no parameters).
pub(super) fn is_xml(essence: &str) -> bool {
    essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
}

fn parse_status(code: &str) -> Option<StatusMatch> {
    if code.eq_ignore_ascii_case("default") {
        return Some(StatusMatch::Default);
    }
    let b = code.as_bytes();
    if b.len() == 3 && b[1..].eq_ignore_ascii_case(b"xx") && (b'1'..=b'5').contains(&b[0]) {
        return Some(StatusMatch::Range(b[0] - b'0'));
    }
    match code.parse::<u16>() {
        Ok(c) if (100..=599).contains(&c) => Some(StatusMatch::Code(c)),
        _ => None,
    }
}

/// `["get", "pets", "pet_id", "toys"]` for `GET /pets/{petId}/toys`.
///
/// The segments are snake-cased here, not for Rust (`rust::naming` cases every name it emits):
/// the joined parts (`get_pets_pet_id_toys`) are the operation's name in the IR, which users
/// type in `--only` and `--rename op:…` and diagnostics show, so it is one readable word.
pub(crate) fn derive_name(method: &str, path: &str) -> Vec<String> {
    let mut parts = vec![method.to_owned()];
    for seg in path.split('/') {
        let s = seg.replace(['{', '}'], "").to_snake_case();
        if !s.is_empty() {
            parts.push(s);
        }
    }
    if parts.len() == 1 {
        parts.push("root".into());
    }
    parts
}

/// `Name` for a pointer `/components/<section>/<Name>` (a shared, reusable object).
pub(super) fn component_name(pointer: &str) -> Option<String> {
    // The tokens after the first `/`: exactly `components`, a section and a name.
    let rest = &pointer[memchr::memchr(b'/', pointer.as_bytes())? + 1..];
    let (_section, name) = rest.strip_prefix("components/")?.split_once('/')?;
    if memchr::memchr(b'/', name.as_bytes()).is_some() {
        return None;
    }
    Some(crate::load::unescape_token(name))
}

/// Names of `{placeholders}` in a path template.
fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}
