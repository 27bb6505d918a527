//! Tests of the GraphQL front end against `specs/countries.graphql` and the shared corpus.

use std::path::{Path, PathBuf};

use super::lower;
use crate::diag::Severity;
use crate::ir::{self, BodyEncoding, Name, Primitive, StatusMatch, TypeKind, TypeRef};
use crate::lowered::Lowered;

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// The shared corpus directory, found next to some ancestor of the crate (worktrees nest).
pub(crate) fn corpus() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/specs-corpus"))
        .find(|p| p.is_dir())
}

fn countries() -> Lowered {
    lower(
        &specs().join("countries.graphql"),
        &[specs().join("countries-queries.graphql")],
    )
}

/// Writes `text` to a temporary `.graphql` file.
fn temp(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn fields(api: &ir::Api, id: TypeRef) -> &[ir::Field] {
    let TypeRef::Named(id) = id else {
        panic!("not named: {id:?}")
    };
    match &api.ty(id).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("not a struct: {other:?}"),
    }
}

fn field<'a>(fields: &'a [ir::Field], name: &str) -> &'a ir::Field {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn union<'a>(api: &'a ir::Api, ty: &TypeRef) -> &'a ir::UnionDef {
    let TypeRef::Named(id) = ty else {
        panic!("not named: {ty:?}")
    };
    match &api.ty(*id).kind {
        TypeKind::Union(u) => u,
        other => panic!("not a union: {other:?}"),
    }
}

fn op<'a>(api: &'a ir::Api, name: &str) -> &'a ir::Operation {
    api.operations
        .iter()
        .find(|o| o.name == Name::Given(name.into()))
        .unwrap()
}

#[test]
fn countries_operations() {
    let out = countries();
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let api = &out.api;
    assert!(api.servers.is_empty());
    assert_eq!(api.title, "countries");
    let names: Vec<_> = api.operations.iter().map(|o| o.name.display()).collect();
    assert_eq!(
        names,
        [
            "GetCountry",
            "ListCountries",
            "Continents",
            "CountryDetails",
            "Places",
            "NamedThing",
            "UpdateCountry",
            "CountryAndContinents"
        ]
    );
    assert_eq!(out.files_read.len(), 2);

    let get = op(api, "GetCountry");
    assert_eq!(get.method, ir::Method::Post);
    assert_eq!(get.path, "");
    let body = get.body.as_ref().unwrap();
    assert!(body.required);
    match &body.encoding {
        BodyEncoding::GraphQl {
            document,
            operation_name,
            kind,
        } => {
            assert_eq!(*kind, ir::GraphQlKind::Query);
            assert_eq!(operation_name, "GetCountry");
            // Its own text and the fragment it uses: no other operation of the file.
            assert!(document.starts_with("query GetCountry($code: ID!) {"));
            assert!(document.contains("fragment LanguageParts on Language"));
            assert!(!document.contains("ListCountries"), "{document}");
        }
        other => panic!("{other:?}"),
    }
    let TypeRef::Named(vars) = body.ty else {
        panic!()
    };
    assert_eq!(
        api.ty(vars).name,
        Name::Derived(vec!["GetCountry".into(), "Variables".into()])
    );
    let code = field(fields(api, body.ty.clone()), "code");
    assert_eq!(code.ty, TypeRef::Primitive(Primitive::String));
    assert!(code.required && !code.nullable);

    assert_eq!(get.responses.len(), 1);
    let resp = &get.responses[0];
    assert_eq!(resp.status, StatusMatch::Code(200));
    assert_eq!(resp.encoding, body.encoding);
    let data = resp.ty.clone().unwrap();
    let TypeRef::Named(data_id) = data else {
        panic!()
    };
    assert_eq!(
        api.ty(data_id).name,
        Name::Derived(vec!["GetCountry".into(), "Data".into()])
    );

    // `country` is nullable in the schema: optional and nullable.
    let country = field(fields(api, data), "country");
    assert!(!country.required && country.nullable);
    let TypeRef::Named(country_id) = country.ty else {
        panic!()
    };
    assert_eq!(
        api.ty(country_id).name,
        Name::Derived(vec!["GetCountry".into(), "country".into()])
    );
    let cf = fields(api, country.ty.clone());
    let names: Vec<_> = cf.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "name",
            "capital",
            "currency",
            "emoji",
            "languages",
            "continent"
        ]
    );
    let capital = field(cf, "capital");
    assert!(!capital.required && capital.nullable);
    let name = field(cf, "name");
    assert!(name.required && !name.nullable);

    // A list of objects selected by a named fragment alone: the fragment's own type.
    let langs = field(cf, "languages");
    assert!(langs.required);
    let TypeRef::List(item) = &langs.ty else {
        panic!("{:?}", langs.ty)
    };
    let TypeRef::Named(lang_id) = **item else {
        panic!()
    };
    assert_eq!(api.ty(lang_id).name, Name::Given("LanguageParts".into()));
    let lf = fields(api, (**item).clone());
    assert_eq!(field(lf, "rtl").ty, TypeRef::Primitive(Primitive::Bool));
    assert_eq!(lf.len(), 3);

    // The enum is shared and given its GraphQL name.
    let cont = fields(api, field(cf, "continent").ty.clone());
    let TypeRef::Named(region) = field(cont, "region").ty else {
        panic!()
    };
    assert_eq!(api.ty(region).name, Name::Given("Region".into()));
    let TypeKind::Enum(e) = &api.ty(region).kind else {
        panic!()
    };
    let values: Vec<_> = e.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(values, ["EMEA", "AMERICAS", "APAC"]);
    assert_eq!(e.values[0].docs.as_deref(), Some("Africa and Europe."));
}

