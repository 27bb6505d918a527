//! Reading documents: files, YAML/JSON detection by content, source positions for diagnostics.
//!
//! A [`Document`] keeps its source text next to the parsed [`serde_json::Value`] so that the JSON
//! pointers carried by diagnostics can be turned into line/column positions afterwards
//! ([`position::locate`]), lazily and only for the diagnostics actually emitted.
//!
//! Raw control characters (C0 except tab/LF/CR, DEL, and C1 except NEL) are not printable in YAML
//! and strict parsers reject them; some vendor documents contain them inside strings anyway. The
//! loader replaces them with U+FFFD before parsing a YAML document and emits one
//! `load::control_characters` warning naming the first line and the count, rather than failing.

pub(crate) mod confine;
mod flow_depth;
pub(crate) mod position;
pub(crate) mod refs;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::Diagnostic;

/// Source syntax of a document, detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON (first non-space character is `{` or `[`).
    Json,
    /// YAML (anything else).
    Yaml,
}

/// A parsed document with its source text.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// The file the document was read from.
    pub(crate) path: PathBuf,
    /// Source text (after control-character replacement, for YAML), used to locate pointers.
    pub(crate) text: String,
    /// Detected syntax.
    pub(crate) format: Format,
    /// The parsed document.
    pub(crate) value: Value,
}

impl Document {
    /// Line/column (1-based) of each pointer; see [`position::locate`].
    pub(crate) fn locate(&self, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
        position::locate(&self.text, self.format, pointers)
    }
}

/// The hasher of the maps of lowering, `$ref` resolution and naming, keyed by what a document
/// spells (pointers, names): foldhash, which is several times faster than std's SipHash on
/// such keys (SipHash was 87 M instructions of GitHub's generation, 170 M of Stripe's). A
/// document is hostile input, so the seeds are random: the shared one is drawn once per process
/// and each map's own once per map, both from std's `RandomState` (the operating system's
/// randomness). A document cannot observe hashes during the run, so it cannot adapt to the
/// seeds: foldhash's resistance to precomputed collisions is what this case needs. No map of
/// this hasher is iterated into anything whose order matters (output order never depends on
/// a hash).
#[derive(Clone)]
pub(crate) struct Seeded(foldhash::fast::SeedableRandomState);

impl Default for Seeded {
    fn default() -> Self {
        use std::hash::BuildHasher;
        static SHARED: std::sync::OnceLock<foldhash::SharedSeed> = std::sync::OnceLock::new();
        let os = std::collections::hash_map::RandomState::new();
        let shared = SHARED.get_or_init(|| foldhash::SharedSeed::from_u64(os.hash_one(0x5eed_u64)));
        Seeded(foldhash::fast::SeedableRandomState::with_seed(
            os.hash_one(1_u64),
            shared,
        ))
    }
}

impl std::hash::BuildHasher for Seeded {
    type Hasher = foldhash::fast::FoldHasher<'static>;

    fn build_hasher(&self) -> Self::Hasher {
        self.0.build_hasher()
    }
}

/// A `HashMap` with the [`Seeded`] hasher (make one with `default()`).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, Seeded>;

/// A `HashSet` with the [`Seeded`] hasher (make one with `default()`).
pub(crate) type FastSet<T> = std::collections::HashSet<T, Seeded>;

/// The value `pointer` (a JSON pointer, RFC 6901) names in `value`: what
/// [`Value::pointer`] returns, without unescaping (two `String`s per reference token) the tokens
/// that hold no `~`. Lowering looks up schemas by pointer hundreds of thousands of times (half of
/// lowering Stripe went to `Value::pointer`).
pub(crate) fn pointer<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let mut rest = pointer.strip_prefix('/')?;
    let mut target = value;
    // Most pointers hold no `~` at all: one search of the whole pointer spares a test per
    // token (memchr; a byte at a time was most of this function's cost on GitHub's long
    // path pointers).
    let tildes = memchr::memchr(b'~', rest.as_bytes()).is_some();
    loop {
        let end = memchr::memchr(b'/', rest.as_bytes()).unwrap_or(rest.len());
        // `/` is ASCII: `end` is a character boundary.
        let (raw, after) = rest.split_at(end);
        target = if tildes && memchr::memchr(b'~', raw.as_bytes()).is_some() {
            // One buffer per thread for the tokens that hold a `~` (the paths of GitHub's
            // and Stripe's documents: `~1`).
            UNESCAPED.with_borrow_mut(|token| {
                unescape_into(raw, token);
                step(target, token)
            })?
        } else {
            step(target, raw)?
        };
        match after.strip_prefix('/') {
            Some(next) => rest = next,
            None => return Some(target),
        }
    }
}

thread_local! {
    /// [`pointer`]'s buffer for an unescaped token.
    static UNESCAPED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The member or element `token` (unescaped) of `target`, as [`Value::pointer`] finds it.
fn step<'v>(target: &'v Value, token: &str) -> Option<&'v Value> {
    match target {
        Value::Object(map) => member(map, token),
        Value::Array(list) => list.get(array_index(token)?),
        _ => None,
    }
}

/// `map.get(key)`, by comparing the keys of a small map in turn rather than hashing `key`
/// (SipHash): most objects of a document have a handful of members, and looking up a token
/// costs a hash of it otherwise. Keys are unique, so both find the same member; a large map
/// (attacker-sized) is still looked up by hash.
pub(crate) fn member<'v>(map: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if map.len() <= SCAN_MAX {
        // Length and first byte before the whole comparison (a call to `memcmp`): keys of one
        // schema rarely share both.
        let (len, first) = (key.len(), key.as_bytes().first());
        map.iter()
            .find(|(k, _)| k.len() == len && k.as_bytes().first() == first && k.as_str() == key)
            .map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// Largest map [`member`] scans rather than hashes.
