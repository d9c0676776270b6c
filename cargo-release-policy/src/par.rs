//! Independent work — reading and parsing hundreds of files — spread over the machine's cores.
//!
//! Measured on the benchmark's 2 shared cores (docs/performance.md), two threads against one:
//! `check` of 2,000 manifests 0.08 s against 0.10 s, of 10,000 0.40 s against 0.57 s; `bump`
//! of 2,000 0.13 s against 0.23 s. Below [`MIN_ITEMS`] items the threads cost more than they
//! save. `RELEASE_POLICY_THREADS=1` runs everything on one thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Fewer items than this run on the calling thread.
const MIN_ITEMS: usize = 64;

/// At most this many threads, whatever the machine has.
const MAX_THREADS: usize = 8;

/// The threads to use: one per core (at most [`MAX_THREADS`]), or `RELEASE_POLICY_THREADS`
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
    // Each result is written once, straight into its slot: results can be large (a parsed
    // file), and every copy of them touches fresh pages, which cost a fault each here.
    let slots: Vec<Mutex<Option<R>>> = std::iter::repeat_with(|| Mutex::new(None))
        .take(items.len())
        .collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let (Some(item), Some(slot)) = (items.get(index), slots.get(index)) else {
            break;
        };
        let result = f(item);
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        work();
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect()
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
