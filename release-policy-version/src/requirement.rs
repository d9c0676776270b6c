//! Requirements on sibling packages: which ones name a version, and how to rewrite them
//! keeping their operator and precision.
//!
//! A requirement is rewritten only when it names the group's old version (`^1.4.0`,
//! `=1.4.0`, `~1.4` on `1.4.2`, `==1.4.0`, `[1.4.0]`). Anything else — a range, `*`,
//! `workspace:*`, `file:`, a requirement on another release — is left alone.
//!
//! ```
//! use release_policy_version::requirement::{Flavor, Requirement};
//! use release_policy_version::{Labels, Spelling, Version};
//!
//! let labels = Labels::builtin();
//! let (old, new) = (Version::parse("1.4.2", &labels)?, Version::parse("1.5.0-beta.1", &labels)?);
//! let spelling = Spelling::default();
//!
//! let caret = Requirement::parse(Flavor::Cargo, "^1.4").expect("a requirement on one version");
//! assert!(caret.names(Flavor::Cargo, &old, &spelling));
//! // `^1.5` would not match the pre-release: the whole version is written.
//! assert_eq!(caret.with_version(Flavor::Cargo, &new, &spelling)?, "^1.5.0-beta.1");
//!
//! let pin = Requirement::parse(Flavor::Python, "==1.4.2").expect("an exact pin");
//! assert_eq!(pin.with_version(Flavor::Python, &new, &spelling)?, "==1.5.0b1");
//! # Ok::<(), release_policy_version::VersionError>(())
//! ```

use std::str::FromStr;

use crate::canonical::Version;
use crate::ecosystem::{Comparison, Ecosystem, Spelling};
use crate::error::VersionError;

/// The requirement syntaxes the tool understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Cargo: `1.4.0`, `^1.4`, `=1.4.0`, `~1.4.0`, `>=1.4.0`.
    Cargo,
    /// npm: the Cargo forms, plus a `workspace:` prefix.
    Npm,
    /// Python: an exact pin `==1.4.0`.
    Python,
    /// NuGet: `1.4.0` (a minimum) or `[1.4.0]` (exact).
    NuGet,
}

impl Flavor {
    fn ecosystem(self) -> Ecosystem {
        match self {
            Flavor::Cargo => Ecosystem::Cargo,
            Flavor::Npm => Ecosystem::Npm,
            Flavor::Python => Ecosystem::Pep440,
            Flavor::NuGet => Ecosystem::NuGet,
        }
    }
}

/// A requirement on one version: what comes before the version, the version, what follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement<'a> {
    pub prefix: &'a str,
    pub version: &'a str,
    pub suffix: &'a str,
}

/// Whether the Cargo requirement `raw` accepts `version` (as cargo resolves a path
/// dependency: a pre-release is accepted by a comparator on its own `X.Y.Z` only); `None`
/// when `raw` is not a Cargo requirement. `version` as a Cargo file writes it: the compact
/// `2.5.0-rc1` is another SemVer version than `2.5.0-rc.1`.
pub fn cargo_accepts(raw: &str, version: &Version, spelling: &Spelling) -> Option<bool> {
    let req = semver::VersionReq::parse(raw.trim()).ok()?;
    let mut v = semver::Version::parse(&spelling.pre.semver(version)).ok()?;
    v.build = semver::BuildMetadata::EMPTY;
    Some(req.matches(&v))
}

/// Whether the npm range `raw` (`^1.4.0`, `>=1.4 <2`, `1.x || 2.x`) includes `version`;
/// `None` when it is not a range this reads (`workspace:`, `file:`, a tag, a hyphen range).
pub fn npm_accepts(raw: &str, version: &Version) -> Option<bool> {
    let mut v = version.to_semver();
    v.build = semver::BuildMetadata::EMPTY;
    let mut any = false;
    for alternative in raw.split("||") {
        // npm separates comparators by spaces, the semver crate by commas; an operator
        // written apart from its version (`>= 1.4`) is joined to it.
        let mut comparators: Vec<String> = Vec::new();
        let mut pending = String::new();
        for token in alternative.split_whitespace() {
            if token == "-" {
                return None;
            }
            if token.bytes().all(|b| b"<>=~^".contains(&b)) {
                pending.push_str(token);
                continue;
            }
            comparators.push(format!("{pending}{token}"));
            pending.clear();
        }
        let text = if comparators.is_empty() {
            "*".to_string()
        } else {
            comparators.join(", ")
        };
        let req = semver::VersionReq::parse(&text).ok()?;
        any |= req.matches(&v);
    }
    Some(any)
}

