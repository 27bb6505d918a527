#!/usr/bin/env bash
# Installs the Python SOAP peers the e2e tests use into a virtualenv under target/pyenv.
#
#   scripts/python-env.sh
#
# - spyne 2.14.0: a SOAP 1.1 server (e2e/soap/spyne_server.py), which also publishes its own WSDL
# - zeep 4.3.3:   the reference SOAP client (e2e/soap/zeep_client.py)
#
# Idempotent: an existing virtualenv with both pinned versions is left as it is. The tests find the
# interpreter at target/pyenv/bin/python (override with SDKWRIGHT_PYTHON) and fail with a pointer to
# this script when it is missing. Needs python3 >= 3.8 with the venv module.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/target/pyenv"
PY="$VENV/bin/python"
PINS=(spyne==2.14.0 zeep==4.3.3)

die() { echo "python-env.sh: error: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 not found; install Python 3 with venv (Debian: apt-get install -y python3 python3-venv)"

if [[ -x "$PY" ]] && "$PY" -c 'import spyne, zeep, sys; sys.exit(0 if (spyne.__version__, zeep.__version__) == ("2.14.0", "4.3.3") else 1)' 2>/dev/null; then
    echo "python-env.sh: $VENV is up to date (spyne 2.14.0, zeep 4.3.3)"
    exit 0
fi

mkdir -p "$ROOT/target"
if [[ ! -x "$PY" ]]; then
    echo "+ python3 -m venv $VENV"
    python3 -m venv "$VENV" || die "could not create a virtualenv (Debian: apt-get install -y python3-venv)"
fi
echo "+ $PY -m pip install ${PINS[*]}"
"$PY" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
"$PY" -c 'import spyne, zeep; print("python-env.sh: spyne", spyne.__version__, "zeep", zeep.__version__, "in", __import__("sys").prefix)'
