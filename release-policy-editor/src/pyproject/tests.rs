use std::fmt::Write as _;

use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::reading::{DynamicVersion, FieldKind, Note, Reading};
use crate::testing::assert_refused_at;
use crate::testing::toml::{
    assert_fields, assert_reading, assert_rewrite, check_generated, comment, finish, newline,
    version, ws,
};
use crate::version_file::VersionPattern;

#[track_caller]
fn case(input: &str, expected: &[&str]) {
    assert_fields(read, input, expected);
}

#[track_caller]
fn dynamic(input: &str, expected: &DynamicVersion) {
    let reading = read(input).unwrap_or_else(|e| panic!("{e}\n{input}"));
    assert!(reading.fields.is_empty(), "{:?}", reading.fields);
    match reading.notes.as_slice() {
        [Note::Dynamic { source, span }] => {
            assert_eq!(source, expected, "\n{input}");
            assert_eq!(span.slice(input), "version");
        }
        other => panic!("{other:?}\n{input}"),
    }
}

#[track_caller]
fn error(input: &str, line: usize, column: usize, message: &str) {
    assert_refused_at(read, input, line, column, message);
}

#[test]
fn versions_and_names() {
    case(
        "[project]\nname = \"core\"\nversion = \"1.4.0\"\n",
        &["project.version version = 1.4.0"],
    );
    case(
        "[project]\nversion = '1.4.0rc1'\n",
        &["project.version version = 1.4.0rc1"],
    );
    case(
        "project = { name = \"x\", version = \"1.0\" }\n",
        &["project.version version = 1.0"],
    );
    case(
        "[tool.poetry]\nname = \"core\"\nversion = \"1.4.0\"\n",
        &["tool.poetry.version version = 1.4.0"],
    );
    assert_eq!(
        read("[project]\nname = \"core\"\n")
            .unwrap()
            .name
            .as_deref(),
        Some("core")
    );
    assert_eq!(
        read("[tool.poetry]\nname = \"p\"\n")
            .unwrap()
            .name
            .as_deref(),
        Some("p")
    );
    assert_eq!(
        read("[build-system]\nrequires = []\n").unwrap(),
        Reading::default()
    );
}

#[test]
fn layout_survives() {
    let text = "\u{feff}# c\r\n[project] # p\r\n\tname = \"core\"\r\n  version\t=  \"1.4.0\" # v\r\ndependencies = [\r\n\t\"util == 1.4.0 ; python_version < '3.9'\", # x\r\n  'io[extra]>=1.4.0,<2',\r\n]";
    case(
        text,
        &[
            "project.version version = 1.4.0",
            "project.dependencies[0] req(util) = == 1.4.0",
            "project.dependencies[1] req(io) = >=1.4.0,<2",
        ],
    );
    let reading = read(text).unwrap();
    let edits: Vec<_> = reading
        .fields
        .iter()
        .map(|f| {
            (
                f,
                if f.kind == FieldKind::Version {
                    "2.0.0b1"
                } else {
                    "==2.0.0b1"
                },
            )
        })
        .collect();
    let out = assert_rewrite(FileKind::Pyproject, text, &edits);
    assert!(
        out.contains("\"util ==2.0.0b1 ; python_version < '3.9'\", # x\r\n"),
        "{out}"
    );
    assert!(out.ends_with("'io[extra]==2.0.0b1',\r\n]"), "{out}");
}

#[test]
fn requirements() {
    case(
        concat!(
            "[project]\nname = \"app\"\ndependencies = [\"core==1.4.0\", \"plain\", \"url @ https://x/y.whl\", \"Core_Lib (>=1.0)\"]\n",
            "[project.optional-dependencies]\ncli = [\"click>=8\"]\n\"odd.group\" = [\"x ~= 1.0\"]\n",
            "[dependency-groups]\ndev = [\"pytest==8.0\", { include-group = \"cli\" }]\n",
            "[tool.uv]\ndev-dependencies = [\"ruff==0.5\"]\n",
        ),
        &[
            "project.dependencies[0] req(core) = ==1.4.0",
            "project.dependencies[3] req(Core_Lib) = >=1.0",
            "project.optional-dependencies.cli[0] req(click) = >=8",
            "project.optional-dependencies.'odd.group'[0] req(x) = ~= 1.0",
            "dependency-groups.dev[0] req(pytest) = ==8.0",
            "tool.uv.dev-dependencies[0] req(ruff) = ==0.5",
        ],
    );
}

