//! `cargo release-policy init`: write the policy table for an existing repository, from what
//! [`crate::survey`], [`crate::adopt`] and [`crate::import`] find, into the leader's
//! `Cargo.toml` (the workspace's, or the leading crate's without a workspace version).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::exit::Exit;
use crate::adopt::leader::{self, Leader};
use crate::adopt::proposal::{self, Proposals, Survey};
use crate::adopt::table::{self, Place};
use crate::adopt::{cargo_release, version_files, Entry};
use crate::cli::{GlobalArgs, InitArgs};
use crate::documents::{EntryJson, ImportedJson, InitJson};
use crate::error::Error;
use crate::load::source::SourceFile;
use crate::load::workspace::{relative_to, Workspace};
use crate::printer::Printer;
use crate::report::JSON_FORMAT_VERSION;
use crate::survey::{self, Suggestion};
use release_policy_editor::FileKind;

/// Tell the user about the suggestions written commented out.
fn list_suggestions(printer: &Printer, place: &Place, suggestions: &[Suggestion]) {
    if suggestions.is_empty() {
        return;
    }
    let mut list = String::new();
    for suggestion in suggestions {
        let shown = Suggestion {
            path: place.path(&suggestion.path),
            ..suggestion.clone()
        };
        let _ = write!(
            list,
            "\n             {} (holds `{}`)",
            shown.to_toml(),
            suggestion.found
        );
    }
    printer.status(
        "Suggested",
        &format!(
            "{} pattern entr{}, written commented out: uncomment the ones to follow{list}",
            suggestions.len(),
            if suggestions.len() == 1 { "y" } else { "ies" }
        ),
    );
}

fn load_error(error: impl Into<crate::load::LoadError>) -> Error {
    Error::from(error.into())
}

/// Refuse a `Cargo.toml` that already holds this tool's policy.
fn refuse_existing(text: &str, key: &str) -> Result<(), Error> {
    match cargo_release::existing_policy(text) {
        Some(table) => Err(Error::Usage {
            message: format!("`{key}` already has a release policy: `{table}`"),
            help: Some("edit the table by hand, or run `cargo release-policy show`".to_string()),
        }),
        None => Ok(()),
    }
}

