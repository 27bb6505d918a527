//! The version of the contract between generated code and this runtime, and its compile-time
//! check.

/// The contract version this runtime speaks: what generated code may call, and how.
///
/// The generator writes the version it generates for into every crate
/// (`const _: () = ::sdkwright_runtime::__private::require_contract(N);`). It is bumped when
/// generated code starts relying on something new in the runtime (a new constructor or builder
/// method), so that an older runtime refuses newer generated code with a readable message
/// instead of a "no method named …" error. Adding a field with a default to a spec type does
/// not bump it: crates generated before keep compiling.
///
/// History: 1, the first; 2, OAuth 2.0 (`SecurityScheme::oauth2`, `.flows`, `.scopes`,
/// `OAuthFlow`, `OAuth2`, `Credential::token_provider`, `TokenProvider`);
/// 3, GraphQL tri-state inputs (`Nullable`);
/// 4, `OperationSpec::idempotency_header` (the API declares the operation's idempotency key
/// header), `ClientBuilder::interceptor` and `idempotency_keys`, `Interceptor` in `__private`;
/// per-call options (`CallOptions`, `Request::options`), `send_with_response`
/// (`Response::with_response`, `ApiResponse`), the client builder's `http_client`, `transport`
/// (`Transport`, the `reqwest` re-export), `default_header`, `default_secret_header`;
/// one error type: `Client::call`/`call_bytes` and their `_with_response` forms (errors as
/// `Error<ApiError<B>>`), `OperationSpec::errors` with `status`/`status_class`/`any_status`
/// and `ErrorCase::no_body`, the `ErrorBody` trait for generated error body enums, `ApiError`,
/// `SoapFault` and `Value` in `__private` (contract 1..3 crates keep compiling: `execute`,
/// `FromErrorResponse` and `Response::decode` stay);
/// SOAP: `SoapMessage` (typed `soap:header` parts in the envelope's `Header`);
/// pagination and streaming (`OperationSpec::paginate`, `Pagination`, `Paged::items`,
/// `Paged::pages`, `Client::execute_stream`, `Client::execute_events`, `ByteStream`,
/// `EventStream`);
/// also 4, on the wire: `Style` variants (`SimpleExploded`, `SpaceDelimited`, `PipeDelimited`,
/// `Label[Exploded]`, `Matrix[Exploded]`), `ParamSpec::allow_reserved`, `field`/`FieldEncoding`,
/// `BodyFormat::form_deep_object`/`form`/`multipart`, `Request::body_file`, `FilePart`;
/// 5, SOAP (soap): `ClientBuilder::ws_security` and `UsernameToken` (WS-Security UsernameToken
/// setters of SOAP client builders); `Fault<D>` and `FaultDetail` (typed fault detail of
/// operations with declared faults), `SoapFault::detail_element`; `xsd::{value, option, list,
/// option_list}` (XSD date/time lexical forms in SOAP models); `XmlNames` and
/// `SoapMessage::xml_names` (SOAP models' XML names in a table, their serde names plain);
/// 5, GraphQL: `BodyFormat::graphql_operation` with `GraphQlKind` and the document's SHA-256
/// (GET queries, automatic persisted queries), `Client::subscribe` and `Subscription`
/// (feature `graphql-ws`) for subscriptions;
/// 5, OpenAPI (oaswire): XML bodies (`BodyFormat::xml`, `ResponseFormat::xml`, `xml_body`,
/// `xml_field`, `xml_type`, `XmlShape`, `XmlKind`), typed response headers (`ApiResponse<T, H>`,
/// `ApiResponse::map_headers`/`typed_headers`, `header_value`), the caller's choice among
/// request media types (`Request::body_in`), content negotiation (`ResponseFormat::negotiate`);
/// 6, SOAP XSD (xsd): `xsd::{list_text, option_list_text, list_items, option_list_items}`
/// (`xs:list` values, space-separated), `xsd::{XsiTyped, xsi_typed}` (unions of the types
/// derived from an abstract one, read by `xsi:type`; `xsi:`-marked `XmlNames` rows), and in
/// `XmlNames` rows for element unions (repeated `xs:choice`, substitution groups) with
/// `$value`/`$text` field keys the envelope writer reads;
/// 6, request builders (opsize): `Call` (the client and per-call options a builder holds),
/// `Prepared` (its request, with `send`, `send_with_response`, `send_with_headers`,
/// `send_bytes*`, `items`, `pages`, `stream`, `events`), `ResponseFuture` (what `send()`
/// returns: one boxed non-generic future per call, decoding done when it completes) and the
/// `ResponseHeaders` trait of generated typed-header structs, the `customize!` macro that
/// writes every builder's `customize`;
/// 6, SOAP (wsdl): `soap_header` (typed SOAP response headers, read from the envelope's
/// `Header` kept in `ApiResponse::soap_header_xml`);
/// 6, types (typesize): string enums implemented by the `string_enum!` macro over the enum's
/// `VALUES` table (`StringEnum`, `enum_as_str`, `enum_from_str`, `enum_deserialize`);
/// 6, OpenAPI (oassweep): `ErrorCase::format` (an error body declared in XML, text or bytes is
/// decoded in that format);
/// 7, SOAP raw XML (soap): `RawXml` (`xs:any`, mixed content, an element union's fallback
/// variant `##other`), `xsd::{any_elements, choices, option_choices, choice, option_choice}`
/// (the `deserialize_with` of `xs:any` fields and of element union fields);
/// 7, OpenAPI (oas): the `send_methods!` macro that writes `customize`, `send` and
/// `send_with_response` of a builder whose response decodes one body without typed headers;
/// 7, models (compile): `json_struct!` (`Serialize`/`Deserialize` of a generated struct from its
/// field list through the `model` module: `Model`, `Writer`, `Omissible`, `Key`, `next_key`,
/// `value`, `skip`, `req`, `opt`, `serialize`, `deserialize`) and `json_union!` (`Deserialize`
/// of an untagged union: `buffer`, `member`, `no_member`), in place of serde's derives;
/// 8, schema defaults (oasdef): `json_struct!`'s `def field = "wire" { default }` entries
/// (`model::def`, `Writer::def`): a field of a received type read as its default when absent;
/// 9, release size (relpaths): `send_methods!(T, B; headers H)`, the builder of an operation
/// with typed response headers (`Prepared::send_with_headers_in`), so that its response type is
/// decoded with `send_methods!`'s choice of formats too.
pub const CONTRACT: u32 = 9;

