//! XML request and response bodies of OpenAPI operations (`application/xml`, `text/xml`,
//! `+xml`), shaped by the schemas' `xml` objects.
//!
//! Generated types serialize to JSON names; an XML body needs other names (the `xml.name` of a
//! property), attributes, namespaces with their prefixes and wrapped lists. Generated code
//! describes this once per type, statically ([`XmlType`], [`XmlField`], built with `const fn`s),
//! and the runtime maps between the value's JSON form and XML with it:
//! - encoding: the value is serialized to a `serde_json::Value`, then written as XML with
//!   quick-xml's `Writer` (which escapes), fields in the described order;
//! - decoding: the body is read into a tree by the SOAP reader (`soap::parse`: namespace
//!   prefixes stripped, nesting capped at [`crate::MAX_XML_DEPTH`]), turned into the JSON form
//!   the type deserializes from (text converted to numbers and booleans where the schema says
//!   so), and deserialized with the failure located by path. Elements are matched by local
//!   name: a namespace or prefix the server uses differently does not fail the decode.
//!   Elements marked `xsi:nil="true"` are absent values.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::{Map, Number, Value};

use crate::error::DecodeError;
use crate::soap::{self, Node};

/// The XML shape of a generated struct: its fields in document order.
#[derive(Debug)]
pub struct XmlType {
    fields: &'static [XmlField],
}

/// A struct's XML shape: these fields, in this order.
pub const fn xml_type(fields: &'static [XmlField]) -> XmlType {
    XmlType { fields }
}

/// Generated structs that appear in an XML body implement this (generated code only).
pub trait XmlShape {
    /// The type's XML shape.
    fn xml_shape() -> &'static XmlType;
}

/// What an element's (or attribute's) content is.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum XmlKind {
    /// Text, a JSON string.
    String,
    /// Text holding an integer.
    Integer,
    /// Text holding a number.
    Number,
    /// Text holding `true` or `false`.
    Boolean,
    /// A struct with this shape.
    Object(fn() -> &'static XmlType),
    /// Anything: objects become child elements named by their keys, lists repeated elements,
    /// scalars text; read back as text, or as an object of its children when it has any.
    Any,
}

/// One field of an [`XmlType`] (or the root of a body): built with [`xml_field`].
#[derive(Debug, Clone, Copy)]
pub struct XmlField {
    key: &'static str,
    name: &'static str,
    namespace: &'static str,
    prefix: &'static str,
    attribute: bool,
    list: bool,
    wrapped: bool,
    item: &'static str,
    item_namespace: &'static str,
    item_prefix: &'static str,
    kind: XmlKind,
}

/// The field whose JSON key is `key`: an element of that name holding `kind`.
pub const fn xml_field(key: &'static str, kind: XmlKind) -> XmlField {
    XmlField {
        key,
        name: key,
        namespace: "",
        prefix: "",
        attribute: false,
        list: false,
        wrapped: false,
        item: key,
        item_namespace: "",
        item_prefix: "",
        kind,
    }
}

impl XmlField {
    /// The element (or attribute) is named `name` (`xml.name`).
    pub const fn name(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }
    /// The element is in namespace `uri`, written with `prefix` (empty: the default
    /// namespace).
    pub const fn namespace(mut self, uri: &'static str, prefix: &'static str) -> Self {
        self.namespace = uri;
        self.prefix = prefix;
        self
    }
    /// An attribute of its parent rather than a child element (`xml.attribute`).
    pub const fn attribute(mut self) -> Self {
        self.attribute = true;
        self
    }
    /// A list whose items are elements named `item` (repeated in the parent, or inside a
    /// wrapper element named after the field with [`XmlField::wrapped`]).
    pub const fn list(mut self, item: &'static str) -> Self {
        self.list = true;
        self.item = item;
        self
    }
    /// The list's items are inside one element named after the field (`xml.wrapped`).
    pub const fn wrapped(mut self) -> Self {
        self.wrapped = true;
        self
    }
    /// The list's items are in namespace `uri`, written with `prefix`.
    pub const fn item_namespace(mut self, uri: &'static str, prefix: &'static str) -> Self {
        self.item_namespace = uri;
        self.item_prefix = prefix;
        self
    }
}

/// An XML body: its media type and its root element (a field whose key is not used).
#[derive(Debug)]
pub struct XmlBody {
    pub(crate) media_type: &'static str,
    pub(crate) root: XmlField,
}

/// An XML body of this media type whose root element is described by `root`.
pub const fn xml_body(media_type: &'static str, root: XmlField) -> XmlBody {
    XmlBody { media_type, root }
}

impl XmlBody {
    /// The media type.
    pub fn media_type(&self) -> &'static str {
        self.media_type
    }
}

