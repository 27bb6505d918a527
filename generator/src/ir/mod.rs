//! The one language-neutral API model.
//!
//! Every front end (OpenAPI, GraphQL, WSDL) lowers its documents into an [`Api`]; the Rust back end
//! reads only this. Nothing here knows which format a value came from: names are the wire names of
//! the API (the back end turns them into Rust identifiers), documentation is plain text or
//! CommonMark, and protocol details are expressed in protocol-neutral terms (an HTTP method and
//! path template, a request body encoding, a status table).
//!
//! Types live in an arena ([`Api::types`]) and are referred to by [`TypeId`], so recursive and
//! mutually recursive schemas need no special casing in the model; the `analysis` passes mark the
//! edges that must be boxed.

pub(crate) mod defaults;
pub(crate) mod prune;

pub(crate) use defaults::default_fits;

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TypeId(pub u32);

/// Index of a [`SecurityScheme`] in [`Api::security_schemes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SchemeId(pub u32);

mod paging;
pub(crate) use paging::{PageStyle, Pagination};

/// A whole API: what one generated crate exposes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Api {
    /// Human title (`info.title`, the GraphQL schema file stem, the WSDL service name).
    pub(crate) title: String,
    /// API version string (`info.version`), if the document gives one.
    pub(crate) version: Option<String>,
    /// Top-level description, CommonMark.
    pub(crate) docs: Option<String>,
    /// Base URLs in document order; the first is the default.
    pub(crate) servers: Vec<Server>,
    /// Named types; `TypeId(i)` is `types[i]`.
    pub(crate) types: Vec<TypeDef>,
    /// Operations in document order.
    pub(crate) operations: Vec<Operation>,
    /// Authentication schemes; `SchemeId(i)` is `security_schemes[i]`.
    pub(crate) security_schemes: Vec<SecurityScheme>,
    /// Security requirements that apply to operations that do not state their own.
    pub(crate) default_security: Vec<SecurityRequirement>,
    /// Pagination by operation index (front ends record vendor extensions; `crate::paging`
    /// adds well-known shapes and the `--paginate` overrides).
    pub(crate) paging: std::collections::BTreeMap<usize, Pagination>,
    /// The event type of a `text/event-stream` success response, by operation index.
    pub(crate) events: std::collections::BTreeMap<usize, TypeRef>,
    /// Requests the API sends to the client's own server (OpenAPI 3.1 `webhooks`), in document
    /// order: generated as payload types and one enum that decodes a received body by webhook.
    pub(crate) webhooks: Vec<Webhook>,
    /// Types the document marks deprecated (OpenAPI `deprecated: true` on a schema).
    pub(crate) deprecated_types: std::collections::BTreeSet<TypeId>,
    /// XML names of struct fields (OpenAPI `xml` objects) by type and field index, for the
    /// types of XML bodies ([`BodyEncoding::Xml`]); a field without an entry is an element
    /// named by its wire name.
    pub(crate) xml_fields: std::collections::BTreeMap<(TypeId, usize), XmlNode>,
    /// The headers its success responses declare, by operation index (document order, one per
    /// name).
    pub(crate) response_headers: std::collections::BTreeMap<usize, Vec<ResponseHeader>>,
    /// The request bodies an operation offers besides [`Operation::body`] (other media types),
    /// by operation index, in order of preference.
    pub(crate) body_alternatives: std::collections::BTreeMap<usize, Vec<RequestBody>>,
    /// The other media types the success response that decides the success type is offered
    /// in with the same schema (content negotiation), by operation index, in order of
    /// preference.
    pub(crate) response_alternatives: std::collections::BTreeMap<usize, Vec<BodyEncoding>>,
    /// The same for error responses: the other media types an error response (by operation
    /// index and status) is offered in with the same schema, in order of preference; the
    /// response's `Content-Type` picks the one its body is decoded with.
    pub(crate) error_alternatives:
        std::collections::BTreeMap<(usize, StatusMatch), Vec<BodyEncoding>>,
    /// XML Schema shapes of SOAP models that the plain model does not say (WSDL front end only).
    pub(crate) xsd: XsdShapes,
    /// Set by `analysis::defaults`, by type index: whether a request reaches the type (a
    /// parameter, a request body, a SOAP header, or a type they contain). Empty before the
    /// pass: every type counts as sent.
    pub(crate) sent: Vec<bool>,
}

