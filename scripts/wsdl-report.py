#!/usr/bin/env python3
"""Per-WSDL operations report: operations in the document vs operations generated, with the
reason for every one left out (from the generator's own diagnostics).

    python3 scripts/wsdl-report.py [--bin PATH] [--corpus DIR] [--details] [WORD...]

- operations in the document: distinct (portType, operation) pairs of the WSDL and the WSDL
  files it imports by a local location;
- bound: those a SOAP 1.1/1.2 binding binds (what can be generated at all);
- generated: the `static …: rt::OperationSpec` items of the generated crate's operations.rs;
- left out: every `wsdl::skipped_operation` warning (the operation and why), and the document-
  level reasons (no SOAP binding, HTTP-only bindings, dangling portTypes, errors).

WORDs keep only the documents whose path contains one of them. The generator binary defaults to
target/release/sdkwright (or $CARGO_TARGET_DIR/release/sdkwright); build it with
`cargo build --release -p sdkwright`. Output: a Markdown table on stdout (with --details, the
skipped operations of each document under it). Nothing is written except a temporary folder,
removed afterwards.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
SOAP_BINDINGS = ("{http://schemas.xmlsoap.org/wsdl/soap/}binding",
                 "{http://schemas.xmlsoap.org/wsdl/soap12/}binding")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus_default():
    """../shared/specs-corpus/wsdl beside the repository (from a git worktree: beside the main
    checkout)."""
    bases = [ROOT]
    try:
        common = subprocess.run(["git", "rev-parse", "--git-common-dir"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
        if common:
            bases.append(os.path.dirname(os.path.join(ROOT, common)))
    except OSError:
        pass
    for base in bases:
        c = os.path.join(base, "..", "shared", "specs-corpus", "wsdl")
        if os.path.isdir(c):
            return os.path.normpath(c)
    return os.path.join(ROOT, "..", "shared", "specs-corpus", "wsdl")


def load(path, seen):
    """The definitions roots of `path` and the WSDL files it imports by a local location."""
    path = os.path.normpath(path)
    if path in seen or not os.path.isfile(path):
        return []
    seen.add(path)
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError:
        return []
    nsmap = dict(re.findall(r'xmlns:([A-Za-z_][\w.-]*)="([^"]*)"', text))
    default = re.search(r'\sxmlns="([^"]*)"', text)
    out = [(root, nsmap, default.group(1) if default else "")]
    for imp in root.iter(WSDL + "import"):
        loc = imp.get("location", "")
        if loc and "://" not in loc:
            out += load(os.path.join(os.path.dirname(path), loc), seen)
    return out


def document_operations(path):
    """(all portType operations, those bound by a SOAP binding) as sets of (portType, op)."""
    roots = load(path, set())
    ops, bound = set(), set()
    soap_port_types = set()
    for root, nsmap, _ in roots:
        for b in root.findall(WSDL + "binding"):
            if any(c.tag in SOAP_BINDINGS for c in b):
                t = b.get("type", "")
                prefix, _, local = t.rpartition(":")
                soap_port_types.add((nsmap.get(prefix, prefix), local))
    for root, _, _ in roots:
        tns = root.get("targetNamespace", "")
        for pt in root.findall(WSDL + "portType"):
            for op in pt.findall(WSDL + "operation"):
                # Overloaded operations (same name, other messages) count apart.
                inp = op.find(WSDL + "input")
                key = (tns, pt.get("name"), op.get("name"), None if inp is None else inp.get("message"))
                ops.add(key)
                if (tns, pt.get("name")) in soap_port_types:
                    bound.add(key)
    return ops, bound


DIAG = re.compile(r"^(warning|error)\[([\w:]+)\]: (.*)$")


def run(binary, spec, extra, work):
    out = os.path.join(work, "crate")
    shutil.rmtree(out, ignore_errors=True)
    p = subprocess.run([binary, "generate", spec, "--out", out, "--name", "report_crate"] + extra,
                       capture_output=True, text=True)
    diags = [m.groups() for m in map(DIAG.match, p.stderr.splitlines()) if m]
    generated = 0
    ops_rs = os.path.join(out, "src", "operations.rs")
    if p.returncode == 0 and os.path.isfile(ops_rs):
        generated = len(re.findall(r"^static \w+: rt::OperationSpec", open(ops_rs).read(), re.M))
    return p.returncode, generated, diags


def reason_class(why):
    """A short class for a skip reason (the full text is in --details)."""
    why = re.sub(r"`[^`]*`", "`…`", why)
    return why


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ap.add_argument("--bin", default=os.path.join(target, "release", "sdkwright"))
    ap.add_argument("--corpus", default=corpus_default())
    ap.add_argument("--details", action="store_true")
    ap.add_argument("words", nargs="*")
    a = ap.parse_args()
    if not os.path.isfile(a.bin):
        sys.exit(f"wsdl-report: no generator at {a.bin} (cargo build --release -p sdkwright, or --bin)")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(a.corpus) for f in fs if f.endswith(".wsdl"))
    if a.words:
        files = [f for f in files if any(w in f for w in a.words)]
    work = tempfile.mkdtemp(prefix="wsdl-report-")
    totals = collections.Counter()
    rows, details = [], []
    try:
        for f in files:
            rel = os.path.relpath(f, a.corpus)
            extra = ["--allow-path", os.path.join(a.corpus, "onvif")] if rel.startswith("onvif/") else []
            ops, bound = document_operations(f)
            rc, generated, diags = run(a.bin, f, extra, work)
            skipped = [m for lvl, code, m in diags if code == "wsdl::skipped_operation"]
            reasons = collections.Counter()
            for m in skipped:
                mm = re.match(r"operation `([^`]*)` skipped: (.*)", m)
                reasons[reason_class(mm.group(2) if mm else m)] += 1
                details.append((rel, m))
            notes = []
            for lvl, code, m in diags:
                if lvl == "error":
                    notes.append(f"error {code}: {m}")
                elif code in ("wsdl::http_binding", "wsdl::unsupported_binding", "wsdl::dangling_port_type") \
                        and "not generated" in m:
                    notes.append(f"{code}: {m}")
            for r, n in reasons.items():
                notes.append(f"{n} skipped: {r}")
            warnings = sum(1 for lvl, _, _ in diags if lvl == "warning")
            totals.update(doc=len(ops), bound=len(bound), generated=generated, skipped=len(skipped),
                          warnings=warnings, ok=int(rc == 0))
            rows.append((rel, len(ops), len(bound), generated, len(skipped), warnings,
                         "ok" if rc == 0 else "FAILED", "; ".join(notes)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| WSDL | ops in document | SOAP-bound | generated | skipped | gen. warnings | result | why not generated |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for r in rows:
        print("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    print(f"| **total ({len(rows)} documents, {totals['ok']} generate)** | {totals['doc']} | {totals['bound']} | "
          f"{totals['generated']} | {totals['skipped']} | {totals['warnings']} | | |")
    if a.details and details:
        print("\nSkipped operations:\n")
        for rel, m in details:
            print(f"- {rel}: {m}")


if __name__ == "__main__":
    main()
