//! Loads and lowers one OpenAPI or Swagger input, YAML or JSON (see `src/lib.rs` for how bytes become documents).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkwright::InputFormat;
use sdkwright_fuzz::{on_stack, Documents};

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    on_stack(move || Documents::new(InputFormat::Openapi, &data).check());
});
