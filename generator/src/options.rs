//! Every generator option, declared once: the clap flags of the CLI and the builder setters of
//! [`crate::Generator`] both come from this struct, and [`Options::to_cli_args`] turns it back
//! into the command line recorded in each generated file's `@generated` header.

use std::path::PathBuf;

/// Generator options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct Options {
    /// Name of the generated crate (default: derived from the document's title).
    #[cfg_attr(feature = "cli", arg(long = "name", value_name = "CRATE"))]
    pub crate_name: Option<String>,

    /// Version of the generated crate (default: the document's version when it is semver, else 0.1.0).
    #[cfg_attr(feature = "cli", arg(long = "crate-version", value_name = "SEMVER"))]
    pub crate_version: Option<String>,

    /// Depend on sdkwright-runtime by path (relative to the output folder) as well as by version;
    /// without it the dependency is a version from the registry.
    #[cfg_attr(feature = "cli", arg(long = "runtime-path", value_name = "PATH"))]
    pub runtime_path: Option<PathBuf>,

    /// GraphQL operation document(s) to generate methods for (GraphQL schemas only); a folder
    /// stands for its `*.graphql` and `*.gql` files, in name order.
    #[cfg_attr(feature = "cli", arg(long = "operations", value_name = "FILE|DIR"))]
    pub graphql_operations: Vec<PathBuf>,

    /// Maps a GraphQL custom scalar to a Rust type (repeatable), e.g. `--scalar DateTime=String`
    /// or `--scalar BigInt=i128`. The type must implement serde's traits.
    #[cfg_attr(feature = "cli", arg(long = "scalar", value_name = "NAME=RUST_TYPE", value_parser = scalar_mapping))]
    pub graphql_scalars: Vec<String>,

    /// Input format (default: detected from the file name and content).
    #[cfg_attr(
        feature = "cli",
        arg(long = "format", value_enum, value_name = "FORMAT")
    )]
    pub format: Option<InputFormat>,

    /// Also allow file references inside the documents (`$ref`, `xsd:import`/`include`,
    /// `wsdl:import`) to name files under DIR (repeatable). Without it they may name only files
    /// under the main document's folder (symlinks resolved); URLs are never fetched.
    #[cfg_attr(feature = "cli", arg(long = "allow-path", value_name = "DIR"))]
    pub allow_paths: Vec<PathBuf>,

    /// Largest file read, in bytes (default: 268435456, 256 MiB).
    #[cfg_attr(feature = "cli", arg(long = "max-file-size", value_name = "BYTES"))]
    pub max_file_size: Option<u64>,

    /// The project file (default: `sdkwright.toml` beside the document, if there is one). Flags
    /// given on the command line win over it.
    #[cfg_attr(feature = "cli", arg(long = "config", value_name = "FILE"))]
    pub config: Option<PathBuf>,

    /// The generated crate's `description` (default: from the document's title and summary).
    #[cfg_attr(feature = "cli", arg(long = "description", value_name = "TEXT"))]
    pub description: Option<String>,

    /// The generated crate's `license` (an SPDX expression); without it none is written and
    /// the crate's Cargo.toml says to set one before publishing.
    #[cfg_attr(feature = "cli", arg(long = "license", value_name = "SPDX"))]
    pub license: Option<String>,

    /// The generated crate's `repository` URL.
    #[cfg_attr(feature = "cli", arg(long = "repository", value_name = "URL"))]
    pub repository: Option<String>,

    /// The generated crate's Rust edition (default: 2021).
    #[cfg_attr(feature = "cli", arg(long = "edition", value_name = "YEAR", value_parser = ["2015", "2018", "2021", "2024"]))]
    pub edition: Option<String>,

    /// A folder of your own crate-file templates (`Cargo.toml.j2`, `README.md.j2`, `lib.rs.j2`):
    /// each one found there replaces the built-in one; see docs/generated-code.md.
    #[cfg_attr(feature = "cli", arg(long = "templates", value_name = "DIR"))]
    pub templates: Option<PathBuf>,

    /// Generate only this operation (its `operationId`; repeatable) and the types it uses: the
    /// whole document is still read and checked.
    #[cfg_attr(feature = "cli", arg(long = "only", value_name = "OPERATION"))]
    pub only_operations: Vec<String>,
    /// Overrides pagination detection for one operation (repeatable):
    /// `OPERATION=off`, or `OPERATION=STYLE[,KEY=VALUE…]` with STYLE one of `cursor`,
    /// `last-id`, `next-url`, `link`, `offset`, `page` and KEYs `param`, `next`, `id`, `items`,
    /// `has-more`, `limit` (body locations as dotted property names), e.g.
    /// `--paginate listPets=cursor,param=after,next=meta.next,items=data`; `'*=off'` turns
    /// detection off.
    #[cfg_attr(feature = "cli", arg(long = "paginate", value_name = "OPERATION=STYLE", value_parser = paginate_override))]
    pub paginate: Vec<String>,

    /// Refuse an OpenAPI document with a broken `$ref` (no such file or target, a cycle of
    /// references). Without it, everything that does not depend on a broken reference is
    /// generated and each operation or schema that does is skipped with a warning.
    #[cfg_attr(feature = "cli", arg(long = "strict"))]
    pub strict: bool,

    /// Gives an operation, a type or a field the Rust name of your choice (repeatable):
    /// `op:listPets=pets`, `type:Pet=Animal`, `field:Pet.tag=label` (document names on the
    /// left). A name the document does not have is an error.
    #[cfg_attr(feature = "cli", arg(long = "rename", value_name = "KIND:NAME=RUST", value_parser = rename_value))]
    pub renames: Vec<String>,

    /// Generates only the operations this pattern matches (repeatable; any one suffices): an
    /// `operationId`, `tag:NAME`, or `path:GLOB` (`*` within one path segment, `**` across
    /// segments), with the types they use.
    #[cfg_attr(feature = "cli", arg(long = "include", value_name = "PATTERN"))]
    pub include: Vec<String>,

    /// Leaves out the operations this pattern matches (repeatable; patterns as `--include`;
    /// applied after it).
    #[cfg_attr(feature = "cli", arg(long = "exclude", value_name = "PATTERN"))]
    pub exclude: Vec<String>,

    /// Maps an OpenAPI `format` to a Rust type (repeatable), e.g.
    /// `--format-type decimal=rust_decimal::Decimal` or `--format-type date-time=String`. The
    /// type must implement serde's traits (and be a dependency of the generated crate).
    #[cfg_attr(feature = "cli", arg(long = "format-type", value_name = "FORMAT=RUST_TYPE", value_parser = format_mapping))]
    pub format_types: Vec<String>,

    /// A default timeout for one operation's calls (repeatable): `OPERATION=DURATION`, e.g.
    /// `createUpload=300s` or `ping=500ms` (a call's `customize` still overrides it).
    #[cfg_attr(feature = "cli", arg(long = "operation-timeout", value_name = "OPERATION=DURATION", value_parser = timeout_value))]
    pub operation_timeouts: Vec<String>,

    /// Puts each operation behind a cargo feature named after its tag (an untagged operation:
    /// after the first word of its path, `/v1/customers/{id}` → `customers`) and each type
    /// behind the features of the operations that use it; the generated Cargo.toml declares
    /// them, all on by default (`full`), so a crate needing a few tags depends with
    /// `default-features = false`.
    #[cfg_attr(feature = "cli", arg(long = "tag-features"))]
    pub tag_features: bool,
}

