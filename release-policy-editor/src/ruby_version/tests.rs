use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::toml::{assert_reading, comment, newline, rewrite_all, summary, version, ws};

#[track_caller]
fn case(input: &str, fields: &[&str], notes: &[&str]) {
    assert_reading(read, input, fields, notes);
}

#[test]
fn constants() {
    case(
        "# frozen_string_literal: true\n\nmodule Sdk\n  VERSION = \"1.4.0\"\nend\n",
        &["VERSION version = 1.4.0"],
        &[],
    );
    case(
        "module Sdk\n  VERSION = '1.5.0.rc.3'.freeze # bumped\nend\n",
        &["VERSION version = 1.5.0.rc.3"],
        &[],
    );
    case(
        "Sdk::VERSION = \"2.0.0\"\r\n",
        &["Sdk::VERSION version = 2.0.0"],
        &[],
    );
    case(
        "module Sdk\n  MAJOR = 1\n  VERSION = [MAJOR, 2, 0].join(\".\")\nend\n",
        &[],
        &["unsupported VERSION [MAJOR, 2, 0].join(\".\")"],
    );
    case(
        "VERSION = \"#{BASE}.1\"\n",
        &[],
        &["unsupported VERSION #{BASE}.1"],
    );
    // Not assignments of `VERSION`: a comparison, another constant, a heredoc, a comment.
    case(
        "API_VERSION = \"9\"\nVERSION == \"0\"\nDOC = <<~TEXT\n  VERSION = \"0.0.0\"\nTEXT\n=begin\nVERSION = \"0\"\n=end\n# VERSION = \"0\"\nVERSION = \"1.0.0\"\n",
        &["VERSION version = 1.0.0"],
        &[],
    );
    let err = read("module Sdk\nend\n").unwrap_err();
    assert_eq!(err.message, "no `VERSION = \"…\"` constant found");
}

proptest! {
    #[test]
    fn generated_version_files(
        bom in any::<bool>(),
        nl in newline(),
        quote in prop::sample::select(vec!["\"", "'"]),
        (before, after) in (ws(), ws()),
        freeze in prop::sample::select(vec!["", ".freeze"]),
        trailer in comment(),
        v in version(),
        new in version(),
        final_newline in any::<bool>(),
    ) {
        let mut text = format!(
            "{}# frozen_string_literal: true{nl}{nl}module Sdk{nl}  VERSION{before}={after}{quote}{v}{quote}{freeze}{trailer}{nl}end{nl}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!("VERSION version = {v}")]);
        rewrite_all(FileKind::RubyVersion, &text, &reading, &[new]);
    }
}
