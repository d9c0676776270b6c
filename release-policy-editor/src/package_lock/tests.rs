use proptest::prelude::*;

use super::*;
use crate::kind::FileKind;
use crate::rewrite::rewrite;
use crate::testing::assert_refused;
use crate::testing::json::{self, Style, J};

/// `input` reads as `expected` (see [`json::summary`]).
#[track_caller]
fn case(input: &str, expected: &str) {
    json::assert_reads_as(read, input, expected);
}

/// `input` is refused with `message` at `position` (`line:column`).
#[track_caller]
fn fails(input: &str, message: &str, position: &str) {
    assert_refused(read, input, message, position);
}

/// What `npm install --package-lock-only` writes for a workspace (npm 11), plus a registry
/// package and a nested copy.
const V3: &str = r#"{
  "name": "root",
  "version": "0.1.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "root",
      "version": "0.1.0",
      "workspaces": [
        "packages/*",
        "npm/*"
      ],
      "devDependencies": {
        "left-pad": "^1.3.0"
      },
      "optionalDependencies": {
        "@scope/linux-x64": "0.1.0"
      }
    },
    "node_modules/@scope/linux-x64": {
      "resolved": "npm/linux-x64",
      "link": true
    },
    "node_modules/app": {
      "resolved": "packages/app",
      "link": true
    },
    "node_modules/cli": {
      "resolved": "packages/cli",
      "link": true
    },
    "node_modules/core": {
      "resolved": "packages/core",
      "link": true
    },
    "node_modules/left-pad": {
      "version": "1.3.0",
      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
      "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEwoiKZKn+wB8ZTH8hPdrlY0wLUnmXd8D1yZUTCkbHc8eOA==",
      "deprecated": "use String.prototype.padStart()",
      "dev": true,
      "license": "WTFPL"
    },
    "node_modules/ui": {
      "resolved": "packages/ui-lib",
      "link": true
    },
    "npm/linux-x64": {
      "name": "@scope/linux-x64",
      "version": "0.1.0",
      "os": [
        "linux"
      ]
    },
    "packages/app": {
      "version": "0.1.0",
      "devDependencies": {
        "core": "0.1.0"
      },
      "peerDependencies": {
        "cli": "~0.1.0"
      }
    },
    "packages/app/node_modules/core": {
      "version": "0.0.9",
      "resolved": "https://registry.npmjs.org/core/-/core-0.0.9.tgz",
      "dependencies": {
        "cli": "^0.1.0"
      }
    },
    "packages/cli": {
      "version": "0.1.0",
      "dependencies": {
        "core": "^0.1.0"
      }
    },
    "packages/core": {
      "version": "0.1.0"
    },
    "packages/ui-lib": {
      "version": "0.1.0"
    }
  }
}
"#;

#[test]
fn lockfile_v3() {
    case(
        V3,
        r#"
name = root
version version = 0.1.0
version packages[""].version = 0.1.0
requirement(left-pad) packages[""].devDependencies.left-pad = ^1.3.0
requirement(@scope/linux-x64) packages[""].optionalDependencies.@scope/linux-x64 = 0.1.0
locked(@scope/linux-x64) packages["npm/linux-x64"].version = 0.1.0
locked(app) packages["packages/app"].version = 0.1.0
requirement(core) packages["packages/app"].devDependencies.core = 0.1.0
requirement(cli) packages["packages/app"].peerDependencies.cli = ~0.1.0
locked(cli) packages["packages/cli"].version = 0.1.0
requirement(core) packages["packages/cli"].dependencies.core = ^0.1.0
locked(core) packages["packages/core"].version = 0.1.0
locked(ui) packages["packages/ui-lib"].version = 0.1.0
"#,
    );
}