/// What the SOAP back end needs to know about XSD types beyond their model shape.
#[derive(Debug, Clone, Default)]
pub(crate) struct XsdShapes {
    /// Unions whose variants are XML elements (a repeated `xs:choice` or model group, a
    /// substitution group), with the element of each variant (same index): externally tagged
    /// by the element's local name (in JSON `{"Name": value}`). A struct field typed as one (or
    /// a list of one) holds those elements directly, in document order, not an element of its
    /// own.
    pub(crate) element_unions: std::collections::BTreeMap<TypeId, Vec<XmlName>>,
    /// Aliases of a list type that are `xs:list`s: one element (or attribute) whose text is the
    /// items separated by spaces.
    pub(crate) lists: std::collections::BTreeSet<TypeId>,
    /// Structs from a complex type with simple content: their first field is the element's
    /// text, the others its attributes.
    pub(crate) text_content: std::collections::BTreeSet<TypeId>,
    /// Unions of the types derived from an abstract complex type, with each variant's type
    /// (same index): the value of an element declared with the abstract type, which names its
    /// actual type with `xsi:type` (externally tagged by the type's local name in JSON).
    pub(crate) xsi_unions: std::collections::BTreeMap<TypeId, Vec<XmlName>>,
}

/// A header a response declares.
#[derive(Debug, Clone)]
pub(crate) struct ResponseHeader {
    /// Wire name, as the document spells it.
    pub(crate) name: String,
    /// Type of its value.
    pub(crate) ty: TypeRef,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
}

/// How a value is named in an XML body (OpenAPI's `xml` object, resolved by the front end).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct XmlNode {
    /// Element (or attribute) name.
    pub(crate) name: String,
    /// Namespace URI, if any.
    pub(crate) namespace: Option<String>,
    /// Prefix the namespace is written with (none: the default namespace).
    pub(crate) prefix: Option<String>,
    /// An attribute of the parent element.
    pub(crate) attribute: bool,
    /// A list inside one element of [`XmlNode::name`] (`wrapped: true`).
    pub(crate) wrapped: bool,
    /// For lists: name, namespace and prefix of the item elements.
    pub(crate) item: Option<(String, Option<String>, Option<String>)>,
}

/// A webhook: a request the API makes to a server of the client's (OpenAPI 3.1 `webhooks`).
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    /// The webhook's name in the document (the key under `webhooks`), the event it reports.
    pub(crate) name: String,
    /// Summary and description, CommonMark.
    pub(crate) docs: Option<String>,
    /// The type of the request body (JSON); [`TypeRef::Any`] when the document gives none.
    pub(crate) payload: TypeRef,
    /// Marked deprecated.
    pub(crate) deprecated: bool,
    /// Where the webhook was defined, `file#/json/pointer`.
    pub(crate) origin: String,
}

impl Api {
    /// The type a [`TypeId`] names.
    pub(crate) fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0 as usize]
    }

    /// The enum of one value (a `const`, or an `enum` of one member) that `ty` is, through
    /// aliases: what a required field or parameter of that type can only be.
    pub(crate) fn one_value(&self, ty: &TypeRef) -> Option<TypeId> {
        let mut ty = ty;
        // An alias chain longer than this is a cycle (reported elsewhere).
        for _ in 0..64 {
            let TypeRef::Named(id) = ty else {
                return None;
            };
            match &self.types.get(id.0 as usize)?.kind {
                TypeKind::Alias(inner) => ty = inner,
                TypeKind::Enum(e) if e.values.len() == 1 => return Some(*id),
                _ => return None,
            }
        }
        None
    }

    /// Mutable access to the type a [`TypeId`] names.
    pub(crate) fn ty_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.types[id.0 as usize]
    }

    /// Adds a type and returns its id.
    pub(crate) fn add_type(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(def);
        id
    }
}

/// A server (base URL) the API is reachable at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server {
    /// The URL, with any `{variables}` already substituted by their defaults.
    pub(crate) url: String,
    /// Description of this server.
    pub(crate) docs: Option<String>,
}

