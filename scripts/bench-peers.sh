#!/usr/bin/env bash
# Compares sdkwright with its peers on the same documents, in one run, and prints one table.
# Not a test: it asserts nothing, it measures and prints. It never stops on a peer's failure.
#
#   bash scripts/bench-peers.sh [--quick] [--no-check] [--no-incr] [--no-release] [--write] [--install]
#
#   --quick       only specs/petstore.yaml and oxide-nexus 3.0 (a few minutes)
#   --no-check    generation only (no `cargo check`, no release build)
#   --no-incr     skip the incremental re-checks
#   --no-release  skip `cargo build --release` (of the BENCH_RELEASE_DOCS crates)
#   --write       also replace the marked section of docs/benchmarks.md with the table
#   --install     also `apt-get install time` when missing
#   --report DIR  only print (and with --write, write) the tables of an earlier run's BENCH_WORK,
#                 also of a run that was stopped half-way (what it measured so far)
#
# Generators (peers are installed into target/peers/ on first use; nothing is installed globally):
#   sdkwright         this checkout, release build
#   ploidy            ploidy 0.15.0 (cargo install --locked --root target/peers), `ploidy generate rust`
#   openapi-to-rust   openapi-to-rust 0.23.0 (cargo install --locked --root target/peers); it writes
#                     src/generated/ and REQUIRED_DEPS.toml, so this script wraps them into a crate
#                     (edition 2024, the dependencies it asks for); only its files are counted
#   progenitor        cargo-progenitor 0.15.1 (cargo install --locked --root target/peers)
#   openapi-generator openapi-generator-cli 7.26.0 from PyPI in target/peers/venv, on the machine's Java,
#                     `-g rust --library reqwest`
#
# What is measured (every timed step runs BENCH_RUNS times, interleaved across generators:
# run 1 of every generator, then run 2, ...; min and median are reported):
#   gen     wall time of one generation, and its peak RSS (GNU time)
#   lines   lines of Rust written, and lines per operation (operations counted in the document)
#   check   `cargo check` of the generated crate alone, non-incremental (CARGO_INCREMENTAL=0, as CI
#           builds): dependencies are built first (with an empty lib.rs in place of the crate's own
#           sources), then src/lib.rs is touched before each timed check; peak RSS of that check
#   incr    the incremental re-check: CARGO_INCREMENTAL=1, one untimed check fills the cache, then
#           touch + check; reported on its own, never set against a non-incremental figure
#   release `cargo build --release` of the crates of BENCH_RELEASE_DOCS (dependencies warm, touch
#           first): wall and CPU time (user + system, GNU time), peak RSS, and the size of the crate's
#           .rlib
#   ratios  a peer's time divided by sdkwright's, per peer and for the best peer (above 1: sdkwright
#           is faster), for each measure
#   floor   the parse floor of each document, measured in the same run just before each of
#           sdkwright's generations: `sdkwright parse-floor DOC` (a hidden command) reads the file and
#           parses it into a value with the crates sdkwright's loader uses (serde_json, serde_norway),
#           on one thread, and does nothing else; its CPU time (user + system) and wall time under
#           GNU time, set beside sdkwright's generation (CPU and wall) as gen / floor (issue 10: within
#           3x). Process start and exit are in both figures.
#
# Environment:
#   BENCH_DOCS          documents by name (petstore oai-petstore oxide-nexus github stripe);
#                       default: petstore oxide-nexus github stripe
#   BENCH_GENERATORS    default: sdkwright ploidy openapi-to-rust progenitor openapi-generator
#   BENCH_RUNS          runs of each timed step (default 3)
#   BENCH_RUNS_LARGE    runs of the checks and release builds of github and stripe (default 1:
#                       each takes minutes); generation always uses BENCH_RUNS
#   BENCH_CHECK_DOCS    the documents whose crates are checked (default: all of BENCH_DOCS; `none`: none)
#   BENCH_RELEASE_DOCS  the documents whose crates are built with --release (default: github)
#   BENCH_INCR_DOCS     the documents whose crates are re-checked incrementally (default: all)
#   BENCH_CHECK_GENERATORS  the generators whose crates are checked and built (default: all)
#   BENCH_PEERS         where peers are installed (default target/peers of this checkout or, when
#                       it has none, of the main checkout of this worktree)
#   BENCH_WORK          scratch dir for outputs and logs (default a fresh mktemp -d, kept at the end)
#   BENCH_TARGET        target dir for the generated crates (default $BENCH_WORK/target)
#   SDKWRIGHT_CORPUS    default ../shared/specs-corpus/openapi (also tried one level up)
#   CARGO_TARGET_DIR    for building sdkwright itself
#   BENCH_SDKWRIGHT     a sdkwright binary to use instead of building this checkout's (release)
#   BENCH_GEN_TIMEOUT, BENCH_CHECK_TIMEOUT   seconds (default 900, 1800)
set -uo pipefail

