//! Each ecosystem's spelling of a canonical version, and reading those spellings back.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::canonical::{nuget_refusal, pep440_refusal, Pre, Version, NUGET_MAX};
use crate::error::VersionError;
use crate::label::{Labels, Stage};
use crate::pre_spelling::PreSpelling;
use crate::{maven, rubygems};

/// The largest part MSBuild accepts in a numeric `AssemblyVersion` / `FileVersion`.
pub const ASSEMBLY_MAX: u64 = 65_534;

/// The default template of numeric .NET versions.
pub const DEFAULT_ASSEMBLY_TEMPLATE: &str = "{{major}}.{{minor}}.{{patch}}.0";

/// A way of spelling a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    /// Cargo: SemVer 2.0 (`1.5.0-beta.1`).
    Cargo,
    /// npm: SemVer 2.0 (`1.5.0-beta.1`).
    Npm,
    /// NuGet `Version` / `PackageVersion`: SemVer 2.0, case-insensitive labels.
    NuGet,
    /// .NET `AssemblyVersion` / `FileVersion`: four numbers (`1.5.0.0`), from a template.
    Assembly,
    /// Python: PEP 440 (`1.5.0b1`).
    Pep440,
    /// RubyGems: `1.5.0.beta.1` (any letter makes a pre-release).
    RubyGems,
    /// Maven: `1.5.0-beta.1`; only the qualifiers Maven sorts before the release (`alpha`,
    /// `beta`, `rc`), and every `dev` pre-release of `X.Y.Z` as `X.Y.Z-SNAPSHOT`.
    Maven,
    /// Go modules: SemVer 2.0 with a `v` (`v1.5.0-beta.1`), without build metadata.
    Go,
    /// CocoaPods (`Pod::Version`): the SemVer spelling without build metadata, ordered as
    /// RubyGems orders it (a letter run sorts before a number: `1.0.0-alpha.beta` before
    /// `1.0.0-alpha.1`, the reverse of SemVer).
    CocoaPods,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 9] = [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::NuGet,
        Ecosystem::Assembly,
        Ecosystem::Pep440,
        Ecosystem::RubyGems,
        Ecosystem::Maven,
        Ecosystem::Go,
        Ecosystem::CocoaPods,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "Cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Assembly => "AssemblyVersion",
            Ecosystem::Pep440 => "PEP 440",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Maven => "Maven",
            Ecosystem::Go => "Go",
            Ecosystem::CocoaPods => "CocoaPods",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a found spelling compares with the expected version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The exact canonical spelling.
    Same,
    /// The same version, spelled another way the ecosystem accepts (`1.5.0-rc.2` in a pyproject).
    Equivalent,
    /// Another version.
    Different,
    /// Not a version of this ecosystem at all.
    Invalid(String),
}

/// Everything needed to spell a version in every ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    pub labels: Labels,
    /// Template of numeric .NET versions (`{{major}}.{{minor}}.{{patch}}.0`).
    pub assembly: String,
    /// How SemVer files write a pre-release (`pre-release-spelling`).
    pub pre: PreSpelling,
    /// Whether PEP 440 files carry the build metadata as a local version (`1.5.0a1+dev`,
    /// which pip and uv accept and PyPI refuses), or leave it out (`pep440-local-version =
    /// false`).
    pub pep440_local: bool,
}

impl Default for Spelling {
    fn default() -> Self {
        Spelling {
            labels: Labels::builtin(),
            assembly: DEFAULT_ASSEMBLY_TEMPLATE.to_string(),
            pre: PreSpelling::Dotted,
            pep440_local: true,
        }
    }
}

impl Spelling {
    /// `version` as `ecosystem` writes it.
    pub fn render(&self, version: &Version, ecosystem: Ecosystem) -> Result<String, VersionError> {
        match ecosystem {
            Ecosystem::Cargo => Ok(self.pre.semver(version)),
            Ecosystem::Npm => match &version.build {
                // npm strips build metadata when it publishes: `1.0.0+a` and `1.0.0+b`
                // would both be `1.0.0` on the registry.
                Some(build) => Err(VersionError::NotExpressible {
                    version: version.to_string(),
                    ecosystem: "npm",
                    rule: format!("npm drops the build metadata `+{build}` when it publishes"),
                }),
                None => match npm_refusal(version) {
                    Some(error) => Err(error),
                    None => Ok(self.pre.semver(version)),
                },
            },
            Ecosystem::NuGet => match nuget_refusal(version) {
                Some(error) => Err(error),
                None => Ok(self.pre.semver(version)),
            },
            Ecosystem::Pep440 => self.pep440(version),
            Ecosystem::Assembly => self.assembly(version, &self.assembly),
            Ecosystem::RubyGems => rubygems_spelling(version),
            Ecosystem::Maven => maven_spelling(version, &self.labels),
            Ecosystem::Go => go_spelling(version),
            Ecosystem::CocoaPods => match &version.build {
                // `Pod::Version`'s pattern has no `+`: `pod lib lint` refuses the spec.
                Some(build) => Err(VersionError::NotExpressible {
                    version: version.to_string(),
                    ecosystem: "CocoaPods",
                    rule: format!("CocoaPods versions have no build metadata (`+{build}`)"),
                }),
                None => Ok(self.pre.semver(version)),
            },
        }
    }

