//! A value of the policy table with its location: typed access that fails with a located
//! [`PolicyError`].

use std::collections::BTreeMap;
use std::ops::Range;

use toml_edit::{Item, Table, TableLike, Value};

use crate::error::{PolicyError, PolicyErrorKind};
use crate::policy::Origin;
use crate::suggest::closest;

/// A TOML value as `toml_edit` hands it out: an item of a table, an element of an array, or a
/// table of an array of tables.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Node<'a> {
    Item(&'a Item),
    Value(&'a Value),
    Table(&'a Table),
}

impl<'a> Node<'a> {
    fn value(self) -> Option<&'a Value> {
        match self {
            Node::Item(Item::Value(value)) | Node::Value(value) => Some(value),
            Node::Item(_) | Node::Table(_) => None,
        }
    }

    fn table_like(self) -> Option<&'a dyn TableLike> {
        match self {
            Node::Item(item) => item.as_table_like(),
            Node::Value(value) => value.as_inline_table().map(|t| t as &dyn TableLike),
            Node::Table(table) => Some(table),
        }
    }

    fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(item) => item.span(),
            Node::Value(value) => value.span(),
            Node::Table(table) => table.span(),
        }
    }

    /// The type of the value, as a message names it: `a string`, `an integer`, `a table`, ….
    pub(crate) fn type_name(self) -> &'static str {
        match self.value() {
            Some(Value::String(_)) => "a string",
            Some(Value::Integer(_)) => "an integer",
            Some(Value::Float(_)) => "a float",
            Some(Value::Boolean(_)) => "a boolean",
            Some(Value::Datetime(_)) => "a date-time",
            Some(Value::Array(_)) => "an array",
            Some(Value::InlineTable(_)) => "a table",
            None => match self {
                Node::Item(Item::ArrayOfTables(_)) => "an array of tables",
                _ => "a table",
            },
        }
    }
}

/// A value at a path of the policy, with the spans diagnostics point at.
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    pub(crate) node: Node<'a>,
    /// The table the policy was read from, e.g. `workspace.metadata.release-policy`.
    pub(crate) table: &'a str,
    /// Path inside the policy: `tag-name`, `manifests[2].search`.
    pub(crate) path: String,
    /// The key naming this value (for an array element, the array's key).
    pub(crate) key_span: Range<usize>,
    /// The value itself (the key's span when `toml_edit` has none, as for a dotted table).
    pub(crate) span: Range<usize>,
}

/// What reading a policy value gives.
pub(crate) type Result<T> = std::result::Result<T, PolicyError>;

