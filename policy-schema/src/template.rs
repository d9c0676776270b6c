//! Placeholders in templates: which ones exist, which keys accept which, and the check that a
//! template names only known ones. The JSON Schema's `pattern`s are built from the same lists.

/// Every placeholder a template may use, with what it stands for.
pub const PLACEHOLDERS: [(&str, &str); 13] = [
    (
        "version",
        "the group's new version, canonical SemVer: `1.5.0-rc.3`",
    ),
    (
        "pep440",
        "the new version spelled for Python (PEP 440): `1.5.0rc3`",
    ),
    (
        "nuget",
        "the new version spelled for NuGet's `Version`: `1.5.0-rc.3`",
    ),
    ("major", "the major part of the new version: `1`"),
    ("minor", "the minor part of the new version: `5`"),
    ("patch", "the patch part of the new version: `0`"),
    (
        "prefix",
        "the rendered `tag-prefix` (in `tag-name` and `tag-message`)",
    ),
    ("crate_name", "the name of the crate leading the group"),
    ("date", "today's date, `YYYY-MM-DD`"),
    (
        "tag_name",
        "the rendered `tag-name` (in `tag-message` and `commit-message`)",
    ),
    (
        "prev_version",
        "the group's version before the bump (from cargo-release)",
    ),
    (
        "metadata",
        "the new version's build metadata: always empty (from cargo-release)",
    ),
    (
        "prev_metadata",
        "the old version's build metadata: always empty (from cargo-release)",
    ),
];

/// Which placeholders a template key accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemplateKind {
    /// `commit-message`, `pre-release-commit-message`, `tag-message`: every placeholder.
    Message,
    /// `tag-name`: every placeholder but `{{tag_name}}`.
    TagName,
    /// `tag-prefix`: every placeholder but `{{prefix}}` and `{{tag_name}}`.
    TagPrefix,
    /// `search` of a pattern entry: `{{version}}` at most once, `{{major}}`, `{{minor}}`,
    /// `{{patch}}` at most once each, at least one of them.
    Search,
    /// `dotnet.assembly-version`, `dotnet.file-version`: `{{major}}`, `{{minor}}`, `{{patch}}`.
    Numeric,
}

impl TemplateKind {
    /// The placeholder names this kind of template accepts.
    pub(crate) fn allowed(self) -> Vec<&'static str> {
        let all = PLACEHOLDERS.iter().map(|&(name, _)| name);
        match self {
            TemplateKind::Message => all.collect(),
            TemplateKind::TagName => all.filter(|&name| name != "tag_name").collect(),
            TemplateKind::TagPrefix => all
                .filter(|&name| name != "tag_name" && name != "prefix")
                .collect(),
            TemplateKind::Search => vec!["version", "major", "minor", "patch"],
            TemplateKind::Numeric => vec!["major", "minor", "patch"],
        }
    }
}

/// A placeholder the template kind does not accept: its byte range inside the template
/// (braces included) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownPlaceholder {
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) name: String,
}

/// Every `{{name}}` in `template`, as (byte range with braces, name). A `{{` without a closing
/// `}}` is literal text.
// proof: every index is `rest`, or an offset `find` returned plus the length of the ASCII `{{`/`}}`
// it found, so each is in `template` and on a character boundary.
#[allow(clippy::string_slice)]
pub(crate) fn placeholders(template: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = template[rest..].find("{{").map(|at| rest + at) {
        let Some(close) = template[open + 2..].find("}}").map(|at| open + 2 + at) else {
            break;
        };
        found.push((open..close + 2, &template[open + 2..close]));
        rest = close + 2;
    }
    found
}

/// The first placeholder in `template` that `kind` does not accept.
pub(crate) fn first_unknown(template: &str, kind: TemplateKind) -> Option<UnknownPlaceholder> {
    let allowed = kind.allowed();
    placeholders(template)
        .into_iter()
        .find(|(_, name)| !allowed.contains(name))
        .map(|(range, name)| UnknownPlaceholder {
            range,
            name: name.to_owned(),
        })
}

/// An ECMA-262 regular expression matching the templates whose placeholders are all accepted by
/// `kind` (the same rule as [`first_unknown`]), for the JSON Schema.
pub(crate) fn schema_pattern(kind: TemplateKind) -> String {
    let allowed = kind.allowed().join("|");
    // No `{{…}}` whose content is not exactly an accepted name.
    let only_known = format!(r"^(?![\s\S]*?\{{\{{(?!(?:{allowed})\}}\}})[\s\S]*?\}}\}})");
    match kind {
        TemplateKind::Search => format!(
            r"{only_known}(?![\s\S]*\{{\{{version\}}\}}[\s\S]*\{{\{{version\}}\}})[\s\S]*\{{\{{(?:version|major|minor|patch)\}}\}}"
        ),
        TemplateKind::Numeric => {
            let part = format!(r"(?:{NUMBER_0_65534}|\{{\{{(?:{allowed})\}}\}})");
            format!(r"^{part}(?:\.{part}){{1,3}}$")
        }
        TemplateKind::Message | TemplateKind::TagName | TemplateKind::TagPrefix => only_known,
    }
}

/// The numbers `0` to `65534` without leading zeros, as a regular expression.
const NUMBER_0_65534: &str =
    "(?:[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-4])";

/// Why a numeric template (`dotnet.assembly-version`) is malformed, or `None` when it is fine.
pub(crate) fn numeric_template_problem(template: &str) -> Option<String> {
    let parts: Vec<&str> = template.split('.').collect();
    if !(2..=4).contains(&parts.len()) {
        return Some(format!(
            "expected two to four dot-separated parts, found {}",
            parts.len()
        ));
    }
    for part in parts {
        let is_placeholder = matches!(part, "{{major}}" | "{{minor}}" | "{{patch}}");
        let is_number = !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
            && part.parse::<u32>().is_ok_and(|n| n <= 65_534);
        if !is_placeholder && !is_number {
            return Some(format!(
                "the part `{part}` is neither a number from 0 to 65534 (without leading zeros) \
                 nor one of `{{{{major}}}}`, `{{{{minor}}}}`, `{{{{patch}}}}`"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders() {
        assert_eq!(
            placeholders("{{prefix}}v{{version}}"),
            vec![(0..10, "prefix"), (11..22, "version")]
        );
        assert_eq!(placeholders("v{{version"), vec![]);
        assert_eq!(placeholders("{{{version}}}"), vec![(0..12, "{version")]);
    }

    #[test]
    fn unknown_placeholder() {
        let found = first_unknown("v{{verison}}", TemplateKind::TagName);
        assert_eq!(
            found,
            Some(UnknownPlaceholder {
                range: 1..12,
                name: "verison".into()
            })
        );
        assert_eq!(
            first_unknown("{{tag_name}}", TemplateKind::TagName)
                .unwrap()
                .name,
            "tag_name"
        );
        assert_eq!(first_unknown("{{tag_name}}", TemplateKind::Message), None);
    }

    #[test]
    fn numeric_templates() {
        assert_eq!(numeric_template_problem("{{major}}.{{minor}}.0.0"), None);
        assert_eq!(numeric_template_problem("{{major}}.0"), None);
        assert_eq!(numeric_template_problem("65534.0"), None);
        assert!(numeric_template_problem("65535.0").is_some());
        assert!(numeric_template_problem("01.0").is_some());
        assert!(numeric_template_problem("{{major}}").is_some());
        assert!(numeric_template_problem("1.2.3.4.5").is_some());
        assert!(numeric_template_problem("{{version}}.0").is_some());
        assert!(numeric_template_problem("1..0").is_some());
    }
}
