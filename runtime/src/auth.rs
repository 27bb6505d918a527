//! Applying credentials to a request per the operation's security alternatives: OR between
//! alternatives (the first whose every scheme has a usable credential), AND within one (every
//! scheme of it applied). Tokens of [`Credential::TokenProvider`] credentials are obtained here,
//! and renewed once after a `401`.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::spec::{AuthKind, OperationSpec, SecurityScheme};
use crate::token::{AccessToken, AuthError, SharedTokenProvider, TokenProvider, TokenRequest};
use crate::transport::Transport;
use crate::types::{basic_auth_value, Credential};

/// A credential as the client keeps it: with its header values made once, when the client is
/// built, rather than on every call (a copy of a shared `HeaderValue` is a reference count).
pub(crate) struct Stored {
    pub(crate) credential: Credential,
    /// The key or token as a header value (API-key header schemes), or `Basic …` for a user
    /// name and password; `None` if it is not a valid header value (the call then fails as
    /// before, when the header is set).
    raw: Option<HeaderValue>,
    /// `Bearer <token>` (bearer and OAuth 2.0 schemes).
    bearer: Option<HeaderValue>,
}

impl Stored {
    pub(crate) fn new(credential: Credential) -> Self {
        let value = |text: &str| {
            let mut v = HeaderValue::from_str(text).ok()?;
            v.set_sensitive(true);
            Some(v)
        };
        let (raw, bearer) = match &credential {
            Credential::ApiKey(s) | Credential::Bearer(s) => {
                (value(s.expose()), value(&format!("Bearer {}", s.expose())))
            }
            Credential::Basic { username, password } => {
                (value(&basic_auth_value(username, password.expose())), None)
            }
            Credential::TokenProvider(_) => (None, None),
        };
        Stored {
            credential,
            raw,
            bearer,
        }
    }
}

impl fmt::Debug for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.credential.fmt(f)
    }
}

/// A header value of a credential: made when the client was built, or text made for this
/// call (a provider's token, a value that is not a valid header value: refused when set).
pub(crate) enum AuthValue<'a> {
    Ready(&'a HeaderValue),
    Text(String),
}

/// Where one credential goes on a request.
pub(crate) enum Placed<'a> {
    Header(&'static str, AuthValue<'a>),
    Query(&'static str, &'a str),
    Cookie(&'static str, &'a str),
}

/// The header name of a security scheme (`&'static`, from the generated crate): without
/// copying or lower-casing it when it is already a valid lower-case name (the generator writes
/// them so), else parsed as any other header name.
pub(crate) fn header_name(
    name: &'static str,
) -> Result<HeaderName, reqwest::header::InvalidHeaderName> {
    // RFC 9110 `tchar`, lower case: exactly what `HeaderName::from_static` accepts, so it
    // cannot panic here.
    let lower_token = !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b)
        });
    if lower_token {
        Ok(HeaderName::from_static(name))
    } else {
        HeaderName::from_bytes(name.as_bytes())
    }
}

/// What authorizing a request needs from the client.
#[derive(Clone, Copy)]
pub(crate) struct AuthEnv<'a> {
    pub(crate) credentials: &'a BTreeMap<String, Stored>,
    /// For the built-in OAuth 2.0 flows' token requests.
    pub(crate) transport: &'a dyn Transport,
    /// The client's timeout, for token requests.
    pub(crate) timeout: Duration,
    /// Relative token URLs are resolved against it.
    pub(crate) base_url: &'a str,
}

/// The credentials applied to one request: the security alternative chosen, and the tokens
/// that came from providers (renewed after a `401`). Where each goes is worked out when the
/// request is prepared ([`Authorization::placed`]), from the values the client keeps: no list
/// of headers is built per call.
pub(crate) struct Authorization {
    spec: &'static OperationSpec,
    /// The first alternative whose every scheme has a usable credential (`None`: no auth).
    chosen: Option<&'static [&'static SecurityScheme]>,
    provided: Vec<(&'static SecurityScheme, SharedTokenProvider, AccessToken)>,
}

/// Whether `c` can serve `scheme`: user/password only for basic, anything token-like (a key, a
/// token, a token provider) for the others.
fn usable(scheme: &SecurityScheme, c: &Credential) -> bool {
    match scheme.kind {
        AuthKind::Basic => matches!(c, Credential::Basic { .. }),
        _ => !matches!(c, Credential::Basic { .. }),
    }
}

/// Where a token goes for `scheme` (`stored`: its header values made in advance).
fn place<'a>(
    scheme: &SecurityScheme,
    token: &'a str,
    stored: Option<&'a Stored>,
) -> Option<Placed<'a>> {
    let ready = |v: Option<&'a HeaderValue>, text: &dyn Fn() -> String| match v {
        Some(v) => AuthValue::Ready(v),
        None => AuthValue::Text(text()),
    };
    Some(match scheme.kind {
        AuthKind::Bearer | AuthKind::OAuth2 => {
            let v = ready(stored.and_then(|s| s.bearer.as_ref()), &|| {
                format!("Bearer {token}")
            });
            Placed::Header("authorization", v)
        }
        AuthKind::ApiKeyHeader(h) => {
            let v = ready(stored.and_then(|s| s.raw.as_ref()), &|| token.to_owned());
            Placed::Header(h, v)
        }
        AuthKind::ApiKeyQuery(q) => Placed::Query(q, token),
        AuthKind::ApiKeyCookie(n) => Placed::Cookie(n, token),
        AuthKind::Basic => return None,
    })
}

/// Picks the first non-empty security alternative of `spec` whose every scheme has a usable
/// credential, asking token providers for their tokens. No matching alternative: nothing (the
/// request is sent without auth and the server decides).
pub(crate) async fn authorize(
    spec: &'static OperationSpec,
    env: AuthEnv<'_>,
) -> Result<Authorization, AuthError> {
    let mut auth = choose(spec, env);
    auth.provide_tokens(env).await?;
    Ok(auth)
}