    /// The PEP 440 spelling: `1.5.0b1`, `1.5.0.dev4`; build metadata as a local version
    /// (`1.5.0a1+dev`), or left out with `pep440_local` off.
    pub fn pep440(&self, version: &Version) -> Result<String, VersionError> {
        let public = self.pep440_public(&version.without_build())?;
        match &version.build {
            Some(build) if self.pep440_local => {
                if let Some(error) = local_refusal(version, build) {
                    return Err(error);
                }
                Ok(format!("{public}+{build}"))
            }
            _ => Ok(public),
        }
    }

    /// The PEP 440 spelling of a version without build metadata.
    fn pep440_public(&self, version: &Version) -> Result<String, VersionError> {
        if let Some(error) = pep440_refusal(version, &self.labels) {
            return Err(error);
        }
        let release = version.release().to_string();
        match &version.pre {
            None => Ok(release),
            Some(pre) => {
                let stage =
                    self.labels
                        .stage(&pre.label)
                        .ok_or_else(|| VersionError::NotExpressible {
                            version: version.to_string(),
                            ecosystem: "PEP 440",
                            rule: format!("the label `{}` has no PEP 440 stage", pre.label),
                        })?;
                Ok(format!("{release}{}", stage.pep440(pre.n())))
            }
        }
    }

