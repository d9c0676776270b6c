//! The integration tests of `release-policy-editor`, one binary: files edited by the library,
//! then judged by each format's own tool or an independent parser.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod support;

mod oracle_cargo;
mod oracle_hatch;
mod oracle_more_kinds;
mod oracle_msbuild;
mod oracle_npm;
mod oracle_uv;
