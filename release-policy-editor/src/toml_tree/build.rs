//! The fast builder: a [`Table`] straight from `toml_parser`'s events, for the documents it
//! is sure `toml_edit` reads without an error and into the same tree.
//!
//! It runs the parser as `toml_edit::Document::parse` does (the same lexer, whitespace checks
//! and recursion limit) and then follows `toml_edit`'s steps (`parser/document.rs`,
//! `inline_table.rs`, `array.rs`, `key.rs`, `value.rs` of `toml_edit` 0.25): sections are
//! built apart and put in place when the next header starts, header paths create implicit
//! parents, dotted keys create implicit dotted tables. Wherever `toml_edit` would report an
//! error, and wherever an event comes that well-formed documents do not have, it gives up
//! ([`Fallback`]) and `toml_edit` parses the text. Date-times are left to `toml_edit` too.
//!
//! Keys defined twice are found once the tree is built ([`has_duplicate_keys`]) rather than
//! at each insertion, where a long table (a lockfile's) would be searched once per key: a
//! lookup on the way (a dotted key, a header) finds the first of two equal keys where
//! `toml_edit` would already have failed, and the tree is thrown away either way.

use std::borrow::Cow;
use std::mem;

use toml_parser::decoder::ScalarKind;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{ParseError, Source};

use super::tree::{Array, ArrayOfTables, Float, Item, Key, Scalar, Table, Value};
use crate::text::Span;

/// `toml_edit`'s nesting limit (arrays and inline tables, and parts of a dotted key).
const LIMIT: u32 = 80;

/// The document is left to `toml_edit`.
struct Fallback;

type Result<T> = std::result::Result<T, Fallback>;

/// The document's root table, or `None` to let `toml_edit` parse it.
pub(super) fn build(text: &str) -> Option<Table<'_>> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut events = Vec::with_capacity(tokens.len());
    let mut failed = false;
    {
        let mut errors = |_: ParseError| failed = true;
        let mut validate = ValidateWhitespace::new(&mut events, source);
        let mut guard = RecursionGuard::new(&mut validate, LIMIT);
        toml_parser::parser::parse_document(&tokens, &mut guard, &mut errors);
    }
    if failed {
        return None;
    }
    let mut builder = Builder {
        source,
        events: &events,
        next: 0,
        root: Table::new(false, false, Span::at(0)),
        current: Table::new(false, false, Span::at(0)),
        header: None,
    };
    let root = builder.document().ok()?;
    (!has_duplicate_keys(&root)).then_some(root)
}

impl<'a> Table<'a> {
    fn new(implicit: bool, dotted: bool, span: Span) -> Self {
        Table {
            entries: Vec::new(),
            span,
            implicit,
            dotted,
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.name == name)
    }

    /// The entry `key` (its first, if written twice), created by `make` when absent.
    // proof: `index` is a position found in `entries` or the index of the entry just pushed.
    #[allow(clippy::indexing_slicing)]
    fn entry(&mut self, key: &Key<'a>, make: impl FnOnce() -> Item<'a>) -> &mut Item<'a> {
        let index = self.position(&key.name).unwrap_or_else(|| {
            self.entries.push((key.clone(), make()));
            self.entries.len() - 1
        });
        &mut self.entries[index].1
    }
}

/// A `[header]` or `[[header]]`: the path to its parent, its own key, its span.
struct Header<'a> {
    path: Vec<Key<'a>>,
    key: Key<'a>,
    span: Span,
    is_array: bool,
}

struct Builder<'e, 'a> {
    source: Source<'a>,
    events: &'e [Event],
    next: usize,
    /// The root table, once its section (the lines before the first header) is done.
    root: Table<'a>,
    /// The section being read, put in place when the next header starts.
    current: Table<'a>,
    /// The header of `current`; `None` for the root's section.
    header: Option<Header<'a>>,
}

