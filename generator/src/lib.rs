//! sdkwright generates typed Rust client crates from API description documents: OpenAPI 3.0,
//! GraphQL (schema SDL plus operation documents) and WSDL 1.1 (SOAP 1.1/1.2).
//!
//! Every generated client depends on one small crate, `sdkwright-runtime`, which does transport,
//! auth, retries and (de)serialization.
//!
//! # As a command
//!
//! ```text
//! sdkwright generate specs/petstore.yaml --out petstore --name petstore
//! sdkwright check specs/petstore.yaml
//! sdkwright semver old/openapi.yaml new/openapi.yaml --current-version 1.4.0 --next-version 1.5.0
//! ```
//!
//! The last one lists the changes to the generated crate's public API and fails when the bump is
//! too small for them ([`semver::compare`]).
//!
//! # From a build script
//!
//! ```no_run
//! // build.rs: `fn main` of the build script
//! if let Err(e) = sdkwright::Generator::new("petstore.yaml").crate_name("petstore").build_rs() {
//!     eprintln!("{e}"); // every diagnostic, with file, line and column
//!     std::process::exit(1);
//! }
//! ```
//!
//! and in `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/petstore.rs"));`. The including crate
//! needs only `sdkwright-runtime` as a dependency.
#![warn(missing_docs)]
// `rust::toks::toks!` takes one token per step (a large item is a few hundred).
#![recursion_limit = "1024"]

mod analysis;
mod diag;
mod emit;
mod graphql;
mod ir;
mod load;
mod lowered;
mod openapi;
mod options;
mod paging;
mod project;
mod rust;
pub mod semver;
mod timings;
mod wsdl;

use std::fmt;
use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Location, Severity};
pub use options::{InputFormat, Options};

use lowered::Lowered;

/// Fatal problems: the documents cannot be turned into a client, or output cannot be written.
///
/// Its `Debug` form is its `Display` form (every diagnostic with file, line and column), so a
/// build script can return it from `main` (`fn main() -> Result<(), sdkwright::Error>`) and
/// cargo shows the diagnostics, not a struct dump.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input documents have errors; every diagnostic found is included (warnings too).
    #[error("{}", render_invalid(.diagnostics))]
    Invalid {
        /// All diagnostics, errors first.
        diagnostics: Vec<Diagnostic>,
    },
    /// Reading or writing a file failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`write`, `create`, …).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A bug in sdkwright: generated code that does not parse, and the like.
    #[error(
        "internal error: {0}\nthis is a bug in sdkwright; please report it with the input document"
    )]
    Internal(String),
    /// `build_rs` was called outside a build script.
    #[error("OUT_DIR is not set: `build_rs` must be called from a build script")]
    NoOutDir,
}

/// The phase timings gathered so far when `SDKWRIGHT_TIMINGS=1` (empty otherwise), for the
/// command line to print; see docs/benchmarks.md.
#[doc(hidden)]
pub fn take_timings_report() -> String {
    let mut report = timings::take_report();
    if !report.is_empty() {
        let (fast, slow) = emit::printed();
        report.push_str(&format!(
            "items printed from tokens: {fast}, through syn + prettyplease: {slow}\n"
        ));
    }
    report
}

/// The parse floor of a document, for `scripts/bench-peers.sh` (`sdkwright parse-floor FILE`):
/// reads the file and parses it into a [`serde_json::Value`] with the crates the loader uses
/// (serde_json for JSON, serde_norway for YAML; JSON or YAML told by content as the loader tells
/// them), on one thread, and does nothing else: no control-character scan, no nesting check, no
/// alias budget, no second thread. What no generator reading the document can go below, so
/// generation time is judged against it. Returns the number of entries of the top-level
/// mapping. A YAML mapping with a key that is not a string (`200:`), which `Value` cannot hold,
/// is parsed again as a `serde_norway::Value` (the time of both is what is measured).
#[doc(hidden)]
pub fn parse_floor(path: &std::path::Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let entries = |v: &serde_json::Value| v.as_object().map_or(0, serde_json::Map::len);
    match load::detect_format(text) {
        load::Format::Json => serde_json::from_str::<serde_json::Value>(text)
            .map(|v| entries(&v))
            .map_err(|e| format!("{}: {e}", path.display())),
        load::Format::Yaml => match serde_norway::from_str::<serde_json::Value>(text) {
            Ok(v) => Ok(entries(&v)),
            Err(_) => serde_norway::from_str::<serde_norway::Value>(text)
                .map(|v| v.as_mapping().map_or(0, serde_norway::Mapping::len))
                .map_err(|e| format!("{}: {e}", path.display())),
        },
    }
}

/// With `SDKWRIGHT_PRINT_CHECK=1`, how many items the printer's fast path printed differently
/// from syn and prettyplease so far (each is also shown on stderr); see docs/benchmarks.md.
#[doc(hidden)]
pub fn print_check_mismatches() -> usize {
    emit::mismatches()
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn render_invalid(diagnostics: &[Diagnostic]) -> String {
    let n_errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{n_errors} error{} in the input: no code was generated",
        if n_errors == 1 { "" } else { "s" }
    ));
    out
}

/// One generated file, path relative to the crate root (or the file name in build.rs mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, `/`-separated.
    pub path: PathBuf,
    /// File contents.
    pub contents: String,
}

impl Output {
    /// Adds the project file (if any) to the files read.
    fn read_also(mut self, project: Option<PathBuf>) -> Self {
        self.files_read.extend(project);
        self
    }
}

/// A file of a generated crate that is not what the documents generate
/// ([`Generator::diff_crate`]); paths are relative to the crate folder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Drift {
    /// The file would be written but is not there.
    Missing {
        /// The file.
        path: PathBuf,
        /// What would be written.
        expected: String,
    },
    /// The file differs from what would be written.
    Changed {
        /// The file.
        path: PathBuf,
        /// What would be written.
        expected: String,
        /// What is there (lossily decoded; empty for what is not a regular file).
        actual: String,
    },
    /// The file is there but regeneration would remove it.
    Extra {
        /// The file.
        path: PathBuf,
    },
}

impl Drift {
    /// The file's path, relative to the crate folder.
    pub fn path(&self) -> &Path {
        match self {
            Drift::Missing { path, .. } | Drift::Changed { path, .. } | Drift::Extra { path } => {
                path
            }
        }
    }
}

