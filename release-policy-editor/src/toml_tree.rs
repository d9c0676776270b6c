//! A read-only TOML document with byte spans: what the TOML readers (`Cargo.toml`,
//! `Cargo.lock`, `pyproject.toml`, `uv.lock`) look at.
//!
//! `toml_edit` builds documents for editing: every key and value keeps its decor, tables are
//! `IndexMap`s hashed with `SipHash`. The readers only look keys up in small tables and read
//! values and their spans, and building those documents was a quarter of a `check`. [`parse`]
//! builds this smaller tree straight from `toml_parser`'s events (the parser `toml_edit` itself
//! runs): tables are vectors searched in order, keys and strings borrow the text where they
//! are written without escapes.
//!
//! What a document means is still `toml_edit`'s to say. The fast builder (`build`) follows
//! `toml_edit`'s own steps for the documents it takes, and gives up on anything else — a
//! syntax error, a key defined twice, a table header for a table that exists (other than a
//! parent a previous header implied), a dotted key into a table defined elsewhere, a value
//! extended by a dotted key or a header, a date-time. Then `toml_edit` parses the text: its
//! error is the error, and its document is converted to this tree (`convert`). The tests
//! (`oracle`) hold the two to the same tree, spans included, over generated documents and every
//! TOML file of the repository.

mod build;
mod convert;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;
mod tree;

/// Parse `text` (without a BOM) into its root table, or `toml_edit`'s error.
pub fn parse(text: &str) -> Result<Table<'_>, toml_edit::TomlError> {
    if let Some(root) = build::build(text) {
        return Ok(root);
    }
    toml_edit::Document::parse(text).map(|doc| convert::document(&doc))
}

pub use tree::{Array, ArrayOfTables, Float, Item, Key, Scalar, Table, Value};
