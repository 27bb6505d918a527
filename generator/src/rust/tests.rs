//! Back-end tests on a hand-built, petstore-like IR that exercises every feature.
//!
//! `petstore()` is also what the generated-crate check uses: set `SDKWRIGHT_CHECK_CRATE=<dir>` and
//! run `cargo test -p sdkwright --lib rust::tests::writes_petstore_crate` to write the crate there,
//! then `cargo check`/`clippy -- -D warnings`/`doc` it (see the report in the commit history).

use std::path::PathBuf;

use crate::emit::{self, SourceInfo};
use crate::ir::*;
use crate::options::Options;

fn prim(p: Primitive) -> TypeRef {
    TypeRef::Primitive(p)
}

fn def(name: &str, docs: Option<&str>, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: Name::Given(name.into()),
        docs: docs.map(Into::into),
        origin: format!("petstore.yaml#/components/schemas/{name}"),
        kind,
    }
}

fn strukt(fields: Vec<Field>) -> TypeKind {
    TypeKind::Struct(StructDef {
        fields,
        ..Default::default()
    })
}

fn param(name: &str, location: ParamLocation, required: bool, ty: TypeRef) -> Param {
    Param {
        name: name.into(),
        location,
        required,
        ty,
        docs: None,
        deprecated: false,
        // OpenAPI's defaults, as the front end lowers them.
        style: match location {
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Comma,
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::FormExploded,
        },
        allow_reserved: false,
        default: None,
    }
}

fn json() -> BodyEncoding {
    BodyEncoding::Json {
        media_type: "application/json".into(),
    }
}

fn resp(status: StatusMatch, ty: Option<TypeRef>) -> Response {
    Response {
        status,
        ty,
        encoding: json(),
        docs: None,
    }
}

fn op(name: &str, method: Method, path: &str) -> Operation {
    Operation {
        server: None,
        name: Name::Given(name.into()),
        summary: None,
        docs: None,
        deprecated: false,
        tags: vec![],
        origin: format!("petstore.yaml#/paths/{name}"),
        method,
        path: path.into(),
        params: vec![],
        body: None,
        responses: vec![],
        security: None,
    }
}