#[test]
fn poetry() {
    case(
        concat!(
            "[tool.poetry]\nname = \"app\"\nversion = \"1.4.0\"\n",
            "[tool.poetry.dependencies]\npython = \"^3.9\"\ncore = \"1.4.0\"\nutil = \"==1.4.0\"\n",
            "io = { version = \"^1.4\", path = \"../io\", develop = true }\nlocal = { path = \"../local\" }\n",
            "multi = [{ version = \"1\", python = \"<3.9\" }, { version = \"2\", python = \">=3.9\" }]\n",
            "[tool.poetry.group.dev.dependencies]\ntestkit = \"1.4.0\"\n",
            "[tool.poetry.dev-dependencies]\nold = \"~1.4\"\n",
        ),
        &[
            "tool.poetry.version version = 1.4.0",
            "tool.poetry.dependencies.core req(core) = 1.4.0",
            "tool.poetry.dependencies.util req(util) = ==1.4.0",
            "tool.poetry.dependencies.io req(io) = ^1.4",
            "tool.poetry.group.dev.dependencies.testkit req(testkit) = 1.4.0",
            "tool.poetry.dev-dependencies.old req(old) = ~1.4",
        ],
    );
    let text =
        "[tool.poetry]\nversion = \"0.0.0\"\n[tool.poetry-dynamic-versioning]\nenable = true\n";
    assert_reading(read, text, &[], &["dynamic Vcs at true"]);
}

#[test]
fn dynamic_sources() {
    let project = "[project]\nname = \"my-pkg\"\ndynamic = [\"readme\", \"version\"]\n";
    dynamic(
        &format!("{project}[build-system]\nbuild-backend = \"maturin\"\n"),
        &DynamicVersion::Maturin {
            manifest_path: "Cargo.toml".into(),
        },
    );
    dynamic(
        &format!("{project}[tool.maturin]\nmanifest-path = \"crates/py/Cargo.toml\"\n"),
        &DynamicVersion::Maturin {
            manifest_path: "crates/py/Cargo.toml".into(),
        },
    );
    dynamic(
        &format!(
            "{project}[tool.setuptools.dynamic]\nversion = {{ attr = \"pkg.__version__\" }}\n"
        ),
        &DynamicVersion::SetuptoolsAttr {
            attr: "pkg.__version__".into(),
        },
    );
    dynamic(
        &format!("{project}[tool.setuptools.dynamic]\nversion = {{ file = [\"VERSION\"] }}\n"),
        &DynamicVersion::File {
            path: "VERSION".into(),
            pattern: None,
        },
    );
    dynamic(
        &format!("{project}[tool.setuptools.dynamic]\nversion.file = \"VERSION.txt\"\n"),
        &DynamicVersion::File {
            path: "VERSION.txt".into(),
            pattern: None,
        },
    );
    dynamic(
        &format!("{project}[tool.hatch.version]\npath = \"src/pkg/__about__.py\"\n"),
        &DynamicVersion::File {
            path: "src/pkg/__about__.py".into(),
            pattern: None,
        },
    );
    dynamic(
        &format!("{project}[tool.hatch.version]\npath = \"v.py\"\npattern = \"V = '(?P<version>[^']+)'\"\n"),
        &DynamicVersion::File { path: "v.py".into(), pattern: Some(VersionPattern::new("V = '(?P<version>[^']+)'").unwrap()) },
    );
    dynamic(
        &format!("{project}[tool.hatch.version]\nsource = \"vcs\"\n"),
        &DynamicVersion::Vcs,
    );
    dynamic(
        &format!("{project}[tool.pdm.version]\nsource = \"file\"\npath = \"src/p/__init__.py\"\n"),
        &DynamicVersion::File {
            path: "src/p/__init__.py".into(),
            pattern: None,
        },
    );
    dynamic(
        &format!("{project}[tool.pdm.version]\nsource = \"scm\"\n"),
        &DynamicVersion::Vcs,
    );
    dynamic(
        &format!("{project}[tool.setuptools_scm]\n"),
        &DynamicVersion::Vcs,
    );
    dynamic(
        &format!("{project}[build-system]\nbuild-backend = \"flit_core.buildapi\"\n"),
        &DynamicVersion::SetuptoolsAttr {
            attr: "my_pkg.__version__".into(),
        },
    );
    dynamic(
        &format!("{project}[build-system]\nbuild-backend = \"whatever.api\"\n"),
        &DynamicVersion::Unknown {
            backend: "whatever.api".into(),
        },
    );
    dynamic(
        project,
        &DynamicVersion::Unknown {
            backend: String::new(),
        },
    );
    // No "version" in dynamic: nothing.
    assert!(read("[project]\ndynamic = [\"readme\"]\n")
        .unwrap()
        .notes
        .is_empty());
}

