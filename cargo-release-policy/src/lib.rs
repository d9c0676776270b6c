//! cargo-release-policy: keep every manifest of a polyglot monorepo in version lockstep.
//!
//! Data flows one way: [`repo`] loads the workspace, policies and files (each read once,
//! through [`editor`]) → [`plan`] decides, purely, what every field should hold → [`report`]
//! prints, or [`apply`] writes all or nothing. The version model is [`version`].

pub mod app;
pub mod apply;
pub mod cache;
pub mod checklist;
pub mod cli;
pub mod diff;
pub mod discover;
pub(crate) mod fast_map;
pub mod fspath;
pub mod git;
pub mod group;
pub mod init;
pub mod par;
pub mod plan;
pub mod release;
pub mod repo;
pub mod report;
pub mod source;
pub mod template;
pub mod timing;
pub mod workspace;

// The version model and the editors are crates of their own (no I/O); their old paths inside
// this crate stay as aliases.
pub(crate) use release_policy_editor as editor;
pub(crate) use release_policy_editor::text;
pub(crate) use release_policy_version as version;
pub(crate) use release_policy_version::requirement;

pub use app::{run, AppError, Exit};
pub use cli::{CargoCli, Cli};
