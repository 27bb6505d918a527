//! Test fixture of `generator/tests/build_rs_fresh.rs`. The generated client needs the runtime
//! to compile, which would make the test build reqwest and tokio; the file's bytes are enough to
//! make the crate depend on what the build script wrote.

/// The file the build script generated, when it generated one.
#[cfg(fresh_generated)]
pub const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/tiny.rs"));
