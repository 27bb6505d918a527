//! Tests of the WSDL front end against `specs/calculator.wsdl` and the shared corpus.

use std::path::{Path, PathBuf};

use super::lower;
use crate::ir::{
    self, BodyEncoding, Name, Primitive, SoapVersion, StatusMatch, TypeKind, TypeRef, XmlName,
};

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn corpus() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/specs-corpus/wsdl"))
        .find(|p| p.is_dir())
}

fn strukt(api: &ir::Api, ty: &TypeRef) -> (Name, ir::StructDef) {
    let TypeRef::Named(id) = ty else {
        panic!("not named: {ty:?}")
    };
    match &api.ty(*id).kind {
        TypeKind::Struct(s) => (api.ty(*id).name.clone(), s.clone()),
        other => panic!("not a struct: {other:?}"),
    }
}

fn field<'a>(s: &'a ir::StructDef, name: &str) -> &'a ir::Field {
    s.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn op<'a>(api: &'a ir::Api, name: &str) -> &'a ir::Operation {
    api.operations
        .iter()
        .find(|o| o.name == Name::Given(name.into()))
        .unwrap()
}

const NS: &str = "http://example.com/calculator";

#[test]
fn calculator() {
    let out = lower(&specs().join("calculator.wsdl"));
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
    let api = &out.api;
    assert_eq!(api.title, "CalculatorService");
    assert_eq!(api.docs.as_deref(), Some("Adds numbers and quotes prices."));
    assert_eq!(api.servers.len(), 1);
    assert_eq!(api.servers[0].url, "http://localhost:8080/calculator");
    let names: Vec<_> = api.operations.iter().map(|o| o.name.display()).collect();
    assert_eq!(names, ["Add", "GetQuote", "Multiply", "Reset"]);

    let add = op(api, "Add");
    assert_eq!(add.method, ir::Method::Post);
    assert_eq!(add.path, "");
    assert_eq!(add.docs.as_deref(), Some("Adds two integers."));
    let body = add.body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(
        body.encoding,
        BodyEncoding::Soap {
            version: SoapVersion::V11,
            action: "http://example.com/calculator/Add".into(),
            element: XmlName {
                namespace: Some(NS.into()),
                local: "Add".into()
            },
            headers: Vec::new(),
            addressing: None,
        }
    );
    let (name, s) = strukt(api, &body.ty);
    assert_eq!(name, Name::Given("Add".into()));
    assert_eq!(s.xml_namespace.as_deref(), Some(NS));
    let int_a = field(&s, "intA");
    assert_eq!(int_a.ty, TypeRef::Primitive(Primitive::I32));
    assert!(int_a.required && !int_a.nullable && !int_a.xml_attribute);
    assert_eq!(
        add.responses.len(),
        2,
        "the response and the declared fault"
    );
    let resp = &add.responses[0];
    assert_eq!(resp.status, StatusMatch::Code(200));
    let BodyEncoding::Soap { element, .. } = &resp.encoding else {
        panic!()
    };
    assert_eq!(element.local, "AddResponse");
    let (name, s) = strukt(api, resp.ty.as_ref().unwrap());
    assert_eq!(name, Name::Given("AddResponse".into()));
    assert_eq!(
        field(&s, "AddResult").ty,
        TypeRef::Primitive(Primitive::I32)
    );
}

#[test]
fn calculator_complex_types() {
    let out = lower(&specs().join("calculator.wsdl"));
    let api = &out.api;
    let quote = op(api, "GetQuote");
    let (_, req) = strukt(api, &quote.body.as_ref().unwrap().ty);
    let TypeRef::Named(cur) = field(&req, "currency").ty else {
        panic!()
    };
    assert_eq!(api.ty(cur).name, Name::Given("Currency".into()));
    assert_eq!(api.ty(cur).docs.as_deref(), Some("ISO 4217 currency code."));
    let TypeKind::Enum(e) = &api.ty(cur).kind else {
        panic!()
    };
    assert_eq!(
        e.values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(),
        ["USD", "EUR", "JPY"]
    );
    let tags = field(&req, "tags");
    assert_eq!(
        tags.ty,
        TypeRef::List(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert!(!tags.required);

    let (_, resp) = strukt(api, quote.responses[0].ty.as_ref().unwrap());
    let (name, q) = strukt(api, &field(&resp, "quote").ty);
    assert_eq!(name, Name::Given("Quote".into()));
    assert_eq!(q.xml_namespace.as_deref(), Some(NS));
    assert_eq!(field(&q, "price").ty, TypeRef::Primitive(Primitive::F64));
    assert_eq!(
        field(&q, "time").ty,
        TypeRef::Primitive(Primitive::DateTime)
    );
    let note = field(&q, "note");
    assert!(!note.required && note.nullable);
    let source = field(&q, "source");
    assert!(source.xml_attribute && source.required);

    assert_eq!(field(&q, "day").ty, TypeRef::Primitive(Primitive::Date));

    // The declared fault: a `Default` response typed as its detail element's type.
    assert_eq!(quote.responses.len(), 2);
    let fault = &quote.responses[1];
    assert_eq!(fault.status, StatusMatch::Default);
    let BodyEncoding::Soap { element, .. } = &fault.encoding else {
        panic!()
    };
    assert_eq!(
        (element.namespace.as_deref(), element.local.as_str()),
        (Some(NS), "UnknownSymbol")
    );
    let (name, detail) = strukt(api, fault.ty.as_ref().unwrap());
    assert_eq!(name, Name::Given("UnknownSymbol".into()));
    assert_eq!(
        field(&detail, "symbol").ty,
        TypeRef::Primitive(Primitive::String)
    );
    assert!(fault
        .docs
        .as_deref()
        .unwrap()
        .contains("fault `UnknownSymbol`"));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const HEAD: &str = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">"#;

#[test]
fn imports_soap12_rpc_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "types.xsd",
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
  <xs:complexType name="Base"><xs:sequence><xs:element name="id" type="xs:long"/></xs:sequence></xs:complexType>
  <xs:complexType name="Item"><xs:complexContent><xs:extension base="t:Base">
    <xs:sequence><xs:element name="children" type="t:Item" maxOccurs="unbounded" minOccurs="0"/>
    <xs:choice><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:decimal"/></xs:choice></xs:sequence>
  </xs:extension></xs:complexContent></xs:complexType>
  <xs:element name="Get"><xs:complexType><xs:sequence><xs:element name="item" type="t:Item"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>"#,
    );
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD}
  <types><xs:schema targetNamespace="urn:t"><xs:import namespace="urn:t" schemaLocation="types.xsd"/>
    <xs:import namespace="urn:x" schemaLocation="missing.xsd"/></xs:schema></types>
  <message name="In"><part name="p" element="t:Get"/></message>
  <message name="RpcIn"><part name="a" type="xs:int"/></message>
  <portType name="PT">
    <operation name="Get"><input message="t:In"/></operation>
    <operation name="Rpc"><input message="t:RpcIn"/></operation>
  </portType>
  <binding name="B" type="t:PT"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Get"><soap12:operation soapAction="urn:get"/><input><soap12:body use="literal"/></input></operation>
    <operation name="Rpc"><soap12:operation style="rpc"/><input><soap12:body use="literal"/></input></operation>
  </binding>
  <service name="S"><port name="P" binding="t:B"><soap12:address location="https://example.com/s"/></port></service>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert_eq!(out.files_read.len(), 2, "{:?}", out.files_read);
    let missing = out
        .diagnostics
        .iter()
        .find(|d| d.code == "wsdl::missing_import")
        .unwrap();
    assert!(missing.is_error() && missing.message.contains("missing.xsd"));
    let loc = missing.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (Some(3), Some(5)));
    assert!(out
        .diagnostics
        .iter()
        .all(|d| d.code != "wsdl::skipped_operation"));

    let api = &out.api;
    assert_eq!(api.servers[0].url, "https://example.com/s");
    assert_eq!(api.operations.len(), 2, "the rpc/literal operation too");
    assert_eq!(api.operations[1].name, Name::Given("Rpc".into()));
    let get = &api.operations[0];
    let BodyEncoding::Soap {
        version, action, ..
    } = &get.body.as_ref().unwrap().encoding
    else {
        panic!()
    };
    assert_eq!((*version, action.as_str()), (SoapVersion::V12, "urn:get"));
    assert!(get.responses[0].ty.is_none(), "one-way operation");
    let (_, req) = strukt(api, &get.body.as_ref().unwrap().ty);
    assert_eq!(req.xml_namespace, None, "unqualified schema");
    let (name, item) = strukt(api, &field(&req, "item").ty);
    assert_eq!(name, Name::Given("Item".into()));
    let names: Vec<_> = item.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["id", "children", "a", "b"], "base fields first");
    assert!(!field(&item, "a").required, "choice members are optional");
    assert_eq!(field(&item, "b").ty, TypeRef::Primitive(Primitive::String));
    let TypeRef::List(inner) = &field(&item, "children").ty else {
        panic!()
    };
    assert_eq!(
        **inner,
        field(&req, "item").ty,
        "recursive type refers to itself"
    );
}

