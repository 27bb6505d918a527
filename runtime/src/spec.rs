//! Static descriptions of operations and security schemes: the data half of the contract between
//! generated code and the runtime.
//!
//! A generated crate holds one `static` [`OperationSpec`] per operation and hands it, with the
//! call's values, to [`crate::Client::execute`]. Everything the runtime needs to build the request
//! and classify the response is in here; generated code contains no transport logic.
//!
//! Growing without breaking: every struct here has private fields and is built with `const fn`
//! constructors and builder methods, so a field added later (with a default) leaves every crate
//! generated before it compiling unchanged. Enums are `#[non_exhaustive]`, and the variants with
//! named fields are built with constructors too. Generated code reaches all of this through
//! [`crate::__private`], never through the crate root.

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum Style {
    /// `a=1&a=2`.
    FormExploded,
    /// `a=1,2`.
    Comma,
    /// `a[x]=1&a[y]=2`; lists keep their indices (`a[0]=x`, `a[b][0][c]=y`), as Stripe's own
    /// libraries send them.
    DeepObject,
    /// Simple style, exploded: lists `1,2`, objects `k=v,k2=v2`.
    SimpleExploded,
    /// `a=1%202` (query lists joined by spaces).
    SpaceDelimited,
    /// `a=1|2` (query lists joined by `|`).
    PipeDelimited,
    /// Path label style: `.1,2`; objects `.k,v`.
    Label,
    /// Path label style, exploded: `.1.2`; objects `.k=v.k2=v2`.
    LabelExploded,
    /// Path matrix style: `;id=1,2`; objects `;id=k,v`.
    Matrix,
    /// Path matrix style, exploded: `;id=1;id=2`; objects `;k=v;k2=v2`.
    MatrixExploded,
}

/// One parameter of an operation: built with [`path`], [`query`], [`header`] or [`cookie`],
/// which pick OpenAPI's default style for the location; [`ParamSpec::style`] overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamSpec {
    /// Wire name; also the key generated code passes to [`crate::__private::Request::param`].
    pub(crate) name: &'static str,
    /// Where it goes.
    pub(crate) location: Location,
    /// How lists and objects are spread.
    pub(crate) style: Style,
    /// Query values keep RFC 3986 reserved characters unencoded (`allowReserved`).
    pub(crate) allow_reserved: bool,
}

impl ParamSpec {
    /// A parameter with this name, location and style.
    pub const fn new(name: &'static str, location: Location, style: Style) -> Self {
        ParamSpec {
            name,
            location,
            style,
            allow_reserved: false,
        }
    }
    /// This style instead of the location's default.
    pub const fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
    /// The wire name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// Where it goes.
    pub const fn location(&self) -> Location {
        self.location
    }
    /// A query value that keeps the RFC 3986 reserved characters `:/?[]@!$'()*,;` as they are
    /// (OpenAPI `allowReserved`); `&`, `=`, `+`, `#` and `%` are still encoded, since they
    /// would change the query's meaning.
    pub const fn allow_reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }
}

/// How one property of a form or multipart body is encoded (OpenAPI's `encoding` map): built
/// with [`field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldEncoding {
    pub(crate) name: &'static str,
    pub(crate) style: Style,
    pub(crate) content_type: &'static str,
}

impl FieldEncoding {
    /// This style for the property's lists and objects (form bodies).
    pub const fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
    /// The `Content-Type` of the property's part (multipart bodies).
    pub const fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }
}

/// The encoding of the body property `name`: form style, exploded; no part content type.
pub const fn field(name: &'static str) -> FieldEncoding {
    FieldEncoding {
        name,
        style: Style::FormExploded,
        content_type: "",
    }
}

/// A path parameter (simple style: lists comma-joined).
pub const fn path(name: &'static str) -> ParamSpec {
    ParamSpec::new(name, Location::Path, Style::Comma)
}

/// A query parameter (form style, exploded: `a=1&a=2`).
pub const fn query(name: &'static str) -> ParamSpec {
    ParamSpec::new(name, Location::Query, Style::FormExploded)
}

