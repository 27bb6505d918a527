//! GraphQL front end: lowers a schema (SDL) plus operation documents into the IR.
//!
//! # What the IR looks like
//!
//! Each named `query`, `mutation` or `subscription` in the operation documents becomes one
//! [`ir::Operation`] (its kind in the encoding: a subscription's method returns a stream):
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
//! `@skip`/`@include` are treated as nullable too. List items: `[T]` is `List(Nullable(T))`,
//! `[T!]` is `List(T)`.
//!
//! Unions and interfaces: when the selection names object types in fragments (inline or
//! spread), the field's type is a `TypeKind::Union` tagged on `__typename` with one variant per
//! object type named (a struct of every field that applies to that type, plus `__typename`) and
//! a last `Other` variant (`UnionDef::fallback`: the fields selected on the abstract type
//! itself); `__typename` is inserted into the text sent right after the selection's `{`. Without
//! such fragments the field stays a struct of the common fields.
//!
//! Named fragments: each becomes one type of its own (`Name::Given(<fragment>)`: a struct of its
//! selection on its type condition, or a union as above when the condition is abstract and the
//! selection names member types), lowered once per document on first use. A field whose
//! selection is only `...F` is typed `F`; a selection with other fields gets `F` as a field in
//! [`ir::StructDef::flatten`] (named after the fragment) beside its own. The same fragment text,
//! with the same fragments under it, in a later document shares the first document's type (the
//! later copy's types are dropped from the arena); a different fragment of the same name is
//! `Name::Derived([stem, F])`, a fragment named like a schema enum or input object
//! `Name::Derived([F, "Fragment"])`, each with a `graphql::fragment_renamed` warning. Spreads
//! that do not always apply (`@skip`/`@include`, narrower type conditions outside a member
//! variant) are expanded into the selection's fields, made nullable.
//!
//! Scalars: `String`/`ID` → String, `Int` → I32, `Float` → F64, `Boolean` → Bool; custom
//! scalars mapped with `--scalar NAME=TYPE` → `External(TYPE)`; well-known names →
//! [`well_known_scalar`]; others → `Any` (one warning per scalar). Enums become one shared
//! `TypeKind::Enum` per GraphQL enum (`Name::Given`), input objects one shared struct each
//! (`Name::Given`). Input fields and variables: non-null without default → `required`; non-null
//! with a default → not required; nullable → not required with type `Nullable(T)` (the back end's
//! tri-state: absent, `null`, value).
//!
//! Operation names must be unique per file; a name defined in several files is qualified with
//! each file's stem (`Name::Derived([stem, name])`, a warning), the wire name unchanged.
//! Every document is also validated against the schema ([`validate`], apollo-compiler).
//!
//! The schema declares no server, so `servers` is left empty: users give the endpoint URL.
//!
//! Fragments can make a small document describe a huge response (a fragment spreading itself
//! inside a field, chains, two spreads per level): an operation whose selections nest more than
//! 64 levels, or that selects more than 20,000 response fields, is a located
//! `graphql::selection_too_large` error.

mod document;
mod introspection;
mod lower;
mod schema;
#[cfg(test)]
mod tests;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
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
    lower_confined(schema, operations, &[], &Confinement::default_for(schema))
}

/// Loads the schema at `schema` and lowers every operation in `operations`. Both are files the
/// user named: each must be a regular file under `confinement`'s size cap (GraphQL documents
/// name no other file). A folder in `operations` stands for its `*.graphql` and `*.gql` files,
/// sorted by name. `scalars` are `NAME=RUST_TYPE` mappings of custom scalars (`--scalar`).
///
/// The schema is SDL, or an introspection result (`{"data": {"__schema": …}}` or
/// `{"__schema": …}`), told apart by content: JSON starts with `{`, SDL never does.
///
/// Never panics and never fails: unreadable or unparsable files yield error diagnostics (with
/// line and column for syntax errors) and the operations that could be lowered. A document
/// nested deeper than [`MAX_GRAPHQL_DEPTH`] is refused before parsing (the parser recurses).
pub(crate) fn lower_confined(
    schema: &Path,
    operations: &[PathBuf],
    scalars: &[String],
    confinement: &Confinement,
) -> Lowered {
    lower_with(schema, operations, scalars, |path, out| {
        read(path, confinement, out)
    })
}

