//! The kinds of file the editors read, detected from the file name, each read by its module.

use std::fmt;

use crate::error::EditorError;
use crate::reading::Reading;
use crate::{
    cargo_lock, cargo_toml, go_mod, gradle, msbuild, package_json, package_lock, pom, pyproject,
    uv_lock, version_file,
};
use crate::{
    cmake, gemfile_lock, gemspec, helm_chart, pubspec, pubspec_lock, ruby_version, zig_zon,
};

/// The kinds of file the tool can edit, detected from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `Cargo.toml`
    CargoToml,
    /// `Cargo.lock`
    CargoLock,
    /// `package.json`
    PackageJson,
    /// `package-lock.json` (and `npm-shrinkwrap.json`)
    PackageLock,
    /// `pyproject.toml`
    Pyproject,
    /// `uv.lock`
    UvLock,
    /// `*.csproj`, `*.fsproj`, `*.vbproj`, `*.props`, `*.targets`
    MsBuild,
    /// `pom.xml` (Maven)
    MavenPom,
    /// `gradle.properties`
    GradleProperties,
    /// `build.gradle`, `build.gradle.kts`
    GradleBuild,
    /// `go.mod`: no version of its own; its requirements on sibling modules.
    GoMod,
    /// A Python file holding `__version__ = "…"` (named by a dynamic-version pyproject).
    VersionFile,
    /// A gem's `version.rb` (`VERSION = "…"`).
    RubyVersion,
    /// `*.gemspec`
    Gemspec,
    /// `Gemfile.lock`
    GemfileLock,
    /// Dart's `pubspec.yaml`
    Pubspec,
    /// Dart's `pubspec.lock`
    PubspecLock,
    /// `*.podspec` (CocoaPods)
    Podspec,
    /// `CMakeLists.txt`
    CMake,
    /// Zig's `build.zig.zon`
    ZigZon,
    /// Helm's `Chart.yaml`
    HelmChart,
    /// Any file named by a pattern entry: its versions are the matches of the entry's
    /// `search` ([`text_pattern`](crate::text_pattern)). Never detected from a name.
    Text,
}

impl FileKind {
    /// Detect the kind from a file name (the last path component).
    pub fn detect(file_name: &str) -> Option<FileKind> {
        let kind = match file_name {
            "Cargo.toml" => FileKind::CargoToml,
            "Cargo.lock" => FileKind::CargoLock,
            "package.json" => FileKind::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => FileKind::PackageLock,
            "pyproject.toml" => FileKind::Pyproject,
            "uv.lock" => FileKind::UvLock,
            "pom.xml" => FileKind::MavenPom,
            "gradle.properties" => FileKind::GradleProperties,
            "build.gradle" | "build.gradle.kts" => FileKind::GradleBuild,
            "go.mod" => FileKind::GoMod,
            "version.rb" => FileKind::RubyVersion,
            "Gemfile.lock" => FileKind::GemfileLock,
            "pubspec.yaml" => FileKind::Pubspec,
            "pubspec.lock" => FileKind::PubspecLock,
            "CMakeLists.txt" => FileKind::CMake,
            "build.zig.zon" => FileKind::ZigZon,
            "Chart.yaml" => FileKind::HelmChart,
            _ => {
                let ext = file_name.rsplit_once('.').map(|(_, ext)| ext)?;
                match ext {
                    "csproj" | "fsproj" | "vbproj" | "props" | "targets" => FileKind::MsBuild,
                    "gemspec" => FileKind::Gemspec,
                    "podspec" => FileKind::Podspec,
                    _ => return None,
                }
            }
        };
        Some(kind)
    }

    /// Read `text` with this kind's editor. A [`FileKind::Text`] file has no reading without
    /// its patterns: read it with [`text_pattern::read`](crate::text_pattern::read).
    pub fn read(self, text: &str) -> Result<Reading, EditorError> {
        match self {
            FileKind::CargoToml => cargo_toml::read(text),
            FileKind::CargoLock => cargo_lock::read(text),
            FileKind::PackageJson => package_json::read(text),
            FileKind::PackageLock => package_lock::read(text),
            FileKind::Pyproject => pyproject::read(text),
            FileKind::UvLock => uv_lock::read(text),
            FileKind::MsBuild => msbuild::read(text),
            FileKind::MavenPom => pom::read(text),
            FileKind::GradleProperties => gradle::read_properties(text),
            FileKind::GradleBuild => gradle::read_build(text),
            FileKind::GoMod => go_mod::read(text),
            FileKind::VersionFile => version_file::read(text),
            FileKind::RubyVersion => ruby_version::read(text),
            FileKind::Gemspec | FileKind::Podspec => gemspec::read(text),
            FileKind::GemfileLock => gemfile_lock::read(text),
            FileKind::Pubspec => pubspec::read(text),
            FileKind::PubspecLock => pubspec_lock::read(text),
            FileKind::CMake => cmake::read(text),
            FileKind::ZigZon => zig_zon::read(text),
            FileKind::HelmChart => helm_chart::read(text),
            FileKind::Text => Err(EditorError::new(
                "internal error: a file listed by a pattern entry is read with its patterns",
            )),
        }
    }

    /// The short name used in messages and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::CargoToml => "cargo",
            FileKind::CargoLock => "cargo-lock",
            FileKind::PackageJson => "npm",
            FileKind::PackageLock => "npm-lock",
            FileKind::Pyproject => "python",
            FileKind::UvLock => "python-lock",
            FileKind::MsBuild => "dotnet",
            FileKind::MavenPom => "maven",
            FileKind::GradleProperties => "gradle-properties",
            FileKind::GradleBuild => "gradle",
            FileKind::GoMod => "go",
            FileKind::VersionFile => "python-version-file",
            FileKind::RubyVersion => "ruby",
            FileKind::Gemspec => "gemspec",
            FileKind::GemfileLock => "ruby-lock",
            FileKind::Pubspec => "dart",
            FileKind::PubspecLock => "dart-lock",
            FileKind::Podspec => "cocoapods",
            FileKind::CMake => "cmake",
            FileKind::ZigZon => "zig",
            FileKind::HelmChart => "helm",
            FileKind::Text => "text",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
