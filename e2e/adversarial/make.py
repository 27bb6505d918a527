#!/usr/bin/env python3
"""Writes the hostile-but-valid documents of this folder (run it after editing; the outputs are
checked in). Every description carries code blocks in every position CommonMark allows, raw HTML,
`javascript:`/`data:`/`vbscript:` links, bidirectional-override, zero-width and control
characters and non-ASCII spaces; names are keywords, std prelude items, non-ASCII, digits-first,
and collide after case conversion. The doc code, if rustdoc ever ran it, would write a marker file
and panic (e2e/tests/adversarial.rs and scripts/adversarial-doctests.sh check it never does).

The OpenAPI document is JSON with every non-ASCII character escaped so that it stays readable;
the GraphQL and WSDL documents hold the characters raw (C0 controls, which neither format
allows, are left out of them)."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
CODE = 'std::fs::write(std::env::temp_dir().join("sdkwright-adversarial-doctest-ran"), "").unwrap(); panic!("code from the API document ran as a doctest");'
MD = f"""Hostile description: every place CommonMark makes a code block, and more.

```
fenced without a language
```
    {CODE}

# A heading
    {CODE}

---
    {CODE}

- a list item

      {CODE}

>     {CODE}

\t{CODE}

```rust
{CODE}
```

~~~should_panic
{CODE}
~~~

```compile_fail
{CODE}
```

1. ordered
   ```
   {CODE}
   ```

<script>alert(1)</script>
<img src=x onerror=alert(1)> <b>bold</b> <!-- comment -->

<details><summary>Click</summary>

    {CODE}

</details>

[click](javascript:alert(1)) <javascript:alert(1)> [v](VBScript:msgbox(1)) ![img](data:text/html;base64,PHNjcmlwdD4=) [ref][evil] [Pet] [intra](crate::Client)

[evil]: javascript:alert(2)

Bidi: access\u202e\u2066 level\u2069 and zero\u200bwidth\ufeff end; a C1 control \u0085 and a bell \u0007.

\u3000A paragraph that starts with a full-width space, and \u00a0\u00a0\u00a0\u00a0non-breaking ones.

Setext heading
==============

| column | `code \\| pipe` |
|:-------|------------------:|
| <b>x</b> | [j](javascript:x) |

- [ ] task
- [x] done with a footnote-like [^1] and a lazy
continuation line
   * nested over-indented
  item text
1) paren list
2) second\\
   hard break

