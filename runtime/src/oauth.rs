//! The built-in OAuth 2.0 flows: client credentials and refresh token, as a [`TokenProvider`].
//!
//! Written by hand rather than with the `oauth2` crate: what is needed is two form POSTs and a
//! JSON answer (RFC 6749 §4.4, §6, §5.1–5.2), while the part that takes care (the cache, refresh
//! before expiry, one fetch shared by concurrent callers) is not in that crate; it would bring a
//! typestate client plus PKCE and random-number dependencies into every generated crate.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Url;
use serde_json::Value;
use tokio::time::Instant;

use crate::error::{TransportError, TransportErrorKind};
use crate::spec::OAuthFlowKind;
use crate::token::{snippet, AccessToken, AuthError, TokenFuture, TokenProvider, TokenRequest};
use crate::types::{basic_auth_value, Secret};

/// How long before its expiry a cached token is replaced, by default.
pub const DEFAULT_EXPIRY_SKEW: Duration = Duration::from_secs(60);

/// Largest token endpoint answer read.
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// `application/x-www-form-urlencoded` escaping of the client id and secret for HTTP Basic
/// (RFC 6749 §2.3.1): everything but ASCII alphanumerics and `*-._`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1). A client without a
/// secret (a public client) sends only its `client_id` in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ClientAuth {
    /// `client_secret_basic`: `Authorization: Basic` with the form-encoded id and secret.
    #[default]
    ClientSecretBasic,
    /// `client_secret_post`: `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    ClientCredentials,
    RefreshToken,
}

/// An OAuth 2.0 token source for one security scheme: the client-credentials flow
/// ([`OAuth2::client_credentials`]) or the refresh-token flow ([`OAuth2::refresh_token`]).
///
/// - The token endpoint is the one the API document gives for the flow (`tokenUrl`, and
///   `refreshUrl` for refreshing), unless overridden with [`token_url`](Self::token_url) and
///   [`refresh_url`](Self::refresh_url). A relative URL is resolved against the client's base
///   URL.
/// - The scopes are those the operation's security requirement lists (one cached token per set
///   of scopes), unless fixed with [`scopes`](Self::scopes).
/// - Tokens are cached and replaced [`DEFAULT_EXPIRY_SKEW`] before they expire (or half-way
///   through their lifetime, if shorter), using the `refresh_token` grant when the token
///   endpoint handed out a refresh token. After a `401` the client asks for a new token once and
///   re-sends the request once.
/// - Concurrent requests share one token request: a hundred tasks starting at once with an
///   empty cache cause a single call to the token endpoint (and, if it fails, all get its
///   error).
/// - The client secret, the tokens and the refresh token never appear in `Debug` output or in
///   errors.
///
/// ```
/// use sdkwright_runtime::{ClientAuth, ClientBuilder, Credential, OAuth2};
///
/// let flow = OAuth2::client_credentials("my-client", "my-secret")
///     .client_auth(ClientAuth::ClientSecretPost)
///     .param("audience", "https://api.example.com");
/// assert!(!format!("{flow:?}").contains("my-secret"));
/// let client = ClientBuilder::new("https://api.example.com")
///     .credential("oauth", Credential::token_provider(flow))
///     .build()?;
/// # Ok::<(), sdkwright_runtime::BuildError>(())
/// ```
pub struct OAuth2 {
    grant: Grant,
    client_id: String,
    client_secret: Option<Secret>,
    client_auth: ClientAuth,
    token_url: Option<String>,
    refresh_url: Option<String>,
    scopes: Option<Vec<String>>,
    params: Vec<(String, String)>,
    skew: Duration,
    state: Mutex<State>,
    /// Held while a token request is in flight: concurrent callers wait for its result.
    flight: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    /// Cached tokens by (sorted) scope set.
    tokens: BTreeMap<Vec<String>, Cached>,
    /// The latest refresh token handed out (or given).
    refresh_token: Option<Secret>,
    /// Bumped on every token obtained, so that a caller that waited for a fetch takes its
    /// result even if that token is already due for renewal.
    generation: u64,
    /// Token requests finished (successful or not), and the error of the last one if it
    /// failed: callers that waited for a failed request share its error instead of each
    /// sending their own.
    finished: u64,
    failed: Option<(u64, Vec<String>, AuthError)>,
}

