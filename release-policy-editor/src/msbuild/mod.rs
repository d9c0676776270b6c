//! The MSBuild editor: `*.csproj`, `*.fsproj`, `*.vbproj`, `Directory.Build.props`,
//! `Directory.Packages.props` and other `*.props` / `*.targets` files.
//!
//! The file is parsed (by `scan` when it is plain XML, else by roxmltree) into a `tree`
//! that keeps the byte range of every node and attribute value; elements are matched by
//! local name, so SDK-style (`<Project Sdk="Microsoft.NET.Sdk">`) and namespaced
//! (`<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">`) files read alike.
//! Only what sits directly in `<Project>` (and in `<Choose>` branches) is read; `<Target>`
//! bodies run at build time and are ignored.
//!
//! # Properties (children of a `<PropertyGroup>`)
//!
//! | element | reported as |
//! |---|---|
//! | `Version`, `PackageVersion` | [`FieldKind::Version`] (the key tells them apart) |
//! | `VersionPrefix`, `VersionSuffix` | [`FieldKind::VersionPrefix`], [`FieldKind::VersionSuffix`] |
//! | `AssemblyVersion`, `FileVersion`, `InformationalVersion` | their kinds |
//! | any other property | [`FieldKind::Property`] (so `$(Prop)` chains can be followed) |
//!
//! Property names are matched ignoring ASCII case, as MSBuild does. A value that is exactly
//! `$(Prop)` is a [`Note::PropertyReference`]; anything else that is not plain text (text
//! mixed with `$(…)`, entities, CDATA, comments, `%xx` escapes) is a [`Note::Unsupported`],
//! for the file's own version too: MSBuild files legitimately compute versions, so that is a
//! fact to report, not a broken file. Notes are reported for *every* property (so that
//! [`resolve_property`] can tell "defined under a condition" from "not defined"): a caller
//! looking for version notes filters them with [`property_kind`]. A property under a `Condition` (on itself, its
//! `<PropertyGroup>`, or a `<Choose>`/`<When>` branch) is a [`Note::Conditional`] and never
//! a field: the tool does not evaluate conditions. An empty `Condition=""` is no condition.
//! The note's span covers the value as written (the whole element for `<X Condition=… />`),
//! and its `condition` joins nested conditions: `(outer) and (inner)`; an `<Otherwise>`
//! branch reads `!(when 1) and !(when 2)`.
//!
//! Values are reported without surrounding white space, and spans cover only the trimmed
//! bytes, so `<Version>\n  1.0.0\n</Version>` keeps its layout when edited.
//!
//! ## `VersionSuffix`
//!
//! * `<VersionSuffix></VersionSuffix>`: a field with value `""` and an empty span between
//!   the tags.
//! * `<VersionSuffix />`: a field with value `""` whose span covers ` /` (the bytes between
//!   the element name or last attribute and the `>`), with
//!   `insert = Some((">", "</VersionSuffix"))`: writing `beta.1` gives
//!   `<VersionSuffix>beta.1</VersionSuffix>`. ([`crate::rewrite::rewrite`] skips an edit that writes
//!   a field's current value, so writing `""` leaves the element alone.)
//! * no `VersionSuffix` anywhere in the file, and an unconditional `VersionPrefix` that is a
//!   literal or a `$(Prop)`: a virtual field with value `""`, an empty span right after the
//!   last unconditional `</VersionPrefix>`, key `PropertyGroup/VersionSuffix`, and `insert` =
//!   (line ending + the `VersionPrefix` line's indentation + `<VersionSuffix>`,
//!   `</VersionSuffix>`). When `VersionPrefix` does not start its line, the element is added
//!   on the same line, without a line break.
//!
//! # Items (children of an `<ItemGroup>`)
//!
//! `PackageReference`, `PackageVersion` (central package management), `GlobalPackageReference`
//! and `PackageDownload`, named by `Include=` or `Update=`: their `Version` and
//! `VersionOverride`, as attributes or child elements, are [`FieldKind::Requirement`]s with
//! the value as written (`1.4.0`, `[1.4.0]`). Item conditions do not matter for a
//! requirement's literal and are not reported. An item whose name is an expression, a list
//! or a wildcard gets a [`Note::Unsupported`].
//!
//! # Keys
//!
//! Unique within a file, and stable under the tool's own edits:
//!
//! * a property: `PropertyGroup/Version`. When the file defines the property more than once
//!   (conditionally or not), each definition names its group by position among the file's
//!   property groups (1-based, document order, `<Choose>` branches included):
//!   `PropertyGroup[2]/Version`, and twice in one group adds the occurrence:
//!   `PropertyGroup[2]/Version[2]`. [`property_name`] recovers the property's name.
//! * an item's version: `ItemGroup/PackageReference[Sibling]/@Version` (attribute) or
//!   `ItemGroup/PackageReference[Sibling]/Version` (child element), numbered the same way
//!   when the same item and version source appear more than once:
//!   `ItemGroup[3]/PackageReference[Sibling]/@Version`.
//!
//! # Name
//!
//! [`Reading::name`] is the last unconditional `<PackageId>` when it is literal; when there
//! is none (or it is `$(AssemblyName)`), the last unconditional literal `<AssemblyName>`;
//! otherwise `None`. MSBuild's final default, the project file's name, is the caller's to
//! apply.
//!
//! # Refused
//!
//! NUL bytes and a declaration naming a UTF-16/UTF-32 encoding (only UTF-8 is edited), and
//! malformed XML, with the byte offset of the problem.

