//! All-or-nothing writes through the [`Fs`] seam, on real temporary directories: failures,
//! crashes (a panic standing for the process stopping: nothing after it runs, and the
//! journal stays) and recovery.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::panic::AssertUnwindSafe;

use super::journal::{Entry, JournalError, Read};
use super::lock::LOCK_FILE;
use super::recover::{find, recover_in, RolledBack, StaleLock};
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

/// Every file below `dir`: relative path → its permission bits and bytes (a link as
/// `-> target`).
fn tree(dir: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, (0, format!("-> {}", target.display()).into_bytes()));
            } else if meta.is_dir() {
                stack.push(path);
            } else {
                let mode = meta.permissions().mode() & 0o7777;
                out.insert(rel, (mode, fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn journal_in(dir: &Path) -> PathBuf {
    dir.join(JOURNAL_FILE)
}

/// Write `changes` with the journal in `dir`.
fn write(fs: &dyn Fs, dir: &Path, changes: &[Change<'_>]) -> Result<(), ApplyError> {
    apply_with(fs, &journal_in(dir), Durability::Journal, changes)
}

/// A crash, in a test: unwinds (without the panic message) to [`crashed`], running nothing
/// of the write after it.
fn crash() {
    std::panic::resume_unwind(Box::new("crash"));
}

/// Write `changes` with `fault`, which must crash; the journal is left in `dir`.
fn crashed(dir: &Path, changes: &[Change<'_>], fault: Fault) {
    let fs = FaultFs::crashing_with(RealFs, fault, crash);
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| write(&fs, dir, changes)));
    assert!(result.is_err(), "{fault:?} did not crash: {result:?}");
}

fn recover_dir(dir: &Path, edited: Edited) -> Result<Option<Recovery>, ApplyError> {
    recover_in(&RealFs, dir, edited, Durability::Journal)
}

fn rolled_back(recovery: &Recovery) -> &RolledBack {
    match &recovery.journal {
        Some(Outcome::RolledBack(rolled)) => rolled,
        other => panic!("not rolled back: {other:?}"),
    }
}

#[test]
fn writes_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 4);
    write(&RealFs, dir.path(), &changes).unwrap();
    for change in &changes {
        assert_eq!(fs::read_to_string(&change.abs).unwrap(), change.new);
    }
    assert_eq!(tree(dir.path()).len(), 4, "no journal is left");
}

/// In place: the same inode, so hard links stay linked; a shorter text cuts the file.
#[test]
fn files_are_rewritten_in_place() {
    use std::os::unix::fs::MetadataExt as _;
    let dir = tempfile::tempdir().unwrap();
    let mut changes = setup(dir.path(), 3);
    let inode = |p: &Path| fs::metadata(p).unwrap().ino();
    let before: Vec<u64> = changes.iter().map(|c| inode(&c.abs)).collect();
    let hard = dir.path().join("hard.txt");
    fs::hard_link(&changes[0].abs, &hard).unwrap();
    changes[1].new = "v\n".to_string();
    changes[2].new = format!("{}# longer\n", changes[2].new);
    write(&RealFs, dir.path(), &changes).unwrap();
    let after: Vec<u64> = changes.iter().map(|c| inode(&c.abs)).collect();
    assert_eq!(before, after);
    assert_eq!(fs::read_to_string(&hard).unwrap(), changes[0].new);
    for change in &changes {
        assert_eq!(fs::read_to_string(&change.abs).unwrap(), change.new);
    }
}

/// Every write of a 12-file write, made to fail in turn (torn halfway), leaves the files as
/// they were and no journal behind.
#[test]
fn every_failing_write_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    let before = tree(dir.path());
    for n in 1..=12 {
        let fs = FaultFs::new(RealFs, Fault::Write(n));
        let err = write(&fs, dir.path(), &changes).unwrap_err();
        assert!(
            matches!(&err, ApplyError::Write { path, .. } if path == &changes[n - 1].path),
            "{n}: {err}"
        );
        assert!(err.to_string().contains("injected fault"), "{err}");
        assert!(err.to_string().contains("put back"), "{err}");
        assert_eq!(tree(dir.path()), before, "write {n}");
    }
}

/// A failing journal write stops the write before any file: nothing written, no journal.
#[test]
fn a_failing_journal_write_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 5);
    let before = tree(dir.path());
    let fs = FaultFs::new(RealFs, Fault::Journal);
    let err = write(&fs, dir.path(), &changes).unwrap_err();
    assert!(matches!(err, ApplyError::Journal { .. }), "{err}");
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert_eq!(tree(dir.path()), before);
}

