//! GraphQL front end: lowers a schema (SDL) plus operation documents into the IR.
//!
//! # What the IR looks like
//!
//! Each named `query` or `mutation` in the operation documents becomes one [`ir::Operation`]:
//!
//! - `name: Name::Given(<operation name>)`, `method: Post`, `path: ""`, no params;
//! - `body`: always present and required, typed as the `<Op>Variables` struct
//!   (`Name::Derived([op, "Variables"])`, one field per variable; an operation without variables
//!   gets an empty struct, so the back end may omit the argument when it has no fields);
//! - `responses`: one `200` response typed as the `<Op>Data` struct (`Name::Derived([op, "Data"])`).
//!
//! Both encodings are `BodyEncoding::GraphQl { document, operation_name }` where `document` is
//! the operation's own text followed by the fragments it uses, cut from its document file (see
//! [`document`]: servers validate the whole request document, so sending the whole file would
//! let one operation the server rejects break all the others).
//!
//! Result types follow the *selection set*, not the schema object: every selection of an object,
//! interface or union field becomes its own struct `Name::Derived([op, key, key…])` where the keys
//! are response keys (aliases when given). Fields of the `Data` struct and its children use the
//! response key as wire name. Nullability: a non-null field (`T!`) is `required: true,
//! nullable: false`; a nullable one is `required: false, nullable: true`. Fields selected under a
//! fragment that does not always apply (a type condition narrower than the parent type) or under
//! `@skip`/`@include` are treated as nullable too. Nullable *list items* are not modelled (the IR
//! has no optional item type): `[T]` and `[T!]` both become `List(T)`.
//!
//! Scalars: `String`/`ID` → String, `Int` → I32, `Float` → F64, `Boolean` → Bool, custom scalars
//! → `Any` (one warning per scalar). Enums become one shared `TypeKind::Enum` per GraphQL enum
//! (`Name::Given`), input objects one shared struct each (`Name::Given`); input fields and
//! variables are `required` when non-null without default, and never `nullable` (an absent
//! optional value is omitted, which GraphQL treats like null).
//!
//! The schema declares no server, so `servers` is left empty: users give the endpoint URL.
//!
//! Fragments can make a small document describe a huge response (a fragment spreading itself
//! inside a field, chains, two spreads per level): an operation whose selections nest more than
//! 64 levels, or that selects more than 20,000 response fields, is a located
//! `graphql::selection_too_large` error.

mod document;
mod lower;
mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use graphql_parser::query as q;

use crate::diag::Diagnostic;
use crate::ir;
use crate::load::confine::Confinement;
use crate::lowered::Lowered;

use self::lower::Builder;
use self::schema::Schema;

/// Loads the schema at `schema` and lowers every operation in `operations`.
#[cfg(test)]
pub(crate) fn lower(schema: &Path, operations: &[PathBuf]) -> Lowered {
    lower_confined(schema, operations, &Confinement::default_for(schema))
}

/// Loads the schema at `schema` and lowers every operation in `operations`. Both are files the
/// user named: each must be a regular file under `confinement`'s size cap (GraphQL documents
/// name no other file).
///
/// Never panics and never fails: unreadable or unparsable files yield error diagnostics (with
/// line and column for syntax errors) and the operations that could be lowered. A document
/// nested deeper than [`MAX_GRAPHQL_DEPTH`] is refused before parsing (the parser recurses).
pub(crate) fn lower_confined(
    schema: &Path,
    operations: &[PathBuf],
    confinement: &Confinement,
) -> Lowered {
    lower_with(schema, operations, |path, out| read(path, confinement, out))
}

/// [`lower_confined`] on texts held in memory: `sources` maps paths (the schema's, those in
/// `operations`) to their text; a path without text is read from disk. The entry point of the
/// fuzz targets and property tests.
pub(crate) fn lower_sources(
    schema: &Path,
    operations: &[PathBuf],
    sources: &[(&Path, &str)],
    confinement: &Confinement,
) -> Lowered {
    lower_with(schema, operations, |path, out| {
        match sources.iter().find(|(p, _)| *p == path) {
            Some((_, text)) => {
                out.files_read.push(path.to_path_buf());
                not_too_deep(path, (*text).to_owned(), out)
            }
            None => read(path, confinement, out),
        }
    })
}

