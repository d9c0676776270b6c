//! TOML editors: Cargo.toml, Cargo.lock, pyproject.toml, uv.lock.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_policy_editor::FileKind;

fuzz_target!(|data: &[u8]| {
    cargo_release_policy_fuzz::editors(
        &[
            FileKind::CargoToml,
            FileKind::CargoLock,
            FileKind::Pyproject,
            FileKind::UvLock,
        ],
        cargo_release_policy_fuzz::toml_parses,
        data,
    );
});
