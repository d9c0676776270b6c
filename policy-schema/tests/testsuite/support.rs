//! Helpers shared by the integration tests of `policy-schema`.
#![allow(dead_code)]

use std::sync::OnceLock;

use policy_schema::{parse_policies, Policy, PolicyError};
use serde_json::Value;

/// The body of a `[workspace.metadata.release]` table, as a whole Cargo.toml.
pub fn in_workspace_table(body: &str) -> String {
    format!("[workspace.metadata.release]\n{body}\n")
}

/// The schema's validator, built once.
pub fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(&policy_schema::json_schema()).unwrap();
        jsonschema::draft202012::new(&schema).expect("the schema compiles as draft 2020-12")
    })
}

/// The TOML table `path` (e.g. `["workspace", "metadata", "release"]`) of `cargo_toml`, as JSON.
pub fn table_as_json(cargo_toml: &str, path: &[&str]) -> Option<Value> {
    let document: Value = toml_edit::de::from_str(cargo_toml).ok()?;
    let mut value = &document;
    for key in path {
        value = value.get(key)?;
    }
    Some(value.clone())
}

/// The schema's verdict on the `[workspace.metadata.release]` table of `cargo_toml`: the list of
/// validation errors (empty: valid).
pub fn schema_errors(cargo_toml: &str) -> Vec<String> {
    let table = table_as_json(cargo_toml, &["workspace", "metadata", "release"])
        .expect("a [workspace.metadata.release] table");
    validator()
        .iter_errors(&table)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

/// The workspace policy of a Cargo.toml text; panics on an error, naming it.
#[track_caller]
pub fn workspace_policy(cargo_toml: &str) -> Policy {
    match parse_policies(cargo_toml) {
        Ok(policies) => policies.workspace.expect("a workspace policy"),
        Err(error) => panic!("{}\n{cargo_toml}", describe(&error, cargo_toml)),
    }
}

/// An error as a diagnostic: `line:col: message` and the help.
pub fn describe(error: &PolicyError, text: &str) -> String {
    let (line, col) = line_col(text, error.offset());
    match &error.help {
        Some(help) => format!("{line}:{col}: {error}\nhelp: {help}"),
        None => format!("{line}:{col}: {error}"),
    }
}

/// 1-based line and column (in characters, a BOM not counted) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = before[line_start..]
        .trim_start_matches('\u{feff}')
        .chars()
        .count()
        + 1;
    (line, column)
}
