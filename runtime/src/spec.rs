//! Static descriptions of operations and security schemes.
//!
//! A generated crate holds one `static` [`OperationSpec`] per operation and hands it, with the
//! call's values, to [`crate::Client::execute`]. Everything the runtime needs to build the request
//! and classify the response is in here; generated code contains no transport logic.

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// The method's name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Idempotent per RFC 9110 §9.2.2: may be retried after a failure.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// Substituted into the path template, percent-encoded as a path segment.
    Path,
    /// A query pair.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// How list and object values are spread on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `a=1&a=2`.
    FormExploded,
    /// `a=1,2`.
    Comma,
    /// `a[x]=1&a[y]=2`.
    DeepObject,
}

/// One parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamSpec {
    /// Wire name; also the key generated code passes to [`crate::Request::param`].
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// How lists and objects are spread.
    pub style: Style,
}

/// SOAP versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml; charset=utf-8` and a `SOAPAction` header.
    V11,
    /// SOAP 1.2: `application/soap+xml; charset=utf-8; action="…"`.
    V12,
}

/// How the request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyFormat {
    /// JSON with this media type.
    Json(&'static str),
    /// `application/x-www-form-urlencoded` (nested objects in deepObject form: `a[b]=c`).
    Form,
    /// Text with this media type; the value must serialize to a string.
    Text(&'static str),
    /// Raw bytes with this media type; set with [`crate::Request::body_bytes`].
    Binary(&'static str),
    /// A GraphQL request; the value given to [`crate::Request::body`] is the variables object.
    GraphQl {
        /// The operation document sent as `query`.
        query: &'static str,
        /// The operation name sent as `operationName`.
        operation_name: &'static str,
    },
    /// A SOAP envelope; the value is the body element's content, serialized as XML.
    Soap {
        /// SOAP version.
        version: SoapVersion,
        /// SOAPAction, may be empty.
        action: &'static str,
        /// Namespace of the body element (empty for unqualified).
        namespace: &'static str,
        /// Local name of the body element.
        element: &'static str,
    },
}

/// How a successful response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseFormat {
    /// No body expected (decodes to `()`).
    Empty,
    /// JSON; sent as `Accept: application/json`.
    Json,
    /// Text (decodes to `String`).
    Text,
    /// Raw bytes (use [`crate::Response::bytes`]).
    Binary,
    /// GraphQL: the body is `{"data", "errors"}`; decodes `data`, and `errors` become
    /// [`crate::Error::GraphQl`].
    GraphQl,
    /// SOAP: decodes the first child of `soap:Body`; a `soap:Fault` is an error.
    Soap,
}

/// Kinds of security schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthKind {
    /// API key in this header.
    ApiKeyHeader(&'static str),
    /// API key in this query parameter.
    ApiKeyQuery(&'static str),
    /// API key in this cookie.
    ApiKeyCookie(&'static str),
    /// `Authorization: Bearer …`.
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
}

/// A security scheme of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityScheme {
    /// The scheme's name in the document; credentials are registered under it
    /// ([`crate::ClientBuilder::credential`]).
    pub name: &'static str,
    /// How the credential is applied.
    pub kind: AuthKind,
}

/// The static description of one operation.
#[derive(Debug, Clone, Copy)]
pub struct OperationSpec {
    /// Operation identifier, for error messages.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL, `{name}` for path parameters; may be empty.
    pub path: &'static str,
    /// Parameters.
    pub params: &'static [ParamSpec],
    /// Request body encoding, if the operation has a body.
    pub body: Option<BodyFormat>,
    /// Success response decoding.
    pub response: ResponseFormat,
    /// Security alternatives: the first alternative whose every scheme has a credential is
    /// applied. Empty: no auth.
    pub security: &'static [&'static [&'static SecurityScheme]],
}
