//! Oracle for the MSBuild editor. There is no MSBuild on the test machines, so the oracle is
//! an independent XML parser: a generated .NET workspace at 0.1.0 is bumped to
//! 0.2.0-beta.1 through the library (`import_chain` + `resolve_property` + `rewrite`, with
//! the new values computed by hand, as the planner will), and Python's
//! `xml.etree.ElementTree` must read every edited file as well-formed XML holding the new
//! values. The exact output text is checked too.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use release_policy_editor::msbuild::{import_chain, resolve_property, Resolution};
use release_policy_editor::{msbuild, rewrite, FieldKind, FileKind, Note, Reading};

const MEMBERS: [&str; 3] = ["Acme.Core", "Acme.Util", "Acme.Legacy"];
const OLD: &str = "0.1.0";
const NEW: &str = "0.2.0-beta.1";

const BUILD_PROPS: &str = r"<Project>
  <!-- Shared by every project. -->
  <PropertyGroup>
    <AcmeVersion>0.1.0</AcmeVersion>
    <VersionPrefix>0.1.0</VersionPrefix>
    <Authors>Acme &amp; Co</Authors>
    <AssemblyVersion>0.1.0.0</AssemblyVersion>
  </PropertyGroup>
</Project>
";

const PACKAGES_PROPS: &str = r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Acme.Core" Version="0.1.0" />
    <PackageVersion Include="Acme.Util" Version="$(AcmeVersion)" />
    <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />
  </ItemGroup>
</Project>
"#;

const CORE: &str = r#"<Project Sdk="Microsoft.NET.Sdk">

  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <PackageId>Acme.Core</PackageId>
  </PropertyGroup>

  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" />
  </ItemGroup>

</Project>"#;

/// BOM, CRLF and tabs.
const UTIL: &str = "\u{feff}<Project Sdk=\"Microsoft.NET.Sdk\">\r\n\
\t<PropertyGroup>\r\n\
\t\t<TargetFramework>net8.0</TargetFramework>\r\n\
\t\t<AssemblyName>Acme.Util</AssemblyName>\r\n\
\t\t<Version>$(AcmeVersion)</Version>\r\n\
\t\t<InformationalVersion>0.1.0</InformationalVersion>\r\n\
\t</PropertyGroup>\r\n\
\t<ItemGroup>\r\n\
\t\t<PackageReference Include=\"Acme.Core\" VersionOverride=\"[0.1.0]\" />\r\n\
\t</ItemGroup>\r\n\
</Project>\r\n";

const LEGACY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup>
    <AssemblyName>Acme.Legacy</AssemblyName>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <Version>0.1.0</Version>
    <FileVersion>0.1.0.0</FileVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Acme.Util">
      <Version>0.1.0</Version>
    </PackageReference>
    <!-- Pinned to an older release on purpose: not the group's old version, left alone. -->
    <PackageReference Include="Acme.Core" Version="0.0.9" />
  </ItemGroup>
</Project>
"#;

fn workspace(root: &Path) -> Vec<PathBuf> {
    let files = [
        ("Directory.Build.props", BUILD_PROPS),
        ("Directory.Packages.props", PACKAGES_PROPS),
        ("src/Acme.Core/Acme.Core.csproj", CORE),
        ("src/Acme.Util/Acme.Util.csproj", UTIL),
        ("legacy/Acme.Legacy.csproj", LEGACY),
    ];
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    files[2..].iter().map(|(p, _)| root.join(p)).collect()
}

/// Planned edits: file → key → new value.
type Plan = BTreeMap<PathBuf, BTreeMap<String, String>>;

fn plan_edit(plan: &mut Plan, file: &Path, key: &str, value: &str) {
    let previous = plan
        .entry(file.to_path_buf())
        .or_default()
        .insert(key.to_string(), value.to_string());
    assert!(
        previous.is_none_or(|p| p == value),
        "conflicting edits of `{key}` in {}",
        file.display()
    );
}

