//! The facts the MSBuild reader uses from a parsed file: elements by local name, their
//! attributes, text and byte ranges, in document order.
//!
//! Filled either by [`super::scan`] (the common, plain files, without building a DOM) or
//! from a roxmltree [`Document`] (everything else), so that the reader cannot tell which
//! one parsed the file. Nodes sit in one vector in document order; an element's children
//! are the nodes after it up to the end of its subtree, so the whole file costs two
//! allocations.

use std::borrow::Cow;
use std::ops::Range;

use roxmltree::{Document, NodeType};

/// The root element of a file and everything inside it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Tree<'t> {
    nodes: Vec<NodeData<'t>>,
    attributes: Vec<Attribute<'t>>,
}

#[derive(Debug, PartialEq, Eq)]
struct NodeData<'t> {
    kind: Kind<'t>,
    range: Range<usize>,
    /// The index after the node's subtree (its next sibling's, when it has one).
    end: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Kind<'t> {
    Element {
        /// The local name (`Version` for `<msb:Version>`).
        name: &'t str,
        attributes: Range<usize>,
    },
    /// The decoded text (entities expanded, line endings normalized).
    Text(Cow<'t, str>),
    Comment,
    ProcessingInstruction,
}

/// An attribute (namespace declarations are not attributes).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Attribute<'t> {
    /// The local name.
    pub name: &'t str,
    /// Whether the name has a namespace prefix.
    pub namespaced: bool,
    /// The decoded, normalized value.
    pub value: Cow<'t, str>,
    /// The value as written, without its quotes.
    pub value_range: Range<usize>,
}

/// A node of a [`Tree`].
#[derive(Clone, Copy)]
pub(super) struct Node<'a, 't> {
    tree: &'a Tree<'t>,
    index: usize,
}

impl<'t> Tree<'t> {
    pub(super) fn with_capacity(nodes: usize, attributes: usize) -> Self {
        Tree {
            nodes: Vec::with_capacity(nodes),
            attributes: Vec::with_capacity(attributes),
        }
    }

    /// How many nodes the tree has.
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The root element (a tree always has one).
    pub(super) fn root(&self) -> Node<'_, 't> {
        Node {
            tree: self,
            index: 0,
        }
    }

    /// Append an element whose attributes were pushed since `attributes`; it is a leaf
    /// until [`Tree::close`] says where its subtree ends. Returns its index.
    pub(super) fn open(&mut self, name: &'t str, attributes: usize, start: usize) -> usize {
        let index = self.nodes.len();
        self.nodes.push(NodeData {
            kind: Kind::Element {
                name,
                attributes: attributes..self.attributes.len(),
            },
            range: start..start,
            end: index + 1,
        });
        index
    }

    /// The element at `index` ends at byte `end`, after the nodes appended so far.
    // proof: `index` is what `open` returned for this tree: nodes are never removed.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn close(&mut self, index: usize, end: usize) {
        let after = self.nodes.len();
        let node = &mut self.nodes[index];
        node.range.end = end;
        node.end = after;
    }

    /// Append a text, comment or processing instruction.
    pub(super) fn leaf(&mut self, kind: Kind<'t>, range: Range<usize>) {
        let end = self.nodes.len() + 1;
        self.nodes.push(NodeData { kind, range, end });
    }

    pub(super) fn attribute(&mut self, attribute: Attribute<'t>) {
        self.attributes.push(attribute);
    }

    pub(super) fn attribute_count(&self) -> usize {
        self.attributes.len()
    }

    /// The local name of the element at `index`.
    pub(super) fn element_name(&self, index: usize) -> &'t str {
        Node { tree: self, index }.name()
    }

    /// The attributes pushed since `start`.
    // proof: `start` is an `attribute_count()` taken earlier while scanning, and attributes are
    // never removed.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn attributes_since(&self, start: usize) -> &[Attribute<'t>] {
        &self.attributes[start..]
    }

    /// The root element of a document roxmltree parsed.
    pub(super) fn from_document(document: &'t Document<'t>) -> Self {
        let mut tree = Tree::with_capacity(
            document.descendants().count(),
            document.descendants().map(|n| n.attributes().len()).sum(),
        );
        tree.push(document.root_element());
        tree
    }

    fn push(&mut self, node: roxmltree::Node<'t, 't>) {
        let range = node.range();
        match node.node_type() {
            NodeType::Element => {
                let attributes = self.attributes.len();
                for attribute in node.attributes() {
                    self.attributes.push(Attribute {
                        name: attribute.name(),
                        namespaced: attribute.namespace().is_some(),
                        value: Cow::Borrowed(attribute.value()),
                        value_range: attribute.range_value(),
                    });
                }
                let index = self.open(node.tag_name().name(), attributes, range.start);
                for child in node.children() {
                    self.push(child);
                }
                self.close(index, range.end);
            }
            NodeType::Text => self.leaf(
                Kind::Text(Cow::Borrowed(node.text().unwrap_or_default())),
                range,
            ),
            NodeType::Comment => self.leaf(Kind::Comment, range),
            // (The document's root node is never below its root element.)
            NodeType::PI | NodeType::Root => self.leaf(Kind::ProcessingInstruction, range),
        }
    }
}

impl<'a, 't> Node<'a, 't> {
    // proof: a `Node` is made only for an index of a node of its tree (the root, `children`,
    // `element_name` of an opened element).
    #[allow(clippy::indexing_slicing)]
    fn data(&self) -> &'a NodeData<'t> {
        &self.tree.nodes[self.index]
    }

    pub(super) fn kind(&self) -> &'a Kind<'t> {
        &self.data().kind
    }

    /// The bytes of the whole node (an element from its `<` to the end of its end tag).
    pub(super) fn range(&self) -> Range<usize> {
        self.data().range.clone()
    }

    /// The local name of an element; empty for other nodes.
    pub(super) fn name(&self) -> &'t str {
        match self.data().kind {
            Kind::Element { name, .. } => name,
            _ => "",
        }
    }

    pub(super) fn is_text(&self) -> bool {
        matches!(self.data().kind, Kind::Text(_))
    }

    /// The decoded text of a text node.
    pub(super) fn text(&self) -> Option<&'a str> {
        match &self.data().kind {
            Kind::Text(text) => Some(text),
            _ => None,
        }
    }

    // proof: an element's `attributes` range is `start..attribute_count()` taken when its start tag
    // was scanned, within `attributes`.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn attributes(&self) -> &'a [Attribute<'t>] {
        match &self.data().kind {
            Kind::Element { attributes, .. } => &self.tree.attributes[attributes.clone()],
            _ => &[],
        }
    }

    /// The first attribute with this local name, whatever its namespace (as roxmltree's
    /// `attribute_node` does for a name without one).
    pub(super) fn attribute(&self, name: &str) -> Option<&'a Attribute<'t>> {
        self.attributes().iter().find(|a| a.name == name)
    }

    // proof: `next < end`, and an element's `end` is the number of nodes when it was closed, so
    // `next` names a node of the tree.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn children(&self) -> impl Iterator<Item = Node<'a, 't>> + use<'a, 't> {
        let tree = self.tree;
        let end = self.data().end;
        let mut next = self.index + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let node = Node { tree, index: next };
                next = tree.nodes[next].end;
                node
            })
        })
    }

    /// The child elements.
    pub(super) fn elements(&self) -> impl Iterator<Item = Node<'a, 't>> + use<'a, 't> {
        self.children()
            .filter(|n| matches!(n.data().kind, Kind::Element { .. }))
    }
}
