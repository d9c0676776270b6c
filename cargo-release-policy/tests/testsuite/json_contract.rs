//! The JSON contract: every subcommand's `--format json` document holds only the fields
//! `docs/json.md` describes, in the order its tables give them. The tables are read from the
//! doc (each marked `<!-- json: NAME -->`, a type `*NAME*` naming a nested object's table),
//! and the documents come from running every subcommand on a fixture repository in git.

use crate::support::{cases_dir, copy_dir, project_root};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value with its objects' keys in the order written (`serde_json::Value` sorts them).
#[derive(Debug)]
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar(serde_json::Value),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ordered, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(v.into()))
    }
    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(serde_json::Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Ordered::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry()? {
            out.push((k, v));
        }
        Ok(Ordered::Object(out))
    }
}

/// One table of the doc: its fields in order, and the object table a field's type names.
#[derive(Debug, Default)]
struct Table {
    fields: Vec<String>,
    nested: BTreeMap<String, String>,
}

/// The tables of `docs/json.md`, by name.
fn doc_tables(doc: &str) -> BTreeMap<String, Table> {
    let mut tables = BTreeMap::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- json: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let mut table = Table::default();
        for row in lines.by_ref() {
            if !row.starts_with('|') {
                break;
            }
            let cells: Vec<&str> = row.split(" | ").collect();
            let Some(field) = cells[0]
                .strip_prefix("| `")
                .and_then(|c| c.strip_suffix('`'))
            else {
                continue; // the header and the rule
            };
            if let Some(nested) = cells.get(1).and_then(|t| t.split('*').nth(1)) {
                table.nested.insert(field.to_string(), nested.to_string());
            }
            table.fields.push(field.to_string());
        }
        assert!(
            tables.insert(name.to_string(), table).is_none(),
            "two tables named `{name}` in docs/json.md"
        );
    }
    tables
}

/// The problems of `value` against table `name` (at `at`): a field not described, fields out
/// of the table's order, a nested object against its own table.
fn conform(
    tables: &BTreeMap<String, Table>,
    name: &str,
    value: &Ordered,
    at: &str,
    problems: &mut Vec<String>,
) {
    let Some(table) = tables.get(name) else {
        problems.push(format!("{at}: docs/json.md has no table `{name}`"));
        return;
    };
    let Ordered::Object(fields) = value else {
        problems.push(format!("{at}: not an object (table `{name}`)"));
        return;
    };
    let mut last = None;
    for (key, field_value) in fields {
        let Some(position) = table.fields.iter().position(|f| f == key) else {
            problems.push(format!(
                "{at}.{key}: not described in table `{name}` of docs/json.md"
            ));
            continue;
        };
        if last.is_some_and(|last| position < last) {
            problems.push(format!(
                "{at}.{key}: out of the order of table `{name}` ({:?})",
                table.fields
            ));
        }
        last = Some(position);
        let Some(nested) = table.nested.get(key) else {
            continue;
        };
        match field_value {
            Ordered::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    conform(tables, nested, item, &format!("{at}.{key}[{i}]"), problems);
                }
            }
            Ordered::Scalar(serde_json::Value::Null) => {}
            other => conform(tables, nested, other, &format!("{at}.{key}"), problems),
        }
    }
}

/// The table of a top-level document, from its `command`.
fn table_of(command: &str) -> &'static str {
    match command {
        "show" | "check" | "sync" | "bump" => "document",
        "snapshot" => "snapshot",
        "tag" => "tag",
        "checklist" => "checklist",
        "init" => "init",
        "recover" => "recover",
        other => panic!("no table for command `{other}`"),
    }
}

const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Release Bot"),
    ("GIT_AUTHOR_EMAIL", "bot@example.com"),
    ("GIT_COMMITTER_NAME", "Release Bot"),
    ("GIT_COMMITTER_EMAIL", "bot@example.com"),
];

/// A copy of `repo` committed in a new git repository.
struct Repo {
    _temp: tempfile::TempDir,
    dir: PathBuf,
}

impl Repo {
    fn new(repo: &str, overlay: Option<&Path>) -> Repo {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("repo");
        copy_dir(&project_root().join(repo), &dir);
        if let Some(overlay) = overlay {
            copy_dir(overlay, &dir);
        }
        let repo = Repo { _temp: temp, dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "initial"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.dir)
            .envs(IDENTITY)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
            .arg("release-policy")
            .args(args)
            .arg("--format=json")
            .current_dir(&self.dir)
            .envs(IDENTITY)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }
}

/// Run `args` with `--format json` in `repo`, expecting exit `code`; check its document and
/// return its `command`.
#[track_caller]
fn document(
    repo: &Repo,
    args: &[&str],
    code: i32,
    tables: &BTreeMap<String, Table>,
    problems: &mut Vec<String>,
) -> (String, serde_json::Value) {
    let out = repo.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    let ordered: Ordered = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON document ({e}): {stderr}"));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let command = value["command"].as_str().unwrap().to_string();
    assert_eq!(value["format_version"], 1, "{args:?}");
    conform(
        tables,
        table_of(&command),
        &ordered,
        &format!("{args:?}"),
        problems,
    );
    (command, value)
}

