//! [`Request`]: one call's parameter and body values, encoded per its [`OperationSpec`].

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::body::Payload;
use crate::call::CallOptions;
use crate::error::RequestError;
use crate::multipart::{self, FilePart};
use crate::soap;
use crate::spec::{BodyFormat, FieldEncoding, Location, OperationSpec, Style};

/// Everything but RFC 3986 unreserved characters: a value becomes exactly one path segment, or
/// one query key or value.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `allowReserved`: the reserved characters that do not change a query's meaning stay as they
/// are; `&`, `=`, `+`, `#` and `%` (and everything else) are still encoded.
const RESERVED_OK: &AsciiSet = &STRICT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// One call's values, built by generated code from its [`OperationSpec`].
///
/// Builder methods never panic: an error (unknown parameter name, a value that cannot be
/// serialized or encoded) is stored and returned by [`crate::Client::execute`] as
/// [`crate::Error::Request`].
#[derive(Debug)]
pub struct Request {
    pub(crate) spec: &'static OperationSpec,
    /// Path values, already percent-encoded (with the separators of their style).
    pub(crate) path_params: Vec<(&'static str, String)>,
    /// Query pairs, and whether the value keeps reserved characters (`allowReserved`).
    pub(crate) query: Vec<(String, String, bool)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    /// The first error met while building (boxed: rare, and the request is moved by every
    /// builder call).
    pub(crate) error: Option<Box<RequestError>>,
    /// A next-page URL given by the server (pagination: `Link` header, next link in the body),
    /// checked to be on the base URL's origin: sent instead of the path and query built from
    /// the parameters.
    pub(crate) next_url: Option<Box<reqwest::Url>>,
    /// Indexes (in `spec.params`) of the parameters given a value (or `None`) so far.
    given: Given,
    /// Per-call timeout, headers, retry policy and idempotency key (the caller's key wins over
    /// any automatic one).
    pub(crate) options: CallOptions,
    /// GraphQL automatic persisted queries: what this attempt sends (set by `graphql::send`).
    pub(crate) persisted: crate::graphql::Persisted,
}

/// A set of parameter indexes: a bit each for the first 64 (no allocation), a list for the rest.
#[derive(Debug, Default)]
struct Given {
    bits: u64,
    more: Vec<usize>,
}

impl Given {
    fn contains(&self, idx: usize) -> bool {
        match 1u64.checked_shl(idx as u32).filter(|_| idx < 64) {
            Some(bit) => self.bits & bit != 0,
            None => self.more.contains(&idx),
        }
    }

    fn insert(&mut self, idx: usize) {
        match 1u64.checked_shl(idx as u32).filter(|_| idx < 64) {
            Some(bit) => self.bits |= bit,
            None if !self.more.contains(&idx) => self.more.push(idx),
            None => {}
        }
    }
}

/// An encoded request body.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub(crate) content_type: String,
    /// Bytes, or segments streamed from files and streams (`crate::body`).
    pub(crate) payload: Payload,
    /// Extra headers the body format requires (`SOAPAction`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Body {
    fn new(content_type: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        Self::of(content_type, Payload::Bytes(bytes.into()))
    }

    fn of(content_type: impl Into<String>, payload: Payload) -> Self {
        Body {
            content_type: content_type.into(),
            payload,
            headers: Vec::new(),
        }
    }

    /// The bytes of an in-memory body (empty for a streamed one).
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> &[u8] {
        self.payload.as_bytes().map_or(&[], |b| &b[..])
    }
}

impl Request {
    /// A request for this operation.
    pub fn new(spec: &'static OperationSpec) -> Self {
        Request {
            spec,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
            next_url: None,
            given: Given::default(),
            options: CallOptions::default(),
            persisted: crate::graphql::Persisted::Off,
        }
    }

    /// The same request without its stored error, for another page (pagination).
    pub(crate) fn for_page(&self) -> Request {
        Request {
            spec: self.spec,
            path_params: self.path_params.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            error: None,
            next_url: None,
            options: self.options.clone(),
            given: Given::default(),
            persisted: self.persisted,
        }
    }

