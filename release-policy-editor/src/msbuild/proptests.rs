//! Generated MSBuild files: `read` finds exactly the generated values, and `rewrite`
//! changes only their bytes.

use std::fmt::Write as _;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use super::read;
use crate::kind::FileKind;
use crate::reading::{Field, FieldKind};
use crate::rewrite::rewrite;
use crate::testing::assert_only_edited;
use crate::text::Span;

/// Property names, each used at most once per document.
const PROPERTIES: [&str; 12] = [
    "Version",
    "PackageVersion",
    "VersionPrefix",
    "VersionSuffix",
    "AssemblyVersion",
    "FileVersion",
    "InformationalVersion",
    "PackageId",
    "AssemblyName",
    "Authors",
    "AcmeVersion",
    "TargetFramework",
];
const ITEM_TYPES: [&str; 4] = [
    "PackageReference",
    "PackageVersion",
    "GlobalPackageReference",
    "PackageDownload",
];
const PACKAGES: [&str; 8] = [
    "Acme.Core",
    "Acme.Util",
    "acme-data",
    "Newtonsoft.Json",
    "xunit",
    "Acme.Net.Http",
    "A",
    "Acme_Tools",
];

#[derive(Debug, Clone)]
struct Prop {
    name: &'static str,
    value: String,
    /// 0: `<N>v</N>`, 1: padded, 2: on its own line, 3: `<N />` when empty, else a
    /// trailing comment.
    form: u8,
    group: usize,
}

#[derive(Debug, Clone)]
struct Item {
    ty: &'static str,
    package: &'static str,
    update: bool,
    version: String,
    /// 0: `Version=` attribute, 1: `<Version>` child, 2: `VersionOverride=` attribute.
    form: u8,
    /// Another attribute before (`true`) or after (`false`) the version.
    extra: Option<bool>,
    quote: char,
    newline_between_attributes: bool,
    group: usize,
}

#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)]
struct Doc {
    bom: bool,
    crlf: bool,
    final_newline: bool,
    declaration: bool,
    indent: &'static str,
    root: u8,
    props: Vec<Prop>,
    items: Vec<Item>,
    /// The order of the groups: property groups are 0..3, item groups 3..5.
    order: Vec<usize>,
    /// A comment before each group, or none.
    comments: Vec<Option<String>>,
}

fn version() -> impl Strategy<Value = String> {
    "[0-9]{1,2}\\.[0-9]{1,3}\\.[0-9]{1,2}(-(alpha|beta|rc|dev)\\.[0-9]{1,2})?"
}

fn suffix() -> impl Strategy<Value = String> {
    "((alpha|beta|rc|dev)(\\.[0-9]{1,2})?)?"
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9.]{0,8}"
}

fn requirement() -> impl Strategy<Value = String> {
    prop_oneof![version(), version().prop_map(|v| format!("[{v}]"))]
}

fn value_for(name: &str) -> BoxedStrategy<String> {
    match name {
        "VersionSuffix" => suffix().boxed(),
        "PackageId" | "AssemblyName" | "Authors" | "TargetFramework" => word().boxed(),
        "AssemblyVersion" | "FileVersion" => "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.0".boxed(),
        _ => version().boxed(),
    }
}

fn props() -> impl Strategy<Value = Vec<Prop>> {
    subsequence(PROPERTIES.to_vec(), 0..=PROPERTIES.len())
        .prop_shuffle()
        .prop_flat_map(|names| {
            names
                .into_iter()
                .map(|name| {
                    (value_for(name), 0..4u8, 0..3usize).prop_map(move |(value, form, group)| {
                        Prop {
                            name,
                            value,
                            form,
                            group,
                        }
                    })
                })
                .collect::<Vec<_>>()
        })
}

fn item(package: &'static str) -> impl Strategy<Value = Item> {
    (
        (select(ITEM_TYPES.to_vec()), any::<bool>(), requirement()),
        (
            0..3u8,
            proptest::option::of(any::<bool>()),
            prop_oneof![Just('"'), Just('\'')],
            any::<bool>(),
            0..2usize,
        ),
    )
        .prop_map(
            move |(
                (ty, update, version),
                (form, extra, quote, newline_between_attributes, group),
            )| Item {
                ty,
                package,
                update,
                version,
                form,
                extra,
                quote,
                newline_between_attributes,
                group,
            },
        )
}

