//! What the JSON Schema says of a field beyond its type: the pattern each kind of template
//! must match. The policy's types name these functions in their `schemars` attributes.

use schemars::Schema;

use crate::template::{schema_pattern, TemplateKind};

fn set_pattern(schema: &mut Schema, kind: TemplateKind) {
    schema.insert("pattern".into(), schema_pattern(kind).into());
}

/// `commit-message`, `pre-release-commit-message`, `tag-message`.
pub(crate) fn template(schema: &mut Schema) {
    set_pattern(schema, TemplateKind::Message);
}

/// `tag-name`.
pub(crate) fn tag_name_template(schema: &mut Schema) {
    set_pattern(schema, TemplateKind::TagName);
}

/// `tag-prefix`.
pub(crate) fn tag_prefix_template(schema: &mut Schema) {
    set_pattern(schema, TemplateKind::TagPrefix);
}

/// `search` of a pattern entry.
pub(crate) fn search_pattern(schema: &mut Schema) {
    set_pattern(schema, TemplateKind::Search);
}

/// `dotnet.assembly-version`, `dotnet.file-version`.
pub(crate) fn numeric_template(schema: &mut Schema) {
    set_pattern(schema, TemplateKind::Numeric);
}
