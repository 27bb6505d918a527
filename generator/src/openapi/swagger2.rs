//! Swagger 2.0 → OpenAPI 3.0 normalisation, as a transformation of the JSON value.
//!
//! The converted document is lowered like any 3.0 document. Diagnostics point into the converted
//! structure; [`Converted::remap`] lists `(3.0 pointer prefix, 2.0 pointer prefix)` pairs so they
//! can be mapped back to the source text (`/components/schemas/Pet` → `/definitions/Pet`, a body
//! parameter's schema → `/paths/…/parameters/2/schema`, …).
//!
//! Covered: `host`/`basePath`/`schemes` → `servers`; `definitions`, `parameters`, `responses`,
//! `securityDefinitions` → `components`; body and formData parameters → `requestBody` (form
//! parameters become an object schema, `multipart/form-data` when a file is uploaded);
//! `consumes`/`produces` → media types; `collectionFormat` → `style`/`explode`; `type: file` →
//! binary string; `x-nullable` → `nullable`; string discriminators → `propertyName`; local
//! `$ref`s rewritten. The parts of other files a 2.0 document references are converted in place
//! as what they are used for ([`convert_external`]); a body or form parameter in another file
//! becomes part of the request body.

use crate::load::AtPointer;
use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::load::child;
use crate::load::refs::{DocSet, FileId, Target};

/// A converted document.
pub(crate) struct Converted {
    /// The OpenAPI 3.0 document.
    pub(crate) value: Value,
    /// `(new prefix, old prefix)` pointer pairs, most specific first when looked up.
    pub(crate) remap: Vec<(String, String)>,
}

impl Converted {
    /// Maps a pointer into the converted document back to the 2.0 source.
    pub(crate) fn source_pointer(&self, pointer: &str) -> String {
        let best = self
            .remap
            .iter()
            .filter(|(new, _)| {
                pointer == new
                    || (pointer.starts_with(new.as_str())
                        && pointer.as_bytes().get(new.len()) == Some(&b'/'))
            })
            .max_by_key(|(new, _)| new.len());
        match best {
            Some((new, old)) => format!("{old}{}", &pointer[new.len()..]),
            None => pointer.to_owned(),
        }
    }
}