quick=0 check=1 incr=1 release=1 write=0 install=0 rerender=""
prev=""
for a in "$@"; do
  if [ "$prev" = --report ]; then rerender="$a"; prev=""; continue; fi
  prev="$a"
  case "$a" in
    --report) ;;
    --quick) quick=1 ;;
    --no-check) check=0 ;;
    --no-incr) incr=0 ;;
    --no-release) release=0 ;;
    --write) write=1 ;;
    --install) install=1 ;;
    -h|--help) sed -n '2,50p' "$0"; exit 0 ;;
    *) echo "bench-peers.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
if [ -n "$rerender" ]; then
  [ -f "$rerender/outcome.tsv" ] || { echo "bench-peers.sh: $rerender holds no bench-peers results" >&2; exit 2; }
  export BENCH_WORK="$rerender"
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ -n "${SDKWRIGHT_CORPUS:-}" ]; then
  corpus="$SDKWRIGHT_CORPUS"
else
  corpus="$root/../shared/specs-corpus/openapi"
  [ -d "$corpus" ] || corpus="$root/../../shared/specs-corpus/openapi"   # from a worktree under wt/
fi
# Peers are binaries: a worktree uses the main checkout's target/peers when it has none of its own,
# rather than installing them again (minutes) into its own.
peers="${BENCH_PEERS:-$root/target/peers}"
if [ -z "${BENCH_PEERS:-}" ] && [ ! -d "$peers/bin" ]; then
  common="$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)"
  [ -n "$common" ] && [ -d "$(dirname "$common")/target/peers/bin" ] && peers="$(dirname "$common")/target/peers"
fi
work="${BENCH_WORK:-$(mktemp -d /tmp/bench-peers.XXXXXX)}"
mkdir -p "$work/logs" "$work/gen"
work="$(cd "$work" && pwd)"
target="${BENCH_TARGET:-$work/target}"
runs="${BENCH_RUNS:-3}"
runs_large="${BENCH_RUNS_LARGE:-1}"
gen_timeout="${BENCH_GEN_TIMEOUT:-900}"
check_timeout="${BENCH_CHECK_TIMEOUT:-1800}"
if [ -n "${BENCH_DOCS:-}" ]; then
  read -r -a doc_names <<<"$BENCH_DOCS"
elif [ "$quick" = 1 ]; then
  doc_names=(petstore oxide-nexus)
else
  doc_names=(petstore oxide-nexus github stripe)
fi
read -r -a generators <<<"${BENCH_GENERATORS:-sdkwright ploidy openapi-to-rust progenitor openapi-generator}"
gen_tsv="$work/gen.tsv" outcome_tsv="$work/outcome.tsv" check_tsv="$work/check.tsv" docs_tsv="$work/docs.tsv"
floor_tsv="$work/floor.tsv"
[ -n "$rerender" ] || { : >"$gen_tsv"; : >"$outcome_tsv"; : >"$check_tsv"; : >"$docs_tsv"; : >"$floor_tsv"; }

