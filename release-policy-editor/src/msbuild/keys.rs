//! Human keys for MSBuild values, unique within a file and stable under the tool's edits.
//!
//! * A property: `PropertyGroup/Version`. When the file defines the property more than
//!   once (conditionally or not), every definition names its `PropertyGroup` by position
//!   among the file's property groups (1-based, document order, `<Choose>` branches
//!   included): `PropertyGroup[2]/Version`; twice in one group adds the occurrence:
//!   `PropertyGroup[2]/Version[2]`.
//! * An item's version: `ItemGroup/PackageReference[Sibling]/@Version` (attribute) or
//!   `ItemGroup/PackageReference[Sibling]/Version` (child element), with the same
//!   numbering when the same item and version source appear more than once:
//!   `ItemGroup[3]/PackageReference[Sibling]/@Version`.
//!
//! Names are compared ignoring ASCII case, as MSBuild and NuGet do. Edits never add or
//! remove groups or items; the one element the tool may add, `<VersionSuffix>`, is offered
//! only when the file has none, so after the edit it is the only one and keeps the plain
//! key `PropertyGroup/VersionSuffix`.

use crate::fast_map::{FastBuildHasher, FastMap};
use std::borrow::Borrow;

/// Where a value sits, before numbering: its plain key, built once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    /// `PropertyGroup` or `ItemGroup`.
    pub prefix: &'static str,
    /// 1-based position of the group among the file's groups of that kind.
    pub group: usize,
    /// `prefix/headtail`: the key when no other place in the file has the same identity.
    plain: String,
    /// Where the tail starts in `plain`.
    tail: usize,
}

impl Place {
    /// The place `prefix/head…tail…`, from the pieces of its head and tail (`Version`, or
    /// `PackageReference`, `[`, `Sibling`, `]` and `/@`, `Version`).
    pub(super) fn new(prefix: &'static str, group: usize, head: &[&str], tail: &[&str]) -> Self {
        let len = |pieces: &[&str]| pieces.iter().map(|p| p.len()).sum::<usize>();
        let mut plain = String::with_capacity(prefix.len() + 1 + len(head) + len(tail));
        plain.push_str(prefix);
        plain.push('/');
        for piece in head {
            plain.push_str(piece);
        }
        let tail_start = plain.len();
        for piece in tail {
            plain.push_str(piece);
        }
        Place {
            prefix,
            group,
            plain,
            tail: tail_start,
        }
    }

    /// `Version`, `PackageReference[Sibling]`.
    // proof: `plain` starts with `prefix` and `/` (`new`), and `tail` is where the head pushed
    // after them ends: both character boundaries, in order.
    #[allow(clippy::string_slice)]
    pub(super) fn head(&self) -> &str {
        &self.plain[self.prefix.len() + 1..self.tail]
    }

    /// Empty for a property; `/@Version` or `/Version` for an item.
    // proof: `tail` is `plain.len()` when the head was pushed (`new`), a character boundary of
    // `plain`.
    #[allow(clippy::string_slice)]
    fn tail(&self) -> &str {
        &self.plain[self.tail..]
    }

    /// The key of a place whose identity is unique in its file: `prefix/headtail`.
    pub(super) fn into_plain_key(self) -> String {
        self.plain
    }

    /// What tells places apart: the plain key, ignoring ASCII case.
    fn identity(&self) -> String {
        self.plain.to_ascii_lowercase()
    }
}

/// Up to this many places, duplicates are looked for pair by pair.
const PAIRWISE: usize = 32;

/// Whether two places have the same [`Place::identity`].
fn same_identity(a: &Place, b: &Place) -> bool {
    a.plain.eq_ignore_ascii_case(&b.plain)
}

/// The key of each place, in order, when some are numbered; `None` when every place's
/// identity is unique, and each key is [`Place::into_plain_key`].
// proof: `i` enumerates `places`, so `i + 1 <= places.len()`.
#[allow(clippy::indexing_slicing)]
pub(super) fn numbered_keys<P: Borrow<Place>>(places: &[P]) -> Option<Vec<String>> {
    // Most files name each place once, and have a few places: compared pairwise (no
    // hashing, no identity built), and then every key is plain.
    if places.len() <= PAIRWISE {
        let unique = places.iter().enumerate().all(|(i, a)| {
            places[i + 1..]
                .iter()
                .all(|b| !same_identity(a.borrow(), b.borrow()))
        });
        if unique {
            return None;
        }
    }
    let places: Vec<&Place> = places.iter().map(Borrow::borrow).collect();
    Some(numbered(&places))
}

