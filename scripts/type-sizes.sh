#!/usr/bin/env bash
# Type sizes of big generated clients, and a Stripe call on a 2 MiB thread stack.
# A benchmark, not a test (compiling the Stripe crate takes minutes): see docs/benchmarks.md.
#
#   bash scripts/type-sizes.sh                 Stripe, GitHub and Exchange EWS
#   bash scripts/type-sizes.sh stripe          only those keys (stripe, github, ews)
#
# For each document it generates the crate from the shared corpus, adds a test that prints
# `size_of` of every type of `src/types.rs` (the largest first), and runs it; for Stripe it also
# adds and runs `tests/stack.rs`: a thread with a 2 MiB stack (the default of `std::thread`)
# running a current-thread tokio runtime calls `retrieve customer` (GET /v1/customers/{id})
# against a loopback server answering a customer object, and decodes it.
#
# Environment:
#   SDKWRIGHT_CORPUS  the OpenAPI folder of the corpus (default ../shared/specs-corpus/openapi)
#   TYPE_SIZES_MAX    fail when a type is larger than this many bytes (default: report only)
#   TYPE_SIZES_TOP    how many of the largest types to print (default 10)
#   TYPE_SIZES_WORK   scratch folder, kept afterwards (default: a temporary folder, removed)
#   TYPE_SIZES_TARGET target dir for the generated crates (default $TYPE_SIZES_WORK/target)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${SDKWRIGHT_CORPUS:-}" ]; then
  main="$(cd "$root" && cd "$(git rev-parse --git-common-dir 2>/dev/null || echo .)/.." && pwd)"
  for c in "$root/../shared/specs-corpus/openapi" "$main/../shared/specs-corpus/openapi"; do
    [ -d "$c" ] && { SDKWRIGHT_CORPUS="$c"; break; }
  done
fi
openapi="$(cd "${SDKWRIGHT_CORPUS:-$root/../shared/specs-corpus/openapi}" && pwd)" || {
  echo "corpus not found: set SDKWRIGHT_CORPUS to the openapi folder of specs-corpus" >&2; exit 100; }
corpus="$(dirname "$openapi")"
keys=("$@")
[ ${#keys[@]} -eq 0 ] && keys=(stripe github ews)
top="${TYPE_SIZES_TOP:-10}"
max="${TYPE_SIZES_MAX:-0}"

cd "$root"
echo "building the generator..." >&2
cargo build -q -p sdkwright --bin sdkwright || exit 100
bin="${CARGO_TARGET_DIR:-$root/target}/debug/sdkwright"

if [ -n "${TYPE_SIZES_WORK:-}" ]; then
  work="$TYPE_SIZES_WORK"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
target="${TYPE_SIZES_TARGET:-$work/target}"
rm -rf "$work/crates"; mkdir -p "$work/crates"

members=()
for key in "${keys[@]}"; do
  case "$key" in
    stripe) spec="$openapi/stripe-spec3-2023-09-3.0.yaml" ;;
    github) spec="$openapi/github-api.github.com-3.0-progenitor-snapshot.json" ;;
    ews) spec="$corpus/wsdl/ms-exchange-ews/services.wsdl" ;;
    *) echo "unknown key $key (stripe, github, ews)" >&2; exit 100 ;;
  esac
  name="type-sizes-$key"
  dir="$work/crates/$key"
  "$bin" generate "$spec" --out "$dir" --name "$name" --runtime-path "$root/runtime" \
    >"$work/$key.generate.log" 2>&1 || { cat "$work/$key.generate.log" >&2; exit 1; }
  lib="${name//-/_}"
  mkdir -p "$dir/tests"
  # Only the tests below: compiling the library a second time as a unit-test harness would
  # double the build of a crate this size.
  printf '\n[lib]\ntest = false\ndoctest = false\n' >>"$dir/Cargo.toml"
  {
    echo "// Written by scripts/type-sizes.sh: size_of of every type in src/types.rs."
    echo "#[test]"
    echo "fn type_sizes() {"
    echo "    let mut sizes: Vec<(usize, &str)> = vec!["
    grep -E '^pub (struct|enum|type) [A-Za-z0-9_]+' "$dir/src/types.rs" \
      | sed -E 's/^pub (struct|enum|type) (r#)?([A-Za-z0-9_]+).*/\2\3/' \
      | while read -r t; do
          echo "        (std::mem::size_of::<$lib::types::$t>(), \"$t\"),"
        done
    echo "    ];"
    echo "    sizes.sort_by(|a, b| b.cmp(a));"
    echo "    let max: usize = std::env::var(\"TYPE_SIZES_MAX\").ok().and_then(|m| m.parse().ok()).unwrap_or(0);"
    echo "    let over: Vec<_> = sizes.iter().filter(|(s, _)| max > 0 && *s > max).collect();"
    echo "    println!(\"$key: {} types; largest:\", sizes.len());"
    echo "    for (size, name) in sizes.iter().take($top) { println!(\"  {size:>8} B  {name}\"); }"
    echo "    assert!(over.is_empty(), \"{} types larger than {max} bytes: {over:?}\", over.len());"
    echo "}"
  } >"$dir/tests/type_sizes.rs"
  if [ "$key" = stripe ]; then
    cat >>"$dir/Cargo.toml" <<'EOF'

