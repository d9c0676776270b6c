//! A fast hash for the tool's own lookup tables.
//!
//! The keys (package names, field keys and values, lockfile entries) are short and come from
//! the repository being checked, where `SipHash`'s resistance to chosen keys buys nothing and
//! costs more than the lookup. `foldhash` (what hashbrown uses by default) with a fixed seed
//! keeps runs reproducible.

/// Builds the hashers of the tool's tables: `HashMap<K, V, FastBuildHasher>`.
pub(crate) type FastBuildHasher = foldhash::fast::FixedState;

/// A map keyed by the repository's names and paths.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FastBuildHasher>;

/// A set of the repository's names and paths.
pub(crate) type FastSet<T> = std::collections::HashSet<T, FastBuildHasher>;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher as _;

    use super::FastBuildHasher;

    /// Keys that share long prefixes (p00000…p09999, NuGet ids, lockfile keys) spread over
    /// the bits hashbrown uses: the low ones pick the bucket, the top 7 the tag.
    #[test]
    fn similar_keys_spread() {
        let build = FastBuildHasher::default();
        for shape in ["p{:05}", "Bench.P{:05}", "node_modules/@bench/p{:05}"] {
            let hashes: Vec<u64> = (0..10_000)
                .map(|i| build.hash_one(shape.replace("{:05}", &format!("{i:05}"))))
                .collect();
            let low: HashSet<u64> = hashes.iter().map(|h| h & 0x3ff).collect();
            let top: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
            assert!(low.len() > 900, "{shape}: {} of 1024 low values", low.len());
            assert_eq!(top.len(), 128, "{shape}");
        }
    }
}
