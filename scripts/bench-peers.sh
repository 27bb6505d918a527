#!/usr/bin/env bash
# Compares sdkwright with its peers on the same documents, in one run, and prints one table.
# Not a test: it asserts nothing, it measures and prints.
#
#   bash scripts/bench-peers.sh [--quick] [--no-check] [--install]
#
#   --quick     only specs/petstore.yaml, OAI petstore 3.0 and oxide-nexus 3.0
#   --no-check  generation only (no `cargo check` of the generated crates)
#   --install   also `apt-get install time` when /usr/bin/time is missing (for peak RSS);
#               without it, peak RSS is left out when /usr/bin/time is missing
#
# Peers (installed into target/peers/ when missing; nothing is installed globally):
#   progenitor        cargo-progenitor 0.15.1 (cargo install --locked --root target/peers)
#   openapi-generator openapi-generator-cli 7.26.0 from PyPI in target/peers/venv, on the machine's Java,
#                     `-g rust --library reqwest`
#
# For each document x generator: wall time of generation (hyperfine's mean when hyperfine is installed,
# BENCH_RUNS runs, default 3; otherwise one run timed with `date +%s.%N`), peak RSS (/usr/bin/time -v),
# the outcome (a peer that panics, refuses or times out is a result, reported as such), lines of Rust
# written, then `cargo check` of the generated crate alone: its dependencies are built first into a
# shared target dir, then src/lib.rs is touched and the check is timed; errors and warnings are counted
# from the compiler's JSON messages for that crate only.
#
# Environment: SDKWRIGHT_CORPUS (default ../shared/specs-corpus/openapi, also tried one level up),
# CARGO_TARGET_DIR (for building sdkwright), BENCH_WORK (scratch dir, default a fresh mktemp -d, kept
# at the end so the outputs and logs can be read), BENCH_RUNS, BENCH_GEN_TIMEOUT (s, default 900),
# BENCH_CHECK_TIMEOUT (s, default 1800).
set -uo pipefail

quick=0 check=1 install=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --no-check) check=0 ;;
    --install) install=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "bench-peers.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ -n "${SDKWRIGHT_CORPUS:-}" ]; then
  corpus="$SDKWRIGHT_CORPUS"
else
  corpus="$root/../shared/specs-corpus/openapi"
  [ -d "$corpus" ] || corpus="$root/../../shared/specs-corpus/openapi"   # from a worktree under wt/
fi
peers="$root/target/peers"
work="${BENCH_WORK:-$(mktemp -d /tmp/bench-peers.XXXXXX)}"
mkdir -p "$work"
runs="${BENCH_RUNS:-3}"
gen_timeout="${BENCH_GEN_TIMEOUT:-900}"
check_timeout="${BENCH_CHECK_TIMEOUT:-1800}"
results="$work/results.tsv"
: >"$results"

