//! Property test over the whole pipeline: randomly mangled documents in all three formats never
//! panic, every refusal is a located diagnostic, and when generation succeeds every generated
//! `.rs` file parses as Rust (and, for a quarter of the cases, a second run gives the same bytes).
//!
//! Inputs start from the documents of `specs/` and small documents written below (shaped like the
//! corpus: Swagger 2.0 JSON, OpenAPI 3.1 YAML, WSDL with an inline schema, GraphQL with
//! fragments), then take one to four mutations: delete, duplicate or swap spans, insert odd
//! characters, deep nesting, huge numbers, non-ASCII or keyword names, truncation.
//!
//! The random source is `fastrand` with a fixed seed, so a run is reproducible and a failure
//! names its case; `SDKWRIGHT_MANGLE_CASES` raises the number of cases (default 200) and
//! `SDKWRIGHT_MANGLE_SEED` changes the seed for local runs. A failing input is written to
//! `target/mangled-failures/`, ready to be kept in `tests/fuzz_regressions/<target>/`.

#[path = "../../fuzz/src/lib.rs"]
#[allow(unreachable_pub, dead_code)]
mod harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use harness::Documents;
use sdkwright::InputFormat;

const DEFAULT_CASES: usize = 200;
const DEFAULT_SEED: u64 = 0x5eed_0f5d_471e;
/// The generator runs on the main thread of a CLI or build script (8 MiB), not a 2 MiB test thread.
const STACK: usize = 8 << 20;

const MINI_OPENAPI_31: &str = r##"openapi: 3.1.0
info: {title: Mini, version: "1", description: The mini API}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /items/{itemId}:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: getItem
      parameters:
        - {name: expand, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
      responses:
        "200":
          description: The item
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        default: {description: Error}
    put:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: [string, "null"]}}}
      responses: {"204": {description: Done}}
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: integer, minimum: 0, maximum: 18446744073709551615}
        tags: {type: array, items: {$ref: "#/components/schemas/Item"}}
        kind: {oneOf: [{type: string}, {$ref: "#/components/schemas/Kind"}]}
        extra: {additionalProperties: {type: number}}
    Kind: {type: string, enum: [small, big, "x-y"], description: "One `kind`\n\n    indented"}
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
"##;

const MINI_SWAGGER_JSON: &str = r##"{"swagger": "2.0", "info": {"title": "Mini2", "version": "1", "description": "Mini 2"},
 "host": "example.com", "basePath": "/v2", "schemes": ["https"],
 "paths": {"/pets": {"get": {"operationId": "listPets", "produces": ["application/json"],
   "parameters": [{"name": "limit", "in": "query", "type": "integer", "format": "int32"},
                  {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "csv"}],
   "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}}},
  "post": {"consumes": ["multipart/form-data"], "parameters": [{"name": "file", "in": "formData", "type": "file"}],
   "responses": {"201": {"description": "made"}}}}},
 "definitions": {"Pet": {"type": "object", "required": ["name"], "properties": {
   "name": {"type": "string"}, "birth": {"type": "string", "format": "date-time"},
   "parent": {"$ref": "#/definitions/Pet"}, "allOf_x": {"allOf": [{"$ref": "#/definitions/Pet"}]}}}}}
"##;

const MINI_WSDL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:mini" targetNamespace="urn:mini">
  <documentation>Mini &amp; small</documentation>
  <types>
    <xs:schema targetNamespace="urn:mini" elementFormDefault="qualified">
      <xs:element name="Ask">
        <xs:complexType><xs:sequence>
          <xs:element name="q" type="xs:string"/>
          <xs:element name="n" type="xs:int" minOccurs="0" maxOccurs="unbounded"/>
          <xs:element name="when" type="xs:dateTime" nillable="true"/>
          <xs:element name="color"><xs:simpleType><xs:restriction base="xs:string">
            <xs:enumeration value="red"/><xs:enumeration value="dark-blue"/>
          </xs:restriction></xs:simpleType></xs:element>
        </xs:sequence><xs:attribute name="lang" type="xs:language"/></xs:complexType>
      </xs:element>
      <xs:element name="Answer" type="tns:AnswerType"/>
      <xs:complexType name="AnswerType"><xs:sequence>
        <xs:element name="a" type="xs:base64Binary"/>
        <xs:element name="next" type="tns:AnswerType" minOccurs="0"/>
      </xs:sequence></xs:complexType>
    </xs:schema>
  </types>
  <message name="AskIn"><part name="p" element="tns:Ask"/></message>
  <message name="AskOut"><part name="p" element="tns:Answer"/></message>
  <portType name="P"><operation name="Ask"><input message="tns:AskIn"/><output message="tns:AskOut"/></operation></portType>
  <binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ask"><soap:operation soapAction="urn:ask"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="Mini"><port name="Port" binding="tns:B"><soap:address location="http://localhost/mini"/></port></service>
