//! Reading the cargo-release keys this tool ignores: type-checked as cargo-release would.

use std::collections::BTreeMap;

use super::field::{Field, Result};
use crate::cargo_release::{
    CargoReleaseKeys, CertsSource, DependentVersion, MetadataPolicy, RateLimit, Replacement,
    StringOrList, Unstable,
};
use crate::policy::Origin;

/// Read cargo-release's `key` into `keys`. `key` is one of [`CargoReleaseKeys::NAMES`].
pub(crate) fn read(
    keys: &mut CargoReleaseKeys,
    key: &str,
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<()> {
    match key {
        "allow-branch" => keys.allow_branch = Some(field.strings(origins)?),
        "sign-commit" => keys.sign_commit = Some(field.bool()?),
        "push-remote" => keys.push_remote = Some(field.string()?.to_owned()),
        "registry" => keys.registry = Some(field.string()?.to_owned()),
        "release" => keys.release = Some(field.bool()?),
        "publish" => keys.publish = Some(field.bool()?),
        "verify" => keys.verify = Some(field.bool()?),
        "owners" => keys.owners = Some(field.strings(origins)?),
        "push" => keys.push = Some(field.bool()?),
        "push-options" => keys.push_options = Some(string_or_list(field, origins)?),
        "consolidate-commits" => keys.consolidate_commits = Some(field.bool()?),
        "pre-release-replacements" => {
            keys.pre_release_replacements = Some(replacements(field, origins)?);
        }
        "pre-release-hook" => keys.pre_release_hook = Some(string_or_list(field, origins)?),
        "enable-features" => keys.enable_features = Some(field.strings(origins)?),
        "enable-all-features" => keys.enable_all_features = Some(field.bool()?),
        "dependent-version" => {
            keys.dependent_version = Some(field.keyword(&DependentVersion::ALL)?);
        }
        "metadata" => keys.metadata = Some(field.keyword(&MetadataPolicy::ALL)?),
        "target" => keys.target = Some(field.string()?.to_owned()),
        "rate-limit" => keys.rate_limit = rate_limit(field, origins)?,
        "certs-source" => keys.certs_source = Some(field.keyword(&CertsSource::ALL)?),
        "unstable" => keys.unstable = unstable(field, origins)?,
        // `keys::all()` lists exactly the keys matched here and in `keys::read`.
        _ => {}
    }
    Ok(())
}

fn string_or_list(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<StringOrList> {
    if let Ok(one) = field.string() {
        return Ok(StringOrList::One(one.to_owned()));
    }
    if field.array("").is_err() {
        return Err(field.wrong_type("a string or an array of strings"));
    }
    field.strings(origins).map(StringOrList::List)
}

fn replacements(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<Vec<Replacement>> {
    const KEYS: [&str; 7] = [
        "file",
        "search",
        "replace",
        "min",
        "max",
        "exactly",
        "prerelease",
    ];
    let mut replacements = Vec::new();
    for element in field.array("an array of `{ file, search, replace }` tables")? {
        element.record(origins);
        let (mut file, mut search, mut replace) = (None, None, None);
        let mut replacement = Replacement {
            file: String::new(),
            search: String::new(),
            replace: String::new(),
            min: None,
            max: None,
            exactly: None,
            prerelease: None,
        };
        for (key, entry) in element.table(&KEYS)? {
            entry.record(origins);
            match key {
                "file" => file = Some(entry.string()?.to_owned()),
                "search" => search = Some(entry.string()?.to_owned()),
                "replace" => replace = Some(entry.string()?.to_owned()),
                "min" => replacement.min = Some(entry.count()?),
                "max" => replacement.max = Some(entry.count()?),
                "exactly" => replacement.exactly = Some(entry.count()?),
                _ => replacement.prerelease = Some(entry.bool()?),
            }
        }
        let missing = |key: &str| {
            element.invalid(
                format!("`{}` has no `{key}`", element.name()),
                Some("cargo-release requires `file`, `search` and `replace`".to_owned()),
            )
        };
        replacement.file = file.ok_or_else(|| missing("file"))?;
        replacement.search = search.ok_or_else(|| missing("search"))?;
        replacement.replace = replace.ok_or_else(|| missing("replace"))?;
        replacements.push(replacement);
    }
    Ok(replacements)
}

fn rate_limit(field: &Field<'_>, origins: &mut BTreeMap<String, Origin>) -> Result<RateLimit> {
    let mut limit = RateLimit::default();
    for (key, entry) in field.table(&["new-packages", "existing-packages"])? {
        entry.record(origins);
        let value = Some(entry.count()?);
        if key == "new-packages" {
            limit.new_packages = value;
        } else {
            limit.existing_packages = value;
        }
    }
    Ok(limit)
}

fn unstable(field: &Field<'_>, origins: &mut BTreeMap<String, Origin>) -> Result<Unstable> {
    let mut unstable = Unstable::default();
    for (_, entry) in field.table(&["workspace-publish"])? {
        entry.record(origins);
        unstable.workspace_publish = Some(entry.bool()?);
    }
    Ok(unstable)
}
