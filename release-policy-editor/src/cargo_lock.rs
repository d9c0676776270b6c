//! `Cargo.lock`: the locked version of each path/workspace package, and the
//! `"name version"` references that spell a version.
//!
//! Fields:
//!
//! * [`FieldKind::Locked`] for the `version` of each `[[package]]` without a `source` (path
//!   and workspace members), key `package."name"`; when two source-less packages share a
//!   name, `package."name"@i` with `i` the entry's index in the `[[package]]` array. A
//!   pre-2017 `[root]` table is the root package: key `root`.
//! * [`FieldKind::LockReference`] for each `"name version"` string (two parts: no
//!   ` (source)`) in a `dependencies` array, whatever the package; the span covers the
//!   version. Key `package."dependent".dependencies."name"`; the dependent is qualified with
//!   `@i` when several `[[package]]` entries share its name, and the reference with `@j` (its
//!   index in the array) when the array names the same package twice.
//!
//! Cargo writes a bare `"name"` when one package has that name: nothing to report then. In
//! lockfile v1 every reference spells its version. The v1 `[metadata]` table only holds
//! checksums of packages with a source, so it names no version this tool edits.

use std::collections::HashMap;

use super::toml_span::{at, describe, describe_value, quoted, Str, Toml};
use super::toml_tree::Table;
use crate::error::EditorError;
use crate::fast_map::FastBuildHasher;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::Span;

/// Read a `Cargo.lock`. See the module documentation for what is reported.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let toml = Toml::parse(text)?;
    let root = &toml.root;
    let mut packages: Vec<Package> = Vec::new();

    if let Some(item) = root.get("root") {
        let Some(table) = item.as_table() else {
            return Err(at(
                EditorError::new(format!(
                    "expected a table for `root`, found {}",
                    describe(item)
                )),
                toml.item_offset(item),
            ));
        };
        packages.push(Package::read(&toml, table, None)?);
    }
    if let Some(item) = root.get("package") {
        let Some(array) = item.as_array_of_tables() else {
            return Err(at(
                EditorError::new(format!(
                    "expected `[[package]]` tables, found {} for `package`",
                    describe(item)
                )),
                toml.item_offset(item),
            ));
        };
        for (index, table) in array.iter().enumerate() {
            packages.push(Package::read(&toml, table, Some(index))?);
        }
    }

    let mut sourceless: HashMap<&str, usize, FastBuildHasher> = HashMap::default();
    let mut all: HashMap<&str, usize, FastBuildHasher> = HashMap::default();
    for p in &packages {
        *all.entry(p.name.as_str()).or_default() += 1;
        if !p.has_source {
            *sourceless.entry(p.name.as_str()).or_default() += 1;
        }
    }

    let mut reading = Reading::default();
    for p in &packages {
        let quoted_name = quoted(&p.name);
        let qualified = |counts: &HashMap<&str, usize, FastBuildHasher>| match p.index {
            None => "root".to_string(),
            Some(i) if counts.get(p.name.as_str()).copied().unwrap_or(0) > 1 => {
                format!("package.{quoted_name}@{i}")
            }
            Some(_) => ["package.", &quoted_name].concat(),
        };
        if !p.has_source {
            let key = qualified(&sourceless);
            match p.version_span {
                Some(span) => reading.fields.push(Field::new(
                    FieldKind::Locked {
                        package: p.name.clone(),
                    },
                    key,
                    p.version.clone(),
                    span,
                )),
                None => reading.notes.push(p.version_note(&key)),
            }
        }
        let dependent = qualified(&all);
        let mut named: HashMap<&str, usize, FastBuildHasher> = HashMap::default();
        for r in &p.references {
            *named.entry(r.name.as_str()).or_default() += 1;
        }
        for r in &p.references {
            let mut key = [&dependent, ".dependencies.", &quoted(&r.name)].concat();
            if named.get(r.name.as_str()).copied().unwrap_or(0) > 1 {
                key = format!("{key}@{}", r.position);
            }
            match r.span {
                Some(span) => reading.fields.push(Field::new(
                    FieldKind::LockReference {
                        package: r.name.clone(),
                    },
                    key,
                    r.version.clone(),
                    span,
                )),
                None => reading.notes.push(Note::Unsupported {
                    key,
                    reason: format!(
                        "the reference `{} {}` is written with escapes",
                        r.name, r.version
                    ),
                    span: r.full,
                }),
            }
        }
    }
    reading.fields.sort_by_key(|f| f.span.start);
    Ok(reading)
}

/// One `[[package]]` entry (or the v1 `[root]`).
struct Package {
    name: String,
    version: String,
    /// `None` when the version is written with escapes.
    version_span: Option<Span>,
    version_full: Span,
    has_source: bool,
    /// Index in the `[[package]]` array (`None` for `[root]`).
    index: Option<usize>,
    /// `"name version"` references (without a source).
    references: Vec<Reference>,
}

/// A `"name version"` string in a `dependencies` array.
struct Reference {
    /// Index in the `dependencies` array.
    position: usize,
    name: String,
    version: String,
    /// The version's bytes, `None` when the string has escapes.
    span: Option<Span>,
    full: Span,
}

impl Package {
    fn read(toml: &Toml<'_>, table: &Table, index: Option<usize>) -> Result<Self, EditorError> {
        // The entry's name in messages: `root`, `package[3]`.
        let path = || match index {
            None => "root".to_string(),
            Some(index) => format!("package[{index}]"),
        };
        let header = Some(toml.span(table.span()).start);
        let string = |field: &str| -> Result<Str, EditorError> {
            match table.get(field) {
                None => Err(at(
                    EditorError::new(format!("`{}` has no `{field}`", path())).help(
                        "the lockfile is damaged: run `cargo generate-lockfile` to rebuild it",
                    ),
                    header,
                )),
                Some(item) => toml.item_string(item).ok_or_else(|| {
                    at(
                        EditorError::new(format!(
                            "expected a string for `{}.{field}`, found {}",
                            path(),
                            describe(item)
                        )),
                        toml.item_offset(item),
                    )
                }),
            }
        };
        let name = string("name")?.value;
        let version = string("version")?;
        let mut references = Vec::new();
        if let Some(item) = table.get("dependencies") {
            let Some(array) = item.as_array() else {
                return Err(at(
                    EditorError::new(format!(
                        "expected an array for `{}.dependencies`, found {}",
                        path(),
                        describe(item)
                    )),
                    toml.item_offset(item),
                ));
            };
            for (position, value) in array.iter().enumerate() {
                let Some(s) = toml.string(value) else {
                    return Err(at(
                        EditorError::new(format!(
                            "expected a string in `{}.dependencies`, found {}",
                            path(),
                            describe_value(value)
                        )),
                        Some(toml.value_offset(value)),
                    ));
                };
                let mut parts = s.value.splitn(3, ' ');
                let (Some(dep), Some(dep_version), None) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let start = dep.len() + 1;
                references.push(Reference {
                    position,
                    name: dep.to_string(),
                    version: dep_version.to_string(),
                    span: s.span.map(|sp| Span::new(sp.start + start, sp.end)),
                    full: s.full,
                });
            }
        }
        Ok(Package {
            name,
            version: version.value,
            version_span: version.span,
            version_full: version.full,
            has_source: table.contains_key("source"),
            index,
            references,
        })
    }

    fn version_note(&self, key: &str) -> Note {
        Note::Unsupported {
            key: key.to_string(),
            reason: format!("the version `{}` is written with escapes", self.version),
            span: self.version_full,
        }
    }
}

#[cfg(test)]
mod tests;
