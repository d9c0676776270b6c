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

use std::collections::HashMap;

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

/// The key of each place, in order.
pub(super) fn assign(places: &[Place]) -> Vec<String> {
    let identities: Vec<String> = places.iter().map(Place::identity).collect();
    let mut total: HashMap<&str, usize> = HashMap::with_capacity(places.len());
    for identity in &identities {
        *total.entry(identity).or_default() += 1;
    }
    // Only identities seen more than once are numbered (rare: count those per group).
    let mut per_group: HashMap<(&str, usize), usize> = HashMap::new();
    for (place, identity) in places.iter().zip(&identities) {
        if total[identity.as_str()] > 1 {
            *per_group.entry((identity, place.group)).or_default() += 1;
        }
    }
    let mut seen: HashMap<(&str, usize), usize> = HashMap::new();
    places
        .iter()
        .zip(&identities)
        .map(|(place, identity)| {
            let Place {
                prefix, head, tail, ..
            } = place;
            if total[identity.as_str()] <= 1 {
                return format!("{prefix}/{head}{tail}");
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