    /// This call's idempotency key: sent in the operation's idempotency header (or the client's,
    /// [`crate::ClientBuilder::idempotency_header`]) on every attempt, and makes a POST or PATCH
    /// retryable. Wins over an automatic key and over a header parameter of that name.
    #[doc(hidden)]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.set_mut().idempotency_key = Some(key.into());
        self
    }

    /// This call's retry policy, instead of the client's.
    #[doc(hidden)]
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.options.set_mut().retry_policy = Some(policy);
        self
    }

    /// The operation this request is for.
    pub fn spec(&self) -> &'static OperationSpec {
        self.spec
    }

    fn fail(mut self, e: RequestError) -> Self {
        if self.error.is_none() {
            self.error = Some(Box::new(e));
        }
        self
    }

    /// Sets the parameter named `name` (must be in `spec.params`). `None`/null values are
    /// skipped; scalars, enums (as their wire string), lists and objects serialize per style.
    ///
    /// Path and header values use the simple style (lists and objects comma-joined); path values
    /// are percent-encoded as one path segment when the request is sent. Query values follow the
    /// parameter's [`Style`].
    ///
    /// When two parameters share a name (a path `id` and a header `id`), successive calls fill
    /// them in the order of `spec.params`; [`Request::param_in`] names the location instead.
    pub fn param<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        self.param_value(None, name, serde_json::to_value(value))
    }

    /// Sets the parameter named `name` in `location` (must be in `spec.params`), as
    /// [`Request::param`] does; for operations with two parameters of the same name.
    pub fn param_in<T: Serialize + ?Sized>(
        self,
        location: Location,
        name: &'static str,
        value: &T,
    ) -> Self {
        if self.error.is_some() {
            return self;
        }
        self.param_value(Some(location), name, serde_json::to_value(value))
    }

    /// The non-generic part of `param` and `param_in`: finds the parameter, then sets it.
    fn param_value(
        self,
        location: Option<Location>,
        name: &'static str,
        value: serde_json::Result<Value>,
    ) -> Self {
        let spec = self.spec;
        let idx = match location {
            Some(location) => spec
                .params
                .iter()
                .position(|p| p.name == name && p.location == location),
            // The first parameter of this name not given yet, else the first of this name.
            None => {
                let mut named = (0..spec.params.len()).filter(|&i| spec.params[i].name == name);
                named
                    .clone()
                    .find(|&i| !self.given.contains(i))
                    .or_else(|| named.next())
            }
        };
        let Some(idx) = idx else {
            let msg = match location {
                Some(l) => format!("operation `{}` has no {l:?} parameter `{name}`", spec.name),
                None => format!("operation `{}` has no parameter `{name}`", spec.name),
            };
            return self.fail(RequestError::new(msg));
        };
        self.set(idx, value)
    }

    fn set(mut self, idx: usize, value: serde_json::Result<Value>) -> Self {
        let spec = self.spec;
        let Some(p) = spec.params.get(idx) else {
            return self;
        };
        let name = p.name;
        self.given.insert(idx);
        let v = match value {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("parameter `{name}` of `{}` cannot be serialized", spec.name);
                return self.fail(RequestError::with_source(msg, e));
            }
        };
        if v.is_null() {
            return self;
        }
        match p.location {
            Location::Path => {
                self.path_params.retain(|(n, _)| *n != name);
                self.path_params.push((name, path_value(name, p.style, &v)));
            }
            Location::Query => {
                let mut pairs = Vec::new();
                query_pairs(name, p.style, &v, &mut pairs);
                let reserved = p.allow_reserved;
                self.query
                    .extend(pairs.into_iter().map(|(k, v)| (k, v, reserved)));
            }
            Location::Header => {
                let value = match (&v, p.style) {
                    // `simple` exploded: `k=v,k2=v2`.
                    (Value::Object(map), Style::SimpleExploded) => map
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| format!("{k}={}", text(v)))
                        .collect::<Vec<_>>()
                        .join(","),
                    _ => simple(&v),
                };
                self.headers.push((name.to_owned(), value));
            }
            Location::Cookie => self.cookies.push((name.to_owned(), simple(&v))),
        }
        self
    }

    /// Sets the body, encoded per `spec.body`. A `None`/null value sends no body (for GraphQL:
    /// no variables; for SOAP: an empty body element).
    pub fn body<T: Serialize + ?Sized>(self, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        let spec = self.spec;
        let Some(format) = spec.body else {
            let msg = format!("operation `{}` takes no request body", spec.name);
            return self.fail(RequestError::new(msg));
        };
        self.encode_body(format, value)
    }

    /// Sets the body encoded as `format` rather than the spec's (the caller chose another of
    /// the media types the operation offers), replacing any body set before.
    pub fn body_in<T: Serialize + ?Sized>(self, format: &'static BodyFormat, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        self.encode_body(*format, value)
    }

    /// Generic only in the serialization to a `Value`; the writers of every format are
    /// compiled once ([`Request::encoded_body`]).
    fn encode_body<T: Serialize + ?Sized>(self, format: BodyFormat, value: &T) -> Self {
        let mut v = Ok(Value::Null);
        let files = multipart::collect_files(&mut || v = serde_json::to_value(value));
        self.encoded_body(format, v, files)
    }

    /// [`Request::encode_body`]'s part that is not generic: `v` (a body serialized, the files
    /// it holds set aside) encoded as `format`.
    fn encoded_body(
        mut self,
        format: BodyFormat,
        v: serde_json::Result<Value>,
        files: Vec<FilePart>,
    ) -> Self {
        let spec = self.spec;
        let v = match v {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("the body of `{}` cannot be serialized", spec.name);
                return self.fail(RequestError::with_source(msg, e));
            }
        };
        if v.is_null() {
            self.body = None;
            return self;
        }
        match encode_body(format, v, &files) {
            Ok(b) => {
                self.body = Some(b);
                self
            }
            Err(msg) => {
                let msg = format!("the body of `{}`: {msg}", spec.name);
                self.fail(RequestError::new(msg))
            }
        }
    }

    /// Sets a raw body (for `BodyFormat::Binary`; its media type is the Content-Type, otherwise
    /// `application/octet-stream`).
    pub fn body_bytes(self, bytes: impl Into<Vec<u8>>) -> Self {
        self.body_file(FilePart::new(bytes.into()))
    }

    /// Sets a raw body from a file: the file's content type is the Content-Type, else the
    /// operation's media type unless it is a wildcard (`*/*`, `image/*`), else
    /// `application/octet-stream`. The bytes are sent as they are (never as a JSON string); a
    /// part made from a path or a stream is streamed, never held whole (see [`FilePart`]).
    pub fn body_file(mut self, file: FilePart) -> Self {
        let declared = match self.spec.body {
            Some(BodyFormat::Binary(mt)) | Some(BodyFormat::Text(mt)) if !mt.contains('*') => {
                Some(mt)
            }
            _ => None,
        };
        let content_type = match file.media_type() {
            Some(ct) => ct.replace(['\r', '\n'], " "),
            None => declared.unwrap_or("application/octet-stream").to_owned(),
        };
        self.body = Some(Body::of(content_type, file.into_payload()));
        self
    }

    /// The query string of the request's parameters (RFC 3986 percent-encoding: a space is
    /// `%20`, a `+` is `%2B`), appended to the URL's own query.
    pub(crate) fn append_query(&self, url: &mut reqwest::Url) {
        if !self.query.is_empty() {
            self.write_query(url);
        }
    }

    /// [`Request::append_query`] with parameters to append (out of line: the code of a call
    /// without query parameters stays small).
    #[inline(never)]
    fn write_query(&self, url: &mut reqwest::Url) {
        let mut q = url.query().unwrap_or("").to_owned();
        for (k, v, reserved) in &self.query {
            if !q.is_empty() {
                q.push('&');
            }
            q.extend(utf8_percent_encode(k, STRICT));
            q.push('=');
            q.extend(utf8_percent_encode(
                v,
                if *reserved { RESERVED_OK } else { STRICT },
            ));
        }
        url.set_query(Some(&q));
    }

    /// Applies per-call options (generated builders' `customize`): timeout and headers, and the
    /// retry policy and idempotency key when set (else those set before stay).
    pub fn options(mut self, mut options: CallOptions) -> Self {
        if let Some(before) = self.options.overrides() {
            if options.get_retry_policy().is_none() && before.retry_policy.is_some() {
                options.set_mut().retry_policy = before.retry_policy.clone();
            }
            if options.get_idempotency_key().is_none() && before.idempotency_key.is_some() {
                options.set_mut().idempotency_key = before.idempotency_key.clone();
            }
        }
        self.options = options;
        self
    }

    /// The body to send: the one set, or the default one the format needs (GraphQL query
    /// without variables, empty SOAP body element).
    pub(crate) fn effective_body(&self) -> Result<Option<Body>, RequestError> {
        if let Some(b) = &self.body {
            return Ok(Some(b.clone()));
        }
        match self.spec.body {
            Some(f @ (BodyFormat::GraphQl { .. } | BodyFormat::Soap { .. })) => {
                encode_body(f, Value::Null, &[]).map(Some).map_err(|m| {
                    RequestError::new(format!("the body of `{}`: {m}", self.spec.name))
                })
            }
            _ => Ok(None),
        }
    }
}

