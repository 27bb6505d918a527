//! Generates from `$BUILD_RS_FRESH_DIR/spec/tiny.yaml` when that variable is set (only
//! generator/tests/build_rs_fresh.rs sets it); a plain workspace build does nothing here.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=BUILD_RS_FRESH_DIR");
    println!("cargo::rustc-check-cfg=cfg(fresh_generated)");
    let Some(dir) = std::env::var_os("BUILD_RS_FRESH_DIR") else {
        return;
    };
    let dir = Path::new(&dir);
    // Counts the runs of this script (the test reads it; no cargo input depends on it).
    let runs = dir.join("build-runs.txt");
    let before = std::fs::read_to_string(&runs).unwrap_or_default();
    if let Err(e) = std::fs::write(&runs, before + "run\n") {
        eprintln!("cannot count the run in {}: {e}", runs.display());
        std::process::exit(1);
    }
    let spec = dir.join("spec/tiny.yaml");
    if let Err(e) = sdkwright::Generator::new(spec)
        .crate_name("tiny")
        .build_rs()
    {
        eprintln!("{e}");
        std::process::exit(1);
    }
    println!("cargo:rustc-cfg=fresh_generated");
}
