use proptest::prelude::*;

use super::*;

/// `text` is refused with `message` at `line:column`.
#[track_caller]
fn refused(text: &str, message: &str, position: &str) {
    let error = parse(text, 8).unwrap_err();
    assert_eq!(error.message, message, "{text:?}");
    assert_eq!(
        error.position(text).unwrap().to_string(),
        position,
        "{text:?}: {}",
        error.message
    );
    assert!(
        serde_json::from_str::<serde::de::IgnoredAny>(strip_bom(text).0).is_err(),
        "serde_json accepts {text:?}"
    );
}

#[test]
fn malformed() {
    refused(
        "",
        "expected a JSON value, found the end of the file",
        "1:1",
    );
    refused(
        "  \n",
        "expected a JSON value, found the end of the file",
        "2:1",
    );
    refused(
        "{",
        "expected a key in double quotes, found the end of the file",
        "1:2",
    );
    refused("{\n  \"a\": 1,\n}", "trailing comma", "2:9");
    refused("[1,\r\n]", "trailing comma", "1:3");
    refused(
        "{\n  // c\n  \"a\": 1\n}",
        "comments are not allowed in JSON",
        "2:3",
    );
    refused(
        "{\"a\": 1 /* c */}",
        "comments are not allowed in JSON",
        "1:9",
    );
    refused(
        "{'a': 1}",
        "expected a key in double quotes, found `'`",
        "1:2",
    );
    refused(
        "{\"a\" 1}",
        "expected `:` after an object key, found `1`",
        "1:6",
    );
    refused(
        "{\"a\": 1 \"b\": 2}",
        "expected `,` or `}` after an object member, found `\"`",
        "1:9",
    );
    refused(
        "[1 2]",
        "expected `,` or `]` after an array element, found `2`",
        "1:4",
    );
    refused("{\"a\": \"x}", "unterminated string", "1:7");
    refused("{\"a\": \"x\ny\"}", "a line break inside a string", "1:9");
    refused("\"a\tb\"", "a tab inside a string", "1:3");
    refused("\"\\x41\"", "invalid escape `\\x` in a string", "1:2");
    refused("\"\\u12G4\"", "invalid escape `\\u` in a string", "1:2");
    refused("01", "invalid number `01`", "1:1");
    refused("-", "invalid number `-`", "1:1");
    refused("1.", "invalid number `1.`", "1:1");
    refused("1.e5", "invalid number `1.e5`", "1:1");
    refused("1e", "invalid number `1e`", "1:1");
    refused("+1", "expected a JSON value, found `+`", "1:1");
    refused(".5", "expected a JSON value, found `.`", "1:1");
    refused("tru", "expected a JSON value, found `t`", "1:1");
    refused("NaN", "expected a JSON value, found `N`", "1:1");
    refused(
        "{} {}",
        "unexpected `{` after the end of the JSON document",
        "1:4",
    );
    refused(
        "{}\n\u{feff}",
        "unexpected character U+FEFF after the end of the JSON document",
        "2:1",
    );
    refused("\u{a0}{}", "expected a JSON value, found `\u{a0}`", "1:1");
    // Columns count characters, and a leading BOM is not one.
    refused(
        "\u{feff}{\"é\": x}",
        "expected a JSON value, found `x`",
        "1:7",
    );
    refused(
        "\u{feff}\u{feff}{}",
        "expected a JSON value, found character U+FEFF",
        "1:1",
    );
}

#[test]
fn nesting_limit() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&deep(MAX_NESTING), 1).is_ok());
    let error = parse(&deep(MAX_NESTING + 1), 1).unwrap_err();
    assert_eq!(error.offset, Some(MAX_NESTING));
    assert_eq!(
        error.message,
        "the JSON nests more than 128 arrays and objects"
    );
}

#[test]
fn spans_and_escapes() {
    let text = "\u{feff}{\"a\\u0062\": \"x\\\"y\", \"c\": [1, {\"d\": 2}], \"e\": {\"f\": {}}}";
    let doc = parse(text, 2).unwrap();
    assert_eq!(doc.root.span, Span::new(3, text.len()));
    let members = doc.object(&doc.root).unwrap();
    assert_eq!(members.len(), 3);
    let ab = &members[0];
    assert!(ab.key.is("ab"));
    assert_eq!(ab.key.span.slice(text), "a\\u0062");
    let Value::String(value) = &ab.value.value else {
        panic!()
    };
    assert!(value.escaped);
    assert_eq!(value.span.slice(text), "x\\\"y");
    assert_eq!(value.decoded(), "x\"y");
    assert_eq!(members[1].value.value, Value::Array);
    assert_eq!(members[1].value.span.slice(text), "[1, {\"d\": 2}]");
    let e = doc.object(&members[2].value).unwrap();
    assert_eq!(e[0].value.value, Value::DeepObject);
    assert_eq!(e[0].value.span.slice(text), "{}");
}

