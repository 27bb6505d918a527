//! Auth combinations (AND within a requirement, OR between them), OAuth 2.0 client-credentials
//! and refresh-token flows, and token providers, against in-process token and API servers on
//! loopback.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use common::{Reply, Seen, TestServer};
use sdkwright_runtime::__private::*;
use sdkwright_runtime::{
    AccessToken, AuthError, ClientAuth, Credential, Error, ErrorMetadata, OAuth2, TokenFuture,
    TokenProvider, TokenRequest,
};

// ---------------------------------------------------------------------------------------------
// Helpers

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A GET on `/api` secured by an OAuth 2.0 scheme `oauth` whose flows are `flows`, asking for
/// `scopes` (built at run time, since the token server's port is only known then).
fn oauth_get(flows: Vec<OAuthFlow>, scopes: &'static [&'static str]) -> &'static OperationSpec {
    let flows: &'static [OAuthFlow] = Box::leak(flows.into_boxed_slice());
    let scheme: &'static SecurityScheme =
        leak(SecurityScheme::oauth2("oauth").flows(flows).scopes(scopes));
    let alt: &'static [&'static SecurityScheme] = Box::leak(vec![scheme].into_boxed_slice());
    let alts: &'static [&'static [&'static SecurityScheme]] =
        Box::leak(vec![alt].into_boxed_slice());
    leak(get("getThing", "/api").security(alts))
}

fn cc_flow(token_server: &TestServer) -> OAuthFlow {
    OAuthFlow::client_credentials(leak_str(format!("{}/token", token_server.url)))
}

