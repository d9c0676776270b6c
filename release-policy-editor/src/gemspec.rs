//! A `*.gemspec` (RubyGems) or `*.podspec` (CocoaPods): the `spec.version = "…"` of the
//! specification block, and its `spec.name`.
//!
//! The block's variable is read from `Gem::Specification.new do |s|` (or `Pod::Spec.new`);
//! without one, any `<name>.version =` counts. Fields ([`FieldKind::Version`], key
//! `s.version` with the block's variable): a string literal assigned to the version. A version
//! computed in Ruby (`s.version = Foo::VERSION`, the common gemspec) is a
//! [`Note::Dynamic`] with [`DynamicVersion::Expression`]: the version lives where the constant
//! is defined (the `version.rb` the loader follows), never guessed here. A literal with an
//! escape or interpolation is a [`Note::Unsupported`].

use crate::error::EditorError;
use crate::reading::{DynamicVersion, Note, Reading};
use crate::ruby_source::{assignments, Rhs};
use crate::ruby_version::push;
use crate::text::strip_bom;

/// Read a gemspec or podspec.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let var = block_variable(body);
    let is_ours = |target: &str, attribute: &str| {
        target.split_once('.').is_some_and(|(v, a)| {
            a == attribute && var.as_deref().map_or(!v.is_empty(), |var| var == v)
        })
    };
    let mut reading = Reading::default();
    for assignment in assignments(body) {
        if is_ours(&assignment.target, "name") {
            if let Rhs::Literal {
                span,
                escaped: false,
            } = assignment.rhs
            {
                reading.name = Some(span.slice(body).to_string());
            }
        } else if is_ours(&assignment.target, "version") {
            match &assignment.rhs {
                Rhs::Other { expression, span } => reading.notes.push(Note::Dynamic {
                    source: DynamicVersion::Expression {
                        expression: expression.clone(),
                    },
                    span: span.shift(bom),
                }),
                rhs @ Rhs::Literal { .. } => push(&mut reading, text, &assignment.target, rhs, bom),
            }
        }
    }
    if reading.fields.is_empty() && reading.notes.is_empty() {
        let var = var.unwrap_or_else(|| "s".to_string());
        return Err(
            EditorError::new(format!("no `{var}.version = …` assignment found"))
                .at(0)
                .help(format!(
                    "set the version in the specification block (`{var}.version = \"1.2.3\"`)"
                )),
        );
    }
    Ok(reading)
}

/// The variable of the specification block: `x` in `Gem::Specification.new do |x|` or
/// `Pod::Spec.new { |x|`.
fn block_variable(text: &str) -> Option<String> {
    let at = text
        .find("Specification.new")
        .or_else(|| text.find("Spec.new"))?;
    let rest = text.get(at..)?;
    let open = rest.find('|')?;
    let line_end = rest.find('\n').unwrap_or(rest.len());
    if open > line_end {
        return None;
    }
    let after = rest.get(open + 1..)?;
    let close = after.find('|')?;
    let var = after.get(..close)?.trim();
    (!var.is_empty() && var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| var.to_string())
}

#[cfg(test)]
mod tests;