#[test]
fn every_subcommand_keeps_the_documented_json() {
    let doc = fs::read_to_string(project_root().join("docs/json.md")).unwrap();
    let tables = doc_tables(&doc);
    let mut problems = Vec::new();
    let mut commands = BTreeSet::new();
    let mut run = |repo: &Repo, args: &[&str], code: i32| {
        let (command, value) = document(repo, args, code, &tables, &mut problems);
        commands.insert(command);
        value
    };

    let repo = Repo::new("examples/polyglot-sdk", None);
    run(&repo, &["show"], 0);
    run(&repo, &["check"], 0);
    run(&repo, &["sync", "--dry-run"], 0);
    run(&repo, &["bump", "minor", "--pre", "beta", "--dry-run"], 0);
    // A tag that does not match explains itself.
    let failed = run(&repo, &["check", "--tag", "v1.4.9"], 1);
    assert_eq!(failed["ok"], false);
    assert_eq!(failed["tag_check"]["ok"], false);
    let message = failed["tag_check"]["message"].as_str().unwrap();
    assert!(message.contains("`v1.4.0`"), "{message}");
    assert_eq!(failed["errors"][0]["message"], message);
    let matched = run(&repo, &["check", "--tag", "refs/tags/v1.4.0"], 0);
    assert_eq!(matched["tag_check"]["message"], serde_json::Value::Null);
    assert_eq!(run(&repo, &["tag", "--print"], 0)["outcome"], "printed");
    assert_eq!(
        run(&repo, &["tag", "--dry-run"], 0)["outcome"],
        "would-create"
    );
    let created = run(&repo, &["tag"], 0);
    assert_eq!(created["outcome"], "created");
    assert_eq!(created["message"], "Release 1.4.0");
    assert_eq!(run(&repo, &["tag"], 0)["outcome"], "exists");
    fs::write(repo.dir.join("NOTES.md"), "work\n").unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "work"]);
    let snapshot = run(&repo, &["bump", "dev", "--snapshot", "--print"], 0);
    assert_eq!(snapshot["version"], "1.4.1-dev.1");
    run(&repo, &["recover"], 0);
    // The checklist: one that passes, one that fails, one not run after it.
    let cargo_toml = repo.dir.join("Cargo.toml");
    let text = fs::read_to_string(&cargo_toml).unwrap().replacen(
        "[workspace.metadata.release]\n",
        "[workspace.metadata.release]\nchecks = [{ name = \"yes\", run = [\"true\"] }, { name = \"no\", run = [\"sh\", \"-c\", \"echo broken; exit 3\"] }, { name = \"later\", run = [\"true\"] }]\n",
        1,
    );
    fs::write(&cargo_toml, text).unwrap();
    let checklist = run(&repo, &["checklist"], 1);
    let statuses: Vec<_> = checklist["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["passed", "failed", "not-run"]);
    assert_eq!(checklist["checks"][1]["exit_code"], 3);
    assert_eq!(checklist["checks"][1]["output"][0], "broken");
    run(&repo, &["sync"], 0);
    // Several groups bumped at once (`bumps`), and a group left out (`errors`).
    let groups = Repo::new(
        "cargo-release-policy/tests/testsuite/repos/crate-groups",
        None,
    );
    let bumped = run(&groups, &["bump", "patch", "--workspace", "--dry-run"], 0);
    assert!(bumped["bumps"].as_array().unwrap().len() > 1, "{bumped}");
    let unreadable = Repo::new(
        "cargo-release-policy/tests/testsuite/repos/rules-per-group",
        Some(&cases_dir().join("rules-unreadable.in")),
    );
    let shown = run(&unreadable, &["show"], 2);
    let errors = shown["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{shown}");
    assert!(errors[1]["help"]
        .as_str()
        .unwrap()
        .contains("labelled pre-release"));
    // `init`, on the example without its policy.
    let bare = Repo::new(
        "examples/polyglot-sdk",
        Some(&cases_dir().join("init-dry-run.in")),
    );
    let init = run(&bare, &["init", "--dry-run"], 0);
    assert_eq!(init["dry_run"], true);
    run(&bare, &["init"], 0);

    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let expected: BTreeSet<String> = [
        "show",
        "check",
        "sync",
        "bump",
        "snapshot",
        "tag",
        "checklist",
        "init",
        "recover",
    ]
    .map(String::from)
    .into();
    assert_eq!(commands, expected);
}

#[test]
fn schema_prints_the_schema_in_either_format() {
    let checked_in =
        fs::read(project_root().join("policy-schema/release-policy.schema.json")).unwrap();
    for format in ["human", "json"] {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
            .args(["release-policy", "schema", "--format", format])
            .output()
            .unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout, checked_in, "--format {format}");
    }
}

#[test]
fn the_doc_tables_are_read() {
    let tables = doc_tables(&fs::read_to_string(project_root().join("docs/json.md")).unwrap());
    let document = &tables["document"];
    assert_eq!(document.fields[..3], ["format_version", "command", "ok"]);
    assert_eq!(document.nested["groups"], "group");
    assert_eq!(document.nested["bumps"], "bump");
    assert_eq!(tables["checklist"].nested["checks"], "check");
    // A field out of order, and one not described, are caught.
    let mut problems = Vec::new();
    let value: Ordered =
        serde_json::from_str(r#"{"name": "x", "leader": "y", "version": "1", "pep440": null, "tag": null, "assembly": null, "extra": 1}"#)
            .unwrap();
    conform(&tables, "group", &value, "g", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("g.assembly: out of the order"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("g.extra: not described"),
        "{problems:?}"
    );
}