mod keys;
mod resolve;
mod scan;
mod tree;
mod value;
mod xml;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod resolve_tests;
#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod tests;

pub use keys::property_name;
pub use resolve::{import_chain, resolve_property, resolve_reference, Resolution};

use roxmltree::Document;

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{line_ending, strip_bom, Span};
use keys::Place;
use tree::{Node, Tree};
use value::Value;

/// The item types whose `Version` / `VersionOverride` are requirements.
const PACKAGE_ITEMS: [&str; 4] = [
    "PackageReference",
    "PackageVersion",
    "GlobalPackageReference",
    "PackageDownload",
];

/// Read an MSBuild file.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let shift = |error: EditorError| match error.offset {
        Some(offset) => EditorError {
            offset: Some(offset + bom),
            ..error
        },
        None => error,
    };
    // Plain files are read without roxmltree's DOM; roxmltree parses the rest, and words
    // every error.
    let document;
    let tree = if let Some(tree) = scan::tree(body) {
        debug_assert!(
            Document::parse(body).is_ok_and(|d| Tree::from_document(&d) == tree),
            "the plain-XML parser and roxmltree disagree on {body:?}"
        );
        // A plain file has no NUL byte: only its declaration is left to check.
        xml::check_encoding(body).map_err(shift)?;
        tree
    } else {
        xml::preflight(body).map_err(shift)?;
        document = Document::parse(body).map_err(|e| shift(xml::parse_error(body, &e)))?;
        Tree::from_document(&document)
    };
    let project = tree.root();
    if project.name() != "Project" {
        return Err(EditorError::new(format!(
            "expected a `<Project>` root element, found `<{}>`",
            project.name()
        ))
        .at(project.range().start + bom)
        .help("an MSBuild file (`*.csproj`, `*.props`, `*.targets`) is a `<Project>` element"));
    }
    let mut walker = Walker {
        body,
        // About one value for every four nodes (white space counts).
        entries: Vec::with_capacity(tree.len() / 4),
        property_groups: 0,
        item_groups: 0,
    };
    walker.walk(project, None);
    Ok(walker.finish(line_ending(text), bom))
}

/// One value found in the file, before keys are assigned.
struct Entry {
    place: Place,
    kind: FieldKind,
    /// The condition the value is under, when it matters (properties).
    condition: Option<String>,
    /// The whole element.
    element: Span,
    value: Value,
}

struct Walker<'t> {
    body: &'t str,
    entries: Vec<Entry>,
    property_groups: usize,
    item_groups: usize,
}