fn items() -> impl Strategy<Value = Vec<Item>> {
    subsequence(PACKAGES.to_vec(), 0..=PACKAGES.len())
        .prop_shuffle()
        .prop_flat_map(|packages| packages.into_iter().map(item).collect::<Vec<_>>())
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            prop_oneof![Just("  "), Just("    "), Just("\t"), Just(" \t ")],
            0..3u8,
        ),
        props(),
        items(),
        Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
        // Comments may hold `<`, `&` and `-`, but not `--` nor end with `-`.
        vec(proptest::option::of("[ a-zA-Z0-9<>&/.]{0,12}(-[a-z])?"), 5),
    )
        .prop_map(
            |(
                (bom, crlf, final_newline, declaration, indent, root),
                props,
                items,
                order,
                comments,
            )| {
                Doc {
                    bom,
                    crlf,
                    final_newline,
                    declaration,
                    indent,
                    root,
                    props,
                    items,
                    order,
                    comments,
                }
            },
        )
}

/// What a file must read as: `(key, kind, value)`, sorted by key.
type Expected = Vec<(String, FieldKind, String)>;

impl Doc {
    /// The text, its expected fields and its expected name.
    fn render(&self) -> (String, Expected, Option<String>) {
        let i1 = self.indent;
        let i2 = i1.repeat(2);
        let i3 = i1.repeat(3);
        let mut out = String::new();
        let mut expected = Vec::new();
        if self.bom {
            out.push('\u{feff}');
        }
        if self.declaration {
            out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        }
        out.push_str(match self.root {
            0 => "<Project Sdk=\"Microsoft.NET.Sdk\">\n",
            1 => "<Project ToolsVersion=\"15.0\" xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n",
            _ => "<Project>\n",
        });
        for (position, &group) in self.order.iter().enumerate() {
            if let Some(comment) = &self.comments[position] {
                writeln!(out, "{i1}<!--{comment}-->").unwrap();
            }
            if group < 3 {
                writeln!(out, "{i1}<PropertyGroup>").unwrap();
                for prop in self.props.iter().filter(|p| p.group == group) {
                    let (name, value) = (prop.name, &prop.value);
                    out.push_str(&i2);
                    let element = match prop.form {
                        0 => format!("<{name}>{value}</{name}>"),
                        1 => format!("<{name}>  {value}\t</{name}>"),
                        2 => format!("<{name}>\n{i3}{value}\n{i2}</{name}>"),
                        _ if value.is_empty() => format!("<{name} />"),
                        _ => format!("<{name}>{value}</{name}> <!-- x -->"),
                    };
                    writeln!(out, "{element}").unwrap();
                    expected.push((
                        format!("PropertyGroup/{name}"),
                        super::property_kind(name),
                        value.clone(),
                    ));
                }
                writeln!(out, "{i1}</PropertyGroup>").unwrap();
            } else {
                writeln!(out, "{i1}<ItemGroup>").unwrap();
                for item in self.items.iter().filter(|i| i.group == group - 3) {
                    self.render_item(item, &mut out, &mut expected);
                }
                writeln!(out, "{i1}</ItemGroup>").unwrap();
            }
        }
        out.push_str("</Project>");
        if self.final_newline {
            out.push('\n');
        }
        if self.crlf {
            out = out.replace('\n', "\r\n");
        }
        let value = |name: &str| {
            self.props
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.value.clone())
        };
        if value("VersionPrefix").is_some() && value("VersionSuffix").is_none() {
            expected.push((
                "PropertyGroup/VersionSuffix".to_string(),
                FieldKind::VersionSuffix,
                String::new(),
            ));
        }
        let name = value("PackageId").or_else(|| value("AssemblyName"));
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        (out, expected, name)
    }

    fn render_item(&self, item: &Item, out: &mut String, expected: &mut Expected) {
        let i2 = self.indent.repeat(2);
        let i3 = self.indent.repeat(3);
        let q = item.quote;
        let sep = if item.newline_between_attributes {
            format!("\n{i3}")
        } else {
            " ".to_string()
        };
        let target = if item.update { "Update" } else { "Include" };
        let (ty, package, version) = (item.ty, item.package, &item.version);
        let extra = format!("{sep}PrivateAssets={q}all{q}");
        let (before, after) = match item.extra {
            Some(true) => (extra.as_str(), ""),
            Some(false) => ("", extra.as_str()),
            None => ("", ""),
        };
        let tail = match item.form {
            1 => {
                writeln!(
                    out,
                    "{i2}<{ty} {target}={q}{package}{q}{before}{after}>\n{i3}<Version>{version}</Version>\n{i2}</{ty}>"
                )
                .unwrap();
                "/Version"
            }
            form => {
                let attribute = if form == 0 {
                    "Version"
                } else {
                    "VersionOverride"
                };
                writeln!(
                    out,
                    "{i2}<{ty} {target}={q}{package}{q}{before}{sep}{attribute}={q}{version}{q}{after} />"
                )
                .unwrap();
                if form == 0 {
                    "/@Version"
                } else {
                    "/@VersionOverride"
                }
            }
        };
        expected.push((
            format!("ItemGroup/{ty}[{package}]{tail}"),
            FieldKind::Requirement {
                package: package.to_string(),
            },
            version.clone(),
        ));
    }
}

