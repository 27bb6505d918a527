//! The XSD subset: global declarations of every loaded schema, lowered on demand into IR types.
//!
//! Supported: global and local `xs:element` (inline or named types, `ref`, `minOccurs`,
//! `maxOccurs`, `nillable`, `form`), `xs:complexType` with `xs:sequence`/`xs:all`/`xs:choice`
//! (nested, choice members become optional), `xs:group` and `xs:attributeGroup` references,
//! `xs:attribute` (a field with `xml_attribute: true`; `xml_namespace` its namespace when it is
//! qualified: a `ref`, or `form`/`attributeFormDefault` "qualified"), `xs:complexContent`
//! extension (base fields first) and restriction, `xs:simpleType` restrictions (enumerations become `TypeKind::Enum`,
//! others the base type), and the built-in simple types.
//!
//! Element unions (`Api::xsd::element_unions`): a repeated model group (`xs:choice` or
//! `xs:sequence` with `maxOccurs > 1`) is one field `items`, the list in document order of a union
//! with one variant per element the group may hold (nested groups, group references and
//! substitution groups flattened); a reference to the head of a substitution group is a field of
//! the union of the group's elements that are not abstract (the abstract head is never sent; one
//! union per head, named `<Head>Element`). A struct holds one such field at most (generated code
//! reads it from the elements no other field names); a second is lowered as before, with a
//! warning. `xs:simpleContent` with attributes is a struct whose first field (`value`) is the
//! text (`Api::xsd::text_content`); without attributes an alias of its base. `xs:list` is a
//! named alias of a list (`Api::xsd::lists`: one element, items separated by spaces).
//!
//! Raw XML (`RawXml` of the runtime): the elements an `xs:any` admits are a field `any:
//! Vec<RawXml>` (every element no other field names, in document order), or, in a struct holding
//! an element union, that union's fallback variant `Other(RawXml)` (`##other`), which every
//! element union has: an element a newer server sends that the schema does not list decodes
//! into it instead of failing. Mixed content adds a field `content: Vec<RawXml>` for its text
//! (or the union's fallback holds the text, in order with the elements).
//!
//! Located warnings, once per construct: `xs:anyAttribute` is dropped; an `xs:union` is a string
//! unless all its members are enumerations (then one enum of their values); an element of an
//! abstract complex type (outside a substitution group) is the union of the types derived from
//! it (`Api::xsd::xsi_unions`; on the wire its element names its type with `xsi:type`), or, when
//! none derives from it, the abstract type's struct with a warning. `xs:decimal` is
//! carried as a String (exact; no float rounding).
//!
//! `StructDef::xml_namespace` is the namespace of the struct's *child elements*: the
//! `targetNamespace` of the schema declaring the type when its `elementFormDefault` is
//! `qualified`, `None` (unqualified children) otherwise. A field whose element belongs elsewhere
//! (a `ref` to another namespace, a `form` differing from the default, an element inherited from a
//! base type of another schema) carries its own in `Field::xml_namespace` (`""`: none). The body
//! element's own namespace is in `BodyEncoding::Soap::element`.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use indexmap::IndexMap;
use roxmltree::{Document, Node};

use crate::diag::Diagnostic;
use crate::ir::{self, Field, Name, Primitive, StructDef, TypeDef, TypeId, TypeKind, TypeRef};

/// XML Schema namespace.
pub(super) const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// SOAP 1.1 encoding (section 5) namespace: `soapenc:Array` and the encoded built-in types.
pub(super) const SOAPENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// The WSDL 1.1 namespace (its `wsdl:arrayType` attribute names a SOAP-encoded array's items).
const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";

/// The runtime's raw XML type: what `xs:any` admits, unknown elements of a choice, mixed text.
const RAW_XML: &str = "::sdkwright_runtime::RawXml";

/// The tag of an element union's fallback variant (the runtime's `soap_raw::OTHER`).
const OTHER_ELEMENT: &str = "##other";

/// `Vec<RawXml>`.
fn raw_xml_list() -> TypeRef {
    TypeRef::List(Box::new(TypeRef::External(RAW_XML.into())))
}

/// A namespace-qualified name: (namespace, local name). An empty namespace means none.
pub(super) type QName = (String, String);

/// Global schema declarations by qualified name, first declaration wins, document order.
#[derive(Default)]
pub(super) struct Index<'a, 'i> {
    pub(super) elements: IndexMap<QName, Node<'a, 'i>>,
    complex: IndexMap<QName, Node<'a, 'i>>,
    simple: IndexMap<QName, Node<'a, 'i>>,
    groups: IndexMap<QName, Node<'a, 'i>>,
    attribute_groups: IndexMap<QName, Node<'a, 'i>>,
    attributes: IndexMap<QName, Node<'a, 'i>>,
    /// Substitution group heads → their members, document order.
    substitutes: HashMap<QName, Vec<QName>>,
}

impl<'a, 'i> Index<'a, 'i> {
    /// Adds the global declarations of every `xs:schema` element in `doc`.
    pub(super) fn add_document(&mut self, doc: &'a Document<'i>) {
        for schema in doc.descendants().filter(|n| is_xs(*n, "schema")) {
            let tns = schema.attribute("targetNamespace").unwrap_or_default();
            for decl in schema.children().filter(Node::is_element) {
                let Some(name) = decl.attribute("name") else {
                    continue;
                };
                let map = match decl.tag_name().name() {
                    "element" => &mut self.elements,
                    "complexType" => &mut self.complex,
                    "simpleType" => &mut self.simple,
                    "group" => &mut self.groups,
                    "attributeGroup" => &mut self.attribute_groups,
                    "attribute" => &mut self.attributes,
                    _ => continue,
                };
                if let Some(head) = decl
                    .attribute("substitutionGroup")
                    .filter(|_| decl.tag_name().name() == "element")
                {
                    self.substitutes
                        .entry(resolve_qname(decl, head))
                        .or_default()
                        .push((tns.to_owned(), name.to_owned()));
                }
                map.entry((tns.to_owned(), name.to_owned())).or_insert(decl);
            }
        }
    }
}

/// True for an element `xs:<local>`.
pub(super) fn is_xs(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XS) && node.tag_name().name() == local
}

/// Resolves a prefixed name (`tns:Foo`) in the scope of `node`.
pub(super) fn resolve_qname(node: Node<'_, '_>, value: &str) -> QName {
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    let ns = node.lookup_namespace_uri(prefix).unwrap_or_default();
    (ns.to_owned(), local.to_owned())
}

/// 1-based line and column of a node.
pub(super) fn position(node: Node<'_, '_>) -> (u32, u32) {
    let pos = node.document().text_pos_at(node.range().start);
    (pos.row, pos.col)
}

