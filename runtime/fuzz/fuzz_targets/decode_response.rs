//! `decode_response`: see `sdkwright_runtime::fuzz::decode_response` for what is exercised and checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    sdkwright_runtime::fuzz::decode_response(data);
});
