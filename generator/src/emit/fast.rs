//! The printer's fast path: one top-level item printed straight from its tokens, with the same
//! bytes prettyplease prints for it, without the `syn` round trip (parsing every item into a
//! syntax tree, walking it, dropping it: half of generation time for large documents).
//!
//! [`print_flat`] reads the item's tokens, already in their flat form ([`super::flat`]: one
//! record per token, the texts in one arena), into a small tree that holds only what the
//! printer needs (the text of each identifier and literal, borrowed from the arena, and the
//! structure around them), then makes the calls prettyplease 0.2.37 makes for the same item on
//! the vendored algorithm (`pp`): the same boxes, breaks and words in the same order, so the
//! same line breaking. It covers the Rust the back end writes (attributes, structs, enums,
//! impls, functions, statics, consts, type aliases; paths, references, tuples, `impl`/`dyn`
//! bounds; calls, method chains, `.await`, `?`, references, struct literals, arrays, tuples,
//! `match`, assignments, `let`). Anything else (closures, macros, `if`, binary operators, where
//! clauses, a literal with a hidden character, a doc comment prettyplease would print as a
//! block comment, …) makes it return `false`, and the caller prints that item with syn and
//! prettyplease as before. Tests compare both printers on every item of the golden cases;
//! `SDKWRIGHT_PRINT_CHECK=1` does so in any run.

use std::borrow::Cow;

use proc_macro2::{Delimiter, TokenTree};

use super::flat::{clean_literal, Flat, Kind, Tok};
use super::pp::algorithm::{BreakToken, Printer};
use super::pp::INDENT;

/// The text prettyplease prints for the item made of `tokens` (as `unparse` of a file holding
/// only that item), or `None` when the item is outside what this printer covers.
pub(crate) fn print_item(tokens: &[TokenTree]) -> Option<String> {
    let mut flat = Flat::default();
    for tree in tokens.iter().cloned() {
        flat.push(tree);
    }
    let mut out = String::new();
    print_flat(&flat, &mut out).then_some(out)
}

/// [`print_item`] of an item read into `flat`, appending to `out` (a module's text: no
/// `String` per item to copy again); `false`, with `out` as it was, when the item is outside
/// what this printer covers.
pub(super) fn print_flat(flat: &Flat, out: &mut String) -> bool {
    print_flat_range(flat, 0, flat.toks.len(), out)
}

/// [`print_flat`] of the item of records `start..end` (a run of siblings) of `flat`.
pub(super) fn print_flat_range(flat: &Flat, start: usize, end: usize, out: &mut String) -> bool {
    let mut cur = Cur {
        f: flat,
        i: start,
        end,
    };
    let Some(item) = parse_item(&mut cur) else {
        return false;
    };
    if !cur.done() {
        return false;
    }
    let mut p = Printer::with_output(std::mem::take(out));
    p.cbox(0);
    p.f_item(&item);
    p.end();
    *out = p.eof();
    true
}

// ---------------------------------------------------------------------------------------------
// The tree: words borrow the flat form's text (`'a`).

struct Item<'a> {
    attrs: Vec<Attr<'a>>,
    vis: Vis<'a>,
    kind: ItemKind<'a>,
}

enum ItemKind<'a> {
    Struct {
        ident: &'a str,
        fields: Fields<'a>,
    },
    Enum {
        ident: &'a str,
        variants: Vec<Variant<'a>>,
    },
    Impl {
        generics: Vec<GParam<'a>>,
        trait_: Option<Path<'a>>,
        self_ty: Ty<'a>,
        items: Vec<ImplItem<'a>>,
    },
    Fn(ImplFn<'a>),
    Static {
        ident: &'a str,
        ty: Ty<'a>,
        expr: Expr<'a>,
    },
    Const {
        ident: &'a str,
        ty: Ty<'a>,
        expr: Expr<'a>,
    },
    Type {
        ident: &'a str,
        ty: Ty<'a>,
    },
    /// `use a::b::c;`, `use a::b as c;`, `use a::*;`: the words after `use ` (no groups).
    Use(Vec<&'a str>),
    /// `path!(…);` or `path![…];`.
    Macro(Mac<'a>),
}

/// An item of an `impl` block.
enum ImplItem<'a> {
    Fn(ImplFn<'a>),
    /// `const NAME: ty = expr;`
    Const {
        attrs: Vec<Attr<'a>>,
        vis: Vis<'a>,
        ident: &'a str,
        ty: Ty<'a>,
        expr: Expr<'a>,
    },
    /// `path!(…);`
    Macro {
        attrs: Vec<Attr<'a>>,
        mac: Mac<'a>,
    },
    /// A member this printer does not cover, printed by syn and prettyplease on its own
    /// ([`super::print_impl_member`]): its lines as they stand inside the `impl` block, the
    /// first one's indentation left to the printer. One such member (`Client::builder`'s
    /// `concat!`) used to send the whole `impl Client` (every operation's method: a tenth of
    /// GitHub's generation) through syn.
    Verbatim(String),
}

/// A macro call with `(…)` or `[…]` and a `;` after it (prettyplease's `mac` of an item).
struct Mac<'a> {
    /// The path's words (`::`, `a`, `::`, `b`): a simple path, no generic arguments.
    path: Seq<&'a str>,
    delimiter: Delimiter,
    /// The tokens inside the delimiters.
    tokens: Cur<'a>,
}

enum Attr<'a> {
    /// `#[doc = "…"]` printed as `///…`: the (trailing-space trimmed) value, `text[start..end]`.
    Doc(Cow<'a, str>, usize, usize),
    /// `#[path]`, `#[path(…)]`, `#[path = expr]`.
    Other { path: Seq<&'a str>, meta: Meta<'a> },
}

enum Meta<'a> {
    Path,
    /// The arguments: a cursor over the one group (`(…)`, `[…]`, `{…}`) that holds them.
    List(Cur<'a>),
    NameValue(Expr<'a>),
}

enum Vis<'a> {
    Inherited,
    Pub,
    /// `pub(crate)`, `pub(super)`, `pub(self)`.
    Restricted(&'a str),
}

enum Fields<'a> {
    Named(Vec<Field<'a>>),
    Unnamed(Vec<Field<'a>>),
    Unit,
}

struct Field<'a> {
    attrs: Vec<Attr<'a>>,
    vis: Vis<'a>,
    ident: Option<&'a str>,
    ty: Ty<'a>,
}

struct Variant<'a> {
    attrs: Vec<Attr<'a>>,
    ident: &'a str,
    fields: Fields<'a>,
}

enum GParam<'a> {
    Lifetime {
        name: &'a str,
        bounds: Vec<&'a str>,
    },
    Type {
        ident: &'a str,
        bounds: Vec<Bound<'a>>,
    },
}

enum Bound<'a> {
    Lifetime(&'a str),
    Trait(Path<'a>),
}

struct Path<'a> {
    leading_colon: bool,
    segments: Seq<Segment<'a>>,
}

struct Segment<'a> {
    ident: &'a str,
    args: Args<'a>,
}

enum Args<'a> {
    None,
    Angle(Vec<GArg<'a>>),
    Paren(Vec<Ty<'a>>, Option<Box<Ty<'a>>>),
}