    /// A numeric .NET version from `template` (placeholders `{{major}}`, `{{minor}}`,
    /// `{{patch}}`); every part must be a number ≤ 65,534.
    pub fn assembly(&self, version: &Version, template: &str) -> Result<String, VersionError> {
        let rendered = template
            .replace("{{major}}", &version.major.to_string())
            .replace("{{minor}}", &version.minor.to_string())
            .replace("{{patch}}", &version.patch.to_string());
        let parts: Vec<&str> = rendered.split('.').collect();
        if parts.len() > 4
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(VersionError::Template {
                template: template.to_string(),
                reason: format!(
                    "it renders `{rendered}`, not one to four numbers separated by dots"
                ),
            });
        }
        for part in parts {
            let value: u64 = part.parse().unwrap_or(u64::MAX);
            if value > ASSEMBLY_MAX {
                return Err(VersionError::NotExpressible {
                    version: version.to_string(),
                    ecosystem: "AssemblyVersion",
                    rule: format!("`{rendered}` has a part larger than 65,534"),
                });
            }
        }
        Ok(rendered)
    }

    /// Check that `version` can be spelled in every ecosystem of `ecosystems`.
    pub fn check_expressible(
        &self,
        version: &Version,
        ecosystems: &[Ecosystem],
    ) -> Result<(), VersionError> {
        for &eco in ecosystems {
            self.render(version, eco)?;
        }
        Ok(())
    }

    /// Compare a spelling found in a file with the expected version, by meaning.
    pub fn compare(&self, expected: &Version, found: &str, ecosystem: Ecosystem) -> Comparison {
        let rendered = match self.render(expected, ecosystem) {
            Ok(r) => r,
            Err(e) => return Comparison::Invalid(e.to_string()),
        };
        if found == rendered {
            return Comparison::Same;
        }
        let equal = match ecosystem {
            Ecosystem::Cargo | Ecosystem::Npm => match semver::Version::parse(found) {
                // the same precedence, or the other pre-release spelling (`rc1` for `rc.1`)
                Ok(v) => {
                    v.cmp_precedence(&expected.to_semver()) == Ordering::Equal
                        || self.other_pre_spelling(expected, found, ecosystem)
                }
                Err(e) => return Comparison::Invalid(format!("not a SemVer version: {e}")),
            },
            Ecosystem::NuGet => match NuGetVersion::parse(found) {
                Some(v) => {
                    NuGetVersion::parse(&rendered).is_some_and(|e| e == v)
                        || self.other_pre_spelling(expected, found, ecosystem)
                }
                None => return Comparison::Invalid("not a NuGet version".to_string()),
            },
            Ecosystem::Assembly => match numeric_parts(found) {
                Some(v) => numeric_parts(&rendered).is_some_and(|e| e == v),
                None => {
                    return Comparison::Invalid(
                        "not a numeric version (one to four numbers)".to_string(),
                    )
                }
            },
            Ecosystem::Pep440 => match pep440_rs::Version::from_str(found) {
                Ok(v) => pep440_rs::Version::from_str(&rendered).is_ok_and(|e| e == v),
                Err(e) => return Comparison::Invalid(format!("not a PEP 440 version: {e}")),
            },
            Ecosystem::RubyGems => match rubygems::compare(found, &rendered) {
                Some(order) => order == Ordering::Equal,
                None => return Comparison::Invalid("not a RubyGems version".to_string()),
            },
            Ecosystem::CocoaPods => match rubygems::compare(found, &rendered) {
                Some(order) => order == Ordering::Equal,
                None => return Comparison::Invalid("not a CocoaPods version".to_string()),
            },
            Ecosystem::Maven => {
                if !found.starts_with(|c: char| c.is_ascii_digit()) {
                    return Comparison::Invalid(
                        "not a Maven version (it does not start with a number)".to_string(),
                    );
                }
                maven::compare(found, &rendered) == Ordering::Equal
            }
            Ecosystem::Go => match found.strip_prefix('v').map(semver::Version::parse) {
                Some(Ok(v)) => v.cmp_precedence(&expected.to_semver()) == Ordering::Equal,
                _ => {
                    return Comparison::Invalid(
                        "not a Go module version (`v` and SemVer: `v1.2.3`)".to_string(),
                    )
                }
            },
        };
        if equal {
            Comparison::Equivalent
        } else {
            Comparison::Different
        }
    }

    /// Whether `found` spells `expected` with the other pre-release spelling of SemVer files
    /// (`rc1` for `rc.1`, the bare `dev` for `dev.0`, or back), build metadata aside.
    fn other_pre_spelling(&self, expected: &Version, found: &str, ecosystem: Ecosystem) -> bool {
        let Ok(found) = self.read(found, ecosystem) else {
            return false;
        };
        let (a, b) = (found.without_build(), expected.without_build());
        match (&a.pre, &b.pre) {
            (Some(x), Some(y)) if x.label == "dev" && y.label == "dev" => {
                a.release() == b.release() && x.n() == y.n()
            }
            _ => a == b,
        }
    }

    /// Read a spelling of `ecosystem` back into a canonical version.
    ///
    /// PEP 440 `1.5.0rc2`, `1.5.0-rc.2` and `1.5.0.rc2` all read as `1.5.0-rc.2`; an
    /// `AssemblyVersion` `1.5.0.0` reads as `1.5.0` (its pre-release is not recorded).
    pub fn read(&self, found: &str, ecosystem: Ecosystem) -> Result<Version, VersionError> {
        match ecosystem {
            Ecosystem::Cargo | Ecosystem::Npm | Ecosystem::CocoaPods => {
                Version::parse(found, &self.labels)
            }
            Ecosystem::NuGet => {
                let v = NuGetVersion::parse(found).ok_or_else(|| VersionError::Invalid {
                    input: found.to_string(),
                    reason: "not a NuGet version".to_string(),
                    help: None,
                })?;
                let text = v.normalized();
                Version::parse(&text, &self.labels)
            }
            Ecosystem::Assembly => {
                let parts = numeric_parts(found).ok_or_else(|| VersionError::Invalid {
                    input: found.to_string(),
                    reason: "not a numeric version".to_string(),
                    help: None,
                })?;
                Ok(Version::new(parts[0], parts[1], parts[2]))
            }
            Ecosystem::Pep440 => self.read_pep440(found),
            Ecosystem::RubyGems => {
                let canonical =
                    rubygems::canonical(found).ok_or_else(|| VersionError::Invalid {
                        input: found.to_string(),
                        reason: "not a RubyGems spelling of `X.Y.Z` or `X.Y.Z.label.N`".to_string(),
                        help: None,
                    })?;
                Version::parse(&canonical, &self.labels)
            }
            Ecosystem::Maven => {
                let canonical = maven::canonical(found).ok_or_else(|| VersionError::Invalid {
                    input: found.to_string(),
                    reason: "not a Maven spelling of `X.Y.Z` or `X.Y.Z-label.N`".to_string(),
                    help: None,
                })?;
                Version::parse(&canonical, &self.labels)
            }
            Ecosystem::Go => match found.strip_prefix('v') {
                Some(rest) => Version::parse(rest, &self.labels),
                None => Err(VersionError::Invalid {
                    input: found.to_string(),
                    reason: "a Go module version starts with `v`".to_string(),
                    help: None,
                }),
            },
        }
    }

    fn read_pep440(&self, found: &str) -> Result<Version, VersionError> {
        let invalid = |reason: &str| VersionError::Invalid {
            input: found.to_string(),
            reason: reason.to_string(),
            help: None,
        };
        let v = pep440_rs::Version::from_str(found)
            .map_err(|e| invalid(&format!("not a PEP 440 version: {e}")))?;
        if v.epoch() != 0 {
            return Err(invalid("an epoch (`N!`) has no SemVer spelling"));
        }
        if v.post().is_some() {
            return Err(invalid("a post-release has no SemVer spelling"));
        }
        // A local version is the build metadata (`1.5.0a1+dev` is `1.5.0-alpha.1+dev`).
        let build = found
            .split_once('+')
            .map(|(_, local)| local.to_ascii_lowercase().replace(['-', '_'], "."));
        let release = v.release();
        if release.len() > 3 {
            return Err(invalid(
                "more than three release numbers have no SemVer spelling",
            ));
        }
        let part = |i: usize| release.get(i).copied().unwrap_or(0);
        let mut out = Version::new(part(0), part(1), part(2));
        out.build = build.filter(|_| !v.local().is_empty());
        match (v.pre(), v.dev()) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "a pre-release with a `.dev` part has no canonical SemVer spelling",
                ))
            }
            (Some(pre), None) => {
                let stage = match pre.kind {
                    pep440_rs::PrereleaseKind::Alpha => Stage::Alpha,
                    pep440_rs::PrereleaseKind::Beta => Stage::Beta,
                    pep440_rs::PrereleaseKind::Rc => Stage::Rc,
                };
                out.pre = Some(Pre::new(self.label_for(stage), pre.number));
            }
            (None, Some(dev)) => out.pre = Some(Pre::new("dev", dev)),
            (None, None) => {}
        }
        Ok(out)
    }

    /// The label to read a PEP 440 stage back as: the built-in one.
    fn label_for(&self, stage: Stage) -> &'static str {
        let _ = &self.labels;
        match stage {
            Stage::Dev => "dev",
            Stage::Alpha => "alpha",
            Stage::Beta => "beta",
            Stage::Rc => "rc",
        }
    }
}

