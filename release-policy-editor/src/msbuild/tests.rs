//! `read` on hand-written files, and `rewrite` through it.

use std::fmt::Write as _;

use super::read;
use crate::kind::FileKind;
use crate::reading::{FieldKind, Note, Reading};
use crate::rewrite::rewrite;
use crate::testing::assert_refused;
use crate::text::Position;

fn kind_name(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Property { name } => format!("Property({name})"),
        FieldKind::Requirement { package } => format!("Requirement({package})"),
        other => format!("{other:?}"),
    }
}

/// One line per name, field and note: `key kind = "value" at line:col`.
fn render(text: &str, reading: &Reading) -> Vec<String> {
    let at = |offset: usize| Position::of(text, offset).to_string();
    let mut lines = Vec::new();
    if let Some(name) = &reading.name {
        lines.push(format!("name = {name}"));
    }
    for field in &reading.fields {
        let mut line = format!(
            "{} {} = {:?} at {}",
            field.key,
            kind_name(&field.kind),
            field.value,
            at(field.span.start)
        );
        if let Some((before, after)) = &field.insert {
            write!(line, " insert {before:?} {after:?}").unwrap();
        }
        lines.push(line);
    }
    for note in &reading.notes {
        lines.push(match note {
            Note::PropertyReference {
                field,
                key,
                property,
                span,
            } => format!(
                "{key} {} -> $({property}) at {}",
                kind_name(field),
                at(span.start)
            ),
            Note::Unsupported { key, reason, span } => {
                format!("{key} unsupported at {}: {reason}", at(span.start))
            }
            Note::Conditional {
                key,
                condition,
                span,
            } => format!(
                "{key} if {condition} = {:?} at {}",
                span.slice(text),
                at(span.start)
            ),
            other => format!("{other:?}"),
        });
    }
    lines
}

/// Read `input`, compare with `expected`, and check the spans hold what they claim.
#[track_caller]
fn case(input: &str, expected: &[&str]) {
    let reading = read(input).unwrap_or_else(|e| panic!("{e} at {:?}", e.position(input)));
    let actual = render(input, &reading);
    assert_eq!(actual, expected, "\nactual:\n{}\n", actual.join("\n"));
    for field in &reading.fields {
        let raw = field.span.slice(input);
        match &field.insert {
            None => assert_eq!(raw, field.value, "span of `{}`", field.key),
            Some(_) => assert!(
                raw.trim_start().is_empty() || raw.trim_start() == "/",
                "span of `{}` is {raw:?}",
                field.key
            ),
        }
    }
    for note in &reading.notes {
        if let Note::PropertyReference { property, span, .. } = note {
            assert_eq!(span.slice(input), format!("$({property})"));
        }
    }
}

#[track_caller]
fn error(input: &str, position: &str, message: &str) {
    assert_refused(read, input, message, position);
}

/// Write `value` into the field at `key` of each edit; compare the output.
#[track_caller]
fn edit(input: &str, edits: &[(&str, &str)], expected: &str) {
    let reading = read(input).unwrap();
    let edits: Vec<_> = edits
        .iter()
        .map(|(key, value)| {
            let field = reading
                .fields
                .iter()
                .find(|f| f.key == *key)
                .unwrap_or_else(|| panic!("no field `{key}`"));
            (field, *value)
        })
        .collect();
    let output = rewrite(FileKind::MsBuild, input, &edits).unwrap();
    assert_eq!(output, expected);
}

#[test]
fn sdk_style_project() {
    case(
        r#"<Project Sdk="Microsoft.NET.Sdk">

  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <PackageId>Acme.Core</PackageId>
    <Version>1.4.0</Version>
  </PropertyGroup>

  <ItemGroup>
    <PackageReference Include="Acme.Util" Version="1.4.0" />
    <PackageReference Include="Newtonsoft.Json" Version="[13.0.1]" />
    <ProjectReference Include="..\Acme.Other\Acme.Other.csproj" />
  </ItemGroup>
</Project>
"#,
        &[
            "name = Acme.Core",
            "PropertyGroup/TargetFramework Property(TargetFramework) = \"net8.0\" at 4:22",
            "PropertyGroup/PackageId Property(PackageId) = \"Acme.Core\" at 5:16",
            "PropertyGroup/Version Version = \"1.4.0\" at 6:14",
            "ItemGroup/PackageReference[Acme.Util]/@Version Requirement(Acme.Util) = \"1.4.0\" at 10:52",
            "ItemGroup/PackageReference[Newtonsoft.Json]/@Version Requirement(Newtonsoft.Json) = \"[13.0.1]\" at 11:58",
        ],
    );
}

