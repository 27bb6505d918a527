#!/usr/bin/env python3
"""Cuts an OpenAPI 3.x or Swagger 2.0 document down to some operations and the components they
reference (transitively), for a mock server that cannot load the whole document in reasonable
time (Prism on Stripe's or GitHub's). The client is still generated from the whole document.

    scripts/cut-openapi.py [--success-only] IN OUT OPERATION_ID...

IN is YAML or JSON; OUT is written as JSON. `--success-only` keeps only the 2xx responses (a
mock answers the success example; Stripe's error model alone references most of its schemas,
which Prism takes minutes to load). Only local references (`#/...`) are followed. The
top-level keys a mock needs (info, servers/host/basePath, security, securitySchemes) are kept.
Unknown operation ids are an error (exit 2).
"""
import json
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
KEEP_TOP = ("openapi", "swagger", "info", "servers", "host", "basePath", "schemes",
            "consumes", "produces", "security", "securityDefinitions", "tags")


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("{"):
        return json.loads(text)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def resolve(doc, ref):
    node = doc
    for token in ref[2:].split("/"):
        node = node[unescape(token)]
    return node


def refs_in(node, out):
    """Every local $ref under node (iterative: documents nest deeply)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            r = n.get("$ref")
            if isinstance(r, str) and r.startswith("#/"):
                out.append(r)
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)


def set_at(cut, ref, value):
    tokens = [unescape(t) for t in ref[2:].split("/")]
    node = cut
    for t in tokens[:-1]:
        node = node.setdefault(t, {})
    node[tokens[-1]] = value


def main():
    args = sys.argv[1:]
    success_only = "--success-only" in args
    args = [a for a in args if a != "--success-only"]
    if len(args) < 3:
        sys.exit(__doc__)
    src, dst, wanted = args[0], args[1], set(args[2:])
    doc = load(src)
    cut = {k: doc[k] for k in KEEP_TOP if k in doc}
    cut["paths"] = {}
    found = set()
    pending = []
    for path, item in doc.get("paths", {}).items():
        if not isinstance(item, dict):
            continue
        ops = {m: op for m, op in item.items()
               if m in METHODS and isinstance(op, dict) and op.get("operationId") in wanted}
        if not ops:
            continue
        kept = {k: v for k, v in item.items() if k not in METHODS}
        if success_only:
            ops = {m: dict(op, responses={c: r for c, r in op.get("responses", {}).items()
                                          if str(c).startswith("2")})
                   for m, op in ops.items()}
        kept.update(ops)
        cut["paths"][path] = kept
        found.update(op["operationId"] for op in ops.values())
        refs_in(kept, pending)
    missing = wanted - found
    if missing:
        sys.stderr.write(f"cut-openapi: no operation {', '.join(sorted(missing))} in {src}\n")
        sys.exit(2)
    schemes = doc.get("components", {}).get("securitySchemes")
    if schemes:
        cut.setdefault("components", {})["securitySchemes"] = schemes
    seen = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        value = resolve(doc, ref)
        set_at(cut, ref, value)
        refs_in(value, pending)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(cut, f)


if __name__ == "__main__":
    main()
