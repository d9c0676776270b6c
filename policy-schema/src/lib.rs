//! The policy table of cargo-release-policy — `[workspace.metadata.release]` or
//! `[package.metadata.release]` of a Cargo.toml, and their `release-policy` twins — as serde
//! types, a validating reader, and a JSON Schema. No I/O.
//!
//! - [`parse_policies`] reads the tables out of a whole Cargo.toml text; errors carry byte spans.
//! - [`Policy`] and the types it holds are the standard; their doc comments are the schema's
//!   descriptions.
//! - [`json_schema`] returns the JSON Schema (draft 2020-12) of one table, checked in as
//!   `policy-schema/release-policy.schema.json`.
//!
//! The serde derives are for output and round trips (`--format json`): `Deserialize` does not
//! enforce the standard's rules (unknown keys, placeholders, labels, …); read Cargo.toml text
//! with [`parse_policies`], which does.
//!
//! The standard itself is written down in `docs/standard.md`.
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

mod cargo_release;
mod error;
mod parse;
mod policy;
mod schema;
mod schema_rules;
mod suggest;
mod template;

pub use cargo_release::{
    CargoReleaseKeys, CertsSource, DependentVersion, MetadataPolicy, RateLimit, Replacement,
    StringOrList, Unstable,
};
pub use error::{PolicyError, PolicyErrorKind};
pub use parse::{parse_policies, policies_of_document};
pub use policy::{
    AppVersion, Check, DotnetPolicy, HelmPolicy, ManifestEntry, ManifestPolicies, Origin,
    PatternEntry, Pep440Stage, Policy, PreReleaseSpelling, PreReleaseStart, SharedVersion,
    VersionFormat,
};
pub use schema::json_schema;
pub use template::PLACEHOLDERS;
