use std::fmt::Write as _;

use proptest::prelude::*;

use super::read;
use crate::kind::FileKind;
use crate::reading::FieldKind;
use crate::testing::assert_refused_at;
use crate::testing::toml::{
    assert_fields, assert_reading, assert_rewrite, check_generated, comment, finish, newline,
    rewrite_all, version, ws,
};

#[track_caller]
fn case(input: &str, expected: &[&str]) {
    assert_fields(read, input, expected);
}

#[track_caller]
fn error(input: &str, line: usize, column: usize, message: &str) {
    assert_refused_at(read, input, line, column, message);
}

#[test]
fn package_versions() {
    case(
        "[package]\nname = \"core\"\nversion = \"1.4.0\"\n",
        &["package.version version = 1.4.0"],
    );
    case(
        "[package]\nversion = '1.4.0'\n",
        &["package.version version = 1.4.0"],
    );
    case(
        "package.version = \"1.4.0\"\npackage.name = \"x\"\n",
        &["package.version version = 1.4.0"],
    );
    case(
        "package = { name = \"x\", version = \"1.4.0\" }\n",
        &["package.version version = 1.4.0"],
    );
    case(
        "[package]\nversion = '''1.4.0'''\n",
        &["package.version version = 1.4.0"],
    );
    case("[package]\nname = \"x\"\n", &[]);
    case(
        "[workspace.package]\nversion = \"0.3.0\"\n",
        &["workspace.package.version version = 0.3.0"],
    );
    case(
        "[workspace]\npackage.version = \"0.3.0\"\n",
        &["workspace.package.version version = 0.3.0"],
    );
    case(
        "workspace = { package = { version = \"0.3.0\" } }\n",
        &["workspace.package.version version = 0.3.0"],
    );
    case(
        "[package]\nversion = \"1.0.0\"\n[workspace.package]\nversion = \"2.0.0\"\n",
        &[
            "package.version version = 1.0.0",
            "workspace.package.version version = 2.0.0",
        ],
    );
    assert_eq!(
        read("[package]\nname = \"core\"\n")
            .unwrap()
            .name
            .as_deref(),
        Some("core")
    );
    assert_eq!(read("[workspace]\n").unwrap().name, None);
}

#[test]
fn inherited_versions() {
    assert_reading(
        read,
        "[package]\nname = \"x\"\nversion.workspace = true\n",
        &[],
        &["inherits version.workspace = true"],
    );
    assert_reading(
        read,
        "[package]\nversion = { workspace = true } # same\n",
        &[],
        &["inherits version = { workspace = true }"],
    );
    assert_reading(
        read,
        "[package]\nversion = {workspace=true}",
        &[],
        &["inherits version = {workspace=true}"],
    );
}

#[test]
fn layout_survives() {
    // comments, CRLF, tabs, odd indentation, no final newline, BOM
    let text = "\u{feff}# top\r\n[package] # c\r\n\tname = \"core\"\r\n   version   =\t\"1.4.0\" # v\r\n\r\n[dependencies]\r\n\t\tutil = { path = \"../util\" , version = \"=1.4.0\" }";
    case(
        text,
        &[
            "package.version version = 1.4.0",
            "dependencies.util req(util) = =1.4.0",
        ],
    );
    let reading = read(text).unwrap();
    assert_eq!(reading.fields[0].span.start, text.find("1.4.0").unwrap());
}

#[test]
fn dependency_forms() {
    case(
        "[dependencies]\ncore = \"1.4.0\"\nutil = { path = \"../util\", version = \"=1.4.0\" }\nio = { version = \"^1.4\", path = \"../io\" }\nnet.version = \"~1.4.0\"\nnet.path = \"../net\"\nlocal = { path = \"../local\" }\n",
        &[
            "dependencies.core req(core) = 1.4.0",
            "dependencies.util req(util) = =1.4.0",
            "dependencies.io req(io) = ^1.4",
            "dependencies.net req(net) = ~1.4.0",
        ],
    );
    case(
        "[dependencies.core]\npath = \"../core\"\nversion = \"1.4.0\"\n\n[dev-dependencies.core]\nversion = '1.4.0'\n",
        &[
            "dependencies.core req(core) = 1.4.0",
            "dev-dependencies.core req(core) = 1.4.0",
        ],
    );
    case(
        "dependencies.core = \"1.4.0\"\ndependencies.util.version = \"1.4.0\"\n",
        &[
            "dependencies.core req(core) = 1.4.0",
            "dependencies.util req(util) = 1.4.0",
        ],
    );
}

