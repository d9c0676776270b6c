//! The Maven editor's readings, table-driven.

use super::{key_artifact, modules, read};
use crate::kind::FileKind;
use crate::reading::{FieldKind, Note};
use crate::rewrite::rewrite;
use crate::testing::assert_refused_at;

const ROOT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.acme.sdk</groupId>
  <artifactId>sdk-parent</artifactId>
  <version>1.6.0</version>
  <packaging>pom</packaging>
  <modules>
    <module>core</module>
    <module>client</module>
  </modules>
  <properties>
    <sdk.version>1.6.0</sdk.version>
    <junit.version>1.6.0</junit.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>${project.groupId}</groupId>
        <artifactId>sdk-core</artifactId>
        <version>${project.version}</version>
      </dependency>
      <dependency>
        <groupId>org.acme.sdk</groupId>
        <artifactId>sdk-client</artifactId>
        <version>1.6.0</version>
      </dependency>
      <dependency>
        <groupId>org.other</groupId>
        <artifactId>decoy</artifactId>
        <version>1.6.0</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-jar-plugin</artifactId>
        <version>1.6.0</version>
      </plugin>
    </plugins>
  </build>
</project>
"#;

/// Every field as `(kind, key, value)` and every note's key.
fn fields(text: &str) -> Vec<(FieldKind, String, String)> {
    read(text)
        .unwrap()
        .fields
        .into_iter()
        .map(|f| {
            assert_eq!(f.span.slice(text), f.value, "{}", f.key);
            (f.kind, f.key, f.value)
        })
        .collect()
}

fn requirement(package: &str) -> FieldKind {
    FieldKind::Requirement {
        package: package.to_string(),
    }
}

#[test]
fn reads_the_version_properties_and_artifact_requirements() {
    let reading = read(ROOT).unwrap();
    assert_eq!(reading.name.as_deref(), Some("org.acme.sdk:sdk-parent"));
    assert_eq!(
        fields(ROOT),
        vec![
            (FieldKind::Version, "project/version".into(), "1.6.0".into()),
            (
                FieldKind::Property { name: "sdk.version".into() },
                "project/properties/sdk.version".into(),
                "1.6.0".into()
            ),
            (
                FieldKind::Property { name: "junit.version".into() },
                "project/properties/junit.version".into(),
                "1.6.0".into()
            ),
            (
                requirement("org.acme.sdk:sdk-client"),
                "project/dependencyManagement/dependencies/dependency[org.acme.sdk:sdk-client]/version".into(),
                "1.6.0".into()
            ),
            (
                requirement("org.other:decoy"),
                "project/dependencyManagement/dependencies/dependency[org.other:decoy]/version".into(),
                "1.6.0".into()
            ),
            (
                requirement("org.apache.maven.plugins:maven-jar-plugin"),
                "project/build/plugins/plugin[org.apache.maven.plugins:maven-jar-plugin]/version".into(),
                "1.6.0".into()
            ),
        ]
    );
    // `${project.version}` is Maven's own: neither a field nor a note.
    assert!(reading.notes.is_empty(), "{:?}", reading.notes);
    assert_eq!(modules(ROOT), ["core", "client"]);
}

