//! A downstream crate that generates its API client at build time (see `build.rs`).
//!
//! The whole client is one file in `OUT_DIR`, included here.

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
