//! Pattern entries for a file that holds the version as text: the `search` derived from
//! where the leader's version stands in it, and the check that an entry holds the leader's
//! version everywhere it matches (so that `check` passes right after `init`).

use policy_schema::VersionFormat;
use release_policy_editor::text_pattern::{Pattern, Slot, PLACEHOLDER};
use release_policy_version::{Comparison, Spelling, Version};

/// The longest text before the version a derived search keeps: a long line of prose is cut
/// at a space.
const MAX_BEFORE: usize = 60;

/// Whether `path` is a Python file (or a file of Python's packaging) whose version is spelled
/// as PEP 440 by default.
fn pythonic(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    std::path::Path::new(name)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("py") || ext.eq_ignore_ascii_case("pyi"))
        || name == "setup.cfg"
}

/// The format a version found in `path` is written in, inferred from how it is spelled there:
/// SemVer text (`1.2.0-beta.1`, with a `-`) is `semver` even in a Python file (its tests then
/// compare it with the Cargo spelling); other versions in Python files are `pep440`.
pub fn infer_format(path: &str, found: &str) -> VersionFormat {
    if pythonic(path) && !found.contains('-') {
        VersionFormat::Pep440
    } else {
        VersionFormat::Semver
    }
}

/// The search text for the version token at `start..end` of `text`: the line's text before
/// it (from its first non-blank character), the placeholder, and a closing quote when one
/// follows.
// proof: `start..end` is a version token the caller found in `text` (a match of the leader's
// spelling, a pattern's span, an editor's field): both are char boundaries; `line_start` is 0
// or one past a `\n`; `cut` is moved to a char boundary; `i + 1` is past an ASCII space.
#[allow(clippy::string_slice)]
pub fn search_at(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut before = text[line_start..start].trim_start();
    if before.len() > MAX_BEFORE {
        let cut = before.len() - MAX_BEFORE;
        let cut = (cut..before.len())
            .find(|&i| before.is_char_boundary(i))
            .unwrap_or(cut);
        let tail = &before[cut..];
        before = tail.find(' ').map_or(tail, |i| &tail[i + 1..]);
    }
    let quote = text[end..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''))
        .map(String::from)
        .unwrap_or_default();
    format!("{before}{PLACEHOLDER}{quote}")
}

/// The searches for every distinct line of `text` that spells `leader` in a format (the
/// format preferred for `path` first) as a whole token, on lines `line` matches when given.
// proof: `at` is where `match_indices` found `spelled` and `end` where that match ends;
// `line_start` is 0 or one past a `\n`, `line_end` a `\n` or the end: all char boundaries.
#[allow(clippy::string_slice)]
pub fn derive(
    path: &str,
    text: &str,
    leader: &Version,
    line: Option<&regex::Regex>,
) -> Option<(Vec<String>, VersionFormat)> {
    let formats = if pythonic(path) {
        [VersionFormat::Pep440, VersionFormat::Semver]
    } else {
        [VersionFormat::Semver, VersionFormat::Pep440]
    };
    for format in formats {
        let Ok(spelled) = Spelling::default().render(leader, crate::plan::format_ecosystem(format))
        else {
            continue;
        };
        let mut searches: Vec<String> = Vec::new();
        for (at, _) in text.match_indices(&spelled) {
            let end = at + spelled.len();
            let word = |c: char| c.is_ascii_alphanumeric() || c == '.';
            // `v1.2.0` (a tag) is the version too; `xv1.2.0` is not.
            let before = text[..at].strip_suffix(['v', 'V']).unwrap_or(&text[..at]);
            if before.chars().next_back().is_some_and(word)
                || text[end..].chars().next().is_some_and(word)
            {
                continue;
            }
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            if line.is_some_and(|re| !re.is_match(&text[line_start..line_end])) {
                continue;
            }
            let search = search_at(text, at, end);
            if !searches.contains(&search) {
                searches.push(search);
            }
        }
        if !searches.is_empty() {
            return Some((searches, format));
        }
    }
    None
}

