//! `Serialize` and `Deserialize` of generated structs and untagged unions, shared here so that
//! the code rustc checks per generated type is small.
//!
//! serde's derives expand, per struct, a field-identifier enum with its visitor (three matches
//! over every field name), a sequence visitor and a map visitor (each handling every field), and
//! a `Serialize` with a branch per optional field; for an untagged union, one buffered attempt
//! per member through serde's private `Content`. On a crate with thousands of models (Stripe,
//! GitHub) that expansion is most of `cargo check`'s time and memory. Generated code writes
//! one [`json_struct!`](crate::__private::json_struct) line per struct instead, listing each
//! field once with its wire name; the macro implements [`Model`] (one line per field to write
//! it, one `let` and one `if` per field to read it) and `Serialize`/`Deserialize` through the
//! generic functions below, so the field-name lookup, the counting of present fields, missing
//! and duplicate field errors and the handling of unknown keys exist once, here.
//!
//! The JSON is the same as with the derives: fields in declaration order, optional fields left
//! out when absent (`Option::None`, [`Nullable::Absent`]), unknown keys ignored (or kept in the
//! struct's additional-properties map, after the declared fields when written), a missing
//! required field the error `missing field `name``, a repeated one `duplicate field `name``,
//! and a required `Option` field that is missing read as `None` (as serde does). What is not
//! kept: serde's reading of a struct from a JSON array (by position), which no API means.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Nullable;

/// A field type that may be left out of the JSON: `Option<T>` (when `None`) and [`Nullable<T>`]
/// (when [`Nullable::Absent`]); a missing one reads as its `Default` (`None`, `Absent`).
#[doc(hidden)]
pub trait Omissible: Default {
    /// Whether the value is left out when written.
    fn is_omitted(&self) -> bool;
}

impl<T> Omissible for Option<T> {
    fn is_omitted(&self) -> bool {
        self.is_none()
    }
}

impl<T> Omissible for Nullable<T> {
    fn is_omitted(&self) -> bool {
        self.is_absent()
    }
}

/// A generated struct as [`json_struct!`](crate::__private::json_struct) implements it: its
/// wire field names, how to write its fields, and how to read it from a map.
#[doc(hidden)]
pub trait Model: Sized {
    /// The struct's Rust name (serde's `serialize_struct` name, and in "expected struct …").
    const NAME: &'static str;
    /// The wire names of the declared fields, in declaration order.
    const FIELDS: &'static [&'static str];
    /// Whether the struct keeps undeclared properties in a map (then it is written and read
    /// as a map, as serde's `flatten` does).
    const REST: bool;
    /// Hands every field to `writer`, in declaration order.
    fn write<W: Writer>(&self, writer: &mut W);
    /// Reads the struct from the entries of `map` (keys through [`next_key`]).
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// What [`Model::write`] hands its fields to.
#[doc(hidden)]
pub trait Writer {
    /// A field that is always written.
    fn req<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T);
    /// A field that is left out when [`Omissible::is_omitted`].
    fn opt<T: Omissible + Serialize>(&mut self, key: &'static str, value: &T);
    /// The undeclared properties, written after the declared fields.
    fn rest<V: Serialize>(&mut self, rest: &BTreeMap<String, V>);
    /// A field read as its default when absent: always written (contract 8).
    fn def<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.req(key, value);
    }
}

/// Counts the fields that will be written (`serialize_struct`'s `len`).
struct Count(usize);

impl Writer for Count {
    fn req<T: Serialize + ?Sized>(&mut self, _: &'static str, _: &T) {
        self.0 += 1;
    }
    fn opt<T: Omissible + Serialize>(&mut self, _: &'static str, value: &T) {
        self.0 += usize::from(!value.is_omitted());
    }
    fn rest<V: Serialize>(&mut self, _: &BTreeMap<String, V>) {}
}

/// Writes the fields into a `serialize_struct`; the first error stops the writing.
struct StructWriter<S: SerializeStruct> {
    state: S,
    error: Option<S::Error>,
}

impl<S: SerializeStruct> Writer for StructWriter<S> {
    fn req<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.state.serialize_field(key, value) {
                self.error = Some(e);
            }
        }
    }
    fn opt<T: Omissible + Serialize>(&mut self, key: &'static str, value: &T) {
        if self.error.is_some() {
            return;
        }
        let written = if value.is_omitted() {
            self.state.skip_field(key)
        } else {
            self.state.serialize_field(key, value)
        };
        if let Err(e) = written {
            self.error = Some(e);
        }
    }
    fn rest<V: Serialize>(&mut self, _: &BTreeMap<String, V>) {}
}

/// Writes the fields as the entries of a `serialize_map` (a struct with undeclared properties).
struct MapWriter<S: SerializeMap> {
    state: S,
    error: Option<S::Error>,
}

