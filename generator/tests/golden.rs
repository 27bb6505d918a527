//! Golden tests: one small OpenAPI document per feature, and the generated files that show it.
//!
//! Each folder `tests/golden/<case>/` holds `input.yaml` (one feature, a few dozen lines),
//! `expected/` (the generated files that matter for that feature, at their paths in the crate,
//! e.g. `expected/src/types.rs`) and `warnings.txt` (the warnings, one per line; empty = none).
//! A case may also hold `sdkwright.toml` (options, read as beside any document) and, for a case
//! generated with `tag-features`, `features.txt`: the cargo features (one a line) that
//! e2e/tests/goldens_compile.rs compiles it with, the others off.
//!
//! Run `SDKWRIGHT_BLESS=1 cargo test -p sdkwright --test golden` to rewrite the expected files of
//! every case after a change to the generator, and review the diff. A new case starts without
//! `expected/`: create `expected/` with empty files named like the generated files you want to
//! watch (e.g. `expected/src/types.rs`), then bless. A case without `expected/` fails.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

include!("support/golden_case.rs");

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The first differing lines of `expected` and `actual`, with a little context, diff-style.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    // The common tail, so the hunk ends where the files agree again.
    let mut tail = 0;
    while tail < e.len() - first
        && tail < a.len() - first
        && e[e.len() - 1 - tail] == a[a.len() - 1 - tail]
    {
        tail += 1;
    }
    let start = first.saturating_sub(3);
    let mut out = format!("@@ line {} @@\n", first + 1);
    for line in &e[start..first] {
        let _ = writeln!(out, " {line}");
    }
    const MAX: usize = 40;
    let removed = &e[first..e.len() - tail];
    let added = &a[first..a.len() - tail];
    for line in removed.iter().take(MAX) {
        let _ = writeln!(out, "-{line}");
    }
    if removed.len() > MAX {
        let _ = writeln!(out, "-... ({} more lines)", removed.len() - MAX);
    }
    for line in added.iter().take(MAX) {
        let _ = writeln!(out, "+{line}");
    }
    if added.len() > MAX {
        let _ = writeln!(out, "+... ({} more lines)", added.len() - MAX);
    }
    for line in a[a.len() - tail..].iter().take(3) {
        let _ = writeln!(out, " {line}");
    }
    if removed.is_empty() && added.is_empty() {
        let _ = writeln!(
            out,
            "(the files differ only in line endings or a final newline)"
        );
    }
    out
}

#[test]
fn golden() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // The input path is recorded in the @generated headers: keep it repo-relative.
    std::env::set_current_dir(repo).unwrap();
    let bless = std::env::var_os("SDKWRIGHT_BLESS").is_some_and(|v| v == "1");
    let root = Path::new("generator/tests/golden");
    let mut cases: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases under {}", root.display());

    let mut failures = Vec::new();
    for case_dir in &cases {
        let case = case_dir.file_name().unwrap().to_str().unwrap();
        let generator = golden_case_generator(case_dir);
        let output = match generator.crate_name(case).generate() {
            Ok(output) => output,
            Err(e) => {
                failures.push(format!("{case}: generation failed: {e}"));
                continue;
            }
        };

        let expected_dir = case_dir.join("expected");
        if !expected_dir.is_dir() {
            failures.push(format!(
                "{case}: no expected/ folder; create expected/ with the files to watch \
                 (e.g. expected/src/types.rs) and bless with SDKWRIGHT_BLESS=1"
            ));
            continue;
        }
        let watched = files_under(&expected_dir);
        if watched.is_empty() {
            failures.push(format!("{case}: expected/ is empty"));
        }
        for rel in watched {
            let Some(generated) = output.files.iter().find(|f| f.path == rel) else {
                let names: Vec<_> = output
                    .files
                    .iter()
                    .map(|f| f.path.display().to_string())
                    .collect();
                failures.push(format!(
                    "{case}: {} was not generated (generated: {})",
                    rel.display(),
                    names.join(", ")
                ));
                continue;
            };
            let path = expected_dir.join(&rel);
            check(&path, &generated.contents, bless, case, &mut failures);
        }

        let warnings: String = output
            .diagnostics
            .iter()
            .map(|d| format!("{d}\n"))
            .collect();
        check(
            &case_dir.join("warnings.txt"),
            &warnings,
            bless,
            case,
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatch(es); rerun with SDKWRIGHT_BLESS=1 to accept the new output\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Compares `actual` with the file at `path`, or rewrites it when blessing.
fn check(path: &Path, actual: &str, bless: bool, case: &str, failures: &mut Vec<String>) {
    let expected = match fs::read_to_string(path) {
        Ok(expected) => expected,
        Err(_) if bless => String::new(),
        Err(e) => {
            failures.push(format!("{case}: cannot read {}: {e}", path.display()));
            return;
        }
    };
    if expected == actual && path.exists() {
        return;
    }
    if bless {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, actual).unwrap();
    } else {
        failures.push(format!(
            "{case}: {} differs from the generated file\n{}",
            path.display(),
            diff(&expected, actual)
        ));
    }
}
