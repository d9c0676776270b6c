//! What a write syncs to the disk.

/// What a write syncs to the disk, from `RELEASE_POLICY_SYNC` (docs/guarantees.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `none`: nothing; a process crash is still recovered, a power cut may not be.
    None,
    /// `journal` (the default): the journal and its directory, before the first file is
    /// written.
    #[default]
    Journal,
    /// `all`: also every file written, before the journal is removed, and the removal.
    All,
}

impl Durability {
    pub fn from_env() -> Durability {
        match std::env::var("RELEASE_POLICY_SYNC").as_deref() {
            Ok("none") => Durability::None,
            Ok("all") => Durability::All,
            _ => Durability::Journal,
        }
    }

    pub(super) fn journal(self) -> bool {
        self != Durability::None
    }

    pub(super) fn files(self) -> bool {
        self == Durability::All
    }
}
