//! The help that lives outside `--help`: the shell completions (`completions SHELL`) and the
//! man pages of `docs/man/`, both generated from the clap definitions. The man pages are
//! checked in; `SNAPSHOTS=overwrite` rewrites them (snapbox's variable, as for the cases).

use crate::support::project_root;

use std::fs;
use std::path::Path;
use std::process::Command;

use clap::{Args as _, Command as ClapCommand};
use snapbox::assert::{Action, DEFAULT_ACTION_ENV};

fn completions(shell: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "completions", shell])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Source the bash script in `bash` and complete `words` (the last one being typed) as bash
/// would, through the completion registered for the first word.
fn complete(script: &Path, words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{script}' || exit 3
complete -p cargo-release-policy || exit 4
complete -p cargo || exit 5
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
fn=$(complete -p "${{COMP_WORDS[0]}}" | sed -n 's/.*-F \([^ ]*\).*/\1/p')
"$fn" "${{COMP_WORDS[0]}}" "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
echo "${{COMPREPLY[@]}}""#,
        script = script.display(),
        words = quoted.join(" ")
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{words:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn bash_completes_the_binary_and_cargo_release_policy() {
    let temp = tempfile::tempdir().unwrap();
    let script = temp.path().join("cargo-release-policy.bash");
    fs::write(&script, completions("bash")).unwrap();
    // `complete -p` shows both registrations, then the completions themselves.
    let out = complete(&script, &["cargo", "release-policy", "b"]);
    assert!(out.contains("complete -o bashdefault -o default -o nosort -F _cargo_release_policy cargo-release-policy"), "{out}");
    assert!(out.contains("-F _cargo_release_policy_hook cargo"), "{out}");
    assert!(out.ends_with("bump\n"), "{out}");
    let out = complete(&script, &["cargo", "release-policy", "bump", "--dr"]);
    assert!(out.ends_with("--dry-run\n"), "{out}");
    let out = complete(&script, &["cargo", "release-policy", "--format", ""]);
    assert!(out.ends_with("human json\n"), "{out}");
    let out = complete(&script, &["cargo-release-policy", "release-policy", "ch"]);
    assert!(out.ends_with("check checklist\n"), "{out}");
    // Any other `cargo …` is left to the completion cargo had (none here: the default).
    let out = complete(&script, &["cargo", "buil"]);
    assert!(out.ends_with("\n\n") || !out.contains("bump"), "{out}");
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = completions(shell);
        assert!(
            script.contains("cargo-release-policy") && script.contains("checklist"),
            "{shell}: {script}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "completions", "bash", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "JSON is refused, not ignored");
}

/// The man pages as generated now: the command's and one per subcommand.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let command = cargo_release_policy::Cli::augment_args(
        ClapCommand::new("cargo-release-policy").bin_name("cargo release-policy"),
    );
    let temp = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(command, temp.path()).unwrap();
    let mut pages: Vec<(String, Vec<u8>)> = fs::read_dir(temp.path())
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn checked_in_man_pages_are_current() {
    let dir = project_root().join("docs/man");
    let pages = man_pages();
    assert!(pages
        .iter()
        .any(|(n, _)| n == "cargo-release-policy-bump.1"));
    if Action::with_env_var(DEFAULT_ACTION_ENV) == Some(Action::Overwrite) {
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &pages {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let mut checked_in: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    checked_in.sort();
    let names: Vec<&String> = pages.iter().map(|(n, _)| n).collect();
    assert_eq!(
        checked_in.iter().collect::<Vec<_>>(),
        names,
        "docs/man is stale: SNAPSHOTS=overwrite cargo test -p cargo-release-policy --test testsuite help::"
    );
    for (name, bytes) in &pages {
        assert!(
            &fs::read(dir.join(name)).unwrap() == bytes,
            "docs/man/{name} is stale: SNAPSHOTS=overwrite cargo test -p cargo-release-policy --test testsuite help::"
        );
    }
}

#[test]
#[cfg_attr(not(feature = "oracles"), ignore = "needs man (man-db)")]
fn man_pages_render() {
    for entry in fs::read_dir(project_root().join("docs/man")).unwrap() {
        let path = entry.unwrap().path();
        let out = Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", path.display());
        assert!(stderr.is_empty(), "{}: {stderr}", path.display());
        assert!(
            text.contains("NAME") && text.contains("cargo-release-policy"),
            "{text}"
        );
    }
}