/// Whether the pattern entry `search` (in `format`) holds `leader` everywhere it matches in
/// `text`, at least once: the number of matches and their spans, or why not.
// proof: each span is a token `Pattern::matches` found in this same `text`: a run of ASCII
// bytes between char boundaries.
#[allow(clippy::string_slice)]
pub fn verify(
    text: &str,
    search: &str,
    format: VersionFormat,
    leader: &Version,
) -> Result<Vec<release_policy_editor::text::Span>, String> {
    let pattern = Pattern::new(search, format).map_err(|e| e.to_string())?;
    let Some(slot) = pattern.slots().iter().position(|s| *s == Slot::Version) else {
        return Err("its search has no `{{version}}` to compare".to_string());
    };
    // Only the version's own token is compared: `init` writes searches with `{{version}}`.
    let spans: Vec<_> = pattern
        .matches(text)
        .into_iter()
        .filter_map(|found| found.get(slot).copied())
        .collect();
    if spans.is_empty() {
        return Err("its search matches nothing in the file".to_string());
    }
    let ecosystem = crate::plan::format_ecosystem(format);
    for span in &spans {
        let found = &text[span.start..span.end];
        match Spelling::default().compare(leader, found, ecosystem) {
            Comparison::Same | Comparison::Equivalent => {}
            Comparison::Invalid(_) => return Err(format!("`{found}` is not a version")),
            Comparison::Different => {
                return Err(format!("holds {found}, not {leader}: its own version"));
            }
        }
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use release_policy_version::Labels;

    fn version(text: &str) -> Version {
        Version::parse(text, &Labels::builtin()).unwrap()
    }

    #[track_caller]
    fn case(
        path: &str,
        text: &str,
        leader: &str,
        line: Option<&str>,
        expected: Option<(&[&str], &str)>,
    ) {
        let line = line.map(|l| regex::Regex::new(l).unwrap());
        let found = derive(path, text, &version(leader), line.as_ref());
        let found = found.as_ref().map(|(s, f)| {
            (
                s.iter().map(String::as_str).collect::<Vec<_>>(),
                super::super::format_name(*f),
            )
        });
        assert_eq!(found, expected.map(|(s, f)| (s.to_vec(), f)), "{text}");
    }

    #[test]
    fn derived_searches() {
        case(
            "a/__init__.py",
            "__version__ = \"1.2.0\"\n",
            "1.2.0",
            None,
            Some((&["__version__ = \"{{version}}\""], "pep440")),
        );
        case(
            "a/_version.py",
            "VERSION = '1.2.0rc1'\n",
            "1.2.0-rc.1",
            None,
            Some((&["VERSION = '{{version}}'"], "pep440")),
        );
        case(
            "README.md",
            "pip install hp==1.2.0-rc.1\n",
            "1.2.0-rc.1",
            None,
            Some((&["pip install hp=={{version}}"], "semver")),
        );
        case(
            "x.h",
            "  #define HP_VERSION \"1.2.0\" // x\n#define HP_VERSION_MAJOR 1\n",
            "1.2.0",
            None,
            Some((&["#define HP_VERSION \"{{version}}\""], "semver")),
        );
        case("x.txt", "11.2.0 and 1.2.01\n", "1.2.0", None, None);
        case(
            "x.txt",
            "a 1.2.0\nb 1.2.0 # x-release-please-version\n",
            "1.2.0",
            Some("x-release-please-version"),
            Some((&["b {{version}}"], "semver")),
        );
        case(
            "x.txt",
            "a = 1.2.0\nb = 1.2.0\n",
            "1.2.0",
            None,
            Some((&["a = {{version}}", "b = {{version}}"], "semver")),
        );
        case(
            "x.txt",
            "1.2.0\n",
            "1.2.0",
            None,
            Some((&["{{version}}"], "semver")),
        );
        // A tag's `v` prefix is no word; a longer word before the `v` is.
        case(
            "x.md",
            "  rev: v1.2.0\nav1.2.0\n",
            "1.2.0",
            None,
            Some((&["rev: v{{version}}"], "semver")),
        );
    }

    #[test]
    fn long_lines_are_cut_at_a_space() {
        let text = format!("{} install it with hp==1.0.0\n", "word ".repeat(30));
        let at = text.find("1.0.0").unwrap();
        let search = search_at(&text, at, at + 5);
        assert!(search.len() <= MAX_BEFORE + PLACEHOLDER.len(), "{search}");
        assert!(
            search.starts_with("word ") && search.ends_with("hp=={{version}}"),
            "{search}"
        );
    }

    #[test]
    fn verified() {
        let leader = version("1.2.0-beta.1");
        assert!(verify(
            "v = \"1.2.0b1\"\n",
            "v = \"{{version}}\"",
            VersionFormat::Pep440,
            &leader
        )
        .is_ok());
        assert!(verify(
            "v = \"1.2.0-beta.1\"\n",
            "v = \"{{version}}\"",
            VersionFormat::Semver,
            &leader
        )
        .is_ok());
        let other = verify(
            "v = \"1.1.0\"\n",
            "v = \"{{version}}\"",
            VersionFormat::Semver,
            &leader,
        );
        assert!(other.unwrap_err().contains("holds 1.1.0"));
        assert!(verify(
            "w = 1\n",
            "v = \"{{version}}\"",
            VersionFormat::Semver,
            &leader
        )
        .unwrap_err()
        .contains("matches nothing"));
    }

    #[test]
    fn inferred_formats() {
        for (path, found, expected) in [
            ("hp/__init__.py", "1.2.0", VersionFormat::Pep440),
            ("hp/__init__.py", "1.2.0b1", VersionFormat::Pep440),
            ("hp/__init__.py", "1.2.0-beta.1", VersionFormat::Semver),
            ("setup.cfg", "1.2.0", VersionFormat::Pep440),
            ("flake.nix", "1.2.0", VersionFormat::Semver),
        ] {
            assert_eq!(infer_format(path, found), expected, "{path} {found}");
        }
    }
}
