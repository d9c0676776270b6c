//! A small reader of YAML block mappings that reports byte spans, for the YAML manifests
//! (`pubspec.yaml`, `pubspec.lock`, Helm's `Chart.yaml`).
//!
//! It reads only what those files keep their versions in: block mappings (`key: value`, one
//! per line, nested by indentation) whose values are plain, single- or double-quoted scalars
//! on the key's line. Everything else is passed over without being read: sequences (`- …`),
//! flow collections (`{…}`, `[…]`, across lines too), block scalars (`|`, `>`) and multi-line
//! scalars, comments, a `%YAML` directive and one leading `---`. A value of that kind under
//! a key the caller asks for is [`Value::Unsupported`], never guessed.
//!
//! It refuses (an error at the line and column, with the fix) what it cannot edit safely:
//! several documents in one file, anchors (`&a`), aliases (`*a`) and merge keys (`<<`),
//! whose values are shared with other places, a document that is a flow mapping, and a tab
//! in an indentation. The text is never re-serialized: callers splice the spans.

use crate::error::EditorError;
use crate::text::{strip_bom, Span};

/// A value on a key's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// Nothing after the colon (a nested mapping or sequence may follow, or null).
    Nested,
    /// A scalar that the bytes of `span` spell exactly (plain, or quoted without escapes).
    Scalar { value: String, span: Span },
    /// A value that is not a one-line scalar spelled by its bytes: why, and where.
    Unsupported { reason: String, span: Span },
}

/// One `key: value` line of a block mapping, or one `- ` sequence item (key `-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub indent: usize,
    pub key: String,
    /// Where the key starts (for messages).
    pub key_offset: usize,
    pub value: Value,
    /// The entry this one is nested in, by index.
    pub parent: Option<usize>,
}

/// The block-mapping entries of a YAML document, in file order.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub entries: Vec<Entry>,
}

impl Document {
    /// The entries directly under `parent` (`None`: the top level).
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = (usize, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.parent == parent && e.key != "-")
    }

    /// The first entry `key` directly under `parent`.
    pub fn child(&self, parent: Option<usize>, key: &str) -> Option<(usize, &Entry)> {
        self.children(parent).find(|(_, e)| e.key == key)
    }
}

/// A refusal at `offset`.
fn refuse(offset: usize, message: impl Into<String>, help: &str) -> EditorError {
    EditorError::new(message).at(offset).help(help)
}

/// What the scan is inside of, across lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Within {
    /// Nothing: a line starts a new entry (or is deeper than the last scalar: skipped).
    Block,
    /// A flow collection, this deep.
    Flow(usize),
    /// A quoted scalar, by its quote.
    Quoted(u8),
}

/// Read the entries of `text` (a BOM allowed). See the module documentation.
pub(crate) fn parse(text: &str) -> Result<Document, EditorError> {
    let (body, bom) = strip_bom(text);
    let mut scan = Scan {
        doc: Document::default(),
        stack: Vec::new(),
        within: Within::Block,
        skip_deeper: None,
        started: false,
        ended: false,
    };
    let mut offset = 0;
    for raw in body.split_inclusive('\n') {
        let line_start = bom + offset;
        offset += raw.len();
        scan.line(raw.trim_end_matches(['\n', '\r']), line_start)?;
    }
    Ok(scan.doc)
}

/// The state of the scan between lines.
struct Scan {
    doc: Document,
    /// Open entries by indentation: (indent, index).
    stack: Vec<(usize, usize)>,
    within: Within,
    /// Lines deeper than this belong to the value of the entry before (a block scalar, a
    /// multi-line plain scalar): skipped. With the entry whose value they continue.
    skip_deeper: Option<(usize, Option<usize>)>,
    /// A document has started (a `---` or content).
    started: bool,
    /// The document has ended (`...`).
    ended: bool,
}

