//! `resolve_property`, `resolve_reference` and `import_chain`.

use std::path::{Path, PathBuf};

use super::{import_chain, read, resolve_property, resolve_reference, Resolution};
use crate::reading::{FieldKind, Note, Reading};

fn reading(text: &str) -> Reading {
    read(text).unwrap()
}

#[test]
fn property_chain_across_two_files() {
    let props = reading(
        "<Project>
  <PropertyGroup>
    <AcmeVersion>1.4.0</AcmeVersion>
    <VersionPrefix>$(AcmeVersion)</VersionPrefix>
  </PropertyGroup>
</Project>",
    );
    let project = reading(
        "<Project Sdk=\"Microsoft.NET.Sdk\">
  <PropertyGroup>
    <Version>$(VersionPrefix)</Version>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=\"Acme.Util\" Version=\"$(Version)\" />
  </ItemGroup>
</Project>",
    );
    let chain = [
        ("Directory.Build.props", &props),
        ("Acme.Core.csproj", &project),
    ];
    let (file, field) = resolve_property("Version", &chain).literal().unwrap();
    assert_eq!(file, "Directory.Build.props");
    assert_eq!(field.key, "PropertyGroup/AcmeVersion");
    assert_eq!(field.value, "1.4.0");
    // Case does not matter.
    let (_, field) = resolve_property("versionprefix", &chain).literal().unwrap();
    assert_eq!(field.key, "PropertyGroup/AcmeVersion");
    assert_eq!(resolve_property("Nothing", &chain), Resolution::Undefined);

    // The project overrides the props file: the later definition wins.
    let overriding = reading(
        "<Project><PropertyGroup><AcmeVersion>2.0.0</AcmeVersion><Version>$(AcmeVersion)</Version></PropertyGroup></Project>",
    );
    let chain = [
        ("Directory.Build.props", &props),
        ("Acme.Core.csproj", &overriding),
    ];
    let (file, field) = resolve_property("Version", &chain).literal().unwrap();
    assert_eq!((file, field.value.as_str()), ("Acme.Core.csproj", "2.0.0"));
    // ...but the props file's `VersionPrefix` was evaluated before the project: it saw 1.4.0.
    let (file, field) = resolve_property("VersionPrefix", &chain).literal().unwrap();
    assert_eq!(
        (file, field.value.as_str()),
        ("Directory.Build.props", "1.4.0")
    );
}

#[test]
fn references_see_only_earlier_definitions() {
    // `<A>$(B)</A>` before `<B>` reads an empty B; a self-reference reads the previous value.
    let project = reading(
        "<Project><PropertyGroup>\
<A>$(B)</A><B>1.0.0</B>\
<Version>1.0.0</Version><Version>$(Version)</Version>\
<X>$(Y)</X><Y>$(X)</Y>\
</PropertyGroup></Project>",
    );
    let chain = [("p.csproj", &project)];
    assert_eq!(resolve_property("A", &chain), Resolution::Undefined);
    let (_, field) = resolve_property("Version", &chain).literal().unwrap();
    assert_eq!(field.key, "PropertyGroup[1]/Version[1]");
    // What would be a cycle if order were ignored: X is empty when Y reads it.
    assert_eq!(resolve_property("Y", &chain), Resolution::Undefined);
    assert_eq!(resolve_property("X", &chain), Resolution::Undefined);

    let Some(Note::PropertyReference { span, .. }) = project.notes.first() else {
        panic!("expected a reference first: {:?}", project.notes);
    };
    assert_eq!(
        resolve_reference("B", &chain, 0, span.start),
        Resolution::Undefined
    );
    let (_, b) = resolve_reference("B", &chain, 1, 0).literal().unwrap();
    assert_eq!(b.value, "1.0.0");
}

