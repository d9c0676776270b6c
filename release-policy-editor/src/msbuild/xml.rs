//! Checks before parsing, and roxmltree's errors in the tool's words.

use roxmltree::{Error, TextPos};

use crate::error::EditorError;

/// Refuse what cannot be edited as UTF-8 text: NUL bytes (a UTF-16 file read as bytes) and
/// an XML declaration naming a UTF-16 or UTF-32 encoding. Offsets are into `body`.
pub(super) fn preflight(body: &str) -> Result<(), EditorError> {
    if let Some(at) = body.find('\0') {
        return Err(EditorError::new(
            "the file contains NUL bytes: it looks like UTF-16, which cannot be edited",
        )
        .at(at)
        .help("re-save the file as UTF-8"));
    }
    check_encoding(body)
}

/// Refuse an XML declaration naming a UTF-16 or UTF-32 encoding.
pub(super) fn check_encoding(body: &str) -> Result<(), EditorError> {
    if let Some((encoding, at)) = declared_encoding(body) {
        let lower = encoding.to_ascii_lowercase();
        let wide = [
            "utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs-4", "unicode",
        ]
        .iter()
        .any(|prefix| lower.starts_with(prefix));
        if wide {
            return Err(EditorError::new(format!(
                "the XML declaration names the encoding `{encoding}`: only UTF-8 files can be edited"
            ))
            .at(at)
            .help("re-save the file as UTF-8 and write `encoding=\"utf-8\"` in the declaration"));
        }
    }
    Ok(())
}

/// The `encoding` of a leading `<?xml … ?>` declaration, and the offset of its value.
// proof: every cut is where `find`/`trim_start_matches` stopped, or after the ASCII quote just
// checked: character boundaries.
#[allow(clippy::string_slice)]
fn declared_encoding(body: &str) -> Option<(&str, usize)> {
    let rest = body.strip_prefix("<?xml")?;
    if !rest.starts_with(super::value::is_xml_space) {
        return None;
    }
    let declaration = &body[..body.find("?>")?];
    let mut from = 0;
    // The pseudo-attributes are `version`, `encoding` and `standalone`; `encoding` is the
    // one followed by `=` (after optional white space).
    while let Some(found) = declaration[from..].find("encoding") {
        let name_end = from + found + "encoding".len();
        let after = declaration[name_end..].trim_start_matches(super::value::is_xml_space);
        if let Some(after_eq) = after.strip_prefix('=') {
            let value = after_eq.trim_start_matches(super::value::is_xml_space);
            let quote = value.chars().next().filter(|&c| c == '"' || c == '\'')?;
            let inner = &value[1..];
            let len = inner.find(quote)?;
            let at = declaration.len() - inner.len();
            return Some((&inner[..len], at));
        }
        from = name_end;
    }
    None
}

/// A roxmltree error as an [`EditorError`] at its byte offset in `body`.
pub(super) fn parse_error(body: &str, error: &Error) -> EditorError {
    // roxmltree says "no root node" for a start tag cut short (`<Project`).
    let truncated = matches!(error, Error::NoRootNode)
        && !body.trim_end_matches(super::value::is_xml_space).is_empty()
        && !body
            .trim_end_matches(super::value::is_xml_space)
            .ends_with('>');
    let error = if truncated {
        &Error::UnexpectedEndOfStream
    } else {
        error
    };
    let (message, help) = describe(error);
    let offset = match error {
        Error::UnclosedRootNode | Error::UnexpectedEndOfStream => body.len(),
        _ => byte_offset(body, error.pos()),
    };
    let error = EditorError::new(format!("invalid XML: {message}")).at(offset);
    match help {
        Some(help) => error.help(help),
        None => error,
    }
}

fn describe(error: &Error) -> (String, Option<&'static str>) {
    const AMP: &str = "write `&amp;` for a literal `&`";
    match error {
        Error::UnexpectedCloseTag(expected, actual, _) => (
            format!("expected the end tag `</{expected}>`, found `</{actual}>`"),
            None,
        ),
        Error::UnknownEntityReference(name, _) => {
            (format!("unknown entity reference `&{name};`"), Some(AMP))
        }
        Error::MalformedEntityReference(_) => ("malformed entity reference".to_string(), Some(AMP)),
        Error::InvalidAttributeValue(_) => (
            "an attribute value contains `<`".to_string(),
            Some("write `&lt;` for a literal `<`"),
        ),
        Error::DuplicatedAttribute(name, _) => {
            (format!("the attribute `{name}` is repeated"), None)
        }
        Error::NoRootNode => (
            "the file has no root element".to_string(),
            Some("an MSBuild file is a `<Project>` element"),
        ),
        Error::UnclosedRootNode => (
            "the root element is never closed".to_string(),
            Some("end the file with `</Project>`"),
        ),
        Error::UnexpectedEndOfStream => ("unexpected end of file".to_string(), None),
        Error::DtdDetected => (
            "document type declarations (`<!DOCTYPE …>`) are not supported".to_string(),
            None,
        ),
        Error::InvalidComment(_) => ("a comment contains `--` or ends with `-`".to_string(), None),
        Error::UnknownNamespace(prefix, _) => {
            (format!("unknown namespace prefix `{prefix}`"), None)
        }
        Error::NonXmlChar(c, _) => (
            format!(
                "the character `{}` is not allowed in XML",
                c.escape_unicode()
            ),
            None,
        ),
        Error::InvalidChar(expected, actual, _) => (
            format!(
                "expected `{}`, found `{}`",
                char::from(*expected),
                char::from(*actual).escape_default()
            ),
            None,
        ),
        Error::InvalidChar2(expected, actual, _) => (
            format!(
                "expected {expected}, found `{}`",
                char::from(*actual).escape_default()
            ),
            None,
        ),
        Error::InvalidString(expected, _) => (format!("expected `{expected}`"), None),
        Error::InvalidName(_) => ("invalid name".to_string(), None),
        Error::UnknownToken(_) => (
            "unexpected text: expected a tag, a comment or the end of the file".to_string(),
            None,
        ),
        other => {
            // The remaining variants are rare; roxmltree's text names the position, which
            // the caller prints anyway.
            let text = other.to_string();
            let text = text.replace(&format!(" at {}", other.pos()), "");
            (text, None)
        }
    }
}

/// The byte offset of roxmltree's 1-based row and column (columns count characters).
// proof: `line_start` is 0 or one past a `\n` of `body`, so a character boundary.
#[allow(clippy::string_slice)]
fn byte_offset(body: &str, pos: TextPos) -> usize {
    let mut line_start = 0;
    for _ in 1..pos.row {
        match body[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return body.len(),
        }
    }
    body[line_start..]
        .char_indices()
        .nth(pos.col.saturating_sub(1) as usize)
        .map_or(body.len(), |(i, _)| line_start + i)
}
