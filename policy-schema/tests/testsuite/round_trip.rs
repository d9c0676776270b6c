//! Property: any policy the standard allows, written as TOML, reads back as itself, and its JSON
//! form is valid under the schema.

use std::collections::BTreeMap;

use policy_schema::{
    parse_policies, CargoReleaseKeys, Check, DotnetPolicy, HelmPolicy, ManifestEntry, PatternEntry,
    Pep440Stage, Policy, PreReleaseSpelling, PreReleaseStart, RateLimit, SharedVersion,
    StringOrList, VersionFormat,
};
use proptest::prelude::*;
use proptest::sample::select;

use crate::support;

fn path() -> impl Strategy<Value = String> {
    "[a-z]{1,6}(/[a-z*]{1,6}){0,3}(\\.json|\\.toml|\\.py)?"
}

/// A template from fragments, placeholders among them, perhaps ending with an unclosed `{{`
/// (plain text).
fn template(placeholders: &'static [&'static str]) -> impl Strategy<Value = String> {
    let fragments = prop::collection::vec(
        prop_oneof![
            select(placeholders).prop_map(|name| format!("{{{{{name}}}}}")),
            "[a-zA-Z .:/_-]{0,6}",
        ],
        0..5,
    );
    (fragments, any::<bool>()).prop_map(|(parts, open)| {
        let mut text = parts.concat();
        if open {
            text.push_str("{{ text");
        }
        text
    })
}

const MESSAGE: &[&str] = &[
    "version",
    "pep440",
    "nuget",
    "crate_name",
    "date",
    "tag_name",
    "prefix",
];
const TAG_NAME: &[&str] = &["version", "prefix", "crate_name", "major", "minor", "patch"];
const TAG_PREFIX: &[&str] = &["crate_name", "date"];

fn pattern_entry() -> impl Strategy<Value = PatternEntry> {
    let counts = prop_oneof![
        (1u32..5).prop_map(|n| (Some(n), None, None)),
        (prop::option::of(0u32..3), prop::option::of(0u32..3)).prop_map(|(min, extra)| {
            let max = extra.map(|extra| min.unwrap_or(1).max(1) + extra);
            (None, min, max)
        }),
    ];
    (
        path(),
        "[a-z_ =\"']{0,8}",
        "[a-z_ =\"']{0,8}",
        select(VersionFormat::ALL.to_vec()),
        counts,
    )
        .prop_map(
            |(path, before, after, (_, format), (exactly, min, max))| PatternEntry {
                path,
                search: format!("{before}{{{{version}}}}{after}"),
                format,
                exactly,
                min,
                max,
            },
        )
}

fn numeric_template() -> impl Strategy<Value = String> {
    prop::collection::vec(
        select(vec![
            "{{major}}",
            "{{minor}}",
            "{{patch}}",
            "0",
            "7",
            "65534",
        ]),
        2..=4,
    )
    .prop_map(|parts| parts.join("."))
}

/// `pre-release-spelling`, `pre-release-start`, `pep440-local-version`.
fn spelling_keys() -> impl Strategy<
    Value = (
        Option<PreReleaseSpelling>,
        Option<PreReleaseStart>,
        Option<bool>,
    ),
> {
    (
        prop::option::of(prop_oneof![
            Just(PreReleaseSpelling::Dotted),
            Just(PreReleaseSpelling::Compact)
        ]),
        prop::option::of(prop_oneof![
            (0u64..3).prop_map(PreReleaseStart::All),
            prop::collection::btree_map("[a-z]{1,6}", 0u64..3, 0..3)
                .prop_map(PreReleaseStart::PerLabel),
        ]),
        prop::option::of(any::<bool>()),
    )
}