/// `npm install --lockfile-version 2`: the same `packages`, and the legacy section where
/// members are `file:` links whose `requires` copy their ranges.
const V2: &str = r#"{
  "name": "root",
  "version": "0.1.0",
  "lockfileVersion": 2,
  "requires": true,
  "packages": {
    "": {
      "name": "root",
      "version": "0.1.0",
      "workspaces": [
        "packages/*"
      ]
    },
    "node_modules/cli": {
      "resolved": "packages/cli",
      "link": true
    },
    "node_modules/core": {
      "resolved": "packages/core",
      "link": true
    },
    "packages/cli": {
      "version": "0.1.0",
      "dependencies": {
        "core": "^0.1.0"
      }
    },
    "packages/core": {
      "version": "0.1.0"
    }
  },
  "dependencies": {
    "cli": {
      "version": "file:packages/cli",
      "requires": {
        "core": "^0.1.0"
      }
    },
    "core": {
      "version": "file:packages/core"
    },
    "left-pad": {
      "version": "1.3.0",
      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
      "requires": {
        "core": "^0.1.0"
      }
    }
  }
}
"#;

#[test]
fn lockfile_v2() {
    case(
        V2,
        r#"
name = root
version version = 0.1.0
version packages[""].version = 0.1.0
locked(cli) packages["packages/cli"].version = 0.1.0
requirement(core) packages["packages/cli"].dependencies.core = ^0.1.0
locked(core) packages["packages/core"].version = 0.1.0
requirement(core) dependencies["cli"].requires.core = ^0.1.0
"#,
    );
}

#[test]
fn lockfile_v1() {
    // What npm 6 (and npm 11 with `--lockfile-version 1`) writes: no `packages`.
    case(
        r#"{
  "name": "root",
  "version": "0.1.0",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "@scope/linux-x64": {
      "version": "file:npm/linux-x64"
    },
    "app": {
      "version": "file:packages/app",
      "requires": {
        "core": "0.1.0"
      }
    },
    "left-pad": {
      "version": "1.3.0",
      "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEwoiKZKn+wB8ZTH8hPdrlY0wLUnmXd8D1yZUTCkbHc8eOA==",
      "dev": true
    }
  }
}"#,
        r#"
name = root
version version = 0.1.0
requirement(core) dependencies["app"].requires.core = 0.1.0
"#,
    );
}

#[test]
fn layouts() {
    let expected = "name = r\nversion version = 1.0.0\nversion packages[\"\"].version = 1.0.0\nlocked(a) packages[\"a\"].version = 1.0.0";
    let lf = "{\n  \"name\": \"r\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n      \"version\": \"1.0.0\"\n    },\n    \"a\": {\n      \"version\": \"1.0.0\"\n    }\n  }\n}\n";
    case(lf, expected);
    case(&lf.replace('\n', "\r\n"), expected);
    case(&lf.replace("  ", "\t"), expected);
    case(&format!("\u{feff}{}", lf.trim_end()), expected);
    case(&lf.replace(['\n', ' '], ""), expected);
    case(
        "{\"packages\":{\"\":{}},\"name\":\"r\",\"version\":\"1.0.0\"}",
        "name = r\nversion version = 1.0.0",
    );
    case("{}", "");
    case("{\"lockfileVersion\": 3, \"packages\": {}}", "");
}

#[test]
fn member_names() {
    // `name` first, then the link pointing at the path, then the last path component.
    case(
        r#"{"packages": {
  "node_modules/@s/b": {"resolved": "libs/b", "link": true},
  "node_modules/not-a-link": {"resolved": "libs/c", "link": false},
  "node_modules/x/node_modules/@s/d": {"resolved": "libs/d", "link": true},
  "libs/a": {"name": "@s/a", "version": "1.0.0"},
  "libs/b": {"version": "1.0.0"},
  "libs/c": {"version": "1.0.0"},
  "libs/d": {"version": "1.0.0"},
  "../outside": {"version": "1.0.0"},
  "libs/e": {"name": "e", "dependencies": {"@s/a": "workspace:*"}}
}}"#,
        r#"
locked(@s/a) packages["libs/a"].version = 1.0.0
locked(@s/b) packages["libs/b"].version = 1.0.0
locked(c) packages["libs/c"].version = 1.0.0
locked(@s/d) packages["libs/d"].version = 1.0.0
locked(outside) packages["../outside"].version = 1.0.0
requirement(@s/a) packages["libs/e"].dependencies.@s/a = workspace:*
"#,
    );
}

