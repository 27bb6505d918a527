#!/usr/bin/env bash
# Corpus sweep: generates a crate from every document of the shared corpus and compiles them all.
# A benchmark, not a test (too slow for CI): it prints one line per document and a summary, and
# exits non-zero when a document failed that is not in the allowlist below.
#
#   bash scripts/corpus-sweep.sh                 every document
#   bash scripts/corpus-sweep.sh stripe github   only documents whose key contains one of the words
#
# Environment:
#   SDKWRIGHT_CORPUS  the OpenAPI folder of the corpus (default ../shared/specs-corpus/openapi);
#                     the GraphQL and WSDL folders are its siblings
#   SWEEP_CLIPPY=1    run clippy instead of check on the generated crates; a crate passes when it
#                     has no rustc warning and no clippy lint (what `-- -D warnings` would demand)
#   SWEEP_CHECK=1     with SWEEP_CLIPPY=1: also run `cargo check` first, for check's own peak
#                     memory and CPU (without it the check columns are clippy's, an upper bound)
#   SWEEP_DOC=1       also run rustdoc (warnings counted; peak memory and CPU of each crate's
#                     rustdoc process, through a RUSTDOC wrapper) on the generated crates
#   SWEEP_SKIP="w..." leave out documents whose key contains one of these words (after the filter
#                     words on the command line); run the corpus in chunks with it
#   SWEEP_WORK=DIR    scratch folder, kept afterwards (default: a temporary folder, removed)
#   SWEEP_TARGET=DIR  target dir for the generated crates (default /work/target-sweep-gen if /work
#                     exists, else $SWEEP_WORK/target); reused between runs so deps build once
#   SWEEP_NO_CHECK=1  generate only
#   SWEEP_BIN=FILE    the sdkwright binary to generate with (default: built here, release)
#   SWEEP_KINDS=...   only these kinds of document, space separated: openapi graphql wsdl
#                     (default all three; e.g. SWEEP_KINDS="openapi graphql")
#   SWEEP_MARKDOWN=F  also write the per-document table as Markdown to file F, highest peak memory
#                     first (the per-document section of docs/benchmarks.md)
#   SWEEP_MERGE="F.." rows.tsv files of earlier runs (chunks: SWEEP_WORK/logs/rows.tsv) whose rows
#                     go into the Markdown table too (a document in this run replaces its row)
#
# Memory: every rustc (or clippy-driver) process that compiles a generated crate runs under
# /usr/bin/time through a RUSTC_WRAPPER the script writes into its scratch folder; the table gives
# that process's peak resident memory (peakMB) and its CPU time (cpu: user+sys, s). Each figure is
# one process's own, so cargo compiling crates side by side does not change it, and CPU time moves
# far less with the machine's load than wall time (secs). With SWEEP_CLIPPY=1 the figures are
# clippy's (clippy-driver does everything check does, plus the lints: an upper bound of check's).
#
# After the table it prints the generator's own diagnostics over all documents, by code: how many,
# and in which documents.
#
# The generated crates are checked in ONE cargo invocation: the script writes a throwaway workspace
# whose members are the crates, so the dependencies are built once and cargo compiles the crates in
# parallel. Per-crate times come from cargo's --timings report.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${SDKWRIGHT_CORPUS:-}" ]; then
  # ../shared next to the repository; from a git worktree, next to the main checkout.
  main="$(cd "$root" && cd "$(git rev-parse --git-common-dir 2>/dev/null || echo .)/.." && pwd)"
  for c in "$root/../shared/specs-corpus/openapi" "$main/../shared/specs-corpus/openapi"; do
    [ -d "$c" ] && { SDKWRIGHT_CORPUS="$c"; break; }
  done
fi
openapi="$(cd "${SDKWRIGHT_CORPUS:-$root/../shared/specs-corpus/openapi}" && pwd)" || {
  echo "corpus not found: set SDKWRIGHT_CORPUS to the openapi folder of specs-corpus" >&2; exit 100; }
corpus="$(dirname "$openapi")"
cd "$root"

