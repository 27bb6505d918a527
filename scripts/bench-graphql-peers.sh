#!/usr/bin/env bash
# sdkwright's GraphQL client side by side with graphql_client and cynic, for one schema and one
# operation, measured in one run (docs/graphql-peers.md holds the table built from it).
# Not a test: it asserts nothing, it measures and prints. Slow (it builds both peers from
# crates.io): run it by hand, never in CI.
#
#   bash scripts/bench-graphql-peers.sh
#
# Inputs: the GitHub schema of the shared corpus (graphql/github-cynic.schema.graphql, cynic's copy
# of GitHub's public schema, 59,817 lines; cynic-querygen 3.14 cannot parse the corpus's other
# GitHub schema, graphql_client's example one, and the script says so) and scripts/graphql-peers/:
# repo-view.graphql (a named fragment, nullable list items, an interface with a member selected,
# custom scalars), repo-view-invalid.graphql (the same with a misspelt field) and response.json
# (a response with a null list item, a `Bot` and an unknown `FutureActor` author).
#
# Peers (from crates.io, into a scratch workspace; nothing installed globally):
#   graphql_client 0.16 (`#[derive(GraphQLQuery)]`; its generated code printed with
#                        graphql_client_codegen 0.16 in CLI mode for the line count)
#   cynic 3 (the structs written by cynic-querygen 3, the schema registered by
#            cynic-codegen in build.rs, `#[cynic::schema]`)
#
# Per tool: lines of Rust generated for the operation (non-blank, after prettyplease for
# graphql_client; cynic's querygen output is code its users keep), the time to build the crate
# alone (`cargo build` after its dependencies are built and its lib.rs touched: proc macros and
# build scripts that read the schema count), what decoding response.json gives, and the first
# error line for the invalid document.
#
# Environment: SDKWRIGHT_CORPUS (default ../shared/specs-corpus, also tried one level up),
# CARGO_TARGET_DIR (for building sdkwright), BENCH_WORK (scratch dir, default a fresh mktemp -d,
# kept at the end; remove it afterwards), BENCH_TARGET (the scratch workspace's target dir,
# default BENCH_WORK/target: a few GB).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ -n "${SDKWRIGHT_CORPUS:-}" ]; then
  corpus="$SDKWRIGHT_CORPUS"
else
  corpus="$root/../shared/specs-corpus"
  [ -d "$corpus" ] || corpus="$root/../../shared/specs-corpus"
fi
schema="$corpus/graphql/github-cynic.schema.graphql"
other_schema="$corpus/graphql/github-graphql-client-example.schema.graphql"
peers="$root/scripts/graphql-peers"
work="${BENCH_WORK:-$(mktemp -d /tmp/bench-graphql-peers.XXXXXX)}"
mkdir -p "$work"
export CARGO_INCREMENTAL=0
say() { echo "bench-graphql-peers: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
lines() { cat "$@" | grep -cv '^[[:space:]]*$'; }
[ -f "$schema" ] || { say "no schema at $schema (set SDKWRIGHT_CORPUS)"; exit 1; }

say "building sdkwright"
cargo build -q -p sdkwright --bin sdkwright || exit 1
sdkwright="${CARGO_TARGET_DIR:-$root/target}/debug/sdkwright"
export CARGO_TARGET_DIR="${BENCH_TARGET:-$work/target}"
bin="$CARGO_TARGET_DIR/debug"

# The scratch workspace: the three client crates, a decoder for each, and two generators.
cp "$schema" "$work/schema.graphql"
cp "$peers"/repo-view.graphql "$peers"/repo-view-invalid.graphql "$peers"/response.json "$work/"
cat >"$work/Cargo.toml" <<'EOF'
[workspace]
members = ["sdk", "sdk-decode", "gc", "gc-decode", "gc-gen", "cy", "cy-decode", "cy-gen"]
resolver = "2"
EOF

# sdkwright: the generated crate, and a decoder.
t0=$(now)
"$sdkwright" generate "$work/schema.graphql" --operations "$work/repo-view.graphql" \
  --name gqlpeers-sdkwright --runtime-path "$root/runtime" --out "$work/sdk" 2>"$work/sdk-gen.log"
sdk_gen_s=$(since "$t0")
mkdir -p "$work/sdk-decode/src"
cat >"$work/sdk-decode/Cargo.toml" <<'EOF'
[package]
name = "sdk-decode"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
gqlpeers-sdkwright = { path = "../sdk" }
serde_json = "1"
EOF
cat >"$work/sdk-decode/src/main.rs" <<'EOF'
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    match serde_json::from_value::<gqlpeers_sdkwright::types::RepoViewData>(v["data"].take()) {
        Ok(d) => println!("ok {d:?}"),
        Err(e) => println!("error: {e}"),
    }
}
EOF