impl Scan {
    fn line(&mut self, line: &str, line_start: usize) -> Result<(), EditorError> {
        match self.within {
            Within::Flow(depth) => {
                self.within = scan_flow(line, line_start, depth, None)?;
                return Ok(());
            }
            Within::Quoted(quote) => {
                let closed = closing_quote(line.as_bytes(), 0, quote)
                    .and_then(|end| line.split_at_checked(end + 1));
                self.within = match closed {
                    Some((head, after)) => scan_flow(after, line_start + head.len(), 0, None)?,
                    None => Within::Quoted(quote),
                };
                return Ok(());
            }
            Within::Block => {}
        }
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            return Ok(());
        }
        if content.starts_with('\t') {
            return Err(refuse(
                line_start + indent,
                "a tab in the indentation",
                "indent YAML with spaces only",
            ));
        }
        if let Some((deeper, entry)) = self.skip_deeper {
            if indent > deeper {
                if let Some(entry) = entry.and_then(|index| self.doc.entries.get_mut(index)) {
                    continues(entry);
                }
                return Ok(());
            }
            self.skip_deeper = None;
        }
        if indent == 0 && self.marker(line, line_start)? {
            return Ok(());
        }
        if self.ended {
            return Err(refuse(
                line_start,
                "content after the end of the YAML document (`...`)",
                "keep one document per file: the tool edits one",
            ));
        }
        self.started = true;
        self.entry(content, indent, line, line_start)
    }

    /// A document marker (`---`, `...`) or a directive at column 0: whether `line` is one.
    fn marker(&mut self, line: &str, line_start: usize) -> Result<bool, EditorError> {
        if line.starts_with('%') {
            return Ok(true);
        }
        let Some(rest) = line
            .strip_prefix("---")
            .or_else(|| line.strip_prefix("..."))
        else {
            return Ok(false);
        };
        if !(rest.is_empty() || rest.starts_with([' ', '\t', '#'])) {
            return Ok(false);
        }
        if line.starts_with("...") {
            self.ended = true;
        } else if self.started || self.ended {
            return Err(refuse(
                line_start,
                "a second YAML document in the file",
                "keep one document per file: the tool edits one",
            ));
        }
        self.started = true;
        Ok(true)
    }

    /// A line that starts an entry (`key: value`, `- item`) at `indent`.
    fn entry(
        &mut self,
        content: &str,
        indent: usize,
        line: &str,
        line_start: usize,
    ) -> Result<(), EditorError> {
        while self.stack.last().is_some_and(|&(i, _)| i >= indent) {
            self.stack.pop();
        }
        let parent = self.stack.last().map(|&(_, index)| index);
        let at = line_start + indent;
        if let Some(item) = content
            .strip_prefix('-')
            .filter(|item| item.is_empty() || item.starts_with([' ', '\t']))
        {
            // A sequence item: what it holds is not read (its lines nest under it).
            self.doc.entries.push(Entry {
                indent,
                key: "-".to_string(),
                key_offset: at,
                value: Value::Nested,
                parent,
            });
            self.stack.push((indent, self.doc.entries.len() - 1));
            self.within = scan_flow(item, at + 1, 0, Some(at + 1))?;
            return Ok(());
        }
        if indent == 0 && content.starts_with(['{', '[']) {
            return Err(refuse(
                at,
                "the document is a flow collection (`{…}` or `[…]`)",
                "write the document as a block mapping, one `key: value` per line",
            ));
        }
        let Some((key, after_colon)) = key_of(content) else {
            // Not a `key:` line (a complex key, a bare scalar): its value is not read.
            self.within = scan_flow(content, at, 0, None)?;
            return Ok(());
        };
        if key == "<<" {
            return Err(refuse(
                at,
                "a YAML merge key (`<<`)",
                "write the merged keys out: a merge key shares values the tool would edit in one place only",
            ));
        }
        let (value, next) = value_of(line, indent + after_colon, line_start)?;
        self.within = next;
        let is_scalar = !matches!(value, Value::Nested);
        self.doc.entries.push(Entry {
            indent,
            key: key.to_string(),
            key_offset: at,
            value,
            parent,
        });
        let index = self.doc.entries.len() - 1;
        if is_scalar {
            self.skip_deeper = Some((indent, Some(index)));
        } else {
            self.stack.push((indent, index));
        }
        Ok(())
    }
}

