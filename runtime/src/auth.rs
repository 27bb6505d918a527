//! Applying credentials to a request per the operation's security alternatives: OR between
//! alternatives (the first whose every scheme has a usable credential), AND within one (every
//! scheme of it applied). Tokens of [`Credential::TokenProvider`] credentials are obtained here,
//! and renewed once after a `401`.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::spec::{AuthKind, OperationSpec, SecurityScheme};
use crate::token::{AccessToken, AuthError, SharedTokenProvider, TokenProvider, TokenRequest};
use crate::transport::Transport;
use crate::types::{basic_auth_value, Credential};

/// Where credentials go on one request.
#[derive(Default)]
pub(crate) struct AuthParts {
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
}

/// What authorizing a request needs from the client.
#[derive(Clone, Copy)]
pub(crate) struct AuthEnv<'a> {
    pub(crate) credentials: &'a BTreeMap<String, Credential>,
    /// For the built-in OAuth 2.0 flows' token requests.
    pub(crate) transport: &'a dyn Transport,
    /// The client's timeout, for token requests.
    pub(crate) timeout: Duration,
    /// Relative token URLs are resolved against it.
    pub(crate) base_url: &'a str,
}

/// The credentials applied to one request, and the tokens that came from providers (renewed
/// after a `401`).
pub(crate) struct Authorization {
    spec: &'static OperationSpec,
    pub(crate) parts: AuthParts,
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

/// Puts a token where `scheme` wants it.
fn place(parts: &mut AuthParts, scheme: &SecurityScheme, token: &str) {
    match scheme.kind {
        AuthKind::Bearer | AuthKind::OAuth2 => parts
            .headers
            .push(("authorization", format!("Bearer {token}"))),
        AuthKind::ApiKeyHeader(h) => parts.headers.push((h, token.to_owned())),
        AuthKind::ApiKeyQuery(q) => parts.query.push((q, token.to_owned())),
        AuthKind::ApiKeyCookie(n) => parts.cookies.push((n, token.to_owned())),
        AuthKind::Basic => {}
    }
}

/// Picks the first non-empty security alternative of `spec` whose every scheme has a usable
/// credential and returns what to add to the request, asking token providers for their tokens.
/// No matching alternative: nothing (the request is sent without auth and the server decides).
pub(crate) async fn authorize(
    spec: &'static OperationSpec,
    env: AuthEnv<'_>,
) -> Result<Authorization, AuthError> {
    let mut auth = Authorization {
        spec,
        parts: AuthParts::default(),
        provided: Vec::new(),
    };
    // An empty alternative (`{}`: auth optional) never wins over one that is configured.
    let chosen = spec.security.iter().find(|alt| {
        !alt.is_empty()
            && alt
                .iter()
                .all(|s| env.credentials.get(s.name).is_some_and(|c| usable(s, c)))
    });
    let Some(alt) = chosen else {
        return Ok(auth);
    };
    for &scheme in alt.iter() {
        let Some(c) = env.credentials.get(scheme.name) else {
            continue;
        };
        match c {
            Credential::Basic { username, password } => {
                if scheme.kind == AuthKind::Basic {
                    auth.parts.headers.push((
                        "authorization",
                        basic_auth_value(username, password.expose()),
                    ));
                }
            }
            Credential::ApiKey(s) | Credential::Bearer(s) => {
                place(&mut auth.parts, scheme, s.expose())
            }
            Credential::TokenProvider(p) => {
                let req = TokenRequest {
                    scheme,
                    transport: env.transport,
                    timeout: env.timeout,
                    base_url: env.base_url,
                };
                let token = p.token(&req).await?;
                place(&mut auth.parts, scheme, token.secret().expose());
                auth.provided.push((scheme, p.clone(), token));
            }
        }
    }
    Ok(auth)
}

impl Authorization {
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
