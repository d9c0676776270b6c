#![cfg(unix)]
// The fixtures' file names are lowercase: a plain suffix test is the kind test.
#![allow(clippy::case_sensitive_file_extension_comparisons)]
//! Closure properties and whole-tree mutation fuzzing, through the binary (issue 19).
//!
//! * [`closure_properties`]: over generated trees (the example monorepo, the fixture
//!   repositories and every CLI case's input, each with BOM and CRLF variants of its
//!   manifests) and every bump level and `sync`: a command that exits 0 having written leaves
//!   a tree where `check --strict` exits 0, every written TOML and JSON file parses with
//!   `toml_edit` / `serde_json`, `cargo metadata --offline` still loads the workspace when it
//!   did before, and the group reads back at the version the bump reported. A command that
//!   exits non-zero leaves the tree byte-identical (content, mode, link targets), and no
//!   command exits 101.
//! * [`mutation_fuzzing`]: seeded mutations of whole trees (bytes flipped, multi-byte
//!   characters and BOMs inserted, lines duplicated or deleted, truncation, UTF-16, files
//!   replaced by directories or links): `check` and `bump minor` never exit 101, never
//!   change the tree when they exit non-zero, and an input error (exit 2) caused by a fault
//!   inside a file names a `path:line:col`.
//!
//! Both are bounded for CI (a couple of minutes in a debug build); `scripts/mutate` runs
//! longer: `RELEASE_POLICY_MUTATIONS` (count), `RELEASE_POLICY_SEED` (seed) and
//! `RELEASE_POLICY_CLOSURE_VARIANTS` (variants per tree and command).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::bad_input::fingerprint;
use crate::support::{cases_dir, project_root, tree, write_tree};

/// xorshift64*: seeded, reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The trees properties are checked on: name → files.
fn bases() -> Vec<(String, BTreeMap<String, Vec<u8>>)> {
    let root = project_root();
    let mut dirs: Vec<(String, PathBuf)> =
        vec![("example".to_string(), root.join("examples/polyglot-sdk"))];
    let repos = root.join("cargo-release-policy/tests/testsuite/repos");
    let cases = cases_dir();
    for parent in [repos, cases] {
        let mut entries: Vec<PathBuf> = fs::read_dir(&parent)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() && p.join("Cargo.toml").is_file())
            // The `adopt-*` repositories are what `init` starts from: without a policy, and
            // with other manifests, which `check --strict` refuses by design.
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("adopt-"))
            })
            .collect();
        entries.sort();
        for dir in entries {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            dirs.push((name, dir));
        }
    }
    dirs.into_iter()
        .map(|(name, dir)| (name, tree(&dir)))
        .collect()
}

fn is_manifest(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(
        name,
        "Cargo.toml"
            | "Cargo.lock"
            | "package.json"
            | "package-lock.json"
            | "pyproject.toml"
            | "uv.lock"
            | "Directory.Build.props"
    ) || name.ends_with("proj")
        || name.ends_with(".props")
        || name.ends_with(".py")
}

/// A variant of `files`: some manifests get a BOM (not Cargo's own files, which cargo reads
/// too) and some CRLF line ends.
fn variant(files: &BTreeMap<String, Vec<u8>>, rng: &mut Rng) -> BTreeMap<String, Vec<u8>> {
    let mut out = files.clone();
    for (rel, bytes) in &mut out {
        if !is_manifest(rel) || std::str::from_utf8(bytes).is_err() {
            continue;
        }
        let cargo = rel.ends_with("Cargo.toml") || rel.ends_with("Cargo.lock");
        match rng.below(4) {
            0 if !cargo && !bytes.starts_with(b"\xef\xbb\xbf") => {
                bytes.splice(0..0, *b"\xef\xbb\xbf");
            }
            1 if !bytes.windows(2).any(|w| w == b"\r\n") => {
                *bytes = String::from_utf8_lossy(bytes)
                    .replace('\n', "\r\n")
                    .into_bytes();
            }
            _ => {}
        }
    }
    out
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .arg("release-policy")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("RELEASE_POLICY_FAULT")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn cargo_metadata_loads(dir: &Path) -> bool {
    Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--offline",
            "--no-deps",
            "--format-version",
            "1",
        ])
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// Whether a written file parses with its format's reference parser (TOML and JSON; XML and
/// Python are covered by the oracle tests).
fn parses(rel: &str, bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(strip_bom(bytes)).map_err(|e| e.to_string())?;
    if rel.ends_with(".toml") || rel.ends_with("Cargo.lock") || rel.ends_with("uv.lock") {
        text.parse::<toml_edit::DocumentMut>()
            .map(drop)
            .map_err(|e| e.to_string())
    } else if rel.ends_with(".json") {
        serde_json::from_str::<serde_json::Value>(text)
            .map(drop)
            .map_err(|e| e.to_string())
    } else {
        Ok(())
    }
}