*emphasis* **strong** ~~strike~~ `span <b>` ``double ` tick`` a bare https://example.com/a_b?x=1&y=2. and <https://example.com/auto>.
Line ending in two spaces  
next line; an entity &amp; a reference &#60;script&#62; and \\<escaped>.

[^1]: not a footnote: rustdoc would read it as one.
"""

BIDI = "\u202eevil\u202c"
def s(t='string', **kw): d={'type':t}; d.update(kw); return d
def ref(n): return {'$ref': f'#/components/schemas/{n}'}
def jresp(schema, desc=MD):
    return {'200': {'description': desc, 'content': {'application/json': {'schema': schema}}}}
schemas = {
  'Box': {'type':'object','description':MD,'properties':{'inner':ref('Box'),'items':{'type':'array','items':ref('Box')},'value':s()}},
  'Option': {'type':'object','properties':{'some':ref('Option'),'none':s('boolean')}},
  'Vec': {'type':'object','properties':{'vec':{'type':'array','items':ref('Vec')}}},
  'String': {'type':'object','required':['text'],'properties':{'next':ref('String'),'text':s()}},
  'Result': {'type':'object','properties':{'ok':ref('Ok'),'err':ref('Err')}},
  'Ok': {'type':'string','enum':['Ok','Err','Some','None','self','type','1','\u00fc',BIDI, 'Unknown']},
  'Err': {'type':'object','properties':{'message':s(),'cause':ref('Err')}},
  'Some': {'type':'object','properties':{'none':ref('None')}},
  'None': {'type':'object','properties':{'some':ref('Some')}},
  'HashMap': {'type':'object','additionalProperties':ref('HashMap')},
  'BTreeMap': {'type':'object','properties':{'map':ref('HashMap')}},
  'Self': {'type':'object','properties':{'self':ref('Self'),'Self':s()}},
  'type': {'type':'object','properties':{'type':s()}},
  # Prelude traits, derive names, names the generated code or runtime use, crate names.
  **{n: {'type':'object','properties':{'me':ref(n),'list':{'type':'array','items':ref(n)},'v':s()}}
     for n in ['Default','Clone','Debug','PartialEq','Eq','Hash','Send','Sync','Sized','Copy',
               'Iterator','Fn','Drop','Display','Formatter','Serialize','Deserialize',
               'Deserializer','Error','Value','Client','ClientBuilder','Request','Response',
               'Unknown','DateTime','Date','Uuid','Base64','std','core','alloc','serde',
               'sdkwright_runtime','Into','From','ToString','FromStr','AsRef','Ord','PartialOrd']},
  'Everything': {'type':'object','properties':{n.lower()+'_ref': ref(n) for n in
     ['Default','Clone','Debug','Error','Value','Client','Request','Response','Unknown','std','serde','From']}},
  'Strange': {'type':'object','description':'Property names that are keywords, std items, non-ASCII, digits-first or collide after case conversion.',
    'required':['type'],
    'properties':{
      'type':s(description=MD),'self':s(),'Self':s(),'super':s('integer'),'crate':s('boolean'),'1st':s('integer'),
      '\u00fc':s(),'\u03a3':s(),'pet-name':s(),'pet_name':s(),'petName':s(),BIDI:s(),'additional_properties':s(),
      'box':ref('Box'),'option':ref('Option'),'result':ref('Result'),'kind':ref('Ok'),'map':ref('HashMap'),
      'Self_':ref('Self'),'string':ref('String')},
    'additionalProperties': s()},
}
op_common = lambda oid: {'operationId': oid, 'summary': 'Summary with <script>alert(1)</script> and \u202e', 'description': MD}
doc = {
 'openapi':'3.0.3',
 'info':{'title':'Adversarial <b>OpenAPI</b> [Pet] `x` \u202e','version':'1.0.0','description':MD},
 'servers':[{'url':'http://localhost:1/'}],
 'paths':{
   '/things/{type}':{'get':{**op_common('getThing'),
      'parameters':[
        {'name':'type','in':'path','required':True,'schema':s(),'description':MD},
        {'name':'self','in':'query','schema':s()},
        {'name':'\u00fc-name','in':'query','schema':s()},
        {'name':'1st','in':'query','schema':s('integer')},
        {'name':BIDI,'in':'query','schema':s()},
        {'name':'X-Type','in':'header','schema':s()}],
      'responses':jresp(ref('Box'))}},
   '/things':{'post':{**op_common('get_thing'),
      'requestBody':{'required':True,'content':{'application/json':{'schema':ref('Strange')}}},
      'responses':jresp(ref('Strange'))}},
   '/results/{self}':{'put':{**op_common('GetThing'),
      'parameters':[{'name':'self','in':'path','required':True,'schema':s()}],
      'requestBody':{'required':True,'content':{'application/json':{'schema':ref('Result')}}},
      'responses':jresp(ref('Result'))}},
   '/nameless':{'get':{'operationId':'nameless\n\n    panic!("operationId ran") <b>x</b>',
      'responses':{'204':{'description':'none'}}}},
   '/self':{'get':{**op_common('self'),
      'responses':jresp(ref('Self'))}},
   '/type':{'delete':{**op_common('type'),
      'responses':{'204':{'description':'gone \u202e'}, '404': {'description': MD, 'content':{'application/json':{'schema':ref('Err')}}}}}},
   '/box':{'post':{**op_common('Box'),
      'requestBody':{'required':True,'content':{'application/json':{'schema':ref('Option')}}},
      'responses':jresp(ref('Option'))}},
 },
 'components':{'schemas':schemas},
}
with open(os.path.join(HERE, 'openapi.json'), 'w') as f:
    json.dump(doc, f, indent=2, ensure_ascii=True)
    f.write('\n')


# GraphQL: names are ASCII by the spec; descriptions are block strings (no C0 controls).
GMD = MD.replace('\u0007', '').replace('\u0085', '')
def block(text, indent=''):
    body = text.replace('"""', '\\"""')
    return indent + '"""\n' + ''.join(indent + l + '\n' if l else '\n' for l in body.split('\n')) + indent + '"""\n'
sdl = "# Hostile-but-valid GraphQL schema: written by make.py, do not edit by hand.\n"
sdl += "schema {\n  query: Query\n  mutation: Mutation\n}\n\n"
sdl += block(GMD) + "enum Ok {\n  Ok\n  Err\n  Some\n  None\n  self\n  type\n  Unknown\n  _1\n}\n\n"
sdl += block(GMD) + "type Box {\n  inner: Box\n  items: [Box!]\n  value: String\n}\n\n"
sdl += "type Option {\n  some: Option\n  none: Boolean\n}\n\n"
sdl += "type Result {\n  ok: Ok\n  err: String\n}\n\n"
sdl += "type Self {\n  self: Self\n  Self: String\n}\n\n"
sdl += "type Strange {\n" + block(GMD, '  ') + "  type: String!\n  self: String\n  Self: String\n  super: Int\n  crate: Boolean\n  fn: String\n  _1st: Int\n  pet_name: String\n  petName: String\n  PetName: String\n  box: Box\n  option: Option\n  result: Result\n  kind: Ok\n}\n\n"
sdl += "input Vec {\n  type: String!\n  self: String\n  _1st: Int\n  pet_name: String\n  petName: String\n  kind: Ok\n  next: Vec\n}\n\n"
sdl += "type Query {\n" + block(GMD, '  ') + "  strange(type: String!, self: String, _1st: Int): Strange!\n  box: Box\n  self: Self\n}\n\n"
sdl += "type Mutation {\n  put(vec: Vec!): Result!\n  option(some: Boolean): Option\n}\n"
with open(os.path.join(HERE, 'graphql.graphql'), 'w') as f:
    f.write(sdl)
ops = """# Operations against graphql.graphql: their names collide after case conversion
# (getThing, get_thing, GetThing) and their variables are keywords. Written by make.py.

query getThing($type: String!, $self: String, $_1st: Int) {
  strange(type: $type, self: $self, _1st: $_1st) {
    type
    self
    Self
    super
    crate
    fn
    _1st
    pet_name
    petName
    PetName
    kind
    box {
      value
      inner {
        value
      }
    }
  }
}

query get_thing {
  self {
    Self
    self {
      Self
    }
  }
}

mutation GetThing($vec: Vec!) {
  put(vec: $vec) {
    ok
    err
  }
}
"""
# A block string holding non-ASCII text and an escaped triple quote (the operation-document
# scanner once sliced inside such characters).
ops += ('\n# A block string holding non-ASCII text and an escaped triple quote.\n'
        'query Block {\n  strange(type: """\u00fc block \u201estring\u201c \\""" \u2713""") {\n'
        '    type\n  }\n}\n')
with open(os.path.join(HERE, 'graphql-operations.graphql'), 'w') as f:
    f.write(ops)

# WSDL: XML names may be non-ASCII; documentation in CDATA (no C0 controls in XML 1.0).
def doc(indent):
    return f'{indent}<xs:annotation><xs:documentation><![CDATA[{GMD}]]></xs:documentation></xs:annotation>\n'
wsdl = f"""<?xml version="1.0" encoding="utf-8"?>
<!-- Hostile-but-valid WSDL 1.1 document/literal service: written by make.py, do not edit by hand. -->
<wsdl:definitions name="Adversarial"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="http://example.com/adversarial"
    targetNamespace="http://example.com/adversarial">
  <wsdl:documentation><![CDATA[{GMD}]]></wsdl:documentation>
  <wsdl:types>
    <xs:schema targetNamespace="http://example.com/adversarial" elementFormDefault="qualified">
      <xs:simpleType name="Ok">
{doc('        ')}        <xs:restriction base="xs:string">
          <xs:enumeration value="Ok"/>
          <xs:enumeration value="Err"/>
          <xs:enumeration value="self"/>
          <xs:enumeration value="type"/>
          <xs:enumeration value="\u00fcber"/>
          <xs:enumeration value="\u202eevil\u202c"/>
          <xs:enumeration value="1"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:complexType name="Box">
{doc('        ')}        <xs:sequence>
          <xs:element name="value" type="xs:string"/>
          <xs:element name="inner" type="tns:Box" minOccurs="0"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="type">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="self" type="xs:string"/>
            <xs:element name="\u00fcber" type="xs:string"/>
            <xs:element name="pet-name" type="xs:string"/>
            <xs:element name="pet_name" type="xs:string"/>
            <xs:element name="petName" type="xs:string"/>
            <xs:element name="_1st" type="xs:int"/>
            <xs:element name="kind" type="tns:Ok"/>
            <xs:element name="box" type="tns:Box" minOccurs="0"/>
          </xs:sequence>
          <xs:attribute name="crate" type="xs:string" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="Result">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="Self" type="xs:string"/>
            <xs:element name="Option" type="tns:Ok"/>
            <xs:element name="Box" type="tns:Box"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:schema>
  </wsdl:types>

  <wsdl:message name="typeIn"><wsdl:part name="parameters" element="tns:type"/></wsdl:message>
  <wsdl:message name="ResultOut"><wsdl:part name="parameters" element="tns:Result"/></wsdl:message>

  <wsdl:portType name="AdversarialSoap">
    <wsdl:operation name="getThing">
      <wsdl:documentation><![CDATA[{GMD}]]></wsdl:documentation>
      <wsdl:input message="tns:typeIn"/>
      <wsdl:output message="tns:ResultOut"/>
    </wsdl:operation>
    <wsdl:operation name="get_thing">
      <wsdl:input message="tns:typeIn"/>
      <wsdl:output message="tns:ResultOut"/>
    </wsdl:operation>
  </wsdl:portType>

  <wsdl:binding name="AdversarialSoap" type="tns:AdversarialSoap">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="getThing">
      <soap:operation soapAction="urn:getThing\u202e"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="get_thing">
      <soap:operation soapAction="urn:get_thing"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>

  <wsdl:service name="AdversarialService">
    <wsdl:port name="AdversarialSoap" binding="tns:AdversarialSoap">
      <soap:address location="http://localhost:1/soap"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""
with open(os.path.join(HERE, 'wsdl.wsdl'), 'w') as f:
    f.write(wsdl)