fn encode_body(format: BodyFormat, v: Value, files: &[FilePart]) -> Result<Body, String> {
    Ok(match format {
        BodyFormat::Json(mt) => Body::new(mt, serde_json::to_vec(&v).map_err(|e| e.to_string())?),
        BodyFormat::Form | BodyFormat::FormDeepObject | BodyFormat::FormFields(_) => {
            let Value::Object(map) = v else {
                return Err("a form body must be an object".into());
            };
            let mut pairs = Vec::new();
            for (k, v) in &map {
                match form_style(format, k) {
                    Some(style) => query_pairs(k, style, v, &mut pairs),
                    None => form_pairs(k.clone(), v, &mut pairs),
                }
            }
            let s = serde_urlencoded::to_string(&pairs).map_err(|e| e.to_string())?;
            Body::new("application/x-www-form-urlencoded", s)
        }
        BodyFormat::Xml(body) => Body::new(body.media_type(), crate::xml::encode(body, &v)?),
        BodyFormat::Multipart(fields) => {
            let (ct, payload) = multipart::encode(fields, &v, files)?;
            Body::of(ct, payload)
        }
        BodyFormat::Text(mt) => match v {
            Value::String(s) => Body::new(mt, s),
            Value::Number(n) => Body::new(mt, n.to_string()),
            Value::Bool(b) => Body::new(mt, b.to_string()),
            _ => return Err("a text body must serialize to a string".into()),
        },
        BodyFormat::Binary(mt) => match v {
            Value::String(s) => Body::new(mt, s),
            Value::Array(items) => {
                let bytes = items
                    .iter()
                    .map(|i| i.as_u64().and_then(|n| u8::try_from(n).ok()))
                    .collect::<Option<Vec<u8>>>()
                    .ok_or("a binary body must be bytes or a string (or use body_bytes)")?;
                Body::new(mt, bytes)
            }
            _ => return Err("a binary body must be bytes or a string (or use body_bytes)".into()),
        },
        BodyFormat::GraphQl {
            query,
            operation_name,
            ..
        } => {
            let mut m = Map::new();
            m.insert("query".into(), Value::String(query.into()));
            if !operation_name.is_empty() {
                m.insert("operationName".into(), Value::String(operation_name.into()));
            }
            if !v.is_null() {
                m.insert("variables".into(), v);
            }
            Body::new(
                "application/json",
                serde_json::to_vec(&Value::Object(m)).map_err(|e| e.to_string())?,
            )
        }
        BodyFormat::Soap {
            version,
            action,
            namespace,
            element,
            ..
        } => {
            let env = soap::envelope(version, action, namespace, element, &v)?;
            let mut b = Body::new(env.content_type, env.xml);
            if let Some(a) = env.soap_action {
                b.headers.push(("soapaction", a));
            }
            b
        }
    })
}

