//! release-please (`release-please-config.json`): the `extra-files` of each package (paths
//! relative to the package, or to the repository with a leading `/`) and the top-level ones.
//! A plain path is rewritten where a line carries `x-release-please-version`; a `json`,
//! `toml`, `yaml` or `xml` entry at its `jsonpath`/`xpath`.

use super::config::ToolFile;

/// The release-please marker on the lines its generic updater rewrites.
const MARKER: &str = "x-release-please-version";

fn entry(package: &str, value: &serde_json::Value) -> ToolFile {
    let (path, kind) = match value {
        serde_json::Value::String(path) => (path.as_str(), "generic"),
        serde_json::Value::Object(map) => (
            map.get("path").and_then(|p| p.as_str()).unwrap_or(""),
            map.get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("generic"),
        ),
        other => {
            return ToolFile::problem(
                "",
                format!("an entry `{other}` that is neither a path nor an object"),
            )
        }
    };
    let path = match path.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None => super::config::join(package, path),
    };
    if value.get("glob").and_then(serde_json::Value::as_bool) == Some(true) {
        return ToolFile::problem(
            &path,
            "a glob release-please expands itself: list its files".into(),
        );
    }
    match kind {
        "generic" => ToolFile {
            line: Some(MARKER.to_string()),
            ..ToolFile::path(&path)
        },
        "json" | "toml" | "yaml" | "xml" | "pom" => ToolFile::path(&path),
        other => ToolFile::problem(
            &path,
            format!("release-please's `{other}` updater: write the entry by hand"),
        ),
    }
}

pub(super) fn read(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Some(Err(format!("malformed JSON: {e}"))),
    };
    let top = value.get("extra-files").and_then(|f| f.as_array());
    if top.is_none() && value.get("packages").is_none() {
        return None;
    }
    let mut files = Vec::new();
    let Some(packages) = value.get("packages").and_then(|p| p.as_object()) else {
        return Some(Ok(top
            .into_iter()
            .flatten()
            .map(|v| entry("", v))
            .collect()));
    };
    for (path, package) in packages {
        let own = package.get("extra-files").and_then(|f| f.as_array());
        for value in own.into_iter().flatten().chain(top.into_iter().flatten()) {
            files.push(entry(path, value));
        }
    }
    Some(Ok(files))
}

#[cfg(test)]
#[test]
fn extra_files() {
    let files = read(r#"{"packages": {".": {"release-type": "rust", "extra-files": ["bindings/python/hp/__init__.py", {"type": "json", "path": "/bindings/node/package.json", "jsonpath": "$.version"}, {"type": "generic", "path": "x/*.h", "glob": true}]}, "sdk": {"extra-files": ["VERSION"]}}}"#)
        .unwrap()
        .unwrap();
    let got: Vec<_> = files
        .iter()
        .map(|f| (f.path.as_str(), f.line.is_some(), f.problem.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("bindings/python/hp/__init__.py", true, false),
            ("bindings/node/package.json", false, false),
            ("x/*.h", false, true),
            ("sdk/VERSION", true, false),
        ]
    );
}