#[test]
fn escapes_and_odd_values() {
    case(
        r#"{"packages": {
  "": {"version": "1.0.0", "dependencies": {"a": "^1\u002e0.0", "b": 2}},
  "p\u002fa": {"version": "1.0\u002e0"}
}}"#,
        r#"
version packages[""].version = 1.0.0
unsupported packages[""].dependencies.a: the requirement is written with escape sequences (^1\u002e0.0)
unsupported packages[""].dependencies.b: expected a string, found a number (2)
unsupported packages["p/a"].version: the version is written with escape sequences (1.0\u002e0)
"#,
    );
    fails(
        "{\"version\": \"1.0\\u002e0\"}",
        "`version` is written with escape sequences, which this tool does not edit",
        "1:13",
    );
    fails(
        "{\"packages\": {\"\": {\"version\": \"\\u0031\"}}}",
        "`packages[\"\"].version` is written with escape sequences, which this tool does not edit",
        "1:31",
    );
    fails(
        "{\"packages\": {\"a\": {\"version\": 1}}}",
        "expected a string for `packages[\"a\"].version`, found a number",
        "1:32",
    );
    fails(
        "{\"packages\": {\"a\": []}}",
        "expected an object for `packages[\"a\"]`, found an array",
        "1:20",
    );
    fails(
        "{\"packages\": []}",
        "expected an object for `packages`, found an array",
        "1:14",
    );
    fails(
        "{\"dependencies\": {\"a\": {\"version\": \"file:a\", \"requires\": true}}}",
        "expected an object for `dependencies[\"a\"].requires`, found a boolean",
        "1:58",
    );
    fails(
        "[]",
        "expected an object at the top level of `package-lock.json`, found an array",
        "1:1",
    );
}

#[test]
fn lockfile_versions() {
    for version in ["1", "2", "3"] {
        case(&format!("{{\"lockfileVersion\": {version}}}"), "");
    }
    fails(
        "{\"lockfileVersion\": 4}",
        "unsupported `lockfileVersion` `4`",
        "1:21",
    );
    fails(
        "{\"lockfileVersion\": 3.0}",
        "unsupported `lockfileVersion` `3.0`",
        "1:21",
    );
    fails(
        "{\"lockfileVersion\": \"3\"}",
        "expected a number for `lockfileVersion`, found a string",
        "1:21",
    );
}

#[test]
fn duplicates() {
    fails(
        "{\"version\": \"1\", \"version\": \"2\"}",
        "duplicate key `version` at 1:2 and 1:18",
        "1:18",
    );
    fails(
        "{\"packages\": {\n  \"a\": {},\n  \"a\": {}\n}}",
        "duplicate key `packages[\"a\"]` at 2:3 and 3:3",
        "3:3",
    );
    fails(
        "{\"packages\": {\"a\": {\"version\": \"1\", \"version\": \"2\"}}}",
        "duplicate key `packages[\"a\"].version` at 1:21 and 1:37",
        "1:37",
    );
    fails(
        "{\"packages\": {\"\": {\"dependencies\": {\"b\": \"1\", \"b\": \"1\"}}}}",
        "duplicate key `packages[\"\"].dependencies.b` at 1:37 and 1:47",
        "1:47",
    );
}

#[test]
fn malformed() {
    fails(
        "{\n  \"packages\": {\n    \"\": {},\n  },\n}",
        "trailing comma",
        "3:11",
    );
    fails(
        "{\r\n  \"version\": \"1.0.0\" // the version\r\n}",
        "comments are not allowed in JSON",
        "2:22",
    );
    fails(
        "{\"version\": \"1.0.0\"}}",
        "unexpected `}` after the end of the JSON document",
        "1:21",
    );
}

