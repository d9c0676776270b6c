//! Maven versions: the ordering of Maven's `ComparableVersion` (Maven 3), which Maven, Gradle's
//! Maven repositories and most JVM tooling use.
//!
//! A version is split at `.` and `-` and at every change between digits and letters; a `-` (or
//! a letter-digit change, or a qualifier after a `.`) opens a nested list. Numbers compare numerically; qualifiers by their
//! rank `alpha < beta < milestone < rc < snapshot < (release) < sp`, any other qualifier after
//! those in text order (so `dev` sorts *after* the release); `a1`, `b1`, `m1` are `alpha-1`,
//! `beta-1`, `milestone-1`; `cr` is `rc`, `ga` and `final` are the release. Trailing zeros and
//! release qualifiers are dropped (`1.5.0` = `1.5`). Case is ignored.

use std::cmp::Ordering;

/// One item of a parsed version.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Digits with leading zeros stripped (arbitrarily large, compared by value).
    Number(String),
    /// A qualifier, lowercase, with its aliases resolved.
    Qualifier(String),
    List(Vec<Item>),
}

/// The qualifiers Maven knows, in order; `""` is the release.
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_RANK: usize = 5;

/// A qualifier's place: a known one by its index, an unknown one after all of them, by text.
fn rank(qualifier: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|q| *q == qualifier) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), qualifier),
    }
}

/// Whether `qualifier` makes a pre-release in Maven's order (`alpha`, `beta`, `milestone`,
/// `rc`): an unknown one (`dev`, `preview`) sorts after the release, so `1.5.0-dev.4` is no
/// pre-release of `1.5.0` to Maven and is not read as one. (`snapshot` has its own shape.)
fn before_release(qualifier: &str) -> bool {
    qualifier != "snapshot" && rank(qualifier).0 < RELEASE_RANK
}

/// Maven compares the qualifier ranks as strings (`"5"`, `"7-dev"`): equal to comparing the
/// index, then the text of an unknown qualifier.
fn compare_qualifiers(a: &str, b: &str) -> Ordering {
    rank(a).cmp(&rank(b))
}

impl Item {
    fn qualifier(text: &str, followed_by_digit: bool) -> Item {
        let text = match (followed_by_digit, text) {
            (true, "a") => "alpha",
            (true, "b") => "beta",
            (true, "m") => "milestone",
            (_, "ga" | "final") => "",
            (_, "cr") => "rc",
            (_, other) => other,
        };
        Item::Qualifier(text.to_string())
    }

    fn number(digits: &str) -> Item {
        Item::Number(digits.trim_start_matches('0').to_string())
    }

    fn is_null(&self) -> bool {
        match self {
            Item::Number(n) => n.is_empty(),
            Item::Qualifier(q) => rank(q).0 == RELEASE_RANK,
            Item::List(items) => items.is_empty(),
        }
    }