enum GArg<'a> {
    Lifetime(&'a str),
    Type(Ty<'a>),
    AssocType(&'a str, Ty<'a>),
}

enum Ty<'a> {
    Path(Path<'a>),
    /// `<ty as trait…>::rest`: the type, the trait's segment count in `path`, the path.
    QPath(Box<Ty<'a>>, usize, Path<'a>),
    Ref {
        lifetime: Option<&'a str>,
        mutable: bool,
        elem: Box<Ty<'a>>,
    },
    Slice(Box<Ty<'a>>),
    Tuple(Vec<Ty<'a>>),
    Impl(Vec<Bound<'a>>),
    Dyn(Vec<Bound<'a>>),
}

struct ImplFn<'a> {
    attrs: Vec<Attr<'a>>,
    vis: Vis<'a>,
    constness: bool,
    asyncness: bool,
    ident: &'a str,
    generics: Vec<GParam<'a>>,
    inputs: Vec<FnArg<'a>>,
    output: Option<Ty<'a>>,
    stmts: Vec<Stmt<'a>>,
}

enum FnArg<'a> {
    Receiver {
        reference: Option<Option<&'a str>>,
        mutable: bool,
    },
    Typed(Pat<'a>, Ty<'a>),
}

enum Pat<'a> {
    /// An identifier (`mut x`), `_`, or a path (`None`, `Kind::A`): all print as a path.
    Path {
        mutable: bool,
        path: Path<'a>,
    },
    Lit(&'a str),
    TupleStruct(Path<'a>, Vec<Pat<'a>>),
    /// `(a, b)`; `(a,)` (one element and a trailing comma).
    Tuple(Vec<Pat<'a>>),
}

enum Stmt<'a> {
    Local {
        pat: Pat<'a>,
        ty: Option<Ty<'a>>,
        init: Expr<'a>,
    },
    Expr {
        expr: Expr<'a>,
        semi: bool,
    },
}

enum Expr<'a> {
    Path(Path<'a>),
    QPath(Box<Ty<'a>>, usize, Path<'a>),
    Lit(&'a str),
    Call(Box<Expr<'a>>, Vec<Expr<'a>>),
    MethodCall {
        receiver: Box<Expr<'a>>,
        method: &'a str,
        turbofish: Option<Vec<GArg<'a>>>,
        args: Vec<Expr<'a>>,
    },
    Field(Box<Expr<'a>>, &'a str),
    Await(Box<Expr<'a>>),
    Try(Box<Expr<'a>>),
    Reference {
        mutable: bool,
        expr: Box<Expr<'a>>,
    },
    Unary(&'static str, Box<Expr<'a>>),
    Array(Vec<Expr<'a>>),
    Tuple(Vec<Expr<'a>>),
    Struct {
        path: Path<'a>,
        fields: Vec<(&'a str, Option<Expr<'a>>)>,
    },
    Match(Box<Expr<'a>>, Vec<Arm<'a>>),
    Assign(Box<Expr<'a>>, Box<Expr<'a>>),
    Return(Option<Box<Expr<'a>>>),
    /// `|a, b| body`, `move |a| body` (no types, no block body).
    Closure {
        capture: bool,
        inputs: Vec<Pat<'a>>,
        body: Box<Expr<'a>>,
    },
    /// `if cond { … }` or `if let pat = expr { … }`, without `else`.
    If {
        pat: Option<Pat<'a>>,
        cond: Box<Expr<'a>>,
        then: Vec<Stmt<'a>>,
    },
}

struct Arm<'a> {
    pat: Pat<'a>,
    body: ArmBody<'a>,
}

enum ArmBody<'a> {
    Expr(Expr<'a>),
    Block(Vec<Stmt<'a>>),
}

/// A list of the tree that most often holds one element (a path's segments, an attribute's or a
/// macro's path): that one is held in place, and a second moves both to a `Vec`. Paths are
/// most of the tree's nodes, and a `Vec` each (allocated, grown, freed) was a tenth of the
/// printer's instructions.
enum Seq<T> {
    Empty,
    One(T),
    Many(Vec<T>),
}

impl<T> Seq<T> {
    fn new() -> Self {
        Seq::Empty
    }

    fn push(&mut self, value: T) {
        *self = match std::mem::replace(self, Seq::Empty) {
            Seq::Empty => Seq::One(value),
            Seq::One(first) => Seq::Many(vec![first, value]),
            Seq::Many(mut all) => {
                all.push(value);
                Seq::Many(all)
            }
        };
    }
}

impl<T> std::ops::Deref for Seq<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Seq::Empty => &[],
            Seq::One(one) => std::slice::from_ref(one),
            Seq::Many(all) => all,
        }
    }
}

impl<T> Extend<T> for Seq<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for value in iter {
            self.push(value);
        }
    }
}

impl<T> IntoIterator for Seq<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        match self {
            Seq::Empty => Vec::new().into_iter(),
            Seq::One(one) => vec![one].into_iter(),
            Seq::Many(all) => all.into_iter(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading tokens.

/// A run of sibling tokens of the flat form, `i..end`, read from the front: a group is one
/// token here (the next sibling is at its end).
#[derive(Clone, Copy)]
struct Cur<'a> {
    f: &'a Flat,
    i: usize,
    end: usize,
}

impl<'a> Cur<'a> {
    fn done(&self) -> bool {
        self.i >= self.end
    }

    /// The sibling after the token at `i`.
    fn after(&self, i: usize) -> usize {
        match self.f.toks[i].kind {
            Kind::Group { end, .. } => end,
            _ => i + 1,
        }
    }

    fn peek_at(&self, n: usize) -> Option<&'a Tok> {
        let mut i = self.i;
        for _ in 0..n {
            if i >= self.end {
                return None;
            }
            i = self.after(i);
        }
        if i < self.end {
            Some(&self.f.toks[i])
        } else {
            None
        }
    }

    fn peek(&self) -> Option<&'a Tok> {
        if self.i < self.end {
            Some(&self.f.toks[self.i])
        } else {
            None
        }
    }

    fn bump(&mut self) -> Option<&'a Tok> {
        let t = self.peek()?;
        self.i = self.after(self.i);
        Some(t)
    }

    /// Steps over `n` tokens.
    fn skip(&mut self, n: usize) {
        for _ in 0..n {
            self.bump();
        }
    }

    /// The text of `t` (an identifier's, a literal's).
    fn text(&self, t: &Tok) -> &'a str {
        &self.f.text[t.start..t.end]
    }

    /// The tokens inside the group `t` (found at `at`).
    fn inside(&self, at: usize) -> Cur<'a> {
        Cur {
            f: self.f,
            i: at + 1,
            end: self.after(at),
        }
    }

    /// The room a list of the run's parts separated by `c` needs: one more than the `c`s among
    /// its tokens (groups not entered), none for an empty run (no regrowth, each copying the
    /// elements again).
    fn len_by(&self, c: char) -> usize {
        if self.done() {
            return 0;
        }
        let mut cur = *self;
        let mut n = 0;
        while let Some(t) = cur.bump() {
            n += usize::from(matches!(t.kind, Kind::Punct { ch, .. } if ch == c));
        }
        n + 1
    }

    /// The last token of the run.
    fn last(&self) -> Option<&'a Tok> {
        let mut c = *self;
        let mut last = None;
        while let Some(t) = c.bump() {
            last = Some(t);
        }
        last
    }

    fn punct_at(&self, n: usize, c: char) -> bool {
        matches!(self.peek_at(n), Some(Tok { kind: Kind::Punct { ch, .. }, .. }) if *ch == c)
    }

    fn joint_at(&self, n: usize, c: char) -> bool {
        matches!(self.peek_at(n), Some(Tok { kind: Kind::Punct { ch, joint: true }, .. }) if *ch == c)
    }

    fn is_punct(&self, c: char) -> bool {
        matches!(self.peek(), Some(Tok { kind: Kind::Punct { ch, .. }, .. }) if *ch == c)
    }

    /// A lone `c` (not the start of a longer operator such as `==`, `=>`, `::`, `->`).
    fn is_alone(&self, c: char) -> bool {
        matches!(self.peek(), Some(Tok { kind: Kind::Punct { ch, joint: false }, .. }) if *ch == c)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let yes = self.is_punct(c);
        if yes {
            self.i += 1;
        }
        yes
    }

    /// The identifier here, if there is one.
    fn peek_ident(&self) -> Option<&'a str> {
        match self.peek() {
            Some(t) if t.kind == Kind::Ident => Some(self.text(t)),
            _ => None,
        }
    }

    fn is_ident(&self, s: &str) -> bool {
        matches!(self.peek(), Some(t) if t.kind == Kind::Ident && self.text(t) == s)
    }

    fn ident_at(&self, n: usize, s: &str) -> bool {
        matches!(self.peek_at(n), Some(t) if t.kind == Kind::Ident && self.text(t) == s)
    }

    fn is_any_ident_at(&self, n: usize) -> bool {
        matches!(self.peek_at(n), Some(t) if t.kind == Kind::Ident)
    }

    fn eat_ident(&mut self, s: &str) -> bool {
        let yes = self.is_ident(s);
        if yes {
            self.i += 1;
        }
        yes
    }

    /// Any identifier, as printed.
    fn ident(&mut self) -> Option<&'a str> {
        match self.peek() {
            Some(t) if t.kind == Kind::Ident => {
                self.i += 1;
                Some(self.text(t))
            }
            _ => None,
        }
    }

    fn is_path_sep(&self) -> bool {
        self.joint_at(0, ':') && self.punct_at(1, ':')
    }

    /// `->`
    fn is_arrow(&self) -> bool {
        self.joint_at(0, '-') && self.punct_at(1, '>')
    }

    /// `=>`
    fn is_fat_arrow(&self) -> bool {
        self.joint_at(0, '=') && self.punct_at(1, '>')
    }

    /// A group delimited by `d`: the cursor over its tokens.
    fn group(&mut self, d: Delimiter) -> Option<Cur<'a>> {
        if !self.is_group(d) {
            return None;
        }
        let inner = self.inside(self.i);
        self.i = inner.end;
        Some(inner)
    }

    fn is_group(&self, d: Delimiter) -> bool {
        matches!(self.peek(), Some(Tok { kind: Kind::Group { delimiter, .. }, .. }) if *delimiter == d)
    }

    fn is_any_group(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok {
                kind: Kind::Group { .. },
                ..
            })
        )
    }

    fn is_lit(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok {
                kind: Kind::Lit,
                ..
            })
        )
    }

    /// `'name` as printed (the quote's text and the name's are side by side in the arena).
    fn lifetime(&mut self) -> Option<&'a str> {
        if !self.joint_at(0, '\'') {
            return None;
        }
        let quote = self.peek()?;
        match self.peek_at(1) {
            Some(name) if name.kind == Kind::Ident => {
                self.i += 2;
                Some(&self.f.text[quote.start..name.end])
            }
            _ => None,
        }
    }

    /// Every literal among the tokens (groups' included) is printed as is: none holds a hidden
    /// character; and every punctuation character is one [`char_word`] prints.
    fn clean(&self) -> bool {
        self.f.toks[self.i.min(self.end)..self.end]
            .iter()
            .all(|t| match t.kind {
                Kind::Lit => clean_literal(&self.f.text[t.start..t.end]),
                Kind::Punct { ch, .. } => ch.is_ascii() && PUNCT.contains(ch),
                _ => true,
            })
    }
}

/// A literal's text, `None` when it holds a hidden character (`emit::neutralise` rewrites it).
fn literal_text<'a>(cur: &Cur<'a>, t: &Tok) -> Option<&'a str> {
    match t.kind {
        Kind::Lit if clean_literal(cur.text(t)) => Some(cur.text(t)),
        _ => None,
    }
}

/// prettyplease's `is_keyword` (of `mac.rs`).
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "async"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}

/// The punctuation characters [`char_word`] prints: every one proc_macro2 allows in a `Punct`
/// (and more); [`Cur::clean`] refuses the tokens of a macro or an attribute with another.
const PUNCT: &str = "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"";

/// A punctuation character as a word (a `&str` of [`PUNCT`]: the printer's words borrow).
fn char_word(c: char) -> &'static str {
    match PUNCT.find(c) {
        Some(i) if c.is_ascii() => &PUNCT[i..=i],
        _ => unreachable!("{c:?} is not punctuation (`Cur::clean` refuses it)"),
    }
}

/// Whether `s` holds only printable ASCII (no hidden or control character): eight bytes at a
/// time (doc lines are most of what the printer reads), the rest byte by byte.
fn printable_ascii(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        // A byte below 0x20 (its borrow sets a high bit no byte had), or above 0x7e (0x7f plus
        // one sets its high bit; 0x80 and up have it): none without carries between bytes that
        // would hide one.
        let below = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let above = (w.wrapping_add(ONES) | w) & HIGH;
        if below | above != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|b| (0x20..0x7f).contains(b))
}

/// The value of a plain string literal `"…"`, `None` for raw strings and anything unexpected.
fn string_value(repr: &str) -> Option<String> {
    if let Some(raw) = repr.strip_prefix('r') {
        // `r"…"`, `r#"…"#`: the text as written.
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw[hashes..].strip_prefix('"')?;
        let inner = inner.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return Some(inner.to_string());
    }
    let inner = repr.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(inner.to_string());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let mut hex = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        h => hex.push(h),
                    }
                }
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

// Items.

fn parse_item<'a>(cur: &mut Cur<'a>) -> Option<Item<'a>> {
    let attrs = parse_attrs(cur)?;
    let vis = parse_vis(cur)?;
    let kind = if cur.eat_ident("struct") {
        let ident = cur.ident()?;
        let fields = if let Some(g) = cur.group(Delimiter::Brace) {
            Fields::Named(parse_fields(g, true)?)
        } else if let Some(g) = cur.group(Delimiter::Parenthesis) {
            let f = Fields::Unnamed(parse_fields(g, false)?);
            if !cur.eat_punct(';') {
                return None;
            }
            f
        } else if cur.eat_punct(';') {
            Fields::Unit
        } else {
            return None;
        };
        ItemKind::Struct { ident, fields }
    } else if cur.eat_ident("enum") {
        let ident = cur.ident()?;
        let g = cur.group(Delimiter::Brace)?;
        ItemKind::Enum {
            ident,
            variants: parse_variants(g)?,
        }
    } else if cur.eat_ident("impl") {
        let generics = parse_generics(cur)?;
        let first = parse_type(cur)?;
        let (trait_, self_ty) = if cur.eat_ident("for") {
            let Ty::Path(path) = first else {
                return None;
            };
            (Some(path), parse_type(cur)?)
        } else {
            (None, first)
        };
        let mut inner = cur.group(Delimiter::Brace)?;
        let mut items = Vec::new();
        while !inner.done() {
            let start = inner.i;
            let member = parse_attrs(&mut inner).and_then(|attrs| {
                let vis = parse_vis(&mut inner)?;
                parse_impl_item(&mut inner, attrs, vis)
            });
            match member {
                Some(member) => items.push(member),
                None => {
                    inner.i = start;
                    let text = verbatim_member(&mut inner)?;
                    items.push(ImplItem::Verbatim(text));
                }
            }
        }
        ItemKind::Impl {
            generics,
            trait_,
            self_ty,
            items,
        }
    } else if cur.is_ident("fn")
        || cur.is_ident("async")
        || (cur.is_ident("const") && cur.ident_at(1, "fn"))
    {
        let f = parse_fn(cur, attrs, vis)?;
        return Some(Item {
            attrs: Vec::new(),
            vis: Vis::Inherited,
            kind: ItemKind::Fn(f),
        });
    } else if cur.is_ident("static") || cur.is_ident("const") {
        let is_static = cur.eat_ident("static") || !cur.eat_ident("const");
        if cur.is_ident("mut") {
            return None;
        }
        let ident = cur.ident()?;
        if !cur.eat_punct(':') {
            return None;
        }
        let ty = parse_type(cur)?;
        if !cur.is_alone('=') {
            return None;
        }
        cur.bump();
        let expr = parse_expr(cur, true)?;
        if !cur.eat_punct(';') {
            return None;
        }
        if is_static {
            ItemKind::Static { ident, ty, expr }
        } else {
            ItemKind::Const { ident, ty, expr }
        }
    } else if cur.eat_ident("use") {
        let mut words = Vec::new();
        if cur.is_path_sep() {
            cur.skip(2);
            words.push("::");
        }
        loop {
            if cur.eat_punct('*') {
                words.push("*");
                break;
            }
            words.push(cur.ident()?);
            if cur.is_path_sep() {
                cur.skip(2);
                words.push("::");
            } else {
                if cur.eat_ident("as") {
                    words.push(" as ");
                    words.push(cur.ident()?);
                }
                break;
            }
        }
        if !cur.eat_punct(';') {
            return None;
        }
        ItemKind::Use(words)
    } else if matches!(vis, Vis::Inherited) && starts_macro(cur) {
        ItemKind::Macro(parse_mac(cur)?)
    } else if cur.eat_ident("type") {
        let ident = cur.ident()?;
        if !cur.is_alone('=') {
            return None;
        }
        cur.bump();
        let ty = parse_type(cur)?;
        if !cur.eat_punct(';') {
            return None;
        }
        ItemKind::Type { ident, ty }
    } else {
        return None;
    };
    Some(Item { attrs, vis, kind })
}

