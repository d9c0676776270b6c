//! Every key of the policy table: what it accepts, what it refuses and with which message, and
//! that the JSON Schema agrees with the parser on each case.

use crate::support::{describe, in_workspace_table, schema_errors, workspace_policy};
use policy_schema::{
    parse_policies, CertsSource, DependentVersion, ManifestEntry, MetadataPolicy, PatternEntry,
    Pep440Stage, Policy, PolicyErrorKind, PreReleaseSpelling, PreReleaseStart, SharedVersion,
    StringOrList, VersionFormat,
};

/// A valid table body: the parser reads it, `check` holds on the policy, the schema accepts it.
#[track_caller]
fn valid(body: &str, check: impl FnOnce(&Policy)) {
    let text = in_workspace_table(body);
    let policy = workspace_policy(&text);
    check(&policy);
    let errors = schema_errors(&text);
    assert!(
        errors.is_empty(),
        "the parser accepts but the schema refuses:\n{text}\n{errors:#?}"
    );
}

/// An invalid table body: the parser refuses it with a message containing `message`, pointing at
/// the first occurrence of `at` in the body; the schema refuses it too.
#[track_caller]
fn invalid(body: &str, message: &str, at: &str) {
    invalid_parser_only(body, message, at);
    let text = in_workspace_table(body);
    assert!(
        !schema_errors(&text).is_empty(),
        "the parser refuses but the schema accepts:\n{text}"
    );
}

/// An invalid table body that the JSON Schema cannot describe (a rule across values).
#[track_caller]
fn invalid_parser_only(body: &str, message: &str, at: &str) {
    let text = in_workspace_table(body);
    let error = match parse_policies(&text) {
        Ok(policies) => panic!("accepted:\n{text}\n{policies:#?}"),
        Err(error) => error,
    };
    let shown = describe(&error, &text);
    assert!(
        error.message.contains(message),
        "expected a message containing {message:?}, got:\n{shown}"
    );
    let header = "[workspace.metadata.release]\n".len();
    let expected = header + body.find(at).expect("`at` occurs in the body");
    assert_eq!(
        error.offset(),
        expected,
        "the error points at {:?}, expected {at:?}:\n{shown}",
        &text[error.offset()..]
    );
}

#[test]
fn manifests() {
    valid(
        r#"manifests = ["bindings/node/package.json", "bindings/node/npm/*/package.json"]"#,
        |p| {
            assert_eq!(
                p.manifests,
                [
                    ManifestEntry::Path("bindings/node/package.json".into()),
                    ManifestEntry::Path("bindings/node/npm/*/package.json".into()),
                ]
            );
        },
    );
    valid(
        r#"manifests = [{ path = "src/_version.py", search = '__version__ = "{{version}}"', format = "pep440", min = 1, max = 2 }]"#,
        |p| {
            assert_eq!(
                p.manifests,
                [ManifestEntry::Pattern(PatternEntry {
                    path: "src/_version.py".into(),
                    search: r#"__version__ = "{{version}}""#.into(),
                    format: VersionFormat::Pep440,
                    exactly: None,
                    min: Some(1),
                    max: Some(2),
                })]
            );
        },
    );
    for (name, format) in VersionFormat::ALL {
        valid(
            &format!(
                r#"manifests = [{{ path = "v.txt", search = "{{{{version}}}}", format = "{name}", exactly = 1 }}]"#
            ),
            |p| {
                let ManifestEntry::Pattern(entry) = &p.manifests[0] else {
                    panic!("a pattern entry")
                };
                assert_eq!((entry.format, entry.exactly), (format, Some(1)));
            },
        );
    }
    valid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", min = 0 }]"#,
        |p| {
            let ManifestEntry::Pattern(entry) = &p.manifests[0] else {
                panic!("a pattern entry")
            };
            assert_eq!((entry.format, entry.min), (VersionFormat::Semver, Some(0)));
        },
    );
    // An array of tables holds pattern entries too.
    valid(
        "[[workspace.metadata.release.manifests]]\npath = \"README.md\"\nsearch = \"v{{version}}\"\n",
        |p| assert_eq!(p.manifests[0].path(), "README.md"),
    );
    valid("manifests = []", |p| assert!(p.manifests.is_empty()));
}