# Documents expected to fail generation, with the reason. Key = the document's key (first column).
declare -A ALLOW=(
  [wsdl-amazon-sqs-queueservice]="no SOAP binding (HTTP GET/POST bindings only)"
  [wsdl-onvif-ver10-events-wsdl-bw-2-vs-mod]="no binding at all (abstract port types for other WSDLs)"
  [wsdl-wcf-service1-Service10]="no binding at all (WCF's split WSDL: the binding is in Service1.wsdl)"
  [wsdl-euroconsumers-partnerservice-PartnerService]="its types are in remote imports, not fetched (PartnerService.local.wsdl is the same service with local imports)"
  [wsdl-portaplus-api]="WCF split WSDL saved without its schemas: no message element is defined, so no operation can be generated"
  [graphql-github-cynic-issue-786]="the operation declares \$after and never uses it: invalid (All Variables Used), GitHub's server rejects it too; the error is located at issue-786.graphql:1:38"
  [wsdl-estes-imageview-ImageViewService]="imports 'ImageViewService?xsd=...' URLs saved without their files (ImageViewService.local.wsdl is the same service with local imports)"
)

if [ -n "${SWEEP_BIN:-}" ]; then
  bin="$SWEEP_BIN"
else
  echo "building the generator (release)..." >&2
  cargo build --release -q -p sdkwright || exit 100
  bin="${CARGO_TARGET_DIR:-$root/target}/release/sdkwright"
fi

if [ -n "${SWEEP_WORK:-}" ]; then
  work="$SWEEP_WORK"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
target="${SWEEP_TARGET:-$([ -d /work ] && echo /work/target-sweep-gen || echo "$work/target")}"
rm -rf "$work/crates" "$work/logs"; mkdir -p "$work/crates" "$work/logs" "$work/logs/mem"
# RUSTC_WRAPPER: cargo runs `wrapper rustc ARGS` (with clippy: `wrapper clippy-driver rustc ARGS`);
# a generated crate's compiler process runs under /usr/bin/time, which writes "peak-kB user sys".
wrapper=""
if [ -x /usr/bin/time ]; then
  wrapper="$work/rustc-wrapper.sh"
  cat >"$wrapper" <<'WRAP'
#!/bin/sh
crate=""; prev=""
for a in "$@"; do
  [ "$prev" = "--crate-name" ] && { crate="$a"; break; }
  prev="$a"
done
case "$crate" in
  sw_*) exec /usr/bin/time -q -f '%M %U %S' -o "$SWEEP_MEM_DIR/$crate" "$@" ;;
  *) exec "$@" ;;
esac
WRAP
  chmod +x "$wrapper"
else
  echo "no /usr/bin/time: no memory figures" >&2
fi
# cargo doc runs rustdoc without RUSTC_WRAPPER: RUSTDOC points at a second wrapper, which runs the
# toolchain's rustdoc the same way for a generated crate (into logs/mem too: a doc pass runs alone).
docwrapper=""
if [ -n "$wrapper" ]; then
  docwrapper="$work/rustdoc-wrapper.sh"
  real_rustdoc="${RUSTDOC:-$(rustc --print sysroot)/bin/rustdoc}"
  { echo '#!/bin/sh'; echo "real='$real_rustdoc'"; cat <<'WRAP'
crate=""; prev=""
for a in "$@"; do
  [ "$prev" = "--crate-name" ] && { crate="$a"; break; }
  prev="$a"
done
case "$crate" in
  sw_*)
    # Each crate into an output folder of its own: rustdoc reads and rewrites the search index and
    # the other cross-crate files of every crate already in its output folder, so in cargo's shared
    # target/doc a crate's peak grew with the number of crates documented before it (crates of a few
    # hundred lines: 356 MB the first, 1,316 MB after 100 others), not what a user would see.
    n=$#; prev=""
    for a in "$@"; do
      case "$prev" in -o|--out-dir) set -- "$@" "$a/../doc-own/$crate" ;; *) set -- "$@" "$a" ;; esac
      prev="$a"
    done
    shift "$n"
    exec /usr/bin/time -q -f '%M %U %S' -o "$SWEEP_MEM_DIR/$crate" "$real" "$@" ;;
  *) exec "$real" "$@" ;;
