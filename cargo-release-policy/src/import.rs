//! The release-tool configurations `init` imports: bump-my-version / bump2version, tbump,
//! rooster, commitizen, release-please and knope each keep a list of the files their release
//! rewrites. Each tool's module reads its configuration into [`ToolFile`]s (one per file,
//! with the tool's search text translated to `{{version}}` where it has one); `init` turns
//! them into `manifests` entries. Reads files; writes nothing: the configuration is left as
//! it is.

mod bumpversion;
mod commitizen;
mod config;
mod knope;
mod release_please;
mod rooster;
mod tbump;

use std::path::{Path, PathBuf};

use config::join;
pub use config::ToolFile;

/// A configuration found, with the files it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The tool's name.
    pub tool: &'static str,
    /// The configuration file, relative to the repository root.
    pub config: String,
    pub files: Vec<ToolFile>,
}

/// A configuration that could not be read: `init` names it in a warning and goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{config}` ({tool}) was not imported: {message}")]
pub struct ImportError {
    pub tool: &'static str,
    pub config: String,
    pub message: String,
}

/// A reader of one tool's configuration: its files, or why the text cannot be read; `None`
/// when the file holds no configuration of the tool (a pyproject without its table).
type Reader = fn(&str) -> Option<Result<Vec<ToolFile>, String>>;

/// Where each tool's configuration lives (file names in the directory searched), and its reader.
const READERS: [(&str, &str, Reader); 15] = [
    (
        ".bumpversion.toml",
        "bump-my-version",
        bumpversion::read_toml,
    ),
    (".bumpversion.cfg", "bumpversion", bumpversion::read_cfg),
    ("setup.cfg", "bumpversion", bumpversion::read_cfg),
    ("pyproject.toml", "bump-my-version", bumpversion::read_toml),
    ("tbump.toml", "tbump", tbump::read),
    ("pyproject.toml", "tbump", tbump::read_pyproject),
    ("pyproject.toml", "rooster", rooster::read),
    ("pyproject.toml", "commitizen", commitizen::read_toml),
    (".cz.toml", "commitizen", commitizen::read_toml),
    ("cz.toml", "commitizen", commitizen::read_toml),
    (".cz.json", "commitizen", commitizen::read_json),
    (".cz.yaml", "commitizen", commitizen::read_yaml),
    ("cz.yaml", "commitizen", commitizen::read_yaml),
    (
        "release-please-config.json",
        "release-please",
        release_please::read,
    ),
    ("knope.toml", "knope", knope::read),
];

/// The configurations in `dirs` (absolute, each inside `repo_root`), their paths made
/// relative to the repository root.
pub fn find(repo_root: &Path, dirs: &[PathBuf]) -> (Vec<Import>, Vec<ImportError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for dir in dirs {
        for (name, tool, reader) in READERS {
            let abs = dir.join(name);
            let Ok(text) = std::fs::read_to_string(&abs) else {
                continue;
            };
            let config = crate::load::workspace::relative_to(repo_root, &abs);
            match reader(text.trim_start_matches('\u{feff}')) {
                None => {}
                Some(Err(message)) => errors.push(ImportError {
                    tool,
                    config,
                    message,
                }),
                Some(Ok(mut files)) => {
                    files.extend(own_version(tool, name, dir));
                    let base = crate::load::workspace::relative_to(repo_root, dir);
                    let files = files
                        .into_iter()
                        .map(|mut file| {
                            file.path = join(&base, &file.path);
                            file
                        })
                        .collect();
                    found.push(Import {
                        tool,
                        config,
                        files,
                    });
                }
            }
        }
    }
    (found, errors)
}

/// The version the tool keeps in a file of its own, which its release rewrites too: the
/// `current_version` of a bumpversion configuration, tbump's `current`, commitizen's `version`,
/// release-please's manifest. Not in a `pyproject.toml`: that file is followed as a manifest.
fn own_version(tool: &str, name: &str, dir: &Path) -> Option<ToolFile> {
    let (path, line) = match (tool, name) {
        (_, "pyproject.toml") => return None,
        ("bumpversion" | "bump-my-version", _) => (name, Some(r"^\s*current_version\s*=")),
        ("tbump", _) => (name, Some(r"^\s*current\s*=")),
        ("commitizen", _) => (name, Some(r#"^\s*"?version"?\s*[=:]"#)),
        ("release-please", _) => (".release-please-manifest.json", None),
        _ => return None,
    };
    dir.join(path).is_file().then(|| ToolFile {
        line: line.map(str::to_string),
        ..ToolFile::path(path)
    })
}