/// A value that goes on past its line is not the bytes of its span.
fn continues(entry: &mut Entry) {
    if let Value::Scalar { span, .. } = entry.value {
        entry.value = Value::Unsupported {
            reason: "the value goes on over the next lines".to_string(),
            span,
        };
    }
}

/// `key` and the offset just after its colon, for a `key:` line; quoted keys without escapes.
fn key_of(content: &str) -> Option<(&str, usize)> {
    let bytes = content.as_bytes();
    if let Some(&quote @ (b'"' | b'\'')) = bytes.first() {
        let end = closing_quote(bytes, 1, quote)?;
        let key = content.get(1..end)?;
        if key.contains(['\\', '\'']) {
            return None;
        }
        let rest = content.get(end + 1..)?;
        let colon = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        return (rest.as_bytes().get(colon) == Some(&b':')
            && is_separator(rest.as_bytes().get(colon + 1)))
        .then_some((key, end + 1 + colon + 1));
    }
    if content.starts_with([
        '?', '#', '&', '*', '!', '|', '>', '{', '[', '"', '\'', '%', '@', '`',
    ]) {
        return None;
    }
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && is_separator(bytes.get(i + 1)) {
            let key = content.get(..i)?.trim_end_matches([' ', '\t']);
            return Some((key, i + 1));
        }
        if b == b'#' && after_blank(bytes, i) {
            return None;
        }
    }
    None
}

