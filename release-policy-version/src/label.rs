//! Pre-release labels and the PEP 440 stage each one maps to.

use std::collections::BTreeMap;
use std::fmt;

/// A PEP 440 pre-release stage, in PEP 440 order: `.devN < aN < bN < rcN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Dev,
    Alpha,
    Beta,
    Rc,
}

impl Stage {
    /// The PEP 440 spelling of this stage followed by `number`: `a2`, `rc3`, `.dev4`.
    pub fn pep440(self, number: u64) -> String {
        match self {
            Stage::Dev => format!(".dev{number}"),
            Stage::Alpha => format!("a{number}"),
            Stage::Beta => format!("b{number}"),
            Stage::Rc => format!("rc{number}"),
        }
    }

    /// The stage a policy names as `a`, `b`, `rc` or `dev` (the spellings of the
    /// `[…metadata.release.labels]` table).
    pub fn from_policy(name: &str) -> Option<Stage> {
        match name {
            "a" | "alpha" => Some(Stage::Alpha),
            "b" | "beta" => Some(Stage::Beta),
            "rc" | "c" => Some(Stage::Rc),
            "dev" => Some(Stage::Dev),
            _ => None,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Dev => "dev",
            Stage::Alpha => "a",
            Stage::Beta => "b",
            Stage::Rc => "rc",
        })
    }
}

/// The built-in labels.
pub const BUILTIN: [(&str, Stage); 4] = [
    ("alpha", Stage::Alpha),
    ("beta", Stage::Beta),
    ("rc", Stage::Rc),
    ("dev", Stage::Dev),
];

/// The pre-release labels a group may use: the built-in `alpha`, `beta`, `rc`, `dev` and the
/// repository's own (`labels = { pre = "rc" }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    custom: BTreeMap<String, Stage>,
    /// The first number of a pre-release series (`pre-release-start`): per label, else
    /// `start`.
    starts: BTreeMap<String, u64>,
    start: u64,
}

/// The first number of a pre-release series when the policy does not say.
pub const DEFAULT_START: u64 = 1;

impl Default for Labels {
    fn default() -> Self {
        Labels::builtin()
    }
}

/// A custom label that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("label `{label}` is built in (it is PEP 440 `{stage}`) and cannot be redefined")]
    Builtin { label: String, stage: Stage },
    #[error("label `{label}` must be lowercase ASCII letters (`a`-`z`), as SemVer and PEP 440 both read it")]
    Spelling { label: String },
    #[error("label `{label}` cannot be used: PEP 440 reads `{label}` as a post-release")]
    Post { label: String },
}

impl Labels {
    /// Only the built-in labels.
    pub fn builtin() -> Self {
        Labels {
            custom: BTreeMap::new(),
            starts: BTreeMap::new(),
            start: DEFAULT_START,
        }
    }

    /// These labels with the first number of each pre-release series: `start` for every
    /// label, except those of `per_label` (`pre-release-start = { dev = 0, rc = 1 }`).
    #[must_use]
    pub fn with_start(
        mut self,
        start: u64,
        per_label: impl IntoIterator<Item = (String, u64)>,
    ) -> Self {
        self.start = start;
        self.starts = per_label.into_iter().collect();
        self
    }

    /// The number a new `label` series starts at (`--pre LABEL`, `bump LABEL`).
    pub fn first(&self, label: &str) -> u64 {
        self.starts.get(label).copied().unwrap_or(self.start)
    }

    /// The built-in labels plus `custom` (label → stage).
    pub fn with_custom(
        custom: impl IntoIterator<Item = (String, Stage)>,
    ) -> Result<Self, LabelError> {
        let mut labels = Labels::builtin();
        for (label, stage) in custom {
            if let Some((_, builtin)) = BUILTIN.iter().find(|(name, _)| *name == label) {
                // Naming a built-in label with its own stage changes nothing (the policy
                // accepts it): only another stage is refused.
                if *builtin == stage {
                    continue;
                }
                return Err(LabelError::Builtin {
                    label,
                    stage: *builtin,
                });
            }
            if label.is_empty() || !label.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(LabelError::Spelling { label });
            }
            if matches!(label.as_str(), "post" | "rev" | "r") {
                return Err(LabelError::Post { label });
            }
            labels.custom.insert(label, stage);
        }
        Ok(labels)
    }

    /// The PEP 440 stage of `label`, if it is known.
    pub fn stage(&self, label: &str) -> Option<Stage> {
        BUILTIN
            .iter()
            .find(|(name, _)| *name == label)
            .map(|(_, stage)| *stage)
            .or_else(|| self.custom.get(label).copied())
    }

    /// Every known label, built-in first.
    pub fn names(&self) -> Vec<&str> {
        BUILTIN
            .iter()
            .map(|(name, _)| *name)
            .chain(self.custom.keys().map(String::as_str))
            .collect()
    }
}
