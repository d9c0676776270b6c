//! rooster (`[tool.rooster] version_files` in `pyproject.toml`): paths, or tables with a
//! `target`; rooster rewrites every occurrence of the version in them.

use super::config::{parse_toml, toml_files, toml_table, ToolFile};

/// A `pyproject.toml`: `None` without `[tool.rooster] version_files`.
pub(super) fn read(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    if !text.contains("rooster") {
        return None;
    }
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(e) => return Some(Err(e)),
    };
    let item = toml_table(&doc, &["tool", "rooster"])?.get("version_files")?;
    Some(toml_files(item, "target", |path, entry| {
        if entry.contains_key("replace") {
            ToolFile::problem(
                path,
                "rooster rewrites it with its own `replace` text: write the entry by hand".into(),
            )
        } else {
            ToolFile::path(path)
        }
    }))
}

#[cfg(test)]
#[test]
fn version_files() {
    let files = read("[tool.rooster]\nmajor_labels = []\nversion_files = [\"README.md\", \"crates/cli/Cargo.toml\", { target = \"docs/x.md\", replace = \"v{version}\" }, { target = \"dist.toml\" }]\n")
        .unwrap()
        .unwrap();
    let got: Vec<_> = files
        .iter()
        .map(|f| (f.path.as_str(), f.problem.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("README.md", false),
            ("crates/cli/Cargo.toml", false),
            ("docs/x.md", true),
            ("dist.toml", false)
        ]
    );
    assert_eq!(read("[tool.rooster]\nmajor_labels = []\n"), None);
}
