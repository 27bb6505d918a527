//! Every Rust identifier the back end emits is made here, once, before any code is generated.
//!
//! The pipeline for one name is: split the wire name into words (any character that is not an
//! ASCII letter or digit separates words; non-ASCII characters are dropped), case the words with
//! `heck`, make the result a valid identifier (leading digit → prefix, keyword → raw identifier
//! or `_` suffix, empty → fallback), then resolve collisions within the namespace the identifier
//! lives in. Collisions are resolved deterministically: a [`ir::Name::Given`] beats a
//! [`ir::Name::Derived`], then a wire name spelled exactly as the identifier beats one that was
//! converted, remaining ties go in sorted order of the wire name (derived names: in the order
//! the front end made them; front ends neither case nor number names), and the losers get
//! the suffixes `2`, `3`, … (docs/generated-code.md, "Naming").

use std::borrow::Cow;
use std::collections::HashMap;

use crate::load::{FastMap, FastSet};

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, Span};

use crate::ir;

/// Strict and reserved keywords of Rust 2015–2024 that can be written as raw identifiers.
fn is_raw_keyword(name: &str) -> bool {
    matches!(
        name,
        "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
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
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// Keywords that cannot be raw identifiers: they get a `_` suffix.
fn is_suffix_keyword(name: &str) -> bool {
    matches!(name, "self" | "Self" | "super" | "crate" | "_")
}

/// Type-namespace names the generated modules use unqualified; a generated type or builder must
/// not shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Some", "None", "String", "Vec", "Box", "Result", "Ok", "Err", "BTreeMap", "From",
    "Into", "ToString",
];

/// Turns a Rust spelling (`r#type`, `pet_id`) into an [`Ident`].
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Calls `word` with each word of `text`, in order, and whether it is the first of its
/// segment, with the words split as `heck` splits ASCII text (`heck::transform`): segments are
/// the runs of ASCII letters and digits (so any other character, non-ASCII ones included,
/// separates words), each cut after a lower-case letter followed by an upper-case one (a digit
/// carries the case of the letter before it: `a1B` → `a1`, `B`) and before the last of a run
/// of upper-case letters followed by a lower-case one (`HTTPServer` → `HTTP`, `Server`). A
/// segment without an upper-case letter is one word.
///
/// For ASCII text this is `heck`'s split exactly (unit test `ascii_casing_is_hecks`); the
/// casings below use it instead of `heck`, which formats every character through `fmt` (about
/// 2,000 instructions a word).
fn ascii_words(text: &str, mut word: impl FnMut(&str, bool)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut upper = false;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            upper |= bytes[i].is_ascii_uppercase();
            i += 1;
        }
        // Both ends are at an ASCII byte (or the end): character boundaries.
        let seg = &text[start..i];
        if !upper {
            word(seg, true);
            continue;
        }
        let seg_bytes = seg.as_bytes();
        let mut init = 0;
        let mut first = true;
        let mut mode = Mode::Boundary;
        for (j, &c) in seg_bytes.iter().enumerate() {
            let Some(&next) = seg_bytes.get(j + 1) else {
                word(&seg[init..], first);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(&seg[init..=j], first);
                first = false;
                init = j + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&seg[init..j], first);
                first = false;
                init = j;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

/// Appends `word` to `out` after a `_` (unless `out` is empty), in upper or lower case.
fn push_snake_word(out: &mut String, word: &str, upper: bool) {
    if !out.is_empty() {
        out.push('_');
    }
    let at = out.len();
    out.push_str(word);
    if upper {
        out[at..].make_ascii_uppercase();
    } else {
        out[at..].make_ascii_lowercase();
    }
}

/// `UpperCamelCase`, keeping a `_` between two digits that were separated on the wire
/// (`1.0` → `1_0`, so that `V1_0` stays readable).
fn camel_words(wire: &str) -> String {
    // Never longer than `wire`: a `_` between digits takes the place of a separator.
    let mut out = String::with_capacity(wire.len());
    camel_words_into(wire, &mut out);
    out
}

/// [`camel_words`] of `wire` appended to `out` (the `_` between digits is decided within
/// `wire` alone). Each segment (ASCII letters and digits) is cased as `heck`'s
/// `to_upper_camel_case` cases it: every word capitalised.
fn camel_words_into(wire: &str, out: &mut String) {
    let start = out.len();
    ascii_words(wire, |w, starts_segment| {
        // A segment's casing starts with its first character, upper-cased.
        if starts_segment
            && w.as_bytes()[0].is_ascii_digit()
            && out.len() > start
            && out.as_bytes()[out.len() - 1].is_ascii_digit()
        {
            out.push('_');
        }
        let at = out.len();
        out.push_str(w);
        out[at..].make_ascii_lowercase();
        out[at..at + 1].make_ascii_uppercase();
    });
}

/// `snake_case` of a wire name: `heck`'s `to_snake_case` of its ASCII alphanumeric segments
/// joined with spaces.
fn snake_words(wire: &str) -> String {
    let mut out = String::with_capacity(snake_capacity(wire));
    snake_words_into(wire, &mut out);
    out
}

/// Room for the snake case of `wire` in most cases: a word split inside a segment adds a `_`.
fn snake_capacity(wire: &str) -> usize {
    wire.len() + wire.len() / 2 + 1
}

/// [`snake_words`] of `wire` appended to `out`, with a `_` before its first word when `out` is
/// not empty.
fn snake_words_into(wire: &str, out: &mut String) {
    ascii_words(wire, |w, _| push_snake_word(out, w, false));
}

/// Makes a cased candidate a valid identifier.
fn finish(cased: String, digit_prefix: &str, fallback: &str) -> String {
    let name = if cased.is_empty() {
        fallback.to_string()
    } else if cased.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{cased}")
    } else {
        cased
    };
    if is_suffix_keyword(&name) {
        format!("{name}_")
    } else if is_raw_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Type name (`pet-owner` → `PetOwner`, `3dSecure` → `T3dSecure`).
pub(crate) fn type_name(name: &ir::Name) -> String {
    let cased = match name {
        ir::Name::Given(s) => camel_words(s),
        ir::Name::Derived(parts) => {
            let mut out = String::with_capacity(parts.iter().map(String::len).sum());
            for p in parts {
                camel_words_into(p, &mut out);
            }
            out
        }
    };
    finish(cased, "T", "Type")
}

/// [`type_name`], taking the casing of each part of a derived name from `parts` (or casing it
/// there): the parts repeat from name to name (an inline schema's name starts with its
/// parent's), and a part is cased alone.
fn type_name_memo<'a>(name: &'a ir::Name, parts: &mut FastMap<&'a str, String>) -> String {
    match name {
        ir::Name::Given(_) => type_name(name),
        ir::Name::Derived(ps) => {
            let mut out = String::with_capacity(ps.iter().map(String::len).sum());
            for p in ps {
                out.push_str(parts.entry(p.as_str()).or_insert_with(|| camel_words(p)));
            }
            finish(out, "T", "Type")
        }
    }
}

/// Enum variant for a string value (`in-progress` → `InProgress`, `1.0` → `V1_0`).
pub(crate) fn variant_name(wire: &str) -> String {
    finish(camel_words(wire), "V", "Value")
}

/// Field, parameter, method or setter name (`petId` → `pet_id`, `type` → `r#type`).
pub(crate) fn snake_name(wire: &str) -> String {
    finish(snake_words(wire), "_", "value")
}

/// Operation method name; derived parts are joined with `_`.
pub(crate) fn method_name(name: &ir::Name) -> String {
    // The parts of a derived name are cased as if joined with spaces.
    let mut out = String::with_capacity(match name {
        ir::Name::Given(s) => snake_capacity(s),
        ir::Name::Derived(parts) => parts.iter().map(|p| snake_capacity(p) + 1).sum(),
    });
    match name {
        ir::Name::Given(s) => snake_words_into(s, &mut out),
        ir::Name::Derived(parts) => {
            for p in parts {
                snake_words_into(p, &mut out);
            }
        }
    }
    finish(out, "_", "operation")
}

/// `SHOUTY_SNAKE_CASE` for statics, from an already valid snake identifier.
pub(crate) fn static_name(snake: &str) -> String {
    let bare = snake.strip_prefix("r#").unwrap_or(snake);
    let upper = if bare.is_ascii() {
        let mut upper = String::with_capacity(snake_capacity(bare));
        ascii_words(bare, |w, _| push_snake_word(&mut upper, w, true));
        upper
    } else {
        // A renamed method may be any identifier: `heck` cases what is not ASCII.
        bare.to_shouty_snake_case()
    };
    let upper = if upper.is_empty() {
        "VALUE".to_string()
    } else {
        upper
    };
    if upper.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{upper}")
    } else {
        upper
    }
}

