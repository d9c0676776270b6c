//! Loading everything once: the workspace, its policies, its groups and every file they name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use policy_schema::{ManifestEntry, ManifestPolicies, PatternEntry, Policy, PolicyError};

use crate::discover::{self, DiscoverError, Excludes};
use crate::editor::text_pattern::Pattern;
use crate::editor::{DynamicVersion, FieldKind, FileKind, Note};
use crate::group::{self, Group, WORKSPACE};
use crate::source::{SourceError, SourceFile};
use crate::text::Position;
use crate::version::Version;
use crate::workspace::{Workspace, WorkspaceError};

/// The repository as read: the workspace, every file once, and the groups.
#[derive(Debug)]
pub struct Repo {
    pub workspace: Workspace,
    /// Every file read, keyed by its path relative to the workspace root.
    pub files: BTreeMap<String, SourceFile>,
    pub groups: Vec<Group>,
    /// The group whose version each file's own version fields follow.
    pub owners: BTreeMap<String, usize>,
    /// The pattern entries naming each [`FileKind::Text`] file, in the order they are listed
    /// (each with its own group: a README may spell the versions of two groups).
    pub patterns: BTreeMap<String, Vec<PatternUse>>,
    /// What the glob expansions looked into ([`Repo::dependencies`] adds the rest); `None`
    /// when that is not known (a `**` glob was walked).
    expanded: Option<discover::Consulted>,
}

/// One pattern entry, as applied to one file it names.
#[derive(Debug, Clone)]
pub struct PatternUse {
    /// The group whose version the matches hold.
    pub group: usize,
    pub pattern: Pattern,
    /// How many matches the file must hold: `exactly` (as `min` = `max`), or `min` (default
    /// 1) and `max`.
    pub min: u32,
    pub max: Option<u32>,
    /// The entry, for messages: `manifests[3]`.
    pub origin: String,
    /// The Cargo.toml listing it.
    pub policy_file: String,
}

impl PatternUse {
    /// Whether `count` matches are allowed.
    pub fn allows(&self, count: usize) -> bool {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        count >= u64::from(self.min) && self.max.is_none_or(|max| count <= u64::from(max))
    }

    /// The rule in words: `exactly 1`, `at least 1`, `at most 2`, `between 1 and 3`.
    pub fn rule(&self) -> String {
        match self.max {
            Some(max) if max == self.min => format!("exactly {max}"),
            Some(max) if self.min == 0 => format!("at most {max}"),
            Some(max) => format!("between {} and {max}", self.min),
            None => format!("at least {}", self.min),
        }
    }
}

/// Something in the configuration or a manifest stops the tool before it plans anything.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("invalid policy in `{path}`{}: {error}", located_suffix(at.as_ref()))]
    Policy {
        path: String,
        at: Option<Located>,
        error: PolicyError,
    },
    #[error("invalid policy in `{path}`{}: {error}", located_suffix(at.as_ref()))]
    Discover {
        path: String,
        at: Option<Located>,
        error: DiscoverError,
    },
    #[error("{message}")]
    Config {
        path: String,
        at: Option<Located>,
        message: String,
        help: Option<String>,
    },
}

/// Where in a file an error is: the file's text and the offending bytes.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub offset: usize,
    pub len: usize,
}

impl Located {
    pub fn new(text: &str, offset: usize, len: usize) -> Located {
        Located {
            text: text.to_string(),
            offset,
            len,
        }
    }

    pub fn position(&self) -> Position {
        Position::of(&self.text, self.offset)
    }
}

fn located_suffix(located: Option<&Located>) -> String {
    located
        .map(|l| format!(" at {}", l.position()))
        .unwrap_or_default()
}

impl LoadError {
    pub fn help(&self) -> Option<String> {
        match self {
            LoadError::Workspace(_) => None,
            LoadError::Source(e) => e.help(),
            LoadError::Policy { error, .. } => error.help.clone(),
            LoadError::Discover { error, .. } => error.help(),
            LoadError::Config { help, .. } => help.clone(),
        }
    }

