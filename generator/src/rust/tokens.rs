//! Helpers that build tokens for less than `quote!` alone would spend: the back end makes
//! millions of tokens (GitHub: about 1.5 M), and outside a procedural macro proc_macro2 builds
//! them in its own fallback types, where every identifier and literal is an allocation.
//!
//! - [`str_lit`]: a string literal without proc_macro2's per-character `escape_debug`.
//! - `push_doc` (tests): `#[doc = " …"]` as `quote!` writes it, which `Toks::doc` writes.

use proc_macro2::Literal;
#[cfg(test)]
use proc_macro2::TokenStream;

/// The string literal of `s`: the same token as [`Literal::string`] (same text, so the same
/// output), made without its per-character `escape_debug` when `s` is ASCII, which docs and
/// wire names nearly always are.
pub(crate) fn str_lit(s: &str) -> Literal {
    lit_with_prefix("", s)
}

/// The string literal of `prefix` followed by `s` (`prefix` is ASCII with nothing to escape),
/// without making the joined text first.
fn lit_with_prefix(prefix: &str, s: &str) -> Literal {
    let mut repr = String::with_capacity(prefix.len() + s.len() + 2);
    if push_str_lit(&mut repr, prefix, s) {
        // A quoted string of printable ASCII and the escapes above always lexes.
        if let Ok(lit) = repr.parse::<Literal>() {
            return lit;
        }
    }
    Literal::string(&format!("{prefix}{s}"))
}

/// Appends the string literal of `prefix` followed by `s` (`prefix` is ASCII with nothing to
/// escape) to `out`, as [`Literal::string`] writes it, or returns false, having appended part
/// of it, when `s` holds a character [`push_escaped`] leaves to [`Literal::string`].
pub(crate) fn push_str_lit(out: &mut String, prefix: &str, s: &str) -> bool {
    out.push('"');
    out.push_str(prefix);
    if push_escaped(out, s) {
        out.push('"');
        true
    } else {
        false
    }
}

/// Appends `s` escaped as [`Literal::string`] escapes it (`char::escape_debug`, but `'` as
/// itself), or returns false, having appended part of it, when `s` holds a character other
/// than printable ASCII, `\t`, `\n` and `\r` (left to [`Literal::string`]). Eight bytes with
/// nothing to escape are passed over at a time.
fn push_escaped(repr: &mut String, s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            if plain_word(u64::from_le_bytes(chunk.try_into().unwrap_or_default())) {
                i += 8;
                continue;
            }
        }
        let escape = match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0x20..=0x7e => {
                i += 1;
                continue;
            }
            _ => return false,
        };
        repr.push_str(&s[start..i]);
        repr.push_str(escape);
        i += 1;
        start = i;
    }
    repr.push_str(&s[start..]);
    true
}

/// Whether every byte of `w` is printable ASCII (`0x20..=0x7e`) other than `"` and `\`: the
/// bytes [`push_escaped`] copies as they are. Each test is exact for the word as a whole (it
/// may mark bytes after a real match, never a word without one).
fn plain_word(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte equal to `b`: the zero-byte test on `w ^ b…b`.
    let has = |b: u8| {
        let x = w ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGH != 0
    };
    // A byte below 0x20 (exact for bytes below 0x80, and a byte of 0x80 or more fails anyway).
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    w & HIGH == 0 && !below_space && !has(0x7f) && !has(b'"') && !has(b'\\')
}

/// Appends `#[doc = " line"]` to `out` (`#[doc = ""]` for an empty line): rustdoc's form of a
/// `/// line` comment, as `quote!` writes it. The reference `Toks::doc` is tested against.
#[cfg(test)]
pub(crate) fn push_doc(out: &mut TokenStream, line: &str) {
    use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenTree};
    use quote::TokenStreamExt;
    let lit = if line.is_empty() {
        str_lit("")
    } else {
        lit_with_prefix(" ", line)
    };
    let mut inner = TokenStream::new();
    inner.append(Ident::new("doc", Span::call_site()));
    inner.append(Punct::new('=', Spacing::Alone));
    inner.append(lit);
    out.append(Punct::new('#', Spacing::Alone));
    out.append(TokenTree::Group(Group::new(Delimiter::Bracket, inner)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn str_lit_is_literal_string() {
        let mut texts: Vec<String> = [
            "",
            "plain",
            "a \"quoted\" \\ back\\slash",
            "tab\tnew\nline\rret",
            "it's",
            "\0",
            "\u{0}7",
            "é and ü",
            "\u{301}combining",
            "\u{7f}\u{1b}",
            "{}",
            "#[doc]",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend((0u8..=0x7f).map(|b| format!("x{}y", b as char)));
        for t in &texts {
            assert_eq!(
                str_lit(t).to_string(),
                Literal::string(t).to_string(),
                "{t:?}"
            );
            let line = if t.is_empty() {
                String::new()
            } else {
                format!(" {t}")
            };
            let lit = Literal::string(&line);
            let mut doc = TokenStream::new();
            push_doc(&mut doc, t);
            assert_eq!(doc.to_string(), quote!(#[doc = #lit]).to_string(), "{t:?}");
        }
    }

    /// Every byte, and a few characters beyond ASCII, at every offset of a text long enough for
    /// the eight-byte steps of `push_escaped`.
    #[test]
    fn str_lit_is_literal_string_at_every_offset() {
        let mut specials: Vec<String> = (0u8..=0x7f).map(|b| (b as char).to_string()).collect();
        specials.extend(["é", "\u{80}", "\u{ff}", "\u{2028}", "😀"].map(String::from));
        let plain = "abcdefghijklmnopqrstuvwxyz0123";
        for sp in &specials {
            for at in 0..=plain.len() {
                let t = format!("{}{sp}{}", &plain[..at], &plain[at..]);
                assert_eq!(
                    str_lit(&t).to_string(),
                    Literal::string(&t).to_string(),
                    "{t:?}"
                );
                let twice = format!("{t}{sp}{t}");
                assert_eq!(
                    str_lit(&twice).to_string(),
                    Literal::string(&twice).to_string(),
                    "{twice:?}"
                );
            }
        }
    }
}