struct Cached {
    token: AccessToken,
    renew_at: Option<Instant>,
    generation: u64,
}

impl Cached {
    fn fresh(&self, now: Instant) -> bool {
        self.renew_at.is_none_or(|t| now < t)
    }
}

/// A successful token endpoint answer (RFC 6749 §5.1).
struct Issued {
    token: AccessToken,
    expires_in: Option<Duration>,
    refresh_token: Option<Secret>,
}

impl OAuth2 {
    fn with_grant(grant: Grant, client_id: String) -> Self {
        OAuth2 {
            grant,
            client_id,
            client_secret: None,
            client_auth: ClientAuth::default(),
            token_url: None,
            refresh_url: None,
            scopes: None,
            params: Vec::new(),
            skew: DEFAULT_EXPIRY_SKEW,
            state: Mutex::new(State::default()),
            flight: tokio::sync::Mutex::new(()),
        }
    }

    /// The client-credentials flow (RFC 6749 §4.4): tokens requested with
    /// `grant_type=client_credentials` at the `tokenUrl` of the scheme's `clientCredentials`
    /// flow. If the token endpoint also hands out a refresh token, renewals use it (and fall
    /// back to client credentials if it is refused).
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self::with_grant(Grant::ClientCredentials, client_id.into()).client_secret(client_secret)
    }

    /// The refresh-token flow (RFC 6749 §6): access tokens obtained with
    /// `grant_type=refresh_token` from a refresh token you got elsewhere (typically once, from
    /// an authorization-code flow), at the `refreshUrl` (else `tokenUrl`) of the scheme's
    /// `authorizationCode`, `password`, `clientCredentials` or device flow, in that order. A
    /// rotated refresh token in an answer replaces the old one. No secret: a public client
    /// (add one with [`client_secret`](Self::client_secret)).
    pub fn refresh_token(client_id: impl Into<String>, refresh_token: impl Into<String>) -> Self {
        let flow = Self::with_grant(Grant::RefreshToken, client_id.into());
        flow.lock().refresh_token = Some(Secret::new(refresh_token));
        flow
    }

    /// The client secret (for a confidential client).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Secret::new(secret));
        self
    }

    /// How the client authenticates (default: [`ClientAuth::ClientSecretBasic`]).
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.client_auth = auth;
        self
    }

    /// The token endpoint, instead of the document's `tokenUrl`.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The endpoint for the `refresh_token` grant, instead of the document's `refreshUrl`
    /// (default: the token endpoint).
    pub fn refresh_url(mut self, url: impl Into<String>) -> Self {
        self.refresh_url = Some(url.into());
        self
    }

    /// Requests these scopes for every operation instead of the ones each operation's security
    /// requirement lists.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// An extra form parameter sent with every token request (e.g. `audience`, `resource`).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// How long before expiry a token is replaced (default [`DEFAULT_EXPIRY_SKEW`]; at most
    /// half the token's lifetime is used).
    pub fn expiry_skew(mut self, skew: Duration) -> Self {
        self.skew = skew;
        self
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cache key: the requested scopes, sorted and without duplicates.
    fn scope_key(&self, req: &TokenRequest<'_>) -> Vec<String> {
        let mut key: Vec<String> = match &self.scopes {
            Some(s) => s.clone(),
            None => req.scopes().iter().map(|s| (*s).to_owned()).collect(),
        };
        key.sort();
        key.dedup();
        key
    }

    async fn get(&self, req: &TokenRequest<'_>) -> Result<AccessToken, AuthError> {
        let key = self.scope_key(req);
        let (seen, finished) = {
            let st = self.lock();
            let seen = match st.tokens.get(&key) {
                Some(c) if c.fresh(Instant::now()) => return Ok(c.token.clone()),
                Some(c) => Some(c.generation),
                None => None,
            };
            (seen, st.finished)
        };
        // Single flight: whoever holds this fetches; the others wait and take its result (a
        // token or an error).
        let _flight = self.flight.lock().await;
        let refresh = {
            let st = self.lock();
            if let Some(c) = st.tokens.get(&key) {
                if Some(c.generation) != seen || c.fresh(Instant::now()) {
                    return Ok(c.token.clone());
                }
            }
            // The request we waited for failed: its error is ours too.
            if let Some((at, k, e)) = &st.failed {
                if *at > finished && *k == key {
                    return Err(e.clone());
                }
            }
            st.refresh_token.clone()
        };
        let res = self.fetch(req, refresh, &key).await;
        let mut st = self.lock();
        st.finished += 1;
        let issued = match res {
            Ok(issued) => issued,
            Err(e) => {
                st.failed = Some((st.finished, key, e.clone()));
                return Err(e);
            }
        };
        let now = Instant::now();
        let renew_at = issued.expires_in.and_then(|life| {
            let early = life.saturating_sub(self.skew).max(life / 2);
            now.checked_add(early)
        });
        st.failed = None;
        st.generation += 1;
        if let Some(rt) = issued.refresh_token {
            st.refresh_token = Some(rt);
        }
        let generation = st.generation;
        st.tokens.insert(
            key,
            Cached {
                token: issued.token.clone(),
                renew_at,
                generation,
            },
        );
        Ok(issued.token)
    }

    /// One token: with the refresh token if there is one, else (or if it is refused, for
    /// client credentials) with the client's credentials.
    async fn fetch(
        &self,
        req: &TokenRequest<'_>,
        refresh: Option<Secret>,
        key: &[String],
    ) -> Result<Issued, AuthError> {
        match (refresh, self.grant) {
            (Some(rt), grant) => match self.request(req, Some(&rt), key).await {
                Ok(issued) => Ok(issued),
                // A refused refresh token: client credentials can start over.
                Err(e) if grant == Grant::ClientCredentials && e.status().is_some() => {
                    self.lock().refresh_token = None;
                    self.request(req, None, key).await
                }
                Err(e) => Err(e),
            },
            (None, Grant::ClientCredentials) => self.request(req, None, key).await,
            (None, Grant::RefreshToken) => Err(AuthError::new(format!(
                "no refresh token for `{}`",
                req.scheme_name()
            ))),
        }
    }

    /// The endpoint for this grant: the override, else the document's.
    fn endpoint(&self, req: &TokenRequest<'_>, refresh: bool) -> Result<Url, AuthError> {
        let flows = req.flows();
        let find = |kinds: &[OAuthFlowKind]| {
            kinds
                .iter()
                .find_map(|k| flows.iter().find(|f| f.kind() == *k))
        };
        let given = if refresh {
            self.refresh_url.as_deref().or(self.token_url.as_deref())
        } else {
            self.token_url.as_deref()
        };
        let from_doc = || {
            let order: &[OAuthFlowKind] = match self.grant {
                Grant::ClientCredentials => &[OAuthFlowKind::ClientCredentials],
                Grant::RefreshToken => &[
                    OAuthFlowKind::AuthorizationCode,
                    OAuthFlowKind::Password,
                    OAuthFlowKind::ClientCredentials,
                    OAuthFlowKind::DeviceAuthorization,
                ],
            };
            find(order).map(|f| {
                if refresh {
                    f.refresh_endpoint()
                } else {
                    f.token_url()
                }
            })
        };
        let Some(url) = given.or_else(from_doc).filter(|u| !u.is_empty()) else {
            let flow = match self.grant {
                Grant::ClientCredentials => "`clientCredentials` flow",
                Grant::RefreshToken => "flow with a token URL",
            };
            return Err(AuthError::new(format!(
                "the security scheme `{}` declares no {flow}: set the token endpoint with `OAuth2::token_url`",
                req.scheme_name()
            )));
        };
        let parsed =
            Url::parse(url).or_else(|_| Url::parse(req.base_url).and_then(|base| base.join(url)));
        match parsed {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
            Ok(_) => Err(AuthError::new(format!(
                "the token endpoint `{url}` of `{}` is not http(s)",
                req.scheme_name()
            ))),
            Err(e) => Err(AuthError::with_source(
                format!("invalid token endpoint `{url}` for `{}`", req.scheme_name()),
                e,
            )),
        }
    }

    /// One token request: the `refresh_token` grant with `refresh`, else client credentials.
    async fn request(
        &self,
        req: &TokenRequest<'_>,
        refresh: Option<&Secret>,
        scopes: &[String],
    ) -> Result<Issued, AuthError> {
        let url = self.endpoint(req, refresh.is_some())?;
        let joined = scopes.join(" ");
        let mut form: Vec<(&str, &str)> = Vec::new();
        match refresh {
            // The scope is left out on refresh: the token keeps the scopes originally granted.
            Some(rt) => {
                form.push(("grant_type", "refresh_token"));
                form.push(("refresh_token", rt.expose()));
            }
            None => {
                form.push(("grant_type", "client_credentials"));
                if !joined.is_empty() {
                    form.push(("scope", &joined));
                }
            }
        }
        for (k, v) in &self.params {
            form.push((k, v));
        }
        let mut basic = None;
        match (&self.client_secret, self.client_auth) {
            (Some(secret), ClientAuth::ClientSecretBasic) => {
                basic = Some(basic_auth_value(
                    &form_encode(&self.client_id),
                    &form_encode(secret.expose()),
                ));
            }
            (Some(secret), _) => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", secret.expose()));
            }
            (None, _) => form.push(("client_id", &self.client_id)),
        }
        let body = serde_urlencoded::to_string(&form)
            .map_err(|e| AuthError::with_source("cannot encode the token request", e))?;
        // Through the client's transport (its proxies and TLS roots; a test double sees it).
        let mut request = reqwest::Request::new(reqwest::Method::POST, url.clone());
        let headers = request.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(b) = basic {
            let mut v = HeaderValue::from_str(&b).map_err(|_| {
                AuthError::new("the client id or secret cannot be sent in a header")
            })?;
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        *request.body_mut() = Some(reqwest::Body::from(body));
        *request.timeout_mut() = Some(req.timeout);
        let what = if refresh.is_some() {
            "refresh"
        } else {
            "token request"
        };
        let endpoint = endpoint_text(&url);
        let transport = |e: TransportError| {
            let kind = if e.is_timeout() {
                "timed out"
            } else if e.is_connect() {
                "connection failed"
            } else {
                "transport error"
            };
            AuthError::with_source(format!("the {what} at {endpoint} failed: {kind}"), e)
        };
        let sent = tokio::time::timeout(req.timeout, req.transport.send(request)).await;
        let mut resp = match sent {
            Ok(r) => r.map_err(transport)?,
            Err(_) => {
                let e = TransportError::new(TransportErrorKind::Timeout, "no response in time");
                return Err(transport(e));
            }
        };
        let status = resp.status();
        let mut bytes = Vec::new();
        let mut cut = false;
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| transport(TransportError::from_reqwest(e)))?
        {
            let room = MAX_TOKEN_RESPONSE - bytes.len();
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if chunk.len() > room {
                cut = true;
                break;
            }
        }
        if !status.is_success() {
            let detail = rfc6749_error(&bytes).unwrap_or_else(|| snippet(&bytes));
            let detail = if detail.trim().is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            };
            return Err(AuthError::endpoint(
                format!("the {what} at {endpoint} was answered {status}{detail}"),
                status.as_u16(),
                &bytes,
            ));
        }
        let bad = |why: &str| {
            AuthError::endpoint(
                format!("the {what} at {endpoint} was answered {status} but {why}"),
                status.as_u16(),
                &[],
            )
        };
        if cut {
            return Err(bad("the answer is larger than 64 KiB"));
        }
        parse_issued(&bytes).map_err(bad)
    }
}

