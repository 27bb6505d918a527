//! Per-tag cargo features (`--tag-features`, `[package] tag-features = true`): every operation
//! behind `#[cfg(feature = "<tag>")]`, every type behind the features of the operations that
//! reach it, so that a user who needs one tag compiles only what that tag uses.
//!
//! - An operation's features are its tags; an operation without tags takes the first literal
//!   segment of its path that is not a version (`/v1/customers/{id}` → `customers`), which is
//!   how Stripe's untagged document groups; one with neither (GraphQL, SOAP) is always compiled.
//! - Tags become feature names Cargo accepts (letters, digits, `_`, `-`, `+`, `.`; anything
//!   else becomes `-`); a name that had to change is a `rust::feature_renamed` warning, and one
//!   taken by another tag (or by `default`/`full`) gets a number.
//! - A type's gate is the union of the features of every operation that reaches it, through
//!   fields, union variants, aliases, and the twin it is written as an alias of. Types reached by
//!   something always compiled (a webhook payload, an operation without features) are ungated,
//!   and so are types every feature reaches; types no operation reaches (Stripe's event objects)
//!   are compiled with `full`, which turns every feature on. Each gate then holds whenever the
//!   gate of anything that names the type does, so every combination of features compiles.
//! - Items several operations share (an error enum or typed-header struct written once and
//!   aliased by later operations, `operations::Shared`) are gated by all of their users.

use std::collections::HashMap;

use proc_macro2::Delimiter;

use super::toks::{toks_into, Kind, Str, Toks};
use crate::diag::Diagnostic;
use crate::ir;

/// The features reserved by the generated `Cargo.toml` itself.
const RESERVED: &[&str] = &["default", "full"];

/// The id of the `full` feature in a [`Gate`]: the types no operation reaches (Stripe's event
/// objects) are compiled only with every feature.
pub(crate) const FULL: u32 = u32::MAX;

/// Which features an item is compiled under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Always compiled.
    Always,
    /// Compiled when any of these features (indices into [`Features::names`], ascending;
    /// [`FULL`] for `full`) is on.
    Any(Vec<u32>),
}

/// The features of a generated crate and the gate of each operation.
#[derive(Debug)]
pub(crate) struct Features {
    /// Feature names, sorted.
    pub(crate) names: Vec<String>,
    /// Per operation, its own gate.
    ops: Vec<Gate>,
    /// Per type, its gate ([`Features::compute_types`], once the types' twins are known).
    types: std::sync::OnceLock<Vec<Gate>>,
    /// Per operation, the gates of the items it writes for later operations too (error enum,
    /// typed headers): computed once `operations::Shared` is known.
    shared: std::sync::OnceLock<(Vec<Gate>, Vec<Gate>)>,
}