/// A petstore-like API using every IR feature the back end supports.
pub(crate) fn petstore() -> Api {
    let mut api = Api {
        title: "Pet Store".into(),
        version: Some("1.2.3".into()),
        docs: Some(
            "A sample API.\n\nSee [the guide](https://example.com/guide) and https://example.com."
                .into(),
        ),
        servers: vec![Server {
            url: "https://petstore.example/v1".into(),
            docs: None,
        }],
        ..Default::default()
    };
    // 0: string enum
    let status = api.add_type(def(
        "pet-status",
        Some("Status of a pet in the store."),
        TypeKind::Enum(EnumDef {
            values: ["available", "in-progress", "1.0", "unknown", "Self"]
                .iter()
                .map(|w| EnumValue {
                    wire: (*w).into(),
                    docs: None,
                })
                .collect(),
            ..Default::default()
        }),
    ));
    // 1: recursive type (boxed by analysis)
    let category = api.add_type(def("Category", None, strukt(vec![])));
    // 2: the main struct
    let pet = api.add_type(def(
        "Pet",
        Some("A pet.\n\n```\nlet x = [1];\n```"),
        strukt(vec![]),
    ));
    api.ty_mut(category).kind = strukt(vec![
        Field::new("name", prim(Primitive::String), true),
        Field::new("parent", TypeRef::Named(category), false),
        Field::new(
            "children",
            TypeRef::List(Box::new(TypeRef::Named(category))),
            false,
        ),
    ]);
    let mut nullable = Field::new("nickname", prim(Primitive::String), true);
    nullable.nullable = true;
    let mut deprecated = Field::new("legacy_code", prim(Primitive::I32), false);
    deprecated.deprecated = true;
    deprecated.docs = Some("Old <b>code</b>, see [Pet].".into());
    api.ty_mut(pet).kind = TypeKind::Struct(StructDef {
        fields: vec![
            Field::new("id", prim(Primitive::I64), true),
            Field::new("name", prim(Primitive::String), true),
            Field::new("petType", prim(Primitive::String), true),
            Field::new("type", prim(Primitive::String), false),
            Field::new("self", prim(Primitive::String), false),
            nullable,
            deprecated,
            Field::new("status", TypeRef::Named(status), false),
            Field::new("category", TypeRef::Named(category), false),
            Field::new(
                "tags",
                TypeRef::List(Box::new(prim(Primitive::String))),
                false,
            ),
            Field::new("attributes", TypeRef::Map(Box::new(TypeRef::Any)), false),
        ],
        additional: None,
        xml_namespace: None,
        flatten: Vec::new(),
    });
    // 3: every primitive format, plus additionalProperties
    api.add_type(def(
        "Formats",
        None,
        TypeKind::Struct(StructDef {
            fields: vec![
                Field::new("s", prim(Primitive::String), false),
                Field::new("b", prim(Primitive::Bool), false),
                Field::new("i32", prim(Primitive::I32), false),
                Field::new("i64", prim(Primitive::I64), false),
                Field::new("f32", prim(Primitive::F32), false),
                Field::new("f64", prim(Primitive::F64), false),
                Field::new("at", prim(Primitive::DateTime), false),
                Field::new("on", prim(Primitive::Date), false),
                Field::new("uuid", prim(Primitive::Uuid), false),
                Field::new("bytes", prim(Primitive::Base64), false),
                Field::new("Foo", prim(Primitive::I32), false),
                Field::new("foo", prim(Primitive::I32), false),
            ],
            additional: Some(prim(Primitive::I32)),
            xml_namespace: None,
            flatten: Vec::new(),
        }),
    ));
    // 4, 5: union members; 6: tagged union; 7: untagged union
    let cat = api.add_type(def(
        "Cat",
        None,
        strukt(vec![Field::new("meows", prim(Primitive::Bool), true)]),
    ));
    let dog = api.add_type(def(
        "Dog",
        None,
        strukt(vec![Field::new("barks", prim(Primitive::Bool), true)]),
    ));
    api.add_type(def(
        "Animal",
        None,
        TypeKind::Union(UnionDef {
            variants: vec![
                UnionVariant {
                    name: "Cat".into(),
                    tag: Some("cat".into()),
                    ty: TypeRef::Named(cat),
                    docs: None,
                    boxed: false,
                },
                UnionVariant {
                    name: "Dog".into(),
                    tag: Some("Dog".into()),
                    ty: TypeRef::Named(dog),
                    docs: None,
                    boxed: false,
                },
            ],
            discriminator: Some("kind".into()),
            fallback: false,
        }),
    ));
    api.add_type(def(
        "IdOrName",
        None,
        TypeKind::Union(UnionDef {
            variants: vec![
                UnionVariant {
                    name: "id".into(),
                    tag: None,
                    ty: prim(Primitive::I64),
                    docs: None,
                    boxed: false,
                },
                UnionVariant {
                    name: "name".into(),
                    tag: None,
                    ty: prim(Primitive::String),
                    docs: None,
                    boxed: false,
                },
            ],
            discriminator: None,
            fallback: false,
        }),
    ));
    // 8: alias, 9: error model, 10: new pet (body), 11: type named like a prelude item
    api.add_type(def(
        "PetList",
        None,
        TypeKind::Alias(TypeRef::List(Box::new(TypeRef::Named(pet)))),
    ));
    let error = api.add_type(def(
        "ApiError",
        None,
        strukt(vec![
            Field::new("code", prim(Primitive::I32), true),
            Field::new("message", prim(Primitive::String), true),
        ]),
    ));
    let new_pet = api.add_type(def(
        "NewPet",
        None,
        strukt(vec![
            Field::new("name", prim(Primitive::String), true),
            Field::new("tag", prim(Primitive::String), false),
        ]),
    ));
    api.add_type(TypeDef {
        name: Name::Derived(vec!["Result".into()]),
        docs: None,
        origin: String::new(),
        kind: strukt(vec![Field::new("ok", prim(Primitive::Bool), true)]),
    });
    // 12, 13: GraphQL variables and data; 14, 15: SOAP request and response elements
    let gql_vars = api.add_type(def(
        "PetByIdVariables",
        None,
        strukt(vec![Field::new("id", prim(Primitive::I64), true)]),
    ));
    let gql_data = api.add_type(def(
        "PetByIdData",
        None,
        strukt(vec![Field::new("pet", TypeRef::Named(pet), false)]),
    ));
    let soap_in = api.add_type(def(
        "GetQuote",
        None,
        strukt(vec![Field::new("symbol", prim(Primitive::String), true)]),
    ));
    let soap_out = api.add_type(def(
        "GetQuoteResponse",
        None,
        strukt(vec![Field::new("price", prim(Primitive::F64), true)]),
    ));

    api.security_schemes = vec![
        SecurityScheme {
            name: "api_key".into(),
            docs: None,
            kind: SecurityKind::ApiKeyHeader {
                header: "X-API-Key".into(),
            },
        },
        SecurityScheme {
            name: "bearerAuth".into(),
            docs: None,
            kind: SecurityKind::Bearer,
        },
        SecurityScheme {
            name: "basicAuth".into(),
            docs: Some("HTTP basic.".into()),
            kind: SecurityKind::Basic,
        },
    ];
    api.default_security = vec![
        SecurityRequirement {
            schemes: vec![SchemeId(0)],
            ..Default::default()
        },
        SecurityRequirement {
            schemes: vec![SchemeId(1)],
            ..Default::default()
        },
    ];

    let mut get = op("getPetById", Method::Get, "/pets/{petId}");
    get.summary = Some("Find a pet by ID.".into());
    get.params = vec![
        param(
            "verbose",
            ParamLocation::Query,
            false,
            prim(Primitive::Bool),
        ),
        param("petId", ParamLocation::Path, true, prim(Primitive::I64)),
    ];
    get.responses = vec![
        resp(StatusMatch::Code(200), Some(TypeRef::Named(pet))),
        resp(StatusMatch::Default, Some(TypeRef::Named(error))),
        resp(StatusMatch::Code(404), Some(TypeRef::Named(error))),
        resp(StatusMatch::Range(4), None),
    ];

    let mut find = op("findPets", Method::Get, "/pets");
    find.docs = Some("Lists pets.\n- by status\nand tags".into());
    let mut tags = param(
        "tags",
        ParamLocation::Query,
        false,
        TypeRef::List(Box::new(prim(Primitive::String))),
    );
    tags.style = ParamStyle::Comma;
    find.params = vec![
        param("owner", ParamLocation::Query, true, prim(Primitive::String)),
        tags,
        param(
            "status",
            ParamLocation::Query,
            false,
            TypeRef::Named(status),
        ),
        param("type", ParamLocation::Query, false, prim(Primitive::String)),
        param(
            "X-Request-Id",
            ParamLocation::Header,
            false,
            prim(Primitive::Uuid),
        ),
        param("client", ParamLocation::Query, false, prim(Primitive::I32)),
    ];
    find.responses = vec![resp(
        StatusMatch::Code(200),
        Some(TypeRef::List(Box::new(TypeRef::Named(pet)))),
    )];
    find.security = Some(vec![]);

    let mut add = op("addPet", Method::Post, "/pets");
    add.body = Some(RequestBody {
        ty: TypeRef::Named(new_pet),
        required: true,
        encoding: json(),
        docs: None,
    });
    add.responses = vec![
        resp(StatusMatch::Code(201), Some(TypeRef::Named(pet))),
        resp(StatusMatch::Code(422), Some(TypeRef::Named(error))),
        resp(StatusMatch::Code(599), None),
    ];
    add.security = Some(vec![SecurityRequirement {
        schemes: vec![SchemeId(0), SchemeId(2)],
        ..Default::default()
    }]);

    let mut delete = op("deletePet", Method::Delete, "/pets/{petId}");
    delete.deprecated = true;
    delete.params = vec![param(
        "petId",
        ParamLocation::Path,
        true,
        prim(Primitive::String),
    )];
    delete.responses = vec![resp(StatusMatch::Code(204), None)];

    let mut download = op("downloadPhoto", Method::Get, "/pets/{petId}/photo");
    download.params = vec![param(
        "petId",
        ParamLocation::Path,
        true,
        prim(Primitive::I64),
    )];
    download.responses = vec![Response {
        status: StatusMatch::Code(200),
        ty: Some(prim(Primitive::Binary)),
        encoding: BodyEncoding::Binary {
            media_type: "image/png".into(),
        },
        docs: None,
    }];

    let mut upload = op("uploadPhoto", Method::Put, "/pets/{petId}/photo");
    upload.params = vec![param(
        "petId",
        ParamLocation::Path,
        true,
        prim(Primitive::I64),
    )];
    upload.body = Some(RequestBody {
        ty: prim(Primitive::Binary),
        required: false,
        encoding: BodyEncoding::Binary {
            media_type: "image/png".into(),
        },
        docs: None,
    });

    let mut toys = op("", Method::Get, "/pets/{petId}/toys");
    toys.name = Name::Derived(vec![
        "get".into(),
        "pets".into(),
        "{petId}".into(),
        "toys".into(),
    ]);
    toys.params = vec![param(
        "petId",
        ParamLocation::Path,
        true,
        prim(Primitive::I64),
    )];

    let mut gql = op("PetById", Method::Post, "");
    gql.body = Some(RequestBody {
        ty: TypeRef::Named(gql_vars),
        required: true,
        encoding: BodyEncoding::GraphQl {
            document: "query PetById($id: ID!) { pet(id: $id) { id name } }".into(),
            operation_name: "PetById".into(),
            kind: GraphQlKind::Query,
        },
        docs: None,
    });
    gql.responses = vec![Response {
        status: StatusMatch::Code(200),
        ty: Some(TypeRef::Named(gql_data)),
        encoding: BodyEncoding::GraphQl {
            document: String::new(),
            operation_name: "PetById".into(),
            kind: GraphQlKind::Query,
        },
        docs: None,
    }];

    let soap_enc = BodyEncoding::Soap {
        headers: Vec::new(),
        addressing: None,
        version: SoapVersion::V11,
        action: "http://example.com/GetQuote".into(),
        element: XmlName {
            namespace: Some("http://example.com/stock".into()),
            local: "GetQuote".into(),
        },
    };
    let mut soap = op("GetQuote", Method::Post, "");
    soap.body = Some(RequestBody {
        ty: TypeRef::Named(soap_in),
        required: true,
        encoding: soap_enc.clone(),
        docs: None,
    });
    soap.responses = vec![
        Response {
            status: StatusMatch::Code(200),
            ty: Some(TypeRef::Named(soap_out)),
            encoding: soap_enc.clone(),
            docs: None,
        },
        // No declared fault (a typed one would make the error `rt::Fault<GetQuoteErrorBody>`).
        Response {
            status: StatusMatch::Default,
            ty: None,
            encoding: soap_enc,
            docs: None,
        },
    ];
    soap.security = Some(vec![]);

    // 16, 17, 18: OpenAPI-style discriminator: members carry the `petType` property.
    let lizard = api.add_type(def(
        "Lizard",
        None,
        strukt(vec![
            Field::new("petType", prim(Primitive::String), true),
            Field::new("scales", prim(Primitive::I32), true),
        ]),
    ));
    api.add_type(def(
        "Reptile",
        None,
        TypeKind::Union(UnionDef {
            variants: vec![
                UnionVariant {
                    name: "Lizard".into(),
                    tag: Some("lizard".into()),
                    ty: TypeRef::Named(lizard),
                    docs: None,
                    boxed: false,
                },
                UnionVariant {
                    name: "Pet".into(),
                    tag: None,
                    ty: TypeRef::Named(pet),
                    docs: None,
                    boxed: false,
                },
            ],
            discriminator: Some("petType".into()),
            fallback: false,
        }),
    ));

    api.operations = vec![get, find, add, delete, download, upload, toys, gql, soap];
    let diags = crate::analysis::run(&mut api);
    assert!(diags.is_empty(), "{diags:?}");
    api
}

