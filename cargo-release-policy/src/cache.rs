//! `check`'s answer, remembered until anything it read changes.
//!
//! `check` runs on every commit, and most commits change no manifest. After a `check` that
//! passes, its output is kept in the user's cache directory together with the identity of
//! every file it read and every directory it looked into (device, inode, size, modification
//! and status-change times, as git's index keeps them). The next `check` with the same
//! arguments, from the same directory, by the same binary, asks the file system for those
//! identities only — one `stat` each, no read, no parse — and when every one is unchanged
//! prints the remembered output.
//!
//! What keeps it honest:
//! - a file or directory whose time is not older than two seconds before the run started
//!   may still change within the file system's timestamp granularity: such a run is not
//!   remembered (git's "racily clean" rule);
//! - a directory's times change when an entry is added, removed or renamed in it, so a new
//!   manifest matching a glob, a lockfile appearing beside a manifest or a new ignore file
//!   is noticed through the directory that holds it;
//! - the status-change time cannot be set back by a program (`touch -d` and `cp -p` set the
//!   modification time only), and a file replaced by a rename has a new inode;
//! - only passing runs are remembered, with human output; `--format json`, `--tag`, a
//!   workspace resolved by `cargo metadata`, or a `**` glob (its walk is not recorded) are
//!   never remembered; `RELEASE_POLICY_CACHE=off` or `check --no-cache` turns it off;
//! - a cache that cannot be read or written is ignored: the full check runs.
//!
//! The only other modules writing to disk are [`crate::apply`] and [`crate::git`]; this one
//! writes only below the cache directory (`$XDG_CACHE_HOME/cargo-release-policy`, else
//! `~/.cache/cargo-release-policy`), never in the repository.

use std::fmt::Write as _;
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::load::expand::Consulted;

use crate::load::source::FileId as Identity;

/// How recent a time may be, before the run started, and still be trusted not to change
/// unseen.
const RACY: Duration = Duration::from_secs(2);

const FORMAT: &str = "cargo-release-policy check cache 1";

fn identity(path: &Path) -> Option<Identity> {
    Identity::of(&std::fs::metadata(crate::fspath::os(path)).ok()?)
}

/// What a remembered answer is for: the tool, the arguments, where it ran.
#[derive(Debug, Clone)]
pub struct Key {
    text: String,
    file: PathBuf,
}

impl Key {
    /// The key of a `check` run with these settings (each `arg` a line), or `None` when
    /// caching is off or there is nowhere to keep it.
    pub fn new(args: &[String]) -> Option<Key> {
        if std::env::var_os("RELEASE_POLICY_CACHE").is_some_and(|v| v == "off" || v == "0") {
            return None;
        }
        let dir = cache_dir()?;
        let cwd = std::env::current_dir().ok()?;
        let exe = std::env::current_exe().ok()?;
        let exe_id = identity(&exe)?;
        let mut text = String::new();
        let _ = writeln!(text, "{FORMAT}");
        let _ = writeln!(text, "version {}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(
            text,
            "exe {} {} {} {}",
            exe.display(),
            exe_id.ino,
            exe_id.size,
            exe_id.mtime_ns
        );
        let _ = writeln!(text, "cwd {}", cwd.display());
        for arg in args {
            let _ = writeln!(text, "arg {}", arg.replace('\n', " "));
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut hasher);
        let file = dir.join(format!("check-{:016x}", hasher.finish()));
        Some(Key { text, file })
    }

