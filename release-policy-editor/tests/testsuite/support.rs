//! Helpers shared by the oracle tests: writing a generated workspace, and bumping its files
//! through the library as the planner will.

use std::path::Path;

use release_policy_editor::{rewrite, Field, FileKind};

/// Write `text` to `root/path`, creating its directory.
pub fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Read the file at `path` as `kind`, rewrite each field `new_value` gives a value, and write
/// it back; returns the keys of the fields it edited.
pub fn bump_file(
    path: &Path,
    kind: FileKind,
    new_value: impl Fn(&Field) -> Option<String>,
) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let reading = kind
        .read(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let values: Vec<(&Field, String)> = reading
        .fields
        .iter()
        .filter_map(|f| new_value(f).map(|v| (f, v)))
        .collect();
    let edits: Vec<(&Field, &str)> = values.iter().map(|(f, v)| (*f, v.as_str())).collect();
    let out = rewrite(kind, &text, &edits).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::fs::write(path, out).unwrap();
    values.iter().map(|(f, _)| f.key.clone()).collect()
}