/// One name to place in a namespace.
#[derive(Debug, Clone)]
pub(crate) struct Candidate<'a> {
    /// The identifier after casing and escaping.
    pub(crate) name: String,
    /// `true` for a [`ir::Name::Given`] (or any name that came from the document verbatim).
    pub(crate) given: bool,
    /// The wire name, for ordering ties.
    pub(crate) wire: Cow<'a, str>,
}

impl<'a> Candidate<'a> {
    /// A document-given name.
    pub(crate) fn given(name: String, wire: impl Into<Cow<'a, str>>) -> Self {
        Candidate {
            name,
            given: true,
            wire: wire.into(),
        }
    }
}

fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Resolves collisions in one namespace. Returns one final name per candidate, in input order.
/// `reserved` names are never handed out (they are taken by the generated code itself).
pub(crate) fn resolve(cands: &[Candidate], reserved: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = cands.iter().map(|c| c.name.clone()).collect();
    for (idx, name) in renumbered(cands, reserved) {
        out[idx] = name;
    }
    out
}

/// [`resolve`], taking the candidates' names instead of copying them; also returns the wanted
/// name of each candidate that had to take another, by candidate index in increasing order.
fn resolve_owned(cands: Vec<Candidate>, reserved: &[&str]) -> (Vec<String>, Vec<(usize, String)>) {
    let changes = renumbered(&cands, reserved);
    let mut out: Vec<String> = cands.into_iter().map(|c| c.name).collect();
    let mut wanted: Vec<(usize, String)> = changes
        .into_iter()
        .map(|(idx, name)| (idx, std::mem::replace(&mut out[idx], name)))
        .collect();
    wanted.sort_unstable_by_key(|w| w.0);
    (out, wanted)
}

