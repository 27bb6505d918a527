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
    templates: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Operations {
    /// `--paginate` values: `OPERATION=STYLE[,KEY=VALUE…]`, `OPERATION=off`, `*=off`.
    #[serde(default)]
    paginate: Vec<String>,
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

/// The project file that applies to `input`: `explicit` (`--config`) or `sdkwright.toml` beside
/// the document, if there is one.
pub(crate) fn find(input: &Path, explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let dir = match input.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let candidate = dir.join(FILE_NAME);
    candidate.is_file().then_some(candidate)
}

/// `explicit` with every setting it leaves unset taken from the project file `text` (read from
/// `path`); an error is located at its line and column in the file.
pub(crate) fn merge(
    explicit: &Options,
    path: &Path,
    text: &str,
) -> Result<Options, Box<Diagnostic>> {
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
    if o.graphql_scalars.is_empty() {
        for (name, ty) in file.graphql.scalars {
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
    if o.allow_paths.is_empty() {
        o.allow_paths = file.input.allow_paths.iter().map(rel).collect();
    }
    if o.max_file_size.is_none() {
        o.max_file_size = file.input.max_file_size;
    }
    if o.templates.is_none() {
        o.templates = file.templates.as_ref().map(rel);
    }
    Ok(o)
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
