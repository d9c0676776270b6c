//! What several commands share: recovering an interrupted write and loading with progress,
//! the group a command acts on, the edits written or shown, the JSON document, and running a
//! group's checklist.

use crate::apply::{self, Change};
use crate::checklist;
use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::load::Repo;
use crate::plan::{self, Plan, Status, Target};
use crate::printer::Printer;
use crate::report::{self, BumpJson, Document, GroupJson};
use release_policy_version::Version;

/// Recover what an interrupted write left ([`recover`]), then load the repository: what every
/// command that reads the tree goes through.
pub(super) fn load(printer: &Printer, global: &GlobalArgs) -> Result<Repo, Error> {
    recover(printer, global, apply::Edited::Refuse)?;
    read(printer, global)
}

/// Where to look for an interrupted write's journal: the directory of `--manifest-path`, or
/// the current directory, and those above it.
pub(super) fn start_dir(global: &GlobalArgs) -> std::path::PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match global
        .manifest_path
        .as_deref()
        .and_then(std::path::Path::parent)
    {
        Some(dir) => cwd.join(dir),
        None => cwd,
    }
}

/// Before a command reads the tree: put back what a write interrupted by a crash changed (a
/// journal beside the root `Cargo.toml`), and remove a lock no running process holds; say
/// what was done. Looked for without reading a manifest (a crash may have left one
/// half-written): two `stat`s per directory from [`start_dir`] up.
pub(super) fn recover(
    printer: &Printer,
    global: &GlobalArgs,
    edited: apply::Edited,
) -> Result<Option<apply::Recovery>, Error> {
    let recovery = apply::recover(&start_dir(global), edited)?;
    if let Some(recovery) = &recovery {
        for (verb, message) in recovery.lines(printer.verbose() > 0) {
            printer.status(verb, &message);
        }
    }
    crate::timing::phase("recover");
    Ok(recovery)
}

/// Load the repository, with a spinner while it takes long, without looking for an
/// interrupted write: for `check`, which recovers before it looks up its remembered answer.
pub(super) fn read(printer: &Printer, global: &GlobalArgs) -> Result<Repo, Error> {
    let progress = printer.progress("reading manifests");
    let repo = Repo::load(global.manifest_path.as_deref());
    progress.finish();
    Ok(repo?)
}

/// The group `-p CRATE` names, or without `-p` the group cargo would choose (see
/// [`select_groups`]).
pub(super) fn select_group(
    repo: &Repo,
    global: &GlobalArgs,
    package: Option<&str>,
) -> Result<usize, Error> {
    let packages: Vec<String> = package.iter().map(ToString::to_string).collect();
    let mut groups = select_groups(repo, global, &packages, false)?;
    // proof: without `--workspace`, `select_groups` returns a group per name of `-p` (here
    // one), or one group, or an error: never an empty list.
    Ok(groups.remove(0))
}