/// `application/x-www-form-urlencoded` encoding of one value (space as `+`).
fn form_encode(s: &str) -> String {
    utf8_percent_encode(s, FORM).to_string().replace("%20", "+")
}

/// The URL without query and fragment, for messages.
fn endpoint_text(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    let _ = u.set_password(None);
    u.to_string()
}

/// `error` and `error_description` of an RFC 6749 §5.2 error answer, each bounded.
fn rfc6749_error(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let error = v.get("error")?.as_str()?;
    let mut out = bounded(error, 100);
    if let Some(d) = v.get("error_description").and_then(Value::as_str) {
        out.push_str(&format!(" ({})", bounded(d, 300)));
    }
    Some(out)
}

fn bounded(s: &str, max: usize) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(max).collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

/// Reads `access_token`, `token_type`, `expires_in` and `refresh_token` without echoing
/// any value in messages (they are secrets).
fn parse_issued(body: &[u8]) -> Result<Issued, &'static str> {
    let v: Value = serde_json::from_slice(body).map_err(|_| "the answer is not JSON")?;
    let token = v
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or("the answer has no `access_token` string")?;
    if let Some(tt) = v.get("token_type") {
        let tt = tt.as_str().ok_or("`token_type` is not a string")?;
        if !tt.eq_ignore_ascii_case("bearer") {
            return Err("the token type is not `Bearer`");
        }
    }
    // Some servers send the lifetime as a string.
    let expires_in = match v.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    }
    .filter(|s| s.is_finite() && *s >= 0.0)
    // Ten years at most: a bigger number means "does not expire".
    .map(|s| Duration::from_secs_f64(s.min(315_360_000.0)));
    let refresh_token = v
        .get("refresh_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(Secret::new);
    Ok(Issued {
        token: AccessToken::new(token),
        expires_in,
        refresh_token,
    })
}