/// Where a name came from. A [`Name::Derived`] name yields to a [`Name::Given`] one in a collision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Name {
    /// Named in the document (a schema key, a GraphQL type name, an XSD complexType name).
    Given(String),
    /// Made up by the front end from the context (e.g. `Pet` + `owner` for an inline schema).
    /// Parts are joined by the back end in its own casing convention.
    Derived(Vec<String>),
}

impl Name {
    /// The name as one string, parts joined with `_` (for diagnostics and sorting).
    pub(crate) fn display(&self) -> String {
        match self {
            Name::Given(s) => s.clone(),
            Name::Derived(parts) => parts.join("_"),
        }
    }
}

/// A named type.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    /// The type's name before language-specific casing.
    pub(crate) name: Name,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
    /// Where the type was defined, as `file#/json/pointer` (for diagnostics and generated docs).
    pub(crate) origin: String,
    /// What the type is.
    pub(crate) kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub(crate) enum TypeKind {
    /// A record of named fields (an object schema, a GraphQL object or input, an XSD complex type).
    Struct(StructDef),
    /// A closed set of values; generated clients keep an open fallback for unknown values.
    Enum(EnumDef),
    /// Exactly one of several types (`oneOf`/`anyOf`, a GraphQL union, an `xs:choice`).
    Union(UnionDef),
    /// Another name for a type expression (e.g. a named array or primitive schema).
    Alias(TypeRef),
}

/// A record type.
#[derive(Debug, Clone, Default)]
pub(crate) struct StructDef {
    /// Fields in document order.
    pub(crate) fields: Vec<Field>,
    /// Type of extra properties (`additionalProperties: {schema}`), kept in a flattened map.
    pub(crate) additional: Option<TypeRef>,
    /// XML namespace of the element this type is serialized as, when the wire format is XML.
    pub(crate) xml_namespace: Option<String>,
    /// Indexes into `fields` of the fields whose value sits *beside* this struct's own fields on
    /// the wire rather than under a key (a GraphQL named fragment spread: the field's name is the
    /// fragment's, its type the fragment's shared type; an OpenAPI `allOf` member that is a
    /// union: its type the union). Each is required and not nullable. Its
    /// keys may overlap the struct's own keys and each other's (`id` selected twice): every
    /// reader sees the whole object.
    pub(crate) flatten: Vec<usize>,
}

/// A field of a [`StructDef`].
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The wire name (JSON property, GraphQL field, XML element or attribute name).
    pub(crate) name: String,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
    /// The field's type.
    pub(crate) ty: TypeRef,
    /// Must be present on the wire. A non-required field becomes optional in generated code.
    pub(crate) required: bool,
    /// May be `null` on the wire even when present.
    pub(crate) nullable: bool,
    /// Marked deprecated in the document.
    pub(crate) deprecated: bool,
    /// Set by `analysis::cycles` (this field closes a cycle of by-value containment) and by
    /// `analysis::size` (the field's type is large and the struct would be too): the field is
    /// boxed. Front ends leave it `false`.
    pub(crate) boxed: bool,
    /// Serialized as an XML attribute rather than a child element (XML wire formats only).
    pub(crate) xml_attribute: bool,
    /// The element's own XML namespace when it differs from its struct's
    /// [`StructDef::xml_namespace`] (`Some("")`: no namespace); `None` inherits the struct's.
    /// For an attribute (`xml_attribute`), its namespace when it is qualified (`None`: none).
    pub(crate) xml_namespace: Option<String>,
    /// The value the API takes for the field when it is absent (JSON Schema `default`), as
    /// JSON; front ends set only a value that fits the field's type ([`default_fits`]).
    pub(crate) default: Option<serde_json::Value>,
    /// Set by `analysis::defaults`: the field is optional, has a [`Field::default`], and its
    /// type is only ever received (no request reaches it), so an absent value is read as the
    /// default and the field is a plain value rather than an optional one (a nullable one, then
    /// [`Field::nullable`] and no longer of type [`TypeRef::Nullable`], is an `Option` that is
    /// `Some(default)` when absent and `None` when `null`). Front ends leave it `false`.
    pub(crate) default_applied: bool,
}

