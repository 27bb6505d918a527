//! A build.rs user's rebuild when the document did not change: cargo does not run the build
//! script again (`Generator::build_rs` prints `cargo:rerun-if-changed` for every file it read)
//! and compiles nothing.
//!
//! The workspace member `examples/build-rs-fixture` has a build script that generates from
//! `$BUILD_RS_FRESH_DIR/spec/tiny.yaml` and counts its runs there. The test builds the workspace
//! with `--message-format json` five times, in the workspace's own target dir, so the generator
//! the script links is the one `cargo test --workspace` already compiled (a scratch crate of its
//! own made CI compile the generator and its dependencies a second time, minutes on 2 cores):
//! the second build must compile nothing and must not run the build script; after the document
//! changes, the third must run it again and recompile the fixture; a `sdkwright.toml` added
//! beside the document must be noticed by the fourth, and the fifth is fresh again.

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

fn build(root: &Path, dir: &Path) -> Build {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The whole workspace, as `cargo test --workspace` selects it: with one package selected,
    // cargo would unify features differently and compile the generator's dependencies again.
    let out = Command::new(cargo)
        .args([
            "build",
            "--offline",
            "--workspace",
            "--message-format",
            "json",
        ])
        .current_dir(root)
        .env("BUILD_RS_FRESH_DIR", dir)
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
        // package_id looks like "path+file:///…/generator#sdkwright@0.1.0",
        // "registry+https://…#serde@1.0.228", or "path+file:///…/build-rs-fixture#0.0.0" when
        // the folder has the package's name: the name is before the '@', else the last segment.
        let id = msg["package_id"].as_str().unwrap_or_default();
        let (url, spec) = id.rsplit_once('#').unwrap_or((id, ""));
        let name = match spec.split_once('@') {
            Some((name, _)) => name,
            None => url.rsplit('/').next().unwrap_or_default(),
        }
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
    let dir = &PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("build-rs-fresh");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(dir.join("spec/tiny.yaml"), DOCUMENT).unwrap();
    let fixture = |b: &Build| {
        b.artifacts
            .iter()
            .any(|(p, k, f)| p == "build-rs-fixture" && k == "lib" && !f)
    };

    let first = build(&root, dir);
    assert_eq!(runs(dir), 1, "the first build runs the build script once");
    // (The fixture itself may be fresh: a file with the same bytes as an earlier run's is not
    // written again.)
    assert!(
        first
            .artifacts
            .iter()
            .any(|(p, k, _)| p == "build-rs-fixture" && k == "lib"),
        "cargo reports the fixture's artifact: {:?}",
        first.artifacts
    );

    let second = build(&root, dir);
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
            .any(|(p, k, _)| p == "build-rs-fixture" && k == "lib"),
        "cargo reports the fixture's artifact: {:?}",
        second.artifacts
    );

    // A changed document is noticed: the script runs again and the fixture is recompiled.
    std::fs::write(
        dir.join("spec/tiny.yaml"),
        DOCUMENT.replace(
            "name: { type: string }",
            "name: { type: string }\n        size: { type: integer }",
        ),
    )
    .unwrap();
    let third = build(&root, dir);
    assert_eq!(
        runs(dir),
        2,
        "a changed document runs the build script again"
    );
    assert_eq!(
        third.compiled(),
        ["build-rs-fixture (lib)"],
        "a changed document recompiles the fixture and nothing else"
    );

    // A project file added beside the document later is noticed too (cargo watches the
    // document's folder while the file does not exist), and from then on it is watched itself.
    std::fs::write(
        dir.join("spec/sdkwright.toml"),
        "[rename]\ntypes = { Thing = \"Gadget\" }\n",
    )
    .unwrap();
    let fourth = build(&root, dir);
    assert_eq!(
        runs(dir),
        3,
        "a project file added beside the document runs the build script again"
    );
    assert!(
        fixture(&fourth),
        "the project file's rename reaches the generated file: {:?}",
        fourth.compiled()
    );
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("..");
    let renamed = std::fs::read_dir(target.join("debug/build"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("build-rs-fixture-")
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("out/tiny.rs")).ok())
        .any(|text| text.contains("pub struct Gadget"));
    assert!(renamed, "the generated file has the renamed type");
    let fifth = build(&root, dir);
    assert_eq!(runs(dir), 3, "nothing changed since the fourth build");
    assert!(
        fifth.compiled().is_empty(),
        "the fifth build compiled {:?}",
        fifth.compiled()
    );
}
