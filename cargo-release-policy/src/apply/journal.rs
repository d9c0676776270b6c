//! The write journal's file format: what [`super::apply`] writes before the first in-place
//! write, and what recovery reads back.
//!
//! One file, written whole (one `write`), then synced, before any target is touched:
//!
//! ```text
//! offset  size  field
//!      0    16  magic: "release-policy\0j"
//!     16     4  format version (1)
//!     20     4  slots: S, one per writing thread
//!     24     8  records: R
//!     32     8  the file's length as written (header, slots and records)
//!     40     4  the writing process's id (shown to people only)
//!     44     1  state: 0 writing, 1 every file written            (changes; not checksummed)
//!     45     3  zero                                              (not checksummed)
//!     48     8  checksum of bytes 0..44
//!     56    8S  each slot: the record its thread is writing, or u64::MAX (changes; not checksummed)
//! 56 + 8S       R records, each:
//!                 8  payload length L
//!                 8  checksum of the payload
//!                 L  payload: mode u32, path (u32 length + bytes), shown path (u32 + UTF-8),
//!                    old text (u64 length + bytes), new text's length u64 and checksum u64
//! ```
//!
//! Integers are little-endian. A path is joined to the journal's directory when it is
//! relative (absolute otherwise).
//!
//! Why each part: the declared length tells a journal cut short while it was written (a crash
//! before any target was touched: shorter than declared) from one damaged later (as long as
//! declared, a checksum wrong); the checksums catch a torn or garbled record; the slots say
//! which file was being written when a crash came (the only file allowed to hold neither its
//! old nor its new text), and the state byte says the write had finished. Slots and state are
//! rewritten in place, one aligned `pwrite` each, so they never tear.
//!
//! The old text is kept whole, to put it back; the new text only as its length and checksum,
//! enough to tell that a file holds it (recovery rolls back, never forward): half the bytes to
//! write and sync before the first file is touched.

use std::path::{Path, PathBuf};

/// The journal's first bytes.
pub const MAGIC: &[u8; 16] = b"release-policy\0j";

/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// Where the state byte is.
pub const STATE_OFFSET: u64 = 44;

/// The state byte once every file has been written.
pub const STATE_DONE: u8 = 1;

/// Where the slots start.
const SLOTS_OFFSET: usize = 56;

/// A slot whose thread is writing nothing.
pub const IDLE: u64 = u64::MAX;

/// One file in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file to write (or restore): relative to the journal's directory, or absolute.
    pub path: PathBuf,
    /// As shown to people.
    pub shown: String,
    /// Its permission bits when it was checked (to recreate it, should it vanish).
    pub mode: u32,
    pub old: Vec<u8>,
    /// The new text's length and [`checksum`].
    pub new_len: u64,
    pub new_sum: u64,
}

impl Record {
    /// Whether `bytes` are the new text (its length and checksum).
    pub fn is_new(&self, bytes: &[u8]) -> bool {
        bytes.len() as u64 == self.new_len && checksum(bytes) == self.new_sum
    }
}

/// A journal as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub records: Vec<Record>,
    /// For each writing thread, the record it was writing (`None` when idle).
    pub slots: Vec<Option<usize>>,
    /// Whether every file had been written.
    pub done: bool,
    /// The process that wrote it.
    pub pid: u32,
}

/// What a journal file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// A journal written in full.
    Whole(Journal),
    /// A journal cut short while it was being written: no target had been written yet.
    Cut,
}

/// Why a journal cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("it is not a write journal of cargo-release-policy")]
    NotAJournal,
    #[error("it was written by another version of cargo-release-policy (journal format {0})")]
    Version(u32),
    #[error("it is damaged: {0}")]
    Damaged(String),
    #[error("the path `{0}` cannot be written in a journal on this platform (not UTF-8)")]
    Path(String),
}

