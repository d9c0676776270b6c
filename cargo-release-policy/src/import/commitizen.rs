//! commitizen (`[tool.commitizen]` in `pyproject.toml`, `.cz.toml`, `cz.toml`; `.cz.json`):
//! `version_files`, each `path` or `path:regex` — commitizen rewrites the version on the
//! lines the regular expression matches (every line without one).

use super::config::{parse_toml, toml_table, ToolFile};

/// A `path` or `path:regex` entry.
fn entry(text: &str) -> ToolFile {
    match text.split_once(':') {
        Some((path, regex)) if !regex.is_empty() => match regex::Regex::new(regex) {
            Ok(_) => ToolFile {
                line: Some(regex.to_string()),
                ..ToolFile::path(path)
            },
            Err(e) => ToolFile::problem(path, format!("its regex `{regex}` does not compile: {e}")),
        },
        Some((path, _)) => ToolFile::path(path),
        None => ToolFile::path(text),
    }
}

/// A TOML configuration: `None` without `[tool.commitizen]`.
pub(super) fn read_toml(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    if !text.contains("commitizen") {
        return None;
    }
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(e) => return Some(Err(e)),
    };
    let table = toml_table(&doc, &["tool", "commitizen"])?;
    let Some(item) = table.get("version_files") else {
        return Some(Ok(Vec::new()));
    };
    let Some(array) = item.as_array() else {
        return Some(Err("`version_files` is not an array".into()));
    };
    Some(entries(array.iter(), toml_edit::Value::as_str))
}

/// The entries of a `version_files` array (TOML or JSON): each must be a string.
fn entries<'a, V: std::fmt::Display + 'a>(
    values: impl Iterator<Item = &'a V>,
    as_str: impl Fn(&V) -> Option<&str>,
) -> Result<Vec<ToolFile>, String> {
    values
        .map(|v| {
            as_str(v)
                .map(entry)
                .ok_or_else(|| format!("`version_files` holds `{v}`, not a string"))
        })
        .collect()
}

/// A `.cz.yaml`: not read (the tool has no YAML reader for it), which `init` says rather than
/// skipping the file in silence.
// The signature of every configuration reader (`import::Reader`).
#[allow(clippy::unnecessary_wraps)]
pub(super) fn read_yaml(_text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    Some(Err(
        "commitizen's YAML configuration is not read (`.cz.toml`, `cz.toml`, `.cz.json` and \
         `[tool.commitizen]` are): list its `version_files` in `manifests` by hand"
            .to_string(),
    ))
}

/// A `.cz.json`: `{"commitizen": {"version_files": [...]}}`.
pub(super) fn read_json(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Some(Err(format!("malformed JSON: {e}"))),
    };
    let table = value.get("commitizen")?;
    let Some(files) = table.get("version_files") else {
        return Some(Ok(Vec::new()));
    };
    let Some(array) = files.as_array() else {
        return Some(Err("`version_files` is not an array".into()));
    };
    Some(entries(array.iter(), serde_json::Value::as_str))
}

#[cfg(test)]
#[test]
fn version_files() {
    let files = read_toml("[tool.commitizen]\nname = \"cz_conventional_commits\"\nversion = \"1.2.0\"\nversion_files = [\"src/hp/__version__.py\", \"Cargo.toml:^version\", \"x.txt:(\"]\n")
        .unwrap()
        .unwrap();
    let got: Vec<_> = files
        .iter()
        .map(|f| (f.path.as_str(), f.line.as_deref(), f.problem.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("src/hp/__version__.py", None, false),
            ("Cargo.toml", Some("^version"), false),
            ("x.txt", None, true),
        ]
    );
    let json = read_json("{\"commitizen\": {\"version_files\": [\"VERSION\"]}}")
        .unwrap()
        .unwrap();
    assert_eq!(json, [ToolFile::path("VERSION")]);
    assert_eq!(read_toml("[tool.black]\n"), None);
    assert!(matches!(read_json("{"), Some(Err(_))));
}

#[cfg(test)]
#[test]
fn a_yaml_configuration_is_named_not_skipped() {
    let read = read_yaml("commitizen:\n  version_files:\n    - src/version.h\n");
    assert!(
        matches!(&read, Some(Err(message)) if message.contains("YAML configuration is not read")),
        "{read:?}"
    );
}
