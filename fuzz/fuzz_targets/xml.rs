//! The XML editor: MSBuild project and props files.
#![no_main]

use cargo_release_policy::editor::FileKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cargo_release_policy_fuzz::editors(
        &[FileKind::MsBuild],
        cargo_release_policy_fuzz::xml_parses,
        data,
    );
});
