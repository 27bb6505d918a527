//! The project file, `sdkwright.toml`: what a user sets once for a generated SDK (crate
//! metadata, runtime dependency, GraphQL operations and scalars, input settings, templates).
//!
//! Found beside the main document, or named with `--config FILE`. It holds the same settings as
//! the command-line flags ([`Options`]); a flag given explicitly wins over the file. Paths in the
//! file are relative to the file's folder, except `runtime.path`, which, like `--runtime-path`,
//! is written into the generated `Cargo.toml` and so is relative to the output folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diag::Diagnostic;
use crate::options::{InputFormat, Options};

/// The file name looked for beside the main document.
pub(crate) const FILE_NAME: &str = "sdkwright.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    #[serde(default)]
    package: Package,
    #[serde(default)]
    runtime: Runtime,
    #[serde(default)]
    graphql: Graphql,
    #[serde(default)]
    input: Input,
    #[serde(default)]
    operations: Operations,
    #[serde(default)]
    rename: Rename,
    #[serde(default)]
    types: Types,
    templates: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Operations {
    /// `--paginate` values: `OPERATION=STYLE[,KEY=VALUE…]`, `OPERATION=off`, `*=off`.
    #[serde(default)]
    paginate: Vec<String>,
    /// `--include` patterns.
    #[serde(default)]
    include: Vec<Spanned<String>>,
    /// `--exclude` patterns.
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    /// Per operation (`operationId`): what the generator can honour for one operation.
    #[serde(default)]
    overrides: BTreeMap<String, Override>,
}

/// `[operations.overrides.NAME]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    /// A `--paginate` value without the `OPERATION=` part: `cursor,param=after`, `off`.
    paginate: Option<Spanned<String>>,
    /// A default timeout for the operation's calls: `30s`, `500ms`, `2m`.
    timeout: Option<Spanned<String>>,
    /// The Rust method name (as `[rename.operations]`).
    rename: Option<Spanned<String>>,
}

/// `[rename]`: document name → Rust name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    #[serde(default)]
    operations: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    types: BTreeMap<String, Spanned<String>>,
    /// `"Type.field" = "rust_name"`.
    #[serde(default)]
    fields: BTreeMap<String, Spanned<String>>,
}

