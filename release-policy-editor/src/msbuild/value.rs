//! What the text of an MSBuild property or metadata value is: a literal the tool can
//! rewrite in place, a `$(Prop)` reference to follow, or something it must not touch.
//!
//! A value is editable only when its raw bytes are its decoded text: no entity (`&amp;`,
//! `&#46;`), no CDATA, no comment, no MSBuild `%xx` escape. Leading and trailing
//! whitespace is layout (MSBuild trims attribute values; NuGet trims property values
//! before parsing a version), so a value is reported trimmed and its span covers only the
//! trimmed bytes: an edit keeps the layout around it.

use super::tree::{Attribute, Kind, Node};

use crate::text::Span;

/// A value, with spans into the text that was parsed (the BOM is not counted here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// Literal text, written exactly as `value` at `span`.
    Literal { value: String, span: Span },
    /// An empty self-closing element `<VersionSuffix />`. `span` covers the bytes between
    /// the element name (or its last attribute) and the final `>` (` /`); writing `v`
    /// replaces them with `open` + `v` + `close`, giving `<VersionSuffix>v</VersionSuffix>`.
    SelfClosing {
        span: Span,
        open: String,
        close: String,
    },
    /// Exactly `$(Prop)`.
    Reference { property: String, span: Span },
    /// Anything else: the reason, in words, and where.
    Unsupported { reason: String, span: Span },
}

/// XML white space.
pub(super) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The value of a property element or a metadata child element.
// proof: a node's range is a byte range of this `body` as its parser read it (the scanner, or
// roxmltree), so on character boundaries.
#[allow(clippy::string_slice)]
pub(super) fn element(body: &str, node: Node<'_, '_>) -> Value {
    let range = node.range();
    if let Some(other) = node.children().find(|child| !child.is_text()) {
        let reason = match other.kind() {
            Kind::Element { name, .. } => format!("contains the XML element `<{name}>`"),
            Kind::Comment => "contains an XML comment".to_string(),
            _ => "contains a processing instruction".to_string(),
        };
        return Value::Unsupported {
            reason,
            span: range.into(),
        };
    }
    let mut texts = node.children();
    match (texts.next(), texts.next()) {
        (None, _) => empty_element(body, node),
        (Some(text), None) => {
            let raw_range = text.range();
            let raw = &body[raw_range.clone()];
            let decoded = text.text().unwrap_or_default();
            let (trimmed, span) = trim(raw, raw_range.start);
            if trimmed != decoded.trim_matches(is_xml_space) {
                return Value::Unsupported {
                    reason: "is written with XML escapes (`&amp;`, `&#…;`) or CDATA".to_string(),
                    span: raw_range.into(),
                };
            }
            classify(trimmed, span)
        }
        (Some(_), Some(_)) => Value::Unsupported {
            reason: "is split into several pieces of text".to_string(),
            span: range.into(),
        },
    }
}

/// The value of an attribute (`Version="1.4.0"`).
// proof: an attribute's `value_range` is a byte range of this `body` as its parser read it (between
// ASCII quotes), so on character boundaries.
#[allow(clippy::string_slice)]
pub(super) fn attribute(body: &str, attribute: &Attribute<'_>) -> Value {
    let raw_range = attribute.value_range.clone();
    let raw = &body[raw_range.clone()];
    let (trimmed, span) = trim(raw, raw_range.start);
    if trimmed != attribute.value.trim_matches(is_xml_space) {
        return Value::Unsupported {
            reason: "is written with XML escapes (`&amp;`, `&#…;`)".to_string(),
            span: raw_range.into(),
        };
    }
    classify(trimmed, span)
}

/// `<X></X>` holds an empty value between its tags; `<X />` must be opened to hold one.
// proof: a node's range is a byte range of this `body` as its parser read it (the scanner, or
// roxmltree), so on character boundaries.
#[allow(clippy::string_slice)]
fn empty_element(body: &str, node: Node<'_, '_>) -> Value {
    let range = node.range();
    let raw = &body[range.clone()];
    if let Some(before_gt) = raw.strip_suffix("/>") {
        // `<X a="b" />`: the span is ` /`, from the end of the last attribute (its
        // closing quote) or of the name, up to the `>`.
        let kept = before_gt.trim_end_matches(is_xml_space).len();
        let start = range.start + kept;
        let end = range.start + before_gt.len() + 1;
        let name = qualified_name(raw);
        return Value::SelfClosing {
            span: Span::new(start, end),
            open: ">".to_string(),
            close: format!("</{name}"),
        };
    }
    // `<X></X>` (or `<X ></X >`): attribute values cannot hold `<`, so the last `</`
    // opens the end tag.
    let at = raw.rfind("</").map_or(range.end, |i| range.start + i);
    Value::Literal {
        value: String::new(),
        span: Span::at(at),
    }
}

/// The element name as written in its start tag (`VersionPrefix`, `msb:VersionPrefix`).
// proof: `end` is where `find` matched a character, or the length: a character boundary.
#[allow(clippy::string_slice)]
pub(super) fn qualified_name(raw_element: &str) -> &str {
    let after = raw_element.strip_prefix('<').unwrap_or(raw_element);
    let end = after
        .find(|c: char| is_xml_space(c) || c == '/' || c == '>')
        .unwrap_or(after.len());
    &after[..end]
}

/// `raw` without surrounding XML white space, and its span (`start` is `raw`'s offset).
/// An all-blank value is empty, at the end of the blanks.
fn trim(raw: &str, start: usize) -> (&str, Span) {
    let lead = raw.len() - raw.trim_start_matches(is_xml_space).len();
    let trimmed = raw.trim_matches(is_xml_space);
    (
        trimmed,
        Span::new(start + lead, start + lead + trimmed.len()),
    )
}

/// Sort literal text from MSBuild expressions.
fn classify(text: &str, span: Span) -> Value {
    // Expressions and escapes all need a `(` or a `%`: most values have neither.
    if !text.bytes().any(|b| b == b'(' || b == b'%') {
        return Value::Literal {
            value: text.to_string(),
            span,
        };
    }
    if let Some(property) = reference(text) {
        return Value::Reference {
            property: property.to_string(),
            span,
        };
    }
    if text.contains("$(") || text.contains("@(") || text.contains("%(") {
        return Value::Unsupported {
            reason: "mixes text and MSBuild expressions (`$(…)`, `@(…)`, `%(…)`)".to_string(),
            span,
        };
    }
    if has_escape(text) {
        return Value::Unsupported {
            reason: "contains an MSBuild escape (`%xx`)".to_string(),
            span,
        };
    }
    Value::Literal {
        value: text.to_string(),
        span,
    }
}

/// `Prop` when `text` is exactly `$(Prop)` (a plain property name, no property function).
pub(super) fn reference(text: &str) -> Option<&str> {
    let name = text.strip_prefix("$(")?.strip_suffix(')')?;
    is_property_name(name).then_some(name)
}

/// An MSBuild property name: an XML name made of ASCII letters, digits, `_` and `-`,
/// starting with a letter or `_`.
pub(super) fn is_property_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// MSBuild unescapes `%xx` (two hex digits) in values.
// proof: `windows(3)` yields slices of three bytes.
#[allow(clippy::indexing_slicing)]
fn has_escape(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}