[dev-dependencies]
tokio = { version = "1", features = ["rt", "net", "io-util"] }
EOF
    sed "s/CRATE/$lib/g" >"$dir/tests/stack.rs" <<'EOF'
// Written by scripts/type-sizes.sh: one Stripe call on a thread with a 2 MiB stack.
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CUSTOMER: &str = r#"{"id":"cus_NffrFeUfNV2Hib","object":"customer","address":null,"balance":0,"created":1680893993,"currency":null,"default_source":null,"delinquent":false,"description":null,"discount":null,"email":"jennyrosen@example.com","invoice_prefix":"0759376C","invoice_settings":{"custom_fields":null,"default_payment_method":null,"footer":null,"rendering_options":null},"livemode":false,"metadata":{},"name":"Jenny Rosen","next_invoice_sequence":1,"phone":null,"preferred_locales":[],"shipping":null,"tax_exempt":"none","test_clock":null}"#;

async fn serve_once(listener: tokio::net::TcpListener) -> String {
    let (mut sock, _) = listener.accept().await.expect("accept");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut chunk).await.expect("read");
        if n == 0 { break; }
        buf.extend_from_slice(&chunk[..n]);
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{CUSTOMER}",
        CUSTOMER.len()
    );
    sock.write_all(response.as_bytes()).await.expect("write");
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn retrieve_customer_on_a_2_mib_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
                let url = format!("http://{}", listener.local_addr().expect("addr"));
                let server = tokio::spawn(serve_once(listener));
                let client = CRATE::Client::builder().base_url(url).build().expect("client");
                let customer = client.get_customers_customer("cus_NffrFeUfNV2Hib").send().await;
                let request = server.await.expect("server");
                (format!("{customer:?}"), request)
            })
        })
        .expect("spawn");
    let (customer, request) = handle.join().expect("the call overflowed or panicked");
    println!("request: {}", request.lines().next().unwrap_or(""));
    println!("decoded: {}", &customer[..customer.len().min(300)]);
    assert!(request.starts_with("GET /v1/customers/cus_NffrFeUfNV2Hib"), "{request}");
    assert!(customer.starts_with("Ok("), "{customer}");
    assert!(customer.contains("jennyrosen@example.com"), "{customer}");
}
EOF
  fi
  members+=("\"crates/$key\"")
done

{
  echo "[workspace]"
  echo "resolver = \"2\""
  echo "members = [$(IFS=,; echo "${members[*]}")]"
  echo "[profile.dev]"
  echo "debug = \"line-tables-only\""
  echo "[profile.dev.package.\"*\"]"
  echo "debug = false"
} >"$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock" 2>/dev/null

status=0
for key in "${keys[@]}"; do
  name="type-sizes-$key"
  start=$(date +%s)
  if ! (cd "$work" && CARGO_TARGET_DIR="$target" cargo test -q -p "$name" --tests --no-run >"$work/$key.build.log" 2>&1); then
    echo "$key: build failed, see $work/$key.build.log" >&2; tail -30 "$work/$key.build.log" >&2; status=1; continue
  fi
  echo "$key: crate and tests built in $(( $(date +%s) - start )) s"
  (cd "$work" && CARGO_TARGET_DIR="$target" TYPE_SIZES_MAX="$max" cargo test -q -p "$name" --tests -- --nocapture --test-threads 1 2>&1 \
    | grep -vE '^(running|test result|$)') || status=1
done
exit $status
