use std::fmt::Write as _;

use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::testing::assert_refused_at;
use crate::testing::toml::{
    assert_fields, assert_reading, check_generated, comment, finish, newline, rewrite_all, version,
    ws,
};

#[track_caller]
fn case(input: &str, expected: &[&str]) {
    assert_eq!(assert_fields(read, input, expected).name, None);
}

#[track_caller]
fn error(input: &str, line: usize, column: usize, message: &str) {
    assert_refused_at(read, input, line, column, message);
}

/// What uv 0.13 writes for a workspace: root `editable = "."`, members, a registry package.
const WORKSPACE: &str = r#"version = 1
revision = 5
requires-python = ">=3.9"

[manifest]
members = [
    "a",
    "b",
    "root",
]

[[package]]
name = "a"
version = "0.1.0"
source = { editable = "packages/a" }
dependencies = [
    { name = "b" },
    { name = "idna" },
]

[package.optional-dependencies]
extra = [
    { name = "b" },
]

[package.metadata]
requires-dist = [
    { name = "b", marker = "python_full_version >= '3.9'", editable = "packages/b" },
    { name = "idna", specifier = "==3.7" },
]
provides-extras = ["extra"]

[[package]]
name = "b"
version = "0.1.0"
source = { directory = "packages/b" }

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/idna-3.7.tar.gz", hash = "sha256:00", size = 1 }

[[package]]
name = "root"
version = "0.1.0"
source = { virtual = "." }

[package.dev-dependencies]
dev = [
    { name = "b" },
]

[package.metadata]
requires-dist = [{ name = "a", editable = "packages/a" }]

[package.metadata.requires-dev]
dev = [{ name = "b", editable = "packages/b", specifier = ">=0.1.0" }]
"#;

#[test]
fn workspace() {
    case(
        WORKSPACE,
        &[
            "package.\"a\" locked(a) = 0.1.0",
            "package.\"a\".metadata.requires-dist[1] req(idna) = ==3.7",
            "package.\"b\" locked(b) = 0.1.0",
            "package.\"root\" locked(root) = 0.1.0",
            "package.\"root\".metadata.requires-dev.dev[0] req(b) = >=0.1.0",
        ],
    );
}

#[test]
fn dynamic_members_and_manifest() {
    let text = r#"version = 1
revision = 5

[manifest]
members = ["b"]
requirements = [{ name = "b", specifier = "==0.1.0" }]
constraints = [{ name = "b", specifier = "<1" }]
overrides = [{ name = "b", editable = "packages/b" }]

[manifest.dependency-groups]
dev = [{ name = "b", specifier = "==0.1.0" }]

[[package]]
name = "b"
source = { editable = "packages/b" }

[package.metadata]

[package.metadata.requires-dev]
test = [{ name = "b", editable = "packages/b" }]
"#;
    case(
        text,
        &[
            "manifest.requirements[0] req(b) = ==0.1.0",
            "manifest.constraints[0] req(b) = <1",
            "manifest.dependency-groups.dev[0] req(b) = ==0.1.0",
        ],
    );
}

#[test]
fn references_with_versions() {
    let text = r#"[[package]]
name = "app"
version = "1.0.0"
source = { editable = "." }
dependencies = [
    { name = "lib", version = "1.0.0", source = { editable = "lib" } },
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" } },
    { name = "lib", version = "2.0.0", source = { directory = "vendor/lib" } },
]

[package.optional-dependencies]
"my extra" = [{ name = "lib", version = "1.0.0" }]

[[package]]
name = "lib"
version = "1.0.0"
source = { editable = "lib" }

[[package]]
name = "lib"
version = "2.0.0"
source = { directory = "vendor/lib" }
"#;
    case(
        text,
        &[
            "package.\"app\" locked(app) = 1.0.0",
            "package.\"app\".dependencies[0] lockref(lib) = 1.0.0",
            "package.\"app\".dependencies[2] lockref(lib) = 2.0.0",
            "package.\"app\".optional-dependencies.'my extra'[0] lockref(lib) = 1.0.0",
            "package.\"lib\"@1 locked(lib) = 1.0.0",
            "package.\"lib\"@2 locked(lib) = 2.0.0",
        ],
    );
}

#[test]
fn layout_and_escapes() {
    let text = "\u{feff}version = 1\r\n\r\n[[package]]\r\n\tname = \"a\"\r\n\tversion = \"0.1.0\" # c\r\n\tsource = { virtual = \".\" }\r\n\r\n[package.metadata]\r\nrequires-dist = [{ name = \"b\", specifier = \"==0.1\\u002E0\" }, { name = 'c', specifier = '>=1' }]";
    let reading = assert_reading(
        read,
        text,
        &[
            "package.\"a\" locked(a) = 0.1.0",
            "package.\"a\".metadata.requires-dist[1] req(c) = >=1",
        ],
        &["unsupported package.\"a\".metadata.requires-dist[0] \"==0.1\\u002E0\""],
    );
    let out = rewrite_all(
        FileKind::UvLock,
        text,
        &reading,
        &["0.2.0b1".to_string(), "==0.2.0b1".to_string()],
    );
    assert!(
        out.ends_with("{ name = 'c', specifier = '==0.2.0b1' }]"),
        "{out}"
    );
}

