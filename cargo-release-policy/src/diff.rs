//! Unified diffs for `--dry-run`.

use std::fmt::Write as _;

use anstyle::AnsiColor;
use similar::TextDiff;

/// A coloured unified diff of `old` → `new` for `path` (colour is dropped by the output
/// stream when it is not a terminal).
pub fn unified(path: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let red = AnsiColor::Red.on_default();
    let green = AnsiColor::Green.on_default();
    let cyan = AnsiColor::Cyan.on_default();
    let bold = anstyle::Style::new().bold();
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let style = if line.starts_with("+++") || line.starts_with("---") {
            bold
        } else if line.starts_with('+') {
            green
        } else if line.starts_with('-') {
            red
        } else if line.starts_with("@@") {
            cyan
        } else {
            anstyle::Style::new()
        };
        let body = line.strip_suffix('\n').unwrap_or(line);
        let _ = writeln!(out, "{style}{body}{style:#}");
    }
    out
}
