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
    use serde::de::DeserializeSeed;
    let len = text.len() as u64;
    let budget = Budget {
        nodes: std::cell::Cell::new(len.saturating_mul(2).saturating_add(100_000)),
        bytes: std::cell::Cell::new(len.saturating_mul(2).saturating_add(1 << 20)),
    };
    let de = serde_norway::Deserializer::from_str(text);
    Seed(&budget).deserialize(de)
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
        let mut explicit = std::collections::HashSet::new();
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
            explicit.insert(key.clone());
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

/// Replaces forbidden control characters with U+FFFD. Returns the new text (if anything changed),
/// the 1-based line and column (in characters) of the first replacement and the number of
/// replacements.
fn replace_control_chars(text: &str) -> (Option<String>, (u32, u32), usize) {
    let Some(first) = text.find(is_forbidden_control) else {
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
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Unescapes one reference token of a JSON pointer.
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `pointer` extended by one token.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let mut s = String::with_capacity(pointer.len() + token.len() + 1);
    s.push_str(pointer);
    s.push('/');
    s.push_str(&escape_token(token));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("test.yaml")
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