/// The text of `xs:annotation/xs:documentation` (or `wsdl:documentation`) children.
pub(super) fn documentation(node: Node<'_, '_>) -> Option<String> {
    let mut text = String::new();
    for child in node.children().filter(Node::is_element) {
        let docs: Vec<Node<'_, '_>> = match child.tag_name().name() {
            "annotation" => child
                .children()
                .filter(|c| c.tag_name().name() == "documentation")
                .collect(),
            "documentation" => vec![child],
            _ => continue,
        };
        for d in docs {
            let t: String = d
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            let t = t.trim();
            if !t.is_empty() {
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(t);
            }
        }
    }
    (!text.is_empty()).then_some(text)
}

/// Lowers schema declarations into IR types, memoizing named ones.
pub(super) struct Lowerer<'a, 'i> {
    pub(super) index: Index<'a, 'i>,
    /// Source files, parallel to the parsed documents.
    files: Vec<(PathBuf, &'a Document<'i>)>,
    pub(super) api: ir::Api,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Lowered named declarations by (kind, namespace, local); only looked up, never iterated.
    memo: HashMap<(&'static str, String, String), TypeRef>,
    /// Warnings already emitted (code + subject), to report each construct once.
    warned: BTreeSet<String>,
    /// Group references being expanded (kind, name), to stop on (invalid) cyclic groups.
    expanding: Vec<(&'static str, QName)>,
    /// Named complex types being lowered inside one another right now; see [`MAX_TYPE_NESTING`].
    nesting: usize,
    /// The namespace the child elements of the complex types being lowered are sent in
    /// (innermost last), to report elements the XSD puts in another one.
    children_ns: Vec<Option<String>>,
}

/// Most named complex types lowered inside one another (through extensions, elements and
/// attributes). A deeper one is typed as any value with a `wsdl::too_deep` warning: a chain of
/// 10,000 types extending each other recursed 10,000 deep and overflowed the stack. Extensions
/// copy their base's fields, so a base must be lowered before the derived type and cannot be
/// put aside for later.
const MAX_TYPE_NESTING: usize = 64;

impl<'a, 'i> Lowerer<'a, 'i> {
    pub(super) fn new(index: Index<'a, 'i>, files: Vec<(PathBuf, &'a Document<'i>)>) -> Self {
        Lowerer {
            index,
            files,
            api: ir::Api::default(),
            diagnostics: Vec::new(),
            memo: HashMap::new(),
            warned: BTreeSet::new(),
            expanding: Vec::new(),
            nesting: 0,
            children_ns: Vec::new(),
        }
    }

    /// The file a node comes from.
    pub(super) fn file_of(&self, node: Node<'_, '_>) -> PathBuf {
        self.files
            .iter()
            .find(|(_, d)| std::ptr::eq(*d, node.document()))
            .map(|(p, _)| p.clone())
            .unwrap_or_default()
    }

    /// `d` located at `node`: its file, line and column.
    pub(super) fn at_node(&self, d: Diagnostic, node: Node<'_, '_>) -> Diagnostic {
        let (line, col) = position(node);
        d.at_line(self.file_of(node), "", line, col)
    }

    /// `file#/xpath-like pointer` origin of a declaration.
    fn origin(&self, node: Node<'_, '_>, name: &str) -> String {
        format!(
            "{}#/{}[@name='{name}']",
            self.file_of(node).display(),
            node.tag_name().name()
        )
    }

    /// A warning at `node`, emitted once per `(code, subject)`.
    pub(super) fn warn(
        &mut self,
        node: Node<'_, '_>,
        code: &'static str,
        subject: &str,
        message: String,
    ) {
        if !self.warned.insert(format!("{code} {subject}")) {
            return;
        }
        let d = self.at_node(Diagnostic::warning(code, message), node);
        self.diagnostics.push(d);
    }

    /// Pushes a group reference being expanded; false (with a warning) if it is already being
    /// expanded, i.e. the group contains itself.
    fn enter(&mut self, kind: &'static str, name: &QName, at: Node<'_, '_>) -> bool {
        let entry = (kind, name.clone());
        if self.expanding.contains(&entry) {
            let message = format!("{kind} `{}` contains itself; the cycle is cut", name.1);
            self.warn(at, "wsdl::group_cycle", &name.1, message);
            return false;
        }
        self.expanding.push(entry);
        true
    }

    /// The type of the global element `name` (the body type of a message part).
    pub(super) fn global_element(&mut self, name: &QName) -> Option<TypeRef> {
        let key = ("element", name.0.clone(), name.1.clone());
        if let Some(t) = self.memo.get(&key) {
            return Some(t.clone());
        }
        let node = *self.index.elements.get(name)?;
        let ty = if let Some(t) = node.attribute("type") {
            self.type_ref(node, t)
        } else if let Some(ct) = node.children().find(|c| is_xs(*c, "complexType")) {
            if self.nesting >= MAX_TYPE_NESTING {
                let message = format!(
                    "element `{}` is nested more than {MAX_TYPE_NESTING} named types deep here; typed as any value",
                    name.1
                );
                self.warn(
                    node,
                    "wsdl::too_deep",
                    &format!("{}:{}", name.0, name.1),
                    message,
                );
                return Some(TypeRef::Any);
            }
            // Memoize before lowering the fields, so recursive elements terminate.
            let id = self.api.add_type(TypeDef {
                name: Name::Given(name.1.clone()),
                docs: None,
                origin: String::new(),
                kind: TypeKind::Struct(StructDef::default()),
            });
            self.memo.insert(key.clone(), TypeRef::Named(id));
            self.nesting += 1;
            self.fill_complex(id, ct, std::slice::from_ref(&name.1), node);
            self.nesting -= 1;
            TypeRef::Named(id)
        } else if let Some(st) = node.children().find(|c| is_xs(*c, "simpleType")) {
            self.simple_type(st, Name::Given(name.1.clone()))
        } else {
            TypeRef::Any
        };
        self.memo.insert(key, ty.clone());
        Some(ty)
    }

    /// Resolves a `type="prefix:Name"` reference.
    pub(super) fn type_ref(&mut self, at: Node<'_, '_>, value: &str) -> TypeRef {
        let qn = resolve_qname(at, value);
        self.type_ref_qn(at, qn, value)
    }

    /// [`Self::type_ref`] of a resolved name (`value`: as written, for messages).
    fn type_ref_qn(&mut self, at: Node<'_, '_>, qn: QName, value: &str) -> TypeRef {
        if qn.0 == XS {
            return self.builtin(at, &qn.1);
        }
        // SOAP encoding declares an element type per XSD built-in (`soapenc:string`), and
        // `soapenc:Array`, an array of any values.
        if qn.0 == SOAPENC && !self.index.complex.contains_key(&qn) {
            return match qn.1.as_str() {
                "Array" => TypeRef::List(Box::new(TypeRef::Any)),
                "Struct" => TypeRef::Any,
                local => self.builtin(at, local),
            };
        }
        let key = ("type", qn.0.clone(), qn.1.clone());
        if let Some(t) = self.memo.get(&key) {
            return t.clone();
        }
        let ty = if let Some(node) = self.index.complex.get(&qn).copied() {
            if self.nesting >= MAX_TYPE_NESTING {
                let message = format!(
                    "type `{value}` is nested more than {MAX_TYPE_NESTING} named types deep here; typed as any value"
                );
                self.warn(at, "wsdl::too_deep", &format!("{}:{}", qn.0, qn.1), message);
                return TypeRef::Any;
            }
            // Memoize before lowering the fields, so recursive types terminate.
            let id = self.api.add_type(TypeDef {
                name: Name::Given(qn.1.clone()),
                docs: None,
                origin: String::new(),
                kind: TypeKind::Struct(StructDef::default()),
            });
            self.memo.insert(key.clone(), TypeRef::Named(id));
            self.nesting += 1;
            self.fill_complex(id, node, std::slice::from_ref(&qn.1), node);
            self.nesting -= 1;
            TypeRef::Named(id)
        } else if let Some(node) = self.index.simple.get(&qn).copied() {
            // A placeholder first: a (malformed) cyclic restriction ends as any value.
            self.memo.insert(key.clone(), TypeRef::Any);
            self.simple_type(node, Name::Given(qn.1.clone()))
        } else {
            self.warn(
                at,
                "wsdl::unknown_type",
                &format!("{}:{}", qn.0, qn.1),
                format!(
                    "type `{value}` ({}) is not defined in any loaded schema; typed as any value",
                    qn.0
                ),
            );
            TypeRef::Any
        };
        self.memo.insert(key, ty.clone());
        ty
    }

    /// Built-in XSD simple types.
    fn builtin(&mut self, at: Node<'_, '_>, local: &str) -> TypeRef {
        let p = match local {
            "string" | "normalizedString" | "token" | "anyURI" | "QName" | "NCName" | "Name"
            | "NMTOKEN" | "NMTOKENS" | "language" | "ID" | "IDREF" | "IDREFS" | "ENTITY"
            | "time" | "duration" | "gYear" | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay"
            | "hexBinary" | "anySimpleType" | "decimal" | "NOTATION" => Primitive::String,
            "int" | "short" | "byte" | "unsignedShort" | "unsignedByte" => Primitive::I32,
            "long" | "integer" | "unsignedInt" | "unsignedLong" | "nonNegativeInteger"
            | "positiveInteger" | "negativeInteger" | "nonPositiveInteger" => Primitive::I64,
            "double" => Primitive::F64,
            "float" => Primitive::F32,
            "boolean" => Primitive::Bool,
            "dateTime" => Primitive::DateTime,
            "date" => Primitive::Date,
            "base64Binary" => Primitive::Base64,
            "anyType" => return TypeRef::Any,
            other => {
                self.warn(
                    at,
                    "wsdl::unknown_builtin",
                    other,
                    format!("unknown XSD type `xs:{other}`; typed as any value"),
                );
                return TypeRef::Any;
            }
        };
        TypeRef::Primitive(p)
    }

    /// Lowers an inline or named `xs:complexType` into a new struct type.
    fn complex_type(
        &mut self,
        ct: Node<'_, '_>,
        name: Name,
        path: &[String],
        decl: Node<'_, '_>,
    ) -> TypeId {
        let id = self.api.add_type(TypeDef {
            name,
            docs: None,
            origin: String::new(),
            kind: TypeKind::Struct(StructDef::default()),
        });
        self.fill_complex(id, ct, path, decl);
        id
    }

    /// Sets the kind, docs and origin of the placeholder `id` from the complex type `ct`.
    fn fill_complex(&mut self, id: TypeId, ct: Node<'_, '_>, path: &[String], decl: Node<'_, '_>) {
        let mut fields = Vec::new();
        let xml_namespace = children_namespace(ct);
        let mixed = ct.attribute("mixed") == Some("true")
            || ct
                .children()
                .any(|c| is_xs(c, "complexContent") && c.attribute("mixed") == Some("true"));
        self.children_ns.push(xml_namespace.clone());
        let content = self.complex_content(ct, path, &mut fields);
        self.children_ns.pop();
        if mixed && content.is_ok() && !self.has_element_union(&fields) {
            // Mixed content: the text between elements (and elements no field names) as raw
            // XML in document order; with an element union, its fallback variant holds them.
            let name = fresh_name("content".to_owned(), &fields, &[]);
            fields.push(Field {
                docs: Some(
                    "The text of this mixed content (and any element no field names), as raw XML, in document order.".into(),
                ),
                ..Field::new(name, raw_xml_list(), true)
            });
        }
        if content.is_ok() && ct.children().any(|c| is_xs(c, "simpleContent")) {
            self.api.xsd.text_content.insert(id);
        }
        let kind = match content {
            Ok(()) => TypeKind::Struct(StructDef {
                fields,
                additional: None,
                xml_namespace,
                flatten: Vec::new(),
            }),
            Err(alias) => TypeKind::Alias(alias),
        };
        let name = path.join("_");
        let origin = self.origin(decl, path.last().map_or(&name, |s| s));
        let docs = documentation(ct).or_else(|| documentation(decl));
        let def = self.api.ty_mut(id);
        def.kind = kind;
        def.docs = docs;
        def.origin = origin;
    }

    /// Collects the fields of a complex type. `Err(ty)` means the type is not a record and
    /// should be an alias of `ty` (simple content).
    fn complex_content(
        &mut self,
        ct: Node<'_, '_>,
        path: &[String],
        fields: &mut Vec<Field>,
    ) -> Result<(), TypeRef> {
        for child in ct.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "complexContent" => {
                    let Some(der) = child
                        .children()
                        .find(|c| is_xs(*c, "extension") || is_xs(*c, "restriction"))
                    else {
                        continue;
                    };
                    let base = der.attribute("base").unwrap_or("xs:anyType");
                    let base_qn = resolve_qname(der, base);
                    if der.tag_name().name() == "extension"
                        && base_qn != (XS.to_owned(), "anyType".to_owned())
                    {
                        if let TypeRef::Named(bid) = self.type_ref(der, base) {
                            if let TypeKind::Struct(s) = &self.api.ty(bid).kind {
                                // Inherited elements keep the namespace the base's schema gives them.
                                let theirs = s.xml_namespace.clone();
                                let inherited: Vec<Field> = s.fields.clone();
                                for mut f in inherited {
                                    if !f.xml_attribute && f.xml_namespace.is_none() {
                                        f.xml_namespace =
                                            self.namespace_override(theirs.as_deref());
                                    }
                                    fields.push(f);
                                }
                            }
                        }
                    } else if der.tag_name().name() == "restriction"
                        && base_qn == (SOAPENC.to_owned(), "Array".to_owned())
                    {
                        if self.soap_array(der, path, fields) {
                            continue;
                        }
                    } else if der.tag_name().name() == "restriction" && base_qn.1 != "anyType" {
                        let message = format!(
                            "complex restriction of `{base}` is lowered from its own content only"
                        );
                        self.warn(der, "wsdl::restriction", base, message);
                    }
                    self.complex_content(der, path, fields)?;
                }
                "simpleContent" => return self.simple_content(child, path, fields),
                "sequence" | "all" | "choice" | "group" => {
                    self.particle(child, false, path, fields)
                }
                "attribute" | "attributeGroup" => self.attribute(child, path, fields),
                "extension" | "restriction" => {} // handled by the caller's recursion targets
                "anyAttribute" => {
                    let subject = path.join("_");
                    let message = format!(
                        "`{subject}` accepts undeclared attributes (`xs:anyAttribute`): they are dropped"
                    );
                    self.warn(child, "wsdl::any_attribute", &subject, message);
                }
                "annotation" => {}
                other => self.warn(
                    child,
                    "wsdl::unsupported",
                    other,
                    format!("`xs:{other}` is not supported and is ignored"),
                ),
            }
        }
        Ok(())
    }

