//! The spelling of a path handed to the operating system.
//!
//! The tool keys and shows files by absolute, normalized paths. The kernel resolves a path one
//! component at a time, so `/home/me/src/repo/packages/p1/package.json` costs seven lookups
//! where `packages/p1/package.json`, from the current directory, costs three. A check opens,
//! stats and lists thousands of paths below the current directory (the repository, in a
//! pre-commit hook), where the relative spelling makes opening a file and a failing `stat` (a
//! lockfile that is not there) measurably cheaper (`docs/performance.md`, "Paths spelled
//! short for the kernel").
//!
//! Only the spelling changes, never the file: the current directory is read once, the tool
//! never changes it, and a path is shortened only when its bytes start with the current
//! directory's followed by a separator, which names the same file whatever links lie below.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `abs` as the shortest path naming the same file for a system call: relative to the
/// current directory when it is below it, else `abs` itself.
#[must_use]
pub fn os(abs: &Path) -> &Path {
    match current_dir() {
        Some(cwd) => below(abs, cwd).unwrap_or(abs),
        None => abs,
    }
}

/// The current directory when the process first asked; `None` when it cannot be read (then
/// every path is used as it is).
fn current_dir() -> Option<&'static Path> {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// `path` relative to `dir` when `path` is `dir/…` byte for byte (an absolute `dir`; `.` for
/// `dir` itself), else `None`. Bytes, not components: `Path::strip_prefix` parses both paths.
// proof: `bytes` starts with `prefix`, so `prefix.len() <= bytes.len()`.
#[allow(clippy::indexing_slicing)]
fn below<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let (bytes, prefix) = (path.as_os_str().as_bytes(), dir.as_os_str().as_bytes());
        if !dir.is_absolute() || !bytes.starts_with(prefix) {
            return None;
        }
        let rest = &bytes[prefix.len()..];
        if rest.is_empty() {
            return Some(Path::new("."));
        }
        // `dir` is `/` (it ends with the separator), or the next byte must be one.
        let rest = if prefix.ends_with(b"/") {
            rest
        } else {
            rest.strip_prefix(b"/")?
        };
        if rest.starts_with(b"/") {
            // Not normalized (`dir//a`): leave it as it is.
            return None;
        }
        if rest.is_empty() {
            return Some(Path::new("."));
        }
        Some(Path::new(std::ffi::OsStr::from_bytes(rest)))
    }
    #[cfg(not(unix))]
    {
        // Windows paths have prefixes and two separators; leave them alone.
        let _ = (path, dir);
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::path::Path;

    use super::below;

    #[track_caller]
    fn case(path: &str, dir: &str, expected: Option<&str>) {
        assert_eq!(
            below(Path::new(path), Path::new(dir)),
            expected.map(Path::new),
            "{path} below {dir}"
        );
    }

    #[test]
    fn shortens_only_what_is_below() {
        case(
            "/r/packages/p1/package.json",
            "/r",
            Some("packages/p1/package.json"),
        );
        case("/r/Cargo.toml", "/r", Some("Cargo.toml"));
        case("/r", "/r", Some("."));
        case("/r/", "/r", Some("."));
        case("/r//a", "/r", None);
        case("/r/a", "/r/", Some("a"));
        case("/a", "/", Some("a"));
        // A sibling whose name starts with the directory's.
        case("/repo2/Cargo.toml", "/repo", None);
        case("/other/Cargo.toml", "/repo", None);
        case("/re", "/repo", None);
        // A relative directory is never a base.
        case("r/a", "r", None);
    }

    /// The shortened spelling names the same file as the absolute one, from the current
    /// directory.
    #[test]
    fn names_the_same_file() {
        let cwd = std::env::current_dir().unwrap();
        let abs = cwd.join("Cargo.toml");
        let short = super::os(&abs);
        assert_eq!(short, Path::new("Cargo.toml"));
        assert_eq!(std::fs::read(short).unwrap(), std::fs::read(&abs).unwrap());
        let outside = Path::new("/");
        assert_eq!(super::os(outside), outside);
    }
}
