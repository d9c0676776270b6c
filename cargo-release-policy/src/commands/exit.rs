//! How a command ends: its [`Exit`], and what becomes of the data it read.

use std::sync::atomic::{AtomicBool, Ordering};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, or in lockstep.
    Success,
    /// 1: `check` found drift, or an operation was refused.
    Failure,
    /// 2: a group could not be planned (its error is printed), the others were.
    Error,
}

impl Exit {
    /// How a report ends: 0 when `ok`, 1 when not, 2 whatever `ok` says when a group was
    /// `left_out` (it could not be read or spelled).
    pub(super) fn of_report(ok: bool, left_out: bool) -> Exit {
        let exit = if ok { Exit::Success } else { Exit::Failure };
        if left_out {
            exit.worst(Exit::Error)
        } else {
            exit
        }
    }

    /// The worse of two ends.
    #[must_use]
    pub fn worst(self, other: Exit) -> Exit {
        let rank = |e: Exit| match e {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Error => 2,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// Set by the binary: the process exits right after the command.
static EXITING: AtomicBool = AtomicBool::new(false);

/// Tell the commands that the process exits when they return: what a command read is then
/// left to the operating system instead of being freed one allocation at a time
/// (`docs/performance.md`, "Nothing freed at exit").
pub fn exit_after_run() {
    EXITING.store(true, Ordering::Relaxed);
}

/// The end of a command's data: freed, or left to the exiting process.
pub(super) fn finish<T>(value: T) {
    if EXITING.load(Ordering::Relaxed) {
        std::mem::forget(value);
    }
}
