//! Helpers that build tokens for less than `quote!` alone would spend: the back end makes
//! millions of tokens (GitHub: about 1.5 M), and outside a procedural macro proc_macro2 builds
//! them in its own fallback types, where every identifier and literal is an allocation.
//!
//! - [`str_lit`]: a string literal without proc_macro2's per-character `escape_debug`.
//! - [`push_doc`]: `#[doc = " …"]` appended straight to a stream.
//! - [`Moved`] and [`join`]: a stream interpolated into `quote!` by moving its tokens. `quote!` interpolates a
//!   `TokenStream` by reference, and proc_macro2 then copies every token of it (an identifier's
//!   text included) into the stream around it; an item built in nested parts was copied once
//!   per level.

use std::cell::Cell;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};

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
/// `/// line` comment, as `quote!` writes it.
pub(crate) fn push_doc(out: &mut TokenStream, line: &str) {
    let lit = if line.is_empty() {
        str_lit("")
    } else {
        lit_with_prefix(" ", line)
    };
    push_doc_lit(out, lit);
}

/// Appends `#[doc = lit]` to `out`.
pub(crate) fn push_doc_lit(out: &mut TokenStream, lit: Literal) {
    let mut inner = TokenStream::new();
    inner.append(Ident::new("doc", Span::call_site()));
    inner.append(Punct::new('=', Spacing::Alone));
    inner.append(lit);
    out.append(Punct::new('#', Spacing::Alone));
    out.append(TokenTree::Group(Group::new(Delimiter::Bracket, inner)));
}

/// The streams one after the other, moved (not copied) into the first.
pub(crate) fn join(streams: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let mut streams = streams.into_iter();
    let mut out = streams.next().unwrap_or_default();
    out.extend(streams);
    out
}

/// Streams that `quote!` moves into the stream around it rather than copying them: write `#x`
/// with `let x = Moved::new(stream)`, or `Moved::all(streams)` for what would be
/// `#(#streams)*`. It can be interpolated once; a second `#x` writes nothing (checked in debug
/// builds).
pub(crate) struct Moved(Cell<Streams>);

/// What a [`Moved`] holds: one stream (no `Vec` to allocate), several, or nothing once taken.
#[derive(Default)]
enum Streams {
    #[default]
    Taken,
    One(TokenStream),
    Many(Vec<TokenStream>),
}

impl Moved {
    pub(crate) fn new(tokens: TokenStream) -> Self {
        Moved(Cell::new(Streams::One(tokens)))
    }

    pub(crate) fn all(streams: impl IntoIterator<Item = TokenStream>) -> Self {
        Moved(Cell::new(Streams::Many(streams.into_iter().collect())))
    }
}

impl Moved {
    /// The streams, taken (none when taken before).
    pub(crate) fn take_all(&self) -> Vec<TokenStream> {
        match self.0.take() {
            Streams::One(tokens) => vec![tokens],
            Streams::Many(streams) => streams,
            Streams::Taken => {
                debug_assert!(false, "a `Moved` stream interpolated twice");
                Vec::new()
            }
        }
    }
}

impl ToTokens for Moved {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self.0.take() {
            // As a stream (`Extend<TokenStream>`, as `quote!` interpolates one), not token by
            // token.
            Streams::One(tokens) => out.extend(std::iter::once(tokens)),
            Streams::Many(streams) => out.extend(streams),
            Streams::Taken => debug_assert!(false, "a `Moved` stream interpolated twice"),
        }
    }
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

    #[test]
    fn moved_streams_are_the_same_tokens() {
        let a = quote!(
            pub fn f(x: u8) -> u8 {
                x
            }
        );
        let b = quote!(
            struct S;
        );
        let (ma, mb) = (Moved::new(a.clone()), Moved::new(b.clone()));
        let xs = Moved::all([a.clone(), b.clone()]);
        assert_eq!(
            quote!(mod m { #ma #mb } #xs).to_string(),
            quote!(mod m { #a #b } #a #b).to_string()
        );
    }
}
