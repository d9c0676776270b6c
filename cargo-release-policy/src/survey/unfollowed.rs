//! Candidates `init` finds but cannot list without `check` failing right after it: a project
//! file with no version anywhere, one that is never packed, a Python version maturin takes
//! from a `Cargo.toml` at another version, a gemspec whose version is computed by code the
//! tool cannot follow. Each gets the reason written beside its commented-out entry.

use std::path::Path;

use release_policy_editor::{DynamicVersion, FileKind, Note, Reading};
use release_policy_version::{Comparison, Ecosystem, Spelling, Version};

/// Why the candidate at `abs` (read as `reading`) cannot be listed, whatever the leader's
/// version (`None`: nothing stands in the way).
pub(super) fn blocker(
    root: &Path,
    abs: &Path,
    kind: FileKind,
    text: &str,
    reading: &Reading,
) -> Option<String> {
    match kind {
        FileKind::MsBuild => msbuild(root, abs, text, reading),
        FileKind::Gemspec | FileKind::Podspec => computed(reading),
        _ => None,
    }
}

/// A project never packed (`<IsPackable>false</IsPackable>`, a test project), or one with no
/// version here and no `Directory.Build.props` above it to give one.
fn msbuild(root: &Path, abs: &Path, text: &str, reading: &Reading) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact
        .to_ascii_lowercase()
        .contains("<ispackable>false</ispackable>")
    {
        return Some("`<IsPackable>false</IsPackable>`: never packed".to_string());
    }
    let has_version = reading.fields.iter().any(|f| {
        matches!(
            f.kind,
            release_policy_editor::FieldKind::Version
                | release_policy_editor::FieldKind::VersionPrefix
        )
    });
    let props_above = abs
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(root))
        .any(|dir| dir.join("Directory.Build.props").is_file());
    (!has_version && !props_above).then(|| {
        "no `<Version>` here or in a Directory.Build.props above it: add one to follow it"
            .to_string()
    })
}

/// A pyproject whose version maturin takes from a `Cargo.toml`: that file (as the pyproject
/// names it) and its version, which decides.
pub(super) fn maturin_source(abs: &Path, reading: &Reading) -> Option<(String, String)> {
    let manifest_path = reading.notes.iter().find_map(|n| match n {
        Note::Dynamic {
            source: DynamicVersion::Maturin { manifest_path },
            ..
        } => Some(manifest_path),
        _ => None,
    })?;
    let cargo_toml = abs.parent()?.join(manifest_path);
    let text = std::fs::read_to_string(&cargo_toml).ok()?;
    let found = FileKind::CargoToml
        .read(&text)
        .ok()?
        .fields
        .into_iter()
        .find(|f| f.key == "package.version")?
        .value;
    Some((manifest_path.clone(), found))
}

/// Why a maturin pyproject whose `Cargo.toml` (`path`) holds `found` is not in lockstep with
/// `leader`.
pub(super) fn maturin_reason(path: &str, found: &str, leader: &Version) -> Option<String> {
    match Spelling::default().compare(leader, found, Ecosystem::Cargo) {
        Comparison::Same | Comparison::Equivalent => None,
        _ => Some(format!(
            "maturin takes its version from `{path}`, at {found}, not {leader}: its own version"
        )),
    }
}

/// A gemspec whose version is computed by code other than a `Name::VERSION` constant (which
/// the loader follows to `lib/…/version.rb`): the tool cannot tell what it holds.
fn computed(reading: &Reading) -> Option<String> {
    reading.notes.iter().find_map(|n| match n {
        Note::Dynamic {
            source: DynamicVersion::Expression { expression },
            ..
        } if !is_constant(expression) => Some(format!(
            "its version is computed (`{expression}`): list the file it reads instead"
        )),
        _ => None,
    })
}

/// `Foo::VERSION`, `Foo::Bar::VERSION`.
fn is_constant(expression: &str) -> bool {
    expression.strip_suffix("::VERSION").is_some_and(|path| {
        !path.is_empty()
            && path.split("::").all(|part| {
                part.starts_with(|c: char| c.is_ascii_uppercase())
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn constant(expression: &str, expected: bool) {
        assert_eq!(is_constant(expression), expected, "{expression}");
    }

    #[test]
    fn constants() {
        constant("OpenDAL::VERSION", true);
        constant("Foo::Bar::VERSION", true);
        constant("VERSION", false);
        constant("cargo_toml.match(/x/)[1]", false);
        constant("foo::VERSION", false);
    }

    #[test]
    fn test_projects_are_never_packed() {
        let dir = std::env::temp_dir().join(format!("unfollowed-{}", std::process::id()));
        let text = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <IsPackable> false </IsPackable>\n  </PropertyGroup>\n</Project>\n";
        let reading = FileKind::MsBuild.read(text).unwrap();
        let found = msbuild(&dir, &dir.join("t/t.csproj"), text, &reading);
        assert_eq!(
            found.as_deref(),
            Some("`<IsPackable>false</IsPackable>`: never packed")
        );
        let bare = "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n";
        let reading = FileKind::MsBuild.read(bare).unwrap();
        let found = msbuild(&dir, &dir.join("t/t.csproj"), bare, &reading);
        assert!(found.is_some_and(|r| r.starts_with("no `<Version>`")));
    }

    #[test]
    fn a_maturin_version_elsewhere_is_its_own() {
        let leader: Version = "0.58.2".parse().unwrap();
        assert_eq!(maturin_reason("Cargo.toml", "0.58.2", &leader), None);
        assert_eq!(
            maturin_reason("Cargo.toml", "0.47.6", &leader).as_deref(),
            Some("maturin takes its version from `Cargo.toml`, at 0.47.6, not 0.58.2: its own version")
        );
    }
}
