//! Following `$(Prop)` through the files of one MSBuild evaluation. Pure: the caller reads
//! the files and passes them in import order.
//!
//! # The rules implemented
//!
//! * **Import order.** For a project file, MSBuild's SDK imports (see [`import_chain`]):
//!   the nearest `Directory.Build.props` found walking up from the project's directory
//!   (the project's own directory first; nearest ancestor *only*), then the nearest
//!   `Directory.Packages.props` (imported by NuGet's props since .NET 5), then the project's
//!   own body, then the nearest `Directory.Build.targets`.
//! * **Properties are evaluated in one pass, in that order; the last definition wins.** A
//!   reference inside a property's value reads the property *as defined so far*: in
//!   `<A>$(B)</A> <B>2</B>`, `A` is empty. So [`resolve_property`] takes the last definition
//!   of the property in the whole chain, and each `$(B)` met on the way is looked up among
//!   the definitions strictly *before* the one that mentions it. `<Version>$(Version)</Version>`
//!   therefore reads the previous definition, and a cycle cannot happen (every step moves
//!   strictly backwards); the walk is bounded anyway.
//! * Item metadata (`<PackageReference Version="$(SiblingVersion)" />`) is evaluated after
//!   all properties: it sees the final value, i.e. [`resolve_property`].
//! * Names compare ignoring ASCII case.
//!
//! # Known gaps
//!
//! * A `Directory.Build.props` that imports its parent explicitly
//!   (`<Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />`)
//!   is not followed; nor is any other explicit `<Import>`. The caller may put such files in
//!   the chain itself, in the order MSBuild would import them.
//! * `ImportDirectoryBuildProps=false` and friends (opting out of the implicit imports),
//!   properties given on the command line or in the environment, and the SDK's own defaults
//!   (`VersionPrefix` 1.0.0, `Version` = `$(VersionPrefix)-$(VersionSuffix)`) are not modelled:
//!   a property no file defines is [`Resolution::Undefined`].
//! * A definition under a `Condition`, or one that is not a literal (text mixed with
//!   `$(…)`, entities…), stops the walk: [`Resolution::Unresolvable`], never a guess.

use std::path::{Path, PathBuf};

use super::keys::property_name;
use crate::reading::{Field, Note, Reading};

/// Where a property's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// Defined literally by `field` in the file named `file`: edit that field.
    Literal { file: &'a str, field: &'a Field },
    /// No file of the chain defines it (an SDK default, the command line, or empty).
    Undefined,
    /// The definition that counts is conditional ([`Note::Conditional`]) or not a literal
    /// ([`Note::Unsupported`]): the tool does not evaluate it.
    Unresolvable { file: &'a str, note: &'a Note },
}

impl<'a> Resolution<'a> {
    /// The file and field that define the value literally.
    pub fn literal(self) -> Option<(&'a str, &'a Field)> {
        match self {
            Resolution::Literal { file, field } => Some((file, field)),
            _ => None,
        }
    }
}

/// The final value of `property` after evaluating `chain` (files in import order, each
/// named for the report): the file and field that define it literally, following
/// `$(A)` → `$(B)` → literal.
pub fn resolve_property<'a>(property: &str, chain: &[(&'a str, &'a Reading)]) -> Resolution<'a> {
    walk(property, chain, (chain.len(), 0))
}

/// The value of `property` as seen by a property definition at byte `offset` of
/// `chain[file]` (for a [`Note::PropertyReference`] in a `<PropertyGroup>`, its span's
/// start): only definitions before that point count.
pub fn resolve_reference<'a>(
    property: &str,
    chain: &[(&'a str, &'a Reading)],
    file: usize,
    offset: usize,
) -> Resolution<'a> {
    walk(property, chain, (file, offset))
}

/// One definition of a property.
enum Definition<'a> {
    Literal(&'a Field),
    Reference(&'a str),
    Opaque(&'a Note),
}

// proof: `last_definition` returns the index of an entry of `chain` (it enumerates `chain`).
#[allow(clippy::indexing_slicing)]
fn walk<'a>(
    property: &str,
    chain: &[(&'a str, &'a Reading)],
    mut before: (usize, usize),
) -> Resolution<'a> {
    let bound: usize = chain
        .iter()
        .map(|(_, r)| r.fields.len() + r.notes.len())
        .sum();
    let mut name = property;
    for _ in 0..=bound {
        let Some((file, at, definition)) = last_definition(name, chain, before) else {
            return Resolution::Undefined;
        };
        let file_name = chain[file].0;
        match definition {
            Definition::Literal(field) => {
                return Resolution::Literal {
                    file: file_name,
                    field,
                }
            }
            Definition::Opaque(note) => {
                return Resolution::Unresolvable {
                    file: file_name,
                    note,
                }
            }
            Definition::Reference(next) => {
                name = next;
                before = (file, at);
            }
        }
    }
    Resolution::Undefined
}

/// The last definition of `name` strictly before position `before` (file index, offset).
fn last_definition<'a>(
    name: &str,
    chain: &[(&'a str, &'a Reading)],
    before: (usize, usize),
) -> Option<(usize, usize, Definition<'a>)> {
    let mut best: Option<(usize, usize, Definition<'a>)> = None;
    for (index, (_, reading)) in chain.iter().enumerate().take(before.0 + 1) {
        let limit = if index == before.0 {
            before.1
        } else {
            usize::MAX
        };
        let mut consider = |at: usize, definition: Definition<'a>| {
            let later = best.as_ref().is_none_or(|(i, a, _)| (index, at) > (*i, *a));
            if at < limit && later {
                best = Some((index, at, definition));
            }
        };
        for field in &reading.fields {
            // A virtual field (an element the file lacks) defines nothing.
            let absent = field.insert.is_some() && field.span.is_empty();
            if !absent && defines(&field.key, name) {
                consider(field.span.start, Definition::Literal(field));
            }
        }
        for note in &reading.notes {
            match note {
                Note::PropertyReference {
                    key,
                    property,
                    span,
                    ..
                } if defines(key, name) => consider(span.start, Definition::Reference(property)),
                Note::Unsupported { key, span, .. } | Note::Conditional { key, span, .. }
                    if defines(key, name) =>
                {
                    consider(span.start, Definition::Opaque(note));
                }
                _ => {}
            }
        }
    }
    best
}

fn defines(key: &str, name: &str) -> bool {
    property_name(key).is_some_and(|p| p.eq_ignore_ascii_case(name))
}

/// The files MSBuild evaluates for `project`, in order: the nearest
/// `Directory.Build.props`, the nearest `Directory.Packages.props`, the project, the nearest
/// `Directory.Build.targets` (each searched from the project's directory upwards, and left
/// out when none exists). `exists` answers for a path (`Path::is_file` in production).
pub fn import_chain(project: &Path, exists: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let nearest = |file_name: &str| {
        project
            .parent()?
            .ancestors()
            .map(|dir| dir.join(file_name))
            .find(|candidate| candidate != project && exists(candidate))
    };
    let mut chain = Vec::with_capacity(4);
    chain.extend(nearest("Directory.Build.props"));
    chain.extend(nearest("Directory.Packages.props"));
    chain.push(project.to_path_buf());
    chain.extend(nearest("Directory.Build.targets"));
    chain
}
