use globset::GlobSetBuilder;

use super::excludes::always_excluded;
use super::paths::slash_path;
use super::*;

#[test]
fn normalizes() {
    assert_eq!(
        normalize(Path::new("/r/crates/x/../../b/p.json")),
        Path::new("/r/b/p.json")
    );
    assert_eq!(normalize(Path::new("/r/./a")), Path::new("/r/a"));
}

#[test]
fn globs_and_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for p in [
        "npm/a/package.json",
        "npm/b/package.json",
        "npm/b/node_modules/x/package.json",
        "x/package.json",
    ] {
        std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
        std::fs::write(root.join(p), "{}").unwrap();
    }
    let none = Excludes::new(root, root, &[]).unwrap();
    let got = expand(root, root, "npm/*/package.json", &none).unwrap();
    assert_eq!(
        got,
        vec![
            root.join("npm/a/package.json"),
            root.join("npm/b/package.json")
        ]
    );
    let all = expand(root, root, "**/package.json", &none).unwrap();
    assert_eq!(all.len(), 3, "node_modules is never searched: {all:?}");
    let excl = Excludes::new(root, root, &["npm/b/**".to_string()]).unwrap();
    assert_eq!(
        expand(root, root, "npm/*/package.json", &excl)
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        expand(root, root, "nope/*.json", &none),
        Err(ExpandError::NoMatch { .. })
    ));
    assert!(matches!(
        expand(root, root, "nope.json", &none),
        Err(ExpandError::NoMatch { .. })
    ));
    assert!(matches!(
        expand(root, &root.join("npm"), "../../x.json", &none),
        Err(ExpandError::Escapes { .. })
    ));
    assert_eq!(
        expand(root, &root.join("npm/a"), "../../x/package.json", &none)
            .unwrap()
            .len(),
        1
    );
}

fn tree(root: &Path, files: &[&str]) {
    for p in files {
        std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
        std::fs::write(root.join(p), "{}").unwrap();
    }
}

fn names(root: &Path, found: &[PathBuf]) -> Vec<String> {
    found
        .iter()
        .map(|p| slash_path(p.strip_prefix(root).unwrap()).into_owned())
        .collect()
}

#[track_caller]
fn case(root: &Path, pattern: &str, expected: &[&str]) {
    let none = Excludes::new(root, root, &[]).unwrap();
    let found = match expand(root, root, pattern, &none) {
        Ok(found) => names(root, &found),
        Err(ExpandError::NoMatch { .. }) => Vec::new(),
        Err(e) => panic!("{pattern}: {e}"),
    };
    assert_eq!(found, expected, "{pattern}");
    // The walk (the path `**` patterns take) agrees, wherever a component-by-component
    // expansion is exact: no ignore file in a literal file name's own directory.
    let rel = pattern.to_string();
    let walked = walk(root, root, &rel, &none).unwrap();
    let mut walked: Vec<String> = walked
        .iter()
        .map(|(p, _)| slash_path(p.strip_prefix(root).unwrap()).into_owned())
        .collect();
    walked.sort();
    assert_eq!(walked, expected, "{pattern} (walked)");
}

#[test]
fn components_honour_ignore_files_hidden_and_pruned_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(
        root,
        &[
            "packages/a/package.json",
            "packages/b/package.json",
            "packages/gen/package.json",
            "packages/keep-gen/package.json",
            "packages/.hidden/package.json",
            "packages/node_modules/package.json",
            "packages/c/notes.txt",
            "dotnet/g1/P1/P1.csproj",
            "dotnet/g1/P2/P2.csproj",
            "dotnet/g1/P2/Old.csproj",
            "dotnet/g2/P3/P3.csproj",
            "dotnet/legacy/P4/P4.csproj",
            "deep/x/src/lib/Cargo.toml",
            "deep/y/src/lib/Cargo.toml",
        ],
    );
    std::fs::write(root.join(".gitignore"), "legacy/\n").unwrap();
    std::fs::write(root.join("packages/.gitignore"), "*gen\n!keep-gen\n").unwrap();
    std::fs::write(root.join("dotnet/g1/.ignore"), "Old.csproj\n").unwrap();
    std::fs::write(root.join("deep/y/.gitignore"), "src/\n").unwrap();
    case(
        root,
        "packages/*/package.json",
        &[
            "packages/a/package.json",
            "packages/b/package.json",
            "packages/keep-gen/package.json",
        ],
    );
    case(
        root,
        "dotnet/*/*/*.csproj",
        &[
            "dotnet/g1/P1/P1.csproj",
            "dotnet/g1/P2/P2.csproj",
            "dotnet/g2/P3/P3.csproj",
        ],
    );
    case(
        root,
        "deep/*/src/lib/Cargo.toml",
        &["deep/x/src/lib/Cargo.toml"],
    );
    case(
        root,
        "deep/*/src/*/Cargo.toml",
        &["deep/x/src/lib/Cargo.toml"],
    );
    case(
        root,
        "packages/?/package.json",
        &["packages/a/package.json", "packages/b/package.json"],
    );
    case(
        root,
        "packages/{a,c}/package.json",
        &["packages/a/package.json"],
    );
    case(root, "packages/*/nothing.json", &[]);
}

