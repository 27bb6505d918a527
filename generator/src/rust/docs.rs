//! Documentation text from the API document, made safe for rustdoc.
//!
//! Docs are emitted as `#[doc = "…"]` string literals (one per line), so nothing in the text can
//! end the comment. The text is also adjusted so that `cargo doc` and `cargo clippy` stay quiet on
//! arbitrary CommonMark: fenced code blocks get the `text` info string (never run as doctests),
//! stray `[`, `]` and `<` are escaped (no broken intra-doc links or unclosed HTML tags), bare URLs
//! become autolinks, and lazy list continuation lines are indented.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `#[doc]` attributes for `text`, or for `fallback` when `text` is empty or absent.
pub(crate) fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = match text.map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => fallback.to_string(),
    };
    lines_to_attrs(&sanitize(&text))
}

/// `#[doc]` attributes for already sanitized lines (e.g. generated examples).
pub(crate) fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let lit = if line.is_empty() {
            Literal::string("")
        } else {
            Literal::string(&format!(" {line}"))
        };
        quote!(#[doc = #lit])
    });
    quote!(#(#attrs)*)
}

/// A generated example call, as a ```` ```text ```` block.
pub(crate) fn example_lines(code: &[String]) -> Vec<String> {
    let mut out = vec![
        String::new(),
        "# Example".to_string(),
        String::new(),
        "```text".to_string(),
    ];
    out.extend(code.iter().cloned());
    out.push("```".into());
    out
}

/// One-line, plain form of a text (for `Display` messages and Cargo descriptions).
pub(crate) fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// Splits `text` into rustdoc-safe lines.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    // The content column of the list item being continued, if any.
    let mut in_list_item: Option<usize> = None;
    // Whether a list item appeared since the last top-level paragraph: an indented line after a
    // blank line may then continue the item rather than start an indented code block.
    let mut list_seen = false;
    // Inside an indented code block (rewritten as a `text` fence), and the blank lines seen in it
    // not yet written (they belong after the fence if the block ends there).
    let mut indented = false;
    let mut pending_blanks = 0;
    for raw in text.split('\n') {
        let line: String = raw
            .chars()
            .filter(|c| *c == '\t' || !c.is_control())
            .collect();
        let line = line.trim_end().replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some(marker) = fence.clone() {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
                out.push(marker);
            } else {
                out.push(line.clone());
            }
            continue;
        }
        let indent = line.len() - trimmed.len();
        // Indented code blocks: rustdoc would compile them as Rust doctests; make them `text`.
        if indented {
            if trimmed.is_empty() {
                pending_blanks += 1;
                continue;
            }
            if indent >= 4 {
                out.extend(std::iter::repeat_n(String::new(), pending_blanks));
                pending_blanks = 0;
                out.push(line[4..].to_string());
                continue;
            }
            out.push("````".into());
            out.extend(std::iter::repeat_n(String::new(), pending_blanks));
            pending_blanks = 0;
            indented = false;
        } else if indent >= 4 && !list_seen && out.last().is_none_or(String::is_empty) {
            // Four backticks: the block may contain a ``` line of its own (Bitbucket).
            out.push("````text".into());
            out.push(line[4..].to_string());
            indented = true;
            in_list_item = None;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            out.push(format!("{marker}text"));
            fence = Some(marker);
            in_list_item = None;
            continue;
        }
        let list_marker = list_marker_width(trimmed);
        if list_marker.is_some() {
            list_seen = true;
        } else if indent == 0 && !trimmed.is_empty() && out.last().is_none_or(String::is_empty) {
            list_seen = false;
        }
        let escaped = escape_inline(trimmed);
        if trimmed.is_empty() {
            in_list_item = None;
            out.push(String::new());
        } else if let Some(w) = list_marker {
            in_list_item = Some(indent + w);
            out.push(format!("{}{}", " ".repeat(indent), escaped));
        } else if let Some(content) = in_list_item.filter(|c| indent != *c) {
            // A continuation line of the item's paragraph not aligned with its text: align it.
            // Less indented, it is a lazy continuation (clippy's `doc_lazy_continuation`); more
            // indented, clippy's `doc_overindented_list_items` flags it (and it cannot start an
            // indented code block: those do not interrupt a paragraph).
            out.push(format!("{}{}", " ".repeat(content), escaped));
        } else {
            out.push(format!("{}{}", " ".repeat(indent), escaped));
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    if indented {
        out.push("````".into());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// The width of the list marker that starts `line` with the spaces after it (`*   a` -> 4), i.e.
/// where the item's text starts; CommonMark: 1 to 4 spaces count, 5 or more mean 1 (the rest is
/// an indented code block).
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
            digits + 1
        } else {
            return None;
        }
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    Some(marker + if spaces <= 4 { spaces } else { 1 })
}

