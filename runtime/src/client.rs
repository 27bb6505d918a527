//! [`ClientBuilder`] and [`Client`]: transport, auth, retries and response classification.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use crate::auth;
use crate::error::{BuildError, Error, RequestError, TransportError, TransportErrorKind};
use crate::request::Request;
use crate::response::{ErrorResponse, FromErrorResponse, Response};
use crate::retry::RetryPolicy;
use crate::spec::{Method, OperationSpec, ResponseFormat};
use crate::types::Credential;

/// Everything but RFC 3986 unreserved characters: a value becomes exactly one path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters that cannot appear in a cookie value (commas are kept: lists are comma-joined).
const COOKIE_VALUE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b';').add(b'\\').add(b'%');

/// The runtime's own User-Agent product token.
pub const RUNTIME_USER_AGENT: &str = concat!("sdkwright-runtime/", env!("CARGO_PKG_VERSION"));

/// The default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    user_agent: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
    credentials: BTreeMap<String, Credential>,
}

impl ClientBuilder {
    /// A builder with this base URL, the default retry policy, a 30 s timeout.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            user_agent: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            credentials: BTreeMap::new(),
        }
    }
    /// Overrides the base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// User-Agent product token of the generated crate (`name/version`); the runtime appends
    /// its own (`sdkwright-runtime/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }
    /// Per-request timeout (connect to end of body, each attempt).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// Retry policy.
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
        self
    }
    /// Registers the credential for the security scheme named `scheme` (replacing any earlier).
    pub fn credential(mut self, scheme: &str, c: Credential) -> Self {
        self.credentials.insert(scheme.to_owned(), c);
        self
    }
    /// Builds the client. Fails if the base URL is not an absolute `http(s)` URL or the HTTP
    /// client cannot be initialized.
    pub fn build(self) -> Result<Client, BuildError> {
        let url = Url::parse(&self.base_url).map_err(|e| {
            BuildError::with_source(format!("invalid base URL `{}`", self.base_url), e)
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BuildError::new(format!(
                "base URL `{}` is not http(s)",
                self.base_url
            )));
        }
        let user_agent = match &self.user_agent {
            Some(ua) if !ua.trim().is_empty() => format!("{} {RUNTIME_USER_AGENT}", ua.trim()),
            _ => RUNTIME_USER_AGENT.to_owned(),
        };
        let http = reqwest::Client::builder()
            .user_agent(user_agent.clone())
            .timeout(self.timeout)
            .build()
            .map_err(|e| BuildError::with_source("cannot initialize the HTTP client", e))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url,
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
                credentials: self.credentials,
            }),
        })
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    user_agent: String,
    timeout: Duration,
    retry: RetryPolicy,
    credentials: BTreeMap<String, Credential>,
}

/// A configured HTTP client shared by all operations of a generated crate. Cheap to clone.
///
/// Its `Debug` output shows the configuration with credential values redacted.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

fn to_reqwest(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Put => reqwest::Method::PUT,
        Method::Post => reqwest::Method::POST,
        Method::Delete => reqwest::Method::DELETE,
        Method::Options => reqwest::Method::OPTIONS,
        Method::Head => reqwest::Method::HEAD,
        Method::Patch => reqwest::Method::PATCH,
        Method::Trace => reqwest::Method::TRACE,
    }
}

/// A request ready to be sent (and re-sent on retry).
struct Prepared {
    method: reqwest::Method,
    url: Url,
    headers: HeaderMap,
    body: Option<bytes::Bytes>,
}