say() { echo "bench-peers [$(date -u +%H:%M:%S)]: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before="$(load)" sw_version="?"
wanted() { local g; for g in "${generators[@]}"; do [ "$g" = "$1" ] && return 0; done; return 1; }

if [ -z "$rerender" ]; then   # everything up to the tables is skipped by --report
# ---- tools and peers ----------------------------------------------------------------------------
timev=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  timev=/usr/bin/time
elif [ "$install" = 1 ]; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y time >"$work/logs/install-time.log" 2>&1 && timev=/usr/bin/time
fi
[ -n "$timev" ] || say "no GNU time (/usr/bin/time -v): peak RSS is not measured (--install gets it)"

cargo_peer() { # $1 = crate, $2 = version: cargo install into target/peers, logged, never fatal
  say "installing $1 $2 into $peers (minutes)"
  nice env -u CARGO_TARGET_DIR cargo install "$1" --version "$2" --locked --root "$peers" \
    >"$work/logs/install-$1.log" 2>&1 || say "could not install $1 (see $work/logs/install-$1.log): reported as not installed"
}
ploidy="$peers/bin/ploidy"
o2r="$peers/bin/openapi-to-rust"
progenitor="$peers/bin/cargo-progenitor"
oag="$peers/venv/bin/openapi-generator-cli"
wanted ploidy && [ ! -x "$ploidy" ] && cargo_peer ploidy 0.15.0
wanted openapi-to-rust && [ ! -x "$o2r" ] && cargo_peer openapi-to-rust 0.23.0
wanted progenitor && [ ! -x "$progenitor" ] && cargo_peer cargo-progenitor 0.15.1
if wanted openapi-generator && [ ! -x "$oag" ]; then
  say "installing openapi-generator-cli 7.26.0 into $peers/venv"
  { python3 -m venv "$peers/venv" && "$peers/venv/bin/pip" install -q --disable-pip-version-check openapi-generator-cli==7.26.0; } \
    >"$work/logs/install-oag.log" 2>&1 || say "could not install openapi-generator-cli (see $work/logs/install-oag.log)"
fi
wanted openapi-generator && ! command -v java >/dev/null && say "no java on PATH: openapi-generator will fail"

sw_version="$(git -C "$root" describe --always --dirty 2>/dev/null)"
if [ -n "${BENCH_SDKWRIGHT:-}" ]; then
  sdkwright="$BENCH_SDKWRIGHT"
  sw_version="$BENCH_SDKWRIGHT"
else
  say "building sdkwright (release)"
  if ! cargo build --release -q -p sdkwright; then
    say "sdkwright does not build"; exit 1
  fi
  sdkwright="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"
fi
printf '%s\n%s\n%s\n' "$load_before" "(the run stopped before its end)" "$sw_version" >"$work/meta"

# ---- documents ----------------------------------------------------------------------------------
doc_file() {
  case "$1" in
    petstore) echo "$root/specs/petstore.yaml" ;;
    oai-petstore) echo "$corpus/oai-petstore-3.0.yaml" ;;
    oxide-nexus) echo "$corpus/oxide-nexus-3.0.json" ;;
    github) echo "$corpus/github-api.github.com-3.0-progenitor-snapshot.json" ;;
    stripe) echo "$corpus/stripe-spec3-2023-09-3.0.yaml" ;;
    *) echo "" ;;
  esac
}
is_large() { [ "$1" = github ] || [ "$1" = stripe ]; }
listed() { # $1 = name, $2 = space-separated list, or unset/empty for "all"
  [ -z "${2:-}" ] && return 0
  local x; for x in $2; do [ "$x" = "$1" ] && return 0; done; return 1
}
docs=()
for d in "${doc_names[@]}"; do
  f="$(doc_file "$d")"
  if [ -z "$f" ] || [ ! -f "$f" ]; then say "skip $d: document not found (${f:-unknown name}; set SDKWRIGHT_CORPUS)"; continue; fi
  docs+=("$d")
  # Operations: (path, method) pairs under `paths`.
  ops=$(python3 - "$f" <<'PY'
import json, sys
p = sys.argv[1]
text = open(p, encoding="utf-8").read()
if text.lstrip().startswith("{"):
    doc = json.loads(text)
else:
    import yaml
    doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
print(sum(1 for item in (doc.get("paths") or {}).values() if isinstance(item, dict) for m in item if m in methods))
PY
  ) || ops=""
  printf '%s\t%s\t%s\t%s\n' "$d" "$f" "$ops" "$(du -k "$f" | cut -f1)" >>"$docs_tsv"
done
[ "${#docs[@]}" -gt 0 ] || { say "no document found"; exit 1; }

short() { case "$1" in sdkwright) echo sdkw ;; ploidy) echo plo ;; openapi-to-rust) echo o2r ;; progenitor) echo prog ;; openapi-generator) echo oag ;; esac; }
installed() {
  case "$1" in
    sdkwright) [ -x "$sdkwright" ] ;; ploidy) [ -x "$ploidy" ] ;; openapi-to-rust) [ -x "$o2r" ] ;;
    progenitor) [ -x "$progenitor" ] ;; openapi-generator) [ -x "$oag" ] ;; *) false ;;
  esac
}
# The command line that generates crate $2 from $3 into $4 with generator $1 (printed %q-quoted).
gen_cmd() {
  local g="$1" name="$2" spec="$3" out="$4"
  case "$g" in
    sdkwright) printf '%q ' "$sdkwright" generate "$spec" --out "$out" --name "$name" --runtime-path "$root/runtime" ;;
    ploidy) printf '%q ' "$ploidy" generate rust "$spec" -o "$out" --name "$name" ;;
    openapi-to-rust) printf '%q ' "$o2r" generate "$spec" --output-dir "$out/src/generated" --module-name "$name" ;;
    progenitor) printf '%q ' "$progenitor" progenitor -i "$spec" -o "$out" -n "$name" -v 0.1.0 ;;
    openapi-generator) printf '%q ' "$oag" generate -g rust --library reqwest -i "$spec" -o "$out" \
                         --additional-properties="packageName=$name,packageVersion=0.1.0" ;;
  esac
}
# Makes a crate of what openapi-to-rust wrote (its src/generated/ and REQUIRED_DEPS.toml).
wrap_o2r() {
  local out="$1" name="$2"
  python3 - "$out" "$name" <<'PY' || return 1
import sys, pathlib, re
out, name = pathlib.Path(sys.argv[1]), sys.argv[2]
deps = next((p for p in (out / "REQUIRED_DEPS.toml", out / "src" / "generated" / "REQUIRED_DEPS.toml") if p.exists()), out / "REQUIRED_DEPS.toml")
dep_lines = []
if deps.exists():
    section = None
    for line in deps.read_text().splitlines():
        s = line.strip()
        if s.startswith("["):
            section = s
            continue
        if section in (None, "[dependencies]") and s and not s.startswith("#"):
            dep_lines.append(s)
gen = out / "src" / "generated"
mods = sorted(p.stem for p in gen.glob("*.rs") if p.stem != "mod")
if (gen / "mod.rs").exists():
    lib = "pub mod generated;\npub use generated::*;\n"
else:
    lib = "pub mod generated {\n" + "".join(f"    pub mod {m};\n" for m in mods) + "}\n"
(out / "src" / "lib.rs").write_text(lib)
(out / "Cargo.toml").write_text(
    f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n'
    "[dependencies]\n" + "\n".join(dep_lines) + "\n\n[workspace]\n")
PY
}

