//! `$ref` resolution across documents.
//!
//! A [`DocSet`] owns every document loaded for one lowering: the root and each external file a
//! `$ref` names (`other.yaml#/Foo`, `./dir/x.json`), loaded relative to the referencing file,
//! parsed once and cached. Documents are handed out as [`Rc`]s so a caller can keep borrowing a
//! value while the set loads more files.

use super::AtPointer;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use percent_encoding::percent_decode_str;

use super::confine::{Confinement, Refusal};
use super::{parse_bytes, Document};
use crate::diag::Diagnostic;

/// Index of a document in a [`DocSet`]; `0` is the root.
pub(crate) type FileId = usize;

/// All documents of one lowering.
#[derive(Debug)]
pub(crate) struct DocSet {
    docs: Vec<Rc<Document>>,
    by_path: HashMap<PathBuf, FileId>,
    /// Files that could not be loaded, so each failure is reported once.
    failed: HashMap<PathBuf, RefError>,
    /// Which files references may name.
    confinement: Confinement,
    /// Diagnostics from loading external files (parse warnings located in those files).
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The errors of external files that could not be parsed, located in those files: the
    /// references to such a file fail like any broken reference (what depends on them is
    /// skipped), so the front end decides whether these are reported as errors (`--strict`).
    pub(crate) unreadable: Vec<Diagnostic>,
    /// Where [`DocSet::follow`] ends for every place it has passed through, so that each `$ref`
    /// is resolved once however many chains go through it (a chain of n references costs n
    /// steps in all, not n² / 2).
    followed: super::FastMap<Target, Result<Target, (Target, RefError)>>,
    /// Documents by the path they were read from (first one wins), for [`DocSet::id_of`].
    by_doc_path: HashMap<PathBuf, FileId>,
    /// Places [`DocSet::follow`] has looked at so far (tests check this stays linear).
    pub(crate) hops: usize,
}

/// Longest chain [`DocSet::follow_read`] searches for a cycle by comparing places in turn;
/// a longer one is looked up by hash (so that chains of any length stay linear).
const SCAN_PATH: usize = 8;

/// A resolved reference: a document and a pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Target {
    /// The document.
    pub(crate) file: FileId,
    /// JSON pointer inside it (`""` for the whole document).
    pub(crate) pointer: String,
}

/// Why a reference cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RefError {
    /// What is wrong.
    pub(crate) message: String,
    /// Set when the file named by the reference is not read: the confinement refused it, it
    /// does not exist, or it cannot be parsed. The diagnostic code and hint to use instead of
    /// the front end's "dangling reference".
    pub(crate) refusal: Option<Refusal>,
}

impl RefError {
    fn refused(refusal: Refusal) -> Self {
        RefError {
            message: refusal.message.clone(),
            refusal: Some(refusal),
        }
    }
}

impl From<String> for RefError {
    fn from(message: String) -> Self {
        RefError {
            message,
            refusal: None,
        }
    }
}

impl From<&str> for RefError {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl DocSet {
    /// A set holding the root document; references may name files in its folder only.
    #[cfg(test)]
    pub(crate) fn new(root: Document) -> Self {
        let confinement = Confinement::default_for(&root.path);
        Self::confined(root, confinement)
    }

    /// A set holding the root document; references may name files `confinement` accepts.
    pub(crate) fn confined(root: Document, confinement: Confinement) -> Self {
        let mut by_path = HashMap::new();
        by_path.insert(canonical(&root.path), 0);
        let by_doc_path = HashMap::from([(root.path.clone(), 0)]);
        DocSet {
            docs: vec![Rc::new(root)],
            by_path,
            failed: HashMap::new(),
            confinement,
            diagnostics: Vec::new(),
            unreadable: Vec::new(),
            followed: Default::default(),
            by_doc_path,
            hops: 0,
        }
    }

    /// The document with this id.
    pub(crate) fn doc(&self, id: FileId) -> Rc<Document> {
        Rc::clone(&self.docs[id.min(self.docs.len() - 1)])
    }

    /// Every file read, root first, in load order.
    pub(crate) fn files_read(&self) -> Vec<PathBuf> {
        self.docs.iter().map(|d| d.path.clone()).collect()
    }

    /// Resolves the reference string `reference` found in document `from`. Loads an external
    /// file on first use (only a file the confinement accepts; a refused one is never opened).
    /// On failure returns the error (the caller locates it at the `$ref`).
    pub(crate) fn resolve(&mut self, from: FileId, reference: &str) -> Result<Target, RefError> {
        self.resolve_reading(from, reference, |_| ())
            .map(|(t, ())| t)
    }