</definitions>
"#;

const MINI_GRAPHQL: &str = "\"\"\"A schema with \u{e9}\"\"\"\nscalar Date\n\
    enum Color { RED DARK_BLUE }\n\
    input Filter { color: Color = RED, tags: [String!], nested: Filter }\n\
    interface Node { id: ID! }\n\
    type Item implements Node { id: ID!, name(lang: String = \"en\"): String, when: Date, parent: Item, color: Color }\n\
    union Found = Item\n\
    type Query { item(id: ID!): Item, search(f: Filter): [Found!]! }\n\
    type Mutation { rename(id: ID!, name: String!): Item }\n\
    \0\
    query One($id: ID!) { item(id: $id) { ...F parent { id } } }\n\
    fragment F on Item { id name(lang: \"\"\"fr \u{1f1eb}\u{1f1f7}\"\"\") color __typename }\n\
    query Find($f: Filter) { search(f: $f) { ... on Item { id when } } }\n\
    mutation Rename { rename(id: \"1\", name: \"x\") @include(if: true) { id } }\n";

/// The starting documents: format, bytes (GraphQL: schema, NUL, operations), and whether the
/// document as written generates (the others are refused by design: a dangling `$ref`, an
/// external file that is not where the nominal path says).
fn sources() -> Vec<(InputFormat, Vec<u8>, bool)> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let read = |name: &str| std::fs::read(specs.join(name)).unwrap();
    let mut countries = read("countries.graphql");
    countries.push(0);
    countries.extend(read("countries-queries.graphql"));
    vec![
        (InputFormat::Openapi, read("petstore.yaml"), true),
        (InputFormat::Openapi, MINI_OPENAPI_31.into(), true),
        (InputFormat::Openapi, MINI_SWAGGER_JSON.into(), true),
        (InputFormat::Wsdl, read("calculator.wsdl"), true),
        (InputFormat::Wsdl, MINI_WSDL.into(), true),
        (InputFormat::Graphql, countries, true),
        (InputFormat::Graphql, MINI_GRAPHQL.into(), true),
        (InputFormat::Openapi, read("oa-external.yaml"), false),
        (InputFormat::Openapi, read("bad/dangling-ref.yaml"), false),
    ]
}

const ODD: &[&str] = &[
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{2028}",
    "\u{3000}",
    "\u{85}",
    "\u{7f}",
    "\u{1b}",
    "\u{b}",
    "\r",
    "\t",
    "\n",
    "\r\n",
    "é",
    "\u{1f1e9}\u{1f1ea}",
    "ǅ",
    "İ",
    "\u{301}",
    "\"",
    "'",
    "\\",
    "`",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&",
    ":",
    ": ",
    "- ",
    "#",
    "*/",
    "/*",
    "\"\"\"",
    "r#",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "]]>",
    "<![CDATA[",
    "-->",
    "<!--",
    "${",
    "%",
    "~",
    "*a",
    "&a ",
    "!!binary ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "$ref",
    "#/",
    "../",
    "/etc/passwd",
    "{id}",
    "\\u0000",
    "\\ud800",
    "::",
    "@",
    "...",
    "$",
];

const NUMBERS: &[&str] = &[
    "1e999999",
    "-1e-999999",
    "18446744073709551616",
    "-99999999999999999999999999999",
    "340282366920938463463374607431768211456",
    "0x7fffffff",
    "NaN",
    ".inf",
    "-0",
    "4294967296",
    "1.7976931348623157e309",
];

const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "_",
    "__",
    "0abc",
    "a-b",
    "mod",
    "fn",
    "async",
    "await",
    "dyn",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "std",
    "core",
    "Client",
    "Error",
    "日本語",
    "ß",
    "Ωmega",
    "x\u{301}",
    "a b",
    "a.b",
    "A_",
    "a__b",
    "",
    "ID",
    "__typename",
];

