//! Tests of the OpenAPI front end.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{lower, lower_document};
use crate::diag::Diagnostic;
use crate::ir::*;
use crate::load;
use crate::lowered::Lowered;

fn lower_str(text: &str) -> Lowered {
    let (doc, diags) = load::parse(Path::new("mem.yaml"), text.to_owned());
    lower_document(doc.expect("test document parses"), diags)
}

fn ty_named<'a>(api: &'a Api, name: &str) -> (TypeId, &'a TypeDef) {
    let i = api
        .types
        .iter()
        .position(|t| t.name.display() == name)
        .unwrap_or_else(|| panic!("no type {name}: {:?}", names(api)));
    (TypeId(i as u32), &api.types[i])
}

fn names(api: &Api) -> Vec<String> {
    api.types.iter().map(|t| t.name.display()).collect()
}

fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{} is not a struct: {other:?}", def.name.display()),
    }
}

fn field<'a>(def: &'a TypeDef, name: &str) -> &'a Field {
    fields(def)
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn no_errors(l: &Lowered) {
    let errs: Vec<&Diagnostic> = l.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errs.is_empty(), "unexpected errors: {errs:#?}");
}

const PETSTORE: &str = r##"
openapi: 3.0.3
info:
  title: Petstore
  version: 1.0.0
  description: A pet store.
servers:
  - url: https://{region}.example.com/v1
    variables:
      region: {default: eu}
  - url: /relative
security:
  - api_key: []
  - oauth1: []
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - name: limit
          in: query
          schema: {type: integer, format: int32}
        - name: tags
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string}}
        - name: filter
          in: query
          style: deepObject
          schema: {type: object, additionalProperties: {type: string}}
      responses:
        "200":
          description: pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
        4XX:
          description: client error
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Error"}
        default:
          description: other
    post:
      operationId: addPet
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string, format: uuid}
  /pets/{petId}:
    parameters:
      - name: petId
        in: path
        required: true
        schema: {type: string}
      - name: X-Trace
        in: header
        schema: {type: string}
    get:
      operationId: getPet
      parameters:
        - name: X-Trace
          in: header
          description: overridden
          schema: {type: integer}
        - name: verbose
          in: query
          schema: {type: boolean}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
    delete:
      deprecated: true
      security:
        - bearer: []
          api_key: []
        - {}
      responses:
        "204": {description: gone}
  /pets/{petId}/toys:
    parameters:
      - $ref: "#/components/parameters/PetId"
    get:
      responses:
        "200":
          description: toys
          content:
            text/plain:
              schema: {type: string}
    put:
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        default: {description: ok}
components:
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: string}}
  securitySchemes:
    api_key: {type: apiKey, in: header, name: X-API-Key}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: Basic}
    oauth: {type: oauth2, flows: {}}
    oauth1: {type: http, scheme: OAuth}
  schemas:
    Pet:
      type: object
      description: A pet.
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        status:
          type: string
          enum: [available, sold, available]
        tags:
          type: array
          items:
            type: object
            properties:
              label: {type: string}
        owner:
          type: object
          nullable: true
          properties:
            name: {type: string}
        born: {type: string, format: date}
        seen: {type: string, format: date-time}
        photo: {type: string, format: byte}
        weight: {type: number, format: float}
        height: {type: number}
        extra: {}
        old: {type: string, deprecated: true}
      additionalProperties: true
    Error:
      type: object
      properties:
        message: {type: string}
      additionalProperties: {type: integer}
    Id:
      type: string
    Names:
      type: array
      items: {type: string}
    Labels:
      type: object
      additionalProperties: {type: string}
"##;

#[test]
fn petstore_depth_lowering() {
    let l = lower_str(PETSTORE);
    no_errors(&l);
    // Only the unsupported OAuth 1 scheme is reported; the alternative needing it is dropped.
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["openapi::security_scheme_unsupported"]);
    let api = &l.api;
    assert_eq!(api.title, "Petstore");
    assert_eq!(api.version.as_deref(), Some("1.0.0"));
    assert_eq!(api.docs.as_deref(), Some("A pet store."));
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://eu.example.com/v1", "/relative"]);

    // Types.
    let (pet_id, pet) = ty_named(api, "Pet");
    assert_eq!(pet.docs.as_deref(), Some("A pet."));
    assert_eq!(pet.origin, "mem.yaml#/components/schemas/Pet");
    assert!(field(pet, "id").required);
    assert_eq!(field(pet, "id").ty, TypeRef::Primitive(Primitive::I64));
    assert!(!field(pet, "status").required);
    let TypeKind::Struct(s) = &pet.kind else {
        unreachable!()
    };
    assert_eq!(s.additional, Some(TypeRef::Any));
    let (status_id, status) = ty_named(api, "Pet_status");
    assert_eq!(
        status.name,
        Name::Derived(vec!["Pet".into(), "status".into()])
    );
    assert_eq!(field(pet, "status").ty, TypeRef::Named(status_id));
    let TypeKind::Enum(e) = &status.kind else {
        panic!()
    };
    let wires: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["available", "sold"]);
    let (item_id, _) = ty_named(api, "Pet_tags_item");
    assert_eq!(
        field(pet, "tags").ty,
        TypeRef::List(Box::new(TypeRef::Named(item_id)))
    );
    assert!(field(pet, "owner").nullable);
    ty_named(api, "Pet_owner");
    assert_eq!(field(pet, "born").ty, TypeRef::Primitive(Primitive::Date));
    assert_eq!(
        field(pet, "seen").ty,
        TypeRef::Primitive(Primitive::DateTime)
    );
    assert_eq!(
        field(pet, "photo").ty,
        TypeRef::Primitive(Primitive::Base64)
    );
    assert_eq!(field(pet, "weight").ty, TypeRef::Primitive(Primitive::F32));
    assert_eq!(field(pet, "height").ty, TypeRef::Primitive(Primitive::F64));
    assert_eq!(field(pet, "extra").ty, TypeRef::Any);
    assert!(field(pet, "old").deprecated);
    let (_, err) = ty_named(api, "Error");
    let TypeKind::Struct(s) = &err.kind else {
        panic!()
    };
    assert_eq!(s.additional, Some(TypeRef::Primitive(Primitive::I64)));
    assert!(matches!(
        ty_named(api, "Id").1.kind,
        TypeKind::Alias(TypeRef::Primitive(Primitive::String))
    ));
    assert!(matches!(
        &ty_named(api, "Names").1.kind,
        TypeKind::Alias(TypeRef::List(_))
    ));
    assert!(matches!(
        &ty_named(api, "Labels").1.kind,
        TypeKind::Alias(TypeRef::Map(_))
    ));

    // Security.
    let kinds: Vec<&SecurityKind> = api.security_schemes.iter().map(|s| &s.kind).collect();
    assert_eq!(
        kinds,
        [
            &SecurityKind::ApiKeyHeader {
                header: "X-API-Key".into()
            },
            &SecurityKind::Bearer,
            &SecurityKind::Basic,
            &SecurityKind::OAuth2 { flows: vec![] }
        ]
    );
    assert_eq!(
        api.default_security,
        vec![SecurityRequirement {
            schemes: vec![SchemeId(0)],
            scopes: vec![vec![]],
        }]
    );

    // Operations, in document order.
    let ops: Vec<(String, Method)> = api
        .operations
        .iter()
        .map(|o| (o.name.display(), o.method))
        .collect();
    assert_eq!(
        ops,
        [
            ("listPets".to_string(), Method::Get),
            ("addPet".into(), Method::Post),
            ("getPet".into(), Method::Get),
            ("delete_pets_pet_id".into(), Method::Delete),
            ("get_pets_pet_id_toys".into(), Method::Get),
            ("put_pets_pet_id_toys".into(), Method::Put),
        ]
    );
    let list = &api.operations[0];
    assert_eq!(list.tags, ["pets"]);
    assert_eq!(list.security, None);
    assert_eq!(list.params[0].ty, TypeRef::Primitive(Primitive::I32));
    assert_eq!(list.params[0].style, ParamStyle::FormExploded);
    assert_eq!(list.params[1].style, ParamStyle::Comma);
    assert_eq!(list.params[2].style, ParamStyle::DeepObject);
    assert_eq!(list.responses.len(), 3);
    assert_eq!(list.responses[0].status, StatusMatch::Code(200));
    assert_eq!(
        list.responses[0].ty,
        Some(TypeRef::List(Box::new(TypeRef::Named(pet_id))))
    );
    assert_eq!(list.responses[1].status, StatusMatch::Range(4));
    assert_eq!(
        list.responses[1].encoding,
        BodyEncoding::Json {
            media_type: "application/problem+json".into()
        }
    );
    assert_eq!(list.responses[2].status, StatusMatch::Default);
    assert_eq!(list.responses[2].ty, None);

    let add = &api.operations[1];
    assert_eq!(add.security, Some(vec![]));
    let body = add.body.as_ref().unwrap();
    assert!(body.required);
    let (req_id, req) = ty_named(api, "addPet_request");
    assert_eq!(body.ty, TypeRef::Named(req_id));
    assert!(field(req, "name").required);
    let (resp_id, _) = ty_named(api, "addPet_response");
    assert_eq!(add.responses[0].ty, Some(TypeRef::Named(resp_id)));

    let del = &api.operations[3];
    assert!(del.deprecated);
    assert_eq!(
        del.security,
        Some(vec![
            SecurityRequirement {
                schemes: vec![SchemeId(1), SchemeId(0)],
                scopes: vec![vec![], vec![]],
            },
            SecurityRequirement::default(),
        ])
    );
    assert_eq!(
        del.name,
        Name::Derived(vec!["delete".into(), "pets".into(), "pet_id".into()])
    );

    let toys = &api.operations[4];
    assert_eq!(toys.params[0].name, "petId");
    assert_eq!(
        toys.responses[0].ty,
        Some(TypeRef::Primitive(Primitive::String))
    );
    assert_eq!(
        toys.responses[0].encoding,
        BodyEncoding::Text {
            media_type: "text/plain".into()
        }
    );
    let put = &api.operations[5];
    assert_eq!(
        put.body.as_ref().unwrap().ty,
        TypeRef::Primitive(Primitive::File)
    );
    assert_eq!(
        put.body.as_ref().unwrap().encoding,
        BodyEncoding::Binary {
            media_type: "application/octet-stream".into()
        }
    );
}

#[test]
fn path_and_operation_parameters_merge() {
    let l = lower_str(PETSTORE);
    let get = &l.api.operations[2];
    let ps: Vec<(&str, ParamLocation, bool)> = get
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        ps,
        [
            ("petId", ParamLocation::Path, true),
            ("X-Trace", ParamLocation::Header, false),
            ("verbose", ParamLocation::Query, false),
        ]
    );
    // The operation's X-Trace overrides the path-level one.
    assert_eq!(get.params[1].docs.as_deref(), Some("overridden"));
    assert_eq!(get.params[1].ty, TypeRef::Primitive(Primitive::I64));
    assert_eq!(get.params[0].style, ParamStyle::Comma);
    // The delete operation only inherits the path-level ones.
    assert_eq!(l.api.operations[3].params.len(), 2);
}

