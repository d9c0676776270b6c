//! A strict JSON reader that keeps byte spans, for the npm editors.
//!
//! npm reads `package.json` and `package-lock.json` with `JSON.parse`: strict JSON (RFC 8259),
//! no comments, no trailing commas, duplicate keys allowed (the last one wins). This reader
//! validates the *whole* document by that grammar in one pass, without building strings: it
//! keeps, for each object member down to a chosen depth, the raw bytes and span of its key and
//! the span of its value. Deeper containers are validated and skipped.
//!
//! Why not `jsonc-parser`: even with every `ParseOptions` leniency off it accepts what
//! `JSON.parse` refuses (tabs and line breaks inside strings, U+00A0 and U+2028 as
//! whitespace), so it would need a second, validating pass; and its AST allocates every node
//! and string: on a big `package-lock.json` this reader's whole `package_lock::read` is faster
//! than `jsonc-parser`'s strict parse alone (figures in `docs/performance.md`, "Big
//! lockfiles"). A property test checks that this reader accepts exactly what `serde_json`
//! accepts.
//!
//! Known difference from `JSON.parse`: nesting deeper than [`MAX_NESTING`] arrays and objects
//! is refused, to keep the recursion shallow (`serde_json` refuses more than 127 when it
//! builds values; `JSON.parse` allows thousands). No `package.json` nests that deep.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::error::EditorError;
use crate::text::{strip_bom, Position, Span};

/// The deepest nesting of arrays and objects the reader accepts.
pub(crate) const MAX_NESTING: usize = 128;

/// A JSON string as written: the bytes between the quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JsonStr<'a> {
    /// The raw text between the quotes, escapes not decoded.
    pub raw: &'a str,
    /// The bytes of `raw` in the original text (inside the quotes).
    pub span: Span,
    /// Whether `raw` contains a backslash escape (the decoded value differs from `raw`).
    pub escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// The string's value, escapes decoded. A lone UTF-16 surrogate (`"\ud800"`, which JSON
    /// allows) decodes to U+FFFD.
    pub fn decoded(&self) -> Cow<'a, str> {
        if self.escaped {
            Cow::Owned(decode(self.raw))
        } else {
            Cow::Borrowed(self.raw)
        }
    }

    /// Whether the string's value is `key`.
    pub fn is(&self, key: &str) -> bool {
        if self.escaped {
            decode(self.raw) == key
        } else {
            self.raw == key
        }
    }

    /// The offset of the opening quote.
    pub fn quote(&self) -> usize {
        self.span.start - 1
    }
}

/// A JSON value and the bytes it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node<'a> {
    /// The whole value, quotes and brackets included.
    pub span: Span,
    pub value: Value<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    String(JsonStr<'a>),
    Number,
    Bool,
    Null,
    /// Array elements are validated, never kept: nothing the npm editors read is in one.
    Array,
    /// An object's members in document order, duplicates included: see [`Document::members`].
    Object(Members),
    /// An object nested deeper than the depth asked of [`parse`]: validated, not kept.
    DeepObject,
}

impl Value<'_> {
    /// `a string`, `an object`…, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Number => "a number",
            Value::Bool => "a boolean",
            Value::Null => "`null`",
            Value::Array => "an array",
            Value::Object(_) | Value::DeepObject => "an object",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member<'a> {
    pub key: JsonStr<'a>,
    pub value: Node<'a>,
}

/// Where an object's members sit in [`Document::members`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Members {
    start: usize,
    len: usize,
}

/// A parsed document: the top-level value, and the members of every kept object in one
/// vector (one allocation for the whole file, not one per object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document<'a> {
    pub text: &'a str,
    pub root: Node<'a>,
    members: Vec<Member<'a>>,
}

impl<'a> Document<'a> {
    /// The members of an object.
    // proof: `Members` is made only by the parser, for a run of members it pushed into
    // `self.members` of this same document.
    #[allow(clippy::indexing_slicing)]
    pub fn members(&self, members: Members) -> &[Member<'a>] {
        &self.members[members.start..members.start + members.len]
    }

    /// The members of `node` when it is an object (kept by [`parse`]).
    pub fn object(&self, node: &Node<'a>) -> Option<&[Member<'a>]> {
        match node.value {
            Value::Object(members) => Some(self.members(members)),
            _ => None,
        }
    }
}

/// Parse `text` (a leading UTF-8 BOM is skipped) as strict JSON, keeping the members of
/// objects nested at most `depth` objects deep (the top-level object is depth 1). Spans are
/// offsets into `text`, BOM included.
pub(crate) fn parse(text: &str, depth: usize) -> Result<Document<'_>, EditorError> {
    parse_with(text, depth, None)
}