/// `[types]`: type mappings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Types {
    /// OpenAPI `format` → Rust type (`--format-type`).
    #[serde(default)]
    formats: BTreeMap<String, Spanned<String>>,
    /// GraphQL scalar → Rust type (`--scalar`; the same as `[graphql] scalars`).
    #[serde(default)]
    scalars: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Package {
    name: Option<String>,
    version: Option<String>,
    description: Option<String>,
    license: Option<String>,
    repository: Option<String>,
    edition: Option<String>,
    /// `--tag-features`.
    #[serde(rename = "tag-features")]
    tag_features: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Runtime {
    path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Graphql {
    #[serde(default)]
    operations: Vec<PathBuf>,
    #[serde(default)]
    scalars: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Input {
    format: Option<String>,
    #[serde(default)]
    allow_paths: Vec<PathBuf>,
    max_file_size: Option<u64>,
}

/// The folder a project file is looked for in: the document's own (`.` for a bare file name).
pub(crate) fn folder_of(input: &Path) -> PathBuf {
    match input.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The project file that applies to `input`: `explicit` (`--config`) or `sdkwright.toml` beside
/// the document, if there is one.
pub(crate) fn find(input: &Path, explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let candidate = folder_of(input).join(FILE_NAME);
    candidate.is_file().then_some(candidate)
}

/// `explicit` with every setting it leaves unset taken from the project file `text` (read from
/// `path`); an error is located at its line and column in the file.
#[cfg(test)]
pub(crate) fn merge(
    explicit: &Options,
    path: &Path,
    text: &str,
) -> Result<Options, Box<Diagnostic>> {
    merge_located(explicit, path, text).map(|(o, _)| o)
}

/// Where each value that came from the project file is (line, column), keyed by the flag value
/// it became (`op:listPets=pets`, `tag:admin`): problems found after lowering (a rename of an
/// operation the document does not have) are reported there.
pub(crate) type Spans = BTreeMap<String, (u32, u32)>;

/// [`merge`], and where the values that are checked against the document came from.
pub(crate) fn merge_located(
    explicit: &Options,
    path: &Path,
    text: &str,
) -> Result<(Options, Spans), Box<Diagnostic>> {
    let file: ProjectFile = toml::from_str(text).map_err(|e| -> Box<Diagnostic> {
        let d = Diagnostic::error("project::invalid", e.message().to_owned()).help(
            "see README.md, \"Project file\", for the sections and keys sdkwright.toml may hold",
        );
        Box::new(match e.span() {
            Some(span) => {
                let (line, column) = line_col(text, span.start);
                d.at_line(path, "", line, column)
            }
            None => d.at(path, ""),
        })
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let rel = |p: &PathBuf| {
        if p.is_absolute() {
            p.clone()
        } else {
            dir.join(p)
        }
    };
    let mut o = explicit.clone();
    let pick = |flag: &mut Option<String>, file: Option<String>| {
        if flag.is_none() {
            *flag = file;
        }
    };
    let pk = file.package;
    pick(&mut o.crate_name, pk.name);
    pick(&mut o.crate_version, pk.version);
    pick(&mut o.description, pk.description);
    pick(&mut o.license, pk.license);
    pick(&mut o.repository, pk.repository);
    pick(&mut o.edition, pk.edition);
    o.tag_features |= pk.tag_features.unwrap_or(false);
    if let Some(e) = &o.edition {
        if !matches!(e.as_str(), "2015" | "2018" | "2021" | "2024") {
            return Err(invalid(
                path,
                format!("edition `{e}` is not a Rust edition"),
                "use 2015, 2018, 2021 or 2024",
            ));
        }
    }
    if o.runtime_path.is_none() {
        o.runtime_path = file.runtime.path;
    }
    if o.graphql_operations.is_empty() {
        o.graphql_operations = file.graphql.operations.iter().map(rel).collect();
    }
    let mut spans = Spans::new();
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let located = |message: String, span: std::ops::Range<usize>, help: &str| {
        let (line, column) = line_col(text, span.start);
        Box::new(
            Diagnostic::error("project::invalid", message)
                .at_line(path, "", line, column)
                .help(help),
        )
    };
    if o.graphql_scalars.is_empty() {
        let typed = file
            .types
            .scalars
            .into_iter()
            .map(|(k, v)| (k, v.into_inner()));
        for (name, ty) in file.graphql.scalars.into_iter().chain(typed) {
            let mapping = format!("{name}={ty}");
            if let Err(e) = crate::graphql::parse_scalar_option(&mapping) {
                return Err(invalid(
                    path,
                    e,
                    "[graphql.scalars] maps a scalar name to a Rust type",
                ));
            }
            o.graphql_scalars.push(mapping);
        }
    }
    if o.format.is_none() {
        o.format = match file.input.format.as_deref() {
            None => None,
            Some("openapi") => Some(InputFormat::Openapi),
            Some("graphql") => Some(InputFormat::Graphql),
            Some("wsdl") => Some(InputFormat::Wsdl),
            Some(other) => {
                return Err(invalid(
                    path,
                    format!("input format `{other}` is not one sdkwright reads"),
                    "use openapi, graphql or wsdl",
                ))
            }
        };
    }
    if o.paginate.is_empty() {
        for p in file.operations.paginate {
            if let Err(e) = crate::paging::check_override(&p) {
                return Err(invalid(
                    path,
                    e,
                    "[operations] paginate takes the values of --paginate",
                ));
            }
            o.paginate.push(p);
        }
    }
    if o.format_types.is_empty() {
        for (format, ty) in file.types.formats {
            let value = format!("{format}={}", ty.get_ref());
            if let Err(e) = parse_type_mapping(&value) {
                return Err(located(
                    e,
                    ty.span(),
                    "[types.formats] maps an OpenAPI format to a Rust type",
                ));
            }
            o.format_types.push(value);
        }
    }
    if o.renames.is_empty() {
        let r = file.rename;
        let over = file
            .operations
            .overrides
            .iter()
            .filter_map(|(op, ov)| ov.rename.clone().map(|to| (op.clone(), to)));
        let all = r
            .operations
            .into_iter()
            .chain(over)
            .map(|(k, v)| ("op", k, v))
            .chain(r.types.into_iter().map(|(k, v)| ("type", k, v)))
            .chain(r.fields.into_iter().map(|(k, v)| ("field", k, v)));
        for (kind, from, to) in all {
            let value = format!("{kind}:{from}={}", to.get_ref());
            if let Err(e) = parse_rename(&value) {
                return Err(located(
                    e,
                    to.span(),
                    "[rename] maps a document name to a Rust identifier",
                ));
            }
            spans.insert(value.clone(), at(to.span()));
            o.renames.push(value);
        }
    }
    for (flag, list, file_list) in [
        ("include", &mut o.include, file.operations.include),
        ("exclude", &mut o.exclude, file.operations.exclude),
    ] {
        if !list.is_empty() {
            continue;
        }
        for p in file_list {
            if let Err(e) = parse_pattern(p.get_ref()) {
                return Err(located(
                    e,
                    p.span(),
                    &format!("[operations] {flag} takes operationIds, tag:NAME or path:GLOB"),
                ));
            }
            spans.insert(format!("{flag}:{}", p.get_ref()), at(p.span()));
            list.push(p.into_inner());
        }
    }
    let fill_paginate = o.paginate.is_empty();
    let fill_timeouts = o.operation_timeouts.is_empty();
    for (op, ov) in file.operations.overrides {
        if let Some(p) = ov.paginate.filter(|_| fill_paginate) {
            let value = format!("{op}={}", p.get_ref());
            if let Err(e) = crate::paging::check_override(&value) {
                return Err(located(
                    e,
                    p.span(),
                    "`paginate` takes the values of --paginate after `OPERATION=`",
                ));
            }
            spans.insert(format!("paginate:{op}"), at(p.span()));
            o.paginate.push(value);
        }
        if let Some(t) = ov.timeout.filter(|_| fill_timeouts) {
            let value = format!("{op}={}", t.get_ref());
            if let Err(e) = parse_timeout(&value) {
                return Err(located(
                    e,
                    t.span(),
                    "`timeout` is a duration: 30s, 500ms, 2m",
                ));
            }
            spans.insert(format!("timeout:{op}"), at(t.span()));
            o.operation_timeouts.push(value);
        }
    }
    if o.allow_paths.is_empty() {
        o.allow_paths = file.input.allow_paths.iter().map(rel).collect();
    }
    if o.max_file_size.is_none() {
        o.max_file_size = file.input.max_file_size;
    }
    if o.templates.is_none() {
        o.templates = file.templates.as_ref().map(rel);
    }
    Ok((o, spans))
}

/// What a `--rename` value renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RenameTarget {
    /// An operation, by `operationId` (or derived name).
    Operation(String),
    /// A type, by its document name.
    Type(String),
    /// A field: type and field, by their document names.
    Field(String, String),
}

/// `op:NAME=RUST`, `type:NAME=RUST`, `field:TYPE.FIELD=RUST`.
pub(crate) fn parse_rename(value: &str) -> Result<(RenameTarget, String), String> {
    const HELP: &str =
        "use op:OPERATION=rust_name, type:TYPE=RustName or field:TYPE.FIELD=rust_name";
    let Some((kind, rest)) = value.split_once(':') else {
        return Err(format!("`{value}` is not KIND:NAME=RUST; {HELP}"));
    };
    let Some((from, to)) = rest.rsplit_once('=') else {
        return Err(format!("`{value}` is not KIND:NAME=RUST; {HELP}"));
    };
    let to = to.trim();
    if syn::parse_str::<syn::Ident>(to).is_err() || to == "_" {
        return Err(format!(
            "`{to}` is not a Rust identifier (a keyword needs `r#`)"
        ));
    }
    let target = match kind {
        "op" | "operation" => RenameTarget::Operation(from.to_owned()),
        "type" => RenameTarget::Type(from.to_owned()),
        "field" => match from.rsplit_once('.') {
            Some((t, f)) if !t.is_empty() && !f.is_empty() => {
                RenameTarget::Field(t.to_owned(), f.to_owned())
            }
            _ => return Err(format!("`{from}`: a field is named TYPE.FIELD; {HELP}")),
        },
        other => return Err(format!("unknown kind `{other}`; {HELP}")),
    };
    if from.is_empty() {
        return Err(format!("`{value}` names nothing; {HELP}"));
    }
    Ok((target, to.to_owned()))
}

/// `FORMAT=RUST_TYPE`, the type a Rust type path.
pub(crate) fn parse_type_mapping(value: &str) -> Result<(String, String), String> {
    let Some((format, ty)) = value.split_once('=') else {
        return Err(format!("`{value}` is not FORMAT=RUST_TYPE"));
    };
    let (format, ty) = (format.trim(), ty.trim());
    if format.is_empty() {
        return Err(format!("`{value}` names no format"));
    }
    if syn::parse_str::<syn::Type>(ty).is_err() {
        return Err(format!("`{ty}` is not a Rust type"));
    }
    Ok((format.to_owned(), ty.to_owned()))
}

/// `OPERATION=DURATION`: the operation and the duration in milliseconds (`500ms`, `30s`, `2m`).
pub(crate) fn parse_timeout(value: &str) -> Result<(String, u64), String> {
    let Some((op, d)) = value.split_once('=') else {
        return Err(format!("`{value}` is not OPERATION=DURATION"));
    };
    let d = d.trim();
    let (num, unit) = d.split_at(d.find(|c: char| !c.is_ascii_digit()).unwrap_or(d.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{d}` is not a duration such as 30s, 500ms or 2m"))?;
    let ms = match unit {
        "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        _ => return Err(format!("`{d}` is not a duration such as 30s, 500ms or 2m")),
    }
    .filter(|ms| *ms > 0)
    .ok_or_else(|| format!("`{d}` is zero or too long"))?;
    if op.trim().is_empty() {
        return Err(format!("`{value}` names no operation"));
    }
    Ok((op.trim().to_owned(), ms))
}

/// An operation pattern: `tag:NAME`, `path:GLOB` or an operation name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// By `operationId`.
    Operation(String),
    /// Operations with this tag.
    Tag(String),
    /// Operations whose path matches the glob.
    Path(String),
}

/// Parses an `--include`/`--exclude` pattern.
pub(crate) fn parse_pattern(value: &str) -> Result<Pattern, String> {
    let p = if let Some(t) = value.strip_prefix("tag:") {
        Pattern::Tag(t.to_owned())
    } else if let Some(g) = value.strip_prefix("path:") {
        Pattern::Path(g.to_owned())
    } else {
        Pattern::Operation(value.to_owned())
    };
    match &p {
        Pattern::Operation(s) | Pattern::Tag(s) | Pattern::Path(s) if s.is_empty() => {
            Err(format!("`{value}` names nothing"))
        }
        _ => Ok(p),
    }
}

impl Pattern {
    /// True when the operation matches.
    pub(crate) fn matches(&self, op: &crate::ir::Operation) -> bool {
        match self {
            Pattern::Operation(n) => op.name.display() == *n,
            Pattern::Tag(t) => op.tags.iter().any(|x| x == t),
            Pattern::Path(g) => glob(g.as_bytes(), op.path.as_bytes()),
        }
    }
}

/// `*` matches within one `/`-separated segment, `**` across segments. Iterative with
/// backtracking to the last star only (no exponential blow-up): `**` is tried first.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    // Dynamic programming over (pattern, text) positions: O(p·t), both small.
    let (p, t) = (pattern.len(), text.len());
    let mut reach = vec![vec![false; t + 1]; p + 1];
    reach[0][0] = true;
    let mut i = 0;
    while i < p {
        let double = pattern[i] == b'*' && pattern.get(i + 1) == Some(&b'*');
        let step = if double { 2 } else { 1 };
        for j in 0..=t {
            if !reach[i][j] {
                continue;
            }
            if pattern[i] == b'*' {
                // Zero or more characters (no `/` for a single star).
                reach[i + step][j] = true;
                let mut k = j;
                while k < t && (double || text[k] != b'/') {
                    k += 1;
                    reach[i + step][k] = true;
                }
            } else if j < t && text[j] == pattern[i] {
                reach[i + 1][j + 1] = true;
            }
        }
        i += step;
    }
    reach[p][t]
}

/// A `project::invalid` error about a value of the file at `path` (no position: the value was
/// parsed already).
fn invalid(path: &Path, message: impl Into<String>, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error("project::invalid", message)
            .at(path, "")
            .help(help),
    )
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(explicit: &Options, text: &str) -> Result<Options, Box<Diagnostic>> {
        merge(explicit, Path::new("proj/sdkwright.toml"), text)
    }

    #[test]
    fn the_file_fills_what_flags_leave_unset() {
        let text = r#"
templates = "tpl"

[package]
name = "acme-sdk"
version = "2.1.0"
license = "Apache-2.0"
repository = "https://example.com/acme"
edition = "2024"

[runtime]
path = "../runtime"

[graphql]
operations = ["ops/"]
scalars = { DateTime = "String", BigInt = "i128" }

[input]
allow-paths = ["../shared"]
max-file-size = 1000

[operations]
paginate = ["listPets=cursor,param=after", "*=off"]
"#;
        let explicit = Options {
            crate_version: Some("3.0.0".into()),
            ..Options::default()
        };
        let o = merged(&explicit, text).unwrap();
        assert_eq!(o.crate_name.as_deref(), Some("acme-sdk"));
        assert_eq!(o.crate_version.as_deref(), Some("3.0.0"), "the flag wins");
        assert_eq!(o.license.as_deref(), Some("Apache-2.0"));
        assert_eq!(o.edition.as_deref(), Some("2024"));
        assert_eq!(o.runtime_path, Some(PathBuf::from("../runtime")));
        assert_eq!(o.graphql_operations, vec![PathBuf::from("proj/ops/")]);
        assert_eq!(o.graphql_scalars, vec!["BigInt=i128", "DateTime=String"]);
        assert_eq!(o.allow_paths, vec![PathBuf::from("proj/../shared")]);
        assert_eq!(o.max_file_size, Some(1000));
        assert_eq!(o.paginate, vec!["listPets=cursor,param=after", "*=off"]);
        assert_eq!(o.templates, Some(PathBuf::from("proj/tpl")));
    }

    #[test]
    fn mistakes_are_located() {
        let e = merged(
            &Options::default(),
            "[package]\nname = \"x\"\nlicence = \"MIT\"\n",
        )
        .unwrap_err();
        let loc = e.location.clone().unwrap();
        assert_eq!((loc.line, loc.column), (Some(3), Some(1)), "{e}");
        assert!(e.message.contains("licence"), "{e}");
        let e = merged(&Options::default(), "[package]\nedition = \"2022\"\n").unwrap_err();
        assert!(e.message.contains("2022"), "{e}");
        let e = merged(
            &Options::default(),
            "[graphql]\nscalars = { X = \"not a type\" }\n",
        )
        .unwrap_err();
        assert_eq!(e.code, "project::invalid");
        assert!(merged(&Options::default(), "[input]\nformat = \"raml\"\n").is_err());
        let e = merged(
            &Options::default(),
            "[operations]\npaginate = [\"a=sideways\"]\n",
        )
        .unwrap_err();
        assert_eq!(e.code, "project::invalid");
        assert!(merged(&Options::default(), "not toml = = =").is_err());
    }
}