#[test]
fn dependency_tables() {
    case(
        concat!(
            "[dependencies]\na = \"1\"\n",
            "[dev-dependencies]\nb = \"2\"\n",
            "[dev_dependencies]\nc = \"3\"\n",
            "[build-dependencies]\nd = \"4\"\n",
            "[build_dependencies]\ne = \"5\"\n",
            "[target.'cfg(unix)'.dependencies]\nf = \"6\"\n",
            "[target.x86_64-pc-windows-msvc.dev-dependencies]\ng = \"7\"\n",
            "[target.\"cfg(target_os = \\\"linux\\\")\".build-dependencies]\nh = \"8\"\n",
            "[workspace.dependencies]\ni = { path = \"i\", version = \"9\" }\n",
        ),
        &[
            "dependencies.a req(a) = 1",
            "dev-dependencies.b req(b) = 2",
            "dev_dependencies.c req(c) = 3",
            "build-dependencies.d req(d) = 4",
            "build_dependencies.e req(e) = 5",
            "target.'cfg(unix)'.dependencies.f req(f) = 6",
            "target.x86_64-pc-windows-msvc.dev-dependencies.g req(g) = 7",
            "target.'cfg(target_os = \"linux\")'.build-dependencies.h req(h) = 8",
            "workspace.dependencies.i req(i) = 9",
        ],
    );
    case(
        "[target.'cfg(unix)'.dependencies.core]\nversion = \"1\"\n",
        &["target.'cfg(unix)'.dependencies.core req(core) = 1"],
    );
}

#[test]
fn renames_and_workspace_deps() {
    case(
        "[dependencies]\ncore2 = { package = \"core\", version = \"1.4.0\" }\n\"quoted\" = \"1\"\nws = { workspace = true }\nws2.workspace = true\n[dependencies.other]\nworkspace = true\noptional = true\n",
        &["dependencies.core2 req(core) = 1.4.0", "dependencies.quoted req(quoted) = 1"],
    );
    case(
        "[dependencies]\n\"odd.name\" = \"1\"\n",
        &["dependencies.'odd.name' req(odd.name) = 1"],
    );
}

#[test]
fn escapes_are_unsupported() {
    assert_reading(
        read,
        "[dependencies]\ncore = \"1.4\\u002E0\"\n",
        &[],
        &["unsupported dependencies.core \"1.4\\u002E0\""],
    );
    error(
        "[package]\nversion = \"1.4\\u002E0\"\n",
        2,
        11,
        "`package.version` is written with escapes",
    );
}

#[test]
fn malformed() {
    error(
        "[package]\nversion = 1\n",
        2,
        11,
        "expected a string for `package.version`, found an integer",
    );
    error("[package]\nversion = [\"1\"]\n", 2, 11, "found an array");
    error(
        "[workspace.package]\nversion.workspace = true\n",
        2,
        1,
        "expected a string for `workspace.package.version`, found a table",
    );
    error(
        "[package]\r\nname = \"x\"\r\nversion = \"1.0\r\n",
        3,
        16,
        "invalid TOML",
    );
    error(
        "\u{feff}[package]\nname = \"x\"\nname = \"y\"\n",
        3,
        1,
        "invalid TOML",
    );
    error(
        "[dependencies]\ncore = 3\n",
        2,
        8,
        "expected a version string or a table for `dependencies.core`, found an integer",
    );
    error(
        "[dependencies]\ncore = { version = 3 }\n",
        2,
        20,
        "expected a string for `dependencies.core.version`, found an integer",
    );
    error(
        "package = 3\n",
        1,
        11,
        "expected a table for `package`, found an integer",
    );
    error(
        "dependencies = [1]\n",
        1,
        16,
        "expected a table for `dependencies`",
    );
}

#[test]
fn rewrite_keeps_everything_else() {
    let text = "\u{feff}[package] # c\r\nname = \"core\"\r\nversion = '1.4.0'\r\n[dependencies]\r\nutil = { version = \"=1.4.0\", path = \"u\" } # keep\r\n[dependencies.io]\r\nversion = \"1.4.0\"";
    let reading = read(text).unwrap();
    let out = rewrite_all(
        FileKind::CargoToml,
        text,
        &reading,
        &["2.0.0-beta.1".to_string()],
    );
    assert_eq!(out, "\u{feff}[package] # c\r\nname = \"core\"\r\nversion = '2.0.0-beta.1'\r\n[dependencies]\r\nutil = { version = \"2.0.0-beta.1\", path = \"u\" } # keep\r\n[dependencies.io]\r\nversion = \"2.0.0-beta.1\"");
    let field = reading.field(&FieldKind::Version).unwrap();
    assert_rewrite(FileKind::CargoToml, text, &[(field, "9.9.9")]);
}

