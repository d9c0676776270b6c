//! Any other file, through the pattern entries of the policy: `{ path = "Makefile", search =
//! "VERSION := {{version}}" }`.
//!
//! A [`Pattern`] is the `search` text split at its placeholders ([`Slot`]): `{{version}}`
//! (a version of the entry's format) at most once, and `{{major}}`, `{{minor}}`, `{{patch}}`
//! (numbers) at most once each, at least one in all, with literal text between them.
//! [`read`] finds every match of every pattern of a file: the literals in order, each slot a
//! token of its kind between them. A line break in a literal matches a line break (LF or
//! CRLF) followed by any indentation ([`literal`]). Each slot of a match is a [`Field`] of
//! kind [`FieldKind::Version`] whose span covers the token only, keyed `<search>[<n>]` for
//! the version and `<search>[<n>].major` (`.minor`, `.patch`) for a part (the `n`th match of
//! that search in the file, from 0): rewriting tokens never moves a match to another key.
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

mod literal;

use literal::Literal;

/// Where the version stands in a `search`.
pub const PLACEHOLDER: &str = "{{version}}";

/// What a placeholder of a `search` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// `{{version}}`: the version, spelled in the entry's format.
    Version,
    /// `{{major}}`: the major number.
    Major,
    /// `{{minor}}`: the minor number.
    Minor,
    /// `{{patch}}`: the patch number.
    Patch,
}

impl Slot {
    const ALL: [(Slot, &'static str); 4] = [
        (Slot::Version, "{{version}}"),
        (Slot::Major, "{{major}}"),
        (Slot::Minor, "{{minor}}"),
        (Slot::Patch, "{{patch}}"),
    ];

    /// The placeholder as written in a `search`.
    pub fn placeholder(self) -> &'static str {
        Slot::ALL
            .iter()
            .find(|(slot, _)| *slot == self)
            .map_or(PLACEHOLDER, |(_, text)| text)
    }

    /// The suffix of a match's key: none for the version, `.major` for the major number.
    pub fn key_suffix(self) -> &'static str {
        match self {
            Slot::Version => "",
            Slot::Major => ".major",
            Slot::Minor => ".minor",
            Slot::Patch => ".patch",
        }
    }
}

/// A `search` text ready to scan for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The `search` text as written in the policy.
    pub search: String,
    /// The placeholders, in order.
    pub slots: Vec<Slot>,
    /// The literal text around them: one more than the slots.
    literals: Vec<Literal>,
    /// The spelling `{{version}}` stands for.
    pub format: VersionFormat,
}