    fn config(path: &str, at: Option<Located>, message: String, help: &str) -> LoadError {
        LoadError::Config {
            path: path.to_string(),
            at,
            message,
            help: Some(help.to_string()),
        }
    }
}

/// A file named by pattern entries, before it is read.
struct TextFile {
    abs: PathBuf,
    uses: Vec<PatternUse>,
    /// Where the first entry naming it is written, for errors.
    origin: Option<Located>,
    policy_file: String,
}

/// One `manifests` entry with the Cargo.toml that lists it.
struct Entry {
    base: PathBuf,
    policy_file: String,
    origin: String,
    manifest: ManifestEntry,
}

impl Repo {
    /// Load the workspace at `manifest_path` (or found from the current directory).
    pub fn load(manifest_path: Option<&Path>) -> Result<Repo, LoadError> {
        crate::timing::phase("start");
        let workspace = Workspace::load(manifest_path)?;
        crate::timing::phase("workspace");
        let mut repo = Repo {
            workspace,
            files: BTreeMap::new(),
            groups: Vec::new(),
            owners: BTreeMap::new(),
            patterns: BTreeMap::new(),
            expanded: None,
        };
        let mut manifests = vec![repo.workspace.root_manifest.clone()];
        manifests.extend(repo.workspace.members.iter().cloned());
        manifests.dedup();
        let mut policies = BTreeMap::new();
        for abs in &manifests {
            let (key, parsed) = if let Some(pre) = repo.workspace.take_preread(abs) {
                // Read and parsed once, by the workspace resolution.
                let key = repo.workspace.relative(abs);
                let file = SourceFile::with_reading(
                    abs.clone(),
                    key.clone(),
                    (FileKind::CargoToml, Vec::new()),
                    pre.text,
                    pre.stamp,
                    pre.reading,
                )?;
                repo.files.insert(key.clone(), file);
                (key, pre.policies)
            } else {
                let key = repo.add_file(abs, FileKind::CargoToml)?;
                let parsed = policy_schema::parse_policies(&repo.files[&key].text);
                (key, parsed)
            };
            let file = &repo.files[&key];
            let parsed = parsed.map_err(|error| LoadError::Policy {
                at: Some(Located::new(&file.text, error.offset(), error.span.len())),
                path: key.clone(),
                error,
            })?;
            policies.insert(key, parsed);
        }
        let entries = repo.build_groups(&manifests, &policies)?;
        crate::timing::phase("groups");
        let listings = repo.discover(entries)?;
        repo.expanded = listings.dependencies();
        Ok(repo)
    }

    /// Every file loading read and every directory it looked into, the ancestors of each
    /// file included (a file appearing or vanishing changes its directory).
    ///
    /// For [`crate::cache`]; `None` when that is not known (the workspace came from `cargo
    /// metadata`, or a `**` glob was walked). Computed when asked: only a `check` that passes
    /// needs it.
    pub fn dependencies(&self) -> Option<discover::Consulted> {
        let mut consulted = self.expanded.clone()?;
        let read = self.workspace.read.as_ref()?;
        consulted
            .files
            .extend(read.iter().map(|(path, stamp)| (path.clone(), stamp.id)));
        consulted
            .files
            .extend(self.files.values().map(|f| (f.abs.clone(), f.stamp.id)));
        // Sorted and looked up by their bytes: comparing paths component by component cost
        // 15 % of a `check`.
        let mut files = consulted.files;
        files.sort_unstable_by(|(a, a_id), (b, b_id)| {
            (a.as_os_str(), a_id.is_none()).cmp(&(b.as_os_str(), b_id.is_none()))
        });
        files.dedup_by(|(a, _), (b, _)| a == b);
        // Every directory is inserted with all its ancestors: meeting one already in means
        // the rest are.
        let mut seen: HashSet<&std::ffi::OsStr> = HashSet::new();
        let mut dirs = Vec::new();
        let starts = files
            .iter()
            .filter_map(|(file, _)| file.parent())
            .chain(consulted.dirs.iter().map(PathBuf::as_path));
        for start in starts {
            for dir in start.ancestors() {
                if !seen.insert(dir.as_os_str()) {
                    break;
                }
                dirs.push(dir.to_path_buf());
            }
        }
        Some(discover::Consulted { dirs, files })
    }

