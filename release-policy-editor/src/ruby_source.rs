//! The assignments of a Ruby source file, one per line, for the Ruby-syntax manifests
//! (`version.rb`, `*.gemspec`, `*.podspec`).
//!
//! Not a Ruby parser: a line scan that finds `target = value` statements at the start of a
//! line, where `target` is a constant or an attribute (`VERSION`, `s.version`,
//! `Foo::VERSION`), and tells a lone string literal (`"1.2.3"`, `'1.2.3'`, with `.freeze`
//! or a trailing comment) from anything else (`Foo::VERSION`, `[1, 2].join(".")`). It passes
//! over `=begin`/`=end` comments and heredoc bodies, so text in a description is never taken
//! for an assignment.

use crate::text::Span;

/// The right-hand side of an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rhs {
    /// A string literal: its bytes inside the quotes, and whether they hold an escape or an
    /// interpolation (then they are not its value).
    Literal { span: Span, escaped: bool },
    /// Anything else: the expression as written (up to a comment), and its span.
    Other { expression: String, span: Span },
}

/// `target = rhs` at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub target: String,
    pub rhs: Rhs,
}

/// Every assignment statement of `text` that starts a line.
pub(crate) fn assignments(text: &str) -> Vec<Assignment> {
    let mut out = Vec::new();
    let mut offset = 0;
    // The terminator of the heredoc being skipped, and whether it may be indented.
    let mut heredoc: Option<(String, bool)> = None;
    let mut in_comment = false;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if in_comment {
            in_comment = !line.starts_with("=end");
            continue;
        }
        if let Some((terminator, indented)) = &heredoc {
            let candidate = if *indented { line.trim() } else { line };
            if candidate == terminator {
                heredoc = None;
            }
            continue;
        }
        if line.starts_with("=begin") {
            in_comment = true;
            continue;
        }
        heredoc = heredoc_start(line);
        if let Some(assignment) = assignment(line, start) {
            out.push(assignment);
        }
    }
    out
}

/// `target = rhs` on `line` (at `start` in the text).
fn assignment(line: &str, start: usize) -> Option<Assignment> {
    let bytes = line.as_bytes();
    let from = bytes.iter().position(|b| !matches!(b, b' ' | b'\t'))?;
    let mut i = from;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':'))
    {
        i += 1;
    }
    let target = line.get(from..i)?;
    if target.is_empty() || !target.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let mut j = skip_blank(bytes, i);
    if bytes.get(j) != Some(&b'=') || matches!(bytes.get(j + 1), Some(b'=' | b'~' | b'>')) {
        return None;
    }
    j = skip_blank(bytes, j + 1);
    let literal = match bytes.get(j) {
        Some(&quote @ (b'"' | b'\'')) => literal(line, j, quote, start),
        _ => None,
    };
    let rhs = literal.or_else(|| {
        let end = comment_start(line, j).unwrap_or(line.len());
        let expression = line.get(j..end)?.trim_end();
        Some(Rhs::Other {
            expression: expression.to_string(),
            span: Span::new(start + j, start + j + expression.len()),
        })
    })?;
    Some(Assignment {
        target: target.to_string(),
        rhs,
    })
}

/// A lone string literal opening at `open` (`.freeze`, a comment or an `if`/`unless`
/// modifier may follow): its span inside the quotes.
fn literal(line: &str, open: usize, quote: u8, start: usize) -> Option<Rhs> {
    let bytes = line.as_bytes();
    let mut k = open + 1;
    let mut escaped = false;
    while *bytes.get(k)? != quote {
        if bytes.get(k) == Some(&b'\\') {
            escaped = true;
            k += 1;
        }
        if quote == b'"' && bytes.get(k) == Some(&b'#') && bytes.get(k + 1) == Some(&b'{') {
            escaped = true;
        }
        k += 1;
    }
    let mut rest = line.get(k + 1..)?.trim_start_matches([' ', '\t']);
    rest = rest.strip_prefix(".freeze").unwrap_or(rest).trim_start();
    let ends = rest.is_empty()
        || rest.starts_with('#')
        || rest.starts_with("if ")
        || rest.starts_with("unless ");
    ends.then(|| Rhs::Literal {
        span: Span::new(start + open + 1, start + k),
        escaped,
    })
}

/// Where a comment starts on `line`, at or after `from`, outside string literals.
fn comment_start(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = from;
    let mut quote: Option<u8> = None;
    while let Some(&byte) = bytes.get(i) {
        match (quote, byte) {
            (Some(_), b'\\') => i += 1,
            (Some(q), b) if b == q => quote = None,
            (None, b @ (b'"' | b'\'')) => quote = Some(b),
            (None, b'#') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// A heredoc opened on `line` (`<<~EOS`, `<<-EOS`, `<<EOS`, quoted or not): its terminator
/// and whether the terminator may be indented.
fn heredoc_start(line: &str) -> Option<(String, bool)> {
    let code = line.get(..comment_start(line, 0).unwrap_or(line.len()))?;
    let at = code.find("<<")?;
    let rest = code.get(at + 2..)?;
    let (indented, rest) = match rest.strip_prefix(['~', '-']) {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(['"', '\'', '`']);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let first_ok = name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_');
    (first_ok && !name.is_empty()).then_some((name, indented))
}

fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        i += 1;
    }
    i
}
