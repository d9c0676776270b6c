//! The integration tests of `policy-schema`, one binary (a module per subject).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod support;

mod cargo_release;
mod keys;
mod round_trip;
mod schema;
mod standard_doc;
mod tables;
