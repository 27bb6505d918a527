#!/usr/bin/env bash
# CI budget for generation cost and generated code size (issue 10), run by scripts/test.sh.
# A change that doubles the generated code or the generation time fails here, loudly.
#
#   bash scripts/ci-budget.sh          check against scripts/ci-budget.baseline
#   bash scripts/ci-budget.sh --bless  rewrite the baseline from this run (after an intended change
#                                      of the generated code, like re-blessing the goldens; measures
#                                      three times and keeps the median CPU ratio)
#
# Documents: specs/petstore.yaml and, when the shared corpus is there (SDKWRIGHT_SPECS_CORPUS, else
# ../shared/specs-corpus beside the repository, as for e2e/), oxide-nexus 3.0 (437 KB JSON).
# Each is generated with the debug CLI that `cargo test` built (target/debug/sdkwright; built here
# when missing or stale), with SDKWRIGHT_THREADS=1. Checked against the committed baseline:
#   lines, items, bytes  of the generated .rs files: within +-10 % (deterministic; an item is a
#                        line that starts a fn, struct, enum, impl, type, const, static, trait or mod)
#   cpu ratio            CPU time (user + sys) of generation divided by the CPU time of a fixed
#                        reference measured right before it (Python parsing a 2 MB JSON text it
#                        synthesises, mean of 8 parses); the lowest ratio of 7 such pairs (3 for
#                        oxide-nexus): at most 1.6x the baseline. CPU time rather than wall time, and a ratio rather than
#                        seconds, so a loaded or slower machine does not fail it; a doubling does.
#   peak MB              peak RSS of generation (GNU time, when installed): at most 1.5x the baseline
#   instructions         `perf stat -e instructions:u` of one generation, printed when perf can
#                        count them (not on most VMs); checked (1.3x) only if the baseline has them
# Takes a few seconds on a quiet 2-core machine.
set -uo pipefail

bless=0
case "${1:-}" in
  --bless) bless=1 ;;
  "") ;;
  -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
  *) echo "ci-budget.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
baseline="$root/scripts/ci-budget.baseline"
bin="${CARGO_TARGET_DIR:-$root/target}/debug/sdkwright"
# Built by `cargo test` in CI; rebuilt here when missing or older than the generator's sources.
if [ ! -x "$bin" ] || [ -n "$(find generator/src generator/Cargo.toml templates -newer "$bin" -print -quit 2>/dev/null)" ]; then
  echo "+ cargo build -p sdkwright --bin sdkwright"
  cargo build -q -p sdkwright --bin sdkwright || exit 2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/sdkwright-ci-budget.XXXXXX")"
trap 'rm -rf "$work"' EXIT

corpus="${SDKWRIGHT_SPECS_CORPUS:-}"
if [ -z "$corpus" ]; then
  for c in "$root/../shared/specs-corpus" "$root/../../shared/specs-corpus"; do
    [ -d "$c/openapi" ] && { corpus="$c"; break; }
  done
fi
docs=("petstore=$root/specs/petstore.yaml=7")
if [ -n "$corpus" ] && [ -f "$corpus/openapi/oxide-nexus-3.0.json" ]; then
  docs+=("oxide-nexus=$corpus/openapi/oxide-nexus-3.0.json=3")
else
  echo "ci-budget: oxide-nexus skipped: the shared corpus is not there (set SDKWRIGHT_SPECS_CORPUS)"
fi

# Generation's CPU time against the machine's speed in the same run: before each generation,
# Python parses a synthesised 2 MB JSON text (objects, arrays, strings, numbers, like an API
# document) 8 times, about as long as a generation; the ratio of each such pair is taken, so a load
# that comes and goes affects both sides of a ratio alike. CPU times come from wait4 (microseconds).
# Prints: lowest ratio, peak RSS in KiB, the references' range.
cat >"$work/pairs.py" <<'PY'
import json, os, subprocess, sys, time
# argv: runs, a file for GNU time's peak RSS (or "-"), the command.
runs, rss_file, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
if rss_file != "-":
    # The peak RSS through GNU time: wait4's own figure would include this Python process,
    # whose pages the child holds between fork and exec.
    cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd
