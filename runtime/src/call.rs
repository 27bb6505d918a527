//! Per-call options ([`CallOptions`]) and a success with its response metadata
//! ([`ApiResponse`]).

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::response::Response;
use crate::retry::RetryPolicy;

/// Options for one call, overriding the client's: timeout, retry policy, extra headers,
/// idempotency key. Every generated request builder takes them through `customize`:
///
/// ```text
/// let pet = client
///     .get_pet_by_id(42)
///     .customize(|o| o.timeout(Duration::from_secs(2)).header("x-trace", "abc"))
///     .send()
///     .await?;
/// ```
///
/// ```
/// use std::time::Duration;
/// use sdkwright_runtime::{CallOptions, RetryPolicy};
///
/// let o = CallOptions::new()
///     .timeout(Duration::from_secs(2))
///     .retry_policy(RetryPolicy::none())
///     .header("x-tenant", "acme")
///     .secret_header("x-signature", "s3cr3t")
///     .idempotency_key("order-7");
/// assert_eq!(o.get_timeout(), Some(Duration::from_secs(2)));
/// assert!(!format!("{o:?}").contains("s3cr3t"));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// `None` until something is set: a call without overrides (the common case) carries,
    /// and copies at every builder step, one pointer, not the options.
    set: Option<Box<Overrides>>,
}

/// What [`CallOptions`] overrides (boxed: most calls set nothing).
#[derive(Clone, Default)]
pub(crate) struct Overrides {
    pub(crate) timeout: Option<Duration>,
    /// Name, value, sensitive. Checked when the request is built (an invalid one is an
    /// [`Error::Request`]).
    pub(crate) headers: Vec<(String, String, bool)>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<String>,
    /// GraphQL: send this query as GET (`Some(true)`) or POST (`Some(false)`), instead of the
    /// client's choice.
    pub(crate) graphql_get: Option<bool>,
}

impl CallOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// The overrides, made on first use.
    pub(crate) fn set_mut(&mut self) -> &mut Overrides {
        self.set.get_or_insert_with(Box::default)
    }

    /// The overrides, if any was set.
    pub(crate) fn overrides(&self) -> Option<&Overrides> {
        self.set.as_deref()
    }

    /// The timeout of this call (each attempt, redirects and the body read included), instead
    /// of the client's ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)), longer or
    /// shorter.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.set_mut().timeout = Some(timeout);
        self
    }

    /// The retry policy of this call, instead of the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.set_mut().retry_policy = Some(policy);
        self
    }

    /// Adds a header to this call. It replaces a header of the same name set by the client's
    /// default headers, by a parameter or by auth (an `Authorization` of your own for one call
    /// is fine). Like every header of a call, it is not sent on a redirect to another origin.
    /// An invalid name or value makes the call fail with [`Error::Request`] before anything
    /// is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_mut()
            .headers
            .push((name.into(), value.into(), false));
        self
    }

    /// Adds a header holding a secret: as [`CallOptions::header`], and its value never shows
    /// in `Debug` output (the request's nor these options').
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_mut()
            .headers
            .push((name.into(), value.into(), true));
        self
    }

    /// The idempotency key of this call: sent in the idempotency header (the same key on every
    /// attempt), which makes a non-idempotent request (a POST) safe to retry.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.set_mut().idempotency_key = Some(key.into());
        self
    }

    /// GraphQL: sends this call's query as an HTTP GET (`query`, `variables`, `operationName`
    /// and `extensions` as URL parameters, per the GraphQL-over-HTTP spec) with `true`, as a
    /// POST with `false`, whatever the client's
    /// [`graphql_get_queries`](crate::ClientBuilder::graphql_get_queries) says. Mutations are
    /// always POSTed: this setting is ignored for them.
    pub fn graphql_get(mut self, get: bool) -> Self {
        self.set_mut().graphql_get = Some(get);
        self
    }

    /// The timeout set, if any.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.overrides().and_then(|o| o.timeout)
    }

    /// The retry policy set, if any.
    pub fn get_retry_policy(&self) -> Option<&RetryPolicy> {
        self.overrides().and_then(|o| o.retry_policy.as_ref())
    }

    /// The idempotency key set, if any.
    pub fn get_idempotency_key(&self) -> Option<&str> {
        self.overrides().and_then(|o| o.idempotency_key.as_deref())
    }

    /// The GraphQL GET/POST choice set, if any.
    pub(crate) fn get_graphql_get(&self) -> Option<bool> {
        self.overrides().and_then(|o| o.graphql_get)
    }

    /// The extra headers set (name, value, sensitive).
    pub(crate) fn headers(&self) -> &[(String, String, bool)] {
        self.overrides().map_or(&[], |o| &o.headers[..])
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers()
            .iter()
            .map(|(k, v, secret)| (k.as_str(), if *secret { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.get_timeout())
            .field("headers", &headers)
            .field("retry_policy", &self.get_retry_policy())
            .field("idempotency_key", &self.get_idempotency_key())
            .field("graphql_get", &self.get_graphql_get())
            .finish()
    }
}

/// The headers that commonly carry a request id, in the order [`ApiResponse::request_id`]
/// looks for them.
pub const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-ms-request-id",
    "x-github-request-id",
    "x-correlation-id",
    "x-trace-id",
    "cf-ray",
];