    /// `xs:simpleContent`: with attributes (its own or its base's), a struct whose first field
    /// is the element's text (`Api::xsd::text_content`) and the others its attributes;
    /// without, `Err` of its base simple type (an alias: nothing is lost).
    fn simple_content(
        &mut self,
        sc: Node<'_, '_>,
        path: &[String],
        fields: &mut Vec<Field>,
    ) -> Result<(), TypeRef> {
        let der = sc
            .children()
            .find(|c| is_xs(*c, "extension") || is_xs(*c, "restriction"));
        let base = match der.and_then(|d| d.attribute("base").map(|b| (d, b))) {
            Some((d, b)) => self.type_ref(d, b),
            None => TypeRef::Primitive(Primitive::String),
        };
        let mut inherited: Vec<Field> = Vec::new();
        let text_ty = match base {
            TypeRef::Named(bid) => match &self.api.ty(bid).kind {
                TypeKind::Struct(s) if self.api.xsd.text_content.contains(&bid) => {
                    inherited = s.fields.clone();
                    None
                }
                // A complex base without simple content (not valid XSD): its text as a string.
                TypeKind::Struct(_) => Some(TypeRef::Primitive(Primitive::String)),
                _ => Some(TypeRef::Named(bid)),
            },
            other => Some(other),
        };
        let mut own = Vec::new();
        if let Some(d) = der {
            for a in d.children().filter(Node::is_element) {
                match a.tag_name().name() {
                    "attribute" | "attributeGroup" => self.attribute(a, path, &mut own),
                    "anyAttribute" => {
                        let subject = path.join("_");
                        let message = format!(
                            "`{subject}` accepts undeclared attributes (`xs:anyAttribute`): they are dropped"
                        );
                        self.warn(a, "wsdl::any_attribute", &subject, message);
                    }
                    _ => {}
                }
            }
        }
        match text_ty {
            Some(ty) if own.is_empty() => Err(ty),
            Some(ty) => {
                let name = fresh_name("value".to_owned(), &own, &[]);
                fields.push(Field::new(name, ty, true));
                fields.extend(own);
                Ok(())
            }
            None => {
                fields.extend(inherited);
                // A restriction may redeclare an inherited attribute: the last one wins.
                for a in own {
                    match fields.iter_mut().skip(1).find(|f| f.name == a.name) {
                        Some(f) => *f = a,
                        None => fields.push(a),
                    }
                }
                Ok(())
            }
        }
    }

