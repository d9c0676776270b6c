//! The text editor: a Python file holding `__version__ = "…"`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_policy_editor::FileKind;

fuzz_target!(|data: &[u8]| {
    // Python has no reference parser here: the editor's own re-read is the check.
    cargo_release_policy_fuzz::editors(&[FileKind::VersionFile], |_| true, data);
});
