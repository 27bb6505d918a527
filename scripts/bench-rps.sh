#!/usr/bin/env bash
# Requests per second: the generated petstore client vs the same request written by hand with
# reqwest, on loopback, in one run (runtime/examples/bench_rps.rs). A benchmark, not a test.
#
#   bash scripts/bench-rps.sh                 # 20,000 requests per round, best of 5 rounds, c=1 and c=32
#   BENCH_REQUESTS=50000 BENCH_ROUNDS=7 BENCH_CONCURRENCY=32 bash scripts/bench-rps.sh
#   bash scripts/bench-rps.sh --instructions  # instructions per request (callgrind), load-independent
#   bash scripts/bench-rps.sh --cache         # and simulated cache misses per request, c=1 and c=32
#
# Each line gives both sides' req/s, their ratio (goal: generated >= 0.95x hand-written) and the
# load average when the line was printed, then the CPU time per request of the client's and the
# server's runtime threads (median of rounds; far less moved by load than req/s); wall-clock figures mean something only on a quiet
# machine (load average well below the number of cores).
#
# --instructions: each side alone under `valgrind --tool=callgrind` (one request at a time),
# for N1 and N2 requests; (Ir(N2) - Ir(N1)) / (N2 - N1) is what one request costs, start-up and
# warm-up cancelled out. Client and in-process server are both counted (the server's share is
# the same on both sides). Also the runtime path without the generated crate
# (runtime/examples/bench_rps_runtime.rs). Deterministic to about 0.1 %, whatever the load.
#
# --cache: the generated client and the hand-written side under `callgrind --cache-sim=yes`
# (valgrind's model of this machine's caches), at concurrency 1 and 32, the same N2 - N1
# difference: instructions, data reads and writes, and first-level instruction and data misses
# per request. Instruction counts at parity can still leave a CPU gap: code spread over more
# cache lines, or memory touched per call, cost misses (deterministic: the run is serialised).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench}"

if [ "${1:-}" != "--instructions" ] && [ "${1:-}" != "--cache" ]; then
  cargo run --release -q -p sdkwright-runtime --example bench_rps
  exit 0
fi

command -v valgrind >/dev/null || { echo "valgrind is needed for --instructions" >&2; exit 1; }
cargo build --release -q -p sdkwright-runtime --example bench_rps --example bench_rps_runtime
bin="$CARGO_TARGET_DIR/release/examples"
n1="${BENCH_N1:-1000}"
n2="${BENCH_N2:-3000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$1" = "--cache" ]; then
  # The summary line of a cache-simulated run of side $1 at concurrency $2 with $3 requests:
  # Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw.
  sim() {
    BENCH_ONLY="$1" BENCH_CONCURRENCY="$2" BENCH_ROUNDS=1 BENCH_REQUESTS="$3" \
      valgrind --tool=callgrind --cache-sim=yes --callgrind-out-file="$tmp/cs" "$bin/bench_rps" \
      >/dev/null 2>"$tmp/log"
    sed -n 's/^summary: //p' "$tmp/cs"
  }
  echo "per request (callgrind --cache-sim=yes, client + in-process server, $n1 vs $n2 requests; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  for c in 1 32; do
    for side in generated hand; do
      # Requests actually made: a multiple of the concurrency.
      a="$(sim "$side" "$c" "$n1")"
      b="$(sim "$side" "$c" "$n2")"
      awk -v a="$a" -v b="$b" -v n=$(((n2 / c - n1 / c) * c)) -v side="$side" -v c="$c" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        printf "  c=%-2d %-9s Ir %6.0f  Dr %6.0f  Dw %6.0f  I1 misses %5.0f  D1 read misses %4.0f  D1 write misses %4.0f\n",
          c, side, (y[1]-x[1])/n, (y[2]-x[2])/n, (y[3]-x[3])/n, (y[4]-x[4])/n, (y[5]-x[5])/n, (y[6]-x[6])/n
      }'
    done
  done
  exit 0
fi

# Instructions of one run of example $1 with BENCH_ONLY=$2 and $3 requests.
ir() {
  BENCH_ONLY="$2" BENCH_CONCURRENCY=1 BENCH_ROUNDS=1 BENCH_REQUESTS="$3" \
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$bin/$1" >/dev/null 2>"$tmp/log"
  sed -n 's/^==[0-9]*== Collected : //p' "$tmp/log"
}

per_request() {
  local a b
  a="$(ir "$1" "$2" "$n1")"
  b="$(ir "$1" "$2" "$n2")"
  echo $(((b - a) / (n2 - n1)))
}

echo "instructions per request (callgrind, client + in-process server, $n1 vs $n2 requests; load average $(cut -d' ' -f1-3 /proc/loadavg))"
gen="$(per_request bench_rps generated)"
hand="$(per_request bench_rps hand)"
rt="$(per_request bench_rps_runtime runtime)"
hand_rt="$(per_request bench_rps_runtime hand)"
awk -v g="$gen" -v h="$hand" -v r="$rt" -v hr="$hand_rt" 'BEGIN {
  printf "  generated petstore client %7d, by hand %7d, ratio %.3f\n", g, h, g / h
  printf "  runtime path              %7d, by hand %7d, ratio %.3f\n", r, hr, r / hr
}'
