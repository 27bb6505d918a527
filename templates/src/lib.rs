//! The crate-file templates of the sdkwright code generator, as text: see the README.
//!
//! Each constant is one [minijinja](https://docs.rs/minijinja) template; the variables it
//! receives are listed in sdkwright's docs/generated-code.md ("Your own templates").
#![forbid(unsafe_code)]

/// `Cargo.toml.j2`: the generated crate's manifest.
pub const CARGO_TOML: &str = include_str!("../Cargo.toml.j2");

/// `README.md.j2`: the generated crate's README.
pub const README_MD: &str = include_str!("../README.md.j2");

/// `lib.rs.j2`: the generated crate's `src/lib.rs` (crate docs, attributes, module list).
pub const LIB_RS: &str = include_str!("../lib.rs.j2");

/// Every template by the file name a `--templates` folder overrides it with.
pub const ALL: [(&str, &str); 3] = [
    ("Cargo.toml.j2", CARGO_TOML),
    ("README.md.j2", README_MD),
    ("lib.rs.j2", LIB_RS),
];
