//! Value types shared by the runtime and generated code: secrets, credentials and the wire
//! primitives (`DateTime`, `Date`, `Uuid`, `Base64`).

use std::fmt;
use std::ops::{Deref, DerefMut};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use crate::token::{SharedTokenProvider, TokenProvider};

/// An RFC 3339 timestamp in UTC (OpenAPI `format: date-time`).
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// A calendar date without time zone (OpenAPI `format: date`).
pub type Date = chrono::NaiveDate;

/// A UUID (OpenAPI `format: uuid`).
pub use uuid::Uuid;

/// A secret string whose `Debug` output is redacted. It has no `Display` impl on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The secret value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

/// A credential for one security scheme, registered with [`crate::ClientBuilder::credential`].
///
/// Its `Debug` output never contains secret values (only the user name of [`Credential::Basic`]).
/// `#[non_exhaustive]` (more kinds will come): build one with [`Credential::api_key`],
/// [`Credential::bearer`], [`Credential::basic`] or [`Credential::token_provider`].
///
/// ```
/// use sdkwright_runtime::Credential;
///
/// let c = Credential::basic("alice", "hunter2");
/// assert!(!format!("{c:?}").contains("hunter2"));
/// assert!(matches!(Credential::api_key("k"), Credential::ApiKey(s) if s.expose() == "k"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// An API key (header, query or cookie per the scheme).
    ApiKey(Secret),
    /// A bearer token.
    Bearer(Secret),
    /// User name and password ([`Credential::basic`]).
    #[non_exhaustive]
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: Secret,
    },
    /// Tokens obtained per request from a [`TokenProvider`] ([`Credential::token_provider`]):
    /// OAuth 2.0 flows ([`crate::OAuth2`]) or your own source. Usable for bearer, OAuth 2.0 and
    /// API key schemes.
    TokenProvider(SharedTokenProvider),
}

impl Credential {
    /// An API key credential.
    pub fn api_key(key: impl Into<String>) -> Self {
        Credential::ApiKey(Secret::new(key))
    }
    /// A bearer token credential.
    pub fn bearer(token: impl Into<String>) -> Self {
        Credential::Bearer(Secret::new(token))
    }
    /// A user name / password credential.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credential::Basic {
            username: username.into(),
            password: Secret::new(password),
        }
    }
    /// A credential whose token comes from `provider` each time a request needs one (a
    /// [`crate::OAuth2`] flow, or your own [`TokenProvider`]).
    pub fn token_provider(provider: impl TokenProvider + 'static) -> Self {
        Credential::TokenProvider(SharedTokenProvider::new(provider))
    }
}

/// Bytes that travel as a base64 string (OpenAPI `format: byte`).
///
/// Serializes with the standard alphabet and padding; deserializes the standard or URL-safe
/// alphabet, with or without padding.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Base64(bytes.into())
    }
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Base64 {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Base64 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v)
    }
}

impl From<&[u8]> for Base64 {
    fn from(v: &[u8]) -> Self {
        Base64(v.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Base64 {
    fn from(v: [u8; N]) -> Self {
        Base64(v.to_vec())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(v: Base64) -> Self {
        v.0
    }
}

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Base64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Base64, E> {
                let v = v.trim();
                STANDARD_LENIENT
                    .decode(v)
                    .or_else(|_| URL_SAFE_LENIENT.decode(v))
                    .map(Base64)
                    .map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// Encodes `user:pass` for `Authorization: Basic`.
pub(crate) fn basic_auth_value(username: &str, password: &str) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{username}:{password}"))
    )
}

/// A string enum of a generated crate: its known values with their wire strings, and the
/// `Unknown(String)` fallback that keeps any other string a newer server sends.
///
/// Generated code writes the enum, one `pub const VALUES: &[(&str, Self)]` table in an inherent
/// `impl`, and one [`string_enum!`](crate::__private::string_enum) line; that macro implements
/// this trait, `as_str`, `Display`, `From<&str>`, `Serialize` and `Deserialize` by calling the
/// generic functions below, so the per-enum code rustc checks is small (the matches over
/// every value that each enum used to carry are shared here).
#[doc(hidden)]
pub trait StringEnum: Sized + Clone + 'static {
    /// The known values and their wire strings (the enum's `VALUES`).
    const KNOWN: &'static [(&'static str, Self)];
    /// The fallback variant holding `value`.
    fn unknown(value: String) -> Self;
    /// The string of the fallback variant; `None` for a known value.
    fn as_unknown(&self) -> Option<&str>;
}

