//! Mapping JSON pointers to line/column positions in the source text.
//!
//! Positions are resolved after lowering, in one pass over each document for all the pointers
//! that diagnostics name: the walk only descends into nodes on the way to a wanted pointer and
//! skips everything else, so a 4 MB document costs one linear scan. A pointer that does not exist
//! in the text resolves to its deepest existing ancestor. An object member resolves to the
//! position of its key (so `paths: 5` points at `paths`), an array element to its first
//! character. Lines and columns are 1-based; columns count characters.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser};

use super::{byte_mask, escape_token, word, Format};

/// Line/column of each pointer (deepest existing ancestor if the pointer itself is absent).
/// `None` only when the text cannot be walked at all.
pub(crate) fn locate(text: &str, format: Format, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let mut wanted: HashSet<String> = HashSet::new();
    for p in pointers {
        let mut cur = *p;
        loop {
            if !wanted.insert(cur.to_owned()) {
                break;
            }
            match cur.rfind('/') {
                Some(i) => cur = &cur[..i],
                None => break,
            }
        }
        wanted.insert(String::new());
    }
    let found = crate::timings::phase("positions (walk the text)", || match format {
        Format::Json => json_positions(text, &wanted),
        Format::Yaml => yaml_positions(text, &wanted),
    });
    pointers
        .iter()
        .map(|p| {
            let mut cur = *p;
            loop {
                if let Some(pos) = found.get(cur) {
                    return Some(*pos);
                }
                match cur.rfind('/') {
                    Some(i) => cur = &cur[..i],
                    None => return found.get("").copied(),
                }
            }
        })
        .collect()
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_col_of_offset(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line as u32, col as u32)
}

// ---------------------------------------------------------------------------------------------
// JSON

fn json_positions(text: &str, wanted: &HashSet<String>) -> HashMap<String, (u32, u32)> {
    let mut w = JsonWalker {
        text,
        b: text.as_bytes(),
        i: 0,
        found: HashMap::new(),
        wanted,
    };
    w.ws();
    let mut path = String::new();
    w.record(&path, w.i);
    w.value(&mut path, 0);
    let mut offsets: Vec<(String, usize)> = w.found.into_iter().collect();
    offsets.sort_by_key(|(_, o)| *o);
    // One sweep converts sorted offsets to line/column.
    let mut out = HashMap::new();
    let (mut line, mut line_start, mut pos) = (1u32, 0usize, 0usize);
    for (ptr, off) in offsets {
        let off = off.min(text.len());
        // The newlines before `off` counted in one pass (rather than a search per line).
        if let Some(before) = text.get(pos..off).map(str::as_bytes) {
            let newlines = count_newlines(before);
            if let Some(last) = memchr::memrchr(b'\n', before) {
                line += newlines as u32;
                pos += last + 1;
                line_start = pos;
            }
        }
        pos = pos.max(line_start);
        let col = text.get(line_start..off).map_or(0, |s| s.chars().count()) as u32 + 1;
        out.insert(ptr, (line, col));
    }
    out
}