const SCAN_MAX: usize = 8;

/// A member of an object by name, through [`member`]: lowering reads a dozen keywords of every
/// schema (`$ref`, `allOf`, `type`, `nullable`, …), each a SipHash of the keyword with
/// `Map::get`.
pub(crate) trait Members {
    /// `self.get(key)`: the member `key` of an object, `None` for a missing one (or, for a
    /// [`Value`], one that is not an object).
    fn field(&self, key: &str) -> Option<&Value>;

    /// Whether the object has a member `key` (`contains_key`).
    fn has_field(&self, key: &str) -> bool {
        self.field(key).is_some()
    }
}

impl Members for serde_json::Map<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        member(self, key)
    }
}

impl Members for Value {
    fn field(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => member(map, key),
            _ => None,
        }
    }
}

/// [`pointer`] as a method of [`Value`], for the front ends' look-ups (`doc.value.at_pointer(p)`):
/// what [`Value::pointer`] returns, without its two `String`s per reference token (Stripe:
/// 273 M instructions in `Value::pointer`, 6 % of generating it).
pub(crate) trait AtPointer {
    /// The value `pointer` names in `self`: [`pointer`].
    fn at_pointer(&self, pointer: &str) -> Option<&Value>;
}

impl AtPointer for Value {
    fn at_pointer(&self, p: &str) -> Option<&Value> {
        pointer(self, p)
    }
}

/// Unescapes one reference token of a JSON pointer: `token.replace("~1", "/").replace("~0", "~")`
/// in one pass (a `~` followed by `1` or `0` stands for `/` or `~`, any other `~` for itself).
pub(crate) fn unescape_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    unescape_into(token, &mut out);
    out
}

/// [`unescape_token`] into `out` (cleared first): the text between two `~` is copied whole.
fn unescape_into(token: &str, out: &mut String) {
    out.clear();
    let bytes = token.as_bytes();
    let mut start = 0;
    // From one `~` to the next (memchr), the text between copied whole.
    while let Some(j) = memchr::memchr(b'~', &bytes[start..]) {
        let i = start + j;
        // `~1` is `/`, `~0` is `~`, any other `~` stands for itself.
        let (c, len) = match bytes.get(i + 1) {
            Some(b'1') => ('/', 2),
            Some(b'0') => ('~', 2),
            _ => ('~', 1),
        };
        // `~` and the digit after it are ASCII: `start` and `i` are character boundaries.
        out.push_str(&token[start..i]);
        out.push(c);
        start = i + len;
    }
    out.push_str(&token[start..]);
}

/// An array index token as [`Value::pointer`] reads it: digits without a sign or a leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// Detects JSON vs YAML by content: the first non-whitespace character (after a BOM) being `{` or
/// `[` means JSON, anything else YAML.
pub(crate) fn detect_format(text: &str) -> Format {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') | Some('[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// Reads and parses the file at `path`, a path the user gave (checked as a regular file under
/// the default size cap). Never panics; on failure returns `None` and an error diagnostic
/// located in the file.
#[cfg(test)]
pub(crate) fn load_file(path: &Path) -> (Option<Document>, Vec<Diagnostic>) {
    load_trusted(path, &confine::Confinement::default_for(path))
}

/// Reads and parses a file the user named, under `confinement`'s checks (regular file, size
/// cap); nothing is read from a refused file.
pub(crate) fn load_trusted(
    path: &Path,
    confinement: &confine::Confinement,
) -> (Option<Document>, Vec<Diagnostic>) {
    match crate::timings::phase("read", || confinement.read_trusted(path)) {
        Ok(bytes) => parse_bytes(path, bytes),
        Err(refusal) => (None, vec![refusal.diagnostic().at(path, "")]),
    }
}

/// Decodes `bytes` (read from `path`) as UTF-8 and parses them.
pub(crate) fn parse_bytes(path: &Path, bytes: Vec<u8>) -> (Option<Document>, Vec<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(text) => parse(path, text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or(&[]));
            let (line, col) = position::line_col_of_offset(&prefix, prefix.len());
            let d = Diagnostic::error("load::not_utf8", "file is not valid UTF-8")
                .at_line(path, "", line, col)
                .help("save the document as UTF-8");
            (None, vec![d])
        }
    }
}

/// Parses `text` (read from `path`) as JSON or YAML, detected by content.
pub(crate) fn parse(path: &Path, text: String) -> (Option<Document>, Vec<Diagnostic>) {
    crate::timings::phase("parse (YAML/JSON -> value)", || parse_untimed(path, text))
}

fn parse_untimed(path: &Path, text: String) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let format = detect_format(&text);
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    let parsed = match format {
        Format::Json => serde_json::from_str::<Value>(&text).map_err(|e| {
            let (line, col) = (e.line() as u32, e.column().max(1) as u32);
            if e.to_string().starts_with("recursion limit exceeded") {
                return too_deep(path, line.max(1), col);
            }
            Diagnostic::error("load::invalid_json", format!("invalid JSON: {e}"))
                .at_line(path, "", line.max(1), col)
                .help("fix the syntax error at this position (a JSON validator or formatter shows the context)")
        }),
        Format::Yaml => {
            let (clean, (first_line, first_col), count) = replace_control_chars(&text);
            if count > 0 {
                diags.push(
                    Diagnostic::warning(
                        "load::control_characters",
                        format!(
                            "{count} raw control character(s) replaced by U+FFFD (first on line {first_line})"
                        ),
                    )
                    .at_line(path, "", first_line, first_col)
                    .help("YAML does not allow raw control characters; escape them in double-quoted strings (e.g. \"\\x85\") or remove them"),
                );
            }
            let source = clean.as_deref().unwrap_or(&text);
            let result = match yaml_too_deep(source) {
                Some((line, col)) => Err(too_deep(path, line, col)),
                None => parse_yaml(source).map_err(|e| yaml_error(path, source, &e)),
            };
            if let Some(clean) = clean {
                return finish(path, clean, format, result, diags);
            }
            result
        }
    };
    finish(path, text, format, parsed, diags)
}

