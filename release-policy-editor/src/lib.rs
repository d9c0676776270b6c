//! Lossless editors, one module per file format.
//!
//! The contract every editor follows:
//!
//! * `read(text: &str) -> Result<Reading, EditorError>` is pure. It parses the file with a
//!   real parser for its format and reports every version-bearing value it owns as a
//!   [`Field`]: what the value means ([`FieldKind`]), a human key (`package.version`,
//!   `dependencies.core`), the value exactly as written, and the byte [`Span`] of that value
//!   in the *original* text (inside the quotes; a UTF-8 BOM counted).
//! * Writing is [`rewrite`]: the planner picks new values for some fields, and the new text is
//!   the old text with exactly those spans replaced ([`crate::text::apply_splices`]). The
//!   result is read again through the same editor and every edited field must hold its new
//!   value, so an editor can never write a file it cannot read back.
//!
//! No editor re-serializes a document or runs a regular expression over a whole file, but for
//! the one a user writes: hatch's `[tool.hatch.version] pattern` ([`version_file::read_with`]).
//!
//! Files listed by a pattern entry ([`FileKind::Text`]) have no format of their own: their
//! reading depends on the entry's `search` as well as the text, so they are read by
//! [`text_pattern::read`] and rewritten with [`rewrite_with`], given that reader.
//!
//! ```
//! use release_policy_editor::{rewrite, FieldKind, FileKind};
//!
//! // Tabs, CRLF and the key order survive: only the bytes of the value change.
//! let text = "{\r\n\t\"name\": \"sdk\",\r\n\t\"version\": \"1.4.0\",\r\n\t\"dependencies\": { \"sdk-core\": \"^1.4.0\" }\r\n}";
//! let kind = FileKind::detect("package.json").expect("a manifest kind");
//! let reading = kind.read(text)?;
//! assert_eq!(reading.name.as_deref(), Some("sdk"));
//!
//! let version = reading.field(&FieldKind::Version).expect("a version field");
//! assert_eq!((version.value.as_str(), &text[version.span.start..version.span.end]), ("1.4.0", "1.4.0"));
//!
//! let out = rewrite(kind, text, &[(version, "1.5.0-beta.1")])?;
//! assert_eq!(out, text.replace("\"1.4.0\"", "\"1.5.0-beta.1\""));
//! # Ok::<(), release_policy_editor::EditorError>(())
//! ```

pub mod cargo_lock;
pub mod cargo_toml;
mod json_span;
pub mod msbuild;
pub mod package_json;
pub mod package_lock;
pub mod pyproject;
pub mod text_pattern;
pub mod uv_lock;
pub mod version_file;

pub mod text;
pub mod toml_tree;

mod fast_map;
#[cfg(test)]
mod testing;
mod toml_span;

use std::collections::HashSet;
use std::fmt;

use crate::fast_map::FastBuildHasher;
use crate::text::{apply_splices, Position, Span, Splice};

/// The kinds of file the tool can edit, detected from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `Cargo.toml`
    CargoToml,
    /// `Cargo.lock`
    CargoLock,
    /// `package.json`
    PackageJson,
    /// `package-lock.json` (and `npm-shrinkwrap.json`)
    PackageLock,
    /// `pyproject.toml`
    Pyproject,
    /// `uv.lock`
    UvLock,
    /// `*.csproj`, `*.fsproj`, `*.vbproj`, `*.props`, `*.targets`
    MsBuild,
    /// A Python file holding `__version__ = "…"` (named by a dynamic-version pyproject).
    VersionFile,
    /// Any file named by a pattern entry: its versions are the matches of the entry's
    /// `search` ([`text_pattern`]). Never detected from a name.
    Text,
}

impl FileKind {
    /// Detect the kind from a file name (the last path component).
    pub fn detect(file_name: &str) -> Option<FileKind> {
        let kind = match file_name {
            "Cargo.toml" => FileKind::CargoToml,
            "Cargo.lock" => FileKind::CargoLock,
            "package.json" => FileKind::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => FileKind::PackageLock,
            "pyproject.toml" => FileKind::Pyproject,
            "uv.lock" => FileKind::UvLock,
            _ => {
                let ext = file_name.rsplit_once('.').map(|(_, ext)| ext)?;
                match ext {
                    "csproj" | "fsproj" | "vbproj" | "props" | "targets" => FileKind::MsBuild,
                    _ => return None,
                }
            }
        };
        Some(kind)
    }

