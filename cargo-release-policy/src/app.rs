//! The commands: load → plan → report or apply. `main` maps the result to an exit code.

use std::io::{IsTerminal as _, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

use annotate_snippets::Level;

use crate::apply::{self, ApplyError, Change};
use crate::cli::{BumpArgs, CheckArgs, Cli, ColorChoice, Command, Format, GlobalArgs, SyncArgs};
use crate::diff;
use crate::load::{LoadError, Repo};
use crate::plan::{self, Plan, PlanError, Status, Target};
use crate::report::{self, BumpJson, Document, GroupJson, GOOD};
use crate::version::{self, Version, VersionError};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, or in lockstep.
    Success,
    /// 1: `check` found drift, or an operation was refused.
    Failure,
}

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("refusing to bump: {0}")]
    RefusedBump(VersionError),
    #[error("{message}")]
    Refused {
        message: String,
        help: Option<String>,
    },
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error("{message}")]
    Usage {
        message: String,
        help: Option<String>,
    },
    /// A write would leave a field the policy expects unwritten: nothing is written.
    #[error("refusing to write: {message}; nothing was written")]
    Incomplete {
        message: String,
        help: Option<String>,
    },
}

impl AppError {
    /// 1 for a refused operation, 2 for usage and configuration errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::RefusedBump(_)
            | AppError::Refused { .. }
            | AppError::Apply(_)
            | AppError::Git(crate::git::GitError::Command { .. })
            | AppError::Incomplete { .. }
            | AppError::Plan(PlanError::Version { .. } | PlanError::Pattern { .. }) => 1,
            AppError::Load(_)
            | AppError::Plan(_)
            | AppError::Usage { .. }
            | AppError::Git(crate::git::GitError::NotARepository { .. }) => 2,
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            AppError::Load(e) => e.help(),
            AppError::RefusedBump(e) | AppError::Plan(PlanError::Version { error: e, .. }) => {
                e.help()
            }
            AppError::Usage { help, .. }
            | AppError::Refused { help, .. }
            | AppError::Incomplete { help, .. } => help.clone(),
            AppError::Plan(PlanError::Pattern { .. }) => Some(
                "fix the file or the pattern entry (`exactly`, `min`, `max`); nothing was written"
                    .to_string(),
            ),
            AppError::Git(crate::git::GitError::NotARepository { .. }) => Some(
                "run it inside a git repository (`git init`), or drop `--commit`/`--tag`"
                    .to_string(),
            ),
            AppError::Apply(e) => e.help(),
            AppError::Plan(_) | AppError::Git(_) => None,
        }
    }

    /// The error as cargo prints it: with the source line when there is one.
    pub fn render(&self) -> String {
        let help = self.help();
        let located = match self {
            AppError::Load(LoadError::Source(crate::load::source::SourceError::Parse {
                path,
                error,
                text,
                ..
            })) => error.offset.map(|offset| {
                (
                    format!("failed to parse `{path}`"),
                    path,
                    crate::load::Located::new(text, offset, 1),
                    error.message.clone(),
                )
            }),
            AppError::Load(LoadError::Policy {
                path,
                at: Some(at),
                error,
            }) => Some((
                "invalid release policy".to_string(),
                path,
                at.clone(),
                error.to_string(),
            )),
            AppError::Load(LoadError::Discover {
                path,
                at: Some(at),
                error,
            }) => Some((
                "invalid release policy".to_string(),
                path,
                at.clone(),
                error.to_string(),
            )),
            AppError::Load(LoadError::Config {
                path,
                at: Some(at),
                message,
                ..
            }) => Some((message.clone(), path, at.clone(), String::new())),
            _ => None,
        };
        if let Some((title, path, at, label)) = located {
            let diagnostic = report::Diagnostic {
                title: &title,
                path,
                text: &at.text,
                offset: at.offset,
                len: at.len,
                label: &label,
                help: help.as_deref(),
            };
            return diagnostic.render(Level::ERROR);
        }
        report::error(&self.to_string(), help.as_deref())
    }
}

/// Set by the binary: the process exits right after the command.
static EXITING: AtomicBool = AtomicBool::new(false);

/// Tell [`run`] that the process exits when it returns: what a command read is then left
/// to the operating system instead of being freed one allocation at a time (6 ms of the
/// benchmark's 2,000 manifests, 45 ms of 10,000).
pub fn exit_after_run() {
    EXITING.store(true, Ordering::Relaxed);
}

