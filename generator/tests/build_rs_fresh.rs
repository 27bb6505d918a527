//! A build.rs user's rebuild when the document did not change: cargo does not run the build
//! script again (`Generator::build_rs` prints `cargo:rerun-if-changed` for every file it read)
//! and compiles nothing.
//!
//! A scratch crate whose build script calls the library on a tiny document is built three times
//! with `--message-format json`: the second build must compile nothing (every artifact `fresh`)
//! and must not run the build script (it counts its runs in a file); after the document changes,
//! the third build must run it again and recompile the crate (so the first two checks can fail).
//!
//! The scratch crate and its target dir are under `target/tmp/build-rs-fresh`
//! (`CARGO_TARGET_TMPDIR`), kept between runs: the first run compiles the library (without its
//! `cli` feature) once, later runs only the scratch crate.

use std::path::{Path, PathBuf};
use std::process::Command;

const DOCUMENT: &str = r##"openapi: 3.0.3
info: { title: Tiny, version: "1.0" }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
components:
  schemas:
    Thing:
      type: object
      properties:
        name: { type: string }
"##;

const BUILD_RS: &str = r#"fn main() {
    // Counts the runs of this script (the test reads it; no cargo input depends on it).
    let runs = concat!(env!("CARGO_MANIFEST_DIR"), "/build-runs.txt");
    let before = std::fs::read_to_string(runs).unwrap_or_default();
    std::fs::write(runs, before + "run\n").unwrap();
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/tiny.yaml");
    if let Err(e) = sdkwright::Generator::new(spec).crate_name("tiny").build_rs() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
"#;

/// The generated client needs the runtime to compile, which would make this test build reqwest
/// and tokio; the file's bytes are enough to make the crate depend on what the script wrote.
const LIB_RS: &str =
    "pub const GENERATED: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/tiny.rs\"));\n";

struct Build {
    /// `(package name, target kind, fresh)` of every `compiler-artifact` message.
    artifacts: Vec<(String, String, bool)>,
}

impl Build {
    fn compiled(&self) -> Vec<String> {
        self.artifacts
            .iter()
            .filter(|(_, _, fresh)| !fresh)
            .map(|(p, k, _)| format!("{p} ({k})"))
            .collect()
    }
}

fn build(dir: &Path, target: &Path) -> Build {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--offline", "--message-format", "json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTC_WRAPPER")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the scratch crate does not build:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        stdout
    );
    let mut artifacts = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        // package_id looks like "path+file:///…/generator#sdkwright@0.1.0" or
        // "registry+https://…#serde@1.0.228": the name is before the last '@'.
        let id = msg["package_id"].as_str().unwrap_or_default();
        let name = id
            .rsplit_once('#')
            .map_or(id, |(_, n)| n)
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string();
        let kind = msg["target"]["kind"][0]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let fresh = msg["fresh"]
            .as_bool()
            .expect("every artifact says whether it is fresh");
        artifacts.push((name, kind, fresh));
    }
    Build { artifacts }
}

fn runs(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("build-runs.txt"))
        .unwrap_or_default()
        .lines()
        .count()
}

#[test]
fn an_unchanged_document_reruns_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().expect("the repository root exists");
    // One fixed place, so a later run replaces this run's artifacts instead of adding its own.
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("build-rs-fresh");
    let target = base.join("target");
    let dir = &base.join("crate");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("tiny.yaml"), DOCUMENT).unwrap();
    std::fs::write(dir.join("build.rs"), BUILD_RS).unwrap();
    std::fs::write(dir.join("src/lib.rs"), LIB_RS).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"build-rs-fresh\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [build-dependencies]\nsdkwright = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
            root.join("generator").display().to_string()
        ),
    )
    .unwrap();
    // The workspace's versions, so `--offline` finds every crate in cargo's cache.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let first = build(dir, &target);
    assert_eq!(runs(dir), 1, "the first build runs the build script once");
    assert!(
        first
            .artifacts
            .iter()
            .any(|(p, k, f)| p == "build-rs-fresh" && k == "lib" && !f),
        "the first build compiles the crate: {:?}",
        first.artifacts
    );

    let second = build(dir, &target);
    assert_eq!(
        runs(dir),
        1,
        "the build script ran again although nothing changed"
    );
    assert!(
        second.compiled().is_empty(),
        "the second build compiled {:?}",
        second.compiled()
    );
    assert!(
        second
            .artifacts
            .iter()
            .any(|(p, k, _)| p == "build-rs-fresh" && k == "lib"),
        "cargo reports the crate's artifact: {:?}",
        second.artifacts
    );

    // A changed document is noticed: the script runs again and the crate is recompiled.
    std::fs::write(
        dir.join("tiny.yaml"),
        DOCUMENT.replace(
            "name: { type: string }",
            "name: { type: string }\n        size: { type: integer }",
        ),
    )
    .unwrap();
    let third = build(dir, &target);
    assert_eq!(
        runs(dir),
        2,
        "a changed document runs the build script again"
    );
    assert!(
        third.compiled().iter().any(|c| c == "build-rs-fresh (lib)"),
        "a changed document recompiles the crate: {:?}",
        third.compiled()
    );
    assert!(
        !third.compiled().iter().any(|c| c.starts_with("sdkwright ")),
        "the generator itself is not recompiled: {:?}",
        third.compiled()
    );
}
