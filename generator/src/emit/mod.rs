//! Writing output (placeholder until the back-end branch lands).
use std::path::Path;

use crate::ir::Api;
use crate::options::Options;
use crate::rust::RustCode;
use crate::GeneratedFile;

pub(crate) struct SourceInfo;
impl SourceInfo {
    pub(crate) fn new(_path: &Path, _bytes: &[u8]) -> Self {
        SourceInfo
    }
}
pub(crate) fn crate_name(name: Option<&str>, _input: &Path) -> String {
    name.unwrap_or("api").to_string()
}
pub(crate) fn render_crate(
    _: &Api,
    _: &RustCode,
    _: &Options,
    _: &SourceInfo,
) -> Result<Vec<GeneratedFile>, String> {
    todo!()
}
pub(crate) fn render_single_file(
    _: &Api,
    _: &RustCode,
    _: &Options,
    _: &SourceInfo,
) -> Result<String, String> {
    todo!()
}
pub(crate) fn write_crate(_: &Path, _: &[GeneratedFile]) -> std::io::Result<()> {
    todo!()
}
