//! `package-lock.json` (and `npm-shrinkwrap.json`), lockfile versions 1, 2 and 3.
//!
//! Reported:
//! * [`Reading::name`]: the root `"name"`.
//! * [`FieldKind::Version`]: the root `"version"` (key `version`) and `packages[""].version`
//!   (key `packages[""].version`).
//! * [`FieldKind::Locked`], key `packages["packages/a"].version`: the `version` of every
//!   `packages` entry whose path has no `node_modules/` (a workspace member or another linked
//!   directory). The package is the entry's `"name"` (npm writes it only when it differs from
//!   the directory name), else the name of the `node_modules/<name>` entry linking to that path
//!   (`"resolved": "packages/a", "link": true`), else the path's last component.
//! * [`FieldKind::Requirement`]: the copies of ranges in the `dependencies`,
//!   `devDependencies`, `peerDependencies` and `optionalDependencies` of `packages[""]`
//!   (key `packages[""].dependencies.b`) and of those member entries
//!   (key `packages["packages/a"].dependencies.b`).
//! * Lockfile v1, and v2's legacy `dependencies` section: a workspace member is a link,
//!   `"a": { "version": "file:packages/a", "requires": { "b": "^0.1.0" } }`. Its version is
//!   the path (nothing to bump), but `requires` copies the member's ranges (dev dependencies
//!   included): npm rewrites a stale copy, so each is a [`FieldKind::Requirement`] with key
//!   `dependencies["a"].requires.b`. The `requires` of registry packages are theirs, not
//!   ours: not reported.
//! * [`Note::Unsupported`]: a member version or a range written with escapes, or a range that
//!   is not a string.

use std::collections::HashMap;

use super::json_span::{self, join, Document, Member, Shallow, Value};
use super::package_json::{expected, name, own_string, read_dependencies, read_requirements};
use crate::error::EditorError;
use crate::fast_map::FastBuildHasher;
use crate::reading::{Field, FieldKind, Note, Reading};

/// The directory under which npm installs packages: entries below one are not members.
const NODE_MODULES: &str = "node_modules/";

pub fn read(text: &str) -> Result<Reading, EditorError> {
    // Depth 4: root → `packages` → entry → `dependencies`. An installed package's entry
    // (`node_modules/…`) is read only when it is a link (`"link": true`, and `resolved`):
    // the others are validated, not kept.
    let installed = Shallow {
        depth: 2,
        key: |key| key.contains(NODE_MODULES),
        keep: |_, members| members.iter().any(|m| m.key.is("link")),
    };
    let doc = json_span::parse_with(text, 4, Some(installed))?;
    let Some(members) = doc.object(&doc.root) else {
        return Err(EditorError::new(format!(
            "expected an object at the top level of `package-lock.json`, found {}",
            doc.root.value.describe()
        ))
        .at(doc.root.span.start));
    };
    let mut reading = Reading {
        name: name(text, members, "", "name")?,
        ..Reading::default()
    };
    if let Some(version) = json_span::get(text, members, "", "lockfileVersion")? {
        check_lockfile_version(text, version)?;
    }
    if let Some(version) = json_span::get(text, members, "", "version")? {
        let value = own_string(version, "version")?;
        reading.fields.push(Field::new(
            FieldKind::Version,
            "version",
            value.raw,
            value.span,
        ));
    }
    if let Some(packages) = json_span::get(text, members, "", "packages")? {
        read_packages(&doc, packages, &mut reading)?;
    }
    if let Some(dependencies) = json_span::get(text, members, "", "dependencies")? {
        read_legacy(&doc, dependencies, &mut reading)?;
    }
    reading.fields.sort_by_key(|field| field.span);
    Ok(reading)
}

fn check_lockfile_version(text: &str, member: &Member<'_>) -> Result<(), EditorError> {
    let Value::Number = member.value.value else {
        return Err(expected(
            "a number",
            "lockfileVersion",
            &member.value.value,
            member,
        ));
    };
    let written = member.value.span.slice(text);
    if matches!(written, "1" | "2" | "3") {
        Ok(())
    } else {
        Err(
            EditorError::new(format!("unsupported `lockfileVersion` `{written}`"))
                .at(member.value.span.start)
                .help("this tool reads npm lockfile versions 1, 2 and 3"),
        )
    }
}