#[test]
fn an_ignore_file_beside_a_literal_file_name_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(
        root,
        &["packages/a/package.json", "packages/b/package.json"],
    );
    std::fs::write(root.join("packages/b/.gitignore"), "package.json\n").unwrap();
    let none = Excludes::new(root, root, &[]).unwrap();
    let found = expand(root, root, "packages/*/package.json", &none).unwrap();
    assert_eq!(
        names(root, &found),
        ["packages/a/package.json", "packages/b/package.json"]
    );
}

#[test]
fn listings_answer_for_listed_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(
        root,
        &["dotnet/g1/P1/P1.csproj", "dotnet/g1/Directory.Build.props"],
    );
    let none = Excludes::new(root, root, &[]).unwrap();
    let listings = Listings::default();
    expand_with(root, root, "dotnet/*/*/*.csproj", &none, &listings).unwrap();
    let g1 = root.join("dotnet/g1");
    assert_eq!(listings.is_file(&g1, "Directory.Build.props"), Some(true));
    assert_eq!(
        listings.is_file(&g1.join("P1"), "Directory.Build.props"),
        Some(false)
    );
    assert_eq!(
        listings.is_file(&g1, "P1"),
        Some(false),
        "a directory is not a file"
    );
    assert_eq!(
        listings.is_file(root, "anything"),
        None,
        "the root was not listed"
    );
    let nearest = Nearest::new(listings);
    assert_eq!(
        nearest.find(root, &g1.join("P1"), "Directory.Build.props"),
        Some(g1.join("Directory.Build.props"))
    );
}

#[cfg(unix)]
#[test]
fn a_literal_file_name_that_links_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("package.json"), "{}").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root, &["packages/a/package.json"]);
    std::fs::create_dir_all(root.join("packages/b")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("package.json"),
        root.join("packages/b/package.json"),
    )
    .unwrap();
    let none = Excludes::new(root, root, &[]).unwrap();
    assert!(matches!(
        expand(root, root, "packages/*/package.json", &none),
        Err(ExpandError::LinkEscapes { .. })
    ));
    // A link that stays inside is followed.
    std::fs::remove_file(root.join("packages/b/package.json")).unwrap();
    std::os::unix::fs::symlink(
        root.join("packages/a/package.json"),
        root.join("packages/b/package.json"),
    )
    .unwrap();
    assert_eq!(
        expand(root, root, "packages/*/package.json", &none)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn entries_and_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // More names than one `getdents64` call returns into the listing buffer (32 KiB), so
    // that a listing takes several calls.
    let long = "x".repeat(200);
    let files: Vec<String> = (0..400).map(|i| format!("{long}{i:03}")).collect();
    for name in &files {
        std::fs::write(root.join(name), "").unwrap();
    }
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/inner"), "").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("sub", root.join("link")).unwrap();
    let mut seen = Vec::new();
    entries::each_entry(root, |name, kind| {
        // A listing inside another one (on the same thread) has a buffer of its own.
        if kind == Kind::Dir {
            let mut inner = Vec::new();
            entries::each_entry(&root.join(name), |name, kind| {
                inner.push((name.to_string_lossy().into_owned(), kind));
            })
            .unwrap();
            assert_eq!(inner, [("inner".to_string(), Kind::File)]);
        }
        seen.push((name.to_string_lossy().into_owned(), kind));
    })
    .unwrap();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected: Vec<(String, Kind)> = files.iter().map(|f| (f.clone(), Kind::File)).collect();
    #[cfg(unix)]
    expected.push(("link".to_string(), Kind::Link));
    expected.push(("sub".to_string(), Kind::Dir));
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(seen, expected, "every entry once, without `.` and `..`");
    assert!(entries::each_entry(&root.join("missing"), |_, _| {}).is_err());
    assert!(entries::each_entry(&root.join("sub/inner"), |_, _| {}).is_err());
    assert_eq!(entries::kind(&root.join("sub")), Some(Kind::Dir));
    assert_eq!(entries::kind(&root.join("sub/inner")), Some(Kind::File));
    #[cfg(unix)]
    assert_eq!(entries::kind(&root.join("link")), Some(Kind::Link));
    assert_eq!(entries::kind(&root.join("missing")), None);
}