#[test]
fn rewrites_in_place() {
    let reading = read(V2).unwrap();
    let edits: Vec<(&Field, String)> = reading
        .fields
        .iter()
        .map(|f| (f, f.value.replace("0.1.0", "0.2.0-beta.1")))
        .collect();
    let edits: Vec<(&Field, &str)> = edits.iter().map(|(f, v)| (*f, v.as_str())).collect();
    let out = rewrite(FileKind::PackageLock, V2, &edits).unwrap();
    // The `requires` of a registry package are not ours.
    let (head, tail) = V2.split_at(V2.find("\"left-pad\"").unwrap());
    let expected = head
        .replace("\"0.1.0\"", "\"0.2.0-beta.1\"")
        .replace("^0.1.0", "^0.2.0-beta.1");
    assert_eq!(out, expected + tail);
}

/// A v2/v3 lock (the v1 legacy section as well when `legacy`) in a random style.
#[allow(clippy::too_many_lines)]
fn document() -> impl Strategy<Value = (J, Style)> {
    let dependencies = || {
        prop::collection::vec(
            (
                prop::sample::select(crate::package_json::DEPENDENCY_SECTIONS.to_vec()),
                prop::collection::vec((json::package_name(), json::range()), 0..3),
            ),
            0..3,
        )
    };
    // A member: its directory, whether the entry names it, whether a link names it.
    let member = (
        "(packages|npm|libs)/[a-z]{1,6}",
        json::package_name(),
        0..3u8,
        prop::option::of(json::version()),
        dependencies(),
    );
    (
        prop::option::of(json::package_name()),
        prop::option::of(json::version()),
        prop::option::of(json::version()),
        dependencies(),
        prop::collection::vec(member, 0..5),
        prop::collection::vec((json::package_name(), json::version()), 0..4),
        any::<bool>(),
        json::style(),
    )
        .prop_flat_map(|(name, version, root_version, root_deps, members, registry, legacy, style)| {
            let deps = |prefix: &str, sections: Vec<(&str, Vec<(String, String)>)>| {
                let mut out = Vec::new();
                for (section, dependencies) in sections {
                    let map = dependencies
                        .into_iter()
                        .map(|(package, range)| {
                            let key = format!("{prefix}.{section}.{package}");
                            (package.clone(), J::field(&range, FieldKind::Requirement { package }, key))
                        })
                        .collect();
                    out.push((section.to_string(), J::Obj(json::dedup(map))));
                }
                json::dedup(out)
            };
            let mut root = Vec::new();
            if let Some(name) = &name {
                root.push(("name".to_string(), J::str(name)));
            }
            if let Some(version) = &version {
                root.push(("version".to_string(), J::field(version, FieldKind::Version, "version")));
            }
            root.push(("lockfileVersion".to_string(), J::Raw(if legacy { "2" } else { "3" }.to_string())));
            root.push(("requires".to_string(), J::Raw("true".to_string())));
            let mut packages = Vec::new();
            let mut entry = Vec::new();
            if let Some(name) = &name {
                entry.push(("name".to_string(), J::str(name)));
            }
            if let Some(version) = &root_version {
                entry.push((
                    "version".to_string(),
                    J::field(version, FieldKind::Version, "packages[\"\"].version"),
                ));
            }
            entry.push(("workspaces".to_string(), J::Raw("[\"packages/*\"]".to_string())));
            entry.extend(deps("packages[\"\"]", root_deps));
            packages.push((String::new(), J::Obj(entry)));
            let mut legacy_entries = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let mut linked = std::collections::HashSet::new();
            for (path, package, naming, version, dependencies) in members {
                if !seen.insert(path.clone()) {
                    continue;
                }
                let last = path.rsplit('/').next().unwrap_or_default().to_string();
                let key = format!("packages[\"{path}\"]");
                let mut entry = Vec::new();
                // 0: the entry names it; 1: a link names it; 2: the directory does.
                // A name can be linked once.
                let naming = if naming == 1 && !linked.insert(package.clone()) { 0 } else { naming };
                let locked_as = match naming {
                    0 => {
                        entry.push(("name".to_string(), J::str(&package)));
                        package.clone()
                    }
                    1 => {
                        packages.push((
                            format!("node_modules/{package}"),
                            J::Obj(vec![
                                ("resolved".to_string(), J::str(&path)),
                                ("link".to_string(), J::Raw("true".to_string())),
                            ]),
                        ));
                        package.clone()
                    }
                    _ => last.clone(),
                };
                if let Some(version) = version {
                    entry.push((
                        "version".to_string(),
                        J::field(&version, FieldKind::Locked { package: locked_as.clone() }, format!("{key}.version")),
                    ));
                }
                let sections = deps(&key, dependencies);
                // The legacy copy: `requires` holds every range (not reported twice: fields
                // are only the ones marked here).
                let mut requires = Vec::new();
                for (_, map) in &sections {
                    if let J::Obj(map) = map {
                        for (dependency, value) in map {
                            if let J::Str(range, _) = value {
                                requires.push((
                                    dependency.clone(),
                                    J::field(
                                        range,
                                        FieldKind::Requirement { package: dependency.clone() },
                                        format!("dependencies[\"{locked_as}\"].requires.{dependency}"),
                                    ),
                                ));
                            }
                        }
                    }
                }
                entry.extend(sections);
                packages.push((path.clone(), J::Obj(entry)));
                let mut legacy_entry = vec![("version".to_string(), J::str(&format!("file:{path}")))];
                let requires = json::dedup(requires);
                if !requires.is_empty() {
                    legacy_entry.push(("requires".to_string(), J::Obj(requires)));
                }
                legacy_entries.push((locked_as, J::Obj(legacy_entry)));
            }
            for (name, version) in registry {
                let tarball = format!("https://registry.npmjs.org/{name}/-/x-{version}.tgz");
                let integrity = "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEwoiKZKn+wB8ZTH8hPdrlY0wLUnmXd8D1yZUTCkbHc8eOA==";
                let body = vec![
                    ("version".to_string(), J::str(&version)),
                    ("resolved".to_string(), J::str(&tarball)),
                    ("integrity".to_string(), J::str(integrity)),
                    ("dependencies".to_string(), J::Obj(vec![("core".to_string(), J::str("^1.0.0"))])),
                ];
                packages.push((format!("node_modules/{name}"), J::Obj(body.clone())));
                let mut legacy_body = body;
                legacy_body[3].0 = "requires".to_string();
                legacy_entries.push((name, J::Obj(legacy_body)));
            }
            root.push(("packages".to_string(), J::Obj(json::dedup(packages))));
            if legacy {
                root.push(("dependencies".to_string(), J::Obj(json::dedup(legacy_entries))));
            }
            (Just(root).prop_shuffle(), Just(style))
        })
        .prop_map(|(root, style)| (J::Obj(root), style))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn read_and_rewrite(
        (document, style) in document(),
        new_values in prop::collection::vec(prop::option::of(json::range()), 64),
    ) {
        json::read_and_rewrite(FileKind::PackageLock, &document, &style, &new_values)?;
    }
}

