use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::assert_refused;
use crate::testing::toml::{assert_reading, comment, newline, rewrite_all, summary, version};

#[track_caller]
fn case(input: &str, fields: &[&str], notes: &[&str]) {
    assert_reading(read, input, fields, notes);
}

#[test]
fn versions() {
    let text = "name: sdk\ndescription: The SDK.\nversion: 1.4.0+2 # released\nenvironment:\n  sdk: '>=3.0.0 <4.0.0'\ndependencies:\n  core:\n    path: ../core\n    version: 0.0.1\n";
    let reading = read(text).unwrap();
    assert_eq!(reading.name.as_deref(), Some("sdk"));
    case(text, &["version version = 1.4.0+2"], &[]);
    case(
        "name: x\nversion: \"1.4.0\"\r\n",
        &["version version = 1.4.0"],
        &[],
    );
    case("name: x\n", &[], &[]);
    case("version: >\n  1.0.0\n", &[], &["unsupported version >"]);
    assert_refused(read, "version: &v 1.0.0\n", "a YAML anchor (`&…`)", "1:10");
}

proptest! {
    #[test]
    fn generated_pubspecs(
        bom in any::<bool>(),
        nl in newline(),
        quote in prop::sample::select(vec!["", "\"", "'"]),
        trailer in comment(),
        v in version(),
        new in version(),
        decoy in prop::sample::select(vec![
            "",
            "description: |\n  version: 0.0.0\n",
            "dependencies:\n  core:\n    version: ^0.0.1\n",
            "flutter: {version: 0.0.0,\n  x: 1}\n",
            "# version: 0.0.0\n",
        ]),
        final_newline in any::<bool>(),
    ) {
        let decoy = decoy.replace('\n', nl);
        let mut text = format!(
            "{}name: sdk{nl}{decoy}version: {quote}{v}{quote}{trailer}{nl}{decoy}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!("version version = {v}")]);
        rewrite_all(FileKind::Pubspec, &text, &reading, &[new]);
    }
}
