//! Everything `init` proposes, each entry listed or left out with the reason: the manifests
//! of the work tree, the crates sharing a literal version, the files an imported release-tool
//! configuration names, and the version files found by name. Paths stay relative to the
//! repository root here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use policy_schema::VersionFormat;
use release_policy_editor::{DynamicVersion, FileKind, Note};

use super::leader::{same, Leader, Member};
use super::search::{derive, infer_format, verify};
use super::version_files::{follows_a_pyproject, Found};
use super::Entry;
use crate::import::{Import, ToolFile};
use crate::load::source::SourceFile;
use crate::survey::{self, Candidate};

/// One entry: listed when `reason` is `None`, else written commented out with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub entry: Entry,
    pub reason: Option<String>,
}

impl Proposal {
    fn listed(entry: Entry) -> Proposal {
        Proposal {
            entry,
            reason: None,
        }
    }

    fn left_out(entry: Entry, reason: impl Into<String>) -> Proposal {
        Proposal {
            entry,
            reason: Some(reason.into()),
        }
    }
}

/// The entries one release-tool configuration gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub tool: &'static str,
    pub config: String,
    pub proposals: Vec<Proposal>,
}

/// What `init` writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposals {
    /// Manifests and version files in lockstep: listed.
    pub listed: Vec<Proposal>,
    pub imported: Vec<Imported>,
    /// Manifests (and crates) not in lockstep, with the reason.
    pub left_out: Vec<Proposal>,
    /// Version files not in lockstep, or not certainly the product's, with the reason.
    pub uncertain: Vec<Proposal>,
}

/// Whether a workspace crate is listed.
enum MemberStatus {
    Listed,
    /// It follows already (the leader, an inheriting crate): nothing to write.
    Follows(&'static str),
    LeftOut(String),
}

/// What the proposals are made from.
pub struct Survey<'a> {
    pub repo_root: &'a Path,
    pub leader: &'a Leader,
    pub members: &'a [Member],
    pub candidates: Vec<Candidate>,
    pub imports: Vec<Import>,
    pub version_files: Vec<Found>,
}

impl Survey<'_> {
    fn rel(&self, abs: &Path) -> String {
        crate::load::workspace::relative_to(self.repo_root, abs)
    }

    /// Whether a workspace crate is listed.
    fn member_status(&self, member: &Member) -> MemberStatus {
        if member.manifest == self.leader.manifest {
            return MemberStatus::Follows("the leader: it holds this table");
        }
        let Some(version) = member.version.as_deref() else {
            return MemberStatus::Follows(
                "inherits `[workspace.package].version`: followed already",
            );
        };
        let rel = self.rel(&member.manifest);
        if let Some(dir) = survey::unreleased_dir(&rel) {
            return MemberStatus::LeftOut(format!("under `{dir}/`: not released with the product"));
        }
        if same(&self.leader.version, version) {
            MemberStatus::Listed
        } else {
            MemberStatus::LeftOut(format!(
                "at {version}, not {}: leads its own group",
                self.leader.version
            ))
        }
    }

    /// The manifests maturin projects among the listed pyprojects take their version from.
    fn maturin_crates(&self, listed: &[Proposal]) -> BTreeSet<PathBuf> {
        let mut crates = BTreeSet::new();
        for proposal in listed {
            let path = proposal.entry.path();
            if !path.ends_with("pyproject.toml") {
                continue;
            }
            let abs = self.repo_root.join(path);
            let Ok(file) = SourceFile::load(&abs, path, FileKind::Pyproject) else {
                continue;
            };
            for note in &file.reading.notes {
                if let Note::Dynamic {
                    source: DynamicVersion::Maturin { manifest_path },
                    ..
                } = note
                {
                    let dir = abs.parent().unwrap_or(self.repo_root);
                    let manifest = if manifest_path.is_empty() {
                        "Cargo.toml"
                    } else {
                        manifest_path.as_str()
                    };
                    crates.insert(normalize(&dir.join(manifest)));
                }
            }
        }
        crates
    }
}

