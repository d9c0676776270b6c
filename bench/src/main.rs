//! The benchmark of issues 7 and 22: generated polyglot monorepos of N manifests, the release
//! binary's `check`, `bump minor --dry-run` and `bump minor` timed as whole processes next to
//! the floor `cargo metadata --no-deps --offline --format-version 1` on the same repository,
//! in the same run — in memory and on a disk, when both are there — and, when it is installed,
//! `bump-my-version bump minor` configured to change the same files. Prints medians, ratios
//! to the floor and peak memory (`ru_maxrss`), whether bump-my-version's output is the same,
//! byte for byte, then the targets.
//!
//! ```sh
//! cargo run --release -p bench                     # N = 200, 2,000, 10,000
//! cargo run --release -p bench -- --sizes 2000 --runs 5
//! cargo run --release -p bench -- --dir target/bench   # only there, kept afterwards
//! ```
//!
//! See `docs/performance.md`.
// A developer tool, not shipped: the workspace's panic lints guard the released crates.
#![allow(
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod generate;
mod measure;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};
use clap::Parser;

use generate::Shape;
use measure::{Invocation, Sample, Stats};

/// Time `cargo release-policy` on generated monorepos against `cargo metadata --no-deps`.
#[derive(Debug, Parser)]
#[command(name = "bench")]
struct Args {
    /// Manifest counts to generate (a quarter each: crates, npm, pyproject, csproj).
    #[arg(long, value_delimiter = ',', default_values_t = [200, 2000, 10_000])]
    sizes: Vec<usize>,
    /// Timed runs of each command per size (after one warm-up run). The machine this was
    /// written on is shared: 20 runs keep the medians steady at a few minutes in all.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Size of the large `package-lock.json` case, in MB (0 skips it).
    #[arg(long, default_value_t = 10)]
    lock_mb: usize,
    /// The `cargo-release-policy` binary to time (default: build the workspace's release
    /// binary and take it from beside this one).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Generate the repositories in this directory (kept afterwards), and only there; may be
    /// given more than once. Without it: a temporary directory in memory (`/dev/shm`, a
    /// `tmpfs`), so that the figures are the tool's, and one on a disk (the system's temporary
    /// directory, else `target/`), where `bump` also measures the file system — each when
    /// there is one.
    #[arg(long)]
    dir: Vec<PathBuf>,
    /// Do not time `bump-my-version` (timed by default when it is on `PATH`).
    #[arg(long)]
    no_bump_my_version: bool,
}

fn main() -> Result<()> {
    if std::env::args().nth(1).as_deref() == Some(measure::CHILD) {
        return measure::child(std::env::args().skip(2));
    }
    let args = Args::parse();
    if args.runs == 0 {
        bail!("`--runs` must be at least 1");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| real_cargo());
    let bin = match &args.bin {
        // The commands run in the generated trees: a relative path would name nothing there.
        Some(bin) => std::path::absolute(bin)?,
        None => build(&cargo)?,
    };
    // Temporary ones are removed at the end of the run (with the trees).
    let locations = if args.dir.is_empty() {
        default_locations()?
    } else {
        let mut locations = Vec::new();
        for dir in &args.dir {
            std::fs::create_dir_all(dir)?;
            locations.push(Location {
                dir: std::path::absolute(dir)?,
                _temp: None,
            });
        }
        locations
    };
    let bump_my_version = if args.no_bump_my_version {
        None
    } else {
        BumpMyVersion::find()
    };
    let bump_my_version_said = match (&bump_my_version, args.no_bump_my_version) {
        (Some(b), _) => format!("{} (`bump-my-version`)", b.version),
        (None, true) => "not timed (`--no-bump-my-version`)".to_string(),
        (None, false) => "not on `PATH`, not timed (`pip install bump-my-version`)".to_string(),
    };
    let bench = Bench {
        cargo,
        bin,
        runs: args.runs,
        bump_my_version,
    };
    println!("{}", bench.header(&bump_my_version_said)?);
    let mut results = Vec::new();
    let mut lock = None;
    for (i, location) in locations.iter().enumerate() {
        let work = &location.dir;
        // `check` remembers passing answers (docs/performance.md): keep them with the
        // repositories, away from the user's cache.
        let cache = work.join("cache");
        if cache.exists() {
            std::fs::remove_dir_all(&cache)?;
        }
        std::env::set_var("XDG_CACHE_HOME", &cache);
        std::env::remove_var("RELEASE_POLICY_CACHE");
        let file_system = file_system(work);
        println!("{}", Bench::location_header(work, file_system.as_deref())?);
        for &n in &args.sizes {
            let result = bench.size(work, n, file_system.clone())?;
            println!("{}", result.table());
            results.push(result);
        }
        // Issue 7's target is in memory: the large lockfile is timed in the first place only.
        if i == 0 && args.lock_mb > 0 {
            let timed = bench.large_lock(work, args.lock_mb)?;
            println!("{}", timed.table());
            lock = Some(timed);
        }
    }
    println!("{}", targets(&results, lock.as_ref()));
    Ok(())
}