/// A header parameter (simple style: lists comma-joined).
pub const fn header(name: &'static str) -> ParamSpec {
    ParamSpec::new(name, Location::Header, Style::Comma)
}

/// A cookie parameter (form style, exploded).
pub const fn cookie(name: &'static str) -> ParamSpec {
    ParamSpec::new(name, Location::Cookie, Style::FormExploded)
}

/// SOAP versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml; charset=utf-8` and a `SOAPAction` header.
    V11,
    /// SOAP 1.2: `application/soap+xml; charset=utf-8; action="…"`.
    V12,
}

/// How the request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// JSON with this media type.
    Json(&'static str),
    /// `application/x-www-form-urlencoded` (nested objects in deepObject form: `a[b]=c`).
    Form,
    /// `application/x-www-form-urlencoded`, every property in `deepObject` style the way
    /// Stripe's libraries send it: `metadata[key]=v`, `expand[0]=a`, `a[b][0][type]=x`
    /// ([`BodyFormat::form_deep_object`]).
    FormDeepObject,
    /// `application/x-www-form-urlencoded` with the encodings of these properties (others are
    /// form style, exploded) ([`BodyFormat::form`]).
    FormFields(&'static [FieldEncoding]),
    /// `multipart/form-data` with a boundary; [`crate::FilePart`] values become file parts,
    /// scalars text parts, objects JSON parts, and lists one part per item. The encodings give
    /// part content types ([`BodyFormat::multipart`]).
    Multipart(&'static [FieldEncoding]),
    /// Text with this media type; the value must serialize to a string.
    Text(&'static str),
    /// Raw bytes with this media type; set with [`crate::__private::Request::body_bytes`].
    Binary(&'static str),
    /// A GraphQL request ([`BodyFormat::graphql`]); the value given to
    /// [`crate::__private::Request::body`] is the variables object.
    #[non_exhaustive]
    GraphQl {
        /// The operation document sent as `query`.
        query: &'static str,
        /// The operation name sent as `operationName`.
        operation_name: &'static str,
        /// Query, mutation or subscription ([`GraphQlKind::Unknown`] for crates generated
        /// before contract 5: never sent as GET).
        kind: GraphQlKind,
        /// The lowercase hex SHA-256 of `query`, for automatic persisted queries (empty: none,
        /// the query is always sent).
        sha256: &'static str,
    },
    /// A SOAP envelope ([`BodyFormat::soap`]); the value is the body element's content,
    /// serialized as XML.
    #[non_exhaustive]
    Soap {
        /// SOAP version.
        version: SoapVersion,
        /// SOAPAction, may be empty.
        action: &'static str,
        /// Namespace of the body element (empty for unqualified).
        namespace: &'static str,
        /// Local name of the body element.
        element: &'static str,
        /// WS-Addressing: the `wsa:Action` sent with `wsa:MessageID` (a fresh `urn:uuid:`) and
        /// `wsa:To` (the request URL) in the envelope's `Header`; empty: no addressing headers.
        addressing: &'static str,
    },
    /// XML shaped by the schema's `xml` objects ([`BodyFormat::xml`]); the media type is the
    /// body's.
    Xml(&'static crate::xml::XmlBody),
}

impl BodyFormat {
    /// A form body whose properties are all in `deepObject` style (Stripe's convention).
    pub const fn form_deep_object() -> Self {
        BodyFormat::FormDeepObject
    }
    /// A form body with these property encodings.
    pub const fn form(fields: &'static [FieldEncoding]) -> Self {
        BodyFormat::FormFields(fields)
    }
    /// A `multipart/form-data` body with these property encodings.
    pub const fn multipart(fields: &'static [FieldEncoding]) -> Self {
        BodyFormat::Multipart(fields)
    }
    /// A GraphQL request sending `query` as the document and `operation_name` (may be empty).
    pub const fn graphql(query: &'static str, operation_name: &'static str) -> Self {
        BodyFormat::GraphQl {
            query,
            operation_name,
            kind: GraphQlKind::Unknown,
            sha256: "",
        }
    }
    /// A GraphQL request of this kind (contract 5): a query may be sent as GET
    /// ([`crate::ClientBuilder::graphql_get_queries`]), and `sha256` (the document's SHA-256 in
    /// lowercase hex, computed by the generator) makes automatic persisted queries possible
    /// ([`crate::ClientBuilder::graphql_persisted_queries`]).
    pub const fn graphql_operation(
        kind: GraphQlKind,
        query: &'static str,
        operation_name: &'static str,
        sha256: &'static str,
    ) -> Self {
        BodyFormat::GraphQl {
            query,
            operation_name,
            kind,
            sha256,
        }
    }
    /// A SOAP envelope whose body element is `{namespace}element`.
    pub const fn soap(
        version: SoapVersion,
        action: &'static str,
        namespace: &'static str,
        element: &'static str,
    ) -> Self {
        BodyFormat::Soap {
            version,
            action,
            namespace,
            element,
            addressing: "",
        }
    }
    /// This SOAP envelope with WS-Addressing headers (contract 6): `wsa:Action` = `action`,
    /// `wsa:MessageID` and `wsa:To`, as zeep sends them. Other formats are returned unchanged.
    pub const fn ws_addressing(self, wsa_action: &'static str) -> Self {
        match self {
            BodyFormat::Soap {
                version,
                action,
                namespace,
                element,
                ..
            } => BodyFormat::Soap {
                version,
                action,
                namespace,
                element,
                addressing: wsa_action,
            },
            other => other,
        }
    }
    /// An XML body (`application/xml`, `text/xml`, `+xml`) of this shape.
    pub const fn xml(body: &'static crate::xml::XmlBody) -> Self {
        BodyFormat::Xml(body)
    }
}

/// The kind of a GraphQL operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GraphQlKind {
    /// A query: may be sent as GET.
    Query,
    /// A mutation: always POST.
    Mutation,
    /// A subscription: sent over a WebSocket (`graphql-transport-ws`).
    Subscription,
    /// Not said (crates generated before contract 5): treated as a mutation.
    Unknown,
}

/// How a successful response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseFormat {
    /// No body expected (decodes to `()`).
    Empty,
    /// JSON; sent as `Accept: application/json`.
    Json,
    /// Text (decodes to `String`).
    Text,
    /// Raw bytes (use [`crate::__private::Response::bytes`]).
    Binary,
    /// GraphQL: the body is `{"data", "errors"}`; decodes `data`, and `errors` become
    /// [`crate::Error::GraphQl`].
    GraphQl,
    /// SOAP: decodes the first child of `soap:Body`; a `soap:Fault` is an error.
    Soap,
    /// XML shaped by the schema's `xml` objects; sent as `Accept: <its media type>`.
    Xml(&'static crate::xml::XmlBody),
    /// One of several media types of the same value ([`ResponseFormat::negotiate`]): all are
    /// listed in `Accept` (the first preferred), and the response's `Content-Type` picks the
    /// format it is decoded with (the first when it names none of them).
    Negotiate(&'static [(&'static str, ResponseFormat)]),
}

impl ResponseFormat {
    /// An XML response body of this shape.
    pub const fn xml(body: &'static crate::xml::XmlBody) -> Self {
        ResponseFormat::Xml(body)
    }
    /// A response offered in these media types, each decoded with its format (content
    /// negotiation); the first is preferred.
    pub const fn negotiate(formats: &'static [(&'static str, ResponseFormat)]) -> Self {
        ResponseFormat::Negotiate(formats)
    }

    /// The `Accept` header value this format asks for, if any.
    pub(crate) fn accept(&self) -> Option<String> {
        match self {
            ResponseFormat::Json | ResponseFormat::GraphQl => Some("application/json".into()),
            ResponseFormat::Xml(body) => Some(body.media_type().into()),
            ResponseFormat::Negotiate(list) => {
                let types: Vec<String> = list
                    .iter()
                    .enumerate()
                    .map(|(i, (mt, _))| {
                        if i == 0 {
                            (*mt).to_owned()
                        } else {
                            format!("{mt};q=0.9")
                        }
                    })
                    .collect();
                (!types.is_empty()).then(|| types.join(", "))
            }
            _ => None,
        }
    }

    /// The format a response with this `Content-Type` is decoded with: for a negotiated
    /// response, the listed media type it names (else the first XML one for an `xml` type, the
    /// first JSON one for a `json` type, else the first); otherwise this format.
    pub(crate) fn for_content_type(self, content_type: Option<&str>) -> ResponseFormat {
        let ResponseFormat::Negotiate(list) = self else {
            return self;
        };
        let essence = content_type
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let pick = list
            .iter()
            .find(|(mt, _)| mt.eq_ignore_ascii_case(&essence))
            .or_else(|| {
                list.iter().find(|(_, f)| match f {
                    ResponseFormat::Xml(_) => essence.contains("xml"),
                    ResponseFormat::Json => essence.contains("json"),
                    ResponseFormat::Text => essence.starts_with("text/"),
                    _ => false,
                })
            })
            .or_else(|| list.first());
        match pick.map(|(_, f)| *f) {
            // Not nested: a negotiated format inside one is read as JSON.
            Some(ResponseFormat::Negotiate(_)) | None => ResponseFormat::Json,
            Some(f) => f,
        }
    }
}