/// Checks a `--rename` value (clap value parser).
#[cfg(feature = "cli")]
fn rename_value(value: &str) -> Result<String, String> {
    crate::project::parse_rename(value).map(|_| value.to_owned())
}

/// Checks a `--format-type` value (clap value parser).
#[cfg(feature = "cli")]
fn format_mapping(value: &str) -> Result<String, String> {
    crate::project::parse_type_mapping(value).map(|_| value.to_owned())
}

/// Checks an `--operation-timeout` value (clap value parser).
#[cfg(feature = "cli")]
fn timeout_value(value: &str) -> Result<String, String> {
    crate::project::parse_timeout(value).map(|_| value.to_owned())
}

/// Checks a `--paginate` value (clap value parser).
#[cfg(feature = "cli")]
fn paginate_override(value: &str) -> Result<String, String> {
    crate::paging::check_override(value)
}

/// Checks a `--scalar` value (clap value parser).
#[cfg(feature = "cli")]
fn scalar_mapping(value: &str) -> Result<String, String> {
    crate::graphql::parse_scalar_option(value).map(|_| value.to_owned())
}

/// Formats of input documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum InputFormat {
    /// OpenAPI 3.0 in YAML or JSON.
    Openapi,
    /// A GraphQL schema (SDL); operations come from `--operations`.
    Graphql,
    /// WSDL 1.1 with XSD.
    Wsdl,
}