/// Converts a Swagger 2.0 document (the root mapping) to OpenAPI 3.0. `external` gives the value
/// an external reference (`parameters.yaml#/limit`) names, so that a body or form parameter
/// defined in another file becomes part of the request body.
pub(crate) fn convert(
    root: &Map<String, Value>,
    external: &mut dyn FnMut(&str) -> Option<Value>,
) -> Converted {
    let mut c = Cv {
        root,
        external,
        remap: vec![
            ("/components/schemas".into(), "/definitions".into()),
            ("/components/parameters".into(), "/parameters".into()),
            ("/components/requestBodies".into(), "/parameters".into()),
            ("/components/responses".into(), "/responses".into()),
            (
                "/components/securitySchemes".into(),
                "/securityDefinitions".into(),
            ),
            ("/openapi".into(), "/swagger".into()),
        ],
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    if let Some(info) = root.get("info") {
        out.insert("info".into(), info.clone());
    }
    if let Some(url) = server_url(root) {
        out.insert("servers".into(), json!([{ "url": url }]));
    }
    for key in ["security", "tags", "externalDocs"] {
        if let Some(v) = root.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut components = Map::new();
    if let Some(defs) = root.get("definitions").and_then(Value::as_object) {
        let schemas: Map<String, Value> =
            defs.iter().map(|(k, v)| (k.clone(), schema(v))).collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(params) = root.get("parameters").and_then(Value::as_object) {
        let consumes = media_list(root.get("consumes"));
        let mut ps = Map::new();
        let mut bodies = Map::new();
        for (name, p) in params {
            match p.get("in").and_then(Value::as_str) {
                Some("body") => {
                    bodies.insert(name.clone(), body(p, &body_media_types(&consumes)));
                }
                _ => {
                    ps.insert(name.clone(), param(p));
                }
            }
        }
        components.insert("parameters".into(), Value::Object(ps));
        components.insert("requestBodies".into(), Value::Object(bodies));
    }
    if let Some(responses) = root.get("responses").and_then(Value::as_object) {
        let produces = media_list(root.get("produces"));
        let rs: Map<String, Value> = responses
            .iter()
            .map(|(k, r)| {
                let base = child("/components/responses", k);
                (
                    k.clone(),
                    c.response(r, &produces, &base, &child("/responses", k)),
                )
            })
            .collect();
        components.insert("responses".into(), Value::Object(rs));
    }
    if let Some(defs) = root.get("securityDefinitions").and_then(Value::as_object) {
        let ss: Map<String, Value> = defs
            .iter()
            .map(|(k, s)| (k.clone(), security_scheme(s)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(ss));
    }
    out.insert("components".into(), Value::Object(components));
    if let Some(paths) = root.get("paths") {
        out.insert("paths".into(), c.paths(paths));
    }
    Converted {
        value: Value::Object(out),
        remap: c.remap,
    }
}

struct Cv<'a> {
    root: &'a Map<String, Value>,
    external: &'a mut dyn FnMut(&str) -> Option<Value>,
    remap: Vec<(String, String)>,
}

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

impl Cv<'_> {
    fn paths(&mut self, paths: &Value) -> Value {
        let Some(paths) = paths.as_object() else {
            return paths.clone();
        };
        let global_consumes = media_list(self.root.get("consumes"));
        let global_produces = media_list(self.root.get("produces"));
        let mut out = Map::new();
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                out.insert(path.clone(), item.clone());
                continue;
            };
            let item_ptr = child("/paths", path);
            let mut new_item = Map::new();
            // Path-level body/formData parameters apply to each operation.
            let shared = located_params(item, &item_ptr);
            let (plain, _) = self.split_params(&shared);
            if let Some(list) = self.renumber_params(plain, &item_ptr) {
                new_item.insert("parameters".into(), list);
            }
            for (key, v) in item {
                if key == "parameters" {
                    continue;
                }
                if !METHODS.contains(&key.as_str()) {
                    new_item.insert(key.clone(), v.clone());
                    continue;
                }
                let Some(op) = v.as_object() else {
                    new_item.insert(key.clone(), v.clone());
                    continue;
                };
                let op_ptr = child(&item_ptr, key);
                let consumes = op
                    .get("consumes")
                    .map(|c| media_list(Some(c)))
                    .unwrap_or_else(|| global_consumes.clone());
                let produces = op
                    .get("produces")
                    .map(|c| media_list(Some(c)))
                    .unwrap_or_else(|| global_produces.clone());
                let mut new_op = Map::new();
                for (k, x) in op {
                    if !matches!(
                        k.as_str(),
                        "parameters" | "responses" | "consumes" | "produces" | "schemes"
                    ) {
                        new_op.insert(k.clone(), x.clone());
                    }
                }
                let own = located_params(op, &op_ptr);
                let (plain, special) = self.split_params(&own);
                let (_, shared_special) = self.split_params(&shared);
                if let Some(list) = self.renumber_params(plain, &op_ptr) {
                    new_op.insert("parameters".into(), list);
                }
                let special: Vec<(String, Value)> =
                    shared_special.into_iter().chain(special).collect();
                if let Some(rb) = self.request_body(&special, &consumes, &op_ptr) {
                    new_op.insert("requestBody".into(), rb);
                }
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    let mut rs = Map::new();
                    for (code, r) in responses {
                        let new = child(&child(&op_ptr, "responses"), code);
                        rs.insert(code.clone(), self.response(r, &produces, &new, &new));
                    }
                    new_op.insert("responses".into(), Value::Object(rs));
                }
                new_item.insert(key.clone(), Value::Object(new_op));
            }
            out.insert(path.clone(), Value::Object(new_item));
        }
        Value::Object(out)
    }

    /// The converted plain parameters as the new `parameters` list of the object at `owner_ptr`,
    /// recording where each one came from so diagnostics point into the 2.0 document. `None`
    /// when there are none.
    fn renumber_params(&mut self, plain: Vec<(String, Value)>, owner_ptr: &str) -> Option<Value> {
        if plain.is_empty() {
            return None;
        }
        let mut list = Vec::new();
        for (i, (old, p)) in plain.into_iter().enumerate() {
            let new = child(&child(owner_ptr, "parameters"), &i.to_string());
            self.remap.push((child(&new, "schema"), old.clone()));
            self.remap.push((new, old));
            list.push(p);
        }
        Some(Value::Array(list))
    }

    /// Splits parameters into plain ones (converted) and body/formData ones (resolved, raw).
    #[allow(clippy::type_complexity)]
    fn split_params(
        &mut self,
        params: &[(String, Value)],
    ) -> (Vec<(String, Value)>, Vec<(String, Value)>) {
        let mut plain = Vec::new();
        let mut special = Vec::new();
        for (ptr, p) in params {
            let resolved = match p.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with('#') => r
                    .strip_prefix("#/parameters/")
                    .and_then(|name| {
                        self.root
                            .get("parameters")?
                            .get(crate::load::unescape_token(name))
                    })
                    .cloned(),
                // Another file's parameter (converted in its file by `convert_external`).
                Some(r) => (self.external)(r),
                None => Some(p.clone()),
            };
            match resolved
                .as_ref()
                .and_then(|r| r.get("in"))
                .and_then(Value::as_str)
            {
                Some("body") | Some("formData") => {
                    special.push((ptr.clone(), resolved.unwrap_or_default()));
                }
                _ if p.get("$ref").is_some() => plain.push((ptr.clone(), schema(p))),
                _ => plain.push((ptr.clone(), param(p))),
            }
        }
        (plain, special)
    }

    fn request_body(
        &mut self,
        special: &[(String, Value)],
        consumes: &[String],
        op_ptr: &str,
    ) -> Option<Value> {
        let rb_ptr = child(op_ptr, "requestBody");
        if let Some((old, b)) = special
            .iter()
            .find(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
        {
            // Every JSON media type the operation consumes is kept (Kubernetes' patches:
            // json-patch, merge-patch, strategic-merge-patch): the front end picks one with a
            // located warning instead of this conversion choosing silently.
            let types = body_media_types(consumes);
            for mt in &types {
                self.remap.push((
                    child(&child(&child(&rb_ptr, "content"), mt), "schema"),
                    child(old, "schema"),
                ));
            }
            self.remap.push((child(&rb_ptr, "content"), old.clone()));
            self.remap.push((rb_ptr, old.clone()));
            return Some(body(b, &types));
        }
        let form: Vec<&(String, Value)> = special
            .iter()
            .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("formData"))
            .collect();
        let first = form.first()?;
        let multipart = consumes.iter().any(|m| m.starts_with("multipart/"))
            || form
                .iter()
                .any(|(_, p)| p.get("type").and_then(Value::as_str) == Some("file"));
        let mt = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut props = Map::new();
        let mut required = Vec::new();
        for (old, p) in &form {
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut s = param_schema(p);
            if let Some(d) = p.get("description") {
                if let Some(o) = s.as_object_mut() {
                    o.insert("description".into(), d.clone());
                }
            }
            props.insert(name.to_owned(), s);
            if p.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            let new = child(
                &child(
                    &child(&child(&child(&rb_ptr, "content"), mt), "schema"),
                    "properties",
                ),
                name,
            );
            self.remap.push((new, old.clone()));
        }
        self.remap.push((rb_ptr, first.0.clone()));
        let mut schema = json!({ "type": "object", "properties": props });
        // A required formData field makes the body required: the builder then takes the typed
        // form struct, whose required fields must be given.
        let body_required = !required.is_empty();
        if body_required {
            schema["required"] = Value::Array(required);
        }
        Some(json!({ "content": { mt: { "schema": schema } }, "required": body_required }))
    }

    fn response(&mut self, r: &Value, produces: &[String], new: &str, old: &str) -> Value {
        let Some(o) = r.as_object() else {
            return r.clone();
        };
        if let Some(rf) = o.get("$ref") {
            return json!({ "$ref": rewrite_ref(rf) });
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            o.get("description").cloned().unwrap_or_else(|| json!("")),
        );
        if let Some(s) = o.get("schema") {
            let s = schema(s);
            let mut content = Map::new();
            for mt in response_media_types(produces) {
                self.remap.push((
                    child(&child(&child(new, "content"), &mt), "schema"),
                    child(old, "schema"),
                ));
                content.insert(mt, json!({ "schema": s.clone() }));
            }
            self.remap
                .push((child(new, "content"), child(old, "schema")));
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }
}