/// The number of `\n` bytes in `bytes` (memchr's vectorised count).
fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// The offset of the first byte from `from` on that is one of `set` (`bytes.len()` for none),
/// eight bytes at a time: a word that holds none is skipped whole, and in one that holds some
/// the first is the lowest bit of the word's mask (exact: a mask's stray bits only ever sit
/// above a real match). Cheaper than memchr here: most strings and gaps between them are
/// shorter than its set-up.
fn find_any<const N: usize>(bytes: &[u8], from: usize, set: [u8; N]) -> usize {
    let mut at = from.min(bytes.len());
    while let Some(chunk) = bytes.get(at..at + 8) {
        let w = word(chunk);
        let hit = set.iter().fold(0, |hit, &b| hit | byte_mask(w, b));
        if hit != 0 {
            return at + (hit.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|b| set.contains(b))
        .map_or(bytes.len(), |j| at + j)
}

struct JsonWalker<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    found: HashMap<String, usize>,
    wanted: &'a HashSet<String>,
}

impl JsonWalker<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    fn record(&mut self, path: &str, at: usize) {
        if self.wanted.contains(path) {
            self.found.insert(path.to_owned(), at);
        }
    }

    /// Walks the value at the cursor; descends only when `path` is wanted.
    fn value(&mut self, path: &mut String, depth: usize) {
        self.ws();
        let descend = depth < 512 && self.wanted.contains(path.as_str());
        match self.peek() {
            Some(b'{') if descend => self.object(path, depth),
            Some(b'[') if descend => self.array(path, depth),
            Some(b'{') | Some(b'[') => self.skip_container(),
            Some(b'"') => {
                self.string_end();
            }
            Some(_) => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.i += 1;
                }
            }
            None => {}
        }
    }

    fn object(&mut self, path: &mut String, depth: usize) {
        self.i += 1;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b'}') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => self.i += 1,
                Some(b'"') => {
                    let start = self.i;
                    let end = self.string_end();
                    let raw = self.text.get(start..end).unwrap_or("\"\"");
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(raw).unwrap_or_default()
                    } else {
                        raw.get(1..raw.len().saturating_sub(1))
                            .unwrap_or("")
                            .to_owned()
                    };
                    self.ws();
                    if self.peek() == Some(b':') {
                        self.i += 1;
                    }
                    let len = path.len();
                    path.push('/');
                    path.push_str(&escape_token(&key));
                    self.record(path, start);
                    self.value(path, depth + 1);
                    path.truncate(len);
                }
                Some(_) => self.i += 1, // malformed: make progress
            }
        }
    }

    fn array(&mut self, path: &mut String, depth: usize) {
        self.i += 1;
        let mut index = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b']') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => self.i += 1,
                Some(_) => {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&index.to_string());
                    self.record(path, self.i);
                    let before = self.i;
                    self.value(path, depth + 1);
                    if self.i == before {
                        self.i += 1; // malformed: make progress
                    }
                    path.truncate(len);
                    index += 1;
                }
            }
        }
    }

    /// Skips a string starting at the cursor (on `"`); returns the offset after it.
    fn string_end(&mut self) -> usize {
        self.i += 1;
        loop {
            self.i = find_any(self.b, self.i, [b'"', b'\\']);
            match self.peek() {
                // An escape: the byte after it is never the end.
                Some(b'\\') => self.i += 2,
                Some(_) => {
                    self.i += 1;
                    break;
                }
                None => break,
            }
        }
        self.i = self.i.min(self.b.len());
        self.i
    }

    /// Skips the object or array starting at the cursor. The text is JSON that parsed (only a
    /// document's text is walked), so the braces of an object balance among themselves, and
    /// so do the brackets of an array: only strings and the container's own kind of bracket
    /// are looked for, three bytes (not five) per word.
    fn skip_container(&mut self) {
        let (open, close) = match self.peek() {
            Some(b'[') => (b'[', b']'),
            _ => (b'{', b'}'),
        };
        let mut depth = 0usize;
        loop {
            // Other bytes change nothing.
            self.i = find_any(self.b, self.i, [b'"', open, close]);
            let Some(c) = self.peek() else { break };
            match c {
                b'"' => {
                    self.string_end();
                    continue;
                }
                c if c == open => depth += 1,
                _ => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
            }
            self.i += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// YAML

enum Frame {
    /// A mapping being walked: length of `path` at its start, the pending key.
    Map {
        len: usize,
        key: Option<(String, (u32, u32))>,
    },
    /// A sequence being walked: length of `path` at its start, next index.
    Seq { len: usize, index: usize },
    /// A node not on the way to any wanted pointer, or a complex key: nesting depth.
    Skip { depth: usize },
}

fn yaml_positions(text: &str, wanted: &HashSet<String>) -> HashMap<String, (u32, u32)> {
    let mut found = HashMap::new();
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut path = String::new();
    let mut started = false;
    while let Some(Ok((event, span))) = parser.next_event() {
        let here = (span.start.line() as u32, span.start.col() as u32 + 1);
        let (is_start, is_end) = match &event {
            Event::MappingStart(..) | Event::SequenceStart(..) => (true, false),
            Event::MappingEnd | Event::SequenceEnd => (false, true),
            Event::Scalar(..) | Event::Alias(_) => (false, false),
            Event::DocumentEnd | Event::StreamEnd => break,
            _ => continue,
        };
        // Inside a skipped subtree only nesting matters.
        if let Some(Frame::Skip { depth }) = stack.last_mut() {
            if is_start {
                *depth += 1;
                continue;
            }
            if is_end {
                if *depth > 0 {
                    *depth -= 1;
                    continue;
                }
                stack.pop();
                continue;
            }
            continue;
        }
        if is_end {
            if let Some(Frame::Map { len, .. } | Frame::Seq { len, .. }) = stack.pop() {
                path.truncate(len);
            }
            continue;
        }
        // A node starts (container start, scalar or alias): find its path.
        let base_len = path.len();
        let mut pos = here;
        match stack.last_mut() {
            None => {
                if started {
                    break; // only the first document
                }
                started = true;
            }
            Some(Frame::Map { key, .. }) => match key.take() {
                None => {
                    // This node is a key.
                    if let Event::Scalar(value, ..) = &event {
                        *key = Some((value.to_string(), here));
                    } else if is_start {
                        *key = Some((String::new(), here));
                        stack.push(Frame::Skip { depth: 0 });
                    } else {
                        *key = Some((String::new(), here));
                    }
                    continue;
                }
                Some((k, at)) => {
                    path.push('/');
                    path.push_str(&escape_token(&k));
                    pos = at;
                }
            },
            Some(Frame::Seq { index, .. }) => {
                path.push('/');
                path.push_str(&index.to_string());
                *index += 1;
            }
            Some(Frame::Skip { .. }) => {}
        }
        let is_wanted = wanted.contains(path.as_str());
        if is_wanted {
            found.entry(path.clone()).or_insert(pos);
        }
        match event {
            Event::MappingStart(..) if is_wanted => stack.push(Frame::Map {
                len: base_len,
                key: None,
            }),
            Event::SequenceStart(..) if is_wanted => stack.push(Frame::Seq {
                len: base_len,
                index: 0,
            }),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                path.truncate(base_len);
                stack.push(Frame::Skip { depth: 0 });
            }
            _ => path.truncate(base_len),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_pointer_positions() {
        let text = "{\n  \"a\": {\"b\": [10, {\"c~d\": true}]},\n  \"x/y\": \"é\", \"z\": 1\n}";
        let got = locate(
            text,
            Format::Json,
            &[
                "/a",
                "/a/b/1/c~0d",
                "/x~1y",
                "/z",
                "/a/b/0",
                "/missing/deep",
                "",
            ],
        );
        assert_eq!(
            got,
            vec![
                Some((2, 3)),
                Some((2, 20)),
                Some((3, 3)),
                Some((3, 15)),
                Some((2, 15)),
                Some((1, 1)),
                Some((1, 1)),
            ]
        );
    }

    #[test]
    fn json_positions_match_offsets_over_many_lines() {
        // Several members per line and blank lines between: each member is where
        // `line_col_of_offset` puts the start of its key.
        let mut text = String::from("{");
        let mut keys = Vec::new();
        for i in 0..200 {
            let sep = match i % 3 {
                0 => "\n  ",
                1 => "\n\n\t ",
                _ => " ",
            };
            text.push_str(if i == 0 { "" } else { "," });
            text.push_str(sep);
            keys.push((format!("/k{i}"), text.len()));
            text.push_str(&format!("\"k{i}\": \"é{i}\""));
        }
        text.push_str("\n}");
        let pointers: Vec<&str> = keys.iter().rev().map(|(p, _)| p.as_str()).collect();
        let got = locate(&text, Format::Json, &pointers);
        for ((_, at), pos) in keys.iter().rev().zip(got) {
            assert_eq!(pos, Some(line_col_of_offset(&text, *at)));
        }
    }

    #[test]
    fn json_walk_skips_strings_and_containers_at_every_alignment() {
        // Brackets and quotes inside strings, escapes at the ends of words, nested skipped
        // containers: the member after them is found where its key starts.
        for pad in 0..20 {
            let fill = " ".repeat(pad);
            let text = format!(
                "{{{fill}\"skip\": {{\"s\": \"a\\\"[{{b}}]\\\\\", \"t\": \"{fill}\\\\\",\n\
                 \"arr\": [[1, 2], {{\"x\": \"]}}\"}}, \"é{fill}\"]}},{fill}\"want\": [0, {{\"deep\": 1}}]}}"
            );
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{text}"
            );
            let want = text.find("\"want\"").unwrap();
            let deep = text.find("\"deep\"").unwrap();
            let got = locate(&text, Format::Json, &["/want", "/want/1/deep", "/skip/arr"]);
            assert_eq!(got[0], Some(line_col_of_offset(&text, want)), "{text}");
            assert_eq!(got[1], Some(line_col_of_offset(&text, deep)), "{text}");
            let arr = text.find("\"arr\"").unwrap();
            assert_eq!(got[2], Some(line_col_of_offset(&text, arr)), "{text}");
        }
        let text = "a\nb\n\n".repeat(11);
        assert_eq!(count_newlines(text.as_bytes()), 33);
        assert_eq!(count_newlines(&[b'\n' ^ 0x80; 20]), 0);
    }

    /// The word-at-a-time search finds the first byte of its set, as a byte-by-byte search
    /// does, from every start in a text with every kind of byte at every alignment.
    #[test]
    fn search_finds_the_first_byte_of_its_set() {
        let mut bytes = Vec::new();
        for i in 0..600u32 {
            bytes.push(match i % 23 {
                0 => b'"',
                3 => b'{',
                5 => b'[',
                7 => b']',
                11 => b'}',
                17 => b'\\',
                19 => (i % 256) as u8,
                _ => b' ' + (i % 7) as u8,
            });
            if i % 37 == 0 {
                bytes.extend_from_slice(b"        abcdefgh[x]");
            }
        }
        let naive = |from: usize, set: &[u8]| {
            bytes[from..]
                .iter()
                .position(|b| set.contains(b))
                .map_or(bytes.len(), |j| from + j)
        };
        for from in 0..=bytes.len() {
            assert_eq!(
                find_any(&bytes, from, [b'"', b'{', b'}']),
                naive(from, b"\"{}")
            );
            assert_eq!(
                find_any(&bytes, from, [b'"', b'[', b']']),
                naive(from, b"\"[]")
            );
            assert_eq!(find_any(&bytes, from, [b'"', b'\\']), naive(from, b"\"\\"));
        }
    }

    #[test]
    fn yaml_pointer_positions() {
        let text = "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: a\n        - {name: b, in: query}\n  x: [1, 2]\n";
        let got = locate(
            text,
            Format::Yaml,
            &[
                "/paths",
                "/paths/~1pets/get",
                "/paths/~1pets/get/parameters/1/in",
                "/paths/x/1",
                "/paths/~1pets/nope",
            ],
        );
        assert_eq!(
            got,
            vec![
                Some((2, 1)),
                Some((4, 5)),
                Some((7, 21)),
                Some((8, 10)),
                Some((3, 3)),
            ]
        );
    }

    #[test]
    fn yaml_complex_keys_and_aliases_do_not_confuse_the_walk() {
        let text = "a: &x\n  k: 1\n? [c, d]\n: skipped\nb: *x\ne:\n  f: 2\n";
        let got = locate(text, Format::Yaml, &["/b", "/e/f"]);
        assert_eq!(got, vec![Some((5, 1)), Some((7, 3))]);
    }

    #[test]
    fn offsets_to_line_col() {
        assert_eq!(line_col_of_offset("ab\ncé", 6), (2, 3));
        assert_eq!(line_col_of_offset("ab\ncé", 5), (2, 2));
        assert_eq!(line_col_of_offset("", 10), (1, 1));
    }
}