/// Where the trees are generated and timed.
struct Location {
    dir: PathBuf,
    /// Removed when the run ends, when the benchmark made it.
    _temp: Option<tempfile::TempDir>,
}

/// `bump-my-version`, when it is on `PATH`: its version.
struct BumpMyVersion {
    version: String,
}

impl BumpMyVersion {
    fn find() -> Option<BumpMyVersion> {
        let out = Command::new("bump-my-version")
            .arg("--version")
            .output()
            .ok()
            .filter(|out| out.status.success())?;
        let text = String::from_utf8_lossy(&out.stdout);
        Some(BumpMyVersion {
            version: text
                .trim()
                .rsplit(' ')
                .next()
                .unwrap_or_default()
                .to_string(),
        })
    }

    /// The configuration that makes it change the files `bump minor` changes in a generated
    /// tree at `dir`: every occurrence of the version in each of them (in these trees every
    /// one is a version the tool rewrites). Paths are absolute: bump-my-version resolves them
    /// against the configuration's directory, which is kept outside the tree (it rewrites its
    /// own `current_version`) so that the trees compare whole.
    fn config(dir: &Path) -> String {
        let mut text = format!(
            "[tool.bumpversion]\ncurrent_version = \"{}\"\ncommit = false\ntag = false\nallow_dirty = true\nignore_missing_version = true\nignore_missing_files = true\n",
            generate::VERSION
        );
        for (key, path) in [
            ("filename", "Cargo.toml"),
            ("filename", "Cargo.lock"),
            ("glob", "crates/*/Cargo.toml"),
            ("filename", "package.json"),
            ("filename", "package-lock.json"),
            ("glob", "packages/*/package.json"),
            ("glob", "python/*/pyproject.toml"),
            ("glob", "dotnet/*/Directory.Build.props"),
            ("glob", "dotnet/*/*/*.csproj"),
        ] {
            let _ = write!(
                text,
                "\n[[tool.bumpversion.files]]\n{key} = \"{}\"\n",
                dir.join(path).display()
            );
        }
        text
    }

    /// The command bumping the tree at `dir` (its configuration written beside it).
    fn invocation(dir: &Path) -> Result<Invocation> {
        let config = dir.with_extension("bumpversion.toml");
        std::fs::write(&config, Self::config(dir))?;
        Ok(Invocation::new(
            "bump-my-version",
            &[
                "bump",
                "--config-file",
                config.to_string_lossy().as_ref(),
                "minor",
            ],
        ))
    }
}

/// The real `cargo` binary when the benchmark runs outside `cargo run` (which names it in
/// `$CARGO`): the rustup proxy on `PATH` adds 15–90 ms to every call here, which would
/// flatter the ratios. `cargo` on `PATH` when rustup is not there.
fn real_cargo() -> String {
    Command::new("rustup")
        .args(["which", "cargo"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|path| path.trim().to_string())
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| "cargo".to_string())
}

/// `cargo build --release` of the binary; returns its path (beside this benchmark's).
fn build(cargo: &str) -> Result<PathBuf> {
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "-p",
            "cargo-release-policy",
            "--bin",
            "cargo-release-policy",
        ])
        .status()
        .with_context(|| format!("running `{cargo} build`"))?;
    if !status.success() {
        bail!("`cargo build --release -p cargo-release-policy` failed");
    }
    let exe = std::env::current_exe()?;
    let bin = exe.with_file_name(format!(
        "cargo-release-policy{}",
        std::env::consts::EXE_SUFFIX
    ));
    if !bin.is_file() {
        bail!(
            "no `{}`: run the benchmark with `cargo run --release -p bench`, or pass `--bin`",
            bin.display()
        );
    }
    Ok(bin)
}