    /// Read `text` with this kind's editor. A [`FileKind::Text`] file has no reading without
    /// its patterns: read it with [`text_pattern::read`].
    pub fn read(self, text: &str) -> Result<Reading, EditorError> {
        match self {
            FileKind::CargoToml => cargo_toml::read(text),
            FileKind::CargoLock => cargo_lock::read(text),
            FileKind::PackageJson => package_json::read(text),
            FileKind::PackageLock => package_lock::read(text),
            FileKind::Pyproject => pyproject::read(text),
            FileKind::UvLock => uv_lock::read(text),
            FileKind::MsBuild => msbuild::read(text),
            FileKind::VersionFile => version_file::read(text),
            FileKind::Text => Err(EditorError::new(
                "internal error: a file listed by a pattern entry is read with its patterns",
            )),
        }
    }

    /// The short name used in messages and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::CargoToml => "cargo",
            FileKind::CargoLock => "cargo-lock",
            FileKind::PackageJson => "npm",
            FileKind::PackageLock => "npm-lock",
            FileKind::Pyproject => "python",
            FileKind::UvLock => "python-lock",
            FileKind::MsBuild => "dotnet",
            FileKind::VersionFile => "python-version-file",
            FileKind::Text => "text",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a value in a file means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// The version of the package the file describes: `[package].version`,
    /// `[workspace.package].version`, `"version"` of a package.json, `[project].version`,
    /// `<Version>` / `<PackageVersion>` of an MSBuild file, `__version__ = "…"`.
    Version,
    /// MSBuild `<VersionPrefix>`: `X.Y.Z`.
    VersionPrefix,
    /// MSBuild `<VersionSuffix>`: the pre-release part without the dash (`beta.1`), or empty.
    VersionSuffix,
    /// MSBuild `<AssemblyVersion>`: numeric `X.Y.Z.W`.
    AssemblyVersion,
    /// MSBuild `<FileVersion>`: numeric `X.Y.Z.W`.
    FileVersion,
    /// MSBuild `<InformationalVersion>`.
    InformationalVersion,
    /// Any other literal MSBuild property (a `$(Prop)` chain may lead to it).
    Property { name: String },
    /// A requirement on another package, operator included as written
    /// (`^1.4.0`, `=1.4.0`, `==1.4.0`, `[1.4.0]`, `workspace:^1.4.0`).
    Requirement { package: String },
    /// A lockfile's record of a package's version.
    Locked { package: String },
    /// A lockfile reference that spells a version to tell two same-named packages apart
    /// (`"name 1.4.0"` in a `Cargo.lock` `dependencies` array): the span covers the version.
    LockReference { package: String },
}

/// One version-bearing value in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub kind: FieldKind,
    /// Where the value sits, for people: `package.version`,
    /// `target.'cfg(unix)'.dependencies.core`, `packages["npm/linux-x64"].version`,
    /// `Project/PropertyGroup/VersionSuffix`.
    pub key: String,
    /// The value exactly as written (without quotes).
    pub value: String,
    /// The bytes of `value` in the original text. For a field the file lacks but the
    /// editor may add (MSBuild `<VersionSuffix>` beside `<VersionPrefix>`), an empty span at
    /// the insertion point and [`Field::insert`] set.
    pub span: Span,
    /// For a field that is absent: the text to write before and after the new value at
    /// `span` (e.g. `("\n    <VersionSuffix>", "</VersionSuffix>")`).
    pub insert: Option<(String, String)>,
}

impl Field {
    pub fn new(
        kind: FieldKind,
        key: impl Into<String>,
        value: impl Into<String>,
        span: Span,
    ) -> Self {
        Field {
            kind,
            key: key.into(),
            value: value.into(),
            span,
            insert: None,
        }
    }

