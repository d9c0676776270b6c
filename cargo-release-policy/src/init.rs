//! `init`: find the manifests of an existing repository and write the policy table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::app::{self, AppError, Exit};
use crate::cli::{Format, GlobalArgs, InitArgs};
use crate::editor::{version_file, DynamicVersion, FieldKind, FileKind, Note};
use crate::load::source::SourceFile;
use crate::load::workspace::Workspace;
use crate::text::line_ending;

/// Directories `init` never looks in.
const SKIPPED_DIRS: [&str; 7] = [
    "node_modules",
    "target",
    "bin",
    "obj",
    ".git",
    ".venv",
    "dist",
];

/// The manifests under `root` that carry a version of their own, relative to `root`, sorted.
pub fn find_manifests(root: &Path) -> Vec<String> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build();
    let mut found = Vec::new();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(kind) = FileKind::detect(&name) else {
            continue;
        };
        if !matches!(
            kind,
            FileKind::PackageJson | FileKind::Pyproject | FileKind::MsBuild
        ) {
            continue;
        }
        let rel = crate::load::workspace::relative_to(root, entry.path());
        // Only files that carry a version the tool can follow.
        let Ok(file) = SourceFile::load(entry.path(), &rel, kind) else {
            continue;
        };
        let versioned = file
            .reading
            .fields
            .iter()
            .any(|f| matches!(f.kind, FieldKind::Version | FieldKind::VersionPrefix))
            || file
                .reading
                .notes
                .iter()
                .any(|n| matches!(n, Note::Dynamic { .. } | Note::PropertyReference { .. }));
        // Project files are packages even when their version comes from a props file: their
        // references to sibling packages follow the group.
        let project = name.ends_with("proj");
        if versioned || project {
            found.push(rel);
        }
    }
    found.sort();
    found
}

/// Replace runs of siblings by a glob: `npm/a/package.json` + `npm/b/package.json` (and no
/// other `npm/*/` directory holding a `package.json` left out) become `npm/*/package.json`.
pub fn collapse(root: &Path, files: &[String]) -> Vec<String> {
    let mut by_pattern: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for file in files {
        let parts: Vec<&str> = file.split('/').collect();
        if parts.len() >= 3 {
            let pattern = format!(
                "{}/*/{}",
                parts[..parts.len() - 2].join("/"),
                parts[parts.len() - 1]
            );
            by_pattern.entry(pattern).or_default().push(file);
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut covered: Vec<&String> = Vec::new();
    for (pattern, members) in &by_pattern {
        if members.len() < 2 {
            continue;
        }
        let (dir, name) = pattern.split_once("/*/").unwrap_or((pattern, ""));
        let all_siblings = std::fs::read_dir(root.join(dir)).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|e| e.path().join(name).is_file())
                .count()
        });
        if all_siblings == members.len() {
            out.push(pattern.clone());
            covered.extend(members.iter().copied());
        }
    }
    out.extend(files.iter().filter(|f| !covered.contains(f)).cloned());
    out.sort();
    out
}

/// A pattern entry `init` proposes for a file that carries the version as text. Proposed,
/// never followed silently: `init` writes it commented out and lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    /// Relative to the root, with `/` separators.
    pub path: String,
    pub search: String,
    /// `None`: the default `semver`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// The version the file holds now.
    pub found: String,
    /// Why the entry looks as it does, when it needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

impl Suggestion {
    /// The entry as a TOML inline table.
    pub fn to_toml(&self) -> String {
        let mut out = format!(
            "{{ path = {}, search = {}",
            toml_string(&self.path),
            toml_string(&self.search)
        );
        if let Some(format) = self.format {
            let _ = write!(out, ", format = \"{format}\"");
        }
        out.push_str(" }");
        out
    }
}

