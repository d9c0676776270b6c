//! A parser for the plain XML nearly every MSBuild file is written in, straight into a
//! [`Tree`], without roxmltree's DOM, namespace resolution and character-by-character
//! validation: an optional `<?xml … ?>` declaration, comments, elements with ASCII names
//! and attributes, and text without entity references.
//!
//! It accepts only documents roxmltree accepts, and gives the tree roxmltree's document
//! gives. Anything else (a prefix `x:`, an entity `&amp;`, CDATA, a processing
//! instruction, a DTD, a non-ASCII name, any malformed XML) is `None`: the caller parses
//! the file with roxmltree, which then also words the error. Debug builds check every
//! tree this parser builds against roxmltree's (see [`super::read`]).

use std::borrow::Cow;

use super::tree::{Attribute, Kind, Tree};

/// The namespaces an `xmlns` attribute must not name (roxmltree refuses them).
const XML_URI: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_URI: &str = "http://www.w3.org/2000/xmlns/";

/// The tree of `body`, when it is plain XML (see the module documentation).
pub(super) fn tree(body: &str) -> Option<Tree<'_>> {
    if !xml_chars(body) {
        return None;
    }
    let mut scanner = Scanner {
        text: body,
        bytes: body.as_bytes(),
        pos: 0,
        // About a node per 16 bytes and an attribute per 32 (a `PackageReference` line is
        // 50-70 bytes with two), so that plain files rarely grow either vector.
        tree: Tree::with_capacity(body.len() / 16, body.len() / 32),
        open: Vec::with_capacity(8),
    };
    scanner.declaration()?;
    scanner.misc();
    if !scanner.rest().starts_with(b"<") {
        return None;
    }
    scanner.root()?;
    scanner.misc();
    (scanner.pos == body.len()).then_some(scanner.tree)
}

/// Whether every character is one XML allows (roxmltree checks each one it reads).
fn xml_chars(body: &str) -> bool {
    // Whole chunks folded without a branch per byte, which the compiler vectorizes.
    let controls = body.as_bytes().chunks(64).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        })
    });
    !controls && (body.is_ascii() || !body.contains(['\u{FFFE}', '\u{FFFF}']))
}

/// What a byte is to [`Scanner::name`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Byte {
    /// Part of a plain name.
    Name,
    /// Ends a name.
    Other,
    /// Part of a name roxmltree reads and this parser does not: a prefix's `:`, non-ASCII.
    Bail,
}

// proof: `b` stays below 256, the length of `table`.
#[allow(clippy::indexing_slicing)]
const NAME: [Byte; 256] = {
    let mut table = [Byte::Other; 256];
    let mut b = 0;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)] // `b` < 256
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.') {
            Byte::Name
        } else if byte == b':' || !byte.is_ascii() {
            Byte::Bail
        } else {
            Byte::Other
        };
        b += 1;
    }
    table
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    tree: Tree<'t>,
    /// The elements opened and not yet closed, innermost last.
    open: Vec<usize>,
}

impl<'t> Scanner<'t> {
    // proof: the scanner moves `pos` only past bytes it has read (`peek`/`get`/`position`/`find`),
    // so `pos <= bytes.len()`.
    #[allow(clippy::indexing_slicing)]
    fn rest(&self) -> &'t [u8] {
        &self.bytes[self.pos..]
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skip white space; how many bytes it was.
    fn spaces(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn eat(&mut self, expected: &[u8]) -> Option<()> {
        self.rest().starts_with(expected).then(|| {
            self.pos += expected.len();
        })
    }

    /// An ASCII name without a prefix. A `:` or a non-ASCII byte right after it (which
    /// roxmltree would read as part of the name) is not plain.
    // proof: `NAME` has 256 entries, one per `u8`; the name is the ASCII bytes from `pos` to
    // `pos + len`, so the slice is on character boundaries.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    fn name(&mut self) -> Option<&'t str> {
        let rest = self.rest();
        if !rest
            .first()
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        {
            return None;
        }
        let len = rest
            .iter()
            .position(|&b| NAME[usize::from(b)] != Byte::Name)
            .unwrap_or(rest.len());
        if rest
            .get(len)
            .is_some_and(|&b| NAME[usize::from(b)] == Byte::Bail)
        {
            return None;
        }
        let start = self.pos;
        self.pos += len;
        Some(&self.text[start..self.pos])
    }

