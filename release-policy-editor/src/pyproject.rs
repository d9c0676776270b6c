//! `pyproject.toml`: the project's version (PEP 621 or Poetry), where a dynamic version
//! comes from, and the version specifiers of its requirements.
//!
//! Fields:
//!
//! * [`FieldKind::Version`] at `project.version` and `tool.poetry.version`.
//! * [`FieldKind::Requirement`] for each PEP 508 string with a version specifier; the span
//!   and value are the specifier only (`==1.4.0`, `>=1,<2`, `== 1.4.0` as written; no
//!   extras, parentheses or marker), `package` is the name as written. Keys:
//!   `project.dependencies[i]`, `project.optional-dependencies.<group>[i]`,
//!   `dependency-groups.<group>[i]` (PEP 735), `tool.uv.dev-dependencies[i]`.
//! * [`FieldKind::Requirement`] for Poetry's `[tool.poetry.dependencies]`,
//!   `[tool.poetry.dev-dependencies]` and `[tool.poetry.group.<g>.dependencies]`: the whole
//!   constraint string (`"1.4.0"`, `"==1.4.0"`, `"^1.4"`) or the table's `version`, at
//!   `tool.poetry.dependencies.<name>` etc. (`python` is not a package and is skipped).
//!
//! Notes: [`Note::Dynamic`] when `project.dynamic` lists `"version"` (span: that string), or
//! when the Poetry dynamic-versioning plugin is enabled (then `tool.poetry.version` is a
//! placeholder and is not reported); [`Note::Unsupported`] for strings with escapes and
//! Poetry multiple-constraint dependencies.

mod pep508;

use super::toml_span::{at, describe, describe_value, key_segment, Str, Toml};
use super::toml_tree::{Item, Table, Value};
use super::version_file::VersionPattern;
use crate::error::EditorError;
use crate::reading::{DynamicVersion, Field, FieldKind, Note, Reading};