#[test]
fn operation_names_are_derived_without_operation_id() {
    use super::operation::derive_name;
    assert_eq!(
        derive_name("get", "/pets/{petId}/toys"),
        ["get", "pets", "pet_id", "toys"]
    );
    assert_eq!(
        derive_name("post", "/v1/user-accounts/{ID}"),
        ["post", "v1", "user_accounts", "id"]
    );
    assert_eq!(derive_name("get", "/"), ["get", "root"]);
}

/// `component_name` names what the plain split of the pointer names.
#[test]
fn component_names_are_the_third_token_under_components() {
    use super::operation::component_name;
    let plain = |pointer: &str| {
        let mut it = pointer.split('/').skip(1);
        match (it.next(), it.next(), it.next(), it.next()) {
            (Some("components"), Some(_), Some(name), None) => {
                Some(crate::load::unescape_token(name))
            }
            _ => None,
        }
    };
    for p in [
        "",
        "/",
        "/components",
        "/components/",
        "/components/schemas",
        "/components/schemas/",
        "/components/schemas/Pet",
        "/components/responses/a~1b~0c",
        "/components/schemas/Pet/properties",
        "/components//x",
        "x/components/schemas/Pet",
        "/paths/~1pets/get",
        "/componentsX/schemas/Pet",
        "components/schemas/Pet",
    ] {
        assert_eq!(component_name(p), plain(p), "{p:?}");
    }
}

const WRAP: &str =
    "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

fn lower_schemas(schemas: &str) -> Lowered {
    lower_str(&format!("{WRAP}{schemas}"))
}

#[test]
fn all_of_merges_properties() {
    let l = lower_schemas(
        r##"
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        kind: {type: string, enum: [a, b]}
    Named:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [name]
          properties:
            name: {type: string}
    Dog:
      description: A dog.
      allOf:
        - $ref: "#/components/schemas/Named"
        - type: object
          properties:
            barks: {type: boolean}
            id: {type: integer}
    JustRef:
      allOf:
        - $ref: "#/components/schemas/Base"
        - description: only docs
"##,
    );
    no_errors(&l);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let api = &l.api;
    let (_, dog) = ty_named(api, "Dog");
    assert_eq!(dog.docs.as_deref(), Some("A dog."));
    let fs: Vec<(&str, bool)> = fields(dog)
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(
        fs,
        [
            ("id", true),
            ("kind", false),
            ("name", true),
            ("barks", false)
        ]
    );
    // A later member overrides an earlier property of the same name, in place.
    assert_eq!(field(dog, "id").ty, TypeRef::Primitive(Primitive::I64));
    // The inline enum of Base is named after Base, and shared.
    let (kind_id, _) = ty_named(api, "Base_kind");
    assert_eq!(field(dog, "kind").ty, TypeRef::Named(kind_id));
    assert_eq!(
        api.types
            .iter()
            .filter(|t| t.name.display().ends_with("kind"))
            .count(),
        1
    );
    let (base_id, _) = ty_named(api, "Base");
    assert!(
        matches!(ty_named(api, "JustRef").1.kind, TypeKind::Alias(TypeRef::Named(id)) if id == base_id)
    );
}

#[test]
fn one_of_with_discriminator_is_a_tagged_union() {
    let l = lower_schemas(
        r##"
    Cat: {type: object, properties: {meow: {type: boolean}}}
    Dog: {type: object, properties: {bark: {type: boolean}}}
    Pet:
      oneOf:
        - $ref: "#/components/schemas/Cat"
        - $ref: "#/components/schemas/Dog"
      discriminator:
        propertyName: petType
        mapping:
          kitty: "#/components/schemas/Cat"
    Loose:
      anyOf:
        - type: string
        - type: object
          properties: {a: {type: string}}
    MaybeCat:
      type: object
      properties:
        cat:
          oneOf:
            - $ref: "#/components/schemas/Cat"
            - type: "null"
        cat2:
          nullable: true
          allOf:
            - $ref: "#/components/schemas/Cat"
"##,
    );
    no_errors(&l);
    let api = &l.api;
    let (cat, _) = ty_named(api, "Cat");
    let (dog, _) = ty_named(api, "Dog");
    let TypeKind::Union(u) = &ty_named(api, "Pet").1.kind else {
        panic!()
    };
    assert_eq!(u.discriminator.as_deref(), Some("petType"));
    let vs: Vec<(&str, Option<&str>, &TypeRef)> = u
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.tag.as_deref(), &v.ty))
        .collect();
    assert_eq!(
        vs,
        [
            ("Cat", Some("kitty"), &TypeRef::Named(cat)),
            ("Dog", Some("Dog"), &TypeRef::Named(dog)),
            // The fallback for a tag added later.
            ("Unknown", None, &TypeRef::Any),
        ]
    );
    assert!(u.fallback);
    let TypeKind::Union(u) = &ty_named(api, "Loose").1.kind else {
        panic!()
    };
    assert_eq!(u.discriminator, None);
    assert_eq!(u.variants[0].name, "string");
    assert_eq!(u.variants[0].ty, TypeRef::Primitive(Primitive::String));
    let (v2, _) = ty_named(api, "Loose_variant2");
    assert_eq!(u.variants[1].ty, TypeRef::Named(v2));
    let (_, maybe) = ty_named(api, "MaybeCat");
    // Optional and nullable: tri-state.
    let tri = TypeRef::Nullable(Box::new(TypeRef::Named(cat)));
    assert_eq!(field(maybe, "cat").ty, tri);
    assert!(field(maybe, "cat").nullable);
    assert_eq!(field(maybe, "cat2").ty, tri);
    assert!(field(maybe, "cat2").nullable);
}

#[test]
fn recursive_schema_refers_to_itself() {
    let l = lower_schemas(
        r##"
    Node:
      type: object
      properties:
        children:
          type: array
          items: {$ref: "#/components/schemas/Node"}
        parent: {$ref: "#/components/schemas/Node"}
    A: {$ref: "#/components/schemas/B"}
    B: {$ref: "#/components/schemas/A"}
    C: {allOf: [{$ref: "#/components/schemas/C"}]}
"##,
    );
    assert!(matches!(
        ty_named(&l.api, "C").1.kind,
        TypeKind::Alias(TypeRef::Any)
    ));
    assert!(l
        .diagnostics
        .iter()
        .any(|d| d.code == "openapi::alias_cycle"));
    let api = &l.api;
    let (node, def) = ty_named(api, "Node");
    assert_eq!(
        field(def, "children").ty,
        TypeRef::List(Box::new(TypeRef::Named(node)))
    );
    assert_eq!(field(def, "parent").ty, TypeRef::Named(node));
    // A pure reference cycle is reported, not looped on.
    assert!(l
        .diagnostics
        .iter()
        .any(|d| d.code == "openapi::dangling_ref" && d.message.contains("cycle")));
}

#[test]
fn alias_cycles_break_at_their_first_type_only() {
    // P leads into the cycle Q -> R -> Q; only Q (the cycle's first type) becomes `Any`.
    let l = lower_schemas(
        r##"
    P: {allOf: [{$ref: "#/components/schemas/Q"}]}
    Q: {allOf: [{$ref: "#/components/schemas/R"}]}
    R: {allOf: [{$ref: "#/components/schemas/Q"}]}
    S: {allOf: [{$ref: "#/components/schemas/S"}]}
"##,
    );
    let cycles: Vec<&str> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::alias_cycle")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(cycles.len(), 2, "{cycles:?}");
    assert!(
        cycles[0].contains("`Q`") && cycles[1].contains("`S`"),
        "{cycles:?}"
    );
    let (q, _) = ty_named(&l.api, "Q");
    assert!(matches!(
        ty_named(&l.api, "Q").1.kind,
        TypeKind::Alias(TypeRef::Any)
    ));
    assert_eq!(alias_of(ty_named(&l.api, "P").1), Some(q));
    assert_eq!(alias_of(ty_named(&l.api, "R").1), Some(q));
}

#[test]
fn a_100000_value_enum_lowers_with_its_duplicates_dropped() {
    // De-duplication compared each value with every earlier one: 5e9 comparisons.
    let n = 100_000;
    let values: Vec<String> = (0..n).map(|i| format!(r#""v{}""#, i % (n / 2))).collect();
    let text = json_doc(&format!(
        r#""Big": {{"type": "string", "enum": [{}]}}"#,
        values.join(",")
    ));
    let (doc, diags) = load::parse(Path::new("enum.json"), text);
    let l = lower_document(doc.expect("parses"), diags);
    no_errors(&l);
    let TypeKind::Enum(e) = &ty_named(&l.api, "Big").1.kind else {
        panic!("not an enum")
    };
    assert_eq!(e.values.len(), n / 2);
    assert_eq!(e.values[1].wire, "v1");
}

/// The type an alias names.
fn alias_of(def: &TypeDef) -> Option<TypeId> {
    match &def.kind {
        TypeKind::Alias(TypeRef::Named(id)) => Some(*id),
        _ => None,
    }
}

/// An OpenAPI document in JSON with these components (`"Name": {…}` entries, comma-separated).
fn json_doc(schemas: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
            "components": {{"schemas": {{{schemas}}}}}}}"#
    )
}

