//! The breaking-change report between two versions of an API (`sdkwright semver OLD NEW`).
//!
//! Both sides go through the whole pipeline up to the back end's tokens (project files applied,
//! renames and type mappings included), and the public API is read from what would be emitted:
//! every `pub` item of `types` and `operations`, `Client`, `ClientBuilder` and
//! `DEFAULT_BASE_URL`, with their public fields, variants, inherent `pub fn` signatures and
//! trait implementations (derives included). That surface is exactly the names and types a
//! user of the generated crate can write, so the report is exact for the generator that runs
//! it. A side may also be a generated crate's folder (its `src/*.rs` are parsed the same way),
//! e.g. a checked-in SDK compared with the vendor's new document.
//!
//! Changes are classified with the Rust semver rules of the Cargo book ("SemVer
//! Compatibility"): removals and changed signatures are major; an added field is major too
//! because generated structs have only public fields and are not `#[non_exhaustive]` (a user
//! may build one with a struct literal); an added variant is minor for a `#[non_exhaustive]`
//! enum (generated value enums and error/success enums) and major otherwise (unions); other
//! additions are minor.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use quote::ToTokens;

use crate::{Error, Generator};

/// How much a change needs the version to move (Cargo's SemVer rules; for `0.y.z` the `y`
/// acts as major and the `z` as minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No change to the public API.
    Patch,
    /// Additive: code that compiled still compiles.
    Minor,
    /// Breaking: some code that compiled no longer does.
    Major,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The bump it needs.
    pub level: Level,
    /// What changed, a stable code: `operation_removed`, `type_removed`, `field_removed`,
    /// `field_added`, `field_became_required`, `field_became_optional`, `field_type_changed`,
    /// `variant_removed`, `variant_added`, `variant_changed`, `type_changed`,
    /// `operation_signature_changed`, `method_removed`, `method_signature_changed`,
    /// `trait_impl_removed`, `type_added`, `operation_added`, `method_added`,
    /// `trait_impl_added`, `const_changed`.
    pub kind: &'static str,
    /// The Rust path (`types::Pet.tag`, `Client::list_pets`, `operations::ListPets::limit`,
    /// `impl Default for types::Pet`).
    pub path: String,
    /// The item before (a type, a signature), when there was one.
    pub old: Option<String>,
    /// The item after, when there is one.
    pub new: Option<String>,
    /// Why it has this level, or what it corresponds to in the document.
    pub note: Option<String>,
}

/// The report: every change, major first.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The old side (a document or a crate folder), as given.
    pub old: String,
    /// The new side.
    pub new: String,
    /// The bump the changes need.
    pub required: Level,
    /// The changes, most severe first, then by path.
    pub changes: Vec<Change>,
}

/// A `MAJOR.MINOR.PATCH` version (pre-release and build parts are not taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl std::str::FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.trim().split('.').collect();
        let num = |p: &str| {
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
            {
                Err(format!(
                    "`{s}` is not a version MAJOR.MINOR.PATCH (e.g. 1.4.0)"
                ))
            } else {
                p.parse::<u64>()
                    .map_err(|_| format!("`{s}`: a number is too large"))
            }
        };
        match parts.as_slice() {
            [a, b, c] => Ok(Version {
                major: num(a)?,
                minor: num(b)?,
                patch: num(c)?,
            }),
            _ => Err(format!(
                "`{s}` is not a version MAJOR.MINOR.PATCH (e.g. 1.4.0; pre-release versions are not taken)"
            )),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    /// True when Cargo treats `next` as compatible with `self` (`^self` matches it): the same
    /// leftmost non-zero part.
    pub fn is_compatible(&self, next: &Version) -> bool {
        if self.major > 0 {
            next.major == self.major
        } else if self.minor > 0 {
            next.major == 0 && next.minor == self.minor
        } else {
            *next == *self
        }
    }

    /// The smallest version after `self` that a change of `level` allows.
    pub fn bumped(&self, level: Level) -> Version {
        let v = |major, minor, patch| Version {
            major,
            minor,
            patch,
        };
        match (level, self.major, self.minor) {
            (Level::Major, 0, 0) => v(0, 0, self.patch + 1),
            (Level::Major, 0, m) => v(0, m + 1, 0),
            (Level::Major, m, _) => v(m + 1, 0, 0),
            (Level::Minor, 0, m) => v(0, m, self.patch + 1),
            (Level::Minor, _, m) => v(self.major, m + 1, 0),
            (Level::Patch, _, _) => v(self.major, self.minor, self.patch + 1),
        }
    }

    /// Whether going from `self` to `next` is enough for changes of `level`; the reason when not.
    pub fn allows(&self, next: &Version, level: Level) -> Result<(), String> {
        if next <= self {
            return Err(format!("{next} is not after {self}"));
        }
        let ok = match level {
            Level::Major => !self.is_compatible(next),
            Level::Minor => self.major == 0 || next.major > self.major || next.minor > self.minor,
            Level::Patch => true,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{self} → {next} is not a {level} bump: the changes need {} at least",
                self.bumped(level)
            ))
        }
    }
}