impl Field {
    /// A plain field: no docs, not nullable, not deprecated, not boxed, named on the wire as in
    /// JSON (no XML attribute or namespace). Set the others with struct update syntax.
    pub(crate) fn new(name: impl Into<String>, ty: TypeRef, required: bool) -> Self {
        Field {
            name: name.into(),
            docs: None,
            ty,
            required,
            nullable: false,
            deprecated: false,
            boxed: false,
            xml_attribute: false,
            xml_namespace: None,
            default: None,
            default_applied: false,
        }
    }
}

/// An enum of string, integer, number or boolean values.
#[derive(Debug, Clone, Default)]
pub(crate) struct EnumDef {
    /// Allowed values, wire form, document order, no duplicates.
    pub(crate) values: Vec<EnumValue>,
    /// The JSON type of the values.
    pub(crate) kind: EnumKind,
}

/// The type of an [`EnumDef`]'s values on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum EnumKind {
    /// Strings ([`EnumValue::wire`] is the string).
    #[default]
    String,
    /// Integers that fit `i64` (`wire` is the decimal text, e.g. `-1`).
    Integer,
    /// Numbers (`wire` is the JSON text, e.g. `1.5`; it parses as `f64`).
    Number,
    /// Booleans (`wire` is `true` or `false`).
    Boolean,
}

/// One allowed value of an [`EnumDef`].
#[derive(Debug, Clone)]
pub(crate) struct EnumValue {
    /// The value as sent on the wire.
    pub(crate) wire: String,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
}

/// A tagged or untagged union.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnionDef {
    /// Alternatives in document order.
    pub(crate) variants: Vec<UnionVariant>,
    /// Property that names the alternative (`discriminator.propertyName`, GraphQL `__typename`).
    /// `None` means untagged: the first alternative that deserializes wins.
    pub(crate) discriminator: Option<String>,
    /// The last variant is the catch-all of a tagged union: it is decoded for every tag no other
    /// variant names (a GraphQL `__typename` the selection did not pick out, or a type added to
    /// the schema later).
    pub(crate) fallback: bool,
}

/// One alternative of a [`UnionDef`].
#[derive(Debug, Clone)]
pub(crate) struct UnionVariant {
    /// Name of the alternative before casing (usually the referenced type's name).
    pub(crate) name: String,
    /// Discriminator value selecting this alternative, when the union is tagged.
    pub(crate) tag: Option<String>,
    /// Type carried by the alternative.
    pub(crate) ty: TypeRef,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
    /// Set by `analysis::size`: the alternative's type is large, so it is held in a `Box`.
    /// Front ends leave it `false`.
    pub(crate) boxed: bool,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TypeRef {
    /// A built-in scalar.
    Primitive(Primitive),
    /// A named type.
    Named(TypeId),
    /// An ordered list.
    List(Box<TypeRef>),
    /// A map from string keys to values.
    Map(Box<TypeRef>),
    /// Any JSON value: the documented fallback for what cannot be typed.
    Any,
    /// A value that may be `null` (a GraphQL list item `[T]`). As the type of a field that is
    /// not `required`, absent and `null` are distinct states (a GraphQL nullable input field:
    /// `null` clears, absent leaves alone); the back end keeps them apart.
    Nullable(Box<TypeRef>),
    /// A type the user named by option for a type the document leaves open (a GraphQL custom
    /// scalar mapped with `--scalar NAME=TYPE`), spelled in the target language; the back end
    /// parses it (it was validated when the option was read).
    External(String),
}

/// Built-in scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Primitive {
    /// Text.
    String,
    /// true/false.
    Bool,
    /// 32-bit signed integer.
    I32,
    /// 64-bit signed integer (also the default for an integer without format).
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float (also the default for a number without format).
    F64,
    /// RFC 3339 date-time, carried as a string on the wire.
    DateTime,
    /// RFC 3339 full-date, carried as a string on the wire.
    Date,
    /// UUID, carried as a string on the wire.
    Uuid,
    /// Base64-encoded bytes inside a text format (`format: byte`, `xs:base64Binary`).
    Base64,
    /// Raw bytes (`format: binary`), for whole bodies.
    Binary,
    /// A file part of a `multipart/form-data` body: bytes with a file name and a content type
    /// (a `format: binary` property of a multipart body's schema).
    File,
}