/// Kinds of security schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    /// OAuth 2.0: an access token sent as `Authorization: Bearer …`, either given as is or
    /// obtained by a [`crate::TokenProvider`] such as [`crate::OAuth2`] from the scheme's
    /// [flows](SecurityScheme::flows).
    OAuth2,
}

/// The grant types of OAuth 2.0 flows a document can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthFlowKind {
    /// `client_credentials` (RFC 6749 §4.4): the client authenticates as itself.
    ClientCredentials,
    /// `authorization_code` (RFC 6749 §4.1): a user grants access in a browser.
    AuthorizationCode,
    /// `password` (RFC 6749 §4.3): resource owner password credentials.
    Password,
    /// Device authorization (RFC 8628).
    DeviceAuthorization,
}

/// One OAuth 2.0 flow of a security scheme, with the token endpoint the document gives for it.
/// The implicit flow has no token endpoint and is not described.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OAuthFlow {
    pub(crate) kind: OAuthFlowKind,
    /// `tokenUrl`.
    pub(crate) token_url: &'static str,
    /// `refreshUrl`; empty: refresh at the token URL.
    pub(crate) refresh_url: &'static str,
}

impl OAuthFlow {
    /// A flow of this kind whose token endpoint is `token_url`.
    pub const fn new(kind: OAuthFlowKind, token_url: &'static str) -> Self {
        OAuthFlow {
            kind,
            token_url,
            refresh_url: "",
        }
    }
    /// The `clientCredentials` flow.
    pub const fn client_credentials(token_url: &'static str) -> Self {
        Self::new(OAuthFlowKind::ClientCredentials, token_url)
    }
    /// The `authorizationCode` flow.
    pub const fn authorization_code(token_url: &'static str) -> Self {
        Self::new(OAuthFlowKind::AuthorizationCode, token_url)
    }
    /// The `password` flow.
    pub const fn password(token_url: &'static str) -> Self {
        Self::new(OAuthFlowKind::Password, token_url)
    }
    /// Its `refreshUrl`, when it differs from the token URL.
    pub const fn refresh_url(mut self, url: &'static str) -> Self {
        self.refresh_url = url;
        self
    }
    /// The grant type.
    pub const fn kind(&self) -> OAuthFlowKind {
        self.kind
    }
    /// The token endpoint (`tokenUrl`), possibly relative to the base URL.
    pub const fn token_url(&self) -> &'static str {
        self.token_url
    }
    /// The refresh endpoint: `refreshUrl`, else the token URL.
    pub const fn refresh_endpoint(&self) -> &'static str {
        if self.refresh_url.is_empty() {
            self.token_url
        } else {
            self.refresh_url
        }
    }
}

