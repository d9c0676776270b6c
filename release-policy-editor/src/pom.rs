//! The Maven editor: `pom.xml`.
//!
//! The file is parsed by roxmltree, which keeps the byte range of every node, so each value
//! is reported with its span in the original text. Elements are matched by local name (the
//! POM namespace, or none).
//!
//! | element | reported as |
//! |---|---|
//! | `project/version` | [`FieldKind::Version`] |
//! | `project/parent/version` | [`FieldKind::Requirement`] on the parent (`groupId:artifactId`) |
//! | `version` of a `dependency` or `plugin` (under `dependencies`, `dependencyManagement`, `build/plugins`, `build/pluginManagement`, a plugin's own `dependencies`, and the same in every `profile`) | [`FieldKind::Requirement`] on `groupId:artifactId` |
//! | a child of `project/properties` | [`FieldKind::Property`] (so `${name}` can be followed) |
//!
//! A version that is exactly `${name}` is a [`Note::PropertyReference`] to `name` (Maven's
//! CI-friendly `${revision}`, or any property); `${project.version}` (and the deprecated
//! `${pom.version}`) is left alone: Maven fills in the project's own version, which the tool
//! edits where it is written. A version mixing text and `${…}`, written with entities or
//! CDATA, or holding comments, is a [`Note::Unsupported`] — reported, never guessed. A
//! dependency whose `groupId` or `artifactId` is a property other than `${project.groupId}`
//! cannot be told to be a sibling: its version is a [`Note::Unsupported`] too.
//!
//! A dependency without `groupId` is refused by Maven, but a plugin's defaults to
//! `org.apache.maven.plugins`; a `groupId` of `${project.groupId}` is the project's own.
//!
//! [`Reading::name`] is `groupId:artifactId`, the `groupId` inherited from the parent when
//! the project does not write one.
//!
//! Keys are paths of local names with the artifact in brackets:
//! `project/dependencyManagement/dependencies/dependency[org.acme:sdk-core]/version`,
//! `project/profiles/profile[release]/build/plugins/plugin[org.acme:sdk-maven-plugin]/version`;
//! a key that would repeat gets `[2]`, `[3]`… appended in document order.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{strip_bom, Span};

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

/// The groupId of a plugin that does not write one.
const PLUGIN_GROUP: &str = "org.apache.maven.plugins";

/// Read a `pom.xml`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let document = parse(body).map_err(|e| shift(e, bom))?;
    let project = document.root_element();
    if project.tag_name().name() != "project" {
        return Err(EditorError::new(format!(
            "expected a `<project>` root element, found `<{}>`",
            project.tag_name().name()
        ))
        .at(project.range().start + bom)
        .help("a Maven POM (`pom.xml`) is a `<project>` element"));
    }
    let group_id = child(project, "groupId")
        .or_else(|| child(project, "parent").and_then(|p| child(p, "groupId")))
        .and_then(|n| literal(body, n));
    let artifact_id = child(project, "artifactId").and_then(|n| literal(body, n));
    let mut walker = Walker {
        body,
        bom,
        group_id: group_id.clone(),
        reading: Reading::default(),
        seen: HashMap::new(),
    };
    walker.project(project);
    let mut reading = walker.reading;
    reading.name = group_id.zip(artifact_id).map(|(g, a)| format!("{g}:{a}"));
    Ok(reading)
}

/// The `<module>` entries of a POM's `<modules>` (outside profiles), as written: directories
/// (or POM files) relative to the POM. A file that does not parse has none.
pub fn modules(text: &str) -> Vec<String> {
    let (body, _) = strip_bom(text);
    let Ok(document) = parse(body) else {
        return Vec::new();
    };
    let Some(modules) = child(document.root_element(), "modules") else {
        return Vec::new();
    };
    elements(modules)
        .filter(|n| n.tag_name().name() == "module")
        .filter_map(|n| literal(body, n))
        .collect()
}

fn parse(body: &str) -> Result<Document<'_>, EditorError> {
    if let Some(at) = body.find('\0') {
        return Err(EditorError::new(
            "the file contains NUL bytes: it looks like UTF-16, which cannot be edited",
        )
        .at(at)
        .help("re-save the file as UTF-8"));
    }
    Document::parse(body).map_err(|e| {
        let pos = e.pos();
        // The position is the error's place, not its text.
        let message = e.to_string().replace(&format!(" at {pos}"), "");
        EditorError::new(format!("invalid XML: {message}"))
            .at(byte_offset(body, pos.row, pos.col))
            .help("a Maven POM must be well-formed XML: `mvn validate` shows the same fault")
    })
}