/// A write that fails while putting files back is reported as such, naming both files; the
/// other files are still put back, and the journal is kept: recovery finishes the job.
#[test]
fn a_failing_restore_is_reported_and_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    let before = tree(dir.path());
    // Writes 1 and 2 succeed, 3 fails; putting back the second file fails.
    let fs = FaultFs::new(FailsRestoring(RealFs), Fault::Write(3));
    let err = write(&fs, dir.path(), &changes).unwrap_err();
    assert!(
        matches!(&err, ApplyError::Restore { path, restore, .. }
            if path == &changes[2].path && restore == &changes[1].path),
        "{err}"
    );
    assert!(err.help().unwrap().contains("is kept"), "{err:?}");
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
    assert_eq!(text(2), changes[2].old, "put back");
    assert!(journal_in(dir.path()).exists(), "the journal is kept");
    let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
    assert_eq!(rolled_back(&recovery).restored, [changes[1].path.clone()]);
    assert_eq!(tree(dir.path()), before);
}

/// Fails to write the old text of `f01.txt` back into place.
#[derive(Debug)]
struct FailsRestoring(RealFs);

impl Fs for FailsRestoring {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        self.0.check(path, expected)
    }
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.read(path)
    }
    fn write_in_place(
        &self,
        target: &Path,
        contents: &[u8],
        old_len: Option<u64>,
        sync: bool,
    ) -> io::Result<()> {
        if contents == b"version = \"1.4.1\"\n" {
            return Err(io::Error::other("restore fails"));
        }
        self.0.write_in_place(target, contents, old_len, sync)
    }
    fn recreate(&self, path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
        self.0.recreate(path, contents, mode)
    }
    fn create_journal(&self, path: &Path, parts: &[&[u8]], sync: bool) -> io::Result<fs::File> {
        self.0.create_journal(path, parts, sync)
    }
    fn mark(&self, journal: &fs::File, offset: u64, bytes: &[u8]) -> io::Result<()> {
        self.0.mark(journal, offset, bytes)
    }
    fn remove_journal(&self, path: &Path, sync: bool) -> io::Result<()> {
        self.0.remove_journal(path, sync)
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
        let err = write(&RealFs, dir.path(), &changes).unwrap_err();
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
        write(&RealFs, dir.path(), &changes),
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
    let err = write(&RealFs, dir.path(), &changes).unwrap_err();
    assert!(
        matches!(&err, ApplyError::ReadOnly { path } if path == &changes[3].path),
        "{err}"
    );
    assert!(err.help().unwrap().contains("chmod u+w"));
    assert_eq!(tree(dir.path()), before);
}

/// Every file keeps its permissions, also those a umask would take away, on one thread and
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
        write(&RealFs, dir.path(), &changes).unwrap();
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
    write(&RealFs, dir.path(), &changes).unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), changes[1].new);
    assert_eq!(tree(dir.path()).len(), 3, "no journal is left");
}

/// A fault at the start, in the middle or at the end of a parallel write of [`MANY`] files
/// leaves every file byte for byte as it was and no journal behind; the error names the file
/// whose write failed.
#[test]
fn a_failing_write_of_a_parallel_write_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), MANY);
    let before = tree(dir.path());
    for n in [1, 2, 3, 17, 39, 40, 41, 63, 64, 65, MANY - 1, MANY] {
        let fs = FaultFs::new(RealFs, Fault::Write(n));
        let err = write(&fs, dir.path(), &changes).unwrap_err();
        // Which file is the Nth to start depends on the threads: the fault says which.
        let failed = fs.failed().expect("the fault was injected");
        let ApplyError::Write { path: named, .. } = &err else {
            panic!("{n}: {err}");
        };
        let change = changes.iter().find(|c| &c.path == named).unwrap();
        assert_eq!(change.abs, failed, "{n}: {err}");
        assert!(err.to_string().contains("injected fault"), "{err}");
        assert_eq!(tree(dir.path()), before, "write {n}");
    }
    // And without a fault, the same write writes every file.
    write(&RealFs, dir.path(), &changes).unwrap();
    for change in &changes {
        assert_eq!(fs::read_to_string(&change.abs).unwrap(), change.new);
    }
    assert_eq!(tree(dir.path()).len(), MANY, "no journal is left");
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
        let err = write(&RealFs, dir.path(), &changes).unwrap_err();
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
        write(&RealFs, dir.path(), &changes),
        Err(ApplyError::Changed { path }) if path == "large.txt"
    ));
    assert_eq!(tree(dir.path()), before);
    fs::write(&large, &old).unwrap();
    write(&RealFs, dir.path(), &changes).unwrap();
    assert_eq!(fs::read_to_string(&large).unwrap(), changes[3].new);
}

