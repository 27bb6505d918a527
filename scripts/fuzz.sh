#!/usr/bin/env bash
# Fuzzing: builds and runs every cargo-fuzz target for a fixed time each and prints, per target,
# the executions, executions per second, corpus size and crashes found. Not part of the tests (too
# slow); exits non-zero when a target found a crash, a timeout or an out-of-memory input.
#
#   bash scripts/fuzz.sh                        every target (fuzz/ and runtime/fuzz/)
#   bash scripts/fuzz.sh pipeline decode_json   only these targets
#
# Targets: fuzz/ holds the generator's (load_openapi, load_graphql, load_wsdl: one loader each;
# pipeline: bytes to printed files, each of which must parse with syn), runtime/fuzz/ the runtime's
# response decoding (decode_*), when that folder exists.
#
# Environment:
#   FUZZ_SECONDS=60      time per target
#   FUZZ_MAX_LEN=65536   longest input libFuzzer makes (bytes); seed files are at most this long
#   FUZZ_WORK=DIR        corpora (kept and grown between runs), seeds and crash artifacts; default
#                        /work/targets/fuzz-work if /work/targets exists, else fuzz/target/work
#   FUZZ_TARGET_DIR=DIR  cargo target dir for the instrumented builds (default $FUZZ_WORK/target)
#   FUZZ_TOOLCHAIN=+nightly  use a nightly toolchain instead of RUSTC_BOOTSTRAP=1 on stable
#   FUZZ_SANITIZER=address  cargo-fuzz sanitizer. With `none` execution is about twice as fast,
#                        but a stack overflow is not reported as a crash: libFuzzer owns `main`,
#                        so Rust's overflow handler is not installed and the process just dies
#                        (the count below still shows it, without the input)
#   SDKWRIGHT_CORPUS     the OpenAPI folder of the shared corpus (default
#                        ../shared/specs-corpus/openapi; GraphQL and WSDL are its siblings)
#
# Tokens of each format are given to libFuzzer from fuzz/dicts/<target>.dict when there is one.
#
# Seeds are chosen at run time, never copied into the repository: the documents of specs/, the
# small documents of the shared corpus (at most FUZZ_MAX_LEN bytes; GraphQL seeds are a schema, a
# NUL byte and one of its query files, see fuzz/src/lib.rs), the kept crash inputs of
# generator/tests/fuzz_regressions/<target>/, and runtime/fuzz/seeds/<target>/.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz passes nightly-only codegen flags;
# on a stable toolchain RUSTC_BOOTSTRAP=1 allows them, which is what this script sets. A crash
# input is replayed with `cargo fuzz run TARGET FILE` (same environment), then kept as a
# regression test under generator/tests/fuzz_regressions/<target>/.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds="${FUZZ_SECONDS:-60}"
max_len="${FUZZ_MAX_LEN:-65536}"
sanitizer="${FUZZ_SANITIZER:-address}"
toolchain="${FUZZ_TOOLCHAIN:-}"
if [ -z "${FUZZ_WORK:-}" ]; then
  if [ -d /work/targets ]; then FUZZ_WORK=/work/targets/fuzz-work; else FUZZ_WORK="$root/fuzz/target/work"; fi
fi
work="$FUZZ_WORK"
mkdir -p "$work"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$work/target}"
[ -z "$toolchain" ] && export RUSTC_BOOTSTRAP=1

if ! cargo $toolchain fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 100
fi

# The shared corpus: ../shared next to the repository, or next to the main checkout of a worktree.
if [ -z "${SDKWRIGHT_CORPUS:-}" ]; then
  main="$(cd "$(git rev-parse --git-common-dir 2>/dev/null || echo .)/.." && pwd)"
  for c in "$root/../shared/specs-corpus/openapi" "$main/../shared/specs-corpus/openapi"; do
    [ -d "$c" ] && { SDKWRIGHT_CORPUS="$c"; break; }
  done
fi
corpus=""
if [ -n "${SDKWRIGHT_CORPUS:-}" ] && [ -d "$SDKWRIGHT_CORPUS" ]; then
  corpus="$(cd "$SDKWRIGHT_CORPUS/.." && pwd)"
else
  echo "note: shared corpus not found (set SDKWRIGHT_CORPUS); seeding from specs/ only" >&2
fi

# seed DEST FILE...: copies the files of at most max_len bytes into DEST, named after their path.
seed() {
  local dest="$1"; shift
  local f rel
  for f in "$@"; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le "$max_len" ] || continue
    rel="${f#"$root"/}"
    [ -n "$corpus" ] && rel="${rel/#"$corpus"/corpus}"
    cp "$f" "$dest/$(tr '/' '_' <<<"$rel")"
  done
}

seed_openapi() {
  seed "$1" specs/*.yaml specs/*.json specs/bad/*
  [ -n "$corpus" ] || return 0
  seed "$1" "$corpus"/openapi/*.yaml "$corpus"/openapi/*.json "$corpus"/openapi/oai-petstore-separate-2.0/*/*.yaml
}

