//! Raw XML in SOAP models, for what a schema leaves open: the elements an `xs:any` admits, an
//! element of a choice that this client does not know (a newer server's), and the text of mixed
//! content.
//!
//! [`RawXml`] holds one element (or one run of text) as XML text. Decoded from a response it
//! carries the namespace declarations it needs (`xmlns="…"` wherever an element's namespace
//! differs from its parent's), so it can be sent again in another envelope as it is; in a
//! request it is written verbatim. In JSON it is that string.
//!
//! Reading goes through quick-xml's deserializer, which names an unknown element only as the
//! variant tag of an enum: [`any_elements`] (an `xs:any` field: every element no other field
//! takes) and [`choices`] / [`choice`] (a field of an element union: an element its enum does not
//! list becomes the variant [`OTHER`]) rebuild the element from that tag and its content.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, VariantAccess};
use serde::{Deserialize, Serialize, Serializer};

/// The serde name of a [`RawXml`] value (the SOAP serializer writes it verbatim).
pub(crate) const RAW_XML_NAME: &str = "\u{0}sdkwright:raw-xml";

/// The key the SOAP serializer gives a [`RawXml`] value in its JSON form.
pub(crate) const RAW_XML_KEY: &str = "\u{0}raw";

/// The serde name of the fallback variant of an element union: an element the schema this
/// client was generated from does not list (`##other`, XSD's word for "another namespace",
/// which no element name can be).
pub(crate) const OTHER: &str = "##other";

/// The tag quick-xml gives a text node among elements (mixed content).
const TEXT_KEY: &str = "$text";

/// One XML element (or one run of text, escaped) kept as XML text: the content of an `xs:any`,
/// an element of a choice this client does not know, the text of mixed content.
///
/// Decoded from a response, an element carries its namespace declarations (an element taken
/// from one envelope stays well-formed, and in its namespace, in another); written into a
/// request, it is sent byte for byte as it is. Prefixed (qualified) attributes inside it lose
/// their prefix when decoded: quick-xml, which reads SOAP responses, names attributes by their
/// local name only.
///
/// ```
/// use sdkwright_runtime::RawXml;
///
/// let raw = RawXml::new(r#"<Extra xmlns="urn:x"><n>1</n></Extra>"#)?;
/// assert_eq!(raw.local_name(), Some("Extra"));
/// assert!(RawXml::new("<a><b></a>").is_err());
/// # Ok::<(), sdkwright_runtime::DecodeError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct RawXml(String);

impl RawXml {
    /// Raw XML from its text: well-formed elements and text (checked; nesting up to
    /// [`crate::MAX_XML_DEPTH`]).
    pub fn new(xml: impl Into<String>) -> Result<Self, crate::DecodeError> {
        let xml = xml.into();
        check_fragment(&xml)?;
        Ok(RawXml(xml))
    }

    /// Text (mixed content), escaped for XML.
    pub fn text(text: &str) -> Self {
        RawXml(crate::soap::escape(text))
    }

    /// The XML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The XML text.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The local name of the element it holds (`None` for text).
    pub fn local_name(&self) -> Option<&str> {
        let rest = self.0.trim_start().strip_prefix('<')?;
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let name = &rest[..end];
        Some(name.rsplit(':').next().unwrap_or(name)).filter(|n| !n.is_empty())
    }
}

impl fmt::Debug for RawXml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawXml").field(&self.0).finish()
    }
}

impl fmt::Display for RawXml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RawXml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // serde_json writes the string; the SOAP serializer (`soap_names`) knows the name.
        serializer.serialize_newtype_struct(RAW_XML_NAME, &self.0)
    }
}

impl<'de> Deserialize<'de> for RawXml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // JSON: the string. From an XML element: [`RawDe`] hands over the rebuilt text.
        String::deserialize(d).map(RawXml)
    }
}