#[test]
fn manifests_refused() {
    invalid(
        r#"manifests = "package.json""#,
        "expected an array of paths",
        "\"package.json\"",
    );
    invalid("manifests = [1]", "expected a path or a `{ path, search }` table for `workspace.metadata.release.manifests[0]`, found an integer", "1]");
    invalid(
        r#"manifests = ["a", ""]"#,
        "`workspace.metadata.release.manifests[1]` is empty",
        r#""""#,
    );
    invalid(
        r#"manifests = [{ path = "v.txt" }]"#,
        "`workspace.metadata.release.manifests[0]` has no `search`",
        "{",
    );
    invalid(
        r#"manifests = [{ search = "{{version}}" }]"#,
        "has no `path`",
        "{",
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", fromat = "pep440" }]"#,
        "unknown key `fromat` in `workspace.metadata.release.manifests[0]`, did you mean `format`?",
        "fromat",
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", format = "semvar" }]"#,
        "unknown value `semvar` for `workspace.metadata.release.manifests[0].format`, expected one of `semver`, `pep440`, `nuget`, `assembly`, `rubygems`, `maven`",
        r#""semvar""#,
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", format = 440 }]"#,
        "expected a string (one of `semver`",
        "440",
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "version = 1" }]"#,
        "must contain `{{version}}` exactly once, found 0",
        r#""version = 1""#,
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}} {{version}}" }]"#,
        "must contain `{{version}}` at most once, found 2",
        r#""{{version}} {{version}}""#,
    );
    // the version's numbers: each at most once, never side by side
    valid(
        r#"manifests = [{ path = "v.h", search = "MAJOR {{major}}\nMINOR {{minor}}" }]"#,
        |p| assert_eq!(p.manifests.len(), 1),
    );
    invalid_parser_only(
        r#"manifests = [{ path = "v.txt", search = "{{major}}.{{major}}" }]"#,
        "must contain `{{major}}` at most once, found 2",
        r#""{{major}}.{{major}}""#,
    );
    invalid_parser_only(
        r#"manifests = [{ path = "v.txt", search = "{{major}}{{minor}}" }]"#,
        "nothing between them",
        r#""{{major}}{{minor}}""#,
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "v{{pep440}}" }]"#,
        "the placeholder `{{pep440}}` cannot be used in `workspace.metadata.release.manifests[0].search`",
        "{{pep440}}",
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", exactly = 0 }]"#,
        "`workspace.metadata.release.manifests[0].exactly` is 0",
        "0 }",
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", min = -1 }]"#,
        "`workspace.metadata.release.manifests[0].min` is out of range: `-1`",
        "-1",
    );
    invalid(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", max = "2" }]"#,
        "expected a non-negative integer for `workspace.metadata.release.manifests[0].max`, found a string",
        r#""2""#,
    );
    invalid_parser_only(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", exactly = 1, min = 1 }]"#,
        "sets `exactly` together with `min` or `max`",
        "{",
    );
    invalid_parser_only(
        r#"manifests = [{ path = "v.txt", search = "{{version}}", max = 1, min = 2 }]"#,
        "`workspace.metadata.release.manifests[0].min` is greater than `max`: 2 > 1",
        "2 }",
    );
}

