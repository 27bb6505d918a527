//! The whole pipeline up to printed files: bytes -> lowering -> analysis -> Rust tokens ->
//! prettyplease, and every printed `.rs` file must parse with `syn::parse_file`. The format is
//! chosen by content (see `Documents::detect`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkwright_fuzz::{on_stack, Documents};

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    on_stack(move || {
        let _ = Documents::detect(&data).generate();
    });
});
