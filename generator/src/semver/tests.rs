//! One small pair of documents per rule.

use super::*;
use std::path::Path;

/// An OpenAPI document with these `paths` and `components.schemas` (YAML, indented to fit).
fn doc(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Pets, version: 1.0.0}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n"
    )
}

const PET: &str = "    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        tag: {type: string}
";

const GET_PET: &str = "  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
";

fn report(old: &str, new: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    compare(&Generator::new(&a), &Generator::new(&b)).unwrap()
}

fn find<'r>(r: &'r Report, kind: &str, path: &str) -> &'r Change {
    r.changes
        .iter()
        .find(|c| c.kind == kind && c.path == path)
        .unwrap_or_else(|| panic!("no {kind} {path} in\n{}", r.to_text()))
}

#[test]
fn the_same_document_is_a_patch() {
    let d = doc(GET_PET, PET);
    let r = report(&d, &d);
    assert!(r.changes.is_empty(), "{}", r.to_text());
    assert_eq!(r.required, Level::Patch);
}

#[test]
fn a_removed_operation_is_major() {
    let list = "  /pets:
    get:
      operationId: listPets
      responses: {'204': {description: none}}
";
    let r = report(&doc(&format!("{GET_PET}{list}"), PET), &doc(GET_PET, PET));
    let c = find(&r, "operation_removed", "Client::list_pets");
    assert_eq!(c.level, Level::Major);
    assert_eq!(
        c.note.as_deref(),
        Some("operation `listPets`, GET /pets"),
        "{}",
        r.to_text()
    );
    // Its builder went with it.
    find(&r, "type_removed", "operations::ListPets");
    assert_eq!(r.required, Level::Major);
}

#[test]
fn a_renamed_operation_is_a_removal_and_an_addition_with_a_hint() {
    let renamed = GET_PET.replace("getPet", "fetchPet");
    let r = report(&doc(GET_PET, PET), &doc(&renamed, PET));
    let c = find(&r, "operation_removed", "Client::get_pet");
    let note = c.note.as_deref().unwrap_or("");
    assert!(note.contains("renamed to `fetch_pet`"), "{note}");
    assert!(
        note.contains("[rename.operations] fetchPet = \"get_pet\""),
        "{note}"
    );
    assert_eq!(
        find(&r, "operation_added", "Client::fetch_pet").level,
        Level::Minor
    );
}

#[test]
fn an_added_operation_or_type_alone_is_minor() {
    let more = "  /health:
    get:
      operationId: health
      responses: {'204': {description: none}}
";
    let schemas = format!(
        "{PET}    Owner:\n      type: object\n      properties:\n        name: {{type: string}}\n"
    );
    let r = report(
        &doc(GET_PET, PET),
        &doc(&format!("{GET_PET}{more}"), &schemas),
    );
    find(&r, "operation_added", "Client::health");
    find(&r, "type_added", "types::Owner");
    assert_eq!(r.required, Level::Minor, "{}", r.to_text());
    // The parts of a new type are not listed one by one.
    assert!(!r
        .changes
        .iter()
        .any(|c| c.path.starts_with("types::Owner.")));
}

#[test]
fn removed_types_and_fields_are_major() {
    let schemas = format!(
        "{PET}    Owner:\n      type: object\n      properties:\n        name: {{type: string}}\n"
    );
    let no_tag = PET.replace("        tag: {type: string}\n", "");
    let r = report(&doc(GET_PET, &schemas), &doc(GET_PET, &no_tag));
    assert_eq!(find(&r, "type_removed", "types::Owner").level, Level::Major);
    let c = find(&r, "field_removed", "types::Pet.tag");
    assert_eq!(c.old.as_deref(), Some("Option<String>"));
}