/// The lockfile v2/v3 `packages` map.
fn read_packages(
    doc: &Document<'_>,
    packages: &Member<'_>,
    reading: &mut Reading,
) -> Result<(), EditorError> {
    let text = doc.text;
    let Some(entries) = doc.object(&packages.value) else {
        return Err(expected(
            "an object",
            "packages",
            &packages.value.value,
            packages,
        ));
    };
    json_span::check_unique(text, entries, |path| format!("packages[\"{path}\"]"))?;
    // Link targets: `"node_modules/a": { "resolved": "packages/a", "link": true }`.
    let mut links: HashMap<String, String, FastBuildHasher> = HashMap::default();
    let mut linked = Vec::new();
    for entry in entries {
        let path = entry.key.decoded();
        // Made only when needed: a lockfile has thousands of entries.
        let entry_key = || ["packages[\"", &path, "\"]"].concat();
        let Some(fields) = doc.object(&entry.value) else {
            if entry.value.value == Value::DeepObject {
                // An installed package that is not a link (see `installed` above).
                continue;
            }
            return Err(expected(
                "an object",
                &entry_key(),
                &entry.value.value,
                entry,
            ));
        };
        if path.is_empty() {
            let key = entry_key();
            if let Some(version) = json_span::get(text, fields, &key, "version")? {
                let key = join(&key, "version");
                let value = own_string(version, &key)?;
                reading
                    .fields
                    .push(Field::new(FieldKind::Version, key, value.raw, value.span));
            }
            read_dependencies(doc, fields, &key, reading)?;
        } else if let Some(installed) = installed_name(&path) {
            if let Some(target) = link_target(text, fields, &entry_key)? {
                links.insert(target, installed.to_string());
            }
        } else {
            let key = entry_key();
            linked.push((path, key, fields));
        }
    }
    for (path, key, fields) in linked {
        let package = match name(text, fields, &key, "name")? {
            Some(name) => name,
            None => match links.get(path.as_ref()) {
                Some(name) => name.clone(),
                None => path.rsplit('/').next().unwrap_or_default().to_string(),
            },
        };
        if let Some(version) = json_span::get(text, fields, &key, "version")? {
            let key = join(&key, "version");
            match &version.value.value {
                Value::String(value) if value.escaped => reading.notes.push(Note::Unsupported {
                    key,
                    reason: "the version is written with escape sequences".to_string(),
                    span: value.span,
                }),
                Value::String(value) => reading.fields.push(Field::new(
                    FieldKind::Locked { package },
                    key,
                    value.raw,
                    value.span,
                )),
                other => return Err(expected("a string", &key, other, version)),
            }
        }
        read_dependencies(doc, fields, &key, reading)?;
    }
    Ok(())
}

/// The name of the package installed at `path`, when `path` contains `node_modules/`: what
/// follows the last one (`node_modules/a/node_modules/@s/b` → `@s/b`).
// proof: `i` ranges over `0..bytes.len()`.
#[allow(clippy::indexing_slicing)]
fn installed_name(path: &str) -> Option<&str> {
    // A byte scan: `str::rfind` with a string pattern builds a searcher per call, and a
    // lockfile has thousands of paths.
    let bytes = path.as_bytes();
    let at = (0..bytes.len())
        .rev()
        .find(|&i| bytes[i] == b'n' && bytes[i..].starts_with(NODE_MODULES.as_bytes()))?;
    path.get(at + NODE_MODULES.len()..)
}

/// The `resolved` path of a `"link": true` entry (`key` names the entry in messages).
fn link_target(
    text: &str,
    fields: &[Member<'_>],
    key: &dyn Fn() -> String,
) -> Result<Option<String>, EditorError> {
    let Some(link) = json_span::get_with(text, fields, "link", || join(&key(), "link"))? else {
        return Ok(None);
    };
    if link.value.span.slice(text) != "true" {
        return Ok(None);
    }
    let resolved = json_span::get_with(text, fields, "resolved", || join(&key(), "resolved"))?;
    match resolved.map(|member| &member.value.value) {
        Some(Value::String(target)) => Ok(Some(target.decoded().into_owned())),
        _ => Ok(None),
    }
}

/// The legacy `dependencies` map of lockfile v1 and v2: the `requires` of linked members.
fn read_legacy(
    doc: &Document<'_>,
    dependencies: &Member<'_>,
    reading: &mut Reading,
) -> Result<(), EditorError> {
    let text = doc.text;
    let Some(entries) = doc.object(&dependencies.value) else {
        return Err(expected(
            "an object",
            "dependencies",
            &dependencies.value.value,
            dependencies,
        ));
    };
    json_span::check_unique(text, entries, |name| format!("dependencies[\"{name}\"]"))?;
    for entry in entries {
        let key = format!("dependencies[\"{}\"]", entry.key.decoded());
        let Some(fields) = doc.object(&entry.value) else {
            return Err(expected("an object", &key, &entry.value.value, entry));
        };
        let is_link = match json_span::get(text, fields, &key, "version")? {
            Some(Member {
                value:
                    json_span::Node {
                        value: Value::String(version),
                        ..
                    },
                ..
            }) => version.decoded().starts_with("file:"),
            _ => false,
        };
        if !is_link {
            continue;
        }
        if let Some(requires) = json_span::get(text, fields, &key, "requires")? {
            read_requirements(doc, requires, &join(&key, "requires"), reading)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
