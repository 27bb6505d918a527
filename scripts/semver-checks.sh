#!/usr/bin/env bash
# Cross-checks `sdkwright semver OLD NEW` with cargo-semver-checks (not part of CI: it needs
# cargo-semver-checks installed, `cargo install cargo-semver-checks --locked`, and compiles
# both generated crates' rustdoc JSON).
#
# Generates one crate from each document (same crate name, same version), then prints
# sdkwright's report and cargo-semver-checks' verdict on the same pair. sdkwright's report
# should find at least every breaking change cargo-semver-checks finds (cargo-semver-checks has
# no lint for some, e.g. a changed field type; sdkwright lists those too).
#
# Usage: scripts/semver-checks.sh OLD NEW [generate options…]
#        scripts/semver-checks.sh specs/petstore.yaml /tmp/petstore-v2.yaml
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
old="$(realpath "$1")"
new="$(realpath "$2")"
shift 2
command -v cargo-semver-checks >/dev/null || {
    echo "cargo-semver-checks is not installed: cargo install cargo-semver-checks --locked" >&2
    exit 2
}
work="$(mktemp -d "${TMPDIR:-/tmp}/sdkwright-semver-checks.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$work/target}"

cargo build -q -p sdkwright --manifest-path "$root/Cargo.toml"
bin="$CARGO_TARGET_DIR/debug/sdkwright"
for side in old new; do
    doc="$old"
    [ "$side" = new ] && doc="$new"
    "$bin" generate "$doc" --out "$work/$side" --name semver-subject --crate-version 1.0.0 \
        --runtime-path "$root/runtime" "$@" 2>/dev/null
    # Outside the repository's workspace.
    printf '\n[workspace]\n' >>"$work/$side/Cargo.toml"
done

echo "== sdkwright semver"
"$bin" semver "$work/old" "$work/new" --current-version 1.0.0 --next-version 1.1.0 || true
echo
echo "== cargo semver-checks (baseline: the crate from OLD)"
(cd "$work/new" && cargo semver-checks check-release --baseline-root "$work/old" --release-type minor) || true