impl<'a> Builder<'_, 'a> {
    fn peek(&self) -> Option<EventKind> {
        self.events.get(self.next).map(Event::kind)
    }

    fn bump(&mut self) -> Option<Event> {
        let event = self.events.get(self.next).copied();
        self.next += 1;
        event
    }

    /// The next event, which must be of `kind`.
    fn expect(&mut self, kind: EventKind) -> Result<Event> {
        match self.bump() {
            Some(event) if event.kind() == kind => Ok(event),
            _ => Err(Fallback),
        }
    }

    fn skip_whitespace(&mut self) {
        if self.peek() == Some(EventKind::Whitespace) {
            self.next += 1;
        }
    }

    /// Whitespace, comments and line breaks, inside arrays and inline tables.
    fn skip_trivia(&mut self) {
        while matches!(
            self.peek(),
            Some(EventKind::Whitespace | EventKind::Comment | EventKind::Newline)
        ) {
            self.next += 1;
        }
    }

    /// The rest of a line after a header or a key-value pair: whitespace, a comment, the line
    /// break (or the end of the text).
    fn line_end(&mut self) -> Result<()> {
        while let Some(event) = self.bump() {
            match event.kind() {
                EventKind::Whitespace | EventKind::Comment => {}
                EventKind::Newline => return Ok(()),
                _ => return Err(Fallback),
            }
        }
        Ok(())
    }

    /// `toml_edit`'s `document`.
    fn document(&mut self) -> Result<Table<'a>> {
        while let Some(event) = self.bump() {
            match event.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    self.finish_table()?;
                    let header = self.header(event)?;
                    self.line_end()?;
                    self.start_table(header)?;
                }
                EventKind::SimpleKey => {
                    let (path, key) = self.key(event)?;
                    self.skip_whitespace();
                    self.expect(EventKind::KeyValSep)?;
                    self.skip_whitespace();
                    let value = self.value()?;
                    self.line_end()?;
                    self.capture_key_value(&path, key, value)?;
                }
                EventKind::Whitespace | EventKind::Comment | EventKind::Newline => {}
                _ => return Err(Fallback),
            }
        }
        self.finish_table()?;
        Ok(mem::replace(
            &mut self.root,
            Table::new(false, false, Span::at(0)),
        ))
    }

    /// A header, from its opening bracket (`toml_edit`'s `on_table`).
    fn header(&mut self, open: Event) -> Result<Header<'a>> {
        let is_array = open.kind() == EventKind::ArrayTableOpen;
        self.skip_whitespace();
        let first = self.expect(EventKind::SimpleKey)?;
        let (path, key) = self.key(first)?;
        self.skip_whitespace();
        let close = self.expect(if is_array {
            EventKind::ArrayTableClose
        } else {
            EventKind::StdTableClose
        })?;
        Ok(Header {
            path,
            key,
            span: Span::new(open.span().start(), close.span().end()),
            is_array,
        })
    }

    /// A key, dotted or not, from its first part: the parts before the last, and the last
    /// (`toml_edit`'s `on_key`).
    fn key(&mut self, first: Event) -> Result<(Vec<Key<'a>>, Key<'a>)> {
        let mut path = Vec::new();
        let mut key = self.decode_key(first)?;
        loop {
            let at = self.next;
            self.skip_whitespace();
            if self.peek() != Some(EventKind::KeySep) {
                self.next = at;
                break;
            }
            self.next += 1;
            self.skip_whitespace();
            let part = self.expect(EventKind::SimpleKey)?;
            path.push(mem::replace(&mut key, self.decode_key(part)?));
        }
        if path.len() >= LIMIT as usize {
            return Err(Fallback);
        }
        Ok((path, key))
    }

    fn decode_key(&self, event: Event) -> Result<Key<'a>> {
        let raw = self.source.get(event).ok_or(Fallback)?;
        let mut name = Cow::Borrowed("");
        let mut failed = false;
        raw.decode_key(&mut name, &mut |_: ParseError| failed = true);
        if failed {
            return Err(Fallback);
        }
        Ok(Key {
            name,
            span: span(event),
        })
    }

    /// A value, from its first event (`toml_edit`'s `value`).
    fn value(&mut self) -> Result<Value<'a>> {
        let event = self.bump().ok_or(Fallback)?;
        match event.kind() {
            EventKind::InlineTableOpen => self.inline_table(event),
            EventKind::ArrayOpen => self.array(event),
            EventKind::Scalar => self.scalar(event),
            _ => Err(Fallback),
        }
    }

    /// `toml_edit`'s `on_scalar`, where every error is a fallback.
    fn scalar(&self, event: Event) -> Result<Value<'a>> {
        let raw = self.source.get(event).ok_or(Fallback)?;
        let mut decoded = Cow::Borrowed("");
        let mut failed = false;
        let kind = raw.decode_scalar(&mut decoded, &mut |_: ParseError| failed = true);
        if failed {
            return Err(Fallback);
        }
        let span = span(event);
        Ok(match kind {
            ScalarKind::String => Value::String(Scalar {
                value: decoded,
                span,
            }),
            ScalarKind::Boolean(value) => Value::Boolean(Scalar { value, span }),
            ScalarKind::Integer(radix) => Value::Integer(Scalar {
                value: i64::from_str_radix(&decoded, radix.value()).map_err(|_| Fallback)?,
                span,
            }),
            ScalarKind::Float => {
                let value: f64 = decoded.parse().map_err(|_| Fallback)?;
                // `toml_edit` reports an overflow unless the text is `inf` itself.
                let named = decoded
                    .strip_prefix(['+', '-'])
                    .unwrap_or(&decoded)
                    .chars()
                    .all(|c| c.is_ascii_alphabetic());
                if value.is_infinite() && !named {
                    return Err(Fallback);
                }
                Value::Float(Scalar {
                    value: Float(value),
                    span,
                })
            }
            ScalarKind::DateTime => return Err(Fallback),
        })
    }

    /// An array, from its `[` (`toml_edit`'s `on_array`).
    fn array(&mut self, open: Event) -> Result<Value<'a>> {
        let mut values = Vec::new();
        loop {
            self.skip_trivia();
            if self.peek() == Some(EventKind::ArrayClose) {
                break;
            }
            values.push(self.value()?);
            self.skip_trivia();
            match self.peek() {
                Some(EventKind::ValueSep) => self.next += 1,
                Some(EventKind::ArrayClose) => break,
                _ => return Err(Fallback),
            }
        }
        let close = self.expect(EventKind::ArrayClose)?;
        Ok(Value::Array(Array {
            values,
            span: Span::new(open.span().start(), close.span().end()),
        }))
    }

    /// An inline table, from its `{` (`toml_edit`'s `on_inline_table`).
    fn inline_table(&mut self, open: Event) -> Result<Value<'a>> {
        let mut table = Table::new(false, false, Span::at(0));
        loop {
            self.skip_trivia();
            if self.peek() == Some(EventKind::InlineTableClose) {
                break;
            }
            let first = self.expect(EventKind::SimpleKey)?;
            let (path, key) = self.key(first)?;
            self.skip_trivia();
            self.expect(EventKind::KeyValSep)?;
            self.skip_trivia();
            let value = self.value()?;
            inline_key_value(&mut table, &path, key, value)?;
            self.skip_trivia();
            match self.peek() {
                Some(EventKind::ValueSep) => self.next += 1,
                Some(EventKind::InlineTableClose) => break,
                _ => return Err(Fallback),
            }
        }
        let close = self.expect(EventKind::InlineTableClose)?;
        table.span = Span::new(open.span().start(), close.span().end());
        Ok(Value::InlineTable(table))
    }

    /// `toml_edit`'s `State::capture_key_value`: `path.key = value` in the current section.
    fn capture_key_value(
        &mut self,
        path: &[Key<'a>],
        key: Key<'a>,
        value: Value<'a>,
    ) -> Result<()> {
        let dotted = !path.is_empty();
        let parent = descend_dotted(&mut self.current, path)?;
        // Dotted keys do not reach into a table defined by a header.
        if dotted && !parent.implicit {
            return Err(Fallback);
        }
        parent.entries.push((key, Item::Value(value)));
        Ok(())
    }

    /// `toml_edit`'s `State::start_table`: a header for an absent table, or for a table that
    /// only a header below it implied, which the section then continues.
    fn start_table(&mut self, header: Header<'a>) -> Result<()> {
        if !header.is_array {
            let parent = descend_header(&mut self.root, &header.path)?;
            if let Some(index) = parent.position(&header.key.name) {
                match parent.entries.remove(index).1 {
                    Item::Table(t) if t.implicit && !t.dotted => self.current = t,
                    _ => return Err(Fallback),
                }
            }
        }
        self.current.implicit = false;
        self.current.dotted = false;
        self.current.span = header.span;
        self.header = Some(header);
        Ok(())
    }

    /// `toml_edit`'s `State::finish_table`: the section just read, put in place.
    fn finish_table(&mut self) -> Result<()> {
        let mut table = mem::replace(&mut self.current, Table::new(false, false, Span::at(0)));
        let Some(header) = self.header.take() else {
            table.span = Span::at(0);
            self.root = table;
            return Ok(());
        };
        table.span = header.span;
        let parent = descend_header(&mut self.root, &header.path)?;
        if header.is_array {
            let this = table.span;
            let item = parent.entry(&header.key, || {
                Item::ArrayOfTables(ArrayOfTables {
                    tables: Vec::new(),
                    span: this,
                })
            });
            let Item::ArrayOfTables(array) = item else {
                return Err(Fallback);
            };
            // From the first table's header to the last's.
            let start = array.tables.first().map_or(this.start, |t| t.span.start);
            array.span = Span::new(start, this.end);
            array.tables.push(table);
        } else {
            if parent.position(&header.key.name).is_some() {
                return Err(Fallback);
            }
            parent.entries.push((header.key, Item::Table(table)));
        }
        Ok(())
    }
}