/// Members of the objects at one depth whose value needs little kept: under a member of an
/// object `depth` deep whose raw key passes `key`, no object deeper than the member's own is
/// kept, and the member's own object keeps its members only when they pass `keep`
/// (otherwise it reads as [`Value::DeepObject`]). A lockfile's thousands of `node_modules/…`
/// entries are read for a link only: keeping nothing of the others takes a 10 MB lockfile
/// from ~20 MB of members per read to ~3 MB — and on a VM the page faults cost more than
/// the parse. Everything is validated all the same.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shallow {
    pub depth: usize,
    pub key: fn(&str) -> bool,
    pub keep: fn(&str, &[Member<'_>]) -> bool,
}

/// [`parse`], keeping less below the members `shallow` picks.
pub(crate) fn parse_with(
    text: &str,
    depth: usize,
    shallow: Option<Shallow>,
) -> Result<Document<'_>, EditorError> {
    let (_, bom) = strip_bom(text);
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: bom,
        shallow,
        stack: Vec::new(),
        // A pretty-printed lockfile has about one member per 36 bytes: one allocation (pages
        // of the reserve never written are never touched).
        members: Vec::with_capacity(text.len() / 32),
    };
    parser.skip_whitespace();
    let node = parser.value(0, 0, depth)?;
    parser.skip_whitespace();
    if let Some(c) = parser.peek_char() {
        return Err(EditorError::new(format!(
            "unexpected {} after the end of the JSON document",
            show_char(c)
        ))
        .at(parser.pos)
        .help("a JSON file holds one value: remove what follows it"));
    }
    Ok(Document {
        text,
        root: node,
        members: parser.members,
    })
}

/// The member `key` of `members`; two members named `key` are an error (npm would silently
/// use the last one). `path` names the object in messages (`dependencies`), empty for the
/// top level.
pub(crate) fn get<'n, 'a>(
    text: &str,
    members: &'n [Member<'a>],
    path: &str,
    key: &str,
) -> Result<Option<&'n Member<'a>>, EditorError> {
    get_with(text, members, key, || join(path, key))
}

/// [`get`], with the key's name for messages made only when needed.
pub(crate) fn get_with<'n, 'a>(
    text: &str,
    members: &'n [Member<'a>],
    key: &str,
    name: impl FnOnce() -> String,
) -> Result<Option<&'n Member<'a>>, EditorError> {
    let mut found: Option<&Member<'a>> = None;
    for member in members {
        if member.key.is(key) {
            if let Some(first) = found {
                return Err(duplicate(text, &name(), first, member));
            }
            found = Some(member);
        }
    }
    Ok(found)
}

/// Check that no two members of `members` have the same key (after decoding escapes).
/// `name` spells a key for messages (`dependencies.a`, `packages["a"]`).
// proof: `windows(2)` yields pairs; `i` enumerates `keys`, which has one key per member, and
// `first < i`.
#[allow(clippy::indexing_slicing)]
pub(crate) fn check_unique(
    text: &str,
    members: &[Member<'_>],
    name: impl Fn(&str) -> String,
) -> Result<(), EditorError> {
    // npm writes keys sorted: keys in strictly increasing order, none escaped, are distinct.
    let sorted = members.iter().all(|m| !m.key.escaped)
        && members
            .windows(2)
            .all(|pair| pair[0].key.raw < pair[1].key.raw);
    if sorted {
        return Ok(());
    }
    // A small object (a package.json's top level) is compared pair by pair: cheaper than
    // hashing every key.
    if members.len() <= 16 {
        let keys: Vec<Cow<'_, str>> = members.iter().map(|m| m.key.decoded()).collect();
        for (i, key) in keys.iter().enumerate() {
            if let Some(first) = keys[..i].iter().position(|k| k == key) {
                return Err(duplicate(text, &name(key), &members[first], &members[i]));
            }
        }
        return Ok(());
    }
    let mut seen: HashMap<Cow<'_, str>, &Member<'_>, crate::fast_map::FastBuildHasher> =
        HashMap::with_capacity_and_hasher(
            members.len(),
            crate::fast_map::FastBuildHasher::default(),
        );
    for member in members {
        let key = member.key.decoded();
        if let Some(first) = seen.get(&key) {
            return Err(duplicate(text, &name(&key), first, member));
        }
        seen.insert(key, member);
    }
    Ok(())
}

/// `path.key`, or `key` when `path` is empty.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        [path, ".", key].concat()
    }
}

fn duplicate(text: &str, name: &str, first: &Member<'_>, second: &Member<'_>) -> EditorError {
    let first_at = Position::of(text, first.key.quote());
    let second_at = Position::of(text, second.key.quote());
    EditorError::new(format!(
        "duplicate key `{name}` at {first_at} and {second_at}"
    ))
    .at(second.key.quote())
    .help("npm silently uses the last one: remove the other")
}