    /// A SOAP-encoded array (`restriction base="soapenc:Array"` with an attribute naming
    /// `wsdl:arrayType="T[]"` and no element of its own): one field `item`, a list of `T`
    /// (unqualified `<item>` children, as PHP's and Axis's SOAP stacks write them). False when
    /// the restriction declares its own elements (lowered from its content by the caller).
    /// A multi-dimensional or nested array type (`T[,]`, `T[][]`) has items of any value, with
    /// a warning.
    fn soap_array(&mut self, der: Node<'_, '_>, path: &[String], fields: &mut Vec<Field>) -> bool {
        let own_elements = der.descendants().any(|d| is_xs(d, "element"));
        if own_elements {
            return false;
        }
        let array_type = der
            .descendants()
            .filter(|d| is_xs(*d, "attribute"))
            .find_map(|a| a.attribute((WSDL_NS, "arrayType")).map(|t| (a, t)));
        let item = match array_type {
            Some((a, t)) => match t.trim().strip_suffix("[]") {
                Some(item) if !item.contains('[') => self.type_ref(a, item),
                _ => {
                    let subject = path.join("_");
                    let message = format!(
                        "`{subject}`: SOAP-encoded array type `{t}` is multi-dimensional or nested; its items are typed as any value"
                    );
                    self.warn(a, "wsdl::soap_array", &subject, message);
                    TypeRef::Any
                }
            },
            None => TypeRef::Any,
        };
        let xml_namespace = self.namespace_override(None);
        fields.push(Field {
            xml_namespace,
            ..Field::new("item", TypeRef::List(Box::new(item)), false)
        });
        true
    }

    /// Adds the elements of a model group (`sequence`, `all`, `choice`, `group ref`).
    fn particle(
        &mut self,
        group: Node<'_, '_>,
        optional: bool,
        path: &[String],
        fields: &mut Vec<Field>,
    ) {
        let optional = optional || group.attribute("minOccurs") == Some("0");
        if max_occurs_many(group) && group.tag_name().name() != "element" {
            let why = match self.element_list(group, optional, path, fields) {
                Ok(()) => return,
                Err(why) => why,
            };
            self.warn(
                group,
                "wsdl::repeated_group",
                &path.join("_"),
                format!(
                    "repeated model group in `{}` is lowered as a single occurrence ({why})",
                    path.join("_")
                ),
            );
        }
        match group.tag_name().name() {
            "group" => {
                if let Some(r) = group.attribute("ref") {
                    let qn = resolve_qname(group, r);
                    if !self.enter("group", &qn, group) {
                        return;
                    }
                    if let Some(g) = self.index.groups.get(&qn).copied() {
                        for c in g.children().filter(|c| {
                            is_xs(*c, "sequence") || is_xs(*c, "choice") || is_xs(*c, "all")
                        }) {
                            self.particle(c, optional, path, fields);
                        }
                    } else {
                        self.warn(
                            group,
                            "wsdl::unknown_group",
                            r,
                            format!("group `{r}` is not defined; its elements are missing"),
                        );
                    }
                    self.expanding.pop();
                }
                return;
            }
            "choice" => {
                for c in group.children().filter(Node::is_element) {
                    self.member(c, true, path, fields);
                }
                return;
            }
            _ => {}
        }
        for c in group.children().filter(Node::is_element) {
            self.member(c, optional, path, fields);
        }
    }