/// The member of an `impl` block's body that starts at `body`'s position, printed by syn and
/// prettyplease ([`ImplItem::Verbatim`]), with `body` moved after it: the shortest run of
/// tokens ending in `;` or a `{…}` group that syn parses as one member (as `print_raw` cuts
/// items). `None` when there is none, or prettyplease's text is not one member's lines.
fn verbatim_member(body: &mut Cur<'_>) -> Option<String> {
    let start = body.i;
    while let Some(t) = body.bump() {
        let ends = match t.kind {
            Kind::Punct { ch, .. } => ch == ';',
            Kind::Group { delimiter, .. } => delimiter == Delimiter::Brace,
            _ => false,
        };
        if !ends {
            continue;
        }
        if let Some(text) = super::print_impl_member(&body.f.tokens_of(start, body.i)) {
            return Some(text);
        }
    }
    None
}

/// An item of an `impl` block: a function, a constant or a macro call.
fn parse_impl_item<'a>(
    cur: &mut Cur<'a>,
    attrs: Vec<Attr<'a>>,
    vis: Vis<'a>,
) -> Option<ImplItem<'a>> {
    if cur.is_ident("const") && !cur.ident_at(1, "fn") {
        cur.bump();
        let ident = cur.ident()?;
        if !cur.eat_punct(':') {
            return None;
        }
        let ty = parse_type(cur)?;
        if !cur.is_alone('=') {
            return None;
        }
        cur.bump();
        let expr = parse_expr(cur, true)?;
        if !cur.eat_punct(';') {
            return None;
        }
        return Some(ImplItem::Const {
            attrs,
            vis,
            ident,
            ty,
            expr,
        });
    }
    if matches!(vis, Vis::Inherited) && starts_macro(cur) {
        return Some(ImplItem::Macro {
            attrs,
            mac: parse_mac(cur)?,
        });
    }
    parse_fn(cur, attrs, vis).map(ImplItem::Fn)
}

/// Whether a macro call starts here: a simple path (`a::b`, `::a::b`) and `!`.
fn starts_macro(cur: &Cur<'_>) -> bool {
    let mut n = 0;
    if cur.joint_at(0, ':') && cur.punct_at(1, ':') {
        n = 2;
    }
    loop {
        if !cur.is_any_ident_at(n) {
            return false;
        }
        n += 1;
        if cur.joint_at(n, ':') && cur.punct_at(n + 1, ':') {
            n += 2;
            continue;
        }
        return cur.punct_at(n, '!');
    }
}

/// `path!(…);` or `path![…];` (after [`starts_macro`]), for a macro prettyplease prints as
/// tokens: not `macro_rules!` (printed as rules), nor a standard library macro (prettyplease's
/// `verbatim` feature parses those as expressions), nor one whose tokens `emit::neutralise`
/// would change (a hidden character in a literal, or `doc = "…"`).
fn parse_mac<'a>(cur: &mut Cur<'a>) -> Option<Mac<'a>> {
    let mut path = Seq::new();
    if cur.is_path_sep() {
        cur.skip(2);
        path.push("::");
    }
    let last = loop {
        let segment = cur.ident()?;
        path.push(segment);
        if cur.is_path_sep() {
            cur.skip(2);
            path.push("::");
        } else {
            break segment;
        }
    };
    if !cur.eat_punct('!') || is_special_macro(last) {
        return None;
    }
    let delimiter = match cur.peek()?.kind {
        Kind::Group { delimiter, .. }
            if matches!(delimiter, Delimiter::Parenthesis | Delimiter::Bracket) =>
        {
            delimiter
        }
        _ => return None,
    };
    let tokens = cur.group(delimiter)?;
    if !cur.eat_punct(';') {
        return None;
    }
    if !tokens.clean() {
        return None;
    }
    if tokens.is_ident("doc") && tokens.punct_at(1, '=') {
        return None;
    }
    Some(Mac {
        path,
        delimiter,
        tokens,
    })
}

/// `macro_rules`, and the standard library macros prettyplease (feature `verbatim`) parses and
/// prints as expressions (its `standard_library_macro`, by the last segment of the path).
fn is_special_macro(name: &str) -> bool {
    matches!(
        name,
        "macro_rules"
            | "addr_of"
            | "addr_of_mut"
            | "assert"
            | "debug_assert"
            | "assert_eq"
            | "assert_ne"
            | "debug_assert_eq"
            | "debug_assert_ne"
            | "cfg"
            | "compile_error"
            | "include"
            | "include_bytes"
            | "include_str"
            | "option_env"
            | "concat"
            | "concat_bytes"
            | "dbg"
            | "const_format_args"
            | "eprint"
            | "eprintln"
            | "format"
            | "format_args"
            | "format_args_nl"
            | "panic"
            | "print"
            | "println"
            | "todo"
            | "unimplemented"
            | "unreachable"
            | "env"
            | "matches"
            | "thread_local"
            | "vec"
            | "write"
            | "writeln"
    )
}

fn parse_attrs<'a>(cur: &mut Cur<'a>) -> Option<Vec<Attr<'a>>> {
    let mut attrs = Vec::new();
    while cur.is_punct('#') {
        cur.bump();
        let g = cur.group(Delimiter::Bracket)?;
        attrs.push(parse_attr(g)?);
    }
    Some(attrs)
}

fn parse_attr(mut cur: Cur<'_>) -> Option<Attr<'_>> {
    let mut path = Seq::new();
    if cur.is_path_sep() {
        return None;
    }
    loop {
        path.push(cur.ident()?);
        if cur.is_path_sep() {
            cur.skip(2);
        } else {
            break;
        }
    }
    let meta = if cur.done() {
        Meta::Path
    } else if cur.is_alone('=') {
        cur.bump();
        if path.len() == 1 && path[0] == "doc" && cur.peek_at(1).is_none() {
            if let Some(lit) = cur.peek().filter(|t| matches!(t.kind, Kind::Lit)) {
                let repr = cur.text(lit);
                if repr.starts_with('"') || repr.starts_with("r\"") || repr.starts_with("r#") {
                    // A plain `"…"` with no escape is its own value: the text between the
                    // quotes, without a `String`.
                    let (value, start) = if repr.len() >= 2
                        && repr.starts_with('"')
                        && repr.ends_with('"')
                        && !repr.contains('\\')
                    {
                        (Cow::Borrowed(repr), 1)
                    } else {
                        let mut v = string_value(repr)?;
                        v.push(' ');
                        (Cow::Owned(v), 0)
                    };
                    let text = &value[start..value.len() - 1];
                    // What prettyplease prints as a `///` line, with nothing `neutralise` changes.
                    if text.starts_with('/')
                        || (!printable_ascii(text)
                            && text.contains(|c: char| {
                                crate::rust::docs::is_hidden(c) || c.is_control()
                            }))
                    {
                        return None;
                    }
                    // `\n` is a control character: no line breaks here.
                    let end = start + text.trim_end_matches(' ').len();
                    return Some(Attr::Doc(value, start, end));
                }
            }
        }
        let expr = parse_expr(&mut cur, true)?;
        if !cur.done() {
            return None;
        }
        Meta::NameValue(expr)
    } else {
        let at = cur.i;
        let Kind::Group { delimiter, .. } = cur.bump()?.kind else {
            return None;
        };
        let list = Cur {
            f: cur.f,
            i: at,
            end: cur.i,
        };
        if !cur.done() || delimiter == Delimiter::None || !list.clean() {
            return None;
        }
        Meta::List(list)
    };
    if path.len() == 1 && path[0] == "doc" {
        // Other forms of doc attributes: prettyplease's own rules.
        return None;
    }
    Some(Attr::Other { path, meta })
}

fn parse_vis<'a>(cur: &mut Cur<'a>) -> Option<Vis<'a>> {
    if !cur.eat_ident("pub") {
        return Some(Vis::Inherited);
    }
    if cur.is_group(Delimiter::Parenthesis) {
        let inner = cur.inside(cur.i);
        if let Some(t) = inner.peek() {
            let word = inner.text(t);
            if t.kind == Kind::Ident
                && inner.peek_at(1).is_none()
                && (word == "crate" || word == "super" || word == "self")
            {
                cur.bump();
                return Some(Vis::Restricted(word));
            }
        }
        return None;
    }
    Some(Vis::Pub)
}

/// Named (`a: T, …`) or unnamed (`T, …`) fields.
fn parse_fields(mut cur: Cur<'_>, named: bool) -> Option<Vec<Field<'_>>> {
    let mut fields = Vec::with_capacity(cur.len_by(','));
    while !cur.done() {
        let attrs = parse_attrs(&mut cur)?;
        let vis = parse_vis(&mut cur)?;
        let ident = if named {
            let i = cur.ident()?;
            if !cur.is_alone(':') {
                return None;
            }
            cur.bump();
            Some(i)
        } else {
            None
        };
        let ty = parse_type(&mut cur)?;
        fields.push(Field {
            attrs,
            vis,
            ident,
            ty,
        });
        if !cur.eat_punct(',') && !cur.done() {
            return None;
        }
    }
    Some(fields)
}

fn parse_variants(mut cur: Cur<'_>) -> Option<Vec<Variant<'_>>> {
    let mut variants = Vec::with_capacity(cur.len_by(','));
    while !cur.done() {
        let attrs = parse_attrs(&mut cur)?;
        let ident = cur.ident()?;
        let fields = if let Some(g) = cur.group(Delimiter::Brace) {
            Fields::Named(parse_fields(g, true)?)
        } else if let Some(g) = cur.group(Delimiter::Parenthesis) {
            Fields::Unnamed(parse_fields(g, false)?)
        } else {
            Fields::Unit
        };
        variants.push(Variant {
            attrs,
            ident,
            fields,
        });
        if !cur.eat_punct(',') && !cur.done() {
            return None;
        }
    }
    Some(variants)
}

/// `<'a, T: Bound + 'b, …>` (nothing when there is no `<`).
fn parse_generics<'a>(cur: &mut Cur<'a>) -> Option<Vec<GParam<'a>>> {
    let mut params = Vec::new();
    if !cur.eat_punct('<') {
        return Some(params);
    }
    loop {
        if cur.eat_punct('>') {
            break;
        }
        if let Some(name) = cur.lifetime() {
            let mut bounds = Vec::new();
            if cur.eat_punct(':') {
                loop {
                    bounds.push(cur.lifetime()?);
                    if !cur.eat_punct('+') {
                        break;
                    }
                }
            }
            params.push(GParam::Lifetime { name, bounds });
        } else {
            if cur.is_ident("const") {
                return None;
            }
            let ident = cur.ident()?;
            let bounds = if cur.is_alone(':') {
                cur.bump();
                parse_bounds(cur)?
            } else {
                Vec::new()
            };
            params.push(GParam::Type { ident, bounds });
        }
        if !cur.eat_punct(',') {
            if !cur.eat_punct('>') {
                return None;
            }
            break;
        }
    }
    Some(params)
}

fn parse_bounds<'a>(cur: &mut Cur<'a>) -> Option<Vec<Bound<'a>>> {
    let mut bounds = Vec::new();
    loop {
        if let Some(l) = cur.lifetime() {
            bounds.push(Bound::Lifetime(l));
        } else {
            if cur.is_punct('?') || cur.is_group(Delimiter::Parenthesis) || cur.is_ident("for") {
                return None;
            }
            bounds.push(Bound::Trait(parse_path(cur, PathStyle::Type)?));
        }
        if !cur.eat_punct('+') {
            break;
        }
    }
    Some(bounds)
}

#[derive(Clone, Copy, PartialEq)]
enum PathStyle {
    /// `a::B<T>`, `Fn(A) -> B`
    Type,
    /// `a::B::<T>`
    Expr,
}

