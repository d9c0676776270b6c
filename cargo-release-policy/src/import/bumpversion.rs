//! bump2version / bumpversion (`.bumpversion.cfg`, `[bumpversion]` in `setup.cfg`) and
//! bump-my-version (`.bumpversion.toml`, `[tool.bumpversion]` in `pyproject.toml`): each
//! `file` section or `files` entry, with its `search` (default `{current_version}`).

use super::config::{parse_toml, toml_files, toml_table, translate, ToolFile};

const FIELD: &str = "current_version";

/// The INI sections of `text`: name, then its `key = value` pairs (continuation lines
/// joined with `\n`, as configparser joins them).
// proof: `at` is where `find` found an ASCII `=` or `:` in `line`: `at` and `at + 1` are
// char boundaries.
#[allow(clippy::string_slice)]
fn ini_sections(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            sections.push((name.to_string(), Vec::new()));
            continue;
        }
        let Some((_, pairs)) = sections.last_mut() else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = pairs.last_mut() {
                if !value.is_empty() {
                    value.push('\n');
                }
                value.push_str(trimmed);
            }
            continue;
        }
        if let Some(at) = line.find(['=', ':']) {
            pairs.push((
                line[..at].trim().to_string(),
                line[at + 1..].trim().to_string(),
            ));
        }
    }
    sections
}

/// A `.bumpversion.cfg` or `setup.cfg`: `None` without a `[bumpversion]` section.
pub(super) fn read_cfg(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    let sections = ini_sections(text);
    let main = sections.iter().find(|(name, _)| name == "bumpversion")?;
    let get = |pairs: &[(String, String)], key: &str| {
        pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let default_search = get(&main.1, "search");
    let mut files = Vec::new();
    for (name, pairs) in &sections {
        let Some(rest) = name.strip_prefix("bumpversion:") else {
            continue;
        };
        // `file:PATH`, `file(label):PATH`, `glob:PATTERN`; `part:NAME` configures a part.
        let Some((kind, path)) = rest.split_once(':') else {
            continue;
        };
        if !(kind == "glob" || kind == "file" || kind.starts_with("file(")) {
            continue;
        }
        let search = get(pairs, "search").or_else(|| default_search.clone());
        files.push(file(path.trim(), search.as_deref(), false));
    }
    Some(Ok(files))
}

/// One file with its search (`None`: the default, the version alone).
fn file(path: &str, search: Option<&str>, regex: bool) -> ToolFile {
    if regex {
        return ToolFile::problem(
            path,
            "its search is a regular expression (`regex = true`): write the entry by hand".into(),
        );
    }
    match search.map(|s| translate(s, FIELD)) {
        None => ToolFile::path(path),
        Some(Ok(search)) if search == release_policy_editor::text_pattern::PLACEHOLDER => {
            ToolFile::path(path)
        }
        Some(Ok(search)) => ToolFile {
            search: Some(search),
            ..ToolFile::path(path)
        },
        Some(Err(problem)) => ToolFile::problem(path, problem),
    }
}

/// A `.bumpversion.toml` or `pyproject.toml`: `None` without `[tool.bumpversion]`.
pub(super) fn read_toml(text: &str) -> Option<Result<Vec<ToolFile>, String>> {
    if !text.contains("bumpversion") {
        return None;
    }
    let doc = match parse_toml(text) {
        Ok(doc) => doc,
        Err(e) => return Some(Err(e)),
    };
    let table = toml_table(&doc, &["tool", "bumpversion"])?;
    let default_search = table.get("search").and_then(|i| i.as_str());
    let default_regex = table
        .get("regex")
        .and_then(toml_edit::Item::as_bool)
        .unwrap_or(false);
    let Some(item) = table.get("files") else {
        return Some(Ok(Vec::new()));
    };
    // bump-my-version names a file with `filename` or `glob`.
    let key = if item
        .as_array_of_tables()
        .is_some_and(|t| t.iter().all(|t| t.contains_key("glob")))
    {
        "glob"
    } else {
        "filename"
    };
    Some(toml_files(item, key, |path, entry| {
        let search = entry
            .get("search")
            .and_then(|i| i.as_str())
            .or(default_search);
        let regex = entry
            .get("regex")
            .and_then(toml_edit::Item::as_bool)
            .unwrap_or(default_regex);
        if entry.contains_key("key_path") {
            return ToolFile::path(path);
        }
        file(path, search, regex)
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
    fn cfg_files() {
        case(
            read_cfg(
                "[bumpversion]\ncurrent_version = 1.2.0\ncommit = True\n\n[bumpversion:file:setup.py]\nsearch = version=\"{current_version}\"\nreplace = version=\"{new_version}\"\n\n[bumpversion:file(readme):README.md]\n\n[bumpversion:glob:src/*/__init__.py]\nsearch = __version__ = '{current_version}'\n\n[bumpversion:part:release]\nvalues =\n  dev\n  final\n[bumpversion:file:VERSION]\nsearch = {major}.{minor}\n",
            ),
            &[
                ("setup.py", Some("version=\"{{version}}\""), false),
                ("README.md", None, false),
                ("src/*/__init__.py", Some("__version__ = '{{version}}'"), false),
                ("VERSION", None, true),
            ],
        );
        assert_eq!(read_cfg("[metadata]\nversion = 1.0\n"), None);
    }

    #[test]
    fn toml_files_and_defaults() {
        case(
            read_toml(
                "[tool.bumpversion]\ncurrent_version = \"1.2.0\"\nsearch = \"v{current_version}\"\n\n[[tool.bumpversion.files]]\nfilename = \"Cargo.toml\"\nsearch = 'version = \"{current_version}\"'\n\n[[tool.bumpversion.files]]\nfilename = \"README.md\"\n\n[[tool.bumpversion.files]]\nfilename = \"x.txt\"\nregex = true\n",
            ),
            &[
                ("Cargo.toml", Some("version = \"{{version}}\""), false),
                ("README.md", Some("v{{version}}"), false),
                ("x.txt", None, true),
            ],
        );
        assert_eq!(read_toml("[tool.ruff]\nx = 1\n# bumpversion\n"), None);
        assert!(matches!(read_toml("[tool.bumpversion\n"), Some(Err(_))));
    }
}
