//! One ordering's verdict on a proposed bump, as shown when a bump is refused.

use std::cmp::Ordering;
use std::fmt;

/// One ecosystem's view of a proposed bump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    /// `SemVer` (Cargo, npm, NuGet), `PEP 440`, `RubyGems`, `Maven` or `AssemblyVersion`.
    pub ordering: &'static str,
    pub from: String,
    pub to: String,
    pub order: Ordering,
}

impl fmt::Display for OrderView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.order {
            Ordering::Less => "<",
            Ordering::Equal => "=",
            Ordering::Greater => ">",
        };
        let verdict = match self.order {
            Ordering::Less => "forward",
            Ordering::Equal => "not forward",
            Ordering::Greater => "backward",
        };
        write!(
            f,
            "{:<16}{} {sign} {}  ({verdict})",
            format!("{}:", self.ordering),
            self.from,
            self.to
        )
    }
}
