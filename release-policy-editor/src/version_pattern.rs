//! hatch's version pattern, compiled.

use regex::{Regex, RegexBuilder};

use crate::error::EditorError;

/// hatch's `[tool.hatch.version] pattern`: a regular expression with a group named
/// `version`, compiled in multi-line mode as hatch compiles it (`re.MULTILINE`).
///
/// It runs on Rust's `regex` crate, which has Python's syntax for everything but
/// back-references (`\2`, `(?P=quote)`) and look-around (`(?=…)`, `(?<!…)`): a pattern using
/// those is refused, never approximated. Two patterns are equal when written alike.
#[derive(Debug, Clone)]
pub struct VersionPattern {
    /// The pattern as written.
    source: String,
    pub(crate) regex: Regex,
    /// The index of the `version` group.
    pub(crate) group: usize,
}

impl VersionPattern {
    /// Compile `source`. The error names `tool.hatch.version.pattern` and says how to fix it;
    /// the caller places it.
    pub fn new(source: &str) -> Result<VersionPattern, EditorError> {
        let shown = display(source);
        let regex = RegexBuilder::new(source)
            .multi_line(true)
            .build()
            .map_err(|e| {
                EditorError::new(format!(
                    "`tool.hatch.version.pattern` `{shown}` cannot be run: {}",
                    regex_reason(&e)
                ))
                .help(
                    "write the pattern without back-references (`\\2`, `(?P=name)`) or \
                     look-around (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`), which the tool's \
                     regular expressions (Rust's `regex` crate) do not have; e.g. match either \
                     quote with `['\"]`: `^__version__ = ['\"](?P<version>[^'\"]+)['\"]`",
                )
            })?;
        let group = regex
            .capture_names()
            .position(|name| name == Some("version"))
            .ok_or_else(|| {
                EditorError::new(format!(
                    "`tool.hatch.version.pattern` `{shown}` has no group named `version`"
                ))
                .help("hatch reads the version from the group named `version`: write it `(?P<version>…)`")
            })?;
        Ok(VersionPattern {
            source: source.to_string(),
            regex,
            group,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The pattern as shown in messages: line breaks and tabs escaped.
    pub fn display(&self) -> String {
        display(&self.source)
    }
}

impl PartialEq for VersionPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for VersionPattern {}

fn display(source: &str) -> String {
    source
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// What the `regex` crate says is wrong with a pattern, in one line (its syntax errors show
/// the pattern with a caret line, then `error: …`).
fn regex_reason(error: &regex::Error) -> String {
    match error {
        regex::Error::Syntax(text) => text
            .lines()
            .find_map(|line| line.strip_prefix("error: "))
            .unwrap_or(text)
            .to_string(),
        other => other.to_string(),
    }
}
