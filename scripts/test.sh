#!/usr/bin/env bash
# The one command that runs every check of the repository, on a fresh machine as in CI.
#
#   scripts/test.sh
#
# Needs: a Rust toolchain (rust-version in Cargo.toml, with clippy), Node.js >= 20 with npm, curl,
# python3 with venv (for the SOAP peers spyne and zeep).
# Steps, in order; the first failure stops the run:
#   1. install   npm ci: the pinned Prism mock server into node_modules/ (package-lock.json);
#                scripts/python-env.sh: pinned spyne and zeep into target/pyenv
#   2. examples  generated-examples/ == what the generator emits now (generator/tests/examples.rs)
#   3. test      cargo test --workspace (e2e/ starts Prism itself on a free port); then
#                scripts/adversarial-doctests.sh: no doctest, no document code ran; then
#                scripts/ci-budget.sh: generated size and generation cost within their budgets
#   4. lint      cargo clippy --workspace --all-targets -- -D warnings
#   5. doc       cargo doc --workspace --no-deps with RUSTDOCFLAGS=-D warnings
#   6. publish   cargo publish --dry-run of the templates, the runtime and the generated petstore crate
#                (each is packaged and built from its package alone; the petstore's runtime
#                dependency is checked as the registry version it becomes); the generator is
#                packaged with `cargo package --no-verify`
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Each step prints how long the previous one took, so a slow CI run shows where its time went.
started=$SECONDS; last=$SECONDS; current=""
step() {
  if [ -n "$current" ]; then printf '(step %s took %d s)\n' "$current" $((SECONDS - last)); fi
  current="${1%% *}"; last=$SECONDS
  printf '\n==> %s\n' "$*"
}
run() { echo "+ $*"; "$@"; }

step "1/6 install: Prism (npm ci), spyne and zeep (scripts/python-env.sh)"
command -v npm >/dev/null || { echo "error: npm not found; install Node.js >= 20" >&2; exit 1; }
run npm ci --no-audit --no-fund
run node_modules/.bin/prism --version
run bash scripts/python-env.sh

step "2/6 examples: generated-examples/ is up to date"
run cargo test -p sdkwright --test examples

step "3/6 test: cargo test --workspace"
run cargo test --workspace
run bash scripts/adversarial-doctests.sh
# Uses the debug CLI the tests just built; seconds. Re-bless with --bless after an intended change.
run bash scripts/ci-budget.sh

step "4/6 lint: cargo clippy"
run cargo clippy --workspace --all-targets -- -D warnings

step "5/6 doc: cargo doc"
RUSTDOCFLAGS="${RUSTDOCFLAGS:-} -D warnings" run cargo doc --workspace --no-deps

step "6/6 publish: the generated crate packages and builds as a registry crate"
# cargo publish --dry-run of several packages resolves them from a temporary local registry and
# unpacks them under $CARGO_HOME/registry/src/<hash of that registry's path>/, but it reuses an
# unpacked copy left by an earlier run of the same checkout even when the sources changed since
# (it only looks for the .cargo-ok marker). A stale runtime there fails the petstore build with
# "cannot find type ... in module rt", so drop our packages' unpacked copies from every local
# registry first (the crates.io directories, index.*, are not touched).
for stale in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/sdkwright-*; do
  if [ -e "$stale" ]; then run rm -rf -- "$stale"; fi
done
# The runtime and the generated petstore are built from their packages (the petstore against the
# packaged runtime, as a user's registry build gets it). The generator is packaged (manifest,
# file list, its dependency on the packaged templates) but not built again from its package: that
# build recompiled about 100 dependencies under the package's own feature set, 80 s of the last
# run, for a crate whose sources `cargo test` has just compiled; its only file outside `src/`
# that the build reads, the templates, is its own crate `sdkwright-templates`, built above.
run cargo publish --dry-run --allow-dirty -p sdkwright-templates -p sdkwright-runtime -p petstore
run cargo package --no-verify --allow-dirty -p sdkwright-templates -p sdkwright

step "all checks passed"
echo "(all steps: $((SECONDS - started)) s)"
