//! Rust back end: IR -> syn/quote tokens. Reads only the IR.

use crate::diag::Diagnostic;
use crate::ir;
use crate::options::Options;

/// One module of generated code.
#[derive(Debug)]
pub(crate) struct RustModule {
    /// Module name (`types`, `client`, …): `src/<name>.rs` in a crate, `pub mod <name> { … }` in a
    /// single file.
    pub(crate) name: String,
    /// Module docs (plain text, one paragraph).
    pub(crate) docs: String,
    /// The module's items.
    pub(crate) items: proc_macro2::TokenStream,
}

/// Generated Rust code, not yet printed.
#[derive(Debug)]
pub(crate) struct RustCode {
    /// Modules in a fixed order.
    pub(crate) modules: Vec<RustModule>,
}

/// Generates the client code for `api`.
pub(crate) fn generate(api: &ir::Api, opts: &Options) -> (RustCode, Vec<Diagnostic>) {
    let _ = (api, opts);
    todo!("backend helper")
}