#[test]
fn conditional_or_computed_definitions_stop_the_chain() {
    let props = reading(
        "<Project><PropertyGroup>\
<AcmeVersion>1.0.0</AcmeVersion>\
<AcmeVersion Condition=\"'$(Ci)' == 'true'\">1.0.1</AcmeVersion>\
<Suffix>$(A)-$(B)</Suffix>\
</PropertyGroup></Project>",
    );
    let project = reading(
        "<Project><PropertyGroup><Version>$(AcmeVersion)</Version><VersionSuffix>$(Suffix)</VersionSuffix></PropertyGroup></Project>",
    );
    let chain = [("Directory.Build.props", &props), ("p.csproj", &project)];
    let Resolution::Unresolvable { file, note } = resolve_property("Version", &chain) else {
        panic!("a conditional definition must stop the chain");
    };
    assert_eq!(file, "Directory.Build.props");
    assert!(
        matches!(note, Note::Conditional { key, .. } if key == "PropertyGroup[1]/AcmeVersion[2]")
    );
    assert!(matches!(
        resolve_property("VersionSuffix", &chain),
        Resolution::Unresolvable {
            note: Note::Unsupported { .. },
            ..
        }
    ));
}

#[test]
fn a_virtual_suffix_defines_nothing() {
    let props = reading(
        "<Project><PropertyGroup><VersionPrefix>1.0.0</VersionPrefix></PropertyGroup></Project>",
    );
    assert!(props.field(&FieldKind::VersionSuffix).is_some());
    assert_eq!(
        resolve_property("VersionSuffix", &[("Directory.Build.props", &props)]),
        Resolution::Undefined
    );
    let self_closing =
        reading("<Project><PropertyGroup><VersionSuffix /></PropertyGroup></Project>");
    assert!(
        resolve_property("VersionSuffix", &[("x.props", &self_closing)])
            .literal()
            .is_some()
    );
}

#[test]
fn import_chains() {
    let existing: Vec<PathBuf> = [
        "/repo/Directory.Build.props",
        "/repo/Directory.Build.targets",
        "/repo/src/Directory.Build.props",
        "/repo/Directory.Packages.props",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    let exists = |path: &Path| existing.iter().any(|p| p == path);
    assert_eq!(
        import_chain(Path::new("/repo/src/Acme/Acme.csproj"), exists),
        [
            "/repo/src/Directory.Build.props",
            "/repo/Directory.Packages.props",
            "/repo/src/Acme/Acme.csproj",
            "/repo/Directory.Build.targets",
        ]
        .map(PathBuf::from)
    );
    assert_eq!(
        import_chain(Path::new("/repo/tools/Tool.csproj"), exists),
        [
            "/repo/Directory.Build.props",
            "/repo/Directory.Packages.props",
            "/repo/tools/Tool.csproj",
            "/repo/Directory.Build.targets",
        ]
        .map(PathBuf::from)
    );
    assert_eq!(
        import_chain(Path::new("/elsewhere/x.csproj"), exists),
        [PathBuf::from("/elsewhere/x.csproj")]
    );
}

#[test]
fn notes_of_version_properties_are_told_from_the_others() {
    use super::{property_kind, property_name};
    let reading = read(
        "<Project><PropertyGroup>\
<Configuration Condition=\"'$(Configuration)' == ''\">Debug</Configuration>\
<Version Condition=\"'$(Ci)' != ''\">1.0.0</Version>\
<NoWarn>$(NoWarn);CS1591</NoWarn>\
</PropertyGroup></Project>",
    )
    .unwrap();
    let kinds: Vec<Option<FieldKind>> = reading
        .notes
        .iter()
        .map(|note| match note {
            Note::Conditional { key, .. } | Note::Unsupported { key, .. } => {
                property_name(key).map(property_kind)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            Some(FieldKind::Property {
                name: "Configuration".to_string()
            }),
            Some(FieldKind::Version),
            Some(FieldKind::Property {
                name: "NoWarn".to_string()
            }),
        ]
    );
}