/// The directories whose release-tool configurations `init` imports: the repository's root,
/// the workspace's and every crate's, and every released Python project's.
fn config_dirs(workspace: &Workspace, candidates: &[survey::Candidate]) -> Vec<PathBuf> {
    let mut dirs = vec![workspace.repo_root.clone(), workspace.root.clone()];
    dirs.extend(
        workspace
            .members
            .iter()
            .filter_map(|m| m.parent().map(Path::to_path_buf)),
    );
    for candidate in candidates {
        if candidate.kind == FileKind::Pyproject && !survey::in_unreleased_dir(&candidate.path) {
            dirs.extend(
                workspace
                    .repo_root
                    .join(&candidate.path)
                    .parent()
                    .map(Path::to_path_buf),
            );
        }
    }
    let mut seen = BTreeSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

/// What `init` found, ready to write.
struct Adoption {
    leader: Leader,
    /// The leader is a member crate, chosen for the version most manifests share.
    chosen: bool,
    /// The leader's `Cargo.toml`, read.
    file: SourceFile,
    /// Its path as shown (relative to the workspace's root).
    key: String,
    table: String,
    /// Why the `release-policy` twin is written, when it is.
    cargo_release: Option<String>,
    proposals: Proposals,
    suggestions: Vec<Suggestion>,
    import_errors: Vec<crate::import::ImportError>,
}

fn adopt(workspace: &Workspace) -> Result<Adoption, Error> {
    let key = workspace.relative(&workspace.root_manifest);
    let root_file = SourceFile::load(&workspace.root_manifest, &key, FileKind::CargoToml)
        .map_err(load_error)?;
    refuse_existing(&root_file.text, &key)?;
    let repo_root = &workspace.repo_root;
    let members = leader::members(workspace);
    let member_set: BTreeSet<PathBuf> = workspace
        .members
        .iter()
        .cloned()
        .chain([workspace.root_manifest.clone()])
        .collect();
    let candidates = survey::find_candidates(repo_root);
    let found_files = version_files::find(repo_root, &member_set);
    let shares = |version: &release_policy_version::Version| {
        candidates
            .iter()
            .filter(|c| c.version.is_some() && survey::left_out(c, version).is_none())
            .count()
            + found_files
                .iter()
                .filter(|f| matches!(f.entry, Entry::Path(_)) && leader::same(version, &f.found))
                .count()
    };
    let (imports, import_errors) =
        crate::import::find(repo_root, &config_dirs(workspace, &candidates));
    let named: BTreeSet<PathBuf> = imports
        .iter()
        .flat_map(|i| &i.files)
        .filter(|f| f.problem.is_none())
        .map(|f| repo_root.join(&f.path))
        .collect();
    let leader = leader::choose(workspace, &root_file, &members, &named, shares).map_err(|message| Error::Usage {
        message: format!("`{key}`: {message}"),
        help: Some("add `[workspace.package] version = \"…\"` and `version.workspace = true` in the members, then run `init` again".to_string()),
    })?;
    let chosen = leader.manifest != workspace.root_manifest;
    let (file, key) = if chosen {
        let key = workspace.relative(&leader.manifest);
        let file =
            SourceFile::load(&leader.manifest, &key, FileKind::CargoToml).map_err(load_error)?;
        refuse_existing(&file.text, &key)?;
        (file, key)
    } else {
        (root_file, key)
    };
    let mut manifests = vec![workspace.root_manifest.clone()];
    manifests.extend(workspace.members.iter().cloned());
    let cargo_release = cargo_release::used(&manifests, repo_root);
    let table = format!(
        "{}.metadata.{}",
        leader.section,
        if cargo_release.is_some() {
            "release-policy"
        } else {
            "release"
        }
    );
    let proposals = proposal::propose(&Survey {
        repo_root,
        leader: &leader,
        members: &members,
        candidates,
        imports,
        version_files: found_files,
    });
    let mut taken: BTreeSet<&str> = proposals.listed.iter().map(|p| p.entry.path()).collect();
    taken.extend(
        proposals
            .imported
            .iter()
            .flat_map(|i| i.proposals.iter().map(|p| p.entry.path())),
    );
    let suggestions = survey::find_patterns(repo_root)
        .into_iter()
        .filter(|s| !taken.contains(s.path.as_str()))
        .collect();
    Ok(Adoption {
        leader,
        chosen,
        file,
        key,
        table,
        cargo_release,
        proposals,
        suggestions,
        import_errors,
    })
}

/// The JSON document of `init` (docs/json.md).
fn json(adoption: &Adoption, place: &Place, dry_run: bool) -> InitJson {
    let entry = |p: &proposal::Proposal| match &p.entry {
        Entry::Path(path) => EntryJson {
            path: place.path(path),
            search: None,
            format: None,
            reason: p.reason.clone(),
        },
        Entry::Pattern {
            path,
            search,
            format,
        } => EntryJson {
            path: place.path(path),
            search: Some(search.clone()),
            format: Some(crate::adopt::format_name(*format)),
            reason: p.reason.clone(),
        },
    };
    let p = &adoption.proposals;
    InitJson {
        format_version: JSON_FORMAT_VERSION,
        command: "init",
        ok: true,
        table: adoption.table.clone(),
        manifest: relative_to(place.repo_root, &adoption.leader.manifest),
        leader: adoption.leader.name.clone(),
        cargo_release: adoption.cargo_release.clone(),
        manifests: table::listed_paths(place, p),
        patterns: p
            .listed
            .iter()
            .filter(|p| matches!(p.entry, Entry::Pattern { .. }))
            .map(entry)
            .collect(),
        imported: p
            .imported
            .iter()
            .map(|i| ImportedJson {
                tool: i.tool,
                config: i.config.clone(),
                listed: i
                    .proposals
                    .iter()
                    .filter(|p| p.reason.is_none())
                    .map(entry)
                    .collect(),
                left_out: i
                    .proposals
                    .iter()
                    .filter(|p| p.reason.is_some())
                    .map(entry)
                    .collect(),
            })
            .collect(),
        left_out: p.left_out.iter().chain(&p.uncertain).map(entry).collect(),
        suggested: adoption
            .suggestions
            .iter()
            .map(|s| Suggestion {
                path: place.path(&s.path),
                ..s.clone()
            })
            .collect(),
        dry_run,
    }
}

pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &InitArgs) -> Result<Exit, Error> {
    super::shared::recover(printer, global, crate::apply::Edited::Refuse)?;
    let workspace = Workspace::load(global.manifest_path.as_deref()).map_err(load_error)?;
    let adoption = adopt(&workspace)?;
    for error in &adoption.import_errors {
        printer.warning(
            &error.to_string(),
            Some("fix the configuration, or list its files in `manifests` by hand"),
        );
    }
    let table_dir = adoption
        .leader
        .manifest
        .parent()
        .unwrap_or(&workspace.root)
        .to_path_buf();
    let place = Place {
        repo_root: &workspace.repo_root,
        table_dir: &table_dir,
    };
    let text = &adoption.file.text;
    let block = table::render(
        text,
        &adoption.table,
        &place,
        &adoption.proposals,
        &adoption.suggestions,
    );
    let new_text = format!("{text}{block}");
    let key = &adoption.key;
    // The result must still be a valid Cargo.toml with a valid policy.
    policy_schema::parse_policies(&new_text).map_err(|e| Error::Usage {
        message: format!("the table cannot be added to `{key}`: {e}"),
        help: Some("add it by hand".to_string()),
    })?;
    if args.dry_run || printer.json_format() {
        if printer.json_format() {
            printer.json(&json(&adoption, &place, args.dry_run));
        } else {
            // Named from the repository's root, so that `git apply` there takes the diff.
            let shown = relative_to(&workspace.repo_root, &adoption.leader.manifest);
            printer.out(&crate::diff::unified(&shown, text, &new_text));
        }
        if args.dry_run {
            return Ok(Exit::Success);
        }
    }
    crate::apply::apply(
        &workspace.root,
        &[crate::apply::Change {
            path: key.clone(),
            abs: adoption.leader.manifest.clone(),
            old: text,
            new: new_text.clone(),
            stamp: adoption.file.stamp,
        }],
    )?;
    report(printer, &adoption, &place);
    Ok(Exit::Success)
}