#[test]
fn old_namespaced_project_with_crlf() {
    let input = r#"<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <Import Project="$(MSBuildExtensionsPath)\$(MSBuildToolsVersion)\Microsoft.Common.props" />
  <PropertyGroup>
    <Configuration Condition=" '$(Configuration)' == '' ">Debug</Configuration>
    <AssemblyName>Acme.Legacy</AssemblyName>
    <FileVersion>1.4.0.0</FileVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Acme.Core">
      <Version>1.4.0</Version>
    </PackageReference>
  </ItemGroup>
</Project>"#
        .replace('\n', "\r\n");
    let input = input.as_str();
    case(
        input,
        &[
            "name = Acme.Legacy",
            "PropertyGroup/AssemblyName Property(AssemblyName) = \"Acme.Legacy\" at 6:19",
            "PropertyGroup/FileVersion FileVersion = \"1.4.0.0\" at 7:18",
            "ItemGroup/PackageReference[Acme.Core]/Version Requirement(Acme.Core) = \"1.4.0\" at 11:16",
            "PropertyGroup/Configuration if '$(Configuration)' == '' = \"Debug\" at 5:59",
        ],
    );
    edit(
        input,
        &[
            ("PropertyGroup/FileVersion", "1.5.0.0"),
            ("ItemGroup/PackageReference[Acme.Core]/Version", "1.5.0"),
        ],
        &input
            .replace("1.4.0.0", "1.5.0.0")
            .replace("<Version>1.4.0<", "<Version>1.5.0<"),
    );
}

#[test]
fn version_prefix_and_suffix() {
    let input = "<Project>
  <PropertyGroup>
    <VersionPrefix>1.5.0</VersionPrefix>
    <VersionSuffix>beta.1</VersionSuffix>
  </PropertyGroup>
</Project>
";
    case(
        input,
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 3:20",
            "PropertyGroup/VersionSuffix VersionSuffix = \"beta.1\" at 4:20",
        ],
    );
    edit(
        input,
        &[
            ("PropertyGroup/VersionPrefix", "1.5.0"),
            ("PropertyGroup/VersionSuffix", ""),
        ],
        &input.replace("beta.1", ""),
    );
}

