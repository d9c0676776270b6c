use super::names::{is_normal_python, normalize_python, NameMap};
use super::planner::spells_apart;
use super::*;
use release_policy_version::requirement::{Flavor, Requirement};
use release_policy_version::{Comparison, Spelling, Version};

proptest::proptest! {
    /// A name that passes `is_normal_python` is looked up as written: it is its own
    /// normal form. Every normal form passes.
    #[test]
    fn normal_python_names(name in "[a-zA-Z0-9._\u{e9}-]{0,12}") {
        if is_normal_python(&name) {
            proptest::prop_assert_eq!(normalize_python(&name), name.clone());
        }
        proptest::prop_assert!(is_normal_python(&normalize_python(&name)));
    }
}

fn version((major, minor, patch): (u64, u64, u64), pre: Option<(&str, Option<u64>)>) -> Version {
    Version {
        major,
        minor,
        patch,
        pre: pre.map(|(label, number)| release_policy_version::Pre {
            label: label.to_string(),
            number,
        }),
        build: None,
    }
}

fn any_version() -> impl proptest::strategy::Strategy<Value = Version> {
    use proptest::prelude::*;
    (
        (0..3u64, 0..3u64, 0..3u64),
        proptest::option::of((
            proptest::sample::select(vec!["alpha", "beta", "rc", "dev", "pre"]),
            proptest::option::of(0..3u64),
        )),
    )
        .prop_map(|(release, pre)| version(release, pre))
}

proptest::proptest! {
    /// `spells_apart`: in those ecosystems, a value spelling one version exactly,
    /// differently from another version's spelling, compares as another version, and
    /// a requirement on it does not name the other.
    #[test]
    fn different_spellings_are_different_versions(old in any_version(), new in any_version()) {
        let labels =
            release_policy_version::Labels::with_custom([("pre".to_string(), release_policy_version::Stage::Rc)])
                .unwrap();
        let spelling = Spelling {
            labels,
            ..Spelling::default()
        };
        for (eco, flavors) in [
            (Ecosystem::Cargo, &[Flavor::Cargo][..]),
            (Ecosystem::Npm, &[Flavor::Npm][..]),
            (Ecosystem::NuGet, &[Flavor::NuGet][..]),
            (Ecosystem::Pep440, &[Flavor::Python][..]),
        ] {
            proptest::prop_assert!(spells_apart(eco));
            let (Ok(old_spelled), Ok(new_spelled)) =
                (spelling.render(&old, eco), spelling.render(&new, eco))
            else {
                continue;
            };
            if old_spelled == new_spelled {
                continue;
            }
            proptest::prop_assert_eq!(
                spelling.compare(&new, &old_spelled, eco),
                Comparison::Different,
                "{} in {}", &old_spelled, eco
            );
            for &flavor in flavors {
                for operator in ["", "=", "^", "~", ">=", "==", "["] {
                    let close = if operator == "[" { "]" } else { "" };
                    let raw = format!("{operator}{old_spelled}{close}");
                    if let Some(req) = Requirement::parse(flavor, &raw) {
                        proptest::prop_assert!(
                            !req.names(flavor, &new, &spelling),
                            "{} names {}", &raw, &new
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn names_by_flavor() {
    let mut names = Names {
        cargo: NameMap::default(),
        npm: NameMap::default(),
        python: NameMap::default(),
        nuget: NameMap::default(),
        maven: NameMap::default(),
        go: NameMap::default(),
    };
    names.maven.insert("org.acme:sdk-core".to_string(), 3);
    names.go.insert("example.com/sdk/go".to_string(), 4);
    // Maven coordinates and Go module paths are case-sensitive and looked up as written.
    assert_eq!(names.group_of(Flavor::Maven, "org.acme:sdk-core"), Some(3));
    assert_eq!(names.group_of(Flavor::Maven, "org.acme:SDK-core"), None);
    assert_eq!(names.group_of(Flavor::Go, "example.com/sdk/go"), Some(4));
    assert_eq!(names.group_of(Flavor::Go, "example.com/sdk/go/v2"), None);
    names.python.insert("my-pkg".to_string(), 1);
    names.nuget.insert("acme.core".to_string(), 2);
    assert_eq!(names.group_of(Flavor::Python, "my-pkg"), Some(1));
    assert_eq!(names.group_of(Flavor::Python, "My_Pkg"), Some(1));
    assert_eq!(names.group_of(Flavor::Python, "my..pkg"), Some(1));
    assert_eq!(names.group_of(Flavor::Python, "mypkg"), None);
    assert_eq!(names.group_of(Flavor::NuGet, "acme.core"), Some(2));
    assert_eq!(names.group_of(Flavor::NuGet, "Acme.Core"), Some(2));
    assert_eq!(names.group_of(Flavor::Npm, "acme.core"), None);
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The human `check` plans only the findings it shows (`Keep::Shown`): exactly the full
/// plan's findings of those statuses, in the same order, with the same edits.
#[test]
fn keeping_shown_findings_filters_the_full_plan() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/polyglot-sdk");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&example, dir.path());
    // A drifted version and a drifted requirement, beside everything that is in step.
    let package = dir.path().join("bindings/node/package.json");
    let text = std::fs::read_to_string(&package).unwrap();
    std::fs::write(&package, text.replacen("\"1.4.0\"", "\"1.3.9\"", 1)).unwrap();
    let manifest = dir.path().join("Cargo.toml");
    let repo = crate::load::Repo::load(Some(&manifest)).unwrap();
    let targets = crate::plan::current(&repo);

    let all = plan(&repo, &targets).unwrap();
    let shown = plan_keeping(&repo, &targets, Keep::Shown).unwrap();
    let filtered: Vec<&Finding> = all
        .findings
        .iter()
        .filter(|f| f.status.shown_by_check())
        .collect();
    assert!(!filtered.is_empty(), "the drift is found");
    assert!(
        all.findings.len() > filtered.len(),
        "in-step fields are found too"
    );
    assert_eq!(
        format!("{filtered:#?}"),
        format!("{:#?}", shown.findings.iter().collect::<Vec<_>>())
    );
    assert_eq!(format!("{:?}", all.edits), format!("{:?}", shown.edits));
}