impl Walker<'_> {
    /// The groups directly under `parent` (`<Project>`, `<When>`, `<Otherwise>`).
    fn walk(&mut self, parent: Node<'_, '_>, condition: Option<&String>) {
        for child in parent.elements() {
            match child.name() {
                "PropertyGroup" => {
                    self.property_groups += 1;
                    let group = self.property_groups;
                    let condition = both(condition.cloned(), own_condition(child));
                    for property in child.elements() {
                        self.property(property, group, condition.clone());
                    }
                }
                "ItemGroup" => {
                    self.item_groups += 1;
                    let group = self.item_groups;
                    for item in child.elements() {
                        self.item(item, group);
                    }
                }
                "Choose" => self.choose(child, condition),
                _ => {}
            }
        }
    }

    /// `<Choose>`: each `<When>` under its condition, `<Otherwise>` under none of them.
    fn choose(&mut self, choose: Node<'_, '_>, condition: Option<&String>) {
        let mut earlier: Vec<String> = Vec::new();
        for branch in choose.elements() {
            match branch.name() {
                "When" => {
                    let own = own_condition(branch);
                    self.walk(branch, both(condition.cloned(), own.clone()).as_ref());
                    earlier.extend(own);
                }
                "Otherwise" => {
                    let negated = (!earlier.is_empty()).then(|| {
                        earlier
                            .iter()
                            .map(|c| format!("!({c})"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    });
                    self.walk(branch, both(condition.cloned(), negated).as_ref());
                }
                _ => {}
            }
        }
    }

    fn property(&mut self, property: Node<'_, '_>, group: usize, condition: Option<String>) {
        let name = property.name();
        self.entries.push(Entry {
            place: Place::new("PropertyGroup", group, &[name], &[]),
            kind: property_kind(name),
            condition: both(condition, own_condition(property)),
            element: property.range().into(),
            value: value::element(self.body, property),
        });
    }

    fn item(&mut self, item: Node<'_, '_>, group: usize) {
        let item_type = item.name();
        if !PACKAGE_ITEMS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(item_type))
        {
            return;
        }
        let Some(target) = item
            .attribute("Include")
            .or_else(|| item.attribute("Update"))
        else {
            return;
        };
        let package = target.value.trim_matches(value::is_xml_space);
        // One pass over the (ASCII) characters that make a name not a package's.
        let named = !package.is_empty()
            && !package.bytes().any(|b| {
                matches!(
                    b,
                    b'$' | b'@' | b'%' | b';' | b'*' | b'?' | b' ' | b'\t' | b'\r' | b'\n'
                )
            });
        let unnamed = |span: Span| Value::Unsupported {
            reason: format!(
                "names the package `{package}`, an MSBuild expression, a list or a wildcard"
            ),
            span,
        };
        let head = [item_type, "[", package, "]"];
        let mut push = |separator: &str, name: &str, element: Span, value: Value| {
            self.entries.push(Entry {
                place: Place::new("ItemGroup", group, &head, &[separator, name]),
                kind: FieldKind::Requirement {
                    package: package.to_string(),
                },
                condition: None,
                element,
                value,
            });
        };
        for attribute in item.attributes() {
            if !attribute.namespaced && is_version_metadata(attribute.name) {
                let span: Span = attribute.value_range.clone().into();
                let value = if named {
                    value::attribute(self.body, attribute)
                } else {
                    unnamed(span)
                };
                push("/@", attribute.name, span, value);
            }
        }
        for child in item.elements() {
            let name = child.name();
            if is_version_metadata(name) {
                let span: Span = child.range().into();
                let value = if named {
                    value::element(self.body, child)
                } else {
                    unnamed(span)
                };
                push("/", name, span, value);
            }
        }
    }

    fn finish(self, eol: &str, bom: usize) -> Reading {
        let places: Vec<&Place> = self.entries.iter().map(|e| &e.place).collect();
        let mut numbered = keys::numbered_keys(&places).map(Vec::into_iter);
        let mut reading = Reading {
            name: self.name(),
            ..Reading::default()
        };
        let virtual_suffix = self.virtual_suffix(eol, bom);
        for entry in self.entries {
            let key = match numbered.as_mut().and_then(Iterator::next) {
                Some(key) => key,
                None => entry.place.into_plain_key(),
            };
            if let Some(condition) = entry.condition {
                let span = match &entry.value {
                    Value::Literal { span, .. }
                    | Value::Reference { span, .. }
                    | Value::Unsupported { span, .. } => *span,
                    Value::SelfClosing { .. } => entry.element,
                };
                reading.notes.push(Note::Conditional {
                    key,
                    condition,
                    span: span.shift(bom),
                });
                continue;
            }
            match entry.value {
                Value::Literal { value, span } => {
                    reading
                        .fields
                        .push(Field::new(entry.kind, key, value, span.shift(bom)));
                }
                Value::SelfClosing { span, open, close } => reading.fields.push(Field {
                    insert: Some((open, close)),
                    ..Field::new(entry.kind, key, "", span.shift(bom))
                }),
                Value::Reference { property, span } => {
                    reading.notes.push(Note::PropertyReference {
                        field: entry.kind,
                        key,
                        property,
                        span: span.shift(bom),
                    });
                }
                Value::Unsupported { reason, span } => reading.notes.push(Note::Unsupported {
                    key,
                    reason: format!("the value {reason}"),
                    span: span.shift(bom),
                }),
            }
        }
        reading.fields.extend(virtual_suffix);
        reading
    }

    /// The unconditional properties named `name` (any case), in document order.
    fn unconditional<'e>(&'e self, name: &'e str) -> impl Iterator<Item = &'e Entry> + 'e {
        self.entries.iter().filter(move |e| {
            e.place.prefix == "PropertyGroup"
                && e.place.head().eq_ignore_ascii_case(name)
                && e.condition.is_none()
        })
    }

    /// See the module documentation.
    fn name(&self) -> Option<String> {
        let literal = |entry: &Entry| match &entry.value {
            Value::Literal { value, .. } if !value.is_empty() => Some(value.clone()),
            _ => None,
        };
        if let Some(entry) = self.unconditional("PackageId").last() {
            let defaults = matches!(&entry.value, Value::Reference { property, .. }
                if property.eq_ignore_ascii_case("AssemblyName"));
            if !defaults {
                return literal(entry);
            }
        }
        self.unconditional("AssemblyName").last().and_then(literal)
    }

    /// The `<VersionSuffix>` the file lacks, beside its `<VersionPrefix>`.
    // proof: `element` is the span of an element this reading found in this same `body`, so
    // `element.start` is a character boundary of it.
    #[allow(clippy::string_slice)]
    fn virtual_suffix(&self, eol: &str, bom: usize) -> Option<Field> {
        let has_suffix = self.entries.iter().any(|e| {
            e.place.prefix == "PropertyGroup"
                && e.place.head().eq_ignore_ascii_case("VersionSuffix")
        });
        if has_suffix {
            return None;
        }
        let prefix = self.unconditional("VersionPrefix").last()?;
        if !matches!(
            prefix.value,
            Value::Literal { .. } | Value::SelfClosing { .. } | Value::Reference { .. }
        ) {
            return None;
        }
        let element = prefix.element;
        let raw = element.slice(self.body);
        let qualified = value::qualified_name(raw);
        let name = match qualified.split_once(':') {
            Some((namespace, _)) => format!("{namespace}:VersionSuffix"),
            None => "VersionSuffix".to_string(),
        };
        let line_start = self.body[..element.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &self.body[line_start..element.start];
        let before = if indent.chars().all(|c| c == ' ' || c == '\t') {
            format!("{eol}{indent}<{name}>")
        } else {
            format!("<{name}>")
        };
        Some(Field {
            insert: Some((before, format!("</{name}>"))),
            ..Field::new(
                FieldKind::VersionSuffix,
                "PropertyGroup/VersionSuffix",
                "",
                Span::at(element.end).shift(bom),
            )
        })
    }
}

