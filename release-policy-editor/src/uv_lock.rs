//! `uv.lock`: the locked version of each local (workspace or path) package, and the
//! requirement specifiers uv compares with the pyprojects.
//!
//! Fields:
//!
//! * [`FieldKind::Locked`] for the `version` of each `[[package]]` whose `source` is local:
//!   `{ editable = … }`, `{ virtual = … }`, or `{ directory = … }` (a workspace member
//!   with `editable = false`, or a path dependency). Key `package."name"` (`@i`, the entry's
//!   index, when two local entries share a name). A member with a dynamic version has no
//!   `version` in the lock: nothing is reported for it.
//! * [`FieldKind::Requirement`] for each `specifier` in those entries' `[package.metadata]`
//!   `requires-dist` and `requires-dev.<group>` lists, at
//!   `package."name".metadata.requires-dist[i]` and
//!   `package."name".metadata.requires-dev.<group>[i]`, and in the workspace `[manifest]`
//!   (`requirements`, `constraints`, `overrides`, `build-constraints`,
//!   `dependency-groups.<group>`), at `manifest.requirements[i]` etc. `package` is the
//!   entry's `name`.
//! * [`FieldKind::LockReference`] for a `version` spelled in a dependency entry
//!   (`dependencies`, `optional-dependencies.<extra>`, `dev-dependencies.<group>`) that
//!   points at a local package: `package."name".dependencies[i]`.
//!
//! uv writes no `specifier` for a requirement served by a workspace or path source, so pins
//! between members usually appear in the pyprojects only.

use std::collections::HashMap;

use super::toml_span::{at, describe, describe_value, key_segment, quoted, Str, Toml};
use super::toml_tree::{Array, Item, Table, Value};
use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Reading};

/// Local sources: the packages this tool may own.
const LOCAL_SOURCES: &[&str] = &["editable", "virtual", "directory"];

/// The `[manifest]` lists of requirements.
const MANIFEST_LISTS: &[&str] = &[
    "requirements",
    "constraints",
    "overrides",
    "build-constraints",
];

/// Read a `uv.lock`. See the module documentation for what is reported.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let toml = Toml::parse(text)?;
    let mut reader = Reader {
        toml: &toml,
        reading: Reading::default(),
    };
    let root = &toml.root;

    if let Some(item) = root.get("manifest") {
        reader.manifest(item)?;
    }
    let entries = packages(&toml, root)?;
    let mut local_names: HashMap<&str, usize> = HashMap::new();
    for (name, local, _) in &entries {
        if *local {
            *local_names.entry(name).or_default() += 1;
        }
    }
    for (index, (name, local, table)) in entries.iter().enumerate() {
        let mut prefix = format!("package.{}", quoted(name));
        if *local && local_names.get(name).copied().unwrap_or(0) > 1 {
            prefix = format!("{prefix}@{index}");
        }
        reader.package(&prefix, index, name, *local, table)?;
    }

    let mut reading = reader.reading;
    reading.fields.sort_by_key(|f| f.span.start);
    Ok(reading)
}

/// The `[[package]]` entries: name, whether the source is local, the table.
fn packages<'a, 'd>(
    toml: &Toml<'_>,
    root: &'a Table<'d>,
) -> Result<Vec<(&'a str, bool, &'a Table<'d>)>, EditorError> {
    let tables: Vec<&Table> = match root.get("package") {
        None => Vec::new(),
        Some(item) => match item.as_array_of_tables() {
            Some(array) => array.iter().collect(),
            None => {
                return Err(at(
                    EditorError::new(format!(
                        "expected `[[package]]` tables, found {} for `package`",
                        describe(item)
                    )),
                    toml.item_offset(item),
                ))
            }
        },
    };
    let mut entries = Vec::with_capacity(tables.len());
    for (index, table) in tables.into_iter().enumerate() {
        let path = format!("package[{index}]");
        let Some(item) = table.get("name") else {
            return Err(at(
                EditorError::new(format!("`{path}` has no `name`"))
                    .help("the lockfile is damaged: run `uv lock` to rebuild it"),
                Some(toml.span(table.span()).start),
            ));
        };
        let Some(name) = item.as_str() else {
            return Err(at(
                EditorError::new(format!(
                    "expected a string for `{path}.name`, found {}",
                    describe(item)
                )),
                toml.item_offset(item),
            ));
        };
        entries.push((name, is_local(table.get("source")), table));
    }
    Ok(entries)
}

/// `source = { editable = "…" }` and the other local kinds.
fn is_local(source: Option<&Item>) -> bool {
    source
        .and_then(Item::as_table_like)
        .is_some_and(|s| LOCAL_SOURCES.iter().any(|k| s.contains_key(k)))
}

struct Reader<'t, 'a> {
    toml: &'t Toml<'a>,
    reading: Reading,
}

