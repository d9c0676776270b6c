//! Version parsing: canonical versions and every ecosystem's spelling.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cargo_release_policy_fuzz::versions(data);
});