fn finish(
    path: &Path,
    text: String,
    format: Format,
    parsed: Result<Value, Diagnostic>,
    mut diags: Vec<Diagnostic>,
) -> (Option<Document>, Vec<Diagnostic>) {
    match parsed {
        Ok(value) => (
            Some(Document {
                path: path.to_path_buf(),
                text,
                format,
                value,
            }),
            diags,
        ),
        Err(d) => {
            diags.push(d);
            (None, diags)
        }
    }
}

/// Most nesting levels of a document (serde_json's and serde_norway's own limit).
pub(crate) const MAX_DEPTH: u32 = 128;

fn too_deep(path: &Path, line: u32, col: u32) -> Diagnostic {
    Diagnostic::error(
        "load::too_deep",
        format!("the document nests deeper than {MAX_DEPTH} levels here"),
    )
    .at_line(path, "", line, col)
    .help("flatten the document: move deeply nested schemas to named definitions and refer to them with `$ref`")
}

/// Position of the first flow collection (`[`, `{`) nested deeper than [`MAX_DEPTH`]: libyaml
/// (under serde_norway) scans a whole flow collection before its own depth limit applies, in
/// time quadratic in the nesting (100,000 `[` take minutes), so a linear scan
/// ([`flow_depth`]) runs first. Block nesting costs a line per level and is left to
/// serde_norway's limit.
fn yaml_too_deep(text: &str) -> Option<(u32, u32)> {
    let at = flow_depth::first_too_deep(text, MAX_DEPTH)?;
    Some(position::line_col_of_offset(text, at))
}

/// Message of the error a [`Budget`] raises (recognised by [`yaml_error`]).
const EXPANSION_MESSAGE: &str = "YAML alias expansion budget exceeded";

/// Parses YAML into a [`Value`] with an expansion budget proportional to the text: aliases
/// (`*a`) copy their anchor's value, so a small document can otherwise expand into billions of
/// nodes (a "billion laughs" alias bomb).
fn parse_yaml(text: &str) -> Result<Value, serde_norway::Error> {
    if text.len() >= SPLIT_MIN_BYTES && crate::emit::threads() > 1 {
        if let Some(value) = crate::timings::phase("parse in two pieces", || split::parse(text)) {
            return Ok(value);
        }
    }
    parse_yaml_with(text, &Budget::for_text(text))
}

/// [`parse_yaml`] of the whole `text`, spending `budget`.
fn parse_yaml_with(text: &str, budget: &Budget) -> Result<Value, serde_norway::Error> {
    use serde::de::DeserializeSeed;
    let de = serde_norway::Deserializer::from_str(text);
    Seed(budget).deserialize(de)
}

/// Smallest YAML text [`split::parse`] parses in two pieces at once (below it a thread costs
/// more than it saves).
const SPLIT_MIN_BYTES: usize = 256 * 1024;

/// A large YAML document parsed as two pieces on two threads (the YAML parser was a quarter of
/// Stripe's generation, all of it before anything else could start): the text is cut at a line
/// that starts an entry of the top-level mapping, or an entry of one top-level entry's mapping
/// (Stripe: a path under `paths`), chosen so that both threads get about half of the text; the
/// pieces are parsed on their own and their mappings joined. The pieces must give exactly what
/// the whole gives, so the cut is made only where the lines say it is safe, and every piece's
/// mapping must hold one entry per line that looked like one of its keys (no key on two lines,
/// no merge key, no duplicate); anything else (an error in a piece, an alias to an anchor in
/// another piece, a spent budget) parses the whole text as before, which then reports what is
/// wrong. Every piece is a prefix of the text, a suffix of it, or the lines of one top-level
/// entry after its key line (parsed with that key line in front, so nesting depths are those of
/// the whole), so an alias resolves in a piece to what it resolves to in the whole, or fails.
mod split {
    use super::{parse_yaml_with, Budget};
    use serde_json::Value;