/// A security scheme of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityScheme {
    /// The scheme's name in the document; credentials are registered under it
    /// ([`crate::ClientBuilder::credential`]).
    pub(crate) name: &'static str,
    /// How the credential is applied.
    pub(crate) kind: AuthKind,
    /// OAuth 2.0 flows (token endpoints), for [`AuthKind::OAuth2`].
    pub(crate) flows: &'static [OAuthFlow],
    /// The scopes the operation's security requirement asks for (OAuth 2.0).
    pub(crate) scopes: &'static [&'static str],
}

impl SecurityScheme {
    /// The scheme named `name` in the document, applied as `kind`.
    pub const fn new(name: &'static str, kind: AuthKind) -> Self {
        SecurityScheme {
            name,
            kind,
            flows: &[],
            scopes: &[],
        }
    }
    /// An API key sent in the header `header`.
    pub const fn api_key_header(name: &'static str, header: &'static str) -> Self {
        Self::new(name, AuthKind::ApiKeyHeader(header))
    }
    /// An API key sent as the query parameter `param`.
    pub const fn api_key_query(name: &'static str, param: &'static str) -> Self {
        Self::new(name, AuthKind::ApiKeyQuery(param))
    }
    /// An API key sent as the cookie `cookie`.
    pub const fn api_key_cookie(name: &'static str, cookie: &'static str) -> Self {
        Self::new(name, AuthKind::ApiKeyCookie(cookie))
    }
    /// `Authorization: Bearer …`.
    pub const fn bearer(name: &'static str) -> Self {
        Self::new(name, AuthKind::Bearer)
    }
    /// `Authorization: Basic …`.
    pub const fn basic(name: &'static str) -> Self {
        Self::new(name, AuthKind::Basic)
    }
    /// OAuth 2.0: an access token sent as `Authorization: Bearer …`, given as is or obtained from
    /// the [flows](Self::flows) by a [`crate::TokenProvider`].
    pub const fn oauth2(name: &'static str) -> Self {
        Self::new(name, AuthKind::OAuth2)
    }
    /// Its OAuth 2.0 flows (default: none).
    pub const fn flows(mut self, flows: &'static [OAuthFlow]) -> Self {
        self.flows = flows;
        self
    }
    /// The same scheme as one security requirement uses it, asking for these OAuth 2.0 scopes
    /// (default: none). Generated code writes `&SCHEME.scopes(&[…])` in an operation's
    /// security alternatives.
    pub const fn scopes(mut self, scopes: &'static [&'static str]) -> Self {
        self.scopes = scopes;
        self
    }
    /// The scheme's name in the document: the key of its credential.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// How it is applied.
    pub const fn kind(&self) -> AuthKind {
        self.kind
    }
    /// Its OAuth 2.0 flows.
    pub const fn oauth_flows(&self) -> &'static [OAuthFlow] {
        self.flows
    }
    /// The scopes the requirement asks for.
    pub const fn requested_scopes(&self) -> &'static [&'static str] {
        self.scopes
    }
}

