//! The XML editor: MSBuild project and props files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_policy_editor::FileKind;

fuzz_target!(|data: &[u8]| {
    cargo_release_policy_fuzz::editors(
        &[FileKind::MsBuild],
        cargo_release_policy_fuzz::xml_parses,
        data,
    );
});
