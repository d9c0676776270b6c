//! Pattern entries: the files they name, and how many matches each must hold.

use std::collections::BTreeMap;
use std::path::PathBuf;

use policy_schema::PatternEntry;

use super::error::{LoadError, Located};
use super::workspace::Workspace;
use release_policy_editor::text_pattern::Pattern;

/// One pattern entry, as applied to one file it names.
#[derive(Debug, Clone)]
pub struct PatternUse {
    /// The group whose version the matches hold.
    pub group: usize,
    pub pattern: Pattern,
    /// How many matches the file must hold: `exactly` (as `min` = `max`), or `min` (default
    /// 1) and `max`.
    pub min: u32,
    pub max: Option<u32>,
    /// The entry, for messages: `manifests[3]`.
    pub origin: String,
    /// The Cargo.toml listing it.
    pub policy_file: String,
}

impl PatternUse {
    /// Whether `count` matches are allowed.
    pub fn allows(&self, count: usize) -> bool {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        count >= u64::from(self.min) && self.max.is_none_or(|max| count <= u64::from(max))
    }

    /// The rule in words: `exactly 1`, `at least 1`, `at most 2`, `between 1 and 3`.
    pub fn rule(&self) -> String {
        match self.max {
            Some(max) if max == self.min => format!("exactly {max}"),
            Some(max) if self.min == 0 => format!("at most {max}"),
            Some(max) => format!("between {} and {max}", self.min),
            None => format!("at least {}", self.min),
        }
    }
}

/// A file named by pattern entries, before it is read.
pub(super) struct TextFile {
    pub(super) abs: PathBuf,
    pub(super) uses: Vec<PatternUse>,
    /// Where the first entry naming it is written, for errors.
    pub(super) origin: Option<Located>,
    pub(super) policy_file: String,
}

/// A pattern entry, for its uses and messages.
pub(super) struct NamedBy<'a> {
    /// Its group's index.
    pub(super) group: usize,
    /// The Cargo.toml listing it.
    pub(super) policy_file: &'a str,
    /// The entry: `manifests[3]`.
    pub(super) origin: &'a str,
    /// Where it is written, for errors.
    pub(super) at: Option<Located>,
}

/// Record that the pattern entry `named` names each file of `paths`.
pub(super) fn pattern_files(
    named: NamedBy<'_>,
    pattern_entry: &PatternEntry,
    paths: Vec<PathBuf>,
    workspace: &Workspace,
    text_files: &mut BTreeMap<String, TextFile>,
) -> Result<(), LoadError> {
    let NamedBy {
        group: index,
        policy_file,
        origin: entry_origin,
        at: origin,
    } = named;
    let pattern = Pattern::new(&pattern_entry.search, pattern_entry.format).map_err(|e| {
        LoadError::Config {
            path: policy_file.to_string(),
            at: origin.clone(),
            message: format!(
                "invalid pattern entry `{entry_origin}` in `{policy_file}`: {}",
                e.message
            ),
            help: e.help.clone(),
        }
    })?;
    let (min, max) = match pattern_entry.exactly {
        Some(n) => (n, Some(n)),
        None => (pattern_entry.min.unwrap_or(1), pattern_entry.max),
    };
    for abs in paths {
        let key = workspace.relative(&abs);
        let file = text_files.entry(key).or_insert_with(|| TextFile {
            abs,
            uses: Vec::new(),
            origin: origin.clone(),
            policy_file: policy_file.to_string(),
        });
        file.uses.push(PatternUse {
            group: index,
            pattern: pattern.clone(),
            min,
            max,
            origin: entry_origin.to_string(),
            policy_file: policy_file.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use policy_schema::VersionFormat;

    use super::PatternUse;
    use release_policy_editor::text_pattern::Pattern;

    fn pattern_use(exactly: Option<u32>, min: Option<u32>, max: Option<u32>) -> PatternUse {
        // As `pattern_files` reads an entry: `exactly` is `min` = `max`, `min` defaults to 1.
        let (min, max) = match exactly {
            Some(n) => (n, Some(n)),
            None => (min.unwrap_or(1), max),
        };
        PatternUse {
            group: 0,
            pattern: Pattern::new("v{{version}}", VersionFormat::Semver).unwrap(),
            min,
            max,
            origin: "manifests[0]".to_string(),
            policy_file: "Cargo.toml".to_string(),
        }
    }

    /// `exactly`, `min`, `max`; whether 0, 1, 2, 3, 4 matches are allowed; the rule in words.
    type CountRule = (
        Option<u32>,
        Option<u32>,
        Option<u32>,
        [bool; 5],
        &'static str,
    );

    /// Each count rule: the match counts it allows (of 0 to 4), and how it is worded.
    #[test]
    fn count_rules() {
        let rules: [CountRule; 7] = [
            // exactly, min, max: allowed for 0, 1, 2, 3, 4 matches
            (
                None,
                None,
                None,
                [false, true, true, true, true],
                "at least 1",
            ),
            (
                Some(1),
                None,
                None,
                [false, true, false, false, false],
                "exactly 1",
            ),
            (
                Some(3),
                None,
                None,
                [false, false, false, true, false],
                "exactly 3",
            ),
            (
                None,
                Some(0),
                None,
                [true, true, true, true, true],
                "at least 0",
            ),
            (
                None,
                Some(2),
                None,
                [false, false, true, true, true],
                "at least 2",
            ),
            (
                None,
                Some(0),
                Some(2),
                [true, true, true, false, false],
                "at most 2",
            ),
            (
                None,
                Some(1),
                Some(3),
                [false, true, true, true, false],
                "between 1 and 3",
            ),
        ];
        for (exactly, min, max, allowed, words) in rules {
            let rule = pattern_use(exactly, min, max);
            assert_eq!(rule.rule(), words);
            for (count, allowed) in allowed.into_iter().enumerate() {
                assert_eq!(rule.allows(count), allowed, "{words}: {count} matches");
            }
        }
        // `max` alone keeps the default minimum of 1
        let rule = pattern_use(None, None, Some(2));
        assert_eq!(rule.rule(), "between 1 and 2");
        assert!(!rule.allows(0));
    }
}
