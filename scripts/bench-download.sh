#!/usr/bin/env bash
# Prints peak RSS for a streamed download (default 1 GiB) through sdkwright-runtime's
# `ByteStream`, generated on the fly by a loopback server. A benchmark, not a test: it asserts
# only that every byte arrived.
#   bash scripts/bench-download.sh [BYTES]     BENCH_BUFFERED=1 also runs the buffered contrast
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bytes="${1:-1073741824}"
cargo build --release -q -p sdkwright-runtime --example bench_download
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/bench_download"
"$bin" "$bytes" stream
if [ "${BENCH_BUFFERED:-0}" = 1 ]; then
  "$bin" "$bytes" buffered
fi
