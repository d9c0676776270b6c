//! Claiming files for the groups: expanding each group's `manifests` entries, reading every
//! file they name once (on all cores, `read.rs`), then claiming each for its group in the
//! entries' order, with the files it implies; then the lockfiles the policies list and the
//! files pattern entries name.

use std::collections::{BTreeMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::Path;

use policy_schema::ManifestEntry;

use super::error::{LoadError, Located};
use super::expand::{self, Excludes, ExpandError, Presence};
use super::groups::Entry;
use super::implied::{dynamic_pattern, implied, kind_of, version_file};
use super::patterns::{pattern_files, NamedBy, TextFile};
use super::read::{self, ReadList, Reads};
use super::repo::{Repo, Resolved};
use super::source::SourceFile;
use crate::fast_map::{FastMap, FastSet};
use release_policy_editor::version_file::VersionPattern;
use release_policy_editor::{FileKind, Note};

impl Repo {
    /// Expand every group's entries, read the files, and claim them with the files they
    /// imply.
    // proof: `order` is a permutation of `0..entries.len()`; group indices are positions in
    // `self.groups`, which `build_groups` filled before and nothing shrinks.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn claim_files(
        &mut self,
        entries: Vec<Vec<Entry>>,
    ) -> Result<expand::Listings, LoadError> {
        let root = self.workspace.repo_root.clone();
        // The workspace's own lockfile.
        let lock = self.workspace.root.join("Cargo.lock");
        let lock = lock.is_file().then_some(lock);
        // Expand every entry on all cores, then read the files (below).
        let entries: Vec<(usize, Entry)> = entries
            .into_iter()
            .enumerate()
            .flat_map(|(index, group)| group.into_iter().map(move |entry| (index, entry)))
            .collect();
        let listings = expand::Listings::default();
        // The heaviest expansions first: the one that lists the most should not start last
        // and run alone.
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(expand::weight(entries[i].1.manifest.path())));
        let walked = crate::par::map_few(&order, |&i| {
            let (index, entry) = &entries[i];
            self.expand_entry(&root, *index, entry, &listings)
        });
        let mut walked: Vec<_> = order.into_iter().zip(walked).collect();
        walked.sort_by_key(|&(i, _)| i);
        crate::timing::phase("globs");
        // Read and parse every file the entries name on all cores, then claim them in order
        // on this thread: the first error is the one a file-by-file pass would meet first.
        let mut listed: Vec<Listed> = Vec::with_capacity(entries.len());
        let mut found: Vec<Option<expand::Expanded>> = Vec::with_capacity(entries.len());
        for ((index, entry), (_, (origin, expansion))) in entries.into_iter().zip(walked) {
            let (expansion, error) = match expansion {
                Ok(expansion) => (Some(expansion), None),
                Err(error) => (None, Some(error)),
            };
            found.push(expansion);
            listed.push(Listed {
                index,
                entry,
                origin,
                error,
            });
        }
        let nearest = expand::Nearest::new(listings);
        let known: FastSet<String> = self.files.keys().cloned().collect();
        let list = {
            let known: FastSet<&OsStr> = self.files.values().map(|f| f.abs.as_os_str()).collect();
            let entries: Vec<&ManifestEntry> = listed.iter().map(|l| &l.entry.manifest).collect();
            ReadList::new(&entries, &found, lock.as_deref(), &known)
        };
        let workspace_root = self.workspace.root.clone();
        let reads = read::read_all(&root, &workspace_root, &known, &nearest, &list.wanted);
        crate::timing::phase("read and parse");
        let mut lookups = Lookups::new(&nearest, reads);
        let entries = listed.into_iter().zip(&found).zip(&list.at);
        let text_files = self.claim_all(&root, lock.as_deref(), entries, &mut lookups);
        crate::timing::phase("claim");
        let text_files = text_files?;
        let listings = nearest.into_listings();
        self.extra_lockfiles(&listings)?;
        self.text_files(text_files)?;
        // Cargo manifests of crates in a group follow it.
        for index in 0..self.groups.len() {
            let crates: HashSet<&String> = self.groups[index].crates.iter().collect();
            let keys: Vec<String> = self
                .files
                .iter()
                .filter(|(_, f)| f.kind == FileKind::CargoToml)
                .filter(|(_, f)| f.reading.name.as_ref().is_some_and(|n| crates.contains(n)))
                .map(|(k, _)| k.clone())
                .collect();
            for key in keys {
                self.owners.entry(key.clone()).or_insert(index);
            }
            let leader = self.groups[index].leader.clone();
            self.owners.entry(leader).or_insert(index);
        }
        self.maturin_sources()?;
        Ok(listings)
    }

    /// Whether `abs` is the Cargo.toml of a workspace member (or the root).
    fn is_member(&self, abs: &Path) -> bool {
        let abs = expand::normalize(abs);
        abs == self.workspace.root_manifest || self.workspace.members.contains(&abs)
    }

    /// Every maturin pyproject follows the group of the Cargo.toml it takes its version
    /// from: a crate of another group is an error naming both (listing that Cargo.toml in
    /// the pyproject's group joins it), never a drift that `sync` cannot repair.
    // proof: the `owners` values are group indices; group indices are positions in `self.groups`,
    // which `build_groups` filled before and nothing shrinks.
    #[allow(clippy::indexing_slicing)]
    fn maturin_sources(&self) -> Result<(), LoadError> {
        // In key order: the first error is the same on every run.
        let mut claimed: Vec<(&String, usize)> = self.owners.iter().map(|(k, &i)| (k, i)).collect();
        claimed.sort_unstable();
        for (key, index) in claimed {
            let Some(file) = self.files.get(key) else {
                continue;
            };
            if file.kind != FileKind::Pyproject {
                continue;
            }
            let dir = file.abs.parent().map(Path::to_path_buf).unwrap_or_default();
            for note in &file.reading.notes {
                let Note::Dynamic {
                    source: release_policy_editor::DynamicVersion::Maturin { manifest_path },
                    ..
                } = note
                else {
                    continue;
                };
                let cargo = self
                    .workspace
                    .relative(&expand::normalize(&dir.join(manifest_path)));
                let group = &self.groups[index];
                match self.owners.get(&cargo) {
                    Some(&owner) if owner == index => {}
                    Some(&owner) => {
                        let other = &self.groups[owner];
                        return Err(LoadError::config(
                            &group.policy_file,
                            None,
                            format!(
                                "`{key}` (group `{}`) takes its version from `{cargo}` (maturin), which follows group `{}`",
                                group.name, other.name
                            ),
                            &format!(
                                "list `{cargo}` in the `manifests` of `{}` so the crate follows the group, or list `{key}` in group `{}`",
                                group.policy_file, other.name
                            ),
                        ));
                    }
                    None => {
                        return Err(LoadError::config(
                            &group.policy_file,
                            None,
                            format!(
                                "`{key}` (group `{}`) takes its version from `{cargo}` (maturin), which is not there",
                                group.name
                            ),
                            "fix `[tool.maturin] manifest-path`, or add the crate",
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The extra lockfiles the policies list (`lockfiles`).
    // proof: a group's `policy_file` is the key of the file its policy was read from, which `files`
    // keeps; group indices are positions in `self.groups`, which `build_groups` filled before and
    // nothing shrinks.
    #[allow(clippy::indexing_slicing)]
    fn extra_lockfiles(&mut self, listings: &expand::Listings) -> Result<(), LoadError> {
        let root = self.workspace.repo_root.clone();
        for index in 0..self.groups.len() {
            let policy_file = self.groups[index].policy_file.clone();
            let base = self.files[&policy_file]
                .abs
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let excludes =
                Excludes::new(&root, &base, &[]).map_err(|error| LoadError::Discover {
                    path: policy_file.clone(),
                    at: None,
                    error,
                })?;
            for (i, pattern) in self.groups[index]
                .policy
                .lockfiles
                .clone()
                .iter()
                .enumerate()
            {
                let at = self.groups[index]
                    .policy
                    .origins
                    .get(&format!("lockfiles[{i}]"))
                    .map(|o| {
                        Located::new(&self.files[&policy_file].text, o.value.start, o.value.len())
                    });
                let paths = expand::expand_with(&root, &base, pattern, &excludes, listings)
                    .map_err(|error| LoadError::Discover {
                        path: policy_file.clone(),
                        at: at.clone(),
                        error,
                    })?;
                for abs in paths {
                    let name = abs
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let kind = FileKind::detect(&name).filter(|k| {
                        matches!(
                            k,
                            FileKind::CargoLock
                                | FileKind::PackageLock
                                | FileKind::UvLock
                                | FileKind::GemfileLock
                                | FileKind::PubspecLock
                        )
                    });
                    let Some(kind) = kind else {
                        return Err(LoadError::config(
                            &policy_file,
                            at,
                            format!(
                                "`{}` (in `lockfiles`) is not a lockfile the tool knows",
                                abs.display()
                            ),
                            "list `Cargo.lock`, `package-lock.json`, `uv.lock`, `Gemfile.lock` or `pubspec.lock` files",
                        ));
                    };
                    let key = self.add_file(&abs, kind)?;
                    if !self.groups[index].files.contains(&key) {
                        self.groups[index].files.push(key);
                    }
                }
            }
        }
        Ok(())
    }

    /// Claim the files of every entry, in order: the files named by pattern entries are
    /// returned, to be read once every entry naming them is known.
    fn claim_all<'f>(
        &mut self,
        root: &Path,
        cargo_lock: Option<&Path>,
        entries: impl Iterator<
            Item = (
                (Listed, &'f Option<expand::Expanded>),
                &'f Vec<Option<usize>>,
            ),
        >,
        lookups: &mut Lookups<'_>,
    ) -> Result<BTreeMap<String, TextFile>, LoadError> {
        if let Some(lock) = cargo_lock {
            self.add_read(lock, FileKind::CargoLock, lookups)?;
        }
        let mut claims = Claims::default();
        // Files named by pattern entries, read once every entry naming them is known.
        let mut text_files: BTreeMap<String, TextFile> = BTreeMap::new();
        for ((listed, found), at) in entries {
            if let Some(error) = listed.error {
                return Err(error);
            }
            let Some(found) = found else {
                continue; // not reached: an expansion that failed has its error
            };
            if let ManifestEntry::Pattern(pattern_entry) = &listed.entry.manifest {
                let paths = confirm(root, &listed, found, at, lookups)?;
                self.resolved.push(Resolved {
                    group: listed.index,
                    policy_file: listed.entry.policy_file.clone(),
                    origin: listed.entry.origin.clone(),
                    path: pattern_entry.path.clone(),
                    files: paths.iter().map(|p| self.workspace.relative(p)).collect(),
                });
                let paths = paths.into_iter().map(Path::to_path_buf).collect();
                let named = NamedBy {
                    group: listed.index,
                    policy_file: &listed.entry.policy_file,
                    origin: &listed.entry.origin,
                    at: listed.origin.clone(),
                };
                pattern_files(
                    named,
                    pattern_entry,
                    paths,
                    &self.workspace,
                    &mut text_files,
                )?;
                continue;
            }
            claims
                .origins
                .push((listed.entry.origin.clone(), listed.index));
            let paths = confirm(root, &listed, found, at, lookups)?;
            self.resolved.push(Resolved {
                group: listed.index,
                policy_file: listed.entry.policy_file.clone(),
                origin: listed.entry.origin.clone(),
                path: listed.entry.manifest.path().to_string(),
                files: paths.iter().map(|p| self.workspace.relative(p)).collect(),
            });
            for abs in paths {
                self.claim_listed(root, &listed, abs, &mut claims, lookups)?;
            }
        }
        Ok(text_files)
    }

    /// Add the file `abs` that the entry `listed` names, refuse it when it is listed
    /// twice, claim it for the entry's group, and add the files it implies.
    // proof: `entry_at` is the last index of `origins` (the caller pushed this entry's origin) and
    // `listed_by` holds only such indices; group indices are positions in `self.groups`, which
    // `build_groups` filled before and nothing shrinks.
    #[allow(clippy::indexing_slicing)]
    fn claim_listed(
        &mut self,
        root: &Path,
        listed: &Listed,
        abs: &Path,
        claims: &mut Claims,
        lookups: &mut Lookups<'_>,
    ) -> Result<(), LoadError> {
        let (index, entry) = (listed.index, &listed.entry);
        let Some(kind) = kind_of(abs) else {
            let pattern = entry.manifest.path();
            return Err(LoadError::config(
                &entry.policy_file,
                listed.origin.clone(),
                format!("cannot tell what kind of manifest `{}` is (matched by `{pattern}`)", abs.display()),
                "list Cargo.toml, package.json, pyproject.toml, *.csproj / *.props, pom.xml, build.gradle[.kts], gradle.properties or go.mod files, or use a pattern entry",
            ));
        };
        let key = self.add_read(abs, kind, lookups)?;
        let entry_at = claims.origins.len() - 1;
        if let Some(previous_at) = claims.listed_by.insert(key.clone(), entry_at) {
            let (previous, previous_index) = &claims.origins[previous_at];
            let previous = format!("`{previous}` ({})", self.groups[*previous_index].name);
            let label = format!("`{}` ({})", entry.origin, self.groups[index].name);
            return Err(LoadError::config(
                &entry.policy_file,
                listed.origin.clone(),
                format!("`{key}` is listed twice: by {previous} and by {label}"),
                "list each manifest once (narrow a glob, or add an `exclude`)",
            ));
        }
        self.claim(index, &key, lookups)?;
        self.implied_files(root, index, &key, lookups)
    }

    /// The files one `manifests` entry names (a glob's literal file name unconfirmed); and
    /// where the entry is written, for errors.
    // proof: `index` is the group whose entry this is, and `entry.policy_file` the key of the file
    // its policy was read from, which `files` keeps; group indices are positions in `self.groups`,
    // which `build_groups` filled before and nothing shrinks.
    #[allow(clippy::indexing_slicing)]
    fn expand_entry(
        &self,
        root: &Path,
        index: usize,
        entry: &Entry,
        listings: &expand::Listings,
    ) -> (Option<Located>, Result<expand::Expanded, LoadError>) {
        let policy_text = &self.files[&entry.policy_file].text;
        let origin = self.groups[index]
            .policy
            .origins
            .get(&entry.origin)
            .filter(|_| entry.policy_file == self.groups[index].policy_file)
            .map(|o| Located::new(policy_text, o.value.start, o.value.len()));
        let expand_error = |error: ExpandError| LoadError::Discover {
            path: entry.policy_file.clone(),
            at: origin.clone(),
            error,
        };
        let found = Excludes::new(root, &entry.base, &self.groups[index].policy.exclude)
            .map_err(expand_error)
            .and_then(|excludes| {
                expand::expand_unconfirmed(
                    root,
                    &entry.base,
                    entry.manifest.path(),
                    &excludes,
                    listings,
                )
                .map_err(expand_error)
            });
        (origin, found)
    }

    /// [`Repo::add_file`], taking the file from those read when it is there.
    fn add_read(
        &mut self,
        abs: &Path,
        kind: FileKind,
        lookups: &mut Lookups<'_>,
    ) -> Result<String, LoadError> {
        match lookups
            .reads
            .files
            .remove(abs.as_os_str())
            .and_then(|read| read.read)
        {
            // Read under its key: no need to work it out again.
            Some(Ok(file)) => match self.files.entry(file.path.clone()) {
                std::collections::btree_map::Entry::Vacant(entry) => {
                    let key = entry.key().clone();
                    entry.insert(file);
                    Ok(key)
                }
                std::collections::btree_map::Entry::Occupied(entry) => Ok(entry.key().clone()),
            },
            Some(Err(error)) => {
                let key = self.workspace.relative(abs);
                if self.files.contains_key(&key) {
                    Ok(key)
                } else {
                    Err(error.into())
                }
            }
            _ => self.add_file(abs, kind),
        }
    }

    /// Record that `index`'s group owns the own-version fields of `key`.
    // proof: `index` and the `owners` values are group indices; group indices are positions in
    // `self.groups`, which `build_groups` filled before and nothing shrinks.
    #[allow(clippy::indexing_slicing)]
    fn claim(
        &mut self,
        index: usize,
        key: &str,
        lookups: &mut Lookups<'_>,
    ) -> Result<(), LoadError> {
        match self.owners.get(key) {
            Some(&other) if other != index => {
                return Err(LoadError::config(
                    key,
                    None,
                    format!(
                        "`{key}` is listed by two groups: `{}` and `{}`",
                        self.groups[other].name, self.groups[index].name
                    ),
                    "a manifest follows one version: list it in one group",
                ));
            }
            Some(_) => {}
            None => {
                self.owners.insert(key.to_string(), index);
            }
        }
        if lookups.join_group(index, key) {
            self.groups[index].files.push(key.to_string());
        }
        Ok(())
    }

    /// Lockfiles beside listed manifests, dynamic version files, MSBuild props.
    // proof: `key` was just read and inserted into `files` by the caller (`add_read`); group
    // indices are positions in `self.groups`, which `build_groups` filled before and nothing
    // shrinks.
    #[allow(clippy::indexing_slicing)]
    fn implied_files(
        &mut self,
        root: &Path,
        index: usize,
        key: &str,
        lookups: &mut Lookups<'_>,
    ) -> Result<(), LoadError> {
        let file = &self.files[key];
        let extra = match lookups.reads.implied.remove(file.abs.as_os_str()) {
            Some(extra) => extra,
            None => implied(root, file, lookups.nearest),
        };
        for (abs, kind, owned) in extra {
            if kind == FileKind::CargoToml && self.is_member(&abs) {
                continue; // a crate of its own group: `maturin_sources` checks it
            }
            let mut fresh = false;
            let extra_key = if kind == FileKind::VersionFile {
                lookups.check_implied(root, &abs, key)?;
                // Added each time: two pyprojects may read it with different patterns.
                self.add_version_file(key, &abs, lookups)?
            } else if let Some(known) = lookups.implied_keys.get(abs.as_os_str()) {
                // Many manifests share one lockfile or props file: added once.
                known.clone()
            } else {
                lookups.check_implied(root, &abs, key)?;
                let extra_key = self.add_read(&abs, kind, lookups)?;
                fresh = true;
                lookups
                    .implied_keys
                    .insert(abs.into_os_string(), extra_key.clone());
                extra_key
            };
            if owned {
                self.claim(index, &extra_key, lookups)?;
                // A Maven module may aggregate modules of its own (each added once).
                if fresh && kind == FileKind::MavenPom {
                    self.implied_files(root, index, &extra_key, lookups)?;
                }
                continue;
            }
            if matches!(kind, FileKind::MsBuild | FileKind::GradleProperties)
                && !self.owners.contains_key(&extra_key)
            {
                // A props file imported by a project of the group carries its version.
                self.owners.insert(extra_key.clone(), index);
            }
            if lookups.join_group(index, &extra_key) {
                self.groups[index].files.push(extra_key);
            }
        }
        Ok(())
    }
}

impl Repo {
    /// Read the files named by pattern entries, each with all its patterns.
    // proof: every `group` of a pattern entry's uses is the index of the group that listed it;
    // group indices are positions in `self.groups`, which `build_groups` filled before and nothing
    // shrinks.
    #[allow(clippy::indexing_slicing)]
    fn text_files(&mut self, text_files: BTreeMap<String, TextFile>) -> Result<(), LoadError> {
        for (key, text_file) in text_files {
            if let Some(file) = self.files.get(&key) {
                return Err(LoadError::config(
                    &text_file.policy_file,
                    text_file.origin,
                    format!(
                        "`{key}` is named by a pattern entry, but it is read as a {} manifest",
                        file.kind
                    ),
                    "a manifest's versions are found by its kind: list it as a path, without `search`",
                ));
            }
            let patterns = text_file.uses.iter().map(|u| u.pattern.clone()).collect();
            let file = SourceFile::load_text(&text_file.abs, &key, patterns)?;
            for group in text_file.uses.iter().map(|u| u.group) {
                if !self.groups[group].files.contains(&key) {
                    self.groups[group].files.push(key.clone());
                }
            }
            self.files.insert(key.clone(), Box::new(file));
            self.patterns.insert(key, text_file.uses);
        }
        Ok(())
    }

    /// The version file `abs` that the pyproject `pyproject` names, read with the pyproject's
    /// hatch `pattern` (files are read on all cores without one: such a reading is taken
    /// only when there is no pattern). A file two pyprojects read with different patterns
    /// is an error naming both.
    // proof: `pyproject` is the key of a read pyproject whose note names this version file
    // (`implied_files`), and `files` never loses a key.
    #[allow(clippy::indexing_slicing)]
    fn add_version_file(
        &mut self,
        pyproject: &str,
        abs: &Path,
        lookups: &mut Lookups<'_>,
    ) -> Result<String, LoadError> {
        let pattern = dynamic_pattern(&self.files[pyproject]).cloned();
        let key = self.workspace.relative(abs);
        if let Some(file) = self.files.get(&key) {
            if file.kind == FileKind::VersionFile && file.version_pattern != pattern {
                return Err(self.pattern_conflict(pyproject, &key));
            }
            return Ok(key);
        }
        let read = lookups
            .reads
            .files
            .remove(abs.as_os_str())
            .and_then(|read| read.read);
        let file = match read {
            Some(read) if pattern.is_none() => read?,
            _ => Box::new(SourceFile::load_version_file(abs, &key, pattern)?),
        };
        self.files.insert(key.clone(), file);
        Ok(key)
    }

    /// `pyproject` reads the version file `key` with another pattern than the pyproject that
    /// named it first.
    // proof: `key` and `pyproject` are files this load read and keeps (`files` never loses a key):
    // the version file met again and the pyproject naming it.
    #[allow(clippy::indexing_slicing)]
    fn pattern_conflict(&self, pyproject: &str, key: &str) -> LoadError {
        let file = &self.files[key];
        let shown = |pattern: Option<&VersionPattern>| match pattern {
            Some(pattern) => format!("`{}`", pattern.display()),
            None => "none".to_string(),
        };
        // The pyprojects naming the file with the pattern it was read with (the first of
        // them named it first).
        let first = self
            .files
            .iter()
            .filter(|(other, f)| f.kind == FileKind::Pyproject && other.as_str() != pyproject)
            .filter(|(_, f)| {
                let dir = f.abs.parent().map(Path::to_path_buf).unwrap_or_default();
                f.reading.notes.iter().any(|note| match note {
                    Note::Dynamic { source, .. } => {
                        version_file(&dir, source)
                            .is_some_and(|p| self.workspace.relative(&p) == key)
                            && dynamic_pattern(f) == file.version_pattern.as_ref()
                    }
                    _ => false,
                })
            })
            .map(|(k, _)| k)
            .min()
            .map_or_else(
                || "another pyproject.toml".to_string(),
                |k| format!("`{k}`"),
            );
        LoadError::config(
            pyproject,
            None,
            format!(
                "`{key}` is read with two different `tool.hatch.version.pattern`s: {} by {first}, {} by `{pyproject}`",
                shown(file.version_pattern.as_ref()),
                shown(dynamic_pattern(&self.files[pyproject])),
            ),
            "give every pyproject.toml naming the file the same `tool.hatch.version.pattern` (or none)",
        )
    }
}

/// A `manifests` entry with its group, where it is written, and its expansion's error.
struct Listed {
    index: usize,
    entry: Entry,
    origin: Option<Located>,
    error: Option<LoadError>,
}

/// Which entry listed each file (its place in `origins`: the entries' origin and group, one
/// per entry): labels are written only for errors.
#[derive(Default)]
struct Claims {
    listed_by: FastMap<String, usize>,
    origins: Vec<(String, usize)>,
}

/// The files of an entry's expansion `found` that are there: those it left unconfirmed as
/// reading them found them (their places among the reads: `at`), asked with `lstat` when
/// they were not read (a pattern entry's, a file of no known kind, a file read already).
fn confirm<'f>(
    root: &Path,
    listed: &Listed,
    found: &'f expand::Expanded,
    at: &[Option<usize>],
    lookups: &Lookups<'_>,
) -> Result<Vec<&'f Path>, LoadError> {
    let presences: Vec<Presence> = if found.is_unconfirmed() {
        let read: Vec<Option<Presence>> = (0..found.paths().len())
            .map(|i| {
                at.get(i)
                    .copied()
                    .flatten()
                    .and_then(|place| lookups.reads.presence(place))
            })
            .collect();
        if read.iter().all(Option::is_some) {
            read.into_iter().flatten().collect()
        } else {
            let paths: Vec<(&Path, Option<Presence>)> = found.paths().zip(read).collect();
            crate::par::map(&paths, |(abs, read)| {
                read.unwrap_or_else(|| expand::presence(abs))
            })
        }
    } else {
        Vec::new()
    };
    found
        .confirmed(root, lookups.nearest.listings(), &presences)
        .map_err(|error| LoadError::Discover {
            path: listed.entry.policy_file.clone(),
            at: listed.origin.clone(),
            error,
        })
}

/// The files read, and what claiming asks the file system, asked once.
#[derive(Debug)]
struct Lookups<'n> {
    nearest: &'n expand::Nearest,
    /// Implied files whose real location was checked (keyed by path bytes: hashing a
    /// `Path` walks its components).
    checked: FastSet<OsString>,
    /// The key of each implied file added (not version files), by path.
    implied_keys: FastMap<OsString, String>,
    /// For each group (by index), every file in its `files`: looked up by `&str`, a key
    /// is copied only when it joins.
    in_group: Vec<FastSet<String>>,
    /// The files read (on all cores), taken as they are claimed.
    reads: Reads,
}

impl<'n> Lookups<'n> {
    fn new(nearest: &'n expand::Nearest, reads: Reads) -> Lookups<'n> {
        Lookups {
            nearest,
            checked: FastSet::default(),
            implied_keys: FastMap::default(),
            in_group: Vec::new(),
            reads,
        }
    }

    /// Note that `key` is in group `index`'s files: whether it was not yet.
    // proof: `in_group` is grown to `index + 1` entries just above.
    #[allow(clippy::indexing_slicing)]
    fn join_group(&mut self, index: usize, key: &str) -> bool {
        if self.in_group.len() <= index {
            self.in_group.resize_with(index + 1, FastSet::default);
        }
        let group = &mut self.in_group[index];
        !group.contains(key) && group.insert(key.to_string())
    }

    /// Refuse an implied file whose real location is outside the repository, asked once
    /// per file (many manifests share one).
    fn check_implied(&mut self, root: &Path, abs: &Path, key: &str) -> Result<(), LoadError> {
        if !self.checked.contains(abs.as_os_str()) {
            self.nearest
                .listings()
                .check_inside(root, abs, key)
                .map_err(|error| LoadError::Discover {
                    path: key.to_string(),
                    at: None,
                    error,
                })?;
            self.checked.insert(abs.as_os_str().to_os_string());
        }
        Ok(())
    }
}
