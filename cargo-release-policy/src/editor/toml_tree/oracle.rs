//! The fast builder against `toml_edit`.
