#!/usr/bin/env bash
# Runs `cargo test --doc` on the crates generated from the hostile documents of e2e/adversarial/
# and proves that nothing from the documents ran: rustdoc must find no doctest at all (every code
# block of a description is a `text` fence), and the marker file the documents' code would write
# (before panicking) must not exist. e2e/tests/adversarial.rs checks the same doc comments
# statically with rustdoc's Markdown parser; `cargo test --workspace` runs these doctests too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

marker="${TMPDIR:-/tmp}/sdkwright-adversarial-doctest-ran"
rm -f "$marker"
crates=(adversarial-openapi adversarial-graphql adversarial-wsdl)
args=()
for c in "${crates[@]}"; do args+=(-p "$c"); done

if ! out="$(cargo test --doc "${args[@]}" 2>&1)"; then
    echo "$out"
    echo "FAIL: cargo test --doc failed" >&2
    exit 1
fi
echo "$out" | grep -E '^(running|test result)' || true
if echo "$out" | grep -qE '^running [1-9]'; then
    echo "FAIL: rustdoc found runnable doctests in the adversarial crates" >&2
    exit 1
fi
if [ -e "$marker" ]; then
    echo "FAIL: $marker exists: code from a document ran" >&2
    exit 1
fi
if [ "$(echo "$out" | grep -cE '^running 0 tests')" -ne "${#crates[@]}" ]; then
    echo "FAIL: expected one doctest run per crate" >&2
    exit 1
fi
echo "ok: ${#crates[@]} crates, 0 doctests, no marker"
