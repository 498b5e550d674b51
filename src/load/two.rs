//! Parses the two sides of a drift, sharing the work they have in common:
//! a file equal on both sides is parsed once, and a file that changed is
//! read in [`pieces`], so the earlier side parses only the assets whose
//! text changed and takes the rest from the later side, moved to their
//! place in its file ([`super::shift`]).

use super::shift::{Moved, Shift};
use super::{assemble, parse_one, pieces, raw, with_builtins, Ahead, Body, Input, Loaded, Parsed};
use crate::diag::Diags;
use crate::source::FileId;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Parses the inputs of two sides, `before` and `after`, each as
/// [`super::load`] parses it: a file whose place among the inputs, name and
/// bytes are equal on both sides (most of them, between two commits of a
/// drift) is parsed once, for both. Parsing is a function of those three
/// and of whether the file is governance.toml alone. A file at the same
/// place and with the same name whose bytes differ is parsed piece by
/// piece ([`pair`]). The later side's files that `ahead` parsed already
/// ([`Ahead::beside`]) are taken from there.
pub fn load_two(before: Vec<Input>, after: Vec<Input>, ahead: Ahead) -> (Loaded, Loaded) {
    let mut ahead = ahead.take(&after).into_iter();
    let (before, before_builtin) = with_builtins(before);
    let (after, after_builtin) = with_builtins(after);
    let (mut before, rest) = {
        let mut before = before;
        let rest = before.split_off(after.len().min(before.len()));
        (before.into_iter(), rest)
    };
    // One parallel pass over the later side's files, each with the earlier
    // side's file at its place, `None` when the two are the same and
    // absent when there is none; then the earlier side's files past the
    // later side's last.
    type Work = (usize, Input, Option<Option<Input>>, Option<Parsed>);
    let work: Vec<Work> = after
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let own = before.next().map(|b| (!same(&b, &a)).then_some(b));
            (i, a, own, ahead.next().flatten())
        })
        .collect();
    let first_rest = work.len();
    // A file both sides share is copied for the earlier side in the same
    // task, on every core.
    let parsed: Vec<(Parsed, Option<Parsed>)> = work
        .into_par_iter()
        .map(|(i, a, b, early)| match (b, early) {
            (Some(Some(b)), None) => {
                let (a, b) = pair(i, a, b);
                (a, Some(b))
            }
            // Parsed ahead, but the earlier side's file at this place
            // differs: parsed whole, it gives what `pair` gives.
            (Some(Some(b)), Some(a)) => (a, Some(parse_one(i, b))),
            (Some(None), early) => {
                let a = early.unwrap_or_else(|| parse_one(i, a));
                let b = a.clone();
                (a, Some(b))
            }
            (None, early) => (early.unwrap_or_else(|| parse_one(i, a)), None),
        })
        .collect();
    let rest: Vec<Parsed> = rest
        .into_par_iter()
        .enumerate()
        .map(|(i, b)| parse_one(first_rest + i, b))
        .collect();
    let mut after_parsed = Vec::with_capacity(parsed.len());
    let mut before_parsed = Vec::with_capacity(parsed.len() + rest.len());
    for (a, b) in parsed {
        before_parsed.extend(b);
        after_parsed.push(a);
    }
    before_parsed.extend(rest);
    (
        assemble(before_parsed, before_builtin),
        assemble(after_parsed, after_builtin),
    )
}

/// Returns true when a file parses the same on both sides.
fn same(b: &Input, a: &Input) -> bool {
    a.name == b.name && a.is_settings == b.is_settings && a.body == b.body
}

/// Parses the later and earlier versions of the file at place `index`,
/// each exactly as [`parse_one`] would. Two versions of one declaration
/// file (not governance.toml) are cut into pieces: the later one's are all
/// parsed, and the earlier one parses only the pieces whose text no later
/// piece holds. Both are parsed whole where the pieces could mean something
/// else ([`pieces`]) or the text before the first asset differs.
fn pair(index: usize, after: Input, before: Input) -> (Parsed, Parsed) {
    let file = FileId(index as u32);
    let read = match (&after.body, &before.body) {
        (Body::Bytes(a), Body::Bytes(b))
            if after.name == before.name && !after.is_settings && !before.is_settings =>
        {
            in_pieces(file, a, b)
        }
        _ => None,
    };
    match read {
        Some((a, b)) => (parsed(after, a), parsed(before, b)),
        None => (parse_one(index, after), parse_one(index, before)),
    }
}

