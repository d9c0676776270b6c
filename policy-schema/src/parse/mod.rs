//! Reading the policy tables out of a Cargo.toml.

mod cargo_release;
mod field;
mod keys;

use std::collections::BTreeMap;
use std::ops::Range;

use toml_edit::{Document, Item, Table};

use crate::error::{PolicyError, PolicyErrorKind};
use crate::policy::{ManifestPolicies, Policy};
use field::{Field, Node};

/// Read the policies of a whole Cargo.toml text: `[workspace.metadata.release]` and
/// `[package.metadata.release]`, each merged with its `release-policy` twin.
///
/// A UTF-8 BOM is allowed; every span in the result and in errors is a byte range into `cargo_toml`
/// as given (BOM included). A table that is absent gives `None`; an empty table gives the default
/// policy.
pub fn parse_policies(cargo_toml: &str) -> Result<ManifestPolicies, PolicyError> {
    let document = Document::parse(cargo_toml).map_err(|error| toml_error(&error, cargo_toml))?;
    policies_of_document(&document)
}

/// [`parse_policies`] for a document the caller already parsed (spans intact: parsed with
/// `toml_edit::Document::parse`, not `DocumentMut`).
pub fn policies_of_document<S>(document: &Document<S>) -> Result<ManifestPolicies, PolicyError> {
    let root = document.as_table();
    Ok(ManifestPolicies {
        workspace: policy_in(root, "workspace")?,
        package: policy_in(root, "package")?,
    })
}

/// The policy under `[<section>.metadata]`: `release` and `release-policy` merged.
fn policy_in(root: &Table, section: &str) -> Result<Option<Policy>, PolicyError> {
    let Some(metadata) = root
        .get(section)
        .and_then(Item::as_table_like)
        .and_then(|section| section.get("metadata"))
        .and_then(Item::as_table_like)
    else {
        return Ok(None);
    };
    let release_name = format!("{section}.metadata.release");
    let policy_name = format!("{section}.metadata.release-policy");
    let mut tables = Vec::new();
    for (key, name) in [("release", &release_name), ("release-policy", &policy_name)] {
        let Some((key_repr, item)) = metadata.get_key_value(key) else {
            continue;
        };
        let key_span = key_repr.span().unwrap_or(0..0);
        let field = Field::new(Node::Item(item), name, String::new(), key_span);
        if item.as_table_like().is_none() {
            return Err(PolicyError {
                kind: Box::new(PolicyErrorKind::WrongType {
                    key: name.clone(),
                    expected: "a table".to_owned(),
                    found: field.node.type_name(),
                }),
                message: format!(
                    "expected a table for `{name}`, found {}",
                    field.node.type_name()
                ),
                span: field.span.clone(),
                help: None,
            });
        }
        tables.push(field);
    }
    if tables.is_empty() {
        return Ok(None);
    }

    let mut policy = Policy::default();
    let mut origins = BTreeMap::new();
    let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    for table in &tables {
        for (key, field) in top_level_entries(table)? {
            if let Some(first) = seen.get(key) {
                return Err(duplicate(
                    key,
                    first.clone(),
                    &field,
                    &release_name,
                    &policy_name,
                ));
            }
            seen.insert(key.to_owned(), field.key_span.clone());
            keys::read(&mut policy, key, &field, &mut origins)?;
        }
    }
    policy.origins = origins;
    Ok(Some(policy))
}

/// The entries of a policy table, each a field whose path is its key.
fn top_level_entries<'a>(table: &Field<'a>) -> Result<Vec<(&'a str, Field<'a>)>, PolicyError> {
    let known = keys::all();
    let Some(entries) = table_entries(table) else {
        return Ok(Vec::new());
    };
    let mut fields = Vec::new();
    for (key, key_span, item) in entries {
        if !known.contains(&key) {
            return Err(keys::unknown_top_level_key(
                key,
                table.table,
                key_span,
                &known,
            ));
        }
        let field = Field::new(
            Node::Item(item),
            table.table,
            field::quote_key(key),
            key_span,
        );
        fields.push((key, field));
    }
    Ok(fields)
}

fn table_entries<'a>(table: &Field<'a>) -> Option<Vec<(&'a str, Range<usize>, &'a Item)>> {
    let Node::Item(item) = table.node else {
        return None;
    };
    let table_like = item.as_table_like()?;
    Some(
        table_like
            .iter()
            .filter_map(|(key, _)| {
                let (key_repr, item) = table_like.get_key_value(key)?;
                let span = key_repr.span().unwrap_or_else(|| table.span.clone());
                Some((key, span, item))
            })
            .collect(),
    )
}

fn duplicate(
    key: &str,
    first: Range<usize>,
    field: &Field<'_>,
    release_name: &str,
    policy_name: &str,
) -> PolicyError {
    PolicyError {
        kind: Box::new(PolicyErrorKind::DuplicateKey {
            key: key.to_owned(),
            first,
        }),
        message: format!("`{key}` is set in both `{release_name}` and `{policy_name}`"),
        span: field.key_span.clone(),
        help: Some(format!(
            "keep one: the two tables are read as one policy; cargo-release reads only \
             `{release_name}`, so keys it does not know belong in `{policy_name}`"
        )),
    }
}

fn toml_error(error: &toml_edit::TomlError, text: &str) -> PolicyError {
    let span = error.span().unwrap_or(0..0);
    let message = error.message().trim_end().to_owned();
    let first = message
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim_end_matches('.');
    PolicyError {
        kind: Box::new(PolicyErrorKind::Toml),
        message: format!("invalid TOML: {}", lowercase_first(first)),
        span: span.start.min(text.len())..span.end.min(text.len()),
        help: None,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}
