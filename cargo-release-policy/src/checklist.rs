//! The release checklist: the policy's `checks`, run in order before a release is committed
//! or tagged. Each check is an argument vector run through `xshell` (no shell), with the
//! release's versions in its environment. Its whole output (stdout and stderr, as they came)
//! goes to a log file in `<target dir>/release-policy/checklist/` ([`log_dir`]), kept when the
//! check fails (or with `-v`) and its path printed; the terminal shows the last lines.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead as _, BufReader, Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use policy_schema::Check;

use crate::diagnostic::Diagnostic;
use crate::group::Group;
use crate::printer::{Printer, Spinner};
use crate::style::{ERROR, GOOD};
use release_policy_version::{Ecosystem, Version};

/// How many lines of a check's output are kept to show.
const TAIL: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    #[error("check `{name}`: failed to start `{program}`: {message}")]
    Start {
        name: String,
        program: String,
        message: String,
    },
}

impl Diagnostic for ChecklistError {}

/// The outcome of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub command: String,
    pub success: bool,
    pub code: Option<i32>,
    pub duration: Duration,
    /// The last lines of its output (stdout and stderr, interleaved as they came).
    pub tail: Vec<String>,
    /// How many lines it wrote in all.
    pub lines: usize,
    /// The log of its whole output, when kept (a failure, or `-v`).
    pub log: Option<PathBuf>,
}

/// Where the checks' logs go: `release-policy/checklist/` in cargo's target directory
/// (`CARGO_TARGET_DIR`, else `target/` beside the workspace's root Cargo.toml), which cargo
/// projects keep out of git and `cargo clean` empties.
pub fn log_dir(workspace_root: &Path) -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => std::env::current_dir().unwrap_or_default().join(dir),
        _ => workspace_root.join("target"),
    };
    target.join("release-policy").join("checklist")
}

/// The log file of the `index`th check `name` of `group`: one per check, the last run's.
fn log_path(dir: &Path, group: &str, index: usize, name: &str) -> PathBuf {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    dir.join(format!(
        "{}-{:02}-{}.log",
        clean(group),
        index + 1,
        clean(name)
    ))
}

/// The environment a check sees.
pub fn environment(group: &Group, version: &Version, prev: &Version) -> Vec<(String, String)> {
    let spell = |eco| group.spelling.render(version, eco).unwrap_or_default();
    vec![
        ("RELEASE_POLICY_VERSION".into(), version.to_string()),
        ("RELEASE_POLICY_PREV_VERSION".into(), prev.to_string()),
        ("RELEASE_POLICY_PEP440".into(), spell(Ecosystem::Pep440)),
        ("RELEASE_POLICY_NUGET".into(), spell(Ecosystem::NuGet)),
        ("RELEASE_POLICY_GROUP".into(), group.name.clone()),
    ]
}

/// Where a check runs: `dir` relative to the directory of the Cargo.toml holding the table.
fn directory(base: &Path, check: &Check) -> PathBuf {
    match &check.dir {
        Some(dir) => base.join(dir),
        None => base.to_path_buf(),
    }
}

/// Where and for which group a checklist runs.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The directory of the Cargo.toml holding the table (a check's `dir` is relative to it).
    pub base: &'a Path,
    /// The directory the logs go to ([`log_dir`]).
    pub logs: &'a Path,
    pub group: &'a str,
}

/// Run `checks` in order, stopping at the first failure. On a terminal (and unless
/// `--quiet`), a spinner per check shows the tail of its output; otherwise one plain line
/// per check goes to stderr. Each check's output is logged; the log is kept when it fails,
/// or with `-v`, and its path printed.
pub fn run(
    checks: &[Check],
    place: Place<'_>,
    env: &[(String, String)],
    printer: &Printer,
) -> Result<Vec<Outcome>, ChecklistError> {
    let tasks = printer.tasks();
    let mut outcomes = Vec::new();
    for (index, check) in checks.iter().enumerate() {
        let command = crate::shell_quote::join(&check.run);
        let spinner = tasks.spinner(&check.name);
        if spinner.is_none() {
            printer.info(&format!("{:>12} {} (`{command}`)\n", "Running", check.name));
        }
        let log = open_log(printer, place, index, &check.name);
        let mut outcome = run_one(check, place.base, env, spinner.as_ref(), log.as_ref())?;
        if let Some(spinner) = &spinner {
            spinner.finish();
        }
        outcome.log = log.and_then(|(path, _)| {
            if outcome.success && printer.verbose() == 0 {
                // A passing check's output is not kept without `-v`.
                let _ = std::fs::remove_file(&path);
                None
            } else {
                Some(path)
            }
        });
        report(printer, &outcome);
        let failed = !outcome.success;
        outcomes.push(outcome);
        if failed {
            break;
        }
    }
    Ok(outcomes)
}