/// Whether two candidates want one name, or one wants a reserved name (the case
/// [`renumbered`] has to order; without it every candidate keeps its name).
fn clashes(cands: &[Candidate], reserved: &[&str]) -> bool {
    if cands.len() <= 16 {
        // Few names (most parameter lists): comparing them is cheaper than hashing them.
        return cands.iter().enumerate().any(|(i, c)| {
            let name = bare(&c.name);
            reserved.contains(&name) || cands[..i].iter().any(|o| bare(&o.name) == name)
        });
    }
    let mut seen: FastSet<&str> =
        FastSet::with_capacity_and_hasher(cands.len(), Default::default());
    cands.iter().any(|c| !seen.insert(bare(&c.name))) || reserved.iter().any(|r| seen.contains(r))
}

/// The names that collisions change, as (candidate index, final name), in the order the
/// candidates are placed.
fn renumbered(cands: &[Candidate], reserved: &[&str]) -> Vec<(usize, String)> {
    if !clashes(cands, reserved) {
        return Vec::new();
    }
    // Every unsuffixed candidate name is spoken for, so a suffixed loser can't steal one; a
    // name wanted once and not reserved is never taken, so its candidate keeps it and only the
    // others need placing (in the same order among themselves as among all).
    let mut wanted: FastMap<&str, bool> =
        FastMap::with_capacity_and_hasher(cands.len(), Default::default());
    for c in cands {
        wanted
            .entry(bare(&c.name))
            .and_modify(|once| *once = false)
            .or_insert(true);
    }
    for r in reserved {
        if let Some(once) = wanted.get_mut(r) {
            *once = false;
        }
    }
    // Looked up only, never iterated: the order below decides who gets which name.
    let mut taken: FastSet<Cow<str>> = reserved.iter().map(|s| Cow::Borrowed(*s)).collect();
    // Among equals, a name the document spelled exactly so (`get_thing` beside `getThing`) wins;
    // then given names in sorted order of their wire names, derived ones in the order the front
    // end made them (document order: the first inline schema met keeps the plain name). The
    // index makes every key distinct.
    let mut order: Vec<(&str, bool, bool, &str, usize)> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| !wanted.get(bare(&c.name)).copied().unwrap_or(false))
        .map(|(idx, c)| {
            let name = bare(&c.name);
            let wire: &str = if c.given { &c.wire } else { "" };
            (name, !c.given, c.wire != name, wire, idx)
        })
        .collect();
    order.sort_unstable();
    let mut changes = Vec::new();
    // Next suffix to try per base: every smaller suffix was found taken or wanted, and both sets
    // only grow, so probing resumes there (many losers on one base stay linear, not quadratic).
    let mut next_suffix: FastMap<&str, u64> = FastMap::default();
    for (key, _, _, _, idx) in order {
        if taken.insert(Cow::Borrowed(key)) {
            continue;
        }
        let base = key.trim_end_matches('_');
        let n = next_suffix.entry(base).or_insert(2);
        loop {
            let next = format!("{base}{n}");
            *n += 1;
            if !taken.contains(next.as_str()) && !wanted.contains_key(next.as_str()) {
                taken.insert(Cow::Owned(next.clone()));
                changes.push((idx, next));
                break;
            }
        }
    }
    changes
}

/// Names of one operation's items.
#[derive(Debug, Clone)]
pub(crate) struct OpNames {
    /// `Client` method (`get_pet_by_id`).
    pub(crate) method: String,
    /// Builder struct (`GetPetById`).
    pub(crate) builder: String,
    /// Error body enum (`GetPetByIdErrorBody`), for an operation with several error body types.
    pub(crate) error: String,
    /// `static` OperationSpec (`GET_PET_BY_ID`).
    pub(crate) spec: String,
    /// Enum of the success responses, when several with different bodies are declared
    /// (`CreatePetResponse`, in the operations module).
    pub(crate) success: String,
    /// Struct of the typed headers its success responses declare (`ListPetsHeaders`, in the
    /// operations module).
    pub(crate) headers: String,
    /// Builder field / argument / setter per parameter.
    pub(crate) params: Vec<String>,
}

/// Names of one security scheme's items.
#[derive(Debug, Clone)]
pub(crate) struct SchemeNames {
    /// `ClientBuilder` setter.
    pub(crate) setter: String,
    /// `static` SecurityScheme in the client module.
    pub(crate) spec: String,
    /// `ClientBuilder` setter for the OAuth 2.0 client-credentials flow.
    pub(crate) client_credentials: Option<String>,
    /// `ClientBuilder` setter for the OAuth 2.0 refresh-token flow.
    pub(crate) refresh_token: Option<String>,
    /// `ClientBuilder` setter taking a token provider (bearer and OAuth 2.0 schemes).
    pub(crate) token_provider: Option<String>,
}

/// The token-source setters a scheme gets besides its own: `<scheme>_client_credentials` (an
/// OAuth 2.0 scheme with a client-credentials flow), `<scheme>_refresh_token` (one with a flow
/// that hands out refresh tokens), `<scheme>_token_provider` (bearer and OAuth 2.0).
fn scheme_extras(kind: &ir::SecurityKind) -> Vec<&'static str> {
    match kind {
        ir::SecurityKind::Bearer => vec!["token_provider"],
        ir::SecurityKind::OAuth2 { flows } => {
            let mut out = Vec::new();
            if flows
                .iter()
                .any(|f| f.kind == ir::OAuthFlowKind::ClientCredentials)
            {
                out.push("client_credentials");
            }
            if flows
                .iter()
                .any(|f| f.kind != ir::OAuthFlowKind::ClientCredentials)
            {
                out.push("refresh_token");
            }
            out.push("token_provider");
            out
        }
        _ => Vec::new(),
    }
}

