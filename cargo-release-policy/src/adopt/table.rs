//! The text of the table `init` appends: the entries listed, each imported configuration's
//! entries under a comment naming the tool, then the entries left out and the suggested
//! patterns, commented out with the reason on the same line.

use std::fmt::Write as _;
use std::path::Path;

use super::proposal::{Proposal, Proposals};
use super::Entry;
use crate::survey::{self, Suggestion};
use release_policy_editor::text::line_ending;

/// Paths are written relative to the table's `Cargo.toml` (`table_dir`); `repo_root` is
/// what the proposals' paths are relative to.
pub struct Place<'a> {
    pub repo_root: &'a Path,
    pub table_dir: &'a Path,
}

impl Place<'_> {
    /// A repository-relative path (or glob) as written in the table.
    pub fn path(&self, path: &str) -> String {
        crate::load::workspace::relative_to(self.table_dir, &self.repo_root.join(path))
    }

    /// The entry as written in the table.
    pub fn entry(&self, entry: &Entry) -> String {
        entry.to_toml(&self.path(entry.path()))
    }
}

/// The listed plain paths, collapsed to globs where every sibling is listed, as written.
pub fn listed_paths(place: &Place, proposals: &Proposals) -> Vec<String> {
    let paths: Vec<String> = proposals
        .listed
        .iter()
        .filter(|p| matches!(p.entry, Entry::Path(_)))
        .map(|p| place.path(p.entry.path()))
        .collect();
    survey::collapse(place.table_dir, &paths)
}

fn line(block: &mut String, proposal: &Proposal, place: &Place, nl: &str) {
    let entry = place.entry(&proposal.entry);
    match &proposal.reason {
        None => {
            let _ = write!(block, "  {entry},{nl}");
        }
        Some(reason) => {
            let _ = write!(block, "  # {entry},  # {reason}{nl}");
        }
    }
}

/// The table appended to `text` (in its line endings).
pub fn render(
    text: &str,
    table: &str,
    place: &Place,
    proposals: &Proposals,
    suggestions: &[Suggestion],
) -> String {
    let nl = line_ending(text);
    let mut block = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        block.push_str(nl);
    }
    let _ = write!(block, "{nl}[{table}]{nl}");
    let _ = write!(
        block,
        "# Files that follow this version (see docs/standard.md).{nl}"
    );
    let _ = write!(block, "manifests = [{nl}");
    for path in listed_paths(place, proposals) {
        let _ = write!(block, "  {},{nl}", super::toml_string(&path));
    }
    for proposal in proposals
        .listed
        .iter()
        .filter(|p| matches!(p.entry, Entry::Pattern { .. }))
    {
        line(&mut block, proposal, place, nl);
    }
    for import in &proposals.imported {
        let _ = write!(
            block,
            "  # The files {} rewrites (from `{}`, left as it is):{nl}",
            import.tool,
            place.path(&import.config)
        );
        for proposal in &import.proposals {
            line(&mut block, proposal, place, nl);
        }
    }
    if !proposals.left_out.is_empty() || !proposals.uncertain.is_empty() {
        let _ = write!(
            block,
            "  # Found by `init` but not in lockstep with this version: uncomment to follow.{nl}"
        );
        for proposal in proposals.left_out.iter().chain(&proposals.uncertain) {
            line(&mut block, proposal, place, nl);
        }
    }
    if !suggestions.is_empty() {
        let _ = write!(
            block,
            "  # Versions written as text, found by `init`: uncomment the entries to follow.{nl}"
        );
        for suggestion in suggestions {
            if let Some(note) = suggestion.note {
                let _ = write!(block, "  # ({note}){nl}");
            }
            let shown = Suggestion {
                path: place.path(&suggestion.path),
                ..suggestion.clone()
            };
            let _ = write!(block, "  # {},{nl}", shown.to_toml());
        }
    }
    let _ = write!(block, "]{nl}");
    block
}