fn actual(fields: &[Field]) -> Expected {
    let mut actual: Expected = fields
        .iter()
        .map(|f| (f.key.clone(), f.kind.clone(), f.value.clone()))
        .collect();
    actual.sort_by(|a, b| a.0.cmp(&b.0));
    actual
}

/// The i-th new value for a field of this kind.
fn new_value(field: &Field, new: &NewValues, i: usize) -> String {
    match &field.kind {
        FieldKind::VersionSuffix => new.suffixes[i].clone(),
        FieldKind::Property { name } if name != "AcmeVersion" => new.words[i].clone(),
        FieldKind::AssemblyVersion | FieldKind::FileVersion => {
            let core = new.versions[i].split('-').next().unwrap_or_default();
            format!("{core}.0")
        }
        _ => new.versions[i].clone(),
    }
}

#[derive(Debug, Clone)]
struct NewValues {
    versions: Vec<String>,
    suffixes: Vec<String>,
    words: Vec<String>,
}

fn new_values() -> impl Strategy<Value = NewValues> {
    (vec(version(), 24), vec(suffix(), 24), vec(word(), 24)).prop_map(
        |(versions, suffixes, words)| NewValues {
            versions,
            suffixes,
            words,
        },
    )
}

proptest! {
    #[test]
    fn read_and_rewrite_generated_files(doc in doc(), new in new_values()) {
        let (text, expected, name) = doc.render();
        let reading = read(&text)
            .map_err(|e| TestCaseError::fail(format!("{e} at {:?}\n{text}", e.position(&text))))?;
        prop_assert_eq!(actual(&reading.fields), expected);
        prop_assert!(reading.notes.is_empty(), "notes: {:?}", reading.notes);
        prop_assert_eq!(reading.name.clone(), name);
        for field in &reading.fields {
            if field.insert.is_none() {
                prop_assert_eq!(field.span.slice(&text), field.value.as_str());
            }
        }

        let values: Vec<String> = reading
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| new_value(f, &new, i))
            .collect();
        let edits: Vec<(&Field, &str)> = reading
            .fields
            .iter()
            .zip(values.iter().map(String::as_str))
            .collect();
        let out = rewrite(FileKind::MsBuild, &text, &edits)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;

        // The output reads back with every field at its new value, under the same key.
        let reread = read(&out).map_err(|e| TestCaseError::fail(format!("{e}\n{out}")))?;
        let mut expected_after: Expected = edits
            .iter()
            .map(|(f, v)| (f.key.clone(), f.kind.clone(), (*v).to_string()))
            .collect();
        expected_after.sort_by(|a, b| a.0.cmp(&b.0));
        prop_assert_eq!(actual(&reread.fields), expected_after);
        prop_assert!(reread.notes.is_empty());

        // Every byte outside the rewritten spans is the input's.
        let replacements: Vec<(Span, String)> = edits
            .iter()
            .map(|(field, value)| {
                let replacement = match &field.insert {
                    _ if field.value == *value => field.span.slice(&text).to_string(),
                    Some((before, after)) => format!("{before}{value}{after}"),
                    None => (*value).to_string(),
                };
                (field.span, replacement)
            })
            .collect();
        let replacements: Vec<(Span, &str)> =
            replacements.iter().map(|(span, r)| (*span, r.as_str())).collect();
        assert_only_edited(&text, &out, &replacements);
    }
}
