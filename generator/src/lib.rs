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
//! ```
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

mod analysis;
mod diag;
mod emit;
mod graphql;
mod ir;
mod load;
mod lowered;
mod openapi;
mod options;
mod rust;
mod wsdl;

use std::fmt;
use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Location, Severity};
pub use options::{InputFormat, Options};

use lowered::Lowered;

/// Fatal problems: the documents cannot be turned into a client, or output cannot be written.
#[derive(Debug, thiserror::Error)]
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
/// files are GraphQL schemas, documents whose first non-blank character is `<` are WSDL, anything
/// else is OpenAPI (YAML or JSON, told apart by content).
#[derive(Debug, Clone)]
pub struct Generator {
    input: PathBuf,
    options: Options,
}

impl Generator {
    /// A generator for the document at `input`, with default options.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Generator {
            input: input.into(),
            options: Options::default(),
        }
    }

    /// Replaces all options.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
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

    /// Forces the input format (`--format`).
    pub fn format(mut self, format: InputFormat) -> Self {
        self.options.format = Some(format);
        self
    }

    /// Reads and validates the documents without generating code. Returns the warnings, or
    /// [`Error::Invalid`] with every diagnostic when there are errors.
    pub fn check(&self) -> Result<Vec<Diagnostic>, Error> {
        let lowered = self.lower()?;
        Ok(lowered.diagnostics)
    }

    /// Generates a whole crate in memory.
    pub fn generate(&self) -> Result<Output, Error> {
        let (lowered, code, diagnostics) = self.pipeline()?;
        let files = emit::render_crate(
            &lowered.api,
            &code,
            &self.options,
            &self.source_info(&lowered)?,
        )
        .map_err(|e| Error::Internal(e.to_string()))?
        .into_iter()
        .map(|(path, contents)| GeneratedFile { path, contents })
        .collect();
        Ok(Output {
            files,
            diagnostics,
            files_read: lowered.files_read,
        })
    }

    /// Generates a whole crate into `out_dir`. The folder is replaced as a whole, only once every
    /// file has been rendered: a failure leaves whatever was there before untouched. A non-empty
    /// folder that sdkwright did not generate is never replaced, nor one that holds an input
    /// document. A folder that would be refused is refused before any work, with the same error.
    pub fn write_crate(&self, out_dir: &Path) -> Result<Output, Error> {
        let io_error = |source| Error::Io {
            action: "write",
            path: out_dir.to_path_buf(),
            source,
        };
        let mut inputs = vec![self.input.clone()];
        inputs.extend(self.options.graphql_operations.iter().cloned());
        emit::check_out_dir(out_dir, &inputs).map_err(io_error)?;
        let output = self.generate()?;
        let files: Vec<(PathBuf, String)> = output
            .files
            .iter()
            .map(|f| (f.path.clone(), f.contents.clone()))
            .collect();
        inputs.extend(output.files_read.iter().cloned());
        emit::write_crate(out_dir, &files, &inputs).map_err(io_error)?;
        Ok(output)
    }

    /// Generates the client as one file of Rust, for `include!`. The one file in
    /// [`Output::files`] is named after the crate: `<name with underscores>.rs`.
    pub fn generate_single_file(&self) -> Result<Output, Error> {
        let (lowered, code, diagnostics) = self.pipeline()?;
        let contents = emit::render_single_file(&code, &self.options, &self.source_info(&lowered)?)
            .map_err(|e| Error::Internal(e.to_string()))?;
        let path = PathBuf::from(format!(
            "{}.rs",
            emit::cargo_name(&self.options, &lowered.api).replace('-', "_")
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
        let out_dir = std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?;
        // Rerun on every input even when generation fails, so fixing the document rebuilds.
        println!("cargo:rerun-if-changed={}", self.input.display());
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
        std::fs::write(&path, &file.contents).map_err(|source| Error::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// File name of the main document and SHA-256 of every document read, for the
    /// `@generated` header.
    fn source_info(&self, lowered: &Lowered) -> Result<emit::SourceInfo, Error> {
        use sha2::{Digest, Sha256};
        let mut inputs = vec![self.input.clone()];
        inputs.extend(self.options.graphql_operations.iter().cloned());
        let mut listed: std::collections::HashSet<PathBuf> = inputs.iter().cloned().collect();
        for f in &lowered.files_read {
            if listed.insert(f.clone()) {
                inputs.push(f.clone());
            }
        }
        let mut hasher = Sha256::new();
        for path in &inputs {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                action: "read",
                path: path.clone(),
                source,
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

    fn lower(&self) -> Result<Lowered, Error> {
        let mut lowered = match self
            .options
            .format
            .unwrap_or_else(|| detect_format(&self.input))
        {
            InputFormat::Openapi => openapi::lower(&self.input),
            InputFormat::Graphql => graphql::lower(&self.input, &self.options.graphql_operations),
            InputFormat::Wsdl => wsdl::lower(&self.input),
        };
        // Errors first, then in the order found: stable across runs.
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

    fn pipeline(&self) -> Result<(Lowered, rust::RustCode, Vec<Diagnostic>), Error> {
        let mut lowered = self.lower()?;
        let mut diagnostics = std::mem::take(&mut lowered.diagnostics);
        diagnostics.extend(analysis::run(&mut lowered.api));
        let (code, more) = rust::generate(&lowered.api, &self.options);
        diagnostics.extend(more);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Invalid { diagnostics });
        }
        Ok((lowered, code, diagnostics))
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

/// Detects the format of `path` from its extension, then its first bytes.
fn detect_format(path: &Path) -> InputFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "graphql" | "gql" | "graphqls" => return InputFormat::Graphql,
        "wsdl" | "xml" => return InputFormat::Wsdl,
        _ => {}
    }
    let head = std::fs::read(path)
        .ok()
        .map(|b| b.into_iter().take(512).collect::<Vec<u8>>())
        .unwrap_or_default();
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if first == Some(b'<') {
        InputFormat::Wsdl
    } else {
        InputFormat::Openapi
    }
}