/// `Passed NAME in 1.2s` (green) or `Failed NAME in 1.2s, exit 3` (red), and a passing
/// check's log path when it is kept (`-v`).
fn report(printer: &Printer, outcome: &Outcome) {
    let code = match (outcome.success, outcome.code) {
        (false, Some(code)) => format!(", exit {code}"),
        (false, None) => ", killed by a signal".to_string(),
        (true, _) => String::new(),
    };
    let (style, verdict) = if outcome.success {
        (GOOD, "Passed")
    } else {
        (ERROR, "Failed")
    };
    let message = format!(
        "{} in {:.1}s{code}",
        outcome.name,
        outcome.duration.as_secs_f64()
    );
    if outcome.success {
        printer.info(&format!("{style}{verdict:>12}{style:#} {message}\n"));
    } else {
        // A failure is printed even with `--quiet`.
        printer.err(&format!("{style}{verdict:>12}{style:#} {message}\n"));
    }
    // A failure's log is named after its last lines (by the caller, who shows them).
    if let Some(log) = outcome.log.as_ref().filter(|_| outcome.success) {
        printer.info(&log_line(log));
    }
}

/// `         Log PATH`: where a check's whole output is kept.
pub fn log_line(log: &Path) -> String {
    format!("{GOOD}{:>12}{GOOD:#} {}\n", "Log", log.display())
}

/// A log file for the `index`th check, created empty; `None` (with a warning) when it
/// cannot be: the check runs all the same, its last lines shown.
fn open_log(
    printer: &Printer,
    place: Place<'_>,
    index: usize,
    name: &str,
) -> Option<(PathBuf, Mutex<File>)> {
    let path = log_path(place.logs, place.group, index, name);
    let created = std::fs::create_dir_all(place.logs).and_then(|()| File::create(&path));
    match created {
        Ok(file) => Some((path, Mutex::new(file))),
        Err(e) => {
            printer.warning(
                &format!(
                    "check `{name}`: its output cannot be logged to `{}`: {e}",
                    path.display()
                ),
                Some("only its last lines are shown; set `CARGO_TARGET_DIR` to a writable directory to keep the log"),
            );
            None
        }
    }
}

fn run_one(
    check: &Check,
    base: &Path,
    env: &[(String, String)],
    spinner: Option<&Spinner>,
    log: Option<&(PathBuf, Mutex<File>)>,
) -> Result<Outcome, ChecklistError> {
    let start_error = |message: String| ChecklistError::Start {
        name: check.name.clone(),
        program: check.run.first().cloned().unwrap_or_default(),
        message,
    };
    let sh = xshell::Shell::new().map_err(|e| start_error(e.to_string()))?;
    sh.change_dir(directory(base, check));
    let (program, args) = check
        .run
        .split_first()
        .ok_or_else(|| start_error("`run` is empty".to_string()))?;
    let cmd = sh
        .cmd(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut command = Command::from(cmd);
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| start_error(e.to_string()))?;
    let collected = Mutex::new(Collected::default());
    let streams: Vec<Box<dyn Read + Send>> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .collect();
    let log = log.map(|(_, file)| file);
    let status = std::thread::scope(|scope| {
        for stream in streams {
            let collected = &collected;
            scope.spawn(move || collect(stream, collected, log));
        }
        loop {
            if let Some(status) = child.try_wait().map_err(|e| start_error(e.to_string()))? {
                break Ok(status);
            }
            if let Some(spinner) = spinner {
                if let Some(last) = collected.lock().ok().and_then(|c| c.tail.back().cloned()) {
                    spinner.set_message(last);
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    })?;
    let collected = collected.into_inner().unwrap_or_default();
    Ok(Outcome {
        name: check.name.clone(),
        command: crate::shell_quote::join(&check.run),
        success: status.success(),
        code: status.code(),
        duration: started.elapsed(),
        tail: collected.tail.into(),
        lines: collected.lines,
        log: None,
    })
}

/// What the readers of a check's output keep: the last [`TAIL`] lines and the count.
#[derive(Debug, Default)]
struct Collected {
    tail: VecDeque<String>,
    lines: usize,
}

/// Read `stream` line by line to its end: each line (bytes as they came) into the log, and
/// (as text, invalid UTF-8 replaced) into the tail.
fn collect(stream: impl Read, collected: &Mutex<Collected>, log: Option<&Mutex<File>>) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if let Some(mut file) = log.and_then(|l| l.lock().ok()) {
            let _ = file.write_all(&line);
            if !line.ends_with(b"\n") {
                let _ = file.write_all(b"\n");
            }
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']).to_string();
        if let Ok(mut collected) = collected.lock() {
            collected.lines += 1;
            collected.tail.push_back(text);
            if collected.tail.len() > TAIL {
                collected.tail.pop_front();
            }
        }
    }
}