    /// [`DocSet::resolve`], giving also what `read` makes of the value the reference names
    /// (found to check that it exists), so that a caller need not look it up again.
    fn resolve_reading<R>(
        &mut self,
        from: FileId,
        reference: &str,
        read: impl FnOnce(&serde_json::Value) -> R,
    ) -> Result<(Target, R), RefError> {
        let (file_part, fragment) = match memchr::memchr(b'#', reference.as_bytes()) {
            // `#` is ASCII: `i` is a character boundary.
            Some(i) => (&reference[..i], &reference[i + 1..]),
            None => (reference, ""),
        };
        // A fragment without `%` decodes to itself (it is already UTF-8).
        let pointer = if memchr::memchr(b'%', fragment.as_bytes()).is_none() {
            fragment.to_owned()
        } else {
            percent_decode_str(fragment)
                .decode_utf8_lossy()
                .into_owned()
        };
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!(
                "`{reference}`: the fragment must be a JSON pointer starting with `/`"
            )
            .into());
        }
        let file = if file_part.is_empty() {
            from
        } else {
            self.load_relative(from, file_part)?
        };
        let doc = self.doc(file);
        let Some(found) = super::pointer(&doc.value, &pointer) else {
            return Err(if file_part.is_empty() {
                format!("`{reference}` points to nothing in this document")
            } else {
                format!(
                    "`{reference}` points to nothing in `{}`",
                    doc.path.display()
                )
            }
            .into());
        };
        let read = read(found);
        Ok((Target { file, pointer }, read))
    }

    /// Follows `$ref`s starting at `start` until a value that is not a reference. Cycles and
    /// dangling references give an error message and the pointer of the offending `$ref`.
    ///
    /// Iterative, and memoised: every place passed through records where its chain ends, so a
    /// chain is walked once in all (a later `follow` from anywhere on it is one lookup), and
    /// chains of any length cost neither stack nor quadratic time. The results are those of a
    /// plain walk: a dangling or non-string `$ref` is reported at that `$ref` whatever the
    /// start; a cycle is reported at the first place on it reached from the start.
    pub(crate) fn follow(&mut self, start: Target) -> Result<Target, (Target, RefError)> {
        self.follow_read(start, None)
    }

    /// [`DocSet::follow`] when the caller has already read the value at `start` (`known`): a
    /// value without `$ref` is where the walk ends, without looking `start` up again from the
    /// document's root (a place without `$ref` is never in the memo: only the places of a
    /// chain are).
    pub(crate) fn follow_read(
        &mut self,
        start: Target,
        known: Option<&serde_json::Value>,
    ) -> Result<Target, (Target, RefError)> {
        if let Some(v) = known {
            if !v
                .as_object()
                .is_some_and(|m| super::Members::has_field(m, "$ref"))
            {
                self.hops += 1;
                return Ok(start);
            }
        }
        // The places passed through, in order, and (once there are more than a few: most
        // chains are one or two references long) their index by place, for cycle detection.
        let mut path: Vec<Target> = Vec::new();
        let mut on_path: super::FastMap<Target, usize> = Default::default();
        // The `$ref` member of a place, where an error is reported.
        let at = |cur: &Target| Target {
            file: cur.file,
            pointer: format!("{}/$ref", cur.pointer),
        };
        let mut cur = start;
        // The `$ref` of `cur` when it is known without looking `cur` up: the caller's value,
        // then what resolving the previous reference found.
        let mut cur_ref = known.map(ref_of);
        let end = loop {
            if let Some(known) = self.followed.get(&cur) {
                break known.clone();
            }
            self.hops += 1;
            let r = match cur_ref.take() {
                Some(r) => r,
                None => ref_of_at(&self.doc(cur.file).value, &cur.pointer),
            };
            let r = match r {
                RefOf::None => break Ok(cur),
                RefOf::NotString => break Err((at(&cur), "`$ref` must be a string".into())),
                RefOf::Str(r) => r,
            };
            let r = r.as_str();
            let seen = if path.len() <= SCAN_PATH {
                path.iter().position(|p| *p == cur)
            } else {
                on_path.get(&cur).copied()
            };
            if let Some(first) = seen {
                // A cycle: from each place on it, the walk first comes back to that place; from
                // the places leading into it, to `cur`.
                let cycle = path.split_off(first);
                self.record_cycle(&cycle);
                break Err((
                    at(&cur),
                    format!("`{r}` is part of a reference cycle").into(),
                ));
            }
            let next = match self.resolve_reading(cur.file, r, ref_of) {
                Ok((next, next_ref)) => {
                    cur_ref = Some(next_ref);
                    next
                }
                Err(msg) => break Err((at(&cur), msg)),
            };
            if path.len() == SCAN_PATH {
                on_path.extend(path.iter().cloned().zip(0..));
            }
            if path.len() >= SCAN_PATH {
                on_path.insert(cur.clone(), path.len());
            }
            path.push(std::mem::replace(&mut cur, next));
        };
        for place in path {
            self.followed.insert(place, end.clone());
        }
        end
    }

    /// Records, for each place of a `$ref` cycle, the cycle error a walk starting there gives.
    fn record_cycle(&mut self, cycle: &[Target]) {
        for place in cycle {
            let doc = self.doc(place.file);
            let r = doc
                .value
                .at_pointer(&place.pointer)
                .and_then(|v| v.get("$ref"))
                .and_then(|r| r.as_str())
                .unwrap_or_default();
            let at = Target {
                file: place.file,
                pointer: format!("{}/$ref", place.pointer),
            };
            let err = Err((at, format!("`{r}` is part of a reference cycle").into()));
            self.followed.insert(place.clone(), err);
        }
    }

    fn load_relative(&mut self, from: FileId, file_part: &str) -> Result<FileId, RefError> {
        let base = self.doc(from).path.clone();
        let decoded = percent_decode_str(file_part).decode_utf8_lossy();
        // Refused before anything is opened: nothing of a refused file is ever read.
        let accepted = match self.confinement.check_reference(&base, &decoded) {
            Ok(a) => a,
            Err(refusal) => return Err(RefError::refused(refusal)),
        };
        let key = accepted.canonical.clone();
        if let Some(id) = self.by_path.get(&key) {
            return Ok(*id);
        }
        if let Some(err) = self.failed.get(&key) {
            return Err(err.clone());
        }
        let path = accepted.display;
        let (doc, diags) = match self.confinement.read(&accepted.canonical, &path) {
            Ok(bytes) => parse_bytes(&path, bytes),
            Err(refusal) => {
                let err = RefError::refused(refusal);
                self.failed.insert(key, err.clone());
                return Err(err);
            }
        };
        // Parse errors are located in the referenced file itself (an accepted file).
        if doc.is_some() {
            self.diagnostics.extend(diags);
        } else {
            let (errors, rest): (Vec<Diagnostic>, Vec<Diagnostic>) =
                diags.into_iter().partition(Diagnostic::is_error);
            self.diagnostics.extend(rest);
            self.unreadable.extend(errors);
        }
        match doc {
            Some(doc) => {
                let id = self.docs.len();
                self.by_doc_path.entry(doc.path.clone()).or_insert(id);
                self.docs.push(Rc::new(doc));
                self.by_path.insert(key, id);
                Ok(id)
            }
            None => {
                let err = RefError::refused(Refusal::unreadable(&path));
                self.failed.insert(key, err.clone());
                Err(err)
            }
        }
    }

    /// Rewrites document `file`'s value in place with `edit` (the Swagger 2.0 conversion of the
    /// root and of the parts of other files it references). Forgets every followed chain: the
    /// `$ref`s may have changed.
    pub(crate) fn edit(&mut self, file: FileId, edit: impl FnOnce(&mut serde_json::Value)) {
        if let Some(doc) = self.docs.get_mut(file) {
            edit(&mut Rc::make_mut(doc).value);
            self.followed.clear();
        }
    }

    /// The value at `pointer` in document `file`.
    #[cfg(test)]
    pub(crate) fn value_at(&self, file: FileId, pointer: &str) -> Option<serde_json::Value> {
        self.docs
            .get(file)
            .and_then(|d| d.value.at_pointer(pointer))
            .cloned()
    }

    /// The id of the document read from `path`, if loaded.
    pub(crate) fn id_of(&self, path: &Path) -> Option<FileId> {
        self.by_doc_path.get(path).copied()
    }
}

