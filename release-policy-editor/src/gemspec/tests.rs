use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::toml::{assert_reading, comment, newline, rewrite_all, summary, version, ws};

#[track_caller]
fn case(input: &str, fields: &[&str], notes: &[&str]) {
    assert_reading(read, input, fields, notes);
}

#[test]
fn specifications() {
    let gem = "# frozen_string_literal: true\n\nGem::Specification.new do |spec|\n  spec.name = \"sdk\"\n  spec.version = \"1.4.0\"\n  spec.summary = \"The SDK\"\n  spec.description = <<~DESC\n    spec.version = \"0.0.0\"\n  DESC\n  spec.add_dependency \"rake\", \"~> 13.0\"\n  other.version = \"9\"\nend\n";
    let reading = assert_reading(read, gem, &["spec.version version = 1.4.0"], &[]);
    assert_eq!(reading.name.as_deref(), Some("sdk"));
    case(
        "require_relative \"lib/sdk/version\"\n\nGem::Specification.new do |s|\n  s.name    = 'sdk'\n  s.version = Sdk::VERSION\nend\n",
        &[],
        &["dynamic Expression { expression: \"Sdk::VERSION\" } at Sdk::VERSION"],
    );
    let pod = "Pod::Spec.new do |s|\n  s.name         = 'SdkKit'\n  s.version      = '1.4.0-beta.1'\n  s.source       = { :git => 'https://example.com/sdk.git', :tag => s.version.to_s }\nend\n";
    let reading = assert_reading(read, pod, &["s.version version = 1.4.0-beta.1"], &[]);
    assert_eq!(reading.name.as_deref(), Some("SdkKit"));
    let err = read("Gem::Specification.new do |g|\nend\n").unwrap_err();
    assert_eq!(err.message, "no `g.version = …` assignment found");
}

proptest! {
    #[test]
    fn generated_specs(
        bom in any::<bool>(),
        nl in newline(),
        var in prop::sample::select(vec!["s", "spec", "gem"]),
        head in prop::sample::select(vec!["Gem::Specification.new do |VAR|", "Pod::Spec.new do |VAR|", "Gem::Specification.new { |VAR|"]),
        quote in prop::sample::select(vec!["\"", "'"]),
        (before, after) in (ws(), ws()),
        trailer in comment(),
        v in version(),
        new in version(),
        final_newline in any::<bool>(),
    ) {
        let head = head.replace("VAR", var);
        let mut text = format!(
            "{}{head}{nl}  {var}.name = 'sdk'{nl}  {var}.description = <<-EOS{nl}{var}.version = '0'{nl}  EOS{nl}  {var}.version{before}={after}{quote}{v}{quote}{trailer}{nl}end{nl}",
            if bom { "\u{feff}" } else { "" },
        );
        if !final_newline {
            while text.ends_with(['\n', '\r']) { text.pop(); }
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!("{var}.version version = {v}")]);
        rewrite_all(FileKind::Gemspec, &text, &reading, &[new]);
    }
}

/// Text that once made the scan panic (an index past the end of a line): each is read
/// without panicking.
#[test]
fn no_panic() {
    for input in [
        // A backslash ending a double-quoted literal at the end of the line (and of the file).
        "Gem::Specification.new do |s|\n  s.version = \"1.0\\",
        "Gem::Specification.new do |s|\n  s.version = \"1.0\\\nend\n",
        "Gem::Specification.new do |s|\n  s.version = \"日本\\",
        "Gem::Specification.new do |é|\n  é.version = 'é'\nend\n",
        "Spec.new |é|",
    ] {
        let _ = read(input);
    }
}
