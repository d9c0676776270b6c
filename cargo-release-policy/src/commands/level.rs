//! `bump`'s first argument: a level, a pre-release label, or a version. A word that is none
//! of them is a usage error (exit 2) with what was meant (`minr` → `minor`), never a version
//! that failed to parse.

use crate::error::Error;
use release_policy_version::{self as version, Labels, Level, Version};

/// The levels `bump` takes besides the labels.
const LEVELS: [&str; 5] = ["major", "minor", "patch", "pre", "release"];

/// Read `text` as `bump` does: a level, one of `labels`, or a version (`v` allowed).
pub(super) fn parse(text: &str, labels: &Labels) -> Result<Level, Error> {
    let level: Level = match text.parse() {
        Ok(level) => level,
        Err(never) => match never {},
    };
    // A custom label is a level too (`bump preview`).
    let level = match level {
        Level::Exact(word) if labels.stage(&word).is_some() => Level::Label(word),
        other => other,
    };
    let Level::Exact(word) = &level else {
        return Ok(level);
    };
    let bare = word.strip_prefix('v').unwrap_or(word);
    let Err(error) = Version::parse(bare, labels) else {
        return Ok(level);
    };
    if bare.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(Error::Usage {
            message: error.to_string(),
            help: Some("write the version in full, as `1.5.0` or `1.5.0-rc.1`".to_string()),
        });
    }
    let names = labels.names();
    let every: Vec<&str> = LEVELS
        .iter()
        .copied()
        .chain(names.iter().copied())
        .collect();
    let help = match version::closest(&word.to_ascii_lowercase(), every.iter().copied()) {
        Some(meant) => format!("did you mean `{meant}`?"),
        None => format!(
            "levels: {}; labels: {}; or a version such as `1.5.0`",
            LEVELS.join(", "),
            names.join(", ")
        ),
    };
    Err(Error::Usage {
        message: format!("`{word}` is neither a bump level, a pre-release label nor a version"),
        help: Some(help),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, expected: Result<&str, (&str, &str)>) {
        let labels = Labels::with_custom([("preview".to_string(), version::Stage::Rc)]).unwrap();
        match (parse(text, &labels), expected) {
            (Ok(level), Ok(shown)) => assert_eq!(level.to_string(), shown, "{text}"),
            (Err(Error::Usage { message, help }), Err((m, h))) => {
                assert_eq!(message, m, "{text}");
                assert_eq!(help.as_deref(), Some(h), "{text}");
            }
            (other, _) => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn levels_labels_versions_and_typos() {
        case("minor", Ok("minor"));
        case("beta", Ok("beta"));
        case("preview", Ok("preview"));
        case("1.5.0", Ok("1.5.0"));
        case("v1.5.0-rc.1", Ok("v1.5.0-rc.1"));
        case(
            "minr",
            Err((
                "`minr` is neither a bump level, a pre-release label nor a version",
                "did you mean `minor`?",
            )),
        );
        case(
            "Major",
            Err((
                "`Major` is neither a bump level, a pre-release label nor a version",
                "did you mean `major`?",
            )),
        );
        case(
            "previwe",
            Err((
                "`previwe` is neither a bump level, a pre-release label nor a version",
                "did you mean `preview`?",
            )),
        );
        case(
            "auto",
            Err((
                "`auto` is neither a bump level, a pre-release label nor a version",
                "levels: major, minor, patch, pre, release; labels: alpha, beta, rc, dev, preview; or a version such as `1.5.0`",
            )),
        );
        case(
            "1.x",
            Err((
                "`1.x` is not a valid version: unexpected character 'x' while parsing minor version number",
                "write the version in full, as `1.5.0` or `1.5.0-rc.1`",
            )),
        );
    }
}
