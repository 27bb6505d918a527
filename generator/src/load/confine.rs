//! Confinement: which files the generator may read, checked before any byte is read.
//!
//! - Files the user names (the root document, `--operations` files) are trusted paths, but must
//!   be regular files, outside `/proc`, `/sys` and `/dev`, and at most [`Confinement::max_bytes`]
//!   long.
//! - A file named *inside* a document (`$ref: other.yaml#/X`, `xsd:import`, `xsd:include`,
//!   `wsdl:import`) must resolve, symlinks included (the path is canonicalised before the check),
//!   inside the root document's folder or a folder allowed with `--allow-path`
//!   ([`crate::Options::allow_paths`]), and pass the same checks. A URL of any scheme
//!   (`http:`, `https:`, `file:`, …) is never fetched.
//!
//! A refusal is a [`Refusal`]: a diagnostic code, a message and a hint naming the flag; the
//! caller locates it at the reference. The refused file is never opened, so nothing of its
//! content can reach a diagnostic or the generated code.
//!
//! Every accepted file is recorded (canonical path) in a process-wide set; the CLI's
//! source-line display ([`crate::Diagnostic::render_with_source`]) shows lines only from files
//! in that set.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Default cap on the size of any file read: 256 MiB.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Folders whose files are never read, even when a root or `--allow-path` covers them.
const SPECIAL_ROOTS: &[&str] = &["/proc", "/sys", "/dev"];

/// The hint every confinement refusal carries.
pub(crate) const ALLOW_HINT: &str =
    "copy the file into the document's folder, or pass `--allow-path DIR` (`Generator::allow_path`) to allow reading files under DIR";

/// Why a file is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// Diagnostic code (`load::outside_root`, `load::special_file`, `load::remote_ref`,
    /// `load::too_large`, `load::not_found`, `load::unreadable`).
    pub(crate) code: &'static str,
    /// What is wrong.
    pub(crate) message: String,
    /// What to do.
    pub(crate) help: String,
}

impl Refusal {
    fn new(code: &'static str, message: String, help: impl Into<String>) -> Self {
        Refusal {
            code,
            message,
            help: help.into(),
        }
    }

    /// A referenced file that was read but cannot be parsed (its own errors are located in it).
    pub(crate) fn unreadable(path: &Path) -> Self {
        Refusal::new(
            "load::unreadable",
            format!(
                "`{}` cannot be parsed",
                printable(&path.display().to_string())
            ),
            "fix the error reported in that file",
        )
    }

    /// The refusal as an error diagnostic (the caller adds the location).
    pub(crate) fn diagnostic(&self) -> crate::diag::Diagnostic {
        crate::diag::Diagnostic::error(self.code, self.message.clone()).help(self.help.clone())
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A reference that passed the checks: where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    /// The path as the document spelled it, joined to the referencing file's folder and
    /// normalised lexically (for diagnostics and `files_read`).
    pub(crate) display: PathBuf,
    /// The canonical path (symlinks resolved): what is opened and what identifies the file.
    pub(crate) canonical: PathBuf,
}

/// The folders references may resolve into, and the size cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Confinement {
    /// Canonical folders.
    roots: Vec<PathBuf>,
    /// Largest file read, in bytes.
    pub(crate) max_bytes: u64,
}