// ---------------------------------------------------------------------------------------
// Property tests: generated manifests in every spelling.

#[derive(Debug, Clone)]
enum PackageForm {
    Table,
    Dotted,
    Inline,
    Inherit,
}

#[derive(Debug, Clone)]
enum DepForm {
    Simple,
    InlineVersionFirst,
    InlinePathFirst,
    Dotted,
    TableForm,
    Renamed,
    Workspace,
}

#[derive(Debug, Clone)]
struct Dep {
    table: &'static str,
    name: String,
    form: DepForm,
    version: String,
}

#[derive(Debug, Clone)]
struct Doc {
    bom: bool,
    nl: &'static str,
    quote: char,
    package: Option<(PackageForm, String)>,
    workspace_version: Option<String>,
    deps: Vec<Dep>,
    comments: Vec<String>,
    ws: Vec<String>,
    final_newline: bool,
    version_first: bool,
}

fn dep_strategy() -> impl Strategy<Value = Dep> {
    (
        prop::sample::select(vec![
            "dependencies",
            "dev-dependencies",
            "build-dependencies",
            "target.'cfg(unix)'.dependencies",
            "target.x86_64-unknown-linux-gnu.dev-dependencies",
            "workspace.dependencies",
        ]),
        "[a-z][a-z0-9_-]{0,8}",
        prop_oneof![
            Just(DepForm::Simple),
            Just(DepForm::InlineVersionFirst),
            Just(DepForm::InlinePathFirst),
            Just(DepForm::Dotted),
            Just(DepForm::TableForm),
            Just(DepForm::Renamed),
            Just(DepForm::Workspace),
        ],
        prop::sample::select(vec!["", "=", "^", "~", ">="]),
        version(),
    )
        .prop_map(|(table, name, form, op, version)| Dep {
            table,
            name,
            form,
            version: format!("{op}{version}"),
        })
}

fn doc_strategy() -> impl Strategy<Value = Doc> {
    (
        any::<bool>(),
        newline(),
        prop::sample::select(vec!['"', '\'']),
        prop::option::of((
            prop_oneof![
                Just(PackageForm::Table),
                Just(PackageForm::Dotted),
                Just(PackageForm::Inline),
                Just(PackageForm::Inherit),
            ],
            version(),
        )),
        prop::option::of(version()),
        prop::collection::vec(dep_strategy(), 0..10),
        prop::collection::vec(comment(), 40),
        prop::collection::vec(ws(), 40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                bom,
                nl,
                quote,
                package,
                workspace_version,
                mut deps,
                comments,
                ws,
                final_newline,
                version_first,
            )| {
                let mut seen = std::collections::HashSet::new();
                deps.retain(|d| seen.insert((d.table, d.name.clone())));
                Doc {
                    bom,
                    nl,
                    quote,
                    package,
                    workspace_version,
                    deps,
                    comments,
                    ws,
                    final_newline,
                    version_first,
                }
            },
        )
}

