//! `toml_edit`'s document as a [`Table`]: the documents the fast builder leaves to
//! `toml_edit`. Everything is copied (the document owns its keys and strings); entries keep
//! `toml_edit`'s order.

use std::borrow::Cow;
use std::ops::Range;

use super::tree::{Array, ArrayOfTables, Float, Item, Key, Scalar, Table, Value};
use crate::text::Span;

pub(super) fn document(doc: &toml_edit::Document<&str>) -> Table<'static> {
    table(doc.as_table())
}

/// A parsed document has a span on every key, value and table: a missing one (never seen)
/// becomes an empty span at 0 rather than a panic.
fn span(range: Option<Range<usize>>) -> Span {
    range.map_or(Span::at(0), Span::from)
}

fn key(key: &toml_edit::Key) -> Key<'static> {
    Key {
        name: Cow::Owned(key.get().to_string()),
        span: span(key.span()),
    }
}

fn entries(table: &dyn toml_edit::TableLike) -> Vec<(Key<'static>, Item<'static>)> {
    table
        .iter()
        .filter_map(|(name, _)| table.get_key_value(name))
        .filter_map(|(k, v)| Some((key(k), item(v)?)))
        .collect()
}

fn table(t: &toml_edit::Table) -> Table<'static> {
    Table {
        entries: entries(t),
        span: span(t.span()),
        implicit: t.is_implicit(),
        dotted: t.is_dotted(),
    }
}

/// `None` for `Item::None`, which a parsed document does not hold.
fn item(item: &toml_edit::Item) -> Option<Item<'static>> {
    Some(match item {
        toml_edit::Item::None => return None,
        toml_edit::Item::Value(v) => Item::Value(value(v)),
        toml_edit::Item::Table(t) => Item::Table(table(t)),
        toml_edit::Item::ArrayOfTables(array) => Item::ArrayOfTables(ArrayOfTables {
            tables: array.iter().map(table).collect(),
            span: span(array.span()),
        }),
    })
}

fn scalar<T>(value: T, range: Option<Range<usize>>) -> Scalar<T> {
    Scalar {
        value,
        span: span(range),
    }
}

fn value(v: &toml_edit::Value) -> Value<'static> {
    match v {
        toml_edit::Value::String(f) => {
            Value::String(scalar(Cow::Owned(f.value().clone()), f.span()))
        }
        toml_edit::Value::Integer(f) => Value::Integer(scalar(*f.value(), f.span())),
        toml_edit::Value::Float(f) => Value::Float(scalar(Float(*f.value()), f.span())),
        toml_edit::Value::Boolean(f) => Value::Boolean(scalar(*f.value(), f.span())),
        toml_edit::Value::Datetime(f) => Value::Datetime(scalar(f.value().to_string(), f.span())),
        toml_edit::Value::Array(array) => Value::Array(Array {
            values: array.iter().map(value).collect(),
            span: span(array.span()),
        }),
        // An inline table is implicit exactly when a dotted key implied it (`toml_edit`
        // does not say whether one is implicit, only whether it is dotted).
        toml_edit::Value::InlineTable(t) => Value::InlineTable(Table {
            entries: entries(t),
            span: span(t.span()),
            implicit: t.is_dotted(),
            dotted: t.is_dotted(),
        }),
    }
}
