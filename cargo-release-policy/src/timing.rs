//! Where the time goes: with `RELEASE_POLICY_TIMINGS=1` set, each phase of a run prints its
//! wall-clock time to stderr (`timing: discover 12.3 ms`). For profiling, as in
//! docs/performance.md; silent otherwise, and costs one check of a cached flag.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

fn state() -> Option<&'static Mutex<Instant>> {
    static STATE: OnceLock<Option<Mutex<Instant>>> = OnceLock::new();
    STATE
        .get_or_init(|| {
            std::env::var_os("RELEASE_POLICY_TIMINGS").map(|_| Mutex::new(Instant::now()))
        })
        .as_ref()
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
        let now = Instant::now();
        eprintln!(
            "timing: {name} {:.1} ms",
            now.duration_since(*last).as_secs_f64() * 1000.0
        );
        *last = now;
    }
}