/// The Cargo requirement `raw`, which `version` no longer satisfies, rewritten so that it
/// does, each comparator keeping its operator and its number of parts: a lower bound
/// (`=`, `^`, `~`, `>=`, `>`, none) names `version`, an upper bound (`<`, `<=`) moves to the
/// next release past it at the part it counted (`>=1.4, <2` on `2.0.0` gives `>=2.0, <3`).
/// `None` when no rewrite keeping the shape accepts `version` (a wildcard, `>` on the
/// version itself): the caller refuses it, naming it.
pub fn repair_cargo(raw: &str, version: &Version, spelling: &Spelling) -> Option<String> {
    const OPS: [&str; 8] = ["<=", ">=", "<", ">", "=", "^", "~", ""];
    let spelled = spelling.pre.semver(&version.without_build());
    let repaired = repair_shape(raw, version, &OPS, ", ", &spelled)?;
    (cargo_accepts(&repaired, version, spelling) == Some(true)).then_some(repaired)
}

/// Whether the PEP 440 specifiers `raw` (`>=1.4,<2`, from a uv or pip workspace member's
/// `[project].dependencies`) include `version`; `None` when `raw` is not one or `version`
/// has no PEP 440 spelling.
pub fn python_accepts(raw: &str, version: &Version, spelling: &Spelling) -> Option<bool> {
    let rendered = spelling.pep440(version).ok()?;
    let v = pep440_rs::Version::from_str(&rendered).ok()?;
    let specifiers = pep440_rs::VersionSpecifiers::from_str(raw.trim()).ok()?;
    Some(specifiers.contains(&v))
}

/// [`repair_cargo`] for PEP 440 specifiers: `==1.4.0` on 1.5.0b1 gives `==1.5.0b1`,
/// `>=1.4,<2` on 2.0.0 gives `>=2.0,<3`. `None` for `!=`, `===` and wildcards.
pub fn repair_python(raw: &str, version: &Version, spelling: &Spelling) -> Option<String> {
    const OPS: [&str; 7] = ["~=", "==", "<=", ">=", "<", ">", "!="];
    if raw.contains("===") || raw.contains("!=") || raw.contains('*') {
        return None;
    }
    let rendered = spelling.pep440(version).ok()?;
    let repaired = repair_shape(raw, version, &OPS, ",", &rendered)?;
    (python_accepts(&repaired, version, spelling) == Some(true)).then_some(repaired)
}

/// Each comparator of `raw` (separated by commas, rejoined with `separator`) with its
/// operator among `ops` kept and its version moved to accept `version`: lower bounds name it
/// (`full`, its spelling, when it is a pre-release or the bound wrote three parts; else its
/// release numbers at the bound's precision), upper bounds (`<`, `<=`) the next release past
/// it at the part the bound counted.
// proof: `lead`/`trail` cut where `trim_start`/`trim_end` stopped; `op` is a prefix of `text`
// (`starts_with`); `precision` is clamped to 1..=3 and `at` to `precision - 1`, inside the 3
// numbers.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn repair_shape(
    raw: &str,
    version: &Version,
    ops: &[&str],
    separator: &str,
    full: &str,
) -> Option<String> {
    let lead = &raw[..raw.len() - raw.trim_start().len()];
    let trail = &raw[raw.trim_end().len()..];
    let mut parts = Vec::new();
    for comparator in raw.trim().split(',') {
        let text = comparator.trim();
        let op = ops.iter().find(|op| text.starts_with(**op)).copied()?;
        let bound = text[op.len()..].trim();
        if bound.contains('*') || bound.split('.').any(|p| p.eq_ignore_ascii_case("x")) {
            return None; // a wildcard: not one version to move
        }
        let release = bound
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap_or(bound)
            .trim_end_matches('.');
        if release.is_empty()
            || release
                .split('.')
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None; // a wildcard or something the ecosystem reads otherwise
        }
        let precision = release.split('.').count().clamp(1, 3);
        let numbers = [version.major, version.minor, version.patch];
        let written = match op {
            "<" | "<=" => {
                let old: Vec<u64> = release.split('.').filter_map(|p| p.parse().ok()).collect();
                // The part the bound counts: the last non-zero one written (`<2` and `<2.0.0`
                // count majors, `<1.5` minors).
                let at = old
                    .iter()
                    .rposition(|&n| n != 0)
                    .unwrap_or(0)
                    .min(precision - 1);
                let mut next = numbers;
                next[at] = next[at].checked_add(1)?;
                for n in next.iter_mut().skip(at + 1) {
                    *n = 0;
                }
                join(&next[..precision])
            }
            _ if version.is_pre() || precision == 3 => full.to_string(),
            _ => join(&numbers[..precision]),
        };
        parts.push(format!("{op}{written}"));
    }
    Some(format!("{lead}{}{trail}", parts.join(separator)))
}