    /// The package a requirement, lock entry or lock reference is about.
    pub fn package(&self) -> Option<&str> {
        match &self.kind {
            FieldKind::Requirement { package }
            | FieldKind::Locked { package }
            | FieldKind::LockReference { package } => Some(package),
            _ => None,
        }
    }
}

/// Facts about a file that are not editable values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// `version.workspace = true` (or `{ workspace = true }`): the version comes from the
    /// workspace root. The span covers the `version` entry.
    InheritsWorkspace { span: Span },
    /// The version is produced elsewhere: `dynamic = ["version"]` in a pyproject.
    Dynamic { source: DynamicVersion, span: Span },
    /// An MSBuild value `$(Prop)`: the value of the field of kind `field` (at `key`) is
    /// wherever `Prop` is defined literally. The span covers `$(Prop)`.
    PropertyReference {
        field: FieldKind,
        key: String,
        property: String,
        span: Span,
    },
    /// A value the editor recognises but cannot edit (an MSBuild value mixing text and
    /// `$(…)`, a TOML string with escapes): reported, never guessed.
    Unsupported {
        key: String,
        reason: String,
        span: Span,
    },
    /// An MSBuild property under a `Condition` the tool does not evaluate.
    Conditional {
        key: String,
        condition: String,
        span: Span,
    },
}

/// Where a dynamic Python version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DynamicVersion {
    /// maturin: from the `Cargo.toml` next to the pyproject, or `[tool.maturin] manifest-path`.
    Maturin { manifest_path: String },
    /// setuptools `attr = "pkg.__version__"`: the module path as written.
    SetuptoolsAttr { attr: String },
    /// setuptools `file = [...]`, hatch `path`, pdm `path`: a file relative to the pyproject,
    /// with hatch's `pattern` when one is set (compiled: a pattern the tool cannot run is an
    /// error reading the pyproject).
    File {
        path: String,
        pattern: Option<version_file::VersionPattern>,
    },
    /// hatch-vcs, setuptools-scm, pdm `source = "scm"`: the version comes from git tags.
    Vcs,
    /// A build backend the tool does not know.
    Unknown { backend: String },
}

/// What an editor read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// The package name the file declares, where it declares one
    /// (`[package].name`, `"name"`, `[project].name`, `<PackageId>`).
    pub name: Option<String>,
    pub fields: Vec<Field>,
    pub notes: Vec<Note>,
}

impl Reading {
    /// The first field of `kind`.
    pub fn field(&self, kind: &FieldKind) -> Option<&Field> {
        self.fields.iter().find(|f| &f.kind == kind)
    }
}

/// A file could not be read or edited. The caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EditorError {
    pub message: String,
    /// Byte offset in the original text, when the problem has a place.
    pub offset: Option<usize>,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl EditorError {
    pub fn new(message: impl Into<String>) -> Self {
        EditorError {
            message: message.into(),
            offset: None,
            help: None,
        }
    }

    #[must_use]
    pub fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Line and column of the problem in `text`.
    pub fn position(&self, text: &str) -> Option<Position> {
        self.offset.map(|o| Position::of(text, o))
    }
}

/// Write `edits` (a field as read, and its new value) into `text`, then read the result back
/// with `kind`'s editor and check that each edited field holds its new value.
pub fn rewrite(
    kind: FileKind,
    text: &str,
    edits: &[(&Field, &str)],
) -> Result<String, EditorError> {
    rewrite_with(text, edits, |out| kind.read(out))
}

/// `path[index]`: the key of an array element (built for every requirement of every file
/// read, so without the formatting machinery).
pub(crate) fn indexed(path: &str, index: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = std::str::from_utf8(&digits[at..]).unwrap_or_default();
    [path, "[", digits, "]"].concat()
}

/// Up to this many fields read back, each edit's field is searched for, not hashed.
const SEARCHED: usize = 16;