impl Reader<'_, '_> {
    /// `[manifest]`: the workspace's requirement lists.
    fn manifest(&mut self, item: &Item) -> Result<(), EditorError> {
        let manifest = self.toml.table(item, "manifest")?;
        for list in MANIFEST_LISTS {
            if let Some(item) = manifest.get(list) {
                self.requirements(item, &format!("manifest.{list}"))?;
            }
        }
        if let Some(item) = manifest.get("dependency-groups") {
            self.requirement_groups(item, "manifest.dependency-groups")?;
        }
        Ok(())
    }

    /// One `[[package]]` entry; `prefix` is its key (`package."name"`).
    fn package(
        &mut self,
        prefix: &str,
        index: usize,
        name: &str,
        local: bool,
        table: &Table,
    ) -> Result<(), EditorError> {
        let path = format!("package[{index}]");
        if local {
            if let Some(item) = table.get("version") {
                let s = self.string(item, &format!("{path}.version"))?;
                self.push(
                    FieldKind::Locked {
                        package: name.to_string(),
                    },
                    prefix,
                    &s,
                );
            }
            if let Some(item) = table.get("metadata") {
                let metadata = self.toml.table(item, &format!("{path}.metadata"))?;
                if let Some(item) = metadata.get("requires-dist") {
                    self.requirements(item, &format!("{prefix}.metadata.requires-dist"))?;
                }
                if let Some(item) = metadata.get("requires-dev") {
                    self.requirement_groups(item, &format!("{prefix}.metadata.requires-dev"))?;
                }
            }
        }
        if let Some(item) = table.get("dependencies") {
            self.references(item, &format!("{prefix}.dependencies"))?;
        }
        for groups in ["optional-dependencies", "dev-dependencies"] {
            if let Some(item) = table.get(groups) {
                let groups_table = self.toml.table(item, &format!("{prefix}.{groups}"))?;
                for (group, _) in groups_table.iter() {
                    if let Some(item) = groups_table.get(group) {
                        let path = format!("{prefix}.{groups}.{}", key_segment(group));
                        self.references(item, &path)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn array<'i, 'd>(&self, item: &'i Item<'d>, path: &str) -> Result<&'i Array<'d>, EditorError> {
        item.as_array().ok_or_else(|| {
            at(
                EditorError::new(format!(
                    "expected an array for `{path}`, found {}",
                    describe(item)
                )),
                self.toml.item_offset(item),
            )
        })
    }

    fn string(&self, item: &Item, path: &str) -> Result<Str, EditorError> {
        self.toml.item_string(item).ok_or_else(|| {
            at(
                EditorError::new(format!(
                    "expected a string for `{path}`, found {}",
                    describe(item)
                )),
                self.toml.item_offset(item),
            )
        })
    }

    fn push(&mut self, kind: FieldKind, key: &str, s: &Str) {
        match s.span {
            Some(span) => self
                .reading
                .fields
                .push(Field::new(kind, key, s.value.clone(), span)),
            None => self.reading.notes.push(s.unsupported(key)),
        }
    }

    /// The inline tables of an array (`requires-dist`, `dependencies`), with their index.
    fn entries<'i, 'd>(
        &self,
        item: &'i Item<'d>,
        path: &str,
    ) -> Result<Vec<(usize, &'i Table<'d>)>, EditorError> {
        let array = self.array(item, path)?;
        array
            .iter()
            .enumerate()
            .map(|(i, value)| match value {
                Value::InlineTable(t) => Ok((i, t)),
                other => Err(at(
                    EditorError::new(format!(
                        "expected a table for `{path}[{i}]`, found {}",
                        describe_value(other)
                    )),
                    Some(self.toml.value_offset(other)),
                )),
            })
            .collect()
    }

    /// `[{ name = "b", specifier = "==1.4.0" }, …]`
    fn requirements(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        for (i, entry) in self.entries(item, path)? {
            let (Some(name), Some(spec)) = (
                entry.get("name").and_then(Item::as_str),
                entry.get("specifier"),
            ) else {
                continue;
            };
            let field_key = format!("{path}[{i}]");
            let s = self.string(spec, &format!("{field_key}.specifier"))?;
            self.push(
                FieldKind::Requirement {
                    package: name.to_string(),
                },
                &field_key,
                &s,
            );
        }
        Ok(())
    }

    /// `{ group = [{ name, specifier }, …], … }`
    fn requirement_groups(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        let groups = self.toml.table(item, path)?;
        for (group, _) in groups.iter() {
            if let Some(item) = groups.get(group) {
                self.requirements(item, &format!("{path}.{}", key_segment(group)))?;
            }
        }
        Ok(())
    }

    /// `[{ name = "b", version = "1.4.0", source = { editable = "b" } }, …]`
    fn references(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        for (i, entry) in self.entries(item, path)? {
            let (Some(name), Some(version)) = (
                entry.get("name").and_then(Item::as_str),
                entry.get("version"),
            ) else {
                continue;
            };
            let source = entry.get("source");
            if source.is_some() && !is_local(source) {
                continue;
            }
            let field_key = format!("{path}[{i}]");
            let s = self.string(version, &format!("{field_key}.version"))?;
            self.push(
                FieldKind::LockReference {
                    package: name.to_string(),
                },
                &field_key,
                &s,
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