impl<'a> Field<'a> {
    pub(crate) fn new(
        node: Node<'a>,
        table: &'a str,
        path: String,
        key_span: Range<usize>,
    ) -> Field<'a> {
        let span = node.span().unwrap_or_else(|| key_span.clone());
        Field {
            node,
            table,
            path,
            key_span,
            span,
        }
    }

    /// The full name of the key in messages: `workspace.metadata.release.manifests[2].search`.
    pub(crate) fn name(&self) -> String {
        format!("{}.{}", self.table, self.path)
    }

    pub(crate) fn origin(&self) -> Origin {
        Origin {
            table: self.table.to_owned(),
            key: self.key_span.clone(),
            value: self.span.clone(),
        }
    }

    /// Remember where this value was written.
    pub(crate) fn record(&self, origins: &mut BTreeMap<String, Origin>) {
        origins.insert(self.path.clone(), self.origin());
    }

    pub(crate) fn wrong_type(&self, expected: &str) -> PolicyError {
        let found = self.node.type_name();
        PolicyError {
            kind: Box::new(PolicyErrorKind::WrongType {
                key: self.name(),
                expected: expected.to_owned(),
                found,
            }),
            message: format!("expected {expected} for `{}`, found {found}", self.name()),
            span: self.span.clone(),
            help: None,
        }
    }

    /// An invalid value: `message` is the whole message.
    pub(crate) fn invalid(&self, message: String, help: Option<String>) -> PolicyError {
        self.invalid_at(self.span.clone(), message, help)
    }

    pub(crate) fn invalid_at(
        &self,
        span: Range<usize>,
        message: String,
        help: Option<String>,
    ) -> PolicyError {
        PolicyError {
            kind: Box::new(PolicyErrorKind::InvalidValue { key: self.name() }),
            message,
            span,
            help,
        }
    }

    pub(crate) fn is_table(&self) -> bool {
        self.node.table_like().is_some()
    }

    pub(crate) fn string(&self) -> Result<&'a str> {
        self.node
            .value()
            .and_then(Value::as_str)
            .ok_or_else(|| self.wrong_type("a string"))
    }

    /// A string that is not empty.
    pub(crate) fn non_empty_string(&self) -> Result<&'a str> {
        let text = self.string()?;
        if text.is_empty() {
            return Err(self.invalid(format!("`{}` is empty", self.name()), None));
        }
        Ok(text)
    }

    pub(crate) fn bool(&self) -> Result<bool> {
        self.node
            .value()
            .and_then(Value::as_bool)
            .ok_or_else(|| self.wrong_type("a boolean"))
    }

    /// A non-negative integer that fits `T`.
    pub(crate) fn count<T: TryFrom<i64>>(&self) -> Result<T> {
        let number = self
            .node
            .value()
            .and_then(Value::as_integer)
            .ok_or_else(|| self.wrong_type("a non-negative integer"))?;
        T::try_from(number).map_err(|_| {
            self.invalid(
                format!("`{}` is out of range: `{number}`", self.name()),
                Some("expected a non-negative integer".to_owned()),
            )
        })
    }

    /// One of `choices` (a string), by name.
    pub(crate) fn keyword<T: Copy>(&self, choices: &[(&str, T)]) -> Result<T> {
        let names: Vec<String> = choices
            .iter()
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        let expected = format!("one of {}", names.join(", "));
        let text = self
            .string()
            .map_err(|_| self.wrong_type(&format!("a string ({expected})")))?;
        if let Some(&(_, value)) = choices.iter().find(|(name, _)| *name == text) {
            return Ok(value);
        }
        let suggestion = closest(text, choices.iter().map(|&(name, _)| name));
        let message = format!(
            "unknown value `{text}` for `{}`, expected {expected}",
            self.name()
        );
        Err(self.invalid(message, suggestion.map(|s| format!("did you mean `{s}`?"))))
    }

    /// The elements of an array (or an array of tables), each a field `path[i]`.
    pub(crate) fn array(&self, expected: &str) -> Result<Vec<Field<'a>>> {
        let elements: Vec<Node<'a>> = match self.node {
            Node::Item(Item::ArrayOfTables(tables)) => tables.iter().map(Node::Table).collect(),
            node => match node.value() {
                Some(Value::Array(array)) => array.iter().map(Node::Value).collect(),
                _ => return Err(self.wrong_type(expected)),
            },
        };
        Ok(elements
            .into_iter()
            .enumerate()
            .map(|(i, node)| {
                let element = Field::new(
                    node,
                    self.table,
                    format!("{}[{i}]", self.path),
                    self.key_span.clone(),
                );
                // An element without a span of its own points at the array.
                if node.span().is_none() {
                    Field {
                        span: self.span.clone(),
                        ..element
                    }
                } else {
                    element
                }
            })
            .collect())
    }

    /// A list of strings.
    pub(crate) fn strings(&self, origins: &mut BTreeMap<String, Origin>) -> Result<Vec<String>> {
        self.array("an array of strings")?
            .iter()
            .map(|element| {
                element.record(origins);
                element
                    .string()
                    .map(str::to_owned)
                    .map_err(|_| element.wrong_type("a string"))
            })
            .collect()
    }

    /// A list of non-empty strings.
    pub(crate) fn non_empty_strings(
        &self,
        origins: &mut BTreeMap<String, Origin>,
    ) -> Result<Vec<String>> {
        self.array("an array of strings")?
            .iter()
            .map(|element| {
                element.record(origins);
                element.non_empty_string().map(str::to_owned)
            })
            .collect()
    }

    /// The entries of a table (inline or not), each a field `path.key`. A key not in `known`
    /// is an error naming the closest known key.
    pub(crate) fn table(&self, known: &[&str]) -> Result<Vec<(&'a str, Field<'a>)>> {
        let table = self
            .node
            .table_like()
            .ok_or_else(|| self.wrong_type("a table"))?;
        let mut entries = Vec::new();
        for (key, _) in table.iter() {
            let Some((key_repr, item)) = table.get_key_value(key) else {
                continue;
            };
            let key_span = key_repr.span().unwrap_or_else(|| self.span.clone());
            if !known.contains(&key) {
                return Err(unknown_key(key, &self.name(), key_span, known));
            }
            let path = format!("{}.{}", self.path, quote_key(key));
            entries.push((
                key,
                Field::new(Node::Item(item), self.table, path, key_span),
            ));
        }
        Ok(entries)
    }

    /// The entries of a table whose keys are free (as `labels`), each a field `path.key`.
    pub(crate) fn map(&self) -> Result<Vec<(&'a str, Field<'a>)>> {
        let table = self
            .node
            .table_like()
            .ok_or_else(|| self.wrong_type("a table"))?;
        let mut entries = Vec::new();
        for (key, _) in table.iter() {
            let Some((key_repr, item)) = table.get_key_value(key) else {
                continue;
            };
            let key_span = key_repr.span().unwrap_or_else(|| self.span.clone());
            let path = format!("{}.{}", self.path, quote_key(key));
            entries.push((
                key,
                Field::new(Node::Item(item), self.table, path, key_span),
            ));
        }
        Ok(entries)
    }
}

/// A key as it appears in a dotted path: bare when it can be, quoted otherwise.
pub(crate) fn quote_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

/// The error for a key not in `known`, in `table`.
pub(crate) fn unknown_key(
    key: &str,
    table: &str,
    span: Range<usize>,
    known: &[&str],
) -> PolicyError {
    let suggestion = closest(key, known.iter().copied());
    let mut message = format!("unknown key `{key}` in `{table}`");
    let help = if let Some(suggestion) = suggestion {
        message = format!("{message}, did you mean `{suggestion}`?");
        format!("rename it to `{suggestion}`")
    } else {
        let names: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
        format!("remove it; the keys of this table are {}", names.join(", "))
    };
    PolicyError {
        kind: Box::new(PolicyErrorKind::UnknownKey {
            key: key.to_owned(),
            table: table.to_owned(),
            suggestion: suggestion.map(str::to_owned),
        }),
        message,
        span,
        help: Some(help),
    }
}
