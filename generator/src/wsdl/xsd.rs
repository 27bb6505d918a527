//! The XSD subset: global declarations of every loaded schema, lowered on demand into IR types.
//!
//! Supported: global and local `xs:element` (inline or named types, `ref`, `minOccurs`,
//! `maxOccurs`, `nillable`, `form`), `xs:complexType` with `xs:sequence`/`xs:all`/`xs:choice`
//! (nested, choice members become optional), `xs:group` and `xs:attributeGroup` references,
//! `xs:attribute` (a field with `xml_attribute: true`), `xs:complexContent` extension (base fields
//! first) and restriction, `xs:simpleType` restrictions (enumerations become `TypeKind::Enum`,
//! others the base type), and the built-in simple types. Located warnings, once per construct:
//! `xs:simpleContent` becomes an alias of its base simple type (attributes dropped); `xs:any`,
//! `xs:anyAttribute` and mixed content are dropped; `xs:list` is a string, and so is an
//! `xs:union` unless all its members are enumerations (then one enum of their values); a
//! repeated choice or sequence is one occurrence; a substitution group head is sent as itself
//! (members not generated); qualified attributes are sent unqualified. `xs:decimal` is carried as
//! a String (exact; no float rounding).
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
    /// Substitution group heads → their members' names, document order.
    substitutes: HashMap<QName, Vec<String>>,
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
                        .push(name.to_owned());
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
        if ct.attribute("mixed") == Some("true")
            || ct
                .children()
                .any(|c| is_xs(c, "complexContent") && c.attribute("mixed") == Some("true"))
        {
            let subject = path.join("_");
            let message =
                format!("`{subject}` has mixed content: its text between elements is dropped");
            self.warn(ct, "wsdl::mixed", &subject, message);
        }
        self.children_ns.push(xml_namespace.clone());
        let content = self.complex_content(ct, path, &mut fields);
        self.children_ns.pop();
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
                "simpleContent" => {
                    let base = child
                        .children()
                        .find(|c| is_xs(*c, "extension") || is_xs(*c, "restriction"))
                        .and_then(|d| d.attribute("base").map(|b| (d, b)));
                    let ty = match base {
                        Some((d, b)) => self.type_ref(d, b),
                        None => TypeRef::Primitive(Primitive::String),
                    };
                    self.warn(
                        child,
                        "wsdl::simple_content",
                        &path.join("_"),
                        format!(
                            "`{}` has simple content: typed as its base value, attributes dropped",
                            path.join("_")
                        ),
                    );
                    // A struct base (complex type with simple content) has no fields to keep.
                    return Err(match ty {
                        TypeRef::Named(_) => TypeRef::Primitive(Primitive::String),
                        other => other,
                    });
                }
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
            self.warn(
                group,
                "wsdl::repeated_group",
                &path.join("_"),
                format!(
                    "repeated model group in `{}` is lowered as a single occurrence",
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
                if let Some(f) = self.element_field(node, optional, path) {
                    fields.push(f);
                }
            }
            "sequence" | "choice" | "all" | "group" => self.particle(node, optional, path, fields),
            "any" => self.warn(
                node,
                "wsdl::any",
                &path.join("_"),
                format!("`xs:any` in `{}` is skipped", path.join("_")),
            ),
            "annotation" => {}
            other => self.warn(
                node,
                "wsdl::unsupported",
                other,
                format!("`xs:{other}` is not supported and is ignored"),
            ),
        }
    }

    /// A local element (or element reference) as a field.
    fn element_field(
        &mut self,
        node: Node<'_, '_>,
        optional: bool,
        path: &[String],
    ) -> Option<Field> {
        let (name, ty, nillable, ns) = if let Some(r) = node.attribute("ref") {
            let qn = resolve_qname(node, r);
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
            let global_nillable = global.and_then(|n| n.attribute("nillable")) == Some("true");
            if let Some(members) = self.index.substitutes.get(&qn).cloned() {
                let abstract_head = global.and_then(|n| n.attribute("abstract")) == Some("true");
                let message = format!(
                    "element `{r}` heads a substitution group ({}): only `{}` is generated{}",
                    members.join(", "),
                    qn.1,
                    if abstract_head {
                        ", and it is abstract (a server rejects it)"
                    } else {
                        ""
                    }
                );
                self.warn(node, "wsdl::substitution_group", r, message);
            }
            let ns = self.namespace_override((!qn.0.is_empty()).then_some(qn.0.as_str()));
            (qn.1, ty, global_nillable, ns)
        } else {
            let name = node.attribute("name")?.to_owned();
            let schema = node.ancestors().find(|n| is_xs(*n, "schema"));
            let form = node
                .attribute("form")
                .or_else(|| schema.and_then(|s| s.attribute("elementFormDefault")));
            let tns = schema
                .and_then(|s| s.attribute("targetNamespace"))
                .filter(|t| !t.is_empty());
            let own = if form == Some("qualified") { tns } else { None };
            let ns = self.namespace_override(own);
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
            (name, ty, false, ns)
        };
        let many = max_occurs_many(node);
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
        })
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
        let qualified = node.attribute("ref").is_some()
            || node
                .attribute("form")
                .or_else(|| schema.and_then(|s| s.attribute("attributeFormDefault")))
                == Some("qualified");
        if qualified {
            let subject = node
                .attribute("name")
                .or(node.attribute("ref"))
                .unwrap_or_default();
            let message = format!(
                "attribute `{subject}` is namespace-qualified in the schema; it is sent unqualified"
            );
            self.warn(node, "wsdl::attribute_form", subject, message);
        }
        let (name, decl) = match node.attribute("ref") {
            Some(r) => {
                let qn = resolve_qname(node, r);
                (
                    qn.1.clone(),
                    self.index.attributes.get(&qn).copied().unwrap_or(node),
                )
            }
            None => match node.attribute("name") {
                Some(n) => (n.to_owned(), node),
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
            xml_namespace: None,
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
                    let what = child.tag_name().name();
                    self.warn(
                        child,
                        "wsdl::simple_list_union",
                        &name.display(),
                        format!("`xs:{what}` in `{}` is typed as a string", name.display()),
                    );
                    return TypeRef::Primitive(Primitive::String);
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

/// `maxOccurs` greater than one.
fn max_occurs_many(node: Node<'_, '_>) -> bool {
    match node.attribute("maxOccurs") {
        Some("unbounded") => true,
        Some(n) => n.parse::<u64>().is_ok_and(|n| n > 1),
        None => false,
    }
}
