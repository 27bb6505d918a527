//! Generates the petstore client into `$OUT_DIR/petstore.rs` on every build whose inputs changed.

fn main() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../specs/petstore.yaml");
    if let Err(e) = sdkwright::Generator::new(spec)
        .crate_name("petstore")
        .build_rs()
    {
        // The error lists every diagnostic with file, line and column.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