/// Well-formed elements and text, nested no deeper than [`crate::MAX_XML_DEPTH`].
fn check_fragment(xml: &str) -> Result<(), crate::DecodeError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| crate::DecodeError::with_source("malformed raw XML", e))?;
        if let Event::Start(e) | Event::Empty(e) = &ev {
            for a in e.attributes() {
                a.map_err(|e| crate::DecodeError::with_source("malformed raw XML", e))?;
            }
        }
        match ev {
            Event::Start(_) => {
                depth += 1;
                if depth > crate::MAX_XML_DEPTH {
                    return Err(crate::DecodeError::new("raw XML nested too deep"));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Decl(_) | Event::DocType(_) => {
                return Err(crate::DecodeError::new(
                    "raw XML holds an XML declaration or a DOCTYPE",
                ))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(crate::DecodeError::new("raw XML has an unclosed element"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rebuilding an element from quick-xml's view of it

/// Reads the element `name` (or, for `$text`, a text node) from `d` as XML text; `parent_ns`
/// is the namespace of the element it is written into (its own `xmlns`, the same, is left out).
struct ElementSeed<'a> {
    name: &'a str,
    parent_ns: Option<&'a str>,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        if self.name == TEXT_KEY {
            return String::deserialize(d).map(|t| crate::soap::escape(&t));
        }
        d.deserialize_any(ElementVisitor {
            name: self.name,
            parent_ns: self.parent_ns,
        })
    }
}

struct ElementVisitor<'a> {
    name: &'a str,
    parent_ns: Option<&'a str>,
}

impl ElementVisitor<'_> {
    fn empty(&self) -> String {
        format!("<{}/>", self.name)
    }
}

impl<'de> de::Visitor<'de> for ElementVisitor<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the element <{}>", self.name)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if v.is_empty() {
            return Ok(self.empty());
        }
        Ok(format!(
            "<{n}>{}</{n}>",
            crate::soap::escape(v),
            n = self.name
        ))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        self.visit_str(&v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(self.empty())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok(self.empty())
    }
    fn visit_map<M: de::MapAccess<'de>>(self, mut map: M) -> Result<String, M::Error> {
        let mut open = format!("<{}", self.name);
        let mut inner = String::new();
        // The runtime's copy of a response gives every element in a namespace its `xmlns`
        // (attributes come before children); only where it changes is it written here.
        let mut own_ns: Option<String> = self.parent_ns.map(str::to_owned);
        while let Some(key) = map.next_key::<String>()? {
            if let Some(attr) = key.strip_prefix('@') {
                let value: String = map.next_value()?;
                if attr == "xmlns" {
                    let same = self.parent_ns == Some(value.as_str());
                    own_ns = Some(value.clone());
                    if same {
                        continue;
                    }
                }
                open.push_str(&format!(" {attr}=\"{}\"", crate::soap::escape(&value)));
            } else if key == TEXT_KEY || key == "$value" {
                let text: String = map.next_value()?;
                inner.push_str(&crate::soap::escape(&text));
            } else {
                inner.push_str(&map.next_value_seed(ElementSeed {
                    name: &key,
                    parent_ns: own_ns.as_deref(),
                })?);
            }
        }
        if inner.is_empty() {
            open.push_str("/>");
            return Ok(open);
        }
        open.push('>');
        open.push_str(&inner);
        open.push_str(&format!("</{}>", self.name));
        Ok(open)
    }
}

/// The XML text of the element a variant access of quick-xml stands for (its tag is `tag`).
fn element_of<'de, A: VariantAccess<'de>>(tag: &str, access: A) -> Result<String, A::Error> {
    access.newtype_variant_seed(ElementSeed {
        name: tag,
        parent_ns: None,
    })
}

