//! The JSON path of a decode error, found from where serde_json stopped in the bytes.
//!
//! A response type `T` is read with one deserializer only, serde_json's over bytes: every other
//! deserializer a generic `T` is read with compiles every model `T` reaches once more (a
//! release build of a large API crate compiles its models once per deserializer). So the path
//! of a failure (`items[3].id`) is not found by reading `T` again through
//! `serde_path_to_error`, but by walking the JSON text up to the error's line and column, here:
//! not generic, compiled once.
//!
//! The path is the one `serde_path_to_error` gives for the same bytes: the value being read
//! when the error was raised. serde_json raises a data error just after the token it read
//! (a scalar that does not fit, a map whose field is missing, once its `}` is read; a key read
//! twice), or at the `[`/`{` of a container that is not the type expected; the path is that of
//! the value the error's position ends (or the container it opens), and for a position between
//! a container's entries, the container's.

/// One step of a path: a map key or an index.
enum Segment {
    Key(String),
    Index(usize),
}

/// A container being walked: an object (its current key) or an array (entries started).
struct Frame {
    object: bool,
    child: Option<Segment>,
    count: usize,
}

/// The path of the value `e` stopped at in `body`, in `serde_path_to_error`'s form (`.` for the
/// whole body, `a.b[2].c`); `None` when `e` has no position or the text up to it is not JSON.
pub(crate) fn path_of_error(body: &[u8], e: &serde_json::Error) -> Option<String> {
    if e.line() == 0 {
        return None;
    }
    let offset = offset_of(body, e.line(), e.column())?;
    // At a container's opening bracket (a `[` or `{` where another type was expected): that
    // container; else the token that ends just before the position.
    let target = match body.get(offset) {
        Some(b'[' | b'{') => offset,
        _ if offset == 0 => return Some(".".to_owned()),
        _ => offset - 1,
    };
    walk(body, target).map(|segments| display(&segments))
}

