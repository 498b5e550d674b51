//! Reads a declaration file asset by asset, for walks over history and
//! the two sides of a drift: the file is cut at its `[[asset]]` headers,
//! and each piece is parsed on its own, so an asset that did not change is
//! parsed once, however many versions of its file a walk or a drift reads.
//!
//! Invariant: the pieces of a file, parsed one by one, declare exactly the
//! assets the whole file declares, in the same order, or [`split`] and
//! [`assets`] refuse (`None`) and the caller parses the whole file. A piece
//! is cut only at a line that is exactly `[[asset]]`, in a file without
//! multi-line strings (where such a line could be text); the first piece
//! (before any header) may not name `asset` or a catalog table, and every
//! other piece may name `asset` alone, so no key of one piece can meet a
//! key of another and the whole file is valid TOML when every piece is.

use super::format::{catalog, crosswalks};
use super::raw;
use super::reader::Cx;
use super::{too_deep, MAX_FILE_BYTES};
use crate::diag::Diags;
use crate::source::FileId;
use toml::de::DeTable;

/// The header a piece starts at.
const HEADER: &str = "[[asset]]";

/// Cuts a declaration file before each line that is exactly `[[asset]]`:
/// the text before the first (maybe empty), then each asset's piece.
/// Returns `None` for a file that parsing whole would refuse unread (too
/// large, binary, not UTF-8), and one without such a header, which is no
/// faster in pieces; [`assets`] refuses the rest piece by piece.
pub fn split(bytes: &[u8]) -> Option<Vec<&str>> {
    if bytes.len() > MAX_FILE_BYTES || bytes.contains(&0) {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    // Searching for the header itself, then checking that it fills its
    // line, skips the lines of a file without comparing each.
    let bytes = text.as_bytes();
    let cuts: Vec<usize> = text
        .match_indices(HEADER)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = i.checked_sub(1).map(|p| bytes.get(p));
            let after = bytes.get(i + HEADER.len());
            before.is_none_or(|b| b == Some(&b'\n')) && after.is_none_or(|b| *b == b'\n')
        })
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        pieces.push(&text[start..cut]);
        start = cut;
    }
    pieces.push(&text[start..]);
    Some(pieces)
}

/// Parses one piece of [`split`]: the assets it declares (none for the
/// first piece), or `None` when the file must be parsed whole: the piece
/// is not valid TOML, names a key that could meet another piece's, holds a
/// multi-line string or nests too deeply.
///
/// A multi-line string opens in some piece, and nesting too deep shows in
/// some piece (brackets of valid TOML close within their piece), so asking
/// each piece answers for the whole file, and a piece seen before need not
/// be asked again.
pub fn assets(piece: &str, first: bool) -> Option<Vec<raw::Asset>> {
    match first {
        true => table(piece).filter(|doc| !clashes(doc)).map(|_| Vec::new()),
        false => body(FileId(0), 0, piece).map(|(assets, _)| assets),
    }
}

/// Reads the first piece of [`split`] of `file`, as [`assets`] accepts it,
/// into what it declares, with the diagnostics parsing the whole file
/// gives for its text.
pub fn head(file: FileId, piece: &str) -> Option<(raw::Declarations, Diags)> {
    let doc = table(piece).filter(|doc| !clashes(doc))?;
    declarations(file, 0, &doc)
}

/// Returns true when the first piece names a key another piece could
/// meet: `asset`, or a catalog's or crosswalk's table.
fn clashes(doc: &toml::Spanned<DeTable<'_>>) -> bool {
    let table = doc.get_ref();
    table.contains_key("asset")
        || [&catalog::TABLE, &crosswalks::TABLE]
            .iter()
            .any(|kind| kind.keys().any(|key| table.contains_key(key)))
}

/// Reads a piece of [`split`] after the first, starting at byte `at` of
/// `file`, as [`assets`] accepts it, into its assets, with the diagnostics
/// parsing the whole file gives for its text.
pub fn body(file: FileId, at: usize, piece: &str) -> Option<(Vec<raw::Asset>, Diags)> {
    #[cfg(test)]
    PARSED.with(|n| n.set(n.get() + 1));
    let doc = table(piece)?;
    let table = doc.get_ref();
    if table.len() != 1 || !table.contains_key("asset") {
        return None;
    }
    declarations(file, at, &doc).map(|(d, diags)| (d.assets, diags))
}

#[cfg(test)]
thread_local! {
    /// How many pieces [`body`] parsed on this thread: for tests of what
    /// is parsed again.
    pub static PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Parses a piece, refusing one that holds a multi-line string, nests too
/// deeply or is not valid TOML.
fn table(piece: &str) -> Option<toml::Spanned<DeTable<'_>>> {
    if piece.contains("\"\"\"") || piece.contains("'''") || too_deep(piece).is_some() {
        return None;
    }
    let (doc, errors) = DeTable::parse_recoverable(piece);
    errors.is_empty().then_some(doc)
}