/// [`rewrite`], reading the result back with `read` (for a file whose reading needs more
/// than its text: [`FileKind::Text`]).
pub fn rewrite_with(
    text: &str,
    edits: &[(&Field, &str)],
    read: impl Fn(&str) -> Result<Reading, EditorError>,
) -> Result<String, EditorError> {
    let splices = edits
        .iter()
        // An edit that writes the value a field already holds is a no-op: for a field the
        // file lacks (`Field::insert`), writing its empty value must not add the element.
        .filter(|(field, value)| field.value != *value)
        .map(|(field, value)| {
            let replacement = match &field.insert {
                Some((before, after)) => format!("{before}{value}{after}"),
                None => (*value).to_string(),
            };
            Splice::new(field.span, replacement)
        })
        .collect();
    let out = apply_splices(text, splices).map_err(|e| EditorError::new(e.to_string()))?;
    let reread = read(&out).map_err(|e| {
        EditorError::new(format!(
            "internal error: the edited file no longer parses: {e}"
        ))
    })?;
    // A few fields are searched; a lockfile's are looked up (an edit touches thousands of
    // its thousands of fields).
    let read_back: Option<HashSet<(&FieldKind, &str, &str), FastBuildHasher>> =
        (reread.fields.len() > SEARCHED).then(|| {
            reread
                .fields
                .iter()
                .map(|f| (&f.kind, f.key.as_str(), f.value.as_str()))
                .collect()
        });
    for (field, value) in edits {
        let holds = match &read_back {
            Some(read_back) => read_back.contains(&(&field.kind, field.key.as_str(), *value)),
            None => reread
                .fields
                .iter()
                .any(|f| f.kind == field.kind && f.key == field.key && f.value == *value),
        };
        if !holds {
            return Err(EditorError::new(format!(
                "internal error: after the edit, `{}` does not read back as `{value}`",
                field.key
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A format of `key=value` lines, each a version field, to check `rewrite_with`'s
    /// read-back with few fields (searched) and many (hashed).
    fn read_lines(text: &str) -> Result<Reading, EditorError> {
        let mut fields = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let (key, value) = body
                .split_once('=')
                .ok_or_else(|| EditorError::new("no `=`").at(offset))?;
            let start = offset + key.len() + 1;
            fields.push(Field::new(
                FieldKind::Version,
                key,
                value,
                Span::new(start, start + value.len()),
            ));
            offset += line.len();
        }
        Ok(Reading {
            fields,
            ..Reading::default()
        })
    }

    #[test]
    fn indexed_keys() {
        for index in [0, 1, 9, 10, 99, 12_345, usize::MAX] {
            assert_eq!(indexed("a.b", index), format!("a.b[{index}]"));
        }
    }

    #[test]
    fn rewrite_reads_back_every_edit() {
        for lines in [3, SEARCHED + 10] {
            let text = (0..lines)
                .map(|i| format!("k{i}=1.0.0\n"))
                .collect::<Vec<_>>()
                .concat();
            let reading = read_lines(&text).unwrap();
            let edits: Vec<(&Field, &str)> = reading
                .fields
                .iter()
                .step_by(2)
                .map(|f| (f, "2.0.0"))
                .collect();
            let out = rewrite_with(&text, &edits, read_lines).unwrap();
            assert_eq!(out.matches("=2.0.0").count(), lines.div_ceil(2));
            // A reader that loses a value (here: reads `2.0.0` as `2.0.1`) is caught.
            let lossy = |t: &str| read_lines(&t.replace("2.0.0", "2.0.1"));
            let err = rewrite_with(&text, &edits, lossy).unwrap_err();
            assert!(
                err.message.contains("does not read back"),
                "{}",
                err.message
            );
            // As is an edit whose field the new text no longer has under its key.
            let renamed = |t: &str| read_lines(&t.replace("k0=", "x0="));
            let err = rewrite_with(&text, &edits, renamed).unwrap_err();
            assert!(
                err.message.contains("`k0` does not read back"),
                "{}",
                err.message
            );
            // And a result that no longer parses.
            let broken = |t: &str| read_lines(&t.replace("k0=", "k0"));
            let err = rewrite_with(&text, &edits, broken).unwrap_err();
            assert!(err.message.contains("no longer parses"), "{}", err.message);
        }
    }
}