/// Links on several threads: a file that is a link (into another directory) is written
/// through, the link stays and nothing is left beside the link or the file; a file reached
/// through a linked directory is written in the directory the link names; a link whose file
/// is gone stops the write.
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
    write(&RealFs, dir.path(), &changes).unwrap();
    let after = tree(dir.path());
    assert_eq!(after.len(), files, "no file is left");
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
        write(&RealFs, dir.path(), &changes),
        Err(ApplyError::Changed { path }) if path == changes[70].path
    ));
    assert_eq!(tree(dir.path()), before);
}

/// A link and the file it names, both changed (two manifests that are one file): on several
/// threads as on one, the later change wins, written once.
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
        write(&RealFs, dir.path(), &changes).unwrap();
        assert_eq!(
            fs::read_to_string(&changes[1].abs).unwrap(),
            "version = \"9.9.9\"\n"
        );
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(tree(dir.path()).len(), n + 1, "no journal is left");
    }
}

/// The journal, read back at a crash at every write of a 12-file write: every file with its
/// old and new text, its mode, and the slot naming the file being written.
#[test]
fn the_journal_names_every_file_and_the_one_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    fs::set_permissions(&changes[4].abs, fs::Permissions::from_mode(0o751)).unwrap();
    let before = tree(dir.path());
    for n in 1..=12 {
        crashed(dir.path(), &changes, Fault::Crash(n));
        let bytes = fs::read(journal_in(dir.path())).unwrap();
        let Ok(Read::Whole(journal)) = journal::decode(&bytes) else {
            panic!("{n}: not a whole journal");
        };
        assert_eq!(journal.records.len(), 12);
        assert_eq!(journal.slots, [Some(n - 1)]);
        assert!(!journal.done);
        assert_eq!(journal.pid, std::process::id());
        for (record, change) in journal.records.iter().zip(&changes) {
            assert_eq!(record.shown, change.path);
            // Relative to the journal's directory.
            assert_eq!(dir.path().join(&record.path), change.abs);
            assert_eq!(record.old, change.old.as_bytes());
            assert!(record.is_new(change.new.as_bytes()));
            assert!(!record.is_new(change.old.as_bytes()));
        }
        assert_eq!(journal.records[4].mode & 0o7777, 0o751);
        recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
        assert_eq!(tree(dir.path()), before, "crash at {n}");
    }
}

/// A crash at every write of a 12-file write (the file being written left half-written),
/// then recovery: the tree is byte for byte (and mode for mode) what it was.
#[test]
fn every_crash_is_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    let modes = [0o644, 0o755, 0o600, 0o640];
    for (change, mode) in changes.iter().zip(modes.iter().cycle()) {
        fs::set_permissions(&change.abs, fs::Permissions::from_mode(*mode)).unwrap();
    }
    let before = tree(dir.path());
    for n in 1..=12 {
        crashed(dir.path(), &changes, Fault::Crash(n));
        assert_ne!(tree(dir.path()), before);
        let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
        let rolled = rolled_back(&recovery);
        let paths = |range: Range<usize>| -> Vec<String> {
            changes[range].iter().map(|c| c.path.clone()).collect()
        };
        assert_eq!(rolled.restored, paths(0..n), "crash at {n}");
        assert_eq!(rolled.unchanged, paths(n..12), "crash at {n}");
        assert!(rolled.kept.is_empty() && rolled.overwritten.is_empty());
        assert_eq!(tree(dir.path()), before, "crash at {n}");
        // Nothing is left to recover.
        assert_eq!(recover_dir(dir.path(), Edited::Refuse).unwrap(), None);
    }
}

/// On several threads, each with its slot: a crash anywhere is rolled back.
#[test]
fn a_crash_of_a_parallel_write_is_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), MANY);
    let before = tree(dir.path());
    for n in [1, 2, 40, 41, MANY - 1, MANY] {
        crashed(dir.path(), &changes, Fault::Crash(n));
        let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
        assert!(!rolled_back(&recovery).restored.is_empty());
        assert_eq!(tree(dir.path()), before, "crash at {n}");
    }
}

