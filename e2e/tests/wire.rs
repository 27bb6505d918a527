//! Bodies and parameters on the wire, against Prism (`--errors`: every request is validated
//! against the document) for clients generated from whole documents of the shared corpus,
//! restricted by `--only` to the operations under test (see `build.rs`). Prism is served a copy
//! of each document cut to those operations (`scripts/cut-openapi.py`): it cannot load GitHub's
//! or OpenAI's whole documents in reasonable time.
//!
//! Needs the corpus (`../shared/specs-corpus` or `SDKWRIGHT_SPECS_CORPUS`), `npm ci` (Prism) and
//! Python with PyYAML; without the corpus this file compiles to nothing.
#![allow(unreachable_pub, unused_imports, dead_code)]

/// The tests fail rather than skip without the corpus.
#[cfg(not(wire_corpus))]
#[test]
fn corpus_is_missing() {
    panic!(
        "the shared corpus is missing: put it at ../shared/specs-corpus beside the repository or \
         set SDKWRIGHT_SPECS_CORPUS, then rebuild (build.rs generates the clients from it)"
    );
}

#[cfg(wire_corpus)]
mod with_corpus {

    use std::path::PathBuf;
    use std::process::Command;

    use sdkwright_e2e::{record, repo_root, Prism};
    use sdkwright_runtime::FilePart;

    // Generated code for a real vendor document: lints about its names are not this test's.
    #[allow(clippy::all)]
    mod github {
        include!(concat!(env!("OUT_DIR"), "/wire_github.rs"));
    }
    // Generated code for a real vendor document: lints about its names are not this test's.
    #[allow(clippy::all)]
    mod openai {
        include!(concat!(env!("OUT_DIR"), "/wire_openai.rs"));
    }
    // Generated code for a real vendor document: lints about its names are not this test's.
    #[allow(clippy::all)]
    mod slack {
        include!(concat!(env!("OUT_DIR"), "/wire_slack.rs"));
    }

    fn corpus() -> PathBuf {
        match std::env::var_os("SDKWRIGHT_SPECS_CORPUS") {
            Some(dir) => PathBuf::from(dir),
            None => repo_root().join("../shared/specs-corpus"),
        }
    }

    /// Prism on `doc` (under the corpus' `openapi/`) cut to `ops`.
    fn prism(doc: &str, ops: &[&str]) -> Prism {
        prism_cut(doc, ops, false)
    }

    /// Prism on `doc` cut to `ops`, with only their success responses when `success_only`.
    fn prism_cut(doc: &str, ops: &[&str], success_only: bool) -> Prism {
        let out = std::env::temp_dir().join(format!(
            "sdkwright-wire-{}-{}.json",
            std::process::id(),
            doc.replace('.', "-")
        ));
        let status = Command::new("python3")
            .arg(repo_root().join("scripts/cut-openapi.py"))
            .args(success_only.then_some("--success-only"))
            .arg(corpus().join("openapi").join(doc))
            .arg(&out)
            .args(ops)
            .status()
            .expect("run python3 scripts/cut-openapi.py");
        assert!(status.success(), "cutting {doc} failed");
        Prism::start(&out)
    }

