//! Spans of every kind of value, the documents the fast builder takes and those it leaves to
//! `toml_edit`.

use std::fmt::Write as _;

use super::build::build;
use super::oracle::{check, Outcome};
use super::{parse, Item, Table};

/// The item at a dotted path of plain names (`[i]` indexes an array or an array of tables).
fn lookup<'t>(root: &'t Table<'_>, path: &str) -> &'t Item<'t> {
    let mut parts = path.split('.');
    let mut item = root.get(parts.next().unwrap()).unwrap();
    for part in parts {
        item = item.as_table_like().unwrap().get(part).unwrap();
    }
    item
}

#[test]
fn spans_of_every_kind() {
    // (document, path, what the item's span covers)
    let cases: &[(&str, &str, &str)] = &[
        ("a = \"x\"", "a", "\"x\""),
        ("a = 'x'", "a", "'x'"),
        ("a = \"\"\"\nx\"\"\"", "a", "\"\"\"\nx\"\"\""),
        ("a = '''x'''", "a", "'''x'''"),
        ("a = \"x\\ty\" # c", "a", "\"x\\ty\""),
        ("a = 12", "a", "12"),
        ("a = 0x1F", "a", "0x1F"),
        ("a = 1_000", "a", "1_000"),
        ("a = -1.5e3", "a", "-1.5e3"),
        ("a = inf", "a", "inf"),
        ("a = true", "a", "true"),
        ("a = [1, [2, 3], ]", "a", "[1, [2, 3], ]"),
        ("a = [\n  1,\n  2, # c\n]\n", "a", "[\n  1,\n  2, # c\n]"),
        ("a = { b = 1, c.d = 2 }", "a", "{ b = 1, c.d = 2 }"),
        ("a = { b = 1, c.d = 2 }", "a.c", "c"),
        ("a = { b = 1, c.d = 2 }", "a.c.d", "2"),
        ("[t]\nx = 1", "t", "[t]"),
        ("[ t . u ]\nx = 1", "t", "t"),
        ("[ t . u ]\nx = 1", "t.u", "[ t . u ]"),
        ("[t.u]\n[t]\nx = 1", "t", "[t]"),
        ("p.q.r = 1", "p", "p"),
        ("p.q.r = 1", "p.q", "q"),
        ("[[p]]\nx = 1\n[[p]]\nx = 2\n", "p", "[[p]]\nx = 1\n[[p]]"),
        ("\"a b\" = 1", "a b", "1"),
    ];
    for (text, path, expected) in cases {
        let root = build(text).unwrap_or_else(|| panic!("fast path refused {text:?}"));
        assert_eq!(
            lookup(&root, path).span().slice(text),
            *expected,
            "{text:?} at {path}"
        );
        assert_eq!(check(text), Outcome::Fast, "{text:?}");
    }
}

#[test]
fn key_spans_include_quotes() {
    let text = "[\"x y\".'z']\n\"k\" = 1\nm.'n' = 2\n";
    let root = build(text).unwrap();
    let (key, _) = root.get_key_value("x y").unwrap();
    assert_eq!(key.span().slice(text), "\"x y\"");
    let xy = root.get("x y").unwrap().as_table().unwrap();
    let (key, _) = xy.get_key_value("z").unwrap();
    assert_eq!(key.span().slice(text), "'z'");
    let z = xy.get("z").unwrap().as_table().unwrap();
    assert_eq!(z.get_key_value("k").unwrap().0.span().slice(text), "\"k\"");
    let m = z.get("m").unwrap().as_table().unwrap();
    assert_eq!(m.get_key_value("n").unwrap().0.span().slice(text), "'n'");
    assert_eq!(check(text), Outcome::Fast);
}

#[test]
fn strings_borrow_the_text_unless_escaped() {
    let root = build("a = \"plain\"\nb = \"esc\\u00e9\"\nc = '''\nml'''").unwrap();
    let string = |k: &str| match root.get(k).unwrap().as_value().unwrap() {
        super::Value::String(s) => s.value.clone(),
        other => panic!("{other:?}"),
    };
    assert!(matches!(string("a"), std::borrow::Cow::Borrowed("plain")));
    assert_eq!(string("b"), "escé");
    assert_eq!(string("c"), "ml");
}