#[test]
fn variables_input_objects_aliases_typename() {
    let out = countries();
    let api = &out.api;
    let list = op(api, "ListCountries");
    let vars = fields(api, list.body.as_ref().unwrap().ty.clone());
    let filter = field(vars, "filter");
    // A nullable variable: absent and `null` are distinct (tri-state).
    assert!(!filter.required && !filter.nullable);
    let TypeRef::Nullable(inner) = &filter.ty else {
        panic!("{:?}", filter.ty)
    };
    let TypeRef::Named(fid) = **inner else {
        panic!()
    };
    assert_eq!(api.ty(fid).name, Name::Given("CountryFilterInput".into()));
    let ff = fields(api, (**inner).clone());
    let code = field(ff, "code");
    let TypeRef::Nullable(code_ty) = &code.ty else {
        panic!("{:?}", code.ty)
    };
    let sf = fields(api, (**code_ty).clone());
    assert_eq!(
        field(sf, "in").ty,
        TypeRef::Nullable(Box::new(TypeRef::List(Box::new(TypeRef::Primitive(
            Primitive::String
        )))))
    );
    // The Region enum is shared between input and output positions.
    let region_in = field(ff, "region").ty.clone();
    let enums = api
        .types
        .iter()
        .filter(|t| t.name == Name::Given("Region".into()))
        .count();
    assert_eq!(enums, 1);
    assert!(matches!(region_in, TypeRef::Nullable(ref r) if matches!(**r, TypeRef::Named(_))));

    let data = fields(api, list.responses[0].ty.clone().unwrap());
    let countries = field(data, "countries");
    let TypeRef::List(item) = &countries.ty else {
        panic!()
    };
    let cf = fields(api, (**item).clone());
    let names: Vec<_> = cf.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["__typename", "code", "countryName", "states"]);
    assert_eq!(
        field(cf, "__typename").ty,
        TypeRef::Primitive(Primitive::String)
    );

    // No variables: an empty variables struct.
    let cont = op(api, "Continents");
    assert!(fields(api, cont.body.as_ref().unwrap().ty.clone()).is_empty());
}

#[test]
fn syntax_error_has_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let q = temp(
        &dir,
        "bad.graphql",
        "query A {\n  country(code: \"DE\") {\n    name\n  \n",
    );
    let out = lower(&specs().join("countries.graphql"), std::slice::from_ref(&q));
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "graphql::syntax")
        .unwrap();
    assert_eq!(d.severity, Severity::Error);
    let loc = d.location.as_ref().unwrap();
    assert_eq!(loc.file, q);
    assert!(loc.line.is_some() && loc.column.is_some(), "{d}");

    let s = temp(&dir, "schema.graphql", "type Query {\n  a: Int\n  b: \n}\n");
    let out = lower(&s, &[]);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "graphql::syntax")
        .unwrap();
    assert_eq!(d.location.as_ref().unwrap().line, Some(4), "{d}");
    assert!(out.api.operations.is_empty());
}

#[test]
fn unknown_field_anonymous_and_custom_scalar() {
    let dir = tempfile::tempdir().unwrap();
    let q = temp(
        &dir,
        "q.graphql",
        "query A {\n  country(code: \"DE\") {\n    name\n    bogus\n    population\n  }\n}\n{ continents { code } }\nsubscription S { x }\n",
    );
    let out = lower(&specs().join("countries.graphql"), &[q]);
    let unknown = out
        .diagnostics
        .iter()
        .find(|d| d.code == "graphql::unknown_field")
        .unwrap();
    assert!(unknown.message.contains("bogus"));
    let loc = unknown.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (Some(4), Some(5)));
    assert_eq!(loc.pointer, "/A/country/bogus");

    let anon = out
        .diagnostics
        .iter()
        .find(|d| d.code == "graphql::anonymous_operation")
        .unwrap();
    assert!(anon
        .help
        .as_deref()
        .unwrap()
        .contains("give the operation a name"));
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "graphql::custom_scalar" && !d.is_error()));
    // The countries schema has no subscription root.
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "graphql::missing_root" && d.message.contains("Subscription")));

    // The operation is still lowered, without the unknown field; the scalar is Any.
    let a = op(&out.api, "A");
    let data = fields(&out.api, a.responses[0].ty.clone().unwrap());
    let cf = fields(&out.api, field(data, "country").ty.clone());
    assert_eq!(cf.len(), 2);
    assert_eq!(field(cf, "population").ty, TypeRef::Any);
}

