//! Where the policy tables live in a Cargo.toml, how `release` and `release-policy` merge, and
//! where errors point.

use crate::support::{describe, line_col};
use policy_schema::{parse_policies, ManifestEntry, ManifestPolicies, Policy, PolicyErrorKind};

#[track_caller]
fn policies(text: &str) -> ManifestPolicies {
    parse_policies(text).unwrap_or_else(|error| panic!("{}\n{text}", describe(&error, text)))
}

/// `text` is refused with a message containing `message` at 1-based `line:col`.
#[track_caller]
fn refused(text: &str, message: &str, (line, col): (usize, usize)) {
    let error = parse_policies(text).expect_err("refused");
    let shown = describe(&error, text);
    assert!(
        error.message.contains(message),
        "expected {message:?}, got:\n{shown}"
    );
    assert_eq!(line_col(text, error.offset()), (line, col), "{shown}");
}

#[test]
fn absent_tables_are_none() {
    for text in [
        "",
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
        "[workspace]\nmembers = []\n[workspace.metadata.other]\nx = 1\n",
        "[package.metadata]\nrelease-notes = true\n",
        "[package]\nmetadata = 5\n",
    ] {
        assert_eq!(policies(text), ManifestPolicies::default(), "{text}");
    }
}

#[test]
fn empty_table_is_the_default_policy() {
    let found = policies("[workspace.metadata.release]\n");
    assert_eq!(found.workspace, Some(Policy::default()));
    assert_eq!(found.package, None);
}

#[test]
fn workspace_and_package_tables_are_separate() {
    let text = r#"
[package]
name = "core"
version = "1.5.0"

[package.metadata.release]
manifests = ["../bindings/other/package.json"]
tag-name = "other-v{{version}}"

[workspace]
members = ["crates/*"]

[workspace.metadata.release]
tag-name = "v{{version}}"
"#;
    let found = policies(text);
    let workspace = found.workspace.unwrap();
    let package = found.package.unwrap();
    assert_eq!(workspace.tag_name(), "v{{version}}");
    assert!(workspace.manifests.is_empty());
    assert_eq!(package.tag_name(), "other-v{{version}}");
    assert_eq!(
        package.manifests,
        [ManifestEntry::Path("../bindings/other/package.json".into())]
    );
}

#[test]
fn release_and_release_policy_merge() {
    let text = r#"
[workspace.metadata.release]
tag-name = "v{{version}}"
publish = false

[workspace.metadata.release-policy]
manifests = ["bindings/node/package.json"]
commit-message = "chore: release {{version}}"
"#;
    let policy = policies(text).workspace.unwrap();
    assert_eq!(policy.tag_name(), "v{{version}}");
    assert_eq!(policy.cargo_release.publish, Some(false));
    assert_eq!(policy.manifests[0].path(), "bindings/node/package.json");
    assert_eq!(policy.commit_message(), "chore: release {{version}}");
    assert_eq!(
        policy.origins["tag-name"].table,
        "workspace.metadata.release"
    );
    assert_eq!(
        policy.origins["manifests"].table,
        "workspace.metadata.release-policy"
    );

    // `release-policy` alone is a policy too.
    let policy = policies("[package.metadata.release-policy]\nlockfiles = [\"../Cargo.lock\"]\n");
    assert_eq!(policy.package.unwrap().lockfiles, ["../Cargo.lock"]);
}

#[test]
fn a_key_set_in_both_tables_is_refused() {
    let text = "[workspace.metadata.release]\ntag-name = \"v{{version}}\"\n\n[workspace.metadata.release-policy]\ntag-name = \"w{{version}}\"\n";
    refused(
        text,
        "`tag-name` is set in both `workspace.metadata.release` and `workspace.metadata.release-policy`",
        (5, 1),
    );
    let error = parse_policies(text).unwrap_err();
    let PolicyErrorKind::DuplicateKey { key, first } = &*error.kind else {
        panic!("{error:?}")
    };
    assert_eq!(
        (key.as_str(), &text[first.clone()]),
        ("tag-name", "tag-name")
    );
    assert!(error
        .help
        .unwrap()
        .contains("keys it does not know belong in `workspace.metadata.release-policy`"));

    // A whole sub-table counts as one key.
    refused(
        "[package.metadata.release.dotnet]\nassembly-version = \"1.0\"\n[package.metadata.release-policy.dotnet]\nfile-version = \"1.0\"\n",
        "`dotnet` is set in both `package.metadata.release` and `package.metadata.release-policy`",
        (3, 34),
    );
}

#[test]
fn every_table_form_is_read() {
    let forms = [
        "[workspace.metadata.release]\ntag-name = \"x\"\n",
        "[workspace.metadata]\nrelease.tag-name = \"x\"\n",
        "[workspace.metadata]\nrelease = { tag-name = \"x\" }\n",
        "[workspace]\nmetadata = { release = { tag-name = \"x\" } }\n",
        "workspace.metadata.release.tag-name = \"x\"\n",
        "[workspace.metadata.'release']\n\"tag-name\" = 'x'\n",
    ];
    for text in forms {
        let policy = policies(text)
            .workspace
            .unwrap_or_else(|| panic!("no policy in {text}"));
        assert_eq!(policy.tag_name(), "x", "{text}");
        let origin = &policy.origins["tag-name"];
        assert!(
            text[origin.key.clone()].contains("tag-name"),
            "{text}: {origin:?}"
        );
        assert!(
            text[origin.value.clone()].contains('x'),
            "{text}: {origin:?}"
        );
    }
}