// Spec types compare and hash their XML bodies by identity (each is one `static`).
impl PartialEq for XmlBody {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for XmlBody {}
impl std::hash::Hash for XmlBody {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self, state)
    }
}

type W = Writer<Vec<u8>>;

/// Namespace bindings in scope while writing: (prefix, uri); `""` is the default namespace.
type Scope<'a> = Vec<(&'a str, &'a str)>;

fn io(e: impl std::fmt::Display) -> String {
    format!("cannot write XML: {e}")
}

/// Writes `value` as an XML document whose root element is described by `body.root`.
pub(crate) fn encode(body: &XmlBody, value: &Value) -> Result<Vec<u8>, String> {
    let mut w = Writer::new(Vec::with_capacity(256));
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    let root = &body.root;
    let mut scope: Scope<'_> = Vec::new();
    if root.list {
        let Value::Array(items) = value else {
            return Err("an XML list body must be a list".into());
        };
        let wrapper = Elem::new(root.name, root.namespace, root.prefix);
        let start = wrapper.start(&mut scope);
        w.write_event(Event::Start(start)).map_err(io)?;
        let item = Elem::new(root.item, root.item_namespace, root.item_prefix);
        for v in items.iter().filter(|v| !v.is_null()) {
            write_value(&mut w, &item, root.kind, v, &mut scope, 1)?;
        }
        w.write_event(Event::End(BytesEnd::new(wrapper.qname())))
            .map_err(io)?;
    } else {
        let elem = Elem::new(root.name, root.namespace, root.prefix);
        write_value(&mut w, &elem, root.kind, value, &mut scope, 0)?;
    }
    Ok(w.into_inner())
}

/// An element name with its namespace.
struct Elem<'a> {
    local: &'a str,
    ns: &'a str,
    prefix: &'a str,
}

impl<'a> Elem<'a> {
    fn new(local: &'a str, ns: &'a str, prefix: &'a str) -> Self {
        Elem { local, ns, prefix }
    }
    fn qname(&self) -> String {
        if self.prefix.is_empty() {
            self.local.to_owned()
        } else {
            format!("{}:{}", self.prefix, self.local)
        }
    }
    /// The start tag, declaring the namespace when it is not in scope yet (and adding it to
    /// the scope: the caller truncates the scope when the element ends).
    fn start(&self, scope: &mut Scope<'a>) -> BytesStart<'static> {
        let mut s = BytesStart::new(self.qname());
        if let Some(decl) = declare(scope, self.prefix, self.ns) {
            s.push_attribute((decl.0.as_str(), decl.1));
        }
        s
    }
}

/// The `xmlns` attribute that binds `prefix` to `ns`, when the scope does not already.
fn declare<'a>(scope: &mut Scope<'a>, prefix: &'a str, ns: &'a str) -> Option<(String, &'a str)> {
    let bound = scope.iter().rev().find(|(p, _)| *p == prefix).map(|b| b.1);
    if bound.unwrap_or("") == ns {
        return None;
    }
    scope.push((prefix, ns));
    let attr = if prefix.is_empty() {
        "xmlns".to_owned()
    } else {
        format!("xmlns:{prefix}")
    };
    Some((attr, ns))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn write_value<'a>(
    w: &mut W,
    elem: &Elem<'a>,
    kind: XmlKind,
    v: &'a Value,
    scope: &mut Scope<'a>,
    depth: usize,
) -> Result<(), String> {
    if depth > crate::MAX_XML_DEPTH {
        return Err(format!(
            "the value is nested deeper than {} elements",
            crate::MAX_XML_DEPTH
        ));
    }
    if let Value::Array(items) = v {
        // A list where one value was expected (`Any`): repeated elements.
        for item in items.iter().filter(|v| !v.is_null()) {
            write_value(w, elem, kind, item, scope, depth + 1)?;
        }
        return Ok(());
    }
    let mark = scope.len();
    let mut start = elem.start(scope);
    let shape = match kind {
        XmlKind::Object(f) => Some(f()),
        _ => None,
    };
    let r = (|| {
        match (v, shape) {
            (Value::Object(map), Some(shape)) => {
                // Attributes first (they go in the start tag), with their namespaces.
                for f in shape.fields.iter().filter(|f| f.attribute) {
                    let Some(text) = map.get(f.key).and_then(text_of) else {
                        continue;
                    };
                    if let Some((k, uri)) = (!f.prefix.is_empty())
                        .then(|| declare(scope, f.prefix, f.namespace))
                        .flatten()
                    {
                        start.push_attribute((k.as_str(), uri));
                    }
                    let name = Elem::new(f.name, f.namespace, f.prefix).qname();
                    start.push_attribute((name.as_str(), text.as_str()));
                }
                w.write_event(Event::Start(start.borrow())).map_err(io)?;
                for f in shape.fields.iter().filter(|f| !f.attribute) {
                    let Some(fv) = map.get(f.key).filter(|v| !v.is_null()) else {
                        continue;
                    };
                    write_field(w, f, fv, scope, depth + 1)?;
                }
                // Properties the shape does not name (additional properties).
                for (k, fv) in map {
                    if fv.is_null() || shape.fields.iter().any(|f| f.key == k) {
                        continue;
                    }
                    let e = Elem::new(k, "", "");
                    write_value(w, &e, XmlKind::Any, fv, scope, depth + 1)?;
                }
            }
            (Value::Object(map), None) => {
                w.write_event(Event::Start(start.borrow())).map_err(io)?;
                for (k, fv) in map.iter().filter(|(_, v)| !v.is_null()) {
                    let e = Elem::new(k, "", "");
                    write_value(w, &e, XmlKind::Any, fv, scope, depth + 1)?;
                }
            }
            (v, _) => {
                w.write_event(Event::Start(start.borrow())).map_err(io)?;
                let t = text_of(v).unwrap_or_default();
                w.write_event(Event::Text(BytesText::new(&t))).map_err(io)?;
            }
        }
        w.write_event(Event::End(BytesEnd::new(elem.qname())))
            .map_err(io)?;
        Ok(())
    })();
    scope.truncate(mark);
    r
}