#[test]
fn escapes() {
    let text = "[project]\ndependencies = [\"core==1.4\\u002E0\", \"pl\\u0061in\"]\n";
    assert_reading(
        read,
        text,
        &[],
        &["unsupported project.dependencies[0] \"core==1.4\\u002E0\""],
    );
    error(
        "[project]\nversion = \"1\\u002E0\"\n",
        2,
        11,
        "`project.version` is written with escapes",
    );
}

#[test]
fn malformed() {
    error(
        "[project]\nversion = 1.0\n",
        2,
        11,
        "expected a string for `project.version`, found a float",
    );
    error(
        "[project]\ndependencies = \"core\"\n",
        2,
        16,
        "expected an array for `project.dependencies`",
    );
    error(
        "[project]\ndependencies = [\"ok\", 3]\n",
        2,
        23,
        "expected a requirement string for `project.dependencies[1]`, found an integer",
    );
    error(
        "[project]\ndependencies = [\n  \"==1.0\"]\n",
        3,
        3,
        "invalid requirement `==1.0` at `project.dependencies[0]`: expected a package name",
    );
    error(
        "[project]\r\ndynamic = \"version\"\r\n",
        2,
        11,
        "expected an array for `project.dynamic`",
    );
    error(
        "[project]\nversion = \"1.0\"\ndynamic = [\"version\"]\n",
        2,
        11,
        "`project.version` is set and also listed in `project.dynamic`",
    );
    error(
        "\u{feff}[project]\nname = \"x\"\nname = \"y\"\n",
        3,
        1,
        "invalid TOML",
    );
    error("project = 3\n", 1, 11, "expected a table for `project`");
    error(
        "[tool.poetry.dependencies]\ncore = 3\n",
        2,
        8,
        "expected a version string or a table for `tool.poetry.dependencies.core`",
    );
}

// ---------------------------------------------------------------------------------------
// Property tests.

#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // one switch per spelling
struct Req {
    name: &'static str,
    extras: bool,
    /// operator, spacing around it, the version
    op: &'static str,
    space: bool,
    marker: bool,
    parens: bool,
    /// No specifier at all (bare name).
    bare: bool,
}

impl Req {
    /// The string, and the specifier text.
    fn render(&self, version: &str) -> (String, Option<String>) {
        let extras = if self.extras { "[extra]" } else { "" };
        let marker = if self.marker {
            " ; python_version < '3.9'"
        } else {
            ""
        };
        if self.bare {
            return (format!("{}{extras}{marker}", self.name), None);
        }
        let spec = if self.space {
            format!("{} {version}", self.op)
        } else {
            format!("{}{version}", self.op)
        };
        let body = if self.parens {
            format!(" ({spec})")
        } else if self.space {
            format!(" {spec}")
        } else {
            spec.clone()
        };
        (format!("{}{extras}{body}{marker}", self.name), Some(spec))
    }
}