/// Every identifier of a generated crate, by IR position.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    /// Per [`ir::TypeId`].
    pub(crate) types: Vec<String>,
    /// Per type, per struct field (empty for non-structs).
    pub(crate) fields: Vec<Shared>,
    /// Per type, the flattened map field for `additionalProperties`.
    pub(crate) additional: Vec<String>,
    /// Per type, per enum value or union alternative.
    pub(crate) variants: Vec<Shared>,
    /// Per operation.
    pub(crate) ops: Vec<OpNames>,
    /// Per security scheme.
    pub(crate) schemes: Vec<SchemeNames>,
    /// The webhook enum (in the types module; empty when the API has no webhooks).
    pub(crate) webhook: String,
    /// Per webhook, its variant of the webhook enum; the fallback variant's name last.
    pub(crate) webhook_variants: Vec<String>,
    /// The types whose name a collision changed: (type index, the name it wanted), by index.
    pub(crate) types_renumbered: Vec<(usize, String)>,
    /// The operations whose method name a collision changed: (operation index, the name it
    /// wanted), by index.
    pub(crate) methods_renumbered: Vec<(usize, String)>,
}

/// A type's member names, shared with every other type whose member list is the same (Stripe's
/// 2,270 string enums hold 433 distinct value lists).
#[derive(Debug, Clone, Default)]
pub(crate) struct Shared(Option<std::sync::Arc<[String]>>);

impl std::ops::Deref for Shared {
    type Target = [String];

    fn deref(&self) -> &[String] {
        self.0.as_deref().unwrap_or_default()
    }
}

impl<'a> IntoIterator for &'a Shared {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl From<Vec<String>> for Shared {
    fn from(names: Vec<String>) -> Self {
        // No allocation for the many types without members.
        Shared((!names.is_empty()).then(|| names.into()))
    }
}

/// Field name of the request body on builders.
pub(crate) const BODY_FIELD: &str = "body";

/// The user's renames (`--rename`, `[rename]`): document name → Rust identifier.
#[derive(Debug, Clone, Default)]
pub(crate) struct Renames {
    /// By operation name (`operationId`).
    pub(crate) operations: HashMap<String, String>,
    /// By type name.
    pub(crate) types: HashMap<String, String>,
    /// By (type name, field wire name).
    pub(crate) fields: HashMap<(String, String), String>,
}

/// Computes all names of `api`.
#[cfg(test)]
pub(crate) fn compute(api: &ir::Api) -> Names {
    compute_renamed(api, &Renames::default())
}

/// Computes all names of `api`, with the user's renames: a renamed item takes its name before
/// any other (it counts as given and spelled exactly; a collision with it numbers the other).
///
/// The type names are made on a second thread (when printing may use more than one,
/// `SDKWRIGHT_THREADS`) while this one names the members; identical member lists (Stripe's
/// 2,270 string enums hold 433 distinct value lists; structs repeat their field lists) are
/// named once: [`resolve`] depends only on the candidates.
pub(crate) fn compute_renamed(api: &ir::Api, renames: &Renames) -> Names {
    let type_names = || {
        let mut parts = FastMap::default();
        let mut type_cands: Vec<Candidate> = api
            .types
            .iter()
            .map(|t| match renamed(&renames.types, &t.name) {
                Some(to) => Candidate::given(to.clone(), to.clone()),
                None => Candidate {
                    name: type_name_memo(&t.name, &mut parts),
                    given: matches!(t.name, ir::Name::Given(_)),
                    wire: wire_of(&t.name),
                },
            })
            .collect();
        if !api.webhooks.is_empty() {
            // The webhook enum lives among the types; a schema of the same name keeps it.
            type_cands.push(Candidate {
                name: "Webhook".into(),
                given: false,
                wire: Cow::Borrowed(""),
            });
        }
        let (mut types, mut renumbered) = resolve_owned(type_cands, RESERVED_TYPE_NAMES);
        let webhook = if api.webhooks.is_empty() {
            String::new()
        } else {
            renumbered.retain(|(idx, _)| *idx < api.types.len());
            types.pop().unwrap_or_default()
        };
        (types, webhook, renumbered)
    };
    let (types, webhook, types_renumbered, (fields, additional, variants)) =
        if crate::emit::threads() > 1 && api.types.len() > 1 {
            std::thread::scope(|s| {
                let handle = s.spawn(type_names);
                let members = member_names(api, renames);
                // A panic on the other thread is a bug: let it surface as it would on this one.
                let (types, webhook, renumbered) = handle
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (types, webhook, renumbered, members)
            })
        } else {
            let (types, webhook, renumbered) = type_names();
            (types, webhook, renumbered, member_names(api, renames))
        };
    let mut webhook_variants = Vec::new();
    if !api.webhooks.is_empty() {
        let mut cands: Vec<Candidate> = api
            .webhooks
            .iter()
            .map(|w| Candidate::given(variant_name(&w.name), &w.name))
            .collect();
        cands.push(Candidate {
            name: "Other".into(),
            given: false,
            wire: Cow::Borrowed(""),
        });
        webhook_variants = resolve(&cands, &[]);
    }

    let (ops, methods_renumbered) = op_names(api, renames);
    // One setter per scheme, then the derived token-source setters (which yield to a scheme's
    // own setter in a collision).
    let mut scheme_cands: Vec<Candidate> = api
        .security_schemes
        .iter()
        .map(|s| Candidate::given(snake_name(&s.name), &s.name))
        .collect();
    let mut extras = Vec::new();
    for (i, s) in api.security_schemes.iter().enumerate() {
        let base = snake_name(&s.name);
        for suffix in scheme_extras(&s.kind) {
            scheme_cands.push(Candidate {
                name: format!("{}_{suffix}", bare(&base)),
                given: false,
                wire: Cow::Borrowed(&s.name),
            });
            extras.push((i, suffix));
        }
    }
    let mut setters = resolve(
        &scheme_cands,
        &[
            "base_url",
            "timeout",
            "retry_policy",
            "user_agent",
            "build",
            "credential",
            "max_body_size",
            "max_redirects",
            "interceptor",
            "idempotency_keys",
            "http_client",
            "transport",
            "default_header",
            "default_secret_header",
        ],
    );
    let extra_names = setters.split_off(api.security_schemes.len());
    let static_cands: Vec<Candidate> = setters
        .iter()
        .zip(&api.security_schemes)
        .map(|(s, scheme)| Candidate::given(static_name(s), &scheme.name))
        .collect();
    let statics = resolve(&static_cands, &["DEFAULT_BASE_URL"]);
    let mut schemes: Vec<SchemeNames> = setters
        .into_iter()
        .zip(statics)
        .map(|(setter, spec)| SchemeNames {
            setter,
            spec,
            client_credentials: None,
            refresh_token: None,
            token_provider: None,
        })
        .collect();
    for ((i, suffix), name) in extras.into_iter().zip(extra_names) {
        if let Some(n) = schemes.get_mut(i) {
            let slot = match suffix {
                "client_credentials" => &mut n.client_credentials,
                "refresh_token" => &mut n.refresh_token,
                _ => &mut n.token_provider,
            };
            *slot = Some(name);
        }
    }
    Names {
        types,
        fields,
        additional,
        variants,
        ops,
        schemes,
        webhook,
        webhook_variants,
        types_renumbered,
        methods_renumbered,
    }
}

/// The wire name of a type or operation as [`ir::Name::display`] spells it, borrowed when the
/// document gave it.
fn wire_of(name: &ir::Name) -> Cow<'_, str> {
    match name {
        ir::Name::Given(s) => Cow::Borrowed(s),
        ir::Name::Derived(_) => Cow::Owned(name.display()),
    }
}