/// A successful call's decoded body with the response's status and headers: what a generated
/// builder's `send_with_response()` returns (`send()` returns the body alone).
///
/// ```text
/// let res = client.add_pet(pet).send_with_response().await?;
/// assert_eq!(res.status(), 201);
/// let location = res.header("location");
/// let pet = res.into_body();
/// ```
///
/// `H` is the struct of the headers the operation declares, when it declares any
/// ([`ApiResponse::typed_headers`]); `()` otherwise.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T, H = ()> {
    status: u16,
    /// Copied into text pairs only if [`ApiResponse::headers`] is called.
    headers: crate::response::Headers,
    body: T,
    typed: H,
    /// SOAP: the content of the response envelope's `Header` (prefixes stripped), if any.
    soap_header: Option<Box<str>>,
}

impl<T> ApiResponse<T> {
    /// A decoded body with its response's status and headers.
    pub(crate) fn new(status: u16, headers: crate::response::Headers, body: T) -> Self {
        ApiResponse {
            status,
            headers,
            body,
            typed: (),
            soap_header: None,
        }
    }

    /// With the content of the SOAP envelope's `Header`.
    pub(crate) fn with_soap_header(mut self, xml: Option<String>) -> Self {
        self.soap_header = xml.map(String::into_boxed_str);
        self
    }
}

impl<T, H> ApiResponse<T, H> {
    /// The headers the operation declares, typed (a generated struct of optional fields: a
    /// header that is absent or whose value does not parse is `None`, its text still in
    /// [`ApiResponse::header`]).
    ///
    /// ```text
    /// let res = client.list_pets().send_with_response().await?;
    /// let limit: Option<i32> = res.typed_headers().x_rate_limit;
    /// ```
    pub fn typed_headers(&self) -> &H {
        &self.typed
    }

    /// The same response with the typed headers `f` reads from it (generated code).
    #[doc(hidden)]
    pub fn map_headers<H2>(self, f: impl FnOnce(&Self) -> H2) -> ApiResponse<T, H2> {
        let typed = f(&self);
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
            typed,
            soap_header: self.soap_header,
        }
    }

    /// SOAP operations: the elements of the response envelope's `Header`, as XML with namespace
    /// prefixes stripped, each element in a namespace naming it with `xmlns="…"` (`None` when
    /// the envelope has no `Header`). The header parts the WSDL
    /// declares for the response are also decoded into [`ApiResponse::typed_headers`].
    pub fn soap_header_xml(&self) -> Option<&str> {
        self.soap_header.as_deref()
    }

    /// The status code (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every response header in the order received (lower-case names; a header sent twice
    /// appears twice).
    pub fn headers(&self) -> &[(String, String)] {
        self.headers.list()
    }

    /// The first value of the header `name` (case-insensitive): `etag`, `location`, `link`, …
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Every value of the header `name` (case-insensitive), in order.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .list()
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request id the server gave, from the first of [`REQUEST_ID_HEADERS`] present.
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS.iter().find_map(|h| self.header(h))
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, taken out.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl Response {
    /// Decodes the body with `decode` (`Response::decode`, `Response::bytes`) and keeps the
    /// status and headers beside it. For generated `send_with_response()`.
    pub fn with_response<T, E>(
        self,
        decode: impl FnOnce(Response) -> Result<T, Error<E>>,
    ) -> Result<ApiResponse<T>, Error<E>> {
        let status = self.status;
        let headers = self.headers.clone();
        let body = decode(self)?;
        Ok(ApiResponse::new(status, headers, body))
    }
}

/// A header's value read as `T` (generated typed headers): JSON text for numbers and
/// booleans, the text itself for strings (dates, enums), a comma-separated list for lists.
/// `None` when the header is absent or its value does not parse.
pub fn header_value<T: serde::de::DeserializeOwned>(value: Option<&str>) -> Option<T> {
    let text = value?.trim();
    // Through the body's and `&Value`'s deserializers only, as responses are read (one
    // monomorphised copy fewer of every model `T` reaches).
    if let Ok(v) = serde_json::from_slice::<T>(text.as_bytes()) {
        return Some(v);
    }
    let s = serde_json::Value::String(text.to_owned());
    if let Ok(v) = crate::response::value_as(&s) {
        return Some(v);
    }
    let items = text
        .split(',')
        .map(|i| {
            let i = i.trim();
            serde_json::from_str::<serde_json::Value>(i)
                .ok()
                .filter(|v| !v.is_object() && !v.is_array())
                .unwrap_or_else(|| serde_json::Value::String(i.to_owned()))
        })
        .collect();
    crate::response::value_as(&serde_json::Value::Array(items)).ok()
}

#[cfg(test)]
mod tests {
    use super::header_value;

    #[test]
    fn header_values_parse_per_type() {
        assert_eq!(header_value::<i32>(Some(" 42 ")), Some(42));
        assert_eq!(header_value::<i32>(Some("lots")), None);
        assert_eq!(header_value::<i32>(None), None);
        assert_eq!(header_value::<bool>(Some("true")), Some(true));
        assert_eq!(header_value::<String>(Some("123")), Some("123".to_owned()));
        assert_eq!(
            header_value::<String>(Some("a, b")),
            Some("a, b".to_owned())
        );
        assert_eq!(header_value::<Vec<i64>>(Some("1, 2")), Some(vec![1, 2]));
        assert_eq!(
            header_value::<Vec<String>>(Some("a,b")),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        let t = header_value::<crate::DateTime>(Some("2026-12-01T21:00:00Z"));
        assert!(t.is_some());
    }
}
