//! The release checklist: the policy's `checks`, run in order before a release is committed
//! or tagged. Each check is an argument vector run through `xshell` (no shell), with the
//! release's versions in its environment.

use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use policy_schema::Check;

use crate::diagnostic::Diagnostic;
use crate::group::Group;
use crate::printer::{Printer, Spinner};
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

/// Run `checks` in order, stopping at the first failure. `base` is the directory of the
/// Cargo.toml holding the table. On a terminal (and unless `--quiet`), a spinner per check
/// shows the tail of its output; otherwise one plain line per check goes to stderr.
pub fn run(
    checks: &[Check],
    base: &Path,
    env: &[(String, String)],
    printer: &Printer,
) -> Result<Vec<Outcome>, ChecklistError> {
    let tasks = printer.tasks();
    let mut outcomes = Vec::new();
    for check in checks {
        let command = check.run.join(" ");
        let spinner = tasks.spinner(&check.name);
        if spinner.is_none() {
            printer.info(&format!("{:>12} {} (`{command}`)\n", "Running", check.name));
        }
        let outcome = run_one(check, base, env, spinner.as_ref())?;
        if let Some(spinner) = &spinner {
            spinner.finish();
        }
        let verdict = if outcome.success { "Passed" } else { "Failed" };
        let code = match (outcome.success, outcome.code) {
            (false, Some(code)) => format!(", exit {code}"),
            (false, None) => ", killed by a signal".to_string(),
            (true, _) => String::new(),
        };
        printer.info(&format!(
            "{:>12} {} in {:.1}s{code}\n",
            verdict,
            outcome.name,
            outcome.duration.as_secs_f64()
        ));
        let failed = !outcome.success;
        outcomes.push(outcome);
        if failed {
            break;
        }
    }
    Ok(outcomes)
}

fn run_one(
    check: &Check,
    base: &Path,
    env: &[(String, String)],
    spinner: Option<&Spinner>,
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
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let readers: Vec<_> = [
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
    .map(|stream| {
        let lines = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                    if lines.len() > TAIL {
                        lines.remove(0);
                    }
                }
            }
        })
    })
    .collect();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| start_error(e.to_string()))? {
            break status;
        }
        if let Some(spinner) = spinner {
            if let Some(last) = lines.lock().ok().and_then(|l| l.last().cloned()) {
                spinner.set_message(last);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    for reader in readers {
        let _ = reader.join();
    }
    let tail = lines.lock().map(|l| l.clone()).unwrap_or_default();
    Ok(Outcome {
        name: check.name.clone(),
        command: check.run.join(" "),
        success: status.success(),
        code: status.code(),
        duration: started.elapsed(),
        tail,
    })
}