fn write_field<'a>(
    w: &mut W,
    f: &'a XmlField,
    v: &'a Value,
    scope: &mut Scope<'a>,
    depth: usize,
) -> Result<(), String> {
    let elem = Elem::new(f.name, f.namespace, f.prefix);
    if !f.list {
        return write_value(w, &elem, f.kind, v, scope, depth);
    }
    let items: &[Value] = match v {
        Value::Array(items) => items,
        v => std::slice::from_ref(v),
    };
    let item = Elem::new(f.item, f.item_namespace, f.item_prefix);
    if f.wrapped {
        let mark = scope.len();
        let start = elem.start(scope);
        w.write_event(Event::Start(start)).map_err(io)?;
        for i in items.iter().filter(|v| !v.is_null()) {
            write_value(w, &item, f.kind, i, scope, depth + 1)?;
        }
        w.write_event(Event::End(BytesEnd::new(elem.qname())))
            .map_err(io)?;
        scope.truncate(mark);
    } else {
        for i in items.iter().filter(|v| !v.is_null()) {
            write_value(w, &item, f.kind, i, scope, depth)?;
        }
    }
    Ok(())
}

/// Reads an XML document into the JSON form of the type `body.root` describes.
pub(crate) fn decode(body: &XmlBody, xml: &[u8]) -> Result<Value, DecodeError> {
    let text = std::str::from_utf8(xml)
        .map_err(|e| DecodeError::with_source("XML body is not UTF-8", e))?;
    let root = soap::parse(text)?;
    let f = &body.root;
    Ok(if f.list {
        Value::Array(items(&root, f.item, f.kind))
    } else {
        node_value(&root, f.kind)
    })
}

/// An XML document read without a shape: the root's children as an object (elements by local
/// name, attributes as members), for the server's message of an XML error body.
pub(crate) fn untyped(xml: &[u8]) -> Option<Value> {
    let root = soap::parse(std::str::from_utf8(xml).ok()?).ok()?;
    Some(any_value(&root))
}

/// The list items among `parent`'s children: those named `item`, or every child element when
/// none is (a server that names its items differently).
fn items(parent: &Node, item: &str, kind: XmlKind) -> Vec<Value> {
    let named = parent.elements().any(|n| n.name == item);
    parent
        .elements()
        .filter(|n| (!named || n.name == item) && !n.is_nil())
        .map(|n| node_value(n, kind))
        .collect()
}

fn scalar(text: &str, kind: XmlKind) -> Value {
    let t = text.trim();
    match kind {
        XmlKind::Integer => t
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| t.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        XmlKind::Number => t
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_owned())),
        XmlKind::Boolean => match t {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        _ => Value::String(text.to_owned()),
    }
}

/// The JSON form of an element. Recursion follows the element tree, whose depth the reader
/// capped at [`crate::MAX_XML_DEPTH`].
fn node_value(node: &Node, kind: XmlKind) -> Value {
    match kind {
        XmlKind::Object(f) => {
            let shape = f();
            let mut map = Map::new();
            for field in shape.fields {
                if field.attribute {
                    if let Some((_, v)) = node.attrs.iter().find(|(k, _)| *k == field.name) {
                        map.insert(field.key.to_owned(), scalar(v, field.kind));
                    }
                    continue;
                }
                if field.list {
                    let list = if field.wrapped {
                        node.child(field.name)
                            .map(|w| items(w, field.item, field.kind))
                    } else {
                        let found: Vec<Value> = node
                            .elements()
                            .filter(|n| n.name == field.item && !n.is_nil())
                            .map(|n| node_value(n, field.kind))
                            .collect();
                        (!found.is_empty()).then_some(found)
                    };
                    if let Some(list) = list {
                        map.insert(field.key.to_owned(), Value::Array(list));
                    }
                    continue;
                }
                if let Some(child) = node.child(field.name).filter(|n| !n.is_nil()) {
                    map.insert(field.key.to_owned(), node_value(child, field.kind));
                }
            }
            Value::Object(map)
        }
        XmlKind::Any => any_value(node),
        kind => scalar(&node.text(), kind),
    }
}