#[test]
fn malformed_xml_has_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bad.wsdl",
        "<definitions>\n  <types>\n</definitions>\n",
    );
    let out = lower(&p);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "wsdl::xml")
        .unwrap();
    assert_eq!(d.location.as_ref().unwrap().line, Some(3));
    assert!(out.api.operations.is_empty());
    let out = lower(Path::new("/nonexistent.wsdl"));
    assert!(out.diagnostics.iter().any(|d| d.code == "wsdl::read"));
}

#[test]
fn corpus_calculator_and_stockquote() {
    let Some(dir) = corpus() else { return };
    let out = lower(&dir.join("dneonline-calculator-add-subset.wsdl"));
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
    assert_eq!(out.api.title, "Calculator");
    assert_eq!(out.api.servers[0].url, "http://localhost:51515/calculator");
    let add = op(&out.api, "Add");
    let BodyEncoding::Soap {
        version,
        action,
        element,
        ..
    } = &add.body.as_ref().unwrap().encoding
    else {
        panic!()
    };
    assert_eq!(*version, SoapVersion::V11, "SOAP 1.1 preferred");
    assert_eq!(action, "http://tempuri.org/Add");
    assert_eq!(element.namespace.as_deref(), Some("http://tempuri.org/"));

    // The W3C example's port names a binding that does not exist: warn, still lower.
    let out = lower(&dir.join("w3c-stockquote.wsdl"));
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        out.diagnostics
    );
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "wsdl::dangling_binding"));
    let get = op(&out.api, "GetLastTradePrice");
    let (_, req) = strukt(&out.api, &get.body.as_ref().unwrap().ty);
    assert_eq!(
        field(&req, "tickerSymbol").ty,
        TypeRef::Primitive(Primitive::String)
    );
    let (_, resp) = strukt(&out.api, get.responses[0].ty.as_ref().unwrap());
    assert_eq!(field(&resp, "price").ty, TypeRef::Primitive(Primitive::F32));
}

/// Every `.wsdl` of the shared corpus lowers without panicking.
#[test]
fn corpus_does_not_panic() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "wsdl") {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut ops, mut clean, mut with_ops) = (0, 0, 0);
    for f in &files {
        // ONVIF's WSDLs import from sibling folders: allow the whole corpus.
        let confinement = crate::load::confine::Confinement::for_root(
            f,
            std::slice::from_ref(&dir),
            crate::load::confine::DEFAULT_MAX_BYTES,
        );
        let out = super::lower_confined(f, &confinement);
        let errors = out.diagnostics.iter().filter(|d| d.is_error()).count();
        let mut by_code = std::collections::BTreeMap::new();
        for d in &out.diagnostics {
            *by_code.entry(d.code).or_insert(0usize) += 1;
        }
        eprintln!("  {by_code:?}");
        let warnings = out.diagnostics.len() - errors;
        clean += usize::from(errors == 0);
        with_ops += usize::from(!out.api.operations.is_empty());
        ops += out.api.operations.len();
        eprintln!(
            "{}: {} ops, {} types, {errors} errors, {warnings} warnings{}",
            f.display(),
            out.api.operations.len(),
            out.api.types.len(),
            out.diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| format!(" (first: {})", d.message))
                .unwrap_or_default()
        );
    }
    eprintln!("wsdl corpus: {} files, {clean} without errors, {with_ops} with operations, {ops} operations", files.len());
    assert!(files.len() >= 10);
}

#[test]
fn cyclic_groups_and_simple_types_terminate() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "c.wsdl",
        &format!(
            r#"{HEAD}
  <types><xs:schema targetNamespace="urn:t">
    <xs:group name="G"><xs:sequence><xs:element name="x" type="xs:int"/><xs:group ref="t:G"/></xs:sequence></xs:group>
    <xs:attributeGroup name="A"><xs:attribute name="a" type="t:S"/><xs:attributeGroup ref="t:A"/></xs:attributeGroup>
    <xs:simpleType name="S"><xs:restriction base="t:S"/></xs:simpleType>
    <xs:element name="E"><xs:complexType><xs:group ref="t:G"/><xs:attributeGroup ref="t:A"/></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:E"/></message>
  <portType name="PT"><operation name="Op"><input message="t:In"/><output message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap12:binding/>
    <operation name="Op"><input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output></operation>
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "wsdl::group_cycle"));
    assert!(
        out.diagnostics.iter().any(|d| d.code == "wsdl::no_port") || out.api.servers.is_empty()
    );
    let op = &out.api.operations[0];
    let (_, e) = strukt(&out.api, &op.body.as_ref().unwrap().ty);
    let names: Vec<_> = e.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["x", "a"]);
    assert_eq!(field(&e, "a").ty, TypeRef::Any);
}

#[test]
fn xml_depth_scan() {
    use super::xml_too_deep;
    let deep = "<a>".repeat(300) + &"</a>".repeat(300);
    assert_eq!(xml_too_deep(&deep, 256), Some(3 * 256));
    let flat = "<a>".repeat(200) + &"</a>".repeat(200);
    assert_eq!(xml_too_deep(&flat, 256), None);
    // Self-closing elements, comments, CDATA, PIs, DOCTYPE and attribute values do not nest.
    let mut ok = String::from("<?xml version=\"1.0\"?><!DOCTYPE x [<!ELEMENT a ANY>]><r>");
    for _ in 0..1000 {
        ok.push_str("<b/><c x=\"<d>\" y='>'/><!-- <e> --><![CDATA[<f>]]><?pi <g>?>");
    }
    ok.push_str("</r>");
    assert_eq!(xml_too_deep(&ok, 256), None);
    // ... and cannot hide real nesting.
    let hidden = format!("<r x=\"a\" y='b'><!-- c -->{deep}</r>");
    assert!(xml_too_deep(&hidden, 256).is_some());
}

