//! All-or-nothing writes through the [`Fs`] seam, on real temporary directories.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;

use super::*;

/// `n` files `f00.txt`… in `dir`, each with its own text, and the changes that rewrite them.
fn setup(dir: &Path, n: usize) -> Vec<Change> {
    (0..n)
        .map(|i| {
            let name = format!("d{}/f{i:02}.txt", i % 3);
            let abs = dir.join(&name);
            fs::create_dir_all(abs.parent().unwrap()).unwrap();
            let old = format!("version = \"1.4.{i}\"\n");
            fs::write(&abs, &old).unwrap();
            Change {
                path: name,
                stamp: Stamp::of(&abs).unwrap(),
                abs,
                new: old.replace("1.4.", "1.5."),
                old,
            }
        })
        .collect()
}

/// Every file below `dir`: relative path → bytes (a link as `-> target`).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn writes_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 4);
    apply_with(&mut RealFs, &changes).unwrap();
    for change in &changes {
        assert_eq!(fs::read_to_string(&change.abs).unwrap(), change.new);
    }
    assert_eq!(tree(dir.path()).len(), 4, "no temporary file is left");
}

/// Every write and every rename of a 12-file write, made to fail in turn, leaves the files
/// as they were and no temporary file behind.
#[test]
fn every_failing_operation_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    let before = tree(dir.path());
    for n in 1..=12 {
        for fault in [Fault::Write(n), Fault::Rename(n)] {
            let mut fs = FaultFs::new(RealFs, fault);
            let err = apply_with(&mut fs, &changes).unwrap_err();
            match (fault, &err) {
                (Fault::Write(_), ApplyError::Write { path, .. })
                | (Fault::Rename(_), ApplyError::Rename { path, .. }) => {
                    assert_eq!(path, &changes[n - 1].path);
                }
                _ => panic!("{fault:?}: {err}"),
            }
            assert!(err.to_string().contains("injected fault"), "{err}");
            assert_eq!(tree(dir.path()), before, "{fault:?}");
        }
    }
}

/// A rename that fails while putting files back is reported as such, naming both files.
#[test]
fn a_failing_restore_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    // Renames 1 and 2 succeed, 3 fails; restoring the second file is rename 4.
    let mut fs = FaultFs::new(FailsRestoring(RealFs), Fault::Rename(3));
    let err = apply_with(&mut fs, &changes).unwrap_err();
    assert!(
        matches!(&err, ApplyError::Restore { path, restore, .. }
            if path == &changes[2].path && restore == &changes[1].path),
        "{err}"
    );
}

/// Fails to rename the old text of `f01.txt` back into place.
#[derive(Debug)]
struct FailsRestoring(RealFs);

impl Fs for FailsRestoring {
    fn write_temp(&mut self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf> {
        self.0.write_temp(dir, like, contents)
    }
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        let content = fs::read_to_string(from).unwrap_or_default();
        if content.contains("1.4.1\"") {
            return Err(io::Error::other("restore fails"));
        }
        self.0.rename(from, to)
    }
    fn remove(&mut self, path: &Path) {
        self.0.remove(path);
    }
    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.read(path)
    }
}

/// A file changed between reading and writing stops the whole write, whichever it is.
#[test]
fn a_file_changed_since_it_was_read_stops_everything() {
    for changed in [0, 6, 11] {
        let dir = tempfile::tempdir().unwrap();
        let changes = setup(dir.path(), 12);
        // Same length, other bytes: the length alone does not tell.
        fs::write(
            &changes[changed].abs,
            changes[changed].old.replace('1', "2"),
        )
        .unwrap();
        let before = tree(dir.path());
        let err = apply_with(&mut RealFs, &changes).unwrap_err();
        assert!(
            matches!(&err, ApplyError::Changed { path } if path == &changes[changed].path),
            "{err}"
        );
        assert!(err.to_string().contains("nothing was written"));
        assert_eq!(tree(dir.path()), before);
    }
    // A file removed since it was read stops it too.
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    fs::remove_file(&changes[2].abs).unwrap();
    let before = tree(dir.path());
    assert!(matches!(
        apply_with(&mut RealFs, &changes),
        Err(ApplyError::Changed { .. })
    ));
    assert_eq!(tree(dir.path()), before);
}

/// Read-only permissions are honoured even when the process could write (root).
#[test]
fn a_read_only_file_stops_everything() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 5);
    fs::set_permissions(&changes[3].abs, fs::Permissions::from_mode(0o444)).unwrap();
    let before = tree(dir.path());
    let err = apply_with(&mut RealFs, &changes).unwrap_err();
    assert!(
        matches!(&err, ApplyError::ReadOnly { path } if path == &changes[3].path),
        "{err}"
    );
    assert!(err.help().unwrap().contains("chmod u+w"));
    assert_eq!(tree(dir.path()), before);
}

/// The new file keeps the old one's permissions.
#[test]
fn permissions_survive() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 2);
    fs::set_permissions(&changes[0].abs, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&changes[1].abs, fs::Permissions::from_mode(0o600)).unwrap();
    apply_with(&mut RealFs, &changes).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&changes[0].abs), 0o755);
    assert_eq!(mode(&changes[1].abs), 0o600);
}

/// A manifest that is a symbolic link stays a link: the file it names is rewritten.
#[test]
fn links_are_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let mut changes = setup(dir.path(), 2);
    let real = changes[1].abs.clone();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    changes[1].abs = link.clone();
    apply_with(&mut RealFs, &changes).unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), changes[1].new);
    assert_eq!(tree(dir.path()).len(), 3, "no temporary file is left");
}

#[test]
fn one_lock_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let lock = Lock::acquire(dir.path()).unwrap();
    let path = dir.path().join(LOCK_FILE);
    assert_eq!(
        fs::read_to_string(&path).unwrap().trim(),
        std::process::id().to_string()
    );
    let err = Lock::acquire(dir.path()).unwrap_err();
    assert!(
        matches!(&err, ApplyError::Locked { holder: Some(pid), .. } if pid == &std::process::id().to_string()),
        "{err}"
    );
    assert!(err.to_string().contains("held by process"), "{err}");
    assert!(err.help().unwrap().contains("remove"));
    drop(lock);
    assert!(!path.exists(), "the lock is removed when dropped");
    let again = Lock::acquire(dir.path()).unwrap();
    drop(again);
}

/// `apply` takes the lock: with the lock held elsewhere it writes nothing.
#[test]
fn apply_refuses_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    let lock = Lock::acquire(dir.path()).unwrap();
    let before = tree(dir.path());
    assert!(matches!(
        apply(dir.path(), &changes),
        Err(ApplyError::Locked { .. })
    ));
    assert_eq!(tree(dir.path()), before);
    drop(lock);
    apply(dir.path(), &changes).unwrap();
    assert!(!dir.path().join(LOCK_FILE).exists());
    // Nothing to write takes no lock.
    let _held = Lock::acquire(dir.path()).unwrap();
    apply(dir.path(), &[]).unwrap();
}

#[test]
fn faults_parse() {
    assert_eq!(Fault::parse("write:3"), Some(Fault::Write(3)));
    assert_eq!(Fault::parse("rename:12"), Some(Fault::Rename(12)));
    assert_eq!(Fault::parse("hold:500"), Some(Fault::Hold(500)));
    assert_eq!(Fault::parse("hold"), None);
    assert_eq!(Fault::parse("fsync:1"), None);
    assert_eq!(Fault::parse("write:x"), None);
}
