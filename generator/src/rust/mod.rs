//! Rust back end: IR -> syn/quote tokens. Reads only the IR.
//!
//! [`generate`] produces three modules (docs/generated-code.md): `types` (models), `operations`
//! (request builders, `static` operation specs, error enums) and `client` (`Client`,
//! `ClientBuilder`, security scheme statics). Every identifier comes from [`naming`], every piece
//! of documentation from [`docs`]; strings from the document only ever become string literals.
//! Modules refer to each other through `super::` paths so the same tokens work as files of a crate
//! and as inline modules of a single `include!`d file.

mod client;
pub(crate) mod docs;
pub(crate) mod naming;
mod operations;
mod paging;
mod types;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diag::Diagnostic;
use crate::ir;
use crate::options::Options;
use naming::{ident, Names};

/// One module of generated code.
#[derive(Debug)]
pub(crate) struct RustModule {
    /// Module name (`types`, `client`, …): `src/<name>.rs` in a crate, `pub mod <name> { … }` in a
    /// single file.
    pub(crate) name: String,
    /// Whether the module is `pub` (`types`, `operations`) or private (`client`, re-exported).
    pub(crate) public: bool,
    /// Module docs (plain text, one paragraph).
    pub(crate) docs: String,
    /// The module uses items the document marks deprecated: `#[deprecated]` is for the crate's
    /// users, the crate itself must not warn about its own uses of them.
    pub(crate) allow_deprecated: bool,
    /// Which items: see [`RustCode::items`].
    kind: ModuleKind,
}

#[derive(Debug, Clone, Copy)]
enum ModuleKind {
    Types,
    Operations,
    Client,
}

/// Generated Rust code, not yet printed. The items of a module are generated when
/// [`RustCode::items`] hands them out, so the printer holds the tokens of one item at a time
/// instead of all of them (for a 50 MB document, gigabytes).
#[derive(Debug)]
pub(crate) struct RustCode {
    /// Modules in a fixed order.
    pub(crate) modules: Vec<RustModule>,
    /// Short example calls (`client.get_pet_by_id(pet_id).send().await?`) for crate docs.
    pub(crate) example_calls: Vec<String>,
    /// The API the items are generated from (a copy: the caller keeps its own).
    api: ir::Api,
    /// Its identifiers.
    names: Names,
    /// Per operation, a default timeout in milliseconds (`--operation-timeout`).
    timeouts: Vec<Option<u64>>,
}

impl RustCode {
    /// The identifiers of every item (read by `semver` to name operations).
    pub(crate) fn names(&self) -> &Names {
        &self.names
    }

    /// The items of `module`, one or a few top-level items per token stream, each generated
    /// when taken.
    pub(crate) fn items<'s>(
        &'s self,
        module: &RustModule,
    ) -> Box<dyn Iterator<Item = TokenStream> + 's> {
        let ctx = Ctx {
            api: &self.api,
            names: &self.names,
            timeouts: &self.timeouts,
        };
        match module.kind {
            ModuleKind::Types => Box::new(types::items(ctx)),
            ModuleKind::Operations => Box::new(operations::items(ctx)),
            ModuleKind::Client => Box::new(std::iter::once_with(move || client::generate(&ctx))),
        }
    }
}

/// Which module a type expression is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Inside `types`: named types are referred to by their bare name.
    Types,
    /// Inside a sibling module: `super::types::Name`.
    Sibling,
}

/// What every generator function needs.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// The API.
    pub(crate) api: &'a ir::Api,
    /// Its identifiers.
    pub(crate) names: &'a Names,
    /// Per operation, a default timeout in milliseconds.
    pub(crate) timeouts: &'a [Option<u64>],
}

