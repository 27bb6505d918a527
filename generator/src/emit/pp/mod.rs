//! prettyplease's printing algorithm (Oppen's pretty printer as rustc's `pp.rs` adapted it),
//! vendored so that `emit::fast` can drive it straight from tokens: prettyplease keeps its
//! `Printer` private and only prints `syn` trees, and parsing every generated item with `syn`
//! was a third of generation time. The files are prettyplease 0.2.37's `algorithm.rs`,
//! `ring.rs` and `convenience.rs` with module paths changed and cheaper data (words borrow
//! their text, buffers are reused; see each file's head), the calls and the layout decisions
//! unchanged; the constants are its `lib.rs`'s.
//! Keep them in step with the prettyplease version in Cargo.lock (`emit::fast`'s tests compare
//! both printers on every item of the golden cases).

#![allow(dead_code, unreachable_pub, clippy::all, clippy::pedantic)]

pub(crate) mod algorithm;
mod convenience;
mod ring;

/// Line width prettyplease fills.
const MARGIN: isize = 89;

/// Indentation of a nested block.
pub(crate) const INDENT: isize = 4;

/// Every line is allowed at least this much space, even if highly indented.
const MIN_SPACE: isize = 60;
