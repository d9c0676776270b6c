//! What `init` proposes for the version's numbers written on their own: a C header's
//! `#define SDK_VERSION_MAJOR 0` (with `_MINOR` and `_PATCH` of the same prefix), a Python
//! module's `__version_info__ = (0, 37, 0)`. Each becomes a search with `{{major}}`,
//! `{{minor}}`, `{{patch}}`.

use std::fmt::Write as _;

use super::suggestion::Suggestion;

const NOTE: &str = "the version's numbers: each follows the group's version";

/// `#define <P>_MAJOR n`, `<P>_MINOR n`, `<P>_PATCH n` at the start of lines, for the first
/// prefix `<P>` that has all three: one search per define.
pub(super) fn header_defines(text: &str) -> Vec<Suggestion> {
    let defines: Vec<(&str, &str, &str)> = text.lines().filter_map(define).collect();
    for &(name, _, _) in &defines {
        let Some(prefix) = name.strip_suffix("_MAJOR") else {
            continue;
        };
        let parts: Vec<Suggestion> = [("MAJOR", "major"), ("MINOR", "minor"), ("PATCH", "patch")]
            .iter()
            .filter_map(|(suffix, slot)| {
                let wanted = format!("{prefix}_{suffix}");
                defines
                    .iter()
                    .find(|(n, _, _)| *n == wanted)
                    .map(|&(_, line_head, value)| Suggestion {
                        path: String::new(),
                        search: format!("{line_head}{{{{{slot}}}}}"),
                        format: None,
                        found: value.to_string(),
                        note: Some(NOTE),
                    })
            })
            .collect();
        if parts.len() == 3 {
            return parts;
        }
    }
    Vec::new()
}

/// `#define NAME 12` as its name, the line up to the number, and the number.
// proof: every index is the length of an ASCII run counted from the start of a suffix of
// `line` (blanks, name bytes, digits) or the length of `line` minus such a suffix, so each is
// a character boundary within `line`.
#[allow(clippy::string_slice)]
fn define(line: &str) -> Option<(&str, &str, &str)> {
    let rest = line.strip_prefix("#define")?;
    let name_at = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let rest = &rest[name_at..];
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let (name, after) = rest.split_at(name_len);
    let value = after.trim_start_matches([' ', '\t']);
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    let tail = &value[digits..];
    if name.is_empty() || digits == 0 || !(tail.is_empty() || tail.starts_with([' ', '\t', '/'])) {
        return None;
    }
    let head_len = line.len() - value.len();
    Some((name, &line[..head_len], &value[..digits]))
}

/// `__version_info__ = (a, b, c)` at the start of a line, spaced as the file spaces it.
// proof: `open` and `close` are where `find` matched the ASCII `(` and `)`, `inner_at` is
// one byte past that `(` in `line` (the prefix is the ASCII `__version_info__`), and `lead`
// and `trail` cut each number at the ends of its trimmed whitespace: all character boundaries.
#[allow(clippy::string_slice)]
pub(super) fn version_info(text: &str) -> Option<Suggestion> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("__version_info__") else {
            continue;
        };
        let Some(open) = rest.find('(') else {
            continue;
        };
        if !rest[..open].trim_matches([' ', '\t', '=']).is_empty() {
            continue;
        }
        let inner_at = "__version_info__".len() + open + 1;
        let Some(close) = line[inner_at..].find(')').map(|i| i + inner_at) else {
            continue;
        };
        let numbers: Vec<&str> = line[inner_at..close].split(',').collect();
        if numbers.len() != 3 || numbers.iter().any(|n| n.trim().parse::<u64>().is_err()) {
            continue;
        }
        let mut search = line[..inner_at].to_string();
        let mut found = Vec::new();
        for (i, (n, slot)) in numbers.iter().zip(["major", "minor", "patch"]).enumerate() {
            let lead = &n[..n.len() - n.trim_start().len()];
            let trail = &n[n.trim_end().len()..];
            if i > 0 {
                search.push(',');
            }
            let _ = write!(search, "{lead}{{{{{slot}}}}}{trail}");
            found.push(n.trim());
        }
        search.push(')');
        return Some(Suggestion {
            path: String::new(),
            search,
            format: None,
            found: found.join("."),
            note: Some(NOTE),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_defines_with_all_three_numbers() {
        let header = "#define SDK_VERSION \"0.37.0\"\n#define SDK_VERSION_MAJOR 0\n#define SDK_VERSION_MINOR\t37\n#define SDK_VERSION_PATCH 0 /* patch */\n";
        let found: Vec<(String, String)> = header_defines(header)
            .into_iter()
            .map(|s| (s.search, s.found))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "#define SDK_VERSION_MAJOR {{major}}".to_string(),
                    "0".to_string()
                ),
                (
                    "#define SDK_VERSION_MINOR\t{{minor}}".to_string(),
                    "37".to_string()
                ),
                (
                    "#define SDK_VERSION_PATCH {{patch}}".to_string(),
                    "0".to_string()
                ),
            ]
        );
        // one missing, or not a number: nothing
        assert!(header_defines("#define A_MAJOR 1\n#define A_MINOR 2\n").is_empty());
        assert!(
            header_defines("#define A_MAJOR 1\n#define A_MINOR 2\n#define A_PATCH x\n").is_empty()
        );
        assert!(
            header_defines("#define A_MAJOR (1)\n#define A_MINOR 2\n#define A_PATCH 3\n")
                .is_empty()
        );
    }

    #[test]
    fn version_info_tuples() {
        let found =
            version_info("__version__ = \"0.37.0\"\n__version_info__ = (0, 37, 0)\n").unwrap();
        assert_eq!(
            found.search,
            "__version_info__ = ({{major}}, {{minor}}, {{patch}})"
        );
        assert_eq!(found.found, "0.37.0");
        let found = version_info("__version_info__=(1,2,3)").unwrap();
        assert_eq!(
            found.search,
            "__version_info__=({{major}},{{minor}},{{patch}})"
        );
        assert!(version_info("__version_info__ = tuple(__version__.split('.'))\n").is_none());
        assert!(version_info("__version_info__ = (1, 2)\n").is_none());
        assert!(version_info("x = (1, 2, 3)\n").is_none());
    }
}