/// The static description of one operation, built in a `static` by generated code, starting
/// from [`get`], [`post`], … (or [`OperationSpec::new`]):
///
/// ```
/// # use sdkwright_runtime::__private as rt;
/// static API_KEY: rt::SecurityScheme = rt::SecurityScheme::api_key_header("api_key", "X-API-Key");
/// static GET_PET: rt::OperationSpec = rt::get("getPetById", "/pets/{petId}")
///     .params(&[rt::path("petId"), rt::query("fields").style(rt::Style::Comma)])
///     .response(rt::ResponseFormat::Json)
///     .security(&[&[&API_KEY]]);
/// assert_eq!(GET_PET.name(), "getPetById");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OperationSpec {
    /// Operation identifier, for error messages.
    pub(crate) name: &'static str,
    /// HTTP method.
    pub(crate) method: Method,
    /// Path template relative to the base URL, `{name}` for path parameters; may be empty.
    pub(crate) path: &'static str,
    /// Parameters.
    pub(crate) params: &'static [ParamSpec],
    /// Request body encoding, if the operation has a body.
    pub(crate) body: Option<BodyFormat>,
    /// Success response decoding.
    pub(crate) response: ResponseFormat,
    /// Security alternatives: the first alternative whose every scheme has a credential is
    /// applied. Empty: no auth.
    pub(crate) security: &'static [&'static [&'static SecurityScheme]],
    /// The error statuses the operation declares, in match order (exact codes, ranges,
    /// `default`), and whether each carries its error body type. Empty: any JSON body.
    pub(crate) errors: &'static [ErrorCase],
    /// The document's default base URL and the operation's own server (`""`: none).
    pub(crate) server: (&'static str, &'static str),
    /// How its responses page, for `.items()`/`.pages()`.
    pub(crate) pagination: Option<crate::paging::Pagination>,
    /// The header the API declares for idempotency keys (`Idempotency-Key`), if any.
    pub(crate) idempotency_header: Option<&'static str>,
}

