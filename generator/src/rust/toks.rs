//! Tokens in the printer's flat form, written directly by the back end: one record per token
//! (a group's record says where its tokens end, so a group is an index range, not a `Vec` of
//! its own) and every identifier's, literal's and lifetime quote's text in one text arena.
//! Appending one [`Toks`] to another copies two buffers; no token is an allocation of its own.
//!
//! [`toks!`] has `quote!`'s syntax (`#var`, `#(…)*`, `#(…),*`) and writes the records that
//! `emit`'s reading of `quote!`'s tokens for the same source makes ([`Toks::push`]), so the
//! printed text is the same by construction (tested below). proc_macro2 tokens interpolate too
//! (read as [`Toks::push`] reads them), so helpers not converted still fit; and the tokens come
//! back as proc_macro2 tokens ([`Toks::trees`]) for an item the fast printer leaves to syn and
//! prettyplease.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// What a record is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
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

/// One token: its kind and its text, `start..end` in [`Toks::text`] (empty for punctuation
/// other than `'`, and for groups).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Tok {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Most buffers [`Toks::recycle`] keeps per thread.
const POOL_BUFFERS: usize = 16;

thread_local! {
    /// The buffers [`Toks::scratch`] hands out again.
    static POOL: std::cell::RefCell<Vec<Toks>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Tokens, flat (module docs).
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Toks {
    pub(crate) toks: Vec<Tok>,
    pub(crate) text: String,
}

impl Toks {
    pub(crate) fn new() -> Self {
        Toks::default()
    }

    /// Room for a small item's tokens (fewer reallocations as it grows).
    pub(crate) fn with_capacity() -> Self {
        Toks {
            toks: Vec::with_capacity(16),
            text: String::with_capacity(64),
        }
    }

    /// Itself, reborrowed: what [`toks_into!`] writes into, from a `Toks` or a `&mut Toks`.
    pub(crate) fn toks_mut(&mut self) -> &mut Toks {
        self
    }

    /// An empty buffer with room, reused: one given back on this thread ([`Toks::recycle`]:
    /// an item's once printed, a builder's list once copied into its item), else a new one.
    /// An item built in one grows no buffer from nothing.
    pub(crate) fn scratch() -> Toks {
        POOL.with(|p| p.borrow_mut().pop())
            .unwrap_or_else(Toks::with_capacity)
    }

    /// Gives the buffers back for [`Toks::scratch`], emptied: at most [`POOL_BUFFERS`] per
    /// thread, none larger than an operation's or a type's item commonly is (the client
    /// module of a large API is not kept).
    pub(crate) fn recycle(mut self) {
        if self.toks.capacity() > 1 << 14 || self.text.capacity() > 1 << 18 {
            return;
        }
        self.clear();
        POOL.with(|p| {
            let mut p = p.borrow_mut();
            if p.len() < POOL_BUFFERS {
                p.push(self);
            }
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// Forgets the tokens, keeping the buffers.
    pub(crate) fn clear(&mut self) {
        self.toks.clear();
        self.text.clear();
    }

    fn leaf(&mut self, kind: Kind, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.toks.push(Tok {
            kind,
            start,
            end: self.text.len(),
        });
    }

    /// An identifier (`r#type` for a raw one). Unlike `Ident::new`, nothing checks `text` in a
    /// release build: names come from `rust::naming`, which sanitises every name taken from a
    /// document; a debug build (every test) checks that `text` is one identifier token, so a
    /// name that would print as code fails the tests instead.
    pub(crate) fn ident(&mut self, text: &str) {
        debug_assert!(is_one_ident(text), "not an identifier: {text:?}");
        self.leaf(Kind::Ident, text);
    }

    /// A literal, as written.
    pub(crate) fn lit(&mut self, text: &str) {
        self.leaf(Kind::Lit, text);
    }

    /// The string literal of `s`, as [`super::tokens::str_lit`] writes it.
    pub(crate) fn str_lit(&mut self, s: &str) {
        self.str_lit_after("", s);
    }

    /// The string literal of `prefix` followed by `s` (`prefix`: ASCII with nothing to
    /// escape).
    fn str_lit_after(&mut self, prefix: &str, s: &str) {
        let start = self.text.len();
        if !super::tokens::push_str_lit(&mut self.text, prefix, s) {
            self.text.truncate(start);
            let _ = write!(self.text, "{}", Literal::string(&format!("{prefix}{s}")));
        }
        self.toks.push(Tok {
            kind: Kind::Lit,
            start,
            end: self.text.len(),
        });
    }

    /// `#[doc = " line"]` (`#[doc = ""]` for an empty line), as
    /// [`super::tokens::push_doc`] writes it.
    pub(crate) fn doc(&mut self, line: &str) {
        self.punct('#', false);
        let at = self.open(Delimiter::Bracket);
        self.ident("doc");
        self.punct('=', false);
        if line.is_empty() {
            self.str_lit("");
        } else {
            self.str_lit_after(" ", line);
        }
        self.close(at);
    }

    /// One punctuation character.
    pub(crate) fn punct(&mut self, ch: char, joint: bool) {
        let start = self.text.len();
        if ch == '\'' {
            self.text.push('\'');
        }
        self.toks.push(Tok {
            kind: Kind::Punct { ch, joint },
            start,
            end: self.text.len(),
        });
    }

    /// An operator (`::`, `->`, `..=`): its characters joint but the last, as `quote!` writes
    /// them.
    #[inline]
    pub(crate) fn op(&mut self, text: &str) {
        // Operators are ASCII; a `'` (a lifetime's quote) has its text in the arena.
        let bytes = text.as_bytes();
        if bytes.iter().all(|&b| b.is_ascii() && b != b'\'') {
            let at = self.text.len();
            let last = bytes.len().saturating_sub(1);
            self.toks
                .extend(bytes.iter().enumerate().map(|(i, &b)| Tok {
                    kind: Kind::Punct {
                        ch: char::from(b),
                        joint: i < last,
                    },
                    start: at,
                    end: at,
                }));
            return;
        }
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            self.punct(ch, chars.peek().is_some());
        }
    }

    /// A lifetime (`'a`): a joint `'` and the identifier.
    #[allow(dead_code)] // Written by `toks!` where a call site has one.
    pub(crate) fn lifetime(&mut self, text: &str) {
        self.punct('\'', true);
        self.ident(&text[1..]);
    }

    /// Opens a group; [`Toks::close`] with what this returns after its tokens.
    pub(crate) fn open(&mut self, delimiter: Delimiter) -> usize {
        let at = self.toks.len();
        self.toks.push(Tok {
            kind: Kind::Group { delimiter, end: 0 },
            start: self.text.len(),
            end: self.text.len(),
        });
        at
    }

    pub(crate) fn close(&mut self, at: usize) {
        let end = self.toks.len();
        if let Kind::Group { delimiter, .. } = self.toks[at].kind {
            self.toks[at].kind = Kind::Group { delimiter, end };
        }
    }

    /// `other`'s tokens after these.
    pub(crate) fn append(&mut self, other: &Toks) {
        self.append_range(other, 0, other.toks.len());
    }

    /// `other`'s records `start..end` (a run of whole tokens) after these.
    pub(crate) fn append_range(&mut self, other: &Toks, start: usize, end: usize) {
        let recs = &other.toks[start..end];
        let (Some(first), Some(last)) = (recs.first(), recs.last()) else {
            return;
        };
        let (from, to) = (first.start, last.end.max(first.start));
        let text_shift = self.text.len() as isize - from as isize;
        let rec_shift = self.toks.len() as isize - start as isize;
        self.text.push_str(&other.text[from..to]);
        let shift = |x: usize, by: isize| (x as isize + by) as usize;
        self.toks.extend(recs.iter().map(|t| Tok {
            kind: match t.kind {
                Kind::Group { delimiter, end } => Kind::Group {
                    delimiter,
                    end: shift(end, rec_shift),
                },
                k => k,
            },
            start: shift(t.start, text_shift),
            end: shift(t.end, text_shift),
        }));
    }

    /// Reads `tree` (and, for a group, everything in it) after the tokens already there: the
    /// records `emit` reads from proc_macro2's tokens.
    pub(crate) fn push(&mut self, tree: TokenTree) {
        match tree {
            TokenTree::Group(g) => {
                let delimiter = g.delimiter();
                // The stream's `Rc` held once (the group dropped): iterating moves the tokens
                // instead of copying them.
                let stream = g.stream();
                drop(g);
                let at = self.open(delimiter);
                for tree in stream {
                    self.push(tree);
                }
                self.close(at);
            }
            TokenTree::Ident(_) => self.push_leaf(Kind::Ident, &tree),
            TokenTree::Literal(_) => self.push_leaf(Kind::Lit, &tree),
            TokenTree::Punct(p) => self.punct(p.as_char(), p.spacing() == Spacing::Joint),
        }
    }

    /// Reads a group by reference (its stream is shared, not moved).
    fn push_ref(&mut self, tree: &TokenTree) {
        match tree {
            TokenTree::Group(_) => self.push(tree.clone()),
            TokenTree::Ident(_) => self.push_leaf(Kind::Ident, tree),
            TokenTree::Literal(_) => self.push_leaf(Kind::Lit, tree),
            TokenTree::Punct(p) => self.punct(p.as_char(), p.spacing() == Spacing::Joint),
        }
    }

    /// An identifier's or a literal's record (`kind`), its text written through `Display` (a
    /// token tree, an identifier or a literal). A negative literal is `-` and the literal, as
    /// proc_macro2 keeps it in a stream.
    fn push_leaf(&mut self, kind: Kind, tree: &impl std::fmt::Display) {
        let start = self.text.len();
        let _ = write!(self.text, "{tree}");
        if kind == Kind::Lit && self.text[start..].starts_with('-') {
            self.text.remove(start);
            self.toks.push(Tok {
                kind: Kind::Punct {
                    ch: '-',
                    joint: false,
                },
                start,
                end: start,
            });
        }
        self.toks.push(Tok {
            kind,
            start,
            end: self.text.len(),
        });
    }

    /// Reads a whole stream, moved.
    pub(crate) fn push_stream(&mut self, tokens: TokenStream) {
        for tree in tokens {
            self.push(tree);
        }
    }

    /// The text of record `t`.
    pub(crate) fn text_of(&self, t: &Tok) -> &str {
        &self.text[t.start..t.end]
    }

    /// The proc_macro2 tokens of records `start..end` (a run of siblings), made again from
    /// the records: for syn and prettyplease.
    pub(crate) fn trees(&self, start: usize, end: usize) -> Vec<TokenTree> {
        let mut out = Vec::new();
        let mut i = start;
        while i < end {
            let t = &self.toks[i];
            match t.kind {
                Kind::Group {
                    delimiter,
                    end: close,
                } => {
                    let inner: TokenStream = self.trees(i + 1, close).into_iter().collect();
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
                Kind::Ident => {
                    let text = self.text_of(t);
                    out.push(TokenTree::Ident(match text.strip_prefix("r#") {
                        Some(raw) => Ident::new_raw(raw, Span::call_site()),
                        None => Ident::new(text, Span::call_site()),
                    }));
                    i += 1;
                }
                Kind::Lit => {
                    let text = self.text_of(t);
                    // A literal's text as proc_macro2 writes it always lexes again as one.
                    let lit: Literal = text
                        .parse()
                        .unwrap_or_else(|_| panic!("a literal that does not lex: {text}"));
                    out.push(TokenTree::Literal(lit));
                    i += 1;
                }
            }
        }
        out
    }

    /// All the tokens as a proc_macro2 stream.
    pub(crate) fn to_stream(&self) -> TokenStream {
        self.trees(0, self.toks.len()).into_iter().collect()
    }
}

impl From<TokenStream> for Toks {
    fn from(tokens: TokenStream) -> Self {
        let mut out = Toks::new();
        out.push_stream(tokens);
        out
    }
}

/// What `#var` writes in [`toks!`].
pub(crate) trait ToToks {
    fn to_toks(&self, out: &mut Toks);
}

impl ToToks for Toks {
    fn to_toks(&self, out: &mut Toks) {
        out.append(self);
    }
}

impl<T: ToToks + ?Sized> ToToks for &T {
    fn to_toks(&self, out: &mut Toks) {
        (**self).to_toks(out);
    }
}

impl<T: ToToks> ToToks for Option<T> {
    fn to_toks(&self, out: &mut Toks) {
        if let Some(t) = self {
            t.to_toks(out);
        }
    }
}

impl<T: ToToks + ?Sized> ToToks for std::rc::Rc<T> {
    fn to_toks(&self, out: &mut Toks) {
        (**self).to_toks(out);
    }
}

impl<T: ToToks + ?Sized> ToToks for Box<T> {
    fn to_toks(&self, out: &mut Toks) {
        (**self).to_toks(out);
    }
}

impl ToToks for TokenStream {
    fn to_toks(&self, out: &mut Toks) {
        out.push_stream(self.clone());
    }
}

impl ToToks for TokenTree {
    fn to_toks(&self, out: &mut Toks) {
        out.push_ref(self);
    }
}

impl ToToks for Ident {
    fn to_toks(&self, out: &mut Toks) {
        out.push_leaf(Kind::Ident, self);
    }
}

impl ToToks for Literal {
    fn to_toks(&self, out: &mut Toks) {
        out.push_leaf(Kind::Lit, self);
    }
}

/// A string literal, as `quote!` writes a `str`.
impl ToToks for str {
    fn to_toks(&self, out: &mut Toks) {
        out.str_lit(self);
    }
}

impl ToToks for String {
    fn to_toks(&self, out: &mut Toks) {
        out.str_lit(self);
    }
}

impl ToToks for Group {
    fn to_toks(&self, out: &mut Toks) {
        out.push(TokenTree::Group(self.clone()));
    }
}

/// An identifier written from its name (`r#type` for a raw one), as
/// [`super::naming::ident`]'s token is written, without making that token.
#[derive(Clone, Copy)]
pub(crate) struct Id<'a>(pub(crate) &'a str);

impl ToToks for Id<'_> {
    fn to_toks(&self, out: &mut Toks) {
        out.ident(self.0);
    }
}

/// A part written in place by `f` where `toks!` interpolates it (`#part`): a nested builder
/// writes into its parent's buffer instead of a `Toks` of its own that is then copied.
pub(crate) struct Put<F: Fn(&mut Toks)>(pub(crate) F);

impl<F: Fn(&mut Toks)> ToToks for Put<F> {
    fn to_toks(&self, out: &mut Toks) {
        (self.0)(out);
    }
}

/// A number as an unsuffixed literal (`Literal::u16_unsuffixed` and the like: its `Display`
/// text), without making the proc_macro2 literal.
#[derive(Clone, Copy)]
pub(crate) struct Num<T: std::fmt::Display>(pub(crate) T);

impl<T: std::fmt::Display> ToToks for Num<T> {
    fn to_toks(&self, out: &mut Toks) {
        out.push_leaf(Kind::Lit, &self.0);
    }
}

/// Whether `text` lexes as exactly one identifier token (raw ones included), for
/// [`Toks::ident`]'s debug check.
fn is_one_ident(text: &str) -> bool {
    let Ok(stream) = text.parse::<TokenStream>() else {
        return false;
    };
    let mut trees = stream.into_iter();
    matches!((trees.next(), trees.next()), (Some(TokenTree::Ident(i)), None) if i == text)
}

/// A string literal written from its value, as [`super::tokens::str_lit`]'s token is written.
#[derive(Clone, Copy)]
pub(crate) struct Str<'a>(pub(crate) &'a str);

impl ToToks for Str<'_> {
    fn to_toks(&self, out: &mut Toks) {
        out.str_lit(self.0);
    }
}

