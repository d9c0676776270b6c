//! The canonical version: SemVer 2.0 restricted to forms every ecosystem can spell.

use std::fmt;
use std::str::FromStr;

use crate::error::VersionError;
use crate::label::{Labels, Stage};

/// The largest numeric identifier NuGet accepts (`int32`).
pub const NUGET_MAX: u64 = 2_147_483_647;

/// A pre-release: a known label and its number. Only `dev` may be bare (`2.60.0-dev`), which
/// reads as number 0 the way PEP 440 reads `2.60.0.dev`.
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
}

impl fmt::Display for Pre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(n) => write!(f, "{}.{n}", self.label),
            None => f.write_str(&self.label),
        }
    }
}

/// A canonical version: `X.Y.Z` with an optional `-label.N`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Option<Pre>,
}

impl Version {
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
            pre: None,
        }
    }

    #[must_use]
    pub fn with_pre(mut self, label: &str, number: u64) -> Self {
        self.pre = Some(Pre::new(label, number));
        self
    }

    /// `X.Y.Z` without the pre-release.
    #[must_use]
    pub fn release(&self) -> Version {
        Version::new(self.major, self.minor, self.patch)
    }

    pub fn is_pre(&self) -> bool {
        self.pre.is_some()
    }

    /// Parse a canonical version, checking its label against `labels`.
    pub fn parse(input: &str, labels: &Labels) -> Result<Version, VersionError> {
        let invalid = |reason: String| VersionError::Invalid {
            input: input.to_string(),
            reason,
            help: None,
        };
        let parsed = semver::Version::parse(input).map_err(|e| invalid(e.to_string()))?;
        if !parsed.build.is_empty() {
            return Err(VersionError::BuildMetadata {
                input: input.to_string(),
            });
        }
        for (part, value) in [
            ("major", parsed.major),
            ("minor", parsed.minor),
            ("patch", parsed.patch),
        ] {
            if value > NUGET_MAX {
                return Err(VersionError::NotExpressible {
                    version: input.to_string(),
                    ecosystem: "NuGet",
                    rule: format!("the {part} part {value} is larger than 2,147,483,647 (int32)"),
                });
            }
        }
        let pre = if parsed.pre.is_empty() {
            None
        } else {
            Some(parse_pre(input, parsed.pre.as_str(), labels)?)
        };
        Ok(Version {
            major: parsed.major,
            minor: parsed.minor,
            patch: parsed.patch,
            pre,
        })
    }

    /// This version as a `semver::Version`, for SemVer precedence.
    pub fn to_semver(&self) -> semver::Version {
        let mut v = semver::Version::new(self.major, self.minor, self.patch);
        if let Some(pre) = &self.pre {
            // A canonical pre-release is always a valid SemVer pre-release.
            v.pre = semver::Prerelease::new(&pre.to_string()).unwrap_or(semver::Prerelease::EMPTY);
        }
        v
    }

    /// The PEP 440 stage of this version's label, if it is a pre-release.
    pub fn stage(&self, labels: &Labels) -> Option<Stage> {
        self.pre.as_ref().and_then(|p| labels.stage(&p.label))
    }
}

fn parse_pre(input: &str, pre: &str, labels: &Labels) -> Result<Pre, VersionError> {
    let refuse = |reason: String, help: String| VersionError::Invalid {
        input: input.to_string(),
        reason,
        help: Some(help),
    };
    let release = input.split('-').next().unwrap_or(input);
    let ids: Vec<&str> = pre.split('.').collect();
    let label = ids[0];
    if label.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse(
            format!("PEP 440 reads a numeric pre-release `-{pre}` as a post-release, which sorts after `{release}` instead of before it"),
            format!("use a labelled pre-release such as `{release}-beta.{label}`"),
        ));
    }
    let lower = label.to_ascii_lowercase();
    if matches!(lower.as_str(), "post" | "rev" | "r") {
        return Err(refuse(
            format!("PEP 440 reads `-{label}` as a post-release, which sorts after `{release}` instead of before it"),
            format!("release `{release}` and bump `patch`, or use a pre-release label (alpha, beta, rc, dev)"),
        ));
    }
    if lower != label {
        return Err(refuse(
            format!("the label `{label}` is not lowercase; PEP 440 and NuGet ignore case, SemVer does not"),
            format!("write `{release}-{}`", pre.to_ascii_lowercase()),
        ));
    }
    if labels.stage(label).is_none() {
        let known = labels.names().join(", ");
        return Err(refuse(
            format!("`{label}` is not a known pre-release label (known: {known}); PEP 440 has no spelling for it"),
            format!("declare it with its PEP 440 stage in the policy: `labels = {{ {label} = \"rc\" }}`"),
        ));
    }
    if ids.len() > 2 {
        return Err(refuse(
            format!("`-{pre}` has more than one pre-release part; PEP 440 keeps one (`{label}` and a number), so different versions would collapse into one"),
            format!("use `{release}-{label}.N`"),
        ));
    }
    let number = match ids.get(1) {
        None if label == "dev" => None,
        None => {
            return Err(refuse(
                format!("`-{label}` has no number; SemVer orders `-{label}` before `-{label}.0` while PEP 440 reads both as the same version"),
                format!("write `{release}-{label}.1`"),
            ))
        }
        Some(n) => {
            let n: u64 = n.parse().map_err(|_| {
                refuse(
                    format!("`{n}` after `{label}.` is not a number"),
                    format!("write `{release}-{label}.1`"),
                )
            })?;
            if n > NUGET_MAX {
                return Err(VersionError::NotExpressible {
                    version: input.to_string(),
                    ecosystem: "NuGet",
                    rule: format!("the pre-release number {n} is larger than 2,147,483,647 (int32)"),
                });
            }
            Some(n)
        }
    };
    Ok(Pre {
        label: label.to_string(),
        number,
    })
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
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
