//! All-or-nothing writes through the [`Fs`] seam, on real temporary directories.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;

use super::*;

/// `n` files `d0/f00.txt`, `d1/f01.txt`… in `dir`, each with its own text, and the changes
/// that rewrite them.
fn setup(dir: &Path, n: usize) -> Vec<Change<'static>> {
    (0..n)
        .map(|i| {
            let name = format!("d{}/f{i:02}.txt", i % 3);
            let abs = dir.join(&name);
            fs::create_dir_all(abs.parent().unwrap()).unwrap();
            let old = format!("version = \"1.4.{i}\"\n");
            fs::write(&abs, &old).unwrap();
            change(name, abs, old)
        })
        .collect()
}

/// The change of the file at `abs`, holding `old`, from `1.4.` to `1.5.`.
fn change(path: String, abs: PathBuf, old: String) -> Change<'static> {
    Change {
        path,
        stamp: Stamp::of(&abs).unwrap(),
        abs,
        new: old.replace("1.4.", "1.5."),
        // A change borrows the text it was planned from; a test's texts live until it ends.
        old: Box::leak(old.into_boxed_str()),
    }
}

/// More files than `par::map` runs on the calling thread (64): each step of a write runs on
/// every core.
const MANY: usize = 80;

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
    apply_with(&RealFs, &changes).unwrap();
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
            let fs = FaultFs::new(RealFs, fault);
            let err = apply_with(&fs, &changes).unwrap_err();
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

/// A rename that fails while putting files back is reported as such, naming both files; the
/// other files are still put back, and no temporary file is left.
#[test]
fn a_failing_restore_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    // Renames 1 and 2 succeed, 3 fails; restoring the second file is rename 4.
    let fs = FaultFs::new(FailsRestoring(RealFs), Fault::Rename(3));
    let err = apply_with(&fs, &changes).unwrap_err();
    assert!(
        matches!(&err, ApplyError::Restore { path, restore, .. }
            if path == &changes[2].path && restore == &changes[1].path),
        "{err}"
    );
    let text = |i: usize| fs::read_to_string(&changes[i].abs).unwrap();
    assert_eq!(
        text(0),
        changes[0].old,
        "put back after the failing restore"
    );
    assert_eq!(
        text(1),
        changes[1].new,
        "the one that could not be put back"
    );
    assert_eq!(text(2), changes[2].old, "never replaced");
    assert_eq!(tree(dir.path()).len(), 3, "no temporary file is left");
}

/// Fails to rename the old text of `f01.txt` back into place.
#[derive(Debug)]
struct FailsRestoring(RealFs);

impl Fs for FailsRestoring {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        self.0.check(path, expected)
    }
    fn write_temp(
        &self,
        target: &Path,
        permissions: &fs::Permissions,
        contents: &[u8],
    ) -> io::Result<PathBuf> {
        self.0.write_temp(target, permissions, contents)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let content = fs::read_to_string(from).unwrap_or_default();
        if content.contains("1.4.1\"") {
            return Err(io::Error::other("restore fails"));
        }
        self.0.rename(from, to)
    }
    fn remove(&self, path: &Path) {
        self.0.remove(path);
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
        let err = apply_with(&RealFs, &changes).unwrap_err();
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
        apply_with(&RealFs, &changes),
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
    let err = apply_with(&RealFs, &changes).unwrap_err();
    assert!(
        matches!(&err, ApplyError::ReadOnly { path } if path == &changes[3].path),
        "{err}"
    );
    assert!(err.help().unwrap().contains("chmod u+w"));
    assert_eq!(tree(dir.path()), before);
}

