//! [`FilePart`] and the `multipart/form-data` encoder (RFC 7578).
//!
//! The body is encoded into bytes once, when the request is built, rather than through
//! `reqwest::multipart::Form`: a `Form` is a one-shot stream, and the runtime re-sends the same
//! body on a retry, after a 401 with a renewed token, and on a 307/308 redirect.

use std::cell::RefCell;
use std::fmt;
use std::path::Path;

use base64::Engine as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::spec::{FieldEncoding, Style};

/// The key of the object a [`FilePart`] serializes to while a request body is being built.
pub(crate) const FILE_MARKER: &str = "\u{0}sdkwright-file-part";

thread_local! {
    /// The files of the body being serialized on this thread (see [`collect_files`]).
    static FILES: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

/// A file sent in a `multipart/form-data` body (or as a whole binary body): its bytes, the
/// file name the server sees and its content type.
///
/// Without a [`filename`](Self::filename), the part is sent with the property's name as its
/// file name (servers treat a part without one as a plain field). Without a
/// [`content_type`](Self::content_type), the document's `encoding` content type is sent, else
/// `application/octet-stream`.
///
/// ```
/// use sdkwright_runtime::FilePart;
/// let part = FilePart::new(b"a,b\n1,2\n".to_vec()).filename("data.csv").content_type("text/csv");
/// assert_eq!(part.bytes(), b"a,b\n1,2\n");
/// ```
///
/// Outside of a request body (serialized to JSON by the caller), a `FilePart` serializes to the
/// base64 text of its bytes, and deserializes from it.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct FilePart {
    bytes: bytes::Bytes,
    filename: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file with these contents.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            filename: None,
            content_type: None,
        }
    }
    /// Reads the file at `path`; its file name becomes the part's [`filename`](Self::filename).
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let mut part = FilePart::new(bytes);
        if let Some(name) = path.file_name() {
            part.filename = Some(name.to_string_lossy().into_owned());
        }
        Ok(part)
    }
    /// The file name sent in the part's `Content-Disposition`.
    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = Some(name.into());
        self
    }
    /// The part's `Content-Type` (for a whole binary body: the request's).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
    /// The contents.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.filename.as_deref()
    }
    /// The content type, if set.
    pub fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
    pub(crate) fn into_bytes(self) -> bytes::Bytes {
        self.bytes
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

impl From<bytes::Bytes> for FilePart {
    fn from(bytes: bytes::Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<String> for FilePart {
    fn from(text: String) -> Self {
        FilePart::new(text.into_bytes())
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let idx = FILES.with(|f| {
            f.borrow_mut().as_mut().map(|files| {
                files.push(self.clone());
                files.len() - 1
            })
        });
        match idx {
            Some(i) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(FILE_MARKER, &i)?;
                m.end()
            }
            None => s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.bytes)),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(FilePart::new)
            .map_err(serde::de::Error::custom)
    }
}

/// Runs `f` (which serializes a body) with the [`FilePart`]s it meets set aside: each becomes
/// a marker object in the JSON value, and the parts are returned beside `f`'s result (no copy
/// of their bytes).
pub(crate) fn collect_files<T>(f: impl FnOnce() -> T) -> (T, Vec<FilePart>) {
    let previous = FILES.with(|c| c.borrow_mut().replace(Vec::new()));
    let out = f();
    let files = FILES.with(|c| std::mem::replace(&mut *c.borrow_mut(), previous));
    (out, files.unwrap_or_default())
}

/// The file a marker object stands for.
pub(crate) fn marker(v: &Value, files: &[FilePart]) -> Option<FilePart> {
    let Value::Object(m) = v else { return None };
    if m.len() != 1 {
        return None;
    }
    let i = m.get(FILE_MARKER)?.as_u64()?;
    files.get(usize::try_from(i).ok()?).cloned()
}

/// A multipart body: `(content type with boundary, bytes)`.
pub(crate) fn encode(
    fields: &[FieldEncoding],
    v: &Value,
    files: &[FilePart],
) -> Result<(String, Vec<u8>), String> {
    let Value::Object(map) = v else {
        return Err("a multipart body must be an object".into());
    };
    let boundary = format!(
        "sdkwright-{}",
        std::iter::repeat_with(fastrand::alphanumeric)
            .take(32)
            .collect::<String>()
    );
    let mut out = Vec::new();
    for (name, value) in map {
        let field = fields.iter().find(|f| f.name == name);
        let ct = field.map(|f| f.content_type).filter(|c| !c.is_empty());
        // `style: deepObject` in a multipart body (Stripe's file upload): the object is spread
        // over text parts named `name[key]`, `name[0]`, as Stripe's libraries send it.
        if field.is_some_and(|f| f.style == Style::DeepObject)
            && (value.is_object() || value.is_array())
        {
            let mut pairs = Vec::new();
            crate::request::deep_pairs(name.clone(), value, &mut pairs);
            for (k, v) in pairs {
                part(&mut out, &boundary, &k, &Value::String(v), ct, files)?;
            }
            continue;
        }
        match value {
            Value::Array(items) => {
                for item in items {
                    part(&mut out, &boundary, name, item, ct, files)?;
                }
            }
            value => part(&mut out, &boundary, name, value, ct, files)?,
        }
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), out))
}

/// One part: a file, a text value, or JSON.
fn part(
    out: &mut Vec<u8>,
    boundary: &str,
    name: &str,
    v: &Value,
    ct: Option<&str>,
    files: &[FilePart],
) -> Result<(), String> {
    let head = |out: &mut Vec<u8>, filename: Option<&str>, ct: Option<&str>| {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disp = format!("Content-Disposition: form-data; name=\"{}\"", quote(name));
        if let Some(f) = filename {
            disp.push_str(&format!("; filename=\"{}\"", quote(f)));
        }
        out.extend_from_slice(disp.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(ct) = ct {
            out.extend_from_slice(format!("Content-Type: {}\r\n", one_line(ct)).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    };
    if let Some(file) = marker(v, files) {
        let ct = file
            .media_type()
            .or(ct)
            .unwrap_or("application/octet-stream")
            .to_owned();
        head(out, Some(file.file_name().unwrap_or(name)), Some(&ct));
        out.extend_from_slice(file.bytes());
    } else {
        match v {
            Value::Null => return Ok(()),
            Value::String(s) => {
                head(out, None, ct);
                out.extend_from_slice(s.as_bytes());
            }
            Value::Number(_) | Value::Bool(_) => {
                head(out, None, ct);
                out.extend_from_slice(v.to_string().as_bytes());
            }
            Value::Array(_) | Value::Object(_) => {
                head(out, None, Some(ct.unwrap_or("application/json")));
                let json =
                    serde_json::to_vec(&without_markers(v, files)?).map_err(|e| e.to_string())?;
                out.extend_from_slice(&json);
            }
        }
    }
    out.extend_from_slice(b"\r\n");
    Ok(())
}

/// A file inside a JSON part cannot be sent as a file: it becomes its base64 text.
fn without_markers(v: &Value, files: &[FilePart]) -> Result<Value, String> {
    if let Some(f) = marker(v, files) {
        return Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(f.bytes()),
        ));
    }
    Ok(match v {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| without_markers(i, files))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), without_markers(v, files)?)))
                .collect::<Result<Map<_, _>, String>>()?,
        ),
        v => v.clone(),
    })
}

/// A quoted-string value of `Content-Disposition` as browsers write it (HTML's multipart
/// encoding): `"`, CR and LF percent-encoded.
fn quote(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value on one line.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
