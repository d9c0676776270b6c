use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::toml::{assert_reading, newline, rewrite_all, summary};

const LOCK: &str = "PATH\n  remote: .\n  specs:\n    sdk (1.4.0)\n      rake (~> 13.0)\n\nPATH\n  remote: ext\n  specs:\n    sdk-native (1.4.0.rc.1)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.6)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  sdk!\n  sdk-native!\n\nCHECKSUMS\n  rake (13.0.6) sha256=abc\n  sdk (1.4.0)\n\nBUNDLED WITH\n   2.5.3\n";

#[test]
fn path_specs() {
    assert_reading(
        read,
        LOCK,
        &[
            "PATH.specs.sdk locked(sdk) = 1.4.0",
            "PATH.specs.sdk-native locked(sdk-native) = 1.4.0.rc.1",
            "CHECKSUMS.sdk locked(sdk) = 1.4.0",
        ],
        &[],
    );
    assert_reading(
        read,
        "PATH\n  remote: .\n  specs:\n    sdk (1.4.0-java)\n",
        &[],
        &["unsupported PATH.specs.sdk 1.4.0-java"],
    );
}

proptest! {
    #[test]
    fn generated_locks(
        bom in any::<bool>(),
        nl in newline(),
        v in prop::sample::select(vec!["1.4.0", "0.2.0.beta.1", "10.0.3.rc.12", "1.5.0.pre.dev.4"]),
        new in prop::sample::select(vec!["1.5.0", "0.3.0.alpha.2"]),
        final_newline in any::<bool>(),
    ) {
        let mut text = format!(
            "{}PATH{nl}  remote: .{nl}  specs:{nl}    mine ({v}){nl}      dep (= {v}){nl}{nl}GEM{nl}  remote: https://rubygems.org/{nl}  specs:{nl}    dep ({v}){nl}{nl}DEPENDENCIES{nl}  mine!{nl}{nl}BUNDLED WITH{nl}   2.3.15{nl}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!("PATH.specs.mine locked(mine) = {v}")]);
        rewrite_all(FileKind::GemfileLock, &text, &reading, &[new.to_string()]);
    }
}

/// Non-ASCII text in a spec line: read without a panic.
#[test]
fn non_ascii_no_panic() {
    for input in [
        "PATH\n  remote: .\n  specs:\n    é (日本)\n",
        "PATH\n  remote: .\n  specs:\n    sdk (1.4.0é\n",
        "PATH\n  remote: .\n  specs:\n  é\n    é\n",
    ] {
        let _ = read(input);
    }
}