fn server_url(root: &Map<String, Value>) -> Option<String> {
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    match root.get("host").and_then(Value::as_str) {
        Some(host) => {
            let scheme = root
                .get("schemes")
                .and_then(Value::as_array)
                .and_then(|s| {
                    s.iter()
                        .filter_map(Value::as_str)
                        .find(|s| *s == "https")
                        .or_else(|| s.first().and_then(Value::as_str))
                })
                .unwrap_or("https");
            Some(format!("{scheme}://{host}{base}"))
        }
        None if !base.is_empty() => Some(base.to_owned()),
        None => None,
    }
}

/// The media type a 2.0 body or response is given in 3.0: the first JSON one of `consumes` /
/// `produces`, else the first, else `application/json`.
fn preferred_media_type(list: &[String]) -> String {
    list.iter()
        .find(|m| m.contains("json"))
        .or(list.first())
        .cloned()
        .unwrap_or_else(|| "application/json".into())
}

/// The media types a 2.0 body parameter is given in 3.0: every JSON and XML type of `consumes`
/// (Kubernetes' patches: json-patch, merge-patch, strategic-merge-patch; a body offered as JSON
/// and XML), so the front end offers each with a setter or says which it cannot send; else the
/// preferred one.
fn body_media_types(consumes: &[String]) -> Vec<String> {
    let mut types: Vec<String> = consumes
        .iter()
        .filter(|m| m.contains("json") || is_xml_type(m))
        .cloned()
        .collect();
    if types.is_empty() {
        types.push(preferred_media_type(consumes));
    }
    types
}

