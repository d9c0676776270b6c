//! Helm's `Chart.yaml`: the chart's `version` and the `appVersion` of what it deploys.
//!
//! Fields: the top-level `version` ([`FieldKind::Version`]) and `appVersion`
//! ([`FieldKind::AppVersion`]), and the chart's `name`. Which group each follows is the
//! policy's choice (`[…release.helm]`): a chart is often versioned apart from the
//! application it deploys. The `dependencies` (sub-charts) are not read.

use crate::error::EditorError;
use crate::pubspec::{push_top, top_scalar};
use crate::reading::{FieldKind, Reading};
use crate::yaml_span;

/// Read a `Chart.yaml`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let doc = yaml_span::parse(text)?;
    let mut reading = Reading {
        name: top_scalar(&doc, "name"),
        ..Reading::default()
    };
    push_top(&doc, "version", FieldKind::Version, &mut reading);
    push_top(&doc, "appVersion", FieldKind::AppVersion, &mut reading);
    Ok(reading)
}

#[cfg(test)]
mod tests;
