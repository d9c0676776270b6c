//! `init`: find the manifests of an existing repository and write the policy table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::app::{self, AppError, Exit};
use crate::cli::{Format, GlobalArgs, InitArgs};
use crate::editor::{FieldKind, FileKind, Note};
use crate::source::SourceFile;
use crate::text::line_ending;
use crate::workspace::Workspace;

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
        let rel = crate::workspace::relative_to(root, entry.path());
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

pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<Exit, AppError> {
    let workspace =
        Workspace::load(global.manifest_path.as_deref()).map_err(crate::repo::LoadError::from)?;
    let key = workspace.relative(&workspace.root_manifest);
    let root_file = SourceFile::load(&workspace.root_manifest, &key, FileKind::CargoToml)
        .map_err(crate::repo::LoadError::from)?;
    let policies = policy_schema::parse_policies(&root_file.text).map_err(|error| {
        crate::repo::LoadError::Policy {
            at: Some(crate::repo::Located::new(
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
    let manifests = collapse(&workspace.root, &find_manifests(&workspace.root));
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
    let _ = write!(block, "]{nl}");
    let new_text = format!("{}{block}", root_file.text);
    // The result must still be a valid Cargo.toml with a valid policy.
    policy_schema::parse_policies(&new_text).map_err(|e| AppError::Usage {
        message: format!("the table cannot be added to `{key}`: {e}"),
        help: Some("add it by hand".to_string()),
    })?;
    if args.dry_run || global.format == Format::Json {
        if global.format == Format::Json {
            let doc = serde_json::json!({ "format_version": 1, "command": "init", "table": table, "manifests": manifests, "dry_run": args.dry_run });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        } else {
            print!("{}", crate::diff::unified(&key, &root_file.text, &new_text));
        }
        if args.dry_run {
            return Ok(Exit::Success);
        }
    }
    crate::apply::apply(&[crate::apply::Change {
        path: key.clone(),
        abs: workspace.root_manifest.clone(),
        old: &root_file.text,
        new: new_text,
        stamp: root_file.stamp,
    }])?;
    app::status(
        global,
        "Wrote",
        &format!(
            "[{table}] with {} manifest entr{} to `{key}`",
            manifests.len(),
            if manifests.len() == 1 { "y" } else { "ies" }
        ),
    );
    app::status(
        global,
        "Next",
        "run `cargo release-policy check` to see what is out of lockstep",
    );
    Ok(Exit::Success)
}
