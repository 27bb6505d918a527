//! The end-to-end tests, one module per file, compiled into one test binary (see `[[test]]` in
//! Cargo.toml). The modules are `pub` so that their items are as reachable as they were at a
//! crate root.

pub mod adversarial;
pub mod goldens_compile;
pub mod graphql;
pub mod graphql_ws;
pub mod loopback;
pub mod openai_chat;
pub mod paging_streaming;
pub mod prism;
pub mod seams;
pub mod soap;
pub mod soap_xsd;
pub mod tag_features;
pub mod type_sizes;
pub mod wire;
pub mod xml_wire;
