#!/usr/bin/env bash
# Cold `cargo build` time of a crate that generates its client in build.rs
# (examples/build-rs-consumer), with the generator's `cli` feature off (what the example
# does: `default-features = false`) and on (the default features: clap and similar too).
#
# Each build starts from an empty CARGO_TARGET_DIR in a scratch copy of the example outside
# the workspace (same build.rs, same sources, the workspace's Cargo.lock for the same
# versions), so nothing is shared between the two. Registry crates must be in cargo's cache
# (any earlier build of the workspace fetched them); `--offline` is tried first.
#
# Usage: scripts/bench-buildrs.sh            (prints both figures; ~2x a cold build)
#        BENCH_JOBS=2 scripts/bench-buildrs.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/sdkwright-bench-buildrs.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
jobs="${BENCH_JOBS:-$(nproc)}"

make_crate() { # $1 = folder, $2 = the sdkwright dependency's extra keys
    local dir="$1"
    mkdir -p "$dir/src"
    cp "$root/examples/build-rs-consumer/src/"*.rs "$dir/src/"
    sed "s#concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../../specs/petstore.yaml\")#\"$root/specs/petstore.yaml\"#" \
        "$root/examples/build-rs-consumer/build.rs" >"$dir/build.rs"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "build-rs-consumer-bench"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
sdkwright-runtime = { path = "$root/runtime" }

[build-dependencies]
sdkwright = { path = "$root/generator"$2 }

[workspace]
EOF
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

build() { # $1 = label, $2 = folder
    local dir="$2" target="$2/target" start end
    rm -rf "$target"
    # Fetching (when the cache lacks something) is not part of the figure.
    (cd "$dir" && cargo fetch --offline -q 2>/dev/null || cargo fetch -q)
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 \
        cargo build --offline -q -j "$jobs" 2>"$dir/build.log") || {
        cat "$dir/build.log" >&2
        exit 1
    }
    end=$(date +%s.%N)
    local n
    n=$(find "$target/debug/deps" -name '*.rlib' | wc -l)
    awk -v l="$1" -v s="$start" -v e="$end" -v n="$n" \
        'BEGIN { printf "%-28s %6.1f s  (%d crates compiled)\n", l, e - s, n }'
    rm -rf "$target"
}

make_crate "$scratch/off" ", default-features = false"
make_crate "$scratch/on" ""
echo "cold cargo build of a build.rs consumer (petstore), -j $jobs, $(nproc) cores:"
build "cli feature off (build.rs)" "$scratch/off"
build "cli feature on (defaults)" "$scratch/on"
