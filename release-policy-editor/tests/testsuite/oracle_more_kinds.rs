//! Oracles for the Ruby, Dart, CocoaPods, CMake, Zig and Helm editors: each bumped file is
//! read back by its ecosystem's own tool, or by a YAML parser.
//!
//! * Ruby: `Gem::Specification.load` reads the bumped gemspec (its version computed from
//!   the bumped `version.rb`, or a literal), `bundle check` accepts the bumped `Gemfile.lock`,
//!   and `bundle lock --local` leaves it byte for byte as the editor wrote it (Bundler would
//!   write the same file). A podspec is evaluated by Ruby with a stand-in `Pod::Spec`.
//! * CMake: a configure of a trivial project (`LANGUAGES NONE`) prints `PROJECT_VERSION`.
//! * YAML (`pubspec.yaml`, `pubspec.lock`, `Chart.yaml`): `PyYAML` loads the files before and
//!   after, and the documents differ in the version values only.
//! * Zig: `zig fmt --check` (the `ziglang` PyPI package) parses the bumped `build.zig.zon` and
//!   finds it formatted as before. (`zig build` would also read the version, but compiling
//!   the build runner takes minutes on a shared machine: the version reads back through the
//!   editor instead.)

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use release_policy_editor::{Field, FieldKind, FileKind};

use crate::support::{bump_file, write};

fn run(dir: &Path, program: &str, args: &[&str], help: &str) -> Output {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("BUNDLE_USER_HOME", dir.join(".bundle-home"))
        .env("BUNDLE_APP_CONFIG", dir.join(".bundle-config"))
        .env("BUNDLE_GEMFILE", dir.join("Gemfile"))
        .env("ZIG_GLOBAL_CACHE_DIR", dir.join(".zig-cache"))
        .output();
    match out {
        Ok(out) => out,
        Err(e) => panic!("this oracle test needs `{program}` on PATH ({e}): {help}"),
    }
}

#[track_caller]
fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

const RUBY: &str = "install Debian's `ruby` and `ruby-bundler` (scripts/test does)";