fn shift(error: EditorError, bom: usize) -> EditorError {
    match error.offset {
        Some(offset) => EditorError {
            offset: Some(offset + bom),
            ..error
        },
        None => error,
    }
}

/// The byte offset of roxmltree's 1-based row and column (columns count characters).
// proof: `line_start` is 0 or one past a `\n` found in `body`, a character boundary.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn byte_offset(body: &str, row: u32, col: u32) -> usize {
    let mut line_start = 0;
    for _ in 1..row {
        match body[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return body.len(),
        }
    }
    body[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(body.len(), |(i, _)| line_start + i)
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    elements(node).find(|n| n.tag_name().name() == name)
}

/// What an element holds.
enum Value {
    /// Plain text: the trimmed value and its span in the body.
    Literal(String, Span),
    /// Exactly `${name}`.
    Reference(String, Span),
    /// Anything else, and why.
    Unsupported(String, Span),
}

/// The element's value (see [`Value`]).
// proof: `range` is roxmltree's range of a node of `body`; `lead` and `trimmed` come from
// trimming ASCII white space off that slice: character boundaries.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn value(body: &str, element: Node<'_, '_>) -> Value {
    let whole: Span = element.range().into();
    let children: Vec<Node<'_, '_>> = element.children().collect();
    let text = match children.as_slice() {
        [] => return Value::Unsupported("the element is empty".to_string(), whole),
        [one] if one.is_text() => *one,
        _ => {
            return Value::Unsupported(
                "the element holds more than text (comments or elements)".to_string(),
                whole,
            )
        }
    };
    let range = text.range();
    let raw = &body[range.clone()];
    if Some(raw) != text.text() {
        return Value::Unsupported(
            "written with entities or CDATA: rewrite it as plain text".to_string(),
            range.into(),
        );
    }
    let trimmed = raw.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\r' | '\n'));
    if trimmed.is_empty() {
        return Value::Unsupported("the element is empty".to_string(), range.into());
    }
    let lead = raw.len() - raw.trim_start_matches([' ', '\t', '\r', '\n']).len();
    let span = Span::new(range.start + lead, range.start + lead + trimmed.len());
    if let Some(name) = trimmed
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .filter(|n| !n.contains(['$', '{', '}']))
    {
        return Value::Reference(name.to_string(), span);
    }
    if trimmed.contains("${") {
        return Value::Unsupported(
            format!("`{trimmed}` mixes text and `${{…}}`: Maven computes it"),
            span,
        );
    }
    Value::Literal(trimmed.to_string(), span)
}

/// The plain text of an element, when it is plain text.
fn literal(body: &str, element: Node<'_, '_>) -> Option<String> {
    match value(body, element) {
        Value::Literal(text, _) => Some(text),
        _ => None,
    }
}

struct Walker<'b> {
    body: &'b str,
    bom: usize,
    group_id: Option<String>,
    reading: Reading,
    /// How many times each key was used, to number repeats.
    seen: HashMap<String, usize>,
}

