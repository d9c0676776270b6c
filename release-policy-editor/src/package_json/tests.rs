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

const FULL: &str = r#"{
  "name": "@napi/root",
  "version": "1.4.0",
  "dependencies": {
    "core": "^1.4.0",
    "@napi/linux-x64": "1.4.0"
  },
  "devDependencies": {
    "tilde": "~1.4.0",
    "ge": ">=1.4.0",
    "ws": "workspace:^1.4.0",
    "star": "workspace:*"
  },
  "peerDependencies": {
    "file": "file:../x",
    "alias": "npm:other@1"
  },
  "optionalDependencies": {
    "@napi/linux-x64": "1.4.0",
    "cat": "catalog:",
    "any": ""
  }
}"#;

#[test]
fn every_section_and_form() {
    case(
        FULL,
        r"
name = @napi/root
version version = 1.4.0
requirement(core) dependencies.core = ^1.4.0
requirement(@napi/linux-x64) dependencies.@napi/linux-x64 = 1.4.0
requirement(tilde) devDependencies.tilde = ~1.4.0
requirement(ge) devDependencies.ge = >=1.4.0
requirement(ws) devDependencies.ws = workspace:^1.4.0
requirement(star) devDependencies.star = workspace:*
requirement(file) peerDependencies.file = file:../x
requirement(alias) peerDependencies.alias = npm:other@1
requirement(@napi/linux-x64) optionalDependencies.@napi/linux-x64 = 1.4.0
requirement(cat) optionalDependencies.cat = catalog:
requirement(any) optionalDependencies.any =
",
    );
}

#[test]
fn layouts() {
    let expected = "name = a\nversion version = 1.0.0\nrequirement(b) dependencies.b = ^1.0.0";
    // Tabs, CRLF, a BOM, no final newline, minified, odd indentation and spacing.
    case("{\n\t\"name\": \"a\",\n\t\"version\": \"1.0.0\",\n\t\"dependencies\": {\n\t\t\"b\": \"^1.0.0\"\n\t}\n}\n", expected);
    case("{\r\n  \"name\": \"a\",\r\n  \"version\": \"1.0.0\",\r\n  \"dependencies\": {\r\n    \"b\": \"^1.0.0\"\r\n  }\r\n}\r\n", expected);
    case(
        "\u{feff}{\"name\": \"a\", \"version\": \"1.0.0\", \"dependencies\": {\"b\": \"^1.0.0\"}}",
        expected,
    );
    case(
        "{\"name\":\"a\",\"version\":\"1.0.0\",\"dependencies\":{\"b\":\"^1.0.0\"}}",
        expected,
    );
    case("  {\n \"name\"  :\"a\" ,\n       \"version\":\t\"1.0.0\"\n,\"dependencies\"\r\n:{ \"b\" : \"^1.0.0\" }}  \n\n", expected);
    // Version last, after nested objects holding keys of the same names.
    case(
        r#"{
  "name": "a",
  "publishConfig": { "version": "9.9.9", "name": "x" },
  "dependencies": { "b": "^1.0.0" },
  "workspaces": ["packages/*"],
  "engines": { "dependencies": { "c": "1" } },
  "version": "1.0.0"
}"#,
        "name = a\nrequirement(b) dependencies.b = ^1.0.0\nversion version = 1.0.0",
    );
}

#[test]
fn partial_files() {
    case("{}", "");
    case("{\"name\": \"a\"}", "name = a");
    case(
        "{\"version\": \"0.0.0-dev\"}",
        "version version = 0.0.0-dev",
    );
    case("{\"dependencies\": {}}", "");
    case("{\"name\": \"@s/\\u0061\"}", "name = @s/a");
}

#[test]
fn escapes_and_odd_values() {
    case(
        r#"{
  "version": "1.0.0",
  "dependencies": {
    "a": "\u005e1.0.0",
    "\u0063ore": "^1.0.0",
    "num": 1,
    "obj": { "version": "1.0.0" },
    "nul": null
  }
}"#,
        r#"
version version = 1.0.0
requirement(core) dependencies.core = ^1.0.0
unsupported dependencies.a: the requirement is written with escape sequences (\u005e1.0.0)
unsupported dependencies.num: expected a string, found a number (1)
unsupported dependencies.obj: expected a string, found an object ({ "version": "1.0.0" })
unsupported dependencies.nul: expected a string, found `null` (null)
"#,
    );
    fails(
        "{\n  \"version\": \"\\u0031.0.0\"\n}",
        "`version` is written with escape sequences, which this tool does not edit",
        "2:14",
    );
    fails(
        "{\"version\": 1}",
        "expected a string for `version`, found a number",
        "1:13",
    );
    fails(
        "{\"version\": null}",
        "expected a string for `version`, found `null`",
        "1:13",
    );
    fails(
        "{\"name\": [\"a\"]}",
        "expected a string for `name`, found an array",
        "1:10",
    );
    fails(
        "{\"devDependencies\": [\"a\"]}",
        "expected an object for `devDependencies`, found an array",
        "1:21",
    );
    fails(
        "[]",
        "expected an object at the top level of `package.json`, found an array",
        "1:1",
    );
    fails(
        "\u{feff}\"1.0.0\"",
        "expected an object at the top level of `package.json`, found a string",
        "1:1",
    );
}