/// A Cargo feature name for `tag`: ASCII letters, digits, `_`, `-`, `+` and `.` kept, every
/// other run of characters one `-`; it starts with a letter, digit or `_`.
pub(crate) fn feature_name(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.');
        let c = if keep { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out
        .trim_start_matches(['-', '+', '.'])
        .trim_end_matches('-');
    if trimmed.is_empty() {
        "tag".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The group of an operation without tags: the first literal segment of its path that is not a
/// version (`v1`, `2`, `v2.1`) or `api`.
fn path_group(path: &str) -> Option<&str> {
    path.split('/').find(|s| {
        let version = {
            let rest = s.strip_prefix(['v', 'V']).unwrap_or(s);
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        };
        !s.is_empty() && !s.contains(['{', '}']) && !version && !s.eq_ignore_ascii_case("api")
    })
}

impl Features {
    /// The features of `api`: one per tag (or path group), in sorted order. Warnings for tags
    /// whose feature name differs from the tag go to `diags`.
    pub(crate) fn new(api: &ir::Api, diags: &mut Vec<Diagnostic>) -> Features {
        // Per operation, its groups (tags, else the path's first word).
        let groups: Vec<Vec<&str>> = api
            .operations
            .iter()
            .map(|op| {
                if op.tags.is_empty() {
                    path_group(&op.path).into_iter().collect()
                } else {
                    op.tags.iter().map(String::as_str).collect()
                }
            })
            .collect();
        // Names in order of first use, so a collision numbers the later group.
        let mut by_group: HashMap<&str, String> = HashMap::new();
        let mut taken: HashMap<String, &str> = RESERVED
            .iter()
            .map(|r| (r.to_string(), ""))
            .collect::<HashMap<_, _>>();
        for (op, gs) in api.operations.iter().zip(&groups) {
            for &g in gs {
                if by_group.contains_key(g) {
                    continue;
                }
                let base = feature_name(g);
                let mut name = base.clone();
                let mut n = 2;
                while taken.contains_key(&name) {
                    name = format!("{base}-{n}");
                    n += 1;
                }
                if name != g {
                    let (file, pointer) = op
                        .origin
                        .split_once('#')
                        .unwrap_or((op.origin.as_str(), ""));
                    let (what, pointer) = if op.tags.is_empty() {
                        (format!("path group `{g}`"), pointer.to_owned())
                    } else {
                        let i = op.tags.iter().position(|t| t == g).unwrap_or(0);
                        (format!("tag `{g}`"), format!("{pointer}/tags/{i}"))
                    };
                    let why = match taken.get(&base) {
                        Some(&"") => format!("`{base}` is the generated crate's own"),
                        Some(other) => format!("`{base}` is taken by `{other}`"),
                        None => {
                            "a Cargo feature name holds only letters, digits, `_`, `-`, `+` and `.`"
                                .to_owned()
                        }
                    };
                    diags.push(
                        Diagnostic::warning(
                            "rust::feature_renamed",
                            format!("{what} is the cargo feature `{name}`: {why}"),
                        )
                        .at(file, pointer)
                        .help("rename the tag if the feature's name is unwelcome"),
                    );
                }
                taken.insert(name.clone(), g);
                by_group.insert(g, name);
            }
        }
        let mut names: Vec<String> = by_group.values().cloned().collect();
        names.sort();
        if let (true, Some(op)) = (names.is_empty(), api.operations.first()) {
            diags.push(
                Diagnostic::warning(
                    "rust::no_features",
                    "--tag-features: no operation has a tag or a path to group it by, so nothing is gated",
                )
                .at_origin(&op.origin)
                .help("tag the operations, or generate without --tag-features"),
            );
        }
        let index: HashMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        let ops = groups
            .iter()
            .map(|gs| {
                let mut ids: Vec<u32> = gs
                    .iter()
                    .filter_map(|g| by_group.get(g).and_then(|n| index.get(n.as_str())))
                    .copied()
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.is_empty() {
                    Gate::Always
                } else {
                    Gate::Any(ids)
                }
            })
            .collect();
        Features {
            names,
            ops,
            types: std::sync::OnceLock::new(),
            shared: std::sync::OnceLock::new(),
        }
    }

    /// The gate of operation `idx`.
    pub(crate) fn op(&self, idx: usize) -> &Gate {
        self.ops.get(idx).unwrap_or(&Gate::Always)
    }

    /// The gate of type `idx`; `twins` is the types' plan's (per type, the type it is written
    /// as an alias of).
    pub(crate) fn ty(&self, api: &ir::Api, twins: &[Option<usize>], idx: usize) -> &Gate {
        let types = self.types.get_or_init(|| self.compute_types(api, twins));
        types.get(idx).unwrap_or(&Gate::Always)
    }

    /// The gates of the error enum and of the typed-header struct operation `idx` writes:
    /// its own gate joined with those of the later operations that alias them
    /// (`errors[j] == Some(idx)`).
    pub(crate) fn shared(
        &self,
        errors: &[Option<usize>],
        headers: &[Option<usize>],
        idx: usize,
    ) -> (&Gate, &Gate) {
        let (e, h) = self.shared.get_or_init(|| {
            let join = |firsts: &[Option<usize>]| {
                let mut gates = self.ops.clone();
                for (j, first) in firsts.iter().enumerate() {
                    if let Some(i) = *first {
                        let other = self.op(j).clone();
                        if let Some(g) = gates.get_mut(i) {
                            *g = g.join(&other);
                        }
                    }
                }
                gates
            };
            (join(errors), join(headers))
        });
        (
            e.get(idx).unwrap_or(&Gate::Always),
            h.get(idx).unwrap_or(&Gate::Always),
        )
    }

    /// Every type's gate: the features of the operations that reach it (see the module docs).
    fn compute_types(&self, api: &ir::Api, twins: &[Option<usize>]) -> Vec<Gate> {
        let n = api.types.len();
        let f = self.names.len();
        // One bit per feature, bit `f`: always, bit `f + 1`: `full`.
        let words = (f + 2).div_ceil(64);
        let mut sets = vec![0u64; n * words];
        let set_bit = |sets: &mut [u64], t: usize, bit: usize| -> bool {
            let w = &mut sets[t * words + bit / 64];
            let mask = 1u64 << (bit % 64);
            let new = *w & mask == 0;
            *w |= mask;
            new
        };
        // Edges: the types a type's item names.
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                let mut e = ir::prune::named_in_kind(&api.types[i].kind);
                if let Some(Some(t)) = twins.get(i) {
                    e.push(*t);
                }
                e.retain(|&t| t < n);
                e
            })
            .collect();
        let mut work: Vec<usize> = Vec::new();
        for (i, gate) in self.ops.iter().enumerate() {
            let bits: Vec<usize> = match gate {
                Gate::Always => vec![f],
                Gate::Any(ids) => ids.iter().map(|&b| b as usize).collect(),
            };
            for t in operation_types(api, i) {
                if t < n {
                    for &b in &bits {
                        set_bit(&mut sets, t, b);
                    }
                    work.push(t);
                }
            }
        }
        for w in &api.webhooks {
            for t in ir::prune::named_in(&w.payload) {
                if t < n {
                    set_bit(&mut sets, t, f);
                    work.push(t);
                }
            }
        }
        let propagate = |sets: &mut Vec<u64>, work: &mut Vec<usize>| {
            while let Some(t) = work.pop() {
                for &u in &edges[t] {
                    let mut grew = false;
                    for k in 0..words {
                        let add = sets[t * words + k] & !sets[u * words + k];
                        if add != 0 {
                            sets[u * words + k] |= add;
                            grew = true;
                        }
                    }
                    if grew {
                        work.push(u);
                    }
                }
            }
        };
        propagate(&mut sets, &mut work);
        // Types nothing reaches are compiled with `full` (which turns on every feature), and so
        // is what they name.
        for t in 0..n {
            if sets[t * words..(t + 1) * words].iter().all(|w| *w == 0) {
                set_bit(&mut sets, t, f + 1);
                work.push(t);
            }
        }
        propagate(&mut sets, &mut work);
        (0..n)
            .map(|t| {
                let s = &sets[t * words..(t + 1) * words];
                let has = |b: usize| s[b / 64] & (1u64 << (b % 64)) != 0;
                let mut ids: Vec<u32> = (0..f).filter(|&b| has(b)).map(|b| b as u32).collect();
                if has(f) || ids.len() == f {
                    Gate::Always
                } else {
                    if has(f + 1) {
                        ids.push(FULL);
                    }
                    Gate::Any(ids)
                }
            })
            .collect()
    }

    /// The attribute of `gate` (nothing for [`Gate::Always`]).
    pub(crate) fn cfg(&self, gate: &Gate) -> Toks {
        let mut out = Toks::new();
        if let Gate::Any(ids) = gate {
            let names: Vec<Str> = ids
                .iter()
                .filter_map(|&i| match i {
                    FULL => Some("full"),
                    i => self.names.get(i as usize).map(String::as_str),
                })
                .map(Str)
                .collect();
            match names.as_slice() {
                [one] => toks_into!(out; #[cfg(feature = #one)]),
                _ => toks_into!(out; #[cfg(any(#(feature = #names),*))]),
            }
        }
        out
    }

    /// The `[features]` table of the generated `Cargo.toml`, without its header: `default`
    /// turns on `full`, which turns on every feature.
    pub(crate) fn cargo_table(&self) -> String {
        let mut out = String::from("default = [\"full\"]\n");
        out.push_str("# Every operation group below; a crate that needs a few depends with\n");
        out.push_str("# `default-features = false, features = [...]`.\n");
        out.push_str("full = [");
        for (i, n) in self.names.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&toml_string(n));
        }
        out.push_str("]\n");
        for n in &self.names {
            out.push_str(&format!("{} = []\n", toml_key(n)));
        }
        out
    }
}

impl Gate {
    /// Compiled when either is.
    fn join(&self, other: &Gate) -> Gate {
        match (self, other) {
            (Gate::Any(a), Gate::Any(b)) => {
                let mut ids: Vec<u32> = a.iter().chain(b).copied().collect();
                ids.sort_unstable();
                ids.dedup();
                Gate::Any(ids)
            }
            _ => Gate::Always,
        }
    }
}

/// A TOML basic string (feature names hold no character that needs escaping).
fn toml_string(s: &str) -> String {
    format!("\"{s}\"")
}

/// A TOML key: bare when it may be (letters, digits, `_`, `-`), else quoted.
fn toml_key(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_owned()
    } else {
        toml_string(s)
    }
}