    /// One member of a model group.
    fn member(
        &mut self,
        node: Node<'_, '_>,
        optional: bool,
        path: &[String],
        fields: &mut Vec<Field>,
    ) {
        match node.tag_name().name() {
            "element" => {
                if let Some(f) = self.element_field(node, optional, path, fields) {
                    fields.push(f);
                }
            }
            "sequence" | "choice" | "all" | "group" => self.particle(node, optional, path, fields),
            // The elements an `xs:any` admits are kept as raw XML: in a field of their own, or
            // by the fallback variant of the struct's element union, which takes every element
            // no other field names.
            "any" => {
                if !self.has_element_union(fields) {
                    let name = fresh_name("any".to_owned(), fields, &[]);
                    fields.push(Field {
                        docs: Some(
                            "The elements `xs:any` admits here (and any other element no field names), as raw XML, in document order.".into(),
                        ),
                        ..Field::new(name, raw_xml_list(), true)
                    });
                }
            }
            "annotation" => {}
            other => self.warn(
                node,
                "wsdl::unsupported",
                other,
                format!("`xs:{other}` is not supported and is ignored"),
            ),
        }
    }

    /// A local element (or element reference) as a field. A reference to the head of a
    /// substitution group is a field of the group's element union ([`Self::substitution_union`]),
    /// unless `siblings` already hold an element union (a struct holds one at most).
    fn element_field(
        &mut self,
        node: Node<'_, '_>,
        optional: bool,
        path: &[String],
        siblings: &[Field],
    ) -> Option<Field> {
        let many = max_occurs_many(node);
        let (name, ty, nillable, ns) = if let Some(r) = node.attribute("ref") {
            let qn = resolve_qname(node, r);
            if self.index.substitutes.contains_key(&qn) {
                if self.has_element_union(siblings) {
                    let message = format!(
                        "element `{r}` heads a substitution group, but `{}` already holds a repeated group or another substitution group: only `{}` itself is generated",
                        path.join("_"),
                        qn.1
                    );
                    self.warn(node, "wsdl::substitution_group", r, message);
                } else {
                    let (union, tags) = self.substitution_union(node, &qn);
                    let mut name = qn.1.clone();
                    if tags.contains(&name) {
                        name.push_str("Choice");
                    }
                    let name = fresh_name(name, siblings, &tags);
                    return Some(Field {
                        name,
                        docs: documentation(node),
                        ty: if many {
                            TypeRef::List(Box::new(union))
                        } else {
                            union
                        },
                        required: !optional && node.attribute("minOccurs") != Some("0"),
                        nullable: false,
                        deprecated: false,
                        boxed: false,
                        xml_attribute: false,
                        xml_namespace: None,
                        default: None,
                        default_applied: false,
                    });
                }
            }
            let ty = self.global_element(&qn).unwrap_or_else(|| {
                self.warn(
                    node,
                    "wsdl::unknown_element",
                    r,
                    format!(
                        "element `{r}` is not defined in any loaded schema; typed as any value"
                    ),
                );
                TypeRef::Any
            });
            let global = self.index.elements.get(&qn).copied();
            let ty = match global.and_then(|g| self.xsi_union(node, g)) {
                Some(union) => union,
                None => ty,
            };
            let global_nillable = global.and_then(|n| n.attribute("nillable")) == Some("true");
            let ns = self.namespace_override((!qn.0.is_empty()).then_some(qn.0.as_str()));
            (qn.1, ty, global_nillable, ns)
        } else {
            let (name, ty, own) = self.local_element(node, path)?;
            let ty = self.xsi_union(node, node).unwrap_or(ty);
            let ns = self.namespace_override(own.as_deref());
            (name, ty, false, ns)
        };
        Some(Field {
            name,
            docs: documentation(node),
            ty: if many {
                TypeRef::List(Box::new(ty))
            } else {
                ty
            },
            required: !optional && node.attribute("minOccurs") != Some("0"),
            nullable: nillable || node.attribute("nillable") == Some("true"),
            deprecated: false,
            boxed: false,
            xml_attribute: false,
            xml_namespace: ns,
            default: None,
            default_applied: false,
        })
    }

    /// A local (named) element declaration: its name, type and namespace per `form` and the
    /// schema's `elementFormDefault` (`None`: unqualified).
    fn local_element(
        &mut self,
        node: Node<'_, '_>,
        path: &[String],
    ) -> Option<(String, TypeRef, Option<String>)> {
        let name = node.attribute("name")?.to_owned();
        let schema = node.ancestors().find(|n| is_xs(*n, "schema"));
        let form = node
            .attribute("form")
            .or_else(|| schema.and_then(|s| s.attribute("elementFormDefault")));
        let tns = schema
            .and_then(|s| s.attribute("targetNamespace"))
            .filter(|t| !t.is_empty());
        let own = if form == Some("qualified") {
            tns.map(str::to_owned)
        } else {
            None
        };
        let mut sub = path.to_vec();
        sub.push(name.clone());
        let ty = if let Some(t) = node.attribute("type") {
            self.type_ref(node, t)
        } else if let Some(ct) = node.children().find(|c| is_xs(*c, "complexType")) {
            TypeRef::Named(self.complex_type(ct, Name::Derived(sub.clone()), &sub, node))
        } else if let Some(st) = node.children().find(|c| is_xs(*c, "simpleType")) {
            self.simple_type(st, Name::Derived(sub))
        } else {
            TypeRef::Any
        };
        Some((name, ty, own))
    }

    /// Whether one of `fields` holds an element union (generated code reads such a field from
    /// the elements no other field names, so a struct can hold one only).
    fn has_element_union(&self, fields: &[Field]) -> bool {
        fields.iter().any(|f| {
            let t = match &f.ty {
                TypeRef::List(inner) => inner,
                t => t,
            };
            matches!(t, TypeRef::Named(id) if self.api.xsd.element_unions.contains_key(id))
                || f.ty == raw_xml_list()
        })
    }

    /// A repeated model group (`xs:choice`, `xs:sequence` or `xs:all` with `maxOccurs > 1`, or a
    /// group reference) as one field: the list, in document order, of an element union of every
    /// element the group may hold (nested groups and substitution groups flattened).
    /// `Err(why)` when it cannot be (an `xs:any` inside, no element, or `fields` already hold an
    /// element union); nothing is added then.
    fn element_list(
        &mut self,
        group: Node<'_, '_>,
        optional: bool,
        path: &[String],
        fields: &mut Vec<Field>,
    ) -> Result<(), String> {
        if self.has_element_union(fields) {
            return Err("the type already holds a repeated group or a substitution group".into());
        }
        let mut items: Vec<(ir::XmlName, TypeRef, Option<String>)> = Vec::new();
        self.leaf_elements(group, path, &mut items, 0)?;
        if items.is_empty() {
            return Err("it holds no element".into());
        }
        let mut sub = path.to_vec();
        sub.push("Item".into());
        let id = self.api.add_type(TypeDef {
            name: Name::Derived(sub),
            docs: Some(format!(
                "One element of the repeated group of `{}`.",
                path.join("_")
            )),
            origin: self.origin(group, path.last().map_or("", String::as_str)),
            kind: TypeKind::Union(ir::UnionDef::default()),
        });
        let tags: Vec<String> = items.iter().map(|(el, _, _)| el.local.clone()).collect();
        self.fill_element_union(id, items);
        let name = fresh_name("items".to_owned(), fields, &tags);
        fields.push(Field {
            name,
            docs: documentation(group),
            ty: TypeRef::List(Box::new(TypeRef::Named(id))),
            required: !optional && group.attribute("minOccurs") != Some("0"),
            nullable: false,
            deprecated: false,
            boxed: false,
            xml_attribute: false,
            xml_namespace: None,
            default: None,
            default_applied: false,
        });
        Ok(())
    }