#[test]
fn a_field_that_becomes_required_changes_its_type_and_the_constructor() {
    let required = PET.replace("required: [id]", "required: [id, tag]");
    let r = report(&doc(GET_PET, PET), &doc(GET_PET, &required));
    let c = find(&r, "field_became_required", "types::Pet.tag");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("Option<String>"), Some("String"))
    );
    assert_eq!(c.level, Level::Major);
    // Every field required: no `new()` any more (struct literal only), no `Default`.
    find(&r, "method_removed", "types::Pet::new");
    // And back: optional again.
    let r = report(&doc(GET_PET, &required), &doc(GET_PET, PET));
    find(&r, "field_became_optional", "types::Pet.tag");
}

#[test]
fn a_changed_field_type_is_major() {
    let s = PET.replace("tag: {type: string}", "tag: {type: integer}");
    let r = report(&doc(GET_PET, PET), &doc(GET_PET, &s));
    let c = find(&r, "field_type_changed", "types::Pet.tag");
    assert_eq!(c.new.as_deref(), Some("Option<i64>"));
}

#[test]
fn an_added_field_is_major_because_structs_are_built_with_literals() {
    let s = format!("{PET}        name: {{type: string}}\n");
    let r = report(&doc(GET_PET, PET), &doc(GET_PET, &s));
    let c = find(&r, "field_added", "types::Pet.name");
    assert_eq!(c.level, Level::Major);
    assert!(c.note.as_deref().unwrap_or("").contains("struct literal"));
}

#[test]
fn enum_variants_removed_are_major_added_are_minor_for_non_exhaustive_enums() {
    let e =
        |values: &str| format!("{PET}    Status:\n      type: string\n      enum: [{values}]\n");
    let r = report(&doc(GET_PET, &e("a, b")), &doc(GET_PET, &e("a, c")));
    assert_eq!(
        find(&r, "variant_removed", "types::Status::B").level,
        Level::Major
    );
    let c = find(&r, "variant_added", "types::Status::C");
    assert_eq!(
        c.level,
        Level::Minor,
        "generated enums are #[non_exhaustive]"
    );
    assert!(r
        .changes
        .iter()
        .all(|c| c.path != "types::Status" || c.kind != "type_changed"));
}

#[test]
fn a_union_alternative_added_is_major_unions_are_exhaustive() {
    let u = |refs: &str| {
        format!(
            "{PET}    Cat:\n      type: object\n      properties:\n        purr: {{type: boolean}}\n    Dog:\n      type: object\n      properties:\n        bark: {{type: boolean}}\n    Bird:\n      type: object\n      properties:\n        sing: {{type: boolean}}\n    Animal:\n      oneOf: [{refs}]\n"
        )
    };
    let two = "{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}";
    let r = report(
        &doc(GET_PET, &u(two)),
        &doc(
            GET_PET,
            &u(&format!("{two}, {{$ref: '#/components/schemas/Bird'}}")),
        ),
    );
    let c = find(&r, "variant_added", "types::Animal::Bird");
    assert_eq!(c.level, Level::Major, "{}", r.to_text());
    // A union of one alternative is an alias: becoming a union changes the item, and its
    // variants are not listed one by one.
    let r = report(
        &doc(GET_PET, &u("{$ref: '#/components/schemas/Cat'}")),
        &doc(GET_PET, &u(two)),
    );
    let c = find(&r, "type_changed", "types::Animal");
    assert_eq!(c.new.as_deref(), Some("pub enum Animal"));
    assert!(!r
        .changes
        .iter()
        .any(|c| c.path.starts_with("types::Animal::")));
}