/// The groups a command acts on, chosen as cargo chooses packages: every group with
/// `--workspace`; the groups of the crates `-p` names (each once, in the order named);
/// else the group of the package whose Cargo.toml is in or above the current directory (or
/// beside `--manifest-path`); else, in a virtual workspace, the workspace group; else the
/// only group. Never empty.
pub(super) fn select_groups(
    repo: &Repo,
    global: &GlobalArgs,
    packages: &[String],
    workspace: bool,
) -> Result<Vec<usize>, Error> {
    let names = || {
        repo.groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if workspace {
        if !packages.is_empty() {
            return Err(Error::Usage {
                message: "`--workspace` means every group: it goes without `-p`".to_string(),
                help: Some("drop `-p`, or `--workspace`".to_string()),
            });
        }
        return Ok((0..repo.groups.len()).collect());
    }
    let group_of = |name: &str| {
        repo.groups.iter().position(|g| {
            g.crate_name.as_deref() == Some(name) || g.crates.iter().any(|c| c == name)
        })
    };
    if !packages.is_empty() {
        let mut out = Vec::new();
        for name in packages {
            let index = group_of(name).ok_or_else(|| Error::Usage {
                message: format!("no group is led by or contains the crate `{name}`"),
                help: Some(format!("groups: {}", names())),
            })?;
            if !out.contains(&index) {
                out.push(index);
            }
        }
        return Ok(out);
    }
    let here = package_here(repo, global.manifest_path.as_deref());
    if let Some(index) = here.and_then(|name| group_of(&name)) {
        return Ok(vec![index]);
    }
    repo.groups
        .iter()
        .position(crate::group::Group::is_workspace)
        .or_else(|| (repo.groups.len() == 1).then_some(0))
        .map(|index| vec![index])
        .ok_or_else(|| Error::Usage {
            message: "there is no workspace group, and no package here: say which group to use"
                .to_string(),
            help: Some(format!(
                "use `-p CRATE` (repeatable) with one of: {}, or `--workspace` for every group",
                names()
            )),
        })
}

/// The package whose Cargo.toml is in, or nearest above, the directory the command was run
/// from (cargo's choice without `-p`), or named by `--manifest-path`. `None` in the root of
/// a virtual workspace, or outside every package.
fn package_here(repo: &Repo, manifest_path: Option<&std::path::Path>) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let start = match manifest_path {
        Some(manifest) => cwd.join(manifest).parent()?.to_path_buf(),
        None => cwd,
    };
    // Both sides real paths: the start may be reached through a link (macOS's temporary
    // directory `/var` is `/private/var`), or written with `..`.
    let start = start.canonicalize().ok()?;
    // The deepest package directory that holds `start`.
    repo.files
        .values()
        .filter(|f| f.kind == release_policy_editor::FileKind::CargoToml)
        .filter_map(|f| {
            let dir = f.abs.parent()?.canonicalize().ok()?;
            Some((dir, f.reading.name.as_ref()?))
        })
        .filter(|(dir, _)| start.starts_with(dir))
        .max_by_key(|(dir, _)| dir.components().count())
        .map(|(_, name)| name.clone())
}

/// Each group's current target, the groups whose version one of their ecosystems cannot
/// spell left out (`skip`), each reported as that group's error (in JSON, on stderr too:
/// the document has no place for it) so that one group never hides the others. `keep`: the
/// groups planned anyway (those a bump moves: their new versions are checked on their own);
/// with any, the others are left out silently (a bump does not report on them).
/// Returns the targets and whether a group was left out.
// proof: every index is enumerated from `repo.groups` (here or by `plan::unspellable`), and
// `targets` has one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
pub(super) fn targets(printer: &Printer, repo: &Repo, keep: &[usize]) -> (Vec<Target>, bool) {
    let mut targets = plan::current(repo);
    let mut left_out = false;
    for (index, group) in repo.groups.iter().enumerate() {
        let Some(unreadable) = &group.unreadable else {
            continue;
        };
        targets[index].skip = true;
        left_out = true;
        if keep.is_empty() {
            printer.error(
                &format!("group `{}` is left out: {}", group.name, unreadable.message),
                unreadable.help.as_deref(),
            );
        }
    }
    for (index, error) in plan::unspellable(repo) {
        if repo.groups[index].unreadable.is_some() {
            continue;
        }
        if keep.contains(&index) {
            continue;
        }
        let group = &repo.groups[index];
        targets[index].skip = true;
        left_out = true;
        if keep.is_empty() {
            printer.error(
                &format!(
                    "group `{}` (leader `{}`) is left out: {error}",
                    group.name, group.leader
                ),
                Some(&error.help().unwrap_or_else(|| {
                    "change the version in the leader, or list that ecosystem's files in another group".to_string()
                })),
            );
        }
    }
    (targets, left_out)
}

/// Two groups (among `groups`, each with its target) whose release would make the same tag:
/// the second tag could not be created, or would name the other group's release. Reported
/// as an error naming both groups (with the tag); `None` when every tag is its own.
// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`); `other` is another group's index from the same
// enumeration.
#[allow(clippy::indexing_slicing)]
pub(super) fn duplicate_tag(
    repo: &Repo,
    targets: &[Target],
    groups: &[usize],
) -> Option<(String, String)> {
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for &index in groups {
        let group = &repo.groups[index];
        if !group.policy.tag() || targets[index].skip {
            continue;
        }
        let target = &targets[index];
        let Ok(name) = crate::template::Context::new(group, &target.new, &target.old).tag_name()
        else {
            continue; // a template error is reported where the tag is made
        };
        if let Some(&other) = seen.get(&name) {
            return Some((
                format!(
                    "groups `{}` and `{}` would both make the tag `{name}`",
                    repo.groups[other].name, group.name
                ),
                "give one of them its own `tag-name` or `tag-prefix` (e.g. `tag-prefix = \"{{crate_name}}-\"`)".to_string(),
            ));
        }
        seen.insert(name, index);
    }
    None
}