/// A crash while the journal is written, before any file: recovery removes the cut journal
/// and writes nothing. A crash after every file is written, before the journal is marked
/// done: every file is put back. A crash once it is marked done: the write is kept.
#[test]
fn crashes_before_and_after_the_writes() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    let before = tree(dir.path());
    crashed(dir.path(), &changes, Fault::CrashJournal);
    assert_eq!(tree(dir.path()).len(), 13, "the cut journal");
    let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
    assert_eq!(recovery.journal, Some(Outcome::Cut));
    assert_eq!(tree(dir.path()), before);

    crashed(dir.path(), &changes, Fault::CrashWritten);
    let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
    assert_eq!(rolled_back(&recovery).restored.len(), 12);
    assert_eq!(tree(dir.path()), before);

    crashed(dir.path(), &changes, Fault::CrashDone);
    let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
    assert_eq!(
        recovery.journal,
        Some(Outcome::Finished {
            pid: std::process::id(),
            files: 12
        })
    );
    let lines = recovery.lines(false);
    assert!(lines[0].1.contains("had written all 12 files"), "{lines:?}");
    for change in &changes {
        assert_eq!(fs::read_to_string(&change.abs).unwrap(), change.new);
    }
    assert_eq!(tree(dir.path()).len(), 12);
}

/// A file edited after the crash — one already written, one not written yet — is never
/// overwritten: recovery writes nothing, names both and keeps the journal; `Keep` restores
/// the others and keeps the edits; `Overwrite` restores every file.
#[test]
fn an_edited_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    let before = tree(dir.path());
    for edited in [Edited::Keep, Edited::Overwrite] {
        crashed(dir.path(), &changes, Fault::Crash(6));
        fs::write(&changes[2].abs, "edited after the crash\n").unwrap();
        fs::write(&changes[9].abs, "edited too\n").unwrap();
        let edits = tree(dir.path());
        let err = recover_dir(dir.path(), Edited::Refuse).unwrap_err();
        let ApplyError::Edited { files, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(files, &[changes[2].path.clone(), changes[9].path.clone()]);
        let message = err.to_string();
        assert!(
            message.contains("`d2/f02.txt`, `d0/f09.txt`")
                && message.contains("nothing was restored"),
            "{message}"
        );
        let help = err.help().unwrap();
        assert!(
            help.contains("git checkout -- d2/f02.txt")
                && help.contains("recover --keep-edited")
                && help.contains("recover --discard-edits"),
            "{help}"
        );
        assert_eq!(tree(dir.path()), edits, "nothing written");
        let recovery = recover_dir(dir.path(), edited).unwrap().unwrap();
        let rolled = rolled_back(&recovery);
        assert_eq!(rolled.restored.len(), 5, "f00–f05 but the edited f02");
        let mut expected = before.clone();
        if edited == Edited::Keep {
            assert_eq!(
                rolled.kept,
                [changes[2].path.clone(), changes[9].path.clone()]
            );
            for i in [2, 9] {
                let key = &changes[i].path;
                expected.insert(key.clone(), edits[key].clone());
            }
        } else {
            assert_eq!(rolled.overwritten.len(), 2);
        }
        assert_eq!(tree(dir.path()), expected, "{edited:?}");
        fs::write(&changes[2].abs, changes[2].old).unwrap();
        fs::write(&changes[9].abs, changes[9].old).unwrap();
    }
}

/// The file being written when the crash came holds neither text: it is the one exception,
/// put back without asking. A file that vanished since is named; `Overwrite` recreates it
/// with its mode.
#[test]
fn the_torn_file_is_restored_and_a_removed_one_named() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    fs::set_permissions(&changes[3].abs, fs::Permissions::from_mode(0o750)).unwrap();
    let before = tree(dir.path());
    crashed(dir.path(), &changes, Fault::Crash(8));
    let torn = fs::read_to_string(&changes[7].abs).unwrap();
    assert!(torn != changes[7].old && torn != changes[7].new, "{torn}");
    fs::remove_file(&changes[3].abs).unwrap();
    let err = recover_dir(dir.path(), Edited::Refuse).unwrap_err();
    assert!(
        matches!(&err, ApplyError::Edited { files, .. } if files == &[changes[3].path.clone()]),
        "{err}"
    );
    recover_dir(dir.path(), Edited::Overwrite).unwrap().unwrap();
    assert_eq!(tree(dir.path()), before);
}