say() { echo "bench-peers: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---- peers --------------------------------------------------------------------------------------
progenitor="$peers/bin/cargo-progenitor"
if [ ! -x "$progenitor" ]; then
  say "installing cargo-progenitor 0.15.1 into $peers (a few minutes)"
  env -u CARGO_TARGET_DIR cargo install cargo-progenitor --version 0.15.1 --locked --root "$peers" >"$work/install-progenitor.log" 2>&1 \
    || say "could not install cargo-progenitor (see $work/install-progenitor.log); it is reported as missing"
fi
oag="$peers/venv/bin/openapi-generator-cli"
if [ ! -x "$oag" ]; then
  say "installing openapi-generator-cli 7.26.0 into $peers/venv"
  { python3 -m venv "$peers/venv" && "$peers/venv/bin/pip" install -q --disable-pip-version-check openapi-generator-cli==7.26.0; } \
    >"$work/install-oag.log" 2>&1 || say "could not install openapi-generator-cli (see $work/install-oag.log); it is reported as missing"
fi
command -v java >/dev/null || say "no java on PATH: openapi-generator will fail"

timev=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  timev=/usr/bin/time
elif [ "$install" = 1 ]; then
  say "installing GNU time from apt (for peak RSS)"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y time >"$work/install-time.log" 2>&1 && timev=/usr/bin/time
fi
[ -n "$timev" ] || say "no GNU time: peak RSS is not measured (run with --install to get it)"
hyperfine="$(command -v hyperfine || true)"
[ -n "$hyperfine" ] && say "timing generation with hyperfine ($runs runs)" || say "hyperfine not installed: generation timed once with date +%s.%N"

# ---- sdkwright ----------------------------------------------------------------------------------
say "building sdkwright (release)"
if ! cargo build --release -q -p sdkwright; then
  say "sdkwright does not build"; exit 1
fi
sdkwright="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"

# ---- documents ----------------------------------------------------------------------------------
docs=("petstore=$root/specs/petstore.yaml"
      "oai-petstore=$corpus/oai-petstore-3.0.yaml"
      "oxide-nexus=$corpus/oxide-nexus-3.0.json")
if [ "$quick" = 0 ]; then
  docs+=("github=$corpus/github-api.github.com-3.0-progenitor-snapshot.json"
         "stripe=$corpus/stripe-spec3-2023-09-3.0.yaml")
fi
generators=(sdkwright progenitor openapi-generator)

# The command line that generates crate $2 from $3 into $4 with generator $1 (printed %q-quoted).
gen_cmd() {
  local g="$1" name="$2" spec="$3" out="$4"
  case "$g" in
    sdkwright) printf '%q ' "$sdkwright" generate "$spec" --out "$out" --name "$name" --runtime-path "$root/runtime" ;;
    progenitor) printf '%q ' "$progenitor" progenitor -i "$spec" -o "$out" -n "$name" -v 0.1.0 ;;
    openapi-generator) printf '%q ' "$oag" generate -g rust --library reqwest -i "$spec" -o "$out" \
                         --additional-properties="packageName=$name,packageVersion=0.1.0" ;;
  esac
}
installed() {
  case "$1" in sdkwright) [ -x "$sdkwright" ] ;; progenitor) [ -x "$progenitor" ] ;; openapi-generator) [ -x "$oag" ] ;; esac
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

# One line that says why a generator failed (a panic's location and message, else its first error line).
why() {
  local l
  l=$(grep -m1 -A1 'panicked at' "$1" 2>/dev/null | tr '\n' ' ' | sed -E 's|/[^ ]*/registry/src/[^/]*/||; s|^thread .main. \([0-9]+\) ||')
  [ -n "$l" ] || l=$(grep -m1 -E "gen fail|Exception|\[error\]|^error|^Error" "$1" 2>/dev/null)
  echo "${l:0:200}"
}

