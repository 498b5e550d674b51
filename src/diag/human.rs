//! Renders diagnostics rustc-style, with source snippets and carets, through
//! codespan-reporting.
//!
//! Snippets name files by their plain paths; when the files were read from a
//! commit, one header line before the diagnostics says which.
//!
//! Rendering writes into memory, never to a stream: the command line decides
//! where the text goes and what a failed write means.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::Buffer};
use std::io::Write;
use std::ops::Range;

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let starts = self.get(id).line_starts();
        Ok(starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

/// A diagnostic that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A span named a file or line the source map does not hold.
    #[error("cannot render diagnostic {code}")]
    Emit {
        code: &'static str,
        #[source]
        source: FilesError,
    },
}

/// Renders every diagnostic, each followed by a blank line; ANSI colours when
/// `color` is set. Files read from a commit are introduced by a line such as
/// `declarations at HEAD~3 (1a2b3c4d5e)`.
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    color: bool,
) -> Result<String, Error> {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    if let (Some(rev), false) = (sources.revision(), diagnostics.is_empty()) {
        // A Buffer is a Vec: writing into it cannot fail.
        let _ = writeln!(buffer, "declarations at {rev}\n");
    }
    let config = term::Config::default();
    for d in diagnostics {
        term::emit(&mut buffer, &config, sources, &to_codespan(d)).map_err(|source| {
            Error::Emit {
                code: d.code.name(),
                source,
            }
        })?;
    }
    Ok(String::from_utf8_lossy(buffer.as_slice()).into_owned())
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    };
    let mut labels = vec![cs::Label::primary(d.span.file, d.span.range())];
    labels.extend(
        d.labels
            .iter()
            .map(|l| cs::Label::secondary(l.span.file, l.span.range()).with_message(&l.message)),
    );
    let notes = d.help.iter().map(|h| format!("help: {h}")).collect();
    cs::Diagnostic::new(severity)
        .with_code(d.code.name())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{Revision, Span};

    fn one_problem(revision: Option<Revision>) -> String {
        let mut sources = SourceMap::new();
        let file = sources.add("governance/assets.toml", "[[asset]]\nid = 1\n");
        if let Some(revision) = revision {
            sources.set_revision(revision);
        }
        let d = Diagnostic::new(Code::ParseError, Span::new(file, 15..16), "not a string");
        render(&sources, &[d], false).expect("every span is in the map")
    }

    #[test]
    fn files_read_at_a_revision_are_named_plainly_under_one_header() {
        let text = one_problem(Some(Revision {
            name: "HEAD~3".into(),
            commit: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b".into(),
        }));
        assert!(
            text.starts_with("declarations at HEAD~3 (1a2b3c4d5e)\n\n"),
            "{text}"
        );
        assert!(text.contains("governance/assets.toml:2:6"), "{text}");
        assert!(!text.contains('@'), "{text}");
    }

    #[test]
    fn working_tree_files_have_no_header() {
        let text = one_problem(None);
        assert!(text.starts_with("error[parse-error]"), "{text}");
    }
}
