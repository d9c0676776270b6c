//! The editors' lookup tables hash with `foldhash` under a fixed seed: the keys (field keys,
//! package names, lockfile entries) are short and come from the file being read, where
//! `SipHash`'s resistance to chosen keys buys nothing, and a fixed seed keeps runs
//! reproducible. (The binary's crate has the same aliases, with the test that the keys spread.)

/// Builds the hashers of the editors' tables: `HashMap<K, V, FastBuildHasher>`.
pub(crate) type FastBuildHasher = foldhash::fast::FixedState;

/// A map keyed by names read from a file.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FastBuildHasher>;