/// A journal damaged after it was written (a flipped byte in a record) is not trusted:
/// nothing is written, the journal is kept, and the error says what to check.
#[test]
fn a_damaged_journal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 12);
    crashed(dir.path(), &changes, Fault::Crash(4));
    let path = journal_in(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x20;
    fs::write(&path, &bytes).unwrap();
    let before = tree(dir.path());
    let err = recover_dir(dir.path(), Edited::Refuse).unwrap_err();
    assert!(
        matches!(&err, ApplyError::Unreadable { error: JournalError::Damaged(why), .. } if why.contains("record 12")),
        "{err}"
    );
    assert!(err.help().unwrap().contains("git diff"), "{err:?}");
    assert_eq!(tree(dir.path()), before);
}

/// A write refuses while an interrupted write's journal is there, and writes nothing.
#[test]
fn a_write_refuses_over_a_journal() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 4);
    crashed(dir.path(), &changes, Fault::Crash(2));
    let before = tree(dir.path());
    let err = write(&RealFs, dir.path(), &changes).unwrap_err();
    assert!(matches!(err, ApplyError::Interrupted { .. }), "{err}");
    assert!(err.help().unwrap().contains("recover"));
    assert_eq!(tree(dir.path()), before);
}

/// Recovery is found from a directory below the journal's, and not where there is none.
#[test]
fn recovery_is_found_from_below() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    let below = dir.path().join("d1");
    assert_eq!(find(&below), None);
    crashed(dir.path(), &changes, Fault::Crash(3));
    assert_eq!(find(&below).as_deref(), Some(dir.path()));
    let before_crash = {
        let recovery = recover(&below, Edited::Refuse).unwrap().unwrap();
        assert_eq!(recovery.dir, dir.path());
        recovery
    };
    assert_eq!(rolled_back(&before_crash).restored.len(), 3);
    assert_eq!(find(&below), None, "journal and lock gone");
}

/// A lock file no running process holds (its run was killed) is taken over by a write, and
/// removed by recovery, which names the process it named.
#[test]
fn a_stale_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join(LOCK_FILE);
    fs::write(&lock, "4194999\n").unwrap();
    let recovery = recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
    assert_eq!(
        recovery.stale_lock,
        Some(StaleLock {
            holder: Some("4194999".to_string())
        })
    );
    assert_eq!(recovery.journal, None);
    let lines = recovery.lines(false);
    assert!(
        lines[0]
            .1
            .contains("by process 4194999, which is no longer running"),
        "{lines:?}"
    );
    assert!(!lock.exists());
    fs::write(&lock, "4194999\n").unwrap();
    let changes = setup(dir.path(), 3);
    apply(dir.path(), &changes).unwrap();
    assert!(!lock.exists());
}

/// A lock held by a running process is left alone; with a journal beside it (that process
/// is writing), recovery refuses instead of undoing a write under way.
#[test]
fn a_live_lock_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let changes = setup(dir.path(), 3);
    let held = Lock::acquire(dir.path()).unwrap();
    assert_eq!(recover_dir(dir.path(), Edited::Refuse).unwrap(), None);
    assert!(dir.path().join(LOCK_FILE).exists());
    crashed(dir.path(), &changes, Fault::Crash(2));
    let err = recover_dir(dir.path(), Edited::Refuse).unwrap_err();
    assert!(matches!(err, ApplyError::Busy { .. }), "{err}");
    assert!(
        err.to_string().contains("half-written until it ends"),
        "{err}"
    );
    drop(held);
    recover_dir(dir.path(), Edited::Refuse).unwrap().unwrap();
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
    assert!(err.to_string().contains("by process"), "{err}");
    assert!(err.help().unwrap().contains("wait"));
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
    assert!(!journal_in(dir.path()).exists());
    // Nothing to write takes no lock.
    let _held = Lock::acquire(dir.path()).unwrap();
    apply(dir.path(), &[]).unwrap();
}

#[test]
fn faults_parse() {
    assert_eq!(Fault::parse("write:3"), Some(Fault::Write(3)));
    assert_eq!(Fault::parse("crash:12"), Some(Fault::Crash(12)));
    assert_eq!(Fault::parse("crash:journal"), Some(Fault::CrashJournal));
    assert_eq!(Fault::parse("crash:written"), Some(Fault::CrashWritten));
    assert_eq!(Fault::parse("crash:done"), Some(Fault::CrashDone));
    assert_eq!(Fault::parse("journal:fail"), Some(Fault::Journal));
    assert_eq!(Fault::parse("hold:500"), Some(Fault::Hold(500)));
    assert_eq!(Fault::parse("hold"), None);
    assert_eq!(Fault::parse("write:0"), None);
    assert_eq!(Fault::parse("rename:1"), None);
    assert_eq!(Fault::parse("write:x"), None);
}