impl<S: SerializeMap> Writer for MapWriter<S> {
    fn req<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.state.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }
    fn opt<T: Omissible + Serialize>(&mut self, key: &'static str, value: &T) {
        if !value.is_omitted() {
            self.req(key, value);
        }
    }
    fn rest<V: Serialize>(&mut self, rest: &BTreeMap<String, V>) {
        for (key, value) in rest {
            if self.error.is_some() {
                return;
            }
            if let Err(e) = self.state.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }
}

/// `Serialize` of a [`Model`]: a struct of the fields that are not left out, or, for a struct
/// with undeclared properties, a map of them followed by those properties.
#[doc(hidden)]
pub fn serialize<T: Model, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    if T::REST {
        let mut writer = MapWriter {
            state: serializer.serialize_map(None)?,
            error: None,
        };
        value.write(&mut writer);
        match writer.error {
            Some(e) => Err(e),
            None => writer.state.end(),
        }
    } else {
        let mut count = Count(0);
        value.write(&mut count);
        let mut writer = StructWriter {
            state: serializer.serialize_struct(T::NAME, count.0)?,
            error: None,
        };
        value.write(&mut writer);
        match writer.error {
            Some(e) => Err(e),
            None => writer.state.end(),
        }
    }
}

/// The visitor of a [`Model`]: a map (a JSON object) and nothing else.
struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting_struct(T::NAME, f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// "struct {name}" (not generic: compiled once).
fn expecting_struct(name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "struct {name}")
}

/// `Deserialize` of a [`Model`]: `deserialize_map`, for every struct.
///
/// Not `deserialize_struct` (serde's derive): serde_json's has an arm that reads a struct from
/// a JSON array, compiled into every model's copy (one per model and reader) although the
/// visitor refuses sequences. Through `deserialize_map` an array is refused by the reader with
/// the same message ("invalid type: sequence, expected struct X"), located just before its `[`
/// (through `deserialize_struct`: just after it, or after the `]` of an empty array).
#[doc(hidden)]
pub fn deserialize<'de, T: Model, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

/// A key of a model's map: the index of a declared field, or (for a struct that keeps
/// undeclared properties) the key itself.
#[doc(hidden)]
#[derive(Debug, PartialEq, Eq)]
pub enum Key {
    /// The declared field at this index of [`Model::FIELDS`].
    Field(usize),
    /// An undeclared key, kept (the struct has an additional-properties map).
    Other(String),
    /// An undeclared key, ignored.
    Ignored,
}

/// Reads a map key as a [`Key`], comparing it with `fields` (no allocation unless `keep` and
/// the key is not a declared field).
struct KeySeed {
    fields: &'static [&'static str],
    keep: bool,
    /// Where the search starts: the field after the last one read, since servers mostly write
    /// fields in the order of their schema (one comparison per key then, not half the list).
    from: usize,
}

impl KeySeed {
    fn found(&self, key: &str) -> Option<Key> {
        let (before, after) = self.fields.split_at(self.from.min(self.fields.len()));
        let at = |fields: &[&str]| fields.iter().position(|f| *f == key);
        at(after)
            .map(|i| i + before.len())
            .or_else(|| at(before))
            .map(Key::Field)
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match self.found(v) {
            Some(k) => k,
            None if self.keep => Key::Other(v.to_owned()),
            None => Key::Ignored,
        })
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match self.found(&v) {
            Some(k) => k,
            None if self.keep => Key::Other(v),
            None => Key::Ignored,
        })
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) if self.keep => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
            Err(_) => Ok(Key::Ignored),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        // serde's field visitors take a field's index too.
        match usize::try_from(v) {
            Ok(i) if i < self.fields.len() => Ok(Key::Field(i)),
            _ if self.keep => Err(E::invalid_type(de::Unexpected::Unsigned(v), &self)),
            _ => Ok(Key::Ignored),
        }
    }
}

/// The next key of a model's map (`None` at its end); `keep`: undeclared keys are
/// [`Key::Other`], else [`Key::Ignored`]; `from`: the index of the field expected next (the
/// search for the key starts there).
#[doc(hidden)]
pub fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    keep: bool,
    from: usize,
) -> Result<Option<Key>, A::Error> {
    map.next_key_seed(KeySeed { fields, keep, from })
}