impl TokenProvider for OAuth2 {
    fn token<'a>(&'a self, req: &'a TokenRequest<'_>) -> TokenFuture<'a> {
        Box::pin(self.get(req))
    }

    fn invalidate(&self, req: &TokenRequest<'_>, token: &AccessToken) {
        let key = self.scope_key(req);
        let mut st = self.lock();
        if st.tokens.get(&key).is_some_and(|c| &c.token == token) {
            st.tokens.remove(&key);
        }
    }
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match self.grant {
            Grant::ClientCredentials => "client_credentials",
            Grant::RefreshToken => "refresh_token",
        };
        let cached = self.lock().tokens.len();
        f.debug_struct("OAuth2")
            .field("grant", &grant)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("client_auth", &self.client_auth)
            .field("token_url", &self.token_url)
            .field("refresh_url", &self.refresh_url)
            .field("scopes", &self.scopes)
            .field("expiry_skew", &self.skew)
            .field("cached_tokens", &cached)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_token_answers_without_echoing_values() {
        let ok = parse_issued(
            br#"{"access_token":"a","token_type":"bearer","expires_in":"3600","refresh_token":"r"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.token.secret().expose(), "a");
        assert_eq!(ok.expires_in, Some(Duration::from_secs(3600)));
        assert_eq!(ok.refresh_token.as_ref().map(Secret::expose), Some("r"));
        let huge = parse_issued(br#"{"access_token":"a","expires_in":1e300}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(huge.expires_in, Some(Duration::from_secs(315_360_000)));
        assert_eq!(
            parse_issued(br#"{"access_token":"sekrit","token_type":"mac"}"#).err(),
            Some("the token type is not `Bearer`")
        );
        assert!(parse_issued(br#"{"access_token":5}"#).is_err());
        assert!(parse_issued(b"<html>").is_err());
    }

    #[test]
    fn rfc6749_errors_are_summarised() {
        assert_eq!(
            rfc6749_error(br#"{"error":"invalid_grant","error_description":"expired"}"#).as_deref(),
            Some("invalid_grant (expired)")
        );
        assert_eq!(rfc6749_error(b"nope"), None);
    }

    #[test]
    fn debug_redacts_the_secret_and_refresh_token() {
        let f = OAuth2::refresh_token("id", "refresh-sekrit").client_secret("client-sekrit");
        let d = format!("{f:?}");
        assert!(d.contains("\"id\"") && d.contains("refresh_token"));
        assert!(!d.contains("sekrit"), "{d}");
    }
}