/// The oldest contract version this runtime still serves. Raised only by a breaking release
/// that removes something older generated code calls.
pub const MIN_CONTRACT: u32 = 1;

/// Fails compilation (when evaluated in a `const`) unless this runtime serves contract
/// `version`, with a message saying what to do.
///
/// ```
/// const _: () = sdkwright_runtime::__private::require_contract(sdkwright_runtime::__private::CONTRACT);
/// ```
///
/// ```compile_fail
/// // Generated for a contract this runtime does not know yet: "upgrade the `sdkwright-runtime` dependency".
/// const _: () = sdkwright_runtime::__private::require_contract(u32::MAX);
/// ```
pub const fn require_contract(version: u32) {
    if version > CONTRACT {
        panic!(
            "sdkwright: this crate was generated by a newer sdkwright than its sdkwright-runtime \
             supports (its contract version, the argument of `require_contract`, is above \
             `sdkwright_runtime::__private::CONTRACT`): upgrade the `sdkwright-runtime` dependency \
             to the version the generated Cargo.toml names, or regenerate the crate with the \
             sdkwright release that matches your sdkwright-runtime"
        );
    }
    if version < MIN_CONTRACT {
        panic!(
            "sdkwright: this crate was generated by an sdkwright older than its sdkwright-runtime \
             supports (its contract version, the argument of `require_contract`, is below \
             `sdkwright_runtime::__private::MIN_CONTRACT`): regenerate the crate with a current \
             sdkwright, or depend on the older sdkwright-runtime it was generated for"
        );
    }
}