    /// `<?xml version="…" encoding="…" standalone="…"?>`, the last two optional, when the
    /// file starts with one.
    fn declaration(&mut self) -> Option<()> {
        if !self.rest().starts_with(b"<?xml ") {
            return Some(());
        }
        self.pos += "<?xml".len();
        // `version` first and required, then `encoding` and `standalone` if present, in
        // that order (roxmltree's grammar), each after white space.
        let mut names = ["version", "encoding", "standalone"].into_iter();
        let mut first = true;
        let mut spaced = self.spaces() > 0;
        loop {
            if !first && self.eat(b"?>").is_some() {
                return Some(());
            }
            if !spaced {
                return None;
            }
            let name = self.name()?;
            if (first && name != "version") || !names.any(|known| known == name) {
                return None;
            }
            first = false;
            self.equals()?;
            self.quoted()?;
            spaced = self.spaces() > 0;
        }
    }

    /// White space, `=`, white space.
    fn equals(&mut self) -> Option<usize> {
        let start = self.pos;
        self.spaces();
        if self.peek() != Some(b'=') {
            return None;
        }
        self.pos += 1;
        self.spaces();
        Some(self.pos - start)
    }

    /// A quoted value without `<` or `&`: the range between the quotes, and whether it
    /// holds a `\t`, `\n` or `\r` (which attribute-value normalization turns into spaces).
    // proof: `peek` saw the quote at `pos`, so `start <= bytes.len()`; `end` is a position
    // `position` found in `bytes[start..]`.
    #[allow(clippy::indexing_slicing)]
    fn quoted(&mut self) -> Option<(std::ops::Range<usize>, bool)> {
        let quote = self.peek().filter(|&b| b == b'"' || b == b'\'')?;
        let start = self.pos + 1;
        let mut spaced = false;
        let len = self.bytes[start..].iter().position(|&b| {
            spaced |= matches!(b, b'\t' | b'\n' | b'\r');
            b == quote || b == b'<' || b == b'&'
        })?;
        let end = start + len;
        if self.bytes[end] != quote {
            return None;
        }
        self.pos = end + 1;
        Some((start..end, spaced))
    }

    /// White space and comments (before and after the root element).
    fn misc(&mut self) {
        loop {
            self.spaces();
            if !self.rest().starts_with(b"<!--") || self.comment().is_none() {
                return;
            }
        }
    }

    /// `<!-- … -->` at `pos`, without `--` inside or `-` before the end.
    // proof: `comment` is called only where `rest()` starts with the ASCII `<!--`, so `inside` is
    // in `text` and on a character boundary.
    #[allow(clippy::string_slice)]
    fn comment(&mut self) -> Option<()> {
        let start = self.pos;
        let inside = start + "<!--".len();
        let dashes = inside + self.text[inside..].find("--")?;
        if self.bytes.get(dashes + 2) != Some(&b'>') {
            return None;
        }
        self.pos = dashes + "-->".len();
        Some(())
    }

    /// The root element and everything in it, from its `<`.
    fn root(&mut self) -> Option<()> {
        if !self.start_tag()? {
            return Some(());
        }
        while !self.open.is_empty() {
            let start = self.pos;
            let mut plain = true;
            let len = self.rest().iter().position(|&b| {
                plain &= !matches!(b, b'&' | b'\r' | b']');
                b == b'<'
            })?;
            if len > 0 {
                self.text(start, start + len, plain)?;
            }
            self.pos = start + len;
            match self.bytes.get(self.pos + 1)? {
                b'/' => self.end_tag()?,
                b'!' => {
                    if !self.rest().starts_with(b"<!--") {
                        return None;
                    }
                    self.comment()?;
                    self.tree.leaf(Kind::Comment, start + len..self.pos);
                }
                b'?' => return None,
                _ => {
                    self.start_tag()?;
                }
            }
        }
        Some(())
    }

