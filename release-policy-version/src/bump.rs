//! Computing the next version: bump levels, `--pre`, explicit versions.

use std::fmt;
use std::str::FromStr;

use super::canonical::{Pre, Version};
use super::label::Labels;
use crate::error::VersionError;

/// What `bump` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    Major,
    Minor,
    Patch,
    /// Move to (or step) the pre-release with this built-in label: `alpha`, `beta`, `rc`, `dev`.
    Label(String),
    /// Increment the number of the current pre-release label.
    Pre,
    /// Drop the pre-release.
    Release,
    /// An explicit version.
    Exact(String),
}

impl FromStr for Level {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "major" => Level::Major,
            "minor" => Level::Minor,
            "patch" => Level::Patch,
            "alpha" | "beta" | "rc" | "dev" => Level::Label(s.to_string()),
            "pre" => Level::Pre,
            "release" => Level::Release,
            other => Level::Exact(other.to_string()),
        })
    }
}

/// The version after bumping `current` by `level`, with `--pre label` when given.
///
/// Common practice, as cargo-release and npm do it:
/// * `major`/`minor`/`patch` on a pre-release whose lower parts are already zero drop the
///   pre-release (`patch` on `1.5.0-beta.2` gives `1.5.0`, `minor` on `1.5.0-rc.1` gives `1.5.0`);
/// * `--pre beta` appends `-beta.1` to that result (`minor --pre beta` on `1.4.2` gives
///   `1.5.0-beta.1`);
/// * a label on a release starts the next patch's pre-release (`dev` on `1.4.2` gives
///   `1.4.3-dev.1`); the same label increments (`beta` on `1.5.0-beta.1` gives `1.5.0-beta.2`);
///   another label starts at 1 (`beta` on `1.5.0-alpha.3` gives `1.5.0-beta.1`), or at the
///   label's first number ([`Labels::with_start`]: `pre-release-start`);
/// * `pre` increments the current label's number; `release` drops the pre-release.
///
/// The result is not yet checked for order: see [`crate::check_forward`].
pub fn bump(
    current: &Version,
    level: &Level,
    pre: Option<&str>,
    labels: &Labels,
) -> Result<Version, VersionError> {
    check_pre_option(level, pre, labels)?;
    let next = match level {
        Level::Major => {
            if current.is_pre() && current.minor == 0 && current.patch == 0 {
                current.release()
            } else {
                Version::new(plus_one(current.major, "major")?, 0, 0)
            }
        }
        Level::Minor => {
            if current.is_pre() && current.patch == 0 {
                current.release()
            } else {
                Version::new(current.major, plus_one(current.minor, "minor")?, 0)
            }
        }
        Level::Patch => {
            if current.is_pre() {
                current.release()
            } else {
                Version::new(
                    current.major,
                    current.minor,
                    plus_one(current.patch, "patch")?,
                )
            }
        }
        Level::Label(label) => {
            check_label(label, labels)?;
            match &current.pre {
                None => Version {
                    pre: Some(Pre::new(label.clone(), labels.first(label))),
                    ..Version::new(
                        current.major,
                        current.minor,
                        plus_one(current.patch, "patch")?,
                    )
                },
                Some(p) if &p.label == label => Version {
                    pre: Some(Pre::new(label.clone(), next_number(current, p)?)),
                    ..current.release()
                },
                Some(_) => Version {
                    pre: Some(Pre::new(label.clone(), labels.first(label))),
                    ..current.release()
                },
            }
        }
        Level::Pre => match &current.pre {
            Some(p) if !p.is_labelled() => {
                return Err(VersionError::Bump {
                    reason: format!(
                        "`pre` steps the number of a `label.N` pre-release, and `-{p}` has none"
                    ),
                    help: "name the next version: `bump X.Y.Z-label.N`".to_string(),
                })
            }
            Some(p) => Version {
                pre: Some(Pre::new(p.label.clone(), next_number(current, p)?)),
                ..current.release()
            },
            None => {
                return Err(VersionError::Bump {
                    reason: format!(
                        "`pre` steps the current pre-release, and {current} is a release"
                    ),
                    help: "start one with `bump alpha|beta|rc|dev` or `bump minor --pre beta`"
                        .to_string(),
                })
            }
        },
        Level::Release => {
            if current.is_pre() {
                current.release()
            } else {
                return Err(VersionError::Bump {
                    reason: format!("{current} is already a release"),
                    help: "use `bump patch`, `minor` or `major` for the next release".to_string(),
                });
            }
        }
        Level::Exact(text) => {
            let text = text.strip_prefix('v').unwrap_or(text);
            return Version::parse(text, labels);
        }
    };
    Ok(match pre {
        Some(label) => Version {
            pre: Some(Pre::new(label, labels.first(label))),
            ..next
        },
        None => next,
    })
}

/// The number after `p`'s; refused past `u64` (an ecosystem's own limit, such as NuGet's
/// `int32`, is that ecosystem's rule).
fn next_number(current: &Version, p: &Pre) -> Result<u64, VersionError> {
    p.n().checked_add(1).ok_or_else(|| VersionError::Bump {
        reason: format!("the pre-release number of {current} is the largest there is"),
        help: "start the next label, or release".to_string(),
    })
}

fn check_label(label: &str, labels: &Labels) -> Result<(), VersionError> {
    if labels.stage(label).is_some() {
        Ok(())
    } else {
        Err(VersionError::Bump {
            reason: format!(
                "`{label}` is not a known pre-release label (known: {})",
                labels.names().join(", ")
            ),
            help: crate::suggest::label_help(label, &labels.names()),
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Major => f.write_str("major"),
            Level::Minor => f.write_str("minor"),
            Level::Patch => f.write_str("patch"),
            Level::Label(l) => f.write_str(l),
            Level::Pre => f.write_str("pre"),
            Level::Release => f.write_str("release"),
            Level::Exact(v) => f.write_str(v),
        }
    }
}

/// `n + 1` for the `part` of a version, or why there is no such number.
fn plus_one(n: u64, part: &str) -> Result<u64, VersionError> {
    n.checked_add(1).ok_or_else(|| VersionError::Bump {
        reason: format!("the {part} part {n} is the largest number a version can hold"),
        help: "name the next version: `bump X.Y.Z`".to_string(),
    })
}

/// `--pre LABEL` goes with `major`, `minor` or `patch`, and names a known label.
fn check_pre_option(level: &Level, pre: Option<&str>, labels: &Labels) -> Result<(), VersionError> {
    if let Some(label) = pre {
        if !matches!(level, Level::Major | Level::Minor | Level::Patch) {
            return Err(VersionError::Bump {
                reason: format!(
                    "`--pre {label}` goes with `major`, `minor` or `patch`, not `{level}`"
                ),
                help: format!("`bump {label}` starts or steps the `{label}` pre-release by itself"),
            });
        }
        check_label(label, labels)?;
    }
    Ok(())
}