/// Report [`duplicate_tag`] over every group; whether there was one.
pub(super) fn report_duplicate_tag(printer: &Printer, repo: &Repo, targets: &[Target]) -> bool {
    let all: Vec<usize> = (0..repo.groups.len()).collect();
    match duplicate_tag(repo, targets, &all) {
        Some((message, help)) => {
            printer.error(&message, Some(&help));
            true
        }
        None => false,
    }
}

/// Before a release step (`bump`, `tag`) of `groups`: a warning per policy table that sets
/// cargo-release keys this tool does not act on (publishing, hooks, replacements), naming
/// each key's line and column — so that no one expects them to have been honoured.
pub(super) fn warn_ignored_keys(printer: &Printer, repo: &Repo, groups: &[usize]) {
    for group in groups.iter().filter_map(|&i| repo.groups.get(i)) {
        let keys = group.policy.cargo_release.ignored_set();
        if keys.is_empty() {
            continue;
        }
        let text = repo
            .files
            .get(&group.policy_file)
            .map_or("", |f| f.text.as_str());
        let shown: Vec<String> = keys
            .iter()
            .map(|key| match group.policy.origins.get(*key) {
                Some(origin) => {
                    let at = release_policy_editor::text::Position::of(text, origin.key.start);
                    format!("`{key}` ({}:{}:{})", group.policy_file, at.line, at.column)
                }
                None => format!("`{key}`"),
            })
            .collect();
        printer.warning(
            &format!(
                "group `{}`: cargo-release key{} ignored by this tool: {}",
                group.name,
                plural(keys.len()),
                shown.join(", ")
            ),
            Some("this tool takes no publishing, hook or replacement step: run `cargo release` (or CI) for them, or remove them; a file a replacement keeps in step can be listed in `manifests` as a `{ path, search }` entry (docs/standard.md, \"Coexistence with cargo-release\")"),
        );
    }
}

/// The error of a group whose leader cannot be read, for a command that must act on it.
pub(super) fn refuse_unreadable(group: &crate::group::Group) -> Result<(), Error> {
    match &group.unreadable {
        Some(u) => Err(Error::Usage {
            message: u.message.clone(),
            help: u.help.clone(),
        }),
        None => Ok(()),
    }
}

/// What a command reports in JSON besides the findings.
pub(super) struct Outcome {
    pub command: &'static str,
    pub ok: bool,
    pub changed: Option<Vec<String>>,
    /// Each group a bump moved.
    pub bump: Option<Vec<BumpJson>>,
    pub unlisted: Option<Vec<String>>,
    /// `check --tag`: the tag and why it does not match.
    pub tag_check: Option<report::TagCheckJson>,
}

/// Print the JSON document when `--format json`; returns whether it did.
pub(super) fn json(
    printer: &Printer,
    repo: &Repo,
    plan: &Plan,
    targets: &[Target],
    outcome: Outcome,
) -> bool {
    if !printer.json_format() {
        return false;
    }
    let Outcome {
        command,
        ok,
        changed,
        bump,
        unlisted,
        tag_check,
    } = outcome;
    let document = Document {
        format_version: report::JSON_FORMAT_VERSION,
        command,
        ok,
        groups: repo
            .groups
            .iter()
            .zip(targets)
            .map(|(g, t)| GroupJson::of(g, &t.new))
            .collect(),
        findings: plan.findings.iter().collect(),
        changed,
        bump: bump.as_ref().and_then(|b| b.first()),
        bumps: bump.as_deref().filter(|b| b.len() > 1),
        unlisted,
        tag_check,
        errors: printer.take_errors(),
    };
    printer.json(&document);
    true
}

