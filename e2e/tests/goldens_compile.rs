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
    // A date default is applied too (a plain field read as it when absent).
    assert_eq!(
        page.items[0].born,
        sdkwright_runtime::Date::from_ymd_opt(2020, 1, 1).unwrap()
    );
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

/// `structured-defaults`: defaults of struct, union, date-time, date, UUID, any-value and map
/// fields are applied in a received type; one that cannot be written (a bad date-time, bytes, an
/// object missing a required property, a default that contains itself) stays optional.
#[test]
fn struct_union_date_and_uuid_defaults_are_read() {
    use sdkwright_runtime::Nullable;
    use serde_json::json;
    use structured_defaults::types::{NewSettings, Node, Settings, Shape};

    let s: Settings = serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(s, Settings::default());
    assert_eq!(s.window.width, 640);
    // `Window` is sent too (by `NewSettings`): its own default stays optional.
    assert_eq!(s.window.height, None);
    assert_eq!(s.window.title, Nullable::Null);
    let extra = s.window.extra.as_ref().expect("extra");
    assert_eq!(extra.get("theme").map(String::as_str), Some("dark"));
    assert!(matches!(&s.shape, Shape::Circle(c) if c.radius == 1.5));
    // A value no alternative takes: the fallback, as a response would decode it.
    assert!(matches!(&s.odd, Shape::Unknown(v) if **v == json!({"sides": 5})));
    assert_eq!(s.since.to_rfc3339(), "2020-01-01T00:00:00+00:00");
    assert_eq!(
        s.day,
        sdkwright_runtime::Date::from_ymd_opt(2024, 2, 29).unwrap()
    );
    assert_eq!(s.id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(*s.meta, json!({"any": [1, true]}));
    assert_eq!(s.labels.get("b"), Some(&2));
    // Written as its bits (clippy takes 3.14159 for a mistyped π), read back exactly.
    assert_eq!(s.ratio.to_string(), "3.14159");
    assert_eq!((s.later, s.blob, s.partial), (None, None, None));

    // Values the server sends are read as sent.
    let s: Settings = serde_json::from_value(json!({
        "window": {"width": 1},
        "shape": {"side": 2},
        "since": "2021-06-01T10:00:00+02:00",
        "ratio": 1
    }))
    .expect("decodes");
    assert_eq!(
        (s.window.width, s.window.title.clone()),
        (1, Nullable::Absent)
    );
    assert!(matches!(&s.shape, Shape::Square(q) if q.side == 2.0));
    assert_eq!(s.since.to_rfc3339(), "2021-06-01T08:00:00+00:00");
    assert_eq!(s.ratio, 1.0);

    // A default that would contain itself is not applied: an absent `next` is `None`.
    let n: Node = serde_json::from_value(json!({"label": "a"})).expect("decodes");
    assert!(n.next.is_none());

    // Sent: nothing filled in, nothing sent.
    let sent = serde_json::to_value(NewSettings::new()).expect("encodes");
    assert_eq!(sent, json!({}));
}

/// `ref-siblings-chain-3-1`: a `$ref` whose target is itself a `$ref` with siblings merges the
/// siblings of every level (`Cat` -> `Dog` -> `Pet`), through a plain reference in the middle
/// (`Kitten` -> `Alias` -> `Cat`), as an `allOf` member (`Litter`), and with recursion through
/// properties (`Node`).
#[test]
fn chained_3_1_refs_with_siblings_merge_every_level() {
    use ref_siblings_chain_3_1::types::{GetCatResponse, Kitten, Litter, Node};
    use serde_json::json;

    let err =
        serde_json::from_value::<GetCatResponse>(json!({"name": "Tom", "breed": "x", "lives": 9}))
            .unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let err = serde_json::from_value::<GetCatResponse>(json!({"id": 1, "name": "Tom", "lives": 9}))
        .unwrap_err();
    assert!(err.to_string().contains("missing field `breed`"), "{err}");
    let cat: GetCatResponse =
        serde_json::from_value(json!({"id": 1, "name": "Tom", "breed": "x", "lives": 9}))
            .expect("decodes");
    assert_eq!((cat.id, cat.breed.as_str(), cat.lives), (1, "x", 9));

    let kitten = Kitten::new("Tom", "x", 9);
    assert_eq!(
        serde_json::to_value(&kitten).expect("encodes"),
        json!({"name": "Tom", "breed": "x", "lives": 9})
    );
    let litter: Litter =
        serde_json::from_value(json!({"name": "a", "breed": "b", "lives": 1, "age": 2, "size": 3}))
            .expect("decodes");
    assert_eq!((litter.age, litter.size), (Some(2), Some(3)));

    let node: Node = serde_json::from_value(json!({
        "id": "root", "created": "today",
        "children": [{"id": "leaf", "parent": {"id": "root"}}]
    }))
    .expect("decodes");
    let leaf = &node.children.as_ref().expect("children")[0];
    assert_eq!(leaf.parent.as_ref().map(|p| p.id.as_str()), Some("root"));
    assert!(serde_json::from_value::<Node>(json!({"created": "x"})).is_err());
}

/// `one-value-params`: required parameters of one allowed value (`const`, a one-member `enum`) in
/// the path, query, a header and a cookie are sent with it, with no argument; an optional one
/// is sent only when set. Asserted on the request as it would go on the wire.
#[tokio::test]
async fn one_value_parameters_are_sent_without_being_asked_for() {
    use one_value_params::types::GetPetExpand;
    use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    use serde_json::json;

    let fake = FakeTransport::new()
        .reply(FakeResponse::json(200, json!({"id": 7})))
        .reply(FakeResponse::json(200, json!({"id": 7})));
    let client = one_value_params::Client::builder()
        .base_url("https://api.test")
        .transport(fake.clone())
        .build()
        .expect("a client");
    let pet = client.get_pet(7).send().await.expect("sent");
    assert_eq!(pet.id, Some(7));
    client
        .get_pet(7)
        .expand(GetPetExpand::Owner)
        .send()
        .await
        .expect("sent");

    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    let first = &sent[0];
    assert_eq!(first.method.as_str(), "GET");
    assert_eq!(first.path(), "/v2/pets/7");
    assert_eq!(
        first.url.query(),
        Some("format=full&pretty=true&limit=10"),
        "{}",
        first.url
    );
    assert_eq!(first.header("x-api-version"), Some("2024-01-01"));
    assert_eq!(first.header("cookie"), Some("session=anonymous"));
    assert_eq!(
        sent[1].url.query(),
        Some("format=full&pretty=true&limit=10&expand=owner")
    );
}

/// A JSON Patch body given the object schema of merge patches (Kubernetes) is sent as the
/// array RFC 6902 asks for, with its own content type; the merge patch stays an object.
#[tokio::test]
async fn json_patch_bodies_are_arrays_of_operations() {
    use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    use serde_json::json;

    let fake = FakeTransport::new()
        .reply(FakeResponse::new(200))
        .reply(FakeResponse::new(200));
    let client = json_patch_object_schema::Client::builder()
        .base_url("https://api.test")
        .transport(fake.clone())
        .build()
        .expect("a client");
    let merge = json_patch_object_schema::types::Patch::from([(
        "metadata".to_owned(),
        json!({"labels": {"app": "web"}}),
    )]);
    client
        .patch_pod("web-0", merge.clone())
        .send()
        .await
        .expect("sent");
    let ops = vec![
        json!({"op": "replace", "path": "/metadata/labels/app", "value": "api"}),
        json!({"op": "remove", "path": "/spec/nodeName"}),
    ];
    client
        .patch_pod("web-0", merge)
        .body_json_patch(ops.clone())
        .send()
        .await
        .expect("sent");

    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].method.as_str(), "PATCH");
    assert_eq!(
        sent[0].header("content-type"),
        Some("application/merge-patch+json")
    );
    assert_eq!(
        sent[0].body_json(),
        Some(json!({"metadata": {"labels": {"app": "web"}}}))
    );
    assert_eq!(sent[1].path(), "/pods/web-0");
    assert_eq!(
        sent[1].header("content-type"),
        Some("application/json-patch+json")
    );
    assert_eq!(sent[1].body_json(), Some(json!(ops)));
}

