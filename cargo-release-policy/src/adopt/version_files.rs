//! The common files that carry a product's version as text, found by name: `setup.cfg`
//! (`version = …`), `flake.nix` (`version = "…"`), `AndroidManifest.xml`
//! (`android:versionName`), C and C++ headers (`#define …VERSION "…"`), Python's
//! `__init__.py`/`_version.py`/`__version__.py`/`version.py` (`__version__`), and a
//! `Cargo.toml` outside the workspace (a binding's own crate).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use policy_schema::VersionFormat;
use release_policy_editor::{version_file, DynamicVersion, FileKind, Note};

use super::search::{infer_format, search_at};
use super::Entry;
use crate::load::source::SourceFile;

/// A version file found: its entry and the version it holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub entry: Entry,
    pub found: String,
}

/// C and C++ header extensions.
const HEADERS: [&str; 5] = ["h", "hh", "hpp", "hxx", "h.in"];

/// Python files that hold a `__version__`.
const PYTHON_VERSION_FILES: [&str; 4] =
    ["__init__.py", "_version.py", "__version__.py", "version.py"];

/// The version files below `repo_root` (paths relative to it), `members` being the
/// workspace's `Cargo.toml` files (absolute), never proposed here.
pub fn find(repo_root: &Path, members: &BTreeSet<PathBuf>) -> Vec<Found> {
    let mut found = Vec::new();
    for entry in crate::survey::walk(repo_root) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = crate::load::workspace::relative_to(repo_root, entry.path());
        let header = HEADERS
            .iter()
            .any(|ext| name.len() > ext.len() + 1 && name.ends_with(&format!(".{ext}")));
        let kind: fn(&str, &str) -> Option<Found> = match name.as_str() {
            "setup.cfg" => setup_cfg,
            "flake.nix" => flake_nix,
            "AndroidManifest.xml" => android_manifest,
            "Cargo.toml" if !members.contains(entry.path()) => cargo_toml,
            n if PYTHON_VERSION_FILES.contains(&n) => {
                if follows_a_pyproject(repo_root, entry.path()) {
                    continue;
                }
                python_version
            }
            _ if header => c_header,
            _ => continue,
        };
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if let Some(hit) = kind(&rel, text.trim_start_matches('\u{feff}')) {
            found.push(hit);
        }
    }
    found.sort_by(|a, b| a.entry.path().cmp(b.entry.path()));
    found
}

/// A pattern entry for the token at `start..end` of `text`.
// proof: `start..end` is a version token found in `text` by the callers below: ASCII bytes
// from a char boundary.
#[allow(clippy::string_slice)]
fn pattern(path: &str, text: &str, start: usize, end: usize, format: VersionFormat) -> Found {
    Found {
        entry: Entry::Pattern {
            path: path.to_string(),
            search: search_at(text, start, end),
            format,
        },
        found: text[start..end].to_string(),
    }
}

/// The version-shaped token at the start of `text`: its length.
fn token(text: &str) -> Option<usize> {
    let len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b'_' | b'!'))
        .count();
    let t = text.as_bytes().get(..len)?;
    let digits = t.iter().take_while(|b| b.is_ascii_digit()).count();
    let shaped = digits > 0
        && t.get(digits) == Some(&b'.')
        && t.get(digits + 1).is_some_and(u8::is_ascii_digit);
    let end = t.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
    shaped.then_some(end)
}

/// The first line of `text` whose text after indentation starts with `key`, then `=`
/// (spaces around it), then, after `open`, a version: the token's span.
// proof: `start` and `at` are line starts (`split_inclusive` pieces); `value` is a suffix of
// `line`, so `value_at` is a char boundary, and `len` the length of an ASCII token at it.
#[allow(clippy::string_slice)]
fn assignment(text: &str, key: &str, sep: char, open: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_start();
        let Some(rest) = body.strip_prefix(key) else {
            continue;
        };
        let rest2 = rest.trim_start_matches([' ', '\t']);
        let Some(rest3) = rest2.strip_prefix(sep) else {
            continue;
        };
        let rest4 = rest3.trim_start_matches([' ', '\t']);
        let Some(value) = rest4.strip_prefix(open) else {
            continue;
        };
        let value_at = start + (line.len() - value.len());
        if let Some(len) = token(value) {
            return Some((value_at, value_at + len));
        }
    }
    None
}