/// The style of form property `name`: `None` for the plain form encoding ([`form_pairs`]).
fn form_style(format: BodyFormat, name: &str) -> Option<Style> {
    match format {
        BodyFormat::FormDeepObject => Some(Style::DeepObject),
        BodyFormat::FormFields(fields) => fields
            .iter()
            .find(|f: &&FieldEncoding| f.name == name)
            .map(|f| f.style)
            .filter(|s| *s != Style::FormExploded),
        _ => None,
    }
}

/// The text of a scalar; non-scalars as compact JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Simple style: scalars as text, lists `1,2`, objects `k,v,k2,v2`.
fn simple(v: &Value) -> String {
    match v {
        Value::Array(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .map(text)
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k.clone(), text(v)])
            .collect::<Vec<_>>()
            .join(","),
        v => text(v),
    }
}

fn query_pairs(name: &str, style: Style, v: &Value, out: &mut Vec<(String, String)>) {
    let joined = |sep: &str| match v {
        Value::Array(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .map(text)
            .collect::<Vec<_>>()
            .join(sep),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k.clone(), text(v)])
            .collect::<Vec<_>>()
            .join(sep),
        v => text(v),
    };
    match (v, style) {
        (Value::Null, _) => {}
        (Value::Array(_) | Value::Object(_), Style::Comma) => {
            out.push((name.to_owned(), simple(v)));
        }
        (Value::Array(_) | Value::Object(_), Style::SpaceDelimited) => {
            out.push((name.to_owned(), joined(" ")));
        }
        (Value::Array(_) | Value::Object(_), Style::PipeDelimited) => {
            out.push((name.to_owned(), joined("|")));
        }
        (Value::Array(_) | Value::Object(_), Style::DeepObject) => {
            deep_pairs(name.to_owned(), v, out)
        }
        (Value::Array(items), _) => {
            for i in items.iter().filter(|i| !i.is_null()) {
                out.push((name.to_owned(), text(i)));
            }
        }
        (Value::Object(map), _) => {
            for (k, v) in map {
                match v {
                    Value::Null => {}
                    Value::Array(items) => {
                        for i in items.iter().filter(|i| !i.is_null()) {
                            out.push((k.clone(), text(i)));
                        }
                    }
                    v => out.push((k.clone(), text(v))),
                }
            }
        }
        (v, _) => out.push((name.to_owned(), text(v))),
    }
}