fn req_strategy() -> impl Strategy<Value = Req> {
    (
        prop::sample::select(vec!["core", "Core_Lib", "util.io", "x-y"]),
        any::<bool>(),
        prop::sample::select(vec!["==", ">=", "~=", "!=", "<="]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(name, extras, op, space, marker, parens, bare)| Req {
            name,
            extras,
            op,
            space,
            marker,
            parens,
            bare,
        })
}

#[derive(Debug, Clone)]
struct Doc {
    bom: bool,
    nl: &'static str,
    quote: char,
    version_form: u8,
    version: String,
    deps: Vec<(Req, String)>,
    optional: Vec<(Req, String)>,
    groups: Vec<(Req, String)>,
    multiline: bool,
    comments: Vec<String>,
    ws: Vec<String>,
    final_newline: bool,
}

fn doc_strategy() -> impl Strategy<Value = Doc> {
    let reqs = || prop::collection::vec((req_strategy(), version()), 0..5);
    (
        (
            any::<bool>(),
            newline(),
            prop::sample::select(vec!['"', '\'']),
            0u8..3,
            version(),
        ),
        (reqs(), reqs(), reqs(), any::<bool>()),
        (
            prop::collection::vec(comment(), 30),
            prop::collection::vec(ws(), 30),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (bom, nl, quote, version_form, version),
                (deps, optional, groups, multiline),
                (comments, ws, final_newline),
            )| Doc {
                bom,
                nl,
                quote,
                version_form,
                version,
                deps,
                optional,
                groups,
                multiline,
                comments,
                ws,
                final_newline,
            },
        )
}

impl Doc {
    #[allow(clippy::too_many_lines)] // a generator: one branch per spelling
    fn render(&self) -> (String, Vec<String>) {
        let (nl, q) = (self.nl, self.quote);
        let mut c = self.comments.iter().cycle();
        let mut w = self.ws.iter().cycle();
        let mut out = String::new();
        let mut expected = Vec::new();
        if self.bom {
            out.push('\u{feff}');
        }
        let array = |reqs: &[(Req, String)],
                     key: &str,
                     expected: &mut Vec<String>,
                     w: &mut dyn Iterator<Item = &String>,
                     c: &mut dyn Iterator<Item = &String>| {
            let mut s = String::from("[");
            for (i, (req, v)) in reqs.iter().enumerate() {
                let (text, spec) = req.render(v);
                // A literal string cannot hold `'`: use a basic string for markers then.
                let q = if text.contains('\'') { '"' } else { q };
                if self.multiline {
                    write!(
                        s,
                        "{nl}{}{q}{text}{q},{}",
                        w.next().unwrap(),
                        c.next().unwrap()
                    )
                    .unwrap();
                } else {
                    write!(s, "{}{q}{text}{q},", w.next().unwrap()).unwrap();
                }
                if let Some(spec) = spec {
                    expected.push(format!("{key}[{i}] req({}) = {spec}", req.name));
                }
            }
            if self.multiline {
                s.push_str(nl);
            }
            s.push(']');
            s
        };
        match self.version_form {
            0 => {
                write!(
                    out,
                    "[project]{}{nl}{}name = {q}app{q}{nl}",
                    c.next().unwrap(),
                    w.next().unwrap()
                )
                .unwrap();
                write!(
                    out,
                    "{0}version{0}={0}{q}{1}{q}{2}{nl}",
                    w.next().unwrap(),
                    self.version,
                    c.next().unwrap()
                )
                .unwrap();
                expected.push(format!("project.version version = {}", self.version));
            }
            1 => {
                write!(
                    out,
                    "[project]{nl}name = {q}app{q}{nl}dynamic = [{q}version{q}]{}{nl}",
                    c.next().unwrap()
                )
                .unwrap();
            }
            _ => {
                write!(out, "[project]{nl}name = {q}app{q}{nl}").unwrap();
            }
        }
        let deps = array(
            &self.deps,
            "project.dependencies",
            &mut expected,
            &mut w,
            &mut c,
        );
        write!(out, "dependencies = {deps}{}{nl}", c.next().unwrap()).unwrap();
        if !self.optional.is_empty() {
            write!(
                out,
                "{nl}[project.optional-dependencies]{}{nl}",
                c.next().unwrap()
            )
            .unwrap();
            let group = array(
                &self.optional,
                "project.optional-dependencies.cli",
                &mut expected,
                &mut w,
                &mut c,
            );
            write!(out, "cli = {group}{nl}").unwrap();
        }
        if !self.groups.is_empty() {
            write!(out, "{nl}[dependency-groups]{nl}").unwrap();
            let group = array(
                &self.groups,
                "dependency-groups.dev",
                &mut expected,
                &mut w,
                &mut c,
            );
            write!(out, "dev = {group}{}{nl}", c.next().unwrap()).unwrap();
        }
        write!(out, "{nl}[build-system]{nl}requires = [{q}hatchling{q}]{nl}build-backend = {q}hatchling.build{q}{nl}").unwrap();
        finish(out, expected, self.final_newline)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_pyprojects(doc in doc_strategy(), values in prop::collection::vec(version(), 1..8)) {
        let (text, expected) = doc.render();
        // Requirements get a new specifier, versions a new version.
        let values: Vec<String> = values.iter().map(|v| format!("=={v}")).collect();
        let reading = check_generated(FileKind::Pyproject, &text, &expected, &values)?;
        prop_assert_eq!(reading.notes.len(), usize::from(doc.version_form == 1));
    }
}

/// hatch's `pattern`, compiled; an empty one is hatch's default; the `code` source has none.
#[test]
fn hatch_dynamic_sources() {
    let project = "[project]\nname = \"my-pkg\"\ndynamic = [\"readme\", \"version\"]\n";
    dynamic(
        &format!("{project}[tool.hatch.version]\npath = \"v.py\"\npattern = \"\"\n"),
        &DynamicVersion::File {
            path: "v.py".into(),
            pattern: None,
        },
    );
    dynamic(
        &format!("{project}[tool.hatch.version]\nsource = \"code\"\npath = \"v.py\"\npattern = \"(?P<version>x)\"\n"),
        &DynamicVersion::File {
            path: "v.py".into(),
            pattern: None,
        },
    );
    dynamic(
        &format!("{project}[tool.hatch]\nversion.path = \"v.py\"\nversion.pattern = '^V = \"(?P<version>[^\"]+)\"'\n"),
        &DynamicVersion::File {
            path: "v.py".into(),
            pattern: Some(VersionPattern::new("^V = \"(?P<version>[^\"]+)\"").unwrap()),
        },
    );
}

/// A hatch `pattern` the tool cannot run is an error at the pattern, naming the key and the
/// fix; so is one hatch refuses (not a string, no `version` group).
#[test]
fn hatch_patterns_refused() {
    let project = "[project]\nname = \"p\"\ndynamic = [\"version\"]\n\n[tool.hatch.version]\npath = \"v.py\"\n";
    for (pattern, message) in [
        (
            r#""^VERSION = (['\"])(?P<version>.+?)\\1""#,
            "`tool.hatch.version.pattern` `^VERSION = (['\"])(?P<version>.+?)\\1` cannot be run: backreferences are not supported",
        ),
        (
            r#"'''(?i)^(__version__|VERSION) *= *(['"])v?(?P<version>.+?)\2'''"#,
            "cannot be run: backreferences are not supported",
        ),
        (
            "'^V = \"(?P<version>[^\"]+)(?=\")'",
            "cannot be run: look-around, including look-ahead and look-behind, is not supported",
        ),
        (
            "'(?<!#)V = \"(?P<version>[^\"]+)\"'",
            "cannot be run: look-around, including look-ahead and look-behind, is not supported",
        ),
        (
            "'^V = (?P<q>\")(?P<version>[^\"]+)(?P=q)'",
            "cannot be run:",
        ),
        ("'V = (?P<version>[^\"]+'", "cannot be run: unclosed group"),
        (
            "'^V = \"(?P<ver>[^\"]+)\"'",
            "`tool.hatch.version.pattern` `^V = \"(?P<ver>[^\"]+)\"` has no group named `version`",
        ),
        ("true", "expected a string for `tool.hatch.version.pattern`, found a boolean"),
    ] {
        let input = format!("{project}pattern = {pattern}\n");
        let err = read(&input).unwrap_err();
        assert!(err.message.contains(message), "{pattern}: {err:?}");
        assert!(err.help.is_some(), "{pattern}");
        let pos = err.position(&input).unwrap();
        assert_eq!((pos.line, pos.column), (7, 11), "{pattern}: {err:?}");
    }
    // Without `dynamic = ["version"]` hatch does not read it: neither does the tool.
    read("[project]\nversion = \"1.0\"\n\n[tool.hatch.version]\npath = \"v.py\"\npattern = \"\\\\1\"\n").unwrap();
}