/// Why `build` cannot be a PEP 440 local version that reads back as itself, if it cannot:
/// PEP 440 lowercases it and reads `-` and `_` as `.`.
fn local_refusal(version: &Version, build: &str) -> Option<VersionError> {
    let normal = build.to_ascii_lowercase().replace('-', ".");
    (normal != build).then(|| VersionError::Unspellable {
        version: version.to_string(),
        ecosystem: "PEP 440",
        reason: format!(
            "PEP 440 reads the build metadata `+{build}` as the local version `+{normal}`, another SemVer version"
        ),
        help: format!("write the build metadata as `+{normal}`"),
    })
}

/// The largest number npm's `semver` reads (`Number.MAX_SAFE_INTEGER`).
pub const NPM_MAX: u64 = 9_007_199_254_740_991;

/// npm's limit: every number of a version is at most [`NPM_MAX`].
fn npm_refusal(version: &Version) -> Option<VersionError> {
    let pre_numbers = version.pre.iter().flat_map(|pre| {
        pre.label
            .split('.')
            .filter_map(|id| id.parse::<u64>().ok())
            .chain(pre.number)
    });
    let too_big = [version.major, version.minor, version.patch]
        .into_iter()
        .chain(pre_numbers)
        .find(|&n| n > NPM_MAX)?;
    Some(VersionError::NotExpressible {
        version: version.to_string(),
        ecosystem: "npm",
        rule: format!("the number {too_big} is larger than 9,007,199,254,740,991 (npm's `Number.MAX_SAFE_INTEGER`)"),
    })
}

