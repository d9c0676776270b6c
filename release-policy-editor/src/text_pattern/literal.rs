//! The literal text of a `search`, matched line by line: a line break in the search matches a
//! line break in the file (LF or CRLF) followed by any indentation, so one search fits files
//! indented differently (two `pom.xml` of one repository).

/// A literal of a search, split at its line breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Literal {
    /// The first line, matched exactly; then each later line, its own indentation dropped.
    lines: Vec<String>,
}

impl Literal {
    pub(crate) fn new(text: &str) -> Literal {
        let mut lines = text.split('\n');
        let first = lines.next().unwrap_or_default();
        // A CRLF written in the search is a line break like LF.
        let mut out = vec![first.strip_suffix('\r').unwrap_or(first).to_string()];
        for line in lines {
            let line = line.strip_suffix('\r').unwrap_or(line);
            out.push(line.trim_start_matches([' ', '\t']).to_string());
        }
        // A `\r` alone at the very end (no `\n` after it) is text.
        if !text.ends_with('\n') && text.ends_with('\r') {
            if let Some(last) = out.last_mut() {
                last.push('\r');
            }
        }
        Literal { lines: out }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self.lines.as_slice(), [only] if only.is_empty())
    }

    /// The first line: what a scan for candidates looks for.
    pub(crate) fn first_line(&self) -> &str {
        // `new` always pushes the first line.
        self.lines.first().map_or("", String::as_str)
    }

    /// The end of this literal matched at `at` in `text`, if it matches there.
    pub(crate) fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        let mut pos = at;
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                let rest = text.get(pos..)?;
                let after_break = rest
                    .strip_prefix("\r\n")
                    .or_else(|| rest.strip_prefix('\n'))?;
                let indented = after_break.trim_start_matches([' ', '\t']);
                pos = text.len() - indented.len();
            }
            if !text.get(pos..)?.starts_with(line.as_str()) {
                return None;
            }
            pos += line.len();
        }
        Some(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::Literal;

    #[track_caller]
    fn case(search: &str, text: &str, at: usize, expected: Option<usize>) {
        assert_eq!(
            Literal::new(search).match_at(text, at),
            expected,
            "{search:?} in {text:?}"
        );
    }

    #[test]
    fn line_breaks_match_any_indentation() {
        let search = "<artifactId>p</artifactId>\n<version>";
        case(
            search,
            "<artifactId>p</artifactId>\n  <version>",
            0,
            Some(38),
        );
        case(
            search,
            "<artifactId>p</artifactId>\r\n\t\t<version>",
            0,
            Some(39),
        );
        case(search, "<artifactId>p</artifactId>\n<version>", 0, Some(36));
        // the search's own indentation does not have to be the file's
        case("a\n    b", "a\n\tb", 0, Some(4));
        // a line break must be there
        case(search, "<artifactId>p</artifactId>  <version>", 0, None);
        case(search, "<artifactId>p</artifactId>\n\n<version>", 0, None);
        case("a\r\nb", "a\nb", 0, Some(3));
        case("", "xyz", 1, Some(1));
        assert!(Literal::new("").is_empty());
        assert!(!Literal::new("\n").is_empty());
    }
}