/// A file read in pieces, as [`parse_one`] gives it.
fn parsed(input: Input, (content, diags): Read) -> Parsed {
    let text = match input.body {
        // The pieces were cut from UTF-8 text ([`pieces::split`]).
        Body::Bytes(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Body::Refused(_) => String::new(),
    };
    (input.name, Arc::new(text), Some(Arc::new(content)), diags)
}

/// What one side's file declares and the diagnostics parsing it gave.
type Read = (raw::Content, Diags);

/// Reads both versions of a file piece by piece; `None` where either must
/// be parsed whole.
fn in_pieces(file: FileId, after: &[u8], before: &[u8]) -> Option<(Read, Read)> {
    let a = pieces::split(after)?;
    let b = pieces::split(before)?;
    if a[0] != b[0] {
        return None;
    }
    let (head, mut after_diags) = pieces::head(file, a[0])?;
    let mut before_diags = after_diags.clone();
    let mut before_head = head.clone();
    let mut later: Vec<Piece<'_>> = Vec::with_capacity(a.len());
    let mut at = a[0].len();
    for text in &a[1..] {
        let (assets, diags) = pieces::body(file, at, text)?;
        later.push(Piece {
            at,
            text,
            assets,
            diags,
        });
        at += text.len();
    }
    // The earlier side's pieces in order: one whose text a later piece
    // holds is that piece, parsed already and moved to its place. The
    // later piece of the same rank is tried first (an edit leaves the
    // others in their order), then any of that text (an asset added or
    // removed before it shifts the ranks).
    let mut earlier = Vec::with_capacity(b.len());
    let mut by_text: Option<HashMap<&str, usize>> = None;
    let mut at = b[0].len();
    for (rank, text) in b[1..].iter().enumerate() {
        let found = match later.get(rank).filter(|l| l.text == *text) {
            Some(_) => Some(rank),
            None => by_text
                .get_or_insert_with(|| texts(&later))
                .get(text)
                .copied(),
        };
        earlier.push(match found {
            Some(k) => later[k].moved_to(at)?,
            None => pieces::body(file, at, text)?,
        });
        at += text.len();
    }
    let mut after_head = head;
    for piece in later {
        after_head.assets.extend(piece.assets);
        after_diags.extend(piece.diags);
    }
    for (assets, diags) in earlier {
        before_head.assets.extend(assets);
        before_diags.extend(diags);
    }
    let content = |d: raw::Declarations| raw::Content::Declarations(Box::new(d));
    Some((
        (content(after_head), after_diags),
        (content(before_head), before_diags),
    ))
}

/// A piece of the later side's file after the first: where it starts, its
/// text, what it declares and its diagnostics.
struct Piece<'t> {
    at: usize,
    text: &'t str,
    assets: Vec<raw::Asset>,
    diags: Diags,
}

impl Piece<'_> {
    /// What this piece declares, and its diagnostics, as parsing its text
    /// at byte `at` of the earlier side's file gives them; `None` for an
    /// offset no span can hold.
    fn moved_to(&self, at: usize) -> Option<(Vec<raw::Asset>, Diags)> {
        let (mut assets, mut diags) = (self.assets.clone(), self.diags.clone());
        if at != self.at {
            let by = Moved {
                from: u32::try_from(self.at).ok()?,
                to: u32::try_from(at).ok()?,
            };
            assets.shift(by);
            diags.shift(by);
        }
        Some((assets, diags))
    }
}