    /// A line of the text: its start, its indentation, and the text after the indentation.
    struct Line<'t> {
        start: usize,
        indent: usize,
        rest: &'t str,
    }

    /// The non-blank, non-comment lines, or `None` when a line makes cutting unsafe (a tab in
    /// the indentation, a directive or document marker, a top-level line that is not a plain
    /// mapping key).
    fn lines(text: &str) -> Option<Vec<Line<'_>>> {
        let mut out = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let line_start = start;
            start += raw.len();
            let body = raw.trim_end_matches(['\n', '\r']);
            let rest = body.trim_start_matches(' ');
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            if rest.starts_with('\t') {
                return None;
            }
            let indent = body.len() - rest.len();
            if indent == 0 && !plain_key_line(rest) {
                return None;
            }
            out.push(Line {
                start: line_start,
                indent,
                rest,
            });
        }
        Some(out)
    }

    /// Whether a line (after its indentation) may start a mapping entry for cutting purposes:
    /// not a sequence item, complex key, flow collection, directive, document marker, anchor,
    /// alias, tag, block scalar or merge key.
    fn plain_key_line(rest: &str) -> bool {
        !(rest.starts_with([
            '-', '?', '{', '[', '%', '&', '*', '!', '|', '>', '@', '`', '.',
        ]) || rest.starts_with("<<"))
    }

    /// A line that opens a mapping with nothing after its key (`paths:`).
    fn opens_block(rest: &str) -> bool {
        rest.trim_end().ends_with(':')
    }

    /// Where to cut: `Top(t)`: at the top-level entry whose line starts at `t`; `Inner(k, s, e)`:
    /// the entries of the top-level entry on line `k` from line `s` to line `e` (exclusive,
    /// `e` may be `lines.len()`).
    #[derive(Clone, Copy)]
    enum Cut {
        Top(usize),
        Inner(usize, usize, usize),
    }

    fn choose(text: &str, lines: &[Line<'_>]) -> Option<Cut> {
        let len = text.len();
        let at = |i: usize| lines.get(i).map_or(len, |l| l.start);
        let tops: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].indent == 0).collect();
        if tops.first() != Some(&0) {
            return None;
        }
        let mut best: Option<(usize, Cut)> = None;
        let mut consider = |cost: usize, cut: Cut| {
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, cut));
            }
        };
        for (n, &k) in tops.iter().enumerate() {
            if n > 0 {
                consider(at(k).max(len - at(k)), Cut::Top(k));
            }
            let end = tops.get(n + 1).copied().unwrap_or(lines.len());
            if !opens_block(lines[k].rest) || end <= k + 2 {
                continue;
            }
            let child = lines[k + 1].indent;
            // Every line of the entry at least as deep as its first child; the children plain keys.
            let regular = lines[k + 1..end]
                .iter()
                .all(|l| l.indent > child || (l.indent == child && plain_key_line(l.rest)));
            if !regular {
                continue;
            }
            for (s, line) in lines.iter().enumerate().take(end).skip(k + 2) {
                if line.indent == child {
                    let piece = at(end) - at(s);
                    consider(piece.max(len - piece), Cut::Inner(k, s, end));
                }
            }
        }
        let (cost, cut) = best?;
        // Not worth a thread unless the larger side is at most 70 % of the text.
        (cost * 10 <= len * 7).then_some(cut)
    }

    /// How many lines of `lines` at `indent` (each one a key of the mapping being checked).
    fn keys(lines: &[Line<'_>], indent: usize) -> usize {
        lines.iter().filter(|l| l.indent == indent).count()
    }

    /// One piece parsed with the whole text's budget (of `whole` bytes); the budget it spent, to
    /// be added up.
    fn piece(text: &str, whole: usize) -> Option<(Value, (u64, u64))> {
        let budget = Budget::for_len(whole);
        let start = (budget.nodes.get(), budget.bytes.get());
        let value = parse_yaml_with(text, &budget).ok()?;
        Some((
            value,
            (start.0 - budget.nodes.get(), start.1 - budget.bytes.get()),
        ))
    }

    /// Appends the entries of `more` to `into`; `None` when a key is in both.
    fn join(
        into: &mut serde_json::Map<String, Value>,
        more: serde_json::Map<String, Value>,
    ) -> Option<()> {
        if more.keys().any(|k| into.contains_key(k)) {
            return None;
        }
        into.extend(more);
        Some(())
    }

    /// The document parsed in pieces on two threads, or `None` to parse it whole.
    pub(super) fn parse(text: &str) -> Option<Value> {
        let lines = lines(text)?;
        let cut = choose(text, &lines)?;
        let len = text.len();
        let at = |i: usize| lines.get(i).map_or(len, |l| l.start);
        let key_line = |k: usize| {
            let end = text[at(k)..].find('\n').map_or(len, |e| at(k) + e + 1);
            &text[at(k)..end]
        };
        // (first piece: a prefix; second: parsed on the other thread; third: a suffix).
        let (first, second, third): (&str, String, &str) = match cut {
            Cut::Top(t) => (&text[..at(t)], text[at(t)..].to_owned(), ""),
            Cut::Inner(k, s, e) => {
                let mut inner = key_line(k).to_owned();
                if !inner.ends_with('\n') {
                    inner.push('\n');
                }
                inner.push_str(&text[at(s)..at(e)]);
                (&text[..at(s)], inner, &text[at(e)..])
            }
        };
        let (a, b, c) = std::thread::scope(|scope| {
            let other = std::thread::Builder::new()
                .stack_size(32 << 20)
                .spawn_scoped(scope, || piece(&second, len))
                .ok()?;
            let a = piece(first, len);
            let c = if third.is_empty() {
                None
            } else {
                Some(piece(third, len))
            };
            let b = other.join().ok()?;
            Some((a, b, c))
        })?;
        let (Value::Object(mut root), spent_a) = a? else {
            return None;
        };
        let (Value::Object(second), spent_b) = b? else {
            return None;
        };
        let mut spent = (spent_a.0 + spent_b.0, spent_a.1 + spent_b.1);
        let whole = Budget::for_text(text);
        match cut {
            Cut::Top(t) => {
                if root.len() != keys(&lines[..t], 0) || second.len() != keys(&lines[t..], 0) {
                    return None;
                }
                join(&mut root, second)?;
            }
            Cut::Inner(k, s, e) => {
                let child = lines[k + 1].indent;
                if root.len() != keys(&lines[..s], 0) {
                    return None;
                }
                let Some(Value::Object(ours)) = root.values_mut().last() else {
                    return None;
                };
                if ours.len() != keys(&lines[k + 1..s], child) || second.len() != 1 {
                    return None;
                }
                let Some((_, Value::Object(theirs))) = second.into_iter().next() else {
                    return None;
                };
                if theirs.len() != keys(&lines[s..e], child) {
                    return None;
                }
                join(ours, theirs)?;
                if let Some(c) = c {
                    let (Value::Object(rest), spent_c) = c? else {
                        return None;
                    };
                    if rest.len() != keys(&lines[e..], 0) {
                        return None;
                    }
                    join(&mut root, rest)?;
                    spent = (spent.0 + spent_c.0, spent.1 + spent_c.1);
                }
            }
        }
        // Within what the whole text may spend (else the whole parse reports the alias bomb).
        // The pieces spent a little more than the whole would (their own top-level mappings
        // and the repeated key line): the check errs on the side of parsing the whole.
        (spent.0 <= whole.nodes.get() && spent.1 <= whole.bytes.get())
            .then_some(Value::Object(root))
    }
}

