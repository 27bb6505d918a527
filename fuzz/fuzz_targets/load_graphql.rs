//! Loads and lowers one GraphQL input, schema SDL plus operation documents (see `src/lib.rs` for how bytes become documents).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkwright::InputFormat;
use sdkwright_fuzz::Documents;

fuzz_target!(|data: &[u8]| {
    Documents::new(InputFormat::Graphql, data).check();
});
