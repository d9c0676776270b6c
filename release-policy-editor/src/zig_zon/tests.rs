use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::assert_refused;
use crate::testing::toml::{assert_reading, comment, newline, rewrite_all, summary, version, ws};

#[test]
fn manifests() {
    let text = ".{\n    // .version = \"0.0.0\",\n    .name = .sdk,\n    .version = \"1.4.0\",\n    .fingerprint = 0x1234,\n    .dependencies = .{\n        .core = .{ .url = \"https://example.com/core.tar.gz\", .version = \"9.9.9\" },\n    },\n    .paths = .{ \"build.zig\", \"src\" },\n}\n";
    let reading = assert_reading(read, text, &[".version version = 1.4.0"], &[]);
    assert_eq!(reading.name.as_deref(), Some("sdk"));
    let reading = assert_reading(
        read,
        ".{ .name = \"sdk\", .@\"version\" = \"0.1.0-dev.3\" }",
        &[".version version = 0.1.0-dev.3"],
        &[],
    );
    assert_eq!(reading.name.as_deref(), Some("sdk"));
    assert_reading(
        read,
        ".{ .version = \"1.0\\x2e0\" }",
        &[],
        &["unsupported .version 1.0\\x2e0"],
    );
    assert_refused(
        read,
        ".{ .version = \"1.0.0 }\n",
        "unclosed string literal",
        "1:15",
    );
}

proptest! {
    #[test]
    fn generated_manifests(
        bom in any::<bool>(),
        nl in newline(),
        (before, after) in (ws(), ws()),
        trailer in comment(),
        v in version(),
        new in version(),
        final_newline in any::<bool>(),
    ) {
        let trailer = trailer.replace('#', "//");
        let mut text = format!(
            "{}.{{{nl}    .name = .sdk,{nl}    .version{before}={after}\"{v}\",{trailer}{nl}    .dependencies = .{{{nl}        .x = .{{ .version = \"0.0.0\" }},{nl}    }},{nl}    .paths = .{{\"\"}},{nl}}}{nl}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!(".version version = {v}")]);
        rewrite_all(FileKind::ZigZon, &text, &reading, &[new]);
    }
}

/// Non-ASCII text next to the bytes the scan stops at: read without a panic.
#[test]
fn non_ascii_no_panic() {
    for input in [
        ".{ .name = \"日本\", .version = \"1.2.3\" }\n",
        ".{ .@\"é\" = \"é\", .name = .é, .version = \"\\é\" }\n",
        ".{ .version = \"é\\",
        ".{ .version = 'é\\'",
        ".{ .é = \"é\" // é\n \\\\ é\n",
        ".{ .@\"é",
        ".{ .name = .",
        ".{ .version = ",
    ] {
        let _ = read(input);
    }
}