/// What real manifests and lockfiles hold takes the fast path.
#[test]
fn manifests_take_the_fast_path() {
    let documents = [
        "[package]\nname = \"c\"\nversion.workspace = true\nedition = \"2021\"\n\n\
         [dependencies]\ncore = { path = \"../core\", version = \"1.4.0\" }\n\
         serde = { version = \"1\", features = [\"derive\"] }\n\n\
         [target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n\n\
         [package.metadata.release]\ntag = false\n",
        "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.4.0\"\n\n\
         [workspace.metadata.release]\nmanifests = [\n  \"package.json\",\n]\n",
        "[build-system]\nrequires = [\"hatchling\"]\n\n[project]\nname = \"p\"\n\
         dynamic = [\"version\"]\ndependencies = [\n  \"a==1.4.0\",\n]\n\n\
         [project.optional-dependencies]\ndev = [\"b>=1\"]\n\n[tool.hatch.version]\n\
         path = \"p/__init__.py\"\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\n",
        "# generated\nversion = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.4.0\"\n\
         dependencies = [\n \"b 1.4.0\",\n]\n\n[[package]]\nname = \"b\"\nversion = \"1.4.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
         checksum = \"00\"\n",
        "version = 1\nrequires-python = \">=3.9\"\n\n[manifest]\nmembers = [\"a\"]\n\n\
         [[package]]\nname = \"a\"\nversion = \"1.4.0\"\nsource = { editable = \"a\" }\n\
         dependencies = [\n    { name = \"b\" },\n]\n\n[package.metadata]\n\
         requires-dist = [{ name = \"b\", specifier = \"==1.4.0\" }]\n",
        // A parent after its child continues the implied table.
        "[tool.poetry.dependencies]\npython = \"^3.9\"\n\n[tool.poetry]\nname = \"p\"\n",
        // CRLF, a BOM-less empty document, comments only.
        "[a]\r\nb = 1\r\n",
        "",
        "# only a comment\n",
    ];
    for text in documents {
        assert_eq!(check(text), Outcome::Fast, "{text}");
    }
}

/// Documents `toml_edit` rejects: the builder must refuse every one (it would otherwise
/// return a tree for an invalid document).
#[test]
fn the_builder_refuses_what_toml_edit_rejects() {
    let mut long_table = String::new();
    for i in 0..40 {
        writeln!(long_table, "k{i} = {i}").unwrap();
    }
    long_table.push_str("k7 = 0\n");
    let documents = [
        "a = 1\na = 2",
        "a = 1\n\"a\" = 2",
        "a = 1\n\"\\u0061\" = 2",
        "a.b = 1\na.b = 2",
        "a.b = 1\na = 2",
        "a = 1\na.b = 2",
        "a = { b = 1 }\na.c = 2",
        "a = [1]\n[[a]]",
        "a = { b = 1, b = 2 }",
        "a = { b.c = 1, b = 2 }",
        "a = { b = { c = 1 }, b.d = 2 }",
        "[a]\n[a]",
        "[a]\nb = 1\n[a.b]",
        "[a.b]\n[a]\nb = 1",
        "[a]\nb.c = 1\n[a.b]",
        "[[a]]\n[a]",
        "[a]\n[[a]]",
        "[a]\nx = 1\n[b]\na.x = 2\n[a]",
        "[a.b]\nc = 1\n[a]\nb.d = 2",
        "a = 99999999999999999999",
        "a = 1e999",
        "a = 1979-13-01",
        "a = \"\\x\"",
        "a = 'b",
        "a = ",
        "= 1",
        "a = 1 b = 2",
        "[a",
        "a = \"\u{7}\"",
        "# \u{7}\n",
        &long_table,
    ];
    for text in documents {
        assert!(build(text).is_none(), "the fast path took {text:?}");
        assert_eq!(check(text), Outcome::Rejected, "{text:?}");
    }
}

/// Valid documents the builder leaves to `toml_edit`: the tree is `toml_edit`'s.
#[test]
fn unusual_documents_are_left_to_toml_edit() {
    let documents = ["a = 1979-05-27T07:32:00Z", "[[x.a]]\n[x]\na.b.c = 1"];
    for text in documents {
        assert!(build(text).is_none(), "the fast path took {text:?}");
        assert_eq!(check(text), Outcome::Fallback, "{text:?}");
        assert!(parse(text).is_ok(), "{text:?}");
    }
    // Valid and unusual, taken by the builder as `toml_edit` reads it: a dotted key into a
    // table that only a header below it implied.
    assert_eq!(check("[a.b.c]\n[a]\nb.d = 2"), Outcome::Fast);
}

#[test]
fn errors_are_toml_edits() {
    let text = "a = 1\nb = = 2\n";
    let ours = parse(text).unwrap_err();
    let theirs = toml_edit::Document::parse(text).unwrap_err();
    assert_eq!(ours.to_string(), theirs.to_string());
    assert_eq!(ours.span(), theirs.span());
}
