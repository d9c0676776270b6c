//! Spans of every kind of value, and the documents the fast builder leaves to `toml_edit`.
