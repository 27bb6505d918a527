//! [`Nullable`]: a value that may be absent, `null`, or present: the three states a GraphQL input
//! field or variable (and a JSON merge-patch field) can be in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field where *absent* and *`null`* mean different things.
///
/// GraphQL leaves an input field that is not sent alone, and clears one sent as `null`:
/// `Option<T>` cannot tell the two apart, so generated input types use `Nullable<T>` for their
/// nullable fields. Generated structs skip [`Nullable::Absent`] fields when serializing and read a
/// missing field as `Absent`.
///
/// ```
/// use sdkwright_runtime::Nullable;
///
/// let mut name: Nullable<String> = Nullable::default(); // absent: not sent
/// assert!(name.is_absent());
/// name = Nullable::Null; // sent as `null`: clears the field
/// assert_eq!(serde_json::to_string(&name).unwrap(), "null");
/// name = "Ada".to_string().into(); // sent as `"Ada"`
/// assert_eq!(name.as_option(), Some(&"Ada".to_string()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent at all (the server keeps its value or default).
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True for [`Nullable::Absent`] (used by generated `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some(v)` is the value, `None` is an explicit `null`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// `Value(v)` as `v`, `Null` (and `Absent`, which generated structs skip) as `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` is `Null`, anything else the value; a missing field (with `#[serde(default)]`) is
    /// `Absent`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Input {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn three_states_round_trip() {
        let cases = [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"name":null}"#),
            (Nullable::Value("x".to_string()), r#"{"name":"x"}"#),
        ];
        for (name, json) in cases {
            let input = Input { name };
            assert_eq!(serde_json::to_string(&input).unwrap(), json);
            assert_eq!(serde_json::from_str::<Input>(json).unwrap(), input);
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::Value(3).into_option(), Some(3));
        assert!(Nullable::<i32>::default().is_absent());
        assert!(Nullable::<i32>::Null.is_null());
    }
}