/// The media types a 2.0 response's schema is given in 3.0: the preferred one, then every XML
/// and text type of `produces` (the same schema in each: the front end negotiates the ones it
/// can decode, and reads a string schema offered as `text/plain` as text, Kubernetes' pod logs).
fn response_media_types(produces: &[String]) -> Vec<String> {
    let mut types = vec![preferred_media_type(produces)];
    for m in produces {
        let text = m.trim().to_ascii_lowercase().starts_with("text/");
        if (text || is_xml_type(m)) && !types.contains(m) {
            types.push(m.clone());
        }
    }
    types
}

/// `application/xml`, `text/xml` and `+xml` types.
fn is_xml_type(m: &str) -> bool {
    super::operation::is_xml(&crate::ir::media_essence(m))
}

/// The `parameters` of a path item or operation, each with its pointer in the 2.0 document.
fn located_params(owner: &Map<String, Value>, owner_ptr: &str) -> Vec<(String, Value)> {
    let Some(params) = owner.get("parameters").and_then(Value::as_array) else {
        return Vec::new();
    };
    let base = child(owner_ptr, "parameters");
    params
        .iter()
        .enumerate()
        .map(|(i, p)| (child(&base, &i.to_string()), p.clone()))
        .collect()
}

fn media_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A body parameter → a request body object.
fn body(p: &Value, types: &[String]) -> Value {
    let mut out = Map::new();
    if let Some(d) = p.get("description") {
        out.insert("description".into(), d.clone());
    }
    if let Some(r) = p.get("required") {
        out.insert("required".into(), r.clone());
    }
    let s = p.get("schema").map(schema).unwrap_or_else(|| json!({}));
    let content: Map<String, Value> = types
        .iter()
        .map(|mt| (mt.clone(), json!({ "schema": s.clone() })))
        .collect();
    out.insert("content".into(), Value::Object(content));
    Value::Object(out)
}

