//! Security schemes and requirements.

use crate::load::AtPointer;
use serde_json::Value;

use super::{json_kind, ptr, text, Cx};
use crate::ir::{
    OAuthFlow, OAuthFlowKind, SchemeId, SecurityKind, SecurityRequirement, SecurityScheme,
};
use crate::load::refs::FileId;

impl Cx {
    /// `components/securitySchemes` → [`SecurityScheme`]s. OAuth2 keeps the flows that have a
    /// token endpoint; OpenID Connect becomes a bearer token (the caller obtains it); unsupported
    /// kinds are dropped with a warning.
    pub(crate) fn lower_security_schemes(&mut self) {
        let doc = self.docs.doc(0);
        let Some(schemes) = doc
            .value
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
        else {
            return;
        };
        let base = "/components/securitySchemes";
        let Some(schemes) = self.object_at(0, base, Some(schemes), true) else {
            return;
        };
        for (name, _) in schemes {
            let sptr = ptr(base, name);
            let Some(t) = self.deref(0, &sptr) else {
                continue;
            };
            let sdoc = self.docs.doc(t.file);
            let Some(s) =
                self.object_at(t.file, &t.pointer, sdoc.value.at_pointer(&t.pointer), false)
            else {
                continue;
            };
            let mut docs = text(s, "description");
            let kind = match s.get("type").and_then(Value::as_str) {
                Some("apiKey") => {
                    let key = s.get("name").and_then(Value::as_str).map(str::to_owned);
                    match (s.get("in").and_then(Value::as_str), key) {
                        (Some("header"), Some(header)) => {
                            Some(SecurityKind::ApiKeyHeader { header })
                        }
                        (Some("query"), Some(param)) => Some(SecurityKind::ApiKeyQuery { param }),
                        (Some("cookie"), Some(cookie)) => {
                            Some(SecurityKind::ApiKeyCookie { cookie })
                        }
                        _ => None,
                    }
                }
                Some("http") => match s
                    .get("scheme")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("bearer") => Some(SecurityKind::Bearer),
                    Some("basic") => Some(SecurityKind::Basic),
                    _ => None,
                },
                Some("oauth2") => Some(SecurityKind::OAuth2 {
                    flows: self.oauth_flows(t.file, &t.pointer, s),
                }),
                Some("openIdConnect") => {
                    let note = "OpenID Connect access token, sent as `Authorization: Bearer`; \
                                obtain it out of band.";
                    docs = Some(match docs {
                        Some(d) => format!("{d}\n\n{note}"),
                        None => note.to_owned(),
                    });
                    Some(SecurityKind::Bearer)
                }
                _ => None,
            };
            let Some(kind) = kind else {
                self.dropped_schemes.insert(name.clone());
                self.warn(
                    t.file,
                    &t.pointer,
                    "openapi::security_scheme_unsupported",
                    format!("security scheme `{name}` is not supported; ignored"),
                    "supported: apiKey (header, query, cookie), http bearer and basic, oauth2, openIdConnect",
                );
                continue;
            };
            let id = SchemeId(self.api.security_schemes.len() as u32);
            self.api.security_schemes.push(SecurityScheme {
                name: name.clone(),
                docs,
                kind,
            });
            self.schemes.insert(name.clone(), id);
        }
    }

    /// The `flows` of an oauth2 scheme at `pointer`: those with a token endpoint (all but
    /// `implicit`), in document order. A flow without a `tokenUrl` is dropped with a warning.
    fn oauth_flows(
        &mut self,
        file: FileId,
        pointer: &str,
        scheme: &serde_json::Map<String, Value>,
    ) -> Vec<OAuthFlow> {
        let fptr = ptr(pointer, "flows");
        let Some(flows) = self.object_at(file, &fptr, scheme.get("flows"), false) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, flow) in flows {
            let kind = match key.as_str() {
                "clientCredentials" => OAuthFlowKind::ClientCredentials,
                "authorizationCode" => OAuthFlowKind::AuthorizationCode,
                "password" => OAuthFlowKind::Password,
                "deviceAuthorization" => OAuthFlowKind::DeviceAuthorization,
                // No token endpoint: the token comes from the browser.
                "implicit" => continue,
                _ => {
                    self.warn(
                        file,
                        &ptr(&fptr, key),
                        "openapi::oauth_flow_unknown",
                        format!("unknown OAuth 2.0 flow `{key}`; ignored"),
                        "flows are clientCredentials, authorizationCode, password, implicit and deviceAuthorization",
                    );
                    continue;
                }
            };
            let one = ptr(&fptr, key);
            let Some(flow) = self.object_at(file, &one, Some(flow), false) else {
                continue;
            };
            let url = |k: &str| {
                flow.get(k)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned)
            };
            let Some(token_url) = url("tokenUrl") else {
                self.warn(
                    file,
                    &one,
                    "openapi::oauth_flow_token_url_missing",
                    format!("the OAuth 2.0 flow `{key}` has no `tokenUrl`; the flow is ignored"),
                    "add `tokenUrl: https://…/token`; clients can still set the token endpoint or a token themselves",
                );
                continue;
            };
            let scopes = flow
                .get("scopes")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            out.push(OAuthFlow {
                kind,
                token_url,
                refresh_url: url("refreshUrl"),
                scopes,
            });
        }
        out
    }

    /// A `security` list: alternatives of schemes applied together. Unknown schemes are dropped.
    pub(crate) fn security_requirements(
        &mut self,
        file: FileId,
        pointer: &str,
        value: &Value,
    ) -> Vec<SecurityRequirement> {
        let Some(list) = self.array_at(file, pointer, Some(value)) else {
            return Vec::new();
        };
        // (requirement, whether a scheme was unknown or unsupported)
        let mut alternatives: Vec<(SecurityRequirement, bool)> = Vec::new();
        for (i, req) in list.iter().enumerate() {
            let rptr = ptr(pointer, &i.to_string());
            let Some(req) = req.as_object() else {
                self.warn(
                    file,
                    &rptr,
                    "openapi::wrong_type",
                    format!(
                        "a security requirement must be a mapping, found {}; ignored",
                        json_kind(req)
                    ),
                    "write e.g. `- api_key: []`",
                );
                continue;
            };
            let mut res = SecurityRequirement::default();
            let mut unknown = false;
            for (name, scopes) in req {
                match self.schemes.get(name) {
                    Some(id) => {
                        res.schemes.push(*id);
                        res.scopes.push(
                            scopes
                                .as_array()
                                .map(|a| {
                                    a.iter()
                                        .filter_map(Value::as_str)
                                        .map(str::to_owned)
                                        .collect()
                                })
                                .unwrap_or_default(),
                        );
                    }
                    None if self.dropped_schemes.contains(name) => unknown = true,
                    None => {
                        unknown = true;
                        self.warn(
                            file,
                            &ptr(&rptr, name),
                            "openapi::unknown_security_scheme",
                            format!("security scheme `{name}` is not defined; ignored"),
                            "define it under `components/securitySchemes`",
                        );
                    }
                }
            }
            alternatives.push((res, unknown));
        }
        // An alternative that needs an unsupported scheme cannot be satisfied: drop it, unless
        // that would drop them all (which would wrongly mean "no auth").
        let usable = alternatives.iter().any(|(_, unknown)| !unknown);
        alternatives
            .into_iter()
            .filter(|(_, unknown)| !usable || !unknown)
            .map(|(req, _)| req)
            .collect()
    }
}
