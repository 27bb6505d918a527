//! The XML names of SOAP models, apart from their serde shape.
//!
//! Generated SOAP models serialize with their plain wire names (`intA`, `app`), so that a model
//! written as JSON shows plain keys and reads back. What only XML needs, the namespace of each
//! element and which fields are attributes, is a generated table ([`XmlNames`]: per struct, the
//! XML key of each field whose key differs: `{uri}name`, `{}name` for no namespace inside a
//! qualified type, `@name` for an attribute, `$text` for the text of a simple-content type,
//! `$value` for a field holding elements named by its enum's variants (a repeated `xs:choice`, a
//! substitution group); per such enum, the `{uri}name` of its variants' elements; per union of
//! types derived from an abstract one, `xsi:{uri}Type` of each variant, written as `xsi:type`) that
//! [`to_xml_value`] applies while serializing a body for the envelope writer: a serializer like
//! `serde_json`'s, which knows the name of each struct and enum it meets.

use serde::ser::{self, Serialize};
use serde_json::{Map, Value};

/// Per generated struct (sorted by name), the XML keys of its fields whose key differs from the
/// serde one: `(struct, &[(serde key, XML key)])`.
#[derive(Debug)]
pub struct XmlNames {
    types: &'static [(&'static str, &'static [(&'static str, &'static str)])],
}

impl XmlNames {
    /// The table; `types` sorted by struct name (generated code writes it so).
    pub const fn new(
        types: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    ) -> Self {
        XmlNames { types }
    }

    /// The XML key of field `key` of struct `ty`.
    fn key(&self, ty: &str, key: &'static str) -> &'static str {
        let fields = match self.types.binary_search_by(|(n, _)| (*n).cmp(ty)) {
            Ok(i) => self.types[i].1,
            Err(_) => self
                .types
                .iter()
                .find(|(n, _)| *n == ty)
                .map_or(&[][..], |(_, f)| *f),
        };
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, x)| *x)
    }
}

/// `value` as the `serde_json::Value` the envelope writer reads, struct fields keyed by their
/// XML names from `names`.
pub(crate) fn to_xml_value<T: Serialize + ?Sized>(
    value: &T,
    names: &XmlNames,
) -> Result<Value, String> {
    value
        .serialize(XmlValue { names, depth: 0 })
        .map_err(|e| e.0)
}

/// Deepest nesting of values serialized (a guard against runaway recursion).
const MAX_DEPTH: usize = 512;

#[derive(Debug)]
pub(crate) struct SerError(String);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

#[derive(Clone, Copy)]
struct XmlValue<'n> {
    names: &'n XmlNames,
    depth: usize,
}

impl<'n> XmlValue<'n> {
    fn inner(self) -> Result<Self, SerError> {
        if self.depth >= MAX_DEPTH {
            return Err(SerError(format!("value nested deeper than {MAX_DEPTH}")));
        }
        Ok(XmlValue {
            depth: self.depth + 1,
            ..self
        })
    }
    fn plain<T: Serialize>(v: T) -> Result<Value, SerError> {
        serde_json::to_value(v).map_err(|e| SerError(e.to_string()))
    }
}

fn tagged(variant: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(variant.to_owned(), v);
    Value::Object(m)
}

pub(crate) struct Seq<'n> {
    s: XmlValue<'n>,
    items: Vec<Value>,
    variant: Option<&'static str>,
}

pub(crate) struct Obj<'n> {
    s: XmlValue<'n>,
    map: Map<String, Value>,
    /// The struct's name (field keys are looked up under it); `None` for maps.
    ty: Option<&'static str>,
    variant: Option<&'static str>,
    key: Option<String>,
}

impl<'n> ser::Serializer for XmlValue<'n> {
    type Ok = Value;
    type Error = SerError;
    type SerializeSeq = Seq<'n>;
    type SerializeTuple = Seq<'n>;
    type SerializeTupleStruct = Seq<'n>;
    type SerializeTupleVariant = Seq<'n>;
    type SerializeMap = Obj<'n>;
    type SerializeStruct = Obj<'n>;
    type SerializeStructVariant = Obj<'n>;