# Counts the compiler's errors and warnings for the crate at manifest $1 in cargo's JSON output on stdin.
count_msgs() {
  python3 -c '
import json, sys
manifest = sys.argv[1]
err = warn = 0
for line in sys.stdin:
    try: m = json.loads(line)
    except ValueError: continue
    if m.get("reason") != "compiler-message" or m.get("manifest_path") != manifest: continue
    msg = m["message"]; text = msg.get("message", "")
    if msg["level"] == "error" and not text.startswith("aborting due to"): err += 1
    elif msg["level"] == "warning" and not (text.endswith("warning emitted") or text.endswith("warnings emitted")): warn += 1
print(err, warn)' "$1"
}
# One line that says why a command failed (a panic's location and message, else its first error line).
why() {
  local l
  l=$(grep -m1 -A1 'panicked at' "$1" 2>/dev/null | tr '\n' ' ' | sed -E 's|/[^ ]*/registry/src/[^/]*/||; s|^thread .main. \([0-9]+\) ||')
  [ -n "$l" ] || l=$(grep -m1 -iE "gen fail|Exception|\[error\]|^error|^Error" "$1" 2>/dev/null)
  [ -n "$l" ] || l=$(grep -v '^\s*$' "$1" 2>/dev/null | tail -1)
  l="${l//$'\t'/ }"
  echo "${l:0:220}"
}
rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1" 2>/dev/null; }
# CPU seconds (user + system) of the command GNU time measured.
cpu_s() { awk -F': ' '/User time|System time/ { t += $2 } END { if (NR) printf "%.2f", t }' "$1" 2>/dev/null; }
# Runs "$@" under GNU time (when present) with stdout/stderr to $1.out/$1.err; sets rc, secs, rss.
timed() {
  local base="$1"; shift
  local t0; t0=$(now)
  if [ -n "$timev" ]; then
    "$timev" -v -o "$base.time" "$@" >"$base.out" 2>"$base.err"; rc=$?
  else
    "$@" >"$base.out" 2>"$base.err"; rc=$?
  fi
  secs=$(since "$t0")
  rss="" cpu=""; [ -n "$timev" ] && rss=$(rss_mb "$base.time") && cpu=$(cpu_s "$base.time")
  # GNU time exits with the command's status; a command killed by timeout(1) gives 124.
  return 0
}

