//! `package.json`: the package's `version` and its requirements on other packages.
//!
//! Reported:
//! * [`Reading::name`]: the top-level `"name"`.
//! * [`FieldKind::Version`], key `version`: the top-level `"version"`.
//! * [`FieldKind::Requirement`], key `<section>.<package>` (`dependencies.core`,
//!   `optionalDependencies.@napi/linux-x64`): every string value of `dependencies`,
//!   `devDependencies`, `peerDependencies` and `optionalDependencies`, as written (`^1.4.0`,
//!   `workspace:*`, `file:../x`, `npm:other@1`, `catalog:`…). The planner decides which to edit.
//! * [`Note::Unsupported`]: a requirement written with escapes (`"\u0031.0.0"`) or not a string.
//!
//! Refused, as npm's `JSON.parse` would: anything but strict JSON (comments, trailing commas).
//! Also refused, though npm takes the last one: a duplicate `name`, `version`, dependency
//! section or dependency, since an edit of the first would be silently ignored.

use super::json_span::{self, join, Document, JsonStr, Member, Value};
use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};

/// The maps of requirements on other packages, in `package.json` and in lockfile entries.
pub(crate) const DEPENDENCY_SECTIONS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

pub fn read(text: &str) -> Result<Reading, EditorError> {
    let doc = json_span::parse(text, 2)?;
    let Some(members) = doc.object(&doc.root) else {
        return Err(EditorError::new(format!(
            "expected an object at the top level of `package.json`, found {}",
            doc.root.value.describe()
        ))
        .at(doc.root.span.start));
    };
    let mut reading = Reading {
        name: name(text, members, "", "name")?,
        ..Reading::default()
    };
    if let Some(version) = json_span::get(text, members, "", "version")? {
        let value = own_string(version, "version")?;
        reading.fields.push(Field::new(
            FieldKind::Version,
            "version",
            value.raw,
            value.span,
        ));
    }
    read_dependencies(&doc, members, "", &mut reading)?;
    reading.fields.sort_by_key(|field| field.span);
    Ok(reading)
}

/// The string member `key` of `members` (decoded), for a name.
pub(crate) fn name(
    text: &str,
    members: &[Member<'_>],
    path: &str,
    key: &str,
) -> Result<Option<String>, EditorError> {
    let Some(member) = json_span::get(text, members, path, key)? else {
        return Ok(None);
    };
    match &member.value.value {
        Value::String(name) => Ok(Some(name.decoded().into_owned())),
        other => Err(expected("a string", &join(path, key), other, member)),
    }
}

/// The string value of `member`, a version the file owns: escapes are an error, since the
/// value cannot be edited in place.
pub(crate) fn own_string<'a>(member: &Member<'a>, key: &str) -> Result<JsonStr<'a>, EditorError> {
    match &member.value.value {
        Value::String(value) if value.escaped => Err(EditorError::new(format!(
            "`{key}` is written with escape sequences, which this tool does not edit"
        ))
        .at(value.quote())
        .help(format!(
            "write it without escapes: `\"{}\"`",
            value.decoded()
        ))),
        Value::String(value) => Ok(*value),
        other => Err(expected("a string", key, other, member)),
    }
}

/// The requirements in the dependency sections of the object `members`. `prefix` is the
/// object's key (`packages[""]`), empty for the top level.
pub(crate) fn read_dependencies(
    doc: &Document<'_>,
    members: &[Member<'_>],
    prefix: &str,
    reading: &mut Reading,
) -> Result<(), EditorError> {
    for section in DEPENDENCY_SECTIONS {
        let Some(member) = json_span::get(doc.text, members, prefix, section)? else {
            continue;
        };
        read_requirements(doc, member, &join(prefix, section), reading)?;
    }
    Ok(())
}

/// The requirements in `member`, a map from package names to ranges, at `path`.
pub(crate) fn read_requirements(
    doc: &Document<'_>,
    member: &Member<'_>,
    path: &str,
    reading: &mut Reading,
) -> Result<(), EditorError> {
    let Some(dependencies) = doc.object(&member.value) else {
        return Err(expected("an object", path, &member.value.value, member));
    };
    json_span::check_unique(doc.text, dependencies, |key| join(path, key))?;
    for dependency in dependencies {
        let package = dependency.key.decoded().into_owned();
        let key = [path, ".", &package].concat();
        match &dependency.value.value {
            Value::String(range) if range.escaped => reading.notes.push(Note::Unsupported {
                key,
                reason: "the requirement is written with escape sequences".to_string(),
                span: range.span,
            }),
            Value::String(range) => reading.fields.push(Field::new(
                FieldKind::Requirement { package },
                key,
                range.raw,
                range.span,
            )),
            other => reading.notes.push(Note::Unsupported {
                key,
                reason: format!("expected a string, found {}", other.describe()),
                span: dependency.value.span,
            }),
        }
    }
    Ok(())
}

/// ``expected a string for `version`, found a number``, at the value.
pub(crate) fn expected(
    what: &str,
    key: &str,
    found: &Value<'_>,
    member: &Member<'_>,
) -> EditorError {
    EditorError::new(format!(
        "expected {what} for `{key}`, found {}",
        found.describe()
    ))
    .at(member.value.span.start)
}

#[cfg(test)]
mod tests;
