//! What an editor reads from a file: its version-bearing values as [`Field`]s with their byte
//! spans, and the facts that are not editable values as [`Note`]s.

use crate::text::Span;
use crate::version_pattern::VersionPattern;

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
    /// Helm `Chart.yaml` `appVersion`: the version of what the chart deploys.
    AppVersion,
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
    /// The version is produced elsewhere: `dynamic = ["version"]` in a pyproject, a
    /// gemspec's `s.version = Foo::VERSION`.
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
        pattern: Option<VersionPattern>,
    },
    /// hatch-vcs, setuptools-scm, pdm `source = "scm"`: the version comes from git tags.
    Vcs,
    /// A Ruby specification's version computed by an expression (`s.version = Foo::VERSION`):
    /// the expression as written.
    Expression { expression: String },
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

/// `path[index]`: the key of an array element (built for every requirement of every file
/// read, so without the formatting machinery).
// proof: a `usize` has at most 20 decimal digits, so `at` stays in `0..20`.
#[allow(clippy::indexing_slicing)]
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
