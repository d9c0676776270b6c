//! JSON editors: package.json, package-lock.json.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_policy_editor::FileKind;

fuzz_target!(|data: &[u8]| {
    cargo_release_policy_fuzz::editors(
        &[FileKind::PackageJson, FileKind::PackageLock],
        cargo_release_policy_fuzz::json_parses,
        data,
    );
});
