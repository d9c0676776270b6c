//! cargo-release-policy: keep every manifest of a polyglot monorepo in version lockstep.
//!
//! Data flows one way: load the policy → discover the manifests → read each file once →
//! plan (pure) → report or apply → git.

pub mod editor;
pub mod requirement;
pub mod text;
pub mod version;
