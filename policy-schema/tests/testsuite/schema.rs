//! The JSON Schema: checked in and current, valid draft 2020-12, and true to the parser.

use std::path::Path;

use crate::support::{in_workspace_table, schema_errors, validator, workspace_policy};
use policy_schema::{json_schema, Policy};
use serde_json::Value;

const CHECKED_IN: &str = "release-policy.schema.json";

/// `policy-schema/release-policy.schema.json` is what `json_schema()` generates.
#[test]
fn checked_in_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CHECKED_IN);
    let generated = json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "policy-schema/{CHECKED_IN} is stale: the types of policy-schema changed.\n\
         Regenerate it with `UPDATE_SCHEMA=1 cargo test -p policy-schema --test schema` and \
         commit the result."
    );
}

#[test]
fn schema_is_valid_draft_2020_12() {
    let schema: Value = serde_json::from_str(&json_schema()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::meta::validate(&schema).expect("valid against the draft 2020-12 meta-schema");
    jsonschema::draft202012::new(&schema).expect("compiles");
}

/// Every type and field carries a description for users.
#[test]
fn schema_describes_everything() {
    fn walk(value: &Value, at: &str, missing: &mut Vec<String>) {
        let Value::Object(object) = value else { return };
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (name, property) in properties {
                if property.get("description").is_none() {
                    missing.push(format!("{at}/properties/{name}"));
                }
                walk(property, &format!("{at}/properties/{name}"), missing);
            }
        }
        if let Some(Value::Object(definitions)) = object.get("$defs") {
            for (name, definition) in definitions {
                if definition.get("description").is_none() {
                    missing.push(format!("{at}/$defs/{name}"));
                }
                walk(definition, &format!("{at}/$defs/{name}"), missing);
            }
        }
    }
    let schema: Value = serde_json::from_str(&json_schema()).unwrap();
    let mut missing = Vec::new();
    walk(&schema, "#", &mut missing);
    assert!(missing.is_empty(), "no description: {missing:#?}");
}

const FULL_EXAMPLE: &str = r#"
tag-name = "v{{version}}"
tag-message = "Release {{version}}"
tag-prefix = ""
sign-tag = true
tag = true
commit-message = "Release {{version}}"
shared-version = "bindings"
manifests = [
  "bindings/node/package.json",
  "bindings/node/npm/*/package.json",
  "bindings/python/pyproject.toml",
  "bindings/dotnet/Directory.Build.props",
  { path = "bindings/python/src/pkg/_version.py", search = '__version__ = "{{version}}"', format = "pep440" },
  { path = "README.md", search = "version {{version}}", format = "semver", min = 0, max = 3 },
  { path = "gem/version.rb", search = "VERSION = '{{version}}'", format = "rubygems", exactly = 1 },
]
exclude = ["**/node_modules/**", "examples/**"]
lockfiles = ["tools/xtask/Cargo.lock"]
labels = { pre = "rc", nightly = "dev" }
dotnet = { assembly-version = "{{major}}.0.0.0", file-version = "{{major}}.{{minor}}.{{patch}}.0" }
checks = [{ name = "tests", run = ["cargo", "test"] }, { name = "node", run = ["npm", "test"], dir = "bindings/node" }]
publish = false
"#;

#[test]
fn a_full_example_validates() {
    let text = in_workspace_table(FULL_EXAMPLE);
    workspace_policy(&text);
    assert_eq!(schema_errors(&text), Vec::<String>::new());
}

/// A parsed policy, serialized to JSON, is valid under the schema and deserializes back to
/// itself (less `origins`, which are not serialized).
#[test]
fn serialized_policies_validate_and_round_trip() {
    for body in [
        FULL_EXAMPLE,
        "",
        "rate-limit.new-packages = 1\nunstable.workspace-publish = false\npre-release-hook = \"x\"",
    ] {
        let mut policy = workspace_policy(&in_workspace_table(body));
        let json = serde_json::to_value(&policy).unwrap();
        let errors: Vec<String> = validator()
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{json:#}\n{errors:#?}");
        let back: Policy = serde_json::from_value(json).unwrap();
        policy.origins.clear();
        assert_eq!(back, policy);
    }
}