/// `path` with its `.` and `..` parts resolved (lexically: the paths compared are all made
/// from the repository root).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every proposal, from `survey`.
pub fn propose(survey: &Survey) -> Proposals {
    let mut out = Proposals::default();
    // Files the imported configurations claim: listed there, not again below.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for import in &survey.imports {
        let mut proposals = Vec::new();
        for file in &import.files {
            for proposal in tool_file(survey, file) {
                if taken.insert(proposal.entry.path().to_string()) || proposal.reason.is_some() {
                    proposals.push(proposal);
                }
            }
        }
        out.imported.push(Imported {
            tool: import.tool,
            config: import.config.clone(),
            proposals,
        });
    }
    for member in survey.members {
        let rel = survey.rel(&member.manifest);
        if taken.contains(&rel) {
            continue;
        }
        match survey.member_status(member) {
            MemberStatus::Listed => out.listed.push(Proposal::listed(Entry::Path(rel))),
            MemberStatus::LeftOut(reason) => {
                out.left_out
                    .push(Proposal::left_out(Entry::Path(rel), reason));
            }
            MemberStatus::Follows(_) => {}
        }
    }
    for candidate in &survey.candidates {
        if taken.contains(&candidate.path) {
            continue;
        }
        let entry = Entry::Path(candidate.path.clone());
        match survey::left_out(candidate, &survey.leader.version) {
            None => out.listed.push(Proposal::listed(entry)),
            Some(reason) => out.left_out.push(Proposal::left_out(entry, reason)),
        }
    }
    let maturin = survey.maturin_crates(&out.listed);
    for found in &survey.version_files {
        let path = found.entry.path();
        if taken.contains(path) || maturin.contains(&normalize(&survey.repo_root.join(path))) {
            continue;
        }
        let proposal = version_file(survey, found);
        if proposal.reason.is_none() {
            out.listed.push(proposal);
        } else {
            out.uncertain.push(proposal);
        }
    }
    out
}

/// A version file found by name: listed when it holds the leader's version (and is not in
/// documentation, examples, tests or templates).
fn version_file(survey: &Survey, found: &Found) -> Proposal {
    let path = found.entry.path();
    if let Some(dir) = survey::unreleased_dir(path) {
        return Proposal::left_out(
            found.entry.clone(),
            format!("under `{dir}/`: not released with the product"),
        );
    }
    let checked = match &found.entry {
        Entry::Path(_) => {
            if same(&survey.leader.version, &found.found) {
                Ok(())
            } else {
                Err(format!(
                    "at {}, not {}: its own version",
                    found.found, survey.leader.version
                ))
            }
        }
        Entry::Pattern { search, format, .. } => {
            std::fs::read_to_string(survey.repo_root.join(path))
                .map_err(|e| e.to_string())
                .and_then(|text| verify(&text, search, *format, &survey.leader.version).map(|_| ()))
        }
    };
    match checked {
        Ok(()) => Proposal::listed(found.entry.clone()),
        Err(reason) => Proposal::left_out(found.entry.clone(), reason),
    }
}

/// Whether `path` is a glob.
fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '[', '{'])
}

/// The entries for one file of a tool's configuration.
fn tool_file(survey: &Survey, file: &ToolFile) -> Vec<Proposal> {
    let plain = Entry::Path(file.path.clone());
    if let Some(problem) = &file.problem {
        return vec![Proposal::left_out(plain, problem.clone())];
    }
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    let kind = FileKind::detect(name);
    if is_glob(&file.path) {
        return vec![glob_entry(survey, file, kind)];
    }
    let abs = survey.repo_root.join(&file.path);
    let Ok(text) = std::fs::read_to_string(&abs) else {
        return vec![Proposal::left_out(plain, "not found")];
    };
    match kind {
        Some(FileKind::CargoLock | FileKind::PackageLock | FileKind::UvLock) => {
            vec![Proposal::left_out(
                plain,
                "a lockfile: follows its manifest already",
            )]
        }
        Some(FileKind::CargoToml) => vec![cargo_entry(survey, &file.path, &abs)],
        Some(FileKind::PackageJson | FileKind::Pyproject | FileKind::MsBuild) => {
            let candidate = survey.candidates.iter().find(|c| c.path == file.path);
            match candidate.and_then(|c| survey::left_out(c, &survey.leader.version)) {
                None if candidate.is_some() => vec![Proposal::listed(plain)],
                None => vec![Proposal::left_out(
                    plain,
                    "carries no version this tool follows",
                )],
                Some(reason) => vec![Proposal::left_out(plain, reason)],
            }
        }
        _ => text_entries(survey, file, &abs, text.trim_start_matches('\u{feff}')),
    }
}

