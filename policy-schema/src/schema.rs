//! The JSON Schema of the policy table, generated from the types of this crate.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::Schema;
use serde_json::Value;

use crate::policy::Policy;

/// The JSON Schema (draft 2020-12) of one policy table — the contents of
/// `[workspace.metadata.release]`, `[workspace.metadata.release-policy]`,
/// `[package.metadata.release]` or `[package.metadata.release-policy]` — pretty-printed, with a
/// final newline.
///
/// It is checked in as `policy-schema/release-policy.schema.json`. What it cannot say: that a
/// key may be set in only one of the two tables, that `exactly` excludes `min` and `max`, that
/// `min` is at most `max`, that a custom label may not redefine a built-in one, and that check
/// names are unique; [`crate::parse_policies`] checks those too.
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(no_null))
        .into_generator();
    let schema = generator.into_root_schema_for::<Policy>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// TOML has no `null`: an optional key is absent, never null. Drops the `null` that schemars
/// adds for `Option` fields.
fn no_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|ty| ty != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
    for combinator in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = object.get_mut(combinator) {
            alternatives.retain(|alternative| {
                alternative.get("type").and_then(Value::as_str) != Some("null")
            });
            if alternatives.len() == 1 {
                // `anyOf: [{"$ref": …}]` is the referenced schema itself.
                if let Some(Value::Object(single)) = alternatives.pop() {
                    object.remove(combinator);
                    for (key, value) in single {
                        object.entry(key).or_insert(value);
                    }
                }
            }
        }
    }
}