#[test]
fn weights_put_the_widest_expansions_first() {
    assert_eq!(weight("package.json"), 0);
    assert_eq!(weight("packages/*/package.json"), 1);
    assert_eq!(weight("dotnet/*/*/*.csproj"), 3);
    assert_eq!(weight("crates/**/Cargo.toml"), usize::MAX);
}

/// `at_or_below` answers as `Path::starts_with` does, normalized or not.
#[test]
fn at_or_below_is_starts_with() {
    let paths = [
        "/", "/a", "/a/", "/a/b", "/a/bc", "/a-b", "/a/b/c", "/ab", "/a/./b", "/a//b", "/a/b/",
        "/b", "a", "a/b", "",
    ];
    for path in paths {
        for root in paths {
            let (path, root) = (std::path::Path::new(path), std::path::Path::new(root));
            assert_eq!(
                super::nearest::at_or_below(path, root),
                path.starts_with(root),
                "{path:?} below {root:?}"
            );
        }
    }
}

/// The five directory names answer as the [`ALWAYS_EXCLUDED`] globs do.
#[test]
fn always_excluded_by_name_is_the_globs() {
    let mut builder = GlobSetBuilder::new();
    for pattern in ALWAYS_EXCLUDED {
        builder.add(glob(pattern).unwrap());
    }
    let set = builder.build().unwrap();
    let dirs = [
        "",
        "a",
        "node_modules",
        "target",
        ".git",
        "bin",
        "obj",
        "binx",
        "xobj",
    ];
    let mut paths = vec!["node_modules".to_string(), "bin".to_string()];
    for first in dirs {
        for second in dirs {
            for last in ["package.json", "bin", "node_modules", ".git"] {
                let path = [first, second, last]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join("/");
                paths.push(path);
            }
        }
    }
    for path in paths {
        assert_eq!(always_excluded(&path), set.is_match(&path), "{path}");
    }
}

/// Plain paths sort from their bytes as `Path`s sort by components.
#[test]
fn paths_sort_as_paths() {
    let names = [
        "a", "a-b", "a.b", "a/b", "ab", "a/b-c", "a/b/c", "b", "a0", "A", "é",
    ];
    let mut paths: Vec<(PathBuf, bool)> = Vec::new();
    for first in names {
        for second in names {
            paths.push((PathBuf::from(format!("/r/{first}/{second}")), false));
        }
    }
    let mut expected = paths.clone();
    expected.sort();
    paths.reverse();
    sort_paths(&mut paths, true);
    assert_eq!(paths, expected);
}

/// A plain path's parent cut from its text is `Path::parent`.
#[test]
fn plain_parents_are_parents() {
    for path in ["/", "/a", "/a/b", "/a/b-c/d.e", "/é/x", "/a/.b", "/a/..b"] {
        let path = Path::new(path);
        assert_eq!(nearest::plain(path), cfg!(unix) && path != Path::new("/"));
        if nearest::plain(path) {
            assert_eq!(nearest::plain_parent(path), path.parent(), "{path:?}");
        }
    }
    for path in ["a/b", "/a//b", "/a/./b", "/a/../b", "/a/", "//a"] {
        assert!(!nearest::plain(Path::new(path)), "{path}");
    }
    assert_eq!(nearest::plain_parent(Path::new("/a")), Some(Path::new("/")));
}