impl OperationSpec {
    /// The operation `name` (for messages): `method` on `path` (relative to the base URL,
    /// `{name}` for path parameters), without parameters, body, response body or security.
    pub const fn new(name: &'static str, method: Method, path: &'static str) -> Self {
        OperationSpec {
            name,
            method,
            path,
            params: &[],
            body: None,
            response: ResponseFormat::Empty,
            security: &[],
            errors: &[],
            server: ("", ""),
            pagination: None,
            idempotency_header: None,
        }
    }
    /// Its parameters; [`crate::__private::Request::param`] accepts these names only.
    pub const fn params(mut self, params: &'static [ParamSpec]) -> Self {
        self.params = params;
        self
    }
    /// Its request body, encoded as `format`.
    pub const fn body(mut self, format: BodyFormat) -> Self {
        self.body = Some(format);
        self
    }
    /// How its success response is decoded (default: [`ResponseFormat::Empty`]).
    pub const fn response(mut self, format: ResponseFormat) -> Self {
        self.response = format;
        self
    }
    /// Its security alternatives (OR), each a set of schemes applied together (AND). The first
    /// alternative whose every scheme has a credential is applied; none: no auth.
    pub const fn security(
        mut self,
        alternatives: &'static [&'static [&'static SecurityScheme]],
    ) -> Self {
        self.security = alternatives;
        self
    }

    /// The operation's own server `url` (OpenAPI operation- or path-level `servers`), for a
    /// document whose default base URL is `default_base_url`. The rule, applied when the
    /// request is built ([`OperationSpec::base_url`]):
    /// - a relative `url` (`/v2`) is appended to the client's base URL;
    /// - an absolute `url` replaces the client's base URL when that is the document's default
    ///   (Stripe's file uploads go to `files.stripe.com`, GitHub's release assets to
    ///   `uploads.github.com`), and is not used when the client was pointed elsewhere (a proxy,
    ///   a mock server, a test server): every operation then goes to the client's base URL.
    pub const fn server(mut self, default_base_url: &'static str, url: &'static str) -> Self {
        self.server = (default_base_url, url);
        self
    }

    /// The base URL this operation is sent to by a client whose base URL is `client_base`
    /// (see [`OperationSpec::server`]).
    pub fn base_url<'a>(&self, client_base: &'a str) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        let (default, url) = self.server;
        if url.is_empty() {
            return Cow::Borrowed(client_base);
        }
        let absolute = url.starts_with("http://") || url.starts_with("https://");
        if !absolute {
            return Cow::Owned(format!(
                "{}/{}",
                client_base.trim_end_matches('/'),
                url.trim_start_matches('/')
            ));
        }
        if client_base.trim_end_matches('/') == default.trim_end_matches('/') {
            Cow::Owned(url.to_owned())
        } else {
            Cow::Borrowed(client_base)
        }
    }

    /// How its responses page (default: they do not); [`crate::Paged`] follows it.
    pub const fn paginate(mut self, pagination: crate::paging::Pagination) -> Self {
        self.pagination = Some(pagination);
        self
    }

    /// The operation's identifier in the document.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// Its HTTP method.
    pub const fn method(&self) -> Method {
        self.method
    }
    /// Its path template.
    pub const fn path(&self) -> &'static str {
        self.path
    }
    /// The API declares this header (e.g. `Idempotency-Key`) as the operation's idempotency
    /// key: every call carries one (a random UUID unless the caller gives one), the same on
    /// every attempt, so the call is retried even when its method is not idempotent.
    pub const fn idempotency_header(mut self, name: &'static str) -> Self {
        self.idempotency_header = Some(name);
        self
    }
    /// The error statuses it declares, in match order (exact codes, then ranges, then
    /// [`any_status`] for `default`): a response whose status matches a case with a body is
    /// decoded as the operation's error body type. Without cases, any JSON error body is.
    pub const fn errors(mut self, cases: &'static [ErrorCase]) -> Self {
        self.errors = cases;
        self
    }
}