#[test]
fn a_policy_that_is_not_a_table_is_refused() {
    refused(
        "[workspace.metadata]\nrelease = true\n",
        "expected a table for `workspace.metadata.release`, found a boolean",
        (2, 11),
    );
    refused(
        "[package.metadata]\nrelease-policy = [\"a\"]\n",
        "expected a table for `package.metadata.release-policy`, found an array",
        (2, 18),
    );
}

#[test]
fn invalid_toml_is_refused_with_its_position() {
    refused(
        "[package]\nname = \"a\"\nversion = \n",
        "invalid TOML",
        (3, 11),
    );
    let error = parse_policies("[package]\nname = \"a\"\nname = \"b\"\n").unwrap_err();
    assert_eq!(*error.kind, PolicyErrorKind::Toml);
    assert!(error.message.starts_with("invalid TOML: "), "{error}");
}

#[test]
fn spans_survive_bom_crlf_tabs_and_comments() {
    let plain = "[workspace.metadata.release]\ntag-nmae = \"v\"\n";
    let error = parse_policies(plain).unwrap_err();
    assert_eq!(&plain[error.span.clone()], "tag-nmae");

    let bom = format!("\u{feff}{plain}");
    let error = parse_policies(&bom).unwrap_err();
    assert_eq!(&bom[error.span.clone()], "tag-nmae");
    assert_eq!(error.offset(), 3 + plain.find("tag-nmae").unwrap());
    assert_eq!(line_col(&bom, error.offset()), (2, 1));

    let bom_ok = "\u{feff}[workspace.metadata.release]\ntag-name = \"v{{version}}\"\n";
    let policy = policies(bom_ok).workspace.unwrap();
    assert_eq!(
        &bom_ok[policy.origins["tag-name"].value.clone()],
        "\"v{{version}}\""
    );

    let messy = "# release settings\r\n[workspace.metadata.release] # ours\r\n\ttag-name\t=\t\"v{{version}}\"   # tag\r\n\t  manifests = [ # list\r\n\t\t\"a/package.json\", # a\r\n\t\t1,\r\n]";
    let error = parse_policies(messy).unwrap_err();
    assert_eq!(&messy[error.span.clone()], "1");
    assert_eq!(line_col(messy, error.offset()), (6, 3));
}

#[test]
fn origins_point_at_nested_values() {
    let text = "[workspace.metadata.release]\nmanifests = [\"a\", { path = \"b\", search = \"v{{version}}\" }]\nlabels = { pre = \"rc\" }\n";
    let policy = policies(text).workspace.unwrap();
    let at = |path: &str| &text[policy.origins[path].value.clone()];
    assert_eq!(at("manifests[0]"), "\"a\"");
    assert_eq!(at("manifests[1].path"), "\"b\"");
    assert_eq!(at("manifests[1].search"), "\"v{{version}}\"");
    assert_eq!(at("labels.pre"), "\"rc\"");
    assert_eq!(&text[policy.origins["labels.pre"].key.clone()], "pre");
}

#[test]
fn a_crate_inherits_the_workspace_policy() {
    let workspace = policies(
        "[workspace.metadata.release]\ntag-name = \"{{prefix}}v{{version}}\"\nsign-tag = true\nmanifests = [\"a\"]\nlabels.pre = \"rc\"\ncommit-message = \"ws\"\n",
    )
    .workspace
    .unwrap();
    let package = policies(
        "[package.metadata.release]\ntag-prefix = \"core-\"\npre-release-commit-message = \"pkg\"\n",
    )
    .package
    .unwrap();
    let effective = package.inherit(&workspace);
    assert_eq!(effective.tag_name(), "{{prefix}}v{{version}}");
    assert_eq!(effective.tag_prefix(false), "core-");
    assert!(effective.sign_tag());
    assert!(
        effective.manifests.is_empty(),
        "manifests are not inherited"
    );
    assert_eq!(effective.labels, workspace.labels);
    // The package names its commit message with cargo-release's key: that wins.
    assert_eq!(effective.commit_message(), "pkg");
    assert!(!effective.origins.contains_key("tag-name"));
}

#[test]
fn a_crate_inherits_the_release_safety_keys_its_table_does_not_set() {
    let workspace = policies(
        "[workspace.metadata.release]\nallow-branch = [\"main\"]\nsign-commit = true\npush = true\npush-remote = \"upstream\"\npush-options = \"ci.skip\"\npublish = false\n",
    )
    .workspace
    .unwrap();
    let package =
        policies("[package.metadata.release]\npush = false\npush-options = [\"a\", \"b\"]\n")
            .package
            .unwrap();
    let keys = package.inherit(&workspace).cargo_release;
    assert_eq!(keys.allow_branch, Some(vec!["main".to_string()]));
    assert_eq!(keys.sign_commit, Some(true));
    assert_eq!(keys.push, Some(false), "the package's own value wins");
    assert_eq!(keys.push_remote.as_deref(), Some("upstream"));
    assert_eq!(keys.push_options(), ["a", "b"]);
    // The keys this tool ignores are not inherited, and are named where they are set.
    assert!(keys.ignored_set().is_empty());
    assert_eq!(workspace.cargo_release.ignored_set(), ["publish"]);
    assert_eq!(workspace.cargo_release.push_options(), ["ci.skip"]);
}