/// Stripe's convention, as its official libraries send it (stripe-go's `form` package,
/// stripe-node's `qs` with indices): `a[x]=1&a[y][z]=2`, list items by index (`expand[0]=a`,
/// `a[b][0][type]=x`), an empty list as `a=` (which clears it), never JSON text.
pub(crate) fn deep_pairs(key: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                deep_pairs(format!("{key}[{k}]"), v, out);
            }
        }
        Value::Array(items) if items.is_empty() => out.push((key, String::new())),
        Value::Array(items) => {
            for (idx, i) in items.iter().enumerate() {
                deep_pairs(format!("{key}[{idx}]"), i, out);
            }
        }
        v => out.push((key, text(v))),
    }
}

/// A path value in its style, percent-encoded: each name and value one segment's worth of
/// text, the style's separators (`,` `.` `;` `=`) kept.
fn path_value(name: &str, style: Style, v: &Value) -> String {
    // A scalar in a style that writes it alone (the usual `{id}`): one string, encoded as it
    // is written.
    if !matches!(
        style,
        Style::Label | Style::LabelExploded | Style::Matrix | Style::MatrixExploded
    ) {
        match v {
            Value::String(s) => return utf8_percent_encode(s, STRICT).collect(),
            Value::Number(_) | Value::Bool(_) => {
                let t = text(v);
                let encoded = match std::borrow::Cow::from(utf8_percent_encode(&t, STRICT)) {
                    std::borrow::Cow::Borrowed(_) => None,
                    std::borrow::Cow::Owned(e) => Some(e),
                };
                return encoded.unwrap_or(t);
            }
            _ => {}
        }
    }
    let enc = |s: &str| utf8_percent_encode(s, STRICT).to_string();
    let items: Vec<String> = match v {
        Value::Array(items) => items
            .iter()
            .filter(|i| !i.is_null())
            .map(|i| enc(&text(i)))
            .collect(),
        _ => Vec::new(),
    };
    let pairs: Vec<(String, String)> = match v {
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (enc(k), enc(&text(v))))
            .collect(),
        _ => Vec::new(),
    };
    let flat = |sep: &'static str| pairs.iter().map(move |(k, v)| format!("{k}{sep}{v}"));
    // The name is written only by the matrix styles.
    let n = match style {
        Style::Matrix | Style::MatrixExploded => enc(name),
        _ => String::new(),
    };
    match (v, style) {
        (Value::Array(_), Style::Label) => format!(".{}", items.join(",")),
        (Value::Array(_), Style::LabelExploded) => format!(".{}", items.join(".")),
        (Value::Array(_), Style::Matrix) => format!(";{n}={}", items.join(",")),
        (Value::Array(_), Style::MatrixExploded) => {
            items.iter().map(|i| format!(";{n}={i}")).collect()
        }
        (Value::Array(_), _) => items.join(","),
        (Value::Object(_), Style::Label) => format!(".{}", flat(",").collect::<Vec<_>>().join(",")),
        (Value::Object(_), Style::LabelExploded) => {
            format!(".{}", flat("=").collect::<Vec<_>>().join("."))
        }
        (Value::Object(_), Style::Matrix) => {
            format!(";{n}={}", flat(",").collect::<Vec<_>>().join(","))
        }
        (Value::Object(_), Style::MatrixExploded) => flat("=").map(|p| format!(";{p}")).collect(),
        (Value::Object(_), Style::SimpleExploded) => flat("=").collect::<Vec<_>>().join(","),
        (Value::Object(_), _) => flat(",").collect::<Vec<_>>().join(","),
        (v, Style::Label | Style::LabelExploded) => format!(".{}", enc(&text(v))),
        (v, Style::Matrix | Style::MatrixExploded) => format!(";{n}={}", enc(&text(v))),
        (v, _) => enc(&text(v)),
    }
}

