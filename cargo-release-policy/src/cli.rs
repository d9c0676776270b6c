//! The command line: `cargo release-policy <command>`.

use std::path::PathBuf;

use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};

// Cargo runs `cargo-release-policy release-policy …` for `cargo release-policy …`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap_cargo::style::CLAP_STYLING)]
pub enum CargoCli {
    ReleasePolicy(Cli),
}

impl CargoCli {
    /// Parse the process's arguments, with clap's own help and errors coloured as `--color`
    /// (or `CARGO_TERM_COLOR`, as cargo reads it) says — clap decides how to colour before it
    /// has parsed `--color`, so the choice is read from the arguments first.
    pub fn parse_args() -> CargoCli {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let env = std::env::var("CARGO_TERM_COLOR").ok();
        let color = match color_choice(&args, env.as_deref()) {
            Some(ColorChoice::Always) => clap::ColorChoice::Always,
            Some(ColorChoice::Never) => clap::ColorChoice::Never,
            Some(ColorChoice::Auto) | None => clap::ColorChoice::Auto,
        };
        let matches = CargoCli::command().color(color).get_matches_from(args);
        CargoCli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// The colour choice the arguments (`--color X`, `--color=X`, the last one winning) or else
/// `CARGO_TERM_COLOR` ask for; `None` when neither names a valid one.
fn color_choice(args: &[std::ffi::OsString], env: Option<&str>) -> Option<ColorChoice> {
    let mut choice = None;
    let mut args = args.iter().map(|a| a.to_str().unwrap_or_default());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(value) = value {
            choice = ColorChoice::from_str(value, true).ok();
        }
    }
    choice.or_else(|| env.and_then(|v| ColorChoice::from_str(v, true).ok()))
}

/// Keep every manifest of a polyglot monorepo (Cargo, npm, Python, .NET) in version lockstep.
#[derive(Debug, Args)]
#[command(
    version,
    about,
    long_about = None,
    after_help = "The policy table and every key: docs/standard.md. Adopting the tool: docs/guide.md."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Path to Cargo.toml (default: the one cargo would find from the current directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Coloring
    #[arg(long, global = true, value_enum, env = "CARGO_TERM_COLOR", hide_env_values = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `show --help`: the legend of the table, then the examples.
const SHOW_HELP: &str =
    "Rows (STATUS FILE:LINE:COLUMN KEY VALUE) fit 80 columns: paths are shortened from
the left (…/x.csproj) and a long KEY VALUE goes on the next line; -v shows them whole, with
where each file comes from. `--format json` always has everything.

Status:
  ok             holds the expected version, spelled canonically
  non-canonical  the expected version in another spelling the ecosystem accepts
  drift          another version (check fails; sync rewrites it)
  missing        the file lacks a version the policy expects (check fails)
  inherits       `version.workspace = true`: the workspace's version
  derived        the version comes from elsewhere (maturin's Cargo.toml, a version file,
                 git tags, an MSBuild property): not edited here
  left-alone     a requirement on a sibling naming another version or a range: not rewritten
  conditional    an MSBuild property under a Condition: reported, not evaluated
  unsupported    a value the tool cannot edit (check fails; sync and bump refuse)
  count          a pattern entry matches too few or too many times (check fails)

Examples:
  cargo release-policy show                  every group, file and field
  cargo release-policy show -v               whole rows, where each file comes from
  cargo release-policy show --format json    the same as JSON (docs/json.md)";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every group, manifest and field with its current and expected version
    #[command(after_help = SHOW_HELP)]
    Show,
    /// Exit 1 when any manifest disagrees with the policy (for pre-commit and CI)
    #[command(after_help = "Examples:
  cargo release-policy check                 in a pre-commit hook or CI
  cargo release-policy check --tag v1.5.0    on a tag push: the tag and the manifests agree")]
    Check(CheckArgs),
    /// Rewrite drifted fields to the expected spelling
    #[command(after_help = "Examples:
  cargo release-policy sync --dry-run    the diff of what drifted
  cargo release-policy sync              rewrite it")]
    Sync(SyncArgs),
    /// Bump a group's version and rewrite every manifest, requirement and lockfile
    #[command(after_help = "Examples:
  cargo release-policy bump minor --pre beta --dry-run    1.4.2 -> 1.5.0-beta.1, as a diff
  cargo release-policy bump release --commit --tag        1.5.0-rc.2 -> 1.5.0, committed and tagged")]
    Bump(BumpArgs),
    /// Create (or print) the git tag of a group's current version
    #[command(after_help = "Examples:
  cargo release-policy tag --print    the tag name of the current version
  cargo release-policy tag --sign     create the signed tag")]
    Tag(TagArgs),
    /// Run the policy's release checklist (`checks`)
    #[command(after_help = "Examples:
  cargo release-policy checklist    run the policy's `checks` as a release would")]
    Checklist(ChecklistArgs),
    /// Write the policy table for an existing repository into the root Cargo.toml
    #[command(after_help = "Examples:
  cargo release-policy init --dry-run    the table init would write, as a diff
  cargo release-policy init              write it into the root Cargo.toml")]
    Init(InitArgs),
    /// Print the JSON Schema of the policy table
    #[command(after_help = "Examples:
  cargo release-policy schema > release-policy.schema.json")]
    Schema,
    /// Put back what a write interrupted by a crash changed (every command does this first)
    Recover(RecoverArgs),
    /// Print the shell completion script (see docs/guide.md, "Shell completions")
    #[command(after_help = "Examples:
  cargo release-policy completions bash > ~/.local/share/bash-completion/completions/cargo-release-policy
  cargo release-policy completions zsh > ~/.zfunc/_cargo-release-policy")]
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
pub struct RecoverArgs {
    /// Put back every other file, and leave the files edited since the interrupted write as
    /// they are
    #[arg(long, conflicts_with = "discard_edits")]
    pub keep_edited: bool,
    /// Put back every file, the ones edited since the interrupted write included (their
    /// edits are lost)
    #[arg(long)]
    pub discard_edits: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Treat non-canonical spellings, and manifests no policy lists, as errors
    #[arg(long)]
    pub strict: bool,
    /// Also require TAG (`v1.2.3` or `refs/tags/v1.2.3`) to be a group's tag for its current
    /// version: the CI gate on a tag push
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Check every file, without using or keeping the remembered answer of an earlier check
    /// that passed (see docs/performance.md)
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// Print the diff of every file that would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BumpArgs {
    /// major | minor | patch | alpha | beta | rc | dev | pre | release, or a version
    #[arg(value_name = "LEVEL|VERSION")]
    pub level: String,
    /// Make the new version a pre-release with this label (with major/minor/patch)
    #[arg(long, value_name = "LABEL")]
    pub pre: Option<String>,
    /// Bump the group of this crate; repeat it to bump several groups in one write
    /// (default: the package in the current directory, else the workspace group)
    #[arg(short, long, value_name = "CRATE")]
    pub package: Vec<String>,
    /// Bump every group, each by LEVEL from its own version, in one write
    #[arg(long)]
    pub workspace: bool,
    /// Print the diff of every file that would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Commit exactly the files the bump changed (message from `commit-message`)
    #[arg(long)]
    pub commit: bool,
    /// Tag the release commit (needs --commit; name from `tag-name`)
    #[arg(long, requires = "commit")]
    pub tag: bool,
    /// Sign the tag
    #[arg(long, requires = "tag")]
    pub sign: bool,
    /// Commit even when other tracked files have changes
    #[arg(long)]
    pub allow_dirty: bool,
    /// Do not run the policy's `checks` before committing and tagging
    #[arg(long)]
    pub no_checks: bool,
    /// Sign the release commit (also with `sign-commit = true`)
    #[arg(long, requires = "commit")]
    pub sign_commit: bool,
    /// Release only from branches matching these globs, instead of `allow-branch` (repeatable
    /// or comma-separated; `!` excludes)
    #[arg(long, value_name = "GLOB", value_delimiter = ',', requires = "commit")]
    pub allow_branch: Vec<String>,
    /// Push the commit and tags once every other step succeeded (also with `push = true`)
    #[arg(long, requires = "commit", conflicts_with = "no_push")]
    pub push: bool,
    /// Do not push, whatever `push` says
    #[arg(long, requires = "commit")]
    pub no_push: bool,
    /// When a check fails, keep the bumped files written (by default they are put back)
    #[arg(long, requires = "commit")]
    pub keep_on_failure: bool,
    /// Mark the new version as unreleased work with build metadata (`--build dev` gives
    /// `0.37.0-alpha.1+dev`; PEP 440 files `0.37.0a1+dev`); a bump without it drops it, and
    /// requirements on the group's packages never carry it
    #[arg(long, value_name = "META")]
    pub build: Option<String>,
    /// With `dev`: a nightly snapshot, the next patch's `dev` pre-release numbered by the
    /// commits since the group's last release tag (`1.4.3-dev.17`)
    #[arg(long)]
    pub snapshot: bool,
    /// With `--snapshot`: print the version (and, with `--format json`, every spelling);
    /// write nothing
    #[arg(long, requires = "snapshot")]
    pub print: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ChecklistArgs {
    /// Run the checks of the group of this crate (default: the package in the current
    /// directory, else the workspace group)
    #[arg(short, long, value_name = "CRATE")]
    pub package: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct TagArgs {
    /// Tag the group of this crate (default: the package in the current directory, else the
    /// workspace group)
    #[arg(short, long, value_name = "CRATE")]
    pub package: Option<String>,
    /// Print the tag name only, and create nothing
    #[arg(long, conflicts_with_all = ["sign", "dry_run"])]
    pub print: bool,
    /// Sign the tag (also with `sign-tag = true`)
    #[arg(long)]
    pub sign: bool,
    /// Say what would be tagged; create nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Tag even when tracked files other than the group's manifests have changes
    #[arg(long)]
    pub allow_dirty: bool,
    /// Do not run the policy's `checks` before tagging
    #[arg(long)]
    pub no_checks: bool,
    /// Tag only on branches matching these globs, instead of `allow-branch` (repeatable or
    /// comma-separated; `!` excludes)
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub allow_branch: Vec<String>,
    /// Push the tag once it is made (also with `push = true`)
    #[arg(long, conflicts_with_all = ["no_push", "print"])]
    pub push: bool,
    /// Do not push, whatever `push` says
    #[arg(long)]
    pub no_push: bool,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Print the table that would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_valid() {
        CargoCli::command().debug_assert();
    }

    #[track_caller]
    fn color(args: &[&str], env: Option<&str>, expected: Option<ColorChoice>) {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        assert_eq!(color_choice(&args, env), expected, "{args:?} with {env:?}");
    }

    #[test]
    fn color_choice_before_parsing() {
        use ColorChoice::{Always, Auto, Never};
        let cmd = ["cargo", "release-policy"];
        color(&cmd, None, None);
        color(&cmd, Some("always"), Some(Always));
        color(&cmd, Some("bogus"), None);
        color(
            &[&cmd[..], &["--color", "never"]].concat(),
            Some("always"),
            Some(Never),
        );
        color(
            &[&cmd[..], &["--color=always", "show"]].concat(),
            None,
            Some(Always),
        );
        color(
            &[&cmd[..], &["show", "--color", "auto"]].concat(),
            Some("never"),
            Some(Auto),
        );
        color(
            &[&cmd[..], &["--color=never", "--color=always"]].concat(),
            None,
            Some(Always),
        );
        // After `--`, nothing is an option.
        color(&[&cmd[..], &["--", "--color=never"]].concat(), None, None);
    }

    #[test]
    fn quiet_and_verbose_conflict() {
        let error =
            CargoCli::try_parse_from(["cargo", "release-policy", "-q", "-v", "show"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn parses_as_cargo_subcommand() {
        let CargoCli::ReleasePolicy(cli) = CargoCli::try_parse_from([
            "cargo",
            "release-policy",
            "bump",
            "minor",
            "--pre",
            "beta",
            "--dry-run",
        ])
        .unwrap();
        let Command::Bump(args) = cli.command else {
            panic!("not bump")
        };
        assert_eq!(args.level, "minor");
        assert_eq!(args.pre.as_deref(), Some("beta"));
        assert!(args.dry_run);
    }
}
