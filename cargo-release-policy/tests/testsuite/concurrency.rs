//! Two processes writing one repository: one wins, the other refuses, and the result is one
//! consistent bump. A file changed by someone else while a bump runs stops the bump.
//!
//! The `hold:MS` fault (debug builds) makes a run wait, holding the lock, between planning
//! and writing: the window in which another process can interfere, made wide enough to test.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, project_root, tree};

const LOCK: &str = ".release-policy.lock";

fn example() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&project_root().join("examples/polyglot-sdk"), temp.path());
    temp
}

fn bump(dir: &Path, fault: Option<&str>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"));
    command
        .args(["release-policy", "bump", "minor"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RELEASE_POLICY_FAULT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(fault) = fault {
        command.env("RELEASE_POLICY_FAULT", fault);
    }
    command.spawn().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The tree after one `bump minor` of the example.
fn one_bump() -> BTreeMap<String, Vec<u8>> {
    let reference = example();
    let output = bump(reference.path(), None).wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    tree(reference.path())
}

/// Wait until `path` exists (the other process holds the lock).
fn wait_for(path: &Path) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Two `bump minor` started at the same moment, a few times over: each time exactly one
/// bumps and the other refuses (it finds the lock, or the files it read already changed),
/// and the tree is exactly one bump of the example, with no lock or temporary file left.
///
/// Both hold the lock a second before writing (`hold:1000`): on a loaded machine one
/// process may otherwise finish before the other has even started reading, and two bumps
/// one after the other are two correct bumps, not a race.
#[test]
fn two_bumps_at_once_make_one_bump() {
    let expected = one_bump();
    for round in 0..5 {
        let repo = example();
        let first = bump(repo.path(), Some("hold:1000"));
        let second = bump(repo.path(), Some("hold:1000"));
        let outputs = [
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        ];
        let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
        let both = format!(
            "round {round}: {codes:?}\n--- first\n{}\n--- second\n{}",
            stderr(&outputs[0]),
            stderr(&outputs[1])
        );
        let refused: Vec<&Output> = outputs
            .iter()
            .filter(|o| o.status.code() == Some(1))
            .collect();
        assert_eq!(refused.len(), 1, "{both}");
        assert!(outputs.iter().any(|o| o.status.success()), "{both}");
        let message = stderr(refused[0]);
        assert!(
            message.contains("is writing this repository")
                || message.contains("changed on disk since it was read"),
            "{both}"
        );
        assert!(message.contains("nothing was written"), "{both}");
        assert!(
            tree(repo.path()) == expected,
            "round {round}: not one bump\n{both}"
        );
    }
}

/// While one bump holds the lock, another refuses at once, naming the holder's process.
#[test]
fn a_bump_refuses_while_another_holds_the_lock() {
    let expected = one_bump();
    let repo = example();
    let holder = bump(repo.path(), Some("hold:2000"));
    let pid = holder.id();
    wait_for(&repo.path().join(LOCK));
    let second = bump(repo.path(), None).wait_with_output().unwrap();
    let message = stderr(&second);
    assert_eq!(second.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!(
            "another run of `cargo release-policy` is writing this repository (`{}` is locked by process {pid}); nothing was written",
            repo.path().join(LOCK).display()
        )),
        "{message}"
    );
    assert!(message.contains("wait for the other run to finish"));
    let first = holder.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(tree(repo.path()) == expected, "not one bump");
}

/// A file changed between the bump's reading and its writing stops the whole bump: nothing
/// is written, the other process's change stays.
#[test]
fn a_file_changed_during_a_bump_stops_it() {
    let repo = example();
    let before = tree(repo.path());
    let holder = bump(repo.path(), Some("hold:1000"));
    wait_for(&repo.path().join(LOCK));
    let edited = "bindings/node/npm/win32-x64-msvc/package.json";
    let text = fs::read_to_string(repo.path().join(edited)).unwrap();
    let changed = text.replace("\"license\"", "\"private\": true,\n\t\"license\"");
    assert_ne!(changed, text);
    let text = changed;
    fs::write(repo.path().join(edited), &text).unwrap();
    let output = holder.wait_with_output().unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!(
            "`{edited}` changed on disk since it was read; nothing was written"
        )),
        "{message}"
    );
    let mut expected = before;
    expected.insert(edited.to_string(), text.into_bytes());
    assert!(tree(repo.path()) == expected, "files changed");
}
