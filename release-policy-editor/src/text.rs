//! Byte spans, line/column positions and splicing over a file's text.
//!
//! Every editor reports the values it understands as [`Span`]s into the *original* text
//! (a UTF-8 BOM included), and every rewrite is a set of [`Splice`]s applied by
//! [`apply_splices`]: bytes outside the spans are copied unchanged, so an edit can never
//! re-indent, re-order or re-encode a file.

use std::fmt;

/// The UTF-8 byte order mark.
pub const BOM: &str = "\u{feff}";

/// A half-open byte range `start..end` into a file's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    /// An empty span at `offset`: a splice there inserts text.
    pub fn at(offset: usize) -> Self {
        Span::new(offset, offset)
    }

    /// The same span moved `by` bytes to the right (used to undo a stripped BOM).
    #[must_use]
    pub fn shift(self, by: usize) -> Self {
        Span::new(self.start + by, self.end + by)
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text this span covers.
    ///
    /// # Panics
    /// When the span is not on character boundaries of `text` (an editor bug).
    // proof: spans are made by the editors from the text they read, on character boundaries (see
    // `# Panics`); every caller passes a span with the text it was read from.
    #[allow(clippy::string_slice)]
    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column. Columns count characters (not bytes); a leading BOM is
/// not counted, as editors and compilers show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` of `text`. Offsets past the end clamp to the end.
    // proof: `offset` is clamped to `text` and moved back to a character boundary; `line_start` is
    // 0 or one past a `\n`.
    #[allow(clippy::string_slice)]
    pub fn of(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut column_text = &before[line_start..];
        if line_start == 0 {
            column_text = column_text.strip_prefix(BOM).unwrap_or(column_text);
        }
        Position {
            line,
            column: column_text.chars().count() + 1,
        }
    }
}

/// Newline counts of a text by 4 KiB block, to turn many offsets into [`Position`]s
/// without scanning the text from its start each time (a lockfile has thousands of
/// fields). Built in one pass that the compiler vectorizes.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// `newlines[i]`: how many `\n` are in the first `i * BLOCK` bytes.
    newlines: Vec<usize>,
}

const BLOCK: usize = 4096;

/// The `\n` bytes in `bytes`, eight at a time.
fn count_newlines(bytes: &[u8]) -> usize {
    const LOW: u64 = u64::from_le_bytes([0x7f; 8]);
    const NEWLINES: u64 = u64::from_le_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        // A byte of `x` is zero where the byte was `\n`; the high bit of each byte of
        // `nonzero` is set where that byte of `x` is not zero (no carry crosses bytes).
        let x = u64::from_le_bytes(word) ^ NEWLINES;
        let nonzero = ((x & LOW) + LOW) | x;
        count += (!nonzero & !LOW).count_ones() as usize;
    }
    // The last 0 to 7 bytes.
    for &b in chunks.remainder() {
        count += usize::from(b == b'\n');
    }
    count
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut newlines = Vec::with_capacity(text.len() / BLOCK + 2);
        let mut total = 0;
        newlines.push(0);
        for block in text.as_bytes().chunks(BLOCK) {
            total += count_newlines(block);
            newlines.push(total);
        }
        LineIndex { newlines }
    }

    /// The position of byte `offset` of `text` (the text this index was built from):
    /// the same as [`Position::of`].
    // proof: `offset` is clamped to `text` and moved back to a character boundary; `newlines` has
    // an entry per 4 KiB block of the text it was built from (the same text, as documented) plus
    // one, so `offset / BLOCK` is one of them; `line_start` is 0 or one past a `\n`.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let block = offset / BLOCK;
        let line =
            self.newlines[block] + count_newlines(&text.as_bytes()[block * BLOCK..offset]) + 1;
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let mut column_text = &before[line_start..];
        if line_start == 0 {
            column_text = column_text.strip_prefix(BOM).unwrap_or(column_text);
        }
        Position {
            line,
            column: column_text.chars().count() + 1,
        }
    }
}

/// Positions of offsets into one text asked mostly in increasing order (the fields of a file,
/// as its editor reports them): each scans only the bytes since the previous one, so a
/// file's positions cost one pass over it, without building an index. An offset before
/// the previous one starts again from the top of the text. Gives what [`Position::of`]
/// gives.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineCursor {
    /// The last offset asked (on a character boundary).
    offset: usize,
    /// The `\n` bytes before `offset`.
    newlines: usize,
    /// Where the line holding `offset` starts.
    line_start: usize,
}

impl LineCursor {
    /// The position of byte `offset` of `text` (the same text at every call).
    // proof: `offset` is clamped to `text` and moved back to a character boundary; the cursor
    // restarts when it would go backwards, so `self.offset <= offset`, and `line_start` is 0 or one
    // past a `\n` before it.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    pub fn position(&mut self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = LineCursor::default();
        }
        let between = &text.as_bytes()[self.offset..offset];
        if let Some(last) = between.iter().rposition(|&b| b == b'\n') {
            self.newlines += count_newlines(&between[..last]) + 1;
            self.line_start = self.offset + last + 1;
        }
        self.offset = offset;
        let mut column_text = &text[self.line_start..offset];
        if self.line_start == 0 {
            column_text = column_text.strip_prefix(BOM).unwrap_or(column_text);
        }
        Position {
            line: self.newlines + 1,
            column: column_text.chars().count() + 1,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Replace the bytes of `span` with `replacement` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub span: Span,
    pub replacement: String,
}

