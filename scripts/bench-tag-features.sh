#!/usr/bin/env bash
# What per-tag cargo features (`--tag-features`) save: `cargo check` of a generated crate with all
# its features, with one, and with none, beside the whole crate generated without the option and
# a crate cut to that one group by `--include` (the best a one-feature build could do). Each
# check is non-incremental (CARGO_INCREMENTAL=0) with warm dependencies (built first with an
# empty lib.rs), and must give 0 warnings (a warning or error fails the script). Figures are CPU
# time (user+sys of cargo and rustc, GNU time) and peak RSS, which load moves less than wall time;
# the load average is printed beside each.
#
#   bash scripts/bench-tag-features.sh                       # Stripe `customers`, GitHub `repos` and `gists`
#   BENCH_CASES="github:issues" bash scripts/bench-tag-features.sh
#   BENCH_CLIPPY=1 bash scripts/bench-tag-features.sh        # also `cargo clippy -- -D warnings` of each build
#
# BENCH_CASES: space-separated DOC:GROUP (DOC: stripe or github; GROUP: a tag, or for Stripe the
# path group, i.e. the first word of the path after /v1/). BENCH_WORK (default a fresh
# `mktemp -d`) holds the crates and their target dir (several GB for Stripe); SDKWRIGHT_CORPUS
# the corpus's openapi/ folder; BENCH_SDKWRIGHT a sdkwright binary (default: built, release).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${SDKWRIGHT_CORPUS:-$root/../shared/specs-corpus/openapi}"
work="${BENCH_WORK:-$(mktemp -d)}"
cases="${BENCH_CASES:-stripe:customers github:repos github:gists}"
mkdir -p "$work"
target="$work/target"
timev=/usr/bin/time
[ -x "$timev" ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

if [ -n "${BENCH_SDKWRIGHT:-}" ]; then
  sdkwright="$BENCH_SDKWRIGHT"
else
  (cd "$root" && cargo build --release -q -p sdkwright) || exit 1
  sdkwright="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"
fi

doc_file() {
  case "$1" in
    stripe) echo "$corpus/stripe-spec3-2023-09-3.0.yaml" ;;
    github) echo "$corpus/github-api.github.com-3.0-progenitor-snapshot.json" ;;
    *) echo "" ;;
  esac
}
# The --include patterns that keep one group: a tag, or Stripe's path group.
include_args() {
  case "$1" in
    stripe) echo "--include path:/v1/$2 --include path:/v1/$2/**" ;;
    *) echo "--include tag:$2" ;;
  esac
}

failed=0
# check NAME DIR [cargo args]: one timed, non-incremental check; prints a table row.
check() {
  local label="$1" dir="$2"; shift 2
  touch "$dir/src/lib.rs"
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 "$timev" -v -o "$dir.time" \
    cargo check --offline --lib --manifest-path "$dir/Cargo.toml" --message-format short "$@" \
    >"$dir.log" 2>&1
  local rc=$?
  local cpu peak warns
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u + s}' "$dir.time")
  peak=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$dir.time")
  warns=$(grep -c ': warning\|^warning' "$dir.log")
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$cpu" "$peak" "$warns" "$load"
  if [ "$rc" != 0 ] || [ "$warns" != 0 ]; then
    failed=1; echo "  (exit $rc; see $dir.log)"
  fi
  if [ "${BENCH_CLIPPY:-0}" = 1 ]; then
    if ! CARGO_TARGET_DIR="$target" cargo clippy --offline -q --lib --manifest-path "$dir/Cargo.toml" \
      "$@" -- -D warnings >"$dir.clippy" 2>&1; then
      failed=1; echo "  clippy: see $dir.clippy"
    fi
  fi
}
# gen NAME SPEC [args]: a crate in $work/NAME with the workspace's lock file (the same versions).
gen() {
  local name="$1" spec="$2"; shift 2
  rm -rf "${work:?}/$name"
  "$sdkwright" generate "$spec" --out "$work/$name" --name "tf-$name" --runtime-path "$root/runtime" "$@" \
    >"$work/$name.gen" 2>&1 || { echo "generation of $name failed: $work/$name.gen"; exit 1; }
  cp "$root/Cargo.lock" "$work/$name/"
}

echo "per-tag features, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(rustc --version)"
echo
echo "| crate | cargo check CPU s | peak MB | warnings | load (1, 5, 15 min) |"
echo "|---|---|---|---|---|"
warmed=""
for c in $cases; do
  doc="${c%%:*}" group="${c#*:}"
  spec="$(doc_file "$doc")"
  [ -f "$spec" ] || { echo "skip $c: no document ($spec)"; continue; }
  if [[ " $warmed " != *" $doc "* ]]; then
    gen "$doc-whole" "$spec"
    gen "$doc-features" "$spec" --tag-features
    # Dependencies once, with an empty lib.rs standing in for the crate.
    d="$work/$doc-whole"
    mv "$d/src" "$d/src.bench" && mkdir "$d/src" && : >"$d/src/lib.rs"
    CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 cargo check --offline -q --lib --manifest-path "$d/Cargo.toml" \
      >"$work/deps.log" 2>&1 || { echo "dependencies do not build: $work/deps.log"; exit 1; }
    rm -rf "$d/src" && mv "$d/src.bench" "$d/src"
    check "$doc, whole crate (no option)" "$d"
    check "$doc, --tag-features, all (default)" "$work/$doc-features"
    check "$doc, --tag-features, none" "$work/$doc-features" --no-default-features
    warmed="$warmed $doc"
  fi
  # shellcheck disable=SC2046
  gen "$doc-only-$group" "$spec" $(include_args "$doc" "$group")
  check "$doc, cut to \`$group\` by --include" "$work/$doc-only-$group"
  check "$doc, --tag-features, \`$group\` only" "$work/$doc-features" --no-default-features --features "$group"
done
echo
echo "work: $work"
exit "$failed"