impl JournalError {
    /// How to go on, when there is something to say.
    pub fn help(&self) -> Option<String> {
        match self {
            JournalError::Version(_) => Some(
                "run the version of cargo-release-policy that was interrupted to recover it"
                    .to_string(),
            ),
            JournalError::NotAJournal | JournalError::Damaged(_) => Some(
                "the files it names may be half-written: compare them with their last committed \
                 version (`git diff`), put them right, then remove the journal"
                    .to_string(),
            ),
            JournalError::Path(_) => None,
        }
    }
}

/// The offset of slot `slot` in the file.
pub fn slot_offset(slot: usize) -> u64 {
    (SLOTS_OFFSET + 8 * slot) as u64
}

/// The bytes of a journal for these files, `slots` slots all idle, state "writing".
pub fn encode(files: &[Entry<'_>], slots: usize, pid: u32) -> Result<Vec<u8>, JournalError> {
    let paths: Vec<&[u8]> = files
        .iter()
        .map(|f| path_bytes(f.path))
        .collect::<Result<_, _>>()?;
    let records_len: usize = files
        .iter()
        .zip(&paths)
        .map(|(f, path)| 16 + payload_len(path, f))
        .sum();
    let total = SLOTS_OFFSET + 8 * slots + records_len;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(slots as u32).to_le_bytes());
    out.extend_from_slice(&(files.len() as u64).to_le_bytes());
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&pid.to_le_bytes());
    let header_sum = checksum(&out);
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&header_sum.to_le_bytes());
    for _ in 0..slots {
        out.extend_from_slice(&IDLE.to_le_bytes());
    }
    for (file, path) in files.iter().zip(&paths) {
        let len = payload_len(path, file);
        out.extend_from_slice(&(len as u64).to_le_bytes());
        let sum_at = out.len();
        out.extend_from_slice(&[0; 8]);
        let start = out.len();
        out.extend_from_slice(&file.mode.to_le_bytes());
        out.extend_from_slice(&(path.len() as u32).to_le_bytes());
        out.extend_from_slice(path);
        out.extend_from_slice(&(file.shown.len() as u32).to_le_bytes());
        out.extend_from_slice(file.shown.as_bytes());
        out.extend_from_slice(&(file.old.len() as u64).to_le_bytes());
        out.extend_from_slice(file.old);
        out.extend_from_slice(&(file.new.len() as u64).to_le_bytes());
        out.extend_from_slice(&checksum(file.new).to_le_bytes());
        let sum = checksum(&out[start..]);
        out[sum_at..start].copy_from_slice(&sum.to_le_bytes());
    }
    Ok(out)
}

/// One file to put in a journal.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub path: &'a Path,
    pub shown: &'a str,
    pub mode: u32,
    pub old: &'a [u8],
    pub new: &'a [u8],
}