#[test]
fn a_10000_long_component_ref_chain_lowers_in_linear_work() {
    // S0 -> S1 -> … -> S10000 (an object). Each component follows the chain to its end, which
    // walked the rest of the chain every time (and gave up after 64 hops).
    let n = 10_000;
    let mut schemas: Vec<String> = (0..n)
        .map(|i| format!(r##""S{i}": {{"$ref": "#/components/schemas/S{}"}}"##, i + 1))
        .collect();
    schemas.push(format!(
        r#""S{n}": {{"type": "object", "properties": {{"id": {{"type": "integer"}}}}}}"#
    ));
    let (doc, diags) = load::parse(Path::new("chain.json"), json_doc(&schemas.join(",")));
    let (l, hops) = super::lower_counting(doc.expect("parses"), diags);
    no_errors(&l);
    assert_eq!(l.api.types.len(), n + 1);
    let (last, _) = ty_named(&l.api, &format!("S{n}"));
    let (before, _) = ty_named(&l.api, &format!("S{}", n - 1));
    assert_eq!(
        alias_of(ty_named(&l.api, &format!("S{}", n - 1)).1),
        Some(last)
    );
    assert_eq!(
        alias_of(ty_named(&l.api, &format!("S{}", n - 2)).1),
        Some(before)
    );
    assert!(
        hops <= 3 * (n + 1),
        "{hops} resolution steps for {n} references"
    );
}

#[test]
fn a_long_ref_chain_through_inline_locations_does_not_recurse_deeply() {
    // D0.next -> D1, D1.next -> D2, …: top-level locations, not components, so each is lowered
    // when first referenced, from inside the previous one. Tests run on 2 MiB stacks: this
    // overflowed before the nesting bound.
    let n = 10_000;
    let mut text = String::from(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Start": {"$ref": "#/D0"}}}"##,
    );
    for i in 0..n {
        text.push_str(&format!(
            r##", "D{i}": {{"type": "object", "properties": {{"next": {{"$ref": "#/D{}"}}}}}}"##,
            i + 1
        ));
    }
    text.push_str(&format!(r#", "D{n}": {{"type": "string"}}}}"#));
    let (doc, diags) = load::parse(Path::new("inline-chain.json"), text);
    let (l, hops) = super::lower_counting(doc.expect("parses"), diags);
    no_errors(&l);
    assert_eq!(l.api.types.len(), n + 2);
    let (d1, _) = ty_named(&l.api, "D1");
    assert_eq!(
        field(ty_named(&l.api, "D0").1, "next").ty,
        TypeRef::Named(d1)
    );
    let (dn, _) = ty_named(&l.api, &format!("D{n}"));
    let prev = ty_named(&l.api, &format!("D{}", n - 1)).1;
    assert_eq!(field(prev, "next").ty, TypeRef::Named(dn));
    assert!(
        hops <= 3 * (n + 2),
        "{hops} resolution steps for {n} references"
    );
}

#[test]
fn deeply_nested_schemas_in_a_ref_chain_fit_a_small_stack() {
    // Each link nests its `$ref` 40 objects deep (about as deep as the JSON parser allows), so
    // inline nesting and reference nesting add up; test threads have 2 MiB stacks.
    let n = 300;
    let depth = 40;
    let mut text = String::from(
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Start": {"$ref": "#/D0"}}}"##,
    );
    for i in 0..n {
        let mut schema = format!(r##"{{"$ref": "#/D{}"}}"##, i + 1);
        for _ in 0..depth {
            schema = format!(r#"{{"type": "object", "properties": {{"a": {schema}}}}}"#);
        }
        text.push_str(&format!(r#", "D{i}": {schema}"#));
    }
    text.push_str(&format!(r#", "D{n}": {{"type": "string"}}}}"#));
    let (doc, diags) = load::parse(Path::new("nested-chain.json"), text);
    let l = lower_document(doc.expect("parses"), diags);
    no_errors(&l);
    assert_eq!(l.api.types.len(), 2 + n * depth);
}

#[test]
fn a_long_ref_chain_across_files_lowers() {
    // c0.json#/X -> c1.json#/X -> … each file read once, nothing deeply recursive.
    let n = 1_000;
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let text = format!(
            r#"{{"X": {{"type": "object", "properties": {{"next": {{"$ref": "c{}.json#/X"}}}}}}}}"#,
            i + 1
        );
        std::fs::write(dir.path().join(format!("c{i}.json")), text).expect("write");
    }
    std::fs::write(
        dir.path().join(format!("c{n}.json")),
        r#"{"X": {"type": "integer"}}"#,
    )
    .expect("write");
    let root = dir.path().join("root.json");
    std::fs::write(&root, json_doc(r##""Start": {"$ref": "c0.json#/X"}"##)).expect("write");
    let (doc, diags) = load::load_file(&root);
    let (l, hops) = super::lower_counting(doc.expect("parses"), diags);
    no_errors(&l);
    assert_eq!(l.files_read.len(), n + 2);
    assert_eq!(l.api.types.len(), n + 2);
    assert!(
        hops <= 3 * (n + 2),
        "{hops} resolution steps for {n} references"
    );
}

#[test]
fn dangling_ref_is_located() {
    let l = lower_str(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n    C: {type: string}\n",
    );
    no_errors(&l);
    let d: Vec<&Diagnostic> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::dangling_ref")
        .collect();
    assert_eq!(d.len(), 1, "{:#?}", l.diagnostics);
    assert_eq!(d[0].code, "openapi::dangling_ref");
    assert!(d[0].message.contains("#/components/schemas/Missing"));
    assert!(d[0].help.is_some());
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!(loc.pointer, "/components/schemas/A/properties/b/$ref");
    assert_eq!((loc.line, loc.column), (Some(10), Some(11)));
    // `A` depends on it and is skipped; `C` is kept.
    assert_eq!(names(&l.api), ["C"]);
    let skipped: Vec<&str> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::skipped_type")
        .map(|d| d.location.as_ref().unwrap().pointer.as_str())
        .collect();
    assert_eq!(skipped, ["/components/schemas/A"]);
}

#[test]
fn dangling_ref_in_json_is_located() {
    let text = "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {\"/a\": {\"get\": {\n  \"responses\": {\"200\": {\"$ref\": \"#/nope\"}}}}}}";
    let (doc, diags) = load::parse(Path::new("mem.json"), text.into());
    let l = lower_document(doc.unwrap(), diags);
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    let loc = d.location.as_ref().unwrap();
    assert_eq!(loc.pointer, "/paths/~1a/get/responses/200/$ref");
    assert_eq!((loc.line, loc.column), (Some(3), Some(25)));
}

#[test]
fn wrong_types_are_located_diagnostics() {
    let l = lower_str("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: 5\n");
    let d = &l.diagnostics[0];
    assert!(d.is_error());
    assert_eq!(d.code, "openapi::wrong_type");
    let loc = d.location.as_ref().unwrap();
    assert_eq!(
        (loc.pointer.as_str(), loc.line, loc.column),
        ("/paths", Some(3), Some(1))
    );

    let l = lower_schemas(
        "    A:\n      type: object\n      required: \"yes\"\n      properties:\n        x: {type: string, deprecated: 3}\n        y: 7\n        z: {type: [string, integer]}\n        w: {not: {type: string}}\n        v: {type: frob}\n        e: {type: integer, enum: [1, two]}\n",
    );
    no_errors(&l);
    let codes: Vec<(&str, &str, Option<u32>)> = l
        .diagnostics
        .iter()
        .map(|d| {
            let loc = d.location.as_ref().unwrap();
            (d.code, loc.pointer.as_str(), loc.line)
        })
        .collect();
    assert_eq!(
        codes,
        [
            (
                "openapi::wrong_type",
                "/components/schemas/A/required",
                Some(8)
            ),
            (
                "openapi::wrong_type",
                "/components/schemas/A/properties/x/deprecated",
                Some(10)
            ),
            (
                "openapi::invalid_schema",
                "/components/schemas/A/properties/y",
                Some(11)
            ),
            (
                "openapi::unsupported_keyword",
                "/components/schemas/A/properties/w/not",
                Some(13)
            ),
            (
                "openapi::unknown_type",
                "/components/schemas/A/properties/v/type",
                Some(14)
            ),
            (
                "openapi::non_string_enum",
                "/components/schemas/A/properties/e/enum",
                Some(15)
            ),
        ]
    );
    let a = ty_named(&l.api, "A").1;
    assert_eq!(field(a, "e").ty, TypeRef::Primitive(Primitive::I64));
    assert_eq!(field(a, "y").ty, TypeRef::Any);

    // Garbage everywhere: no panic.
    for text in [
        "[1, 2]",
        "openapi: 3.0.0\n",
        "openapi: 3.0.0\ninfo: 1\npaths: {/a: 1, /b: {get: 2, post: {parameters: 3, responses: 4, requestBody: 5}}}\ncomponents: {schemas: {A: {allOf: 1}, B: {oneOf: [1, 2]}, C: {items: 3, type: array}}, securitySchemes: {s: 1}}\nsecurity: 1\nservers: {}\n",
        "openapi: 3.0.0\npaths: {/a: {$ref: '#/paths/~1a'}, /b: {get: {parameters: [{$ref: 1}, {name: 1}, {name: a, in: x}]}}}\n",
    ] {
        let _ = lower_str(text);
    }
}

#[test]
fn swagger_2_is_converted_and_3_1_lowered_with_a_warning() {
    let l = lower_str("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(l.diagnostics[0].code, "openapi::unsupported_version");
    assert!(l.diagnostics[0].help.is_some());
    let l = lower_str(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: x.io\npaths:\n  /a:\n    post:\n      parameters:\n        - name: b\n          in: body\n          schema: {$ref: '#/definitions/Nope'}\n      responses:\n        200: {description: ok, schema: {$ref: '#/definitions/P'}}\n  /b:\n    get:\n      responses:\n        200: {description: ok, schema: {$ref: '#/definitions/P'}}\ndefinitions:\n  P: {type: object, properties: {x: {type: string}}}\n",
    );
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "openapi::swagger_2_converted",
            "openapi::dangling_ref",
            "openapi::skipped_operation"
        ]
    );
    let loc = l.diagnostics[1].location.as_ref().unwrap();
    assert_eq!(loc.pointer, "/paths/~1a/post/parameters/0/schema/$ref");
    assert_eq!(loc.line, Some(10));
    assert_eq!(
        l.diagnostics[0].location.as_ref().unwrap().pointer,
        "/swagger"
    );
    assert_eq!(l.api.servers[0].url, "https://x.io");
    let (p, def) = ty_named(&l.api, "P");
    assert_eq!(def.origin, "mem.yaml#/definitions/P");
    assert_eq!(l.api.operations[0].responses[0].ty, Some(TypeRef::Named(p)));
    let l = lower_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: [string, 'null']}\n        k: {const: fixed}\n");
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["openapi::no_paths"]);
    assert_eq!(l.diagnostics[0].location.as_ref().unwrap().line, Some(1));
    let a = ty_named(&l.api, "A").1;
    assert!(field(a, "n").nullable);
    // Optional and nullable: tri-state.
    assert_eq!(
        field(a, "n").ty,
        TypeRef::Nullable(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert!(
        matches!(&l.api.ty(match field(a, "k").ty { TypeRef::Named(id) => id, _ => panic!() }).kind, TypeKind::Enum(e) if e.values.len() == 1)
    );
}

#[test]
fn external_refs_load_relative_files_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/oa-external.yaml");
    let l = lower(&root);
    no_errors(&l);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(l.files_read.len(), 2, "{:?}", l.files_read);
    assert!(l.files_read[1].ends_with("oa-external-models.yaml"));
    let api = &l.api;
    let (pet, pet_def) = ty_named(api, "Pet");
    let (owner, owner_def) = ty_named(api, "Owner");
    assert!(pet_def.origin.ends_with("oa-external-models.yaml#/Pet"));
    assert_eq!(field(pet_def, "owner").ty, TypeRef::Named(owner));
    assert_eq!(
        field(owner_def, "pets").ty,
        TypeRef::List(Box::new(TypeRef::Named(pet)))
    );
    let local = ty_named(api, "Local").1;
    assert_eq!(field(local, "pet").ty, TypeRef::Named(pet));
    let op = &api.operations[0];
    assert_eq!(op.params[0].name, "petId");
    assert_eq!(op.responses[0].ty, Some(TypeRef::Named(pet)));
    // One TypeDef per schema.
    assert_eq!(api.types.len(), 3, "{:?}", names(api));
}

#[test]
fn lowering_is_deterministic() {
    let a = format!("{:?}", lower_str(PETSTORE).api);
    let b = format!("{:?}", lower_str(PETSTORE).api);
    assert_eq!(a, b);
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("SDKWRIGHT_CORPUS") {
        candidates.push(PathBuf::from(dir).join("openapi"));
    }
    candidates.push(manifest.join("../../shared/specs-corpus/openapi"));
    candidates.push(manifest.join("../../../shared/specs-corpus/openapi"));
    candidates.into_iter().find(|p| p.is_dir())
}

/// Lowers every document of the shared corpus (if present): no panics, and no errors except for
/// documents known to be invalid. Prints per-file timings and diagnostic counts (`-- --nocapture`).
#[test]
fn corpus_lowers_without_panics() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    files.push(dir.join("digitalocean-multifile-3.0/DigitalOcean-public.v2.yaml"));
    files.sort();
    let only = std::env::var("SDKWRIGHT_CORPUS_ONLY").ok();
    let mut failures = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let start = Instant::now();
        let l = lower(&f);
        let took = start.elapsed();
        let errors = l.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = l.diagnostics.len() - errors;
        eprintln!(
            "{name}: {took:.2?}, {} types, {} ops, {errors} errors, {warnings} warnings, {} files",
            l.api.types.len(),
            l.api.operations.len(),
            l.files_read.len()
        );
        let mut codes = std::collections::BTreeMap::new();
        for d in &l.diagnostics {
            *codes.entry(d.code).or_insert(0) += 1;
        }
        if !codes.is_empty() {
            eprintln!("  {codes:?}");
        }
        for d in l.diagnostics.iter().filter(|d| d.is_error()).take(3) {
            eprintln!("  {d}");
        }
        if std::env::var_os("SDKWRIGHT_CORPUS_DUMP").is_some() {
            for t in &l.api.types {
                eprintln!("  type {:?} {}", t.name, kind_name(&t.kind));
            }
            for o in &l.api.operations {
                eprintln!("  op {:?} {:?} {}", o.name, o.method, o.path);
            }
        }
        if std::env::var_os("SDKWRIGHT_CORPUS_VERBOSE").is_some() {
            for d in &l.diagnostics {
                eprintln!("  {d}");
            }
        }
        // maxio references files that the corpus copy does not contain: what does not depend on
        // them is generated (`maxio_generates_what_does_not_depend_on_files_outside_its_folder`).
        if errors > 0 {
            failures.push(name);
        }
    }
    assert!(failures.is_empty(), "documents with errors: {failures:?}");
}

/// Every document obtained by deleting one line of, or replacing one value in, the petstore
/// lowers without panicking.
#[test]
fn mangled_documents_never_panic() {
    let lines: Vec<&str> = PETSTORE.lines().collect();
    for i in 0..lines.len() {
        let mut v = lines.clone();
        v.remove(i);
        let text = v.join("\n");
        if let (Some(doc), d) = load::parse(Path::new("m.yaml"), text.clone()) {
            let _ = lower_document(doc, d);
        }
        for replacement in ["5", "[]", "{}", "null", "'#/x'", "{$ref: '#/components'}"] {
            let mut v = lines.clone();
            if let Some((key, _)) = v[i].split_once(": ") {
                let line = format!("{key}: {replacement}");
                v[i] = &line;
                let text = v.join("\n");
                if let (Some(doc), d) = load::parse(Path::new("m.yaml"), text) {
                    let _ = lower_document(doc, d);
                }
            }
        }
    }
}

#[test]
fn oauth2_flows_and_requirement_scopes() {
    let l = lower_str(
        r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      security:
        - o: [read, write]
          k: []
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    k: {type: apiKey, in: header, name: K}
    o:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://t/token', scopes: {read: Read, write: Write}}
        authorizationCode: {authorizationUrl: 'https://t/a', tokenUrl: /token, refreshUrl: 'https://t/refresh', scopes: {}}
        implicit: {authorizationUrl: 'https://t/a', scopes: {}}
        password: {scopes: {}}
        magic: {tokenUrl: x}
"#,
    );
    let found: Vec<(&str, &str)> = l
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.location.as_ref().map_or("", |l| l.pointer.as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "openapi::oauth_flow_token_url_missing",
                "/components/securitySchemes/o/flows/password"
            ),
            (
                "openapi::oauth_flow_unknown",
                "/components/securitySchemes/o/flows/magic"
            ),
        ]
    );
    assert!(l.diagnostics.iter().all(|d| d.help.is_some()));
    let o = &l.api.security_schemes[1];
    assert_eq!(
        o.kind,
        SecurityKind::OAuth2 {
            flows: vec![
                OAuthFlow {
                    kind: OAuthFlowKind::ClientCredentials,
                    token_url: "https://t/token".into(),
                    refresh_url: None,
                    scopes: vec![
                        ("read".into(), "Read".into()),
                        ("write".into(), "Write".into())
                    ],
                },
                OAuthFlow {
                    kind: OAuthFlowKind::AuthorizationCode,
                    token_url: "/token".into(),
                    refresh_url: Some("https://t/refresh".into()),
                    scopes: vec![],
                },
            ]
        }
    );
    assert_eq!(
        l.api.operations[0].security,
        Some(vec![SecurityRequirement {
            schemes: vec![SchemeId(1), SchemeId(0)],
            scopes: vec![vec!["read".into(), "write".into()], vec![]],
        }])
    );
}

#[test]
fn swagger_2_oauth2_becomes_one_flow() {
    let l = lower_str(
        r#"swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
securityDefinitions:
  app: {type: oauth2, flow: application, tokenUrl: 'https://t/token', scopes: {a: A}}
  code: {type: oauth2, flow: accessCode, authorizationUrl: 'https://t/auth', tokenUrl: 'https://t/token2', scopes: {}}
  browser: {type: oauth2, flow: implicit, authorizationUrl: 'https://t/auth', scopes: {}}
"#,
    );
    let kinds: Vec<&SecurityKind> = l.api.security_schemes.iter().map(|s| &s.kind).collect();
    let flow = |kind, url: &str, scopes: Vec<(String, String)>| OAuthFlow {
        kind,
        token_url: url.into(),
        refresh_url: None,
        scopes,
    };
    assert_eq!(
        kinds,
        [
            &SecurityKind::OAuth2 {
                flows: vec![flow(
                    OAuthFlowKind::ClientCredentials,
                    "https://t/token",
                    vec![("a".into(), "A".into())]
                )]
            },
            &SecurityKind::OAuth2 {
                flows: vec![flow(
                    OAuthFlowKind::AuthorizationCode,
                    "https://t/token2",
                    vec![]
                )]
            },
            &SecurityKind::OAuth2 { flows: vec![] },
        ]
    );
}

// -- OpenAPI 3.1 read as 3.1 ----------------------------------------------------------------

const V31: &str = r##"
openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  newPet:
    post:
      summary: A pet was added.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses: {'200': {description: ok}}
  pet.gone:
    post:
      deprecated: true
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                id: {type: integer}
      responses: {'200': {description: ok}}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      examples: [{id: 1}]
      properties:
        id: {type: integer, exclusiveMinimum: 0}
        name: {type: [string, 'null']}
        idOrName: {type: [string, integer]}
        measure: {type: [integer, number]}
        kind: {const: cat}
        owner:
          $ref: '#/components/schemas/Pet/$defs/Owner'
          description: Who owns the pet.
        parent:
          $ref: '#/components/schemas/Pet'
          deprecated: true
        maybeOwner:
          $ref: '#/components/schemas/Pet/$defs/Owner'
          nullable: true
        extended:
          $ref: '#/components/schemas/Pet/$defs/Owner'
          required: [name]
        photo: {type: string, contentMediaType: image/png, contentEncoding: base64}
        raw: {type: string, contentMediaType: application/octet-stream}
        note: {type: string, contentMediaType: text/plain}
        point:
          type: array
          prefixItems: [{type: number}, {type: number}]
        mixed:
          type: array
          prefixItems: [{type: number}, {type: string}]
      $defs:
        Owner:
          type: object
          properties:
            name: {type: string}
"##;

#[test]
fn openapi_3_1_constructs_mean_what_3_1_says() {
    let l = lower_str(V31);
    no_errors(&l);
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    // No blanket "read with 3.0 rules", no `no_paths` for a webhooks document: only the tuple of
    // two item types is reported (`required` beside `$ref` is merged, 3.1's meaning).
    assert_eq!(codes, ["openapi::tuple_as_list"], "{:#?}", l.diagnostics);
    let loc = l.diagnostics[0].location.as_ref().unwrap();
    assert_eq!(
        loc.pointer,
        "/components/schemas/Pet/properties/mixed/prefixItems"
    );
    assert!(loc.line.is_some());

    let (pet_id, pet) = ty_named(&l.api, "Pet");
    assert_eq!(
        field(pet, "name").ty,
        TypeRef::Nullable(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    // Several types: an untagged union, one alternative per type, plus the fallback.
    let TypeRef::Named(u) = field(pet, "idOrName").ty else {
        panic!("idOrName is not a union")
    };
    let TypeKind::Union(union) = &l.api.ty(u).kind else {
        panic!("not a union")
    };
    let alts: Vec<(&str, &TypeRef)> = union
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.ty))
        .collect();
    assert_eq!(
        alts,
        [
            ("string", &TypeRef::Primitive(Primitive::String)),
            ("integer", &TypeRef::Primitive(Primitive::I64)),
            ("Unknown", &TypeRef::Any)
        ]
    );
    assert!(union.discriminator.is_none() && union.fallback);
    // `[integer, number]` is a number.
    assert_eq!(field(pet, "measure").ty, TypeRef::Primitive(Primitive::F64));
    // `const`: a one-value enum.
    let TypeRef::Named(k) = field(pet, "kind").ty else {
        panic!("const is not an enum")
    };
    let TypeKind::Enum(e) = &l.api.ty(k).kind else {
        panic!("const is not an enum")
    };
    assert_eq!(e.values.len(), 1);
    assert_eq!(e.values[0].wire, "cat");
    // `$defs`, reached by `$ref`, named after its key; the `$ref`'s sibling description wins.
    let (owner_id, _) = ty_named(&l.api, "Pet_Owner");
    assert_eq!(field(pet, "owner").ty, TypeRef::Named(owner_id));
    assert_eq!(
        field(pet, "owner").docs.as_deref(),
        Some("Who owns the pet.")
    );
    // A sibling `nullable` makes the reference nullable.
    assert!(field(pet, "maybeOwner").nullable);
    assert!(!field(pet, "owner").nullable);
    // A sibling `deprecated` marks the property.
    assert!(field(pet, "parent").deprecated);
    assert!(!field(pet, "owner").deprecated);
    // contentEncoding / contentMediaType.
    assert_eq!(
        field(pet, "photo").ty,
        TypeRef::Primitive(Primitive::Base64)
    );
    assert_eq!(field(pet, "raw").ty, TypeRef::Primitive(Primitive::Binary));
    assert_eq!(field(pet, "note").ty, TypeRef::Primitive(Primitive::String));
    // prefixItems of one type: a list of it; of several: a list of any value (warned above).
    assert_eq!(
        field(pet, "point").ty,
        TypeRef::List(Box::new(TypeRef::Primitive(Primitive::F64)))
    );
    assert_eq!(
        field(pet, "mixed").ty,
        TypeRef::List(Box::new(TypeRef::Any))
    );

    // Webhooks: payload types and the names a receiver decodes them by.
    let hooks: Vec<(&str, bool)> = l
        .api
        .webhooks
        .iter()
        .map(|w| (w.name.as_str(), w.deprecated))
        .collect();
    assert_eq!(hooks, [("newPet", false), ("pet.gone", true)]);
    assert_eq!(l.api.webhooks[0].payload, TypeRef::Named(pet_id));
    assert_eq!(l.api.webhooks[0].docs.as_deref(), Some("A pet was added."));
    let TypeRef::Named(gone) = &l.api.webhooks[1].payload else {
        panic!("inline payload is not a type")
    };
    assert_eq!(l.api.ty(*gone).name.display(), "pet.gone_payload");
    assert!(l.api.operations.is_empty());
}

#[test]
fn corpus_webhook_documents_give_webhooks() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let l = lower(&dir.join("oai-webhook-example-3.1.yaml"));
    no_errors(&l);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(l.api.webhooks.len(), 1);
    let (pet, _) = ty_named(&l.api, "Pet");
    assert_eq!(l.api.webhooks[0].payload, TypeRef::Named(pet));
    let l = lower(&dir.join("adyen-BalancePlatformTransferNotification-v4-3.1.json"));
    no_errors(&l);
    let names: Vec<&str> = l.api.webhooks.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "balancePlatform.transfer.created",
            "balancePlatform.transfer.updated"
        ]
    );
    let (req, _) = ty_named(&l.api, "TransferNotificationRequest");
    assert!(l
        .api
        .webhooks
        .iter()
        .all(|w| w.payload == TypeRef::Named(req)));
}

// -- Swagger 2.0 external references ----------------------------------------------------------

#[test]
fn swagger_2_external_refs_resolve_in_the_documents_folder() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let main = dir.join("oai-petstore-separate-2.0/spec/swagger.yaml");
    // `../common/Error.yaml` is outside the main document's folder (`spec/`): refused, as a 3.x
    // document's reference would be, and located at the reference.
    let l = lower(&main);
    // Every operation depends on it: nothing is left, and each refusal is an error.
    let refused: Vec<&Diagnostic> = l
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code != "openapi::nothing_left")
        .collect();
    assert!(!refused.is_empty());
    for d in &refused {
        assert_eq!(d.code, "load::outside_root", "{d}");
        let loc = d.location.as_ref().unwrap();
        assert!(
            loc.file.ends_with("swagger.yaml") && loc.line.is_some(),
            "{d}"
        );
        assert!(loc.pointer.ends_with("/schema/$ref"), "{d}");
    }
    // With the corpus folder allowed (`--allow-path`), everything resolves.
    let allow = [dir.join("oai-petstore-separate-2.0")];
    let l = super::lower_confined(
        &main,
        &crate::load::confine::Confinement::for_root(&main, &allow, 1 << 20),
    );
    no_errors(&l);
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["openapi::swagger_2_converted"],
        "{:#?}",
        l.diagnostics
    );
    let (_, error_def) = ty_named(&l.api, "Error");
    assert_eq!(
        fields(error_def)
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["code", "message"]
    );
    let (pet, pet_def) = ty_named(&l.api, "Pet");
    assert_eq!(
        fields(pet_def)
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["id", "name", "tag"]
    );
    let find = l
        .api
        .operations
        .iter()
        .find(|o| o.name.display() == "findPets")
        .unwrap();
    // The parameters of `parameters.yaml`, converted: an array of strings in csv, an int32.
    let tags = &find.params[0];
    assert_eq!(tags.name, "tags");
    assert_eq!(
        tags.ty,
        TypeRef::List(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert_eq!(tags.style, ParamStyle::Comma);
    assert_eq!(find.params[1].ty, TypeRef::Primitive(Primitive::I32));
    assert_eq!(
        find.responses[0].ty,
        Some(TypeRef::List(Box::new(TypeRef::Named(pet))))
    );
    let (new_pet, _) = ty_named(&l.api, "NewPet");
    let add = l
        .api
        .operations
        .iter()
        .find(|o| o.name.display() == "addPet")
        .unwrap();
    assert_eq!(add.body.as_ref().unwrap().ty, TypeRef::Named(new_pet));
}

#[test]
fn swagger_2_external_parameters_and_responses_are_converted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("api.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: a\n      parameters:\n        - $ref: 'parts.yaml#/parameters/body'\n        - $ref: 'parts.yaml#/parameters/ids'\n      responses:\n        '200': {$ref: 'parts.yaml#/responses/ok'}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("parts.yaml"),
        "parameters:\n  body: {name: b, in: body, required: true, schema: {$ref: '#/definitions/Thing'}}\n  ids: {name: ids, in: query, type: array, items: {type: integer}, collectionFormat: pipes}\nresponses:\n  ok: {description: ok, schema: {$ref: '#/definitions/Thing'}}\ndefinitions:\n  Thing: {type: object, x-nullable: true, properties: {f: {type: file}}}\n",
    )
    .unwrap();
    let l = lower(&dir.path().join("api.yaml"));
    no_errors(&l);
    let (thing, def) = ty_named(&l.api, "Thing");
    assert_eq!(field(def, "f").ty, TypeRef::Primitive(Primitive::Binary));
    let op = &l.api.operations[0];
    let body = op
        .body
        .as_ref()
        .expect("the external body parameter is the request body");
    assert_eq!(body.ty, TypeRef::Named(thing));
    assert!(body.required);
    assert_eq!(op.params.len(), 1);
    assert_eq!(op.params[0].style, ParamStyle::PipeDelimited);
    assert_eq!(
        op.params[0].ty,
        TypeRef::List(Box::new(TypeRef::Primitive(Primitive::I64)))
    );
    assert_eq!(op.responses[0].ty, Some(TypeRef::Named(thing)));
    // A reference out of the folder is refused as for 3.x documents.
    std::fs::write(
        dir.path().join("out.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  X: {$ref: '../secret.yaml#/X'}\n",
    )
    .unwrap();
    let l = lower(&dir.path().join("out.yaml"));
    assert!(
        l.diagnostics
            .iter()
            .any(|d| d.is_error() && d.code.starts_with("load::")),
        "{:#?}",
        l.diagnostics
    );
}

// -- Partial generation past broken references -------------------------------------------------

const BROKEN: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /ok:
    get:
      operationId: ok
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Good'}
  /bad:
    get:
      operationId: bad
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/UsesBad'}
  /inline:
    post:
      operationId: inlineBad
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                x: {$ref: '#/components/schemas/Missing'}
      responses: {'204': {description: ok}}
  /param:
    get:
      operationId: paramBad
      parameters:
        - $ref: '#/components/parameters/Nope'
      responses: {'204': {description: ok}}
  /path-item:
    $ref: '#/nowhere'
components:
  schemas:
    Good:
      type: object
      properties:
        n: {type: string}
    Bad:
      type: object
      properties:
        m: {$ref: '#/components/schemas/Missing'}
    UsesBad:
      type: array
      items: {$ref: '#/components/schemas/Bad'}
"##;

#[test]
fn broken_references_skip_only_what_depends_on_them() {
    let l = lower_str(BROKEN);
    no_errors(&l);
    let ops: Vec<String> = l.api.operations.iter().map(|o| o.name.display()).collect();
    assert_eq!(ops, ["ok"]);
    let types = names(&l.api);
    assert!(types.contains(&"Good".to_string()), "{types:?}");
    assert!(
        !types.iter().any(|t| t == "Bad" || t == "UsesBad"),
        "{types:?}"
    );
    // The inline body type of the skipped operation is gone too.
    assert!(!types.iter().any(|t| t.contains("inlineBad")), "{types:?}");
    let (good, _) = ty_named(&l.api, "Good");
    assert_eq!(
        l.api.operations[0].responses[0].ty,
        Some(TypeRef::Named(good))
    );

    let got: Vec<(&str, &str)> = l
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.as_ref().unwrap().pointer.as_str()))
        .collect();
    // Each broken reference once, each skipped thing once, all located.
    for want in [
        (
            "openapi::dangling_ref",
            "/components/schemas/Bad/properties/m/$ref",
        ),
        (
            "openapi::dangling_ref",
            "/paths/~1param/get/parameters/0/$ref",
        ),
        ("openapi::dangling_ref", "/paths/~1path-item/$ref"),
        (
            "openapi::dangling_ref",
            "/paths/~1inline/post/requestBody/content/application~1json/schema/properties/x/$ref",
        ),
        ("openapi::skipped_type", "/components/schemas/Bad"),
        ("openapi::skipped_type", "/components/schemas/UsesBad"),
        ("openapi::skipped_operation", "/paths/~1bad/get"),
        ("openapi::skipped_operation", "/paths/~1inline/post"),
        ("openapi::skipped_operation", "/paths/~1param/get"),
        ("openapi::skipped_operation", "/paths/~1path-item"),
    ] {
        assert_eq!(
            got.iter().filter(|g| **g == want).count(),
            1,
            "{want:?} in {got:#?}"
        );
    }
    assert_eq!(
        got.iter()
            .filter(|(c, _)| *c == "openapi::dangling_ref")
            .count(),
        4,
        "{got:#?}"
    );
    assert!(l
        .diagnostics
        .iter()
        .all(|d| !d.is_error() && d.location.as_ref().is_some_and(|l| l.line.is_some())));
    let bad = l
        .diagnostics
        .iter()
        .find(|d| d.location.as_ref().unwrap().pointer == "/paths/~1bad/get")
        .unwrap();
    assert!(
        bad.message
            .contains("mem.yaml#/components/schemas/Bad/properties/m/$ref"),
        "{}",
        bad.message
    );
    assert!(bad.help.as_deref().unwrap_or("").contains("--strict"));
}