/// [`lower_confined`] on texts held in memory: `sources` maps paths (the schema's, those in
/// `operations`) to their text; a path without text is read from disk. The entry point of the
/// fuzz targets and property tests.
pub(crate) fn lower_sources(
    schema: &Path,
    operations: &[PathBuf],
    scalars: &[String],
    sources: &[(&Path, &str)],
    confinement: &Confinement,
) -> Lowered {
    lower_with(schema, operations, scalars, |path, out| {
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
    scalars: &[String],
    mut read: impl FnMut(&Path, &mut Lowered) -> Option<String>,
) -> Lowered {
    let mut out = Lowered::default();
    out.api.title = schema
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "graphql".to_owned());
    // A GraphQL schema declares no security: every client can send a bearer token (the
    // runtime's credential machinery: `bearer_auth(token)`, `bearer_auth_token_provider(p)`);
    // without one, requests go out without `Authorization`. Other headers (an API key under
    // any name) are the client builder's default headers.
    out.api.security_schemes.push(crate::ir::SecurityScheme {
        name: "bearer_auth".to_owned(),
        docs: Some(
            "A bearer token, sent as `Authorization: Bearer <token>` with every operation."
                .to_owned(),
        ),
        kind: crate::ir::SecurityKind::Bearer,
    });
    out.api
        .default_security
        .push(crate::ir::SecurityRequirement {
            schemes: vec![crate::ir::SchemeId(0)],
            scopes: Vec::new(),
        });

    let mut scalar_map = BTreeMap::new();
    for mapping in scalars {
        match parse_scalar_option(mapping) {
            Ok((name, ty)) => {
                scalar_map.insert(name, ty);
            }
            Err(e) => out.diagnostics.push(
                Diagnostic::error(
                    "graphql::scalar_option",
                    format!("`--scalar {mapping}`: {e}"),
                )
                .help("write `--scalar NAME=RUST_TYPE`, e.g. `--scalar DateTime=String`"),
            ),
        }
    }

    let Some((sdl, schema_index)) =
        read(schema, &mut out).and_then(|text| read_schema(schema, text, &mut out))
    else {
        return out;
    };
    let validator = validate::Validator::new(&sdl, schema);

    let mut docs = Vec::new();
    for path in expand_operations(operations, &mut out) {
        let Some(text) = read(&path, &mut out) else {
            continue;
        };
        let doc: q::Document<'static, String> = match q::parse_query::<String>(&text) {
            Ok(doc) => doc.into_static(),
            Err(e) => {
                out.diagnostics
                    .push(parse_error(&path, &e.to_string(), "operation document"));
                continue;
            }
        };
        docs.push((path, text, doc));
    }
    for name in scalar_map.keys() {
        let is_scalar = schema_index
            .types
            .get(name)
            .is_some_and(|t| t.kind == schema::Kind::Scalar);
        if !is_scalar || schema::BUILTIN_SCALARS.contains(&name.as_str()) {
            out.diagnostics.push(
                Diagnostic::warning(
                    "graphql::unused_scalar_option",
                    format!("`--scalar {name}=…` maps nothing: the schema has no custom scalar `{name}`"),
                )
                .at(schema, "")
                .help("check the scalar's name against the schema (built-in scalars cannot be mapped)"),
            );
        }
    }
    let mut builder = Builder::new(&schema_index, schema).with_scalars(scalar_map);
    // Operation names defined in more than one file are qualified with the file's stem.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, doc) in &docs {
        let names: BTreeSet<&str> = doc
            .definitions
            .iter()
            .filter_map(|d| match d {
                q::Definition::Operation(q::OperationDefinition::Query(o)) => o.name.as_deref(),
                q::Definition::Operation(q::OperationDefinition::Mutation(o)) => o.name.as_deref(),
                q::Definition::Operation(q::OperationDefinition::Subscription(o)) => {
                    o.name.as_deref()
                }
                _ => None,
            })
            .collect();
        for n in names {
            *seen.entry(n).or_default() += 1;
        }
    }
    builder.ambiguous = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name.to_owned())
        .collect();
    for (path, text, doc) in &docs {
        let before = builder.diagnostic_count();
        builder.lower_document(path, text, doc);
        let found = validator.check(path, text);
        builder.add_validation(before, found);
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

/// Reads the schema: SDL, or introspection JSON (converted to SDL) when the text starts with
/// `{`. Returns the SDL text with the index built from it.
fn read_schema(schema: &Path, mut text: String, out: &mut Lowered) -> Option<(String, Schema)> {
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        let json: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::error(
                        "graphql::introspection",
                        format!("the schema looks like an introspection result but is not valid JSON: {e}"),
                    )
                    .at_line(schema, "", e.line() as u32, e.column() as u32)
                    .help("save the whole response of the introspection query, or the schema as SDL"),
                );
                return None;
            }
        };
        text = match introspection::to_sdl(&json) {
            Ok(sdl) => sdl,
            Err((pointer, message)) => {
                let d = Diagnostic::error(
                    "graphql::introspection",
                    format!("not an introspection result: {message}"),
                )
                .help("save the whole response of the standard introspection query (`{ __schema { … } }`), or the schema as SDL");
                let pos = crate::load::position::locate(
                    &text,
                    crate::load::Format::Json,
                    &[pointer.as_str()],
                );
                out.diagnostics.push(match pos.first().copied().flatten() {
                    Some((line, col)) => d.at_line(schema, pointer, line, col),
                    None => d.at(schema, pointer),
                });
                return None;
            }
        };
    }
    match graphql_parser::parse_schema::<String>(&text) {
        Ok(doc) => {
            let index = Schema::build(&doc.into_static());
            Some((text, index))
        }
        Err(e) => {
            out.diagnostics
                .push(parse_error(schema, &e.to_string(), "schema"));
            None
        }
    }
}