/// The rank of the first later piece of each text.
fn texts<'t>(later: &[Piece<'t>]) -> HashMap<&'t str, usize> {
    // Collected last to first, so the first of a text is the one kept.
    later
        .iter()
        .enumerate()
        .rev()
        .map(|(rank, piece)| (piece.text, rank))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load;

    /// One side's files, the first at `governance/assets/a.toml`.
    fn side(texts: &[&[u8]]) -> Vec<Input> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| Input {
                name: format!("governance/assets/{}.toml", (b'a' + i as u8) as char),
                is_settings: false,
                body: Body::Bytes(text.to_vec()),
            })
            .collect()
    }

    const ONE: &str =
        "[[asset]]\nid = \"a1\"\nkind = \"agent\"\n\n[asset.owners]\noperator = \"team-1\"\n\n";
    const TWO: &str = "[[asset]]\nid = \"a2\"\nkind = \"model\"\ncolour = \"red\"\n\n";
    const THREE: &str = "[[asset]]\nid = \"a3\"\nrisk = \"severe\"\n[[ asset ]]\nid = \"a4\"\n";
    /// An asset with every table an asset may hold.
    const FOUR: &str = "[[asset]]\nid = \"a5\"\ntags = [\"x\"]\ndepends-on = [\"a1\"]\n\n[asset.owners]\nreviewers = [\"t\", 3]\nattested = 2026-01-02\n\n[asset.identity]\ntype = \"workload\"\nspiffe-id = \"spiffe://e.example/a5\"\nmax-ttl = \"30m\"\n\n[[asset.tool]]\nid = \"t.read\"\nsystem = \"s\"\naccess = \"read\"\ndecision = \"allow\"\nfrom = 2026-01-01\nuntil = 2026-02-01\nmin-confidence = 80\nflavour = 1\n\n[asset.trust]\nscore = 76\nassessed = 2026-11-03\nthreshold = 70\n";

    /// Versions of one file: the same assets edited, moved, added and
    /// removed, with unknown fields, bad values, broken TOML, text before
    /// the first asset, and files the pieces must refuse.
    fn versions() -> Vec<Vec<u8>> {
        let texts = [
            format!("{ONE}{TWO}{THREE}"),
            format!("{ONE}{FOUR}{THREE}"),
            format!("{}{FOUR}{THREE}", ONE.replace("team-1", "team-333")),
            format!("{}{TWO}{THREE}", ONE.replace("team-1", "team-2")),
            format!("{}{TWO}{THREE}", ONE.replace("team-1", "team-22")),
            format!("{ONE}{THREE}"),
            format!("{TWO}{ONE}{THREE}"),
            format!("{ONE}{TWO}{TWO}{THREE}"),
            format!("# Agents of area 1\n{ONE}{TWO}{THREE}"),
            format!("[[team]]\nid = \"t\"\nname = \"T\"\nmood = 1\n\n{ONE}{THREE}"),
            format!("{ONE}{}{THREE}", TWO.replace("colour", "id")),
            format!("{ONE}x = \"\"\"\n[[asset]]\n\"\"\"\n{THREE}"),
            format!("[framework]\nid = \"f\"\n{ONE}"),
            format!("{}{TWO}", ONE.replace('\n', "\r\n")),
            format!("[[asset]]\nid = \"a1\"\ntags = [[[1]]]\n{TWO}"),
            format!("{ONE}[policy]\nx = 1\n{TWO}"),
            format!("[[control]]\nid = \"C\"\nowner = 3\n\n[[finding]]\nid = \"F\"\nsize = 1\n\n{ONE}{TWO}"),
            ONE.to_string(),
            "[[team]]\nid = \"t\"\n".to_string(),
            String::new(),
        ];
        let mut out: Vec<Vec<u8>> = texts.into_iter().map(String::into_bytes).collect();
        out.push(b"[[asset]]\nid = \"\xff\"\n".to_vec());
        out
    }

    #[test]
    fn two_sides_load_as_each_loads_alone() {
        let versions = versions();
        let other: &[u8] = TWO.as_bytes();
        for (i, before) in versions.iter().enumerate() {
            for after in &versions {
                let mut layouts = vec![(vec![&before[..], other], vec![&after[..], other])];
                // A file only one side holds, after the pair.
                if i < 2 {
                    layouts.push((vec![&before[..]], vec![&after[..], other]));
                    layouts.push((vec![&before[..], other], vec![&after[..]]));
                }
                for (b, a) in layouts {
                    let (b, a) = (side(&b), side(&a));
                    let (two_b, two_a) = load_two(b.clone(), a.clone(), Ahead::default());
                    assert_eq!(
                        two_b.view(),
                        load(b).view(),
                        "before of {before:?} -> {after:?}"
                    );
                    assert_eq!(
                        two_a.view(),
                        load(a).view(),
                        "after of {before:?} -> {after:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_edited_file_is_read_in_pieces() {
        let before = format!("{ONE}{TWO}{THREE}");
        let after = format!("{}{TWO}{THREE}", ONE.replace("team-1", "team-22"));
        let read = in_pieces(FileId(0), after.as_bytes(), before.as_bytes());
        let ((after, _), (before, _)) = read.expect("both versions cut into pieces");
        let ids = |c: raw::Content| match c {
            raw::Content::Declarations(d) => d
                .assets
                .iter()
                .map(|a| a.id.as_ref().map(|i| (i.value.clone(), i.span.start)))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        // The pieces after the edit moved one byte on.
        let before_ids = ids(before);
        let after_ids = ids(after);
        assert_eq!(before_ids.len(), 4);
        assert_eq!(before_ids[0], after_ids[0]);
        for (b, a) in before_ids.iter().zip(&after_ids).skip(1) {
            let (b, a) = (b.as_ref().expect("id"), a.as_ref().expect("id"));
            assert_eq!((&b.0, b.1 + 1), (&a.0, a.1));
        }
    }

    /// Pieces a later edit moved are taken, not parsed again: an edit that
    /// changes the length of one asset, and an asset removed before others.
    #[test]
    fn moved_pieces_are_not_parsed_again() {
        let before = format!("{ONE}{TWO}{THREE}");
        for (after, parsed) in [
            // The later side's three pieces, and the edited one again.
            (
                format!("{}{TWO}{THREE}", ONE.replace("team-1", "team-22")),
                4,
            ),
            // The later side's two, and the removed one, which a drift
            // reads on the earlier side alone.
            (format!("{ONE}{THREE}"), 3),
            // The later side's three, in another order: none again.
            (format!("{THREE}{TWO}{ONE}"), 3),
        ] {
            pieces::PARSED.with(|n| n.set(0));
            let read = in_pieces(FileId(0), after.as_bytes(), before.as_bytes());
            assert!(read.is_some(), "{after:?}");
            assert_eq!(pieces::PARSED.with(|n| n.get()), parsed, "{after:?}");
            let (b, a) = (side(&[before.as_bytes()]), side(&[after.as_bytes()]));
            let (two_b, two_a) = load_two(b.clone(), a.clone(), Ahead::default());
            assert_eq!(two_b.view(), load(b).view(), "{after:?}");
            assert_eq!(two_a.view(), load(a).view(), "{after:?}");
        }
    }
}
