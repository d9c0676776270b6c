//! Where the time goes: with `RELEASE_POLICY_TIMINGS=1` set, each phase of a run prints its
//! wall-clock time to stderr (`timing: discover 12.3 ms`), and on Linux the CPU time all
//! of the process's threads spent in it (`cpu 20.1 ms`: twice the wall time is both cores
//! busy). For profiling, as in docs/performance.md; silent otherwise, and costs one check of
//! a cached flag.

use std::io::Write as _;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// When the previous phase ended, and the CPU time used by then.
type Mark = (Instant, Option<u64>);

fn state() -> Option<&'static Mutex<Mark>> {
    static STATE: OnceLock<Option<Mutex<Mark>>> = OnceLock::new();
    STATE
        .get_or_init(|| {
            std::env::var_os("RELEASE_POLICY_TIMINGS")
                .map(|_| Mutex::new((Instant::now(), cpu_ns())))
        })
        .as_ref()
}

/// Nanoseconds on a CPU, summed over the process's threads (Linux's per-thread
/// `schedstat`); `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    let mut total = 0;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        total = stat
            .split_whitespace()
            .next()?
            .parse::<u64>()
            .ok()?
            .saturating_add(total);
    }
    Some(total)
}

/// Start the clock (the first phase is timed from here).
pub fn start() {
    let _ = state();
}

/// The phase called `name` ended now: print the time since the previous one ended.
pub fn phase(name: &str) {
    if let Some(last) = state() {
        let mut last = last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = (Instant::now(), cpu_ns());
        let cpu = match (now.1, last.1) {
            #[allow(clippy::cast_precision_loss)] // nanoseconds, printed to 0.1 ms
            // Saturating: a thread that ended since takes its CPU time out of the sum.
            (Some(now), Some(then)) => {
                format!(" (cpu {:.1} ms)", now.saturating_sub(then) as f64 / 1e6)
            }
            _ => String::new(),
        };
        // Not `eprintln!`, which panics when stderr is closed: timings are best effort.
        let _ = writeln!(
            std::io::stderr(),
            "timing: {name} {:.1} ms{cpu}",
            now.0.duration_since(last.0).as_secs_f64() * 1000.0
        );
        *last = (Instant::now(), cpu_ns());
    }
}