#[test]
fn parameters_added_as_required_or_becoming_required_change_the_method() {
    let with_limit = |required: bool| {
        GET_PET.replace(
            "        - {name: id, in: path, required: true, schema: {type: integer}}\n",
            &format!("        - {{name: id, in: path, required: true, schema: {{type: integer}}}}\n        - {{name: limit, in: query, required: {required}, schema: {{type: integer, format: int32}}}}\n"),
        )
    };
    // A new required parameter.
    let r = report(&doc(GET_PET, PET), &doc(&with_limit(true), PET));
    let c = find(&r, "operation_signature_changed", "Client::get_pet");
    assert_eq!(c.level, Level::Major);
    assert!(
        c.note
            .as_deref()
            .unwrap_or("")
            .contains("argument `limit: i32` added"),
        "{c:?}"
    );
    // A new optional one is a setter: minor.
    let r = report(&doc(GET_PET, PET), &doc(&with_limit(false), PET));
    assert_eq!(
        find(&r, "method_added", "operations::GetPet::limit").level,
        Level::Minor
    );
    assert_eq!(r.required, Level::Minor, "{}", r.to_text());
    // Optional → required: the setter goes, the method takes it.
    let r = report(&doc(&with_limit(false), PET), &doc(&with_limit(true), PET));
    let c = find(&r, "operation_signature_changed", "Client::get_pet");
    assert!(
        c.note
            .as_deref()
            .unwrap_or("")
            .contains("parameter `limit` of `get_pet` became required"),
        "{c:?}"
    );
    find(&r, "method_removed", "operations::GetPet::limit");
}

#[test]
fn a_generated_crate_folder_compares_equal_to_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("pets.yaml");
    std::fs::write(&spec, doc(GET_PET, PET)).unwrap();
    let out = dir.path().join("crate");
    Generator::new(&spec).write_crate(&out).unwrap();
    let r = compare(&Generator::new(&out), &Generator::new(&spec)).unwrap();
    assert!(r.changes.is_empty(), "{}", r.to_text());
    let no_tag = PET.replace("        tag: {type: string}\n", "");
    std::fs::write(&spec, doc(GET_PET, &no_tag)).unwrap();
    let r = compare(&Generator::new(&out), &Generator::new(&spec)).unwrap();
    find(&r, "field_removed", "types::Pet.tag");
}

#[test]
fn versions_follow_cargo_rules() {
    let v = |s: &str| s.parse::<Version>().unwrap();
    assert!(v("1.2.3").allows(&v("2.0.0"), Level::Major).is_ok());
    assert!(v("1.2.3").allows(&v("1.3.0"), Level::Major).is_err());
    assert!(v("1.2.3").allows(&v("1.3.0"), Level::Minor).is_ok());
    assert!(v("1.2.3").allows(&v("1.2.4"), Level::Minor).is_err());
    assert!(v("1.2.3").allows(&v("1.2.4"), Level::Patch).is_ok());
    // 0.x: the minor acts as major, the patch as minor.
    assert!(v("0.3.1").allows(&v("0.3.2"), Level::Major).is_err());
    assert!(v("0.3.1").allows(&v("0.4.0"), Level::Major).is_ok());
    assert!(v("0.3.1").allows(&v("0.3.2"), Level::Minor).is_ok());
    assert!(v("0.0.3").allows(&v("0.0.4"), Level::Major).is_ok());
    // Not after the current one.
    assert!(v("1.2.3").allows(&v("1.2.3"), Level::Patch).is_err());
    assert_eq!(v("0.3.1").bumped(Level::Major), v("0.4.0"));
    assert_eq!(v("1.3.1").bumped(Level::Minor), v("1.4.0"));
    assert_eq!(v("0.3.1").bumped(Level::Minor), v("0.3.2"));
    let e = v("1.2.3").allows(&v("1.3.0"), Level::Major).unwrap_err();
    assert!(e.contains("2.0.0"), "{e}");
    for bad in ["1.2", "1.2.3-beta", "01.2.3", "x.y.z", ""] {
        assert!(bad.parse::<Version>().is_err(), "{bad}");
    }
}

#[test]
fn json_has_the_level_and_every_change() {
    let no_tag = PET.replace("        tag: {type: string}\n", "");
    let r = report(&doc(GET_PET, PET), &doc(GET_PET, &no_tag));
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["required"], "major");
    let changes = v["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["kind"] == "field_removed"
        && c["path"] == "types::Pet.tag"
        && c["level"] == "major"));
}