    fn ok<T: std::fmt::Debug, E: std::fmt::Debug>(what: &str, prism: &Prism, r: Result<T, E>) -> T {
        match r {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e:?}\n--- Prism log ---\n{}", prism.log_text()),
        }
    }

    /// GitHub: a search query with spaces, `:`, `>` and `+`; a path parameter holding `/`; a
    /// release asset (`*/*`) sent as raw bytes with its own content type, to the client's base
    /// URL (the operation's `uploads.github.com` server is not used once the client points
    /// elsewhere).
    #[tokio::test]
    async fn github() {
        let p = prism(
            "github-api.github.com-3.0-progenitor-snapshot.json",
            &[
                "search/repos",
                "repos/get-content",
                "repos/upload-release-asset",
                "activity/mark-notifications-as-read",
            ],
        );
        let client = github::Client::builder()
            .base_url(p.base_url())
            .build()
            .expect("client");
        let found = client
            .search_repos("tetris language:assembly stars:>1 c++")
            .per_page(5)
            .send()
            .await;
        let found = ok("search/repos", &p, found);
        assert!(found.total_count >= 0);
        const GH: &str = "GitHub (3.0, whole document)";
        record(
            GH,
            "search/repos",
            "query `q` with spaces, `:`, `>` and `+` (`tetris language:assembly stars:>1 c++`)",
            "accepted (200)",
            &format!(
                "SearchReposResponse: total_count {}, {} items",
                found.total_count,
                found.items.len()
            ),
        );
        let content = client
            .repos_get_content("octo", "hello", "docs/a b/README.md")
            .send()
            .await;
        let content = ok("repos/get-content", &p, content);
        record(
            GH,
            "repos/get-content",
            "path parameter holding `/` and a space (`docs/a b/README.md`)",
            "accepted (200)",
            variant_name(&format!("{content:?}")),
        );
        let asset = client
            .repos_upload_release_asset("octo", "hello", 1, "asset.zip")
            .body(FilePart::new(b"PK\x03\x04zip".to_vec()).content_type("application/zip"))
            .send()
            .await;
        let asset = ok("repos/upload-release-asset", &p, asset);
        record(
            GH,
            "repos/upload-release-asset",
            "`*/*` upload sent as raw bytes with the caller's content type (`application/zip`)",
            "accepted (201)",
            &format!("ReleaseAsset: id {}, name {:?}", asset.id, asset.name),
        );
        // 202 with a body beside 205 without one: an enum decoded by status.
        let marked = client.activity_mark_notifications_as_read().send().await;
        let which = match ok("activity/mark-notifications-as-read", &p, marked) {
            github::operations::ActivityMarkNotificationsAsReadResponse::Accepted(_) => {
                "Accepted (202, its body)"
            }
            github::operations::ActivityMarkNotificationsAsReadResponse::ResetContent => {
                "ResetContent (205, no body)"
            }
            other => panic!("undeclared success: {other:?}"),
        };
        record(
            GH,
            "activity/mark-notifications-as-read",
            "two success statuses, 202 with a body and 205 without: an enum by status",
            "accepted",
            which,
        );
    }

    /// OpenAI (3.1): multipart uploads (a file part with its file name and type, enum and text
    /// parts) and a binary (`application/octet-stream`) response decoded as bytes.
    #[tokio::test]
    async fn openai() {
        let p = prism(
            "openai-2.3.0-3.1.yaml",
            &["createFile", "createTranscription", "createSpeech"],
        );
        let client = openai::Client::builder()
            .base_url(p.base_url())
            .api_key_auth("sk-test")
            .build()
            .expect("client");
        let file = FilePart::new(b"{\"prompt\": \"a\", \"completion\": \"b\"}\n".to_vec())
            .filename("train.jsonl")
            .content_type("application/jsonl");
        let req = openai::types::CreateFileRequest::new(
            file,
            openai::types::CreateFileRequestPurpose::FineTune,
        );
        let created = client.create_file(req).send().await;
        let created = ok("createFile", &p, created);
        const OAI: &str = "OpenAI (3.1, whole document)";
        record(
            OAI,
            "createFile",
            "multipart: a file part with file name and type, an enum part",
            "accepted (200)",
            &format!("OpenAIFile: id {:?}, bytes {}", created.id, created.bytes),
        );
        let audio = FilePart::new(vec![0u8; 64])
            .filename("hello.mp3")
            .content_type("audio/mpeg");
        let mut req = openai::types::CreateTranscriptionRequest::new(
            audio,
            openai::types::CreateTranscriptionRequestModel::String("whisper-1".into()),
        );
        req.language = Some("en".into());
        req.temperature = Some(0.2);
        let text = client.create_transcription(req).send().await;
        let text = ok("createTranscription", &p, text);
        record(
            OAI,
            "createTranscription",
            "multipart: an audio file part, a `oneOf` string/enum part, text and number parts",
            "accepted (200)",
            variant_name(&format!("{text:?}")),
        );
    }

    /// Swagger 2.0 `formData`: the required fields are required arguments of the form struct, sent
    /// as `application/x-www-form-urlencoded`.
    #[tokio::test]
    async fn slack_form_data() {
        let p = prism("slack-web-api-2.0.json", &["admin_conversations_create"]);
        let client = slack::Client::builder()
            .base_url(p.base_url())
            .slack_auth("xoxp-test")
            .build()
            .expect("client");
        let mut form = slack::types::AdminConversationsCreateRequest::new("general chat", false);
        form.description = Some("a + b = c & d".into());
        let r = client
            .admin_conversations_create("xoxp-test", form)
            .send()
            .await;
        let r = ok("admin_conversations_create", &p, r);
        record(
            "Slack (Swagger 2.0, whole document)",
            "admin_conversations_create",
            "`formData`: required fields as required arguments, a value with `+` and `&`, sent as `application/x-www-form-urlencoded`",
            "accepted (200)",
            variant_name(&format!("{r:?}")),
        );
    }

    mod stripe {
        //! Stripe's form bodies and deepObject queries, sent through the runtime with the specs the
        //! generator writes for them (checked against the generated text below).
        use sdkwright_runtime::__private as rt;

        pub static BEARER_AUTH: rt::SecurityScheme = rt::SecurityScheme::bearer("bearerAuth");

        pub static GET_TAX_RATES: rt::OperationSpec = rt::get("GetTaxRates", "/v1/tax_rates")
            .params(&[
                rt::query("active"),
                rt::query("created").style(rt::Style::DeepObject),
                rt::query("ending_before"),
                rt::query("expand").style(rt::Style::DeepObject),
                rt::query("inclusive"),
                rt::query("limit"),
                rt::query("starting_after"),
            ])
            .body(rt::BodyFormat::Form)
            .response(rt::ResponseFormat::Json)
            .security(&[&[&BEARER_AUTH]]);

        pub static POST_TAX_RATES: rt::OperationSpec = rt::post("PostTaxRates", "/v1/tax_rates")
            .body(rt::BodyFormat::form_deep_object())
            .response(rt::ResponseFormat::Json)
            .security(&[&[&BEARER_AUTH]]);

        /// The generated Stripe client (restricted to these operations), as text.
        pub const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/wire_stripe.rs.txt"));
    }

    /// The variant (or type) name a `Debug` text starts with.
    fn variant_name(debug: &str) -> &str {
        debug
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or(debug)
    }

    fn squash(s: &str) -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join("")
            .replace(",]", "]")
    }

    fn stripe_calls(
        base: &str,
    ) -> (
        sdkwright_runtime::Client,
        sdkwright_runtime::__private::Request,
        sdkwright_runtime::__private::Request,
    ) {
        use sdkwright_runtime::__private as rt;
        let client = sdkwright_runtime::Client::builder(base)
            .credential(
                "bearerAuth",
                sdkwright_runtime::Credential::bearer("sk_test_x"),
            )
            .build()
            .expect("client");
        let list = rt::Request::new(&stripe::GET_TAX_RATES)
            .param(
                "created",
                &serde_json::json!({"gte": 1700000000, "lt": 1800000000}),
            )
            .param("expand", &["data.tax_rate", "data.owner"])
            .param("limit", &3);
        let create = rt::Request::new(&stripe::POST_TAX_RATES).body(&serde_json::json!({
            "display_name": "VAT + GST",
            "inclusive": false,
            "percentage": 20.5,
            "metadata": {"region": "EU & UK", "code": "a/b"},
            "expand": ["jurisdiction"],
        }));
        (client, list, create)
    }

    /// The specs sent below are the ones the generator writes for Stripe's document.
    #[test]
    fn stripe_specs_are_the_generated_ones() {
        let generated = squash(stripe::GENERATED);
        assert!(
            !generated.is_empty(),
            "build.rs did not generate the Stripe client"
        );
        for piece in [
            r#"rt::query("created").style(rt::Style::DeepObject)"#,
            r#"rt::query("expand").style(rt::Style::DeepObject)"#,
            r#"rt::post("PostTaxRates","/v1/tax_rates").body(rt::BodyFormat::form_deep_object())"#,
        ] {
            assert!(generated.contains(&squash(piece)), "not generated: {piece}");
        }
    }

    /// Prism's verdict on a request sent through the runtime: `Ok` when it passed validation. A 500
    /// whose `sl-violations` are all about the *response* means Prism accepted the request but the
    /// response it made up from the schema (Stripe's documents have no examples) failed the
    /// schema's own `pattern`: the request is still accepted.
    fn accepted(
        what: &str,
        p: &Prism,
        r: Result<
            sdkwright_runtime::__private::Response,
            sdkwright_runtime::Error<sdkwright_runtime::ErrorMetadata>,
        >,
    ) -> Option<serde_json::Value> {
        match r {
            Ok(resp) => Some(ok(
                what,
                p,
                resp.decode::<serde_json::Value, sdkwright_runtime::ErrorMetadata>(),
            )),
            Err(sdkwright_runtime::Error::Api(meta)) if meta.status == 500 => {
                let violations = meta.header("sl-violations").unwrap_or("[]");
                let v: serde_json::Value = serde_json::from_str(violations).unwrap_or_default();
                let items = v.as_array().cloned().unwrap_or_default();
                assert!(
                    !items.is_empty() && items.iter().all(|i| i["location"][0] == "response"),
                    "{what}: Prism refused the request: {violations}\n{}",
                    p.log_text()
                );
                None
            }
            Err(e) => panic!("{what}: {e:?}\n--- Prism log ---\n{}", p.log_text()),
        }
    }

    /// Stripe: Prism accepts the nested form body (`metadata[k]`, `expand[0]`) and the deepObject
    /// query (`created[gte]`, `expand[0]`).
    #[tokio::test]
    async fn stripe_over_prism() {
        // Success responses only: Stripe's error model references most of its schemas.
        let p = prism_cut(
            "stripe-spec3-2023-09-3.0.yaml",
            &["PostTaxRates", "GetTaxRates"],
            true,
        );
        let (client, list, create) = stripe_calls(p.base_url());
        let r = client
            .execute::<sdkwright_runtime::ErrorMetadata>(list)
            .await;
        const STRIPE: &str =
            "Stripe (3.0, whole document; specs checked against the generated ones)";
        let stripe_verdict = |v: &Option<serde_json::Value>, what: &str| {
            match v {
            Some(v) => (
                "accepted (200)".to_owned(),
                format!("{what}: object {}", v["object"]),
            ),
            None => (
                "accepted (request valid; Prism's own made-up response failed the schema's `pattern`: 500 with response-only violations)".to_owned(),
                "not judged (no example in the document)".to_owned(),
            ),
        }
        };
        let listed = accepted("GetTaxRates", &p, r);
        if let Some(list) = &listed {
            assert_eq!(list["object"], "list");
        }
        let (verdict, decoded) = stripe_verdict(&listed, "list");
        record(
            STRIPE,
            "GetTaxRates",
            "deepObject query `created[gte]`, `expand[0]`",
            &verdict,
            &decoded,
        );
        let r = client
            .execute::<sdkwright_runtime::ErrorMetadata>(create)
            .await;
        let rate = accepted("PostTaxRates", &p, r);
        if let Some(rate) = &rate {
            assert_eq!(rate["object"], "tax_rate");
        }
        let (verdict, decoded) = stripe_verdict(&rate, "tax_rate");
        record(
            STRIPE,
            "PostTaxRates",
            "nested form body `metadata[k]`, `expand[0]`, `+`, `&`, `/` in values",
            &verdict,
            &decoded,
        );
        // A wrong body is refused: the check above can fail.
        let bad = sdkwright_runtime::__private::Request::new(&stripe::POST_TAX_RATES)
            .body(&serde_json::json!({"percentage": "not a number"}));
        let r = client
            .execute::<sdkwright_runtime::ErrorMetadata>(bad)
            .await;
        match r {
            Err(sdkwright_runtime::Error::Api(meta)) => assert_eq!(meta.status, 422),
            other => panic!("Prism accepted a body without display_name: {other:?}"),
        }
        record(
            STRIPE,
            "PostTaxRates (invalid body)",
            "the check can fail: no `display_name`, a string `percentage`",
            "rejected (422)",
            "Error::Api, status 422",
        );
    }

    /// What Prism cannot judge (it accepts `expand=a&expand=b` as well): the bytes are what
    /// Stripe's own libraries send (stripe-go's `form` package: nested keys in brackets, list items
    /// by index).
    #[tokio::test]
    async fn stripe_raw_bytes_match_the_official_sdk() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = tokio::spawn(async move {
            let mut seen = Vec::new();
            for _ in 0..2 {
                let (mut sock, _) = listener.accept().await.expect("accept");
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = sock.read(&mut chunk).await.expect("read");
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len || n == 0 {
                            break;
                        }
                    }
                    if n == 0 {
                        break;
                    }
                }
                sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                .await
                .expect("write");
                seen.push(String::from_utf8_lossy(&buf).to_string());
            }
            seen
        });
        let (client, list, create) = stripe_calls(&base);
        client
            .execute::<sdkwright_runtime::ErrorMetadata>(list)
            .await
            .expect("list");
        client
            .execute::<sdkwright_runtime::ErrorMetadata>(create)
            .await
            .expect("create");
        let seen = server.await.expect("server");
        let request_line = seen[0].lines().next().unwrap_or_default();
        assert_eq!(
            request_line,
            "GET /v1/tax_rates?created%5Bgte%5D=1700000000&created%5Blt%5D=1800000000\
         &expand%5B0%5D=data.tax_rate&expand%5B1%5D=data.owner&limit=3 HTTP/1.1"
        );
        let (head, body) = seen[1].split_once("\r\n\r\n").expect("a body");
        assert!(head
            .to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"));
        assert_eq!(
            body,
            "display_name=VAT+%2B+GST&inclusive=false&percentage=20.5\
         &metadata%5Bregion%5D=EU+%26+UK&metadata%5Bcode%5D=a%2Fb&expand%5B0%5D=jurisdiction"
        );
        record(
            "Stripe (3.0)",
            "GetTaxRates, PostTaxRates (raw bytes)",
            "what Prism cannot judge (it accepts `expand=a&expand=b` too): query and form bytes",
            "not Prism: a loopback server recorded the bytes",
            "equal to what stripe-go sends (brackets, list indices)",
        );
    }
}
