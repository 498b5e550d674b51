//! Diagnostics: problems found in the declarations, each with a stable code,
//! a severity, the span that caused it and labels on related declarations.
//!
//! Every stage pushes into a [`Diags`] and keeps going, so the user sees all
//! problems at once. The renderers (human, json, sarif, github, markdown)
//! all read the same [`Diagnostic`] values, never each other's text.

mod code;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

pub use code::Code;

use crate::source::{SourceMap, Span};
use std::collections::BTreeMap;

crate::vocab::vocab! {
    /// How serious a diagnostic is, least first.
    Severity { Info = "info", Warning = "warning", Error = "error" }
}

/// A secondary pointer at a related declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

crate::vocab::vocab! {
    /// The owner who must act on a diagnostic, as the rule that raised it
    /// decides: `govern escalations` finds the team that holds the role.
    Acting {
        Accountable = "accountable",
        Remediation = "remediation",
        ControlOwner = "control-owner",
        Signer = "signer",
    }
}

/// What a diagnostic that asks an owner to act names, for `govern
/// escalations`: who must act, the declarations by id, and the day the
/// action was due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub acts: Acting,
    pub asset: Option<String>,
    pub control: Option<String>,
    pub finding: Option<String>,
    pub exception: Option<String>,
    pub signer: Option<String>,
    /// When the action was due; `None` when no date records it (a score
    /// never assessed, a control never tested).
    pub due: Option<jiff::civil::Date>,
}

impl Subject {
    /// A subject for the owner in `acts`, naming nothing yet.
    pub fn new(acts: Acting) -> Self {
        Subject {
            acts,
            asset: None,
            control: None,
            finding: None,
            exception: None,
            signer: None,
            due: None,
        }
    }
}

/// One problem in the declarations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Set by the rules whose diagnostics someone must act on.
    pub subject: Option<Box<Subject>>,
}

impl Diagnostic {
    /// Creates a diagnostic at `span` with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            subject: None,
        }
    }

    /// Records what the diagnostic asks an owner to act on.
    pub fn about(mut self, subject: Subject) -> Self {
        self.subject = Some(Box::new(subject));
        self
    }

    /// Adds a secondary label.
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// How `[rules]` re-grades a code: a new severity, or off.
pub type RuleLevels = BTreeMap<Code, Option<Severity>>;

/// Collects diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Diags {
    items: Vec<Diagnostic>,
    /// Set by [`Diags::errors_only`]: the levels under which a diagnostic
    /// must end as an error to be kept.
    errors_under: Option<RuleLevels>,
}

impl Diags {
    /// Creates an empty collection.
    pub fn new() -> Self {
        Diags::default()
    }

    /// From now on keeps only the diagnostics that `levels` leave errors,
    /// and drops the others already kept: for a run that reports errors
    /// alone (the sides of a drift), so rules can skip what no one reads.
    pub fn errors_only(&mut self, levels: &RuleLevels) {
        self.errors_under = Some(levels.clone());
        let under = &self.errors_under;
        self.items.retain(|d| kept(under, d.code));
    }

    /// Returns true when a diagnostic of `code` would be kept: always,
    /// unless [`Diags::errors_only`] was asked and `code` does not end as
    /// an error.
    pub fn wants(&self, code: Code) -> bool {
        kept(&self.errors_under, code)
    }

    /// Adds a diagnostic, unless [`Diags::wants`] says no.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.wants(diagnostic.code) {
            self.items.push(diagnostic);
        }
    }

    /// Calls `f` on the span of every diagnostic and of each of its
    /// labels: for what was parsed at one place of a file and now sits at
    /// another.
    pub fn each_span(&mut self, f: &mut dyn FnMut(&mut Span)) {
        for d in &mut self.items {
            f(&mut d.span);
            for label in &mut d.labels {
                f(&mut label.span);
            }
        }
    }

    /// An empty collection that keeps what this one keeps: for work done
    /// apart whose diagnostics are then [`Diags::extend`]ed into this one.
    pub fn empty_like(&self) -> Diags {
        Diags {
            items: Vec::new(),
            errors_under: self.errors_under.clone(),
        }
    }

    /// Moves every diagnostic of `other` into this collection.
    pub fn extend(&mut self, other: Diags) {
        let under = &self.errors_under;
        self.items
            .extend(other.items.into_iter().filter(|d| kept(under, d.code)));
    }

    /// Applies `[rules]` levels, sorts by file and position, and returns the
    /// diagnostics. Structural codes keep their severity.
    pub fn finish(self, levels: &RuleLevels) -> Vec<Diagnostic> {
        let mut items: Vec<Diagnostic> = self
            .items
            .into_iter()
            .filter_map(|mut d| {
                d.severity = severity(d.code, d.severity, levels)?;
                Some(d)
            })
            .collect();
        items.sort_by(|a, b| {
            (a.span.file, a.span.start, a.code, &a.message).cmp(&(
                b.span.file,
                b.span.start,
                b.code,
                &b.message,
            ))
        });
        items.dedup();
        items
    }
}

