//! The runtime's integration tests, one module per file, compiled into one test binary (see
//! `[[test]]` in Cargo.toml). `common` is the recording server most of them share.

mod common;

pub mod contract;
pub mod errors;
pub mod fuzz_regressions;
pub mod hostile;
pub mod http;
pub mod interceptors;
pub mod oauth;
pub mod paging;
pub mod protocols;
pub mod retry;
pub mod seams;
pub mod streaming;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod types;
pub mod uploads;
