//! knope (`knope.toml`): `versioned_files` of `[package]` or each `[packages.NAME]`, paths
//! or tables with a `path` (a table with a `dependency` names a dependency's version).

use super::config::{parse_toml, toml_files, toml_table, ToolFile};

pub(super) fn read(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(e) => return Some(Err(e)),
    };
    let mut packages = Vec::new();
    if let Some(package) = toml_table(&doc, &["package"]) {
        packages.push(package);
    }
    if let Some(named) = toml_table(&doc, &["packages"]) {
        packages.extend(named.iter().filter_map(|(_, t)| t.as_table_like()));
    }
    if packages.is_empty() {
        return None;
    }
    let mut files = Vec::new();
    for package in packages {
        let Some(item) = package.get("versioned_files") else {
            continue;
        };
        let found = toml_files(item, "path", |path, entry| {
            if entry.contains_key("dependency") {
                ToolFile::problem(
                    path,
                    "knope writes a dependency's version there, not the package's".into(),
                )
            } else {
                ToolFile::path(path)
            }
        });
        match found {
            Ok(found) => files.extend(found),
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(files))
}

#[cfg(test)]
#[test]
fn versioned_files() {
    let files = read("[package]\nversioned_files = [\"Cargo.toml\", \"bindings/node/package.json\", { path = \"x/Cargo.toml\", dependency = \"hp\" }]\n\n[[workflows]]\nname = \"release\"\n")
        .unwrap()
        .unwrap();
    let got: Vec<_> = files
        .iter()
        .map(|f| (f.path.as_str(), f.problem.is_some()))
        .collect();
    assert_eq!(
        got,
        [
            ("Cargo.toml", false),
            ("bindings/node/package.json", false),
            ("x/Cargo.toml", true)
        ]
    );
    let named = read("[packages.core]\nversioned_files = [\"core/Cargo.toml\"]\n[packages.py]\nversioned_files = [\"py/pyproject.toml\"]\n").unwrap().unwrap();
    assert_eq!(
        named,
        [
            ToolFile::path("core/Cargo.toml"),
            ToolFile::path("py/pyproject.toml")
        ]
    );
}
