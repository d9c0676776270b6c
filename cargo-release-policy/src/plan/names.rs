//! Which group each package name belongs to, per ecosystem.

use crate::fast_map::FastBuildHasher;
use crate::load::source::SourceFile;
use crate::load::Repo;
use release_policy_editor::FileKind;
use release_policy_version::requirement::Flavor;
use std::collections::HashMap;
use std::path::Path;

/// Which group each package name belongs to, per ecosystem (Python names PEP 503-normalized,
/// NuGet names lowercase). Looked up for every requirement and lock entry.
pub(super) struct Names {
    pub(super) cargo: NameMap,
    pub(super) npm: NameMap,
    pub(super) python: NameMap,
    pub(super) nuget: NameMap,
    /// Maven artifacts, `groupId:artifactId`.
    pub(super) maven: NameMap,
    /// Go module paths.
    pub(super) go: NameMap,
}

pub(super) type NameMap = HashMap<String, usize, FastBuildHasher>;

impl Names {
    pub(super) fn of(repo: &Repo, files: &[(&String, &SourceFile, Option<usize>)]) -> Names {
        let mut names = Names {
            cargo: NameMap::default(),
            npm: NameMap::default(),
            python: NameMap::default(),
            nuget: NameMap::default(),
            maven: NameMap::default(),
            go: NameMap::default(),
        };
        for (index, group) in repo.groups.iter().enumerate() {
            for name in &group.crates {
                names.cargo.insert(name.clone(), index);
            }
        }
        let owned = files
            .iter()
            .filter_map(|&(key, file, owner)| Some((key, file, owner?)));
        for (key, file, index) in owned {
            match file.kind {
                FileKind::CargoToml => {
                    if let Some(name) = &file.reading.name {
                        names.cargo.entry(name.clone()).or_insert(index);
                    }
                }
                FileKind::PackageJson => {
                    if let Some(name) = &file.reading.name {
                        names.npm.insert(name.clone(), index);
                    }
                }
                FileKind::Pyproject => {
                    if let Some(name) = &file.reading.name {
                        names.python.insert(normalize_python(name), index);
                    }
                }
                FileKind::MsBuild => {
                    let name = file.reading.name.clone().or_else(|| {
                        let stem = Path::new(key).file_stem()?.to_string_lossy().into_owned();
                        let ext = Path::new(key).extension()?.to_string_lossy().into_owned();
                        ext.ends_with("proj").then_some(stem)
                    });
                    if let Some(name) = name {
                        names.nuget.insert(name.to_ascii_lowercase(), index);
                    }
                }
                FileKind::MavenPom => {
                    if let Some(name) = &file.reading.name {
                        names.maven.insert(name.clone(), index);
                    }
                }
                FileKind::GoMod => {
                    if let Some(name) = &file.reading.name {
                        names.go.insert(name.clone(), index);
                    }
                }
                _ => {}
            }
        }
        names
    }

    pub(super) fn group_of(&self, flavor: Flavor, package: &str) -> Option<usize> {
        match flavor {
            Flavor::Cargo => self.cargo.get(package),
            Flavor::Npm => self.npm.get(package),
            // Most names are written normalized already: looked up as they are.
            Flavor::Python if is_normal_python(package) => self.python.get(package),
            Flavor::Python => self.python.get(&normalize_python(package)),
            Flavor::NuGet if !package.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.nuget.get(package)
            }
            Flavor::NuGet => self.nuget.get(&package.to_ascii_lowercase()),
            Flavor::Maven => self.maven.get(package),
            Flavor::Go => self.go.get(package),
        }
        .copied()
    }
}

/// Whether [`normalize_python`] leaves `name` as it is: no ASCII uppercase, no `_` or `.`,
/// and `-` only alone between other characters.
pub(super) fn is_normal_python(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes
        .iter()
        .any(|&b| b.is_ascii_uppercase() || b == b'_' || b == b'.')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

/// PEP 503 normalization: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn normalize_python(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}
