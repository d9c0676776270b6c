//! The readers' parsers next to their maintained twins, file by file (issue 17's question:
//! does each hand-written parser still earn its place?):
//!
//! * TOML: `release_policy_editor::toml_tree::parse` against `toml::de::DeTable::parse` (the
//!   `toml` crate's spanned, borrowed document, walked once so that its values are touched)
//!   and `toml_edit::Document::parse`;
//! * MSBuild: the whole `release_policy_editor::msbuild::read` (plain files go through its
//!   scanner) against `roxmltree::Document::parse` alone — a lower bound on what reading
//!   through roxmltree costs, since the reader would still have to walk the tree.
//!
//! ```sh
//! cargo run --release -p bench --bin readers -- Cargo.lock examples/polyglot-sdk/Cargo.toml \
//!     examples/polyglot-sdk/bindings/dotnet/PolyglotSdk/PolyglotSdk.csproj
//! ```
//!
//! Each figure is the best of 5 rounds of 200 parses. On a busy machine wall times move by
//! 2× from run to run; `--only PARSER` runs one parser 200 times per file, untimed, for an
//! instruction count that does not move:
//!
//! ```sh
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/readers --only de Cargo.lock   # toml-tree, de, edit, msbuild, roxmltree
//! ```
//!
//! See `docs/performance.md`.
// A developer tool, not shipped: the workspace's panic lints guard the released crates.
#![allow(
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::hint::black_box;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use toml::de::{DeTable, DeValue};

const ROUNDS: u32 = 200;

/// The best time per call of `f`, in microseconds.
fn best(mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..ROUNDS {
            f();
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS));
    }
    best
}

/// Touch every key and value of a `toml` document, as a reader looking values up would.
fn walk(value: &DeValue<'_>) -> usize {
    match value {
        DeValue::String(s) => s.len(),
        DeValue::Table(table) => table
            .iter()
            .map(|(k, v)| k.get_ref().len() + v.span().start + walk(v.get_ref()))
            .sum(),
        DeValue::Array(array) => array.iter().map(|v| v.span().end + walk(v.get_ref())).sum(),
        _ => 1,
    }
}

fn toml_row(path: &str, text: &str) -> Result<()> {
    release_policy_editor::toml_tree::parse(text).context("toml_tree")?;
    DeTable::parse(text).context("DeTable")?;
    let ours = best(|| {
        black_box(release_policy_editor::toml_tree::parse(text).ok());
    });
    let de = best(|| {
        if let Ok(root) = DeTable::parse(text) {
            black_box(walk(&DeValue::Table(root.into_inner())));
        }
    });
    let edit = best(|| {
        black_box(toml_edit::Document::parse(text).ok());
    });
    println!(
        "{:>8} B  toml_tree {ours:>8.1} µs  DeTable {de:>8.1} µs ({:.2}×)  toml_edit {edit:>8.1} µs ({:.2}×)  {path}",
        text.len(),
        de / ours,
        edit / ours,
    );
    Ok(())
}

fn xml_row(path: &str, text: &str) -> Result<()> {
    let body = text.trim_start_matches('\u{feff}');
    release_policy_editor::msbuild::read(text).map_err(|e| anyhow::anyhow!("{e}"))?;
    roxmltree::Document::parse(body).context("roxmltree")?;
    let ours = best(|| {
        black_box(release_policy_editor::msbuild::read(text).ok());
    });
    let rox = best(|| {
        black_box(roxmltree::Document::parse(body).ok());
    });
    println!(
        "{:>8} B  msbuild::read {ours:>8.1} µs  roxmltree parse alone {rox:>8.1} µs ({:.2}×)  {path}",
        text.len(),
        rox / ours,
    );
    Ok(())
}

/// Run parser `only` [`ROUNDS`] times on `text`, untimed (for an instruction counter).
fn only(parser: &str, text: &str) -> Result<()> {
    let body = text.trim_start_matches('\u{feff}');
    for _ in 0..ROUNDS {
        match parser {
            "toml-tree" => drop(black_box(
                release_policy_editor::toml_tree::parse(text).ok(),
            )),
            "de" => {
                if let Ok(root) = DeTable::parse(text) {
                    black_box(walk(&DeValue::Table(root.into_inner())));
                }
            }
            "edit" => drop(black_box(toml_edit::Document::parse(text).ok())),
            "msbuild" => drop(black_box(release_policy_editor::msbuild::read(text).ok())),
            "roxmltree" => drop(black_box(roxmltree::Document::parse(body).ok())),
            other => bail!("no parser `{other}`: toml-tree, de, edit, msbuild or roxmltree"),
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    let parser = match paths.first().map(String::as_str) {
        Some("--only") if paths.len() > 1 => {
            let parser = paths[1].clone();
            paths.drain(..2);
            Some(parser)
        }
        _ => None,
    };
    if let Some(parser) = parser {
        for path in &paths {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
            only(&parser, &text)?;
        }
        return Ok(());
    }
    if paths.is_empty() {
        bail!("name TOML (`.toml`, `.lock`) and MSBuild (`.csproj`, `.props`) files to read");
    }
    for path in &paths {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
        let extension = std::path::Path::new(path).extension();
        if extension
            .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("lock"))
        {
            toml_row(path, &text)?;
        } else {
            xml_row(path, &text)?;
        }
    }
    Ok(())
}