impl Client {
    /// A builder with this base URL.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The User-Agent sent.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends the request (auth, retries, timeout) and classifies the response: a 2xx is returned
    /// as [`Response`] for decoding; any other status becomes `Error::Api(E::from_response(..))`
    /// (or `Error::Decode` if that fails). Called by generated code only.
    #[doc(hidden)]
    pub async fn execute<E: FromErrorResponse>(&self, req: Request) -> Result<Response, Error<E>> {
        let spec = req.spec;
        let prepared = self.prepare(req)?;
        let retry = &self.inner.retry;
        let attempts = retry.attempts();
        let idempotent = spec.method.is_idempotent();
        let mut attempt = 1;
        loop {
            let mut rb = self
                .inner
                .http
                .request(prepared.method.clone(), prepared.url.clone())
                .headers(prepared.headers.clone());
            if let Some(b) = &prepared.body {
                rb = rb.body(b.clone());
            }
            let resp = match rb.send().await {
                Ok(resp) => resp,
                Err(e) if e.is_builder() => {
                    return Err(Error::Request(RequestError::with_source(
                        format!("cannot build the request for `{}`", spec.name),
                        e.without_url(),
                    )));
                }
                Err(e) => {
                    let e = TransportError::from_reqwest(e);
                    let retryable = match e.kind() {
                        TransportErrorKind::Connect => true,
                        TransportErrorKind::Other => idempotent,
                        _ => false,
                    };
                    if retryable && attempt < attempts {
                        tokio::time::sleep(retry.backoff(attempt)).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(Error::Transport(e));
                }
            };
            let status = resp.status().as_u16();
            if matches!(status, 429 | 503) && idempotent && attempt < attempts {
                let wait = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry.retry_after(v))
                    .unwrap_or_else(|| retry.backoff(attempt));
                drop(resp);
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = resp.bytes().await.map_err(TransportError::from_reqwest)?;
            if (200..300).contains(&status) {
                return Ok(Response {
                    status,
                    headers,
                    body,
                    format: spec.response,
                });
            }
            let er = ErrorResponse {
                status,
                headers,
                body,
                format: spec.response,
            };
            return match E::from_response(&er) {
                Ok(e) => Err(Error::Api(e)),
                Err(d) => Err(Error::Decode(d)),
            };
        }
    }

    fn prepare(&self, mut req: Request) -> Result<Prepared, RequestError> {
        if let Some(e) = req.error.take() {
            return Err(e);
        }
        let spec = req.spec;
        let auth = auth::apply(spec, &self.inner.credentials);
        let mut url = build_url(&self.inner.base_url, spec, &req.path_params)?;
        if !req.query.is_empty() || !auth.query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in &req.query {
                q.append_pair(k, v);
            }
            for (k, v) in &auth.query {
                q.append_pair(k, v);
            }
        }

        let mut headers = HeaderMap::new();
        let accept = match spec.response {
            ResponseFormat::Json | ResponseFormat::GraphQl => Some("application/json"),
            _ => None,
        };
        if let Some(a) = accept {
            headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(a));
        }
        let body = req.effective_body()?;
        if let Some(b) = &body {
            insert(&mut headers, "content-type", &b.content_type, false)?;
            for (k, v) in &b.headers {
                insert(&mut headers, k, v, false)?;
            }
        }
        for (k, v) in &req.headers {
            insert(&mut headers, k, v, false)?;
        }
        for (k, v) in &auth.headers {
            insert(&mut headers, k, v, true)?;
        }
        let cookies: Vec<String> = req
            .cookies
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .chain(auth.cookies.iter().map(|(k, v)| (*k, v)))
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, COOKIE_VALUE)))
            .collect();
        if !cookies.is_empty() {
            let sensitive = !auth.cookies.is_empty();
            insert(&mut headers, "cookie", &cookies.join("; "), sensitive)?;
        }
        Ok(Prepared {
            method: to_reqwest(spec.method),
            url,
            headers,
            body: body.map(|b| b.bytes),
        })
    }
}

fn insert(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    sensitive: bool,
) -> Result<(), RequestError> {
    let n = HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| RequestError::with_source(format!("invalid header name `{name}`"), e))?;
    let mut v = HeaderValue::from_str(value)
        .map_err(|e| RequestError::with_source(format!("invalid value for header `{name}`"), e))?;
    v.set_sensitive(sensitive);
    headers.append(n, v);
    Ok(())
}

/// Joins the base URL and the path template with its parameters substituted, each
/// percent-encoded as one path segment.
fn build_url(
    base: &str,
    spec: &OperationSpec,
    params: &[(&'static str, String)],
) -> Result<Url, RequestError> {
    let mut path = String::with_capacity(spec.path.len() + 16);
    let mut rest = spec.path;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            RequestError::new(format!("unclosed `{{` in the path of `{}`", spec.name))
        })?;
        let name = &after[..close];
        let value = params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                RequestError::new(format!(
                    "missing path parameter `{name}` of `{}`",
                    spec.name
                ))
            })?;
        if value == "." || value == ".." {
            return Err(RequestError::new(format!(
                "path parameter `{name}` of `{}` cannot be `{value}`",
                spec.name
            )));
        }
        path.extend(utf8_percent_encode(value, PATH_SEGMENT));
        rest = &after[close + 1..];
    }
    path.push_str(rest);
    let joined = if path.is_empty() {
        base.to_owned()
    } else {
        format!(
            "{}/{}",
            base.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    };
    Url::parse(&joined).map_err(|e| RequestError::with_source(format!("invalid URL `{joined}`"), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::*;

    static SPEC: OperationSpec = OperationSpec {
        name: "op",
        method: Method::Get,
        path: "/a/{id}/b",
        params: &[],
        body: None,
        response: ResponseFormat::Json,
        security: &[],
    };

    #[test]
    fn joins_slashes() {
        let p = [("id", "x/y z".to_owned())];
        for base in ["http://h/api", "http://h/api/"] {
            let u = build_url(base, &SPEC, &p).unwrap();
            assert_eq!(u.as_str(), "http://h/api/a/x%2Fy%20z/b");
        }
        assert!(build_url("http://h", &SPEC, &[]).is_err());
        assert!(build_url("http://h", &SPEC, &[("id", "..".into())]).is_err());
    }
}