/// `version = 1.2.0` in a `setup.cfg` (its `[metadata]` section).
// proof: `metadata` is where `[metadata]` starts and `section_end` a `\n` after it or the
// end; `start..end` is the token `assignment` found in that slice, offset by `metadata`.
#[allow(clippy::string_slice)]
fn setup_cfg(path: &str, text: &str) -> Option<Found> {
    let metadata = text.find("[metadata]")?;
    let section_end = text[metadata + 1..]
        .find("\n[")
        .map_or(text.len(), |i| metadata + 1 + i);
    let (start, end) = assignment(&text[metadata..section_end], "version", '=', "")?;
    let (start, end) = (metadata + start, metadata + end);
    Some(pattern(
        path,
        text,
        start,
        end,
        infer_format(path, &text[start..end]),
    ))
}

/// `version = "1.2.0";` in a `flake.nix`.
fn flake_nix(path: &str, text: &str) -> Option<Found> {
    let (start, end) = assignment(text, "version", '=', "\"")?;
    Some(pattern(path, text, start, end, VersionFormat::Semver))
}

/// `android:versionName="1.2.0"` in an `AndroidManifest.xml`.
fn android_manifest(path: &str, text: &str) -> Option<Found> {
    let key = "android:versionName=\"";
    let start = text.find(key)? + key.len();
    let len = token(text.get(start..)?)?;
    Some(pattern(
        path,
        text,
        start,
        start + len,
        VersionFormat::Semver,
    ))
}

/// `#define NAME_VERSION "1.2.0"` (or `…VERSION_STRING`, `…VERSION_STR`) in a C or C++
/// header.
// proof: `start` is a line start; `value` is a suffix of `line`, so `value_at` is a char
// boundary; `name_len` counts ASCII bytes at the start of `rest`.
#[allow(clippy::string_slice)]
fn c_header(path: &str, text: &str) -> Option<Found> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("define") else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t']);
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let name = &rest[..name_len];
        if !["VERSION", "VERSION_STRING", "VERSION_STR"]
            .iter()
            .any(|s| name.ends_with(s))
        {
            continue;
        }
        let Some(value) = rest[name_len..]
            .trim_start_matches([' ', '\t'])
            .strip_prefix('"')
        else {
            continue;
        };
        let value_at = start + (line.len() - value.len());
        if let Some(len) = token(value) {
            return Some(pattern(
                path,
                text,
                value_at,
                value_at + len,
                VersionFormat::Semver,
            ));
        }
    }
    None
}

/// `__version__ = "1.2.0"` in a Python file, its format inferred from its spelling.
fn python_version(path: &str, text: &str) -> Option<Found> {
    let reading = version_file::read(text).ok()?;
    let field = reading.fields.iter().find(|f| f.key == "__version__")?;
    let format = infer_format(path, &field.value);
    Some(pattern(
        path,
        text,
        field.span.start,
        field.span.end,
        format,
    ))
}

/// A `Cargo.toml` with a literal `package.version`.
fn cargo_toml(path: &str, text: &str) -> Option<Found> {
    let reading = FileKind::CargoToml.read(text).ok()?;
    let field = reading.fields.iter().find(|f| f.key == "package.version")?;
    Some(Found {
        entry: Entry::Path(path.to_string()),
        found: field.value.clone(),
    })
}

