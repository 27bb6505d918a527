//! Loads and lowers one GraphQL input, schema SDL plus operation documents (see `src/lib.rs` for how bytes become documents).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkwright::InputFormat;
use sdkwright_fuzz::{on_stack, Documents};

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    on_stack(move || Documents::new(InputFormat::Graphql, &data).check());
});