/// What the planner will do, by hand: the own version of each project (following
/// `$(Prop)`), its numeric versions, and every requirement on a member that names 0.1.0.
fn plan(projects: &[PathBuf]) -> Plan {
    let mut plan = Plan::new();
    for project in projects {
        let paths = import_chain(project, Path::is_file);
        let readings: Vec<Reading> = paths
            .iter()
            .map(|p| msbuild::read(&fs::read_to_string(p).unwrap()).unwrap())
            .collect();
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let chain: Vec<(&str, &Reading)> =
            names.iter().map(String::as_str).zip(&readings).collect();
        let set = |plan: &mut Plan, property: &str, value: &str| -> bool {
            match resolve_property(property, &chain) {
                Resolution::Literal { file, field } => {
                    plan_edit(plan, Path::new(file), &field.key, value);
                    true
                }
                Resolution::Undefined => false,
                other @ Resolution::Unresolvable { .. } => {
                    panic!("`{property}` of {}: {other:?}", project.display())
                }
            }
        };
        if !set(&mut plan, "Version", NEW) {
            assert!(
                set(&mut plan, "VersionPrefix", "0.2.0"),
                "{}",
                project.display()
            );
            if !set(&mut plan, "VersionSuffix", "beta.1") {
                // The virtual field beside the prefix, in the prefix's file.
                let (file, _) = resolve_property("VersionPrefix", &chain).literal().unwrap();
                let index = names.iter().position(|n| n == file).unwrap();
                let suffix = readings[index].field(&FieldKind::VersionSuffix).unwrap();
                assert!(suffix.insert.is_some());
                plan_edit(&mut plan, Path::new(file), &suffix.key, "beta.1");
            }
        }
        set(&mut plan, "AssemblyVersion", "0.2.0.0");
        set(&mut plan, "FileVersion", "0.2.0.0");
        set(&mut plan, "InformationalVersion", NEW);

        for (path, reading) in paths.iter().zip(&readings) {
            for field in &reading.fields {
                let Some(package) = field.package() else {
                    continue;
                };
                if MEMBERS.contains(&package) && field.value.replace(['[', ']'], "") == OLD {
                    plan_edit(&mut plan, path, &field.key, &field.value.replace(OLD, NEW));
                }
            }
            for note in &reading.notes {
                if let Note::PropertyReference {
                    field: FieldKind::Requirement { package },
                    property,
                    ..
                } = note
                {
                    assert!(MEMBERS.contains(&package.as_str()));
                    let (file, field) = resolve_property(property, &chain).literal().unwrap();
                    assert_eq!(field.value, OLD);
                    plan_edit(&mut plan, Path::new(file), &field.key, NEW);
                }
            }
        }
    }
    plan
}

fn apply(plan: &Plan) {
    for (path, edits) in plan {
        let text = fs::read_to_string(path).unwrap();
        let reading = msbuild::read(&text).unwrap();
        let edits: Vec<_> = edits
            .iter()
            .map(|(key, value)| {
                let field = reading.fields.iter().find(|f| &f.key == key).unwrap();
                (field, value.as_str())
            })
            .collect();
        let out = rewrite(FileKind::MsBuild, &text, &edits).unwrap();
        fs::write(path, out).unwrap();
    }
}

/// Every property and package item of each file, as Python's `ElementTree` reads them.
const ORACLE: &str = r#"
import json, sys
import xml.etree.ElementTree as ET

def local(tag):
    return tag.rsplit('}', 1)[-1]

out = {}
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    assert local(root.tag) == 'Project', root.tag
    values = {}
    for group in root:
        if local(group.tag) == 'PropertyGroup':
            for prop in group:
                values[local(prop.tag)] = (prop.text or '').strip()
        elif local(group.tag) == 'ItemGroup':
            for item in group:
                name = item.get('Include') or item.get('Update')
                for attr in ('Version', 'VersionOverride'):
                    if item.get(attr) is not None:
                        values[f"{local(item.tag)}[{name}]/@{attr}"] = item.get(attr)
                for child in item:
                    values[f"{local(item.tag)}[{name}]/{local(child.tag)}"] = (child.text or '').strip()
    out[path] = values
print(json.dumps(out))
"#;