impl Options {
    /// The CLI arguments that reproduce these options (inverse of clap parsing).
    pub fn to_cli_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(n) = &self.crate_name {
            args.extend(["--name".to_string(), n.clone()]);
        }
        if let Some(v) = &self.crate_version {
            args.extend(["--crate-version".to_string(), v.clone()]);
        }
        if let Some(p) = &self.runtime_path {
            args.extend(["--runtime-path".to_string(), p.display().to_string()]);
        }
        for op in &self.graphql_operations {
            args.extend(["--operations".to_string(), op.display().to_string()]);
        }
        for m in &self.graphql_scalars {
            args.extend(["--scalar".to_string(), m.clone()]);
        }
        if let Some(f) = self.format {
            args.extend(["--format".to_string(), f.to_string()]);
        }
        for dir in &self.allow_paths {
            args.extend(["--allow-path".to_string(), dir.display().to_string()]);
        }
        if let Some(n) = self.max_file_size {
            args.extend(["--max-file-size".to_string(), n.to_string()]);
        }
        if let Some(p) = &self.config {
            args.extend(["--config".to_string(), p.display().to_string()]);
        }
        for (flag, value) in [
            ("--description", &self.description),
            ("--license", &self.license),
            ("--repository", &self.repository),
            ("--edition", &self.edition),
        ] {
            if let Some(v) = value {
                args.extend([flag.to_string(), v.clone()]);
            }
        }
        if let Some(dir) = &self.templates {
            args.extend(["--templates".to_string(), dir.display().to_string()]);
        }
        for op in &self.only_operations {
            args.extend(["--only".to_string(), op.clone()]);
        }
        for p in &self.paginate {
            args.extend(["--paginate".to_string(), p.clone()]);
        }
        if self.strict {
            args.push("--strict".to_string());
        }
        if self.tag_features {
            args.push("--tag-features".to_string());
        }
        for (flag, values) in [
            ("--rename", &self.renames),
            ("--include", &self.include),
            ("--exclude", &self.exclude),
            ("--format-type", &self.format_types),
            ("--operation-timeout", &self.operation_timeouts),
        ] {
            for v in values {
                args.extend([flag.to_string(), v.clone()]);
            }
        }
        args
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        options: Options,
    }

    #[test]
    fn cli_args_round_trip() {
        let opts = Options {
            crate_name: Some("pet-store".into()),
            crate_version: Some("1.2.3".into()),
            runtime_path: Some(PathBuf::from("../../runtime")),
            graphql_operations: vec![PathBuf::from("a.graphql"), PathBuf::from("b.graphql")],
            graphql_scalars: vec!["DateTime=String".into(), "BigInt=i128".into()],
            format: Some(InputFormat::Graphql),
            allow_paths: vec![PathBuf::from("../shared"), PathBuf::from("/opt/specs")],
            max_file_size: Some(1024),
            paginate: vec!["listPets=cursor,param=after".into(), "*=off".into()],
            templates: Some(PathBuf::from("my-templates")),
            config: Some(PathBuf::from("sdk/sdkwright.toml")),
            description: Some("An SDK".into()),
            license: Some("MIT".into()),
            repository: Some("https://example.com/sdk".into()),
            edition: Some("2024".into()),
            only_operations: vec!["listPets".into(), "getPetById".into()],
            strict: true,
            renames: vec!["op:listPets=pets".into(), "field:Pet.tag=label".into()],
            include: vec!["tag:pets".into()],
            exclude: vec!["path:/admin/**".into()],
            format_types: vec!["decimal=String".into()],
            operation_timeouts: vec!["listPets=30s".into()],
            tag_features: true,
        };
        let mut argv = vec!["x".to_string()];
        argv.extend(opts.to_cli_args());
        let parsed = Cli::try_parse_from(argv).unwrap().options;
        assert_eq!(parsed, opts);
        let empty = Cli::try_parse_from(["x"]).unwrap().options;
        assert_eq!(empty, Options::default());
        assert!(Options::default().to_cli_args().is_empty());
        assert!(Cli::try_parse_from(["x", "--scalar", "DateTime"]).is_err());
        assert!(Cli::try_parse_from(["x", "--paginate", "listPets=sideways"]).is_err());
        assert!(Cli::try_parse_from(["x", "--scalar", "DateTime=not a type"]).is_err());
    }
}
