//! An item's tokens in the flat form the fast printer ([`super::fast`]) reads: the back end's
//! [`Toks`](crate::rust::toks::Toks) (one record per token, a group's record saying where its
//! tokens end, and every identifier's, literal's and lifetime quote's text in one arena),
//! written directly by `toks!` or read from proc_macro2's tokens ([`Flat::push`]). An item the
//! fast printer does not cover gets its tokens back, made again from the records
//! ([`Flat::take_tokens`]), for syn and prettyplease.

use proc_macro2::TokenTree;

use crate::rust::docs;
pub(super) use crate::rust::toks::{Kind, Tok, Toks as Flat};

/// Whether a literal (`repr`, as written) is printed as it is: it holds no hidden character
/// (`emit::neutralise` would rewrite it). Asked where the printer uses a literal, not for every
/// literal read (a doc attribute's value has a test of its own).
pub(super) fn clean_literal(repr: &str) -> bool {
    // Hidden characters are none of ASCII: most literals need no look at their characters.
    repr.is_ascii() || !repr.contains(docs::is_hidden)
}

impl Flat {
    /// The tokens given back (made again from the records), and the form emptied: for an
    /// item printed by syn and prettyplease.
    pub(super) fn take_tokens(&mut self) -> Vec<TokenTree> {
        let out = self.trees(0, self.toks.len());
        self.clear();
        out
    }

    /// The tokens of records `start..end` (a run of siblings), made again.
    pub(super) fn tokens_of(&self, start: usize, end: usize) -> Vec<TokenTree> {
        self.trees(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::{Delimiter, Group, TokenStream};
    use quote::quote;

    /// The same tokens: kinds, texts, spacing and delimiters, nested.
    fn same(a: &[TokenTree], b: &[TokenTree]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(a, b)| match (a, b) {
                (TokenTree::Group(a), TokenTree::Group(b)) => {
                    a.delimiter() == b.delimiter()
                        && same(
                            &a.stream().into_iter().collect::<Vec<_>>(),
                            &b.stream().into_iter().collect::<Vec<_>>(),
                        )
                }
                (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
                (TokenTree::Punct(a), TokenTree::Punct(b)) => {
                    a.as_char() == b.as_char() && a.spacing() == b.spacing()
                }
                (TokenTree::Literal(a), TokenTree::Literal(b)) => a.to_string() == b.to_string(),
                _ => false,
            })
    }

    fn read(tokens: &TokenStream) -> Flat {
        let mut flat = Flat::default();
        for tree in tokens.clone() {
            flat.push(tree);
        }
        flat
    }

    /// Nested groups (`None`-delimited ones too), joint punctuation, lifetimes, raw
    /// identifiers and suffixed literals: their records and texts, and the tokens given back.
    #[test]
    fn flat_form_reads_and_gives_back_every_kind_of_token() {
        let none = TokenTree::Group(Group::new(Delimiter::None, quote!(a + 'b)));
        let raw = proc_macro2::Ident::new_raw("type", proc_macro2::Span::call_site());
        let neg = proc_macro2::Literal::i64_suffixed(-1);
        let tokens = quote! {
            fn f<'a>(x: &'a u8) -> r#type { #raw::<T> => [1u8, 2.5f32, "s", b'c', #neg] (#none) {{}} }
        };
        let want: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let mut flat = read(&tokens);
        let text = |t: &Tok| &flat.text[t.start..t.end];
        let texts: Vec<&str> = flat
            .toks
            .iter()
            .filter(|t| t.end > t.start)
            .map(text)
            .collect();
        // (proc_macro2 keeps a negative literal in a stream as `-` and the literal.)
        assert_eq!(
            texts,
            [
                "fn", "f", "'", "a", "x", "'", "a", "u8", "r#type", "r#type", "T", "1u8", "2.5f32",
                "\"s\"", "b'c'", "1i64", "a", "'", "b"
            ]
        );
        // A lifetime is its quote's text and its name's, side by side.
        let quote_at = flat
            .toks
            .iter()
            .position(|t| matches!(t.kind, Kind::Punct { ch: '\'', .. }))
            .unwrap();
        assert_eq!(
            &flat.text[flat.toks[quote_at].start..flat.toks[quote_at + 1].end],
            "'a"
        );
        // `->` and `=>` are joint, `::` too; `<` alone.
        let joints: String = flat
            .toks
            .iter()
            .filter_map(|t| match t.kind {
                Kind::Punct { ch, joint: true } => Some(ch),
                _ => None,
            })
            .collect();
        assert_eq!(joints, "''-:='");
        // Every group's range ends where its tokens do; the `None` group is one.
        let groups: Vec<(Delimiter, usize)> = flat
            .toks
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match t.kind {
                Kind::Group { delimiter, end } => Some((delimiter, end - i - 1)),
                _ => None,
            })
            .collect();
        assert_eq!(
            groups,
            [
                (Delimiter::Parenthesis, 6),
                (Delimiter::Brace, 27),
                (Delimiter::Bracket, 10),
                (Delimiter::Parenthesis, 5),
                (Delimiter::None, 4),
                (Delimiter::Brace, 1),
                (Delimiter::Brace, 0),
            ]
        );
        // A sub-range given back, then the whole.
        let body = flat
            .toks
            .iter()
            .position(|t| {
                matches!(
                    t.kind,
                    Kind::Group {
                        delimiter: Delimiter::Brace,
                        ..
                    }
                )
            })
            .unwrap();
        let Kind::Group { end, .. } = flat.toks[body].kind else {
            unreachable!()
        };
        let TokenTree::Group(g) = &want[want.len() - 1] else {
            unreachable!()
        };
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        assert!(same(&flat.tokens_of(body + 1, end), &inner));
        let back = flat.take_tokens();
        assert!(same(&back, &want), "{back:?}");
        assert!(flat.is_empty() && flat.text.is_empty());
    }

    /// A literal with a hidden character is not clean (the fast printer leaves it to
    /// `neutralise`).
    #[test]
    fn literals_with_hidden_characters_are_not_clean() {
        let lit: proc_macro2::Literal = "\"a\u{202e}b\"".parse().unwrap();
        let flat = read(&quote!(#lit "plain" "é" 1u8));
        let clean: Vec<bool> = flat
            .toks
            .iter()
            .map(|t| t.kind == Kind::Lit && clean_literal(&flat.text[t.start..t.end]))
            .collect();
        assert_eq!(clean, [false, true, true, true]);
    }
}