    fn serialize_bool(self, v: bool) -> Result<Value, SerError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<Value, SerError> {
        Self::plain(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Value, SerError> {
        Ok(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<Value, SerError> {
        Self::plain(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, SerError> {
        Self::plain(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Value, SerError> {
        Self::plain(v)
    }
    fn serialize_char(self, v: char) -> Result<Value, SerError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, SerError> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, SerError> {
        Self::plain(v)
    }
    fn serialize_none(self) -> Result<Value, SerError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, SerError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, SerError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, SerError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, SerError> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, SerError> {
        let value = v.serialize(self)?;
        if name == crate::soap_raw::RAW_XML_NAME {
            // Raw XML (`RawXml`): written verbatim by the envelope writer.
            return Ok(tagged(crate::soap_raw::RAW_XML_KEY, value));
        }
        Ok(value)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, SerError> {
        // An element union's variant is an element: its tag takes its XML name (`{uri}name`).
        // A union of types derived from an abstract one (`xsi:{uri}Type`): the variant's value,
        // with the attribute `xsi:type` naming its type.
        let key = self.names.key(name, variant);
        let value = v.serialize(self.inner()?)?;
        if variant == crate::soap_raw::OTHER {
            // The fallback variant of an element union holds its element whole.
            return Ok(value);
        }
        match (key.strip_prefix("xsi:"), value) {
            (Some(ty), Value::Object(mut map)) => {
                map.insert("@xsi:type".to_owned(), Value::String(ty.to_owned()));
                Ok(Value::Object(map))
            }
            (_, value) => Ok(tagged(key, value)),
        }
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'n>, SerError> {
        Ok(Seq {
            s: self.inner()?,
            items: Vec::with_capacity(len.unwrap_or(0).min(1024)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'n>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'n>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'n>, SerError> {
        let mut s = self.serialize_seq(Some(len))?;
        s.variant = Some(variant);
        Ok(s)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Obj<'n>, SerError> {
        Ok(Obj {
            s: self.inner()?,
            map: Map::new(),
            ty: None,
            variant: None,
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Obj<'n>, SerError> {
        let mut o = self.serialize_map(None)?;
        o.ty = Some(name);
        Ok(o)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Obj<'n>, SerError> {
        let mut o = self.serialize_map(None)?;
        o.ty = Some(variant);
        o.variant = Some(variant);
        Ok(o)
    }
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.items.push(v.serialize(self.s)?);
        Ok(())
    }
    fn done(self) -> Value {
        let v = Value::Array(self.items);
        match self.variant {
            Some(variant) => tagged(variant, v),
            None => v,
        }
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        self.push(v)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

impl Obj<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), SerError> {
        let xml = match self.ty {
            Some(ty) => self.s.names.key(ty, key),
            None => key,
        };
        let v = v.serialize(self.s)?;
        self.map.insert(xml.to_owned(), v);
        Ok(())
    }
    fn done(self) -> Value {
        let v = Value::Object(self.map);
        match self.variant {
            Some(variant) => tagged(variant, v),
            None => v,
        }
    }
}

impl ser::SerializeMap for Obj<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.key = Some(match XmlValue::plain(key)? {
            Value::String(s) => s,
            other => other.to_string(),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), SerError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| SerError("a map value without a key".into()))?;
        let v = v.serialize(self.s)?;
        self.map.insert(key, v);
        Ok(())
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

impl ser::SerializeStruct for Obj<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        self.field(key, v)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

impl ser::SerializeStructVariant for Obj<'_> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), SerError> {
        self.field(key, v)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(self.done())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Inner {
        x: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[derive(serde::Serialize)]
    struct Outer {
        #[serde(rename = "intA")]
        int_a: i32,
        app: &'static str,
        inner: Inner,
        list: Vec<Inner>,
        map: std::collections::BTreeMap<String, u8>,
        none: Option<u8>,
    }

    static NAMES: XmlNames = XmlNames::new(&[
        ("Choice", &[("A", "{urn:c}A")]),
        ("Inner", &[("x", "{urn:i}x")]),
        ("Outer", &[("intA", "{urn:o}intA"), ("app", "@app")]),
        ("WithChoices", &[("items", "$value")]),
    ]);

    #[derive(serde::Serialize)]
    enum Choice {
        A(Inner),
        B(i32),
    }

    #[derive(serde::Serialize)]
    struct WithChoices {
        items: Vec<Choice>,
    }

    #[test]
    fn element_union_variants_take_their_xml_names() {
        let v = WithChoices {
            items: vec![
                Choice::B(1),
                Choice::A(Inner {
                    x: true,
                    skipped: None,
                }),
                Choice::B(2),
            ],
        };
        let xml = to_xml_value(&v, &NAMES).unwrap();
        assert_eq!(
            xml,
            serde_json::json!({"$value": [{"B": 1}, {"{urn:c}A": {"{urn:i}x": true}}, {"B": 2}]})
        );
        // The serde shape is serde's own (externally tagged).
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            serde_json::json!({"items": [{"B": 1}, {"A": {"x": true}}, {"B": 2}]})
        );
    }

    #[test]
    fn struct_fields_take_their_xml_names() {
        let v = Outer {
            int_a: 1,
            app: "e2e",
            inner: Inner {
                x: true,
                skipped: None,
            },
            list: vec![Inner {
                x: false,
                skipped: Some(3),
            }],
            map: [("intA".to_owned(), 2)].into_iter().collect(),
            none: None,
        };
        let xml = to_xml_value(&v, &NAMES).unwrap();
        assert_eq!(
            xml,
            serde_json::json!({
                "{urn:o}intA": 1,
                "@app": "e2e",
                "inner": {"{urn:i}x": true},
                "list": [{"{urn:i}x": false, "skipped": 3}],
                "map": {"intA": 2},
                "none": null,
            })
        );
        // The serde shape itself stays plain.
        let json = serde_json::to_value(&v).unwrap();
        assert!(json.get("intA").is_some() && json.get("app").is_some());
    }

    // ---- Written and read through the envelope: element unions, text content, xs:list ----

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Money {
        #[serde(rename = "value", alias = "$text")]
        value: String,
        #[serde(rename = "currency", alias = "@currency")]
        currency: String,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Layer {
        Text(String),
        Money(Money),
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Doc {
        title: String,
        #[serde(rename = "items", alias = "$value")]
        items: Vec<Layer>,
        #[serde(
            serialize_with = "crate::soap::xsd::list_text",
            deserialize_with = "crate::soap::xsd::list_items"
        )]
        codes: Vec<i32>,
        #[serde(
            rename = "tags",
            alias = "@tags",
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::soap::xsd::option_list_text",
            deserialize_with = "crate::soap::xsd::option_list_items"
        )]
        tags: Option<Vec<String>>,
    }

    static DOC_NAMES: XmlNames = XmlNames::new(&[
        (
            "Doc",
            &[
                ("title", "{urn:d}title"),
                ("items", "$value"),
                ("codes", "{urn:d}codes"),
                ("tags", "@tags"),
            ],
        ),
        (
            "Layer",
            &[("Text", "{urn:d}Text"), ("Money", "{urn:m}Money")],
        ),
        ("Money", &[("value", "$text"), ("currency", "@currency")]),
    ]);

    fn doc() -> Doc {
        Doc {
            title: "t".into(),
            items: vec![
                Layer::Text("a & b".into()),
                Layer::Money(Money {
                    value: "9.50".into(),
                    currency: "EUR".into(),
                }),
                Layer::Text("c".into()),
            ],
            codes: vec![1, 2, 3],
            tags: Some(vec!["x".into(), "y".into()]),
        }
    }

    #[test]
    fn element_unions_text_and_lists_are_written_in_order() {
        let v = to_xml_value(&doc(), &DOC_NAMES).unwrap();
        let env =
            crate::soap::envelope(crate::spec::SoapVersion::V11, "", "urn:d", "Doc", &v).unwrap();
        let body = env
            .xml
            .split_once("<soap:Body>")
            .and_then(|(_, b)| b.split_once("</soap:Body>"))
            .map(|(b, _)| b)
            .unwrap();
        assert_eq!(
            body,
            concat!(
                r#"<ns:Doc xmlns:ns="urn:d" tags="x y"><ns:title>t</ns:title>"#,
                r#"<ns:Text>a &amp; b</ns:Text><Money xmlns="urn:m" currency="EUR">9.50</Money><ns:Text>c</ns:Text>"#,
                r#"<ns:codes>1 2 3</ns:codes></ns:Doc>"#
            )
        );
    }

    #[test]
    fn element_unions_text_and_lists_are_read_in_order() {
        let xml = concat!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>"#,
            r#"<d:Doc xmlns:d="urn:d" xmlns:m="urn:m" tags=" x  y "><d:title>t</d:title>"#,
            r#"<d:Text>a &amp; b</d:Text><m:Money currency="EUR">9.50</m:Money><d:Text>c</d:Text>"#,
            "<d:codes>1\n 2 3</d:codes></d:Doc></s:Body></s:Envelope>"
        );
        match crate::soap::decode_body::<Doc>(xml.as_bytes()) {
            Ok(crate::soap::SoapBody::Value(d)) => assert_eq!(d, doc()),
            Ok(crate::soap::SoapBody::Fault(f)) => panic!("{f}"),
            Err(e) => panic!("{e}"),
        }
        // A list item of the wrong type is an error naming it.
        let bad = xml.replace("1\n 2 3", "1 two");
        let err = crate::soap::decode_body::<Doc>(bad.as_bytes())
            .err()
            .expect("`two` is no i32");
        let text = format!("{err} {:?}", std::error::Error::source(&err));
        assert!(text.contains("two"), "{text}");
    }

    #[test]
    fn qualified_attributes_get_a_declared_prefix() {
        let v = serde_json::json!({
            "@plain": "p",
            "@{urn:a}unit": "cm",
            "@{urn:b}style": "x<y",
            "@{http://www.w3.org/XML/1998/namespace}lang": "en",
            "{urn:d}x": 1,
        });
        let env =
            crate::soap::envelope(crate::spec::SoapVersion::V11, "", "urn:d", "E", &v).unwrap();
        assert!(
            env.xml.contains(concat!(
                r#"<ns:E xmlns:ns="urn:d" plain="p" xmlns:a0="urn:a" a0:unit="cm" "#,
                r#"xmlns:a1="urn:b" a1:style="x&lt;y" xml:lang="en"><ns:x>1</ns:x></ns:E>"#
            )),
            "{}",
            env.xml
        );
        // It parses, with the attributes in their namespaces.
        let declared = prefixes_declared(&env.xml);
        assert!(declared, "{}", env.xml);
    }

    /// Well-formed with every prefix declared: read back by the runtime's own reader.
    fn prefixes_declared(xml: &str) -> bool {
        let mut reader = quick_xml::NsReader::from_str(xml);
        loop {
            match reader.read_resolved_event() {
                Ok((_, quick_xml::events::Event::Eof)) => return true,
                Ok((quick_xml::name::ResolveResult::Unknown(_), _)) => return false,
                Ok((
                    _,
                    quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e),
                )) => {
                    for a in e.attributes() {
                        let Ok(a) = a else { return false };
                        if let (quick_xml::name::ResolveResult::Unknown(_), _) =
                            reader.resolve_attribute(a.key)
                        {
                            return false;
                        }
                    }
                }
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }
}