/// An error status (or range of them) an operation declares, and whether its response has a
/// body of the operation's error body type; see [`OperationSpec::errors`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCase {
    lo: u16,
    hi: u16,
    body: bool,
    format: Option<ResponseFormat>,
}

impl ErrorCase {
    /// The declared body is not JSON: it is decoded in this format (an XML error body shaped
    /// by its schema's `xml` objects, text, bytes). A response whose `Content-Type` names JSON
    /// is still read as JSON.
    pub const fn format(mut self, format: ResponseFormat) -> Self {
        self.format = Some(format);
        self
    }
    /// The declared format of its body, when not JSON.
    pub(crate) const fn body_format(&self) -> Option<ResponseFormat> {
        self.format
    }
    /// The declared response has no body (or not the error body type).
    pub const fn no_body(mut self) -> Self {
        self.body = false;
        self
    }
    /// Whether `status` is in this case.
    pub const fn matches(&self, status: u16) -> bool {
        self.lo <= status && status <= self.hi
    }
    /// Whether the response has a body of the error body type.
    pub const fn has_body(&self) -> bool {
        self.body
    }
}

/// One declared error status (`404`).
pub const fn status(code: u16) -> ErrorCase {
    ErrorCase {
        lo: code,
        hi: code,
        body: true,
        format: None,
    }
}

/// A declared status class (`4` for `4XX`).
pub const fn status_class(class: u16) -> ErrorCase {
    ErrorCase {
        lo: class * 100,
        hi: class * 100 + 99,
        body: true,
        format: None,
    }
}

/// The `default` response: any status.
pub const fn any_status() -> ErrorCase {
    ErrorCase {
        lo: 0,
        hi: u16::MAX,
        body: true,
        format: None,
    }
}

/// A GET operation: `OperationSpec::new(name, Method::Get, path)`.
pub const fn get(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Get, path)
}

/// A PUT operation.
pub const fn put(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Put, path)
}

/// A POST operation.
pub const fn post(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Post, path)
}

/// A DELETE operation.
pub const fn delete(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Delete, path)
}

/// An OPTIONS operation.
pub const fn options(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Options, path)
}

/// A HEAD operation.
pub const fn head(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Head, path)
}

/// A PATCH operation.
pub const fn patch(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Patch, path)
}

