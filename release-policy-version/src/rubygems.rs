//! RubyGems versions (`Gem::Version`): the spelling `1.5.0.rc.3` and RubyGems' ordering.
//!
//! RubyGems splits a version into numbers and letter runs (`1.5.0.rc.3` → `1 5 0 "rc" 3`,
//! `1.5.0.rc3` the same), treats any letter as a pre-release, and compares segment by segment:
//! numbers numerically, letter runs as text, a letter run before any number (so `1.5.0.rc.1`
//! sorts before `1.5.0`). Trailing zeros of the release part and of the pre-release part are
//! ignored (`1.5` = `1.5.0`). A `-` is read as `.pre.` (`1.5.0-rc.3` is `1.5.0.pre.rc.3`).

use std::cmp::Ordering;

/// One segment of a gem version.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A run of digits, leading zeros stripped (arbitrarily large, compared by value).
    Number(String),
    /// A run of ASCII letters, as written (RubyGems compares them case-sensitively).
    Letters(String),
}

impl Segment {
    fn is_zero(&self) -> bool {
        matches!(self, Segment::Number(n) if n.is_empty())
    }
}

/// A parsed gem version, as RubyGems compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GemVersion {
    segments: Vec<Segment>,
}

impl GemVersion {
    /// Parse what `Gem::Version.new` accepts: `N(.X)*` with `X` alphanumeric, then an optional
    /// `-`-separated part (read as `.pre.`). Surrounding whitespace is not part of a token here.
    pub fn parse(text: &str) -> Option<GemVersion> {
        let (main, dashed) = match text.split_once('-') {
            Some((main, rest)) => (main, Some(rest)),
            None => (text, None),
        };
        let mut parts = main.split('.');
        let first = parts.next()?;
        if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric())) {
            return None;
        }
        if let Some(rest) = dashed {
            let ok = rest.split('.').all(|p| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
            if !ok {
                return None;
            }
        }
        let normalized = text.replace('-', ".pre.");
        Some(GemVersion {
            segments: segments(&normalized),
        })
    }

    /// The segments with trailing zeros dropped from the release part and the pre-release part.
    // proof: `trim(part)` is one past a position in `part`, or 0, so it is at most `part.len()`.
    #[allow(clippy::indexing_slicing)]
    fn canonical(&self) -> Vec<&Segment> {
        let split = self
            .segments
            .iter()
            .position(|s| matches!(s, Segment::Letters(_)))
            .unwrap_or(self.segments.len());
        let (release, pre) = self.segments.split_at(split);
        let trim = |part: &'_ [Segment]| -> usize {
            part.iter().rposition(|s| !s.is_zero()).map_or(0, |i| i + 1)
        };
        release[..trim(release)]
            .iter()
            .chain(pre[..trim(pre)].iter())
            .collect()
    }
}

/// `[0-9]+|[a-z]+` runs (case-insensitive), in order.
// proof: `bytes[i]` is read only while `i < bytes.len()`; a slice starts at an ASCII digit or
// letter and ends after a run of them (or at the end), so it is on character boundaries.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn segments(text: &str) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Segment::Number(
                text[start..i].trim_start_matches('0').to_string(),
            ));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Segment::Letters(text[start..i].to_string()));
        } else {
            i += 1;
        }
    }
    out
}

