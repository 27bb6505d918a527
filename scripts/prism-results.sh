#!/usr/bin/env bash
# The Prism results table (issue 7's "Done when"): runs the Prism and wire tests
# (e2e/tests/prism.rs: every petstore operation; e2e/tests/wire.rs: Stripe, GitHub, OpenAI 3.1 and
# Slack's Swagger 2.0 formData, clients generated from the whole corpus documents) and writes what
# they recorded, one row per checked call, as a Markdown table.
#
#   bash scripts/prism-results.sh [OUT]     OUT defaults to docs/prism-results.md
#
# Needs what the tests need: `npm ci` (Prism), python3 with PyYAML, and the shared corpus.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs/prism-results.md}"
rows="$(mktemp)"; log="$(mktemp)"
trap 'rm -f "$rows" "$log"' EXIT
cd "$root"
if [ -z "${SDKWRIGHT_SPECS_CORPUS:-}" ]; then
  # ../shared next to the repository; from a git worktree, next to the main checkout.
  main="$(cd "$(git rev-parse --git-common-dir)/.." && pwd)"
  for c in "$root/../shared/specs-corpus" "$main/../shared/specs-corpus"; do
    [ -d "$c" ] && { export SDKWRIGHT_SPECS_CORPUS="$c"; break; }
  done
fi
status=0
SDKWRIGHT_PRISM_RESULTS="$rows" cargo test --no-fail-fast --workspace --test e2e -- prism:: wire:: \
  >"$log" 2>&1 || status=$?
grep -E '^test .* (ok|FAILED|ignored)$|^test result' "$log" >&2 || true
{
  echo "# Prism results"
  echo
  echo "Written by \`bash scripts/prism-results.sh\` from what \`cargo test --workspace --test e2e"
  echo "-- prism:: wire::\` checked, at commit \`$(git rev-parse --short HEAD)\` ($(date -u +%Y-%m-%d))."
  echo "Prism runs with \`--errors\`: it validates every request against the document and answers 4xx"
  echo "(422 for a body or parameter that does not match) when one is wrong; \"decoded\" is what the"
  echo "generated client's typed result held. Vendor clients are generated from the whole corpus"
  echo "document restricted to the operations under test (\`e2e/build.rs\`); Prism is served a copy cut"
  echo "to those operations (\`scripts/cut-openapi.py\`)."
  echo
  echo "| document | operation | what it stresses | Prism verdict | decoded |"
  echo "|---|---|---|---|---|"
  sort -s -t $'\t' -k1,1 "$rows" | while IFS=$'\t' read -r doc op what verdict decoded; do
    printf '| %s | `%s` | %s | %s | %s |\n' "$doc" "$op" "$what" "$verdict" "$decoded"
  done
  echo
  if [ "$status" = 0 ]; then
    echo "Every test passed."
  else
    echo "Some tests FAILED (exit status $status): the rows above are the calls that passed."
  fi
} >"$out"
echo "wrote $out ($(wc -l <"$rows") rows)" >&2
exit "$status"
