//! `decode_soap`: see `sdkwright_runtime::fuzz::decode_soap` for what is exercised and checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    sdkwright_runtime::fuzz::decode_soap(data);
});
