//! Introspection results (`{"data": {"__schema": …}}` or `{"__schema": …}`, what servers hand
//! out) turned into SDL text, so that one path parses, indexes and validates every schema.
//!
//! Names are checked to be GraphQL names and descriptions are written as escaped string
//! literals, so nothing in the JSON can change the shape of the SDL; a default value is kept only
//! when it parses as one GraphQL value.

use serde_json::Value;

/// A problem: the JSON pointer of the part that is not what an introspection query returns, and
/// what is wrong with it.
pub(super) type Problem = (String, String);

/// The SDL of the schema an introspection result describes.
pub(super) fn to_sdl(doc: &Value) -> Result<String, Problem> {
    let (root, base) = match doc.get("data").and_then(|d| d.get("__schema")) {
        Some(s) => (s, "/data/__schema".to_owned()),
        None => match doc.get("__schema") {
            Some(s) => (s, "/__schema".to_owned()),
            None => {
                return Err((
                    String::new(),
                    "no `__schema` object (expected `{\"data\": {\"__schema\": …}}` or `{\"__schema\": …}`)".into(),
                ))
            }
        },
    };
    let mut out = String::new();
    let mut roots = Vec::new();
    for (key, op) in [
        ("queryType", "query"),
        ("mutationType", "mutation"),
        ("subscriptionType", "subscription"),
    ] {
        if let Some(t) = root.get(key).filter(|t| !t.is_null()) {
            let name = name_at(t, &format!("{base}/{key}"))?;
            roots.push(format!("{op}: {name}"));
        }
    }
    if !roots.is_empty() {
        out.push_str(&format!("schema {{ {} }}\n\n", roots.join(" ")));
    }
    let types = root.get("types").and_then(Value::as_array).ok_or_else(|| {
        (
            format!("{base}/types"),
            "`types` is missing or not an array".into(),
        )
    })?;
    for (i, t) in types.iter().enumerate() {
        type_sdl(t, &format!("{base}/types/{i}"), &mut out)?;
    }
    if let Some(directives) = root.get("directives").and_then(Value::as_array) {
        for (i, d) in directives.iter().enumerate() {
            directive_sdl(d, &format!("{base}/directives/{i}"), &mut out)?;
        }
    }
    Ok(out)
}

const BUILTIN_SCALARS: [&str; 5] = ["Int", "Float", "String", "Boolean", "ID"];
const BUILTIN_DIRECTIVES: [&str; 6] = [
    "skip",
    "include",
    "deprecated",
    "specifiedBy",
    "oneOf",
    "defer",
];

fn is_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && s.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The `name` member of `v`, checked.
fn name_at<'v>(v: &'v Value, at: &str) -> Result<&'v str, Problem> {
    match v.get("name").and_then(Value::as_str) {
        Some(n) if is_name(n) => Ok(n),
        Some(n) => Err((format!("{at}/name"), format!("`{n}` is not a GraphQL name"))),
        None => Err((at.to_owned(), "`name` is missing".into())),
    }
}

fn items<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A description as an SDL string literal (JSON's escapes are GraphQL's), or nothing.
fn description(v: &Value, indent: &str, out: &mut String) {
    if let Some(d) = v.get("description").and_then(Value::as_str) {
        if let Ok(lit) = serde_json::to_string(d) {
            out.push_str(indent);
            out.push_str(&lit);
            out.push('\n');
        }
    }
}

fn deprecated(v: &Value) -> String {
    if !v
        .get("isDeprecated")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        return String::new();
    }
    match v
        .get("deprecationReason")
        .and_then(Value::as_str)
        .and_then(|r| serde_json::to_string(r).ok())
    {
        Some(reason) => format!(" @deprecated(reason: {reason})"),
        None => " @deprecated".to_owned(),
    }
}

/// A `__Type` reference (`{"kind": "NON_NULL", "ofType": {…}}`) as a type expression. Nesting
/// is bounded by the JSON parser's depth limit.
fn type_ref(v: Option<&Value>, at: &str) -> Result<String, Problem> {
    let bad = || {
        (
            at.to_owned(),
            "not a type reference (`kind`, `name`, `ofType`)".to_owned(),
        )
    };
    let v = v.ok_or_else(bad)?;
    let of = || type_ref(v.get("ofType"), &format!("{at}/ofType"));
    match v.get("kind").and_then(Value::as_str) {
        Some("NON_NULL") => {
            let inner = of()?;
            if inner.ends_with('!') {
                return Err(bad());
            }
            Ok(format!("{inner}!"))
        }
        Some("LIST") => Ok(format!("[{}]", of()?)),
        Some(_) => name_at(v, at).map(str::to_owned),
        None => Err(bad()),
    }
}

