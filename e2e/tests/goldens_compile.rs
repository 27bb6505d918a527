//! The golden outputs compile, not only diff: `build.rs` generates every case of
//! generator/tests/golden/ (the inputs `generator/tests/golden.rs` checks against the expected
//! files) and includes each as a module here. Warnings are errors, so an unused import, a
//! deprecated use or a bad doc link in generated code fails this test's build; `cargo clippy
//! --all-targets -- -D warnings` (CI step 4) runs clippy's lints over the same code.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/goldens.rs"));

/// Every case folder was compiled: a case that build.rs skipped (or a new folder it does not
/// see) fails here, rather than passing untested.
#[test]
fn every_golden_case_is_compiled() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/golden");
    let mut on_disk: Vec<String> = std::fs::read_dir(&root)
        .expect("generator/tests/golden")
        .map(|e| e.expect("a golden case").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, CASES);
    assert!(CASES.len() >= 30, "only {} golden cases", CASES.len());
}

/// `allof-union`: an `allOf` of a union and an object (OpenAI's Responses WebSocket events,
/// `allOf: [{anyOf: [events]}, {properties: {stream_id}}]`) keeps the union, flattened beside
/// the object's properties; the members are told apart by the `type` each pins, not by which
/// comes first (a delta event has every field the done event requires).
#[test]
fn allof_of_a_union_and_an_object_decodes_each_member_with_its_properties() {
    use allof_union::types::{LabelledShape, Shape, StreamEvent, StreamEventVariant};
    use serde_json::json;

    let delta = json!({
        "type": "response.audio.delta",
        "sequence_number": 12,
        "delta": "UklGRiQAAABXQVZFZm10IBAAAAABAAEA",
        "stream_id": "agent_1"
    });
    let event: StreamEvent = serde_json::from_value(delta.clone()).expect("a delta event");
    match &event.variant {
        StreamEventVariant::AudioDelta(d) => {
            assert_eq!(
                (d.sequence_number, d.delta.as_str()),
                (12, "UklGRiQAAABXQVZFZm10IBAAAAABAAEA")
            )
        }
        other => panic!("not the delta: {other:?}"),
    }
    assert_eq!(event.stream_id.as_deref(), Some("agent_1"));
    assert_eq!(serde_json::to_value(&event).expect("serialize"), delta);

    let done = json!({"type": "response.audio.done", "sequence_number": 13});
    let event: StreamEvent = serde_json::from_value(done.clone()).expect("a done event");
    assert!(matches!(&event.variant, StreamEventVariant::AudioDone(d) if d.sequence_number == 13));
    assert_eq!(event.stream_id, None);
    assert_eq!(serde_json::to_value(&event).expect("serialize"), done);

    // An event type added later: kept as JSON, the lane still read.
    let later = json!({"type": "response.queued", "sequence_number": 1, "stream_id": "b"});
    let event: StreamEvent = serde_json::from_value(later).expect("an unknown event");
    assert!(
        matches!(&event.variant, StreamEventVariant::Unknown(v) if v["type"] == "response.queued")
    );
    assert_eq!(event.stream_id.as_deref(), Some("b"));

    // A referenced tagged union beside a required property, both ways.
    let square = json!({"kind": "square", "side": 2.5, "label": "tile"});
    let shape: LabelledShape = serde_json::from_value(square.clone()).expect("a labelled shape");
    assert!(matches!(&shape.shape, Shape::Square(s) if s.side == 2.5));
    assert_eq!(shape.label, "tile");
    assert_eq!(serde_json::to_value(&shape).expect("serialize"), square);
    let missing = serde_json::from_value::<LabelledShape>(json!({"kind": "circle", "radius": 1}));
    assert!(missing.is_err(), "the label is required");
}

/// `schema-defaults`: a received type reads an absent field as its default (a plain field), and
/// `new()`/`Default` start there; a sent type keeps `Option`s (the server applies defaults) and
/// `new` fills in a one-value property.
#[test]
fn received_defaults_are_read_and_sent_ones_are_left_out() {
    use schema_defaults::types::{NewPet, Order, Page, Pet, Status};
    use serde_json::json;

    let page: Page = serde_json::from_value(json!({"items": [{}, {"name": "Rex", "score": 2}]}))
        .expect("decodes");
    assert_eq!(page.limit, 20);
    assert_eq!(page.order, Order::Asc);
    assert_eq!(page.items[0], Pet::default());
    assert_eq!(page.items[0].name, "unnamed");
    assert_eq!(page.items[0].status, Status::Available);
    assert_eq!(page.items[0].score, -1.5);
    assert!(page.items[0].tags.is_empty() && !page.items[0].vaccinated);
    assert_eq!(page.items[1].name, "Rex");
    assert_eq!(page.items[1].score, 2.0);
    // A value the server sends is read as sent, the default only fills in.
    let page: Page =
        serde_json::from_value(json!({"items": [], "limit": 5, "order": "desc"})).expect("decodes");
    assert_eq!((page.limit, page.order), (5, Order::Desc));

    let new = NewPet::new("Rex");
    assert_eq!(
        serde_json::to_value(&new).expect("encodes"),
        json!({"kind": "pet", "name": "Rex"})
    );
}

/// `ref-siblings-3-1`: `$ref` beside `required`/`properties` in an OpenAPI 3.1 document is an
/// `allOf` of both: the response `{$ref: Pet, required: [id]}` requires the id.
#[test]
fn a_3_1_ref_with_siblings_merges_them() {
    use ref_siblings_3_1::types::{CreatePetResponse, Dog};
    use serde_json::json;

    let err = serde_json::from_value::<CreatePetResponse>(json!({"name": "Rex"})).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let pet: CreatePetResponse =
        serde_json::from_value(json!({"id": 1, "name": "Rex"})).expect("decodes");
    assert_eq!((pet.id, pet.name.as_str()), (1, "Rex"));
    let dog = Dog::new("Rex", "collie");
    assert_eq!(
        serde_json::to_value(&dog).expect("encodes"),
        json!({"name": "Rex", "breed": "collie"})
    );
}