    /// The remembered output, when every file and directory it depended on is unchanged.
    pub fn lookup(&self) -> Option<String> {
        let stored = std::fs::read_to_string(&self.file).ok()?;
        let rest = stored.strip_prefix(&self.text)?;
        let (entries, output) = rest.split_once("\n--\n")?;
        let entries: Vec<(&str, Option<Identity>)> =
            entries.lines().map(parse_entry).collect::<Option<_>>()?;
        let unchanged = crate::par::map(&entries, |(path, was)| match was {
            Some(was) => identity(Path::new(path)).is_some_and(|now| now == *was),
            None => std::fs::symlink_metadata(crate::fspath::os(Path::new(path)))
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound),
        });
        unchanged
            .into_iter()
            .all(|same| same)
            .then(|| output.to_string())
    }

    /// Remember `output` for this key, depending on `consulted` (and the directories from
    /// the current one up, where the workspace was looked for), when nothing in it is too
    /// recent to trust. Best effort: a failure leaves no cache, and says nothing.
    pub fn store(
        &self,
        consulted: &Consulted,
        repo_root: &Path,
        output: &str,
        started: SystemTime,
    ) {
        let Some(text) = self.render(consulted, repo_root, output, started) else {
            return;
        };
        let Some(dir) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let temp = dir.join(format!(
            ".{}.{}.tmp",
            self.file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        if std::fs::write(&temp, text).is_ok() && std::fs::rename(&temp, &self.file).is_ok() {
            return;
        }
        let _ = std::fs::remove_file(&temp);
    }

    /// The cache file's text: the key, then a line per file or directory (its identity and
    /// path; `- path` for a path that must stay absent), `--`, and the output.
    ///
    /// Directories are watched inside the repository only: above it, a busy directory like
    /// `/tmp` would change all the time. There, what the tool asked for is watched
    /// instead: that no `Cargo.toml` (a workspace holding this one) appears, nor a `.git`
    /// (another repository root) when the repository root holds none.
    fn render(
        &self,
        consulted: &Consulted,
        repo_root: &Path,
        output: &str,
        started: SystemTime,
    ) -> Option<String> {
        let since_epoch = started.duration_since(SystemTime::UNIX_EPOCH).ok()?;
        let trusted_before = i128::try_from(since_epoch.saturating_sub(RACY).as_nanos()).ok()?;
        if !consulted
            .files
            .iter()
            .all(|(f, _)| f.starts_with(repo_root))
        {
            return None; // a path dependency outside the repository: not watched
        }
        let cwd = std::env::current_dir().ok()?;
        // Each path with its identity when reading it took one (what was read is what
        // counts), else asked now.
        let mut paths: Vec<(&Path, Option<Identity>)> = consulted
            .files
            .iter()
            .map(|(path, id)| (path.as_path(), *id))
            .chain(consulted.dirs.iter().map(|dir| (dir.as_path(), None)))
            .chain(cwd.ancestors().map(|dir| (dir, None)))
            .filter(|(path, _)| path.starts_with(repo_root))
            .collect();
        paths.sort_unstable_by(|(a, a_id), (b, b_id)| {
            (a.as_os_str(), a_id.is_none()).cmp(&(b.as_os_str(), b_id.is_none()))
        });
        paths.dedup_by(|(a, _), (b, _)| a == b);
        // The repository root is the nearest directory holding `.git`: one above it matters
        // only while the root holds none.
        let names: &[&str] = if repo_root.join(".git").exists() {
            &["Cargo.toml"]
        } else {
            &["Cargo.toml", ".git"]
        };
        let absent: Vec<PathBuf> = repo_root
            .ancestors()
            .skip(1)
            .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
            .collect();
        if absent.iter().any(|path| path.exists()) {
            return None; // a `Cargo.toml` above the repository: leave it to a full check
        }
        let identities = crate::par::map(&paths, |(path, known)| known.or_else(|| identity(path)));
        let mut text = self.text.clone();
        for path in &absent {
            let path = path.to_str().filter(|p| !p.contains('\n'))?;
            let _ = writeln!(text, "- {path}");
        }
        for ((path, _), id) in paths.iter().zip(identities) {
            let id = id?;
            if id.mtime_ns >= trusted_before || id.ctime_ns >= trusted_before {
                return None;
            }
            let path = path.to_str().filter(|p| !p.contains('\n'))?;
            let _ = writeln!(
                text,
                "{} {} {} {} {} {path}",
                id.dev, id.ino, id.size, id.mtime_ns, id.ctime_ns
            );
        }
        text.push_str("--\n");
        text.push_str(output);
        Some(text)
    }
}

/// A line of the cache file: a path with its identity, or a path that must stay absent.
fn parse_entry(line: &str) -> Option<(&str, Option<Identity>)> {
    if let Some(path) = line.strip_prefix("- ") {
        return Some((path, None));
    }
    let mut parts = line.splitn(6, ' ');
    let mut next = || parts.next();
    let dev = next()?.parse().ok()?;
    let ino = next()?.parse().ok()?;
    let size = next()?.parse().ok()?;
    let mtime_ns = next()?.parse().ok()?;
    let ctime_ns = next()?.parse().ok()?;
    let path = next()?;
    Some((
        path,
        Some(Identity {
            dev,
            ino,
            size,
            mtime_ns,
            ctime_ns,
        }),
    ))
}

/// `$XDG_CACHE_HOME/cargo-release-policy`, else `$HOME/.cache/cargo-release-policy`.
fn cache_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
    };
    Some(base.join("cargo-release-policy"))
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn consulted(root: &Path) -> Consulted {
        Consulted {
            dirs: vec![root.to_path_buf(), root.join("a")],
            files: vec![(root.join("a/package.json"), None)],
        }
    }

    fn old(path: &Path) {
        let then = SystemTime::now() - Duration::from_secs(60);
        let file = std::fs::File::options().read(true).open(path).unwrap();
        file.set_modified(then).unwrap();
    }

    #[test]
    fn remembers_until_a_file_or_directory_changes() {
        let cache = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/package.json"), "{}").unwrap();
        let key = Key {
            text: format!("{FORMAT}\narg test\n"),
            file: cache.path().join("check-test"),
        };
        // Everything was just written: too recent to trust.
        key.store(&consulted(root), root, "ok\n", SystemTime::now());
        assert!(key.lookup().is_none());
        // Two seconds on, it is remembered.
        let later = SystemTime::now() + Duration::from_secs(3);
        key.store(&consulted(root), root, "ok\n", later);
        assert_eq!(key.lookup().as_deref(), Some("ok\n"));
        // A changed file (same size, times set back) is noticed by its status-change time.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(root.join("a/package.json"), "[]").unwrap();
        old(&root.join("a/package.json"));
        assert!(key.lookup().is_none());
        key.store(
            &consulted(root),
            root,
            "ok\n",
            SystemTime::now() + Duration::from_secs(3),
        );
        assert!(key.lookup().is_some());
        // A new file in a directory looked into is noticed by the directory.
        std::fs::write(root.join("a/package-lock.json"), "{}").unwrap();
        assert!(key.lookup().is_none());
        key.store(
            &consulted(root),
            root,
            "ok\n",
            SystemTime::now() + Duration::from_secs(3),
        );
        assert!(key.lookup().is_some());
        // A removed file too.
        std::fs::remove_file(root.join("a/package.json")).unwrap();
        assert!(key.lookup().is_none());
    }

    #[test]
    fn another_key_or_a_damaged_cache_is_a_miss() {
        let cache = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/package.json"), "{}").unwrap();
        let key = |arg: &str| Key {
            text: format!("{FORMAT}\narg {arg}\n"),
            file: cache.path().join("check-test"),
        };
        key("one").store(
            &consulted(root),
            root,
            "ok\n",
            SystemTime::now() + Duration::from_secs(3),
        );
        assert!(key("one").lookup().is_some());
        assert!(key("two").lookup().is_none());
        let stored = std::fs::read_to_string(cache.path().join("check-test")).unwrap();
        std::fs::write(
            cache.path().join("check-test"),
            stored.replace(" 2 ", " x "),
        )
        .unwrap();
        let damaged = std::fs::read_to_string(cache.path().join("check-test")).unwrap();
        std::fs::write(
            cache.path().join("check-test"),
            &damaged[..damaged.len() / 2],
        )
        .unwrap();
        assert!(key("one").lookup().is_none());
    }

    #[test]
    fn a_repository_inside_another_is_remembered() {
        let cache = tempfile::tempdir().unwrap();
        let outer = tempfile::tempdir().unwrap();
        std::fs::create_dir(outer.path().join(".git")).unwrap();
        let root = outer.path().join("repo");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/package.json"), "{}").unwrap();
        let key = Key {
            text: format!("{FORMAT}\narg nested\n"),
            file: cache.path().join("check-nested"),
        };
        let later = SystemTime::now() + Duration::from_secs(3);
        key.store(&consulted(&root), &root, "ok\n", later);
        assert_eq!(key.lookup().as_deref(), Some("ok\n"));
        // Without its own `.git`, the outer one would make it part of the outer repository.
        std::fs::remove_dir(root.join(".git")).unwrap();
        key.store(&consulted(&root), &root, "ok\n", later);
        assert!(
            key.lookup().is_none(),
            "the root changed, and a `.git` exists above"
        );
    }
}
