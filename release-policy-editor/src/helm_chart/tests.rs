use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::assert_refused;
use crate::testing::toml::{assert_reading, comment, newline, rewrite_all, summary, version};

#[test]
fn chart() {
    let text = "apiVersion: v2\nname: server\ndescription: A Helm chart\ntype: application\nversion: 0.3.0\nappVersion: \"1.4.0\"\ndependencies:\n  - name: redis\n    version: 17.0.0\n    repository: https://charts.example.com\n";
    let reading = assert_reading(
        read,
        text,
        &["version version = 0.3.0", "appVersion AppVersion = 1.4.0"],
        &[],
    );
    assert_eq!(reading.name.as_deref(), Some("server"));
    assert_refused(
        read,
        "version: 1.0.0\n---\nversion: 2.0.0\n",
        "a second YAML document in the file",
        "2:1",
    );
    assert_refused(read, "appVersion: *app\n", "a YAML alias (`*…`)", "1:13");
}

proptest! {
    #[test]
    fn generated_charts(
        bom in any::<bool>(),
        nl in newline(),
        quotes in (prop::sample::select(vec!["", "\"", "'"]), prop::sample::select(vec!["", "\"", "'"])),
        trailer in comment(),
        (v, app) in (version(), version()),
        (new, new_app) in (version(), version()),
        app_first in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let (q, qa) = quotes;
        let version_line = format!("version: {q}{v}{q}{trailer}{nl}");
        let app_line = format!("appVersion:  {qa}{app}{qa}{nl}");
        let (a, b) = if app_first { (&app_line, &version_line) } else { (&version_line, &app_line) };
        let mut text = format!(
            "{}apiVersion: v2{nl}name: svc{nl}{a}dependencies:{nl}- name: db{nl}  version: 1.0.0{nl}{b}keywords: [a, b]{nl}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        let mut found = summary(&text, &reading);
        found.sort();
        prop_assert_eq!(found, vec![format!("appVersion AppVersion = {app}"), format!("version version = {v}")]);
        rewrite_all(FileKind::HelmChart, &text, &reading, &[new, new_app]);
    }
}
