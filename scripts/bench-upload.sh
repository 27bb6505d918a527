#!/usr/bin/env bash
# Prints peak RSS for a streamed upload (default 256 MiB) through sdkwright-runtime's
# `FilePart`: a sparse file of that size made in a temporary folder, sent to a loopback server
# that counts the bytes, as a binary body from its path, from a reader (a one-shot stream), and
# inside a multipart body. A benchmark, not a test: it asserts only that every byte arrived.
#   bash scripts/bench-upload.sh [BYTES]     BENCH_BUFFERED=1 also runs the read-whole contrast
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bytes="${1:-268435456}"
cargo build --release -q -p sdkwright-runtime --example bench_upload
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/bench_upload"
for mode in file reader multipart; do
  "$bin" "$bytes" "$mode"
done
if [ "${BENCH_BUFFERED:-0}" = 1 ]; then
  "$bin" "$bytes" buffered
fi
