//! Dart's `pubspec.lock`: the version recorded for each package that comes from a path (a
//! package of the repository).
//!
//! Fields: for every entry of `packages` whose `source` is `path`, its `version`
//! ([`FieldKind::Locked`], key `packages.<name>.version`). Hosted, git and SDK packages are
//! not read: a bump changes only the path packages' versions, nothing else in the file.

use crate::error::EditorError;
use crate::pubspec::push_entry;
use crate::reading::{FieldKind, Reading};
use crate::yaml_span::{self, Value};

/// Read a `pubspec.lock`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let doc = yaml_span::parse(text)?;
    let mut reading = Reading::default();
    let Some((packages, _)) = doc.child(None, "packages") else {
        return Ok(reading);
    };
    for (index, package) in doc.children(Some(packages)) {
        let is_path = matches!(
            doc.child(Some(index), "source").map(|(_, e)| &e.value),
            Some(Value::Scalar { value, .. }) if value == "path"
        );
        if !is_path {
            continue;
        }
        if let Some((_, version)) = doc.child(Some(index), "version") {
            let key = format!("packages.{}.version", package.key);
            let kind = FieldKind::Locked {
                package: package.key.clone(),
            };
            push_entry(&version.value, &key, kind, &mut reading);
        }
    }
    Ok(reading)
}

#[cfg(test)]
mod tests;