/// The key of each place, in order.
#[cfg(test)]
fn assign<P: Borrow<Place>>(places: &[P]) -> Vec<String> {
    numbered_keys(places).unwrap_or_else(|| {
        places
            .iter()
            .map(|p| p.borrow().clone().into_plain_key())
            .collect()
    })
}

/// The keys of any places: each identity counted, those seen more than once numbered.
// proof: `total` counts every identity of `identities`, the ones looked up.
#[allow(clippy::indexing_slicing)]
fn numbered(places: &[&Place]) -> Vec<String> {
    let identities: Vec<String> = places.iter().map(|p| p.identity()).collect();
    let mut total: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(places.len(), FastBuildHasher::default());
    for identity in &identities {
        *total.entry(identity).or_default() += 1;
    }
    // Only identities seen more than once are numbered (rare: count those per group).
    let mut per_group: FastMap<(&str, usize), usize> = FastMap::default();
    for (place, identity) in places.iter().zip(&identities) {
        if total[identity.as_str()] > 1 {
            *per_group.entry((identity, place.group)).or_default() += 1;
        }
    }
    let mut seen: FastMap<(&str, usize), usize> = FastMap::default();
    places
        .iter()
        .zip(&identities)
        .map(|(place, identity)| {
            if total[identity.as_str()] <= 1 {
                return place.plain.clone();
            }
            let (prefix, head, tail) = (place.prefix, place.head(), place.tail());
            let group = place.group;
            let key = (identity.as_str(), group);
            let occurrence = seen.entry(key).or_default();
            *occurrence += 1;
            if per_group.get(&key).copied().unwrap_or_default() > 1 {
                format!("{prefix}[{group}]/{head}[{occurrence}]{tail}")
            } else {
                format!("{prefix}[{group}]/{head}{tail}")
            }
        })
        .collect()
}

/// The property a `PropertyGroup…/Name…` key names: `PropertyGroup[2]/Version[3]` →
/// `Version`. `None` for item keys.
pub fn property_name(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("PropertyGroup")?;
    let (_, name) = rest.split_once('/')?;
    Some(name.split_once('[').map_or(name, |(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(group: usize, name: &str) -> Place {
        Place::new("PropertyGroup", group, &[name], &[])
    }

    #[test]
    fn numbering() {
        let places = [
            prop(1, "Version"),
            prop(1, "Authors"),
            prop(2, "version"),
            prop(3, "Version"),
            prop(3, "Version"),
        ];
        assert_eq!(
            assign(&places),
            [
                "PropertyGroup[1]/Version",
                "PropertyGroup/Authors",
                "PropertyGroup[2]/version",
                "PropertyGroup[3]/Version[1]",
                "PropertyGroup[3]/Version[2]",
            ]
        );
    }

    proptest::proptest! {
        /// The pairwise shortcut gives the keys counting gives.
        #[test]
        fn shortcut_agrees(
            places in proptest::collection::vec(
                (
                    proptest::bool::ANY,
                    1..3usize,
                    "(Version|version|VERSION|Authors|Ver|sion|PackageReference\\[A\\]|PackageReference\\[a\\])",
                    "(|/@Version|/@version|/Version|/@VersionOverride)",
                ),
                0..8,
            )
        ) {
            let places: Vec<Place> = places
                .into_iter()
                .map(|(property, group, head, tail)| {
                    let prefix = if property { "PropertyGroup" } else { "ItemGroup" };
                    Place::new(prefix, group, &[&head], &[&tail])
                })
                .collect();
            let refs: Vec<&Place> = places.iter().collect();
            proptest::prop_assert_eq!(assign(&places), numbered(&refs));
        }
    }

    #[test]
    fn names() {
        assert_eq!(property_name("PropertyGroup/Version"), Some("Version"));
        assert_eq!(
            property_name("PropertyGroup[2]/Version[3]"),
            Some("Version")
        );
        assert_eq!(
            property_name("ItemGroup/PackageReference[A]/@Version"),
            None
        );
    }
}