/// Escapes what rustdoc would misread outside code spans.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut in_code = false;
    // Index of a `]` that closes a real `[text](url)` link.
    let mut link_close: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                out.push(c);
                if let Some(&n) = chars.get(i + 1) {
                    out.push(n);
                    i += 1;
                }
            }
            '[' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&x| x == ']')
                    .map(|p| p + i + 1);
                match close {
                    Some(j) if chars.get(j + 1) == Some(&'(') => {
                        link_close = Some(j);
                        out.push('[');
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' if link_close == Some(i) => {
                link_close = None;
                out.push(']');
                // Copy the `(url)` through untouched.
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == ')')
                    .map(|p| p + i + 1);
                if let Some(end) = end {
                    out.extend(&chars[i + 1..=end]);
                    i = end;
                }
            }
            ']' => out.push_str("\\]"),
            '<' => {
                let rest: String = chars[i + 1..].iter().collect();
                let autolink = (rest.starts_with("http://") || rest.starts_with("https://"))
                    && rest
                        .find('>')
                        .is_some_and(|e| !rest[..e].contains(char::is_whitespace));
                if autolink {
                    let e = rest.find('>').unwrap_or(0);
                    out.push('<');
                    out.push_str(&rest[..=e]);
                    i += rest[..=e].chars().count();
                } else {
                    out.push_str("\\<");
                }
            }
            '>' => out.push_str("\\>"),
            'h' if starts_url(&chars[i..]) => {
                let len = chars[i..]
                    .iter()
                    .take_while(|c| !c.is_whitespace() && **c != '<' && **c != '>')
                    .count();
                let mut url: String = chars[i..i + len].iter().collect();
                while url.ends_with(['.', ',', ';', ':', ')', '!', '?', '"', '\'']) {
                    url.pop();
                }
                let n = url.chars().count();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i += n;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let s: String = chars.iter().take(8).collect();
    s.starts_with("http://") || s.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text() {
        let lines = sanitize("Example:\n```json\n{\"a\": [1]}\n```\nafter");
        assert_eq!(
            lines,
            ["Example:", "```text", "{\"a\": [1]}", "```", "after"]
        );
        assert_eq!(
            sanitize("```\nfn main() {}"),
            ["```text", "fn main() {}", "```"]
        );
    }

    #[test]
    fn rustdoc_hazards_are_escaped() {
        assert_eq!(sanitize("see [Pet] and <b>"), ["see \\[Pet\\] and \\<b\\>"]);
        assert_eq!(
            sanitize("a [link](http://x.y/z) ok"),
            ["a [link](http://x.y/z) ok"]
        );
        assert_eq!(
            sanitize("go to https://example.com."),
            ["go to <https://example.com>."]
        );
        assert_eq!(
            sanitize("auto <https://example.com>"),
            ["auto <https://example.com>"]
        );
        assert_eq!(sanitize("code `[x] <y>` kept"), ["code `[x] <y>` kept"]);
        assert_eq!(sanitize("- item\ncontinued"), ["- item", "  continued"]);
        assert_eq!(sanitize("bad \r cr */ end"), ["bad", " cr */ end"]);
    }

    #[test]
    fn lazy_continuations_are_indented_to_the_item_text() {
        // Pinterest: continuation lines indented less than the item's text (here one space).
        assert_eq!(
            sanitize("- item\n  two\n one\nzero"),
            ["- item", "  two", "  one", "  zero"]
        );
        assert_eq!(sanitize("10. item\n next"), ["10. item", "    next"]);
        assert_eq!(sanitize("- a\n  - b\n  c"), ["- a", "  - b", "    c"]);
        // Over-indented continuations are aligned too (Kubernetes, Bitbucket); a blank line
        // ends the item.
        assert_eq!(sanitize("1. a\n    b"), ["1. a", "   b"]);
        assert_eq!(sanitize("- a\n        b\n\nc"), ["- a", "  b", "", "c"]);
        // The text starts after the spaces that follow the marker (GitHub, DigitalOcean).
        assert_eq!(sanitize("*   a\n  b"), ["*   a", "    b"]);
        assert_eq!(sanitize("-      a\nb"), ["-      a", "  b"]);
    }

    #[test]
    fn indented_code_blocks_become_text() {
        // Bitbucket, ONVIF: indented blocks would be compiled as Rust doctests.
        assert_eq!(
            sanitize("Upload:\n\n    $ curl -F x=@a [b]\n\n      more\n\nafter"),
            [
                "Upload:",
                "",
                "````text",
                "$ curl -F x=@a [b]",
                "",
                "  more",
                "````",
                "",
                "after"
            ]
        );
        assert_eq!(
            sanitize("    code\n    ```\n    x\n    ```"),
            ["````text", "code", "```", "x", "```", "````"]
        );
        // Not after a paragraph line (no blank line), and not inside a list.
        assert_eq!(sanitize("a\n    b"), ["a", "    b"]);
        assert_eq!(
            sanitize("- a\n\n    more of a"),
            ["- a", "", "    more of a"]
        );
    }

    #[test]
    fn attrs_are_string_literals() {
        let ts = doc_attrs(Some("*/ evil \" quote"), "x").to_string();
        assert!(ts.contains(r#"" */ evil \" quote""#), "{ts}");
        assert!(doc_attrs(None, "Fallback.")
            .to_string()
            .contains("Fallback."));
    }
}
