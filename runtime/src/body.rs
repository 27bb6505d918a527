//! Request bodies that are not held in memory: a file (re-opened on every attempt, its length
//! known, so sent with `Content-Length` and replayable) or a caller's stream (one-shot: sent at
//! most once, with chunked transfer encoding).
//!
//! A [`Payload`] is what a prepared request carries: bytes, or [`Segment`]s (a binary body is one
//! segment; a multipart body interleaves in-memory part headers with file and stream
//! segments). [`Payload::open`] turns it into the `reqwest::Body` of one attempt; files are
//! read in [`CHUNK`]-sized pieces, so memory stays bounded whatever their size.

use std::collections::VecDeque;
use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Frame, SizeHint};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use crate::error::RequestError;

/// How much of a file is read at once.
pub(crate) const CHUNK: usize = 256 * 1024;

/// A boxed error of a caller's stream.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

type ByteChunks = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A request body as a prepared request holds it.
#[derive(Clone)]
pub(crate) enum Payload {
    /// In memory: re-sent as it is.
    Bytes(Bytes),
    /// Part in memory, part from files or streams.
    Segments(Arc<[Segment]>),
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Payload::Segments(s) => f.debug_list().entries(s.iter()).finish(),
        }
    }
}

/// One piece of a body.
#[derive(Clone)]
pub(crate) enum Segment {
    Bytes(Bytes),
    /// A file, read from the start on each attempt; `len`: its length when the part was made.
    File {
        path: Arc<Path>,
        len: u64,
    },
    Stream(OneShot),
}

impl fmt::Debug for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Segment::File { path, len } => write!(f, "File({}, {len} bytes)", path.display()),
            Segment::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl Payload {
    /// The bytes, when the whole body is in memory.
    pub(crate) fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Payload::Bytes(b) => Some(b),
            Payload::Segments(_) => None,
        }
    }

    /// The length, when known before sending (no stream in it).
    pub(crate) fn len(&self) -> Option<u64> {
        match self {
            Payload::Bytes(b) => Some(b.len() as u64),
            Payload::Segments(segs) => segs.iter().try_fold(0u64, |n, s| {
                Some(n.saturating_add(match s {
                    Segment::Bytes(b) => b.len() as u64,
                    Segment::File { len, .. } => *len,
                    Segment::Stream(_) => return None,
                }))
            }),
        }
    }

    /// Whether the body can be sent (again): true unless it holds a caller's stream of which a
    /// chunk was already read.
    pub(crate) fn replayable(&self) -> bool {
        match self {
            Payload::Bytes(_) => true,
            Payload::Segments(segs) => segs.iter().all(|s| match s {
                Segment::Stream(o) => !o.started(),
                _ => true,
            }),
        }
    }

    /// The body of one attempt. Files are opened now (a file that cannot be opened, or whose
    /// length changed since its part was made, is a [`RequestError`]); a stream that already
    /// gave a chunk to an earlier attempt is refused.
    pub(crate) async fn open(&self, operation: &str) -> Result<reqwest::Body, RequestError> {
        let segs = match self {
            Payload::Bytes(b) => return Ok(reqwest::Body::from(b.clone())),
            Payload::Segments(segs) => segs,
        };
        let mut live = VecDeque::with_capacity(segs.len());
        for s in segs.iter() {
            live.push_back(match s {
                Segment::Bytes(b) => Live::Bytes(b.clone()),
                Segment::File { path, len } => {
                    let fail = |what: &str, e: Option<std::io::Error>| {
                        let msg = format!(
                            "the body of `{operation}`: {what} `{}`",
                            path.display()
                        );
                        match e {
                            Some(e) => RequestError::with_source(msg, e),
                            None => RequestError::new(msg),
                        }
                    };
                    let file = tokio::fs::File::open(&**path)
                        .await
                        .map_err(|e| fail("cannot open", Some(e)))?;
                    let now = file
                        .metadata()
                        .await
                        .map_err(|e| fail("cannot read the metadata of", Some(e)))?
                        .len();
                    if now != *len {
                        return Err(fail(
                            &format!("the file changed size ({len} bytes when its part was made, {now} now):"),
                            None,
                        ));
                    }
                    Live::File {
                        read: ReaderStream::with_capacity(file.take(*len), CHUNK),
                        left: *len,
                        path: path.clone(),
                    }
                }
                Segment::Stream(o) => {
                    let generation = o.claim().ok_or_else(|| {
                        RequestError::new(format!(
                            "the body of `{operation}` is a stream that was already sent: a \
                             stream body is sent at most once"
                        ))
                    })?;
                    Live::Stream {
                        shot: o.clone(),
                        generation,
                    }
                }
            });
        }
        let remaining = self.len();
        Ok(reqwest::Body::wrap(SegmentsBody {
            live: Mutex::new(live),
            remaining,
        }))
    }
}