/// An XML element name as quick-xml hands it over (or `$text`): anything else is the JSON
/// form of a [`RawXml`] (its string, read by serde_json as a unit variant's name).
fn is_element_tag(tag: &str) -> bool {
    tag == TEXT_KEY
        || (!tag.is_empty()
            && !tag.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
            && tag
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
}

/// One [`RawXml`] from an element of a `$value` sequence (its tag is the element's name), or
/// from its JSON string.
struct RawSeed;

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = RawXml;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawXml, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = RawXml;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an XML element")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawXml, E> {
                Ok(RawXml(v.to_owned()))
            }
            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<RawXml, A::Error> {
                let (tag, access) = data.variant::<String>()?;
                if is_element_tag(&tag) {
                    element_of(&tag, access).map(RawXml)
                } else {
                    access.unit_variant()?;
                    Ok(RawXml(tag))
                }
            }
        }
        d.deserialize_enum(RAW_XML_NAME, &[], V)
    }
}

// ---------------------------------------------------------------------------------------------
// Field deserializers named by generated code

/// `#[serde(deserialize_with)]` of an `xs:any` field (`Vec<RawXml>`, the `$value` of its
/// struct: every element, and the text, no other field takes, in document order).
pub fn any_elements<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RawXml>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<RawXml>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence of XML elements")
        }
        fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<RawXml>, S::Error> {
            let mut out = Vec::new();
            while let Some(raw) = seq.next_element_seed(RawSeed)? {
                out.push(raw);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<RawXml>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_seq(V)
}

/// `#[serde(deserialize_with)]` of a field holding a list of an element union (a repeated
/// choice): an element the enum does not list becomes its `##other` variant, with its XML.
pub fn choices<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> de::Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence of XML elements")
        }
        fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element_seed(ChoiceSeed(PhantomData))? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_seq(V(PhantomData))
}

/// `#[serde(deserialize_with)]` of a field holding one element union (a substitution group):
/// an element the enum does not list becomes its `##other` variant.
pub fn choice<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    T::deserialize(Fallback(d))
}

/// [`choice`] of an optional field.
pub fn option_choice<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> de::Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an optional XML element")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            choice(d).map(Some)
        }
    }
    d.deserialize_option(V(PhantomData))
}

struct ChoiceSeed<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ChoiceSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize(Fallback(d))
    }
}

/// A deserializer that hands an enum an element it does not list as its [`OTHER`] variant
/// (when it has one); everything else goes to the inner deserializer as it is.
struct Fallback<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Fallback<D> {
    type Error = D::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_enum<V: de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_enum(name, variants, Intercept { visitor, variants })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The visitor of [`Fallback::deserialize_enum`]: reads the tag, then replays it (or
/// [`OTHER`]) to the enum's own visitor.
struct Intercept<V> {
    visitor: V,
    variants: &'static [&'static str],
}

impl<'de, V: de::Visitor<'de>> de::Visitor<'de> for Intercept<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let (tag, access) = data.variant::<String>()?;
        if self.variants.contains(&tag.as_str()) || !self.variants.contains(&OTHER) {
            return self.visitor.visit_enum(Replay { tag, access });
        }
        self.visitor.visit_enum(Replay {
            tag: OTHER.to_owned(),
            access: RawVariant { tag, access },
        })
    }
    // serde_json hands a string as a unit variant through `visit_enum`; other shapes go on.
    fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<V::Value, M::Error> {
        self.visitor.visit_map(map)
    }
    fn visit_str<E2: de::Error>(self, v: &str) -> Result<V::Value, E2> {
        self.visitor.visit_str(v)
    }
}

/// An enum access whose tag was already read.
struct Replay<A> {
    tag: String,
    access: A,
}

impl<'de, A: VariantAccess<'de>> EnumAccess<'de> for Replay<A> {
    type Error = A::Error;
    type Variant = A;
    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, A), A::Error> {
        let tag: de::value::StringDeserializer<A::Error> = self.tag.into_deserializer();
        Ok((seed.deserialize(tag)?, self.access))
    }
}

