//! How far loading has come, for the progress bar a terminal shows (`printer.rs`): the files
//! to read once their list is known, and those read so far. Process-wide counters, written
//! by the reading threads and read by the bar's thread: loading takes no printer, and a
//! counter costs one atomic add per file.

use std::sync::atomic::{AtomicUsize, Ordering};

static TOTAL: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);

/// `total` files are about to be read.
pub(super) fn start(total: usize) {
    DONE.store(0, Ordering::Relaxed);
    TOTAL.store(total, Ordering::Relaxed);
}

/// One more file was read.
pub(super) fn advance() {
    DONE.fetch_add(1, Ordering::Relaxed);
}

/// `(read, total)`; `None` until the list of files is known (and when it is empty).
pub fn counts() -> Option<(usize, usize)> {
    let total = TOTAL.load(Ordering::Relaxed);
    (total > 0).then(|| (DONE.load(Ordering::Relaxed).min(total), total))
}
