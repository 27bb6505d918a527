//! What a front end hands to the rest of the pipeline.

use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::ir;

/// The result of lowering documents into the IR. Lowering never fails: a document that cannot be
/// read or parsed yields an empty [`ir::Api`] and an error diagnostic.
#[derive(Debug, Default)]
pub(crate) struct Lowered {
    /// The API model.
    pub(crate) api: ir::Api,
    /// Everything found, errors and warnings, in a deterministic order.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every file read (for `cargo:rerun-if-changed`), including external `$ref` targets.
    pub(crate) files_read: Vec<PathBuf>,
    /// What `--strict` reports instead of [`Lowered::diagnostics`], when the front end generated
    /// around broken references (OpenAPI): the same diagnostics without the warnings about what
    /// was skipped, each broken reference an error at the reference. `None` when nothing was
    /// broken.
    pub(crate) strict: Option<Vec<Diagnostic>>,
    /// The parsed documents (OpenAPI), handed over so that the caller frees them where it
    /// chooses: right after lowering, or never in a process about to exit
    /// ([`crate::Generator::skip_free`]). `None` for the other front ends.
    pub(crate) documents: Option<crate::load::refs::DocSet>,
}