/// Every own version to `new`, every lock entry of `gem` to `new`.
fn to(new: &'static str) -> impl Fn(&Field) -> Option<String> {
    move |field: &Field| match &field.kind {
        FieldKind::Version | FieldKind::Locked { .. } | FieldKind::AppVersion => {
            Some(new.to_string())
        }
        _ => None,
    }
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs ruby and bundler: scripts/test installs them (cargo test --features oracles)"
)]
fn bundler_and_rubygems_read_the_bumped_gem() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "sdk.gemspec",
        "# frozen_string_literal: true\r\n\r\nrequire_relative \"lib/sdk/version\"\r\n\r\nGem::Specification.new do |spec|\r\n  spec.name = \"sdk\"\r\n  spec.version = Sdk::VERSION\r\n  spec.summary = \"The SDK\"\r\n  spec.authors = [\"SDK authors\"]\r\n  spec.files = []\r\nend\r\n",
    );
    write(
        root,
        "ext/sdk-native.gemspec",
        "Gem::Specification.new do |s|\n  s.name    = 'sdk-native'\n  s.version = '1.4.0' # bumped with the SDK\n  s.summary = 'Native parts'\n  s.authors = ['SDK authors']\n  s.files   = []\nend",
    );
    write(
        root,
        "lib/sdk/version.rb",
        "# frozen_string_literal: true\n\nmodule Sdk\n\tVERSION = \"1.4.0\".freeze\nend\n",
    );
    write(
        root,
        "Gemfile",
        "source \"https://rubygems.org\"\n\ngemspec\ngem \"sdk-native\", path: \"ext\"\n",
    );
    ok(&run(root, "bundle", &["lock", "--local"], RUBY));
    let new = "1.5.0.beta.1";
    assert_eq!(
        bump_file(
            &root.join("lib/sdk/version.rb"),
            FileKind::RubyVersion,
            to(new)
        ),
        ["VERSION"]
    );
    assert_eq!(
        bump_file(
            &root.join("ext/sdk-native.gemspec"),
            FileKind::Gemspec,
            to(new)
        ),
        ["s.version"]
    );
    let locked = bump_file(&root.join("Gemfile.lock"), FileKind::GemfileLock, to(new));
    assert_eq!(locked, ["PATH.specs.sdk", "PATH.specs.sdk-native"]);
    for (spec, name) in [
        ("sdk.gemspec", "sdk"),
        ("ext/sdk-native.gemspec", "sdk-native"),
    ] {
        let script =
            format!("spec = Gem::Specification.load({spec:?}); print spec.name, ' ', spec.version");
        let read = ok(&run(root, "ruby", &["-e", &script], RUBY));
        assert_eq!(read, format!("{name} {new}"));
    }
    let lock = std::fs::read_to_string(root.join("Gemfile.lock")).unwrap();
    ok(&run(root, "bundle", &["check"], RUBY));
    ok(&run(root, "bundle", &["lock", "--local"], RUBY));
    let relocked = std::fs::read_to_string(root.join("Gemfile.lock")).unwrap();
    assert_eq!(relocked, lock, "Bundler rewrote the bumped lockfile");
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs ruby: scripts/test installs it (cargo test --features oracles)"
)]
fn ruby_evaluates_the_bumped_podspec() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "SdkKit.podspec",
        "Pod::Spec.new do |s|\n  s.name    = 'SdkKit'\n  s.version = '1.4.0'\n  s.source  = { :git => 'https://example.com/sdk.git', :tag => \"v#{s.version}\" }\nend\n",
    );
    assert_eq!(
        bump_file(
            &root.join("SdkKit.podspec"),
            FileKind::Podspec,
            to("1.5.0-beta.1")
        ),
        ["s.version"]
    );
    // A stand-in for CocoaPods' `Pod::Spec`: Ruby evaluates the file; the block sets the
    // attributes.
    let script = "module Pod; class Spec; attr_accessor :name, :version, :source; \
                  def initialize; yield self; end; end; end; \
                  spec = eval(File.read('SdkKit.podspec')); \
                  print spec.version, ' ', spec.source[:tag]";
    let read = ok(&run(root, "ruby", &["-e", script], RUBY));
    assert_eq!(read, "1.5.0-beta.1 v1.5.0-beta.1");
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs cmake: scripts/test installs it (cargo test --features oracles)"
)]
fn cmake_reads_the_bumped_project_version() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (written, new)) in [("1.4.0", "1.5.0"), ("1.4.0.2", "1.5.0.0"), ("1.4", "2.0")]
        .into_iter()
        .enumerate()
    {
        let root = dir.path().join(format!("p{i}"));
        write(
            &root,
            "CMakeLists.txt",
            &format!(
                "cmake_minimum_required(VERSION 3.16)\r\n# project(old VERSION 0.1)\r\nproject(demo\r\n  VERSION {written}\r\n  DESCRIPTION \"VERSION 9\"\r\n  LANGUAGES NONE)\r\nmessage(STATUS \"version=${{PROJECT_VERSION}} parts=${{PROJECT_VERSION_MAJOR}}/${{PROJECT_VERSION_MINOR}}\")\r\n"
            ),
        );
        let changed = bump_file(&root.join("CMakeLists.txt"), FileKind::CMake, |f| {
            (f.kind == FieldKind::Version).then(|| new.to_string())
        });
        assert_eq!(changed, ["project(demo).VERSION"]);
        let out = ok(&run(
            &root,
            "cmake",
            &["-S", ".", "-B", "build"],
            "install Debian's `cmake` (scripts/test does)",
        ));
        assert!(out.contains(&format!("version={new} ")), "{out}");
    }
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs python3 with PyYAML: scripts/test installs it (cargo test --features oracles)"
)]
fn pyyaml_finds_only_the_versions_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files: [(&str, FileKind, &str); 3] = [
        (
            "pubspec.yaml",
            FileKind::Pubspec,
            "# The SDK's Dart package\r\nname: sdk\r\ndescription: >-\r\n  version: 0.0.0 is text here\r\nversion: 1.4.0 # bumped\r\nenvironment: {sdk: '>=3.0.0 <4.0.0'}\r\ndependencies:\r\n  core:\r\n    path: ../core\r\n",
        ),
        (
            "pubspec.lock",
            FileKind::PubspecLock,
            "# Generated by pub\npackages:\n  core:\n    dependency: \"direct main\"\n    description:\n      path: \"../core\"\n      relative: true\n    source: path\n    version: \"1.4.0\"\n  ffi:\n    dependency: transitive\n    description:\n      name: ffi\n      url: \"https://pub.dev\"\n    source: hosted\n    version: \"2.1.3\"\nsdks:\n  dart: \">=3.3.0 <4.0.0\"\n",
        ),
        (
            "Chart.yaml",
            FileKind::HelmChart,
            "\u{feff}apiVersion: v2\nname: server\nversion: '0.3.0'\nappVersion: \"1.4.0\"\nkeywords:\n  - sdk\ndependencies:\n- name: redis\n  version: 17.0.0\n  repository: https://charts.example.com",
        ),
    ];
    let mut script = String::from("import json, yaml\nout = []\n");
    for (name, kind, text) in files {
        write(root, &format!("before/{name}"), text);
        write(root, &format!("after/{name}"), text);
        bump_file(
            &root.join(format!("after/{name}")),
            kind,
            to("1.5.0-beta.1"),
        );
        write!(
            script,
            "b = yaml.safe_load(open('before/{name}', encoding='utf-8-sig'))\na = yaml.safe_load(open('after/{name}', encoding='utf-8-sig'))\nout.append([b, a])\n"
        )
        .unwrap();
    }
    script.push_str("print(json.dumps(out))\n");
    let out = ok(&run(
        root,
        "python3",
        &["-c", &script],
        "install PyYAML with `pip install pyyaml` (scripts/test does)",
    ));
    let pairs: Vec<(serde_json::Value, serde_json::Value)> = serde_json::from_str(&out).unwrap();
    let new = serde_json::Value::from("1.5.0-beta.1");
    let [(pubspec, pubspec_after), (lock, lock_after), (chart, chart_after)] =
        <[_; 3]>::try_from(pairs).unwrap();
    let mut expected = pubspec;
    expected["version"] = new.clone();
    assert_eq!(pubspec_after, expected);
    let mut expected = lock;
    expected["packages"]["core"]["version"] = new.clone();
    assert_eq!(lock_after, expected);
    let mut expected = chart;
    expected["version"] = new.clone();
    expected["appVersion"] = new;
    assert_eq!(chart_after, expected);
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs zig from the `ziglang` PyPI package: scripts/test installs it (cargo test --features oracles)"
)]
fn zig_fmt_parses_the_bumped_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // As `zig fmt` writes it: the check also says the edit kept the formatting.
    write(
        root,
        "build.zig.zon",
        ".{\n    // The SDK's Zig package.\n    .name = .sdk,\n    .version = \"1.4.0\",\n    .fingerprint = 0xd642dfa000f91f2e,\n    .minimum_zig_version = \"0.14.0\",\n    .dependencies = .{\n        .core = .{ .path = \"../core\" },\n    },\n    .paths = .{ \"build.zig\", \"build.zig.zon\", \"src\" },\n}\n",
    );
    assert_eq!(
        bump_file(
            &root.join("build.zig.zon"),
            FileKind::ZigZon,
            to("1.5.0-beta.1+build.7")
        ),
        [".version"]
    );
    ok(&run(
        root,
        "python3",
        &["-m", "ziglang", "fmt", "--check", "build.zig.zon"],
        "install zig with `pip install ziglang` (scripts/test does)",
    ));
    let text = std::fs::read_to_string(root.join("build.zig.zon")).unwrap();
    assert!(
        text.contains(".version = \"1.5.0-beta.1+build.7\","),
        "{text}"
    );
}