#[test]
fn remote_imports_warn_and_remote_includes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = |body: &str| {
        format!(
            r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <wsdl:types><xs:schema targetNamespace="urn:t">
    {body}
  </xs:schema></wsdl:types>
</wsdl:definitions>
"#
        )
    };
    let path = dir.path().join("a.wsdl");
    std::fs::write(
        &path,
        wsdl(r#"<xs:import namespace="urn:x" schemaLocation="https://example.com/x.xsd"/>"#),
    )
    .unwrap();
    let out = lower(&path);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "wsdl::remote_import")
        .expect("a warning");
    assert!(!d.is_error());
    let loc = d.location.as_ref().unwrap();
    assert_eq!(loc.line, Some(4));
    assert_eq!(loc.pointer, "/definitions/types/schema/import");
    assert_eq!(out.files_read.len(), 1);

    std::fs::write(
        &path,
        wsdl(r#"<xs:include schemaLocation="https://example.com/x.xsd"/>"#),
    )
    .unwrap();
    let out = lower(&path);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "load::remote_ref")
        .expect("an error");
    assert!(d.is_error());
    assert_eq!(d.location.as_ref().unwrap().line, Some(4));
}

/// A WSDL whose request element is of type `T0`, where each `Ti` is built from `T(i+1)` by
/// `how` (`extension` or `field`), `n` links long.
fn type_chain(n: usize, how: &str) -> String {
    let tns = "urn:c";
    let mut w = format!(
        r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{tns}" targetNamespace="{tns}">
<types><xs:schema targetNamespace="{tns}">
<xs:element name="Req" type="tns:T0"/><xs:element name="Resp" type="xs:string"/>
"#
    );
    for i in 0..n {
        let next = i + 1;
        w.push_str(&match how {
            "extension" => format!(
                r#"<xs:complexType name="T{i}"><xs:complexContent><xs:extension base="tns:T{next}"><xs:sequence><xs:element name="f{i}" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>"#
            ),
            _ => format!(
                r#"<xs:complexType name="T{i}"><xs:sequence><xs:element name="next" type="tns:T{next}"/></xs:sequence></xs:complexType>"#
            ),
        });
        w.push('\n');
    }
    w.push_str(&format!(
        r#"<xs:complexType name="T{n}"><xs:sequence><xs:element name="last" type="xs:string"/></xs:sequence></xs:complexType>
</xs:schema></types>
<message name="In"><part name="p" element="tns:Req"/></message><message name="Out"><part name="p" element="tns:Resp"/></message>
<portType name="P"><operation name="Op"><input message="tns:In"/><output message="tns:Out"/></operation></portType>
<binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/><operation name="Op"><soap:operation soapAction="x"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
<service name="S"><port name="P" binding="tns:B"><soap:address location="http://localhost/"/></port></service></definitions>
"#
    ));
    w
}

#[test]
fn long_type_chains_are_cut_with_a_located_warning_not_a_stack_overflow() {
    // Tests run on 2 MiB stacks; 10,000 nested types overflowed the stack.
    for how in ["extension", "field"] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("chain.wsdl");
        std::fs::write(&p, type_chain(10_000, how)).unwrap();
        let out = lower(&p);
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{how}: {errors:?}");
        let deep: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == "wsdl::too_deep")
            .collect();
        assert_eq!(deep.len(), 1, "{how}: {:?}", out.diagnostics);
        let loc = deep[0].location.as_ref().expect("located");
        assert!(loc.line.is_some_and(|l| l > 60), "{how}: {}", deep[0]);
        assert_eq!(out.api.operations.len(), 1);
    }
    // A chain within the bound is lowered whole.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("short.wsdl");
    std::fs::write(&p, type_chain(30, "extension")).unwrap();
    let out = lower(&p);
    assert!(out.diagnostics.iter().all(|d| d.code != "wsdl::too_deep"));
}

const HEAD11: &str = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" xmlns:o="urn:o" targetNamespace="urn:t">"#;

fn codes(out: &crate::lowered::Lowered, code: &str) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let loc = d.location.as_ref().expect("located");
            assert!(loc.line.is_some(), "{d:?} has no line");
            d.message.clone()
        })
        .collect()
}