#[test]
fn decoding() {
    #[track_caller]
    fn case(raw: &str, decoded: &str) {
        let text = format!("\"{raw}\"");
        let Value::String(s) = parse(&text, 1).unwrap().root.value else {
            panic!()
        };
        assert_eq!(s.decoded(), decoded);
        // serde_json decodes the same, lone surrogates aside.
        if let Ok(expected) = serde_json::from_str::<String>(&text) {
            assert_eq!(expected, decoded);
        }
    }
    case("plain", "plain");
    case("\\\"\\\\\\/\\b\\f\\n\\r\\t", "\"\\/\u{8}\u{c}\n\r\t");
    case("\\u0031.0.0", "1.0.0");
    case("\\u00e9\\u00E9", "éé");
    case("\\ud83d\\ude00", "😀");
    case("\\ud83d", "\u{fffd}");
    case("\\ude00\\ud83d", "\u{fffd}\u{fffd}");
    case("\\ud83dx", "\u{fffd}x");
    case("\\ud83d\\u0041", "\u{fffd}A");
}

#[test]
fn duplicates() {
    let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"\\u0061\": 3\n}";
    let doc = parse(text, 1).unwrap();
    let members = doc.object(&doc.root).unwrap();
    let error = get(text, members, "deps", "a").unwrap_err();
    assert_eq!(error.message, "duplicate key `deps.a` at 2:3 and 4:3");
    assert_eq!(error.position(text).unwrap().to_string(), "4:3");
    assert!(get(text, members, "", "b").unwrap().is_some());
    assert!(get(text, members, "", "c").unwrap().is_none());
    let error = check_unique(text, members, str::to_string).unwrap_err();
    assert_eq!(error.message, "duplicate key `a` at 2:3 and 4:3");
}