    /// Sets the placeholder union `id` to the element union of `items` (element, type, docs).
    fn fill_element_union(
        &mut self,
        id: TypeId,
        items: Vec<(ir::XmlName, TypeRef, Option<String>)>,
    ) {
        let mut elements = Vec::with_capacity(items.len());
        let mut variants = Vec::with_capacity(items.len());
        for (el, ty, docs) in items {
            variants.push(ir::UnionVariant {
                name: el.local.clone(),
                tag: Some(el.local.clone()),
                ty,
                docs,
                boxed: false,
            });
            elements.push(el);
        }
        // An element the schema does not list (a newer server's, or one an `xs:any` admits).
        variants.push(ir::UnionVariant {
            name: "other".into(),
            tag: Some(OTHER_ELEMENT.into()),
            ty: TypeRef::External(RAW_XML.into()),
            docs: Some(
                "An element not listed here (a newer server's, or one `xs:any` admits), as raw XML; in mixed content, text.".into(),
            ),
            boxed: false,
        });
        elements.push(ir::XmlName {
            namespace: None,
            local: OTHER_ELEMENT.into(),
        });
        self.api.ty_mut(id).kind = TypeKind::Union(ir::UnionDef {
            variants,
            discriminator: None,
            fallback: false,
        });
        self.api.xsd.element_unions.insert(id, elements);
    }