/// A non-body parameter: type keywords move under `schema`; `collectionFormat` → style.
fn param(p: &Value) -> Value {
    let Some(o) = p.as_object() else {
        return p.clone();
    };
    let mut out = Map::new();
    for key in ["name", "in", "description", "required", "deprecated"] {
        if let Some(v) = o.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    out.insert("schema".into(), param_schema(p));
    if o.get("type").and_then(Value::as_str) == Some("array") {
        let location = o.get("in").and_then(Value::as_str).unwrap_or("query");
        let (style, explode) = match o.get("collectionFormat").and_then(Value::as_str) {
            Some("multi") => ("form", true),
            Some("ssv") => ("spaceDelimited", false),
            Some("pipes") => ("pipeDelimited", false),
            Some("tsv") => ("tabDelimited", false),
            _ if matches!(location, "query" | "cookie") => ("form", false),
            _ => ("simple", false),
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}

/// The schema part of a 2.0 non-body parameter (or an `items` object).
fn param_schema(p: &Value) -> Value {
    let Some(o) = p.as_object() else {
        return json!({});
    };
    let mut s = Map::new();
    for (k, v) in o {
        match k.as_str() {
            "name" | "in" | "description" | "required" | "collectionFormat" | "allowEmptyValue" => {
            }
            "items" => {
                s.insert(k.clone(), param_schema(v));
            }
            _ => {
                s.insert(k.clone(), v.clone());
            }
        }
    }
    schema(&Value::Object(s))
}

fn security_scheme(s: &Value) -> Value {
    match s.get("type").and_then(Value::as_str) {
        Some("basic") => {
            let mut out = json!({ "type": "http", "scheme": "basic" });
            if let Some(d) = s.get("description") {
                out["description"] = d.clone();
            }
            out
        }
        Some("oauth2") => {
            let mut out = json!({ "type": "oauth2", "flows": {} });
            if let Some(d) = s.get("description") {
                out["description"] = d.clone();
            }
            // 2.0 has one flow per scheme: `flow` names it, its fields sit beside it.
            let flow = match s.get("flow").and_then(Value::as_str) {
                Some("application") => Some("clientCredentials"),
                Some("accessCode") => Some("authorizationCode"),
                Some("password") => Some("password"),
                Some("implicit") => Some("implicit"),
                _ => None,
            };
            if let Some(flow) = flow {
                let mut f = Map::new();
                for k in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(v) = s.get(k) {
                        f.insert(k.to_owned(), v.clone());
                    }
                }
                out["flows"][flow] = Value::Object(f);
            }
            out
        }
        _ => s.clone(),
    }
}

/// What a referenced part of another file is used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Use {
    Schema,
    Parameter,
    Response,
}

/// Converts, in place, the parts of other files that a converted Swagger 2.0 root references
/// (`$ref: definitions.yaml#/Pet`, `parameters.yaml#/limit`), each as what it is used for (a
/// schema, a non-body parameter, a response), then what those parts reference in turn. `source`
/// is the 2.0 root, for its `produces`. The files keep their shape except where 3.0 moves things
/// (a parameter's type under `schema`, a response's schema under `content`), so diagnostics in
/// them point at the right place or its nearest enclosing one.
pub(crate) fn convert_external(docs: &mut DocSet, source: &Map<String, Value>) {
    let produces = media_list(source.get("produces"));
    let mut todo: Vec<(FileId, String, Use)> = Vec::new();
    external_refs(&docs.doc(0).value, &mut todo);
    let mut done: HashSet<(Target, Use)> = HashSet::new();
    // Every part is converted once per use: the loop ends after at most (parts × 3) rounds.
    while let Some((from, r, used)) = todo.pop() {
        let Ok(t) = docs.resolve(from, &r) else {
            continue; // reported where it is used, by the lowering
        };
        if t.file == 0 || !done.insert((t.clone(), used)) {
            continue;
        }
        docs.edit(t.file, |v| {
            if let Some(slot) = v.pointer_mut(&t.pointer) {
                let converted = match used {
                    Use::Schema => schema_in(slot, false),
                    // Already 3.0-shaped (`schema`/`content` present): left alone.
                    Use::Parameter if slot.get("schema").is_none() => param(slot),
                    Use::Response
                        if slot.get("content").is_none() && slot.get("$ref").is_none() =>
                    {
                        response_in(slot, &produces)
                    }
                    _ => slot.clone(),
                };
                *slot = converted;
            }
        });
        let doc = docs.doc(t.file);
        let Some(v) = doc.value.at_pointer(&t.pointer) else {
            continue;
        };
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            // A reference to a reference: the same use.
            todo.push((t.file, r.to_owned(), used));
        }
        let mut refs = Vec::new();
        schema_refs(v, &mut refs);
        todo.extend(refs.into_iter().map(|r| (t.file, r, Use::Schema)));
    }
}

