#![cfg(unix)]
//! A bump stopped without any cleanup — by the fault seam's crash mode (the process kills
//! itself with `SIGKILL` at a chosen write, debug builds) or by a real `kill -9` at a random
//! moment — and then the next command: the tree is byte for byte, and mode for mode, what it
//! was before the bump (or what the bump made of it, when its writes had all finished).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, project_root};

const JOURNAL: &str = ".release-policy.journal";
const LOCK: &str = ".release-policy.lock";

/// Every file below `dir`: relative path → permission bits and bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                let mode = meta.permissions().mode() & 0o7777;
                out.insert(rel, (mode, fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// The paths whose entries differ between two snapshots.
fn differing(
    a: &BTreeMap<String, (u32, Vec<u8>)>,
    b: &BTreeMap<String, (u32, Vec<u8>)>,
) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn command(dir: &Path, args: &[&str], fault: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"));
    command
        .arg("release-policy")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RELEASE_POLICY_CACHE", "off")
        .env_remove("RELEASE_POLICY_FAULT")
        .env_remove("RELEASE_POLICY_SYNC");
    if let Some(fault) = fault {
        command.env("RELEASE_POLICY_FAULT", fault);
    }
    command
}

fn run(dir: &Path, args: &[&str], fault: Option<&str>) -> Output {
    command(dir, args, fault).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The example monorepo in a temporary directory, some of its manifests with other modes
/// than the usual 0644 (which the bump writes and recovery must keep).
fn example() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&project_root().join("examples/polyglot-sdk"), temp.path());
    for (file, mode) in [
        ("Cargo.toml", 0o664),
        ("bindings/node/package.json", 0o600),
        ("bindings/python/pyproject.toml", 0o755),
    ] {
        fs::set_permissions(temp.path().join(file), fs::Permissions::from_mode(mode)).unwrap();
    }
    temp
}

/// The files `bump minor` writes, in its order.
fn bumped_files(dir: &Path) -> Vec<String> {
    let output = run(
        dir,
        &["bump", "minor", "--dry-run", "--format", "json"],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

/// A bump killed at every one of its writes (the file being written left half-written), at
/// the journal's write, after every file is written and once the journal is marked done;
/// then the next command — `check`, `show`, `bump --dry-run` or `recover` in turn — puts the
/// tree back exactly (contents and modes), says what it restored, and leaves no journal and
/// no lock.
#[test]
fn every_crash_of_a_bump_is_recovered_by_the_next_command() {
    let repo = example();
    let dir = repo.path();
    let files = bumped_files(dir);
    assert!(files.len() >= 12, "{files:?}");
    let before = snapshot(dir);
    let after = {
        let other = example();
        let output = run(other.path(), &["bump", "minor"], None);
        assert!(output.status.success(), "{}", stderr(&output));
        snapshot(other.path())
    };
    let next: [&[&str]; 4] = [
        &["check"],
        &["show"],
        &["bump", "minor", "--dry-run"],
        &["recover"],
    ];
    let mut faults: Vec<String> = (1..=files.len()).map(|n| format!("crash:{n}")).collect();
    faults.extend(["crash:journal", "crash:written", "crash:done"].map(String::from));
    for (i, fault) in faults.iter().enumerate() {
        let bump = run(dir, &["bump", "minor"], Some(fault));
        assert_eq!(
            bump.status.signal(),
            Some(9),
            "{fault}: not killed: {}",
            stderr(&bump)
        );
        assert!(dir.join(JOURNAL).exists(), "{fault}: no journal");
        assert!(
            dir.join(LOCK).exists(),
            "{fault}: the killed run's lock stays"
        );
        let args = next[i % next.len()];
        let output = run(dir, args, None);
        let message = stderr(&output);
        assert!(output.status.success(), "{fault}, then {args:?}: {message}");
        let expected = if fault == "crash:done" {
            &after
        } else {
            &before
        };
        assert!(
            snapshot(dir) == *expected,
            "{fault}, then {args:?}: differs in {:?}\n{message}",
            differing(&snapshot(dir), expected)
        );
        assert!(
            message.contains(&format!("Removed `{}`", dir.join(LOCK).display())),
            "{fault}: {message}"
        );
        let said = match fault.as_str() {
            "crash:journal" => {
                "had not written any file yet (its journal was cut short)".to_string()
            }
            "crash:written" => format!("Restored {} files to their text from before", files.len()),
            "crash:done" => format!("had written all {} files: kept them", files.len()),
            _ => {
                let n: usize = fault["crash:".len()..].parse().unwrap();
                let restored = if n == 1 {
                    "1 file to its".to_string()
                } else {
                    format!("{n} files to their")
                };
                format!(
                    "Restored {restored} text from before the write interrupted in process {} ({} not written yet): `{}`",
                    pid_of(&message),
                    files.len() - n,
                    files[0]
                )
            }
        };
        assert!(
            message.contains(&said),
            "{fault}: `{said}` not in\n{message}"
        );
        if fault == "crash:done" {
            // Back to the tree before, for the faults after it.
            for (rel, (mode, bytes)) in &before {
                fs::write(dir.join(rel), bytes).unwrap();
                fs::set_permissions(dir.join(rel), fs::Permissions::from_mode(*mode)).unwrap();
            }
        }
        // Nothing is left to recover.
        let again = run(dir, &["recover"], None);
        assert!(
            stderr(&again).contains("Recovered nothing"),
            "{fault}: {}",
            stderr(&again)
        );
    }
    // The tree recovered is bumped as if nothing had happened.
    let output = run(dir, &["bump", "minor"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(snapshot(dir) == after);
}

/// The process id in a `Restored … interrupted in process N …` line.
fn pid_of(message: &str) -> String {
    message
        .split("interrupted in process ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default()
        .to_string()
}

/// A file edited between the crash and the next command — one the bump had written, one it
/// had not — is never overwritten: the next command exits 1 naming both, writes nothing and
/// keeps the journal; `recover --keep-edited` puts back the others and keeps the edits; and
/// after another crash `recover --discard-edits` puts back everything.
#[test]
fn a_file_edited_after_a_crash_is_never_overwritten() {
    let repo = example();
    let dir = repo.path();
    let files = bumped_files(dir);
    let before = snapshot(dir);
    let edit = |dir: &Path| {
        for (i, text) in [
            (1, "edited: written before the crash\n"),
            (9, "edited: not written yet\n"),
        ] {
            fs::write(dir.join(&files[i]), text).unwrap();
        }
    };
    let bump = run(dir, &["bump", "minor"], Some("crash:6"));
    assert_eq!(bump.status.signal(), Some(9));
    edit(dir);
    // The killed run's lock goes with the first command (no running process holds it): the
    // files are what must not change.
    let files_only = |dir: &Path| {
        let mut files = snapshot(dir);
        files.remove(LOCK);
        files
    };
    let edited = files_only(dir);
    for args in [&["check"][..], &["bump", "minor"], &["recover"]] {
        let output = run(dir, args, None);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {message}");
        assert!(
            message.contains(&format!(
                "a write was interrupted (its journal is `{}`), and these files have changed since: `{}`, `{}`; nothing was restored",
                dir.join(JOURNAL).display(),
                files[1],
                files[9]
            )),
            "{args:?}: {message}"
        );
        assert!(
            message.contains(&format!("`git checkout -- {}`", files[1]))
                && message.contains("recover --keep-edited")
                && message.contains("recover --discard-edits"),
            "{message}"
        );
        assert!(files_only(dir) == edited, "{args:?} wrote");
    }
    let json = run(dir, &["recover", "--format", "json"], None);
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["outcome"], "refused");
    assert_eq!(value["ok"], false);
    assert_eq!(value["edited"], serde_json::json!([files[1], files[9]]));

    let kept = run(dir, &["recover", "--keep-edited", "--format", "json"], None);
    assert!(kept.status.success(), "{}", stderr(&kept));
    let value: serde_json::Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert_eq!(value["command"], "recover");
    assert_eq!(value["outcome"], "rolled-back");
    assert_eq!(value["kept"], serde_json::json!([files[1], files[9]]));
    assert_eq!(value["restored"].as_array().unwrap().len(), 5);
    let mut expected = before.clone();
    for i in [1, 9] {
        expected.insert(files[i].clone(), edited[&files[i]].clone());
    }
    assert!(!dir.join(JOURNAL).exists());
    assert!(
        snapshot(dir) == expected,
        "{:?}",
        differing(&snapshot(dir), &expected)
    );

    for (rel, (_, bytes)) in &before {
        fs::write(dir.join(rel), bytes).unwrap();
    }
    let bump = run(dir, &["bump", "minor"], Some("crash:6"));
    assert_eq!(bump.status.signal(), Some(9));
    edit(dir);
    let discarded = run(dir, &["recover", "--discard-edits"], None);
    let message = stderr(&discarded);
    assert!(discarded.status.success(), "{message}");
    assert!(
        message.contains("edited since, edits discarded"),
        "{message}"
    );
    assert!(snapshot(dir) == before);
}

/// A run killed while it held the lock, before writing anything (`hold:`), leaves its lock
/// file: the next command removes it, saying so, and the next bump is not refused.
#[test]
fn a_killed_runs_lock_is_removed_by_the_next_command() {
    let repo = example();
    let dir = repo.path();
    let before = snapshot(dir);
    let mut holder = command(dir, &["bump", "minor"], Some("hold:20000"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !dir.join(LOCK).exists() {
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    // Held by a live process: left alone.
    let output = run(dir, &["check"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.join(LOCK).exists());
    let pid = holder.id();
    holder.kill().unwrap();
    holder.wait().unwrap();
    let output = run(dir, &["check"], None);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains(&format!(
            "Removed `{}`, left by process {pid}, which is no longer running",
            dir.join(LOCK).display()
        )),
        "{message}"
    );
    assert!(snapshot(dir) == before);
    let output = run(dir, &["bump", "minor"], None);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// A small deterministic random number generator (splitmix64): the kills' moments are
/// reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..=max`.
    fn below(&mut self, max: Duration) -> Duration {
        let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.next() % (nanos + 1))
    }
}

/// A workspace of `n` manifests, all at `1.4.0`: a third each of crates (each requiring the
/// one before it, by version), npm packages and pyproject.toml files.
fn generate(dir: &Path, n: usize) {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.4.0\"\nedition = \"2021\"\n\n[workspace.metadata.release]\nmanifests = [\"packages/*/package.json\", \"python/*/pyproject.toml\"]\n",
    );
    for i in 0..n {
        match i % 3 {
            0 => {
                let mut manifest = format!(
                    "[package]\nname = \"c{i:05}\"\nversion.workspace = true\nedition.workspace = true\n"
                );
                if i >= 3 {
                    let dep = i - 3;
                    let _ = write!(
                        manifest,
                        "\n[dependencies]\nc{dep:05} = {{ path = \"../c{dep:05}\", version = \"1.4.0\" }}\n"
                    );
                }
                write(&format!("crates/c{i:05}/Cargo.toml"), &manifest);
                write(&format!("crates/c{i:05}/src/lib.rs"), "");
            }
            1 => write(
                &format!("packages/p{i:05}/package.json"),
                &format!("{{\n  \"name\": \"@t/p{i:05}\",\n  \"version\": \"1.4.0\",\n  \"license\": \"MIT\"\n}}\n"),
            ),
            _ => write(
                &format!("python/y{i:05}/pyproject.toml"),
                &format!("[project]\nname = \"y{i:05}\"\nversion = \"1.4.0\"\n"),
            ),
        }
    }
}

/// What became of one killed bump.
#[derive(Debug, Default)]
struct Tally {
    /// Killed before the journal was written: nothing to recover.
    before_journal: usize,
    /// Killed while writing the journal: cut, removed.
    journal_cut: usize,
    /// Killed after the journal, before a file was written.
    journal_no_write: usize,
    /// Killed while files were being written: rolled back.
    mid_write: usize,
    /// Killed once every file was written (the journal marked done, or already removed).
    writes_done: usize,
    /// The bump had exited before the kill.
    completed: usize,
}

/// `RELEASE_POLICY_KILLS` (default 120) bumps of a 2,000-manifest workspace in the system's
/// temporary directory (on a disk, not in memory, unless it is one), each killed with
/// `SIGKILL` at a random moment (seeded: `RELEASE_POLICY_KILL_SEED`): every other one at a
/// moment anywhere in the bump's run, the others at a moment after its journal appeared
/// (within the first 60 % of what is left of the run), so that most land while files are
/// written. After each, `check` must pass and the tree must
/// be the tree before the bump — or the bumped tree, when the bump's writes had all finished.
///
/// Takes minutes: `cargo test -p cargo-release-policy --test testsuite -- --ignored
/// random_kills --nocapture` (docs/guarantees.md).
#[test]
#[ignore = "kills 120 bumps of 2,000 manifests: minutes; run with --ignored (docs/guarantees.md)"]
fn random_kills_during_a_large_bump() {
    let kills: usize = std::env::var("RELEASE_POLICY_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let seed: u64 = std::env::var("RELEASE_POLICY_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(22);
    let mut rng = Rng(seed);
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    generate(dir, 2000);
    let before = snapshot(dir);
    // One bump to the end: the tree after it, how long it runs, and how long after its
    // journal appears.
    let start = Instant::now();
    let mut child = command(dir, &["bump", "minor"], None)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut journal_at = None;
    while child.try_wait().unwrap().is_none() {
        if journal_at.is_none() && dir.join(JOURNAL).exists() {
            journal_at = Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    let run_time = start.elapsed();
    let write_time = run_time.saturating_sub(journal_at.expect("the journal was never seen"));
    let after = snapshot(dir);
    let written = differing(&before, &after).len();
    assert!(written >= 2000, "the bump wrote {written} files");
    let restore = |dir: &Path| {
        for (rel, (_, bytes)) in &before {
            fs::write(dir.join(rel), bytes).unwrap();
        }
    };
    restore(dir);
    let mut tally = Tally::default();
    for kill in 0..kills {
        let mut child = command(dir, &["bump", "minor"], None)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        if kill % 2 == 0 {
            std::thread::sleep(rng.below(run_time + run_time / 10));
        } else {
            while !dir.join(JOURNAL).exists() && child.try_wait().unwrap().is_none() {
                assert!(start.elapsed() < Duration::from_secs(120));
                std::hint::spin_loop();
            }
            // The journal is seen a little late, and the process takes a while to die:
            // within the first 60 % of the time from the journal to the exit, most kills
            // land while files are written.
            std::thread::sleep(rng.below(write_time * 3 / 5));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        let check = run(dir, &["check"], None);
        let message = stderr(&check);
        assert!(
            check.status.success(),
            "kill {kill}: check failed:\n{message}"
        );
        let now = snapshot(dir);
        let restored: Option<usize> = message
            .split("Restored ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok());
        if status.success() {
            assert!(
                now == after,
                "kill {kill}: the bump exited 0, the tree is not bumped"
            );
            tally.completed += 1;
        } else if now == after {
            assert!(restored.is_none(), "kill {kill}: {message}");
            tally.writes_done += 1;
        } else {
            assert!(
                now == before,
                "kill {kill}: neither before nor after: {:?}\n{message}",
                &differing(&now, &before)[..5.min(differing(&now, &before).len())]
            );
            match restored {
                Some(0) => tally.journal_no_write += 1,
                Some(_) => tally.mid_write += 1,
                None if message.contains("cut short") => tally.journal_cut += 1,
                None => tally.before_journal += 1,
            }
        }
        assert!(!dir.join(JOURNAL).exists() && !dir.join(LOCK).exists());
        if now == after {
            restore(dir);
        }
    }
    eprintln!(
        "{kills} kills of a {written}-file bump (runs {run_time:?}, writes {write_time:?}) in {}: {tally:?}",
        dir.display()
    );
}
