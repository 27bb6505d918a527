//! Token sources: the [`TokenProvider`] trait, the [`AccessToken`] it returns and the
//! [`AuthError`] it fails with.
//!
//! The built-in OAuth 2.0 flows ([`crate::OAuth2`]) implement the trait; implement it yourself
//! for any other source (a vault, a sidecar, a cloud SDK, a token you mint). The client asks
//! the provider before every request whose security requirement names its scheme; the provider
//! caches as it sees fit. After a `401 Unauthorized` the client calls
//! [`TokenProvider::invalidate`] with the rejected token, asks once more, and re-sends the request
//! once if the token changed.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::spec::{OAuthFlow, SecurityScheme};
use crate::transport::Transport;
use crate::types::Secret;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The future a [`TokenProvider`] returns: boxed, so that the trait stays object-safe without
/// `async-trait`.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>>;

/// A source of access tokens for a security scheme, registered with
/// [`crate::Credential::token_provider`] (a generated `ClientBuilder` has a `…_token_provider`
/// setter per bearer and OAuth 2.0 scheme).
///
/// ```
/// use sdkwright_runtime::{AccessToken, AuthError, Credential, TokenFuture, TokenProvider, TokenRequest};
///
/// /// Reads the token from the environment on every request.
/// struct FromEnv;
///
/// impl TokenProvider for FromEnv {
///     fn token<'a>(&'a self, req: &'a TokenRequest<'_>) -> TokenFuture<'a> {
///         Box::pin(async move {
///             let token = std::env::var("API_TOKEN").map_err(|e| {
///                 AuthError::with_source(format!("no token for `{}`", req.scheme_name()), e)
///             })?;
///             Ok(AccessToken::new(token))
///         })
///     }
/// }
///
/// let client = sdkwright_runtime::ClientBuilder::new("https://api.example.com")
///     .credential("oauth", Credential::token_provider(FromEnv))
///     .build()?;
/// # Ok::<(), sdkwright_runtime::BuildError>(())
/// ```
pub trait TokenProvider: Send + Sync {
    /// A token for this request: its scheme and the scopes its security requirement asks for.
    /// Called before every request that uses the scheme, possibly by many tasks at once: cache,
    /// and share one fetch among concurrent callers.
    fn token<'a>(&'a self, req: &'a TokenRequest<'_>) -> TokenFuture<'a>;

    /// The server answered `401 Unauthorized` to a request carrying `token`: forget it if it is
    /// still the one you would hand out, so that the next [`token`](Self::token) call gets a new
    /// one. The default does nothing (then the request is not re-sent unless `token` returns a
    /// different token anyway).
    fn invalidate(&self, req: &TokenRequest<'_>, token: &AccessToken) {
        let _ = (req, token);
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token<'a>(&'a self, req: &'a TokenRequest<'_>) -> TokenFuture<'a> {
        (**self).token(req)
    }
    fn invalidate(&self, req: &TokenRequest<'_>, token: &AccessToken) {
        (**self).invalidate(req, token)
    }
}

/// A shared, type-erased [`TokenProvider`], held by [`crate::Credential::TokenProvider`].
/// Clones share the provider (and its cache). Equal when they are the same provider.
#[derive(Clone)]
pub struct SharedTokenProvider(Arc<dyn TokenProvider>);

impl SharedTokenProvider {
    /// Wraps a provider.
    pub fn new(provider: impl TokenProvider + 'static) -> Self {
        SharedTokenProvider(Arc::new(provider))
    }
    /// Wraps an already shared provider (to use one cache in several clients).
    pub fn from_arc(provider: Arc<dyn TokenProvider>) -> Self {
        SharedTokenProvider(provider)
    }
}

impl TokenProvider for SharedTokenProvider {
    fn token<'a>(&'a self, req: &'a TokenRequest<'_>) -> TokenFuture<'a> {
        self.0.token(req)
    }
    fn invalidate(&self, req: &TokenRequest<'_>, token: &AccessToken) {
        self.0.invalidate(req, token)
    }
}

impl PartialEq for SharedTokenProvider {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedTokenProvider {}

impl fmt::Debug for SharedTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenProvider(..)")
    }
}

