//! Independent work — reading and parsing hundreds of files — spread over the machine's cores.
//!
//! Measured on the benchmark's 2 shared cores (docs/performance.md), two threads against one:
//! `check` of 2,000 manifests 0.08 s against 0.10 s, of 10,000 0.40 s against 0.57 s; `bump`
//! of 2,000 0.13 s against 0.23 s. Below [`MIN_ITEMS`] items the threads cost more than they
//! save. `RELEASE_POLICY_THREADS=1` runs everything on one thread.
//!
//! The threads are rayon's, started once per process: a `check` maps a dozen times, and
//! spawning fresh threads for each map (as this module first did) cost 4 ms of 36 at 2,000
//! manifests, mostly waiting for a new thread to be scheduled on a busy core.

use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};

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

/// `f` applied to every item on all cores, handed to `consume` on the calling thread as an
/// iterator of the results in `items`' order: each comes as soon as it (and every one
/// before it) is computed, while the other threads go on with the items after it, so the
/// caller's serial work on the first results overlaps the computing of the rest. While the
/// next result is not ready the calling thread computes items itself (it waits only when
/// every item is started). Items not started when `consume` returns are never computed.
/// A panic in `f` is propagated, when its result is reached or once `consume` returns.
/// On one thread (or for fewer than [`MIN_ITEMS`] items) each item is computed when the
/// iterator reaches it.
pub fn map_streamed<T: Sync, R: Send, O>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    consume: impl FnOnce(&mut dyn Iterator<Item = R>) -> O,
) -> O {
    let threads = threads();
    let pool = if items.len() < MIN_ITEMS || threads <= 1 {
        None
    } else {
        pool()
    };
    let Some(pool) = pool else {
        return consume(&mut items.iter().map(f));
    };
    let shared = Stream {
        items,
        f,
        next: AtomicUsize::new(0),
        done: Mutex::new(Done {
            results: std::iter::repeat_with(|| None).take(items.len()).collect(),
            waiting: false,
        }),
        ready: Condvar::new(),
    };
    let out = pool.in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| while shared.compute_next() {});
        }
        let mut results = InOrder {
            stream: &shared,
            at: 0,
        };
        consume(&mut results)
    });
    // A panic in an item the consumer never reached.
    let done = shared
        .done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(Err(panic)) = done.results.into_iter().flatten().find(Result::is_err) {
        std::panic::resume_unwind(panic);
    }
    out
}

/// The state [`map_streamed`]'s threads share.
struct Stream<'a, T, R, F> {
    items: &'a [T],
    f: F,
    /// The next item no thread has started.
    next: AtomicUsize,
    done: Mutex<Done<R>>,
    /// Signalled when a result comes in while the consumer waits for one.
    ready: Condvar,
}

/// The results computed and not yet taken.
struct Done<R> {
    results: Vec<Option<std::thread::Result<R>>>,
    /// Whether the consumer waits on [`Stream::ready`] (signalling costs a system call).
    waiting: bool,
}

impl<T: Sync, R: Send, F: Fn(&T) -> R + Sync> Stream<'_, T, R, F> {
    /// Start the next item and compute it: its index and result, or `None` when every item
    /// is started. A panic is caught (and kept as the result) so that the consumer, which
    /// may be waiting for it, learns of it.
    fn start_next(&self) -> Option<(usize, std::thread::Result<R>)> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        let item = self.items.get(i)?;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| (self.f)(item)));
        Some((i, result))
    }

    /// Compute the next item and store its result: whether there was one.
    fn compute_next(&self) -> bool {
        let Some((i, result)) = self.start_next() else {
            return false;
        };
        self.store(i, result);
        true
    }

    fn store(&self, i: usize, result: std::thread::Result<R>) {
        let mut done = self
            .done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        done.results[i] = Some(result);
        if done.waiting {
            done.waiting = false;
            self.ready.notify_one();
        }
    }
}

/// The consumer's side of [`map_streamed`]: the results in order.
/// Dropped when the consumer returns (or panics): the items not started then stay so.
struct InOrder<'s, 'a, T, R, F> {
    stream: &'s Stream<'a, T, R, F>,
    /// The index of the next result to hand out.
    at: usize,
}

impl<T, R, F> Drop for InOrder<'_, '_, T, R, F> {
    fn drop(&mut self) {
        self.stream
            .next
            .store(self.stream.items.len(), Ordering::Relaxed);
    }
}

impl<T: Sync, R: Send, F: Fn(&T) -> R + Sync> Iterator for InOrder<'_, '_, T, R, F> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        let stream = self.stream;
        if self.at >= stream.items.len() {
            return None;
        }
        let result = 'ready: loop {
            {
                let mut done = stream
                    .done
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Some(result) = done.results[self.at].take() {
                    break result;
                }
            }
            // Not ready: compute an item not started, rather than wait.
            match stream.start_next() {
                Some((i, result)) if i == self.at => break result,
                Some((i, result)) => stream.store(i, result),
                None => {
                    // Every item is started: the one wanted is being computed.
                    let mut done = stream
                        .done
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    loop {
                        if let Some(result) = done.results[self.at].take() {
                            break 'ready result;
                        }
                        done.waiting = true;
                        done = stream
                            .ready
                            .wait(done)
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                    }
                }
            }
        };
        self.at += 1;
        match result {
            Ok(result) => Some(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
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

    #[test]
    fn streams_in_order() {
        let items: Vec<usize> = (0..1000).collect();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let out = super::map_streamed(
            &items,
            |i| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i * 2
            },
            |results| results.collect::<Vec<_>>(),
        );
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(calls.into_inner(), items.len(), "every item once");
        let few = super::map_streamed(&items[..3], |i| i + 1, |r| r.collect::<Vec<_>>());
        assert_eq!(few, [1, 2, 3]);
        // A consumer that stops early: what it took is in order.
        let first = super::map_streamed(&items, |i| i + 1, |r| r.take(10).collect::<Vec<_>>());
        assert_eq!(first, (1..=10).collect::<Vec<_>>());
    }

    #[test]
    fn streamed_panic_propagates() {
        let items: Vec<usize> = (0..1000).collect();
        // Reached by a consumer that takes every result, or stops right after it.
        for stop in [1000, 501] {
            let caught = std::panic::catch_unwind(|| {
                super::map_streamed(
                    &items,
                    |&i| {
                        assert!(i != 500, "item 500");
                        i
                    },
                    |r| r.take(stop).count(),
                )
            });
            assert!(caught.is_err());
        }
    }
}