/// The external `$ref`s of the converted root and what each is used as: the entries of a
/// `parameters` list or map are parameters, those of `responses` responses, all others schemas.
fn external_refs(root: &Value, out: &mut Vec<(FileId, String, Use)>) {
    // (value, its key (a list's key for its items), its parent's key, its grandparent's key,
    // whether it is an item of a list)
    let mut stack: Vec<(&Value, &str, &str, &str, bool)> = vec![(root, "", "", "", false)];
    while let Some((v, key, parent, grand, item)) = stack.pop() {
        match v {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                    if !r.starts_with('#') {
                        // `parameters: [{$ref}]` of a path item or operation, `parameters:
                        // {name: {$ref}}` and `responses: {code: {$ref}}` (not a property
                        // schema called so).
                        let used = match (item, key, parent, grand) {
                            (true, "parameters", p, _) if p != "properties" => Use::Parameter,
                            (false, _, "parameters", g) if g != "properties" => Use::Parameter,
                            (false, _, "responses", g) if g != "properties" => Use::Response,
                            _ => Use::Schema,
                        };
                        out.push((0, r.to_owned(), used));
                    }
                }
                for (k, x) in o {
                    if !is_data_key(k) {
                        stack.push((x, k, key, parent, false));
                    }
                }
            }
            Value::Array(a) => {
                for x in a {
                    stack.push((x, key, parent, grand, true));
                }
            }
            _ => {}
        }
    }
}

/// A value read from the file `file_part` (a reference relative to the root's folder), made
/// usable inside the root: its `$ref`s, relative to that file, are made relative to the root.
pub(crate) fn rebase(mut v: Value, file_part: &str) -> Value {
    let dir = match file_part.rfind('/') {
        Some(i) => &file_part[..=i],
        None => "",
    };
    let mut stack: Vec<&mut Value> = vec![&mut v];
    while let Some(x) = stack.pop() {
        match x {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get_mut("$ref") {
                    if r.starts_with('#') {
                        *r = format!("{file_part}{r}");
                    } else if !r.starts_with('/') && crate::load::confine::url_scheme(r).is_none() {
                        *r = format!("{dir}{r}");
                    }
                }
                stack.extend(
                    o.iter_mut()
                        .filter(|(k, _)| k.as_str() != "$ref" && !is_data_key(k))
                        .map(|(_, x)| x),
                );
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
    v
}

/// Every `$ref` inside a value (a schema, a parameter, a response), examples and defaults aside.
fn schema_refs(v: &Value, out: &mut Vec<String>) {
    let mut stack: Vec<&Value> = match v {
        // The value's own `$ref` is followed by the caller.
        Value::Object(o) => o
            .iter()
            .filter(|(k, _)| k.as_str() != "$ref" && !is_data_key(k))
            .map(|(_, x)| x)
            .collect(),
        _ => Vec::new(),
    };
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                    out.push(r.to_owned());
                }
                stack.extend(o.iter().filter(|(k, _)| !is_data_key(k)).map(|(_, x)| x));
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
}

/// Keys whose values are data, not schemas: their `$ref` keys are not references.
fn is_data_key(k: &str) -> bool {
    matches!(k, "example" | "examples" | "default" | "enum" | "x-example") || k.starts_with("x-")
}

/// A 2.0 response of another file → 3.0 (its schema under `content`).
fn response_in(r: &Value, produces: &[String]) -> Value {
    let Some(o) = r.as_object() else {
        return r.clone();
    };
    let mut out = Map::new();
    for (k, x) in o {
        if k != "schema" && k != "examples" {
            out.insert(k.clone(), x.clone());
        }
    }
    if !out.contains_key("description") {
        out.insert("description".into(), json!(""));
    }
    if let Some(s) = o.get("schema") {
        let s = schema_in(s, false);
        let content: Map<String, Value> = response_media_types(produces)
            .into_iter()
            .map(|mt| (mt, json!({ "schema": s.clone() })))
            .collect();
        out.insert("content".into(), Value::Object(content));
    }
    Value::Object(out)
}

/// `text` with the references [`rewrite_ref`] made (`#/components/schemas/X`) spelled as the
/// 2.0 source has them (`#/definitions/X`), for diagnostics.
pub(crate) fn source_refs(text: &str) -> String {
    let mut out = text.to_owned();
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        out = out.replace(new, old);
    }
    out
}

fn rewrite_ref(r: &Value) -> Value {
    let Some(s) = r.as_str() else {
        return r.clone();
    };
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = s.strip_prefix(old) {
            return json!(format!("{new}{rest}"));
        }
    }
    r.clone()
}

/// A 2.0 schema of the root → 3.0: `$ref`s, `type: file`, `x-nullable`, string
/// discriminators; recursive.
fn schema(v: &Value) -> Value {
    schema_in(v, true)
}

