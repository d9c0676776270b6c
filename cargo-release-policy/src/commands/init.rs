//! `cargo release-policy init`: write the policy table for an existing repository into the
//! root Cargo.toml, from what [`crate::survey`] finds.

use std::fmt::Write as _;

use super::exit::Exit;
use crate::cli::{GlobalArgs, InitArgs};
use crate::documents::{InitJson, LeftOutJson};
use crate::error::Error;
use crate::load::source::SourceFile;
use crate::load::workspace::Workspace;
use crate::printer::Printer;
use crate::survey::{self, Suggestion};
use release_policy_editor::text::line_ending;
use release_policy_editor::FileKind;

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

/// The table `init` appends to `text`, in its line endings: the manifests in lockstep, then
/// those left out and the pattern entries suggested, commented out.
fn table_text(
    text: &str,
    table: &str,
    manifests: &[String],
    left_out: &[(String, String)],
    suggestions: &[Suggestion],
) -> String {
    let nl = line_ending(text);
    let mut block = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        block.push_str(nl);
    }
    block.push_str(nl);
    let _ = write!(block, "[{table}]{nl}");
    let _ = write!(
        block,
        "# Files that follow this version (see docs/standard.md).{nl}"
    );
    let _ = write!(block, "manifests = [{nl}");
    for m in manifests {
        let _ = write!(block, "  \"{m}\",{nl}");
    }
    write_left_out(&mut block, left_out, nl);
    write_suggestions(&mut block, suggestions, nl);
    let _ = write!(block, "]{nl}");
    block
}

/// The manifests left out, commented out with the reason on the same line.
fn write_left_out(block: &mut String, left_out: &[(String, String)], nl: &str) {
    if left_out.is_empty() {
        return;
    }
    let _ = write!(
        block,
        "  # Found by `init` but not in lockstep with this version: uncomment to follow.{nl}"
    );
    for (path, reason) in left_out {
        let _ = write!(block, "  # \"{path}\",  # {reason}{nl}");
    }
}

/// Tell the user about the suggestions written commented out.
fn list_suggestions(printer: &Printer, suggestions: &[Suggestion]) {
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
    printer.status(
        "Suggested",
        &format!(
            "{} pattern entr{}, written commented out: uncomment the ones to follow{list}",
            suggestions.len(),
            if suggestions.len() == 1 { "y" } else { "ies" }
        ),
    );
}

/// The manifests of the repository's work tree, relative to the table's Cargo.toml: those in
/// lockstep with the version `root_file` leads, and the others with why they are left out.
fn survey_repository(
    workspace: &Workspace,
    root_file: &SourceFile,
) -> (Vec<String>, Vec<(String, String)>) {
    let leader_version = root_file
        .reading
        .fields
        .iter()
        .find(|f| f.key == "workspace.package.version" || f.key == "package.version")
        .and_then(|f| {
            release_policy_version::Version::parse(
                &f.value,
                &release_policy_version::Labels::builtin(),
            )
            .ok()
        });
    // The whole work tree, whatever directory the Cargo.toml is in (bindings often sit beside
    // a crate in `native/`); entries are written relative to the Cargo.toml.
    let repo_root = &workspace.repo_root;
    let mut enrolled = Vec::new();
    let mut left_out = Vec::new();
    for candidate in survey::find_candidates(repo_root) {
        let path = workspace.relative(&repo_root.join(&candidate.path));
        match leader_version
            .as_ref()
            .and_then(|v| survey::left_out(&candidate, v))
        {
            None => enrolled.push(path),
            Some(reason) => left_out.push((path, reason)),
        }
    }
    (enrolled, left_out)
}

/// What `init` wrote, left out and suggests, and what to do next.
fn report_written(
    printer: &Printer,
    table: &str,
    key: &str,
    manifests: usize,
    left_out: usize,
    suggestions: &[Suggestion],
) {
    printer.status(
        "Wrote",
        &format!(
            "[{table}] with {} manifest entr{} to `{key}`",
            manifests,
            if manifests == 1 { "y" } else { "ies" }
        ),
    );
    if left_out != 0 {
        printer.status(
            "Left out",
            &format!(
                "{} manifest{} (not released with the product, or at a version of its own), written commented out with the reason",
                left_out,
                super::shared::plural(left_out)
            ),
        );
    }
    list_suggestions(printer, suggestions);
    printer.status(
        "Next",
        "run `cargo release-policy check` to see what is out of lockstep",
    );
}

/// `init --format json` (docs/json.md).
fn print_json(
    printer: &Printer,
    table: &'static str,
    key: &str,
    manifests: &[String],
    left_out: &[(String, String)],
    suggestions: &[Suggestion],
    dry_run: bool,
) {
    printer.json(&InitJson {
        format_version: crate::report::JSON_FORMAT_VERSION,
        command: "init",
        ok: true,
        table,
        path: key.to_string(),
        manifests,
        left_out: left_out
            .iter()
            .map(|(path, reason)| LeftOutJson {
                path: path.clone(),
                reason: reason.clone(),
            })
            .collect(),
        suggested: suggestions,
        dry_run,
    });
}

pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &InitArgs) -> Result<Exit, Error> {
    super::shared::recover(printer, global, crate::apply::Edited::Refuse)?;
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
        return Err(Error::Usage {
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
        return Err(Error::Usage {
            message: format!("`{key}` has no `[workspace.package] version` to lead the group"),
            help: Some("add `[workspace.package] version = \"…\"` and `version.workspace = true` in the members, then run `init` again".to_string()),
        });
    };
    let (enrolled, left_out) = survey_repository(&workspace, &root_file);
    let manifests = survey::collapse(&workspace.root, &enrolled);
    let suggestions = survey::find_patterns(&workspace.root, &enrolled);
    let block = table_text(&root_file.text, table, &manifests, &left_out, &suggestions);
    let new_text = format!("{}{block}", root_file.text);
    // The result must still be a valid Cargo.toml with a valid policy.
    policy_schema::parse_policies(&new_text).map_err(|e| Error::Usage {
        message: format!("the table cannot be added to `{key}`: {e}"),
        help: Some("add it by hand".to_string()),
    })?;
    if args.dry_run || printer.json_format() {
        if printer.json_format() {
            print_json(
                printer,
                table,
                &key,
                &manifests,
                &left_out,
                &suggestions,
                args.dry_run,
            );
        } else {
            // Named from the repository's root, so that `git apply` there takes the diff.
            let shown =
                crate::load::workspace::relative_to(&workspace.repo_root, &workspace.root_manifest);
            printer.out(&crate::diff::unified(&shown, &root_file.text, &new_text));
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
    report_written(
        printer,
        table,
        &key,
        manifests.len(),
        left_out.len(),
        &suggestions,
    );
    Ok(Exit::Success)
}