struct Bench {
    cargo: String,
    bin: PathBuf,
    runs: usize,
    bump_my_version: Option<BumpMyVersion>,
}

/// One row of a table: what ran and its samples.
struct Row {
    label: &'static str,
    stats: Stats,
}

struct SizeResult {
    shape: Shape,
    files: usize,
    runs: usize,
    /// The file system the trees were on (`tmpfs`, `ext4`…).
    file_system: Option<String>,
    floor: Stats,
    rows: Vec<Row>,
    /// bump-my-version's output against `bump minor`'s: the files that differ (none: byte
    /// for byte the same), and how many files `bump minor` changed.
    same_as_bump_my_version: Option<(Vec<String>, usize)>,
}

impl SizeResult {
    fn row(&self, label: &str) -> &Stats {
        self.rows
            .iter()
            .find(|r| r.label == label)
            .map_or(&self.floor, |r| &r.stats)
    }

    /// Whether the trees were in memory.
    fn in_memory(&self) -> bool {
        self.file_system.as_deref() == Some("tmpfs")
    }

    fn table(&self) -> String {
        let s = &self.shape;
        let mut out = format!(
            "\n## N = {}{}: {} crates, {} npm packages, {} pyproject.toml, {} .csproj (+ {} Directory.Build.props; {} files in all); {} runs\n\n",
            thousands(s.manifests),
            self.file_system
                .as_ref()
                .map_or_else(String::new, |fs| format!(" on {fs}")),
            s.crates,
            s.npm,
            s.python,
            s.dotnet,
            s.props,
            thousands(self.files),
            self.runs,
        );
        out.push_str("| command | median | min | max | × floor | peak RSS |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|\n");
        let floor = self.floor.median();
        let mut line = |label: &str, stats: &Stats| {
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {} | {:.2} | {:.1} MiB |",
                ms(stats.median()),
                ms(stats.min()),
                ms(stats.max()),
                stats.median() / floor,
                stats.peak_mib(),
            );
        };
        line(
            "`cargo metadata --no-deps --offline --format-version 1` (floor)",
            &self.floor,
        );
        for row in &self.rows {
            line(row.label, &row.stats);
        }
        if let Some((differing, changed)) = &self.same_as_bump_my_version {
            if differing.is_empty() {
                let _ = writeln!(
                    out,
                    "\nbump-my-version's output: byte for byte `bump minor`'s ({} files changed)",
                    thousands(*changed)
                );
            } else {
                let _ =
                    writeln!(
                    out,
                    "\nbump-my-version's output: differs from `bump minor`'s in {} of {} files: {}",
                    thousands(differing.len()),
                    thousands(*changed),
                    differing.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                );
            }
        }
        out
    }
}

const CHECK: &str = "`check --no-cache` (cold: every file read)";
const CHECK_WARM: &str = "`check` (warm: the remembered answer, nothing changed)";
const DRY_RUN: &str = "`bump minor --dry-run`";
const BUMP: &str = "`bump minor`";
const BUMP_MY_VERSION: &str = "`bump-my-version bump minor` (the same files)";

impl Bench {
    fn header(&self, bump_my_version: &str) -> Result<String> {
        let cargo_version = Command::new(&self.cargo).arg("--version").output()?;
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Ok(format!(
            "# cargo-release-policy benchmark\n\nbinary: `{}`\nfloor: {} (`{}`)\nbump-my-version: {bump_my_version}\ncores: {cores}",
            self.bin.display(),
            String::from_utf8_lossy(&cargo_version.stdout).trim(),
            self.cargo,
        ))
    }

    /// Where the next tables were measured: the directory, its file system, and what
    /// writing a small file costs there — in place, as `bump` writes each manifest, and as a
    /// new file renamed over the old one, as it did before its journal (docs/performance.md).
    fn location_header(work: &Path, file_system: Option<&str>) -> Result<String> {
        let file_system = file_system.map_or_else(String::new, |fs| format!(" ({fs})"));
        let (in_place, replace) = write_costs(work)?;
        Ok(format!(
            "\n# In `{}`{file_system}\n\nrewriting a small file in place there (one thread): {:.1} µs; replacing it (a new file written, then renamed over it): {:.0} µs",
            work.display(),
            in_place * 1e6,
            replace * 1e6,
        ))
    }

    fn floor(&self) -> Invocation {
        Invocation::new(
            &self.cargo,
            &[
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
            ],
        )
    }