fn source() -> SourceInfo {
    SourceInfo {
        file_name: "petstore.yaml".into(),
        input: "specs/petstore.yaml".into(),
        sha256: "ab".repeat(32),
    }
}

fn render() -> Vec<(PathBuf, String)> {
    let api = petstore();
    let opts = Options {
        runtime_path: Some(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../runtime"
        ))),
        ..Default::default()
    };
    let (code, diags) = super::generate(&api, &opts);
    assert!(diags.is_empty(), "{diags:?}");
    emit::render_crate(&api, &code, &opts, &source(), &Default::default()).expect("renders")
}

fn file(files: &[(PathBuf, String)], name: &str) -> String {
    files
        .iter()
        .find(|(p, _)| p == &PathBuf::from(name))
        .map(|(_, s)| s.clone())
        .expect(name)
}

/// Containment ignoring whitespace and trailing commas, so assertions don't depend on how
/// prettyplease breaks lines.
#[track_caller]
fn assert_has(haystack: &str, needle: &str) {
    let squash = |s: &str| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        s.replace(",)", ")").replace(",}", "}").replace(",]", "]")
    };
    let needle = squash(needle);
    assert!(
        squash(haystack).contains(needle.trim_end_matches(',')),
        "missing:\n{needle}\n--- in ---\n{haystack}"
    );
}

