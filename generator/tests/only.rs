//! `--only OPERATION`: the named operations and the types they reach, nothing else.

use std::path::Path;

use sdkwright::{Error, Generator};

fn petstore() -> Generator {
    Generator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/petstore.yaml"))
}

fn file<'a>(out: &'a sdkwright::Output, name: &str) -> &'a str {
    out.files
        .iter()
        .find(|f| f.path == Path::new(name))
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn keeps_the_named_operations_and_their_types() {
    let whole = petstore().generate().expect("whole");
    let out = petstore()
        .only_operation("getPetById")
        .only_operation("getInventory")
        .generate()
        .expect("restricted");
    let ops = file(&out, "src/operations.rs");
    assert!(ops.contains("static GET_PET_BY_ID"));
    assert!(ops.contains("static GET_INVENTORY"));
    assert!(!ops.contains("static LIST_PETS"));
    let types = file(&out, "src/types.rs");
    // `Pet` is the response of getPetById and reaches `Category`; `NewPet` is no longer used.
    assert!(types.contains("pub struct Pet "));
    assert!(types.contains("pub struct Category "));
    assert!(!types.contains("pub struct NewPet "));
    assert!(types.len() < file(&whole, "src/types.rs").len());
    // The option is recorded in the header, so the crate can be regenerated the same way.
    assert!(ops.contains("--only getPetById --only getInventory"));
}

#[test]
fn an_unknown_operation_is_an_error() {
    match petstore().only_operation("noSuchOperation").generate() {
        Err(Error::Invalid { diagnostics }) => {
            assert!(diagnostics
                .iter()
                .any(|d| d.code == "options::unknown_operation"));
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}