#[test]
fn text_normalisation() {
    let t: syn::Type = syn::parse_str("Option<super::types::Pet>").unwrap();
    assert_eq!(text(&t), "Option<types::Pet>");
    let t: syn::Type = syn::parse_str("impl FnOnce(rt::CallOptions) -> rt::CallOptions").unwrap();
    assert_eq!(text(&t), "impl FnOnce(rt::CallOptions) -> rt::CallOptions");
    let t: syn::Type = syn::parse_str("::std::collections::BTreeMap<String, Vec<i64>>").unwrap();
    assert_eq!(text(&t), "::std::collections::BTreeMap<String, Vec<i64>>");
    let t: syn::Type = syn::parse_str("impl rt::Interceptor + 'static").unwrap();
    assert_eq!(text(&t), "impl rt::Interceptor + 'static");
}

#[test]
fn graphql_and_wsdl_documents_compare_too() {
    // GraphQL: a field dropped from an operation's selection leaves its result type.
    let dir = tempfile::tempdir().unwrap();
    let side = |name: &str, query: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("schema.graphql"),
            "type Query { now: String!, zone: String }\n",
        )
        .unwrap();
        std::fs::write(d.join("q.graphql"), query).unwrap();
        std::fs::write(
            d.join("sdkwright.toml"),
            "[graphql]\noperations = [\"q.graphql\"]\n",
        )
        .unwrap();
        Generator::new(d.join("schema.graphql"))
    };
    let old = side("old", "query Now { now zone }\n");
    let new = side("new", "query Now { now }\n");
    let r = compare(&old, &new).unwrap();
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == "field_removed" && c.path.ends_with(".zone")),
        "{}",
        r.to_text()
    );
    assert_eq!(r.required, Level::Major);
    // WSDL: the calculator without its `Reset` operation (in the portType and the binding).
    let calc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/calculator.wsdl");
    let mut text = std::fs::read_to_string(&calc).unwrap();
    while let Some(start) = text.find("<wsdl:operation name=\"Reset\">") {
        let len = text[start..].find("</wsdl:operation>").unwrap() + "</wsdl:operation>".len();
        text.replace_range(start..start + len, "");
    }
    let cut = dir.path().join("calculator.wsdl");
    std::fs::write(&cut, text).unwrap();
    let r = compare(&Generator::new(&calc), &Generator::new(&cut)).unwrap();
    let c = r
        .changes
        .iter()
        .find(|c| c.kind == "operation_removed")
        .unwrap_or_else(|| panic!("{}", r.to_text()));
    assert_eq!(c.path, "Client::reset");
    assert_eq!(
        c.note.as_deref(),
        Some("operation `Reset`"),
        "no route for SOAP"
    );
}

/// An enum that becomes an alias of an identical one (the generator writes a type identical to
/// an earlier one as `pub type B = A;`) is no type change; a variant it lost is still reported.
#[test]
fn a_type_that_becomes_an_alias_of_an_identical_one_is_no_change() {
    let schemas = |owner_values: &str| {
        format!(
            "{PET}    Owner:\n      type: object\n      properties:\n        status: {{type: string, enum: [{owner_values}]}}\n    Keeper:\n      type: object\n      properties:\n        status: {{type: string, enum: [open, closed]}}\n"
        )
    };
    let r = report(
        &doc(GET_PET, &schemas("open, closed, archived")),
        &doc(GET_PET, &schemas("open, closed")),
    );
    let changed: Vec<_> = r
        .changes
        .iter()
        .map(|c| (c.kind, c.path.as_str()))
        .collect();
    assert!(
        changed
            .iter()
            .any(|(k, p)| *k == "variant_removed" && p.ends_with("OwnerStatus::Archived")),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|(k, _)| *k == "type_changed" || *k == "type_removed"),
        "becoming an alias of an identical enum is not a type change: {changed:?}"
    );
}
