//! The document sent with each operation: the operation's own text plus the fragments it uses.
//!
//! A GraphQL server validates the *whole* request document before it executes the operation
//! picked by `operationName` (spec §6.1: "the document must be valid"). Sending the entire
//! operations file with every request therefore couples operations: one operation that selects a
//! field the server does not have (yet, or any more) makes every other operation of the file fail
//! too, and every request carries every query. So each operation gets its own document, cut from
//! the source text (the user's spelling, comments and string literals kept byte for byte).

use std::collections::{BTreeSet, HashMap};

use graphql_parser::query::{self as q, Definition, Selection};

type Doc = q::Document<'static, String>;
type SelectionSet = q::SelectionSet<'static, String>;

/// Byte ranges of the top-level definitions of an executable document, in order: from the first
/// token of each definition to its closing `}`. `None` when the text does not split into
/// brace-balanced definitions (the caller then falls back to the whole text).
pub(super) fn definition_ranges(text: &str) -> Option<Vec<(usize, usize)>> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let (mut braces, mut parens) = (0usize, 0usize);
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            // Byte comparisons: `i` may sit inside a multi-byte character of a string.
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                start.get_or_insert(i);
                i += 3;
                loop {
                    if i >= bytes.len() {
                        return None;
                    }
                    if bytes[i..].starts_with(b"\\\"\"\"") {
                        i += 4;
                    } else if bytes[i..].starts_with(b"\"\"\"") {
                        i += 3;
                        break;
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                start.get_or_insert(i);
                i += 1;
                loop {
                    match bytes.get(i) {
                        None | Some(b'\n') | Some(b'\r') => return None,
                        Some(b'\\') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {}
            _ if bytes[i..].starts_with("\u{feff}".as_bytes()) => {
                i += '\u{feff}'.len_utf8();
                continue;
            }
            _ => {
                start.get_or_insert(i);
                match b {
                    b'(' => parens += 1,
                    b')' => parens = parens.checked_sub(1)?,
                    b'{' => braces += 1,
                    b'}' => {
                        braces = braces.checked_sub(1)?;
                        if braces == 0 && parens == 0 {
                            ranges.push((start.take()?, i + 1));
                        }
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    (start.is_none() && braces == 0 && parens == 0).then_some(ranges)
}

/// The document for the operation at `index` in `doc.definitions`: its text, then the text of
/// every fragment it uses (directly or through other fragments), in document order. The whole
/// text when `ranges` does not line up with the parsed definitions.
pub(super) fn operation_document(
    text: &str,
    doc: &Doc,
    ranges: Option<&[(usize, usize)]>,
    index: usize,
) -> String {
    let Some(ranges) = ranges.filter(|r| r.len() == doc.definitions.len()) else {
        return text.to_owned();
    };
    let fragments: HashMap<&str, (usize, &q::FragmentDefinition<'static, String>)> = doc
        .definitions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            Definition::Fragment(f) => Some((f.name.as_str(), (i, f))),
            Definition::Operation(_) => None,
        })
        .collect();
    let mut used = BTreeSet::new();
    if let Definition::Operation(op) = &doc.definitions[index] {
        let set = match op {
            q::OperationDefinition::SelectionSet(s) => s,
            q::OperationDefinition::Query(o) => &o.selection_set,
            q::OperationDefinition::Mutation(o) => &o.selection_set,
            q::OperationDefinition::Subscription(o) => &o.selection_set,
        };
        collect_spreads(set, &fragments, &mut used);
    }
    let mut out = String::new();
    for i in std::iter::once(index).chain(used) {
        let (start, end) = ranges[i];
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(text.get(start..end).unwrap_or_default());
    }
    out.push('\n');
    out
}

/// Adds the definition index of every fragment spread reachable from `set` to `used`.
fn collect_spreads(
    set: &SelectionSet,
    fragments: &HashMap<&str, (usize, &q::FragmentDefinition<'static, String>)>,
    used: &mut BTreeSet<usize>,
) {
    for s in &set.items {
        match s {
            Selection::Field(f) => collect_spreads(&f.selection_set, fragments, used),
            Selection::InlineFragment(i) => collect_spreads(&i.selection_set, fragments, used),
            Selection::FragmentSpread(s) => {
                // Unknown fragments are reported by the lowering; cycles stop at `insert`.
                if let Some(&(i, f)) = fragments.get(s.fragment_name.as_str()) {
                    if used.insert(i) {
                        collect_spreads(&f.selection_set, fragments, used);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_in_strings_does_not_panic() {
        let text =
            "query A { f(a: \"\"\"ü „x“ \\\"\"\" ✓\"\"\", b: \"ü\") { g } }\n\u{feff}query B { h }";
        let ranges = definition_ranges(text).unwrap();
        assert_eq!(ranges.len(), 2);
        assert!(text[ranges[0].0..ranges[0].1].ends_with("{ g } }"));
        assert_eq!(&text[ranges[1].0..ranges[1].1], "query B { h }");
        // Non-ASCII outside any string (not GraphQL, but no panic either).
        let _ = definition_ranges("ü { ß }");
    }
}