/// An operation: one method on the generated client.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// Stable identifier (`operationId`, GraphQL operation name, WSDL operation name), or a name
    /// derived from method and path when the document gives none.
    pub(crate) name: Name,
    /// One-line summary.
    pub(crate) summary: Option<String>,
    /// Longer description, CommonMark.
    pub(crate) docs: Option<String>,
    /// Marked deprecated.
    pub(crate) deprecated: bool,
    /// Grouping tags (OpenAPI tags), document order.
    pub(crate) tags: Vec<String>,
    /// Where the operation was defined, `file#/json/pointer`.
    pub(crate) origin: String,
    /// HTTP method of the request on the wire.
    pub(crate) method: Method,
    /// Path template relative to the server URL, with `{name}` placeholders for path
    /// parameters (the wire names). `""` for protocols that post to the endpoint itself.
    pub(crate) path: String,
    /// Parameters in document order.
    pub(crate) params: Vec<Param>,
    /// Request body, if any.
    pub(crate) body: Option<RequestBody>,
    /// Declared responses.
    pub(crate) responses: Vec<Response>,
    /// Alternatives of security requirements: any one alternative suffices. `None` means the
    /// API's [`Api::default_security`] applies; `Some(vec![])` means no auth.
    pub(crate) security: Option<Vec<SecurityRequirement>>,
    /// The operation's own server (OpenAPI operation- or path-level `servers`, the first one,
    /// variables substituted), when it has one.
    pub(crate) server: Option<String>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Method {
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
    /// The method as sent on the wire (`GET`).
    pub(crate) fn as_str(self) -> &'static str {
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
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    /// Wire name.
    pub(crate) name: String,
    /// Where it goes.
    pub(crate) location: ParamLocation,
    /// Must be given. Path parameters are always required.
    pub(crate) required: bool,
    /// Type of the value.
    pub(crate) ty: TypeRef,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
    /// Marked deprecated.
    pub(crate) deprecated: bool,
    /// For lists (and objects in `deep_object` style): how the value is spread on the wire.
    pub(crate) style: ParamStyle,
    /// A query value keeps RFC 3986 reserved characters unencoded (OpenAPI `allowReserved`).
    pub(crate) allow_reserved: bool,
    /// The value the server takes when the parameter is not sent (its schema's `default`),
    /// documented on its setter; only a value that fits [`Param::ty`] ([`default_fits`]).
    pub(crate) default: Option<serde_json::Value>,
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ParamLocation {
    /// Substituted into the path template, percent-encoded.
    Path,
    /// A query string pair.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How list and object parameter values are serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum ParamStyle {
    /// `a=1&a=2` (OpenAPI `form`, `explode: true`, the default for query).
    #[default]
    FormExploded,
    /// `a=1,2` (OpenAPI `form` with `explode: false`, and `simple` for path and header).
    Comma,
    /// `a[x]=1&a[y]=2`, lists by index (OpenAPI `deepObject`, as Stripe's libraries send it).
    DeepObject,
    /// Objects `k=v,k2=v2` (OpenAPI `simple` with `explode: true`).
    SimpleExploded,
    /// `a=1 2` (OpenAPI `spaceDelimited`).
    SpaceDelimited,
    /// `a=1|2` (OpenAPI `pipeDelimited`).
    PipeDelimited,
    /// `.1,2` (OpenAPI `label`).
    Label,
    /// `.1.2` (OpenAPI `label` with `explode: true`).
    LabelExploded,
    /// `;id=1,2` (OpenAPI `matrix`).
    Matrix,
    /// `;id=1;id=2` (OpenAPI `matrix` with `explode: true`).
    MatrixExploded,
}

/// How one property of a form or multipart body is encoded (OpenAPI `encoding`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FieldEncoding {
    /// The property's wire name.
    pub(crate) name: String,
    /// Style of its lists and objects (form bodies).
    pub(crate) style: ParamStyle,
    /// Content type of its part (multipart bodies).
    pub(crate) content_type: Option<String>,
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) struct RequestBody {
    /// The body's type.
    pub(crate) ty: TypeRef,
    /// Must be sent.
    pub(crate) required: bool,
    /// How the body is encoded.
    pub(crate) encoding: BodyEncoding,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
}