/// Text that is often almost JSON: valid JSON from `serde_json`, then a few random edits with
/// the characters that matter to a JSON reader.
fn almost_json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "[ -~]{0,8}|\\PC{0,4}".prop_map(serde_json::Value::String),
    ];
    let value = leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-z\\\\\"]{0,4}", inner), 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let edit = (
        any::<prop::sample::Index>(),
        0..3usize,
        prop::sample::select(vec![
            "{", "}", "[", "]", "\"", ",", ":", " ", "\n", "\r", "\t", "\\", "\\u", "/", "//",
            "/*", "0", "1", "-", "+", ".", "e", "E", "true", "null", "fals", "\u{0}", "\u{1f}",
            "\u{a0}", "\u{feff}", "é", "'", "a",
        ]),
    );
    (value, any::<bool>(), prop::collection::vec(edit, 0..3)).prop_map(|(value, pretty, edits)| {
        let mut text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        for (at, mode, piece) in edits {
            let mut offset = at.index(text.len() + 1);
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            match mode {
                0 => text.insert_str(offset, piece),
                1 => {
                    if let Some(c) = text[offset..].chars().next() {
                        text.replace_range(offset..offset + c.len_utf8(), "");
                    }
                }
                _ => {
                    if let Some(c) = text[offset..].chars().next() {
                        text.replace_range(offset..offset + c.len_utf8(), piece);
                    }
                }
            }
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// The reader accepts exactly the documents serde_json accepts.
    #[test]
    fn agrees_with_serde_json(text in almost_json()) {
        // A leading BOM is ours to skip; serde_json refuses it.
        let ours = parse(&text, 8);
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(strip_bom(&text).0);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: ours {:?}, serde_json {:?}", text, ours.err(), theirs.err());
        if let Err(error) = ours {
            // An error is placed inside the text (or at its end).
            prop_assert!(error.offset.unwrap() <= text.len());
        }
    }

    /// Keeping less below some members (`parse_with`) validates the same documents, with
    /// the same errors.
    #[test]
    fn shallow_parse_validates_the_same(text in almost_json()) {
        let full = parse(&text, 8);
        let shallow = parse_with(&text, 8, Some(Shallow {
            depth: 1,
            key: |key| key.contains('a'),
            keep: |_, members| members.len() % 2 == 0,
        }));
        prop_assert_eq!(full.map(|d| d.root.span), shallow.map(|d| d.root.span));
    }

    /// Random short strings over JSON's significant characters.
    #[test]
    fn agrees_with_serde_json_on_noise(text in "[{}\\[\\]\":, \\n\\t01e.+\\-\\\\u/a-f]{0,16}") {
        let ours = parse(&text, 8);
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&text);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: ours {:?}, serde_json {:?}", text, ours.err(), theirs.err());
    }

    /// Every string's span covers its raw bytes, and decoding agrees with serde_json.
    #[test]
    fn strings_decode_like_serde_json(value in "\\PC{0,12}") {
        let text = serde_json::to_string(&value).unwrap();
        let Value::String(s) = parse(&text, 1).unwrap().root.value else { panic!() };
        prop_assert_eq!(s.span, Span::new(1, text.len() - 1));
        prop_assert_eq!(s.decoded(), value.as_str());
        prop_assert_eq!(s.escaped, s.raw != value);
    }
}

/// The eight-byte string scan stops exactly at a quote, backslash or control character,
/// wherever it falls in a chunk, after ASCII or multi-byte text.
#[test]
fn string_scan_stops_exactly() {
    for filler in ["a", "é", "\u{7f}", "\u{80}", "😀"] {
        for n in 0..20 {
            let body = filler.repeat(n);
            let text = format!("\"{body}\" ");
            let Value::String(s) = parse(&text, 1).unwrap().root.value else {
                panic!()
            };
            assert_eq!(s.raw, body);
            let text = format!("\"{body}\\n{body}\"");
            let Value::String(s) = parse(&text, 1).unwrap().root.value else {
                panic!()
            };
            assert!(s.escaped);
            assert_eq!(s.span, Span::new(1, text.len() - 1));
            for control in ["\n", "\u{0}", "\u{1f}"] {
                let text = format!("\"{body}{control}{body}\"");
                let error = parse(&text, 1).unwrap_err();
                assert_eq!(error.offset, Some(1 + body.len()), "{text:?}");
            }
        }
    }
}

/// Below a member `parse_with` picks, objects deeper than that member's own are validated
/// but not kept, and the member's own object keeps its members only when `keep` says so;
/// elsewhere the document is what `parse` gives.
#[test]
fn shallow_members() {
    let shallow = Some(Shallow {
        depth: 2,
        key: |key| key.contains("node_modules/"),
        keep: |_, members| members.iter().any(|m| m.key.is("link")),
    });
    let text = r#"{"packages": {"node_modules/x": {"link": true, "dependencies": {"y": "1"}}, "node_modules/z": {"version": "1"}, "packages/a": {"dependencies": {"b": "^1"}}, "node_modules/w": {"link": true}}}"#;
    let doc = parse_with(text, 4, shallow).unwrap();
    let full = parse(text, 4).unwrap();
    let top = doc.object(&doc.root).unwrap();
    let entries = doc.object(&top[0].value).unwrap();
    assert_eq!(entries.len(), 4);
    let linked = doc.object(&entries[0].value).unwrap();
    assert_eq!(linked[0].key.raw, "link");
    assert_eq!(linked[1].value.value, Value::DeepObject);
    assert_eq!(entries[1].value.value, Value::DeepObject);
    let member = doc.object(&entries[2].value).unwrap();
    let deps = doc.object(&member[0].value).unwrap();
    assert_eq!(deps[0].key.raw, "b");
    assert_eq!(doc.object(&entries[3].value).unwrap()[0].key.raw, "link");
    let full_top = full.object(&full.root).unwrap();
    let full_entries = full.object(&full_top[0].value).unwrap();
    let full_member = full.object(&full_entries[2].value).unwrap();
    assert_eq!(full.object(&full_member[0].value).unwrap(), deps);
    // An error deep below a shallow member is still an error, at the same place.
    let bad = r#"{"packages": {"node_modules/x": {"dependencies": {"y": "1",}}}}"#;
    assert_eq!(
        parse_with(bad, 4, shallow).unwrap_err(),
        parse(bad, 4).unwrap_err()
    );
}
