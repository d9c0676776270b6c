//! Loading everything once: the workspace, its policies, its groups and every file they name.
//!
//! [`Repo::load`] resolves the workspace ([`workspace`]), reads the policy tables, makes the
//! groups (`groups.rs`), expands their `manifests` entries ([`expand`]), reads every file they
//! name on all cores (`read.rs`, each a [`source::SourceFile`]) and claims each for its group
//! with the files it implies (`claim.rs`, `implied.rs`, `patterns.rs`).
//!
//! The check-result cache (`crate::cache`) is not part of loading: it keeps a command's
//! output with what the load depended on ([`Repo::dependencies`]), and depends on this
//! module, never the reverse.

use std::collections::BTreeMap;
use std::path::Path;

use release_policy_editor::FileKind;

mod claim;
mod error;
pub mod expand;
mod groups;
pub(crate) mod implied;
mod patterns;
pub mod progress;
mod read;
mod repo;
pub mod source;
pub mod workspace;

pub use error::{LoadError, Located};
pub use patterns::PatternUse;
pub use repo::Repo;

use source::SourceFile;
use workspace::Workspace;

impl Repo {
    /// Load the workspace at `manifest_path` (or found from the current directory).
    // proof: `key` is the key under which the Cargo.toml was just inserted (`files.insert` or
    // `add_file`).
    #[allow(clippy::indexing_slicing)]
    pub fn load(manifest_path: Option<&Path>) -> Result<Repo, LoadError> {
        crate::timing::phase("start");
        let workspace = Workspace::load(manifest_path)?;
        crate::timing::phase("workspace");
        let mut repo = Repo::new(workspace);
        let mut manifests = vec![repo.workspace.root_manifest.clone()];
        manifests.extend(repo.workspace.members.iter().cloned());
        manifests.dedup();
        let mut policies = BTreeMap::new();
        for abs in &manifests {
            let (key, parsed) = if let Some(pre) = repo.workspace.take_preread(abs) {
                // Read and parsed once, by the workspace resolution.
                let key = repo.workspace.relative(abs);
                let file = SourceFile::with_reading(
                    abs.clone(),
                    key.clone(),
                    (FileKind::CargoToml, Vec::new()),
                    pre.text,
                    pre.stamp,
                    pre.reading,
                )?;
                repo.files.insert(key.clone(), Box::new(file));
                (key, pre.policies)
            } else {
                let key = repo.add_file(abs, FileKind::CargoToml)?;
                let parsed = policy_schema::parse_policies(&repo.files[&key].text).map(Box::new);
                (key, parsed)
            };
            let file = &repo.files[&key];
            let parsed = parsed.map_err(|error| LoadError::Policy {
                at: Some(Located::new(&file.text, error.offset(), error.span.len())),
                path: key.clone(),
                error,
            })?;
            policies.insert(key, parsed);
        }
        let entries = repo.build_groups(&manifests, &policies)?;
        crate::timing::phase("groups");
        let listings = repo.claim_files(entries)?;
        repo.expanded = listings.dependencies();
        Ok(repo)
    }
}
