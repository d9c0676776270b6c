//! An existing cargo-release configuration loads unchanged.

use crate::support::{schema_errors, workspace_policy};
use policy_schema::{parse_policies, SharedVersion, StringOrList};

/// The "Summary of configuration" of cargo-release's `docs/reference.md` (crate-ci/cargo-release),
/// verbatim. `push-options = ""` is a string there although the key is a list.
const REFERENCE_SUMMARY: &str = r#"allow-branch = ["*", "!HEAD"]

sign-commit = false
sign-tag = false

release = true

shared-version = false
dependent-version = "upgrade"
metadata = "optional"

consolidate-commits = true
pre-release-replacements = []
pre-release-hook = ["..."]
pre-release-commit-message = "chore: Release"

tag = true
tag-message = "chore: Release"
tag-name = "{{prefix}}v{{version}}"
tag-prefix = "..."

push = true
push-remote = "origin"
push-options = ""

publish = true
registry = "..."
owners = []
rate-limit.new-packages = 5
rate-limit.existing-packages = 30
certs-source = "webpki"
verify = true
enable-features = []
enable-all-features = false
target = "..."
"#;

#[test]
fn the_reference_summary_loads_in_both_tables() {
    for table in ["workspace", "package"] {
        let text = format!("[{table}.metadata.release]\n{REFERENCE_SUMMARY}");
        let policies = parse_policies(&text).unwrap();
        let policy = if table == "workspace" {
            policies.workspace
        } else {
            policies.package
        }
        .unwrap();
        assert_eq!(policy.tag_name(), "{{prefix}}v{{version}}");
        assert_eq!(policy.tag_prefix(false), "...");
        assert_eq!(policy.tag_message(), "chore: Release");
        assert_eq!(policy.commit_message(), "chore: Release");
        assert_eq!(policy.shared_version, Some(SharedVersion::Enabled(false)));
        assert!(!policy.sign_tag());
        assert!(policy.tag());
        assert_eq!(
            policy.cargo_release.push_options,
            Some(StringOrList::One(String::new()))
        );
        assert_eq!(policy.cargo_release.rate_limit.existing_packages, Some(30));
    }
    assert_eq!(
        schema_errors(&format!(
            "[workspace.metadata.release]\n{REFERENCE_SUMMARY}"
        )),
        Vec::<String>::new()
    );
}

/// A `pre-release-replacements` list in the style of cargo-release's own Cargo.toml, with a
/// changelog and a README.
#[test]
fn replacements_load() {
    let text = r#"
[package]
name = "tool"
version = "0.25.18"

[package.metadata.release]
pre-release-replacements = [
  {file="README.md", search="Current release: [a-z0-9\\.-]+", replace="Current release: {{version}}"} ,
  {file="CHANGELOG.md", search="Unreleased", replace="{{version}}", min=1},
  {file="CHANGELOG.md", search="\\.\\.\\.HEAD", replace="...{{tag_name}}", exactly=1},
  {file="CHANGELOG.md", search="<!-- next-header -->", replace="<!-- next-header -->\n## [Unreleased] - ReleaseDate\n", exactly=1},
]
"#;
    let policy = parse_policies(text).unwrap().package.unwrap();
    let replacements = policy.cargo_release.pre_release_replacements.unwrap();
    assert_eq!(replacements.len(), 4);
    assert_eq!(replacements[2].exactly, Some(1));
    assert_eq!(replacements[0].search, r"Current release: [a-z0-9\.-]+");
}

#[test]
fn common_cargo_release_setups_load() {
    for body in [
        "shared-version = true\ntag-name = \"v{{version}}\"\npre-release-commit-message = \"chore: bump version to {{version}}\"",
        "release = false",
        "sign-commit = true\nsign-tag = true\npush = false\npublish = false\nallow-branch = [\"main\"]",
        "pre-release-hook = [\"git\", \"cliff\", \"-o\", \"CHANGELOG.md\", \"--tag\", \"{{version}}\"]",
        "consolidate-commits = false\ndependent-version = \"fix\"\nunstable.workspace-publish = true",
    ] {
        let text = format!("[workspace.metadata.release]\n{body}\n");
        workspace_policy(&text);
        assert_eq!(schema_errors(&text), Vec::<String>::new(), "{body}");
    }
}
