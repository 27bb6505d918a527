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
            "CountryDetails"
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
        } => {
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

    // A list of objects spread from a named fragment.
    let langs = field(cf, "languages");
    assert!(langs.required);
    let TypeRef::List(item) = &langs.ty else {
        panic!("{:?}", langs.ty)
    };
    let TypeRef::Named(lang_id) = **item else {
        panic!()
    };
    assert_eq!(
        api.ty(lang_id).name,
        Name::Derived(vec![
            "GetCountry".into(),
            "country".into(),
            "languages".into()
        ])
    );
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
    assert!(!filter.required && !filter.nullable);
    let TypeRef::Named(fid) = filter.ty else {
        panic!()
    };
    assert_eq!(api.ty(fid).name, Name::Given("CountryFilterInput".into()));
    let ff = fields(api, filter.ty.clone());
    let code = field(ff, "code");
    let sf = fields(api, code.ty.clone());
    assert_eq!(
        field(sf, "in").ty,
        TypeRef::List(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    // The Region enum is shared between input and output positions.
    let region_in = field(ff, "region").ty.clone();
    let enums = api
        .types
        .iter()
        .filter(|t| t.name == Name::Given("Region".into()))
        .count();
    assert_eq!(enums, 1);
    assert!(matches!(region_in, TypeRef::Named(_)));

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
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "graphql::subscription"));

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
    let node = fields(&out.api, field(data, "node").ty.clone());
    assert!(
        field(node, "id").required,
        "unconditional id stays required"
    );
    let login = field(node, "login");
    assert!(!login.required && login.nullable);
    let actor = fields(&out.api, field(data, "actor").ty.clone());
    assert!(field(actor, "id").nullable);

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
                query A($f: F = {a: 1, b: [\"}\"]}) {\n  t { ...X }\n}\n\n\
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
    assert_eq!(
        document_of(&out.api, "A"),
        "query A($f: F = {a: 1, b: [\"}\"]}) {\n  t { ...X }\n}\n\n\
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
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].message.contains("nest more than"), "{}", errs[0]);
}