impl Report {
    /// Whether `current` → `next` is a large enough bump for these changes.
    ///
    /// # Errors
    ///
    /// The reason it is not (also when `next` is not after `current`).
    pub fn check(&self, current: &Version, next: &Version) -> Result<(), String> {
        current.allows(next, self.required)
    }

    /// The changes of one level.
    pub fn at(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.level == level)
    }

    /// The report as JSON (`--report-format json`): `old`, `new`, `required`, `changes`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as text, for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "public API changes from {} to {}", self.old, self.new);
        for (level, title, sign) in [
            (Level::Major, "breaking (major)", '-'),
            (Level::Minor, "additive (minor)", '+'),
        ] {
            let n = self.at(level).count();
            if n == 0 {
                continue;
            }
            let _ = writeln!(
                out,
                "\n{title}: {n} change{}",
                if n == 1 { "" } else { "s" }
            );
            for c in self.at(level) {
                let _ = write!(out, "  {sign} {}: {}", c.kind.replace('_', " "), c.path);
                match (&c.old, &c.new) {
                    (Some(o), Some(n)) => {
                        let _ = write!(out, "\n      was: {o}\n      now: {n}");
                    }
                    (Some(o), None) => {
                        let _ = write!(out, "\n      was: {o}");
                    }
                    (None, Some(n)) => {
                        let _ = write!(out, "\n      now: {n}");
                    }
                    (None, None) => {}
                }
                if let Some(note) = &c.note {
                    let _ = write!(out, "\n      ({note})");
                }
                out.push('\n');
            }
        }
        if self.changes.is_empty() {
            out.push_str("\nno change to the public API\n");
        }
        let _ = writeln!(out, "\nrequired bump: {}", self.required);
        out
    }
}

/// How a side is named in the report: its path as given.
fn side_label(g: &Generator) -> String {
    g.input.display().to_string()
}

/// Compares the public API of the crates that `old` and `new` generate.
///
/// Each generator may name a document (its project file and options apply as for `generate`)
/// or, when its input is a folder, a crate sdkwright generated (its `src/` is read).
///
/// # Errors
///
/// As [`Generator::generate`] for either side; [`Error::Io`] when a crate folder cannot be read;
/// [`Error::Internal`] when generated code does not parse (a bug).
pub fn compare(old: &Generator, new: &Generator) -> Result<Report, Error> {
    let a = surface_of(old)?;
    let b = surface_of(new)?;
    Ok(diff(side_label(old), side_label(new), &a, &b))
}

/// The public API of one side.
fn surface_of(g: &Generator) -> Result<Surface, Error> {
    if g.text.is_none() && g.input.is_dir() {
        return crate_surface(&g.input);
    }
    if let Some((g, _)) = g.resolved()? {
        return surface_of(&g);
    }
    let (_, code, _) = g.pipeline()?;
    let mut s = Surface::default();
    for m in &code.modules {
        for tokens in code.items(m) {
            let file: syn::File = syn::parse2(tokens.to_stream()).map_err(|e| {
                Error::Internal(format!("generated `{}` item does not parse: {e}", m.name))
            })?;
            s.add_file(&m.name, &file);
        }
    }
    s.resolve_aliases();
    let names = code.names();
    for (i, op) in code.api().operations.iter().enumerate() {
        let Some(n) = names.ops.get(i) else { continue };
        s.ops.insert(
            n.method.clone(),
            OpInfo {
                id: op.name.display(),
                route: (!op.path.is_empty())
                    .then(|| format!("{} {}", method_str(op.method), op.path)),
            },
        );
    }
    Ok(s)
}