/// Every SOAP binding of every portType; rpc/literal wrappers; empty response messages; headers
/// and HTTP bindings reported; a colliding operation name of a second portType.
#[test]
fn every_binding_rpc_literal_empty_responses_and_reported_drops() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Hdr" type="xs:string"/>
    <xs:complexType name="Pair"><xs:sequence><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>
  </xs:schema></types>
  <message name="PingIn"><part name="p" element="t:Ping"/><part name="h" element="t:Hdr"/><part name="att" type="xs:base64Binary"/></message>
  <message name="Empty"/>
  <message name="MulIn"><part name="a" type="xs:int"/><part name="b" type="t:Pair"/></message>
  <message name="MulOut"><part name="result" type="xs:long"/></message>
  <portType name="Main">
    <operation name="Ping"><input message="t:PingIn"/><output message="t:Empty"/></operation>
    <operation name="Status"><input message="t:Empty"/><output message="t:Empty"/></operation>
  </portType>
  <portType name="Admin">
    <operation name="Multiply"><input message="t:MulIn"/><output message="t:MulOut"/></operation>
    <operation name="Ping"><input message="t:MulIn"/><output message="t:Empty"/></operation>
    <operation name="Old"><input message="t:MulIn"/><output message="t:MulOut"/></operation>
  </portType>
  <binding name="MainSoap" type="t:Main"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap:operation soapAction="urn:ping"/>
      <input><soap:body use="literal" parts="p"/><soap:header message="t:PingIn" part="h" use="literal"/></input>
      <output><soap:body use="literal"/></output></operation>
    <operation name="Status"><soap:operation soapAction="urn:status"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <binding name="MainSoap12" type="t:Main"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap12:operation soapAction="urn:ping"/>
      <input><soap12:body use="literal" parts="p"/></input><output><soap12:body use="literal"/></output></operation>
  </binding>
  <binding name="MainHttp" type="t:Main"><http:binding verb="GET"/>
    <operation name="Ping"><http:operation location="/ping"/></operation>
  </binding>
  <binding name="AdminSoap" type="t:Admin"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Multiply"><soap:operation soapAction="urn:mul"/>
      <input><soap:body use="literal" namespace="urn:admin"/></input><output><soap:body use="literal" namespace="urn:admin"/></output></operation>
    <operation name="Ping"><soap:operation soapAction="urn:ping2"/>
      <input><soap:body use="literal" namespace="urn:admin"/></input><output><soap:body use="literal" namespace="urn:admin"/></output></operation>
    <operation name="Old"><soap:operation soapAction="urn:old"/>
      <input><soap:body use="encoded" namespace="urn:admin" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/></input>
      <output><soap:body use="encoded" namespace="urn:admin" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/></output></operation>
  </binding>
  <service name="S">
    <port name="P12" binding="t:MainSoap12"><soap12:address location="https://example.com/s12"/></port>
    <port name="P" binding="t:MainSoap"><soap:address location="https://example.com/s"/></port>
    <port name="A" binding="t:AdminSoap"><soap:address location="https://example.com/admin"/></port>
    <port name="H" binding="t:MainHttp"><http:address location="https://example.com/h"/></port>
  </service>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        out.diagnostics
    );
    let api = &out.api;
    let names: Vec<_> = api.operations.iter().map(|o| o.name.clone()).collect();
    assert_eq!(
        names,
        [
            Name::Given("Ping".into()),
            Name::Given("Status".into()),
            Name::Given("Multiply".into()),
            Name::Derived(vec!["Admin".into(), "Ping".into()]),
            Name::Given("Old".into()),
        ]
    );
    // SOAP 1.1 binding used by a port preferred over the SOAP 1.2 twin listed first.
    let ping = &api.operations[0];
    let BodyEncoding::Soap { version, .. } = &ping.body.as_ref().unwrap().encoding else {
        panic!()
    };
    assert_eq!(*version, SoapVersion::V11);
    assert!(ping.responses[0].ty.is_none(), "empty response message");
    let urls: Vec<_> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://example.com/s", "https://example.com/admin"]);

    // rpc/literal: wrapper named after the operation in soap:body's namespace, parts as
    // unqualified children; the response wrapper is `<op>Response`.
    // A document-style input message without parts: an empty struct, an empty Body.
    let status = &api.operations[1];
    let body = status.body.as_ref().unwrap();
    let BodyEncoding::Soap { element, .. } = &body.encoding else {
        panic!()
    };
    assert_eq!(
        (element.namespace.as_deref(), element.local.as_str()),
        (None, "")
    );
    let (_, empty) = strukt(api, &body.ty);
    assert!(empty.fields.is_empty());
    let mul = &api.operations[2];
    let body = mul.body.as_ref().unwrap();
    assert_eq!(
        body.encoding,
        BodyEncoding::Soap {
            version: SoapVersion::V11,
            action: "urn:mul".into(),
            element: XmlName {
                namespace: Some("urn:admin".into()),
                local: "Multiply".into()
            },
            headers: Vec::new(),
            addressing: None,
        }
    );
    let (name, req) = strukt(api, &body.ty);
    assert_eq!(name, Name::Derived(vec!["Multiply".into()]));
    assert_eq!(req.xml_namespace, None);
    let fields: Vec<_> = req.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["a", "b"]);
    assert_eq!(field(&req, "a").ty, TypeRef::Primitive(Primitive::I32));
    assert!(field(&req, "b").required);
    let (pair, _) = strukt(api, &field(&req, "b").ty);
    assert_eq!(pair, Name::Given("Pair".into()));
    let resp = &mul.responses[0];
    let BodyEncoding::Soap { element, .. } = &resp.encoding else {
        panic!()
    };
    assert_eq!(element.local, "MultiplyResponse");
    let (_, out_s) = strukt(api, resp.ty.as_ref().unwrap());
    assert_eq!(
        field(&out_s, "result").ty,
        TypeRef::Primitive(Primitive::I64)
    );

    // rpc/encoded: lowered as rpc/literal, one warning per binding.
    assert!(codes(&out, "wsdl::skipped_operation").is_empty());
    let enc = codes(&out, "wsdl::rpc_encoded");
    assert_eq!(enc.len(), 1, "{enc:?}");
    assert!(enc[0].contains("AdminSoap"), "{enc:?}");
    let old = &api.operations[4];
    let BodyEncoding::Soap { element, .. } = &old.body.as_ref().unwrap().encoding else {
        panic!()
    };
    assert_eq!(element.local, "Old");
    assert!(codes(&out, "wsdl::soap_header").is_empty());
    let BodyEncoding::Soap { headers, .. } = &ping.body.as_ref().unwrap().encoding else {
        panic!()
    };
    assert_eq!(headers.len(), 1, "{headers:?}");
    assert_eq!(headers[0].name, "h");
    assert_eq!(headers[0].element.namespace.as_deref(), Some("urn:t"));
    assert_eq!(headers[0].element.local, "Hdr");
    assert_eq!(headers[0].ty, TypeRef::Primitive(Primitive::String));
    let unbound = codes(&out, "wsdl::unbound_part");
    // Once per operation lowered through a binding whose soap:body leaves `att` out.
    assert_eq!(unbound.len(), 1, "{unbound:?}");
    assert!(unbound[0].contains("input part(s) `att`"), "{unbound:?}");
    let http = codes(&out, "wsdl::http_binding");
    assert_eq!(http.len(), 1, "{http:?}");
    assert!(http[0].contains("MainHttp") && http[0].contains("from SOAP binding `MainSoap`"));
    let address = codes(&out, "wsdl::port_address");
    assert_eq!(address.len(), 1, "{address:?}");
    assert!(address[0].contains("AdminSoap") && address[0].contains("https://example.com/admin"));
}

/// A document whose every operation is skipped is an error, not an empty client.
#[test]
fn all_operations_skipped_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <message name="In"><part name="a" type="xs:int"/></message>
  <portType name="PT"><operation name="Old"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Old"><input><soap:body use="literal" namespace="urn:x"/></input></operation>
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert!(out.api.operations.is_empty());
    let err = out
        .diagnostics
        .iter()
        .find(|d| d.code == "wsdl::no_operations")
        .expect("an error");
    assert!(err.is_error());
    assert_eq!(codes(&out, "wsdl::skipped_operation").len(), 1);
}

/// XSD constructs that are not carried faithfully are located warnings.
#[test]
fn lossy_xsd_constructs_warn() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <types>
  <xs:schema targetNamespace="urn:o" elementFormDefault="qualified">
    <xs:element name="Shared" type="xs:string"/>
    <xs:complexType name="Base"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
  </xs:schema>
  <xs:schema targetNamespace="urn:t" elementFormDefault="qualified" attributeFormDefault="qualified">
    <xs:import namespace="urn:o"/>
    <xs:element name="Head" type="xs:string" abstract="true"/>
    <xs:element name="Member" type="xs:string" substitutionGroup="t:Head"/>
    <xs:complexType name="Derived"><xs:complexContent><xs:extension base="o:Base">
      <xs:sequence><xs:element name="more" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
    <xs:element name="Req"><xs:complexType mixed="true"><xs:sequence>
      <xs:element ref="o:Shared"/>
      <xs:element name="plain" type="xs:int" form="unqualified"/>
      <xs:element ref="t:Head"/>
      <xs:element name="d" type="t:Derived"/>
      <xs:any/>
      <xs:choice maxOccurs="unbounded"><xs:element name="x" type="xs:int"/><xs:element name="y" type="xs:int"/></xs:choice>
    </xs:sequence><xs:attribute name="lang" type="xs:string"/><xs:anyAttribute/></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Req"/></message>
  <portType name="PT"><operation name="Do"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Do"><soap:operation soapAction=""/><input><soap:body use="literal"/></input></operation>
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert_eq!(out.api.operations.len(), 1, "{:#?}", out.diagnostics);
    // Mixed content and `xs:any` are kept (the substitution group's union, the struct's
    // `$value` field, takes their text and elements as its fallback): no warning.
    assert!(
        codes(&out, "wsdl::mixed").is_empty(),
        "{:#?}",
        out.diagnostics
    );
    assert!(
        codes(&out, "wsdl::any").is_empty(),
        "{:#?}",
        out.diagnostics
    );
    for (code, needle) in [
        ("wsdl::any_attribute", "Req"),
        // The substitution group took the struct's one element union: the repeated choice
        // after it stays one occurrence.
        ("wsdl::repeated_group", "already holds"),
    ] {
        let found = codes(&out, code);
        assert!(
            found.iter().any(|m| m.contains(needle)),
            "{code}: {found:?}\n{:#?}",
            out.diagnostics
        );
    }
    // Namespaces exactly as the XSD says: a referenced element in its own namespace, a
    // `form="unqualified"` element in none, inherited elements in their base's namespace.
    let api = &out.api;
    let (_, req) = strukt(api, &api.operations[0].body.as_ref().unwrap().ty);
    assert_eq!(req.xml_namespace.as_deref(), Some("urn:t"));
    assert_eq!(
        field(&req, "Shared").xml_namespace.as_deref(),
        Some("urn:o")
    );
    assert_eq!(field(&req, "plain").xml_namespace.as_deref(), Some(""));
    // `attributeFormDefault="qualified"`: the attribute is in the schema's namespace.
    let lang = field(&req, "lang");
    assert!(lang.xml_attribute);
    assert_eq!(lang.xml_namespace.as_deref(), Some("urn:t"));
    assert!(codes(&out, "wsdl::attribute_form").is_empty());
    assert_eq!(field(&req, "Head").xml_namespace, None);
    let TypeRef::Named(head) = field(&req, "Head").ty else {
        panic!("the substitution group's union")
    };
    assert_eq!(
        api.xsd.element_unions[&head],
        [
            XmlName {
                namespace: Some("urn:t".into()),
                local: "Member".into()
            },
            XmlName {
                namespace: None,
                local: "##other".into()
            }
        ]
    );
    let (_, derived) = strukt(api, &field(&req, "d").ty);
    assert_eq!(
        field(&derived, "id").xml_namespace.as_deref(),
        Some("urn:o")
    );
    assert_eq!(field(&derived, "more").xml_namespace, None);
}