    /// The elements a model group may hold, flattened: nested groups, group references and
    /// substitution groups (their members) expanded. Each element once by local name (the
    /// runtime reads elements by local name). `Err` names what cannot be an element.
    fn leaf_elements(
        &mut self,
        group: Node<'_, '_>,
        path: &[String],
        out: &mut Vec<(ir::XmlName, TypeRef, Option<String>)>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 32 {
            return Err("model groups nested too deep".into());
        }
        let push = |out: &mut Vec<(ir::XmlName, TypeRef, Option<String>)>,
                    el: ir::XmlName,
                    ty: TypeRef,
                    docs: Option<String>| {
            if !out.iter().any(|(e, _, _)| e.local == el.local) {
                out.push((el, ty, docs));
            }
        };
        for c in group.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "element" => {
                    if let Some(r) = c.attribute("ref") {
                        let qn = resolve_qname(c, r);
                        if self.index.substitutes.contains_key(&qn) {
                            for (el, ty) in self.substitution_members(c, &qn) {
                                push(out, el, ty, documentation(c));
                            }
                            continue;
                        }
                        let ty = self.global_element(&qn).unwrap_or_else(|| {
                            self.warn(
                                c,
                                "wsdl::unknown_element",
                                r,
                                format!("element `{r}` is not defined in any loaded schema; typed as any value"),
                            );
                            TypeRef::Any
                        });
                        let el = ir::XmlName {
                            namespace: (!qn.0.is_empty()).then(|| qn.0.clone()),
                            local: qn.1,
                        };
                        push(out, el, ty, documentation(c));
                    } else if let Some((name, ty, own)) = self.local_element(c, path) {
                        let el = ir::XmlName {
                            namespace: own,
                            local: name,
                        };
                        push(out, el, ty, documentation(c));
                    }
                }
                "sequence" | "choice" | "all" => self.leaf_elements(c, path, out, depth + 1)?,
                "group" => {
                    let Some(r) = c.attribute("ref") else {
                        continue;
                    };
                    let qn = resolve_qname(c, r);
                    let Some(g) = self.index.groups.get(&qn).copied() else {
                        return Err(format!("group `{r}` is not defined"));
                    };
                    if !self.enter("group", &qn, c) {
                        continue;
                    }
                    let res = self.leaf_elements(g, path, out, depth + 1);
                    self.expanding.pop();
                    res?;
                }
                // Read by the union's fallback variant (raw XML).
                "any" => {}
                _ => {}
            }
        }
        Ok(())
    }

    /// The elements that may stand for the substitution group head `head` (referenced at
    /// `at`): the head itself unless it (or its type) is abstract, then its members, theirs
    /// transitively, in document order.
    fn substitution_members(
        &mut self,
        at: Node<'_, '_>,
        head: &QName,
    ) -> Vec<(ir::XmlName, TypeRef)> {
        let mut names: Vec<QName> = Vec::new();
        let mut queue = vec![head.clone()];
        while let Some(qn) = queue.pop() {
            if names.contains(&qn) || names.len() > 1000 {
                continue;
            }
            names.push(qn.clone());
            if let Some(members) = self.index.substitutes.get(&qn) {
                // Members are declared in the head's schema or another one: the index keeps
                // (namespace, name) of each.
                queue.extend(members.iter().rev().cloned());
            }
        }
        let mut out = Vec::new();
        for qn in names {
            let Some(decl) = self.index.elements.get(&qn).copied() else {
                continue;
            };
            if decl.attribute("abstract") == Some("true") || self.abstract_type(decl) {
                continue;
            }
            let Some(ty) = self.global_element(&qn) else {
                continue;
            };
            out.push((
                ir::XmlName {
                    namespace: (!qn.0.is_empty()).then(|| qn.0.clone()),
                    local: qn.1,
                },
                ty,
            ));
        }
        if out.is_empty() {
            let message = format!(
                "substitution group `{}` has no element that is not abstract",
                head.1
            );
            self.warn(at, "wsdl::substitution_group", &head.1, message);
        }
        out
    }

    /// When the element declaration `decl` (referenced at `at`) is of an abstract complex type:
    /// the union of the types derived from it (`Api::xsd::xsi_unions`; one per abstract type),
    /// whose values name their type on the wire with `xsi:type`. `None` for other elements, and
    /// with a located warning when no concrete type derives from the abstract one.
    fn xsi_union(&mut self, at: Node<'_, '_>, decl: Node<'_, '_>) -> Option<TypeRef> {
        if !self.abstract_type(decl) {
            return None;
        }
        let value = decl.attribute("type")?;
        let abstract_qn = resolve_qname(decl, value);
        let key = ("xsi", abstract_qn.0.clone(), abstract_qn.1.clone());
        if let Some(t) = self.memo.get(&key) {
            return Some(t.clone());
        }
        let derived = self.derived_types(&abstract_qn);
        if derived.is_empty() {
            let name = decl.attribute("name").unwrap_or_default();
            let message = format!(
                "element `{name}` is of the abstract type `{value}`, and no type in the loaded schemas derives from it: typed as the abstract type"
            );
            self.warn(at, "wsdl::xsi_type", value, message);
            return None;
        }
        let id = self.api.add_type(TypeDef {
            name: Name::Derived(vec![abstract_qn.1.clone(), "Derived".into()]),
            docs: Some(format!(
                "A value of a type derived from the abstract type `{}`: sent with `xsi:type` naming it.",
                abstract_qn.1
            )),
            origin: self.origin(decl, &abstract_qn.1),
            kind: TypeKind::Union(ir::UnionDef::default()),
        });
        self.memo.insert(key, TypeRef::Named(id));
        let mut variants = Vec::with_capacity(derived.len());
        let mut types = Vec::with_capacity(derived.len());
        for qn in derived {
            let shown = format!("{}:{}", qn.0, qn.1);
            let ty = self.type_ref_qn(decl, qn.clone(), &shown);
            variants.push(ir::UnionVariant {
                name: qn.1.clone(),
                tag: Some(qn.1.clone()),
                ty,
                docs: None,
                boxed: false,
            });
            types.push(ir::XmlName {
                namespace: (!qn.0.is_empty()).then(|| qn.0.clone()),
                local: qn.1,
            });
        }
        self.api.ty_mut(id).kind = TypeKind::Union(ir::UnionDef {
            variants,
            discriminator: None,
            fallback: false,
        });
        self.api.xsd.xsi_unions.insert(id, types);
        Some(TypeRef::Named(id))
    }

    /// The named complex types derived from `base` (by extension or restriction,
    /// transitively) that are not abstract, in document order; each once, at most 1,000.
    fn derived_types(&self, base: &QName) -> Vec<QName> {
        let mut all: Vec<QName> = Vec::new();
        let mut frontier = vec![base.clone()];
        while let Some(b) = frontier.pop() {
            for (qn, ct) in &self.index.complex {
                let Some(der) = ct
                    .children()
                    .filter(|c| is_xs(*c, "complexContent") || is_xs(*c, "simpleContent"))
                    .flat_map(|c| c.children())
                    .find(|d| is_xs(*d, "extension") || is_xs(*d, "restriction"))
                else {
                    continue;
                };
                let Some(of) = der.attribute("base").map(|v| resolve_qname(der, v)) else {
                    continue;
                };
                if of == b && qn != base && !all.contains(qn) && all.len() < 1000 {
                    all.push(qn.clone());
                    frontier.push(qn.clone());
                }
            }
        }
        // Document order, concrete types only.
        let order = |qn: &QName| self.index.complex.get_index_of(qn).unwrap_or(usize::MAX);
        all.sort_by_key(order);
        all.retain(|qn| {
            self.index
                .complex
                .get(qn)
                .is_some_and(|ct| ct.attribute("abstract") != Some("true"))
        });
        all
    }

    /// Whether the global element `decl` is of a named complex type declared abstract.
    fn abstract_type(&self, decl: Node<'_, '_>) -> bool {
        decl.attribute("type")
            .map(|t| resolve_qname(decl, t))
            .and_then(|qn| self.index.complex.get(&qn).copied())
            .is_some_and(|ct| ct.attribute("abstract") == Some("true"))
    }

    /// The element union of the substitution group headed by `head` (one per head), and the
    /// local names of its elements.
    fn substitution_union(&mut self, at: Node<'_, '_>, head: &QName) -> (TypeRef, Vec<String>) {
        let key = ("substitution", head.0.clone(), head.1.clone());
        if let Some(t) = self.memo.get(&key).cloned() {
            let tags = match &t {
                TypeRef::Named(id) => self
                    .api
                    .xsd
                    .element_unions
                    .get(id)
                    .map(|els| els.iter().map(|e| e.local.clone()).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            return (t, tags);
        }
        // Memoize a placeholder first: members may contain the group again (search
        // expressions nest).
        let id = self.api.add_type(TypeDef {
            name: Name::Derived(vec![head.1.clone(), "Element".into()]),
            docs: Some(format!(
                "An element of the substitution group `{}`: the elements that may stand where the schema names `{}`.",
                head.1, head.1
            )),
            origin: self.origin(at, &head.1),
            kind: TypeKind::Union(ir::UnionDef::default()),
        });
        self.memo.insert(key, TypeRef::Named(id));
        let members = self.substitution_members(at, head);
        let tags: Vec<String> = members.iter().map(|(el, _)| el.local.clone()).collect();
        let mut seen = BTreeSet::new();
        let items = members
            .into_iter()
            .filter(|(el, _)| seen.insert(el.local.clone()))
            .map(|(el, ty)| (el, ty, None))
            .collect();
        self.fill_element_union(id, items);
        (TypeRef::Named(id), tags)
    }

    /// `xs:attribute` and `xs:attributeGroup ref` as attribute fields.
    fn attribute(&mut self, node: Node<'_, '_>, path: &[String], fields: &mut Vec<Field>) {
        if node.tag_name().name() == "attributeGroup" {
            let Some(r) = node.attribute("ref") else {
                return;
            };
            let qn = resolve_qname(node, r);
            match self.index.attribute_groups.get(&qn).copied() {
                Some(g) => {
                    if !self.enter("attributeGroup", &qn, node) {
                        return;
                    }
                    for a in g
                        .children()
                        .filter(|c| is_xs(*c, "attribute") || is_xs(*c, "attributeGroup"))
                    {
                        self.attribute(a, path, fields);
                    }
                    self.expanding.pop();
                }
                None => self.warn(
                    node,
                    "wsdl::unknown_group",
                    r,
                    format!("attribute group `{r}` is not defined; its attributes are missing"),
                ),
            }
            return;
        }
        if node.attribute("use") == Some("prohibited") {
            return;
        }
        let schema = node.ancestors().find(|n| is_xs(*n, "schema"));
        // A qualified attribute (a reference to a global one, or `form`/`attributeFormDefault`
        // "qualified") is in a namespace: its `xml_namespace`.
        let (name, decl, namespace) = match node.attribute("ref") {
            Some(r) => {
                let qn = resolve_qname(node, r);
                let decl = self.index.attributes.get(&qn).copied().unwrap_or(node);
                (qn.1, decl, Some(qn.0).filter(|ns| !ns.is_empty()))
            }
            None => match node.attribute("name") {
                Some(n) => {
                    let qualified = node
                        .attribute("form")
                        .or_else(|| schema.and_then(|s| s.attribute("attributeFormDefault")))
                        == Some("qualified")
                        // A global attribute declaration is always qualified.
                        || node.parent().is_some_and(|p| is_xs(p, "schema"));
                    let tns = schema
                        .and_then(|s| s.attribute("targetNamespace"))
                        .filter(|t| !t.is_empty() && qualified)
                        .map(str::to_owned);
                    (n.to_owned(), node, tns)
                }
                None => return,
            },
        };
        let ty = if let Some(t) = decl.attribute("type") {
            self.type_ref(decl, t)
        } else if let Some(st) = decl.children().find(|c| is_xs(*c, "simpleType")) {
            let mut sub = path.to_vec();
            sub.push(name.clone());
            self.simple_type(st, Name::Derived(sub))
        } else {
            TypeRef::Primitive(Primitive::String)
        };
        fields.push(Field {
            name,
            docs: documentation(node),
            ty,
            required: node.attribute("use") == Some("required"),
            nullable: false,
            deprecated: false,
            boxed: false,
            xml_attribute: true,
            xml_namespace: namespace,
            default: None,
            default_applied: false,
        });
    }

    /// The namespace override of an element whose namespace per the schema is `own`: `None`
    /// when it is the namespace of its siblings (the complex type being lowered), else its own
    /// (`""` for none).
    fn namespace_override(&self, own: Option<&str>) -> Option<String> {
        let here = self.children_ns.last()?;
        (here.as_deref() != own).then(|| own.unwrap_or_default().to_owned())
    }

    /// The string enum `name` of the simple type `st` (an enumerated restriction, or a union
    /// of them), added to the API.
    fn string_enum(&mut self, st: Node<'_, '_>, name: Name, values: Vec<ir::EnumValue>) -> TypeRef {
        let display = name.display();
        let id = self.api.add_type(TypeDef {
            name,
            docs: documentation(st),
            origin: self.origin(st, &display),
            kind: TypeKind::Enum(ir::EnumDef {
                values,
                ..Default::default()
            }),
        });
        TypeRef::Named(id)
    }

    /// An `xs:simpleType`: an enum type for enumerations, otherwise its base type.
    fn simple_type(&mut self, st: Node<'_, '_>, name: Name) -> TypeRef {
        for child in st.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "restriction" => {
                    let mut seen = std::collections::HashSet::new();
                    let values: Vec<ir::EnumValue> = child
                        .children()
                        .filter(|c| is_xs(*c, "enumeration"))
                        .filter_map(|c| c.attribute("value").map(|v| (v, c)))
                        .filter(|(v, _)| seen.insert(*v))
                        .map(|(v, c)| ir::EnumValue {
                            wire: v.to_owned(),
                            docs: documentation(c),
                        })
                        .collect();
                    if !values.is_empty() {
                        return self.string_enum(st, name, values);
                    }
                    if let Some(b) = child.attribute("base") {
                        return self.type_ref(child, b);
                    }
                    if let Some(inner) = child.children().find(|c| is_xs(*c, "simpleType")) {
                        return self.simple_type(inner, name);
                    }
                }
                "union" => {
                    // A union of enumerations (named `memberTypes` or inline): one enum of all
                    // their values (generated enums keep an `Unknown` fallback anyway).
                    let mut values: Vec<ir::EnumValue> = Vec::new();
                    let mut members: Vec<Node<'_, '_>> = Vec::new();
                    let mut all = true;
                    for m in child
                        .attribute("memberTypes")
                        .unwrap_or_default()
                        .split_whitespace()
                    {
                        match self.index.simple.get(&resolve_qname(child, m)) {
                            Some(n) => members.push(*n),
                            None => all = false,
                        }
                    }
                    members.extend(child.children().filter(|c| is_xs(*c, "simpleType")));
                    for m in &members {
                        match enumerations(*m) {
                            Some(vs) => {
                                for v in vs {
                                    if !values.iter().any(|x| x.wire == v.wire) {
                                        values.push(v);
                                    }
                                }
                            }
                            None => all = false,
                        }
                    }
                    if all && !values.is_empty() {
                        return self.string_enum(st, name, values);
                    }
                    self.warn(
                        child,
                        "wsdl::simple_list_union",
                        &name.display(),
                        format!(
                            "`xs:union` in `{}` is typed as a string (only a union of enumerations becomes an enum)",
                            name.display()
                        ),
                    );
                    return TypeRef::Primitive(Primitive::String);
                }
                "list" => {
                    let item = if let Some(t) = child.attribute("itemType") {
                        self.type_ref(child, t)
                    } else if let Some(inner) = child.children().find(|c| is_xs(*c, "simpleType")) {
                        let item_name = match &name {
                            Name::Given(n) => Name::Derived(vec![n.clone(), "Item".into()]),
                            Name::Derived(parts) => {
                                let mut parts = parts.clone();
                                parts.push("Item".into());
                                Name::Derived(parts)
                            }
                        };
                        self.simple_type(inner, item_name)
                    } else {
                        TypeRef::Primitive(Primitive::String)
                    };
                    // Items are simple values; a list of lists (not valid XSD) stays a string.
                    if matches!(&item, TypeRef::Named(id) if self.api.xsd.lists.contains(id)) {
                        return TypeRef::Primitive(Primitive::String);
                    }
                    let display = name.display();
                    let id = self.api.add_type(TypeDef {
                        name,
                        docs: documentation(st),
                        origin: self.origin(st, &display),
                        kind: TypeKind::Alias(TypeRef::List(Box::new(item))),
                    });
                    self.api.xsd.lists.insert(id);
                    return TypeRef::Named(id);
                }
                _ => {}
            }
        }
        TypeRef::Primitive(Primitive::String)
    }
}

