//! `sdkwright semver` on two real versions of one vendor's document (OpenAI's of June 2023,
//! OpenAPI 3.0, and its 2.3.0, OpenAPI 3.1) from the shared corpus, read in place; and the
//! command's exit status and JSON.
//!
//! The changes asserted were found by hand in the two documents: `/edits` (`createEdit`) and
//! `/engines` (`listEngines`) are gone; `ChatCompletionResponseMessage.role` lists only
//! `assistant` now (it listed system, user, assistant, function); each of
//! `CreateChatCompletionResponse.choices` now requires `index`; `CreateChatCompletionRequest.model`
//! was a string and is now a reference to `ModelIdsShared`; `createResponse` is new.

use std::path::{Path, PathBuf};
use std::process::Command;

use sdkwright::semver::{compare, Level, Version};
use sdkwright::Generator;

fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SDKWRIGHT_SPECS_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/specs-corpus"))
        .find(|p| p.is_dir())
}

fn openai() -> Option<(PathBuf, PathBuf)> {
    let Some(c) = corpus() else {
        eprintln!("skipped: no shared/specs-corpus beside the repository");
        return None;
    };
    let dir = c.join("openapi");
    Some((
        dir.join("openai-2023-06-3.0.yaml"),
        dir.join("openai-2.3.0-3.1.yaml"),
    ))
}

#[test]
fn openai_2023_06_to_2_3_0() {
    let Some((old, new)) = openai() else { return };
    let r = compare(&Generator::new(&old), &Generator::new(&new)).unwrap();
    let text = r.to_text();
    let find = |kind: &str, path: &str| {
        r.changes
            .iter()
            .find(|c| c.kind == kind && c.path == path)
            .unwrap_or_else(|| panic!("no {kind} {path} in the report"))
    };
    let c = find("operation_removed", "Client::create_edit");
    assert_eq!(c.level, Level::Major);
    assert_eq!(
        c.note.as_deref(),
        Some("operation `createEdit`, POST /edits")
    );
    find("operation_removed", "Client::list_engines");
    find("type_removed", "types::CreateEditRequest");
    for role in ["System", "User", "Function"] {
        let c = find(
            "variant_removed",
            &format!("types::ChatCompletionResponseMessageRole::{role}"),
        );
        assert_eq!(c.level, Level::Major);
    }
    let c = find(
        "field_became_required",
        "types::CreateChatCompletionResponseChoicesItem.index",
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("Option<i64>"), Some("i64"))
    );
    let c = find(
        "field_type_changed",
        "types::CreateChatCompletionRequest.model",
    );
    assert_eq!(c.old.as_deref(), Some("String"));
    assert!(
        c.new.as_deref().unwrap_or("").contains("ModelIdsShared"),
        "{c:?}"
    );
    let c = find("operation_added", "Client::create_response");
    assert_eq!(c.level, Level::Minor);
    // Operations both versions have with the same signature are not reported.
    assert!(!r.changes.iter().any(|c| c.path == "Client::list_models"));
    assert_eq!(r.required, Level::Major);
    let v = |s: &str| s.parse::<Version>().unwrap();
    assert!(r.check(&v("1.0.0"), &v("1.1.0")).is_err());
    assert!(r.check(&v("0.3.0"), &v("0.3.1")).is_err());
    assert!(r.check(&v("0.3.0"), &v("0.4.0")).is_ok());
    assert!(text.contains("required bump: major"));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const V1: &str = "openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      responses: {'204': {description: none}}
  /pets/{id}:
    delete:
      operationId: deletePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: none}}
";

#[test]
fn the_command_gates_a_release_on_the_bump() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "v1.yaml", V1);
    let cut = V1.split("  /pets/{id}:").next().unwrap();
    let new = write(dir.path(), "v2.yaml", cut);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sdkwright"))
            .arg("semver")
            .args([&old, &new])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--current-version", "1.4.0", "--next-version", "1.5.0"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("operation removed: Client::delete_pet"),
        "{stdout}"
    );
    assert!(stdout.contains("NOT enough"), "{stdout}");
    let out = run(&["--current-version", "1.4.0", "--next-version", "2.0.0"]);
    assert_eq!(out.status.code(), Some(0));
    // No versions: a report, exit 0.
    assert_eq!(run(&[]).status.code(), Some(0));
    // One version alone is a usage error.
    assert_eq!(run(&["--next-version", "2.0.0"]).status.code(), Some(2));
    let out = run(&[
        "--report-format",
        "json",
        "--current-version",
        "0.2.0",
        "--next-version",
        "0.2.1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["required"], "major");
    assert_eq!(v["check"]["enough"], false);
    assert_eq!(v["check"]["needed"], "0.3.0");
    assert!(v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["kind"] == "operation_removed" && c["path"] == "Client::delete_pet"));
}

#[test]
fn a_project_file_rename_keeps_a_renamed_operation_compatible() {
    let dir = tempfile::tempdir().unwrap();
    let old_dir = dir.path().join("old");
    let new_dir = dir.path().join("new");
    std::fs::create_dir_all(&old_dir).unwrap();
    std::fs::create_dir_all(&new_dir).unwrap();
    let old = write(&old_dir, "api.yaml", V1);
    let new = write(&new_dir, "api.yaml", &V1.replace("deletePet", "removePet"));
    let r = compare(&Generator::new(&old), &Generator::new(&new)).unwrap();
    let removed = r
        .changes
        .iter()
        .find(|c| c.kind == "operation_removed")
        .unwrap();
    let note = removed.note.clone().unwrap();
    assert!(
        note.contains("[rename.operations] removePet = \"delete_pet\""),
        "{note}"
    );
    // The hint, applied: nothing changes any more.
    write(
        &new_dir,
        "sdkwright.toml",
        "[rename.operations]\nremovePet = \"delete_pet\"\n",
    );
    let r = compare(&Generator::new(&old), &Generator::new(&new)).unwrap();
    assert!(r.changes.is_empty(), "{}", r.to_text());
    assert_eq!(r.required, Level::Patch);
}