/// The wire string of `value` (the fallback's own string for an unknown one).
#[doc(hidden)]
pub fn enum_as_str<T: StringEnum>(value: &T) -> &str {
    if let Some(other) = value.as_unknown() {
        return other;
    }
    let this = std::mem::discriminant(value);
    T::KNOWN
        .iter()
        .find(|(_, known)| std::mem::discriminant(known) == this)
        .map_or("", |(wire, _)| wire)
}

/// The value whose wire string is `wire`, else the fallback holding it.
#[doc(hidden)]
pub fn enum_from_str<T: StringEnum>(wire: &str) -> T {
    match T::KNOWN.iter().find(|(w, _)| *w == wire) {
        Some((_, known)) => known.clone(),
        None => T::unknown(wire.to_owned()),
    }
}

/// `Deserialize` of a string enum: any string; one the enum does not list becomes the fallback.
#[doc(hidden)]
pub fn enum_deserialize<'de, T: StringEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: StringEnum> serde::de::Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(enum_from_str(v))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
            match T::KNOWN.iter().find(|(w, _)| *w == v) {
                Some((_, known)) => Ok(known.clone()),
                None => Ok(T::unknown(v)),
            }
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
            match std::str::from_utf8(v) {
                Ok(s) => Ok(enum_from_str(s)),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
            }
        }
    }
    deserializer.deserialize_str(V(std::marker::PhantomData))
}

/// Implements, for a generated string enum `$name` (with `pub const VALUES` and an
/// `Unknown(String)` variant), [`StringEnum`] and its `as_str`, `Display`, `From<&str>`,
/// `Serialize` and `Deserialize`. Part of the contract with generated code (version 6): its
/// input stays one enum name.
#[doc(hidden)]
#[macro_export]
macro_rules! __sdkwright_string_enum {
    ($name:ident) => {
        impl $crate::__private::StringEnum for $name {
            const KNOWN: &'static [(&'static str, Self)] = $name::VALUES;
            fn unknown(value: ::std::string::String) -> Self {
                $name::Unknown(value)
            }
            fn as_unknown(&self) -> ::core::option::Option<&str> {
                match self {
                    $name::Unknown(value) => ::core::option::Option::Some(value),
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                $crate::__private::enum_as_str(self)
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $crate::__private::enum_from_str(value)
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::enum_deserialize(deserializer)
            }
        }
    };
}

#[cfg(test)]
#[allow(unreachable_pub)] // the macro's `as_str` is `pub`, as in a generated crate
mod string_enum_tests {
    /// A generated string enum, as the generator writes it.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    enum Status {
        Available,
        InProgress,
        Unknown2,
        Unknown(String),
    }

    impl Status {
        const VALUES: &[(&str, Self)] = &[
            ("available", Self::Available),
            ("in-progress", Self::InProgress),
            ("unknown", Self::Unknown2),
        ];
    }

    crate::__private::string_enum!(Status);

    #[test]
    fn known_values_round_trip_by_their_wire_string() {
        for (wire, value) in Status::VALUES {
            assert_eq!(value.as_str(), *wire);
            assert_eq!(value.to_string(), *wire);
            assert_eq!(Status::from(*wire), *value);
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(json, format!("\"{wire}\""));
            let back: Status = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, value);
        }
        // A value named `unknown` is a known value, not the fallback.
        assert_eq!(Status::from("unknown"), Status::Unknown2);
    }

    #[test]
    fn other_strings_fall_back_and_are_written_back_as_they_came() {
        let v: Status = serde_json::from_str("\"sold-out\"").unwrap();
        assert_eq!(v, Status::Unknown("sold-out".into()));
        assert_eq!(v.as_str(), "sold-out");
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"sold-out\"");
        // Owned strings (`visit_string`) and escaped JSON strings take the same path.
        let v: Status = serde_json::from_str("\"avail\\u0061ble\"").unwrap();
        assert_eq!(v, Status::Available);
        let v: Status = serde_json::from_value(serde_json::json!("new")).unwrap();
        assert_eq!(v, Status::Unknown("new".into()));
        // Not a string: an error, as before.
        assert!(serde_json::from_str::<Status>("3").is_err());
        let v: Vec<Option<Status>> = serde_json::from_str(r#"["in-progress", null]"#).unwrap();
        assert_eq!(v, vec![Some(Status::InProgress), None]);
    }
}