/// Decode the escapes of a JSON string known to be valid.
fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let high = hex4(&mut chars);
                if (0xD800..0xDC00).contains(&high) {
                    // A pair is `\uD8xx\uDCxx`; look ahead without consuming a lone one.
                    let rest = chars.as_str();
                    if let Some(low_hex) = rest.strip_prefix("\\u") {
                        let mut low_chars = low_hex.chars();
                        let low = hex4(&mut low_chars);
                        if (0xDC00..0xE000).contains(&low) {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            chars = low_chars;
                            continue;
                        }
                    }
                }
                out.push(char::from_u32(high).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn hex4(chars: &mut std::str::Chars<'_>) -> u32 {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next().and_then(|c| c.to_digit(16)).unwrap_or(0);
    }
    value
}

fn show_char(c: char) -> String {
    match c {
        '\n' => "a line break".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        '`' => "'`'".to_string(),
        c if c.is_control() || c == '\u{feff}' => format!("character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    shallow: Option<Shallow>,
    /// The members of the objects being read, innermost last.
    stack: Vec<Member<'a>>,
    /// The members of the objects read, each object's contiguous.
    members: Vec<Member<'a>>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// An error at the current position about what was found instead of `expected`.
    fn unexpected(&self, expected: &str) -> EditorError {
        let found = match self.peek_char() {
            None => "the end of the file".to_string(),
            Some(c) => show_char(c),
        };
        let mut error =
            EditorError::new(format!("expected {expected}, found {found}")).at(self.pos);
        match self.peek() {
            Some(b'/') if matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*')) => {
                error.message = "comments are not allowed in JSON".to_string();
                error = error.help("npm reads this file with strict JSON: remove the comment");
            }
            Some(b'\'') => {
                error = error.help("JSON strings use double quotes");
            }
            _ => {}
        }
        error
    }

    /// A value at `self.pos` (whitespace skipped), `nesting` containers deep, inside
    /// `objects` objects; objects deeper than `keep` are validated, not kept.
    fn value(
        &mut self,
        nesting: usize,
        objects: usize,
        keep: usize,
    ) -> Result<Node<'a>, EditorError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => {
                if nesting >= MAX_NESTING {
                    return Err(EditorError::new(format!(
                        "the JSON nests more than {MAX_NESTING} arrays and objects"
                    ))
                    .at(start));
                }
                self.object(nesting + 1, objects + 1, keep)?
            }
            Some(b'[') => {
                if nesting >= MAX_NESTING {
                    return Err(EditorError::new(format!(
                        "the JSON nests more than {MAX_NESTING} arrays and objects"
                    ))
                    .at(start));
                }
                self.array(nesting + 1, objects, keep)?;
                Value::Array
            }
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Value::Number
            }
            Some(b't') => self.literal("true", Value::Bool)?,
            Some(b'f') => self.literal("false", Value::Bool)?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Node {
            span: Span::new(start, self.pos),
            value,
        })
    }

    // proof: `literal` is called after `peek` saw a byte at `self.pos`, so
    // `self.pos < bytes.len()`.
    #[allow(clippy::indexing_slicing)]
    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, EditorError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    // proof: `members` of an object value is the range this call pushed onto `self.members`, and
    // `end == self.members.len()` is checked before slicing.
    #[allow(clippy::indexing_slicing)]
    fn object(
        &mut self,
        nesting: usize,
        objects: usize,
        keep_below: usize,
    ) -> Result<Value<'a>, EditorError> {
        let keep = objects <= keep_below;
        let shallow = self.shallow.filter(|shallow| shallow.depth == objects);
        let base = self.stack.len();
        self.pos += 1; // `{`
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(self.close_object(keep, base));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a key in double quotes"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("`:` after an object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let marked = shallow.filter(|shallow| (shallow.key)(key.raw));
            let below = if marked.is_some() {
                keep_below.min(objects + 1)
            } else {
                keep_below
            };
            let mut value = self.value(nesting, objects, below)?;
            if let (Some(marked), Value::Object(members)) = (marked, &value.value) {
                // Nothing deeper was kept: its members are the last ones.
                let (start, end) = (members.start, members.start + members.len);
                if end == self.members.len() && !(marked.keep)(self.text, &self.members[start..end])
                {
                    self.members.truncate(start);
                    value.value = Value::DeepObject;
                }
            }
            if keep {
                self.stack.push(Member { key, value });
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        return Err(trailing_comma(comma));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(self.close_object(keep, base));
                }
                Some(b'"') => {
                    return Err(self
                        .unexpected("`,` or `}` after an object member")
                        .help("a `,` is missing between the two members"));
                }
                _ => return Err(self.unexpected("`,` or `}` after an object member")),
            }
        }
    }

    /// Move the members of the object just read (from `base` on the stack) to the document.
    fn close_object(&mut self, keep: bool, base: usize) -> Value<'a> {
        if !keep {
            return Value::DeepObject;
        }
        let start = self.members.len();
        self.members.extend(self.stack.drain(base..));
        Value::Object(Members {
            start,
            len: self.members.len() - start,
        })
    }

    fn array(&mut self, nesting: usize, objects: usize, keep: usize) -> Result<(), EditorError> {
        self.pos += 1; // `[`
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value(nesting, objects, keep)?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        return Err(trailing_comma(comma));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `]` after an array element")),
            }
        }
    }

    /// A string at `self.pos` (on its opening quote).
    // proof: the span runs from after the opening ASCII `"` to the closing one, both character
    // boundaries of `text`.
    #[allow(clippy::string_slice)]
    fn string(&mut self) -> Result<JsonStr<'a>, EditorError> {
        let quote = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        loop {
            self.skip_plain_string_bytes();
            // Quotes, backslashes and control characters are ASCII: they never occur inside
            // a multi-byte UTF-8 sequence, so a byte loop stays on character boundaries.
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(EditorError::new("unterminated string")
                    .at(quote)
                    .help("close the string with `\"`"));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                0x00..=0x1f => {
                    let what = show_char(char::from(b));
                    return Err(EditorError::new(format!("{what} inside a string"))
                        .at(self.pos)
                        .help(if b == b'\n' {
                            "a JSON string ends on the line it starts: close it, or write `\\n`"
                        } else {
                            "JSON strings must escape control characters (`\\t`, `\\u0000`)"
                        }));
                }
                _ => self.pos += 1,
            }
        }
        let span = Span::new(start, self.pos);
        self.pos += 1; // closing `"`
        Ok(JsonStr {
            raw: &self.text[span.start..span.end],
            span,
            escaped,
        })
    }

    /// Skip string bytes that are not `"`, `\\` or a control character, eight at a time.
    // proof: `self.pos` never passes `bytes.len()`: every step past a byte first saw it with `get`.
    #[allow(clippy::indexing_slicing)]
    fn skip_plain_string_bytes(&mut self) {
        const ONES: u64 = u64::from_le_bytes([1; 8]);
        const HIGH: u64 = ONES << 7;
        const QUOTES: u64 = ONES * 0x22; // `"`
        const BACKSLASHES: u64 = ONES * 0x5c; // `\`
        const SPACES: u64 = ONES * 0x20;
        // The high bit of a byte is flagged when the byte is zero after the XOR, or below
        // 0x20 (the subtraction borrows and the byte was ASCII). A borrow may also flag a
        // later byte, never an earlier one: the lowest flag (little-endian) is a true one.
        let rest = &self.bytes[self.pos..];
        for chunk in rest.chunks_exact(8) {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            let word = u64::from_le_bytes(word);
            let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
            let below_space = word.wrapping_sub(SPACES) & !word & HIGH;
            let flags = zero(word ^ QUOTES) | zero(word ^ BACKSLASHES) | below_space;
            if flags != 0 {
                self.pos += (flags.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            self.pos += 1;
        }
    }

    /// An escape sequence at `self.pos` (on its backslash).
    // proof: `at` is the position of an ASCII backslash in `text`, a character boundary.
    #[allow(clippy::string_slice)]
    fn escape(&mut self) -> Result<(), EditorError> {
        let at = self.pos;
        let invalid = |this: &Self| {
            let shown: String = this.text[at..].chars().take(2).collect();
            EditorError::new(format!("invalid escape `{shown}` in a string"))
                .at(at)
                .help("JSON knows `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`")
        };
        match self.bytes.get(self.pos + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 2;
                Ok(())
            }
            Some(b'u') => {
                let digits = self.bytes.get(self.pos + 2..self.pos + 6);
                if digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)) {
                    self.pos += 6;
                    Ok(())
                } else {
                    Err(invalid(self))
                }
            }
            _ => Err(invalid(self)),
        }
    }

    /// A number at `self.pos`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    // proof: `invalid` runs only after `value` saw `-` or a digit at `start`; the slice ends after
    // a run of ASCII number bytes, so on a character boundary.
    #[allow(clippy::string_slice)]
    fn number(&mut self) -> Result<(), EditorError> {
        let start = self.pos;
        let invalid = |this: &Self| {
            // Numbers are ASCII: the slice stays on character boundaries.
            let mut end = start + 1;
            while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = this.bytes.get(end) {
                end += 1;
            }
            EditorError::new(format!("invalid number `{}`", &this.text[start..end])).at(start)
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(invalid(self).help("JSON numbers have no leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(invalid(self)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(invalid(self));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(invalid(self));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

fn trailing_comma(comma: usize) -> EditorError {
    EditorError::new("trailing comma")
        .at(comma)
        .help("JSON allows no comma after the last element: remove it")
}

#[cfg(test)]
mod tests;