# ---- generation: BENCH_RUNS interleaved runs ----------------------------------------------------
declare -A outcome
for r in $(seq "$runs"); do
  say "generation, run $r of $runs (load $(load))"
  for doc in "${docs[@]}"; do
    spec="$(doc_file "$doc")"
    for g in "${generators[@]}"; do
      key="$doc/$g"
      if [ "$r" -gt 1 ] && [ "${outcome[$key]:-}" != ok ]; then continue; fi   # a failure is timed once
      if ! installed "$g"; then outcome[$key]="not installed"; continue; fi
      name="$(short "$g")_${doc//-/_}"
      out="$work/gen/$doc/$g"
      rm -rf "$out"; mkdir -p "$work/gen/$doc"
      cmd="$(gen_cmd "$g" "$name" "$spec" "$out")"
      log="$work/logs/$doc.$g.gen$r"
      if [ "$g" = sdkwright ]; then
        # The parse floor of this document, right before sdkwright's generation of it.
        timed "$work/logs/$doc.floor$r" timeout "$gen_timeout" "$sdkwright" parse-floor "$spec"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$doc" "$r" "$rc" "$secs" "$cpu" "$rss" >>"$floor_tsv"
      fi
      timed "$log" timeout "$gen_timeout" bash -c "$cmd"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$doc" "$g" "$r" "$rc" "$secs" "$rss" "$cpu" >>"$gen_tsv"
      if [ "$r" = 1 ]; then
        cat "$log.out" "$log.err" >"$log.all" 2>/dev/null
        note=""
        if [ "$g" = openapi-to-rust ] && [ "$rc" = 0 ]; then
          if [ -d "$out/src/generated" ] && wrap_o2r "$out" "$name"; then :; else rc=99; fi
        fi
        if [ "$rc" = 0 ] && [ -f "$out/Cargo.toml" ]; then o=ok
        elif [ "$rc" = 124 ]; then o="timeout (${gen_timeout} s)"
        elif grep -q 'panicked' "$log.all"; then o=panics; note="$(why "$log.all")"
        elif [ "$rc" = 0 ] || [ "$rc" = 99 ]; then o="no crate written"; note="$(why "$log.all")"
        else o="refuses (exit $rc)"; note="$(why "$log.all")"
        fi
        outcome[$key]="$o"
        lines=""
        if [ "$o" = ok ]; then
          # Only what the generator wrote (not openapi-to-rust's wrapper lib.rs).
          if [ "$g" = openapi-to-rust ]; then src="$out/src/generated"; else src="$out"; fi
          lines=$(find "$src" -name '*.rs' -not -path '*/target/*' -print0 | xargs -0 cat | wc -l)
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$doc" "$g" "$o" "$lines" "$note" >>"$outcome_tsv"
      elif [ "$g" = openapi-to-rust ] && [ "$rc" = 0 ]; then
        wrap_o2r "$out" "$name" || true
      fi
    done
  done
done