/// What a [`TokenProvider`] is asked for: the security scheme of the operation (its name, its
/// OAuth 2.0 flows) and the scopes the operation's requirement lists.
pub struct TokenRequest<'a> {
    pub(crate) scheme: &'static SecurityScheme,
    /// The client's transport (for the built-in flows' token requests).
    pub(crate) transport: &'a dyn Transport,
    /// The client's timeout (for the built-in flows' token requests).
    pub(crate) timeout: Duration,
    /// The client's base URL (relative token URLs are resolved against it).
    pub(crate) base_url: &'a str,
}

impl fmt::Debug for TokenRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("scheme", &self.scheme)
            .field("timeout", &self.timeout)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl TokenRequest<'_> {
    /// The security scheme's name in the API document.
    pub fn scheme_name(&self) -> &'static str {
        self.scheme.name
    }
    /// The OAuth 2.0 scopes the operation's security requirement asks for (may be empty).
    pub fn scopes(&self) -> &'static [&'static str] {
        self.scheme.scopes
    }
    /// The scheme's OAuth 2.0 flows from the document (empty for other schemes).
    pub fn flows(&self) -> &'static [OAuthFlow] {
        self.scheme.flows
    }
}

/// An access token. Its `Debug` output is redacted; [`AccessToken::secret`] exposes it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessToken {
    secret: Secret,
}

impl AccessToken {
    /// A token with this value.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken {
            secret: Secret::new(token),
        }
    }
    /// The token value.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(\"***\")")
    }
}

/// Longest piece of a token endpoint's error body kept in an [`AuthError`].
pub(crate) const SNIPPET_MAX: usize = 512;

/// A token could not be obtained: the token endpoint failed, refused the client or answered
/// something unreadable, or your [`TokenProvider`] failed. Returned as [`crate::Error::Auth`].
///
/// ```
/// use sdkwright_runtime::AuthError;
///
/// let e = AuthError::new("no token configured");
/// assert_eq!(e.to_string(), "cannot obtain an access token: no token configured");
/// assert_eq!(e.status(), None);
/// ```
///
/// Cloneable: concurrent requests that waited for one failed token request all get its error.
#[derive(Debug, Clone)]
pub struct AuthError {
    message: String,
    status: Option<u16>,
    body: Option<String>,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

impl AuthError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            status: None,
            body: None,
            source: None,
        }
    }
    /// An error with this message, caused by `source` (reachable through
    /// [`std::error::Error::source`], not repeated by `Display`).
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        AuthError {
            source: Some(Arc::from(source.into())),
            ..Self::new(message)
        }
    }
    /// The token endpoint answered `status` with `body` (kept to its first 512 bytes).
    pub(crate) fn endpoint(message: String, status: u16, body: &[u8]) -> Self {
        AuthError {
            status: Some(status),
            body: Some(snippet(body)),
            ..Self::new(message)
        }
    }
    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The token endpoint's HTTP status, when it answered with an error.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// The start of the token endpoint's error body (at most 512 bytes), when it answered with
    /// an error.
    pub fn body_snippet(&self) -> Option<&str> {
        self.body.as_deref()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot obtain an access token: {}", self.message)
    }
}

impl StdError for AuthError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// The first [`SNIPPET_MAX`] bytes of `body` as text (cut on a character boundary, `…` when
/// cut), control characters but newline and tab replaced.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_MAX + 4)]);
    let mut out = String::new();
    for c in text.chars() {
        if out.len() + c.len_utf8() > SNIPPET_MAX {
            out.push('…');
            return out;
        }
        out.push(if c.is_control() && c != '\n' && c != '\t' {
            '\u{FFFD}'
        } else {
            c
        });
    }
    if body.len() > SNIPPET_MAX + 4 && !out.ends_with('…') {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_cut_on_a_char_boundary() {
        assert_eq!(snippet(b"{\"error\":\"x\"}"), "{\"error\":\"x\"}");
        let long = "é".repeat(1000);
        let s = snippet(long.as_bytes());
        assert!(s.len() <= SNIPPET_MAX + '…'.len_utf8());
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"a\x00b"), "a\u{FFFD}b");
    }

    #[test]
    fn debug_hides_tokens() {
        let t = AccessToken::new("tok-123");
        assert!(!format!("{t:?}").contains("tok-123"));
        assert_eq!(t.secret().expose(), "tok-123");
    }
}
