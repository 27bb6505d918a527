//! An item's tokens read once into a flat form for the fast printer ([`super::fast`]): one
//! record per token (a group's record says where its tokens end, so a group is an index range,
//! not a `Vec` of its own), and every identifier's, literal's and lifetime quote's text written
//! into one text arena (no `String` per token). The reader takes the tokens by value: a group's
//! stream is moved out of it (its `Rc` held once, so proc_macro2 does not copy it to iterate),
//! and the identifiers and literals are kept, moved, so that an item the fast printer does not
//! cover gets its tokens back ([`Flat::take_tokens`], punctuation made again from its record)
//! for syn and prettyplease.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};

use crate::rust::docs;

/// What a record is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    /// An identifier, raw ones with their `r#`.
    Ident,
    /// A literal as written.
    Lit,
    /// A punctuation character; `joint`: the next one is part of the same operator. A `'` (a
    /// lifetime's quote) has its text in the arena too, right before its identifier's.
    Punct { ch: char, joint: bool },
    /// A group: its tokens are the records after it, up to `end` (exclusive).
    Group { delimiter: Delimiter, end: usize },
}

/// Whether a literal (`repr`, as written) is printed as it is: it holds no hidden character
/// (`emit::neutralise` would rewrite it). Asked where the printer uses a literal, not for every
/// literal read (a doc attribute's value has a test of its own).
pub(super) fn clean_literal(repr: &str) -> bool {
    // Hidden characters are none of ASCII: most literals need no look at their characters.
    repr.is_ascii() || !repr.contains(docs::is_hidden)
}

/// One token: its kind and its text, `start..end` in [`Flat::text`] (empty for punctuation
/// other than `'`, and for groups).
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// An item's tokens, flat (module docs). Reused from item to item: [`Flat::clear`] keeps the
/// allocations.
#[derive(Default)]
pub(super) struct Flat {
    pub(super) toks: Vec<Tok>,
    pub(super) text: String,
    /// The identifiers and literals, moved here in order, for [`Flat::take_tokens`]
    /// (punctuation is made again from its record).
    leaves: Vec<TokenTree>,
}

impl Flat {
    pub(super) fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// Forgets the tokens read (dropping them), keeping the buffers.
    pub(super) fn clear(&mut self) {
        self.toks.clear();
        self.text.clear();
        self.leaves.clear();
    }

    /// Reads `tree` (and, for a group, everything in it) after the tokens already read.
    pub(super) fn push(&mut self, tree: TokenTree) {
        match tree {
            TokenTree::Group(g) => {
                let delimiter = g.delimiter();
                // The stream's `Rc` held once (the group dropped): iterating moves the tokens
                // instead of copying them.
                let stream = g.stream();
                drop(g);
                let at = self.toks.len();
                self.toks.push(Tok {
                    kind: Kind::Group { delimiter, end: 0 },
                    start: 0,
                    end: 0,
                });
                for tree in stream {
                    self.push(tree);
                }
                let end = self.toks.len();
                self.toks[at].kind = Kind::Group { delimiter, end };
            }
            TokenTree::Ident(_) => self.push_leaf(Kind::Ident, tree),
            TokenTree::Literal(_) => self.push_leaf(Kind::Lit, tree),
            TokenTree::Punct(p) => {
                let ch = p.as_char();
                let start = self.text.len();
                if ch == '\'' {
                    self.text.push('\'');
                }
                self.toks.push(Tok {
                    kind: Kind::Punct {
                        ch,
                        joint: p.spacing() == Spacing::Joint,
                    },
                    start,
                    end: self.text.len(),
                });
            }
        }
    }

    /// An identifier's or a literal's record (`kind`), its text written into the arena and the
    /// token itself kept for [`Flat::take_tokens`].
    fn push_leaf(&mut self, kind: Kind, tree: TokenTree) {
        let start = self.text.len();
        let _ = write!(self.text, "{tree}");
        self.toks.push(Tok {
            kind,
            start,
            end: self.text.len(),
        });
        self.leaves.push(tree);
    }

    /// The tokens read, given back (groups made again around the same identifiers, literals
    /// and punctuation), and the form emptied: for an item printed by syn and prettyplease.
    pub(super) fn take_tokens(&mut self) -> Vec<TokenTree> {
        let mut leaves = std::mem::take(&mut self.leaves).into_iter();
        let out = self.rebuild(0, self.toks.len(), &mut leaves);
        // The allocation, for the next item.
        self.leaves = leaves.collect();
        self.clear();
        out
    }

    /// The tokens of records `start..end` (a run of siblings), copied.
    pub(super) fn tokens_of(&self, start: usize, end: usize) -> Vec<TokenTree> {
        let first_leaf = self.toks[..start]
            .iter()
            .filter(|t| matches!(t.kind, Kind::Ident | Kind::Lit))
            .count();
        let mut leaves = self.leaves[first_leaf..].iter().cloned();
        self.rebuild(start, end, &mut leaves)
    }

    fn rebuild(
        &self,
        start: usize,
        end: usize,
        leaves: &mut impl Iterator<Item = TokenTree>,
    ) -> Vec<TokenTree> {
        let mut out = Vec::new();
        let mut i = start;
        while i < end {
            match self.toks[i].kind {
                Kind::Group {
                    delimiter,
                    end: close,
                } => {
                    let inner: TokenStream =
                        self.rebuild(i + 1, close, leaves).into_iter().collect();
                    out.push(TokenTree::Group(Group::new(delimiter, inner)));
                    i = close;
                }
                Kind::Punct { ch, joint } => {
                    let spacing = if joint {
                        Spacing::Joint
                    } else {
                        Spacing::Alone
                    };
                    out.push(TokenTree::Punct(Punct::new(ch, spacing)));
                    i += 1;
                }
                Kind::Ident | Kind::Lit => {
                    out.extend(leaves.next());
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