/// The user's rename of a type or operation, if any.
fn renamed<'r>(renames: &'r HashMap<String, String>, name: &ir::Name) -> Option<&'r String> {
    if renames.is_empty() {
        None
    } else {
        renames.get(&name.display())
    }
}

/// Per type of [`compute_renamed`]: its fields' names, its additional properties' field name,
/// its variants' names.
#[allow(clippy::type_complexity)]
fn member_names(api: &ir::Api, renames: &Renames) -> (Vec<Shared>, Vec<String>, Vec<Shared>) {
    let mut fields: Vec<Shared> = Vec::with_capacity(api.types.len());
    let mut additional: Vec<String> = Vec::with_capacity(api.types.len());
    let mut variants: Vec<Shared> = Vec::with_capacity(api.types.len());
    // The first type named per candidate list (the result of `resolve` depends on nothing
    // else): a later type with the same list copies that one's names.
    let mut struct_memo: FastMap<(Vec<&str>, bool), usize> = FastMap::default();
    let mut enum_memo: FastMap<(bool, Vec<&str>), usize> = FastMap::default();
    let mut union_memo: FastMap<Vec<&str>, usize> = FastMap::default();
    for (idx, t) in api.types.iter().enumerate() {
        match &t.kind {
            ir::TypeKind::Struct(s) => {
                // A field rename of this type makes its names its own.
                let tname = (!renames.fields.is_empty()).then(|| t.name.display());
                let field_renames: Vec<Option<&String>> = match &tname {
                    Some(tname) => s
                        .fields
                        .iter()
                        .map(|f| renames.fields.get(&(tname.clone(), f.name.clone())))
                        .collect(),
                    None => Vec::new(),
                };
                if field_renames.iter().all(Option::is_none) {
                    let key = (
                        s.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
                        s.additional.is_some(),
                    );
                    match struct_memo.entry(key) {
                        std::collections::hash_map::Entry::Occupied(first) => {
                            let first = *first.get();
                            fields.push(fields[first].clone());
                            additional.push(additional[first].clone());
                            variants.push(Shared::default());
                            continue;
                        }
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(idx);
                        }
                    }
                }
                let mut cands: Vec<Candidate> = s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(k, f)| match field_renames.get(k).copied().flatten() {
                        Some(to) => Candidate::given(to.clone(), to.clone()),
                        None => Candidate::given(snake_name(&f.name), &f.name),
                    })
                    .collect();
                if s.additional.is_some() {
                    // Listed last and marked derived so a real field keeps the plain name.
                    cands.push(Candidate {
                        name: "additional_properties".into(),
                        given: false,
                        wire: Cow::Borrowed(""),
                    });
                }
                let (mut res, _) = resolve_owned(cands, &[]);
                let add = if s.additional.is_some() {
                    res.pop().unwrap_or_default()
                } else {
                    String::new()
                };
                additional.push(add);
                fields.push(res.into());
                variants.push(Shared::default());
            }
            ir::TypeKind::Enum(e) if e.values.len() > super::types::MAX_ENUM_VALUES => {
                // Generated as `String`: no variants to name.
                variants.push(Shared::default());
                fields.push(Shared::default());
                additional.push(String::new());
            }
            ir::TypeKind::Enum(e) => {
                let signed = e.kind != ir::EnumKind::String;
                let key = (signed, e.values.iter().map(|v| v.wire.as_str()).collect());
                let names = match enum_memo.entry(key) {
                    std::collections::hash_map::Entry::Occupied(first) => {
                        variants[*first.get()].clone()
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(idx);
                        let cands: Vec<Candidate> = e
                            .values
                            .iter()
                            .map(|v| {
                                // `-1` next to `1` in an integer or number enum: `Minus1`, not
                                // `V1` and a collision suffix.
                                let name = match v.wire.strip_prefix('-') {
                                    Some(abs) if signed => variant_name(&format!("minus {abs}")),
                                    _ => variant_name(&v.wire),
                                };
                                Candidate::given(name, &v.wire)
                            })
                            .collect();
                        resolve_owned(cands, &["Unknown"]).0.into()
                    }
                };
                variants.push(names);
                fields.push(Shared::default());
                additional.push(String::new());
            }
            ir::TypeKind::Union(u) => {
                let key = u.variants.iter().map(|v| v.name.as_str()).collect();
                let names = match union_memo.entry(key) {
                    std::collections::hash_map::Entry::Occupied(first) => {
                        variants[*first.get()].clone()
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(idx);
                        let cands: Vec<Candidate> = u
                            .variants
                            .iter()
                            .map(|v| Candidate::given(variant_name(&v.name), &v.name))
                            .collect();
                        resolve_owned(cands, &[]).0.into()
                    }
                };
                variants.push(names);
                fields.push(Shared::default());
                additional.push(String::new());
            }
            ir::TypeKind::Alias(_) => {
                fields.push(Shared::default());
                variants.push(Shared::default());
                additional.push(String::new());
            }
        }
    }
    (fields, additional, variants)
}