/// Read a `pyproject.toml`. See the module documentation for what is reported.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let toml = Toml::parse(text)?;
    let mut reader = Reader {
        toml: &toml,
        reading: Reading::default(),
    };
    let root = &toml.root;
    let project = reader.table_at(root, "project", "project")?;
    let tools = reader.table_at(root, "tool", "tool")?;
    let poetry = match tools {
        Some(tools) => reader.table_at(tools, "poetry", "tool.poetry")?,
        None => None,
    };

    reader.reading.name = project
        .and_then(|p| p.get("name"))
        .or_else(|| poetry.and_then(|p| p.get("name")))
        .and_then(Item::as_str)
        .map(str::to_string);

    if let Some(project) = project {
        let dynamic = reader.dynamic(root, project)?;
        let version = reader.own_version(project, "project.version")?;
        if version && dynamic {
            let offset = project.get("version").map(|i| toml.item_offset(i));
            return Err(at(
                EditorError::new("`project.version` is set and also listed in `project.dynamic`")
                    .help(
                        "remove `\"version\"` from `project.dynamic`, or remove `project.version`",
                    ),
                offset,
            ));
        }
        if let Some(item) = project.get("dependencies") {
            reader.pep508_list(item, "project.dependencies")?;
        }
        if let Some(item) = project.get("optional-dependencies") {
            reader.pep508_groups(item, "project.optional-dependencies")?;
        }
    }
    if let Some(item) = root.get("dependency-groups") {
        reader.pep508_groups(item, "dependency-groups")?;
    }
    if let Some(tools) = tools {
        if let Some(uv) = reader.table_at(tools, "uv", "tool.uv")? {
            if let Some(item) = uv.get("dev-dependencies") {
                reader.pep508_list(item, "tool.uv.dev-dependencies")?;
            }
        }
    }
    if let Some(poetry) = poetry {
        reader.poetry(tools, poetry)?;
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
    /// `parent.name` as a table, if present; an error if present and not a table.
    fn table_at<'i, 'd>(
        &self,
        parent: &'i Table<'d>,
        name: &str,
        path: &str,
    ) -> Result<Option<&'i Table<'d>>, EditorError> {
        match parent.get(name) {
            None => Ok(None),
            Some(item) => self.toml.table(item, path).map(Some),
        }
    }

    /// `project.version` or `tool.poetry.version`; `true` when present.
    fn own_version(&mut self, table: &Table, path: &str) -> Result<bool, EditorError> {
        let Some(item) = table.get("version") else {
            return Ok(false);
        };
        let offset = self.toml.item_offset(item);
        let Some(s) = self.toml.item_string(item) else {
            return Err(at(
                EditorError::new(format!(
                    "expected a string for `{path}`, found {}",
                    describe(item)
                ))
                .help("write `version = \"1.2.3\"`"),
                offset,
            ));
        };
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
        Ok(true)
    }

    /// `project.dynamic`: a [`Note::Dynamic`] when it lists `"version"`; `true` then.
    fn dynamic(&mut self, root: &Table, project: &Table) -> Result<bool, EditorError> {
        let Some(item) = project.get("dynamic") else {
            return Ok(false);
        };
        let Some(array) = item.as_array() else {
            return Err(at(
                EditorError::new(format!(
                    "expected an array for `project.dynamic`, found {}",
                    describe(item)
                )),
                self.toml.item_offset(item),
            ));
        };
        for value in array {
            if let Some(s) = self.toml.string(value) {
                if s.value == "version" {
                    let source = dynamic_source(self.toml, root, project)?;
                    self.reading.notes.push(Note::Dynamic {
                        source,
                        span: s.span.unwrap_or(s.full),
                    });
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// An array of PEP 508 strings at `path` (`project.dependencies`).
    fn pep508_list(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        let Some(array) = item.as_array() else {
            return Err(at(
                EditorError::new(format!(
                    "expected an array for `{path}`, found {}",
                    describe(item)
                )),
                self.toml.item_offset(item),
            ));
        };
        for (i, value) in array.iter().enumerate() {
            let field_key = crate::reading::indexed(path, i);
            let Some(s) = self.toml.string(value) else {
                // PEP 735 `{ include-group = "…" }` entries name no version.
                if value.is_inline_table() && path.starts_with("dependency-groups.") {
                    continue;
                }
                return Err(at(
                    EditorError::new(format!(
                        "expected a requirement string for `{field_key}`, found {}",
                        describe_value(value)
                    )),
                    self.toml.value_offset(value),
                ));
            };
            self.pep508(field_key, &s)?;
        }
        Ok(())
    }

    /// A table of arrays of PEP 508 strings (`project.optional-dependencies`).
    fn pep508_groups(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        let groups = self.toml.table(item, path)?;
        for (group, _) in groups.iter() {
            let Some(item) = groups.get(group) else {
                continue;
            };
            self.pep508_list(item, &[path, ".", &key_segment(group)].concat())?;
        }
        Ok(())
    }

    /// One PEP 508 string.
    // proof: `requirement` was parsed from this same `s.value`, and its ranges are on character
    // boundaries of it (`pep508::parse`).
    #[allow(clippy::string_slice)]
    fn pep508(&mut self, key: String, s: &Str) -> Result<(), EditorError> {
        let requirement = pep508::parse(&s.value).map_err(|message| {
            EditorError::new(format!(
                "invalid requirement `{}` at `{key}`: {message}",
                s.value
            ))
            .at(s.full.start)
            .help("write a PEP 508 requirement, e.g. `core==1.4.0`")
        })?;
        let Some(specifier) = requirement.specifier else {
            return Ok(());
        };
        let Some(span) = s.span else {
            self.reading.notes.push(s.unsupported(&key));
            return Ok(());
        };
        self.reading.fields.push(Field::new(
            FieldKind::Requirement {
                package: s.value[requirement.name].to_string(),
            },
            key,
            &s.value[specifier.clone()],
            crate::text::Span::new(span.start + specifier.start, span.start + specifier.end),
        ));
        Ok(())
    }

    /// `[tool.poetry]`: version and dependency tables.
    fn poetry(&mut self, tools: Option<&Table>, poetry: &Table) -> Result<(), EditorError> {
        let plugin = tools
            .and_then(|t| t.get("poetry-dynamic-versioning"))
            .and_then(Item::as_table_like)
            .and_then(|t| t.get("enable"))
            .filter(|e| e.as_bool() == Some(true));
        match plugin {
            Some(enable) => {
                let span = self.toml.span(enable.span());
                self.reading.notes.push(Note::Dynamic {
                    source: DynamicVersion::Vcs,
                    span,
                });
            }
            None => {
                self.own_version(poetry, "tool.poetry.version")?;
            }
        }
        for table in ["dependencies", "dev-dependencies"] {
            if let Some(item) = poetry.get(table) {
                self.poetry_dependencies(item, &format!("tool.poetry.{table}"))?;
            }
        }
        if let Some(groups) = self.table_at(poetry, "group", "tool.poetry.group")? {
            for (group, _) in groups.iter() {
                let Some(item) = groups.get(group) else {
                    continue;
                };
                let path = format!("tool.poetry.group.{}", key_segment(group));
                let group = self.toml.table(item, &path)?;
                if let Some(item) = group.get("dependencies") {
                    self.poetry_dependencies(item, &format!("{path}.dependencies"))?;
                }
            }
        }
        Ok(())
    }

    fn poetry_dependencies(&mut self, item: &Item, path: &str) -> Result<(), EditorError> {
        let table = self.toml.table(item, path)?;
        for (name, _) in table.iter() {
            let Some(item) = table.get(name) else {
                continue;
            };
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            let field_key = format!("{path}.{}", key_segment(name));
            let constraint = if let Some(s) = self.toml.item_string(item) {
                s
            } else if let Some(spec) = item.as_table_like() {
                let Some(version) = spec.get("version") else {
                    continue;
                };
                self.toml.item_string(version).ok_or_else(|| {
                    at(
                        EditorError::new(format!(
                            "expected a string for `{field_key}.version`, found {}",
                            describe(version)
                        )),
                        self.toml.item_offset(version),
                    )
                })?
            } else if let Some(array) = item.as_array() {
                self.reading.notes.push(Note::Unsupported {
                    key: field_key,
                    reason: "a multiple-constraint dependency: the tool does not edit these"
                        .to_string(),
                    span: self.toml.span(array.span()),
                });
                continue;
            } else {
                return Err(at(
                    EditorError::new(format!(
                        "expected a version string or a table for `{field_key}`, found {}",
                        describe(item)
                    )),
                    self.toml.item_offset(item),
                ));
            };
            match constraint.span {
                Some(span) => self.reading.fields.push(Field::new(
                    FieldKind::Requirement {
                        package: name.to_string(),
                    },
                    field_key,
                    constraint.value,
                    span,
                )),
                None => self.reading.notes.push(constraint.unsupported(&field_key)),
            }
        }
        Ok(())
    }
}

/// Where a `dynamic = ["version"]` comes from. An error for a hatch `pattern` the tool cannot
/// run.
fn dynamic_source(
    toml: &Toml<'_>,
    root: &Table,
    project: &Table,
) -> Result<DynamicVersion, EditorError> {
    let lookup = |path: &[&str]| -> Option<&Item> {
        let (last, parents) = path.split_last()?;
        let mut table = root;
        for name in parents {
            table = table.get(name)?.as_table_like()?;
        }
        table.get(last)
    };
    let string = |path: &[&str]| lookup(path).and_then(Item::as_str).map(str::to_string);
    let backend = string(&["build-system", "build-backend"]).unwrap_or_default();

    if backend == "maturin" || lookup(&["tool", "maturin"]).is_some() {
        return Ok(DynamicVersion::Maturin {
            manifest_path: string(&["tool", "maturin", "manifest-path"])
                .unwrap_or_else(|| "Cargo.toml".to_string()),
        });
    }
    if let Some(version) =
        lookup(&["tool", "setuptools", "dynamic", "version"]).and_then(Item::as_table_like)
    {
        if let Some(attr) = version.get("attr").and_then(Item::as_str) {
            return Ok(DynamicVersion::SetuptoolsAttr {
                attr: attr.to_string(),
            });
        }
        let file = version.get("file").and_then(|f| {
            f.as_str().map(str::to_string).or_else(|| {
                f.as_array()
                    .and_then(|a| a.get(0))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
        });
        if let Some(path) = file {
            return Ok(DynamicVersion::File {
                path,
                pattern: None,
            });
        }
    }
    if let Some(version) = lookup(&["tool", "hatch", "version"]).and_then(Item::as_table_like) {
        if let Some(source) = hatch_source(toml, version)? {
            return Ok(source);
        }
    }
    if let Some(version) = lookup(&["tool", "pdm", "version"]).and_then(Item::as_table_like) {
        let source = version.get("source").and_then(Item::as_str);
        let path = version.get("path").and_then(Item::as_str);
        match (source, path) {
            (Some("scm"), _) => return Ok(DynamicVersion::Vcs),
            (Some("file"), Some(path)) => {
                return Ok(DynamicVersion::File {
                    path: path.to_string(),
                    pattern: None,
                })
            }
            _ => {}
        }
    }
    if [
        "setuptools_scm",
        "setuptools-scm",
        "poetry-dynamic-versioning",
        "versioningit",
    ]
    .iter()
    .any(|t| lookup(&["tool", t]).is_some())
    {
        return Ok(DynamicVersion::Vcs);
    }
    if backend == "flit_core.buildapi" {
        // flit reads `__version__` from the module named like the project.
        let module = string(&["tool", "flit", "module", "name"]).or_else(|| {
            project
                .get("name")
                .and_then(Item::as_str)
                .map(|n| n.replace(['-', '.'], "_"))
        });
        if let Some(module) = module {
            return Ok(DynamicVersion::SetuptoolsAttr {
                attr: format!("{module}.__version__"),
            });
        }
    }
    Ok(DynamicVersion::Unknown { backend })
}

/// `[tool.hatch.version]`: git tags, or the file hatch reads (with its `pattern`).
fn hatch_source(toml: &Toml<'_>, version: &Table) -> Result<Option<DynamicVersion>, EditorError> {
    let source = version
        .get("source")
        .and_then(Item::as_str)
        .unwrap_or("regex");
    let path = version.get("path").and_then(Item::as_str);
    Ok(match (source, path) {
        ("vcs", _) => Some(DynamicVersion::Vcs),
        ("regex", Some(path)) => Some(DynamicVersion::File {
            path: path.to_string(),
            pattern: hatch_pattern(toml, version)?,
        }),
        // The `code` source runs the file and has no `pattern`.
        ("code", Some(path)) => Some(DynamicVersion::File {
            path: path.to_string(),
            pattern: None,
        }),
        _ => None,
    })
}

/// `[tool.hatch.version] pattern`, compiled: none when absent or empty (hatch's default
/// pattern then, which the version file scan stands for); an error, at the value, when it is
/// not a string or cannot be run.
fn hatch_pattern(toml: &Toml<'_>, version: &Table) -> Result<Option<VersionPattern>, EditorError> {
    let Some(item) = version.get("pattern") else {
        return Ok(None);
    };
    let offset = toml.item_offset(item);
    let Some(pattern) = toml.item_string(item) else {
        return Err(at(
            EditorError::new(format!(
                "expected a string for `tool.hatch.version.pattern`, found {}",
                describe(item)
            ))
            .help(
                "write the regular expression hatch reads the version with, \
                 e.g. `pattern = '^VERSION = \"(?P<version>[^\"]+)\"'`, or remove it for hatch's default",
            ),
            offset,
        ));
    };
    if pattern.value.is_empty() {
        return Ok(None);
    }
    VersionPattern::new(&pattern.value)
        .map(Some)
        .map_err(|e| at(e, offset))
}

#[cfg(test)]
mod tests;