/// The [`OTHER`] variant's access: its newtype value ([`RawXml`]) is the element's XML.
struct RawVariant<A> {
    tag: String,
    access: A,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for RawVariant<A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        Err(de::Error::custom("the fallback variant holds the element"))
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        let xml = element_of(&self.tag, self.access)?;
        seed.deserialize(de::value::StringDeserializer::<A::Error>::new(xml))
    }
    fn tuple_variant<V: de::Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("the fallback variant holds the element"))
    }
    fn struct_variant<V: de::Visitor<'de>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("the fallback variant holds the element"))
    }
}

/// [`choices`] of an optional field.
pub fn option_choices<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> de::Visitor<'de> for V<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an optional sequence of XML elements")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<Vec<T>>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<Vec<T>>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Vec<T>>, D::Error> {
            choices(d).map(Some)
        }
    }
    d.deserialize_option(V(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::{decode_body, envelope, SoapBody};
    use crate::soap_names::{to_xml_value, XmlNames};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Open {
        id: i32,
        #[serde(
            rename = "any",
            alias = "$value",
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "any_elements"
        )]
        any: Vec<RawXml>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Item {
        Text(String),
        Num(i32),
        #[serde(rename = "##other")]
        Other(RawXml),
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct List {
        #[serde(rename = "items", alias = "$value", deserialize_with = "choices")]
        items: Vec<Item>,
    }

    static NAMES: XmlNames = XmlNames::new(&[
        ("Item", &[("Text", "{urn:l}Text"), ("Num", "{urn:l}Num")]),
        ("List", &[("items", "$value")]),
        ("Open", &[("id", "{urn:o}id"), ("any", "$value")]),
    ]);

    fn decode<T: serde::de::DeserializeOwned>(body: &str) -> T {
        let xml = format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{body}</s:Body></s:Envelope>"#
        );
        match decode_body::<T>(xml.as_bytes()) {
            Ok(SoapBody::Value(v)) => v,
            Ok(SoapBody::Fault(f)) => panic!("{f}"),
            Err(e) => panic!("{e}: {:?}", std::error::Error::source(&e)),
        }
    }

    fn body_of(xml: &str) -> &str {
        xml.split_once("<soap:Body>")
            .and_then(|(_, b)| b.split_once("</soap:Body>"))
            .map(|(b, _)| b)
            .unwrap_or_default()
    }

    #[test]
    fn unmatched_elements_are_kept_with_their_namespaces_and_sent_back() {
        let open: Open = decode(concat!(
            r#"<o:Open xmlns:o="urn:o" xmlns:x="urn:x"><o:id>7</o:id>"#,
            r#"<x:Extra kind="k"><x:n>1 &amp; 2</x:n><plain/></x:Extra>"#,
            r#"<o:More>m</o:More></o:Open>"#
        ));
        assert_eq!(open.id, 7);
        assert_eq!(
            open.any,
            vec![
                RawXml(
                    r#"<Extra kind="k" xmlns="urn:x"><n>1 &amp; 2</n><plain xmlns=""/></Extra>"#
                        .into()
                ),
                RawXml(r#"<More xmlns="urn:o">m</More>"#.into()),
            ]
        );
        assert_eq!(open.any[0].local_name(), Some("Extra"));
        // Sent in another envelope: verbatim, well-formed, in their namespaces.
        let v = to_xml_value(&open, &NAMES).unwrap();
        let env = envelope(crate::spec::SoapVersion::V11, "", "urn:o", "Open", &v).unwrap();
        let body = body_of(&env.xml);
        assert_eq!(
            body,
            concat!(
                r#"<ns:Open xmlns:ns="urn:o"><ns:id>7</ns:id>"#,
                r#"<Extra kind="k" xmlns="urn:x"><n>1 &amp; 2</n><plain xmlns=""/></Extra>"#,
                r#"<More xmlns="urn:o">m</More></ns:Open>"#
            )
        );
        let doc = roxmltree_free_parse(&env.xml);
        assert!(
            doc.contains(&("urn:x".to_owned(), "n".to_owned())),
            "{doc:?}"
        );
        assert!(
            doc.contains(&(String::new(), "plain".to_owned())),
            "{doc:?}"
        );
        // JSON: the raw XML as strings, and back.
        let json = serde_json::to_value(&open).unwrap();
        assert_eq!(
            json["any"][1],
            serde_json::json!(r#"<More xmlns="urn:o">m</More>"#)
        );
        let back: Open = serde_json::from_value(json).unwrap();
        assert_eq!(back, open);
    }

    /// (namespace, local name) of every element, resolved by quick-xml's namespace reader.
    fn roxmltree_free_parse(xml: &str) -> Vec<(String, String)> {
        use quick_xml::events::Event;
        use quick_xml::name::ResolveResult;
        let mut reader = quick_xml::NsReader::from_str(xml);
        let mut out = Vec::new();
        loop {
            match reader.read_resolved_event().unwrap() {
                (ns, Event::Start(e) | Event::Empty(e)) => {
                    let uri = match ns {
                        ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
                        ResolveResult::Unbound => String::new(),
                        ResolveResult::Unknown(p) => panic!("undeclared prefix {p:?}"),
                    };
                    let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    out.push((uri, local));
                }
                (_, Event::Eof) => return out,
                _ => {}
            }
        }
    }

    #[test]
    fn an_element_a_choice_does_not_list_is_its_fallback_variant() {
        let list: List = decode(concat!(
            r#"<l:List xmlns:l="urn:l"><l:Text>a</l:Text><l:Shape sides="3"><l:n>3</l:n></l:Shape>"#,
            r#"<l:Num>2</l:Num><Bare/></l:List>"#
        ));
        assert_eq!(
            list.items,
            vec![
                Item::Text("a".into()),
                Item::Other(RawXml(
                    r#"<Shape sides="3" xmlns="urn:l"><n>3</n></Shape>"#.into()
                )),
                Item::Num(2),
                Item::Other(RawXml(r#"<Bare xmlns=""/>"#.into())),
            ]
        );
        let v = to_xml_value(&list, &NAMES).unwrap();
        let env = envelope(crate::spec::SoapVersion::V11, "", "urn:l", "List", &v).unwrap();
        assert_eq!(
            body_of(&env.xml),
            concat!(
                r#"<ns:List xmlns:ns="urn:l"><ns:Text>a</ns:Text><Shape sides="3" xmlns="urn:l"><n>3</n></Shape>"#,
                r#"<ns:Num>2</ns:Num><Bare xmlns=""/></ns:List>"#
            )
        );
        let json = serde_json::to_string(&list).unwrap();
        let back: List = serde_json::from_str(&json).unwrap();
        assert_eq!(back, list);
    }

    #[test]
    fn mixed_text_is_kept_in_order() {
        let list: List = decode(r#"<List xmlns="urn:l">Hello <Text>a</Text> world</List>"#);
        assert_eq!(
            list.items,
            vec![
                // quick-xml trims text at its ends.
                Item::Other(RawXml("Hello".into())),
                Item::Text("a".into()),
                Item::Other(RawXml("world".into())),
            ]
        );
    }

    #[test]
    fn raw_xml_must_be_well_formed() {
        assert!(RawXml::new("<a><b/></a>text<c x=\"1\"/>").is_ok());
        for bad in [
            "<a>",
            "<a></b>",
            "</a>",
            "<?xml version=\"1.0\"?><a/>",
            "<a x=1/>",
        ] {
            assert!(RawXml::new(bad).is_err(), "{bad}");
        }
        let deep =
            "<a>".repeat(crate::MAX_XML_DEPTH + 1) + &"</a>".repeat(crate::MAX_XML_DEPTH + 1);
        assert!(RawXml::new(deep).is_err());
        assert_eq!(RawXml::text("a < b").as_str(), "a &lt; b");
        assert_eq!(RawXml::text("t").local_name(), None);
    }
}