/// A TRACE operation.
pub const fn trace(name: &'static str, path: &'static str) -> OperationSpec {
    OperationSpec::new(name, Method::Trace, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator writes `.style(…)` only when a parameter's style differs from these
    /// (generator/src/rust/operations.rs, `param_spec`): they must stay OpenAPI's defaults.
    #[test]
    fn location_constructors_carry_openapi_default_styles() {
        assert_eq!(path("a"), ParamSpec::new("a", Location::Path, Style::Comma));
        assert_eq!(
            query("a"),
            ParamSpec::new("a", Location::Query, Style::FormExploded)
        );
        assert_eq!(
            header("a"),
            ParamSpec::new("a", Location::Header, Style::Comma)
        );
        assert_eq!(
            cookie("a"),
            ParamSpec::new("a", Location::Cookie, Style::FormExploded)
        );
        assert_eq!(query("a").style(Style::DeepObject).style, Style::DeepObject);
    }

    #[test]
    fn negotiated_responses_accept_all_and_decode_by_content_type() {
        static XML: crate::xml::XmlBody = crate::xml::xml_body(
            "application/xml",
            crate::xml::xml_field("", crate::xml::XmlKind::Any),
        );
        static F: ResponseFormat = ResponseFormat::negotiate(&[
            ("application/json", ResponseFormat::Json),
            ("application/xml", ResponseFormat::Xml(&XML)),
            ("text/plain", ResponseFormat::Text),
        ]);
        assert_eq!(
            F.accept().as_deref(),
            Some("application/json, application/xml;q=0.9, text/plain;q=0.9")
        );
        let xml = ResponseFormat::Xml(&XML);
        for (ct, want) in [
            (Some("application/xml; charset=utf-8"), xml),
            (Some("Application/XML"), xml),
            (Some("application/problem+xml"), xml),
            (Some("application/vnd.x+json"), ResponseFormat::Json),
            (Some("text/plain"), ResponseFormat::Text),
            (Some("image/png"), ResponseFormat::Json),
            (None, ResponseFormat::Json),
        ] {
            assert_eq!(F.for_content_type(ct), want, "{ct:?}");
        }
        assert_eq!(
            ResponseFormat::Text.for_content_type(Some("application/json")),
            ResponseFormat::Text
        );
    }

    #[test]
    fn operation_servers() {
        static FILES: OperationSpec =
            post("f", "/v1/files").server("https://api.x.com/", "https://files.x.com");
        static REL: OperationSpec = get("r", "/a").server("https://api.x.com", "/v2");
        static NONE: OperationSpec = get("n", "/a");
        assert_eq!(FILES.base_url("https://api.x.com"), "https://files.x.com");
        assert_eq!(
            FILES.base_url("http://127.0.0.1:4010"),
            "http://127.0.0.1:4010"
        );
        assert_eq!(
            REL.base_url("http://127.0.0.1:4010/"),
            "http://127.0.0.1:4010/v2"
        );
        assert_eq!(NONE.base_url("https://api.x.com"), "https://api.x.com");
    }

    #[test]
    fn builder_defaults_and_setters() {
        static S: SecurityScheme = SecurityScheme::bearer("b");
        static OP: OperationSpec = post("op", "/x/{id}")
            .params(&[path("id")])
            .body(BodyFormat::graphql("query Q { a }", "Q"))
            .response(ResponseFormat::GraphQl)
            .security(&[&[&S]]);
        static BARE: OperationSpec = delete("bare", "");
        assert_eq!(
            (OP.name(), OP.method(), OP.path()),
            ("op", Method::Post, "/x/{id}")
        );
        assert_eq!(OP.params, &[path("id")]);
        assert!(matches!(
            OP.body,
            Some(BodyFormat::GraphQl {
                query: "query Q { a }",
                operation_name: "Q",
                kind: GraphQlKind::Unknown,
                sha256: "",
            })
        ));
        assert_eq!(OP.response, ResponseFormat::GraphQl);
        assert_eq!(OP.security[0][0].kind, AuthKind::Bearer);
        assert_eq!(BARE.method(), Method::Delete);
        assert!(BARE.params.is_empty() && BARE.body.is_none() && BARE.security.is_empty());
        assert_eq!(BARE.response, ResponseFormat::Empty);
        assert_eq!(
            BodyFormat::soap(SoapVersion::V12, "urn:a", "urn:ns", "El"),
            BodyFormat::Soap {
                version: SoapVersion::V12,
                action: "urn:a",
                namespace: "urn:ns",
                element: "El",
                addressing: "",
            }
        );
        assert!(matches!(
            BodyFormat::soap(SoapVersion::V11, "a", "", "E").ws_addressing("urn:act"),
            BodyFormat::Soap {
                addressing: "urn:act",
                action: "a",
                ..
            }
        ));
        assert_eq!(
            BodyFormat::Json("application/json").ws_addressing("x"),
            BodyFormat::Json("application/json")
        );
    }
}