/// Show (`dry_run`) or write the plan's edits; returns the paths of the files that change.
// proof: `plan::render` returns texts only for keys of `repo.files` (the files the plan edits).
#[allow(clippy::indexing_slicing)]
pub(super) fn write(
    printer: &Printer,
    repo: &Repo,
    plan: &Plan,
    dry_run: bool,
) -> Result<Vec<String>, Error> {
    crate::timing::phase("plan");
    let texts = plan::render(repo, plan)?;
    crate::timing::phase("render");
    let changes: Vec<Change> = texts
        .into_iter()
        .map(|(key, new)| {
            let file = &repo.files[&key];
            Change {
                path: key,
                abs: file.abs.clone(),
                old: &file.text,
                new,
                stamp: file.stamp,
            }
        })
        .collect();
    let paths: Vec<String> = changes.iter().map(|c| c.path.clone()).collect();
    if dry_run {
        show_diffs(printer, &repo.workspace.repo_root, &changes);
    } else {
        refuse_incomplete(plan)?;
        apply::apply(&repo.workspace.root, &changes)?;
        crate::timing::phase("write");
    }
    Ok(paths)
}

/// A dry run's diffs on stdout; past a screenful of files, only with `-v` (a note says so):
/// the count is in the status line.
fn show_diffs(printer: &Printer, repo_root: &std::path::Path, changes: &[Change]) {
    if printer.json_format() {
        return;
    }
    if changes.len() > SCREENFUL && printer.verbose() == 0 {
        printer.info(&crate::diagnostic::plain_note(
            &format!(
                "the diffs of {} files are not shown",
                thousands(changes.len())
            ),
            Some("pass `-v` to print every diff (as `git apply` takes them)"),
        ));
        return;
    }
    for change in changes {
        // Named from the repository's root (not the workspace's, which may be a
        // subdirectory: `../bindings/…`), so that `git apply` there takes the diff.
        let shown = crate::load::workspace::relative_to(repo_root, &change.abs);
        printer.out(&crate::diff::unified(&shown, change.old, &change.new));
    }
}

/// Put back what [`write`] wrote for `plan` (a release whose check failed): the same
/// all-or-nothing write, from each file's new text back to the text it was read with — a
/// file changed since (by a check) stops it before anything is put back, naming the file.
/// Returns how many files were put back.
pub(super) fn take_back(repo: &Repo, plan: &Plan) -> Result<usize, Error> {
    let texts = plan::render(repo, plan)?;
    let changes: Vec<Change> = texts
        .iter()
        .filter_map(|(key, new)| {
            let file = repo.files.get(key)?;
            Some(Change {
                path: key.clone(),
                abs: file.abs.clone(),
                old: new,
                new: file.text.clone(),
                stamp: crate::load::source::Stamp {
                    len: new.len() as u64,
                    id: None,
                },
            })
        })
        .filter(|c| c.old != c.new)
        .collect();
    apply::apply(&repo.workspace.root, &changes)?;
    Ok(changes.len())
}

/// A field the policy expects but a file lacks (and the tool does not add) would leave the
/// repository out of lockstep after the write: refuse before writing anything.
fn refuse_incomplete(plan: &Plan) -> Result<(), Error> {
    // A value the tool cannot edit would keep its old version through the write.
    if let Some(finding) = plan
        .findings
        .iter()
        .find(|f| f.status == Status::Unsupported)
    {
        return Err(Error::Incomplete {
            message: format!(
                "`{}:{}:{}`: `{}` cannot be edited ({})",
                finding.path,
                finding.line,
                finding.column,
                finding.key,
                finding.detail.as_deref().unwrap_or("unsupported value")
            ),
            help: Some(crate::report::UNSUPPORTED_HELP.to_string()),
        });
    }
    // A missing field the tool adds (MSBuild's `<VersionSuffix>`) has an edit at its span.
    let Some(finding) = plan
        .findings
        .iter()
        .find(|f| f.status == Status::Missing && !crate::report::adds_field(plan, f))
    else {
        return Ok(());
    };
    Err(Error::Incomplete {
        message: format!(
            "`{}:{}:{}`: {}",
            finding.path,
            finding.line,
            finding.column,
            finding.detail.as_deref().unwrap_or("missing version")
        ),
        help: Some(format!(
            "{}, then run again",
            crate::report::missing_help(&finding.path)
        )),
    })
}