/// A lockfile like a big monorepo's, keys sorted as npm sorts them: `members` workspace
/// members (linked, each depending on the previous one) and registry packages with
/// integrity hashes, nested copies and dependency maps, until the text reaches `size` bytes.
fn big_lock(members: usize, size: usize) -> String {
    use std::fmt::Write;
    let mut text = String::from(
        "{\n  \"name\": \"big\",\n  \"version\": \"0.1.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\n      \"name\": \"big\",\n      \"version\": \"0.1.0\",\n      \"workspaces\": [\n        \"packages/*\"\n      ]\n    }",
    );
    for i in 0..members {
        write!(
            text,
            ",\n    \"node_modules/@big/m{i:04}\": {{\n      \"resolved\": \"packages/m{i:04}\",\n      \"link\": true\n    }}"
        )
        .unwrap();
    }
    let mut i: usize = 0;
    while text.len() < size {
        let hash: String = (0..86)
            .map(|k| char::from(b'A' + ((i * 7 + k) % 26) as u8))
            .collect();
        // Every tenth package is a nested copy under the previous one.
        let path = if i % 10 == 9 {
            format!("node_modules/p{:06}/node_modules/p{i:06}", i - 1)
        } else {
            format!("node_modules/p{i:06}")
        };
        write!(
            text,
            ",\n    \"{path}\": {{\n      \"version\": \"{}.{}.{}\",\n      \"resolved\": \"https://registry.npmjs.org/p{i:06}/-/p{i:06}-1.2.3.tgz\",\n      \"integrity\": \"sha512-{hash}==\",\n      \"dev\": true,\n      \"license\": \"MIT\",\n      \"dependencies\": {{\n        \"p{:06}\": \"^1.0.0\",\n        \"p{:06}\": \"~2.1.0 || >=3\"\n      }},\n      \"engines\": {{\n        \"node\": \">=12\"\n      }}\n    }}",
            i % 7, i % 13, i % 5, i + 1, i + 2
        )
        .unwrap();
        i += 1;
    }
    for i in 0..members {
        write!(
            text,
            ",\n    \"packages/m{i:04}\": {{\n      \"version\": \"0.1.0\",\n      \"dependencies\": {{\n        \"@big/m{:04}\": \"^0.1.0\",\n        \"p{i:06}\": \"^1.0.0\"\n      }}\n    }}",
            i.saturating_sub(1)
        )
        .unwrap();
    }
    text.push_str("\n  }\n}\n");
    text
}

