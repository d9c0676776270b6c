//! `Cargo.toml`: the package's own version, the workspace's shared version, and the
//! `version` requirement of every dependency.
//!
//! Fields (keys are TOML paths, segments quoted only where TOML needs it):
//!
//! * [`FieldKind::Version`] at `package.version` and `workspace.package.version`, whatever the
//!   spelling: a `[package]` table, dotted keys (`package.version = "…"`), an inline table.
//! * [`FieldKind::Requirement`] for each dependency that names a version, at
//!   `<table>.<dep>`: `dependencies.core`, `dev-dependencies.core`,
//!   `target.'cfg(unix)'.build-dependencies.core`, `workspace.dependencies.core`. The key is
//!   the dependency's key as written (a renamed dependency keeps its local name in the key);
//!   `package` is the real package name (`package = "…"` when renamed). The simple
//!   (`core = "1.4.0"`), inline, `[dependencies.core]` and dotted (`core.version = "…"`)
//!   forms all give the same key.
//!
//! Notes: [`Note::InheritsWorkspace`] for `version.workspace = true`; [`Note::Unsupported`]
//! for a requirement written with escapes. A dependency with `workspace = true` names no
//! version and is not reported.

use super::toml_span::{at, describe, key_segment, workspace_true, Str, Toml};
use super::toml_tree::{Item, Table};
use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::Span;

/// The dependency tables of a package (and of a `[target.*]` table); cargo accepts the
/// underscore spellings too.
const DEPENDENCY_TABLES: &[&str] = &[
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
];

/// Read a `Cargo.toml`. See the module documentation for what is reported.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let toml = Toml::parse(text)?;
    read_parsed(&toml)
}

/// [`read`], and `also` given the same parse (the root table of the text after any BOM), so
/// that the workspace resolution and the policy tables do not parse the file again. `also`
/// runs only when the text is valid TOML.
pub fn read_with<T>(
    text: &str,
    also: impl FnOnce(&Table<'_>) -> T,
) -> (Result<Reading, EditorError>, Option<T>) {
    match Toml::parse(text) {
        Ok(toml) => {
            let extra = also(&toml.root);
            (read_parsed(&toml), Some(extra))
        }
        Err(error) => (Err(error), None),
    }
}

fn read_parsed(toml: &Toml<'_>) -> Result<Reading, EditorError> {
    let mut reader = Reader {
        toml,
        reading: Reading::default(),
    };
    let root = &toml.root;

    if let Some(item) = root.get("package") {
        let package = reader.toml.table(item, "package")?;
        reader.reading.name = package
            .get("name")
            .and_then(Item::as_str)
            .map(str::to_string);
        reader.own_version(package, "package.version", true)?;
    }
    reader.dependency_tables(root, "")?;
    if let Some(item) = root.get("target") {
        let targets = reader.toml.table(item, "target")?;
        for (name, _) in targets.iter() {
            let Some(item) = targets.get(name) else {
                continue;
            };
            let path = ["target.", &key_segment(name)].concat();
            let target = reader.toml.table(item, &path)?;
            reader.dependency_tables(target, &[&path, "."].concat())?;
        }
    }
    if let Some(item) = root.get("workspace") {
        let workspace = reader.toml.table(item, "workspace")?;
        if let Some(item) = workspace.get("package") {
            let package = reader.toml.table(item, "workspace.package")?;
            reader.own_version(package, "workspace.package.version", false)?;
        }
        if let Some(item) = workspace.get("dependencies") {
            reader.dependencies(item, "workspace.dependencies")?;
        }
    }

    let mut reading = reader.reading;
    reading.fields.sort_by_key(|f| f.span.start);
    Ok(reading)
}

struct Reader<'t, 'a> {
    toml: &'t Toml<'a>,
    reading: Reading,
}

impl Reader<'_, '_> {
    /// `[package].version` or `[workspace.package].version`.
    fn own_version(
        &mut self,
        table: &Table,
        path: &str,
        may_inherit: bool,
    ) -> Result<(), EditorError> {
        let Some((key, item)) = table.get_key_value("version") else {
            return Ok(());
        };
        let offset = self.toml.item_offset(item);
        if let Some(s) = self.toml.item_string(item) {
            let Some(span) = s.span else {
                return Err(at(
                    EditorError::new(format!("`{path}` is written with escapes"))
                        .help("write the version as a plain string, e.g. `version = \"1.2.3\"`"),
                    offset,
                ));
            };
            self.reading
                .fields
                .push(Field::new(FieldKind::Version, path, s.value, span));
            return Ok(());
        }
        if let Some(inner) = item.as_table_like() {
            if may_inherit && workspace_true(inner) {
                let start = self.toml.key_offset(key);
                // A dotted `version.workspace = true` has no span of its own: end at `true`.
                let end = [Some(item.span()), inner.get("workspace").map(Item::span)]
                    .into_iter()
                    .flatten()
                    .map(|r| r.end + self.toml.bom)
                    .max()
                    .unwrap_or(start);
                self.reading.notes.push(Note::InheritsWorkspace {
                    span: Span::new(start, end.max(start)),
                });
                return Ok(());
            }
        }
        let help = if may_inherit {
            "write `version = \"1.2.3\"`, or `version.workspace = true` to inherit the workspace's version"
        } else {
            "write `version = \"1.2.3\"`"
        };
        Err(at(
            EditorError::new(format!(
                "expected a string for `{path}`, found {}",
                describe(item)
            ))
            .help(help),
            offset,
        ))
    }

    /// Every dependency table directly under `parent`; `prefix` is `parent`'s key path
    /// with a trailing dot (or empty at the root).
    fn dependency_tables(&mut self, parent: &Table, prefix: &str) -> Result<(), EditorError> {
        for name in DEPENDENCY_TABLES {
            if let Some(item) = parent.get(name) {
                self.dependencies(item, &[prefix, name].concat())?;
            }
        }
        Ok(())
    }

    /// One dependency table at `path`.
    fn dependencies(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        let table = self.toml.table(item, path)?;
        for (dep, item) in table.iter() {
            let field_key = [path, ".", &key_segment(dep)].concat();
            if let Some(s) = self.toml.item_string(item) {
                self.requirement(dep, field_key, s);
                continue;
            }
            let Some(spec) = item.as_table_like() else {
                return Err(at(
                    EditorError::new(format!(
                        "expected a version string or a table for `{field_key}`, found {}",
                        describe(item)
                    ))
                    .help(format!(
                        "write `{} = \"1.2.3\"` or `{} = {{ version = \"1.2.3\" }}`",
                        key_segment(dep),
                        key_segment(dep)
                    )),
                    self.toml.item_offset(item),
                ));
            };
            if workspace_true(spec) {
                continue;
            }
            let package = spec.get("package").and_then(Item::as_str).unwrap_or(dep);
            if let Some(version) = spec.get("version") {
                let Some(s) = self.toml.item_string(version) else {
                    return Err(at(
                        EditorError::new(format!(
                            "expected a string for `{field_key}.version`, found {}",
                            describe(version)
                        )),
                        self.toml.item_offset(version),
                    ));
                };
                self.requirement(package, field_key, s);
            }
        }
        Ok(())
    }

    fn requirement(&mut self, package: &str, key: String, s: Str) {
        match s.span {
            Some(span) => self.reading.fields.push(Field::new(
                FieldKind::Requirement {
                    package: package.to_string(),
                },
                key,
                s.value,
                span,
            )),
            None => self.reading.notes.push(s.unsupported(&key)),
        }
    }
}

#[cfg(test)]
mod tests;