/// A glob's literal file name is joined to each directory reached without asking for it;
/// what reading finds confirms it.
#[cfg(unix)]
#[test]
fn literal_file_names_are_confirmed_by_reading() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("package.json"), "{}").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root, &["packages/a/package.json", "packages/b/README.md"]);
    std::fs::create_dir_all(root.join("packages/c")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("package.json"),
        root.join("packages/c/package.json"),
    )
    .unwrap();
    let none = Excludes::new(root, root, &[]).unwrap();
    let listings = Listings::default();
    let found =
        expand_unconfirmed(root, root, "packages/*/package.json", &none, &listings).unwrap();
    assert!(found.is_unconfirmed());
    let candidates: Vec<PathBuf> = found.paths().map(Path::to_path_buf).collect();
    assert_eq!(
        candidates,
        ["a", "b", "c"].map(|p| root.join("packages").join(p).join("package.json"))
    );
    let presences: Vec<Presence> = candidates.iter().map(|p| presence(p)).collect();
    assert_eq!(
        presences,
        [Presence::File, Presence::Absent, Presence::Link]
    );
    // The link leads outside: refused once it is known to be one.
    assert!(matches!(
        found.confirm(root, &listings, &presences),
        Err(ExpandError::LinkEscapes { .. })
    ));
    let found =
        expand_unconfirmed(root, root, "packages/*/package.json", &none, &listings).unwrap();
    assert_eq!(
        found
            .confirm(root, &listings, &[Presence::File, Presence::Absent])
            .unwrap(),
        [root.join("packages/a/package.json")],
        "a path without a presence is absent"
    );
    let found =
        expand_unconfirmed(root, root, "packages/*/package.json", &none, &listings).unwrap();
    assert!(matches!(
        found.confirm(root, &listings, &[]),
        Err(ExpandError::NoMatch { pattern }) if pattern == "packages/*/package.json"
    ));
    // Confirmed expansions (a wildcard last) are checked as they are found.
    assert!(matches!(
        expand_unconfirmed(root, root, "packages/*/*.json", &none, &listings),
        Err(ExpandError::LinkEscapes { .. })
    ));
}

/// A file a listing shows in a directory inside the repository is inside without asking;
/// anything else is resolved.
#[cfg(unix)]
#[test]
fn listed_files_are_inside() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("Directory.Build.props"), "<Project/>").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(
        root,
        &["dotnet/g1/P1/P1.csproj", "dotnet/g1/Directory.Build.props"],
    );
    tree(root, &["dotnet/g2/P2/P2.csproj"]);
    std::os::unix::fs::symlink(
        outside.path().join("Directory.Build.props"),
        root.join("dotnet/g2/Directory.Build.props"),
    )
    .unwrap();
    let none = Excludes::new(root, root, &[]).unwrap();
    let listings = Listings::default();
    expand_with(root, root, "dotnet/*/*/*.csproj", &none, &listings).unwrap();
    let props = |g: &str| root.join("dotnet").join(g).join("Directory.Build.props");
    assert!(listings.check_inside(root, &props("g1"), "x").is_ok());
    assert!(matches!(
        listings.check_inside(root, &props("g2"), "x"),
        Err(ExpandError::LinkEscapes { .. })
    ));
    assert!(listings
        .check_inside(root, &root.join("missing/file"), "x")
        .is_ok());
}

/// The root's real location is asked once per run, and a glob's start reached through a
/// link is resolved.
#[cfg(unix)]
#[test]
fn a_start_reached_through_a_link_is_checked() {
    let outside = tempfile::tempdir().unwrap();
    tree(outside.path(), &["a/package.json"]);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::os::unix::fs::symlink(outside.path(), root.join("packages")).unwrap();
    let none = Excludes::new(root, root, &[]).unwrap();
    assert!(matches!(
        expand(root, root, "packages/*/package.json", &none),
        Err(ExpandError::LinkEscapes { .. })
    ));
    // Inside the repository, through a link: followed.
    let inside = tempfile::tempdir_in(root).unwrap();
    tree(inside.path(), &["b/package.json"]);
    std::fs::remove_file(root.join("packages")).unwrap();
    std::os::unix::fs::symlink(inside.path(), root.join("packages")).unwrap();
    assert_eq!(
        expand(root, root, "packages/*/package.json", &none).unwrap(),
        [root.join("packages/b/package.json")]
    );
}

/// The usual shapes of a wildcard component answer as the glob does.
#[test]
fn components_match_as_globs() {
    let names = [
        "a",
        "a.csproj",
        ".csproj",
        "csproj",
        "x.csproj.bak",
        "va",
        "v",
        "av",
        "é.csproj",
    ];
    for part in [
        "*", "*.csproj", "v*", "*a", "a*", "*.c?proj", "{a,v}*", "[av]*",
    ] {
        let component = expansion::Component::new(part).unwrap();
        let matcher = glob(part).unwrap().compile_matcher();
        for name in names {
            assert_eq!(
                component.is_match(name),
                matcher.is_match(name),
                "{part} {name}"
            );
        }
    }
}