/// The `error: group … is left out` lines of a `check`'s stderr: groups that cannot be read
/// or spelled, which a write to the other groups leaves as they were.
fn left_out_groups(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error: group `") && l.contains("is left out"))
        .map(str::to_string)
        .collect()
}

/// After a write: `check --strict` passes — or, for a tree with groups left out before the
/// write, fails on those alone.
fn assert_strict_check_after(dir: &Path, context: &str, left_out_before: &[String]) {
    let check = run(dir, &["check", "--strict", "--no-cache"]);
    if left_out_before.is_empty() {
        assert!(
            check.status.success(),
            "{context}: `check --strict` after the write\n{}",
            stderr(&check)
        );
    } else {
        let after = stderr(&check);
        assert!(
            check.status.code() == Some(2)
                && left_out_groups(&after) == left_out_before
                && after.lines().filter(|l| l.starts_with("error")).count()
                    == left_out_before.len(),
            "{context}: `check --strict` after the write fails otherwise than the groups left out before it\n{after}"
        );
    }
}

#[test]
fn closure_properties() {
    let seed = env_number("RELEASE_POLICY_SEED", 19);
    let variants = env_number("RELEASE_POLICY_CLOSURE_VARIANTS", 3);
    let mut rng = Rng::new(seed);
    let commands: [&[&str]; 10] = [
        &["bump", "patch"],
        &["bump", "minor"],
        &["bump", "major"],
        &["bump", "alpha"],
        &["bump", "beta"],
        &["bump", "rc"],
        &["bump", "dev"],
        &["bump", "pre"],
        &["bump", "release"],
        &["sync"],
    ];
    let (mut trees, mut decisions, mut written, mut refused) = (0, 0, 0, 0);
    for (name, files) in bases() {
        for v in 0..variants {
            let files = if v == 0 && variants > 1 {
                files.clone()
            } else {
                variant(&files, &mut rng)
            };
            trees += 1;
            let temp = tempfile::tempdir().unwrap();
            let template = temp.path().join("template");
            write_tree(&template, &files);
            let loads_before = cargo_metadata_loads(&template);
            // A tree whose own groups cannot all be read (a group left out: exit 2) stays so
            // after a write to the others: the property is then that nothing new fails.
            let strict_before = run(&template, &["check", "--strict", "--no-cache"]);
            let left_out_before = left_out_groups(&stderr(&strict_before));
            for command in commands {
                decisions += 1;
                let dir = temp.path().join(format!("run-{decisions}"));
                write_tree(&dir, &files);
                let before = fingerprint(&dir);
                let mut args = vec!["--format", "json"];
                args.extend_from_slice(command);
                let output = run(&dir, &args);
                let err = stderr(&output);
                let context = format!("{name} (variant {v}, seed {seed}) {command:?}");
                assert_ne!(output.status.code(), Some(101), "{context}: panic\n{err}");
                assert!(!err.contains("panicked"), "{context}\n{err}");
                if !output.status.success() {
                    refused += 1;
                    assert!(
                        fingerprint(&dir) == before,
                        "{context}: exit {:?} changed the tree\n{err}",
                        output.status.code()
                    );
                    continue;
                }
                let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                let changed: Vec<String> = document["changed"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|p| p.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if changed.is_empty() {
                    continue;
                }
                written += 1;
                assert_strict_check_after(&dir, &context, &left_out_before);
                for rel in &changed {
                    let bytes = fs::read(dir.join(rel)).unwrap();
                    if let Err(e) = parses(rel, &bytes) {
                        panic!("{context}: `{rel}` no longer parses: {e}");
                    }
                }
                if loads_before && written % 5 == 1 {
                    // (One write in five: `cargo metadata` is the slow step.)
                    assert!(cargo_metadata_loads(&dir), "{context}: cargo metadata");
                }
                if let Some(bump) = document.get("bump") {
                    let show = run(&dir, &["--format", "json", "show"]);
                    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
                    let group = shown["groups"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|g| g["name"] == bump["group"])
                        .unwrap();
                    assert_eq!(group["version"], bump["to"], "{context}: read back");
                }
                fs::remove_dir_all(&dir).unwrap();
            }
        }
    }
    eprintln!(
        "closure: {trees} trees, {decisions} decisions ({written} wrote, {refused} refused), seed {seed}"
    );
    assert!(
        written > 0 && decisions >= 100,
        "{decisions} decisions, {written} writes"
    );
}

/// One mutation of a tree.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    FlipByte,
    InsertMultibyte,
    Bom,
    DuplicateLine,
    DeleteLine,
    Truncate,
    Utf16,
    Directory,
    LinkToSibling,
    LinkOutside,
    DanglingLink,
}

impl Mutation {
    const ALL: [Mutation; 11] = [
        Mutation::FlipByte,
        Mutation::InsertMultibyte,
        Mutation::Bom,
        Mutation::DuplicateLine,
        Mutation::DeleteLine,
        Mutation::Truncate,
        Mutation::Utf16,
        Mutation::Directory,
        Mutation::LinkToSibling,
        Mutation::LinkOutside,
        Mutation::DanglingLink,
    ];

    /// Whether the fault is inside the file's text (an input error must then have a place).
    fn inside_text(self) -> bool {
        matches!(
            self,
            Mutation::FlipByte
                | Mutation::InsertMultibyte
                | Mutation::Bom
                | Mutation::DuplicateLine
                | Mutation::DeleteLine
                | Mutation::Truncate
        )
    }
}

/// Apply `mutation` to `rel` in the tree written at `dir`.
fn mutate(
    dir: &Path,
    outside: &Path,
    rel: &str,
    others: &[&String],
    mutation: Mutation,
    rng: &mut Rng,
) {
    let path = dir.join(rel);
    let bytes = fs::read(&path).unwrap();
    let lines = |bytes: &[u8]| -> Vec<Vec<u8>> {
        bytes
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    let new: Vec<u8> = match mutation {
        Mutation::FlipByte => {
            let mut b = bytes.clone();
            if !b.is_empty() {
                let at = rng.below(b.len());
                b[at] ^= 1 << rng.below(8);
            }
            b
        }
        Mutation::InsertMultibyte => {
            let mut b = bytes.clone();
            let odd = ["é", "\u{2028}", "🦀", "\u{feff}", "\u{0301}"][rng.below(5)];
            // Anywhere, even inside another character.
            let at = rng.below(b.len() + 1);
            b.splice(at..at, odd.bytes());
            b
        }
        Mutation::Bom => {
            let mut b = bytes.clone();
            let boms = 1 + rng.below(2);
            for _ in 0..boms {
                b.splice(0..0, *b"\xef\xbb\xbf");
            }
            if rng.below(3) == 0 {
                b.truncate(3 * boms);
            }
            b
        }
        Mutation::DuplicateLine | Mutation::DeleteLine => {
            let mut ls = lines(&bytes);
            if !ls.is_empty() {
                let at = rng.below(ls.len());
                if matches!(mutation, Mutation::DuplicateLine) {
                    let line = ls[at].clone();
                    ls.insert(at, line);
                } else {
                    ls.remove(at);
                }
            }
            ls.concat()
        }
        Mutation::Truncate => bytes[..rng.below(bytes.len() + 1)].to_vec(),
        Mutation::Utf16 => {
            let text = String::from_utf8_lossy(&bytes);
            let mut b = vec![0xff, 0xfe];
            for unit in text.encode_utf16() {
                b.extend_from_slice(&unit.to_le_bytes());
            }
            b
        }
        Mutation::Directory => {
            fs::remove_file(&path).unwrap();
            fs::create_dir_all(&path).unwrap();
            return;
        }
        Mutation::LinkToSibling | Mutation::LinkOutside | Mutation::DanglingLink => {
            fs::remove_file(&path).unwrap();
            let target = match mutation {
                Mutation::LinkToSibling if !others.is_empty() => {
                    dir.join(others[rng.below(others.len())])
                }
                Mutation::LinkOutside => {
                    let target = outside.join(rel.replace('/', "_"));
                    fs::write(&target, &bytes).unwrap();
                    target
                }
                _ => dir.join("does/not/exist"),
            };
            std::os::unix::fs::symlink(target, &path).unwrap();
            return;
        }
    };
    fs::write(&path, new).unwrap();
}

/// `path:line:col` somewhere in `text`.
fn has_any_location(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| {
        bytes[i] == b':' && {
            let digits = |from: usize| {
                bytes[from..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count()
            };
            let line = digits(i + 1);
            line > 0
                && bytes.get(i + 1 + line) == Some(&b':')
                && digits(i + 2 + line) > 0
                && i > 0
                && !bytes[i - 1].is_ascii_digit()
        }
    })
}

#[test]
fn mutation_fuzzing() {
    let seed = env_number("RELEASE_POLICY_SEED", 19);
    let count = env_number("RELEASE_POLICY_MUTATIONS", 240);
    let mut rng = Rng::new(seed ^ 0x5EED);
    let bases: Vec<(String, BTreeMap<String, Vec<u8>>)> = bases();
    let mut by_mutation: BTreeMap<String, usize> = BTreeMap::new();
    let (mut runs, mut failures) = (0, 0);
    for round in 0..count {
        let (name, files) = &bases[rng.below(bases.len())];
        let files = variant(files, &mut rng);
        let names: Vec<&String> = files.keys().collect();
        let manifests: Vec<&String> = names.iter().copied().filter(|r| is_manifest(r)).collect();
        let pool = if manifests.is_empty() || rng.below(5) == 0 {
            &names
        } else {
            &manifests
        };
        let rel = pool[rng.below(pool.len())].clone();
        let mutation = Mutation::ALL[rng.below(Mutation::ALL.len())];
        *by_mutation.entry(format!("{mutation:?}")).or_default() += 1;
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("repo");
        let outside = temp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        write_tree(&dir, &files);
        let others: Vec<&String> = names.iter().copied().filter(|n| **n != rel).collect();
        mutate(&dir, &outside, &rel, &others, mutation, &mut rng);
        let context = format!("round {round} (seed {seed}): {name}, {mutation:?} of `{rel}`");
        for args in [
            &["check"][..],
            &["bump", "minor"],
            &["--format", "json", "sync"],
        ] {
            runs += 1;
            let before = fingerprint(&dir);
            let output = run(&dir, args);
            let err = stderr(&output);
            assert_ne!(
                output.status.code(),
                Some(101),
                "{context} {args:?}: panic\n{err}"
            );
            assert!(!err.contains("panicked"), "{context} {args:?}\n{err}");
            if output.status.success() {
                continue;
            }
            failures += 1;
            assert!(
                fingerprint(&dir) == before,
                "{context} {args:?}: exit {:?} changed the tree\n{err}",
                output.status.code()
            );
            // (`cargo metadata`'s own errors are relayed as cargo words them: not located.)
            if output.status.code() == Some(2)
                && mutation.inside_text()
                && err.contains(rel.as_str())
                && !err.contains("`cargo metadata` failed")
            {
                assert!(
                    has_any_location(&err),
                    "{context} {args:?}: no location\n{err}"
                );
            }
        }
    }
    eprintln!(
        "mutation: {count} mutated trees, {runs} runs ({failures} non-zero), seed {seed}: {by_mutation:?}"
    );
}
