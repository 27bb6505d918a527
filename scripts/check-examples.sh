#!/usr/bin/env bash
# Regenerates every crate under generated-examples/ with the current generator and fails if the
# committed copy differs (the generator changed its output, or someone edited generated code).
#
#   scripts/check-examples.sh           check (a diff is an error)
#   scripts/check-examples.sh --bless   overwrite generated-examples/ with fresh output
#
# Generation runs in a scratch directory laid out like the repository (specs/ linked in, output
# under generated-examples/NAME), so the command line recorded in each file's @generated header is
# the same as for the committed copy.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
bless=false
case "${1:-}" in
    "") ;;
    --bless) bless=true ;;
    *) echo "usage: $0 [--bless]" >&2; exit 2 ;;
esac

# name  spec (relative to the repository root)
EXAMPLES=(
    "petstore specs/petstore.yaml"
)

run() { echo "+ $*"; "$@"; }

run cargo build --manifest-path "$ROOT/Cargo.toml" -q -p sdkwright --bin sdkwright
SDKWRIGHT="$CARGO_TARGET_DIR/debug/sdkwright"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/sdkwright-examples.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
ln -s "$ROOT/specs" "$scratch/specs"
mkdir -p "$scratch/generated-examples"

status=0
for example in "${EXAMPLES[@]}"; do
    read -r name spec <<<"$example"
    out="generated-examples/$name"
    (cd "$scratch" && run "$SDKWRIGHT" generate "$spec" --out "$out" --name "$name" --runtime-path ../../runtime)
    if [[ ! -f "$scratch/$out/Cargo.toml" ]]; then
        echo "error: the generator wrote no $out/Cargo.toml" >&2
        exit 1
    fi
    if $bless; then
        run rm -rf "${ROOT:?}/$out"
        run mkdir -p "$(dirname "$ROOT/$out")"
        run cp -R "$scratch/$out" "$ROOT/$out"
    elif ! diff -ru --exclude=target --exclude=Cargo.lock "$ROOT/$out" "$scratch/$out"; then
        echo "error: $out is out of date with the generator; run scripts/check-examples.sh --bless and review the diff" >&2
        status=1
    else
        echo "ok: $out matches the generator's output"
    fi
done
exit $status
