//! The Ruby, Dart, CocoaPods, CMake, Zig and Helm editors (the YAML span reader among them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_policy_editor::FileKind;

fuzz_target!(|data: &[u8]| {
    // No reference parser for these formats here: each editor's own re-read is the check.
    cargo_release_policy_fuzz::editors(
        &[
            FileKind::RubyVersion,
            FileKind::Gemspec,
            FileKind::GemfileLock,
            FileKind::Pubspec,
            FileKind::PubspecLock,
            FileKind::CMake,
            FileKind::ZigZon,
            FileKind::HelmChart,
        ],
        |_| true,
        data,
    );
});