/// How many lines a list may take before it is counted instead (`Would update 30,001 files
/// in 4 groups`), and the diffs of a dry run are left to `-v`: about a screenful.
pub(super) const SCREENFUL: usize = 20;

/// `Updated 2 files: a, b`: the status line of the files a write changed. Past a screenful,
/// the files are counted by group, and listed (one a line) only with `-v`.
pub(super) fn updated(printer: &Printer, plan: &Plan, dry_run: bool, changed: &[String]) {
    let verb = if dry_run { "Would update" } else { "Updated" };
    let n = changed.len();
    if n <= SCREENFUL {
        printer.status(
            verb,
            &format!("{} file{}: {}", n, plural(n), changed.join(", ")),
        );
        return;
    }
    let groups = groups_of(plan, changed);
    let mut message = format!(
        "{} files in {} group{}",
        thousands(n),
        thousands(groups),
        plural(groups)
    );
    if printer.verbose() > 0 {
        message.push(':');
        for path in changed {
            message.push_str("\n             ");
            message.push_str(path);
        }
    } else {
        message.push_str(" (every path with `-v`)");
    }
    printer.status(verb, &message);
}

/// How many groups the fields of `paths` follow.
fn groups_of(plan: &Plan, paths: &[String]) -> usize {
    let paths: std::collections::BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    let groups: std::collections::BTreeSet<&str> = plan
        .findings
        .iter()
        .filter(|f| paths.contains(f.path.as_str()))
        .map(|f| f.group.as_str())
        .collect();
    groups.len()
}

/// `30,001`: a count as people read it.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Run group `index`'s checklist for `version` (released after `prev`); `Err` names the
/// check that failed, whose last lines of output are printed with the path of its full log.
// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`); a group's `policy_file` is the key of the read file its
// policy came from, which `repo.files` keeps.
#[allow(clippy::indexing_slicing)]
pub(super) fn run_checks(
    printer: &Printer,
    repo: &Repo,
    index: usize,
    version: &Version,
    prev: &Version,
) -> Result<(), String> {
    let outcomes = checklist_outcomes(printer, repo, index, version, prev)?;
    match outcomes.iter().find(|o| !o.success) {
        None => Ok(()),
        Some(failed) => {
            printer.err(&failed_output(failed));
            Err(format!("check `{}` failed", failed.name))
        }
    }
}

/// `--- output of … ---` and the last lines of a failed check.
pub(super) fn failed_output(failed: &checklist::Outcome) -> String {
    let shown = failed.tail.len();
    let which = if shown < failed.lines {
        format!("last {shown} of {} lines", failed.lines)
    } else {
        "output".to_string()
    };
    let mut out = format!("--- {which} of `{}` ---\n", failed.command);
    for line in &failed.tail {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("---\n");
    if let Some(log) = &failed.log {
        out.push_str(&checklist::log_line(log));
    }
    out
}

/// Run group `index`'s checklist, stopping at the first failure: the outcome of every check
/// that ran (`Err`: a check could not be started).
// proof: `index` is a group index (a position in `repo.groups`), and a group's
// `policy_file` is the key of a file the loader read into `repo.files`.
#[allow(clippy::indexing_slicing)]
pub(super) fn checklist_outcomes(
    printer: &Printer,
    repo: &Repo,
    index: usize,
    version: &Version,
    prev: &Version,
) -> Result<Vec<checklist::Outcome>, String> {
    let group = &repo.groups[index];
    if group.policy.checks.is_empty() {
        return Ok(Vec::new());
    }
    let base = repo.files[&group.policy_file]
        .abs
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let logs = checklist::log_dir(&repo.workspace.root);
    let place = checklist::Place {
        base: &base,
        logs: &logs,
        group: &group.name,
    };
    let env = checklist::environment(group, version, prev);
    checklist::run(&group.policy.checks, place, &env, printer).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[track_caller]
    fn case(n: usize, expected: &str) {
        assert_eq!(super::thousands(n), expected);
    }

    #[test]
    fn thousands() {
        case(0, "0");
        case(999, "999");
        case(1000, "1,000");
        case(30_001, "30,001");
        case(1_234_567, "1,234,567");
    }
}
