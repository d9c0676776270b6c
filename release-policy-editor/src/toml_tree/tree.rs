//! The tree the TOML readers look at: tables as vectors searched in order, keys and strings
//! borrowing the text where they are written without escapes, every item with its span.

use std::borrow::Cow;

use crate::text::Span;

/// A key as written in the document: decoded, with the span of its raw text (quotes
/// included).
#[derive(Debug, Clone, PartialEq)]
pub struct Key<'a> {
    pub(super) name: Cow<'a, str>,
    pub(super) span: Span,
}

impl Key<'_> {
    /// The decoded key.
    pub fn get(&self) -> &str {
        &self.name
    }

    /// Where the key is written (for a header's or a dotted key's last part: that part).
    pub fn span(&self) -> Span {
        self.span
    }
}

/// A table's entry: a value, a table, or an array of tables.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    Value(Value<'a>),
    Table(Table<'a>),
    ArrayOfTables(ArrayOfTables<'a>),
}

impl<'a> Item<'a> {
    pub fn as_value(&self) -> Option<&Value<'a>> {
        match self {
            Item::Value(value) => Some(value),
            _ => None,
        }
    }

    /// A standard table (`[header]`, or implied by a dotted key or a header below it).
    pub fn as_table(&self) -> Option<&Table<'a>> {
        match self {
            Item::Table(table) => Some(table),
            _ => None,
        }
    }

    /// A standard or an inline table.
    pub fn as_table_like(&self) -> Option<&Table<'a>> {
        match self {
            Item::Table(table) | Item::Value(Value::InlineTable(table)) => Some(table),
            _ => None,
        }
    }

    pub fn as_array_of_tables(&self) -> Option<&ArrayOfTables<'a>> {
        match self {
            Item::ArrayOfTables(array) => Some(array),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Array<'a>> {
        self.as_value().and_then(Value::as_array)
    }

    pub fn as_str(&self) -> Option<&str> {
        self.as_value().and_then(Value::as_str)
    }

    pub fn is_str(&self) -> bool {
        self.as_str().is_some()
    }

    pub fn as_bool(&self) -> Option<bool> {
        self.as_value().and_then(Value::as_bool)
    }

    /// A value's span; a table's header (or the key that implied it; the root's is empty at
    /// 0); an array of tables' from its first header to its last.
    pub fn span(&self) -> Span {
        match self {
            Item::Value(value) => value.span(),
            Item::Table(table) => table.span,
            Item::ArrayOfTables(array) => array.span,
        }
    }
}

/// A value, with its span.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    String(Scalar<Cow<'a, str>>),
    Integer(Scalar<i64>),
    Float(Scalar<Float>),
    Boolean(Scalar<bool>),
    /// As `toml_datetime` writes it (the fast builder leaves date-times to `toml_edit`).
    Datetime(Scalar<String>),
    Array(Array<'a>),
    InlineTable(Table<'a>),
}

impl<'a> Value<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(&s.value),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(b.value),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Array<'a>> {
        match self {
            Value::Array(array) => Some(array),
            _ => None,
        }
    }

    pub fn is_inline_table(&self) -> bool {
        matches!(self, Value::InlineTable(_))
    }

    /// The value as written: a string with its quotes, an array from `[` to `]`, an inline
    /// table from `{` to `}` (or the key that implied it, for `a = { b.c = 1 }`'s `b`).
    pub fn span(&self) -> Span {
        match self {
            Value::String(s) => s.span,
            Value::Integer(s) => s.span,
            Value::Float(s) => s.span,
            Value::Boolean(s) => s.span,
            Value::Datetime(s) => s.span,
            Value::Array(array) => array.span,
            Value::InlineTable(table) => table.span,
        }
    }
}

/// A scalar value and its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar<T> {
    pub value: T,
    pub span: Span,
}

/// A float, equal to another when its bits are (so that `nan` equals itself in the tests).
#[derive(Debug, Clone, Copy)]
pub struct Float(pub f64);

impl PartialEq for Float {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

/// A standard or inline table: its entries in the order `toml_edit` keeps them.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<'a> {
    pub(super) entries: Vec<(Key<'a>, Item<'a>)>,
    pub(super) span: Span,
    /// Implied by a dotted key or a header below it, not defined by a header of its own.
    pub(super) implicit: bool,
    /// Implied by a dotted key.
    pub(super) dotted: bool,
}

impl<'a> Table<'a> {
    /// An entry; tables are small, searched in order.
    pub fn get(&self, key: &str) -> Option<&Item<'a>> {
        self.get_key_value(key).map(|(_, item)| item)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Key<'a>, &Item<'a>)> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, item)| (k, item))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get_key_value(key).is_some()
    }

    /// The entries, in order: `(key, item)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Item<'a>)> {
        self.entries.iter().map(|(k, item)| (k.get(), item))
    }

    pub fn span(&self) -> Span {
        self.span
    }
}

/// An array of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Array<'a> {
    pub(super) values: Vec<Value<'a>>,
    pub(super) span: Span,
}

impl<'a> Array<'a> {
    pub fn iter(&self) -> std::slice::Iter<'_, Value<'a>> {
        self.values.iter()
    }

    pub fn get(&self, index: usize) -> Option<&Value<'a>> {
        self.values.get(index)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'t, 'a> IntoIterator for &'t Array<'a> {
    type Item = &'t Value<'a>;
    type IntoIter = std::slice::Iter<'t, Value<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.iter()
    }
}

/// `[[header]]` tables.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayOfTables<'a> {
    pub(super) tables: Vec<Table<'a>>,
    pub(super) span: Span,
}

impl<'a> ArrayOfTables<'a> {
    pub fn iter(&self) -> std::slice::Iter<'_, Table<'a>> {
        self.tables.iter()
    }
}

impl<'t, 'a> IntoIterator for &'t ArrayOfTables<'a> {
    type Item = &'t Table<'a>;
    type IntoIter = std::slice::Iter<'t, Table<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.tables.iter()
    }
}