/// Reads the value of field `key` into its slot; a field met twice is an error.
///
/// Not inlined: one copy per (map, field type) pair, shared by every struct with a field of
/// that type, and each field of a struct's `read` is one call.
#[doc(hidden)]
#[inline(never)]
pub fn value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(<A::Error as de::Error>::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of an ignored key.
#[doc(hidden)]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A required field: its slot filled if the field was missing, with `None` for an `Option`
/// (as serde reads a missing field that has no default), else `false` and the error
/// `missing field` in `error`.
#[doc(hidden)]
#[inline]
pub fn req<'de, T: Deserialize<'de>, E: de::Error>(
    slot: &mut Option<T>,
    key: &'static str,
    error: &mut Option<E>,
) -> bool {
    if slot.is_none() {
        match missing(key) {
            Ok(v) => *slot = Some(v),
            Err(e) => {
                *error = Some(e);
                return false;
            }
        }
    }
    true
}

/// A required field that is missing: `None` for an `Option`, else `missing field`.
#[cold]
#[inline(never)]
fn missing<'de, T: Deserialize<'de>, E: de::Error>(key: &'static str) -> Result<T, E> {
    T::deserialize(MissingField(key, PhantomData))
}

/// An optional field: its slot filled if the field was absent (`None`, [`Nullable::Absent`]).
#[doc(hidden)]
#[inline]
pub fn opt<T: Omissible, E>(slot: &mut Option<T>, _key: &'static str, _: &mut Option<E>) -> bool {
    if slot.is_none() {
        *slot = Some(T::default());
    }
    true
}

/// A field with a default (contract 8): its slot filled with `default()` if it was absent.
#[doc(hidden)]
#[inline]
pub fn def<T, E>(
    slot: &mut Option<T>,
    _key: &'static str,
    _: &mut Option<E>,
    default: impl FnOnce() -> T,
) -> bool {
    if slot.is_none() {
        *slot = Some(default());
    }
    true
}

/// The error if a slot were still empty after every field was filled (cannot happen).
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn unfilled<E: de::Error>(name: &'static str) -> E {
    E::custom(format_args!("struct {name}: a field was left unread"))
}

/// What a missing field is read from: `missing field` for anything but an `Option` (`None`).
struct MissingField<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Reads an untagged union: the value is buffered once as JSON text, then `members` (the
/// generated code's: [`member`] for each, in order) tries each member; [`no_member`] is the
/// error when none fits, raised while the deserializer reads the value (so that serde_json
/// locates it just after the value, where the failure's path is found: [`crate::json_path`]).
#[doc(hidden)]
pub fn union<'de, D: Deserializer<'de>, U>(
    deserializer: D,
    name: &'static str,
    members: fn(&Buffered) -> Option<U>,
) -> Result<U, D::Error> {
    deserializer.deserialize_any(UnionVisitor { name, members })
}

/// Reads an untagged union's value as JSON text (contract 7's `json_union!`; now [`union`]).
#[doc(hidden)]
pub fn buffer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Buffered, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(Buffered(crate::response::value_text(&value)))
}

/// An untagged union's value, as JSON text ([`union`]).
#[doc(hidden)]
#[derive(Debug)]
pub struct Buffered(Vec<u8>);

/// [`union`]'s visitor: builds the value as serde_json's does, then tries the members.
struct UnionVisitor<U> {
    name: &'static str,
    members: fn(&Buffered) -> Option<U>,
}

impl<U> UnionVisitor<U> {
    fn done<E: de::Error>(self, value: serde_json::Value) -> Result<U, E> {
        match (self.members)(&Buffered(crate::response::value_text(&value))) {
            Some(u) => Ok(u),
            None => Err(no_member(self.name)),
        }
    }
}

impl<'de, U> Visitor<'de> for UnionVisitor<U> {
    type Value = U;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<U, E> {
        self.done(v.into())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<U, E> {
        self.done(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<U, E> {
        self.done(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<U, E> {
        self.done(v.into())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<U, E> {
        self.done(v.into())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<U, E> {
        self.done(v.into())
    }
    fn visit_none<E: de::Error>(self) -> Result<U, E> {
        self.done(serde_json::Value::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<U, E> {
        self.done(serde_json::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<U, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        self.done(value)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<U, A::Error> {
        let value = read_seq(seq)?;
        self.done(value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
        let value = read_map(map)?;
        self.done(value)
    }
}

/// A sequence read as a `Value` (generic in the reader only).
fn read_seq<'de, A: de::SeqAccess<'de>>(mut seq: A) -> Result<serde_json::Value, A::Error> {
    let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
    while let Some(v) = seq.next_element::<serde_json::Value>()? {
        items.push(v);
    }
    Ok(serde_json::Value::Array(items))
}

/// A map read as a `Value` (generic in the reader only).
fn read_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<serde_json::Value, A::Error> {
    let mut entries = serde_json::Map::new();
    while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
        entries.insert(k, v);
    }
    Ok(serde_json::Value::Object(entries))
}

/// Member `make` of an untagged union, if the buffered value reads as its payload (through
/// serde_json's reader of bytes, the runtime's one reader of models, so that no model is
/// compiled for one more deserializer).
#[doc(hidden)]
pub fn member<T: de::DeserializeOwned, U>(
    value: &Buffered,
    make: impl FnOnce(T) -> U,
) -> Option<U> {
    serde_json::from_slice(&value.0).ok().map(make)
}

/// The error when no member of untagged union `name` fits (serde's message).
#[doc(hidden)]
pub fn no_member<E: de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {name}"
    ))
}

/// Implements, for a generated struct, [`Model`], `Serialize` and `Deserialize` from its field
/// list: `req` or `opt` (left out when absent), the field, `=`, its wire name; or (contract 8)
/// `def`, the field, `=`, its wire name and a block that makes its default (read when absent,
/// always written); last, `..field` names the additional-properties map (a
/// `BTreeMap<String, _>`). Part of the contract with generated code (version 7; `def` 8).
///
/// ```
/// use sdkwright_runtime::Nullable;
///
/// #[derive(Debug, PartialEq)]
/// pub struct Pet {
///     pub id: i64,
///     pub name: Option<String>,
///     pub tag: Nullable<String>,
/// }
/// sdkwright_runtime::__private::json_struct!(Pet { req id = "id", opt name = "petName", opt tag = "tag" });
///
/// let pet: Pet = serde_json::from_str(r#"{"id": 1, "tag": null, "other": [1]}"#).unwrap();
/// assert_eq!(pet, Pet { id: 1, name: None, tag: Nullable::Null });
/// assert_eq!(serde_json::to_string(&pet).unwrap(), r#"{"id":1,"tag":null}"#);
/// let err = serde_json::from_str::<Pet>(r#"{"petName": "x"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "missing field `id` at line 1 column 16");
///
/// #[derive(Debug, PartialEq)]
/// pub struct Page {
///     pub limit: i64,
/// }
/// sdkwright_runtime::__private::json_struct!(Page { def limit = "limit" { 20 } });
/// assert_eq!(serde_json::from_str::<Page>("{}").unwrap(), Page { limit: 20 });
/// assert_eq!(serde_json::from_str::<Page>(r#"{"limit": 5}"#).unwrap(), Page { limit: 5 });
/// assert_eq!(serde_json::to_string(&Page { limit: 20 }).unwrap(), r#"{"limit":20}"#);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __sdkwright_json_struct {
    ($name:ident { $($kind:ident $field:ident = $wire:literal $($default:block)?),* $(,)? $(.. $rest:ident)? }) => {
        #[allow(deprecated)]
        impl $crate::__private::model::Model for $name {
            const NAME: &'static str = ::core::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];
            const REST: bool = false $(|| { let _ = ::core::stringify!($rest); true })?;
            #[allow(unused_variables)] // a struct without fields
            fn write<W: $crate::__private::model::Writer>(&self, writer: &mut W) {
                $(writer.$kind($wire, &self.$field);)*
                $(writer.rest(&self.$rest);)?
            }
            #[allow(unused_variables, unused_mut, dead_code)] // a struct without fields
            fn read<'de, A: $crate::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                #[allow(non_camel_case_types)]
                enum Field { $($field),* }
                // Every slot in one local: a `?` below drops that one value, where a local per
                // field gave each exit its own drop of every live local (code quadratic in the
                // number of fields). The generic parameters are the fields' types, inferred, and
                // named after the fields (a field named `u8` or `f16` shadows nothing outside).
                #[allow(non_camel_case_types, clippy::builtin_type_shadow)]
                struct Slots<$($field,)* $($rest)?> {
                    $($field: ::core::option::Option<$field>,)*
                    $($rest: ::std::collections::BTreeMap<::std::string::String, $rest>,)?
                }
                let mut slots = Slots {
                    $($field: ::core::option::Option::None,)*
                    $($rest: ::std::collections::BTreeMap::new(),)?
                };
                let mut next = 0;
                while let ::core::option::Option::Some(key) =
                    $crate::__private::model::next_key(&mut map, Self::FIELDS, Self::REST, next)?
                {
                    let index = match key {
                        $crate::__private::model::Key::Field(index) => {
                            next = index + 1;
                            index
                        }
                        $crate::__private::model::Key::Other(_other) => {
                            $(slots.$rest.insert(_other, map.next_value()?);)?
                            continue;
                        }
                        $crate::__private::model::Key::Ignored => {
                            $crate::__private::model::skip(&mut map)?;
                            continue;
                        }
                    };
                    // One `?` for all fields (each `?` is a branch and an exit of its own).
                    let read = $(if index == Field::$field as usize {
                        $crate::__private::model::value(&mut map, &mut slots.$field, $wire)
                    } else)* {
                        ::core::result::Result::Ok(())
                    };
                    read?;
                }
                // Missing fields: filled, or the first (in declaration order) is the error,
                // before anything moves out of `slots`; then one move of every slot into `Self`.
                let mut error = ::core::option::Option::None;
                let _ = $($crate::__private::model::$kind(&mut slots.$field, $wire, &mut error $(, || $default)?) &&)* true;
                if let ::core::option::Option::Some(error) = error {
                    return ::core::result::Result::Err(error);
                }
                match { slots } {
                    Slots {
                        $($field: ::core::option::Option::Some($field),)*
                        $($rest,)?
                    } => {
                        // `Self`, not `$name`: the items above would shadow a model named
                        // `Field` (Jira's) or `Slots`, since items in a macro body are not hygienic.
                        ::core::result::Result::Ok(Self { $($field,)* $($rest,)? })
                    }
                    #[allow(unreachable_patterns)] // a struct without fields
                    // A binding, not `_`: the slots move here as a whole, else they would be
                    // partly moved and their drop elaborated field by field, with flags.
                    _slots => ::core::result::Result::Err($crate::__private::model::unfilled(Self::NAME)),
                }
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::model::serialize(self, serializer)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::model::deserialize(deserializer)
            }
        }
    };
}

/// Implements `Deserialize` for a generated untagged union: the value is buffered once, then
/// each variant's payload is tried in the order given; the first that reads wins, and none is
/// serde's "data did not match any variant of untagged enum …". Part of the contract with
/// generated code (version 7).
#[doc(hidden)]
#[macro_export]
macro_rules! __sdkwright_json_union {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::model::union(deserializer, ::core::stringify!($name), |value| {
                    $(if let ::core::option::Option::Some(v) =
                        $crate::__private::model::member(value, $name::$variant)
                    {
                        return ::core::option::Option::Some(v);
                    })*
                    ::core::option::Option::None
                })
            }
        }
    };
}

#[cfg(test)]
#[allow(unreachable_pub)] // the structs are `pub`, as in a generated crate
mod tests {
    //! Each generated shape, written with the runtime's macros and with serde's derives: the
    //! same JSON both ways, for the same inputs.

    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use crate::Nullable;

    /// As generated now.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Record {
        pub id: i64,
        pub name: Option<String>,
        pub required_nullable: Option<String>,
        pub tri: Nullable<String>,
        pub r#type: Option<Box<Record>>,
        pub tags: Vec<String>,
    }
    crate::__private::json_struct!(Record {
        req id = "id",
        opt name = "petName",
        req required_nullable = "requiredNullable",
        opt tri = "tri",
        opt r#type = "type",
        req tags = "tags",
    });

    /// As serde's derive wrote it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Derived {
        pub id: i64,
        #[serde(rename = "petName", default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(rename = "requiredNullable")]
        pub required_nullable: Option<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        pub tri: Nullable<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub r#type: Option<Box<Derived>>,
        pub tags: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Open {
        pub a: Option<i64>,
        pub b: Option<String>,
        pub additional_properties: BTreeMap<String, Value>,
    }
    crate::__private::json_struct!(Open { opt a = "a", opt b = "b", ..additional_properties });

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct OpenDerived {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub a: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub b: Option<String>,
        #[serde(flatten)]
        pub additional_properties: BTreeMap<String, Value>,
    }

    /// Undeclared properties of one type only.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Counts {
        pub total: i64,
        pub rest: BTreeMap<String, i64>,
    }
    crate::__private::json_struct!(Counts { req total = "total", ..rest });

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CountsDerived {
        pub total: i64,
        #[serde(flatten)]
        pub rest: BTreeMap<String, i64>,
    }

    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Empty {}
    crate::__private::json_struct!(Empty {});

    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[serde(untagged)]
    pub enum Union {
        Record(Box<Record>),
        Text(String),
        Number(f64),
        List(Vec<Union>),
    }
    crate::__private::json_union!(Union {
        Record,
        Text,
        Number,
        List
    });

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum UnionDerived {
        Record(Box<Derived>),
        Text(String),
        Number(f64),
        List(Vec<UnionDerived>),
    }

    /// Reads `input` both ways: both succeed and write the same JSON back, or both fail with
    /// the same message.
    fn same<A, B>(input: &str) -> Result<Value, String>
    where
        A: Serialize + for<'de> Deserialize<'de>,
        B: Serialize + for<'de> Deserialize<'de>,
    {
        let a = serde_json::from_str::<A>(input);
        let b = serde_json::from_str::<B>(input);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let (ja, jb) = (
                    serde_json::to_string(&a).unwrap(),
                    serde_json::to_string(&b).unwrap(),
                );
                assert_eq!(ja, jb, "written back differently: {input}");
                // And through a `Value` (form bodies, unions): the same too.
                assert_eq!(
                    serde_json::to_value(&a).unwrap(),
                    serde_json::to_value(&b).unwrap()
                );
                let va: A = serde_json::from_value(serde_json::from_str(input).unwrap()).unwrap();
                assert_eq!(serde_json::to_string(&va).unwrap(), ja);
                Ok(serde_json::from_str(&ja).unwrap())
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "different errors for {input}");
                Err(a.to_string())
            }
            (a, b) => panic!(
                "one side failed for {input}: {:?} / {:?}",
                a.err().map(|e| e.to_string()),
                b.err().map(|e| e.to_string())
            ),
        }
    }

    #[test]
    fn structs_read_and_write_as_serde_derives_do() {
        let ok = [
            r#"{"id": 1, "requiredNullable": null, "tags": []}"#,
            r#"{"id": 1, "tags": ["a"], "petName": "Rex", "tri": null}"#,
            r#"{"tags": [], "id": -3, "tri": "x", "requiredNullable": "y", "petName": null}"#,
            r#"{"id": 1, "tags": [], "unknown": {"deep": [1, 2, {"x": null}]}, "other": 3}"#,
            r#"{"id": 1, "tags": [], "type": {"id": 2, "tags": ["b"], "type": null}}"#,
            r#"{"id": 1, "tags": [], "pet\u004eame": "escaped key"}"#,
        ];
        for input in ok {
            same::<Record, Derived>(input).unwrap();
        }
        let written = same::<Record, Derived>(ok[1]).unwrap();
        assert_eq!(
            written,
            json!({"id": 1, "petName": "Rex", "requiredNullable": null, "tri": null, "tags": ["a"]})
        );
        // Absent tri-state fields and `None` optional fields are left out; `null` is kept.
        let written = same::<Record, Derived>(ok[0]).unwrap();
        assert_eq!(
            written,
            json!({"id": 1, "requiredNullable": null, "tags": []})
        );
        let bad = [
            (r#"{"tags": []}"#, "missing field `id` at line 1 column 12"),
            (r#"{"id": 1}"#, "missing field `tags` at line 1 column 9"),
            (
                r#"{"id": 1, "tags": [], "id": 2}"#,
                "duplicate field `id` at line 1 column 26",
            ),
            (
                r#"{"id": "1", "tags": []}"#,
                "invalid type: string \"1\", expected i64 at line 1 column 10",
            ),
            (
                r#"3"#,
                "invalid type: integer `3`, expected struct Record at line 1 column 1",
            ),
            (
                r#"{"id": 1, "tags": [], "type": 4}"#,
                "invalid type: integer `4`, expected struct Record at line 1 column 31",
            ),
        ];
        for (input, _) in bad {
            // serde's message names its own struct: compare only that both fail alike apart from it.
            let ours = serde_json::from_str::<Record>(input)
                .unwrap_err()
                .to_string();
            let theirs = serde_json::from_str::<Derived>(input)
                .unwrap_err()
                .to_string();
            assert_eq!(ours, theirs.replace("Derived", "Record"), "{input}");
        }
        for (input, message) in bad {
            let err = serde_json::from_str::<Record>(input).unwrap_err();
            assert_eq!(err.to_string(), message);
        }
        // A JSON array is not read as a struct by position (serde's derive did that): the
        // message is the one for any other non-object, located just before the `[` (serde_json's
        // place for a `[` where a map is expected; through `deserialize_struct` it was just after
        // the `[`, or after the `]` of an empty array).
        for (input, message) in [
            (
                r#"[1, null, null, null, null, []]"#,
                "invalid type: sequence, expected struct Record at line 1 column 0",
            ),
            (
                r#"{"id": 1, "tags": [], "type": [2, []]}"#,
                "invalid type: sequence, expected struct Record at line 1 column 30",
            ),
            (
                "{\"id\": 1,\n  \"tags\": [],\n  \"type\":\n    []}",
                "invalid type: sequence, expected struct Record at line 4 column 4",
            ),
        ] {
            let err = serde_json::from_str::<Record>(input).unwrap_err();
            assert_eq!(err.to_string(), message, "{input}");
            let value: Value = serde_json::from_str(input).unwrap();
            let err = serde_path_to_error::deserialize::<_, Record>(&value).unwrap_err();
            assert_eq!(
                err.inner().to_string(),
                "invalid type: sequence, expected struct Record"
            );
        }
    }

    #[test]
    fn missing_fields_are_located_by_path() {
        let body = br#"{"id": 1, "tags": [], "type": {"id": 2, "tags": [3]}}"#;
        let mut de = serde_json::Deserializer::from_slice(body);
        let err = serde_path_to_error::deserialize::<_, Record>(&mut de).unwrap_err();
        assert_eq!(err.path().to_string(), "type.tags[0]");
        let value: Value = serde_json::from_slice(body).unwrap();
        let err = serde_path_to_error::deserialize::<_, Record>(&value).unwrap_err();
        assert_eq!(err.path().to_string(), "type.tags[0]");
    }

    #[test]
    fn additional_properties_are_kept_after_the_declared_fields() {
        let inputs = [
            r#"{}"#,
            r#"{"a": 1, "b": "x", "z": [1], "c": null}"#,
            r#"{"c": {"d": 1}, "a": null}"#,
        ];
        for input in inputs {
            same::<Open, OpenDerived>(input).unwrap();
        }
        let open: Open = serde_json::from_str(inputs[1]).unwrap();
        assert_eq!(open.additional_properties.len(), 2);
        assert_eq!(open.additional_properties["c"], Value::Null);
        assert_eq!(
            serde_json::to_string(&open).unwrap(),
            r#"{"a":1,"b":"x","c":null,"z":[1]}"#
        );
        for input in [r#"{"total": 3, "x": 1, "y": 2}"#, r#"{"total": 3}"#] {
            same::<Counts, CountsDerived>(input).unwrap();
        }
        // A value of the wrong type in the map fails the struct, as with serde's flatten.
        assert!(serde_json::from_str::<Counts>(r#"{"total": 3, "x": "1"}"#).is_err());
        assert!(serde_json::from_str::<CountsDerived>(r#"{"total": 3, "x": "1"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<Counts>(r#"{"x": 1}"#)
                .unwrap_err()
                .to_string(),
            "missing field `total` at line 1 column 8"
        );
    }

    /// A wide struct with every kind of field (as GitHub's 90-field `Repository`): what `read`
    /// keeps in one local of slots must still give serde's answers, whatever the key order
    /// (and `f16`, a builtin type's name, names one of that local's type parameters).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Wide {
        pub f00: i64,
        pub f01: String,
        pub f02: Option<String>,
        pub f03: Option<i64>,
        pub f04: Nullable<String>,
        pub f05: bool,
        pub f06: Vec<String>,
        pub f07: Option<Box<Wide>>,
        pub f08: String,
        pub f09: i64,
        pub f10: Option<String>,
        pub f11: String,
        pub f12: Option<Vec<i64>>,
        pub f13: bool,
        pub f14: String,
        pub f15: Nullable<i64>,
        pub f16: String,
        pub f17: Option<bool>,
        pub f18: String,
        pub f19: i64,
        pub rest: BTreeMap<String, Value>,
    }
    crate::__private::json_struct!(Wide {
        req f00 = "f00", req f01 = "f01", req f02 = "f02", opt f03 = "f03", opt f04 = "f04",
        def f05 = "f05" { true }, req f06 = "f06", opt f07 = "f07", req f08 = "f08",
        def f09 = "f09" { 30 }, opt f10 = "f10", req f11 = "f11", req f12 = "f12",
        req f13 = "f13", def f14 = "f14" { String::from("fourteen") }, opt f15 = "f15",
        req f16 = "f16", opt f17 = "f17", req f18 = "f18", req f19 = "f19", ..rest
    });

    fn d_true() -> bool {
        true
    }
    fn d_30() -> i64 {
        30
    }
    fn d_fourteen() -> String {
        String::from("fourteen")
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct WideDerived {
        pub f00: i64,
        pub f01: String,
        pub f02: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub f03: Option<i64>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        pub f04: Nullable<String>,
        #[serde(default = "d_true")]
        pub f05: bool,
        pub f06: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub f07: Option<Box<WideDerived>>,
        pub f08: String,
        #[serde(default = "d_30")]
        pub f09: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub f10: Option<String>,
        pub f11: String,
        pub f12: Option<Vec<i64>>,
        pub f13: bool,
        #[serde(default = "d_fourteen")]
        pub f14: String,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        pub f15: Nullable<i64>,
        pub f16: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub f17: Option<bool>,
        pub f18: String,
        pub f19: i64,
        #[serde(flatten)]
        pub rest: BTreeMap<String, Value>,
    }

    #[test]
    fn wide_structs_read_as_serde_derives_do_in_any_key_order() {
        let full = json!({
            "f00": 1, "f01": "a", "f02": "b", "f03": 3, "f04": null, "f05": false,
            "f06": ["x"], "f07": null, "f08": "c", "f09": 9, "f10": "d", "f11": "e",
            "f12": [1, 2], "f13": true, "f14": "f", "f15": 15, "f16": "g", "f17": false,
            "f18": "h", "f19": 19, "zz": {"kept": [1]}, "aa": null
        });
        let Value::Object(map) = full else {
            unreachable!()
        };
        let entries: Vec<(String, Value)> = map.into_iter().collect();
        let object = |order: &[usize], skip: &[&str], extra: &str| {
            let mut out: Vec<String> = order
                .iter()
                .map(|&i| &entries[i])
                .filter(|(k, _)| !skip.contains(&k.as_str()))
                .map(|(k, v)| format!("{}: {v}", Value::String(k.clone())))
                .collect();
            if !extra.is_empty() {
                out.push(extra.to_owned());
            }
            format!("{{{}}}", out.join(", "))
        };
        let n = entries.len();
        let forward: Vec<usize> = (0..n).collect();
        let backward: Vec<usize> = (0..n).rev().collect();
        // A fixed shuffle: every key out of order with its neighbours.
        let shuffled: Vec<usize> = (0..n).map(|i| (i * 7 + 3) % n).collect();
        assert_eq!(n, 22);
        let nested = r#""f07": {"f00": 2, "f01": "n", "f02": null, "f06": [], "f08": "o", "f11": "p", "f12": null, "f13": false, "f16": "q", "f18": "r", "f19": 0}"#;
        for order in [&forward, &backward, &shuffled] {
            // Everything; the defaults and optional fields absent; a nested struct; a
            // required `Option` (f02, f12) missing; a required field missing (f11, f16 and
            // f18: the first in declaration order is named); a field repeated.
            let inputs = [
                object(order, &[], ""),
                object(
                    order,
                    &["f03", "f04", "f05", "f09", "f10", "f14", "f15", "f17"],
                    "",
                ),
                object(order, &["f07"], nested),
                object(order, &["f02", "f12"], ""),
                object(order, &["f18", "f16", "f11"], ""),
                object(order, &[], r#""f13": false"#),
                object(order, &["aa", "zz"], r#""f05": true, "f00": 7"#),
            ];
            for input in &inputs {
                let _ = same::<Wide, WideDerived>(input);
            }
            assert_eq!(
                same::<Wide, WideDerived>(&inputs[4])
                    .unwrap_err()
                    .split(" at ")
                    .next(),
                Some("missing field `f11`")
            );
            assert!(same::<Wide, WideDerived>(&inputs[5])
                .unwrap_err()
                .starts_with("duplicate field `f13`"));
            let wide: Wide = serde_json::from_str(&inputs[1]).unwrap();
            assert_eq!(
                (wide.f05, wide.f09, wide.f14.as_str()),
                (true, 30, "fourteen")
            );
            assert_eq!((wide.f03, &wide.f04), (None, &Nullable::Absent));
            assert_eq!(wide.rest.len(), 2);
            let wide: Wide = serde_json::from_str(&inputs[3]).unwrap();
            assert_eq!((wide.f02, wide.f12), (None, None));
            let wide: Wide = serde_json::from_str(&inputs[2]).unwrap();
            assert_eq!(
                wide.f07.map(|w| (w.f00, w.f09, w.rest.len())),
                Some((2, 30, 0))
            );
        }
    }

    /// Models named like items of the macro's own body (Jira has a `Field` model).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Field {
        pub id: String,
        pub key: Option<String>,
    }
    crate::__private::json_struct!(Field { req id = "id", opt key = "key" });

    /// Named like the struct of slots inside `read`, and holding itself.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Slots {
        pub next: Option<Box<Slots>>,
        pub error: i64,
    }
    crate::__private::json_struct!(Slots { opt next = "next", req error = "error" });

    #[test]
    fn a_model_named_field_reads_and_writes() {
        let f: Field = serde_json::from_str(r#"{"id": "summary", "key": "k"}"#).unwrap();
        assert_eq!(
            f,
            Field {
                id: "summary".into(),
                key: Some("k".into())
            }
        );
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"id":"summary","key":"k"}"#
        );
        let s: Slots = serde_json::from_str(r#"{"next": {"error": 2}, "error": 1}"#).unwrap();
        assert_eq!(s.next.map(|n| n.error), Some(2));
    }

    #[test]
    fn empty_structs_take_any_object() {
        let e: Empty = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), "{}");
        assert!(serde_json::from_str::<Empty>("null").is_err());
    }

    #[test]
    fn untagged_unions_try_members_in_order() {
        let inputs = [
            r#""text""#,
            r#"3.5"#,
            r#"{"id": 1, "tags": [], "requiredNullable": null}"#,
            r#"["a", 2, {"id": 1, "tags": []}, ["b"]]"#,
        ];
        for input in inputs {
            let ours: Union = serde_json::from_str(input).unwrap();
            let theirs: UnionDerived = serde_json::from_str(input).unwrap();
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            );
        }
        let u: Union = serde_json::from_str(inputs[2]).unwrap();
        assert!(matches!(u, Union::Record(r) if r.id == 1));
        // The same message as serde's derive, located just after the value (serde's derive
        // raises it after the value is read, so serde_json locates it after the enclosing
        // object, or not at all at the top level): where the failure's path is found.
        for (input, column) in [(r#"{"tags": []}"#, 12), ("true", 4), ("null", 4)] {
            let ours = serde_json::from_str::<Union>(input)
                .unwrap_err()
                .to_string();
            let theirs = serde_json::from_str::<UnionDerived>(input)
                .unwrap_err()
                .to_string();
            assert_eq!(
                ours,
                format!(
                    "{} at line 1 column {column}",
                    theirs.replace("UnionDerived", "Union")
                ),
                "{input}"
            );
            assert!(ours.starts_with("data did not match any variant of untagged enum Union"));
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            u: Union,
        }
        let input = r#"[{"u": "a"}, {"u": {"tags": []}}]"#;
        let e = serde_json::from_str::<Vec<Outer>>(input).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data did not match any variant of untagged enum Union at line 1 column 31"
        );
        let path = crate::json_path::path_of_error(input.as_bytes(), &e);
        assert_eq!(path.as_deref(), Some("[1].u"));
    }
}
