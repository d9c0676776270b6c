#![cfg(target_os = "linux")]
//! No network, no shell: every command runs under `strace -f`, which records each program
//! the process tree starts (`execve`) and each socket it opens. The only program allowed is
//! `cargo` (for `cargo metadata --no-deps --offline`, started directly, not through a
//! shell), and no socket may be opened at all.
//!
//! Needs `strace` (`apt-get install strace`; `scripts/test` installs it).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{copy_dir, project_root};

/// What one traced run did: the programs it started (as `execve` named them, failed
/// attempts of a `PATH` search included), its sockets, and its arguments to `cargo`.
#[derive(Debug, Default)]
struct Trace {
    programs: BTreeSet<String>,
    sockets: Vec<String>,
    cargo_args: Vec<String>,
}

fn traced(dir: &Path, args: &[&str]) -> Trace {
    let log = dir.join("strace.log");
    let output = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-s",
            "256",
            "-e",
            "trace=execve,socket,connect",
        ])
        .arg("-o")
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .arg("release-policy")
        .args(args)
        .current_dir(dir.join("repo"))
        .output()
        .unwrap_or_else(|e| {
            panic!("failed to run `strace` ({e}): install it, e.g. `apt-get install strace`")
        });
    let text = fs::read_to_string(&log).unwrap_or_else(|e| {
        panic!(
            "strace wrote no log ({e}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    fs::remove_file(&log).unwrap();
    let mut trace = Trace::default();
    for line in text.lines() {
        if let Some(rest) = line.split_once("execve(\"").map(|(_, r)| r) {
            let program = rest.split('"').next().unwrap();
            let name = Path::new(program)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if name == "cargo" {
                trace.cargo_args.push(rest.to_string());
            }
            trace.programs.insert(name);
        } else if line.contains("socket(") || line.contains("connect(") {
            trace.sockets.push(line.to_string());
        }
    }
    trace
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs strace: scripts/test runs it (cargo test --features oracles)"
)]
fn no_network_and_no_shell() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    copy_dir(&project_root().join("examples/polyglot-sdk"), &repo);
    let commands: [&[&str]; 8] = [
        &["show"],
        &["check"],
        &["check", "--format", "json"],
        &["sync", "--dry-run"],
        &["bump", "minor", "--pre", "beta", "--dry-run"],
        &["bump", "minor"],
        &["sync"],
        &["schema"],
    ];
    for args in commands {
        let trace = traced(temp.path(), args);
        let allowed: BTreeSet<String> = ["cargo-release-policy", "cargo"]
            .into_iter()
            .map(String::from)
            .collect();
        assert!(
            trace.programs.is_subset(&allowed),
            "{args:?} started {:?}",
            trace.programs
        );
        assert!(
            trace.programs.contains("cargo-release-policy"),
            "strace saw nothing: {trace:?}"
        );
        // Children are traced too. The workspace is resolved from the manifests themselves
        // (cargo metadata is only a fallback), so `check`, which runs on every commit, starts
        // no process at all.
        if args == ["check"] {
            assert!(trace.cargo_args.is_empty(), "{args:?} ran cargo: {trace:?}");
        }
        assert!(trace.sockets.is_empty(), "{args:?}: {:#?}", trace.sockets);
        for call in &trace.cargo_args {
            assert!(
                call.contains("\"metadata\"")
                    && call.contains("\"--no-deps\"")
                    && call.contains("\"--offline\""),
                "{args:?}: {call}"
            );
        }
    }
    // The traced `bump` did bump: the trace is of real work.
    let cargo_toml = fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    assert!(cargo_toml.contains("version = \"1.5.0\""), "{cargo_toml}");
}