/// The new file keeps the old one's permissions, also those a umask would take away (`0o666`,
/// `0o777`: the temporary file's mode is set, not asked for at creation), on one thread and
/// on several.
#[test]
fn permissions_survive() {
    let modes = [0o755, 0o600, 0o666, 0o777, 0o640, 0o200];
    for n in [modes.len(), MANY] {
        let dir = tempfile::tempdir().unwrap();
        let changes = setup(dir.path(), n);
        for (change, mode) in changes.iter().zip(modes.iter().cycle()) {
            fs::set_permissions(&change.abs, fs::Permissions::from_mode(*mode)).unwrap();
        }
        apply_with(&RealFs, &changes).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        for (change, expected) in changes.iter().zip(modes.iter().cycle()) {
            assert_eq!(mode(&change.abs), *expected, "{}", change.path);
        }
    }
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
    apply_with(&RealFs, &changes).unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), changes[1].new);
    assert_eq!(tree(dir.path()).len(), 3, "no temporary file is left");
}

/// A fault at the start, in the middle or at the end of a parallel write or rename of
/// [`MANY`] files leaves every file byte for byte as it was and no temporary file behind; the
/// error names the file whose operation failed.
#[test]
fn a_failing_operation_of_a_parallel_write_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), MANY);
    let before = tree(dir.path());
    for n in [1, 2, 3, 17, 39, 40, 41, 63, 64, 65, MANY - 1, MANY] {
        for fault in [Fault::Write(n), Fault::Rename(n)] {
            let fs = FaultFs::new(RealFs, fault);
            let err = apply_with(&fs, &changes).unwrap_err();
            // Which file is the Nth to start depends on the threads: the fault says which.
            let failed = fs.failed().expect("the fault was injected");
            let ((Fault::Write(_), ApplyError::Write { path: named, .. })
            | (Fault::Rename(_), ApplyError::Rename { path: named, .. })) = (fault, &err)
            else {
                panic!("{fault:?}: {err}");
            };
            let change = changes.iter().find(|c| &c.path == named).unwrap();
            assert_eq!(change.abs, failed, "{fault:?}: {err}");
            assert!(err.to_string().contains("injected fault"), "{err}");
            assert_eq!(tree(dir.path()), before, "{fault:?}");
        }
    }
    // And without a fault, the same write writes every file.
    apply_with(&RealFs, &changes).unwrap();
    for change in &changes {
        assert_eq!(fs::read_to_string(&change.abs).unwrap(), change.new);
    }
    assert_eq!(tree(dir.path()).len(), MANY, "no temporary file is left");
}

/// The check before writing refuses, on several threads, the first file in the changes'
/// order that changed or is read-only, and then writes nothing.
#[test]
fn the_first_refusal_is_reported_whatever_the_threads() {
    // (changed, read-only, the refusal expected)
    for (changed, read_only, first) in [(75, 70, 70), (20, 30, 20), (MANY - 1, 0, 0)] {
        let dir = tempfile::tempdir().unwrap();
        let changes = setup(dir.path(), MANY);
        fs::write(
            &changes[changed].abs,
            changes[changed].old.replace('4', "3"),
        )
        .unwrap();
        fs::set_permissions(&changes[read_only].abs, fs::Permissions::from_mode(0o444)).unwrap();
        let before = tree(dir.path());
        let err = apply_with(&RealFs, &changes).unwrap_err();
        let path = match &err {
            ApplyError::Changed { path } if first == changed => path,
            ApplyError::ReadOnly { path } if first == read_only => path,
            _ => panic!("{changed} {read_only}: {err}"),
        };
        assert_eq!(path, &changes[first].path);
        assert_eq!(tree(dir.path()), before);
    }
}

/// A file longer than the check reads at once (64 KiB) is compared to its end: a change in
/// its last byte stops the write; unchanged, it is written.
#[test]
fn a_large_file_is_compared_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut changes = setup(dir.path(), 3);
    let large = dir.path().join("large.txt");
    let old = format!("version = \"1.4.0\"\n{}\n", "x".repeat(200_000));
    fs::write(&large, &old).unwrap();
    changes.push(change("large.txt".to_string(), large.clone(), old.clone()));
    let mut edited = old.clone().into_bytes();
    *edited.last_mut().unwrap() = b'y';
    fs::write(&large, &edited).unwrap();
    let before = tree(dir.path());
    assert!(matches!(
        apply_with(&RealFs, &changes),
        Err(ApplyError::Changed { path }) if path == "large.txt"
    ));
    assert_eq!(tree(dir.path()), before);
    fs::write(&large, &old).unwrap();
    apply_with(&RealFs, &changes).unwrap();
    assert_eq!(fs::read_to_string(&large).unwrap(), changes[3].new);
}