/// Reads the table of a piece starting at byte `at` of `file` as the
/// declarations of a file that is not governance.toml (whose pieces are
/// never read alone), with their diagnostics.
fn declarations(
    file: FileId,
    at: usize,
    doc: &toml::Spanned<DeTable<'_>>,
) -> Option<(raw::Declarations, Diags)> {
    let mut diags = Diags::new();
    let mut cx = Cx {
        file,
        base: at,
        diags: &mut diags,
    };
    match super::parse::document(&mut cx, doc, false)? {
        raw::Content::Declarations(d) => Some((*d, diags)),
        raw::Content::Catalog(_) | raw::Content::Crosswalk(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_alone, Body, Input};

    /// The ids and operators of the assets of a whole file.
    fn whole(text: &str) -> Option<Vec<(String, Option<String>)>> {
        let input = Input {
            name: "governance/assets/a.toml".into(),
            is_settings: false,
            body: Body::Bytes(text.as_bytes().to_vec()),
        };
        match parse_alone(input)? {
            raw::Content::Declarations(d) => Some(view(&d.assets)),
            raw::Content::Catalog(_) | raw::Content::Crosswalk(_) => Some(Vec::new()),
        }
    }

    fn view(assets: &[raw::Asset]) -> Vec<(String, Option<String>)> {
        assets
            .iter()
            .map(|a| {
                (
                    a.id.as_ref().map(|i| i.value.clone()).unwrap_or_default(),
                    a.owners
                        .as_ref()
                        .and_then(|o| o.operator.as_ref().map(|t| t.value.clone())),
                )
            })
            .collect()
    }

    /// The same, piece by piece; `None` when the pieces refuse.
    fn in_pieces(text: &str) -> Option<Vec<(String, Option<String>)>> {
        let mut out = Vec::new();
        for (i, piece) in split(text.as_bytes())?.into_iter().enumerate() {
            out.extend(view(&assets(piece, i == 0)?));
        }
        Some(out)
    }

    const TWO: &str = "[[team]]\nid = \"t\"\nname = \"T\"\n\n[[asset]]\nid = \"a\"\n\n[asset.owners]\noperator = \"t\"\n\n[[asset]]\nid = \"b\"\n[asset.owners]\noperator = \"u\"\n";

    #[test]
    fn pieces_declare_what_the_whole_file_declares() {
        let pieces = split(TWO.as_bytes()).expect("two headers");
        assert_eq!(pieces.len(), 3);
        assert!(pieces[1].starts_with("[[asset]]\nid = \"a\""));
        assert_eq!(pieces.concat(), TWO);
        assert_eq!(in_pieces(TWO), whole(TWO));
        assert_eq!(
            in_pieces(TWO).expect("pieces"),
            [
                ("a".to_string(), Some("t".to_string())),
                ("b".into(), Some("u".into()))
            ]
        );
    }

    #[test]
    fn files_whose_pieces_could_mean_something_else_are_refused() {
        for text in [
            // A key the pieces would each take as their own.
            "[[asset]]\nid = \"a\"\n[policy]\nx = 1\n[[asset]]\nid = \"b\"\n[policy]\nx = 1\n",
            // `asset` before the first header.
            "asset = 1\n[[asset]]\nid = \"a\"\n",
            "[asset.owners]\noperator = \"t\"\n[[asset]]\nid = \"a\"\n",
            // A header line inside a multi-line string.
            "x = \"\"\"\n[[asset]]\n\"\"\"\n[[asset]]\nid = \"a\"\n",
            // Invalid TOML in one piece.
            "[[asset]]\nid = \"a\"\nid = \"b\"\n[[asset]]\nid = \"c\"\n",
            // A catalog.
            "[framework]\nid = \"f\"\n[[asset]]\nid = \"a\"\n",
        ] {
            assert_eq!(in_pieces(text), None, "{text}");
        }
        // No header at all: nothing to gain, the file is parsed whole.
        assert_eq!(split(b"[[team]]\nid = \"t\"\n"), None);
    }

    #[test]
    fn headers_written_otherwise_stay_inside_a_piece() {
        let text = "[[asset]]\nid = \"a\"\n[[ asset ]]\nid = \"b\"\n[[asset]]\nid = \"c\"\n";
        assert_eq!(split(text.as_bytes()).expect("headers").len(), 3);
        assert_eq!(in_pieces(text), whole(text));
        assert_eq!(in_pieces(text).expect("pieces").len(), 3);
    }
}