#[test]
fn faults_become_typed_default_responses_or_a_located_warning() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD}
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:element name="Get"><xs:complexType><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Denied"><xs:complexType><xs:sequence><xs:element name="why" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Get"/></message>
  <message name="DeniedFault"><part name="d" element="t:Denied"/></message>
  <message name="TypedFault"><part name="d" type="xs:string"/></message>
  <portType name="PT">
    <operation name="Get"><input message="t:In"/><output message="t:In"/>
      <fault name="Denied" message="t:DeniedFault"/><fault name="Again" message="t:DeniedFault"/>
      <fault name="Odd" message="t:TypedFault"/></operation>
  </portType>
  <binding name="B" type="t:PT"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Get"><soap12:operation soapAction="urn:get"/><input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output></operation>
  </binding>
  <service name="S"><port name="P" binding="t:B"><soap12:address location="https://example.com/s"/></port></service>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    let get = &out.api.operations[0];
    // One typed response per distinct fault element (`Again` reuses `Denied`'s).
    let faults: Vec<_> = get.responses.iter().filter(|r| !r.is_success()).collect();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0].status, StatusMatch::Default);
    let (name, _) = strukt(&out.api, faults[0].ty.as_ref().unwrap());
    assert_eq!(name, Name::Given("Denied".into()));
    // `Odd` has no element part: a located warning, its detail stays raw XML.
    let d: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "wsdl::fault_detail")
        .collect();
    assert_eq!(d.len(), 1, "{:#?}", out.diagnostics);
    assert!(d[0].message.contains("fault `Odd`"), "{}", d[0].message);
    assert!(d[0].location.as_ref().unwrap().line.is_some());
}

/// `xs:union` of enumerations is one enum of all their values; other unions are strings with a
/// located warning; `xs:list` is a list.
#[test]
fn unions_of_enumerations_are_enums_other_unions_warn_lists_are_lists() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD}
  <types><xs:schema targetNamespace="urn:t">
    <xs:simpleType name="Color"><xs:restriction base="xs:string"><xs:enumeration value="red"/><xs:enumeration value="blue"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="Paint"><xs:union memberTypes="t:Color"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="clear"/><xs:enumeration value="red"/></xs:restriction></xs:simpleType></xs:union></xs:simpleType>
    <xs:simpleType name="Size"><xs:union memberTypes="xs:int t:Color"/></xs:simpleType>
    <xs:simpleType name="Ints"><xs:list itemType="xs:int"/></xs:simpleType>
    <xs:element name="Get"><xs:complexType><xs:sequence>
      <xs:element name="paint" type="t:Paint"/><xs:element name="size" type="t:Size"/><xs:element name="ints" type="t:Ints"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Get"/></message>
  <portType name="PT"><operation name="Get"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Get"><soap12:operation soapAction="urn:get"/><input><soap12:body use="literal"/></input></operation>
  </binding>
  <service name="S"><port name="P" binding="t:B"><soap12:address location="https://example.com/s"/></port></service>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    let api = &out.api;
    let (_, get) = strukt(api, &api.operations[0].body.as_ref().unwrap().ty);
    let TypeRef::Named(paint) = field(&get, "paint").ty else {
        panic!("an enum")
    };
    let TypeKind::Enum(e) = &api.ty(paint).kind else {
        panic!("an enum")
    };
    let wires: Vec<_> = e.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["red", "blue", "clear"]);
    assert_eq!(
        field(&get, "size").ty,
        TypeRef::Primitive(Primitive::String)
    );
    // `xs:list`: a named alias of a list, marked as one.
    let TypeRef::Named(ints) = field(&get, "ints").ty else {
        panic!("a named list")
    };
    assert!(api.xsd.lists.contains(&ints));
    assert!(matches!(
        &api.ty(ints).kind,
        TypeKind::Alias(TypeRef::List(item)) if **item == TypeRef::Primitive(Primitive::I32)
    ));
    let warned = codes(&out, "wsdl::simple_list_union");
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned.iter().any(|m| m.contains("`xs:union` in `Size`")));
    assert!(out
        .diagnostics
        .iter()
        .filter(|d| d.code == "wsdl::simple_list_union")
        .all(|d| d.location.as_ref().is_some_and(|l| l.line.is_some())));
}

/// rpc/encoded: SOAP-encoded arrays (`restriction base="soapenc:Array"` with
/// `wsdl:arrayType="T[]"`) are a struct with one unqualified `item` list of `T`; encoded
/// built-in types (`soapenc:string`) are the XSD ones; a nested array type warns.
#[test]
fn rpc_encoded_arrays_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:t="urn:t" targetNamespace="urn:t">
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:complexType name="Cat"><xs:all><xs:element name="id" type="xs:int"/></xs:all></xs:complexType>
    <xs:complexType name="ArrayOfCat"><xs:complexContent><xs:restriction base="enc:Array">
      <xs:attribute ref="enc:arrayType" wsdl:arrayType="t:Cat[]"/></xs:restriction></xs:complexContent></xs:complexType>
    <xs:complexType name="Grid"><xs:complexContent><xs:restriction base="enc:Array">
      <xs:attribute ref="enc:arrayType" wsdl:arrayType="xs:int[][]"/></xs:restriction></xs:complexContent></xs:complexType>
  </xs:schema></types>
  <message name="In"><part name="name" type="enc:string"/><part name="grid" type="t:Grid"/></message>
  <message name="Out"><part name="cats" type="t:ArrayOfCat"/></message>
  <portType name="PT"><operation name="List"><input message="t:In"/><output message="t:Out"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="List"><soap:operation soapAction="urn:list"/>
      <input><soap:body use="encoded" namespace="urn:x" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/></input>
      <output><soap:body use="encoded" namespace="urn:x" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/></output></operation>
  </binding>
