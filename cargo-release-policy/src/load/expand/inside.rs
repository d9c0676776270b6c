//! Whether a path found is really inside the repository (links resolved).

use std::path::{Component, Path};

use super::entries::{self, Kind};
use super::error::ExpandError;

/// What `path` is, when it is below `root` by plain names (no `.` or `..`) and no
/// component of it below `root` is a link (asked with one `lstat` each): its real location
/// is then the root's, joined with the same names. `None` otherwise (a link on the way, a
/// component missing or not a directory). The root itself is a directory.
pub(super) fn plainly_below(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    let mut kind = Kind::Dir;
    for component in rel.components() {
        let Component::Normal(name) = component else {
            return None;
        };
        if kind != Kind::Dir {
            return None;
        }
        at.push(name);
        kind = entries::kind(&at)?;
        if kind == Kind::Link {
            return None;
        }
    }
    Some(kind)
}

/// Refuse a path whose real location (links resolved) is outside `root`, whose real
/// location is `real_root`.
pub(super) fn check_real(
    root: &Path,
    real_root: &Path,
    path: &Path,
    pattern: &str,
) -> Result<(), ExpandError> {
    if plainly_below(root, path).is_some() {
        return Ok(());
    }
    match path.canonicalize() {
        Ok(real) if !real.starts_with(real_root) => Err(ExpandError::LinkEscapes {
            pattern: pattern.to_string(),
            path: path.display().to_string(),
            target: real.display().to_string(),
        }),
        _ => Ok(()),
    }
}
