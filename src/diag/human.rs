//! Renders diagnostics rustc-style, with source snippets and carets, through
//! codespan-reporting.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::Buffer};
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

/// Renders every diagnostic, each followed by a blank line; ANSI colours when
/// `color` is set.
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diagnostics {
        // The file map holds every span's file, so emitting cannot fail on a
        // lookup; a failure to write into memory cannot happen either.
        let _ = term::emit(&mut buffer, &config, sources, &to_codespan(d));
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
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