/// [`authorize`] without the providers' tokens: the alternative chosen, not awaiting anything
/// (what most calls need: no credential of theirs is a token provider, see
/// [`Authorization::wants_tokens`]).
pub(crate) fn choose(spec: &'static OperationSpec, env: AuthEnv<'_>) -> Authorization {
    // An empty alternative (`{}`: auth optional) never wins over one that is configured.
    let chosen = spec
        .security
        .iter()
        .find(|alt| {
            !alt.is_empty()
                && alt.iter().all(|s| {
                    env.credentials
                        .get(s.name)
                        .is_some_and(|c| usable(s, &c.credential))
                })
        })
        .copied();
    Authorization {
        spec,
        chosen,
        provided: Vec::new(),
    }
}

impl Authorization {
    /// Whether a credential of the chosen alternative is a token provider, whose token
    /// [`Authorization::provide_tokens`] asks for.
    pub(crate) fn wants_tokens(&self, credentials: &BTreeMap<String, Stored>) -> bool {
        self.chosen.unwrap_or_default().iter().any(|scheme| {
            matches!(
                credentials.get(scheme.name),
                Some(Stored {
                    credential: Credential::TokenProvider(_),
                    ..
                })
            )
        })
    }

    /// Asks the token providers of the chosen alternative for their tokens, in its order.
    pub(crate) async fn provide_tokens(&mut self, env: AuthEnv<'_>) -> Result<(), AuthError> {
        for &scheme in self.chosen.unwrap_or_default() {
            let Some(Stored {
                credential: Credential::TokenProvider(p),
                ..
            }) = env.credentials.get(scheme.name)
            else {
                continue;
            };
            let req = TokenRequest {
                scheme,
                transport: env.transport,
                timeout: env.timeout,
                base_url: env.base_url,
            };
            let token = p.token(&req).await?;
            self.provided.push((scheme, p.clone(), token));
        }
        Ok(())
    }

    /// Where each credential of the chosen alternative goes, in its order (`credentials`: the
    /// client's).
    pub(crate) fn placed<'a>(
        &'a self,
        credentials: &'a BTreeMap<String, Stored>,
    ) -> impl Iterator<Item = Placed<'a>> + 'a {
        self.chosen
            .unwrap_or_default()
            .iter()
            .filter_map(move |&scheme| {
                let stored = credentials.get(scheme.name)?;
                match &stored.credential {
                    Credential::Basic { username, password } => (scheme.kind == AuthKind::Basic)
                        .then(|| {
                            let v = match &stored.raw {
                                Some(v) => AuthValue::Ready(v),
                                None => {
                                    AuthValue::Text(basic_auth_value(username, password.expose()))
                                }
                            };
                            Placed::Header("authorization", v)
                        }),
                    Credential::ApiKey(s) | Credential::Bearer(s) => {
                        place(scheme, s.expose(), Some(stored))
                    }
                    Credential::TokenProvider(_) => {
                        let (_, _, token) = self
                            .provided
                            .iter()
                            .find(|(s, _, _)| std::ptr::eq(*s, scheme))?;
                        place(scheme, token.secret().expose(), None)
                    }
                }
            })
    }

    /// Whether a token came from a provider (only those are renewed after a `401`).
    pub(crate) fn has_provided_tokens(&self) -> bool {
        !self.provided.is_empty()
    }

    /// After a `401`: tells the providers their tokens were rejected and authorizes again.
    /// `None` when no token came from a provider or the providers hand out the same tokens
    /// (re-sending would be answered the same).
    pub(crate) async fn reauthorize(
        &self,
        env: AuthEnv<'_>,
    ) -> Result<Option<Authorization>, AuthError> {
        if self.provided.is_empty() {
            return Ok(None);
        }
        for (scheme, p, token) in &self.provided {
            let req = TokenRequest {
                scheme,
                transport: env.transport,
                timeout: env.timeout,
                base_url: env.base_url,
            };
            p.invalidate(&req, token);
        }
        let next = authorize(self.spec, env).await?;
        let same = next.provided.len() == self.provided.len()
            && next
                .provided
                .iter()
                .zip(&self.provided)
                .all(|(a, b)| a.2 == b.2);
        Ok((!same).then_some(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_header_names_are_used_as_written_or_parsed() {
        for name in ["x-api-key", "authorization", "x_key.1~!#$%&'*+^`|"] {
            let n = header_name(Box::leak(name.to_owned().into_boxed_str())).unwrap();
            assert_eq!(n, HeaderName::from_bytes(name.as_bytes()).unwrap());
        }
        // Mixed case (crates generated before names were written lower case) is parsed.
        assert_eq!(header_name("X-API-Key").unwrap().as_str(), "x-api-key");
        for bad in ["", "x api", "x-ключ", "x:y", "x\n"] {
            assert!(
                header_name(Box::leak(bad.to_owned().into_boxed_str())).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn stored_credentials_hold_sensitive_header_values() {
        let key = Stored::new(Credential::api_key("k3y"));
        let raw = key.raw.as_ref().unwrap();
        assert_eq!(raw, "k3y");
        assert!(raw.is_sensitive());
        assert_eq!(key.bearer.as_ref().unwrap(), "Bearer k3y");
        let basic = Stored::new(Credential::basic("u", "p"));
        assert_eq!(basic.raw.as_ref().unwrap(), "Basic dTpw");
        // Not a header value: left to the call, which fails when it sets the header.
        assert!(Stored::new(Credential::api_key("a\nb")).raw.is_none());
        assert!(!format!("{key:?}").contains("k3y"));
    }
}