/// A successful generation.
#[derive(Debug, Clone)]
pub struct Output {
    /// The generated files.
    pub files: Vec<GeneratedFile>,
    /// Warnings found along the way.
    pub diagnostics: Vec<Diagnostic>,
    /// Every input file read (the documents and what they reference).
    pub files_read: Vec<PathBuf>,
}

/// Generates a client from one API document.
///
/// The document format is chosen by [`Options::format`], or detected: `.graphql`/`.gql`/`.graphqls`
/// files are GraphQL schemas, documents whose first non-blank character is `<` are WSDL, JSON
/// objects with a `"__schema"` key in their first 512 bytes are GraphQL introspection results,
/// anything else is OpenAPI (YAML or JSON, told apart by content).
#[derive(Debug, Clone)]
pub struct Generator {
    input: PathBuf,
    options: Options,
    /// The main document's text when it was given in memory ([`Generator::from_openapi`]);
    /// `input` then only names it.
    text: Option<std::sync::Arc<str>>,
    /// The project file has been applied to `options` (see [`Generator::resolved`]).
    project_applied: bool,
    /// The project file applied and where its values are, to locate problems found later.
    project_spans: Option<(PathBuf, project::Spans)>,
    /// Leave large intermediate values unfreed ([`Generator::skip_free`]).
    skip_free: bool,
}