#[test]
fn inline_fragments_on_narrower_types_become_optional() {
    let dir = tempfile::tempdir().unwrap();
    let s = temp(
        &dir,
        "s.graphql",
        "interface Node { id: ID! }\ntype User implements Node { id: ID! login: String! }\n\
         type Bot implements Node { id: ID! }\nunion Actor = User | Bot\n\
         type Query { node: Node! actor: Actor mutate: Int }\ntype Mutation { ping(x: Int): Boolean! }\n",
    );
    let q = temp(
        &dir,
        "q.graphql",
        "query N { node { id ... on User { login } ...B } actor { __typename ... on Node { id } } }\n\
         fragment B on Bot { id }\nmutation Ping($x: Int = 3) { ping(x: $x) }\n",
    );
    let out = lower(&s, &[q]);
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
    let n = op(&out.api, "N");
    let data = fields(&out.api, n.responses[0].ty.clone().unwrap());
    // `node` selects per type: an enum tagged on `__typename` with an `Other` fallback.
    let node = union(&out.api, &field(data, "node").ty);
    assert_eq!(node.discriminator.as_deref(), Some("__typename"));
    assert!(node.fallback);
    let names: Vec<_> = node.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["User", "Bot", "Other"]);
    assert_eq!(node.variants[0].tag.as_deref(), Some("User"));
    assert_eq!(node.variants[2].tag, None);
    let user = fields(&out.api, node.variants[0].ty.clone());
    let user_fields: Vec<_> = user.iter().map(|f| (f.name.as_str(), f.required)).collect();
    assert_eq!(
        user_fields,
        [("__typename", true), ("id", true), ("login", true)]
    );
    // The named fragment on `Bot`: its type, flattened into the `Bot` variant.
    let bot = fields(&out.api, node.variants[1].ty.clone());
    let bot_fields: Vec<_> = bot.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(bot_fields, ["__typename", "id", "B"]);
    assert_eq!(
        flattened(&out.api, &node.variants[1].ty),
        [("B".to_owned(), given(&out.api, "B")[0].clone())]
    );
    let other = fields(&out.api, node.variants[2].ty.clone());
    let other_fields: Vec<_> = other.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(other_fields, ["__typename", "id"]);
    // `__typename` is added to the text sent, once per selection decoded by type.
    let BodyEncoding::GraphQl { document, .. } = &n.body.as_ref().unwrap().encoding else {
        panic!()
    };
    assert!(
        document.starts_with("query N { node { __typename id ... on User { login } ...B }"),
        "{document}"
    );
    // `actor` names only an interface in its fragment: a struct, fields conditional.
    let actor = fields(&out.api, field(data, "actor").ty.clone());
    assert!(field(actor, "id").nullable);
    assert!(
        !document.contains("actor { __typename __typename"),
        "{document}"
    );

    let ping = op(&out.api, "Ping");
    let vars = fields(&out.api, ping.body.as_ref().unwrap().ty.clone());
    assert!(
        !field(vars, "x").required,
        "a default makes the variable optional"
    );
    let data = fields(&out.api, ping.responses[0].ty.clone().unwrap());
    assert_eq!(field(data, "ping").ty, TypeRef::Primitive(Primitive::Bool));
}

#[test]
fn missing_files_are_errors() {
    let out = lower(Path::new("/nonexistent/schema.graphql"), &[]);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "graphql::read" && d.is_error()));
}

/// Parses and lowers every SDL of the shared corpus with its queries; none may panic.
#[test]
fn corpus_does_not_panic() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found, skipped");
        return;
    };
    let dir = corpus.join("graphql");
    let mut schemas: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .collect();
    schemas.sort();
    let (mut ops, mut clean_docs, mut docs) = (0, 0, 0);
    for schema in &schemas {
        let file = schema.file_name().unwrap().to_string_lossy();
        let stem = file
            .trim_end_matches(".graphql")
            .trim_end_matches(".schema");
        let mut queries: Vec<_> = std::fs::read_dir(dir.join("queries").join(stem))
            .map(|rd| rd.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        queries.sort();
        let out = lower(schema, &[]);
        let schema_errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(schema_errors.is_empty(), "{stem}: {schema_errors:#?}");
        for q in &queries {
            docs += 1;
            let out = lower(schema, std::slice::from_ref(q));
            let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
            if errors.is_empty() {
                clean_docs += 1;
            } else {
                eprintln!("{}: {}", q.display(), errors[0]);
            }
            ops += out.api.operations.len();
        }
    }
    eprintln!(
        "graphql corpus: {} schemas parsed, {clean_docs}/{docs} query documents without errors, {ops} operations",
        schemas.len()
    );
    assert!(schemas.len() >= 5);
}

/// The real countries queries of the corpus lower cleanly against `specs/countries.graphql`.
#[test]
fn corpus_countries_queries() {
    let Some(corpus) = corpus() else {
        return;
    };
    let q = corpus.join("graphql/queries/countries-trevorblades/Germany.graphql");
    let out = lower(&specs().join("countries.graphql"), &[q]);
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
    let names: Vec<_> = out
        .api
        .operations
        .iter()
        .map(|o| o.name.display())
        .collect();
    assert_eq!(names, ["Germany", "Country"]);
    let country = op(&out.api, "Country");
    let vars = fields(&out.api, country.body.as_ref().unwrap().ty.clone());
    assert!(field(vars, "countryCode").required);
}

fn document_of(api: &ir::Api, name: &str) -> String {
    match &op(api, name).body.as_ref().unwrap().encoding {
        BodyEncoding::GraphQl { document, .. } => document.clone(),
        other => panic!("{other:?}"),
    }
}

/// Servers validate the whole request document: each operation is sent alone, with exactly the
/// fragments it reaches (transitively, in document order), cut from the source text verbatim.
#[test]
fn each_operation_is_sent_with_only_its_fragments() {
    let dir = tempfile::tempdir().unwrap();
    let s = temp(
        &dir,
        "s.graphql",
        "input F { a: Int, b: [String!] }\n\
         type T { x(f: F, s: String): Int, t: T }\ntype Query { t: T }\n",
    );
    let text = "# Leading comment { not a brace\n\
                query A($f: F = {a: 1, b: [\"}\"]}) {\n  t { x(f: $f) ...X }\n}\n\n\
                fragment Y on T { x(s: \"\"\"block } \\\"\"\" ) \"\"\") }\n\
                # between\n\
                query B { t { x(s: \"#{ 🇩🇪 \\\" }\") } }\n\
                fragment X on T { t { ...Y } }\n\
                fragment Unused on T { x }\n\
                query C { t { ... on T { ...Y } ...Y } }\n";
    let q = temp(&dir, "q.graphql", text);
    let out = lower(&s, &[q]);
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A fragment no operation uses is never sent: a warning, not an error.
    let unused = out
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`Unused`"))
        .unwrap();
    assert_eq!(unused.severity, Severity::Warning);
    assert_eq!(unused.location.as_ref().unwrap().line, Some(10));
    assert_eq!(
        document_of(&out.api, "A"),
        "query A($f: F = {a: 1, b: [\"}\"]}) {\n  t { x(f: $f) ...X }\n}\n\n\
         fragment Y on T { x(s: \"\"\"block } \\\"\"\" ) \"\"\") }\n\n\
         fragment X on T { t { ...Y } }\n"
    );
    assert_eq!(
        document_of(&out.api, "B"),
        "query B { t { x(s: \"#{ 🇩🇪 \\\" }\") } }\n"
    );
    assert_eq!(
        document_of(&out.api, "C"),
        "query C { t { ... on T { ...Y } ...Y } }\n\n\
         fragment Y on T { x(s: \"\"\"block } \\\"\"\" ) \"\"\") }\n"
    );
    // Every cut document parses on its own.
    for name in ["A", "B", "C"] {
        graphql_parser::parse_query::<String>(&document_of(&out.api, name)).unwrap();
    }
}

