//! Discovering a group's files: expanding its entries, reading every file once (on all
//! cores), and adding the files they imply.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};

use policy_schema::ManifestEntry;

use crate::discover::{self, DiscoverError, Excludes, Presence};
use crate::editor::version_file::VersionPattern;
use crate::editor::{DynamicVersion, FileKind, Note};
use crate::source::{Opened, SourceError, SourceFile};

use super::patterns::{pattern_files, TextFile};
use super::{Entry, LoadError, Located, Repo};
use crate::fxhash::{FastMap, FastSet};

impl Repo {
    /// Expand every group's entries, read the files, and add the files they imply.
    pub(super) fn discover(
        &mut self,
        entries: Vec<Vec<Entry>>,
    ) -> Result<discover::Listings, LoadError> {
        let root = self.workspace.repo_root.clone();
        // The workspace's own lockfile.
        let lock = self.workspace.root.join("Cargo.lock");
        let lock = lock.is_file().then_some(lock);
        // Expand every entry, read and parse every file they name on all cores, then take
        // them in order: the first error is the one a file-by-file pass would meet first.
        let entries: Vec<(usize, Entry)> = entries
            .into_iter()
            .enumerate()
            .flat_map(|(index, group)| group.into_iter().map(move |entry| (index, entry)))
            .collect();
        let listings = discover::Listings::default();
        // The heaviest expansions first: the one that lists the most should not start last
        // and run alone.
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(discover::weight(entries[i].1.manifest.path())));
        let walked = crate::par::map_few(&order, |&i| {
            let (index, entry) = &entries[i];
            self.expand_entry(&root, *index, entry, &listings)
        });
        let mut walked: Vec<_> = order.into_iter().zip(walked).collect();
        walked.sort_by_key(|&(i, _)| i);
        crate::timing::phase("globs");
        let expanded: Vec<_> = entries
            .into_iter()
            .zip(walked.into_iter().map(|(_, paths)| paths))
            .map(|((index, entry), (origin, paths))| (index, entry, origin, paths))
            .collect();
        let mut lookups = self.preload(&root, &expanded, lock.as_deref(), listings);
        let expanded = confirm_all(&root, expanded, &lookups);
        crate::timing::phase("read and parse");
        if let Some(lock) = &lock {
            self.add_preloaded(lock, FileKind::CargoLock, &mut lookups)?;
        }
        // Which entry listed each file (its place in `origins`: the entries' origin and
        // group, one per entry): labels are written only for errors.
        let mut listed_by: FastMap<String, usize> = FastMap::default();
        let mut origins: Vec<(String, usize)> = Vec::new();
        // Files named by pattern entries, read once every entry naming them is known.
        let mut text_files: BTreeMap<String, TextFile> = BTreeMap::new();
        for (index, entry, origin, paths) in expanded {
            let pattern = entry.manifest.path();
            if let ManifestEntry::Pattern(pattern_entry) = &entry.manifest {
                let paths = paths?.into_iter().map(|(abs, _)| abs).collect();
                let named = (index, &entry, origin.clone());
                pattern_files(
                    named,
                    pattern_entry,
                    paths,
                    &self.workspace,
                    &mut text_files,
                )?;
                continue;
            }
            origins.push((entry.origin.clone(), index));
            let entry_at = origins.len() - 1;
            for (abs, kind) in paths? {
                let Some(kind) = kind else {
                    return Err(LoadError::config(
                        &entry.policy_file,
                        origin,
                        format!("cannot tell what kind of manifest `{}` is (matched by `{pattern}`)", abs.display()),
                        "list Cargo.toml, package.json, pyproject.toml, *.csproj / *.props files, or use a pattern entry",
                    ));
                };
                let key = self.add_preloaded(&abs, kind, &mut lookups)?;
                if let Some(previous_at) = listed_by.insert(key.clone(), entry_at) {
                    let (previous, previous_index) = &origins[previous_at];
                    let previous = format!("`{previous}` ({})", self.groups[*previous_index].name);
                    let label = format!("`{}` ({})", entry.origin, self.groups[index].name);
                    return Err(LoadError::config(
                        &entry.policy_file,
                        origin,
                        format!("`{key}` is listed twice: by {previous} and by {label}"),
                        "list each manifest once (narrow a glob, or add an `exclude`)",
                    ));
                }
                self.claim(index, &key, &mut lookups)?;
                self.implied_files(&root, index, &key, &mut lookups)?;
            }
        }
        crate::timing::phase("claim and implied files");
        let listings = std::mem::take(&mut lookups.nearest).into_listings();
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
        Ok(listings)
    }

    /// The extra lockfiles the policies list (`lockfiles`).
    fn extra_lockfiles(&mut self, listings: &discover::Listings) -> Result<(), LoadError> {
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
                let paths = discover::expand_with(&root, &base, pattern, &excludes, listings)
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
                            FileKind::CargoLock | FileKind::PackageLock | FileKind::UvLock
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
                            "list `Cargo.lock`, `package-lock.json` or `uv.lock` files",
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

    /// Read and parse, on all cores, every manifest the expanded entries name (pattern
    /// entries' files are read later, with all their patterns). A path an expansion left
    /// unconfirmed is opened without following a link: the open says whether it is there.
    fn preload(
        &self,
        root: &Path,
        expanded: &[Expanded],
        cargo_lock: Option<&Path>,
        listings: discover::Listings,
    ) -> Lookups {
        // The workspace's lockfile first: the biggest file starts first. (Borrowed from the
        // expansions: the paths are copied once, into the map of files read.)
        let mut wanted: Vec<(&Path, FileKind, bool)> = cargo_lock
            .map(|lock| (lock, FileKind::CargoLock, false))
            .into_iter()
            .collect();
        // The files read already (the workspace's manifests), by path.
        let known: FastSet<&OsStr> = self.files.values().map(|f| f.abs.as_os_str()).collect();
        let mut seen: FastSet<&OsStr> = FastSet::default();
        for (_, entry, _, found) in expanded {
            if matches!(entry.manifest, ManifestEntry::Pattern(_)) {
                continue; // read as text, with all its patterns, after every entry is known
            }
            let Ok(found) = found else {
                continue;
            };
            for abs in found.paths() {
                if let Some(kind) = kind_of(abs) {
                    if !known.contains(abs.as_os_str()) && seen.insert(abs.as_os_str()) {
                        wanted.push((abs, kind, found.is_unconfirmed()));
                    }
                }
            }
        }
        let workspace = &self.workspace;
        let nearest = discover::Nearest::new(listings);
        // The files the manifests imply (a `package-lock.json`, a `Directory.Build.props`)
        // are read by the thread that meets them first, while the other threads go on with
        // the manifests: a big lockfile no longer waits for them all.
        let claimed: std::sync::Mutex<FastSet<Cow<'_, OsStr>>> = std::sync::Mutex::new(
            wanted
                .iter()
                .map(|(abs, _, _)| Cow::Borrowed(abs.as_os_str()))
                .collect(),
        );
        let extra = std::sync::Mutex::new(Vec::new());
        let loaded = crate::par::map(&wanted, |(abs, kind, unconfirmed)| {
            // Boxed here, on the reading thread: the repository's map then holds a pointer,
            // and moving a file into it (on one thread) copies 8 bytes, not 300.
            let (file, presence) = if *unconfirmed {
                match SourceFile::load_if_file(abs, || workspace.relative(abs), *kind) {
                    Opened::Absent => return Preloaded::unread(Presence::Absent),
                    Opened::Link => return Preloaded::unread(Presence::Link),
                    Opened::File(file) => (file, Some(Presence::File)),
                }
            } else {
                let file = SourceFile::load(abs, &workspace.relative(abs), *kind).map(Box::new);
                (file, None)
            };
            let implied = file.as_ref().map(|f| implied(root, f, &nearest)).ok();
            for (path, kind, _) in implied.iter().flatten() {
                let first = {
                    let mut claimed = claimed
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    !claimed.contains(path.as_os_str())
                        && claimed.insert(Cow::Owned(path.clone().into_os_string()))
                };
                if first && !self.files.contains_key(&workspace.relative(path)) {
                    let read =
                        SourceFile::load(path, &workspace.relative(path), *kind).map(Box::new);
                    extra
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((path.clone(), read));
                }
            }
            Preloaded {
                read: Some(file),
                presence,
                implied,
            }
        });
        let mut lookups = Lookups {
            nearest,
            ..Lookups::default()
        };
        for (abs, file) in extra
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            lookups.preloaded.insert(
                abs.into_os_string(),
                Preloaded {
                    read: Some(file),
                    presence: None,
                    implied: None,
                },
            );
        }
        for ((abs, _, _), mut preloaded) in wanted.into_iter().zip(loaded) {
            if let Some(implied) = preloaded.implied.take() {
                lookups
                    .implied
                    .insert(abs.as_os_str().to_os_string(), implied);
            }
            lookups
                .preloaded
                .insert(abs.as_os_str().to_os_string(), preloaded);
        }
        lookups
    }

    /// The files one `manifests` entry names (a glob's literal file name unconfirmed); and
    /// where the entry is written, for errors.
    fn expand_entry(
        &self,
        root: &Path,
        index: usize,
        entry: &Entry,
        listings: &discover::Listings,
    ) -> (Option<Located>, Result<discover::Expanded, LoadError>) {
        let policy_text = &self.files[&entry.policy_file].text;
        let origin = self.groups[index]
            .policy
            .origins
            .get(&entry.origin)
            .filter(|_| entry.policy_file == self.groups[index].policy_file)
            .map(|o| Located::new(policy_text, o.value.start, o.value.len()));
        let discover_error = |error: DiscoverError| LoadError::Discover {
            path: entry.policy_file.clone(),
            at: origin.clone(),
            error,
        };
        let found = Excludes::new(root, &entry.base, &self.groups[index].policy.exclude)
            .map_err(discover_error)
            .and_then(|excludes| {
                discover::expand_unconfirmed(
                    root,
                    &entry.base,
                    entry.manifest.path(),
                    &excludes,
                    listings,
                )
                .map_err(discover_error)
            });
        (origin, found)
    }

    /// [`Repo::add_file`], taking the file from those read ahead when it is there.
    fn add_preloaded(
        &mut self,
        abs: &Path,
        kind: FileKind,
        lookups: &mut Lookups,
    ) -> Result<String, LoadError> {
        match lookups
            .preloaded
            .remove(abs.as_os_str())
            .and_then(|preloaded| preloaded.read)
        {
            // Read ahead under its key: no need to work it out again.
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
    fn claim(&mut self, index: usize, key: &str, lookups: &mut Lookups) -> Result<(), LoadError> {
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
    fn implied_files(
        &mut self,
        root: &Path,
        index: usize,
        key: &str,
        lookups: &mut Lookups,
    ) -> Result<(), LoadError> {
        let file = &self.files[key];
        let extra = match lookups.implied.remove(file.abs.as_os_str()) {
            Some(extra) => extra,
            None => implied(root, file, &lookups.nearest),
        };
        for (abs, kind, owned) in extra {
            let extra_key = if kind == FileKind::VersionFile {
                lookups.check_implied(root, &abs, key)?;
                // Added each time: two pyprojects may read it with different patterns.
                self.add_version_file(key, &abs, lookups)?
            } else if let Some(known) = lookups.implied_keys.get(abs.as_os_str()) {
                // Many manifests share one lockfile or props file: added once.
                known.clone()
            } else {
                lookups.check_implied(root, &abs, key)?;
                let extra_key = self.add_preloaded(&abs, kind, lookups)?;
                lookups
                    .implied_keys
                    .insert(abs.into_os_string(), extra_key.clone());
                extra_key
            };
            if owned {
                self.claim(index, &extra_key, lookups)?;
                continue;
            }
            if kind == FileKind::MsBuild && !self.owners.contains_key(&extra_key) {
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
    /// The version file `abs` that the pyproject `pyproject` names, read with the pyproject's
    /// hatch `pattern` (files are read ahead without one: such a reading is taken only when
    /// there is no pattern). A file two pyprojects read with different patterns is an error
    /// naming both.
    fn add_version_file(
        &mut self,
        pyproject: &str,
        abs: &Path,
        lookups: &mut Lookups,
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
            .preloaded
            .remove(abs.as_os_str())
            .and_then(|preloaded| preloaded.read);
        let file = match read {
            Some(read) if pattern.is_none() => read?,
            _ => Box::new(SourceFile::load_version_file(abs, &key, pattern)?),
        };
        self.files.insert(key.clone(), file);
        Ok(key)
    }

    /// `pyproject` reads the version file `key` with another pattern than the pyproject that
    /// named it first.
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

/// A `manifests` entry with its group, where it is written, and what its expansion found.
type Expanded = (
    usize,
    Entry,
    Option<Located>,
    Result<discover::Expanded, LoadError>,
);

/// Each entry's files that are there ([`confirm`]).
#[allow(clippy::type_complexity)]
fn confirm_all(
    root: &Path,
    expanded: Vec<Expanded>,
    lookups: &Lookups,
) -> Vec<(
    usize,
    Entry,
    Option<Located>,
    Result<Vec<(PathBuf, Option<FileKind>)>, LoadError>,
)> {
    expanded
        .into_iter()
        .map(|(index, entry, origin, found)| {
            let paths = found.and_then(|found| {
                confirm(root, found, lookups).map_err(|error| LoadError::Discover {
                    path: entry.policy_file.clone(),
                    at: origin.clone(),
                    error,
                })
            });
            (index, entry, origin, paths)
        })
        .collect()
}

/// The files of an expansion that are there: those it left unconfirmed as reading them
/// found them (asked with `lstat` when they were not read: a pattern entry's, a file of
/// no known kind, a file read already).
fn confirm(
    root: &Path,
    found: discover::Expanded,
    lookups: &Lookups,
) -> Result<Vec<(PathBuf, Option<FileKind>)>, DiscoverError> {
    let presences: Vec<Presence> = if found.is_unconfirmed() {
        let read: Vec<Option<Presence>> = found
            .paths()
            .map(|abs| {
                lookups
                    .preloaded
                    .get(abs.as_os_str())
                    .and_then(|preloaded| preloaded.presence)
            })
            .collect();
        if read.iter().all(Option::is_some) {
            read.into_iter().flatten().collect()
        } else {
            let paths: Vec<(&Path, Option<Presence>)> = found.paths().zip(read).collect();
            crate::par::map(&paths, |(abs, read)| {
                read.unwrap_or_else(|| discover::presence(abs))
            })
        }
    } else {
        Vec::new()
    };
    let listings = lookups.nearest.listings();
    Ok(found
        .confirm(root, listings, &presences)?
        .into_iter()
        .map(|abs| {
            let kind = kind_of(&abs);
            (abs, kind)
        })
        .collect())
}

/// The hatch `pattern` a pyproject reads its dynamic version with.
fn dynamic_pattern(file: &SourceFile) -> Option<&VersionPattern> {
    file.reading.notes.iter().find_map(|note| match note {
        Note::Dynamic {
            source: DynamicVersion::File { pattern, .. },
            ..
        } => pattern.as_ref(),
        _ => None,
    })
}

/// The files `file` implies, and whether its group owns their version: lockfiles beside
/// it, a dynamic version's file, the MSBuild props above it.
fn implied(
    root: &Path,
    file: &SourceFile,
    nearest: &discover::Nearest,
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
        _ => {}
    }
    extra
}

/// What discovering asks the file system, asked once.
#[derive(Debug, Default)]
struct Lookups {
    nearest: discover::Nearest,
    /// Implied files whose real location was checked (keyed by path bytes: hashing a
    /// `Path` walks its components).
    checked: FastSet<OsString>,
    /// The key of each implied file added (not version files), by path.
    implied_keys: FastMap<OsString, String>,
    /// For each group (by index), every file in its `files`: looked up by `&str`, a key
    /// is copied only when it joins.
    in_group: Vec<FastSet<String>>,
    /// Files read ahead (on all cores), taken as they are reached.
    preloaded: FastMap<OsString, Preloaded>,
    /// What each file read ahead implies.
    implied: FastMap<OsString, Vec<(PathBuf, FileKind, bool)>>,
}

impl Lookups {
    /// Note that `key` is in group `index`'s files: whether it was not yet.
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

/// What reading a file ahead found.
#[derive(Debug)]
struct Preloaded {
    /// The file, when it was read.
    read: Option<Result<Box<SourceFile>, SourceError>>,
    /// For a path an expansion left unconfirmed: whether it is there.
    presence: Option<Presence>,
    /// What the file implies.
    implied: Option<Vec<(PathBuf, FileKind, bool)>>,
}

impl Preloaded {
    /// An unconfirmed path not read: not there, or a link (read once where it leads is
    /// checked).
    fn unread(presence: Presence) -> Preloaded {
        Preloaded {
            read: None,
            presence: Some(presence),
            implied: None,
        }
    }
}

/// The kind of manifest `abs`'s name says it is.
fn kind_of(abs: &Path) -> Option<FileKind> {
    discover::file_name_text(abs).and_then(FileKind::detect)
}

/// The file a dynamic Python version is read from, when the tool edits it.
fn version_file(dir: &Path, source: &DynamicVersion) -> Option<PathBuf> {
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
        DynamicVersion::Maturin { .. } | DynamicVersion::Vcs | DynamicVersion::Unknown { .. } => {
            None
        }
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
