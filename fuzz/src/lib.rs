//! The properties the fuzz targets check, shared by every target.
//!
//! * [`editors`]: for arbitrary text, each editor of a family either returns an error, or a
//!   reading whose fields, rewritten with [`editor::rewrite`] to the values the planner would
//!   write, give an output that parses (with the editor *and* with the format's reference
//!   parser, when that parser accepted the input), holds the new values, reads back with the
//!   same fields and notes, and keeps every byte outside the edited spans.
//! * [`versions`]: version parsing never panics, canonical versions round-trip through their
//!   text and through every ecosystem's spelling, and bumps never panic.
//!
//! A failed property panics: libFuzzer records the input as a crash.

use std::str::FromStr as _;

use release_policy_editor::{self as editor, Field, FieldKind, FileKind, Reading};
use release_policy_version::requirement::{Flavor, Requirement};
use release_policy_version::{
    self as version, check_forward, Comparison, Ecosystem, Labels, Level, Spelling, Version,
};

/// A reference parser for a family: `Ok` when it accepts the text (BOM stripped).
pub type Reference = fn(&str) -> bool;

/// TOML: `toml_edit`, the parser cargo uses.
pub fn toml_parses(text: &str) -> bool {
    text.parse::<toml_edit::DocumentMut>().is_ok()
}