#[test]
fn nothing_left_past_broken_references_is_an_error() {
    let l = lower_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Nope'}\n");
    let errors: Vec<&str> = l
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(errors, ["openapi::nothing_left"]);
    assert!(l.api.operations.is_empty());
}

#[test]
fn swagger_2_broken_references_are_shown_as_the_source_spells_them() {
    let l = lower_str("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Nope'}}\n  /b:\n    get:\n      operationId: b\n      responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/P'}}\ndefinitions:\n  P: {type: object}\n");
    no_errors(&l);
    assert_eq!(l.api.operations.len(), 1);
    let dangling = l
        .diagnostics
        .iter()
        .find(|d| d.code == "openapi::dangling_ref")
        .unwrap();
    assert!(
        dangling.message.contains("`#/definitions/Nope`"),
        "{}",
        dangling.message
    );
    assert_eq!(
        dangling.location.as_ref().unwrap().pointer,
        "/paths/~1a/get/responses/200/schema/$ref"
    );
    let skipped = l
        .diagnostics
        .iter()
        .find(|d| d.code == "openapi::skipped_operation")
        .unwrap();
    assert!(
        skipped
            .message
            .contains("mem.yaml#/paths/~1a/get/responses/200/schema/$ref"),
        "{}",
        skipped.message
    );
}