impl Generator {
    /// A generator for the document at `input`, with default options.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Generator {
            input: input.into(),
            options: Options::default(),
            text: None,
            project_applied: false,
            project_spans: None,
            skip_free: false,
        }
    }

    /// A generator for an OpenAPI document held in memory as [`openapiv3::OpenAPI`], e.g. the
    /// one a server framework describes itself with, so that a client is generated in the same
    /// build as the server (as progenitor does).
    ///
    /// The document is named `openapi.json` in diagnostics and in the `@generated` header;
    /// `$ref`s to other files are resolved against the current folder, under the same
    /// confinement as a document read from there. Every other method works as for a file.
    ///
    /// ```no_run
    /// # fn doc() -> openapiv3::OpenAPI { unimplemented!() }
    /// let doc: openapiv3::OpenAPI = doc(); // e.g. from utoipa, aide, dropshot or serde
    /// let out = sdkwright::Generator::from_openapi(&doc)?.crate_name("api").generate()?;
    /// # Ok::<(), sdkwright::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] if the document cannot be serialized (it always can for values
    /// built by `openapiv3`'s own types).
    pub fn from_openapi(doc: &openapiv3::OpenAPI) -> Result<Self, Error> {
        let text = serde_json::to_string_pretty(doc)
            .map_err(|e| Error::Internal(format!("cannot serialize the OpenAPI document: {e}")))?;
        Ok(Generator {
            input: PathBuf::from("openapi.json"),
            options: Options {
                format: Some(InputFormat::Openapi),
                ..Options::default()
            },
            text: Some(text.into()),
            project_applied: false,
            project_spans: None,
            skip_free: false,
        })
    }

    /// A folder of crate-file templates replacing the built-in ones (`--templates`); see
    /// docs/generated-code.md, "Your own templates".
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.options.templates = Some(dir.into());
        self
    }

    /// Replaces all options.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Does not free the parsed documents and the generated model when they are no longer
    /// needed, for a process that exits right after generating (the CLI sets it; `clang` does
    /// the same for its compiler process with `-disable-free`). Freeing them is work on the
    /// pipeline's serial path: about 3.5 % of GitHub's instructions. A long-lived process, a
    /// build script that generates several crates, or a test harness keeps the default (`false`),
    /// which frees them as soon as they are used.
    pub fn skip_free(mut self, skip: bool) -> Self {
        self.skip_free = skip;
        self
    }

    /// Frees `value` now, or never under [`Generator::skip_free`].
    fn release<T>(&self, value: T) {
        if self.skip_free {
            std::mem::forget(value);
        }
    }

    /// The options in effect.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Sets the generated crate's name (`--name`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.options.crate_name = Some(name.into());
        self
    }

    /// Sets the generated crate's version (`--crate-version`).
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.options.crate_version = Some(version.into());
        self
    }

    /// Depends on `sdkwright-runtime` by this path as well as by version (`--runtime-path`).
    pub fn runtime_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.runtime_path = Some(path.into());
        self
    }

    /// Adds a GraphQL operation document (`--operations`).
    pub fn graphql_operations(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.graphql_operations.push(path.into());
        self
    }

    /// Maps a GraphQL custom scalar to a Rust type (`--scalar NAME=RUST_TYPE`), e.g.
    /// `.graphql_scalar("DateTime", "String")`. A type that does not parse is reported as an
    /// error diagnostic when generating.
    pub fn graphql_scalar(mut self, name: impl AsRef<str>, rust_type: impl AsRef<str>) -> Self {
        self.options
            .graphql_scalars
            .push(format!("{}={}", name.as_ref(), rust_type.as_ref()));
        self
    }

    /// Forces the input format (`--format`).
    pub fn format(mut self, format: InputFormat) -> Self {
        self.options.format = Some(format);
        self
    }

    /// Also allows file references inside the documents (`$ref`, `xsd:import`, …) to name files
    /// under `dir` (`--allow-path`; may be called several times). By default they may name only
    /// files under the main document's folder, symlinks resolved.
    pub fn allow_path(mut self, dir: impl Into<PathBuf>) -> Self {
        self.options.allow_paths.push(dir.into());
        self
    }

    /// Sets the largest file read, in bytes (`--max-file-size`; default 256 MiB).
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.options.max_file_size = Some(bytes);
        self
    }

    /// Generates only the operation `operation_id` (`--only`; may be called several times) and
    /// the types it uses. The whole document is still read and checked.
    pub fn only_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.options.only_operations.push(operation_id.into());
        self
    }

    /// Overrides pagination detection for one operation (`--paginate`, repeatable):
    /// `"listPets=off"`, `"listPets=cursor,param=after,next=meta.next,items=data"`, `"*=off"`.
    /// A malformed value is an error diagnostic when generating.
    pub fn paginate(mut self, value: impl Into<String>) -> Self {
        self.options.paginate.push(value.into());
        self
    }

    /// Refuses an OpenAPI document with a broken `$ref` (`--strict`) instead of generating
    /// everything that does not depend on it.
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = strict;
        self
    }

    /// Puts each operation behind a cargo feature named after its tag, and each type behind the
    /// features of the operations that use it (`--tag-features`; docs/generated-code.md,
    /// "Per-tag cargo features"). A crate's `Cargo.toml` declares them; with
    /// [`Generator::build_rs`] the including crate must declare them itself.
    pub fn tag_features(mut self, on: bool) -> Self {
        self.options.tag_features = on;
        self
    }

    /// Gives operation `operation_id` the Rust method name `rust_name` (`--rename op:ID=NAME`;
    /// its builder type follows). An operation the document does not have is an error.
    pub fn rename_operation(mut self, operation_id: &str, rust_name: &str) -> Self {
        self.options
            .renames
            .push(format!("op:{operation_id}={rust_name}"));
        self
    }

    /// Gives the type the document names `name` the Rust name `rust_name`
    /// (`--rename type:NAME=RUST`).
    pub fn rename_type(mut self, name: &str, rust_name: &str) -> Self {
        self.options
            .renames
            .push(format!("type:{name}={rust_name}"));
        self
    }

    /// Gives field `field` of type `ty` (document names) the Rust name `rust_name`
    /// (`--rename field:TYPE.FIELD=RUST`); the wire name is unchanged.
    pub fn rename_field(mut self, ty: &str, field: &str, rust_name: &str) -> Self {
        self.options
            .renames
            .push(format!("field:{ty}.{field}={rust_name}"));
        self
    }

    /// Generates only the operations `pattern` matches (`--include`; repeatable): an
    /// operationId, `tag:NAME` or `path:GLOB`.
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.options.include.push(pattern.into());
        self
    }

    /// Leaves out the operations `pattern` matches (`--exclude`; repeatable).
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.options.exclude.push(pattern.into());
        self
    }

    /// Lowers OpenAPI schemas of this `format` as `rust_type` (`--format-type`), e.g.
    /// `.format_type("decimal", "rust_decimal::Decimal")`.
    pub fn format_type(mut self, format: &str, rust_type: &str) -> Self {
        self.options
            .format_types
            .push(format!("{format}={rust_type}"));
        self
    }

    /// A default timeout for the calls of one operation (`--operation-timeout`).
    pub fn operation_timeout(mut self, operation_id: &str, timeout: std::time::Duration) -> Self {
        self.options
            .operation_timeouts
            .push(format!("{operation_id}={}ms", timeout.as_millis().max(1)));
        self
    }

    /// Reads and validates the documents without writing code. Returns the warnings, or
    /// [`Error::Invalid`] with every diagnostic when there are errors. It runs the same pipeline
    /// as [`Generator::generate`] (lowering, analysis, back end) short of printing, so both report
    /// the same diagnostics for the same input (the back end's renames among them). With user
    /// templates ([`Generator::templates`]) it renders the crate in memory too, since a template
    /// fails only when rendered.
    pub fn check(&self) -> Result<Vec<Diagnostic>, Error> {
        if let Some((g, _)) = self.resolved()? {
            return g.check();
        }
        if self.options.templates.is_some() {
            // User templates fail only when rendered (an unknown variable, a syntax error the
            // parser meets late): render the crate in memory, so `check` passes exactly when
            // `generate` would.
            return self.generate().map(|output| output.diagnostics);
        }
        let (_, _, diagnostics) = self.pipeline()?;
        Ok(diagnostics)
    }

    /// Generates a whole crate in memory.
    pub fn generate(&self) -> Result<Output, Error> {
        if let Some((g, project)) = self.resolved()? {
            return g.generate().map(|o| o.read_also(project));
        }
        // The main document is hashed on another thread while the pipeline runs (a few percent
        // of a large document's generation otherwise spent after it).
        let (pipeline, early) = std::thread::scope(|s| {
            let early = self
                .text
                .is_none()
                .then(|| s.spawn(|| self.hash_main_input()));
            let pipeline = self.pipeline();
            (pipeline, early.and_then(|h| h.join().ok()).flatten())
        });
        let (lowered, code, diagnostics) = pipeline?;
        let src = timings::phase("hash inputs", || self.source_info_early(&lowered, early))?;
        let output = timings::phase("render", || self.render(lowered, &code, diagnostics, &src));
        self.release(code);
        output
    }

    /// The crate's files, rendered from the generated code, with the pipeline's diagnostics.
    fn render(
        &self,
        lowered: Lowered,
        code: &rust::RustCode,
        diagnostics: Vec<Diagnostic>,
        src: &emit::SourceInfo,
    ) -> Result<Output, Error> {
        let (templates, mut diagnostics, mut files_read) =
            self.load_templates(diagnostics, lowered.files_read)?;
        let files = emit::render_crate(code.api(), code, &self.options, src, &templates)
            .map_err(|e| match e {
                emit::Error::UserTemplate { path, source } => {
                    let mut d = Diagnostic::error("emit::template", source.to_string())
                        .help("fix the template, or remove it to use the built-in one");
                    d = match source.line() {
                        Some(line) => {
                            let line = u32::try_from(line).unwrap_or(u32::MAX);
                            d.at_line(&path, "", line, 1)
                        }
                        None => d.at(&path, ""),
                    };
                    Error::Invalid {
                        diagnostics: vec![d],
                    }
                }
                e => Error::Internal(e.to_string()),
            })?
            .into_iter()
            .map(|(path, contents)| GeneratedFile { path, contents })
            .collect();
        diagnostics.sort_by_key(|d| std::cmp::Reverse(d.severity));
        files_read.dedup();
        Ok(Output {
            files,
            diagnostics,
            files_read,
        })
    }

    /// The user's templates (`--templates DIR`): each file of the folder named like a built-in
    /// template replaces it (read as trusted input: a regular file under the size cap); any
    /// other file is a warning, so a misnamed template is not silently ignored. The files read
    /// join `files_read`.
    fn load_templates(
        &self,
        mut diagnostics: Vec<Diagnostic>,
        mut files_read: Vec<PathBuf>,
    ) -> Result<(emit::Templates, Vec<Diagnostic>, Vec<PathBuf>), Error> {
        let mut templates = emit::Templates::default();
        let Some(dir) = &self.options.templates else {
            return Ok((templates, diagnostics, files_read));
        };
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            action: "read the templates folder",
            path: dir.clone(),
            source,
        })?;
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        let confinement = self.confinement();
        for path in names {
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some((known, _)) = sdkwright_templates::ALL.iter().find(|(n, _)| *n == file) else {
                diagnostics.push(
                    Diagnostic::warning(
                        "emit::unknown_template",
                        format!("`{file}` is not a template sdkwright renders; it is ignored"),
                    )
                    .at(&path, "")
                    .help(format!(
                        "templates are named {}",
                        sdkwright_templates::ALL
                            .iter()
                            .map(|(n, _)| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                continue;
            };
            let bytes = confinement
                .read_trusted(&path)
                .map_err(|r| Error::Invalid {
                    diagnostics: vec![r.diagnostic().at(&path, "")],
                })?;
            let text = String::from_utf8(bytes).map_err(|_| Error::Invalid {
                diagnostics: vec![Diagnostic::error(
                    "emit::template",
                    "the template is not UTF-8 text",
                )
                .at(&path, "")],
            })?;
            files_read.push(path.clone());
            templates.overrides.push((known, path, text));
        }
        Ok((templates, diagnostics, files_read))
    }

    /// Generates a whole crate in memory from document texts instead of files: `main` stands for
    /// the document at the generator's input path, `operations[i]` for the i-th GraphQL operation
    /// document (at the i-th `--operations` path if one was given, else `operations-<i>.graphql`
    /// next to the input). Files that these documents reference are still read from disk,
    /// relative to those paths.
    ///
    /// Not a stable API: it exists for the fuzz targets (`fuzz/`) and the property tests, which
    /// must not write temporary files in their hot loop.
    #[doc(hidden)]
    pub fn generate_from_memory(&self, main: &str, operations: &[&str]) -> Result<Output, Error> {
        let op_paths = self.memory_operation_paths(operations.len());
        let sources = memory_sources(&self.input, main, &op_paths, operations);
        let lowered = refuse_errors(
            self.lower_from_memory(main, &op_paths, &sources),
            self.options.strict,
        )?;
        let (lowered, code, diagnostics) = self.pipeline_from(lowered)?;
        let mut inputs = vec![self.input.clone()];
        inputs.extend(op_paths.iter().cloned());
        let src = self.source_info_from(&lowered, inputs, &sources)?;
        self.render(lowered, &code, diagnostics, &src)
    }

    /// [`Self::check`] on texts held in memory, as [`Self::generate_from_memory`] takes them.
    #[doc(hidden)]
    pub fn check_from_memory(
        &self,
        main: &str,
        operations: &[&str],
    ) -> Result<Vec<Diagnostic>, Error> {
        let op_paths = self.memory_operation_paths(operations.len());
        let sources = memory_sources(&self.input, main, &op_paths, operations);
        let lowered = refuse_errors(
            self.lower_from_memory(main, &op_paths, &sources),
            self.options.strict,
        )?;
        Ok(lowered.diagnostics)
    }

    fn memory_operation_paths(&self, n: usize) -> Vec<PathBuf> {
        (0..n)
            .map(|i| match self.options.graphql_operations.get(i) {
                Some(p) => p.clone(),
                None => self.input.with_file_name(format!("operations-{i}.graphql")),
            })
            .collect()
    }

    fn lower_from_memory(
        &self,
        main: &str,
        op_paths: &[PathBuf],
        sources: &[(&Path, &str)],
    ) -> Lowered {
        let format = self
            .options
            .format
            .unwrap_or_else(|| detect_format_from(&self.input, main.as_bytes()));
        let confinement = self.confinement();
        match format {
            InputFormat::Openapi => {
                openapi::lower_text(&self.input, main, &confinement, &self.format_types())
            }
            InputFormat::Graphql => graphql::lower_sources(
                &self.input,
                op_paths,
                &self.options.graphql_scalars,
                sources,
                &confinement,
            ),
            InputFormat::Wsdl => wsdl::lower_text(&self.input, main, &confinement),
        }
    }

    /// Generates a whole crate into `out_dir`. The folder is replaced as a whole, only once every
    /// file has been rendered: a failure leaves whatever was there before untouched. A non-empty
    /// folder that sdkwright did not generate is never replaced, nor one that holds an input
    /// document. A folder that would be refused is refused before any work, with the same error.
    pub fn write_crate(&self, out_dir: &Path) -> Result<Output, Error> {
        if let Some((g, project)) = self.resolved()? {
            return g.write_crate(out_dir).map(|o| o.read_also(project));
        }
        let io_error = |source| Error::Io {
            action: "write",
            path: out_dir.to_path_buf(),
            source,
        };
        let mut inputs = vec![self.input.clone()];
        inputs.extend(self.options.graphql_operations.iter().cloned());
        timings::phase("check output folder", || {
            emit::check_out_dir(out_dir, &inputs)
        })
        .map_err(io_error)?;
        let output = self.generate()?;
        timings::phase("write", || {
            let files: Vec<(&Path, &str)> = output
                .files
                .iter()
                .map(|f| (f.path.as_path(), f.contents.as_str()))
                .collect();
            inputs.extend(output.files_read.iter().cloned());
            emit::write_crate(out_dir, &files, &inputs)
        })
        .map_err(io_error)?;
        Ok(output)
    }

    /// Compares the crate in `out_dir` with what [`Generator::write_crate`] would write there,
    /// without writing anything (`sdkwright generate … --check`, for CI: like
    /// `cargo fmt --check`). Returns the files that differ, in path order; empty when the
    /// folder is up to date. `target/` and `Cargo.lock`, which regeneration keeps, are not
    /// compared; any other file regeneration would remove is reported as [`Drift::Extra`].
    ///
    /// # Errors
    ///
    /// As [`Generator::generate`]; [`Error::Io`] when `out_dir` cannot be read.
    pub fn diff_crate(&self, out_dir: &Path) -> Result<(Output, Vec<Drift>), Error> {
        if let Some((g, project)) = self.resolved()? {
            return g
                .diff_crate(out_dir)
                .map(|(o, d)| (o.read_also(project), d));
        }
        let output = self.generate()?;
        let io_error = |path: &Path, source| Error::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        };
        let mut on_disk = Vec::new();
        if out_dir.exists() {
            let mut stack = vec![PathBuf::new()];
            while let Some(rel) = stack.pop() {
                let dir = out_dir.join(&rel);
                for entry in std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
                    let entry = entry.map_err(|e| io_error(&dir, e))?;
                    let rel = rel.join(entry.file_name());
                    if rel == Path::new("target") || rel == Path::new("Cargo.lock") {
                        continue;
                    }
                    let kind = entry.file_type().map_err(|e| io_error(&entry.path(), e))?;
                    if kind.is_dir() {
                        stack.push(rel);
                    } else {
                        on_disk.push(rel);
                    }
                }
            }
        }
        let mut drift = Vec::new();
        let max = self
            .options
            .max_file_size
            .unwrap_or(load::confine::DEFAULT_MAX_BYTES);
        for f in &output.files {
            let path = out_dir.join(&f.path);
            let Some(i) = on_disk.iter().position(|p| p == &f.path) else {
                drift.push(Drift::Missing {
                    path: f.path.clone(),
                    expected: f.contents.clone(),
                });
                continue;
            };
            on_disk.swap_remove(i);
            let meta = std::fs::symlink_metadata(&path).map_err(|e| io_error(&path, e))?;
            let actual = if meta.is_file() && meta.len() <= max {
                let bytes = std::fs::read(&path).map_err(|e| io_error(&path, e))?;
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                // A symlink, a special file or a huge file is not what generation writes.
                String::new()
            };
            if actual != f.contents {
                drift.push(Drift::Changed {
                    path: f.path.clone(),
                    expected: f.contents.clone(),
                    actual,
                });
            }
        }
        drift.extend(on_disk.into_iter().map(|path| Drift::Extra { path }));
        drift.sort_by(|a, b| a.path().cmp(b.path()));
        Ok((output, drift))
    }

    /// Generates the client as one file of Rust, for `include!`. The one file in
    /// [`Output::files`] is named after the crate: `<name with underscores>.rs`.
    pub fn generate_single_file(&self) -> Result<Output, Error> {
        if let Some((g, project)) = self.resolved()? {
            return g.generate_single_file().map(|o| o.read_also(project));
        }
        let (lowered, code, diagnostics) = self.pipeline()?;
        let contents = emit::render_single_file(&code, &self.options, &self.source_info(&lowered)?)
            .map_err(|e| Error::Internal(e.to_string()))?;
        let path = PathBuf::from(format!(
            "{}.rs",
            emit::cargo_name(&self.options, code.api()).replace('-', "_")
        ));
        Ok(Output {
            files: vec![GeneratedFile { path, contents }],
            diagnostics,
            files_read: lowered.files_read,
        })
    }

    /// For build scripts: writes `$OUT_DIR/<crate name with underscores>.rs`, prints
    /// `cargo:rerun-if-changed` for every file read and `cargo:warning=` for every warning, and
    /// returns the path written.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the documents have errors (its `Display` lists them all),
    /// [`Error::Io`] when the file cannot be written, [`Error::NoOutDir`] outside a build script.
    pub fn build_rs(&self) -> Result<PathBuf, Error> {
        if let Some((g, project)) = self.resolved()? {
            match project {
                Some(p) => println!("cargo:rerun-if-changed={}", p.display()),
                None => {
                    if let Some(dir) = self.watch_for_project_file() {
                        println!("cargo:rerun-if-changed={}", dir.display());
                    }
                }
            }
            return g.build_rs();
        }
        let out_dir = std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?;
        // Rerun on every input even when generation fails, so fixing the document rebuilds
        // (a document given in memory is no file: the build script's own sources cover it).
        if self.text.is_none() {
            println!("cargo:rerun-if-changed={}", self.input.display());
        }
        for op in &self.options.graphql_operations {
            println!("cargo:rerun-if-changed={}", op.display());
        }
        let output = self.generate_single_file()?;
        for f in &output.files_read {
            println!("cargo:rerun-if-changed={}", f.display());
        }
        for d in &output.diagnostics {
            for line in d.to_string().lines() {
                println!("cargo:warning={line}");
            }
        }
        let Some(file) = output.files.first() else {
            return Err(Error::Internal(
                "single-file rendering produced no file".into(),
            ));
        };
        let path = Path::new(&out_dir).join(&file.path);
        // The same bytes are not written again: a re-run caused by an unrelated change in a
        // watched folder must not make cargo recompile the crate that includes the file.
        if std::fs::read(&path).is_ok_and(|old| old == file.contents.as_bytes()) {
            return Ok(path);
        }
        std::fs::write(&path, &file.contents).map_err(|source| Error::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// For [`Self::build_rs`] when no project file exists yet: the document's folder, so that a
    /// `sdkwright.toml` added there later re-runs the build script (cargo cannot watch a file that
    /// does not exist: a missing path would re-run it on every build). Cargo scans a watched
    /// folder whole, so only a folder of its own is watched: not one that holds the build's
    /// output (`OUT_DIR`) or the package's sources (`CARGO_MANIFEST_DIR` inside it), where every
    /// build or edit would look like a change.
    fn watch_for_project_file(&self) -> Option<PathBuf> {
        if self.text.is_some() || self.options.config.is_some() {
            return None;
        }
        let dir = std::fs::canonicalize(project::folder_of(&self.input)).ok()?;
        for var in ["OUT_DIR", "CARGO_MANIFEST_DIR"] {
            if let Some(v) = std::env::var_os(var) {
                let inner = std::fs::canonicalize(&v).unwrap_or_else(|_| PathBuf::from(v));
                if inner.starts_with(&dir) {
                    return None;
                }
            }
        }
        Some(dir)
    }

    /// This generator with the project file applied, the first time (`None` once applied): the
    /// file named by `--config`, else `sdkwright.toml` beside the main document (a document
    /// given in memory has no folder: only `--config` applies), and its path. Flags given
    /// explicitly win over the file.
    fn resolved(&self) -> Result<Option<(Generator, Option<PathBuf>)>, Error> {
        if self.project_applied {
            return Ok(None);
        }
        let mut g = self.clone();
        g.project_applied = true;
        let explicit = self.options.config.as_deref();
        let found = match &self.text {
            Some(_) => explicit.map(Path::to_path_buf),
            None => project::find(&self.input, explicit),
        };
        let Some(path) = found else {
            return Ok(Some((g, None)));
        };
        // A file the user named or keeps beside the document: trusted, but a regular file under
        // the size cap like every file read.
        let invalid = |d: Diagnostic| Error::Invalid {
            diagnostics: vec![d],
        };
        let bytes = self
            .confinement()
            .read_trusted(&path)
            .map_err(|r| invalid(r.diagnostic().at(&path, "")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            invalid(
                Diagnostic::error("project::invalid", "the project file is not UTF-8 text")
                    .at(&path, ""),
            )
        })?;
        let (options, spans) =
            project::merge_located(&self.options, &path, &text).map_err(|d| invalid(*d))?;
        g.options = options;
        g.project_spans = Some((path.clone(), spans));
        Ok(Some((g, Some(path))))
    }

    /// File name of the main document and SHA-256 of every document read, for the
    /// `@generated` header.
    fn source_info(&self, lowered: &Lowered) -> Result<emit::SourceInfo, Error> {
        self.source_info_early(lowered, None)
    }

    /// The hash state after the main input file's bytes, `None` when it cannot be read (then
    /// [`Self::source_info`] reads it again and reports why).
    fn hash_main_input(&self) -> Option<sha2::Sha256> {
        use sha2::Digest;
        let bytes = self.confinement().read_trusted(&self.input).ok()?;
        let mut hasher = sha2::Sha256::new();
        hasher.update(&bytes);
        Some(hasher)
    }

    /// [`Self::source_info`], with the main input already hashed when `early` is given
    /// ([`Self::hash_main_input`]).
    fn source_info_early(
        &self,
        lowered: &Lowered,
        early: Option<sha2::Sha256>,
    ) -> Result<emit::SourceInfo, Error> {
        if let Some(text) = &self.text {
            let input = self.input.clone();
            return self.source_info_from(lowered, vec![input.clone()], &[(&input, text)]);
        }
        let mut inputs = vec![self.input.clone()];
        // A folder of operations is hashed through the files read from it.
        inputs.extend(
            self.options
                .graphql_operations
                .iter()
                .filter(|p| !p.is_dir())
                .cloned(),
        );
        self.source_info_from_state(lowered, inputs, &[], early)
    }

    /// [`Self::source_info`] for the documents `inputs` (in this order) and the files read; the
    /// text of a path found in `in_memory` is taken from there instead of the disk.
    fn source_info_from(
        &self,
        lowered: &Lowered,
        inputs: Vec<PathBuf>,
        in_memory: &[(&Path, &str)],
    ) -> Result<emit::SourceInfo, Error> {
        self.source_info_from_state(lowered, inputs, in_memory, None)
    }

    /// [`Self::source_info_from`]; `early`, when given, is the hash state after the first of
    /// `inputs` (the main input file), which is then not read again.
    fn source_info_from_state(
        &self,
        lowered: &Lowered,
        mut inputs: Vec<PathBuf>,
        in_memory: &[(&Path, &str)],
        early: Option<sha2::Sha256>,
    ) -> Result<emit::SourceInfo, Error> {
        use sha2::{Digest, Sha256};
        let mut listed: std::collections::HashSet<PathBuf> = inputs.iter().cloned().collect();
        for f in &lowered.files_read {
            if listed.insert(f.clone()) {
                inputs.push(f.clone());
            }
        }
        let skip = usize::from(early.is_some() && inputs.first() == Some(&self.input));
        let mut hasher = match early {
            Some(h) if skip == 1 => h,
            _ => Sha256::new(),
        };
        let confinement = self.confinement();
        for path in inputs.iter().skip(skip) {
            if let Some((_, text)) = in_memory.iter().find(|(p, _)| p == path) {
                hasher.update(text.as_bytes());
                continue;
            }
            // Every one of these was accepted when read: the same checks again (regular file,
            // size cap), since the file may have changed since.
            let bytes = confinement.read_trusted(path).map_err(|r| Error::Invalid {
                diagnostics: vec![r.diagnostic().at(path, "")],
            })?;
            hasher.update(&bytes);
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let file_name = self
            .input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(emit::SourceInfo {
            file_name,
            input: self.input.display().to_string(),
            sha256,
        })
    }

    fn format_of_input(&self) -> InputFormat {
        self.options
            .format
            .unwrap_or_else(|| detect_format(&self.input))
    }

    /// What the documents may read: see [`load::confine`].
    fn confinement(&self) -> load::confine::Confinement {
        load::confine::Confinement::for_root(
            &self.input,
            &self.options.allow_paths,
            self.options
                .max_file_size
                .unwrap_or(load::confine::DEFAULT_MAX_BYTES),
        )
    }

    fn lower(&self) -> Result<Lowered, Error> {
        if let Some(text) = &self.text {
            let sources = memory_sources(&self.input, text, &[], &[]);
            return self.lowered(self.lower_from_memory(text, &[], &sources));
        }
        let confinement = self.confinement();
        // The main document is checked (a regular file under the cap) before anything reads it,
        // format detection included.
        if let Err(refusal) = confinement.check_trusted(&self.input) {
            return Err(Error::Invalid {
                diagnostics: vec![refusal.diagnostic().at(&self.input, "")],
            });
        }
        let mut diagnostics = Vec::new();
        for dir in &self.options.allow_paths {
            if !dir.is_dir() {
                diagnostics.push(
                    Diagnostic::error(
                        "load::allow_path",
                        format!("`--allow-path {}` is not a folder", dir.display()),
                    )
                    .help("name an existing folder"),
                );
            }
        }
        if !diagnostics.is_empty() {
            return Err(Error::Invalid { diagnostics });
        }
        let lowered = match self.format_of_input() {
            InputFormat::Openapi if self.options.format_types.is_empty() => {
                openapi::lower_confined(&self.input, &confinement)
            }
            InputFormat::Openapi => {
                openapi::lower_mapped(&self.input, &confinement, &self.format_types())
            }
            InputFormat::Graphql => graphql::lower_confined(
                &self.input,
                &self.options.graphql_operations,
                &self.options.graphql_scalars,
                &confinement,
            ),
            InputFormat::Wsdl => wsdl::lower_confined(&self.input, &confinement),
        };
        self.lowered(lowered)
    }

    /// What [`Generator::lower`] gives of a front end's result: the documents freed (unless
    /// `skip_free`), and the result refused when it holds errors.
    fn lowered(&self, mut lowered: Lowered) -> Result<Lowered, Error> {
        self.release(lowered.documents.take());
        refuse_errors(lowered, self.options.strict)
    }

    fn pipeline(&self) -> Result<(Lowered, rust::RustCode, Vec<Diagnostic>), Error> {
        let lowered = timings::phase("front end (load + lower)", || self.lower())?;
        self.pipeline_from(lowered)
    }

    /// Everything after lowering (`lowered` has no errors): the analysis passes and the back end.
    fn pipeline_from(
        &self,
        mut lowered: Lowered,
    ) -> Result<(Lowered, rust::RustCode, Vec<Diagnostic>), Error> {
        let mut diagnostics = std::mem::take(&mut lowered.diagnostics);
        if !self.options.only_operations.is_empty() {
            let missing =
                ir::prune::keep_operations(&mut lowered.api, &self.options.only_operations);
            for name in missing {
                diagnostics.push(
                    Diagnostic::error(
                        "options::unknown_operation",
                        format!("`--only {name}`: the document has no operation `{name}`"),
                    )
                    .at(&self.input, "/paths")
                    .help("name an `operationId` of the document"),
                );
            }
        }
        self.select_operations(&mut lowered.api, &mut diagnostics);
        self.check_project_names(&lowered.api, &mut diagnostics);
        // Located with the back end's: they point into the document by JSON pointer only.
        let mut more = timings::phase("analysis", || analysis::run(&mut lowered.api));
        let paging = timings::phase("paging", || {
            paging::run(&mut lowered.api, &self.options.paginate)
        });
        // The model moves into the code (`code.api()`); `lowered.api` is left empty.
        let api = std::mem::take(&mut lowered.api);
        let (code, back_end) = timings::phase("back end (names, contexts)", || {
            rust::generate_owned(api, &self.options)
        });
        more.extend(back_end);
        more.extend(paging);
        if matches!(
            self.format_of_input(),
            InputFormat::Openapi | InputFormat::Wsdl
        ) {
            timings::phase("locate back-end diagnostics", || {
                locate_json_pointers(&mut more, &lowered.files_read)
            });
        }
        diagnostics.extend(more);
        if diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.sort_by_key(|d| std::cmp::Reverse(d.severity));
            return Err(Error::Invalid { diagnostics });
        }
        Ok((lowered, code, diagnostics))
    }
}

impl Generator {
    /// The `--format-type` mappings (values that do not parse were refused when read).
    fn format_types(&self) -> Vec<(String, String)> {
        self.options
            .format_types
            .iter()
            .filter_map(|v| project::parse_type_mapping(v).ok())
            .collect()
    }

    /// `d` located where the value `key` was set: its line in the project file, or (a flag)
    /// the main document.
    fn at_setting(&self, d: Diagnostic, key: &str) -> Diagnostic {
        match &self.project_spans {
            Some((path, spans)) => match spans.get(key) {
                Some(&(line, column)) => d.at_line(path, "", line, column),
                None => d.at(&self.input, ""),
            },
            None => d.at(&self.input, ""),
        }
    }

    /// `--include` / `--exclude` (`[operations] include`, `exclude`): keeps the operations an
    /// include pattern matches (all when there is none) and no exclude pattern matches, and the
    /// types they use. A pattern that matches no operation is an error for an operationId,
    /// a warning for a tag or a path glob.
    fn select_operations(&self, api: &mut ir::Api, diagnostics: &mut Vec<Diagnostic>) {
        let (inc, exc) = (&self.options.include, &self.options.exclude);
        if inc.is_empty() && exc.is_empty() {
            return;
        }
        let parse = |flag: &str, list: &[String], diagnostics: &mut Vec<Diagnostic>| {
            let mut out = Vec::new();
            for v in list {
                match project::parse_pattern(v) {
                    Ok(p) => out.push((v.clone(), p)),
                    Err(e) => diagnostics.push(
                        self.at_setting(
                            Diagnostic::error("options::invalid_pattern", e)
                                .help("operationId, tag:NAME or path:GLOB"),
                            &format!("{flag}:{v}"),
                        ),
                    ),
                }
            }
            out
        };
        let inc = parse("include", inc, diagnostics);
        let exc = parse("exclude", exc, diagnostics);
        for (flag, list) in [("include", &inc), ("exclude", &exc)] {
            for (v, p) in list {
                if api.operations.iter().any(|op| p.matches(op)) {
                    continue;
                }
                let d = match p {
                    project::Pattern::Operation(name) => Diagnostic::error(
                        "options::unknown_operation",
                        format!("`{flag} {v}`: the document has no operation `{name}`"),
                    )
                    .help("name an `operationId` of the document, or use tag:NAME or path:GLOB"),
                    _ => Diagnostic::warning(
                        "options::pattern_matches_nothing",
                        format!("`{flag} {v}` matches no operation of the document"),
                    )
                    .help("check the tag or the path glob (`*` within a segment, `**` across)"),
                };
                diagnostics.push(self.at_setting(d, &format!("{flag}:{v}")));
            }
        }
        let keep: Vec<String> = api
            .operations
            .iter()
            .filter(|op| inc.is_empty() || inc.iter().any(|(_, p)| p.matches(op)))
            .filter(|op| !exc.iter().any(|(_, p)| p.matches(op)))
            .map(|op| op.name.display())
            .collect();
        ir::prune::keep_operations(api, &keep);
    }

    /// Every rename and per-operation override names something the document has.
    fn check_project_names(&self, api: &ir::Api, diagnostics: &mut Vec<Diagnostic>) {
        let has_op = |n: &str| api.operations.iter().any(|op| op.name.display() == n);
        let ty = |n: &str| api.types.iter().find(|t| t.name.display() == n);
        let bad = |flag: &str, v: &str, e: String| {
            Diagnostic::error("options::invalid", format!("`{flag} {v}`: {e}"))
                .at(&self.input, "")
                .help("see `sdkwright generate --help`")
        };
        for v in &self.options.format_types {
            if let Err(e) = project::parse_type_mapping(v) {
                diagnostics.push(bad("--format-type", v, e));
            }
        }
        for v in &self.options.renames {
            let (target, _) = match project::parse_rename(v) {
                Ok(r) => r,
                Err(e) => {
                    diagnostics.push(bad("--rename", v, e));
                    continue;
                }
            };
            let missing = match &target {
                project::RenameTarget::Operation(n) => {
                    (!has_op(n)).then(|| format!("the document has no operation `{n}`"))
                }
                project::RenameTarget::Type(n) => ty(n)
                    .is_none()
                    .then(|| format!("the document has no type `{n}`")),
                project::RenameTarget::Field(t, f) => match ty(t).map(|d| &d.kind) {
                    None => Some(format!("the document has no type `{t}`")),
                    Some(ir::TypeKind::Struct(s)) if s.fields.iter().any(|x| x.name == *f) => None,
                    Some(_) => Some(format!("type `{t}` has no field `{f}`")),
                },
            };
            if let Some(why) = missing {
                diagnostics.push(self.at_setting(
                    Diagnostic::error("options::unknown_rename", format!("rename `{v}`: {why}"))
                        .help("use the document's own names on the left (operationId, schema name, property name)"),
                    v,
                ));
            }
        }
        for v in &self.options.operation_timeouts {
            if let Err(e) = project::parse_timeout(v) {
                diagnostics.push(bad("--operation-timeout", v, e));
            }
            if let Ok((op, _)) = project::parse_timeout(v) {
                if !has_op(&op) {
                    diagnostics.push(
                        self.at_setting(
                            Diagnostic::error(
                                "options::unknown_operation",
                                format!("timeout for `{op}`: the document has no operation `{op}`"),
                            )
                            .help("name an `operationId` of the document"),
                            &format!("timeout:{op}"),
                        ),
                    );
                }
            }
        }
    }
}

/// The in-memory texts by path: the main document's, then the operation documents'.
fn memory_sources<'a>(
    input: &'a Path,
    main: &'a str,
    op_paths: &'a [PathBuf],
    operations: &[&'a str],
) -> Vec<(&'a Path, &'a str)> {
    let mut sources = vec![(input, main)];
    sources.extend(
        op_paths
            .iter()
            .map(PathBuf::as_path)
            .zip(operations.iter().copied()),
    );
    sources
}

/// Sorts the diagnostics, errors first, then in the order found (stable across runs), and
/// refuses the documents when there is an error. With `strict` (`--strict`), a broken reference
/// is an error rather than something generated around: the warnings about what was skipped
/// are then left out.
fn refuse_errors(mut lowered: Lowered, strict: bool) -> Result<Lowered, Error> {
    if let Some(diagnostics) = lowered.strict.take().filter(|_| strict) {
        // The front end generated around broken references; `--strict` refuses instead.
        lowered.diagnostics = diagnostics;
    }
    lowered
        .diagnostics
        .sort_by_key(|d| std::cmp::Reverse(d.severity));
    if lowered.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid {
            diagnostics: lowered.diagnostics,
        });
    }
    Ok(lowered)
}

