#!/usr/bin/env python3
"""Synthesises the inputs of scripts/bench-scale.sh (Python standard library only).

  bench-scale-synth.py enum N OUT            OpenAPI, one string enum of N values, used by one operation
  bench-scale-synth.py chain N OUT           OpenAPI, components S0 -> S1 -> ... -> SN by $ref
  bench-scale-synth.py filechain N OUT       OpenAPI whose Start refers to chain/c0.json#/X -> c1.json#/X -> ...
  bench-scale-synth.py big MB OUT            OpenAPI of about MB megabytes: many schemas and paths
  bench-scale-synth.py graphql N OUT         GraphQL SDL: N object types of 20 fields (+ operations in OUT.ops.graphql)
  bench-scale-synth.py wsdl N OUT            WSDL 1.1: N complex types and N operations
"""
import json
import os
import sys


def doc(schemas, paths=None):
    return {"openapi": "3.0.3", "info": {"title": "scale", "version": "1"},
            "paths": paths or {}, "components": {"schemas": schemas}}


def get_op(op_id, schema_ref):
    return {"get": {"operationId": op_id, "responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": {"$ref": schema_ref}}}}}}}


def enum(n, out):
    vals = ["value-%d" % i for i in range(n)]
    with open(out, "w") as f:
        json.dump(doc({"Big": {"type": "string", "enum": vals}},
                      {"/it": get_op("get_it", "#/components/schemas/Big")}), f)


def chain(n, out):
    s = {"S%d" % i: {"$ref": "#/components/schemas/S%d" % (i + 1)} for i in range(n)}
    s["S%d" % n] = {"type": "object", "properties": {"id": {"type": "integer"}}}
    with open(out, "w") as f:
        json.dump(doc(s, {"/it": get_op("get_it", "#/components/schemas/S0")}), f)


def filechain(n, out):
    d = os.path.join(os.path.dirname(out) or ".", "chain")
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        with open(os.path.join(d, "c%d.json" % i), "w") as f:
            json.dump({"X": {"$ref": "c%d.json#/X" % (i + 1)}}, f)
    with open(os.path.join(d, "c%d.json" % n), "w") as f:
        json.dump({"X": {"type": "object", "properties": {"id": {"type": "integer"}}}}, f)
    with open(out, "w") as f:
        json.dump(doc({"Start": {"$ref": "chain/c0.json#/X"}},
                      {"/it": get_op("get_it", "#/components/schemas/Start")}), f)


def big(mb, out):
    # One schema (~1.4 KB) and one path with two operations (~1.6 KB) per unit.
    units = int(mb * 1_000_000 / 2_740)
    kinds = [{"type": "string"}, {"type": "integer", "format": "int64"}, {"type": "boolean"},
             {"type": "string", "format": "date-time"}, {"type": "number"},
             {"type": "array", "items": {"type": "string"}}]
    schemas, paths = {}, {}
    for i in range(units):
        props = {"field_%d" % k: dict(kinds[k % len(kinds)], description="Field %d of model %d." % (k, i))
                 for k in range(12)}
        if i > 0:
            props["previous"] = {"$ref": "#/components/schemas/Model%d" % (i // 2)}
        schemas["Model%d" % i] = {"type": "object", "description": "Model number %d." % i,
                                  "required": ["field_0", "field_1"], "properties": props}
        ref = {"$ref": "#/components/schemas/Model%d" % i}
        paths["/things%d/{id}" % i] = {
            "get": {"operationId": "getThing%d" % i, "summary": "Get thing %d." % i,
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                                   {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}},
                                  "404": {"description": "not found"}}},
            "put": {"operationId": "putThing%d" % i,
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                    "responses": {"204": {"description": "done"}}},
        }
    with open(out, "w") as f:
        json.dump(doc(schemas, paths), f, indent=1)


def graphql(n, out):
    with open(out, "w") as f:
        f.write("type Query {\n")
        for i in range(n):
            f.write("  t%d(id: ID!): T%d\n" % (i, i))
        f.write("}\n")
        for i in range(n):
            f.write('"""Type %d."""\ntype T%d {\n' % (i, i))
            for k in range(20):
                f.write("  f%d: %s\n" % (k, ["String", "Int", "Boolean", "Float"][k % 4]))
            f.write("}\n")
    with open(out + ".ops.graphql", "w") as f:
        for i in range(n):
            f.write("query Q%d($id: ID!) { t%d(id: $id) { %s } }\n"
                    % (i, i, " ".join("f%d" % k for k in range(20))))


def wsdl(n, out):
    tns = "urn:scale"
    w = []
    w.append('<?xml version="1.0"?>\n<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" '
             'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="%s" targetNamespace="%s">\n' % (tns, tns))
    w.append('<types><xs:schema targetNamespace="%s" elementFormDefault="qualified">\n' % tns)
    for i in range(n):
        w.append('<xs:element name="Op%dRequest"><xs:complexType><xs:sequence>' % i)
        for k in range(10):
            w.append('<xs:element name="f%d" type="xs:string"/>' % k)
        w.append('</xs:sequence></xs:complexType></xs:element>\n')
        w.append('<xs:element name="Op%dResponse"><xs:complexType><xs:sequence>'
                 '<xs:element name="result" type="xs:int"/></xs:sequence></xs:complexType></xs:element>\n' % i)
    w.append('</xs:schema></types>\n')
    for i in range(n):
        w.append('<message name="Op%dIn"><part name="p" element="tns:Op%dRequest"/></message>'
                 '<message name="Op%dOut"><part name="p" element="tns:Op%dResponse"/></message>\n' % (i, i, i, i))
    w.append('<portType name="Port">\n')
    for i in range(n):
        w.append('<operation name="Op%d"><input message="tns:Op%dIn"/><output message="tns:Op%dOut"/></operation>\n' % (i, i, i))
    w.append('</portType>\n<binding name="Binding" type="tns:Port">'
             '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>\n')
    for i in range(n):
        w.append('<operation name="Op%d"><soap:operation soapAction="urn:op%d"/>'
                 '<input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>\n' % (i, i))
    w.append('</binding>\n<service name="Service"><port name="P" binding="tns:Binding">'
             '<soap:address location="http://localhost/soap"/></port></service>\n</definitions>\n')
    with open(out, "w") as f:
        f.write("".join(w))


if __name__ == "__main__":
    kind, size, out = sys.argv[1], sys.argv[2], sys.argv[3]
    {"enum": enum, "chain": chain, "filechain": filechain, "big": big,
     "graphql": graphql, "wsdl": wsdl}[kind](float(size) if kind == "big" else int(size), out)