fn span(event: Event) -> Span {
    Span::new(event.span().start(), event.span().end())
}

/// The table at `path` below `table` for a header (`toml_edit`'s `descend_path`, not
/// dotted): absent tables are created implicit, an array of tables means its last table,
/// a value cannot be extended.
fn descend_header<'t, 'a>(
    mut table: &'t mut Table<'a>,
    path: &[Key<'a>],
) -> Result<&'t mut Table<'a>> {
    for key in path {
        let span = key.span;
        table = match table.entry(key, || Item::Table(Table::new(true, false, span))) {
            Item::Table(t) => t,
            Item::ArrayOfTables(array) => array.tables.last_mut().ok_or(Fallback)?,
            Item::Value(_) => return Err(Fallback),
        };
    }
    Ok(table)
}

/// The table at `path` below the current section for a dotted key (`toml_edit`'s
/// `descend_path`, dotted): absent tables are created implicit and dotted; an implicit table
/// becomes dotted; a table with a header of its own, an array of tables or a value is left to
/// `toml_edit` (an error, or an unusual document).
fn descend_dotted<'t, 'a>(
    mut table: &'t mut Table<'a>,
    path: &[Key<'a>],
) -> Result<&'t mut Table<'a>> {
    for key in path {
        let span = key.span;
        table = match table.entry(key, || Item::Table(Table::new(true, true, span))) {
            Item::Table(t) if t.implicit => {
                t.dotted = true;
                t
            }
            _ => return Err(Fallback),
        };
    }
    Ok(table)
}

/// `path.key = value` inside an inline table (`toml_edit`'s `inline_table::State::finish_value`
/// and its `descend_path`).
fn inline_key_value<'a>(
    table: &mut Table<'a>,
    path: &[Key<'a>],
    key: Key<'a>,
    value: Value<'a>,
) -> Result<()> {
    let mut parent = table;
    for part in path {
        let span = part.span;
        parent = match parent.entry(part, || {
            Item::Value(Value::InlineTable(Table::new(true, true, span)))
        }) {
            Item::Value(Value::InlineTable(t)) if t.implicit => t,
            _ => return Err(Fallback),
        };
    }
    if parent.dotted == path.is_empty() {
        return Err(Fallback);
    }
    parent.entries.push((key, Item::Value(value)));
    Ok(())
}

/// Whether any table of the tree (inline ones and those in arrays included) has two equal
/// keys.
// proof: `i` enumerates `entries`, so `i + 1 <= entries.len()`; `windows(2)` yields pairs.
#[allow(clippy::indexing_slicing)]
fn has_duplicate_keys(table: &Table<'_>) -> bool {
    let entries = &table.entries;
    let twice = if entries.len() <= 16 {
        entries
            .iter()
            .enumerate()
            .any(|(i, (a, _))| entries[i + 1..].iter().any(|(b, _)| a.name == b.name))
    } else {
        let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.get()).collect();
        names.sort_unstable();
        names.windows(2).any(|w| w[0] == w[1])
    };
    twice
        || entries
            .iter()
            .any(|(_, item)| item_has_duplicate_keys(item))
}

fn item_has_duplicate_keys(item: &Item<'_>) -> bool {
    match item {
        Item::Table(t) => has_duplicate_keys(t),
        Item::ArrayOfTables(array) => array.tables.iter().any(has_duplicate_keys),
        Item::Value(value) => value_has_duplicate_keys(value),
    }
}

fn value_has_duplicate_keys(value: &Value<'_>) -> bool {
    match value {
        Value::InlineTable(t) => has_duplicate_keys(t),
        Value::Array(array) => array.values.iter().any(value_has_duplicate_keys),
        _ => false,
    }
}
