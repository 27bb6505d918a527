//! Entry points for the fuzz targets in `runtime/fuzz/` and their regression tests: response
//! decoding without a server. Not part of the API: no stability promise.

use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error};
use crate::response::{ErrorMetadata, ErrorResponse, Response};
use crate::soap::SoapFault;
use crate::spec::ResponseFormat;

/// Every response format, for picking one from fuzz input.
pub const FORMATS: [ResponseFormat; 6] = [
    ResponseFormat::Json,
    ResponseFormat::Soap,
    ResponseFormat::GraphQl,
    ResponseFormat::Text,
    ResponseFormat::Binary,
    ResponseFormat::Empty,
];

/// Decodes a successful response body as the client would.
pub fn decode<T: DeserializeOwned>(
    format: ResponseFormat,
    status: u16,
    body: &[u8],
) -> Result<T, Error<ErrorMetadata>> {
    Response {
        status,
        headers: Default::default(),
        body: bytes::Bytes::copy_from_slice(body),
        format,
    }
    .decode()
}

/// An error response as generated `FromErrorResponse` impls see it.
pub fn error_response(format: ResponseFormat, status: u16, body: &[u8]) -> ErrorResponse {
    ErrorResponse {
        status,
        headers: crate::response::Headers::from_list(vec![(
            "content-type".into(),
            "text/html".into(),
        )]),
        body: bytes::Bytes::copy_from_slice(body),
        format,
        errors: &[],
        operation: "",
    }
}

/// Decodes a SOAP fault and, if it has a detail, the detail's first element.
pub fn soap_fault<T: DeserializeOwned>(body: &[u8]) -> Result<(SoapFault, Option<T>), DecodeError> {
    let fault = crate::soap::fault(body)?;
    let detail = fault.detail_as::<T>().ok();
    Ok((fault, detail))
}

/// The bounded, character-safe snippet errors keep.
pub fn snippet(body: &[u8], max: usize) -> String {
    crate::error::snippet(body, max)
}

/// The next hop of a redirect from `current` (`Ok((next URL, same origin))`), or why not.
pub fn redirect(
    current: &str,
    location: &[u8],
    status: u16,
    post: bool,
    has_body: bool,
) -> Result<(String, bool), String> {
    let current = reqwest::Url::parse(current).map_err(|e| e.to_string())?;
    let method = if post {
        reqwest::Method::POST
    } else {
        reqwest::Method::GET
    };
    crate::client::next_hop(&current, location, status, &method, has_body)
        .map(|h| (h.url.to_string(), h.same_origin))
}

/// A recursive type like the ones generated for self-referencing schemas.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
pub struct Tree {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    children: Vec<Tree>,
    #[serde(default)]
    next: Option<Box<Tree>>,
    #[serde(default)]
    extra: Option<serde_json::Value>,
}