fn parse_path<'a>(cur: &mut Cur<'a>, style: PathStyle) -> Option<Path<'a>> {
    let leading_colon = cur.is_path_sep();
    if leading_colon {
        cur.skip(2);
    }
    let mut segments = Seq::new();
    loop {
        let ident = cur.ident()?;
        let args = match style {
            PathStyle::Type
                if cur.is_alone('<') || (cur.is_punct('<') && cur.punct_at(1, '\'')) =>
            {
                cur.bump();
                Args::Angle(parse_generic_args(cur)?)
            }
            PathStyle::Type if cur.is_group(Delimiter::Parenthesis) => {
                let mut inner = cur.group(Delimiter::Parenthesis)?;
                let mut inputs = Vec::new();
                while !inner.done() {
                    inputs.push(parse_type(&mut inner)?);
                    if !inner.eat_punct(',') && !inner.done() {
                        return None;
                    }
                }
                let output = if cur.is_arrow() {
                    cur.skip(2);
                    Some(Box::new(parse_type(cur)?))
                } else {
                    None
                };
                Args::Paren(inputs, output)
            }
            PathStyle::Expr if cur.is_path_sep() && cur.punct_at(2, '<') => {
                cur.skip(3);
                Args::Angle(parse_generic_args(cur)?)
            }
            _ => Args::None,
        };
        segments.push(Segment { ident, args });
        if cur.is_path_sep() && !(style == PathStyle::Expr && cur.punct_at(2, '<')) {
            cur.skip(2);
        } else {
            break;
        }
    }
    Some(Path {
        leading_colon,
        segments,
    })
}

/// After `<`, up to and including `>`.
fn parse_generic_args<'a>(cur: &mut Cur<'a>) -> Option<Vec<GArg<'a>>> {
    let mut args = Vec::new();
    loop {
        if cur.eat_punct('>') {
            break;
        }
        if let Some(l) = cur.lifetime() {
            args.push(GArg::Lifetime(l));
        } else if cur.is_any_ident_at(0)
            && matches!(
                cur.peek_at(1),
                Some(Tok {
                    kind: Kind::Punct {
                        ch: '=',
                        joint: false
                    },
                    ..
                })
            )
        {
            let name = cur.ident()?;
            cur.bump();
            args.push(GArg::AssocType(name, parse_type(cur)?));
        } else {
            if (cur.is_lit() || cur.is_any_group())
                && !cur.is_group(Delimiter::Parenthesis)
                && !cur.is_group(Delimiter::Bracket)
            {
                return None;
            }
            args.push(GArg::Type(parse_type(cur)?));
        }
        if !cur.eat_punct(',') {
            if !cur.eat_punct('>') {
                return None;
            }
            break;
        }
    }
    Some(args)
}

fn parse_type<'a>(cur: &mut Cur<'a>) -> Option<Ty<'a>> {
    if cur.is_punct('&') {
        if cur.joint_at(0, '&') && cur.punct_at(1, '&') {
            return None;
        }
        cur.bump();
        let lifetime = cur.lifetime();
        let mutable = cur.eat_ident("mut");
        let elem = Box::new(parse_type(cur)?);
        return Some(Ty::Ref {
            lifetime,
            mutable,
            elem,
        });
    }
    if let Some(mut inner) = cur.group(Delimiter::Bracket) {
        let elem = parse_type(&mut inner)?;
        if !inner.done() {
            return None;
        }
        return Some(Ty::Slice(Box::new(elem)));
    }
    if let Some(mut inner) = cur.group(Delimiter::Parenthesis) {
        let mut elems = Vec::new();
        let mut trailing = false;
        while !inner.done() {
            elems.push(parse_type(&mut inner)?);
            trailing = inner.eat_punct(',');
            if !trailing && !inner.done() {
                return None;
            }
        }
        if elems.len() == 1 && !trailing {
            // A parenthesized type.
            return None;
        }
        return Some(Ty::Tuple(elems));
    }
    if cur.eat_ident("impl") {
        return Some(Ty::Impl(parse_bounds(cur)?));
    }
    if cur.eat_ident("dyn") {
        return Some(Ty::Dyn(parse_bounds(cur)?));
    }
    if cur.is_punct('<') {
        let (ty, position, path) = parse_qself(cur, PathStyle::Type)?;
        return Some(Ty::QPath(ty, position, path));
    }
    if matches!(
        cur.peek_ident(),
        Some("fn" | "_" | "unsafe" | "extern" | "for")
    ) {
        return None;
    }
    if cur.is_any_ident_at(0) || cur.is_path_sep() {
        let path = parse_path(cur, PathStyle::Type)?;
        if cur.is_punct('!') {
            return None;
        }
        return Some(Ty::Path(path));
    }
    None
}

/// `<T as a::B>::c::d` or `<T>::c`: the type, how many segments of the path are the trait's,
/// the path (trait segments then the rest).
fn parse_qself<'a>(cur: &mut Cur<'a>, style: PathStyle) -> Option<(Box<Ty<'a>>, usize, Path<'a>)> {
    if !cur.eat_punct('<') {
        return None;
    }
    let ty = Box::new(parse_type(cur)?);
    let mut segments = Seq::new();
    let mut leading_colon = false;
    let mut position = 0;
    if cur.eat_ident("as") {
        let trait_path = parse_path(cur, PathStyle::Type)?;
        leading_colon = trait_path.leading_colon;
        position = trait_path.segments.len();
        segments = trait_path.segments;
    }
    if !cur.eat_punct('>') || !cur.is_path_sep() {
        return None;
    }
    cur.skip(2);
    let rest = parse_path(cur, style)?;
    segments.extend(rest.segments);
    Some((
        ty,
        position,
        Path {
            leading_colon,
            segments,
        },
    ))
}

/// A function (after its attributes and visibility).
fn parse_fn<'a>(cur: &mut Cur<'a>, attrs: Vec<Attr<'a>>, vis: Vis<'a>) -> Option<ImplFn<'a>> {
    let constness = cur.eat_ident("const");
    let asyncness = cur.eat_ident("async");
    if !cur.eat_ident("fn") {
        return None;
    }
    let ident = cur.ident()?;
    let generics = parse_generics(cur)?;
    let mut inner = cur.group(Delimiter::Parenthesis)?;
    let mut inputs = Vec::new();
    while !inner.done() {
        if inner.is_punct('#') {
            return None;
        }
        let arg = if inner.is_punct('&') {
            inner.bump();
            let lifetime = inner.lifetime();
            let mutable = inner.eat_ident("mut");
            if !inner.eat_ident("self") {
                return None;
            }
            FnArg::Receiver {
                reference: Some(lifetime),
                mutable,
            }
        } else if (inner.is_ident("self") && !inner.punct_at(1, ':'))
            || (inner.is_ident("mut") && inner.ident_at(1, "self") && !inner.punct_at(2, ':'))
        {
            let mutable = inner.eat_ident("mut");
            inner.bump();
            FnArg::Receiver {
                reference: None,
                mutable,
            }
        } else {
            let pat = parse_pat(&mut inner)?;
            if !inner.is_alone(':') {
                return None;
            }
            inner.bump();
            FnArg::Typed(pat, parse_type(&mut inner)?)
        };
        inputs.push(arg);
        if !inner.eat_punct(',') && !inner.done() {
            return None;
        }
    }
    let output = if cur.is_arrow() {
        cur.skip(2);
        Some(parse_type(cur)?)
    } else {
        None
    };
    let body = cur.group(Delimiter::Brace)?;
    let stmts = parse_block(body)?;
    Some(ImplFn {
        attrs,
        vis,
        constness,
        asyncness,
        ident,
        generics,
        inputs,
        output,
        stmts,
    })
}

fn parse_pat<'a>(cur: &mut Cur<'a>) -> Option<Pat<'a>> {
    if let Some(l) = cur.peek().filter(|t| matches!(t.kind, Kind::Lit)) {
        cur.bump();
        return Some(Pat::Lit(literal_text(cur, l)?));
    }
    if cur.is_ident("ref") || cur.is_ident("box") {
        return None;
    }
    if let Some(mut inner) = cur.group(Delimiter::Parenthesis) {
        let mut elems = Vec::new();
        let mut trailing = false;
        while !inner.done() {
            elems.push(parse_pat(&mut inner)?);
            trailing = inner.eat_punct(',');
            if !trailing && !inner.done() {
                return None;
            }
        }
        if elems.len() == 1 && !trailing {
            // A parenthesized pattern.
            return None;
        }
        return Some(Pat::Tuple(elems));
    }
    let mutable = cur.eat_ident("mut");
    if !cur.is_any_ident_at(0) && !cur.is_path_sep() {
        return None;
    }
    let path = parse_path(cur, PathStyle::Expr)?;
    if cur.is_group(Delimiter::Parenthesis) && !mutable {
        let mut inner = cur.group(Delimiter::Parenthesis)?;
        let mut elems = Vec::new();
        while !inner.done() {
            elems.push(parse_pat(&mut inner)?);
            if !inner.eat_punct(',') && !inner.done() {
                return None;
            }
        }
        return Some(Pat::TupleStruct(path, elems));
    }
    if cur.is_group(Delimiter::Brace) || cur.is_punct('@') || cur.is_punct('!') {
        return None;
    }
    if mutable && (path.segments.len() != 1 || path.leading_colon) {
        return None;
    }
    Some(Pat::Path { mutable, path })
}

fn parse_block(mut cur: Cur<'_>) -> Option<Vec<Stmt<'_>>> {
    let mut stmts = Vec::with_capacity(cur.len_by(';'));
    while !cur.done() {
        if cur.is_punct('#') || cur.is_punct(';') {
            return None;
        }
        if cur.eat_ident("let") {
            let pat = parse_pat(&mut cur)?;
            let ty = if cur.is_alone(':') {
                cur.bump();
                Some(parse_type(&mut cur)?)
            } else {
                None
            };
            if !cur.is_alone('=') {
                return None;
            }
            cur.bump();
            let init = parse_expr(&mut cur, true)?;
            if !cur.eat_punct(';') {
                return None;
            }
            stmts.push(Stmt::Local { pat, ty, init });
            continue;
        }
        if matches!(
            cur.peek_ident(),
            Some(
                "fn" | "struct"
                    | "enum"
                    | "impl"
                    | "use"
                    | "static"
                    | "const"
                    | "type"
                    | "mod"
                    | "trait"
                    | "pub"
                    | "extern"
                    | "unsafe"
                    | "macro_rules"
            )
        ) {
            return None;
        }
        let mut expr = parse_expr(&mut cur, true)?;
        if cur.is_alone('=') {
            cur.bump();
            let right = parse_expr(&mut cur, true)?;
            expr = Expr::Assign(Box::new(expr), Box::new(right));
        }
        let semi = cur.eat_punct(';');
        if !semi && !cur.done() && !matches!(expr, Expr::Match(..) | Expr::If { .. }) {
            return None;
        }
        // `if … {…};` prints without its `;` (prettyplease's `remove_semi`).
        let semi = semi && !matches!(expr, Expr::If { .. });
        stmts.push(Stmt::Expr { expr, semi });
    }
    Some(stmts)
}

/// Comma-separated expressions filling `cur`.
fn parse_exprs(mut cur: Cur<'_>) -> Option<Vec<Expr<'_>>> {
    let mut out = Vec::new();
    while !cur.done() {
        out.push(parse_expr(&mut cur, true)?);
        if !cur.eat_punct(',') && !cur.done() {
            return None;
        }
    }
    Some(out)
}

/// An expression without binary operators; `structs`: a path followed by `{…}` is a struct
/// literal (not in a `match` scrutinee).
fn parse_expr<'a>(cur: &mut Cur<'a>, structs: bool) -> Option<Expr<'a>> {
    if cur.is_punct('&') {
        cur.bump();
        let mutable = cur.eat_ident("mut");
        let expr = Box::new(parse_expr(cur, structs)?);
        return Some(Expr::Reference { mutable, expr });
    }
    for (c, op) in [('!', "!"), ('-', "-"), ('*', "*")] {
        if cur.is_punct(c) {
            cur.bump();
            let expr = Box::new(parse_expr(cur, structs)?);
            return Some(Expr::Unary(op, expr));
        }
    }
    let mut e = parse_primary(cur, structs)?;
    loop {
        if cur.is_alone('.') || (cur.is_punct('.') && !cur.punct_at(1, '.')) {
            if cur.ident_at(1, "await") {
                cur.skip(2);
                e = Expr::Await(Box::new(e));
            } else if cur.is_any_ident_at(1) {
                cur.bump();
                let name = cur.ident()?;
                let turbofish = if cur.is_path_sep() && cur.punct_at(2, '<') {
                    cur.skip(3);
                    Some(parse_generic_args(cur)?)
                } else {
                    None
                };
                if let Some(g) = cur.group(Delimiter::Parenthesis) {
                    if !receiver_ok(&e) {
                        return None;
                    }
                    e = Expr::MethodCall {
                        receiver: Box::new(e),
                        method: name,
                        turbofish,
                        args: parse_exprs(g)?,
                    };
                } else {
                    if turbofish.is_some() || !receiver_ok(&e) {
                        return None;
                    }
                    e = Expr::Field(Box::new(e), name);
                }
            } else {
                return None;
            }
        } else if cur.is_punct('?') {
            if !receiver_ok(&e) {
                return None;
            }
            cur.bump();
            e = Expr::Try(Box::new(e));
        } else if cur.is_group(Delimiter::Parenthesis) {
            if !matches!(e, Expr::Path(_) | Expr::QPath(..)) {
                return None;
            }
            let g = cur.group(Delimiter::Parenthesis)?;
            e = Expr::Call(Box::new(e), parse_exprs(g)?);
        } else if cur.is_group(Delimiter::Bracket) || cur.is_punct('.') {
            return None;
        } else {
            break;
        }
    }
    if cur.is_ident("as") {
        return None;
    }
    Some(e)
}