#[test]
fn definition_ranges_split_top_level_definitions() {
    use super::document::definition_ranges;
    let text = "{ a }\n# c }\nquery Q($v: I = {x: \"(\"}) @d(a: {b: 1}) { b { c } }  ,\n";
    let ranges = definition_ranges(text).unwrap();
    let parts: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
    assert_eq!(
        parts,
        [
            "{ a }",
            "query Q($v: I = {x: \"(\"}) @d(a: {b: 1}) { b { c } }"
        ]
    );
    // Unbalanced or unterminated text: no ranges (the whole text is sent instead).
    for bad in [
        "{ a",
        "{ a } }",
        "{ a(s: \"x) }",
        "query Q",
        "{ a(s: \"\"\"x) }",
    ] {
        assert_eq!(definition_ranges(bad), None, "{bad}");
    }
}

/// Regression (issue 5): the scanner stepped byte by byte through a block string and sliced the
/// `&str` there, panicking inside a multi-byte character.
#[test]
fn block_strings_with_non_ascii_text_do_not_panic_the_scanner() {
    use super::document::definition_ranges;
    let text = "query A { t { x(s: \"\"\"é 🇩🇪 — \\\"\"\" ü\"\"\") } }\n\u{feff}query B { t { x(s: \"\"\"日本\"\"\") } }\n";
    let ranges = definition_ranges(text).unwrap();
    let parts: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
    assert_eq!(
        parts,
        [
            "query A { t { x(s: \"\"\"é 🇩🇪 — \\\"\"\" ü\"\"\") } }",
            "query B { t { x(s: \"\"\"日本\"\"\") } }"
        ]
    );
    // Unterminated block string ending in a multi-byte character.
    assert_eq!(definition_ranges("{ a(s: \"\"\"é"), None);

    let dir = tempfile::tempdir().unwrap();
    let s = temp(
        &dir,
        "s.graphql",
        "type T { x(s: String): Int, t: T }\ntype Query { t: T }\n",
    );
    let q = temp(&dir, "q.graphql", text);
    let out = lower(&s, &[q]);
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        document_of(&out.api, "B"),
        "query B { t { x(s: \"\"\"日本\"\"\") } }\n"
    );
}

#[test]
fn lone_anonymous_operation_is_named_after_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let q = temp(&dir, "all-continents.graphql", "{ continents { code } }\n");
    let out = lower(&specs().join("countries.graphql"), &[q]);
    let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let anon = out
        .diagnostics
        .iter()
        .find(|d| d.code == "graphql::anonymous_operation")
        .unwrap();
    assert_eq!(anon.severity, Severity::Warning);
    let op = op(&out.api, "all-continents");
    match &op.body.as_ref().unwrap().encoding {
        // Sent without an operation name: the document's operation has none.
        BodyEncoding::GraphQl { operation_name, .. } => assert_eq!(operation_name, ""),
        other => panic!("{other:?}"),
    }
}

/// A schema with nullable list items, a union, an interface, custom scalars and a mutation.
const RICH_SCHEMA: &str = "\
scalar DateTime\nscalar URI\nscalar Money\nscalar JSON\n\
interface Node { id: ID! }\n\
type Issue implements Node { id: ID! title: String! closedAt: DateTime url: URI }\n\
type Pull implements Node { id: ID! merged: Boolean! }\n\
type Bot implements Node { id: ID! }\n\
union Item = Issue | Pull\n\
type Query { edges: [Issue], ids: [ID!], matrix: [[Int]!]!, items: [Item!]!, node(id: ID!): Node, price: Money, meta: JSON }\n\
input IssueInput { title: String!, body: String, labels: [String], priority: Int! = 1 }\n\
type Mutation { updateIssue(id: ID!, input: IssueInput!): Issue }\n";

fn rich(ops: &str, scalars: &[&str]) -> Lowered {
    let dir = tempfile::tempdir().unwrap();
    let s = temp(&dir, "s.graphql", RICH_SCHEMA);
    let q = temp(&dir, "q.graphql", ops);
    let scalars: Vec<String> = scalars.iter().map(|s| s.to_string()).collect();
    super::lower_confined(
        &s,
        &[q],
        &scalars,
        &crate::load::confine::Confinement::default_for(&s),
    )
}

fn errors(out: &Lowered) -> Vec<&crate::diag::Diagnostic> {
    out.diagnostics.iter().filter(|d| d.is_error()).collect()
}

