//! sdkwright: generates typed Rust client crates from OpenAPI, GraphQL and WSDL documents.
#![warn(missing_docs)]

mod analysis;
mod diag;
mod emit;
mod graphql;
mod ir;
mod load;
mod lowered;
mod openapi;
mod options;
mod rust;
mod wsdl;

pub use diag::{Diagnostic, Location, Severity};
pub use options::Options;