/// Form pairs of a request body, decoded.
fn form(s: &Seen) -> Vec<(String, String)> {
    s.body_text()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let dec = |x: &str| percent_decode(&x.replace('+', " "));
            (dec(k), dec(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap(),
            );
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn token_json(token: &str, expires_in: Option<u64>, refresh: Option<&str>) -> String {
    let mut v = serde_json::json!({"access_token": token, "token_type": "Bearer"});
    if let Some(e) = expires_in {
        v["expires_in"] = e.into();
    }
    if let Some(r) = refresh {
        v["refresh_token"] = r.into();
    }
    v.to_string()
}

/// A token server answering each token request with `T<n>` (n from 1), valid for an hour.
async fn counting_token_server(delay_ms: u64) -> TestServer {
    let n = AtomicUsize::new(0);
    TestServer::start(move |_, _| {
        let i = n.fetch_add(1, Ordering::SeqCst) + 1;
        Reply::json(200, &token_json(&format!("T{i}"), Some(3600), None)).delay_ms(delay_ms)
    })
    .await
}

fn bearer_of(s: &Seen) -> Option<String> {
    s.header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::to_owned)
}

async fn call(
    client: &Client,
    spec: &'static OperationSpec,
) -> Result<Response, Error<ErrorMetadata>> {
    client.execute::<ErrorMetadata>(Request::new(spec)).await
}

fn client_with(api: &TestServer, scheme: &str, c: Credential) -> Client {
    ClientBuilder::new(&api.url)
        .credential(scheme, c)
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Combinations: OR between alternatives, AND within one

static KEY: SecurityScheme = SecurityScheme::api_key_header("key", "X-Key");
static QKEY: SecurityScheme = SecurityScheme::api_key_query("qkey", "k");
static BASIC: SecurityScheme = SecurityScheme::basic("basic");
static BEARER: SecurityScheme = SecurityScheme::bearer("bearer");

/// `[{key, qkey}, {basic}, {bearer}]`.
static COMBO: OperationSpec =
    get("combo", "/combo").security(&[&[&KEY, &QKEY], &[&BASIC], &[&BEARER]]);
/// `[{}, {key}]`: auth optional.
static OPTIONAL: OperationSpec = get("optional", "/optional").security(&[&[], &[&KEY]]);

async fn seen_with(spec: &'static OperationSpec, creds: Vec<(&str, Credential)>) -> Seen {
    let api = TestServer::fixed(Reply::new(204)).await;
    let mut b = ClientBuilder::new(&api.url);
    for (s, c) in creds {
        b = b.credential(s, c);
    }
    call(&b.build().unwrap(), spec).await.unwrap();
    api.last()
}

#[tokio::test]
async fn and_applies_every_scheme_of_the_requirement() {
    let s = seen_with(
        &COMBO,
        vec![
            ("key", Credential::api_key("hk")),
            ("qkey", Credential::api_key("qk")),
            ("bearer", Credential::bearer("tok")),
        ],
    )
    .await;
    assert_eq!(s.header("x-key"), Some("hk"));
    assert_eq!(s.query_pairs(), pairs(&[("k", "qk")]));
    // The first alternative matched: the later ones are not applied.
    assert_eq!(s.header("authorization"), None);
}

#[tokio::test]
async fn or_skips_a_requirement_that_is_only_partly_configured() {
    // `key` alone does not satisfy {key, qkey}: the next configured alternative is used, and
    // nothing of the partial one leaks into the request.
    let s = seen_with(
        &COMBO,
        vec![
            ("key", Credential::api_key("hk")),
            ("bearer", Credential::bearer("tok")),
        ],
    )
    .await;
    assert_eq!(s.header("authorization"), Some("Bearer tok"));
    assert_eq!(s.header("x-key"), None);
    assert_eq!(s.query, None);

    // Basic comes before bearer in the document's order.
    let s = seen_with(
        &COMBO,
        vec![
            ("bearer", Credential::bearer("tok")),
            ("basic", Credential::basic("u", "p")),
        ],
    )
    .await;
    assert_eq!(s.header("authorization"), Some("Basic dTpw"));
}

#[tokio::test]
async fn no_complete_requirement_sends_no_credentials() {
    let s = seen_with(&COMBO, vec![("qkey", Credential::api_key("qk"))]).await;
    assert_eq!(s.header("authorization"), None);
    assert_eq!(s.header("x-key"), None);
    assert_eq!(s.query, None);
}

#[tokio::test]
async fn optional_auth_still_sends_a_configured_credential() {
    let s = seen_with(&OPTIONAL, vec![("key", Credential::api_key("hk"))]).await;
    assert_eq!(s.header("x-key"), Some("hk"));
    let s = seen_with(&OPTIONAL, vec![]).await;
    assert_eq!(s.header("x-key"), None);
}

#[tokio::test]
async fn oauth2_and_api_key_in_one_requirement() {
    static OAUTH: SecurityScheme = SecurityScheme::oauth2("oauth")
        .flows(&[OAuthFlow::client_credentials("/token")])
        .scopes(&["a"]);
    static BOTH: OperationSpec = get("both", "/both").security(&[&[&OAUTH, &KEY]]);
    // One server for both: the relative token URL is resolved against the base URL.
    let server = TestServer::start(|_, s| {
        if s.path == "/token" {
            Reply::json(200, &token_json("T1", Some(3600), None))
        } else {
            Reply::new(204)
        }
    })
    .await;
    let client = ClientBuilder::new(&server.url)
        .credential(
            "oauth",
            Credential::token_provider(OAuth2::client_credentials("id", "sec")),
        )
        .credential("key", Credential::api_key("hk"))
        .build()
        .unwrap();
    call(&client, &BOTH).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].path, "/token");
    let api = &seen[1];
    assert_eq!(api.path, "/both");
    assert_eq!(bearer_of(api).as_deref(), Some("T1"));
    assert_eq!(api.header("x-key"), Some("hk"));
}

#[tokio::test]
async fn a_static_token_serves_an_oauth2_scheme() {
    let token = TestServer::fixed(Reply::new(500)).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &["read"]);
    call(
        &client_with(&api, "oauth", Credential::bearer("given")),
        spec,
    )
    .await
    .unwrap();
    assert_eq!(bearer_of(&api.last()).as_deref(), Some("given"));
    assert!(token.seen().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Client credentials

#[tokio::test]
async fn client_credentials_sends_the_form_with_basic_client_auth_and_caches() {
    let token = counting_token_server(0).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &["write:pets", "read:pets"]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("my id", "s:cret&")),
    );
    for _ in 0..3 {
        call(&client, spec).await.unwrap();
    }
    let seen = token.seen();
    assert_eq!(seen.len(), 1, "the token is cached");
    let t = &seen[0];
    assert_eq!(t.method, "POST");
    assert_eq!(t.path, "/token");
    assert_eq!(
        t.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(t.header("accept"), Some("application/json"));
    // Scopes sorted, joined with a space.
    assert_eq!(
        form(t),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("scope", "read:pets write:pets")
        ])
    );
    // RFC 6749 §2.3.1: id and secret form-encoded, then base64.
    let expected = base64::engine::general_purpose::STANDARD.encode("my+id:s%3Acret%26");
    assert_eq!(
        t.header("authorization"),
        Some(format!("Basic {expected}").as_str())
    );
    for s in api.seen() {
        assert_eq!(bearer_of(&s).as_deref(), Some("T1"));
    }
}

