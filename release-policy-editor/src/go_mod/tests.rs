//! The go.mod editor, table-driven, and lossless edits.

use proptest::prelude::*;

use super::{module_span, path_major, read};
use crate::kind::FileKind;
use crate::rewrite::rewrite;
use crate::testing::{assert_only_edited, assert_refused_at};

const GO_MOD: &str = "// The Go binding.\nmodule example.com/sdk/go/v2 // comment\n\ngo 1.22\n\nrequire example.com/sdk/core v2.0.0\n\nrequire (\n\t\"example.com/sdk/util\" v2.0.0 // indirect\n\tgolang.org/x/text v0.14.0\n)\n\nreplace example.com/sdk/core => ../core\nexclude example.com/sdk/core v1.0.0\n";

#[test]
fn reads_the_module_and_its_requirements() {
    let reading = read(GO_MOD).unwrap();
    assert_eq!(reading.name.as_deref(), Some("example.com/sdk/go/v2"));
    let got: Vec<(&str, &str, &str)> = reading
        .fields
        .iter()
        .map(|f| (f.key.as_str(), f.package().unwrap(), f.span.slice(GO_MOD)))
        .collect();
    assert_eq!(
        got,
        [
            (
                "require[example.com/sdk/core]",
                "example.com/sdk/core",
                "v2.0.0"
            ),
            (
                "require[example.com/sdk/util]",
                "example.com/sdk/util",
                "v2.0.0"
            ),
            ("require[golang.org/x/text]", "golang.org/x/text", "v0.14.0"),
        ]
    );
    assert_eq!(
        module_span(GO_MOD).unwrap().slice(GO_MOD),
        "example.com/sdk/go/v2"
    );
}

#[test]
fn refusals() {
    assert_refused_at(read, "go 1.22\n", 1, 1, "no `module` directive");
    assert_refused_at(
        read,
        "module a\nrequire (\n b v1.0.0\n",
        2,
        1,
        "never closed",
    );
    assert_refused_at(
        read,
        "module a\nrequire b\n",
        2,
        9,
        "malformed `require` line",
    );
    assert_refused_at(read, "module \"a\n", 1, 8, "never closed");
}

#[track_caller]
fn major(path: &str, expected: Option<u64>) {
    assert_eq!(path_major(path), expected, "{path}");
}

#[test]
fn major_suffixes() {
    major("example.com/sdk", None);
    major("example.com/sdk/v2", Some(2));
    major("example.com/sdk/go/v13", Some(13));
    major("example.com/sdk/v1", None);
    major("example.com/sdk/v02", None);
    major("example.com/sdk/vx", None);
    major("gopkg.in/yaml.v3", Some(3));
    major("gopkg.in/check.v1", Some(1));
}

proptest! {
    #[test]
    fn requirements_are_edited_alone(
        crlf: bool, bom: bool, comment in "[a-z /]{0,10}", new in "v[1-9]\\.[0-9]\\.[0-9]",
    ) {
        let mut text = GO_MOD.replace("// indirect", &format!("// {comment}"));
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        let reading = read(&text).unwrap();
        prop_assert_eq!(reading.fields.len(), 3);
        let edits: Vec<_> = reading.fields.iter().take(2).map(|f| (f, new.as_str())).collect();
        let out = rewrite(FileKind::GoMod, &text, &edits).unwrap();
        let spans: Vec<_> = edits.iter().map(|(f, v)| (f.span, *v)).collect();
        assert_only_edited(&text, &out, &spans);
    }
}