/// The byte offset of serde_json's (1-based line, column) position: the column counts the
/// bytes of the line before the position.
fn offset_of(body: &[u8], line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += body.get(start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    let offset = start + column;
    (offset <= body.len()).then_some(offset)
}

/// The segments of the value at byte `target` (the innermost value whose text contains it; a
/// position on a key, a separator or blank space between entries is its container's).
fn walk(body: &[u8], target: usize) -> Option<Vec<Segment>> {
    let mut stack: Vec<Frame> = Vec::new();
    // The path of the value starting now (its container's current child), or of a container.
    let child_path = |stack: &mut Vec<Frame>| -> Vec<Segment> {
        stack.iter_mut().filter_map(|f| f.child.take()).collect()
    };
    let container_path = |stack: &mut Vec<Frame>| -> Vec<Segment> {
        let n = stack.len().saturating_sub(1);
        stack[..n]
            .iter_mut()
            .filter_map(|f| f.child.take())
            .collect()
    };
    let mut i = 0;
    // Whether the next token is an object's key.
    let mut key_next = false;
    loop {
        while i < body.len() && body[i].is_ascii_whitespace() {
            if i == target {
                return Some(container_path(&mut stack));
            }
            i += 1;
        }
        let b = *body.get(i)?;
        match b {
            b',' | b':' => {
                if i == target {
                    return Some(container_path(&mut stack));
                }
                key_next = b == b',' && stack.last().is_some_and(|f| f.object);
                i += 1;
                continue;
            }
            b'}' | b']' => {
                if i == target {
                    return Some(container_path(&mut stack));
                }
                stack.pop()?;
                key_next = false;
                i += 1;
                continue;
            }
            _ => {}
        }
        if key_next {
            // An object's key.
            let end = string_end(body, i)?;
            if (i..end).contains(&target) {
                return Some(container_path(&mut stack));
            }
            let key: String = serde_json::from_slice(&body[i..end]).ok()?;
            stack.last_mut()?.child = Some(Segment::Key(key));
            key_next = false;
            i = end;
            continue;
        }
        // A value: in an array, its index.
        if let Some(f) = stack.last_mut() {
            if !f.object {
                f.child = Some(Segment::Index(f.count));
                f.count += 1;
            }
        }
        match b {
            b'{' | b'[' => {
                if i == target {
                    return Some(child_path(&mut stack));
                }
                stack.push(Frame {
                    object: b == b'{',
                    child: None,
                    count: 0,
                });
                key_next = b == b'{';
                i += 1;
            }
            _ => {
                let end = if b == b'"' {
                    string_end(body, i)?
                } else {
                    i + body[i..]
                        .iter()
                        .position(|&c| matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace())
                        .unwrap_or(body.len() - i)
                };
                if (i..end).contains(&target) {
                    return Some(child_path(&mut stack));
                }
                if end == i {
                    return None;
                }
                i = end;
            }
        }
        // After a whole value at the top level: nothing is left to walk.
        if stack.is_empty() && i > target {
            return None;
        }
    }
}

/// The end (exclusive) of the string starting with the `"` at `start`.
fn string_end(body: &[u8], start: usize) -> Option<usize> {
    if body.get(start) != Some(&b'"') {
        return None;
    }
    let mut i = start + 1;
    loop {
        match *body.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// `serde_path_to_error::Path`'s `Display`: `.` when empty, keys joined by `.`, indices as
/// `[i]` with no separator before them.
fn display(segments: &[Segment]) -> String {
    if segments.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for (n, s) in segments.iter().enumerate() {
        match s {
            Segment::Key(k) => {
                if n > 0 {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// `e` without its position (an error of text the runtime made from a value, whose line and
/// column mean nothing to the caller): the message alone, as `serde_path_to_error` over a
/// `Value` gave it.
pub(crate) fn without_position(e: serde_json::Error) -> serde_json::Error {
    if e.line() == 0 {
        return e;
    }
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    <serde_json::Error as serde::de::Error>::custom(message)
}

#[cfg(test)]
#[allow(unreachable_pub)] // the types are `pub`, as in a generated crate
mod tests {
    //! The path found from the error's position is the one `serde_path_to_error` finds by
    //! reading the same bytes again.

    use std::collections::BTreeMap;

    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Serialize};

    use super::{path_of_error, without_position};
    use crate::Nullable;

    #[derive(Debug)]
    pub struct Item {
        pub id: i64,
        pub tags: Vec<String>,
        pub child: Option<Box<Item>>,
        pub extra: Option<BTreeMap<String, i64>>,
        pub u: Option<Choice>,
        pub kind: Option<Kind>,
        pub when: Option<crate::DateTime>,
        pub tri: Nullable<u8>,
        pub name: Option<String>,
    }
    crate::__private::json_struct!(Item {
        req id = "id",
        req tags = "tags",
        opt child = "child",
        opt extra = "extra",
        opt u = "u",
        opt kind = "kind",
        opt when = "when",
        opt tri = "tri",
        opt name = "name",
    });

    #[derive(Debug, Serialize)]
    #[serde(untagged)]
    pub enum Choice {
        Number(f64),
        Item(Box<Item>),
    }
    crate::__private::json_union!(Choice { Number, Item });

    #[derive(Debug, Serialize, Deserialize)]
    pub enum Kind {
        #[serde(rename = "a")]
        A,
    }

    /// Our path and `serde_path_to_error`'s for `input`, which must fail as `T`.
    fn paths<T: DeserializeOwned + std::fmt::Debug>(input: &str) -> (String, String) {
        let e = serde_json::from_str::<T>(input).unwrap_err();
        let ours = path_of_error(input.as_bytes(), &e).expect(input);
        let mut de = serde_json::Deserializer::from_str(input);
        let theirs = serde_path_to_error::deserialize::<_, T>(&mut de).unwrap_err();
        (ours, theirs.path().to_string())
    }

    #[test]
    fn paths_are_serde_path_to_errors() {
        let item = [
            (r#"{"id": "x", "tags": []}"#, "id"),
            (r#"{"id": 1, "tags": [1, "a"]}"#, "tags[0]"),
            (r#"{"id": 1, "tags": ["a", 2]}"#, "tags[1]"),
            (r#"{"id": 1, "tags": [], "child": {"tags": []}}"#, "child"),
            (
                r#"{"id": 1, "tags": [], "child": {"id": 2, "tags": [null]}}"#,
                "child.tags[0]",
            ),
            (r#"{}"#, "."),
            (r#"  {"tags": []}  "#, "."),
            (r#"{"id": 1, "tags": [], "child": [1]}"#, "child"),
            (r#"{"id": 1, "tags": [], "child": []}"#, "child"),
            (r#"{"id": 1, "tags": {}}"#, "tags"),
            (r#"{"id": 1, "id": 2, "tags": []}"#, "."),
            (
                r#"{"id": 1, "tags": [], "child": {"id": 1, "id": 2}}"#,
                "child",
            ),
            (
                r#"{"id": 1, "tags": [], "extra": {"a": 1, "b": "x"}}"#,
                "extra.b",
            ),
            (
                r#"{"id": 1, "tags": [], "extra": {"a\"b\u00e9": true}}"#,
                "extra.a\"bé",
            ),
            (r#"{"id": 1, "tags": [], "u": {"z": [1, {}]}}"#, "u"),
            (r#"{"id": 1, "tags": [], "u": true}"#, "u"),
            (r#"{"id": 1, "tags": [], "u": "1"}"#, "u"),
            (r#"{"id": 1, "tags": [], "kind": "zzz"}"#, "kind"),
            (r#"{"id": 1, "tags": [], "when": "yesterday"}"#, "when"),
            (r#"{"id": 1, "tags": [], "tri": 300}"#, "tri"),
            (r#"{"id": 1, "tags": [], "tri": -1}"#, "tri"),
            (r#"{"name": "héllo wörld", "tags": [], "id": 1.5}"#, "id"),
            (
                r#"{"id": 1, "tags": [], "name": 12345678901234567890}"#,
                "name",
            ),
            (
                "{\n  \"id\": 1,\n  \"tags\": [\n    \"a\",\n    false\n  ]\n}",
                "tags[1]",
            ),
            (
                "{\n  \"id\": 1,\n  \"tags\": [],\n  \"child\":\n    []\n}",
                "child",
            ),
            (
                "{\r\n\t\"id\" : 1 ,\r\n\t\"tags\" : [ ] ,\r\n\t\"child\" : { }\r\n}",
                "child",
            ),
            ("3", "."),
            ("\"s\"", "."),
            ("null", "."),
            ("[1]", "."),
        ];
        for (input, path) in item {
            let (ours, theirs) = paths::<Item>(input);
            assert_eq!(ours, theirs, "{input}");
            assert_eq!(ours, path, "{input}");
        }
        let items = [
            (
                r#"[{"id": 1, "tags": []}, {"id": "x", "tags": []}]"#,
                "[1].id",
            ),
            (r#"[{"id": 1, "tags": []}, {"id": 2}]"#, "[1]"),
            (r#"[{"id": 1, "tags": []}, 7]"#, "[1]"),
            (
                r#"[{"id": 1, "tags": [], "child": {"id": 2, "tags": [[]]}}]"#,
                "[0].child.tags[0]",
            ),
        ];
        for (input, path) in items {
            let (ours, theirs) = paths::<Vec<Item>>(input);
            assert_eq!(ours, theirs, "{input}");
            assert_eq!(ours, path, "{input}");
        }
        let (ours, theirs) = paths::<Vec<Vec<i64>>>("[[1, 2], [3, \"x\"]]");
        assert_eq!((ours.as_str(), theirs.as_str()), ("[1][1]", "[1][1]"));
        let (ours, theirs) = paths::<BTreeMap<String, Vec<u8>>>(r#"{"a": [1], "b.c": [2, 256]}"#);
        assert_eq!((ours.as_str(), theirs.as_str()), ("b.c[1]", "b.c[1]"));
    }

    /// Every JSON pointer into `v`.
    fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let k = k.replace('~', "~0").replace('/', "~1");
                    pointers(v, format!("{at}/{k}"), out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    /// Each value of a valid document replaced in turn by values of other types, written
    /// compact and pretty: wherever that fails to read, the paths agree.
    #[test]
    fn paths_agree_for_every_replaced_value() {
        let valid: serde_json::Value = serde_json::from_str(
            r#"{"id": 1, "tags": ["a", "b"], "child": {"id": 2, "tags": [], "extra": {"k": 3,
            "a/b~": 4}, "u": 4.5, "child": {"id": 3, "tags": ["c"], "u": {"id": 4, "tags": []}}},
            "kind": "a", "name": "x\"y", "tri": 7, "when": "2026-12-03T06:00:00Z"}"#,
        )
        .unwrap();
        let others = [
            r#""s""#,
            "true",
            "[]",
            "{}",
            "-1",
            "1.5",
            "null",
            r#"[1, {"id": "x"}]"#,
            r#"{"id": 1}"#,
            "300",
        ];
        let mut all = Vec::new();
        pointers(&valid, String::new(), &mut all);
        let mut failures = 0;
        for at in &all {
            for other in others {
                let mut v = valid.clone();
                *v.pointer_mut(at).unwrap() = serde_json::from_str(other).unwrap();
                for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
                    let Err(e) = serde_json::from_str::<Item>(&text) else {
                        continue;
                    };
                    failures += 1;
                    let (ours, theirs) = paths::<Item>(&text);
                    assert_eq!(ours, theirs, "{e} in {text}");
                }
            }
        }
        assert!(failures > 300, "{failures}");
    }

    #[test]
    fn errors_of_the_runtimes_text_lose_their_position() {
        let e = serde_json::from_str::<i64>(r#""x""#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid type: string \"x\", expected i64 at line 1 column 3"
        );
        assert_eq!(
            without_position(e).to_string(),
            "invalid type: string \"x\", expected i64"
        );
    }
}
