//! The command line: `cargo release-policy <command>`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Cargo runs `cargo-release-policy release-policy …` for `cargo release-policy …`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap_cargo::style::CLAP_STYLING)]
pub enum CargoCli {
    ReleasePolicy(Cli),
}

/// Keep every manifest of a polyglot monorepo (Cargo, npm, Python, .NET) in version lockstep.
#[derive(Debug, Args)]
#[command(version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Path to Cargo.toml (default: the one cargo would find from the current directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Coloring
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing but errors
    #[arg(short, long, global = true)]
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every group, manifest and field with its current and expected version
    Show,
    /// Exit 1 when any manifest disagrees with the policy (for pre-commit and CI)
    Check(CheckArgs),
    /// Rewrite drifted fields to the expected spelling
    Sync(SyncArgs),
    /// Bump a group's version and rewrite every manifest, requirement and lockfile
    Bump(BumpArgs),
    /// Create (or print) the git tag of a group's current version
    Tag(TagArgs),
    /// Run the policy's release checklist (`checks`)
    Checklist(ChecklistArgs),
    /// Write the policy table for an existing repository into the root Cargo.toml
    Init(InitArgs),
    /// Print the JSON Schema of the policy table
    Schema,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Treat equivalent but non-canonical spellings as errors
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
    /// Do not run the policy's `checks` before tagging
    #[arg(long)]
    pub no_checks: bool,
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
        use clap::CommandFactory;
        CargoCli::command().debug_assert();
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
