//! The checked-in crates under `generated-examples/` are exactly what the generator produces today.
//!
//! Run `SDKWRIGHT_BLESS=1 cargo test -p sdkwright --test examples` to rewrite them after a change to
//! the generator; review the diff like any other change to the output.

use std::path::{Path, PathBuf};

use sdkwright::{Generator, Options};

/// Every example: folder under generated-examples/, input document, options.
fn examples() -> Vec<(&'static str, &'static str, Options)> {
    let runtime = Some(PathBuf::from("../../runtime"));
    vec![
        (
            "petstore",
            "specs/petstore.yaml",
            Options {
                crate_name: Some("petstore".into()),
                runtime_path: runtime.clone(),
                license: Some("MIT OR Apache-2.0".into()),
                repository: Some("https://github.com/sdkwright/sdkwright".into()),
                ..Options::default()
            },
        ),
        // Cut-down OpenAI chat schemas: discriminator tags from the members' own enums,
        // tri-state fields (e2e/tests/openai_chat.rs).
        (
            "openai-chat",
            "specs/openai-chat.yaml",
            Options {
                crate_name: Some("openai-chat".into()),
                runtime_path: runtime.clone(),
                ..Options::default()
            },
        ),
        (
            "countries",
            "specs/countries.graphql",
            Options {
                crate_name: Some("countries".into()),
                runtime_path: runtime.clone(),
                graphql_operations: vec![
                    PathBuf::from("specs/countries-queries.graphql"),
                    PathBuf::from("specs/countries-fragments.graphql"),
                ],
                graphql_scalars: vec!["BigInt=i64".into()],
                ..Options::default()
            },
        ),
        // Subscriptions (the runtime's `graphql-ws` feature), GET and persisted queries
        // (e2e/tests/graphql_ws.rs).
        (
            "ticker",
            "specs/ticker.graphql",
            Options {
                crate_name: Some("ticker".into()),
                runtime_path: runtime.clone(),
                graphql_operations: vec![PathBuf::from("specs/ticker-operations.graphql")],
                ..Options::default()
            },
        ),
        (
            "calculator",
            "specs/calculator.wsdl",
            Options {
                crate_name: Some("calculator".into()),
                runtime_path: runtime.clone(),
                ..Options::default()
            },
        ),
        // Hostile-but-valid documents (e2e/adversarial/make.py): their crates must compile, be
        // clippy- and rustdoc-clean, and hold no runnable doctest (e2e/tests/adversarial.rs).
        (
            "adversarial-openapi",
            "e2e/adversarial/openapi.json",
            Options {
                crate_name: Some("adversarial-openapi".into()),
                runtime_path: runtime.clone(),
                ..Options::default()
            },
        ),
        (
            "adversarial-graphql",
            "e2e/adversarial/graphql.graphql",
            Options {
                crate_name: Some("adversarial-graphql".into()),
                runtime_path: runtime.clone(),
                graphql_operations: vec![PathBuf::from(
                    "e2e/adversarial/graphql-operations.graphql",
                )],
                ..Options::default()
            },
        ),
        (
            "adversarial-wsdl",
            "e2e/adversarial/wsdl.wsdl",
            Options {
                crate_name: Some("adversarial-wsdl".into()),
                runtime_path: runtime,
                ..Options::default()
            },
        ),
    ]
}

#[test]
fn generated_examples_are_up_to_date() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // Paths in the options are recorded in the @generated headers: keep them repo-relative.
    std::env::set_current_dir(repo).unwrap();
    let bless = std::env::var_os("SDKWRIGHT_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, spec, options) in examples() {
        let out_dir = repo.join("generated-examples").join(name);
        let generator = Generator::new(spec).with_options(options);
        let output = generator
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Same input, same bytes.
        assert_eq!(
            generator.generate().unwrap().files,
            output.files,
            "{name}: output is not deterministic"
        );
        if bless {
            generator.write_crate(&out_dir).unwrap();
            continue;
        }
        for f in &output.files {
            let path = out_dir.join(&f.path);
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            if on_disk != f.contents {
                stale.push(path.display().to_string());
            }
        }
        // No file on disk that the generator no longer writes.
        let mut on_disk = Vec::new();
        collect_files(&out_dir, &out_dir, &mut on_disk);
        for rel in on_disk {
            if !output.files.iter().any(|f| f.path == rel) {
                stale.push(format!(
                    "{} (no longer generated)",
                    out_dir.join(rel).display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated examples are stale; run `SDKWRIGHT_BLESS=1 cargo test -p sdkwright --test examples`:\n{}",
        stale.join("\n")
    );
}

fn collect_files(root: &Path, dir: &Path, acc: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect_files(root, &path, acc);
        } else {
            acc.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}
