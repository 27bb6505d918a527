//! Lists every type of the generated example crates the tests depend on, for
//! `tests/type_sizes.rs`: `$OUT_DIR/type_sizes.rs` holds one `(crate, type, size_of)` row per
//! top-level `pub struct`, `pub enum` and `pub type` of each crate's `src/types.rs`, so a type
//! added to an example is measured without editing the test.

use std::fmt::Write as _;
use std::path::Path;

/// The example crates (folder under generated-examples/ = package name) e2e depends on.
const CRATES: &[&str] = &[
    "petstore",
    "openai-chat",
    "calculator",
    "countries",
    "adversarial-openapi",
    "adversarial-graphql",
    "adversarial-wsdl",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-examples");
    let mut out = String::from("&[\n");
    for krate in CRATES {
        let path = root.join(krate).join("src/types.rs");
        println!("cargo:rerun-if-changed={}", path.display());
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let lib = krate.replace('-', "_");
        for line in text.lines() {
            let Some(rest) = ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| line.strip_prefix(p))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
                .collect();
            if name.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "    ({krate:?}, {name:?}, ::std::mem::size_of::<{lib}::types::{name}>()),"
            );
        }
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("type_sizes.rs");
    std::fs::write(dest, out).expect("write type_sizes.rs");
}