/// The end of a command's data: freed, or left to the exiting process.
fn finish<T>(value: T) {
    if EXITING.load(Ordering::Relaxed) {
        std::mem::forget(value);
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Exit, AppError> {
    let global = cli.global;
    anstream::ColorChoice::write_global(match global.color {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    });
    match cli.command {
        Command::Schema => {
            out(&policy_schema::json_schema());
            Ok(Exit::Success)
        }
        Command::Show => show(&global),
        Command::Check(args) => check(&global, &args),
        Command::Sync(args) => sync(&global, &args),
        Command::Bump(args) => bump(&global, &args),
        Command::Init(args) => crate::init::run(&global, &args),
        Command::Tag(args) => crate::release::tag(&global, &args),
        Command::Checklist(args) => crate::release::checklist(&global, &args),
    }
}

fn out(text: &str) {
    let mut stdout = anstream::stdout();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

pub fn err(text: &str) {
    let mut stderr = anstream::stderr();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// A `Compiling`-style status line on stderr.
pub(crate) fn status(global: &GlobalArgs, verb: &str, message: &str) {
    if !global.quiet {
        err(&status_line(verb, message));
    }
}

fn status_line(verb: &str, message: &str) -> String {
    format!("{GOOD}{verb:>12}{GOOD:#} {message}\n")
}

pub(crate) fn load(global: &GlobalArgs) -> Result<Repo, AppError> {
    let progress = Progress::start(global);
    let repo = Repo::load(global.manifest_path.as_deref());
    progress.finish();
    Ok(repo?)
}

/// Each group's current version as its target.
pub(crate) fn current(repo: &Repo) -> Vec<Target> {
    repo.groups
        .iter()
        .map(|g| Target {
            old: g.version.clone(),
            new: g.version.clone(),
        })
        .collect()
}

/// What a command reports in JSON besides the findings.
struct Outcome {
    command: &'static str,
    ok: bool,
    changed: Option<Vec<String>>,
    bump: Option<BumpJson>,
}

/// Print the JSON document when `--format json`; returns whether it did.
fn json(
    global: &GlobalArgs,
    repo: &Repo,
    plan: &Plan,
    targets: &[Target],
    outcome: Outcome,
) -> bool {
    if global.format != Format::Json {
        return false;
    }
    let Outcome {
        command,
        ok,
        changed,
        bump,
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
        bump,
    };
    let text = serde_json::to_string_pretty(&document).unwrap_or_default();
    out(&format!("{text}\n"));
    true
}

fn show(global: &GlobalArgs) -> Result<Exit, AppError> {
    let repo = load(global)?;
    let targets = current(&repo);
    let plan = plan::plan(&repo, &targets)?;
    if !json(
        global,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "show",
            ok: true,
            changed: None,
            bump: None,
        },
    ) {
        out(&report::show_human(&repo, &plan, global.verbose > 0));
    }
    finish((repo, plan));
    Ok(Exit::Success)
}

/// The cache key of a `check` run, when its answer may be remembered ([`crate::cache`]).
fn check_cache_key(global: &GlobalArgs, args: &CheckArgs) -> Option<crate::cache::Key> {
    if args.no_cache || args.tag.is_some() || global.format != Format::Human {
        return None;
    }
    crate::cache::Key::new(&[
        "check".to_string(),
        format!("manifest-path {:?}", global.manifest_path),
        format!("strict {}", args.strict),
        format!("verbose {}", global.verbose),
    ])
}

fn check(global: &GlobalArgs, args: &CheckArgs) -> Result<Exit, AppError> {
    let started = std::time::SystemTime::now();
    let cache = check_cache_key(global, args);
    if let Some(output) = cache.as_ref().and_then(crate::cache::Key::lookup) {
        crate::timing::phase("cached");
        if !global.quiet {
            err(&output);
        }
        return Ok(Exit::Success);
    }
    let repo = load(global)?;
    crate::timing::phase("load");
    let targets = current(&repo);
    let keep = if global.format == Format::Json {
        plan::Keep::All
    } else {
        plan::Keep::Shown
    };
    let plan = plan::plan_keeping(&repo, &targets, keep)?;
    crate::timing::phase("plan");
    let failed = plan
        .findings
        .iter()
        .filter(|f| f.status.fails(args.strict))
        .count();
    let tag_mismatch = args
        .tag
        .as_deref()
        .and_then(|tag| crate::release::check_tag(&repo, &targets, tag));
    let failed = failed + usize::from(tag_mismatch.is_some());
    if let Some(mismatch) = &tag_mismatch {
        err(&report::error(
            mismatch,
            Some("tag the commit whose manifests hold that version, or bump first"),
        ));
    }
    if !json(
        global,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "check",
            ok: failed == 0,
            changed: None,
            bump: None,
        },
    ) {
        let mut text = report::check_human(&repo, &plan, args.strict);
        if !global.quiet || failed > 0 {
            err(&text);
        }
        if failed > usize::from(tag_mismatch.is_some()) {
            let failed = failed - usize::from(tag_mismatch.is_some());
            err(&report::error(
                &format!(
                    "{failed} field{} out of lockstep",
                    if failed == 1 { "" } else { "s" }
                ),
                None,
            ));
            err("\n");
        } else if failed == 0 {
            let files = repo.files.len();
            let summary = repo
                .groups
                .iter()
                .map(|g| format!("{} {}", g.name, g.version))
                .collect::<Vec<_>>()
                .join(", ");
            let line = status_line("Checked", &format!("{files} files in lockstep ({summary})"));
            if !global.quiet {
                err(&line);
            }
            // What the answer depends on is gathered only when it is remembered.
            if let Some(cache) = &cache {
                if let Some(dependencies) = repo.dependencies() {
                    text.push_str(&line);
                    cache.store(&dependencies, &repo.workspace.repo_root, &text, started);
                }
            }
        }
    }
    finish((repo, plan));
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// Show or write the plan's edits.
fn write(
    global: &GlobalArgs,
    repo: &Repo,
    plan: &Plan,
    dry_run: bool,
) -> Result<Vec<String>, AppError> {
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
        if global.format != Format::Json {
            for change in &changes {
                out(&diff::unified(&change.path, change.old, &change.new));
            }
        }
    } else {
        refuse_incomplete(plan)?;
        apply::apply(&repo.workspace.root, &changes)?;
        crate::timing::phase("write");
    }
    Ok(paths)
}

/// A field the policy expects but a file lacks (and the tool does not add) would leave the
/// repository out of lockstep after the write: refuse before writing anything.
fn refuse_incomplete(plan: &Plan) -> Result<(), AppError> {
    // A missing field the tool adds (MSBuild's `<VersionSuffix>`) has an edit at its span.
    let added = |f: &plan::Finding| {
        plan.edits.get(&f.path).is_some_and(|edits| {
            edits
                .iter()
                .any(|(e, _)| e.key == f.key && e.span == f.span)
        })
    };
    let Some(finding) = plan
        .findings
        .iter()
        .find(|f| f.status == Status::Missing && !added(f))
    else {
        return Ok(());
    };
    Err(AppError::Incomplete {
        message: format!(
            "`{}`: {}",
            finding.path,
            finding.detail.as_deref().unwrap_or("missing version")
        ),
        help: Some(
            "add the field by hand (the tool only rewrites values), then run again".to_string(),
        ),
    })
}

fn sync(global: &GlobalArgs, args: &SyncArgs) -> Result<Exit, AppError> {
    let repo = load(global)?;
    let targets = current(&repo);
    let plan = plan::plan(&repo, &targets)?;
    let changed = write(global, &repo, &plan, args.dry_run)?;
    let missing: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| f.status == Status::Missing && !plan.edits.contains_key(&f.path))
        .collect();
    if !json(
        global,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "sync",
            ok: missing.is_empty(),
            changed: Some(changed.clone()),
            bump: None,
        },
    ) {
        let verb = if args.dry_run {
            "Would update"
        } else {
            "Updated"
        };
        if changed.is_empty() {
            status(
                global,
                "Synced",
                "nothing to do: every manifest is in lockstep",
            );
        } else {
            status(
                global,
                verb,
                &format!(
                    "{} file{}: {}",
                    changed.len(),
                    plural(changed.len()),
                    changed.join(", ")
                ),
            );
        }
        for finding in &missing {
            err(&report::error(
                &format!(
                    "`{}`: {}",
                    finding.path,
                    finding.detail.as_deref().unwrap_or("missing version")
                ),
                Some("add the field by hand; sync only rewrites values"),
            ));
        }
    }
    let in_lockstep = missing.is_empty();
    drop(missing);
    finish((repo, plan));
    Ok(if in_lockstep {
        Exit::Success
    } else {
        Exit::Failure
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The group `-p CRATE` names, or the workspace group, or the only group.
pub(crate) fn select_group(repo: &Repo, package: Option<&str>) -> Result<usize, AppError> {
    let names = || {
        repo.groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match package {
        Some(name) => repo
            .groups
            .iter()
            .position(|g| {
                g.crate_name.as_deref() == Some(name) || g.crates.iter().any(|c| c == name)
            })
            .ok_or_else(|| AppError::Usage {
                message: format!("no group is led by or contains the crate `{name}`"),
                help: Some(format!("groups: {}", names())),
            }),
        None => repo
            .groups
            .iter()
            .position(crate::group::Group::is_workspace)
            .or_else(|| (repo.groups.len() == 1).then_some(0))
            .ok_or_else(|| AppError::Usage {
                message: "there is no workspace group; say which group to use".to_string(),
                help: Some(format!("use `-p CRATE` with one of: {}", names())),
            }),
    }
}

/// The version `bump` moves group `index` to; `None` when `--snapshot --print` printed it.
fn next_version(
    global: &GlobalArgs,
    repo: &Repo,
    index: usize,
    args: &BumpArgs,
) -> Result<Option<Version>, AppError> {
    let group = &repo.groups[index];
    if args.snapshot {
        if args.level != "dev" || args.pre.is_some() {
            return Err(AppError::Usage {
                message: "`--snapshot` makes a `dev` pre-release: use `bump dev --snapshot`"
                    .to_string(),
                help: None,
            });
        }
        let snapshot = crate::release::snapshot(repo, index)?;
        let ecosystems = plan::ecosystems(repo, index);
        version::check_forward(
            &group.version,
            &snapshot.version,
            &ecosystems,
            &group.spelling,
        )
        .map_err(AppError::RefusedBump)?;
        if args.print {
            print_snapshot(global, group, &snapshot);
            return Ok(None);
        }
        return Ok(Some(snapshot.version));
    }
    let level: version::Level = match args.level.parse() {
        Ok(level) => level,
        Err(never) => match never {},
    };
    version::bump(
        &group.version,
        &level,
        args.pre.as_deref(),
        &group.spelling.labels,
    )
    .map(Some)
    .map_err(|e| match e {
        VersionError::Bump { .. } => AppError::Usage {
            help: e.help(),
            message: e.to_string(),
        },
        other => AppError::RefusedBump(other),
    })
}

/// `bump dev --snapshot --print`: the version, or every spelling of it in JSON.
fn print_snapshot(
    global: &GlobalArgs,
    group: &crate::group::Group,
    snapshot: &crate::release::Snapshot,
) {
    let v = &snapshot.version;
    if global.format == Format::Json {
        let spell = |eco| group.spelling.render(v, eco).ok();
        let doc = serde_json::json!({
            "format_version": report::JSON_FORMAT_VERSION,
            "command": "snapshot",
            "group": group.name,
            "version": v.to_string(),
            "cargo": spell(version::Ecosystem::Cargo),
            "npm": spell(version::Ecosystem::Npm),
            "pep440": spell(version::Ecosystem::Pep440),
            "nuget": spell(version::Ecosystem::NuGet),
            "assembly": spell(version::Ecosystem::Assembly),
            "base_tag": snapshot.tag,
            "height": snapshot.height,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        ));
    } else {
        out(&format!("{v}\n"));
    }
}

fn bump(global: &GlobalArgs, args: &BumpArgs) -> Result<Exit, AppError> {
    let repo = load(global)?;
    let index = select_group(&repo, args.package.as_deref())?;
    let group = &repo.groups[index];
    let Some(new) = next_version(global, &repo, index, args)? else {
        return Ok(Exit::Success);
    };
    let ecosystems = plan::ecosystems(&repo, index);
    version::check_forward(&group.version, &new, &ecosystems, &group.spelling)
        .map_err(AppError::RefusedBump)?;
    let mut targets = current(&repo);
    targets[index].new = new.clone();
    let steps = if args.dry_run {
        None
    } else {
        crate::release::prepare(&repo, index, &new, args)?
    };
    let plan = plan::plan(&repo, &targets)?;
    let changed = write(global, &repo, &plan, args.dry_run)?;
    let pep440 = group.spelling.pep440(&new).ok();
    let bump_json = BumpJson {
        group: group.name.clone(),
        from: group.version.to_string(),
        to: new.to_string(),
        pep440: pep440.clone(),
        dry_run: args.dry_run,
    };
    if !json(
        global,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "bump",
            ok: true,
            changed: Some(changed.clone()),
            bump: Some(bump_json),
        },
    ) {
        let spelled = match &pep440 {
            Some(p) if p != &new.to_string() => format!(" (PEP 440 {p})"),
            _ => String::new(),
        };
        let verb = if args.dry_run { "Would bump" } else { "Bumped" };
        status(
            global,
            verb,
            &format!("{} {} → {new}{spelled}", group.name, group.version),
        );
        let verb = if args.dry_run {
            "Would update"
        } else {
            "Updated"
        };
        status(
            global,
            verb,
            &format!(
                "{} file{}: {}",
                changed.len(),
                plural(changed.len()),
                changed.join(", ")
            ),
        );
    }
    if let Some(steps) = &steps {
        crate::release::finish(global, &repo, steps, &changed)?;
    }
    finish((repo, plan));
    Ok(Exit::Success)
}

/// An indicatif spinner on stderr while loading: on a terminal only, and only once the work
/// has taken long enough to be worth showing (a quick `check` in a hook prints nothing).
struct Progress(Option<indicatif::ProgressBar>);

/// How long loading runs before the spinner appears.
const PROGRESS_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

impl Progress {
    fn start(global: &GlobalArgs) -> Progress {
        if global.quiet || global.format == Format::Json || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        bar.set_message("reading manifests");
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(PROGRESS_DELAY);
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(std::time::Duration::from_millis(100));
            }
        });
        Progress(Some(bar))
    }

    fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}
