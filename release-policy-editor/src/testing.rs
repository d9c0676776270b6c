//! Test support shared by the editors' unit and property tests: the checks every format makes
//! (a refusal where expected, an edit that changed only its spans) here, and per family the
//! generators of random files with the checks they share: [`json`] (the npm editors) and
//! [`toml`] (the TOML-family editors and `__version__` files).

pub(crate) mod json;
pub(crate) mod toml;

use crate::error::EditorError;
use crate::reading::{Field, Reading};
use crate::text::Span;

/// An editor's `read`.
pub(crate) type Read = fn(&str) -> Result<Reading, EditorError>;

/// `input` is refused with exactly `message`, at `position` (`line:column`).
#[track_caller]
pub(crate) fn assert_refused(read: Read, input: &str, message: &str, position: &str) {
    let Err(error) = read(input) else {
        panic!("{input:?} must be refused with {message:?}");
    };
    assert_eq!(error.message, message, "{input:?}");
    let at = error
        .position(input)
        .unwrap_or_else(|| panic!("{message:?} has no position"));
    assert_eq!(
        at.to_string(),
        position,
        "position of {message:?} in {input:?}"
    );
}

/// `input` is refused with a message that contains `message`, at `line`:`column`.
#[track_caller]
pub(crate) fn assert_refused_at(
    read: Read,
    input: &str,
    line: usize,
    column: usize,
    message: &str,
) {
    let err = read(input).unwrap_err();
    let pos = err.position(input).unwrap();
    assert!(err.message.contains(message), "{err:?}");
    assert_eq!((pos.line, pos.column), (line, column), "{err:?}");
}

/// The span and new value of each edit, for [`assert_only_edited`].
pub(crate) fn spans<'v>(edits: &[(&Field, &'v str)]) -> Vec<(Span, &'v str)> {
    edits.iter().map(|(f, v)| (f.span, *v)).collect()
}

/// `output` is `input` with each `(span, value)` edit applied and nothing else changed.
#[track_caller]
pub(crate) fn assert_only_edited(input: &str, output: &str, edits: &[(Span, &str)]) {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(span, _)| *span);
    let (mut at_in, mut at_out) = (0, 0);
    for (span, value) in &edits {
        let same = &input[at_in..span.start];
        assert_eq!(
            &output[at_out..at_out + same.len()],
            same,
            "bytes before {span:?} changed"
        );
        at_out += same.len();
        assert_eq!(
            &output[at_out..at_out + value.len()],
            *value,
            "edit at {span:?}"
        );
        at_out += value.len();
        at_in = span.end;
    }
    assert_eq!(
        &output[at_out..],
        &input[at_in..],
        "bytes after the last edit changed"
    );
}