# graphql_client: the derive, a decoder, and its code generator run as a library.
mkdir -p "$work/gc/src" "$work/gc-decode/src" "$work/gc-gen/src"
cat >"$work/gc/Cargo.toml" <<'EOF'
[package]
name = "gqlpeers-graphql-client"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
graphql_client = "0.16"
serde = { version = "1", features = ["derive"] }
EOF
cat >"$work/gc/src/lib.rs" <<'EOF'
//! graphql_client needs a Rust type in scope for each custom scalar the operation uses.
use graphql_client::GraphQLQuery;
pub type DateTime = String;
#[allow(clippy::upper_case_acronyms)]
pub type URI = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../repo-view.graphql",
    response_derives = "Debug, PartialEq"
)]
pub struct RepoView;
EOF
cat >"$work/gc-decode/Cargo.toml" <<'EOF'
[package]
name = "gc-decode"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
gqlpeers-graphql-client = { path = "../gc" }
graphql_client = "0.16"
serde_json = "1"
EOF
cat >"$work/gc-decode/src/main.rs" <<'EOF'
use gqlpeers_graphql_client::repo_view::ResponseData;
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    match serde_json::from_str::<graphql_client::Response<ResponseData>>(&text) {
        Ok(r) => println!("ok {:?}", r.data),
        Err(e) => println!("error: {e}"),
    }
}
EOF
cat >"$work/gc-gen/Cargo.toml" <<'EOF'
[package]
name = "gc-gen"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
graphql_client_codegen = "0.16"
syn = { version = "2", features = ["full"] }
prettyplease = "0.2"
EOF
cat >"$work/gc-gen/src/main.rs" <<'EOF'
use graphql_client_codegen::{generate_module_token_stream, CodegenMode, GraphQLClientCodegenOptions};
fn main() {
    let mut a = std::env::args().skip(1);
    let (schema, query) = (a.next().unwrap(), a.next().unwrap());
    let mut options = GraphQLClientCodegenOptions::new(CodegenMode::Cli);
    options.set_response_derives("Debug, PartialEq".into());
    match generate_module_token_stream(query.into(), std::path::Path::new(&schema), options) {
        Ok(tokens) => println!("{}", prettyplease::unparse(&syn::parse2(tokens).unwrap())),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
EOF

# cynic: the schema registered in build.rs, the structs cynic-querygen writes, a decoder.
mkdir -p "$work/cy/src" "$work/cy-decode/src" "$work/cy-gen/src"
cat >"$work/cy/Cargo.toml" <<'EOF'
[package]
name = "gqlpeers-cynic"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
cynic = "3"
[build-dependencies]
cynic-codegen = "3"
EOF
cat >"$work/cy/build.rs" <<'EOF'
fn main() {
    cynic_codegen::register_schema("github")
        .from_sdl_file("../schema.graphql")
        .unwrap()
        .as_default()
        .unwrap();
}
EOF
cat >"$work/cy-decode/Cargo.toml" <<'EOF'
[package]
name = "cy-decode"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
gqlpeers-cynic = { path = "../cy" }
cynic = "3"
serde_json = "1"
EOF
cat >"$work/cy-decode/src/main.rs" <<'EOF'
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    match serde_json::from_str::<cynic::GraphQlResponse<gqlpeers_cynic::RepoView>>(&text) {
        Ok(r) => println!("ok {:?}", r.data),
        Err(e) => println!("error: {e}"),
    }
}
EOF
cat >"$work/cy-gen/Cargo.toml" <<'EOF'
[package]
name = "cy-gen"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
cynic-querygen = "3"
EOF
cat >"$work/cy-gen/src/main.rs" <<'EOF'
fn main() {
    let mut a = std::env::args().skip(1);
    let (schema, query) = (a.next().unwrap(), a.next().unwrap());
    let schema = std::fs::read_to_string(schema).unwrap();
    let query = std::fs::read_to_string(query).unwrap();
    let options = cynic_querygen::QueryGenOptions {
        schema_name: Some("github".into()),
        ..Default::default()
    };
    match cynic_querygen::document_to_fragment_structs(query, schema, &options) {
        Ok(code) => println!("{code}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
EOF
# Until cy-gen has run, cy's lib.rs is a placeholder.
echo '#[cynic::schema("github")] mod schema {}' >"$work/cy/src/lib.rs"

cd "$work" || exit 1
say "building the generators and every dependency (slow the first time)"
nice cargo build -q -p gc-gen -p cy-gen 2>"$work/gen-build.log" || { say "generators did not build: $work/gen-build.log"; tail -5 "$work/gen-build.log"; }
t0=$(now)
"$bin/gc-gen" schema.graphql repo-view.graphql >"$work/gc-generated.rs" 2>"$work/gc-gen.log"
gc_gen_s=$(since "$t0")
t0=$(now)
"$bin/cy-gen" schema.graphql repo-view.graphql >"$work/cy-generated.rs" 2>"$work/cy-gen.log"
cy_gen_s=$(since "$t0")
{
  echo '#[cynic::schema("github")]'
  echo 'mod schema {}'
  echo
  cat "$work/cy-generated.rs"
} >"$work/cy/src/lib.rs"

# Build each crate with its dependencies, then again alone.
declare -A built build_s
for pkg in gqlpeers-sdkwright gqlpeers-graphql-client gqlpeers-cynic; do
  case "$pkg" in
    gqlpeers-sdkwright) dir=sdk; dec=sdk-decode ;;
    gqlpeers-graphql-client) dir=gc; dec=gc-decode ;;
    gqlpeers-cynic) dir=cy; dec=cy-decode ;;
  esac
  if nice cargo build -q -p "$dec" 2>"$work/$dir-build.log"; then
    built[$pkg]=yes
    touch "$work/$dir/src/lib.rs"
    t0=$(now)
    nice cargo build -q -p "$pkg" 2>>"$work/$dir-build.log"
    build_s[$pkg]=$(since "$t0")
  else
    built[$pkg]=no
    build_s[$pkg]="failed ($(grep -m1 '^error' "$work/$dir-build.log"))"
  fi
done

decode() {
  local exe="$bin/$1"
  [ -x "$exe" ] || { echo "not built"; return; }
  "$exe" "$work/response.json" | tee "$work/$1.out" | cut -c1-160
}

# The invalid document: the first error line of each.
cp repo-view-invalid.graphql invalid.graphql
sdk_invalid=$("$sdkwright" generate schema.graphql --operations invalid.graphql --name x --out "$work/sdk-invalid" 2>&1 | grep -A1 -m1 -i 'error' | tr '\n' ' ')
gc_invalid=$("$bin/gc-gen" schema.graphql invalid.graphql 2>&1 >/dev/null | grep -m1 .)
cy_invalid=$(RUST_BACKTRACE=0 "$bin/cy-gen" schema.graphql invalid.graphql 2>&1 >/dev/null | grep -v '^note:' | head -2 | tr '\n' ' ')
# The other GitHub schema of the corpus, and graphql_client without `__typename` on `author`.
cy_other=$("$bin/cy-gen" "$other_schema" repo-view.graphql 2>&1 >/dev/null | head -1)
grep -v '^ *__typename$' repo-view.graphql >no-typename.graphql
gc_no_typename=$("$bin/gc-gen" schema.graphql no-typename.graphql 2>&1 >/dev/null | head -1)
sdk_no_typename=$("$sdkwright" generate schema.graphql --operations no-typename.graphql --name x --out "$work/sdk-no-typename" 2>&1 | grep -m1 -i 'error\|generated')

echo
echo "schema: $(basename "$schema") ($(wc -l <"$schema") lines); operation: scripts/graphql-peers/repo-view.graphql"
echo "rustc: $(rustc --version)"
echo
printf '%-22s | %-16s | %-16s | %-16s\n' "" sdkwright graphql_client cynic
printf '%-22s | %-16s | %-16s | %-16s\n' "generation (s)" "$sdk_gen_s" "$gc_gen_s (lib)" "$cy_gen_s (lib)"
printf '%-22s | %-16s | %-16s | %-16s\n' "generated lines" \
  "$(lines "$work"/sdk/src/*.rs)" "$(lines "$work/gc-generated.rs")" "$(lines "$work/cy-generated.rs")"
printf '%-22s | %-16s | %-16s | %-16s\n' "crate build alone (s)" \
  "${build_s[gqlpeers-sdkwright]}" "${build_s[gqlpeers-graphql-client]}" "${build_s[gqlpeers-cynic]}"
echo
echo "decoding response.json (null item, Bot and FutureActor authors):"
echo "  sdkwright:      $(decode sdk-decode)"
echo "  graphql_client: $(decode gc-decode)"
echo "  cynic:          $(decode cy-decode)"
# The same response without the item of a type unknown to the schema.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=d["data"]["repository"]["issues"]["nodes"]; n[:] = [i for i in n if not (i and i["author"]["__typename"] == "FutureActor")]; json.dump(d, open(sys.argv[2], "w"))' \
  "$work/response.json" "$work/response-known.json"
echo "without the FutureActor item, graphql_client: $("$bin/gc-decode" "$work/response-known.json" | cut -c1-160)"
echo
echo "invalid document (misspelt field):"
echo "  sdkwright:      $sdk_invalid"
echo "  graphql_client: $gc_invalid"
echo "  cynic:          $cy_invalid"
echo
echo "cynic-querygen on $(basename "$other_schema"): ${cy_other:-ok}"
echo "without __typename on author: sdkwright: $sdk_no_typename; graphql_client: ${gc_no_typename:-ok}"
echo
say "outputs and logs in $work (remove it when done: rm -rf $work)"
