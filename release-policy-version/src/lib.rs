//! The version model of `cargo-release-policy`: one canonical SemVer version per group,
//! bumped, spelled as each ecosystem writes it, and refused unless it moves forward in every
//! ordering of the group. Pure: no I/O, no process, no global state.
//!
//! * [`Version`] is the canonical version (SemVer 2.0 with the pre-release labels the group
//!   knows, [`Labels`]); [`bump`] computes the next one from a [`Level`].
//! * [`Spelling`] renders it per [`Ecosystem`] (`1.5.0-beta.1` for Cargo, npm and NuGet,
//!   `1.5.0b1` for PEP 440, `1.5.0.0` for an `AssemblyVersion`, …) and reads those spellings
//!   back by meaning ([`Spelling::compare`]).
//! * [`check_forward`] refuses a bump that goes backwards in any ordering of the group (SemVer
//!   orders `beta < dev < rc`, PEP 440 `.dev < a < b < rc`).
//! * [`requirement`] rewrites requirements on sibling packages (`^1.4.0`, `==1.4.0`,
//!   `[1.4.0]`), keeping their operator.
//!
//! ```
//! use release_policy_version::{bump, check_forward, Ecosystem, Labels, Level, Spelling, Version};
//!
//! let labels = Labels::builtin();
//! let current = Version::parse("1.4.2", &labels)?;
//! let next = bump(&current, &Level::Minor, Some("beta"), &labels)?;
//! assert_eq!(next.to_string(), "1.5.0-beta.1");
//!
//! let spelling = Spelling::default();
//! assert_eq!(spelling.render(&next, Ecosystem::Pep440)?, "1.5.0b1");
//! assert_eq!(spelling.render(&next, Ecosystem::Assembly)?, "1.5.0.0");
//!
//! // Forward in SemVer (`beta < dev`), backward in PEP 440 (`.dev` sorts first): refused.
//! let dev = Version::parse("1.5.0-dev.1", &labels)?;
//! let ecosystems = [Ecosystem::Cargo, Ecosystem::Pep440];
//! assert!(check_forward(&next, &dev, &ecosystems, &spelling).is_err());
//! # Ok::<(), release_policy_version::VersionError>(())
//! ```
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

mod bump;
mod canonical;
mod ecosystem;
mod error;
mod label;
pub mod maven;
mod numeric;
mod order;
mod pre_spelling;
pub mod requirement;
pub mod rubygems;
mod suggest;
mod view;

#[cfg(test)]
mod spellings_tests;
#[cfg(test)]
mod tests;

pub use bump::{bump, Level};
pub use canonical::{Pre, Version, NUGET_MAX};
pub use ecosystem::{Comparison, Ecosystem, Spelling, ASSEMBLY_MAX, DEFAULT_ASSEMBLY_TEMPLATE};
pub use error::VersionError;
pub use label::{LabelError, Labels, Stage, BUILTIN as BUILTIN_LABELS, DEFAULT_START};
pub use numeric::{numeric_shape, numeric_template, NUMERIC_MAX_PARTS};
pub use order::{check_forward, check_forward_published, orderings};
pub use pre_spelling::PreSpelling;
pub use suggest::{closest, label_help};
pub use view::OrderView;