/// The kind of a property, by name (ignoring ASCII case, as MSBuild does):
/// `Version` → [`FieldKind::Version`], …, `Authors` → [`FieldKind::Property`].
///
/// Notes other than [`Note::PropertyReference`] carry no kind: with [`property_name`],
/// `property_name(key).map(property_kind)` tells a conditional or unsupported *version*
/// (`PropertyGroup/Version`) from any other property (`PropertyGroup/NoWarn`), which is
/// reported only so that `$(Prop)` chains resolve honestly.
pub fn property_kind(name: &str) -> FieldKind {
    let is = |known: &str| name.eq_ignore_ascii_case(known);
    if is("Version") || is("PackageVersion") {
        FieldKind::Version
    } else if is("VersionPrefix") {
        FieldKind::VersionPrefix
    } else if is("VersionSuffix") {
        FieldKind::VersionSuffix
    } else if is("AssemblyVersion") {
        FieldKind::AssemblyVersion
    } else if is("FileVersion") {
        FieldKind::FileVersion
    } else if is("InformationalVersion") {
        FieldKind::InformationalVersion
    } else {
        FieldKind::Property {
            name: name.to_string(),
        }
    }
}

fn is_version_metadata(name: &str) -> bool {
    name.eq_ignore_ascii_case("Version") || name.eq_ignore_ascii_case("VersionOverride")
}

/// A node's own non-blank `Condition`.
fn own_condition(node: Node<'_, '_>) -> Option<String> {
    node.attribute("Condition")
        .map(|c| c.value.trim_matches(value::is_xml_space))
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

/// Two conditions that must both hold.
fn both(outer: Option<String>, inner: Option<String>) -> Option<String> {
    match (outer, inner) {
        (Some(outer), Some(inner)) => Some(format!("({outer}) and ({inner})")),
        (outer, None) => outer,
        (None, inner) => inner,
    }
}
