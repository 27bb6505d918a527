#!/usr/bin/env bash
# Starts and stops a Prism mock server (https://stoplight.io/prism) for an OpenAPI document.
#
#   scripts/prism.sh start SPEC [PORT [PRISM-ARGS...]]
#                                        background; waits until PORT answers (default 4010);
#                                        e.g. `start specs/petstore.yaml 4010 --errors` as the e2e tests do
#   scripts/prism.sh stop [PORT]         stops the server started for PORT
#   scripts/prism.sh status [PORT]
#
# Prism is installed locally by `npm ci` (package.json pins @stoplight/prism-cli). The pid file and
# the log are target/prism-PORT.{pid,log} under the repository root. Works from any directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRISM="$ROOT/node_modules/.bin/prism"
STATE_DIR="$ROOT/target"
READY_TIMEOUT_SECS=30

die() { echo "prism.sh: error: $*" >&2; exit 1; }
usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Any HTTP answer (Prism says 404/401/422 for routes and credentials it does not know) means it is up.
answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" ; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

cmd="${1:-}"; [[ -n "$cmd" ]] || usage
shift

case "$cmd" in
start)
    spec="${1:-}"; port="${2:-4010}"
    extra=("${@:3}")
    [[ -n "$spec" ]] || usage
    [[ -f "$spec" ]] || die "no such spec: $spec"
    spec="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"
    [[ -x "$PRISM" ]] || die "$PRISM is missing; run \`npm ci\` in $ROOT first"
    mkdir -p "$STATE_DIR"
    pidfile="$STATE_DIR/prism-$port.pid"; log="$STATE_DIR/prism-$port.log"
    if pid_alive "$pidfile"; then die "a Prism started by this script already runs on port $port (pid $(cat "$pidfile")); stop it first"; fi
    if answers "$port"; then die "port $port is already in use by another process"; fi
    echo "+ $PRISM mock $spec -h 127.0.0.1 -p $port ${extra[*]}  (log: $log)"
    # setsid: its own process group, so `stop` ends node and anything it spawned, and nothing else.
    setsid "$PRISM" mock "$spec" -h 127.0.0.1 -p "$port" "${extra[@]}" >"$log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    for _ in $(seq 1 $((READY_TIMEOUT_SECS * 5))); do
        if answers "$port"; then echo "Prism is up on http://127.0.0.1:$port (pid $(cat "$pidfile"))"; exit 0; fi
        if ! pid_alive "$pidfile"; then
            echo "---- $log" >&2; cat "$log" >&2
            rm -f "$pidfile"
            die "Prism exited before it answered on port $port (invalid spec?)"
        fi
        sleep 0.2
    done
    echo "---- $log" >&2; cat "$log" >&2
    kill -- "-$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
    die "Prism did not answer on port $port within ${READY_TIMEOUT_SECS}s"
    ;;
stop)
    port="${1:-4010}"; pidfile="$STATE_DIR/prism-$port.pid"
    if ! pid_alive "$pidfile"; then rm -f "$pidfile"; echo "no Prism started by this script runs on port $port"; exit 0; fi
    pid="$(cat "$pidfile")"
    echo "+ stopping Prism on port $port (pid $pid)"
    kill -- "-$pid" 2>/dev/null || kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid"; }
    rm -f "$pidfile"
    ;;
status)
    port="${1:-4010}"; pidfile="$STATE_DIR/prism-$port.pid"
    if pid_alive "$pidfile"; then echo "running on port $port (pid $(cat "$pidfile"))"; else echo "not running on port $port"; exit 1; fi
    ;;
*) usage ;;
esac
