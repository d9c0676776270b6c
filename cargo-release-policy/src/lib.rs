//! cargo-release-policy: keep every manifest of a polyglot monorepo in version lockstep.
//!
//! Data flows one way: [`load`] loads the workspace, policies and files (each read once,
//! through [`editor`]) → [`plan`] decides, purely, what every field should hold → [`report`]
//! prints, or [`apply`] writes all or nothing. The version model is [`version`].

pub mod app;
pub mod apply;
pub mod cache;
pub mod checklist;
pub mod cli;
pub mod diff;
pub mod editor;
pub mod fspath;
pub(crate) mod fxhash;
pub mod git;
pub mod group;
pub mod init;
pub mod load;
pub mod par;
pub mod plan;
pub mod release;
pub mod report;
pub mod requirement;
pub mod template;
pub mod text;
pub mod timing;
pub mod version;

pub use app::{run, AppError, Exit};
pub use cli::{CargoCli, Cli};