fn is_separator(byte: Option<&u8>) -> bool {
    matches!(byte, None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// Whether the byte before `i` is a blank (not at the start).
fn after_blank(bytes: &[u8], i: usize) -> bool {
    i.checked_sub(1)
        .and_then(|before| bytes.get(before))
        .is_some_and(|b| matches!(b, b' ' | b'\t'))
}

/// The offset of the quote closing a scalar opened before `from` (`''` in a single-quoted
/// one, `\"` in a double-quoted one, skipped).
fn closing_quote(bytes: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut i = from;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' if quote == b'"' => i += 2,
            b if b == quote => {
                if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The value starting at `line[at..]` (after the colon), and what the next line is inside.
fn value_of(line: &str, at: usize, line_start: usize) -> Result<(Value, Within), EditorError> {
    // proof: `at` is just after the ASCII `:` that `key_of` found (`entry` adds the indent of
    // ASCII spaces), and `start` is after ASCII blanks from it: character boundaries of `line`.
    #[allow(clippy::string_slice)]
    let rest = &line[at..];
    let start = at + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    // proof: see above.
    #[allow(clippy::string_slice)]
    let rest = &line[start..];
    let offset = line_start + start;
    let unsupported = |reason: &str, end: usize| Value::Unsupported {
        reason: reason.to_string(),
        span: Span::new(offset, line_start + end),
    };
    let bytes = rest.as_bytes();
    match bytes.first() {
        None | Some(b'#') => Ok((Value::Nested, Within::Block)),
        Some(&b @ (b'&' | b'*')) => Err(anchor(offset, b)),
        Some(&quote @ (b'"' | b'\'')) => match closing_quote(bytes, 1, quote) {
            Some(end) => {
                // proof: `rest` opens with the ASCII quote and `end` (at least 1) is where
                // `closing_quote` matched the ASCII quote closing it, so `1`, `end` and `end + 1`
                // are character boundaries.
                #[allow(clippy::string_slice)]
                let (inner, after) = (&rest[1..end], &rest[end + 1..]);
                let within = scan_flow(after, offset + end + 1, 0, None)?;
                let trailing = after.trim_start_matches([' ', '\t']);
                if !(trailing.is_empty() || trailing.starts_with('#')) {
                    return Ok((
                        unsupported("text follows the quoted value", line.len()),
                        within,
                    ));
                }
                let escaped = if quote == b'"' {
                    inner.contains('\\')
                } else {
                    inner.contains('\'')
                };
                let span = Span::new(offset + 1, offset + end);
                let value = if escaped {
                    Value::Unsupported {
                        reason: format!(
                            "the string `{inner}` has an escape; write the version without one"
                        ),
                        span,
                    }
                } else {
                    Value::Scalar {
                        value: inner.to_string(),
                        span,
                    }
                };
                Ok((value, within))
            }
            None => Ok((
                unsupported("a quoted value over several lines", line.len()),
                Within::Quoted(quote),
            )),
        },
        Some(b'{' | b'[') => {
            let within = scan_flow(rest, offset, 0, None)?;
            Ok((unsupported("a flow collection", line.len()), within))
        }
        Some(b'|' | b'>') => Ok((unsupported("a block scalar", line.len()), Within::Block)),
        Some(b'!') => Ok((
            unsupported("a tagged value (`!…`)", line.len()),
            Within::Block,
        )),
        Some(_) => {
            // A plain scalar: up to a comment, trailing blanks not included.
            let mut end = rest.len();
            for (i, pair) in rest.as_bytes().windows(2).enumerate() {
                if let [b' ' | b'\t', b'#'] = pair {
                    end = i;
                    break;
                }
            }
            // proof: `end` is `rest.len()` or the index of an ASCII blank, a character boundary.
            #[allow(clippy::string_slice)]
            let value = rest[..end].trim_end_matches([' ', '\t']);
            let span = Span::new(offset, offset + value.len());
            Ok((
                Value::Scalar {
                    value: value.to_string(),
                    span,
                },
                Within::Block,
            ))
        }
    }
}

fn anchor(offset: usize, byte: u8) -> EditorError {
    let what = if byte == b'&' {
        "a YAML anchor (`&…`)"
    } else {
        "a YAML alias (`*…`)"
    };
    refuse(
        offset,
        what,
        "write the value out in full: an anchored or aliased value is shared with other places, \
         which one edit would not keep in step",
    )
}

/// Scan `text` (from `offset`) for flow brackets and quotes, starting `depth` deep; refuse an
/// anchor or alias at the start of a node. `node` is where a node starts, if at once (after
/// `- `). What the next line is inside.
fn scan_flow(
    text: &str,
    offset: usize,
    mut depth: usize,
    node: Option<usize>,
) -> Result<Within, EditorError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // At the start of a node: after a bracket, a comma, `- `, `: ` or the start of `text`
    // when `node` says so.
    let mut at_node = node.is_some() || depth > 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'#' if i == 0 || after_blank(bytes, i) => return Ok(flow(depth)),
            b'"' | b'\'' => match closing_quote(bytes, i + 1, b) {
                Some(end) => {
                    i = end + 1;
                    at_node = false;
                    continue;
                }
                None => return Ok(Within::Quoted(b)),
            },
            b'&' | b'*' if at_node => return Err(anchor(offset + i, b)),
            b'[' | b'{' => {
                depth += 1;
                at_node = true;
                i += 1;
                continue;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' => {
                at_node = true;
                i += 1;
                continue;
            }
            b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                at_node = true;
                i += 1;
                continue;
            }
            b'-' if at_node && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                i += 1;
                continue;
            }
            _ => {}
        }
        at_node = false;
        i += 1;
    }
    Ok(flow(depth))
}

fn flow(depth: usize) -> Within {
    if depth == 0 {
        Within::Block
    } else {
        Within::Flow(depth)
    }
}

#[cfg(test)]
mod tests;