/// The names of every operation's items, and (operation index, wanted name) of each method
/// name a collision changed.
fn op_names(api: &ir::Api, renames: &Renames) -> (Vec<OpNames>, Vec<(usize, String)>) {
    let given = |n: &ir::Name| matches!(n, ir::Name::Given(_));
    let wires: Vec<Cow<str>> = api.operations.iter().map(|op| wire_of(&op.name)).collect();
    let method_cands: Vec<Candidate> = api
        .operations
        .iter()
        .zip(&wires)
        .map(|(op, wire)| match renamed(&renames.operations, &op.name) {
            Some(to) => Candidate::given(to.clone(), to.clone()),
            None => Candidate {
                name: method_name(&op.name),
                given: given(&op.name),
                wire: Cow::Borrowed(wire),
            },
        })
        .collect();
    let (methods, methods_renumbered) = resolve_owned(method_cands, &["builder", "from_runtime"]);
    let builder_cands: Vec<Candidate> = methods
        .iter()
        .zip(&api.operations)
        .zip(&wires)
        .map(|((m, op), wire)| Candidate {
            name: finish(camel_words(bare(m)), "T", "Operation"),
            given: given(&op.name),
            wire: Cow::Borrowed(wire),
        })
        .collect();
    let (builders, _) = resolve_owned(builder_cands, RESERVED_TYPE_NAMES);
    // `Self_` (a keyword with its `_`) gives `SelfError`, not the non-camel-case `Self_Error`.
    let suffixed = |suffix: &str| -> Vec<Candidate> {
        builders
            .iter()
            .zip(&wires)
            .map(|(b, wire)| {
                let b = bare(b).trim_end_matches('_');
                let mut name = String::with_capacity(b.len() + suffix.len());
                name.push_str(b);
                name.push_str(suffix);
                Candidate::given(name, Cow::Borrowed(&**wire))
            })
            .collect()
    };
    let mut reserved: Vec<&str> = RESERVED_TYPE_NAMES.to_vec();
    reserved.extend(builders.iter().map(String::as_str));
    let (errors, _) = resolve_owned(suffixed("ErrorBody"), &reserved);
    reserved.extend(errors.iter().map(String::as_str));
    let (successes, _) = resolve_owned(suffixed("Response"), &reserved);
    reserved.extend(successes.iter().map(String::as_str));
    let (headers, _) = resolve_owned(suffixed("Headers"), &reserved);
    drop(reserved);
    let spec_cands: Vec<Candidate> = methods
        .iter()
        .zip(&wires)
        .map(|(m, wire)| Candidate::given(static_name(m), Cow::Borrowed(&**wire)))
        .collect();
    let (specs, _) = resolve_owned(spec_cands, &[]);
    let ops = api
        .operations
        .iter()
        .zip(methods)
        .zip(builders)
        .zip(errors)
        .zip(successes)
        .zip(headers)
        .zip(specs)
        .map(
            |((((((op, method), builder), error), success), headers), spec)| {
                let cands: Vec<Candidate> = op
                    .params
                    .iter()
                    .map(|p| Candidate::given(snake_name(&p.name), &p.name))
                    .collect();
                OpNames {
                    method,
                    builder,
                    error,
                    success,
                    headers,
                    spec,
                    params: resolve_owned(
                        cands,
                        &[
                            "client",
                            BODY_FIELD,
                            "send",
                            "new",
                            "options",
                            "customize",
                            "send_with_response",
                        ],
                    )
                    .0,
                }
            },
        )
        .collect();
    (ops, methods_renumbered)
}