fn method_str(m: crate::ir::Method) -> &'static str {
    use crate::ir::Method::*;
    match m {
        Get => "GET",
        Put => "PUT",
        Post => "POST",
        Delete => "DELETE",
        Options => "OPTIONS",
        Head => "HEAD",
        Patch => "PATCH",
        Trace => "TRACE",
    }
}

/// The public API of a generated crate's folder: `src/types.rs`, `src/operations.rs`,
/// `src/client.rs` (a missing one is empty).
fn crate_surface(dir: &Path) -> Result<Surface, Error> {
    if !dir.join("Cargo.toml").is_file() {
        return Err(Error::Invalid {
            diagnostics: vec![crate::Diagnostic::error(
                "semver::not_a_crate",
                format!(
                    "`{}` is a folder but not a crate (no Cargo.toml)",
                    dir.display()
                ),
            )
            .help("name a document, or the folder of a crate sdkwright generated")],
        });
    }
    let mut s = Surface::default();
    for module in ["types", "operations", "client"] {
        let path: PathBuf = dir.join("src").join(format!("{module}.rs"));
        if !path.exists() {
            continue;
        }
        // A folder the user named: trusted, but a regular file under the size cap.
        let bytes = crate::load::confine::Confinement::for_root(
            &path,
            &[],
            crate::load::confine::DEFAULT_MAX_BYTES,
        )
        .read_trusted(&path)
        .map_err(|r| Error::Invalid {
            diagnostics: vec![r.diagnostic().at(&path, "")],
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let file = syn::parse_file(&text).map_err(|e| Error::Invalid {
            diagnostics: vec![
                crate::Diagnostic::error("semver::parse", format!("not Rust: {e}"))
                    .at(&path, "")
                    .help("name the folder of a crate sdkwright generated"),
            ],
        })?;
        s.add_file(module, &file);
    }
    s.resolve_aliases();
    Ok(s)
}

/// What an entry of the surface is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A struct, an enum, a type alias or a const (the `sig` says which).
    Item,
    Field,
    Variant,
    Method,
    Impl,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: Kind,
    /// The type, signature or item kind, normalised text.
    sig: String,
    /// The item it belongs to (`types::Pet` for `types::Pet.tag`).
    owner: Option<String>,
    /// Method arguments, name and type (methods only).
    args: Vec<(String, String)>,
}

/// Facts about an item that decide the level of a change inside it.
#[derive(Debug, Clone, Default)]
struct ItemFacts {
    non_exhaustive: bool,
    /// A struct some of whose fields are private (no struct literal outside the crate).
    private_fields: bool,
}

#[derive(Debug, Clone)]
struct OpInfo {
    id: String,
    route: Option<String>,
}

#[derive(Debug, Default)]
struct Surface {
    entries: BTreeMap<String, Entry>,
    facts: BTreeMap<String, ItemFacts>,
    /// Operation per `Client` method name.
    ops: BTreeMap<String, OpInfo>,
}

/// Rust tokens as compact text: `Option < super :: types :: Pet >` → `Option<types::Pet>`.
fn text(tokens: impl ToTokens) -> String {
    let raw = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let mut prev: Option<char> = None;
    let mut pending_space = false;
    for c in raw.chars() {
        if c == ' ' {
            pending_space = true;
            continue;
        }
        if pending_space {
            let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'' || c == '"';
            let keep = prev.is_some_and(|p| {
                (word(p) && word(c))
                    || p == ','
                    || p == '='
                    || c == '='
                    || p == '+'
                    || c == '+'
                    || c == '-'
                    || out.ends_with("->")
            });
            if keep {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        prev = Some(c);
    }
    out.replace("super::", "")
        .replace("::sdkwright_runtime::", "sdkwright_runtime::")
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

/// The trait names of `#[derive(…)]` attributes (last path segment).
fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = a.parse_nested_meta(|m| {
            if let Some(last) = m.path.segments.last() {
                out.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

/// `text` with every whole-path occurrence of `from` (not followed by more of an identifier)
/// replaced by `to`.
fn replace_path(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let after = &rest[i + from.len()..];
        let before_ok = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        let after_ok = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        out.push_str(&rest[..i]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

impl Surface {
    /// A `pub type A = B;` whose target is an item of the same module (the generator writes a
    /// type identical to an earlier one as such an alias) has B's shape: B's variants, fields,
    /// impls and facts are listed under A too, and A's signature is B's with A's name, so a type
    /// that becomes an alias of an identical one is no change, and a change of B shows in A.
    fn resolve_aliases(&mut self) {
        let aliases: Vec<(String, String)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.kind == Kind::Item && e.sig.starts_with("pub type "))
            .filter_map(|(path, e)| {
                let target = e.sig.split_once(" = ")?.1;
                let (module, _) = path.rsplit_once("::")?;
                let full = if target.contains("::") {
                    target.to_owned()
                } else {
                    format!("{module}::{target}")
                };
                Some((path.clone(), full))
            })
            .collect();
        for (alias, target) in aliases {
            let Some(t) = self.entries.get(&target).cloned() else {
                continue;
            };
            if t.kind != Kind::Item || t.sig.starts_with("pub type ") {
                continue;
            }
            let (Some((_, tname)), Some((_, aname))) =
                (target.rsplit_once("::"), alias.rsplit_once("::"))
            else {
                continue;
            };
            let members: Vec<(String, Entry)> = self
                .entries
                .iter()
                .filter(|(_, e)| e.owner.as_deref() == Some(target.as_str()))
                .map(|(k, e)| {
                    let mut e = e.clone();
                    e.owner = Some(alias.clone());
                    (replace_path(k, &target, &alias), e)
                })
                .collect();
            self.entries.extend(members);
            if let Some(e) = self.entries.get_mut(&alias) {
                e.sig = replace_path(&t.sig, tname, aname);
            }
            if let Some(f) = self.facts.get(&target).cloned() {
                self.facts.insert(alias, f);
            }
        }
    }

    fn insert(&mut self, path: String, kind: Kind, sig: String, owner: Option<&str>) {
        self.entries.insert(
            path,
            Entry {
                kind,
                sig,
                owner: owner.map(str::to_owned),
                args: Vec::new(),
            },
        );
    }

    /// Adds the public items of `file`, an item (or module) of module `module`.
    fn add_file(&mut self, module: &str, file: &syn::File) {
        // The client module is private; lib.rs re-exports these.
        let exported = |name: &str| {
            module != "client" || ["Client", "ClientBuilder", "DEFAULT_BASE_URL"].contains(&name)
        };
        let prefix = if module == "client" {
            String::new()
        } else {
            format!("{module}::")
        };
        for item in &file.items {
            match item {
                syn::Item::Struct(s) if is_pub(&s.vis) && exported(&s.ident.to_string()) => {
                    let path = format!("{prefix}{}", s.ident);
                    let ne = has_attr(&s.attrs, "non_exhaustive");
                    let generics = text(&s.generics);
                    let mut private = false;
                    let shape = match &s.fields {
                        syn::Fields::Named(_) => "{…}",
                        syn::Fields::Unnamed(_) => "(…)",
                        syn::Fields::Unit => "",
                    };
                    for (i, f) in s.fields.iter().enumerate() {
                        if !is_pub(&f.vis) {
                            private = true;
                            continue;
                        }
                        let name = f
                            .ident
                            .as_ref()
                            .map_or_else(|| i.to_string(), |n| n.to_string());
                        self.insert(
                            format!("{path}.{name}"),
                            Kind::Field,
                            text(&f.ty),
                            Some(&path),
                        );
                    }
                    let attr = if ne { "#[non_exhaustive] " } else { "" };
                    self.insert(
                        path.clone(),
                        Kind::Item,
                        format!("{attr}pub struct {}{generics} {shape}", s.ident),
                        None,
                    );
                    self.add_derives(&path, &s.attrs);
                    self.facts.insert(
                        path,
                        ItemFacts {
                            non_exhaustive: ne,
                            private_fields: private,
                        },
                    );
                }
                syn::Item::Enum(e) if is_pub(&e.vis) && exported(&e.ident.to_string()) => {
                    let path = format!("{prefix}{}", e.ident);
                    let ne = has_attr(&e.attrs, "non_exhaustive");
                    for v in &e.variants {
                        let payload = match &v.fields {
                            syn::Fields::Unit => String::new(),
                            f => text(f),
                        };
                        self.insert(
                            format!("{path}::{}", v.ident),
                            Kind::Variant,
                            format!("{}{payload}", v.ident),
                            Some(&path),
                        );
                    }
                    let attr = if ne { "#[non_exhaustive] " } else { "" };
                    self.insert(
                        path.clone(),
                        Kind::Item,
                        format!("{attr}pub enum {}{}", e.ident, text(&e.generics)),
                        None,
                    );
                    self.add_derives(&path, &e.attrs);
                    self.facts.insert(
                        path,
                        ItemFacts {
                            non_exhaustive: ne,
                            private_fields: false,
                        },
                    );
                }
                syn::Item::Type(t) if is_pub(&t.vis) && exported(&t.ident.to_string()) => {
                    self.insert(
                        format!("{prefix}{}", t.ident),
                        Kind::Item,
                        format!(
                            "pub type {}{} = {}",
                            t.ident,
                            text(&t.generics),
                            text(&t.ty)
                        ),
                        None,
                    );
                }
                syn::Item::Const(c) if is_pub(&c.vis) && exported(&c.ident.to_string()) => {
                    self.insert(
                        format!("{prefix}{}", c.ident),
                        Kind::Item,
                        format!("pub const {}: {}", c.ident, text(&c.ty)),
                        None,
                    );
                }
                syn::Item::Impl(i) => self.add_impl(&prefix, i, &exported),
                syn::Item::Mod(m) => {
                    // A single-file form's inline modules.
                    if let Some((_, items)) = &m.content {
                        let inner = syn::File {
                            shebang: None,
                            attrs: Vec::new(),
                            items: items.clone(),
                        };
                        self.add_file(&m.ident.to_string(), &inner);
                    }
                }
                _ => {}
            }
        }
    }

    fn add_derives(&mut self, path: &str, attrs: &[syn::Attribute]) {
        for d in derives(attrs) {
            self.insert(
                format!("impl {d} for {path}"),
                Kind::Impl,
                String::new(),
                Some(path),
            );
        }
    }

    fn add_impl(&mut self, prefix: &str, i: &syn::ItemImpl, exported: &dyn Fn(&str) -> bool) {
        let syn::Type::Path(tp) = &*i.self_ty else {
            return;
        };
        let Some(last) = tp.path.segments.last() else {
            return;
        };
        let name = last.ident.to_string();
        if !exported(&name) {
            return;
        }
        let owner = format!("{prefix}{name}");
        if let Some((_, trait_path, _)) = &i.trait_ {
            // By the trait's name, as a derive names it (`impl Deserialize for types::Pet`,
            // whether derived or written out), its arguments kept when it has some that are not
            // lifetimes (`impl From<&str> for …`).
            let Some(last) = trait_path.segments.last() else {
                return;
            };
            let args = match &last.arguments {
                syn::PathArguments::AngleBracketed(a)
                    if a.args
                        .iter()
                        .any(|x| !matches!(x, syn::GenericArgument::Lifetime(_))) =>
                {
                    text(&last.arguments)
                }
                _ => String::new(),
            };
            self.insert(
                format!("impl {}{args} for {owner}", last.ident),
                Kind::Impl,
                String::new(),
                Some(&owner),
            );
            return;
        }
        for it in &i.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if !is_pub(&f.vis) {
                continue;
            }
            let sig = &f.sig;
            let args: Vec<(String, String)> = sig
                .inputs
                .iter()
                .map(|a| match a {
                    syn::FnArg::Receiver(r) => ("self".to_owned(), text(r)),
                    syn::FnArg::Typed(t) => (text(&t.pat), text(&t.ty)),
                })
                .collect();
            let asyncness = if sig.asyncness.is_some() {
                "async "
            } else {
                ""
            };
            let shown_args: Vec<String> = args
                .iter()
                .map(|(n, t)| {
                    if n == "self" {
                        t.clone()
                    } else {
                        format!("{n}: {t}")
                    }
                })
                .collect();
            let out = match &sig.output {
                syn::ReturnType::Default => String::new(),
                syn::ReturnType::Type(_, t) => format!(" -> {}", text(t)),
            };
            let signature = format!(
                "pub {asyncness}fn {}{}({}){out}",
                sig.ident,
                text(&sig.generics),
                shown_args.join(", ")
            );
            self.entries.insert(
                format!("{owner}::{}", sig.ident),
                Entry {
                    kind: Kind::Method,
                    sig: signature,
                    owner: Some(owner.clone()),
                    args,
                },
            );
        }
    }
}

/// `Option<T>` → `T`.
fn strip_option(t: &str) -> Option<&str> {
    t.strip_prefix("Option<").and_then(|r| r.strip_suffix('>'))
}

fn diff(old_label: String, new_label: String, a: &Surface, b: &Surface) -> Report {
    let mut changes = Vec::new();
    let change =
        |level, kind, path: &str, old: Option<&str>, new: Option<&str>, note: Option<String>| {
            Change {
                level,
                kind,
                path: path.to_owned(),
                old: old.filter(|s| !s.is_empty()).map(str::to_owned),
                new: new.filter(|s| !s.is_empty()).map(str::to_owned),
                note,
            }
        };
    // An item that is gone, or became another kind of item (a struct now an enum): its parts
    // are not listed one by one.
    let word = |sig: &str| -> String {
        sig.trim_start_matches("#[non_exhaustive] ")
            .split(' ')
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let replaced = |owner: &str| match (a.entries.get(owner), b.entries.get(owner)) {
        (Some(x), Some(y)) => word(&x.sig) != word(&y.sig),
        _ => true,
    };
    let op_note = |s: &Surface, path: &str| -> Option<String> {
        let m = path.strip_prefix("Client::")?;
        let op = s.ops.get(m)?;
        Some(match &op.route {
            Some(r) => format!("operation `{}`, {r}", op.id),
            None => format!("operation `{}`", op.id),
        })
    };
    // Removed and changed.
    for (path, old) in &a.entries {
        let owner_gone = old.owner.as_deref().is_some_and(replaced);
        match b.entries.get(path) {
            None if owner_gone => {}
            None => {
                let (kind, mut note) = match old.kind {
                    Kind::Item => ("type_removed", None),
                    Kind::Field => ("field_removed", None),
                    Kind::Variant => ("variant_removed", None),
                    Kind::Method if path.starts_with("Client::") => {
                        ("operation_removed", op_note(a, path))
                    }
                    Kind::Method => ("method_removed", None),
                    Kind::Impl => ("trait_impl_removed", None),
                };
                if kind == "operation_removed" {
                    // The same route under another name: a rename the project file can undo.
                    let route = path
                        .strip_prefix("Client::")
                        .and_then(|m| a.ops.get(m))
                        .and_then(|o| o.route.clone());
                    let renamed = route.and_then(|r| {
                        b.ops.iter().find(|(m, o)| {
                            o.route.as_deref() == Some(r.as_str())
                                && !a.entries.contains_key(&format!("Client::{m}"))
                        })
                    });
                    if let (Some((m, o)), Some(old_method)) =
                        (renamed, path.strip_prefix("Client::"))
                    {
                        note = Some(format!(
                            "{}; renamed to `{m}` (operation `{}`, same route): keep the old name with `[rename.operations] {} = \"{old_method}\"` in sdkwright.toml",
                            note.unwrap_or_default(),
                            o.id,
                            toml_key(&o.id)
                        ));
                    }
                }
                changes.push(change(Level::Major, kind, path, Some(&old.sig), None, note));
            }
            Some(_) if owner_gone => {}
            Some(new) if new.sig != old.sig => {
                changes.push(changed(a, b, path, old, new, op_note(b, path)));
            }
            Some(_) => {}
        }
    }
    // Added.
    for (path, new) in &b.entries {
        if a.entries.contains_key(path) {
            continue;
        }
        if new.owner.as_deref().is_some_and(replaced) {
            continue;
        }
        let facts = new.owner.as_ref().and_then(|o| b.facts.get(o));
        let (level, kind, note) = match new.kind {
            Kind::Item => (Level::Minor, "type_added", None),
            Kind::Field => match facts {
                Some(f) if f.non_exhaustive || f.private_fields => (Level::Minor, "field_added", None),
                _ => (
                    Level::Major,
                    "field_added",
                    Some("the struct's fields are all public and it is not #[non_exhaustive]: a struct literal or an exhaustive pattern of it no longer compiles".to_owned()),
                ),
            },
            Kind::Variant => match facts {
                Some(f) if f.non_exhaustive => (Level::Minor, "variant_added", Some("the enum is #[non_exhaustive]".to_owned())),
                _ => (
                    Level::Major,
                    "variant_added",
                    Some("the enum is exhaustive: a `match` on it no longer compiles".to_owned()),
                ),
            },
            Kind::Method if path.starts_with("Client::") => {
                (Level::Minor, "operation_added", op_note(b, path))
            }
            Kind::Method => (Level::Minor, "method_added", None),
            Kind::Impl => (Level::Minor, "trait_impl_added", None),
        };
        changes.push(change(level, kind, path, None, Some(&new.sig), note));
    }
    changes.sort_by(|x, y| y.level.cmp(&x.level).then_with(|| x.path.cmp(&y.path)));
    let required = changes
        .iter()
        .map(|c| c.level)
        .max()
        .unwrap_or(Level::Patch);
    Report {
        old: old_label,
        new: new_label,
        required,
        changes,
    }
}

/// A key of a TOML table, quoted when it is not a bare key.
fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_owned()
    } else {
        format!("{k:?}")
    }
}

/// A change to an entry present on both sides.
fn changed(
    a: &Surface,
    b: &Surface,
    path: &str,
    old: &Entry,
    new: &Entry,
    note: Option<String>,
) -> Change {
    let mk = |level, kind, note: Option<String>| Change {
        level,
        kind,
        path: path.to_owned(),
        old: Some(old.sig.clone()),
        new: Some(new.sig.clone()),
        note,
    };
    match new.kind {
        Kind::Field => {
            if strip_option(&old.sig) == Some(new.sig.as_str()) {
                mk(Level::Major, "field_became_required", None)
            } else if strip_option(&new.sig) == Some(old.sig.as_str()) {
                mk(Level::Major, "field_became_optional", None)
            } else {
                mk(Level::Major, "field_type_changed", None)
            }
        }
        Kind::Variant => mk(Level::Major, "variant_changed", None),
        Kind::Method => {
            let old_args: BTreeSet<&(String, String)> = old.args.iter().collect();
            let new_args: BTreeSet<&(String, String)> = new.args.iter().collect();
            let mut parts = Vec::new();
            let added: Vec<String> = new
                .args
                .iter()
                .filter(|x| !old_args.contains(x))
                .map(|(n, t)| format!("`{n}: {t}`"))
                .collect();
            let removed: Vec<String> = old
                .args
                .iter()
                .filter(|x| !new_args.contains(x))
                .map(|(n, t)| format!("`{n}: {t}`"))
                .collect();
            if !added.is_empty() {
                parts.push(format!("argument {} added", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("argument {} removed", removed.join(", ")));
            }
            // A required argument that was a setter of the operation's builder: an optional
            // parameter became required.
            if let Some(method) = path.strip_prefix("Client::") {
                let builder = new.sig.rsplit("-> operations::").next().unwrap_or("");
                for (n, _) in new.args.iter().filter(|x| !old_args.contains(x)) {
                    let setter = format!("operations::{builder}::{n}");
                    if a.entries.contains_key(&setter) && !b.entries.contains_key(&setter) {
                        parts.push(format!("parameter `{n}` of `{method}` became required"));
                    }
                }
            }
            let mut all: Vec<String> = note.into_iter().collect();
            all.extend(parts);
            let note = (!all.is_empty()).then(|| all.join("; "));
            let kind = if path.starts_with("Client::") {
                "operation_signature_changed"
            } else {
                "method_signature_changed"
            };
            mk(Level::Major, kind, note)
        }
        Kind::Item => {
            // Dropping `#[non_exhaustive]` alone is additive; anything else changes the item.
            let bare = |s: &str| s.trim_start_matches("#[non_exhaustive] ").to_owned();
            if bare(&old.sig) == bare(&new.sig) && new.sig.len() < old.sig.len() {
                mk(
                    Level::Minor,
                    "type_changed",
                    Some("no longer #[non_exhaustive]".into()),
                )
            } else if old.sig.starts_with("pub const") {
                mk(Level::Major, "const_changed", None)
            } else {
                mk(Level::Major, "type_changed", None)
            }
        }
        Kind::Impl => mk(Level::Patch, "trait_impl_changed", None),
    }
}

#[cfg(test)]
mod tests;
