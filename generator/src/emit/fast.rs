//! The printer's fast path: one top-level item printed straight from its tokens, with the same
//! bytes prettyplease prints for it, without the `syn` round trip (parsing every item into a
//! syntax tree, walking it, dropping it: half of generation time for large documents).
//!
//! [`print_item`] reads the item's tokens into a small tree that holds only what the printer
//! needs (the text of each identifier and literal, the structure around them), then makes the
//! calls prettyplease 0.2.37 makes for the same item on the vendored algorithm (`pp`): the same
//! boxes, breaks and words in the same order, so the same line breaking. It covers the Rust the
//! back end writes (attributes, structs, enums, impls, functions, statics, consts, type aliases;
//! paths, references, tuples, `impl`/`dyn` bounds; calls, method chains, `.await`, `?`,
//! references, struct literals, arrays, tuples, `match`, assignments, `let`). Anything else
//! (closures, macros, `if`, binary operators, where clauses, a literal with a hidden character,
//! a doc comment prettyplease would print as a block comment, …) makes it return `None`, and
//! the caller prints that item with syn and prettyplease as before. Tests compare both printers
//! on every item of the golden cases; `SDKWRIGHT_PRINT_CHECK=1` does so in any run.

use std::borrow::Cow;

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};

use super::pp::algorithm::{BreakToken, Printer};
use super::pp::INDENT;
use crate::rust::docs;

/// The text prettyplease prints for the item made of `tokens` (as `unparse` of a file holding
/// only that item), or `None` when the item is outside what this printer covers.
pub(crate) fn print_item(tokens: &[TokenTree]) -> Option<String> {
    let mut out = String::new();
    print_item_into(tokens, &mut out).then_some(out)
}

