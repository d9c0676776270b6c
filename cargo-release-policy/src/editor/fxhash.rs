//! A fast hash for the tool's own lookup tables.

use std::hash::{BuildHasherDefault, Hasher};

/// Builds [`FxHasher`]s: `HashMap<K, V, FxBuildHasher>`.
pub(crate) type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// The multiply-add hash rustc uses for its own tables (`rustc-hash` 2's `FxHasher`, one
/// word at a time): the keys (package names, field keys and values) are short and come from
/// the repository, where `SipHash`'s resistance to chosen keys buys nothing and costs more
/// than the lookup. The final rotation brings the well-mixed middle bits of the product to
/// where hashbrown looks (the low bits pick the bucket, the top 7 the tag).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        self.0 = self.0.wrapping_add(word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher as _;

    use super::*;

    #[test]
    fn spreads_short_keys() {
        let build = FxBuildHasher::default();
        let families: [fn(usize) -> u64; 3] = [
            |i| FxBuildHasher::default().hash_one(format!("p{i:05}")),
            |i| FxBuildHasher::default().hash_one(format!("Bench.P{i:05}")),
            |i| {
                let key = format!("packages[\"node_modules/@bench/p{i:05}\"].version");
                FxBuildHasher::default().hash_one((&key, "1.4.0", i % 3))
            },
        ];
        for family in families {
            let hashes: HashSet<u64> = (0..10_000).map(family).collect();
            assert_eq!(hashes.len(), 10_000);
            // hashbrown picks buckets with the low bits and tags with the top 7.
            let low: HashSet<u64> = hashes.iter().map(|h| h & 0x3ff).collect();
            let top: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
            assert!(low.len() > 1000, "{}", low.len());
            assert_eq!(top.len(), 128);
        }
        assert_eq!(build.hash_one("a"), FxBuildHasher::default().hash_one("a"));
    }
}