#[test]
fn list_item_nullability_follows_the_schema() {
    let out = rich(
        "query L { edges { title } ids matrix }\nmutation M($labels: [String]) { updateIssue(id: \"1\", input: {title: \"t\", labels: $labels}) { id } }\n",
        &[],
    );
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let data = fields(&out.api, op(&out.api, "L").responses[0].ty.clone().unwrap());
    let edges = field(data, "edges");
    assert!(edges.nullable, "the list itself is nullable");
    let TypeRef::List(item) = &edges.ty else {
        panic!("{:?}", edges.ty)
    };
    assert!(matches!(**item, TypeRef::Nullable(ref i) if matches!(**i, TypeRef::Named(_))));
    assert_eq!(
        field(data, "ids").ty,
        TypeRef::List(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    // `[[Int]!]!`: a list of non-null lists of nullable ints.
    assert_eq!(
        field(data, "matrix").ty,
        TypeRef::List(Box::new(TypeRef::List(Box::new(TypeRef::Nullable(
            Box::new(TypeRef::Primitive(Primitive::I32))
        )))))
    );
    // Input lists too: `[String]` as a variable is tri-state, its items nullable.
    let vars = fields(
        &out.api,
        op(&out.api, "M").body.as_ref().unwrap().ty.clone(),
    );
    assert_eq!(
        field(vars, "labels").ty,
        TypeRef::Nullable(Box::new(TypeRef::List(Box::new(TypeRef::Nullable(
            Box::new(TypeRef::Primitive(Primitive::String))
        )))))
    );
}

#[test]
fn input_fields_distinguish_absent_null_and_default() {
    let out = rich(
        "mutation M($id: ID!, $input: IssueInput!) { updateIssue(id: $id, input: $input) { id } }\n",
        &[],
    );
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let vars = fields(
        &out.api,
        op(&out.api, "M").body.as_ref().unwrap().ty.clone(),
    );
    let input = fields(&out.api, field(vars, "input").ty.clone());
    let title = field(input, "title");
    assert!(title.required && title.ty == TypeRef::Primitive(Primitive::String));
    // Nullable: may be absent or null (tri-state).
    let body = field(input, "body");
    assert!(!body.required && !body.nullable);
    assert_eq!(
        body.ty,
        TypeRef::Nullable(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    // Non-null with a default: may be omitted, never null.
    let priority = field(input, "priority");
    assert!(!priority.required);
    assert_eq!(priority.ty, TypeRef::Primitive(Primitive::I32));
}

#[test]
fn custom_scalars_well_known_mapped_and_unknown() {
    let q = "query S { edges { closedAt url } price meta }\n";
    let out = rich(q, &[]);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let data = fields(&out.api, op(&out.api, "S").responses[0].ty.clone().unwrap());
    let TypeRef::List(item) = &field(data, "edges").ty else {
        panic!()
    };
    let TypeRef::Nullable(issue) = &**item else {
        panic!()
    };
    let issue = fields(&out.api, (**issue).clone());
    assert_eq!(
        field(issue, "closedAt").ty,
        TypeRef::Primitive(Primitive::DateTime)
    );
    assert_eq!(
        field(issue, "url").ty,
        TypeRef::Primitive(Primitive::String)
    );
    assert_eq!(field(data, "meta").ty, TypeRef::Any);
    assert_eq!(field(data, "price").ty, TypeRef::Any);
    // Only the ambiguous scalar warns, with the option to fix it.
    let warned: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "graphql::custom_scalar")
        .collect();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert!(warned[0].message.contains("`Money`"));
    assert!(warned[0]
        .help
        .as_deref()
        .unwrap()
        .contains("--scalar Money="));

    // `--scalar` maps any scalar, well-known ones included.
    let out = rich(q, &["Money=rust_decimal::Decimal", "DateTime = String"]);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    assert!(!out
        .diagnostics
        .iter()
        .any(|d| d.code == "graphql::custom_scalar"));
    let data = fields(&out.api, op(&out.api, "S").responses[0].ty.clone().unwrap());
    assert_eq!(
        field(data, "price").ty,
        TypeRef::External("rust_decimal::Decimal".into())
    );

    // A mapping of a name that is no custom scalar of the schema is a warning.
    let out = rich(q, &["Mony=f64", "Int=i64"]);
    let unused: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "graphql::unused_scalar_option")
        .collect();
    assert_eq!(unused.len(), 2, "{:#?}", out.diagnostics);

    // A mapping that is not a Rust type is a located error.
    for bad in ["Money", "Money=not a type", "1x=String"] {
        let out = rich(q, &[bad]);
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.code == "graphql::scalar_option" && d.is_error()),
            "{bad}: {:#?}",
            out.diagnostics
        );
    }
}

#[test]
fn unions_and_interfaces_become_enums_with_a_fallback() {
    let out = rich(
        "query U { items { ... on Issue { title } ... on Pull { merged } } node(id: \"1\") { id ...I } }\nfragment I on Issue { title }\n",
        &[],
    );
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let u = op(&out.api, "U");
    let data = fields(&out.api, u.responses[0].ty.clone().unwrap());
    let TypeRef::List(item) = &field(data, "items").ty else {
        panic!()
    };
    let items = union(&out.api, item);
    let names: Vec<_> = items.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Issue", "Pull", "Other"]);
    let other = fields(&out.api, items.variants[2].ty.clone());
    assert_eq!(other.len(), 1, "only __typename: {other:?}");
    // The interface: common `id` in every variant, `title` only in `Issue`.
    let node = union(&out.api, &field(data, "node").ty);
    let names: Vec<_> = node.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Issue", "Other"]);
    // The spread of the named fragment `I` is its shared type, flattened into the variant.
    let issue: Vec<_> = fields(&out.api, node.variants[0].ty.clone())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(issue, ["__typename", "id", "I"]);
    let other: Vec<_> = fields(&out.api, node.variants[1].ty.clone())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(other, ["__typename", "id"]);
    let BodyEncoding::GraphQl { document, .. } = &u.body.as_ref().unwrap().encoding else {
        panic!()
    };
    assert_eq!(
        document,
        "query U { items { __typename ... on Issue { title } ... on Pull { merged } } node(id: \"1\") { __typename id ...I } }\n\nfragment I on Issue { title }\n"
    );
}