/// Line and column for diagnostics found after lowering (the back end's renames), located by
/// their JSON pointer (or, in a WSDL or XSD file, the WSDL front end's XPath-like pointer) in a
/// file the front end already read (nothing else is opened).
fn locate_json_pointers(diags: &mut [Diagnostic], files_read: &[PathBuf]) {
    let mut files: Vec<&Path> = Vec::new();
    for d in diags.iter() {
        if let Some(loc) = &d.location {
            if loc.line.is_none() && !files.contains(&loc.file.as_path()) {
                files.push(&loc.file);
            }
        }
    }
    let files: Vec<PathBuf> = files.into_iter().map(Path::to_path_buf).collect();
    for file in files {
        if !files_read.iter().any(|f| f == &file) {
            continue;
        }
        // Through the confinement's reader: only a file accepted before, still a regular file.
        let Some(text) = load::confine::read_for_display(&file) else {
            continue;
        };
        let idxs: Vec<usize> = (0..diags.len())
            .filter(|i| {
                diags[*i]
                    .location
                    .as_ref()
                    .is_some_and(|l| l.line.is_none() && l.file == file)
            })
            .collect();
        let pointers: Vec<String> = idxs
            .iter()
            .filter_map(|i| diags[*i].location.as_ref().map(|l| l.pointer.clone()))
            .collect();
        let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let positions = if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
        {
            // A WSDL or XSD file: its origins are XPath-like (`/complexType[@name='x']`).
            wsdl::locate_pointers(&text, &refs)
        } else {
            load::position::locate(&text, load::detect_format(&text), &refs)
        };
        for (i, pos) in idxs.into_iter().zip(positions) {
            if let (Some(loc), Some((line, col))) = (diags[i].location.as_mut(), pos) {
                loc.line = Some(line);
                loc.column = Some(col);
            }
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputFormat::Openapi => "openapi",
            InputFormat::Graphql => "graphql",
            InputFormat::Wsdl => "wsdl",
        })
    }
}

