//! The project file's renames, operation selection, per-operation overrides and type mappings,
//! through the library (the petstore, copied beside an `sdkwright.toml`) and the command
//! (located errors).

use std::path::{Path, PathBuf};
use std::process::Command;

use sdkwright::{Error, Generator};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A folder holding `api.yaml` (the petstore) and `sdkwright.toml` with `toml`.
fn project(toml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("api.yaml");
    std::fs::copy(repo().join("specs/petstore.yaml"), &spec).unwrap();
    std::fs::write(dir.path().join("sdkwright.toml"), toml).unwrap();
    (dir, spec)
}

/// The single-file client generated for `toml`.
fn code(toml: &str) -> String {
    let (_dir, spec) = project(toml);
    let out = Generator::new(&spec).generate_single_file().unwrap();
    out.files[0].contents.clone()
}

/// The diagnostics of a refused generation.
fn refused(toml: &str) -> Vec<sdkwright::Diagnostic> {
    let (_dir, spec) = project(toml);
    match Generator::new(&spec).generate_single_file() {
        Err(Error::Invalid { diagnostics }) => diagnostics,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn renames_change_rust_names_not_wire_names() {
    let (_dir, spec) = project("[rename]\ntypes = { Cat = \"Kitty\" }\n");
    let out = Generator::new(&spec).generate_single_file().unwrap();
    assert!(out.files[0].contents.contains("pub struct Kitty {"));
    assert!(
        out.diagnostics.is_empty(),
        "a rename the user asked for is not a collision: {:?}",
        out.diagnostics
    );
    let c = code(
        "[rename]\noperations = { listPets = \"pets\" }\ntypes = { Pet = \"Animal\" }\nfields = { \"Pet.tag\" = \"label\" }\n",
    );
    assert!(c.contains("pub fn pets(&self"), "method renamed");
    assert!(c.contains("pub struct Pets {"), "its builder follows");
    assert!(!c.contains("pub fn list_pets("));
    assert!(c.contains("pub struct Animal {"));
    assert!(!c.contains("pub struct Pet {"));
    // The document's own `Animal` (a union) yields to the user's choice.
    assert!(c.contains("pub enum Animal2 {"));
    assert!(c.contains("pub label: Option<String>"));
    // Through `json_struct!(Animal { opt label = "tag", … })` (or a serde rename in an XML API).
    let words = c.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("opt label = \"tag\"") || words.contains("#[serde(rename = \"tag\")]"),
        "the wire name stays `tag`"
    );
    // The operation's wire identity is unchanged.
    assert!(c.contains("\"listPets\""));
}

#[test]
fn a_rename_of_something_the_document_lacks_is_located_in_the_file() {
    let d = refused("# pets\n[rename]\noperations = { listPetz = \"pets\" }\n");
    let e = d
        .iter()
        .find(|d| d.code == "options::unknown_rename")
        .unwrap();
    assert!(e.message.contains("listPetz"), "{e}");
    let loc = e.location.as_ref().unwrap();
    assert!(loc.file.ends_with("sdkwright.toml"), "{e}");
    assert_eq!(loc.line, Some(3), "{e}");
    let d = refused("[rename]\nfields = { \"Pet.colour\" = \"c\" }\n");
    assert!(d
        .iter()
        .any(|d| d.message.contains("type `Pet` has no field `colour`")));
    let d = refused("[rename]\ntypes = { Dragon = \"Wyvern\" }\n");
    assert!(d.iter().any(|d| d.message.contains("no type `Dragon`")));
    // Not an identifier: refused when the file is read, at the value.
    let d = refused("[rename]\ntypes = { Pet = \"not valid\" }\n");
    assert_eq!(d[0].code, "project::invalid");
    assert_eq!(d[0].location.as_ref().unwrap().line, Some(2));
}

#[test]
fn include_and_exclude_select_operations_by_id_tag_and_path() {
    let c = code("[operations]\ninclude = [\"tag:store\", \"getPetById\"]\n");
    assert!(c.contains("pub fn get_inventory(&self"));
    assert!(c.contains("pub fn get_pet_by_id(&self"));
    assert!(!c.contains("pub fn list_pets(&self"));
    assert!(!c.contains("pub fn add_animal(&self"));
    let c = code("[operations]\nexclude = [\"path:/pets/**\", \"tag:misc\"]\n");
    assert!(c.contains("pub fn list_pets(&self"), "/pets itself is kept");
    assert!(!c.contains("pub fn get_pet_by_id(&self"));
    assert!(!c.contains("pub fn get_animal(&self"));
    assert!(c.contains("pub fn get_inventory(&self"));
    // `*` stays within one segment.
    let c = code("[operations]\ninclude = [\"path:/pets/*\"]\n");
    assert!(c.contains("pub fn get_pet_by_id(&self"));
    assert!(!c.contains("pub fn list_pets(&self"));
    assert!(
        !c.contains("pub fn reserve_pet(&self"),
        "/pets/{{petId}}/reserve"
    );
    // An unknown operationId is an error at its line; a tag that matches nothing a warning.
    let d = refused("[operations]\ninclude = [\n  \"tag:store\",\n  \"nope\",\n]\n");
    let e = d
        .iter()
        .find(|d| d.code == "options::unknown_operation")
        .unwrap();
    assert_eq!(e.location.as_ref().unwrap().line, Some(4), "{e}");
    let (_dir, spec) = project("[operations]\nexclude = [\"tag:nobody\"]\n");
    let out = Generator::new(&spec).generate_single_file().unwrap();
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "options::pattern_matches_nothing"));
}

