//! [`FilePart`] and the `multipart/form-data` encoder (RFC 7578).
//!
//! The body is encoded once, when the request is built, rather than through
//! `reqwest::multipart::Form`: a `Form` is a one-shot stream, and the runtime re-sends the same
//! body on a retry, after a 401 with a renewed token, and on a 307/308 redirect. Part headers,
//! text parts and in-memory files become bytes; a file from a path or a stream stays a segment
//! of the body ([`crate::body::Payload`]), read only while the request is sent.

use std::cell::RefCell;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::body::{BoxError, OneShot, Payload, Segment};
use crate::spec::{FieldEncoding, Style};
use futures_core::Stream;

/// The key of the object a [`FilePart`] serializes to while a request body is being built.
pub(crate) const FILE_MARKER: &str = "\u{0}sdkwright-file-part";

thread_local! {
    /// The files of the body being serialized on this thread (see [`collect_files`]).
    static FILES: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

/// A file sent in a `multipart/form-data` body (or as a whole binary body): its contents, the
/// file name the server sees and its content type.
///
/// The contents come from one of three places:
///
/// | made with | memory | `Content-Length` | on a retry (or a 401 re-send, a 307/308 redirect) |
/// |---|---|---|---|
/// | [`new`](Self::new) (bytes) | held whole | sent | re-sent |
/// | [`from_path`](Self::from_path) (a file) | one 256 KiB chunk at a time | sent (the length when the part was made) | the file is opened again and re-sent from its start |
/// | [`from_stream`](Self::from_stream), [`from_reader`](Self::from_reader) | one chunk at a time | not sent (chunked) | **never re-sent** once a chunk of it was read |
///
/// A stream is one-shot: a call whose body holds one is sent at most once after the stream's
/// first chunk was read, whatever the retry policy, the method or an idempotency key say (the
/// call then fails with the error of that attempt). It is retried only when the attempt failed
/// before reading anything from it (the connection could not be made, for an idempotent
/// request). A file whose length changed between [`from_path`](Self::from_path) and sending fails
/// the call with [`crate::Error::Request`].
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
/// assert_eq!(part.len(), Some(8));
/// ```
///
/// Outside of a request body (serialized to JSON by the caller, or a file inside a JSON part),
/// a `FilePart` serializes to the base64 text of its contents (a file part reads its file for
/// it; a stream part cannot be serialized), and deserializes from it.
#[derive(Clone, Default)]
pub struct FilePart {
    source: Source,
    filename: Option<String>,
    content_type: Option<String>,
}

/// Where a [`FilePart`]'s contents come from.
#[derive(Clone)]
enum Source {
    Bytes(bytes::Bytes),
    File { path: Arc<Path>, len: u64 },
    Stream(OneShot),
}

impl Default for Source {
    fn default() -> Self {
        Source::Bytes(bytes::Bytes::new())
    }
}

impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File { path: a, len: m }, Source::File { path: b, len: n }) => {
                a == b && m == n
            }
            (Source::Stream(a), Source::Stream(b)) => a.same(b),
            _ => false,
        };
        same && self.filename == other.filename && self.content_type == other.content_type
    }
}

impl Eq for FilePart {}

impl Hash for FilePart {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.source {
            Source::Bytes(b) => (0u8, b).hash(state),
            Source::File { path, len } => (1u8, path, len).hash(state),
            Source::Stream(s) => (2u8, s.addr()).hash(state),
        }
        self.filename.hash(state);
        self.content_type.hash(state);
    }
}