fn python_reads(files: &[PathBuf]) -> serde_json::Value {
    let output = Command::new("python3")
        .arg("-c")
        .arg(ORACLE)
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "this oracle test needs `python3` on PATH ({e}): install Python 3 \
                 (`apt-get install python3`, or https://www.python.org/downloads/); CI installs it"
            )
        });
    assert!(
        output.status.success(),
        "Python's XML parser refused an edited file:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs python3: scripts/test runs it (cargo test --features oracles)"
)]
fn a_bumped_workspace_reads_back_in_an_independent_xml_parser() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let projects = workspace(root);

    apply(&plan(&projects));

    // The exact bytes: only the values changed, and one `<VersionSuffix>` was added.
    let expected = [
        (
            "Directory.Build.props",
            BUILD_PROPS
                .replace("<AcmeVersion>0.1.0<", "<AcmeVersion>0.2.0-beta.1<")
                .replace(
                    "<VersionPrefix>0.1.0</VersionPrefix>",
                    "<VersionPrefix>0.2.0</VersionPrefix>\n    <VersionSuffix>beta.1</VersionSuffix>",
                )
                .replace("0.1.0.0", "0.2.0.0"),
        ),
        (
            "Directory.Packages.props",
            PACKAGES_PROPS.replace("\"Acme.Core\" Version=\"0.1.0\"", "\"Acme.Core\" Version=\"0.2.0-beta.1\""),
        ),
        ("src/Acme.Core/Acme.Core.csproj", CORE.to_string()),
        ("src/Acme.Util/Acme.Util.csproj", UTIL.replace("0.1.0", NEW)),
        (
            "legacy/Acme.Legacy.csproj",
            LEGACY.replace("0.1.0.0", "0.2.0.0").replace("0.1.0", NEW),
        ),
    ];
    for (path, text) in &expected {
        assert_eq!(
            &fs::read_to_string(root.join(path)).unwrap(),
            text,
            "{path}"
        );
    }

    // An independent XML parser reads the edited files as the tool meant them.
    let files: Vec<PathBuf> = expected.iter().map(|(p, _)| root.join(p)).collect();
    let seen = python_reads(&files);
    let file = |path: &str| &seen[root.join(path).to_str().unwrap()];
    let props = file("Directory.Build.props");
    assert_eq!(props["AcmeVersion"], "0.2.0-beta.1");
    assert_eq!(props["VersionPrefix"], "0.2.0");
    assert_eq!(props["VersionSuffix"], "beta.1");
    assert_eq!(props["AssemblyVersion"], "0.2.0.0");
    assert_eq!(props["Authors"], "Acme & Co");
    let packages = file("Directory.Packages.props");
    assert_eq!(packages["PackageVersion[Acme.Core]/@Version"], NEW);
    assert_eq!(
        packages["PackageVersion[Acme.Util]/@Version"],
        "$(AcmeVersion)"
    );
    assert_eq!(
        packages["PackageVersion[Newtonsoft.Json]/@Version"],
        "13.0.3"
    );
    let util = file("src/Acme.Util/Acme.Util.csproj");
    assert_eq!(util["Version"], "$(AcmeVersion)");
    assert_eq!(util["InformationalVersion"], NEW);
    assert_eq!(
        util["PackageReference[Acme.Core]/@VersionOverride"],
        "[0.2.0-beta.1]"
    );
    let legacy = file("legacy/Acme.Legacy.csproj");
    assert_eq!(legacy["Version"], NEW);
    assert_eq!(legacy["FileVersion"], "0.2.0.0");
    assert_eq!(legacy["PackageReference[Acme.Util]/Version"], NEW);
    assert_eq!(legacy["PackageReference[Acme.Core]/@Version"], "0.0.9");

    // And the tool itself agrees: every project now resolves to the new version.
    for project in &projects {
        let paths = import_chain(project, Path::is_file);
        let readings: Vec<Reading> = paths
            .iter()
            .map(|p| msbuild::read(&fs::read_to_string(p).unwrap()).unwrap())
            .collect();
        let chain: Vec<(&str, &Reading)> = paths.iter().map(|_| "").zip(&readings).collect();
        let version = if let Some((_, field)) = resolve_property("Version", &chain).literal() {
            field.value.clone()
        } else {
            let value = |property| {
                let (_, field) = resolve_property(property, &chain).literal().unwrap();
                field.value.clone()
            };
            format!("{}-{}", value("VersionPrefix"), value("VersionSuffix"))
        };
        assert_eq!(version, NEW, "{}", project.display());
    }
}