/// A path parameter that is a broken reference is not also "not declared" (maxio's parameters
/// are `$ref`s to files not in the corpus): the operation is skipped for the reference alone.
#[test]
fn a_broken_path_parameter_reference_is_not_an_undeclared_parameter() {
    let l = lower_str(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    parameters:\n      - $ref: '#/components/parameters/Nope'\n    get:\n      responses:\n        '204': {description: ok}\n  /b/{id}:\n    get:\n      responses:\n        '204': {description: ok}\n  /c/{id}:\n    parameters:\n      - $ref: '../../elsewhere/id.yaml'\n    get:\n      responses:\n        '204': {description: ok}\n",
    );
    let codes: Vec<(&str, &str)> = l
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.location.as_ref().map_or("", |l| l.pointer.as_str()),
            )
        })
        .collect();
    assert!(
        codes.contains(&("openapi::skipped_operation", "/paths/~1a~1{id}/get")),
        "{codes:?}"
    );
    // The undeclared one is still reported, the broken one is not.
    let missing: Vec<&str> = codes
        .iter()
        .filter(|(c, _)| *c == "openapi::missing_path_param")
        .map(|(_, p)| *p)
        .collect();
    assert_eq!(missing, ["/paths/~1b~1{id}/get"]);
}

/// `type` beside `$ref` that the referenced schema has too changes nothing: no warning; another
/// `type` is still reported.
#[test]
fn a_ref_sibling_type_equal_to_the_target_is_not_reported() {
    let l = lower_schemas(
        r##"
    Status: {type: string, enum: [a, b]}
    Holder:
      type: object
      properties:
        same: {$ref: '#/components/schemas/Status', type: string}
        other: {$ref: '#/components/schemas/Status', type: integer}
"##,
    );
    let at: Vec<&str> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::ref_siblings_ignored")
        .filter_map(|d| d.location.as_ref().map(|l| l.pointer.as_str()))
        .collect();
    assert_eq!(
        at,
        ["/components/schemas/Holder/properties/other/type"],
        "{:#?}",
        l.diagnostics
    );
}

