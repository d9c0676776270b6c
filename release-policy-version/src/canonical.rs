//! The canonical version: SemVer 2.0 restricted to forms every ecosystem can spell.

use std::fmt;
use std::str::FromStr;

use crate::error::VersionError;
use crate::label::{Labels, Stage};

/// The largest numeric identifier NuGet accepts (`int32`).
pub const NUGET_MAX: u64 = 2_147_483_647;

/// A pre-release: a label and its number (`beta.2`), a bare label (`alpha`, its number read
/// as 0 the way PEP 440 reads `2.60.0.dev`), or any other SemVer pre-release (`0`,
/// `alpha.x.1`), kept whole in `label` with no number. Every SemVer pre-release is one: the
/// rules of each ecosystem ([`crate::Spelling::render`]) refuse what it cannot spell, and only
/// in a group that has that ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pre {
    pub label: String,
    pub number: Option<u64>,
}

impl Pre {
    pub fn new(label: impl Into<String>, number: u64) -> Self {
        Pre {
            label: label.into(),
            number: Some(number),
        }
    }

    /// The number, bare labels counting as 0.
    pub fn n(&self) -> u64 {
        self.number.unwrap_or(0)
    }

    /// Whether it has the `label[.N]` form (a label that is not a number, with at most a
    /// number after it): the form PEP 440, RubyGems and Maven can spell.
    pub fn is_labelled(&self) -> bool {
        !self.label.contains('.') && !self.label.bytes().all(|b| b.is_ascii_digit())
    }
}

impl fmt::Display for Pre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(n) => write!(f, "{}.{n}", self.label),
            None => f.write_str(&self.label),
        }
    }
}

/// A canonical version: any SemVer 2.0 version, `X.Y.Z` with an optional pre-release and
/// build metadata.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Option<Pre>,
    /// The build metadata after `+` (`dev` in `0.1.0+dev`): SemVer ignores it when ordering.
    pub build: Option<String>,
}

impl Version {
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
            pre: None,
            build: None,
        }
    }

    #[must_use]
    pub fn with_pre(mut self, label: &str, number: u64) -> Self {
        self.pre = Some(Pre::new(label, number));
        self
    }

    /// `X.Y.Z` without the pre-release (and the build metadata).
    #[must_use]
    pub fn release(&self) -> Version {
        Version::new(self.major, self.minor, self.patch)
    }

    pub fn is_pre(&self) -> bool {
        self.pre.is_some()
    }

    /// Parse a canonical version: any SemVer 2.0 version. `labels` is not consulted: which
    /// labels an ecosystem can spell is that ecosystem's rule ([`crate::Spelling::render`]),
    /// checked only where the group has it.
    pub fn parse(input: &str, labels: &Labels) -> Result<Version, VersionError> {
        let _ = labels;
        let parsed = semver::Version::parse(input).map_err(|e| VersionError::Invalid {
            input: input.to_string(),
            reason: e.to_string(),
            help: None,
        })?;
        let pre = (!parsed.pre.is_empty()).then(|| parse_pre(parsed.pre.as_str()));
        let build = (!parsed.build.is_empty()).then(|| parsed.build.to_string());
        Ok(Version {
            major: parsed.major,
            minor: parsed.minor,
            patch: parsed.patch,
            pre,
            build,
        })
    }

    /// This version without its build metadata: what a requirement on it names.
    #[must_use]
    pub fn without_build(&self) -> Version {
        Version {
            build: None,
            ..self.clone()
        }
    }

    /// This version as a `semver::Version`, for SemVer precedence.
    pub fn to_semver(&self) -> semver::Version {
        let mut v = semver::Version::new(self.major, self.minor, self.patch);
        if let Some(pre) = &self.pre {
            // A canonical pre-release is always a valid SemVer pre-release.
            v.pre = semver::Prerelease::new(&pre.to_string()).unwrap_or(semver::Prerelease::EMPTY);
        }
        if let Some(build) = &self.build {
            v.build = semver::BuildMetadata::new(build).unwrap_or(semver::BuildMetadata::EMPTY);
        }
        v
    }

    /// The PEP 440 stage of this version's label, if it is a pre-release.
    pub fn stage(&self, labels: &Labels) -> Option<Stage> {
        self.pre.as_ref().and_then(|p| labels.stage(&p.label))
    }
}

/// A SemVer pre-release (valid already) as a [`Pre`]: `label[.N]` split, the compact
/// `labelN` too (`rc1` is `rc.1`), anything else kept whole.
fn parse_pre(pre: &str) -> Pre {
    let whole = || Pre {
        label: pre.to_string(),
        number: None,
    };
    let mut ids = pre.split('.');
    let (Some(label), number, None) = (ids.next(), ids.next(), ids.next()) else {
        return whole();
    };
    if label.bytes().all(|b| b.is_ascii_digit()) {
        return whole();
    }
    match number.map(str::parse::<u64>) {
        // the compact spelling `rc1` is `rc.1`
        None => match split_compact(label) {
            Some((label, n)) => Pre::new(label, n),
            None => Pre {
                label: label.to_string(),
                number: None,
            },
        },
        Some(Ok(n)) => Pre {
            label: label.to_string(),
            number: Some(n),
        },
        Some(Err(_)) => whole(),
    }
}

