// The generator of one golden case folder (generator/tests/golden/<case>/), shared by the golden
// test (generator/tests/golden.rs, which diffs the output) and e2e/build.rs (which compiles it):
// both `include!` this file, so the two always run the same inputs with the same options.
//
// An OpenAPI case is `input.yaml`; a GraphQL case is `schema.graphql` with `operations.graphql`
// and, optionally, `scalars.txt` (one NAME=RUST_TYPE a line).

/// The generator of the golden case in `dir`, before its crate name is set.
fn golden_case_generator(dir: &std::path::Path) -> sdkwright::Generator {
    if !dir.join("schema.graphql").is_file() {
        return sdkwright::Generator::new(dir.join("input.yaml"));
    }
    let mut g = sdkwright::Generator::new(dir.join("schema.graphql"))
        .graphql_operations(dir.join("operations.graphql"));
    for line in std::fs::read_to_string(dir.join("scalars.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let (name, ty) = line
            .split_once('=')
            .expect("scalars.txt: one NAME=RUST_TYPE a line");
        g = g.graphql_scalar(name, ty);
    }
    g
}