impl Confinement {
    /// Confinement for the root document at `root`: its folder plus every folder of `allow`
    /// (each canonicalised; a folder that does not exist allows nothing).
    pub(crate) fn for_root(root: &Path, allow: &[PathBuf], max_bytes: u64) -> Self {
        let folder = match std::fs::canonicalize(root) {
            Ok(c) => c.parent().map(Path::to_path_buf),
            Err(_) => root.parent().map(|p| {
                let p = if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                };
                std::fs::canonicalize(p).unwrap_or_else(|_| normalize(p))
            }),
        };
        let mut roots: Vec<PathBuf> = folder.into_iter().collect();
        roots.extend(allow.iter().filter_map(|a| std::fs::canonicalize(a).ok()));
        Confinement { roots, max_bytes }
    }

    /// Confinement with the default cap and no extra folder.
    #[cfg(test)]
    pub(crate) fn default_for(root: &Path) -> Self {
        Self::for_root(root, &[], DEFAULT_MAX_BYTES)
    }

    /// Checks a reference `location` (already percent-decoded where the format asks for it)
    /// found in the accepted file `from`. Touches the file system only for paths that are
    /// lexically inside an allowed folder, and never opens the target.
    pub(crate) fn check_reference(&self, from: &Path, location: &str) -> Result<Accepted, Refusal> {
        let raw = location;
        // As shown in messages: control characters escaped, long references cut.
        let location = &printable(raw);
        if let Some(scheme) = url_scheme(raw) {
            let help = if scheme.eq_ignore_ascii_case("file") {
                "write the path relative to this document (a `file:` URL is refused like any URL)"
                    .to_owned()
            } else {
                "download the file next to the document and refer to it by a relative path"
                    .to_owned()
            };
            return Err(Refusal::new(
                "load::remote_ref",
                format!("`{location}` is a URL: sdkwright never fetches anything"),
                help,
            ));
        }
        if raw.starts_with("//") || raw.starts_with("\\\\") {
            return Err(Refusal::new(
                "load::remote_ref",
                format!("`{location}` names a network location: sdkwright never fetches anything"),
                "download the file next to the document and refer to it by a relative path",
            ));
        }
        let from_dir = from.parent().unwrap_or_else(|| Path::new(""));
        let display = normalize(&from_dir.join(raw));
        let base = std::fs::canonicalize(from)
            .ok()
            .and_then(|c| c.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| normalize(from_dir));
        let lexical = normalize(&base.join(raw));
        let outside = || {
            Refusal::new(
                "load::outside_root",
                format!(
                    "`{location}` resolves outside the folder{} the document may read from ({})",
                    if self.roots.len() == 1 { "" } else { "s" },
                    self.roots_text()
                ),
                ALLOW_HINT,
            )
        };
        if is_special(&lexical) {
            return Err(special(location, "a system folder (/proc, /sys, /dev)"));
        }
        if !self.inside(&lexical) {
            return Err(outside());
        }
        let canonical = match std::fs::canonicalize(&lexical) {
            Ok(c) => c,
            Err(_) => {
                return Err(Refusal::new(
                    "load::not_found",
                    format!(
                        "`{}` does not exist",
                        printable(&display.display().to_string())
                    ),
                    "check the path; it is relative to the file holding the reference",
                ))
            }
        };
        if is_special(&canonical) {
            return Err(special(location, "a system folder (/proc, /sys, /dev)"));
        }
        if !self.inside(&canonical) {
            // A symlink (or `..` through one) leads out.
            return Err(outside());
        }
        self.check_regular(&canonical, location)?;
        // References resolve from the referencing file's real folder (symlinks resolved); the
        // path as written is shown when it names the same file.
        let display = if std::fs::canonicalize(&display).is_ok_and(|d| d == canonical) {
            display
        } else {
            lexical
        };
        Ok(Accepted { display, canonical })
    }

    /// Checks a file the user named (root document, operation document): a regular file, not
    /// under `/proc`, `/sys` or `/dev`, not over the cap. Returns its canonical path.
    pub(crate) fn check_trusted(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let shown = path.display().to_string();
        let canonical = std::fs::canonicalize(path).map_err(|e| {
            Refusal::new(
                "load::io",
                format!("cannot read `{shown}`: {e}"),
                "check that the path exists and is readable",
            )
        })?;
        if is_special(&canonical) {
            return Err(special(&shown, "a system folder (/proc, /sys, /dev)"));
        }
        self.check_regular(&canonical, &shown)?;
        Ok(canonical)
    }

    /// Reads an accepted file (canonical path) with the size cap enforced while reading (some
    /// files report a size of 0), and records it as accepted for source display.
    pub(crate) fn read(&self, canonical: &Path, shown: &Path) -> Result<Vec<u8>, Refusal> {
        let io = |e: std::io::Error| {
            Refusal::new(
                "load::io",
                format!("cannot read `{}`: {e}", shown.display()),
                "check that the file is readable",
            )
        };
        let file = open_nonblocking(canonical).map_err(io)?;
        // The handle itself must still be a regular file (the path may have changed since the
        // check).
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(special(&shown.display().to_string(), kind_of(&meta)));
        }
        let mut bytes = Vec::new();
        file.take(self.max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(self.too_large(&shown.display().to_string()));
        }
        record_accepted(canonical);
        Ok(bytes)
    }

    /// Checks and reads a file the user named; see [`Confinement::check_trusted`].
    pub(crate) fn read_trusted(&self, path: &Path) -> Result<Vec<u8>, Refusal> {
        let canonical = self.check_trusted(path)?;
        self.read(&canonical, path)
    }

    fn check_regular(&self, canonical: &Path, shown: &str) -> Result<(), Refusal> {
        let meta = std::fs::metadata(canonical).map_err(|e| {
            Refusal::new(
                "load::io",
                format!("cannot read `{shown}`: {e}"),
                "check that the path exists and is readable",
            )
        })?;
        if !meta.is_file() {
            return Err(special(shown, kind_of(&meta)));
        }
        if meta.len() > self.max_bytes {
            return Err(self.too_large(shown));
        }
        Ok(())
    }

    fn too_large(&self, shown: &str) -> Refusal {
        Refusal::new(
            "load::too_large",
            format!(
                "`{shown}` is larger than {} bytes ({} MiB), the most sdkwright reads from one file",
                self.max_bytes,
                self.max_bytes / (1024 * 1024)
            ),
            "split the document, or raise the cap with `--max-file-size BYTES` (`Options::max_file_size`)",
        )
    }

    fn inside(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| path.starts_with(r))
    }

    fn roots_text(&self) -> String {
        self.roots
            .iter()
            .map(|r| format!("`{}`", r.display()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `s` fit for a one-line message: control characters escaped, cut after 200 characters.
fn printable(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 200 {
            out.push('…');
            break;
        }
        if c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

fn special(shown: &str, what: &str) -> Refusal {
    Refusal::new(
        "load::special_file",
        format!("`{shown}` is {what}, not a regular file"),
        "only regular files are read; name a document file",
    )
}

/// Opens for reading without blocking on a FIFO (the path was checked to be a regular file, but
/// it may have been replaced since; the handle is checked again after opening).
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    "a special file"
}

/// The scheme of `s` when it starts like a URL (`scheme:`, RFC 3986: a letter then letters,
/// digits, `+`, `-` or `.`). One-letter schemes count too except for a Windows drive (`C:\`,
/// `C:/`).
pub(crate) fn url_scheme(s: &str) -> Option<&str> {
    let (scheme, rest) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    if scheme.len() == 1 && (rest.starts_with('\\') || rest.starts_with('/')) && cfg!(windows) {
        return None;
    }
    Some(scheme)
}

fn is_special(path: &Path) -> bool {
    cfg!(unix) && SPECIAL_ROOTS.iter().any(|s| path.starts_with(s))
}

/// Removes `.` and resolvable `..` components lexically (a `..` above the start is kept).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            // `/..` is `/`.
            Component::ParentDir if matches!(out.last(), Some(Component::RootDir)) => {}
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Canonical paths of every file read so far in this process.
static ACCEPTED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn record_accepted(canonical: &Path) {
    if let Ok(mut set) = ACCEPTED.lock() {
        set.insert(canonical.to_path_buf());
    }
}

/// True when `path` was read (accepted) by a generator in this process.
pub(crate) fn was_accepted(path: &Path) -> bool {
    let Ok(canonical) = std::fs::canonicalize(path) else {
        return false;
    };
    ACCEPTED.lock().is_ok_and(|set| set.contains(&canonical))
}

/// The text of a file shown in diagnostics' source lines, read by [`display_text`] once per
/// file rather than once per diagnostic: a document with many warnings was read, checked as
/// UTF-8 and scanned up to its line and column once per warning (20,000 warnings on a 7 MB
/// document took 100 s). Finding a line reads at most [`BLOCK`] bytes plus the line itself, and
/// a long line is read once: what is kept is bounded by the text's length divided by [`BLOCK`],
/// plus for a long line of a text that is not ASCII one offset per [`STEP`] characters.
pub(crate) struct DisplayText {
    text: String,
    /// (line index, byte offset where it starts): line 0, then the first line that starts at
    /// least [`BLOCK`] bytes after the previous mark; found lazily, only as far as the lines
    /// asked for (warnings about a document's first pages do not count its last ones).
    marks: std::cell::RefCell<Vec<(usize, usize)>>,
    /// How far [`DisplayText::marks`] are known: the index and start of the last line counted,
    /// and where the next mark may start; `None` once the whole text is counted.
    counted: std::cell::Cell<Option<(usize, usize, usize)>>,
    /// The lines of at least [`LONG_LINE`] bytes found so far, by line index (a minified
    /// document is one line, and may have thousands of diagnostics).
    long: std::cell::RefCell<std::collections::HashMap<usize, std::rc::Rc<Line>>>,
}

/// Bytes between two marks of [`DisplayText::marks`].
const BLOCK: usize = 64 * 1024;

/// Characters between two entries of a line's character index.
const STEP: usize = 1024;

/// Lines of this many bytes or more are kept in [`DisplayText::long`].
const LONG_LINE: usize = 4 * STEP;

/// A line's bytes (without its `\n` or `\r\n`) and, unless the line is ASCII, the byte offset
/// of its characters 0, [`STEP`], 2 × [`STEP`], …
struct Line {
    start: usize,
    end: usize,
    /// The line is ASCII: a column (in characters) is a byte offset.
    ascii: bool,
    chars: Vec<usize>,
}

impl DisplayText {
    fn new(text: String) -> Self {
        DisplayText {
            text,
            marks: std::cell::RefCell::new(vec![(0, 0)]),
            counted: std::cell::Cell::new(Some((0, 0, BLOCK))),
            long: Default::default(),
        }
    }

    /// Counts lines (with `memchr`) until line `i` is counted or the text ends, adding the
    /// marks met: the same marks, in the same order, as counting the whole text at once.
    fn count_to(&self, i: usize) {
        let Some((mut line, mut start, mut next)) = self.counted.get() else {
            return;
        };
        if line >= i {
            return;
        }
        let mut marks = self.marks.borrow_mut();
        let bytes = self.text.as_bytes();
        let mut ends = memchr::memchr_iter(b'\n', bytes.get(start..).unwrap_or_default());
        let base = start;
        while line < i {
            let Some(at) = ends.next() else {
                self.counted.set(None);
                return;
            };
            line += 1;
            start = base + at + 1;
            if start >= next {
                marks.push((line, start));
                next = start + BLOCK;
            }
        }
        self.counted.set(Some((line, start, next)));
    }

    /// Line `i` (0-based) as [`str::lines`] yields it.
    fn line(&self, i: usize) -> Option<std::rc::Rc<Line>> {
        if let Some(line) = self.long.borrow().get(&i) {
            return Some(line.clone());
        }
        self.count_to(i);
        let bytes = self.text.as_bytes();
        let (mut l, mut start) = {
            let marks = self.marks.borrow();
            let mark = marks.partition_point(|(l, _)| *l <= i).checked_sub(1)?;
            marks[mark]
        };
        while l < i {
            start += memchr::memchr(b'\n', bytes.get(start..)?)? + 1;
            l += 1;
        }
        if start >= bytes.len() {
            return None;
        }
        let end = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(e) if e > 0 && bytes[start + e - 1] == b'\r' => start + e - 1,
            Some(e) => start + e,
            None => bytes.len(),
        };
        let text = &self.text[start..end];
        let ascii = text.is_ascii();
        let line = std::rc::Rc::new(Line {
            start,
            end,
            ascii,
            chars: if ascii { Vec::new() } else { char_index(text) },
        });
        if text.len() >= LONG_LINE {
            self.long.borrow_mut().insert(i, line.clone());
        }
        Some(line)
    }

    /// The characters `from..to` of line `n` (1-based; clamped to the line), and the line's
    /// length in characters; `None` when there is no such line.
    pub(crate) fn window(&self, n: usize, from: usize, to: usize) -> Option<(&str, usize)> {
        let line = self.line(n.checked_sub(1)?)?;
        let text = &self.text[line.start..line.end];
        if line.ascii {
            let len = text.len();
            return Some((&text[from.min(len)..to.min(len).max(from.min(len))], len));
        }
        let index = &line.chars;
        let last = index.len().saturating_sub(1);
        let tail = index.get(last).copied().unwrap_or(0);
        let len = last * STEP + text[tail..].chars().count();
        let byte = |k: usize| {
            let j = (k / STEP).min(last);
            let base = index.get(j).copied().unwrap_or(0);
            text[base..]
                .char_indices()
                .nth(k - j * STEP)
                .map_or(text.len(), |(b, _)| base + b)
        };
        let (a, b) = (byte(from.min(len)), byte(to.min(len)));
        Some((&text[a..b.max(a)], len))
    }
}

/// The byte offset of characters 0, [`STEP`], 2 × [`STEP`], … of `line` (`[0]` when empty).
fn char_index(line: &str) -> Vec<usize> {
    let mut index: Vec<usize> = line.char_indices().step_by(STEP).map(|(b, _)| b).collect();
    if index.is_empty() {
        index.push(0);
    }
    index
}

/// A file [`display_text`] read: its canonical path, length and modification time (it is read
/// again when either changed), and its text.
type Displayed = (
    PathBuf,
    u64,
    Option<std::time::SystemTime>,
    std::rc::Rc<DisplayText>,
);

thread_local! {
    /// The last file [`display_text`] read.
    static DISPLAYED: std::cell::RefCell<Option<Displayed>> = const { std::cell::RefCell::new(None) };
}

/// [`read_for_display`]'s text with its lines found, kept for the next diagnostic of the same
/// file (checked, as there, to be a file accepted before and still a regular file; read again
/// when its length or modification time changed).
pub(crate) fn display_text(path: &Path) -> Option<std::rc::Rc<DisplayText>> {
    let (c, canonical) = for_display(path)?;
    let meta = std::fs::metadata(&canonical).ok()?;
    let (len, modified) = (meta.len(), meta.modified().ok());
    let hit = DISPLAYED.with(|d| {
        d.borrow()
            .as_ref()
            .filter(|(p, l, m, _)| *p == canonical && *l == len && *m == modified)
            .map(|(.., text)| text.clone())
    });
    if hit.is_some() {
        return hit;
    }
    let bytes = c.read(&canonical, path).ok()?;
    let text = std::rc::Rc::new(DisplayText::new(String::from_utf8(bytes).ok()?));
    DISPLAYED.with(|d| *d.borrow_mut() = Some((canonical, len, modified, text.clone())));
    Some(text)
}

/// Reads a file for display only if it was accepted before, is still a regular file and is not
/// over the default cap.
pub(crate) fn read_for_display(path: &Path) -> Option<String> {
    let (c, canonical) = for_display(path)?;
    let bytes = c.read(&canonical, path).ok()?;
    String::from_utf8(bytes).ok()
}

/// A reader under the default cap and `path` canonicalised, when `path` was accepted before and
/// is still a regular file: what may be shown of it.
fn for_display(path: &Path) -> Option<(Confinement, PathBuf)> {
    if !was_accepted(path) {
        return None;
    }
    let c = Confinement {
        roots: Vec::new(),
        max_bytes: DEFAULT_MAX_BYTES,
    };
    let canonical = c.check_trusted(path).ok()?;
    Some((c, canonical))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("api");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("root.yaml"), "a: 1\n").unwrap();
        std::fs::write(root.join("sub/x.yaml"), "b: 2\n").unwrap();
        std::fs::write(dir.path().join("secret.yaml"), "SECRET\n").unwrap();
        let doc = root.join("root.yaml");
        (dir, doc)
    }

    #[test]
    fn references_inside_the_folder_are_accepted() {
        let (_dir, doc) = setup();
        let c = Confinement::default_for(&doc);
        let a = c.check_reference(&doc, "sub/x.yaml").unwrap();
        assert!(a.display.ends_with("api/sub/x.yaml"));
        let a2 = c
            .check_reference(&a.display, "../root.yaml")
            .expect("`..` that stays inside is fine");
        assert!(a2.canonical.ends_with("api/root.yaml"));
        assert_eq!(c.read(&a.canonical, &a.display).unwrap(), b"b: 2\n");
        assert!(was_accepted(&a.display));
    }

    #[test]
    fn escapes_absolute_paths_urls_and_special_files_are_refused() {
        let (dir, doc) = setup();
        let c = Confinement::default_for(&doc);
        let code = |loc: &str| c.check_reference(&doc, loc).unwrap_err().code;
        assert_eq!(code("../secret.yaml"), "load::outside_root");
        assert_eq!(code("sub/../../secret.yaml"), "load::outside_root");
        let abs = dir.path().join("secret.yaml");
        assert_eq!(code(abs.to_str().unwrap()), "load::outside_root");
        assert_eq!(code("/etc/passwd"), "load::outside_root");
        assert_eq!(code("/proc/self/environ"), "load::special_file");
        assert_eq!(code("/dev/zero"), "load::special_file");
        assert_eq!(code("https://example.com/a.yaml"), "load::remote_ref");
        assert_eq!(code("file:///etc/passwd"), "load::remote_ref");
        assert_eq!(code("ftp:x"), "load::remote_ref");
        assert_eq!(code("//host/share/a.yaml"), "load::remote_ref");
        assert_eq!(code("sub"), "load::special_file");
        assert_eq!(code("missing.yaml"), "load::not_found");
        // A missing file outside is refused as outside: no oracle for what exists there.
        assert_eq!(code("../missing.yaml"), "load::outside_root");
        let refusal = c.check_reference(&doc, "../secret.yaml").unwrap_err();
        assert!(refusal.help.contains("--allow-path"), "{refusal:?}");
        assert!(!was_accepted(&abs));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_are_refused_and_allow_path_widens() {
        let (dir, doc) = setup();
        let link = doc.parent().unwrap().join("link.yaml");
        std::os::unix::fs::symlink(dir.path().join("secret.yaml"), &link).unwrap();
        let c = Confinement::default_for(&doc);
        assert_eq!(
            c.check_reference(&doc, "link.yaml").unwrap_err().code,
            "load::outside_root"
        );
        let wide = Confinement::for_root(&doc, &[dir.path().to_path_buf()], DEFAULT_MAX_BYTES);
        assert!(wide.check_reference(&doc, "link.yaml").is_ok());
        assert!(wide.check_reference(&doc, "../secret.yaml").is_ok());
        // Control characters in a reference do not reach the terminal.
        let r = c.check_reference(&doc, "../x\u{1b}[31m\nred").unwrap_err();
        assert!(
            !r.message.contains('\u{1b}') && !r.message.contains('\n'),
            "{r:?}"
        );
        // Still never special files.
        let wide = Confinement::for_root(&doc, &[PathBuf::from("/")], DEFAULT_MAX_BYTES);
        assert_eq!(
            wide.check_reference(&doc, "/dev/null").unwrap_err().code,
            "load::special_file"
        );
    }

    #[test]
    fn size_cap_applies_before_and_while_reading() {
        let (_dir, doc) = setup();
        let c = Confinement::for_root(&doc, &[], 3);
        assert_eq!(c.read_trusted(&doc).unwrap_err().code, "load::too_large");
        assert_eq!(
            c.check_reference(&doc, "sub/x.yaml").unwrap_err().code,
            "load::too_large"
        );
        let c = Confinement::default_for(&doc);
        assert_eq!(
            c.read_trusted(Path::new("/dev/zero")).unwrap_err().code,
            "load::special_file"
        );
        assert_eq!(
            c.read_trusted(doc.parent().unwrap()).unwrap_err().code,
            "load::special_file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn reading_a_fifo_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.yaml");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success());
        let c = Confinement::default_for(&fifo);
        // As if the check had passed and the file had been swapped for a FIFO since.
        let started = std::time::Instant::now();
        assert_eq!(c.read(&fifo, &fifo).unwrap_err().code, "load::special_file");
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn url_schemes() {
        assert_eq!(url_scheme("http://x"), Some("http"));
        assert_eq!(url_scheme("urn:x"), Some("urn"));
        assert_eq!(url_scheme("a.yaml#/b:c"), None);
        assert_eq!(url_scheme("dir/a:b.yaml"), None);
        assert_eq!(url_scheme("#/a"), None);
    }
}

#[cfg(test)]
mod display_tests {
    use super::*;

    /// What `render_with_source` showed before: the line by `str::lines`, its characters, the
    /// window `from..to` clamped to them.
    fn by_lines(text: &str, n: usize, from: usize, to: usize) -> Option<(String, usize)> {
        let line = text.lines().nth(n.checked_sub(1)?)?;
        let chars: Vec<char> = line.chars().collect();
        let len = chars.len();
        let (a, b) = (from.min(len), to.min(len).max(from.min(len)));
        Some((chars[a..b].iter().collect(), len))
    }

    fn check(text: &str) {
        let shown = DisplayText::new(text.to_owned());
        let lines = text.lines().count();
        for n in 0..=lines + 2 {
            let len = by_lines(text, n, 0, 0).map_or(0, |(_, len)| len);
            let mut cols = vec![
                0,
                1,
                59,
                60,
                61,
                len.saturating_sub(1),
                len,
                len + 1,
                len + 70,
            ];
            cols.extend([STEP - 1, STEP, STEP + 1, 3 * STEP + 7, len / 2]);
            for from in cols.iter().map(|c| c.saturating_sub(60)) {
                for to in [from, from + 1, from + 120, from + 2 * STEP] {
                    let got = shown.window(n, from, to).map(|(s, l)| (s.to_owned(), l));
                    assert_eq!(got, by_lines(text, n, from, to), "line {n} {from}..{to}");
                }
            }
        }
    }

    #[test]
    fn windows_are_those_of_str_lines() {
        check("");
        check("\n");
        check("a");
        check("a\n");
        check("a\r\nb\r\n\r\nc\rd\n\ne\r");
        check("é\nü\r\n€𝄞x\n\n");
        // Long lines, ASCII and not, so that character indexes and the long-line cache are used.
        let ascii: String = (0..10_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let wide: String = (0..10_000).map(|i| ['a', 'é', '€', '𝄞'][i % 4]).collect();
        check(&format!("{ascii}\n{ascii}\r\nshort\n{ascii}"));
        check(&format!("{wide}\n{wide}\r\nshort\n{wide}"));
        check(&format!("x\n{wide}"));
    }

    #[test]
    fn lines_past_many_blocks_are_found() {
        // Marks every BLOCK bytes: lines found after many of them, of every length around a mark.
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&"y".repeat(i % 37));
            if i % 3 == 0 {
                text.push('é');
            }
            text.push_str(if i % 5 == 0 { "\r\n" } else { "\n" });
        }
        let shown = DisplayText::new(text.clone());
        for (n, line) in text.lines().enumerate() {
            let len = line.chars().count();
            assert_eq!(
                shown.window(n + 1, 0, len + 1),
                Some((line, len)),
                "line {}",
                n + 1
            );
        }
        assert_eq!(shown.window(20_001, 0, 1), None);
        assert_eq!(shown.window(0, 0, 1), None);
        assert!(shown.marks.borrow().len() > 3);
        assert_eq!(*shown.marks.borrow(), all_marks(&text));
        // Lines asked for in any order: the marks are counted as far as needed, no further.
        let lines: Vec<&str> = text.lines().collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for first in [10_000, 19_999, 3, 0] {
            let shown = DisplayText::new(text.clone());
            let mut asked = vec![first];
            asked.extend((0..300).map(|_| rng.usize(0..lines.len() + 3)));
            for n in asked {
                let want = lines.get(n).map(|l| (*l, l.chars().count()));
                let len = want.map_or(0, |(_, len)| len);
                assert_eq!(shown.window(n + 1, 0, len + 1), want, "line {}", n + 1);
                let marks = shown.marks.borrow();
                let all = all_marks(&text);
                assert_eq!(*marks, all[..marks.len()], "marks after line {}", n + 1);
            }
        }
    }

    /// The marks as they were made before, counting the whole text at once.
    fn all_marks(text: &str) -> Vec<(usize, usize)> {
        let mut marks = vec![(0, 0)];
        let mut next = BLOCK;
        for (line, start) in text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1)
            .enumerate()
        {
            if start >= next {
                marks.push((line + 1, start));
                next = start + BLOCK;
            }
        }
        marks
    }

    #[test]
    fn only_the_lines_asked_for_are_counted() {
        let text = "line\n".repeat(100_000);
        let shown = DisplayText::new(text.clone());
        assert_eq!(shown.window(3, 0, 4), Some(("line", 4)));
        assert_eq!(shown.marks.borrow().len(), 1);
        assert!(shown.counted.get().is_some_and(|(line, ..)| line == 2));
        assert_eq!(shown.window(100_000, 0, 4), Some(("line", 4)));
        assert_eq!(*shown.marks.borrow(), all_marks(&text));
        // Line 100,001 starts at the end of the text: there is none (as for `str::lines`).
        assert_eq!(shown.window(100_001, 0, 4), None);
        assert_eq!(shown.window(100_002, 0, 4), None);
        assert!(shown.counted.get().is_none());
    }
}