/// A 2.0 schema → 3.0; the root's `$ref`s are rewritten to where the conversion moves their
/// targets (`rewrite`), another file's are left as they are (that file keeps its shape).
fn schema_in(v: &Value, rewrite: bool) -> Value {
    let schema = |x: &Value| schema_in(x, rewrite);
    match v {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                match k.as_str() {
                    "$ref" if rewrite => {
                        out.insert(k.clone(), rewrite_ref(x));
                    }
                    "x-nullable" => {
                        out.insert("nullable".into(), x.clone());
                    }
                    "type" if x == "file" => {
                        out.insert("type".into(), json!("string"));
                        out.insert("format".into(), json!("binary"));
                    }
                    "discriminator" if x.is_string() => {
                        out.insert(k.clone(), json!({ "propertyName": x }));
                    }
                    // Subschemas; everything else (examples, defaults, enums, extensions) is data.
                    "items" | "additionalProperties" | "not" => {
                        out.insert(k.clone(), schema(x));
                    }
                    "allOf" | "oneOf" | "anyOf" => {
                        let list = match x {
                            Value::Array(a) => Value::Array(a.iter().map(&schema).collect()),
                            other => other.clone(),
                        };
                        out.insert(k.clone(), list);
                    }
                    "properties" => {
                        let props = match x {
                            Value::Object(p) => Value::Object(
                                p.iter().map(|(n, s)| (n.clone(), schema(s))).collect(),
                            ),
                            other => other.clone(),
                        };
                        out.insert(k.clone(), props);
                    }
                    _ => {
                        out.insert(k.clone(), x.clone());
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_main_parts_and_maps_pointers_back() {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com", "basePath": "/v1", "schemes": ["http", "https"],
            "consumes": ["application/json"],
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "post": {
                    "parameters": [
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                        {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"type": "file"}}}
                },
                "put": {
                    "parameters": [{"name": "f", "in": "formData", "type": "file", "required": true}],
                    "responses": {"default": {"$ref": "#/responses/Err"}}
                }
            }},
            "definitions": {"Pet": {"type": "object", "x-nullable": true, "discriminator": "kind",
                "properties": {"default": {"$ref": "#/definitions/Pet"}, "enum": {"type": "file"}},
                "example": {"$ref": "#/definitions/Pet"}}},
            "responses": {"Err": {"description": "e"}},
            "securityDefinitions": {"b": {"type": "basic"}}
        });
        let c = convert(doc.as_object().unwrap(), &mut |_| None);
        let v = &c.value;
        assert_eq!(v["servers"][0]["url"], "https://api.example.com/v1");
        assert_eq!(v["components"]["schemas"]["Pet"]["nullable"], true);
        assert_eq!(
            v["components"]["schemas"]["Pet"]["discriminator"]["propertyName"],
            "kind"
        );
        assert_eq!(v["components"]["securitySchemes"]["b"]["scheme"], "basic");
        let props = &v["components"]["schemas"]["Pet"]["properties"];
        assert_eq!(props["default"]["$ref"], "#/components/schemas/Pet");
        assert_eq!(props["enum"]["format"], "binary");
        assert_eq!(
            v["components"]["schemas"]["Pet"]["example"]["$ref"],
            "#/definitions/Pet"
        );
        let post = &v["paths"]["/pets/{id}"]["post"];
        assert_eq!(post["parameters"][0]["style"], "form");
        assert_eq!(post["parameters"][0]["explode"], true);
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"]["format"],
            "binary"
        );
        let put = &v["paths"]["/pets/{id}"]["put"];
        assert_eq!(
            put["requestBody"]["content"]["multipart/form-data"]["schema"]["required"][0],
            "f"
        );
        assert_eq!(
            put["responses"]["default"]["$ref"],
            "#/components/responses/Err"
        );
        assert_eq!(
            v["paths"]["/pets/{id}"]["parameters"][0]["schema"]["type"],
            "string"
        );

        assert_eq!(
            c.source_pointer("/components/schemas/Pet/x"),
            "/definitions/Pet/x"
        );
        assert_eq!(
            c.source_pointer(
                "/paths/~1pets~1{id}/post/requestBody/content/application~1json/schema/x"
            ),
            "/paths/~1pets~1{id}/post/parameters/1/schema/x"
        );
        assert_eq!(
            c.source_pointer("/paths/~1pets~1{id}/post/parameters/0/schema"),
            "/paths/~1pets~1{id}/post/parameters/0"
        );
        assert_eq!(
            c.source_pointer("/paths/~1pets~1{id}/post"),
            "/paths/~1pets~1{id}/post"
        );
    }
}