    /// Read `abs` once; returns its key.
    fn add_file(&mut self, abs: &Path, kind: FileKind) -> Result<String, LoadError> {
        let key = self.workspace.relative(abs);
        if !self.files.contains_key(&key) {
            let file = SourceFile::load(abs, &key, kind)?;
            self.files.insert(key.clone(), file);
        }
        Ok(key)
    }

    fn build_groups(
        &mut self,
        manifests: &[PathBuf],
        policies: &BTreeMap<String, ManifestPolicies>,
    ) -> Result<Vec<Vec<Entry>>, LoadError> {
        let root_key = self.workspace.relative(&self.workspace.root_manifest);
        let root = &self.files[&root_key];
        let root_policies = &policies[&root_key];
        let ws_version = root
            .reading
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Version && f.key == "workspace.package.version")
            .cloned();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut ws_crates = Vec::new();
        let mut root_package_group = None;
        for abs in manifests {
            let key = self.workspace.relative(abs);
            let file = &self.files[&key];
            let Some(name) = file.reading.name.clone() else {
                continue; // a virtual manifest
            };
            let package_policy = policies[&key].package.clone();
            let inherits = file
                .reading
                .notes
                .iter()
                .any(|n| matches!(n, Note::InheritsWorkspace { .. }));
            let own = file
                .reading
                .fields
                .iter()
                .find(|f| f.kind == FieldKind::Version && f.key == "package.version")
                .cloned();
            if inherits {
                ws_crates.push(name);
                if package_policy.is_some_and(|p| !p.manifests.is_empty()) {
                    return Err(LoadError::config(
                        &key,
                        None,
                        format!("`{key}` inherits the workspace version but lists `manifests` in its package table"),
                        "list those files in `[workspace.metadata.release]`: the crate belongs to the workspace group",
                    ));
                }
                continue;
            }
            let Some(field) = own else {
                if package_policy.is_some() {
                    return Err(LoadError::config(
                        &key,
                        None,
                        format!("`{key}` has a release policy but no `package.version`"),
                        "set `version = \"…\"` in `[package]`, or `version.workspace = true`",
                    ));
                }
                continue;
            };
            let is_root = key == root_key;
            if is_root && ws_version.is_none() {
                root_package_group = Some(self.groups.len());
            }
            let policy = crate_policy(
                &key,
                package_policy,
                root_policies.workspace.as_ref(),
                is_root && ws_version.is_none(),
            )?;
            let group_entries = entries_of(&policy, abs, &key);
            let group = self.make_group(name.clone(), Some(name), &key, &field, policy, is_root)?;
            self.groups.push(group);
            entries.push(group_entries);
        }
        if let Some(field) = ws_version {
            let policy = root_policies.workspace.clone().unwrap_or_default();
            let group_entries = entries_of(&policy, &self.workspace.root_manifest, &root_key);
            let mut group = self.make_group(
                WORKSPACE.to_string(),
                None,
                &root_key,
                &field,
                policy,
                false,
            )?;
            group.crates = ws_crates;
            self.groups.insert(0, group);
            entries.insert(0, group_entries);
        } else if root_package_group.is_none()
            && root_policies
                .workspace
                .as_ref()
                .is_some_and(|p| !p.manifests.is_empty() || !p.lockfiles.is_empty())
        {
            // Without a workspace version the workspace table only lends keys to crate groups.
            return Err(LoadError::config(
                &root_key,
                None,
                format!("`{root_key}` lists `manifests` in `[workspace.metadata.release]` but the workspace has no version"),
                "set `[workspace.package] version = \"…\"` and `version.workspace = true` in the members",
            ));
        }
        Ok(entries)
    }

    fn make_group(
        &self,
        name: String,
        crate_name: Option<String>,
        leader: &str,
        field: &crate::editor::Field,
        policy: Policy,
        is_root_package: bool,
    ) -> Result<Group, LoadError> {
        let file = &self.files[leader];
        let at = Some(Located::new(&file.text, field.span.start, field.span.len()));
        let spelling = group::spelling(&policy).map_err(|e| {
            LoadError::config(
                leader,
                None,
                format!("invalid `{}` in `{leader}`: {e}", e.key),
                "see docs/standard.md",
            )
        })?;
        let version =
            Version::parse(&field.value, &spelling.labels).map_err(|e| LoadError::Config {
                path: leader.to_string(),
                at,
                message: format!("`{}` in `{leader}` cannot lead a group: {e}", field.key),
                help: e.help(),
            })?;
        let template_name = crate_name
            .clone()
            .or_else(|| file.reading.name.clone())
            .unwrap_or_else(|| {
                self.workspace
                    .root
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        Ok(Group {
            template_name,
            crates: crate_name.iter().cloned().collect(),
            name,
            crate_name,
            leader: leader.to_string(),
            leader_key: field.key.clone(),
            version,
            policy,
            policy_file: leader.to_string(),
            files: Vec::new(),
            spelling,
            is_root_package,
        })
    }

    /// Expand every group's entries, read the files, and add the files they imply.
    fn discover(&mut self, entries: Vec<Vec<Entry>>) -> Result<discover::Listings, LoadError> {
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
        let walked = crate::par::map_few(&entries, |(index, entry)| {
            self.expand_entry(&root, *index, entry, &listings)
        });
        crate::timing::phase("globs");
        let expanded: Vec<_> = entries
            .into_iter()
            .zip(walked)
            .map(|((index, entry), (origin, paths))| (index, entry, origin, paths))
            .collect();
        let mut lookups = self.preload(&root, &expanded, lock.as_deref(), listings);
        crate::timing::phase("read and parse");
        if let Some(lock) = &lock {
            self.add_preloaded(lock, FileKind::CargoLock, &mut lookups)?;
        }
        // Which entry (`origin`, group) listed each file: labels are written only for errors.
        let mut listed_by: HashMap<String, (String, usize)> = HashMap::new();
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
                let by = (entry.origin.clone(), index);
                if let Some((previous, previous_index)) = listed_by.insert(key.clone(), by) {
                    let previous = format!("`{previous}` ({})", self.groups[previous_index].name);
                    let label = format!("`{}` ({})", entry.origin, self.groups[index].name);
                    return Err(LoadError::config(
                        &entry.policy_file,
                        origin,
                        format!("`{key}` is listed twice: by {previous} and by {label}"),
                        "list each manifest once (narrow a glob, or add an `exclude`)",
                    ));
                }
                self.claim(index, &key, &mut lookups)?;
                self.implied_files(index, &key, &mut lookups)?;
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

    /// Read the files named by pattern entries, each with all its patterns.
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
            self.files.insert(key.clone(), file);
            self.patterns.insert(key, text_file.uses);
        }
        Ok(())
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
    /// entries' files are read later, with all their patterns).
    #[allow(clippy::type_complexity)]
    fn preload(
        &self,
        root: &Path,
        expanded: &[(
            usize,
            Entry,
            Option<Located>,
            Result<Vec<(PathBuf, Option<FileKind>)>, LoadError>,
        )],
        cargo_lock: Option<&Path>,
        listings: discover::Listings,
    ) -> Lookups {
        // The workspace's lockfile first: the biggest file starts first.
        let mut wanted: Vec<(PathBuf, FileKind)> = cargo_lock
            .map(|lock| (lock.to_path_buf(), FileKind::CargoLock))
            .into_iter()
            .collect();
        let mut seen = HashSet::new();
        for (_, entry, _, paths) in expanded {
            if matches!(entry.manifest, ManifestEntry::Pattern(_)) {
                continue; // read as text, with all its patterns, after every entry is known
            }
            for (abs, kind) in paths.iter().flatten() {
                if let Some(kind) = kind {
                    let known = self.files.contains_key(&self.workspace.relative(abs));
                    if !known && seen.insert(abs.as_os_str()) {
                        wanted.push((abs.clone(), *kind));
                    }
                }
            }
        }
        let workspace = &self.workspace;
        let nearest = discover::Nearest::new(listings);
        // The files the manifests imply (a `package-lock.json`, a `Directory.Build.props`)
        // are read by the thread that meets them first, while the other threads go on with
        // the manifests: a big lockfile no longer waits for them all.
        let claimed: std::sync::Mutex<HashSet<OsString>> = std::sync::Mutex::new(
            wanted
                .iter()
                .map(|(abs, _)| abs.clone().into_os_string())
                .collect(),
        );
        let extra = std::sync::Mutex::new(Vec::new());
        let loaded = crate::par::map(&wanted, |(abs, kind)| {
            let file = SourceFile::load(abs, &workspace.relative(abs), *kind);
            let implied = file.as_ref().map(|f| implied(root, f, &nearest)).ok();
            for (path, kind, _) in implied.iter().flatten() {
                let first = claimed
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(path.clone().into_os_string());
                if first && !self.files.contains_key(&workspace.relative(path)) {
                    let read = SourceFile::load(path, &workspace.relative(path), *kind);
                    extra
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((path.clone(), read));
                }
            }
            (file, implied)
        });
        let mut lookups = Lookups {
            nearest,
            ..Lookups::default()
        };
        for (abs, file) in extra
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            lookups.preloaded.insert(abs.into_os_string(), file);
        }
        for ((abs, _), (file, implied)) in wanted.into_iter().zip(loaded) {
            if let Some(implied) = implied {
                lookups
                    .implied
                    .insert(abs.clone().into_os_string(), implied);
            }
            lookups.preloaded.insert(abs.into_os_string(), file);
        }
        lookups
    }

    /// The files one `manifests` entry names, each with its kind when the name tells it; and
    /// where the entry is written, for errors.
    #[allow(clippy::type_complexity)]
    fn expand_entry(
        &self,
        root: &Path,
        index: usize,
        entry: &Entry,
        listings: &discover::Listings,
    ) -> (
        Option<Located>,
        Result<Vec<(PathBuf, Option<FileKind>)>, LoadError>,
    ) {
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
        let paths = Excludes::new(root, &entry.base, &self.groups[index].policy.exclude)
            .map_err(discover_error)
            .and_then(|excludes| {
                discover::expand_with(
                    root,
                    &entry.base,
                    entry.manifest.path(),
                    &excludes,
                    listings,
                )
                .map_err(discover_error)
            })
            .map(|paths| {
                paths
                    .into_iter()
                    .map(|abs| {
                        let kind = abs
                            .file_name()
                            .and_then(|n| n.to_str())
                            .and_then(FileKind::detect);
                        (abs, kind)
                    })
                    .collect()
            });
        (origin, paths)
    }

    /// [`Repo::add_file`], taking the file from those read ahead when it is there.
    fn add_preloaded(
        &mut self,
        abs: &Path,
        kind: FileKind,
        lookups: &mut Lookups,
    ) -> Result<String, LoadError> {
        let preloaded = lookups.preloaded.remove(abs.as_os_str());
        let key = self.workspace.relative(abs);
        if self.files.contains_key(&key) {
            return Ok(key);
        }
        match preloaded {
            Some(loaded) => {
                self.files.insert(key.clone(), loaded?);
                Ok(key)
            }
            None => self.add_file(abs, kind),
        }
    }

    /// Record that `index`'s group owns the own-version fields of `key`.
    fn claim(&mut self, index: usize, key: &str, lookups: &mut Lookups) -> Result<(), LoadError> {
        if let Some(&other) = self.owners.get(key) {
            if other != index {
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
        }
        self.owners.insert(key.to_string(), index);
        if lookups.in_group.insert((index, key.to_string())) {
            self.groups[index].files.push(key.to_string());
        }
        Ok(())
    }

    /// Lockfiles beside listed manifests, dynamic version files, MSBuild props.
    fn implied_files(
        &mut self,
        index: usize,
        key: &str,
        lookups: &mut Lookups,
    ) -> Result<(), LoadError> {
        let root = self.workspace.repo_root.clone();
        let file = &self.files[key];
        let extra = match lookups.implied.remove(file.abs.as_os_str()) {
            Some(extra) => extra,
            None => implied(&root, file, &lookups.nearest),
        };
        for (abs, kind, owned) in extra {
            // Each implied file's real location is checked once (many manifests share one).
            if lookups.checked.insert(abs.clone().into_os_string()) {
                discover::check_inside(&root, &abs, key).map_err(|error| LoadError::Discover {
                    path: key.to_string(),
                    at: None,
                    error,
                })?;
            }
            let extra_key = self.add_preloaded(&abs, kind, lookups)?;
            if owned {
                self.claim(index, &extra_key, lookups)?;
            } else if kind == FileKind::MsBuild {
                // A props file imported by a project of the group carries its version.
                self.owners.entry(extra_key.clone()).or_insert(index);
                if lookups.in_group.insert((index, extra_key.clone())) {
                    self.groups[index].files.push(extra_key);
                }
            } else if lookups.in_group.insert((index, extra_key.clone())) {
                self.groups[index].files.push(extra_key);
            }
        }
        Ok(())
    }
}

/// The policy of a crate's own group: its package table; for the root package of a workspace
/// without a version (`sole`), the workspace table; else the package table with the
/// workspace table's inheritable keys.
fn crate_policy(
    key: &str,
    package: Option<Policy>,
    workspace: Option<&Policy>,
    sole: bool,
) -> Result<Policy, LoadError> {
    match (package, workspace) {
        (Some(_), Some(_)) if sole => Err(LoadError::config(
            key,
            None,
            format!("`{key}` has both a workspace and a package release policy for one package"),
            "keep one of `[workspace.metadata.release]` and `[package.metadata.release]`",
        )),
        (None, Some(ws)) if sole => Ok(ws.clone()),
        (Some(own), Some(ws)) => Ok(own.inherit(ws)),
        (None, Some(ws)) => Ok(Policy::default().inherit(ws)),
        (own, None) => Ok(own.unwrap_or_default()),
    }
}

/// Record that the pattern entry `entry` (of group `index`, written at `origin`) names each
/// file of `paths`.
fn pattern_files(
    (index, entry, origin): (usize, &Entry, Option<Located>),
    pattern_entry: &PatternEntry,
    paths: Vec<PathBuf>,
    workspace: &Workspace,
    text_files: &mut BTreeMap<String, TextFile>,
) -> Result<(), LoadError> {
    let pattern = Pattern::new(&pattern_entry.search, pattern_entry.format).map_err(|e| {
        LoadError::Config {
            path: entry.policy_file.clone(),
            at: origin.clone(),
            message: format!(
                "invalid pattern entry `{}` in `{}`: {}",
                entry.origin, entry.policy_file, e.message
            ),
            help: e.help.clone(),
        }
    })?;
    let (min, max) = match pattern_entry.exactly {
        Some(n) => (n, Some(n)),
        None => (pattern_entry.min.unwrap_or(1), pattern_entry.max),
    };
    for abs in paths {
        let key = workspace.relative(&abs);
        let file = text_files.entry(key).or_insert_with(|| TextFile {
            abs,
            uses: Vec::new(),
            origin: origin.clone(),
            policy_file: entry.policy_file.clone(),
        });
        file.uses.push(PatternUse {
            group: index,
            pattern: pattern.clone(),
            min,
            max,
            origin: entry.origin.clone(),
            policy_file: entry.policy_file.clone(),
        });
    }
    Ok(())
}

/// The files `file` implies, and whether its group owns their version: lockfiles beside
/// it, a dynamic version's file, the MSBuild props above it.
fn implied(
    root: &Path,
    file: &SourceFile,
    nearest: &discover::Nearest,
) -> Vec<(PathBuf, FileKind, bool)> {
    let dir = file.abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut extra: Vec<(PathBuf, FileKind, bool)> = Vec::new();
    match file.kind {
        FileKind::PackageJson => {
            if let Some(lock) = nearest.find(root, &dir, "package-lock.json") {
                extra.push((lock, FileKind::PackageLock, false));
            }
        }
        FileKind::Pyproject => {
            if let Some(lock) = nearest.find(root, &dir, "uv.lock") {
                extra.push((lock, FileKind::UvLock, false));
            }
            for note in &file.reading.notes {
                if let Note::Dynamic { source, .. } = note {
                    if let Some(path) = version_file(&dir, source) {
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
                if let Some(props) = nearest.find(root, &dir, name) {
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
    checked: HashSet<OsString>,
    /// `(group, file)` for every file in a group's `files`.
    in_group: HashSet<(usize, String)>,
    /// Files read ahead (on all cores), taken as they are reached.
    preloaded: HashMap<OsString, Result<SourceFile, SourceError>>,
    /// What each file read ahead implies.
    implied: HashMap<OsString, Vec<(PathBuf, FileKind, bool)>>,
}

/// The file a dynamic Python version is read from, when the tool edits it.
fn version_file(dir: &Path, source: &DynamicVersion) -> Option<PathBuf> {
    match source {
        DynamicVersion::File { path, .. } => Some(dir.join(path)),
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

fn entries_of(policy: &Policy, cargo_toml: &Path, policy_file: &str) -> Vec<Entry> {
    let base = cargo_toml
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    policy
        .manifests
        .iter()
        .enumerate()
        .map(|(i, entry)| Entry {
            base: base.clone(),
            policy_file: policy_file.to_string(),
            origin: format!("manifests[{i}]"),
            manifest: entry.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use policy_schema::VersionFormat;

    use super::PatternUse;
    use crate::editor::text_pattern::Pattern;

    fn pattern_use(exactly: Option<u32>, min: Option<u32>, max: Option<u32>) -> PatternUse {
        // As `discover` reads an entry: `exactly` is `min` = `max`, `min` defaults to 1.
        let (min, max) = match exactly {
            Some(n) => (n, Some(n)),
            None => (min.unwrap_or(1), max),
        };
        PatternUse {
            group: 0,
            pattern: Pattern::new("v{{version}}", VersionFormat::Semver).unwrap(),
            min,
            max,
            origin: "manifests[0]".to_string(),
            policy_file: "Cargo.toml".to_string(),
        }
    }

    /// `exactly`, `min`, `max`; whether 0, 1, 2, 3, 4 matches are allowed; the rule in words.
    type CountRule = (
        Option<u32>,
        Option<u32>,
        Option<u32>,
        [bool; 5],
        &'static str,
    );

    /// Each count rule: the match counts it allows (of 0 to 4), and how it is worded.
    #[test]
    fn count_rules() {
        let rules: [CountRule; 7] = [
            // exactly, min, max: allowed for 0, 1, 2, 3, 4 matches
            (
                None,
                None,
                None,
                [false, true, true, true, true],
                "at least 1",
            ),
            (
                Some(1),
                None,
                None,
                [false, true, false, false, false],
                "exactly 1",
            ),
            (
                Some(3),
                None,
                None,
                [false, false, false, true, false],
                "exactly 3",
            ),
            (
                None,
                Some(0),
                None,
                [true, true, true, true, true],
                "at least 0",
            ),
            (
                None,
                Some(2),
                None,
                [false, false, true, true, true],
                "at least 2",
            ),
            (
                None,
                Some(0),
                Some(2),
                [true, true, true, false, false],
                "at most 2",
            ),
            (
                None,
                Some(1),
                Some(3),
                [false, true, true, true, false],
                "between 1 and 3",
            ),
        ];
        for (exactly, min, max, allowed, words) in rules {
            let rule = pattern_use(exactly, min, max);
            assert_eq!(rule.rule(), words);
            for (count, allowed) in allowed.into_iter().enumerate() {
                assert_eq!(rule.allows(count), allowed, "{words}: {count} matches");
            }
        }
        // `max` alone keeps the default minimum of 1
        let rule = pattern_use(None, None, Some(2));
        assert_eq!(rule.rule(), "between 1 and 2");
        assert!(!rule.allows(0));
    }
}