/// The mutations, by weight: most keep the document's syntax (names, values, whole lines), so
/// that a fair share of cases reaches the back end.
#[derive(Clone, Copy)]
enum Mutation {
    /// Delete, duplicate or swap byte spans.
    Spans,
    /// Delete, duplicate or swap whole lines.
    Lines,
    /// Insert an odd character inside a word (a name or a value).
    OddInWord,
    /// Insert an odd character anywhere.
    OddAnywhere,
    /// Put (Unicode) white space before a word: at the start of a value, a description paragraph.
    LeadingSpace,
    /// Put hostile Markdown into a description (indented code, fences, links, HTML, bidi and
    /// control characters, paragraphs indented with Unicode spaces).
    Description,
    /// Deep nesting (balanced or not).
    Nesting,
    /// Replace a number by a huge or odd one.
    Number,
    /// Rename one word to a keyword, a Rust prelude name, an empty or non-ASCII name.
    Rename,
    /// Make every occurrence of a word non-ASCII (a name and its references together).
    NonAscii,
    /// Cut the document short.
    Truncate,
    /// Insert a byte that is not UTF-8.
    RawByte,
}

const MUTATIONS: &[(Mutation, u32)] = &[
    (Mutation::Spans, 2),
    (Mutation::Lines, 3),
    (Mutation::OddInWord, 4),
    (Mutation::OddAnywhere, 2),
    (Mutation::LeadingSpace, 2),
    (Mutation::Description, 4),
    (Mutation::Nesting, 2),
    (Mutation::Number, 3),
    (Mutation::Rename, 5),
    (Mutation::NonAscii, 4),
    (Mutation::Truncate, 1),
    (Mutation::RawByte, 1),
];

fn pick(rng: &mut fastrand::Rng) -> Mutation {
    let total: u32 = MUTATIONS.iter().map(|(_, w)| w).sum();
    let mut n = rng.u32(..total);
    for (m, w) in MUTATIONS {
        if n < *w {
            return *m;
        }
        n -= w;
    }
    Mutation::Spans
}

/// One mutation of `doc`.
fn mutate(rng: &mut fastrand::Rng, format: InputFormat, doc: &mut Vec<u8>) {
    let len = doc.len();
    let pos = |rng: &mut fastrand::Rng| rng.usize(..=len);
    let odd = |rng: &mut fastrand::Rng| ODD[rng.usize(..ODD.len())].as_bytes().to_vec();
    match pick(rng) {
        Mutation::Spans => {
            let span = |rng: &mut fastrand::Rng| {
                let a = rng.usize(..=len);
                (a, a + rng.usize(..=64.min(len - a)))
            };
            edit_spans(rng, doc, span);
        }
        Mutation::Lines => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(
                    doc.iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect();
            let line = |rng: &mut fastrand::Rng| {
                let k = rng.usize(..starts.len());
                (starts[k], starts.get(k + 1).copied().unwrap_or(len))
            };
            edit_spans(rng, doc, line);
        }
        Mutation::OddInWord => {
            let at = match find_run(rng, doc, |b| b.is_ascii_alphanumeric()) {
                Some((a, b)) => rng.usize(a..=b),
                None => pos(rng),
            };
            let odd = odd(rng);
            doc.splice(at..at, odd);
        }
        Mutation::OddAnywhere => {
            let at = pos(rng);
            let odd = odd(rng);
            doc.splice(at..at, odd);
        }
        Mutation::LeadingSpace => {
            const SPACES: &[&str] = &[
                "\u{3000}",
                "\u{3000}\u{3000}\u{3000}\u{3000}",
                "\u{a0}",
                "\u{2003}\u{2003}\u{2003}\u{2003}",
                "\u{1680}",
                "\u{85}",
                "    ",
            ];
            if let Some((a, _)) = find_run(rng, doc, |b| b.is_ascii_alphabetic()) {
                let space = SPACES[rng.usize(..SPACES.len())].as_bytes().to_vec();
                doc.splice(a..a, space);
            }
        }
        Mutation::Description => describe(rng, format, doc),
        Mutation::Nesting => {
            let at = pos(rng);
            let depth = [8, 100, 1_000, 10_000][rng.usize(..4)];
            let (open, close): (&str, &str) = match (format, rng.bool()) {
                (InputFormat::Openapi, true) => ("[", "]"),
                (InputFormat::Openapi, false) => ("{a: ", "}"),
                (InputFormat::Wsdl, true) => ("<a>", "</a>"),
                (InputFormat::Wsdl, false) => (
                    "<xs:sequence><xs:element name=\"e\"><xs:complexType>",
                    "</xs:complexType></xs:element></xs:sequence>",
                ),
                (InputFormat::Graphql, true) => ("a { ", "}"),
                (InputFormat::Graphql, false) => ("[", "]"),
            };
            let mut nest = open.repeat(depth).into_bytes();
            if rng.bool() {
                nest.extend(close.repeat(depth).into_bytes());
            }
            doc.splice(at..at, nest);
        }
        Mutation::Number => {
            let n = NUMBERS[rng.usize(..NUMBERS.len())].as_bytes().to_vec();
            match find_run(rng, doc, |b| b.is_ascii_digit()) {
                Some((a, b)) => drop(doc.splice(a..b, n)),
                None => {
                    let at = pos(rng);
                    doc.splice(at..at, n);
                }
            }
        }
        Mutation::Rename => {
            let name = NAMES[rng.usize(..NAMES.len())].as_bytes().to_vec();
            if let Some((a, b)) = find_run(rng, doc, |b| b.is_ascii_alphanumeric() || b == b'_') {
                doc.splice(a..b, name);
            }
        }
        Mutation::NonAscii => {
            if let Some((a, b)) = find_run(rng, doc, |b| b.is_ascii_alphabetic()) {
                let word = doc[a..b].to_vec();
                let suffix = ["Ü日", "\u{301}", "ß", "\u{1f600}", "\u{202e}x"][rng.usize(..5)];
                let replacement = [&word[..], suffix.as_bytes()].concat();
                *doc = replace_all(doc, &word, &replacement);
            }
        }
        Mutation::Truncate => doc.truncate(pos(rng)),
        Mutation::RawByte => {
            let at = pos(rng);
            doc.insert(at, [0xff, 0xc3, 0x80, 0xed][rng.usize(..4)]);
        }
    }
}

