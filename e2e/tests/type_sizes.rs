//! `size_of` of every type of the generated example crates (listed by build.rs from their
//! `src/types.rs`): generated types stay small, so a client runs on a default thread stack.
//!
//! `analysis/size.rs` boxes struct, union and JSON-value fields in a struct over 256 bytes and
//! union alternatives over 64 bytes; only a struct made of many strings and scalars can stay
//! larger. The bound here is for the examples; `scripts/type-sizes.sh` measures Stripe, GitHub
//! and Exchange EWS (docs/benchmarks.md).

// The petstore has deprecated types on purpose (`LegacyStatus`): measuring them is no use of them.
#![allow(deprecated)]

/// The largest size any example type may have.
const MAX: usize = 512;

const SIZES: &[(&str, &str, usize)] = include!(concat!(env!("OUT_DIR"), "/type_sizes.rs"));

#[test]
fn every_generated_type_is_small() {
    assert!(SIZES.len() > 100, "types listed: {}", SIZES.len());
    let mut sorted: Vec<_> = SIZES.to_vec();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.2));
    for (krate, name, size) in sorted.iter().take(5) {
        println!("{size:>6} B  {krate}::types::{name}");
    }
    let over: Vec<_> = sorted.iter().filter(|(_, _, s)| *s > MAX).collect();
    assert!(over.is_empty(), "types over {MAX} bytes: {over:?}");
}

#[test]
fn large_fields_and_alternatives_are_boxed() {
    let size = |name: &str| {
        SIZES
            .iter()
            .find(|(k, n, _)| *k == "openai-chat" && *n == name)
            .map(|r| r.2)
            .unwrap_or_else(|| panic!("{name} not listed"))
    };
    // Tool calls: two struct alternatives over 64 bytes and the JSON fallback, all boxed.
    assert_eq!(size("ChatCompletionMessageToolCallsItem"), 16);
    assert!(size("ChatCompletionMessageToolCall") > 64);
}
