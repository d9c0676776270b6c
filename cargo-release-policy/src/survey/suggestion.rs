//! A pattern entry `init` proposes, and its TOML.

use std::fmt::Write as _;

/// A pattern entry `init` proposes for a file that carries the version as text. Proposed,
/// never followed silently: `init` writes it commented out and lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    /// Relative to the root, with `/` separators.
    pub path: String,
    pub search: String,
    /// `None`: the default `semver`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    /// The version the file holds now.
    pub found: String,
    /// Why the entry looks as it does, when it needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

impl Suggestion {
    /// The entry as a TOML inline table.
    pub fn to_toml(&self) -> String {
        let mut out = format!(
            "{{ path = {}, search = {}",
            toml_string(&self.path),
            toml_string(&self.search)
        );
        if let Some(format) = self.format {
            let _ = write!(out, ", format = \"{format}\"");
        }
        out.push_str(" }");
        out
    }
}

/// A TOML string holding `text`: `"…"` when nothing needs escaping, else a literal string
/// (`'…'`) when it can be one, so that quotes read as written; else a basic string with
/// escapes.
pub fn toml_string(text: &str) -> String {
    let control = text.chars().any(char::is_control);
    if !control && !text.contains(['"', '\\']) {
        return format!("\"{text}\"");
    }
    if !control && !text.contains('\'') {
        return format!("'{text}'");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings() {
        assert_eq!(toml_string("Makefile"), "\"Makefile\"");
        assert_eq!(toml_string("a = \"{{version}}\""), "'a = \"{{version}}\"'");
        assert_eq!(toml_string("it's \"x\"\n"), "\"it's \\\"x\\\"\\n\"");
        for text in ["Makefile", "a = \"{{version}}\"", "it's \"x\"\n\t\\"] {
            let doc: toml_edit::DocumentMut = format!("s = {}", toml_string(text)).parse().unwrap();
            assert_eq!(doc["s"].as_str(), Some(text));
        }
    }
}
