//! tbump (`tbump.toml`, `[tool.tbump]` in `pyproject.toml`): each `[[file]]` with its
//! `src` and `search` (default `{current_version}`).

use super::config::{parse_toml, toml_files, toml_table, translate, ToolFile};

/// A `tbump.toml`.
pub(super) fn read(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    read_at(text, &[])
}

/// A `pyproject.toml`: `None` without `[tool.tbump]`.
pub(super) fn read_pyproject(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    if !text.contains("tbump") {
        return None;
    }
    read_at(text, &["tool", "tbump"])
}

fn read_at(text: &str, at: &[&str]) -> Option<Result<Vec<ToolFile>, String>> {
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(e) => return Some(Err(e)),
    };
    let table = toml_table(&doc, at)?;
    let Some(item) = table.get("file") else {
        return Some(Ok(Vec::new()));
    };
    Some(toml_files(item, "src", |path, entry| {
        if entry.contains_key("version_template") {
            return ToolFile::problem(
                path,
                "it writes the version through a `version_template`: write the entry by hand"
                    .into(),
            );
        }
        match entry.get("search").and_then(|i| i.as_str()) {
            None => ToolFile::path(path),
            Some(search) => match translate(search, "current_version") {
                Ok(search) => ToolFile {
                    search: Some(search),
                    ..ToolFile::path(path)
                },
                Err(problem) => ToolFile::problem(path, problem),
            },
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(found: Option<Result<Vec<ToolFile>, String>>, expected: &[(&str, Option<&str>, bool)]) {
        let files = found.expect("a configuration").expect("readable");
        let got: Vec<_> = files
            .iter()
            .map(|f| (f.path.as_str(), f.search.as_deref(), f.problem.is_some()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn files() {
        case(
            read("[version]\ncurrent = \"1.2.0\"\nregex = '''(?P<major>\\d+)'''\n\n[[file]]\nsrc = \"Cargo.toml\"\nsearch = 'version = \"{current_version}\"'\n\n[[file]]\nsrc = \"src/hp/version.h\"\n\n[[file]]\nsrc = \"docs/conf.py\"\nversion_template = \"{major}.{minor}\"\n"),
            &[
                ("Cargo.toml", Some("version = \"{{version}}\""), false),
                ("src/hp/version.h", None, false),
                ("docs/conf.py", None, true),
            ],
        );
        case(
            read_pyproject("[tool.tbump.version]\ncurrent = \"1.0.0\"\n[[tool.tbump.file]]\nsrc = \"a.py\"\nsearch = \"__version__ = '{current_version}'\"\n"),
            &[("a.py", Some("__version__ = '{{version}}'"), false)],
        );
        assert_eq!(read_pyproject("[project]\nname = \"x\"\n"), None);
    }
}