#[test]
fn missing_version_suffix_is_offered_beside_the_prefix() {
    // Spaces.
    let spaces = "<Project>\n  <PropertyGroup>\n    <VersionPrefix>1.5.0</VersionPrefix>\n  </PropertyGroup>\n</Project>\n";
    case(
        spaces,
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 3:20",
            "PropertyGroup/VersionSuffix VersionSuffix = \"\" at 3:41 insert \"\\n    <VersionSuffix>\" \"</VersionSuffix>\"",
        ],
    );
    edit(
        spaces,
        &[
            ("PropertyGroup/VersionPrefix", "1.6.0"),
            ("PropertyGroup/VersionSuffix", "rc.1"),
        ],
        "<Project>\n  <PropertyGroup>\n    <VersionPrefix>1.6.0</VersionPrefix>\n    <VersionSuffix>rc.1</VersionSuffix>\n  </PropertyGroup>\n</Project>\n",
    );
    // Writing the empty value changes nothing.
    edit(spaces, &[("PropertyGroup/VersionSuffix", "")], spaces);

    // Tabs and CRLF.
    let tabs = "<Project>\r\n\t<PropertyGroup>\r\n\t\t<VersionPrefix>1.5.0</VersionPrefix>\r\n\t</PropertyGroup>\r\n</Project>";
    case(
        tabs,
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 3:18",
            "PropertyGroup/VersionSuffix VersionSuffix = \"\" at 3:39 insert \"\\r\\n\\t\\t<VersionSuffix>\" \"</VersionSuffix>\"",
        ],
    );
    edit(
        tabs,
        &[("PropertyGroup/VersionSuffix", "alpha.2")],
        "<Project>\r\n\t<PropertyGroup>\r\n\t\t<VersionPrefix>1.5.0</VersionPrefix>\r\n\t\t<VersionSuffix>alpha.2</VersionSuffix>\r\n\t</PropertyGroup>\r\n</Project>",
    );

    // Odd indentation, and a prefix that does not start its line.
    let inline =
        "<Project><PropertyGroup><VersionPrefix>1.5.0</VersionPrefix></PropertyGroup></Project>";
    case(
        inline,
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 1:40",
            "PropertyGroup/VersionSuffix VersionSuffix = \"\" at 1:61 insert \"<VersionSuffix>\" \"</VersionSuffix>\"",
        ],
    );
    edit(
        inline,
        &[("PropertyGroup/VersionSuffix", "dev.1")],
        "<Project><PropertyGroup><VersionPrefix>1.5.0</VersionPrefix><VersionSuffix>dev.1</VersionSuffix></PropertyGroup></Project>",
    );
    let odd = "<Project>\n <PropertyGroup>\n   \t <VersionPrefix>1.5.0</VersionPrefix> <!-- keep -->\n </PropertyGroup>\n</Project>";
    edit(
        odd,
        &[("PropertyGroup/VersionSuffix", "beta.3")],
        "<Project>\n <PropertyGroup>\n   \t <VersionPrefix>1.5.0</VersionPrefix>\n   \t <VersionSuffix>beta.3</VersionSuffix> <!-- keep -->\n </PropertyGroup>\n</Project>",
    );
}

#[test]
fn the_suffix_goes_beside_the_last_unconditional_prefix() {
    case(
        "<Project>
  <PropertyGroup><VersionPrefix>1.0.0</VersionPrefix></PropertyGroup>
  <PropertyGroup>
    <VersionPrefix>1.5.0</VersionPrefix>
    <VersionPrefix Condition=\"'$(Ci)' == 'true'\">1.5.1</VersionPrefix>
  </PropertyGroup>
</Project>",
        &[
            "PropertyGroup[1]/VersionPrefix VersionPrefix = \"1.0.0\" at 2:33",
            "PropertyGroup[2]/VersionPrefix[1] VersionPrefix = \"1.5.0\" at 4:20",
            "PropertyGroup/VersionSuffix VersionSuffix = \"\" at 4:41 insert \"\\n    <VersionSuffix>\" \"</VersionSuffix>\"",
            "PropertyGroup[2]/VersionPrefix[2] if '$(Ci)' == 'true' = \"1.5.1\" at 5:50",
        ],
    );
    // Any VersionSuffix, even conditional, means none is offered.
    case(
        "<Project><PropertyGroup>
<VersionPrefix>1.5.0</VersionPrefix>
<VersionSuffix Condition=\"'$(Ci)' != ''\">ci</VersionSuffix>
</PropertyGroup></Project>",
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 2:16",
            "PropertyGroup/VersionSuffix if '$(Ci)' != '' = \"ci\" at 3:42",
        ],
    );
}