/// `quote!`'s `Toks` for use in `quote!` (unconverted callers): the tokens made again.
impl quote::ToTokens for Toks {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(self.trees(0, self.toks.len()));
    }
}

/// The iteration of `#(…)*` in [`toks!`], as `quote!`'s: a variable that is an iterator (or a
/// slice, a `Vec`) is iterated, any other is written on every round; at least one must
/// iterate. (Which of these a build uses depends on its call sites.)
#[allow(dead_code)]
pub(crate) mod rep {
    use super::ToToks;

    pub(crate) struct HasIter;
    pub(crate) struct NoIter;

    impl std::ops::BitOr<NoIter> for NoIter {
        type Output = NoIter;
        fn bitor(self, _: NoIter) -> NoIter {
            NoIter
        }
    }
    impl std::ops::BitOr<HasIter> for NoIter {
        type Output = HasIter;
        fn bitor(self, _: HasIter) -> HasIter {
            HasIter
        }
    }
    impl std::ops::BitOr<NoIter> for HasIter {
        type Output = HasIter;
        fn bitor(self, _: NoIter) -> HasIter {
            HasIter
        }
    }
    impl std::ops::BitOr<HasIter> for HasIter {
        type Output = HasIter;
        fn bitor(self, _: HasIter) -> HasIter {
            HasIter
        }
    }