#[test]
fn validation_reports_each_problem_at_its_position() {
    let cases: &[(&str, &str, (u32, u32))] = &[
        ("query A { edges(first: 1) { title } }", "argument", (1, 17)),
        ("query A { node { id } }", "id", (1, 11)),
        ("query A($x: Int!) { node(id: $x) { id } }", "$x", (1, 26)),
        (
            "query A { edges { id } edges: ids }",
            "different types",
            (1, 24),
        ),
        ("query A { items { ... on Bot { id } } }", "Bot", (1, 19)),
        ("query A { node(id: $nope) { id } }", "$nope", (1, 20)),
        ("query A($unused: ID) { ids }", "unused", (1, 9)),
        ("query A { edges { ...Missing } }", "Missing", (1, 22)),
    ];
    for (doc, needle, (line, column)) in cases {
        let out = rich(&format!("{doc}\n"), &[]);
        let found = errors(&out)
            .into_iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| {
                panic!(
                    "{doc}: no error mentioning {needle}: {:#?}",
                    out.diagnostics
                )
            });
        let loc = found.location.as_ref().unwrap();
        assert_eq!(
            (loc.line, loc.column),
            (Some(*line), Some(*column)),
            "{doc}: {found}"
        );
        // Reported once, by lowering or by validation.
        let mentions = errors(&out)
            .iter()
            .filter(|d| d.message.contains(needle))
            .count();
        assert_eq!(mentions, 1, "{doc}: {:#?}", out.diagnostics);
    }
}

#[test]
fn introspection_json_is_read_like_sdl() {
    let dir = tempfile::tempdir().unwrap();
    let introspection = serde_json::json!({"__schema": {
    "queryType": {"name": "Query"},
    "types": [
        {"kind": "OBJECT", "name": "Query", "interfaces": [], "fields": [
            {"name": "hello", "args": [{"name": "name", "type": {"kind": "SCALAR", "name": "String"}}],
             "type": {"kind": "LIST", "ofType": {"kind": "SCALAR", "name": "String"}}}]}
    ]}});
    let q = temp(
        &dir,
        "q.graphql",
        "query H($n: String) { hello(name: $n) }\n",
    );
    for (name, doc) in [
        ("bare.json", introspection.clone()),
        ("data.json", serde_json::json!({ "data": introspection })),
    ] {
        let s = temp(&dir, name, &serde_json::to_string_pretty(&doc).unwrap());
        let out = lower(&s, std::slice::from_ref(&q));
        assert!(errors(&out).is_empty(), "{name}: {:#?}", out.diagnostics);
        let data = fields(&out.api, op(&out.api, "H").responses[0].ty.clone().unwrap());
        assert_eq!(
            field(data, "hello").ty,
            TypeRef::List(Box::new(TypeRef::Nullable(Box::new(TypeRef::Primitive(
                Primitive::String
            )))))
        );
    }
    // Broken introspection: located at the JSON pointer.
    let s = temp(
        &dir,
        "bad.json",
        "{\"__schema\": {\n  \"types\": [\n    {\"kind\": \"OBJECT\", \"name\": \"a-b\"}\n  ]\n}}\n",
    );
    let out = lower(&s, std::slice::from_ref(&q));
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "graphql::introspection")
        .unwrap();
    let loc = d.location.as_ref().unwrap();
    assert_eq!(loc.pointer, "/__schema/types/0/name");
    assert_eq!(loc.line, Some(3), "{d}");

    // The corpus's introspection results, with their operation folders.
    let Some(corpus) = corpus() else {
        return;
    };
    let file = corpus.join("graphql/countries-trevorblades.introspection.json");
    if file.is_file() {
        let out = lower(&file, &[]);
        assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    }
}

#[test]
fn operations_folder_sorted_with_names_qualified_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = temp(&dir, "s.graphql", RICH_SCHEMA);
    let ops = dir.path().join("ops");
    std::fs::create_dir(&ops).unwrap();
    std::fs::write(
        ops.join("b.graphql"),
        "query Get { ids }\nquery OnlyB { ids }\n",
    )
    .unwrap();
    std::fs::write(ops.join("a.gql"), "query Get { ids }\n").unwrap();
    std::fs::write(ops.join("notes.txt"), "query Ignored { ids }\n").unwrap();
    let out = lower(&s, std::slice::from_ref(&ops));
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let names: Vec<_> = out.api.operations.iter().map(|o| o.name.clone()).collect();
    assert_eq!(
        names,
        [
            Name::Derived(vec!["a".into(), "Get".into()]),
            Name::Derived(vec!["b".into(), "Get".into()]),
            Name::Given("OnlyB".into()),
        ]
    );
    // The wire name stays the operation's own.
    let BodyEncoding::GraphQl { operation_name, .. } =
        &out.api.operations[1].body.as_ref().unwrap().encoding
    else {
        panic!()
    };
    assert_eq!(operation_name, "Get");
    let warnings = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "graphql::qualified_operation")
        .count();
    assert_eq!(warnings, 2);
    assert_eq!(out.files_read.len(), 3, "{:?}", out.files_read);

    // The same name twice in one file is still an error.
    std::fs::write(ops.join("a.gql"), "query Get { ids }\nquery Get { ids }\n").unwrap();
    let out = lower(&s, std::slice::from_ref(&ops));
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "graphql::duplicate_operation" && d.is_error()));
}

