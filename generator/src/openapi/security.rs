//! Security schemes and requirements.

use serde_json::Value;

use super::{kind_of, ptr, text, Cx};
use crate::ir::{SchemeId, SecurityKind, SecurityRequirement, SecurityScheme};
use crate::load::refs::FileId;

impl Cx {
    /// `components/securitySchemes` → [`SecurityScheme`]s. OAuth2 and OpenID Connect become
    /// bearer tokens (the caller obtains the token); unsupported kinds are dropped with a warning.
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
            let Some(s) = self.object_at(t.file, &t.pointer, sdoc.value.pointer(&t.pointer), false)
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
                Some(kind @ ("oauth2" | "openIdConnect")) => {
                    let note =
                        format!(
                        "{} access token, sent as `Authorization: Bearer`; obtain it out of band.",
                        if kind == "oauth2" { "OAuth 2.0" } else { "OpenID Connect" }
                    );
                    docs = Some(match docs {
                        Some(d) => format!("{d}\n\n{note}"),
                        None => note,
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
        // (schemes, whether a scheme was unknown or unsupported)
        let mut alternatives: Vec<(Vec<SchemeId>, bool)> = Vec::new();
        for (i, req) in list.iter().enumerate() {
            let rptr = ptr(pointer, &i.to_string());
            let Some(req) = req.as_object() else {
                self.warn(
                    file,
                    &rptr,
                    "openapi::wrong_type",
                    format!(
                        "a security requirement must be a mapping, found {}; ignored",
                        kind_of(req)
                    ),
                    "write e.g. `- api_key: []`",
                );
                continue;
            };
            let mut schemes = Vec::new();
            let mut unknown = false;
            for name in req.keys() {
                match self.schemes.get(name) {
                    Some(id) => schemes.push(*id),
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
            alternatives.push((schemes, unknown));
        }
        // An alternative that needs an unsupported scheme cannot be satisfied: drop it, unless
        // that would drop them all (which would wrongly mean "no auth").
        let usable = alternatives.iter().any(|(_, unknown)| !unknown);
        alternatives
            .into_iter()
            .filter(|(_, unknown)| !usable || !unknown)
            .map(|(schemes, _)| SecurityRequirement { schemes })
            .collect()
    }
}