// One strategy per policy key, in one tuple: splitting it would only split the tuple.
#[allow(clippy::too_many_lines)]
fn policy_without_spellings() -> impl Strategy<Value = Policy> {
    let files = (
        prop::collection::vec(
            prop_oneof![
                path().prop_map(ManifestEntry::Path),
                pattern_entry().prop_map(ManifestEntry::Pattern),
            ],
            0..4,
        ),
        prop::collection::vec(path(), 0..3),
        prop::collection::vec(path(), 0..3),
        prop::collection::btree_map(
            "[a-z]{1,6}".prop_filter("not built in, not a post-release", |label| {
                Pep440Stage::of_builtin_label(label).is_none()
                    && !matches!(label.as_str(), "post" | "rev" | "r")
            }),
            select(
                Pep440Stage::ALL
                    .iter()
                    .map(|&(_, stage)| stage)
                    .collect::<Vec<_>>(),
            ),
            0..3,
        ),
        prop::option::of(numeric_template()),
        prop::option::of(numeric_template()),
        prop::collection::vec(
            (
                prop::collection::vec("[a-z-]{1,6}", 1..4),
                prop::option::of(path()),
            ),
            0..3,
        ),
    );
    let release = (
        prop::option::of(template(MESSAGE)),
        prop::option::of(template(MESSAGE)),
        prop::option::of(template(TAG_NAME).prop_filter("not empty", |t| !t.is_empty())),
        prop::option::of(template(TAG_PREFIX)),
        prop::option::of(template(MESSAGE)),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop_oneof![
            any::<bool>().prop_map(SharedVersion::Enabled),
            "[a-z]{1,6}".prop_map(SharedVersion::Name),
        ]),
        (
            prop::option::of(any::<bool>()),
            prop::option::of(prop::collection::vec("[a-z*!]{1,6}", 0..3)),
            prop::option::of(prop_oneof![
                "[a-z.]{0,6}".prop_map(StringOrList::One),
                prop::collection::vec("[a-z.]{1,6}", 0..3).prop_map(StringOrList::List),
            ]),
            prop::option::of(0u64..100),
        ),
    );
    (files, release).prop_map(|(files, release)| {
        let (manifests, exclude, lockfiles, labels, assembly_version, file_version, checks) = files;
        let (commit, pre_commit, tag_name, tag_prefix, tag_message, sign_tag, tag, shared, keys) =
            release;
        let (publish, allow_branch, push_options, new_packages) = keys;
        Policy {
            manifests,
            exclude,
            lockfiles,
            labels,
            dotnet: DotnetPolicy {
                assembly_version,
                file_version,
            },
            go_tags: std::collections::BTreeMap::new(),
            helm: HelmPolicy::default(),
            checks: checks
                .into_iter()
                .enumerate()
                .map(|(i, (run, dir))| Check {
                    name: format!("check-{i}"),
                    run,
                    dir,
                })
                .collect(),
            commit_message: commit,
            pre_release_commit_message: pre_commit,
            tag_name,
            tag_prefix,
            tag_message,
            sign_tag,
            tag,
            shared_version: shared,
            cargo_release: CargoReleaseKeys {
                publish,
                allow_branch,
                push_options,
                rate_limit: RateLimit {
                    new_packages,
                    existing_packages: None,
                },
                ..CargoReleaseKeys::default()
            },
            origins: BTreeMap::new(),
            ..Policy::default()
        }
    })
}

/// Every key of the policy: the ones above and the spelling keys.
fn policy() -> impl Strategy<Value = Policy> {
    (policy_without_spellings(), spelling_keys()).prop_map(|(policy, (spelling, start, local))| {
        Policy {
            pre_release_spelling: spelling,
            pre_release_start: start,
            pep440_local_version: local,
            ..policy
        }
    })
}

proptest! {
    #[test]
    fn policies_round_trip_through_toml(policy in policy(), pretty in any::<bool>()) {
        let text = if pretty {
            // Standard tables: `[workspace.metadata.release]`, `[workspace.metadata.release.dotnet]`, ….
            let table = toml_edit::ser::to_document(&policy).unwrap().as_table().clone();
            let mut document = toml_edit::DocumentMut::new();
            let mut workspace = toml_edit::Table::new();
            workspace.set_implicit(true);
            let mut metadata = toml_edit::Table::new();
            metadata.set_implicit(true);
            metadata.insert("release", toml_edit::Item::Table(table));
            workspace.insert("metadata", toml_edit::Item::Table(metadata));
            document.insert("workspace", toml_edit::Item::Table(workspace));
            let text = document.to_string();
            prop_assert!(text.contains("[workspace.metadata.release]"), "{}", text);
            text
        } else {
            // One inline table.
            let mut document = BTreeMap::new();
            document.insert("workspace", BTreeMap::from([("metadata", BTreeMap::from([("release", &policy)]))]));
            toml_edit::ser::to_string(&document).unwrap()
        };
        let parsed = parse_policies(&text)
            .unwrap_or_else(|error| panic!("{}\n{text}", support::describe(&error, &text)));
        let mut read = parsed.workspace.unwrap_or_default();
        for origin in read.origins.values() {
            prop_assert!(origin.value.end <= text.len() && origin.key.end <= text.len());
        }
        read.origins.clear();
        prop_assert_eq!(&read, &policy, "{}", text);

        let json = serde_json::to_value(&policy).unwrap();
        let errors: Vec<String> = support::validator().iter_errors(&json).map(|e| e.to_string()).collect();
        prop_assert!(errors.is_empty(), "{:#}\n{:#?}", json, errors);
    }
}