#[test]
fn empty_version_suffix() {
    let open_close = "<Project>\n  <PropertyGroup>\n    <VersionPrefix>1.5.0</VersionPrefix>\n    <VersionSuffix></VersionSuffix>\n  </PropertyGroup>\n</Project>\n";
    case(
        open_close,
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 3:20",
            "PropertyGroup/VersionSuffix VersionSuffix = \"\" at 4:20",
        ],
    );
    edit(
        open_close,
        &[("PropertyGroup/VersionSuffix", "beta.1")],
        &open_close.replace("<VersionSuffix></", "<VersionSuffix>beta.1</"),
    );

    let self_closing = "<Project>\n  <PropertyGroup>\n    <VersionPrefix>1.5.0</VersionPrefix>\n    <VersionSuffix />\n  </PropertyGroup>\n</Project>\n";
    case(
        self_closing,
        &[
            "PropertyGroup/VersionPrefix VersionPrefix = \"1.5.0\" at 3:20",
            "PropertyGroup/VersionSuffix VersionSuffix = \"\" at 4:19 insert \">\" \"</VersionSuffix\"",
        ],
    );
    edit(
        self_closing,
        &[("PropertyGroup/VersionSuffix", "beta.1")],
        &self_closing.replace("<VersionSuffix />", "<VersionSuffix>beta.1</VersionSuffix>"),
    );
    edit(
        self_closing,
        &[("PropertyGroup/VersionSuffix", "")],
        self_closing,
    );
    // No space, and an attribute that stays.
    edit(
        "<Project><PropertyGroup><VersionSuffix/></PropertyGroup></Project>",
        &[("PropertyGroup/VersionSuffix", "rc.1")],
        "<Project><PropertyGroup><VersionSuffix>rc.1</VersionSuffix></PropertyGroup></Project>",
    );
    edit(
        "<Project><PropertyGroup><VersionSuffix Label=\"a/b\"\t/></PropertyGroup></Project>",
        &[("PropertyGroup/VersionSuffix", "rc.1")],
        "<Project><PropertyGroup><VersionSuffix Label=\"a/b\">rc.1</VersionSuffix></PropertyGroup></Project>",
    );
}

#[test]
fn assembly_file_and_informational_versions() {
    let input = "<Project Sdk=\"Microsoft.NET.Sdk\">
  <PropertyGroup>
    <Version>2.0.0-beta.1</Version>
    <PackageVersion>2.0.0-beta.1</PackageVersion>
    <AssemblyVersion>2.0.0.0</AssemblyVersion>
    <FileVersion>2.0.0.0</FileVersion>
    <InformationalVersion>2.0.0-beta.1</InformationalVersion>
  </PropertyGroup>
</Project>";
    case(
        input,
        &[
            "PropertyGroup/Version Version = \"2.0.0-beta.1\" at 3:14",
            "PropertyGroup/PackageVersion Version = \"2.0.0-beta.1\" at 4:21",
            "PropertyGroup/AssemblyVersion AssemblyVersion = \"2.0.0.0\" at 5:22",
            "PropertyGroup/FileVersion FileVersion = \"2.0.0.0\" at 6:18",
            "PropertyGroup/InformationalVersion InformationalVersion = \"2.0.0-beta.1\" at 7:27",
        ],
    );
    edit(
        input,
        &[
            ("PropertyGroup/Version", "2.0.0"),
            ("PropertyGroup/PackageVersion", "2.0.0"),
            ("PropertyGroup/AssemblyVersion", "2.0.0.0"),
            ("PropertyGroup/FileVersion", "2.0.0.0"),
            ("PropertyGroup/InformationalVersion", "2.0.0"),
        ],
        &input.replace("2.0.0-beta.1", "2.0.0"),
    );
    // Property names ignore case, as in MSBuild.
    case(
        "<Project><PropertyGroup><version>1.0.0</version></PropertyGroup></Project>",
        &["PropertyGroup/version Version = \"1.0.0\" at 1:34"],
    );
}