/// The rules PEP 440 adds to SemVer for a pre-release: why `version` has no PEP 440 spelling
/// that orders as SemVer does, if it has none.
pub(crate) fn pep440_refusal(version: &Version, labels: &Labels) -> Option<VersionError> {
    let input = version.to_string();
    let release = version.release().to_string();
    let refuse = |reason: String, help: String| {
        Some(VersionError::Unspellable {
            version: input.clone(),
            ecosystem: "PEP 440",
            reason,
            help,
        })
    };
    let pre = version.pre.as_ref()?;
    let label = pre.label.split('.').next().unwrap_or(&pre.label);
    if label.bytes().all(|b| b.is_ascii_digit()) {
        return refuse(
            format!("PEP 440 reads a numeric pre-release `-{pre}` as a post-release, which sorts after `{release}` instead of before it"),
            format!("use a labelled pre-release such as `{release}-beta.{label}`"),
        );
    }
    let lower = label.to_ascii_lowercase();
    if matches!(lower.as_str(), "post" | "rev" | "r") {
        return refuse(
            format!("PEP 440 reads `-{label}` as a post-release, which sorts after `{release}` instead of before it"),
            format!("release `{release}` and bump `patch`, or use a pre-release label (alpha, beta, rc, dev)"),
        );
    }
    if lower != label {
        return refuse(
            format!("the label `{label}` is not lowercase; PEP 440 ignores case, SemVer does not"),
            format!("write `{release}-{}`", pre.to_string().to_ascii_lowercase()),
        );
    }
    if labels.stage(label).is_none() {
        let known = labels.names().join(", ");
        return refuse(
            format!("`{label}` is not a known pre-release label (known: {known}); PEP 440 has no spelling for it"),
            crate::suggest::label_help(label, &labels.names()),
        );
    }
    if !pre.is_labelled() {
        return refuse(
            format!("`-{pre}` has more than one pre-release part; PEP 440 keeps one (`{label}` and a number), so different versions would collapse into one"),
            format!("use `{release}-{label}.N`"),
        );
    }
    if pre.number.is_none() && label != "dev" {
        return refuse(
            format!("`-{label}` has no number; SemVer orders `-{label}` before `-{label}.0` while PEP 440 reads both as the same version"),
            format!("write `{release}-{label}.1`"),
        );
    }
    None
}

/// NuGet's limit: every number of a version fits an `int32`.
pub(crate) fn nuget_refusal(version: &Version) -> Option<VersionError> {
    let refuse = |rule: String| {
        Some(VersionError::NotExpressible {
            version: version.to_string(),
            ecosystem: "NuGet",
            rule,
        })
    };
    for (part, value) in [
        ("major", version.major),
        ("minor", version.minor),
        ("patch", version.patch),
    ] {
        if value > NUGET_MAX {
            return refuse(format!(
                "the {part} part {value} is larger than 2,147,483,647 (int32)"
            ));
        }
    }
    let pre = version.pre.as_ref()?;
    // NuGet compares pre-release labels ignoring case: `Beta.1` and `beta.1` are one NuGet
    // version and two SemVer ones, so a file would read back as another canonical version.
    if pre.label.bytes().any(|b| b.is_ascii_uppercase()) {
        return refuse(format!(
            "NuGet compares pre-release labels ignoring case, SemVer does not: write `-{}`",
            pre.to_string().to_ascii_lowercase()
        ));
    }
    let numbers = pre
        .label
        .split('.')
        .filter_map(|id| id.parse::<u64>().ok())
        .chain(pre.number);
    for n in numbers {
        if n > NUGET_MAX {
            return refuse(format!(
                "the pre-release number {n} is larger than 2,147,483,647 (int32)"
            ));
        }
    }
    None
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
        }
        if let Some(build) = &self.build {
            write!(f, "+{build}")?;
        }
        Ok(())
    }
}

impl FromStr for Version {
    type Err = VersionError;

    /// Parse with the built-in labels only.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::parse(s, &Labels::builtin())
    }
}

/// A compact pre-release identifier (`rc1`, `beta12`) as its label and number: letters then
/// a number without leading zeros. `None` for anything else (`rc`, `rc01`, `x86y`).
fn split_compact(id: &str) -> Option<(&str, u64)> {
    let letters = id.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (label, digits) = id.split_at(letters);
    if label.is_empty()
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    Some((label, digits.parse().ok()?))
}
