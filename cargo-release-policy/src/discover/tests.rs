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
        Err(DiscoverError::NoMatch { .. })
    ));
    assert!(matches!(
        expand(root, root, "nope.json", &none),
        Err(DiscoverError::NoMatch { .. })
    ));
    assert!(matches!(
        expand(root, &root.join("npm"), "../../x.json", &none),
        Err(DiscoverError::Escapes { .. })
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
        Err(DiscoverError::NoMatch { .. }) => Vec::new(),
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
        Err(DiscoverError::LinkEscapes { .. })
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
