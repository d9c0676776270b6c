//! The monotonic rule: a bump must move forward in every ecosystem of the group.

use std::cmp::Ordering;
use std::str::FromStr;

use crate::canonical::Version;
use crate::ecosystem::{Ecosystem, Spelling};
use crate::error::VersionError;
use crate::view::OrderView;
use crate::{maven, rubygems};

/// How `from → to` orders in each ordering the group's ecosystems use. SemVer is always
/// shown (the Cargo leader uses it); NuGet orders the canonical spellings as SemVer does.
pub fn orderings(
    from: &Version,
    to: &Version,
    ecosystems: &[Ecosystem],
    spelling: &Spelling,
) -> Result<Vec<OrderView>, VersionError> {
    let mut views = vec![semver_view(from, to, spelling)];
    // An ordering in which the current version has no spelling cannot be compared: moving
    // to a version it can spell is the way out of that state, judged by the others.
    if ecosystems.contains(&Ecosystem::Pep440) {
        if let Ok(a) = spelling.pep440(from) {
            let b = spelling.pep440(to)?;
            let order = match (
                pep440_rs::Version::from_str(&a),
                pep440_rs::Version::from_str(&b),
            ) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => Ordering::Equal,
            };
            views.push(OrderView {
                ordering: "PEP 440",
                from: a,
                to: b,
                order,
            });
        }
    }
    if ecosystems.contains(&Ecosystem::RubyGems) {
        if let Ok(a) = spelling.render(from, Ecosystem::RubyGems) {
            let b = spelling.render(to, Ecosystem::RubyGems)?;
            views.push(OrderView {
                ordering: "RubyGems",
                order: rubygems::compare(&a, &b).unwrap_or(Ordering::Equal),
                from: a,
                to: b,
            });
        }
    }
    if ecosystems.contains(&Ecosystem::CocoaPods) {
        // `Pod::Version` compares as RubyGems' `Gem::Version` does (cocoapods-core,
        // `lib/cocoapods-core/version.rb`): its own view where that differs from SemVer.
        if let Ok(a) = spelling.render(from, Ecosystem::CocoaPods) {
            let b = spelling.render(to, Ecosystem::CocoaPods)?;
            views.push(OrderView {
                ordering: "CocoaPods",
                order: rubygems::compare(&a, &b).unwrap_or(Ordering::Equal),
                from: a,
                to: b,
            });
        }
    }
    if ecosystems.contains(&Ecosystem::Maven) {
        if let Ok(a) = spelling.render(from, Ecosystem::Maven) {
            let b = spelling.render(to, Ecosystem::Maven)?;
            // `dev.1 → dev.2` is one snapshot, `X.Y.Z-SNAPSHOT`, republished: Maven has
            // nothing to order, the other orderings judge.
            if a != b || !maven::is_snapshot(&a) {
                views.push(OrderView {
                    ordering: "Maven",
                    order: maven::compare(&a, &b),
                    from: a,
                    to: b,
                });
            }
        }
    }
    Ok(views)
}

/// SemVer's view, on what SemVer files hold: with compact pre-releases, `-rc9 → -rc10` goes
/// backward (SemVer orders `rc10` before `rc9` as text).
fn semver_view(from: &Version, to: &Version, spelling: &Spelling) -> OrderView {
    let (a, b) = (spelling.pre.semver(from), spelling.pre.semver(to));
    let order = match (semver::Version::parse(&a), semver::Version::parse(&b)) {
        (Ok(x), Ok(y)) => x.cmp_precedence(&y),
        _ => from.to_semver().cmp_precedence(&to.to_semver()),
    };
    OrderView {
        ordering: "SemVer",
        from: a,
        to: b,
        order,
    }
}

/// [`check_forward`] for a group some of whose files are never published: `to` must be
/// spelled in every ecosystem of `spelled`, and move forward in the orderings of
/// `published` only (a package nobody installs from a registry is never compared with its
/// older releases). With nothing published, SemVer (the leader's) decides.
pub fn check_forward_published(
    from: &Version,
    to: &Version,
    spelled: &[Ecosystem],
    published: &[Ecosystem],
    spelling: &Spelling,
) -> Result<(), VersionError> {
    spelling.check_expressible(to, spelled)?;
    let mut views = orderings(from, to, published, spelling)?;
    let semver = [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::NuGet,
        Ecosystem::Go,
    ];
    let semver_published = published.iter().any(|e| semver.contains(e));
    if !semver_published && views.len() > 1 {
        views.remove(0); // only the published orderings judge
    }
    if views.iter().any(|v| v.order != Ordering::Less) {
        return Err(VersionError::NotMonotonic {
            from: from.to_string(),
            to: to.to_string(),
            views,
        });
    }
    if published.contains(&Ecosystem::Assembly) {
        return assembly_forward(from, to, spelling);
    }
    Ok(())
}

/// Refuse `from → to` unless it moves forward in every ordering of the group, and `to` can
/// be spelled in each ecosystem. (A numeric `AssemblyVersion` only has to not go backwards:
/// `1.5.0-beta.1 → 1.5.0` keeps `1.5.0.0`.)
pub fn check_forward(
    from: &Version,
    to: &Version,
    ecosystems: &[Ecosystem],
    spelling: &Spelling,
) -> Result<(), VersionError> {
    spelling.check_expressible(to, ecosystems)?;
    let views = orderings(from, to, ecosystems, spelling)?;
    if views.iter().any(|v| v.order != Ordering::Less) {
        return Err(VersionError::NotMonotonic {
            from: from.to_string(),
            to: to.to_string(),
            views,
        });
    }
    if ecosystems.contains(&Ecosystem::Assembly) {
        return assembly_forward(from, to, spelling);
    }
    Ok(())
}

/// A numeric `AssemblyVersion` only has to not go backwards.
fn assembly_forward(from: &Version, to: &Version, spelling: &Spelling) -> Result<(), VersionError> {
    let Ok(a) = spelling.render(from, Ecosystem::Assembly) else {
        return Ok(());
    };
    let b = spelling.render(to, Ecosystem::Assembly)?;
    let parse = |s: &str| -> Vec<u64> { s.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    if parse(&b) < parse(&a) {
        return Err(VersionError::NotMonotonic {
            from: from.to_string(),
            to: to.to_string(),
            views: vec![OrderView {
                ordering: "AssemblyVersion",
                from: a,
                to: b,
                order: Ordering::Greater,
            }],
        });
    }
    Ok(())
}
