//! The integration tests of `cargo-release-policy`, one binary (a module per subject): the
//! command run end to end on fixture repositories (`repos/`, `cases/`) and on the example
//! monorepo, against real git, cargo and the ecosystems' tools.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod support;

mod adopt;
mod bad_input;
mod cache;
mod cli;
mod closure;
mod color;
mod concurrency;
mod crash;
mod example;
mod git;
mod help;
mod json_contract;
mod oracle_jvm_go;
mod patterns;
mod pre_commit;
mod regressions;
mod release_safety;
mod sandbox;
mod scale;
mod spellings;