/// Whether the Python file `abs` belongs to a project whose pyproject takes its version from
/// a file or module (setuptools, hatch, pdm): that pyproject already follows it.
pub(crate) fn follows_a_pyproject(repo_root: &Path, abs: &Path) -> bool {
    let mut dir = abs.parent();
    while let Some(d) = dir {
        let pyproject = d.join("pyproject.toml");
        if pyproject.is_file() {
            let rel = crate::load::workspace::relative_to(repo_root, &pyproject);
            return SourceFile::load(&pyproject, &rel, FileKind::Pyproject).is_ok_and(|file| {
                file.reading.notes.iter().any(|n| {
                    matches!(
                        n,
                        Note::Dynamic {
                            source: DynamicVersion::SetuptoolsAttr { .. }
                                | DynamicVersion::File { .. },
                            ..
                        }
                    )
                })
            });
        }
        if d == repo_root {
            break;
        }
        dir = d.parent();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(found: Option<Found>, search: &str, version: &str) {
        let found = found.unwrap_or_else(|| panic!("nothing found, expected `{search}`"));
        let Entry::Pattern { search: s, .. } = &found.entry else {
            panic!("{found:?}")
        };
        assert_eq!((s.as_str(), found.found.as_str()), (search, version));
    }

    #[test]
    fn version_files() {
        case(
            setup_cfg(
                "setup.cfg",
                "[options]\nversion = 9.9.9\n[metadata]\nname = hp\nversion = 2.3.1\n",
            ),
            "version = {{version}}",
            "2.3.1",
        );
        assert_eq!(
            setup_cfg("setup.cfg", "[metadata]\nversion = attr: hp.__version__\n"),
            None
        );
        case(flake_nix("flake.nix", "{\n  packages.default = pkgs.rustPlatform.buildRustPackage {\n    pname = \"hp\";\n    version = \"2.3.1\";\n"), "version = \"{{version}}\"", "2.3.1");
        assert_eq!(flake_nix("flake.nix", "  version = self.shortRev;\n"), None);
        case(android_manifest("AndroidManifest.xml", "<manifest xmlns:android=\"x\"\n    android:versionCode=\"7\"\n    android:versionName=\"2.3.1\">\n"), "android:versionName=\"{{version}}\"", "2.3.1");
        case(
            c_header(
                "hp.h",
                "#ifndef HP_H\n#define HP_VERSION_MAJOR 2\n#  define HP_VERSION \"2.3.1\"\n",
            ),
            "#  define HP_VERSION \"{{version}}\"",
            "2.3.1",
        );
        case(
            c_header("hp.h", "#define HP_VERSION_STRING \"2.3.1-rc.1\"\n"),
            "#define HP_VERSION_STRING \"{{version}}\"",
            "2.3.1-rc.1",
        );
        assert_eq!(
            c_header(
                "hp.h",
                "#define HP_VERSION_MAJOR 2\n#define HP_NAME \"x\"\n"
            ),
            None
        );
        case(
            python_version("hp/__init__.py", "__version__ = \"2.3.1-beta.1\"\n"),
            "__version__ = \"{{version}}\"",
            "2.3.1-beta.1",
        );
        let py = python_version("hp/_version.py", "__version__ = '2.3.1b1'\n").unwrap();
        assert!(matches!(
            py.entry,
            Entry::Pattern {
                format: VersionFormat::Pep440,
                ..
            }
        ));
        let semver = python_version("hp/__init__.py", "__version__ = \"2.3.1-beta.1\"\n").unwrap();
        assert!(matches!(
            semver.entry,
            Entry::Pattern {
                format: VersionFormat::Semver,
                ..
            }
        ));
        let cargo = cargo_toml(
            "bindings/node/Cargo.toml",
            "[package]\nname = \"node\"\nversion = \"2.3.1\"\n",
        )
        .unwrap();
        assert_eq!(cargo.entry, Entry::Path("bindings/node/Cargo.toml".into()));
        assert_eq!(
            cargo_toml(
                "x/Cargo.toml",
                "[package]\nname = \"x\"\nversion.workspace = true\n"
            ),
            None
        );
    }
}
