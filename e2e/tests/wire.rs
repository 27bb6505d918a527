//! Bodies and parameters on the wire, against Prism (`--errors`: every request is validated
//! against the document) for clients generated from whole documents of the shared corpus,
//! restricted by `--only` to the operations under test (see `build.rs`). Prism is served a copy
//! of each document cut to those operations (`scripts/cut-openapi.py`): it cannot load GitHub's
//! or OpenAI's whole documents in reasonable time.
//!
//! Needs the corpus (`../shared/specs-corpus` or `SDKWRIGHT_SPECS_CORPUS`), `npm ci` (Prism) and
//! Python with PyYAML; without the corpus this file compiles to nothing.
#![cfg(wire_corpus)]
#![allow(unreachable_pub, unused_imports, dead_code)]

use std::path::PathBuf;
use std::process::Command;

use sdkwright_e2e::{repo_root, Prism};
use sdkwright_runtime::FilePart;

mod github {
    include!(concat!(env!("OUT_DIR"), "/wire_github.rs"));
}
mod openai {
    include!(concat!(env!("OUT_DIR"), "/wire_openai.rs"));
}
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
    let out = std::env::temp_dir().join(format!(
        "sdkwright-wire-{}-{}.json",
        std::process::id(),
        doc.replace('.', "-")
    ));
    let status = Command::new("python3")
        .arg(repo_root().join("scripts/cut-openapi.py"))
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
    let content = client
        .repos_get_content("octo", "hello", "docs/a b/README.md")
        .send()
        .await;
    ok("repos/get-content", &p, content);
    let asset = client
        .repos_upload_release_asset("octo", "hello", 1, "asset.zip")
        .body(FilePart::new(b"PK\x03\x04zip".to_vec()).content_type("application/zip"))
        .send()
        .await;
    ok("repos/upload-release-asset", &p, asset);
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
    ok("createFile", &p, created);
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
    ok("createTranscription", &p, text);
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
    ok("admin_conversations_create", &p, r);
}
