//! Maven and Gradle property references, and the Go module path's major version.
//!
//! A POM's `${name}` is defined in its own `<properties>` or in a POM above it (Maven's
//! parent chain, by default `../pom.xml`: the POMs read in the directories above, nearest
//! first). A build script's `version = name` is a Gradle property: in the
//! `gradle.properties` beside it or in one above it (the root project's).

use std::path::Path;

use super::{Expect, Planner};
use crate::load::source::SourceFile;
use crate::plan::model::{Finding, PlanError, Status};
use release_policy_editor::text::Span;
use release_policy_editor::{go_mod, pom, Field, FieldKind, FileKind, Note};
use release_policy_version::requirement::Flavor;
use release_policy_version::Ecosystem;

impl Planner<'_> {
    /// Whether a Maven or Gradle note is about a version of the group: not a property
    /// defined by another (looked at only when a version names it), not a requirement on
    /// an artifact outside the repository.
    pub(super) fn jvm_version_note(&self, note: &Note) -> bool {
        let sibling = |package: &str| self.names.group_of(Flavor::Maven, package).is_some();
        match note {
            Note::PropertyReference { field, .. } => match field {
                FieldKind::Property { .. } => false,
                FieldKind::Requirement { package } => sibling(package),
                _ => true,
            },
            Note::Unsupported { key, .. } => pom::key_artifact(key).is_none_or(sibling),
            _ => true,
        }
    }

    /// Whether a POM's `<parent>` is an artifact of a group (then the POM inherits its
    /// version, which the parent's own POM carries).
    pub(super) fn maven_parent_in_group(&self, file: &SourceFile) -> bool {
        let parent_field = file.reading.fields.iter().any(|f| {
            f.key.starts_with("project/parent")
                && f.package()
                    .is_some_and(|p| self.names.group_of(Flavor::Maven, p).is_some())
        });
        let parent_note = file.reading.notes.iter().any(|n| {
            matches!(n, Note::PropertyReference { key, .. } if key.starts_with("project/parent"))
        });
        parent_field || parent_note
    }

    /// A Maven `${name}` or Gradle `version = name`: follow it to the literal definition and
    /// plan that.
    pub(super) fn jvm_reference(
        &mut self,
        key: &str,
        file: &SourceFile,
        (field, field_key): (&FieldKind, &str),
        property: &str,
        span: Span,
        group: usize,
    ) -> Result<(), PlanError> {
        let Some((def_key, def_field)) = self.jvm_definition(file, property) else {
            let place = if file.kind == FileKind::MavenPom {
                "in `<properties>` of this POM or of a POM above it that was read"
            } else {
                "in a gradle.properties beside this build script or above it"
            };
            let detail = format!("`{property}` is not defined literally {place}");
            self.fact(
                key,
                file,
                span,
                group,
                field_key,
                Status::Unsupported,
                detail,
            );
            return Ok(());
        };
        let detail = format!("defined by `{property}` in `{def_key}`");
        self.fact(key, file, span, group, field_key, Status::Derived, detail);
        let Some(def_file) = self.repo.files.get(&def_key) else {
            return Ok(()); // found among the files, so always there
        };
        if let FieldKind::Requirement { package } = field {
            if let Some(owner) = self.names.group_of(Flavor::Maven, package) {
                self.requirement(&def_key, def_file, &def_field, Flavor::Maven, owner)?;
            }
            return Ok(());
        }
        self.own(
            &def_key,
            def_file,
            &def_field,
            group,
            Expect::Spelled(Ecosystem::Maven),
        )
    }

    /// Where `property` is defined literally for `file`: the file itself, then the files of
    /// its kind's chain in the directories above.
    fn jvm_definition(&self, file: &SourceFile, property: &str) -> Option<(String, Field)> {
        let defines = |f: &SourceFile| {
            f.reading
                .fields
                .iter()
                .find(|x| match &x.kind {
                    FieldKind::Property { name } => name == property,
                    FieldKind::Version => {
                        f.kind == FileKind::GradleProperties && property == "version"
                    }
                    _ => false,
                })
                .cloned()
        };
        let (own, chain) = match file.kind {
            FileKind::MavenPom => (true, "pom.xml"),
            _ => (false, "gradle.properties"),
        };
        if own {
            if let Some(field) = defines(file) {
                let key = self.key_of(&file.abs)?;
                return Some((key, field));
            }
        }
        let dir = file.abs.parent()?;
        let skip = usize::from(own);
        for ancestor in dir.ancestors().skip(skip) {
            let Some(key) = self.key_of(&ancestor.join(chain)) else {
                continue;
            };
            if let Some(field) = self.repo.files.get(&key).and_then(|f| defines(f)) {
                return Some((key, field));
            }
        }
        None
    }

    fn key_of(&self, abs: &Path) -> Option<String> {
        let repo = self.repo;
        let by_path = self.by_path.get_or_init(|| {
            repo.files
                .iter()
                .map(|(k, f)| (f.abs.as_path(), k))
                .collect()
        });
        by_path.get(abs).map(|k| (*k).clone())
    }

    /// A `go.mod` of the group: a module whose major version is 2 or more ends its path in
    /// `/vN`, and a module at 0 or 1 does not; Go refuses the tag otherwise.
    pub(super) fn go_major(&mut self, key: &str, file: &SourceFile, group: usize) {
        let Some(path) = file.reading.name.as_deref() else {
            return;
        };
        let Some(version) = self.targets.get(group).map(|t| &t.new) else {
            return;
        };
        let major = version.major;
        let declared = go_mod::path_major(path);
        let matches = match declared {
            Some(n) => n == major || (path.starts_with("gopkg.in/") && major <= 1 && n <= 1),
            None => major <= 1,
        };
        if matches {
            return;
        }
        let base = match declared {
            Some(n) if path.starts_with("gopkg.in/") => {
                path.trim_end_matches(&format!(".v{n}")).to_string()
            }
            Some(n) => path.trim_end_matches(&format!("/v{n}")).to_string(),
            None => path.to_string(),
        };
        let expected = if major <= 1 {
            base
        } else if path.starts_with("gopkg.in/") {
            format!("{base}.v{major}")
        } else {
            format!("{base}/v{major}")
        };
        let detail = format!(
            "version {version} has major version {major}, but the module path `{path}` declares {}: Go refuses the tag; change the `module` line to `module {expected}` (and the imports of the module) for this major version",
            declared.map_or_else(|| "0 or 1".to_string(), |n| n.to_string()),
        );
        let span = go_mod::module_span(&file.text).unwrap_or(Span::at(0));
        let at = self.at(key, file, span, group);
        self.record(Finding {
            field: "module",
            key: "module".to_string(),
            found: path.to_string(),
            expected: Some(expected),
            // Not an edit the tool makes: the module path is the module's identity.
            status: Status::Unsupported,
            detail: Some(detail),
            ..at
        });
    }
}
