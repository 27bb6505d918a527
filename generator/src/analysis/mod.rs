//! Passes over the IR that prepare it for code generation. They run after a front end and
//! before a back end, and only annotate the model (e.g. [`crate::ir::Field::boxed`]): `defaults`
//! marks the defaults read into received types, `cycles` boxes what closes a cycle, then `size`
//! boxes what keeps types small.

pub(crate) mod cycles;
pub(crate) mod defaults;
pub(crate) mod size;
#[cfg(test)]
pub(crate) mod test_util;

use crate::diag::Diagnostic;
use crate::ir;

/// Runs every analysis pass over `api`, in a fixed order.
pub(crate) fn run(api: &mut ir::Api) -> Vec<Diagnostic> {
    let mut diags = defaults::apply(api);
    diags.extend(cycles::box_cycles(api));
    size::box_large(api);
    diags
}
