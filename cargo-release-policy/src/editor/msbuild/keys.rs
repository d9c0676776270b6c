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

use crate::fxhash::{FastMap, FxBuildHasher};
use std::borrow::Borrow;

/// Where a value sits, before numbering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    /// `PropertyGroup` or `ItemGroup`.
    pub prefix: &'static str,
    /// 1-based position of the group among the file's groups of that kind.
    pub group: usize,
    /// `Version`, `PackageReference[Sibling]`.
    pub head: String,
    /// Empty for a property; `/@Version` or `/Version` for an item.
    pub tail: String,
}

impl Place {
    /// The bytes of [`Place::identity`], without building it.
    fn identity_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.prefix
            .bytes()
            .chain(std::iter::once(b'/'))
            .chain(self.head.bytes())
            .chain(self.tail.bytes())
            .map(|b| b.to_ascii_lowercase())
    }

    /// The key of a place whose identity is unique in its file: `prefix/headtail`.
    fn plain_key(&self) -> String {
        let mut key =
            String::with_capacity(self.prefix.len() + 1 + self.head.len() + self.tail.len());
        key.push_str(self.prefix);
        key.push('/');
        key.push_str(&self.head);
        key.push_str(&self.tail);
        key
    }

    fn identity(&self) -> String {
        let mut identity =
            String::with_capacity(self.prefix.len() + 1 + self.head.len() + self.tail.len());
        identity.push_str(self.prefix);
        identity.push('/');
        identity.push_str(&self.head);
        identity.push_str(&self.tail);
        identity.make_ascii_lowercase();
        identity
    }
}

/// Up to this many places, duplicates are looked for pair by pair.
const PAIRWISE: usize = 32;

/// Whether two places have the same [`Place::identity`].
fn same_identity(a: &Place, b: &Place) -> bool {
    let len = |p: &Place| p.prefix.len() + p.head.len() + p.tail.len();
    if len(a) != len(b) {
        return false;
    }
    if a.prefix == b.prefix && a.head.len() == b.head.len() {
        a.head.eq_ignore_ascii_case(&b.head) && a.tail.eq_ignore_ascii_case(&b.tail)
    } else {
        a.identity_bytes().eq(b.identity_bytes())
    }
}

/// The key of each place, in order.
pub(super) fn assign<P: Borrow<Place>>(places: &[P]) -> Vec<String> {
    // Most files name each place once, and have a few places: compared pairwise (no
    // hashing, no identity built), and then every key is plain.
    if places.len() <= PAIRWISE {
        let unique = places.iter().enumerate().all(|(i, a)| {
            places[i + 1..]
                .iter()
                .all(|b| !same_identity(a.borrow(), b.borrow()))
        });
        if unique {
            return places.iter().map(|p| p.borrow().plain_key()).collect();
        }
    }
    let places: Vec<&Place> = places.iter().map(Borrow::borrow).collect();
    numbered(&places)
}

/// [`assign`] for any places: each identity counted, those seen more than once numbered.
fn numbered(places: &[&Place]) -> Vec<String> {
    let identities: Vec<String> = places.iter().map(|p| p.identity()).collect();
    let mut total: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(places.len(), FxBuildHasher::default());
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
            let Place {
                prefix, head, tail, ..
            } = place;
            if total[identity.as_str()] <= 1 {
                return place.plain_key();
            }
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
        Place {
            prefix: "PropertyGroup",
            group,
            head: name.to_string(),
            tail: String::new(),
        }
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
                .map(|(property, group, head, tail)| Place {
                    prefix: if property { "PropertyGroup" } else { "ItemGroup" },
                    group,
                    head,
                    tail,
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