#[track_caller]
fn case(body: &str, expected: &[(&str, &str)], notes: &[&str]) {
    let text = format!("<project><groupId>g</groupId><artifactId>a</artifactId>{body}</project>");
    let reading = read(&text).unwrap();
    let got: Vec<(&str, &str)> = reading
        .fields
        .iter()
        .map(|f| (f.key.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(got, expected, "{body}");
    let got_notes: Vec<String> = reading
        .notes
        .iter()
        .map(|n| match n {
            Note::PropertyReference { key, property, .. } => format!("{key} -> {property}"),
            Note::Unsupported { key, .. } => format!("{key} unsupported"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(got_notes, notes, "{body}");
}

#[test]
fn values() {
    case(
        "<version> 1.0.0\n</version>",
        &[("project/version", "1.0.0")],
        &[],
    );
    case(
        "<version>${revision}</version>",
        &[],
        &["project/version -> revision"],
    );
    case(
        "<version>${revision}${changelist}</version>",
        &[],
        &["project/version unsupported"],
    );
    case(
        "<version>1.0.0-${sha1}</version>",
        &[],
        &["project/version unsupported"],
    );
    case(
        "<version><![CDATA[1.0.0]]></version>",
        &[],
        &["project/version unsupported"],
    );
    case(
        "<version>1&#46;0.0</version>",
        &[],
        &["project/version unsupported"],
    );
    case(
        "<version><!-- x -->1.0.0</version>",
        &[],
        &["project/version unsupported"],
    );
    case("<version/>", &[], &["project/version unsupported"]);
    case("<version>${project.version}</version>", &[], &[]);
}

#[test]
fn parents_profiles_and_plugin_dependencies() {
    case(
        "<parent><groupId>g</groupId><artifactId>p</artifactId><version>2.0.0</version></parent>",
        &[("project/parent[g:p]/version", "2.0.0")],
        &[],
    );
    case(
        "<profiles><profile><id>rel</id><dependencies><dependency><groupId>g</groupId><artifactId>c</artifactId><version>1.0.0</version></dependency></dependencies>\
         <build><pluginManagement><plugins><plugin><groupId>g</groupId><artifactId>m</artifactId><version>1.0.0</version>\
         <dependencies><dependency><groupId>g</groupId><artifactId>c</artifactId><version>${core}</version></dependency></dependencies></plugin></plugins></pluginManagement></build></profile></profiles>",
        &[
            ("project/profiles/profile[rel]/dependencies/dependency[g:c]/version", "1.0.0"),
            ("project/profiles/profile[rel]/build/pluginManagement/plugins/plugin[g:m]/version", "1.0.0"),
        ],
        &["project/profiles/profile[rel]/build/pluginManagement/plugins/plugin[g:m]/dependencies/dependency[g:c]/version -> core"],
    );
    // A repeated dependency gets a numbered key; an unnamed one is reported.
    case(
        "<dependencies><dependency><groupId>g</groupId><artifactId>c</artifactId><version>1</version></dependency>\
         <dependency><groupId>g</groupId><artifactId>c</artifactId><version>2</version></dependency>\
         <dependency><groupId>${g}</groupId><artifactId>c</artifactId><version>3</version></dependency></dependencies>",
        &[
            ("project/dependencies/dependency[g:c]/version", "1"),
            ("project/dependencies/dependency[g:c]/version[2]", "2"),
        ],
        &["project/dependencies/dependency/version unsupported"],
    );
}

#[test]
fn the_group_id_comes_from_the_parent() {
    let text = "<project><parent><groupId>org.acme</groupId><artifactId>p</artifactId><version>1.0.0</version></parent><artifactId>core</artifactId></project>";
    assert_eq!(read(text).unwrap().name.as_deref(), Some("org.acme:core"));
}

#[test]
fn refusals() {
    assert_refused_at(
        read,
        "<project><version>1</project>",
        1,
        20,
        "invalid XML: expected 'version' tag, not 'project'",
    );
    assert_refused_at(
        read,
        "<Project/>",
        1,
        1,
        "expected a `<project>` root element",
    );
    assert_refused_at(read, "\u{feff}<project>\0</project>", 1, 10, "NUL bytes");
}

#[test]
fn rewrites_only_the_value() {
    let text = ROOT.replace('\n', "\r\n");
    let reading = FileKind::MavenPom.read(&text).unwrap();
    let version = reading.field(&FieldKind::Version).unwrap();
    let out = rewrite(FileKind::MavenPom, &text, &[(version, "1.7.0-SNAPSHOT")]).unwrap();
    assert_eq!(
        out,
        text.replacen(
            "<version>1.6.0</version>\r\n  <packaging>",
            "<version>1.7.0-SNAPSHOT</version>\r\n  <packaging>",
            1
        )
    );
}

#[test]
fn artifacts_of_keys() {
    assert_eq!(
        key_artifact("project/dependencies/dependency[g:a]/version[2]"),
        Some("g:a")
    );
    assert_eq!(
        key_artifact("project/profiles/profile[x]/dependencies/dependency[g:b]/version"),
        Some("g:b")
    );
    assert_eq!(key_artifact("project/version"), None);
}
