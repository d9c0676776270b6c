//! JSON editors: package.json, package-lock.json.
#![no_main]

use cargo_release_policy::editor::FileKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cargo_release_policy_fuzz::editors(
        &[FileKind::PackageJson, FileKind::PackageLock],
        cargo_release_policy_fuzz::json_parses,
        data,
    );
});