/// Expressions prettyplease prints as a method receiver without parentheses (and no
/// statement-position fix-ups), as far as this printer is concerned.
fn receiver_ok(e: &Expr<'_>) -> bool {
    matches!(
        e,
        Expr::Path(_)
            | Expr::QPath(..)
            | Expr::Lit(_)
            | Expr::Call(..)
            | Expr::MethodCall { .. }
            | Expr::Field(..)
            | Expr::Await(_)
            | Expr::Try(_)
            | Expr::Tuple(_)
            | Expr::Array(_)
    )
}

fn parse_primary<'a>(cur: &mut Cur<'a>, structs: bool) -> Option<Expr<'a>> {
    let t = cur.peek()?;
    match t.kind {
        Kind::Lit => {
            cur.bump();
            Some(Expr::Lit(literal_text(cur, t)?))
        }
        Kind::Group { delimiter, .. } => match delimiter {
            Delimiter::Bracket => {
                let g = cur.group(Delimiter::Bracket)?;
                let mut any = g;
                while let Some(t) = any.bump() {
                    if matches!(t.kind, Kind::Punct { ch: ';', .. }) {
                        return None;
                    }
                }
                let elems = parse_exprs(g)?;
                // prettyplease lays out arrays of only integer/char/bool literals differently.
                if !elems.is_empty()
                    && elems
                        .iter()
                        .all(|e| matches!(e, Expr::Lit(l) if !l.starts_with('"')))
                {
                    return None;
                }
                Some(Expr::Array(elems))
            }
            Delimiter::Parenthesis => {
                let g = cur.group(Delimiter::Parenthesis)?;
                let elems = parse_exprs(g)?;
                let trailing = matches!(
                    g.last(),
                    Some(Tok {
                        kind: Kind::Punct { ch: ',', .. },
                        ..
                    })
                );
                if elems.len() == 1 && !trailing {
                    return None;
                }
                Some(Expr::Tuple(elems))
            }
            _ => None,
        },
        Kind::Punct { ch: '<', .. } => {
            let (ty, position, path) = parse_qself(cur, PathStyle::Expr)?;
            Some(Expr::QPath(ty, position, path))
        }
        Kind::Punct { ch: ':', .. } => parse_path_expr(cur, structs),
        Kind::Punct { ch: '|', .. } => parse_closure(cur, structs),
        Kind::Punct { .. } => None,
        Kind::Ident => {
            let i = cur.text(t);
            if i == "true" || i == "false" {
                cur.bump();
                return Some(Expr::Lit(i));
            }
            if i == "match" {
                cur.bump();
                let scrutinee = parse_expr(cur, false)?;
                if !matches!(
                    scrutinee,
                    Expr::Path(_) | Expr::Field(..) | Expr::MethodCall { .. } | Expr::Call(..)
                ) {
                    return None;
                }
                let g = cur.group(Delimiter::Brace)?;
                return Some(Expr::Match(Box::new(scrutinee), parse_arms(g)?));
            }
            if i == "if" {
                cur.bump();
                let pat = if cur.eat_ident("let") {
                    let pat = parse_pat(cur)?;
                    if !cur.is_alone('=') {
                        return None;
                    }
                    cur.bump();
                    Some(pat)
                } else {
                    None
                };
                let cond = parse_expr(cur, false)?;
                if matches!(cond, Expr::Path(_) | Expr::Struct { .. } | Expr::Assign(..)) {
                    return None;
                }
                let g = cur.group(Delimiter::Brace)?;
                if cur.is_ident("else") {
                    return None;
                }
                return Some(Expr::If {
                    pat,
                    cond: Box::new(cond),
                    then: parse_block(g)?,
                });
            }
            if i == "move" && cur.punct_at(1, '|') {
                return parse_closure(cur, structs);
            }
            if i == "return" {
                cur.bump();
                if cur.done() || cur.is_punct(',') || cur.is_punct(';') {
                    return Some(Expr::Return(None));
                }
                return Some(Expr::Return(Some(Box::new(parse_expr(cur, structs)?))));
            }
            if matches!(
                i,
                "loop"
                    | "while"
                    | "for"
                    | "break"
                    | "continue"
                    | "async"
                    | "move"
                    | "unsafe"
                    | "let"
                    | "const"
                    | "static"
                    | "box"
                    | "yield"
                    | "become"
                    | "try"
                    | "in"
            ) {
                return None;
            }
            parse_path_expr(cur, structs)
        }
    }
}

/// `|a, b| body` or `move |…| body`.
fn parse_closure<'a>(cur: &mut Cur<'a>, structs: bool) -> Option<Expr<'a>> {
    let capture = cur.eat_ident("move");
    let mut inputs = Vec::new();
    if cur.joint_at(0, '|') && cur.punct_at(1, '|') {
        cur.skip(2);
    } else {
        if !cur.eat_punct('|') {
            return None;
        }
        loop {
            if cur.eat_punct('|') {
                break;
            }
            inputs.push(parse_pat(cur)?);
            if cur.eat_punct(',') {
                continue;
            }
            if !cur.eat_punct('|') {
                return None;
            }
            break;
        }
    }
    if cur.is_arrow() || cur.is_group(Delimiter::Brace) {
        return None;
    }
    let body = Box::new(parse_expr(cur, structs)?);
    Some(Expr::Closure {
        capture,
        inputs,
        body,
    })
}

fn parse_path_expr<'a>(cur: &mut Cur<'a>, structs: bool) -> Option<Expr<'a>> {
    let path = parse_path(cur, PathStyle::Expr)?;
    if cur.is_punct('!') {
        return None;
    }
    if structs && cur.is_group(Delimiter::Brace) {
        let mut inner = cur.group(Delimiter::Brace)?;
        let mut fields = Vec::new();
        while !inner.done() {
            if inner.is_punct('.') || inner.is_punct('#') {
                return None;
            }
            let member = inner.ident()?;
            let value = if inner.is_alone(':') {
                inner.bump();
                Some(parse_expr(&mut inner, true)?)
            } else {
                None
            };
            fields.push((member, value));
            if !inner.eat_punct(',') && !inner.done() {
                return None;
            }
        }
        return Some(Expr::Struct { path, fields });
    }
    Some(Expr::Path(path))
}