/// JSON: `serde_json`.
pub fn json_parses(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

/// XML: `roxmltree`.
pub fn xml_parses(text: &str) -> bool {
    roxmltree::Document::parse(text).is_ok()
}

/// The versions the targets write, picked by a hash of the input.
const TARGETS: [&str; 7] = [
    "9.8.7",
    "10.0.0-beta.1",
    "0.0.1-dev.3",
    "2.0.0-rc.12",
    "1.2.3-alpha.4",
    "1.0.0-dev",
    "2147483647.0.0",
];

fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The version a run writes.
pub fn target_version(data: &[u8]) -> Version {
    let pick = TARGETS[(fnv(data) % TARGETS.len() as u64) as usize];
    Version::from_str(pick).unwrap_or_else(|e| panic!("{pick}: {e}"))
}

fn flavor(kind: FileKind) -> Flavor {
    match kind {
        // Pattern files (`Text`) default to the SemVer format; no target feeds them here.
        // Ruby, Dart, CocoaPods, CMake, Zig and Helm files hold no requirement the planner
        // rewrites as a range (their lock pins are exact versions).
        FileKind::CargoToml
        | FileKind::CargoLock
        | FileKind::Text
        | FileKind::RubyVersion
        | FileKind::Gemspec
        | FileKind::GemfileLock
        | FileKind::Pubspec
        | FileKind::PubspecLock
        | FileKind::Podspec
        | FileKind::CMake
        | FileKind::ZigZon
        | FileKind::HelmChart => Flavor::Cargo,
        FileKind::PackageJson | FileKind::PackageLock => Flavor::Npm,
        FileKind::Pyproject | FileKind::UvLock | FileKind::VersionFile => Flavor::Python,
        FileKind::MsBuild => Flavor::NuGet,
        FileKind::MavenPom | FileKind::GradleBuild | FileKind::GradleProperties => Flavor::Maven,
        FileKind::GoMod => Flavor::Go,
    }
}

fn ecosystem(kind: FileKind) -> Ecosystem {
    match kind {
        // Dart, Zig and Helm read SemVer; CMake's numeric shape is checked by the planner.
        FileKind::CargoToml
        | FileKind::CargoLock
        | FileKind::Text
        | FileKind::Pubspec
        | FileKind::PubspecLock
        | FileKind::ZigZon
        | FileKind::HelmChart
        | FileKind::CMake => Ecosystem::Cargo,
        FileKind::PackageJson | FileKind::PackageLock => Ecosystem::Npm,
        FileKind::Pyproject | FileKind::UvLock | FileKind::VersionFile => Ecosystem::Pep440,
        FileKind::MsBuild => Ecosystem::NuGet,
        FileKind::RubyVersion | FileKind::Gemspec | FileKind::GemfileLock => Ecosystem::RubyGems,
        FileKind::Podspec => Ecosystem::CocoaPods,
        FileKind::MavenPom | FileKind::GradleBuild | FileKind::GradleProperties => Ecosystem::Maven,
        FileKind::GoMod => Ecosystem::Go,
    }
}

/// The value the planner would write into `field` of a `kind` file for `version`, or `None`
/// where it would leave the field alone (a requirement it cannot rewrite, a version the
/// ecosystem cannot spell).
pub fn new_value(kind: FileKind, field: &Field, version: &Version) -> Option<String> {
    let spelling = Spelling::default();
    match &field.kind {
        FieldKind::Requirement { .. } => Requirement::parse(flavor(kind), &field.value)?
            .with_version(flavor(kind), version, &spelling)
            .ok(),
        FieldKind::VersionPrefix => Some(version.release().to_string()),
        FieldKind::VersionSuffix => Some(
            version
                .pre
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        FieldKind::AssemblyVersion | FieldKind::FileVersion => {
            spelling.render(version, Ecosystem::Assembly).ok()
        }
        _ => spelling.render(version, ecosystem(kind)).ok(),
    }
}

/// The editor property for every kind of a family over one input.
///
/// # Panics
/// When the property fails: that is the finding.
pub fn editors(kinds: &[FileKind], reference: Reference, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let version = target_version(data);
    for &kind in kinds {
        editor_property(kind, reference, text, &version);
    }
}

/// [`editors`] for one kind and one version.
///
/// # Panics
/// When the property fails.
pub fn editor_property(kind: FileKind, reference: Reference, text: &str, version: &Version) {
    let Ok(reading) = kind.read(text) else {
        return;
    };
    check_reading(kind, text, &reading);
    let values: Vec<Option<String>> = reading
        .fields
        .iter()
        .map(|f| new_value(kind, f, version))
        .collect();
    let edits: Vec<(&Field, &str)> = reading
        .fields
        .iter()
        .zip(&values)
        .filter_map(|(f, v)| v.as_deref().map(|v| (f, v)))
        .collect();
    let out = editor::rewrite(kind, text, &edits).unwrap_or_else(|e| {
        panic!("{kind}: rewrite to {version} failed: {e}\nedits: {edits:#?}\n--- input\n{text}")
    });

    // The output parses with the reference parser whenever the input did.
    if reference(strip_bom(text)) {
        assert!(
            reference(strip_bom(&out)),
            "{kind}: the input parses with the reference parser, the output does not\n--- input\n{text}\n--- output\n{out}"
        );
    }

    // The output reads back: the same fields (same kinds, keys, order), the edited ones with
    // their new values, and the same notes.
    let reread = kind.read(&out).unwrap_or_else(|e| {
        panic!("{kind}: the output does not read back: {e}\n--- output\n{out}")
    });
    check_reading(kind, &out, &reread);
    // Compared as sets: an inserted field (`<VersionSuffix>`) reads back in document order.
    let mut expected: Vec<(String, String, String)> = reading
        .fields
        .iter()
        .zip(&values)
        .map(|(f, v)| {
            let value = v.clone().unwrap_or_else(|| f.value.clone());
            (f.key.clone(), format!("{:?}", f.kind), value)
        })
        .collect();
    let mut actual: Vec<(String, String, String)> = reread
        .fields
        .iter()
        .map(|f| (f.key.clone(), format!("{:?}", f.kind), f.value.clone()))
        .collect();
    expected.sort();
    actual.sort();
    assert_eq!(
        expected, actual,
        "{kind}: the output reads back other fields than expected\n--- input\n{text}\n--- output\n{out}"
    );
    assert_eq!(
        reading.notes.len(),
        reread.notes.len(),
        "{kind}: notes changed\n--- input\n{text}\n--- output\n{out}"
    );
    // The package name stays, unless it is an MSBuild property (`<PackageId>`) that a
    // `$(…)` chain could lead to, and that was rewritten here.
    let renamed = edits
        .iter()
        .any(|(f, _)| matches!(f.kind, FieldKind::Property { .. }));
    if !renamed {
        assert_eq!(
            reading.name, reread.name,
            "{kind}: the package name changed"
        );
    }

    // Every byte outside the edited spans is the input's.
    let mut sorted: Vec<(&Field, &str)> = edits
        .iter()
        .copied()
        .filter(|(f, v)| f.value != *v)
        .collect();
    sorted.sort_by_key(|(f, _)| (f.span.start, f.span.end));
    let (mut from, mut to) = (0, 0);
    for (field, value) in sorted {
        let kept = &text[from..field.span.start];
        assert_eq!(
            &out[to..to + kept.len()],
            kept,
            "{kind}: bytes outside the edits changed"
        );
        to += kept.len();
        let replacement = match &field.insert {
            Some((before, after)) => format!("{before}{value}{after}"),
            None => value.to_string(),
        };
        assert_eq!(&out[to..to + replacement.len()], replacement);
        to += replacement.len();
        from = field.span.end;
    }
    assert_eq!(
        &out[to..],
        &text[from..],
        "{kind}: bytes after the edits changed"
    );
}

/// What every reading must satisfy: spans on character boundaries inside the text, covering
/// exactly the value as read (except insertions), not overlapping.
fn check_reading(kind: FileKind, text: &str, reading: &Reading) {
    let mut spans = Vec::new();
    for field in &reading.fields {
        let span = field.span;
        assert!(
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end),
            "{kind}: `{}` has span {span:?} outside the text ({} bytes)\n{text}",
            field.key,
            text.len()
        );
        // A field the file lacks (`Field::insert`) has an empty span, or for MSBuild's
        // `<VersionSuffix />` the ` /` the insertion replaces.
        if field.insert.is_none() {
            assert_eq!(
                span.slice(text),
                field.value,
                "{kind}: `{}` spans other bytes than its value\n{text}",
                field.key
            );
        }
        spans.push(span);
    }
    spans.sort();
    spans.dedup();
    for pair in spans.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "{kind}: overlapping spans {:?} and {:?}\n{text}",
            pair[0],
            pair[1]
        );
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

const LEVELS: [&str; 9] = [
    "major", "minor", "patch", "alpha", "beta", "rc", "dev", "pre", "release",
];

/// The version property over one input.
///
/// # Panics
/// When the property fails.
pub fn versions(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spelling = Spelling::default();
    let labels = Labels::builtin();

    // Every ecosystem's reader: a spelling it accepts reads as a canonical version whose
    // spelling in that ecosystem means the same.
    for eco in Ecosystem::ALL {
        let _ = spelling.compare(&target_version(data), text, eco);
        let Ok(read) = spelling.read(text, eco) else {
            continue;
        };
        if eco == Ecosystem::Assembly {
            // A numeric version keeps only `X.Y.Z`; the fourth part is not a version part.
            continue;
        }
        let Ok(rendered) = spelling.render(&read, eco) else {
            continue;
        };
        let comparison = spelling.compare(&read, text, eco);
        assert!(
            matches!(comparison, Comparison::Same | Comparison::Equivalent),
            "{eco}: `{text}` reads as `{read}`, spelled `{rendered}`, which compares {comparison:?}"
        );
    }

    let Ok(parsed) = Version::parse(text, &labels) else {
        return;
    };
    // Canonical text round-trips exactly.
    let display = parsed.to_string();
    assert_eq!(display, text, "`{text}` displays as `{display}`");
    assert_eq!(Version::parse(&display, &labels).as_ref(), Ok(&parsed));
    // Each ecosystem's spelling reads back as the same version, and compares as the same.
    for eco in Ecosystem::ALL {
        let Ok(rendered) = spelling.render(&parsed, eco) else {
            continue;
        };
        assert_eq!(
            spelling.compare(&parsed, &rendered, eco),
            Comparison::Same,
            "{eco}: `{rendered}`"
        );
        let read = spelling
            .read(&rendered, eco)
            .unwrap_or_else(|e| panic!("{eco}: `{text}` spelled `{rendered}` does not read: {e}"));
        let expected = match eco {
            Ecosystem::Assembly => parsed.release(),
            _ => parsed.clone(),
        };
        let same = read == expected
            // PEP 440 has no bare `.dev`: `1.0.0-dev` is `1.0.0.dev0` and reads as `dev.0`.
            || (read.release() == expected.release()
                && read.pre.as_ref().map(|p| (&p.label, p.n()))
                    == expected.pre.as_ref().map(|p| (&p.label, p.n())))
            // Maven spells every `dev.N` of `X.Y.Z` as `X.Y.Z-SNAPSHOT`, read as `X.Y.Z-dev`.
            || (eco == Ecosystem::Maven
                && read.release() == expected.release()
                && read.pre.as_ref().map(|p| p.label.as_str()) == Some("dev")
                && expected.pre.as_ref().map(|p| p.label.as_str()) == Some("dev"));
        assert!(
            same,
            "{eco}: `{text}` spelled `{rendered}` reads back as `{read}`"
        );
    }
    // Bumps never panic; a bump that succeeds is checked for order without panicking.
    for level in LEVELS {
        let level = Level::from_str(level).unwrap_or_else(|never| match never {});
        for pre in [None, Some("beta"), Some("dev")] {
            if let Ok(next) = version::bump(&parsed, &level, pre, &labels) {
                let _ = check_forward(&parsed, &next, &Ecosystem::ALL, &spelling);
            }
        }
    }
    let _ = version::bump(&parsed, &Level::Exact(text.to_string()), None, &labels);
}