# ---- cargo check / build of the generated crates -----------------------------------------------
lib_of() { local l="$1/src/lib.rs"; [ -f "$l" ] || l="$(find "$1/src" -name '*.rs' | head -1)"; echo "$l"; }
# Builds the dependencies of crate $1 (mode $2: check | release) with an empty lib.rs standing in for
# the crate's sources, so the timed runs that follow compile the crate alone.
warm_deps() {
  local out="$1" mode="$2" log="$3"
  mv "$out/src" "$out/src.bench" && mkdir -p "$out/src" && : >"$out/src/lib.rs"
  if [ "$mode" = release ]; then
    CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 timeout "$check_timeout" cargo build --release --lib --manifest-path "$out/Cargo.toml" >"$log" 2>&1
  else
    CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 timeout "$check_timeout" cargo check --lib --manifest-path "$out/Cargo.toml" >"$log" 2>&1
  fi
  local rc=$?
  rm -rf "$out/src" && mv "$out/src.bench" "$out/src"
  return $rc
}
# One timed cargo run of crate $2 ($1 = label: check | incr | release); appends to check.tsv.
cargo_run() {
  local label="$1" doc="$2" g="$3" r="$4" out="$work/gen/$2/$3"
  local log="$work/logs/$doc.$g.$label$r" inc=0 sub=(check)
  [ "$label" = incr ] && inc=1
  [ "$label" = release ] && sub=(build --release)
  touch "$(lib_of "$out")"
  timed "$log" env CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL="$inc" timeout "$check_timeout" \
    cargo "${sub[@]}" --lib --message-format json --manifest-path "$out/Cargo.toml"
  local errs warns size="" note=""
  read -r errs warns < <(count_msgs "$out/Cargo.toml" <"$log.out")
  if [ "$rc" = 124 ]; then note="timeout"
  elif [ "$rc" != 0 ] && [ "$errs" = 0 ]; then errs="?"; note="cargo failed outside the crate: $(why "$log.err")"
  fi
  if [ "$label" = release ]; then
    local libname; libname="$(short "$g")_${doc//-/_}"
    size=$(find "$target/release/deps" -name "lib${libname}-*.rlib" -printf '%T@ %s\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2)
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$doc" "$g" "$label" "$r" "$rc" "$secs" "$rss" "$errs" "$warns" "$size" "$note" "$cpu" >>"$check_tsv"
}

if [ "$check" = 1 ]; then
  mkdir -p "$target"
  for doc in "${docs[@]}"; do
    n="$runs"; is_large "$doc" && n="$runs_large"
    ok=()
    for g in "${generators[@]}"; do
      [ "${outcome[$doc/$g]:-}" = ok ] && listed "$g" "${BENCH_CHECK_GENERATORS:-}" && ok+=("$g")
    done
    [ "${#ok[@]}" -gt 0 ] || continue
    do_check=0 do_release=0
    listed "$doc" "${BENCH_CHECK_DOCS:-}" && do_check=1
    [ "$release" = 1 ] && listed "$doc" "${BENCH_RELEASE_DOCS:-github}" && do_release=1
    [ "$do_check" = 1 ] || [ "$do_release" = 1 ] || continue
    [ "$do_check" = 1 ] && for g in "${ok[@]}"; do
      say "$doc: building the dependencies of the $g crate (load $(load))"
      warm_deps "$work/gen/$doc/$g" check "$work/logs/$doc.$g.deps.log" \
        || say "$doc/$g: dependencies do not build (see $work/logs/$doc.$g.deps.log)"
    done
    [ "$do_check" = 1 ] && for r in $(seq "$n"); do
      for g in "${ok[@]}"; do
        say "$doc: cargo check of the $g crate, non-incremental, run $r of $n (load $(load))"
        cargo_run check "$doc" "$g" "$r"
      done
    done
    if [ "$do_check" = 1 ] && [ "$incr" = 1 ] && listed "$doc" "${BENCH_INCR_DOCS:-}"; then
      for g in "${ok[@]}"; do
        say "$doc: filling the incremental cache of the $g crate (untimed check)"
        CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=1 timeout "$check_timeout" cargo check --lib -q \
          --manifest-path "$work/gen/$doc/$g/Cargo.toml" >"$work/logs/$doc.$g.incr-fill.log" 2>&1
      done
      for r in $(seq "$n"); do
        for g in "${ok[@]}"; do
          say "$doc: incremental re-check of the $g crate, run $r of $n (load $(load))"
          cargo_run incr "$doc" "$g" "$r"
        done
      done
    fi
    if [ "$do_release" = 1 ]; then
      for g in "${ok[@]}"; do
        say "$doc: building the release dependencies of the $g crate (load $(load))"
        warm_deps "$work/gen/$doc/$g" release "$work/logs/$doc.$g.release-deps.log" \
          || say "$doc/$g: release dependencies do not build"
      done
      for r in $(seq "$n"); do
        for g in "${ok[@]}"; do
          say "$doc: cargo build --release of the $g crate, run $r of $n (load $(load))"
          cargo_run release "$doc" "$g" "$r"
        done
      done
    fi
  done
fi

fi   # not --report
[ -f "$check_tsv" ] || : >"$check_tsv"
[ -f "$floor_tsv" ] || : >"$floor_tsv"   # runs before the parse floor was measured have none

# ---- the tables ---------------------------------------------------------------------------------
load_after="$(load)"
if [ -n "$rerender" ]; then
  load_before="see $work/meta" load_after="see $work/meta"
  [ -f "$work/meta" ] && { read -r load_before; read -r load_after; read -r sw_version; } <"$work/meta"
  elapsed=0
else
  printf '%s\n%s\n%s\n' "$load_before" "$load_after" "$sw_version" >"$work/meta"
fi
elapsed=$(( $(date +%s) - started ))
report="$work/report.md"
{
  echo "- sdkwright vs peers — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(rustc -V)"
  echo "- load average (1, 5, 15 min): before $load_before, after $load_after; this run took $((elapsed / 60)) min $((elapsed % 60)) s${rerender:+ (tables re-rendered from $rerender)}"
  echo "- runs: generation $runs; checks $runs (github, stripe: $runs_large); interleaved across generators"
  echo "- command: $(printf '%q ' env ${BENCH_DOCS:+BENCH_DOCS="$BENCH_DOCS"} BENCH_RUNS="$runs" BENCH_RUNS_LARGE="$runs_large" ${BENCH_CHECK_DOCS:+BENCH_CHECK_DOCS="$BENCH_CHECK_DOCS"} ${BENCH_RELEASE_DOCS:+BENCH_RELEASE_DOCS="$BENCH_RELEASE_DOCS"} ${BENCH_INCR_DOCS:+BENCH_INCR_DOCS="$BENCH_INCR_DOCS"} ${BENCH_GENERATORS:+BENCH_GENERATORS="$BENCH_GENERATORS"} ${BENCH_CHECK_GENERATORS:+BENCH_CHECK_GENERATORS="$BENCH_CHECK_GENERATORS"} bash scripts/bench-peers.sh "$@")"
  versions="sdkwright $sw_version"
  wanted ploidy && versions+=", ploidy 0.15.0"
  wanted openapi-to-rust && versions+=", openapi-to-rust 0.23.0"
  wanted progenitor && versions+=", progenitor 0.15.1"
  wanted openapi-generator && versions+=", openapi-generator 7.26.0 (-g rust --library reqwest, $(java -version 2>&1 | head -1 | tr -d '"'))"
  echo "- $versions"
  echo
  python3 - "$docs_tsv" "$outcome_tsv" "$gen_tsv" "$check_tsv" "$floor_tsv" "${generators[@]}" <<'PY'
import sys, statistics
docs_tsv, outcome_tsv, gen_tsv, check_tsv, floor_tsv, *gens = sys.argv[1:]
def rows(p):
    return [l.rstrip("\n").split("\t") for l in open(p, encoding="utf-8") if l.strip()]
def num(x):
    try: return float(x)
    except (TypeError, ValueError): return None
docs = {r[0]: {"ops": num(r[2]), "kb": num(r[3])} for r in rows(docs_tsv)}
order = list(docs)
outcome = {(r[0], r[1]): {"o": r[2], "lines": num(r[3]), "note": r[4] if len(r) > 4 else ""} for r in rows(outcome_tsv)}
gen = {}
for d, g, run, rc, secs, rss, cpu in ((r + [""] * (7 - len(r)))[:7] for r in rows(gen_tsv)):
    e = gen.setdefault((d, g), {"t": [], "rss": [], "cpu": []})
    if outcome.get((d, g), {}).get("o") == "ok" and rc != "0":
        continue  # a later run that failed is not a time
    e["t"].append(float(secs))
    if num(rss) is not None: e["rss"].append(num(rss))
    if num(cpu) is not None: e["cpu"].append(num(cpu))
floor = {}
for d, run, rc, secs, cpu, rss in ((r + [""] * (6 - len(r)))[:6] for r in rows(floor_tsv)):
    e = floor.setdefault(d, {"t": [], "cpu": [], "rss": [], "failed": 0})
    if rc != "0":
        e["failed"] += 1
        continue
    e["t"].append(float(secs))
    if num(cpu) is not None: e["cpu"].append(num(cpu))
    if num(rss) is not None: e["rss"].append(num(rss))
chk = {}
for r in rows(check_tsv):
    d, g, label, run, rc, secs, rss, errs, warns, size, note, cpu = (r + [""] * (12 - len(r)))[:12]
    e = chk.setdefault((d, g, label), {"t": [], "cpu": [], "rss": [], "errs": errs, "warns": warns, "size": num(size), "note": note, "rc": rc})
    if rc == "0" or (errs not in ("", "?") and rc != "124"):
        e["t"].append(float(secs))
        if num(cpu) is not None: e["cpu"].append(num(cpu))
    if num(rss) is not None: e["rss"].append(num(rss))
    if note and not e["note"]: e["note"] = note
def mm(ts, digits=2):
    if not ts: return ""
    lo, med = min(ts), statistics.median(ts)
    f = f"{{:.{digits}f}}"
    return f.format(lo) if len(ts) == 1 else f"{f.format(lo)} / {f.format(med)}"
def mb(xs): return f"{max(xs):,.0f}" if xs else ""
def fmt_int(x): return f"{x:,.0f}" if x is not None else ""

print("| document | generator | result | gen s (min / med) | gen peak MB | lines | lines/op | check s (min / med) | check peak MB | err/warn | incr re-check s (min / med) |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|")
for d in order:
    ops = docs[d]["ops"]
    for g in gens:
        o = outcome.get((d, g))
        if o is None: continue
        ge = gen.get((d, g), {"t": [], "rss": [], "cpu": []})
        c = chk.get((d, g, "check"), {}); i = chk.get((d, g, "incr"), {})
        res = o["o"]
        ct = mm(c.get("t", []))
        if c and not c.get("t"): ct = c.get("note") or "failed"
        ew = f'{c.get("errs", "")}/{c.get("warns", "")}' if c else ""
        lpo = f'{o["lines"] / ops:,.0f}' if o["lines"] and ops else ""
        print(f'| {d} | {g} | {res} | {mm(ge["t"]) if res != "not installed" else ""} | {mb(ge["rss"])} | '
              f'{fmt_int(o["lines"])} | {lpo} | {ct} | {mb(c.get("rss", []))} | {ew} | {mm(i.get("t", []))} |')
print()
print("Operations per document: " + ", ".join(f'{d} {fmt_int(docs[d]["ops"])}' for d in order) + ".")

# The parse floor (same run): `sdkwright parse-floor` reads and parses the document on one thread.
if floor:
    print()
    print("Parse floor, measured in this run right before each sdkwright generation: `sdkwright parse-floor DOC` "
          "reads the document and parses it into a value (serde_json / serde_norway, the loader's crates), one thread, "
          "nothing else. CPU = user + system (GNU time). Ratio = sdkwright's generation / the floor, minimum against minimum "
          "(issue 10's goal: within 3x).")
    print()
    print("| document | floor CPU s (min / med) | floor wall s (min / med) | floor peak MB | sdkwright gen CPU s (min / med) | sdkwright gen wall s (min / med) | gen / floor, CPU | gen / floor, wall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for d in order:
        f = floor.get(d)
        if f is None: continue
        if not f["t"]:
            print(f"| {d} | parse-floor failed ({f['failed']} runs; a sdkwright without the command?) | | | | | | |")
            continue
        ge = gen.get((d, "sdkwright"), {"t": [], "cpu": []})
        ok = outcome.get((d, "sdkwright"), {}).get("o") == "ok"
        gt = ge["t"] if ok else []
        gc = ge.get("cpu", []) if ok else []
        # CPU figures have GNU time's 10 ms resolution: a floor of 0.00 gives no ratio.
        rc_ = f"{min(gc) / min(f['cpu']):.1f}" if gc and f["cpu"] and min(f["cpu"]) > 0 else ""
        rw = f"{min(gt) / min(f['t']):.1f}" if gt and min(f["t"]) > 0 else ""
        print(f"| {d} | {mm(f['cpu'])} | {mm(f['t'])} | {mb(f['rss'])} | {mm(gc)} | {mm(gt)} | {rc_} | {rw} |")

rel = [(d, g) for (d, g, l) in chk if l == "release"]
if rel:
    print()
    print("| document | generator | release build s (min / med) | release CPU s (min / med) | release peak MB | rlib MB |")
    print("|---|---|---:|---:|---:|---:|")
    for d, g in rel:
        e = chk[(d, g, "release")]
        t = mm(e["t"]) or (e["note"] or "failed")
        size = f'{e["size"] / 1e6:,.1f}' if e["size"] else ""
        print(f"| {d} | {g} | {t} | {mm(e['cpu'])} | {mb(e['rss'])} | {size} |")

# Ratios: a peer's time / sdkwright's (min against min); above 1, sdkwright is faster.
peers = [g for g in gens if g != "sdkwright"]
measures = [("gen", lambda d, g: gen.get((d, g), {}).get("t") if outcome.get((d, g), {}).get("o") == "ok" else None),
            ("check", lambda d, g: chk.get((d, g, "check"), {}).get("t")),
            ("incr re-check", lambda d, g: chk.get((d, g, "incr"), {}).get("t")),
            ("release build", lambda d, g: chk.get((d, g, "release"), {}).get("t")),
            ("release CPU", lambda d, g: chk.get((d, g, "release"), {}).get("cpu")),
            ("release rlib size", lambda d, g: [chk[(d, g, "release")]["size"]] if chk.get((d, g, "release"), {}).get("size") else None)]
lines = []
for d in order:
    for label, get in measures:
        ours = get(d, "sdkwright")
        if not ours: continue
        cells, best = [], None
        for p in peers:
            t = get(d, p)
            if t:
                r = min(t) / min(ours)
                cells.append(f"{r:.2f}")
                best = min(t) if best is None else min(best, min(t))
            else:
                cells.append("")
        if best is None: continue
        lines.append(f"| {d} | {label} | " + " | ".join(cells) + f" | {best / min(ours):.2f} |")
    # Code size, same direction: a peer's lines / ours.
    o_sw = outcome.get((d, "sdkwright"), {})
    if o_sw.get("lines"):
        cells = [f'{outcome[(d, p)]["lines"] / o_sw["lines"]:.2f}' if outcome.get((d, p), {}).get("lines") else "" for p in peers]
        if any(cells):
            best = min(float(c) for c in cells if c)
            lines.append(f"| {d} | lines | " + " | ".join(cells) + f" | {best:.2f} |")
if lines:
    print()
    print("Ratios: the peer's figure divided by sdkwright's (minimum against minimum; above 1, sdkwright is faster or smaller); "
          "best peer = the fastest peer's time (for lines, the smallest crate) / ours.")
    print()
    print("| document | measure | " + " | ".join(peers) + " | best peer |")
    print("|---|---|" + "---:|" * (len(peers) + 1))
    for l in lines: print(l)
notes = [(d, g, o["note"]) for (d, g), o in outcome.items() if o["note"]]
notes += [(d, g, f'{l}: {e["note"]}') for (d, g, l), e in chk.items() if e["note"]]
if notes:
    print()
    for d, g, n in notes:
        print(f"- {d} / {g}: {n}")
PY
} >"$report"
cat "$report"
echo
echo "outputs and logs: $work (generated crates' target dir: $target); $((elapsed / 60)) min $((elapsed % 60)) s"

if [ "$write" = 1 ]; then
  doc_md="$root/docs/benchmarks.md"
  python3 - "$doc_md" "$report" <<'PY'
import sys, pathlib
md, report = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
begin, end = "<!-- bench-peers:begin -->", "<!-- bench-peers:end -->"
text = md.read_text()
block = f"{begin}\n<!-- written by scripts/bench-peers.sh --write; do not edit by hand -->\n\n{report.rstrip()}\n\n{end}"
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n" + block + "\n"
md.write_text(text)
PY
  echo "wrote the table into docs/benchmarks.md (between the bench-peers markers)"
fi
