//! Colour as cargo does it: `--color`, then `CARGO_TERM_COLOR`, then the terminal (and
//! `NO_COLOR`) — for the tool's own output and for clap's help and errors alike.

use std::process::{Command, Output};

use crate::support::project_root;

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"));
    command
        .arg("release-policy")
        .args(args)
        .current_dir(project_root().join("examples/polyglot-sdk"))
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn coloured(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn cargo_term_color_colours_the_output_into_a_pipe() {
    let plain = run(&["check"], &[]);
    assert!(plain.status.success());
    assert!(!coloured(&plain.stderr), "a pipe gets no colour by default");
    let always = run(&["check"], &[("CARGO_TERM_COLOR", "always")]);
    assert!(
        coloured(&always.stderr),
        "{}",
        String::from_utf8_lossy(&always.stderr)
    );
    // `--color` wins over the variable.
    let never = run(
        &["check", "--color", "never"],
        &[("CARGO_TERM_COLOR", "always")],
    );
    assert!(!coloured(&never.stderr));
}

#[test]
fn clap_errors_follow_the_colour_choice() {
    let always = run(&["--color", "always", "chek"], &[]);
    assert_eq!(always.status.code(), Some(2));
    assert!(
        coloured(&always.stderr),
        "{}",
        String::from_utf8_lossy(&always.stderr)
    );
    let never = run(
        &["--color=never", "chek"],
        &[("CARGO_TERM_COLOR", "always")],
    );
    assert_eq!(never.status.code(), Some(2));
    assert!(
        !coloured(&never.stderr),
        "{}",
        String::from_utf8_lossy(&never.stderr)
    );
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    let out = run(&["-q", "-v", "show"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
