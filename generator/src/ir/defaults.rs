//! Default values (JSON Schema `default`): whether one fits a type of the model.
//!
//! Front ends keep a field's or parameter's default only when it fits its type (a value of the
//! right JSON type; for an enum, one of its values); the others are reported where they are
//! written and ignored.

use serde_json::Value;

use super::{Api, EnumKind, Primitive, TypeKind, TypeRef};

/// Aliases followed before a type is taken to accept the value (an alias cycle is reported
/// elsewhere).
const MAX_ALIASES: usize = 64;

/// Whether `value` is a value of `ty`: `Ok`, or why not (for the warning: "expected …").
/// Structs and unions are checked only for being objects (unions: not at all; their fallback
/// takes any value); lists and maps item by item.
pub(crate) fn default_fits(api: &Api, ty: &TypeRef, value: &Value) -> Result<(), String> {
    // An explicit stack: a value nests at most as deep as the parsers allow (128), and the
    // walk keeps no recursion of its own.
    let mut todo: Vec<(&TypeRef, &Value, usize)> = vec![(ty, value, 0)];
    while let Some((ty, value, aliases)) = todo.pop() {
        match ty {
            TypeRef::Any | TypeRef::External(_) => {}
            TypeRef::Nullable(inner) => {
                if !value.is_null() {
                    todo.push((inner, value, aliases));
                }
            }
            TypeRef::Primitive(p) => primitive_fits(*p, value)?,
            TypeRef::List(inner) => match value {
                Value::Array(items) => todo.extend(items.iter().map(|v| (&**inner, v, aliases))),
                other => return Err(format!("a list, found {}", json_kind(other))),
            },
            TypeRef::Map(inner) => match value {
                Value::Object(entries) => {
                    todo.extend(entries.values().map(|v| (&**inner, v, aliases)))
                }
                other => return Err(format!("an object, found {}", json_kind(other))),
            },
            TypeRef::Named(id) => {
                let Some(def) = api.types.get(id.0 as usize) else {
                    continue;
                };
                match &def.kind {
                    TypeKind::Alias(inner) => {
                        if aliases < MAX_ALIASES {
                            todo.push((inner, value, aliases + 1));
                        }
                    }
                    TypeKind::Struct(_) => {
                        if !value.is_object() {
                            return Err(format!("an object, found {}", json_kind(value)));
                        }
                    }
                    TypeKind::Union(_) => {}
                    TypeKind::Enum(e) => {
                        let wire = enum_wire(e.kind, value);
                        if !wire.is_some_and(|w| e.values.iter().any(|v| v.wire == w)) {
                            let values: Vec<&str> =
                                e.values.iter().take(8).map(|v| v.wire.as_str()).collect();
                            let more = if e.values.len() > 8 { ", …" } else { "" };
                            return Err(format!(
                                "one of the enum's values ({}{more}), found {}",
                                values.join(", "),
                                short(value)
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The wire form of `value` as a member of an enum of `kind` (as [`super::EnumValue::wire`]
/// spells it), if it has that kind's JSON type.
pub(crate) fn enum_wire(kind: EnumKind, value: &Value) -> Option<String> {
    match (kind, value) {
        (EnumKind::String, Value::String(s)) => Some(s.clone()),
        (EnumKind::Integer, Value::Number(n)) => match n.as_i64() {
            Some(i) => Some(i.to_string()),
            None => integral(n).map(|i| i.to_string()),
        },
        (EnumKind::Number, Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(|f| format!("{f:?}")),
        (EnumKind::Boolean, Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// A number written with a fraction that is a whole number within `i64` (`5.0`).
fn integral(n: &serde_json::Number) -> Option<i64> {
    let f = n.as_f64()?;
    // Every f64 in this range converts to i64 exactly.
    (f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f))
        .then_some(f as i64)
}

/// The value of an integer default (also written `5.0`), if it is one.
pub(crate) fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| integral(n)),
        _ => None,
    }
}

fn primitive_fits(p: Primitive, value: &Value) -> Result<(), String> {
    let ok = match p {
        Primitive::String
        | Primitive::DateTime
        | Primitive::Date
        | Primitive::Uuid
        | Primitive::Base64
        | Primitive::Binary
        | Primitive::File => value.is_string(),
        Primitive::Bool => value.is_boolean(),
        Primitive::I32 => as_integer(value).is_some_and(|i| i32::try_from(i).is_ok()),
        Primitive::I64 => as_integer(value).is_some(),
        Primitive::F32 => value
            .as_f64()
            .is_some_and(|f| f.is_finite() && f.abs() <= f64::from(f32::MAX)),
        Primitive::F64 => value.as_f64().is_some_and(f64::is_finite),
    };
    if ok {
        return Ok(());
    }
    let expected = match p {
        Primitive::Bool => "a boolean",
        Primitive::I32 => "an integer within 32 bits",
        Primitive::I64 => "an integer within 64 bits",
        Primitive::F32 | Primitive::F64 => "a number",
        _ => "a string",
    };
    Err(format!("{expected}, found {}", short(value)))
}

/// A calendar date `YYYY-MM-DD` (RFC 3339's `full-date`, which the runtime's `Date` reads):
/// year, month and day, if it is one (a day the month has, 29 February in leap years only).
pub(crate) fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&s[0..4])?;
    let month = digits(&s[5..7])?;
    let day = digits(&s[8..10])?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some((year as i32, month, day))
}

/// Whether `s` is an RFC 3339 `date-time` of the strict form the runtime's `DateTime` reads
/// whatever its version: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, and `Z`
/// or `+HH:MM`/`-HH:MM` (upper-case `T` and `Z`; no leap second).
pub(crate) fn is_date_time(s: &str) -> bool {
    if !s.is_ascii() {
        return false;
    }
    let Some((date, time)) = s.split_once('T') else {
        return false;
    };
    if parse_date(date).is_none() || time.len() < 9 {
        return false;
    }
    let hms = &time[..8];
    let b = hms.as_bytes();
    let clock = b[2] == b':'
        && b[5] == b':'
        && digits(&hms[0..2]).is_some_and(|h| h < 24)
        && digits(&hms[3..5]).is_some_and(|m| m < 60)
        && digits(&hms[6..8]).is_some_and(|s| s < 60);
    if !clock {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&n) {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => {
            digits(&rest[1..3]).is_some_and(|h| h < 24)
                && digits(&rest[4..6]).is_some_and(|m| m < 60)
        }
        _ => false,
    }
}

/// A UUID written as the runtime's `Uuid` reads it (hyphenated, 32 hex digits, in braces, or
/// after `urn:uuid:`), as its 128 bits.
pub(crate) fn parse_uuid(s: &str) -> Option<u128> {
    let s = s.strip_prefix("urn:uuid:").unwrap_or(s);
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(s);
    let hex: String = match s.len() {
        32 => s.to_owned(),
        36 => {
            let b = s.as_bytes();
            if [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
                return None;
            }
            s.split('-').collect()
        }
        _ => return None,
    };
    if hex.len() != 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

/// A run of ASCII digits as a number (`None` for anything else, a sign included).
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The JSON type of a value, for messages ("a list", "an object"; the front ends' messages
/// use it too).
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as short JSON text for a message (at most about 40 characters).
pub(crate) fn short(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => json_kind(v).to_owned(),
        _ => {
            let text = v.to_string();
            if text.chars().count() > 40 {
                let cut: String = text.chars().take(40).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumDef, EnumValue, Name, TypeDef};
    use serde_json::json;

    fn api_with_enum(kind: EnumKind, values: &[&str]) -> (Api, TypeRef) {
        let mut api = Api::default();
        let id = api.add_type(TypeDef {
            name: Name::Given("E".into()),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Enum(EnumDef {
                values: values
                    .iter()
                    .map(|w| EnumValue {
                        wire: (*w).into(),
                        docs: None,
                    })
                    .collect(),
                kind,
            }),
        });
        let alias = api.add_type(TypeDef {
            name: Name::Given("A".into()),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Alias(TypeRef::Named(id)),
        });
        (api, TypeRef::Named(alias))
    }

    #[test]
    fn primitives() {
        let api = Api::default();
        let p = |p| TypeRef::Primitive(p);
        assert!(default_fits(&api, &p(Primitive::String), &json!("x")).is_ok());
        assert!(default_fits(&api, &p(Primitive::String), &json!(1)).is_err());
        assert!(default_fits(&api, &p(Primitive::I32), &json!(5)).is_ok());
        assert!(default_fits(&api, &p(Primitive::I32), &json!(5.0)).is_ok());
        assert!(default_fits(&api, &p(Primitive::I32), &json!(5.5)).is_err());
        assert!(default_fits(&api, &p(Primitive::I32), &json!(3_000_000_000_i64)).is_err());
        assert!(default_fits(&api, &p(Primitive::I64), &json!(3_000_000_000_i64)).is_ok());
        assert!(default_fits(&api, &p(Primitive::I64), &json!(u64::MAX)).is_err());
        assert!(default_fits(&api, &p(Primitive::F64), &json!(2)).is_ok());
        assert!(default_fits(&api, &p(Primitive::Bool), &json!("true")).is_err());
        let err = default_fits(&api, &p(Primitive::Bool), &json!("true")).unwrap_err();
        assert_eq!(err, "a boolean, found \"true\"");
    }

    #[test]
    fn dates_times_and_uuids() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2020-01-0\u{e9}"), None);
        assert!(!is_date_time("2020-01-01T00:00:0\u{e9}Z"));
        assert_eq!(parse_date("1900-02-29"), None);
        assert_eq!(parse_date("2000-02-29"), Some((2000, 2, 29)));
        for bad in [
            "2020-1-01",
            "2020-13-01",
            "2020-04-31",
            "+2020-01-0",
            "2020-01-01T",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for good in [
            "2020-01-01T00:00:00Z",
            "2020-01-01T23:59:59.123456789+05:30",
            "2020-01-01T12:00:00-08:00",
        ] {
            assert!(is_date_time(good), "{good}");
        }
        for bad in [
            "2020-01-01",
            "2020-01-01T24:00:00Z",
            "2020-01-01T00:00:60Z",
            "2020-01-01t00:00:00z",
            "2020-01-01T00:00:00",
            "2020-01-01T00:00:00.Z",
            "2020-01-01T00:00:00.1234567890Z",
            "2020-01-01T00:00:00+0530",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        let id = 0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8_u128;
        assert_eq!(parse_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"), Some(id));
        assert_eq!(parse_uuid("67e5504410b1426f9247bb680e5fe0c8"), Some(id));
        assert_eq!(
            parse_uuid("{67e55044-10b1-426f-9247-bb680e5fe0c8}"),
            Some(id)
        );
        assert_eq!(
            parse_uuid("urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8"),
            Some(id)
        );
        assert_eq!(parse_uuid("67e55044-10b1-426f-9247-bb680e5fe0c"), None);
        assert_eq!(parse_uuid("67e55044_10b1_426f_9247_bb680e5fe0c8"), None);
        assert_eq!(parse_uuid("67e55044-10b1-426f-9247-bb680e5fe0cg"), None);
    }

    #[test]
    fn enums_lists_maps_and_nullable() {
        let (api, e) = api_with_enum(EnumKind::String, &["a", "b"]);
        assert!(default_fits(&api, &e, &json!("b")).is_ok());
        let err = default_fits(&api, &e, &json!("c")).unwrap_err();
        assert_eq!(err, "one of the enum's values (a, b), found \"c\"");
        let list = TypeRef::List(Box::new(e.clone()));
        assert!(default_fits(&api, &list, &json!(["a", "b"])).is_ok());
        assert!(default_fits(&api, &list, &json!(["a", "z"])).is_err());
        assert!(default_fits(&api, &list, &json!("a")).is_err());
        let map = TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::I64)));
        assert!(default_fits(&api, &map, &json!({"x": 1})).is_ok());
        assert!(default_fits(&api, &map, &json!({"x": "1"})).is_err());
        let nullable = TypeRef::Nullable(Box::new(e));
        assert!(default_fits(&api, &nullable, &json!(null)).is_ok());
        assert!(default_fits(&api, &nullable, &json!("q")).is_err());
        let (api, e) = api_with_enum(EnumKind::Integer, &["1", "2"]);
        assert!(default_fits(&api, &e, &json!(2)).is_ok());
        assert!(default_fits(&api, &e, &json!(2.0)).is_ok());
        assert!(default_fits(&api, &e, &json!("2")).is_err());
    }
}
