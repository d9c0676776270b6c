//! Output at scale: a generated repository of 30,001 manifests (issue 23). Without `-v`,
//! `bump --dry-run` fits in a screenful (the files counted, not listed, the diffs left to
//! `-v`); on a terminal, loading shows a bar of the files read, never an empty `0/0`.

use std::fs;
use std::path::Path;
use std::process::Command;

/// A Cargo workspace whose policy lists `packages` npm packages, all at its version.
fn generate(root: &Path, packages: usize) {
    fs::create_dir_all(root.join("core/src")).unwrap();
    fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"core\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"1.0.0\"\n\n[workspace.metadata.release]\nmanifests = [\"npm/*/package.json\"]\n",
    )
    .unwrap();
    fs::write(
        root.join("core/Cargo.toml"),
        "[package]\nname = \"core\"\nversion.workspace = true\nedition = \"2021\"\n",
    )
    .unwrap();
    fs::write(root.join("core/src/lib.rs"), "").unwrap();
    for i in 0..packages {
        let dir = root.join(format!("npm/package-{i:05}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("package.json"),
            format!("{{\n  \"name\": \"@scale/package-{i:05}\",\n  \"version\": \"1.0.0\"\n}}\n"),
        )
        .unwrap();
    }
}

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"));
    command.arg("release-policy").env("NO_COLOR", "1");
    command
}

#[test]
fn thirty_thousand_files() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    generate(root, 30_000);

    let out = bin()
        .args(["bump", "minor", "--dry-run"])
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // A screenful: a few short lines, the files counted.
    let lines: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
    assert!(lines.len() <= 24, "{} lines: {stderr}", lines.len());
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "{stderr}");
    assert!(
        stderr.contains("Would update 30,001 files in 1 group (every path with `-v`)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: the diffs of 30,001 files are not shown"),
        "{stderr}"
    );

    // On a terminal (a pseudo-terminal made by `script`): the bar counts the files read.
    let shell_command = format!(
        "'{}' release-policy check --no-cache",
        env!("CARGO_BIN_EXE_cargo-release-policy")
    );
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &shell_command, "/dev/null"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .output()
        .unwrap();
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{seen}");
    assert!(seen.contains("reading manifests ["), "{seen}");
    assert!(
        seen.contains("/30,001 files") || seen.contains("/30,000 files"),
        "{seen}"
    );
    // The symptom of issue 23: a bar of nothing, `0/0`.
    assert!(!seen.contains(" 0/0 "), "{seen}");
    assert!(seen.contains("Checked 30,00"), "{seen}");
}

#[test]
fn past_a_screenful_the_list_and_the_diffs_are_for_verbose() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    generate(root, 25);
    let run = |args: &[&str]| {
        let out = bin().args(args).current_dir(root).output().unwrap();
        assert!(out.status.success());
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = run(&["bump", "minor", "--dry-run"]);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "note: the diffs of 26 files are not shown\nhelp: pass `-v` to print every diff (as `git apply` takes them)\n  Would bump workspace 1.0.0 → 1.1.0\nWould update 26 files in 1 group (every path with `-v`)\n"
    );
    let (stdout, stderr) = run(&["bump", "minor", "--dry-run", "-v"]);
    assert_eq!(stdout.matches("--- a/").count(), 26, "every diff");
    assert_eq!(
        stderr.matches("\n             npm/package-").count(),
        25,
        "{stderr}"
    );
    // Written: counted too.
    let (_, stderr) = run(&["bump", "minor"]);
    assert!(
        stderr.ends_with("     Updated 26 files in 1 group (every path with `-v`)\n"),
        "{stderr}"
    );
}