/// Fields selected beside fragments on a union are repeated in every variant: nesting them
/// must not multiply into exponentially many types (or time).
#[test]
fn nested_abstract_selections_are_bounded() {
    let schema = "interface Node { id: ID! n: Node }\n\
                  type A implements Node { id: ID! n: Node a: Int }\n\
                  type B implements Node { id: ID! n: Node b: Int }\n\
                  type Query { n: Node }\n";
    let mut q = String::from("query Deep { n ");
    let depth = 22;
    for _ in 0..depth {
        q.push_str("{ ... on A { a } ... on B { b } n ");
    }
    q.push_str("{ id }");
    for _ in 0..depth {
        q.push_str(" }");
    }
    q.push_str(" }\n");
    let dir = tempfile::tempdir().unwrap();
    let s = temp(&dir, "s.graphql", schema);
    let qf = temp(&dir, "q.graphql", &q);
    let started = std::time::Instant::now();
    let out = lower(&s, &[qf]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert!(out.api.types.len() <= super::lower::MAX_TYPES + 64);
    assert!(out.diagnostics.iter().any(|d| d.is_error()
        && matches!(
            d.code,
            "graphql::too_many_types" | "graphql::selection_too_large"
        )));
}

/// Objects nested inside the variants of a union enum are named after the variant.
#[test]
fn types_nested_in_variants_are_named_after_them() {
    let schema = "type User { login: String! }\n\
                  type Issue { author: User }\n\
                  type Pull { author: User }\n\
                  union Item = Issue | Pull\n\
                  type Query { items: [Item!]! }\n";
    let dir = tempfile::tempdir().unwrap();
    let s = temp(&dir, "s.graphql", schema);
    let q = temp(
        &dir,
        "q.graphql",
        "query Q { items { ... on Issue { author { login } } ... on Pull { author { login } } } }\n",
    );
    let out = lower(&s, &[q]);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let mut names: Vec<String> = out.api.types.iter().map(|t| t.name.display()).collect();
    names.sort();
    assert!(
        names.contains(&"Q_items_Issue_author".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"Q_items_Pull_author".to_owned()),
        "{names:?}"
    );
}

/// Regression (fuzzing): a fragment that spreads itself inside a field made the response type
/// grow until memory ran out; a chain of fragments nested without bound (quadratic time); two
/// spreads per level doubled the response at each level. All three are located errors now.
#[test]
fn fragment_cycles_chains_and_diamonds_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let s = temp(&dir, "s.graphql", "type Query { a: Query, b: Int }\n");
    let chain: String = (0..3000)
        .map(|i| format!("fragment F{i} on Query {{ a {{ ...F{} }} }}\n", i + 1))
        .collect();
    let diamond: String = (0..40)
        .map(|i| {
            format!(
                "fragment F{i} on Query {{ a {{ ...F{0} }} c: a {{ ...F{0} }} }}\n",
                i + 1
            )
        })
        .collect();
    for (what, text) in [
        (
            "cycle",
            "query Q { ...F }\nfragment F on Query { a { ...F } }\n".to_owned(),
        ),
        (
            "chain",
            format!("query Q {{ ...F0 }}\n{chain}fragment F3000 on Query {{ b }}\n"),
        ),
        (
            "diamond",
            format!("query Q {{ ...F0 }}\n{diamond}fragment F40 on Query {{ b }}\n"),
        ),
    ] {
        let q = temp(&dir, "q.graphql", &text);
        let started = std::time::Instant::now();
        let out = lower(&s, &[q]);
        // Refused, whichever bound is met first (selection depth or size, fragment nesting, or
        // the validator's own nesting limit), each error located at a line.
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(!errors.is_empty(), "{what}");
        assert!(
            errors.iter().any(|e| matches!(
                e.code,
                "graphql::selection_too_large" | "graphql::fragment_cycle"
            )),
            "{what}: {errors:#?}"
        );
        for e in &errors {
            assert!(e.location.as_ref().unwrap().line.is_some(), "{what}: {e:?}");
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "{what}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn fragments_spread_twice_per_level_cost_linear_work() {
    // F0 spreads F1 twice, F1 spreads F2 twice, …: collected naively that is 2^30 spreads
    // (about half an hour); each fragment is now collected once per set of fields.
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("s.graphql");
    std::fs::write(&schema, "type Query { a: A }\ntype A { x: Int, a: A }\n").unwrap();
    let n = 30;
    let mut ops = String::from("query Q { a { ...F0 } }\n");
    for i in 0..n {
        ops.push_str(&format!(
            "fragment F{i} on A {{ x ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    ops.push_str(&format!("fragment F{n} on A {{ x }}\n"));
    // Deeper than the spread bound: an honest error, not "spreads itself".
    let deep = {
        let mut d = String::from("query D { a { ...G0 } }\n");
        for i in 0..100 {
            d.push_str(&format!("fragment G{i} on A {{ x ...G{} }}\n", i + 1));
        }
        d.push_str("fragment G100 on A { x }\n");
        d
    };
    let ops_path = dir.path().join("ops.graphql");
    std::fs::write(&ops_path, &ops).unwrap();
    let out = super::lower(&schema, std::slice::from_ref(&ops_path));
    assert!(
        !out.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        out.diagnostics
    );
    assert_eq!(out.api.operations.len(), 1);

    std::fs::write(&ops_path, deep).unwrap();
    let out = super::lower(&schema, std::slice::from_ref(&ops_path));
    let errs: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errs.iter()
            .any(|e| e.code == "graphql::fragment_cycle" && e.message.contains("nest more than")),
        "{errs:?}"
    );
}

fn struct_def(api: &ir::Api, ty: &TypeRef) -> ir::StructDef {
    let TypeRef::Named(id) = ty else {
        panic!("not named: {ty:?}")
    };
    match &api.ty(*id).kind {
        TypeKind::Struct(s) => s.clone(),
        other => panic!("not a struct: {other:?}"),
    }
}

/// The types named by the document (fragments), by name.
fn given(api: &ir::Api, name: &str) -> Vec<TypeRef> {
    (0..api.types.len())
        .filter(|&i| api.types[i].name == Name::Given(name.into()))
        .map(|i| TypeRef::Named(ir::TypeId(i as u32)))
        .collect()
}

/// The flattened fields of a struct: (fragment name, type).
fn flattened(api: &ir::Api, ty: &TypeRef) -> Vec<(String, TypeRef)> {
    let s = struct_def(api, ty);
    s.flatten
        .iter()
        .map(|&i| (s.fields[i].name.clone(), s.fields[i].ty.clone()))
        .collect()
}

#[test]
fn named_fragments_are_one_type_shared_by_every_spread() {
    let out = rich(
        "query A { edges { ...IssueFields } node(id: \"1\") { id ...IssueFields } }\n\
         query B { edges { url ...IssueFields } }\n\
         fragment IssueFields on Issue { id title ...Dates }\n\
         fragment Dates on Issue { closedAt }\n",
        &[],
    );
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let api = &out.api;
    let issue_fields = given(api, "IssueFields");
    assert_eq!(issue_fields.len(), 1, "one type for the fragment");
    let issue_fields = issue_fields[0].clone();
    // Its own fields, and the nested fragment flattened (its type shared too).
    let own: Vec<_> = fields(api, issue_fields.clone())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(own, ["id", "title", "Dates"]);
    let dates = given(api, "Dates");
    assert_eq!(
        flattened(api, &issue_fields),
        [("Dates".to_owned(), dates[0].clone())]
    );
    // `edges { ...IssueFields }`: the list's items are the fragment's type itself.
    let a = fields(api, op(api, "A").responses[0].ty.clone().unwrap());
    assert_eq!(
        field(a, "edges").ty,
        TypeRef::List(Box::new(TypeRef::Nullable(Box::new(issue_fields.clone()))))
    );
    // On the `Node` interface: the `Issue` variant carries the fragment, flattened.
    let node = union(api, &field(a, "node").ty);
    assert_eq!(
        flattened(api, &node.variants[0].ty),
        [("IssueFields".to_owned(), issue_fields.clone())]
    );
    // B adds a field beside the fragment: own field plus the same type, flattened.
    let b = fields(api, op(api, "B").responses[0].ty.clone().unwrap());
    let TypeRef::List(item) = &field(b, "edges").ty else {
        panic!()
    };
    let TypeRef::Nullable(item) = &**item else {
        panic!()
    };
    let edge: Vec<_> = fields(api, (**item).clone())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(edge, ["url", "IssueFields"]);
    assert_eq!(
        flattened(api, item),
        [("IssueFields".to_owned(), issue_fields)]
    );
    // The text sent still carries the fragments.
    let doc = document_of(api, "B");
    assert!(doc.contains("fragment IssueFields on Issue"), "{doc}");
    assert!(doc.contains("fragment Dates on Issue"), "{doc}");
}

#[test]
fn a_fragment_on_an_interface_is_an_enum_of_its_members() {
    let out = rich(
        "query N { node(id: \"1\") { ...NodeFields } }\n\
         query M { node(id: \"2\") { ...NodeFields } }\n\
         fragment NodeFields on Node { id ... on Issue { title } }\n",
        &[],
    );
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let api = &out.api;
    let node_fields = given(api, "NodeFields");
    assert_eq!(node_fields.len(), 1);
    let n = fields(api, op(api, "N").responses[0].ty.clone().unwrap());
    let m = fields(api, op(api, "M").responses[0].ty.clone().unwrap());
    assert_eq!(field(n, "node").ty, node_fields[0]);
    assert_eq!(field(m, "node").ty, node_fields[0]);
    let u = union(api, &node_fields[0]);
    let names: Vec<_> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Issue", "Other"]);
    assert_eq!(u.discriminator.as_deref(), Some("__typename"));
    // `__typename` is added inside the fragment, where the enum is decoded.
    let doc = document_of(api, "N");
    assert!(
        doc.contains("fragment NodeFields on Node { __typename id"),
        "{doc}"
    );
}

#[test]
fn fragments_across_documents_share_or_are_renamed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let s = temp(&dir, "s.graphql", RICH_SCHEMA);
    let frag = "fragment IssueFields on Issue { id title }\n";
    let one = temp(
        &dir,
        "one.graphql",
        &format!("query One {{ edges {{ ...IssueFields }} }}\n{frag}"),
    );
    let two = temp(
        &dir,
        "two.graphql",
        &format!("query Two {{ edges {{ url ...IssueFields }} }}\n{frag}"),
    );
    // Same name, other fields: its own type, renamed after the file.
    let three = temp(
        &dir,
        "three.graphql",
        "query Three { edges { ...IssueFields } }\nfragment IssueFields on Issue { url }\n",
    );
    // The name of an input object of the schema: renamed.
    let four = temp(
        &dir,
        "four.graphql",
        "query Four { edges { ...IssueInput } }\nfragment IssueInput on Issue { id }\n",
    );
    let out = lower(&s, &[one, two, three, four]);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let api = &out.api;
    let shared = given(api, "IssueFields");
    assert_eq!(shared.len(), 1);
    let item = |op_name: &str| {
        let data = fields(api, op(api, op_name).responses[0].ty.clone().unwrap());
        let TypeRef::List(item) = &field(data, "edges").ty else {
            panic!()
        };
        let TypeRef::Nullable(item) = &**item else {
            panic!()
        };
        (**item).clone()
    };
    assert_eq!(item("One"), shared[0]);
    assert_eq!(flattened(api, &item("Two"))[0].1, shared[0]);
    let TypeRef::Named(three) = item("Three") else {
        panic!()
    };
    assert_eq!(
        api.ty(three).name,
        Name::Derived(vec!["three".into(), "IssueFields".into()])
    );
    let TypeRef::Named(four) = item("Four") else {
        panic!()
    };
    assert_eq!(
        api.ty(four).name,
        Name::Derived(vec!["IssueInput".into(), "Fragment".into()])
    );
    let renamed: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "graphql::fragment_renamed")
        .collect();
    assert_eq!(renamed.len(), 2, "{renamed:#?}");
    for d in renamed {
        assert_eq!(d.severity, Severity::Warning);
        let l = d.location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (Some(2), Some(1)), "{d:?}");
    }
    // No type of an identical copy is left behind.
    let issue_structs = api
        .types
        .iter()
        .filter(
            |t| matches!(&t.name, Name::Derived(p) if p.last().is_some_and(|l| l == "IssueFields")),
        )
        .count();
    assert_eq!(issue_structs, 1, "only three's own type");
}