/// A `Cargo.toml` a tool names: listed when it writes the leader's version literally.
fn cargo_entry(survey: &Survey, path: &str, abs: &Path) -> Proposal {
    let plain = Entry::Path(path.to_string());
    if abs == survey.leader.manifest {
        return Proposal::left_out(plain, "the leader: it holds this table");
    }
    if let Some(member) = survey.members.iter().find(|m| m.manifest == abs) {
        return match survey.member_status(member) {
            MemberStatus::Listed => Proposal::listed(plain),
            MemberStatus::Follows(reason) => Proposal::left_out(plain, reason),
            MemberStatus::LeftOut(reason) => Proposal::left_out(plain, reason),
        };
    }
    match SourceFile::load(abs, path, FileKind::CargoToml) {
        Ok(file) => match file
            .reading
            .fields
            .iter()
            .find(|f| f.key == "package.version")
        {
            Some(f) if same(&survey.leader.version, &f.value) => Proposal::listed(plain),
            Some(f) => Proposal::left_out(
                plain,
                format!(
                    "at {}, not {}: its own version",
                    f.value, survey.leader.version
                ),
            ),
            None => Proposal::left_out(plain, "no literal `package.version`"),
        },
        Err(e) => Proposal::left_out(plain, e.to_string()),
    }
}

/// A glob a tool names: listed when every file it matches holds the leader's version (a
/// manifest glob as a path; with a search, as a pattern entry).
fn glob_entry(survey: &Survey, file: &ToolFile, kind: Option<FileKind>) -> Proposal {
    let plain = Entry::Path(file.path.clone());
    let Ok(glob) = globset::GlobBuilder::new(&file.path)
        .literal_separator(true)
        .build()
    else {
        return Proposal::left_out(plain, "a glob this tool cannot read");
    };
    let glob_matcher = glob.compile_matcher();
    let files: Vec<String> = crate::survey::walk(survey.repo_root)
        .map(|e| survey.rel(e.path()))
        .filter(|rel| glob_matcher.is_match(rel))
        .collect();
    if files.is_empty() {
        return Proposal::left_out(plain, "matches no file");
    }
    let entry = match (&file.search, kind) {
        (_, Some(_)) => plain,
        (Some(search), None) => Entry::Pattern {
            path: file.path.clone(),
            search: search.clone(),
            format: infer_format(&file.path, ""),
        },
        (None, None) => {
            return Proposal::left_out(
                plain,
                "a glob without a search: list its files with their searches",
            )
        }
    };
    for rel in &files {
        let single = ToolFile {
            path: rel.clone(),
            ..file.clone()
        };
        if let Some(reason) = tool_file(survey, &single)
            .into_iter()
            .find_map(|p| p.reason)
        {
            return Proposal::left_out(entry, format!("`{rel}`: {reason}"));
        }
    }
    Proposal::listed(entry)
}

/// Pattern entries for a text file a tool names: its search translated, or derived from
/// where the leader's version stands in the file; each checked to hold the leader's version.
fn text_entries(survey: &Survey, file: &ToolFile, abs: &Path, text: &str) -> Vec<Proposal> {
    let plain = Entry::Path(file.path.clone());
    let leader = &survey.leader.version;
    if follows_a_pyproject(survey.repo_root, abs) {
        return vec![Proposal::left_out(
            plain,
            "its pyproject's dynamic version follows it already",
        )];
    }
    let (searches, formats) = if let Some(search) = &file.search {
        let preferred = infer_format(&file.path, "");
        let other = if preferred == VersionFormat::Semver {
            VersionFormat::Pep440
        } else {
            VersionFormat::Semver
        };
        (vec![search.clone()], vec![preferred, other])
    } else {
        let line = file.line.as_deref().and_then(|l| regex::Regex::new(l).ok());
        match derive(&file.path, text, leader, line.as_ref()) {
            Some((searches, format)) => (searches, vec![format]),
            None => {
                return vec![Proposal::left_out(
                    plain,
                    format!("holds no {leader} init could find"),
                )];
            }
        }
    };
    let mut proposals = Vec::new();
    let mut spans = Vec::new();
    for search in searches {
        let mut first_error = None;
        let mut done = None;
        for format in &formats {
            match verify(text, &search, *format, leader) {
                Ok(found) => {
                    done = Some((*format, found));
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let format = done
            .as_ref()
            .map(|(f, _)| *f)
            .or_else(|| formats.first().copied())
            .unwrap_or_default();
        let entry = Entry::Pattern {
            path: file.path.clone(),
            search,
            format,
        };
        match done {
            Some((_, found)) if found.iter().any(|s| spans.contains(s)) => {
                proposals.push(Proposal::left_out(
                    entry,
                    "matches a version another entry matches",
                ));
            }
            Some((_, found)) => {
                spans.extend(found);
                proposals.push(Proposal::listed(entry));
            }
            None => proposals.push(Proposal::left_out(entry, first_error.unwrap_or_default())),
        }
    }
    proposals
}