fn yaml_error(path: &Path, text: &str, e: &serde_norway::Error) -> Diagnostic {
    let message = e.to_string();
    let loc = e
        .location()
        .map(|l| ((l.line() as u32).max(1), (l.column() as u32).max(1)));
    if message.contains("recursion limit exceeded") {
        let (line, col) = loc.unwrap_or((1, 1));
        return too_deep(path, line, col);
    }
    if message.contains(EXPANSION_MESSAGE) || message.contains("repetition limit exceeded") {
        // serde_norway's own repetition limit carries no position: point at the first alias.
        let (line, col) = loc.or_else(|| first_alias(text)).unwrap_or((1, 1));
        return Diagnostic::error(
            "load::yaml_alias_bomb",
            "YAML aliases expand this document far beyond its size (an alias bomb?)",
        )
        .at_line(path, "", line, col)
        .help("write the repeated parts out, or refer to them with `$ref` instead of YAML anchors and aliases (`&a` / `*a`)");
    }
    let d = Diagnostic::error("load::invalid_yaml", format!("invalid YAML: {e}")).help(
        "fix the syntax error at this position (check indentation, unbalanced quotes, and tabs used for indentation)",
    );
    match loc {
        Some((line, col)) => d.at_line(path, "", line, col),
        None => d.at(path, ""),
    }
}

/// Line and column of the first alias (`*name`) of a YAML text.
fn first_alias(text: &str) -> Option<(u32, u32)> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        if let saphyr_parser::Event::Alias(_) = event {
            return Some((span.start.line() as u32, span.start.col() as u32 + 1));
        }
    }
    None
}

/// What a YAML document may still produce: nodes, and bytes of scalars.
struct Budget {
    nodes: std::cell::Cell<u64>,
    bytes: std::cell::Cell<u64>,
}

impl Budget {
    /// The budget of a whole YAML text.
    fn for_text(text: &str) -> Budget {
        Budget::for_len(text.len())
    }

    /// The budget of a YAML text of `len` bytes.
    fn for_len(len: usize) -> Budget {
        let len = len as u64;
        Budget {
            nodes: std::cell::Cell::new(len.saturating_mul(2).saturating_add(100_000)),
            bytes: std::cell::Cell::new(len.saturating_mul(2).saturating_add(1 << 20)),
        }
    }

    fn spend<E: serde::de::Error>(&self, bytes: usize) -> Result<(), E> {
        let nodes = self.nodes.get();
        let left = self.bytes.get();
        if nodes == 0 || (bytes as u64) > left {
            return Err(E::custom(EXPANSION_MESSAGE));
        }
        self.nodes.set(nodes - 1);
        self.bytes.set(left - bytes as u64);
        Ok(())
    }
}

/// Deserializes one [`Value`] leniently, spending the [`Budget`].
struct Seed<'b>(&'b Budget);

impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(LenientVisitor(self.0))
    }
}

/// A [`Value`] deserialized leniently from YAML: integers beyond 64 bits become floats (JSON
/// Schema bounds such as `maximum: 18446744073709551616` occur in real documents) and
/// non-string mapping keys (`200:`, `true:`, `null:`) become their text. Every value produced
/// spends the [`Budget`].
struct LenientVisitor<'b>(&'b Budget);

