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
