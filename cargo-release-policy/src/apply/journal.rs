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

/// The name of the journal, beside the lock.
pub const JOURNAL_FILE: &str = ".release-policy.journal";

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

/// A journal's bytes, ready to write: small parts copied into one buffer, and the old texts
/// of large files borrowed where they are (a 10 MB lockfile is not copied again).
#[derive(Debug)]
pub struct Encoded<'a> {
    buffer: Vec<u8>,
    /// Where in `buffer` each borrowed text goes, in order.
    borrowed: Vec<(usize, &'a [u8])>,
}

impl Encoded<'_> {
    /// The bytes, in order, as slices to write one after the other.
    // proof: each `at` in `borrowed` is `buffer.len()` when it was pushed (`encode`), so they rise
    // and stay within `buffer`.
    #[allow(clippy::indexing_slicing)]
    pub fn parts(&self) -> Vec<&[u8]> {
        let mut parts = Vec::with_capacity(2 * self.borrowed.len() + 1);
        let mut from = 0;
        for &(at, text) in &self.borrowed {
            parts.push(&self.buffer[from..at]);
            parts.push(text);
            from = at;
        }
        parts.push(&self.buffer[from..]);
        parts
    }

    /// All the bytes in one buffer.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        self.parts().concat()
    }
}

/// Old texts at least this long are borrowed, not copied, by [`encode`].
const BORROW: usize = 16 * 1024;

/// The bytes of a journal for these files, `slots` slots all idle, state "writing". The
/// checksums, most of the work, are computed on all cores.
pub fn encode<'a>(
    files: &[Entry<'a>],
    slots: usize,
    pid: u32,
) -> Result<Encoded<'a>, JournalError> {
    let paths: Vec<&[u8]> = files
        .iter()
        .map(|f| path_bytes(f.path))
        .collect::<Result<_, _>>()?;
    let heads: Vec<(Vec<u8>, Vec<u8>)> = files
        .iter()
        .zip(&paths)
        .map(|(file, path)| {
            let mut head = Vec::with_capacity(28 + path.len() + file.shown.len());
            head.extend_from_slice(&file.mode.to_le_bytes());
            head.extend_from_slice(&(path.len() as u32).to_le_bytes());
            head.extend_from_slice(path);
            head.extend_from_slice(&(file.shown.len() as u32).to_le_bytes());
            head.extend_from_slice(file.shown.as_bytes());
            head.extend_from_slice(&(file.old.len() as u64).to_le_bytes());
            let mut tail = Vec::with_capacity(16);
            tail.extend_from_slice(&(file.new.len() as u64).to_le_bytes());
            (head, tail)
        })
        .collect();
    // Each record's head (up to the old text) and tail (the new text's length).
    let jobs: Vec<_> = files.iter().zip(&heads).collect();
    let sums: Vec<(u64, u64)> = crate::par::map(&jobs, |(file, (head, tail))| {
        let new_sum = checksum(file.new);
        let mut payload = Checksum::new();
        payload.update(head);
        payload.update(file.old);
        payload.update(tail);
        payload.update(&new_sum.to_le_bytes());
        (new_sum, payload.finish())
    });
    let records_len: usize = heads
        .iter()
        .zip(files)
        .map(|((head, tail), file)| 16 + head.len() + file.old.len() + tail.len() + 8)
        .sum();
    let total = SLOTS_OFFSET + 8 * slots + records_len;
    let borrowed_len: usize = files
        .iter()
        .filter(|f| f.old.len() >= BORROW)
        .map(|f| f.old.len())
        .sum();
    let mut out = Vec::with_capacity(total - borrowed_len);
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
    let mut borrowed = Vec::new();
    for ((file, (head, tail)), (new_sum, sum)) in files.iter().zip(&heads).zip(sums) {
        let len = head.len() + file.old.len() + tail.len() + 8;
        out.extend_from_slice(&(len as u64).to_le_bytes());
        out.extend_from_slice(&sum.to_le_bytes());
        out.extend_from_slice(head);
        if file.old.len() < BORROW {
            out.extend_from_slice(file.old);
        } else {
            borrowed.push((out.len(), file.old));
        }
        out.extend_from_slice(tail);
        out.extend_from_slice(&new_sum.to_le_bytes());
    }
    Ok(Encoded {
        buffer: out,
        borrowed,
    })
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
// proof: past the first check `bytes.len() >= SLOTS_OFFSET` (56), above `STATE_OFFSET` (44) and 48;
// `MAGIC` is cut to at most its length; `body` is checked to be at most `bytes.len()`.
#[allow(clippy::indexing_slicing)]
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

/// A 64-bit checksum of `bytes`: see [`Checksum`].
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    sum.update(bytes);
    sum.finish()
}

/// A 64-bit checksum, fed in pieces: four lanes, each multiplying in one 8-byte word of every
/// 32 bytes (independent, so the processor works on the four at once: a 10 MB lockfile's
/// text in ~1.5 ms), then the lanes and the length mixed together.
///
/// It guards against torn and garbled writes, not against tampering. Its own (not a crate's
/// hash, whose output may change between versions): a journal may be read by a later build
/// than the one that wrote it. A test pins its values.
#[derive(Debug, Clone)]
pub struct Checksum {
    lanes: [u64; 4],
    pending: [u8; 32],
    buffered: usize,
    len: u64,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Default for Checksum {
    fn default() -> Self {
        Checksum::new()
    }
}

impl Checksum {
    pub fn new() -> Checksum {
        Checksum {
            lanes: [
                0x5851_F42D_4C95_7F2D,
                0x1405_7B7E_F767_814F,
                0x2545_F491_4F6C_DD1D,
                0x9FB2_1C65_1E98_DF25,
            ],
            pending: [0; 32],
            buffered: 0,
            len: 0,
        }
    }

    // proof: `take` is at most `32 - buffered` and `bytes.len()`; a `chunks_exact(32)` remainder is
    // shorter than 32 (`pending`'s length).
    #[allow(clippy::indexing_slicing)]
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.buffered > 0 {
            let take = bytes.len().min(32 - self.buffered);
            self.pending[self.buffered..self.buffered + take].copy_from_slice(&bytes[..take]);
            self.buffered += take;
            bytes = &bytes[take..];
            if self.buffered < 32 {
                return;
            }
            let block = self.pending;
            self.block(&block);
            self.buffered = 0;
        }
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            self.block(block);
        }
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    fn block(&mut self, block: &[u8]) {
        for (lane, word) in self.lanes.iter_mut().zip(block.chunks_exact(8)) {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(word);
            *lane = (*lane ^ u64::from_le_bytes(bytes)).wrapping_mul(K);
            *lane ^= *lane >> 29;
        }
    }

    // proof: `buffered` is below 32, the length of `pending` and `block` (`update` keeps it so).
    #[allow(clippy::indexing_slicing)]
    pub fn finish(mut self) -> u64 {
        if self.buffered > 0 {
            let mut block = [0; 32];
            block[..self.buffered].copy_from_slice(&self.pending[..self.buffered]);
            self.block(&block);
        }
        let mut h = self.len.wrapping_mul(K);
        for lane in self.lanes {
            h = (h ^ lane).wrapping_mul(K);
            h ^= h >> 29;
        }
        // splitmix64's finaliser: every input bit reaches every output bit.
        h ^= h >> 30;
        h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= h >> 27;
        h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^ (h >> 31)
    }
}
