//! Did-you-mean for the words a user types: levels and pre-release labels (`minr` →
//! `minor`, `--pre bta` → `beta`), and the help that declares an unknown label, which must
//! itself be valid TOML.

/// The candidate closest to `word` by edit distance, when it is close enough to be what was
/// meant: at most one edit per three characters (at least one), as a typo is.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance by characters, a swap of two neighbours counting as one edit (`mnior`):
/// the optimal string alignment distance.
// proof: `d` is `(a.len() + 1) × (b.len() + 1)`, every row has `b.len() + 1` cells, and the
// loops index `d[i][j]` with `i <= a.len()`, `j <= b.len()`, `a[i - 1]`/`b[j - 1]` with
// `i, j >= 1`, and `a[i - 2]`/`b[j - 2]` only after `i > 1 && j > 1`.
#[allow(clippy::indexing_slicing)]
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// How to use or declare the unknown pre-release label `label`, given the `known` ones: the
/// label meant (`bta` → `beta`; `beta.3` → `beta`: the number is counted, not named), or the
/// `labels` entry that declares it — only for a label that can be one (lowercase letters,
/// which are a bare TOML key), so the suggestion is always valid TOML.
pub fn label_help(label: &str, known: &[&str]) -> String {
    let word: String = label
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    if word != label {
        if known.contains(&word.as_str()) {
            return format!(
                "did you mean `{word}`? A label is a word; its number is counted (`{word}.1`, `{word}.2`, …)"
            );
        }
        return format!(
            "a label is lowercase letters (`a`-`z`), its number counted: known labels are {}",
            known.join(", ")
        );
    }
    match closest(label, known.iter().copied()) {
        Some(meant) => format!(
            "did you mean `{meant}`? (or declare `{label}` with its PEP 440 stage in the policy: `labels = {{ {label} = \"rc\" }}`)"
        ),
        None => format!(
            "declare it with its PEP 440 stage in the policy: `labels = {{ {label} = \"rc\" }}`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn near(word: &str, expected: Option<&str>) {
        let levels = [
            "major", "minor", "patch", "alpha", "beta", "rc", "dev", "pre", "release",
        ];
        assert_eq!(closest(word, levels), expected, "{word}");
    }

    #[test]
    fn closest_levels() {
        near("minr", Some("minor"));
        near("mnior", Some("minor"));
        near("majr", Some("major"));
        near("relase", Some("release"));
        near("bta", Some("beta"));
        near("auto", None);
        near("next", None);
        near("1.5.0", None);
    }

    #[track_caller]
    fn help(label: &str, expected: &str) {
        let text = label_help(label, &["alpha", "beta", "rc", "dev", "preview"]);
        assert_eq!(text, expected, "{label}");
        // Every `labels = { … }` in a help is a valid TOML table whose key is the label.
        if let Some(start) = text.find("`labels = ") {
            let toml = &text[start + 1..];
            let toml = &toml[..toml.find('`').unwrap()];
            let value: toml_edit::DocumentMut =
                toml.parse().unwrap_or_else(|e| panic!("{toml}: {e}"));
            let table = value["labels"].as_inline_table().unwrap();
            assert!(table.contains_key(label), "{toml}");
        }
    }

    #[test]
    fn label_helps_are_valid() {
        help(
            "beta.3",
            "did you mean `beta`? A label is a word; its number is counted (`beta.1`, `beta.2`, …)",
        );
        help(
            "Beta",
            "did you mean `beta`? A label is a word; its number is counted (`beta.1`, `beta.2`, …)",
        );
        help(
            "bta",
            "did you mean `beta`? (or declare `bta` with its PEP 440 stage in the policy: `labels = { bta = \"rc\" }`)",
        );
        help(
            "nightly",
            "declare it with its PEP 440 stage in the policy: `labels = { nightly = \"rc\" }`",
        );
        help(
            "x.y",
            "a label is lowercase letters (`a`-`z`), its number counted: known labels are alpha, beta, rc, dev, preview",
        );
        help(
            "3",
            "a label is lowercase letters (`a`-`z`), its number counted: known labels are alpha, beta, rc, dev, preview",
        );
    }
}