#[test]
fn writes_petstore_crate() {
    let files = render();
    if let Ok(dir) = std::env::var("SDKWRIGHT_CHECK_CRATE") {
        emit::write_crate(std::path::Path::new(&dir), &files, &[]).unwrap();
    }
    for (path, text) in &files {
        if path.extension().is_some_and(|e| e == "rs") {
            assert!(
                text.starts_with("// @generated by sdkwright"),
                "{}",
                path.display()
            );
        }
    }
    assert_eq!(render(), files, "deterministic");
}

/// A type the document names without describing it is documented by where it is defined (the
/// pointer, not the file's path) and what uses it, never with a filler naming the API.
#[test]
fn undescribed_named_types_say_where_they_are_defined_and_used() {
    let types = file(&render(), "src/types.rs");
    let filler: Vec<&str> = types
        .lines()
        .filter(|l| l.trim_start().starts_with("///") && l.trim_end().ends_with(" API."))
        .collect();
    assert!(filler.is_empty(), "{filler:#?}");
    let notes: Vec<&str> = types
        .lines()
        .filter(|l| l.starts_with("/// Defined at `#/components/schemas/"))
        .collect();
    assert!(!notes.is_empty(), "{types}");
    assert!(notes.iter().any(|l| l.contains(". Used as ")), "{notes:#?}");
    assert!(
        !types
            .lines()
            .any(|l| l.trim_start().starts_with("///") && l.contains("petstore.yaml")),
        "a file path in the docs"
    );
}

