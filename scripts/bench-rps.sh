#!/usr/bin/env bash
# Requests per second: the generated petstore client vs the same request written by hand with
# reqwest, on loopback, in one run (runtime/examples/bench_rps.rs). A benchmark, not a test.
#
#   bash scripts/bench-rps.sh            # 20,000 requests per round, best of 5 rounds
#   BENCH_REQUESTS=50000 BENCH_ROUNDS=7 bash scripts/bench-rps.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench}"
cargo run --release -q -p sdkwright-runtime --example bench_rps