/// `anyOf`/`oneOf` members that only say which properties are required (GitHub's gist update,
/// OpenAI's vector store batches) constrain the object: it stays a struct of its properties,
/// without a warning; a real union beside properties is still one, with the warning.
#[test]
fn constraint_only_unions_keep_the_objects_properties() {
    let l = lower_schemas(
        r##"
    GistUpdate:
      type: object
      nullable: true
      properties:
        description: {type: string}
        files: {type: object, additionalProperties: {type: string}}
      anyOf:
        - required: [description]
        - required: [files]
        - {type: object, maxProperties: 0}
    Mixed:
      type: object
      properties:
        x: {type: string}
      oneOf:
        - {type: object, properties: {a: {type: string}}}
        - {type: object, properties: {b: {type: string}}}
"##,
    );
    let (_, gist) = ty_named(&l.api, "GistUpdate");
    let names: Vec<&str> = fields(gist).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["description", "files"]);
    let warned: Vec<&str> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::union_properties")
        .filter_map(|d| d.location.as_ref().map(|l| l.pointer.as_str()))
        .collect();
    assert_eq!(warned, ["/components/schemas/Mixed/properties"]);
}

/// Swagger 2.0 `produces` and `consumes` with XML: a response produced as JSON and XML is
/// negotiated, an XML-only one is XML, a body consumed as JSON or XML gets the XML alternative,
/// a string produced as `text/plain` is text.
#[test]
fn swagger_2_produces_and_consumes_xml() {
    let l = lower_str(
        r##"
swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /both:
    post:
      operationId: both
      consumes: [application/json, application/xml]
      produces: [application/json, application/xml]
      parameters:
        - {in: body, name: pet, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Pet'}}
  /xml:
    put:
      operationId: xmlOnly
      consumes: [application/xml]
      produces: [application/xml]
      parameters:
        - {in: body, name: pet, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Pet'}}
        '400': {description: bad, schema: {$ref: '#/definitions/Pet'}}
  /log:
    get:
      operationId: log
      produces: [text/plain, application/json]
      responses:
        '200': {description: ok, schema: {type: string}}
definitions:
  Pet:
    type: object
    xml: {name: pet}
    properties:
      id: {type: integer, xml: {attribute: true}}
"##,
    );
    no_errors(&l);
    let op = |name: &str| {
        let i = l
            .api
            .operations
            .iter()
            .position(|o| o.name.display() == name)
            .unwrap_or_else(|| panic!("no operation {name}"));
        (i, &l.api.operations[i])
    };
    let is_xml = |e: &BodyEncoding| matches!(e, BodyEncoding::Xml { .. });
    let (i, both) = op("both");
    assert!(matches!(
        both.body.as_ref().map(|b| &b.encoding),
        Some(BodyEncoding::Json { .. })
    ));
    let alternatives = l.api.body_alternatives.get(&i).expect("body alternatives");
    assert!(
        alternatives.iter().any(|a| is_xml(&a.encoding)),
        "{alternatives:?}"
    );
    let negotiated = l.api.response_alternatives.get(&i).expect("negotiated");
    assert!(negotiated.iter().any(is_xml), "{negotiated:?}");
    let (_, xml) = op("xmlOnly");
    assert!(xml.body.as_ref().is_some_and(|b| is_xml(&b.encoding)));
    assert!(
        xml.responses.iter().all(|r| is_xml(&r.encoding)),
        "{:?}",
        xml.responses
    );
    let (_, log) = op("log");
    assert!(matches!(
        log.responses[0].encoding,
        BodyEncoding::Text { .. }
    ));
}

/// A `properties` map that is itself a `$ref` (DigitalOcean's multi-file document) is followed
/// as a JSON Reference, as bundlers do: its properties, not one property named `$ref`.
#[test]
fn a_properties_map_given_by_reference_is_followed() {
    let l = lower_schemas(
        r##"
    Attributes:
      ids: {type: array, items: {type: integer}}
      tag: {type: string}
    Balancer:
      type: object
      properties:
        $ref: '#/components/schemas/Attributes'
"##,
    );
    let (_, def) = ty_named(&l.api, "Balancer");
    let names: Vec<&str> = fields(def).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["ids", "tag"]);
    assert!(
        !l.diagnostics
            .iter()
            .any(|d| d.code == "openapi::invalid_schema"),
        "{:#?}",
        l.diagnostics
    );
}

#[test]
fn union_tagged_by_the_property_its_members_pin() {
    let l = lower_schemas(
        r#"
    A: {type: object, required: [kind, x], properties: {kind: {type: string, enum: [a]}, x: {type: string}}}
    B: {type: object, required: [kind], properties: {kind: {const: b}, y: {type: string}}}
    Pinned: {anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}
    Inline:
      oneOf:
        - {type: object, required: [kind], properties: {kind: {enum: [c]}}}
        - {type: object, required: [kind], properties: {kind: {enum: [d]}}}
    Shared: {anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/A2'}]}
    A2: {type: object, required: [kind], properties: {kind: {enum: [a]}}}
    Optional: {anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/C'}]}
    C: {type: object, properties: {kind: {enum: [c]}}}
"#,
    );
    no_errors(&l);
    let union = |name: &str| match &ty_named(&l.api, name).1.kind {
        TypeKind::Union(u) => u.clone(),
        other => panic!("{name} is not a union: {other:?}"),
    };
    let tags = |u: &UnionDef| -> Vec<Option<String>> {
        u.variants.iter().map(|v| v.tag.clone()).collect()
    };
    let pinned = union("Pinned");
    assert_eq!(pinned.discriminator.as_deref(), Some("kind"));
    assert_eq!(tags(&pinned), [Some("a".into()), Some("b".into()), None]);
    let inline = union("Inline");
    assert_eq!(inline.discriminator.as_deref(), Some("kind"));
    assert_eq!(tags(&inline), [Some("c".into()), Some("d".into()), None]);
    // Two members pinning the same value, or one not requiring it: no tag to go by.
    assert_eq!(union("Shared").discriminator, None);
    assert_eq!(union("Optional").discriminator, None);
}

#[test]
fn all_of_a_union_and_an_object_flattens_the_union() {
    let l = lower_schemas(
        r#"
    A: {type: object, required: [type], properties: {type: {enum: [a]}}}
    B: {type: object, required: [type], properties: {type: {enum: [b]}}}
    Event:
      allOf:
        - anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
        - type: object
          required: [stream_id]
          properties: {stream_id: {type: string}, variant: {type: integer}}
    Strings:
      allOf:
        - anyOf: [{type: string}, {type: integer}]
        - {type: object, properties: {n: {type: integer}}}
"#,
    );
    no_errors(&l);
    let (_, event) = ty_named(&l.api, "Event");
    let TypeKind::Struct(s) = &event.kind else {
        panic!("Event is not a struct")
    };
    let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
    // The union's field yields its name to a property of the same name.
    assert_eq!(names, ["variant2", "stream_id", "variant"]);
    assert_eq!(s.flatten.len(), 1);
    let flat = &s.fields[s.flatten[0]];
    assert!(flat.required && !flat.nullable);
    let TypeRef::Named(id) = flat.ty else {
        panic!("not a named union: {:?}", flat.ty)
    };
    assert!(matches!(&l.api.ty(id).kind, TypeKind::Union(u) if u.variants.len() == 3));
    assert!(field(event, "stream_id").required);
    // A union of scalars cannot sit beside properties: said where it is.
    assert!(
        l.diagnostics
            .iter()
            .any(|d| d.code == "openapi::allof_non_object"
                && d.location
                    .as_ref()
                    .is_some_and(|loc| loc.pointer.ends_with("Strings/allOf/0"))),
        "{:#?}",
        l.diagnostics
    );
}

#[test]
fn response_media_types_not_decoded_are_reported_once_where_they_are() {
    let l = lower_str(
        r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: JSON, or the same in XML (negotiated), or a stream of it
          content:
            application/json: {schema: {$ref: '#/components/schemas/A'}}
            application/xml: {schema: {$ref: '#/components/schemas/A'}}
            text/event-stream: {schema: {type: string}}
        '400': {$ref: '#/components/responses/Bad'}
  /b:
    get:
      responses:
        '200':
          description: JSON or a zip
          content:
            application/json: {schema: {$ref: '#/components/schemas/A'}}
            application/zip: {schema: {type: string, format: binary}}
        '400': {$ref: '#/components/responses/Bad'}
components:
  responses:
    Bad:
      description: Two error shapes
      content:
        application/json: {schema: {$ref: '#/components/schemas/A'}}
        application/scim+json: {schema: {type: object, properties: {detail: {type: string}}}}
  schemas:
    A: {type: object, properties: {id: {type: integer}}}
"#,
    );
    no_errors(&l);
    let found: Vec<String> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::response_media_type_choice")
        .map(|d| {
            d.location
                .as_ref()
                .map(|x| x.pointer.clone())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        found,
        [
            "/components/responses/Bad/content/application~1scim+json",
            "/paths/~1b/get/responses/200/content/application~1zip",
        ],
        "{:#?}",
        l.diagnostics
    );
}

/// `default`: read on properties (their own, else the referenced schema's; beside `$ref` too)
/// and parameters; one that is not a value of the schema is a located warning and dropped.
#[test]
fn defaults_are_read_and_checked_against_the_type() {
    let l = lower_str(
        r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /h:
    get:
      operationId: getH
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32, default: 20}}
        - {name: big, in: query, schema: {type: integer, format: int32, default: 3000000000}}
        - {name: mode, in: header, schema: {$ref: '#/components/schemas/Status'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  schemas:
    Status: {type: string, enum: [a, b], default: a}
    Holder:
      type: object
      properties:
        n: {type: integer, default: 5}
        s: {$ref: '#/components/schemas/Status'}
        s2: {$ref: '#/components/schemas/Status', default: b}
        bad: {type: integer, default: x}
        badEnum: {$ref: '#/components/schemas/Status', default: c}
        nul: {type: string, nullable: true, default: null}
        list: {type: array, items: {type: string}, default: [x, y]}
"##,
    );
    no_errors(&l);
    let at: Vec<(&str, &str)> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::default_mismatch")
        .map(|d| {
            let loc = d.location.as_ref().expect("located");
            assert!(loc.line.is_some(), "{d:?}");
            (loc.pointer.as_str(), d.message.as_str())
        })
        .collect();
    assert_eq!(
        at,
        [
            (
                "/components/schemas/Holder/properties/bad/default",
                "`default` is not a value of the schema: expected an integer within 64 bits, found \"x\"; ignored"
            ),
            (
                "/components/schemas/Holder/properties/badEnum/default",
                "`default` is not a value of the schema: expected one of the enum's values (a, b), found \"c\"; ignored"
            ),
            (
                "/paths/~1h/get/parameters/1/schema/default",
                "`default` is not a value of the schema: expected an integer within 32 bits, found 3000000000; ignored"
            ),
        ],
        "{:#?}",
        l.diagnostics
    );
    let (_, holder) = ty_named(&l.api, "Holder");
    let default = |name: &str| field(holder, name).default.clone();
    assert_eq!(default("n"), Some(serde_json::json!(5)));
    assert_eq!(default("s"), Some(serde_json::json!("a")));
    assert_eq!(default("s2"), Some(serde_json::json!("b")));
    assert_eq!(default("bad"), None);
    assert_eq!(default("badEnum"), None);
    assert_eq!(default("nul"), Some(serde_json::Value::Null));
    assert_eq!(default("list"), Some(serde_json::json!(["x", "y"])));
    let params: Vec<Option<serde_json::Value>> = l.api.operations[0]
        .params
        .iter()
        .map(|p| p.default.clone())
        .collect();
    assert_eq!(
        params,
        [
            Some(serde_json::json!(20)),
            None,
            Some(serde_json::json!("a"))
        ]
    );
}

const REF_SIBLINGS: &str = r##"
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        id: {type: integer}
        name: {type: string}
    Dog:
      $ref: '#/components/schemas/Pet'
      properties:
        breed: {type: string}
      required: [breed]
    PetWithId:
      $ref: '#/components/schemas/Pet'
      required: [id]
    Status: {type: string, enum: [a, b]}
    Owner:
      type: object
      properties:
        pet:
          $ref: '#/components/schemas/Pet'
          properties:
            since: {type: string}
        status:
          $ref: '#/components/schemas/Status'
          enum: [a]
        both:
          allOf:
            - $ref: '#/components/schemas/Pet'
              properties:
                extra: {type: boolean}
            - properties:
                more: {type: integer}
"##;

/// OpenAPI 3.1: `$ref` beside `properties`/`required`/`additionalProperties`/`allOf` is
/// `allOf: [{$ref}, {siblings}]`, merged into one struct; other siblings are still reported.
#[test]
fn ref_with_object_siblings_in_3_1_is_an_all_of() {
    let l = lower_str(&format!("openapi: 3.1.0\n{REF_SIBLINGS}"));
    no_errors(&l);
    let warned: Vec<(&str, &str)> = l
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.as_ref().unwrap().pointer.as_str()))
        .collect();
    assert_eq!(
        warned,
        [(
            "openapi::ref_siblings_ignored",
            "/components/schemas/Owner/properties/status/enum"
        )],
        "{:#?}",
        l.diagnostics
    );
    let shape = |def: &TypeDef| -> Vec<(String, bool)> {
        fields(def)
            .iter()
            .map(|f| (f.name.clone(), f.required))
            .collect()
    };
    let own = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, r)| ((*n).to_owned(), *r)).collect()
    };
    let (_, dog) = ty_named(&l.api, "Dog");
    assert_eq!(
        shape(dog),
        own(&[("id", false), ("name", true), ("breed", true)])
    );
    let (_, with_id) = ty_named(&l.api, "PetWithId");
    assert_eq!(shape(with_id), own(&[("id", true), ("name", true)]));
    let (_, owner) = ty_named(&l.api, "Owner");
    let TypeRef::Named(pet) = field(owner, "pet").ty else {
        panic!("pet is not a named type")
    };
    assert_eq!(l.api.ty(pet).name.display(), "Owner_pet");
    assert_eq!(
        shape(l.api.ty(pet)),
        own(&[("id", false), ("name", true), ("since", false)])
    );
    let (status, _) = ty_named(&l.api, "Status");
    assert_eq!(field(owner, "status").ty, TypeRef::Named(status));
    let TypeRef::Named(both) = field(owner, "both").ty else {
        panic!("both is not a named type")
    };
    assert_eq!(
        shape(l.api.ty(both)),
        own(&[
            ("id", false),
            ("name", true),
            ("extra", false),
            ("more", false)
        ])
    );
}

