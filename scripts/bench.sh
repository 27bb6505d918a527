#!/usr/bin/env bash
# Prints generation and compile figures. Not a test: it asserts nothing, it measures.
#   bash scripts/bench.sh            petstore + the Stripe and GitHub documents from ../shared
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${SDKWRIGHT_CORPUS:-$root/../shared/specs-corpus/openapi}"
cd "$root"
cargo build --release -q -p sdkwright
bin="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

secs() { python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.2f}')" "$1"; }

gen() { # name spec
  local name="$1" spec="$2" t0
  t0=$(python3 -c 'import time; print(time.time())')
  if "$bin" generate "$spec" --out "$work/$name" --name "$name" --runtime-path "$root/runtime" 2>"$work/$name.log"; then
    local lines
    lines=$(cat "$work/$name"/src/*.rs | wc -l)
    echo "generate $name: $(secs "$t0") s, $lines lines, $(grep -c '^warning' "$work/$name.log" || true) warnings"
  else
    echo "generate $name: FAILED after $(secs "$t0") s ($(grep -c '^error' "$work/$name.log" || true) errors; first: $(grep -m1 '^error' "$work/$name.log" || true))"
    return 1
  fi
}

check() { # name
  local t0
  t0=$(python3 -c 'import time; print(time.time())')
  if CARGO_TARGET_DIR="$work/target" cargo check -q --manifest-path "$work/$1/Cargo.toml" 2>"$work/$1.check.log"; then
    echo "cargo check $1: $(secs "$t0") s (warnings: $(grep -c '^warning' "$work/$1.check.log" || true))"
  else
    echo "cargo check $1: FAILED after $(secs "$t0") s ($(grep -c '^error' "$work/$1.check.log") errors)"
  fi
}

gen petstore specs/petstore.yaml && {
  # Warm the dependency build once so the figure is the generated crate alone.
  CARGO_TARGET_DIR="$work/target" cargo check -q --manifest-path "$work/petstore/Cargo.toml" 2>/dev/null || true
  touch "$work/petstore/src/lib.rs"
  check petstore
}
for doc in stripe:stripe-spec3-2023-09-3.0.yaml github:github-api.github.com-3.0-progenitor-snapshot.json; do
  name="${doc%%:*}"; file="$corpus/${doc#*:}"
  if [ -f "$file" ]; then
    gen "$name" "$file" && { [ "${BENCH_CHECK_LARGE:-0}" = 1 ] && check "$name" || true; }
  else
    echo "skip $name: $file not found"
  fi
done
