//! Validation of operation documents against the schema with `apollo-compiler`: every rule of
//! the GraphQL spec's validation section that a client can check (fields, arguments and their
//! types, required arguments, variables defined, used, and used where their type is allowed,
//! fragment type conditions that can apply, field merging across fragments, unused and undefined
//! fragments, directives), each problem a located error.
//!
//! The schema is taken as it is (`Valid::assume_valid` on the parse, partial on errors): real
//! schemas often break a schema rule or two that do not matter to a client, and graphql-parser
//! already reports syntax errors in it.

use std::path::Path;

use apollo_compiler::diagnostic::ToCliReport;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};

use crate::diag::Diagnostic;

/// The schema, ready to validate operation documents against.
pub(super) struct Validator {
    schema: Valid<Schema>,
}

impl Validator {
    /// Parses `sdl` (the schema file's text, or the SDL converted from introspection).
    pub(super) fn new(sdl: &str, path: &Path) -> Self {
        let schema = match Schema::parse(sdl, path) {
            Ok(s) => s,
            Err(with_errors) => with_errors.partial,
        };
        Validator {
            schema: Valid::assume_valid(schema),
        }
    }

    /// One error per problem of the operation document `text` (read from `path`), located at
    /// its line and column in that file.
    pub(super) fn check(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let Err(with_errors) = ExecutableDocument::parse_and_validate(&self.schema, text, path)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for d in with_errors.errors.iter() {
            let name = d.error.unstable_error_name().unwrap_or("Invalid");
            // Parse errors are graphql-parser's to report (`graphql::syntax`), and nesting past
            // apollo-compiler's own limits is refused, located, by the lowering's stricter bounds
            // (`graphql::fragment_cycle`, `graphql::selection_too_large`); apollo-compiler's
            // report of it (`RecursionError`) has no position.
            if name.contains("Syntax")
                || name == "LimitExceeded"
                || name == "RecursionLimitError"
                || name == "RecursionError"
            {
                continue;
            }
            let in_document = d
                .error
                .location()
                .and_then(|span| d.sources.get(&span.file_id()))
                .is_some_and(|file| file.path() == path);
            let message = d.error.to_string();
            // Each operation is sent with only the fragments it uses, so a fragment no
            // operation uses never reaches the server.
            let diag = if name == "UnusedFragment" {
                Diagnostic::warning("graphql::unused_fragment", message)
                    .help("remove the fragment, or spread it where it is needed")
            } else {
                Diagnostic::error("graphql::invalid_operation", message).help(format!(
                    "the server would reject this document ({name}); fix it against the schema"
                ))
            };
            out.push(match d.line_column_range().filter(|_| in_document) {
                Some(range) => {
                    diag.at_line(path, "", range.start.line as u32, range.start.column as u32)
                }
                None => diag.at(path, ""),
            });
        }
        out
    }
}
