//! cargo-release next to this tool: whether the repository uses it (then `init` writes the
//! `release-policy` twin table, which cargo-release does not read: it rejects keys it does
//! not know in `release`), and whether a table already holds this tool's policy (then `init`
//! refuses; a `release` table holding cargo-release's keys only is not one).

use std::path::{Path, PathBuf};

/// The keys of this tool that cargo-release does not know (docs/standard.md, Coexistence).
const OWN_KEYS: [&str; 7] = [
    "manifests",
    "exclude",
    "lockfiles",
    "labels",
    "dotnet",
    "checks",
    "commit-message",
];

/// The table `<section>.metadata.<name>` of a Cargo.toml's text, when present.
fn table<'a>(
    doc: &'a toml_edit::DocumentMut,
    section: &str,
    name: &str,
) -> Option<&'a dyn toml_edit::TableLike> {
    doc.get(section)?
        .as_table_like()?
        .get("metadata")?
        .as_table_like()?
        .get(name)?
        .as_table_like()
}

/// What says the repository uses cargo-release: a `release.toml` (or `.release.toml`) next
/// to the workspace's root or a crate, or a `release` metadata table in one of their
/// `Cargo.toml` files (`manifests`: absolute, the root first).
pub fn used(manifests: &[PathBuf], repo_root: &Path) -> Option<String> {
    for manifest in manifests {
        let dir = manifest.parent().unwrap_or(repo_root);
        for name in ["release.toml", ".release.toml"] {
            let file = dir.join(name);
            if file.is_file() {
                return Some(format!(
                    "`{}`",
                    crate::load::workspace::relative_to(repo_root, &file)
                ));
            }
        }
        let Ok(text) = std::fs::read_to_string(manifest) else {
            continue;
        };
        let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
            continue;
        };
        for section in ["workspace", "package"] {
            if table(&doc, section, "release").is_some() {
                return Some(format!(
                    "`[{section}.metadata.release]` in `{}`",
                    crate::load::workspace::relative_to(repo_root, manifest)
                ));
            }
        }
    }
    None
}

/// The table of `text` that already holds this tool's policy, when one does: a
/// `release-policy` twin, or a `release` table with a key cargo-release does not know.
pub fn existing_policy(text: &str) -> Option<String> {
    let doc = text.parse::<toml_edit::DocumentMut>().ok()?;
    for section in ["workspace", "package"] {
        if table(&doc, section, "release-policy").is_some() {
            return Some(format!("[{section}.metadata.release-policy]"));
        }
        if let Some(release) = table(&doc, section, "release") {
            if let Some(key) = OWN_KEYS.iter().find(|k| release.contains_key(k)) {
                return Some(format!("[{section}.metadata.release] (it sets `{key}`)"));
            }
        }
    }
    None
}

#[cfg(test)]
#[test]
fn existing_policies() {
    for (text, expected) in [
        ("[package]\nname = \"a\"\n", None),
        (
            "[workspace.metadata.release]\nshared-version = true\ntag-name = \"v{{version}}\"\n",
            None,
        ),
        (
            "[workspace.metadata.release]\nmanifests = []\n",
            Some("[workspace.metadata.release] (it sets `manifests`)"),
        ),
        (
            "[package.metadata.release-policy]\nlabels = {}\n",
            Some("[package.metadata.release-policy]"),
        ),
        ("[package.metadata]\nrelease = { publish = false }\n", None),
    ] {
        assert_eq!(existing_policy(text).as_deref(), expected, "{text}");
    }
}