#[test]
fn per_operation_overrides_set_a_timeout_and_pagination() {
    let c = code(
        "[operations.overrides.getInventory]\ntimeout = \"90s\"\n\n[operations.overrides.listPets]\npaginate = \"off\"\n",
    );
    let compact: String = c.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains("rt::Call::new(&self.inner).timeout_ms(90000)"),
        "the builder starts with the operation's timeout"
    );
    assert_eq!(c.matches("timeout_ms(").count(), 1, "only that operation");
    let d = refused("[operations.overrides.nope]\ntimeout = \"1s\"\n");
    assert!(d
        .iter()
        .any(|d| d.code == "options::unknown_operation" && d.message.contains("nope")));
    let d = refused("[operations.overrides.listPets]\ntimeout = \"soon\"\n");
    assert_eq!(d[0].code, "project::invalid");
    assert_eq!(d[0].location.as_ref().unwrap().line, Some(2));
    // And from Rust.
    let out = Generator::new(repo().join("specs/petstore.yaml"))
        .operation_timeout("getInventory", std::time::Duration::from_millis(1500))
        .generate_single_file()
        .unwrap();
    assert!(out.files[0].contents.contains("timeout_ms(1500)"));
}

#[test]
fn type_mappings_for_formats_and_scalars() {
    let c = code("[types]\nformats = { uuid = \"String\", date = \"::std::string::String\" }\n");
    assert!(c.contains("pub chip_id: Option<String>"), "uuid mapped");
    assert!(c.contains("pub birth_date: Option<::std::string::String>"));
    assert!(
        c.contains("pub created_at: Option<::sdkwright_runtime::DateTime>"),
        "unmapped"
    );
    let d = refused("[types]\nformats = { uuid = \"not a type\" }\n");
    assert_eq!(d[0].code, "project::invalid");
    // From Rust and from the command line, the same.
    let out = Generator::new(repo().join("specs/petstore.yaml"))
        .format_type("uuid", "String")
        .generate_single_file()
        .unwrap();
    assert!(out.files[0]
        .contents
        .contains("pub chip_id: Option<String>"));
    // GraphQL scalars under [types] as under [graphql].
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("s.graphql");
    std::fs::write(&schema, "scalar DateTime\ntype Query { now: DateTime! }\n").unwrap();
    std::fs::write(dir.path().join("q.graphql"), "query Now { now }\n").unwrap();
    std::fs::write(
        dir.path().join("sdkwright.toml"),
        "[graphql]\noperations = [\"q.graphql\"]\n[types]\nscalars = { DateTime = \"u64\" }\n",
    )
    .unwrap();
    let out = Generator::new(&schema).generate_single_file().unwrap();
    assert!(out.files[0].contents.contains("pub now: u64"));
}

#[test]
fn flags_win_over_the_file() {
    let (dir, spec) = project("[rename]\noperations = { listPets = \"pets\" }\n");
    let out_dir = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_sdkwright"))
        .args(["generate", spec.to_str().unwrap(), "--out"])
        .arg(&out_dir)
        .args(["--rename", "op:listPets=all_pets", "--include", "listPets"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let client = std::fs::read_to_string(out_dir.join("src/client.rs")).unwrap();
    assert!(client.contains("pub fn all_pets(&self"), "{client}");
    assert!(!client.contains("pub fn pets(&self"));
    assert!(!client.contains("pub fn get_pet_by_id(&self"));
    // A bad value on the command line is a usage error.
    let o = Command::new(env!("CARGO_BIN_EXE_sdkwright"))
        .args(["check", spec.to_str().unwrap(), "--rename", "op:listPets"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
