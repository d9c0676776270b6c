//! cargo-release-policy: keep every manifest of a polyglot monorepo in version lockstep.
//!
//! Data flows one way: `load` reads the workspace, policies and files (each once, through
//! the `release-policy-editor` crate) → `plan` decides, purely, what every field should hold
//! (the version model is the `release-policy-version` crate) → `report` renders, or `apply`
//! writes all or nothing → `release` commits and tags. The `commands` run those steps and
//! print through one `printer`; errors are `error::Error`, shown by `diagnostic::render`.
//! `docs/architecture.md` is the map.
//!
//! The public surface is what the binary needs: [`run`], [`Exit`], [`Error`], the command
//! line, and the start-up calls of `main`.
// The library is held to the workspace's panic lints (`Cargo.toml`: no index, slice or
// `panic!` without a `// proof:`); its unit tests may index and panic.
#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic,
        clippy::unreachable
    )
)]

mod adopt;
mod apply;
mod branch_guard;
mod cache;
mod checklist;
mod cli;
mod commands;
mod diagnostic;
mod diff;
mod documents;
mod error;
mod fast_map;
mod fspath;
mod git;
mod group;
mod import;
mod load;
mod par;
mod plan;
mod printer;
mod release;
mod report;
mod safety;
mod shell_quote;
mod style;
mod survey;
mod template;
pub mod timing;

pub use cli::{CargoCli, Cli};
pub use commands::{exit_after_run, run, Exit};
pub use error::Error;
pub use par::join_pool_from_main;