    pub(crate) trait RepIter: Iterator + Sized {
        fn toks_iter(self) -> (Self, HasIter) {
            (self, HasIter)
        }
    }
    impl<T: Iterator> RepIter for T {}

    pub(crate) trait RepSlice<'q> {
        type Iter: Iterator;
        fn toks_iter(&'q self) -> (Self::Iter, HasIter);
    }
    impl<'q, T: 'q> RepSlice<'q> for [T] {
        type Iter = std::slice::Iter<'q, T>;
        fn toks_iter(&'q self) -> (Self::Iter, HasIter) {
            (self.iter(), HasIter)
        }
    }
    impl<'q, T: 'q> RepSlice<'q> for Vec<T> {
        type Iter = std::slice::Iter<'q, T>;
        fn toks_iter(&'q self) -> (Self::Iter, HasIter) {
            (self.iter(), HasIter)
        }
    }
    impl<'q, T: RepSlice<'q> + ?Sized> RepSlice<'q> for &T {
        type Iter = T::Iter;
        fn toks_iter(&'q self) -> (Self::Iter, HasIter) {
            <T as RepSlice<'q>>::toks_iter(*self)
        }
    }

    /// A value written on every round.
    pub(crate) struct Repeat<'a, T: ?Sized>(&'a T);
    impl<'a, T: ?Sized> Iterator for Repeat<'a, T> {
        type Item = &'a T;
        fn next(&mut self) -> Option<&'a T> {
            Some(self.0)
        }
    }
    pub(crate) trait RepOne: ToToks {
        fn toks_iter(&self) -> (Repeat<'_, Self>, NoIter) {
            (Repeat(self), NoIter)
        }
    }
    impl<T: ToToks + ?Sized> RepOne for T {}
}