/// `name: Type = default` of an argument or input field.
fn input_value(v: &Value, at: &str) -> Result<String, Problem> {
    let name = name_at(v, at)?;
    let ty = type_ref(v.get("type"), &format!("{at}/type"))?;
    let default = v
        .get("defaultValue")
        .and_then(Value::as_str)
        .filter(|d| is_one_value(d))
        .map(|d| format!(" = {d}"))
        .unwrap_or_default();
    Ok(format!("{name}: {ty}{default}{}", deprecated(v)))
}

/// True when `text` is exactly one GraphQL value (so it can be pasted as a default).
fn is_one_value(text: &str) -> bool {
    use graphql_parser::query::{parse_query, Definition, OperationDefinition, Selection};
    if text.len() > 10_000 || super::too_deep(text).is_some() {
        return false;
    }
    let query = format!("{{f(a: {text})}}");
    let Ok(doc) = parse_query::<&str>(&query) else {
        return false;
    };
    match doc.definitions.as_slice() {
        [Definition::Operation(OperationDefinition::SelectionSet(set))] => {
            matches!(set.items.as_slice(), [Selection::Field(f)] if f.arguments.len() == 1)
        }
        _ => false,
    }
}

fn args(v: &Value, at: &str) -> Result<String, Problem> {
    let list = items(v, "args");
    if list.is_empty() {
        return Ok(String::new());
    }
    let parts = list
        .iter()
        .enumerate()
        .map(|(i, a)| input_value(a, &format!("{at}/args/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("({})", parts.join(", ")))
}

fn type_sdl(t: &Value, at: &str, out: &mut String) -> Result<(), Problem> {
    let name = name_at(t, at)?;
    let kind = t.get("kind").and_then(Value::as_str).unwrap_or_default();
    if name.starts_with("__") || (kind == "SCALAR" && BUILTIN_SCALARS.contains(&name)) {
        return Ok(());
    }
    description(t, "", out);
    let names = |key: &str| -> Result<Vec<&str>, Problem> {
        items(t, key)
            .iter()
            .enumerate()
            .map(|(i, x)| name_at(x, &format!("{at}/{key}/{i}")))
            .collect()
    };
    let implements = |out: &mut String| -> Result<(), Problem> {
        let list = names("interfaces")?;
        if !list.is_empty() {
            out.push_str(&format!(" implements {}", list.join(" & ")));
        }
        Ok(())
    };
    match kind {
        "SCALAR" => out.push_str(&format!("scalar {name}\n\n")),
        "OBJECT" | "INTERFACE" => {
            out.push_str(if kind == "OBJECT" {
                "type "
            } else {
                "interface "
            });
            out.push_str(name);
            implements(out)?;
            out.push_str(" {\n");
            for (i, f) in items(t, "fields").iter().enumerate() {
                let fat = format!("{at}/fields/{i}");
                description(f, "  ", out);
                let fname = name_at(f, &fat)?;
                let ty = type_ref(f.get("type"), &format!("{fat}/type"))?;
                out.push_str(&format!(
                    "  {fname}{}: {ty}{}\n",
                    args(f, &fat)?,
                    deprecated(f)
                ));
            }
            out.push_str("}\n\n");
        }
        "UNION" => {
            let members = names("possibleTypes")?;
            out.push_str(&format!("union {name} = {}\n\n", members.join(" | ")));
        }
        "ENUM" => {
            out.push_str(&format!("enum {name} {{\n"));
            for (i, v) in items(t, "enumValues").iter().enumerate() {
                description(v, "  ", out);
                let vname = name_at(v, &format!("{at}/enumValues/{i}"))?;
                out.push_str(&format!("  {vname}{}\n", deprecated(v)));
            }
            out.push_str("}\n\n");
        }
        "INPUT_OBJECT" => {
            out.push_str(&format!("input {name} {{\n"));
            for (i, f) in items(t, "inputFields").iter().enumerate() {
                description(f, "  ", out);
                out.push_str(&format!(
                    "  {}\n",
                    input_value(f, &format!("{at}/inputFields/{i}"))?
                ));
            }
            out.push_str("}\n\n");
        }
        other => return Err((format!("{at}/kind"), format!("unknown type kind `{other}`"))),
    }
    Ok(())
}

fn directive_sdl(d: &Value, at: &str, out: &mut String) -> Result<(), Problem> {
    let name = name_at(d, at)?;
    if BUILTIN_DIRECTIVES.contains(&name) {
        return Ok(());
    }
    let locations: Vec<&str> = items(d, "locations")
        .iter()
        .filter_map(Value::as_str)
        .filter(|l| is_name(l))
        .collect();
    if locations.is_empty() {
        return Ok(());
    }
    description(d, "", out);
    let repeatable = if d.get("isRepeatable").and_then(Value::as_bool) == Some(true) {
        " repeatable"
    } else {
        ""
    };
    out.push_str(&format!(
        "directive @{name}{}{repeatable} on {}\n\n",
        args(d, at)?,
        locations.join(" | ")
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::to_sdl;
    use serde_json::json;

    #[test]
    fn converts_every_kind_and_refuses_injection() {
        let schema = json!({"__schema": {
            "queryType": {"name": "Query"},
            "mutationType": null,
            "types": [
                {"kind": "OBJECT", "name": "Query", "description": "Root \"q\"\nline", "interfaces": [],
                 "fields": [{"name": "items", "args": [{"name": "first", "type": {"kind": "SCALAR", "name": "Int"}, "defaultValue": "10"}],
                             "type": {"kind": "NON_NULL", "ofType": {"kind": "LIST", "ofType": {"kind": "UNION", "name": "Item"}}}}]},
                {"kind": "UNION", "name": "Item", "possibleTypes": [{"name": "A"}, {"name": "B"}]},
                {"kind": "OBJECT", "name": "A", "interfaces": [{"name": "Node"}], "fields": [{"name": "id", "args": [], "type": {"kind": "SCALAR", "name": "ID"}}]},
                {"kind": "OBJECT", "name": "B", "interfaces": [], "fields": [{"name": "old", "args": [], "isDeprecated": true, "deprecationReason": "gone", "type": {"kind": "SCALAR", "name": "String"}}]},
                {"kind": "INTERFACE", "name": "Node", "interfaces": [], "fields": [{"name": "id", "args": [], "type": {"kind": "SCALAR", "name": "ID"}}], "possibleTypes": [{"name": "A"}]},
                {"kind": "ENUM", "name": "E", "enumValues": [{"name": "X"}]},
                {"kind": "INPUT_OBJECT", "name": "In", "inputFields": [{"name": "e", "type": {"kind": "ENUM", "name": "E"}, "defaultValue": "X) } type Evil { x: Int"}]},
                {"kind": "SCALAR", "name": "DateTime"},
                {"kind": "SCALAR", "name": "String"},
                {"kind": "OBJECT", "name": "__Type", "fields": []}
            ],
            "directives": [{"name": "cached", "locations": ["FIELD"], "args": []}, {"name": "skip", "locations": ["FIELD"]}]
        }});
        let sdl = to_sdl(&json!({"data": schema.clone()})).unwrap();
        assert_eq!(sdl, to_sdl(&schema).unwrap());
        let doc =
            graphql_parser::parse_schema::<String>(&sdl).unwrap_or_else(|e| panic!("{e}\n{sdl}"));
        assert!(sdl.contains("schema { query: Query }"), "{sdl}");
        assert!(sdl.contains("items(first: Int = 10): [Item]!"), "{sdl}");
        assert!(sdl.contains("union Item = A | B"), "{sdl}");
        assert!(sdl.contains("type A implements Node"), "{sdl}");
        assert!(
            sdl.contains("old: String @deprecated(reason: \"gone\")"),
            "{sdl}"
        );
        assert!(sdl.contains("\"Root \\\"q\\\"\\nline\""), "{sdl}");
        assert!(sdl.contains("directive @cached on FIELD"), "{sdl}");
        // The default value that would inject a type is dropped.
        assert!(!sdl.contains("Evil"), "{sdl}");
        assert!(!sdl.contains("__Type") && !sdl.contains("scalar String"));
        assert_eq!(doc.definitions.len(), 10);

        let (pointer, message) =
            to_sdl(&json!({"__schema": {"types": [{"kind": "OBJECT", "name": "a b"}]}}))
                .unwrap_err();
        assert_eq!(pointer, "/__schema/types/0/name");
        assert!(message.contains("not a GraphQL name"));
        let (pointer, _) = to_sdl(&json!({"data": {}})).unwrap_err();
        assert_eq!(pointer, "");
        let (pointer, _) = to_sdl(&json!({"__schema": {"types": [{"kind": "OBJECT", "name": "Q", "fields": [{"name": "f", "type": {"kind": "LIST"}}]}]}})).unwrap_err();
        assert_eq!(pointer, "/__schema/types/0/fields/0/type/ofType");
    }
}