</definitions>"#,
    );
    let out = lower(&wsdl);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        out.diagnostics
    );
    let api = &out.api;
    let list = op(api, "List");
    let (_, req) = strukt(api, &list.body.as_ref().unwrap().ty);
    assert_eq!(
        field(&req, "name").ty,
        TypeRef::Primitive(Primitive::String)
    );
    let (_, grid) = strukt(api, &field(&req, "grid").ty);
    assert_eq!(
        field(&grid, "item").ty,
        TypeRef::List(Box::new(TypeRef::Any))
    );
    let (_, resp) = strukt(api, list.responses[0].ty.as_ref().unwrap());
    let (name, cats) = strukt(api, &field(&resp, "cats").ty);
    assert_eq!(name, Name::Given("ArrayOfCat".into()));
    assert_eq!(cats.fields.len(), 1, "{:?}", cats.fields);
    let item = field(&cats, "item");
    // The schema is qualified; SOAP-encoded array items are not.
    assert_eq!(item.xml_namespace.as_deref(), Some(""));
    assert!(!item.required);
    let TypeRef::List(inner) = &item.ty else {
        panic!("{:?}", item.ty)
    };
    let (cat, _) = strukt(api, inner);
    assert_eq!(cat, Name::Given("Cat".into()));
    assert_eq!(codes(&out, "wsdl::soap_array").len(), 1);
    assert_eq!(codes(&out, "wsdl::rpc_encoded").len(), 1);
    assert!(codes(&out, "wsdl::restriction").is_empty());
    assert!(codes(&out, "wsdl::attribute_form").is_empty());
}

/// Output `soap:header` parts become the success response's headers; WS-Addressing is on when a
/// referenced policy says `wsaw:UsingAddressing` (the Action: the declared `wsam:Action`, else the
/// soapAction, else the default action pattern) and off otherwise; an MTOM policy warns once per
/// operation with base64Binary fields.
#[test]
fn response_headers_ws_addressing_and_mtom() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        r##"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl" xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" xmlns:wsoma="http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization" targetNamespace="urn:t">
  <wsp:Policy wsu:Id="addr"><wsp:ExactlyOne><wsp:All><wsaw:UsingAddressing/></wsp:All></wsp:ExactlyOne></wsp:Policy>
  <wsp:Policy wsu:Id="mtom"><wsp:ExactlyOne><wsp:All><wsoma:OptimizedMimeSerialization/></wsp:All></wsp:ExactlyOne></wsp:Policy>
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:element name="Get"><xs:complexType><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="GetResponse"><xs:complexType><xs:sequence><xs:element name="photo" type="xs:base64Binary" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Version"><xs:complexType><xs:attribute name="major" type="xs:int"/></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Get"/></message>
  <message name="Out"><part name="p" element="t:GetResponse"/></message>
  <message name="Hdr"><part name="ver" element="t:Version"/></message>
  <portType name="PT">
    <operation name="Get"><input message="t:In" wsam:Action="urn:t/explicit"/><output message="t:Out"/></operation>
    <operation name="Put"><input message="t:In"/><output message="t:Out"/></operation>
    <operation name="Plain"><input message="t:In"/><output message="t:Out"/></operation>
  </portType>
  <portType name="Plain">
    <operation name="Other"><input message="t:In"/><output message="t:Out"/></operation>
  </portType>
  <binding name="B" type="t:PT"><wsp:PolicyReference URI="#addr"/><wsp:PolicyReference URI="#mtom"/>
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Get"><soap:operation soapAction="urn:get"/>
      <input><soap:body use="literal"/></input>
      <output><soap:body use="literal"/><soap:header message="t:Hdr" part="ver" use="literal"/></output></operation>
    <operation name="Put"><soap:operation soapAction="urn:put"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
    <operation name="Plain"><soap:operation soapAction=""/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <binding name="P" type="t:Plain"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Other"><soap:operation soapAction="urn:other"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
</definitions>"##,
    );
    let out = lower(&wsdl);
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        out.diagnostics
    );
    let api = &out.api;
    let addressing = |name: &str| match &op(api, name).body.as_ref().unwrap().encoding {
        BodyEncoding::Soap { addressing, .. } => addressing.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(addressing("Get").as_deref(), Some("urn:t/explicit"));
    assert_eq!(addressing("Put").as_deref(), Some("urn:put"));
    assert_eq!(
        addressing("Plain").as_deref(),
        Some("urn:t:PT:PlainRequest")
    );
    assert_eq!(addressing("Other"), None);
    // The output header: on the 200 response, not on the request.
    let get = op(api, "Get");
    let BodyEncoding::Soap { headers, .. } = &get.responses[0].encoding else {
        panic!()
    };
    assert_eq!(headers.len(), 1, "{headers:?}");
    assert_eq!(headers[0].name, "ver");
    assert_eq!(headers[0].element.local, "Version");
    let (_, version) = strukt(api, &headers[0].ty);
    assert!(field(&version, "major").xml_attribute);
    let BodyEncoding::Soap { headers, .. } = &get.body.as_ref().unwrap().encoding else {
        panic!()
    };
    assert!(headers.is_empty());
    assert!(codes(&out, "wsdl::soap_header").is_empty());
    // MTOM: one warning per operation of the MTOM binding, naming the base64Binary field.
    let mtom = codes(&out, "wsdl::mtom");
    assert_eq!(mtom.len(), 3, "{mtom:?}");
    assert!(mtom[0].contains("`GetResponse.photo`"), "{mtom:?}");
}

/// A binding operation repeated word for word (as in a corpus document) is generated once,
/// with a located warning.
#[test]
fn a_repeated_binding_operation_is_generated_once() {
    let dir = tempfile::tempdir().unwrap();
    let bop = r#"<operation name="Get"><soap:operation soapAction="urn:get"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>"#;
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:element name="Get" type="xs:string"/><xs:element name="GetResponse" type="xs:string"/>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Get"/></message>
  <message name="Out"><part name="p" element="t:GetResponse"/></message>
  <portType name="PT"><operation name="Get"><input message="t:In"/><output message="t:Out"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    {bop}
    {bop}
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert_eq!(out.api.operations.len(), 1);
    let dup = codes(&out, "wsdl::duplicate_operation");
    assert_eq!(dup.len(), 1, "{dup:?}");
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "wsdl::duplicate_operation")
        .unwrap();
    assert!(format!("{d:?}").contains("svc.wsdl"), "{d:?}");
}

// ---- XSD: element unions, simple content, lists (the `xsd` helper's tests) ----

/// The element union a field (or a list field) is typed as: its variants' elements.
fn union_elements(api: &ir::Api, f: &ir::Field) -> Vec<(Option<String>, String)> {
    let t = match &f.ty {
        TypeRef::List(inner) => &**inner,
        t => t,
    };
    let TypeRef::Named(id) = t else {
        panic!("{}: not an element union: {:?}", f.name, f.ty)
    };
    let els = api
        .xsd
        .element_unions
        .get(id)
        .unwrap_or_else(|| panic!("{}: not an element union", f.name));
    let TypeKind::Union(u) = &api.ty(*id).kind else {
        panic!("not a union")
    };
    // Variants are tagged by their element's local name; the last is the fallback for an
    // element the schema does not list, as raw XML.
    assert_eq!(u.variants.len(), els.len());
    for (v, el) in u.variants.iter().zip(els) {
        assert_eq!(v.tag.as_deref(), Some(el.local.as_str()));
    }
    let other = u.variants.last().expect("a fallback variant");
    assert_eq!(other.tag.as_deref(), Some("##other"));
    assert_eq!(
        other.ty,
        TypeRef::External("::sdkwright_runtime::RawXml".into())
    );
    els[..els.len() - 1]
        .iter()
        .map(|e| (e.namespace.clone(), e.local.clone()))
        .collect()
}