/// The namespace the child elements of the complex type `ct` are sent in: its schema's
/// `targetNamespace` when `elementFormDefault="qualified"`, none otherwise.
fn children_namespace(ct: Node<'_, '_>) -> Option<String> {
    let schema = ct.ancestors().find(|n| is_xs(*n, "schema"));
    let qualified = schema.and_then(|s| s.attribute("elementFormDefault")) == Some("qualified");
    schema
        .and_then(|s| s.attribute("targetNamespace"))
        .filter(|t| !t.is_empty() && qualified)
        .map(str::to_owned)
}

/// The `xs:enumeration` values of a simple type's restriction, `None` if it has none.
fn enumerations(st: Node<'_, '_>) -> Option<Vec<ir::EnumValue>> {
    let r = st.children().find(|c| is_xs(*c, "restriction"))?;
    let values: Vec<ir::EnumValue> = r
        .children()
        .filter(|c| is_xs(*c, "enumeration"))
        .filter_map(|c| {
            c.attribute("value").map(|v| ir::EnumValue {
                wire: v.to_owned(),
                docs: documentation(c),
            })
        })
        .collect();
    (!values.is_empty()).then_some(values)
}

/// `base`, or `base2`, `base3`…: a name no field of `fields` and none of `tags` has.
fn fresh_name(base: String, fields: &[Field], tags: &[String]) -> String {
    let taken = |n: &str| fields.iter().any(|f| f.name == n) || tags.iter().any(|t| t == n);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !taken(n))
        .unwrap_or(base)
}

/// `maxOccurs` greater than one.
fn max_occurs_many(node: Node<'_, '_>) -> bool {
    match node.attribute("maxOccurs") {
        Some("unbounded") => true,
        Some(n) => n.parse::<u64>().is_ok_and(|n| n > 1),
        None => false,
    }
}