#[test]
fn package_references() {
    case(
        r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Acme.Util" Version="1.4.0" />
    <PackageReference Include="Acme.Core">
      <Version>[1.4.0]</Version>
      <PrivateAssets>all</PrivateAssets>
    </PackageReference>
    <PackageReference Include="Acme.Net" VersionOverride="1.4.0" />
    <PackageReference Update="Acme.Data" Version=" 1.4.0 " />
    <PackageReference Remove="Acme.Old" />
    <PackageReference Include="$(Sibling)" Version="1.4.0" />
    <PackageReference Include="Acme.Ref" Version="$(AcmeVersion)" />
    <PackageReference Include="Acme.Mixed" Version="$(AcmeVersion)-beta" />
    <PackageReference Include="Acme.Empty" Version="" />
    <PackageDownload Include="Acme.Tool" Version="[1.4.0]" />
  </ItemGroup>
  <ItemGroup Condition="'$(TargetFramework)' == 'net48'">
    <PackageReference Include="Acme.Util" Version="1.3.0" />
  </ItemGroup>
</Project>"#,
        &[
            "ItemGroup[1]/PackageReference[Acme.Util]/@Version Requirement(Acme.Util) = \"1.4.0\" at 3:52",
            "ItemGroup/PackageReference[Acme.Core]/Version Requirement(Acme.Core) = \"[1.4.0]\" at 5:16",
            "ItemGroup/PackageReference[Acme.Net]/@VersionOverride Requirement(Acme.Net) = \"1.4.0\" at 8:59",
            "ItemGroup/PackageReference[Acme.Data]/@Version Requirement(Acme.Data) = \"1.4.0\" at 9:52",
            "ItemGroup/PackageReference[Acme.Empty]/@Version Requirement(Acme.Empty) = \"\" at 14:53",
            "ItemGroup/PackageDownload[Acme.Tool]/@Version Requirement(Acme.Tool) = \"[1.4.0]\" at 15:51",
            "ItemGroup[2]/PackageReference[Acme.Util]/@Version Requirement(Acme.Util) = \"1.3.0\" at 18:52",
            "ItemGroup/PackageReference[$(Sibling)]/@Version unsupported at 11:53: the value names the package `$(Sibling)`, an MSBuild expression, a list or a wildcard",
            "ItemGroup/PackageReference[Acme.Ref]/@Version Requirement(Acme.Ref) -> $(AcmeVersion) at 12:51",
            "ItemGroup/PackageReference[Acme.Mixed]/@Version unsupported at 13:53: the value mixes text and MSBuild expressions (`$(…)`, `@(…)`, `%(…)`)",
        ],
    );
}

#[test]
fn central_package_versions_and_the_package_version_property() {
    let input = r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
    <PackageVersion>3.1.0</PackageVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Acme.Core" Version="3.1.0" />
    <PackageVersion Include="xunit" Version="2.9.0" />
    <GlobalPackageReference Include="Acme.Analyzers" Version="3.1.0" />
  </ItemGroup>
</Project>"#;
    case(
        input,
        &[
            "PropertyGroup/ManagePackageVersionsCentrally Property(ManagePackageVersionsCentrally) = \"true\" at 3:37",
            "PropertyGroup/PackageVersion Version = \"3.1.0\" at 4:21",
            "ItemGroup/PackageVersion[Acme.Core]/@Version Requirement(Acme.Core) = \"3.1.0\" at 7:50",
            "ItemGroup/PackageVersion[xunit]/@Version Requirement(xunit) = \"2.9.0\" at 8:46",
            "ItemGroup/GlobalPackageReference[Acme.Analyzers]/@Version Requirement(Acme.Analyzers) = \"3.1.0\" at 9:63",
        ],
    );
    edit(
        input,
        &[
            ("PropertyGroup/PackageVersion", "3.2.0"),
            ("ItemGroup/PackageVersion[Acme.Core]/@Version", "3.2.0"),
        ],
        &input
            .replace("<PackageVersion>3.1.0<", "<PackageVersion>3.2.0<")
            .replace(
                "\"Acme.Core\" Version=\"3.1.0\"",
                "\"Acme.Core\" Version=\"3.2.0\"",
            ),
    );
}

#[test]
fn property_references_and_mixed_values() {
    case(
        "<Project>
  <PropertyGroup>
    <AcmeVersion>1.4.0</AcmeVersion>
    <Version>$(AcmeVersion)</Version>
    <InformationalVersion>$(Version)+$(GitSha)</InformationalVersion>
    <FileVersion>$(AcmeVersion.Replace('-', '.'))</FileVersion>
    <AssemblyVersion>1.4.0%2E0</AssemblyVersion>
    <NoWarn>$(NoWarn);CS1591</NoWarn>
  </PropertyGroup>
</Project>",
        &[
            "PropertyGroup/AcmeVersion Property(AcmeVersion) = \"1.4.0\" at 3:18",
            "PropertyGroup/Version Version -> $(AcmeVersion) at 4:14",
            "PropertyGroup/InformationalVersion unsupported at 5:27: the value mixes text and MSBuild expressions (`$(…)`, `@(…)`, `%(…)`)",
            "PropertyGroup/FileVersion unsupported at 6:18: the value mixes text and MSBuild expressions (`$(…)`, `@(…)`, `%(…)`)",
            "PropertyGroup/AssemblyVersion unsupported at 7:22: the value contains an MSBuild escape (`%xx`)",
            "PropertyGroup/NoWarn unsupported at 8:13: the value mixes text and MSBuild expressions (`$(…)`, `@(…)`, `%(…)`)",
        ],
    );
}