    fn tool(&self, args: &[&str]) -> Invocation {
        let mut all = vec!["release-policy"];
        all.extend_from_slice(args);
        Invocation::new(self.bin.to_string_lossy().as_ref(), &all)
    }

    /// A fresh copy of `base` to bump, under `work`, flushed to disk so that writing it back
    /// does not land in the measurements.
    fn fresh_copy(work: &Path, base: &Path, name: &str) -> Result<PathBuf> {
        let copy = work.join(name);
        if copy.exists() {
            std::fs::remove_dir_all(&copy)?;
        }
        std::fs::create_dir(&copy)?;
        generate::copy_tree(base, &copy)?;
        sync()?;
        Ok(copy)
    }

    fn size(&self, work: &Path, n: usize, file_system: Option<String>) -> Result<SizeResult> {
        let shape = Shape::of(n);
        let base = work.join(format!("n{n}"));
        if base.exists() {
            std::fs::remove_dir_all(&base)?;
        }
        std::fs::create_dir_all(&base)?;
        eprintln!("generating N = {n} in {}", base.display());
        generate::generate(&base, shape)?;
        sync()?;
        let generated = std::time::Instant::now();
        let files = count_files(&base)?;

        let floor = self.floor();
        let check = self.tool(&["check", "--no-cache"]);
        let warm = self.tool(&["check"]);
        let dry_run = self.tool(&["bump", "minor", "--dry-run"]);
        let bump = self.tool(&["bump", "minor"]);

        // Warm-up (page cache), and proof that every command does its job: the repository is
        // in lockstep, and after the bump it is in lockstep again at the new version.
        eprintln!("warming up");
        floor.run(&base)?.expect_success(&floor)?;
        check.run(&base)?.expect_success(&check)?;
        // A file younger than two seconds is not trusted to stay as it is: the answer is
        // remembered once the repository is older than that.
        std::thread::sleep(
            std::time::Duration::from_millis(2_200).saturating_sub(generated.elapsed()),
        );
        warm.run(&base)?.expect_success(&warm)?;
        if !remembered(&self.bin, &base)? {
            bail!("`check` did not remember its answer for {}", base.display());
        }
        dry_run.run(&base)?.expect_success(&dry_run)?;
        let copy = Self::fresh_copy(work, &base, "bump-0")?;
        bump.run(&copy)?.expect_success(&bump)?;
        check.run(&copy)?.expect_success(&check)?;
        let root = std::fs::read_to_string(copy.join("Cargo.toml"))?;
        if !root.contains("version = \"1.5.0\"") {
            bail!("`bump minor` did not write 1.5.0 into the root Cargo.toml");
        }
        let same_as_bump_my_version = self.compare_bump_my_version(work, &base, &copy)?;

        let mut samples: [Vec<Sample>; 6] = Default::default();
        for run in 0..self.runs {
            eprintln!("N = {n}: run {}/{}", run + 1, self.runs);
            let copy = Self::fresh_copy(work, &base, &format!("bump-{}", run + 1))?;
            samples[0].push(floor.run(&base)?.expect_success(&floor)?);
            samples[1].push(check.run(&base)?.expect_success(&check)?);
            samples[2].push(dry_run.run(&base)?.expect_success(&dry_run)?);
            samples[3].push(bump.run(&copy)?.expect_success(&bump)?);
            samples[4].push(warm.run(&base)?.expect_success(&warm)?);
            std::fs::remove_dir_all(&copy)?;
            if self.bump_my_version.is_some() {
                let other = Self::fresh_copy(work, &base, &format!("bump-my-version-{}", run + 1))?;
                let invocation = BumpMyVersion::invocation(&other)?;
                samples[5].push(invocation.run(&other)?.expect_success(&invocation)?);
                std::fs::remove_dir_all(&other)?;
            }
        }
        if !remembered(&self.bin, &base)? {
            bail!(
                "`check` did not answer from the cache for {}",
                base.display()
            );
        }
        let [floor, check, dry_run, bump, warm, bump_my_version] = samples.map(|s| Stats::new(&s));
        let mut result = SizeResult {
            shape,
            files,
            runs: self.runs,
            file_system,
            floor,
            same_as_bump_my_version,
            rows: vec![
                Row {
                    label: CHECK,
                    stats: check,
                },
                Row {
                    label: CHECK_WARM,
                    stats: warm,
                },
                Row {
                    label: DRY_RUN,
                    stats: dry_run,
                },
                Row {
                    label: BUMP,
                    stats: bump,
                },
            ],
        };
        if self.bump_my_version.is_some() {
            result.rows.push(Row {
                label: BUMP_MY_VERSION,
                stats: bump_my_version,
            });
        }
        Ok(result)
    }