/// `nullable-defaults`: in a received type, a nullable field whose default is not `null` reads
/// as the default when absent, as `None` when `null` and as the value when given (an `Option`,
/// `Some` of the default when absent); one whose default is `null`, or cannot be written, keeps
/// its three states; in a sent type the default is only documented and absent stays absent.
#[test]
fn nullable_fields_with_a_default_read_absent_as_the_default() {
    use nullable_defaults::types::{Limits, Mode, NewLimits, Window};
    use sdkwright_runtime::Nullable;
    use serde_json::json;

    let l: Limits = serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(l.rate, Some(100));
    assert_eq!(l.name.as_deref(), Some("anonymous"));
    assert_eq!(l.mode, Some(Mode::Fast));
    // The object default, with its own absent nullable field at that field's default.
    assert_eq!(
        l.window,
        Some(Window {
            width: 640,
            label: Some("untitled".to_owned())
        })
    );
    assert_eq!(l.cleared, Nullable::Absent);
    assert_eq!(l.since, Nullable::Absent);
    assert_eq!(l.plain, Nullable::Absent);
    assert_eq!(l, Limits::default());

    let l: Limits = serde_json::from_value(json!({
        "rate": null, "name": null, "mode": null, "window": null,
        "cleared": null, "since": null, "plain": null
    }))
    .expect("decodes");
    assert_eq!((l.rate, l.name, l.mode, l.window), (None, None, None, None));
    assert_eq!(
        (l.cleared, l.since, l.plain),
        (Nullable::Null, Nullable::Null, Nullable::Null)
    );

    let l: Limits = serde_json::from_value(json!({
        "rate": 5, "name": "x", "mode": "slow", "window": {"width": 1, "label": null},
        "cleared": "y", "plain": 7
    }))
    .expect("decodes");
    assert_eq!((l.rate, l.name.as_deref()), (Some(5), Some("x")));
    assert_eq!(l.mode, Some(Mode::Slow));
    assert_eq!(
        l.window,
        Some(Window {
            width: 1,
            label: None
        })
    );
    assert_eq!(
        (&l.cleared, &l.plain),
        (&Nullable::Value("y".to_owned()), &Nullable::Value(7))
    );
    // Written back as read: `None` as `null`, so decoding it again gives the same value.
    let again: Limits =
        serde_json::from_value(serde_json::to_value(&l).expect("encodes")).expect("decodes");
    assert_eq!(again, l);
    let none = Limits {
        rate: None,
        ..Limits::default()
    };
    let written = serde_json::to_value(&none).expect("encodes");
    assert_eq!(written["rate"], json!(null));
    assert_eq!(
        serde_json::from_value::<Limits>(written).expect("decodes"),
        none
    );

    // Sent: the default is not filled in, absent is not sent.
    assert_eq!(
        serde_json::to_value(NewLimits::new()).expect("encodes"),
        json!({})
    );
    let explicit = NewLimits {
        rate: Nullable::Null,
    };
    assert_eq!(
        serde_json::to_value(explicit).expect("encodes"),
        json!({"rate": null})
    );
}