#[test]
fn entities_cdata_and_comments_are_not_editable() {
    case(
        "<Project>
  <PropertyGroup>
    <Version>1.4&#46;0</Version>
    <VersionPrefix><![CDATA[1.4.0]]></VersionPrefix>
    <FileVersion>1.4.0.0<!-- bumped by CI --></FileVersion>
    <Authors>Acme &amp; Co</Authors>
    <Description>  multi
      line  </Description>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=\"A&amp;B\" Version=\"1.0\" />
    <PackageReference Include=\"C\" Version=\"1&#x2E;0\" />
  </ItemGroup>
</Project>",
        &[
            "PropertyGroup/Description Property(Description) = \"multi\\n      line\" at 7:20",
            "ItemGroup/PackageReference[A&B]/@Version Requirement(A&B) = \"1.0\" at 11:50",
            "PropertyGroup/Version unsupported at 3:14: the value is written with XML escapes (`&amp;`, `&#…;`) or CDATA",
            "PropertyGroup/VersionPrefix unsupported at 4:20: the value is written with XML escapes (`&amp;`, `&#…;`) or CDATA",
            "PropertyGroup/FileVersion unsupported at 5:5: the value contains an XML comment",
            "PropertyGroup/Authors unsupported at 6:14: the value is written with XML escapes (`&amp;`, `&#…;`) or CDATA",
            "ItemGroup/PackageReference[C]/@Version unsupported at 12:44: the value is written with XML escapes (`&amp;`, `&#…;`)",
        ],
    );
}

#[test]
fn conditions_are_reported_not_guessed() {
    case(
        "<Project>
  <PropertyGroup Condition=\"'$(Configuration)' == 'Release'\">
    <Version>1.0.0</Version>
  </PropertyGroup>
  <PropertyGroup Condition=\"\">
    <Version Condition=\"'$(Version)' == ''\">1.0.0</Version>
    <Authors>Acme</Authors>
  </PropertyGroup>
  <Choose>
    <When Condition=\"'$(A)' == '1'\">
      <PropertyGroup><FileVersion>1.0.0.1</FileVersion></PropertyGroup>
    </When>
    <When Condition=\"'$(A)' == '2'\">
      <PropertyGroup><FileVersion>1.0.0.2</FileVersion></PropertyGroup>
    </When>
    <Otherwise>
      <PropertyGroup><FileVersion>1.0.0.0</FileVersion></PropertyGroup>
      <ItemGroup><PackageReference Include=\"X\" Version=\"1.0.0\" /></ItemGroup>
    </Otherwise>
  </Choose>
  <Target Name=\"Stamp\">
    <PropertyGroup><Version>9.9.9</Version></PropertyGroup>
  </Target>
</Project>",
        &[
            "PropertyGroup/Authors Property(Authors) = \"Acme\" at 7:14",
            "ItemGroup/PackageReference[X]/@Version Requirement(X) = \"1.0.0\" at 18:57",
            "PropertyGroup[1]/Version if '$(Configuration)' == 'Release' = \"1.0.0\" at 3:14",
            "PropertyGroup[2]/Version if '$(Version)' == '' = \"1.0.0\" at 6:45",
            "PropertyGroup[3]/FileVersion if '$(A)' == '1' = \"1.0.0.1\" at 11:35",
            "PropertyGroup[4]/FileVersion if '$(A)' == '2' = \"1.0.0.2\" at 14:35",
            "PropertyGroup[5]/FileVersion if !('$(A)' == '1') and !('$(A)' == '2') = \"1.0.0.0\" at 17:35",
        ],
    );
    case(
        "<Project><PropertyGroup Condition=\"'$(A)' != ''\"><Version Condition=\"'$(B)' != ''\">1</Version></PropertyGroup></Project>",
        &["PropertyGroup/Version if ('$(A)' != '') and ('$(B)' != '') = \"1\" at 1:84"],
    );
}

