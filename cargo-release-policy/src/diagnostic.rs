//! How an error is shown, whatever module it comes from: each module's error says where it
//! points (a [`Location`]) and how to fix it (a help line) through [`Diagnostic`], and
//! [`render`] is the one function that turns any of them into cargo's `error: …` text.

use std::borrow::Cow;
use std::fmt::{Display, Write as _};

use annotate_snippets::{AnnotationKind, Group as SnippetGroup, Level, Renderer, Snippet};

use crate::style::{BOLD, ERROR, NOTE, WARNING};
use release_policy_editor::text::Position;

/// What an error tells beyond its message.
pub(crate) trait Diagnostic: Display {
    /// The offending bytes of a file, when the error has a place.
    fn location(&self) -> Option<Location<'_>> {
        None
    }

    /// How to fix it, when there is something to say.
    fn help(&self) -> Option<String> {
        None
    }
}

/// An `error:`/`warning:` pointing into a file, rendered with the source line underlined.
#[derive(Debug, Clone)]
pub(crate) struct Location<'a> {
    /// The diagnostic's title: with a source line to show, it names the problem and the
    /// label says the rest.
    pub title: Cow<'a, str>,
    pub path: &'a str,
    pub text: &'a str,
    /// Byte offset and length of the offending bytes in `text`.
    pub offset: usize,
    pub len: usize,
    pub label: Cow<'a, str>,
}

impl Location<'_> {
    // proof: `offset` is floored to a character boundary of `text`; `line_start` is 0 or one past a
    // `\n` before it, and `line_end` a `\n` or the end after it.
    #[allow(clippy::string_slice)]
    pub(crate) fn render(&self, level: Level<'_>, help: Option<&str>) -> String {
        let text = self.text;
        // A parser may point inside a multi-byte character (a byte offset of its own
        // grammar): every slice below starts and ends on a character boundary, so that no
        // input can make the renderer panic.
        let offset = floor_boundary(text, self.offset.min(text.len()));
        let position = Position::of(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let mut line = text[line_start..line_end].trim_end_matches('\r');
        let mut start = offset - line_start;
        // The BOM is not part of line 1's columns (as `Position` counts them): the line is
        // shown without it, so the rendered column agrees with `show` and JSON.
        if line_start == 0 {
            if let Some(rest) = line.strip_prefix(BOM) {
                line = rest;
                start = start.saturating_sub(BOM.len());
            }
        }
        let start = floor_boundary(line, start.min(line.len()));
        let end = ceil_boundary(line, (start + self.len.max(1)).min(line.len().max(start)));
        let mut report = vec![level.primary_title(&*self.title).element(
            Snippet::source(line)
                .line_start(position.line)
                .path(self.path)
                .annotation(AnnotationKind::Primary.span(start..end).label(&*self.label)),
        )];
        if let Some(help) = help {
            report.push(SnippetGroup::with_title(Level::HELP.secondary_title(help)));
        }
        Renderer::styled().render(&report)
    }
}

const BOM: &str = "\u{feff}";

/// The nearest character boundary of `text` at or before `at` (`at <= text.len()`).
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The nearest character boundary of `text` at or after `at` (`at <= text.len()`).
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// An error as cargo prints it: with the source line when it has a place.
pub(crate) fn render(error: &dyn Diagnostic) -> String {
    let help = error.help();
    match error.location() {
        Some(at) => at.render(Level::ERROR, help.as_deref()),
        None => plain(&error.to_string(), help.as_deref()),
    }
}

/// An error without a source line, as cargo prints one: `error: …`, the lines after the
/// first indented (the orderings of a refused bump), then `help: …`.
pub(crate) fn plain(title: &str, help: Option<&str>) -> String {
    plain_as("error", ERROR, title, help)
}

/// [`plain`] as a `warning: …`.
pub(crate) fn plain_warning(title: &str, help: Option<&str>) -> String {
    plain_as("warning", WARNING, title, help)
}

/// [`plain`] as a `note: …` (something left out of the output, and how to see it).
pub(crate) fn plain_note(title: &str, help: Option<&str>) -> String {
    plain_as("note", NOTE, title, help)
}

fn plain_as(word: &str, style: anstyle::Style, title: &str, help: Option<&str>) -> String {
    let (first, rest) = title.split_once('\n').unwrap_or((title, ""));
    let mut out = format!("{style}{word}{style:#}{BOLD}: {first}{BOLD:#}\n");
    for line in rest.lines() {
        let _ = writeln!(out, "  {}", line.trim_start());
    }
    if let Some(help) = help {
        let _ = writeln!(out, "{NOTE}help{NOTE:#}: {help}");
    }
    out
}