    /// `self` against a missing item (the other version is shorter).
    fn compare_to_nothing(&self) -> Ordering {
        match self {
            Item::Number(n) => {
                if n.is_empty() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            Item::Qualifier(q) => compare_qualifiers(q, ""),
            Item::List(items) => items
                .first()
                .map_or(Ordering::Equal, Item::compare_to_nothing),
        }
    }

    fn compare(&self, other: &Item) -> Ordering {
        match (self, other) {
            (Item::Number(a), Item::Number(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
            (Item::Qualifier(a), Item::Qualifier(b)) => compare_qualifiers(a, b),
            (Item::List(a), Item::List(b)) => compare_lists(a, b),
            // Items of different kinds: `1-sp < 1-1 < 1.1`.
            _ => self.kind_rank().cmp(&other.kind_rank()),
        }
    }

    fn kind_rank(&self) -> u8 {
        match self {
            Item::Qualifier(_) => 0,
            Item::List(_) => 1,
            Item::Number(_) => 2,
        }
    }
}

fn compare_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let order = match (a.get(i), b.get(i)) {
            (Some(l), Some(r)) => l.compare(r),
            (Some(l), None) => l.compare_to_nothing(),
            (None, Some(r)) => r.compare_to_nothing().reverse(),
            (None, None) => Ordering::Equal,
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// Drop trailing null items (`0`, the release qualifier, empty lists), stopping at the first
/// item that is neither null nor a list.
// proof: `i` is decremented from `items.len()` before each use and stays above the removed items,
// so it is in range.
#[allow(clippy::indexing_slicing)]
fn normalize(items: &mut Vec<Item>) {
    let mut i = items.len();
    while i > 0 {
        i -= 1;
        if items[i].is_null() {
            items.remove(i);
        } else if !matches!(items[i], Item::List(_)) {
            break;
        }
    }
}

/// A parsed Maven version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MavenVersion {
    items: Vec<Item>,
}

impl MavenVersion {
    /// Parse any text, as Maven does (every string is a Maven version).
    // proof: `stack` starts with the root list and only loses lists while it has more than one, so
    // `stack.len() - 1` is in range. Slices of `text` start at 0, after an ASCII `.`/`-`, at an
    // ASCII digit, or at the byte after a digit; they end at an ASCII `.`/`-`/digit, after a digit,
    // or at the end: all character boundaries.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    pub fn parse(text: &str) -> MavenVersion {
        let text = text.to_ascii_lowercase();
        let bytes = text.as_bytes();
        // The lists being filled: the root first, the innermost last. A nested list is built
        // in place and attached to its parent when it is closed, at the end.
        let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
        let mut is_digit = false;
        let mut start = 0;
        let item = |is_digit: bool, part: &str| {
            if is_digit {
                Item::number(part)
            } else {
                Item::qualifier(part, false)
            }
        };
        for (i, &c) in bytes.iter().enumerate() {
            let top = stack.len() - 1;
            match c {
                b'.' => {
                    let it = if i == start {
                        Item::Number(String::new())
                    } else {
                        item(is_digit, &text[start..i])
                    };
                    stack[top].push(it);
                    start = i + 1;
                }
                b'-' => {
                    let it = if i == start {
                        Item::Number(String::new())
                    } else {
                        item(is_digit, &text[start..i])
                    };
                    stack[top].push(it);
                    start = i + 1;
                    stack.push(Vec::new());
                }
                c if c.is_ascii_digit() => {
                    if !is_digit && i > start {
                        // Letters then digits: `1.0.0.X1 < 1.0.0-X2`, so `.X` is read as `-X`.
                        if !stack[top].is_empty() {
                            stack.push(Vec::new());
                        }
                        let top = stack.len() - 1;
                        stack[top].push(Item::qualifier(&text[start..i], true));
                        start = i;
                        stack.push(Vec::new());
                    }
                    is_digit = true;
                }
                _ => {
                    if is_digit && i > start {
                        stack[top].push(Item::number(&text[start..i]));
                        start = i;
                        stack.push(Vec::new());
                    }
                    is_digit = false;
                }
            }
        }
        if text.len() > start {
            // A trailing qualifier after a `.` is read as after a `-` too.
            if !is_digit && !stack[stack.len() - 1].is_empty() {
                stack.push(Vec::new());
            }
            let top = stack.len() - 1;
            stack[top].push(item(is_digit, &text[start..]));
        }
        // Close the lists innermost first: each is normalized, then attached to its parent.
        while stack.len() > 1 {
            let mut list = stack.pop().unwrap_or_default();
            normalize(&mut list);
            let top = stack.len() - 1;
            stack[top].push(Item::List(list));
        }
        let mut items = stack.pop().unwrap_or_default();
        normalize(&mut items);
        MavenVersion { items }
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The qualifier of a snapshot, as Maven projects write it.
pub const SNAPSHOT: &str = "SNAPSHOT";

/// The canonical text of a Maven version shaped `X[.Y[.Z]]` with an optional
/// `-qualifier.N` (case and Maven's aliases ignored): `1.5.0-RC.3` → `1.5.0-rc.3`; `None` for
/// any other shape (`1.5.0-rc3` is another version for Maven). A snapshot `X.Y.Z-SNAPSHOT`
/// is the bare `dev` pre-release `X.Y.Z-dev` (every `dev.N` of `X.Y.Z` is spelled so). The
/// qualifier is not checked here.
pub fn canonical(text: &str) -> Option<String> {
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let version = MavenVersion::parse(text);
    let split = version
        .items
        .iter()
        .position(|i| !matches!(i, Item::Number(_)))
        .unwrap_or(version.items.len());
    let (release, rest) = version.items.split_at(split);
    if release.len() > 3 {
        return None;
    }
    let number = |n: &str| {
        if n.is_empty() {
            "0".to_string()
        } else {
            n.to_string()
        }
    };
    let mut parts: Vec<String> = release
        .iter()
        .map(|i| match i {
            Item::Number(n) => number(n),
            _ => String::new(),
        })
        .collect();
    parts.resize(3, "0".to_string());
    let mut out = parts.join(".");
    match rest {
        [] => {}
        [Item::List(pre)] => match pre.as_slice() {
            [Item::Qualifier(q)] if q == "snapshot" => out.push_str("-dev"),
            [Item::Qualifier(q)] if before_release(q) => {
                out.push('-');
                out.push_str(q);
                out.push_str(".0");
            }
            [Item::Qualifier(q), Item::Number(n)] if before_release(q) => {
                out.push('-');
                out.push_str(q);
                out.push('.');
                out.push_str(&number(n));
            }
            _ => return None,
        },
        _ => return None,
    }
    Some(out)
}

/// Whether `text` is a snapshot (`1.5.0-SNAPSHOT`, any case): Maven replaces a snapshot
/// in place, so moving from one to the same one is how it is meant to be used.
pub fn is_snapshot(text: &str) -> bool {
    text.len() > SNAPSHOT.len() + 1
        && text
            .len()
            .checked_sub(SNAPSHOT.len() + 1)
            .and_then(|start| text.get(start..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case("-snapshot"))
}

/// Maven's order of two versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    MavenVersion::parse(a).cmp(&MavenVersion::parse(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn order(a: &str, b: &str, expected: Ordering) {
        assert_eq!(compare(a, b), expected, "{a} vs {b}");
        assert_eq!(compare(b, a), expected.reverse(), "{b} vs {a}");
    }

    #[test]
    fn canonical_shapes() {
        assert_eq!(canonical("1.5.0-rc.3").as_deref(), Some("1.5.0-rc.3"));
        assert_eq!(canonical("1.5.0-RC.3").as_deref(), Some("1.5.0-rc.3"));
        assert_eq!(canonical("1.5.0-cr.3").as_deref(), Some("1.5.0-rc.3"));
        assert_eq!(canonical("1.5").as_deref(), Some("1.5.0"));
        assert_eq!(canonical("1.5.0-rc3"), None);
        assert_eq!(canonical("1.5.0.1"), None);
        assert_eq!(canonical("1.5.0.rc.1"), None);
        assert_eq!(canonical("v1.5.0"), None);
        assert_eq!(canonical("1.5.0-SNAPSHOT").as_deref(), Some("1.5.0-dev"));
        assert_eq!(canonical("1.5-snapshot").as_deref(), Some("1.5.0-dev"));
        assert_eq!(canonical("1.5.0-SNAPSHOT.2"), None);
        // After the release in Maven's order: not a pre-release of it.
        assert_eq!(canonical("1.5.0-dev.4"), None);
        assert_eq!(canonical("2.60.0-dev"), None);
        assert_eq!(canonical("1.5.0-sp.1"), None);
        assert_eq!(
            canonical("1.5.0-milestone.2").as_deref(),
            Some("1.5.0-milestone.2")
        );
    }

    /// Outcomes as Maven 3.8's `ComparableVersion` gives them (also checked against Maven
    /// itself by `tests/testsuite/oracle_maven.rs`).
    #[test]
    fn orders_as_maven() {
        use Ordering::{Equal, Greater, Less};
        order("1.5.0-alpha.1", "1.5.0-beta.1", Less);
        order("1.5.0-beta.1", "1.5.0-rc.3", Less);
        order("1.5.0-rc.3", "1.5.0", Less);
        order("1.5.0-rc.9", "1.5.0-rc.10", Less);
        order("1.5.0", "1.5", Equal);
        order("1.5.0-RC.3", "1.5.0-rc.3", Equal);
        order("1.5.0-cr.3", "1.5.0-rc.3", Equal);
        order("1.5.0-ga", "1.5.0", Equal);
        // an unknown qualifier, `dev` included, sorts after the release
        order("1.5.0-dev.1", "1.5.0", Greater);
        order("1.5.0-dev.1", "1.5.1", Less);
        // `-rc.3` and `-rc3` are different versions for Maven
        order("1.5.0-rc.3", "1.5.0-rc3", Greater);
        order("1.5.0-rc3", "1.5.0-rc-3", Equal);
        order("1.0-alpha1", "1.0-a1", Equal);
        order("1.0-SNAPSHOT", "1.0-rc1", Greater);
        order("1.0-SNAPSHOT", "1.0", Less);
        order("1.0-sp1", "1.0", Greater);
        order("1.0.1", "1.0-sp1", Greater);
        order("1", "1.0.0.0.0", Equal);
    }
}