/// Wire encodings of a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum BodyEncoding {
    /// `application/json` or a `+json` media type; the media type is kept for `Content-Type`.
    Json {
        /// Media type sent as `Content-Type` / expected in `Accept`.
        media_type: String,
    },
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/x-www-form-urlencoded` with every property in `deepObject` style (Stripe).
    FormDeepObject,
    /// `application/x-www-form-urlencoded` with these property encodings.
    FormFields(Vec<FieldEncoding>),
    /// `multipart/form-data` with these property encodings.
    Multipart(Vec<FieldEncoding>),
    /// Plain text (`text/*`).
    Text {
        /// Media type.
        media_type: String,
    },
    /// Raw bytes (`application/octet-stream` and other binary types).
    Binary {
        /// Media type.
        media_type: String,
    },
    /// A GraphQL request: `{"query", "variables", "operationName"}` posted as JSON; the
    /// response is `{"data", "errors"}` and the typed body is `data`.
    GraphQl {
        /// The full operation document sent as `query`.
        document: String,
        /// The operation's name in the document.
        operation_name: String,
        /// Query, mutation or subscription.
        kind: GraphQlKind,
    },
    /// XML (`application/xml`, `text/xml`, `+xml`) named per the schemas' `xml` objects; the
    /// struct fields' names are in [`Api::xml_fields`].
    Xml {
        /// Media type.
        media_type: String,
        /// The root element (for a list body: the wrapper, with its items' names).
        root: XmlNode,
    },
    /// A SOAP envelope around an XML body element.
    Soap {
        /// SOAP version of the binding.
        version: SoapVersion,
        /// `SOAPAction` (1.1 header, 1.2 `action` media-type parameter); may be empty.
        action: String,
        /// Qualified name of the body element of the request.
        element: XmlName,
        /// `soap:header` parts: of the request (in a request body), or of the response (in a
        /// success response: read from the response envelope's `Header` into the operation's
        /// typed headers).
        headers: Vec<SoapHeader>,
        /// WS-Addressing: the `wsa:Action` of the request when the binding uses WS-Addressing
        /// (`wsa:Action`, `wsa:MessageID` and `wsa:To` headers are then sent); `None` otherwise
        /// (always `None` in responses).
        addressing: Option<String>,
    },
}

/// The kind of a GraphQL operation: a query may be sent as GET, a subscription over a WebSocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum GraphQlKind {
    /// `query` (or a bare selection set).
    Query,
    /// `mutation`.
    Mutation,
    /// `subscription`: a stream of results.
    Subscription,
}

impl BodyEncoding {
    /// A short word naming this kind of body among the alternatives of one request body
    /// (`json`, `form`, `multipart`, `xml`, `text`; other JSON types by their subtype without
    /// `+json`, `merge_patch`, and binary types by their subtype, `octet_stream`): at most one
    /// alternative per word.
    pub(crate) fn choice_key(&self) -> String {
        let subtype = |mt: &str| {
            let essence = media_essence(mt);
            let sub = essence.split_once('/').map_or(essence.as_str(), |(_, s)| s);
            let sub = sub.strip_suffix("+json").unwrap_or(sub);
            let word: String = sub
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let word = word.trim_matches('_').to_owned();
            if word.is_empty() {
                "other".to_owned()
            } else {
                word
            }
        };
        match self {
            BodyEncoding::Json { media_type } => subtype(media_type),
            BodyEncoding::Form | BodyEncoding::FormDeepObject | BodyEncoding::FormFields(_) => {
                "form".into()
            }
            BodyEncoding::Multipart(_) => "multipart".into(),
            BodyEncoding::Xml { .. } => "xml".into(),
            BodyEncoding::Text { .. } => "text".into(),
            BodyEncoding::Binary { media_type } => subtype(media_type),
            BodyEncoding::GraphQl { .. } => "graphql".into(),
            BodyEncoding::Soap { .. } => "soap".into(),
        }
    }
}

/// A `soap:header` part of a SOAP request: one element of the envelope's `Header`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SoapHeader {
    /// The part's name (the generated setter is named after it).
    pub(crate) name: String,
    /// Qualified name of the header element.
    pub(crate) element: XmlName,
    /// The element's type.
    pub(crate) ty: TypeRef,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
}

/// SOAP protocol versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SoapVersion {
    /// SOAP 1.1 (`text/xml`, `SOAPAction` header).
    V11,
    /// SOAP 1.2 (`application/soap+xml`).
    V12,
}

/// A namespace-qualified XML name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct XmlName {
    /// Namespace URI, if qualified.
    pub(crate) namespace: Option<String>,
    /// Local name.
    pub(crate) local: String,
}

/// Which statuses a [`Response`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum StatusMatch {
    /// Exactly this status.
    Code(u16),
    /// A whole class: `Range(4)` is 400–499.
    Range(u8),
    /// Every status not covered otherwise.
    Default,
}

/// A declared response.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// Statuses this response covers.
    pub(crate) status: StatusMatch,
    /// Body type, if the response has a typed body.
    pub(crate) ty: Option<TypeRef>,
    /// How the body is encoded (meaningful when `ty` is `Some`).
    pub(crate) encoding: BodyEncoding,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
}

impl Response {
    /// True for 2xx codes and the 2XX range.
    pub(crate) fn is_success(&self) -> bool {
        match self.status {
            StatusMatch::Code(c) => (200..300).contains(&c),
            StatusMatch::Range(r) => r == 2,
            StatusMatch::Default => false,
        }
    }
}

impl Operation {
    /// The header parameter that carries the operation's idempotency key, if it declares one:
    /// `Idempotency-Key` or `X-Idempotency-Key` (any case). The runtime then sends a key on
    /// every call (a random one unless the caller gives it) and retries the call even when its
    /// method is not idempotent. No vendor extension is read: none of the corpus's documents
    /// uses one.
    pub(crate) fn idempotency_header(&self) -> Option<&str> {
        self.params
            .iter()
            .find(|p| {
                p.location == ParamLocation::Header
                    && ["idempotency-key", "x-idempotency-key"]
                        .iter()
                        .any(|h| p.name.eq_ignore_ascii_case(h))
            })
            .map(|p| p.name.as_str())
    }
}

/// One alternative of security requirements: every scheme listed must be applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct SecurityRequirement {
    /// Schemes applied together.
    pub(crate) schemes: Vec<SchemeId>,
    /// The scopes (OAuth 2.0) or roles asked of each scheme, parallel to `schemes` (may be
    /// shorter: missing means none).
    pub(crate) scopes: Vec<Vec<String>>,
}

/// An authentication scheme.
#[derive(Debug, Clone)]
pub(crate) struct SecurityScheme {
    /// Name of the scheme in the document (e.g. `api_key`, `bearerAuth`).
    pub(crate) name: String,
    /// Description, CommonMark.
    pub(crate) docs: Option<String>,
    /// How credentials are applied.
    pub(crate) kind: SecurityKind,
}

/// How a scheme applies credentials.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum SecurityKind {
    /// An API key in a header.
    ApiKeyHeader {
        /// Header name.
        header: String,
    },
    /// An API key in the query string.
    ApiKeyQuery {
        /// Query parameter name.
        param: String,
    },
    /// An API key in a cookie.
    ApiKeyCookie {
        /// Cookie name.
        cookie: String,
    },
    /// `Authorization: Bearer <token>` (also used for OAuth2 and OpenID Connect access tokens).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// OAuth 2.0: an access token sent as `Authorization: Bearer`, given by the user or obtained
    /// from one of these flows' token endpoints.
    OAuth2 {
        /// The flows that have a token endpoint (in document order).
        flows: Vec<OAuthFlow>,
    },
}

/// An OAuth 2.0 flow with a token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OAuthFlow {
    /// The grant.
    pub(crate) kind: OAuthFlowKind,
    /// Token endpoint, possibly relative to the server URL.
    pub(crate) token_url: String,
    /// Refresh endpoint when it differs from the token endpoint.
    pub(crate) refresh_url: Option<String>,
    /// The scopes the flow offers: name and description.
    pub(crate) scopes: Vec<(String, String)>,
}

/// OAuth 2.0 grants that have a token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OAuthFlowKind {
    /// `client_credentials`.
    ClientCredentials,
    /// `authorization_code`.
    AuthorizationCode,
    /// Resource owner `password`.
    Password,
    /// Device authorization (RFC 8628).
    DeviceAuthorization,
}

/// A media type's essence: the type and subtype, lower case, without parameters
/// (`Application/JSON; charset=utf-8` -> `application/json`).
pub(crate) fn media_essence(mt: &str) -> String {
    mt.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