#[test]
fn repeated_groups_and_substitution_groups_are_element_unions() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <types>
  <xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:import namespace="urn:o"/>
    <xs:complexType name="FolderType"><xs:sequence><xs:element name="DisplayName" type="xs:string"/></xs:sequence></xs:complexType>
    <xs:complexType name="Folders">
      <xs:choice minOccurs="0" maxOccurs="unbounded">
        <xs:element name="Folder" type="t:FolderType"/>
        <xs:element name="CalendarFolder" type="t:FolderType"/>
      </xs:choice>
    </xs:complexType>
    <xs:complexType name="BasePath" abstract="true"/>
    <xs:element name="Path" type="t:BasePath" abstract="true"/>
    <xs:element name="FieldURI" type="xs:string" substitutionGroup="t:Path"/>
    <xs:element name="IndexedFieldURI" type="xs:string" substitutionGroup="t:FieldURI"/>
    <xs:complexType name="Paths"><xs:choice maxOccurs="unbounded"><xs:element ref="t:Path"/></xs:choice></xs:complexType>
    <xs:complexType name="ExprType" abstract="true"/>
    <xs:element name="Expr" type="t:ExprType"/>
    <xs:complexType name="NotType"><xs:complexContent><xs:extension base="t:ExprType"><xs:sequence><xs:element ref="t:Expr"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
    <xs:element name="Not" type="t:NotType" substitutionGroup="t:Expr"/>
    <xs:element name="True" type="xs:string" substitutionGroup="t:Expr"/>
    <xs:complexType name="Pairs"><xs:sequence maxOccurs="unbounded"><xs:element name="k" type="xs:string" form="unqualified"/><xs:element name="v" type="xs:int"/></xs:sequence></xs:complexType>
    <xs:complexType name="Loose"><xs:choice maxOccurs="unbounded"><xs:element name="a" type="xs:int"/><xs:any/></xs:choice></xs:complexType>
    <xs:element name="Req"><xs:complexType><xs:sequence>
      <xs:element name="folders" type="t:Folders"/>
      <xs:element name="paths" type="t:Paths"/>
      <xs:element ref="t:Expr" minOccurs="0"/>
      <xs:element name="pairs" type="t:Pairs"/>
      <xs:element name="loose" type="t:Loose"/>
      <xs:element name="abs" type="t:ExprType" minOccurs="0"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema>
  <xs:schema targetNamespace="urn:o" elementFormDefault="qualified" xmlns:t="urn:t">
    <xs:import namespace="urn:t"/>
    <xs:element name="ExtendedFieldURI" type="xs:string" substitutionGroup="t:Path"/>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Req"/></message>
  <portType name="PT"><operation name="Do"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Do"><soap:operation soapAction=""/><input><soap:body use="literal"/></input></operation>
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    let api = &out.api;
    let (_, req) = strukt(api, &api.operations[0].body.as_ref().unwrap().ty);
    let t = |s: &str| (Some("urn:t".to_owned()), s.to_owned());

    // A repeated choice: one `items` list of the union of its elements, optional as the
    // choice is (`minOccurs="0"`).
    let (_, folders) = strukt(api, &field(&req, "folders").ty);
    assert_eq!(folders.fields.len(), 1);
    let items = field(&folders, "items");
    assert!(!items.required);
    assert!(matches!(items.ty, TypeRef::List(_)));
    assert_eq!(
        union_elements(api, items),
        [t("Folder"), t("CalendarFolder")]
    );

    // A repeated choice of a substitution group: its members, transitively, in their own
    // namespaces; the abstract head is not one.
    let (_, paths) = strukt(api, &field(&req, "paths").ty);
    let items = field(&paths, "items");
    assert!(items.required);
    assert_eq!(
        union_elements(api, items),
        [
            t("FieldURI"),
            t("IndexedFieldURI"),
            (Some("urn:o".into()), "ExtendedFieldURI".into())
        ]
    );

    // A reference to a head: a field of the group's union, named after the head. `Expr` is
    // not abstract but its type is, so it is not sent itself; `Not` nests the group (one
    // union per head, shared).
    let expr = field(&req, "Expr");
    assert!(!expr.required);
    assert_eq!(union_elements(api, expr), [t("Not"), t("True")]);
    let TypeRef::Named(expr_union) = expr.ty else {
        unreachable!()
    };
    let TypeKind::Union(u) = &api.ty(expr_union).kind else {
        unreachable!()
    };
    let (_, not) = strukt(api, &u.variants[0].ty);
    assert_eq!(field(&not, "Expr").ty, TypeRef::Named(expr_union));

    // A repeated sequence: its elements in document order, each with its own namespace.
    let (_, pairs) = strukt(api, &field(&req, "pairs").ty);
    assert_eq!(
        union_elements(api, field(&pairs, "items")),
        [(None, "k".into()), t("v")]
    );

    // With `xs:any` inside, still a list of the union: its fallback variant takes the
    // elements `xs:any` admits, as raw XML, without a warning.
    let (_, loose) = strukt(api, &field(&req, "loose").ty);
    assert_eq!(union_elements(api, field(&loose, "items")), [t("a")]);
    assert!(
        codes(&out, "wsdl::repeated_group").is_empty(),
        "{:#?}",
        out.diagnostics
    );
    assert!(
        codes(&out, "wsdl::any").is_empty(),
        "{:#?}",
        out.diagnostics
    );
    assert!(
        codes(&out, "wsdl::substitution_group").is_empty(),
        "{:#?}",
        out.diagnostics
    );
    // An element of an abstract type outside a substitution group: the union of its derived
    // types (`NotType`), named on the wire by `xsi:type`.
    let TypeRef::Named(abs) = &field(&req, "abs").ty else {
        panic!("a union")
    };
    assert_eq!(
        api.xsd.xsi_unions[abs],
        [XmlName {
            namespace: Some("urn:t".into()),
            local: "NotType".into()
        }]
    );
    assert!(codes(&out, "wsdl::xsi_type").is_empty());
}

#[test]
fn simple_content_with_attributes_is_a_struct_with_its_text_first() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:simpleType name="Kind"><xs:restriction base="xs:string"><xs:enumeration value="a"/></xs:restriction></xs:simpleType>
    <xs:complexType name="Amount"><xs:simpleContent><xs:extension base="xs:decimal">
      <xs:attribute name="currency" type="xs:string" use="required"/><xs:attribute name="value" type="xs:string"/>
    </xs:extension></xs:simpleContent></xs:complexType>
    <xs:complexType name="Tagged"><xs:simpleContent><xs:extension base="t:Amount">
      <xs:attribute name="tag" type="t:Kind"/>
    </xs:extension></xs:simpleContent></xs:complexType>
    <xs:complexType name="Plain"><xs:simpleContent><xs:extension base="xs:int"/></xs:simpleContent></xs:complexType>
    <xs:element name="Req"><xs:complexType><xs:sequence>
      <xs:element name="amount" type="t:Amount"/><xs:element name="tagged" type="t:Tagged"/><xs:element name="plain" type="t:Plain"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Req"/></message>
  <portType name="PT"><operation name="Do"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Do"><soap:operation soapAction=""/><input><soap:body use="literal"/></input></operation>
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
    let api = &out.api;
    let (_, req) = strukt(api, &api.operations[0].body.as_ref().unwrap().ty);
    let amount_ty = &field(&req, "amount").ty;
    let (_, amount) = strukt(api, amount_ty);
    let TypeRef::Named(amount_id) = amount_ty else {
        unreachable!()
    };
    assert!(api.xsd.text_content.contains(amount_id));
    // The text first (named apart from the `value` attribute), then the attributes.
    let names: Vec<_> = amount.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["value2", "currency", "value"]);
    assert!(!amount.fields[0].xml_attribute && amount.fields[0].required);
    assert!(amount.fields[1].xml_attribute && amount.fields[2].xml_attribute);
    // Extending it keeps its text and attributes.
    let (_, tagged) = strukt(api, &field(&req, "tagged").ty);
    let names: Vec<_> = tagged.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["value2", "currency", "value", "tag"]);
    // Without attributes nothing is lost: the base value.
    let plain = &field(&req, "plain").ty;
    let TypeRef::Named(plain) = plain else {
        panic!("{plain:?}")
    };
    assert!(matches!(
        api.ty(*plain).kind,
        TypeKind::Alias(TypeRef::Primitive(Primitive::I32))
    ));
}