/// The `$ref` member of a value, as [`DocSet::follow_read`] needs it.
enum RefOf {
    /// Not an object with a `$ref` (or nothing there): where a chain ends.
    None,
    /// A `$ref` that is not a string.
    NotString,
    /// The reference.
    Str(String),
}

/// The `$ref` of `v`.
fn ref_of(v: &serde_json::Value) -> RefOf {
    match super::Members::field(v, "$ref") {
        None => RefOf::None,
        Some(serde_json::Value::String(r)) => RefOf::Str(r.clone()),
        Some(_) => RefOf::NotString,
    }
}

/// The `$ref` of the value at `pointer` in `root` ([`RefOf::None`] when there is none).
fn ref_of_at(root: &serde_json::Value, pointer: &str) -> RefOf {
    super::pointer(root, pointer).map_or(RefOf::None, ref_of)
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::confine::normalize;
    use crate::load::parse;

    fn set(text: &str) -> DocSet {
        let (doc, d) = parse(Path::new("/nonexistent/root.yaml"), text.into());
        assert!(d.is_empty());
        DocSet::new(doc.unwrap())
    }

    #[test]
    fn local_refs_resolve_and_dangle() {
        let mut s = set("a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {x: 1}\nd: {$ref: '#/d'}\n");
        let t = s.resolve(0, "#/a").unwrap();
        let end = s.follow(t).unwrap();
        assert_eq!(end.pointer, "/c");
        assert!(s
            .resolve(0, "#/nope")
            .unwrap_err()
            .message
            .contains("points to nothing"));
        let cyc = s
            .follow(Target {
                file: 0,
                pointer: "/d".into(),
            })
            .unwrap_err();
        assert_eq!(cyc.0.pointer, "/d/$ref");
        assert!(cyc.1.message.contains("cycle"));
    }

    /// A chain `/c/0 -> /c/1 -> … -> /c/n` (the last one a schema), as YAML.
    fn chain(n: usize) -> String {
        let mut text = String::from("c:\n");
        for i in 0..n {
            text.push_str(&format!("  '{i}': {{$ref: '#/c/{}'}}\n", i + 1));
        }
        text.push_str(&format!("  '{n}': {{type: string}}\n"));
        text
    }

    fn at(pointer: &str) -> Target {
        Target {
            file: 0,
            pointer: pointer.into(),
        }
    }

    #[test]
    fn following_every_link_of_a_long_chain_is_linear() {
        // Following from every place of an n-long chain used to cost n²/2 hops (and gave up
        // after 64): each place is now looked at once, whatever order the starts come in.
        let n = 5_000;
        let mut s = set(&chain(n));
        let mut calls = 0;
        for i in (0..=n).rev().step_by(7).chain(0..=n) {
            let end = s.follow(at(&format!("/c/{i}"))).unwrap();
            assert_eq!(end.pointer, format!("/c/{n}"));
            calls += 1;
        }
        // Each `$ref` once, plus the end of the chain once per call that does not start on a
        // place already followed.
        assert!(
            s.hops <= n + calls,
            "{} hops for {n} refs, {calls} calls",
            s.hops
        );
    }

    #[test]
    fn memoised_cycles_report_where_a_plain_walk_would() {
        // a -> b -> c -> b: from a or b the walk first comes back to b; from c, to c.
        let mut s = set("a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {$ref: '#/b'}\nd: {$ref: '#/a'}\n");
        for (start, reported) in [
            ("/a", "/b/$ref"),
            ("/c", "/c/$ref"),
            ("/b", "/b/$ref"),
            ("/d", "/b/$ref"),
        ] {
            let (where_, msg) = s.follow(at(start)).unwrap_err();
            assert_eq!(where_.pointer, reported, "from {start}");
            assert!(msg.message.contains("cycle"), "{msg:?}");
        }
        // A dangling end is reported at the last `$ref`, from anywhere on the chain.
        let mut s = set("a: {$ref: '#/b'}\nb: {$ref: '#/nope'}\n");
        for start in ["/b", "/a"] {
            let (where_, msg) = s.follow(at(start)).unwrap_err();
            assert_eq!(where_.pointer, "/b/$ref");
            assert!(msg.message.contains("points to nothing"), "{msg:?}");
        }
    }

    /// Cycles shorter and longer than the places compared in turn (`SCAN_PATH`), entered
    /// after lead-ins of every length up to past it: reported where the walk first comes back.
    #[test]
    fn cycles_of_every_length_are_found_where_the_walk_comes_back() {
        for lead in [0, 1, 7, 8, 9, 12] {
            for len in [1, 2, 7, 8, 9, 10, 20] {
                let mut text = String::from("p:\n");
                for i in 0..lead {
                    let next = if i + 1 == lead {
                        "#/q/0".to_string()
                    } else {
                        format!("#/p/{}", i + 1)
                    };
                    text.push_str(&format!("  '{i}': {{$ref: '{next}'}}\n"));
                }
                if lead == 0 {
                    text = String::new();
                }
                text.push_str("q:\n");
                for i in 0..len {
                    text.push_str(&format!("  '{i}': {{$ref: '#/q/{}'}}\n", (i + 1) % len));
                }
                let start = if lead == 0 { "/q/0" } else { "/p/0" };
                let (where_, msg) = set(&text).follow(at(start)).unwrap_err();
                assert_eq!(where_.pointer, "/q/0/$ref", "lead {lead}, cycle {len}");
                assert!(msg.message.contains("cycle"), "{msg:?}");
                let mid = format!("/q/{}", len / 2);
                let (where_, _) = set(&text).follow(at(&mid)).unwrap_err();
                assert_eq!(
                    where_.pointer,
                    format!("{mid}/$ref"),
                    "lead {lead}, cycle {len}"
                );
            }
        }
    }

    /// `follow_read` with the value at the start gives what `follow` gives, from every place
    /// of a document with chains, cycles, dangling and non-string references, in any order
    /// and whatever the memo already holds.
    #[test]
    fn follow_read_is_follow() {
        let text = "a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {x: 1, y: [1, {$ref: '#/a'}]}\n\
                    d: {$ref: '#/e'}\ne: {$ref: '#/d'}\nf: {$ref: '#/nope'}\ng: {$ref: 7}\n\
                    h: [{$ref: '#/c/y/1'}, 2]\ni: plain\nj: {}\n";
        let places = [
            "", "/a", "/b", "/c", "/c/x", "/c/y", "/c/y/0", "/c/y/1", "/d", "/e", "/f", "/g", "/h",
            "/h/0", "/h/1", "/i", "/j", "/nope",
        ];
        for order in [places.to_vec(), places.iter().rev().copied().collect()] {
            let (mut plain, mut read) = (set(text), set(text));
            for p in &order {
                let doc = read.doc(0);
                let known = doc.value.at_pointer(p);
                let want = plain.follow(at(p));
                assert_eq!(read.follow_read(at(p), known), want, "from {p:?}");
                assert_eq!(read.follow_read(at(p), None), want, "again from {p:?}");
            }
        }
    }

    /// Every way a referenced file is not read gives a `refusal` with its own code (the front
    /// end skips what depends on it), and an unparsable file's errors are kept apart.
    #[test]
    fn files_not_read_are_refusals_with_their_code() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("api")).unwrap();
        std::fs::write(dir.path().join("secret.yaml"), "X: {type: string}\n").unwrap();
        std::fs::write(dir.path().join("api/bad.yaml"), "a: [unclosed\n").unwrap();
        let root = dir.path().join("api/root.yaml");
        std::fs::write(&root, "a: 1\n").unwrap();
        let (doc, _) = crate::load::load_file(&root);
        let mut s = DocSet::new(doc.unwrap());
        let code = |s: &mut DocSet, r: &str| s.resolve(0, r).unwrap_err().refusal.map(|r| r.code);
        assert_eq!(
            code(&mut s, "../secret.yaml#/X"),
            Some("load::outside_root")
        );
        assert_eq!(code(&mut s, "missing.yaml#/X"), Some("load::not_found"));
        assert_eq!(
            code(&mut s, "https://example.com/x.yaml"),
            Some("load::remote_ref")
        );
        assert_eq!(code(&mut s, "bad.yaml#/a"), Some("load::unreadable"));
        // Asked again: the same answer, the file not parsed twice.
        assert_eq!(code(&mut s, "bad.yaml"), Some("load::unreadable"));
        assert_eq!(s.unreadable.len(), 1, "{:?}", s.unreadable);
        assert!(s.unreadable[0].is_error() && s.diagnostics.is_empty());
        // A pointer to nothing in a file that was read is not a refusal.
        assert!(s.resolve(0, "#/nope").unwrap_err().refusal.is_none());
        assert_eq!(s.files_read().len(), 1);
    }

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(
            normalize(Path::new("a/b/../c/./d.yaml")),
            Path::new("a/c/d.yaml")
        );
        assert_eq!(normalize(Path::new("../x.yaml")), Path::new("../x.yaml"));
    }

    #[test]
    fn percent_encoded_fragments_and_remote_refs() {
        let mut s = set("paths:\n  /a/{b}:\n    x: 1\n");
        let t = s.resolve(0, "#/paths/~1a~1%7Bb%7D").unwrap();
        assert_eq!(s.value_at(t.file, &t.pointer).unwrap()["x"], 1);
        assert!(s.resolve(0, "https://example.com/x.yaml#/a").is_err());
        assert!(s.resolve(0, "missing.yaml#/a").is_err());
        assert_eq!(s.files_read().len(), 1);
    }
}