/// The types operation `idx` names directly ([`ir::prune::operation_roots`], what `--only`
/// starts from too).
fn operation_types(api: &ir::Api, idx: usize) -> Vec<usize> {
    ir::prune::operation_roots(api, idx)
        .into_iter()
        .flat_map(ir::prune::named_in)
        .collect()
}

/// `items` with `cfg` (an attribute, or nothing) before each of its top-level items. An item
/// ends at a `;`, or at a `{…}` group followed by what starts an item (an attribute, a path
/// such as `::sdkwright_runtime::…!`, a keyword) or by nothing: a `{…}` inside an item is
/// followed by `;`, `.` or `,`.
/// Written after the tokens already in `out`.
pub(crate) fn gate_items(cfg: &Toks, items: &Toks, out: &mut Toks) {
    let n = items.toks.len();
    if cfg.is_empty() {
        out.append_range(items, 0, n);
        return;
    }
    // The top-level records: each one's index and the next sibling's.
    let next = |i: usize| match items.toks[i].kind {
        Kind::Group { end, .. } => end,
        _ => i + 1,
    };
    let mut start = 0;
    let mut i = 0;
    while i < n {
        let after = next(i);
        let t = &items.toks[i];
        let ends = match t.kind {
            Kind::Punct { ch, .. } => ch == ';',
            Kind::Group {
                delimiter: Delimiter::Brace,
                ..
            } => match items.toks.get(after) {
                None => true,
                Some(u) => match u.kind {
                    Kind::Punct { ch, .. } => matches!(ch, '#' | ':'),
                    Kind::Ident => !matches!(items.text_of(u), "as" | "else"),
                    _ => false,
                },
            },
            _ => false,
        };
        if ends {
            out.append(cfg);
            out.append_range(items, start, after);
            start = after;
        }
        i = after;
    }
    if start < n {
        out.append(cfg);
        out.append_range(items, start, n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn tags_become_cargo_feature_names() {
        assert_eq!(feature_name("pets"), "pets");
        assert_eq!(feature_name("Store Front"), "Store-Front");
        assert_eq!(feature_name("a / b"), "a-b");
        assert_eq!(feature_name("enterprise-admin"), "enterprise-admin");
        assert_eq!(feature_name("v1.2+beta"), "v1.2+beta");
        assert_eq!(feature_name("-x-"), "x");
        assert_eq!(feature_name("日本"), "tag");
        assert_eq!(feature_name(""), "tag");
        assert_eq!(path_group("/v1/customers/{customer}"), Some("customers"));
        assert_eq!(path_group("/api/v2.1/things"), Some("things"));
        assert_eq!(path_group("/{tenant}/items"), Some("items"));
        assert_eq!(path_group("/v1/{id}"), None);
        assert_eq!(path_group(""), None);
    }

    #[test]
    fn gate_items_puts_the_cfg_before_every_top_level_item() {
        let cfg = quote!(#[cfg(feature = "a")]);
        let items = quote! {
            static S: T = T { a: 1 }.x();
            #[doc = "d"]
            pub struct X { a: u8 }
            ::m::json_struct!(X { a });
            impl X { fn f() {} }
            pub type Y = X;
            const _: () = { };
        };
        let mut out = Toks::new();
        gate_items(&Toks::from(cfg), &Toks::from(items), &mut out);
        let out = out.to_stream().to_string();
        assert_eq!(out.matches("# [cfg (feature = \"a\")]").count(), 6, "{out}");
        assert!(
            out.starts_with("# [cfg (feature = \"a\")] static S"),
            "{out}"
        );
        assert!(
            out.contains("# [cfg (feature = \"a\")] :: m :: json_struct !"),
            "{out}"
        );
        let mut out = Toks::new();
        gate_items(
            &Toks::new(),
            &Toks::from(quote!(
                struct A;
            )),
            &mut out,
        );
        assert_eq!(out.to_stream().to_string(), "struct A ;");
    }

    fn lowered(text: &str) -> ir::Api {
        let (doc, diags) = crate::load::parse(std::path::Path::new("t.yaml"), text.to_owned());
        let lowered = crate::openapi::lower_document(doc.expect("parses"), diags);
        assert!(!lowered.diagnostics.iter().any(Diagnostic::is_error));
        lowered.api
    }

    /// The golden case's document: its operations' gates, its types' gates (a type shared by two
    /// tags, a twin compiled for its alias's feature, the error enum shared across tags, a type
    /// no operation uses), and the renamed tags' warnings.
    #[test]
    fn gates_of_the_golden_document() {
        let api = lowered(include_str!("../../tests/golden/tag-features/input.yaml"));
        let mut diags = Vec::new();
        let f = Features::new(&api, &mut diags);
        assert_eq!(f.names, ["Store-Front", "full-2", "health", "pets"]);
        let codes: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
        assert_eq!(codes.len(), 2, "{codes:?}");
        assert!(codes[0].contains("`Store Front` is the cargo feature `Store-Front`"));
        assert!(codes[1].contains("`full` is the cargo feature `full-2`"));
        let name = |g: &Gate| f.cfg(g).to_stream().to_string();
        let op = |n: &str| {
            let i = api
                .operations
                .iter()
                .position(|o| o.name.display() == n)
                .unwrap();
            name(f.op(i))
        };
        assert_eq!(op("listPets"), "# [cfg (feature = \"pets\")]");
        assert_eq!(op("placeOrder"), "# [cfg (feature = \"Store-Front\")]");
        assert_eq!(op("health"), "# [cfg (feature = \"health\")]");
        assert_eq!(
            op("adminStats"),
            "# [cfg (any (feature = \"full-2\" , feature = \"pets\"))]"
        );
        // OrderStatus is PetStatus's twin (written `type OrderStatus = PetStatus;`).
        let idx = |n: &str| {
            api.types
                .iter()
                .position(|t| t.name.display() == n)
                .unwrap()
        };
        let mut twins = vec![None; api.types.len()];
        twins[idx("OrderStatus")] = Some(idx("PetStatus"));
        let ty = |n: &str| name(f.ty(&api, &twins, idx(n)));
        let both = "# [cfg (any (feature = \"Store-Front\" , feature = \"pets\"))]";
        assert_eq!(ty("Pet"), both);
        assert_eq!(ty("PetStatus"), both);
        assert_eq!(ty("Order"), "# [cfg (feature = \"Store-Front\")]");
        assert_eq!(ty("OrderStatus"), "# [cfg (feature = \"Store-Front\")]");
        assert_eq!(ty("NotFound"), both);
        assert_eq!(ty("Health"), "# [cfg (feature = \"health\")]");
        assert_eq!(ty("Unused"), "# [cfg (feature = \"full\")]");
        // listPets writes the error enum placeOrder aliases: compiled for both.
        let errors: Vec<Option<usize>> = vec![None, Some(0), None, None];
        let (e, _) = f.shared(&errors, &[None, None, None, None], 0);
        assert_eq!(name(e), both);
    }

    /// The types an operation reaches from [`operation_types`] are those `--only` keeps for it
    /// (`ir::prune::keep_operations`), so the two roots cannot drift apart.
    #[test]
    fn operation_roots_match_what_only_keeps() {
        let api = lowered(include_str!("../../tests/golden/tag-features/input.yaml"));
        for (i, op) in api.operations.iter().enumerate() {
            let mut reached = std::collections::BTreeSet::new();
            let mut stack = operation_types(&api, i);
            while let Some(t) = stack.pop() {
                if reached.insert(api.types[t].name.display()) {
                    stack.extend(ir::prune::named_in_kind(&api.types[t].kind));
                }
            }
            let mut only = api.clone();
            ir::prune::keep_operations(&mut only, &[op.name.display()]);
            let kept: std::collections::BTreeSet<String> =
                only.types.iter().map(|t| t.name.display()).collect();
            assert_eq!(reached, kept, "{}", op.name.display());
        }
    }
}
