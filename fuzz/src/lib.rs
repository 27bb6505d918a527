//! What every fuzz target checks, shared with `generator/tests/fuzz_regressions.rs` and
//! `generator/tests/mangled_documents.rs` (which include this file by path).
//!
//! An input is a byte string read as UTF-8 (lossily: invalid sequences become U+FFFD, so every
//! input reaches the loaders). GraphQL inputs hold the schema, then a NUL byte, then operation
//! documents separated by further NUL bytes. Documents get nominal paths in a folder that does
//! not exist, so a file reference can only resolve to an absolute path.
//!
//! The checks: no panic (the fuzzer and the tests catch it), no [`Error::Internal`], every error
//! diagnostic located in a file, and when generation succeeds every printed `.rs` file parses with
//! `syn::parse_file`.

use std::path::Path;

use sdkwright::{Diagnostic, Error, Generator, InputFormat, Output};

/// The folder the documents pretend to live in.
pub const NOWHERE: &str = "/nonexistent/sdkwright-fuzz";

/// At most this many operation documents are taken from a GraphQL input.
const MAX_OPERATION_DOCUMENTS: usize = 4;

/// The documents of one input.
#[derive(Debug)]
pub struct Documents {
    /// Format of the main document.
    pub format: InputFormat,
    /// The main document (OpenAPI, GraphQL schema or WSDL).
    pub main: String,
    /// GraphQL operation documents.
    pub operations: Vec<String>,
}

impl Documents {
    /// Reads `data` as a document of `format`.
    pub fn new(format: InputFormat, data: &[u8]) -> Self {
        let text = String::from_utf8_lossy(data);
        match format {
            InputFormat::Graphql => {
                let mut parts = text.split('\0');
                let main = parts.next().unwrap_or_default().to_owned();
                let operations = parts
                    .take(MAX_OPERATION_DOCUMENTS)
                    .map(str::to_owned)
                    .collect();
                Documents {
                    format,
                    main,
                    operations,
                }
            }
            _ => Documents {
                format,
                main: text.into_owned(),
                operations: Vec::new(),
            },
        }
    }

    /// Reads `data` choosing the format by content: GraphQL when it holds a NUL byte, WSDL when
    /// its first non-blank character is `<`, OpenAPI (YAML or JSON) otherwise.
    pub fn detect(data: &[u8]) -> Self {
        let format = if data.contains(&0) {
            InputFormat::Graphql
        } else if data
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'<')
        {
            InputFormat::Wsdl
        } else {
            InputFormat::Openapi
        };
        Documents::new(format, data)
    }

    fn generator(&self) -> Generator {
        let name = match self.format {
            InputFormat::Openapi => "api.yaml",
            InputFormat::Graphql => "schema.graphql",
            InputFormat::Wsdl => "service.wsdl",
        };
        Generator::new(Path::new(NOWHERE).join(name))
            .format(self.format)
            .crate_name("fuzzed")
    }

    fn operations(&self) -> Vec<&str> {
        self.operations.iter().map(String::as_str).collect()
    }

    /// Loads and lowers the documents (`sdkwright check`); panics when a property is violated.
    pub fn check(&self) {
        match self
            .generator()
            .check_from_memory(&self.main, &self.operations())
        {
            Ok(warnings) => assert_located(&warnings),
            Err(e) => assert_refusal(&e),
        }
    }

    /// Runs the whole pipeline (`sdkwright generate`, in memory); panics when a property is
    /// violated. Returns the output, or the diagnostics of a refusal.
    pub fn generate(&self) -> Result<Output, Vec<Diagnostic>> {
        match self
            .generator()
            .generate_from_memory(&self.main, &self.operations())
        {
            Ok(output) => {
                assert_located(&output.diagnostics);
                assert_rust_parses(&output);
                Ok(output)
            }
            Err(e) => {
                assert_refusal(&e);
                match e {
                    Error::Invalid { diagnostics } => Err(diagnostics),
                    _ => Err(Vec::new()),
                }
            }
        }
    }
}

/// Stack of the thread a fuzz target runs its input on: a CLI's or build script's main thread has
/// 8 MiB.
pub const STACK: usize = 8 << 20;

/// Runs `f` on a thread of [`STACK`] bytes and re-raises its panic. libFuzzer owns `main`, so the
/// Rust runtime's stack-overflow handler is not installed on the main thread and an overflow
/// there kills the process without a crash report; on a spawned thread it is reported (and the
/// process aborts, which libFuzzer records as a crash).
pub fn on_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match std::thread::Builder::new().stack_size(STACK).spawn(f) {
        Ok(handle) => match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(e) => panic!("cannot spawn the fuzzing thread: {e}"),
    }
}

/// A refusal must be [`Error::Invalid`] with at least one located error diagnostic.
fn assert_refusal(e: &Error) {
    match e {
        Error::Invalid { diagnostics } => {
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "refused without an error diagnostic: {diagnostics:#?}"
            );
            assert_located(diagnostics);
        }
        other => panic!("not a refusal of the input: {other}"),
    }
}

fn assert_located(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(d.location.is_some(), "diagnostic without a location: {d}");
    }
}

/// Every generated `.rs` file parses as a Rust file.
pub fn assert_rust_parses(output: &Output) {
    for f in &output.files {
        if f.path.extension().is_some_and(|e| e == "rs") {
            if let Err(e) = syn::parse_file(&f.contents) {
                panic!(
                    "generated {} does not parse: {e}\n{}",
                    f.path.display(),
                    f.contents
                );
            }
        }
    }
}