#[tokio::test]
async fn client_secret_post_puts_the_credentials_in_the_form() {
    let token = counting_token_server(0).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let flow = OAuth2::client_credentials("cid", "csecret")
        .client_auth(ClientAuth::ClientSecretPost)
        .param("audience", "https://api");
    call(
        &client_with(&api, "oauth", Credential::token_provider(flow)),
        spec,
    )
    .await
    .unwrap();
    let t = token.last();
    assert_eq!(t.header("authorization"), None);
    assert_eq!(
        form(&t),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("audience", "https://api"),
            ("client_id", "cid"),
            ("client_secret", "csecret"),
        ])
    );
}

#[tokio::test]
async fn overrides_replace_the_documents_token_url_and_scopes() {
    let doc_token = TestServer::fixed(Reply::new(500)).await;
    let token = counting_token_server(0).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&doc_token)], &["from-doc"]);
    let flow = OAuth2::client_credentials("id", "sec")
        .token_url(format!("{}/other", token.url))
        .scopes(["mine"]);
    call(
        &client_with(&api, "oauth", Credential::token_provider(flow)),
        spec,
    )
    .await
    .unwrap();
    assert!(doc_token.seen().is_empty());
    let t = token.last();
    assert_eq!(t.path, "/other");
    assert_eq!(
        form(&t),
        pairs(&[("grant_type", "client_credentials"), ("scope", "mine")])
    );
}

#[tokio::test]
async fn each_scope_set_gets_its_own_token() {
    let token = counting_token_server(0).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let read = oauth_get(vec![cc_flow(&token)], &["read"]);
    let write = oauth_get(vec![cc_flow(&token)], &["write"]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    call(&client, read).await.unwrap();
    call(&client, write).await.unwrap();
    call(&client, read).await.unwrap();
    let tokens: Vec<String> = api.seen().iter().filter_map(bearer_of).collect();
    assert_eq!(tokens, ["T1", "T2", "T1"]);
    assert_eq!(token.seen().len(), 2);
}

#[tokio::test]
async fn a_hundred_concurrent_calls_share_one_token_request() {
    let token = counting_token_server(200).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &["read"]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { call(&c, spec).await.map(|r| r.status()) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 204);
    }
    assert_eq!(token.seen().len(), 1);
    let api_seen = api.seen();
    assert_eq!(api_seen.len(), 100);
    assert!(api_seen
        .iter()
        .all(|s| bearer_of(s).as_deref() == Some("T1")));
}

#[tokio::test]
async fn an_expiring_token_is_renewed_with_the_refresh_token_once_for_a_hundred_calls() {
    // The first token lives 1 s: it is renewed half-way (the 60 s skew is longer than its life).
    // Later ones live an hour, so that a slow machine cannot make the renewal itself expire.
    let n = AtomicUsize::new(0);
    let token = TestServer::start(move |_, _| {
        let i = n.fetch_add(1, Ordering::SeqCst) + 1;
        let life = if i == 1 { 1 } else { 3600 };
        Reply::json(
            200,
            &token_json(&format!("T{i}"), Some(life), Some(&format!("R{i}"))),
        )
        .delay_ms(100)
    })
    .await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &["read"]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    call(&client, spec).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { call(&c, spec).await.map(|r| r.status()) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 204);
    }
    let seen = token.seen();
    assert_eq!(seen.len(), 2, "one initial token request, one renewal");
    assert_eq!(
        form(&seen[0])[0],
        pairs(&[("grant_type", "client_credentials")])[0]
    );
    assert_eq!(
        form(&seen[1]),
        pairs(&[("grant_type", "refresh_token"), ("refresh_token", "R1")])
    );
    // The refresh request authenticates the client too.
    assert!(seen[1]
        .header("authorization")
        .is_some_and(|h| h.starts_with("Basic ")));
    let api_seen = api.seen();
    assert_eq!(bearer_of(&api_seen[0]).as_deref(), Some("T1"));
    assert!(api_seen[1..]
        .iter()
        .all(|s| bearer_of(s).as_deref() == Some("T2")));
}