fn join(numbers: &[u64]) -> String {
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

impl<'a> Requirement<'a> {
    /// Split `raw` when it is a requirement on a single version this tool may rewrite.
    // proof: every cut is at the end of a trimmed or stripped prefix of `raw` (whitespace, an ASCII
    // operator found with `starts_with`, `[`), so on a character boundary; `version` is a non-empty
    // suffix of the body (checked just before `[0]`), and `prefix_len + version.len()` never passes
    // the body's end.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    pub fn parse(flavor: Flavor, raw: &'a str) -> Option<Requirement<'a>> {
        // Trimmed from the start first: a blank requirement (`"  "`) is an empty body at the
        // end of `raw`, not a reversed range.
        let start = raw.len() - raw.trim_start().len();
        let body = raw[start..].trim_end();
        let (prefix_len, version) = match flavor {
            Flavor::Cargo | Flavor::Npm => {
                let mut rest = body;
                if flavor == Flavor::Npm {
                    rest = rest.strip_prefix("workspace:").unwrap_or(rest);
                }
                let op = [">=", "=", "^", "~", ""]
                    .into_iter()
                    .find(|op| rest.starts_with(op))
                    .unwrap_or("");
                let version = rest[op.len()..].trim_start();
                (body.len() - version.len(), version)
            }
            Flavor::Python => {
                let rest = body.strip_prefix("==")?;
                if rest.starts_with('=') {
                    return None;
                }
                let version = rest.trim_start();
                (body.len() - version.len(), version)
            }
            Flavor::NuGet => match body.strip_prefix('[') {
                Some(rest) => {
                    let inner = rest.strip_suffix(']')?;
                    let version = inner.trim();
                    let lead = inner.len() - inner.trim_start().len();
                    (1 + lead, version)
                }
                None => (0, body),
            },
        };
        if version.is_empty()
            || !version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return None;
        }
        if !version.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let requirement = Requirement {
            prefix: &raw[..start + prefix_len],
            version,
            suffix: &raw[start + prefix_len + version.len()..],
        };
        Some(requirement)
    }

    /// A Poetry dependency (`[tool.poetry.dependencies] sdk-core = "1.4.0"`): a bare version
    /// is an exact pin there, as `==1.4.0` is; Poetry's ranges (`^1.4`, `~1.4`, `>=1.4`)
    /// are not a requirement on one version.
    // proof: `start` is where `trim_start` left `raw` and `version` is the rest of `raw` from there
    // with `trim_end`, so both cut at character boundaries inside `raw`.
    #[allow(clippy::string_slice)]
    pub fn parse_poetry(raw: &'a str) -> Option<Requirement<'a>> {
        if raw.trim_start().starts_with("==") {
            return Requirement::parse(Flavor::Python, raw);
        }
        let start = raw.len() - raw.trim_start().len();
        let version = raw[start..].trim_end();
        let valid = version.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        valid.then(|| Requirement {
            prefix: &raw[..start],
            version,
            suffix: &raw[start + version.len()..],
        })
    }

    /// How many release numbers the requirement spells (`~1.4` has 2), for Cargo and npm.
    fn precision(&self) -> usize {
        let release = self.version.split('-').next().unwrap_or(self.version);
        release.split('.').count()
    }

    /// Whether this requirement names `version` (with its precision: `~1.4` names `1.4.2`).
    pub fn names(&self, flavor: Flavor, version: &Version, spelling: &Spelling) -> bool {
        match flavor {
            Flavor::Cargo | Flavor::Npm => {
                let precision = self.precision();
                if precision >= 3 {
                    return semver::Version::parse(self.version)
                        .is_ok_and(|v| v.cmp_precedence(&version.to_semver()).is_eq());
                }
                if version.is_pre() || self.version.contains('-') {
                    return false;
                }
                let parts = [version.major, version.minor, version.patch];
                self.version
                    .split('.')
                    .zip(parts)
                    .all(|(text, part)| u64::from_str(text).is_ok_and(|n| n == part))
            }
            Flavor::Python | Flavor::NuGet => matches!(
                spelling.compare(version, self.version, flavor.ecosystem()),
                Comparison::Same | Comparison::Equivalent
            ),
        }
    }

    /// [`Requirement::names`], given `rendered`: `version` as `spelling` renders it in the
    /// flavor's ecosystem, when it renders (the caller renders it once for many
    /// requirements). A requirement that spells exactly that names it, without parsing.
    pub fn names_rendered(
        &self,
        flavor: Flavor,
        version: &Version,
        rendered: Option<&str>,
        spelling: &Spelling,
    ) -> bool {
        rendered == Some(self.version) || self.names(flavor, version, spelling)
    }

    /// This requirement, naming `version` instead, with the same operator and precision.
    pub fn with_version(
        &self,
        flavor: Flavor,
        version: &Version,
        spelling: &Spelling,
    ) -> Result<String, VersionError> {
        let rendered = spelling.render(version, flavor.ecosystem())?;
        Ok(self.with_rendered(flavor, version, &rendered))
    }

    /// [`Requirement::with_version`], given `rendered`: `version` as `spelling` renders it
    /// in the flavor's ecosystem.
    // proof: `precision` is `split(..).count()` (at least 1) and below 3 in this branch, and
    // `parts` has 3.
    #[allow(clippy::indexing_slicing)]
    pub fn with_rendered(&self, flavor: Flavor, version: &Version, rendered: &str) -> String {
        let truncated;
        let text = match flavor {
            Flavor::Cargo | Flavor::Npm => {
                let precision = self.precision();
                if precision >= 3 || version.is_pre() {
                    rendered
                } else {
                    let parts = [version.major, version.minor, version.patch];
                    truncated = parts[..precision]
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(".");
                    &truncated
                }
            }
            Flavor::Python | Flavor::NuGet => rendered,
        };
        let mut out = String::with_capacity(self.prefix.len() + text.len() + self.suffix.len());
        out.push_str(self.prefix);
        out.push_str(text);
        out.push_str(self.suffix);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    #[track_caller]
    fn case(flavor: Flavor, raw: &str, old: &str, new: &str, expected: Option<&str>) {
        let spelling = Spelling::default();
        let got = Requirement::parse(flavor, raw)
            .filter(|r| r.names(flavor, &v(old), &spelling))
            .map(|r| r.with_version(flavor, &v(new), &spelling).unwrap());
        assert_eq!(got.as_deref(), expected, "{flavor:?} `{raw}` {old} → {new}");
        // Given the versions rendered once, the answers are the same.
        let render = |s: &str| spelling.render(&v(s), flavor.ecosystem()).ok();
        let got = Requirement::parse(flavor, raw)
            .filter(|r| r.names_rendered(flavor, &v(old), render(old).as_deref(), &spelling))
            .map(|r| r.with_rendered(flavor, &v(new), &render(new).unwrap()));
        assert_eq!(got.as_deref(), expected, "{flavor:?} `{raw}` {old} → {new}");
    }

    #[test]
    fn cargo() {
        use Flavor::Cargo;
        case(Cargo, "1.4.0", "1.4.0", "1.5.0", Some("1.5.0"));
        case(
            Cargo,
            "=1.4.0",
            "1.4.0",
            "1.5.0-beta.1",
            Some("=1.5.0-beta.1"),
        );
        case(Cargo, "^1.4.0", "1.4.0", "1.5.0", Some("^1.5.0"));
        case(Cargo, "~1.4", "1.4.2", "1.5.0", Some("~1.5"));
        case(Cargo, "1", "1.4.2", "2.0.0", Some("2"));
        case(Cargo, "~1.4", "1.4.2", "1.5.0-rc.1", Some("~1.5.0-rc.1"));
        case(Cargo, ">=1.4.0", "1.4.0", "1.5.0", Some(">=1.5.0"));
        case(Cargo, "= 1.4.0", "1.4.0", "1.5.0", Some("= 1.5.0"));
        case(Cargo, "1.3.0", "1.4.0", "1.5.0", None);
        case(Cargo, "~1.3", "1.4.2", "1.5.0", None);
        case(Cargo, ">=1.4, <2", "1.4.0", "1.5.0", None);
        case(Cargo, "*", "1.4.0", "1.5.0", None);
        case(
            Cargo,
            "1.5.0-beta.1",
            "1.5.0-beta.1",
            "1.5.0-beta.2",
            Some("1.5.0-beta.2"),
        );
    }

    #[test]
    fn npm() {
        use Flavor::Npm;
        case(
            Npm,
            "^0.1.0",
            "0.1.0",
            "0.2.0-beta.1",
            Some("^0.2.0-beta.1"),
        );
        case(Npm, "0.1.0", "0.1.0", "0.2.0", Some("0.2.0"));
        case(
            Npm,
            "workspace:^1.4.0",
            "1.4.0",
            "1.5.0",
            Some("workspace:^1.5.0"),
        );
        case(Npm, "workspace:*", "1.4.0", "1.5.0", None);
        case(Npm, "workspace:^", "1.4.0", "1.5.0", None);
        case(Npm, "file:../core", "1.4.0", "1.5.0", None);
        case(Npm, "link:../core", "1.4.0", "1.5.0", None);
        case(Npm, "catalog:", "1.4.0", "1.5.0", None);
        case(Npm, "npm:core@1.4.0", "1.4.0", "1.5.0", None);
        case(Npm, "^1.4.0 || ^2", "1.4.0", "1.5.0", None);
        case(Npm, "1.4.x", "1.4.0", "1.5.0", None);
    }

    #[test]
    fn python() {
        use Flavor::Python;
        case(
            Python,
            "==1.4.0",
            "1.4.0",
            "1.5.0-beta.1",
            Some("==1.5.0b1"),
        );
        case(Python, "== 1.4.0", "1.4.0", "1.5.0", Some("== 1.5.0"));
        case(
            Python,
            "==1.5.0b1",
            "1.5.0-beta.1",
            "1.5.0",
            Some("==1.5.0"),
        );
        case(
            Python,
            "==1.5.0-beta.1",
            "1.5.0-beta.1",
            "1.5.0",
            Some("==1.5.0"),
        );
        case(Python, ">=1.4.0", "1.4.0", "1.5.0", None);
        case(Python, "===1.4.0", "1.4.0", "1.5.0", None);
        case(Python, "==1.3.0", "1.4.0", "1.5.0", None);
    }

    #[test]
    fn nuget() {
        use Flavor::NuGet;
        case(
            NuGet,
            "1.4.0",
            "1.4.0",
            "1.5.0-beta.1",
            Some("1.5.0-beta.1"),
        );
        case(NuGet, "[1.4.0]", "1.4.0", "1.5.0", Some("[1.5.0]"));
        case(NuGet, "[ 1.4.0 ]", "1.4.0", "1.5.0", Some("[ 1.5.0 ]"));
        case(NuGet, "[1.4.0,2.0.0)", "1.4.0", "1.5.0", None);
        case(NuGet, "$(CoreVersion)", "1.4.0", "1.5.0", None);
    }

    /// Found by the `toml` and `json` fuzz targets: a blank requirement (`"  "` in a
    /// package.json, `" "` in a poetry table) panicked slicing a reversed range.
    #[test]
    fn blank_requirements_are_not_requirements() {
        for flavor in [Flavor::Cargo, Flavor::Npm, Flavor::Python, Flavor::NuGet] {
            for raw in ["", " ", "  ", "\t", " \n "] {
                assert_eq!(Requirement::parse(flavor, raw), None, "{flavor:?} {raw:?}");
            }
        }
    }

    proptest::proptest! {
        /// With the version rendered once, a requirement names the same versions.
        #[test]
        fn rendered_once_agrees(
            raw in "[ ]?(workspace:|>=|=|\\^|~|==|\\[)?[ ]?[0-9](\\.[0-9]){0,2}(-(alpha|beta|rc|dev)(\\.[0-9])?|a1|rc2|\\.dev3)?\\]?",
            version in "[0-9]\\.[0-9]\\.[0-9](-(alpha|beta|rc|dev)\\.[0-9])?",
            flavor in proptest::sample::select(vec![Flavor::Cargo, Flavor::Npm, Flavor::Python, Flavor::NuGet]),
        ) {
            let spelling = Spelling::default();
            let version = v(&version);
            if let Some(req) = Requirement::parse(flavor, &raw) {
                let rendered = spelling.render(&version, flavor.ecosystem()).unwrap();
                proptest::prop_assert_eq!(
                    req.names_rendered(flavor, &version, Some(&rendered), &spelling),
                    req.names(flavor, &version, &spelling)
                );
            }
        }
    }

    #[track_caller]
    fn repair(raw: &str, version: &str, expected: Option<&str>) {
        assert_eq!(
            cargo_accepts(raw, &v(version), &Spelling::default()),
            Some(false),
            "`{raw}` on {version}"
        );
        assert_eq!(
            repair_cargo(raw, &v(version), &Spelling::default()).as_deref(),
            expected,
            "`{raw}` on {version}"
        );
    }

    #[test]
    fn poetry_bare_versions_are_pins() {
        let spelling = Spelling::default();
        for (raw, expected) in [
            ("1.4.0", Some("1.5.0b1")),
            ("==1.4.0", Some("==1.5.0b1")),
            ("^1.4.0", None),
            (">=1.4", None),
        ] {
            let got = Requirement::parse_poetry(raw)
                .filter(|r| r.names(Flavor::Python, &v("1.4.0"), &spelling))
                .map(|r| {
                    r.with_version(Flavor::Python, &v("1.5.0-beta.1"), &spelling)
                        .unwrap()
                });
            assert_eq!(got.as_deref(), expected, "`{raw}`");
        }
    }

    #[test]
    fn python_repairs_keep_the_shape() {
        let spelling = Spelling::default();
        for (raw, version, expected) in [
            ("==1.4.0", "1.5.0-beta.1", Some("==1.5.0b1")),
            (">=1.4,<2", "2.0.0", Some(">=2.0,<3")),
            ("~=1.4", "2.1.0", Some("~=2.1")),
            ("!=2.0.0", "2.0.0", None),
            ("==1.*", "2.0.0", None),
        ] {
            assert_eq!(
                python_accepts(raw, &v(version), &spelling),
                Some(false),
                "`{raw}`"
            );
            assert_eq!(
                repair_python(raw, &v(version), &spelling).as_deref(),
                expected,
                "`{raw}` on {version}"
            );
        }
    }

    #[test]
    fn repairs_keep_the_shape() {
        repair("=1.0.0", "1.1.0", Some("=1.1.0"));
        repair(">=1.4, <2", "2.0.0", Some(">=2.0, <3"));
        repair(">=1.4.0, <1.5", "1.5.0", Some(">=1.5.0, <1.6"));
        repair("^0.3", "0.4.0", Some("^0.4"));
        repair("~1.4.2", "1.5.0-beta.1", Some("~1.5.0-beta.1"));
        repair(" 1.4 ", "2.0.0", Some(" 2.0 "));
        repair("<1.0.0", "1.0.0", Some("<2.0.0"));
        repair("1.*", "2.0.0", None);
        assert_eq!(
            cargo_accepts(">=1.4, <2", &v("1.9.0"), &Spelling::default()),
            Some(true)
        );
        assert_eq!(
            cargo_accepts("workspace:*", &v("1.9.0"), &Spelling::default()),
            None
        );
        for (raw, version, expected) in [
            ("^0.2.0", "0.3.1", Some(false)),
            (">= 0.3.0 <0.4.0", "0.3.1", Some(true)),
            ("1.x || ^2.0.0", "2.1.0", Some(true)),
            ("1.0.0 - 2.0.0", "1.5.0", None),
            ("workspace:*", "1.0.0", None),
        ] {
            assert_eq!(
                npm_accepts(raw, &v(version)),
                expected,
                "`{raw}` on {version}"
            );
        }
    }
}