impl Splice {
    pub fn new(span: Span, replacement: impl Into<String>) -> Self {
        Splice {
            span,
            replacement: replacement.into(),
        }
    }
}

/// Two splices that touch the same bytes: an editor bug, never a user error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error: overlapping edits at bytes {first:?} and {second:?}")]
pub struct OverlapError {
    pub first: Span,
    pub second: Span,
}

/// Apply `splices` to `text`. Splices may come in any order; they must not overlap
/// (two insertions at the same offset are applied in the order given).
// proof: after sorting, each splice starts at or after the previous one's end (checked above), and
// splices are made from spans an editor read from this same text, so every cut is in order, in
// `text` and on a character boundary.
#[allow(clippy::string_slice)]
pub fn apply_splices(text: &str, mut splices: Vec<Splice>) -> Result<String, OverlapError> {
    splices.sort_by_key(|s| (s.span.start, s.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    let mut previous: Option<Span> = None;
    for splice in &splices {
        if let Some(prev) = previous {
            if splice.span.start < prev.end || (splice.span == prev && !prev.is_empty()) {
                return Err(OverlapError {
                    first: prev,
                    second: splice.span,
                });
            }
        }
        out.push_str(&text[cursor..splice.span.start]);
        out.push_str(&splice.replacement);
        cursor = splice.span.end;
        previous = Some(splice.span);
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// Split a leading UTF-8 BOM off `text`: returns the text after it and the BOM's length
/// (0 or 3), to add back to spans found in the stripped text.
pub fn strip_bom(text: &str) -> (&str, usize) {
    match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    }
}

/// The line ending a file mostly uses, for the rare edit that inserts a line.
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn pos(text: &str, offset: usize, line: usize, column: usize) {
        assert_eq!(Position::of(text, offset), Position { line, column });
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, offset), Position { line, column });
    }

    #[test]
    fn counts_newlines_across_words() {
        let text = "a\nb\n\n\u{e9}\n\n\n\n\n\n\n\nxyz\n".repeat(700);
        assert_eq!(
            count_newlines(text.as_bytes()),
            text.bytes().filter(|&b| b == b'\n').count()
        );
        let index = LineIndex::new(&text);
        let mut cursor = LineCursor::default();
        for offset in (0..text.len()).step_by(97) {
            assert_eq!(index.position(&text, offset), Position::of(&text, offset));
            assert_eq!(cursor.position(&text, offset), Position::of(&text, offset));
        }
    }

    proptest::proptest! {
        /// The line index gives what scanning from the start gives, at every offset.
        #[test]
        fn line_index_agrees(text in "(\u{feff})?([a-zé\\r\\n]{0,12}\\n?){0,6}") {
            let index = LineIndex::new(&text);
            for offset in 0..=text.len() + 2 {
                proptest::prop_assert_eq!(index.position(&text, offset), Position::of(&text, offset));
            }
        }

        /// The cursor gives what scanning from the start gives, for offsets in any order.
        #[test]
        fn line_cursor_agrees(
            text in "(\u{feff})?([a-zé\\r\\n]{0,12}\\n?){0,6}",
            offsets in proptest::collection::vec(0..120usize, 0..12),
        ) {
            let mut cursor = LineCursor::default();
            for offset in offsets {
                proptest::prop_assert_eq!(cursor.position(&text, offset), Position::of(&text, offset));
            }
        }
    }

    #[test]
    fn positions() {
        pos("abc", 0, 1, 1);
        pos("abc", 2, 1, 3);
        pos("a\nbc", 3, 2, 2);
        pos("a\r\nbc", 3, 2, 1);
        pos("\u{feff}abc", 3, 1, 1);
        pos("\u{feff}abc", 4, 1, 2);
        pos("é=x", 3, 1, 3);
        pos("abc", 99, 1, 4);
    }

    #[test]
    fn line_index_agrees_with_position() {
        for text in [
            "",
            "abc",
            "a\nbc\n",
            "a\r\nbc",
            "\u{feff}a\né=x\n\n",
            "\n\u{feff}x",
        ] {
            let index = LineIndex::new(text);
            let mut cursor = LineCursor::default();
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.position(text, offset),
                    Position::of(text, offset),
                    "{text:?} at {offset}"
                );
                assert_eq!(
                    cursor.position(text, offset),
                    Position::of(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn splices_keep_other_bytes() {
        let text = "a = \"1.0.0\" # c\r\nb = \"1.0.0\"";
        let out = apply_splices(
            text,
            vec![
                Splice::new(Span::new(22, 27), "2.0.0"),
                Splice::new(Span::new(5, 10), "2.0.0"),
            ],
        )
        .unwrap();
        assert_eq!(out, "a = \"2.0.0\" # c\r\nb = \"2.0.0\"");
    }

    #[test]
    fn overlapping_splices_are_refused() {
        let err = apply_splices(
            "abcdef",
            vec![
                Splice::new(Span::new(0, 3), "x"),
                Splice::new(Span::new(2, 4), "y"),
            ],
        )
        .unwrap_err();
        assert_eq!(err.first, Span::new(0, 3));
    }

    #[test]
    fn insertions() {
        let out = apply_splices("ac", vec![Splice::new(Span::at(1), "b")]).unwrap();
        assert_eq!(out, "abc");
    }

    #[test]
    fn bom() {
        assert_eq!(strip_bom("\u{feff}x"), ("x", 3));
        assert_eq!(strip_bom("x"), ("x", 0));
    }
}