fn rubygems_spelling(version: &Version) -> Result<String, VersionError> {
    let refuse = |rule: String| VersionError::NotExpressible {
        version: version.to_string(),
        ecosystem: "RubyGems",
        rule,
    };
    if let Some(build) = &version.build {
        return Err(refuse(format!(
            "RubyGems has no build metadata (`+{build}`)"
        )));
    }
    match &version.pre {
        Some(pre) if !pre.is_labelled() => Err(refuse(format!(
            "`-{pre}` is not a label with a number (`label.N`)"
        ))),
        // RubyGems splits a segment at every change between letters and digits (`rc1` is `rc`,
        // `1`): a label of anything but letters would read back as other segments.
        Some(pre) if !pre.label.bytes().all(|b| b.is_ascii_alphabetic()) => Err(refuse(format!(
            "RubyGems splits the label `{}` at its digits and signs into segments of their own",
            pre.label
        ))),
        Some(pre) => Ok(format!("{}.{pre}", version.release())),
        None => Ok(version.to_string()),
    }
}

/// The qualifiers Maven sorts before the release, which a canonical pre-release may use.
pub const MAVEN_QUALIFIERS: [&str; 3] = ["alpha", "beta", "rc"];

/// The Maven spelling: the canonical one, for the labels Maven orders before the release; a
/// `dev` pre-release (or a label of the `dev` stage) is the snapshot of its release,
/// `X.Y.Z-SNAPSHOT`, whatever its number: Maven republishes a snapshot in place, and orders
/// it after every `rc` and before the release.
fn maven_spelling(version: &Version, labels: &Labels) -> Result<String, VersionError> {
    if let Some(build) = &version.build {
        return Err(VersionError::NotExpressible {
            version: version.to_string(),
            ecosystem: "Maven",
            rule: format!("Maven has no build metadata (`+{build}`)"),
        });
    }
    match &version.pre {
        Some(pre) if pre.is_labelled() && labels.stage(&pre.label) == Some(Stage::Dev) => {
            Ok(format!("{}-{}", version.release(), maven::SNAPSHOT))
        }
        Some(pre) if !MAVEN_QUALIFIERS.contains(&pre.label.as_str()) => {
            Err(VersionError::NotExpressible {
                version: version.to_string(),
                ecosystem: "Maven",
                rule: format!(
                    "Maven sorts the qualifier `{}` after the release `{}`, so the release would go backward; only `alpha`, `beta`, `rc` and `dev` (spelled `-SNAPSHOT`) come before it",
                    pre.label,
                    version.release()
                ),
            })
        }
        _ => Ok(version.to_string()),
    }
}

/// The Go spelling: `v` and the SemVer version. Go drops build metadata from module
/// versions (`go` treats `v1.0.0+meta` as `v1.0.0`), so it is refused.
fn go_spelling(version: &Version) -> Result<String, VersionError> {
    match &version.build {
        Some(build) => Err(VersionError::NotExpressible {
            version: version.to_string(),
            ecosystem: "Go",
            rule: format!("Go module versions have no build metadata (`+{build}`)"),
        }),
        None => Ok(format!("v{version}")),
    }
}

/// Up to four dot-separated numbers, missing ones as 0. Leading zeros are allowed, as .NET
/// reads them.
fn numeric_parts(text: &str) -> Option<[u64; 4]> {
    let mut out = [0u64; 4];
    let mut count = 0;
    for (i, part) in text.split('.').enumerate() {
        if i >= 4 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *out.get_mut(i)? = part.parse().ok()?;
        count += 1;
    }
    (count >= 2).then_some(out)
}

/// A NuGet version, normalized: `1.5` = `1.5.0` = `1.5.0.0`, labels case-insensitive, build
/// metadata ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NuGetVersion {
    parts: [u64; 4],
    pre: String,
}

impl NuGetVersion {
    fn parse(text: &str) -> Option<NuGetVersion> {
        let text = text.trim();
        let text = text.split_once('+').map_or(text, |(v, _)| v);
        let (release, pre) = match text.split_once('-') {
            Some((r, p)) if !p.is_empty() => (r, p.to_ascii_lowercase()),
            Some(_) => return None,
            None => (text, String::new()),
        };
        let parts = numeric_parts(release)?;
        if parts.iter().any(|&p| p > NUGET_MAX) {
            return None;
        }
        Some(NuGetVersion { parts, pre })
    }

    fn normalized(&self) -> String {
        let [major, minor, patch, revision] = self.parts;
        let mut text = format!("{major}.{minor}.{patch}");
        if revision != 0 {
            text = format!("{text}.{revision}");
        }
        if !self.pre.is_empty() {
            text.push('-');
            text.push_str(&self.pre);
        }
        text
    }
}