esac
WRAP
  } >"$docwrapper"
  chmod +x "$docwrapper"
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# key|spec|extra args (space separated)
docs=()
for f in "$openapi"/*; do
  base="$(basename "$f")"
  if [ -d "$f" ]; then
    case "$base" in
      digitalocean-multifile-3.0) spec="$f/DigitalOcean-public.v2.yaml" ;;
      oai-petstore-separate-2.0) spec="$f/spec/swagger.yaml" ;;
      *) echo "skip $base: folder without a known root file" >&2; continue ;;
    esac
  else
    spec="$f"
  fi
  # A multi-file document's references may leave the root file's folder (spec/ -> ../common/):
  # allow its whole folder (sdkwright reads only under the root file's folder by default).
  if [ -d "$f" ]; then docs+=("$base|$spec|--allow-path $f"); continue; fi
  docs+=("${base%.*}|$spec|")
  # Two files that differ only by extension keep distinct keys.
  case "$base" in *.yaml|*.yml) [ -e "${f%.*}.json" ] && docs[-1]="${base%.*}-yaml|$spec|" ;; esac
done
# GraphQL SDL schemas (the introspection JSON files are not an input format), one crate per
# operation document of queries/<schema>/ (github-cynic.schema.graphql -> queries/github-cynic/):
# those documents are independent test programs and reuse operation names between files. A schema
# without operation documents gets one crate without operations.
for f in "$corpus"/graphql/*.graphql; do
  [ -e "$f" ] || continue
  base="$(basename "$f")"; schema="${base%%.*}"   # github-cynic.schema.graphql -> github-cynic
  found=0
  for q in "$corpus/graphql/queries/$schema"/*.graphql; do
    [ -e "$q" ] || continue
    q_base="$(basename "$q")"
    docs+=("graphql-$schema-${q_base%.graphql}|$f|--operations $q"); found=1
  done
  [ $found = 1 ] || docs+=("graphql-$schema|$f|")
done
while IFS= read -r f; do
  rel="${f#"$corpus"/wsdl/}"; key="${rel%.wsdl}"; key="wsdl-${key//\//-}"
  # ONVIF's WSDLs import schemas from sibling folders (../../../ver10/schema/onvif.xsd).
  case "$rel" in
    onvif/*) docs+=("$key|$f|--allow-path $corpus/wsdl/onvif") ;;
    *) docs+=("$key|$f|") ;;
  esac
done < <(find "$corpus/wsdl" -name '*.wsdl' | sort)

# Kinds of document.
kinds=" ${SWEEP_KINDS:-openapi graphql wsdl} "
kept=()
for d in "${docs[@]}"; do
  case "${d%%|*}" in graphql-*) k=graphql ;; wsdl-*) k=wsdl ;; *) k=openapi ;; esac
  [[ "$kinds" == *" $k "* ]] && kept+=("$d")
done
docs=("${kept[@]}")

# Optional filter.
if [ $# -gt 0 ]; then
  kept=()
  for d in "${docs[@]}"; do
    for w in "$@"; do [[ "${d%%|*}" == *"$w"* ]] && { kept+=("$d"); break; }; done
  done
  docs=("${kept[@]}")
fi
if [ -n "${SWEEP_SKIP:-}" ]; then
  kept=()
  for d in "${docs[@]}"; do
    skip=0
    for w in $SWEEP_SKIP; do [[ "${d%%|*}" == *"$w"* ]] && { skip=1; break; }; done
    [ $skip = 1 ] || kept+=("$d")
  done
  docs=("${kept[@]}")
fi

crate_of() { # key -> crate name
  local c; c="$(echo "$1" | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9]/_/g')"; echo "sw_$c"
}

declare -A GEN GENT GENW LINES GENERR
members=()
for d in "${docs[@]}"; do
  IFS='|' read -r key spec extra <<<"$d"
  crate="$(crate_of "$key")"
  t0="$(now)"
  # shellcheck disable=SC2086
  if "$bin" generate "$spec" $extra --out "$work/crates/$crate" --name "$crate" \
      --runtime-path "$root/runtime" >"$work/logs/$key.gen" 2>&1; then
    GEN[$key]=ok
    LINES[$key]=$(cat "$work/crates/$crate"/src/*.rs | wc -l)
    members+=("$crate")
  else
    GEN[$key]=FAILED
    LINES[$key]=0
    GENERR[$key]="$(grep -m1 -E '^(error|Error)' "$work/logs/$key.gen" || tail -n1 "$work/logs/$key.gen")"
  fi
  GENT[$key]="$(since "$t0")"
  GENW[$key]=$(grep -c '^warning' "$work/logs/$key.gen")
  printf 'generated %-55s %-6s %6ss %7s lines %4s warnings\n' "$key" "${GEN[$key]}" "${GENT[$key]}" "${LINES[$key]}" "${GENW[$key]}" >&2
done

# One workspace over every generated crate.
{
  echo '[workspace]'
  echo 'resolver = "2"'
  echo 'members = ['
  for m in "${members[@]}"; do echo "  \"crates/$m\","; done
  echo ']'
} >"$work/Cargo.toml"

# Runs one cargo subcommand over the workspace; writes <tool>.json: crate -> {status, secs, errors, warnings, first}.
run_cargo() { # tool args...
  local tool="$1"; shift
  local t0; t0="$(now)"
  echo "cargo $tool over ${#members[@]} crates..." >&2
  rm -rf "$target/cargo-timings"
  rm -f "$work/logs/mem/"*
  local rustdoc_env=()
  [ "$tool" = doc ] && [ -n "$docwrapper" ] && rustdoc_env=("RUSTDOC=$docwrapper")
  (cd "$work" && env CARGO_TARGET_DIR="$target" RUSTC_WRAPPER="$wrapper" SWEEP_MEM_DIR="$work/logs/mem" \
      "${rustdoc_env[@]}" cargo "$tool" --workspace --keep-going --timings \
      --message-format=json "$@" >"$work/logs/$tool.jsonl" 2>"$work/logs/$tool.stderr")
  echo "cargo $tool: $(since "$t0") s wall" >&2
  python3 - "$work/logs/$tool.jsonl" "$target/cargo-timings/cargo-timing.html" "$work/logs/$tool.json" "$work/logs/mem" <<'EOF'
import json, os, re, sys
msgs, timings, out, memdir = sys.argv[1:5]
res = {}
def entry(pkg):
    # package_id: "path+file:///…/crates/sw_x#0.1.0" or "sw_x 0.1.0 (path+…)"
    m = re.search(r'/crates/([A-Za-z0-9_]+)', pkg)
    if not m: return None
    return res.setdefault(m.group(1), {"status": "failed", "secs": None, "errors": 0, "warnings": 0, "first": "", "lints": 0, "first_lint": ""})
for line in open(msgs, errors="replace"):
    try: m = json.loads(line)
    except ValueError: continue
    e = entry(m.get("package_id", ""))
    if e is None: continue
    if m.get("reason") == "compiler-message":
        msg = m["message"]; lvl = msg.get("level")
        if lvl == "error":
            if msg["message"].startswith("aborting due to") or re.match(r"could not compile", msg["message"]): continue
            e["errors"] += 1
            if not e["first"]:
                sp = next((s for s in msg.get("spans", []) if s.get("is_primary")), None)
                loc = f' at {sp["file_name"].split("/crates/")[-1]}:{sp["line_start"]}' if sp else ""
                e["first"] = (msg.get("code") or {}).get("code", "") + " " + msg["message"].splitlines()[0][:160] + loc
        elif lvl == "warning":
            if re.match(r"\d+ warnings? emitted|.*generated \d+ warnings?", msg["message"]): continue
            code = (msg.get("code") or {}).get("code") or ""
            if code.startswith("clippy::"):
                e["lints"] += 1
                if not e["first_lint"]:
                    sp = next((s for s in msg.get("spans", []) if s.get("is_primary")), None)
                    loc = f' at {sp["file_name"].split("/crates/")[-1]}:{sp["line_start"]}' if sp else ""
                    e["first_lint"] = code + " " + msg["message"].splitlines()[0][:160] + loc
                continue
            e["warnings"] += 1
            if not e["first"]:
                e["first"] = "warning: " + code + " " + msg["message"].splitlines()[0][:160]
    elif m.get("reason") == "compiler-artifact":
        e["status"] = "ok"
try:
    html = open(timings, errors="replace").read()
    data = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
    for u in json.loads(data.group(1)) if data else []:
        e = res.get(u.get("name", "").replace("-", "_"))
        if e is not None and u.get("mode", "") != "run-custom-build":
            e["secs"] = (e["secs"] or 0) + u.get("duration", 0)
except OSError:
    pass
for crate, e in res.items():
    try: kb, user, sys_ = open(os.path.join(memdir, crate)).read().split()[-3:]
    except (OSError, ValueError): continue
    e["peak_mb"] = round(int(kb) / 1024)
    e["cpu"] = round(float(user) + float(sys_), 1)
json.dump(res, open(out, "w"))
EOF
}

if [ "${SWEEP_NO_CHECK:-0}" != 1 ] && [ ${#members[@]} -gt 0 ]; then
  # Clippy reports everything check does, so with SWEEP_CLIPPY=1 it replaces check: one pass,
  # lints as warnings (so every crate is linted to the end), counted apart from rustc's warnings;
  # a crate passes when it has neither (= `cargo clippy -- -D warnings` passes).
  # With SWEEP_CHECK=1 as well, check runs first on its own: its figures are check's.
  if [ "${SWEEP_CLIPPY:-0}" = 1 ]; then
    if [ "${SWEEP_CHECK:-0}" = 1 ]; then run_cargo check; fi
    run_cargo clippy
    [ "${SWEEP_CHECK:-0}" = 1 ] || cp "$work/logs/clippy.json" "$work/logs/check.json"
  else run_cargo check; fi
  # rustdoc's warnings, errors (a crate rustdoc cannot document) and its own peak memory.
  if [ "${SWEEP_DOC:-0}" = 1 ]; then run_cargo doc --no-deps; fi
fi

# The table.
passed=0; failed=0; unexpected=0
# The per-crate results, read once: R[tool/crate/field].
declare -A R
for tool in check clippy doc; do
  [ -f "$work/logs/$tool.json" ] || continue
  while IFS=$'\t' read -r crate field value; do R["$tool/$crate/$field"]="$value"; done < <(
    python3 -c 'import json,sys
for c, d in json.load(open(sys.argv[1])).items():
    for k, v in d.items(): print(c, k, "" if v is None else str(v).replace("\t", " "), sep="\t")' "$work/logs/$tool.json")
done
load() { # tool crate field
  local k="$1/$2/$3"
  if [ -n "${R[$k]+x}" ]; then echo "${R[$k]}"; else echo "-"; fi
}
doc_warnings() { # crate -> rustdoc's warnings and errors, "-" when it did not run
  local w e; w="$(load doc "$1" warnings)"; e="$(load doc "$1" errors)"
  if [ "$w" = "-" ]; then echo "-"; else echo $((w + e)); fi
}
printf '%-50s %-6s %6s %8s %5s | %-6s %7s %6s %6s %4s %4s' key gen secs lines warn check secs cpu peakMB err warn
[ "${SWEEP_CLIPPY:-0}" = 1 ] && printf ' | %-6s %4s' clippy lint
[ "${SWEEP_DOC:-0}" = 1 ] && printf ' | %4s %6s %6s' docw cpu peakMB
printf ' | first problem\n'
: >"$work/logs/rows.tsv"
for d in "${docs[@]}"; do
  IFS='|' read -r key spec extra <<<"$d"
  crate="$(crate_of "$key")"
  ok=1; first=""
  cst="-"; csecs=""; ccpu=""; cmem=""; cerr=""; cwarn=""; lst=""; lerr=""; dw=""
  lcpu=""; lmem=""; dcpu=""; dmem=""
  if [ "${GEN[$key]}" = ok ]; then
    if [ "${SWEEP_NO_CHECK:-0}" != 1 ]; then
      cst="$(load check "$crate" status)"; csecs="$(load check "$crate" secs)"
      cerr="$(load check "$crate" errors)"; cwarn="$(load check "$crate" warnings)"
      ccpu="$(load check "$crate" cpu)"; cmem="$(load check "$crate" peak_mb)"
      first="$(load check "$crate" first)"
      [ "$cst" = ok ] && [ "$cerr" = 0 ] && [ "$cwarn" = 0 ] || ok=0
      [ -n "$csecs" ] && [ "$csecs" != "-" ] && csecs="$(printf '%.1f' "$csecs")"
      if [ "${SWEEP_CLIPPY:-0}" = 1 ]; then
        lcpu="$(load clippy "$crate" cpu)"; lmem="$(load clippy "$crate" peak_mb)"
        # errors and rustc warnings as clippy saw them (the same as check's)
        cerr="$(load clippy "$crate" errors)"; cwarn="$(load clippy "$crate" warnings)"
        [ "$(load clippy "$crate" status)" = ok ] && [ "$cerr" = 0 ] && [ "$cwarn" = 0 ] || ok=0
        lerr="$(load clippy "$crate" lints)"; lst=ok; [ "$lerr" = 0 ] || lst=lints
        [ "$lerr" = 0 ] || { ok=0; [ -z "$first" ] && first="clippy: $(load clippy "$crate" first_lint)"; }
      fi
      if [ "${SWEEP_DOC:-0}" = 1 ]; then
        dw="$(doc_warnings "$crate")"; dcpu="$(load doc "$crate" cpu)"; dmem="$(load doc "$crate" peak_mb)"
        [ "$(load doc "$crate" status)" = ok ] || { ok=0; [ -z "$first" ] && first="rustdoc failed: $(load doc "$crate" first)"; }
        [ "$dw" = 0 ] || { ok=0; [ -z "$first" ] && first="rustdoc: $dw warnings: $(load doc "$crate" first)"; }
      fi
    fi
  else
    ok=0; first="${GENERR[$key]}"
  fi
  if [ $ok = 1 ]; then
    passed=$((passed + 1))
    [ -n "${ALLOW[$key]:-}" ] && first="(allowlisted, but passed: ${ALLOW[$key]})"
  else
    failed=$((failed + 1))
    if [ -n "${ALLOW[$key]:-}" ]; then first="expected: ${ALLOW[$key]} -- $first"; else unexpected=$((unexpected + 1)); fi
  fi
  printf '%-50s %-6s %6s %8s %5s | %-6s %7s %6s %6s %4s %4s' "$key" "${GEN[$key]}" "${GENT[$key]}" "${LINES[$key]}" "${GENW[$key]}" "$cst" "$csecs" "$ccpu" "$cmem" "$cerr" "$cwarn"
  [ "${SWEEP_CLIPPY:-0}" = 1 ] && printf ' | %-6s %4s' "$lst" "$lerr"
  [ "${SWEEP_DOC:-0}" = 1 ] && printf ' | %4s %6s %6s' "$dw" "$dcpu" "$dmem"
  printf ' | %s\n' "$first"
  # rows.tsv: key gen lines checkCPU checkMB clippyCPU clippyMB docCPU docMB errors warnings lints
  # docwarnings first; check's figures only when check ran on its own (not clippy's copy).
  kcpu="$ccpu"; kmem="$cmem"
  [ "${SWEEP_CLIPPY:-0}" = 1 ] && [ "${SWEEP_CHECK:-0}" != 1 ] && { kcpu=""; kmem=""; }
  printf '%s\t' "$key" "${GEN[$key]}" "${LINES[$key]}" "$kcpu" "$kmem" "$lcpu" "$lmem" "$dcpu" "$dmem" \
    "$cerr" "$cwarn" "$lerr" "$dw" >>"$work/logs/rows.tsv"
  printf '%s\n' "${first//$'\t'/ }" >>"$work/logs/rows.tsv"
done
echo "$passed passed, $failed failed ($unexpected unexpected)"
if [ -n "${SWEEP_MARKDOWN:-}" ]; then
  # shellcheck disable=SC2086
  python3 - "${SWEEP_CLIPPY:-0}" "${SWEEP_DOC:-0}" ${SWEEP_MERGE:-} "$work/logs/rows.tsv" >"$SWEEP_MARKDOWN" <<'EOF'
import sys
clippy, doc = sys.argv[1] == "1", sys.argv[2] == "1"
rows = {}
for f in sys.argv[3:]:  # later files replace earlier rows of the same document
    for l in open(f):
        if l.strip():
            r = l.rstrip("\n").split("\t")
            rows[r[0]] = r
num = lambda v: float(v) if v not in ("", "-") else -1.0
peak = lambda r: max(num(r[4]), num(r[6]), num(r[8]))
rows = sorted(rows.values(), key=lambda r: (-peak(r), r[0]))
def mb(v):
    if v in ("", "-"): return "-"
    shown = f"{int(num(v)):,}"
    return f"**{shown}** (over 2 GB)" if num(v) > 2048 else shown
cols = ["document", "lines", "check CPU s", "check peak MB"]
if clippy: cols += ["clippy CPU s", "clippy peak MB"]
if doc: cols += ["rustdoc CPU s", "rustdoc peak MB"]
cols.append("errors / warnings" + (" / lints" if clippy else "") + (" / rustdoc warnings" if doc else ""))
print("| " + " | ".join(cols) + " |")
print("|---|" + "---:|" * (len(cols) - 2) + "---|")
for key, gen, lines, kcpu, kmem, lcpu, lmem, dcpu, dmem, err, warn, lint, dw, first in rows:
    first = first.replace("|", "\\|")
    if gen != "ok":
        print(f"| {key} | not generated |" + " |" * (len(cols) - 3) + f" {first} |")
        continue
    res = f"{err} / {warn}" + (f" / {lint}" if clippy else "") + (f" / {dw}" if doc else "")
    if err in ("", "-"): res = "not compiled"
    if first: res += f" ({first})"
    cells = [key, f"{int(lines):,}", kcpu or "-", mb(kmem)]
    if clippy: cells += [lcpu or "-", mb(lmem)]
    if doc: cells += [dcpu or "-", mb(dmem)]
    cells.append(res)
    print("| " + " | ".join(cells) + " |")
EOF
fi
# The generator's diagnostics by code: count, then the documents with the most.
keys=(); for d in "${docs[@]}"; do keys+=("${d%%|*}"); done
python3 - "$work/logs" "${keys[@]}" <<'EOF'
import re, sys, collections
logs, keys = sys.argv[1], sys.argv[2:]
by_code = collections.defaultdict(collections.Counter)
for key in keys:
    try: text = open(f"{logs}/{key}.gen", errors="replace").read()
    except OSError: continue
    for m in re.finditer(r"^(warning|error)\[([^\]]+)\]", text, re.M):
        by_code[(m.group(1), m.group(2))][key] += 1
if by_code:
    print("generator diagnostics by code (count: documents):")
for (sev, code), docs in sorted(by_code.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
    top = ", ".join(f"{k} {n}" for k, n in docs.most_common(4))
    more = f", +{len(docs) - 4} more" if len(docs) > 4 else ""
    print(f"  {sev}[{code}] {sum(docs.values())}: {top}{more}")
EOF
[ -z "${SWEEP_WORK:-}" ] || echo "logs: $work/logs" >&2
[ $unexpected -gt 100 ] && unexpected=100
exit $unexpected
