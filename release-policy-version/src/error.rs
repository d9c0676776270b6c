//! Why a version cannot be used, or a bump cannot be made.

use crate::view::OrderView;

/// A version that cannot be used, or a bump that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("`{input}` is not a valid version: {reason}")]
    Invalid {
        input: String,
        reason: String,
        help: Option<String>,
    },
    #[error("`{version}` cannot be spelled in {ecosystem}: {rule}")]
    NotExpressible {
        version: String,
        ecosystem: &'static str,
        rule: String,
    },
    /// An ecosystem's rule with a way out: PEP 440's pre-release labels.
    #[error("`{version}` cannot be spelled in {ecosystem}: {reason}")]
    Unspellable {
        version: String,
        ecosystem: &'static str,
        reason: String,
        help: String,
    },
    #[error("{}", not_monotonic(from, to, views))]
    NotMonotonic {
        from: String,
        to: String,
        views: Vec<OrderView>,
    },
    #[error("cannot bump: {reason}")]
    Bump { reason: String, help: String },
    #[error("the template `{template}` is not usable: {reason}")]
    Template { template: String, reason: String },
}

impl VersionError {
    /// How to fix it, when there is something to say.
    pub fn help(&self) -> Option<String> {
        match self {
            VersionError::Invalid { help, .. } => help.clone(),
            VersionError::NotMonotonic { .. } => Some(
                "pick a version that is greater in every ordering (e.g. the next `rc`, or `release`)"
                    .to_string(),
            ),
            VersionError::Bump { help, .. } | VersionError::Unspellable { help, .. } => {
                Some(help.clone())
            }
            VersionError::NotExpressible { .. } | VersionError::Template { .. } => None,
        }
    }
}

fn not_monotonic(from: &str, to: &str, views: &[OrderView]) -> String {
    let backward: Vec<&str> = views
        .iter()
        .filter(|v| v.order != std::cmp::Ordering::Less)
        .map(|v| v.ordering)
        .collect();
    let mut s = format!(
        "{from} → {to} does not move forward in {}",
        backward.join(" and ")
    );
    for view in views {
        s.push_str("\n  ");
        s.push_str(&view.to_string());
    }
    s
}