/// Links on several threads: a file that is a link (into another directory) is written
/// through, the link stays and no temporary file is left beside the link or the file; a file
/// reached through a linked directory is written in the directory the link names; a link
/// whose file is gone stops the write.
#[test]
fn links_are_written_through_on_several_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut changes = setup(dir.path(), MANY);
    fs::create_dir(dir.path().join("links")).unwrap();
    for i in (0..MANY).step_by(7) {
        let link = dir.path().join(format!("links/l{i:03}.txt"));
        std::os::unix::fs::symlink(&changes[i].abs, &link).unwrap();
        changes[i].abs = link;
    }
    // `linked` → `d1`: f01.txt, f04.txt… are reached through it (f07.txt… are links too).
    std::os::unix::fs::symlink(dir.path().join("d1"), dir.path().join("linked")).unwrap();
    for change in changes.iter_mut().filter(|c| c.path.starts_with("d1/")) {
        if !change.abs.starts_with(dir.path().join("links")) {
            change.abs = dir
                .path()
                .join("linked")
                .join(change.path.strip_prefix("d1/").unwrap());
        }
    }
    let files = tree(dir.path()).len();
    apply_with(&RealFs, &changes).unwrap();
    let after = tree(dir.path());
    assert_eq!(after.len(), files, "no temporary file is left");
    for (i, change) in changes.iter().enumerate() {
        let real = dir.path().join(format!("d{}/f{i:02}.txt", i % 3));
        assert_eq!(
            fs::read_to_string(&real).unwrap(),
            change.new,
            "{}",
            change.path
        );
        if i % 7 == 0 {
            assert!(fs::symlink_metadata(&change.abs)
                .unwrap()
                .file_type()
                .is_symlink());
        }
    }
    assert!(fs::symlink_metadata(dir.path().join("linked"))
        .unwrap()
        .file_type()
        .is_symlink());
    // A dangling link: changed on disk since it was read.
    let dir = tempfile::tempdir().unwrap();
    let mut changes = setup(dir.path(), MANY);
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), &link).unwrap();
    changes[70].abs = link;
    let before = tree(dir.path());
    assert!(matches!(
        apply_with(&RealFs, &changes),
        Err(ApplyError::Changed { path }) if path == changes[70].path
    ));
    assert_eq!(tree(dir.path()), before);
}

/// A link and the file it names, both changed (two manifests that are one file): on several
/// threads as on one, both are renamed in the changes' order and the later one wins, even
/// when the earlier rename is slow (on threads, the later one would overtake it).
#[test]
fn one_file_changed_twice_keeps_the_changes_order() {
    for n in [3, MANY] {
        let dir = tempfile::tempdir().unwrap();
        let mut changes = setup(dir.path(), n);
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&changes[1].abs, &link).unwrap();
        let mut through_link = changes[1].clone();
        through_link.path = "link.txt".to_string();
        through_link.abs = link.clone();
        through_link.new = "version = \"9.9.9\"\n".to_string();
        changes.push(through_link);
        let slow = SlowRename(changes[1].new.clone());
        apply_with(&slow, &changes).unwrap();
        assert_eq!(
            fs::read_to_string(&changes[1].abs).unwrap(),
            "version = \"9.9.9\"\n"
        );
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(tree(dir.path()).len(), n + 1, "no temporary file is left");
    }
}

/// Renames a temporary file holding this text 100 ms late.
#[derive(Debug)]
struct SlowRename(String);

impl Fs for SlowRename {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        RealFs.check(path, expected)
    }
    fn write_temp(
        &self,
        target: &Path,
        permissions: &fs::Permissions,
        contents: &[u8],
    ) -> io::Result<PathBuf> {
        RealFs.write_temp(target, permissions, contents)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        if fs::read_to_string(from).is_ok_and(|text| text == self.0) {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        RealFs.rename(from, to)
    }
    fn remove(&self, path: &Path) {
        RealFs.remove(path);
    }
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
