//! `--templates DIR`: the user's crate-file templates replace the built-in ones, one by one.

use std::path::{Path, PathBuf};

use sdkwright::{Error, Generator};

fn petstore() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/petstore.yaml")
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sdkwright-templates-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn generator(dir: &Path) -> Generator {
    Generator::new(petstore())
        .crate_name("petstore")
        .templates(dir)
}

fn file<'a>(out: &'a sdkwright::Output, name: &str) -> &'a str {
    &out.files
        .iter()
        .find(|f| f.path == Path::new(name))
        .unwrap()
        .contents
}

#[test]
fn a_template_of_the_users_replaces_the_built_in_one() {
    let dir = scratch("override");
    std::fs::write(
        dir.join("Cargo.toml.j2"),
        "{{ header }}\n[package]\nname = {{ name }}\nversion = {{ version }}\nedition = \"2024\"\nlicense = \"Apache-2.0\"\npublish = [\"internal\"]\n\n[dependencies]\n{{ runtime_dep }}\n",
    )
    .unwrap();
    let out = generator(&dir).generate().unwrap();
    let cargo = file(&out, "Cargo.toml");
    assert!(cargo.contains("edition = \"2024\""), "{cargo}");
    assert!(cargo.contains("publish = [\"internal\"]"), "{cargo}");
    assert!(cargo.contains("sdkwright-runtime"), "{cargo}");
    // The other templates are still the built-in ones.
    let builtin = Generator::new(petstore())
        .crate_name("petstore")
        .generate()
        .unwrap();
    // (but for the regenerate command in the first line, which records `--templates`).
    let body = |s: &str| s.split_once('\n').unwrap().1.to_owned();
    assert_eq!(
        body(file(&out, "src/lib.rs")),
        body(file(&builtin, "src/lib.rs"))
    );
    assert!(out.files_read.iter().any(|p| p.ends_with("Cargo.toml.j2")));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_misnamed_template_is_a_located_warning() {
    let dir = scratch("misnamed");
    std::fs::write(dir.join("Cargo.toml.jinja"), "x").unwrap();
    let out = generator(&dir).generate().unwrap();
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "emit::unknown_template")
        .expect("a warning");
    assert!(d.to_string().contains("Cargo.toml.jinja"), "{d}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_template_is_an_error_at_its_line_and_nothing_is_written() {
    let dir = scratch("broken");
    std::fs::write(dir.join("README.md.j2"), "# {{ name }}\n\n{% if %}\n").unwrap();
    let out_dir = dir.join("out");
    let err = generator(&dir).write_crate(&out_dir).unwrap_err();
    let Error::Invalid { diagnostics } = &err else {
        panic!("{err}")
    };
    let loc = diagnostics[0].location.as_ref().unwrap();
    assert!(loc.file.ends_with("README.md.j2"));
    assert_eq!(loc.line, Some(3));
    assert!(!out_dir.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_template_cannot_read_files_nor_loop_forever() {
    let dir = scratch("hostile");
    std::fs::write(dir.join("lib.rs.j2"), "{% include \"/etc/passwd\" %}\n").unwrap();
    assert!(generator(&dir).generate().is_err());
    std::fs::write(
        dir.join("lib.rs.j2"),
        "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}x{% endfor %}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = generator(&dir).generate().unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{err}"
    );
    assert!(err.to_string().contains("fuel"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_reports_a_broken_template_as_generate_does() {
    let dir = scratch("check");
    std::fs::write(dir.join("README.md.j2"), "# {{ name }}\n\n{% if %}\n").unwrap();
    let err = generator(&dir).check().unwrap_err();
    let Error::Invalid { diagnostics } = &err else {
        panic!("{err}")
    };
    assert_eq!(diagnostics[0].code, "emit::template");
    let loc = diagnostics[0].location.as_ref().unwrap();
    assert!(loc.file.ends_with("README.md.j2"));
    assert_eq!(loc.line, Some(3));
    // A misnamed file is a warning `check` reports too; a good template passes.
    std::fs::write(dir.join("README.md.j2"), "# {{ name }}\n").unwrap();
    std::fs::write(dir.join("READ_ME.md.j2"), "x").unwrap();
    let warnings = generator(&dir).check().unwrap();
    assert!(
        warnings.iter().any(|d| d.code == "emit::unknown_template"),
        "{warnings:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