    /// bump-my-version run on another copy of `base`, against `bumped` (`bump minor`'s): the
    /// files that differ, and how many files `bump minor` changed. `None` without it.
    fn compare_bump_my_version(
        &self,
        work: &Path,
        base: &Path,
        bumped: &Path,
    ) -> Result<Option<(Vec<String>, usize)>> {
        if self.bump_my_version.is_none() {
            return Ok(None);
        }
        let other = Self::fresh_copy(work, base, "bump-my-version-0")?;
        let invocation = BumpMyVersion::invocation(&other)?;
        invocation.run(&other)?.expect_success(&invocation)?;
        let (ours, theirs, before) = (read_tree(bumped)?, read_tree(&other)?, read_tree(base)?);
        let differing: Vec<String> = ours
            .keys()
            .chain(theirs.keys())
            .filter(|k| ours.get(*k) != theirs.get(*k))
            .map(|k| k.display().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let changed = ours
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v))
            .count();
        std::fs::remove_dir_all(&other)?;
        Ok(Some((differing, changed)))
    }

    /// `bump minor` on N = 200 with a small and with a `mb`-MB `package-lock.json`.
    fn large_lock(&self, work: &Path, mb: usize) -> Result<LockResult> {
        let shape = Shape::of(200);
        let small = work.join("lock-small");
        let large = work.join("lock-large");
        for (dir, bytes) in [(&small, 0), (&large, mb * 1_000_000)] {
            if dir.exists() {
                std::fs::remove_dir_all(dir)?;
            }
            std::fs::create_dir_all(dir)?;
            generate::generate(dir, shape)?;
            generate::npm(dir, shape.npm, bytes)?;
        }
        let lock_bytes = std::fs::metadata(large.join("package-lock.json"))?.len();
        let bump = self.tool(&["bump", "minor"]);
        let check = self.tool(&["check"]);
        for base in [&small, &large] {
            let copy = Self::fresh_copy(work, base, "bump-0")?;
            bump.run(&copy)?.expect_success(&bump)?;
            check.run(&copy)?.expect_success(&check)?;
        }
        let mut samples: [Vec<Sample>; 2] = Default::default();
        for run in 0..self.runs {
            eprintln!(
                "package-lock.json of {mb} MB: run {}/{}",
                run + 1,
                self.runs
            );
            for (i, base) in [&small, &large].into_iter().enumerate() {
                let copy = Self::fresh_copy(work, base, &format!("bump-{}", run + 1))?;
                samples[i].push(bump.run(&copy)?.expect_success(&bump)?);
                std::fs::remove_dir_all(&copy)?;
            }
        }
        let [small, large] = samples.map(|s| Stats::new(&s));
        Ok(LockResult {
            lock_bytes,
            runs: self.runs,
            small,
            large,
        })
    }
}

struct LockResult {
    lock_bytes: u64,
    runs: usize,
    small: Stats,
    large: Stats,
}

impl LockResult {
    fn added(&self) -> f64 {
        self.large.median() - self.small.median()
    }

    fn table(&self) -> String {
        let mut out = format!(
            "\n## A {:.1} MB package-lock.json in the group (N = 200); {} runs\n\n",
            f64::from(u32::try_from(self.lock_bytes).unwrap_or(u32::MAX)) / 1e6,
            self.runs
        );
        out.push_str("| `bump minor` with | median | min | max | peak RSS |\n");
        out.push_str("|---|---:|---:|---:|---:|\n");
        for (label, stats) in [
            ("a small package-lock.json", &self.small),
            ("the large package-lock.json", &self.large),
        ] {
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {} | {:.1} MiB |",
                ms(stats.median()),
                ms(stats.min()),
                ms(stats.max()),
                stats.peak_mib()
            );
        }
        let _ = writeln!(out, "\nadded by the large lockfile: {}", ms(self.added()));
        out
    }
}

