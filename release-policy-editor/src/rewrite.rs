//! Writing: the new values spliced into their spans, and the result read back.

use std::collections::HashSet;

use crate::error::EditorError;
use crate::fast_map::FastBuildHasher;
use crate::kind::FileKind;
use crate::reading::{Field, FieldKind, Reading};
use crate::text::{apply_splices, Splice};

/// Write `edits` (a field as read, and its new value) into `text`, then read the result back
/// with `kind`'s editor and check that each edited field holds its new value.
pub fn rewrite(
    kind: FileKind,
    text: &str,
    edits: &[(&Field, &str)],
) -> Result<String, EditorError> {
    rewrite_with(text, edits, |out| kind.read(out))
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
    use crate::reading::indexed;
    use crate::text::Span;

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
