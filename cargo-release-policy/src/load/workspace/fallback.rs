//! Giving up on resolving the workspace from the manifests: `cargo metadata` decides instead.

/// Why `Workspace::resolve` left the workspace to `cargo metadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback(pub String);

pub(super) fn fallback<T>(why: impl Into<String>) -> Result<T, Fallback> {
    Err(Fallback(why.into()))
}
