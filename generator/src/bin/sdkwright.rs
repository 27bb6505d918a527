//! The `sdkwright` command.
//!
//! Exit status: 0 on success (warnings may have been printed), 1 when the input documents have
//! errors or output cannot be written, 2 on a usage error, 101 on an internal error (a bug).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator with `--features mimalloc`: generation allocates and
/// frees millions of small strings and token trees (generator/Cargo.toml says why).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sdkwright::{Diagnostic, Drift, Error, Generator, Options};

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
        /// Write nothing: print a unified diff of what generation would change in the folder,
        /// and exit 1 if anything would (for CI, like `cargo fmt --check`).
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        options: Options,
    },
    /// List the changes to the generated crate's public API between two versions of a
    /// document (or a generated crate's folder) and the semver bump they need. With
    /// `--current-version` and `--next-version`, exits 1 when that bump is not enough.
    Semver {
        /// The old document, or the folder of a crate sdkwright generated.
        old: PathBuf,
        /// The new document (or crate folder).
        new: PathBuf,
        /// The report's format.
        #[arg(
            long = "report-format",
            value_enum,
            default_value = "text",
            value_name = "FORMAT"
        )]
        report_format: ReportFormat,
        /// The version of the crate generated from OLD.
        #[arg(
            long = "current-version",
            value_name = "X.Y.Z",
            requires = "next_version"
        )]
        current_version: Option<sdkwright::semver::Version>,
        /// The version planned for the crate generated from NEW: checked against the changes.
        #[arg(
            long = "next-version",
            value_name = "X.Y.Z",
            requires = "current_version"
        )]
        next_version: Option<sdkwright::semver::Version>,
        /// Options for both documents (a project file beside each applies to it).
        #[command(flatten)]
        options: Options,
    },
    /// Read and parse a document into a value, and nothing else (the parse floor that
    /// scripts/bench-peers.sh sets generation time against; not for users).
    #[command(hide = true, name = "parse-floor")]
    ParseFloor {
        /// The API document (JSON or YAML).
        spec: PathBuf,
    },
    /// Validate a document and print its diagnostics; exits 1 if it has errors.
    Check {
        /// The API document.
        spec: PathBuf,
        #[command(flatten)]
        options: Options,
    },
}

/// Formats of the semver report.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    /// For people.
    Text,
    /// One JSON object: `old`, `new`, `required`, `changes`, and with versions `check`.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Semver {
            old,
            new,
            report_format,
            current_version,
            next_version,
            options,
        } => {
            let old_g = cli_generator(&old).with_options(options.clone());
            let new_g = cli_generator(&new).with_options(options);
            let report = match sdkwright::semver::compare(&old_g, &new_g) {
                Ok(r) => r,
                Err(e) => return report(e),
            };
            let verdict = match (current_version, next_version) {
                (Some(c), Some(n)) => Some((c, n, report.check(&c, &n))),
                _ => None,
            };
            match report_format {
                ReportFormat::Text => {
                    print!("{}", report.to_text());
                    if let Some((c, n, v)) = &verdict {
                        match v {
                            Ok(()) => println!("{c} → {n}: enough"),
                            Err(why) => println!("{c} → {n}: NOT enough: {why}"),
                        }
                    }
                }
                ReportFormat::Json => {
                    let mut value = serde_json::to_value(&report).unwrap_or_default();
                    if let (Some((c, n, v)), Some(obj)) = (&verdict, value.as_object_mut()) {
                        obj.insert(
                            "check".into(),
                            serde_json::json!({
                                "current_version": c.to_string(),
                                "next_version": n.to_string(),
                                "enough": v.is_ok(),
                                "needed": c.bumped(report.required).to_string(),
                                "reason": v.as_ref().err(),
                            }),
                        );
                    }
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&value).unwrap_or_default()
                    );
                }
            }
            return match verdict {
                Some((_, _, Err(_))) => ExitCode::FAILURE,
                _ => ExitCode::SUCCESS,
            };
        }
        Command::Generate {
            spec,
            out,
            check: true,
            options,
        } => {
            return match cli_generator(&spec).with_options(options).diff_crate(&out) {
                Ok((output, drift)) => {
                    print_warnings(&output.diagnostics);
                    print_drift(&out, &drift);
                    if drift.is_empty() {
                        eprintln!("{} is up to date", out.display());
                        ExitCode::SUCCESS
                    } else {
                        eprintln!(
                            "{} file{} in {} differ{} from what {} generates: run the same command without --check to regenerate",
                            drift.len(),
                            if drift.len() == 1 { "" } else { "s" },
                            out.display(),
                            if drift.len() == 1 { "s" } else { "" },
                            spec.display()
                        );
                        ExitCode::FAILURE
                    }
                }
                Err(e) => report(e),
            };
        }
        Command::Generate {
            spec, out, options, ..
        } => {
            let started = std::time::Instant::now();
            cli_generator(&spec)
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
        Command::ParseFloor { spec } => {
            let started = std::time::Instant::now();
            return match sdkwright::parse_floor(&spec) {
                Ok(entries) => {
                    eprintln!(
                        "parsed {} ({entries} top-level entries) in {:.2?}",
                        spec.display(),
                        started.elapsed()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Check { spec, options } => {
            cli_generator(&spec)
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
                })
        }
    };
    let timings = sdkwright::take_timings_report();
    if !timings.is_empty() {
        eprint!("timings (SDKWRIGHT_TIMINGS):\n{timings}");
    }
    let mismatches = sdkwright::print_check_mismatches();
    if mismatches > 0 {
        eprintln!(
            "SDKWRIGHT_PRINT_CHECK: {mismatches} item(s) printed differently by the fast path"
        );
        return ExitCode::from(3);
    }
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(e),
    }
}

/// A generator for `spec` as this process uses it: the process exits once it is done, so the
/// documents and the model are left for the exit to free ([`Generator::skip_free`]).
fn cli_generator(spec: &std::path::Path) -> Generator {
    Generator::new(spec).skip_free(true)
}

/// Prints a fatal error; the exit status that goes with it.
fn report(e: Error) -> ExitCode {
    match e {
        e @ Error::Internal(_) => {
            eprintln!("{e}");
            ExitCode::from(101)
        }
        Error::Invalid { diagnostics } => {
            print_warnings(&diagnostics);
            let n = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{n} error{} in the input: no code was generated",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
        e => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the drift as a unified diff (`a/` is the folder, `b/` what would be generated).
fn print_drift(out: &std::path::Path, drift: &[Drift]) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    for d in drift {
        let shown = out.join(d.path()).display().to_string();
        let (old, new) = match d {
            Drift::Missing { expected, .. } => ("", expected.as_str()),
            Drift::Changed {
                expected, actual, ..
            } => (actual.as_str(), expected.as_str()),
            Drift::Extra { .. } => {
                let _ = writeln!(stdout, "Only in {}: would be removed", shown);
                continue;
            }
            _ => continue,
        };
        let diff = similar::TextDiff::from_lines(old, new);
        let _ = write!(
            stdout,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
        );
    }
}

/// Prints diagnostics with the source line each points at.
fn print_warnings(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}\n", d.render_with_source());
    }
}