#[test]
fn duplicate_properties_get_unique_keys() {
    let input = "<Project>
  <PropertyGroup>
    <Version>1.0.0</Version>
    <Version>1.1.0</Version>
  </PropertyGroup>
  <PropertyGroup>
    <version>1.2.0</version>
  </PropertyGroup>
</Project>";
    case(
        input,
        &[
            "PropertyGroup[1]/Version[1] Version = \"1.0.0\" at 3:14",
            "PropertyGroup[1]/Version[2] Version = \"1.1.0\" at 4:14",
            "PropertyGroup[2]/version Version = \"1.2.0\" at 7:14",
        ],
    );
    edit(
        input,
        &[("PropertyGroup[2]/version", "2.0.0")],
        &input.replace("1.2.0", "2.0.0"),
    );
}

#[test]
fn bom_crlf_tabs_and_no_final_newline() {
    let input = "\u{feff}<Project Sdk=\"Microsoft.NET.Sdk\">\r\n\t<PropertyGroup>\r\n\t\t<Version>  1.4.0\t</Version>\r\n\t</PropertyGroup>\r\n\t<ItemGroup>\r\n\t\t<PackageReference Include=\"Acme.Util\" Version=\"1.4.0\" />\r\n\t</ItemGroup>\r\n</Project>";
    case(
        input,
        &[
            "PropertyGroup/Version Version = \"1.4.0\" at 3:14",
            "ItemGroup/PackageReference[Acme.Util]/@Version Requirement(Acme.Util) = \"1.4.0\" at 6:50",
        ],
    );
    let reading = read(input).unwrap();
    assert_eq!(reading.fields[0].span.start, input.find("1.4.0").unwrap());
    edit(
        input,
        &[
            ("PropertyGroup/Version", "1.5.0-rc.1"),
            (
                "ItemGroup/PackageReference[Acme.Util]/@Version",
                "1.5.0-rc.1",
            ),
        ],
        &input.replace("1.4.0", "1.5.0-rc.1"),
    );
    // A BOM before the prefix: the inserted suffix lands at the right byte.
    edit(
        "\u{feff}<Project><PropertyGroup><VersionPrefix>1.0.0</VersionPrefix></PropertyGroup></Project>",
        &[("PropertyGroup/VersionSuffix", "beta.1")],
        "\u{feff}<Project><PropertyGroup><VersionPrefix>1.0.0</VersionPrefix><VersionSuffix>beta.1</VersionSuffix></PropertyGroup></Project>",
    );
}

#[test]
fn names() {
    #[track_caller]
    fn name(properties: &str, expected: Option<&str>) {
        let text = format!("<Project><PropertyGroup>{properties}</PropertyGroup></Project>");
        assert_eq!(
            read(&text).unwrap().name.as_deref(),
            expected,
            "{properties}"
        );
    }
    name("<PackageId>Acme.Core</PackageId>", Some("Acme.Core"));
    name(
        "<AssemblyName>Acme</AssemblyName><PackageId>Acme.Core</PackageId>",
        Some("Acme.Core"),
    );
    name("<AssemblyName>Acme</AssemblyName>", Some("Acme"));
    name(
        "<AssemblyName>Acme</AssemblyName><PackageId>$(AssemblyName)</PackageId>",
        Some("Acme"),
    );
    name(
        "<AssemblyName>Acme</AssemblyName><PackageId>$(AssemblyName).Core</PackageId>",
        None,
    );
    name(
        "<AssemblyName>Acme</AssemblyName><PackageId Condition=\"'$(X)' != ''\">Other</PackageId>",
        Some("Acme"),
    );
    name("<Version>1.0.0</Version>", None);
}