/// `quote!` for [`Toks`] (module docs): `toks!(pub fn #name() -> #ty { … })`.
macro_rules! toks {
    () => {
        $crate::rust::toks::Toks::new()
    };
    ($($tt:tt)+) => {{
        let mut __toks = $crate::rust::toks::Toks::with_capacity();
        $crate::rust::toks::toks_write!(__toks; $($tt)+);
        __toks
    }};
}
pub(crate) use toks;

/// [`toks!`] appending to a `Toks` (a variable, or a `&mut Toks` one): `toks_into!(out; …)`,
/// one expression (a block).
macro_rules! toks_into {
    ($o:ident; $($tt:tt)*) => {{
        $crate::rust::toks::toks_write!($o; $($tt)*);
    }};
}
pub(crate) use toks_into;

/// [`toks_into!`]'s statements.
macro_rules! toks_write {
    ($o:ident;) => {};
    ($o:ident; # ( $($inner:tt)* ) * $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [] [$($inner)*] [] $($inner)*);
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; # ( $($inner:tt)* ) $sep:tt * $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [] [$($inner)*] [$sep] $($inner)*);
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; # $var:ident $($rest:tt)*) => {
        $crate::rust::toks::ToToks::to_toks(&$var, $o.toks_mut());
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; ( $($inner:tt)* ) $($rest:tt)*) => {
        let __at = $o.open(::proc_macro2::Delimiter::Parenthesis);
        $crate::rust::toks::toks_write!($o; $($inner)*);
        $o.close(__at);
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; [ $($inner:tt)* ] $($rest:tt)*) => {
        let __at = $o.open(::proc_macro2::Delimiter::Bracket);
        $crate::rust::toks::toks_write!($o; $($inner)*);
        $o.close(__at);
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; { $($inner:tt)* } $($rest:tt)*) => {
        let __at = $o.open(::proc_macro2::Delimiter::Brace);
        $crate::rust::toks::toks_write!($o; $($inner)*);
        $o.close(__at);
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; _ $($rest:tt)*) => {
        $o.ident("_");
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    // Before literals: `-1` is the punctuation and the literal, as in `quote!`.
    ($o:ident; - $($rest:tt)*) => {
        $o.punct('-', false);
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; $i:ident $($rest:tt)*) => {
        $o.ident(stringify!($i));
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; $l:lifetime $($rest:tt)*) => {
        $o.lifetime(stringify!($l));
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; $l:literal $($rest:tt)*) => {
        $o.lit(stringify!($l));
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
    ($o:ident; $p:tt $($rest:tt)*) => {
        $o.op(stringify!($p));
        $crate::rust::toks::toks_write!($o; $($rest)*);
    };
}
pub(crate) use toks_write;

/// A repetition of [`toks!`]: `@c` collects the variables of the body (inside groups too, not
/// inside a nested repetition), then `@go` writes it.
macro_rules! toks_rep {
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt) => {
        $crate::rust::toks::toks_rep!(@go $o [$($v)*] $body $sep)
    };
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt # ( $($x:tt)* ) $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [$($v)*] $body $sep $($rest)*)
    };
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt # $w:ident $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [$($v)* $w] $body $sep $($rest)*)
    };
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt ( $($x:tt)* ) $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [$($v)*] $body $sep $($x)* $($rest)*)
    };
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt [ $($x:tt)* ] $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [$($v)*] $body $sep $($x)* $($rest)*)
    };
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt { $($x:tt)* } $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [$($v)*] $body $sep $($x)* $($rest)*)
    };
    (@c $o:ident [$($v:ident)*] $body:tt $sep:tt $t:tt $($rest:tt)*) => {
        $crate::rust::toks::toks_rep!(@c $o [$($v)*] $body $sep $($rest)*)
    };
    (@go $o:ident [$($v:ident)*] [$($body:tt)*] [$($sep:tt)?]) => {{
        #[allow(unused_imports)]
        use $crate::rust::toks::rep::{RepIter as _, RepOne as _, RepSlice as _};
        let __has = $crate::rust::toks::rep::NoIter;
        $(
            #[allow(unused_mut)]
            let (mut $v, __i) = $v.toks_iter();
            let __has = __has | __i;
        )*
        let _: $crate::rust::toks::rep::HasIter = __has;
        #[allow(unused_mut, unused_variables, unused_assignments)]
        let mut __first = true;
        loop {
            $(
                let $v = match $v.next() {
                    Some(__x) => __x,
                    None => break,
                };
            )*
            $(
                if !__first {
                    $crate::rust::toks::toks_write!($o; $sep);
                }
            )?
            #[allow(unused_assignments)]
            {
                __first = false;
            }
            $crate::rust::toks::toks_write!($o; $($body)*);
        }
    }};
}
pub(crate) use toks_rep;

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn read(tokens: TokenStream) -> Toks {
        Toks::from(tokens)
    }

    /// `toks!` writes the records `quote!`'s tokens are read into, for every kind of token.
    #[test]
    fn toks_writes_what_quote_reads_into() {
        let raw = proc_macro2::Ident::new_raw("type", Span::call_site());
        let neg = Literal::i64_suffixed(-1);
        let none = TokenTree::Group(Group::new(Delimiter::None, quote!(a + 'b)));
        let some: Option<TokenStream> = Some(quote!(x::y));
        let nothing: Option<TokenStream> = None;
        let stream = quote!(Vec<u8>);
        let t = toks!(Vec<u8>);
        let a = vec![quote!(a), quote!(b: u8), quote!()];
        let b = vec![toks!(1), toks!(2u8), toks!("s")];
        let one = toks!(one);
        let names = ["x", "r#type", "_y"];
        let ids: Vec<Id> = names.iter().map(|n| Id(n)).collect();
        let strs = [Str("a\"b"), Str("é\u{202e}"), Str("")];
        macro_rules! both {
            ($($tt:tt)*) => {{
                let q = read(quote!($($tt)*));
                let t = toks!($($tt)*);
                assert_eq!(t, q, "{}", stringify!($($tt)*));
            }};
        }
        both!(fn f<'a>(x: &'a u8) -> r#type { #raw::<T> => [1u8, 2.5f32, "s", b'c', #neg] (#none) {{}} });
        both!(a :: b -> c => d ..= e && f || g != h == i <= j >= k += l -= m <<= n >>= o .. p ... q ? t ! u ~ v @ w ^ x | y % z);
        both!(_ = -1; let _x = - 2.0; -x; 'static; &'a mut T; r#match; self Self crate super);
        both!(#some #nothing #stream #t #one);
        both!(f(#(#a),*) g[#(#b;)*] h{#(#a => #b)|*} i(#(#a: #one),*));
        both!("a\"b" r"raw" b"bytes" 'c' '\'' 1_000usize 0x1f 1e3 1.5e-3f64);
        both!(#[doc = " a doc"] #![allow(x)] pub(crate) struct S { a: (), b: [u8; 3] });
        both!(#(#names)*);
        both!(
            /// A doc comment, "quoted".
            pub struct S;
        );
        // `Id` and `Str` write what `naming::ident` and `str_lit` make.
        let idents: Vec<Ident> = names
            .iter()
            .map(|n| crate::rust::naming::ident(n))
            .collect();
        let lits: Vec<Literal> = ["a\"b", "é\u{202e}", ""]
            .iter()
            .map(|s| crate::rust::tokens::str_lit(s))
            .collect();
        assert_eq!(
            toks!(#(#ids: #one),* #(#strs)*),
            read(quote!(#(#idents: one),* #(#lits)*))
        );
    }

    /// `Toks::doc` writes what `tokens::push_doc` makes.
    #[test]
    fn doc_lines_are_push_doc() {
        for line in ["", "plain", "a \"q\" \\", "é\u{202e}", "tab\t"] {
            let mut want = TokenStream::new();
            crate::rust::tokens::push_doc(&mut want, line);
            let mut t = Toks::new();
            t.doc(line);
            assert_eq!(t, read(want), "{line:?}");
        }
    }

    #[test]
    fn appended_ranges_and_trees_are_the_same_tokens() {
        let q = quote!(struct A { a: u8 } fn f() -> B { g(1, "x") } 'a r#type);
        let t = toks!(struct A { a: u8 } fn f() -> B { g(1, "x") } 'a r#type);
        assert_eq!(t.to_stream().to_string(), q.to_string());
        let mut u = toks!(x);
        u.append_range(&t, 6, t.toks.len());
        let mut w = toks!(x);
        w.append(&toks!(fn f() -> B { g(1, "x") } 'a r#type));
        assert_eq!(u, w);
        assert_eq!(Toks::from(u.to_stream()), u);
    }
}