/// `nullable-defaults-derived`: the same reading of nullable fields with a default when the type
/// derives serde's traits (it is also received as XML, so it is not read by `json_struct!`):
/// absent reads as the default, `null` as `None`, a value as itself, through the generated client
/// for a JSON and an XML response; a `null` default keeps the three states.
#[tokio::test]
async fn nullable_defaults_apply_to_derived_types_in_json_and_xml() {
    use nullable_defaults_derived::types::Limits;
    use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    use sdkwright_runtime::Nullable;
    use serde_json::json;

    let xml = |body: &str| {
        FakeResponse::new(200)
            .header("content-type", "application/xml")
            .body(body.to_owned())
    };
    let fake = FakeTransport::new()
        .reply(FakeResponse::json(200, json!({})))
        .reply(FakeResponse::json(
            200,
            json!({"rate": null, "name": null, "cleared": null, "plain": null}),
        ))
        .reply(FakeResponse::json(
            200,
            json!({"rate": 5, "name": "x", "cleared": "y", "plain": 7}),
        ))
        .reply(xml("<limits></limits>"))
        .reply(xml(
            "<limits><rate>5</rate><name>x</name><cleared>y</cleared><plain>7</plain></limits>",
        ));
    let client = nullable_defaults_derived::Client::builder()
        .base_url("https://api.test")
        .transport(fake.clone())
        .build()
        .expect("a client");

    let absent = client.get_limits().send().await.expect("absent fields");
    assert_eq!(absent.rate, Some(100));
    assert_eq!(absent.name.as_deref(), Some("anonymous"));
    assert_eq!(
        (&absent.cleared, &absent.plain),
        (&Nullable::Absent, &Nullable::Absent)
    );
    assert_eq!(absent, Limits::default());

    let null = client.get_limits().send().await.expect("null fields");
    assert_eq!((null.rate, null.name.as_deref()), (None, None));
    assert_eq!(
        (&null.cleared, &null.plain),
        (&Nullable::Null, &Nullable::Null)
    );

    let given = client.get_limits().send().await.expect("given fields");
    assert_eq!((given.rate, given.name.as_deref()), (Some(5), Some("x")));
    assert_eq!(
        (&given.cleared, &given.plain),
        (&Nullable::Value("y".to_owned()), &Nullable::Value(7))
    );

    let absent_xml = client
        .get_limits()
        .send()
        .await
        .expect("absent XML elements");
    assert_eq!(absent_xml, Limits::default());
    let given_xml = client
        .get_limits()
        .send()
        .await
        .expect("given XML elements");
    assert_eq!(given_xml, given);
    assert_eq!(fake.remaining(), 0);
}

