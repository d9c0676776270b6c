//! What the tools' readers share: the file entry they read ([`ToolFile`]), the translation
//! of a Python format string's search to `{{version}}`, and TOML helpers.

use release_policy_editor::text_pattern::PLACEHOLDER;

/// One file a tool's configuration lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolFile {
    /// As the configuration writes it: relative to the configuration's directory (after
    /// [`find`], relative to the repository root), `/`-separated; may be a glob.
    pub path: String,
    /// The tool's search text, translated: `{{version}}` where the tool writes the current
    /// version.
    pub search: Option<String>,
    /// A regular expression the lines holding the version must match (commitizen's
    /// `path:regex`, release-please's `x-release-please-version` marker).
    pub line: Option<String>,
    /// Why the entry cannot be imported as it is, when it cannot (written commented out).
    pub problem: Option<String>,
}

impl ToolFile {
    pub(super) fn path(path: &str) -> ToolFile {
        ToolFile {
            path: path.to_string(),
            search: None,
            line: None,
            problem: None,
        }
    }

    pub(super) fn problem(path: &str, problem: String) -> ToolFile {
        ToolFile {
            problem: Some(problem),
            ..ToolFile::path(path)
        }
    }
}

/// `path` (relative to `base`, itself relative to the root; `""` or `.` for the root).
pub(super) fn join(base: &str, path: &str) -> String {
    let path = path.trim_start_matches("./");
    if base.is_empty() || base == "." {
        path.to_string()
    } else {
        format!("{base}/{path}")
    }
}

/// A Python format string's search text (bumpversion's, tbump's) with `{field}` — the
/// current version — written `{{version}}`, and `{{`/`}}` as the braces they stand for; any
/// other field (`{major}`, `{now:%Y}`) is named in the error.
// proof: `at` is an ASCII brace `find` found in `rest`, `end` the ASCII `}` after it in
// `tail`; `2` and `1` step over ASCII braces: all char boundaries.
#[allow(clippy::string_slice)]
pub(super) fn translate(search: &str, field: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = search;
    let mut seen = 0;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if tail.starts_with('{') {
            let end = tail
                .find('}')
                .ok_or_else(|| format!("`{search}` has an unclosed `{{`"))?;
            let name = &tail[1..end];
            if name != field {
                return Err(format!(
                    "its search `{search}` uses `{{{name}}}`, which has no `{{{{version}}}}` spelling: write the entry by hand"
                ));
            }
            out.push_str(PLACEHOLDER);
            seen += 1;
            rest = &tail[end + 1..];
        } else {
            return Err(format!("`{search}` has an unmatched `}}`"));
        }
    }
    out.push_str(rest);
    if seen == 1 {
        Ok(out)
    } else {
        Err(format!(
            "its search `{search}` names `{{{field}}}` {seen} times, not once: write the entry by hand"
        ))
    }
}

/// The TOML table at `path` (dotted) in `text`, `None` when absent; `Err` for malformed TOML.
pub(super) fn toml_table<'a>(
    doc: &'a toml_edit::DocumentMut,
    path: &[&str],
) -> Option<&'a dyn toml_edit::TableLike> {
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    for key in path {
        table = table.get(key)?.as_table_like()?;
    }
    Some(table)
}

/// `text` parsed as TOML, the error said as a message.
pub(super) fn parse_toml(text: &str) -> Result<toml_edit::DocumentMut, String> {
    text.parse::<toml_edit::DocumentMut>()
        .map_err(|e| format!("malformed TOML: {}", e.message()))
}

/// The files of a TOML array of strings or tables (the table's path under `key`), each table
/// given to `table` for the rest of its entry.
pub(super) fn toml_files(
    item: &toml_edit::Item,
    key: &str,
    table: impl Fn(&str, &dyn toml_edit::TableLike) -> ToolFile,
) -> Result<Vec<ToolFile>, String> {
    let mut files = Vec::new();
    let values: Vec<&toml_edit::Value> = if let Some(array) = item.as_array() {
        array.iter().collect()
    } else if let Some(tables) = item.as_array_of_tables() {
        return Ok(tables
            .iter()
            .map(|t| match t.get(key).and_then(toml_edit::Item::as_str) {
                Some(path) => table(path, t),
                None => ToolFile::problem("", format!("an entry without `{key}`")),
            })
            .collect());
    } else {
        return Err("the file list is not an array".to_string());
    };
    for value in values {
        if let Some(path) = value.as_str() {
            files.push(ToolFile::path(path));
        } else if let Some(t) = value.as_inline_table() {
            match t.get(key).and_then(toml_edit::Value::as_str) {
                Some(path) => files.push(table(path, t)),
                None => files.push(ToolFile::problem("", format!("an entry without `{key}`"))),
            }
        } else {
            return Err(format!(
                "an entry `{value}` that is neither a path nor a table"
            ));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(search: &str, expected: Result<&str, &str>) {
        match (translate(search, "current_version"), expected) {
            (Ok(found), Ok(expected)) => assert_eq!(found, expected),
            (Err(found), Err(part)) => assert!(found.contains(part), "{found}"),
            (found, expected) => panic!("{search}: {found:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn translated_searches() {
        case("{current_version}", Ok("{{version}}"));
        case(
            "version = \"{current_version}\"",
            Ok("version = \"{{version}}\""),
        );
        case(
            "{{\"v\": \"{current_version}\"}}",
            Ok("{\"v\": \"{{version}}\"}"),
        );
        case("v{major}.{minor}", Err("`{major}`"));
        case("no field", Err("0 times"));
        case("{current_version} {current_version}", Err("2 times"));
        case("{current_version", Err("unclosed"));
    }

    #[test]
    fn joined_paths() {
        assert_eq!(join("", "./setup.py"), "setup.py");
        assert_eq!(
            join("bindings/python", "src/a.py"),
            "bindings/python/src/a.py"
        );
    }
}