doc = {"paths": {f"/things/{i}/{{id}}": {"get": {"operationId": f"getThing{i}", "parameters": [
          {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": i}}],
          "responses": {"200": {"description": "a thing " * 8, "content": {"application/json": {
          "schema": {"type": "object", "properties": {f"field{j}": {"type": "integer", "format": "int64",
          "example": i * j} for j in range(12)}}}}}}}} for i in range(2500)}}
text = json.dumps(doc)
assert len(text) > 1_500_000
env = dict(os.environ, SDKWRIGHT_THREADS="1")
ratios, refs, peak = [], [], 0
for _ in range(runs):
    t = time.process_time()
    for _ in range(8):
        json.loads(text)
    ref = (time.process_time() - t) / 8
    out = sys.argv[-1]
    subprocess.run(["rm", "-rf", out], check=True)
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE, env=env)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.stderr.write(err.decode(errors="replace"))
        sys.exit(1)
    refs.append(ref)
    ratios.append((ru.ru_utime + ru.ru_stime) / ref)
    if rss_file != "-":
        peak = max(peak, int(open(rss_file).read().split()[-1]))
print(f"{min(ratios):.2f} {peak if rss_file != '-' else '-'} {min(refs):.4f}-{max(refs):.4f}")
PY
perf_ok=0
if command -v perf >/dev/null && perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -qE '^[0-9]+,'; then
  perf_ok=1
fi

measure() { # name spec runs -> "lines items bytes cpu_ratio peak_mb instructions"
  local name="$1" spec="$2" runs="$3" out="$work/$1" ins="-" ratio kb refs
  local rss_file=-
  /usr/bin/time -f %M true >/dev/null 2>&1 && rss_file="$work/rss"
  read -r ratio kb refs < <(python3 "$work/pairs.py" "$runs" "$rss_file" "$bin" generate "$spec" --name "budget-$name" --out "$out")
  if [ -z "${ratio:-}" ]; then echo "ci-budget: $name does not generate (above)" >&2; return 1; fi
  echo "$name $refs" >>"$work/refs"
  if [ "$perf_ok" = 1 ]; then
    rm -rf "$out"
    ins=$(SDKWRIGHT_THREADS=1 perf stat -x, -e instructions:u "$bin" generate "$spec" --out "$out" --name "budget-$name" 2>&1 >/dev/null \
          | awk -F, '/instructions/ { print $1 }' | tail -1)
    [ -n "$ins" ] || ins="-"
  fi
  local lines items bytes
  lines=$(find "$out" -name '*.rs' -print0 | xargs -0 cat | wc -l)
  bytes=$(find "$out" -name '*.rs' -print0 | xargs -0 cat | wc -c)
  items=$(find "$out" -name '*.rs' -print0 | xargs -0 cat \
          | grep -cE '^\s*(pub(\([a-z]+\))?\s+)?((async|const|unsafe|extern "C")\s+)*(fn|struct|enum|union|impl|type|const|static|trait|mod)\b')
  awk -v c="$ratio" -v l="$lines" -v i="$items" -v b="$bytes" -v m="$kb" -v n="$ins" \
    'BEGIN { printf "%d %d %d %.2f %s %s\n", l, i, b, c, (m == "-" ? "-" : int(m / 1024)), n }'
}

declare -A got
for entry in "${docs[@]}"; do
  IFS== read -r name spec runs <<<"$entry"
  got[$name]="$(measure "$name" "$spec" "$runs")" || exit 1
  if [ "$bless" = 1 ]; then
    # A baseline from one lucky quiet moment would make later runs look slow: bless the median
    # CPU ratio (and the highest peak RSS) of three measurements.
    m2="$(measure "$name" "$spec" "$runs")" || exit 1
    m3="$(measure "$name" "$spec" "$runs")" || exit 1
    got[$name]="$(printf '%s\n' "${got[$name]}" "$m2" "$m3" | sort -k4,4n | sed -n 2p \
      | awk -v p="$(printf '%s\n' "${got[$name]}" "$m2" "$m3" | awk '{ print $5 }' | sort -n | tail -1)" '{ $5 = p; print }')"
  fi
done

echo "ci-budget — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); reference CPU s: $(paste -sd' ' "$work/refs")"
if [ "$bless" = 1 ]; then
  {
    echo "# scripts/ci-budget.sh baseline: written by \`bash scripts/ci-budget.sh --bless\` (debug CLI, 1 thread)."
    echo "# doc lines items bytes cpu_ratio peak_mb instructions   (cpu_ratio = generation CPU s / reference CPU s)"
    for entry in "${docs[@]}"; do n="${entry%%=*}"; echo "$n ${got[$n]}"; done
    # Keep the rows of documents this run could not measure (no corpus here).
    if [ -f "$baseline" ]; then
      grep -vE '^\s*#' "$baseline" | while read -r n rest; do
        if [ -n "$n" ] && [ -z "${got[$n]:-}" ]; then echo "$n $rest"; fi
      done
    fi
  } >"$baseline.new"
  mv "$baseline.new" "$baseline"
  echo "wrote $baseline:"; cat "$baseline"; exit 0
fi
[ -f "$baseline" ] || { echo "ci-budget: no baseline ($baseline): run with --bless" >&2; exit 1; }

fail=0
printf '%-12s %-12s %12s %12s %8s  %s\n' doc measure now baseline ratio verdict
for entry in "${docs[@]}"; do
  n="${entry%%=*}"
  row=$(awk -v n="$n" '$1 == n { $1 = ""; print; exit }' "$baseline")
  if [ -z "$row" ]; then echo "ci-budget: $n has no baseline row: run with --bless" >&2; fail=1; continue; fi
  read -r bl bi bb bc bm bn <<<"$row"
  read -r l i b c m ins <<<"${got[$n]}"
  # measure now baseline low high (ratios to the baseline; empty = no bound)
  for check in "lines $l $bl 0.9 1.1" "items $i $bi 0.9 1.1" "bytes $b $bb 0.9 1.1" \
               "cpu_ratio $c $bc - 1.6" "peak_mb $m $bm - 1.5" "instructions $ins ${bn:--} - 1.3"; do
    read -r what now base lo hi <<<"$check"
    if [ "$now" = "-" ] || [ "$base" = "-" ]; then
      [ "$now" != "-" ] && printf '%-12s %-12s %12s %12s %8s  %s\n' "$n" "$what" "$now" "-" "" "not in the baseline"
      continue
    fi
    verdict=$(awk -v a="$now" -v b="$base" -v lo="$lo" -v hi="$hi" 'BEGIN {
      r = (b > 0 ? a / b : 1); v = "ok"
      if (hi != "-" && r > hi) v = "OVER (more than " hi "x the baseline)"
      if (lo != "-" && r < lo) v = "UNDER (less than " lo "x the baseline: re-bless if intended)"
      printf "%.2f %s", r, v }')
    printf '%-12s %-12s %12s %12s %8s  %s\n' "$n" "$what" "$now" "$base" "${verdict%% *}" "${verdict#* }"
    case "$verdict" in *" ok") ;; *) fail=1 ;; esac
  done
done
if [ "$fail" = 1 ]; then
  echo
  echo "ci-budget: FAILED. The generated code's size or the generation cost moved past its budget."
  echo "If the change is intended (smaller or cheaper output, or a feature worth its cost), re-bless:"
  echo "  bash scripts/ci-budget.sh --bless   (and commit scripts/ci-budget.baseline)"
  exit 1
fi
echo "ci-budget: ok"