fn parse_arms(mut cur: Cur<'_>) -> Option<Vec<Arm<'_>>> {
    let mut arms = Vec::new();
    while !cur.done() {
        if cur.is_punct('#') {
            return None;
        }
        let pat = parse_pat(&mut cur)?;
        if !cur.is_fat_arrow() {
            return None;
        }
        cur.skip(2);
        let body = if let Some(g) = cur.group(Delimiter::Brace) {
            // `{ … }` as the whole body (a block), unless something follows it.
            if !(cur.done()
                || cur.is_punct(',')
                || !matches!(
                    cur.peek(),
                    Some(Tok {
                        kind: Kind::Punct { .. },
                        ..
                    })
                ))
            {
                return None;
            }
            if cur.is_punct(',') {
                // syn reads `=> {…},` as a block body followed by a comma.
                cur.bump();
            }
            let mut stmts = parse_block(g)?;
            // prettyplease prints a block holding one expression without `;` as that
            // expression.
            if matches!(stmts.as_slice(), [Stmt::Expr { semi: false, .. }]) {
                match stmts.pop() {
                    Some(Stmt::Expr { expr, .. }) => ArmBody::Expr(expr),
                    _ => return None,
                }
            } else {
                ArmBody::Block(stmts)
            }
        } else {
            let e = parse_expr(&mut cur, true)?;
            if !cur.eat_punct(',') && !cur.done() && !matches!(e, Expr::Match(..) | Expr::If { .. })
            {
                return None;
            }
            match e {
                // `()` prints as `{}`.
                Expr::Tuple(elems) if elems.is_empty() => ArmBody::Block(Vec::new()),
                e => ArmBody::Expr(e),
            }
        };
        arms.push(Arm { pat, body });
    }
    Some(arms)
}

// ---------------------------------------------------------------------------------------------
// Printing: prettyplease 0.2.37's calls, function by function (names in comments).

fn short_ident(e: &Expr<'_>) -> bool {
    // `is_short_ident`
    matches!(e, Expr::Path(p) if !p.leading_colon && p.segments.len() == 1
        && matches!(p.segments[0].args, Args::None)
        && p.segments[0].ident.len() as isize <= INDENT)
}

fn needs_newline_if_wrap(e: &Expr<'_>) -> bool {
    match e {
        Expr::Array(_)
        | Expr::Lit(_)
        | Expr::Match(..)
        | Expr::Path(_)
        | Expr::QPath(..)
        | Expr::Struct { .. }
        | Expr::If { .. }
        | Expr::Closure { .. }
        | Expr::Tuple(_) => false,
        Expr::Assign(..) | Expr::Await(_) | Expr::Field(..) | Expr::MethodCall { .. } => true,
        Expr::Call(f, _) => needs_newline_if_wrap(f),
        Expr::Return(None) => false,
        Expr::Return(Some(e)) => needs_newline_if_wrap(e),
        Expr::Reference { expr, .. } | Expr::Try(expr) | Expr::Unary(_, expr) => {
            needs_newline_if_wrap(expr)
        }
    }
}

fn is_blocklike(e: &Expr<'_>) -> bool {
    matches!(
        e,
        Expr::Array(_) | Expr::Struct { .. } | Expr::Tuple(_) | Expr::Closure { .. }
    )
}

impl<'a> Printer<'a> {
    /// A parenthesised tuple of types, patterns or expressions, as prettyplease lays them out
    /// (`type_tuple`, `pat_tuple`, `expr_tuple`: a one-element tuple keeps its comma).
    fn tuple<T>(&mut self, elems: &'a [T], mut print: impl FnMut(&mut Self, &'a T)) {
        self.word("(");
        self.cbox(INDENT);
        self.zerobreak();
        for (i, elem) in elems.iter().enumerate() {
            print(self, elem);
            if elems.len() == 1 {
                self.word(",");
                self.zerobreak();
            } else {
                self.trailing_comma(i + 1 == elems.len());
            }
        }
        self.offset(-INDENT);
        self.end();
        self.word(")");
    }

    fn f_item(&mut self, item: &'a Item<'a>) {
        match &item.kind {
            ItemKind::Struct { ident, fields } => {
                // item_struct
                self.f_attrs(&item.attrs);
                self.cbox(INDENT);
                self.f_vis(&item.vis);
                self.word("struct ");
                self.word(ident);
                match fields {
                    Fields::Named(fields) => {
                        self.nbsp();
                        self.word("{");
                        self.hardbreak_if_nonempty();
                        for field in fields {
                            self.f_field(field);
                            self.word(",");
                            self.hardbreak();
                        }
                        self.offset(-INDENT);
                        self.end();
                        self.word("}");
                    }
                    Fields::Unnamed(fields) => {
                        self.f_fields_unnamed(fields);
                        self.word(";");
                        self.end();
                    }
                    Fields::Unit => {
                        self.word(";");
                        self.end();
                    }
                }
                self.hardbreak();
            }
            ItemKind::Enum { ident, variants } => {
                // item_enum
                self.f_attrs(&item.attrs);
                self.cbox(INDENT);
                self.f_vis(&item.vis);
                self.word("enum ");
                self.word(ident);
                self.nbsp();
                self.word("{");
                self.hardbreak_if_nonempty();
                for variant in variants {
                    self.f_variant(variant);
                    self.word(",");
                    self.hardbreak();
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
                self.hardbreak();
            }
            ItemKind::Impl {
                generics,
                trait_,
                self_ty,
                items,
            } => {
                // item_impl
                self.f_attrs(&item.attrs);
                self.cbox(INDENT);
                self.ibox(-INDENT);
                self.cbox(INDENT);
                self.word("impl");
                self.f_generics(generics);
                self.end();
                self.nbsp();
                if let Some(path) = trait_ {
                    self.f_path(path, PathStyle::Type);
                    self.space();
                    self.word("for ");
                }
                self.f_ty(self_ty);
                self.end();
                self.nbsp();
                self.word("{");
                self.hardbreak_if_nonempty();
                for impl_item in items {
                    match impl_item {
                        ImplItem::Fn(f) => self.f_fn(f),
                        ImplItem::Const {
                            attrs,
                            vis,
                            ident,
                            ty,
                            expr,
                        } => self.f_const(attrs, vis, "const ", ident, ty, expr),
                        ImplItem::Macro { attrs, mac } => {
                            // impl_item_macro
                            self.f_attrs(attrs);
                            self.f_mac(mac);
                            self.hardbreak();
                        }
                        ImplItem::Verbatim(text) => {
                            // Inside the block's broken box, after a hard break: the lines as
                            // prettyplease printed them, then the member's closing hard break.
                            self.word(text.as_str());
                            self.hardbreak();
                        }
                    }
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
                self.hardbreak();
            }
            ItemKind::Fn(f) => self.f_fn(f),
            ItemKind::Static { ident, ty, expr } | ItemKind::Const { ident, ty, expr } => {
                let keyword = if matches!(item.kind, ItemKind::Static { .. }) {
                    "static "
                } else {
                    "const "
                };
                self.f_const(&item.attrs, &item.vis, keyword, ident, ty, expr);
            }
            ItemKind::Macro(mac) => {
                // item_macro
                self.f_attrs(&item.attrs);
                self.f_mac(mac);
                self.hardbreak();
            }
            ItemKind::Use(words) => {
                // item_use
                self.f_attrs(&item.attrs);
                self.f_vis(&item.vis);
                self.word("use ");
                for w in words {
                    self.word(w);
                }
                self.word(";");
                self.hardbreak();
            }
            ItemKind::Type { ident, ty } => {
                // item_type
                self.f_attrs(&item.attrs);
                self.cbox(INDENT);
                self.f_vis(&item.vis);
                self.word("type ");
                self.word(ident);
                self.nbsp();
                self.word("= ");
                self.neverbreak();
                self.ibox(-INDENT);
                self.f_ty(ty);
                self.end();
                self.word(";");
                self.end();
                self.hardbreak();
            }
        }
    }

    /// item_static, item_const, impl_item_const (the same calls).
    fn f_const(
        &mut self,
        attrs: &'a [Attr<'a>],
        vis: &'a Vis<'a>,
        keyword: &'static str,
        ident: &'a str,
        ty: &'a Ty<'a>,
        expr: &'a Expr<'a>,
    ) {
        self.f_attrs(attrs);
        self.cbox(0);
        self.f_vis(vis);
        self.word(keyword);
        self.word(ident);
        self.word(": ");
        self.f_ty(ty);
        self.word(" = ");
        self.neverbreak();
        self.f_expr(expr);
        self.word(";");
        self.end();
        self.hardbreak();
    }

    /// mac, for a macro call with `(…)` or `[…]` and its `;`.
    fn f_mac(&mut self, mac: &'a Mac<'a>) {
        for w in mac.path.iter() {
            self.word(w);
        }
        self.word("!");
        let (open, close) = if mac.delimiter == Delimiter::Bracket {
            ("[", "]")
        } else {
            ("(", ")")
        };
        self.word(open);
        if !mac.tokens.done() {
            self.cbox(INDENT);
            self.zerobreak();
            self.ibox(0);
            self.f_macro_tokens(mac.tokens);
            self.end();
            self.zerobreak();
            self.offset(-INDENT);
            self.end();
        }
        self.word(close);
        self.word(";");
    }

    /// macro_rules_tokens, outside a `macro_rules!` matcher.
    fn f_macro_tokens(&mut self, mut stream: Cur<'a>) {
        #[derive(PartialEq)]
        enum State {
            Start,
            Dollar,
            DollarCrate,
            DollarParen,
            DollarParenSep,
            Pound,
            PoundBang,
            Dot,
            Colon,
            Colon2,
            Ident,
            IdentBang,
            Delim,
            Other,
        }
        use State::*;

        let mut state = Start;
        let mut previous_is_joint = true;
        while !stream.done() {
            let at = stream.i;
            let Some(tt) = stream.bump() else { break };
            // An identifier's or literal's text (empty for the others).
            let text = stream.text(tt);
            let (needs_space, next_state) = match (&state, tt.kind) {
                (Dollar, Kind::Ident) if text == "crate" => (false, DollarCrate),
                (Dollar, Kind::Ident) => (false, Other),
                (
                    DollarParen,
                    Kind::Punct {
                        ch: '+' | '*' | '?',
                        joint: false,
                    },
                ) => (false, Other),
                (DollarParen, Kind::Ident | Kind::Lit) => (false, DollarParenSep),
                (DollarParen, Kind::Punct { joint: true, .. }) => (false, DollarParen),
                (DollarParen, Kind::Punct { .. }) => (false, DollarParenSep),
                (DollarParenSep, Kind::Punct { ch: '+' | '*', .. }) => (false, Other),
                (Pound, Kind::Punct { ch: '!', .. }) => (false, PoundBang),
                (
                    Dollar,
                    Kind::Group {
                        delimiter: Delimiter::Parenthesis,
                        ..
                    },
                ) => (false, DollarParen),
                (
                    Pound | PoundBang,
                    Kind::Group {
                        delimiter: Delimiter::Bracket,
                        ..
                    },
                ) => (false, Other),
                (
                    Ident,
                    Kind::Group {
                        delimiter: Delimiter::Parenthesis | Delimiter::Bracket,
                        ..
                    },
                ) => (false, Delim),
                (
                    Ident,
                    Kind::Punct {
                        ch: '!',
                        joint: false,
                    },
                ) => (false, IdentBang),
                (
                    IdentBang,
                    Kind::Group {
                        delimiter: Delimiter::Parenthesis | Delimiter::Bracket,
                        ..
                    },
                ) => (false, Other),
                (Colon, Kind::Punct { ch: ':', .. }) => (false, Colon2),
                (
                    _,
                    Kind::Group {
                        delimiter: Delimiter::Parenthesis | Delimiter::Bracket,
                        ..
                    },
                ) => (true, Delim),
                (_, Kind::Group { .. }) => (true, Other),
                (_, Kind::Ident) if !is_keyword(text) => (state != Dot && state != Colon2, Ident),
                (_, Kind::Lit) if text.ends_with('.') => (state != Dot, Other),
                (_, Kind::Lit) => (state != Dot, Ident),
                (_, Kind::Punct { ch: ',' | ';', .. }) => (false, Other),
                (_, Kind::Punct { ch: '.', .. }) => (state != Ident && state != Delim, Dot),
                (
                    _,
                    Kind::Punct {
                        ch: ':',
                        joint: true,
                    },
                ) => (state != Ident && state != DollarCrate, Colon),
                (_, Kind::Punct { ch: '$', .. }) => (true, Dollar),
                (_, Kind::Punct { ch: '#', .. }) => (true, Pound),
                (_, _) => (true, Other),
            };
            if !previous_is_joint {
                if needs_space {
                    self.space();
                } else if matches!(tt.kind, Kind::Punct { ch: '.', .. }) {
                    self.zerobreak();
                }
            }
            previous_is_joint = matches!(tt.kind, Kind::Punct { ch, joint } if joint || ch == '$');
            // single_token
            match tt.kind {
                Kind::Group { delimiter, .. } => {
                    let inner = stream.inside(at);
                    let (open, close) = match delimiter {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("", ""),
                    };
                    if !open.is_empty() {
                        self.word(open);
                    }
                    if !inner.done() {
                        if delimiter == Delimiter::Brace {
                            self.space();
                        }
                        self.f_macro_tokens(inner);
                        if delimiter == Delimiter::Brace {
                            self.space();
                        }
                    }
                    if !close.is_empty() {
                        self.word(close);
                    }
                }
                Kind::Ident | Kind::Lit => self.word(text),
                Kind::Punct { ch, .. } => self.word(char_word(ch)),
            }
            state = next_state;
        }
    }

    fn f_attrs(&mut self, attrs: &'a [Attr<'a>]) {
        for attr in attrs {
            match attr {
                Attr::Doc(text, start, end) => {
                    self.word("///");
                    self.word(&text[*start..*end]);
                    self.hardbreak();
                }
                Attr::Other { path, meta } => {
                    self.word("#");
                    self.word("[");
                    self.f_simple_path(path);
                    match meta {
                        Meta::Path => {}
                        Meta::List(group) => self.f_attr_tokens(*group),
                        Meta::NameValue(expr) => {
                            self.word(" = ");
                            self.f_expr(expr);
                        }
                    }
                    self.word("]");
                    self.space();
                }
            }
        }
    }

    fn f_simple_path(&mut self, path: &'a [&'a str]) {
        for (i, segment) in path.iter().enumerate() {
            if i > 0 {
                self.word("::");
            }
            self.word(segment);
        }
    }

    /// attr_tokens, of `tokens`: one group (a meta list's). prettyplease walks a stack of
    /// token iterators, the outermost over that one group, and spaces words with `nbsp` until
    /// it enters a group and with `space` after: inside the group, always `space`. Here the
    /// stack is the recursion of [`Self::f_attr_group`].
    fn f_attr_tokens(&mut self, mut tokens: Cur<'a>) {
        let mut state = AttrState::Word;
        while !tokens.done() {
            let at = tokens.i;
            if let Some(Tok {
                kind: Kind::Group { delimiter, .. },
                ..
            }) = tokens.bump()
            {
                self.f_attr_group(*delimiter, tokens.inside(at), &mut state);
            }
        }
    }

    /// A group of [`Self::f_attr_tokens`]: its delimiters and its tokens.
    fn f_attr_group(&mut self, delimiter: Delimiter, mut tokens: Cur<'a>, state: &mut AttrState) {
        use AttrState::{Punct, TrailingComma, Word};
        match delimiter {
            Delimiter::Parenthesis => {
                self.word("(");
                self.cbox(INDENT);
                self.zerobreak();
                *state = Punct;
            }
            Delimiter::Brace => {
                self.word("{");
                *state = Punct;
            }
            Delimiter::Bracket => {
                self.word("[");
                *state = Punct;
            }
            Delimiter::None => {}
        }
        while !tokens.done() {
            let at = tokens.i;
            let Some(t) = tokens.bump() else { break };
            match t.kind {
                Kind::Ident | Kind::Lit => {
                    if *state == Word {
                        self.space();
                    }
                    self.word(tokens.text(t));
                    *state = Word;
                }
                Kind::Punct { ch, .. } => {
                    if *state == Word && ch == '=' {
                        self.nbsp();
                    }
                    if ch == ',' && tokens.done() {
                        self.trailing_comma(true);
                        *state = TrailingComma;
                    } else {
                        self.word(char_word(ch));
                        if ch == '=' {
                            self.nbsp();
                        } else if ch == ',' {
                            self.space();
                        }
                        *state = Punct;
                    }
                }
                Kind::Group { delimiter, .. } => {
                    self.f_attr_group(delimiter, tokens.inside(at), state);
                }
            }
        }
        match delimiter {
            Delimiter::Parenthesis => {
                if *state != TrailingComma {
                    self.zerobreak();
                }
                self.offset(-INDENT);
                self.end();
                self.word(")");
                *state = Punct;
            }
            Delimiter::Brace => {
                self.word("}");
                *state = Punct;
            }
            Delimiter::Bracket => {
                self.word("]");
                *state = Punct;
            }
            Delimiter::None => {}
        }
    }

    fn f_vis(&mut self, vis: &'a Vis<'a>) {
        match vis {
            Vis::Inherited => {}
            Vis::Pub => self.word("pub "),
            Vis::Restricted(path) => {
                self.word("pub(");
                self.word(path);
                self.word(") ");
            }
        }
    }

    fn f_field(&mut self, field: &'a Field<'a>) {
        self.f_attrs(&field.attrs);
        self.f_vis(&field.vis);
        if let Some(ident) = &field.ident {
            self.word(ident);
            self.word(": ");
        }
        self.f_ty(&field.ty);
    }

    fn f_fields_unnamed(&mut self, fields: &'a [Field<'a>]) {
        self.word("(");
        self.zerobreak();
        for (i, field) in fields.iter().enumerate() {
            self.f_field(field);
            self.trailing_comma(i + 1 == fields.len());
        }
        self.offset(-INDENT);
        self.word(")");
    }

    fn f_variant(&mut self, variant: &'a Variant<'a>) {
        self.f_attrs(&variant.attrs);
        self.word(variant.ident);
        match &variant.fields {
            Fields::Named(fields) => {
                self.nbsp();
                self.word("{");
                self.cbox(INDENT);
                self.space();
                for (i, field) in fields.iter().enumerate() {
                    self.f_field(field);
                    self.trailing_comma_or_space(i + 1 == fields.len());
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
            }
            Fields::Unnamed(fields) => {
                self.cbox(INDENT);
                self.f_fields_unnamed(fields);
                self.end();
            }
            Fields::Unit => {}
        }
    }

    fn f_generics(&mut self, params: &'a [GParam<'a>]) {
        if params.is_empty() {
            return;
        }
        self.word("<");
        self.cbox(0);
        self.zerobreak();
        let lifetimes = params
            .iter()
            .filter(|p| matches!(p, GParam::Lifetime { .. }));
        let types = params.iter().filter(|p| matches!(p, GParam::Type { .. }));
        let ordered: Vec<&GParam> = lifetimes.chain(types).collect();
        for (i, param) in ordered.iter().enumerate() {
            match param {
                GParam::Lifetime { name, bounds } => {
                    self.word(name);
                    for (j, b) in bounds.iter().enumerate() {
                        self.word(if j == 0 { ": " } else { " + " });
                        self.word(b);
                    }
                }
                GParam::Type { ident, bounds } => {
                    self.word(ident);
                    self.ibox(INDENT);
                    for (j, b) in bounds.iter().enumerate() {
                        if j == 0 {
                            self.word(": ");
                        } else {
                            self.space();
                            self.word("+ ");
                        }
                        self.f_bound(b);
                    }
                    self.end();
                }
            }
            self.trailing_comma(i + 1 == ordered.len());
        }
        self.offset(-INDENT);
        self.end();
        self.word(">");
    }

    fn f_bound(&mut self, bound: &'a Bound<'a>) {
        match bound {
            Bound::Lifetime(l) => self.word(l),
            Bound::Trait(path) => self.f_path(path, PathStyle::Type),
        }
    }

    fn f_path(&mut self, path: &'a Path<'a>, style: PathStyle) {
        for (i, segment) in path.segments.iter().enumerate() {
            if i > 0 || path.leading_colon {
                self.word("::");
            }
            self.f_segment(segment, style);
        }
    }

    fn f_segment(&mut self, segment: &'a Segment<'a>, style: PathStyle) {
        self.word(segment.ident);
        match &segment.args {
            Args::None => {}
            Args::Angle(args) => self.f_angle_args(args, style),
            Args::Paren(inputs, output) => {
                // parenthesized_generic_arguments
                self.cbox(INDENT);
                self.word("(");
                self.zerobreak();
                for (i, ty) in inputs.iter().enumerate() {
                    self.f_ty(ty);
                    self.trailing_comma(i + 1 == inputs.len());
                }
                self.offset(-INDENT);
                self.word(")");
                if let Some(ty) = output {
                    self.word(" -> ");
                    self.f_ty(ty);
                }
                self.end();
            }
        }
    }

    fn f_angle_args(&mut self, args: &'a [GArg<'a>], style: PathStyle) {
        if args.is_empty() {
            return;
        }
        if style == PathStyle::Expr {
            self.word("::");
        }
        self.word("<");
        self.cbox(INDENT);
        self.zerobreak();
        let lifetimes = args.iter().filter(|a| matches!(a, GArg::Lifetime(_)));
        let others = args.iter().filter(|a| !matches!(a, GArg::Lifetime(_)));
        let ordered: Vec<&GArg> = lifetimes.chain(others).collect();
        for (i, arg) in ordered.iter().enumerate() {
            match arg {
                GArg::Lifetime(l) => self.word(l),
                GArg::Type(ty) => self.f_ty(ty),
                GArg::AssocType(name, ty) => {
                    self.word(name);
                    self.word(" = ");
                    self.f_ty(ty);
                }
            }
            self.trailing_comma(i + 1 == ordered.len());
        }
        self.offset(-INDENT);
        self.end();
        self.word(">");
    }

    /// qpath
    fn f_qpath(&mut self, ty: &'a Ty<'a>, position: usize, path: &'a Path<'a>, style: PathStyle) {
        self.word("<");
        self.f_ty(ty);
        let mut segments = path.segments.iter();
        if position > 0 {
            self.word(" as ");
            for (i, segment) in segments.by_ref().take(position).enumerate() {
                if i > 0 || path.leading_colon {
                    self.word("::");
                }
                self.f_segment(segment, PathStyle::Type);
                if i + 1 == position {
                    self.word(">");
                }
            }
        } else {
            self.word(">");
        }
        for segment in segments {
            self.word("::");
            self.f_segment(segment, style);
        }
    }

    fn f_ty(&mut self, ty: &'a Ty<'a>) {
        match ty {
            Ty::Path(path) => self.f_path(path, PathStyle::Type),
            Ty::QPath(ty, position, path) => self.f_qpath(ty, *position, path, PathStyle::Type),
            Ty::Ref {
                lifetime,
                mutable,
                elem,
            } => {
                self.word("&");
                if let Some(l) = lifetime {
                    self.word(l);
                    self.nbsp();
                }
                if *mutable {
                    self.word("mut ");
                }
                self.f_ty(elem);
            }
            Ty::Slice(elem) => {
                self.word("[");
                self.f_ty(elem);
                self.word("]");
            }
            Ty::Tuple(elems) => {
                self.tuple(elems, Self::f_ty);
            }
            Ty::Impl(bounds) | Ty::Dyn(bounds) => {
                self.word(if matches!(ty, Ty::Impl(_)) {
                    "impl "
                } else {
                    "dyn "
                });
                for (i, b) in bounds.iter().enumerate() {
                    if i > 0 {
                        self.word(" + ");
                    }
                    self.f_bound(b);
                }
            }
        }
    }

    /// item_fn, impl_item_fn (with signature)
    fn f_fn(&mut self, f: &'a ImplFn<'a>) {
        self.f_attrs(&f.attrs);
        self.cbox(INDENT);
        self.f_vis(&f.vis);
        if f.constness {
            self.word("const ");
        }
        if f.asyncness {
            self.word("async ");
        }
        self.word("fn ");
        self.word(f.ident);
        self.f_generics(&f.generics);
        self.word("(");
        self.neverbreak();
        self.cbox(0);
        self.zerobreak();
        for (i, input) in f.inputs.iter().enumerate() {
            match input {
                FnArg::Receiver { reference, mutable } => {
                    if let Some(lifetime) = reference {
                        self.word("&");
                        if let Some(l) = lifetime {
                            self.word(l);
                            self.nbsp();
                        }
                    }
                    if *mutable {
                        self.word("mut ");
                    }
                    self.word("self");
                }
                FnArg::Typed(pat, ty) => {
                    self.f_pat(pat);
                    self.word(": ");
                    self.f_ty(ty);
                }
            }
            self.trailing_comma(i + 1 == f.inputs.len());
        }
        self.offset(-INDENT);
        self.end();
        self.word(")");
        self.cbox(-INDENT);
        if let Some(ty) = &f.output {
            self.word(" -> ");
            self.f_ty(ty);
        }
        self.end();
        self.nbsp();
        self.word("{");
        self.hardbreak_if_nonempty();
        self.f_stmts(&f.stmts);
        self.offset(-INDENT);
        self.end();
        self.word("}");
        self.hardbreak();
    }

    fn f_pat(&mut self, pat: &'a Pat<'a>) {
        match pat {
            Pat::Path { mutable, path } => {
                if *mutable {
                    self.word("mut ");
                }
                self.f_path(path, PathStyle::Expr);
            }
            Pat::Lit(l) => self.word(l),
            Pat::Tuple(elems) => {
                self.tuple(elems, Self::f_pat);
            }
            Pat::TupleStruct(path, elems) => {
                self.f_path(path, PathStyle::Expr);
                self.word("(");
                self.cbox(INDENT);
                self.zerobreak();
                for (i, elem) in elems.iter().enumerate() {
                    self.f_pat(elem);
                    self.trailing_comma(i + 1 == elems.len());
                }
                self.offset(-INDENT);
                self.end();
                self.word(")");
            }
        }
    }

    fn f_stmts(&mut self, stmts: &'a [Stmt<'a>]) {
        for stmt in stmts {
            match stmt {
                Stmt::Local { pat, ty, init } => {
                    self.ibox(0);
                    self.word("let ");
                    self.f_pat(pat);
                    if let Some(ty) = ty {
                        self.word(": ");
                        self.f_ty(ty);
                    }
                    self.word(" = ");
                    self.neverbreak();
                    self.f_expr(init);
                    self.end();
                    self.word(";");
                    self.hardbreak();
                }
                Stmt::Expr { expr, semi } => {
                    self.ibox(0);
                    self.f_expr_bol(expr, true);
                    if *semi || matches!(expr, Expr::Assign(..) | Expr::Return(_)) {
                        self.word(";");
                    }
                    self.end();
                    self.hardbreak();
                }
            }
        }
    }

    /// expr
    fn f_expr(&mut self, e: &'a Expr<'a>) {
        match e {
            Expr::Path(path) => self.f_path(path, PathStyle::Expr),
            Expr::QPath(ty, position, path) => {
                self.f_qpath(ty, *position, path, PathStyle::Expr);
            }
            Expr::Lit(l) => self.word(l),
            Expr::Call(func, args) => {
                // expr_call: the function (a path) at the beginning of the line is itself.
                self.f_expr(func);
                self.word("(");
                self.f_call_args(args);
                self.word(")");
            }
            Expr::MethodCall { .. } | Expr::Field(..) | Expr::Await(_) | Expr::Try(_) => {
                self.f_expr_bol(e, false);
            }
            Expr::Reference { mutable, expr } => {
                self.word("&");
                if *mutable {
                    self.word("mut ");
                }
                self.f_expr(expr);
            }
            Expr::Unary(op, expr) => {
                self.word(op);
                self.f_expr(expr);
            }
            Expr::Array(elems) => {
                if elems.is_empty() {
                    self.word("[]");
                } else {
                    self.word("[");
                    self.cbox(INDENT);
                    self.zerobreak();
                    for (i, elem) in elems.iter().enumerate() {
                        self.f_expr(elem);
                        self.trailing_comma(i + 1 == elems.len());
                    }
                    self.offset(-INDENT);
                    self.end();
                    self.word("]");
                }
            }
            Expr::Tuple(elems) => {
                self.tuple(elems, Self::f_expr);
            }
            Expr::Struct { path, fields } => {
                // expr_struct
                self.cbox(INDENT);
                self.ibox(-INDENT);
                self.f_path(path, PathStyle::Expr);
                self.end();
                self.word(" {");
                self.space_if_nonempty();
                for (i, (member, value)) in fields.iter().enumerate() {
                    self.word(member);
                    if let Some(value) = value {
                        self.word(": ");
                        self.ibox(0);
                        self.f_expr(value);
                        self.end();
                    }
                    self.trailing_comma_or_space(i + 1 == fields.len());
                }
                self.offset(-INDENT);
                self.end_with_max_width(34);
                self.word("}");
            }
            Expr::Match(scrutinee, arms) => {
                // expr_match
                self.ibox(0);
                self.word("match ");
                self.cbox(0);
                self.f_expr(scrutinee);
                if needs_newline_if_wrap(scrutinee) {
                    self.space();
                } else {
                    self.nbsp();
                }
                self.end();
                self.word("{");
                self.neverbreak();
                self.cbox(INDENT);
                self.hardbreak_if_nonempty();
                for arm in arms {
                    self.f_arm(arm);
                    self.hardbreak();
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
                self.end();
            }
            Expr::Closure {
                capture,
                inputs,
                body,
            } => {
                // expr_closure (no return type)
                self.ibox(0);
                if *capture {
                    self.word("move ");
                }
                self.cbox(INDENT);
                self.word("|");
                for (i, pat) in inputs.iter().enumerate() {
                    if i == 0 {
                        self.zerobreak();
                    }
                    self.f_pat(pat);
                    if i + 1 != inputs.len() {
                        self.word(",");
                        self.space();
                    }
                }
                self.word("|");
                self.space();
                self.offset(-INDENT);
                self.end();
                self.neverbreak();
                let wrap_in_brace = match &**body {
                    Expr::Match(..) | Expr::Call(..) => false,
                    body => !is_blocklike(body),
                };
                if wrap_in_brace {
                    self.cbox(INDENT);
                    self.scan_break(BreakToken {
                        pre_break: Some('{'),
                        ..BreakToken::default()
                    });
                    self.f_expr(body);
                    self.scan_break(BreakToken {
                        offset: -INDENT,
                        pre_break: matches!(**body, Expr::Assign(..) | Expr::Return(_))
                            .then_some(';'),
                        post_break: "}",
                        ..BreakToken::default()
                    });
                    self.end();
                } else {
                    self.f_expr(body);
                }
                self.end();
            }
            Expr::Return(value) => {
                self.word("return");
                if let Some(value) = value {
                    self.nbsp();
                    self.f_expr(value);
                }
            }
            Expr::If { pat, cond, then } => {
                // expr_if (no else), expr_condition, expr_let
                self.cbox(INDENT);
                self.word("if ");
                self.cbox(-INDENT);
                self.cbox(0);
                if let Some(pat) = pat {
                    self.ibox(0);
                    self.word("let ");
                    self.ibox(0);
                    self.f_pat(pat);
                    self.end();
                    self.word(" = ");
                    self.neverbreak();
                    self.ibox(0);
                    self.f_expr(cond);
                    self.end();
                    self.end();
                } else {
                    self.f_expr(cond);
                }
                if needs_newline_if_wrap(cond) {
                    self.space();
                } else {
                    self.nbsp();
                }
                self.end();
                self.end();
                if then.is_empty() {
                    self.word("{}");
                } else {
                    self.word("{");
                    self.hardbreak();
                    self.f_stmts(then);
                    self.offset(-INDENT);
                    self.word("}");
                }
                self.end();
            }
            Expr::Assign(left, right) => {
                // expr_assign
                self.ibox(0);
                self.f_expr(left);
                self.word(" = ");
                self.neverbreak();
                self.f_expr(right);
                self.end();
            }
        }
    }

    /// expr_beginning_of_line (and expr_await, expr_field, expr_method_call, expr_try)
    fn f_expr_bol(&mut self, e: &'a Expr<'a>, bol: bool) {
        match e {
            Expr::Await(_) | Expr::Field(..) => {
                self.cbox(INDENT);
                self.f_prefix_subexpr(e, bol);
                self.end();
            }
            Expr::MethodCall { receiver, .. } => {
                self.cbox(INDENT);
                let unindent_call_args = bol && short_ident(receiver);
                self.f_prefix_method_call(e, bol, unindent_call_args);
                self.end();
            }
            Expr::Try(inner) => {
                self.f_expr_bol(inner, bol);
                self.word("?");
            }
            _ => self.f_expr(e),
        }
    }

    /// prefix_subexpr
    fn f_prefix_subexpr(&mut self, e: &'a Expr<'a>, bol: bool) {
        match e {
            Expr::Await(base) | Expr::Field(base, _) => {
                self.f_prefix_subexpr(base, bol);
                if !(bol && short_ident(base)) {
                    self.scan_break(BreakToken {
                        no_break: self.ends_with('.').then_some(' '),
                        ..BreakToken::default()
                    });
                }
                match e {
                    Expr::Field(_, member) => {
                        self.word(".");
                        self.word(member);
                    }
                    _ => self.word(".await"),
                }
            }
            Expr::Call(func, args) => {
                self.f_prefix_subexpr(func, false);
                self.word("(");
                self.f_call_args(args);
                self.word(")");
            }
            Expr::MethodCall { .. } => self.f_prefix_method_call(e, bol, false),
            Expr::Try(inner) => {
                self.f_prefix_subexpr(inner, bol);
                self.word("?");
            }
            _ => {
                self.cbox(-INDENT);
                self.f_expr(e);
                self.end();
            }
        }
    }

    /// prefix_subexpr_method_call
    fn f_prefix_method_call(&mut self, e: &'a Expr<'a>, bol: bool, unindent_call_args: bool) {
        let Expr::MethodCall {
            receiver,
            method,
            turbofish,
            args,
        } = e
        else {
            return;
        };
        self.f_prefix_subexpr(receiver, bol);
        if !(bol && short_ident(receiver)) {
            self.scan_break(BreakToken {
                no_break: self.ends_with('.').then_some(' '),
                ..BreakToken::default()
            });
        }
        self.word(".");
        self.word(method);
        if let Some(args) = turbofish {
            self.f_angle_args(args, PathStyle::Expr);
        }
        self.cbox(if unindent_call_args { -INDENT } else { 0 });
        self.word("(");
        self.f_call_args(args);
        self.word(")");
        self.end();
    }

    /// call_args
    fn f_call_args(&mut self, args: &'a [Expr<'a>]) {
        if let [arg] = args {
            if is_blocklike(arg) {
                self.f_expr(arg);
                return;
            }
        }
        self.cbox(INDENT);
        self.zerobreak();
        for (i, arg) in args.iter().enumerate() {
            self.f_expr(arg);
            self.trailing_comma(i + 1 == args.len());
        }
        self.offset(-INDENT);
        self.end();
    }

    /// arm
    fn f_arm(&mut self, arm: &'a Arm<'a>) {
        self.ibox(0);
        self.f_pat(&arm.pat);
        self.word(" => ");
        match &arm.body {
            ArmBody::Block(stmts) => {
                self.word("{");
                self.neverbreak();
                self.cbox(INDENT);
                self.hardbreak_if_nonempty();
                self.f_stmts(stmts);
                self.offset(-INDENT);
                self.end();
                self.word("}");
            }
            ArmBody::Expr(body) => {
                self.neverbreak();
                self.cbox(INDENT);
                self.scan_break(BreakToken {
                    pre_break: Some('{'),
                    ..BreakToken::default()
                });
                self.f_expr_bol(body, true);
                self.scan_break(BreakToken {
                    offset: -INDENT,
                    pre_break: matches!(body, Expr::Assign(..) | Expr::Return(_)).then_some(';'),
                    post_break: "}",
                    no_break: (!matches!(body, Expr::Match(..) | Expr::If { .. })).then_some(','),
                    ..BreakToken::default()
                });
                self.end();
            }
        }
        self.end();
    }
}