/// Returns true when a collection with `errors_under` keeps a diagnostic
/// of `code` ([`Diags::wants`]).
fn kept(errors_under: &Option<RuleLevels>, code: Code) -> bool {
    errors_under.as_ref().is_none_or(|levels| {
        severity(code, code.default_severity(), levels) == Some(Severity::Error)
    })
}

/// Returns the severity a diagnostic of `code`, made with `severity` (its
/// code's default, for every diagnostic made today), ends with under
/// `levels` (`None`: turned off). Structural codes keep theirs.
fn severity(code: Code, severity: Severity, levels: &RuleLevels) -> Option<Severity> {
    match levels.get(&code) {
        Some(level) if !code.is_structural() => *level,
        _ => Some(severity),
    }
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Tally {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut tally = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => tally.infos += 1,
            }
        }
        tally
    }
}

impl std::fmt::Display for Tally {
    /// `2 errors, 1 warning, 0 infos`, or `no problems`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == Tally::default() {
            return f.write_str("no problems");
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} error{}, {} warning{}, {} info{}",
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings),
            self.infos,
            plural(self.infos)
        )
    }
}

/// Escapes control characters, so that a name taken from a hostile file
/// (a path holding a newline or a terminal escape) cannot forge lines or
/// colours in the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A position in a file as users see it: 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    /// Resolves `span` against `sources`.
    pub fn of(sources: &SourceMap, span: Span) -> Self {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        let (end_line, end_column) = file.line_col(span.end as usize);
        Position {
            file: file.name.clone(),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn one(code: Code) -> Diagnostic {
        Diagnostic::new(code, Span::new(FileId(0), 0..1), code.name())
    }

    #[test]
    fn errors_only_keeps_what_ends_as_an_error() {
        let mut levels = RuleLevels::new();
        levels.insert(Code::OwnersMixedInFile, Some(Severity::Error));
        levels.insert(Code::MissingOwner, None);
        levels.insert(Code::InactiveOwner, Some(Severity::Warning));
        // Structural codes are never re-graded.
        levels.insert(Code::ParseError, Some(Severity::Info));
        let mut diags = Diags::new();
        diags.push(one(Code::TrustBelowThreshold));
        diags.push(one(Code::ParseError));
        diags.errors_only(&levels);
        let codes = [
            Code::OwnersMixedInFile,
            Code::MissingOwner,
            Code::InactiveOwner,
            Code::TrustBelowThreshold,
            Code::VendorAccountable,
            Code::ExceptionExpiring,
        ];
        let mut more = Diags::new();
        for code in codes {
            more.push(one(code));
        }
        diags.extend(more);
        diags.push(one(Code::StaticCredential));
        diags.push(one(Code::SharedIdentity));
        let wanted: Vec<bool> = codes.iter().map(|c| diags.wants(*c)).collect();
        assert_eq!(wanted, [true, false, false, false, true, false]);
        let kept: Vec<Code> = diags.finish(&levels).iter().map(|d| d.code).collect();
        assert_eq!(
            kept,
            [
                Code::ParseError,
                Code::VendorAccountable,
                Code::OwnersMixedInFile,
                Code::StaticCredential
            ]
        );
        // Without errors_only, everything is kept.
        let mut all = Diags::new();
        all.push(one(Code::TrustBelowThreshold));
        assert!(all.wants(Code::ExceptionExpiring));
        assert_eq!(all.finish(&levels).len(), 1);
    }
}
