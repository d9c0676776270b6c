//! Every `toml` example of `docs/standard.md` is a policy the parser accepts (and the schema
//! too); every `toml,error` example is refused, with the diagnostic the doc shows after it.
//!
//! A block is a whole Cargo.toml when it has a `[workspace]` or `[package]` table; otherwise it is
//! the body of `[workspace.metadata.release]`. Info strings: `toml` (a policy), `toml,error` (a
//! policy that is refused; a `text` block right after it shows the diagnostic, as
//! `Cargo.toml:line:col: message` and an optional `help: …` line), `toml,other` (TOML that is not
//! a Cargo.toml: only parsed).

use std::path::Path;

use crate::support::{self, line_col, validator};
use policy_schema::parse_policies;

struct Block {
    info: String,
    text: String,
    line: usize,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_owned(),
                    text: String::new(),
                    line: index + 1,
                });
            }
            (Some(_), Some("")) => blocks.push(open.take().unwrap()),
            (Some(block), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block in the doc");
    blocks
}

/// The block as a whole Cargo.toml.
fn as_cargo_toml(block: &str) -> String {
    let whole = toml_edit::Document::parse(block).map_or(true, |doc| {
        doc.contains_key("workspace") || doc.contains_key("package")
    });
    if whole {
        block.to_owned()
    } else {
        format!("[workspace.metadata.release]\n{block}")
    }
}

/// Each policy table of the Cargo.toml is valid under the JSON Schema.
fn check_schema(cargo_toml: &str, at: usize) {
    for section in ["workspace", "package"] {
        for table in ["release", "release-policy"] {
            let Some(json) = support::table_as_json(cargo_toml, &[section, "metadata", table])
            else {
                continue;
            };
            let errors: Vec<String> = validator()
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "docs/standard.md:{at}: `{section}.metadata.{table}` is refused by the schema: {errors:#?}"
            );
        }
    }
}

#[test]
fn every_toml_example_of_the_standard_is_true() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/standard.md");
    let markdown = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let blocks = blocks(&markdown);
    let mut checked = 0;
    for (index, block) in blocks.iter().enumerate() {
        let at = block.line;
        let mut flags = block.info.split(',').map(str::trim);
        if flags.next() != Some("toml") {
            continue;
        }
        checked += 1;
        let cargo_toml = as_cargo_toml(&block.text);
        match flags.next() {
            None => {
                let policies = parse_policies(&cargo_toml).unwrap_or_else(|error| {
                    panic!(
                        "docs/standard.md:{at}: the example is refused: {}\n{cargo_toml}",
                        support::describe(&error, &cargo_toml)
                    )
                });
                assert!(
                    policies.workspace.is_some() || policies.package.is_some(),
                    "docs/standard.md:{at}: the example holds no policy table; mark other TOML `toml,other`"
                );
                check_schema(&cargo_toml, at);
            }
            Some("error") => {
                let Err(error) = parse_policies(&cargo_toml) else {
                    panic!(
                        "docs/standard.md:{at}: the `toml,error` example is accepted\n{cargo_toml}"
                    );
                };
                let (line, col) = line_col(&cargo_toml, error.offset());
                let help = error
                    .help
                    .as_ref()
                    .map(|help| format!("help: {help}\n"))
                    .unwrap_or_default();
                let shown = format!("Cargo.toml:{line}:{col}: {}\n{help}", error.message);
                if let Some(next) = blocks.get(index + 1).filter(|next| next.info == "text") {
                    assert_eq!(
                        next.text, shown,
                        "docs/standard.md:{}: the diagnostic shown differs from the one produced",
                        next.line
                    );
                }
            }
            Some("other") => {
                toml_edit::Document::parse(block.text.as_str())
                    .unwrap_or_else(|error| panic!("docs/standard.md:{at}: invalid TOML: {error}"));
            }
            Some(flag) => panic!("docs/standard.md:{at}: unknown flag `{flag}` on a toml block"),
        }
    }
    let fences = markdown
        .lines()
        .filter(|line| line.starts_with("```toml"))
        .count();
    assert_eq!(checked, fences, "every ```toml fence is a checked block");
    assert!(checked > 0, "no toml example found in docs/standard.md");
}