/// OpenAPI 3.0: the siblings of `$ref` are ignored, as the specification says, and reported.
#[test]
fn ref_siblings_in_3_0_are_ignored_and_reported() {
    let l = lower_str(&format!("openapi: 3.0.3\n{REF_SIBLINGS}"));
    no_errors(&l);
    let warned: Vec<&str> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::ref_siblings_ignored")
        .map(|d| d.location.as_ref().unwrap().pointer.as_str())
        .collect();
    assert_eq!(
        warned,
        [
            "/components/schemas/Dog/properties",
            "/components/schemas/PetWithId/required",
            "/components/schemas/Owner/properties/pet/properties",
            "/components/schemas/Owner/properties/status/enum",
        ],
        "{:#?}",
        l.diagnostics
    );
    let (pet, _) = ty_named(&l.api, "Pet");
    let (_, dog) = ty_named(&l.api, "Dog");
    assert!(matches!(dog.kind, TypeKind::Alias(TypeRef::Named(p)) if p == pet));
    let (_, owner) = ty_named(&l.api, "Owner");
    assert_eq!(field(owner, "pet").ty, TypeRef::Named(pet));
}

// -- References to files that are not read ---------------------------------------------------

/// Planted in the file outside the document's folder: it must never be read.
const OUTSIDE_SECRET: &str = "PARTIAL-SECRET-4d1e";