impl FilePart {
    /// A file with these contents.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        FilePart {
            source: Source::Bytes(bytes.into()),
            filename: None,
            content_type: None,
        }
    }
    /// The file at `path`, streamed when the request is sent (never read whole into memory):
    /// its length now is sent as `Content-Length`, and each attempt opens it again and sends it
    /// from the start. Its file name becomes the part's [`filename`](Self::filename).
    ///
    /// Fails if the file cannot be read now (missing, not a regular file, no permission). If
    /// its length differs when the request is sent, the call fails with
    /// [`crate::Error::Request`] rather than send a body that does not match its length.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("`{}` is not a regular file", path.display()),
            ));
        }
        // Readable now: fail here, not in the middle of a call.
        std::fs::File::open(path)?;
        Ok(FilePart {
            source: Source::File {
                path: Arc::from(path),
                len: meta.len(),
            },
            filename: path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned()),
            content_type: None,
        })
    }
    /// Contents from a stream of chunks (`Bytes`, `Vec<u8>`, `String`, `&'static [u8]`…), sent
    /// as they come with chunked transfer encoding (no `Content-Length`).
    ///
    /// **One-shot**: a call whose body holds a stream is never retried, re-sent after a `401`
    /// or redirected with its body once a chunk of the stream was read (see the table above);
    /// an error from the stream fails the call with a [`crate::Error::Transport`].
    ///
    /// ```
    /// use sdkwright_runtime::FilePart;
    /// let chunks = futures_util::stream::iter([
    ///     Ok::<_, std::io::Error>("a,b\n"),
    ///     Ok("1,2\n"),
    /// ]);
    /// let part = FilePart::from_stream(chunks).filename("data.csv");
    /// assert_eq!((part.len(), part.is_replayable()), (None, false));
    /// ```
    pub fn from_stream<S, T, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        T: Into<bytes::Bytes>,
        E: Into<BoxError>,
    {
        use futures_util::StreamExt as _;
        let chunks = stream.map(|r| r.map(Into::into).map_err(Into::into));
        FilePart {
            source: Source::Stream(OneShot::new(Box::pin(chunks))),
            filename: None,
            content_type: None,
        }
    }
    /// Contents read from `reader` (a `tokio::fs::File`, a pipe, a decompressor…) in 256 KiB
    /// chunks as the request is sent: a one-shot stream, as [`from_stream`](Self::from_stream).
    pub fn from_reader<R>(reader: R) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        Self::from_stream(tokio_util::io::ReaderStream::with_capacity(
            reader,
            crate::body::CHUNK,
        ))
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
    /// The contents, for a part made from bytes ([`new`](Self::new)); empty for a part streamed
    /// from a file or a stream (see [`len`](Self::len)).
    pub fn bytes(&self) -> &[u8] {
        match &self.source {
            Source::Bytes(b) => b,
            _ => &[],
        }
    }
    /// The length in bytes, when known before sending: `None` for a stream.
    pub fn len(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(b) => Some(b.len() as u64),
            Source::File { len, .. } => Some(*len),
            Source::Stream(_) => None,
        }
    }
    /// Whether the contents are known to be empty (`false` for a stream).
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
    /// The file the contents are streamed from ([`from_path`](Self::from_path)).
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::File { path, .. } => Some(path),
            _ => None,
        }
    }
    /// Whether a request carrying this part can be sent again (retries, a `401` re-send, a
    /// 307/308 redirect): `true` for bytes and files, `false` for a stream.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Stream(_))
    }
    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.filename.as_deref()
    }
    /// The content type, if set.
    pub fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
    /// The contents as a body segment.
    pub(crate) fn segment(&self) -> Segment {
        match &self.source {
            Source::Bytes(b) => Segment::Bytes(b.clone()),
            Source::File { path, len } => Segment::File {
                path: path.clone(),
                len: *len,
            },
            Source::Stream(s) => Segment::Stream(s.clone()),
        }
    }
    /// The contents as a whole body.
    pub(crate) fn into_payload(self) -> Payload {
        match self.source {
            Source::Bytes(b) => Payload::Bytes(b),
            _ => Payload::Segments(Arc::from([self.segment()])),
        }
    }
    /// The contents in memory (a file is read): for base64 text.
    fn read_all(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        match &self.source {
            Source::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Source::File { path, .. } => std::fs::read(path)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display())),
            Source::Stream(_) => Err(
                "a FilePart made from a stream cannot be sent as text (base64): only as a \
                 multipart file part or a whole binary body"
                    .into(),
            ),
        }
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FilePart");
        match &self.source {
            Source::Bytes(b) => d.field("len", &b.len()),
            Source::File { path, len } => d.field("path", path).field("len", len),
            Source::Stream(_) => d.field("stream", &true),
        };
        d.field("filename", &self.filename)
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
            None => {
                let bytes = self.read_all().map_err(serde::ser::Error::custom)?;
                s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
            }
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
/// a marker object in the JSON value, and the parts are returned (no copy of their bytes). Not
/// generic: `f` is the only part generic in the body's type.
pub(crate) fn collect_files(f: &mut dyn FnMut()) -> Vec<FilePart> {
    let previous = FILES.with(|c| c.borrow_mut().replace(Vec::new()));
    f();
    let files = FILES.with(|c| std::mem::replace(&mut *c.borrow_mut(), previous));
    files.unwrap_or_default()
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

/// The body being encoded: bytes so far, and the segments before them.
#[derive(Default)]
struct Out {
    segments: Vec<Segment>,
    buf: Vec<u8>,
}

impl Out {
    fn extend_from_slice(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn file(&mut self, file: &FilePart) {
        match file.segment() {
            Segment::Bytes(b) => self.buf.extend_from_slice(&b),
            seg => {
                if !self.buf.is_empty() {
                    let done = std::mem::take(&mut self.buf);
                    self.segments.push(Segment::Bytes(done.into()));
                }
                self.segments.push(seg);
            }
        }
    }
    fn finish(mut self) -> Payload {
        if self.segments.is_empty() {
            return Payload::Bytes(self.buf.into());
        }
        if !self.buf.is_empty() {
            self.segments.push(Segment::Bytes(self.buf.into()));
        }
        Payload::Segments(self.segments.into())
    }
}

/// A multipart body: `(content type with boundary, body)`.
pub(crate) fn encode(
    fields: &[FieldEncoding],
    v: &Value,
    files: &[FilePart],
) -> Result<(String, Payload), String> {
    let Value::Object(map) = v else {
        return Err("a multipart body must be an object".into());
    };
    let boundary = format!(
        "sdkwright-{}",
        std::iter::repeat_with(fastrand::alphanumeric)
            .take(32)
            .collect::<String>()
    );
    let mut out = Out::default();
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
    Ok((
        format!("multipart/form-data; boundary={boundary}"),
        out.finish(),
    ))
}

/// One part: a file, a text value, or JSON.
fn part(
    out: &mut Out,
    boundary: &str,
    name: &str,
    v: &Value,
    ct: Option<&str>,
    files: &[FilePart],
) -> Result<(), String> {
    let head = |out: &mut Out, filename: Option<&str>, ct: Option<&str>| {
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
        out.file(&file);
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
            base64::engine::general_purpose::STANDARD.encode(f.read_all()?),
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
