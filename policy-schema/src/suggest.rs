//! "Did you mean" for unknown keys and values.

/// The candidate closest to `word`, if it is close enough to be a likely typo: an edit distance
/// (insertions, deletions, substitutions, transpositions of neighbours) of at most a third of the
/// longer word, and at least 1. Case and `_` versus `-` do not count.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let normalized = normalize(word);
    candidates
        .into_iter()
        .map(|candidate| (distance(&normalized, &normalize(candidate)), candidate))
        .filter(|&(d, candidate)| {
            d <= (word.chars().count().max(candidate.chars().count()) / 3).max(1)
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, candidate)| candidate)
}

fn normalize(word: &str) -> Vec<char> {
    word.chars()
        .map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring).
// proof: `rows` is (a.len() + 1) × (b.len() + 1), and the loops keep 1 ≤ i ≤ a.len(), 1 ≤ j ≤
// b.len() (i, j ≥ 2 where `i - 2`/`j - 2` are read), so every index is in range.
#[allow(clippy::indexing_slicing)]
fn distance(a: &[char], b: &[char]) -> usize {
    // rows[i][j]: distance between a[..i] and b[..j].
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::closest;

    const KEYS: [&str; 5] = ["tag-name", "tag-prefix", "tag", "manifests", "exclude"];

    #[test]
    fn suggestions() {
        for (word, expected) in [
            ("tag-nmae", Some("tag-name")),
            ("tag_name", Some("tag-name")),
            ("TAG-NAME", Some("tag-name")),
            ("manifest", Some("manifests")),
            ("tga", Some("tag")),
            ("excludes", Some("exclude")),
            ("tag-prefx", Some("tag-prefix")),
            ("publish", None),
            ("x", None),
        ] {
            assert_eq!(closest(word, KEYS), expected, "{word}");
        }
    }
}
