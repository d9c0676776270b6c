//! Any other file, through the pattern entries of the policy: `{ path = "Makefile", search =
//! "VERSION := {{version}}" }`.
//!
//! A [`Pattern`] is the `search` text split at its one placeholder: the literal text before
//! it, the literal text after it, and the format whose version-shaped tokens the placeholder
//! stands for. [`read`] finds every match of every pattern of a file: an occurrence of the
//! text before, then a version-shaped token of the format, then the text after. Each match
//! is a [`Field`] of kind [`FieldKind::Version`] whose span covers the token only, keyed
//! `<search>[<n>]` (the `n`th match of that search in the file, from 0): rewriting tokens
//! never moves a match to another key.
//!
//! A token is version-shaped when it starts with `N.N` and ends with a letter or digit; it
//! runs over the characters the format spells versions with (`semver`, `nuget`, `maven`:
//! letters, digits, `.`, `-`, `+`; `pep440` adds `_` and `!`; `rubygems`: letters, digits,
//! `.`, `-`; `assembly`: digits and `.`), as far as the text after the placeholder still
//! follows it. Whether the token is a *valid* version of the format, and the right one, is
//! the planner's question: a hand-edited `2.3.1x` is a match that has drifted, not a match
//! that disappeared. An occurrence of the text before that is not followed by a
//! version-shaped token is not a match. With nothing before the placeholder, a token must
//! not continue a word (`x1.2.3` holds no match).
//!
//! The scan is a plain substring search per pattern: no regular expression runs over the
//! file.

use policy_schema::VersionFormat;

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Reading};
use crate::text::Span;

/// Where the version stands in a `search`.
pub const PLACEHOLDER: &str = "{{version}}";

/// A `search` text ready to scan for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The `search` text as written in the policy.
    pub search: String,
    /// The literal text before the placeholder.
    pub before: String,
    /// The literal text after the placeholder.
    pub after: String,
    /// The spelling the placeholder stands for.
    pub format: VersionFormat,
}

impl Pattern {
    /// Split `search` at its one `{{version}}`, which stands for a version spelled in `format`.
    // proof: `at` is where `find` matched `{{version}}`: it and `at + PLACEHOLDER.len()` are
    // character boundaries of `search`.
    #[allow(clippy::string_slice)]
    pub fn new(search: &str, format: VersionFormat) -> Result<Pattern, EditorError> {
        let count = search.matches(PLACEHOLDER).count();
        let at = search.find(PLACEHOLDER).filter(|_| count == 1).ok_or_else(|| {
            EditorError::new(format!(
                "`{search}` must contain `{PLACEHOLDER}` exactly once, found {count}"
            ))
            .help("write the text around the version literally, with `{{version}}` where the version stands")
        })?;
        Ok(Pattern {
            search: search.to_string(),
            before: search[..at].to_string(),
            after: search[at + PLACEHOLDER.len()..].to_string(),
            format,
        })
    }

    /// The `search` text as shown in keys and messages: line breaks and tabs escaped.
    pub fn display(&self) -> String {
        self.search
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r")
            .replace('\t', "\\t")
    }

    /// The key of the `n`th match (from 0).
    pub fn key(&self, n: usize) -> String {
        format!("{}[{n}]", self.display())
    }

    /// Whether `key` is the key of one of this pattern's matches.
    pub fn owns(&self, key: &str) -> bool {
        key.strip_prefix(&self.display())
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }

    /// The spans of the version tokens of every match in `text`, in order.
    // proof: `from` is kept on a character boundary and read only while `from <= text.len()`;
    // `start` ends a match of `before`, so it is a character boundary too.
    #[allow(clippy::string_slice)]
    pub fn matches(&self, text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut from = 0;
        while from <= text.len() {
            let Some(at) = text[from..].find(&self.before).map(|i| from + i) else {
                break;
            };
            let start = at + self.before.len();
            let continues_word = self.before.is_empty()
                && text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii() && token_byte(self.format, c as u8));
            match (!continues_word)
                .then(|| self.token_end(text, start))
                .flatten()
            {
                Some(end) => {
                    spans.push(Span::new(start, end));
                    // The next match starts after this one (and always moves forward).
                    from = (end + self.after.len()).max(at + 1);
                }
                None => from = at + 1,
            }
            while from < text.len() && !text.is_char_boundary(from) {
                from += 1;
            }
        }
        spans
    }

    /// The end of the version-shaped token starting at `start`, followed by the text after
    /// the placeholder: the longest one.
    // proof: `start` is a character boundary of `text` (`matches`); the token is the ASCII run from
    // it, so `start + len` for `1 <= len <= run` is in `text` and on a character boundary.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    fn token_end(&self, text: &str, start: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let run = bytes[start..]
            .iter()
            .take_while(|&&b| token_byte(self.format, b))
            .count();
        let token = &bytes[start..start + run];
        // `N.N` at least.
        let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0
            || token.get(digits) != Some(&b'.')
            || !token.get(digits + 1)?.is_ascii_digit()
        {
            return None;
        }
        (digits + 2..=run)
            .rev()
            .filter(|&len| token[len - 1].is_ascii_alphanumeric())
            .map(|len| start + len)
            .find(|&end| text[end..].starts_with(&self.after))
    }
}

/// Whether `b` can be part of a version token of `format`.
fn token_byte(format: VersionFormat, b: u8) -> bool {
    match format {
        VersionFormat::Semver | VersionFormat::Nuget | VersionFormat::Maven => {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')
        }
        VersionFormat::Pep440 => {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b'_' | b'!')
        }
        VersionFormat::Rubygems => b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'),
        VersionFormat::Assembly => b.is_ascii_digit() || b == b'.',
    }
}

/// Every match of every pattern in `text`, as fields keyed by pattern and match number.
/// Two patterns that match one token, or one `search` listed twice, are refused: the token
/// would have two expected values.
// proof: `index` enumerates `patterns`; `windows(2)` yields pairs.
#[allow(clippy::indexing_slicing)]
pub fn read(text: &str, patterns: &[Pattern]) -> Result<Reading, EditorError> {
    let mut reading = Reading::default();
    // Every match with its pattern, to find two that overlap.
    let mut taken: Vec<(Span, &Pattern)> = Vec::new();
    for (index, pattern) in patterns.iter().enumerate() {
        if patterns[..index].iter().any(|p| p.search == pattern.search) {
            return Err(EditorError::new(format!(
                "the search `{}` is listed twice for this file",
                pattern.display()
            ))
            .help("list each search once per file"));
        }
        for (n, span) in pattern.matches(text).into_iter().enumerate() {
            taken.push((span, pattern));
            reading.fields.push(Field::new(
                FieldKind::Version,
                pattern.key(n),
                span.slice(text),
                span,
            ));
        }
    }
    // The matches of one pattern never overlap; sorted, two of different patterns that do
    // are next to each other.
    taken.sort_by_key(|(span, _)| (span.start, span.end));
    if let Some(pair) = taken.windows(2).find(|w| w[0].0.end > w[1].0.start) {
        let ((first, a), (second, b)) = (pair[0], pair[1]);
        return Err(EditorError::new(format!(
            "the searches `{}` and `{}` both match this version",
            a.display(),
            b.display(),
        ))
        .at(first.start.max(second.start))
        .help("make one of the searches longer, so that each version is matched once"));
    }
    Ok(reading)
}

#[cfg(test)]
mod tests;
