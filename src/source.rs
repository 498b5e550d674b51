//! Where text came from: a map of every source file read in one run, and the
//! spans that point into them.
//!
//! Files are added once and never change, so a [`FileId`] stays valid for the
//! whole run. Names are plain repository-relative paths
//! (`governance/assets/billing.toml`) or `builtin:<file>` for the embedded
//! framework catalogs, never suffixed with a revision: every output that
//! another tool reads uses them as they are. When the files were read from a
//! commit, the map records it once, as a [`Revision`], for people to read.

use std::ops::{Deref, Range};
use std::sync::{Arc, OnceLock};

/// Identifies one file of a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// Creates a span over `range` of `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    /// Returns the byte range of the span.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A value with the span it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    /// Pairs `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }

    /// Maps the value, keeping the span.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sp<U> {
        Sp::new(f(self.value), self.span)
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// One source file: its repository-relative name and its text, shared by
/// the two sides of a drift that both hold the file.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<String>,
    /// Found the first time a position is asked for: most files of a run
    /// never are (the earlier side of a drift, a file without problems).
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn new(name: String, text: Arc<String>) -> Self {
        SourceFile {
            name,
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// Returns the 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Returns the byte offsets at which each line starts.
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

/// The commit a map's files were read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// The revision as the user named it: `HEAD~3`, `main`, a tag, an id.
    pub name: String,
    /// The full id of the commit it resolved to.
    pub commit: String,
}

impl Revision {
    /// Returns the first ten characters of the commit id.
    pub fn short(&self) -> &str {
        self.commit.get(..10).unwrap_or(&self.commit)
    }
}

impl std::fmt::Display for Revision {
    /// Writes `HEAD~3 (1a2b3c4d5e)`, or only the short id when the name is
    /// the commit id itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name == self.commit || self.name == self.short() {
            f.write_str(self.short())
        } else {
            write!(f, "{} ({})", self.name, self.short())
        }
    }
}

/// Every file read in one run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    revision: Option<Revision>,
}

impl SourceMap {
    /// Creates an empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_shared(name, Arc::new(text.into()))
    }

    /// Adds a file whose text another map may hold too.
    pub fn add_shared(&mut self, name: impl Into<String>, text: Arc<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(name.into(), text));
        id
    }

    /// Records the commit the files were read from; a working-tree map has
    /// none.
    pub fn set_revision(&mut self, revision: Revision) {
        self.revision = Some(revision);
    }

    /// Returns the commit the files were read from, if any.
    pub fn revision(&self) -> Option<&Revision> {
        self.revision.as_ref()
    }

    /// Returns the file behind `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Returns the repository-relative name of a file.
    pub fn name(&self, id: FileId) -> &str {
        &self.get(id).name
    }

    /// Returns every file with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// Returns the number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Returns true when no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let mut map = SourceMap::new();
        let id = map.add("a.toml", "ab\nçd = 1\n");
        let file = map.get(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // `d` follows a two-byte character: byte 5, character column 2.
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.line_col(999), (3, 1));
    }

    #[test]
    fn a_revision_shows_its_name_and_short_id_once() {
        let commit = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b".to_string();
        let named = |name: &str| Revision {
            name: name.into(),
            commit: commit.clone(),
        };
        assert_eq!(named("HEAD~3").to_string(), "HEAD~3 (1a2b3c4d5e)");
        assert_eq!(named(&commit).to_string(), "1a2b3c4d5e");
        assert_eq!(named("1a2b3c4d5e").to_string(), "1a2b3c4d5e");
    }
}
