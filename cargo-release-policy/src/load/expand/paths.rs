//! Paths joined, cut and normalized from their text, without the file system.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// `path` with `.` and `..` resolved lexically (no file system access).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    push_normalized(&mut out, path);
    out
}

/// Push `path`'s components onto `out`, resolving `.` and `..` lexically: for a normalized
/// `out`, the result is `normalize(out/path)` without going through `out` again. An absolute
/// `path` replaces `out`, as `PathBuf::push` does.
pub fn push_normalized(out: &mut PathBuf, path: &Path) {
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
}

/// A relative path with `/` separators, as globs match it.
pub(super) fn slash_path(rel: &Path) -> Cow<'_, str> {
    match rel.to_str() {
        Some(text) if std::path::MAIN_SEPARATOR == '/' => Cow::Borrowed(text),
        _ => Cow::Owned(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        ),
    }
}

/// `dir/name`, for a `name` that is one path component (from a listing or a pattern):
/// where `Path::join` looks at how `dir` ends and whether `name` is absolute, and grows its
/// buffer, on every call.
pub fn join_name(dir: &Path, name: impl AsRef<std::ffi::OsStr>) -> PathBuf {
    let name = name.as_ref();
    let bytes = dir.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR == '/'
        && !bytes.is_empty()
        && !bytes.ends_with(b"/")
        && !name.as_encoded_bytes().starts_with(b"/")
    {
        let mut joined = std::ffi::OsString::with_capacity(bytes.len() + 1 + name.len());
        joined.push(dir.as_os_str());
        joined.push("/");
        joined.push(name);
        PathBuf::from(joined)
    } else {
        dir.join(name)
    }
}

/// The last component of `path` as text, cut from its bytes when it is a plain name
/// (where `Path::file_name` parses the component).
pub fn file_name_text(path: &Path) -> Option<&str> {
    let text = path.to_str()?;
    match text.rsplit_once('/') {
        Some((_, name)) if std::path::MAIN_SEPARATOR == '/' && plain_name(name) => Some(name),
        _ => path.file_name()?.to_str(),
    }
}

fn plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".."
}

/// `path` relative to `root` with `/` separators (`None` when it is not below it): cut from
/// the text when `path` is `root`, a `/`, and the rest (as the expansions build them),
/// where `Path::strip_prefix` parses both paths' components.
pub(super) fn relative_text<'a>(root: &Path, path: &'a Path) -> Option<Cow<'a, str>> {
    if std::path::MAIN_SEPARATOR == '/' {
        if let (Some(root), Some(text)) = (root.to_str(), path.to_str()) {
            if let Some(rest) = text
                .strip_prefix(root)
                .and_then(|rest| rest.strip_prefix('/'))
            {
                if !root.ends_with('/')
                    && rest.split('/').all(|part| !part.is_empty() && part != ".")
                {
                    return Some(Cow::Borrowed(rest));
                }
            }
        }
    }
    path.strip_prefix(root).ok().map(slash_path)
}
