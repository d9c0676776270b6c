use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::assert_refused;
use crate::testing::toml::{assert_reading, newline, rewrite_all, summary};

#[track_caller]
fn case(input: &str, fields: &[&str], notes: &[&str]) {
    assert_reading(read, input, fields, notes);
}

#[test]
fn projects() {
    let text = "cmake_minimum_required(VERSION 3.16)\n# project(old VERSION 0.0.1)\n#[[ project(older VERSION 0.0.0) ]]\nPROJECT(sdk\n  VERSION 1.4.0\n  DESCRIPTION \"The SDK (VERSION 9)\"\n  LANGUAGES C CXX)\nmessage(STATUS \"project(x VERSION 2)\")\n";
    let reading = assert_reading(read, text, &["project(sdk).VERSION version = 1.4.0"], &[]);
    assert_eq!(reading.name.as_deref(), Some("sdk"));
    case(
        "project(\"sdk\" VERSION \"1.4.0.2\")\nproject(tool LANGUAGES C)\n",
        &["project(sdk).VERSION version = 1.4.0.2"],
        &[],
    );
    case(
        "project(sdk VERSION ${SDK_VERSION})\n",
        &[],
        &["unsupported project(sdk).VERSION ${SDK_VERSION}"],
    );
    case("add_subdirectory(src)\n", &[], &[]);
    assert_refused(
        read,
        "project(sdk VERSION 1.0\n",
        "unclosed command: a `)` is missing",
        "2:1",
    );
}

proptest! {
    #[test]
    fn generated_lists(
        bom in any::<bool>(),
        nl in newline(),
        parts in prop::collection::vec(0u32..400, 1..=4),
        new in prop::collection::vec(0u32..400, 1..=4),
        quote in prop::sample::select(vec!["", "\""]),
        sep in prop::sample::select(vec![" ", "\t", "\n    ", "\r\n  "]),
        final_newline in any::<bool>(),
    ) {
        let v = parts.iter().map(ToString::to_string).collect::<Vec<_>>().join(".");
        let new = new.iter().map(ToString::to_string).collect::<Vec<_>>().join(".");
        let mut text = format!(
            "{}cmake_minimum_required(VERSION 3.16){nl}# project(x VERSION 0){nl}project(sdk{sep}VERSION{sep}{quote}{v}{quote}{sep}LANGUAGES CXX){nl}set(X \"project(y VERSION 1)\"){nl}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!("project(sdk).VERSION version = {v}")]);
        rewrite_all(FileKind::CMake, &text, &reading, &[new]);
    }
}

/// Non-ASCII text next to the bytes the scan stops at: read without a panic.
#[test]
fn non_ascii_no_panic() {
    for input in [
        "project(é VERSION 1.2.3)\n",
        "project(sdk VERSION 1.2.3 DESCRIPTION \"日本\\é\")\n",
        "é\\日本(",
        "project(a\\é b\\",
        "project(\"é\\",
        "project([=[é]=] [[日本",
        "#[[é]] project(sdk VERSION 1.2.3) #[==[日本\n",
        "#é\nproject(sdk VERSION 1.2.3) # 日本",
        "project(sdk VERSION 1.2.3)[",
        "#[",
    ] {
        let _ = read(input);
    }
}
