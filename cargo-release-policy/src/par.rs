//! Independent work — reading and parsing hundreds of files — spread over the machine's cores
//! (two threads against one, and the pool against fresh threads: docs/performance.md, "All
//! cores, one pool"). Below `MIN_ITEMS` items the threads cost more than they save.
//! `RELEASE_POLICY_THREADS=1` runs everything on one thread.
//!
//! The threads are rayon's, started once per process: a `check` maps a dozen times, and
//! spawning fresh threads for each map (as this module first did) cost more than it saved,
//! mostly waiting for a new thread to be scheduled on a busy core.

use rayon::prelude::*;
use std::sync::OnceLock;

/// Fewer items than this run on the calling thread.
const MIN_ITEMS: usize = 64;

/// At most this many threads, whatever the machine has.
const MAX_THREADS: usize = 8;

/// The threads to use: one per core (at most `MAX_THREADS`), or `RELEASE_POLICY_THREADS`
/// (`1` runs everything on the calling thread, as the benchmark does to compare).
/// Asked once per process: `available_parallelism` reads three cgroup files each time
/// (a dozen system calls).
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        let cores = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_THREADS);
        std::env::var("RELEASE_POLICY_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n >= 1)
            .unwrap_or(cores)
    })
}

/// `f` applied to every item, on up to as many threads as the machine has cores; the results
/// come back in `items`' order. A panic in `f` is propagated.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < MIN_ITEMS {
        return items.iter().map(f).collect();
    }
    run(items, f, threads())
}

/// [`map`] for a few items that each take long (walking a directory tree): one thread per
/// item, up to the number of cores.
pub fn map_few<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    run(items, f, threads().min(items.len()))
}

fn run<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync, threads: usize) -> Vec<R> {
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    match pool() {
        // One item per task: items are few and uneven (a 10 MB lockfile beside small
        // manifests), and a task is a whole file's work.
        Some(pool) => {
            let f = &f;
            pool.install(|| items.par_iter().with_max_len(1).map(f).collect())
        }
        None => items.iter().map(f).collect(),
    }
}

static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();

/// The process's pool of [`threads`] threads; `None` when the threads cannot be started
/// (then everything runs on the calling thread).
fn pool() -> Option<&'static rayon::ThreadPool> {
    POOL.get_or_init(|| build(false)).as_ref()
}

fn build(with_current_thread: bool) -> Option<rayon::ThreadPool> {
    let builder = rayon::ThreadPoolBuilder::new()
        .num_threads(threads())
        .thread_name(|i| format!("release-policy-{i}"));
    let builder = if with_current_thread {
        builder.use_current_thread()
    } else {
        builder
    };
    builder.build().ok()
}

/// Make the calling thread (the binary's main thread, which only waits while a map runs)
/// one of the pool's threads: one thread fewer to start and to wake up. Call it first thing
/// in `main`; without it the pool is built on first use, of threads of its own.
pub fn join_pool_from_main() {
    if threads() > 1 {
        let _ = POOL.get_or_init(|| build(true));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        let out = super::map(&items, |i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        let few = super::map(&items[..3], |i| i + 1);
        assert_eq!(few, [1, 2, 3]);
    }
}