/// [`print_item`] appending to `out` (a module's text: no `String` per item to copy again);
/// `false`, with `out` as it was, when the item is outside what this printer covers.
pub(crate) fn print_item_into(tokens: &[TokenTree], out: &mut String) -> bool {
    let mut cur = Cur::new(tokens);
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
// The tree.

struct Item {
    attrs: Vec<Attr>,
    vis: Vis,
    kind: ItemKind,
}

enum ItemKind {
    Struct {
        ident: String,
        fields: Fields,
    },
    Enum {
        ident: String,
        variants: Vec<Variant>,
    },
    Impl {
        generics: Vec<GParam>,
        trait_: Option<Path>,
        self_ty: Ty,
        items: Vec<ImplItem>,
    },
    Fn(ImplFn),
    Static {
        ident: String,
        ty: Ty,
        expr: Expr,
    },
    Const {
        ident: String,
        ty: Ty,
        expr: Expr,
    },
    Type {
        ident: String,
        ty: Ty,
    },
    /// `use a::b::c;`, `use a::b as c;`, `use a::*;`: the words after `use ` (no groups).
    Use(Vec<String>),
    /// `path!(…);` or `path![…];`.
    Macro(Mac),
}

/// An item of an `impl` block.
enum ImplItem {
    Fn(ImplFn),
    /// `const NAME: ty = expr;`
    Const {
        attrs: Vec<Attr>,
        vis: Vis,
        ident: String,
        ty: Ty,
        expr: Expr,
    },
    /// `path!(…);`
    Macro {
        attrs: Vec<Attr>,
        mac: Mac,
    },
    /// A member this printer does not cover, printed by syn and prettyplease on its own
    /// ([`super::print_impl_member`]): its lines as they stand inside the `impl` block, the
    /// first one's indentation left to the printer. One such member (`Client::builder`'s
    /// `concat!`) used to send the whole `impl Client` (every operation's method: a tenth of
    /// GitHub's generation) through syn.
    Verbatim(String),
}

/// A macro call with `(…)` or `[…]` and a `;` after it (prettyplease's `mac` of an item).
struct Mac {
    /// The path's words (`::`, `a`, `::`, `b`): a simple path, no generic arguments.
    path: Vec<String>,
    delimiter: Delimiter,
    /// The tokens inside the delimiters (read once).
    tokens: Vec<TokenTree>,
}

enum Attr {
    /// `#[doc = "…"]` printed as `///…`: the (trailing-space trimmed) value, `text[start..end]`.
    Doc(String, usize, usize),
    /// `#[path]`, `#[path(…)]`, `#[path = expr]`.
    Other { path: Vec<String>, meta: Meta },
}

enum Meta {
    Path,
    List(Delimiter, TokenStream),
    NameValue(Expr),
}

enum Vis {
    Inherited,
    Pub,
    /// `pub(crate)`, `pub(super)`, `pub(self)`.
    Restricted(String),
}

enum Fields {
    Named(Vec<Field>),
    Unnamed(Vec<Field>),
    Unit,
}

struct Field {
    attrs: Vec<Attr>,
    vis: Vis,
    ident: Option<String>,
    ty: Ty,
}

struct Variant {
    attrs: Vec<Attr>,
    ident: String,
    fields: Fields,
}

enum GParam {
    Lifetime { name: String, bounds: Vec<String> },
    Type { ident: String, bounds: Vec<Bound> },
}

enum Bound {
    Lifetime(String),
    Trait(Path),
}

struct Path {
    leading_colon: bool,
    segments: Vec<Segment>,
}

struct Segment {
    ident: String,
    args: Args,
}

enum Args {
    None,
    Angle(Vec<GArg>),
    Paren(Vec<Ty>, Option<Box<Ty>>),
}

enum GArg {
    Lifetime(String),
    Type(Ty),
    AssocType(String, Ty),
}

enum Ty {
    Path(Path),
    /// `<ty as trait…>::rest`: the type, the trait's segment count in `path`, the path.
    QPath(Box<Ty>, usize, Path),
    Ref {
        lifetime: Option<String>,
        mutable: bool,
        elem: Box<Ty>,
    },
    Slice(Box<Ty>),
    Tuple(Vec<Ty>),
    Impl(Vec<Bound>),
    Dyn(Vec<Bound>),
}

struct ImplFn {
    attrs: Vec<Attr>,
    vis: Vis,
    constness: bool,
    asyncness: bool,
    ident: String,
    generics: Vec<GParam>,
    inputs: Vec<FnArg>,
    output: Option<Ty>,
    stmts: Vec<Stmt>,
}

enum FnArg {
    Receiver {
        reference: Option<Option<String>>,
        mutable: bool,
    },
    Typed(Pat, Ty),
}

enum Pat {
    /// An identifier (`mut x`), `_`, or a path (`None`, `Kind::A`): all print as a path.
    Path {
        mutable: bool,
        path: Path,
    },
    Lit(String),
    TupleStruct(Path, Vec<Pat>),
    /// `(a, b)`; `(a,)` (one element and a trailing comma).
    Tuple(Vec<Pat>),
}

enum Stmt {
    Local {
        pat: Pat,
        ty: Option<Ty>,
        init: Expr,
    },
    Expr {
        expr: Expr,
        semi: bool,
    },
}

enum Expr {
    Path(Path),
    QPath(Box<Ty>, usize, Path),
    Lit(String),
    Call(Box<Expr>, Vec<Expr>),
    MethodCall {
        receiver: Box<Expr>,
        method: String,
        turbofish: Option<Vec<GArg>>,
        args: Vec<Expr>,
    },
    Field(Box<Expr>, String),
    Await(Box<Expr>),
    Try(Box<Expr>),
    Reference {
        mutable: bool,
        expr: Box<Expr>,
    },
    Unary(&'static str, Box<Expr>),
    Array(Vec<Expr>),
    Tuple(Vec<Expr>),
    Struct {
        path: Path,
        fields: Vec<(String, Option<Expr>)>,
    },
    Match(Box<Expr>, Vec<Arm>),
    Assign(Box<Expr>, Box<Expr>),
    Return(Option<Box<Expr>>),
    /// `|a, b| body`, `move |a| body` (no types, no block body).
    Closure {
        capture: bool,
        inputs: Vec<Pat>,
        body: Box<Expr>,
    },
    /// `if cond { … }` or `if let pat = expr { … }`, without `else`.
    If {
        pat: Option<Pat>,
        cond: Box<Expr>,
        then: Vec<Stmt>,
    },
}

struct Arm {
    pat: Pat,
    body: ArmBody,
}

enum ArmBody {
    Expr(Expr),
    Block(Vec<Stmt>),
}

// ---------------------------------------------------------------------------------------------
// Reading tokens.

struct Cur<'a> {
    t: &'a [TokenTree],
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(t: &'a [TokenTree]) -> Self {
        Cur { t, i: 0 }
    }

    fn done(&self) -> bool {
        self.i >= self.t.len()
    }

    fn peek_at(&self, n: usize) -> Option<&'a TokenTree> {
        self.t.get(self.i + n)
    }

    fn peek(&self) -> Option<&'a TokenTree> {
        self.peek_at(0)
    }

    fn bump(&mut self) -> Option<&'a TokenTree> {
        let t = self.t.get(self.i);
        self.i += 1;
        t
    }

    fn punct_at(&self, n: usize, c: char) -> bool {
        matches!(self.peek_at(n), Some(TokenTree::Punct(p)) if p.as_char() == c)
    }

    fn joint_at(&self, n: usize, c: char) -> bool {
        matches!(self.peek_at(n), Some(TokenTree::Punct(p)) if p.as_char() == c && p.spacing() == Spacing::Joint)
    }

    fn is_punct(&self, c: char) -> bool {
        self.punct_at(0, c)
    }

    /// A lone `c` (not the start of a longer operator such as `==`, `=>`, `::`, `->`).
    fn is_alone(&self, c: char) -> bool {
        matches!(self.peek(), Some(TokenTree::Punct(p)) if p.as_char() == c && p.spacing() == Spacing::Alone)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let yes = self.is_punct(c);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn is_ident(&self, s: &str) -> bool {
        self.ident_at(0, s)
    }

    fn ident_at(&self, n: usize, s: &str) -> bool {
        matches!(self.peek_at(n), Some(TokenTree::Ident(i)) if i == s)
    }

    fn eat_ident(&mut self, s: &str) -> bool {
        let yes = self.is_ident(s);
        if yes {
            self.i += 1;
        }
        yes
    }

    /// Any identifier, as printed.
    fn ident(&mut self) -> Option<String> {
        match self.peek() {
            Some(TokenTree::Ident(i)) => {
                self.i += 1;
                Some(i.to_string())
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

    fn group(&mut self, d: Delimiter) -> Option<&'a Group> {
        match self.peek() {
            Some(TokenTree::Group(g)) if g.delimiter() == d => {
                self.i += 1;
                Some(g)
            }
            _ => None,
        }
    }

    fn is_group(&self, d: Delimiter) -> bool {
        matches!(self.peek(), Some(TokenTree::Group(g)) if g.delimiter() == d)
    }

    /// `'name` as printed.
    fn lifetime(&mut self) -> Option<String> {
        if !self.joint_at(0, '\'') {
            return None;
        }
        match self.peek_at(1) {
            Some(TokenTree::Ident(i)) => {
                self.i += 2;
                Some(format!("'{i}"))
            }
            _ => None,
        }
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

/// A punctuation character as a word, borrowed for ASCII punctuation (no `String` per `,`).
fn char_word(c: char) -> Cow<'static, str> {
    const PUNCT: &str = "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"";
    match PUNCT.find(c) {
        Some(i) if c.is_ascii() => Cow::Borrowed(&PUNCT[i..=i]),
        _ => Cow::Owned(c.to_string()),
    }
}

fn trees(g: &Group) -> Vec<TokenTree> {
    g.stream().into_iter().collect()
}

/// A literal's text, `None` when it holds a hidden character (`emit::neutralise` rewrites it).
fn literal_text(lit: &proc_macro2::Literal) -> Option<String> {
    let repr = lit.to_string();
    // Hidden characters are none of ASCII: most literals need no look at their characters.
    (repr.is_ascii() || !repr.contains(docs::is_hidden)).then_some(repr)
}

/// Whether `s` holds only printable ASCII (no hidden or control character), byte by byte.
fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Every literal in `ts` (an attribute's arguments) is printed as is: none holds a hidden
/// character.
fn clean_stream(ts: &TokenStream) -> bool {
    clean_trees(&ts.clone().into_iter().collect::<Vec<_>>())
}

/// [`clean_stream`] of tokens already read.
fn clean_trees(ts: &[TokenTree]) -> bool {
    ts.iter().all(|t| match t {
        TokenTree::Literal(l) => literal_text(l).is_some(),
        TokenTree::Group(g) => clean_stream(&g.stream()),
        _ => true,
    })
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

fn parse_item(cur: &mut Cur<'_>) -> Option<Item> {
    let attrs = parse_attrs(cur)?;
    let vis = parse_vis(cur)?;
    let kind = if cur.eat_ident("struct") {
        let ident = cur.ident()?;
        let fields = if let Some(g) = cur.group(Delimiter::Brace) {
            Fields::Named(parse_fields(&trees(g), true)?)
        } else if let Some(g) = cur.group(Delimiter::Parenthesis) {
            let f = Fields::Unnamed(parse_fields(&trees(g), false)?);
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
            variants: parse_variants(&trees(g))?,
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
        let g = cur.group(Delimiter::Brace)?;
        let body = trees(g);
        let mut inner = Cur::new(&body);
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
                    let (end, text) = verbatim_member(&body, start)?;
                    items.push(ImplItem::Verbatim(text));
                    inner.i = end;
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
            cur.i += 2;
            words.push("::".to_string());
        }
        loop {
            if cur.eat_punct('*') {
                words.push("*".to_string());
                break;
            }
            words.push(cur.ident()?);
            if cur.is_path_sep() {
                cur.i += 2;
                words.push("::".to_string());
            } else {
                if cur.eat_ident("as") {
                    words.push(" as ".to_string());
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

/// The member of an `impl` block's `body` that starts at `start`, printed by syn and
/// prettyplease ([`ImplItem::Verbatim`]), and the index after it: the shortest run of tokens
/// ending in `;` or a `{…}` group that syn parses as one member (as `print_raw` cuts items).
/// `None` when there is none, or prettyplease's text is not one member's lines.
fn verbatim_member(body: &[TokenTree], start: usize) -> Option<(usize, String)> {
    let mut end = start;
    while end < body.len() {
        let ends = match &body[end] {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        end += 1;
        if !ends {
            continue;
        }
        if let Some(text) = super::print_impl_member(&body[start..end]) {
            return Some((end, text));
        }
    }
    None
}

/// An item of an `impl` block: a function, a constant or a macro call.
fn parse_impl_item(cur: &mut Cur<'_>, attrs: Vec<Attr>, vis: Vis) -> Option<ImplItem> {
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
        if !matches!(cur.peek_at(n), Some(TokenTree::Ident(_))) {
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
fn parse_mac(cur: &mut Cur<'_>) -> Option<Mac> {
    let mut path = Vec::new();
    if cur.is_path_sep() {
        cur.i += 2;
        path.push("::".to_string());
    }
    let last = loop {
        let segment = cur.ident()?;
        path.push(segment.clone());
        if cur.is_path_sep() {
            cur.i += 2;
            path.push("::".to_string());
        } else {
            break segment;
        }
    };
    if !cur.eat_punct('!') || is_special_macro(&last) {
        return None;
    }
    let group = match cur.peek() {
        Some(TokenTree::Group(g))
            if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) =>
        {
            g
        }
        _ => return None,
    };
    cur.bump();
    if !cur.eat_punct(';') {
        return None;
    }
    let tokens = trees(group);
    if !clean_trees(&tokens) {
        return None;
    }
    if matches!(
        tokens.as_slice(),
        [TokenTree::Ident(i), TokenTree::Punct(p), ..] if i == "doc" && p.as_char() == '='
    ) {
        return None;
    }
    Some(Mac {
        path,
        delimiter: group.delimiter(),
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

fn parse_attrs(cur: &mut Cur<'_>) -> Option<Vec<Attr>> {
    let mut attrs = Vec::new();
    while cur.is_punct('#') {
        cur.bump();
        let g = cur.group(Delimiter::Bracket)?;
        attrs.push(parse_attr(&trees(g))?);
    }
    Some(attrs)
}

fn parse_attr(t: &[TokenTree]) -> Option<Attr> {
    let mut cur = Cur::new(t);
    let mut path = Vec::new();
    if cur.is_path_sep() {
        return None;
    }
    loop {
        path.push(cur.ident()?);
        if cur.is_path_sep() {
            cur.i += 2;
        } else {
            break;
        }
    }
    let meta = if cur.done() {
        Meta::Path
    } else if cur.is_alone('=') {
        cur.bump();
        if path.len() == 1 && path[0] == "doc" && cur.t.len() == cur.i + 1 {
            if let Some(TokenTree::Literal(lit)) = cur.peek() {
                let repr = lit.to_string();
                if repr.starts_with('"') || repr.starts_with("r\"") || repr.starts_with("r#") {
                    // A plain `"…"` with no escape is its own value: the text between the
                    // quotes, without a second `String`.
                    let (value, start) = if repr.len() >= 2
                        && repr.starts_with('"')
                        && repr.ends_with('"')
                        && !repr.contains('\\')
                    {
                        (repr, 1)
                    } else {
                        let mut v = string_value(&repr)?;
                        v.push(' ');
                        (v, 0)
                    };
                    let text = &value[start..value.len() - 1];
                    // What prettyplease prints as a `///` line, with nothing `neutralise` changes.
                    if text.starts_with('/')
                        || (!printable_ascii(text)
                            && text.contains(|c: char| docs::is_hidden(c) || c.is_control()))
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
        let TokenTree::Group(g) = cur.bump()? else {
            return None;
        };
        if !cur.done() || g.delimiter() == Delimiter::None || !clean_stream(&g.stream()) {
            return None;
        }
        Meta::List(g.delimiter(), g.stream())
    };
    if path.len() == 1 && path[0] == "doc" {
        // Other forms of doc attributes: prettyplease's own rules.
        return None;
    }
    Some(Attr::Other { path, meta })
}

fn parse_vis(cur: &mut Cur<'_>) -> Option<Vis> {
    if !cur.eat_ident("pub") {
        return Some(Vis::Inherited);
    }
    if let Some(TokenTree::Group(g)) = cur.peek() {
        if g.delimiter() == Delimiter::Parenthesis {
            let t = trees(g);
            if let [TokenTree::Ident(i)] = t.as_slice() {
                if i == "crate" || i == "super" || i == "self" {
                    cur.bump();
                    return Some(Vis::Restricted(i.to_string()));
                }
            }
            return None;
        }
    }
    Some(Vis::Pub)
}

/// Named (`a: T, …`) or unnamed (`T, …`) fields.
fn parse_fields(t: &[TokenTree], named: bool) -> Option<Vec<Field>> {
    let mut cur = Cur::new(t);
    let mut fields = Vec::new();
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

fn parse_variants(t: &[TokenTree]) -> Option<Vec<Variant>> {
    let mut cur = Cur::new(t);
    let mut variants = Vec::new();
    while !cur.done() {
        let attrs = parse_attrs(&mut cur)?;
        let ident = cur.ident()?;
        let fields = if let Some(g) = cur.group(Delimiter::Brace) {
            Fields::Named(parse_fields(&trees(g), true)?)
        } else if let Some(g) = cur.group(Delimiter::Parenthesis) {
            Fields::Unnamed(parse_fields(&trees(g), false)?)
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
fn parse_generics(cur: &mut Cur<'_>) -> Option<Vec<GParam>> {
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

fn parse_bounds(cur: &mut Cur<'_>) -> Option<Vec<Bound>> {
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

fn parse_path(cur: &mut Cur<'_>, style: PathStyle) -> Option<Path> {
    let leading_colon = cur.is_path_sep();
    if leading_colon {
        cur.i += 2;
    }
    let mut segments = Vec::new();
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
                let g = cur.group(Delimiter::Parenthesis)?;
                let t = trees(g);
                let mut inner = Cur::new(&t);
                let mut inputs = Vec::new();
                while !inner.done() {
                    inputs.push(parse_type(&mut inner)?);
                    if !inner.eat_punct(',') && !inner.done() {
                        return None;
                    }
                }
                let output = if cur.is_arrow() {
                    cur.i += 2;
                    Some(Box::new(parse_type(cur)?))
                } else {
                    None
                };
                Args::Paren(inputs, output)
            }
            PathStyle::Expr if cur.is_path_sep() && cur.punct_at(2, '<') => {
                cur.i += 3;
                Args::Angle(parse_generic_args(cur)?)
            }
            _ => Args::None,
        };
        segments.push(Segment { ident, args });
        if cur.is_path_sep() && !(style == PathStyle::Expr && cur.punct_at(2, '<')) {
            cur.i += 2;
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
fn parse_generic_args(cur: &mut Cur<'_>) -> Option<Vec<GArg>> {
    let mut args = Vec::new();
    loop {
        if cur.eat_punct('>') {
            break;
        }
        if let Some(l) = cur.lifetime() {
            args.push(GArg::Lifetime(l));
        } else if matches!(cur.peek(), Some(TokenTree::Ident(_)))
            && matches!(cur.peek_at(1), Some(TokenTree::Punct(p)) if p.as_char() == '=' && p.spacing() == Spacing::Alone)
        {
            let name = cur.ident()?;
            cur.bump();
            args.push(GArg::AssocType(name, parse_type(cur)?));
        } else {
            if matches!(
                cur.peek(),
                Some(TokenTree::Literal(_)) | Some(TokenTree::Group(_))
            ) && !cur.is_group(Delimiter::Parenthesis)
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

fn parse_type(cur: &mut Cur<'_>) -> Option<Ty> {
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
    if let Some(g) = cur.group(Delimiter::Bracket) {
        let t = trees(g);
        let mut inner = Cur::new(&t);
        let elem = parse_type(&mut inner)?;
        if !inner.done() {
            return None;
        }
        return Some(Ty::Slice(Box::new(elem)));
    }
    if let Some(g) = cur.group(Delimiter::Parenthesis) {
        let t = trees(g);
        let mut inner = Cur::new(&t);
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
    if cur.is_ident("fn")
        || cur.is_ident("_")
        || cur.is_ident("unsafe")
        || cur.is_ident("extern")
        || cur.is_ident("for")
    {
        return None;
    }
    if matches!(cur.peek(), Some(TokenTree::Ident(_))) || cur.is_path_sep() {
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
fn parse_qself(cur: &mut Cur<'_>, style: PathStyle) -> Option<(Box<Ty>, usize, Path)> {
    if !cur.eat_punct('<') {
        return None;
    }
    let ty = Box::new(parse_type(cur)?);
    let mut segments = Vec::new();
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
    cur.i += 2;
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
fn parse_fn(cur: &mut Cur<'_>, attrs: Vec<Attr>, vis: Vis) -> Option<ImplFn> {
    let constness = cur.eat_ident("const");
    let asyncness = cur.eat_ident("async");
    if !cur.eat_ident("fn") {
        return None;
    }
    let ident = cur.ident()?;
    let generics = parse_generics(cur)?;
    let g = cur.group(Delimiter::Parenthesis)?;
    let t = trees(g);
    let mut inner = Cur::new(&t);
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
        cur.i += 2;
        Some(parse_type(cur)?)
    } else {
        None
    };
    let body = cur.group(Delimiter::Brace)?;
    let stmts = parse_block(&trees(body))?;
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

fn parse_pat(cur: &mut Cur<'_>) -> Option<Pat> {
    if let Some(TokenTree::Literal(l)) = cur.peek() {
        cur.bump();
        return Some(Pat::Lit(literal_text(l)?));
    }
    if cur.is_ident("ref") || cur.is_ident("box") {
        return None;
    }
    if let Some(g) = cur.group(Delimiter::Parenthesis) {
        let t = trees(g);
        let mut inner = Cur::new(&t);
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
    if !matches!(cur.peek(), Some(TokenTree::Ident(_))) && !cur.is_path_sep() {
        return None;
    }
    let path = parse_path(cur, PathStyle::Expr)?;
    if cur.is_group(Delimiter::Parenthesis) && !mutable {
        let g = cur.group(Delimiter::Parenthesis)?;
        let t = trees(g);
        let mut inner = Cur::new(&t);
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

fn parse_block(t: &[TokenTree]) -> Option<Vec<Stmt>> {
    let mut cur = Cur::new(t);
    let mut stmts = Vec::new();
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
        for keyword in [
            "fn",
            "struct",
            "enum",
            "impl",
            "use",
            "static",
            "const",
            "type",
            "mod",
            "trait",
            "pub",
            "extern",
            "unsafe",
            "macro_rules",
        ] {
            if cur.is_ident(keyword) {
                return None;
            }
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

/// Comma-separated expressions filling `t`.
fn parse_exprs(t: &[TokenTree]) -> Option<Vec<Expr>> {
    let mut cur = Cur::new(t);
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
fn parse_expr(cur: &mut Cur<'_>, structs: bool) -> Option<Expr> {
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
            match cur.peek_at(1) {
                Some(TokenTree::Ident(i)) if i == "await" => {
                    cur.i += 2;
                    e = Expr::Await(Box::new(e));
                }
                Some(TokenTree::Ident(_)) => {
                    cur.bump();
                    let name = cur.ident()?;
                    let turbofish = if cur.is_path_sep() && cur.punct_at(2, '<') {
                        cur.i += 3;
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
                            args: parse_exprs(&trees(g))?,
                        };
                    } else {
                        if turbofish.is_some() || !receiver_ok(&e) {
                            return None;
                        }
                        e = Expr::Field(Box::new(e), name);
                    }
                }
                _ => return None,
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
            e = Expr::Call(Box::new(e), parse_exprs(&trees(g))?);
        } else if cur.is_group(Delimiter::Bracket) || cur.is_punct('.') {
            return None;
        } else {
            break;
        }
    }
    if matches!(cur.peek(), Some(TokenTree::Ident(i)) if i == "as") {
        return None;
    }
    Some(e)
}

/// Expressions prettyplease prints as a method receiver without parentheses (and no
/// statement-position fix-ups), as far as this printer is concerned.
fn receiver_ok(e: &Expr) -> bool {
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

fn parse_primary(cur: &mut Cur<'_>, structs: bool) -> Option<Expr> {
    match cur.peek()? {
        TokenTree::Literal(l) => {
            cur.bump();
            Some(Expr::Lit(literal_text(l)?))
        }
        TokenTree::Group(g) => match g.delimiter() {
            Delimiter::Bracket => {
                cur.bump();
                let t = trees(g);
                if t.iter()
                    .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
                {
                    return None;
                }
                let elems = parse_exprs(&t)?;
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
                cur.bump();
                let t = trees(g);
                let elems = parse_exprs(&t)?;
                let trailing = matches!(t.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',');
                if elems.len() == 1 && !trailing {
                    return None;
                }
                Some(Expr::Tuple(elems))
            }
            _ => None,
        },
        TokenTree::Punct(p) if p.as_char() == '<' => {
            let (ty, position, path) = parse_qself(cur, PathStyle::Expr)?;
            Some(Expr::QPath(ty, position, path))
        }
        TokenTree::Punct(p) if p.as_char() == ':' => parse_path_expr(cur, structs),
        TokenTree::Punct(p) if p.as_char() == '|' => parse_closure(cur, structs),
        TokenTree::Punct(_) => None,
        TokenTree::Ident(i) => {
            if i == "true" || i == "false" {
                cur.bump();
                return Some(Expr::Lit(i.to_string()));
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
                return Some(Expr::Match(Box::new(scrutinee), parse_arms(&trees(g))?));
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
                    then: parse_block(&trees(g))?,
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
            for keyword in [
                "loop", "while", "for", "break", "continue", "async", "move", "unsafe", "let",
                "const", "static", "box", "yield", "become", "try", "in",
            ] {
                if i == keyword {
                    return None;
                }
            }
            parse_path_expr(cur, structs)
        }
    }
}

/// `|a, b| body` or `move |…| body`.
fn parse_closure(cur: &mut Cur<'_>, structs: bool) -> Option<Expr> {
    let capture = cur.eat_ident("move");
    let mut inputs = Vec::new();
    if cur.joint_at(0, '|') && cur.punct_at(1, '|') {
        cur.i += 2;
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

fn parse_path_expr(cur: &mut Cur<'_>, structs: bool) -> Option<Expr> {
    let path = parse_path(cur, PathStyle::Expr)?;
    if cur.is_punct('!') {
        return None;
    }
    if structs && cur.is_group(Delimiter::Brace) {
        let g = cur.group(Delimiter::Brace)?;
        let t = trees(g);
        let mut inner = Cur::new(&t);
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

fn parse_arms(t: &[TokenTree]) -> Option<Vec<Arm>> {
    let mut cur = Cur::new(t);
    let mut arms = Vec::new();
    while !cur.done() {
        if cur.is_punct('#') {
            return None;
        }
        let pat = parse_pat(&mut cur)?;
        if !cur.is_fat_arrow() {
            return None;
        }
        cur.i += 2;
        let body = if let Some(g) = cur.group(Delimiter::Brace) {
            // `{ … }` as the whole body (a block), unless something follows it.
            if !(cur.done()
                || cur.is_punct(',')
                || !matches!(cur.peek(), Some(TokenTree::Punct(_))))
            {
                return None;
            }
            if cur.is_punct(',') {
                // syn reads `=> {…},` as a block body followed by a comma.
                cur.bump();
            }
            let mut stmts = parse_block(&trees(g))?;
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

fn short_ident(e: &Expr) -> bool {
    // `is_short_ident`
    matches!(e, Expr::Path(p) if !p.leading_colon && p.segments.len() == 1
        && matches!(p.segments[0].args, Args::None)
        && p.segments[0].ident.len() as isize <= INDENT)
}

fn needs_newline_if_wrap(e: &Expr) -> bool {
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

fn is_blocklike(e: &Expr) -> bool {
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

    fn f_item(&mut self, item: &'a Item) {
        match &item.kind {
            ItemKind::Struct { ident, fields } => {
                // item_struct
                self.f_attrs(&item.attrs);
                self.cbox(INDENT);
                self.f_vis(&item.vis);
                self.word("struct ");
                self.word(ident.as_str());
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
                self.word(ident.as_str());
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
                    self.word(w.as_str());
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
                self.word(ident.as_str());
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
        attrs: &'a [Attr],
        vis: &'a Vis,
        keyword: &'static str,
        ident: &'a str,
        ty: &'a Ty,
        expr: &'a Expr,
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
    fn f_mac(&mut self, mac: &'a Mac) {
        for w in &mac.path {
            self.word(w.as_str());
        }
        self.word("!");
        let (open, close) = if mac.delimiter == Delimiter::Bracket {
            ("[", "]")
        } else {
            ("(", ")")
        };
        self.word(open);
        if !mac.tokens.is_empty() {
            self.cbox(INDENT);
            self.zerobreak();
            self.ibox(0);
            self.f_macro_tokens(&mac.tokens);
            self.end();
            self.zerobreak();
            self.offset(-INDENT);
            self.end();
        }
        self.word(close);
        self.word(";");
    }

    /// macro_rules_tokens, outside a `macro_rules!` matcher.
    fn f_macro_tokens(&mut self, stream: &[TokenTree]) {
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
        for tt in stream {
            // An identifier's or literal's text, made once for the look and the word.
            let text = match tt {
                TokenTree::Ident(i) => i.to_string(),
                TokenTree::Literal(l) => l.to_string(),
                _ => String::new(),
            };
            let (needs_space, next_state) = match (&state, tt) {
                (Dollar, TokenTree::Ident(ident)) if ident == "crate" => (false, DollarCrate),
                (Dollar, TokenTree::Ident(_)) => (false, Other),
                (DollarParen, TokenTree::Punct(p))
                    if p.spacing() == Spacing::Alone && matches!(p.as_char(), '+' | '*' | '?') =>
                {
                    (false, Other)
                }
                (DollarParen, TokenTree::Ident(_) | TokenTree::Literal(_)) => {
                    (false, DollarParenSep)
                }
                (DollarParen, TokenTree::Punct(p)) if p.spacing() == Spacing::Joint => {
                    (false, DollarParen)
                }
                (DollarParen, TokenTree::Punct(_)) => (false, DollarParenSep),
                (DollarParenSep, TokenTree::Punct(p)) if matches!(p.as_char(), '+' | '*') => {
                    (false, Other)
                }
                (Pound, TokenTree::Punct(p)) if p.as_char() == '!' => (false, PoundBang),
                (Dollar, TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    (false, DollarParen)
                }
                (Pound | PoundBang, TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
                    (false, Other)
                }
                (Ident, TokenTree::Group(g))
                    if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) =>
                {
                    (false, Delim)
                }
                (Ident, TokenTree::Punct(p))
                    if p.as_char() == '!' && p.spacing() == Spacing::Alone =>
                {
                    (false, IdentBang)
                }
                (IdentBang, TokenTree::Group(g))
                    if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) =>
                {
                    (false, Other)
                }
                (Colon, TokenTree::Punct(p)) if p.as_char() == ':' => (false, Colon2),
                (_, TokenTree::Group(g))
                    if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) =>
                {
                    (true, Delim)
                }
                (_, TokenTree::Group(_)) => (true, Other),
                (_, TokenTree::Ident(_)) if !is_keyword(&text) => {
                    (state != Dot && state != Colon2, Ident)
                }
                (_, TokenTree::Literal(_)) if text.ends_with('.') => (state != Dot, Other),
                (_, TokenTree::Literal(_)) => (state != Dot, Ident),
                (_, TokenTree::Punct(p)) if matches!(p.as_char(), ',' | ';') => (false, Other),
                (_, TokenTree::Punct(p)) if p.as_char() == '.' => {
                    (state != Ident && state != Delim, Dot)
                }
                (_, TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint => {
                    (state != Ident && state != DollarCrate, Colon)
                }
                (_, TokenTree::Punct(p)) if p.as_char() == '$' => (true, Dollar),
                (_, TokenTree::Punct(p)) if p.as_char() == '#' => (true, Pound),
                (_, _) => (true, Other),
            };
            if !previous_is_joint {
                if needs_space {
                    self.space();
                } else if matches!(&tt, TokenTree::Punct(p) if p.as_char() == '.') {
                    self.zerobreak();
                }
            }
            previous_is_joint = matches!(&tt, TokenTree::Punct(p) if p.spacing() == Spacing::Joint || p.as_char() == '$');
            // single_token
            match tt {
                TokenTree::Group(g) => {
                    let delimiter = g.delimiter();
                    let stream = g.stream();
                    let (open, close) = match delimiter {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("", ""),
                    };
                    if !open.is_empty() {
                        self.word(open);
                    }
                    if !stream.is_empty() {
                        if delimiter == Delimiter::Brace {
                            self.space();
                        }
                        self.f_macro_tokens(&stream.into_iter().collect::<Vec<_>>());
                        if delimiter == Delimiter::Brace {
                            self.space();
                        }
                    }
                    if !close.is_empty() {
                        self.word(close);
                    }
                }
                TokenTree::Ident(_) | TokenTree::Literal(_) => self.word(text),
                TokenTree::Punct(p) => self.word(char_word(p.as_char())),
            }
            state = next_state;
        }
    }

    fn f_attrs(&mut self, attrs: &'a [Attr]) {
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
                        Meta::List(delimiter, tokens) => {
                            let group = Group::new(*delimiter, tokens.clone());
                            self.f_attr_tokens(TokenStream::from(TokenTree::Group(group)));
                        }
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

    fn f_simple_path(&mut self, path: &'a [String]) {
        for (i, segment) in path.iter().enumerate() {
            if i > 0 {
                self.word("::");
            }
            self.word(segment.as_str());
        }
    }

    /// attr_tokens
    fn f_attr_tokens(&mut self, tokens: TokenStream) {
        #[derive(PartialEq)]
        enum State {
            Word,
            Punct,
            TrailingComma,
        }
        use State::{Punct, TrailingComma, Word};

        let mut stack = Vec::new();
        stack.push((tokens.into_iter().peekable(), Delimiter::None));
        let mut space = Self::nbsp as fn(&mut Self);
        let mut state = Word;

        while let Some((tokens, delimiter)) = stack.last_mut() {
            match tokens.next() {
                Some(TokenTree::Ident(ident)) => {
                    if let Word = state {
                        space(self);
                    }
                    self.word(ident.to_string());
                    state = Word;
                }
                Some(TokenTree::Punct(punct)) => {
                    let ch = punct.as_char();
                    if let (Word, '=') = (&state, ch) {
                        self.nbsp();
                    }
                    if ch == ',' && tokens.peek().is_none() {
                        self.trailing_comma(true);
                        state = TrailingComma;
                    } else {
                        self.word(char_word(ch));
                        if ch == '=' {
                            self.nbsp();
                        } else if ch == ',' {
                            space(self);
                        }
                        state = Punct;
                    }
                }
                Some(TokenTree::Literal(literal)) => {
                    if let Word = state {
                        space(self);
                    }
                    self.word(literal.to_string());
                    state = Word;
                }
                Some(TokenTree::Group(group)) => {
                    let delimiter = group.delimiter();
                    let stream = group.stream();
                    match delimiter {
                        Delimiter::Parenthesis => {
                            self.word("(");
                            self.cbox(INDENT);
                            self.zerobreak();
                            state = Punct;
                        }
                        Delimiter::Brace => {
                            self.word("{");
                            state = Punct;
                        }
                        Delimiter::Bracket => {
                            self.word("[");
                            state = Punct;
                        }
                        Delimiter::None => {}
                    }
                    stack.push((stream.into_iter().peekable(), delimiter));
                    space = Self::space;
                }
                None => {
                    match delimiter {
                        Delimiter::Parenthesis => {
                            if state != TrailingComma {
                                self.zerobreak();
                            }
                            self.offset(-INDENT);
                            self.end();
                            self.word(")");
                            state = Punct;
                        }
                        Delimiter::Brace => {
                            self.word("}");
                            state = Punct;
                        }
                        Delimiter::Bracket => {
                            self.word("]");
                            state = Punct;
                        }
                        Delimiter::None => {}
                    }
                    stack.pop();
                    if stack.is_empty() {
                        space = Self::nbsp;
                    }
                }
            }
        }
    }

    fn f_vis(&mut self, vis: &'a Vis) {
        match vis {
            Vis::Inherited => {}
            Vis::Pub => self.word("pub "),
            Vis::Restricted(path) => {
                self.word("pub(");
                self.word(path.as_str());
                self.word(") ");
            }
        }
    }

    fn f_field(&mut self, field: &'a Field) {
        self.f_attrs(&field.attrs);
        self.f_vis(&field.vis);
        if let Some(ident) = &field.ident {
            self.word(ident.as_str());
            self.word(": ");
        }
        self.f_ty(&field.ty);
    }

    fn f_fields_unnamed(&mut self, fields: &'a [Field]) {
        self.word("(");
        self.zerobreak();
        for (i, field) in fields.iter().enumerate() {
            self.f_field(field);
            self.trailing_comma(i + 1 == fields.len());
        }
        self.offset(-INDENT);
        self.word(")");
    }

    fn f_variant(&mut self, variant: &'a Variant) {
        self.f_attrs(&variant.attrs);
        self.word(variant.ident.as_str());
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

    fn f_generics(&mut self, params: &'a [GParam]) {
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
                    self.word(name.as_str());
                    for (j, b) in bounds.iter().enumerate() {
                        self.word(if j == 0 { ": " } else { " + " });
                        self.word(b.as_str());
                    }
                }
                GParam::Type { ident, bounds } => {
                    self.word(ident.as_str());
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

    fn f_bound(&mut self, bound: &'a Bound) {
        match bound {
            Bound::Lifetime(l) => self.word(l.as_str()),
            Bound::Trait(path) => self.f_path(path, PathStyle::Type),
        }
    }

    fn f_path(&mut self, path: &'a Path, style: PathStyle) {
        for (i, segment) in path.segments.iter().enumerate() {
            if i > 0 || path.leading_colon {
                self.word("::");
            }
            self.f_segment(segment, style);
        }
    }

    fn f_segment(&mut self, segment: &'a Segment, style: PathStyle) {
        self.word(segment.ident.as_str());
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

    fn f_angle_args(&mut self, args: &'a [GArg], style: PathStyle) {
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
                GArg::Lifetime(l) => self.word(l.as_str()),
                GArg::Type(ty) => self.f_ty(ty),
                GArg::AssocType(name, ty) => {
                    self.word(name.as_str());
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
    fn f_qpath(&mut self, ty: &'a Ty, position: usize, path: &'a Path, style: PathStyle) {
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

    fn f_ty(&mut self, ty: &'a Ty) {
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
                    self.word(l.as_str());
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
    fn f_fn(&mut self, f: &'a ImplFn) {
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
        self.word(f.ident.as_str());
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
                            self.word(l.as_str());
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

    fn f_pat(&mut self, pat: &'a Pat) {
        match pat {
            Pat::Path { mutable, path } => {
                if *mutable {
                    self.word("mut ");
                }
                self.f_path(path, PathStyle::Expr);
            }
            Pat::Lit(l) => self.word(l.as_str()),
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

    fn f_stmts(&mut self, stmts: &'a [Stmt]) {
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
    fn f_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Path(path) => self.f_path(path, PathStyle::Expr),
            Expr::QPath(ty, position, path) => {
                self.f_qpath(ty, *position, path, PathStyle::Expr);
            }
            Expr::Lit(l) => self.word(l.as_str()),
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
                self.word(*op);
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
                    self.word(member.as_str());
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
    fn f_expr_bol(&mut self, e: &'a Expr, bol: bool) {
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
    fn f_prefix_subexpr(&mut self, e: &'a Expr, bol: bool) {
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
                        self.word(member.as_str());
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
    fn f_prefix_method_call(&mut self, e: &'a Expr, bol: bool, unindent_call_args: bool) {
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
        self.word(method.as_str());
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
    fn f_call_args(&mut self, args: &'a [Expr]) {
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
    fn f_arm(&mut self, arm: &'a Arm) {
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