/// A flat type with the common wire primitives.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
pub struct Flat {
    id: i64,
    #[serde(default)]
    when: Option<crate::types::DateTime>,
    #[serde(default)]
    day: Option<crate::types::Date>,
    #[serde(default)]
    uuid: Option<crate::types::Uuid>,
    #[serde(default)]
    data: Option<crate::types::Base64>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Checks what must hold for every error: status kept, snippet bounded and made of whole
/// characters, `Display` bounded.
fn check_error(e: &Error<ErrorMetadata>, status: u16) {
    let shown = e.to_string();
    assert!(
        shown.len() < 4096,
        "Display too long: {} bytes",
        shown.len()
    );
    if let Error::Decode(d) = e {
        assert_eq!(d.status(), Some(status));
        let s = d.body_snippet().unwrap_or_default();
        assert!(s.len() <= crate::error::SNIPPET_LIMIT);
    }
}

/// Splits fuzz input into (status, format index, body).
fn split(data: &[u8]) -> (u16, u8, &[u8]) {
    match data {
        [a, b, c, rest @ ..] => (100 + u16::from_le_bytes([*a, *b]) % 500, *c, rest),
        _ => (200, 0, data),
    }
}

/// Fuzz target `decode_json`: a body decoded as JSON, GraphQL and text into generated-like
/// types, `serde_json::Value`, and as an error body.
pub fn decode_json(data: &[u8]) {
    for format in [
        ResponseFormat::Json,
        ResponseFormat::GraphQl,
        ResponseFormat::Text,
    ] {
        for r in [
            decode::<Tree>(format, 200, data).map(drop),
            decode::<Flat>(format, 200, data).map(drop),
            decode::<serde_json::Value>(format, 200, data).map(drop),
            decode::<String>(format, 200, data).map(drop),
            decode::<()>(format, 200, data).map(drop),
        ] {
            if let Err(e) = r {
                check_error(&e, 200);
            }
        }
    }
    let er = error_response(ResponseFormat::Json, 404, data);
    if let Err(e) = er.decode::<Tree>() {
        assert_eq!(e.status(), Some(404));
    }
    let _ = er.decode::<serde_json::Value>();
    let meta = er.metadata();
    assert!(meta.to_string().len() < 4096);
    if let Err(e) = crate::fuzz::decode::<Tree>(ResponseFormat::GraphQl, 200, data) {
        assert!(e.to_string().len() < 4096);
    }
}

/// Fuzz target `decode_soap`: a body decoded as a SOAP response (values and faults), as an
/// error body, and a fault's detail.
pub fn decode_soap(data: &[u8]) {
    for r in [
        decode::<Tree>(ResponseFormat::Soap, 200, data).map(drop),
        decode::<Flat>(ResponseFormat::Soap, 200, data).map(drop),
        decode::<serde_json::Value>(ResponseFormat::Soap, 200, data).map(drop),
        decode::<String>(ResponseFormat::Soap, 200, data).map(drop),
    ] {
        if let Err(e) = r {
            check_error(&e, 200);
        }
    }
    let er = error_response(ResponseFormat::Soap, 500, data);
    if let Err(e) = er.decode::<SoapFault>() {
        assert_eq!(e.status(), Some(500));
    }
    let _ = er.metadata().soap_fault();
    let _ = soap_fault::<Tree>(data);
    let _ = soap_fault::<serde_json::Value>(data);
}

/// Fuzz target `decode_response`: status, format and body all from the input; also the
/// snippet on its own.
pub fn decode_response(data: &[u8]) {
    let (status, f, body) = split(data);
    let format = FORMATS[usize::from(f) % FORMATS.len()];
    if let Err(e) = decode::<Tree>(format, status, body) {
        check_error(&e, status);
    }
    if let Err(e) = decode::<Vec<u8>>(format, status, body) {
        check_error(&e, status);
    }
    let er = error_response(format, status, body);
    let _ = er.decode::<serde_json::Value>();
    let max = usize::from(f) * 8;
    let s = snippet(body, max);
    assert!(s.len() <= max, "snippet {} > {max}", s.len());
    assert!(!s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
}

/// Fuzz target `decode_redirect`: a `Location` header from the input; a hop is never from
/// https to http nor to anything but http(s), and a body never goes to another origin.
pub fn decode_redirect(data: &[u8]) {
    let (_, f, location) = split(data);
    let status = [301, 302, 303, 307, 308][usize::from(f) % 5];
    let post = f & 0x10 != 0;
    let has_body = f & 0x20 != 0;
    for current in ["https://api.example.com/v1/x?k=1", "http://127.0.0.1:8080/"] {
        if let Ok((next, same_origin)) = redirect(current, location, status, post, has_body) {
            let next = reqwest::Url::parse(&next).expect("a hop is a valid URL");
            assert!(matches!(next.scheme(), "http" | "https"));
            assert!(!(current.starts_with("https:") && next.scheme() == "http"));
            let keeps_body =
                has_body && !(status == 303 || (post && status != 307 && status != 308));
            assert!(
                same_origin || !keeps_body,
                "a body would go to another origin"
            );
        }
    }
}