#[test]
fn send_body_is_a_few_lines() {
    let ops = file(&render(), "src/operations.rs");
    // `customize`, `send` and `send_with_response` (returning the runtime's future, typed; no
    // `async fn` per operation) are the same in every builder that decodes one body without
    // typed headers: the runtime's macro writes them.
    assert_has(
        &ops,
        r#"rt::send_methods!(types::Pet, types::ApiError);
            fn rt_request(self) -> rt::Prepared {
                let req = rt::Request::new(&GET_PET_BY_ID)"#,
    );
    assert_has(
        &ops,
        r#"fn rt_request(self) -> rt::Prepared {
            let req = rt::Request::new(&GET_PET_BY_ID)
                .param("verbose", &self.verbose)
                .param("petId", &self.pet_id);
            self.client.prepare(req)
        }"#,
    );
    assert!(!ops.contains("async fn send"), "no async fn per operation");
    // Other builders write `send` themselves and `customize` through the runtime's macro.
    assert_has(&ops, "rt::customize!();");
    // Binary download and optional binary upload.
    assert_has(&ops, "self.rt_request().send_bytes_with_response()");
    assert_has(
        &ops,
        "if let Some(body) = self.body { req = req.body_bytes(body); }",
    );
    // The status table of the one error body type: exact codes, then ranges, then default; a
    // declared status without a body is `no_body`, a trailing one is left out.
    assert_has(
        &ops,
        ".errors(&[rt::status(404), rt::status_class(4).no_body(), rt::any_status()]);",
    );
    assert_has(&ops, ".errors(&[rt::status(422)]);");
    assert!(
        !ops.contains("impl rt::FromErrorResponse"),
        "no error enum per operation"
    );
    // GraphQL and SOAP use the same machinery.
    assert_has(
        &ops,
        // The kind, and the SHA-256 of the text for automatic persisted queries.
        r#".body(rt::BodyFormat::graphql_operation(rt::GraphQlKind::Query, "query PetById($id: ID!) { pet(id: $id) { id name } }", "PetById", "03f7fc533c921f1089f252820d1096388a750909553010189aa6376ab83127e5"))"#,
    );
    assert_has(&ops, ".response(rt::ResponseFormat::GraphQl)");
    assert_has(&ops, r#""http://example.com/stock", "GetQuote"))"#);
    // SOAP: the fault is the typed error body, whatever the status.
    assert_has(
        &ops,
        "rt::send_methods!(types::GetQuoteResponse, rt::SoapFault);",
    );
    // Security alternatives point at the client's scheme statics.
    assert_has(
        &ops,
        ".security(&[&[&super::client::API_KEY], &[&super::client::BEARER_AUTH]])",
    );
    assert_has(
        &ops,
        ".security(&[&[&super::client::API_KEY, &super::client::BASIC_AUTH]])",
    );
    // Reserved builder field names yield.
    assert_has(&ops, "client2: Option<i32>");
}

/// The contract with the runtime: one import, `const fn` builders that state only what differs
/// from the defaults, and the contract version check.
#[test]
fn runtime_contract_is_built_with_const_builders() {
    let files = render();
    let ops = file(&files, "src/operations.rs");
    let client = file(&files, "src/client.rs");
    for text in [&ops, &client] {
        assert_has(text, "use ::sdkwright_runtime::__private as rt;");
        // No struct literal of a runtime type anywhere.
        assert!(!text.contains("OperationSpec {"), "{text}");
        assert!(!text.contains("SecurityScheme {"), "{text}");
    }
    assert_has(
        &client,
        &format!(
            "const _: () = rt::require_contract({});",
            super::RUNTIME_CONTRACT
        ),
    );
    assert_has(
        &client,
        r#"pub(crate) static API_KEY: rt::SecurityScheme = rt::SecurityScheme::api_key_header("api_key", "x-api-key");"#,
    );
    assert_has(&client, "rt::Credential::basic(user, password)");
    // Path parameters, default styles and a style override; no `.body`/`.response` when the
    // defaults (none, empty) hold.
    assert_has(
        &ops,
        r#"static GET_PET_BY_ID: rt::OperationSpec = rt::get("getPetById", "/pets/{petId}")
            .params(&[rt::query("verbose"), rt::path("petId")])
            .response(rt::ResponseFormat::Json)"#,
    );
    assert_has(&ops, r#"rt::query("tags").style(rt::Style::Comma)"#);
    assert_has(&ops, r#"rt::header("X-Request-Id")"#);
    assert_has(
        &ops,
        r#"static DELETE_PET: rt::OperationSpec = rt::delete("deletePet", "/pets/{petId}")
            .params(&[rt::path("petId")])
            .security(&[&[&super::client::API_KEY], &[&super::client::BEARER_AUTH]]);"#,
    );
    // An operation whose security is explicitly empty has no `.security`.
    assert_has(
        &ops,
        r#".response(rt::ResponseFormat::Json);
        /// `GET /pets`: request builder for [`Client::find_pets`]"#,
    );
}

/// The generator writes the contract version the runtime in this repository speaks.
#[test]
fn runtime_contract_matches_the_runtime() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src/contract.rs");
    let src = std::fs::read_to_string(path).expect(path);
    let line = src
        .lines()
        .find(|l| l.starts_with("pub const CONTRACT: u32 = "))
        .expect("CONTRACT in runtime/src/contract.rs");
    let runtime: u32 = line
        .trim_start_matches("pub const CONTRACT: u32 = ")
        .trim_end_matches(';')
        .parse()
        .expect("a number");
    assert_eq!(super::RUNTIME_CONTRACT, runtime);
}

#[test]
fn types_have_renames_raw_idents_and_unknown() {
    let types = file(&render(), "src/types.rs");
    assert_has(
        &types,
        r#"#[serde(rename = "petType")] pub pet_type: String,"#,
    );
    // A raw identifier is the wire name: no rename; an undocumented field gets no filler doc.
    assert_has(
        &types,
        r#"#[serde(default, skip_serializing_if = "Option::is_none")] pub r#type: Option<String>,"#,
    );
    assert!(!types.contains("The `type` field."), "no filler docs");
    assert_has(&types, r#"#[serde(rename = "self")]"#);
    assert_has(&types, "pub self_: Option<String>,");
    assert_has(&types, "pub nickname: Option<String>,");
    assert_has(&types, "pub parent: Option<Box<Category>>,");
    assert_has(&types, "pub children: Option<Vec<Category>>,");
    assert_has(&types, "Unknown(String),");
    // String enums: the wire table, and the impls from the runtime's macro.
    assert_has(&types, r#"("1.0", Self::V1_0)"#);
    assert_has(&types, r#"("unknown", Self::Unknown2)"#);
    assert_has(
        &types,
        "::sdkwright_runtime::__private::string_enum!(PetStatus);",
    );
    assert_has(&types, "Self_,");
    assert_has(&types, r#"#[serde(tag = "kind")]"#);
    assert_has(&types, r#"#[serde(rename = "cat")] Cat(Cat),"#);
    assert_has(&types, "#[serde(untagged)]");
    // Members that declare the discriminator: the variant's tag written over the member's
    // own on the way out, peek at the tag in.
    assert_has(
        &types,
        "#[derive(Debug, Clone, PartialEq)] pub enum Reptile",
    );
    assert_has(
        &types,
        r#"Reptile::Lizard(value) => { ("lizard", ::sdkwright_runtime::serde_json::to_value(value)) }"#,
    );
    assert_has(&types, r#"object.insert("petType".to_owned(),"#);
    assert_has(&types, r#"Some("lizard") =>"#);
    assert_has(&types, "from_value(value).map(Reptile::Lizard)");
    assert_has(
        &types,
        r#"None => return Err(D::Error::missing_field("petType")),"#,
    );
    assert_has(&types, "pub struct Result2 {");
    assert_has(&types, "pub type PetList = Vec<Pet>;");
    assert_has(
        &types,
        "pub additional_properties: ::std::collections::BTreeMap<String, i32>,",
    );
    assert_has(&types, r#"#[serde(rename = "Foo")]"#);
    assert_has(&types, "pub foo2: Option<i32>,");
    assert_has(
        &types,
        "pub fn new(id: i64, name: impl Into<String>, pet_type: impl Into<String>) -> Self",
    );
    assert_has(&types, "```text");
    assert_has(&types, r"Old \<b\>code\</b\>, see \[Pet\].");
    assert!(
        !types.contains("serde(rename = \"id\")"),
        "no rename when the name matches"
    );
}

#[test]
fn client_has_setters_and_methods() {
    let files = render();
    let client = file(&files, "src/client.rs");
    assert_has(
        &client,
        r#"pub const DEFAULT_BASE_URL: &str = "https://petstore.example/v1";"#,
    );
    assert_has(
        &client,
        "pub fn api_key(self, key: impl Into<String>) -> Self",
    );
    assert_has(
        &client,
        "pub fn bearer_auth(self, token: impl Into<String>) -> Self",
    );
    assert_has(
        &client,
        "pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self",
    );
    assert_has(
        &client,
        "pub fn get_pet_by_id(&self, pet_id: i64) -> operations::GetPetById",
    );
    assert_has(
        &client,
        "pub fn find_pets(&self, owner: impl Into<String>) -> operations::FindPets",
    );
    assert_has(&client, "pub fn get_pets_pet_id_toys(&self, pet_id: i64)");
    // Each method says what it sends, and builds its builder in place.
    assert_has(&client, "/// Sends `GET /pets/{petId}`");
    assert_has(
        &client,
        "operations::GetPetById { client: rt::Call::new(&self.inner), pet_id, verbose: None }",
    );
    let cargo = file(&files, "Cargo.toml");
    assert_has(&cargo, r#"name = "pet-store""#);
    assert_has(&cargo, r#"version = "1.2.3""#);
    assert_has(&cargo, "sdkwright-runtime = { version = \"0.1.0\", path = ");
    let lib = file(&files, "src/lib.rs");
    assert_has(
        &lib,
        "pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};",
    );
    assert_has(
        &lib,
        "//! let client = pet_store::Client::builder().build()?;",
    );
}

#[test]
fn single_file_has_no_inner_attributes() {
    let api = petstore();
    let (code, _) = super::generate(&api, &Options::default());
    let one = emit::render_single_file(&code, &Options::default(), &source()).unwrap();
    if let Ok(path) = std::env::var("SDKWRIGHT_CHECK_SINGLE") {
        std::fs::write(path, &one).unwrap();
    }
    assert!(!one.contains("#!["), "include!-able");
    assert!(!one.contains("//!"), "include!-able");
    assert_has(&one, "pub mod types {");
    assert_has(&one, "mod client {");
    assert_has(
        &one,
        "pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};",
    );
    assert_has(
        &one,
        "pub use ::sdkwright_runtime::{\n    AfterResponse, ApiError, ApiResponse, BeforeSend, CallOptions, ErrorMetadata,\n    Interceptor, InterceptorError, OnRetry, RetryPolicy,\n};",
    );
    syn::parse_file(&one).expect("parses");
}

/// XML (SOAP) fields are named as the runtime's envelope writer reads them: attributes `@name`,
/// children of a namespace-qualified type `{uri}name` when serialized (plain `name` when
/// deserialized, as the runtime strips response prefixes), unqualified children as usual.
#[test]
fn xml_fields_rename_to_attributes_and_qualified_names() {
    use super::types::xml_rename_attr;
    let squash = |t: proc_macro2::TokenStream| t.to_string().replace(' ', "");
    let mut attr = Field::new("source", prim(Primitive::String), true);
    attr.xml_attribute = true;
    assert_eq!(
        squash(xml_rename_attr("source", &attr, Some("urn:a"))),
        r#"#[serde(rename="@source")]"#
    );
    let child = Field::new("intA", prim(Primitive::I32), true);
    assert_eq!(
        squash(xml_rename_attr("int_a", &child, Some("urn:a"))),
        r#"#[serde(rename(serialize="{urn:a}intA",deserialize="intA"))]"#
    );
    assert_eq!(
        squash(xml_rename_attr("int_a", &child, None)),
        r#"#[serde(rename="intA")]"#
    );
    let same = Field::new("price", prim(Primitive::F64), true);
    assert_eq!(squash(xml_rename_attr("price", &same, None)), "");
    // The keys of SOAP models' `XML_NAMES` table.
    use super::types::xml_key;
    assert_eq!(xml_key(&attr, Some("urn:a")), "@source");
    assert_eq!(xml_key(&child, Some("urn:a")), "{urn:a}intA");
    let mut none = child.clone();
    none.xml_namespace = Some(String::new());
    assert_eq!(xml_key(&none, Some("urn:a")), "{}intA");
    assert_eq!(xml_key(&none, None), "intA");
    none.xml_namespace = Some("urn:b".into());
    assert_eq!(xml_key(&none, Some("urn:a")), "{urn:b}intA");
}

#[test]
fn oauth2_token_setters_yield_to_a_schemes_own_setter() {
    let api = Api {
        security_schemes: vec![
            SecurityScheme {
                name: "o".into(),
                docs: None,
                kind: SecurityKind::OAuth2 {
                    flows: vec![OAuthFlow {
                        kind: OAuthFlowKind::ClientCredentials,
                        token_url: "https://t/token".into(),
                        refresh_url: None,
                        scopes: vec![],
                    }],
                },
            },
            SecurityScheme {
                name: "o_client_credentials".into(),
                docs: None,
                kind: SecurityKind::ApiKeyHeader { header: "K".into() },
            },
            SecurityScheme {
                name: "b".into(),
                docs: None,
                kind: SecurityKind::Bearer,
            },
        ],
        ..Default::default()
    };
    let names = super::naming::compute(&api);
    let o = &names.schemes[0];
    assert_eq!(o.setter, "o");
    // The derived name yields to the API key scheme's own setter.
    assert_eq!(
        o.client_credentials.as_deref(),
        Some("o_client_credentials2")
    );
    // No flow that hands out refresh tokens.
    assert_eq!(o.refresh_token, None);
    assert_eq!(o.token_provider.as_deref(), Some("o_token_provider"));
    assert_eq!(names.schemes[1].setter, "o_client_credentials");
    assert_eq!(names.schemes[1].token_provider, None);
    assert_eq!(
        names.schemes[2].token_provider.as_deref(),
        Some("b_token_provider")
    );
}

#[test]
fn an_enum_too_large_for_rustc_is_a_string_with_a_located_warning() {
    let enum_of = |n: usize| {
        def(
            "Big",
            None,
            TypeKind::Enum(EnumDef {
                values: (0..n)
                    .map(|i| EnumValue {
                        wire: format!("value-{i}"),
                        docs: None,
                    })
                    .collect(),
                ..Default::default()
            }),
        )
    };
    let mut api = Api::default();
    api.add_type(enum_of(super::types::MAX_ENUM_VALUES + 1));
    let (code, diags) = super::generate(&api, &Options::default());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, "rust::enum_too_large");
    assert!(!diags[0].is_error());
    let loc = diags[0].location.as_ref().expect("located");
    assert_eq!(loc.pointer, "/components/schemas/Big");
    let types: proc_macro2::TokenStream = code
        .items(&code.modules[0])
        .map(|t| t.to_stream())
        .collect();
    let types = types.to_string();
    assert!(
        types.contains("pub type Big = String ;"),
        "{}",
        &types[..300]
    );
    assert!(!types.contains("value-7"), "no per-value code");

    // At the bound it is still an enum.
    let mut api = Api::default();
    api.add_type(enum_of(super::types::MAX_ENUM_VALUES));
    let (code, diags) = super::generate(&api, &Options::default());
    assert!(diags.is_empty(), "{diags:?}");
    let types: proc_macro2::TokenStream = code
        .items(&code.modules[0])
        .map(|t| t.to_stream())
        .collect();
    assert!(types.to_string().contains("pub enum Big"));
}

/// The operation's idempotency header: a header parameter named `Idempotency-Key` or
/// `X-Idempotency-Key` in any case, nothing else.
#[test]
fn idempotency_header_is_a_header_parameter_of_a_known_name() {
    let string = || prim(Primitive::String);
    let mut o = op("create", Method::Post, "/things");
    assert_eq!(o.idempotency_header(), None);
    o.params.push(param(
        "Idempotency-Key",
        ParamLocation::Query,
        false,
        string(),
    ));
    o.params.push(param(
        "Idempotency-Token",
        ParamLocation::Header,
        false,
        string(),
    ));
    assert_eq!(o.idempotency_header(), None);
    o.params.push(param(
        "x-idempotency-KEY",
        ParamLocation::Header,
        false,
        string(),
    ));
    assert_eq!(o.idempotency_header(), Some("x-idempotency-KEY"));
}