impl Doc {
    /// The text, and the expected `key kind = value` lines (sorted).
    #[allow(clippy::too_many_lines)] // a generator: one branch per spelling
    fn render(&self) -> (String, Vec<String>) {
        let nl = self.nl;
        let q = self.quote;
        let mut c = self.comments.iter().cycle();
        let mut w = self.ws.iter().cycle();
        let mut out = String::new();
        let mut expected = Vec::new();
        if self.bom {
            out.push('\u{feff}');
        }
        write!(out, "# generated{}{nl}", c.next().unwrap()).unwrap();
        // Top-level dotted keys must come before any table header.
        if let Some((PackageForm::Dotted, v)) = &self.package {
            write!(
                out,
                "package.name{0}={0}{q}pkg{q}{1}{nl}",
                w.next().unwrap(),
                c.next().unwrap()
            )
            .unwrap();
            write!(
                out,
                "package.version{0}={0}{q}{v}{q}{1}{nl}",
                w.next().unwrap(),
                c.next().unwrap()
            )
            .unwrap();
            expected.push(format!("package.version version = {v}"));
        }
        if let Some((PackageForm::Inline, v)) = &self.package {
            write!(
                out,
                "package = {{ name = {q}pkg{q},{0}version{0}={0}{q}{v}{q} }}{1}{nl}",
                w.next().unwrap(),
                c.next().unwrap()
            )
            .unwrap();
            expected.push(format!("package.version version = {v}"));
        }
        match &self.package {
            Some((PackageForm::Table, v)) => {
                write!(out, "{nl}[package]{}{nl}", c.next().unwrap()).unwrap();
                let name = format!("{}name = {q}pkg{q}{nl}", w.next().unwrap());
                let version = format!(
                    "{0}version{1}={1}{q}{v}{q}{2}{nl}",
                    w.next().unwrap(),
                    w.next().unwrap(),
                    c.next().unwrap()
                );
                // Key order: the version before or after the name, an edition between.
                if self.version_first {
                    write!(out, "{version}edition = {q}2021{q}{nl}{name}").unwrap();
                } else {
                    write!(out, "{name}edition = {q}2021{q}{nl}{version}").unwrap();
                }
                expected.push(format!("package.version version = {v}"));
            }
            Some((PackageForm::Inherit, _)) => {
                write!(
                    out,
                    "[package]{nl}name = {q}pkg{q}{nl}version.workspace = true{}{nl}",
                    c.next().unwrap()
                )
                .unwrap();
            }
            _ => {}
        }
        if let Some(v) = &self.workspace_version {
            write!(
                out,
                "[workspace.package]{}{nl}{}version = {q}{v}{q}{}{nl}",
                c.next().unwrap(),
                w.next().unwrap(),
                c.next().unwrap()
            )
            .unwrap();
            expected.push(format!("workspace.package.version version = {v}"));
        }
        let mut tables: Vec<&str> = self.deps.iter().map(|d| d.table).collect();
        tables.dedup();
        let mut seen = std::collections::HashSet::new();
        tables.retain(|t| seen.insert(*t));
        for table in tables {
            let deps: Vec<&Dep> = self.deps.iter().filter(|d| d.table == table).collect();
            write!(out, "{nl}[{table}]{}{nl}", c.next().unwrap()).unwrap();
            for d in deps
                .iter()
                .filter(|d| !matches!(d.form, DepForm::TableForm))
            {
                let (name, v) = (&d.name, &d.version);
                let indent = w.next().unwrap();
                let comment = c.next().unwrap();
                let key = format!("{table}.{name}");
                match d.form {
                    DepForm::Simple => {
                        write!(out, "{indent}{name} = {q}{v}{q}{comment}{nl}").unwrap();
                        expected.push(format!("{key} req({name}) = {v}"));
                    }
                    DepForm::InlineVersionFirst => {
                        write!(out, "{indent}{name} = {{ version = {q}{v}{q}, path = {q}../{name}{q} }}{comment}{nl}").unwrap();
                        expected.push(format!("{key} req({name}) = {v}"));
                    }
                    DepForm::InlinePathFirst => {
                        write!(out, "{indent}{name} = {{path={q}../{name}{q},version={q}{v}{q}}}{comment}{nl}").unwrap();
                        expected.push(format!("{key} req({name}) = {v}"));
                    }
                    DepForm::Dotted => {
                        write!(out, "{indent}{name}.path = {q}../{name}{q}{nl}{indent}{name}.version = {q}{v}{q}{comment}{nl}").unwrap();
                        expected.push(format!("{key} req({name}) = {v}"));
                    }
                    DepForm::Renamed => {
                        write!(out, "{indent}{name} = {{ package = {q}real-{name}{q}, version = {q}{v}{q} }}{comment}{nl}").unwrap();
                        expected.push(format!("{key} req(real-{name}) = {v}"));
                    }
                    DepForm::Workspace => {
                        write!(out, "{indent}{name} = {{ workspace = true }}{comment}{nl}")
                            .unwrap();
                    }
                    DepForm::TableForm => unreachable!(),
                }
            }
            for d in deps.iter().filter(|d| matches!(d.form, DepForm::TableForm)) {
                let (name, v) = (&d.name, &d.version);
                write!(out, "{nl}[{table}.{name}]{}{nl}", c.next().unwrap()).unwrap();
                write!(
                    out,
                    "path = {q}../{name}{q}{nl}{}version = {q}{v}{q}{}{nl}",
                    w.next().unwrap(),
                    c.next().unwrap()
                )
                .unwrap();
                expected.push(format!("{table}.{name} req({name}) = {v}"));
            }
        }
        finish(out, expected, self.final_newline)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_manifests(doc in doc_strategy(), values in prop::collection::vec(version(), 1..8)) {
        let (text, expected) = doc.render();
        let reading = check_generated(FileKind::CargoToml, &text, &expected, &values)?;
        let inherits = matches!(doc.package, Some((PackageForm::Inherit, _)));
        prop_assert_eq!(reading.notes.len(), usize::from(inherits));
    }
}