    /// Text without entity references, `\r\n` and `\r` read as `\n` (as roxmltree does).
    /// `plain`: it holds no `&`, `\r` or `]`.
    // proof: `root` passes `start` (the scanner's position, after a `>` or at a `<`) and the next
    // ASCII `<` found from it: character boundaries of `text`.
    #[allow(clippy::string_slice)]
    fn text(&mut self, start: usize, end: usize, plain: bool) -> Option<()> {
        let raw = &self.text[start..end];
        if !plain && (raw.contains('&') || raw.contains("]]>")) {
            return None;
        }
        let text = if !plain && raw.contains('\r') {
            Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(raw)
        };
        self.tree.leaf(Kind::Text(text), start..end);
        Some(())
    }

    /// A start tag at `pos`; whether it opened an element (`false` for `<X />`).
    fn start_tag(&mut self) -> Option<bool> {
        let start = self.pos;
        self.pos += 1;
        let name = self.name()?;
        let attributes = self.tree.attribute_count();
        let mut xmlns = false;
        loop {
            let spaced = self.spaces() > 0;
            match self.peek()? {
                b'/' => {
                    if self.bytes.get(self.pos + 1) != Some(&b'>') {
                        return None;
                    }
                    self.pos += 2;
                    let index = self.tree.open(name, attributes, start);
                    self.tree.close(index, self.pos);
                    return Some(false);
                }
                b'>' => {
                    self.pos += 1;
                    let index = self.tree.open(name, attributes, start);
                    self.open.push(index);
                    return Some(true);
                }
                _ if !spaced => return None,
                _ => {
                    let attribute = self.attribute()?;
                    if attribute.name == "xmlns" {
                        // A default namespace: not an attribute, and no element name
                        // here has a prefix it could change.
                        if xmlns || attribute.value == XML_URI || attribute.value == XMLNS_URI {
                            return None;
                        }
                        xmlns = true;
                    } else if self
                        .tree
                        .attributes_since(attributes)
                        .iter()
                        .any(|a| a.name == attribute.name)
                    {
                        return None;
                    } else {
                        self.tree.attribute(attribute);
                    }
                }
            }
        }
    }

    /// `name="value"` at `pos`.
    // proof: `value_range` is what `quoted` returned: between two ASCII quotes of `text`, character
    // boundaries.
    #[allow(clippy::string_slice)]
    fn attribute(&mut self) -> Option<Attribute<'t>> {
        let name = self.name()?;
        let equals = self.equals()?;
        // roxmltree keeps these lengths in 16 and 8 bits to find the value.
        if name.len() > usize::from(u16::MAX) || equals > usize::from(u8::MAX) {
            return None;
        }
        let (value_range, spaced) = self.quoted()?;
        let raw = &self.text[value_range.clone()];
        // Attribute-value normalization: each `\t`, `\n`, `\r` or `\r\n` is one space.
        let value = if spaced {
            Cow::Owned(raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " "))
        } else {
            Cow::Borrowed(raw)
        };
        Some(Attribute {
            name,
            namespaced: false,
            value,
            value_range,
        })
    }

    /// `</name>` at `pos`, closing the innermost open element.
    fn end_tag(&mut self) -> Option<()> {
        self.pos += 2;
        let index = self.open.pop()?;
        let name = self.name()?;
        if name != self.tree.element_name(index) {
            return None;
        }
        self.spaces();
        self.eat(b">")?;
        self.tree.close(index, self.pos);
        Some(())
    }
}