/// A segment being sent.
enum Live {
    Bytes(Bytes),
    File {
        read: ReaderStream<tokio::io::Take<tokio::fs::File>>,
        /// Bytes still expected.
        left: u64,
        path: Arc<Path>,
    },
    Stream {
        shot: OneShot,
        generation: u64,
    },
}

/// The `http_body::Body` of one attempt: the segments in order, with an exact size hint when
/// the length is known (hyper then sends `Content-Length`; otherwise chunked).
struct SegmentsBody {
    /// In a `Mutex` only so that the body is `Sync` (reqwest's requirement); reached through
    /// `get_mut`, never locked.
    live: Mutex<VecDeque<Live>>,
    remaining: Option<u64>,
}

impl http_body::Body for SegmentsBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let live = this.live.get_mut().unwrap_or_else(|e| e.into_inner());
        loop {
            let Some(front) = live.front_mut() else {
                return Poll::Ready(None);
            };
            let next = match front {
                Live::Bytes(b) => Some(Ok(std::mem::take(b))),
                Live::File { read, left, path } => {
                    match std::task::ready!(Pin::new(read).poll_next(cx)) {
                        Some(Ok(chunk)) => {
                            *left = left.saturating_sub(chunk.len() as u64);
                            Some(Ok(chunk))
                        }
                        Some(Err(e)) => Some(Err(Box::new(e) as BoxError)),
                        None if *left > 0 => Some(Err(format!(
                            "the file `{}` ended {left} bytes early (it shrank while it was sent)",
                            path.display()
                        )
                        .into())),
                        None => None,
                    }
                }
                Live::Stream { shot, generation } => {
                    std::task::ready!(shot.poll_next(*generation, cx))
                }
            };
            match next {
                None => {
                    live.pop_front();
                }
                Some(Ok(chunk)) if chunk.is_empty() => {
                    if matches!(live.front(), Some(Live::Bytes(_))) {
                        live.pop_front();
                    }
                }
                Some(Ok(chunk)) => {
                    if let Some(r) = &mut this.remaining {
                        *r = r.saturating_sub(chunk.len() as u64);
                    }
                    if matches!(live.front(), Some(Live::Bytes(_))) {
                        live.pop_front();
                    }
                    return Poll::Ready(Some(Ok(Frame::data(chunk))));
                }
                Some(Err(e)) => {
                    live.clear();
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == Some(0)
    }

    fn size_hint(&self) -> SizeHint {
        match self.remaining {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}

/// A caller's stream, sent at most once: shared by the clones of its [`crate::FilePart`] and by
/// the attempts of a call. An attempt claims it ([`OneShot::claim`]) and reads it through the
/// shared slot; once a chunk was read it is `started`, and no later attempt may claim it. A
/// claim also retires every earlier attempt's body (its reads end with an error), so a body a
/// dropped attempt left behind never steals chunks from the next one.
#[derive(Clone)]
pub(crate) struct OneShot(Arc<Mutex<Shot>>);

struct Shot {
    stream: Option<ByteChunks>,
    started: bool,
    generation: u64,
}

impl OneShot {
    pub(crate) fn new(stream: ByteChunks) -> Self {
        OneShot(Arc::new(Mutex::new(Shot {
            stream: Some(stream),
            started: false,
            generation: 0,
        })))
    }

    fn lock(&self) -> MutexGuard<'_, Shot> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a chunk was read (the stream may have left, in part).
    pub(crate) fn started(&self) -> bool {
        self.lock().started
    }

    /// Claims the stream for a new attempt; `None` if a chunk was already read.
    fn claim(&self) -> Option<u64> {
        let mut s = self.lock();
        if s.started || s.stream.is_none() {
            return None;
        }
        s.generation += 1;
        Some(s.generation)
    }

    fn poll_next(
        &self,
        generation: u64,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, BoxError>>> {
        let mut s = self.lock();
        if s.generation != generation {
            return Poll::Ready(Some(Err(
                "the body stream was claimed by a later attempt".into()
            )));
        }
        let Some(stream) = s.stream.as_mut() else {
            return Poll::Ready(None);
        };
        let next = std::task::ready!(stream.as_mut().poll_next(cx));
        s.started = true;
        if next.is_none() {
            s.stream = None;
        }
        Poll::Ready(next)
    }

    pub(crate) fn same(&self, other: &OneShot) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    pub(crate) fn addr(&self) -> usize {
        Arc::as_ptr(&self.0) as *const () as usize
    }
}