#[tokio::test]
async fn a_refused_refresh_token_falls_back_to_client_credentials() {
    let token = TestServer::start(|n, s| {
        let grant = form(s)
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_default();
        match (n, grant.as_str()) {
            (0, _) => Reply::json(200, &token_json("T1", Some(1), Some("R1"))),
            (_, "refresh_token") => Reply::json(400, r#"{"error":"invalid_grant"}"#),
            _ => Reply::json(200, &token_json("T2", Some(3600), None)),
        }
    })
    .await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    call(&client, spec).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    call(&client, spec).await.unwrap();
    let grants: Vec<String> = token.seen().iter().map(|s| form(s)[0].1.clone()).collect();
    assert_eq!(
        grants,
        ["client_credentials", "refresh_token", "client_credentials"]
    );
    assert_eq!(bearer_of(&api.last()).as_deref(), Some("T2"));
}

// ---------------------------------------------------------------------------------------------
// 401: one refresh, one retry, no loop

#[tokio::test]
async fn a_401_forces_one_new_token_and_one_retry() {
    let token = counting_token_server(0).await;
    // Rejects T1, accepts anything else.
    let api = TestServer::start(|_, s| {
        if bearer_of(s).as_deref() == Some("T1") {
            Reply::json(401, r#"{"error":"invalid_token"}"#)
        } else {
            Reply::json(200, r#"{"ok":true}"#)
        }
    })
    .await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    let resp = call(&client, spec).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(token.seen().len(), 2);
    let tokens: Vec<String> = api.seen().iter().filter_map(bearer_of).collect();
    assert_eq!(tokens, ["T1", "T2"]);
}

#[tokio::test]
async fn a_post_body_is_sent_again_after_a_401() {
    static OAUTH: SecurityScheme =
        SecurityScheme::oauth2("oauth").flows(&[OAuthFlow::client_credentials("/token")]);
    static CREATE: OperationSpec = post("create", "/items")
        .body(BodyFormat::Json("application/json"))
        .security(&[&[&OAUTH]]);
    let n = AtomicUsize::new(0);
    let server = TestServer::start(move |_, s| {
        if s.path == "/token" {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(200, &token_json(&format!("T{i}"), None, None))
        } else if bearer_of(s).as_deref() == Some("T1") {
            Reply::new(401)
        } else {
            Reply::new(201)
        }
    })
    .await;
    let client = client_with(
        &server,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    let req = Request::new(&CREATE).body(&serde_json::json!({"name": "x"}));
    let resp = client.execute::<ErrorMetadata>(req).await.unwrap();
    assert_eq!(resp.status(), 201);
    let posts: Vec<Seen> = server
        .seen()
        .into_iter()
        .filter(|s| s.path == "/items")
        .collect();
    assert_eq!(posts.len(), 2);
    for p in &posts {
        assert_eq!(p.body_text(), r#"{"name":"x"}"#);
    }
}

#[tokio::test]
async fn a_second_401_is_returned_as_an_error() {
    let token = counting_token_server(0).await;
    let api = TestServer::fixed(Reply::json(401, r#"{"error":"invalid_token"}"#)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    match call(&client, spec).await {
        Err(Error::Api(meta)) => assert_eq!(meta.status, 401),
        other => panic!("expected the 401 as an API error, got {other:?}"),
    }
    assert_eq!(token.seen().len(), 2, "one token, one renewal");
    assert_eq!(api.seen().len(), 2, "one request, one retry");
}

#[tokio::test]
async fn a_401_with_a_static_token_is_not_retried() {
    let api = TestServer::fixed(Reply::new(401)).await;
    let spec = oauth_get(vec![], &[]);
    let res = call(
        &client_with(&api, "oauth", Credential::bearer("fixed")),
        spec,
    )
    .await;
    assert!(
        matches!(res, Err(Error::Api(ref m)) if m.status == 401),
        "{res:?}"
    );
    assert_eq!(api.seen().len(), 1);
}

#[tokio::test]
async fn concurrent_401s_share_one_renewal() {
    let token = counting_token_server(100).await;
    let api = TestServer::start(|_, s| {
        if bearer_of(s).as_deref() == Some("T1") {
            Reply::new(401).delay_ms(50)
        } else {
            Reply::new(204)
        }
    })
    .await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { call(&c, spec).await.map(|r| r.status()) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 204);
    }
    assert_eq!(token.seen().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// The refresh-token flow

#[tokio::test]
async fn the_refresh_token_flow_uses_the_refresh_url_and_rotates() {
    let n = AtomicUsize::new(0);
    let token = TestServer::start(move |_, _| {
        let i = n.fetch_add(1, Ordering::SeqCst) + 1;
        Reply::json(
            200,
            &token_json(&format!("T{i}"), None, Some(&format!("R{i}"))),
        )
    })
    .await;
    let api = TestServer::start(|_, s| {
        if bearer_of(s).as_deref() == Some("T1") {
            Reply::new(401)
        } else {
            Reply::new(204)
        }
    })
    .await;
    let flow = OAuthFlow::authorization_code(leak_str(format!("{}/token", token.url)))
        .refresh_url(leak_str(format!("{}/refresh", token.url)));
    let spec = oauth_get(vec![flow], &["read"]);
    let provider = OAuth2::refresh_token("app", "R0").client_secret("sec");
    call(
        &client_with(&api, "oauth", Credential::token_provider(provider)),
        spec,
    )
    .await
    .unwrap();
    let seen = token.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.path == "/refresh"));
    assert_eq!(
        form(&seen[0]),
        pairs(&[("grant_type", "refresh_token"), ("refresh_token", "R0")])
    );
    // After the 401, the rotated refresh token is used.
    assert_eq!(
        form(&seen[1]),
        pairs(&[("grant_type", "refresh_token"), ("refresh_token", "R1")])
    );
}

#[tokio::test]
async fn a_public_client_sends_only_its_id() {
    let token = counting_token_server(0).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let flow = OAuthFlow::password(leak_str(format!("{}/token", token.url)));
    let spec = oauth_get(vec![flow], &[]);
    let provider = OAuth2::refresh_token("public-app", "R0");
    call(
        &client_with(&api, "oauth", Credential::token_provider(provider)),
        spec,
    )
    .await
    .unwrap();
    let t = token.last();
    assert_eq!(t.header("authorization"), None);
    assert_eq!(
        form(&t),
        pairs(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "R0"),
            ("client_id", "public-app")
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// Token endpoint failures

#[tokio::test]
async fn a_token_endpoint_400_is_a_clear_error_and_nothing_is_sent() {
    let token = TestServer::fixed(Reply::json(
        400,
        r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
    ))
    .await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "SUPERSECRET")),
    );
    let err = call(&client, spec).await.unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected Error::Auth, got {err:?}");
    };
    assert_eq!(auth.status(), Some(400));
    assert_eq!(
        auth.body_snippet(),
        Some(r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#)
    );
    let text = err.to_string();
    assert_eq!(
        text,
        format!(
            "cannot obtain an access token: the token request at {}/token was answered \
             400 Bad Request: invalid_client (Client authentication failed)",
            token.url
        )
    );
    assert!(!format!("{err:?}{client:?}").contains("SUPERSECRET"));
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn concurrent_calls_share_one_failed_token_request() {
    let token =
        TestServer::fixed(Reply::json(503, r#"{"error":"temporarily_unavailable"}"#).delay_ms(200))
            .await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let client = client_with(
        &api,
        "oauth",
        Credential::token_provider(OAuth2::client_credentials("id", "sec")),
    );
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { call(&c, spec).await.map(|r| r.status()) })
        })
        .collect();
    for t in tasks {
        match t.await.unwrap() {
            Err(Error::Auth(e)) => assert_eq!(e.status(), Some(503)),
            other => panic!("expected Error::Auth, got {other:?}"),
        }
    }
    assert_eq!(token.seen().len(), 1);
    assert!(api.seen().is_empty());
    // A later call tries again.
    assert!(call(&client, spec).await.is_err());
    assert_eq!(token.seen().len(), 2);
}

#[tokio::test]
async fn a_token_endpoint_html_error_is_cut_to_a_snippet() {
    let token =
        TestServer::fixed(Reply::new(502).body(format!("<html>{}</html>", "x".repeat(5000)))).await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let err = call(
        &client_with(
            &api,
            "oauth",
            Credential::token_provider(OAuth2::client_credentials("i", "s")),
        ),
        spec,
    )
    .await
    .unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected Error::Auth, got {err:?}");
    };
    assert_eq!(auth.status(), Some(502));
    let snippet = auth.body_snippet().unwrap();
    assert!(
        snippet.starts_with("<html>xxx") && snippet.ends_with('…'),
        "{snippet}"
    );
    assert!(snippet.len() <= 512 + 3);
    assert!(err.to_string().len() < 700, "{err}");
}

#[tokio::test]
async fn an_unreadable_token_answer_is_an_error_without_the_token() {
    let token = TestServer::fixed(Reply::json(
        200,
        r#"{"access_token":"LEAKME","token_type":"mac"}"#,
    ))
    .await;
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![cc_flow(&token)], &[]);
    let err = call(
        &client_with(
            &api,
            "oauth",
            Credential::token_provider(OAuth2::client_credentials("i", "s")),
        ),
        spec,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(
        err.to_string().contains("the token type is not `Bearer`"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains("LEAKME"));
}

#[tokio::test]
async fn a_scheme_without_a_client_credentials_flow_says_what_to_set() {
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(
        vec![OAuthFlow::authorization_code("https://auth.example/token")],
        &[],
    );
    let err = call(
        &client_with(
            &api,
            "oauth",
            Credential::token_provider(OAuth2::client_credentials("i", "s")),
        ),
        spec,
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot obtain an access token: the security scheme `oauth` declares no \
         `clientCredentials` flow: set the token endpoint with `OAuth2::token_url`"
    );
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_an_auth_error() {
    // A port nothing listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let api = TestServer::fixed(Reply::new(204)).await;
    let spec = oauth_get(vec![], &[]);
    let flow = OAuth2::client_credentials("i", "s").token_url(format!("http://{closed}/token"));
    let err = call(
        &client_with(&api, "oauth", Credential::token_provider(flow)),
        spec,
    )
    .await
    .unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected Error::Auth, got {err:?}");
    };
    assert!(
        auth.message().ends_with("failed: connection failed"),
        "{err}"
    );
    assert!(std::error::Error::source(auth).is_some());
}

// ---------------------------------------------------------------------------------------------
// Your own token provider

/// Hands out `U<n>`, counting calls and invalidations.
#[derive(Default)]
struct Counting {
    calls: AtomicUsize,
    invalidated: AtomicUsize,
}

impl TokenProvider for Counting {
    fn token<'a>(&'a self, req: &'a TokenRequest<'_>) -> TokenFuture<'a> {
        Box::pin(async move {
            assert_eq!(req.scheme_name(), "oauth");
            assert_eq!(req.scopes(), &["read"]);
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n >= 5 {
                return Err(AuthError::new("vault sealed"));
            }
            Ok(AccessToken::new(format!(
                "U{}",
                self.invalidated.load(Ordering::SeqCst)
            )))
        })
    }
    fn invalidate(&self, _req: &TokenRequest<'_>, token: &AccessToken) {
        assert!(token.secret().expose().starts_with('U'));
        self.invalidated.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_users_token_provider_is_asked_per_request_and_told_about_a_401() {
    let api = TestServer::start(|_, s| {
        if bearer_of(s).as_deref() == Some("U0") {
            Reply::new(401)
        } else {
            Reply::new(204)
        }
    })
    .await;
    let spec = oauth_get(vec![], &["read"]);
    let provider = Arc::new(Counting::default());
    let client = ClientBuilder::new(&api.url)
        .credential(
            "oauth",
            Credential::TokenProvider(sdkwright_runtime::SharedTokenProvider::from_arc(
                provider.clone(),
            )),
        )
        .build()
        .unwrap();
    call(&client, spec).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    assert_eq!(provider.invalidated.load(Ordering::SeqCst), 1);
    let tokens: Vec<String> = api.seen().iter().filter_map(bearer_of).collect();
    assert_eq!(tokens, ["U0", "U1"]);
    for _ in 0..3 {
        call(&client, spec).await.unwrap();
    }
    // The provider fails: the error is returned and nothing is sent.
    let before = api.seen().len();
    let err = call(&client, spec).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot obtain an access token: vault sealed"
    );
    assert_eq!(api.seen().len(), before);
}

#[test]
fn debug_of_a_client_with_oauth2_shows_no_secret() {
    let client = ClientBuilder::new("http://localhost")
        .credential(
            "oauth",
            Credential::token_provider(
                OAuth2::refresh_token("id", "REFRESHSECRET").client_secret("CLIENTSECRET"),
            ),
        )
        .build()
        .unwrap();
    let dbg = format!("{client:?} {client:#?}");
    assert!(!dbg.contains("SECRET"), "{dbg}");
}