impl<'de> serde::de::Visitor<'de> for LenientVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(Value::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(Value::from(v))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(float(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.spend(v.len())?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.0.spend(v.len())?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.0.spend(0)?;
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.spend(0)?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.spend(0)?;
        let mut out = serde_json::Map::new();
        // The keys given explicitly, kept only from the first merge key on (rare): before it,
        // every key of `out` is one (a set per mapping cost a copy and a hash of every key).
        let mut explicit: Option<std::collections::HashSet<String>> = None;
        while let Some((k, v)) = map.next_entry_seed(Seed(self.0), Seed(self.0))? {
            let key = match k {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            if key == "<<" {
                // YAML merge key: entries of the merged mapping(s) that are not given explicitly.
                let sources = match v {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                let explicit = explicit.get_or_insert_with(|| out.keys().cloned().collect());
                for source in sources {
                    if let Value::Object(m) = source {
                        for (k, v) in m {
                            if !explicit.contains(&k) {
                                out.insert(k, v);
                            }
                        }
                    }
                }
                continue;
            }
            if let Some(explicit) = &mut explicit {
                explicit.insert(key.clone());
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// A float as a JSON number (NaN and infinities, which JSON cannot hold, become `null`).
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// True for characters that YAML does not allow raw in a stream.
fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
        || (('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}')
}

/// The byte offset of the first character [`is_forbidden_control`] refuses: `text.find` of it,
/// read byte by byte (C0 and DEL are single bytes; C1 is `0xC2` then `0x80..=0x9F`), a tenth of
/// the instructions of decoding every character (Stripe: 120 M).
fn first_forbidden_control(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let forbidden = |i: usize, b: u8| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => bytes
            .get(i + 1)
            .is_some_and(|&next| (0x80..=0x9f).contains(&next) && next != 0x85),
        _ => false,
    };
    // Eight bytes at a time: a word of printable ASCII (0x20..=0x7e, most of a document) holds
    // none and is skipped whole; any other word is read byte by byte.
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let w = word(chunk);
        // A byte below 0x20, a byte 0x7f, a byte from 0x80 (the standard "has a byte less
        // than n" and "has a zero byte" word tests, exact for n <= 128).
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        if below_space | byte_mask(w, 0x7f) | (w & HIGH) != 0 {
            if let Some(j) = chunk.iter().position(|b| !(0x20..0x7f).contains(b)) {
                // The first byte that is not printable ASCII, then on from it.
                if let Some(k) = (at + j..at + 8).find(|&k| forbidden(k, bytes[k])) {
                    return Some(k);
                }
            }
        }
        at += 8;
    }
    (at..bytes.len()).find(|&k| forbidden(k, bytes[k]))
}

/// Word-at-a-time byte tests, shared by the control-character scan and the positions walk
/// ([`position`]): a byte repeated in every byte of a word, and every byte's high bit.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight bytes as a little-endian word.
fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// Non-zero when a byte of `w` is `b` (the "has a zero byte" test on `w ^ b…b`): never for a
/// word without one, though the bits set may also mark a byte after a real one.
fn byte_mask(w: u64, b: u8) -> u64 {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGH
}

/// Replaces forbidden control characters with U+FFFD. Returns the new text (if anything changed),
/// the 1-based line and column (in characters) of the first replacement and the number of
/// replacements.
fn replace_control_chars(text: &str) -> (Option<String>, (u32, u32), usize) {
    let Some(first) = first_forbidden_control(text) else {
        return (None, (0, 0), 0);
    };
    let before = text.get(..first).unwrap_or_default();
    let first_line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let first_col = before.get(line_start..).map_or(0, |s| s.chars().count()) as u32 + 1;
    let mut count = 0;
    let out: String = text
        .chars()
        .map(|c| {
            if is_forbidden_control(c) {
                count += 1;
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    (Some(out), (first_line, first_col), count)
}

/// Escapes one reference token for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    // memchr2 rather than `contains(['~', '/'])`, which tests a character at a time.
    if memchr::memchr2(b'~', b'/', token.as_bytes()).is_some() {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// `pointer` extended by one token.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let mut s = String::with_capacity(pointer.len() + token.len() + 1);
    s.push_str(pointer);
    s.push('/');
    push_escaped(&mut s, token);
    s
}

/// Appends `token` escaped as [`escape_token`] does, without a `String` of its own.
pub(crate) fn push_escaped(out: &mut String, token: &str) {
    let bytes = token.as_bytes();
    let mut start = 0;
    while let Some(j) = memchr::memchr2(b'~', b'/', &bytes[start..]) {
        let i = start + j;
        // Both are ASCII: `start` and `i` are character boundaries.
        out.push_str(&token[start..i]);
        out.push_str(if bytes[i] == b'~' { "~0" } else { "~1" });
        start = i + 1;
    }
    out.push_str(&token[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("test.yaml")
    }

    /// Each map's hasher has its own seed (and every process its own shared one): the same
    /// key hashes differently in two maps, and the maps still work as maps.
    #[test]
    fn seeded_maps_hash_apart() {
        use std::hash::BuildHasher;
        let (a, b) = (Seeded::default(), Seeded::default());
        let key = "/components/schemas/pet";
        assert_eq!(a.hash_one(key), a.clone().hash_one(key));
        assert_ne!(a.hash_one(key), b.hash_one(key));
        let mut m: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("/paths/{i}"), i);
        }
        assert!((0..1000).all(|i| m.get(&format!("/paths/{i}")) == Some(&i)));
        let s: FastSet<&str> = ["a", "b", "a"].into_iter().collect();
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn detects_format_by_content() {
        assert_eq!(detect_format("  \n {\"a\": 1}"), Format::Json);
        assert_eq!(detect_format("[1]"), Format::Json);
        assert_eq!(detect_format("\u{feff}{}"), Format::Json);
        assert_eq!(detect_format("openapi: 3.0.0"), Format::Yaml);
        assert_eq!(detect_format("# {comment}\na: 1"), Format::Yaml);
        // JSON content in a .yaml file is still JSON.
        let (doc, d) = parse(p(), "{\"a\": [1, 2]}".into());
        assert!(d.is_empty());
        assert_eq!(doc.unwrap().format, Format::Json);
    }

    #[test]
    fn pointer_finds_what_serde_json_finds() {
        let v: Value = serde_json::json!({
            "a/b": {"c~d": [1, {"": 2}, 3]},
            "paths": {"/v1/x": {"get": {"0": "zero", "01": "one"}}},
            "": {"x": true},
            "~1": "tilde-one",
        });
        let pointers = [
            "",
            "/",
            "//x",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/0",
            "/a~1b/c~0d/1/",
            "/a~1b/c~0d/2",
            "/a~1b/c~0d/3",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/-1",
            "/paths/~1v1~1x/get/0",
            "/paths/~1v1~1x/get/01",
            "/paths/~1v1~1x/get/1",
            "/~01",
            "/~1",
            "no-slash",
            "/a/b",
            "/paths/~1v1~1x/get/0/deeper",
        ];
        for token in [
            "~~1", "~~0", "~", "~01", "~10", "a~2b", "~0~1", "~~", "1~", "é~1ü",
        ] {
            assert_eq!(
                unescape_token(token),
                token.replace("~1", "/").replace("~0", "~"),
                "{token}"
            );
        }
        for ptr in pointers {
            assert_eq!(pointer(&v, ptr), v.pointer(ptr), "{ptr}");
        }
        assert_eq!(pointer(&v, "/~01"), Some(&Value::from("tilde-one")));
        // Maps small enough to be scanned and large enough to be hashed, around the bound.
        for n in [0, 1, SCAN_MAX - 1, SCAN_MAX, SCAN_MAX + 1, 40] {
            let big: serde_json::Map<String, Value> =
                (0..n).map(|i| (format!("k/{i}"), Value::from(i))).collect();
            let v = serde_json::json!({ "m": big });
            for i in 0..n + 2 {
                let ptr = format!("/m/k~1{i}");
                assert_eq!(pointer(&v, &ptr), v.pointer(&ptr), "{n}: {ptr}");
            }
            assert_eq!(pointer(&v, "/m/k"), None);
        }
    }

    /// The memchr-based escaping, unescaping and look-ups give what the plain definitions give,
    /// for tokens short and long (memchr searches differently past 16 and 32 bytes), with the
    /// special characters at every place.
    #[test]
    fn pointer_tokens_escape_and_resolve_at_every_length() {
        let mut tokens: Vec<String> = vec![String::new(), "é/ü~".into(), "~".into(), "/".into()];
        for len in [1, 7, 15, 16, 17, 31, 32, 33, 70] {
            let plain = "ab".repeat(len).chars().take(len).collect::<String>();
            tokens.push(plain.clone());
            for at in [0, len / 2, len.saturating_sub(1)] {
                for c in ["/", "~", "~1", "~0", "é"] {
                    let mut t = plain.clone();
                    t.insert_str(at.min(t.len()), c);
                    tokens.push(t);
                }
            }
        }
        let mut map = serde_json::Map::new();
        for (i, t) in tokens.iter().enumerate() {
            assert_eq!(
                escape_token(t),
                t.replace('~', "~0").replace('/', "~1"),
                "{t}"
            );
            assert_eq!(child("/base", t), format!("/base/{}", escape_token(t)));
            let escaped = escape_token(t).into_owned();
            assert_eq!(unescape_token(&escaped), *t, "{escaped}");
            map.insert(t.clone(), Value::from(i));
        }
        let v = serde_json::json!({ "long/key~with": { "m": map } });
        for t in &tokens {
            let ptr = child(&child("/long~1key~0with", "m"), t);
            assert_eq!(pointer(&v, &ptr), v.pointer(&ptr), "{ptr}");
            assert!(pointer(&v, &ptr).is_some(), "{ptr}");
        }
    }

    #[test]
    fn forbidden_controls_found_where_find_finds_them() {
        let cases = [
            "",
            "plain",
            "tab\tnewline\ncr\r",
            "a\u{1}b",
            "x\u{7f}",
            "é\u{85}ok",
            "é\u{85}\u{9f}",
            "\u{80}",
            "ü\u{9e}",
            "\u{100}\u{c2}\u{a0}",
            "\u{b}",
            "ok\u{1f}",
            "日本\u{0}",
        ];
        for text in cases {
            assert_eq!(
                first_forbidden_control(text),
                text.find(is_forbidden_control),
                "{text:?}"
            );
            // At every offset of an eight-byte word, after printable text or a newline, and
            // with text after it.
            for pad in 0..17 {
                for fill in ["a", "\n", "~", "é"] {
                    let long = format!("{}{text}{}", fill.repeat(pad), "z".repeat(pad));
                    assert_eq!(
                        first_forbidden_control(&long),
                        long.find(is_forbidden_control),
                        "{long:?}"
                    );
                }
            }
        }
        // Every byte value inside a word of printable text.
        for c in (0u32..0x250).filter_map(char::from_u32) {
            let long = format!("abcdefghij{c}klmnopq");
            assert_eq!(
                first_forbidden_control(&long),
                long.find(is_forbidden_control),
                "{long:?}"
            );
        }
    }

    /// A document like an OpenAPI one: `paths` holds most of it.
    fn big_yaml(paths: usize) -> String {
        let mut out = String::from("openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n");
        for i in 0..paths {
            out.push_str(&format!(
                "  '/v1/things/{i}':\n    get:\n      description: >-\n        thing {i}\n\n        more: text\n      responses:\n        200:\n          description: ok # comment\n# a comment at column 0\n"
            ));
        }
        out.push_str("components:\n  schemas:\n    A:\n      type: string\nsecurity: []\n");
        out
    }

    fn whole(text: &str) -> Value {
        parse_yaml_with(text, &Budget::for_text(text)).unwrap()
    }

    #[test]
    fn yaml_in_pieces_is_the_whole_document() {
        // Cut inside `paths`, with a suffix after it.
        let text = big_yaml(200);
        let pieces = split::parse(&text).expect("cut inside paths");
        assert_eq!(pieces, whole(&text));
        assert_eq!(
            pieces.pointer("/paths/~1v1~1things~1150/get/responses/200/description"),
            Some(&Value::from("ok"))
        );
        // Cut between top-level entries.
        let text = format!(
            "{}zzz:\n{}",
            big_yaml(100),
            big_yaml(100)
                .replace("\n", "\n  ")
                .replace("  \n", "\n")
                .replacen("openapi", "  openapi", 1)
        );
        assert_eq!(split::parse(&text), Some(whole(&text)));
    }

    #[test]
    fn yaml_pieces_give_up_where_the_whole_differs() {
        let text = big_yaml(200);
        // An alias to an anchor in the other piece.
        let ok = "description: ok # comment\n";
        let mut aliased = text.replacen(ok, &format!("{ok}          x: &a 1\n"), 1);
        let last = aliased.rfind(ok).unwrap() + ok.len();
        aliased.insert_str(last, "          y: *a\n");
        assert_eq!(split::parse(&aliased), None);
        assert!(parse_yaml(&aliased).is_ok());
        // A duplicate path (the whole keeps the last at the first one's place).
        let dup = text.replace("'/v1/things/190'", "'/v1/things/3'");
        assert_eq!(split::parse(&dup), None);
        // Directives, documents, top-level sequences, merge keys, tabs.
        for bad in [
            format!("%YAML 1.2\n---\n{text}"),
            format!("{text}---\nb: 1\n"),
            format!("- {text}"),
            format!("{text}<<: {{x: 1}}\n"),
            text.replacen("  '/v1/things/5'", "\t'/v1/things/5'", 1),
        ] {
            assert_eq!(split::parse(&bad), None);
        }
        // A flow mapping over several lines at the cut: one of the pieces fails alone.
        let flow = text.replace(
            "  '/v1/things/100':\n",
            "  '/v1/things/100': {a: 1,\n  b: 2}\n  '/v1/things/100b':\n",
        );
        if let Some(pieces) = split::parse(&flow) {
            assert_eq!(pieces, whole(&flow));
        }
    }

    #[test]
    fn yaml_parses_into_json_value_with_integer_keys() {
        let (doc, d) = parse(p(), "responses:\n  200:\n    description: ok\n".into());
        assert!(d.is_empty(), "{d:?}");
        let doc = doc.unwrap();
        assert_eq!(
            doc.value.pointer("/responses/200/description"),
            Some(&Value::from("ok"))
        );
    }

    #[test]
    fn yaml_big_integers_and_odd_keys_are_lenient() {
        let (doc, d) = parse(
            p(),
            "a: {maximum: 18446744073709551616, min: -99999999999999999999}\ntrue: 1\n~: 2\n1.5: 3\n".into(),
        );
        assert!(d.is_empty(), "{d:?}");
        let v = doc.unwrap().value;
        assert_eq!(v["a"]["maximum"].as_f64(), Some(18446744073709551616.0));
        assert!(v["a"]["min"].as_f64().unwrap() < -1e19);
        assert_eq!(v["true"], 1);
        assert_eq!(v["null"], 2);
        assert_eq!(v["1.5"], 3);
    }

    #[test]
    fn yaml_merge_keys_apply() {
        let (doc, _) = parse(p(), "base: &b {x: 1, y: 2}\nd:\n  y: 3\n  <<: *b\n".into());
        let v = doc.unwrap().value;
        assert_eq!(v["d"], serde_json::json!({"y": 3, "x": 1}));
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let (doc, d) = parse(Path::new("x.json"), "{\n  \"a\": 1,\n  \"b\" 2\n}".into());
        assert!(doc.is_none());
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].code, "load::invalid_json");
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (Some(3), Some(7)));
        assert!(d[0].help.is_some());
    }

    #[test]
    fn malformed_yaml_reports_line_and_column() {
        let (doc, d) = parse(p(), "a: 1\nb:\n  c: [1, 2\nd: 3\n".into());
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::invalid_yaml");
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!(loc.line, Some(4), "{}", d[0]);
        assert!(loc.column.is_some());

        let (_, d) = parse(p(), "a: b\n c: d\n e: f: g\n".into());
        let loc = d[0].location.as_ref().unwrap();
        assert!(loc.line.unwrap() >= 2, "{}", d[0]);
    }

    #[test]
    fn c1_control_characters_are_replaced_with_a_warning() {
        let (doc, d) = parse(p(), "a: ok\nb: \"bad\u{91}text\"\n".into());
        let doc = doc.expect("parses after replacement");
        assert_eq!(
            doc.value.pointer("/b"),
            Some(&Value::from("bad\u{fffd}text"))
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "load::control_characters");
        assert!(!d[0].is_error());
        assert!(d[0].message.contains("line 2"), "{}", d[0]);
        // Located at the character itself, not at the start of its line (columns count
        // characters: `é` is one).
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (Some(2), Some(8)), "{}", d[0]);
        let (_, d) = parse(p(), "a: ok\nb: \"é\u{1}\"\n".into());
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (Some(2), Some(6)), "{}", d[0]);
        // NEL is allowed by YAML and kept.
        let (_, d) = parse(p(), "a: \"x\u{85}y\"\n".into());
        assert!(d.is_empty());
    }

    #[test]
    fn missing_file_is_a_located_error() {
        let (doc, d) = load_file(Path::new("/nonexistent/oa-missing.yaml"));
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::io");
    }

    #[test]
    fn yaml_alias_bombs_are_located_errors() {
        // Billion laughs: nine levels of nine aliases (9^9 strings once expanded).
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let items = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        let started = std::time::Instant::now();
        let (doc, d) = parse(p(), text);
        assert!(started.elapsed().as_secs() < 10);
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::yaml_alias_bomb", "{}", d[0]);
        let loc = d[0].location.as_ref().unwrap();
        assert!(loc.line.unwrap() >= 2, "{}", d[0]);

        // Wide rather than deep: one large anchor aliased many times (serde_norway's own
        // repetition limit does not stop this one).
        let mut text = String::from("a: &a [");
        text.push_str(&vec!["x"; 5_000].join(","));
        text.push_str("]\nb: [");
        text.push_str(&vec!["*a"; 20_000].join(","));
        text.push_str("]\n");
        let (doc, d) = parse(p(), text);
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::yaml_alias_bomb", "{}", d[0]);
        assert!(d[0].location.as_ref().unwrap().column.is_some());

        // Ordinary anchors and merge keys stay fine.
        let (doc, d) = parse(p(), "x: &x {a: 1}\ny: *x\nz: {<<: *x, b: 2}\n".into());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(doc.unwrap().value["z"]["a"], 1);
    }

    #[test]
    fn deep_nesting_is_a_located_error() {
        let depth = 100_000;
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let (doc, d) = parse(Path::new("x.json"), json);
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::too_deep");
        assert_eq!(d[0].location.as_ref().unwrap().line, Some(1));

        let yaml = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let (doc, d) = parse(p(), yaml);
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::too_deep", "{}", d[0]);
        assert!(d[0].location.as_ref().unwrap().column.unwrap() > 100);

        let mut block = String::new();
        for i in 0..1_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        let (doc, d) = parse(p(), block);
        assert!(doc.is_none());
        assert_eq!(d[0].code, "load::too_deep", "{}", d[0]);
    }

    #[test]
    fn huge_scalars_parse_in_proportion() {
        let big = "x".repeat(8 << 20);
        let (doc, d) = parse(p(), format!("a: {big}\n"));
        assert!(d.is_empty());
        assert_eq!(
            doc.unwrap().value["a"].as_str().map(str::len),
            Some(8 << 20)
        );
    }

    #[test]
    fn pointer_tokens_escape() {
        assert_eq!(child("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(unescape_token("~1a~0b"), "/a~b");
    }
}
