//! `client.rs` of a generated crate: `DEFAULT_BASE_URL`, the security scheme statics, `Client`
//! with one method per operation, and `ClientBuilder` with one credential setter per scheme.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_toks, sanitize};
use super::naming::ident;
use super::operations::{body_required, required_params, route, unset_fields};
use super::tokens::str_lit;
use super::toks::{toks, toks_into, Id, Put, Str, Toks};
use super::{Ctx, Scope};
use crate::ir;

/// `client.get_pet_by_id(pet_id).send().await?` for operation `idx`.
pub(crate) fn example_call(ctx: &Ctx<'_>, idx: usize) -> String {
    let op = &ctx.api.operations[idx];
    let names = &ctx.names.ops[idx];
    let mut args: Vec<String> = required_params(ctx.api, op)
        .iter()
        .map(|&i| names.params[i].clone())
        .collect();
    if body_required(ctx.api, op) {
        args.push(super::naming::BODY_FIELD.into());
    }
    if super::operations::is_subscription(op) {
        return format!(
            "let mut events = client.{}({}).subscribe().await?;",
            names.method,
            args.join(", ")
        );
    }
    format!(
        "let res = client.{}({}).send().await?;",
        names.method,
        args.join(", ")
    )
}

fn scheme_statics(ctx: &Ctx<'_>) -> TokenStream {
    let items = ctx
        .api
        .security_schemes
        .iter()
        .zip(&ctx.names.schemes)
        .map(|(s, names)| {
            let name = ident(&names.spec);
            let wire = str_lit(&s.name);
            let ctor = match &s.kind {
                ir::SecurityKind::ApiKeyHeader { header } => {
                    // Lower case (header names are case-insensitive, and HTTP/1 and HTTP/2
                    // send them so): the runtime then uses the name as it is, without
                    // parsing and copying it on every call.
                    let h = str_lit(&header.to_ascii_lowercase());
                    quote!(api_key_header(#wire, #h))
                }
                ir::SecurityKind::ApiKeyQuery { param } => {
                    let p = str_lit(param);
                    quote!(api_key_query(#wire, #p))
                }
                ir::SecurityKind::ApiKeyCookie { cookie } => {
                    let c = str_lit(cookie);
                    quote!(api_key_cookie(#wire, #c))
                }
                ir::SecurityKind::Bearer => quote!(bearer(#wire)),
                ir::SecurityKind::Basic => quote!(basic(#wire)),
                ir::SecurityKind::OAuth2 { flows } => {
                    // A `const`: operations write `&SCHEME.scopes(&[…])` for their scopes.
                    let flows = oauth_flows(flows);
                    return quote! {
                        pub(crate) const #name: rt::SecurityScheme =
                            rt::SecurityScheme::oauth2(#wire) #flows;
                    };
                }
            };
            quote! {
                pub(crate) static #name: rt::SecurityScheme = rt::SecurityScheme::#ctor;
            }
        });
    quote!(#(#items)*)
}

/// `.flows(&[rt::OAuthFlow::client_credentials("…"), …])`, nothing without flows.
fn oauth_flows(flows: &[ir::OAuthFlow]) -> TokenStream {
    if flows.is_empty() {
        return quote!();
    }
    let items = flows.iter().map(|f| {
        let url = str_lit(&f.token_url);
        let ctor = match f.kind {
            ir::OAuthFlowKind::ClientCredentials => quote!(rt::OAuthFlow::client_credentials(#url)),
            ir::OAuthFlowKind::AuthorizationCode => quote!(rt::OAuthFlow::authorization_code(#url)),
            ir::OAuthFlowKind::Password => quote!(rt::OAuthFlow::password(#url)),
            ir::OAuthFlowKind::DeviceAuthorization => {
                quote!(rt::OAuthFlow::new(rt::OAuthFlowKind::DeviceAuthorization, #url))
            }
        };
        match &f.refresh_url {
            Some(r) if *r != f.token_url => {
                let r = str_lit(r);
                quote!(#ctor.refresh_url(#r))
            }
            _ => ctor,
        }
    });
    quote!(.flows(&[#(#items),*]))
}

/// The token-source setters of a bearer or OAuth 2.0 scheme (names from [`super::naming`]).
fn token_setters(s: &ir::SecurityScheme, names: &super::naming::SchemeNames) -> TokenStream {
    let spec = ident(&names.spec);
    let wire = s.name.replace('`', "");
    let flows: &[ir::OAuthFlow] = match &s.kind {
        ir::SecurityKind::OAuth2 { flows } => flows,
        _ => &[],
    };
    // The endpoint the runtime will use (oauth.rs): the first flow of these kinds, in this order.
    let endpoint = |kinds: &[ir::OAuthFlowKind], refresh: bool| {
        kinds
            .iter()
            .find_map(|k| flows.iter().find(|f| f.kind == *k))
            .map(|f| {
                let url = match &f.refresh_url {
                    Some(r) if refresh => r,
                    _ => &f.token_url,
                };
                format!(" (`{}`)", url.replace('`', ""))
            })
            .unwrap_or_default()
    };
    let set =
        |cred: TokenStream| quote!(Self { inner: self.inner.credential(#spec.name(), #cred) });
    let mut out = Vec::new();
    if let Some(n) = &names.client_credentials {
        let setter = ident(n);
        let docs = doc_toks(
            None,
            &format!(
                "Uses the OAuth 2.0 client-credentials flow for the `{wire}` security scheme: \
                 access tokens are requested from its token endpoint{} with this client id and \
                 secret (HTTP Basic), cached, and renewed before they expire; each operation asks \
                 for the scopes its security requirement lists.\n\n\
                 For other settings (`client_secret_post`, another token URL, fixed scopes, extra \
                 parameters), pass a configured `sdkwright_runtime::OAuth2` to the \
                 `…_token_provider` setter.",
                endpoint(&[ir::OAuthFlowKind::ClientCredentials], false)
            ),
        );
        let body = set(quote!(rt::Credential::token_provider(
            rt::OAuth2::client_credentials(client_id, client_secret)
        )));
        out.push(quote! {
            #docs
            pub fn #setter(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                #body
            }
        });
    }
    if let Some(n) = &names.refresh_token {
        let setter = ident(n);
        let docs = doc_toks(
            None,
            &format!(
                "Uses the OAuth 2.0 refresh-token flow for the `{wire}` security scheme: access \
                 tokens are obtained from this refresh token (got once, e.g. from an \
                 authorization-code flow) at the scheme's refresh endpoint{}, with this client id \
                 and secret; a rotated refresh token replaces the old one.",
                endpoint(
                    &[
                        ir::OAuthFlowKind::AuthorizationCode,
                        ir::OAuthFlowKind::Password,
                        ir::OAuthFlowKind::ClientCredentials,
                        ir::OAuthFlowKind::DeviceAuthorization,
                    ],
                    true
                )
            ),
        );
        let body = set(quote!(rt::Credential::token_provider(
            rt::OAuth2::refresh_token(client_id, refresh_token).client_secret(client_secret)
        )));
        out.push(quote! {
            #docs
            pub fn #setter(
                self,
                client_id: impl Into<String>,
                client_secret: impl Into<String>,
                refresh_token: impl Into<String>,
            ) -> Self {
                #body
            }
        });
    }
    if let Some(n) = &names.token_provider {
        let setter = ident(n);
        let docs = doc_toks(
            None,
            &format!(
                "Gets the access tokens of the `{wire}` security scheme from `provider`, asked \
                 before each request: a configured `sdkwright_runtime::OAuth2` flow or your own \
                 `sdkwright_runtime::TokenProvider`."
            ),
        );
        let body = set(quote!(rt::Credential::token_provider(provider)));
        out.push(quote! {
            #docs
            pub fn #setter(self, provider: impl rt::TokenProvider + 'static) -> Self {
                #body
            }
        });
    }
    quote!(#(#out)*)
}

/// WS-Security `UsernameToken` setters, for clients with SOAP operations (WSDL 1.1 does not
/// say whether a service wants one: the user does).
fn ws_security_setters(ctx: &Ctx<'_>) -> TokenStream {
    let soap = ctx.api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|b| matches!(b.encoding, ir::BodyEncoding::Soap { .. }))
    });
    if !soap {
        return quote!();
    }
    quote! {
        /// Sends a WS-Security `UsernameToken` with the password as text (`#PasswordText`) in
        /// the SOAP `Header` of every request (use it over TLS only).
        pub fn ws_security(self, username: impl Into<String>, password: impl Into<String>) -> Self {
            Self { inner: self.inner.ws_security(rt::UsernameToken::text(username, password)) }
        }

        /// Sends a WS-Security `UsernameToken` with a password digest (`#PasswordDigest`:
        /// Base64(SHA-1(nonce + created + password)), a fresh nonce and creation time per
        /// request), as ONVIF devices require, in the SOAP `Header` of every request.
        pub fn ws_security_digest(self, username: impl Into<String>, password: impl Into<String>) -> Self {
            Self { inner: self.inner.ws_security(rt::UsernameToken::digest(username, password)) }
        }

        /// Sends this WS-Security `UsernameToken` (`sdkwright_runtime::UsernameToken`:
        /// `mustUnderstand` off, a fixed nonce for tests) in the SOAP `Header` of every request.
        pub fn ws_security_token(self, token: rt::UsernameToken) -> Self {
            Self { inner: self.inner.ws_security(token) }
        }
    }
}

fn credential_setters(ctx: &Ctx<'_>) -> TokenStream {
    let items = ctx
        .api
        .security_schemes
        .iter()
        .zip(&ctx.names.schemes)
        .map(|(s, names)| {
            let setter = ident(&names.setter);
            let spec = ident(&names.spec);
            let (what, args, cred) = match &s.kind {
                ir::SecurityKind::ApiKeyHeader { .. }
                | ir::SecurityKind::ApiKeyQuery { .. }
                | ir::SecurityKind::ApiKeyCookie { .. } => (
                    "API key",
                    quote!(key: impl Into<String>),
                    quote!(rt::Credential::api_key(key)),
                ),
                ir::SecurityKind::Bearer => (
                    "bearer token",
                    quote!(token: impl Into<String>),
                    quote!(rt::Credential::bearer(token)),
                ),
                ir::SecurityKind::OAuth2 { .. } => (
                    "OAuth 2.0 access token (fixed, obtained out of band)",
                    quote!(token: impl Into<String>),
                    quote!(rt::Credential::bearer(token)),
                ),
                ir::SecurityKind::Basic => (
                    "user name and password",
                    quote!(user: impl Into<String>, password: impl Into<String>),
                    quote!(rt::Credential::basic(user, password)),
                ),
            };
            let fallback = format!("Sets the {what} for the `{}` security scheme.", s.name);
            let docs = match (&s.kind, s.docs.as_deref()) {
                // Say what this setter does beside the other token setters of the scheme.
                (ir::SecurityKind::OAuth2 { .. }, Some(d)) if !d.trim().is_empty() => {
                    doc_toks(Some(&format!("{}\n\n{fallback}", d.trim())), "")
                }
                (_, d) => doc_toks(d, &fallback),
            };
            let tokens = token_setters(s, names);
            quote! {
                #docs
                pub fn #setter(self, #args) -> Self {
                    Self { inner: self.inner.credential(#spec.name(), #cred) }
                }
                #tokens
            }
        });
    quote!(#(#items)*)
}

/// For a GraphQL API (its schema declares no security): `api_key(key)` (the `x-api-key` header,
/// as AWS AppSync wants) and `api_key_header(name, key)` (any header: Hasura's
/// `x-hasura-admin-secret`, …), both a default secret header of the runtime client (hidden from
/// `Debug`, never traced, not sent on a redirect to another origin). Nothing for other APIs, or
/// when a scheme's setter already has one of these names.
fn graphql_api_key_setters(ctx: &Ctx<'_>) -> TokenStream {
    let graphql = ctx.api.operations.iter().any(|op| {
        matches!(
            op.body.as_ref().map(|b| &b.encoding),
            Some(ir::BodyEncoding::GraphQl { .. })
        )
    });
    let taken = ctx
        .names
        .schemes
        .iter()
        .any(|n| n.setter == "api_key" || n.setter == "api_key_header");
    if !graphql || taken {
        return quote!();
    }
    quote! {
        /// Sends the API key `key` in the `x-api-key` header with every request (AWS
        /// AppSync's API key header). The key is a secret: it never shows in `Debug` output
        /// and is not sent on a redirect to another origin.
        pub fn api_key(self, key: impl Into<String>) -> Self {
            Self { inner: self.inner.default_secret_header("x-api-key", key) }
        }

        /// Sends the API key `key` in header `name` with every request (e.g. Hasura's
        /// `x-hasura-admin-secret`). The key is a secret: it never shows in `Debug` output and
        /// is not sent on a redirect to another origin. An invalid header name or value makes
        /// [`ClientBuilder::build`] fail.
        pub fn api_key_header(self, name: impl Into<String>, key: impl Into<String>) -> Self {
            Self { inner: self.inner.default_secret_header(name, key) }
        }
    }
}

/// The `Client` method of operation `idx`, written into `out`.
fn op_method(ctx: &Ctx<'_>, idx: usize, out: &mut Toks) {
    let op = &ctx.api.operations[idx];
    let names = &ctx.names.ops[idx];
    let method = Id(&names.method);
    let builder = Id(&names.builder);
    // The arguments and the builder's fields, each list written in place, comma-separated.
    let mut args = Toks::scratch();
    let mut inits = Toks::scratch();
    let mut n_args = 0;
    let sep = |list: &mut Toks| {
        if !list.is_empty() {
            list.punct(',', false);
        }
    };
    for i in required_params(ctx.api, op) {
        let p = &op.params[i];
        let f = Id(&names.params[i]);
        sep(&mut args);
        sep(&mut inits);
        n_args += 1;
        if ctx.is_string(&p.ty) {
            toks_into!(args; #f: impl Into<String>);
            toks_into!(inits; #f: #f.into());
        } else {
            let ty = ctx.ty_of(&p.ty, Scope::Sibling);
            toks_into!(args; #f: #ty);
            toks_into!(inits; #f);
        }
    }
    if let Some(b) = op.body.as_ref().filter(|_| body_required(ctx.api, op)) {
        let f = Id(super::naming::BODY_FIELD);
        let ty = ctx.ty_of(&b.ty, Scope::Sibling);
        sep(&mut args);
        sep(&mut inits);
        n_args += 1;
        toks_into!(args; #f: #ty);
        toks_into!(inits; #f);
    }
    for f in unset_fields(ctx, idx) {
        let f = Id(&f);
        sep(&mut inits);
        toks_into!(inits; #f: None);
    }
    // `--operation-timeout`: the call's options start with the operation's timeout.
    let call = match ctx.timeouts.get(idx).copied().flatten() {
        Some(ms) => {
            let ms = Literal::u64_unsuffixed(ms);
            toks!(rt::Call::new(&self.inner).timeout_ms(#ms))
        }
        None => toks!(rt::Call::new(&self.inner)),
    };
    let mut text = String::new();
    if let Some(s) = &op.summary {
        text.push_str(s.trim());
    }
    if let Some(d) = &op.docs {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(d.trim());
    }
    let mut lines = if text.is_empty() {
        Vec::new()
    } else {
        sanitize(&text)
    };
    // What is called: the method and path (and the tags) of an HTTP operation, or its name.
    let mut what = match route(op) {
        Some(route) => format!("Sends {route}"),
        None => format!(
            "Calls the `{}` operation",
            op.name.display().replace('`', "")
        ),
    };
    if !op.tags.is_empty() {
        let tags: Vec<String> = op
            .tags
            .iter()
            .map(|t| format!("`{}`", t.replace('`', "")))
            .collect();
        let label = if tags.len() == 1 { "tag" } else { "tags" };
        what.push_str(&format!(" ({label} {})", tags.join(", ")));
    }
    what.push('.');
    if op.deprecated {
        what.push_str(" **Deprecated** by the API.");
    }
    // Required parameters of one allowed value: sent without being asked for.
    let fixed: Vec<String> = super::operations::fixed_params(ctx.api, op)
        .into_iter()
        .filter_map(|i| {
            let p = &op.params[i];
            let id = ctx.api.one_value(&p.ty)?;
            let ir::TypeKind::Enum(e) = &ctx.api.ty(id).kind else {
                return None;
            };
            let value = e.values.first()?.wire.replace('`', "");
            Some(format!("`{}` = `{value}`", p.name.replace('`', "")))
        })
        .collect();
    if !fixed.is_empty() {
        let label = if fixed.len() == 1 {
            "the parameter"
        } else {
            "the parameters"
        };
        what.push_str(&format!(
            " Sends {label} of one allowed value itself: {}.",
            fixed.join(", ")
        ));
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(sanitize(&what));
    out.append(&ctx.op_cfg(idx));
    for line in &lines {
        out.doc(line);
    }
    if op.deprecated {
        toks_into!(out; #[deprecated(note = "deprecated by the API")]);
    }
    if n_args > 6 {
        toks_into!(out; #[allow(clippy::too_many_arguments)]);
    }
    toks_into! { out;
        pub fn #method(&self, #args) -> operations::#builder {
            operations::#builder { client: #call, #inits }
        }
    }
    args.recycle();
    inits.recycle();
}

/// The GraphQL settings of the client builder: GET queries and persisted queries for every
/// GraphQL API, the WebSocket settings for one with subscriptions.
fn graphql_setters(ctx: &Ctx<'_>) -> TokenStream {
    let graphql = |op: &ir::Operation| {
        matches!(
            op.body.as_ref().map(|b| &b.encoding),
            Some(ir::BodyEncoding::GraphQl { .. })
        )
    };
    if !ctx.api.operations.iter().any(graphql) {
        return quote!();
    }
    let ws = if ctx
        .api
        .operations
        .iter()
        .any(super::operations::is_subscription)
    {
        quote! {
            /// Sets the WebSocket URL of subscriptions (`ws://` or `wss://`; default: the
            /// base URL with `http` → `ws`, `https` → `wss`).
            pub fn graphql_ws_url(self, url: impl Into<String>) -> Self {
                Self { inner: self.inner.graphql_ws_url(url) }
            }

            /// Sets the payload of the subscriptions' `connection_init` message (default: the
            /// credentials, as an object of lowercase header names to values; they are also
            /// sent as headers of the upgrade request).
            pub fn graphql_ws_init_payload(self, payload: rt::Value) -> Self {
                Self { inner: self.inner.graphql_ws_init_payload(payload) }
            }

            /// Sets how long a subscription's connection may be silent before the client sends
            /// a `ping` (default 30 s); without an answer within the timeout the subscription
            /// ends with a timeout error.
            pub fn graphql_ws_keepalive(self, interval: ::std::time::Duration) -> Self {
                Self { inner: self.inner.graphql_ws_keepalive(interval) }
            }
        }
    } else {
        quote!()
    };
    quote! {
        /// Sends queries (never mutations) as HTTP GET with `query`, `variables`,
        /// `operationName` and `extensions` URL parameters (GraphQL over HTTP), so that caches
        /// can keep them and they are retried like any GET (default: POST). One call can
        /// choose with `.customize(|o| o.graphql_get(true))`.
        pub fn graphql_get_queries(self, get: bool) -> Self {
            Self { inner: self.inner.graphql_get_queries(get) }
        }

        /// Automatic persisted queries: each operation is sent with only the SHA-256 of its
        /// document first, and with its text when the server answers `PersistedQueryNotFound`
        /// (default: off).
        pub fn graphql_persisted_queries(self, enabled: bool) -> Self {
            Self { inner: self.inner.graphql_persisted_queries(enabled) }
        }

        #ws
    }
}

/// Generates the client module.
pub(super) fn generate(ctx: &Ctx<'_>) -> Toks {
    let title = super::title(ctx.api);
    let (url, url_doc) = match ctx.api.servers.first() {
        Some(s) => (
            s.url.clone(),
            "The API's default base URL (the document's first server).".to_string(),
        ),
        None => (
            String::new(),
            "The document declares no server: set one with [`ClientBuilder::base_url`]."
                .to_string(),
        ),
    };
    let url = Str(&url);
    let url_doc = format!(" {url_doc}");
    let url_doc = Str(&url_doc);
    let statics = scheme_statics(ctx);
    let setters = credential_setters(ctx);
    let ws_security = ws_security_setters(ctx);
    let api_key = graphql_api_key_setters(ctx);
    let methods = Put(|out: &mut Toks| {
        for i in 0..ctx.api.operations.len() {
            op_method(ctx, i, out);
        }
    });
    // Only the operation methods read the runtime client (the credential setters merely move it):
    // a document without operations (a webhooks-only document, a WSDL whose operations are all
    // rpc/encoded), or a crate built with every `--tag-features` feature off, would get a
    // dead_code warning.
    let allow_unread = if ctx.api.operations.is_empty() || ctx.features.is_some() {
        toks!(#[allow(dead_code)])
    } else {
        toks!()
    };
    let client_doc = doc_toks(
        Some(&format!(
            "Client for the {title} API. Cheap to clone: clones share one connection pool."
        )),
        "",
    );
    let import = super::runtime_import();
    let types_import = super::types_import();
    let ops_import = (!ctx.api.operations.is_empty()).then(|| {
        // `--tag-features`: with every feature off, no method names the operations.
        let allow = ctx
            .features
            .is_some()
            .then(|| toks!(#[allow(unused_imports)]));
        toks!(
            #allow
            use super::operations;
        )
    });
    let contract = Literal::u32_unsuffixed(super::RUNTIME_CONTRACT);
    let graphql = graphql_setters(ctx);
    toks! {
        #import
        #types_import
        #ops_import

        // Fails the build with a readable message when the runtime does not serve the contract
        // this code was generated for.
        const _: () = rt::require_contract(#contract);

        #[doc = #url_doc]
        pub const DEFAULT_BASE_URL: &str = #url;

        #statics

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            #allow_unread
            inner: rt::Client,
        }

        impl Client {
            /// A builder for a client of [`DEFAULT_BASE_URL`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    inner: rt::ClientBuilder::new(DEFAULT_BASE_URL)
                        .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))),
                }
            }

            /// Wraps an already configured runtime client.
            pub fn from_runtime(inner: rt::Client) -> Self {
                Self { inner }
            }

            #methods
        }

        /// Configures and builds a [`Client`].
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: rt::ClientBuilder,
        }

        impl ClientBuilder {
            /// Overrides the base URL (default: [`DEFAULT_BASE_URL`]).
            pub fn base_url(self, url: impl Into<String>) -> Self {
                Self { inner: self.inner.base_url(url) }
            }

            /// Sets the per-request timeout.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self { inner: self.inner.timeout(timeout) }
            }

            /// Sets the retry policy.
            pub fn retry_policy(self, policy: rt::RetryPolicy) -> Self {
                Self { inner: self.inner.retry_policy(policy) }
            }

            /// Sets the largest response body read, in bytes (default 64 MiB); a larger body is
            /// a transport error of kind `BodyTooLarge`.
            pub fn max_body_size(self, bytes: usize) -> Self {
                Self { inner: self.inner.max_body_size(bytes) }
            }

            /// Sets the most redirects followed for one request (default 10; 0: none). A
            /// redirect to another origin never carries credentials or a body.
            pub fn max_redirects(self, n: u32) -> Self {
                Self { inner: self.inner.max_redirects(n) }
            }

            /// Adds an interceptor (request signing, logging, metrics): hooks before each
            /// attempt is sent, after each response and before each retry. Several run in the
            /// order they were added.
            pub fn interceptor(self, interceptor: impl rt::Interceptor + 'static) -> Self {
                Self { inner: self.inner.interceptor(interceptor) }
            }

            /// Sends an idempotency key (a random UUID, the same on every attempt) with every
            /// POST and PATCH, so that they are retried like idempotent requests (default:
            /// only operations whose API declares an idempotency header get one).
            pub fn idempotency_keys(self, enabled: bool) -> Self {
                Self { inner: self.inner.idempotency_keys(enabled) }
            }

            /// Sends every request through this `reqwest::Client` (proxies, TLS roots, pool
            /// settings). It must be built with `.redirect(reqwest::redirect::Policy::none())`:
            /// the runtime follows redirects itself, dropping credentials across origins
            /// (`sdkwright_runtime::ClientBuilder::http_client`).
            pub fn http_client(self, client: rt::reqwest::Client) -> Self {
                Self { inner: self.inner.http_client(client) }
            }

            /// Sends every request through `transport`: a wrapper, another HTTP stack, or
            /// `sdkwright_runtime::test_util::FakeTransport` in tests.
            pub fn transport(self, transport: impl rt::Transport + 'static) -> Self {
                Self { inner: self.inner.transport(transport) }
            }

            /// Adds a header sent with every request (unless the operation or the call sets
            /// it); never sent on a redirect to another origin.
            pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                Self { inner: self.inner.default_header(name, value) }
            }

            /// Adds a default header holding a secret (hidden from `Debug` output).
            pub fn default_secret_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                Self { inner: self.inner.default_secret_header(name, value) }
            }

            #setters
            #api_key

            #ws_security
            #graphql

            /// Builds the client.
            pub fn build(self) -> Result<Client, rt::BuildError> {
                Ok(Client { inner: self.inner.build()? })
            }
        }
    }
}
