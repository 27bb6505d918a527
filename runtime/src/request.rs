//! [`Request`]: one call's parameter and body values, encoded per its [`OperationSpec`].

use serde::Serialize;
use serde_json::{Map, Value};

use crate::call::CallOptions;
use crate::error::RequestError;
use crate::soap;
use crate::spec::{BodyFormat, Location, OperationSpec, Style};

/// One call's values, built by generated code from its [`OperationSpec`].
///
/// Builder methods never panic: an error (unknown parameter name, a value that cannot be
/// serialized or encoded) is stored and returned by [`crate::Client::execute`] as
/// [`crate::Error::Request`].
#[derive(Debug)]
pub struct Request {
    pub(crate) spec: &'static OperationSpec,
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) error: Option<RequestError>,
    /// A next-page URL given by the server (pagination: `Link` header, next link in the body),
    /// checked to be on the base URL's origin: sent instead of the path and query built from
    /// the parameters.
    pub(crate) next_url: Option<reqwest::Url>,
    /// The caller's idempotency key for this call (wins over any automatic one).
    pub(crate) idempotency_key: Option<String>,
    /// The caller's retry policy for this call (instead of the client's).
    pub(crate) retry_override: Option<crate::RetryPolicy>,
    /// Indexes (in `spec.params`) of the parameters given a value (or `None`) so far.
    given: Vec<usize>,
    /// Per-call timeout and headers (its retry policy and idempotency key are moved to the
    /// two fields above by [`Request::options`]).
    pub(crate) options: CallOptions,
}

/// An encoded request body.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub(crate) content_type: String,
    pub(crate) bytes: bytes::Bytes,
    /// Extra headers the body format requires (`SOAPAction`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Body {
    fn new(content_type: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        Body {
            content_type: content_type.into(),
            bytes: bytes.into(),
            headers: Vec::new(),
        }
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
            idempotency_key: None,
            retry_override: None,
            given: Vec::new(),
            options: CallOptions::default(),
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
            idempotency_key: self.idempotency_key.clone(),
            retry_override: self.retry_override.clone(),
            options: self.options.clone(),
            given: Vec::new(),
        }
    }

    /// This call's idempotency key: sent in the operation's idempotency header (or the client's,
    /// [`crate::ClientBuilder::idempotency_header`]) on every attempt, and makes a POST or PATCH
    /// retryable. Wins over an automatic key and over a header parameter of that name.
    #[doc(hidden)]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// This call's retry policy, instead of the client's.
    #[doc(hidden)]
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.retry_override = Some(policy);
        self
    }

    /// The operation this request is for.
    pub fn spec(&self) -> &'static OperationSpec {
        self.spec
    }

    fn fail(mut self, e: RequestError) -> Self {
        if self.error.is_none() {
            self.error = Some(e);
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
                    .find(|i| !self.given.contains(i))
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
        if !self.given.contains(&idx) {
            self.given.push(idx);
        }
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
                self.path_params.push((name, simple(&v)));
            }
            Location::Query => query_pairs(name, p.style, &v, &mut self.query),
            Location::Header => self.headers.push((name.to_owned(), simple(&v))),
            Location::Cookie => self.cookies.push((name.to_owned(), simple(&v))),
        }
        self
    }

    /// Sets the body, encoded per `spec.body`. A `None`/null value sends no body (for GraphQL:
    /// no variables; for SOAP: an empty body element).
    pub fn body<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        let spec = self.spec;
        let Some(format) = spec.body else {
            let msg = format!("operation `{}` takes no request body", spec.name);
            return self.fail(RequestError::new(msg));
        };
        let v = match serde_json::to_value(value) {
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
        match encode_body(format, v) {
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
    pub fn body_bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        let content_type = match self.spec.body {
            Some(BodyFormat::Binary(mt)) | Some(BodyFormat::Text(mt)) => mt,
            _ => "application/octet-stream",
        };
        self.body = Some(Body::new(content_type, bytes.into()));
        self
    }

    /// Applies per-call options (generated builders' `customize`): timeout and headers, plus
    /// [`Request::retry_policy`] and [`Request::idempotency_key`] when set.
    pub fn options(mut self, mut options: CallOptions) -> Self {
        if let Some(p) = options.retry_policy.take() {
            self = self.retry_policy(p);
        }
        if let Some(k) = options.idempotency_key.take() {
            self = self.idempotency_key(k);
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
                encode_body(f, Value::Null).map(Some).map_err(|m| {
                    RequestError::new(format!("the body of `{}`: {m}", self.spec.name))
                })
            }
            _ => Ok(None),
        }
    }
}

fn encode_body(format: BodyFormat, v: Value) -> Result<Body, String> {
    Ok(match format {
        BodyFormat::Json(mt) => Body::new(mt, serde_json::to_vec(&v).map_err(|e| e.to_string())?),
        BodyFormat::Form => {
            let Value::Object(map) = v else {
                return Err("a form body must be an object".into());
            };
            let mut pairs = Vec::new();
            for (k, v) in &map {
                form_pairs(k.clone(), v, &mut pairs);
            }
            let s = serde_urlencoded::to_string(&pairs).map_err(|e| e.to_string())?;
            Body::new("application/x-www-form-urlencoded", s)
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
    match (v, style) {
        (Value::Null, _) => {}
        (Value::Array(_), Style::Comma) | (Value::Object(_), Style::Comma) => {
            out.push((name.to_owned(), simple(v)));
        }
        (Value::Array(items), _) => {
            for i in items.iter().filter(|i| !i.is_null()) {
                out.push((name.to_owned(), text(i)));
            }
        }
        (Value::Object(_), Style::DeepObject) => deep_pairs(name.to_owned(), v, out),
        (Value::Object(map), Style::FormExploded) => {
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

/// `a[x]=1&a[y][z]=2`; lists repeat the key.
fn deep_pairs(key: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                deep_pairs(format!("{key}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for i in items.iter().filter(|i| !i.is_null()) {
                if i.is_object() {
                    deep_pairs(key.clone(), i, out);
                } else {
                    out.push((key.clone(), text(i)));
                }
            }
        }
        v => out.push((key, text(v))),
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