#[test]
fn malformed() {
    error(
        "[[package]]\nversion = \"1\"\n",
        1,
        1,
        "`package[0]` has no `name`",
    );
    error(
        "[[package]]\nname = \"a\"\nversion = 1\nsource = { editable = \".\" }\n",
        3,
        11,
        "expected a string for `package[0].version`, found an integer",
    );
    error(
        "[[package]]\nname = \"a\"\nsource = { editable = \".\" }\ndependencies = [\"b\"]\n",
        4,
        17,
        "expected a table for `package.\"a\".dependencies[0]`, found a string",
    );
    error(
        "[manifest]\nrequirements = 3\n",
        2,
        16,
        "expected an array for `manifest.requirements`",
    );
    error("package = 3\n", 1, 11, "expected `[[package]]` tables");
    error(
        "\u{feff}[[package]]\r\nname = 'a\r\n",
        2,
        11,
        "invalid TOML",
    );
}

// ---------------------------------------------------------------------------------------
// Property tests.

#[derive(Debug, Clone)]
struct Pkg {
    name: &'static str,
    /// 0 editable, 1 virtual, 2 directory, 3 registry
    source: u8,
    version: Option<String>,
    requires: Vec<(&'static str, Option<String>)>,
    deps: Vec<(&'static str, Option<String>)>,
}

fn pkg_strategy() -> impl Strategy<Value = Pkg> {
    let names = || prop::sample::select(vec!["a", "b-c", "d_e", "numpy"]);
    (
        names(),
        0u8..4,
        prop::option::of(version()),
        prop::collection::vec((names(), prop::option::of(version())), 0..4),
        prop::collection::vec((names(), prop::option::of(version())), 0..4),
    )
        .prop_map(|(name, source, version, requires, deps)| Pkg {
            name,
            source,
            version,
            requires,
            deps,
        })
}

fn render(
    pkgs: &[Pkg],
    bom: bool,
    nl: &str,
    comments: &[String],
    ws: &[String],
) -> (String, Vec<String>) {
    let mut c = comments.iter().cycle();
    let mut w = ws.iter().cycle();
    let mut out = String::new();
    let mut expected = Vec::new();
    if bom {
        out.push('\u{feff}');
    }
    write!(out, "version = 1{nl}revision = 3{}{nl}", c.next().unwrap()).unwrap();
    let local = |p: &Pkg| p.source < 3;
    for (i, p) in pkgs.iter().enumerate() {
        let mut prefix = format!("package.\"{}\"", p.name);
        if local(p) && pkgs.iter().filter(|q| q.name == p.name && local(q)).count() > 1 {
            write!(prefix, "@{i}").unwrap();
        }
        write!(
            out,
            "{nl}[[package]]{}{nl}name = \"{}\"{nl}",
            c.next().unwrap(),
            p.name
        )
        .unwrap();
        if let Some(v) = &p.version {
            write!(
                out,
                "{0}version{0}={0}\"{v}\"{1}{nl}",
                w.next().unwrap(),
                c.next().unwrap()
            )
            .unwrap();
            if local(p) {
                expected.push(format!("{prefix} locked({}) = {v}", p.name));
            }
        }
        let source = match p.source {
            0 => "{ editable = \"packages/x\" }",
            1 => "{ virtual = \".\" }",
            2 => "{ directory = \"../x\" }",
            _ => "{ registry = \"https://pypi.org/simple\" }",
        };
        write!(out, "source = {source}{nl}").unwrap();
        if !p.deps.is_empty() {
            write!(out, "dependencies = [{nl}").unwrap();
            for (j, (name, v)) in p.deps.iter().enumerate() {
                match v {
                    Some(v) => {
                        write!(out, "{}{{ name = \"{name}\", version = \"{v}\", source = {{ editable = \"{name}\" }} }},{}{nl}", w.next().unwrap(), c.next().unwrap()).unwrap();
                        expected.push(format!("{prefix}.dependencies[{j}] lockref({name}) = {v}"));
                    }
                    None => write!(out, "    {{ name = \"{name}\" }},{nl}").unwrap(),
                }
            }
            write!(out, "]{nl}").unwrap();
        }
        if local(p) && !p.requires.is_empty() {
            write!(out, "{nl}[package.metadata]{nl}requires-dist = [").unwrap();
            for (j, (name, spec)) in p.requires.iter().enumerate() {
                match spec {
                    Some(v) => {
                        write!(
                            out,
                            "{nl}{}{{ name = \"{name}\", specifier = \"=={v}\" }},",
                            w.next().unwrap()
                        )
                        .unwrap();
                        expected.push(format!(
                            "{prefix}.metadata.requires-dist[{j}] req({name}) = =={v}"
                        ));
                    }
                    None => {
                        write!(out, "{{ name = \"{name}\", editable = \"{name}\" }}, ").unwrap();
                    }
                }
            }
            write!(out, "]{}{nl}", c.next().unwrap()).unwrap();
        }
    }
    finish(out, expected, true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_locks(
        pkgs in prop::collection::vec(pkg_strategy(), 0..6),
        bom in any::<bool>(),
        nl in newline(),
        comments in prop::collection::vec(comment(), 20),
        ws in prop::collection::vec(ws(), 20),
        values in prop::collection::vec(version(), 1..8),
    ) {
        let (text, expected) = render(&pkgs, bom, nl, &comments, &ws);
        check_generated(FileKind::UvLock, &text, &expected, &values)?;
    }
}
