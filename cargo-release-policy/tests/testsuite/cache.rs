#![cfg(unix)]
//! `check` remembers a passing answer and gives it again only while nothing it read or
//! looked into changed: a drifted manifest, a new manifest matching a glob, or a new
//! lockfile beside a manifest is never answered from the cache.
//!
//! Files younger than two seconds are not trusted (git's racily-clean rule), so the test
//! waits that long before each answer it wants remembered.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::support::{project_root, tree, write_tree};

struct Run {
    ok: bool,
    cached: bool,
    stderr: String,
}

fn check(root: &Path, cache: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "check"])
        .args(extra)
        .current_dir(root)
        .env("XDG_CACHE_HOME", cache)
        .env("RELEASE_POLICY_TIMINGS", "1")
        .env_remove("RELEASE_POLICY_CACHE")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    Run {
        ok: out.status.success(),
        cached: stderr.contains("timing: cached"),
        stderr: stderr
            .lines()
            .filter(|l| !l.starts_with("timing: "))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Long enough for every file just written to be trusted.
fn settle() {
    std::thread::sleep(Duration::from_millis(2_200));
}

#[test]
fn a_passing_check_is_remembered_until_anything_it_read_changes() {
    let temp = tempfile::tempdir().unwrap();
    let cache_home = tempfile::tempdir().unwrap();
    let (root, cache) = (temp.path(), cache_home.path());
    write_tree(root, &tree(&project_root().join("examples/polyglot-sdk")));

    // Just written: checked in full, and not remembered.
    let first = check(root, cache, &[], &[]);
    assert!(first.ok && !first.cached, "{}", first.stderr);
    let again = check(root, cache, &[], &[]);
    assert!(
        again.ok && !again.cached,
        "too recent to trust: {}",
        again.stderr
    );

    settle();
    let full = check(root, cache, &[], &[]);
    assert!(full.ok && !full.cached, "{}", full.stderr);
    let hit = check(root, cache, &[], &[]);
    assert!(hit.ok && hit.cached, "{}", hit.stderr);
    assert_eq!(
        hit.stderr, full.stderr,
        "the remembered output is the output"
    );
    assert!(
        cache
            .join("cargo-release-policy")
            .read_dir()
            .unwrap()
            .count()
            == 1,
        "one file per key"
    );

    // Other arguments are another key; --no-cache and RELEASE_POLICY_CACHE=off check in full.
    assert!(!check(root, cache, &["--strict"], &[]).cached);
    assert!(!check(root, cache, &["--no-cache"], &[]).cached);
    assert!(!check(root, cache, &[], &[("RELEASE_POLICY_CACHE", "off")]).cached);
    assert!(!check(root, cache, &["--format", "json"], &[]).cached);
    assert!(check(root, cache, &[], &[]).cached);

    // A drifted manifest: same length, so only its times tell.
    let npm = root.join("bindings/node/npm/linux-x64-gnu/package.json");
    let text = std::fs::read_to_string(&npm).unwrap();
    std::fs::write(&npm, text.replace("\"1.4.0\"", "\"1.4.9\"")).unwrap();
    let drift = check(root, cache, &[], &[]);
    assert!(!drift.ok && !drift.cached, "{}", drift.stderr);
    std::fs::write(&npm, &text).unwrap();

    settle();
    assert!(!check(root, cache, &[], &[]).cached);
    assert!(check(root, cache, &[], &[]).cached);

    // A new package matching `bindings/node/npm/*/package.json`, out of lockstep.
    let new = root.join("bindings/node/npm/linux-arm64-gnu");
    std::fs::create_dir(&new).unwrap();
    std::fs::write(
        new.join("package.json"),
        "{\n  \"name\": \"@polyglot-sdk/node-linux-arm64-gnu\",\n  \"version\": \"1.3.0\"\n}\n",
    )
    .unwrap();
    let added = check(root, cache, &[], &[]);
    assert!(!added.ok && !added.cached, "{}", added.stderr);
    assert!(added.stderr.contains("linux-arm64-gnu"), "{}", added.stderr);
    std::fs::remove_dir_all(&new).unwrap();

    settle();
    assert!(!check(root, cache, &[], &[]).cached);
    assert!(check(root, cache, &[], &[]).cached);

    // A manifest appearing in a directory the glob reached before, which held none: its
    // name was not asked for, but the directory it appears in is watched.
    let bare = root.join("bindings/node/npm/linux-arm64-musl");
    std::fs::create_dir(&bare).unwrap();
    std::fs::write(bare.join("README.md"), "not yet a package\n").unwrap();
    settle();
    assert!(!check(root, cache, &[], &[]).cached);
    assert!(check(root, cache, &[], &[]).cached);
    std::fs::write(
        bare.join("package.json"),
        "{\n  \"name\": \"@polyglot-sdk/node-linux-arm64-musl\",\n  \"version\": \"1.3.0\"\n}\n",
    )
    .unwrap();
    let appeared = check(root, cache, &[], &[]);
    assert!(!appeared.ok && !appeared.cached, "{}", appeared.stderr);
    assert!(
        appeared.stderr.contains("linux-arm64-musl"),
        "{}",
        appeared.stderr
    );
    std::fs::remove_dir_all(&bare).unwrap();

    settle();
    assert!(!check(root, cache, &[], &[]).cached);
    assert!(check(root, cache, &[], &[]).cached);

    // A lockfile appearing beside a manifest: it joins the group, and its stale version
    // fails the check.
    let lock = root.join("bindings/node/npm/linux-x64-gnu/package-lock.json");
    std::fs::write(
        &lock,
        "{\n  \"name\": \"@polyglot-sdk/node-linux-x64-gnu\",\n  \"version\": \"1.3.0\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n      \"name\": \"@polyglot-sdk/node-linux-x64-gnu\",\n      \"version\": \"1.3.0\"\n    }\n  }\n}\n",
    )
    .unwrap();
    let locked = check(root, cache, &[], &[]);
    assert!(!locked.ok && !locked.cached, "{}", locked.stderr);
}