impl Walker<'_> {
    fn project(&mut self, project: Node<'_, '_>) {
        if let Some(version) = child(project, "version") {
            self.value(version, FieldKind::Version, "project/version".to_string());
        }
        if let Some(parent) = child(project, "parent") {
            self.artifact(parent, "project/parent", None);
        }
        if let Some(properties) = child(project, "properties") {
            for property in elements(properties) {
                let name = property.tag_name().name();
                let kind = FieldKind::Property {
                    name: name.to_string(),
                };
                self.value(property, kind, format!("project/properties/{name}"));
            }
        }
        self.section(project, "project");
    }

    /// The dependencies and plugins of `project` or of a `profile`, at `path`.
    fn section(&mut self, node: Node<'_, '_>, path: &str) {
        if let Some(dependencies) = child(node, "dependencies") {
            self.dependencies(dependencies, &format!("{path}/dependencies"));
        }
        if let Some(managed) =
            child(node, "dependencyManagement").and_then(|m| child(m, "dependencies"))
        {
            self.dependencies(
                managed,
                &format!("{path}/dependencyManagement/dependencies"),
            );
        }
        if let Some(build) = child(node, "build") {
            if let Some(plugins) = child(build, "plugins") {
                self.plugins(plugins, &format!("{path}/build/plugins"));
            }
            if let Some(plugins) =
                child(build, "pluginManagement").and_then(|m| child(m, "plugins"))
            {
                self.plugins(plugins, &format!("{path}/build/pluginManagement/plugins"));
            }
        }
        if let Some(profiles) = child(node, "profiles") {
            for profile in elements(profiles).filter(|p| p.tag_name().name() == "profile") {
                let id = child(profile, "id")
                    .and_then(|n| literal(self.body, n))
                    .unwrap_or_default();
                self.section(profile, &format!("{path}/profiles/profile[{id}]"));
            }
        }
    }

    fn dependencies(&mut self, dependencies: Node<'_, '_>, path: &str) {
        for dependency in elements(dependencies).filter(|d| d.tag_name().name() == "dependency") {
            self.artifact(dependency, &format!("{path}/dependency"), None);
        }
    }

    fn plugins(&mut self, plugins: Node<'_, '_>, path: &str) {
        for plugin in elements(plugins).filter(|p| p.tag_name().name() == "plugin") {
            let at = self.artifact(plugin, &format!("{path}/plugin"), Some(PLUGIN_GROUP));
            if let Some(dependencies) = child(plugin, "dependencies") {
                self.dependencies(dependencies, &format!("{at}/dependencies"));
            }
        }
    }

    /// A `dependency`, `plugin` or `parent` at `path`: its version as a requirement on
    /// `groupId:artifactId`. Returns the artifact's key (`path[g:a]`).
    fn artifact(&mut self, node: Node<'_, '_>, path: &str, default_group: Option<&str>) -> String {
        let group = match child(node, "groupId").map(|n| value(self.body, n)) {
            Some(Value::Literal(g, _)) => Some(g),
            Some(Value::Reference(name, _)) if is_project_group(&name) => self.group_id.clone(),
            Some(_) => None,
            None => default_group.map(str::to_string),
        };
        let artifact = child(node, "artifactId").and_then(|n| literal(self.body, n));
        let named = group.zip(artifact).map(|(g, a)| format!("{g}:{a}"));
        let at = match &named {
            Some(name) => format!("{path}[{name}]"),
            None => path.to_string(),
        };
        let Some(version) = child(node, "version") else {
            return at;
        };
        let key = format!("{at}/version");
        if let Some(package) = named {
            self.value(version, FieldKind::Requirement { package }, key);
        } else {
            let span: Span = version.range().into();
            let key = self.unique(key);
            self.reading.notes.push(Note::Unsupported {
                key,
                reason: "the `groupId` or `artifactId` is missing or a property: the tool cannot tell whether it names a sibling".to_string(),
                span: span.shift(self.bom),
            });
        }
        at
    }

    /// Report `element` as a field of `kind` at `key`, or the note its value makes.
    fn value(&mut self, element: Node<'_, '_>, kind: FieldKind, key: String) {
        let key = self.unique(key);
        let bom = self.bom;
        match value(self.body, element) {
            Value::Literal(text, span) => {
                self.reading
                    .fields
                    .push(Field::new(kind, key, text, span.shift(bom)));
            }
            Value::Reference(name, _) if is_project_version(&name) => {}
            Value::Reference(property, span) => self.reading.notes.push(Note::PropertyReference {
                field: kind,
                key,
                property,
                span: span.shift(bom),
            }),
            // A property is only looked at when a version names it.
            Value::Unsupported(..) if matches!(kind, FieldKind::Property { .. }) => {}
            Value::Unsupported(reason, span) => self.reading.notes.push(Note::Unsupported {
                key,
                reason,
                span: span.shift(bom),
            }),
        }
    }

    fn unique(&mut self, key: String) -> String {
        let count = self.seen.entry(key.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            key
        } else {
            format!("{key}[{count}]")
        }
    }
}

/// `${project.version}` and its deprecated spellings: Maven's own version, never edited.
fn is_project_version(name: &str) -> bool {
    matches!(name, "project.version" | "pom.version" | "version")
}

fn is_project_group(name: &str) -> bool {
    matches!(name, "project.groupId" | "pom.groupId" | "groupId")
}

/// The artifact (`groupId:artifactId`) a key of this editor names, if any:
/// `project/dependencies/dependency[g:a]/version` → `g:a`.
pub fn key_artifact(key: &str) -> Option<&str> {
    key.split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']').map(|(inner, _)| inner))
        .filter(|inner| inner.contains(':'))
        .last()
}