/// Form bodies: scalars `k=v`, lists repeat the key, nested objects `k[sub]=v`, objects inside
/// lists `k[0][sub]=v`.
fn form_pairs(key: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                form_pairs(format!("{key}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for (idx, i) in items.iter().enumerate() {
                match i {
                    Value::Object(_) | Value::Array(_) => {
                        form_pairs(format!("{key}[{idx}]"), i, out);
                    }
                    Value::Null => {}
                    i => out.push((key.clone(), text(i))),
                }
            }
        }
        v => out.push((key, text(v))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{self, field, post};
    use serde_json::json;

    fn pairs(style: Style, v: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        query_pairs("a", style, &v, &mut out);
        out
    }

    fn joined(p: &[(String, String)]) -> String {
        p.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn query_styles() {
        let list = json!(["x", "y z"]);
        assert_eq!(
            joined(&pairs(Style::FormExploded, list.clone())),
            "a=x&a=y z"
        );
        assert_eq!(joined(&pairs(Style::Comma, list.clone())), "a=x,y z");
        assert_eq!(
            joined(&pairs(Style::SpaceDelimited, list.clone())),
            "a=x y z"
        );
        assert_eq!(
            joined(&pairs(Style::PipeDelimited, list.clone())),
            "a=x|y z"
        );
        assert_eq!(joined(&pairs(Style::DeepObject, list)), "a[0]=x&a[1]=y z");
        let obj = json!({"g": 2, "r": 1});
        assert_eq!(joined(&pairs(Style::FormExploded, obj.clone())), "g=2&r=1");
        assert_eq!(joined(&pairs(Style::Comma, obj.clone())), "a=g,2,r,1");
        assert_eq!(joined(&pairs(Style::DeepObject, obj)), "a[g]=2&a[r]=1");
        assert_eq!(joined(&pairs(Style::DeepObject, json!([]))), "a=");
    }

    /// Arrays of objects inside deepObject keep their indices, never JSON text (stripe-go's
    /// `form` package: "Always use indexed format for arrays").
    #[test]
    fn deep_object_keeps_indices() {
        let v = json!({"b": [{"type": "x"}, {"type": "y", "n": [1, 2]}]});
        assert_eq!(
            joined(&pairs(Style::DeepObject, v)),
            "a[b][0][type]=x&a[b][1][type]=y&a[b][1][n][0]=1&a[b][1][n][1]=2"
        );
    }

    #[test]
    fn path_styles() {
        let list = json!(["a b", "c"]);
        let obj = json!({"g": "x/y", "r": 1});
        let cases = [
            (Style::Comma, &list, "a%20b,c"),
            (Style::Label, &list, ".a%20b,c"),
            (Style::LabelExploded, &list, ".a%20b.c"),
            (Style::Matrix, &list, ";id=a%20b,c"),
            (Style::MatrixExploded, &list, ";id=a%20b;id=c"),
            (Style::Comma, &obj, "g,x%2Fy,r,1"),
            (Style::SimpleExploded, &obj, "g=x%2Fy,r=1"),
            (Style::Label, &obj, ".g,x%2Fy,r,1"),
            (Style::LabelExploded, &obj, ".g=x%2Fy.r=1"),
            (Style::Matrix, &obj, ";id=g,x%2Fy,r,1"),
            (Style::MatrixExploded, &obj, ";g=x%2Fy;r=1"),
        ];
        for (style, v, want) in cases {
            assert_eq!(path_value("id", style, v), want, "{style:?}");
        }
        assert_eq!(path_value("id", Style::Matrix, &json!(5)), ";id=5");
        assert_eq!(path_value("id", Style::Label, &json!("a.b")), ".a.b");
        assert_eq!(path_value("id", Style::Comma, &json!("a,b/c")), "a%2Cb%2Fc");
    }

    #[test]
    fn header_simple_exploded_object() {
        static OP: OperationSpec = spec::get("h", "/h").params(&[
            spec::header("X-A").style(Style::SimpleExploded),
            spec::header("X-B"),
        ]);
        let req = Request::new(&OP)
            .param("X-A", &json!({"r": 1, "g": 2}))
            .param("X-B", &json!({"r": 1, "g": 2}));
        assert_eq!(
            req.headers,
            vec![
                ("X-A".to_owned(), "r=1,g=2".to_owned()),
                ("X-B".to_owned(), "r,1,g,2".to_owned())
            ]
        );
    }

    #[test]
    fn query_string_encoding_and_allow_reserved() {
        static OP: OperationSpec =
            spec::get("s", "/s").params(&[spec::query("q"), spec::query("path").allow_reserved()]);
        let req = Request::new(&OP)
            .param("q", "repo:a/b is:open c++")
            .param("path", "/a/b?c=d&e#f");
        let mut url = reqwest::Url::parse("http://h/s?k=1").unwrap();
        req.append_query(&mut url);
        assert_eq!(
            url.query(),
            Some("k=1&q=repo%3Aa%2Fb%20is%3Aopen%20c%2B%2B&path=/a/b?c%3Dd%26e%23f")
        );
    }

    #[test]
    fn stripe_form_body() {
        static OP: OperationSpec = post("c", "/c").body(BodyFormat::form_deep_object());
        let req = Request::new(&OP).body(&json!({
            "email": "a+b@x.io",
            "expand": ["data.x", "y"],
            "metadata": {"k": "v"},
            "items": [{"price": "p", "tax_rates": []}],
        }));
        let body = req.body.expect("body");
        assert_eq!(body.content_type, "application/x-www-form-urlencoded");
        assert_eq!(
            std::str::from_utf8(body.bytes()).unwrap(),
            "email=a%2Bb%40x.io&expand%5B0%5D=data.x&expand%5B1%5D=y&metadata%5Bk%5D=v\
             &items%5B0%5D%5Bprice%5D=p&items%5B0%5D%5Btax_rates%5D="
        );
    }

    #[test]
    fn form_fields_follow_their_encoding() {
        static F: [spec::FieldEncoding; 2] = [
            field("tags").style(Style::PipeDelimited),
            field("ids").style(Style::DeepObject),
        ];
        static OP: OperationSpec = post("c", "/c").body(BodyFormat::form(&F));
        let req =
            Request::new(&OP).body(&json!({"tags": ["a", "b"], "ids": [1], "plain": ["x", "y"]}));
        let body = req.body.expect("body");
        assert_eq!(
            std::str::from_utf8(body.bytes()).unwrap(),
            "tags=a%7Cb&ids%5B0%5D=1&plain=x&plain=y"
        );
    }

    #[derive(Serialize)]
    struct Upload {
        file: FilePart,
        purpose: String,
        extra: Vec<FilePart>,
        meta: Value,
        n: Option<i32>,
    }

    #[test]
    fn multipart_body() {
        static F: [spec::FieldEncoding; 1] = [field("meta").content_type("application/x-meta")];
        static OP: OperationSpec = post("u", "/u").body(BodyFormat::multipart(&F));
        let up = Upload {
            file: FilePart::new(b"\x00\x01bin".to_vec())
                .filename("a \"b\".jsonl")
                .content_type("application/jsonl"),
            purpose: "fine-tune".into(),
            extra: vec![
                FilePart::new(b"one".to_vec()),
                FilePart::new(b"two".to_vec()),
            ],
            meta: json!({"k": [1]}),
            n: None,
        };
        let req = Request::new(&OP).body(&up);
        assert!(req.error.is_none(), "{:?}", req.error);
        let body = req.body.expect("body");
        let boundary = body
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary in the content type")
            .to_owned();
        let b = &boundary;
        let want = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.jsonl\"\r\n\
             Content-Type: application/jsonl\r\n\r\n\x00\x01bin\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"extra\"; filename=\"extra\"\r\n\
             Content-Type: application/octet-stream\r\n\r\none\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"extra\"; filename=\"extra\"\r\n\
             Content-Type: application/octet-stream\r\n\r\ntwo\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\
             Content-Type: application/x-meta\r\n\r\n{{\"k\":[1]}}\r\n\
             --{b}--\r\n"
        );
        assert_eq!(String::from_utf8_lossy(body.bytes()), want);
        // Outside a request body a file serializes to base64 text.
        assert_eq!(
            serde_json::to_value(FilePart::new(b"hi".to_vec())).unwrap(),
            json!("aGk=")
        );
    }

    /// Stripe's file upload: `file_link_data` (deepObject) becomes bracketed text parts.
    #[test]
    fn multipart_deep_object_fields() {
        static F: [spec::FieldEncoding; 1] = [field("file_link_data").style(Style::DeepObject)];
        static OP: OperationSpec = post("u", "/u").body(BodyFormat::multipart(&F));
        let req =
            Request::new(&OP).body(&json!({"file_link_data": {"create": true, "tags": ["a"]}}));
        let body = req.body.expect("body");
        let text = String::from_utf8_lossy(body.bytes());
        assert!(
            text.contains("name=\"file_link_data[create]\"\r\n\r\ntrue\r\n"),
            "{text}"
        );
        assert!(
            text.contains("name=\"file_link_data[tags][0]\"\r\n\r\na\r\n"),
            "{text}"
        );
    }

    #[test]
    fn binary_body_from_file() {
        static OP: OperationSpec = post("u", "/u").body(BodyFormat::Binary("*/*"));
        let req = Request::new(&OP).body_file(FilePart::new(b"zip".to_vec()));
        let body = req.body.expect("body");
        assert_eq!(
            (body.content_type.as_str(), body.bytes()),
            ("application/octet-stream", &b"zip"[..])
        );
        let req =
            Request::new(&OP).body_file(FilePart::new(b"png".to_vec()).content_type("image/png"));
        assert_eq!(req.body.expect("body").content_type, "image/png");
    }
}