fn targets(results: &[SizeResult], lock: Option<&LockResult>) -> String {
    let mut out = String::from(
        "\n## Targets (issues 7 and 22)\n\n| target | measured | holds |\n|---|---:|---|\n",
    );
    let mut line = |target: &str, measured: String, holds: bool| {
        let verdict = if holds { "yes" } else { "**no**" };
        let _ = writeln!(out, "| {target} | {measured} | {verdict} |");
    };
    // Issue 7's targets are in memory (the first place measured when none is).
    let memory = results.iter().any(SizeResult::in_memory).then_some(true);
    let at = |n: usize, in_memory: Option<bool>| {
        results
            .iter()
            .find(|r| r.shape.manifests == n && in_memory.is_none_or(|m| r.in_memory() == m))
    };
    let place = |r: &SizeResult| {
        r.file_system
            .as_ref()
            .map_or_else(String::new, |fs| format!(" ({fs})"))
    };
    if let Some(r) = at(2000, memory) {
        let ratio = r.row(CHECK).median() / r.floor.median();
        line(
            &format!(
                "N = 2,000: `check` ≤ 0.3× floor, cold (`--no-cache`){}",
                place(r)
            ),
            format!("{ratio:.2}×"),
            ratio <= 0.3,
        );
        let ratio = r.row(CHECK_WARM).median() / r.floor.median();
        line(
            &format!(
                "N = 2,000: `check` ≤ 0.3× floor, warm (nothing changed since the last check){}",
                place(r)
            ),
            format!("{ratio:.2}×"),
            ratio <= 0.3,
        );
        let ratio = r.row(BUMP).median() / r.floor.median();
        line(
            &format!("N = 2,000: `bump minor` ≤ 1× floor{}", place(r)),
            format!("{ratio:.2}×"),
            ratio <= 1.0,
        );
    }
    if let (Some(small), Some(large)) = (at(2000, memory), at(10_000, memory)) {
        let ratio = large.row(CHECK).median() / small.row(CHECK).median();
        line(
            "`check --no-cache` at N = 10,000 ≤ 6× at N = 2,000",
            format!("{ratio:.2}×"),
            ratio <= 6.0,
        );
    }
    if let Some(r) = at(10_000, memory) {
        let peak = r
            .rows
            .iter()
            .map(|row| row.stats.peak_mib())
            .fold(0.0, f64::max);
        line(
            "N = 10,000: peak memory < 200 MiB (any command)",
            format!("{peak:.1} MiB"),
            peak < 200.0,
        );
    }
    if let Some(lock) = lock {
        let added = lock.added();
        line(
            "a 10 MB package-lock.json adds < 100 ms to `bump minor`",
            ms(added),
            added < 0.1,
        );
    }
    // Issue 22's are on a disk.
    for r in results
        .iter()
        .filter(|r| r.shape.manifests == 2000 && !r.in_memory())
    {
        let ratio = r.row(BUMP).median() / r.floor.median();
        line(
            &format!("N = 2,000 on a disk: `bump minor` ≤ 0.8× floor{}", place(r)),
            format!("{ratio:.2}×"),
            ratio <= 0.8,
        );
        if let Some(theirs) = r.rows.iter().find(|row| row.label == BUMP_MY_VERSION) {
            let times = theirs.stats.median() / r.row(BUMP).median();
            line(
                &format!(
                    "N = 2,000 on a disk: `bump minor` ≥ 10× faster than bump-my-version{}",
                    place(r)
                ),
                format!("{times:.1}×"),
                times >= 10.0,
            );
        }
    }
    out
}

/// Every file below `dir`: path relative to it → bytes.
fn read_tree(dir: &Path) -> Result<std::collections::BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else {
                let path = entry.path();
                let bytes = std::fs::read(&path)?;
                out.insert(path.strip_prefix(dir)?.to_path_buf(), bytes);
            }
        }
    }
    Ok(out)
}

/// Whether `check` answered for `dir` from its cache: it says so with
/// `RELEASE_POLICY_TIMINGS=1`.
fn remembered(bin: &Path, dir: &Path) -> Result<bool> {
    let out = Command::new(bin)
        .args(["release-policy", "check"])
        .env("RELEASE_POLICY_TIMINGS", "1")
        .current_dir(dir)
        .output()?;
    Ok(out.status.success() && String::from_utf8_lossy(&out.stderr).contains("timing: cached"))
}