fn payload_len(path: &[u8], file: &Entry<'_>) -> usize {
    4 + 4 + path.len() + 4 + file.shown.len() + 8 + file.old.len() + 8 + 8
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)]
fn path_bytes(path: &Path) -> Result<&[u8], JournalError> {
    use std::os::unix::ffi::OsStrExt as _;
    Ok(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Result<&[u8], JournalError> {
    path.to_str()
        .map(str::as_bytes)
        .ok_or_else(|| JournalError::Path(path.display().to_string()))
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)]
fn path_from(bytes: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt as _;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn path_from(bytes: &[u8]) -> Option<PathBuf> {
    std::str::from_utf8(bytes).ok().map(PathBuf::from)
}

/// Read a journal's bytes.
pub fn decode(bytes: &[u8]) -> Result<Read, JournalError> {
    // A header cut short: cut while written, if what there is matches what is written first.
    if bytes.len() < SLOTS_OFFSET {
        let magic = &MAGIC[..bytes.len().min(MAGIC.len())];
        return if bytes.starts_with(magic) {
            Ok(Read::Cut)
        } else {
            Err(JournalError::NotAJournal)
        };
    }
    let mut header = Cursor::new(bytes);
    if header.take(16) != Some(&MAGIC[..]) {
        return Err(JournalError::NotAJournal);
    }
    let version = header.u32().unwrap_or_default();
    let slots = header.u32().unwrap_or_default() as usize;
    let records = header.u64().unwrap_or_default();
    let total = header.u64().unwrap_or_default();
    let pid = header.u32().unwrap_or_default();
    let state = bytes[STATE_OFFSET as usize];
    let stored = Cursor::new(&bytes[48..]).u64().unwrap_or_default();
    if checksum(&bytes[..44]) != stored {
        return Err(JournalError::Damaged(
            "its header's checksum is wrong".to_string(),
        ));
    }
    if version != VERSION {
        return Err(JournalError::Version(version));
    }
    match usize::try_from(total) {
        Ok(total) if total == bytes.len() => {}
        Ok(total) if total > bytes.len() => return Ok(Read::Cut),
        _ => {
            return Err(JournalError::Damaged(format!(
                "{} bytes long, its header says {total}",
                bytes.len()
            )))
        }
    }
    let body = SLOTS_OFFSET
        .checked_add(slots.saturating_mul(8))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| JournalError::Damaged("too short for its slots".to_string()))?;
    let mut cursor = Cursor::new(&bytes[SLOTS_OFFSET..]);
    let slots = (0..slots)
        .map(|_| {
            let value = cursor.u64().unwrap_or(IDLE);
            usize::try_from(value)
                .ok()
                .filter(|&i| value != IDLE && (i as u64) < records)
        })
        .collect();
    let mut cursor = Cursor::new(&bytes[body..]);
    let mut out = Vec::new();
    for n in 0..records {
        let damaged = |what: &str| JournalError::Damaged(format!("record {}: {what}", n + 1));
        let len = cursor
            .u64()
            .and_then(|l| usize::try_from(l).ok())
            .ok_or_else(|| damaged("cut short"))?;
        let sum = cursor.u64().ok_or_else(|| damaged("cut short"))?;
        let payload = cursor.take(len).ok_or_else(|| damaged("cut short"))?;
        if checksum(payload) != sum {
            return Err(damaged("its checksum is wrong"));
        }
        out.push(record(payload).ok_or_else(|| damaged("malformed"))?);
    }
    if !cursor.rest().is_empty() {
        return Err(JournalError::Damaged(
            "bytes after its last record".to_string(),
        ));
    }
    Ok(Read::Whole(Journal {
        records: out,
        slots,
        done: state == STATE_DONE,
        pid,
    }))
}

fn record(payload: &[u8]) -> Option<Record> {
    let mut cursor = Cursor::new(payload);
    let mode = cursor.u32()?;
    let len = cursor.u32()? as usize;
    let path = path_from(cursor.take(len)?)?;
    let len = cursor.u32()? as usize;
    let shown = String::from_utf8(cursor.take(len)?.to_vec()).ok()?;
    let len = usize::try_from(cursor.u64()?).ok()?;
    let old = cursor.take(len)?.to_vec();
    let new_len = cursor.u64()?;
    let new_sum = cursor.u64()?;
    cursor.rest().is_empty().then_some(Record {
        path,
        shown,
        mode,
        old,
        new_len,
        new_sum,
    })
}

/// Reads integers and byte runs off a slice; `None` past its end.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        let mut word = [0; 4];
        word.copy_from_slice(self.take(4)?);
        Some(u32::from_le_bytes(word))
    }

    fn u64(&mut self) -> Option<u64> {
        let mut word = [0; 8];
        word.copy_from_slice(self.take(8)?);
        Some(u64::from_le_bytes(word))
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes
    }
}

/// A 64-bit checksum of `bytes`: eight bytes at a time, multiplied in, with a final mix.
///
/// It guards against torn and garbled writes, not against tampering. Its own (not a crate's
/// hash, whose output may change between versions): a journal may be read by a later build
/// than the one that wrote it. A test pins its values.
pub fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (bytes.len() as u64).wrapping_mul(K) ^ 0x5851_F42D_4C95_7F2D;
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
        h ^= h >> 29;
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        let mut word = [0; 8];
        word[..tail.len()].copy_from_slice(tail);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
        h ^= h >> 29;
    }
    // splitmix64's finaliser: every input bit reaches every output bit.
    h ^= h >> 30;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}