fn any_value(node: &Node) -> Value {
    if node.elements().next().is_none() && node.attrs.is_empty() {
        return Value::String(node.text());
    }
    let mut map = Map::new();
    for (k, v) in &node.attrs {
        map.insert(k.clone(), Value::String(v.clone()));
    }
    for child in node.elements().filter(|n| !n.is_nil()) {
        let v = any_value(child);
        match map.get_mut(&child.name) {
            Some(Value::Array(list)) => list.push(v),
            Some(prev) => {
                let first = std::mem::take(prev);
                *prev = Value::Array(vec![first, v]);
            }
            None => {
                map.insert(child.name.clone(), v);
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static CATEGORY: XmlType = xml_type(&[
        xml_field("id", XmlKind::Integer),
        xml_field("name", XmlKind::String),
    ]);
    fn category() -> &'static XmlType {
        &CATEGORY
    }
    static PET: XmlType = xml_type(&[
        xml_field("id", XmlKind::Integer).attribute(),
        xml_field("name", XmlKind::String).namespace("urn:n", "n"),
        xml_field("category", XmlKind::Object(category)),
        xml_field("photoUrls", XmlKind::String)
            .name("photoUrls")
            .list("photoUrl")
            .wrapped(),
        xml_field("tags", XmlKind::String).list("tag"),
        xml_field("sold", XmlKind::Boolean).name("isSold"),
        xml_field("price", XmlKind::Number),
    ]);
    fn pet() -> &'static XmlType {
        &PET
    }
    static BODY: XmlBody = xml_body(
        "application/xml",
        xml_field("", XmlKind::Object(pet))
            .name("pet")
            .namespace("urn:p", "p"),
    );
    static LIST: XmlBody = xml_body(
        "application/xml",
        xml_field("", XmlKind::Object(pet))
            .name("pets")
            .list("pet")
            .wrapped(),
    );

    #[test]
    fn encodes_names_attributes_namespaces_and_wrapped_lists() {
        let v = json!({"id": 7, "name": "Rex & <Co>", "category": {"id": 1, "name": "dogs"},
            "photoUrls": ["a", "b"], "tags": ["x", "y"], "sold": false, "price": null, "extra": {"k": 1}});
        let xml = String::from_utf8(encode(&BODY, &v).unwrap()).unwrap();
        assert_eq!(
            xml,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<p:pet xmlns:p="urn:p" id="7"><n:name xmlns:n="urn:n">Rex &amp; &lt;Co&gt;</n:name>"#,
                r#"<category><id>1</id><name>dogs</name></category>"#,
                r#"<photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls>"#,
                r#"<tag>x</tag><tag>y</tag><isSold>false</isSold><extra><k>1</k></extra></p:pet>"#
            )
        );
        // And back: the same value (without the unknown and null properties).
        let back = decode(&BODY, xml.as_bytes()).unwrap();
        assert_eq!(
            back,
            json!({"id": 7, "name": "Rex & <Co>", "category": {"id": 1, "name": "dogs"},
                "photoUrls": ["a", "b"], "tags": ["x", "y"], "sold": false})
        );
    }

    #[test]
    fn decodes_lists_nil_and_foreign_prefixes() {
        let xml = r#"<?xml version="1.0"?><x:pets xmlns:x="urn:other" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
            <x:pet id="1"><x:name>a</x:name><price>1.5</price><photoUrls/></x:pet>
            <x:pet id="2"><name i:nil="true"/><isSold>1</isSold><price>oops</price></x:pet></x:pets>"#;
        let v = decode(&LIST, xml.as_bytes()).unwrap();
        assert_eq!(
            v,
            json!([{"id": 1, "name": "a", "photoUrls": [], "price": 1.5},
                   {"id": 2, "sold": true, "price": "oops"}])
        );
        let xml = String::from_utf8(encode(&LIST, &json!([{"id": 3}])).unwrap()).unwrap();
        assert!(xml.ends_with(r#"<pets><pet id="3"></pet></pets>"#), "{xml}");
        assert!(decode(&LIST, b"<a><b></a>").is_err());
        let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        assert!(decode(&BODY, deep.as_bytes()).is_err());
    }
}
