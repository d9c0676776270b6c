//! Just enough PEP 508 to find the version specifier of a requirement string:
//! `name [extras] (specifier | @ url) [; marker]`.

use std::ops::Range;

/// A requirement's package name and version specifier, as byte ranges into the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub name: Range<usize>,
    /// The specifier (`==1.4.0`, `>=1, <2`), without surrounding whitespace or parentheses;
    /// `None` for a bare name, a URL requirement, or a name with only a marker.
    pub specifier: Option<Range<usize>>,
}

/// Parse `text` as a PEP 508 requirement. The error says what was expected.
// proof: `end` stays in `start + 1..=i`, and `i` passed only bytes `get` saw; every cut of `text`
// is at an ASCII byte found with `get`/`find` (`[`, `]`, `(`, `)`, an operator, `;`) or at its end,
// so on a character boundary.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
pub(crate) fn parse(text: &str) -> Result<Requirement, String> {
    let bytes = text.as_bytes();
    let mut i = skip_ws(bytes, 0);
    let start = i;
    if !bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        return Err("expected a package name".to_string());
    }
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        i += 1;
    }
    // A name ends with a letter or digit.
    let mut end = i;
    while end > start && !bytes[end - 1].is_ascii_alphanumeric() {
        end -= 1;
    }
    if end != i {
        return Err("expected a package name ending with a letter or digit".to_string());
    }
    let name = start..end;
    i = skip_ws(bytes, i);
    if bytes.get(i) == Some(&b'[') {
        let Some(close) = text[i..].find(']') else {
            return Err("expected `]` after the extras".to_string());
        };
        i = skip_ws(bytes, i + close + 1);
    }
    let specifier = match bytes.get(i) {
        None | Some(b';' | b'@') => None,
        Some(b'(') => {
            let Some(close) = text[i..].find(')') else {
                return Err("expected `)` after the version specifier".to_string());
            };
            let inner = trim(text, i + 1..i + close);
            check_specifier(&text[inner.clone()])?;
            let after = skip_ws(bytes, i + close + 1);
            if !matches!(bytes.get(after), None | Some(b';')) {
                return Err("expected `;` or the end after the version specifier".to_string());
            }
            Some(inner)
        }
        Some(b'<' | b'>' | b'=' | b'!' | b'~') => {
            let stop = text[i..].find(';').map_or(text.len(), |j| i + j);
            let range = trim(text, i..stop);
            check_specifier(&text[range.clone()])?;
            Some(range)
        }
        Some(_) => {
            return Err(
                "expected a version specifier (`==1.0`), `[extras]`, `@ url` or `; marker` after the name"
                    .to_string(),
            )
        }
    };
    Ok(Requirement {
        name,
        specifier: specifier.filter(|r| !r.is_empty()),
    })
}

/// Each comma-separated clause is an operator then a version.
// proof: `version` is a suffix of `clause` left by `trim_start_matches`, so the cut is a character
// boundary.
#[allow(clippy::string_slice)]
fn check_specifier(spec: &str) -> Result<(), String> {
    for clause in spec.split(',') {
        let clause = clause.trim();
        let version = clause.trim_start_matches(['<', '>', '=', '!', '~']);
        let operator = &clause[..clause.len() - version.len()];
        if !matches!(
            operator,
            "<" | "<=" | ">" | ">=" | "==" | "!=" | "~=" | "==="
        ) {
            return Err(format!("expected a comparison operator in `{clause}`"));
        }
        let version = version.trim_start();
        if version.is_empty()
            || !version.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'*' | b'+' | b'!' | b'-' | b'_')
            })
        {
            return Err(format!("expected a version in `{clause}`"));
        }
    }
    Ok(())
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        i += 1;
    }
    i
}

// proof: callers pass ranges that start after and end at ASCII bytes of `text` (`(`, `)`, an
// operator, `;`, the end), and `trim_start`/`trim_end` stop at character boundaries.
#[allow(clippy::string_slice)]
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[track_caller]
    fn case(text: &str, name: &str, spec: Option<&str>) {
        let r = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(&text[r.name], name, "{text}");
        assert_eq!(r.specifier.map(|s| &text[s]), spec, "{text}");
    }

    #[test]
    fn requirements() {
        case("core==1.4.0", "core", Some("==1.4.0"));
        case("core", "core", None);
        case("  core  ", "core", None);
        case("core >=1,<2", "core", Some(">=1,<2"));
        case("core == 1.4.0 ", "core", Some("== 1.4.0"));
        case("core[extra]==1.0", "core", Some("==1.0"));
        case("core [a, b] ~= 1.0", "core", Some("~= 1.0"));
        case("core==1.0; python_version < \"3.9\"", "core", Some("==1.0"));
        case(
            "core ==1.0 ; sys_platform == 'win32'",
            "core",
            Some("==1.0"),
        );
        case("core (==1.0)", "core", Some("==1.0"));
        case(
            "core(>=1.0, <2) ; os_name == 'nt'",
            "core",
            Some(">=1.0, <2"),
        );
        case("core @ https://example.com/core.whl", "core", None);
        case("core; python_version < '3.9'", "core", None);
        case(
            "core.io_x-y===1.0+local",
            "core.io_x-y",
            Some("===1.0+local"),
        );
        case("core!=1.0.*", "core", Some("!=1.0.*"));
        case("Core_Lib>=1.0.0rc1", "Core_Lib", Some(">=1.0.0rc1"));
    }

    #[test]
    fn invalid() {
        assert!(parse("").is_err());
        assert!(parse("==1.0").is_err());
        assert!(parse("core- ==1").is_err());
        assert!(parse("core 1.0").is_err());
        assert!(parse("core[extra ==1").is_err());
        assert!(parse("core => 1").is_err());
        assert!(parse("core ==").is_err());
        assert!(parse("core (==1.0").is_err());
    }
}