/// The journal's bytes read back as written; cut anywhere, it reads as cut; a flipped bit
/// anywhere but the slots and the state is caught.
#[test]
fn journals_round_trip_and_tell_cut_from_damaged() {
    let entries = [
        Entry {
            path: Path::new("a/Cargo.toml"),
            shown: "a/Cargo.toml",
            mode: 0o100_644,
            old: b"version = \"1.4.0\"\n",
            new: b"version = \"1.5.0\"\n",
        },
        Entry {
            path: Path::new("/abs/package.json"),
            shown: "../abs/package.json",
            mode: 0o100_600,
            old: b"",
            new: b"{}\n",
        },
    ];
    let bytes = journal::encode(&entries, 2, 42).unwrap().to_vec();
    let Ok(Read::Whole(journal)) = journal::decode(&bytes) else {
        panic!("not whole");
    };
    assert_eq!(journal.slots, [None, None]);
    assert_eq!(journal.pid, 42);
    assert!(!journal.done);
    for (record, entry) in journal.records.iter().zip(&entries) {
        assert_eq!(record.path, entry.path);
        assert_eq!(record.shown, entry.shown);
        assert_eq!(record.mode, entry.mode);
        assert_eq!(record.old, entry.old);
        assert!(record.is_new(entry.new));
    }
    for cut in 0..bytes.len() {
        assert_eq!(
            journal::decode(&bytes[..cut]),
            Ok(Read::Cut),
            "cut at {cut}"
        );
    }
    let mutable = [
        journal::STATE_OFFSET as usize..journal::STATE_OFFSET as usize + 4,
        journal::slot_offset(0) as usize..journal::slot_offset(2) as usize,
    ];
    for at in 0..bytes.len() {
        if mutable.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x04;
        assert!(
            journal::decode(&flipped).is_err(),
            "a flipped bit at {at} went unnoticed"
        );
    }
    let mut slots = bytes.clone();
    let at = journal::slot_offset(1) as usize;
    slots[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
    slots[journal::STATE_OFFSET as usize] = journal::STATE_DONE;
    let Ok(Read::Whole(journal)) = journal::decode(&slots) else {
        panic!("not whole");
    };
    assert_eq!(journal.slots, [None, Some(1)]);
    assert!(journal.done);
    assert_eq!(
        journal::decode(b"not a journal at all, but long enough to hold a header......"),
        Err(JournalError::NotAJournal)
    );
}

/// The checksum is part of the format: these values must never change. Fed in pieces, it is
/// the same as at once, wherever the pieces split.
#[test]
fn the_checksum_is_pinned() {
    assert_eq!(journal::checksum(b""), 0xd59b_c77e_f835_5e25);
    assert_eq!(journal::checksum(b"release-policy"), 0xb476_8e50_9883_eb0b);
    assert_ne!(journal::checksum(&[0; 8]), journal::checksum(&[0; 9]));
    let text: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
    let whole = journal::checksum(&text);
    for a in 0..text.len() {
        for b in [a, a + 1, a + 31, a + 33, text.len()] {
            let b = b.min(text.len());
            let mut sum = journal::Checksum::new();
            sum.update(&text[..a]);
            sum.update(&text[a..b]);
            sum.update(&text[b..]);
            assert_eq!(sum.finish(), whole, "split at {a} and {b}");
        }
    }
}

/// An old text long enough to be borrowed rather than copied (16 KiB and more) is in the
/// journal all the same, between the small ones.
#[test]
fn long_texts_are_journaled_whole() {
    let long: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let entries: Vec<Entry<'_>> = [&b"small"[..], &long, b"", &long[..16 * 1024], b"end"]
        .iter()
        .enumerate()
        .map(|(i, old)| Entry {
            path: Path::new(if i % 2 == 0 { "a" } else { "b/c" }),
            shown: "x",
            mode: 0o644,
            old,
            new: b"new",
        })
        .collect();
    let encoded = journal::encode(&entries, 3, 7).unwrap();
    assert!(encoded.parts().len() > 1, "the long texts are borrowed");
    let Ok(Read::Whole(journal)) = journal::decode(&encoded.to_vec()) else {
        panic!("not whole");
    };
    for (record, entry) in journal.records.iter().zip(&entries) {
        assert_eq!(record.old, entry.old);
        assert!(record.is_new(b"new"));
    }
}
