//! Numeric versions keep their shape: a file that writes `2.3.1` (`CMake`'s
//! `project(… VERSION …)`) gets `2.4.0`, one that writes `1.5.0.0` (.NET's
//! `AssemblyVersion`) gets `1.6.0.0`, unless a template says otherwise.

use crate::canonical::Version;
use crate::ecosystem::Spelling;
use crate::error::VersionError;

/// The most numbers a numeric version has (.NET's `major.minor.build.revision`, `CMake`'s
/// `major.minor.patch.tweak`).
pub const NUMERIC_MAX_PARTS: usize = 4;

/// How many numbers the numeric version `text` has (`2.3.1` → 3), or `None` when it is not
/// one to four dot-separated numbers.
pub fn numeric_shape(text: &str) -> Option<usize> {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (numeric && parts.len() <= NUMERIC_MAX_PARTS).then_some(parts.len())
}

/// The template of a numeric version of `parts` numbers: `{{major}}.{{minor}}.{{patch}}`
/// for 3, a fourth number 0 (`…{{patch}}.0`), 2 drops the patch.
pub fn numeric_template(parts: usize) -> String {
    ["{{major}}", "{{minor}}", "{{patch}}", "0"]
        .into_iter()
        .take(parts.clamp(1, NUMERIC_MAX_PARTS))
        .collect::<Vec<_>>()
        .join(".")
}

impl Spelling {
    /// `version` as a numeric version of `parts` numbers (the shape a file already has),
    /// under the same limits as the `assembly` format.
    pub fn numeric(&self, version: &Version, parts: usize) -> Result<String, VersionError> {
        self.assembly(version, &numeric_template(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[track_caller]
    fn case(found: &str, version: &str, expected: Option<&str>) {
        let parts = numeric_shape(found);
        let rendered = parts.map(|n| {
            Spelling::default()
                .numeric(&Version::from_str(version).unwrap(), n)
                .unwrap()
        });
        assert_eq!(rendered.as_deref(), expected, "{found} → {version}");
    }

    #[test]
    fn keeps_the_shape() {
        case("2.3.1", "2.4.0", Some("2.4.0"));
        case("2.3.1.0", "2.4.0", Some("2.4.0.0"));
        case("2.3", "2.4.0-rc.1", Some("2.4"));
        case("7", "8.1.0", Some("8"));
        case("2.3.1.0.0", "2.4.0", None);
        case("2.3.x", "2.4.0", None);
        case("", "2.4.0", None);
        assert!(Spelling::default()
            .numeric(&Version::new(70_000, 0, 0), 3)
            .is_err());
    }
}
