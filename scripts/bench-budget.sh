#!/usr/bin/env bash
# Generation budget: prints generation time, peak RSS and the ratio to the parse floor (the
# `parse (YAML/JSON -> value)` phase of the same run, from SDKWRIGHT_TIMINGS=1) for Stripe and
# GitHub, against the goals of issue 10, and exits 1 when a figure is over its budget.
# Timed, so not part of CI (.ci/run): run it by hand on a quiet machine (README.md names it).
# "cpu s" (user + sys, best run) is printed beside the wall time: on a loaded machine it is the
# figure to compare; the verdict is on wall time.
#
#   bash scripts/bench-budget.sh            best of BENCH_RUNS runs (default 3) per document
#
# Environment: SDKWRIGHT_CORPUS (default ../shared/specs-corpus/openapi), CARGO_TARGET_DIR,
# BENCH_RUNS, BUDGET_SLACK (multiplies every time budget, default 1.0; e.g. 1.5 on a busy machine).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
corpus="${SDKWRIGHT_CORPUS:-$root/../shared/specs-corpus/openapi}"
[ -d "$corpus" ] || corpus="$root/../../shared/specs-corpus/openapi"
runs="${BENCH_RUNS:-3}"
slack="${BUDGET_SLACK:-1.0}"
cargo build --release -q -p sdkwright || exit 2
bin="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"
work="$(mktemp -d /tmp/bench-budget.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "generation budget — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uptime | sed 's/.*load/load/')"
printf '%-8s %8s %8s %8s %9s %9s %8s  %s\n' doc "gen s" "cpu s" "budget" "peak MB" "budget" "÷parse" "result"
fail=0
# name file seconds-budget MB-budget parse-ratio-budget
for row in "stripe stripe-spec3-2023-09-3.0.yaml 1.0 300 3" \
           "github github-api.github.com-3.0-progenitor-snapshot.json 0.4 300 3"; do
  read -r name file tbud mbud rbud <<<"$row"
  spec="$corpus/$file"
  if [ ! -f "$spec" ]; then echo "$name: skipped ($spec not found)"; continue; fi
  best="" cpu="" rss=0 parse=""
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    SDKWRIGHT_TIMINGS=1 /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$bin" generate "$spec" --out "$work/out" --name "$name" >/dev/null 2>"$work/log" || { echo "$name: generation failed"; fail=1; continue 2; }
    read -r wall kb user sys <"$work/time"
    c=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu="$c"; fi
    p=$(awk '/parse \(YAML\/JSON -> value\)/ { print $(NF-1) / 1000 }' "$work/log")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$wall" parse="$p"; fi
    [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  mb=$((rss / 1024))
  ratio=$(awk -v a="$best" -v b="$parse" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  verdict=ok
  awk -v a="$best" -v b="$tbud" -v s="$slack" 'BEGIN { exit !(a > b * s) }' && verdict="OVER (time)"
  [ "$mb" -gt "$mbud" ] && verdict="OVER (memory)"
  awk -v a="$ratio" -v b="$rbud" -v s="$slack" 'BEGIN { exit !(a > b * s) }' && [ "$verdict" = ok ] && verdict="over parse-floor ratio"
  printf '%-8s %8s %8s %8s %9s %9s %8s  %s\n' "$name" "$best" "$cpu" "$tbud" "$mb" "$mbud" "$ratio" "$verdict"
  [ "$verdict" = ok ] || fail=1
done
exit "$fail"
