//! The files a manifest implies: the lockfile beside or above it, a dynamic Python version's
//! file, the MSBuild props files above a project. Found here; read (`read.rs`) and claimed
//! (`claim.rs`) with the manifest.

use std::path::{Component, Path, PathBuf};

use super::expand::{self, Nearest};
use super::source::SourceFile;
use release_policy_editor::version_file::VersionPattern;
use release_policy_editor::{DynamicVersion, FileKind, Note};

/// The files `file` implies, and whether its group owns their version: lockfiles beside
/// it, a dynamic version's file, the MSBuild props above it.
pub(super) fn implied(
    root: &Path,
    file: &SourceFile,
    nearest: &Nearest,
) -> Vec<(PathBuf, FileKind, bool)> {
    let dir = file.abs.parent().unwrap_or(Path::new(""));
    let mut extra: Vec<(PathBuf, FileKind, bool)> = Vec::new();
    match file.kind {
        FileKind::PackageJson => {
            if let Some(lock) = nearest.find(root, dir, "package-lock.json") {
                extra.push((lock, FileKind::PackageLock, false));
            }
        }
        FileKind::Pyproject => {
            if let Some(lock) = nearest.find(root, dir, "uv.lock") {
                extra.push((lock, FileKind::UvLock, false));
            }
            for note in &file.reading.notes {
                if let Note::Dynamic { source, .. } = note {
                    if let Some(path) = version_file(dir, source) {
                        extra.push((path, FileKind::VersionFile, true));
                    }
                    // maturin's Cargo.toml carries the version: it follows the group (a
                    // workspace member is checked once every group is claimed).
                    if let DynamicVersion::Maturin { manifest_path } = source {
                        let cargo = join_lexically(dir, manifest_path);
                        if cargo.is_file() {
                            extra.push((cargo, FileKind::CargoToml, true));
                        }
                    }
                }
            }
        }
        FileKind::CargoToml => {
            let lock = dir.join("Cargo.lock");
            if lock.is_file() {
                extra.push((lock, FileKind::CargoLock, false));
            }
        }
        FileKind::MsBuild => {
            for name in ["Directory.Build.props", "Directory.Packages.props"] {
                if let Some(props) = nearest.find(root, dir, name) {
                    if props != file.abs {
                        extra.push((props, FileKind::MsBuild, false));
                    }
                }
            }
        }
        FileKind::MavenPom => {
            // The modules of an aggregator build with it: each module's POM follows.
            for module in release_policy_editor::pom::modules(&file.text) {
                let path = join_lexically(dir, &module);
                let pom = if path.extension().is_some_and(|e| e == "xml") {
                    path
                } else {
                    path.join("pom.xml")
                };
                if pom.is_file() {
                    extra.push((pom, FileKind::MavenPom, true));
                }
            }
        }
        FileKind::GradleBuild => {
            // A build script's `version = prop` is defined in a gradle.properties.
            if let Some(props) = nearest.find(root, dir, "gradle.properties") {
                extra.push((props, FileKind::GradleProperties, false));
            }
        }
        kind => extra.extend(implied_by_more_kinds(root, dir, file, kind, nearest)),
    }
    extra
}

/// What the Ruby and Dart manifests imply: the `Gemfile.lock` or `pubspec.lock` nearest above
/// them (its path entries follow the group), and the `version.rb` defining the constant a
/// gemspec's version is computed from (its version is the group's).
fn implied_by_more_kinds(
    root: &Path,
    dir: &Path,
    file: &SourceFile,
    kind: FileKind,
    nearest: &Nearest,
) -> Vec<(PathBuf, FileKind, bool)> {
    let mut extra = Vec::new();
    let lock = match kind {
        FileKind::Gemspec | FileKind::RubyVersion => Some(("Gemfile.lock", FileKind::GemfileLock)),
        FileKind::Pubspec => Some(("pubspec.lock", FileKind::PubspecLock)),
        _ => None,
    };
    if let Some((name, lock_kind)) = lock {
        if let Some(lock) = nearest.find(root, dir, name) {
            extra.push((lock, lock_kind, false));
        }
    }
    for note in &file.reading.notes {
        if let Note::Dynamic {
            source: DynamicVersion::Expression { expression },
            ..
        } = note
        {
            if let Some(path) = ruby_constant_file(expression).map(|rel| dir.join(rel)) {
                if path.is_file() {
                    extra.push((path, FileKind::RubyVersion, true));
                }
            }
        }
    }
    extra
}

/// The file the RubyGems convention defines a version constant in, relative to the gemspec:
/// `Foo::Bar::VERSION` in `lib/foo/bar/version.rb` (each module name in snake case).
pub(crate) fn ruby_constant_file(expression: &str) -> Option<String> {
    let modules = expression.strip_suffix("::VERSION")?;
    let modules = modules.strip_prefix("::").unwrap_or(modules);
    let mut path = String::from("lib");
    for module in modules.split("::") {
        if module.is_empty()
            || !module
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        path.push('/');
        for (i, c) in module.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    path.push('_');
                }
                path.push(c.to_ascii_lowercase());
            } else {
                path.push(c);
            }
        }
    }
    path.push_str("/version.rb");
    Some(path)
}

/// The kind of manifest `abs`'s name says it is.
pub(super) fn kind_of(abs: &Path) -> Option<FileKind> {
    expand::file_name_text(abs).and_then(FileKind::detect)
}

/// The hatch `pattern` a pyproject reads its dynamic version with.
pub(super) fn dynamic_pattern(file: &SourceFile) -> Option<&VersionPattern> {
    file.reading.notes.iter().find_map(|note| match note {
        Note::Dynamic {
            source: DynamicVersion::File { pattern, .. },
            ..
        } => pattern.as_ref(),
        _ => None,
    })
}

/// The file a dynamic Python version is read from, when the tool edits it.
pub(super) fn version_file(dir: &Path, source: &DynamicVersion) -> Option<PathBuf> {
    match source {
        DynamicVersion::File { path, .. } => Some(join_lexically(dir, path)),
        DynamicVersion::SetuptoolsAttr { attr } => {
            let module = attr.rsplit_once('.').map_or(attr.as_str(), |(m, _)| m);
            let rel = module.replace('.', "/");
            [
                format!("{rel}/__init__.py"),
                format!("{rel}.py"),
                format!("src/{rel}/__init__.py"),
                format!("src/{rel}.py"),
            ]
            .into_iter()
            .map(|p| dir.join(p))
            .find(|p| p.is_file())
        }
        DynamicVersion::Maturin { .. }
        | DynamicVersion::Vcs
        | DynamicVersion::Expression { .. }
        | DynamicVersion::Unknown { .. } => None,
    }
}

/// `dir` joined with `path`, `.` and `..` resolved by name: a version file named
/// `../python/v.py` from `tools/` is `python/v.py`, the file another pyproject names, under
/// one key. When a link makes `..` lead elsewhere than by name, the path is kept as joined
/// (and where it really leads is checked once it is named).
fn join_lexically(dir: &Path, path: &str) -> PathBuf {
    let joined = dir.join(path);
    if !Path::new(path)
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
    {
        return joined;
    }
    let mut resolved = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => resolved.push(other),
        }
    }
    if std::fs::canonicalize(&joined).ok() == std::fs::canonicalize(&resolved).ok() {
        resolved
    } else {
        joined
    }
}