fn lower_with(
    schema: &Path,
    operations: &[PathBuf],
    mut read: impl FnMut(&Path, &mut Lowered) -> Option<String>,
) -> Lowered {
    let mut out = Lowered::default();
    out.api.title = schema
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "graphql".to_owned());

    let Some(sdl) = read(schema, &mut out) else {
        return out;
    };
    let doc = match graphql_parser::parse_schema::<String>(&sdl) {
        Ok(doc) => doc.into_static(),
        Err(e) => {
            out.diagnostics
                .push(parse_error(schema, &e.to_string(), "schema"));
            return out;
        }
    };
    let schema_index = Schema::build(&doc);

    let mut builder = Builder::new(&schema_index, schema);
    for path in operations {
        let Some(text) = read(path, &mut out) else {
            continue;
        };
        let doc: q::Document<'static, String> = match q::parse_query::<String>(&text) {
            Ok(doc) => doc.into_static(),
            Err(e) => {
                out.diagnostics
                    .push(parse_error(path, &e.to_string(), "operation document"));
                continue;
            }
        };
        builder.lower_document(path, &text, &doc);
    }
    let (api, diagnostics) = builder.finish();
    out.api.types = api.types;
    out.api.operations = api.operations;
    out.diagnostics.extend(diagnostics);
    if out.api.operations.is_empty() && operations.is_empty() {
        out.diagnostics.push(
            Diagnostic::warning(
                "graphql::no_operations",
                "no operation documents were given",
            )
            .at(schema, "")
            .help("pass the .graphql files holding your queries and mutations"),
        );
    }
    out
}

/// Most nesting levels (`{`, `[`, `(`) of a GraphQL document: graphql-parser's own recursion
/// limit, checked first to give a clear diagnostic.
pub(crate) const MAX_GRAPHQL_DEPTH: u32 = 50;

/// Reads a file, recording it in `files_read`, or pushes an error diagnostic. A file that is not
/// a regular file, is over the size cap, is not UTF-8 or nests too deeply is refused.
fn read(path: &Path, confinement: &Confinement, out: &mut Lowered) -> Option<String> {
    out.files_read.push(path.to_path_buf());
    let refused = |code: &'static str, message: String, help: String| {
        Diagnostic::error(code, message).at(path, "").help(help)
    };
    let text = match confinement.read_trusted(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            out.diagnostics.push(refused(
                "graphql::read",
                format!("{} is not valid UTF-8", path.display()),
                "save the document as UTF-8".into(),
            ));
            return None;
        }
        Err(r) if r.code == "load::io" => {
            out.diagnostics.push(refused(
                "graphql::read",
                r.message,
                "check the path given for the GraphQL document".into(),
            ));
            return None;
        }
        Err(r) => {
            out.diagnostics.push(refused(r.code, r.message, r.help));
            return None;
        }
    };
    not_too_deep(path, text, out)
}

/// `text`, or `None` and an error when it nests too deeply for the parser.
fn not_too_deep(path: &Path, text: String, out: &mut Lowered) -> Option<String> {
    if let Some(offset) = too_deep(&text) {
        let (line, col) = crate::load::position::line_col_of_offset(&text, offset);
        out.diagnostics.push(
            Diagnostic::error(
                "load::too_deep",
                format!("the document nests deeper than {MAX_GRAPHQL_DEPTH} levels here"),
            )
            .at_line(path, "", line, col)
            .help("flatten the selection sets or values (use fragments)"),
        );
        return None;
    }
    Some(text)
}

/// Byte offset of the first bracket (`{`, `[`, `(`) nested deeper than [`MAX_GRAPHQL_DEPTH`],
/// outside strings, block strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0u32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += if b[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_GRAPHQL_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Turns a graphql-parser error message (`… Parse error at L:C\nUnexpected …\nExpected …`) into
/// a diagnostic with line and column.
fn parse_error(path: &Path, message: &str, what: &str) -> Diagnostic {
    let mut lines = message.lines();
    let head = lines.next().unwrap_or_default();
    let detail: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
    let position = head.rsplit_once(" at ").and_then(|(_, pos)| {
        let (l, c) = pos.trim().split_once(':')?;
        Some((l.parse::<u32>().ok()?, c.parse::<u32>().ok()?))
    });
    let text = if detail.is_empty() {
        format!("syntax error in GraphQL {what}")
    } else {
        format!(
            "syntax error in GraphQL {what}: {}",
            detail.join("; ").to_lowercase()
        )
    };
    let diag = Diagnostic::error("graphql::syntax", text)
        .help("fix the GraphQL syntax at the given position (see https://spec.graphql.org/)");
    match position {
        Some((line, column)) => diag.at_line(path, "", line, column),
        None => diag.at(path, ""),
    }
}

/// Shorthand for the request/response encoding of one operation.
fn encoding(document: &str, operation_name: &str) -> ir::BodyEncoding {
    ir::BodyEncoding::GraphQl {
        document: document.to_owned(),
        operation_name: operation_name.to_owned(),
    }
}