/// Where [`Printer::f_attr_tokens`] stands: after a word, after punctuation, after a group's
/// trailing comma.
#[derive(Clone, Copy, PartialEq)]
enum AttrState {
    Word,
    Punct,
    TrailingComma,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::{Group, Ident, Literal, Span, TokenStream};
    use quote::quote;

    /// The word-at-a-time test says what the byte-by-byte one says: every byte value at every
    /// position of strings of 1 to 24 bytes, among printable ones and among others.
    #[test]
    fn printable_ascii_is_the_byte_test() {
        let slow = |s: &[u8]| s.iter().all(|b| (0x20..0x7f).contains(b));
        for len in 1..=24 {
            for at in 0..len {
                for fill in [b'a', b' ', b'~', 0x1f, 0x7f, 0x80, 0xff, 0x00] {
                    for b in 0..=255u8 {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        // `str` only: bytes of 0x80 and up are tested as the start of a
                        // two-byte character where one fits.
                        let s = match std::str::from_utf8(&bytes) {
                            Ok(s) => s.to_string(),
                            Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
                        };
                        assert_eq!(
                            printable_ascii(&s),
                            slow(s.as_bytes()),
                            "{:?}",
                            s.as_bytes()
                        );
                    }
                }
            }
        }
    }

    /// syn and prettyplease's text of one item (as `print_raw`'s fallback prints it).
    fn slow(tokens: TokenStream) -> String {
        let mut item: syn::Item = syn::parse2(tokens).unwrap();
        syn::visit_mut::VisitMut::visit_item_mut(&mut super::super::Neutralise, &mut item);
        prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        })
    }

    /// Items with the tokens the flat form has to get right: nested groups, a `None`-delimited
    /// group, joint punctuation (`::`, `->`, `=>`, `'a`), lifetimes, raw identifiers and
    /// suffixed literals. Each prints as prettyplease prints it, read borrowed (as
    /// `SDKWRIGHT_PRINT_CHECK` reads) and moved (as `print_raw` reads); an item left to syn gets
    /// back the tokens it came with.
    #[test]
    fn flat_items_print_as_prettyplease_prints_them() {
        let r#type = Ident::new_raw("type", Span::call_site());
        let r#in = Ident::new_raw("in", Span::call_site());
        let one = Literal::u8_suffixed(1);
        let none = TokenTree::Group(Group::new(Delimiter::None, quote!(#one)));
        let cases: Vec<(TokenStream, bool)> = vec![
            (
                quote! {
                    /// A struct.
                    pub struct S {
                        pub #r#type: Option<String>,
                        #[serde(rename = "a-b", skip_serializing_if = "Option::is_none")]
                        pub a: Vec<u8>,
                        pub c: (u8, [i64; 0]),
                    }
                },
                false,
            ),
            (
                quote! {
                    pub struct S {
                        pub #r#type: Option<String>,
                        #[serde(rename = "a-b", skip_serializing_if = "Option::is_none")]
                        pub a: Vec<u8>,
                    }
                },
                true,
            ),
            (
                quote! {
                    impl<'a> Wrapper<'a> {
                        pub fn get(&'a self, #r#in: &'a str) -> Result<&'a str, rt::Error<'a>> {
                            let x = a(b(c([d, e])), (f,));
                            match self.inner.get(#r#in)? {
                                Kind::A => Ok(x.await?),
                                _ => Err(rt::error::<'a, T>(&mut y)),
                            }
                        }
                    }
                },
                true,
            ),
            (
                quote!(
                    pub const LIMIT: u64 = 10_000u64;
                ),
                true,
            ),
            (
                quote!(
                    static F: &[&str] = &["a", "b"];
                ),
                true,
            ),
            (
                quote!(rt::string_enum!(Kind { A = "a", B = "b" } [1u8, (2.5f32, 'c')]);),
                true,
            ),
            (quote!(const X: u8 = #none;), false),
        ];
        for (tokens, fast) in cases {
            let want = slow(tokens.clone());
            let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
            // Borrowed.
            let printed = print_item(&trees);
            assert_eq!(printed.is_some(), fast, "{want}");
            if let Some(printed) = printed {
                assert_eq!(printed, want);
            }
            // Moved.
            let mut flat = Flat::default();
            for tree in tokens.clone() {
                flat.push(tree);
            }
            let mut out = String::from("before\n");
            if print_flat(&flat, &mut out) {
                assert!(fast);
                assert_eq!(out, format!("before\n{want}"));
            } else {
                assert!(!fast);
                assert_eq!(out, "before\n");
                let back: TokenStream = flat.take_tokens().into_iter().collect();
                assert_eq!(back.to_string(), tokens.to_string());
                assert_eq!(slow(back), want);
            }
        }
    }
}
