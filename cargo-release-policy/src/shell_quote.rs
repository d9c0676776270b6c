//! Commands shown to people (a check that ran, a push to retry) as a POSIX shell would read
//! them back: a word with nothing special as it is, any other in single quotes.

/// `words` joined by spaces, each quoted for `sh` where it needs it.
pub fn join<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word for `sh`: as it is when every character is plain, else in single quotes (a `'`
/// inside written `'\''`); the empty word is `''`.
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,^".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(words: &[&str], shown: &str) {
        assert_eq!(join(words), shown, "{words:?}");
    }

    #[test]
    fn words_are_quoted_only_where_the_shell_needs_it() {
        case(&["cargo", "test", "--workspace"], "cargo test --workspace");
        case(&["sh", "-c", "exit 3"], "sh -c 'exit 3'");
        case(&["echo", ""], "echo ''");
        case(&["echo", "it's"], r"echo 'it'\''s'");
        case(&["echo", "$HOME", "a*b", "x;y"], "echo '$HOME' 'a*b' 'x;y'");
        case(
            &["git", "push", "refs/tags/v1.0.0+build"],
            "git push refs/tags/v1.0.0+build",
        );
        case(&["--push-option=ci.skip"], "--push-option=ci.skip");
        case(&["tab\there", "new\nline"], "'tab\there' 'new\nline'");
        case(&["dir with space/x"], "'dir with space/x'");
    }

    /// What `sh` reads back is the words themselves.
    #[test]
    fn sh_reads_the_words_back() {
        let words = ["a b", "it's", "$x", "", "back\\slash", "\"q\"", "ü"];
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\n' {}", join(&words)))
            .output()
            .expect("sh runs");
        let expected = words.join("\n") + "\n";
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    }
}
