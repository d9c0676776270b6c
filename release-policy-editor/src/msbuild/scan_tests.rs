//! The plain-XML parser against roxmltree: whatever it accepts, roxmltree accepts and reads
//! the same way.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::scan;
use super::tree::Tree;

/// `Some(equal)` when [`scan::tree`] reads `text`, `None` when it leaves it to roxmltree.
fn agrees(text: &str) -> Option<bool> {
    let plain = scan::tree(text)?;
    let judged = roxmltree::Document::parse(text);
    Some(judged.is_ok_and(|document| Tree::from_document(&document) == plain))
}

#[test]
fn plain_files_are_read_without_roxmltree() {
    let plain = [
        "<Project/>",
        "<Project />",
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <Version>1.0.0</Version>\n  </PropertyGroup>\n</Project>\n",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Project ToolsVersion='15.0' xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\r\n  <ItemGroup>\r\n    <PackageReference Include=\"A\" Version=\"1.0\" />\r\n  </ItemGroup>\r\n</Project>",
        "<?xml version='1.0' standalone='yes' ?><Project/>",
        "<!-- top --><Project><!-- a - b --><A\tx = 'a\tb\r\nc' y=\"\"></A ><B/></Project><!---->\n",
        "<Project><V>\r\n 1\r2 </V><N>é ü</N><T>a > b ] c</T></Project>",
        "<Project xmlns=''><A xmlns='u' Include='x'/></Project>",
    ];
    for text in plain {
        assert_eq!(agrees(text), Some(true), "{text:?}");
    }
}

#[test]
fn other_files_are_left_to_roxmltree() {
    let others = [
        "",
        "  ",
        "text",
        "<Project>",
        "<Project></Projec>",
        "<Project></Project><Project/>",
        "<Project/>x",
        "<Project a='1' a='2'/>",
        "<Project a='<'/>",
        "<Project a=1/>",
        "<Project a='1'b='2'/>",
        "<Project a='&amp;'/>",
        "<Project xmlns:m='u'/>",
        "<m:Project xmlns:m='u'/>",
        "<Project xmlns='http://www.w3.org/2000/xmlns/'/>",
        "<Project xmlns='a' xmlns='b'/>",
        "<Projé/>",
        "<Project>&amp;</Project>",
        "<Project>]]></Project>",
        "<Project><![CDATA[x]]></Project>",
        "<Project><?pi x?></Project>",
        "<!DOCTYPE Project><Project/>",
        "<?xml encoding='utf-8'?><Project/>",
        "<?xml ?><Project/>",
        "<?xml version='1.0'encoding='utf-8'?><Project/>",
        "<?xml version='1.0' standalone='yes' encoding='utf-8'?><Project/>",
        "<?xml-stylesheet href='a'?><Project/>",
        "<!-- a -- b --><Project/>",
        "<!-- a ---><Project/>",
        "<Project>\u{1}</Project>",
        "<Project>\u{FFFE}</Project>",
        "<Project/ >",
        "<Project></Project",
    ];
    for text in others {
        assert_eq!(agrees(text), None, "{text:?}");
    }
}

/// Pieces of XML, well-formed and not, to join at random.
const PIECES: [&str; 45] = [
    "<Project>",
    "</Project>",
    "<Project/>",
    "<A>",
    "</A>",
    "<A/>",
    "<B x='1'>",
    "</B>",
    "<a:B>",
    "</a:B>",
    "<Projé>",
    "<",
    ">",
    "/>",
    "</",
    " ",
    "\t",
    "\r\n",
    "\r",
    "\n",
    " x=\"1\"",
    " x='a\tb\r\nc'",
    " y=''",
    " xmlns='u'",
    " xmlns=''",
    " xmlns:m='u'",
    " m:x='1'",
    " x=\"<\"",
    "=",
    "'",
    "\"",
    "1.0.0",
    "é",
    "&amp;",
    "&",
    "]]>",
    "]]",
    "<!-- c -->",
    "<!--",
    "-->",
    "--",
    "<![CDATA[x]]>",
    "<?xml version='1.0'?>",
    "<?pi?>",
    "\u{1}",
];

proptest! {
    /// Whatever the plain parser reads, roxmltree reads the same way.
    #[test]
    fn plain_reading_agrees_with_roxmltree(pieces in vec(select(&PIECES[..]), 0..24)) {
        let text = pieces.concat();
        prop_assert_ne!(agrees(&text), Some(false), "{:?}", text);
    }

    /// The same, on well-formed documents with random content.
    #[test]
    fn well_formed_documents_agree(pieces in vec(select(&PIECES[..]), 0..16)) {
        let text = format!("<Project>{}</Project>", pieces.concat());
        prop_assert_ne!(agrees(&text), Some(false), "{:?}", text);
    }
}

/// Plain pieces: any sequence of them is plain content.
const PLAIN: [&str; 14] = [
    "<A/>",
    "<A x='1' y=\"2\"/>",
    "<B>1.0</B>",
    "<B\r\n  z='a\tb'></B >",
    "<C><D/>t</C>",
    " ",
    "\r\n",
    "\r",
    "text",
    "é",
    "a > b",
    "]",
    "<!-- c -->",
    "<!---->",
];

proptest! {
    /// Plain content is read by the plain parser, as roxmltree reads it.
    #[test]
    fn plain_documents_are_read_alike(
        declared in any::<bool>(),
        pieces in vec(select(&PLAIN[..]), 0..16),
    ) {
        let declaration = if declared { "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" } else { "" };
        let text = format!("{declaration}<Project Sdk='S'>{}</Project>\n", pieces.concat());
        prop_assert_eq!(agrees(&text), Some(true), "{:?}", text);
    }
}