/// A TOML string holding `text`: `"…"` when nothing needs escaping, else a literal string
/// (`'…'`) when it can be one, so that quotes read as written; else a basic string with
/// escapes.
fn toml_string(text: &str) -> String {
    let control = text.chars().any(char::is_control);
    if !control && !text.contains(['"', '\\']) {
        return format!("\"{text}\"");
    }
    if !control && !text.contains('\'') {
        return format!("'{text}'");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` starts with a version-shaped token (`N.N…`): its length.
fn version_token(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        .count();
    let token = &bytes[..len];
    let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
    let shaped = digits > 0
        && token.get(digits) == Some(&b'.')
        && token.get(digits + 1).is_some_and(u8::is_ascii_digit);
    let end = token.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
    shaped.then_some(end)
}

/// Pattern entries for the common places a version is written as text: `__version__` in the
/// package `__init__.py` of a maturin project (whose version maturin takes from Cargo.toml,
/// so nothing else keeps the Python one), `VERSION := x` in a Makefile, and
/// `project(… VERSION x)` in a CMakeLists.txt.
pub fn find_patterns(root: &Path, manifests: &[String]) -> Vec<Suggestion> {
    let mut found = Vec::new();
    for rel in manifests.iter().filter(|m| m.ends_with("pyproject.toml")) {
        let abs = root.join(rel);
        let Ok(file) = SourceFile::load(&abs, rel, FileKind::Pyproject) else {
            continue;
        };
        let maturin = file.reading.notes.iter().any(|n| {
            matches!(
                n,
                Note::Dynamic {
                    source: DynamicVersion::Maturin { .. },
                    ..
                }
            )
        });
        if let (true, Some(dir)) = (maturin, abs.parent()) {
            found.extend(maturin_init_files(root, dir));
        }
    }
    for entry in walk(root) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = match name.as_str() {
            "Makefile" | "makefile" | "GNUmakefile" => make_version,
            "CMakeLists.txt" => cmake_version,
            _ => continue,
        };
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if let Some(mut suggestion) = kind(&text) {
            suggestion.path = crate::load::workspace::relative_to(root, entry.path());
            found.push(suggestion);
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The files below `root` that `init` looks at: not ignored, not in [`SKIPPED_DIRS`].
fn walk(root: &Path) -> impl Iterator<Item = ignore::DirEntry> {
    ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
}

/// `__init__.py` files below a maturin project's directory that assign `__version__` a
/// literal.
fn maturin_init_files(root: &Path, dir: &Path) -> Vec<Suggestion> {
    let mut found = Vec::new();
    for entry in walk(dir).filter(|e| e.file_name() == "__init__.py") {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(reading) = version_file::read(&text) else {
            continue;
        };
        let Some(field) = reading.fields.iter().find(|f| f.key == "__version__") else {
            continue;
        };
        let line_start = text[..field.span.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..field.span.start];
        let quote = &text[field.span.end..=field.span.end];
        found.push(Suggestion {
            path: crate::load::workspace::relative_to(root, entry.path()),
            search: format!("{before}{{{{version}}}}{quote}"),
            format: Some("pep440"),
            found: field.value.clone(),
            note: Some("maturin takes the package's version from Cargo.toml; nothing else updates __version__"),
        });
    }
    found
}

/// `VERSION := x` (or `=`, `?=`, `::=`) at the start of a Makefile line.
fn make_version(text: &str) -> Option<Suggestion> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("VERSION") else {
            continue;
        };
        let ops = rest.trim_start_matches([' ', '\t']);
        let Some(op) = [":=", "::=", "?=", "="]
            .into_iter()
            .find(|op| ops.starts_with(op))
        else {
            continue;
        };
        let value = ops[op.len()..].trim_start_matches([' ', '\t']);
        let Some(len) = version_token(value) else {
            continue;
        };
        let prefix = &line[..line.len() - value.len()];
        return Some(Suggestion {
            path: String::new(),
            search: format!("{prefix}{{{{version}}}}"),
            format: None,
            found: value[..len].to_string(),
            note: None,
        });
    }
    None
}

/// `project(name … VERSION x …)` in a CMakeLists.txt (the command's name in any case).
fn cmake_version(text: &str) -> Option<Suggestion> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("project(").map(|i| from + i) {
        from = at + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..at].trim().is_empty() {
            continue;
        }
        let close = text[at..].find(')').map_or(text.len(), |i| at + i);
        let args = &text[at..close];
        let Some(keyword) = args
            .match_indices("VERSION")
            .map(|(i, _)| at + i)
            .find(|&i| text[i + 7..].starts_with([' ', '\t', '\n', '\r']))
        else {
            continue;
        };
        let value_at =
            keyword + 7 + (text[keyword + 7..].len() - text[keyword + 7..].trim_start().len());
        let quoted = text[value_at..].starts_with('"');
        let token_at = value_at + usize::from(quoted);
        let len = version_token(&text[token_at..])?;
        return Some(Suggestion {
            path: String::new(),
            search: format!(
                "{}{{{{version}}}}{}",
                &text[at..token_at],
                if quoted { "\"" } else { "" }
            ),
            format: Some("assembly"),
            found: text[token_at..token_at + len].to_string(),
            note: Some("CMake's project(VERSION) takes numbers only: `assembly` writes X.Y.Z.0, or X.Y.Z with dotnet.assembly-version = \"{{major}}.{{minor}}.{{patch}}\""),
        });
    }
    None
}

/// The suggestions as commented-out `manifests` entries, each after its note.
fn write_suggestions(block: &mut String, suggestions: &[Suggestion], nl: &str) {
    if suggestions.is_empty() {
        return;
    }
    let _ = write!(
        block,
        "  # Versions written as text, found by `init`: uncomment the entries to follow.{nl}"
    );
    for suggestion in suggestions {
        if let Some(note) = suggestion.note {
            let _ = write!(block, "  # ({note}){nl}");
        }
        let _ = write!(block, "  # {},{nl}", suggestion.to_toml());
    }
}

/// Tell the user about the suggestions written commented out.
fn list_suggestions(global: &GlobalArgs, suggestions: &[Suggestion]) {
    if suggestions.is_empty() {
        return;
    }
    let mut list = String::new();
    for suggestion in suggestions {
        let _ = write!(
            list,
            "\n             {} (holds `{}`)",
            suggestion.to_toml(),
            suggestion.found
        );
    }
    app::status(
        global,
        "Suggested",
        &format!(
            "{} pattern entr{}, written commented out: uncomment the ones to follow{list}",
            suggestions.len(),
            if suggestions.len() == 1 { "y" } else { "ies" }
        ),
    );
}

pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<Exit, AppError> {
    let workspace =
        Workspace::load(global.manifest_path.as_deref()).map_err(crate::load::LoadError::from)?;
    let key = workspace.relative(&workspace.root_manifest);
    let root_file = SourceFile::load(&workspace.root_manifest, &key, FileKind::CargoToml)
        .map_err(crate::load::LoadError::from)?;
    let policies = policy_schema::parse_policies(&root_file.text).map_err(|error| {
        crate::load::LoadError::Policy {
            at: Some(crate::load::Located::new(
                &root_file.text,
                error.offset(),
                error.span.len(),
            )),
            path: key.clone(),
            error,
        }
    })?;
    if policies.workspace.is_some() || policies.package.is_some() {
        return Err(AppError::Usage {
            message: format!("`{key}` already has a release policy"),
            help: Some("edit the table by hand, or run `cargo release-policy show`".to_string()),
        });
    }
    let has_ws_version = root_file
        .reading
        .fields
        .iter()
        .any(|f| f.key == "workspace.package.version");
    let table = if has_ws_version {
        "workspace.metadata.release"
    } else if root_file.reading.name.is_some() {
        "package.metadata.release"
    } else {
        return Err(AppError::Usage {
            message: format!("`{key}` has no `[workspace.package] version` to lead the group"),
            help: Some("add `[workspace.package] version = \"…\"` and `version.workspace = true` in the members, then run `init` again".to_string()),
        });
    };
    let found = find_manifests(&workspace.root);
    let manifests = collapse(&workspace.root, &found);
    let suggestions = find_patterns(&workspace.root, &found);
    let nl = line_ending(&root_file.text);
    let mut block = String::new();
    if !root_file.text.is_empty() && !root_file.text.ends_with('\n') {
        block.push_str(nl);
    }
    block.push_str(nl);
    let _ = write!(block, "[{table}]{nl}");
    let _ = write!(
        block,
        "# Files that follow this version (see docs/standard.md).{nl}"
    );
    let _ = write!(block, "manifests = [{nl}");
    for m in &manifests {
        let _ = write!(block, "  \"{m}\",{nl}");
    }
    write_suggestions(&mut block, &suggestions, nl);
    let _ = write!(block, "]{nl}");
    let new_text = format!("{}{block}", root_file.text);
    // The result must still be a valid Cargo.toml with a valid policy.
    policy_schema::parse_policies(&new_text).map_err(|e| AppError::Usage {
        message: format!("the table cannot be added to `{key}`: {e}"),
        help: Some("add it by hand".to_string()),
    })?;
    if args.dry_run || global.format == Format::Json {
        if global.format == Format::Json {
            let doc = serde_json::json!({ "format_version": 1, "command": "init", "table": table, "manifests": manifests, "suggested": suggestions, "dry_run": args.dry_run });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        } else {
            print!("{}", crate::diff::unified(&key, &root_file.text, &new_text));
        }
        if args.dry_run {
            return Ok(Exit::Success);
        }
    }
    crate::apply::apply(
        &workspace.root,
        &[crate::apply::Change {
            path: key.clone(),
            abs: workspace.root_manifest.clone(),
            old: &root_file.text,
            new: new_text,
            stamp: root_file.stamp,
        }],
    )?;
    app::status(
        global,
        "Wrote",
        &format!(
            "[{table}] with {} manifest entr{} to `{key}`",
            manifests.len(),
            if manifests.len() == 1 { "y" } else { "ies" }
        ),
    );
    list_suggestions(global, &suggestions);
    app::status(
        global,
        "Next",
        "run `cargo release-policy check` to see what is out of lockstep",
    );
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings() {
        assert_eq!(toml_string("Makefile"), "\"Makefile\"");
        assert_eq!(toml_string("a = \"{{version}}\""), "'a = \"{{version}}\"'");
        assert_eq!(toml_string("it's \"x\"\n"), "\"it's \\\"x\\\"\\n\"");
        for text in ["Makefile", "a = \"{{version}}\"", "it's \"x\"\n\t\\"] {
            let doc: toml_edit::DocumentMut = format!("s = {}", toml_string(text)).parse().unwrap();
            assert_eq!(doc["s"].as_str(), Some(text));
        }
    }

    #[track_caller]
    fn suggests(found: Option<Suggestion>, search: &str, version: &str) {
        let found = found.unwrap_or_else(|| panic!("no suggestion, expected `{search}`"));
        assert_eq!(
            (found.search.as_str(), found.found.as_str()),
            (search, version)
        );
    }

    #[test]
    fn makefile_versions() {
        suggests(
            make_version("VERSION := 0.25.0\n"),
            "VERSION := {{version}}",
            "0.25.0",
        );
        suggests(
            make_version("NAME = x\nVERSION\t?= 1.2.3-rc.1 # next\n"),
            "VERSION\t?= {{version}}",
            "1.2.3-rc.1",
        );
        suggests(
            make_version("VERSION=1.0.0"),
            "VERSION={{version}}",
            "1.0.0",
        );
        assert_eq!(make_version("VERSION := $(shell git describe)\n"), None);
        assert_eq!(make_version("MY_VERSION := 1.0.0\n"), None);
        assert_eq!(make_version("VERSIONS := 1.0.0\n"), None);
        assert_eq!(make_version("  VERSION := 1.0.0\n"), None);
    }

    #[test]
    fn cmake_versions() {
        let found = cmake_version(
            "cmake_minimum_required(VERSION 3.16)\nproject(hp VERSION 2.3.1 LANGUAGES C)\n",
        );
        assert_eq!(found.as_ref().and_then(|s| s.format), Some("assembly"));
        suggests(found, "project(hp VERSION {{version}}", "2.3.1");
        suggests(
            cmake_version("Project(tree-sitter\n  VERSION \"0.25.0\"\n  LANGUAGES C)\n"),
            "Project(tree-sitter\n  VERSION \"{{version}}\"",
            "0.25.0",
        );
        assert_eq!(cmake_version("project(hp LANGUAGES C)\n"), None);
        assert_eq!(cmake_version("# project(hp VERSION 1.0.0)\n"), None);
        assert_eq!(cmake_version("project(hp VERSION ${HP_VERSION})\n"), None);
    }
}