/// The status lines after writing.
fn report(printer: &Printer, adoption: &Adoption, place: &Place) {
    let p = &adoption.proposals;
    let listed = table::listed_paths(place, p).len()
        + p.listed
            .iter()
            .filter(|p| matches!(p.entry, Entry::Pattern { .. }))
            .count()
        + p.imported
            .iter()
            .flat_map(|i| &i.proposals)
            .filter(|p| p.reason.is_none())
            .count();
    if let (Some(name), true) = (&adoption.leader.name, adoption.chosen) {
        printer.status(
            "Leader",
            &format!("`{name}` {}: no `[workspace.package].version`, and most manifests share its version", adoption.leader.version),
        );
    }
    if let Some(why) = &adoption.cargo_release {
        printer.status(
            "Beside",
            &format!(
                "cargo-release ({why}): the keys go in `[{}]`, which cargo-release does not read",
                adoption.table
            ),
        );
    }
    printer.status(
        "Wrote",
        &format!(
            "[{}] with {listed} manifest entr{} to `{}`",
            adoption.table,
            if listed == 1 { "y" } else { "ies" },
            adoption.key
        ),
    );
    for import in &p.imported {
        let taken = import
            .proposals
            .iter()
            .filter(|p| p.reason.is_none())
            .count();
        printer.status(
            "Imported",
            &format!("{taken} of {} files {} rewrites (`{}`), the others written commented out with the reason", import.proposals.len(), import.tool, import.config),
        );
    }
    let left_out = p.left_out.len() + p.uncertain.len();
    if left_out > 0 {
        printer.status(
            "Left out",
            &format!(
                "{left_out} file{} (not released with the product, or at a version of its own), written commented out with the reason",
                super::shared::plural(left_out)
            ),
        );
    }
    list_suggestions(printer, place, &adoption.suggestions);
    printer.status(
        "Next",
        "run `cargo release-policy check` to see what is out of lockstep",
    );
}