impl Ctx<'_> {
    /// The Rust type of a type expression.
    pub(crate) fn ty(&self, ty: &ir::TypeRef, scope: Scope) -> TokenStream {
        match ty {
            // Raw bytes inside a model travel in JSON (or XML) text: as base64, the only
            // representation a server can read (`Vec<u8>` would be written as an array of numbers).
            // Whole bodies and responses (`Scope::Sibling`) stay raw `Vec<u8>`.
            ir::TypeRef::Primitive(ir::Primitive::Binary) if scope == Scope::Types => {
                primitive(ir::Primitive::Base64)
            }
            ir::TypeRef::Primitive(p) => primitive(*p),
            ir::TypeRef::Named(id) => {
                let name = ident(&self.names.types[id.0 as usize]);
                match scope {
                    Scope::Types => quote!(#name),
                    Scope::Sibling => quote!(super::types::#name),
                }
            }
            ir::TypeRef::List(inner) => {
                let inner = self.ty(inner, scope);
                quote!(Vec<#inner>)
            }
            ir::TypeRef::Map(inner) => {
                let inner = self.ty(inner, scope);
                quote!(::std::collections::BTreeMap<String, #inner>)
            }
            ir::TypeRef::Any => quote!(::sdkwright_runtime::serde_json::Value),
            ir::TypeRef::Nullable(inner) => {
                let inner = self.ty(inner, scope);
                quote!(Option<#inner>)
            }
            // Validated when the option was read; a type that does not parse falls back to `Value`.
            ir::TypeRef::External(path) => syn::parse_str::<syn::Type>(path)
                .map(|t| quote!(#t))
                .unwrap_or_else(|_| quote!(::sdkwright_runtime::serde_json::Value)),
        }
    }

    /// True when the type expression is `String` (arguments then take `impl Into<String>`).
    pub(crate) fn is_string(&self, ty: &ir::TypeRef) -> bool {
        match ty {
            ir::TypeRef::Primitive(ir::Primitive::String) => true,
            ir::TypeRef::Named(id) => match &self.api.ty(*id).kind {
                ir::TypeKind::Alias(inner) => self.is_string_shallow(inner),
                _ => false,
            },
            _ => false,
        }
    }

    fn is_string_shallow(&self, ty: &ir::TypeRef) -> bool {
        matches!(ty, ir::TypeRef::Primitive(ir::Primitive::String))
    }
}

/// The version of the contract between generated code and `sdkwright-runtime` that this
/// generator writes for: every generated crate checks it at compile time
/// (`rt::require_contract(N)`, see `client.rs`). It must equal the runtime's
/// `__private::CONTRACT`; raise both when generated code starts calling something new in the
/// runtime (docs/generated-code.md, "The contract with the runtime").
pub(crate) const RUNTIME_CONTRACT: u32 = 5;

/// `use ::sdkwright_runtime::__private as rt;`: modules that call the runtime name it `rt::…`,
/// which keeps generated code short. No generated item is named `rt` (types, builders and enums
/// are UpperCamelCase, statics SCREAMING_CASE), so the alias never collides.
pub(crate) fn runtime_import() -> TokenStream {
    quote!(
        use ::sdkwright_runtime::__private as rt;
    )
}

/// The Rust type of a primitive.
fn primitive(p: ir::Primitive) -> TokenStream {
    match p {
        ir::Primitive::String => quote!(String),
        ir::Primitive::Bool => quote!(bool),
        ir::Primitive::I32 => quote!(i32),
        ir::Primitive::I64 => quote!(i64),
        ir::Primitive::F32 => quote!(f32),
        ir::Primitive::F64 => quote!(f64),
        ir::Primitive::DateTime => quote!(::sdkwright_runtime::DateTime),
        ir::Primitive::Date => quote!(::sdkwright_runtime::Date),
        ir::Primitive::Uuid => quote!(::sdkwright_runtime::Uuid),
        ir::Primitive::Base64 => quote!(::sdkwright_runtime::Base64),
        ir::Primitive::Binary => quote!(Vec<u8>),
        ir::Primitive::File => quote!(::sdkwright_runtime::FilePart),
    }
}

/// Generates the client code for `api`. Run [`crate::analysis::run`] first so recursive types
/// are boxed.
pub(crate) fn generate(api: &ir::Api, opts: &Options) -> (RustCode, Vec<Diagnostic>) {
    let mut renames = naming::Renames::default();
    for v in &opts.renames {
        // Checked against the document before the back end runs (`options::unknown_rename`).
        match crate::project::parse_rename(v) {
            Ok((crate::project::RenameTarget::Operation(n), to)) => {
                renames.operations.insert(n, to);
            }
            Ok((crate::project::RenameTarget::Type(n), to)) => {
                renames.types.insert(n, to);
            }
            Ok((crate::project::RenameTarget::Field(t, f), to)) => {
                renames.fields.insert((t, f), to);
            }
            Err(_) => {}
        }
    }
    let by_op: std::collections::HashMap<String, u64> = opts
        .operation_timeouts
        .iter()
        .filter_map(|v| crate::project::parse_timeout(v).ok())
        .collect();
    let timeouts: Vec<Option<u64>> = api
        .operations
        .iter()
        .map(|op| by_op.get(&op.name.display()).copied())
        .collect();
    let names = naming::compute_renamed(api, &renames);
    let ctx = Ctx {
        api,
        names: &names,
        timeouts: &timeouts,
    };
    let mut diags = renamed_types(&ctx, &renames);
    diags.extend(renamed_operations(&ctx, &renames));
    types::diagnostics(&ctx, &mut diags);
    let example_calls = (0..api.operations.len())
        .map(|i| client::example_call(&ctx, i))
        .collect();
    // Deprecated types and fields are named by the generated code itself (fields, builders,
    // constructors, derives); deprecated methods and setters are not.
    let uses_deprecated = !api.deprecated_types.is_empty()
        || api.webhooks.iter().any(|w| w.deprecated)
        || api.types.iter().any(|t| match &t.kind {
            ir::TypeKind::Struct(s) => s.fields.iter().any(|f| f.deprecated),
            _ => false,
        });
    let modules = vec![
        RustModule {
            name: "types".into(),
            public: true,
            docs: format!("Data types of the {} API.", title(api)),
            allow_deprecated: uses_deprecated,
            kind: ModuleKind::Types,
        },
        RustModule {
            name: "operations".into(),
            public: true,
            docs: "Request builders, one per operation (and the error body enum of an operation that declares several error body types).".into(),
            allow_deprecated: uses_deprecated,
            kind: ModuleKind::Operations,
        },
        RustModule {
            name: "client".into(),
            public: false,
            docs: "The API client and its builder.".into(),
            allow_deprecated: uses_deprecated,
            kind: ModuleKind::Client,
        },
    ];
    (
        RustCode {
            modules,
            example_calls,
            api: api.clone(),
            names,
            timeouts,
        },
        diags,
    )
}

/// A warning for every type the document names whose Rust name had to change to avoid a
/// collision (`foo` beside `Foo` becomes `Foo2`): users look for the document's name.
fn renamed_types(ctx: &Ctx<'_>, renames: &naming::Renames) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (t, rust_name) in ctx.api.types.iter().zip(&ctx.names.types) {
        let wanted = match renames.types.get(&t.name.display()) {
            Some(to) => to.clone(),
            None => naming::type_name(&t.name),
        };
        let wire = match &t.name {
            ir::Name::Given(wire) => wire.clone(),
            ir::Name::Derived(_) if renames.types.contains_key(&t.name.display()) => {
                t.name.display()
            }
            ir::Name::Derived(_) => continue,
        };
        if wanted.trim_start_matches("r#") == rust_name.trim_start_matches("r#") {
            continue;
        }
        let (file, pointer) = t.origin.split_once('#').unwrap_or((t.origin.as_str(), ""));
        diags.push(
            Diagnostic::warning(
                "rust::type_renamed",
                format!("type `{wire}` is generated as `{rust_name}`: `{wanted}` is taken by another type or by the generated code"),
            )
            .at(file, pointer)
            .help("rename one of the colliding schemas if the numbered name is unwelcome"),
        );
    }
    diags
}

/// A warning for every operation whose method name had to change because another operation maps
/// to the same Rust name (`getThing` and `get_thing` both want `get_thing`).
fn renamed_operations(ctx: &Ctx<'_>, renames: &naming::Renames) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (op, names) in ctx.api.operations.iter().zip(&ctx.names.ops) {
        let wanted = match renames.operations.get(&op.name.display()) {
            Some(to) => to.clone(),
            None => naming::method_name(&op.name),
        };
        if wanted.trim_start_matches("r#") == names.method.trim_start_matches("r#") {
            continue;
        }
        let (file, pointer) = op
            .origin
            .split_once('#')
            .unwrap_or((op.origin.as_str(), ""));
        diags.push(
            Diagnostic::warning(
                "rust::operation_renamed",
                format!(
                    "operation `{}` is generated as `{}`: `{wanted}` is taken by another operation or by the generated code",
                    op.name.display(),
                    names.method
                ),
            )
            .at(file, pointer)
            .help("give the colliding operations operationIds that differ after conversion to snake_case"),
        );
    }
    diags
}

/// The API's title, or a fallback.
pub(crate) fn title(api: &ir::Api) -> String {
    let t = docs::first_line(&api.title);
    if t.is_empty() {
        "generated".into()
    } else {
        t
    }
}
