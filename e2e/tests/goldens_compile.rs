//! The golden outputs compile, not only diff: `build.rs` generates every case of
//! generator/tests/golden/ (the inputs `generator/tests/golden.rs` checks against the expected
//! files) and includes each as a module here. Warnings are errors, so an unused import, a
//! deprecated use or a bad doc link in generated code fails this test's build; `cargo clippy
//! --all-targets -- -D warnings` (CI step 4) runs clippy's lints over the same code.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/goldens.rs"));

/// Every case folder was compiled: a case that build.rs skipped (or a new folder it does not
/// see) fails here, rather than passing untested.
#[test]
fn every_golden_case_is_compiled() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/golden");
    let mut on_disk: Vec<String> = std::fs::read_dir(&root)
        .expect("generator/tests/golden")
        .map(|e| e.expect("a golden case").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, CASES);
    assert!(CASES.len() >= 30, "only {} golden cases", CASES.len());
}