/// True when the first bytes of a JSON object name `__schema` as a key: a GraphQL introspection
/// result (`{"data": {"__schema": …}}`, `{"__schema": …}`, also after other keys such as
/// `"errors"`). An OpenAPI document does not start so.
fn is_introspection(head: &[u8]) -> bool {
    head.windows(b"\"__schema\"".len())
        .any(|w| w == b"\"__schema\"")
}

/// Detects the format of `path` from its extension, then its first bytes.
fn detect_format(path: &Path) -> InputFormat {
    format_from_extension(path).unwrap_or_else(|| {
        // Called only on a checked regular file; reads its first 512 bytes.
        let mut head = Vec::new();
        if let Ok(f) = std::fs::File::open(path) {
            use std::io::Read;
            let _ = f.take(512).read_to_end(&mut head);
        }
        format_from_head(&head)
    })
}

/// Detects the format of `path` from its extension, then from `text`, its content.
fn detect_format_from(path: &Path, text: &[u8]) -> InputFormat {
    format_from_extension(path).unwrap_or_else(|| format_from_head(text))
}

fn format_from_extension(path: &Path) -> Option<InputFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "graphql" | "gql" | "graphqls" => Some(InputFormat::Graphql),
        "wsdl" | "xml" => Some(InputFormat::Wsdl),
        _ => None,
    }
}

/// WSDL when the first byte that is not blank (nor part of a BOM) is `<`, else OpenAPI.
fn format_from_head(head: &[u8]) -> InputFormat {
    let first = head
        .iter()
        .take(512)
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if first == Some(b'<') {
        InputFormat::Wsdl
    } else if first == Some(b'{') && is_introspection(head) {
        InputFormat::Graphql
    } else {
        InputFormat::Openapi
    }
}