/// `api/api.yaml` next to `shared/Pet.yaml` (outside `api/`, so refused), with `api/bad.yaml`
/// (unparsable) and no `api/missing.yaml`. Operations: `ok` (local references only),
/// `outside` (response refused), `missing` (parameter in a missing file), `unparsable` (body in
/// the unparsable file), `usesOutside` (through the component `UsesOutside`).
fn refused_fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("api")).unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(
        dir.path().join("shared/Pet.yaml"),
        format!("Pet: {{type: object, description: {OUTSIDE_SECRET}}}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("api/bad.yaml"), "a: [unclosed\n").unwrap();
    let main = dir.path().join("api/api.yaml");
    std::fs::write(
        &main,
        r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /ok:
    get:
      operationId: ok
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Good'}
  /outside:
    get:
      operationId: outside
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '../shared/Pet.yaml#/Pet'}
  /missing/{id}:
    get:
      operationId: missing
      parameters:
        - $ref: 'missing.yaml#/Id'
      responses: {'204': {description: ok}}
  /unparsable:
    post:
      operationId: unparsable
      requestBody:
        content:
          application/json:
            schema: {$ref: 'bad.yaml#/a'}
      responses: {'204': {description: ok}}
  /uses-outside:
    get:
      operationId: usesOutside
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/UsesOutside'}
components:
  schemas:
    Good:
      type: object
      properties:
        n: {type: string}
    UsesOutside:
      type: object
      properties:
        pet: {$ref: '../shared/Pet.yaml#/Pet'}
"##,
    )
    .unwrap();
    (dir, main)
}

fn code_at(d: &Diagnostic) -> (&'static str, &str) {
    (
        d.code,
        d.location.as_ref().map_or("", |l| l.pointer.as_str()),
    )
}

#[test]
fn references_to_files_not_read_skip_only_what_depends_on_them() {
    let (_dir, main) = refused_fixture();
    let l = lower(&main);
    no_errors(&l);
    let ops: Vec<String> = l.api.operations.iter().map(|o| o.name.display()).collect();
    assert_eq!(ops, ["ok"]);
    let types = names(&l.api);
    assert!(types.contains(&"Good".to_string()), "{types:?}");
    assert!(!types.contains(&"UsesOutside".to_string()), "{types:?}");
    // Nothing outside the folder was read.
    assert!(!l.files_read.iter().any(|f| f.ends_with("Pet.yaml")));
    let got: Vec<(&str, &str)> = l.diagnostics.iter().map(code_at).collect();
    // One warning per skipped item, located at it, and one summary at the first reference.
    for want in [
        ("openapi::skipped_operation", "/paths/~1outside/get"),
        ("openapi::skipped_operation", "/paths/~1missing~1{id}/get"),
        ("openapi::skipped_operation", "/paths/~1unparsable/post"),
        ("openapi::skipped_operation", "/paths/~1uses-outside/get"),
        ("openapi::skipped_type", "/components/schemas/UsesOutside"),
        // Components are lowered first: the first broken reference met is `UsesOutside`'s.
        (
            "openapi::broken_refs",
            "/components/schemas/UsesOutside/properties/pet/$ref",
        ),
    ] {
        assert_eq!(
            got.iter().filter(|g| **g == want).count(),
            1,
            "{want:?} in {got:#?}"
        );
    }
    // No warning per reference (those can be hundreds), no missing path parameter.
    assert!(
        !got.iter().any(|(c, _)| c.starts_with("load::outside")
            || *c == "load::not_found"
            || *c == "openapi::dangling_ref"
            || *c == "openapi::missing_path_param"),
        "{got:#?}"
    );
    // The unparsable file's own error is a warning located in it.
    let bad = l
        .diagnostics
        .iter()
        .find(|d| {
            d.location
                .as_ref()
                .is_some_and(|l| l.file.ends_with("bad.yaml"))
        })
        .expect("the parse error of bad.yaml");
    assert!(
        !bad.is_error() && bad.location.as_ref().unwrap().line.is_some(),
        "{bad}"
    );
    for d in &l.diagnostics {
        let loc = d.location.as_ref().unwrap();
        assert!(loc.line.is_some() && loc.column.is_some(), "{d}");
        assert!(!d.to_string().contains(OUTSIDE_SECRET), "{d}");
    }
    let skipped = |ptr: &str| {
        l.diagnostics
            .iter()
            .find(|d| d.code.starts_with("openapi::skipped") && code_at(d).1 == ptr)
            .unwrap()
    };
    // Each names the reference, where it is, and why it is not followed, with the fix.
    let outside = skipped("/paths/~1outside/get");
    assert!(
        outside.message.contains("../shared/Pet.yaml")
            && outside.message.contains("outside the folder")
            && outside.message.contains(
                "api.yaml#/paths/~1outside/get/responses/200/content/application~1json/schema/$ref"
            ),
        "{}",
        outside.message
    );
    let help = outside.help.as_deref().unwrap();
    assert!(
        help.contains("--allow-path") && help.contains("--strict"),
        "{help}"
    );
    let through = skipped("/components/schemas/UsesOutside");
    assert!(
        through
            .message
            .contains("#/components/schemas/UsesOutside/properties/pet/$ref"),
        "{}",
        through.message
    );
    assert!(skipped("/paths/~1missing~1{id}/get")
        .message
        .contains("does not exist"));
    assert!(skipped("/paths/~1unparsable/post")
        .message
        .contains("cannot be parsed"));
    let summary = l
        .diagnostics
        .iter()
        .find(|d| d.code == "openapi::broken_refs")
        .unwrap();
    assert!(
        summary
            .message
            .starts_with("4 references cannot be followed")
            && summary.message.contains("2 to 1 file outside the folders")
            && summary
                .message
                .contains("4 of 5 operations, 1 schema and 0 webhooks"),
        "{}",
        summary.message
    );
}

#[test]
fn strict_refuses_references_to_files_not_read_at_each_reference() {
    let (_dir, main) = refused_fixture();
    let l = lower(&main);
    let strict = l.strict.as_ref().expect("a strict variant");
    let got: Vec<(&str, &str)> = strict
        .iter()
        .filter(|d| d.is_error())
        .map(code_at)
        .collect();
    assert_eq!(
        got,
        [
            (
                "load::outside_root",
                "/components/schemas/UsesOutside/properties/pet/$ref"
            ),
            (
                "load::outside_root",
                "/paths/~1outside/get/responses/200/content/application~1json/schema/$ref"
            ),
            (
                "load::not_found",
                "/paths/~1missing~1{id}/get/parameters/0/$ref"
            ),
            (
                "load::unreadable",
                "/paths/~1unparsable/post/requestBody/content/application~1json/schema/$ref"
            ),
            ("load::invalid_yaml", ""),
        ],
        "{strict:#?}"
    );
    assert!(!strict.iter().any(|d| super::is_partial_generation(d.code)));
    assert!(strict
        .iter()
        .all(|d| d.location.as_ref().is_some_and(|l| l.line.is_some())));
    // Through the library: `strict(true)` refuses the document, the default generates `ok`.
    let err = crate::Generator::new(&main)
        .strict(true)
        .check()
        .unwrap_err();
    let crate::Error::Invalid { diagnostics } = err else {
        panic!("{err:?}")
    };
    assert_eq!(diagnostics[0].code, "load::outside_root");
    let warnings = crate::Generator::new(&main).check().unwrap();
    assert!(warnings.iter().any(|d| d.code == "openapi::broken_refs"));
}

#[test]
fn nothing_left_past_refused_references_reports_them_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("api.yaml");
    std::fs::write(
        &main,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '../elsewhere/x.yaml'}\n",
    )
    .unwrap();
    let l = lower(&main);
    let errors: Vec<(&str, &str)> = l
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(code_at)
        .collect();
    assert_eq!(
        errors,
        [
            (
                "load::outside_root",
                "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
            ),
            (
                "openapi::nothing_left",
                "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
            ),
        ]
    );
}

/// maxio's 680 references to ~260 files outside its folder (not in the corpus copy) used to
/// refuse the whole document with 680 errors: the 5 operations that do not depend on them are
/// generated, with one warning per skipped operation or schema and one summary.
#[test]
fn maxio_generates_what_does_not_depend_on_files_outside_its_folder() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipped");
        return;
    };
    let l = lower(&dir.join("maxio-advanced-billing-3.1.yaml"));
    no_errors(&l);
    assert_eq!(
        l.api.operations.len(),
        5,
        "{:?}",
        l.api
            .operations
            .iter()
            .map(|o| o.name.display())
            .collect::<Vec<_>>()
    );
    let count = |code: &str| l.diagnostics.iter().filter(|d| d.code == code).count();
    assert_eq!(count("openapi::skipped_operation"), 227);
    assert_eq!(count("openapi::broken_refs"), 1);
    assert_eq!(count("load::outside_root"), 0);
    let strict = l.strict.as_ref().unwrap();
    assert!(
        strict
            .iter()
            .filter(|d| d.code == "load::outside_root")
            .count()
            >= 600
    );
    for d in &l.diagnostics {
        assert!(d.location.as_ref().is_some_and(|l| l.line.is_some()), "{d}");
    }
    eprintln!(
        "{}",
        l.diagnostics
            .iter()
            .find(|d| d.code == "openapi::broken_refs")
            .unwrap()
    );
}

/// The front end neither cases nor numbers names: an inline schema's derived name is its parts,
/// even when it collides with a given name once cased; `rust::naming` numbers the derived one.
#[test]
fn derived_names_are_cased_and_numbered_only_by_the_back_end() {
    let l = lower_schemas(
        r##"
    Pet:
      type: object
      properties:
        owner: {type: object, properties: {n: {type: string}}}
    PetOwner:
      type: object
      properties:
        m: {type: string}
    Toy:
      type: object
      properties:
        owner: {type: object, properties: {k: {type: string}}}
        Owner: {type: object, properties: {j: {type: string}}}
"##,
    );
    no_errors(&l);
    let derived = |parts: &[&str]| {
        let want = Name::Derived(parts.iter().map(|p| p.to_string()).collect());
        l.api
            .types
            .iter()
            .position(|t| t.name == want)
            .unwrap_or_else(|| panic!("no {want:?} in {:?}", names(&l.api)))
    };
    let names = crate::rust::naming::compute(&l.api);
    let (pet_owner, _) = ty_named(&l.api, "PetOwner");
    assert_eq!(names.types[pet_owner.0 as usize], "PetOwner");
    assert_eq!(names.types[derived(&["Pet", "owner"])], "PetOwner2");
    // Two derived names that case alike: the one made first (document order) keeps the name.
    assert_eq!(names.types[derived(&["Toy", "owner"])], "ToyOwner");
    assert_eq!(names.types[derived(&["Toy", "Owner"])], "ToyOwner2");
}

#[test]
fn a_3_1_chain_of_refs_with_siblings_merges_every_level_and_stays_bounded() {
    // S0 -> S1 -> … -> Sn (an object), each `$ref` beside a property of its own: Si has the
    // properties of every level below it, up to MAX_REF_HOPS levels (then a warning).
    let n = 300;
    let mut schemas: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r##""S{i}": {{"$ref": "#/components/schemas/S{}", "properties": {{"p{i}": {{"type": "integer"}}}}}}"##,
                i + 1
            )
        })
        .collect();
    schemas.push(format!(
        r#""S{n}": {{"type": "object", "properties": {{"id": {{"type": "integer"}}}}}}"#
    ));
    let text = json_doc(&schemas.join(",")).replace("3.0.3", "3.1.0");
    let (doc, diags) = load::parse(Path::new("chain31.json"), text);
    let l = lower_document(doc.expect("parses"), diags);
    no_errors(&l);
    let near = ty_named(&l.api, &format!("S{}", n - 3)).1;
    let got: Vec<&str> = fields(near).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        got,
        [
            "id".to_owned(),
            format!("p{}", n - 1),
            format!("p{}", n - 2),
            format!("p{}", n - 3)
        ]
    );
    // Past the bound, the outer levels' siblings are still merged, with a warning each.
    let far = ty_named(&l.api, "S0").1;
    assert!(fields(far).iter().any(|f| f.name == "p0"));
    let long: Vec<&Diagnostic> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "openapi::ref_chain_too_long")
        .collect();
    assert_eq!(long.len(), n - super::schema::MAX_REF_HOPS, "{long:#?}");
}

#[test]
fn a_3_1_cycle_of_refs_with_siblings_is_reported_not_followed() {
    let l = lower_str(
        r##"
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {$ref: '#/components/schemas/B', properties: {a: {type: string}}}
    B: {$ref: '#/components/schemas/C', properties: {b: {type: string}}}
    C: {$ref: '#/components/schemas/A', properties: {c: {type: string}}}
    D: {$ref: '#/components/schemas/A', required: [a]}
    E: {type: object, properties: {ok: {type: string}}}
"##,
    );
    no_errors(&l);
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"openapi::dangling_ref"), "{codes:?}");
    assert_eq!(names(&l.api), ["E"]);
}
