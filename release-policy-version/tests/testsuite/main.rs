//! The integration tests of `release-policy-version`, one binary: the version model judged by
//! the ecosystems' own implementations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod oracle_maven;
mod oracle_pep440;
mod oracle_spellings;