#[test]
fn refused_inputs() {
    error(
        "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<Project />",
        "1:31",
        "the XML declaration names the encoding `utf-16`: only UTF-8 files can be edited",
    );
    error(
        "\u{feff}<?xml version='1.0' encoding = 'UTF-16LE' ?><Project />",
        "1:33",
        "the XML declaration names the encoding `UTF-16LE`: only UTF-8 files can be edited",
    );
    error(
        "<\0P\0r\0o\0j\0e\0c\0t\0",
        "1:2",
        "the file contains NUL bytes: it looks like UTF-16, which cannot be edited",
    );
    let err = read("<?xml version=\"1.0\" encoding=\"utf-16\"?><Project />").unwrap_err();
    assert_eq!(
        err.help.as_deref(),
        Some("re-save the file as UTF-8 and write `encoding=\"utf-8\"` in the declaration")
    );
    // Other single-byte encodings are accepted: the text is already valid UTF-8.
    read("<?xml version=\"1.0\" encoding=\"windows-1252\"?><Project />").unwrap();
    error(
        "<Package>\n</Package>",
        "1:1",
        "expected a `<Project>` root element, found `<Package>`",
    );
}

#[test]
fn malformed_xml() {
    error(
        "<Project>\n  <PropertyGroup>\n    <Version>1.0.0</Versoin>\n  </PropertyGroup>\n</Project>",
        "3:19",
        "invalid XML: expected the end tag `</Version>`, found `</Versoin>`",
    );
    error(
        "\u{feff}<Project>\r\n  <PropertyGroup>\r\n    <Authors>A & B</Authors>\r\n  </PropertyGroup>\r\n</Project>",
        "3:16",
        "invalid XML: malformed entity reference",
    );
    error(
        "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"A\" Version=1.0 />",
        "3:43",
        "invalid XML: expected a quote, found `1`",
    );
    error(
        "<Project>\n  <PropertyGroup>\n",
        "3:1",
        "invalid XML: the root element is never closed",
    );
    error(
        "<Project>\n  <Version>&nbsp;</Version>\n</Project>",
        "2:12",
        "invalid XML: unknown entity reference `&nbsp;`",
    );
    error(
        "<Project>\n  <é a='1' a='2' />\n</Project>",
        "2:12",
        "invalid XML: the attribute `a` is repeated",
    );
    error("", "1:1", "invalid XML: the file has no root element");
    error("<Project", "1:9", "invalid XML: unexpected end of file");
}

#[test]
fn non_ascii_text_nested_choose_and_targets() {
    let input = "<Project>
  <PropertyGroup><Authors>Zoë Ångström</Authors><Version>1.0.0</Version></PropertyGroup>
  <Choose>
    <When Condition=\"'$(A)' == '1'\">
      <Choose>
        <When Condition=\"'$(B)' == '1'\">
          <PropertyGroup><Version>1.0.1</Version></PropertyGroup>
        </When>
      </Choose>
      <ItemGroup><PackageReference Include=\"Ä\" Version=\"1.0.0\" /></ItemGroup>
    </When>
  </Choose>
  <Target Name=\"T\">
    <ItemGroup><PackageReference Include=\"Hidden\" Version=\"1.0.0\" /></ItemGroup>
  </Target>
</Project>";
    case(
        input,
        &[
            "PropertyGroup/Authors Property(Authors) = \"Zoë Ångström\" at 2:27",
            "PropertyGroup[1]/Version Version = \"1.0.0\" at 2:58",
            "ItemGroup/PackageReference[Ä]/@Version Requirement(Ä) = \"1.0.0\" at 10:57",
            "PropertyGroup[2]/Version if ('$(A)' == '1') and ('$(B)' == '1') = \"1.0.1\" at 7:35",
        ],
    );
    edit(
        input,
        &[("PropertyGroup[1]/Version", "1.1.0")],
        &input.replace("<Version>1.0.0<", "<Version>1.1.0<"),
    );
}

#[test]
fn declarations_without_a_wide_encoding_are_fine() {
    for declaration in [
        "<?xml version=\"1.0\"?>",
        "<?xml version='1.0' encoding='UTF-8'?>",
        "<?xml version=\"1.0\" standalone=\"yes\"?>",
    ] {
        let text = format!("{declaration}\n<Project><PropertyGroup><Version>1.0.0</Version></PropertyGroup></Project>");
        assert_eq!(read(&text).unwrap().fields.len(), 1, "{declaration}");
    }
}