/// The bump of a big lockfile: every member version and every range on a member.
fn bump_big_lock(text: &str) -> (usize, String) {
    let reading = read(text).unwrap();
    let edits: Vec<(&Field, &str)> = reading
        .fields
        .iter()
        .filter(|f| {
            f.value.ends_with("0.1.0") && f.package().is_none_or(|p| p.starts_with("@big/"))
        })
        .map(|f| {
            (
                f,
                if f.value.starts_with('^') {
                    "^0.2.0-beta.1"
                } else {
                    "0.2.0-beta.1"
                },
            )
        })
        .collect();
    let out = rewrite(FileKind::PackageLock, text, &edits).unwrap();
    (edits.len(), out)
}

#[test]
fn big_lockfile() {
    let text = big_lock(200, 10_000_000);
    let (edited, out) = bump_big_lock(&text);
    // Two root versions, 200 members, 200 ranges.
    assert_eq!(edited, 402);
    assert_eq!(out.len(), text.len() + 402 * "-beta.1".len());
    assert_eq!(
        read(&out).unwrap().fields.len(),
        read(&text).unwrap().fields.len()
    );
}

/// The figure for the report: `cargo test --release -p release-policy-editor --lib
/// package_lock::tests::big_lockfile_speed -- --ignored --nocapture`. Parsers that
/// build a whole tree are timed on the same text for comparison.
#[test]
#[ignore = "a measurement: run it in a release build"]
fn big_lockfile_speed() {
    fn median(mut f: impl FnMut()) -> (std::time::Duration, std::time::Duration) {
        let mut times: Vec<_> = (0..15)
            .map(|_| {
                let start = std::time::Instant::now();
                f();
                start.elapsed()
            })
            .collect();
        times.sort();
        (times[7], times[0])
    }
    let text = big_lock(200, 10_000_000);
    println!(
        "package-lock.json of {} bytes, median (min) of 15:",
        text.len()
    );
    let (med, min) = median(|| drop(read(&text).unwrap()));
    println!("  read:                        {med:?} ({min:?})");
    let (med, min) = median(|| drop(bump_big_lock(&text)));
    println!("  read + rewrite + verify:     {med:?} ({min:?})");
    let (med, min) = median(|| {
        serde_json::from_str::<serde::de::IgnoredAny>(&text).unwrap();
    });
    println!("  serde_json, validate only:   {med:?} ({min:?})");
    let (med, min) = median(|| drop(serde_json::from_str::<serde_json::Value>(&text).unwrap()));
    println!("  serde_json::Value:           {med:?} ({min:?})");
    let (med, min) = median(|| {
        let options = jsonc_parser::ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        drop(
            jsonc_parser::parse_to_ast(&text, &jsonc_parser::CollectOptions::default(), &options)
                .unwrap(),
        );
    });
    println!("  jsonc-parser AST (strict):   {med:?} ({min:?})");
}