/// The type of the file system holding `dir` (`tmpfs`, `ext4`…), from the longest mount point
/// above it in `/proc/mounts`; `None` where that file does not exist.
fn file_system(dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let (point, kind) = (fields.nth(1)?, fields.next()?);
            // Spaces in mount points are written `\040`.
            let point = PathBuf::from(point.replace("\\040", " "));
            dir.starts_with(&point).then(|| (point, kind.to_string()))
        })
        .max_by_key(|(point, _)| point.as_os_str().len())
        .map(|(_, kind)| kind)
}

/// Where the trees go without `--dir`: a temporary directory in memory (`/dev/shm`, when it
/// is a `tmpfs` the benchmark may write) and one on a disk (the system's temporary directory,
/// or `target/` when that is in memory too), each that there is.
///
/// In memory, a run measures the tool and the floor alone. On a disk, `bump` also measures
/// the file system: creating a file costs ~6 µs on tmpfs but 20–600 µs of kernel time on this
/// project's VM's ext4, depending on the directory (docs/performance.md), and background
/// writeback of the copies competes for the two cores.
fn default_locations() -> Result<Vec<Location>> {
    let temporary = |dir: &Path| {
        tempfile::Builder::new()
            .prefix("release-policy-bench.")
            .tempdir_in(dir)
    };
    let mut locations = Vec::new();
    let memory = Path::new("/dev/shm");
    if file_system(memory).as_deref() == Some("tmpfs") {
        if let Ok(temp) = temporary(memory) {
            locations.push(Location {
                dir: temp.path().to_path_buf(),
                _temp: Some(temp),
            });
        }
    }
    let target = std::path::absolute("target")?;
    std::fs::create_dir_all(&target)?;
    for dir in [std::env::temp_dir(), target] {
        if file_system(&dir).is_none_or(|fs| fs != "tmpfs") {
            let temp = temporary(&dir)?;
            locations.push(Location {
                dir: temp.path().to_path_buf(),
                _temp: Some(temp),
            });
            break;
        }
    }
    if locations.is_empty() {
        let temp = tempfile::Builder::new()
            .prefix("release-policy-bench.")
            .tempdir()?;
        locations.push(Location {
            dir: temp.path().to_path_buf(),
            _temp: Some(temp),
        });
    }
    Ok(locations)
}

/// What writing a small file costs in `work`, in seconds: rewritten in place (as `bump`
/// writes each manifest since its journal), and replaced by a new file renamed over it (as
/// it did before). Medians of 5 rounds of 200 files, each in a directory of its own. It is
/// the file system's cost, not the tool's, and on a disk the replacing decided most of what
/// `bump` cost (docs/performance.md).
fn write_costs(work: &Path) -> Result<(f64, f64)> {
    use std::io::Write as _;
    const FILES: u32 = 200;
    let scratch = work.join("write-probe");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)?;
    }
    let targets: Vec<PathBuf> = (0..FILES)
        .map(|i| scratch.join(format!("d{i:03}")).join("package.json"))
        .collect();
    for target in &targets {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(target, "{\"version\": \"1.4.0\"}\n")?;
    }
    sync()?;
    let median = |mut rounds: Vec<f64>| {
        rounds.sort_by(f64::total_cmp);
        rounds[rounds.len() / 2]
    };
    let mut in_place = Vec::new();
    let mut replace = Vec::new();
    for round in 0..5 {
        let text = format!("{{\"version\": \"1.{round}.0\"}}\n");
        let start = std::time::Instant::now();
        for target in &targets {
            let mut file = std::fs::OpenOptions::new().write(true).open(target)?;
            file.write_all(text.as_bytes())?;
        }
        in_place.push(start.elapsed().as_secs_f64() / f64::from(FILES));
        let start = std::time::Instant::now();
        for target in &targets {
            let temp = target.with_extension("json.tmp");
            std::fs::write(&temp, &text)?;
            std::fs::rename(&temp, target)?;
        }
        replace.push(start.elapsed().as_secs_f64() / f64::from(FILES));
    }
    std::fs::remove_dir_all(&scratch)?;
    Ok((median(in_place), median(replace)))
}

/// Flush every file system (`sync`).
fn sync() -> Result<()> {
    let status = Command::new("sync").status().context("running `sync`")?;
    if !status.success() {
        bail!("`sync` failed");
    }
    Ok(())
}

fn ms(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

fn thousands(n: usize) -> String {
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

fn count_files(dir: &Path) -> Result<usize> {
    let mut count = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            count += count_files(&entry.path())?;
        } else {
            count += 1;
        }
    }
    Ok(count)
}
