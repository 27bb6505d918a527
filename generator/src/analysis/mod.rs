//! Passes over the IR (placeholder until the back-end branch lands).
pub(crate) fn run(api: &mut crate::ir::Api) {
    let _ = api;
}