/// The operation files: each file named, and for each folder named its `*.graphql` and `*.gql`
/// files (not recursive), sorted by name so the output does not depend on the file system.
fn expand_operations(operations: &[PathBuf], out: &mut Lowered) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in operations {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::error(
                        "graphql::read",
                        format!("cannot list {}: {e}", path.display()),
                    )
                    .at(path, "")
                    .help("check the folder given with --operations"),
                );
                continue;
            }
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase);
                matches!(ext.as_deref(), Some("graphql" | "gql")) && !p.is_dir()
            })
            .collect();
        found.sort();
        if found.is_empty() {
            out.diagnostics.push(
                Diagnostic::warning(
                    "graphql::empty_operations_folder",
                    format!("{} holds no .graphql or .gql file", path.display()),
                )
                .at(path, "")
                .help("put the operation documents into the folder, or name the files"),
            );
        }
        files.extend(found);
    }
    files
}

/// Splits and checks one `--scalar NAME=RUST_TYPE` mapping: NAME is a GraphQL name, RUST_TYPE
/// parses as a Rust type.
pub(crate) fn parse_scalar_option(mapping: &str) -> Result<(String, String), String> {
    let Some((name, ty)) = mapping.split_once('=') else {
        return Err("expected NAME=RUST_TYPE".into());
    };
    let (name, ty) = (name.trim(), ty.trim());
    let valid_name = name
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if !valid_name {
        return Err(format!("`{name}` is not a GraphQL name"));
    }
    if syn::parse_str::<syn::Type>(ty).is_err() {
        return Err(format!("`{ty}` is not a Rust type"));
    }
    Ok((name.to_owned(), ty.to_owned()))
}

/// The runtime type of a custom scalar whose name says unambiguously what it carries, or
/// `None`. `DateTime`, `ISO8601DateTime`, `timestamptz` → RFC 3339 date-time; `Date`, `date` →
/// full date; `UUID`, `Uuid`, `uuid` → UUID; `URI`, `URL`, `Uri`, `Url`, `HTML` → String; `JSON`,
/// `JSONObject`, `json`, `jsonb` → any JSON value (no warning). Others (`BigInt`, `Decimal`,
/// `timestamp` without time zone, …) can be carried in more than one way and stay any JSON value
/// with a warning.
pub(crate) fn well_known_scalar(name: &str) -> Option<ir::TypeRef> {
    use ir::{Primitive as P, TypeRef as T};
    Some(match name {
        "DateTime" | "ISO8601DateTime" | "timestamptz" => T::Primitive(P::DateTime),
        "Date" | "date" => T::Primitive(P::Date),
        "UUID" | "Uuid" | "uuid" => T::Primitive(P::Uuid),
        "URI" | "URL" | "Uri" | "Url" | "HTML" => T::Primitive(P::String),
        "JSON" | "JSONObject" | "json" | "jsonb" => T::Any,
        _ => return None,
    })
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
pub(super) fn too_deep(text: &str) -> Option<usize> {
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
fn encoding(document: &str, operation_name: &str, kind: ir::GraphQlKind) -> ir::BodyEncoding {
    ir::BodyEncoding::GraphQl {
        document: document.to_owned(),
        operation_name: operation_name.to_owned(),
        kind,
    }
}
