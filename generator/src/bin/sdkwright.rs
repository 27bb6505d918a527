//! The `sdkwright` command.
//!
//! Exit status: 0 on success (warnings may have been printed), 1 when the input documents have
//! errors or output cannot be written, 2 on a usage error, 101 on an internal error (a bug).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sdkwright::{Diagnostic, Error, Generator, Options};

/// Generates typed Rust client crates from OpenAPI, GraphQL and WSDL documents.
#[derive(Parser, Debug)]
#[command(name = "sdkwright", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  sdkwright generate specs/petstore.yaml --out petstore\n  sdkwright check specs/petstore.yaml\n  sdkwright generate schema.graphql --operations queries.graphql --out countries"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a client crate into a folder (the folder is replaced as a whole).
    Generate {
        /// The API document (OpenAPI YAML/JSON, GraphQL SDL, or WSDL).
        spec: PathBuf,
        /// Folder to write the crate into.
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        options: Options,
    },
    /// Validate a document and print its diagnostics; exits 1 if it has errors.
    Check {
        /// The API document.
        spec: PathBuf,
        #[command(flatten)]
        options: Options,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Generate { spec, out, options } => {
            let started = std::time::Instant::now();
            Generator::new(&spec)
                .with_options(options)
                .write_crate(&out)
                .map(|output| {
                    print_warnings(&output.diagnostics);
                    eprintln!(
                        "generated {} files into {} in {:.2?}",
                        output.files.len(),
                        out.display(),
                        started.elapsed()
                    );
                })
        }
        Command::Check { spec, options } => Generator::new(&spec)
            .with_options(options)
            .check()
            .map(|warnings| {
                print_warnings(&warnings);
                eprintln!(
                    "{}: ok ({} warning{})",
                    spec.display(),
                    warnings.len(),
                    if warnings.len() == 1 { "" } else { "s" }
                );
            }),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ Error::Internal(_)) => {
            eprintln!("{e}");
            ExitCode::from(101)
        }
        Err(Error::Invalid { diagnostics }) => {
            print_warnings(&diagnostics);
            let n = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{n} error{} in the input: no code was generated",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints diagnostics with the source line each points at.
fn print_warnings(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}\n", d.render_with_source());
    }
}