#[test]
fn exclude_and_lockfiles() {
    for key in ["exclude", "lockfiles"] {
        valid(
            &format!(r#"{key} = ["**/node_modules/**", "examples/**"]"#),
            |p| {
                let list = if key == "exclude" {
                    &p.exclude
                } else {
                    &p.lockfiles
                };
                assert_eq!(list, &["**/node_modules/**", "examples/**"]);
            },
        );
        invalid(
            &format!(r#"{key} = "examples/**""#),
            &format!("expected an array of strings for `workspace.metadata.release.{key}`, found a string"),
            "\"examples",
        );
        invalid(
            &format!("{key} = [true]"),
            &format!(
                "expected a string for `workspace.metadata.release.{key}[0]`, found a boolean"
            ),
            "true",
        );
        invalid(
            &format!(r#"{key} = ["a", ""]"#),
            &format!("`workspace.metadata.release.{key}[1]` is empty"),
            "\"\"",
        );
    }
}

#[test]
fn labels() {
    valid(
        r#"labels = { pre = "rc", nightly = "dev", preview = "b", early = "a" }"#,
        |p| {
            assert_eq!(p.labels["pre"], Pep440Stage::Rc);
            assert_eq!(p.labels["nightly"], Pep440Stage::Dev);
            assert_eq!(p.labels["preview"], Pep440Stage::Beta);
            assert_eq!(p.stage_of("early"), Some(Pep440Stage::Alpha));
            assert_eq!(p.stage_of("beta"), Some(Pep440Stage::Beta));
            assert_eq!(p.stage_of("nope"), None);
        },
    );
    valid("[workspace.metadata.release.labels]\npre = \"rc\"", |p| {
        assert_eq!(p.labels["pre"], Pep440Stage::Rc);
    });
    // Naming a built-in label with its own stage is harmless.
    valid(r#"labels.alpha = "a""#, |p| {
        assert_eq!(p.labels["alpha"], Pep440Stage::Alpha);
    });

    invalid(
        r#"labels = ["pre"]"#,
        "expected a table for `workspace.metadata.release.labels`, found an array",
        "[\"pre\"]",
    );
    invalid(
        r#"labels.pre = "alpha""#,
        "unknown value `alpha` for `workspace.metadata.release.labels.pre`, expected one of `a`, `b`, `rc`, `dev`",
        "\"alpha\"",
    );
    invalid(r"labels.pre = 1", "expected a string (one of `a`, `b`, `rc`, `dev`) for `workspace.metadata.release.labels.pre`, found an integer", "1");
    invalid(
        r#"labels.Pre = "rc""#,
        "invalid pre-release label `Pre`",
        "Pre",
    );
    invalid(
        r#"labels."2x" = "rc""#,
        "invalid pre-release label `2x`",
        "\"2x\"",
    );
    // Letters only: digits make compact spellings ambiguous, `-` is a separator elsewhere.
    invalid(
        r#"labels.pre2 = "rc""#,
        "invalid pre-release label `pre2`",
        "pre2",
    );
    invalid(
        r#"labels.my-pre = "rc""#,
        "invalid pre-release label `my-pre`",
        "my-pre",
    );
    invalid_parser_only(
        r#"labels.post = "rc""#,
        "label `post` cannot be used",
        "post",
    );
    invalid_parser_only(
        r#"labels.beta = "rc""#,
        "the built-in label `beta` is stage `b`, not `rc`",
        "\"rc\"",
    );
}

#[test]
fn helm() {
    valid(
        "[workspace.metadata.release.helm]\nchart-version = false\napp-version = true",
        |p| {
            assert_eq!(p.helm.chart_version, Some(false));
            assert_eq!(
                p.helm.app_version,
                Some(policy_schema::AppVersion::Follow(true))
            );
        },
    );
    valid(r#"helm = { app-version = "server" }"#, |p| {
        assert_eq!(p.helm.chart_version, None);
        assert_eq!(
            p.helm.app_version,
            Some(policy_schema::AppVersion::Group("server".into()))
        );
    });
    for body in [
        "helm = { app-version = 3 }",
        "helm = { app-version = \"\" }",
    ] {
        let error = parse_policies(&in_workspace_table(body)).unwrap_err();
        assert!(
            matches!(*error.kind, PolicyErrorKind::WrongType { .. }),
            "{body}: {error:?}"
        );
    }
}

#[test]
fn dotnet() {
    valid(
        "[workspace.metadata.release.dotnet]\nassembly-version = \"{{major}}.0.0.0\"\nfile-version = \"{{major}}.{{minor}}.{{patch}}.0\"",
        |p| {
            assert_eq!(p.dotnet.assembly_version.as_deref(), Some("{{major}}.0.0.0"));
            assert_eq!(p.assembly_version(), "{{major}}.0.0.0");
            assert_eq!(p.file_version(), "{{major}}.{{minor}}.{{patch}}.0");
        },
    );
    valid(
        r#"dotnet = { file-version = "{{major}}.{{minor}}" }"#,
        |p| {
            assert_eq!(p.assembly_version(), "{{major}}.{{minor}}.{{patch}}.0");
            assert_eq!(
                p.dotnet.file_version.as_deref(),
                Some("{{major}}.{{minor}}")
            );
        },
    );
    invalid(
        r#"dotnet = "{{major}}.0.0.0""#,
        "expected a table for `workspace.metadata.release.dotnet`, found a string",
        "\"{{major}}",
    );
    invalid(
        r#"dotnet.assembly_version = "{{major}}.0.0.0""#,
        "unknown key `assembly_version` in `workspace.metadata.release.dotnet`, did you mean `assembly-version`?",
        "assembly_version",
    );
    invalid(
        r#"dotnet.assembly-version = "{{version}}""#,
        "invalid template `{{version}}` for `workspace.metadata.release.dotnet.assembly-version`: expected two to four dot-separated parts, found 1",
        "\"{{version}}\"",
    );
    invalid(
        r#"dotnet.assembly-version = "{{major}}.{{minor}}.{{patch}}.{{pre}}""#,
        "the part `{{pre}}` is neither a number",
        "\"{{major}}",
    );
    invalid(
        r#"dotnet.file-version = "1.65535""#,
        "the part `65535` is neither a number from 0 to 65534",
        "\"1.",
    );
    invalid(
        r"dotnet.file-version = 1",
        "expected a string for `workspace.metadata.release.dotnet.file-version`, found an integer",
        "1",
    );
}

#[test]
fn checks() {
    valid(
        r#"checks = [{ name = "tests", run = ["cargo", "test", "--workspace"] }, { name = "npm", run = ["npm", "test"], dir = "bindings/node" }]"#,
        |p| {
            assert_eq!(p.checks.len(), 2);
            assert_eq!(p.checks[0].name, "tests");
            assert_eq!(p.checks[0].run, ["cargo", "test", "--workspace"]);
            assert_eq!(p.checks[0].dir, None);
            assert_eq!(p.checks[1].dir.as_deref(), Some("bindings/node"));
        },
    );
    valid(
        "[[workspace.metadata.release.checks]]\nname = \"tests\"\nrun = [\"cargo\", \"test\"]\n\n[[workspace.metadata.release.checks]]\nname = \"lint\"\nrun = [\"cargo\", \"clippy\"]\n",
        |p| assert_eq!(p.checks[1].name, "lint"),
    );
    invalid(r#"checks = { name = "t", run = ["x"] }"#, "expected an array of `{ name, run }` tables for `workspace.metadata.release.checks`, found a table", "{");
    invalid(
        r#"checks = ["cargo test"]"#,
        "expected a table for `workspace.metadata.release.checks[0]`, found a string",
        "\"cargo",
    );
    invalid(
        r#"checks = [{ name = "tests" }]"#,
        "`workspace.metadata.release.checks[0]` has no `run`",
        "{",
    );
    invalid(r#"checks = [{ run = ["x"] }]"#, "has no `name`", "{");
    invalid(
        r#"checks = [{ name = "t", run = [] }]"#,
        "`workspace.metadata.release.checks[0].run` is empty",
        "[]",
    );
    invalid(r#"checks = [{ name = "t", run = "cargo test" }]"#, "expected an array of strings for `workspace.metadata.release.checks[0].run`, found a string", "\"cargo test\"");
    invalid(
        r#"checks = [{ name = "t", run = ["cargo", 1] }]"#,
        "expected a string for `workspace.metadata.release.checks[0].run[1]`, found an integer",
        "1]",
    );
    invalid(
        r#"checks = [{ name = "", run = ["x"] }]"#,
        "`workspace.metadata.release.checks[0].name` is empty",
        "\"\"",
    );
    invalid(
        r#"checks = [{ name = "t", run = ["x"], cwd = "a" }]"#,
        "unknown key `cwd` in `workspace.metadata.release.checks[0]`",
        "cwd",
    );
    invalid_parser_only(
        r#"checks = [{ name = "t", run = ["x"] }, { name = "t", run = ["y"] }]"#,
        "two checks are named `t` in `workspace.metadata.release.checks`",
        "\"t\", run = [\"y\"]",
    );
}

#[test]
fn templates() {
    valid(
        r#"commit-message = "chore: release {{crate_name}} {{version}} ({{pep440}}, {{date}})""#,
        |p| {
            assert_eq!(
                p.commit_message(),
                "chore: release {{crate_name}} {{version}} ({{pep440}}, {{date}})"
            );
        },
    );
    valid(r#"pre-release-commit-message = "chore: Release""#, |p| {
        assert_eq!(
            p.pre_release_commit_message.as_deref(),
            Some("chore: Release")
        );
        assert_eq!(p.commit_message(), "chore: Release");
    });
    valid(
        "commit-message = \"ours\"\npre-release-commit-message = \"theirs\"",
        |p| {
            assert_eq!(p.commit_message(), "ours");
        },
    );
    valid(r#"tag-name = "{{prefix}}v{{version}}""#, |p| {
        assert_eq!(p.tag_name(), "{{prefix}}v{{version}}");
    });
    valid(r#"tag-prefix = "{{crate_name}}-""#, |p| {
        assert_eq!(p.tag_prefix(true), "{{crate_name}}-");
    });
    valid(r#"tag-message = "Release {{tag_name}}""#, |p| {
        assert_eq!(p.tag_message(), "Release {{tag_name}}");
    });
    valid(r#"tag-message = """#, |p| assert_eq!(p.tag_message(), ""));
    // A `{{` that is not closed is text.
    valid(r#"tag-message = "{{ not a placeholder""#, |p| {
        assert!(p.tag_message.is_some());
    });
    valid("", |p| {
        assert_eq!(p.commit_message(), "Release {{version}}");
        assert_eq!(p.tag_name(), "{{prefix}}v{{version}}");
        assert_eq!(p.tag_message(), "Release {{version}}");
        assert_eq!(p.tag_prefix(true), "");
        assert_eq!(p.tag_prefix(false), "{{crate_name}}-");
    });

    for key in [
        "commit-message",
        "pre-release-commit-message",
        "tag-name",
        "tag-prefix",
        "tag-message",
    ] {
        invalid(
            &format!("{key} = 1"),
            &format!("expected a string for `workspace.metadata.release.{key}`, found an integer"),
            "1",
        );
        invalid(
            &format!(r#"{key} = "v{{{{verison}}}}""#),
            &format!("unknown placeholder `{{{{verison}}}}` in `workspace.metadata.release.{key}`"),
            "{{verison}}",
        );
    }
    invalid(
        r#"tag-name = "{{tag_name}}""#,
        "the placeholder `{{tag_name}}` cannot be used in `workspace.metadata.release.tag-name`",
        "{{tag_name}}",
    );
    invalid(
        r#"tag-prefix = "{{prefix}}-""#,
        "the placeholder `{{prefix}}` cannot be used in",
        "{{prefix}}",
    );
    invalid(
        r#"tag-name = """#,
        "`workspace.metadata.release.tag-name` is empty",
        "\"\"",
    );
    invalid(
        r#"tag-message = "{{ version }}""#,
        "unknown placeholder `{{ version }}`",
        "{{ version }}",
    );
    // With escapes, the error points at the whole string.
    invalid(
        r#"tag-message = "\u0041 {{x}}""#,
        "unknown placeholder `{{x}}`",
        "\"\\u0041",
    );

    let text = in_workspace_table(r#"tag-name = "v{{verison}}""#);
    let error = parse_policies(&text).unwrap_err();
    assert_eq!(error.help.as_deref(), Some("did you mean `{{version}}`?"));
}

#[test]
fn booleans() {
    valid("sign-tag = true\ntag = false", |p| {
        assert_eq!((p.sign_tag, p.tag), (Some(true), Some(false)));
        assert!(p.sign_tag());
        assert!(!p.tag());
    });
    valid("", |p| {
        assert!(!p.sign_tag());
        assert!(p.tag());
    });
    invalid(
        r#"sign-tag = "yes""#,
        "expected a boolean for `workspace.metadata.release.sign-tag`, found a string",
        "\"yes\"",
    );
    invalid(
        "tag = 1",
        "expected a boolean for `workspace.metadata.release.tag`, found an integer",
        "1",
    );
}

#[test]
fn shared_version() {
    valid("shared-version = true", |p| {
        assert_eq!(p.shared_version, Some(SharedVersion::Enabled(true)));
    });
    valid(r#"shared-version = "bindings""#, |p| {
        assert_eq!(
            p.shared_version,
            Some(SharedVersion::Name("bindings".into()))
        );
    });
    invalid("shared-version = 1", "expected a boolean or a string for `workspace.metadata.release.shared-version`, found an integer", "1");
}

/// cargo-release's keys: accepted with cargo-release's types, refused with others.
#[test]
fn cargo_release_keys() {
    let cases: [(&str, &str, &str, &str); 21] = [
        (
            "allow-branch",
            r#"["main", "!HEAD"]"#,
            r#""main""#,
            "an array of strings",
        ),
        ("sign-commit", "true", r#""true""#, "a boolean"),
        ("push-remote", r#""upstream""#, "false", "a string"),
        ("registry", r#""internal""#, "1", "a string"),
        ("release", "false", "0", "a boolean"),
        ("publish", "false", r#""no""#, "a boolean"),
        ("verify", "false", "[]", "a boolean"),
        (
            "owners",
            r#"["github:org:team"]"#,
            r#""me""#,
            "an array of strings",
        ),
        ("push", "false", "{}", "a boolean"),
        (
            "push-options",
            r#"["ci.skip"]"#,
            "1",
            "a string or an array of strings",
        ),
        ("consolidate-commits", "true", r#""yes""#, "a boolean"),
        (
            "pre-release-replacements",
            r#"[{ file = "CHANGELOG.md", search = "Unreleased", replace = "{{version}}", min = 1, max = 2, exactly = 1, prerelease = true }]"#,
            r#"{ file = "CHANGELOG.md" }"#,
            "an array of `{ file, search, replace }` tables",
        ),
        (
            "pre-release-hook",
            r#"["git", "cliff"]"#,
            "true",
            "a string or an array of strings",
        ),
        (
            "enable-features",
            r#"["full"]"#,
            r#""full""#,
            "an array of strings",
        ),
        ("enable-all-features", "true", "1", "a boolean"),
        (
            "dependent-version",
            r#""fix""#,
            "true",
            "a string (one of `upgrade`, `fix`, `error`, `warn`, `ignore`)",
        ),
        (
            "metadata",
            r#""required""#,
            "false",
            "a string (one of `optional`, `required`, `ignore`, `persistent`)",
        ),
        ("target", r#""x86_64-unknown-linux-gnu""#, "[]", "a string"),
        (
            "rate-limit",
            "{ new-packages = 5, existing-packages = 30 }",
            "5",
            "a table",
        ),
        (
            "certs-source",
            r#""native""#,
            "true",
            "a string (one of `webpki`, `native`)",
        ),
        (
            "unstable",
            "{ workspace-publish = true }",
            "true",
            "a table",
        ),
    ];
    for (key, good, bad, expected) in cases {
        valid(&format!("{key} = {good}"), |_| {});
        invalid(
            &format!("{key} = {bad}"),
            &format!("expected {expected} for `workspace.metadata.release.{key}`"),
            bad,
        );
    }
}

/// cargo-release's keys: the values they take, and the ones they refuse.
#[test]
fn cargo_release_values() {
    valid(
        "push-options = \"\"\npre-release-hook = \"./hook.sh\"\ndependent-version = \"upgrade\"\nmetadata = \"optional\"\ncerts-source = \"webpki\"",
        |p| {
            let keys = &p.cargo_release;
            assert_eq!(keys.push_options, Some(StringOrList::One(String::new())));
            assert_eq!(keys.pre_release_hook, Some(StringOrList::One("./hook.sh".into())));
            assert_eq!(keys.dependent_version, Some(DependentVersion::Upgrade));
            assert_eq!(keys.metadata, Some(MetadataPolicy::Optional));
            assert_eq!(keys.certs_source, Some(CertsSource::Webpki));
        },
    );
    valid("rate-limit.new-packages = 5", |p| {
        assert_eq!(p.cargo_release.rate_limit.new_packages, Some(5));
    });
    invalid(
        r#"dependent-version = "upgrde""#,
        "unknown value `upgrde`",
        "\"upgrde\"",
    );
    invalid("rate-limit.new-pakages = 5", "unknown key `new-pakages` in `workspace.metadata.release.rate-limit`, did you mean `new-packages`?", "new-pakages");
    invalid("rate-limit.new-packages = -5", "is out of range", "-5");
    invalid(
        r"unstable = { workspace_publish = true }",
        "did you mean `workspace-publish`?",
        "workspace_publish",
    );
    invalid(
        r#"pre-release-replacements = [{ file = "a", search = "b" }]"#,
        "`workspace.metadata.release.pre-release-replacements[0]` has no `replace`",
        "{",
    );
    invalid(
        r#"pre-release-replacements = [{ file = "a", search = "b", replace = "c", regex = true }]"#,
        "unknown key `regex`",
        "regex",
    );
    invalid(
        r#"pre-release-hook = ["git", 1]"#,
        "expected a string for `workspace.metadata.release.pre-release-hook[1]`, found an integer",
        "1]",
    );
}

#[test]
fn unknown_keys() {
    invalid(
        r#"tag-nmae = "v{{version}}""#,
        "unknown key `tag-nmae` in `workspace.metadata.release`, did you mean `tag-name`?",
        "tag-nmae",
    );
    invalid(r#"tag_name = "v""#, "did you mean `tag-name`?", "tag_name");
    invalid(
        r#"manifest = ["a"]"#,
        "did you mean `manifests`?",
        "manifest",
    );
    invalid(
        r#"assembly-version = "1.0""#,
        "unknown key `assembly-version`",
        "assembly-version",
    );
    invalid(
        r"frobnicate = 1",
        "unknown key `frobnicate` in `workspace.metadata.release`",
        "frobnicate",
    );

    let error = parse_policies(&in_workspace_table(r#"tag-nmae = "v""#)).unwrap_err();
    assert_eq!(
        *error.kind,
        PolicyErrorKind::UnknownKey {
            key: "tag-nmae".into(),
            table: "workspace.metadata.release".into(),
            suggestion: Some("tag-name".into()),
        }
    );
    assert_eq!(error.help.as_deref(), Some("rename it to `tag-name`"));

    for (body, help) in [
        (
            r#"version = "1.0.0""#,
            "the group's version is not set here",
        ),
        ("dev-version = true", "was removed from cargo-release"),
        (
            "frobnicate = 1",
            "`cargo release-policy schema` prints every key",
        ),
    ] {
        let error = parse_policies(&in_workspace_table(body)).unwrap_err();
        assert!(error.help.as_deref().unwrap().contains(help), "{error:?}");
    }
}

/// Every key the schema describes is a key the parser knows, and the other way round.
#[test]
fn schema_and_parser_know_the_same_keys() {
    let schema: serde_json::Value = serde_json::from_str(&policy_schema::json_schema()).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for key in properties.keys() {
        // No key takes a date-time, so each is a type error, never an unknown key.
        let text = in_workspace_table(&format!("{key} = 1979-05-27"));
        let error = parse_policies(&text).unwrap_err();
        assert!(
            matches!(*error.kind, PolicyErrorKind::WrongType { .. }),
            "{key}: {error:?}"
        );
    }
    assert_eq!(properties.len(), 40);
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn spellings() {
    valid(r#"pre-release-spelling = "compact""#, |p| {
        assert_eq!(p.pre_release_spelling, Some(PreReleaseSpelling::Compact));
    });
    valid(r#"pre-release-spelling = "dotted""#, |p| {
        assert_eq!(p.pre_release_spelling, Some(PreReleaseSpelling::Dotted));
    });
    valid("pre-release-start = 0", |p| {
        assert_eq!(p.pre_release_start, Some(PreReleaseStart::All(0)));
        assert_eq!(p.pre_release_start.as_ref().unwrap().split(), (0, vec![]));
    });
    valid("pre-release-start = { dev = 0, rc = 1 }", |p| {
        let (all, per_label) = p.pre_release_start.as_ref().unwrap().split();
        assert_eq!(all, 1);
        assert_eq!(per_label, [("dev".to_string(), 0), ("rc".to_string(), 1)]);
    });
    valid("pep440-local-version = false", |p| {
        assert_eq!(p.pep440_local_version, Some(false));
    });
    invalid(
        r#"pre-release-spelling = "compressed""#,
        "unknown value `compressed` for `workspace.metadata.release.pre-release-spelling`, expected one of `dotted`, `compact`",
        "\"compressed\"",
    );
    invalid("pre-release-start = -1", "is out of range", "-1");
    invalid(
        r#"pre-release-start = "zero""#,
        "expected a non-negative integer",
        "\"zero\"",
    );
    invalid("pre-release-start = { dev = -1 }", "is out of range", "-1");
    invalid_parser_only(
        "pre-release-start = { Dev = 0 }",
        "invalid pre-release label `Dev`",
        "Dev",
    );
    invalid(
        r#"pep440-local-version = "no""#,
        "expected a boolean",
        "\"no\"",
    );
}

#[test]
fn go_tags() {
    valid(
        r#"go-tags = { "bindings/go/go.mod" = "sdk/go/v{{version}}" }"#,
        |p| {
            assert_eq!(
                p.go_tags.get("bindings/go/go.mod").map(String::as_str),
                Some("sdk/go/v{{version}}")
            );
        },
    );
    invalid_parser_only(
        r#"go-tags = { "go/go.mod" = "go/latest" }"#,
        "has no `{{version}}`",
        "\"go/latest\"",
    );
    invalid(r#"go-tags = ["go/go.mod"]"#, "go-tags", "[");
}