fn compare_numbers(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(String::new());
        let left = self.canonical();
        let right = other.canonical();
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).copied().unwrap_or(&zero);
            let r = right.get(i).copied().unwrap_or(&zero);
            let order = match (l, r) {
                (Segment::Number(a), Segment::Number(b)) => compare_numbers(a, b),
                (Segment::Letters(a), Segment::Letters(b)) => a.as_bytes().cmp(b.as_bytes()),
                (Segment::Letters(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Letters(_)) => Ordering::Greater,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The canonical text of a gem version shaped `X[.Y[.Z]]` with an optional `.label[.N]`
/// (`1.5.0.rc.3`, `1.5.0.rc3`): `1.5.0-rc.3`; `None` for any other shape (`1.5.0-rc.3` is
/// `1.5.0.pre.rc.3` for RubyGems, another version). The label is not checked here.
pub fn canonical(text: &str) -> Option<String> {
    let version = GemVersion::parse(text)?;
    let split = version
        .segments
        .iter()
        .position(|s| matches!(s, Segment::Letters(_)))
        .unwrap_or(version.segments.len());
    let (release, pre) = version.segments.split_at(split);
    if release.len() > 3 || text.contains('-') {
        return None;
    }
    let number = |s: &Segment| match s {
        Segment::Number(n) if n.is_empty() => Some("0".to_string()),
        Segment::Number(n) => Some(n.clone()),
        Segment::Letters(_) => None,
    };
    let mut parts = release.iter().map(number).collect::<Option<Vec<_>>>()?;
    parts.resize(3, "0".to_string());
    let mut out = parts.join(".");
    match pre {
        [] => {}
        [Segment::Letters(label)] => {
            out.push('-');
            out.push_str(label);
        }
        [Segment::Letters(label), n @ Segment::Number(_)] => {
            out.push('-');
            out.push_str(label);
            out.push('.');
            out.push_str(&number(n)?);
        }
        _ => return None,
    }
    Some(out)
}

/// RubyGems' order of two spellings; `None` when either is not a gem version.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(GemVersion::parse(a)?.cmp(&GemVersion::parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn order(a: &str, b: &str, expected: Ordering) {
        assert_eq!(compare(a, b), Some(expected), "{a} vs {b}");
        assert_eq!(compare(b, a), Some(expected.reverse()), "{b} vs {a}");
    }

    /// Outcomes as `Gem::Version#<=>` gives them (RubyGems' own test suite and documentation).
    #[test]
    fn orders_as_rubygems() {
        use Ordering::{Equal, Greater, Less};
        order("1.5.0", "1.5", Equal);
        order("1.5.0.0", "1.5", Equal);
        order("1.5.0.rc.3", "1.5.0.rc3", Equal);
        order("1.5.0.rc.3", "1.5.0", Less);
        order("1.5.0.alpha.1", "1.5.0.beta.1", Less);
        order("1.5.0.beta.1", "1.5.0.dev.1", Less);
        order("1.5.0.dev.1", "1.5.0.rc.1", Less);
        order("1.5.0.rc.9", "1.5.0.rc.10", Less);
        order("1.5.0.rc.1", "1.4.9", Greater);
        order("1.0.0.a", "1.0.0.a.0", Equal);
        order("1.0.a.2", "1.0.a.10", Less);
        order("1.0.0", "1.0.0.a", Greater);
        order("1.0.b1", "1.0.a.2", Greater);
        order("1.9.3", "1.9.3.0", Equal);
        order("1.9.3.1", "1.9.3", Greater);
        // `-` reads as `.pre.`: `1.5.0-rc.1` is `1.5.0.pre.rc.1`, before `1.5.0.rc.1`
        order("1.5.0-rc.1", "1.5.0.pre.rc.1", Equal);
        order("1.5.0-rc.1", "1.5.0.rc.1", Less);
        // letters compare as bytes: upper case first
        order("1.5.0.RC.1", "1.5.0.rc.1", Less);
        order("10000000000000000000.0", "9999999999999999999.0", Greater);
    }

    #[test]
    fn canonical_shapes() {
        assert_eq!(canonical("1.5.0.rc.3").as_deref(), Some("1.5.0-rc.3"));
        assert_eq!(canonical("1.5.0.rc3").as_deref(), Some("1.5.0-rc.3"));
        assert_eq!(canonical("1.5").as_deref(), Some("1.5.0"));
        assert_eq!(canonical("1.5.0.dev").as_deref(), Some("1.5.0-dev"));
        assert_eq!(canonical("01.5.0").as_deref(), Some("1.5.0"));
        assert_eq!(canonical("1.5.0-rc.3"), None);
        assert_eq!(canonical("1.5.0.1"), None);
        assert_eq!(canonical("1.5.0.rc.1.2"), None);
    }

    #[test]
    fn parses_what_rubygems_accepts() {
        for ok in [
            "1",
            "1.5.0",
            "1.5.0.rc.3",
            "1.5.0.rc3",
            "1.5.0-rc.3",
            "0.8.0.pre.7",
        ] {
            assert!(GemVersion::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", "v1.5.0", "1..5", "1.5.", "1.5.0+build", "rc.1", "1.5_0"] {
            assert!(GemVersion::parse(bad).is_none(), "{bad}");
        }
    }
}