/// Error enum variant for a status (`404` → `NotFound`, `4XX` → `Status4xx`).
pub(crate) fn status_variant(status: ir::StatusMatch, soap: bool) -> String {
    match status {
        ir::StatusMatch::Default if soap => "Fault".into(),
        ir::StatusMatch::Default => "Default".into(),
        ir::StatusMatch::Range(r) => format!("Status{r}xx"),
        ir::StatusMatch::Code(c) => match reason_phrase(c) {
            Some(p) => camel_words(p),
            None => format!("Status{c}"),
        },
    }
}

/// IANA reason phrases of the non-2xx codes APIs commonly declare.
pub(crate) fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tricky_field_names() {
        let table = [
            ("petId", "pet_id"),
            ("type", "r#type"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("123abc", "_123abc"),
            ("foo-bar", "foo_bar"),
            ("$ref", "r#ref"),
            ("", "value"),
            ("_", "value"),
            ("naïve", "na_ve"),
            ("日本", "value"),
            ("HTTPServer", "http_server"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("a.b.c", "a_b_c"),
        ];
        for (wire, want) in table {
            assert_eq!(snake_name(wire), want, "field {wire:?}");
        }
    }

    #[test]
    fn tricky_type_and_variant_names() {
        let given = |s: &str| type_name(&ir::Name::Given(s.into()));
        assert_eq!(given("Pet"), "Pet");
        assert_eq!(given("pet-owner"), "PetOwner");
        assert_eq!(given("3dSecure"), "T3dSecure");
        assert_eq!(given("Self"), "Self_");
        assert_eq!(given(""), "Type");
        assert_eq!(
            type_name(&ir::Name::Derived(vec!["Pet".into(), "owner".into()])),
            "PetOwner"
        );
        // Casing the parts of derived names through the memo gives the same names.
        let mut parts = FastMap::default();
        let derived: Vec<ir::Name> = [
            vec!["Pet", "owner"],
            vec!["v1", "2", "pet"],
            vec!["Pet", "3"],
            vec!["pet owner", "Pet"],
            vec!["", "self"],
            vec!["Self"],
        ]
        .into_iter()
        .map(|p| ir::Name::Derived(p.into_iter().map(String::from).collect()))
        .collect();
        for name in derived.iter().chain(&derived) {
            assert_eq!(
                type_name_memo(name, &mut parts),
                type_name(name),
                "{name:?}"
            );
        }
        assert_eq!(variant_name("available"), "Available");
        assert_eq!(variant_name("in-progress"), "InProgress");
        assert_eq!(variant_name("1.0"), "V1_0");
        assert_eq!(variant_name("2.5.1"), "V2_5_1");
        assert_eq!(variant_name("Self"), "Self_");
        assert_eq!(
            method_name(&ir::Name::Derived(vec![
                "get".into(),
                "pets".into(),
                "{petId}".into(),
                "toys".into()
            ])),
            "get_pets_pet_id_toys"
        );
        assert_eq!(static_name("get_pet_by_id"), "GET_PET_BY_ID");
        assert_eq!(static_name("r#type"), "TYPE");
    }

    /// The casings as they were written with `heck` (per segment for camel case, on the
    /// segments joined with spaces for snake case).
    fn heck_camel(wire: &str) -> String {
        use heck::ToUpperCamelCase;
        let mut out = String::new();
        for seg in wire
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
        {
            let cased = seg.to_upper_camel_case();
            if out.ends_with(|c: char| c.is_ascii_digit())
                && cased.starts_with(|c: char| c.is_ascii_digit())
            {
                out.push('_');
            }
            out.push_str(&cased);
        }
        out
    }

    fn heck_snake(wire: &str) -> String {
        use heck::ToSnakeCase;
        let segments: Vec<&str> = wire
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .collect();
        segments.join(" ").to_snake_case()
    }

    #[test]
    fn ascii_casing_is_hecks() {
        // Every string of up to 5 characters over one or two of each kind the word split tells
        // apart (lower, upper, digit, ASCII separators, a non-ASCII letter), and real names.
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '-', '\u{e9}'];
        let mut texts: Vec<String> = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &last {
                for c in alphabet {
                    next.push(format!("{t}{c}"));
                }
            }
            texts.extend(next.iter().cloned());
            last = next;
        }
        texts.extend(
            [
                "HTTPServer",
                "getHTTPResponseCode",
                "v1.2.3",
                "api/v3/repos/{owner}/{repo}",
                "X-GitHub-Api-Version",
                "ABCdefGHI",
                "a1B2c3",
                "ID",
                "iOS",
                "OAuth2Token",
                "snake_case_already",
                "SHOUTY_CASE",
                "na\u{ef}ve caf\u{e9}",
                "__proto__",
                "123abc",
            ]
            .map(String::from),
        );
        for text in &texts {
            assert_eq!(camel_words(text), heck_camel(text), "camel {text:?}");
            assert_eq!(snake_words(text), heck_snake(text), "snake {text:?}");
            let snake = snake_name(text);
            let bare = snake.strip_prefix("r#").unwrap_or(&snake);
            let heck_static = bare.to_shouty_snake_case();
            let heck_static = match heck_static.as_str() {
                "" => "VALUE".to_string(),
                s if s.starts_with(|c: char| c.is_ascii_digit()) => format!("_{s}"),
                _ => heck_static,
            };
            assert_eq!(static_name(&snake), heck_static, "static {text:?}");
            // And on text that is not a snake identifier.
            if text.is_ascii() {
                let mut words = String::new();
                ascii_words(text, |w, _| push_snake_word(&mut words, w, true));
                assert_eq!(words, text.to_shouty_snake_case(), "words {text:?}");
            }
        }
    }

    #[test]
    fn raw_idents_are_valid() {
        for wire in ["type", "self", "match", "123", "", "Self", "crate"] {
            let s = snake_name(wire);
            let _ = ident(&s); // panics on an invalid identifier
            let _ = ident(&variant_name(wire));
        }
    }

    #[test]
    fn many_collisions_on_one_name_are_linear() {
        // 50,000 values that all case to `Value` (non-ASCII wire names): probing from `Value2`
        // for each loser was 1.25e9 probes (minutes); resuming per base is 50,000.
        let cands: Vec<Candidate> = (0..50_000)
            .map(|i| Candidate::given("Value".into(), format!("\u{4e00}{i:05}")))
            .collect();
        let names = resolve(&cands, &["Value3"]);
        assert_eq!(names[0], "Value");
        assert_eq!(names[1], "Value2");
        assert_eq!(names[2], "Value4", "reserved names are skipped");
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert_eq!(names[49_999], "Value50001");
    }

    /// `resolve` as it was written before its fast paths: every candidate sorted and placed.
    fn resolve_reference(cands: &[Candidate], reserved: &[&str]) -> Vec<String> {
        let mut taken: std::collections::HashSet<String> =
            reserved.iter().map(|s| s.to_string()).collect();
        let wanted: std::collections::HashSet<&str> = cands.iter().map(|c| bare(&c.name)).collect();
        let mut order: Vec<usize> = (0..cands.len()).collect();
        order.sort_by(|&a, &b| {
            let (ca, cb) = (&cands[a], &cands[b]);
            let exact = |c: &Candidate| c.wire != bare(&c.name);
            fn wire<'c>(c: &'c Candidate) -> &'c str {
                if c.given {
                    &c.wire
                } else {
                    ""
                }
            }
            (bare(&ca.name), !ca.given, exact(ca), wire(ca), a).cmp(&(
                bare(&cb.name),
                !cb.given,
                exact(cb),
                wire(cb),
                b,
            ))
        });
        let mut out = vec![String::new(); cands.len()];
        let mut next_suffix: std::collections::HashMap<String, u64> = Default::default();
        for idx in order {
            let name = &cands[idx].name;
            let key = bare(name).to_string();
            if !taken.contains(&key) {
                taken.insert(key);
                out[idx] = name.clone();
                continue;
            }
            let base = key.trim_end_matches('_');
            let n = next_suffix.entry(base.to_string()).or_insert(2);
            loop {
                let next = format!("{base}{n}");
                *n += 1;
                if !taken.contains(&next) && !wanted.contains(next.as_str()) {
                    taken.insert(next.clone());
                    out[idx] = next;
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn resolve_is_the_reference() {
        // Lists of 0-40 names drawn from a few that collide, suffix into each other, are
        // reserved or raw, with given and derived candidates and differing wire spellings.
        let names = [
            "A", "A2", "A_", "A3", "r#A", "A22", "B", "b", "r#type", "type2", "C", "Result",
        ];
        let wires = ["a", "A", "x", "A2", "type", "Type", ""];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for round in 0..4000 {
            let len = next(41);
            let cands: Vec<Candidate> = (0..len)
                .map(|i| Candidate {
                    name: names[next(names.len())].to_string(),
                    given: next(3) != 0,
                    wire: Cow::Owned(match next(4) {
                        0 => format!("w{i}"),
                        _ => wires[next(wires.len())].to_string(),
                    }),
                })
                .collect();
            let reserved: &[&str] = match round % 3 {
                0 => &[],
                1 => &["Result", "A3"],
                _ => RESERVED_TYPE_NAMES,
            };
            assert_eq!(
                resolve(&cands, reserved),
                resolve_reference(&cands, reserved),
                "{cands:?} {reserved:?}"
            );
        }
    }

    #[test]
    fn collisions_are_deterministic() {
        let c = |n: &str, wire: &str, given: bool| Candidate {
            name: n.into(),
            given,
            wire: Cow::Owned(wire.to_string()),
        };
        // Foo/foo: sorted by wire name, "Foo" < "foo".
        let res = resolve(&[c("Foo", "foo", true), c("Foo", "Foo", true)], &[]);
        assert_eq!(res, ["Foo2", "Foo"]);
        // Given beats Derived whatever the order.
        let res = resolve(
            &[
                c("PetOwner", "Pet_owner", false),
                c("PetOwner", "PetOwner", true),
            ],
            &[],
        );
        assert_eq!(res, ["PetOwner2", "PetOwner"]);
        // A suffix never steals another candidate's name.
        let res = resolve(
            &[c("A", "a", true), c("A", "A", true), c("A2", "A2", true)],
            &[],
        );
        assert_eq!(res, ["A3", "A", "A2"]);
        // Reserved names are never handed out.
        assert_eq!(
            resolve(&[c("Result", "Result", true)], RESERVED_TYPE_NAMES),
            ["Result2"]
        );
        // "type" is spelled exactly as the identifier, so it keeps it over "Type".
        assert_eq!(
            resolve(&[c("r#type", "type", true), c("r#type", "Type", true)], &[]),
            ["r#type", "type2"]
        );
        assert_eq!(
            resolve(
                &[
                    c("get_thing", "getThing", true),
                    c("get_thing", "get_thing", true),
                    c("get_thing", "GetThing", true)
                ],
                &[]
            ),
            ["get_thing3", "get_thing", "get_thing2"]
        );
    }
}
