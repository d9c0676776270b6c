//! Oracle: Python's `re` finds the same version as the tool for hatch's
//! `[tool.hatch.version] pattern`. The script does what hatchling's `VersionFile` does: read the
//! file with `open(path, encoding="utf-8")` (universal newlines, a BOM kept as a character),
//! `re.search(pattern, contents, flags=re.MULTILINE)`, take the `version` group, and write
//! `contents[:start] + version + contents[end:]`. Every pattern is tried on every file: the
//! match or its absence, the group's span, its value and the rewritten text must agree (the
//! tool keeps `\r\n` where Python writes `\n`: texts are compared with line ends made `\n`).
//! A machine without `python3` fails here, loudly.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::process::{Command, Stdio};

use release_policy_editor::version_file::{read_with, VersionPattern};

/// Patterns the `regex` crate runs (no back-references, no look-around).
const PATTERNS: &[&str] = &[
    r#"^__version__ = ['"](?P<version>[^'"]+)['"]"#,
    // hatch's default pattern, without its back-reference to the quote.
    r#"(?i)^(__version__|VERSION) *= *['"]v?(?P<version>.+?)['"]"#,
    r"^VERSION = (?P<version>.+)$",
    r"(?P<version>\d+\.\d+(\.\d+)?)",
    r#"version\s*[:=]\s*"(?P<version>[^"]*)""#,
    r"\A(?P<version>\S+)",
    r"(?P<version>\S+)\s*$",
    r"^(?:release|version)\W+(?P<version>[\w.+-]+)",
    r"(?P<version>x)?y",
    r#"(?s)"""(?P<version>.*?)""""#,
    r"^\s*(?P<version>[0-9][0-9a-z.]*)\s*$",
    r"(?P<version>é+)",
    r"[\s\S]*VERSION = '(?P<version>[^']+)'",
    r"(?m:^)(?i:v)ersion\s*=\s*(?P<version>\d[^\s#]*)",
    r"\bv(?P<version>\d+(?:\.\d+)*)\b",
];

const TEXTS: &[&str] = &[
    "__version__ = \"1.4.0\"\n",
    "\"\"\"Doc.\"\"\"\r\n\r\nVERSION = '2.0.0'\r\n__version__ = \"1.4.0\"\r\n",
    "\u{feff}__version__ = '1.0'\nVERSION = 'v3.0'\n",
    "# café\rVERSION = 1.2.3\r",
    "release: 4.5.6-beta\n  version = \"7\"\n",
    "  1.4.0  \n",
    "y\n",
    "\"\"\"\r\n1.2\r\n\"\"\"\r\nVERSION = 'é1'\r\nVERSION = 'é2'\r\n",
    "",
    "x = 1\nversion:\"0.1\"\nVERSION = \"5.0\" # last\n",
    "no version here\r\n",
    "ééé 1.0\n",
    "Version = 12.0 # x\r\nversion=3\n",
    "tag v1.2.3, not xv9.9\n",
];

/// Python's universal newlines: `\r\n` and `\r` read as `\n`.
fn universal(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

const SCRIPT: &str = r#"
import json, re, sys
out = []
for case in json.load(sys.stdin):
    with open(case["path"], encoding="utf-8") as f:
        contents = f.read()
    match = re.search(case["pattern"], contents, flags=re.MULTILINE)
    if match is None:
        out.append("no match")
        continue
    start, end = match.span("version")
    if start < 0:
        out.append("no group")
        continue
    rewritten = contents[:start] + case["new"] + contents[end:]
    out.append({"version": match.group("version"), "start": start, "end": end, "rewritten": rewritten})
print(json.dumps(out))
"#;

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs python3: scripts/test runs it (cargo test --features oracles)"
)]
fn python_re_finds_the_same_version() {
    let dir = tempfile::tempdir().unwrap();
    let new = "9.8.7";
    let mut cases = Vec::new();
    let mut input = Vec::new();
    for (t, text) in TEXTS.iter().enumerate() {
        let path = dir.path().join(format!("v{t}.py"));
        fs::write(&path, text).unwrap();
        for pattern in PATTERNS {
            input.push(serde_json::json!({
                "path": path.to_str().unwrap(),
                "pattern": pattern,
                "new": new,
            }));
            cases.push((*pattern, *text));
        }
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "python3 is needed for this oracle test ({e}): install Python 3 \
                 (`apt-get install python3`, or https://www.python.org/downloads/)"
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&input).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let python: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(python.len(), cases.len());

    let mut disagreements = String::new();
    let mut matched = 0;
    for ((pattern, text), python) in cases.iter().zip(&python) {
        let compiled = VersionPattern::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let ours = match read_with(text, Some(&compiled)) {
            Err(e) if e.message.starts_with("no match") => serde_json::json!("no match"),
            Err(e) if e.message.contains("has no `version` group") => {
                serde_json::json!("no group")
            }
            Err(e) => panic!("{pattern} on {text:?}: {e}"),
            Ok(reading) => {
                let field = &reading.fields[0];
                let (start, end) = (field.span.start, field.span.end);
                // Offsets in the text Python reads, counted in characters as Python counts.
                let at = |offset: usize| universal(&text[..offset]).chars().count();
                matched += 1;
                serde_json::json!({
                    "version": universal(&field.value),
                    "start": at(start),
                    "end": at(end),
                    "rewritten": universal(&[&text[..start], new, &text[end..]].concat()),
                })
            }
        };
        if &ours != python {
            writeln!(
                disagreements,
                "{pattern} on {text:?}:\n  tool:   {ours}\n  python: {python}"
            )
            .unwrap();
        }
    }
    assert!(disagreements.is_empty(), "{disagreements}");
    // The table exercises matches as well as their absence.
    assert!(matched > cases.len() / 4, "{matched} of {}", cases.len());
    assert!(matched < cases.len());
}