/// Description texts that have broken doc handling somewhere, or could.
const DOCS: &[&str] = &[
    "\n\n\u{3000}\u{3000}indented with ideographic spaces",
    "\u{3000}\u{3000}\u{3000}\u{3000}first line",
    "\n\n\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}nbsp",
    "\n\n    let x = 1;\n    assert!(x == 2);",
    "\n\n\t\tfn tabbed() {}",
    "\n\n- item\n\n      indented in a list item",
    "\n# Heading\n    indented after a heading",
    "\n---\n    indented after a rule",
    "\n```\nfenced\n```\n    after a fence",
    "\n~~~rust\nfn f() {}\n~~~",
    "\n````\n```\n````",
    "[click](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=y>",
    "*/ /* \" \\ #[doc = \"x\"] \u{0}",
    "\u{202e}\u{2066}bidi\u{2069}\u{200f}",
    "\u{1b}[31mred\u{7}\u{8}",
    "{{ template }} {% if x %} %s %n",
    "\r\n\r\n\u{2003}\u{2003}em spaces\r\n",
    "\u{feff}bom \u{2028} line separator \u{2029}",
    "trailing backslash \\",
];

/// Puts one of [`DOCS`] into a description of the document, escaped for its format.
fn describe(rng: &mut fastrand::Rng, format: InputFormat, doc: &mut Vec<u8>) {
    let text = DOCS[rng.usize(..DOCS.len())];
    let hits = |pat: &[u8]| -> Vec<usize> {
        doc.windows(pat.len())
            .enumerate()
            .filter(|(_, w)| *w == pat)
            .map(|(i, _)| i + pat.len())
            .collect()
    };
    let choose =
        |rng: &mut fastrand::Rng, v: Vec<usize>| (!v.is_empty()).then(|| v[rng.usize(..v.len())]);
    match format {
        InputFormat::Openapi => {
            // JSON: after the opening quote of a description. YAML: the whole value of a
            // `description:` line becomes a double-quoted scalar (JSON escapes are valid YAML).
            let quoted = serde_json::to_string(text).unwrap();
            if let Some(at) = choose(rng, hits(b"\"description\": \"")) {
                doc.splice(at..at, quoted[1..quoted.len() - 1].bytes());
            } else if let Some(at) = choose(rng, hits(b"description: ")) {
                let end = doc[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(doc.len(), |p| at + p);
                doc.splice(at..end, quoted.bytes());
            }
        }
        InputFormat::Wsdl => {
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('\0', "");
            if let Some(at) = choose(rng, hits(b"documentation>")) {
                doc.splice(at..at, escaped.bytes());
            }
        }
        InputFormat::Graphql => {
            // A block string description before a type or field definition.
            let block = format!("\"\"\"{}\"\"\"\n", text.replace("\"\"\"", "\\\"\"\""));
            let mut places = hits(b"\ntype ");
            places.extend(hits(b"{ "));
            if let Some(at) = choose(rng, places) {
                doc.splice(at..at, block.bytes());
            }
        }
    }
}

/// Deletes, duplicates or swaps spans picked by `span`.
fn edit_spans(
    rng: &mut fastrand::Rng,
    doc: &mut Vec<u8>,
    span: impl Fn(&mut fastrand::Rng) -> (usize, usize),
) {
    let (a, b) = span(rng);
    match rng.u8(..3) {
        0 => drop(doc.drain(a..b)),
        1 => {
            let copy = doc[a..b].to_vec();
            let (at, _) = span(rng);
            doc.splice(at..at, copy);
        }
        _ => {
            let (c, d) = span(rng);
            let ((a, b), (c, d)) = if a <= c {
                ((a, b), (c, d))
            } else {
                ((c, d), (a, b))
            };
            if b <= c {
                let second = doc[c..d].to_vec();
                let first = doc[a..b].to_vec();
                doc.splice(c..d, first);
                doc.splice(a..b, second);
            }
        }
    }
}

/// A maximal run of bytes matching `pred` around a random position, if there is one nearby.
fn find_run(
    rng: &mut fastrand::Rng,
    doc: &[u8],
    pred: impl Fn(u8) -> bool,
) -> Option<(usize, usize)> {
    if doc.is_empty() {
        return None;
    }
    let start = rng.usize(..doc.len());
    let i = (start..doc.len()).chain(0..start).find(|&i| pred(doc[i]))?;
    let a = (0..i)
        .rev()
        .take_while(|&j| pred(doc[j]))
        .last()
        .unwrap_or(i);
    let b = (i..doc.len()).find(|&j| !pred(doc[j])).unwrap_or(doc.len());
    Some((a, b))
}

fn replace_all(doc: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(doc.len());
    let mut i = 0;
    while i < doc.len() {
        if !from.is_empty() && doc[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(doc[i]);
            i += 1;
        }
    }
    out
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

#[test]
fn mangled_documents_never_break_the_pipeline() {
    let cases: usize = std::env::var("SDKWRIGHT_MANGLE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("SDKWRIGHT_MANGLE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let sources = sources();
    let dir = target_dir().join("mangled-failures");
    let _ = std::fs::create_dir_all(&dir);
    // A stack overflow aborts the process: the case being run is always on disk.
    let last = dir.join("last-input");
    eprintln!(
        "if this test aborts, the input it was running is {}",
        last.display()
    );
    let run = move || {
        // The starting documents themselves: the valid ones generate.
        for (format, doc, valid) in &sources {
            let result = Documents::new(*format, doc).generate();
            assert_eq!(
                result.is_ok(),
                *valid,
                "{format} source: {:#?}",
                result.err()
            );
        }
        let mut rng = fastrand::Rng::with_seed(seed);
        let (mut generated, mut refused, mut failures) = (0usize, 0usize, Vec::new());
        let mut codes: BTreeMap<String, usize> = BTreeMap::new();
        for case in 0..cases {
            let (format, original, _) = &sources[case % sources.len()];
            let mut doc = original.clone();
            // Mostly one mutation: each one makes a refusal likelier, and refused documents do
            // not reach the back end.
            for _ in 0..[1, 1, 1, 2, 2, 3, 4][rng.usize(..7)] {
                mutate(&mut rng, *format, &mut doc);
            }
            let _ = std::fs::write(&last, format!("{case} {format}\n"))
                .and_then(|_| std::fs::write(last.with_extension("bytes"), &doc));
            let docs = Documents::new(*format, &doc);
            let outcome = std::panic::catch_unwind(|| {
                let first = docs.generate();
                if let (Ok(first), 0) = (&first, case % 4) {
                    // Output is a pure function of the input (checked on a quarter of the cases,
                    // for time).
                    let again = docs
                        .generate()
                        .expect("second run refused what the first accepted");
                    assert_eq!(first.files, again.files, "two runs differ");
                }
                first.map(|_| ())
            });
            match outcome {
                Ok(Ok(())) => generated += 1,
                Ok(Err(diagnostics)) => {
                    refused += 1;
                    if let Some(d) = diagnostics.iter().find(|d| d.is_error()) {
                        *codes.entry(d.code.to_string()).or_default() += 1;
                    }
                }
                Err(e) => {
                    let message = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default();
                    let file = dir.join(format!("seed{seed}-case{case}"));
                    let _ = std::fs::write(&file, &doc);
                    failures.push(format!(
                        "case {case} ({format}, input in {}): {}",
                        file.display(),
                        message.chars().take(2000).collect::<String>()
                    ));
                }
            }
        }
        eprintln!("refusals by first error: {codes:?}");
        (generated, refused, failures)
    };
    let (generated, refused, failures) = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
    eprintln!("{cases} mangled documents (seed {seed}): {generated} generated, {refused} refused, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The mutations must leave a fair share of documents valid, or the back end is not exercised.
    assert!(
        generated * 5 >= cases,
        "only {generated} of {cases} generated"
    );
}