#[test]
fn duplicates() {
    fails(
        "{\n  \"version\": \"1.0.0\",\n  \"name\": \"a\",\n  \"version\": \"1.0.1\"\n}",
        "duplicate key `version` at 2:3 and 4:3",
        "4:3",
    );
    fails(
        "{\"dependencies\": {\"a\": \"1\", \"b\": \"1\", \"a\": \"2\"}}",
        "duplicate key `dependencies.a` at 1:19 and 1:39",
        "1:39",
    );
    fails(
        "{\"dependencies\": {\"a\": \"1\", \"\\u0061\": \"2\"}}",
        "duplicate key `dependencies.a` at 1:19 and 1:29",
        "1:29",
    );
    // Sorted keys take a fast path: a repeated key is not "increasing".
    fails(
        "{\"dependencies\": {\"a\": \"1\", \"a\": \"1\", \"b\": \"1\"}}",
        "duplicate key `dependencies.a` at 1:19 and 1:29",
        "1:29",
    );
    fails(
        "{\"dependencies\": {}, \"dependencies\": {}}",
        "duplicate key `dependencies` at 1:2 and 1:22",
        "1:22",
    );
    // Keys the editor does not read may repeat, as npm allows.
    case(
        "{\"scripts\": {}, \"scripts\": {}, \"version\": \"1.0.0\"}",
        "version version = 1.0.0",
    );
    // The same package in two sections is fine.
    case(
        "{\"dependencies\": {\"a\": \"1\"}, \"devDependencies\": {\"a\": \"1\"}}",
        "requirement(a) dependencies.a = 1\nrequirement(a) devDependencies.a = 1",
    );
}

#[test]
fn malformed() {
    fails(
        "{\n  // the version\n  \"version\": \"1.0.0\"\n}",
        "comments are not allowed in JSON",
        "2:3",
    );
    fails(
        "{\r\n\t\"version\": \"1.0.0\", /* x */\r\n}",
        "comments are not allowed in JSON",
        "2:22",
    );
    fails(
        "{\n  \"version\": \"1.0.0\",\n}\n",
        "trailing comma",
        "2:21",
    );
    fails("\u{feff}{\n\t\"a\": [1,2,],\n}", "trailing comma", "2:11");
    fails(
        "{\"version\": \"1.0.0\"",
        "expected `,` or `}` after an object member, found the end of the file",
        "1:20",
    );
    fails(
        "{\"version\": '1.0.0'}",
        "expected a JSON value, found `'`",
        "1:13",
    );
    fails(
        "",
        "expected a JSON value, found the end of the file",
        "1:1",
    );
}

#[test]
fn rewrites_in_place() {
    let text = "\u{feff}{\r\n\t\"version\": \"1.4.0\",\r\n\t\"dependencies\": { \"core\": \"^1.4.0\", \"x\": \"2\" }\r\n}";
    let reading = read(text).unwrap();
    let version = reading.field(&FieldKind::Version).unwrap();
    let core = &reading.fields[1];
    let out = rewrite(
        FileKind::PackageJson,
        text,
        &[(version, "1.5.0-beta.1"), (core, "^1.5.0-beta.1")],
    )
    .unwrap();
    assert_eq!(
        out,
        "\u{feff}{\r\n\t\"version\": \"1.5.0-beta.1\",\r\n\t\"dependencies\": { \"core\": \"^1.5.0-beta.1\", \"x\": \"2\" }\r\n}"
    );
}

/// A `package.json` in a random style, and the fields it holds.
fn document() -> impl Strategy<Value = (J, Style)> {
    let dependencies = prop::collection::vec((json::package_name(), json::range()), 0..4);
    let sections = prop::collection::vec(
        (
            prop::sample::select(DEPENDENCY_SECTIONS.to_vec()),
            dependencies,
        ),
        0..5,
    );
    (
        prop::option::of(json::package_name()),
        prop::option::of(json::version()),
        sections,
        prop::collection::vec(json::filler(), 0..4),
        json::style(),
    )
        .prop_flat_map(|(name, version, sections, filler, style)| {
            let mut members = Vec::new();
            if let Some(name) = name {
                members.push(("name".to_string(), J::str(&name)));
            }
            if let Some(version) = version {
                members.push((
                    "version".to_string(),
                    J::field(&version, FieldKind::Version, "version"),
                ));
            }
            for (section, dependencies) in sections {
                let map = dependencies
                    .into_iter()
                    .map(|(package, range)| {
                        let key = format!("{section}.{package}");
                        (
                            package.clone(),
                            J::field(&range, FieldKind::Requirement { package }, key),
                        )
                    })
                    .collect();
                members.push((section.to_string(), J::Obj(json::dedup(map))));
            }
            members.extend(filler);
            let members = json::dedup(members);
            (Just(members).prop_shuffle(), Just(style))
        })
        .prop_map(|(members, style)| (J::Obj(members), style))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn read_and_rewrite(
        (document, style) in document(),
        new_values in prop::collection::vec(prop::option::of(json::range()), 32),
    ) {
        let (reading, reread) =
            json::read_and_rewrite(FileKind::PackageJson, &document, &style, &new_values)?;
        prop_assert_eq!(reread.name, reading.name);
    }
}