seed_wsdl() {
  seed "$1" specs/*.wsdl
  [ -n "$corpus" ] || return 0
  local files
  mapfile -t files < <(find "$corpus/wsdl" -type f \( -name '*.wsdl' -o -name '*.xsd' \) | sort)
  seed "$1" "${files[@]}"
}

# GraphQL seeds: schema, NUL, one query document of that schema.
seed_graphql() {
  local dest="$1" schema q name
  { cat specs/countries.graphql; printf '\0'; cat specs/countries-queries.graphql; } > "$dest/specs_countries"
  [ -n "$corpus" ] || return 0
  for schema in "$corpus"/graphql/*.schema.graphql; do
    [ -f "$schema" ] || continue
    [ "$(stat -c %s "$schema")" -le "$max_len" ] || continue
    name="$(basename "$schema" .schema.graphql)"
    for q in "$corpus/graphql/queries/$name"/*.graphql; do
      [ -f "$q" ] || continue
      { cat "$schema"; printf '\0'; cat "$q"; } > "$dest/corpus_${name}_$(basename "$q")"
    done
  done
  # A schema alone is a valid input too.
  seed "$dest" "$corpus"/graphql/*.schema.graphql
}

# seeds_for TARGET DEST: fills DEST with the seeds of a target.
seeds_for() {
  local target="$1" dest="$2"
  rm -rf "$dest"; mkdir -p "$dest"
  case "$target" in
    load_openapi) seed_openapi "$dest" ;;
    load_graphql) seed_graphql "$dest" ;;
    load_wsdl) seed_wsdl "$dest" ;;
    pipeline) seed_openapi "$dest"; seed_wsdl "$dest"; seed_graphql "$dest" ;;
  esac
  local kept
  for kept in "generator/tests/fuzz_regressions/$target" "runtime/fuzz/seeds/$target" "runtime/fuzz/regressions/$target"; do
    [ -d "$kept" ] && cp "$kept"/* "$dest"/ 2>/dev/null
  done
  return 0
}

# Targets: name and the directory holding its fuzz/ folder.
declare -a names=() dirs=()
add_targets() {
  local dir="$1" fuzz_dir="$2" t
  [ -f "$fuzz_dir/Cargo.toml" ] || return 0
  while read -r t; do
    [ -n "$t" ] && { names+=("$t"); dirs+=("$dir"); }
  done < <(cd "$dir" && cargo $toolchain fuzz list 2>/dev/null)
}
add_targets "$root" fuzz
add_targets "$root/runtime" runtime/fuzz

declare -a wanted=("$@")
is_wanted() {
  [ "${#wanted[@]}" -eq 0 ] && return 0
  local w
  for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

declare -a rows=()
failed=0
for i in "${!names[@]}"; do
  target="${names[$i]}"; dir="${dirs[$i]}"
  is_wanted "$target" || continue
  echo "== $target (${dir#"$root"}/fuzz): building" >&2
  build() {
    (cd "$dir" && cargo $toolchain fuzz build -O -s "$sanitizer" "$target") >"$work/build-$target.log" 2>&1
    local rc=$?
    echo "exit status $rc" >>"$work/build-$target.log"
    return "$rc"
  }
  # Once seen: a build failing at once with no output right after another target's run; a second
  # attempt succeeded.
  if ! build && ! { sleep 2; build; }; then
    echo "   build failed, see $work/build-$target.log:" >&2
    tail -5 "$work/build-$target.log" | sed 's/^/     /' >&2
    rows+=("$target|build failed|-|-|-|-")
    failed=1
    continue
  fi
  corpus_dir="$work/corpus/$target"; seeds_dir="$work/seeds/$target"; artifacts="$work/artifacts/$target"
  mkdir -p "$corpus_dir" "$artifacts"
  seeds_for "$target" "$seeds_dir"
  before="$(find "$artifacts" -type f | sort)"
  echo "   running ${seconds}s with $(find "$seeds_dir" -type f | wc -l) seeds" >&2
  log="$work/run-$target.log"
  dict=()
  [ -f "$dir/fuzz/dicts/$target.dict" ] && dict=(-dict="$dir/fuzz/dicts/$target.dict")
  # Fork mode keeps fuzzing after a crash, timeout or OOM and records every one of them.
  (cd "$dir" && cargo $toolchain fuzz run -O -s "$sanitizer" "$target" "$corpus_dir" "$seeds_dir" -- \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" "${dict[@]}" >"$log" 2>&1)
  last="$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)"
  execs="$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")"
  rate="$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$last")"
  size="$(find "$corpus_dir" -type f | wc -l)"
  new="$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | grep -v '^$')"
  crashes="$(grep -c . <<<"$new")"
  [ -n "$new" ] || crashes=0
  # Fork mode counts the jobs that died, artifact or not: oom/timeout/crash: a/b/c.
  died="$(sed -nE 's/.*oom\/timeout\/crash: ([0-9]+)\/([0-9]+)\/([0-9]+).*/\1 \2 \3/p' <<<"$last" | awk '{print $1+$2+$3}')"
  [ "${died:-0}" -gt "$crashes" ] && crashes="$died"
  [ "$crashes" -gt 0 ] && failed=1
  rows+=("$target|${seconds}s|${execs:-?}|${rate:-?}|$size|$crashes")
  if [ -n "$new" ]; then
    echo "   new crash inputs:" >&2
    sed 's/^/     /' <<<"$new" >&2
  fi
done

printf '\n%-20s %8s %12s %8s %8s %8s\n' target time executions exec/s corpus crashes
for r in "${rows[@]}"; do
  IFS='|' read -r t s e x c k <<<"$r"
  printf '%-20s %8s %12s %8s %8s %8s\n' "$t" "$s" "$e" "$x" "$c" "$k"
done
echo
echo "corpora, logs and crash inputs: $work"
exit "$failed"
