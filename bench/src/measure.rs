//! Timing a command as a whole process, with its peak memory.
//!
//! Each measured command runs under a fresh copy of this benchmark (`bench __measure …`), which
//! starts the clock, spawns the command, waits for it and then reads
//! `getrusage(RUSAGE_CHILDREN).ru_maxrss`: with one child waited for, that is the command's own
//! peak resident set (its children included, e.g. a `cargo metadata` it spawns). The clock covers
//! exactly spawn → exit; the measuring process's own start-up is outside it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use nix::sys::resource::{getrusage, UsageWho};

/// The first argument that makes this binary measure a command instead of benchmarking.
pub const CHILD: &str = "__measure";

/// One run of a command.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub seconds: f64,
    /// Peak resident set size, in KiB (Linux `ru_maxrss`).
    pub max_rss_kib: u64,
}

/// A command line to measure.
#[derive(Debug, Clone)]
pub struct Invocation {
    program: String,
    args: Vec<String>,
}

/// A run's sample, exit code and standard error.
#[derive(Debug)]
pub struct Outcome {
    sample: Sample,
    code: i32,
    stderr: String,
}

impl Outcome {
    /// The sample, or an error showing the command's output when it did not exit with 0.
    pub fn expect_success(self, invocation: &Invocation) -> Result<Sample> {
        if self.code != 0 {
            bail!(
                "`{}` exited with {}:\n{}",
                invocation.display(),
                self.code,
                self.stderr
            );
        }
        Ok(self.sample)
    }
}

impl Invocation {
    pub fn new(program: &str, args: &[&str]) -> Invocation {
        Invocation {
            program: program.to_string(),
            args: args.iter().map(ToString::to_string).collect(),
        }
    }

    pub fn display(&self) -> String {
        let mut parts = vec![self.program.clone()];
        parts.extend(self.args.iter().cloned());
        parts.join(" ")
    }

    /// Run in `dir`, measured by a fresh copy of this binary.
    pub fn run(&self, dir: &Path) -> Result<Outcome> {
        let me = std::env::current_exe()?;
        let output = Command::new(me)
            .arg(CHILD)
            .arg(&self.program)
            .args(&self.args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running `{}`", self.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let parts: Vec<&str> = stdout.split_whitespace().collect();
        let [nanos, rss, code] = parts[..] else {
            bail!(
                "measuring `{}` failed: {}{stderr}",
                self.display(),
                stdout.trim()
            );
        };
        let nanos: u64 = nanos.parse()?;
        Ok(Outcome {
            sample: Sample {
                seconds: std::time::Duration::from_nanos(nanos).as_secs_f64(),
                max_rss_kib: rss.parse()?,
            },
            code: code.parse()?,
            stderr,
        })
    }
}

/// `bench __measure PROGRAM ARGS…`: run the command with stdout discarded and stderr passed
/// through; print `nanoseconds max-rss-KiB exit-code`.
pub fn child(mut args: impl Iterator<Item = String>) -> Result<()> {
    let program = args.next().context("`__measure` needs a program")?;
    let mut command = Command::new(&program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let start = Instant::now();
    let status = command
        .status()
        .with_context(|| format!("spawning `{program}`"))?;
    let elapsed = start.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let code = status.code().unwrap_or(-1);
    println!("{} {} {code}", elapsed.as_nanos(), usage.max_rss());
    Ok(())
}

/// The samples of one command.
#[derive(Debug, Clone)]
pub struct Stats {
    seconds: Vec<f64>,
    peak_kib: u64,
}

impl Stats {
    pub fn new(samples: &[Sample]) -> Stats {
        let mut seconds: Vec<f64> = samples.iter().map(|s| s.seconds).collect();
        seconds.sort_by(f64::total_cmp);
        Stats {
            seconds,
            peak_kib: samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0),
        }
    }

    pub fn median(&self) -> f64 {
        let n = self.seconds.len();
        if n == 0 {
            return 0.0;
        }
        if n % 2 == 1 {
            self.seconds[n / 2]
        } else {
            f64::midpoint(self.seconds[n / 2 - 1], self.seconds[n / 2])
        }
    }

    pub fn min(&self) -> f64 {
        self.seconds.first().copied().unwrap_or(0.0)
    }

    pub fn max(&self) -> f64 {
        self.seconds.last().copied().unwrap_or(0.0)
    }

    /// The largest peak resident set over the runs, in MiB.
    pub fn peak_mib(&self) -> f64 {
        f64::from(u32::try_from(self.peak_kib).unwrap_or(u32::MAX)) / 1024.0
    }
}