/// `several-success-statuses`: each declared success status decodes into its own variant, a 204
/// beside a 200 with a body included (no body, not a decode error), and an undeclared 2xx keeps
/// its status.
#[tokio::test]
async fn each_success_status_decodes_into_its_variant_and_204_has_no_body() {
    use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    use serde_json::json;
    use several_success_statuses::operations::PutJobResponse;

    let fake = FakeTransport::new()
        .reply(FakeResponse::json(200, json!({"id": "j1"})))
        .reply(FakeResponse::json(202, json!({"ticket": "t9"})))
        .reply(FakeResponse::new(204))
        .reply(FakeResponse::new(206));
    let client = several_success_statuses::Client::builder()
        .base_url("https://api.test")
        .transport(fake.clone())
        .build()
        .expect("a client");
    match client.put_job().send().await.expect("200") {
        PutJobResponse::Ok(job) => assert_eq!(job.id.as_deref(), Some("j1")),
        other => panic!("not the 200: {other:?}"),
    }
    match client.put_job().send().await.expect("202") {
        PutJobResponse::Accepted(t) => assert_eq!(t.ticket.as_deref(), Some("t9")),
        other => panic!("not the 202: {other:?}"),
    }
    let no_content = client.put_job().send().await.expect("204");
    assert!(
        matches!(no_content, PutJobResponse::NoContent),
        "{no_content:?}"
    );
    let other = client.put_job().send().await.expect("206");
    assert!(matches!(other, PutJobResponse::Other(206)), "{other:?}");
    assert_eq!(fake.requests().len(), 4);
}

/// `oneof-discriminator`: a tagged union writes the variant's own tag, whatever the member's tag
/// field holds, so a caller cannot send a tag that contradicts the variant; a tag no variant
/// names decodes into the fallback.
#[test]
fn a_tagged_union_sends_its_variants_tag() {
    use oneof_discriminator::types::{Cat, Pet};
    use serde_json::json;

    let cat = Pet::Cat(Cat {
        pet_type: "dog".to_owned(),
        name: "Tom".to_owned(),
        indoor: None,
    });
    assert_eq!(
        serde_json::to_value(&cat).expect("encodes"),
        json!({"petType": "cat", "name": "Tom"})
    );
    let back: Pet =
        serde_json::from_value(json!({"petType": "dog", "name": "Rex"})).expect("a dog");
    assert!(matches!(&back, Pet::Dog(d) if d.name == "Rex"), "{back:?}");
    let new: Pet =
        serde_json::from_value(json!({"petType": "bird", "name": "Tweety"})).expect("decodes");
    assert!(
        matches!(&new, Pet::Unknown(v) if v["petType"] == "bird"),
        "{new:?}"
    );
}

/// `value-enums`: integer, number and boolean enums decode into their variants, keep a value
/// the document does not list in the fallback, and are written back as the same JSON value.
#[test]
fn integer_number_and_boolean_enums_have_an_unknown_fallback() {
    use serde_json::json;
    use value_enums::types::{AlwaysTrue, Priority, Ratio};

    let p: Priority = serde_json::from_value(json!(-1)).expect("decodes");
    assert_eq!(p, Priority::Minus1);
    let p: Priority = serde_json::from_value(json!(7)).expect("decodes");
    assert_eq!(p, Priority::Unknown(7));
    assert_eq!(serde_json::to_value(p).expect("encodes"), json!(7));
    assert_eq!(
        serde_json::to_value(Priority::V2).expect("encodes"),
        json!(2)
    );
    assert!(serde_json::from_value::<Priority>(json!("2")).is_err());

    let r: Ratio = serde_json::from_value(json!(2.5)).expect("decodes");
    assert_eq!(r, Ratio::V2_5);
    assert_eq!(
        serde_json::from_value::<Ratio>(json!(1)).expect("decodes"),
        Ratio::V1_0
    );
    assert_eq!(
        serde_json::from_value::<Ratio>(json!(0.25)).expect("decodes"),
        Ratio::Unknown(0.25)
    );

    assert_eq!(
        serde_json::from_value::<AlwaysTrue>(json!(true)).expect("decodes"),
        AlwaysTrue::True
    );
    let f: AlwaysTrue = serde_json::from_value(json!(false)).expect("decodes");
    assert_eq!(f, AlwaysTrue::Unknown(false));
    assert_eq!(serde_json::to_value(f).expect("encodes"), json!(false));
}