/// Exchange's schemas: the folders of a FindFolder answer, the paths of a shape, the search
/// expressions of a restriction.
#[test]
fn exchange_folders_paths_and_restrictions_are_element_unions() {
    let Some(corpus) = corpus() else {
        eprintln!("no corpus: skipped");
        return;
    };
    let out = lower(&corpus.join("ms-exchange-ews/services.wsdl"));
    let api = &out.api;
    let by_name = |n: &str| {
        let id = api
            .types
            .iter()
            .position(|d| d.name == Name::Given(n.into()))
            .unwrap_or_else(|| panic!("no type {n}"));
        strukt(api, &TypeRef::Named(ir::TypeId(id as u32))).1
    };
    let t = |s: &str| {
        (
            Some("http://schemas.microsoft.com/exchange/services/2006/types".to_owned()),
            s.to_owned(),
        )
    };
    let folders = by_name("ArrayOfFoldersType");
    assert_eq!(
        union_elements(api, field(&folders, "items")),
        [
            "Folder",
            "CalendarFolder",
            "ContactsFolder",
            "SearchFolder",
            "TasksFolder"
        ]
        .map(t)
    );
    let paths = by_name("NonEmptyArrayOfPathsToElementType");
    assert_eq!(
        union_elements(api, field(&paths, "items")),
        ["FieldURI", "IndexedFieldURI", "ExtendedFieldURI"].map(t)
    );
    let restriction = by_name("RestrictionType");
    let exprs = union_elements(api, field(&restriction, "SearchExpression"));
    assert_eq!(exprs.len(), 12, "{exprs:?}");
    assert!(exprs.contains(&t("IsEqualTo")) && !exprs.contains(&t("SearchExpression")));
    let messages = by_name("ArrayOfResponseMessagesType");
    let m = union_elements(api, field(&messages, "items"));
    assert!(m.contains(&(
        Some("http://schemas.microsoft.com/exchange/services/2006/messages".into()),
        "FindFolderResponseMessage".into()
    )));
}

#[test]
fn xpath_like_pointers_are_located() {
    let text = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">
  <types><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
    <xs:complexType name="a"/>
    <xs:complexType name="order"/>
  </xs:schema></types>
  <binding name="B">
    <operation name="Get"/>
  </binding>
</definitions>"#;
    let found = super::locate_pointers(
        text,
        &[
            "/complexType[@name='order']",
            "/definitions/binding/operation[@name='Get']",
            "/binding[@name='B']/operation",
            "/complexType[@name='missing']",
            "/complexType[@name=",
            "",
        ],
    );
    assert_eq!(
        found,
        [Some((4, 5)), Some((7, 5)), Some((7, 5)), None, None, None]
    );
    assert_eq!(
        super::locate_pointers("<a", &["/a"]),
        [None],
        "not XML: nothing located"
    );
}

/// The back end's `rust::type_renamed` for a WSDL type (`order` beside `Order`) is located by line
/// and column, not by its XPath-like pointer alone (the corpus sweep showed 25 such warnings without
/// a line).
#[test]
fn renamed_wsdl_types_are_located_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD}
  <types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:complexType name="Order"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
    <xs:complexType name="order"><xs:sequence><xs:element name="n" type="xs:string"/></xs:sequence></xs:complexType>
    <xs:element name="Get"><xs:complexType><xs:sequence>
      <xs:element name="a" type="t:Order"/><xs:element name="b" type="t:order"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Get"/></message>
  <portType name="PT"><operation name="Get"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Get"><soap12:operation soapAction="urn:get"/><input><soap12:body use="literal"/></input></operation>
  </binding>
  <service name="S"><port name="P" binding="t:B"><soap12:address location="https://example.com/s"/></port></service>
</definitions>"#
        ),
    );
    let diags = crate::Generator::new(&wsdl).check().unwrap();
    let renamed: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "rust::type_renamed")
        .collect();
    assert_eq!(renamed.len(), 1, "{diags:#?}");
    let loc = renamed[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.line, loc.column),
        (Some(4), Some(5)),
        "{:?}",
        renamed[0]
    );
}

#[test]
fn any_and_mixed_content_are_raw_xml_fields() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = write(
        dir.path(),
        "svc.wsdl",
        &format!(
            r#"{HEAD11}
  <types>
  <xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:complexType name="Open"><xs:sequence>
      <xs:element name="id" type="xs:int"/>
      <xs:any namespace="urn:vendor" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      <xs:any minOccurs="0"/>
    </xs:sequence></xs:complexType>
    <xs:complexType name="Para" mixed="true"><xs:sequence>
      <xs:element name="b" type="xs:string" minOccurs="0"/>
    </xs:sequence></xs:complexType>
    <xs:complexType name="Rich" mixed="true"><xs:choice minOccurs="0" maxOccurs="unbounded">
      <xs:element name="i" type="xs:string"/><xs:any/>
    </xs:choice></xs:complexType>
    <xs:element name="Req"><xs:complexType><xs:sequence>
      <xs:element name="open" type="t:Open"/>
      <xs:element name="para" type="t:Para"/>
      <xs:element name="rich" type="t:Rich"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></types>
  <message name="In"><part name="p" element="t:Req"/></message>
  <portType name="PT"><operation name="Do"><input message="t:In"/></operation></portType>
  <binding name="B" type="t:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Do"><soap:operation soapAction=""/><input><soap:body use="literal"/></input></operation>
  </binding>
</definitions>"#
        ),
    );
    let out = lower(&wsdl);
    let api = &out.api;
    let raw = TypeRef::List(Box::new(TypeRef::External(
        "::sdkwright_runtime::RawXml".into(),
    )));
    let (_, req) = strukt(api, &api.operations[0].body.as_ref().unwrap().ty);
    // `xs:any` (twice): one field of raw XML after the declared elements.
    let (_, open) = strukt(api, &field(&req, "open").ty);
    let names: Vec<&str> = open.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["id", "any"]);
    assert_eq!(field(&open, "any").ty, raw);
    assert!(field(&open, "any").required);
    // Mixed content: its text in `content`.
    let (_, para) = strukt(api, &field(&req, "para").ty);
    assert_eq!(field(&para, "content").ty, raw);
    // Mixed content of a repeated choice holding `xs:any`: the union's fallback takes the
    // text and the other elements, in order with `i`.
    let (_, rich) = strukt(api, &field(&req, "rich").ty);
    assert_eq!(rich.fields.len(), 1);
    assert_eq!(
        union_elements(api, field(&rich, "items")),
        [(Some("urn:t".into()), "i".into())]
    );
    for code in ["wsdl::any", "wsdl::mixed", "wsdl::repeated_group"] {
        assert!(
            codes(&out, code).is_empty(),
            "{code}: {:#?}",
            out.diagnostics
        );
    }
}
