#!/usr/bin/env bash
# Scale benchmarks: synthesises very large inputs, generates a client from each with the release
# CLI, and prints wall time and peak memory, then the `cargo check` time of the crates generated
# for the enum and the chains. Not a test: it asserts nothing, it measures.
#
#   bash scripts/bench-scale.sh              everything (about 10 minutes on 2 idle cores)
#   BENCH_SCALE_MB=10 bash scripts/bench-scale.sh   a smaller big document
#   BENCH_WORK=/tmp/scale bash scripts/bench-scale.sh   keep inputs and outputs there
#
# Inputs (scripts/bench-scale-synth.py): a string enum of 100,000 values; a 10,000-long chain of
# `$ref`s between components, and one across 10,000 files; an OpenAPI document of about 50 MB
# (many schemas and paths); a GraphQL schema of 5,000 types with one operation each; a WSDL of
# 5,000 operations. Peak RSS comes from GNU time (`/usr/bin/time -v`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release -q -p sdkwright
bin="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"
work="${BENCH_WORK:-$(mktemp -d)}"
mkdir -p "$work"
[ -n "${BENCH_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
synth="python3 $root/scripts/bench-scale-synth.py"
mb="${BENCH_SCALE_MB:-50}"

echo "sdkwright scale benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(rustc --version)"
echo "load: $(uptime | sed 's/.*load average/load average/')"
[ -x /usr/bin/time ] || echo "(GNU time missing: no peak memory; apt-get install time)"

t0=$(date +%s)
$synth enum 100000 "$work/enum.json"
$synth chain 10000 "$work/chain.json"
mkdir -p "$work/files" && $synth filechain 10000 "$work/files/root.json"
$synth big "$mb" "$work/big.json"
$synth graphql 5000 "$work/wide.graphql"
$synth wsdl 5000 "$work/big.wsdl"
echo "inputs synthesised in $(( $(date +%s) - t0 )) s into $work"
echo

printf '%-10s %10s %9s %9s %10s %9s  %s\n' input "size MB" "gen s" "peak MB" "out lines" warnings result
gen() { # name spec [extra args...]
  local name="$1" spec="$2"; shift 2
  local size out="$work/out-$name" log="$work/$name.log" tfile="$work/$name.time" status=ok
  size=$(du -sb "$spec" | cut -f1)
  [ "$name" = filechain ] && size=$(du -sb "$(dirname "$spec")" | cut -f1)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %M' -o "$tfile" "$bin" generate "$spec" --out "$out" --name "scale-$name" \
      --runtime-path "$root/runtime" "$@" 2>"$log" || status="FAILED (exit $?)"
  else
    local s; s=$(date +%s.%N)
    "$bin" generate "$spec" --out "$out" --name "scale-$name" --runtime-path "$root/runtime" "$@" \
      2>"$log" || status="FAILED (exit $?)"
    echo "$(python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.2f}')" "$s" "$(date +%s.%N)") 0" >"$tfile"
  fi
  local secs kb lines=0
  read -r secs kb < <(tail -n1 "$tfile")
  [ -d "$out/src" ] && lines=$(cat "$out"/src/*.rs | wc -l)
  printf '%-10s %10.1f %9s %9d %10d %9d  %s\n' "$name" "$(echo "$size / 1000000" | bc -l)" "$secs" \
    $(( kb / 1024 )) "$lines" "$(grep -c '^warning' "$log" || true)" "$status"
  grep -m1 '^warning\[rust::enum_too_large\]' "$log" | sed 's/^/           /' || true
}
gen enum "$work/enum.json"
gen chain "$work/chain.json"
gen filechain "$work/files/root.json"
gen big "$work/big.json"
gen graphql "$work/wide.graphql" --operations "$work/wide.graphql.ops.graphql"
gen wsdl "$work/big.wsdl"
echo

# cargo check of the generated crates, dependencies built first into their own target dir.
export CARGO_TARGET_DIR="$work/target"
check() { # name
  local dir="$work/out-$1" s
  [ -d "$dir" ] || { echo "cargo check $1: no crate"; return; }
  s=$(date +%s.%N)
  if cargo check -q --manifest-path "$dir/Cargo.toml" 2>"$work/$1.check.log"; then
    echo "cargo check $1: $(python3 -c "import sys; print(f'{float(sys.argv[2])-float(sys.argv[1]):.1f}')" "$s" "$(date +%s.%N)") s ($(grep -c '^warning' "$work/$1.check.log" || true) warnings)"
  else
    echo "cargo check $1: FAILED ($(grep -c '^error' "$work/$1.check.log" || true) errors; see $work/$1.check.log)"
  fi
}
[ -d "$work/out-chain" ] && cargo check -q --manifest-path "$work/out-chain/Cargo.toml" >/dev/null 2>&1 || true
touch "$work/out-chain/src/lib.rs" 2>/dev/null || true
for c in enum chain filechain; do check "$c"; done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