for entry in "${docs[@]}"; do
  doc="${entry%%=*}" spec="${entry#*=}"
  if [ ! -f "$spec" ]; then
    say "skip $doc: $spec not found (set SDKWRIGHT_CORPUS)"
    continue
  fi
  for g in "${generators[@]}"; do
    short="${g%%-*}"; short="${short:0:4}"
    name="${short}_${doc//-/_}"
    out="$work/gen/$doc/$g"
    log="$work/logs/$doc.$g.gen.log"
    mkdir -p "$work/gen/$doc" "$work/logs"
    rm -rf "$out"
    gen_s="" rss="" outcome="" lines="" check_s="" errs="" warns="" note=""
    if ! installed "$g"; then
      printf '%s\t%s\tnot installed\t\t\t\t\t\t\t\n' "$doc" "$g" >>"$results"
      continue
    fi
    cmd="$(gen_cmd "$g" "$name" "$spec" "$out")"
    say "$doc: generating with $g"
    t0=$(now)
    if [ -n "$timev" ]; then
      timeout "$gen_timeout" "$timev" -v -o "$log.time" bash -c "$cmd" >"$log" 2>&1; rc=$?
    else
      timeout "$gen_timeout" bash -c "$cmd" >"$log" 2>&1; rc=$?
    fi
    gen_s=$(since "$t0")
    [ -n "$timev" ] && rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.time" 2>/dev/null)
    if [ "$rc" = 0 ] && [ -f "$out/Cargo.toml" ]; then
      outcome=ok
    elif [ "$rc" = 124 ]; then
      outcome="timeout (${gen_timeout} s)"
    elif grep -q 'panicked' "$log"; then
      outcome=panics; note="$(why "$log")"
    elif [ "$rc" = 0 ]; then
      outcome="no crate written"
    else
      outcome="refuses (exit $rc)"; note="$(why "$log")"
    fi
    if [ "$outcome" = ok ]; then
      lines=$(find "$out" -name '*.rs' -not -path '*/target/*' -print0 | xargs -0 cat | wc -l)
      if [ -n "$hyperfine" ] && [ "$runs" -gt 1 ]; then
        hout="$work/hf/$doc/$g"; mkdir -p "$work/hf/$doc"
        hcmd="$(gen_cmd "$g" "${name}" "$spec" "$hout")"
        if "$hyperfine" --style none --runs "$runs" --prepare "rm -rf $(printf %q "$hout")" \
             --export-json "$work/logs/$doc.$g.hyperfine.json" "$hcmd" >/dev/null 2>&1; then
          gen_s=$(python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' \
                    "$work/logs/$doc.$g.hyperfine.json")
        fi
      fi
      if [ "$check" = 1 ]; then
        clog="$work/logs/$doc.$g.check"
        say "$doc: cargo check of the $g crate (dependencies first)"
        CARGO_TARGET_DIR="$work/target" timeout "$check_timeout" cargo check -q --manifest-path "$out/Cargo.toml" \
          >"$clog.warm.log" 2>&1
        lib="$out/src/lib.rs"; [ -f "$lib" ] || lib="$(find "$out/src" -name '*.rs' | head -1)"
        touch "$lib"
        t0=$(now)
        CARGO_TARGET_DIR="$work/target" timeout "$check_timeout" cargo check --message-format json \
          --manifest-path "$out/Cargo.toml" >"$clog.json" 2>"$clog.log"; crc=$?
        check_s=$(since "$t0")
        read -r errs warns < <(count_msgs "$(cd "$out" && pwd)/Cargo.toml" <"$clog.json")
        if [ "$crc" = 124 ]; then check_s="timeout"; fi
        if [ "$crc" != 0 ] && [ "$errs" = 0 ] && [ "$crc" != 124 ]; then
          errs="?"; note="cargo check failed outside the crate: $(grep -m1 '^error' "$clog.log" | cut -c1-140)"
        fi
      fi
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$doc" "$g" "$outcome" "$gen_s" "$rss" "$lines" "$check_s" "$errs" "$warns" "$note" >>"$results"
  done
done

# ---- the table ----------------------------------------------------------------------------------
echo
echo "sdkwright vs peers — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(rustc -V)"
echo "progenitor 0.15.1, openapi-generator 7.26.0 (-g rust --library reqwest), $(java -version 2>&1 | head -1)"
echo "gen = wall time of generation ($([ -n "$hyperfine" ] && echo "hyperfine mean of $runs" || echo "one run")); check = cargo check of the generated crate alone (deps warm);"
echo "×sw = sdkwright's time divided by this generator's (below 1: sdkwright is faster)"
echo
python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
keys = ["doc", "gen", "outcome", "gen_s", "rss", "lines", "check_s", "errs", "warns", "note"]
rows = [dict(zip(keys, r + [""] * (len(keys) - len(r)))) for r in rows]
sw = {r["doc"]: r for r in rows if r["gen"] == "sdkwright"}
def num(x):
    try: return float(x)
    except ValueError: return None
def ratio(a, b):
    a, b = num(a), num(b)
    return f"{a / b:.2f}" if a is not None and b else ""
head = ["document", "generator", "result", "gen s", "peak MB", "lines", "check s", "err/warn", "gen ×sw", "check ×sw"]
out = []
for r in rows:
    s = sw.get(r["doc"], {})
    peer = r["gen"] != "sdkwright"
    ok_sw = s.get("outcome") == "ok"
    ew = f'{r["errs"]}/{r["warns"]}' if r["errs"] != "" else ""
    out.append([r["doc"], r["gen"], r["outcome"], r["gen_s"] if r["outcome"] != "not installed" else "",
                r["rss"], f'{int(r["lines"]):,}' if r["lines"] else "", r["check_s"], ew,
                ratio(s.get("gen_s", ""), r["gen_s"]) if peer and ok_sw and r["outcome"] == "ok" else "",
                ratio(s.get("check_s", ""), r["check_s"]) if peer and ok_sw and r["outcome"] == "ok" else ""])
w = [max(len(h), *(len(o[i]) for o in out)) if out else len(h) for i, h in enumerate(head)]
print("| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |")
print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for o in out:
    print("| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(o)) + " |")
notes = [r for r in rows if r["note"]]
if notes:
    print()
    for r in notes:
        print(f'- {r["doc"]} / {r["gen"]}: {r["note"]}')
PY
echo
echo "outputs and logs: $work"
