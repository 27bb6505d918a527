//! Applying credentials to a request per the operation's security alternatives.

use std::collections::BTreeMap;

use crate::spec::{AuthKind, OperationSpec, SecurityScheme};
use crate::types::{basic_auth_value, Credential, Secret};

/// Where credentials go on one request.
#[derive(Default)]
pub(crate) struct AuthParts {
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
}

/// The token of a credential usable for key/token schemes (an API key and a bearer token are
/// interchangeable); `None` for user/password.
fn token(c: &Credential) -> Option<&Secret> {
    match c {
        Credential::ApiKey(s) | Credential::Bearer(s) => Some(s),
        Credential::Basic { .. } => None,
    }
}

fn usable(scheme: &SecurityScheme, c: &Credential) -> bool {
    match scheme.kind {
        AuthKind::Basic => matches!(c, Credential::Basic { .. }),
        _ => token(c).is_some(),
    }
}

/// Picks the first security alternative of `spec` whose every scheme has a usable credential
/// and returns what to add to the request. No matching alternative: nothing (the request is
/// sent without auth and the server decides).
pub(crate) fn apply(spec: &OperationSpec, creds: &BTreeMap<String, Credential>) -> AuthParts {
    let mut parts = AuthParts::default();
    let chosen = spec.security.iter().find(|alt| {
        alt.iter()
            .all(|s| creds.get(s.name).is_some_and(|c| usable(s, c)))
    });
    let Some(alt) = chosen else {
        return parts;
    };
    for scheme in alt.iter() {
        let Some(c) = creds.get(scheme.name) else {
            continue;
        };
        match (scheme.kind, c) {
            (AuthKind::Basic, Credential::Basic { username, password }) => parts.headers.push((
                "authorization",
                basic_auth_value(username, password.expose()),
            )),
            (AuthKind::Bearer, c) => {
                if let Some(t) = token(c) {
                    parts
                        .headers
                        .push(("authorization", format!("Bearer {}", t.expose())));
                }
            }
            (AuthKind::ApiKeyHeader(h), c) => {
                if let Some(t) = token(c) {
                    parts.headers.push((h, t.expose().to_owned()));
                }
            }
            (AuthKind::ApiKeyQuery(q), c) => {
                if let Some(t) = token(c) {
                    parts.query.push((q, t.expose().to_owned()));
                }
            }
            (AuthKind::ApiKeyCookie(n), c) => {
                if let Some(t) = token(c) {
                    parts.cookies.push((n, t.expose().to_owned()));
                }
            }
            (AuthKind::Basic, _) => {}
        }
    }
    parts
}