impl Pattern {
    /// Split `search` at its placeholders: `{{version}}`, spelled in `format`, at most once,
    /// `{{major}}`, `{{minor}}`, `{{patch}}` at most once each, and at least one of them.
    pub fn new(search: &str, format: VersionFormat) -> Result<Pattern, EditorError> {
        let refuse = |reason: String| {
            EditorError::new(format!("`{search}` {reason}")).help(
                "write the text around the version literally, with `{{version}}` where the \
                 version stands (or `{{major}}`, `{{minor}}`, `{{patch}}` where its numbers do)",
            )
        };
        let mut found: Vec<(usize, Slot)> = Vec::new();
        for (slot, text) in Slot::ALL {
            let count = search.matches(text).count();
            if count > 1 {
                return Err(refuse(format!(
                    "must contain `{text}` at most once, found {count}"
                )));
            }
            if let Some(at) = search.find(text) {
                found.push((at, slot));
            }
        }
        if found.is_empty() {
            return Err(refuse(format!(
                "must contain `{PLACEHOLDER}` exactly once (or `{{{{major}}}}`, `{{{{minor}}}}`, `{{{{patch}}}}`), found none"
            )));
        }
        found.sort_by_key(|&(at, _)| at);
        let mut literals = Vec::new();
        let mut from = 0;
        for &(at, slot) in &found {
            // Placeholders never overlap (each is a distinct `{{…}}` word), so `from <= at`.
            let text = search.get(from..at).unwrap_or_default();
            if from > 0 && text.is_empty() {
                return Err(refuse(
                    "has two placeholders with nothing between them: where one ends is unknown"
                        .to_string(),
                ));
            }
            literals.push(Literal::new(text));
            from = at + slot.placeholder().len();
        }
        literals.push(Literal::new(search.get(from..).unwrap_or_default()));
        Ok(Pattern {
            search: search.to_string(),
            slots: found.into_iter().map(|(_, slot)| slot).collect(),
            literals,
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

    /// The key of the `n`th match (from 0) of `slot`.
    pub fn key(&self, n: usize, slot: Slot) -> String {
        format!("{}[{n}]{}", self.display(), slot.key_suffix())
    }

    /// Which slot `key` is, if it is the key of one of this pattern's matches.
    pub fn slot_of(&self, key: &str) -> Option<Slot> {
        let rest = key.strip_prefix(&self.display())?.strip_prefix('[')?;
        let (n, suffix) = rest.split_once(']')?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.slots
            .iter()
            .copied()
            .find(|slot| slot.key_suffix() == suffix)
    }

    /// The placeholders of the search, in the order they appear: the spans of each match of
    /// [`Pattern::matches`] follow this order.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Whether `key` is the key of one of this pattern's matches.
    pub fn owns(&self, key: &str) -> bool {
        self.slot_of(key).is_some()
    }

    /// The spans of the tokens of every match in `text`, in order: one per slot each.
    pub fn matches(&self, text: &str) -> Vec<Vec<Span>> {
        let mut found = Vec::new();
        let mut from = 0;
        let Some(head) = self.literals.first() else {
            return found;
        };
        let first = head.first_line();
        while from <= text.len() {
            let Some(at) = text
                .get(from..)
                .and_then(|rest| rest.find(first))
                .map(|i| from + i)
            else {
                break;
            };
            match self.match_at(text, at) {
                Some((spans, end)) => {
                    found.push(spans);
                    // The next match starts after this one (and always moves forward).
                    from = end.max(at + 1);
                }
                None => from = at + 1,
            }
            while from < text.len() && !text.is_char_boundary(from) {
                from += 1;
            }
        }
        found
    }

    /// The match starting at `at`: the span of each slot's token, and where it ends.
    fn match_at(&self, text: &str, at: usize) -> Option<(Vec<Span>, usize)> {
        let head = self.literals.first()?;
        let mut pos = head.match_at(text, at)?;
        if head.is_empty() {
            // With nothing before it, a token must not continue a word.
            let continues_word = text
                .get(..pos)?
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii() && token_byte(self.format, c as u8));
            if continues_word {
                return None;
            }
        }
        let mut spans = Vec::with_capacity(self.slots.len());
        for (i, &slot) in self.slots.iter().enumerate() {
            // `new` writes one literal more than there are slots.
            let next = self.literals.get(i + 1)?;
            let (end, after) = match slot {
                Slot::Version => self.token_end(text, pos, next)?,
                _ => number_end(text, pos, next)?,
            };
            spans.push(Span::new(pos, end));
            pos = after;
        }
        Some((spans, pos))
    }

    /// The end of the version-shaped token starting at `start`, followed by `next`: the
    /// longest one, and the end of `next` after it.
    fn token_end(&self, text: &str, start: usize, next: &Literal) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        let run = bytes
            .get(start..)?
            .iter()
            .take_while(|&&b| token_byte(self.format, b))
            .count();
        let token = bytes.get(start..start + run)?;
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
            .filter(|&len| token.get(len - 1).is_some_and(u8::is_ascii_alphanumeric))
            .map(|len| start + len)
            .find_map(|end| next.match_at(text, end).map(|after| (end, after)))
    }
}

/// The end of the number starting at `start` (all its digits), followed by `next`, and the
/// end of `next` after it.
fn number_end(text: &str, start: usize, next: &Literal) -> Option<(usize, usize)> {
    let digits = text
        .as_bytes()
        .get(start..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let end = start + digits;
    next.match_at(text, end).map(|after| (end, after))
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
        for (n, spans) in pattern.matches(text).into_iter().enumerate() {
            for (span, &slot) in spans.into_iter().zip(&pattern.slots) {
                taken.push((span, pattern));
                reading.fields.push(Field::new(
                    FieldKind::Version,
                    pattern.key(n, slot),
                    span.slice(text),
                    span,
                ));
            }
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