/// `read-write-only`: one type for requests and responses; a required `readOnly` property (set
/// by the server) is not asked for when sending, and a required `writeOnly` one (never sent
/// back) is not missing when a response leaves it out.
#[test]
fn read_only_and_write_only_properties_are_not_required() {
    use read_write_only::types::Account;
    use serde_json::json;

    let mut new = Account::new("a@example.com");
    new.password = Some("hunter2".to_owned());
    assert_eq!(
        serde_json::to_value(&new).expect("encodes"),
        json!({"email": "a@example.com", "password": "hunter2"})
    );
    let got: Account = serde_json::from_value(json!({
        "id": "u1", "email": "a@example.com", "createdAt": "2024-01-01T00:00:00Z"
    }))
    .expect("a response without the write-only password decodes");
    assert_eq!((got.id.as_deref(), got.password), (Some("u1"), None));
    assert!(got.created_at.is_some());
    // Still required: the plain one.
    let err = serde_json::from_value::<Account>(json!({"id": "u1"})).unwrap_err();
    assert!(err.to_string().contains("missing field `email`"), "{err}");
}

/// `vendor-json`: vendor JSON media types (`application/vnd.api+json` request, `hal+json`
/// response, `problem+json` error) are JSON: the body is sent as JSON under its own content
/// type, and responses in them decode into their types.
#[tokio::test]
async fn vendor_json_media_types_are_sent_and_read_as_json() {
    use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    use serde_json::json;
    use vendor_json::types::Article;

    let fake = FakeTransport::new()
        .reply(
            FakeResponse::new(201)
                .header("content-type", "application/hal+json")
                .body(json!({"id": 3, "title": "Hi"}).to_string()),
        )
        .reply(
            FakeResponse::new(422)
                .header("content-type", "application/problem+json")
                .body(json!({"title": "too short", "status": 422}).to_string()),
        );
    let client = vendor_json::Client::builder()
        .base_url("https://api.test")
        .transport(fake.clone())
        .build()
        .expect("a client");
    let made = client
        .create_article(Article::new("Hi"))
        .send()
        .await
        .expect("201");
    assert_eq!((made.id, made.title.as_str()), (Some(3), "Hi"));
    match client.create_article(Article::new("")).send().await {
        Err(vendor_json::Error::Api(e)) if e.status() == 422 => {
            assert_eq!(e.body().and_then(|p| p.title.as_deref()), Some("too short"))
        }
        other => panic!("not the typed 422: {other:?}"),
    }
    let sent = fake.requests();
    assert_eq!(
        sent[0].header("content-type"),
        Some("application/vnd.api+json")
    );
    assert_eq!(sent[0].body_json(), Some(json!({"title": "Hi"})));
}

/// `operation-servers`: a path (or operation) with `servers` of its own is sent to that host
/// while the client uses the document's default base URL (Stripe's files host, GitHub's uploads
/// host), and to the client's base URL when the caller chose one (a mock server, a proxy), with
/// the operation's path after it, as on the wire.
#[tokio::test]
async fn an_operation_with_its_own_server_is_sent_to_that_host() {
    use operation_servers::Client;
    use sdkwright_runtime::test_util::{FakeResponse, FakeTransport};
    use sdkwright_runtime::FilePart;

    let fake = FakeTransport::new()
        .reply(FakeResponse::new(204))
        .reply(FakeResponse::new(204));
    let default = Client::builder()
        .transport(fake.clone())
        .build()
        .expect("a client with the document's base URL");
    default
        .upload_file(FilePart::new(&b"abc"[..]))
        .send()
        .await
        .expect("204 from the files host");
    let mocked = Client::builder()
        .base_url("http://127.0.0.1:4010/mock")
        .transport(fake.clone())
        .build()
        .expect("a client with the caller's base URL");
    mocked
        .upload_file(FilePart::new(&b"abc"[..]))
        .send()
        .await
        .expect("204 from the mock");
    let sent = fake.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].url.as_str(), "https://files.example.com/v1/files");
    assert_eq!(sent[0].body.as_ref(), b"abc");
    assert_eq!(sent[1].url.as_str(), "http://127.0.0.1:4010/mock/v1/files");
}
